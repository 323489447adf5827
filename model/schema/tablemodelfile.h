#pragma once

// Internal to the table model: what reading and writing the model file share, and
// TableModelParser, which does both (tablemodelparser.cpp reads, tablemodelwriter.cpp writes).
// Not part of the model layer's interface.

#include "model/core/names.h"
#include "model/schema/tablemodel.h"

#include <nlohmann/json.hpp>

#include <QHash>
#include <QSet>

#include <algorithm>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

namespace tablemodelfile {

// ordered_json keeps the fields in file order, which is the order forms and the grid show.
using Json = nlohmann::ordered_json;

inline constexpr FieldKind kAllKinds[] = {FieldKind::Str,     FieldKind::Int,  FieldKind::Float,
                                          FieldKind::Decimal, FieldKind::Bool, FieldKind::Bytes,
                                          FieldKind::Any,     FieldKind::Map,  FieldKind::Dict,
                                          FieldKind::List,    FieldKind::Set};

inline QString fromStd(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

inline std::string toStd(const QString &s)
{
    return s.toStdString();
}

inline QString quoted(const QString &s)
{
    return quotedExcerpt(s);
}

/// RFC 6901: "~" and "/" inside a key are escaped.
inline QString pointerChild(const QString &pointer, QString key)
{
    key.replace(u'~', QStringLiteral("~0"));
    key.replace(u'/', QStringLiteral("~1"));
    return pointer + u'/' + key;
}

inline QString pointerChild(const QString &pointer, std::size_t index)
{
    return pointer + u'/' + QString::number(index);
}

inline bool isContainerKind(FieldKind kind)
{
    return kind == FieldKind::Dict || kind == FieldKind::List || kind == FieldKind::Set;
}

inline QString defaultKeyName(const FieldSpec &spec, bool isItem, const QString &parentKeyName)
{
    const auto container = std::find_if(spec.types.begin(), spec.types.end(),
                                        [](const FieldType &t) { return isContainerKind(t.kind); });
    if (container == spec.types.end())
        return {};
    // StructNoSQL names a nested dict's key after its parent's: itemKey -> itemKeyChild.
    if (isItem)
        return parentKeyName + QStringLiteral("Child");
    return spec.name +
           (container->kind == FieldKind::Dict ? QStringLiteral("Key") : QStringLiteral("Index"));
}

class DocumentBuilder;

} // namespace tablemodelfile

using tablemodelfile::Json;

/// Builds TableModels from model files and writes them back.
class TableModelParser
{
public:
    explicit TableModelParser(QString source) : m_source(std::move(source)) {}

    Result<TableModelPtr> parse(QByteArrayView text);
    /// The model the last successful parse() built, still writable (for run-time flags).
    std::shared_ptr<TableModel> built() const { return m_model; }
    static QByteArray write(const TableModel &model, const QString &table);

private:
    struct FieldContext
    {
        bool isItem = false;
        /// The type is the value itself ("items": "str"), not a "type" key inside it.
        bool shorthand = false;
        bool forSet = false;
        QString parentKeyName;
    };
    /// A field whose map is a named model: checked for depth once every model is read.
    struct ModelRef
    {
        const MapModel *owner; ///< the named model holding the reference, nullptr for the root
        const MapModel *target;
        int level; ///< path elements down to the map itself
        QString pointer;
    };

    Error fail(const QString &pointer, const QString &message) const;
    Status checkKeys(const Json &object, const QString &pointer,
                     std::initializer_list<const char *> allowed, const QString &what) const;
    Result<QString> stringAt(const Json &object, const char *key, const QString &pointer,
                             bool required) const;
    Result<FieldKind> keyKindAt(const Json &object, const char *key, const QString &pointer) const;
    Status parseIndex(const Json &j, const QString &pointer, bool primary, IndexSpec &index) const;
    Result<std::vector<FieldKind>> parseTypeNames(const Json &j, const QString &pointer) const;
    Status parseFields(const Json &j, const QString &pointer, int level, MapModel &into);
    Result<std::unique_ptr<FieldSpec>> parseField(const Json &j, const QString &pointer,
                                                  const QString &name, int level,
                                                  const FieldContext &context);
    Status checkSetItemKinds(const std::vector<FieldKind> &kinds, bool listed,
                             const QString &typePointer) const;
    Status parseOptions(const Json &j, const QString &pointer, FieldSpec &spec) const;
    Status parseContainer(const Json &j, const QString &pointer, int level,
                          const FieldContext &context, FieldSpec &spec);
    Status parseMap(const Json &j, const QString &pointer, int level, FieldSpec &spec);
    Status parseDefault(const Json &j, const QString &pointer, FieldSpec &spec) const;
    Result<Value> defaultValue(const Json &j, const QString &pointer) const;
    Result<const FieldSpec *> parseItems(const Json &j, const QString &pointer, int level,
                                         const QString &parentKeyName, bool forSet);
    Status checkKeyField(const Json &fields, const QString &keyName, FieldKind keyType,
                         const QString &what, const QString &typePointer);
    // The steps of parse().
    Status readDocument(QByteArrayView text, tablemodelfile::DocumentBuilder &builder) const;
    Status parseTableAndIndexes(const Json &document);
    Status declareModels(const Json &document, const Json *&models);
    Status parseModels(const Json &models);
    Status checkIndexKeys(const Json &declared);
    Status checkModelDepths();
    int modelHeight(const MapModel *model);

    /// Defaults are written as markers that write() replaces with their exact JSON text
    /// (nlohmann would write every number through a double: 1.50 as 1.5, -0 as 0).
    struct Defaults
    {
        quint64 nonce = 0;
        std::vector<QByteArray> texts;
    };
    static Json fieldJson(const FieldSpec &spec, bool isItem, const QString &parentKeyName,
                          Defaults &defaults);
    static Json fieldsJson(const MapModel &model, Defaults &defaults);
    static Json indexJson(const IndexSpec &index, bool primary);

    QString m_source;
    std::shared_ptr<TableModel> m_model;
    const MapModel *m_owner = nullptr;
    std::vector<ModelRef> m_refs;
    QHash<const MapModel *, int> m_ownHeight;
    QHash<const MapModel *, int> m_height;
    QSet<const MapModel *> m_visiting;
    const tablemodelfile::DocumentBuilder *m_document =
        nullptr; ///< during parse(): the exact number texts
};
