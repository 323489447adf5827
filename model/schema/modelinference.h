#pragma once

#include "model/core/result.h"
#include "model/core/value.h"
#include "model/schema/tablemodel.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

/// Infers a table model from records, one at a time (ModelInferenceJob reads them from a table
/// or a file).
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

    struct Node;

private:
    struct KeyCandidate;
    std::unique_ptr<Node> m_root;
    qint64 m_records = 0;
    std::vector<std::unique_ptr<KeyCandidate>> m_candidates;
    bool m_candidatesStarted = false;
    mutable QStringList m_notes;
};
