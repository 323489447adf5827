#pragma once

#include "model/core/result.h"
#include "model/core/value.h"
#include "model/store/recordstore.h"
#include "model/transfer/transferformat.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

/// How far an import or export is.
struct TransferProgress
{
    qint64 records = 0;    ///< records read (import) or written (export)
    qint64 written = 0;    ///< import: records written so far
    qint64 bytes = 0;      ///< bytes of the file read (import)
    qint64 bytesTotal = 0; ///< size of the file (import); records to export, -1 unknown (export)
};

/// What an import does with a file's records.
struct ImportOptions
{
    /// All-or-nothing writes nothing when any record fails; skip-invalid writes the valid
    /// records and saves the rejected ones to the reject file.
    enum class Mode { AllOrNothing, SkipInvalid };
    /// A record whose key is already in the table: a failure, left as it is, or replaced.
    enum class Existing { Refuse, Skip, Replace };

    std::optional<TransferFormat> format; ///< nullopt: detectTransferFormat()
    Mode mode = Mode::AllOrNothing;
    Existing existing = Existing::Refuse;
    /// Skip-invalid: where rejected records go; empty: next to the input, "NAME.rejects.EXT".
    QString rejectsPath;
    /// Problems kept in the report (all are counted): memory stays flat on huge bad files.
    int maxProblems = 1000;
    /// Called about every 64 KiB of input, on the calling thread.
    std::function<void(const TransferProgress &)> progress;
    /// Polled between records; true cancels (the table is left as it was).
    std::function<bool()> cancelled;
    /// Threads that parse and validate (0: one per core). The calling thread writes.
    int threads = 0;
};

/// One problem of an import: the line of the file, the field path, a sentence.
struct ImportProblem
{
    qint64 line = 0; ///< 0: the file as a whole
    QString path;
    QString message;
    /// "users.jsonl:17: tokens.t1.expirationTimestamp: must be an int, not a string"
    QString toString(const QString &file) const;
};

/// What an import did.
struct ImportReport
{
    enum class Outcome {
        Imported,       ///< every record was written (or skipped as existing)
        PartlyImported, ///< skip-invalid: the valid records were written, the others rejected
        Refused,        ///< all-or-nothing: a record failed; nothing was written
        Cancelled,      ///< cancelled; nothing was written
        Failed          ///< the file or the store failed (see `error`); nothing was written,
                        ///< except where the import is not one transaction (see `writtenKeys`)
    };
    Outcome outcome = Outcome::Imported;
    QString file;
    QString table;
    TransferFormat format = TransferFormat::JsonLines;
    qint64 records = 0;  ///< records read from the file
    qint64 written = 0;  ///< records written (new or replacing)
    qint64 replaced = 0; ///< of those, records that replaced an existing one
    qint64 skippedExisting = 0;
    qint64 rejected = 0;                 ///< records that failed (every problem is in `problems`)
    std::vector<ImportProblem> problems; ///< the first ImportOptions::maxProblems problems
    qint64 problemCount = 0;             ///< all problems, also those not kept
    QString rejectsFile;                 ///< skip-invalid: the file holding the rejected records
    std::optional<Error> error;          ///< Failed: why
    /// Where the import is not one transaction (DynamoDB, stores without transactions): the
    /// keys written before a failure or a cancel, exactly, so they can be undone (the records
    /// replaced among them are in `replacedKeys`). Empty when the import succeeded or the
    /// store rolled it back.
    std::vector<Value> writtenKeys;
    std::vector<Value> replacedKeys;
    /// A record whose write was under way when the connection was lost: it may or may not be
    /// stored. `stored` is what the import would have written (stored JSON), so that an undo
    /// deletes it only where the table holds exactly that.
    struct UncertainWrite
    {
        Value key;
        QByteArray stored;
        bool existed = false; ///< --existing replace: the key had a record before
    };
    std::vector<UncertainWrite> uncertainWrites;

    /// True when records the import wrote are left in the table after a failure or a cancel
    /// (written or maybe written).
    bool leftWrites() const { return !writtenKeys.empty() || !uncertainWrites.empty(); }
    /// True when the table holds the file's records (all of them, or the valid ones).
    bool wroteRecords() const
    {
        return outcome == Outcome::Imported || outcome == Outcome::PartlyImported;
    }
    /// Every problem as "file:line: path: message", then "... and N more".
    QStringList problemLines() const;
    /// One sentence: "imported 1200 records into users from users.jsonl (3 skipped as existing)".
    QString summary() const;
};

/// Imports JSON lines, JSON arrays, DynamoDB JSON lines and CSV files into a table.
///
/// Streamed: the file is read a chunk at a time, parsed and validated on worker threads, and
/// written in file order on the calling thread, which must be the store's thread. Each record
/// is typed by the table model (applyModelTypes; CSV cells by their column) and validated
/// (Validator); what is written is the record exactly as the file says it (writeStored: numbers
/// to the digit, attributes the model does not declare kept). Keys are checked for duplicates
/// within the file (a 64-bit hash per key is kept: 8-16 bytes a record).
///
/// Records are written in batches (RecordStore::writeBatch: SQLite one by one, DynamoDB with
/// BatchWriteItem or conditional PutItems, several requests at a time), so an import of any size
/// runs on every store. Where a transaction of any size is atomic (SQLite), the whole import runs
/// in one RecordStore::runTransaction, and a refused, failed or cancelled import leaves the table
/// as it was. Elsewhere (DynamoDB, whose transactions hold 100 writes; stores without them),
/// all-or-nothing imports check the whole file first (existing keys included, in refuse mode)
/// and write nothing unless every record passes; a failure or cancel after writes have started
/// reports exactly which keys were written (and which writes were under way, uncertain).
class Importer
{
public:
    Importer(RecordStore &store, QString table);

    /// Imports a file. Never throws; problems and failures are in the report.
    ImportReport run(const QString &path, const ImportOptions &options = {});

    /// The default reject file of an input: "dir/users.rejects.jsonl" for "dir/users.jsonl".
    static QString defaultRejectsPath(const QString &input, TransferFormat format);
    /// The default written-keys file of an input: "dir/users.written-keys.jsonl".
    static QString defaultWrittenKeysPath(const QString &input);
    /// Saves the keys a failed or cancelled import left written, one JSON object a line:
    /// {"key":K,"written":"new"|"replaced"|"uncertain"} (uncertain: the write was under way
    /// when the connection was lost). Replaces the file only once it is complete.
    static Status saveWrittenKeys(const ImportReport &report, const QString &path);

private:
    RecordStore &m_store;
    QString m_table;
};
