// Reading a table model file: TableModelParser::parse() and its steps, each part of the file
// (indexes, fields, types, containers, maps, defaults) checked with a message naming its JSON
// pointer.

#include "model/schema/tablemodeldocument.h"

#include "model/json/jsoncodec.h"

#include <cstdint>
#include <set>
#include <utility>

using namespace tablemodelfile;

namespace {

/// Longest key shown in a JSON pointer in messages.
constexpr qsizetype kMaxPointerKey = 60;

QString allKindNames()
{
    QStringList names;
    for (FieldKind kind : kAllKinds)
        names << fieldKindName(kind);
    return names.join(QStringLiteral(", "));
}

QString describeJson(const Json &j)
{
    switch (j.type()) {
    case Json::value_t::null:
        return QStringLiteral("null");
    case Json::value_t::boolean:
        return QStringLiteral("a boolean");
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
        return QStringLiteral("a number");
    case Json::value_t::string:
        return QStringLiteral("a string");
    case Json::value_t::object:
        return QStringLiteral("an object");
    case Json::value_t::array:
        return QStringLiteral("an array");
    default:
        return QStringLiteral("a value");
    }
}

bool isKeyKind(FieldKind kind)
{
    return kind == FieldKind::Str || kind == FieldKind::Int || kind == FieldKind::Float;
}

bool isSetItemKind(FieldKind kind)
{
    return kind == FieldKind::Str || kind == FieldKind::Int || kind == FieldKind::Float ||
           kind == FieldKind::Decimal || kind == FieldKind::Bytes;
}

/// Nesting depth of a JSON value, counted up to `limit + 1` so that deep input costs nothing.
int jsonDepth(const Json &j, int limit)
{
    if (!j.is_structured())
        return 0;
    if (limit < 0)
        return 1;
    int deepest = 0;
    for (const Json &child : j) {
        deepest = std::max(deepest, jsonDepth(child, limit - 1));
        if (deepest > limit)
            break;
    }
    return deepest + 1;
}

/// Whether a JSON default fits a type, one level deep (the validator checks the rest).
bool defaultFits(const Json &j, FieldKind kind)
{
    switch (kind) {
    case FieldKind::Str:
        return j.is_string();
    case FieldKind::Int:
        return j.is_number_integer();
    case FieldKind::Float:
    case FieldKind::Decimal:
        return j.is_number();
    case FieldKind::Bool:
        return j.is_boolean();
    case FieldKind::Bytes:
        return j.is_string() && bool(decodeBase64(QByteArray::fromStdString(j.get<std::string>())));
    case FieldKind::Any:
        return true;
    case FieldKind::Map:
    case FieldKind::Dict:
        return j.is_object();
    case FieldKind::List:
    case FieldKind::Set:
        return j.is_array();
    }
    return false;
}

} // namespace

Error TableModelParser::fail(const QString &pointer, const QString &message) const
{
    QString location = m_source;
    if (!pointer.isEmpty()) {
        // A pointer through a 5 MB key stays readable: each long key is cut on its own, so
        // the pointer still shows every level.
        QString shown;
        for (QStringView part : QStringView(pointer).split(u'/')) {
            if (!shown.isEmpty() || !part.isEmpty())
                shown += u'/';
            shown += excerpt(part, kMaxPointerKey);
        }
        location = location.isEmpty() ? shown : location + u':' + shown;
    }
    return makeError(ErrorKind::Invalid, message, location);
}

Status TableModelParser::checkKeys(const Json &object, const QString &pointer,
                                   std::initializer_list<const char *> allowed,
                                   const QString &what) const
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        const bool known = std::any_of(allowed.begin(), allowed.end(),
                                       [&](const char *key) { return it.key() == key; });
        if (!known) {
            QStringList names;
            for (const char *key : allowed)
                names << QString::fromLatin1(key);
            return fail(
                pointerChild(pointer, fromStd(it.key())),
                QStringLiteral("unknown key %1 in %2; expected one of %3")
                    .arg(quoted(fromStd(it.key())), what, names.join(QStringLiteral(", "))));
        }
    }
    return okStatus();
}

