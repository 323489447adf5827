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

namespace {

constexpr int kSqliteBusy = 5;
constexpr int kSqliteLocked = 6;
constexpr int kSqliteReadOnly = 8;
constexpr int kSqliteCorrupt = 11;
constexpr int kSqliteFull = 13;
constexpr int kSqliteCantOpen = 14;
constexpr int kSqliteNotADb = 26;

/// "its stored JSON is damaged (line 1, column 2): invalid literal ...".
QString damagedJson(const Error &e)
{
    QString what = e.message;
    what.remove(QStringLiteral("malformed JSON: "));
    what.remove(QRegularExpression(QStringLiteral("^syntax error while parsing [a-z ]+ - ")));
    return e.location.isEmpty()
               ? QStringLiteral("its stored JSON is damaged: %1").arg(what)
               : QStringLiteral("its stored JSON is damaged (%1): %2").arg(e.location, what);
}

int primaryCode(const QSqlError &error)
{
    bool ok = false;
    const int code = error.nativeErrorCode().toInt(&ok);
    return ok ? (code & 0xff) : -1;
}

/// The SQLite JSON path of a literal field path in stored JSON: $."a"."b".
Result<QString> jsonPath(const QStringList &path)
{
    QString out = QStringLiteral("$");
    for (const QString &key : path) {
        if (key.contains(u'"'))
            return makeError(ErrorKind::Invalid,
                             QStringLiteral("field names with a double quote cannot be filtered on"),
                             path.join(u'.'));
        out += QStringLiteral(".\"") + (key.startsWith(u'$') ? u'$' + key : key) + u'"';
    }
    return out;
}

QVariant bindableNumber(const QString &text)
{
    if (isIntegerText(text)) {
        bool ok = false;
        const qlonglong n = text.toLongLong(&ok);
        if (ok)
            return n;
    }
    return text.toDouble();
}

/// Builds the WHERE clause of a scan or count, with its bound values in order.
struct WhereClause
{
    QString sql;
    QVariantList binds;
};

Result<WhereClause> buildWhere(const ScanRequest &request)
{
    WhereClause where;
    QStringList parts;
    for (const FilterCondition &c : request.conditions) {
        if (c.path.isEmpty())
            return makeError(ErrorKind::Invalid, QStringLiteral("a filter needs a field path"));
        auto path = jsonPath(c.path);
        if (!path)
            return path.error();
        const QString p = *path;
        QString expr;
        QVariantList binds;
        const Value &v = c.operand;
        auto equalExpr = [&]() -> QString {
            switch (v.type()) {
            case Value::Type::Null: binds << p; return QStringLiteral("json_type(item, ?) = 'null'");
            case Value::Type::Bool:
                binds << p;
                return v.toBool() ? QStringLiteral("json_type(item, ?) = 'true'")
                                  : QStringLiteral("json_type(item, ?) = 'false'");
            case Value::Type::Number:
                // The double comparison narrows; the exact decimal comparison decides.
                binds << p << p << bindableNumber(v.text()) << p << v.text();
                return QStringLiteral("(json_type(item, ?) IN ('integer', 'real') AND "
                                      "json_extract(item, ?) = ? AND structdesk_numcmp(item -> ?, ?) = 0)");
            case Value::Type::Map:
            case Value::Type::List:
            case Value::Type::StringSet:
            case Value::Type::NumberSet:
            case Value::Type::BinarySet:
            case Value::Type::Binary:
                return QString();
            default:
                binds << p << p << v.text();
                return QStringLiteral("(json_type(item, ?) = 'text' AND json_extract(item, ?) = ?)");
            }
        };
        auto compareExpr = [&](const char *op) -> Result<QString> {
            if (v.isNumber()) {
                // Rounding to doubles keeps order, so a strict double comparison is exact; only
                // equal doubles need the exact decimal comparison.
                const QString strict = QString::fromLatin1(op).left(1);
                binds << p << p << bindableNumber(v.text()) << p << bindableNumber(v.text()) << p << v.text();
                return QStringLiteral("(json_type(item, ?) IN ('integer', 'real') AND "
                                      "(json_extract(item, ?) %1 ? OR (json_extract(item, ?) = ? AND "
                                      "structdesk_numcmp(item -> ?, ?) %2 0)))")
                    .arg(strict, QLatin1String(op));
            }
            if (v.isString()) {
                binds << p << p << v.text();
                return QStringLiteral("(json_type(item, ?) = 'text' AND json_extract(item, ?) %1 ?)")
                    .arg(QLatin1String(op));
            }
            return makeError(ErrorKind::Invalid,
                             QStringLiteral("only numbers and strings can be compared with %1")
                                 .arg(QLatin1String(op)),
                             c.path.join(u'.'));
        };
        const bool comparable = !(v.isMap() || v.isList() || v.isSet() || v.type() == Value::Type::Binary);
        if (!comparable && c.op != FilterOp::Exists && c.op != FilterOp::NotExists)
            return makeError(ErrorKind::Invalid,
                             QStringLiteral("filters compare strings, numbers, booleans and null, not %1")
                                 .arg(v.typeDescription()),
                             c.path.join(u'.'));
        switch (c.op) {
        case FilterOp::Equal: expr = equalExpr(); break;
        case FilterOp::NotEqual: expr = QStringLiteral("NOT coalesce(%1, 0)").arg(equalExpr()); break;
        case FilterOp::Less:
        case FilterOp::LessEqual:
        case FilterOp::Greater:
        case FilterOp::GreaterEqual: {
            const char *op = c.op == FilterOp::Less        ? "<"
                             : c.op == FilterOp::LessEqual ? "<="
                             : c.op == FilterOp::Greater   ? ">"
                                                           : ">=";
            auto e = compareExpr(op);
            if (!e)
                return e.error();
            expr = *e;
            break;
        }
        case FilterOp::Contains: {
            const QVariant needle = v.isNumber() ? bindableNumber(v.text()) : QVariant(v.text());
            binds << p << p << v.text() << p << p << needle << (p + QStringLiteral(".\"$SS\""))
                  << needle << (p + QStringLiteral(".\"$NS\"")) << needle;
            expr = QStringLiteral(
                "((json_type(item, ?) = 'text' AND instr(json_extract(item, ?), ?) > 0) OR "
                "(json_type(item, ?) = 'array' AND EXISTS (SELECT 1 FROM json_each(item, ?) AS e "
                "WHERE e.value = ?)) OR "
                "EXISTS (SELECT 1 FROM json_each(item, ?) AS e WHERE e.value = ?) OR "
                "EXISTS (SELECT 1 FROM json_each(item, ?) AS e WHERE e.value = ?))");
            break;
        }
        case FilterOp::BeginsWith:
            if (!v.isString())
                return makeError(ErrorKind::Invalid, QStringLiteral("begins with needs a text"),
                                 c.path.join(u'.'));
            binds << p << p << int(v.text().size()) << v.text();
            expr = QStringLiteral("(json_type(item, ?) = 'text' AND "
                                  "substr(json_extract(item, ?), 1, ?) = ?)");
            break;
        case FilterOp::Exists:
            binds << p;
            expr = QStringLiteral("json_type(item, ?) IS NOT NULL");
            break;
        case FilterOp::NotExists:
            binds << p;
            expr = QStringLiteral("json_type(item, ?) IS NULL");
            break;
        }
        parts << expr;
        where.binds << binds;
    }
    if (!parts.isEmpty()) {
        // SQLite's JSON functions fail the whole statement on one damaged record: such a record
        // (or one whose JSON is not an object) passes every condition instead, so that the scan
        // reads it and names it (unreadable) rather than one record hiding all the others.
        // SQLite parses each item once for all the JSON functions of a row, so the check costs
        // little.
        const QString joined = parts.join(QStringLiteral(" AND "));
        parts = QStringList{
            QStringLiteral("(NOT json_valid(item) OR json_type(item) != 'object' OR (%1))")
                .arg(joined)};
    }
    if (!request.text.isEmpty()) {
        parts << QStringLiteral("instr(lower(item), ?) > 0");
        where.binds << request.text.toLower();
    }
    where.sql = parts.join(QStringLiteral(" AND "));
    return where;
}

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

} // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const QString &path, OpenMode mode)
{
    const QFileInfo info(path);
    const bool exists = info.exists();
    if (!exists && mode != OpenMode::CreateIfMissing)
        return makeError(ErrorKind::Unavailable, QStringLiteral("there is no store at %1").arg(path),
                         path);
    if (exists && info.isDir())
        return makeError(ErrorKind::Unavailable,
                         QStringLiteral("%1 is a folder, not a StructDesk store").arg(path), path);
    if (exists) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return makeError(ErrorKind::Unavailable,
                             QStringLiteral("cannot read %1: %2").arg(path, file.errorString()), path);
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

    std::unique_ptr<SqliteStore> store(new SqliteStore);
    store->m_path = path;
    store->m_connection = QStringLiteral("structdesk-") + QUuid::createUuid().toString(QUuid::Id128);
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
        return makeError(ErrorKind::Unavailable,
                         QStringLiteral("cannot open %1: %2").arg(path, store->m_db.lastError().text()),
                         path);

    if (!exists) {
        QSqlQuery q(store->m_db);
        const QStringList schema = {
            QStringLiteral("PRAGMA journal_mode=WAL"),
            QStringLiteral("BEGIN IMMEDIATE"),
            QStringLiteral("CREATE TABLE structdesk_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
            QStringLiteral("CREATE TABLE structdesk_tables(name TEXT PRIMARY KEY, model TEXT NOT NULL, "
                           "has_model INTEGER NOT NULL, created TEXT NOT NULL)"),
        };
        for (const QString &sql : schema) {
            if (!q.exec(sql))
                return store->sqlError(q, QStringLiteral("creating the store"));
        }
        q.prepare(QStringLiteral("INSERT INTO structdesk_meta(key, value) VALUES (?, ?), (?, ?)"));
        q.addBindValue(QStringLiteral("format"));
        q.addBindValue(QString::fromLatin1(kFormat));
        q.addBindValue(QStringLiteral("version"));
        q.addBindValue(QString::number(kVersion));
        if (!q.exec() || !q.exec(QStringLiteral("COMMIT")))
            return store->sqlError(q, QStringLiteral("creating the store"));
    } else {
        QSqlQuery q(store->m_db);
        if (!q.exec(QStringLiteral(
                "SELECT key, value FROM structdesk_meta WHERE key = 'format' OR key = "
                "'version'"))) {
            const QSqlError e = q.lastError();
            const int code = primaryCode(e);
            if (code == kSqliteBusy || code == kSqliteLocked)
                return makeError(ErrorKind::Unavailable,
                                 QStringLiteral("the store %1 is locked by another program; try "
                                                "again when it is done")
                                     .arg(path),
                                 path);
            if (code == kSqliteNotADb || code == kSqliteCorrupt)
                return makeError(
                    ErrorKind::Unavailable,
                    QStringLiteral("%1 is corrupt (%2%3); it was left untouched. Restore it "
                                   "from a backup (the sqlite3 shell's .recover may save "
                                   "what is left in a copy).")
                        .arg(path, e.databaseText(),
                             damage.isEmpty() ? QString() : QStringLiteral("; ") + damage),
                    path);
            // A StructDesk store that lost its format table can still be read.
            if (!store->hasSqlTable(QStringLiteral("structdesk_tables")))
                return makeError(
                    ErrorKind::Unavailable,
                    QStringLiteral("%1 is not a StructDesk store (an SQLite database "
                                   "without StructDesk's tables); it was left untouched")
                        .arg(path),
                    path);
            q.finish();
            store->m_damaged = QStringLiteral("its format table structdesk_meta is missing");
            store->m_readOnly = true;
        }
        QHash<QString, QString> meta;
        while (q.next())
            meta.insert(q.value(0).toString(), q.value(1).toString());
        q.finish();
        if (auto s = store->checkMeta(meta); !s)
            return s.error();
        if (!store->hasSqlTable(QStringLiteral("structdesk_tables")))
            return makeError(
                ErrorKind::Unavailable,
                QStringLiteral("%1 is a StructDesk store whose list of tables (the table "
                               "structdesk_tables) is missing; it was left untouched. Restore "
                               "it from a backup.")
                    .arg(path),
                path);
        if (!store->m_readOnly)
            q.exec(QStringLiteral("PRAGMA journal_mode=WAL"));
    }
    QSqlQuery pragmas(store->m_db);
    pragmas.exec(QStringLiteral("PRAGMA synchronous=NORMAL"));
    if (auto s = store->registerFunctions(); !s)
        return s.error();
    return store;
}

SqliteStore::~SqliteStore()
{
    m_queries.clear();
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connection);
}

