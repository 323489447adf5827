#pragma once

// Internal to the Python model reader: expressions of the Python subset model files use (names,
// calls, subscripts, literals, tuples, lists, dicts, sets) and their parser. Not part of the
// model layer's interface.

#include "model/schema/python/pythonlexer.h"

#include <memory>
#include <utility>

namespace pythonmodel {

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

    std::unique_ptr<Expr> expression();

private:
    std::unique_ptr<Expr> make(Expr::Kind kind, const Token &t);

    std::unique_ptr<Expr> atom();

    /// Elements up to `close`, comma-separated; the cursor ends after `close`.
    bool sequence(Expr &into, QStringView close, bool *trailingComma = nullptr);

    bool arguments(Expr &call);

    bool braces(Expr &into);

    const std::vector<Token> &m_t;
    std::size_t m_i;
    std::size_t m_end;
};

/// The index one past the argument starting at `i` (up to a ',' or the closing bracket at
/// depth 0).
std::size_t argumentEnd(const std::vector<Token> &tokens, std::size_t i, std::size_t end);

/// The index of the bracket closing the one at `open`, or `end`.
std::size_t closingBracket(const std::vector<Token> &tokens, std::size_t open, std::size_t end);

} // namespace pythonmodel
