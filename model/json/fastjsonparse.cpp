// FastJson: the plain JSON parser (parsePlain).

#include "model/json/fastjson.h"

#include "model/core/names.h"

#include "model/json/jsoncodec.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

namespace FastJson {
namespace {

// ---- plain JSON parser ------------------------------------------------------------------

/// Member names (and short values) repeat from record to record: one QString per distinct
/// text, shared, saves an allocation and a conversion per member. Direct-mapped, per thread.
class StringCache
{
public:
    static constexpr qsizetype kMaxLength = 24;

    /// The string for ASCII text of at most kMaxLength bytes.
    const QString &get(const char *p, qsizetype n)
    {
        std::uint32_t h = 2166136261u;
        for (qsizetype i = 0; i < n; ++i)
            h = (h ^ std::uint8_t(p[i])) * 16777619u;
        Entry &e = m_entries[(h ^ (h >> 16)) & (kSize - 1)];
        if (e.length != n || std::memcmp(e.bytes, p, std::size_t(n)) != 0) {
            std::memcpy(e.bytes, p, std::size_t(n));
            e.length = n;
            e.string = QString::fromLatin1(p, n);
        }
        return e.string;
    }

private:
    static constexpr std::size_t kSize = 1024;
    struct Entry
    {
        char bytes[kMaxLength];
        qsizetype length = -1;
        QString string;
    };
    Entry m_entries[kSize];
};

StringCache &stringCache()
{
    thread_local StringCache cache;
    return cache;
}

/// The members of the objects being parsed, one buffer per nesting level, kept from record to
/// record: a map is then allocated once, at its final size, instead of growing member by member.
using MemberBuffers = std::vector<std::vector<Value::Map::Entry>>;

MemberBuffers &memberBuffers()
{
    // Sized once: a level's buffer is used while deeper levels are parsed, so the outer vector
    // must never reallocate.
    thread_local MemberBuffers buffers(std::size_t(JsonCodec::kMaxParseDepth) + 1);
    return buffers;
}

class Parser
{
public:
    Parser(const char *begin, const char *end) : m_begin(begin), m_p(begin), m_end(end) {}

    bool document(Value &out)
    {
        skipSpace();
        if (!value(out, 0))
            return false;
        skipSpace();
        if (m_p != m_end)
            return fail(QStringLiteral("unexpected %1 after the value").arg(describe()));
        return true;
    }

    QString m_error;
    const char *m_errorAt = nullptr;
    const char *m_begin;
    /// The text is well-formed up to the failure, and a value in it is refused (a number out
    /// of DynamoDB's range): m_refusedPath names it, innermost part first.
    bool m_valueRefused = false;
    std::vector<QString> m_refusedPath;

    QString refusedPath() const
    {
        QString path;
        for (auto part = m_refusedPath.rbegin(); part != m_refusedPath.rend(); ++part) {
            if (!path.isEmpty() && !part->startsWith(u'['))
                path += u'.';
            path += *part;
        }
        return path;
    }

private:
    bool fail(const QString &message)
    {
        if (m_error.isEmpty()) {
            m_error = message;
            m_errorAt = m_p;
        }
        return false;
    }

    QString describe() const
    {
        if (m_p >= m_end)
            return QStringLiteral("end of input");
        const unsigned char c = static_cast<unsigned char>(*m_p);
        if (c >= 0x20 && c < 0x7F)
            return QStringLiteral("'%1'").arg(QChar(c));
        return QStringLiteral("byte 0x%1").arg(int(c), 2, 16, QLatin1Char('0'));
    }

    void skipSpace()
    {
        if (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t')) {
            if (m_layout)
                m_layout->storedForm = false;
            while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
                ++m_p;
        }
    }

    bool value(Value &out, int depth)
    {
        if (m_p >= m_end)
            return fail(QStringLiteral("unexpected end of input; expected a value"));
        switch (*m_p) {
        case '{':
            return object(out, depth + 1);
        case '[':
            return array(out, depth + 1);
        case '"': {
            QString s;
            if (!string(s))
                return false;
            out = Value::string(std::move(s));
            return true;
        }
        case 't':
            return literal("true", 4, Value::boolean(true), out);
        case 'f':
            return literal("false", 5, Value::boolean(false), out);
        case 'n':
            return literal("null", 4, Value(), out);
        default:
            if (*m_p == '-' || (*m_p >= '0' && *m_p <= '9'))
                return number(out);
            return fail(QStringLiteral("unexpected %1; expected a value").arg(describe()));
        }
    }