StoreCapabilities SqliteStore::capabilities() const
{
    StoreCapabilities caps;
    caps.exactCount = true;
    caps.transactions = true;
    caps.readOnly = m_readOnly;
    if (!m_damaged.isEmpty())
        caps.damaged = damageSentence(m_damaged);
    return caps;
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

static QByteArray modelJsonFor(const QString &table, const TableModel &model);

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
    insert.addBindValue(QString::fromUtf8(modelJsonFor(table, model)));
    insert.addBindValue(model.declaresFields() ? 1 : 0);
    insert.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    if (!insert.exec())
        return sqlError(insert, QStringLiteral("attaching a model to %1").arg(table));
    invalidateModel(table);
    return okStatus();
}

QSqlQuery &SqliteStore::prepared(const QString &sql)
{
    if (m_stale) {
        m_stale = false;
        m_queries.clear();
    }
    m_prepareError = QSqlError(); // it tells about the statement asked for last only
    auto it = m_queries.find(sql);
    if (it == m_queries.end()) {
        QSqlQuery q(m_db);
        if (!q.prepare(sql)) {
            // Qt then answers exec() with "Parameter count mismatch": keep what SQLite said
            // (a records table dropped behind StructDesk's back: "no such table").
            m_prepareError = q.lastError();
            forgetModels(); // the next use checks the tables again and says what is wrong
            m_failedPrepare = std::move(q);
            return m_failedPrepare;
        }
        it = m_queries.insert(sql, q);
    }
    return it.value();
}

