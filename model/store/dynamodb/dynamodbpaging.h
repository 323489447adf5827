#pragma once

// The page loop that Scan and Query share: pages read with ExclusiveStartKey until a page of
// records is full, and the cursor that continues it. Internal to the DynamoDB store.

#include "model/core/result.h"
#include "model/core/value.h"
#include "model/store/recordstore.h"

#include <QByteArray>
#include <QString>

#include <functional>
#include <optional>

class DynamoDbClient;

namespace DynamoDb {

/// The start key of the next page in a Scan or Query answer (re-encoded DynamoDB JSON), or
/// nullopt after the last page.
Result<std::optional<QByteArray>> lastEvaluatedKey(const Value &response);

/// Refuses a cursor that is not a DynamoDB key (`what`: "scan", "query"); an empty one is fine.
Status checkCursor(const QByteArray &cursor, const QString &what);

/// One Scan or Query, read page by page.
struct PageRead
{
    QString operation; ///< "Scan" or "Query"
    QString table;
    int limit = 1;
    /// Whether the server (a FilterExpression) or the client (accept) drops records: pages
    /// then ask for at least 1000, not just the records still missing.
    bool filtered = false;
    QByteArray cursor; ///< the ExclusiveStartKey of the first page (empty: the start)
    /// Checked before each page and passed to each request; empty: not cancellable.
    std::function<bool()> cancelled = {};
    QString cancelledMessage = {};
    /// The request of a page: its Limit, and its ExclusiveStartKey (empty for the first).
    std::function<QByteArray(int limit, const QByteArray &start)> body;
    /// Whether a record read goes into the page; empty: every record does.
    std::function<bool(const Value &record)> accept = {};
    /// The start key right after `last`, when a DynamoDB page holds more than fit.
    std::function<Result<QByteArray>(const Value &last)> startAfter;
};

/// Reads pages until `read.limit` records are in or the last page is read; nextCursor
/// continues after the last record returned.
Result<ScanPage> readPages(DynamoDbClient &client, const PageRead &read);

} // namespace DynamoDb
