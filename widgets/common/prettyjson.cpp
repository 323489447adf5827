#include "widgets/common/prettyjson.h"

#include "model/json/jsoncodec.h"

namespace {

void append(QByteArray &out, const Value &value, int indent, int level)
{
    const QByteArray pad(indent * (level + 1), ' ');
    const QByteArray closePad(indent * level, ' ');
    if (value.isMap() && value.size() > 0) {
        out += "{\n";
        const Value::Map &m = value.toMap();
        for (auto it = m.cbegin(); it != m.cend(); ++it) {
            out += pad;
            JsonCodec::appendJsonString(out, it.key());
            out += ": ";
            append(out, it.value(), indent, level + 1);
            if (std::next(it) != m.cend())
                out += ',';
            out += '\n';
        }
        out += closePad;
        out += '}';
    } else if (value.isList() && value.size() > 0) {
        out += "[\n";
        const Value::List &l = value.toList();
        for (qsizetype i = 0; i < l.size(); ++i) {
            out += pad;
            append(out, l[i], indent, level + 1);
            if (i + 1 < l.size())
                out += ',';
            out += '\n';
        }
        out += closePad;
        out += ']';
    } else {
        // Scalars, sets (short arrays of scalars) and empty containers stay on one line.
        JsonCodec::appendPlain(out, value);
    }
}

} // namespace

QByteArray prettyJson(const Value &value, int indent)
{
    QByteArray out;
    append(out, value, indent, 0);
    return out;
}