QString SqliteStore::damageSentence(const QString &detail) const
{
    return QStringLiteral(
               "the store %1 is damaged (%2); it was opened read-only and nothing is written "
               "to it. Restore it from a backup, or export what can be read with "
               "structdesk-cli --store %1 export TABLE --out FILE")
        .arg(m_path, detail);
}

void SqliteStore::markDamaged(const QString &detail)
{
    if (!m_damaged.isEmpty())
        return;
    // SQLite's own check says more than the failed statement (the first problems only: a full
    // check of a large store takes seconds). It runs once, on the first corrupt answer.
    QString found;
    QSqlQuery check(m_db);
    if (check.exec(QStringLiteral("PRAGMA quick_check(3)"))) {
        QStringList problems;
        while (check.next())
            problems << check.value(0).toString();
        if (!(problems.size() == 1 && problems.front() == u"ok"))
            found = problems.join(QStringLiteral("; "));
    }
    m_damaged = found.isEmpty() ? detail : detail + QStringLiteral("; quick_check: ") + found;
    m_readOnly = true;
}

Error SqliteStore::sqlError(const QSqlQuery &query, const QString &what)
{
    QSqlError e = query.lastError();
    if (m_prepareError.isValid() && e.text().contains(QLatin1String("Parameter count mismatch")))
        e = m_prepareError;
    // StructDesk's tables changed behind its back (the sqlite3 shell, another program): the
    // models and statements kept are stale; say what is wrong where it can be told.
    static const QRegularExpression missingRecords(
        QStringLiteral("no such table: (main\\.)?rec_(\\S+)"));
    const QString said = e.databaseText();
    if (said.contains(QLatin1String("no such table")) ||
        said.contains(QLatin1String("no such column")) ||
        said.contains(QLatin1String("has no column"))) {
        forgetModels();
        m_stale = true;
        if (const auto m = missingRecords.match(said); m.hasMatch()) {
            if (const QString problem = recordsTableProblem(m.captured(2)); !problem.isEmpty())
                return makeError(ErrorKind::Backend,
                                 QStringLiteral("%1 failed: %2").arg(what, problem), m_path);
        }
    }
    const int code = primaryCode(e);
    const QString detail = e.databaseText().isEmpty() ? e.text() : e.databaseText();
    switch (code) {
    case kSqliteBusy:
    case kSqliteLocked:
        return makeError(ErrorKind::Unavailable,
                         QStringLiteral("%1 failed: the store %2 is locked by another program; "
                                        "nothing was written")
                             .arg(what, m_path),
                         m_path);
    case kSqliteReadOnly:
        return makeError(ErrorKind::Backend,
                         QStringLiteral("%1 failed: the store %2 is read-only; nothing was written")
                             .arg(what, m_path),
                         m_path);
    case kSqliteCorrupt:
    case kSqliteNotADb:
        markDamaged(detail);
        return makeError(ErrorKind::Backend,
                         QStringLiteral("%1 failed: %2").arg(what, damageSentence(m_damaged)),
                         m_path);
    case kSqliteFull:
        return makeError(ErrorKind::Unavailable,
                         QStringLiteral("%1 failed: the disk is full; nothing was written").arg(what),
                         m_path);
    case kSqliteCantOpen:
        return makeError(ErrorKind::Unavailable,
                         QStringLiteral("%1 failed: cannot open %2 (%3)").arg(what, m_path, detail),
                         m_path);
    default:
        return makeError(ErrorKind::Backend, QStringLiteral("%1 failed: %2").arg(what, detail), m_path);
    }
}

Status SqliteStore::refuseIfReadOnly() const
{
    if (!m_damaged.isEmpty())
        return makeError(
            ErrorKind::Backend,
            QStringLiteral("nothing was written: this store is damaged (%1) and open read-only. "
                           "Restore it from a backup, or export what can be read with "
                           "structdesk-cli --store %2 export TABLE --out FILE")
                .arg(m_damaged, m_path),
            m_path);
    if (m_readOnly)
        return makeError(ErrorKind::Backend,
                         QStringLiteral("the store %1 is read-only; nothing was written").arg(m_path),
                         m_path);
    return okStatus();
}

Status SqliteStore::begin()
{
    if (m_transactionDepth++ > 0)
        return okStatus();
    QSqlQuery &q = prepared(QStringLiteral("BEGIN IMMEDIATE"));
    if (!q.exec()) {
        m_transactionDepth = 0;
        return sqlError(q, QStringLiteral("starting a transaction"));
    }
    return okStatus();
}

Status SqliteStore::commit()
{
    if (--m_transactionDepth > 0)
        return okStatus();
    m_transactionDepth = 0;
    QSqlQuery &q = prepared(QStringLiteral("COMMIT"));
    if (!q.exec()) {
        Error e = sqlError(q, QStringLiteral("committing"));
        rollback();
        return e;
    }
    return okStatus();
}

void SqliteStore::rollback()
{
    if (m_transactionDepth > 1) {
        --m_transactionDepth;
        return;
    }
    m_transactionDepth = 0;
    for (auto &q : m_queries)
        q.finish();
    QSqlQuery q(m_db);
    q.exec(QStringLiteral("ROLLBACK"));
}

Status SqliteStore::runTransaction(const std::function<Status()> &work)
{
    if (auto ro = refuseIfReadOnly(); !ro)
        return ro;
    if (auto b = begin(); !b)
        return b;
    // Nested operations must not commit on their own: pin the depth while work runs.
    Status result = work();
    if (!result) {
        m_transactionDepth = 1;
        rollback();
        return result;
    }
    return commit();
}

QString SqliteStore::sqlTable(const QString &table)
{
    // Table names are checked by TableModel::checkTableName: no quotes can occur.
    return QStringLiteral("\"rec_%1\"").arg(table);
}

QString SqliteStore::keyColumnText(const Value &key)
{
    return key.isNumber() ? canonicalNumber(key.text()) : key.text();
}

Result<QStringList> SqliteStore::listTables()
{
    QSqlQuery &q = prepared(QStringLiteral("SELECT name FROM structdesk_tables ORDER BY name"));
    if (!q.exec())
        return sqlError(q, QStringLiteral("listing tables"));
    QStringList names;
    while (q.next())
        names << q.value(0).toString();
    q.finish();
    // Records whose table entry was deleted are listed too: without a model, to attach one.
    const QStringList stranded = strandedTables();
    if (!stranded.isEmpty()) {
        names << stranded;
        std::sort(names.begin(), names.end());
    }
    return names;
}

