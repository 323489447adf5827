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

std::optional<Value> applyMap(const MapModel &model, const Value &v);

/// The value converted to the spec's types, or nullopt when nothing changes.
std::optional<Value> applySpec(const FieldSpec *spec, const Value &v)
{
    if (!spec || spec->types.empty() || spec->acceptsAnything())
        return std::nullopt;
    switch (v.type()) {
    case Value::Type::String: {
        if (!spec->accepts(FieldKind::Bytes) || spec->accepts(FieldKind::Str))
            return std::nullopt;
        if (auto bytes = base64Bytes(v))
            return Value::binary(std::move(*bytes));
        return std::nullopt;
    }
    case Value::Type::List: {
        if (spec->accepts(FieldKind::Set) && !spec->accepts(FieldKind::List)) {
            for (const FieldType &t : spec->types) {
                if (t.kind != FieldKind::Set)
                    continue;
                if (auto set = listAsSet(t.items, v.toList()))
                    return set;
            }
            return std::nullopt;
        }
        for (const FieldType &t : spec->types) {
            if (t.kind != FieldKind::List || !t.items)
                continue;
            std::optional<Value> out;
            const Value::List &l = v.toList();
            for (qsizetype i = 0; i < l.size(); ++i) {
                auto converted = applySpec(t.items, l[i]);
                if (!converted)
                    continue;
                if (!out)
                    out = v;
                out->listRef()[i] = std::move(*converted);
            }
            return out;
        }
        return std::nullopt;
    }
    case Value::Type::Map: {
        for (const FieldType &t : spec->types) {
            if (t.kind == FieldKind::Map && t.model)
                return applyMap(*t.model, v);
        }
        for (const FieldType &t : spec->types) {
            if (t.kind != FieldKind::Dict || !t.items)
                continue;
            std::optional<Value> out;
            const Value::Map &m = v.toMap();
            for (auto it = m.cbegin(); it != m.cend(); ++it) {
                auto converted = applySpec(t.items, it.value());
                if (!converted)
                    continue;
                if (!out)
                    out = v;
                out->mapRef()[it.key()] = std::move(*converted);
            }
            return out;
        }
        return std::nullopt;
    }
    default:
        return std::nullopt;
    }
}

std::optional<Value> applyMap(const MapModel &model, const Value &v)
{
    std::optional<Value> out;
    const Value::Map &m = v.toMap();
    for (auto it = m.cbegin(); it != m.cend(); ++it) {
        auto converted = applySpec(model.field(it.key()), it.value());
        if (!converted)
            continue;
        if (!out)
            out = v;
        out->mapRef()[it.key()] = std::move(*converted);
    }
    return out;
}

} // namespace

Value applyModelTypes(const TableModel &model, const Value &plainRecord)
{
    if (!model.declaresFields() || !plainRecord.isMap())
        return plainRecord;
    auto converted = applyMap(model.root(), plainRecord);
    return converted ? std::move(*converted) : plainRecord;
}

Value applyModelTypesAt(const TableModel &model, const ResolvedPath &path, const Value &plain)
{
    Q_UNUSED(model);
    auto converted = applySpec(path.target, plain);
    return converted ? std::move(*converted) : plain;
}
