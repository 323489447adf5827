#include "model/transfer/exporter.h"

#include "model/json/fastjson.h"
#include "model/json/jsoncodec.h"
#include "model/transfer/csvcodec.h"

#include <QHash>
#include <QSaveFile>

#include <variant>

namespace {

constexpr qsizetype kFlushBytes = 1 << 20;

/// Buffered writes to a device; the first write error sticks.
class Output
{
public:
    explicit Output(QIODevice &device) : m_device(device)
    {
        m_buffer.reserve(kFlushBytes + (64 << 10));
    }

    QByteArray &buffer() { return m_buffer; }
    bool maybeFlush() { return m_buffer.size() < kFlushBytes || flush(); }
    bool flush()
    {
        if (!m_buffer.isEmpty() && m_error.isEmpty()) {
            if (m_device.write(m_buffer) != m_buffer.size())
                m_error = m_device.errorString();
        }
        m_buffer.clear();
        return m_error.isEmpty();
    }
    const QString &error() const { return m_error; }
    /// The error of a failed write: "cannot write the export: <why>".
    Error writeError() const
    {
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("cannot write the export: %1").arg(m_error));
    }

private:
    QIODevice &m_device;
    QByteArray m_buffer;
    QString m_error;
};

/// The columns of a CSV export.
class Columns
{
public:
    explicit Columns(const TableModel &model)
    {
        if (model.declaresFields()) {
            for (const auto &field : model.root().fields)
                add(field->name, field.get());
        } else {
            add(model.hashKey(), model.root().field(model.hashKey()));
        }
    }

    int add(const QString &name, const FieldSpec *spec)
    {
        const int index = int(m_names.size());
        m_names << name;
        m_kinds.push_back(CsvCodec::cellKind(spec));
        m_byName.insert(name, index);
        m_byLiteral.insert(FastJson::storedKeyLiteral(name), index);
        return index;
    }
    /// The column of a stored key literal, added when new.
    int ofLiteral(QByteArrayView literal)
    {
        const auto it = m_byLiteral.constFind(literal.toByteArray());
        if (it != m_byLiteral.cend())
            return it.value();
        const QString name = FastJson::storedKeyName(literal);
        if (const auto byName = m_byName.constFind(name); byName != m_byName.cend()) {
            m_byLiteral.insert(literal.toByteArray(), byName.value()); // another escaping
            return byName.value();
        }
        const int index = add(name, nullptr);
        m_byLiteral.insert(literal.toByteArray(), index);
        return index;
    }
    int ofName(const QString &name)
    {
        const auto it = m_byName.constFind(name);
        return it != m_byName.cend() ? it.value() : add(name, nullptr);
    }
    const QStringList &names() const { return m_names; }
    CsvCodec::CellKind kind(int i) const { return m_kinds[std::size_t(i)]; }
    int size() const { return int(m_names.size()); }

private:
    QStringList m_names;
    std::vector<CsvCodec::CellKind> m_kinds;
    QHash<QString, int> m_byName;
    QHash<QByteArray, int> m_byLiteral;
};

/// Writes records in one format, from stored JSON text or from Values.
class RecordWriter
{
public:
    RecordWriter(TransferFormat format, Output &out, Columns *columns)
        : m_format(format), m_out(out), m_columns(columns)
    {
    }

    void begin()
    {
        QByteArray &b = m_out.buffer();
        if (m_format == TransferFormat::JsonArray) {
            b += '[';
        } else if (m_format == TransferFormat::Csv) {
            for (int i = 0; i < m_columns->size(); ++i) {
                if (i)
                    b += ',';
                CsvCodec::appendCell(b, m_columns->names()[i].toUtf8());
            }
            b += '\n';
        }
    }

    void end()
    {
        if (m_format == TransferFormat::JsonArray)
            m_out.buffer() += m_first ? "]\n" : "\n]\n";
    }

    /// False when the text is not well-formed stored JSON (nothing is written then).
    bool stored(QByteArrayView text)
    {
        QByteArray &b = m_out.buffer();
        const qsizetype mark = b.size();
        bool ok = false;
        switch (m_format) {
        case TransferFormat::JsonLines:
            ok = FastJson::storedToPlain(text, b);
            b += '\n';
            break;
        case TransferFormat::JsonArray:
            b += m_first ? "\n" : ",\n";
            ok = FastJson::storedToPlain(text, b);
            break;
        case TransferFormat::DynamoDbJson:
            b += "{\"Item\":";
            ok = FastJson::storedToDynamoItem(text, b);
            b += "}\n";
            break;
        case TransferFormat::Csv:
            ok = storedRow(text);
            break;
        }
        if (!ok) {
            b.truncate(mark);
            return false;
        }
        m_first = false;
        return true;
    }

