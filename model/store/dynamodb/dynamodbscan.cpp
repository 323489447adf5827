// DynamoDbStore's reads of many records: filters as FilterExpressions, scan() and query() page
// by page, count().

#include "model/store/dynamodb/dynamodbstore.h"

#include "model/json/jsoncodec.h"
#include "model/store/dynamodb/dynamodbexpression.h"
#include "model/store/dynamodb/dynamodbitem.h"

#include <algorithm>

using DynamoDb::Expression;
using DynamoDb::JsonBody;
using DynamoDb::keyJson;

// ---------------------------------------------------------------------------------------------
// Scans

Result<QByteArray> DynamoDbStore::filterExpression(const ScanRequest &request,
                                                   Expression &expr) const
{
    QStringList clauses;
    for (const FilterCondition &c : request.conditions) {
        if (c.path.isEmpty())
            return makeError(ErrorKind::Invalid, QStringLiteral("a filter needs a field path"));
        const QString where = c.path.join(u'.');
        const Value &v = c.operand;
        const bool comparable =
            !(v.isMap() || v.isList() || v.isSet() || v.type() == Value::Type::Binary);
        if (!comparable && c.op != FilterOp::Exists && c.op != FilterOp::NotExists)
            return makeError(
                ErrorKind::Invalid,
                QStringLiteral("filters compare strings, numbers, booleans and null, not %1")
                    .arg(v.typeDescription()),
                where);
        const QString p = expr.path(c.path);
        auto equal = [&] {
            return v.isNull() ? QStringLiteral("attribute_type(%1, %2)")
                                    .arg(p, expr.value(Value::string(QStringLiteral("NULL"))))
                              : QStringLiteral("%1 = %2").arg(p, expr.value(v));
        };
        switch (c.op) {
        case FilterOp::Equal:
            clauses << equal();
            break;
        case FilterOp::NotEqual:
            clauses << QStringLiteral("(attribute_not_exists(%1) OR NOT (%2))").arg(p, equal());
            break;
        case FilterOp::Less:
        case FilterOp::LessEqual:
        case FilterOp::Greater:
        case FilterOp::GreaterEqual: {
            const char *op = c.op == FilterOp::Less        ? "<"
                             : c.op == FilterOp::LessEqual ? "<="
                             : c.op == FilterOp::Greater   ? ">"
                                                           : ">=";
            if (!v.isNumber() && !v.isString())
                return makeError(ErrorKind::Invalid,
                                 QStringLiteral("only numbers and strings can be compared with %1")
                                     .arg(QLatin1String(op)),
                                 where);
            clauses << QStringLiteral("%1 %2 %3").arg(p, QLatin1String(op), expr.value(v));
            break;
        }
        case FilterOp::Contains:
            if (!v.isNumber() && !v.isString())
                return makeError(ErrorKind::Invalid,
                                 QStringLiteral("contains needs a text or a number"), where);
            clauses << QStringLiteral("contains(%1, %2)").arg(p, expr.value(v));
            break;
        case FilterOp::BeginsWith:
            if (!v.isString())
                return makeError(ErrorKind::Invalid, QStringLiteral("begins with needs a text"),
                                 where);
            clauses << QStringLiteral("begins_with(%1, %2)").arg(p, expr.value(v));
            break;
        case FilterOp::Exists:
            clauses << QStringLiteral("attribute_exists(%1)").arg(p);
            break;
        case FilterOp::NotExists:
            clauses << QStringLiteral("attribute_not_exists(%1)").arg(p);
            break;
        }
    }
    const QByteArray text = clauses.join(QStringLiteral(" AND ")).toUtf8();
    if (text.size() > kMaxExpressionLength)
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("the filter is longer than DynamoDB's 4 KB expression "
                                        "limit; use fewer conditions"));
    return text;
}

namespace {

bool matchesText(const Value &record, const QString &lowerText)
{
    return QString::fromUtf8(JsonCodec::toPlain(record)).toLower().contains(lowerText);
}

} // namespace

/// The start key of the next page in a Scan or Query answer (re-encoded DynamoDB JSON), or
/// nullopt after the last page.
static Result<std::optional<QByteArray>> lastEvaluatedKey(const Value &response)
{
    const Value *last = response.find(QStringLiteral("LastEvaluatedKey"));
    if (!last || !last->isMap() || last->size() == 0)
        return std::optional<QByteArray>();
    auto lastKey = JsonCodec::fromDynamoItemTree(*last);
    if (!lastKey)
        return makeError(ErrorKind::Backend,
                         QStringLiteral("DynamoDB answered an unreadable LastEvaluatedKey"));
    return std::optional<QByteArray>(JsonCodec::toDynamoItem(*lastKey));
}