Result<QString> TableModelParser::stringAt(const Json &object, const char *key,
                                           const QString &pointer, bool required) const
{
    const QString at = pointerChild(pointer, QString::fromLatin1(key));
    const auto it = object.find(key);
    if (it == object.end()) {
        if (required)
            return fail(at, QStringLiteral("%1 is missing").arg(quoted(QString::fromLatin1(key))));
        return QString();
    }
    if (!it->is_string())
        return fail(at, QStringLiteral("expected a string, found %1").arg(describeJson(*it)));
    return fromStd(it->get<std::string>());
}

Result<FieldKind> TableModelParser::keyKindAt(const Json &object, const char *key,
                                              const QString &pointer) const
{
    auto name = stringAt(object, key, pointer, false);
    if (!name)
        return name.error();
    if (name->isEmpty() && object.find(key) == object.end())
        return FieldKind::Str;
    const auto kind = fieldKindFromName(*name);
    if (!kind || !isKeyKind(*kind))
        return fail(pointerChild(pointer, QString::fromLatin1(key)),
                    QStringLiteral("%1 cannot be a key type; expected one of str, int, float")
                        .arg(quoted(*name)));
    return *kind;
}

Status TableModelParser::parseIndex(const Json &j, const QString &pointer, bool primary,
                                    IndexSpec &index) const
{
    if (!j.is_object())
        return fail(pointer, QStringLiteral("expected an object, found %1").arg(describeJson(j)));
    const Status keys =
        primary ? checkKeys(j, pointer, {"hashKey", "hashKeyType", "sortKey", "sortKeyType"},
                            QStringLiteral("the primary index"))
                : checkKeys(j, pointer,
                            {"name", "hashKey", "hashKeyType", "sortKey", "sortKeyType",
                             "projection", "nonKeyAttributes"},
                            QStringLiteral("a secondary index"));
    if (!keys)
        return keys;

    auto hashKey = stringAt(j, "hashKey", pointer, true);
    if (!hashKey)
        return hashKey.error();
    if (const QString problem = TableModel::checkFieldName(*hashKey); !problem.isEmpty())
        return fail(pointerChild(pointer, QStringLiteral("hashKey")), problem);
    index.hashKey = *hashKey;
    auto hashKeyType = keyKindAt(j, "hashKeyType", pointer);
    if (!hashKeyType)
        return hashKeyType.error();
    index.hashKeyType = *hashKeyType;

    auto sortKey = stringAt(j, "sortKey", pointer, false);
    if (!sortKey)
        return sortKey.error();
    if (j.contains("sortKey")) {
        if (const QString problem = TableModel::checkFieldName(*sortKey); !problem.isEmpty())
            return fail(pointerChild(pointer, QStringLiteral("sortKey")), problem);
        if (*sortKey == index.hashKey)
            return fail(pointerChild(pointer, QStringLiteral("sortKey")),
                        QStringLiteral("the sort key cannot be the hash key"));
    } else if (j.contains("sortKeyType")) {
        return fail(pointerChild(pointer, QStringLiteral("sortKeyType")),
                    QStringLiteral("\"sortKeyType\" needs a \"sortKey\""));
    }
    index.sortKey = *sortKey;
    auto sortKeyType = keyKindAt(j, "sortKeyType", pointer);
    if (!sortKeyType)
        return sortKeyType.error();
    index.sortKeyType = *sortKeyType;

    if (primary)
        return okStatus();

    auto name = stringAt(j, "name", pointer, false);
    if (!name)
        return name.error();
    if (j.contains("name")) {
        if (const QString problem = TableModel::checkTableName(*name); !problem.isEmpty())
            return fail(pointerChild(pointer, QStringLiteral("name")), problem);
        index.name = *name;
    } else {
        index.name = index.hashKey;
    }

    auto projection = stringAt(j, "projection", pointer, false);
    if (!projection)
        return projection.error();
    if (j.contains("projection")) {
        if (*projection != u"ALL" && *projection != u"KEYS_ONLY" && *projection != u"INCLUDE")
            return fail(pointerChild(pointer, QStringLiteral("projection")),
                        QStringLiteral("unknown projection %1; expected one of ALL, KEYS_ONLY, "
                                       "INCLUDE")
                            .arg(quoted(*projection)));
        index.projection = *projection;
    }

    const auto attributes = j.find("nonKeyAttributes");
    if (attributes != j.end()) {
        const QString at = pointerChild(pointer, QStringLiteral("nonKeyAttributes"));
        if (index.projection != u"INCLUDE")
            return fail(at, QStringLiteral("\"nonKeyAttributes\" is only allowed with "
                                           "\"projection\": \"INCLUDE\""));
        if (!attributes->is_array())
            return fail(at, QStringLiteral("expected an array of field names, found %1")
                                .arg(describeJson(*attributes)));
        for (std::size_t i = 0; i < attributes->size(); ++i) {
            const Json &item = (*attributes)[i];
            if (!item.is_string())
                return fail(
                    pointerChild(at, i),
                    QStringLiteral("expected a field name, found %1").arg(describeJson(item)));
            const QString attribute = fromStd(item.get<std::string>());
            if (const QString problem = TableModel::checkFieldName(attribute); !problem.isEmpty())
                return fail(pointerChild(at, i), problem);
            index.nonKeyAttributes << attribute;
        }
    }
    return okStatus();
}

