// The SQLite store: opening a file (created, read-only, cut short or damaged) and checking
// its tables against the models it keeps.

#include "model/store/sqlite/sqlitesql.h"
#include "model/store/sqlite/sqlitestore.h"

#include "model/json/jsoncodec.h"

#include <nlohmann/json.hpp>

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSqlDriver>
#include <QSqlError>
#include <QThread>
#include <QUrl>
#include <QUuid>
#include <QVariant>

#include <sqlite3.h>

#include <algorithm>
#include <variant>

using namespace SqliteSql;

namespace {

quint32 bigEndian32(const QByteArray &b, int at)
{
    return (quint32(quint8(b[at])) << 24) | (quint32(quint8(b[at + 1])) << 16) |
           (quint32(quint8(b[at + 2])) << 8) | quint32(quint8(b[at + 3]));
}

/// Why an SQLite file is damaged by its length, from its header alone (microseconds, whatever
/// the size), or an empty string. SQLite itself reads a truncated file's missing bytes as
/// zeros and accepts writes to it.
QString truncation(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const qint64 size = file.size();
    const QByteArray header = file.read(100);
    if (header.size() < 100)
        return QStringLiteral(
                   "it is truncated: %1 bytes, shorter than an SQLite header (100 bytes)")
            .arg(size);
    const quint32 rawPageSize = (quint32(quint8(header[16])) << 8) | quint32(quint8(header[17]));
    const qint64 pageSize = rawPageSize == 1 ? 65536 : qint64(rawPageSize);
    if (pageSize < 512 || (pageSize & (pageSize - 1)) != 0)
        return QStringLiteral("its header is damaged (page size %1)").arg(rawPageSize);
    if (size % pageSize != 0)
        return QStringLiteral(
                   "it is truncated: %1 bytes is not a whole number of its %2-byte pages")
            .arg(size)
            .arg(pageSize);
    // The page count in the header holds when the change counter matches version-valid-for.
    const quint32 pages = bigEndian32(header, 28);
    if (pages > 0 && bigEndian32(header, 24) == bigEndian32(header, 92) &&
        size < qint64(pages) * pageSize)
        return QStringLiteral("it is truncated: %1 bytes, where its header says %2 pages of %3 "
                              "bytes (%4 bytes)")
            .arg(size)
            .arg(pages)
            .arg(pageSize)
            .arg(qint64(pages) * pageSize);
    return {};
}

/// truncation(), looked at again while it says so and a write-ahead log is beside the file:
/// another program checkpointing writes page 1 (the new length) before the pages after it.
QString checkedTruncation(const QString &path)
{
    QString found = truncation(path);
    for (int attempt = 0;
         attempt < 4 && !found.isEmpty() && QFileInfo::exists(path + QStringLiteral("-wal"));
         ++attempt) {
        QThread::msleep(50);
        found = truncation(path);
    }
    return found;
}

/// Why the file at `path` cannot be opened as a store, before SQLite sees it: missing, a
/// folder, unreadable, not an SQLite file, or in a folder that does not exist.
Status checkOpenable(const QString &path, const QFileInfo &info, SqliteStore::OpenMode mode)
{
    const bool exists = info.exists();
    if (!exists && mode != SqliteStore::OpenMode::CreateIfMissing)
        return makeError(ErrorKind::Unavailable,
                         QStringLiteral("there is no store at %1").arg(path), path);
    if (exists && info.isDir())
        return makeError(ErrorKind::Unavailable,
                         QStringLiteral("%1 is a folder, not a StructDesk store").arg(path), path);
    if (exists) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return makeError(ErrorKind::Unavailable,
                             QStringLiteral("cannot read %1: %2").arg(path, file.errorString()),
                             path);
        const QByteArray header = file.read(16);
        if (header != QByteArray("SQLite format 3\0", 16))
            return makeError(ErrorKind::Unavailable,
                             QStringLiteral("%1 is not a StructDesk store (it is not an SQLite "
                                            "database); it was left untouched")
                                 .arg(path),
                             path);
    } else if (!QFileInfo(info.absolutePath()).isDir()) {
        return makeError(ErrorKind::Unavailable,
                         QStringLiteral("cannot create a store at %1: the folder %2 does not exist")
                             .arg(path, info.absolutePath()),
                         path);
    }
    return okStatus();
}

} // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const QString &path, OpenMode mode)
{
    const QFileInfo info(path);
    const bool exists = info.exists();
    if (auto s = checkOpenable(path, info, mode); !s)
        return s.error();

    std::unique_ptr<SqliteStore> store(new SqliteStore);
    store->m_path = path;
    store->m_connection =
        QStringLiteral("structdesk-") + QUuid::createUuid().toString(QUuid::Id128);
    // A file we may not write (or in a folder we may not write: no -wal/-shm files) is opened
    // immutable, so SQLite neither needs nor leaves lock files beside it.
    const bool cannotWrite =
        exists && (!info.isWritable() || !QFileInfo(info.absolutePath()).isWritable());
    // A damaged file is opened for reading only: what can be read can be exported, and nothing
    // is written to it.
    const QString damage = exists ? checkedTruncation(path) : QString();
    if (!damage.isEmpty())
        store->m_damaged = damage;
    store->m_readOnly = exists && (mode == OpenMode::ReadOnly || cannotWrite || !damage.isEmpty());
    store->m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), store->m_connection);
    QString options = QStringLiteral("QSQLITE_BUSY_TIMEOUT=2000");
    // A damaged file without a write-ahead log is read as it is, with no lock or log files
    // beside it; with a log, SQLite reads the pages kept there too (its index file may be made).
    const bool immutable =
        cannotWrite || (!damage.isEmpty() && !QFileInfo::exists(path + QStringLiteral("-wal")));
    if (immutable) {
        QUrl uri = QUrl::fromLocalFile(info.absoluteFilePath());
        uri.setQuery(QStringLiteral("immutable=1"));
        store->m_db.setDatabaseName(uri.toString(QUrl::FullyEncoded));
        options += QStringLiteral(";QSQLITE_OPEN_URI");
    } else {
        store->m_db.setDatabaseName(path);
    }
    if (store->m_readOnly)
        options += QStringLiteral(";QSQLITE_OPEN_READONLY");
    store->m_db.setConnectOptions(options);
    if (!store->m_db.open())
        return makeError(
            ErrorKind::Unavailable,
            QStringLiteral("cannot open %1: %2").arg(path, store->m_db.lastError().text()), path);

    if (auto s = exists ? store->checkExistingFile(damage) : store->createSchema(); !s)
        return s.error();
    QSqlQuery pragmas(store->m_db);
    pragmas.exec(QStringLiteral("PRAGMA synchronous=NORMAL"));
    if (auto s = store->registerFunctions(); !s)
        return s.error();
    return store;
}