Result<TableModelPtr> SqliteStore::loadModel(const QString &table)
{
    QSqlQuery &q = prepared(QStringLiteral("SELECT model FROM structdesk_tables WHERE name = ?"));
    q.addBindValue(table);
    if (!q.exec())
        return sqlError(q, QStringLiteral("reading the model of %1").arg(table));
    if (!q.next()) {
        q.finish();
        if (strandedTables().contains(table)) {
            QSqlQuery n(m_db);
            const qint64 records =
                n.exec(QStringLiteral("SELECT count(*) FROM %1").arg(sqlTable(table))) && n.next()
                    ? n.value(0).toLongLong()
                    : -1;
            return makeError(
                ErrorKind::NotFound,
                QStringLiteral("table %1 in %2 has its records (rec_%1: %3 records) but no "
                               "model: its entry in structdesk_tables is missing. Attach its "
                               "model with structdesk-cli --store %2 set-model %1 --model FILE "
                               "(or create-table with it); the records are kept")
                    .arg(table, m_path)
                    .arg(records),
                table);
        }
        return makeError(ErrorKind::NotFound,
                         QStringLiteral("there is no table %1 in %2").arg(table, m_path), table);
    }
    const QByteArray json = q.value(0).toString().toUtf8();
    q.finish();
    if (const QString problem = recordsTableProblem(table); !problem.isEmpty())
        return makeError(ErrorKind::Backend, problem, table);
    auto model = TableModel::fromJson(json, QStringLiteral("model of table %1").arg(table));
    if (!model)
        return makeError(ErrorKind::Backend,
                         QStringLiteral("the stored model of table %1 cannot be read: %2")
                             .arg(table, model.error().toString()),
                         table);
    return *model;
}

Result<TableInfo> SqliteStore::describeTable(const QString &table)
{
    auto m = model(table);
    if (!m)
        return m.error();
    TableInfo info;
    info.name = table;
    info.model = *m;
    info.hasModel = (*m)->declaresFields();
    auto n = count(table);
    if (!n)
        return n.error();
    info.count = *n;
    info.countExact = true;
    return info;
}

/// The model file text with "table" set to the table it is stored for.
static QByteArray modelJsonFor(const QString &table, const TableModel &model)
{
    return model.toJson(table);
}

Status SqliteStore::createTable(const QString &table, const TableModel &model)
{
    if (auto ro = refuseIfReadOnly(); !ro)
        return ro;
    const QString problem = TableModel::checkTableName(table);
    if (!problem.isEmpty())
        return makeError(ErrorKind::Invalid, problem, table);
    if (!model.primaryIndex().sortKey.isEmpty())
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("tables with a sort key are not supported: StructNoSQL "
                                        "addresses records by their hash key alone"),
                         table);
    if (auto b = begin(); !b)
        return b;
    // Records left without their table entry: the table is created on them, keeping them.
    if (strandedTables().contains(table)) {
        if (auto adopted = adoptRecordsTable(table, model); !adopted) {
            rollback();
            return adopted;
        }
        return commit();
    }
    if (hasSqlTable(QStringLiteral("rec_") + table) &&
        !hasRowIn(QStringLiteral("structdesk_tables"), table)) {
        rollback();
        return makeError(
            ErrorKind::Exists,
            QStringLiteral("%1 already holds a table rec_%2 that is not StructDesk's (its "
                           "columns are (%3)); nothing was changed")
                .arg(m_path, table, recordsColumns(table).join(QStringLiteral(", "))),
            table);
    }
    QSqlQuery &insert = prepared(QStringLiteral(
        "INSERT INTO structdesk_tables(name, model, has_model, created) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(name) DO NOTHING"));
    insert.addBindValue(table);
    insert.addBindValue(QString::fromUtf8(modelJsonFor(table, model)));
    insert.addBindValue(model.declaresFields() ? 1 : 0);
    insert.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    if (!insert.exec()) {
        Error e = sqlError(insert, QStringLiteral("creating table %1").arg(table));
        rollback();
        return e;
    }
    if (insert.numRowsAffected() == 0) {
        rollback();
        return makeError(ErrorKind::Exists, QStringLiteral("table %1 already exists").arg(table), table);
    }
    QSqlQuery create(m_db);
    if (!create.exec(QStringLiteral("CREATE TABLE %1(pk TEXT NOT NULL UNIQUE, item TEXT NOT NULL)")
                         .arg(sqlTable(table)))) {
        Error e = sqlError(create, QStringLiteral("creating table %1").arg(table));
        rollback();
        return e;
    }
    invalidateModel(table);
    return commit();
}

Status SqliteStore::dropTable(const QString &table)
{
    if (auto ro = refuseIfReadOnly(); !ro)
        return ro;
    // Not through model(): a table whose records table or model row is gone can be dropped.
    if (!hasRowIn(QStringLiteral("structdesk_tables"), table) && !strandedTables().contains(table))
        return makeError(ErrorKind::NotFound,
                         QStringLiteral("there is no table %1 in %2").arg(table, m_path), table);
    if (auto b = begin(); !b)
        return b;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("DELETE FROM structdesk_tables WHERE name = ?"));
    q.addBindValue(table);
    if (!q.exec() || !q.exec(QStringLiteral("DROP TABLE IF EXISTS %1").arg(sqlTable(table)))) {
        Error e = sqlError(q, QStringLiteral("dropping table %1").arg(table));
        rollback();
        return e;
    }
    // Prepared statements on the dropped table are stale now.
    m_queries.clear();
    invalidateModel(table);
    return commit();
}

Status SqliteStore::setModel(const QString &table, const TableModel &newModel)
{
    if (auto ro = refuseIfReadOnly(); !ro)
        return ro;
    if (strandedTables().contains(table)) {
        if (!newModel.primaryIndex().sortKey.isEmpty())
            return makeError(ErrorKind::Invalid,
                             QStringLiteral("tables with a sort key are not supported: StructNoSQL "
                                            "addresses records by their hash key alone"),
                             table);
        return runTransaction([&] { return adoptRecordsTable(table, newModel); });
    }
    auto m = model(table);
    if (!m)
        return m.error();
    if ((*m)->hashKey() != newModel.hashKey() || (*m)->hashKeyType() != newModel.hashKeyType())
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("the model's key %1 (%2) does not match the table's key %3 (%4)")
                             .arg(newModel.hashKey(), fieldKindName(newModel.hashKeyType()),
                                  (*m)->hashKey(), fieldKindName((*m)->hashKeyType())),
                         table);
    QSqlQuery &q = prepared(QStringLiteral("UPDATE structdesk_tables SET model = ?, has_model = ? WHERE name = ?"));
    q.addBindValue(QString::fromUtf8(modelJsonFor(table, newModel)));
    q.addBindValue(newModel.declaresFields() ? 1 : 0);
    q.addBindValue(table);
    if (!q.exec())
        return sqlError(q, QStringLiteral("attaching a model to %1").arg(table));
    invalidateModel(table);
    return okStatus();
}

Result<std::optional<Value>> SqliteStore::readRecord(const QString &table, const QString &pk)
{
    QSqlQuery &q =
        prepared(QStringLiteral("SELECT item, rowid FROM %1 WHERE pk = ?").arg(sqlTable(table)));
    q.addBindValue(pk);
    if (!q.exec())
        return sqlError(q, QStringLiteral("reading a record of %1").arg(table));
    if (!q.next()) {
        q.finish();
        return std::optional<Value>();
    }
    auto record = parseRow(q.value(0));
    const qint64 rowid = q.value(1).toLongLong();
    q.finish();
    if (auto *reason = std::get_if<QString>(&record))
        return unreadableError(table, UnreadableRecord{pk, rowid, *reason, 0});
    return std::optional<Value>(std::get<Value>(std::move(record)));
}

