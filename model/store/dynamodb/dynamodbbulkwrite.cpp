// DynamoDbStore::writeBatch(): imports written with BatchWriteItem (records that may replace),
// PartiQL INSERTs in BatchExecuteStatement or conditional PutItems (records that must be new),
// each record's outcome reported, never guessed.

#include "model/store/dynamodb/dynamodbstore.h"

#include "model/json/jsoncodec.h"
#include "model/store/dynamodb/dynamodbbulk.h"
#include "model/store/dynamodb/dynamodbexpression.h"
#include "model/store/dynamodb/dynamodbitem.h"

#include <QSet>

#include <algorithm>
#include <atomic>

using DynamoDb::BulkStop;
using DynamoDb::Expression;
using DynamoDb::FirstError;
using DynamoDb::itemFrom;
using DynamoDb::JsonBody;
using DynamoDb::keyIdentity;
using DynamoDb::keyIdentityInItem;
using DynamoDb::keyJson;
using DynamoDb::mayHaveHappened;
using DynamoDb::sameValue;
using DynamoDb::tableMember;

/// One writeBatch(): the records as DynamoDB items, each record's result and the first failure
/// across the worker threads. Its member functions are the steps of the import, in the order
/// writeBatch() runs them; the worker threads' requests touch only their own records' results.
struct DynamoDbStore::BulkWrite
{
    using State = BulkWriteResult::State;

    BulkWrite(DynamoDbStore &store, const QString &table, const QString &hashKey,
              const std::vector<BulkRecord> &records, std::vector<BulkWriteResult> &results,
              const std::function<bool()> &cancelled);

    /// The records as DynamoDB items; one DynamoDB cannot hold is refused alone. False when
    /// none is left to send.
    bool prepare();
    /// Which keys have a record now (keysPresent()).
    Status findExisting();
    /// BulkWriteMode::Create: PartiQL INSERTs where the server has them, else PutItems.
    Status create();
    void planInserts(const std::vector<std::size_t> &absent);
    bool insertGroup(std::size_t g, DynamoDbClient &client);
    /// BulkWriteMode::Replace: BatchWriteItem, 25 items a request.
    Status replace();
    bool replaceGroup(std::size_t g, DynamoDbClient &client);
    bool putOne(std::size_t i, DynamoDbClient &client, bool conditional);
    bool resolveTaken(std::size_t i, DynamoDbClient &client);
    /// False (the failure set) once the import is cancelled: checked before every request.
    bool goingOn();
    /// After a request of a group: the records the server left undone (`left`) are sent again
    /// after a backoff. False stops the group: cancelled, or none of them done for more than
    /// maxStalled requests (`stalledMessage`, with the records left, the table, the tries).
    bool retryLeft(std::vector<std::size_t> &pending, std::vector<std::size_t> left, int &stalled,
                   const QString &stalledMessage);
    void fail(const DynamoDbClient &client, const QString &operation, Error e);
    static Error cancelledError();

    DynamoDbStore &store;
    const QString &table;
    const QString hashKey;
    const std::vector<BulkRecord> &records;
    std::vector<BulkWriteResult> &results;
    const std::function<bool()> &cancelled;
    /// The import's cancel as the worker threads see it (runConcurrently() polls it).
    BulkStop cancel;
    std::vector<Value> values;
    std::vector<QByteArray> items;
    std::vector<std::size_t> sendable;
    FirstError failure;
    Expression conditionNames;
    QString notExists;
    QByteArray tableJson;
    int maxStalled = 0;
    /// Create: the records sent as PartiQL INSERTs (with their statements), and as PutItems.
    std::vector<std::size_t> insertable;
    std::vector<QByteArray> statements;
    std::vector<std::size_t> singles;
    /// Set by the first insertGroup() when PartiQL is not there.
    std::atomic<bool> missing{false};
};

