#pragma once

#include "model/core/result.h"
#include "model/core/value.h"
#include "model/json/fastjson.h"
#include "model/schema/tablemodel.h"
#include "model/transfer/csvcodec.h"
#include "model/transfer/transferformat.h"

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

/// Reads the records of a file in one of the transfer formats, streamed: the file is split
/// into records (lines, CSV rows, the elements of a JSON array) a chunk at a time, so memory
/// stays flat whatever the file size, and each record is parsed on its own. parse() is const
/// and thread-safe, so the import parses the chunks of a file on several threads.
class RecordReader
{
public:
    /// One record of a chunk: where its text is in Chunk::data and the line it starts on.
    struct Record
    {
        qint64 line = 0;
        qsizetype offset = 0;
        qsizetype size = 0;
        /// Set when the record is broken beyond parsing (a JSON array or a quoted CSV cell the
        /// file ends inside): the reason; its text is what the file holds.
        QString error;
    };
    /// A run of whole records.
    struct Chunk
    {
        QByteArray data;
        std::vector<Record> records;
        qint64 bytesDone = 0; ///< bytes of the file read up to the end of this chunk
        QByteArrayView text(const Record &r) const
        {
            return QByteArrayView(data).sliced(r.offset, r.size);
        }
    };
    /// A problem with one record: its line, the field path (empty for the record itself).
    struct Problem
    {
        qint64 line = 0;
        QString path;
        QString message;
    };

    /// Opens a file. `model` types CSV cells (nullptr: cells are JSON, or text where they are
    /// not JSON). A CSV header is read here; a header that names a column twice, has no column
    /// for the hash key or for a required root field is an error naming the file and line 1.
    static Result<std::unique_ptr<RecordReader>> open(const QString &path, TransferFormat format,
                                                      TableModelPtr model);

    /// Reads the next records, about `targetBytes` of them; false at the end of the file.
    /// Errors are I/O errors only: a broken record is a Record with its `error`.
    Result<bool> readChunk(Chunk &chunk, qsizetype targetBytes = 256 * 1024);

    /// Parses one record's text into a record (a map; plain JSON is not yet typed by the model,
    /// see applyModelTypes; DynamoDB JSON and CSV are). False with `problem` on malformed text.
    bool parse(QByteArrayView text, qint64 line, Value &record, Problem &problem) const;
    /// The same; for plain JSON, `layout` receives where the record's members are in `text`.
    bool parse(QByteArrayView text, qint64 line, Value &record, Problem &problem,
               FastJson::TextLayout *layout) const;

    /// Types a plain record for the model in place: the same result as applyModelTypes()
    /// (sets from arrays, binary from base64 where the model says so), without copying the
    /// record (the import's hot path; the record must not be shared for that to pay).
    static void typeRecord(const TableModel &model, Value &record);
    /// The same; `changed` receives the top-level members whose value the model typed.
    static void typeRecord(const TableModel &model, Value &record, QStringList *changed);

    const QString &fileName() const { return m_fileName; }
    TransferFormat format() const { return m_format; }
    qint64 bytesTotal() const { return m_bytesTotal; }
    /// CSV: the header row as the file has it (for reject files), and its columns.
    const QByteArray &csvHeader() const { return m_csvHeader; }
    const QStringList &csvColumns() const { return m_columns; }

private:
    RecordReader() = default;
    bool fill();
    /// Finds the end of the record starting at m_start; true with `end` (one past its text)
    /// and `next` (where the following record starts) when it is complete in the buffer.
    bool findEnd(qsizetype &end, qsizetype &next);
    /// Adds the record [m_start, end) to the chunk (blank ones are skipped) and moves on to `next`.
    void take(Chunk &chunk, qsizetype end, qsizetype next, QString error = {});
    void takeRest(Chunk &chunk);
    bool findArrayEnd(qsizetype &end, qsizetype &next);
    Result<bool> readCsvHeader();

    enum class ArrayState { BeforeArray, First, Element, Next, After };

    QString m_fileName;
    TransferFormat m_format = TransferFormat::JsonLines;
    TableModelPtr m_model;
    QFile m_file;
    qint64 m_bytesTotal = 0;
    qint64 m_bytesRead = 0;
    QByteArray m_buffer;
    qsizetype m_start = 0;  ///< start of the current record in m_buffer
    qsizetype m_pos = 0;    ///< how far the current record has been scanned
    qint64 m_line = 1;      ///< the line m_start is on
    qint64 m_scanLines = 0; ///< line breaks between m_start and m_pos
    bool m_eof = false;
    bool m_done = false;
    // CSV
    bool m_inQuotes = false;
    QByteArray m_csvHeader;
    QStringList m_columns;
    std::vector<const FieldSpec *> m_specs;
    std::vector<CsvCodec::CellKind> m_kinds;
    // JSON array
    ArrayState m_arrayState = ArrayState::BeforeArray;
    int m_depth = 0;
    bool m_inString = false;
    bool m_escape = false;
    QString m_arrayError; ///< set by findArrayEnd for a record that breaks the array
    bool m_emptyError = false;
};
