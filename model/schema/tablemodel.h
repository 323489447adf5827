#pragma once

#include <cstring>

#include "model/core/result.h"
#include "model/core/value.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

/// The kinds of field types of a table model (StructNoSQL's field_type).
enum class FieldKind { Str, Int, Float, Decimal, Bool, Bytes, Any, Map, Dict, List, Set };

/// int, float and decimal: the kinds whose values are numbers.
inline bool isNumericKind(FieldKind kind)
{
    return kind == FieldKind::Int || kind == FieldKind::Float || kind == FieldKind::Decimal;
}

/// The name used in model files: "str", "int", ..., "set".
QString fieldKindName(FieldKind kind);
/// The kind for a model-file name, or nullopt.
std::optional<FieldKind> fieldKindFromName(QStringView name);

struct FieldSpec;
struct MapModel;

/// One accepted type of a field. A field accepts several when its "type" is a list.
struct FieldType
{
    FieldKind kind = FieldKind::Any;
    /// Map: the model of its fields (inline "fields" or a named "model"); nullptr for a map
    /// without declared fields. Owned by the TableModel.
    const MapModel *model = nullptr;
    /// Dict, List, Set: the type of the items (a nameless FieldSpec). Owned by the TableModel.
    const FieldSpec *items = nullptr;
    /// Dict: the key type (str, int or float; only str keys exist in stored data).
    FieldKind keyType = FieldKind::Str;
};

/// A declared field, or (nameless) the item type of a dict, list or set.
struct FieldSpec
{
    QString name;
    std::vector<FieldType> types; ///< accepted types, the first is the default type
    bool required = false;
    std::optional<Value> defaultValue; ///< "default": used when an update creates the field
    /// Placeholder name of the items of a dict, list or set; may contain "{i}" in recursive
    /// models. Defaults to <name>Key for dicts and <name>Index for lists and sets.
    QString keyName;
    int maxNestedDepth = 32;

    bool accepts(FieldKind kind) const;
    bool isAny() const { return accepts(FieldKind::Any); }
    /// No types, or `any` among them: every value fits.
    bool acceptsAnything() const { return types.empty() || isAny(); }
    /// The first type, or nullptr when there is none.
    const FieldType *firstType() const { return types.empty() ? nullptr : &types.front(); }
    /// The type of the given kind, or nullptr.
    const FieldType *type(FieldKind kind) const;
    /// "str", "int or float", "map", "dict of map"... for messages.
    QString typeDescription() const;
};

/// The fields of a map (StructNoSQL's MapModel), or of the record itself (the root model).
struct MapModel
{
    QString name; ///< the model's name in "models", empty for inline field maps
    std::vector<std::unique_ptr<FieldSpec>> fields;
    QHash<QString, const FieldSpec *> byName;

    /// The declared field `name`, or null. Small models are scanned: for the few fields of most
    /// maps that is cheaper than hashing the name (the validator and the import ask for every
    /// member of every record).
    const FieldSpec *field(const QString &name) const
    {
        constexpr std::size_t kScanLimit = 16;
        const qsizetype size = name.size();
        if (fields.size() > kScanLimit || size == 0)
            return byName.value(name, nullptr);
        const QChar first = name.front();
        for (const auto &f : fields) {
            const QString &own = f->name;
            if (own.size() == size && own.front() == first &&
                std::memcmp(own.constData(), name.constData(), std::size_t(size) * sizeof(QChar)) ==
                    0)
                return f.get();
        }
        return nullptr;
    }
};

/// A primary or secondary index.
struct IndexSpec
{
    QString name; ///< secondary indexes: "name" in the file, else the hash key
    QString hashKey;
    FieldKind hashKeyType = FieldKind::Str;
    QString sortKey; ///< empty when there is none
    FieldKind sortKeyType = FieldKind::Str;
    QString projection = QStringLiteral("ALL"); ///< ALL, KEYS_ONLY or INCLUDE
    QStringList nonKeyAttributes;               ///< INCLUDE only
};

/// A table model: the primary index, secondary indexes and the fields of the records
/// (StructNoSQL's TableDataModel). Immutable once built; share it as TableModelPtr.
class TableModel
{
public:
    /// DynamoDB's limit on nesting, and StructNoSQL's on path elements.
    static constexpr int kMaxDepth = 32;

    TableModel() = default;
    TableModel(const TableModel &) = delete;
    TableModel &operator=(const TableModel &) = delete;

    /// Reads a table model file; errors name the file and the JSON pointer of the problem.
    static Result<std::shared_ptr<const TableModel>> fromFile(const QString &path);
    /// Reads a table model from JSON text; `source` names it in errors (a file name).
    static Result<std::shared_ptr<const TableModel>> fromJson(QByteArrayView json,
                                                              const QString &source);
    /// A model that declares only the key: tables without a model.
    static std::shared_ptr<const TableModel> keyOnly(const QString &table, const QString &hashKey,
                                                     FieldKind hashKeyType);
    /// The model in the table model file format, indented; fromJson(toJson()) is equal.
    QByteArray toJson() const;
    /// The same with "table" set to `table` (a model stored for a table of another name).
    QByteArray toJson(const QString &table) const;
    /// A copy of `model` marked advisory (see isAdvisory()); models are immutable once shared.
    static std::shared_ptr<const TableModel> advisoryCopy(const TableModel &model);

    const QString &tableName() const { return m_tableName; }
    const IndexSpec &primaryIndex() const { return m_primary; }
    const std::vector<IndexSpec> &secondaryIndexes() const { return m_secondary; }
    const MapModel &root() const { return *m_root; }
    /// Named models ("models" in the file), by name.
    const MapModel *namedModel(const QString &name) const;
    /// False for key-only models (tables without a model): then records are free-form.
    bool declaresFields() const { return m_declaresFields; }
    const QString &hashKey() const { return m_primary.hashKey; }
    FieldKind hashKeyType() const { return m_primary.hashKeyType; }
    /// True for a model that is a guess (inferred from sampled records) rather than a contract:
    /// the Validator then blocks only what a key-only model would (the key, DynamoDB's limits)
    /// and reports every other problem as a note. A run-time property of this object: model
    /// files never hold it, and toJson()/fromJson() neither write nor read it.
    bool isAdvisory() const { return m_advisory; }

    /// Checks a table or index name: 3 to 255 characters of a-z A-Z 0-9 _ - . (DynamoDB's rule).
    static QString checkTableName(const QString &name);
    /// Checks a field name against StructNoSQL's restrictions; returns the problem or "".
    static QString checkFieldName(const QString &name);

private:
    friend class TableModelParser;
    static std::shared_ptr<TableModel> buildKeyOnly(const QString &table, const QString &hashKey,
                                                    FieldKind hashKeyType);
    QString m_tableName;
    IndexSpec m_primary;
    std::vector<IndexSpec> m_secondary;
    MapModel *m_root = nullptr;
    bool m_declaresFields = true;
    bool m_advisory = false;
    std::vector<std::unique_ptr<MapModel>> m_maps;   ///< every map model, root and named
    std::vector<std::unique_ptr<FieldSpec>> m_items; ///< nameless item specs
    QHash<QString, const MapModel *> m_named;
};

using TableModelPtr = std::shared_ptr<const TableModel>;
