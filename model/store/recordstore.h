#pragma once

#include "model/core/result.h"
#include "model/core/value.h"
#include "model/schema/fieldpath.h"
#include "model/schema/tablemodel.h"
#include "model/schema/validator.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

/// Where each page of a (filtered, sorted) view starts, so that any page can be read directly
/// with scan() without walking the pages before it.
struct PageIndex
{
    qint64 rowCount = 0;
    int pageSize = 256;
    std::vector<QByteArray> cursors; ///< cursors[k] starts page k (page 0's is empty)
};

/// What a store can do; the GUI asks these, never which store it talks to.
struct StoreCapabilities
{
    bool exactCount = true;    ///< count() is exact and cheap enough to show
    bool transactions = false; ///< runTransaction() is atomic
    bool readOnly = false;     ///< every write is refused
    /// The most records one runTransaction() may write; 0: no limit. DynamoDB: 100.
    int maxTransactionWrites = 0;
    /// Why a store asked for writing is read-only: its file is damaged (the sentence names the
    /// file and what to do). Empty otherwise.
    QString damaged = {};

    /// True when a transaction of any size is atomic: an import runs as one, so a refused,
    /// failed or cancelled import leaves the table as it was.
    bool atomicAtAnySize() const { return transactions && maxTransactionWrites == 0; }
};

/// One record of a bulk write (an import): its checked key and its stored JSON text.
struct BulkRecord
{
    Value key;
    QByteArray stored;
};

/// How a bulk write treats keys that already have a record.
enum class BulkWriteMode {
    Create,  ///< writes only where the key is absent (conditionally); the others are Exists
    Replace, ///< writes every record, over what is there
};

/// What a bulk write did with one record.
struct BulkWriteResult
{
    enum class State : quint8 {
        NotWritten, ///< not sent (the batch stopped first), or refused: see `message`
        Written,    ///< written; the key was new
        Replaced,   ///< written over an existing record (BulkWriteMode::Replace)
        Exists,     ///< not written: the key has a record (BulkWriteMode::Create)
        Uncertain,  ///< the connection was lost while it was being written: it may be stored
    };
    State state = State::NotWritten;
    /// Replace: the key had a record before the write (also for Uncertain).
    bool existed = false;
    /// NotWritten: why the store refused this record; empty when it was not sent.
    QString message = {};
};

/// A table of a store, with its model and size.
struct TableInfo
{
    QString name;
    TableModelPtr model;
    bool hasModel = true; ///< false when only the key is known (free-form records)
    /// > 0 when no model is attached and the model in force was inferred from this many
    /// sampled records (it then requires nothing but the key); -1 when no model is attached and
    /// none was inferred yet (listing reads no samples; the first use of the table infers it);
    /// 0 otherwise.
    qint64 inferredFrom = 0;
    qint64 count = -1; ///< -1 when unknown
    bool countExact = false;
};

/// One write of update_multiple_fields: a path (with {{variables}}) and the value to set.
struct FieldSetter
{
    QString path;
    Value value;
    QHash<QString, QString> variables = {};
};

enum class FilterOp {
    Equal,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    Contains,
    BeginsWith,
    Exists,
    NotExists
};

/// One condition of a scan filter on a literal path (`metadata.lastConnectionTimestamp`).
struct FilterCondition
{
    QStringList path;
    FilterOp op = FilterOp::Equal;
    Value operand;
};

/// A page request of a scan: filter, free-text search, sort, and where to continue.
struct ScanRequest
{
    std::vector<FilterCondition> conditions;
    QString text;         ///< free-text search over whole records; empty for none
    QStringList sortPath; ///< empty: the store's natural order
    bool descending = false;
    int limit = 256;
    QByteArray cursor; ///< from the previous page's nextCursor; empty for the first page
    std::function<bool()> cancelled = {}; ///< polled by long scans; true stops them
    /// Called by counts that take several requests (DynamoDB) with the records counted so far.
    std::function<void(qint64)> counted = {};
    /// Bulk reads (export): the store may return the records as stored JSON text
    /// (JsonCodec's stored form) in ScanPage::storedRecords instead of Values.
    bool storedJson = false;
};

