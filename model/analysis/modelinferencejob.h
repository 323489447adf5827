#pragma once

#include "model/core/result.h"
#include "model/schema/modelinference.h"
#include "model/schema/tablemodel.h"
#include "model/store/recordstore.h"
#include "model/transfer/transferformat.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

/// Model inference over a whole table (its scan) or a file: reads every record into a
/// ModelInference, with progress and cancel.
namespace ModelInferenceJob {

using Options = ModelInference::Options;

/// How far a read has got: the records, and for a file the bytes read of its size.
struct Progress
{
    qint64 records = 0;
    qint64 bytes = 0;
    qint64 bytesTotal = 0;
};
/// Called on the reading thread: `progress` after each page or chunk, `cancelled` polled
/// before each (and handed to the store's scan).
struct Hooks
{
    std::function<void(const Progress &)> progress;
    std::function<bool()> cancelled;
};
/// What inferTable() and inferFile() found: the model with its notes and the records read.
struct Inferred
{
    TableModelPtr model; ///< null when cancelled
    QStringList notes;
    qint64 records = 0; ///< read so far, when cancelled
    bool cancelled = false;
};

/// Infers from every record of a table (its key is the table's key). A cancel is not an
/// error: the result says it, with the records read until then.
Result<Inferred> inferTable(RecordStore &store, const QString &table, const Hooks &hooks = {});
/// Infers from a file (JSON lines, JSON array, DynamoDB JSON, CSV; nullopt: detected).
/// Records that cannot be parsed are errors naming the file and line.
Result<Inferred> inferFile(const QString &path, std::optional<TransferFormat> format,
                           const Options &options, const Hooks &hooks = {});

/// inferTable()'s model: `progress(done)` is called after each page; `cancelled` polled
/// between pages (a cancel is an Unavailable error).
Result<TableModelPtr> fromTable(RecordStore &store, const QString &table,
                                const std::function<void(qint64)> &progress = {},
                                const std::function<bool()> &cancelled = {});
/// inferFile()'s model.
Result<TableModelPtr> fromFile(const QString &path, std::optional<TransferFormat> format,
                               const Options &options);

} // namespace ModelInferenceJob
