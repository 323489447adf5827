// The checks of a table model once every part is read: the key fields of the indexes (a key
// the file does not declare is added, required) and how deep named models nest.

#include "model/schema/tablemodelfile.h"

using namespace tablemodelfile;

Status TableModelParser::checkKeyField(const Json &fields, const QString &keyName,
                                       FieldKind keyType, const QString &what,
                                       const QString &typePointer)
{
    MapModel &root = *m_model->m_root;
    const FieldSpec *field = root.field(keyName);
    if (!field) {
        auto implicit = std::make_unique<FieldSpec>();
        implicit->name = keyName;
        implicit->required = true;
        implicit->types.push_back(FieldType{keyType, nullptr, nullptr, FieldKind::Str});
        root.byName.insert(keyName, implicit.get());
        // The key comes first, as in the grid; the sort key is added before the hash key.
        root.fields.insert(root.fields.begin(), std::move(implicit));
        return okStatus();
    }
    const QString pointer = pointerChild(QStringLiteral("/fields"), keyName);
    if (!field->required) {
        const auto declared = fields.find(toStd(keyName));
        const bool explicitFalse = declared != fields.end() && declared->contains("required");
        return fail(explicitFalse ? pointerChild(pointer, QStringLiteral("required")) : pointer,
                    QStringLiteral("the %1 %2 must be required").arg(what, quoted(keyName)));
    }
    if (field->types.size() != 1 || field->types.front().kind != keyType)
        return fail(pointerChild(pointer, QStringLiteral("type")),
                    QStringLiteral("the %1 %2 must have the type %3, as %4 says; it is %5")
                        .arg(what, quoted(keyName), fieldKindName(keyType), typePointer,
                             field->typeDescription()));
    return okStatus();
}

int TableModelParser::modelHeight(const MapModel *model)
{
    if (const auto it = m_height.constFind(model); it != m_height.constEnd())
        return *it;
    // A model reached again while it is being measured is recursion: StructDesk stops
    // recursive models at their maxNestedDepth and at 32 path elements, so it adds nothing.
    if (m_visiting.contains(model))
        return 0;
    m_visiting.insert(model);
    int height = m_ownHeight.value(model, 0);
    for (const ModelRef &ref : m_refs) {
        if (ref.owner == model)
            height = std::max(height, ref.level + modelHeight(ref.target));
    }
    m_visiting.remove(model);
    m_height.insert(model, height);
    return height;
}

Status TableModelParser::checkModelDepths()
{
    for (const ModelRef &ref : m_refs) {
        if (ref.owner != nullptr)
            continue;
        const int depth = ref.level + modelHeight(ref.target);
        if (depth > TableModel::kMaxDepth)
            return fail(ref.pointer, QStringLiteral("the model %1 used here nests fields %2 levels "
                                                    "deep; DynamoDB allows at most %3")
                                         .arg(quoted(ref.target->name))
                                         .arg(depth)
                                         .arg(TableModel::kMaxDepth));
    }
    for (const auto &map : m_model->m_maps) {
        if (map->name.isEmpty())
            continue;
        const int depth = modelHeight(map.get());
        if (depth > TableModel::kMaxDepth)
            return fail(pointerChild(QStringLiteral("/models"), map->name),
                        QStringLiteral("the model %1 nests fields %2 levels deep; DynamoDB allows "
                                       "at most %3")
                            .arg(quoted(map->name))
                            .arg(depth)
                            .arg(TableModel::kMaxDepth));
    }
    return okStatus();
}

/// The declared fields that the indexes use as keys can hold the keys.
Status TableModelParser::checkIndexKeys(const Json &declared)
{
    const IndexSpec &primary = m_model->m_primary;
    if (!primary.sortKey.isEmpty()) {
        if (const Status s = checkKeyField(declared, primary.sortKey, primary.sortKeyType,
                                           QStringLiteral("sort key"),
                                           QStringLiteral("/primaryIndex/sortKeyType"));
            !s)
            return s.error();
    }
    if (const Status s =
            checkKeyField(declared, primary.hashKey, primary.hashKeyType,
                          QStringLiteral("hash key"), QStringLiteral("/primaryIndex/hashKeyType"));
        !s)
        return s.error();

    // A declared field that a secondary index uses as a key must be able to hold the key.
    for (std::size_t i = 0; i < m_model->m_secondary.size(); ++i) {
        const IndexSpec &index = m_model->m_secondary[i];
        const QString pointer = pointerChild(QStringLiteral("/secondaryIndexes"), i);
        const std::pair<const QString *, FieldKind> keys[] = {{&index.hashKey, index.hashKeyType},
                                                              {&index.sortKey, index.sortKeyType}};
        for (const auto &[key, kind] : keys) {
            const FieldSpec *field = key->isEmpty() ? nullptr : m_model->m_root->field(*key);
            if (field && !field->accepts(kind) && !field->isAny())
                return fail(pointerChild(pointer, key == &index.hashKey
                                                      ? QStringLiteral("hashKeyType")
                                                      : QStringLiteral("sortKeyType")),
                            QStringLiteral("the index key %1 is %2, but the field %1 is %3")
                                .arg(quoted(*key), fieldKindName(kind), field->typeDescription()));
        }
    }
    return okStatus();
}