Error SqliteStore::unreadableError(const QString &table, const UnreadableRecord &record) const
{
    return makeError(
        ErrorKind::Backend,
        QStringLiteral("the stored record %1 of table %2 in %3 cannot be read (row %4): "
                       "%5; it was left untouched (delete it, or restore the file from a "
                       "backup)")
            .arg(u'"' + record.key + u'"', table, m_path)
            .arg(record.row)
            .arg(record.reason),
        record.key);
}

std::variant<Value, QString> SqliteStore::parseRow(const QVariant &item)
{
    if (item.isNull())
        return QStringLiteral("its stored text is missing (NULL)");
    // Text as SQLite holds it; a blob (written by another program) is read as its bytes.
    const QByteArray json =
        item.typeId() == QMetaType::QByteArray ? item.toByteArray() : item.toString().toUtf8();
    auto record = JsonCodec::parseStored(json);
    if (!record)
        return damagedJson(record.error());
    if (!record->isMap())
        return QStringLiteral("its stored JSON is %1, not a record (an object of attributes)")
            .arg(record->typeDescription());
    return std::move(*record);
}

Status SqliteStore::writeRecord(const QString &table, const QString &pk, const Value &record)
{
    QSqlQuery &q = prepared(QStringLiteral("INSERT INTO %1(pk, item) VALUES (?, ?) ON CONFLICT(pk) "
                                           "DO UPDATE SET item = excluded.item")
                                .arg(sqlTable(table)));
    q.addBindValue(pk);
    q.addBindValue(QString::fromUtf8(JsonCodec::toStored(record)));
    if (!q.exec())
        return sqlError(q, QStringLiteral("writing a record of %1").arg(table));
    return okStatus();
}

Status SqliteStore::doPut(const QString &table, const Value &key, const Value &record)
{
    if (auto ro = refuseIfReadOnly(); !ro)
        return ro;
    QSqlQuery &q = prepared(
        QStringLiteral("INSERT INTO %1(pk, item) VALUES (?, ?) ON CONFLICT(pk) DO NOTHING").arg(sqlTable(table)));
    q.addBindValue(keyColumnText(key));
    q.addBindValue(QString::fromUtf8(JsonCodec::toStored(record)));
    if (!q.exec())
        return sqlError(q, QStringLiteral("putting a record into %1").arg(table));
    if (q.numRowsAffected() == 0)
        return makeError(ErrorKind::Exists,
                         QStringLiteral("a record with the key %1 already exists; nothing was written")
                             .arg(key.text()),
                         key.text());
    return okStatus();
}

Status SqliteStore::writeRaw(const QString &table, const Value &record, bool mustNotExist)
{
    if (auto ro = refuseIfReadOnly(); !ro)
        return ro;
    auto m = model(table);
    if (!m)
        return m.error();
    auto key = recordKey(**m, record);
    if (!key)
        return key.error();
    if (mustNotExist)
        return doPut(table, *key, record);
    return writeRecord(table, keyColumnText(*key), record);
}

Status SqliteStore::writeStored(const QString &table, const Value &key, const QByteArray &storedJson,
                                bool mustNotExist)
{
    if (auto ro = refuseIfReadOnly(); !ro)
        return ro;
    // A QByteArray binds as a blob; CAST makes it the UTF-8 text it is, without the UTF-16
    // round trip a QString costs. The statements of the last table are kept: this runs once
    // per record of an import.
    thread_local QString lastTable;
    thread_local QString insertSql;
    thread_local QString upsertSql;
    if (lastTable != table) {
        lastTable = table;
        insertSql = QStringLiteral("INSERT INTO %1(pk, item) VALUES (?, CAST(? AS TEXT)) ON CONFLICT(pk) DO NOTHING")
                        .arg(sqlTable(table));
        upsertSql = QStringLiteral("INSERT INTO %1(pk, item) VALUES (?, CAST(? AS TEXT)) ON CONFLICT(pk) DO UPDATE "
                                   "SET item = excluded.item")
                        .arg(sqlTable(table));
    }
    QSqlQuery &q = prepared(mustNotExist ? insertSql : upsertSql);
    q.addBindValue(keyColumnText(key));
    q.addBindValue(storedJson);
    if (!q.exec())
        return sqlError(q, QStringLiteral("writing a record of %1").arg(table));
    if (mustNotExist && q.numRowsAffected() == 0)
        return makeError(ErrorKind::Exists,
                         QStringLiteral("a record with the key %1 already exists; nothing was written")
                             .arg(key.text()),
                         key.text());
    return okStatus();
}

Status SqliteStore::doReplace(const QString &table, const Value &key, const Value &expected,
                              const Value &record)
{
    if (auto ro = refuseIfReadOnly(); !ro)
        return ro;
    if (auto b = begin(); !b)
        return b;
    const QString pk = keyColumnText(key);
    auto current = readRecord(table, pk);
    if (!current) {
        rollback();
        return current.error();
    }
    if (!current->has_value()) {
        rollback();
        return makeError(ErrorKind::NotFound,
                         QStringLiteral("the record %1 no longer exists; nothing was written").arg(key.text()),
                         key.text());
    }
    if (**current != expected) {
        rollback();
        return makeError(ErrorKind::Conflict,
                         QStringLiteral("the record %1 changed in the store since it was loaded; "
                                        "nothing was written")
                             .arg(key.text()),
                         key.text());
    }
    if (auto w = writeRecord(table, pk, record); !w) {
        rollback();
        return w;
    }
    return commit();
}

Result<bool> SqliteStore::doDelete(const QString &table, const Value &key)
{
    if (auto ro = refuseIfReadOnly(); !ro)
        return ro.error();
    // Needs no reading: a record whose stored text is damaged can be deleted too.
    QSqlQuery &q = prepared(QStringLiteral("DELETE FROM %1 WHERE pk = ?").arg(sqlTable(table)));
    q.addBindValue(keyColumnText(key));
    if (!q.exec())
        return sqlError(q, QStringLiteral("deleting a record of %1").arg(table));
    return q.numRowsAffected() > 0;
}

Result<std::optional<Value>> SqliteStore::doGet(const QString &table, const Value &key)
{
    return readRecord(table, keyColumnText(key));
}

Result<std::optional<Value>> SqliteStore::doRemove(const QString &table, const Value &key)
{
    if (auto ro = refuseIfReadOnly(); !ro)
        return ro.error();
    // Read first, in the same transaction: remove hands the record back, so a record that
    // cannot be read is not removed (delete discards it).
    if (auto b = begin(); !b)
        return b.error();
    const QString pk = keyColumnText(key);
    auto current = readRecord(table, pk);
    if (!current || !current->has_value()) {
        rollback();
        return current;
    }
    QSqlQuery &q = prepared(QStringLiteral("DELETE FROM %1 WHERE pk = ?").arg(sqlTable(table)));
    q.addBindValue(pk);
    if (!q.exec()) {
        Error e = sqlError(q, QStringLiteral("removing a record of %1").arg(table));
        rollback();
        return e;
    }
    if (auto c = commit(); !c)
        return c.error();
    return current;
}

