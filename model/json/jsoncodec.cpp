#include "model/json/jsoncodec.h"

#include "model/core/names.h"

#include <nlohmann/json.hpp>

#include <QRegularExpression>
#include <QSet>

#include <cstring>
#include <string>
#include <vector>

namespace JsonCodec {
namespace {

using json = nlohmann::json;

QString fromStd(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

Result<QByteArray> decodeBase64Text(const QString &text, const QString &where)
{
    auto decoded = decodeBase64(QStringView(text));
    if (!decoded)
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("binary data is not valid base64 (standard alphabet, "
                                        "padded with '=' to a multiple of 4 characters): %1")
                             .arg(quotedExcerpt(text, 60)),
                         where);
    return std::move(*decoded);
}

/// Builds a Value from nlohmann's SAX events, keeping the exact text of every number.
class Builder
{
public:
    using number_integer_t = json::number_integer_t;
    using number_unsigned_t = json::number_unsigned_t;
    using number_float_t = json::number_float_t;
    using string_t = json::string_t;
    using binary_t = json::binary_t;

    explicit Builder(bool stored) : m_stored(stored) {}

    bool null() { return put(Value()); }
    bool boolean(bool b) { return put(Value::boolean(b)); }
    bool number_integer(number_integer_t n)
    {
        // nlohmann reports integers written without a minus sign as unsigned: a signed zero
        // here was written "-0", and keeps that text.
        return put(Value::numberUnchecked(n == 0 ? QStringLiteral("-0") : QString::number(n)));
    }
    bool number_unsigned(number_unsigned_t n)
    {
        return put(Value::numberUnchecked(QString::number(n)));
    }
    bool number_float(number_float_t, const string_t &text)
    {
        const QString t = fromStd(text);
        const QString problem = checkNumber(t);
        if (!problem.isEmpty())
            return fail(problem);
        return put(Value::numberUnchecked(t));
    }
    bool string(string_t &s) { return put(Value::string(fromStd(s))); }
    bool binary(binary_t &) { return fail(QStringLiteral("binary JSON values are not supported")); }
    bool start_object(std::size_t)
    {
        if (m_stack.size() >= std::size_t(kMaxParseDepth))
            return fail(QStringLiteral("nested deeper than %1 levels").arg(kMaxParseDepth));
        m_stack.push_back(Frame{true, {}, {}, {}, {}});
        return true;
    }
    bool key(string_t &k)
    {
        Frame &f = m_stack.back();
        QString name = fromStd(k);
        if (!f.tag.isEmpty())
            return fail(
                QStringLiteral("a type tag %1 must be the only member").arg(excerpt(f.tag)));
        if (m_stored && name.startsWith(u'$')) {
            if (name.size() > 1 && name[1] == u'$') {
                name.remove(0, 1);
            } else {
                if (!f.map.isEmpty() || !f.tag.isEmpty())
                    return fail(
                        QStringLiteral("a type tag %1 must be the only member").arg(excerpt(name)));
                f.tag = name;
            }
        } else if (!f.tag.isEmpty()) {
            return fail(
                QStringLiteral("a type tag %1 must be the only member").arg(excerpt(f.tag)));
        }
        f.key = std::move(name);
        return true;
    }
    bool end_object()
    {
        Frame f = std::move(m_stack.back());
        m_stack.pop_back();
        if (!f.tag.isEmpty()) {
            m_stack.push_back(Frame{}); // keep the path for messages
            m_stack.back().key = f.tag;
            auto typed = untag(f.tag, f.map.value(f.tag));
            m_stack.pop_back();
            if (!typed)
                return fail(typed.error().message);
            return put(std::move(*typed));
        }
        return put(Value::map(std::move(f.map)));
    }
    bool start_array(std::size_t)
    {
        if (m_stack.size() >= std::size_t(kMaxParseDepth))
            return fail(QStringLiteral("nested deeper than %1 levels").arg(kMaxParseDepth));
        m_stack.push_back(Frame{false, {}, {}, {}, {}});
        return true;
    }
    bool end_array()
    {
        Frame f = std::move(m_stack.back());
        m_stack.pop_back();
        return put(Value::list(std::move(f.list)));
    }
    bool parse_error(std::size_t position, const std::string &lastToken,
                     const nlohmann::detail::exception &ex)
    {
        if (ex.id == 406) {
            // out_of_range.406: a number beyond a double ("1e400"). DynamoDB's limits say why.
            const QString number = excerptUtf8(lastToken, 60);
            QString problem = checkNumber(number);
            if (problem.isEmpty())
                problem = QStringLiteral("%1 is out of range").arg(number);
            fail(problem);
            if (m_errorPath.isEmpty())
                m_syntaxPosition = position;
            return false;
        }
        m_syntaxPosition = position;
        QString what = excerptUtf8(ex.what());
        // nlohmann says "[json.exception.parse_error.101] parse error at line 1, column 5: ..."
        const qsizetype colon = what.indexOf(QStringLiteral(": "));
        if (colon >= 0)
            what = what.mid(colon + 2);
        what.replace(QStringLiteral("syntax error while parsing value - "), QString());
        what.replace(QStringLiteral("syntax error while parsing object - "), QString());
        what.replace(QStringLiteral("syntax error while parsing array - "), QString());
        m_error = QStringLiteral("malformed JSON: %1").arg(what);
        return false;
    }

