#include "model/transfer/recordreader.h"

#include "model/json/fastjson.h"
#include "model/json/jsoncodec.h"
#include "model/schema/validator.h"

#include <QSet>

#include <algorithm>
#include <cstring>
#include <optional>

namespace {

constexpr qsizetype kReadBlock = 1 << 20;

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool isBlank(QByteArrayView text)
{
    for (char c : text) {
        if (!isSpace(c))
            return false;
    }
    return true;
}

QString quoted(const QString &s)
{
    return u'"' + s + u'"';
}

/// "line L, column C" of a byte offset in a record that starts on `line`.
void placeOf(QByteArrayView text, qsizetype offset, qint64 line, qint64 &outLine, qsizetype &column)
{
    outLine = line;
    qsizetype lineStart = 0;
    const qsizetype end = std::min(offset, text.size());
    for (qsizetype i = 0; i < end; ++i) {
        if (text[i] == '\n') {
            ++outLine;
            lineStart = i + 1;
        }
    }
    column = offset - lineStart + 1;
}

} // namespace

void RecordReader::typeRecord(const TableModel &model, Value &record)
{
    typeRecord(model, record, nullptr);
}

void RecordReader::typeRecord(const TableModel &model, Value &record, QStringList *changed)
{
    applyModelTypesInPlace(model, record, changed);
}

Result<std::unique_ptr<RecordReader>> RecordReader::open(const QString &path, TransferFormat format,
                                                         TableModelPtr model)
{
    std::unique_ptr<RecordReader> reader(new RecordReader);
    reader->m_fileName = path;
    reader->m_format = format;
    reader->m_model = std::move(model);
    reader->m_file.setFileName(path);
    if (!reader->m_file.exists())
        return makeError(ErrorKind::NotFound, QStringLiteral("the file does not exist"), path);
    if (!reader->m_file.open(QIODevice::ReadOnly))
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral("cannot read the file: %1").arg(reader->m_file.errorString()), path);
    reader->m_bytesTotal = reader->m_file.size();
    if (format == TransferFormat::Csv) {
        auto header = reader->readCsvHeader();
        if (!header)
            return header.error();
    }
    return reader;
}

bool RecordReader::fill()
{
    if (m_start > 0) {
        m_buffer.remove(0, m_start);
        m_pos -= m_start;
        m_start = 0;
    }
    const qsizetype old = m_buffer.size();
    m_buffer.resize(old + kReadBlock);
    const qint64 n = m_file.read(m_buffer.data() + old, kReadBlock);
    if (n < 0) {
        m_buffer.resize(old);
        return false;
    }
    m_buffer.resize(old + qsizetype(n));
    if (m_bytesRead == 0 && m_buffer.startsWith("\xEF\xBB\xBF")) {
        m_buffer.remove(0, 3); // a UTF-8 byte order mark
        m_pos = std::max<qsizetype>(0, m_pos - 3);
    }
    m_bytesRead += n;
    if (n == 0)
        m_eof = true;
    return true;
}

bool RecordReader::findEnd(qsizetype &end, qsizetype &next)
{
    const char *data = m_buffer.constData();
    const qsizetype size = m_buffer.size();
    switch (m_format) {
    case TransferFormat::JsonLines:
    case TransferFormat::DynamoDbJson: {
        const void *nl =
            m_pos < size ? std::memchr(data + m_pos, '\n', std::size_t(size - m_pos)) : nullptr;
        if (!nl) {
            m_pos = size;
            return false;
        }
        const qsizetype at = static_cast<const char *>(nl) - data;
        next = at + 1;
        end = (at > m_start && data[at - 1] == '\r') ? at - 1 : at;
        m_scanLines = 1;
        return true;
    }
    case TransferFormat::Csv: {
        for (qsizetype i = m_pos; i < size; ++i) {
            const char c = data[i];
            if (c == '"') {
                m_inQuotes = !m_inQuotes;
            } else if (c == '\n') {
                ++m_scanLines;
                if (!m_inQuotes) {
                    next = i + 1;
                    end = (i > m_start && data[i - 1] == '\r') ? i - 1 : i;
                    return true;
                }
            }
        }
        m_pos = size;
        return false;
    }
    case TransferFormat::JsonArray:
        return findArrayEnd(end, next);
    }
    return false;
}

