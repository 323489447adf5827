#pragma once

#include "model/core/result.h"
#include "model/core/value.h"
#include "model/schema/tablemodel.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>
#include <vector>

/// CSV cells of records, typed by the table model (RFC 4180: comma-separated, double quotes,
/// "" for a quote inside a quoted cell, line breaks allowed inside quotes).
///
/// A column holds a root attribute. How its cells read and write depends on the field:
/// - a field of one scalar type holds the value as text: str as is, int/float/decimal as the
///   number's exact text, bool as true/false, bytes as base64;
/// - every other field (several types, any, map, dict, list, set) and attributes the model does
///   not declare hold plain JSON (sets as arrays, restored by the model); text that is not JSON
///   is read as a string where the field accepts str (hand-written files);
/// - an empty unquoted cell is an absent attribute, `null` unquoted is null, and a quoted empty
///   cell ("") is the empty string (PostgreSQL's convention): so every value comes back exactly.
/// A value that does not fit its column's declared type (an invalid record) is written as its
/// JSON text.
namespace CsvCodec {

enum class CellKind { Text, Number, Bool, Bytes, Json };

/// How the cells of a field's column are written; nullptr (undeclared) is Json.
CellKind cellKind(const FieldSpec *spec);

struct Cell
{
    QByteArray text;
    bool quoted = false;
};

/// Splits one record's text (its line breaks inside quotes included, without the final line
/// break) into cells. False with `error` when a quote is not closed or text follows one.
bool splitRecord(QByteArrayView row, std::vector<Cell> &cells, QString &error);

/// Appends a cell, in quotes when it must be (comma, quote, line break) or when `quote`.
void appendCell(QByteArray &out, QByteArrayView text, bool quote = false);

/// The value of a cell in a column of `kind` (nullopt: the attribute is absent). A cell that
/// cannot be read for its column is an Invalid error with the reason.
Result<std::optional<Value>> readCell(const Cell &cell, CellKind kind, const FieldSpec *spec);

/// Appends the cell of a value (nullptr: absent, an empty cell).
void appendValueCell(QByteArray &out, const Value *value, CellKind kind);

/// Appends the cell of a value given as stored JSON text (JsonCodec's stored form); empty
/// `stored` is an absent attribute. False when the text is not well-formed.
bool appendStoredCell(QByteArray &out, QByteArrayView stored, CellKind kind);

} // namespace CsvCodec