    Value m_root;
    QString m_error;
    QString m_errorPath;
    std::size_t m_syntaxPosition = std::string::npos;

private:
    struct Frame
    {
        bool isObject = true;
        Value::Map map;
        Value::List list;
        QString key;
        QString tag;
    };

    bool put(Value v)
    {
        if (m_stack.empty()) {
            m_root = std::move(v);
            return true;
        }
        Frame &f = m_stack.back();
        if (f.isObject) {
            if (f.map.contains(f.key))
                return fail(QStringLiteral("the key %1 appears twice in one object")
                                .arg(quotedExcerpt(f.key)));
            f.map.insert(f.key, std::move(v));
        } else
            f.list.append(std::move(v));
        return true;
    }

    bool fail(const QString &message)
    {
        m_error = message;
        m_errorPath = currentPath();
        return false;
    }

    QString currentPath() const
    {
        QString path;
        for (const Frame &f : m_stack) {
            if (f.isObject) {
                if (!path.isEmpty())
                    path += u'.';
                path += excerpt(f.key, 60);
            } else {
                path += QStringLiteral("[%1]").arg(f.list.size());
            }
        }
        return path;
    }

    static Result<Value> untag(const QString &tag, const Value &inner)
    {
        if (tag == u"$B") {
            if (!inner.isString())
                return makeError(ErrorKind::Invalid, QStringLiteral("$B must hold base64 text"));
            auto bytes = decodeBase64Text(inner.text(), {});
            if (!bytes)
                return bytes.error();
            return Value::binary(std::move(*bytes));
        }
        if (tag != u"$SS" && tag != u"$NS" && tag != u"$BS")
            return makeError(ErrorKind::Invalid,
                             QStringLiteral("unknown type tag %1").arg(excerpt(tag)));
        if (!inner.isList())
            return makeError(ErrorKind::Invalid, QStringLiteral("%1 must hold an array").arg(tag));
        QStringList texts;
        QList<QByteArray> binaries;
        for (const Value &item : inner.toList()) {
            if (tag == u"$NS") {
                if (!item.isNumber())
                    return makeError(ErrorKind::Invalid,
                                     QStringLiteral("$NS items must be numbers"));
                texts.append(item.text());
            } else if (tag == u"$SS") {
                if (!item.isString())
                    return makeError(ErrorKind::Invalid,
                                     QStringLiteral("$SS items must be strings"));
                texts.append(item.text());
            } else {
                if (!item.isString())
                    return makeError(ErrorKind::Invalid,
                                     QStringLiteral("$BS items must be base64 text"));
                auto bytes = decodeBase64Text(item.text(), {});
                if (!bytes)
                    return bytes.error();
                binaries.append(std::move(*bytes));
            }
        }
        if (tag == u"$SS")
            return Value::stringSet(std::move(texts));
        if (tag == u"$NS")
            return Value::numberSet(std::move(texts));
        return Value::binarySet(std::move(binaries));
    }

