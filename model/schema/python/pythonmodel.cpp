#include "model/schema/python/pythonmodel.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSet>

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace {

using Json = nlohmann::ordered_json;

std::string toStd(const QString &s)
{
    return s.toStdString();
}

QString quoted(const QString &s)
{
    return u'"' + s + u'"';
}

/// An error at a line of the file: carried up by the parser, turned into an Error at the end.
struct Failure
{
    int line = 0;
    QString message;
};

// ---- tokens ------------------------------------------------------------------------------

enum class TokenType { Name, Number, String, Op };

struct Token
{
    TokenType type = TokenType::Op;
    QString text;     ///< Name, Number, Op: as written; String: the decoded value
    QByteArray bytes; ///< bytes literals
    int line = 0;
    qsizetype begin = 0; ///< offsets in the source, for messages
    qsizetype end = 0;
    bool isBytes = false;
    bool isFString = false;

    bool is(TokenType t, QStringView s) const { return type == t && text == s; }
    bool op(QStringView s) const { return type == TokenType::Op && text == s; }
    bool name(QStringView s) const { return type == TokenType::Name && text == s; }
};

/// A logical line: its indentation, first physical line and tokens.
struct Line
{
    int indent = 0;
    int line = 0;
    std::vector<Token> tokens;
};

class Lexer
{
public:
    explicit Lexer(const QString &source) : m_s(source) {}

    std::optional<Failure> run(std::vector<Line> &lines)
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
                Token t;
                t.type = TokenType::Name;
                t.line = line;
                t.begin = i;
                while (i < n && isNameChar(m_s[i]))
                    ++i;
                t.end = i;
                t.text = m_s.mid(t.begin, i - t.begin);
                current.tokens.push_back(std::move(t));
                continue;
            }
            if (c.isDigit() || (c == u'.' && i + 1 < n && m_s[i + 1].isDigit())) {
                Token t;
                t.type = TokenType::Number;
                t.line = line;
                t.begin = i;
                while (i < n) {
                    const QChar d = m_s[i];
                    if (d.isLetterOrNumber() || d == u'_' || d == u'.') {
                        ++i;
                    } else if ((d == u'+' || d == u'-') &&
                               (m_s[i - 1] == u'e' || m_s[i - 1] == u'E') &&
                               !m_s.mid(t.begin, 2)
                                    .startsWith(QStringLiteral("0x"), Qt::CaseInsensitive)) {
                        ++i;
                    } else {
                        break;
                    }
                }
                t.end = i;
                t.text = m_s.mid(t.begin, i - t.begin);
                current.tokens.push_back(std::move(t));
                continue;
            }
            static const QStringList ops3 = {QStringLiteral("**="), QStringLiteral("..."),
                                             QStringLiteral("//="), QStringLiteral(">>="),
                                             QStringLiteral("<<=")};
            static const QStringList ops2 = {
                QStringLiteral("=="), QStringLiteral("!="), QStringLiteral("<="),
                QStringLiteral(">="), QStringLiteral("->"), QStringLiteral("**"),
                QStringLiteral("//"), QStringLiteral(":="), QStringLiteral("+="),
                QStringLiteral("-="), QStringLiteral("*="), QStringLiteral("/="),
                QStringLiteral("%="), QStringLiteral("&="), QStringLiteral("|="),
                QStringLiteral("^="), QStringLiteral("@="), QStringLiteral("<<"),
                QStringLiteral(">>")};
            Token t;
            t.type = TokenType::Op;
            t.line = line;
            t.begin = i;
            if (ops3.contains(m_s.mid(i, 3)))
                t.text = m_s.mid(i, 3);
            else if (ops2.contains(m_s.mid(i, 2)))
                t.text = m_s.mid(i, 2);
            else
                t.text = QString(c);
            i += t.text.size();
            t.end = i;
            if (t.text == u"(" || t.text == u"[" || t.text == u"{")
                ++depth;
            else if (t.text == u")" || t.text == u"]" || t.text == u"}")
                depth = std::max(0, depth - 1);
            current.tokens.push_back(std::move(t));
        }
        finishLine();
        return std::nullopt;
    }

private:
    static bool isNameChar(QChar c) { return c.isLetterOrNumber() || c == u'_'; }

    std::optional<Failure> string(qsizetype &i, qsizetype quoteAt, int &line, Token &t)
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
                        return Failure{line,
                                       QStringLiteral("a \\%1 escape needs %2 hexadecimal digits")
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

    const QString &m_s;
};

// ---- statements ----------------------------------------------------------------------------

struct Statement
{
    const Line *line = nullptr;
    std::vector<Statement> body;
};

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

// ---- expressions ---------------------------------------------------------------------------

struct Expr
{
    enum class Kind {
        Name,
        Call,
        Subscript,
        Tuple,
        List,
        Dict,
        Set,
        String,
        Bytes,
        Number,
        True,
        False,
        None,
        Neg,
        Ellipsis
    };
    Kind kind = Kind::Name;
    QString text; ///< Name: dotted; String: value; Number: as written
    QByteArray bytes;
    bool fstring = false;
    std::unique_ptr<Expr> base; ///< Call: the callee; Subscript: the subscripted; Neg: operand
    std::vector<std::unique_ptr<Expr>>
        items; ///< arguments, elements, subscript items; Dict: k, v, k, v...
    std::vector<std::pair<QString, std::unique_ptr<Expr>>> keywords; ///< Call
    std::vector<int> keywordLines;
    int line = 0;
    qsizetype begin = 0;
    qsizetype end = 0;

    bool isName(QStringView n) const { return kind == Kind::Name && text == n; }
    /// The last component of a dotted name ("typing.Dict" -> "Dict").
    QString lastName() const { return kind == Kind::Name ? text.section(u'.', -1) : QString(); }
};

/// Parses the expressions of one token range; anything outside the subset fails.
class ExprParser
{
public:
    ExprParser(const std::vector<Token> &tokens, std::size_t begin, std::size_t end)
        : m_t(tokens), m_i(begin), m_end(end)
    {
    }

    bool atEnd() const { return m_i >= m_end; }
    std::size_t position() const { return m_i; }
    const Token &peek() const { return m_t[m_i]; }

    std::unique_ptr<Expr> expression()
    {
        if (atEnd())
            return nullptr;
        if (peek().op(u"-") || peek().op(u"+")) {
            const bool minus = peek().op(u"-");
            const Token &sign = m_t[m_i++];
            auto operand = expression();
            if (!operand)
                return nullptr;
            if (!minus)
                return operand;
            auto e = make(Expr::Kind::Neg, sign);
            e->end = operand->end;
            e->base = std::move(operand);
            return e;
        }
        auto e = atom();
        while (e && !atEnd()) {
            if (peek().op(u".")) {
                ++m_i;
                if (atEnd() || peek().type != TokenType::Name || e->kind != Expr::Kind::Name)
                    return nullptr;
                e->text += u'.' + peek().text;
                e->end = peek().end;
                ++m_i;
            } else if (peek().op(u"(")) {
                auto call = make(Expr::Kind::Call, peek());
                call->begin = e->begin;
                call->line = e->line;
                call->base = std::move(e);
                ++m_i;
                if (!arguments(*call))
                    return nullptr;
                e = std::move(call);
            } else if (peek().op(u"[")) {
                auto sub = make(Expr::Kind::Subscript, peek());
                sub->begin = e->begin;
                sub->line = e->line;
                sub->base = std::move(e);
                ++m_i;
                if (!sequence(*sub, u"]"))
                    return nullptr;
                e = std::move(sub);
            } else {
                break;
            }
        }
        return e;
    }

private:
    std::unique_ptr<Expr> make(Expr::Kind kind, const Token &t)
    {
        auto e = std::make_unique<Expr>();
        e->kind = kind;
        e->line = t.line;
        e->begin = t.begin;
        e->end = t.end;
        return e;
    }

