#pragma once

// Inside the SQLite store: the SQL it runs for a scan (where clauses from scan requests, JSON
// paths into stored records) and how SQLite's errors are told apart. Not part of the store's
// API (sqlitestore.h).

#include "model/core/result.h"
#include "model/store/recordstore.h"

#include <QSqlError>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <QVariantList>

namespace SqliteSql {

inline constexpr int kSqliteBusy = 5;
inline constexpr int kSqliteLocked = 6;
inline constexpr int kSqliteReadOnly = 8;
inline constexpr int kSqliteCorrupt = 11;
inline constexpr int kSqliteFull = 13;
inline constexpr int kSqliteCantOpen = 14;
inline constexpr int kSqliteNotADb = 26;

/// SQLite's primary result code of an error (SQLITE_BUSY, ...), or -1.
int primaryCode(const QSqlError &error);

/// The SQLite JSON path of a literal field path in stored JSON: $."a"."b".
Result<QString> jsonPath(const QStringList &path);

/// Number text as the value bound for SQLite's comparisons with json_extract().
QVariant bindableNumber(const QString &text);

/// The WHERE clause of a scan or count, with its bound values in order.
struct WhereClause
{
    QString sql;
    QVariantList binds;
};

/// Builds the WHERE clause of a scan or count.
Result<WhereClause> buildWhere(const ScanRequest &request);

} // namespace SqliteSql