Result<std::vector<std::optional<Value>>>
SqliteStore::doUpdate(const QString &table, const Value &key, const std::vector<ResolvedSetter> &setters)
{
    if (auto ro = refuseIfReadOnly(); !ro)
        return ro.error();
    auto m = model(table);
    if (!m)
        return m.error();
    if (auto b = begin(); !b)
        return b.error();
    const QString pk = keyColumnText(key);
    auto current = readRecord(table, pk);
    if (!current) {
        rollback();
        return current.error();
    }
    // As documented: updating a missing record creates it with its key and the fields.
    Value record = current->has_value() ? std::move(**current)
                                        : Value::map({{(*m)->hashKey(), key}});
    std::vector<std::optional<Value>> old;
    old.reserve(setters.size());
    for (const ResolvedSetter &setter : setters) {
        auto previous = setAtPath(record, setter.path, setter.value);
        if (!previous) {
            rollback();
            Error e = previous.error();
            e.message += QStringLiteral("; nothing was written");
            return e;
        }
        old.push_back(std::move(*previous));
    }
    if (record.depth() > TableModel::kMaxDepth) {
        rollback();
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("the update would nest the record deeper than %1 levels; "
                                        "nothing was written")
                             .arg(TableModel::kMaxDepth));
    }
    if (auto w = writeRecord(table, pk, record); !w) {
        rollback();
        return w.error();
    }
    if (auto c = commit(); !c)
        return c.error();
    return old;
}

Result<std::optional<Value>> SqliteStore::doRemoveField(const QString &table, const Value &key,
                                                        const ResolvedPath &path)
{
    if (auto ro = refuseIfReadOnly(); !ro)
        return ro.error();
    if (auto b = begin(); !b)
        return b.error();
    const QString pk = keyColumnText(key);
    auto current = readRecord(table, pk);
    if (!current) {
        rollback();
        return current.error();
    }
    if (!current->has_value()) {
        rollback();
        return std::optional<Value>();
    }
    Value record = std::move(**current);
    std::optional<Value> removed = removeAtPath(record, path);
    if (!removed) {
        rollback();
        return removed;
    }
    if (auto w = writeRecord(table, pk, record); !w) {
        rollback();
        return w.error();
    }
    if (auto c = commit(); !c)
        return c.error();
    return removed;
}

Result<ScanPage> SqliteStore::scan(const QString &table, const ScanRequest &request)
{
    auto m = model(table);
    if (!m)
        return m.error();
    auto where = buildWhere(request);
    if (!where)
        return where.error();
    QStringList conditions;
    if (!where->sql.isEmpty())
        conditions << where->sql;
    QVariantList binds = where->binds;
    const bool sorted = !request.sortPath.isEmpty();
    QString sortExpr = QStringLiteral("NULL");
    QVariantList sortBinds;
    if (sorted) {
        auto p = jsonPath(request.sortPath);
        if (!p)
            return p.error();
        // A damaged record sorts with those that lack the field.
        sortExpr = QStringLiteral(
            "coalesce(CASE WHEN json_valid(item) THEN json_extract(item, ?) END, -9e999)");
        sortBinds << *p;
    }
    const QString cmp = request.descending ? QStringLiteral("<") : QStringLiteral(">");
    const QString dir = request.descending ? QStringLiteral("DESC") : QStringLiteral("ASC");
    if (request.cursor.startsWith('I'))
        return scanRowids(table, request.cursor.mid(1));
    QVariantList cursorBinds;
    if (!request.cursor.isEmpty()) {
        const QJsonObject c = QJsonDocument::fromJson(request.cursor).object();
        if (!c.contains(QStringLiteral("r")))
            return makeError(ErrorKind::Invalid, QStringLiteral("the scan cursor is not valid"));
        const qlonglong rowid = c.value(QStringLiteral("r")).toString().toLongLong();
        if (sorted) {
            const QString t = c.value(QStringLiteral("t")).toString();
            const QString v = c.value(QStringLiteral("v")).toString();
            QVariant last;
            if (t == u"i")
                last = v.toLongLong();
            else if (t == u"d")
                last = v.toDouble();
            else if (t == u"s")
                last = v;
            conditions << (t == u"m" ? QStringLiteral("(%1, rowid) %2 (-9e999, ?)").arg(sortExpr, cmp)
                                     : QStringLiteral("(%1, rowid) %2 (?, ?)").arg(sortExpr, cmp));
            cursorBinds << sortBinds;
            if (t != u"m")
                cursorBinds << last;
            cursorBinds << rowid;
        } else {
            conditions << QStringLiteral("rowid %1 ?").arg(cmp);
            cursorBinds << rowid;
        }
    }
    const int limit = std::clamp(request.limit, 1, 100000);
    // Stored JSON for bulk reads comes as the UTF-8 bytes it is (a blob), with no UTF-16 trip.
    QString sql =
        QStringLiteral("SELECT rowid, %1, %2, %3 FROM %4")
            .arg(request.storedJson ? QStringLiteral("CAST(item AS BLOB)") : QStringLiteral("item"),
                 sortExpr,
                 request.storedJson ? QStringLiteral("CAST(pk AS BLOB)") : QStringLiteral("pk"),
                 sqlTable(table));
    if (!conditions.isEmpty())
        sql += QStringLiteral(" WHERE ") + conditions.join(QStringLiteral(" AND "));
    sql += sorted ? QStringLiteral(" ORDER BY 3 %1, rowid %1").arg(dir)
                  : QStringLiteral(" ORDER BY rowid %1").arg(dir);
    sql += QStringLiteral(" LIMIT %1").arg(limit);
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.prepare(sql))
        return sqlError(q, QStringLiteral("scanning %1").arg(table));
    for (const QVariant &v : sortBinds)
        q.addBindValue(v);
    for (const QVariant &v : binds)
        q.addBindValue(v);
    for (const QVariant &v : cursorBinds)
        q.addBindValue(v);
    if (!q.exec())
        return sqlError(q, QStringLiteral("scanning %1").arg(table));
    ScanPage page;
    page.records.reserve(std::size_t(std::min(limit, 4096)));
    qlonglong lastRowid = 0;
    QVariant lastSort;
    while (q.next()) {
        if (request.cancelled && request.cancelled())
            return makeError(ErrorKind::Unavailable, QStringLiteral("the scan was cancelled"));
        lastRowid = q.value(0).toLongLong();
        lastSort = q.value(2);
        if (request.storedJson) {
            page.storedRecords.push_back(q.value(1).toByteArray());
            page.storedKeys.push_back(q.value(3).toByteArray());
            page.storedRows.push_back(lastRowid);
            continue;
        }
        auto record = parseRow(q.value(1));
        if (auto *reason = std::get_if<QString>(&record)) {
            page.unreadable.push_back(
                UnreadableRecord{q.value(3).toString(), lastRowid, *reason, page.records.size()});
            continue;
        }
        page.records.push_back(std::get<Value>(std::move(record)));
    }
    if (int(page.records.size() + page.storedRecords.size() + page.unreadable.size()) == limit) {
        QJsonObject c;
        c.insert(QStringLiteral("r"), QString::number(lastRowid));
        if (sorted) {
            QString t = QStringLiteral("s");
            if (lastSort.typeId() == QMetaType::LongLong || lastSort.typeId() == QMetaType::Int)
                t = QStringLiteral("i");
            else if (lastSort.typeId() == QMetaType::Double)
                t = qIsInf(lastSort.toDouble()) ? QStringLiteral("m") : QStringLiteral("d");
            c.insert(QStringLiteral("t"), t);
            c.insert(QStringLiteral("v"), t == u"d" ? QString::number(lastSort.toDouble(), 'g', 17)
                                                    : lastSort.toString());
        }
        page.nextCursor = QJsonDocument(c).toJson(QJsonDocument::Compact);
    }
    return page;
}

