#pragma once

#include "model/core/value.h"
#include "model/schema/fieldpath.h"
#include "model/schema/tablemodel.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

/// One thing wrong with a record or value: where (a field path such as
/// `tokens.t1.expirationTimestamp`, empty for the record itself) and a plain sentence.
struct Problem
{
    QString path;
    QString message;
    /// False for notes that do not block a write (attributes the model does not declare).
    bool blocking = true;
    /// "path: message", or the message alone.
    QString toString() const
    {
        return path.isEmpty() ? message : path + QStringLiteral(": ") + message;
    }
};
using Problems = std::vector<Problem>;

/// Validates records and values against a table model with StructNoSQL's rules, reporting
/// every problem instead of silently dropping parts:
/// - types are exact: int accepts integer text only ("1", not "1.0"), float accepts numbers
///   written with a fraction or exponent ("1.5", "1e3"), decimal accepts any number, bool is
///   not a number, str is not bytes;
/// - an optional field also accepts null; `any` accepts everything; required fields reject null;
/// - required fields must be present in every map that has a model, at every level;
/// - dict keys must match the key type, items their item type; list items their item type;
///   sets must be non-empty, of the declared item type, without duplicates;
/// - nesting deeper than 32 levels, or than a recursive field's maxNestedDepth, is refused;
/// - attributes the model does not declare are reported as non-blocking notes (StructNoSQL
///   would drop them silently; StructDesk keeps them, losslessly, and says so).
///
/// An advisory model (TableModel::isAdvisory(): one inferred from sampled records) is a guess,
/// and a guess must not block real data: every problem with its rules is then a note. What
/// holds whatever the model says stays blocking: the key (missing, null, empty, not of the key
/// type: the key schema is the table's), a record that is not a map, and what DynamoDB itself
/// refuses (nesting beyond 32 levels, empty sets, duplicate set items).
class Validator
{
public:
    explicit Validator(const TableModel &model) : m_model(model) {}

    /// Every problem of a whole record (put_record, replace_record, import, the grid markers).
    /// The hash key must be present and of the key type.
    Problems validateRecord(const Value &record) const;
    /// Fast check: true when validateRecord would report no blocking problem.
    bool isValidRecord(const Value &record) const;
    /// Every problem of a value written at a resolved path (update_field).
    Problems validateAt(const ResolvedPath &path, const Value &value) const;

private:
    const TableModel &m_model;
};

/// True when a value has the shape a field type accepts (numbers: int needs integer text,
/// float a fraction or exponent; a set's type must be one its item types allow). Contents of
/// containers are the validator's business. The validator, the grid and the form use this one
/// rule.
bool valueFitsType(const FieldType &type, const Value &value);

/// A string's text as bytes when it is valid base64 (the standard alphabet); nullopt otherwise.
std::optional<QByteArray> base64Bytes(const Value &v);
/// A plain list as the set a set field's item spec asks for (strings, numbers, or base64 text as
/// bytes, tried in the spec's order; untyped items: strings, then numbers), or nullopt when the
/// items fit none. Allocates nothing but the set.
std::optional<Value> listAsSet(const FieldSpec *items, const Value::List &list);

/// Converts plain JSON (as parsed by JsonCodec::parsePlain) to the types the model declares:
/// arrays become sets where the field is a set, base64 text becomes binary where the field is
/// bytes (and not also str). Anything that does not fit is left alone for the validator.
Value applyModelTypes(const TableModel &model, const Value &plainRecord);
/// The same in place, without copying what does not change (the import's hot path: a record
/// nobody else holds is typed without a copy). `changed`, when given, receives the top-level
/// members whose value was typed. True when anything changed.
bool applyModelTypesInPlace(const TableModel &model, Value &record, QStringList *changed = nullptr);
/// The same for a value written at a resolved path.
Value applyModelTypesAt(const TableModel &model, const ResolvedPath &path, const Value &plain);
