#include "model/schema/tablemodel.h"

#include "model/json/jsoncodec.h"
#include "model/core/names.h"

#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
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

/// Longest key shown in a JSON pointer in messages.
constexpr qsizetype kMaxPointerKey = 60;

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
    return quotedExcerpt(s);
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

/// Reads the text into a DOM in one pass, in time linear in its size: nlohmann's own DOM
/// parser looks every member up in the ordered_json object it appends to, which is quadratic
/// in the number of members (120,000 fields took most of a minute). Syntax errors keep their
/// byte position; a duplicate key (which a DOM parse would silently collapse) is reported with
/// its JSON pointer; the exact text of every number that is not a plain integer is kept by
/// pointer, so defaults keep it ("1.50", "-0").
class DocumentBuilder
{
    static constexpr std::size_t kScanLimit = 16;

public:
    explicit DocumentBuilder(Json &root) : m_root(root) {}

    bool null() { return put(Json(nullptr)); }
    bool boolean(bool b) { return put(Json(b)); }
    bool number_integer(Json::number_integer_t n)
    {
        // Without a minus sign nlohmann reports an unsigned number: a signed zero is "-0".
        if (n == 0)
            m_numberTexts.insert(pointer(true), "-0");
        return put(Json(n));
    }
    bool number_unsigned(Json::number_unsigned_t n) { return put(Json(n)); }
    bool number_float(Json::number_float_t x, const Json::string_t &text)
    {
        m_numberTexts.insert(pointer(true), text);
        return put(Json(x));
    }
    bool string(Json::string_t &s) { return put(Json(std::move(s))); }
    bool binary(Json::binary_t &) { return put(Json(nullptr)); }
    bool start_object(std::size_t)
    {
        Json *j = put(Json::object());
        m_stack.push_back(Frame{j, false, 0, {}});
        return true;
    }
    bool key(Json::string_t &key)
    {
        Frame &frame = m_stack.back();
        // Most objects have a few members: a new key is compared with them directly. Larger
        // objects are checked once, when they end.
        bool duplicate = false;
        if (frame.members.size() < kScanLimit) {
            for (const auto &member : frame.members)
                duplicate = duplicate || member.first == key;
        }
        if (duplicate) {
            m_duplicate = fromStd(key);
            frame.members.emplace_back(std::move(key), Json());
            m_duplicatePointer = pointer(false);
            return false;
        }
        frame.members.emplace_back(std::move(key), Json());
        return true;
    }
    bool end_object()
    {
        Frame &frame = m_stack.back();
        if (frame.members.size() > kScanLimit) {
            std::vector<std::size_t> order(frame.members.size());
            for (std::size_t i = 0; i < order.size(); ++i)
                order[i] = i;
            const auto &members = frame.members;
            std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
                return members[a].first < members[b].first;
            });
            for (std::size_t i = 1; i < order.size(); ++i) {
                const std::string &key = members[order[i]].first;
                if (key == members[order[i - 1]].first) {
                    m_duplicate = fromStd(key);
                    // Named at its second place, as a check at the key itself would.
                    const std::size_t second = std::max(order[i], order[i - 1]);
                    frame.members.resize(second + 1);
                    m_duplicatePointer = pointer(false);
                    return false;
                }
            }
        }
        // The members move into the object at once: ordered_json's vector holds const keys, so
        // growing it one member at a time would copy every value (and its subtree) it holds.
        auto &object = frame.json->get_ref<Json::object_t &>();
        object.reserve(frame.members.size());
        for (auto &[key, value] : frame.members)
            object.Json::object_t::Container::emplace_back(std::move(key), std::move(value));
        m_stack.pop_back();
        return true;
    }
    bool start_array(std::size_t)
    {
        Json *j = put(Json::array());
        m_stack.push_back(Frame{j, true, 0, {}});
        return true;
    }
    bool end_array()
    {
        m_stack.pop_back();
        return true;
    }
    bool parse_error(std::size_t position, const std::string &lastToken,
                     const nlohmann::detail::exception &ex)
    {
        m_errorPosition = position;
        if (ex.id == 406) { // out_of_range: a number too large for a double
            m_errorMessage = QStringLiteral("the number %1 is out of range (DynamoDB numbers "
                                            "have a magnitude from 1E-130 to 9.99E+125)")
                                 .arg(excerptUtf8(lastToken));
            return false;
        }
        QString what = QString::fromUtf8(ex.what());
        // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error
        // while parsing value - unexpected '}'; expected ..." -> "unexpected '}'; expected ..."
        const qsizetype colon = what.indexOf(QStringLiteral(": "));
        if (colon >= 0)
            what = what.mid(colon + 2);
        const qsizetype dash = what.indexOf(QStringLiteral(" - "));
        if (what.startsWith(QStringLiteral("syntax error")) && dash >= 0)
            what = what.mid(dash + 3);
        m_errorMessage = excerpt(what);
        return false;
    }

    /// The exact text of a number at a JSON pointer, when it is not a plain integer.
    const std::string *numberText(const QString &pointer) const
    {
        const auto it = m_numberTexts.constFind(pointer);
        return it == m_numberTexts.cend() ? nullptr : &it.value();
    }

    std::size_t m_errorPosition = std::string::npos;
    QString m_errorMessage;
    QString m_duplicate;
    QString m_duplicatePointer;

private:
    struct Frame
    {
        Json *json;
        bool isArray;
        std::size_t count;
        std::vector<std::pair<std::string, Json>> members; ///< an object's, until it ends
    };

    /// Places a value where the parser is: the root, the member just named, or the next item.
    Json *put(Json &&value)
    {
        if (m_stack.empty()) {
            m_root = std::move(value);
            return &m_root;
        }
        Frame &frame = m_stack.back();
        if (frame.isArray) {
            ++frame.count;
            auto &items = frame.json->get_ref<Json::array_t &>();
            items.push_back(std::move(value));
            return &items.back();
        }
        Json &member = frame.members.back().second;
        member = std::move(value);
        return &member;
    }

    /// The JSON pointer of the current position; `value`: of the value about to be put.
    QString pointer(bool value) const
    {
        QString result;
        for (const Frame &frame : m_stack) {
            if (frame.isArray) {
                const bool last = &frame == &m_stack.back();
                result = pointerChild(result, last && value ? frame.count : frame.count - 1);
            } else {
                result = pointerChild(result, fromStd(frame.members.back().first));
            }
        }
        return result;
    }

    Json &m_root;
    std::vector<Frame> m_stack;
    QHash<QString, std::string> m_numberTexts;
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
    return Names::fieldNameProblem(name);
}

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
    const DocumentBuilder *m_document = nullptr; ///< during parse(): the exact number texts
};

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
    Json document;
    DocumentBuilder builder(document);
    m_document = &builder;
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
    return TableModelParser::write(*this, m_tableName);
}

QByteArray TableModel::toJson(const QString &table) const
{
    return TableModelParser::write(*this, table);
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
