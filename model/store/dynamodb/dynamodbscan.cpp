// DynamoDbStore's reads of many records: filters as FilterExpressions, scan() and query() (their
// page loop is readPages(), dynamodbpaging.cpp), count().

#include "model/store/dynamodb/dynamodbstore.h"

#include "model/json/jsoncodec.h"
#include "model/store/dynamodb/dynamodbexpression.h"
#include "model/store/dynamodb/dynamodbitem.h"
#include "model/store/dynamodb/dynamodbpaging.h"

#include <algorithm>

using DynamoDb::checkCursor;
using DynamoDb::Expression;
using DynamoDb::JsonBody;
using DynamoDb::keyJson;
using DynamoDb::lastEvaluatedKey;
using DynamoDb::PageRead;
using DynamoDb::readPages;

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
    if (auto s = checkCursor(request.cursor, QStringLiteral("scan")); !s)
        return s.error();

    PageRead read;
    read.operation = QStringLiteral("Scan");
    read.table = table;
    read.limit = std::clamp(request.limit, 1, 100000);
    read.filtered = !filter->isEmpty() || !lowerText.isEmpty();
    read.cursor = request.cursor;
    read.cancelled = request.cancelled;
    read.cancelledMessage = QStringLiteral("the scan was cancelled");
    read.body = [&](int limit, const QByteArray &start) {
        JsonBody body;
        body.string("TableName", table).number("Limit", limit).boolean("ConsistentRead", true);
        if (!filter->isEmpty())
            body.string("FilterExpression", QString::fromUtf8(*filter)).expression(expr);
        if (!start.isEmpty())
            body.raw("ExclusiveStartKey", start);
        return body.take();
    };
    if (!lowerText.isEmpty())
        read.accept = [&](const Value &record) { return matchesText(record, lowerText); };
    read.startAfter = [&](const Value &last) -> Result<QByteArray> {
        const Value *k = last.find(*hashKey);
        if (!k)
            return makeError(ErrorKind::Backend,
                             QStringLiteral("a record of %1 has no key").arg(table));
        return keyJson(*hashKey, *k);
    };
    return readPages(client(), read);
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
    if (auto s = checkCursor(request.cursor, QStringLiteral("query")); !s)
        return s.error();

    PageRead read;
    read.operation = QStringLiteral("Query");
    read.table = table;
    read.limit = std::clamp(request.limit, 1, 100000);
    read.filtered = filtered;
    read.cursor = request.cursor;
    read.body = [&](int limit, const QByteArray &start) {
        JsonBody body;
        body.string("TableName", table);
        if (secondary)
            body.string("IndexName", indexName);
        body.string("KeyConditionExpression", keyCondition).number("Limit", limit);
        if (!secondary) // global secondary indexes refuse consistent reads
            body.boolean("ConsistentRead", true);
        if (filtered)
            body.string("FilterExpression", QString::fromUtf8(*filter));
        if (!start.isEmpty())
            body.raw("ExclusiveStartKey", start);
        body.expression(expr);
        return body.take();
    };
    // The key attributes of a record (the table's and, on an index, the index's) are a valid
    // start key.
    read.startAfter = [&](const Value &last) -> Result<QByteArray> {
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
                return makeError(ErrorKind::Backend,
                                 QStringLiteral("a record of %1 has no %2").arg(table, attribute));
            startKey.insert(attribute, *v);
        }
        return JsonCodec::toDynamoItem(Value::map(startKey));
    };
    return readPages(client(), read);
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
        auto next = lastEvaluatedKey(*response);
        if (!next)
            return next.error();
        if (!next->has_value())
            break;
        start = **next;
    }
    return n;
}