    std::unique_ptr<Expr> atom()
    {
        if (atEnd())
            return nullptr;
        const Token &t = m_t[m_i];
        switch (t.type) {
        case TokenType::Name: {
            ++m_i;
            if (t.text == u"True")
                return make(Expr::Kind::True, t);
            if (t.text == u"False")
                return make(Expr::Kind::False, t);
            if (t.text == u"None")
                return make(Expr::Kind::None, t);
            static const QSet<QString> keywords = {
                QStringLiteral("lambda"), QStringLiteral("not"),  QStringLiteral("and"),
                QStringLiteral("or"),     QStringLiteral("if"),   QStringLiteral("else"),
                QStringLiteral("for"),    QStringLiteral("in"),   QStringLiteral("is"),
                QStringLiteral("await"),  QStringLiteral("yield")};
            if (keywords.contains(t.text))
                return nullptr;
            auto e = make(Expr::Kind::Name, t);
            e->text = t.text;
            return e;
        }
        case TokenType::Number: {
            ++m_i;
            auto e = make(Expr::Kind::Number, t);
            e->text = t.text;
            return e;
        }
        case TokenType::String: {
            auto e = make(t.isBytes ? Expr::Kind::Bytes : Expr::Kind::String, t);
            // Adjacent literals join, as in Python.
            while (!atEnd() && peek().type == TokenType::String) {
                if (peek().isBytes != t.isBytes)
                    return nullptr;
                e->text += peek().text;
                e->bytes += peek().bytes;
                e->fstring = e->fstring || peek().isFString;
                e->end = peek().end;
                ++m_i;
            }
            return e;
        }
        case TokenType::Op:
            if (t.op(u"(")) {
                auto e = make(Expr::Kind::Tuple, t);
                ++m_i;
                bool trailingComma = false;
                if (!sequence(*e, u")", &trailingComma))
                    return nullptr;
                if (e->items.size() == 1 && !trailingComma) {
                    auto inner = std::move(e->items.front());
                    return inner; // parentheses around one expression
                }
                return e;
            }
            if (t.op(u"[")) {
                auto e = make(Expr::Kind::List, t);
                ++m_i;
                if (!sequence(*e, u"]"))
                    return nullptr;
                return e;
            }
            if (t.op(u"{")) {
                auto e = make(Expr::Kind::Dict, t);
                ++m_i;
                if (!braces(*e))
                    return nullptr;
                return e;
            }
            if (t.op(u"...")) {
                ++m_i;
                return make(Expr::Kind::Ellipsis, t);
            }
            return nullptr;
        }
        return nullptr;
    }

    /// Elements up to `close`, comma-separated; the cursor ends after `close`.
    bool sequence(Expr &into, QStringView close, bool *trailingComma = nullptr)
    {
        for (;;) {
            if (atEnd())
                return false;
            if (peek().op(close)) {
                into.end = peek().end;
                ++m_i;
                return true;
            }
            auto item = expression();
            if (!item)
                return false;
            into.items.push_back(std::move(item));
            if (atEnd())
                return false;
            if (peek().op(u",")) {
                ++m_i;
                if (trailingComma)
                    *trailingComma = true;
                continue;
            }
            if (trailingComma)
                *trailingComma = false;
            if (!peek().op(close))
                return false;
        }
    }

    bool arguments(Expr &call)
    {
        for (;;) {
            if (atEnd())
                return false;
            if (peek().op(u")")) {
                call.end = peek().end;
                ++m_i;
                return true;
            }
            if (peek().type == TokenType::Name && m_i + 1 < m_end && m_t[m_i + 1].op(u"=")) {
                const QString name = peek().text;
                const int line = peek().line;
                m_i += 2;
                auto value = expression();
                if (!value)
                    return false;
                call.keywords.emplace_back(name, std::move(value));
                call.keywordLines.push_back(line);
            } else {
                if (peek().op(u"*") || peek().op(u"**"))
                    return false;
                auto value = expression();
                if (!value)
                    return false;
                call.items.push_back(std::move(value));
            }
            if (atEnd())
                return false;
            if (peek().op(u",")) {
                ++m_i;
                continue;
            }
            if (!peek().op(u")"))
                return false;
        }
    }

    bool braces(Expr &into)
    {
        bool dict = true;
        bool first = true;
        for (;;) {
            if (atEnd())
                return false;
            if (peek().op(u"}")) {
                into.end = peek().end;
                ++m_i;
                if (!dict)
                    into.kind = Expr::Kind::Set;
                return true;
            }
            auto key = expression();
            if (!key || atEnd())
                return false;
            if (first) {
                dict = peek().op(u":");
                first = false;
            }
            into.items.push_back(std::move(key));
            if (dict) {
                if (!peek().op(u":"))
                    return false;
                ++m_i;
                auto value = expression();
                if (!value)
                    return false;
                into.items.push_back(std::move(value));
            }
            if (atEnd())
                return false;
            if (peek().op(u",")) {
                ++m_i;
                continue;
            }
            if (!peek().op(u"}"))
                return false;
        }
    }

    const std::vector<Token> &m_t;
    std::size_t m_i;
    std::size_t m_end;
};

/// The index one past the argument starting at `i` (up to a ',' or the closing bracket at
/// depth 0).
std::size_t argumentEnd(const std::vector<Token> &tokens, std::size_t i, std::size_t end)
{
    int depth = 0;
    for (; i < end; ++i) {
        const Token &t = tokens[i];
        if (t.op(u"(") || t.op(u"[") || t.op(u"{"))
            ++depth;
        else if (t.op(u")") || t.op(u"]") || t.op(u"}")) {
            if (depth == 0)
                return i;
            --depth;
        } else if (t.op(u",") && depth == 0) {
            return i;
        }
    }
    return end;
}

/// The index of the bracket closing the one at `open`, or `end`.
std::size_t closingBracket(const std::vector<Token> &tokens, std::size_t open, std::size_t end)
{
    int depth = 0;
    for (std::size_t i = open; i < end; ++i) {
        const Token &t = tokens[i];
        if (t.op(u"(") || t.op(u"[") || t.op(u"{"))
            ++depth;
        else if ((t.op(u")") || t.op(u"]") || t.op(u"}")) && --depth == 0)
            return i;
    }
    return end;
}

// ---- the model file ----------------------------------------------------------------------

struct ClassInfo;

struct FieldDecl
{
    QString attribute;
    int line = 0;
    const Expr *call = nullptr; ///< the BaseField(...) call
    const ClassInfo *declaredIn = nullptr;
};

struct ClassInfo
{
    QString name;
    QString qualified;
    int line = 0;
    ClassInfo *outer = nullptr;
    std::vector<std::unique_ptr<Expr>> bases;
    std::vector<FieldDecl> fields;
    std::vector<ClassInfo *> nested;
    std::vector<const Statement *> body;
    bool inFunction = false;
    enum class Role { Unknown, Resolving, Other, Map, Table };
    Role role = Role::Unknown;
    bool isModel() const { return role == Role::Map || role == Role::Table; }
};

class Reader
{
public:
    Reader(const QString &fileName, const PythonModel::Options &options)
        : m_fileName(fileName), m_options(options)
    {
    }

    Result<PythonModel> read(const QByteArray &bytes)
    {
        m_source = QString::fromUtf8(bytes);
        Lexer lexer(m_source);
        if (auto f = lexer.run(m_lines))
            return error(*f);
        std::size_t i = 0;
        if (!m_lines.empty()) {
            if (m_lines.front().indent > 0)
                return error(
                    {m_lines.front().line,
                     QStringLiteral("unexpected indentation (Python refuses this line too)")});
            if (auto f = buildBlocks(m_lines, i, 0, m_statements))
                return error(*f);
        }
        if (auto f = collect(m_statements, nullptr, false))
            return error(*f);
        for (auto &c : m_classes) {
            if (auto f = resolveRole(*c))
                return error(*f);
        }
        for (auto &c : m_classes) {
            if (c->isModel()) {
                if (auto f = readBody(*c))
                    return error(*f);
            }
        }
        if (auto f = scanCalls())
            return error(*f);
        return build();
    }

private:
    Error error(const Failure &f) const
    {
        return makeError(ErrorKind::Invalid, f.message,
                         f.line > 0 ? QStringLiteral("%1:%2").arg(m_fileName).arg(f.line)
                                    : m_fileName);
    }

