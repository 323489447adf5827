#pragma once

// What the DynamoDB store's bulk operations (keysPresent(), writeBatch()) share: key
// identities, the members of batch answers, and the first failure across worker threads.
// Internal to the DynamoDB store.

#include "model/core/result.h"
#include "model/core/value.h"

#include <QMutex>
#include <QString>

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

} // namespace DynamoDb
