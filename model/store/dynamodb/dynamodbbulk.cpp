// DynamoDbStore's bulk machinery: requests on several connections at once (runConcurrently()),
// backoff between retries, and keysPresent() (BatchGetItem).

#include "model/store/dynamodb/dynamodbbulk.h"

#include "model/core/cancellation.h"
#include "model/json/jsoncodec.h"
#include "model/store/dynamodb/dynamodbitem.h"
#include "model/store/dynamodb/dynamodbstore.h"

#include <QHash>
#include <QRandomGenerator>
#include <QSet>

#include <algorithm>
#include <atomic>
#include <thread>

using DynamoDb::BulkStop;
using DynamoDb::FirstError;
using DynamoDb::keyIdentity;
using DynamoDb::keyIdentityInItem;
using DynamoDb::keyJson;
using DynamoDb::tableMember;

namespace DynamoDb {

/// A key as DynamoDB compares it: its type and, for numbers, its canonical value.
QString keyIdentity(const Value &key)
{
    return key.isNumber() ? u'N' + canonicalNumber(key.text()) : u'S' + key.text();
}

/// The identity of the key attribute in an item of an answer (plain JSON of DynamoDB JSON).
QString keyIdentityInItem(const Value &item, const QString &hashKey)
{
    const Value *attribute = item.find(hashKey);
    if (!attribute)
        return {};
    if (const Value *s = attribute->find(QStringLiteral("S")))
        return u'S' + s->text();
    if (const Value *n = attribute->find(QStringLiteral("N")))
        return u'N' + canonicalNumber(n->text());
    return {};
}

/// The items of `table` in an answer member such as UnprocessedItems or Responses.
const Value::List *tableMember(const Value &response, const char *member, const QString &table)
{
    const Value *m = response.find(QString::fromLatin1(member));
    if (!m || !m->isMap())
        return nullptr;
    const Value *t = m->find(table);
    if (!t)
        return nullptr;
    if (t->isList())
        return &t->toList();
    if (const Value *keys = t->find(QStringLiteral("Keys")); keys && keys->isList())
        return &keys->toList(); // UnprocessedKeys: {"table": {"Keys": [...]}}
    return nullptr;
}

/// True when a failed request may still have been carried out: no HTTP answer (the
/// connection was lost), an answer that could not be read, or a server error.
bool mayHaveHappened(const DynamoDbClient &client)
{
    const int status = client.lastFailure().httpStatus;
    return status == 0 || status == 200 || status >= 500;
}

void BulkStop::poll()
{
    if (!m_since.isValid()) {
        if (!(m_cancelled && m_cancelled()) && !Cancellation::requested())
            return;
        m_stopping = true;
        m_since.start();
    }
    if (!m_aborting.load() && m_since.elapsed() >= kGraceMs)
        m_aborting = true;
}

} // namespace DynamoDb

Status DynamoDbStore::checkStorable(const Value &record) const
{
    const Value *key = nullptr;
    if (record.isMap() && record.size() > 0)
        key = &record.toMap().cbegin().value();
    return checkWritable(record, key ? *key : Value::string(QString()));
}

void DynamoDbStore::runConcurrently(std::size_t count, BulkStop &cancel,
                                    const std::function<bool(std::size_t, DynamoDbClient &)> &job)
{
    if (count == 0)
        return;
    const std::size_t workers = std::min<std::size_t>(count, kBulkConnections);
    while (m_bulkClients.size() < workers)
        m_bulkClients.push_back(
            std::make_unique<DynamoDbClient>(m_client->endpoint(), m_client->region(),
                                             m_client->credentials(), m_client->options()));
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};
    std::atomic<std::size_t> running{workers};
    auto loop = [&](DynamoDbClient *client) {
        while (!stop.load()) {
            const std::size_t i = next.fetch_add(1);
            if (i >= count)
                break;
            if (!job(i, *client))
                stop.store(true);
        }
        running.fetch_sub(1);
    };
    std::vector<std::thread> threads;
    threads.reserve(workers);
    for (std::size_t w = 0; w < workers; ++w)
        threads.emplace_back(loop, m_bulkClients[w].get());
    // This thread watches for a cancel its workers cannot see (its Cancellation::Scope).
    while (running.load() > 0) {
        cancel.poll();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    for (std::thread &t : threads)
        t.join();
}

