// applyModelTypes: a plain record (JSON-like values) typed as the table model declares it:
// base64 strings in bytes fields as bytes, lists in set fields as sets, through maps, dicts and
// lists. The validator (validator.cpp) checks records; this converts them.

#include "model/schema/validator.h"

#include <QStringList>

#include <algorithm>
#include <optional>

std::optional<QByteArray> base64Bytes(const Value &v)
{
    if (!v.isString())
        return std::nullopt;
    return decodeBase64(QStringView(v.text()));
}

std::optional<Value> listAsSet(const FieldSpec *items, const Value::List &list)
{
    auto allOf = [&](auto pred) { return std::all_of(list.cbegin(), list.cend(), pred); };
    auto strings = [&] {
        QStringList out;
        out.reserve(list.size());
        for (const Value &v : list)
            out << v.text();
        return out;
    };
    // The kinds to try, in order; untyped or `any` items: strings, then numbers.
    FieldKind kinds[16];
    std::size_t count = 0;
    const bool untyped = !items || items->types.empty() || items->acceptsAnything();
    if (untyped) {
        kinds[count++] = FieldKind::Str;
        kinds[count++] = FieldKind::Decimal;
    } else {
        for (const FieldType &t : items->types) {
            if (count < std::size(kinds))
                kinds[count++] = t.kind;
        }
    }
    for (std::size_t k = 0; k < count; ++k) {
        const FieldKind kind = kinds[k];
        if (kind == FieldKind::Str && allOf([](const Value &v) { return v.isString(); }))
            return Value::stringSet(strings());
        if (isNumericKind(kind) && allOf([](const Value &v) { return v.isNumber(); }))
            return Value::numberSet(strings());
        if (kind == FieldKind::Bytes) {
            QList<QByteArray> bytes;
            bytes.reserve(list.size());
            bool ok = true;
            for (const Value &v : list) {
                auto b = base64Bytes(v);
                if (!b) {
                    ok = false;
                    break;
                }
                bytes << std::move(*b);
            }
            if (ok)
                return Value::binarySet(std::move(bytes));
        }
    }
    return std::nullopt;
}

namespace {

bool typeMap(const MapModel &model, Value &v, QStringList *changed = nullptr);

/// Types a value in place; true when anything changed. The value's containers are reached for
/// writing only where something may change, so a shared value is copied only where it must be.
bool typeValue(const FieldSpec *spec, Value &v)
{
    if (!spec || spec->types.empty() || spec->acceptsAnything())
        return false;
    switch (v.type()) {
    case Value::Type::String:
        if (!spec->accepts(FieldKind::Bytes) || spec->accepts(FieldKind::Str))
            return false;
        if (auto bytes = base64Bytes(v)) {
            v = Value::binary(std::move(*bytes));
            return true;
        }
        return false;
    case Value::Type::List: {
        if (spec->accepts(FieldKind::Set) && !spec->accepts(FieldKind::List)) {
            for (const FieldType &t : spec->types) {
                if (t.kind != FieldKind::Set)
                    continue;
                if (auto set = listAsSet(t.items, v.toList())) {
                    v = std::move(*set);
                    return true;
                }
            }
            return false;
        }
        for (const FieldType &t : spec->types) {
            if (t.kind != FieldKind::List || !t.items)
                continue;
            if (t.items->acceptsAnything())
                return false;
            bool any = false;
            for (Value &item : v.listRef())
                any = typeValue(t.items, item) || any;
            return any;
        }
        return false;
    }
    case Value::Type::Map: {
        for (const FieldType &t : spec->types) {
            if (t.kind == FieldKind::Map && t.model)
                return typeMap(*t.model, v);
        }
        for (const FieldType &t : spec->types) {
            if (t.kind != FieldKind::Dict || !t.items)
                continue;
            if (t.items->acceptsAnything())
                return false;
            bool any = false;
            Value::Map &m = v.mapRef();
            for (auto it = m.begin(); it != m.end(); ++it)
                any = typeValue(t.items, it.value()) || any;
            return any;
        }
        return false;
    }
    default:
        return false;
    }
}

/// Only the members that may change are reached through the mutable map, so that a map with
/// nothing to type is never detached.
bool mayChange(const FieldSpec *spec, const Value &v)
{
    if (!spec || spec->acceptsAnything())
        return false;
    switch (v.type()) {
    case Value::Type::String:
        return spec->accepts(FieldKind::Bytes) && !spec->accepts(FieldKind::Str);
    case Value::Type::List:
    case Value::Type::Map:
        return true;
    default:
        return false;
    }
}

bool typeMap(const MapModel &model, Value &v, QStringList *changed)
{
    const Value::Map &constMap = v.toMap();
    bool any = false;
    for (auto it = constMap.cbegin(); it != constMap.cend() && !any; ++it)
        any = mayChange(model.field(it.key()), it.value());
    if (!any)
        return false;
    bool result = false;
    Value::Map &m = v.mapRef();
    for (auto it = m.begin(); it != m.end(); ++it) {
        const FieldSpec *spec = model.field(it.key());
        if (mayChange(spec, it.value()) && typeValue(spec, it.value())) {
            result = true;
            if (changed)
                changed->append(it.key());
        }
    }
    return result;
}

} // namespace

bool applyModelTypesInPlace(const TableModel &model, Value &record, QStringList *changed)
{
    if (!model.declaresFields() || !record.isMap())
        return false;
    return typeMap(model.root(), record, changed);
}

Value applyModelTypes(const TableModel &model, const Value &plainRecord)
{
    Value typed = plainRecord;
    applyModelTypesInPlace(model, typed);
    return typed;
}

Value applyModelTypesAt(const TableModel &model, const ResolvedPath &path, const Value &plain)
{
    Q_UNUSED(model);
    Value typed = plain;
    typeValue(path.target, typed);
    return typed;
}