Result<std::vector<FieldKind>> TableModelParser::parseTypeNames(const Json &j,
                                                                const QString &pointer) const
{
    auto one = [&](const Json &name, const QString &at) -> Result<FieldKind> {
        if (!name.is_string())
            return fail(at,
                        QStringLiteral("expected a type name, found %1").arg(describeJson(name)));
        const QString text = fromStd(name.get<std::string>());
        const auto kind = fieldKindFromName(text);
        if (!kind)
            return fail(at, QStringLiteral("unknown type %1; expected one of %2")
                                .arg(quoted(text), allKindNames()));
        return *kind;
    };
    std::vector<FieldKind> kinds;
    if (j.is_array()) {
        if (j.empty())
            return fail(pointer, QStringLiteral("a list of types cannot be empty"));
        for (std::size_t i = 0; i < j.size(); ++i) {
            auto kind = one(j[i], pointerChild(pointer, i));
            if (!kind)
                return kind.error();
            if (std::find(kinds.begin(), kinds.end(), *kind) != kinds.end())
                return fail(
                    pointerChild(pointer, i),
                    QStringLiteral("the type %1 is listed twice").arg(fieldKindName(*kind)));
            kinds.push_back(*kind);
        }
        return kinds;
    }
    if (!j.is_string())
        return fail(pointer,
                    QStringLiteral("expected a type name or a list of type names, found %1")
                        .arg(describeJson(j)));
    auto kind = one(j, pointer);
    if (!kind)
        return kind.error();
    kinds.push_back(*kind);
    return kinds;
}

Status TableModelParser::parseFields(const Json &j, const QString &pointer, int level,
                                     MapModel &into)
{
    if (!j.is_object())
        return fail(pointer,
                    QStringLiteral("expected an object of fields, found %1").arg(describeJson(j)));
    into.byName.reserve(qsizetype(j.size()));
    into.fields.reserve(j.size());
    for (auto it = j.begin(); it != j.end(); ++it) {
        const QString name = fromStd(it.key());
        auto field = parseField(it.value(), pointerChild(pointer, name), name, level, {});
        if (!field)
            return field.error();
        into.byName.insert(name, field->get());
        into.fields.push_back(std::move(*field));
    }
    return okStatus();
}