/// A stored record that cannot be read (its stored text is damaged): scans skip it and name
/// it here, so that one bad record never hides the others.
struct UnreadableRecord
{
    QString key;              ///< the key as the store holds it (text)
    qint64 row = -1;          ///< the store's row id (SQLite rowid); -1 when it has none
    QString reason;           ///< why it cannot be read
    std::size_t position = 0; ///< where it was met in its page: just before records[position]
    /// `key "u3" (row 7): REASON`.
    QString toString() const
    {
        return QStringLiteral("key \"%1\"%2: %3")
            .arg(key, row >= 0 ? QStringLiteral(" (row %1)").arg(row) : QString(), reason);
    }
};

/// A page of records and the cursor of the next one (empty at the end).
struct ScanPage
{
    std::vector<Value> records;
    QByteArray nextCursor;
    /// ScanRequest::storedJson: the records as stored JSON text (empty when the store gave
    /// Values in `records` instead), with each one's key text and row, to name one that turns
    /// out to be unreadable.
    std::vector<QByteArray> storedRecords;
    std::vector<QByteArray> storedKeys;
    std::vector<qint64> storedRows;
    /// Records of the page that cannot be read; they take their place in the page (the page
    /// holds records + unreadable rows) but are not in `records`.
    std::vector<UnreadableRecord> unreadable;
};

/// A query (StructNoSQL's query_field): the records whose index hash key equals `keyValue`, on
/// the primary index or on a secondary index, further filtered by `conditions`.
struct QueryRequest
{
    /// Empty: the primary index; else a secondary index name (IndexSpec::name, or its hashKey
    /// when it has no name).
    QString index;
    Value keyValue;
    int limit = 256;
    QByteArray cursor; ///< from the previous page's nextCursor; empty for the first page
    std::vector<FilterCondition> conditions;
};

/// The record operations (docs/architecture.md, "The store interface and its contract") on one
/// store (embedded SQLite, DynamoDB, ...).
///
/// A store is used from one thread at a time, never the GUI thread: the GUI reaches it through
/// StoreRunner. The public operations check what every store must check in the same way
/// (validation, keys, paths, required fields) and leave the I/O to the store's primitives, so
/// each store has the documented semantics:
/// - putRecord validates first and refuses an existing key (Exists), writing nothing;
/// - replaceRecord writes only if the stored record still equals `expected` (else Conflict);
/// - deleteRecord returns false and removeRecord returns nullopt when the record is absent;
/// - the update operations create the record and missing parent containers (upsert);
/// - deleteField/removeField refuse required fields and the key.
class RecordStore
{
public:
    virtual ~RecordStore() = default;

    /// The location string the store was opened with.
    virtual QString location() const = 0;
    virtual StoreCapabilities capabilities() const = 0;

    virtual Result<QStringList> listTables() = 0;
    virtual Result<TableInfo> describeTable(const QString &table) = 0;
    /// Creates a table with the model's key; refused (Exists) when it exists.
    virtual Status createTable(const QString &table, const TableModel &model) = 0;
    virtual Status dropTable(const QString &table) = 0;
    /// Attaches a model to an existing table; its key must match the table's.
    virtual Status setModel(const QString &table, const TableModel &model) = 0;
    /// The model in force for a table (key-only when none is attached).
    Result<TableModelPtr> model(const QString &table);

    /// Validates and writes a new record; Exists when the key is taken, Invalid when the
    /// record fails its model (every problem in the message).
    Status putRecord(const QString &table, const Value &record);
    /// Writes `record` over the stored one only if the stored one equals `expected`.
    Status replaceRecord(const QString &table, const Value &expected, const Value &record);
    Result<std::optional<Value>> getRecord(const QString &table, const Value &key);
    /// True when a record was deleted, false when there was none.
    Result<bool> deleteRecord(const QString &table, const Value &key);
    /// The removed record, or nullopt when there was none.
    Result<std::optional<Value>> removeRecord(const QString &table, const Value &key);

