#include "model/tablemodel.h"

#include "model/jsoncodec.h"

#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <set>
#include <string>
#include <utility>

namespace {

// ordered_json keeps the fields in file order, which is the order forms and the grid show.
using Json = nlohmann::ordered_json;

constexpr FieldKind kAllKinds[] = {FieldKind::Str,     FieldKind::Int,  FieldKind::Float,
                                   FieldKind::Decimal, FieldKind::Bool, FieldKind::Bytes,
                                   FieldKind::Any,     FieldKind::Map,  FieldKind::Dict,
                                   FieldKind::List,    FieldKind::Set};

QString fromStd(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

std::string toStd(const QString &s)
{
    return s.toStdString();
}

QString quoted(const QString &s)
{
    return u'"' + s + u'"';
}

/// RFC 6901: "~" and "/" inside a key are escaped.
QString pointerChild(const QString &pointer, QString key)
{
    key.replace(u'~', QStringLiteral("~0"));
    key.replace(u'/', QStringLiteral("~1"));
    return pointer + u'/' + key;
}

QString pointerChild(const QString &pointer, std::size_t index)
{
    return pointer + u'/' + QString::number(index);
}

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

bool isContainerKind(FieldKind kind)
{
    return kind == FieldKind::Dict || kind == FieldKind::List || kind == FieldKind::Set;
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
        return j.is_string() &&
               bool(QByteArray::fromBase64Encoding(QByteArray::fromStdString(j.get<std::string>()),
                                                   QByteArray::AbortOnBase64DecodingErrors));
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

QString defaultKeyName(const FieldSpec &spec, bool isItem, const QString &parentKeyName)
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

/// First pass over the text: syntax errors with their byte position, and duplicate keys
/// (which a DOM parse would silently collapse) with their JSON pointer.
class SyntaxChecker
{
public:
    bool null() { return element(); }
    bool boolean(bool) { return element(); }
    bool number_integer(Json::number_integer_t) { return element(); }
    bool number_unsigned(Json::number_unsigned_t) { return element(); }
    bool number_float(Json::number_float_t, const Json::string_t &) { return element(); }
    bool string(Json::string_t &) { return element(); }
    bool binary(Json::binary_t &) { return element(); }
    bool start_object(std::size_t)
    {
        element();
        m_stack.push_back(Frame{});
        return true;
    }
    bool key(Json::string_t &key)
    {
        Frame &frame = m_stack.back();
        frame.key = key;
        if (!frame.keys.insert(key).second) {
            m_duplicate = fromStd(key);
            m_duplicatePointer = pointer();
            return false;
        }
        return true;
    }
    bool end_object()
    {
        m_stack.pop_back();
        return true;
    }
    bool start_array(std::size_t)
    {
        element();
        Frame frame;
        frame.isArray = true;
        m_stack.push_back(std::move(frame));
        return true;
    }
    bool end_array()
    {
        m_stack.pop_back();
        return true;
    }
    bool parse_error(std::size_t position, const std::string &,
                     const nlohmann::detail::exception &ex)
    {
        m_errorPosition = position;
        QString what = QString::fromUtf8(ex.what());
        // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error
        // while parsing value - unexpected '}'; expected ..." -> "unexpected '}'; expected ..."
        const qsizetype colon = what.indexOf(QStringLiteral(": "));
        if (colon >= 0)
            what = what.mid(colon + 2);
        const qsizetype dash = what.indexOf(QStringLiteral(" - "));
        if (what.startsWith(QStringLiteral("syntax error")) && dash >= 0)
            what = what.mid(dash + 3);
        m_errorMessage = what;
        return false;
    }

    std::size_t m_errorPosition = std::string::npos;
    QString m_errorMessage;
    QString m_duplicate;
    QString m_duplicatePointer;

private:
    struct Frame
    {
        bool isArray = false;
        std::size_t count = 0;
        std::string key;
        std::set<std::string> keys;
    };

    bool element()
    {
        if (!m_stack.empty() && m_stack.back().isArray)
            ++m_stack.back().count;
        return true;
    }

    QString pointer() const
    {
        QString result;
        for (const Frame &frame : m_stack)
            result = frame.isArray ? pointerChild(result, frame.count - 1)
                                   : pointerChild(result, fromStd(frame.key));
        return result;
    }

    std::vector<Frame> m_stack;
};

/// "line:column" (both from 1) of a byte position as nlohmann reports it: 1-based, the byte
/// that could not be read, one past the end when the input ended too early.
QString lineColumn(QByteArrayView text, std::size_t position)
{
    int line = 1;
    int column = 1;
    for (std::size_t i = 0; i + 1 < position; ++i) {
        if (i < std::size_t(text.size()) && text[qsizetype(i)] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return QStringLiteral("%1:%2").arg(line).arg(column);
}

} // namespace

QString fieldKindName(FieldKind kind)
{
    switch (kind) {
    case FieldKind::Str:
        return QStringLiteral("str");
    case FieldKind::Int:
        return QStringLiteral("int");
    case FieldKind::Float:
        return QStringLiteral("float");
    case FieldKind::Decimal:
        return QStringLiteral("decimal");
    case FieldKind::Bool:
        return QStringLiteral("bool");
    case FieldKind::Bytes:
        return QStringLiteral("bytes");
    case FieldKind::Any:
        return QStringLiteral("any");
    case FieldKind::Map:
        return QStringLiteral("map");
    case FieldKind::Dict:
        return QStringLiteral("dict");
    case FieldKind::List:
        return QStringLiteral("list");
    case FieldKind::Set:
        return QStringLiteral("set");
    }
    return QStringLiteral("any");
}

std::optional<FieldKind> fieldKindFromName(QStringView name)
{
    for (FieldKind kind : kAllKinds) {
        if (name == fieldKindName(kind))
            return kind;
    }
    return std::nullopt;
}

bool FieldSpec::accepts(FieldKind kind) const
{
    return type(kind) != nullptr;
}

const FieldType *FieldSpec::type(FieldKind kind) const
{
    for (const FieldType &t : types) {
        if (t.kind == kind)
            return &t;
    }
    return nullptr;
}

QString FieldSpec::typeDescription() const
{
    QStringList names;
    for (const FieldType &t : types) {
        QString name = fieldKindName(t.kind);
        if (t.kind == FieldKind::Map && t.model && !t.model->name.isEmpty())
            name = t.model->name;
        else if (isContainerKind(t.kind) && t.items &&
                 !(t.items->types.size() == 1 && t.items->types.front().kind == FieldKind::Any))
            name += QStringLiteral(" of ") + t.items->typeDescription();
        names << name;
    }
    if (names.isEmpty())
        return QStringLiteral("any");
    if (names.size() == 1)
        return names.front();
    const QString last = names.takeLast();
    const QString head = names.join(QStringLiteral(", ")) + QStringLiteral(" or ") + last;
    return names.size() == 1 ? head : QStringLiteral("one of ") + head;
}

const MapModel *TableModel::namedModel(const QString &name) const
{
    return m_named.value(name, nullptr);
}

QString TableModel::checkTableName(const QString &name)
{
    if (name.size() < 3 || name.size() > 255)
        return QStringLiteral("the name %1 has %2 characters; a table or index name has 3 to 255")
            .arg(quoted(name))
            .arg(name.size());
    for (QChar c : name) {
        const bool allowed = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') ||
                             (c >= u'0' && c <= u'9') || c == u'_' || c == u'-' || c == u'.';
        if (!allowed)
            return QStringLiteral("the name %1 contains %2; a table or index name may only use "
                                  "letters, digits, \"_\", \"-\" and \".\"")
                .arg(quoted(name), quoted(QString(c)));
    }
    return {};
}

QString TableModel::checkFieldName(const QString &name)
{
    if (name.isEmpty())
        return QStringLiteral("a field name cannot be empty");
    static const QString restricted = QStringLiteral("[]{}()|");
    for (QChar c : name) {
        if (restricted.contains(c))
            return QStringLiteral("the field name %1 contains %2, which StructNoSQL reserves "
                                  "for field paths ([ ] { } ( ) |)")
                .arg(quoted(name), quoted(QString(c)));
    }
    if (name.contains(u'.'))
        return QStringLiteral("the field name %1 contains \".\", which separates the elements "
                              "of a field path, so the field could not be addressed")
            .arg(quoted(name));
    static const QStringList typeTags = {
        QStringLiteral("S"),  QStringLiteral("N"),  QStringLiteral("B"),    QStringLiteral("SS"),
        QStringLiteral("NS"), QStringLiteral("BS"), QStringLiteral("NULL"), QStringLiteral("BOOL"),
        QStringLiteral("M"),  QStringLiteral("L")};
    if (typeTags.contains(name))
        return QStringLiteral("%1 is a DynamoDB type tag and cannot be a field name (S, N, B, SS, "
                              "NS, BS, NULL, BOOL, M and L are reserved)")
            .arg(quoted(name));
    return {};
}

/// Builds TableModels from model files and writes them back.
class TableModelParser
{
public:
    explicit TableModelParser(QString source) : m_source(std::move(source)) {}

    Result<TableModelPtr> parse(QByteArrayView text);
    /// The model the last successful parse() built, still writable (for run-time flags).
    std::shared_ptr<TableModel> built() const { return m_model; }
    static QByteArray write(const TableModel &model);

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
    Result<const FieldSpec *> parseItems(const Json &j, const QString &pointer, int level,
                                         const QString &parentKeyName, bool forSet);
    Status checkKeyField(const Json &fields, const QString &keyName, FieldKind keyType,
                         const QString &what, const QString &typePointer);
    Status checkModelDepths();
    int modelHeight(const MapModel *model);

    static Json fieldJson(const FieldSpec &spec, bool isItem, const QString &parentKeyName);
    static Json fieldsJson(const MapModel &model);
    static Json indexJson(const IndexSpec &index, bool primary);

    QString m_source;
    std::shared_ptr<TableModel> m_model;
    const MapModel *m_owner = nullptr;
    std::vector<ModelRef> m_refs;
    QHash<const MapModel *, int> m_ownHeight;
    QHash<const MapModel *, int> m_height;
    QSet<const MapModel *> m_visiting;
};

Error TableModelParser::fail(const QString &pointer, const QString &message) const
{
    QString location = m_source;
    if (!pointer.isEmpty())
        location = location.isEmpty() ? pointer : location + u':' + pointer;
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
                            .arg(quoted(*modelName), known.join(QStringLiteral(", "))));
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
    const bool fits = (it->is_null() && !spec.required) ||
                      std::any_of(spec.types.begin(), spec.types.end(),
                                  [&](const FieldType &t) { return defaultFits(*it, t.kind); });
    if (!fits)
        return fail(
            at, QStringLiteral("the default %1 does not fit the type %2")
                    .arg(fromStd(it->dump(-1, ' ', false, Json::error_handler_t::replace)).left(80),
                         spec.typeDescription()));
    spec.defaultValue = JsonCodec::fromNlohmann(nlohmann::json(*it));
    return okStatus();
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

Result<TableModelPtr> TableModelParser::parse(QByteArrayView text)
{
    SyntaxChecker checker;
    Json document;
    try {
        if (!Json::sax_parse(text.begin(), text.end(), &checker)) {
            if (!checker.m_duplicatePointer.isEmpty())
                return fail(
                    checker.m_duplicatePointer,
                    QStringLiteral("the key %1 appears twice").arg(quoted(checker.m_duplicate)));
            QString location = lineColumn(text, checker.m_errorPosition);
            if (!m_source.isEmpty())
                location = m_source + u':' + location;
            return makeError(ErrorKind::Invalid,
                             QStringLiteral("malformed JSON: %1").arg(checker.m_errorMessage),
                             location);
        }
        document = Json::parse(text.begin(), text.end());
    } catch (const std::exception &e) {
        return fail({}, QStringLiteral("malformed JSON: %1").arg(QString::fromUtf8(e.what())));
    }

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

        auto table = stringAt(document, "table", {}, true);
        if (!table)
            return table.error();
        if (const QString problem = TableModel::checkTableName(*table); !problem.isEmpty())
            return fail(QStringLiteral("/table"), problem);
        m_model->m_tableName = *table;

        if (!document.contains("primaryIndex"))
            return fail(QStringLiteral("/primaryIndex"),
                        QStringLiteral("\"primaryIndex\" is missing"));
        if (const Status s = parseIndex(document["primaryIndex"], QStringLiteral("/primaryIndex"),
                                        true, m_model->m_primary);
            !s)
            return s.error();

        if (const auto it = document.find("secondaryIndexes"); it != document.end()) {
            const QString pointer = QStringLiteral("/secondaryIndexes");
            if (!it->is_array())
                return fail(pointer, QStringLiteral("expected an array of indexes, found %1")
                                         .arg(describeJson(*it)));
            for (std::size_t i = 0; i < it->size(); ++i) {
                IndexSpec index;
                if (const Status s = parseIndex((*it)[i], pointerChild(pointer, i), false, index);
                    !s)
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

        // Every model exists before any field is read, so references may point anywhere,
        // themselves included.
        const Json *models = nullptr;
        if (const auto it = document.find("models"); it != document.end()) {
            if (!it->is_object())
                return fail(QStringLiteral("/models"),
                            QStringLiteral("expected an object of models, found %1")
                                .arg(describeJson(*it)));
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
            for (auto it = models->begin(); it != models->end(); ++it) {
                const QString name = fromStd(it.key());
                const QString pointer = pointerChild(QStringLiteral("/models"), name);
                if (!it->is_object())
                    return fail(
                        pointer,
                        QStringLiteral("expected a model object, found %1").arg(describeJson(*it)));
                if (const Status s = checkKeys(*it, pointer, {"fields"}, QStringLiteral("a model"));
                    !s)
                    return s.error();
                MapModel *model = const_cast<MapModel *>(m_model->namedModel(name));
                m_owner = model;
                if (const auto modelFields = it->find("fields"); modelFields != it->end()) {
                    if (const Status s =
                            parseFields(*modelFields,
                                        pointerChild(pointer, QStringLiteral("fields")), 1, *model);
                        !s)
                        return s.error();
                }
            }
        }
        m_owner = nullptr;

        if (const Status s = checkModelDepths(); !s)
            return s.error();

        const Json emptyFields = Json::object();
        const Json &declared = m_model->m_declaresFields ? *fields : emptyFields;
        const IndexSpec &primary = m_model->m_primary;
        if (!primary.sortKey.isEmpty()) {
            if (const Status s = checkKeyField(declared, primary.sortKey, primary.sortKeyType,
                                               QStringLiteral("sort key"),
                                               QStringLiteral("/primaryIndex/sortKeyType"));
                !s)
                return s.error();
        }
        if (const Status s = checkKeyField(declared, primary.hashKey, primary.hashKeyType,
                                           QStringLiteral("hash key"),
                                           QStringLiteral("/primaryIndex/hashKeyType"));
            !s)
            return s.error();

        // A declared field that a secondary index uses as a key must be able to hold the key.
        for (std::size_t i = 0; i < m_model->m_secondary.size(); ++i) {
            const IndexSpec &index = m_model->m_secondary[i];
            const QString pointer = pointerChild(QStringLiteral("/secondaryIndexes"), i);
            const std::pair<const QString *, FieldKind> keys[] = {
                {&index.hashKey, index.hashKeyType}, {&index.sortKey, index.sortKeyType}};
            for (const auto &[key, kind] : keys) {
                const FieldSpec *field = key->isEmpty() ? nullptr : m_model->m_root->field(*key);
                if (field && !field->accepts(kind) && !field->isAny())
                    return fail(
                        pointerChild(pointer, key == &index.hashKey
                                                  ? QStringLiteral("hashKeyType")
                                                  : QStringLiteral("sortKeyType")),
                        QStringLiteral("the index key %1 is %2, but the field %1 is %3")
                            .arg(quoted(*key), fieldKindName(kind), field->typeDescription()));
            }
        }
    } catch (const std::exception &e) {
        // Not expected: every access above checks types first.
        return fail(
            {}, QStringLiteral("cannot read the table model: %1").arg(QString::fromUtf8(e.what())));
    }
    return TableModelPtr(m_model); // kept for built()
}

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

Json TableModelParser::fieldsJson(const MapModel &model)
{
    Json j = Json::object();
    for (const auto &field : model.fields)
        j[toStd(field->name)] = fieldJson(*field, false, {});
    return j;
}

Json TableModelParser::fieldJson(const FieldSpec &spec, bool isItem, const QString &parentKeyName)
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
        Json value =
            Json::parse(JsonCodec::toPlain(*spec.defaultValue).toStdString(), nullptr, false);
        if (!value.is_discarded())
            j["default"] = std::move(value);
    }
    if (!spec.keyName.isEmpty() && spec.keyName != defaultKeyName(spec, isItem, parentKeyName))
        j["keyName"] = toStd(spec.keyName);
    if (const FieldType *dict = spec.type(FieldKind::Dict); dict && dict->keyType != FieldKind::Str)
        j["keyType"] = toStd(fieldKindName(dict->keyType));

    const auto container = std::find_if(spec.types.begin(), spec.types.end(),
                                        [](const FieldType &t) { return t.items != nullptr; });
    if (container != spec.types.end()) {
        Json items = fieldJson(*container->items, true, spec.keyName);
        const bool shorthand = items.size() == 1;
        const bool anyItems = shorthand && items["type"] == "any";
        if (!anyItems || spec.accepts(FieldKind::Set))
            j["items"] = shorthand ? Json(items["type"]) : std::move(items);
    }
    if (const FieldType *map = spec.type(FieldKind::Map); map && map->model) {
        if (!map->model->name.isEmpty())
            j["model"] = toStd(map->model->name);
        else
            j["fields"] = fieldsJson(*map->model);
    }
    if (spec.maxNestedDepth != TableModel::kMaxDepth)
        j["maxNestedDepth"] = spec.maxNestedDepth;
    return j;
}

QByteArray TableModelParser::write(const TableModel &model)
{
    Json j = Json::object();
    j["table"] = toStd(model.m_tableName);
    j["primaryIndex"] = indexJson(model.m_primary, true);
    if (!model.m_secondary.empty()) {
        Json indexes = Json::array();
        for (const IndexSpec &index : model.m_secondary)
            indexes.push_back(indexJson(index, false));
        j["secondaryIndexes"] = std::move(indexes);
    }
    if (model.m_declaresFields)
        j["fields"] = fieldsJson(*model.m_root);
    Json models = Json::object();
    for (const auto &map : model.m_maps) {
        if (map->name.isEmpty())
            continue;
        Json entry = Json::object();
        entry["fields"] = fieldsJson(*map);
        models[toStd(map->name)] = std::move(entry);
    }
    if (!models.empty())
        j["models"] = std::move(models);
    const std::string text = j.dump(2, ' ', false, Json::error_handler_t::replace);
    return QByteArray(text.data(), qsizetype(text.size())) + '\n';
}

Result<TableModelPtr> TableModel::fromFile(const QString &path)
{
    QFile file(path);
    if (!QFileInfo::exists(path))
        return makeError(ErrorKind::NotFound, QStringLiteral("the table model file does not exist"),
                         path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral("cannot read the table model file: %1").arg(file.errorString()), path);
    const QByteArray text = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral("cannot read the table model file: %1").arg(file.errorString()), path);
    return fromJson(text, path);
}

Result<TableModelPtr> TableModel::fromJson(QByteArrayView json, const QString &source)
{
    try {
        return TableModelParser(source).parse(json);
    } catch (const std::exception &e) {
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral("cannot read the table model: %1").arg(QString::fromUtf8(e.what())),
            source);
    }
}

std::shared_ptr<const TableModel> TableModel::keyOnly(const QString &table, const QString &hashKey,
                                                      FieldKind hashKeyType)
{
    return buildKeyOnly(table, hashKey, hashKeyType);
}

std::shared_ptr<TableModel> TableModel::buildKeyOnly(const QString &table, const QString &hashKey,
                                                     FieldKind hashKeyType)
{
    auto model = std::make_shared<TableModel>();
    model->m_tableName = table;
    model->m_primary.hashKey = hashKey;
    model->m_primary.hashKeyType = hashKeyType;
    model->m_declaresFields = false;
    auto root = std::make_unique<MapModel>();
    auto key = std::make_unique<FieldSpec>();
    key->name = hashKey;
    key->required = true;
    key->types.push_back(FieldType{hashKeyType, nullptr, nullptr, FieldKind::Str});
    root->byName.insert(hashKey, key.get());
    root->fields.push_back(std::move(key));
    model->m_root = root.get();
    model->m_maps.push_back(std::move(root));
    return model;
}

QByteArray TableModel::toJson() const
{
    return TableModelParser::write(*this);
}

std::shared_ptr<const TableModel> TableModel::advisoryCopy(const TableModel &model)
{
    std::shared_ptr<TableModel> copy;
    if (!model.declaresFields()) {
        copy = buildKeyOnly(model.tableName(), model.hashKey(), model.hashKeyType());
    } else {
        // The file format holds everything but the run-time flags, and reads back equal.
        TableModelParser parser(model.tableName());
        bool parsed = false;
        try {
            parsed = bool(parser.parse(model.toJson()));
        } catch (const std::exception &) {
        }
        Q_ASSERT(parsed);
        copy = parsed ? parser.built()
                      : buildKeyOnly(model.tableName(), model.hashKey(), model.hashKeyType());
    }
    copy->m_advisory = true;
    return copy;
}
