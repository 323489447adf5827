#include "model/transfer/csvcodec.h"

#include "model/json/fastjson.h"

namespace CsvCodec {
namespace {

bool needsQuotes(QByteArrayView text)
{
    for (char c : text) {
        if (c == ',' || c == '"' || c == '\n' || c == '\r')
            return true;
    }
    return false;
}

QByteArray plainJson(const Value &value)
{
    QByteArray out;
    FastJson::appendPlain(out, value);
    return out;
}

} // namespace

CellKind cellKind(const FieldSpec *spec)
{
    if (!spec || spec->types.size() != 1)
        return CellKind::Json;
    switch (spec->types.front().kind) {
    case FieldKind::Str:
        return CellKind::Text;
    case FieldKind::Int:
    case FieldKind::Float:
    case FieldKind::Decimal:
        return CellKind::Number;
    case FieldKind::Bool:
        return CellKind::Bool;
    case FieldKind::Bytes:
        return CellKind::Bytes;
    default:
        return CellKind::Json;
    }
}

bool splitRecord(QByteArrayView row, std::vector<Cell> &cells, QString &error)
{
    cells.clear();
    const qsizetype n = row.size();
    qsizetype i = 0;
    for (;;) {
        Cell cell;
        if (i < n && row[i] == '"') {
            cell.quoted = true;
            ++i;
            bool closed = false;
            while (i < n) {
                const qsizetype quote = row.sliced(i).indexOf('"');
                if (quote < 0) {
                    i = n;
                    break;
                }
                cell.text.append(row.sliced(i, quote));
                i += quote + 1;
                if (i < n && row[i] == '"') {
                    cell.text.append('"');
                    ++i;
                    continue;
                }
                closed = true;
                break;
            }
            if (!closed) {
                error =
                    QStringLiteral("a quoted cell (cell %1) is not closed").arg(cells.size() + 1);
                return false;
            }
            if (i < n && row[i] != ',') {
                error = QStringLiteral("text follows the closing quote of cell %1")
                            .arg(cells.size() + 1);
                return false;
            }
        } else {
            const qsizetype comma = row.sliced(i).indexOf(',');
            const qsizetype end = comma < 0 ? n : i + comma;
            cell.text = row.sliced(i, end - i).toByteArray();
            i = end;
        }
        cells.push_back(std::move(cell));
        if (i >= n)
            return true;
        ++i; // the comma; a comma at the very end leaves one more, empty, cell
        if (i == n) {
            cells.push_back(Cell{});
            return true;
        }
    }
}

void appendCell(QByteArray &out, QByteArrayView text, bool quote)
{
    if (!quote && !needsQuotes(text)) {
        out.append(text);
        return;
    }
    out.append('"');
    qsizetype from = 0;
    for (;;) {
        const qsizetype q = text.sliced(from).indexOf('"');
        if (q < 0) {
            out.append(text.sliced(from));
            break;
        }
        out.append(text.sliced(from, q + 1));
        out.append('"');
        from += q + 1;
    }
    out.append('"');
}

Result<std::optional<Value>> readCell(const Cell &cell, CellKind kind, const FieldSpec *spec)
{
    using Cell = std::optional<Value>;
    if (!cell.quoted && cell.text.isEmpty())
        return Cell();
    if (!cell.quoted && cell.text == "null")
        return Cell(Value());
    const QString text = QString::fromUtf8(cell.text);
    switch (kind) {
    case CellKind::Text:
        return Cell(Value::string(text));
    case CellKind::Number: {
        // Not a number: kept as text, so the validator names the field and the type.
        if (checkNumber(text).isEmpty())
            return Cell(Value::numberUnchecked(text));
        return Cell(Value::string(text));
    }
    case CellKind::Bool:
        if (cell.text == "true")
            return Cell(Value::boolean(true));
        if (cell.text == "false")
            return Cell(Value::boolean(false));
        return Cell(Value::string(text));
    case CellKind::Bytes: {
        auto decoded = decodeBase64(QByteArrayView(cell.text));
        if (decoded)
            return Cell(Value::binary(std::move(*decoded)));
        return Cell(Value::string(text));
    }
    case CellKind::Json: {
        auto parsed = FastJson::parsePlain(cell.text);
        if (parsed)
            return Cell(std::move(*parsed));
        if (!spec || spec->accepts(FieldKind::Str) || spec->isAny())
            return Cell(Value::string(text));
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("the cell holds no JSON (%1), and this field takes %2")
                             .arg(parsed.error().toString(), spec->typeDescription()));
    }
    }
    return Cell();
}

void appendValueCell(QByteArray &out, const Value *value, CellKind kind)
{
    if (!value)
        return;
    if (value->isNull()) {
        out.append("null");
        return;
    }
    switch (kind) {
    case CellKind::Text:
        if (value->isString()) {
            const QByteArray utf8 = value->text().toUtf8();
            appendCell(out, utf8, utf8.isEmpty() || utf8 == "null");
            return;
        }
        break;
    case CellKind::Number:
        if (value->isNumber()) {
            out.append(value->text().toLatin1());
            return;
        }
        break;
    case CellKind::Bool:
        if (value->type() == Value::Type::Bool) {
            out.append(value->toBool() ? "true" : "false");
            return;
        }
        break;
    case CellKind::Bytes:
        if (value->type() == Value::Type::Binary) {
            const QByteArray base64 = value->bytes().toBase64();
            appendCell(out, base64, base64.isEmpty());
            return;
        }
        break;
    case CellKind::Json:
        break;
    }
    appendCell(out, plainJson(*value));
}

bool appendStoredCell(QByteArray &out, QByteArrayView stored, CellKind kind)
{
    if (stored.isEmpty())
        return true;
    const FastJson::StoredKind stype = FastJson::storedKind(stored);
    if (stype == FastJson::StoredKind::Invalid)
        return false;
    if (stype == FastJson::StoredKind::Null) {
        out.append("null");
        return true;
    }
    QByteArray text;
    switch (kind) {
    case CellKind::Text:
        if (stype == FastJson::StoredKind::String) {
            if (!FastJson::unescapeString(stored.trimmed(), text))
                return false;
            appendCell(out, text, text.isEmpty() || text == "null");
            return true;
        }
        break;
    case CellKind::Number:
    case CellKind::Bool:
        if ((kind == CellKind::Number && stype == FastJson::StoredKind::Number) ||
            (kind == CellKind::Bool && stype == FastJson::StoredKind::Bool)) {
            out.append(stored.trimmed());
            return true;
        }
        break;
    case CellKind::Bytes:
        if (stype == FastJson::StoredKind::Binary) {
            if (!FastJson::storedBinaryText(stored, text))
                return false;
            appendCell(out, text, text.isEmpty());
            return true;
        }
        break;
    case CellKind::Json:
        break;
    }
    if (!FastJson::storedToPlain(stored, text))
        return false;
    appendCell(out, text);
    return true;
}

} // namespace CsvCodec