    QString textOf(const Expr &e) const { return simplify(m_source.mid(e.begin, e.end - e.begin)); }
    QString textOf(const std::vector<Token> &tokens, std::size_t begin, std::size_t end) const
    {
        if (begin >= end)
            return {};
        return simplify(
            m_source.mid(tokens[begin].begin, tokens[end - 1].end - tokens[begin].begin));
    }
    static QString simplify(QString s) { return s.simplified(); }

    /// Parses the whole token range as one expression.
    std::unique_ptr<Expr> parseAll(const std::vector<Token> &tokens, std::size_t begin,
                                   std::size_t end)
    {
        ExprParser parser(tokens, begin, end);
        auto e = parser.expression();
        if (!e || !parser.atEnd())
            return nullptr;
        return e;
    }

    // -- classes --

    std::optional<Failure> collect(const std::vector<Statement> &statements, ClassInfo *outer,
                                   bool inFunction)
    {
        for (const Statement &s : statements) {
            const auto &t = s.line->tokens;
            if (t.front().name(u"class")) {
                auto info = std::make_unique<ClassInfo>();
                ClassInfo *c = info.get();
                if (t.size() < 3 || t[1].type != TokenType::Name)
                    return Failure{s.line->line,
                                   QStringLiteral("a class statement is not understood")};
                c->name = t[1].text;
                c->qualified = outer ? outer->qualified + u'.' + c->name : c->name;
                c->line = s.line->line;
                c->outer = outer;
                c->inFunction = inFunction;
                std::size_t i = 2;
                if (t[i].op(u"(")) {
                    const std::size_t close = closingBracket(t, i, t.size());
                    std::size_t a = i + 1;
                    while (a < close) {
                        const std::size_t e = argumentEnd(t, a, close);
                        if (e > a &&
                            !(e - a >= 2 && t[a].type == TokenType::Name && t[a + 1].op(u"="))) {
                            auto base = parseAll(t, a, e);
                            if (!base || base->kind != Expr::Kind::Name)
                                return Failure{
                                    s.line->line,
                                    QStringLiteral("the base class %1 of %2 is not understood")
                                        .arg(textOf(t, a, e), c->name)};
                            c->bases.push_back(std::move(base));
                        }
                        a = e + 1;
                    }
                    i = close + 1;
                }
                if (i >= t.size() || !t[i].op(u":"))
                    return Failure{s.line->line,
                                   QStringLiteral("a class statement is not understood")};
                if (i + 1 < t.size()) {
                    // "class X(MapModel): pass" on one line: the rest is the body.
                    m_inlineBodies.push_back(std::make_unique<Line>());
                    Line *body = m_inlineBodies.back().get();
                    body->indent = s.line->indent + 1;
                    body->line = s.line->line;
                    body->tokens.assign(t.begin() + qsizetype(i) + 1, t.end());
                    m_inlineStatements.push_back(std::make_unique<Statement>());
                    m_inlineStatements.back()->line = body;
                    c->body.push_back(m_inlineStatements.back().get());
                }
                for (const Statement &b : s.body)
                    c->body.push_back(&b);
                if (outer)
                    outer->nested.push_back(c);
                m_classes.push_back(std::move(info));
                if (auto f = collect(s.body, c, inFunction))
                    return f;
                continue;
            }
            const bool function = t.front().name(u"def") ||
                                  (t.front().name(u"async") && t.size() > 1 && t[1].name(u"def"));
            if (auto f = collect(s.body, function ? nullptr : outer, inFunction || function))
                return f;
        }
        return std::nullopt;
    }

    /// The class a (dotted) name means where `scope`'s body is read, as Python resolves it:
    /// the classes of that body defined before `line`, then module-level classes.
    ClassInfo *resolveClass(const QString &dotted, const ClassInfo *scope, int line) const
    {
        const QStringList parts = dotted.split(u'.');
        ClassInfo *found = nullptr;
        if (scope) {
            for (ClassInfo *n : scope->nested) {
                if (n->name == parts.front() && n->line < line)
                    found = n;
            }
        }
        if (!found) {
            for (const auto &c : m_classes) {
                if (!c->outer && !c->inFunction && c->name == parts.front() && c->line < line)
                    found = c.get();
            }
        }
        for (qsizetype i = 1; found && i < parts.size(); ++i) {
            ClassInfo *next = nullptr;
            for (ClassInfo *n : found->nested) {
                if (n->name == parts[i])
                    next = n;
            }
            found = next;
        }
        return found;
    }

    std::optional<Failure> resolveRole(ClassInfo &c)
    {
        if (c.role == ClassInfo::Role::Resolving)
            return Failure{c.line, QStringLiteral("the class %1 derives from itself").arg(c.name)};
        if (c.role != ClassInfo::Role::Unknown)
            return std::nullopt;
        c.role = ClassInfo::Role::Resolving;
        ClassInfo::Role role = ClassInfo::Role::Other;
        QStringList unknown;
        for (const auto &base : c.bases) {
            ClassInfo *b = resolveClass(base->text, c.outer, c.line);
            if (b) {
                if (auto f = resolveRole(*b))
                    return f;
                if (b->role == ClassInfo::Role::Table)
                    role = ClassInfo::Role::Table;
                else if (b->role == ClassInfo::Role::Map && role != ClassInfo::Role::Table)
                    role = ClassInfo::Role::Map;
                else if (b->role == ClassInfo::Role::Other)
                    unknown << base->text;
                continue;
            }
            const QString last = base->lastName();
            if (last == u"TableDataModel")
                role = ClassInfo::Role::Table;
            else if (last == u"MapModel" && role != ClassInfo::Role::Table)
                role = ClassInfo::Role::Map;
            else
                unknown << base->text;
        }
        c.role = role;
        if (c.isModel() && !unknown.isEmpty())
            return Failure{
                c.line,
                QStringLiteral("the model class %1 also derives from %2, whose fields cannot be "
                               "read from this file")
                    .arg(c.name, unknown.join(QStringLiteral(", ")))};
        return std::nullopt;
    }

