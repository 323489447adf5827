#pragma once

#include "model/core/value.h"

#include <QByteArray>
#include <QByteArrayView>

#include <nlohmann/json_fwd.hpp>

#include <variant>

/// Conversions between Value and JSON text, all lossless for numbers.
///
/// Three forms:
/// - plain JSON, the exchange format: sets become arrays and binary becomes base64 text (the
///   table model restores them: applyModelTypes in model/schema/validator.h);
/// - DynamoDB JSON, {"S": "..."} per attribute, which says every type itself;
/// - stored JSON, what the embedded store writes: plain JSON in which binary and sets are tagged
///   ({"$B": "base64"}, {"$SS": [...]}, {"$NS": [...]}, {"$BS": [...]}) and map keys that begin
///   with '$' are escaped with a second '$'. SQLite's JSON functions can query it directly.
namespace JsonCodec {

/// Deepest nesting the parsers accept; DynamoDB stops at 32 levels, the validator says so.
inline constexpr int kMaxParseDepth = 100;

/// Parses plain JSON. Errors name "line L, column C".
Result<Value> parsePlain(QByteArrayView utf8);
/// Parses stored JSON (see above).
Result<Value> parseStored(QByteArrayView utf8);
/// A stored record read back: the record, or why `utf8` is not one, in words that follow
/// "record K: " ("its stored JSON is damaged (line 1, column 2): ...", "its stored JSON is a
/// list, not a record (an object of attributes)").
std::variant<Value, QString> readStoredRecord(QByteArrayView utf8);
/// Parses one DynamoDB JSON item: an object of attribute values, {"id": {"S": "u1"}, ...}.
Result<Value> parseDynamoItem(QByteArrayView utf8);
/// Parses one DynamoDB JSON attribute value, {"N": "12"}.
Result<Value> parseDynamoValue(QByteArrayView utf8);
/// Converts an already parsed plain tree that spells DynamoDB JSON ({"S": ...}) into a Value.
/// `path` names the place in messages.
Result<Value> fromDynamoTree(const Value &tree, const QString &path = {});
/// Converts an already parsed plain tree holding an item ({"attr": {"S": ...}}) into a map.
Result<Value> fromDynamoItemTree(const Value &tree);

QByteArray toPlain(const Value &value);
void appendPlain(QByteArray &out, const Value &value);
QByteArray toStored(const Value &value);
void appendStored(QByteArray &out, const Value &value);
/// A map as a DynamoDB JSON item.
QByteArray toDynamoItem(const Value &item);
QByteArray toDynamoValue(const Value &value);

/// A JSON string literal, quotes included.
void appendJsonString(QByteArray &out, QStringView text);

/// From an nlohmann value (used for defaults in model files); integers stay exact, other
/// numbers use their shortest round-trip text.
Value fromNlohmann(const nlohmann::json &json);

} // namespace JsonCodec
