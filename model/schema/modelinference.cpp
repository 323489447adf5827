#include "model/schema/modelinference.h"

#include <QHash>
#include <QSet>

#include <nlohmann/json.hpp>

#include <map>

namespace {

using Json = nlohmann::ordered_json;

/// Distinct keys followed per map path; beyond that the map is a dict.
constexpr std::size_t kMaxChildren = 200;
/// Candidates for the hash key kept once this many records have been seen.
constexpr qint64 kCandidateTrial = 1000;
constexpr std::size_t kMaxCandidates = 3;
/// Deeper nodes become "any": the model file refuses nesting beyond 32 levels.
constexpr int kMaxInferredDepth = 30;

std::string toStd(const QString &s)
{
    return s.toStdString();
}

bool isIdentifier(const QString &name)
{
    if (name.isEmpty() || !(name[0].isLetter() || name[0] == u'_'))
        return false;
    for (QChar c : name) {
        if (!(c.isLetterOrNumber() || c == u'_'))
            return false;
    }
    return true;
}

} // namespace

/// What was seen at one field path.
struct ModelInference::Node
{
    qint64 count = 0; ///< values present here (null included)
    qint64 nulls = 0;
    qint64 strings = 0;
    qint64 ints = 0;
    qint64 floats = 0;
    qint64 bools = 0;
    qint64 binaries = 0;
    qint64 maps = 0;
    qint64 lists = 0;
    qint64 stringSets = 0;
    qint64 numberSets = 0;
    qint64 binarySets = 0;
    bool setHasInt = false;
    bool setHasFloat = false;
    qint64 mapKeys = 0; ///< keys over all maps
    std::map<QString, std::unique_ptr<Node>> children;
    bool tooManyKeys = false;
    bool badName = false;
    std::unique_ptr<Node> values; ///< every map value, merged (the items if it is a dict)
    std::unique_ptr<Node> items;  ///< every list item, merged

    void add(const Value &v, int depth)
    {
        ++count;
        switch (v.type()) {
        case Value::Type::Null:
            ++nulls;
            break;
        case Value::Type::Bool:
            ++bools;
            break;
        case Value::Type::String:
            ++strings;
            break;
        case Value::Type::Binary:
            ++binaries;
            break;
        case Value::Type::Number:
            if (isIntegerText(v.text()))
                ++ints;
            else
                ++floats;
            break;
        case Value::Type::StringSet:
            ++stringSets;
            break;
        case Value::Type::BinarySet:
            ++binarySets;
            break;
        case Value::Type::NumberSet:
            ++numberSets;
            for (const QString &item : v.textItems()) {
                if (isIntegerText(item))
                    setHasInt = true;
                else
                    setHasFloat = true;
            }
            break;
        case Value::Type::List:
            ++lists;
            if (depth < kMaxInferredDepth) {
                for (const Value &item : v.toList()) {
                    if (!items)
                        items = std::make_unique<Node>();
                    items->add(item, depth + 1);
                }
            }
            break;
        case Value::Type::Map: {
            ++maps;
            const Value::Map &m = v.toMap();
            mapKeys += m.size();
            if (depth >= kMaxInferredDepth)
                break;
            for (auto it = m.cbegin(); it != m.cend(); ++it) {
                if (!values)
                    values = std::make_unique<Node>();
                values->add(it.value(), depth + 1);
                if (tooManyKeys)
                    continue;
                auto child = children.find(it.key());
                if (child == children.end()) {
                    if (children.size() >= kMaxChildren) {
                        tooManyKeys = true;
                        children.clear(); // a dict: the per-key statistics are not needed
                        continue;
                    }
                    if (!TableModel::checkFieldName(it.key()).isEmpty())
                        badName = true;
                    child = children.emplace(it.key(), std::make_unique<Node>()).first;
                }
                child->second->add(it.value(), depth + 1);
            }
            break;
        }
        }
    }

    qint64 nonNull() const { return count - nulls; }

    /// The distinct shapes met, for "values share one shape".
    int shapes() const
    {
        int n = 0;
        for (qint64 c : {strings, ints + floats, bools, binaries, maps, lists,
                         stringSets + numberSets + binarySets})
            n += c > 0 ? 1 : 0;
        return n;
    }

    bool isDict() const
    {
        if (maps == 0)
            return false;
        if (tooManyKeys || badName)
            return true;
        if (maps < 2 || children.size() < 3 || !values || values->shapes() > 1)
            return false;
        bool identifiers = true;
        for (const auto &[name, child] : children) {
            if (!isIdentifier(name)) {
                identifiers = false;
                break;
            }
        }
        // Keys that look like field names must vary a lot more before the map is a dict.
        const double rare = identifiers ? 0.2 : 0.5;
        std::size_t rareKeys = 0;
        for (const auto &[name, child] : children) {
            if (double(child->count) < rare * double(maps))
                ++rareKeys;
        }
        return double(rareKeys) >= 0.8 * double(children.size());
    }
};