    bool literal(const char *word, qsizetype n, Value v, Value &out)
    {
        if (m_end - m_p < n || std::memcmp(m_p, word, std::size_t(n)) != 0)
            return fail(QStringLiteral("invalid literal; expected %1").arg(QLatin1String(word)));
        m_p += n;
        out = std::move(v);
        return true;
    }

    bool object(Value &out, int depth)
    {
        if (depth > JsonCodec::kMaxParseDepth)
            return fail(
                QStringLiteral("nested deeper than %1 levels").arg(JsonCodec::kMaxParseDepth));
        ++m_p; // '{'
        std::vector<Value::Map::Entry> &members = m_members[std::size_t(depth)];
        members.clear();
        skipSpace();
        if (m_p < m_end && *m_p == '}') {
            ++m_p;
            out = Value::map();
            return true;
        }
        for (;;) {
            skipSpace();
            if (m_p >= m_end || *m_p != '"')
                return fail(QStringLiteral("unexpected %1; expected a member name in quotes")
                                .arg(describe()));
            const char *keyAt = m_p;
            QString key;
            if (!string(key, true))
                return false;
            if (m_layout && key.startsWith(u'$'))
                m_layout->storedForm = false; // stored JSON escapes such names
            skipSpace();
            if (m_p >= m_end || *m_p != ':')
                return fail(QStringLiteral("unexpected %1; expected ':'").arg(describe()));
            ++m_p;
            skipSpace();
            Value v;
            const char *valueAt = m_p;
            if (!value(v, depth)) {
                if (m_valueRefused)
                    m_refusedPath.push_back(excerpt(key, 60));
                return false;
            }
            if (m_layout && depth == 1)
                m_layout->rootMembers.push_back({key, valueAt - m_begin, m_p - m_begin});
            // Keys usually arrive sorted (every export writes them so): they are appended.
            if (members.empty() || Value::Map::keyLess(members.back().key, key)) {
                members.push_back({std::move(key), std::move(v)});
            } else {
                const auto at = std::lower_bound(members.begin(), members.end(), key,
                                                 [](const Value::Map::Entry &e, const QString &k) {
                                                     return Value::Map::keyLess(e.key, k);
                                                 });
                if (at->key == key) {
                    m_p = keyAt;
                    return fail(
                        QStringLiteral("the key \"%1\" appears twice in one object").arg(key));
                }
                members.insert(at, {std::move(key), std::move(v)});
            }
            skipSpace();
            if (m_p < m_end && *m_p == ',') {
                ++m_p;
                continue;
            }
            if (m_p < m_end && *m_p == '}') {
                ++m_p;
                break;
            }
            return fail(QStringLiteral("unexpected %1; expected ',' or '}'").arg(describe()));
        }
        out = Value::map(Value::Map::fromSortedEntries(members.begin(), members.end()));
        members.clear();
        if (members.capacity() > 4096)
            members = {}; // an unusually large object does not keep its memory per thread
        return true;
    }

    bool array(Value &out, int depth)
    {
        if (depth > JsonCodec::kMaxParseDepth)
            return fail(
                QStringLiteral("nested deeper than %1 levels").arg(JsonCodec::kMaxParseDepth));
        ++m_p; // '['
        Value::List items;
        skipSpace();
        if (m_p < m_end && *m_p == ']') {
            ++m_p;
            out = Value::list();
            return true;
        }
        for (;;) {
            skipSpace();
            Value v;
            if (!value(v, depth)) {
                if (m_valueRefused)
                    m_refusedPath.push_back(QStringLiteral("[%1]").arg(items.size()));
                return false;
            }
            items.append(std::move(v));
            skipSpace();
            if (m_p < m_end && *m_p == ',') {
                ++m_p;
                continue;
            }
            if (m_p < m_end && *m_p == ']') {
                ++m_p;
                break;
            }
            return fail(QStringLiteral("unexpected %1; expected ',' or ']'").arg(describe()));
        }
        out = Value::list(std::move(items));
        return true;
    }

