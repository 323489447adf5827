#pragma once

#include "model/store/recordstore.h"

#include <QHash>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <functional>
#include <memory>
#include <variant>

/// The embedded store: one SQLite file holding many tables and their models.
///
/// Each table is an SQLite table of (pk, item): pk the canonical key text, item the record as
/// stored JSON (JsonCodec), so records round-trip exactly and SQLite's JSON functions can filter
/// and sort on any field. Rows keep their insertion order (rowid), which is the natural order of
/// scans. WAL journal, one transaction per operation, bound parameters only.
///
/// A record whose stored text is damaged (changed behind StructDesk's back) never fails a whole
/// scan: it is skipped and named in ScanPage::unreadable; get, update and remove of it fail
/// naming its key, row, table and file; delete discards it.
///
/// Opening never modifies a file that is not a StructDesk store: a foreign, corrupt, locked or
/// read-only file gets a clear error (read-only files open read-only).
///
/// StructDesk's own tables altered behind its back are named with what to do: a records table
/// that is missing or has other columns (the table's operations refuse, naming it; drop-table
/// still works), records whose table entry was deleted (listed as a table without a model;
/// setModel or createTable with a model keyed like them adopts them, keeping every record), a
/// missing or unreadable format table (opened read-only).
///
/// A damaged store is never written to. Every open checks cheaply that the file is as long as
/// its header says (a truncated file otherwise accepts writes that SQLite cannot keep); the
/// first read or write that SQLite finds corrupt runs PRAGMA quick_check. Either way the store
/// is then read-only (capabilities().damaged says why, naming the file and what to do) and
/// every write is refused with that sentence. (quick_check on every open would cost about a
/// second on a million records warm, half a minute cold.)
class SqliteStore final : public RecordStore
{
public:
    /// ReadOnly opens an existing store for reading only (every write is refused).
    enum class OpenMode { OpenExisting, CreateIfMissing, ReadOnly };

    /// Opens (or creates) the store file at `path`, on the calling thread; use it only there.
    static Result<std::unique_ptr<SqliteStore>> open(const QString &path,
                                                     OpenMode mode = OpenMode::OpenExisting);
    ~SqliteStore() override;

    QString location() const override { return m_path; }
    StoreCapabilities capabilities() const override;

    Result<QStringList> listTables() override;
    Result<TableInfo> describeTable(const QString &table) override;
    Status createTable(const QString &table, const TableModel &model) override;
    Status dropTable(const QString &table) override;
    Status setModel(const QString &table, const TableModel &model) override;
    Result<ScanPage> scan(const QString &table, const ScanRequest &request) override;
    Result<qint64> count(const QString &table, const ScanRequest &filter = {}) override;
    /// Natural order: page starts sampled from the rowids (one pass over the key index).
    /// Filtered or sorted: one pass over the table in rowid chunks (progress, cancel between
    /// chunks) collecting the matching rows, sorted in memory; pages are then read by rowid.
    Result<PageIndex> buildPageIndex(const QString &table, const ScanRequest &view, int pageSize,
                                     const std::function<bool(double)> &progress = {}) override;
    Status writeRaw(const QString &table, const Value &record, bool mustNotExist) override;
    /// Binds the text as is (no UTF-16 round trip): the bulk import's write.
    Status writeStored(const QString &table, const Value &key, const QByteArray &storedJson,
                       bool mustNotExist) override;

    /// Runs `work` inside one SQLite transaction: everything it wrote is kept only when it
    /// returns success. Store operations called inside join the transaction.
    Status runTransaction(const std::function<Status()> &work) override;

    /// The file format marker and version in the structdesk_meta table.
    static constexpr const char *kFormat = "structdesk-store";
    static constexpr int kVersion = 1;

protected:
    Result<TableModelPtr> loadModel(const QString &table) override;
    Status doPut(const QString &table, const Value &key, const Value &record) override;
    Status doReplace(const QString &table, const Value &key, const Value &expected,
                     const Value &record) override;
    Result<std::optional<Value>> doGet(const QString &table, const Value &key) override;
    Result<std::optional<Value>> doRemove(const QString &table, const Value &key) override;
    Result<bool> doDelete(const QString &table, const Value &key) override;
    Result<std::vector<std::optional<Value>>>
    doUpdate(const QString &table, const Value &key,
             const std::vector<ResolvedSetter> &setters) override;
    Result<std::optional<Value>> doRemoveField(const QString &table, const Value &key,
                                               const ResolvedPath &path) override;

private:
    SqliteStore() = default;
    QSqlQuery &prepared(const QString &sql);
    /// A new file: the store's own tables and its format marker, in one transaction.
    Status createSchema();
    /// An existing file: locked, corrupt, or not a StructDesk store; its format and its list of
    /// tables checked (`damage`: what checkedTruncation() found).
    Status checkExistingFile(const QString &damage);
    /// The format and version of structdesk_meta, checked; a damaged one opens read-only.
    Status checkMeta(const QHash<QString, QString> &meta);
    bool hasSqlTable(const QString &name);
    bool hasRowIn(const QString &sqlTableName, const QString &name);
    /// The columns of a table's records table (empty when it is missing).
    QStringList recordsColumns(const QString &table);
    /// What is wrong with the records table of a listed table (missing, altered), or empty.
    QString recordsTableProblem(const QString &table);
    /// Records tables with StructDesk's columns whose table entry is missing.
    QStringList strandedTables();
    /// Gives stranded records a table entry with `model`, if they are keyed by its key.
    Status adoptRecordsTable(const QString &table, const TableModel &model);
    Error sqlError(const QSqlQuery &query, const QString &what);
    /// From now on read-only: SQLite found the file damaged (`detail`).
    void markDamaged(const QString &detail);
    /// The sentence for a damaged store: the file, what is wrong, what to do.
    QString damageSentence(const QString &detail) const;
    Status refuseIfReadOnly() const;
    Status begin();
    Status commit();
    void rollback();
    Status registerFunctions();
    Result<ScanPage> scanRowids(const QString &table, const QByteArray &ids);
    Result<std::optional<Value>> readRecord(const QString &table, const QString &pk);
    /// The record of a row's stored text, or why it cannot be read.
    static std::variant<Value, QString> parseRow(const QVariant &item);
    /// get/update/remove of a record whose stored text is damaged: names key, row, table, file.
    Error unreadableError(const QString &table, const UnreadableRecord &record) const;
    Status writeRecord(const QString &table, const QString &pk, const Value &record);
    static QString sqlTable(const QString &table);
    static QString keyColumnText(const Value &key);

    QString m_path;
    QString m_connection;
    QSqlDatabase m_db;
    bool m_readOnly = false;
    QString m_damaged; ///< why the file is damaged (empty when it is not)
    int m_transactionDepth = 0;
    QHash<QString, QSqlQuery> m_queries;
    QSqlError m_prepareError;  ///< what SQLite said when a statement could not be prepared
    QSqlQuery m_failedPrepare; ///< handed out for a statement that could not be prepared
    bool m_stale = false;      ///< the schema changed behind StructDesk's back: forget statements
};