struct ModelInference::KeyCandidate
{
    QString name;
    FieldKind kind = FieldKind::Str;
    QSet<quint64> seen;
    bool alive = true;
};

namespace {

int candidateRank(const QString &name)
{
    static const QStringList suffixes = {QStringLiteral("Id"), QStringLiteral("id"),
                                         QStringLiteral("Key"), QStringLiteral("key")};
    for (const QString &s : suffixes) {
        if (name.endsWith(s))
            return 0;
    }
    return 1;
}

std::optional<FieldKind> keyKind(const Value &v)
{
    if (v.isString())
        return FieldKind::Str;
    if (v.isNumber())
        return isIntegerText(v.text()) ? FieldKind::Int : FieldKind::Float;
    return std::nullopt;
}

Json typeNames(const std::vector<QString> &names)
{
    if (names.size() == 1)
        return toStd(names.front());
    Json list = Json::array();
    for (const QString &n : names)
        list.push_back(toStd(n));
    return list;
}

/// The field object of a node: {"type": ..., "fields"/"items": ...}.
Json specOf(const ModelInference::Node &node, int depth);

Json itemsOf(const ModelInference::Node *node, int depth)
{
    if (!node || node->count == 0)
        return Json("any");
    if (node->nulls > 0)
        return Json("any"); // items are never optional: null items only fit "any"
    Json spec = specOf(*node, depth);
    if (spec.size() == 1)
        return spec["type"]; // the shorthand
    return spec;
}

Json specOf(const ModelInference::Node &node, int depth)
{
    Json spec = Json::object();
    if (node.nonNull() == 0 || depth > kMaxInferredDepth) {
        spec["type"] = "any";
        return spec;
    }
    std::vector<QString> kinds;
    if (node.strings)
        kinds.push_back(QStringLiteral("str"));
    if (node.ints)
        kinds.push_back(QStringLiteral("int"));
    if (node.floats)
        kinds.push_back(QStringLiteral("float"));
    if (node.bools)
        kinds.push_back(QStringLiteral("bool"));
    if (node.binaries)
        kinds.push_back(QStringLiteral("bytes"));
    const bool dict = node.isDict();
    if (node.maps)
        kinds.push_back(dict ? QStringLiteral("dict") : QStringLiteral("map"));
    if (node.lists)
        kinds.push_back(QStringLiteral("list"));
    const bool sets = node.stringSets || node.numberSets || node.binarySets;
    if (sets)
        kinds.push_back(QStringLiteral("set"));
    // dicts, lists and sets share one "items": two of them cannot both be described.
    if (int(dict) + int(node.lists > 0) + int(sets) > 1) {
        spec["type"] = "any";
        return spec;
    }
    spec["type"] = typeNames(kinds);
    if (node.maps && !dict && !node.children.empty()) {
        Json fields = Json::object();
        for (const auto &[name, child] : node.children) {
            Json field = specOf(*child, depth + 1);
            if (child->count == node.maps && child->nulls == 0)
                field["required"] = true;
            fields[toStd(name)] = std::move(field);
        }
        spec["fields"] = std::move(fields);
    }
    if (dict)
        spec["items"] = itemsOf(node.values.get(), depth + 1);
    if (node.lists && node.items && node.items->count > 0)
        spec["items"] = itemsOf(node.items.get(), depth + 1);
    if (sets) {
        std::vector<QString> items;
        if (node.stringSets)
            items.push_back(QStringLiteral("str"));
        if (node.setHasInt)
            items.push_back(QStringLiteral("int"));
        if (node.setHasFloat)
            items.push_back(QStringLiteral("float"));
        if (node.numberSets && !node.setHasInt && !node.setHasFloat)
            items.push_back(QStringLiteral("int")); // only empty number sets
        if (node.binarySets)
            items.push_back(QStringLiteral("bytes"));
        spec["items"] = typeNames(items);
    }
    return spec;
}

QString validTableName(QString name)
{
    for (QChar &c : name) {
        const bool ok = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') ||
                        (c >= u'0' && c <= u'9') || c == u'_' || c == u'-' || c == u'.';
        if (!ok)
            c = u'_';
    }
    if (name.size() > 255)
        name.truncate(255);
    while (name.size() < 3)
        name += u'_';
    return name;
}

} // namespace

ModelInference::ModelInference() : m_root(std::make_unique<Node>()) {}

ModelInference::~ModelInference() = default;