Result<std::unique_ptr<FieldSpec>> TableModelParser::parseField(const Json &j,
                                                                const QString &pointer,
                                                                const QString &name, int level,
                                                                const FieldContext &context)
{
    if (!context.isItem) {
        if (const QString problem = TableModel::checkFieldName(name); !problem.isEmpty())
            return fail(pointer, problem);
    }
    if (level > TableModel::kMaxDepth)
        return fail(pointer, QStringLiteral("this is nested %1 levels deep; DynamoDB allows at "
                                            "most %2")
                                 .arg(level)
                                 .arg(TableModel::kMaxDepth));
    if (!j.is_object())
        return fail(pointer,
                    QStringLiteral("expected a field object, found %1").arg(describeJson(j)));
    const Status keys = context.isItem
                            ? checkKeys(j, pointer,
                                        {"type", "keyName", "keyType", "items", "fields", "model",
                                         "maxNestedDepth"},
                                        QStringLiteral("an item type"))
                            : checkKeys(j, pointer,
                                        {"type", "required", "default", "keyName", "keyType",
                                         "items", "fields", "model", "maxNestedDepth"},
                                        QStringLiteral("a field"));
    if (!keys)
        return keys.error();

    const auto typeIt = j.find("type");
    if (typeIt == j.end())
        return fail(pointerChild(pointer, QStringLiteral("type")),
                    QStringLiteral("\"type\" is missing"));
    const QString typePointer =
        context.shorthand ? pointer : pointerChild(pointer, QStringLiteral("type"));
    auto kinds = parseTypeNames(*typeIt, typePointer);
    if (!kinds)
        return kinds.error();
    if (context.forSet) {
        if (const Status s = checkSetItemKinds(*kinds, typeIt->is_array(), typePointer); !s)
            return s.error();
    }

    auto spec = std::make_unique<FieldSpec>();
    spec->name = name;
    for (FieldKind kind : *kinds)
        spec->types.push_back(FieldType{kind, nullptr, nullptr, FieldKind::Str});
    m_ownHeight[m_owner] = std::max(m_ownHeight.value(m_owner, 0), level);

    if (const Status s = parseOptions(j, pointer, *spec); !s)
        return s.error();
    if (const Status s = parseContainer(j, pointer, level, context, *spec); !s)
        return s.error();
    if (const Status s = parseMap(j, pointer, level, *spec); !s)
        return s.error();
    if (const Status s = parseDefault(j, pointer, *spec); !s)
        return s.error();
    return spec;
}

Status TableModelParser::checkSetItemKinds(const std::vector<FieldKind> &kinds, bool listed,
                                           const QString &typePointer) const
{
    for (std::size_t i = 0; i < kinds.size(); ++i) {
        const FieldKind kind = kinds[i];
        if (isSetItemKind(kind))
            continue;
        const QString at = listed ? pointerChild(typePointer, i) : typePointer;
        if (kind == FieldKind::Any)
            return fail(at, QStringLiteral("a set needs typed items: StructNoSQL refuses untyped "
                                           "sets (UsageOfUntypedSetException); use str, int, "
                                           "float, decimal or bytes"));
        return fail(at, QStringLiteral("a set cannot hold %1 items; set items must be str, int, "
                                       "float, decimal or bytes")
                            .arg(fieldKindName(kind)));
    }
    return okStatus();
}

Status TableModelParser::parseOptions(const Json &j, const QString &pointer, FieldSpec &spec) const
{
    if (const auto it = j.find("required"); it != j.end()) {
        if (!it->is_boolean())
            return fail(pointerChild(pointer, QStringLiteral("required")),
                        QStringLiteral("expected true or false, found %1").arg(describeJson(*it)));
        spec.required = it->get<bool>();
    }

    if (const auto it = j.find("maxNestedDepth"); it != j.end()) {
        const QString at = pointerChild(pointer, QStringLiteral("maxNestedDepth"));
        if (!it->is_number_integer())
            return fail(at, QStringLiteral("expected an integer from 1 to %1, found %2")
                                .arg(TableModel::kMaxDepth)
                                .arg(describeJson(*it)));
        // Positive integers arrive unsigned; huge ones must not wrap around.
        const bool above = it->is_number_unsigned()
                               ? it->get<std::uint64_t>() > std::uint64_t(TableModel::kMaxDepth)
                               : it->get<std::int64_t>() > TableModel::kMaxDepth;
        if (above)
            return fail(at, QStringLiteral("maxNestedDepth %1 is above %2, the deepest nesting "
                                           "DynamoDB allows")
                                .arg(fromStd(it->dump()))
                                .arg(TableModel::kMaxDepth));
        const auto depth = it->get<std::int64_t>();
        if (depth < 1)
            return fail(at, QStringLiteral("maxNestedDepth must be at least 1, not %1").arg(depth));
        spec.maxNestedDepth = int(depth);
    }
    return okStatus();
}

