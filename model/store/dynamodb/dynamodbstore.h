#pragma once

#include "model/store/dynamodb/awscredentials.h"
#include "model/store/dynamodb/dynamodbclient.h"
#include "model/store/recordstore.h"

#include <QProcessEnvironment>
#include <QUrl>

#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace DynamoDb {
class Expression;
class BulkStop;
} // namespace DynamoDb

/// A record store on a DynamoDB table (Amazon DynamoDB, DynamoDB Local, ScyllaDB Alternator,
/// dynalite, ...), with the documented semantics built from DynamoDB's own means:
///
/// - put: PutItem with `attribute_not_exists(key)` (a failed condition is Exists);
/// - get: GetItem with ConsistentRead; remove/delete: DeleteItem with ReturnValues ALL_OLD;
/// - replace (form saves): a consistent read compared in full with what the form loaded
///   (Conflict / NotFound), then one UpdateItem that SETs the changed and REMOVEs the dropped
///   attributes under a ConditionExpression that every attribute still equals the loaded value,
///   leaf by leaf (scalars and sets with `=`, maps and lists with attribute_type and size, then
///   their members), and that attributes the save adds are still absent. So nothing another
///   client changed is ever overwritten. The one race left: an attribute that another client
///   adds between the read and the write, and that the save does not touch, survives beside the
///   saved record instead of making the save a conflict. Records whose condition would exceed
///   DynamoDB's 4 KB expression limit are guarded on the attributes the save touches only.
/// - updates: UpdateExpression SET with expression attribute names and values and ReturnValues
///   UPDATED_OLD (ALL_OLD when a path has a list index). When DynamoDB refuses the document path
///   (a missing parent), the record is read, the missing containers are created level by level
///   with `SET p = if_not_exists(p, :default)`, and the SET is sent again (the spec's §4.4
///   fallback, with the exact value written at the end). Setters whose paths overlap, or that
///   exceed the 4 KB expression limit, go in several requests, in order: not atomic.
/// - remove_field: REMOVE with ReturnValues UPDATED_OLD under `attribute_exists(key)`, so a
///   missing record is never created.
/// - scan: Scan pages with ExclusiveStartKey (the cursor is the last evaluated key as DynamoDB
///   JSON), filters as a FilterExpression; free-text search is filtered here, on the client,
///   over the records read; sorting is refused (DynamoDB scans have no order).
/// - query: Query with KeyConditionExpression on the table's or a secondary index's hash key,
///   the cursor as for scan.
/// - count: Scan with Select COUNT over every page (cancellable); describeTable reports
///   DynamoDB's ItemCount, an estimate (countExact false), or -1 (unknown) when it says 0 but
///   the table holds a record (ItemCount is refreshed only every few hours).
/// - transactions: detected when the store opens (an empty TransactWriteItems is refused with a
///   ValidationException where it exists; dynalite does not have it). With them,
///   runTransaction() reads through, keeps every write in memory and commits them as one
///   TransactWriteItems, each write conditional on the record still being what was read.
///   DynamoDB takes at most 100 writes in one (capabilities().maxTransactionWrites), so
///   imports never run in one: they write in batches (writeBatch()).
/// - bulk writes (imports, writeBatch()): BatchWriteItem, 25 items a request, where records may
///   replace what is there (after a BatchGetItem that tells which keys existed, for the report
///   and the undo), retrying UnprocessedItems with exponential backoff and jitter; conditional
///   writes where existing keys must be left alone, sent only for the keys a BatchGetItem found
///   absent: PartiQL INSERTs, 25 a BatchExecuteStatement, where the server has PartiQL (tried
///   by the first bulk write; not dynalite), else PutItems with attribute_not_exists. Up to
///   kBulkConnections requests run at a time, each on its own connection (worker threads with a
///   client each). A request whose answer never came (the connection lost, the server gone) leaves
///   its records Uncertain, never "written" or "not written" by guess; a conditional put refused
///   for a key found absent just before is read back, so a write of its own whose answer was lost
///   (and that was sent again, by the retry or silently by Qt's HTTP layer) counts as written, not
///   as an existing key. keysPresent(): BatchGetItem, 100 keys a request, the key attribute only.
///
/// Table models: the key comes from DescribeTable; the rest from a model the user attached
/// with setModel() (or createTable()), kept as a JSON file per endpoint and table under
/// AppDataLocation/dynamodb-models/<host>/<table>.json. Without one, the model is inferred
/// from the first records of the table (one Scan page of at most kModelSampleSize records,
/// which DynamoDB also bounds to 1 MB, within kModelSampleMs) with ModelInference, its key
/// forced from DescribeTable, when the table is first used (model(), which every operation
/// asks). A sample proves nothing about the records it did not read, so the inferred model
/// requires nothing but the key (a field missing from every sampled record could still be
/// absent elsewhere), and it is advisory (TableModel::isAdvisory()): a type the sample never
/// showed is a note, never a refusal; only the key's problems block. An empty table (or a
/// sample that cannot be read) gives the key-only model. The model is kept per table with the
/// store (RecordStore's model cache) until setModel(), createTable(), dropTable() or
/// forgetModels(); records written since are not sampled again.
///
/// describeTable() never reads the sample, so listing many tables stays cheap (one
/// DescribeTable each, and a one-record COUNT Scan when ItemCount says 0): it reports the
/// attached model (inferredFrom 0), the model this connection already inferred (inferredFrom:
/// how many records), or, for a table not used yet, the key-only model with inferredFrom -1,
/// meaning "to be inferred on first use": model(table) then gives the inferred one.
class DynamoDbStore final : public RecordStore
{
public:
    /// Everything needed to reach one endpoint.
    struct Config
    {
        QString location; ///< the location string, as given
        QUrl endpoint;    ///< http(s)://host:port
        QString region;
        AwsCredentials credentials;
        DynamoDbClient::Options clientOptions = {};
        /// Where attached models are kept; empty: AppDataLocation/dynamodb-models/<host>.
        QString modelDirectory = {};
    };