    std::optional<Failure> readBody(ClassInfo &c)
    {
        for (const Statement *s : c.body) {
            const auto &t = s->line->tokens;
            const int line = s->line->line;
            if (t.front().name(u"class"))
                continue; // nested classes are read on their own
            if (t.front().op(u"@"))
                continue; // decorators of methods
            if (t.front().name(u"def") ||
                (t.front().name(u"async") && t.size() > 1 && t[1].name(u"def"))) {
                const std::size_t nameAt = t.front().name(u"def") ? 1 : 2;
                if (nameAt < t.size() && t[nameAt].name(u"__setup__"))
                    return Failure{
                        line,
                        QStringLiteral("%1.__setup__ adds fields with Python code, which cannot be "
                                       "read; declare them with BaseField(...)")
                            .arg(c.name)};
                continue; // methods declare no fields
            }
            if (t.size() == 1 && (t.front().name(u"pass") || t.front().op(u"...") ||
                                  t.front().type == TokenType::String))
                continue;
            if (t.front().type == TokenType::String) {
                bool allStrings = true;
                for (const Token &x : t)
                    allStrings = allStrings && x.type == TokenType::String;
                if (allStrings)
                    continue; // a docstring
            }
            // name = BaseField(...)   or   name: annotation = BaseField(...)
            std::size_t valueAt = 0;
            if (t.size() >= 3 && t[0].type == TokenType::Name && t[1].op(u"=")) {
                valueAt = 2;
            } else if (t.size() >= 3 && t[0].type == TokenType::Name && t[1].op(u":")) {
                int depth = 0;
                for (std::size_t k = 2; k < t.size() && valueAt == 0; ++k) {
                    if (t[k].op(u"(") || t[k].op(u"[") || t[k].op(u"{"))
                        ++depth;
                    else if (t[k].op(u")") || t[k].op(u"]") || t[k].op(u"}"))
                        --depth;
                    else if (t[k].op(u"=") && depth == 0)
                        valueAt = k + 1;
                }
            }
            if (valueAt == 0)
                return Failure{
                    line, QStringLiteral("\"%1\" is not understood in the model class %2; a model "
                                         "class declares its fields as name = BaseField(...)")
                              .arg(textOf(t, 0, t.size()), c.name)};
            auto value = parseAll(t, valueAt, t.size());
            if (!value && valueAt + 1 < t.size() && t[valueAt].name(u"BaseField") &&
                t[valueAt + 1].op(u"(")) {
                // Name the argument that cannot be read.
                const std::size_t close = closingBracket(t, valueAt + 1, t.size());
                for (std::size_t a = valueAt + 2; a < close;) {
                    const std::size_t e = argumentEnd(t, a, close);
                    const std::size_t from =
                        (e - a >= 2 && t[a].type == TokenType::Name && t[a + 1].op(u"=")) ? a + 2
                                                                                          : a;
                    if (from >= e || !parseAll(t, from, e))
                        return Failure{t[a].line,
                                       QStringLiteral("%1 is not understood").arg(textOf(t, a, e))};
                    a = e + 1;
                }
            }
            if (!value || value->kind != Expr::Kind::Call ||
                value->base->lastName() != u"BaseField")
                return Failure{
                    line,
                    QStringLiteral("%1 = %2 is not understood in the model class %3; a model class "
                                   "declares its fields as name = BaseField(...)")
                        .arg(t[0].text, textOf(t, valueAt, t.size()), c.name)};
            const Expr *call = value.get();
            m_exprs.push_back(std::move(value));
            FieldDecl decl{t[0].text, line, call, &c};
            auto same = std::find_if(c.fields.begin(), c.fields.end(), [&](const FieldDecl &d) {
                return d.attribute == decl.attribute;
            });
            if (same != c.fields.end())
                *same = decl; // reassigned: Python keeps the last value at the first place
            else
                c.fields.push_back(decl);
        }
        return std::nullopt;
    }

    // -- calls outside the model classes --

    struct IndexCall
    {
        int line = 0;
        QString hashKey;
        QString hashKeyType;
        QString sortKey;
        QString sortKeyType;
        QString name;
        QString projection;
        QStringList nonKeyAttributes;
        bool operator==(const IndexCall &o) const
        {
            return hashKey == o.hashKey && hashKeyType == o.hashKeyType && sortKey == o.sortKey &&
                   sortKeyType == o.sortKeyType && name == o.name && projection == o.projection &&
                   nonKeyAttributes == o.nonKeyAttributes;
        }
    };

    std::optional<Failure> scanCalls()
    {
        for (const Line &l : m_lines) {
            const auto &t = l.tokens;
            // Group the keywords of each call by the bracket that holds them.
            std::vector<std::size_t> open;
            QHash<std::size_t, QString> tableNames;
            QHash<std::size_t, QString> dataModels;
            for (std::size_t i = 0; i < t.size(); ++i) {
                if (t[i].op(u"(") || t[i].op(u"[") || t[i].op(u"{")) {
                    open.push_back(i);
                    continue;
                }
                if (t[i].op(u")") || t[i].op(u"]") || t[i].op(u"}")) {
                    if (!open.empty())
                        open.pop_back();
                    continue;
                }
                const std::size_t holder = open.empty() ? std::size_t(-1) : open.back();
                if (t[i].type == TokenType::Name && i + 2 < t.size() && t[i + 1].op(u"=")) {
                    if (t[i].text == u"table_name" && t[i + 2].type == TokenType::String &&
                        !t[i + 2].isFString)
                        tableNames.insert(holder, t[i + 2].text);
                    else if (t[i].text == u"data_model" && t[i + 2].type == TokenType::Name)
                        dataModels.insert(holder, t[i + 2].text);
                }
                if (t[i].type != TokenType::Name || i + 1 >= t.size() || !t[i + 1].op(u"("))
                    continue;
                const QString callee = t[i].text;
                if (callee != u"PrimaryIndex" && callee != u"GlobalSecondaryIndex")
                    continue;
                if (i > 0 && (t[i - 1].name(u"import") || t[i - 1].op(u",")) &&
                    t.front().name(u"from"))
                    continue;
                std::size_t start = i;
                while (start >= 2 && t[start - 1].op(u".") && t[start - 2].type == TokenType::Name)
                    start -= 2;
                const std::size_t close = closingBracket(t, i + 1, t.size());
                auto call = parseAll(t, start, std::min(close + 1, t.size()));
                if (!call)
                    return Failure{t[i].line,
                                   QStringLiteral("%1 is not understood")
                                       .arg(textOf(t, start, std::min(close + 1, t.size())))};
                auto index = indexCall(*call, callee == u"PrimaryIndex");
                if (!index)
                    return index.error();
                (callee == u"PrimaryIndex" ? m_primary : m_secondary).push_back(*index);
            }
            for (auto it = dataModels.cbegin(); it != dataModels.cend(); ++it) {
                m_dataModelNames.insert(it.value());
                if (tableNames.contains(it.key()))
                    m_tableNames.insert(it.value(), tableNames.value(it.key()));
            }
            for (auto it = tableNames.cbegin(); it != tableNames.cend(); ++it) {
                if (!m_anyTableNames.contains(it.value()))
                    m_anyTableNames << it.value();
            }
        }
        return std::nullopt;
    }

    struct IndexResult
    {
        std::optional<IndexCall> call;
        Failure failure;
        bool ok() const { return call.has_value(); }
        explicit operator bool() const { return ok(); }
        const IndexCall &operator*() const { return *call; }
        const Failure &error() const { return failure; }
    };

    IndexResult indexCall(const Expr &call, bool primary)
    {
        IndexCall out;
        out.line = call.line;
        auto fail = [&](int line, const QString &message) {
            return IndexResult{std::nullopt, Failure{line, message}};
        };
        const QString callee =
            primary ? QStringLiteral("PrimaryIndex") : QStringLiteral("GlobalSecondaryIndex");
        if (!call.items.empty())
            return fail(
                call.line,
                QStringLiteral("%1 takes keyword arguments here (%2)").arg(callee, textOf(call)));
        for (std::size_t k = 0; k < call.keywords.size(); ++k) {
            const QString &name = call.keywords[k].first;
            const Expr &v = *call.keywords[k].second;
            const int line = call.keywordLines[k];
            auto text = [&]() -> std::optional<QString> {
                if (v.kind == Expr::Kind::String && !v.fstring)
                    return v.text;
                return std::nullopt;
            };
            auto keyType = [&]() -> std::optional<QString> {
                if (v.kind != Expr::Kind::Name)
                    return std::nullopt;
                const QString t = v.lastName();
                if (t == u"str" || t == u"int" || t == u"float")
                    return t;
                return std::nullopt;
            };
            if (name == u"hash_key_name" || name == u"sort_key_name" ||
                name == u"index_custom_name" || name == u"projection_type") {
                const auto s = text();
                if (!s)
                    return fail(line, QStringLiteral("%1=%2 is not understood; it takes a string")
                                          .arg(name, textOf(v)));
                if (name == u"hash_key_name")
                    out.hashKey = *s;
                else if (name == u"sort_key_name")
                    out.sortKey = *s;
                else if (name == u"index_custom_name")
                    out.name = *s;
                else
                    out.projection = *s;
            } else if (name == u"hash_key_variable_python_type" ||
                       name == u"sort_key_variable_python_type") {
                const auto t = keyType();
                if (!t)
                    return fail(line,
                                QStringLiteral(
                                    "%1=%2 is not understood; a key type is str, int or float in "
                                    "StructDesk's models")
                                    .arg(name, textOf(v)));
                (name == u"hash_key_variable_python_type" ? out.hashKeyType : out.sortKeyType) = *t;
            } else if (name == u"non_key_attributes" && !primary) {
                if (v.kind != Expr::Kind::List && v.kind != Expr::Kind::Tuple)
                    return fail(line,
                                QStringLiteral(
                                    "non_key_attributes=%1 is not understood; it takes a list of "
                                    "strings")
                                    .arg(textOf(v)));
                for (const auto &item : v.items) {
                    if (item->kind != Expr::Kind::String)
                        return fail(line,
                                    QStringLiteral(
                                        "non_key_attributes=%1 is not understood; it takes a list "
                                        "of strings")
                                        .arg(textOf(v)));
                    out.nonKeyAttributes << item->text;
                }
            } else {
                return fail(line,
                            QStringLiteral("%1 has no parameter %2 that StructDesk understands")
                                .arg(callee, name));
            }
        }
        if (out.hashKey.isEmpty())
            return fail(call.line, QStringLiteral("%1(...) has no hash_key_name").arg(callee));
        if (out.hashKeyType.isEmpty())
            out.hashKeyType = QStringLiteral("str");
        if (!out.sortKey.isEmpty() && out.sortKeyType.isEmpty())
            out.sortKeyType = QStringLiteral("str");
        if (!primary) {
            if (out.projection.isEmpty())
                out.projection = QStringLiteral("ALL");
            if (out.projection != u"ALL" && out.projection != u"KEYS_ONLY" &&
                out.projection != u"INCLUDE")
                return fail(
                    call.line,
                    QStringLiteral("projection_type=%1 is not one of ALL, KEYS_ONLY, INCLUDE")
                        .arg(quoted(out.projection)));
            if (!out.nonKeyAttributes.isEmpty() && out.projection != u"INCLUDE")
                return fail(call.line,
                            QStringLiteral("non_key_attributes needs projection_type='INCLUDE' "
                                           "(StructNoSQL raises otherwise)"));
        }
        return IndexResult{out, {}};
    }

