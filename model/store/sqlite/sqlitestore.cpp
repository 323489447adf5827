// The SQLite store: the record operations on one file (transactions, reads, writes, scans).

#include "model/store/sqlite/sqlitestore.h"
#include "model/store/sqlite/sqlitesql.h"

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
        return makeError(
            ErrorKind::Unavailable,
            QStringLiteral("%1 failed: the disk is full; nothing was written").arg(what), m_path);
    case kSqliteCantOpen:
        return makeError(ErrorKind::Unavailable,
                         QStringLiteral("%1 failed: cannot open %2 (%3)").arg(what, m_path, detail),
                         m_path);
    default:
        return makeError(ErrorKind::Backend, QStringLiteral("%1 failed: %2").arg(what, detail),
                         m_path);
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
        return makeError(
            ErrorKind::Backend,
            QStringLiteral("the store %1 is read-only; nothing was written").arg(m_path), m_path);
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
    insert.addBindValue(QString::fromUtf8(model.toJson(table)));
    insert.addBindValue(model.declaresFields() ? 1 : 0);
    insert.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    if (!insert.exec()) {
        Error e = sqlError(insert, QStringLiteral("creating table %1").arg(table));
        rollback();
        return e;
    }
    if (insert.numRowsAffected() == 0) {
        rollback();
        return makeError(ErrorKind::Exists, QStringLiteral("table %1 already exists").arg(table),
                         table);
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
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral("the model's key %1 (%2) does not match the table's key %3 (%4)")
                .arg(newModel.hashKey(), fieldKindName(newModel.hashKeyType()), (*m)->hashKey(),
                     fieldKindName((*m)->hashKeyType())),
            table);
    QSqlQuery &q = prepared(
        QStringLiteral("UPDATE structdesk_tables SET model = ?, has_model = ? WHERE name = ?"));
    q.addBindValue(QString::fromUtf8(newModel.toJson(table)));
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
    return JsonCodec::readStoredRecord(json);
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
    QSqlQuery &q =
        prepared(QStringLiteral("INSERT INTO %1(pk, item) VALUES (?, ?) ON CONFLICT(pk) DO NOTHING")
                     .arg(sqlTable(table)));
    q.addBindValue(keyColumnText(key));
    q.addBindValue(QString::fromUtf8(JsonCodec::toStored(record)));
    if (!q.exec())
        return sqlError(q, QStringLiteral("putting a record into %1").arg(table));
    if (q.numRowsAffected() == 0)
        return makeError(
            ErrorKind::Exists,
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

Status SqliteStore::writeStored(const QString &table, const Value &key,
                                const QByteArray &storedJson, bool mustNotExist)
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
        insertSql =
            QStringLiteral(
                "INSERT INTO %1(pk, item) VALUES (?, CAST(? AS TEXT)) ON CONFLICT(pk) DO NOTHING")
                .arg(sqlTable(table));
        upsertSql =
            QStringLiteral(
                "INSERT INTO %1(pk, item) VALUES (?, CAST(? AS TEXT)) ON CONFLICT(pk) DO UPDATE "
                "SET item = excluded.item")
                .arg(sqlTable(table));
    }
    QSqlQuery &q = prepared(mustNotExist ? insertSql : upsertSql);
    q.addBindValue(keyColumnText(key));
    q.addBindValue(storedJson);
    if (!q.exec())
        return sqlError(q, QStringLiteral("writing a record of %1").arg(table));
    if (mustNotExist && q.numRowsAffected() == 0)
        return makeError(
            ErrorKind::Exists,
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
        return makeError(
            ErrorKind::NotFound,
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
SqliteStore::doUpdate(const QString &table, const Value &key,
                      const std::vector<ResolvedSetter> &setters)
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
    Value record =
        current->has_value() ? std::move(**current) : Value::map({{(*m)->hashKey(), key}});
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

namespace {

/// The cursor of the page after one that ended at `lastRowid` (and, sorted, at `lastSort`).
QByteArray nextScanCursor(qlonglong lastRowid, bool sorted, const QVariant &lastSort)
{
    QJsonObject c;
    c.insert(QStringLiteral("r"), QString::number(lastRowid));
    if (sorted) {
        QString t = QStringLiteral("s");
        if (lastSort.typeId() == QMetaType::LongLong || lastSort.typeId() == QMetaType::Int)
            t = QStringLiteral("i");
        else if (lastSort.typeId() == QMetaType::Double)
            t = qIsInf(lastSort.toDouble()) ? QStringLiteral("m") : QStringLiteral("d");
        c.insert(QStringLiteral("t"), t);
        c.insert(QStringLiteral("v"),
                 t == u"d" ? QString::number(lastSort.toDouble(), 'g', 17) : lastSort.toString());
    }
    return QJsonDocument(c).toJson(QJsonDocument::Compact);
}

} // namespace

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
            conditions << (t == u"m"
                               ? QStringLiteral("(%1, rowid) %2 (-9e999, ?)").arg(sortExpr, cmp)
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
        page.nextCursor = nextScanCursor(lastRowid, sorted, lastSort);
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