DynamoDbStore::BulkWrite::BulkWrite(DynamoDbStore &store, const QString &table,
                                    const QString &hashKey, const std::vector<BulkRecord> &records,
                                    std::vector<BulkWriteResult> &results,
                                    const std::function<bool()> &cancelled)
    : store(store), table(table), hashKey(hashKey), records(records), results(results),
      cancelled(cancelled), cancel(cancelled)
{
    notExists = QStringLiteral("attribute_not_exists(%1)").arg(conditionNames.name(hashKey));
    JsonCodec::appendJsonString(tableJson, table);
    maxStalled = store.m_client->options().maxRetries + 1;
}

Status DynamoDbStore::writeBatch(const QString &table, const std::vector<BulkRecord> &records,
                                 BulkWriteMode mode, std::vector<BulkWriteResult> &results,
                                 const std::function<bool()> &cancelled)
{
    if (m_tx) // inside a transaction, writes collect in it
        return RecordStore::writeBatch(table, records, mode, results, cancelled);
    results.assign(records.size(), BulkWriteResult{});
    auto hashKey = hashKeyOf(table);
    if (!hashKey)
        return hashKey.error();
    BulkWrite write(*this, table, *hashKey, records, results, cancelled);
    if (!write.prepare())
        return okStatus();
    if (auto s = write.findExisting(); !s)
        return s;
    return mode == BulkWriteMode::Create ? write.create() : write.replace();
}

bool DynamoDbStore::BulkWrite::prepare()
{
    values.resize(records.size());
    items.resize(records.size());
    sendable.reserve(records.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
        auto parsed = JsonCodec::parseStored(records[i].stored);
        if (!parsed) {
            results[i].message = parsed.error().message;
            continue;
        }
        if (auto s = checkWritable(*parsed, records[i].key); !s) {
            results[i].message = s.error().message;
            continue;
        }
        items[i] = JsonCodec::toDynamoItem(*parsed);
        values[i] = std::move(*parsed);
        sendable.push_back(i);
    }
    return !sendable.empty();
}

Status DynamoDbStore::BulkWrite::findExisting()
{
    // Which keys have a record now: Create sends no put for them (and tells a put refused
    // later from one of its own whose answer was lost); Replace reports them as replaced.
    std::vector<Value> keys;
    keys.reserve(sendable.size());
    for (std::size_t i : sendable)
        keys.push_back(records[i].key);
    auto existed = store.keysPresent(table, keys, cancelled);
    if (!existed)
        return existed.error();
    for (std::size_t k = 0; k < sendable.size(); ++k)
        results[sendable[k]].existed = (*existed)[k];
    return okStatus();
}

Status DynamoDbStore::BulkWrite::create()
{
    std::vector<std::size_t> absent;
    for (std::size_t i : sendable) {
        if (results[i].existed) {
            results[i].existed = false;
            results[i].state = State::Exists;
        } else {
            absent.push_back(i);
        }
    }
    planInserts(absent);
    const std::size_t groups = (insertable.size() + kBatchStatements - 1) / kBatchStatements;
    std::size_t first = 0;
    if (groups > 0 && store.m_partiQL == PartiQL::Unknown) {
        // The first group tells whether PartiQL is there.
        store.runConcurrently(
            1, cancel, [&](std::size_t, DynamoDbClient &client) { return insertGroup(0, client); });
        if (missing) {
            store.m_partiQL = PartiQL::Missing;
            for (std::size_t i : insertable)
                results[i] = BulkWriteResult{};
            singles.insert(singles.end(), insertable.begin(), insertable.end());
            insertable.clear();
        } else {
            store.m_partiQL = PartiQL::Present;
            first = 1;
        }
        if (auto e = failure.take())
            return *e;
    }
    if (!insertable.empty() && first < groups) {
        store.runConcurrently(groups - first, cancel, [&](std::size_t g, DynamoDbClient &client) {
            return insertGroup(first + g, client);
        });
    }
    if (auto e = failure.take())
        return *e;
    store.runConcurrently(singles.size(), cancel, [&](std::size_t k, DynamoDbClient &client) {
        return putOne(singles[k], client, true);
    });
    if (auto e = failure.take())
        return *e;
    return okStatus();
}