Status SqliteStore::createSchema()
{
    QSqlQuery q(m_db);
    const QStringList schema = {
        QStringLiteral("PRAGMA journal_mode=WAL"),
        QStringLiteral("BEGIN IMMEDIATE"),
        QStringLiteral("CREATE TABLE structdesk_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
        QStringLiteral("CREATE TABLE structdesk_tables(name TEXT PRIMARY KEY, model TEXT NOT NULL, "
                       "has_model INTEGER NOT NULL, created TEXT NOT NULL)"),
    };
    for (const QString &sql : schema) {
        if (!q.exec(sql))
            return sqlError(q, QStringLiteral("creating the store"));
    }
    q.prepare(QStringLiteral("INSERT INTO structdesk_meta(key, value) VALUES (?, ?), (?, ?)"));
    q.addBindValue(QStringLiteral("format"));
    q.addBindValue(QString::fromLatin1(kFormat));
    q.addBindValue(QStringLiteral("version"));
    q.addBindValue(QString::number(kVersion));
    if (!q.exec() || !q.exec(QStringLiteral("COMMIT")))
        return sqlError(q, QStringLiteral("creating the store"));
    return okStatus();
}

Status SqliteStore::checkExistingFile(const QString &damage)
{
    QSqlQuery q(m_db);
    if (!q.exec(
            QStringLiteral("SELECT key, value FROM structdesk_meta WHERE key = 'format' OR key = "
                           "'version'"))) {
        const QSqlError e = q.lastError();
        const int code = primaryCode(e);
        if (code == kSqliteBusy || code == kSqliteLocked)
            return makeError(ErrorKind::Unavailable,
                             QStringLiteral("the store %1 is locked by another program; try "
                                            "again when it is done")
                                 .arg(m_path),
                             m_path);
        if (code == kSqliteNotADb || code == kSqliteCorrupt)
            return makeError(
                ErrorKind::Unavailable,
                QStringLiteral("%1 is corrupt (%2%3); it was left untouched. Restore it "
                               "from a backup (the sqlite3 shell's .recover may save "
                               "what is left in a copy).")
                    .arg(m_path, e.databaseText(),
                         damage.isEmpty() ? QString() : QStringLiteral("; ") + damage),
                m_path);
        // A StructDesk store that lost its format table can still be read.
        if (!hasSqlTable(QStringLiteral("structdesk_tables")))
            return makeError(ErrorKind::Unavailable,
                             QStringLiteral("%1 is not a StructDesk store (an SQLite database "
                                            "without StructDesk's tables); it was left untouched")
                                 .arg(m_path),
                             m_path);
        q.finish();
        m_damaged = QStringLiteral("its format table structdesk_meta is missing");
        m_readOnly = true;
    }
    QHash<QString, QString> meta;
    while (q.next())
        meta.insert(q.value(0).toString(), q.value(1).toString());
    q.finish();
    if (auto s = checkMeta(meta); !s)
        return s.error();
    if (!hasSqlTable(QStringLiteral("structdesk_tables")))
        return makeError(
            ErrorKind::Unavailable,
            QStringLiteral("%1 is a StructDesk store whose list of tables (the table "
                           "structdesk_tables) is missing; it was left untouched. Restore "
                           "it from a backup.")
                .arg(m_path),
            m_path);
    if (!m_readOnly)
        q.exec(QStringLiteral("PRAGMA journal_mode=WAL"));
    return okStatus();
}

Status SqliteStore::checkMeta(const QHash<QString, QString> &meta)
{
    if (m_readOnly && !m_damaged.isEmpty() && meta.isEmpty())
        return okStatus(); // no format table at all: already known to be damaged
    const bool structDeskTables = hasSqlTable(QStringLiteral("structdesk_tables"));
    if (!meta.contains(QStringLiteral("format"))) {
        if (!structDeskTables)
            return makeError(
                ErrorKind::Unavailable,
                QStringLiteral("%1 is not a StructDesk store; it was left untouched").arg(m_path),
                m_path);
        m_damaged = QStringLiteral("its format table structdesk_meta has no format entry");
        m_readOnly = true;
        return okStatus();
    }
    if (meta.value(QStringLiteral("format")) != QLatin1String(kFormat))
        return makeError(
            ErrorKind::Unavailable,
            QStringLiteral("%1 is not a StructDesk store (its format is \"%2\"); it was left "
                           "untouched")
                .arg(m_path, meta.value(QStringLiteral("format"))),
            m_path);
    bool number = false;
    const QString versionText = meta.value(QStringLiteral("version"));
    const int version = versionText.toInt(&number);
    if (number && version > kVersion)
        return makeError(ErrorKind::Unavailable,
                         QStringLiteral("%1 was written by a newer StructDesk (store format %2; "
                                        "this one reads %3)")
                             .arg(m_path, versionText)
                             .arg(kVersion),
                         m_path);
    if (!number || version < 1) {
        m_damaged =
            meta.contains(QStringLiteral("version"))
                ? QStringLiteral("its store format version is \"%1\", not one StructDesk wrote")
                      .arg(versionText)
                : QStringLiteral("its format table structdesk_meta has no version entry");
        m_readOnly = true;
    }
    return okStatus();
}

bool SqliteStore::hasRowIn(const QString &sqlTableName, const QString &name)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT 1 FROM %1 WHERE name = ?").arg(sqlTableName));
    q.addBindValue(name);
    return q.exec() && q.next();
}