    Status updateField(const QString &table, const Value &key, const FieldSetter &setter);
    /// The previous value at the path (nullopt when it was absent).
    Result<std::optional<Value>> updateFieldReturnOld(const QString &table, const Value &key,
                                                      const FieldSetter &setter);
    /// All setters are validated first; if any fails, nothing is written (the documented
    /// intent of update_multiple_fields).
    Status updateMultipleFields(const QString &table, const Value &key,
                                const std::vector<FieldSetter> &setters);
    /// The previous value of each setter's path, in order.
    Result<std::vector<std::optional<Value>>>
    updateMultipleFieldsReturnOld(const QString &table, const Value &key,
                                  const std::vector<FieldSetter> &setters);
    /// True when the field existed and was deleted, false when it was absent.
    Result<bool> deleteField(const QString &table, const Value &key, const QString &path,
                             const QHash<QString, QString> &variables = {});
    /// The removed value, or nullopt when the field was absent.
    Result<std::optional<Value>> removeField(const QString &table, const Value &key,
                                             const QString &path,
                                             const QHash<QString, QString> &variables = {});

    virtual Result<ScanPage> scan(const QString &table, const ScanRequest &request) = 0;
    /// Builds the page index of the view `view` (conditions, text, sort; its cursor and limit
    /// are ignored). `progress(fraction)` is called now and then; returning false cancels (the
    /// result is then an Unavailable error saying so). The default walks the pages in order.
    virtual Result<PageIndex> buildPageIndex(const QString &table, const ScanRequest &view,
                                             int pageSize,
                                             const std::function<bool(double)> &progress = {});
    /// Records whose index hash key equals request.keyValue (query_field). Invalid when the
    /// index is unknown (the message names the available ones) or the key value does not fit
    /// the index's key type. The default reads the primary index with getRecord() and a
    /// secondary index with scan() (an Equal condition on its hash attribute).
    virtual Result<ScanPage> query(const QString &table, const QueryRequest &request);
    /// Number of records matching the conditions (all when empty).
    virtual Result<qint64> count(const QString &table, const ScanRequest &filter = {}) = 0;

    /// Writes a record with no checks beyond the key, raw: the rekey engine and undo use it to
    /// put back exactly what was read. `mustNotExist` refuses an existing key (Exists).
    virtual Status writeRaw(const QString &table, const Value &record, bool mustNotExist) = 0;
    /// writeRaw() for a record already in stored JSON text (JsonCodec's stored form) with its
    /// checked key: the bulk import. The default parses the text and calls writeRaw().
    virtual Status writeStored(const QString &table, const Value &key, const QByteArray &storedJson,
                               bool mustNotExist);

    /// Writes a batch of an import: records of one table with distinct keys, as fast as the
    /// store can (the default writes them one by one with writeStored()). `results` gets one
    /// entry per record, in order; a record the store refuses for itself (NotWritten with a
    /// message) does not stop the others. A failure of the store stops the batch and is
    /// returned, and `results` then says exactly what was written before it (Uncertain where
    /// nobody can tell). `cancelled` is polled; a cancel is such a failure.
    virtual Status writeBatch(const QString &table, const std::vector<BulkRecord> &records,
                              BulkWriteMode mode, std::vector<BulkWriteResult> &results,
                              const std::function<bool()> &cancelled = {});
    /// How many records one writeBatch() call takes to good effect.
    virtual int bulkBatchSize() const { return 256; }
    /// For each key, whether the table has a record with it (an import's check before it
    /// writes). The default asks getRecord() for each.
    virtual Result<std::vector<bool>> keysPresent(const QString &table,
                                                  const std::vector<Value> &keys,
                                                  const std::function<bool()> &cancelled = {});
    /// Whether the store can hold the record at all, beyond its model (DynamoDB: 400 KB, 32
    /// levels): Invalid with the reason when it cannot. Called from an import's worker threads,
    /// so it must not touch the store's state.
    virtual Status checkStorable(const Value &record) const
    {
        Q_UNUSED(record);
        return okStatus();
    }