    /// Parses a location: `dynamodb://HOST:PORT?region=R` (http, local engines),
    /// `dynamodbs://HOST[:PORT]?region=R` (https), `dynamodb://aws?region=R&profile=P` (the AWS
    /// endpoint of the region), and resolves credentials and region (explicit values first, see
    /// AwsCredentialResolver). Local engines without configured credentials get placeholder
    /// ones (they accept any). Errors are Unavailable and never contain a secret.
    /// Retry and timeout parameters (seconds): `connect_timeout`, `read_timeout` (0: none but
    /// the deadline), `deadline`, and `max_attempts` (the first attempt included); they win
    /// over AWS_MAX_ATTEMPTS and the profile's max_attempts, cli_connect_timeout and
    /// cli_read_timeout, which win over the defaults of DynamoDbClientOptions.
    static Result<Config> configFromLocation(
        const QString &location, const AwsSettings &explicitSettings = {},
        const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());

    /// Opens the store: probes the endpoint (which also checks the credentials and detects
    /// transactions). Use it on one thread only.
    static Result<std::unique_ptr<DynamoDbStore>> open(Config config);
    /// configFromLocation() then open().
    static Result<std::unique_ptr<DynamoDbStore>>
    openLocation(const QString &location, const AwsSettings &explicitSettings = {});

    ~DynamoDbStore() override;

    QString location() const override { return m_config.location; }
    StoreCapabilities capabilities() const override;

    Result<QStringList> listTables() override;
    Result<TableInfo> describeTable(const QString &table) override;
    Status createTable(const QString &table, const TableModel &model) override;
    Status dropTable(const QString &table) override;
    Status setModel(const QString &table, const TableModel &model) override;
    Result<ScanPage> scan(const QString &table, const ScanRequest &request) override;
    /// Query on the primary index or on a global secondary index (IndexName as createTable()
    /// names it), extra conditions as a FilterExpression, pages with ExclusiveStartKey.
    Result<ScanPage> query(const QString &table, const QueryRequest &request) override;
    Result<qint64> count(const QString &table, const ScanRequest &filter = {}) override;
    Status writeRaw(const QString &table, const Value &record, bool mustNotExist) override;
    Status runTransaction(const std::function<Status()> &work) override;
    Status writeBatch(const QString &table, const std::vector<BulkRecord> &records,
                      BulkWriteMode mode, std::vector<BulkWriteResult> &results,
                      const std::function<bool()> &cancelled = {}) override;
    int bulkBatchSize() const override { return 1000; }
    Result<std::vector<bool>> keysPresent(const QString &table, const std::vector<Value> &keys,
                                          const std::function<bool()> &cancelled = {}) override;
    /// DynamoDB's 400 KB item size and 32 levels of nesting.
    Status checkStorable(const Value &record) const override;

    DynamoDbClient &client() { return *m_client; }
    const Config &config() const { return m_config; }
    /// The file that keeps the model attached to `table`.
    QString modelFile(const QString &table) const;