void ModelInference::add(const Value &record)
{
    if (!record.isMap())
        return;
    ++m_records;
    m_root->add(record, 0);

    // Hash key candidates: scalar, present and unique in every record so far.
    const Value::Map &m = record.toMap();
    if (!m_candidatesStarted) {
        m_candidatesStarted = true;
        for (auto it = m.cbegin(); it != m.cend(); ++it) {
            const auto kind = keyKind(it.value());
            if (!kind || !TableModel::checkFieldName(it.key()).isEmpty())
                continue;
            auto c = std::make_unique<KeyCandidate>();
            c->name = it.key();
            c->kind = *kind;
            m_candidates.push_back(std::move(c));
        }
    }
    for (auto &c : m_candidates) {
        if (!c->alive)
            continue;
        const Value *v = record.find(c->name);
        const auto kind = v ? keyKind(*v) : std::nullopt;
        if (!kind || *kind != c->kind) {
            c->alive = false;
            c->seen.clear();
            continue;
        }
        const QString text = v->isNumber() ? canonicalNumber(v->text()) : v->text();
        const quint64 hash = quint64(qHash(text, 0x2545F491u));
        if (c->seen.contains(hash)) {
            c->alive = false;
            c->seen.clear();
            continue;
        }
        c->seen.insert(hash);
    }
    if (m_records == kCandidateTrial) {
        // Keep the best few; their value hashes are the only memory that grows with the input.
        std::vector<std::unique_ptr<KeyCandidate>> alive;
        for (auto &c : m_candidates) {
            if (c->alive)
                alive.push_back(std::move(c));
        }
        std::stable_sort(alive.begin(), alive.end(), [](const auto &a, const auto &b) {
            return candidateRank(a->name) < candidateRank(b->name);
        });
        if (alive.size() > kMaxCandidates)
            alive.resize(kMaxCandidates);
        m_candidates = std::move(alive);
    }
}

Result<TableModelPtr> ModelInference::model(const Options &options) const
{
    m_notes.clear();
    if (m_records == 0)
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("there is no record to infer a model from"));

    QString hashKey = options.hashKey;
    FieldKind hashKind = FieldKind::Str;
    if (hashKey.isEmpty()) {
        const KeyCandidate *best = nullptr;
        for (const auto &c : m_candidates) {
            if (c->alive && (!best || candidateRank(c->name) < candidateRank(best->name)))
                best = c.get();
        }
        if (!best)
            return makeError(
                ErrorKind::Invalid,
                QStringLiteral("no attribute is present with a unique string or number in every "
                               "one of the %1 records, so none can be the hash key; give it")
                    .arg(m_records));
        hashKey = best->name;
        hashKind = best->kind;
    } else {
        const auto child = m_root->children.find(hashKey);
        const Node *node = child == m_root->children.end() ? nullptr : child->second.get();
        if (!node || node->count != m_records || node->nulls > 0)
            return makeError(ErrorKind::Invalid,
                             QStringLiteral("the hash key %1 is not in every record").arg(hashKey));
        const int scalarKinds =
            int(node->strings > 0) + int(node->ints > 0) + int(node->floats > 0);
        if (scalarKinds != 1 || node->shapes() != 1)
            return makeError(
                ErrorKind::Invalid,
                QStringLiteral("the hash key %1 must hold one type (str, int or float) in every "
                               "record")
                    .arg(hashKey));
        hashKind = node->strings ? FieldKind::Str : node->ints ? FieldKind::Int : FieldKind::Float;
    }

    Json document = Json::object();
    document["table"] =
        toStd(validTableName(options.table.isEmpty() ? QStringLiteral("inferred") : options.table));
    document["primaryIndex"] =
        Json{{"hashKey", toStd(hashKey)}, {"hashKeyType", toStd(fieldKindName(hashKind))}};
    Json fields = Json::object();
    Json key = Json::object();
    key["type"] = toStd(fieldKindName(hashKind));
    key["required"] = true;
    fields[toStd(hashKey)] = std::move(key);
    for (const auto &[name, child] : m_root->children) {
        if (name == hashKey)
            continue;
        if (const QString problem = TableModel::checkFieldName(name); !problem.isEmpty()) {
            m_notes << QStringLiteral("%1 is left out of the model: %2").arg(name, problem);
            continue;
        }
        Json field = specOf(*child, 1);
        if (child->count == m_records && child->nulls == 0)
            field["required"] = true;
        fields[toStd(name)] = std::move(field);
    }
    if (m_root->tooManyKeys)
        m_notes << QStringLiteral("the records hold more than %1 distinct attributes; only the "
                                  "first are in the model")
                       .arg(kMaxChildren);
    document["fields"] = std::move(fields);
    const std::string text = document.dump(2);
    return TableModel::fromJson(QByteArray::fromStdString(text),
                                QStringLiteral("the inferred model"));
}
