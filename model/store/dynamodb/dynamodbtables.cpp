// DynamoDbStore's tables: listing, describing (with the item count), creating with secondary
// indexes, dropping, and waiting for DynamoDB to finish either.

#include "model/store/dynamodb/dynamodbstore.h"

#include "model/json/jsoncodec.h"
#include "model/store/dynamodb/dynamodbexpression.h"
#include "model/store/dynamodb/dynamodbitem.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QThread>

#include <algorithm>
#include <utility>

using DynamoDb::fieldKindTag;
using DynamoDb::JsonBody;

// ---------------------------------------------------------------------------------------------
// Tables and models

Result<QStringList> DynamoDbStore::listTables()
{
    QStringList names;
    QString start;
    for (;;) {
        JsonBody body;
        body.number("Limit", 100);
        if (!start.isEmpty())
            body.string("ExclusiveStartTableName", start);
        auto response = call(QStringLiteral("ListTables"), body.take());
        if (!response)
            return response.error();
        if (const Value *list = response->find(QStringLiteral("TableNames"));
            list && list->isList()) {
            for (const Value &name : list->toList())
                names << name.text();
        }
        const Value *last = response->find(QStringLiteral("LastEvaluatedTableName"));
        if (!last || !last->isString() || last->text().isEmpty())
            break;
        start = last->text();
    }
    return names;
}

Result<TableInfo> DynamoDbStore::describeTable(const QString &table)
{
    // Listing 50 tables must not read 50 samples of up to 1 MB: the model in force is asked for
    // in describing mode, where loadModel() stops short of the sample and reports the key-only
    // model as pending; that stand-in is forgotten at once, so the table's first real use
    // (model(), asked by every operation) infers the model. A model this connection already
    // holds (attached, or inferred earlier) is reported as it is, at no cost.
    m_describing = true;
    m_inferencePending = false;
    m_description.reset();
    auto m = model(table);
    m_describing = false;
    const bool pending = std::exchange(m_inferencePending, false);
    std::optional<std::pair<QString, Value>> description = std::exchange(m_description, {});
    if (pending)
        invalidateModel(table);
    if (!m)
        return m.error();
    Result<Value> described =
        description && description->first == table
            ? Result<Value>(std::move(description->second))
            : call(QStringLiteral("DescribeTable"), JsonBody().string("TableName", table).take());
    if (!described)
        return described.error();
    TableInfo info;
    info.name = table;
    info.model = *m;
    info.hasModel = (*m)->declaresFields();
    info.inferredFrom = pending ? -1 : m_inferredFrom.value(table, 0);
    if (const Value *t = described->find(QStringLiteral("Table"))) {
        if (const Value *n = t->find(QStringLiteral("ItemCount")); n && n->isNumber())
            info.count = n->text().toLongLong();
    }
    info.countExact = false;
    // DynamoDB refreshes ItemCount about every six hours (dynalite never does): a table filled
    // since says 0. Where a record proves otherwise (the model's sample, or a Scan of one
    // record), the count is unknown.
    if (info.count == 0 && info.inferredFrom > 0) {
        info.count = -1;
    } else if (info.count == 0) {
        auto any = call(QStringLiteral("Scan"), JsonBody()
                                                    .string("TableName", table)
                                                    .number("Limit", 1)
                                                    .string("Select", QStringLiteral("COUNT"))
                                                    .take());
        const Value *n = any ? any->find(QStringLiteral("Count")) : nullptr;
        if (!n || !n->isNumber() || n->text() != u"0")
            info.count = -1;
    }
    // An empty table has nothing to infer from: the key-only model is the answer.
    if (pending && info.count == 0)
        info.inferredFrom = 0;
    return info;
}

Status DynamoDbStore::waitForTable(const QString &table, bool untilGone)
{
    QDeadlineTimer deadline(120 * 1000);
    int pause = 20;
    for (;;) {
        auto described =
            call(QStringLiteral("DescribeTable"), JsonBody().string("TableName", table).take());
        if (!described) {
            if (described.error().kind == ErrorKind::NotFound && untilGone)
                return okStatus();
            if (described.error().kind != ErrorKind::NotFound)
                return described.error();
        } else if (!untilGone) {
            const Value *t = described->find(QStringLiteral("Table"));
            bool active = t && t->find(QStringLiteral("TableStatus")) &&
                          t->find(QStringLiteral("TableStatus"))->text() == u"ACTIVE";
            if (active && t) {
                if (const Value *gsis = t->find(QStringLiteral("GlobalSecondaryIndexes"));
                    gsis && gsis->isList()) {
                    for (const Value &g : gsis->toList()) {
                        const Value *s = g.find(QStringLiteral("IndexStatus"));
                        if (s && s->text() != u"ACTIVE")
                            active = false;
                    }
                }
            }
            if (active)
                return okStatus();
        }
        if (deadline.hasExpired())
            return makeError(ErrorKind::Unavailable,
                             QStringLiteral("table %1 is still %2 after two minutes")
                                 .arg(table, untilGone ? QStringLiteral("being deleted")
                                                       : QStringLiteral("being created")),
                             table);
        QThread::msleep(pause);
        pause = std::min(pause * 2, 500);
    }
}