    void value(const Value &record)
    {
        QByteArray &b = m_out.buffer();
        switch (m_format) {
        case TransferFormat::JsonLines:
            FastJson::appendPlain(b, record);
            b += '\n';
            break;
        case TransferFormat::JsonArray:
            b += m_first ? "\n" : ",\n";
            FastJson::appendPlain(b, record);
            break;
        case TransferFormat::DynamoDbJson:
            b += "{\"Item\":";
            b += JsonCodec::toDynamoItem(record);
            b += "}\n";
            break;
        case TransferFormat::Csv:
            valueRow(record);
            break;
        }
        m_first = false;
    }

private:
    bool storedRow(QByteArrayView text)
    {
        m_cells.assign(std::size_t(m_columns->size()), QByteArrayView());
        const bool ok =
            FastJson::forEachStoredMember(text, [&](QByteArrayView key, QByteArrayView v) {
                const int column = m_columns->ofLiteral(key);
                if (std::size_t(column) >= m_cells.size())
                    m_cells.resize(std::size_t(column) + 1); // unreachable after the first pass
                m_cells[std::size_t(column)] = v;
                return true;
            });
        if (!ok)
            return false;
        QByteArray &b = m_out.buffer();
        for (std::size_t i = 0; i < m_cells.size(); ++i) {
            if (i)
                b += ',';
            if (!CsvCodec::appendStoredCell(b, m_cells[i], m_columns->kind(int(i))))
                return false;
        }
        b += '\n';
        return true;
    }

    void valueRow(const Value &record)
    {
        std::vector<const Value *> cells(std::size_t(m_columns->size()), nullptr);
        const Value::Map &m = record.toMap();
        for (auto it = m.cbegin(); it != m.cend(); ++it) {
            const int column = m_columns->ofName(it.key());
            if (std::size_t(column) >= cells.size())
                cells.resize(std::size_t(column) + 1, nullptr);
            cells[std::size_t(column)] = &it.value();
        }
        QByteArray &b = m_out.buffer();
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (i)
                b += ',';
            CsvCodec::appendValueCell(b, cells[i], m_columns->kind(int(i)));
        }
        b += '\n';
    }

    TransferFormat m_format;
    Output &m_out;
    Columns *m_columns;
    bool m_first = true;
    std::vector<QByteArrayView> m_cells;
};

/// Calls `stored(text)` or `value(record)` for each record of a scan, page by page, as the
/// store gives them. `stored` answers an empty string when it wrote the record, else why the
/// text cannot be read; such records, and those the store found unreadable itself, go to
/// `unreadable` (when given) and are not counted. Returns the number of records, or the
/// scan's error; `cancelled` is set when the options cancel it.
template <typename StoredFn, typename ValueFn>
Result<qint64> walk(RecordStore &store, const QString &table, ScanRequest request,
                    const ExportOptions &options, bool &cancelled, StoredFn &&stored,
                    ValueFn &&value, const std::function<void(qint64)> &pageDone,
                    const std::function<void(const UnreadableRecord &)> &unreadable)
{
    request.cursor.clear();
    request.limit = std::max(1, options.pageSize);
    request.storedJson = true;
    request.cancelled = options.cancelled;
    qint64 count = 0;
    do {
        if (options.cancelled && options.cancelled()) {
            cancelled = true;
            return count;
        }
        auto page = store.scan(table, request);
        if (!page) {
            if (options.cancelled && options.cancelled()) {
                cancelled = true;
                return count;
            }
            return page.error();
        }
        for (std::size_t i = 0; i < page->storedRecords.size(); ++i) {
            auto s = stored(page->storedRecords[i]);
            if (!s)
                return s.error();
            if (s->isEmpty()) {
                ++count;
            } else if (unreadable) {
                UnreadableRecord bad;
                bad.key = i < page->storedKeys.size() ? QString::fromUtf8(page->storedKeys[i])
                                                      : QString();
                bad.row = i < page->storedRows.size() ? page->storedRows[i] : -1;
                bad.reason = *s;
                unreadable(bad);
            }
        }
        if (unreadable) {
            for (const UnreadableRecord &bad : page->unreadable)
                unreadable(bad);
        }
        for (const Value &record : page->records) {
            if (auto s = value(record); !s)
                return s.error();
            ++count;
        }
        if (pageDone)
            pageDone(count);
        request.cursor = page->nextCursor;
    } while (!request.cursor.isEmpty());
    return count;
}

/// Whether stored text can be a record: the fast converters take any JSON value.
bool startsAnObject(const QByteArray &text)
{
    for (const char c : text) {
        if (c != ' ' && c != '\n' && c != '\t' && c != '\r')
            return c == '{';
    }
    return false;
}

/// Writes a record from its stored text: an empty string, or why the text cannot be read
/// (nothing is written then).
Result<QString> writeStoredRecord(RecordWriter &writer, const QByteArray &text)
{
    if (startsAnObject(text) && writer.stored(text))
        return QString();
    // Not what the fast path expects: the full parser decides (and names the problem).
    auto value = JsonCodec::readStoredRecord(text);
    if (auto *reason = std::get_if<QString>(&value))
        return *reason;
    writer.value(std::get<Value>(value));
    return QString();
}

} // namespace

Exporter::Exporter(RecordStore &store, QString table) : m_store(store), m_table(std::move(table)) {}

