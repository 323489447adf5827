// FastJson: stored JSON (what the embedded store keeps) scanned and turned into the export
// formats as text, without building Values.

#include "model/json/fastjson.h"
#include "model/json/fastjsonwriter.h"

#include "model/json/jsoncodec.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

namespace FastJson {
namespace {

using detail::Writer;

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