    // -- building the model file --

    struct Type
    {
        std::vector<QString> kinds;
        QString model;
        std::optional<Json> items;
        QString keyType;
        bool nullable = false;
    };

    struct Context
    {
        const ClassInfo *scope = nullptr;    ///< where names resolve (the declaring class)
        const ClassInfo *expanded = nullptr; ///< the model being built (ActiveSelf)
        int line = 0;
        QString fieldText; ///< "field_type=..." for messages
    };

    std::optional<Failure> notUnderstood(const Context &ctx, const QString &why) const
    {
        return Failure{ctx.line,
                       QStringLiteral("%1 is not understood (%2)").arg(ctx.fieldText, why)};
    }

    QString modelName(const ClassInfo *c)
    {
        if (auto it = m_modelNames.constFind(c); it != m_modelNames.cend())
            return it.value();
        int sameName = 0;
        for (const auto &other : m_classes) {
            if (other->isModel() && other->role == ClassInfo::Role::Map && other->name == c->name)
                ++sameName;
        }
        const QString name = sameName > 1 ? c->qualified : c->name;
        m_modelNames.insert(c, name);
        m_modelQueue.push_back(c);
        return name;
    }

    static std::optional<QString> scalarName(const QString &last)
    {
        if (last == u"str" || last == u"int" || last == u"float" || last == u"bool" ||
            last == u"bytes")
            return last;
        if (last == u"Decimal")
            return QStringLiteral("decimal");
        if (last == u"Any")
            return QStringLiteral("any");
        return std::nullopt;
    }

    std::optional<Failure> convertType(const Expr &e, const Context &ctx, bool inUnion, Type &out)
    {
        switch (e.kind) {
        case Expr::Kind::Name: {
            const QString last = e.lastName();
            if (auto scalar = scalarName(last)) {
                out.kinds.push_back(*scalar);
                return std::nullopt;
            }
            if (e.text == u"dict" || last == u"Dict") {
                out.kinds.push_back(QStringLiteral("dict"));
                return std::nullopt;
            }
            if (e.text == u"list" || last == u"List") {
                out.kinds.push_back(QStringLiteral("list"));
                return std::nullopt;
            }
            if (e.text == u"set" || last == u"Set")
                return notUnderstood(
                    ctx,
                    QStringLiteral("an untyped set is refused by StructNoSQL "
                                   "(UsageOfUntypedSetException); use Set[str], Set[int], ..."));
            if (last == u"NoneType") {
                if (!inUnion)
                    return notUnderstood(ctx, QStringLiteral("NoneType alone is not a field type"));
                out.nullable = true;
                return std::nullopt;
            }
            if (last == u"ActiveSelf") {
                if (!ctx.expanded || ctx.expanded->role != ClassInfo::Role::Map)
                    return notUnderstood(
                        ctx, QStringLiteral("ActiveSelf can only be used inside a MapModel, as "
                                            "StructNoSQL's documentation says"));
                out.kinds.push_back(QStringLiteral("map"));
                out.model = modelName(ctx.expanded);
                return std::nullopt;
            }
            const ClassInfo *c = resolveClass(e.text, ctx.scope, ctx.line);
            if (c && c->role == ClassInfo::Role::Map) {
                out.kinds.push_back(QStringLiteral("map"));
                out.model = modelName(c);
                return std::nullopt;
            }
            if (c && c->role == ClassInfo::Role::Table)
                return notUnderstood(
                    ctx,
                    QStringLiteral("%1 is a TableDataModel; a field's model must be a MapModel")
                        .arg(e.text));
            if (c)
                return notUnderstood(ctx, QStringLiteral("%1 is not a MapModel").arg(e.text));
            if (last == u"Optional" || last == u"Union")
                return notUnderstood(
                    ctx,
                    QStringLiteral("%1 is not a StructNoSQL field type; use required=False for "
                                   "optional fields and a tuple of types for several")
                        .arg(last));
            return notUnderstood(
                ctx, QStringLiteral("%1 is neither a type StructNoSQL knows nor a MapModel class "
                                    "defined before this line")
                         .arg(e.text));
        }
        case Expr::Kind::Call:
            if (e.base->isName(u"type") && e.items.size() == 1 &&
                e.items[0]->kind == Expr::Kind::None && inUnion) {
                out.nullable = true;
                return std::nullopt;
            }
            return notUnderstood(ctx, QStringLiteral("a call is not a field type"));
        case Expr::Kind::None:
            if (inUnion) {
                out.nullable = true;
                return std::nullopt;
            }
            return notUnderstood(ctx, QStringLiteral("None is not a field type"));
        case Expr::Kind::Subscript: {
            const QString last = e.base->lastName();
            if (last == u"Dict") {
                if (e.items.size() != 2)
                    return notUnderstood(ctx,
                                         QStringLiteral("Dict takes a key type and a value type"));
                const QString key = e.items[0]->lastName();
                if (e.items[0]->kind != Expr::Kind::Name ||
                    (key != u"str" && key != u"int" && key != u"float"))
                    return notUnderstood(ctx,
                                         QStringLiteral("a Dict key type is str, int or float"));
                Json items;
                if (auto f = convertItem(*e.items[1], ctx, items))
                    return f;
                out.kinds.push_back(QStringLiteral("dict"));
                if (key != u"str")
                    out.keyType = key;
                out.items = std::move(items);
                return std::nullopt;
            }
            if (last == u"List") {
                if (e.items.size() != 1)
                    return notUnderstood(ctx, QStringLiteral("List takes one item type"));
                Json items;
                if (auto f = convertItem(*e.items[0], ctx, items))
                    return f;
                out.kinds.push_back(QStringLiteral("list"));
                out.items = std::move(items);
                return std::nullopt;
            }
            if (last == u"Set") {
                if (e.items.size() != 1 || e.items[0]->kind != Expr::Kind::Name)
                    return notUnderstood(
                        ctx, QStringLiteral(
                                 "Set takes one item type: str, int, float, Decimal or bytes"));
                const auto item = scalarName(e.items[0]->lastName());
                if (!item || *item == u"bool" || *item == u"any")
                    return notUnderstood(
                        ctx, QStringLiteral("set items are str, int, float, Decimal or bytes"));
                out.kinds.push_back(QStringLiteral("set"));
                out.items = toStd(*item);
                return std::nullopt;
            }
            if (last == u"Optional" || last == u"Union")
                return notUnderstood(
                    ctx,
                    QStringLiteral("%1 is not a StructNoSQL field type; use required=False for "
                                   "optional fields and a tuple of types for several")
                        .arg(last));
            return notUnderstood(
                ctx, QStringLiteral("%1[...] is not a StructNoSQL field type").arg(e.base->text));
        }
        case Expr::Kind::Tuple: {
            if (inUnion)
                return notUnderstood(ctx, QStringLiteral("a tuple inside a tuple"));
            if (e.items.empty())
                return notUnderstood(
                    ctx, QStringLiteral("an empty tuple of types (StructNoSQL raises)"));
            for (const auto &member : e.items) {
                Type part;
                if (auto f = convertType(*member, ctx, true, part))
                    return f;
                for (const QString &k : part.kinds) {
                    if (std::find(out.kinds.begin(), out.kinds.end(), k) != out.kinds.end())
                        return notUnderstood(ctx,
                                             QStringLiteral("the type %1 is listed twice").arg(k));
                    out.kinds.push_back(k);
                }
                if (!part.model.isEmpty()) {
                    if (!out.model.isEmpty())
                        return notUnderstood(ctx, QStringLiteral("two MapModels in one tuple"));
                    out.model = part.model;
                }
                if (part.items) {
                    if (out.items)
                        return notUnderstood(ctx,
                                             QStringLiteral("two typed containers in one tuple"));
                    out.items = part.items;
                }
                if (!part.keyType.isEmpty())
                    out.keyType = part.keyType;
                out.nullable = out.nullable || part.nullable;
            }
            if (out.kinds.empty())
                return notUnderstood(ctx, QStringLiteral("a tuple with no type but NoneType"));
            return std::nullopt;
        }
        default:
            return notUnderstood(ctx, QStringLiteral("this is not a type"));
        }
    }

