#pragma once

// Internal to the Python model reader: the lexer (source text -> logical lines of tokens) and
// the blocks those lines form by indentation. Not part of the model layer's interface.

#include <QByteArray>
#include <QString>
#include <QStringView>

#include <optional>
#include <vector>

namespace pythonmodel {

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

    std::optional<Failure> run(std::vector<Line> &lines);

private:
    static bool isNameChar(QChar c) { return c.isLetterOrNumber() || c == u'_'; }

    /// The token at `i` (a name, a number, an operator); `i` moves past it. An opening bracket
    /// deepens `depth`, a closing one makes it shallower.
    Token nameToken(qsizetype &i, int line) const;
    Token numberToken(qsizetype &i, int line) const;
    Token operatorToken(qsizetype &i, int line, int &depth) const;

    std::optional<Failure> string(qsizetype &i, qsizetype quoteAt, int &line, Token &t);

    const QString &m_s;
};

// ---- statements ----------------------------------------------------------------------------

struct Statement
{
    const Line *line = nullptr;
    std::vector<Statement> body;
};

/// The statements of a block whose lines are indented by `indent`; the lines after a header
/// ("class X:", "def f():", "if ...:") indented deeper are its body.
std::optional<Failure> buildBlocks(const std::vector<Line> &lines, std::size_t &i, int indent,
                                   std::vector<Statement> &out);

} // namespace pythonmodel
