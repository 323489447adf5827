#include "model/store/open/storefactory.h"

#include "model/store/dynamodb/dynamodbstore.h"
#include "model/store/sqlite/sqlitestore.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QUrl>
#include <QUrlQuery>

namespace StoreFactory {

QString defaultLocation()
{
    const QString fromEnv = qEnvironmentVariable("STRUCTDESK_STORE");
    if (!fromEnv.isEmpty())
        return fromEnv;
    QString dir = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    if (dir.isEmpty())
        dir = QDir::homePath() + QStringLiteral("/.local/share");
    return dir + QStringLiteral("/StructDesk/default.structdesk");
}

bool isRemote(const QString &location)
{
    return location.startsWith(QStringLiteral("dynamodb://")) ||
           location.startsWith(QStringLiteral("dynamodbs://"));
}

QString withParameters(const QString &location,
                       const QList<std::pair<QString, QString>> &parameters)
{
    if (!isRemote(location) || parameters.isEmpty())
        return location;
    QUrl url(location, QUrl::StrictMode);
    if (!url.isValid())
        return location; // opening it says what is wrong
    QUrlQuery query(url);
    for (const auto &[name, value] : parameters) {
        query.removeAllQueryItems(name);
        query.addQueryItem(name, QString::fromLatin1(QUrl::toPercentEncoding(value)));
    }
    url.setQuery(query);
    return url.toString();
}

Result<std::unique_ptr<RecordStore>> open(const QString &location, Create create)
{
    if (location.isEmpty())
        return makeError(ErrorKind::Unavailable, QStringLiteral("no store location was given"));
    if (isRemote(location)) {
        // DynamoDB tables exist or not on the server; there is no store to create.
        auto store = DynamoDbStore::openLocation(location);
        if (!store)
            return store.error();
        return std::unique_ptr<RecordStore>(std::move(*store));
    }
    if (create == Create::IfMissing && location == defaultLocation())
        QDir().mkpath(QFileInfo(location).absolutePath());
    auto store = SqliteStore::open(location, create == Create::IfMissing
                                                 ? SqliteStore::OpenMode::CreateIfMissing
                                                 : SqliteStore::OpenMode::OpenExisting);
    if (!store)
        return store.error();
    return std::unique_ptr<RecordStore>(std::move(*store));
}

} // namespace StoreFactory
