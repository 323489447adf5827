// The Python model reader's field conversion: a BaseField(...) declaration, its field_type
// (str, Dict[K, V], List[V], Set[P], MapModel classes, tuples of types...) and its literal
// default, to the field objects of the table model file.

#include "model/schema/python/pythonreader.h"

namespace pythonmodel {

std::optional<Failure> Reader::notUnderstood(const Context &ctx, const QString &why) const
{
    return Failure{ctx.line, QStringLiteral("%1 is not understood (%2)").arg(ctx.fieldText, why)};
}

std::optional<Failure> Reader::optionalOrUnion(const Context &ctx, const QString &last) const
{
    return notUnderstood(
        ctx, QStringLiteral("%1 is not a StructNoSQL field type; use required=False for "
                            "optional fields and a tuple of types for several")
                 .arg(last));
}

QString Reader::modelName(const ClassInfo *c)
{
    if (auto it = m_modelNames.constFind(c); it != m_modelNames.cend())
        return it.value();
    int sameName = 0;
    for (const auto &other : m_classes) {
        if (other->isModel() && other->role == ClassInfo::Role::Map && other->name == c->name)
            ++sameName;
    }
    const QString name = sameName > 1 ? c->qualified : c->name;
    m_modelNames.insert(c, name);
    m_modelQueue.push_back(c);
    return name;
}

std::optional<QString> Reader::scalarName(const QString &last)
{
    if (last == u"str" || last == u"int" || last == u"float" || last == u"bool" || last == u"bytes")
        return last;
    if (last == u"Decimal")
        return QStringLiteral("decimal");
    if (last == u"Any")
        return QStringLiteral("any");
    return std::nullopt;
}

std::optional<Failure> Reader::convertType(const Expr &e, const Context &ctx, bool inUnion,
                                           Type &out)
{
    switch (e.kind) {
    case Expr::Kind::Name:
        return convertName(e, ctx, inUnion, out);
    case Expr::Kind::Call:
        if (e.base->isName(u"type") && e.items.size() == 1 &&
            e.items[0]->kind == Expr::Kind::None && inUnion) {
            out.nullable = true;
            return std::nullopt;
        }
        return notUnderstood(ctx, QStringLiteral("a call is not a field type"));
    case Expr::Kind::None:
        if (inUnion) {
            out.nullable = true;
            return std::nullopt;
        }
        return notUnderstood(ctx, QStringLiteral("None is not a field type"));
    case Expr::Kind::Subscript:
        return convertSubscript(e, ctx, out);
    case Expr::Kind::Tuple:
        return convertTuple(e, ctx, inUnion, out);
    default:
        return notUnderstood(ctx, QStringLiteral("this is not a type"));
    }
}

std::optional<Failure> Reader::convertName(const Expr &e, const Context &ctx, bool inUnion,
                                           Type &out)
{
    const QString last = e.lastName();
    if (auto scalar = scalarName(last)) {
        out.kinds.push_back(*scalar);
        return std::nullopt;
    }
    if (e.text == u"dict" || last == u"Dict") {
        out.kinds.push_back(QStringLiteral("dict"));
        return std::nullopt;
    }
    if (e.text == u"list" || last == u"List") {
        out.kinds.push_back(QStringLiteral("list"));
        return std::nullopt;
    }
    if (e.text == u"set" || last == u"Set")
        return notUnderstood(
            ctx, QStringLiteral("an untyped set is refused by StructNoSQL "
                                "(UsageOfUntypedSetException); use Set[str], Set[int], ..."));
    if (last == u"NoneType") {
        if (!inUnion)
            return notUnderstood(ctx, QStringLiteral("NoneType alone is not a field type"));
        out.nullable = true;
        return std::nullopt;
    }
    if (last == u"ActiveSelf") {
        if (!ctx.expanded || ctx.expanded->role != ClassInfo::Role::Map)
            return notUnderstood(ctx,
                                 QStringLiteral("ActiveSelf can only be used inside a MapModel, as "
                                                "StructNoSQL's documentation says"));
        out.kinds.push_back(QStringLiteral("map"));
        out.model = modelName(ctx.expanded);
        return std::nullopt;
    }
    const ClassInfo *c = resolveClass(e.text, ctx.scope, ctx.line);
    if (c && c->role == ClassInfo::Role::Map) {
        out.kinds.push_back(QStringLiteral("map"));
        out.model = modelName(c);
        return std::nullopt;
    }
    if (c && c->role == ClassInfo::Role::Table)
        return notUnderstood(
            ctx, QStringLiteral("%1 is a TableDataModel; a field's model must be a MapModel")
                     .arg(e.text));
    if (c)
        return notUnderstood(ctx, QStringLiteral("%1 is not a MapModel").arg(e.text));
    if (last == u"Optional" || last == u"Union")
        return optionalOrUnion(ctx, last);
    return notUnderstood(
        ctx, QStringLiteral("%1 is neither a type StructNoSQL knows nor a MapModel class "
                            "defined before this line")
                 .arg(e.text));
}

std::optional<Failure> Reader::convertSubscript(const Expr &e, const Context &ctx, Type &out)
{
    const QString last = e.base->lastName();
    if (last == u"Dict") {
        if (e.items.size() != 2)
            return notUnderstood(ctx, QStringLiteral("Dict takes a key type and a value type"));
        const QString key = e.items[0]->lastName();
        if (e.items[0]->kind != Expr::Kind::Name ||
            (key != u"str" && key != u"int" && key != u"float"))
            return notUnderstood(ctx, QStringLiteral("a Dict key type is str, int or float"));
        Json items;
        if (auto f = convertItem(*e.items[1], ctx, items))
            return f;
        out.kinds.push_back(QStringLiteral("dict"));
        if (key != u"str")
            out.keyType = key;
        out.items = std::move(items);
        return std::nullopt;
    }
    if (last == u"List") {
        if (e.items.size() != 1)
            return notUnderstood(ctx, QStringLiteral("List takes one item type"));
        Json items;
        if (auto f = convertItem(*e.items[0], ctx, items))
            return f;
        out.kinds.push_back(QStringLiteral("list"));
        out.items = std::move(items);
        return std::nullopt;
    }
    if (last == u"Set") {
        if (e.items.size() != 1 || e.items[0]->kind != Expr::Kind::Name)
            return notUnderstood(
                ctx, QStringLiteral("Set takes one item type: str, int, float, Decimal or bytes"));
        const auto item = scalarName(e.items[0]->lastName());
        if (!item || *item == u"bool" || *item == u"any")
            return notUnderstood(ctx,
                                 QStringLiteral("set items are str, int, float, Decimal or bytes"));
        out.kinds.push_back(QStringLiteral("set"));
        out.items = toStd(*item);
        return std::nullopt;
    }
    if (last == u"Optional" || last == u"Union")
        return optionalOrUnion(ctx, last);
    return notUnderstood(
        ctx, QStringLiteral("%1[...] is not a StructNoSQL field type").arg(e.base->text));
}

std::optional<Failure> Reader::convertTuple(const Expr &e, const Context &ctx, bool inUnion,
                                            Type &out)
{
    if (inUnion)
        return notUnderstood(ctx, QStringLiteral("a tuple inside a tuple"));
    if (e.items.empty())
        return notUnderstood(ctx, QStringLiteral("an empty tuple of types (StructNoSQL raises)"));
    for (const auto &member : e.items) {
        Type part;
        if (auto f = convertType(*member, ctx, true, part))
            return f;
        for (const QString &k : part.kinds) {
            if (std::find(out.kinds.begin(), out.kinds.end(), k) != out.kinds.end())
                return notUnderstood(ctx, QStringLiteral("the type %1 is listed twice").arg(k));
            out.kinds.push_back(k);
        }
        if (!part.model.isEmpty()) {
            if (!out.model.isEmpty())
                return notUnderstood(ctx, QStringLiteral("two MapModels in one tuple"));
            out.model = part.model;
        }
        if (part.items) {
            if (out.items)
                return notUnderstood(ctx, QStringLiteral("two typed containers in one tuple"));
            out.items = part.items;
        }
        if (!part.keyType.isEmpty())
            out.keyType = part.keyType;
        out.nullable = out.nullable || part.nullable;
    }
    if (out.kinds.empty())
        return notUnderstood(ctx, QStringLiteral("a tuple with no type but NoneType"));
    return std::nullopt;
}

/// The item type of a Dict or List.
std::optional<Failure> Reader::convertItem(const Expr &e, const Context &ctx, Json &out)
{
    if (e.kind == Expr::Kind::Subscript) {
        const QString last = e.base->lastName();
        if (last == u"List" || last == u"Set")
            return notUnderstood(
                ctx, QStringLiteral("a List or Set inside a Dict or List is not implemented by "
                                    "StructNoSQL"));
    }
    if (e.kind == Expr::Kind::Name && (e.text == u"set" || e.lastName() == u"Set"))
        return notUnderstood(
            ctx, QStringLiteral("a set inside a Dict or List is not implemented by StructNoSQL"));
    Type t;
    if (auto f = convertType(e, ctx, false, t))
        return f;
    if (t.nullable)
        return notUnderstood(ctx, QStringLiteral("the items of a Dict or List cannot be None"));
    Json item = Json::object();
    item["type"] = typeJson(t.kinds);
    if (!t.keyType.isEmpty())
        item["keyType"] = toStd(t.keyType);
    if (t.items)
        item["items"] = *t.items;
    if (!t.model.isEmpty())
        item["model"] = toStd(t.model);
    out = item.size() == 1 ? item["type"] : item;
    return std::nullopt;
}

Json Reader::typeJson(const std::vector<QString> &kinds)
{
    if (kinds.size() == 1)
        return toStd(kinds.front());
    Json list = Json::array();
    for (const QString &k : kinds)
        list.push_back(toStd(k));
    return list;
}

std::optional<Failure> Reader::literal(const Expr &e, Json &out, int line, const QString &what)
{
    auto bad = [&] {
        return Failure{
            line, QStringLiteral("%1=%2 is not understood; it takes a literal value (a string, "
                                 "a number, True, False, None, a list or a dict of them)")
                      .arg(what, textOf(e))};
    };
    switch (e.kind) {
    case Expr::Kind::String:
        if (e.fstring)
            return bad();
        out = toStd(e.text);
        return std::nullopt;
    case Expr::Kind::Bytes:
        out = toStd(QString::fromLatin1(e.bytes.toBase64()));
        return std::nullopt;
    case Expr::Kind::True:
        out = true;
        return std::nullopt;
    case Expr::Kind::False:
        out = false;
        return std::nullopt;
    case Expr::Kind::None:
        out = nullptr;
        return std::nullopt;
    case Expr::Kind::Number:
    case Expr::Kind::Neg: {
        const Expr *n = e.kind == Expr::Kind::Neg ? e.base.get() : &e;
        if (n->kind != Expr::Kind::Number)
            return bad();
        QString text = n->text;
        text.remove(u'_');
        if (e.kind == Expr::Kind::Neg)
            text.prepend(u'-');
        if (checkNumber(text).isEmpty()) {
            out = Json::parse(toStd(text), nullptr, false);
            if (!out.is_discarded())
                return std::nullopt;
        }
        return bad();
    }
    case Expr::Kind::List:
    case Expr::Kind::Tuple:
        out = Json::array();
        for (const auto &item : e.items) {
            Json v;
            if (auto f = literal(*item, v, line, what))
                return f;
            out.push_back(std::move(v));
        }
        return std::nullopt;
    case Expr::Kind::Dict:
        out = Json::object();
        for (std::size_t i = 0; i + 1 < e.items.size(); i += 2) {
            if (e.items[i]->kind != Expr::Kind::String)
                return bad();
            Json v;
            if (auto f = literal(*e.items[i + 1], v, line, what))
                return f;
            out[toStd(e.items[i]->text)] = std::move(v);
        }
        return std::nullopt;
    case Expr::Kind::Call:
        if (e.base->lastName() == u"Decimal" && e.items.size() == 1 && e.keywords.empty()) {
            const Expr &arg = *e.items[0];
            QString text = arg.kind == Expr::Kind::String   ? arg.text
                           : arg.kind == Expr::Kind::Number ? arg.text
                                                            : QString();
            if (!text.isEmpty() && checkNumber(text).isEmpty()) {
                out = Json::parse(toStd(canonicalNumber(text).replace(u'E', u'e')), nullptr, false);
                if (!out.is_discarded())
                    return std::nullopt;
            }
        }
        return bad();
    default:
        return bad();
    }
}

/// The field object of a BaseField declaration, read for the model `expanded`.
std::optional<Failure> Reader::readFieldArguments(const Expr &call, QString &name,
                                                  FieldArguments &args)
{
    for (std::size_t k = 0; k < call.keywords.size(); ++k) {
        const QString &param = call.keywords[k].first;
        const Expr &v = *call.keywords[k].second;
        const int line = call.keywordLines[k];
        const QString shown = param + u'=' + textOf(v);
        if (param == u"field_type") {
            args.fieldType = &v;
        } else if (param == u"required") {
            if (v.kind != Expr::Kind::True && v.kind != Expr::Kind::False)
                return Failure{line,
                               QStringLiteral("%1 is not understood; required takes True or False")
                                   .arg(shown)};
            args.required = v.kind == Expr::Kind::True;
        } else if (param == u"key_name") {
            if (v.kind != Expr::Kind::String || v.fstring)
                return Failure{
                    line,
                    QStringLiteral("%1 is not understood; key_name takes a string").arg(shown)};
            args.keyName = v.text;
        } else if (param == u"custom_field_name") {
            if (v.kind != Expr::Kind::String || v.fstring)
                return Failure{
                    line, QStringLiteral("%1 is not understood; custom_field_name takes a string")
                              .arg(shown)};
            name = v.text;
        } else if (param == u"max_nested_depth") {
            bool ok = false;
            const int depth = v.kind == Expr::Kind::Number ? v.text.toInt(&ok) : 0;
            if (!ok)
                return Failure{
                    line,
                    QStringLiteral("%1 is not understood; max_nested_depth takes a whole number")
                        .arg(shown)};
            if (depth > TableModel::kMaxDepth)
                return Failure{line,
                               QStringLiteral("%1 is above %2, the deepest nesting DynamoDB allows "
                                              "(StructNoSQL raises)")
                                   .arg(shown)
                                   .arg(TableModel::kMaxDepth)};
            if (depth < 1)
                return Failure{
                    line, QStringLiteral("%1: max_nested_depth must be at least 1").arg(shown)};
            args.maxDepth = depth;
        } else if (param == u"custom_default_value") {
            Json value;
            if (auto f = literal(v, value, line, param))
                return f;
            args.defaultValue = std::move(value);
        } else if (param == u"not_modifiable") {
            if (v.kind == Expr::Kind::True)
                return Failure{
                    line,
                    QStringLiteral("not_modifiable=True is not implemented by StructNoSQL (it "
                                   "raises)")};
            if (v.kind != Expr::Kind::False)
                return Failure{
                    line,
                    QStringLiteral("%1 is not understood; not_modifiable takes False").arg(shown)};
        } else if (param == u"write_transformers" || param == u"read_transformers") {
            return Failure{
                line, QStringLiteral("%1 are Python functions, which StructDesk cannot run; remove "
                                     "them to import the model")
                          .arg(param)};
        } else if (param == u"name") {
            return Failure{
                line,
                QStringLiteral("%1: BaseField has no name parameter in StructNoSQL 2 (older "
                               "documentation pages show one; the library raises TypeError): "
                               "the attribute is the field's name, custom_field_name= renames it")
                    .arg(shown)};
        } else {
            return Failure{line,
                           QStringLiteral("%1: BaseField has no parameter %2").arg(shown, param)};
        }
    }
    return std::nullopt;
}

std::optional<Failure> Reader::fieldJson(const FieldDecl &decl, const ClassInfo *expanded,
                                         QString &name, Json &out)
{
    const Expr &call = *decl.call;
    if (!call.items.empty())
        return Failure{decl.line,
                       QStringLiteral("BaseField(%1) is not understood; BaseField takes keyword "
                                      "arguments (field_type=..., required=...)")
                           .arg(textOf(*call.items.front()))};
    name = decl.attribute;
    FieldArguments args;
    if (auto f = readFieldArguments(call, name, args))
        return f;
    const Expr *fieldType = args.fieldType;
    const bool required = args.required;
    const std::optional<QString> &keyName = args.keyName;
    const std::optional<int> &maxDepth = args.maxDepth;
    const std::optional<Json> &defaultValue = args.defaultValue;
    if (!fieldType)
        return Failure{decl.line,
                       QStringLiteral("BaseField for %1 has no field_type").arg(decl.attribute)};
    if (const QString problem = TableModel::checkFieldName(name); !problem.isEmpty())
        return Failure{decl.line, problem};

    Context ctx;
    ctx.scope = decl.declaredIn;
    ctx.expanded = expanded;
    ctx.line = fieldType->line ? fieldType->line : decl.line;
    ctx.fieldText = QStringLiteral("field_type=") + textOf(*fieldType);
    Type type;
    if (auto f = convertType(*fieldType, ctx, false, type))
        return f;
    if (type.nullable && required)
        return Failure{ctx.line,
                       QStringLiteral("%1 with required=True: a required field cannot be None in "
                                      "StructDesk's models; use required=False")
                           .arg(ctx.fieldText)};
    const bool container = std::any_of(type.kinds.begin(), type.kinds.end(), [](const QString &k) {
        return k == u"dict" || k == u"list" || k == u"set";
    });
    if (keyName) {
        if (!container)
            return Failure{
                decl.line,
                QStringLiteral("key_name is only for Dict, List and Set fields; %1 has %2")
                    .arg(decl.attribute, ctx.fieldText)};
        if (type.kinds.size() > 1)
            return Failure{
                decl.line,
                QStringLiteral("key_name with several types: StructNoSQL raises (multiple "
                               "dictionaries not supported)")};
    }
    out = Json::object();
    out["type"] = typeJson(type.kinds);
    if (required)
        out["required"] = true;
    if (defaultValue)
        out["default"] = *defaultValue;
    if (keyName)
        out["keyName"] = toStd(*keyName);
    if (!type.keyType.isEmpty())
        out["keyType"] = toStd(type.keyType);
    if (type.items)
        out["items"] = *type.items;
    if (!type.model.isEmpty())
        out["model"] = toStd(type.model);
    if (maxDepth)
        out["maxNestedDepth"] = *maxDepth;
    return std::nullopt;
}

/// The fields of a model class, inherited ones first, as (declaration, class read for).
void Reader::fieldsOf(const ClassInfo *c, std::vector<FieldDecl> &out,
                      QSet<const ClassInfo *> &visiting) const
{
    if (visiting.contains(c))
        return;
    visiting.insert(c);
    for (auto it = c->bases.rbegin(); it != c->bases.rend(); ++it) {
        const ClassInfo *b = resolveClass((*it)->text, c->outer, c->line);
        if (b && b->isModel())
            fieldsOf(b, out, visiting);
    }
    for (const FieldDecl &d : c->fields) {
        auto same = std::find_if(out.begin(), out.end(),
                                 [&](const FieldDecl &o) { return o.attribute == d.attribute; });
        if (same != out.end())
            *same = d;
        else
            out.push_back(d);
    }
    visiting.remove(c);
}

std::optional<Failure> Reader::fieldsJson(const ClassInfo *c, Json &fields,
                                          std::vector<std::pair<QString, int>> *order)
{
    std::vector<FieldDecl> decls;
    QSet<const ClassInfo *> visiting;
    fieldsOf(c, decls, visiting);
    fields = Json::object();
    QHash<QString, int> lines;
    for (const FieldDecl &d : decls) {
        QString name;
        Json field;
        if (auto f = fieldJson(d, c, name, field))
            return f;
        if (lines.contains(name))
            return Failure{
                d.line, QStringLiteral("two fields of %1 are stored as %2 (the other on line %3)")
                            .arg(c->name, quoted(name))
                            .arg(lines.value(name))};
        lines.insert(name, d.line);
        fields[toStd(name)] = std::move(field);
        if (order)
            order->emplace_back(name, d.line);
    }
    return std::nullopt;
}

} // namespace pythonmodel