Result<qint64> SqliteStore::count(const QString &table, const ScanRequest &filter)
{
    auto m = model(table);
    if (!m)
        return m.error();
    auto where = buildWhere(filter);
    if (!where)
        return where.error();
    QString sql = QStringLiteral("SELECT count(*) FROM %1").arg(sqlTable(table));
    if (!where->sql.isEmpty())
        sql += QStringLiteral(" WHERE ") + where->sql;
    QSqlQuery q(m_db);
    if (!q.prepare(sql))
        return sqlError(q, QStringLiteral("counting %1").arg(table));
    for (const QVariant &v : where->binds)
        q.addBindValue(v);
    if (!q.exec() || !q.next())
        return sqlError(q, QStringLiteral("counting %1").arg(table));
    return q.value(0).toLongLong();
}

namespace {

sqlite3 *rawHandle(const QSqlDatabase &db)
{
    const QVariant v = db.driver()->handle();
    if (!v.isValid() || qstrcmp(v.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(v.constData());
}

/// A prepared raw statement, finalized on destruction.
class RawStatement
{
public:
    RawStatement(sqlite3 *db, const QString &sql)
    {
        const QByteArray utf8 = sql.toUtf8();
        m_rc = sqlite3_prepare_v2(db, utf8.constData(), int(utf8.size()), &m_stmt, nullptr);
    }
    ~RawStatement() { sqlite3_finalize(m_stmt); }
    RawStatement(const RawStatement &) = delete;
    RawStatement &operator=(const RawStatement &) = delete;
    bool ok() const { return m_rc == SQLITE_OK && m_stmt; }
    sqlite3_stmt *get() const { return m_stmt; }
    void bind(int position, const QVariant &v)
    {
        switch (v.typeId()) {
        case QMetaType::LongLong:
        case QMetaType::Int: sqlite3_bind_int64(m_stmt, position, v.toLongLong()); break;
        case QMetaType::Double: sqlite3_bind_double(m_stmt, position, v.toDouble()); break;
        default: {
            const QByteArray text = v.toString().toUtf8();
            sqlite3_bind_text(m_stmt, position, text.constData(), int(text.size()), SQLITE_TRANSIENT);
        }
        }
    }

private:
    sqlite3_stmt *m_stmt = nullptr;
    int m_rc = SQLITE_ERROR;
};

/// A sort key as SQLite orders values: missing/NULL < numbers < text (BINARY collation). Text
/// keys carry their first 8 bytes big-endian, so most comparisons are one integer compare.
struct SortEntry
{
    qint64 rowid = 0;
    int kind = 0; ///< 0 missing, 1 number, 2 text
    bool isInteger = false;
    qint64 integer = 0;
    double number = 0;
    quint64 prefix = 0;
    int textIndex = -1; ///< into the text arena, when longer than 8 bytes
};

int compareEntries(const SortEntry &a, const SortEntry &b, const std::vector<QByteArray> &texts)
{
    if (a.kind != b.kind)
        return a.kind < b.kind ? -1 : 1;
    if (a.kind == 1) {
        if (a.isInteger && b.isInteger) {
            if (a.integer != b.integer)
                return a.integer < b.integer ? -1 : 1;
        } else {
            const double x = a.isInteger ? double(a.integer) : a.number;
            const double y = b.isInteger ? double(b.integer) : b.number;
            if (x != y)
                return x < y ? -1 : 1;
        }
    } else if (a.kind == 2) {
        if (a.prefix != b.prefix)
            return a.prefix < b.prefix ? -1 : 1;
        const QByteArray empty;
        const QByteArray &x = a.textIndex >= 0 ? texts[std::size_t(a.textIndex)] : empty;
        const QByteArray &y = b.textIndex >= 0 ? texts[std::size_t(b.textIndex)] : empty;
        const int c = std::memcmp(x.constData(), y.constData(), size_t(std::min(x.size(), y.size())));
        if (c != 0)
            return c < 0 ? -1 : 1;
        if (x.size() != y.size())
            return x.size() < y.size() ? -1 : 1;
    }
    return 0;
}

QByteArray rowidCursor(const std::vector<qint64> &ids, std::size_t from, std::size_t to)
{
    QByteArray out = "I[";
    for (std::size_t i = from; i < to; ++i) {
        if (i > from)
            out += ',';
        out += QByteArray::number(ids[i]);
    }
    out += ']';
    return out;
}

} // namespace

namespace {

/// structdesk_numcmp(a, b): compares two numbers given as exact decimal text (-1, 0, 1), so
/// filters on 38-digit numbers are exact. NULL when either is not a number.
void numberCompare(sqlite3_context *context, int, sqlite3_value **values)
{
    const auto *a = reinterpret_cast<const char *>(sqlite3_value_text(values[0]));
    const auto *b = reinterpret_cast<const char *>(sqlite3_value_text(values[1]));
    if (!a || !b) {
        sqlite3_result_null(context);
        return;
    }
    const QString x = QString::fromLatin1(a);
    const QString y = QString::fromLatin1(b);
    if (!checkNumber(x).isEmpty() || !checkNumber(y).isEmpty()) {
        sqlite3_result_null(context);
        return;
    }
    sqlite3_result_int(context, compareNumbers(x, y));
}

} // namespace

Status SqliteStore::registerFunctions()
{
    sqlite3 *db = rawHandle(m_db);
    if (!db)
        return makeError(ErrorKind::Backend, QStringLiteral("the SQLite driver gives no handle"));
    if (sqlite3_create_function_v2(db, "structdesk_numcmp", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                   &numberCompare, nullptr, nullptr, nullptr) != SQLITE_OK)
        return makeError(ErrorKind::Backend, QString::fromUtf8(sqlite3_errmsg(db)));
    return okStatus();
}

Result<ScanPage> SqliteStore::scanRowids(const QString &table, const QByteArray &ids)
{
    QSqlQuery &q = prepared(QStringLiteral("SELECT rowid, item, pk FROM %1 WHERE rowid IN "
                                           "(SELECT value FROM json_each(?))")
                                .arg(sqlTable(table)));
    q.addBindValue(QString::fromLatin1(ids));
    if (!q.exec())
        return sqlError(q, QStringLiteral("reading a page of %1").arg(table));
    QHash<qint64, Value> byId;
    QHash<qint64, UnreadableRecord> unreadable;
    while (q.next()) {
        const qint64 rowid = q.value(0).toLongLong();
        auto record = parseRow(q.value(1));
        if (auto *reason = std::get_if<QString>(&record))
            unreadable.insert(rowid, UnreadableRecord{q.value(2).toString(), rowid, *reason, 0});
        else
            byId.insert(rowid, std::get<Value>(std::move(record)));
    }
    q.finish();
    ScanPage page;
    const QList<QByteArray> order = ids.mid(1, ids.size() - 2).split(',');
    page.records.reserve(std::size_t(order.size()));
    for (const QByteArray &id : order) {
        const qint64 rowid = id.toLongLong();
        if (auto it = byId.find(rowid); it != byId.end()) {
            page.records.push_back(std::move(it.value()));
        } else if (auto bad = unreadable.find(rowid); bad != unreadable.end()) {
            bad->position = page.records.size();
            page.unreadable.push_back(std::move(bad.value()));
        }
    }
    return page;
}

Result<PageIndex> SqliteStore::buildPageIndex(const QString &table, const ScanRequest &view,
                                              int pageSize, const std::function<bool(double)> &progress)
{
    auto m = model(table);
    if (!m)
        return m.error();
    auto where = buildWhere(view);
    if (!where)
        return where.error();
    sqlite3 *db = rawHandle(m_db);
    if (!db)
        return RecordStore::buildPageIndex(table, view, pageSize, progress);
    pageSize = std::max(1, pageSize);
    PageIndex index;
    index.pageSize = pageSize;
    const auto cancelled = [] {
        return makeError(ErrorKind::Unavailable, QStringLiteral("cancelled"));
    };
    const bool sorted = !view.sortPath.isEmpty();
    if (!sorted && where->sql.isEmpty()) {
        RawStatement stmt(db, QStringLiteral("SELECT rowid FROM %1 ORDER BY rowid").arg(sqlTable(table)));
        if (!stmt.ok())
            return makeError(ErrorKind::Backend, QString::fromUtf8(sqlite3_errmsg(db)));
        qint64 n = 0;
        int rc;
        while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
            if (n % pageSize == 0)
                index.cursors.push_back(
                    n == 0 ? QByteArray()
                           : QByteArray("{\"r\":\"") + QByteArray::number(sqlite3_column_int64(stmt.get(), 0) - 1) + "\"}");
            ++n;
        }
        if (rc != SQLITE_DONE)
            return makeError(ErrorKind::Backend, QString::fromUtf8(sqlite3_errmsg(db)));
        index.rowCount = n;
        if (index.cursors.empty())
            index.cursors.push_back({});
        return index;
    }

    QString sortExpr = QStringLiteral("NULL");
    QString sortPath;
    if (sorted) {
        auto p = jsonPath(view.sortPath);
        if (!p)
            return p.error();
        sortPath = *p;
        sortExpr = QStringLiteral("CASE WHEN json_valid(item) THEN json_extract(item, ?) END");
    }
    qint64 maxRowid = 0;
    {
        RawStatement stmt(db, QStringLiteral("SELECT coalesce(max(rowid), 0) FROM %1").arg(sqlTable(table)));
        if (!stmt.ok() || sqlite3_step(stmt.get()) != SQLITE_ROW)
            return makeError(ErrorKind::Backend, QString::fromUtf8(sqlite3_errmsg(db)));
        maxRowid = sqlite3_column_int64(stmt.get(), 0);
    }
    QString sql = QStringLiteral("SELECT rowid, %1 FROM %2 WHERE rowid > ? AND rowid <= ?")
                      .arg(sortExpr, sqlTable(table));
    if (!where->sql.isEmpty())
        sql += QStringLiteral(" AND ") + where->sql;
    RawStatement stmt(db, sql);
    if (!stmt.ok())
        return makeError(ErrorKind::Backend, QString::fromUtf8(sqlite3_errmsg(db)));
    std::vector<qint64> ids;
    std::vector<SortEntry> entries;
    std::vector<QByteArray> texts;
    constexpr qint64 kChunk = 32768;
    for (qint64 from = 0; from < maxRowid; from += kChunk) {
        if (progress && !progress(double(from) / double(maxRowid)))
            return cancelled();
        sqlite3_reset(stmt.get());
        int position = 1;
        if (sorted)
            stmt.bind(position++, sortPath);
        stmt.bind(position++, from);
        stmt.bind(position++, from + kChunk);
        for (const QVariant &v : where->binds)
            stmt.bind(position++, v);
        sqlite3_stmt *st = stmt.get();
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (!sorted) {
                ids.push_back(sqlite3_column_int64(st, 0));
                continue;
            }
            SortEntry e;
            e.rowid = sqlite3_column_int64(st, 0);
            switch (sqlite3_column_type(st, 1)) {
            case SQLITE_INTEGER:
                e.kind = 1;
                e.isInteger = true;
                e.integer = sqlite3_column_int64(st, 1);
                break;
            case SQLITE_FLOAT:
                e.kind = 1;
                e.number = sqlite3_column_double(st, 1);
                break;
            case SQLITE_TEXT:
            case SQLITE_BLOB: {
                e.kind = 2;
                const auto *bytes = static_cast<const unsigned char *>(sqlite3_column_blob(st, 1));
                const int n = sqlite3_column_bytes(st, 1);
                for (int i = 0; i < 8; ++i)
                    e.prefix = (e.prefix << 8) | (i < n ? bytes[i] : 0u);
                if (n > 8) {
                    e.textIndex = int(texts.size());
                    texts.emplace_back(reinterpret_cast<const char *>(bytes) + 8, n - 8);
                }
                break;
            }
            default: break;
            }
            entries.push_back(e);
        }
        if (rc != SQLITE_DONE)
            return makeError(ErrorKind::Backend, QString::fromUtf8(sqlite3_errmsg(db)));
    }
    if (progress && !progress(1.0))
        return cancelled();
    if (sorted) {
        const bool descending = view.descending;
        std::sort(entries.begin(), entries.end(), [&](const SortEntry &a, const SortEntry &b) {
            const int c = compareEntries(a, b, texts);
            if (c != 0)
                return descending ? c > 0 : c < 0;
            return descending ? a.rowid > b.rowid : a.rowid < b.rowid;
        });
        ids.reserve(entries.size());
        for (const SortEntry &e : entries)
            ids.push_back(e.rowid);
    } else if (view.descending) {
        std::reverse(ids.begin(), ids.end());
    }
    index.rowCount = qint64(ids.size());
    for (std::size_t from = 0; from < ids.size(); from += std::size_t(pageSize))
        index.cursors.push_back(rowidCursor(ids, from, std::min(ids.size(), from + std::size_t(pageSize))));
    if (index.cursors.empty())
        index.cursors.push_back("I[]");
    return index;
}
