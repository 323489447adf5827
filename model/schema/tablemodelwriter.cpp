// Writing a table model file: TableModelParser::write() and the JSON of indexes and fields,
// defaults written with their exact text.

#include "model/schema/tablemodelfile.h"

#include "model/json/jsoncodec.h"

#include <QRandomGenerator>

using namespace tablemodelfile;

namespace {

/// Stands for the i-th default in a model being written (see TableModelParser::write()); the
/// nonce, drawn per write, keeps any name or text in the model from ever spelling a marker.
std::string defaultMarker(quint64 nonce, std::size_t i)
{
    return "\x01structdesk-default-" + std::to_string(nonce) + "-" + std::to_string(i) + "\x01";
}

/// Appends a member whose key is known to be new: ordered_json's operator[] would look the key
/// up first, which makes writing n members quadratic.
void appendMember(Json &object, std::string key, Json value)
{
    object.get_ref<Json::object_t &>().Json::object_t::Container::emplace_back(std::move(key),
                                                                               std::move(value));
}

} // namespace

Json TableModelParser::indexJson(const IndexSpec &index, bool primary)
{
    Json j = Json::object();
    if (!primary && index.name != index.hashKey)
        j["name"] = toStd(index.name);
    j["hashKey"] = toStd(index.hashKey);
    j["hashKeyType"] = toStd(fieldKindName(index.hashKeyType));
    if (!index.sortKey.isEmpty()) {
        j["sortKey"] = toStd(index.sortKey);
        j["sortKeyType"] = toStd(fieldKindName(index.sortKeyType));
    }
    if (!primary) {
        j["projection"] = toStd(index.projection);
        if (!index.nonKeyAttributes.isEmpty()) {
            Json attributes = Json::array();
            for (const QString &attribute : index.nonKeyAttributes)
                attributes.push_back(toStd(attribute));
            j["nonKeyAttributes"] = std::move(attributes);
        }
    }
    return j;
}

Json TableModelParser::fieldsJson(const MapModel &model, Defaults &defaults)
{
    Json j = Json::object();
    j.get_ref<Json::object_t &>().reserve(model.fields.size());
    for (const auto &field : model.fields)
        appendMember(j, toStd(field->name), fieldJson(*field, false, {}, defaults));
    return j;
}

Json TableModelParser::fieldJson(const FieldSpec &spec, bool isItem, const QString &parentKeyName,
                                 Defaults &defaults)
{
    Json j = Json::object();
    if (spec.types.size() == 1) {
        j["type"] = toStd(fieldKindName(spec.types.front().kind));
    } else {
        Json types = Json::array();
        for (const FieldType &type : spec.types)
            types.push_back(toStd(fieldKindName(type.kind)));
        j["type"] = std::move(types);
    }
    if (spec.required && !isItem)
        j["required"] = true;
    if (spec.defaultValue && !isItem) {
        j["default"] = defaultMarker(defaults.nonce, defaults.texts.size());
        defaults.texts.push_back(JsonCodec::toPlain(*spec.defaultValue));
    }
    if (!spec.keyName.isEmpty() && spec.keyName != defaultKeyName(spec, isItem, parentKeyName))
        j["keyName"] = toStd(spec.keyName);
    if (const FieldType *dict = spec.type(FieldKind::Dict); dict && dict->keyType != FieldKind::Str)
        j["keyType"] = toStd(fieldKindName(dict->keyType));

    const auto container = std::find_if(spec.types.begin(), spec.types.end(),
                                        [](const FieldType &t) { return t.items != nullptr; });
    if (container != spec.types.end()) {
        Json items = fieldJson(*container->items, true, spec.keyName, defaults);
        const bool shorthand = items.size() == 1;
        const bool anyItems = shorthand && items["type"] == "any";
        if (!anyItems || spec.accepts(FieldKind::Set))
            j["items"] = shorthand ? Json(items["type"]) : std::move(items);
    }
    if (const FieldType *map = spec.type(FieldKind::Map); map && map->model) {
        if (!map->model->name.isEmpty())
            j["model"] = toStd(map->model->name);
        else
            j["fields"] = fieldsJson(*map->model, defaults);
    }
    if (spec.maxNestedDepth != TableModel::kMaxDepth)
        j["maxNestedDepth"] = spec.maxNestedDepth;
    return j;
}

QByteArray TableModelParser::write(const TableModel &model, const QString &table)
{
    Defaults defaults;
    defaults.nonce = QRandomGenerator::global()->generate64();
    Json j = Json::object();
    j["table"] = toStd(table);
    j["primaryIndex"] = indexJson(model.m_primary, true);
    if (!model.m_secondary.empty()) {
        Json indexes = Json::array();
        for (const IndexSpec &index : model.m_secondary)
            indexes.push_back(indexJson(index, false));
        j["secondaryIndexes"] = std::move(indexes);
    }
    if (model.m_declaresFields)
        j["fields"] = fieldsJson(*model.m_root, defaults);
    Json models = Json::object();
    models.get_ref<Json::object_t &>().reserve(model.m_maps.size());
    for (const auto &map : model.m_maps) {
        if (map->name.isEmpty())
            continue;
        Json entry = Json::object();
        entry["fields"] = fieldsJson(*map, defaults);
        appendMember(models, toStd(map->name), std::move(entry));
    }
    if (!models.empty())
        j["models"] = std::move(models);
    const std::string text = j.dump(2, ' ', false, Json::error_handler_t::replace);
    QByteArray out(text.data(), qsizetype(text.size()));
    if (!defaults.texts.empty()) {
        // A marker is a string no field name or value can produce: control characters in
        // text are written escaped, and a backslash itself as two.
        const QByteArray prefix =
            "\"\\u0001structdesk-default-" + QByteArray::number(defaults.nonce) + '-';
        static const QByteArray suffix = QByteArrayLiteral("\\u0001\"");
        QByteArray replaced;
        replaced.reserve(out.size());
        qsizetype from = 0;
        while (true) {
            const qsizetype at = out.indexOf(prefix, from);
            const qsizetype end = at < 0 ? -1 : out.indexOf(suffix, at + prefix.size());
            if (end < 0)
                break;
            bool ok = false;
            const qsizetype index = QByteArrayView(out)
                                        .sliced(at + prefix.size(), end - at - prefix.size())
                                        .toLongLong(&ok);
            Q_ASSERT(ok && index >= 0 && std::size_t(index) < defaults.texts.size());
            replaced += QByteArrayView(out).sliced(from, at - from);
            replaced += ok && std::size_t(index) < defaults.texts.size()
                            ? defaults.texts[std::size_t(index)]
                            : QByteArrayLiteral("null");
            from = end + suffix.size();
        }
        replaced += QByteArrayView(out).sliced(from);
        out = std::move(replaced);
    }
    return out + '\n';
}
