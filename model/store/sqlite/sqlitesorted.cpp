// The SQLite store: sorted scans (an index of rowids sorted by a field, kept per table and
// paged through), reads by rowid, and the SQL functions the store registers.

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
        case QMetaType::Int:
            sqlite3_bind_int64(m_stmt, position, v.toLongLong());
            break;
        case QMetaType::Double:
            sqlite3_bind_double(m_stmt, position, v.toDouble());
            break;
        default: {
            const QByteArray text = v.toString().toUtf8();
            sqlite3_bind_text(m_stmt, position, text.constData(), int(text.size()),
                              SQLITE_TRANSIENT);
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
        const QByteArrayView x =
            a.textIndex >= 0 ? QByteArrayView(texts[std::size_t(a.textIndex)]) : QByteArrayView();
        const QByteArrayView y =
            b.textIndex >= 0 ? QByteArrayView(texts[std::size_t(b.textIndex)]) : QByteArrayView();
        const auto shorter = std::size_t(std::min(x.size(), y.size()));
        const int c = shorter ? std::memcmp(x.constData(), y.constData(), shorter) : 0;
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

/// The sort entry of the current row of `st` (rowid, sort value); text longer than the 8-byte
/// prefix goes to `texts`.
SortEntry sortEntryOf(sqlite3_stmt *st, std::vector<QByteArray> &texts)
{
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
    default:
        break;
    }
    return e;
}

/// The page index of a whole table in rowid order: one pass over the rowids, no JSON read.
Result<PageIndex> rowidOrderIndex(sqlite3 *db, const QString &sqlTableName, int pageSize)
{
    PageIndex index;
    index.pageSize = pageSize;
    RawStatement stmt(db, QStringLiteral("SELECT rowid FROM %1 ORDER BY rowid").arg(sqlTableName));
    if (!stmt.ok())
        return makeError(ErrorKind::Backend, QString::fromUtf8(sqlite3_errmsg(db)));
    qint64 n = 0;
    int rc;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
        if (n % pageSize == 0)
            index.cursors.push_back(
                n == 0 ? QByteArray()
                       : QByteArray("{\"r\":\"") +
                             QByteArray::number(sqlite3_column_int64(stmt.get(), 0) - 1) + "\"}");
        ++n;
    }
    if (rc != SQLITE_DONE)
        return makeError(ErrorKind::Backend, QString::fromUtf8(sqlite3_errmsg(db)));
    index.rowCount = n;
    if (index.cursors.empty())
        index.cursors.push_back({});
    return index;
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
    if (sqlite3_create_function_v2(db, "structdesk_numcmp", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                   nullptr, &numberCompare, nullptr, nullptr, nullptr) != SQLITE_OK)
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
                                              int pageSize,
                                              const std::function<bool(double)> &progress)
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
    if (!sorted && where->sql.isEmpty())
        return rowidOrderIndex(db, sqlTable(table), pageSize);

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
        RawStatement stmt(
            db, QStringLiteral("SELECT coalesce(max(rowid), 0) FROM %1").arg(sqlTable(table)));
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
            entries.push_back(sortEntryOf(st, texts));
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
        index.cursors.push_back(
            rowidCursor(ids, from, std::min(ids.size(), from + std::size_t(pageSize))));
    if (index.cursors.empty())
        index.cursors.push_back("I[]");
    return index;
}