Result<ScanPage> DynamoDbStore::scan(const QString &table, const ScanRequest &request)
{
    if (!request.sortPath.isEmpty())
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral(
                "DynamoDB returns a table's records in its own order; sorting by %1 is not "
                "available on DynamoDB tables")
                .arg(request.sortPath.join(u'.')),
            request.sortPath.join(u'.'));
    auto hashKey = hashKeyOf(table);
    if (!hashKey)
        return hashKey.error();
    Expression expr;
    auto filter = filterExpression(request, expr);
    if (!filter)
        return filter.error();
    const QString lowerText = request.text.toLower();
    const bool filtered = !filter->isEmpty() || !lowerText.isEmpty();
    const int limit = std::clamp(request.limit, 1, 100000);

    QByteArray start = request.cursor;
    if (!start.isEmpty()) {
        auto parsed = JsonCodec::parseDynamoItem(start);
        if (!parsed || !parsed->isMap())
            return makeError(ErrorKind::Invalid,
                             QStringLiteral("the scan cursor is not a DynamoDB key"));
    }
    ScanPage page;
    for (;;) {
        if (request.cancelled && request.cancelled())
            return makeError(ErrorKind::Unavailable, QStringLiteral("the scan was cancelled"));
        const int remaining = limit - int(page.records.size());
        JsonBody body;
        body.string("TableName", table)
            .number("Limit", filtered ? std::max(remaining, 1000) : remaining)
            .boolean("ConsistentRead", true);
        if (!filter->isEmpty())
            body.string("FilterExpression", QString::fromUtf8(*filter)).expression(expr);
        if (!start.isEmpty())
            body.raw("ExclusiveStartKey", start);
        auto response = call(QStringLiteral("Scan"), body.take(), request.cancelled);
        if (!response)
            return response.error();
        bool overflow = false;
        if (const Value *items = response->find(QStringLiteral("Items"));
            items && items->isList()) {
            for (const Value &tree : items->toList()) {
                auto record = JsonCodec::fromDynamoItemTree(tree);
                if (!record)
                    return makeError(ErrorKind::Backend,
                                     QStringLiteral("a record of %1 cannot be read: %2")
                                         .arg(table, record.error().toString()));
                if (!lowerText.isEmpty() && !matchesText(*record, lowerText))
                    continue;
                if (int(page.records.size()) == limit) {
                    overflow = true;
                    break;
                }
                page.records.push_back(std::move(*record));
            }
        }
        if (overflow) {
            // Continue right after the last record returned: its key is a valid start key.
            const Value *k = page.records.back().find(*hashKey);
            if (!k)
                return makeError(ErrorKind::Backend,
                                 QStringLiteral("a record of %1 has no key").arg(table));
            page.nextCursor = keyJson(*hashKey, *k);
            break;
        }
        auto next = lastEvaluatedKey(*response);
        if (!next)
            return next.error();
        if (!next->has_value())
            break;
        start = **next;
        if (int(page.records.size()) == limit) {
            page.nextCursor = start;
            break;
        }
    }
    return page;
}

