#pragma once

#include "model/core/result.h"
#include "model/core/value.h"
#include "model/store/recordstore.h"
#include "model/transfer/importer.h"
#include "model/transfer/transferformat.h"

#include <QIODevice>
#include <QString>
#include <QStringList>

#include <functional>
#include <vector>

/// How an export writes.
struct ExportOptions
{
    TransferFormat format = TransferFormat::JsonLines;
    int pageSize = 2000; ///< records per scan page
    /// Called after every page, on the calling thread. bytesTotal holds the number of records
    /// to export when it is known (-1 otherwise).
    std::function<void(const TransferProgress &)> progress;
    /// Polled between records; true cancels (an export to a file then leaves no file).
    std::function<bool()> cancelled;
    /// Called for each stored record that cannot be read (damaged stored text), which the
    /// export skips, as it is met.
    std::function<void(const UnreadableRecord &)> unreadable;
};

/// What an export did.
struct ExportReport
{
    qint64 records = 0;
    /// Stored records that cannot be read and were skipped; the first kMaxNamed are named.
    qint64 unreadable = 0;
    std::vector<UnreadableRecord> unreadableRecords;
    static constexpr std::size_t kMaxNamed = 100;
    bool cancelled = false;
    QStringList columns; ///< CSV: the header written
};

/// Exports records to JSON lines, a JSON array, DynamoDB JSON lines or CSV.
///
/// A stored record that cannot be read (its stored text damaged) is skipped, named and
/// counted (ExportReport::unreadable); it never stops the export of the others.
///
/// Streamed page by page: the records of a scan are read a page at a time and, where the store
/// gives them as stored JSON text (the embedded store), converted to the output as text,
/// without building Values. Files are written through QSaveFile: a failed or cancelled export
/// leaves no file, and an existing file is replaced only when the export succeeds.
///
/// Formats (every one reads back with Importer to the same records):
/// - JSON lines and JSON arrays are plain JSON: sets are arrays and binary is base64 text, so
///   reading them back needs the table model (as any plain JSON does);
/// - DynamoDB JSON says every type itself ({"Item": {"a": {"NS": ["1"]}}});
/// - CSV: the columns are the model's root fields in order, then the attributes the model does
///   not declare in the order they are met in the data; cells as CsvCodec describes. A scan is
///   therefore read twice (a first pass finds the undeclared attributes; no record is kept in
///   memory).
class Exporter
{
public:
    Exporter(RecordStore &store, QString table);

    /// Exports the records a scan request selects (its conditions, text and sort; its cursor
    /// and limit are ignored) to a file.
    Result<ExportReport> exportScan(const ScanRequest &request, const QString &path,
                                    const ExportOptions &options);
    /// The same, to an open device (standard output): nothing can be taken back there.
    Result<ExportReport> exportScan(const ScanRequest &request, QIODevice &device,
                                    const ExportOptions &options);
    /// Exports the given records (the grid's selection) to a file.
    Result<ExportReport> exportRecords(const std::vector<Value> &records, const QString &path,
                                       const ExportOptions &options);
    /// The same, to an open device.
    Result<ExportReport> exportRecords(const std::vector<Value> &records, QIODevice &device,
                                       const ExportOptions &options);

private:
    RecordStore &m_store;
    QString m_table;
};
