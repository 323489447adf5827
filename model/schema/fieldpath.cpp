#include "model/schema/fieldpath.h"

#include "model/core/names.h"

#include <QStringList>

#include <algorithm>

namespace {

/// One element of the path text, before resolution.
struct Token
{
    QStringView text;         ///< the name, or the placeholder's name without braces
    bool placeholder = false; ///< written as {{name}}
};

constexpr int kMaxListedFields = 12;

Error pathError(QStringView path, QString message)
{
    return makeError(ErrorKind::Invalid, std::move(message), path.toString());
}

QString quoted(QStringView s)
{
    return u'"' + s.toString() + u'"';
}

QString placeholderText(QStringView name)
{
    return QStringLiteral("{{") + name.toString() + QStringLiteral("}}");
}

/// The value of a placeholder that stands for a map key: refused when missing or empty
/// (DynamoDB refuses empty attribute names at any depth).
Result<QString> mapKeyValue(QStringView path, const QString &name,
                            const QHash<QString, QString> &variables)
{
    auto it = variables.constFind(name);
    if (it == variables.cend())
        return pathError(
            path, QStringLiteral("The path needs a value for %1.").arg(placeholderText(name)));
    if (const QString problem = Names::mapKeyProblem(it.value()); !problem.isEmpty())
        return pathError(
            path,
            QStringLiteral("The value of %1 is empty; %2.").arg(placeholderText(name), problem));
    return it.value();
}

/// Splits the path text into elements. `{{name}}` must be a whole element.
Result<std::vector<Token>> tokenize(QStringView path)
{
    std::vector<Token> tokens;
    if (path.isEmpty())
        return pathError(path, QStringLiteral("The path is empty."));
    if (path.contains(u'(') || path.contains(u')'))
        return pathError(path, QStringLiteral("Multi-selectors such as (a, b) are not supported "
                                              "here; give one path per field."));
    const qsizetype n = path.size();
    qsizetype i = 0;
    while (true) {
        Token token;
        qsizetype end = 0;
        if (path.mid(i).startsWith(u"{{")) {
            const qsizetype close = path.indexOf(u"}}", i + 2);
            if (close < 0)
                return pathError(path, QStringLiteral("A placeholder is not closed; write "
                                                      "{{name}}."));
            token.text = path.mid(i + 2, close - i - 2);
            token.placeholder = true;
            if (token.text.isEmpty())
                return pathError(path, QStringLiteral("A placeholder {{}} has no name."));
            end = close + 2;
            if (end < n && path[end] != u'.')
                return pathError(path, QStringLiteral("A placeholder must be a whole element "
                                                      "between dots, as in a.{{name}}.b."));
        } else {
            end = path.indexOf(u'.', i);
            if (end < 0)
                end = n;
            token.text = path.mid(i, end - i);
            if (token.text.isEmpty())
                return pathError(path, QStringLiteral("The path has an empty element (two dots "
                                                      "in a row, or a dot at an end)."));
            if (token.text.contains(u'{') || token.text.contains(u'}'))
                return pathError(path, QStringLiteral("%1 is not a valid placeholder; write "
                                                      "{{name}} as a whole element.")
                                           .arg(quoted(token.text)));
            if (const qsizetype at = Names::reservedCharacterAt(token.text); at >= 0)
                return pathError(
                    path, QStringLiteral("The name %1 contains \"%2\", which field paths reserve "
                                         "([ ] { } ( ) |). List items are addressed with a "
                                         "{{placeholder}}, not [n]; a map key holding such "
                                         "characters is given as the value of a "
                                         "{{placeholder}} (--var NAME=VALUE).")
                              .arg(quotedExcerpt(token.text, 60), token.text[at]));
        }
        tokens.push_back(token);
        if (end >= n)
            break;
        i = end + 1; // skip the dot
        if (i >= n)
            return pathError(path, QStringLiteral("The path has an empty element (two dots in "
                                                  "a row, or a dot at an end)."));
    }
    return tokens;
}

bool isIntegerKey(QStringView s)
{
    qsizetype i = 0;
    if (i < s.size() && (s[i] == u'-' || s[i] == u'+'))
        ++i;
    if (i >= s.size())
        return false;
    for (; i < s.size(); ++i) {
        if (s[i] < u'0' || s[i] > u'9')
            return false;
    }
    return true;
}

/// Parses a list index: digits only, fitting an int.
int parseIndex(QStringView s)
{
    if (s.isEmpty() || s.size() > 9)
        return -1;
    int n = 0;
    for (QChar c : s) {
        if (c < u'0' || c > u'9')
            return -1;
        n = n * 10 + (c.unicode() - u'0');
    }
    return n;
}

QString joinNames(const QStringList &names)
{
    if (names.size() <= 1)
        return names.join(QString());
    return names.mid(0, names.size() - 1).join(QStringLiteral(", ")) + QStringLiteral(" and ") +
           names.last();
}

/// "the table model" or "\"metadata\"", for messages.
QString describePlace(const ResolvedPath &soFar)
{
    if (soFar.elements.empty())
        return QStringLiteral("The table model");
    return quoted(soFar.display());
}

QString noSuchField(const ResolvedPath &soFar, const MapModel &model, QStringView name)
{
    QString message = QStringLiteral("%1 has no field %2.").arg(describePlace(soFar), quoted(name));
    if (name.contains(u'['))
        message += QStringLiteral(" List items are addressed with a {{placeholder}}, not [n].");
    if (!model.fields.empty() && model.fields.size() <= kMaxListedFields) {
        QStringList names;
        for (const auto &f : model.fields)
            names << f->name;
        message += QStringLiteral(" Its fields are %1.").arg(joinNames(names));
    }
    return message;
}

/// The map model a name element after `spec` looks into, or nullptr.
const MapModel *modelOf(const FieldSpec &spec)
{
    for (const FieldType &t : spec.types) {
        if (t.kind == FieldKind::Map && t.model)
            return t.model;
    }
    return nullptr;
}

/// True when names after `spec` are free map keys: `any`, or a map without declared fields.
bool isFreeContainer(const FieldSpec &spec)
{
    if (spec.types.empty())
        return true;
    for (const FieldType &t : spec.types) {
        if (t.kind == FieldKind::Any || (t.kind == FieldKind::Map && !t.model))
            return true;
    }
    return false;
}

/// The recursion level of the items of `spec`: how often the same spec already occurs on the
/// path above its own (last) element.
int recursionLevel(const ResolvedPath &soFar, const FieldSpec *spec)
{
    int level = -1;
    for (const FieldSpec *s : soFar.specs) {
        if (s == spec)
            ++level;
    }
    return std::max(level, 0);
}

/// The placeholder name of the items of `spec` at a recursion level ("childKey{i}" ->
/// "childKey2").
QString keyNameAt(const FieldSpec &spec, int level)
{
    QString name = spec.keyName;
    name.replace(QStringLiteral("{i}"), QString::number(level));
    return name;
}

void fillDefaults(ResolvedPath &out, const std::vector<bool> &isItem)
{
    const std::size_t n = out.elements.size();
    out.containerDefaults.clear();
    out.containerDefaults.reserve(n > 0 ? n - 1 : 0);
    for (std::size_t i = 0; i + 1 < n; ++i) {
        const bool nextIsIndex = out.elements[i + 1].isIndex();
        const FieldSpec *spec = out.specs[i];
        // An addressed item never carries a custom default (StructNoSQL's DatabasePathElement).
        if (spec && !isItem[i] && spec->defaultValue) {
            const Value &d = *spec->defaultValue;
            if ((nextIsIndex && d.isList()) || (!nextIsIndex && d.isMap())) {
                out.containerDefaults.push_back(d);
                continue;
            }
        }
        out.containerDefaults.push_back(nextIsIndex ? Value::list() : Value::map());
    }
}

Result<ResolvedPath> resolveKeyOnly(QStringView path, const std::vector<Token> &tokens,
                                    const QHash<QString, QString> &variables)
{
    ResolvedPath out;
    std::vector<bool> isItem;
    for (const Token &token : tokens) {
        QString key = token.text.toString();
        if (token.placeholder) {
            auto value = mapKeyValue(path, key, variables);
            if (!value)
                return value.error();
            key = std::move(*value);
        }
        out.elements.push_back(PathElement{key, -1});
        out.specs.push_back(nullptr);
        isItem.push_back(token.placeholder);
    }
    out.targetIsItem = tokens.back().placeholder;
    fillDefaults(out, isItem);
    return out;
}

} // namespace

