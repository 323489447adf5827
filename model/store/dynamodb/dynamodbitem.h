#pragma once

// DynamoDB items and keys as the store sees them: key JSON, equality as DynamoDB stores
// values, item sizes, items read from answers, document paths. Internal to the DynamoDB store.

#include "model/core/result.h"
#include "model/core/value.h"
#include "model/schema/fieldpath.h"
#include "model/schema/tablemodel.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace DynamoDb {

/// The item {hashKey: key} as DynamoDB JSON.
QByteArray keyJson(const QString &hashKey, const Value &key);
/// A key as messages show it: strings in quotes.
QString keyWords(const Value &key);
/// Equal as DynamoDB stores values: numbers compare by value ("1.50" is "1.5").
bool sameValue(const Value &a, const Value &b);
/// DynamoDB's size of one value, per AWS's sizing rules.
qint64 valueSize(const Value &v);
/// True for DynamoDB's refusal of a document path (a missing parent).
bool isDocumentPathError(const Error &e);
bool pathHasIndex(const ResolvedPath &path);
/// True when one path is a prefix of the other (DynamoDB refuses both in one expression).
bool overlaps(const ResolvedPath &a, const ResolvedPath &b);
/// The DynamoDB attribute type of a key field: S, B or N.
QString fieldKindTag(FieldKind kind);
/// The item in the answer member `member` ("Item", "Attributes"), nullopt when there is none.
Result<std::optional<Value>> itemFrom(const Value &response, const char *member);

} // namespace DynamoDb