Result<ScanPage> DynamoDbStore::query(const QString &table, const QueryRequest &request)
{
    auto m = model(table);
    if (!m)
        return m.error();
    auto index = queryIndex(**m, request.index);
    if (!index)
        return index.error();
    auto k = checkIndexKey(*index, request.keyValue);
    if (!k)
        return k.error();
    const QString tableKey = (*m)->hashKey();
    const bool secondary = !request.index.isEmpty();
    // The index name is the one createTable() gives it: "name", else the hash attribute.
    const QString indexName = index->name.isEmpty() ? index->hashKey : index->name;

    Expression expr;
    const QString keyCondition =
        QStringLiteral("%1 = %2").arg(expr.name(index->hashKey), expr.value(*k));
    ScanRequest filterRequest;
    filterRequest.conditions = request.conditions;
    auto filter = filterExpression(filterRequest, expr);
    if (!filter)
        return filter.error();
    const bool filtered = !filter->isEmpty();
    const int limit = std::clamp(request.limit, 1, 100000);

    QByteArray start = request.cursor;
    if (!start.isEmpty()) {
        auto parsed = JsonCodec::parseDynamoItem(start);
        if (!parsed || !parsed->isMap())
            return makeError(ErrorKind::Invalid,
                             QStringLiteral("the query cursor is not a DynamoDB key"));
    }
    ScanPage page;
    for (;;) {
        const int remaining = limit - int(page.records.size());
        JsonBody body;
        body.string("TableName", table);
        if (secondary)
            body.string("IndexName", indexName);
        body.string("KeyConditionExpression", keyCondition)
            .number("Limit", filtered ? std::max(remaining, 1000) : remaining);
        if (!secondary) // global secondary indexes refuse consistent reads
            body.boolean("ConsistentRead", true);
        if (filtered)
            body.string("FilterExpression", QString::fromUtf8(*filter));
        if (!start.isEmpty())
            body.raw("ExclusiveStartKey", start);
        body.expression(expr);
        auto response = call(QStringLiteral("Query"), body.take());
        if (!response)
            return response.error();
        bool overflow = false;
        if (const Value *items = response->find(QStringLiteral("Items"));
            items && items->isList()) {
            for (const Value &tree : items->toList()) {
                auto record = JsonCodec::fromDynamoItemTree(tree);
                if (!record)
                    return makeError(ErrorKind::Backend,
                                     QStringLiteral("a record of %1 cannot be read: %2")
                                         .arg(table, record.error().toString()));
                if (int(page.records.size()) == limit) {
                    overflow = true;
                    break;
                }
                page.records.push_back(std::move(*record));
            }
        }
        if (overflow) {
            // Continue right after the last record returned: its key attributes (the table's
            // and, on an index, the index's) are a valid start key.
            const Value &last = page.records.back();
            Value::Map startKey;
            QStringList attributes{tableKey};
            if (secondary) {
                attributes << index->hashKey;
                if (!index->sortKey.isEmpty())
                    attributes << index->sortKey;
            }
            for (const QString &attribute : attributes) {
                const Value *v = last.find(attribute);
                if (!v)
                    return makeError(
                        ErrorKind::Backend,
                        QStringLiteral("a record of %1 has no %2").arg(table, attribute));
                startKey.insert(attribute, *v);
            }
            page.nextCursor = JsonCodec::toDynamoItem(Value::map(startKey));
            break;
        }
        auto next = lastEvaluatedKey(*response);
        if (!next)
            return next.error();
        if (!next->has_value())
            break;
        start = **next;
        if (int(page.records.size()) == limit) {
            page.nextCursor = start;
            break;
        }
    }
    return page;
}

Result<qint64> DynamoDbStore::count(const QString &table, const ScanRequest &filter)
{
    auto hashKey = hashKeyOf(table);
    if (!hashKey)
        return hashKey.error();
    if (!filter.text.isEmpty()) {
        // Free text is matched here, so the records have to come over.
        ScanRequest request = filter;
        request.sortPath.clear();
        request.limit = 1000;
        request.cursor.clear();
        qint64 n = 0;
        do {
            auto page = scan(table, request);
            if (!page)
                return page.error();
            n += qint64(page->records.size());
            if (filter.counted)
                filter.counted(n);
            request.cursor = page->nextCursor;
        } while (!request.cursor.isEmpty());
        return n;
    }
    Expression expr;
    auto expression = filterExpression(filter, expr);
    if (!expression)
        return expression.error();
    qint64 n = 0;
    QByteArray start;
    for (;;) {
        if (filter.cancelled && filter.cancelled())
            return makeError(ErrorKind::Unavailable, QStringLiteral("the count was cancelled"));
        JsonBody body;
        body.string("TableName", table)
            .string("Select", QStringLiteral("COUNT"))
            .boolean("ConsistentRead", true);
        if (!expression->isEmpty())
            body.string("FilterExpression", QString::fromUtf8(*expression)).expression(expr);
        if (!start.isEmpty())
            body.raw("ExclusiveStartKey", start);
        auto response = call(QStringLiteral("Scan"), body.take(), filter.cancelled);
        if (!response)
            return response.error();
        if (const Value *c = response->find(QStringLiteral("Count")); c && c->isNumber())
            n += c->text().toLongLong();
        if (filter.counted)
            filter.counted(n);
        const Value *last = response->find(QStringLiteral("LastEvaluatedKey"));
        if (!last || !last->isMap() || last->size() == 0)
            break;
        auto lastKey = JsonCodec::fromDynamoItemTree(*last);
        if (!lastKey)
            return makeError(ErrorKind::Backend,
                             QStringLiteral("DynamoDB answered an unreadable LastEvaluatedKey"));
        start = JsonCodec::toDynamoItem(*lastKey);
    }
    return n;
}
