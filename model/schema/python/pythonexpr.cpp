// The expression parser of the Python model reader, and the bracket-matching helpers the
// reader uses to find an argument or a call in a line of tokens.

#include "model/schema/python/pythonexpr.h"

#include <QSet>

namespace pythonmodel {

std::unique_ptr<Expr> ExprParser::expression()
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

std::unique_ptr<Expr> ExprParser::make(Expr::Kind kind, const Token &t)
{
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->line = t.line;
    e->begin = t.begin;
    e->end = t.end;
    return e;
}

std::unique_ptr<Expr> ExprParser::atom()
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
bool ExprParser::sequence(Expr &into, QStringView close, bool *trailingComma)
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

bool ExprParser::arguments(Expr &call)
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

bool ExprParser::braces(Expr &into)
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

} // namespace pythonmodel