    bool m_stored;
    std::vector<Frame> m_stack;
};

QString lineColumn(QByteArrayView text, std::size_t position)
{
    int line = 1;
    int column = 1;
    const std::size_t end = std::min<std::size_t>(position, std::size_t(text.size()));
    for (std::size_t i = 0; i + 1 < end; ++i) {
        if (text[qsizetype(i)] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return QStringLiteral("line %1, column %2").arg(line).arg(column);
}

Result<Value> parse(QByteArrayView utf8, bool stored)
{
    // nlohmann ends the input at a NUL byte, which accepted "1\0anything"; JSON never holds one.
    if (const void *nul =
            utf8.isEmpty() ? nullptr : std::memchr(utf8.data(), 0, std::size_t(utf8.size())))
        return makeError(
            ErrorKind::Invalid, QStringLiteral("malformed JSON: unexpected byte 0x00"),
            lineColumn(utf8, std::size_t(static_cast<const char *>(nul) - utf8.data()) + 1));
    Builder builder(stored);
    bool ok = false;
    try {
        ok = json::sax_parse(utf8.begin(), utf8.end(), &builder);
    } catch (const std::exception &e) {
        // Not expected (the SAX interface reports errors itself); never shown as nlohmann's
        // "[json.exception...]" text.
        QString what = excerptUtf8(e.what());
        if (what.startsWith(u'[')) {
            const qsizetype close = what.indexOf(QStringLiteral("] "));
            if (close > 0)
                what = what.mid(close + 2);
        }
        return makeError(ErrorKind::Invalid, QStringLiteral("malformed JSON: %1").arg(what));
    }
    if (ok)
        return std::move(builder.m_root);
    if (builder.m_syntaxPosition != std::string::npos)
        return makeError(ErrorKind::Invalid, builder.m_error,
                         lineColumn(utf8, builder.m_syntaxPosition));
    return makeError(ErrorKind::Invalid, builder.m_error, builder.m_errorPath);
}

void appendNumber(QByteArray &out, const QString &text)
{
    if (isJsonNumberText(text))
        out += text.toLatin1();
    else
        out += canonicalNumber(text).toLatin1();
}

void appendBase64String(QByteArray &out, const QByteArray &bytes)
{
    out += '"';
    out += bytes.toBase64();
    out += '"';
}

/// The dialects a Value is written in: plain JSON; the embedded store's stored JSON (binary
/// values and sets tagged, {"$B": ...}, and keys that start with '$' written with one more);
/// DynamoDB JSON (every value tagged with its type, numbers and number set items as strings).
enum class Dialect { Plain, Stored, Dynamo };

/// Writes `items` as a JSON array, each with `item`.
template <typename Items, typename ItemFn>
void appendArray(QByteArray &out, const Items &items, ItemFn &&item)
{
    out += '[';
    bool first = true;
    for (const auto &each : items) {
        if (!first)
            out += ',';
        first = false;
        item(each);
    }
    out += ']';
}

template <Dialect D> void appendValue(QByteArray &out, const Value &value);

/// Writes the members of a map as a JSON object.
template <Dialect D> void appendMembers(QByteArray &out, const Value::Map &m)
{
    out += '{';
    bool first = true;
    for (auto it = m.cbegin(); it != m.cend(); ++it) {
        if (!first)
            out += ',';
        first = false;
        if (D == Dialect::Stored && it.key().startsWith(u'$'))
            appendJsonString(out, QString(u'$' + it.key()));
        else
            appendJsonString(out, it.key());
        out += ':';
        appendValue<D>(out, it.value());
    }
    out += '}';
}

template <Dialect D> void appendValue(QByteArray &out, const Value &value)
{
    constexpr bool stored = D == Dialect::Stored;
    constexpr bool dynamo = D == Dialect::Dynamo;
    if (dynamo) {
        out += "{\"";
        out += value.typeTag().toLatin1();
        out += "\":";
    }
    switch (value.type()) {
    case Value::Type::Null:
        out += dynamo ? "true" : "null";
        break;
    case Value::Type::Bool:
        out += value.toBool() ? "true" : "false";
        break;
    case Value::Type::Number:
        if (dynamo)
            appendJsonString(out, value.text());
        else
            appendNumber(out, value.text());
        break;
    case Value::Type::String:
        appendJsonString(out, value.text());
        break;
    case Value::Type::Binary:
        if (stored)
            out += "{\"$B\":";
        appendBase64String(out, value.bytes());
        if (stored)
            out += '}';
        break;
    case Value::Type::Map:
        appendMembers<D>(out, value.toMap());
        break;
    case Value::Type::List:
        appendArray(out, value.toList(), [&](const Value &item) { appendValue<D>(out, item); });
        break;
    case Value::Type::StringSet:
    case Value::Type::NumberSet: {
        const bool numbers = value.type() == Value::Type::NumberSet;
        if (stored)
            out += numbers ? "{\"$NS\":" : "{\"$SS\":";
        appendArray(out, value.textItems(), [&](const QString &item) {
            if (numbers && !dynamo)
                appendNumber(out, item);
            else
                appendJsonString(out, item);
        });
        if (stored)
            out += '}';
        break;
    }
    case Value::Type::BinarySet:
        if (stored)
            out += "{\"$BS\":";
        appendArray(out, value.binaryItems(),
                    [&](const QByteArray &item) { appendBase64String(out, item); });
        if (stored)
            out += '}';
        break;
    }
    if (dynamo)
        out += '}';
}

/// The path of a member, for messages (a long key is cut, see excerpt()).
QString joinPath(const QString &path, const QString &key)
{
    return path.isEmpty() ? excerpt(key, 60) : path + u'.' + excerpt(key, 60);
}

} // namespace

Result<Value> parsePlain(QByteArrayView utf8)
{
    return parse(utf8, false);
}

Result<Value> parseStored(QByteArrayView utf8)
{
    return parse(utf8, true);
}

namespace {

/// A parse error of stored JSON as "its stored JSON is damaged (line 1, column 2): ...".
QString damagedStoredJson(const Error &e)
{
    QString what = e.message;
    what.remove(QStringLiteral("malformed JSON: "));
    what.remove(QRegularExpression(QStringLiteral("^syntax error while parsing [a-z ]+ - ")));
    return e.location.isEmpty()
               ? QStringLiteral("its stored JSON is damaged: %1").arg(what)
               : QStringLiteral("its stored JSON is damaged (%1): %2").arg(e.location, what);
}

} // namespace

std::variant<Value, QString> readStoredRecord(QByteArrayView utf8)
{
    auto value = parseStored(utf8);
    if (!value)
        return damagedStoredJson(value.error());
    if (!value->isMap())
        return QStringLiteral("its stored JSON is %1, not a record (an object of attributes)")
            .arg(value->typeDescription());
    return std::move(*value);
}

namespace {

/// The problem with a DynamoDB set's items (DynamoDB refuses empty sets and duplicates), or "".
QString setProblem(const QString &tag, qsizetype size, const QStringList &texts,
                   const QList<QByteArray> &binaries)
{
    if (size == 0)
        return QStringLiteral("%1 holds an empty set, which DynamoDB refuses (leave the "
                              "attribute out instead)")
            .arg(tag);
    QSet<QString> seen;
    seen.reserve(size);
    if (tag == u"BS") {
        QSet<QByteArray> bytes;
        bytes.reserve(size);
        for (const QByteArray &b : binaries) {
            if (bytes.contains(b))
                return QStringLiteral("BS holds the binary value %1 twice; a set cannot hold "
                                      "duplicates")
                    .arg(quotedExcerpt(QString::fromLatin1(b.toBase64()), 60));
            bytes.insert(b);
        }
        return {};
    }
    for (const QString &t : texts) {
        // 1 and 1.0 are the same number, and DynamoDB takes them for duplicates.
        const QString canonical = tag == u"NS" ? canonicalNumber(t) : t;
        if (seen.contains(canonical))
            return QStringLiteral("%1 holds %2 twice; a set cannot hold duplicates")
                .arg(tag, tag == u"NS" ? excerpt(t, 60) : quotedExcerpt(t, 60));
        seen.insert(canonical);
    }
    return {};
}

/// The set of a DynamoDB JSON value tagged SS, NS or BS; `inner` is what the tag holds.
Result<Value> dynamoSetFromTree(const QString &tag, const Value &inner, const QString &path)
{
    auto bad = [&](const QString &message) {
        return Result<Value>(makeError(ErrorKind::Invalid, message, path));
    };
    if (!inner.isList())
        return bad(
            QStringLiteral("%1 must hold an array, not %2").arg(tag, inner.typeDescription()));
    QStringList texts;
    QList<QByteArray> binaries;
    const Value::List &items = inner.toList();
    for (qsizetype i = 0; i < items.size(); ++i) {
        const Value &item = items[i];
        if (!item.isString())
            return bad(QStringLiteral("%1 items must be strings; item %2 is %3")
                           .arg(tag)
                           .arg(i)
                           .arg(item.typeDescription()));
        if (tag == u"NS") {
            const QString problem = checkNumber(item.text());
            if (!problem.isEmpty())
                return bad(problem);
            texts.append(item.text());
        } else if (tag == u"SS") {
            texts.append(item.text());
        } else {
            auto bytes = decodeBase64Text(item.text(), path);
            if (!bytes)
                return bytes.error();
            binaries.append(std::move(*bytes));
        }
    }
    if (const QString problem = setProblem(tag, items.size(), texts, binaries); !problem.isEmpty())
        return bad(problem);
    if (tag == u"SS")
        return Value::stringSet(std::move(texts));
    if (tag == u"NS")
        return Value::numberSet(std::move(texts));
    return Value::binarySet(std::move(binaries));
}

} // namespace

Result<Value> fromDynamoTree(const Value &tree, const QString &path)
{
    auto bad = [&](const QString &message) {
        return Result<Value>(makeError(ErrorKind::Invalid, message, path));
    };
    if (!tree.isMap() || tree.size() != 1) {
        if (tree.isMap() && tree.size() > 1)
            return bad(QStringLiteral("a DynamoDB JSON value has exactly one type tag, not %1 "
                                      "(%2)")
                           .arg(tree.size())
                           .arg(excerpt(tree.toMap().keys().join(QStringLiteral(", ")), 60)));
        return bad(QStringLiteral("a DynamoDB JSON value must be an object with one type tag "
                                  "(S, N, B, BOOL, NULL, M, L, SS, NS, BS), not %1")
                       .arg(tree.typeDescription()));
    }
    const QString tag = tree.toMap().firstKey();
    const Value &inner = tree.toMap().first();
    if (tag == u"S") {
        if (!inner.isString())
            return bad(QStringLiteral("S must hold a string, not %1").arg(inner.typeDescription()));
        return Value::string(inner.text());
    }
    if (tag == u"N") {
        if (!inner.isString())
            return bad(QStringLiteral("N must hold the number as a string (\"N\": \"5\"), not %1")
                           .arg(inner.typeDescription()));
        auto n = Value::number(inner.text());
        if (!n)
            return bad(n.error().message);
        return n;
    }
    if (tag == u"B") {
        if (!inner.isString())
            return bad(
                QStringLiteral("B must hold base64 text, not %1").arg(inner.typeDescription()));
        auto bytes = decodeBase64Text(inner.text(), path);
        if (!bytes)
            return bytes.error();
        return Value::binary(std::move(*bytes));
    }
    if (tag == u"BOOL") {
        if (inner.type() != Value::Type::Bool)
            return bad(QStringLiteral("BOOL must hold true or false, not %1")
                           .arg(inner.typeDescription()));
        return inner;
    }
    if (tag == u"NULL") {
        if (inner.type() != Value::Type::Bool || !inner.toBool())
            return bad(QStringLiteral("NULL must hold true (\"NULL\": true), not %1")
                           .arg(inner.type() == Value::Type::Bool ? QStringLiteral("false")
                                                                  : inner.typeDescription()));
        return Value();
    }
    if (tag == u"M") {
        if (!inner.isMap())
            return bad(
                QStringLiteral("M must hold an object, not %1").arg(inner.typeDescription()));
        Value::Map out;
        const Value::Map &m = inner.toMap();
        out.reserve(m.size());
        for (auto it = m.cbegin(); it != m.cend(); ++it) {
            const QString at = joinPath(path, it.key());
            if (const QString problem = Names::mapKeyProblem(it.key()); !problem.isEmpty())
                return Result<Value>(makeError(ErrorKind::Invalid, problem, at));
            auto v = fromDynamoTree(it.value(), at);
            if (!v)
                return v;
            out.insert(it.key(), std::move(*v));
        }
        return Value::map(std::move(out));
    }
    if (tag == u"L") {
        if (!inner.isList())
            return bad(QStringLiteral("L must hold an array, not %1").arg(inner.typeDescription()));
        Value::List out;
        const Value::List &l = inner.toList();
        out.reserve(l.size());
        for (qsizetype i = 0; i < l.size(); ++i) {
            auto v = fromDynamoTree(l[i], path + QStringLiteral("[%1]").arg(i));
            if (!v)
                return v;
            out.append(std::move(*v));
        }
        return Value::list(std::move(out));
    }
    if (tag == u"SS" || tag == u"NS" || tag == u"BS")
        return dynamoSetFromTree(tag, inner, path);
    return bad(QStringLiteral("unknown DynamoDB type tag %1; the tags are S, N, B, BOOL, NULL, "
                              "M, L, SS, NS and BS")
                   .arg(quotedExcerpt(tag, 60)));
}

Result<Value> fromDynamoItemTree(const Value &tree)
{
    if (!tree.isMap())
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("a DynamoDB JSON item must be an object of attributes, "
                                        "not %1")
                             .arg(tree.typeDescription()));
    Value::Map out;
    const Value::Map &m = tree.toMap();
    out.reserve(m.size());
    for (auto it = m.cbegin(); it != m.cend(); ++it) {
        if (it.key().isEmpty())
            return makeError(ErrorKind::Invalid,
                             QStringLiteral("an attribute name cannot be empty (DynamoDB refuses "
                                            "empty attribute names)"));
        auto v = fromDynamoTree(it.value(), excerpt(it.key(), 60));
        if (!v)
            return v;
        out.insert(it.key(), std::move(*v));
    }
    return Value::map(std::move(out));
}

Result<Value> parseDynamoItem(QByteArrayView utf8)
{
    auto tree = parsePlain(utf8);
    if (!tree)
        return tree;
    return fromDynamoItemTree(*tree);
}

Result<Value> parseDynamoValue(QByteArrayView utf8)
{
    auto tree = parsePlain(utf8);
    if (!tree)
        return tree;
    return fromDynamoTree(*tree);
}

void appendJsonString(QByteArray &out, QStringView text)
{
    const QByteArray utf8 = text.toUtf8();
    out += '"';
    for (char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        default:
            if (u < 0x20) {
                static const char hex[] = "0123456789abcdef";
                out += "\\u00";
                out += hex[u >> 4];
                out += hex[u & 15];
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

QByteArray toPlain(const Value &value)
{
    QByteArray out;
    appendValue<Dialect::Plain>(out, value);
    return out;
}

void appendPlain(QByteArray &out, const Value &value)
{
    appendValue<Dialect::Plain>(out, value);
}

QByteArray toStored(const Value &value)
{
    QByteArray out;
    out.reserve(256);
    appendValue<Dialect::Stored>(out, value);
    return out;
}

void appendStored(QByteArray &out, const Value &value)
{
    appendValue<Dialect::Stored>(out, value);
}

QByteArray toDynamoItem(const Value &item)
{
    QByteArray out;
    appendMembers<Dialect::Dynamo>(out, item.toMap());
    return out;
}

QByteArray toDynamoValue(const Value &value)
{
    QByteArray out;
    appendValue<Dialect::Dynamo>(out, value);
    return out;
}

Value fromNlohmann(const nlohmann::json &j)
{
    switch (j.type()) {
    case json::value_t::null:
        return Value();
    case json::value_t::boolean:
        return Value::boolean(j.get<bool>());
    case json::value_t::number_integer:
        return Value::integer(j.get<qint64>());
    case json::value_t::number_unsigned:
        return Value::numberUnchecked(QString::number(j.get<quint64>()));
    case json::value_t::number_float:
        return Value::numberUnchecked(fromStd(j.dump()));
    case json::value_t::string:
        return Value::string(fromStd(j.get<std::string>()));
    case json::value_t::object: {
        Value::Map m;
        for (auto it = j.begin(); it != j.end(); ++it)
            m.insert(fromStd(it.key()), fromNlohmann(it.value()));
        return Value::map(std::move(m));
    }
    case json::value_t::array: {
        Value::List l;
        for (const auto &item : j)
            l.append(fromNlohmann(item));
        return Value::list(std::move(l));
    }
    default:
        return Value();
    }
}

} // namespace JsonCodec
