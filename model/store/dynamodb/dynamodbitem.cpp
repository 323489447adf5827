// DynamoDB items and keys: key JSON, equality, sizes, items read from answers, paths.

#include "model/store/dynamodb/dynamodbitem.h"

#include "model/json/jsoncodec.h"

#include <QSet>

#include <algorithm>

namespace DynamoDb {

QByteArray keyJson(const QString &hashKey, const Value &key)
{
    return JsonCodec::toDynamoItem(Value::map({{hashKey, key}}));
}

QString keyWords(const Value &key)
{
    return key.isString() ? u'"' + key.text() + u'"' : key.text();
}

/// Equal as DynamoDB stores values: numbers compare by value ("1.50" is "1.5").
bool sameValue(const Value &a, const Value &b)
{
    if (a.type() != b.type())
        return false;
    switch (a.type()) {
    case Value::Type::Number:
        return compareNumbers(a.text(), b.text()) == 0;
    case Value::Type::NumberSet: {
        if (a.textItems().size() != b.textItems().size())
            return false;
        QSet<QString> left;
        for (const QString &n : a.textItems())
            left.insert(canonicalNumber(n));
        for (const QString &n : b.textItems()) {
            if (!left.contains(canonicalNumber(n)))
                return false;
        }
        return true;
    }
    case Value::Type::Map: {
        const Value::Map &x = a.toMap();
        const Value::Map &y = b.toMap();
        if (x.size() != y.size())
            return false;
        for (auto it = x.cbegin(); it != x.cend(); ++it) {
            auto other = y.constFind(it.key());
            if (other == y.cend() || !sameValue(it.value(), other.value()))
                return false;
        }
        return true;
    }
    case Value::Type::List: {
        const Value::List &x = a.toList();
        const Value::List &y = b.toList();
        if (x.size() != y.size())
            return false;
        for (qsizetype i = 0; i < x.size(); ++i) {
            if (!sameValue(x[i], y[i]))
                return false;
        }
        return true;
    }
    default:
        return a == b;
    }
}

namespace {

qint64 numberSize(const QString &text)
{
    int digits = 0;
    for (QChar c : text) {
        if (c == u'e' || c == u'E')
            break;
        if (c.isDigit())
            ++digits;
    }
    return (digits + 1) / 2 + 1;
}

} // namespace

qint64 valueSize(const Value &v)
{
    switch (v.type()) {
    case Value::Type::Null:
    case Value::Type::Bool:
        return 1;
    case Value::Type::Number:
        return numberSize(v.text());
    case Value::Type::String:
        return v.text().toUtf8().size();
    case Value::Type::Binary:
        return v.bytes().size();
    case Value::Type::Map: {
        qint64 n = 3;
        const Value::Map &m = v.toMap();
        for (auto it = m.cbegin(); it != m.cend(); ++it)
            n += 1 + it.key().toUtf8().size() + valueSize(it.value());
        return n;
    }
    case Value::Type::List: {
        qint64 n = 3;
        for (const Value &item : v.toList())
            n += 1 + valueSize(item);
        return n;
    }
    case Value::Type::StringSet: {
        qint64 n = 0;
        for (const QString &s : v.textItems())
            n += s.toUtf8().size();
        return n;
    }
    case Value::Type::NumberSet: {
        qint64 n = 0;
        for (const QString &s : v.textItems())
            n += numberSize(s);
        return n;
    }
    case Value::Type::BinarySet: {
        qint64 n = 0;
        for (const QByteArray &b : v.binaryItems())
            n += b.size();
        return n;
    }
    }
    return 0;
}

bool isDocumentPathError(const Error &e)
{
    return e.kind == ErrorKind::Invalid &&
           e.message.contains(QStringLiteral("document path"), Qt::CaseInsensitive);
}

bool pathHasIndex(const ResolvedPath &path)
{
    return std::any_of(path.elements.begin(), path.elements.end(),
                       [](const PathElement &e) { return e.isIndex(); });
}

/// True when one path is a prefix of the other (DynamoDB refuses both in one expression).
bool overlaps(const ResolvedPath &a, const ResolvedPath &b)
{
    const std::size_t n = std::min(a.elements.size(), b.elements.size());
    for (std::size_t i = 0; i < n; ++i) {
        const PathElement &x = a.elements[i];
        const PathElement &y = b.elements[i];
        if (x.isIndex() != y.isIndex() || (x.isIndex() ? x.index != y.index : x.key != y.key))
            return false;
    }
    return true;
}

QString fieldKindTag(FieldKind kind)
{
    switch (kind) {
    case FieldKind::Str:
        return QStringLiteral("S");
    case FieldKind::Bytes:
        return QStringLiteral("B");
    default:
        return QStringLiteral("N");
    }
}

Result<std::optional<Value>> itemFrom(const Value &response, const char *member)
{
    const Value *item = response.find(QString::fromLatin1(member));
    if (!item)
        return std::optional<Value>();
    auto parsed = JsonCodec::fromDynamoItemTree(*item);
    if (!parsed)
        return makeError(ErrorKind::Backend,
                         QStringLiteral("DynamoDB answered with an item that cannot be read: %1")
                             .arg(parsed.error().toString()));
    return std::optional<Value>(std::move(*parsed));
}

} // namespace DynamoDb