Status TableModelParser::parseContainer(const Json &j, const QString &pointer, int level,
                                        const FieldContext &context, FieldSpec &spec)
{
    const bool isContainer =
        std::any_of(spec.types.begin(), spec.types.end(),
                    [](const FieldType &t) { return isContainerKind(t.kind); });
    auto notAllowed = [&](const char *key, const QString &where) {
        return fail(pointerChild(pointer, QString::fromLatin1(key)),
                    QStringLiteral("\"%1\" is only allowed on %2 fields; this field is %3")
                        .arg(QString::fromLatin1(key), where, spec.typeDescription()));
    };

    if (const auto it = j.find("keyName"); it != j.end()) {
        if (!isContainer)
            return notAllowed("keyName", QStringLiteral("dict, list and set"));
        auto keyName = stringAt(j, "keyName", pointer, true);
        if (!keyName)
            return keyName.error();
        const QString at = pointerChild(pointer, QStringLiteral("keyName"));
        if (keyName->isEmpty())
            return fail(at, QStringLiteral("a keyName cannot be empty"));
        QString bare = *keyName;
        bare.remove(QStringLiteral("{i}"));
        for (QChar c : bare) {
            if (QStringLiteral("[]{}()|.").contains(c))
                return fail(at, QStringLiteral("the keyName %1 contains %2; a keyName is a plain "
                                               "name, with \"{i}\" for the level of recursive "
                                               "models")
                                    .arg(quoted(*keyName), quoted(QString(c))));
        }
        spec.keyName = *keyName;
    } else {
        spec.keyName = defaultKeyName(spec, context.isItem, context.parentKeyName);
    }

    FieldKind keyType = FieldKind::Str;
    if (j.contains("keyType")) {
        if (!spec.accepts(FieldKind::Dict))
            return notAllowed("keyType", QStringLiteral("dict"));
        auto kind = keyKindAt(j, "keyType", pointer);
        if (!kind)
            return kind.error();
        keyType = *kind;
    }

    const FieldSpec *items = nullptr;
    if (const auto it = j.find("items"); it != j.end()) {
        if (!isContainer)
            return notAllowed("items", QStringLiteral("dict, list and set"));
        auto parsed = parseItems(*it, pointerChild(pointer, QStringLiteral("items")), level + 1,
                                 spec.keyName, spec.accepts(FieldKind::Set));
        if (!parsed)
            return parsed.error();
        items = *parsed;
    } else if (spec.accepts(FieldKind::Set)) {
        return fail(pointer, QStringLiteral("an untyped set is refused, as StructNoSQL's "
                                            "UsageOfUntypedSetException does: give the set "
                                            "\"items\" (str, int, float, decimal or bytes)"));
    } else if (isContainer) {
        // Dicts and lists hold anything unless told otherwise; consumers never see nullptr.
        auto anyItem = std::make_unique<FieldSpec>();
        anyItem->types.push_back(FieldType{});
        items = anyItem.get();
        m_model->m_items.push_back(std::move(anyItem));
    }

    for (FieldType &type : spec.types) {
        if (isContainerKind(type.kind))
            type.items = items;
        if (type.kind == FieldKind::Dict)
            type.keyType = keyType;
    }
    return okStatus();
}

