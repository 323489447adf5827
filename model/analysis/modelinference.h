#pragma once

#include "model/store/recordstore.h"
#include "model/core/result.h"
#include "model/schema/tablemodel.h"
#include "model/transfer/transferformat.h"
#include "model/core/value.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

/// Infers a table model from records (a table's scan, or a file).
///
/// Records are added one at a time and summarised per field path (counts only, a bounded
/// number of distinct keys per map), so any number of records can be read. The model says:
/// - the types met at each path, several where records disagree (["int", "str"]); numbers are
///   int when written without a fraction or exponent, float otherwise; a path that only ever
///   held null is any;
/// - required where the field is present, and not null, in every map that holds it;
/// - maps versus dicts: a map whose keys vary across records (most keys appear in a minority
///   of the maps; more than 200 distinct keys; or keys that cannot be field names) and whose
///   values share one shape is a dict whose items are that shape; fixed keys make a map with
///   fields, nested maps recursively;
/// - sets (string, number, binary) with their item type, lists with the type of their items;
/// - the hash key: the one given, or a field present and unique in every record with str,
///   int or float values, names ending in Id/id/Key/key first.
/// The model is built through the table model file and TableModel::fromJson: valid by
/// construction.
class ModelInference
{
public:
    struct Options
    {
        QString table;   ///< the model's table name (made valid: 3+ characters of [A-Za-z0-9_.-])
        QString hashKey; ///< empty: guessed
    };

    ModelInference();
    ~ModelInference();
    ModelInference(const ModelInference &) = delete;
    ModelInference &operator=(const ModelInference &) = delete;

    /// Adds one record (a map; anything else is ignored).
    void add(const Value &record);
    qint64 records() const { return m_records; }

    /// The inferred model. Errors: no record, no hash key candidate, an unusable given key.
    Result<TableModelPtr> model(const Options &options) const;
    /// Notes about the last model(): attributes left out (names that cannot be field names).
    const QStringList &notes() const { return m_notes; }

    /// How far a read has got: the records, and for a file the bytes read of its size.
    struct Progress
    {
        qint64 records = 0;
        qint64 bytes = 0;
        qint64 bytesTotal = 0;
    };
    /// Called on the reading thread: `progress` after each page or chunk, `cancelled` polled
    /// before each (and handed to the store's scan).
    struct Hooks
    {
        std::function<void(const Progress &)> progress;
        std::function<bool()> cancelled;
    };
    /// What inferTable() and inferFile() found: the model with its notes and the records read.
    struct Inferred
    {
        TableModelPtr model; ///< null when cancelled
        QStringList notes;
        qint64 records = 0; ///< read so far, when cancelled
        bool cancelled = false;
    };

    /// Infers from every record of a table (its key is the table's key). A cancel is not an
    /// error: the result says it, with the records read until then.
    static Result<Inferred> inferTable(RecordStore &store, const QString &table,
                                       const Hooks &hooks = {});
    /// Infers from a file (JSON lines, JSON array, DynamoDB JSON, CSV; nullopt: detected).
    /// Records that cannot be parsed are errors naming the file and line.
    static Result<Inferred> inferFile(const QString &path, std::optional<TransferFormat> format,
                                      const Options &options, const Hooks &hooks = {});

    /// inferTable()'s model: `progress(done)` is called after each page; `cancelled` polled
    /// between pages (a cancel is an Unavailable error).
    static Result<TableModelPtr> fromTable(RecordStore &store, const QString &table,
                                           const std::function<void(qint64)> &progress = {},
                                           const std::function<bool()> &cancelled = {});
    /// inferFile()'s model.
    static Result<TableModelPtr> fromFile(const QString &path, std::optional<TransferFormat> format,
                                          const Options &options);

    struct Node;

private:
    struct KeyCandidate;
    std::unique_ptr<Node> m_root;
    qint64 m_records = 0;
    std::vector<std::unique_ptr<KeyCandidate>> m_candidates;
    bool m_candidatesStarted = false;
    mutable QStringList m_notes;
};