Result<ExportReport> Exporter::exportScan(const ScanRequest &request, QIODevice &device,
                                          const ExportOptions &options)
{
    auto model = m_store.model(m_table);
    if (!model)
        return model.error();
    ExportReport report;
    Output out(device);
    TransferProgress progress;
    progress.bytesTotal = -1;
    if (request.conditions.empty() && request.text.isEmpty() && m_store.capabilities().exactCount) {
        auto n = m_store.count(m_table);
        if (n)
            progress.bytesTotal = *n;
    }

    std::unique_ptr<Columns> columns;
    if (options.format == TransferFormat::Csv) {
        // First pass: the attributes the model does not declare, in the order they appear.
        columns = std::make_unique<Columns>(**model);
        auto first = walk(
            m_store, m_table, request, options, report.cancelled,
            [&](const QByteArray &text) -> Result<QString> {
                const bool ok =
                    startsAnObject(text) &&
                    FastJson::forEachStoredMember(text, [&](QByteArrayView key, QByteArrayView) {
                        columns->ofLiteral(key);
                        return true;
                    });
                if (ok)
                    return QString();
                auto parsed = JsonCodec::readStoredRecord(text);
                if (auto *reason = std::get_if<QString>(&parsed))
                    return *reason; // skipped; the second pass names it
                const Value::Map &m = std::get<Value>(parsed).toMap();
                for (auto it = m.cbegin(); it != m.cend(); ++it)
                    columns->ofName(it.key());
                return QString();
            },
            [&](const Value &value) -> Status {
                for (auto it = value.toMap().cbegin(); it != value.toMap().cend(); ++it)
                    columns->ofName(it.key());
                return okStatus();
            },
            {}, {});
        if (!first)
            return first.error();
        if (report.cancelled)
            return report;
        progress.bytesTotal = *first;
        report.columns = columns->names();
    }

    RecordWriter writer(options.format, out, columns.get());
    writer.begin();
    auto written = walk(
        m_store, m_table, request, options, report.cancelled,
        [&](const QByteArray &text) -> Result<QString> {
            auto s = writeStoredRecord(writer, text);
            if (!s->isEmpty())
                return s;
            if (!out.maybeFlush())
                return out.writeError();
            return QString();
        },
        [&](const Value &value) -> Status {
            writer.value(value);
            if (!out.maybeFlush())
                return out.writeError();
            return okStatus();
        },
        [&](qint64 done) {
            progress.records = done;
            if (options.progress)
                options.progress(progress);
        },
        [&](const UnreadableRecord &bad) {
            ++report.unreadable;
            if (report.unreadableRecords.size() < ExportReport::kMaxNamed)
                report.unreadableRecords.push_back(bad);
            if (options.unreadable)
                options.unreadable(bad);
        });
    if (!written)
        return written.error();
    report.records = *written;
    if (report.cancelled)
        return report;
    writer.end();
    if (!out.flush())
        return out.writeError();
    return report;
}

Result<ExportReport> Exporter::exportRecords(const std::vector<Value> &records, QIODevice &device,
                                             const ExportOptions &options)
{
    auto model = m_store.model(m_table);
    if (!model)
        return model.error();
    ExportReport report;
    Output out(device);
    std::unique_ptr<Columns> columns;
    if (options.format == TransferFormat::Csv) {
        columns = std::make_unique<Columns>(**model);
        for (const Value &record : records) {
            for (auto it = record.toMap().cbegin(); it != record.toMap().cend(); ++it)
                columns->ofName(it.key());
        }
        report.columns = columns->names();
    }
    RecordWriter writer(options.format, out, columns.get());
    writer.begin();
    TransferProgress progress;
    progress.bytesTotal = qint64(records.size());
    for (const Value &record : records) {
        if (options.cancelled && options.cancelled()) {
            report.cancelled = true;
            return report;
        }
        if (!record.isMap())
            return makeError(ErrorKind::Invalid,
                             QStringLiteral("a record must be a map of attributes, not %1")
                                 .arg(record.typeDescription()));
        writer.value(record);
        ++report.records;
        if (!out.maybeFlush())
            return out.writeError();
        if (options.progress && report.records % 1000 == 0) {
            progress.records = report.records;
            options.progress(progress);
        }
    }
    writer.end();
    if (!out.flush())
        return out.writeError();
    if (options.progress) {
        progress.records = report.records;
        options.progress(progress);
    }
    return report;
}

namespace {

template <typename Fn> Result<ExportReport> toFile(const QString &path, Fn &&write)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("cannot write %1: %2").arg(path, file.errorString()), path);
    Result<ExportReport> report = write(static_cast<QIODevice &>(file));
    if (!report || report->cancelled) {
        file.cancelWriting();
        return report;
    }
    if (!file.commit())
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("cannot write %1: %2").arg(path, file.errorString()), path);
    return report;
}

} // namespace

Result<ExportReport> Exporter::exportScan(const ScanRequest &request, const QString &path,
                                          const ExportOptions &options)
{
    return toFile(path, [&](QIODevice &device) { return exportScan(request, device, options); });
}

Result<ExportReport> Exporter::exportRecords(const std::vector<Value> &records, const QString &path,
                                             const ExportOptions &options)
{
    return toFile(path, [&](QIODevice &device) { return exportRecords(records, device, options); });
}