void DynamoDbStore::BulkWrite::planInserts(const std::vector<std::size_t> &absent)
{
    // PartiQL's INSERT refuses an existing key statement by statement, 25 statements a
    // BatchExecuteStatement: conditional writes in batches, where the server has it (not
    // dynalite; Amazon DynamoDB also needs the PartiQLInsert permission). Records whose
    // statement would be too long, and every record where PartiQL is missing, go as
    // conditional PutItems.
    statements.assign(records.size(), QByteArray());
    if (store.m_partiQL != PartiQL::Missing) {
        QByteArray prefix = "INSERT INTO \"" + table.toUtf8() + "\" VALUE {";
        for (std::size_t i : absent) {
            QByteArray text = prefix;
            QByteArray parameters;
            const Value::Map &m = values[i].toMap();
            for (auto it = m.cbegin(); it != m.cend(); ++it) {
                if (it != m.cbegin()) {
                    text += ", ";
                    parameters += ',';
                }
                text += '\'' + it.key().toUtf8().replace('\'', "''") + "': ?";
                parameters += JsonCodec::toDynamoValue(it.value());
            }
            text += '}';
            if (text.size() > kMaxStatementLength) {
                singles.push_back(i);
                continue;
            }
            QByteArray statement = "{\"Statement\":";
            JsonCodec::appendJsonString(statement, QString::fromUtf8(text));
            statements[i] = statement + ",\"Parameters\":[" + parameters + "]}";
            insertable.push_back(i);
        }
    } else {
        singles = absent;
    }
}

/// One BatchExecuteStatement of up to 25 INSERTs, retried for the statements the
/// server throttled; false stops the batch (`missing`: PartiQL is not there).
bool DynamoDbStore::BulkWrite::insertGroup(std::size_t g, DynamoDbClient &client)
{
    std::vector<std::size_t> pending;
    for (std::size_t k = g * kBatchStatements;
         k < std::min(insertable.size(), (g + 1) * kBatchStatements); ++k)
        pending.push_back(insertable[k]);
    int stalled = 0;
    while (!pending.empty()) {
        if (!goingOn())
            return false;
        QByteArray body = "{\"Statements\":[";
        for (std::size_t k = 0; k < pending.size(); ++k) {
            if (k > 0)
                body += ',';
            body += statements[pending[k]];
        }
        body += "]}";
        auto response =
            client.call(QStringLiteral("BatchExecuteStatement"), body, cancel.abortCheck());
        if (!response) {
            const QString type = client.lastFailure().type;
            if (type == u"UnknownOperationException" || type == u"AccessDeniedException" ||
                (response.error().kind == ErrorKind::Invalid &&
                 client.lastFailure().httpStatus == 400 && stalled == 0 && g == 0 &&
                 store.m_partiQL == PartiQL::Unknown)) {
                missing = true;
                return false;
            }
            if (response.error().kind == ErrorKind::Invalid) {
                for (std::size_t i : pending) {
                    if (!putOne(i, client, true))
                        return false;
                }
                return true;
            }
            const State state = mayHaveHappened(client) ? State::Uncertain : State::NotWritten;
            for (std::size_t i : pending)
                results[i].state = state;
            fail(client, QStringLiteral("BatchExecuteStatement"), response.error());
            return false;
        }
        const Value *answers = response->find(QStringLiteral("Responses"));
        if (!answers || !answers->isList() ||
            answers->toList().size() != qsizetype(pending.size())) {
            for (std::size_t i : pending)
                results[i].state = State::Uncertain;
            fail(client, QStringLiteral("BatchExecuteStatement"),
                 makeError(ErrorKind::Backend,
                           QStringLiteral("the answer has not one response per statement")));
            return false;
        }
        std::vector<std::size_t> again;
        for (std::size_t k = 0; k < pending.size(); ++k) {
            const std::size_t i = pending[k];
            const Value *error = answers->toList()[qsizetype(k)].find(QStringLiteral("Error"));
            if (!error) {
                results[i].state = State::Written;
                continue;
            }
            const Value *code = error->find(QStringLiteral("Code"));
            const Value *message = error->find(QStringLiteral("Message"));
            const QString c = code ? code->text() : QString();
            if (c == u"DuplicateItem" || c == u"ConditionalCheckFailed") {
                if (!resolveTaken(i, client))
                    return false;
            } else if (c == u"ValidationError") {
                results[i].message = message ? message->text() : c;
            } else if (c.contains(QLatin1String("Throttl")) ||
                       c.contains(QLatin1String("Throughput")) || c == u"RequestLimitExceeded" ||
                       c == u"InternalServerError" || c == u"TransactionConflict") {
                again.push_back(i);
            } else {
                fail(client, QStringLiteral("BatchExecuteStatement"),
                     makeError(ErrorKind::Backend, QStringLiteral("%1: %2").arg(
                                                       c, message ? message->text() : QString())));
                return false;
            }
        }
        if (!retryLeft(pending, std::move(again), stalled,
                       QStringLiteral("DynamoDB throttled %1 records of %2 after %3 tries (the "
                                      "table's write capacity is exceeded)")))
            return false;
    }
    return true;
}