Status TableModelParser::parseMap(const Json &j, const QString &pointer, int level, FieldSpec &spec)
{
    const bool hasFields = j.contains("fields");
    const bool hasModel = j.contains("model");
    if (!hasFields && !hasModel)
        return okStatus();
    const QString modelPointer = pointerChild(pointer, QStringLiteral("model"));
    if (!spec.accepts(FieldKind::Map)) {
        const QString key = hasFields ? QStringLiteral("fields") : QStringLiteral("model");
        return fail(pointerChild(pointer, key),
                    QStringLiteral("\"%1\" is only allowed on map fields; this field is %2")
                        .arg(key, spec.typeDescription()));
    }
    if (hasFields && hasModel)
        return fail(modelPointer,
                    QStringLiteral("a map takes either \"fields\" or \"model\", not both"));

    const MapModel *mapModel = nullptr;
    if (hasFields) {
        m_model->m_maps.push_back(std::make_unique<MapModel>());
        MapModel *inlineModel = m_model->m_maps.back().get();
        if (const Status s =
                parseFields(*j.find("fields"), pointerChild(pointer, QStringLiteral("fields")),
                            level + 1, *inlineModel);
            !s)
            return s;
        mapModel = inlineModel;
    } else {
        auto modelName = stringAt(j, "model", pointer, true);
        if (!modelName)
            return modelName.error();
        mapModel = m_model->namedModel(*modelName);
        if (!mapModel) {
            QStringList known;
            for (const auto &map : m_model->m_maps) {
                if (!map->name.isEmpty())
                    known << map->name;
            }
            if (known.isEmpty())
                return fail(modelPointer,
                            QStringLiteral("unknown model %1; the file declares no \"models\"")
                                .arg(quoted(*modelName)));
            return fail(modelPointer,
                        QStringLiteral("unknown model %1; the file declares %2")
                            .arg(quoted(*modelName), excerpt(known.join(QStringLiteral(", ")))));
        }
        m_refs.push_back(ModelRef{m_owner, mapModel, level, modelPointer});
    }
    for (FieldType &type : spec.types) {
        if (type.kind == FieldKind::Map)
            type.model = mapModel;
    }
    return okStatus();
}

Status TableModelParser::parseDefault(const Json &j, const QString &pointer, FieldSpec &spec) const
{
    const auto it = j.find("default");
    if (it == j.end())
        return okStatus();
    const QString at = pointerChild(pointer, QStringLiteral("default"));
    // Checked first: the conversion below recurses.
    if (jsonDepth(*it, TableModel::kMaxDepth) > TableModel::kMaxDepth)
        return fail(at, QStringLiteral("the default is nested deeper than %1 levels, which "
                                       "DynamoDB refuses")
                            .arg(TableModel::kMaxDepth));
    auto value = defaultValue(*it, at);
    if (!value)
        return value.error();
    const bool fits = (it->is_null() && !spec.required) ||
                      std::any_of(spec.types.begin(), spec.types.end(),
                                  [&](const FieldType &t) { return defaultFits(*it, t.kind); });
    if (!fits)
        return fail(at,
                    QStringLiteral("the default %1 does not fit the type %2")
                        .arg(excerptUtf8(JsonCodec::toPlain(*value), 80), spec.typeDescription()));
    spec.defaultValue = std::move(*value);
    return okStatus();
}

Result<Value> TableModelParser::defaultValue(const Json &j, const QString &pointer) const
{
    switch (j.type()) {
    case Json::value_t::number_integer:
    case Json::value_t::number_float: {
        const std::string *text = m_document ? m_document->numberText(pointer) : nullptr;
        const QString number = text ? fromStd(*text) : fromStd(j.dump());
        if (const QString problem = checkNumber(number); !problem.isEmpty())
            return fail(pointer, QStringLiteral("the default is not a number DynamoDB can store: "
                                                "%1")
                                     .arg(problem));
        return Value::numberUnchecked(number);
    }
    case Json::value_t::object: {
        Value::Map m;
        for (auto it = j.begin(); it != j.end(); ++it) {
            const QString key = fromStd(it.key());
            if (const QString problem = Names::mapKeyProblem(key); !problem.isEmpty())
                return fail(pointerChild(pointer, key), problem);
            auto item = defaultValue(it.value(), pointerChild(pointer, key));
            if (!item)
                return item;
            m.insert(key, std::move(*item));
        }
        return Value::map(std::move(m));
    }
    case Json::value_t::array: {
        Value::List l;
        for (std::size_t i = 0; i < j.size(); ++i) {
            auto item = defaultValue(j[i], pointerChild(pointer, i));
            if (!item)
                return item;
            l.append(std::move(*item));
        }
        return Value::list(std::move(l));
    }
    default:
        return JsonCodec::fromNlohmann(nlohmann::json(j));
    }
}