/// "a dict of map", "an int", "one of int, float or str": the type of a spec after "is".
QString typePhrase(const FieldSpec &spec)
{
    const QString d = spec.typeDescription();
    if (spec.types.size() > 1) // "int or float", "one of int, float or str"
        return d.startsWith(QStringLiteral("one of")) ? d : QStringLiteral("either ") + d;
    if (!spec.types.empty() && spec.types.front().kind == FieldKind::Map)
        return QStringLiteral("a map"); // the description names the model, not the kind
    if (d.startsWith(QStringLiteral("bytes")))
        return d;
    const bool vowel = !d.isEmpty() && QStringLiteral("aeiou").contains(d.front());
    return (vowel ? QStringLiteral("an ") : QStringLiteral("a ")) + d;
}

QString ResolvedPath::display() const
{
    QString out;
    for (const PathElement &e : elements) {
        if (e.isIndex()) {
            out += u'[' + QString::number(e.index) + u']';
        } else {
            if (!out.isEmpty())
                out += u'.';
            out += e.key;
        }
    }
    return out;
}

bool ResolvedPath::isHashKey(const TableModel &model) const
{
    return elements.size() == 1 && !elements.front().isIndex() &&
           elements.front().key == model.hashKey();
}

namespace {
Result<ResolvedPath> resolveDeclared(const TableModel &model, QStringView path,
                                     const std::vector<Token> &tokens,
                                     const QHash<QString, QString> &variables);
} // namespace