Status DynamoDbStore::BulkWrite::replace()
{
    const std::size_t groups = (sendable.size() + kBatchWriteItems - 1) / kBatchWriteItems;
    store.runConcurrently(groups, cancel, [&](std::size_t g, DynamoDbClient &client) {
        return replaceGroup(g, client);
    });
    if (auto e = failure.take())
        return *e;
    return okStatus();
}

bool DynamoDbStore::BulkWrite::replaceGroup(std::size_t g, DynamoDbClient &client)
{
    std::vector<std::size_t> pending;
    for (std::size_t k = g * kBatchWriteItems;
         k < std::min(sendable.size(), (g + 1) * kBatchWriteItems); ++k)
        pending.push_back(sendable[k]);
    int stalled = 0;
    while (!pending.empty()) {
        if (!goingOn())
            return false;
        QByteArray body = "{\"RequestItems\":{" + tableJson + ":[";
        for (std::size_t k = 0; k < pending.size(); ++k) {
            if (k > 0)
                body += ',';
            body += "{\"PutRequest\":{\"Item\":" + items[pending[k]] + "}}";
        }
        body += "]}}";
        auto response = client.call(QStringLiteral("BatchWriteItem"), body, cancel.abortCheck());
        if (!response) {
            if (response.error().kind == ErrorKind::Invalid) {
                // DynamoDB refuses the whole request for one bad item, without naming it:
                // one request each finds it, and writes the others.
                for (std::size_t i : pending) {
                    if (!putOne(i, client, false))
                        return false;
                }
                return true;
            }
            const State state = mayHaveHappened(client) ? State::Uncertain : State::NotWritten;
            for (std::size_t i : pending)
                results[i].state = state;
            fail(client, QStringLiteral("BatchWriteItem"), response.error());
            return false;
        }
        QSet<QString> unprocessed;
        if (const Value::List *left = tableMember(*response, "UnprocessedItems", table)) {
            for (const Value &request : *left) {
                const Value *put = request.find(QStringLiteral("PutRequest"));
                const Value *item = put ? put->find(QStringLiteral("Item")) : nullptr;
                if (item)
                    unprocessed.insert(keyIdentityInItem(*item, hashKey));
            }
        }
        std::vector<std::size_t> again;
        for (std::size_t i : pending) {
            if (unprocessed.contains(keyIdentity(records[i].key)))
                again.push_back(i);
            else
                results[i].state = results[i].existed ? State::Replaced : State::Written;
        }
        if (!retryLeft(pending, std::move(again), stalled,
                       QStringLiteral("DynamoDB left %1 records of %2 unprocessed after %3 "
                                      "tries (the table's write capacity is exceeded)")))
            return false;
    }
    return true;
}