Result<const FieldSpec *> TableModelParser::parseItems(const Json &j, const QString &pointer,
                                                       int level, const QString &parentKeyName,
                                                       bool forSet)
{
    FieldContext context;
    context.isItem = true;
    context.forSet = forSet;
    context.parentKeyName = parentKeyName;
    Result<std::unique_ptr<FieldSpec>> spec = std::unique_ptr<FieldSpec>();
    if (j.is_string() || j.is_array()) {
        context.shorthand = true;
        spec = parseField(Json::object({{"type", j}}), pointer, {}, level, context);
    } else if (j.is_object()) {
        spec = parseField(j, pointer, {}, level, context);
    } else {
        return fail(pointer, QStringLiteral("expected a type name, a list of type names or an "
                                            "item object, found %1")
                                 .arg(describeJson(j)));
    }
    if (!spec)
        return spec.error();
    const FieldSpec *raw = spec->get();
    m_model->m_items.push_back(std::move(*spec));
    return raw;
}

/// The first step of parse(): the text into `builder`'s DOM; a syntax error names its
/// line and column, a duplicate key its JSON pointer.
Status TableModelParser::readDocument(QByteArrayView text, DocumentBuilder &builder) const
{
    try {
        if (!Json::sax_parse(text.begin(), text.end(), &builder)) {
            if (!builder.m_duplicatePointer.isEmpty())
                return fail(builder.m_duplicatePointer,
                            QStringLiteral("the key %1 appears twice")
                                .arg(quotedExcerpt(builder.m_duplicate)));
            QString location = lineColumn(text, builder.m_errorPosition);
            if (!m_source.isEmpty())
                location = m_source + u':' + location;
            return makeError(ErrorKind::Invalid,
                             QStringLiteral("malformed JSON: %1").arg(builder.m_errorMessage),
                             location);
        }
    } catch (const std::exception &e) {
        return fail({}, QStringLiteral("malformed JSON: %1").arg(excerptUtf8(e.what())));
    }

    return okStatus();
}

/// The table's name, its primary index and its secondary indexes.
Status TableModelParser::parseTableAndIndexes(const Json &document)
{
    auto table = stringAt(document, "table", {}, true);
    if (!table)
        return table.error();
    if (const QString problem = TableModel::checkTableName(*table); !problem.isEmpty())
        return fail(QStringLiteral("/table"), problem);
    m_model->m_tableName = *table;

    if (!document.contains("primaryIndex"))
        return fail(QStringLiteral("/primaryIndex"), QStringLiteral("\"primaryIndex\" is missing"));
    if (const Status s = parseIndex(document["primaryIndex"], QStringLiteral("/primaryIndex"), true,
                                    m_model->m_primary);
        !s)
        return s.error();

    if (const auto it = document.find("secondaryIndexes"); it != document.end()) {
        const QString pointer = QStringLiteral("/secondaryIndexes");
        if (!it->is_array())
            return fail(
                pointer,
                QStringLiteral("expected an array of indexes, found %1").arg(describeJson(*it)));
        for (std::size_t i = 0; i < it->size(); ++i) {
            IndexSpec index;
            if (const Status s = parseIndex((*it)[i], pointerChild(pointer, i), false, index); !s)
                return s.error();
            for (const IndexSpec &other : m_model->m_secondary) {
                if (other.name == index.name)
                    return fail(pointerChild(pointer, i),
                                QStringLiteral("two secondary indexes are named %1; give one "
                                               "a \"name\"")
                                    .arg(quoted(index.name)));
            }
            m_model->m_secondary.push_back(std::move(index));
        }
    }
    return okStatus();
}