    /// The item type of a Dict or List.
    std::optional<Failure> convertItem(const Expr &e, const Context &ctx, Json &out)
    {
        if (e.kind == Expr::Kind::Subscript) {
            const QString last = e.base->lastName();
            if (last == u"List" || last == u"Set")
                return notUnderstood(
                    ctx, QStringLiteral("a List or Set inside a Dict or List is not implemented by "
                                        "StructNoSQL"));
        }
        if (e.kind == Expr::Kind::Name && (e.text == u"set" || e.lastName() == u"Set"))
            return notUnderstood(
                ctx,
                QStringLiteral("a set inside a Dict or List is not implemented by StructNoSQL"));
        Type t;
        if (auto f = convertType(e, ctx, false, t))
            return f;
        if (t.nullable)
            return notUnderstood(ctx, QStringLiteral("the items of a Dict or List cannot be None"));
        Json item = Json::object();
        item["type"] = typeJson(t.kinds);
        if (!t.keyType.isEmpty())
            item["keyType"] = toStd(t.keyType);
        if (t.items)
            item["items"] = *t.items;
        if (!t.model.isEmpty())
            item["model"] = toStd(t.model);
        out = item.size() == 1 ? item["type"] : item;
        return std::nullopt;
    }

    static Json typeJson(const std::vector<QString> &kinds)
    {
        if (kinds.size() == 1)
            return toStd(kinds.front());
        Json list = Json::array();
        for (const QString &k : kinds)
            list.push_back(toStd(k));
        return list;
    }

    std::optional<Failure> literal(const Expr &e, Json &out, int line, const QString &what)
    {
        auto bad = [&] {
            return Failure{
                line, QStringLiteral("%1=%2 is not understood; it takes a literal value (a string, "
                                     "a number, True, False, None, a list or a dict of them)")
                          .arg(what, textOf(e))};
        };
        switch (e.kind) {
        case Expr::Kind::String:
            if (e.fstring)
                return bad();
            out = toStd(e.text);
            return std::nullopt;
        case Expr::Kind::Bytes:
            out = toStd(QString::fromLatin1(e.bytes.toBase64()));
            return std::nullopt;
        case Expr::Kind::True:
            out = true;
            return std::nullopt;
        case Expr::Kind::False:
            out = false;
            return std::nullopt;
        case Expr::Kind::None:
            out = nullptr;
            return std::nullopt;
        case Expr::Kind::Number:
        case Expr::Kind::Neg: {
            const Expr *n = e.kind == Expr::Kind::Neg ? e.base.get() : &e;
            if (n->kind != Expr::Kind::Number)
                return bad();
            QString text = n->text;
            text.remove(u'_');
            if (e.kind == Expr::Kind::Neg)
                text.prepend(u'-');
            if (checkNumber(text).isEmpty()) {
                out = Json::parse(toStd(text), nullptr, false);
                if (!out.is_discarded())
                    return std::nullopt;
            }
            return bad();
        }
        case Expr::Kind::List:
        case Expr::Kind::Tuple:
            out = Json::array();
            for (const auto &item : e.items) {
                Json v;
                if (auto f = literal(*item, v, line, what))
                    return f;
                out.push_back(std::move(v));
            }
            return std::nullopt;
        case Expr::Kind::Dict:
            out = Json::object();
            for (std::size_t i = 0; i + 1 < e.items.size(); i += 2) {
                if (e.items[i]->kind != Expr::Kind::String)
                    return bad();
                Json v;
                if (auto f = literal(*e.items[i + 1], v, line, what))
                    return f;
                out[toStd(e.items[i]->text)] = std::move(v);
            }
            return std::nullopt;
        case Expr::Kind::Call:
            if (e.base->lastName() == u"Decimal" && e.items.size() == 1 && e.keywords.empty()) {
                const Expr &arg = *e.items[0];
                QString text = arg.kind == Expr::Kind::String   ? arg.text
                               : arg.kind == Expr::Kind::Number ? arg.text
                                                                : QString();
                if (!text.isEmpty() && checkNumber(text).isEmpty()) {
                    out = Json::parse(toStd(canonicalNumber(text).replace(u'E', u'e')), nullptr,
                                      false);
                    if (!out.is_discarded())
                        return std::nullopt;
                }
            }
            return bad();
        default:
            return bad();
        }
    }