bool SqliteStore::hasSqlTable(const QString &name)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"));
    q.addBindValue(name);
    return q.exec() && q.next();
}

QStringList SqliteStore::recordsColumns(const QString &table)
{
    // PRAGMA table_info answers from the schema as this connection last read it; reading
    // sqlite_master first makes SQLite notice a schema another connection changed.
    if (!hasSqlTable(QStringLiteral("rec_") + table))
        return {};
    QSqlQuery q(m_db);
    QStringList columns;
    q.prepare(QStringLiteral("SELECT name FROM pragma_table_info(?)"));
    q.addBindValue(QStringLiteral("rec_") + table);
    if (q.exec()) {
        while (q.next())
            columns << q.value(0).toString();
    }
    return columns;
}

QString SqliteStore::recordsTableProblem(const QString &table)
{
    const QStringList columns = recordsColumns(table);
    const QString records = QStringLiteral("rec_") + table;
    if (columns.isEmpty())
        return QStringLiteral(
                   "the store %1 lists table %2 but its records table %3 is missing; drop the "
                   "table with structdesk-cli --store %1 drop-table %2, or restore the file "
                   "from a backup")
            .arg(m_path, table, records);
    if (!columns.contains(QStringLiteral("pk")) || !columns.contains(QStringLiteral("item")))
        return QStringLiteral(
                   "the records table %1 of table %2 in %3 was altered: its columns are (%4), "
                   "not StructDesk's (pk, item); it was left untouched. Restore the file from "
                   "a backup, or give the columns their names back with the sqlite3 shell "
                   "(ALTER TABLE %1 RENAME COLUMN ... TO item)")
            .arg(records, table, m_path, columns.join(QStringLiteral(", ")));
    return {};
}