bool RecordReader::findArrayEnd(qsizetype &end, qsizetype &next)
{
    const char *data = m_buffer.constData();
    const qsizetype size = m_buffer.size();
    qsizetype i = m_pos;
    // Separators before an element are consumed here, so that m_start and m_line name the
    // element's first byte.
    auto skipSpace = [&] {
        while (i < size && isSpace(data[i])) {
            if (data[i] == '\n')
                ++m_line;
            ++i;
        }
        m_start = m_pos = i;
    };
    for (;;) {
        switch (m_arrayState) {
        case ArrayState::BeforeArray:
        case ArrayState::After:
        case ArrayState::First:
        case ArrayState::Next: {
            skipSpace();
            if (i >= size)
                return false;
            const char c = data[i];
            if (m_arrayState == ArrayState::BeforeArray) {
                if (c != '[') {
                    end = size;
                    next = size;
                    m_arrayError = QStringLiteral("a JSON array file must start with '['");
                    return true;
                }
                ++i;
                m_start = m_pos = i;
                m_arrayState = ArrayState::First;
                continue;
            }
            if (m_arrayState == ArrayState::After) {
                end = size;
                next = size;
                m_arrayError = QStringLiteral("text follows the closing ']' of the array");
                return true;
            }
            if (c == ']') {
                ++i;
                m_start = m_pos = i;
                if (m_arrayState == ArrayState::Next) {
                    m_arrayState = ArrayState::After;
                    end = m_start;
                    next = m_start;
                    m_arrayError = QStringLiteral("a comma before ']' leaves an empty element");
                    m_emptyError = true;
                    return true;
                }
                m_arrayState = ArrayState::After;
                continue;
            }
            m_arrayState = ArrayState::Element;
            m_depth = 0;
            m_inString = false;
            m_escape = false;
            m_scanLines = 0;
            continue;
        }
        case ArrayState::Element: {
            for (; i < size; ++i) {
                const char c = data[i];
                if (c == '\n')
                    ++m_scanLines;
                if (m_inString) {
                    if (m_escape)
                        m_escape = false;
                    else if (c == '\\')
                        m_escape = true;
                    else if (c == '"')
                        m_inString = false;
                    continue;
                }
                if (c == '"') {
                    m_inString = true;
                } else if (c == '{' || c == '[') {
                    ++m_depth;
                } else if (c == '}' || c == ']') {
                    if (m_depth <= 0 && c == ']') {
                        m_arrayState = ArrayState::After;
                        break;
                    }
                    --m_depth;
                } else if (c == ',' && m_depth <= 0) {
                    m_arrayState = ArrayState::Next;
                    break;
                }
            }
            if (i >= size) {
                m_pos = size;
                return false;
            }
            // Element text without the trailing spaces; the separator is consumed.
            qsizetype e = i;
            while (e > m_start && isSpace(data[e - 1]))
                --e;
            end = e;
            next = i + 1;
            return true;
        }
        }
    }
}

void RecordReader::take(Chunk &chunk, qsizetype end, qsizetype next, QString error)
{
    const QByteArrayView text = QByteArrayView(m_buffer).sliced(m_start, end - m_start);
    if (!error.isEmpty() || !isBlank(text)) {
        Record r;
        r.line = m_line;
        r.offset = chunk.data.size();
        r.size = text.size();
        r.error = std::move(error);
        chunk.data.append(text);
        chunk.records.push_back(std::move(r));
    }
    if (m_format == TransferFormat::JsonArray) {
        // Lines inside the element; the separator's own line break (if any) was counted too.
        m_line += m_scanLines;
    } else {
        m_line += m_scanLines;
    }
    m_scanLines = 0;
    m_start = m_pos = next;
    m_inQuotes = false;
}

void RecordReader::takeRest(Chunk &chunk)
{
    const qsizetype size = m_buffer.size();
    switch (m_format) {
    case TransferFormat::JsonLines:
    case TransferFormat::DynamoDbJson: {
        qsizetype end = size;
        if (end > m_start && m_buffer[end - 1] == '\r')
            --end;
        m_scanLines = 0;
        take(chunk, end, size);
        break;
    }
    case TransferFormat::Csv:
        take(chunk, size, size,
             m_inQuotes ? QStringLiteral("the file ends inside a quoted cell (is it truncated?)")
                        : QString());
        break;
    case TransferFormat::JsonArray:
        switch (m_arrayState) {
        case ArrayState::After:
            break;
        case ArrayState::BeforeArray:
            take(chunk, size, size,
                 QStringLiteral(
                     "the file holds no JSON array; a JSON array file holds [ {...}, ... ]"));
            break;
        default:
            take(
                chunk, size, size,
                QStringLiteral("the file ends before the JSON array is closed (is it truncated?)"));
            break;
        }
        break;
    }
}