    /// The field object of a BaseField declaration, read for the model `expanded`.
    std::optional<Failure> fieldJson(const FieldDecl &decl, const ClassInfo *expanded,
                                     QString &name, Json &out)
    {
        const Expr &call = *decl.call;
        if (!call.items.empty())
            return Failure{
                decl.line,
                QStringLiteral("BaseField(%1) is not understood; BaseField takes keyword "
                               "arguments (field_type=..., required=...)")
                    .arg(textOf(*call.items.front()))};
        name = decl.attribute;
        const Expr *fieldType = nullptr;
        bool required = false;
        std::optional<QString> keyName;
        std::optional<int> maxDepth;
        std::optional<Json> defaultValue;
        for (std::size_t k = 0; k < call.keywords.size(); ++k) {
            const QString &param = call.keywords[k].first;
            const Expr &v = *call.keywords[k].second;
            const int line = call.keywordLines[k];
            const QString shown = param + u'=' + textOf(v);
            if (param == u"field_type") {
                fieldType = &v;
            } else if (param == u"required") {
                if (v.kind != Expr::Kind::True && v.kind != Expr::Kind::False)
                    return Failure{
                        line, QStringLiteral("%1 is not understood; required takes True or False")
                                  .arg(shown)};
                required = v.kind == Expr::Kind::True;
            } else if (param == u"key_name") {
                if (v.kind != Expr::Kind::String || v.fstring)
                    return Failure{
                        line,
                        QStringLiteral("%1 is not understood; key_name takes a string").arg(shown)};
                keyName = v.text;
            } else if (param == u"custom_field_name") {
                if (v.kind != Expr::Kind::String || v.fstring)
                    return Failure{
                        line,
                        QStringLiteral("%1 is not understood; custom_field_name takes a string")
                            .arg(shown)};
                name = v.text;
            } else if (param == u"max_nested_depth") {
                bool ok = false;
                const int depth = v.kind == Expr::Kind::Number ? v.text.toInt(&ok) : 0;
                if (!ok)
                    return Failure{
                        line, QStringLiteral(
                                  "%1 is not understood; max_nested_depth takes a whole number")
                                  .arg(shown)};
                if (depth > TableModel::kMaxDepth)
                    return Failure{
                        line, QStringLiteral("%1 is above %2, the deepest nesting DynamoDB allows "
                                             "(StructNoSQL raises)")
                                  .arg(shown)
                                  .arg(TableModel::kMaxDepth)};
                if (depth < 1)
                    return Failure{
                        line, QStringLiteral("%1: max_nested_depth must be at least 1").arg(shown)};
                maxDepth = depth;
            } else if (param == u"custom_default_value") {
                Json value;
                if (auto f = literal(v, value, line, param))
                    return f;
                defaultValue = std::move(value);
            } else if (param == u"not_modifiable") {
                if (v.kind == Expr::Kind::True)
                    return Failure{
                        line,
                        QStringLiteral("not_modifiable=True is not implemented by StructNoSQL (it "
                                       "raises)")};
                if (v.kind != Expr::Kind::False)
                    return Failure{
                        line, QStringLiteral("%1 is not understood; not_modifiable takes False")
                                  .arg(shown)};
            } else if (param == u"write_transformers" || param == u"read_transformers") {
                return Failure{
                    line,
                    QStringLiteral("%1 are Python functions, which StructDesk cannot run; remove "
                                   "them to import the model")
                        .arg(param)};
            } else if (param == u"name") {
                return Failure{
                    line, QStringLiteral(
                              "%1: BaseField has no name parameter in StructNoSQL 2 (older "
                              "documentation pages show one; the library raises TypeError): "
                              "the attribute is the field's name, custom_field_name= renames it")
                              .arg(shown)};
            } else {
                return Failure{
                    line, QStringLiteral("%1: BaseField has no parameter %2").arg(shown, param)};
            }
        }
        if (!fieldType)
            return Failure{
                decl.line,
                QStringLiteral("BaseField for %1 has no field_type").arg(decl.attribute)};
        if (const QString problem = TableModel::checkFieldName(name); !problem.isEmpty())
            return Failure{decl.line, problem};

        Context ctx;
        ctx.scope = decl.declaredIn;
        ctx.expanded = expanded;
        ctx.line = fieldType->line ? fieldType->line : decl.line;
        ctx.fieldText = QStringLiteral("field_type=") + textOf(*fieldType);
        Type type;
        if (auto f = convertType(*fieldType, ctx, false, type))
            return f;
        if (type.nullable && required)
            return Failure{
                ctx.line,
                QStringLiteral("%1 with required=True: a required field cannot be None in "
                               "StructDesk's models; use required=False")
                    .arg(ctx.fieldText)};
        const bool container =
            std::any_of(type.kinds.begin(), type.kinds.end(), [](const QString &k) {
                return k == u"dict" || k == u"list" || k == u"set";
            });
        if (keyName) {
            if (!container)
                return Failure{
                    decl.line,
                    QStringLiteral("key_name is only for Dict, List and Set fields; %1 has %2")
                        .arg(decl.attribute, ctx.fieldText)};
            if (type.kinds.size() > 1)
                return Failure{
                    decl.line,
                    QStringLiteral("key_name with several types: StructNoSQL raises (multiple "
                                   "dictionaries not supported)")};
        }
        out = Json::object();
        out["type"] = typeJson(type.kinds);
        if (required)
            out["required"] = true;
        if (defaultValue)
            out["default"] = *defaultValue;
        if (keyName)
            out["keyName"] = toStd(*keyName);
        if (!type.keyType.isEmpty())
            out["keyType"] = toStd(type.keyType);
        if (type.items)
            out["items"] = *type.items;
        if (!type.model.isEmpty())
            out["model"] = toStd(type.model);
        if (maxDepth)
            out["maxNestedDepth"] = *maxDepth;
        return std::nullopt;
    }

    /// The fields of a model class, inherited ones first, as (declaration, class read for).
    void fieldsOf(const ClassInfo *c, std::vector<FieldDecl> &out,
                  QSet<const ClassInfo *> &visiting) const
    {
        if (visiting.contains(c))
            return;
        visiting.insert(c);
        for (auto it = c->bases.rbegin(); it != c->bases.rend(); ++it) {
            const ClassInfo *b = resolveClass((*it)->text, c->outer, c->line);
            if (b && b->isModel())
                fieldsOf(b, out, visiting);
        }
        for (const FieldDecl &d : c->fields) {
            auto same = std::find_if(out.begin(), out.end(), [&](const FieldDecl &o) {
                return o.attribute == d.attribute;
            });
            if (same != out.end())
                *same = d;
            else
                out.push_back(d);
        }
        visiting.remove(c);
    }

    std::optional<Failure> fieldsJson(const ClassInfo *c, Json &fields,
                                      std::vector<std::pair<QString, int>> *order)
    {
        std::vector<FieldDecl> decls;
        QSet<const ClassInfo *> visiting;
        fieldsOf(c, decls, visiting);
        fields = Json::object();
        QHash<QString, int> lines;
        for (const FieldDecl &d : decls) {
            QString name;
            Json field;
            if (auto f = fieldJson(d, c, name, field))
                return f;
            if (lines.contains(name))
                return Failure{
                    d.line,
                    QStringLiteral("two fields of %1 are stored as %2 (the other on line %3)")
                        .arg(c->name, quoted(name))
                        .arg(lines.value(name))};
            lines.insert(name, d.line);
            fields[toStd(name)] = std::move(field);
            if (order)
                order->emplace_back(name, d.line);
        }
        return std::nullopt;
    }

