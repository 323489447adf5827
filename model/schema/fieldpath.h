#pragma once

#include "model/core/result.h"
#include "model/core/value.h"
#include "model/schema/tablemodel.h"

#include <QHash>
#include <QString>

#include <vector>

/// One element of a resolved path: an attribute or map key, or a list index.
struct PathElement
{
    QString key;    ///< map key or attribute name; empty for a list index
    int index = -1; ///< list index when >= 0
    bool isIndex() const { return index >= 0; }
};

/// A field path resolved against a table model, ready for a store.
///
/// Syntax: names separated by dots (`metadata.lastConnectionTimestamp`); `{{name}}` stands for
/// an item of a dict, list or set and is filled from the variables (a map key, or a list
/// index). With a key-only model, every element is a literal map key.
struct ResolvedPath
{
    std::vector<PathElement> elements;
    /// The spec of the target (a field, or an item spec); nullptr where the model does not
    /// say (key-only models, inside `any`).
    const FieldSpec *target = nullptr;
    /// True when the target is an item addressed with {{...}}: validated as a whole value
    /// (required fields of its model included) and never null.
    bool targetIsItem = false;
    /// For each element but the last: the value to create when that container is missing
    /// (the field's default, or an empty map or list).
    std::vector<Value> containerDefaults;
    /// For each element: the field or item spec it stands for; nullptr where the model does
    /// not say. Lets the validator count recursion levels above the target.
    std::vector<const FieldSpec *> specs;

    /// The path with variables filled in, for messages: `tokens.t1.expirationTimestamp`.
    QString display() const;
    /// True when the path is the table's hash key attribute.
    bool isHashKey(const TableModel &model) const;
};

/// Resolves a path against a model, filling placeholders from `variables`. Errors name the
/// path and say what is wrong (unknown field, missing variable, list index not a number,
/// deeper than 32 elements, ...).
Result<ResolvedPath> resolvePath(const TableModel &model, QStringView path,
                                 const QHash<QString, QString> &variables = {});

/// The type of a spec as a sentence says it after "is": "an int", "a dict of map", "bytes",
/// "either int or float", "one of int, float or str".
QString typePhrase(const FieldSpec &spec);

/// Splits a filter or sort path (`metadata.plan`: literal names separated by dots, no
/// placeholders) into its names. Refused, with a message that names the path: an empty path,
/// an empty element (`a..b`, a dot at an end) and the characters field paths reserve
/// (`[ ] { } ( ) |`).
Result<QStringList> splitLiteralPath(QStringView path);
