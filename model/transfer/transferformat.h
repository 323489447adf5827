#pragma once

#include "model/core/result.h"

#include <QString>
#include <QStringList>

#include <optional>

/// The file formats of import and export.
enum class TransferFormat {
    JsonLines,    ///< one plain JSON object per line ("jsonl")
    JsonArray,    ///< one JSON array of plain objects ("json")
    DynamoDbJson, ///< one {"Item": {...}} per line, as AWS exports write ("dynamodb-json")
    Csv           ///< a header row, then one record per row, typed by the table model ("csv")
};

/// "jsonl", "json", "dynamodb-json" or "csv": the names the CLI and the GUI use.
QString transferFormatName(TransferFormat format);
/// The format of a name (the names above, plus "ndjson" and "ddb-json"), or nullopt.
std::optional<TransferFormat> transferFormatFromName(QStringView name);
/// Every format name, for messages.
QStringList transferFormatNames();
/// The format a file name says by its extension (.jsonl/.ndjson, .csv, .json), or nullopt.
/// ".json" says JsonArray; detectTransferFormat() looks inside.
std::optional<TransferFormat> transferFormatFromExtension(const QString &path);
/// The format of an existing file: .jsonl, .ndjson and .csv by their extension; for anything
/// else the first bytes decide: '[' a JSON array, a first line {"Item": {...}} DynamoDB JSON,
/// '{' JSON lines. Errors name the file.
Result<TransferFormat> detectTransferFormat(const QString &path);
/// The usual extension of a format, with the dot (".jsonl", ".json", ".json", ".csv").
QString transferFormatExtension(TransferFormat format);
