// FastJson: values written as plain or stored JSON (appendPlain, appendStored, appendString).

#include "model/json/fastjson.h"
#include "model/json/fastjsonwriter.h"

#include "model/json/jsoncodec.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

namespace FastJson {
namespace {

using detail::Writer;

/// ASCII characters that JSON strings escape.
constexpr bool needsEscape(char16_t c)
{
    return c < 0x20 || c == u'"' || c == u'\\';
}

void writeString(Writer &w, QStringView text)
{
    // Worst case: every UTF-16 unit becomes 6 bytes (\u00XX), plus the quotes.
    w.reserve(text.size() * 6 + 2);
    char *p = w.at();
    char *const start = p;
    *p++ = '"';
    const char16_t *s = text.utf16();
    const char16_t *const end = s + text.size();
    static const char hex[] = "0123456789abcdef";
    while (s < end) {
        // Runs of plain ASCII, the common case, without the switch below.
        while (s < end && *s < 0x80 && !needsEscape(*s))
            *p++ = char(*s++);
        if (s >= end)
            break;
        const char16_t c = *s++;
        if (c < 0x80) {
            *p++ = '\\';
            switch (c) {
            case u'"':
                *p++ = '"';
                break;
            case u'\\':
                *p++ = '\\';
                break;
            case u'\n':
                *p++ = 'n';
                break;
            case u'\r':
                *p++ = 'r';
                break;
            case u'\t':
                *p++ = 't';
                break;
            case u'\b':
                *p++ = 'b';
                break;
            case u'\f':
                *p++ = 'f';
                break;
            default:
                *p++ = 'u';
                *p++ = '0';
                *p++ = '0';
                *p++ = hex[c >> 4];
                *p++ = hex[c & 15];
            }
        } else if (c < 0x800) {
            *p++ = char(0xC0 | (c >> 6));
            *p++ = char(0x80 | (c & 0x3F));
        } else if (c >= 0xD800 && c <= 0xDBFF && s < end && *s >= 0xDC00 && *s <= 0xDFFF) {
            const char32_t u = 0x10000 + ((char32_t(c) - 0xD800) << 10) + (char32_t(*s++) - 0xDC00);
            *p++ = char(0xF0 | (u >> 18));
            *p++ = char(0x80 | ((u >> 12) & 0x3F));
            *p++ = char(0x80 | ((u >> 6) & 0x3F));
            *p++ = char(0x80 | (u & 0x3F));
        } else if (c >= 0xD800 && c <= 0xDFFF) {
            // A lone surrogate has no UTF-8 form; QString::toUtf8 writes U+FFFD too.
            *p++ = char(0xEF);
            *p++ = char(0xBF);
            *p++ = char(0xBD);
        } else {
            *p++ = char(0xE0 | (c >> 12));
            *p++ = char(0x80 | ((c >> 6) & 0x3F));
            *p++ = char(0x80 | (c & 0x3F));
        }
    }
    *p++ = '"';
    w.advance(p - start);
}

void writeLatin1(Writer &w, QStringView text)
{
    w.reserve(text.size());
    char *p = w.at();
    for (QChar c : text)
        *p++ = char(c.unicode());
    w.advance(text.size());
}

void writeNumber(Writer &w, const QString &text)
{
    if (isJsonNumberText(text))
        writeLatin1(w, text);
    else
        writeLatin1(w, canonicalNumber(text));
}

void writeBase64(Writer &w, const QByteArray &bytes)
{
    w.put('"');
    w.put(bytes.toBase64());
    w.put('"');
}

template <bool Stored> void writeValue(Writer &w, const Value &value)
{
    switch (value.type()) {
    case Value::Type::Null:
        w.lit("null");
        break;
    case Value::Type::Bool:
        if (value.toBool())
            w.lit("true");
        else
            w.lit("false");
        break;
    case Value::Type::Number:
        writeNumber(w, value.text());
        break;
    case Value::Type::String:
        writeString(w, value.text());
        break;
    case Value::Type::Binary:
        if (Stored)
            w.lit("{\"$B\":");
        writeBase64(w, value.bytes());
        if (Stored)
            w.put('}');
        break;
    case Value::Type::Map: {
        w.put('{');
        bool first = true;
        const Value::Map &m = value.toMap();
        for (auto it = m.cbegin(); it != m.cend(); ++it) {
            if (!first)
                w.put(',');
            first = false;
            if (Stored && it.key().startsWith(u'$'))
                writeString(w, QString(u'$' + it.key()));
            else
                writeString(w, it.key());
            w.put(':');
            writeValue<Stored>(w, it.value());
        }
        w.put('}');
        break;
    }
    case Value::Type::List: {
        w.put('[');
        bool first = true;
        for (const Value &item : value.toList()) {
            if (!first)
                w.put(',');
            first = false;
            writeValue<Stored>(w, item);
        }
        w.put(']');
        break;
    }
    case Value::Type::StringSet:
    case Value::Type::NumberSet: {
        const bool numbers = value.type() == Value::Type::NumberSet;
        if (Stored) {
            if (numbers)
                w.lit("{\"$NS\":");
            else
                w.lit("{\"$SS\":");
        }
        w.put('[');
        bool first = true;
        for (const QString &item : value.textItems()) {
            if (!first)
                w.put(',');
            first = false;
            if (numbers)
                writeNumber(w, item);
            else
                writeString(w, item);
        }
        w.put(']');
        if (Stored)
            w.put('}');
        break;
    }
    case Value::Type::BinarySet: {
        if (Stored)
            w.lit("{\"$BS\":");
        w.put('[');
        bool first = true;
        for (const QByteArray &item : value.binaryItems()) {
            if (!first)
                w.put(',');
            first = false;
            writeBase64(w, item);
        }
        w.put(']');
        if (Stored)
            w.put('}');
        break;
    }
    }
}

} // namespace

void appendPlain(QByteArray &out, const Value &value)
{
    Writer w(out);
    writeValue<false>(w, value);
}

void appendStored(QByteArray &out, const Value &value)
{
    Writer w(out);
    writeValue<true>(w, value);
}

void appendString(QByteArray &out, QStringView text)
{
    Writer w(out);
    writeString(w, text);
}

} // namespace FastJson