Status DynamoDbStore::createTable(const QString &table, const TableModel &model)
{
    const QString problem = TableModel::checkTableName(table);
    if (!problem.isEmpty())
        return makeError(ErrorKind::Invalid, problem, table);
    if (!model.primaryIndex().sortKey.isEmpty())
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral(
                "tables with a sort key are not supported: StructNoSQL addresses records by "
                "their hash key alone"),
            table);
    // Every key attribute once, with one type.
    QList<std::pair<QString, QString>> definitions;
    auto define = [&](const QString &name, FieldKind kind) -> Status {
        const QString tag = fieldKindTag(kind);
        for (const auto &[n, t] : definitions) {
            if (n == name) {
                if (t != tag)
                    return makeError(ErrorKind::Invalid,
                                     QStringLiteral("the key attribute %1 is used as %2 and as %3")
                                         .arg(name, t, tag),
                                     table);
                return okStatus();
            }
        }
        definitions.append({name, tag});
        return okStatus();
    };
    if (auto s = define(model.hashKey(), model.hashKeyType()); !s)
        return s;
    auto keySchema = [](const QString &hash, const QString &range) {
        QByteArray out = "[{\"AttributeName\":";
        JsonCodec::appendJsonString(out, hash);
        out += ",\"KeyType\":\"HASH\"}";
        if (!range.isEmpty()) {
            out += ",{\"AttributeName\":";
            JsonCodec::appendJsonString(out, range);
            out += ",\"KeyType\":\"RANGE\"}";
        }
        return out + ']';
    };
    QByteArray indexes;
    for (const IndexSpec &index : model.secondaryIndexes()) {
        if (auto s = define(index.hashKey, index.hashKeyType); !s)
            return s;
        if (!index.sortKey.isEmpty()) {
            if (auto s = define(index.sortKey, index.sortKeyType); !s)
                return s;
        }
        const QString name = index.name.isEmpty() ? index.hashKey : index.name;
        if (const QString p = TableModel::checkTableName(name); !p.isEmpty())
            return makeError(ErrorKind::Invalid, QStringLiteral("index %1: %2").arg(name, p),
                             table);
        QByteArray projection = "{\"ProjectionType\":";
        JsonCodec::appendJsonString(projection, index.projection);
        if (index.projection == u"INCLUDE") {
            projection += ",\"NonKeyAttributes\":[";
            for (qsizetype i = 0; i < index.nonKeyAttributes.size(); ++i) {
                if (i > 0)
                    projection += ',';
                JsonCodec::appendJsonString(projection, index.nonKeyAttributes[i]);
            }
            projection += ']';
        }
        projection += '}';
        indexes += indexes.isEmpty() ? "[" : ",";
        indexes += "{\"IndexName\":";
        JsonCodec::appendJsonString(indexes, name);
        indexes += ",\"KeySchema\":" + keySchema(index.hashKey, index.sortKey) +
                   ",\"Projection\":" + projection + '}';
    }
    QByteArray defs = "[";
    for (qsizetype i = 0; i < definitions.size(); ++i) {
        if (i > 0)
            defs += ',';
        defs += "{\"AttributeName\":";
        JsonCodec::appendJsonString(defs, definitions[i].first);
        defs += ",\"AttributeType\":\"" + definitions[i].second.toLatin1() + "\"}";
    }
    defs += ']';
    JsonBody body;
    body.string("TableName", table)
        .raw("AttributeDefinitions", defs)
        .raw("KeySchema", keySchema(model.hashKey(), {}))
        .string("BillingMode", QStringLiteral("PAY_PER_REQUEST"));
    if (!indexes.isEmpty())
        body.raw("GlobalSecondaryIndexes", indexes + ']');
    auto created = call(QStringLiteral("CreateTable"), body.take());
    if (!created) {
        if (created.error().kind == ErrorKind::Exists)
            return makeError(ErrorKind::Exists,
                             QStringLiteral("table %1 already exists").arg(table), table);
        return created.error();
    }
    if (auto w = waitForTable(table, false); !w)
        return w;
    forgetModel(table);
    if (model.declaresFields())
        return setModel(table, model);
    QFile::remove(modelFile(table));
    return okStatus();
}

Status DynamoDbStore::dropTable(const QString &table)
{
    auto deleted =
        call(QStringLiteral("DeleteTable"), JsonBody().string("TableName", table).take());
    if (!deleted) {
        if (deleted.error().kind == ErrorKind::NotFound)
            return makeError(ErrorKind::NotFound,
                             QStringLiteral("there is no table %1 at %2").arg(table, location()),
                             table);
        return deleted.error();
    }
    forgetModel(table);
    QFile::remove(modelFile(table));
    return waitForTable(table, true);
}
