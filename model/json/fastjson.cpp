#include "model/json/fastjson.h"

#include "model/json/jsoncodec.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

namespace FastJson {
namespace {

// ---- output -----------------------------------------------------------------------------

/// Appends to a QByteArray through a raw cursor: QByteArray::append costs a call and a
/// capacity check per piece, which dominates when a record is written piece by piece.
class Writer
{
public:
    explicit Writer(QByteArray &out) : m_out(out)
    {
        m_used = out.size();
        // Work in the capacity the caller reserved: resize() within it does not reallocate.
        m_out.resize(std::max(m_out.capacity(), m_used + 256));
    }
    ~Writer() { m_out.resize(m_used); }
    Writer(const Writer &) = delete;
    Writer &operator=(const Writer &) = delete;

    void reserve(qsizetype extra)
    {
        if (m_out.size() - m_used >= extra)
            return;
        const qsizetype wanted = std::max(m_used + extra, m_out.size() * 2 + 256);
        m_out.resize(wanted);
    }
    char *at() { return m_out.data() + m_used; }
    void advance(qsizetype n) { m_used += n; }
    void put(char c)
    {
        reserve(1);
        m_out.data()[m_used++] = c;
    }
    void put(const char *s, qsizetype n)
    {
        reserve(n);
        std::memcpy(m_out.data() + m_used, s, std::size_t(n));
        m_used += n;
    }
    void put(QByteArrayView v) { put(v.data(), v.size()); }
    template <std::size_t N> void lit(const char (&s)[N]) { put(s, qsizetype(N - 1)); }

private:
    QByteArray &m_out;
    qsizetype m_used = 0;
};

/// ASCII characters that JSON strings escape.
constexpr bool needsEscape(char16_t c)
{
    return c < 0x20 || c == u'"' || c == u'\\';
}

void writeString(Writer &w, QStringView text)
{
    // Worst case: every UTF-16 unit becomes 6 bytes (\u00XX), plus the quotes.
    w.reserve(text.size() * 6 + 2);
    char *p = w.at();
    char *const start = p;
    *p++ = '"';
    const char16_t *s = text.utf16();
    const char16_t *const end = s + text.size();
    static const char hex[] = "0123456789abcdef";
    while (s < end) {
        // Runs of plain ASCII, the common case, without the switch below.
        while (s < end && *s < 0x80 && !needsEscape(*s))
            *p++ = char(*s++);
        if (s >= end)
            break;
        const char16_t c = *s++;
        if (c < 0x80) {
            *p++ = '\\';
            switch (c) {
            case u'"':
                *p++ = '"';
                break;
            case u'\\':
                *p++ = '\\';
                break;
            case u'\n':
                *p++ = 'n';
                break;
            case u'\r':
                *p++ = 'r';
                break;
            case u'\t':
                *p++ = 't';
                break;
            case u'\b':
                *p++ = 'b';
                break;
            case u'\f':
                *p++ = 'f';
                break;
            default:
                *p++ = 'u';
                *p++ = '0';
                *p++ = '0';
                *p++ = hex[c >> 4];
                *p++ = hex[c & 15];
            }
        } else if (c < 0x800) {
            *p++ = char(0xC0 | (c >> 6));
            *p++ = char(0x80 | (c & 0x3F));
        } else if (c >= 0xD800 && c <= 0xDBFF && s < end && *s >= 0xDC00 && *s <= 0xDFFF) {
            const char32_t u = 0x10000 + ((char32_t(c) - 0xD800) << 10) + (char32_t(*s++) - 0xDC00);
            *p++ = char(0xF0 | (u >> 18));
            *p++ = char(0x80 | ((u >> 12) & 0x3F));
            *p++ = char(0x80 | ((u >> 6) & 0x3F));
            *p++ = char(0x80 | (u & 0x3F));
        } else if (c >= 0xD800 && c <= 0xDFFF) {
            // A lone surrogate has no UTF-8 form; QString::toUtf8 writes U+FFFD too.
            *p++ = char(0xEF);
            *p++ = char(0xBF);
            *p++ = char(0xBD);
        } else {
            *p++ = char(0xE0 | (c >> 12));
            *p++ = char(0x80 | ((c >> 6) & 0x3F));
            *p++ = char(0x80 | (c & 0x3F));
        }
    }
    *p++ = '"';
    w.advance(p - start);
}

bool isJsonNumber(QStringView t)
{
    qsizetype i = 0;
    const qsizetype n = t.size();
    auto digits = [&] {
        const qsizetype start = i;
        while (i < n && t[i] >= u'0' && t[i] <= u'9')
            ++i;
        return i - start;
    };
    if (i < n && t[i] == u'-')
        ++i;
    if (i < n && t[i] == u'0')
        ++i;
    else if (digits() == 0)
        return false;
    if (i < n && t[i] == u'.') {
        ++i;
        if (digits() == 0)
            return false;
    }
    if (i < n && (t[i] == u'e' || t[i] == u'E')) {
        ++i;
        if (i < n && (t[i] == u'+' || t[i] == u'-'))
            ++i;
        if (digits() == 0)
            return false;
    }
    return i == n;
}

void writeLatin1(Writer &w, QStringView text)
{
    w.reserve(text.size());
    char *p = w.at();
    for (QChar c : text)
        *p++ = char(c.unicode());
    w.advance(text.size());
}

void writeNumber(Writer &w, const QString &text)
{
    if (isJsonNumber(text))
        writeLatin1(w, text);
    else
        writeLatin1(w, canonicalNumber(text));
}

void writeBase64(Writer &w, const QByteArray &bytes)
{
    w.put('"');
    w.put(bytes.toBase64());
    w.put('"');
}

template <bool Stored> void writeValue(Writer &w, const Value &value)
{
    switch (value.type()) {
    case Value::Type::Null:
        w.lit("null");
        break;
    case Value::Type::Bool:
        if (value.toBool())
            w.lit("true");
        else
            w.lit("false");
        break;
    case Value::Type::Number:
        writeNumber(w, value.text());
        break;
    case Value::Type::String:
        writeString(w, value.text());
        break;
    case Value::Type::Binary:
        if (Stored)
            w.lit("{\"$B\":");
        writeBase64(w, value.bytes());
        if (Stored)
            w.put('}');
        break;
    case Value::Type::Map: {
        w.put('{');
        bool first = true;
        const Value::Map &m = value.toMap();
        for (auto it = m.cbegin(); it != m.cend(); ++it) {
            if (!first)
                w.put(',');
            first = false;
            if (Stored && it.key().startsWith(u'$'))
                writeString(w, QString(u'$' + it.key()));
            else
                writeString(w, it.key());
            w.put(':');
            writeValue<Stored>(w, it.value());
        }
        w.put('}');
        break;
    }
    case Value::Type::List: {
        w.put('[');
        bool first = true;
        for (const Value &item : value.toList()) {
            if (!first)
                w.put(',');
            first = false;
            writeValue<Stored>(w, item);
        }
        w.put(']');
        break;
    }
    case Value::Type::StringSet:
    case Value::Type::NumberSet: {
        const bool numbers = value.type() == Value::Type::NumberSet;
        if (Stored) {
            if (numbers)
                w.lit("{\"$NS\":");
            else
                w.lit("{\"$SS\":");
        }
        w.put('[');
        bool first = true;
        for (const QString &item : value.textItems()) {
            if (!first)
                w.put(',');
            first = false;
            if (numbers)
                writeNumber(w, item);
            else
                writeString(w, item);
        }
        w.put(']');
        if (Stored)
            w.put('}');
        break;
    }
    case Value::Type::BinarySet: {
        if (Stored)
            w.lit("{\"$BS\":");
        w.put('[');
        bool first = true;
        for (const QByteArray &item : value.binaryItems()) {
            if (!first)
                w.put(',');
            first = false;
            writeBase64(w, item);
        }
        w.put(']');
        if (Stored)
            w.put('}');
        break;
    }
    }
}

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
            if (!value(v, depth))
                return false;
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
            if (!value(v, depth))
                return false;
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

// ---- stored JSON scanning ----------------------------------------------------------------

/// Walks stored JSON text. The text was written by JsonCodec (or appendStored above), so
/// it is compact and well-formed; the scanner still checks what it walks over and answers
/// false on anything unexpected, so the callers can fall back to the full parser.
class Scanner
{
public:
    Scanner(const char *p, const char *end) : m_p(p), m_end(end) {}

