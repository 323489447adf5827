// The page loop of Scan and Query, and the cursors that continue it.

#include "model/store/dynamodb/dynamodbpaging.h"

#include "model/json/jsoncodec.h"
#include "model/store/dynamodb/dynamodbclient.h"

#include <algorithm>
#include <utility>

namespace DynamoDb {

Result<std::optional<QByteArray>> lastEvaluatedKey(const Value &response)
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

Status checkCursor(const QByteArray &cursor, const QString &what)
{
    if (!cursor.isEmpty()) {
        auto parsed = JsonCodec::parseDynamoItem(cursor);
        if (!parsed || !parsed->isMap())
            return makeError(ErrorKind::Invalid,
                             QStringLiteral("the %1 cursor is not a DynamoDB key").arg(what));
    }
    return okStatus();
}

Result<ScanPage> readPages(DynamoDbClient &client, const PageRead &read)
{
    const int limit = read.limit;
    QByteArray start = read.cursor;
    ScanPage page;
    for (;;) {
        if (read.cancelled && read.cancelled())
            return makeError(ErrorKind::Unavailable, read.cancelledMessage);
        const int remaining = limit - int(page.records.size());
        auto response = client.call(
            read.operation, read.body(read.filtered ? std::max(remaining, 1000) : remaining, start),
            read.cancelled);
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
                                         .arg(read.table, record.error().toString()));
                if (read.accept && !read.accept(*record))
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
            auto after = read.startAfter(page.records.back());
            if (!after)
                return after.error();
            page.nextCursor = std::move(*after);
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

} // namespace DynamoDb