Result<ResolvedPath> resolvePath(const TableModel &model, QStringView path,
                                 const QHash<QString, QString> &variables)
{
    auto tokenized = tokenize(path);
    if (!tokenized)
        return tokenized.error();
    const std::vector<Token> &tokens = *tokenized;
    if (tokens.size() > std::size_t(TableModel::kMaxDepth))
        return pathError(path, QStringLiteral("The path has %1 elements; at most %2 are allowed.")
                                   .arg(tokens.size())
                                   .arg(TableModel::kMaxDepth));
    if (!model.declaresFields())
        return resolveKeyOnly(path, tokens, variables);
    auto declared = resolveDeclared(model, path, tokens, variables);
    // A model inferred from a sample is a guess: a path it does not know is free-form data.
    if (!declared && model.isAdvisory())
        return resolveKeyOnly(path, tokens, variables);
    return declared;
}

namespace {
/// A placeholder after a field or item spec in resolveDeclared(): one of its items (a dict key
/// or a list index from `variables`), or a literal map key into free data.
template <typename Push>
Status resolveItem(QStringView path, const QString &name, const QHash<QString, QString> &variables,
                   const ResolvedPath &out, const FieldSpec *&after, bool &inFreeData,
                   const Push &push)
{
    const FieldType *dict = after->type(FieldKind::Dict);
    const FieldType *list = after->type(FieldKind::List);
    if (!dict && !list && isFreeContainer(*after)) {
        // Into `any` or a map without declared fields: the value is a literal map key.
        auto value = mapKeyValue(path, name, variables);
        if (!value)
            return value.error();
        inFreeData = true;
        push(std::move(*value), -1, nullptr, true);
        return okStatus();
    }
    if (!dict && !list) {
        if (after->accepts(FieldKind::Set))
            return pathError(path, QStringLiteral("Set items cannot be addressed: %1 is a "
                                                  "set; write the whole set instead.")
                                       .arg(quoted(out.display())));
        return pathError(
            path, QStringLiteral("%1 must follow a dict, list or set field; "
                                 "%2 is %3.")
                      .arg(placeholderText(name), quoted(out.display()), typePhrase(*after)));
    }
    const int level = recursionLevel(out, after);
    if (level >= after->maxNestedDepth)
        return pathError(path, QStringLiteral("%1 nests deeper than maxNestedDepth %2 allows.")
                                   .arg(quoted(out.display()))
                                   .arg(after->maxNestedDepth));
    const QString expected = keyNameAt(*after, level);
    if (name != expected)
        return pathError(path, QStringLiteral("The items of %1 are addressed with %2, not "
                                              "%3.")
                                   .arg(quoted(out.display()), placeholderText(expected),
                                        placeholderText(name)));
    auto it = variables.constFind(name);
    if (it == variables.cend())
        return pathError(
            path, QStringLiteral("The path needs a value for %1.").arg(placeholderText(name)));
    const QString &value = it.value();
    const FieldSpec *items = nullptr;
    if (dict) {
        if (const QString problem = Names::mapKeyProblem(value); !problem.isEmpty())
            return pathError(path, QStringLiteral("The value of %1 is empty; %2.")
                                       .arg(placeholderText(name), problem));
        if (dict->keyType == FieldKind::Int && !isIntegerKey(value))
            return pathError(path,
                             QStringLiteral("%1 must be an integer key of %2, not %3.")
                                 .arg(placeholderText(name), quoted(out.display()), quoted(value)));
        if (dict->keyType == FieldKind::Float && !checkNumber(value).isEmpty())
            return pathError(path,
                             QStringLiteral("%1 must be a numeric key of %2, not %3.")
                                 .arg(placeholderText(name), quoted(out.display()), quoted(value)));
        items = dict->items;
        push(value, -1, items, true);
    } else {
        const int index = parseIndex(value);
        if (index < 0)
            return pathError(path, QStringLiteral("%1 must be a list index (a whole number "
                                                  "from 0), not %2.")
                                       .arg(placeholderText(name), quoted(value)));
        items = list->items;
        push(QString(), index, items, true);
    }
    after = items;
    if (!items)
        inFreeData = true;
    return okStatus();
}

Result<ResolvedPath> resolveDeclared(const TableModel &model, QStringView path,
                                     const std::vector<Token> &tokens,
                                     const QHash<QString, QString> &variables)
{
    ResolvedPath out;
    std::vector<bool> isItem;
    // Where the next element looks: into a map model, after a field (or item spec), or into
    // free data (any, or a map without declared fields).
    const MapModel *inModel = &model.root();
    const FieldSpec *after = nullptr;
    bool inFreeData = false;

    auto push = [&](QString key, int index, const FieldSpec *spec, bool item) {
        out.elements.push_back(PathElement{std::move(key), index});
        out.specs.push_back(spec);
        isItem.push_back(item);
    };

    for (std::size_t k = 0; k < tokens.size(); ++k) {
        const Token &token = tokens[k];
        const QString name = token.text.toString();

        if (inFreeData) {
            if (token.placeholder) {
                auto value = mapKeyValue(path, name, variables);
                if (!value)
                    return value.error();
                push(std::move(*value), -1, nullptr, true);
            } else {
                push(name, -1, nullptr, false);
            }
            continue;
        }

        if (after && !token.placeholder) {
            // A name after a field: look into its map model, or into free data.
            if (const MapModel *m = modelOf(*after)) {
                inModel = m;
                after = nullptr;
            } else if (isFreeContainer(*after)) {
                inFreeData = true;
                push(name, -1, nullptr, false);
                continue;
            } else if (after->accepts(FieldKind::Dict) || after->accepts(FieldKind::List)) {
                return pathError(
                    path, QStringLiteral("%1 is %2; address its items with %3, "
                                         "not with a name.")
                              .arg(quoted(out.display()), typePhrase(*after),
                                   placeholderText(keyNameAt(*after, recursionLevel(out, after)))));
            } else {
                return pathError(path, QStringLiteral("%1 is %2 and has no fields.")
                                           .arg(quoted(out.display()), typePhrase(*after)));
            }
        }

        if (!after) {
            // A name inside a map model.
            if (token.placeholder) {
                if (k == 0)
                    return pathError(path, QStringLiteral("A path cannot start with a "
                                                          "placeholder; %1 must follow a dict, "
                                                          "list or set field.")
                                               .arg(placeholderText(name)));
                return pathError(path, QStringLiteral("%1 must follow a dict, list or set "
                                                      "field; %2 is a map.")
                                           .arg(placeholderText(name), quoted(out.display())));
            }
            const FieldSpec *field = inModel->field(name);
            if (!field)
                return pathError(path, noSuchField(out, *inModel, name));
            push(name, -1, field, false);
            after = field;
            continue;
        }

        // A placeholder after a field or item spec: one of its items.
        if (const Status s = resolveItem(path, name, variables, out, after, inFreeData, push); !s)
            return s.error();
    }

    out.target = out.specs.back();
    out.targetIsItem = tokens.back().placeholder;
    fillDefaults(out, isItem);
    return out;
}
} // namespace

Result<QStringList> splitLiteralPath(QStringView path)
{
    const QString shown = excerpt(path, 120);
    if (path.isEmpty())
        return makeError(ErrorKind::Invalid, QStringLiteral("The path is empty."), shown);
    QStringList names;
    for (QStringView name : path.split(u'.')) {
        if (name.isEmpty())
            return makeError(ErrorKind::Invalid,
                             QStringLiteral("The path %1 has an empty element (two dots in a row, "
                                            "or a dot at an end).")
                                 .arg(quotedExcerpt(path, 120)),
                             shown);
        if (const qsizetype at = Names::reservedCharacterAt(name); at >= 0)
            return makeError(ErrorKind::Invalid,
                             QStringLiteral("The path %1 contains \"%2\", which field paths "
                                            "reserve ([ ] { } ( ) |); a filter path is names "
                                            "separated by dots.")
                                 .arg(quotedExcerpt(path, 120), name[at]),
                             shown);
        names << name.toString();
    }
    return names;
}