    static int hexValue(char c)
    {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    }

    bool hex4(char32_t &u)
    {
        if (m_end - m_p < 4)
            return fail(QStringLiteral("incomplete \\u escape"));
        u = 0;
        for (int i = 0; i < 4; ++i) {
            const int h = hexValue(m_p[i]);
            if (h < 0)
                return fail(QStringLiteral("invalid \\u escape; expected 4 hexadecimal digits"));
            u = (u << 4) | char32_t(h);
        }
        m_p += 4;
        return true;
    }

    static void putUtf8(QByteArray &buf, char32_t u)
    {
        if (u < 0x80) {
            buf += char(u);
        } else if (u < 0x800) {
            buf += char(0xC0 | (u >> 6));
            buf += char(0x80 | (u & 0x3F));
        } else if (u < 0x10000) {
            buf += char(0xE0 | (u >> 12));
            buf += char(0x80 | ((u >> 6) & 0x3F));
            buf += char(0x80 | (u & 0x3F));
        } else {
            buf += char(0xF0 | (u >> 18));
            buf += char(0x80 | ((u >> 12) & 0x3F));
            buf += char(0x80 | ((u >> 6) & 0x3F));
            buf += char(0x80 | (u & 0x3F));
        }
    }

    /// Length of the valid UTF-8 sequence at p (1 to 4), 0 when invalid.
    static int utf8Length(const unsigned char *p, const unsigned char *end)
    {
        const unsigned char c = p[0];
        auto cont = [&](int i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
            return p + i < end && p[i] >= lo && p[i] <= hi;
        };
        if (c >= 0xC2 && c <= 0xDF)
            return cont(1) ? 2 : 0;
        if (c == 0xE0)
            return cont(1, 0xA0) && cont(2) ? 3 : 0;
        if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
            return cont(1) && cont(2) ? 3 : 0;
        if (c == 0xED)
            return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
        if (c == 0xF0)
            return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
        if (c >= 0xF1 && c <= 0xF3)
            return cont(1) && cont(2) && cont(3) ? 4 : 0;
        if (c == 0xF4)
            return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
        return 0;
    }

    bool string(QString &out, bool key = false)
    {
        ++m_p; // opening quote
        const char *start = m_p;
        // Fast path: plain ASCII without escapes.
        while (m_p < m_end) {
            const unsigned char c = static_cast<unsigned char>(*m_p);
            if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
                break;
            ++m_p;
        }
        if (m_p < m_end && *m_p == '"') {
            const qsizetype n = m_p - start;
            if (n <= StringCache::kMaxLength && (key || n <= 12))
                out = m_cache.get(start, n);
            else
                out = QString::fromLatin1(start, n);
            ++m_p;
            return true;
        }
        QByteArray buf(start, m_p - start);
        while (m_p < m_end) {
            const unsigned char c = static_cast<unsigned char>(*m_p);
            if (c == '"') {
                ++m_p;
                out = QString::fromUtf8(buf);
                return true;
            }
            if (c < 0x20)
                return fail(QStringLiteral("control character U+%1 must be escaped in a string")
                                .arg(int(c), 4, 16, QLatin1Char('0')));
            if (c == '\\') {
                ++m_p;
                if (m_p >= m_end)
                    break;
                const char e = *m_p++;
                switch (e) {
                case '"':
                    buf += '"';
                    break;
                case '\\':
                    buf += '\\';
                    break;
                case '/':
                    buf += '/';
                    break;
                case 'b':
                    buf += '\b';
                    break;
                case 'f':
                    buf += '\f';
                    break;
                case 'n':
                    buf += '\n';
                    break;
                case 'r':
                    buf += '\r';
                    break;
                case 't':
                    buf += '\t';
                    break;
                case 'u': {
                    char32_t u = 0;
                    if (!hex4(u))
                        return false;
                    if (u >= 0xD800 && u <= 0xDBFF) {
                        char32_t low = 0;
                        if (m_end - m_p < 2 || m_p[0] != '\\' || m_p[1] != 'u')
                            return fail(QStringLiteral(
                                "surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF"));
                        m_p += 2;
                        if (!hex4(low))
                            return false;
                        if (low < 0xDC00 || low > 0xDFFF)
                            return fail(QStringLiteral(
                                "surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF"));
                        u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
                    } else if (u >= 0xDC00 && u <= 0xDFFF) {
                        return fail(
                            QStringLiteral("surrogate U+DC00..U+DFFF must follow U+D800..U+DBFF"));
                    }
                    putUtf8(buf, u);
                    break;
                }
                default:
                    m_p -= 2; // at the backslash
                    return fail(QStringLiteral("invalid escape \\%1 in a string").arg(QChar(e)));
                }
                continue;
            }
            if (c < 0x80) {
                buf += char(c);
                ++m_p;
                continue;
            }
            const int n = utf8Length(reinterpret_cast<const unsigned char *>(m_p),
                                     reinterpret_cast<const unsigned char *>(m_end));
            if (n == 0)
                return fail(QStringLiteral("invalid UTF-8 in a string"));
            buf.append(m_p, n);
            m_p += n;
        }
        return fail(QStringLiteral("unexpected end of input; a string is not closed"));
    }