    const char *m_p;
    const char *m_end;

    void space()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
            ++m_p;
    }
    bool eat(char c)
    {
        space();
        if (m_p < m_end && *m_p == c) {
            ++m_p;
            return true;
        }
        return false;
    }
    bool peek(char c)
    {
        space();
        return m_p < m_end && *m_p == c;
    }

    /// The string literal at the cursor, quotes included.
    bool string(QByteArrayView &literal)
    {
        space();
        if (m_p >= m_end || *m_p != '"')
            return false;
        const char *start = m_p++;
        while (m_p < m_end) {
            const char c = *m_p;
            if (c == '"') {
                ++m_p;
                literal = QByteArrayView(start, m_p - start);
                return true;
            }
            if (c == '\\') {
                m_p += 2;
                continue;
            }
            ++m_p;
        }
        return false;
    }

    /// A number, true, false or null token.
    bool token(QByteArrayView &text)
    {
        space();
        const char *start = m_p;
        while (m_p < m_end) {
            const char c = *m_p;
            if (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t')
                break;
            ++m_p;
        }
        text = QByteArrayView(start, m_p - start);
        return !text.isEmpty();
    }

    /// Skips one value.
    bool skip(int depth = 0)
    {
        if (depth > 200)
            return false;
        space();
        if (m_p >= m_end)
            return false;
        if (*m_p == '"') {
            QByteArrayView s;
            return string(s);
        }
        if (*m_p == '{' || *m_p == '[') {
            const char close = *m_p == '{' ? '}' : ']';
            const bool object = *m_p == '{';
            ++m_p;
            if (eat(close))
                return true;
            for (;;) {
                if (object) {
                    QByteArrayView key;
                    if (!string(key) || !eat(':'))
                        return false;
                }
                if (!skip(depth + 1))
                    return false;
                if (eat(','))
                    continue;
                return eat(close);
            }
        }
        QByteArrayView t;
        return token(t);
    }

    /// The tag of a tagged value ({"$B": ...}) at the cursor, or an empty view; the cursor
    /// is left after the tag's ':' when there is one.
    QByteArrayView tag()
    {
        const char *save = m_p;
        space();
        if (m_p >= m_end || *m_p != '{')
            return {};
        ++m_p;
        QByteArrayView key;
        if (!string(key) || key.size() < 3 || key[1] != '$' || key[2] == '$' || !eat(':')) {
            m_p = save;
            return {};
        }
        return key.sliced(1, key.size() - 2);
    }
};

bool plainValue(Scanner &s, Writer &w, int depth);

/// Copies an array whose items are copied as plain JSON.
bool plainArray(Scanner &s, Writer &w, int depth)
{
    if (!s.eat('['))
        return false;
    w.put('[');
    if (s.eat(']')) {
        w.put(']');
        return true;
    }
    for (;;) {
        if (!plainValue(s, w, depth + 1))
            return false;
        if (s.eat(',')) {
            w.put(',');
            continue;
        }
        if (!s.eat(']'))
            return false;
        w.put(']');
        return true;
    }
}

/// A stored key literal written as the plain key: "$$x" -> "$x".
void putKey(Writer &w, QByteArrayView literal)
{
    if (literal.size() >= 3 && literal[1] == '$' && literal[2] == '$') {
        w.put('"');
        w.put(literal.sliced(2));
    } else {
        w.put(literal);
    }
}

/// Copies the members of an object (the cursor is after its '{') up to its '}', each value
/// converted by `value` (plainValue or dynamoValue: a function, so the call stays direct).
bool copyMembers(Scanner &s, Writer &w, int depth, bool (*value)(Scanner &, Writer &, int))
{
    w.put('{');
    if (s.eat('}')) {
        w.put('}');
        return true;
    }
    for (;;) {
        QByteArrayView key;
        if (!s.string(key) || !s.eat(':'))
            return false;
        putKey(w, key);
        w.put(':');
        if (!value(s, w, depth + 1))
            return false;
        if (s.eat(',')) {
            w.put(',');
            continue;
        }
        if (!s.eat('}'))
            return false;
        w.put('}');
        return true;
    }
}

bool plainValue(Scanner &s, Writer &w, int depth)
{
    if (depth > 200)
        return false;
    s.space();
    if (s.m_p >= s.m_end)
        return false;
    const char c = *s.m_p;
    if (c == '"') {
        QByteArrayView lit;
        if (!s.string(lit))
            return false;
        w.put(lit);
        return true;
    }
    if (c == '[')
        return plainArray(s, w, depth);
    if (c == '{') {
        const QByteArrayView tag = s.tag();
        if (!tag.isEmpty()) {
            if (tag == "$B") {
                QByteArrayView lit;
                if (!s.string(lit))
                    return false;
                w.put(lit);
            } else if (tag == "$SS" || tag == "$NS" || tag == "$BS") {
                if (!plainArray(s, w, depth))
                    return false;
            } else {
                return false;
            }
            return s.eat('}');
        }
        ++s.m_p;
        return copyMembers(s, w, depth, plainValue);
    }
    QByteArrayView t;
    if (!s.token(t))
        return false;
    w.put(t);
    return true;
}

bool dynamoValue(Scanner &s, Writer &w, int depth);

bool dynamoMembers(Scanner &s, Writer &w, int depth)
{
    return copyMembers(s, w, depth, dynamoValue);
}

/// The items of a stored set, each as a DynamoDB string ("1" for the number 1).
bool dynamoSetItems(Scanner &s, Writer &w, bool numbers)
{
    if (!s.eat('['))
        return false;
    w.put('[');
    if (s.eat(']')) {
        w.put(']');
        return true;
    }
    for (;;) {
        if (numbers) {
            QByteArrayView t;
            if (!s.token(t))
                return false;
            w.put('"');
            w.put(t);
            w.put('"');
        } else {
            QByteArrayView lit;
            if (!s.string(lit))
                return false;
            w.put(lit);
        }
        if (s.eat(',')) {
            w.put(',');
            continue;
        }
        if (!s.eat(']'))
            return false;
        w.put(']');
        return true;
    }
}

bool dynamoValue(Scanner &s, Writer &w, int depth)
{
    if (depth > 200)
        return false;
    s.space();
    if (s.m_p >= s.m_end)
        return false;
    const char c = *s.m_p;
    if (c == '"') {
        QByteArrayView lit;
        if (!s.string(lit))
            return false;
        w.lit("{\"S\":");
        w.put(lit);
        w.put('}');
        return true;
    }
    if (c == '[') {
        ++s.m_p;
        w.lit("{\"L\":[");
        if (!s.eat(']')) {
            for (;;) {
                if (!dynamoValue(s, w, depth + 1))
                    return false;
                if (s.eat(',')) {
                    w.put(',');
                    continue;
                }
                if (!s.eat(']'))
                    return false;
                break;
            }
        }
        w.lit("]}");
        return true;
    }
    if (c == '{') {
        const QByteArrayView tag = s.tag();
        if (!tag.isEmpty()) {
            if (tag == "$B") {
                QByteArrayView lit;
                if (!s.string(lit))
                    return false;
                w.lit("{\"B\":");
                w.put(lit);
            } else if (tag == "$SS") {
                w.lit("{\"SS\":");
                if (!dynamoSetItems(s, w, false))
                    return false;
            } else if (tag == "$NS") {
                w.lit("{\"NS\":");
                if (!dynamoSetItems(s, w, true))
                    return false;
            } else if (tag == "$BS") {
                w.lit("{\"BS\":");
                if (!dynamoSetItems(s, w, false))
                    return false;
            } else {
                return false;
            }
            w.put('}');
            return s.eat('}');
        }
        ++s.m_p;
        w.lit("{\"M\":");
        if (!dynamoMembers(s, w, depth))
            return false;
        w.put('}');
        return true;
    }
    QByteArrayView t;
    if (!s.token(t))
        return false;
    if (t == "true" || t == "false") {
        w.lit("{\"BOOL\":");
        w.put(t);
        w.put('}');
    } else if (t == "null") {
        w.lit("{\"NULL\":true}");
    } else {
        w.lit("{\"N\":\"");
        w.put(t);
        w.lit("\"}");
    }
    return true;
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
                TextLayout *layout)
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
    return false;
}

void appendPlain(QByteArray &out, const Value &value)
{
    Writer w(out);
    writeValue<false>(w, value);
}

void appendStored(QByteArray &out, const Value &value)
{
    Writer w(out);
    writeValue<true>(w, value);
}

void appendString(QByteArray &out, QStringView text)
{
    Writer w(out);
    writeString(w, text);
}

bool storedToPlain(QByteArrayView stored, QByteArray &out)
{
    Scanner s(stored.data(), stored.data() + stored.size());
    bool ok = false;
    {
        Writer w(out);
        ok = plainValue(s, w, 0);
    }
    s.space();
    return ok && s.m_p == s.m_end;
}

bool storedToDynamoItem(QByteArrayView stored, QByteArray &out)
{
    Scanner s(stored.data(), stored.data() + stored.size());
    bool ok = false;
    {
        Writer w(out);
        ok = s.eat('{') && dynamoMembers(s, w, 0);
    }
    s.space();
    return ok && s.m_p == s.m_end;
}

StoredKind storedKind(QByteArrayView value)
{
    Scanner s(value.data(), value.data() + value.size());
    s.space();
    if (s.m_p >= s.m_end)
        return StoredKind::Invalid;
    switch (*s.m_p) {
    case '"':
        return StoredKind::String;
    case '[':
        return StoredKind::List;
    case 't':
    case 'f':
        return StoredKind::Bool;
    case 'n':
        return StoredKind::Null;
    case '{': {
        const QByteArrayView tag = s.tag();
        if (tag.isEmpty())
            return StoredKind::Map;
        if (tag == "$B")
            return StoredKind::Binary;
        if (tag == "$SS")
            return StoredKind::StringSet;
        if (tag == "$NS")
            return StoredKind::NumberSet;
        if (tag == "$BS")
            return StoredKind::BinarySet;
        return StoredKind::Invalid;
    }
    default:
        return StoredKind::Number;
    }
}

bool forEachStoredMember(QByteArrayView stored,
                         const std::function<bool(QByteArrayView, QByteArrayView)> &member)
{
    Scanner s(stored.data(), stored.data() + stored.size());
    if (!s.eat('{'))
        return false;
    if (s.eat('}'))
        return true;
    for (;;) {
        QByteArrayView key;
        if (!s.string(key) || !s.eat(':'))
            return false;
        s.space();
        const char *start = s.m_p;
        if (!s.skip())
            return false;
        if (!member(key, QByteArrayView(start, s.m_p - start)))
            return true;
        if (s.eat(','))
            continue;
        return s.eat('}');
    }
}

bool unescapeString(QByteArrayView literal, QByteArray &out)
{
    if (literal.size() < 2 || literal.front() != '"' || literal.back() != '"')
        return false;
    const QByteArrayView inner = literal.sliced(1, literal.size() - 2);
    if (!inner.contains('\\')) {
        out.append(inner);
        return true;
    }
    auto parsed = parsePlain(literal);
    if (!parsed || !parsed->isString())
        return false;
    out.append(parsed->text().toUtf8());
    return true;
}

QString storedKeyName(QByteArrayView keyLiteral)
{
    QByteArray utf8;
    if (!unescapeString(keyLiteral, utf8))
        return QString::fromUtf8(keyLiteral);
    if (utf8.startsWith("$$"))
        utf8.remove(0, 1);
    return QString::fromUtf8(utf8);
}

QByteArray storedKeyLiteral(const QString &name)
{
    QByteArray out;
    appendString(out, name.startsWith(u'$') ? QString(u'$' + name) : name);
    return out;
}

bool storedBinaryText(QByteArrayView value, QByteArray &out)
{
    Scanner s(value.data(), value.data() + value.size());
    if (s.tag() != "$B")
        return false;
    QByteArrayView lit;
    if (!s.string(lit) || !s.eat('}'))
        return false;
    return unescapeString(lit, out);
}

} // namespace FastJson