Result<bool> RecordReader::readChunk(Chunk &chunk, qsizetype targetBytes)
{
    chunk.data.clear();
    chunk.records.clear();
    while (!m_done && chunk.data.size() < targetBytes) {
        qsizetype end = 0;
        qsizetype next = 0;
        if (findEnd(end, next)) {
            QString error = std::exchange(m_arrayError, QString());
            if (!error.isEmpty() && !m_emptyError) {
                // The rest of the file cannot be split into records: what is buffered becomes
                // one broken record, and reading stops.
                take(chunk, m_buffer.size(), m_buffer.size(), error);
                m_done = true;
                break;
            }
            m_emptyError = false;
            take(chunk, end, next, std::move(error));
            continue;
        }
        if (!m_eof) {
            if (!fill())
                return makeError(
                    ErrorKind::Invalid,
                    QStringLiteral("cannot read the file: %1").arg(m_file.errorString()),
                    m_fileName);
            continue;
        }
        takeRest(chunk);
        m_done = true;
    }
    chunk.bytesDone = m_bytesRead - (m_buffer.size() - m_start);
    return !chunk.records.empty();
}

Result<bool> RecordReader::readCsvHeader()
{
    // The header alone: read until the first record is complete.
    qsizetype end = 0;
    qsizetype next = 0;
    bool complete = false;
    for (;;) {
        if (findEnd(end, next)) {
            complete = true;
            break;
        }
        if (m_eof)
            break;
        if (!fill())
            return makeError(ErrorKind::Invalid,
                             QStringLiteral("cannot read the file: %1").arg(m_file.errorString()),
                             m_fileName);
    }
    if (!complete) {
        if (m_inQuotes)
            return makeError(ErrorKind::Invalid,
                             QStringLiteral("the header row has a quoted cell that is not closed"),
                             m_fileName + QStringLiteral(":1"));
        next = end = m_buffer.size();
        if (end > m_start && m_buffer[end - 1] == '\r')
            --end;
    }
    const QByteArrayView header = QByteArrayView(m_buffer).sliced(m_start, end - m_start);
    const QString where = m_fileName + QStringLiteral(":1");
    if (isBlank(header))
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral("the CSV file has no header row; its first row names the columns"),
            where);
    std::vector<CsvCodec::Cell> cells;
    QString error;
    if (!CsvCodec::splitRecord(header, cells, error))
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("the header row cannot be read: %1").arg(error), where);
    m_csvHeader = header.toByteArray();
    QSet<QString> seen;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        const QString name = QString::fromUtf8(cells[i].text);
        if (name.isEmpty())
            return makeError(ErrorKind::Invalid,
                             QStringLiteral("column %1 of the header has no name").arg(i + 1),
                             where);
        if (seen.contains(name))
            return makeError(
                ErrorKind::Invalid,
                QStringLiteral("the header names the column %1 twice").arg(quoted(name)), where);
        seen.insert(name);
        m_columns << name;
        const FieldSpec *spec = m_model ? m_model->root().field(name) : nullptr;
        m_specs.push_back(spec);
        m_kinds.push_back(m_model ? CsvCodec::cellKind(spec) : CsvCodec::CellKind::Json);
    }
    if (m_model) {
        if (!seen.contains(m_model->hashKey()))
            return makeError(
                ErrorKind::Invalid,
                QStringLiteral("the header has no column for the hash key %1 (it has %2)")
                    .arg(quoted(m_model->hashKey()), m_columns.join(QStringLiteral(", "))),
                where);
        QStringList missing;
        if (m_model->declaresFields()) {
            for (const auto &field : m_model->root().fields) {
                if (field->required && !seen.contains(field->name))
                    missing << quoted(field->name);
            }
        }
        if (!missing.isEmpty())
            return makeError(ErrorKind::Invalid,
                             QStringLiteral("the header has no column for the required field%1 %2")
                                 .arg(missing.size() > 1 ? QStringLiteral("s") : QString(),
                                      missing.join(QStringLiteral(", "))),
                             where);
    }
    m_line = 1 + std::max<qint64>(m_scanLines, 1);
    m_scanLines = 0;
    m_start = m_pos = next;
    m_inQuotes = false;
    if (next >= m_buffer.size() && m_eof)
        m_done = true;
    return true;
}