    /// DynamoDB's item size of a record (attribute names and values, per AWS's sizing rules).
    static qint64 itemSize(const Value &record);
    static constexpr qint64 kMaxItemSize = 400 * 1024;
    /// DynamoDB's expression length limit (4 KB), kept with a little margin.
    static constexpr int kMaxExpressionLength = 4000;
    /// How many records a model is inferred from, for tables without an attached model.
    static constexpr int kModelSampleSize = 500;
    /// How long reading that sample may take before the key-only model is used instead.
    static constexpr int kModelSampleMs = 10000;
    /// Requests a bulk write (writeBatch(), keysPresent()) runs at a time.
    static constexpr int kBulkConnections = 8;
    /// DynamoDB's limits per BatchWriteItem and BatchGetItem request.
    static constexpr int kBatchWriteItems = 25;
    static constexpr int kBatchGetKeys = 100;
    static constexpr int kBatchStatements = 25;
    /// PartiQL statements longer than this go as PutItems instead (DynamoDB's limit is 8 KB).
    static constexpr int kMaxStatementLength = 4000;

protected:
    Result<TableModelPtr> loadModel(const QString &table) override;
    Status doPut(const QString &table, const Value &key, const Value &record) override;
    Status doReplace(const QString &table, const Value &key, const Value &expected,
                     const Value &record) override;
    Result<std::optional<Value>> doGet(const QString &table, const Value &key) override;
    Result<std::optional<Value>> doRemove(const QString &table, const Value &key) override;
    Result<std::vector<std::optional<Value>>>
    doUpdate(const QString &table, const Value &key,
             const std::vector<ResolvedSetter> &setters) override;
    Result<std::optional<Value>> doRemoveField(const QString &table, const Value &key,
                                               const ResolvedPath &path) override;

private:
    explicit DynamoDbStore(Config config);

    /// One record's state inside runTransaction(): what was read and what is to be written.
    struct TxRecord
    {
        QString table;
        Value key;
        std::optional<Value> base; ///< as read (nullopt: absent)
        bool baseKnown = false;    ///< false for blind writes (writeRaw without the condition)
        std::optional<Value> now;  ///< to write (nullopt: delete)
        bool written = false;
    };

    Result<Value> call(const QString &operation, const QByteArray &body,
                       const std::function<bool()> &cancelled = {});
    Result<QString> hashKeyOf(const QString &table);
    /// The table's key from DescribeTable, as a key-only model.
    Result<TableModelPtr> describeKey(const QString &table);
    /// The model inferred from a sample of the table's records, with the key of `keyOnly`;
    /// `keyOnly` itself when the table is empty or the sample cannot be read.
    TableModelPtr inferModel(const QString &table, const TableModelPtr &keyOnly);
    /// Forgets what loadModel() knew about a table's model (with invalidateModel()).
    void forgetModel(const QString &table);
    Result<std::optional<Value>> readItem(const QString &table, const Value &key);
    static Status checkWritable(const Value &record, const Value &key);
    Status putItem(const QString &table, const Value &key, const Value &record, bool mustNotExist);
    Result<std::vector<std::optional<Value>>>
    updateGroup(const QString &table, const Value &key,
                const std::vector<const ResolvedSetter *> &group);
    Status createMissingContainers(const QString &table, const Value &key,
                                   const std::vector<const ResolvedSetter *> &group);
    Status waitForTable(const QString &table, bool untilGone);
    Result<QByteArray> filterExpression(const ScanRequest &request,
                                        DynamoDb::Expression &expr) const;

    /// One writeBatch() and its steps (dynamodbbulkwrite.cpp).
    struct BulkWrite;

    Result<TxRecord *> txRecord(const QString &table, const Value &key, bool read);
    Status commitTransaction(std::vector<TxRecord> writes);

    /// Runs job(0) ... job(count - 1), up to kBulkConnections at a time, each on a worker thread
    /// with a client of its own, while the calling thread polls `cancel` (so a
    /// StoreRunner::interrupt() reaches the workers). Once a job returns false no other job
    /// starts; those running finish. Jobs must not touch the store itself, and check `cancel`.
    void runConcurrently(std::size_t count, DynamoDb::BulkStop &cancel,
                         const std::function<bool(std::size_t, DynamoDbClient &)> &job);
    /// Sleeps a backoff with full jitter before retry `attempt` (0 for the first); false when
    /// cancelled meanwhile.
    bool backoff(int attempt, const std::function<bool()> &cancelled) const;

    Config m_config;
    std::unique_ptr<DynamoDbClient> m_client;
    /// The connections of bulk writes (runConcurrently()), made on first use.
    std::vector<std::unique_ptr<DynamoDbClient>> m_bulkClients;
    /// Whether BatchExecuteStatement (PartiQL) works here: tried by the first bulk Create.
    enum class PartiQL { Unknown, Present, Missing };
    PartiQL m_partiQL = PartiQL::Unknown;
    bool m_transactions = false;
    /// Tables whose model in force was inferred: how many records it was inferred from.
    QHash<QString, qint64> m_inferredFrom;
    /// Set while describeTable() asks model(): loadModel() then does not read the sample and
    /// sets m_inferencePending instead; describeKey() keeps its answer in m_description, which
    /// describeTable() reuses (one DescribeTable per table, not two).
    bool m_describing = false;
    bool m_inferencePending = false;
    std::optional<std::pair<QString, Value>> m_description;
    std::optional<std::vector<TxRecord>> m_tx; ///< set while runTransaction() collects writes
};