/// Creates every named model (empty) before any field is read, so references may point
/// anywhere, themselves included; `models` is the file's "models" object, if any.
Status TableModelParser::declareModels(const Json &document, const Json *&models)
{
    models = nullptr;
    if (const auto it = document.find("models"); it != document.end()) {
        if (!it->is_object())
            return fail(
                QStringLiteral("/models"),
                QStringLiteral("expected an object of models, found %1").arg(describeJson(*it)));
        models = &*it;
        for (auto model = it->begin(); model != it->end(); ++model) {
            const QString name = fromStd(model.key());
            if (name.isEmpty())
                return fail(QStringLiteral("/models/"),
                            QStringLiteral("a model name cannot be empty"));
            m_model->m_maps.push_back(std::make_unique<MapModel>());
            m_model->m_maps.back()->name = name;
            m_model->m_named.insert(name, m_model->m_maps.back().get());
        }
    }
    return okStatus();
}

/// The fields of each named model.
Status TableModelParser::parseModels(const Json &models)
{
    for (auto it = models.begin(); it != models.end(); ++it) {
        const QString name = fromStd(it.key());
        const QString pointer = pointerChild(QStringLiteral("/models"), name);
        if (!it->is_object())
            return fail(pointer,
                        QStringLiteral("expected a model object, found %1").arg(describeJson(*it)));
        if (const Status s = checkKeys(*it, pointer, {"fields"}, QStringLiteral("a model")); !s)
            return s.error();
        MapModel *model = const_cast<MapModel *>(m_model->namedModel(name));
        m_owner = model;
        if (const auto modelFields = it->find("fields"); modelFields != it->end()) {
            if (const Status s = parseFields(
                    *modelFields, pointerChild(pointer, QStringLiteral("fields")), 1, *model);
                !s)
                return s.error();
        }
    }
    return okStatus();
}

Result<TableModelPtr> TableModelParser::parse(QByteArrayView text)
{
    Json document;
    DocumentBuilder builder(document);
    m_document = &builder;
    if (const Status s = readDocument(text, builder); !s)
        return s.error();

    try {
        m_model = std::make_shared<TableModel>();
        m_model->m_maps.push_back(std::make_unique<MapModel>());
        m_model->m_root = m_model->m_maps.back().get();

        if (!document.is_object())
            return fail({}, QStringLiteral("a table model file holds a JSON object, not %1")
                                .arg(describeJson(document)));
        if (const Status s = checkKeys(
                document, {}, {"table", "primaryIndex", "secondaryIndexes", "fields", "models"},
                QStringLiteral("a table model"));
            !s)
            return s.error();
        if (const Status s = parseTableAndIndexes(document); !s)
            return s.error();
        const Json *models = nullptr;
        if (const Status s = declareModels(document, models); !s)
            return s.error();

        const auto fields = document.find("fields");
        m_model->m_declaresFields = fields != document.end();
        if (m_model->m_declaresFields) {
            m_owner = nullptr;
            if (const Status s =
                    parseFields(*fields, QStringLiteral("/fields"), 1, *m_model->m_root);
                !s)
                return s.error();
        }

        if (models) {
            if (const Status s = parseModels(*models); !s)
                return s.error();
        }
        m_owner = nullptr;

        if (const Status s = checkModelDepths(); !s)
            return s.error();

        const Json emptyFields = Json::object();
        const Json &declared = m_model->m_declaresFields ? *fields : emptyFields;
        if (const Status s = checkIndexKeys(declared); !s)
            return s.error();
    } catch (const std::exception &e) {
        // Not expected: every access above checks types first.
        return fail(
            {}, QStringLiteral("cannot read the table model: %1").arg(QString::fromUtf8(e.what())));
    }
    return TableModelPtr(m_model); // kept for built()
}