bool RecordReader::parse(QByteArrayView text, qint64 line, Value &record, Problem &problem) const
{
    return parse(text, line, record, problem, nullptr);
}

bool RecordReader::parse(QByteArrayView text, qint64 line, Value &record, Problem &problem,
                         FastJson::TextLayout *layout) const
{
    if (layout)
        layout->storedForm = false; // unless plain JSON says otherwise below
    problem = Problem{line, {}, {}};
    auto jsonFailure = [&](const QString &reason, qsizetype offset) {
        qsizetype column = 0;
        placeOf(text, offset, line, problem.line, column);
        problem.message = QStringLiteral("malformed JSON at column %1: %2").arg(column).arg(reason);
        return false;
    };
    switch (m_format) {
    case TransferFormat::JsonLines:
    case TransferFormat::JsonArray: {
        QString reason;
        qsizetype offset = 0;
        QString refusedPath;
        if (!FastJson::parsePlain(text, record, reason, offset, layout, &refusedPath)) {
            if (refusedPath.isEmpty())
                return jsonFailure(reason, offset);
            // Well-formed JSON with a value no store can keep: the field is named, as a
            // validation problem is.
            qsizetype column = 0;
            placeOf(text, offset, line, problem.line, column);
            problem.path = refusedPath;
            problem.message = reason;
            return false;
        }
        if (!record.isMap()) {
            problem.message = QStringLiteral("a record must be a JSON object, not %1")
                                  .arg(record.typeDescription());
            return false;
        }
        return true;
    }
    case TransferFormat::DynamoDbJson: {
        Value tree;
        QString reason;
        qsizetype offset = 0;
        if (!FastJson::parsePlain(text, tree, reason, offset))
            return jsonFailure(reason, offset);
        const Value *item =
            tree.isMap() && tree.size() == 1 ? tree.find(QStringLiteral("Item")) : nullptr;
        if (!item || !item->isMap()) {
            problem.message = QStringLiteral(
                "a DynamoDB JSON line must be {\"Item\": {\"attribute\": {\"S\": \"...\"}, ...}}");
            return false;
        }
        auto converted = JsonCodec::fromDynamoItemTree(*item);
        if (!converted) {
            problem.path = converted.error().location;
            problem.message = converted.error().message;
            return false;
        }
        record = std::move(*converted);
        return true;
    }
    case TransferFormat::Csv: {
        std::vector<CsvCodec::Cell> cells;
        QString error;
        if (!CsvCodec::splitRecord(text, cells, error)) {
            problem.message = error;
            return false;
        }
        const std::size_t columns = std::size_t(m_columns.size());
        if (cells.size() != columns) {
            if (cells.size() < columns) {
                QStringList missing;
                for (std::size_t i = cells.size(); i < columns; ++i)
                    missing << quoted(m_columns[qsizetype(i)]);
                problem.message =
                    QStringLiteral(
                        "the row has %1 cells but the header has %2 columns: %3 %4 missing")
                        .arg(cells.size())
                        .arg(columns)
                        .arg(missing.join(QStringLiteral(", ")),
                             missing.size() > 1 ? QStringLiteral("are") : QStringLiteral("is"));
            } else {
                problem.message =
                    QStringLiteral("the row has %1 cells but the header has %2 columns")
                        .arg(cells.size())
                        .arg(columns);
            }
            return false;
        }
        Value::Map map;
        for (std::size_t i = 0; i < columns; ++i) {
            auto value = CsvCodec::readCell(cells[i], m_kinds[i], m_specs[i]);
            if (!value) {
                problem.path = m_columns[qsizetype(i)];
                problem.message = value.error().message;
                return false;
            }
            if (value->has_value())
                map.insert(m_columns[qsizetype(i)], std::move(**value));
        }
        record = Value::map(std::move(map));
        return true;
    }
    }
    return false;
}