bool DynamoDbStore::backoff(int attempt, const std::function<bool()> &cancelled) const
{
    const int ceiling = m_client->options().backoffCeilingMs(attempt);
    if (!DynamoDbClient::pause(QRandomGenerator::global()->bounded(ceiling + 1),
                               [&cancelled] { return cancelled && cancelled(); }))
        return false;
    return !(cancelled && cancelled());
}

Result<std::vector<bool>> DynamoDbStore::keysPresent(const QString &table,
                                                     const std::vector<Value> &keys,
                                                     const std::function<bool()> &cancelled)
{
    if (m_tx)
        return RecordStore::keysPresent(table, keys, cancelled);
    auto hashKey = hashKeyOf(table);
    if (!hashKey)
        return hashKey.error();
    std::vector<char> present(keys.size(), 0);
    QHash<QString, std::size_t> index;
    for (std::size_t i = 0; i < keys.size(); ++i)
        index.insert(keyIdentity(keys[i]), i);
    const std::size_t groups = (keys.size() + kBatchGetKeys - 1) / kBatchGetKeys;
    // Stalled rounds (nothing processed) before UnprocessedKeys count as a failure.
    const int maxStalled = m_client->options().maxRetries + 1;
    FirstError failure;
    QByteArray tableJson;
    JsonCodec::appendJsonString(tableJson, table);
    QByteArray names = "\"ExpressionAttributeNames\":{\"#k\":";
    JsonCodec::appendJsonString(names, *hashKey);
    names += '}';
    BulkStop cancel(cancelled);
    runConcurrently(groups, cancel, [&](std::size_t g, DynamoDbClient &client) {
        std::vector<std::size_t> pending;
        for (std::size_t i = g * kBatchGetKeys; i < std::min(keys.size(), (g + 1) * kBatchGetKeys);
             ++i)
            pending.push_back(i);
        int stalled = 0;
        while (!pending.empty()) {
            if (cancel.stopping()) {
                failure.set(
                    makeError(ErrorKind::Unavailable, QStringLiteral("the check was cancelled")));
                return false;
            }
            QByteArray body = "{\"RequestItems\":{" + tableJson + ":{\"Keys\":[";
            for (std::size_t k = 0; k < pending.size(); ++k) {
                if (k > 0)
                    body += ',';
                body += keyJson(*hashKey, keys[pending[k]]);
            }
            body += "],\"ConsistentRead\":true,\"ProjectionExpression\":\"#k\"," + names + "}}}";
            auto response = client.call(QStringLiteral("BatchGetItem"), body, cancel.abortCheck());
            if (!response) {
                Error e = response.error();
                e.message =
                    QStringLiteral("checking which keys exist in %1: %2").arg(table, e.message);
                failure.set(std::move(e));
                return false;
            }
            if (const Value::List *items = tableMember(*response, "Responses", table)) {
                for (const Value &item : *items) {
                    auto it = index.constFind(keyIdentityInItem(item, *hashKey));
                    if (it != index.cend())
                        present[it.value()] = 1;
                }
            }
            std::vector<std::size_t> left;
            if (const Value::List *unprocessed = tableMember(*response, "UnprocessedKeys", table)) {
                QSet<QString> ids;
                for (const Value &k : *unprocessed)
                    ids.insert(keyIdentityInItem(k, *hashKey));
                for (std::size_t i : pending) {
                    if (ids.contains(keyIdentity(keys[i])))
                        left.push_back(i);
                }
            }
            stalled = left.size() == pending.size() ? stalled + 1 : 0;
            pending = std::move(left);
            if (pending.empty())
                break;
            if (stalled > maxStalled) {
                failure.set(
                    makeError(ErrorKind::Throttled,
                              QStringLiteral("DynamoDB left %1 keys of %2 unchecked after %3 tries "
                                             "(the table's read capacity is exceeded)")
                                  .arg(pending.size())
                                  .arg(table)
                                  .arg(stalled)));
                return false;
            }
            if (!backoff(stalled, cancel.stopCheck())) {
                failure.set(
                    makeError(ErrorKind::Unavailable, QStringLiteral("the check was cancelled")));
                return false;
            }
        }
        return true;
    });
    if (auto e = failure.take())
        return *e;
    return std::vector<bool>(present.begin(), present.end());
}
