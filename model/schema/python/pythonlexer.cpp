// The Python model reader's lexer: logical lines, indentation, names, numbers, strings (with
// their prefixes and escapes) and operators; then the blocks the lines form by indentation.

#include "model/schema/python/pythonlexer.h"

#include <QSet>
#include <QStringList>

namespace pythonmodel {

std::optional<Failure> Lexer::run(std::vector<Line> &lines)
{
    const qsizetype n = m_s.size();
    qsizetype i = 0;
    int line = 1;
    int depth = 0;
    bool lineStart = true;
    Line current;
    auto finishLine = [&] {
        if (!current.tokens.empty())
            lines.push_back(std::move(current));
        current = Line{};
    };
    while (i < n) {
        if (lineStart && depth == 0) {
            int indent = 0;
            qsizetype j = i;
            while (j < n && (m_s[j] == u' ' || m_s[j] == u'\t' || m_s[j] == u'\f')) {
                indent = m_s[j] == u'\t' ? (indent / 8 + 1) * 8 : indent + 1;
                ++j;
            }
            i = j;
            lineStart = false;
            if (i < n && (m_s[i] == u'\n' || m_s[i] == u'\r' || m_s[i] == u'#'))
                current.indent = -1; // blank or comment line: no statement starts here
            else {
                current.indent = indent;
                current.line = line;
            }
            continue;
        }
        const QChar c = m_s[i];
        if (c == u'#') {
            while (i < n && m_s[i] != u'\n')
                ++i;
            continue;
        }
        if (c == u'\\' && i + 1 < n && (m_s[i + 1] == u'\n' || m_s[i + 1] == u'\r')) {
            i += 2;
            if (m_s[i - 1] == u'\r' && i < n && m_s[i] == u'\n')
                ++i;
            ++line;
            continue;
        }
        if (c == u'\n') {
            ++line;
            ++i;
            if (depth == 0) {
                finishLine();
                lineStart = true;
            }
            continue;
        }
        if (c == u' ' || c == u'\t' || c == u'\r' || c == u'\f') {
            ++i;
            continue;
        }
        if (current.indent < 0) {
            current.indent = 0; // text after a continuation that began a "blank" line
            current.line = line;
        }
        if (current.tokens.empty() && current.line == 0)
            current.line = line;

        // Strings, with their prefixes.
        qsizetype prefixEnd = i;
        while (prefixEnd < n && prefixEnd - i < 2 &&
               QStringLiteral("rRbBuUfF").contains(m_s[prefixEnd]))
            ++prefixEnd;
        if (prefixEnd < n && (m_s[prefixEnd] == u'\'' || m_s[prefixEnd] == u'"') &&
            (prefixEnd == i || !isNameChar(prefixEnd < n ? m_s[prefixEnd] : QChar()))) {
            Token t;
            if (auto f = string(i, prefixEnd, line, t))
                return f;
            current.tokens.push_back(std::move(t));
            continue;
        }
        if (c.isLetter() || c == u'_') {
            current.tokens.push_back(nameToken(i, line));
            continue;
        }
        if (c.isDigit() || (c == u'.' && i + 1 < n && m_s[i + 1].isDigit())) {
            current.tokens.push_back(numberToken(i, line));
            continue;
        }
        current.tokens.push_back(operatorToken(i, line, depth));
    }
    finishLine();
    return std::nullopt;
}

Token Lexer::nameToken(qsizetype &i, int line) const
{
    const qsizetype n = m_s.size();
    Token t;
    t.type = TokenType::Name;
    t.line = line;
    t.begin = i;
    while (i < n && isNameChar(m_s[i]))
        ++i;
    t.end = i;
    t.text = m_s.mid(t.begin, i - t.begin);
    return t;
}

Token Lexer::numberToken(qsizetype &i, int line) const
{
    const qsizetype n = m_s.size();
    Token t;
    t.type = TokenType::Number;
    t.line = line;
    t.begin = i;
    while (i < n) {
        const QChar d = m_s[i];
        if (d.isLetterOrNumber() || d == u'_' || d == u'.') {
            ++i;
        } else if ((d == u'+' || d == u'-') && (m_s[i - 1] == u'e' || m_s[i - 1] == u'E') &&
                   !m_s.mid(t.begin, 2).startsWith(QStringLiteral("0x"), Qt::CaseInsensitive)) {
            ++i;
        } else {
            break;
        }
    }
    t.end = i;
    t.text = m_s.mid(t.begin, i - t.begin);
    return t;
}

Token Lexer::operatorToken(qsizetype &i, int line, int &depth) const
{
    static const QStringList ops3 = {QStringLiteral("**="), QStringLiteral("..."),
                                     QStringLiteral("//="), QStringLiteral(">>="),
                                     QStringLiteral("<<=")};
    static const QStringList ops2 = {
        QStringLiteral("=="), QStringLiteral("!="), QStringLiteral("<="), QStringLiteral(">="),
        QStringLiteral("->"), QStringLiteral("**"), QStringLiteral("//"), QStringLiteral(":="),
        QStringLiteral("+="), QStringLiteral("-="), QStringLiteral("*="), QStringLiteral("/="),
        QStringLiteral("%="), QStringLiteral("&="), QStringLiteral("|="), QStringLiteral("^="),
        QStringLiteral("@="), QStringLiteral("<<"), QStringLiteral(">>")};
    Token t;
    t.type = TokenType::Op;
    t.line = line;
    t.begin = i;
    if (ops3.contains(m_s.mid(i, 3)))
        t.text = m_s.mid(i, 3);
    else if (ops2.contains(m_s.mid(i, 2)))
        t.text = m_s.mid(i, 2);
    else
        t.text = QString(m_s[i]);
    i += t.text.size();
    t.end = i;
    if (t.text == u"(" || t.text == u"[" || t.text == u"{")
        ++depth;
    else if (t.text == u")" || t.text == u"]" || t.text == u"}")
        depth = std::max(0, depth - 1);
    return t;
}

std::optional<Failure> Lexer::string(qsizetype &i, qsizetype quoteAt, int &line, Token &t)
{
    const QString prefix = m_s.mid(i, quoteAt - i).toLower();
    const bool raw = prefix.contains(u'r');
    t.type = TokenType::String;
    t.isBytes = prefix.contains(u'b');
    t.isFString = prefix.contains(u'f');
    t.line = line;
    t.begin = i;
    const QChar quote = m_s[quoteAt];
    const bool triple = m_s.mid(quoteAt, 3) == QString(3, quote);
    qsizetype j = quoteAt + (triple ? 3 : 1);
    const int startLine = line;
    QString value;
    const qsizetype n = m_s.size();
    for (;;) {
        if (j >= n)
            return Failure{startLine,
                           QStringLiteral("a string is not closed before the end of the file")};
        const QChar c = m_s[j];
        if (triple ? m_s.mid(j, 3) == QString(3, quote) : c == quote) {
            j += triple ? 3 : 1;
            break;
        }
        if (c == u'\n') {
            if (!triple)
                return Failure{startLine, QStringLiteral("a string is not closed on its line")};
            ++line;
            value += c;
            ++j;
            continue;
        }
        if (c == u'\\' && j + 1 < n) {
            const QChar e = m_s[j + 1];
            if (raw) {
                value += c;
                value += e;
                if (e == u'\n')
                    ++line;
                j += 2;
                continue;
            }
            j += 2;
            switch (e.unicode()) {
            case '\n':
                ++line;
                break;
            case '\\':
                value += u'\\';
                break;
            case '\'':
                value += u'\'';
                break;
            case '"':
                value += u'"';
                break;
            case 'n':
                value += u'\n';
                break;
            case 't':
                value += u'\t';
                break;
            case 'r':
                value += u'\r';
                break;
            case 'a':
                value += QChar(7);
                break;
            case 'b':
                value += QChar(8);
                break;
            case 'f':
                value += QChar(12);
                break;
            case 'v':
                value += QChar(11);
                break;
            case 'x':
            case 'u':
            case 'U': {
                const int digits = e == u'x' ? 2 : e == u'u' ? 4 : 8;
                bool ok = false;
                const uint code = m_s.mid(j, digits).toUInt(&ok, 16);
                if (!ok || m_s.mid(j, digits).size() != digits)
                    return Failure{line, QStringLiteral("a \\%1 escape needs %2 hexadecimal digits")
                                             .arg(e)
                                             .arg(digits)};
                j += digits;
                value += QString::fromUcs4(reinterpret_cast<const char32_t *>(&code), 1);
                break;
            }
            default:
                if (e >= u'0' && e <= u'7') {
                    qsizetype k = j - 1;
                    uint code = 0;
                    int count = 0;
                    while (k < n && count < 3 && m_s[k] >= u'0' && m_s[k] <= u'7') {
                        code = code * 8 + uint(m_s[k].unicode() - u'0');
                        ++k;
                        ++count;
                    }
                    j = k;
                    value += QChar(char16_t(code));
                } else {
                    value += u'\\';
                    value += e;
                }
            }
            continue;
        }
        value += c;
        ++j;
    }
    t.end = j;
    t.text = value;
    if (t.isBytes)
        t.bytes = value.toLatin1();
    i = j;
    return std::nullopt;
}

namespace {

bool isCompoundKeyword(const Token &t)
{
    static const QSet<QString> keywords = {
        QStringLiteral("class"),   QStringLiteral("def"),  QStringLiteral("if"),
        QStringLiteral("elif"),    QStringLiteral("else"), QStringLiteral("for"),
        QStringLiteral("while"),   QStringLiteral("try"),  QStringLiteral("except"),
        QStringLiteral("finally"), QStringLiteral("with"), QStringLiteral("async"),
        QStringLiteral("match"),   QStringLiteral("case")};
    return t.type == TokenType::Name && keywords.contains(t.text);
}

} // namespace

/// The statements of a block whose lines are indented by `indent`; the lines after a header
/// ("class X:", "def f():", "if ...:") indented deeper are its body.
std::optional<Failure> buildBlocks(const std::vector<Line> &lines, std::size_t &i, int indent,
                                   std::vector<Statement> &out)
{
    while (i < lines.size() && lines[i].indent >= indent) {
        if (lines[i].indent > indent)
            return Failure{lines[i].line,
                           QStringLiteral("unexpected indentation (Python refuses this line too)")};
        Statement s;
        s.line = &lines[i];
        ++i;
        const auto &tokens = s.line->tokens;
        if (isCompoundKeyword(tokens.front()) && tokens.back().op(u":")) {
            if (i >= lines.size() || lines[i].indent <= indent)
                return Failure{s.line->line, QStringLiteral("a block is expected after this line")};
            if (auto f = buildBlocks(lines, i, lines[i].indent, s.body))
                return f;
            if (i < lines.size() && lines[i].indent > indent)
                return Failure{lines[i].line,
                               QStringLiteral("the indentation of this line matches no block")};
        }
        out.push_back(std::move(s));
    }
    return std::nullopt;
}

} // namespace pythonmodel