QStringList SqliteStore::strandedTables()
{
    // Records tables left without their row in structdesk_tables (deleted behind StructDesk's
    // back), with StructDesk's columns: their records are still there.
    QSqlQuery q(m_db);
    QStringList out;
    if (!q.exec(QStringLiteral("SELECT substr(name, 5) FROM sqlite_master WHERE type = 'table' AND "
                               "name LIKE 'rec\\_%' ESCAPE '\\' AND substr(name, 5) NOT IN "
                               "(SELECT name FROM structdesk_tables) ORDER BY name")))
        return out;
    QStringList candidates;
    while (q.next())
        candidates << q.value(0).toString();
    q.finish();
    for (const QString &name : std::as_const(candidates)) {
        if (!TableModel::checkTableName(name).isEmpty())
            continue;
        const QStringList columns = recordsColumns(name);
        if (columns.contains(QStringLiteral("pk")) && columns.contains(QStringLiteral("item")))
            out << name;
    }
    return out;
}

Status SqliteStore::adoptRecordsTable(const QString &table, const TableModel &model)
{
    // The records must be keyed by the model's key: pk is the key attribute's text.
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT rowid, pk, item FROM %1 LIMIT 200").arg(sqlTable(table))))
        return sqlError(q, QStringLiteral("reading the records of %1").arg(table));
    while (q.next()) {
        auto record = parseRow(q.value(2));
        if (std::holds_alternative<QString>(record))
            continue; // unreadable: it says nothing about the key, and it stays as it is
        const Value *key = std::get<Value>(record).find(model.hashKey());
        const QString pk = q.value(1).toString();
        if (!key || !(key->isString() || key->isNumber()) || keyColumnText(*key) != pk)
            return makeError(
                ErrorKind::Invalid,
                QStringLiteral("the records already in rec_%1 are not keyed by %2 (row %3 has "
                               "the key \"%4\" but %5); nothing was changed")
                    .arg(table, model.hashKey())
                    .arg(q.value(0).toLongLong())
                    .arg(pk, key ? QStringLiteral("%1 %2").arg(model.hashKey(), key->text())
                                 : QStringLiteral("no %1").arg(model.hashKey())),
                table);
    }
    q.finish();
    QSqlQuery &insert = prepared(QStringLiteral(
        "INSERT INTO structdesk_tables(name, model, has_model, created) VALUES (?, ?, ?, ?)"));
    insert.addBindValue(table);
    insert.addBindValue(QString::fromUtf8(model.toJson(table)));
    insert.addBindValue(model.declaresFields() ? 1 : 0);
    insert.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    if (!insert.exec())
        return sqlError(insert, QStringLiteral("attaching a model to %1").arg(table));
    invalidateModel(table);
    return okStatus();
}
