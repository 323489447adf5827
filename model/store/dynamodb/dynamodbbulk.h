#pragma once

// What the DynamoDB store's bulk operations (keysPresent(), writeBatch()) share: key
// identities, the members of batch answers, and the first failure across worker threads.
// Internal to the DynamoDB store.

#include "model/core/result.h"
#include "model/core/value.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QString>

#include <atomic>
#include <functional>
#include <optional>
#include <utility>

class DynamoDbClient;

namespace DynamoDb {

/// A key as DynamoDB compares it: its type and, for numbers, its canonical value.
QString keyIdentity(const Value &key);
/// The identity of the key attribute in an item of an answer (plain JSON of DynamoDB JSON).
QString keyIdentityInItem(const Value &item, const QString &hashKey);
/// The items of `table` in an answer member such as UnprocessedItems or Responses.
const Value::List *tableMember(const Value &response, const char *member, const QString &table);
/// True when a failed request may still have been carried out: no HTTP answer (the
/// connection was lost), an answer that could not be read, or a server error.
bool mayHaveHappened(const DynamoDbClient &client);

/// The first failure of a bulk operation, kept across its worker threads.
class FirstError
{
public:
    void set(Error e)
    {
        QMutexLocker lock(&m_mutex);
        if (!m_error)
            m_error = std::move(e);
    }
    std::optional<Error> take()
    {
        QMutexLocker lock(&m_mutex);
        return std::exchange(m_error, std::nullopt);
    }

private:
    QMutex m_mutex;
    std::optional<Error> m_error;
};

/// How the requests of a bulk operation stop on a cancel: the caller's `cancelled` callback, or
/// the Cancellation::Scope of the thread that runs the operation (StoreRunner::interrupt()),
/// which the operation's worker threads cannot see themselves; the calling thread polls both
/// (DynamoDbStore::runConcurrently()). Once cancelled, no request or backoff starts
/// (stopping()); the requests under way get kGraceMs to finish, so what they wrote is known,
/// and are then cut (aborting(): their records are Uncertain).
class BulkStop
{
public:
    static constexpr int kGraceMs = 500;

    explicit BulkStop(const std::function<bool()> &cancelled)
        : m_cancelled(cancelled), m_abort([this] { return aborting(); }),
          m_stop([this] { return stopping(); })
    {
    }
    BulkStop(const BulkStop &) = delete;
    BulkStop &operator=(const BulkStop &) = delete;

    /// On the thread that runs the operation: notes a cancel of the caller or of the thread.
    void poll();
    /// True once cancelled (any thread).
    bool stopping() const
    {
        return m_stopping.load() || (m_cancelled && m_cancelled()) || m_aborting.load();
    }
    /// True kGraceMs after the cancel (any thread).
    bool aborting() const { return m_aborting.load(); }
    /// For DynamoDbClient::call(): cuts a request once aborting.
    const std::function<bool()> &abortCheck() const { return m_abort; }
    /// For backoffs: ends one once stopping.
    const std::function<bool()> &stopCheck() const { return m_stop; }

private:
    const std::function<bool()> &m_cancelled;
    std::function<bool()> m_abort;
    std::function<bool()> m_stop;
    std::atomic<bool> m_stopping{false};
    std::atomic<bool> m_aborting{false};
    QElapsedTimer m_since; ///< on the calling thread only
};

} // namespace DynamoDb