    Result<PythonModel> build()
    {
        // The table class.
        std::vector<const ClassInfo *> tables;
        for (const auto &c : m_classes) {
            if (c->role == ClassInfo::Role::Table && !c->inFunction)
                tables.push_back(c.get());
        }
        if (tables.empty())
            return makeError(
                ErrorKind::Invalid,
                QStringLiteral(
                    "no class derives from TableDataModel, so there is no table model to read"),
                m_fileName);
        const ClassInfo *table = nullptr;
        QStringList names;
        for (const ClassInfo *t : tables)
            names << t->qualified;
        PythonModel result;
        if (!m_options.tableClass.isEmpty()) {
            for (const ClassInfo *t : tables) {
                if (t->qualified == m_options.tableClass || t->name == m_options.tableClass)
                    table = t;
            }
            if (!table)
                return makeError(
                    ErrorKind::Invalid,
                    QStringLiteral("there is no TableDataModel class %1; the file has %2")
                        .arg(m_options.tableClass, names.join(QStringLiteral(", "))),
                    m_fileName);
        } else if (tables.size() == 1) {
            table = tables.front();
        } else {
            std::vector<const ClassInfo *> used;
            for (const ClassInfo *t : tables) {
                if (m_tableNames.contains(t->name) || m_dataModelNames.contains(t->name))
                    used.push_back(t);
            }
            if (used.size() != 1)
                return makeError(
                    ErrorKind::Invalid,
                    QStringLiteral("%1 classes derive from TableDataModel (%2); choose one with "
                                   "--table-class NAME")
                        .arg(tables.size())
                        .arg(names.join(QStringLiteral(", "))),
                    m_fileName);
            table = used.front();
            result.notes << QStringLiteral(
                                "read %1, the table model a table client uses, out of %2")
                                .arg(table->name, names.join(QStringLiteral(", ")));
        }
        result.tableClass = table->qualified;

        Json fields;
        std::vector<std::pair<QString, int>> order;
        if (auto f = fieldsJson(table, fields, &order))
            return error(*f);

        // The primary index.
        const IndexCall *primary = nullptr;
        if (!m_primary.empty()) {
            std::vector<const IndexCall *> distinct;
            for (const IndexCall &p : m_primary) {
                if (std::none_of(distinct.begin(), distinct.end(),
                                 [&](const IndexCall *d) { return *d == p; }))
                    distinct.push_back(&p);
            }
            if (distinct.size() > 1) {
                std::vector<const IndexCall *> matching;
                for (const IndexCall *p : distinct) {
                    if (fields.contains(toStd(p->hashKey)))
                        matching.push_back(p);
                }
                if (matching.size() != 1) {
                    QStringList lines;
                    for (const IndexCall *p : distinct)
                        lines << QString::number(p->line);
                    return makeError(
                        ErrorKind::Invalid,
                        QStringLiteral(
                            "the PrimaryIndex calls on lines %1 disagree and none matches %2 "
                            "alone")
                            .arg(lines.join(QStringLiteral(", ")), table->name),
                        m_fileName);
                }
                distinct = matching;
            }
            primary = distinct.front();
        }
        QString hashKey;
        QString hashKeyType;
        int hashLine = 0;
        if (primary) {
            hashKey = primary->hashKey;
            hashKeyType = primary->hashKeyType;
            hashLine = primary->line;
        } else {
            if (order.empty())
                return makeError(
                    ErrorKind::Invalid,
                    QStringLiteral(
                        "%1 declares no field and the file has no PrimaryIndex(...): the hash "
                        "key is unknown")
                        .arg(table->name),
                    m_fileName);
            hashKey = order.front().first;
            const Json &first = fields[toStd(hashKey)];
            hashKeyType = first["type"].is_string()
                              ? QString::fromStdString(first["type"].get<std::string>())
                              : QString();
            if (hashKeyType != u"str" && hashKeyType != u"int" && hashKeyType != u"float")
                return error(
                    {order.front().second,
                     QStringLiteral(
                         "the file has no PrimaryIndex(...), so the first field, %1, is the hash "
                         "key "
                         "(as StructNoSQL's documentation says); a hash key is str, int or float")
                         .arg(hashKey)});
            result.notes
                << QStringLiteral(
                       "the file has no PrimaryIndex(...): the hash key is %1, the first field of "
                       "%2, as StructNoSQL's documentation asks")
                       .arg(hashKey, table->name);
        }
        // The key field, when declared, must be required and of the key's type.
        for (const auto &[name, line] : order) {
            if (name != hashKey)
                continue;
            const Json &field = fields[toStd(name)];
            if (!field.contains("required"))
                return error(
                    {line,
                     QStringLiteral("the hash key %1%2 must be declared with required=True")
                         .arg(name, hashLine
                                        ? QStringLiteral(" (PrimaryIndex, line %1)").arg(hashLine)
                                        : QString())});
            if (!field["type"].is_string() ||
                QString::fromStdString(field["type"].get<std::string>()) != hashKeyType)
                return error(
                    {line,
                     QStringLiteral("the hash key %1 is declared %2 but the PrimaryIndex says %3")
                         .arg(name, QString::fromStdString(field["type"].dump()), hashKeyType)});
        }
        if (!fields.contains(toStd(hashKey)))
            result.notes
                << QStringLiteral(
                       "%1 does not declare the hash key %2; the model declares it (required, %3)")
                       .arg(table->name, hashKey, hashKeyType);

        Json document = Json::object();
        QString tableName = m_tableNames.value(table->name);
        if (tableName.isEmpty() && m_anyTableNames.size() == 1)
            tableName = m_anyTableNames.front();
        if (tableName.isEmpty() || !TableModel::checkTableName(tableName).isEmpty()) {
            const QString fallback =
                table->name.size() >= 3
                    ? table->name
                    : table->name + QStringLiteral("___").left(3 - table->name.size());
            if (!tableName.isEmpty())
                result.notes
                    << QStringLiteral(
                           "the table name %1 is not a valid DynamoDB name; the model is named %2")
                           .arg(quoted(tableName), fallback);
            tableName = fallback;
        }
        document["table"] = toStd(tableName);
        Json primaryJson = Json::object();
        primaryJson["hashKey"] = toStd(hashKey);
        primaryJson["hashKeyType"] = toStd(hashKeyType);
        if (primary && !primary->sortKey.isEmpty()) {
            primaryJson["sortKey"] = toStd(primary->sortKey);
            primaryJson["sortKeyType"] = toStd(primary->sortKeyType);
        }
        document["primaryIndex"] = std::move(primaryJson);
        std::vector<const IndexCall *> secondary;
        for (const IndexCall &g : m_secondary) {
            if (std::none_of(secondary.begin(), secondary.end(),
                             [&](const IndexCall *d) { return *d == g; }))
                secondary.push_back(&g);
        }
        if (!secondary.empty()) {
            Json list = Json::array();
            for (const IndexCall *g : secondary) {
                Json index = Json::object();
                if (!g->name.isEmpty())
                    index["name"] = toStd(g->name);
                index["hashKey"] = toStd(g->hashKey);
                index["hashKeyType"] = toStd(g->hashKeyType);
                if (!g->sortKey.isEmpty()) {
                    index["sortKey"] = toStd(g->sortKey);
                    index["sortKeyType"] = toStd(g->sortKeyType);
                }
                index["projection"] = toStd(g->projection);
                if (!g->nonKeyAttributes.isEmpty()) {
                    Json attributes = Json::array();
                    for (const QString &a : g->nonKeyAttributes)
                        attributes.push_back(toStd(a));
                    index["nonKeyAttributes"] = std::move(attributes);
                }
                list.push_back(std::move(index));
            }
            document["secondaryIndexes"] = std::move(list);
        }
        document["fields"] = std::move(fields);

        // Every MapModel reached, each once (recursion included).
        Json models = Json::object();
        for (std::size_t i = 0; i < m_modelQueue.size(); ++i) {
            const ClassInfo *c = m_modelQueue[i];
            Json modelFields;
            if (auto f = fieldsJson(c, modelFields, nullptr))
                return error(*f);
            Json entry = Json::object();
            entry["fields"] = std::move(modelFields);
            models[toStd(m_modelNames.value(c))] = std::move(entry);
        }
        if (!models.empty())
            document["models"] = std::move(models);

        const QByteArray text = QByteArray::fromStdString(document.dump(2));
        auto model = TableModel::fromJson(text, m_fileName);
        if (!model) {
            Error e = model.error();
            e.message =
                QStringLiteral("the model read from the file is refused: %1").arg(e.message);
            return e;
        }
        result.model = *model;
        result.modelJson = (*model)->toJson();
        return result;
    }

    QString m_fileName;
    PythonModel::Options m_options;
    QString m_source;
    std::vector<Line> m_lines;
    std::vector<Statement> m_statements;
    std::vector<std::unique_ptr<Line>> m_inlineBodies;
    std::vector<std::unique_ptr<Statement>> m_inlineStatements;
    std::vector<std::unique_ptr<ClassInfo>> m_classes;
    std::vector<std::unique_ptr<Expr>> m_exprs;
    std::vector<IndexCall> m_primary;
    std::vector<IndexCall> m_secondary;
    QHash<QString, QString> m_tableNames; ///< data_model class name -> table_name
    QSet<QString> m_dataModelNames;
    QStringList m_anyTableNames;
    QHash<const ClassInfo *, QString> m_modelNames;
    std::vector<const ClassInfo *> m_modelQueue;
};

} // namespace

Result<PythonModel> PythonModel::read(const QByteArray &source, const QString &fileName,
                                      const Options &options)
{
    Reader reader(fileName, options);
    return reader.read(source);
}

Result<PythonModel> PythonModel::readFile(const QString &path, const Options &options)
{
    QFile file(path);
    if (!file.exists())
        return makeError(ErrorKind::NotFound, QStringLiteral("the file does not exist"), path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("cannot read the file: %1").arg(file.errorString()), path);
    return read(file.readAll(), path, options);
}