    bool number(Value &out)
    {
        const char *start = m_p;
        auto digit = [&] { return m_p < m_end && *m_p >= '0' && *m_p <= '9'; };
        if (*m_p == '-')
            ++m_p;
        qsizetype integerDigits = 0;
        if (m_p < m_end && *m_p == '0') {
            ++m_p;
            integerDigits = 1;
        } else if (digit()) {
            while (digit()) {
                ++m_p;
                ++integerDigits;
            }
        } else {
            return fail(QStringLiteral("invalid number; expected a digit after '-'"));
        }
        bool integral = true;
        if (m_p < m_end && *m_p == '.') {
            integral = false;
            ++m_p;
            if (!digit())
                return fail(QStringLiteral("invalid number; expected a digit after '.'"));
            while (digit())
                ++m_p;
        }
        if (m_p < m_end && (*m_p == 'e' || *m_p == 'E')) {
            integral = false;
            ++m_p;
            if (m_p < m_end && (*m_p == '+' || *m_p == '-'))
                ++m_p;
            if (!digit())
                return fail(QStringLiteral("invalid number; expected a digit in the exponent"));
            while (digit())
                ++m_p;
        }
        QString text = QString::fromLatin1(start, m_p - start);
        if (!integral || integerDigits > 18) {
            const QString problem = checkNumber(text);
            if (!problem.isEmpty()) {
                m_p = start;
                m_valueRefused = true;
                return fail(problem);
            }
        }
        out = Value::numberUnchecked(std::move(text));
        return true;
    }

    const char *m_p;
    const char *m_end;
    StringCache &m_cache = stringCache();
    MemberBuffers &m_members = memberBuffers();

public:
    TextLayout *m_layout = nullptr;
};

QString location(const char *begin, const char *at)
{
    int line = 1;
    const char *lineStart = begin;
    for (const char *p = begin; p < at; ++p) {
        if (*p == '\n') {
            ++line;
            lineStart = p + 1;
        }
    }
    const qsizetype column = at - lineStart + 1;
    if (line == 1)
        return QStringLiteral("column %1").arg(column);
    return QStringLiteral("line %1, column %2").arg(line).arg(column);
}

} // namespace

Result<Value> parsePlain(QByteArrayView utf8)
{
    Parser parser(utf8.data(), utf8.data() + utf8.size());
    Value out;
    if (parser.document(out))
        return out;
    return makeError(ErrorKind::Invalid, QStringLiteral("malformed JSON: %1").arg(parser.m_error),
                     location(parser.m_begin, parser.m_errorAt));
}

bool parsePlain(QByteArrayView utf8, Value &out, QString &error, qsizetype &errorOffset,
                TextLayout *layout, QString *refusedPath)
{
    Parser parser(utf8.data(), utf8.data() + utf8.size());
    if (layout) {
        *layout = TextLayout{};
        parser.m_layout = layout;
    }
    if (parser.document(out))
        return true;
    error = parser.m_error;
    errorOffset = parser.m_errorAt - parser.m_begin;
    if (refusedPath)
        *refusedPath = parser.m_valueRefused ? parser.refusedPath() : QString();
    return false;
}

} // namespace FastJson
