#pragma once

// The rules of a value typed as text into one cell or field: what a number's text must look
// like for a field kind, and what text typed into a grid cell means for a field. The form and
// the grid both use them; whether a value has the shape of a field type (valueFitsType) is the
// validator's rule, declared in validator.h.

#include "model/core/result.h"
#include "model/core/value.h"
#include "model/schema/tablemodel.h"
#include "model/schema/validator.h"

#include <QString>

/// The problem of a number's text for a kind (int, float or decimal), or "".
QString numberTextProblem(const QString &text, FieldKind kind);

/// What text typed into a grid cell means for update_field of the root field `field` of
/// `record`, validated with the table model's rules (the Validator's validateAt): the value,
/// or an error saying why it cannot be written (the key, maps/lists/sets, a wrong type).
/// Fields of several types keep the record's current type when the text fits it ("12" in a
/// field of int or str that holds a string stays a string), else take the first that fits.
Result<Value> cellEditValue(const TableModel &model, const Value &record, const QString &field,
                            const QString &text);