    /// Runs `work` as one transaction where the store has them (capabilities().transactions):
    /// what it wrote is kept only when it returns success. Elsewhere it just runs `work`.
    virtual Status runTransaction(const std::function<Status()> &work) { return work(); }

    /// Checks a key value against the table's key type; returns the typed key.
    static Result<Value> checkKey(const TableModel &model, const Value &key);
    /// The same for a table by name (its model loaded first).
    Result<Value> tableKey(const QString &table, const Value &key);
    /// The index a query names (empty: the primary index), or Invalid naming the available ones.
    static Result<IndexSpec> queryIndex(const TableModel &model, const QString &index);
    /// Checks a key value against an index's key type (the rules of checkKey()).
    static Result<Value> checkIndexKey(const IndexSpec &index, const Value &key);
    /// Parses a key typed on a command line ("u1", "42") by the table's key type.
    static Result<Value> parseKey(const TableModel &model, const QString &text);
    /// The record's hash key value, or an error naming the key attribute.
    static Result<Value> recordKey(const TableModel &model, const Value &record);

protected:
    /// The model attached to a table (key-only when none), or NotFound for a missing table.
    virtual Result<TableModelPtr> loadModel(const QString &table) = 0;

    virtual Status doPut(const QString &table, const Value &key, const Value &record) = 0;
    virtual Status doReplace(const QString &table, const Value &key, const Value &expected,
                             const Value &record) = 0;
    virtual Result<std::optional<Value>> doGet(const QString &table, const Value &key) = 0;
    /// Deletes and returns the old record (nullopt when absent).
    virtual Result<std::optional<Value>> doRemove(const QString &table, const Value &key) = 0;
    /// Deletes a record (false when absent); it need not be readable. The default removes it.
    virtual Result<bool> doDelete(const QString &table, const Value &key);
    /// Applies resolved setters as one write, creating the record and missing containers;
    /// returns the old value at each path.
    struct ResolvedSetter
    {
        ResolvedPath path;
        Value value;
    };
    virtual Result<std::vector<std::optional<Value>>>
    doUpdate(const QString &table, const Value &key,
             const std::vector<ResolvedSetter> &setters) = 0;
    /// Removes the value at the path; returns it (nullopt when absent).
    virtual Result<std::optional<Value>> doRemoveField(const QString &table, const Value &key,
                                                       const ResolvedPath &path) = 0;

    /// Forgets cached models (after setModel or dropTable).
    void invalidateModel(const QString &table) { m_models.remove(table); }

public:
    /// Forgets every cached model, so the next use reads them again: another connection (a
    /// second window, the CLI) may have attached a new model meanwhile.
    void forgetModels() { m_models.clear(); }

private:
    Result<std::vector<ResolvedSetter>> resolveSetters(const TableModel &model,
                                                       const std::vector<FieldSetter> &setters);
    Result<ResolvedPath> resolveRemovable(const TableModel &model, const QString &path,
                                          const QHash<QString, QString> &variables);
    QHash<QString, TableModelPtr> m_models;
};

/// Applies a resolved path write to a record in memory, creating missing containers with
/// their defaults; returns the old value (nullopt when absent) or an error when a parent is
/// not a container. Shared by stores that rewrite whole records.
Result<std::optional<Value>> setAtPath(Value &record, const ResolvedPath &path, const Value &value);
/// Removes the value at a path in memory; returns it (nullopt when absent).
std::optional<Value> removeAtPath(Value &record, const ResolvedPath &path);
/// The value at a literal path, or nullptr.
const Value *valueAtPath(const Value &record, const std::vector<PathElement> &elements);