/// One unconditional (Replace) or conditional (Create) PutItem; false stops the batch.
bool DynamoDbStore::BulkWrite::putOne(std::size_t i, DynamoDbClient &client, bool conditional)
{
    if (!goingOn())
        return false;
    JsonBody body;
    body.string("TableName", table).raw("Item", items[i]);
    if (conditional)
        body.string("ConditionExpression", notExists).expression(conditionNames);
    auto response = client.call(QStringLiteral("PutItem"), body.take(), cancel.abortCheck());
    BulkWriteResult &result = results[i];
    if (response) {
        result.state = result.existed ? State::Replaced : State::Written;
        return true;
    }
    const Error &e = response.error();
    if (e.kind == ErrorKind::Conflict && conditional)
        return resolveTaken(i, client);
    if (e.kind == ErrorKind::Invalid) {
        result.message = e.message;
        return true;
    }
    result.state = mayHaveHappened(client) ? State::Uncertain : State::NotWritten;
    fail(client, QStringLiteral("PutItem"), e);
    return false;
}

/// A conditional write refused for a key that was absent just before (keysPresent()
/// below): either someone wrote it meanwhile, or this very write was carried out once
/// already and sent again after its answer was lost (by the client's retry, or silently by
/// the HTTP layer, which resends a request whose kept-alive connection closed). The record
/// there tells: exactly the file's, it was written by this import.
bool DynamoDbStore::BulkWrite::resolveTaken(std::size_t i, DynamoDbClient &client)
{
    BulkWriteResult &result = results[i];
    auto got = client.call(QStringLiteral("GetItem"),
                           JsonBody()
                               .string("TableName", table)
                               .raw("Key", keyJson(hashKey, records[i].key))
                               .boolean("ConsistentRead", true)
                               .take(),
                           cancel.abortCheck());
    auto item = got ? itemFrom(*got, "Item") : Result<std::optional<Value>>(got.error());
    if (!item) {
        result.state = State::Uncertain;
        fail(client, QStringLiteral("GetItem"), item.error());
        return false;
    }
    result.state =
        item->has_value() && sameValue(**item, values[i]) ? State::Written : State::Exists;
    return true;
}

bool DynamoDbStore::BulkWrite::goingOn()
{
    if (!cancel.stopping())
        return true;
    failure.set(cancelledError());
    return false;
}

bool DynamoDbStore::BulkWrite::retryLeft(std::vector<std::size_t> &pending,
                                         std::vector<std::size_t> left, int &stalled,
                                         const QString &stalledMessage)
{
    stalled = left.size() == pending.size() ? stalled + 1 : 0;
    pending = std::move(left);
    if (pending.empty())
        return true;
    if (stalled > maxStalled) {
        failure.set(makeError(ErrorKind::Throttled,
                              stalledMessage.arg(pending.size()).arg(table).arg(stalled)));
        return false;
    }
    if (!store.backoff(stalled, cancel.stopCheck())) {
        failure.set(cancelledError());
        return false;
    }
    return true;
}

void DynamoDbStore::BulkWrite::fail(const DynamoDbClient &client, const QString &operation, Error e)
{
    Q_UNUSED(client);
    e.message = QStringLiteral("writing records of %1 (%2): %3").arg(table, operation, e.message);
    failure.set(std::move(e));
}

Error DynamoDbStore::BulkWrite::cancelledError()
{
    return makeError(ErrorKind::Unavailable, QStringLiteral("the import was cancelled"));
}
