#include "model/core/value.h"

#include "model/core/names.h"

#include <QSet>

#include <algorithm>

namespace {

const QString kEmptyString;
const QByteArray kEmptyBytes;
const Value::Map kEmptyMap;
const Value::List kEmptyList;
const QStringList kEmptyStringList;
const QList<QByteArray> kEmptyBinaryList;

/// A number split into sign, significant digits (no leading or trailing zeros) and exponent:
/// value = digits x 10^exponent. Zero has no digits.
struct DecimalParts
{
    bool negative = false;
    QString digits;
    int exponent = 0;
    /// The exponent of the most significant digit.
    int adjusted() const { return exponent + int(digits.size()) - 1; }
};

bool isDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

/// Where the parts of number text stand. Read by scanNumber(), the one number grammar: JSON's
/// syntax plus a leading '+', leading zeros and a bare '.' side ("1.", ".5"), as DynamoDB reads
/// numbers. The views point into the scanned text; nothing is copied.
struct NumberSpans
{
    QChar sign;           ///< '-', '+' or null
    QStringView integer;  ///< the digits before '.'
    bool point = false;   ///< whether there is a '.'
    QStringView fraction; ///< the digits after '.'
    bool exponentNegative = false;
    QStringView exponent; ///< the digits after 'e' or 'E'
};

/// Reads the digits from text[i] on and moves i past them.
QStringView scanDigits(QStringView text, qsizetype &i)
{
    const qsizetype start = i;
    while (i < text.size() && isDigit(text[i]))
        ++i;
    return text.sliced(start, i - start);
}

/// Reads number text into its parts; returns false on a syntax error. Allocates nothing.
bool scanNumber(QStringView text, NumberSpans &out)
{
    qsizetype i = 0;
    const qsizetype n = text.size();
    if (i < n && (text[i] == u'-' || text[i] == u'+'))
        out.sign = text[i++];
    out.integer = scanDigits(text, i);
    if (i < n && text[i] == u'.') {
        ++i;
        out.point = true;
        out.fraction = scanDigits(text, i);
    }
    if (out.integer.isEmpty() && out.fraction.isEmpty())
        return false;
    if (i < n && (text[i] == u'e' || text[i] == u'E')) {
        ++i;
        if (i < n && (text[i] == u'-' || text[i] == u'+'))
            out.exponentNegative = text[i++] == u'-';
        out.exponent = scanDigits(text, i);
        if (out.exponent.isEmpty())
            return false;
    }
    return i == n;
}

/// Splits number text; returns false on a syntax error (see scanNumber() for the grammar).
bool splitNumber(QStringView text, DecimalParts &out)
{
    NumberSpans spans;
    if (!scanNumber(text, spans))
        return false;
    out.negative = spans.sign == u'-';
    QString digits;
    digits.reserve(spans.integer.size() + spans.fraction.size());
    digits.append(spans.integer).append(spans.fraction);
    long long exponent = 0;
    for (QChar c : spans.exponent)
        exponent = std::min<long long>(exponent * 10 + (c.unicode() - u'0'), 1000000);
    if (spans.exponentNegative)
        exponent = -exponent;
    exponent -= spans.fraction.size();
    qsizetype first = 0;
    while (first < digits.size() && digits[first] == u'0')
        ++first;
    qsizetype last = digits.size();
    while (last > first && digits[last - 1] == u'0') {
        --last;
        ++exponent;
    }
    out.digits = digits.mid(first, last - first);
    out.exponent =
        out.digits.isEmpty() ? 0 : int(std::clamp<long long>(exponent, -2000000, 2000000));
    if (out.digits.isEmpty())
        out.negative = false;
    return true;
}

} // namespace

QString errorKindName(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::Invalid:
        return QStringLiteral("invalid");
    case ErrorKind::Exists:
        return QStringLiteral("exists");
    case ErrorKind::NotFound:
        return QStringLiteral("not found");
    case ErrorKind::Conflict:
        return QStringLiteral("conflict");
    case ErrorKind::Unavailable:
        return QStringLiteral("unavailable");
    case ErrorKind::Throttled:
        return QStringLiteral("throttled");
    case ErrorKind::Backend:
        return QStringLiteral("backend error");
    }
    return QStringLiteral("error");
}

bool isJsonNumberText(QStringView t)
{
    NumberSpans spans;
    if (!scanNumber(t, spans) || spans.sign == u'+' || spans.integer.isEmpty())
        return false;
    if (spans.integer.size() > 1 && spans.integer.front() == u'0')
        return false;
    return !spans.point || !spans.fraction.isEmpty();
}

QString checkNumber(QStringView text)
{
    DecimalParts parts;
    if (!splitNumber(text, parts))
        return QStringLiteral("%1 is not a number").arg(quotedExcerpt(text, 60));
    if (parts.digits.size() > 38)
        return QStringLiteral("%1 has %2 significant digits; at most 38 can be stored")
            .arg(excerpt(text, 60))
            .arg(parts.digits.size());
    if (!parts.digits.isEmpty() && (parts.adjusted() > 125 || parts.adjusted() < -130))
        return QStringLiteral("%1 is out of range: a number DynamoDB can store is 0 or has a "
                              "magnitude from 1E-130 to "
                              "9.9999999999999999999999999999999999999E+125")
            .arg(excerpt(text, 60));
    return {};
}

QString canonicalNumber(QStringView text)
{
    DecimalParts parts;
    if (!splitNumber(text, parts))
        return text.toString();
    if (parts.digits.isEmpty())
        return QStringLiteral("0");
    QString out = parts.negative ? QStringLiteral("-") : QString();
    out += parts.digits;
    if (parts.exponent != 0)
        out += u'E' + QString::number(parts.exponent);
    return out;
}

int compareNumbers(QStringView a, QStringView b)
{
    DecimalParts x, y;
    splitNumber(a, x);
    splitNumber(b, y);
    const int signX = x.digits.isEmpty() ? 0 : (x.negative ? -1 : 1);
    const int signY = y.digits.isEmpty() ? 0 : (y.negative ? -1 : 1);
    if (signX != signY)
        return signX < signY ? -1 : 1;
    if (signX == 0)
        return 0;
    int magnitude = 0;
    if (x.adjusted() != y.adjusted()) {
        magnitude = x.adjusted() < y.adjusted() ? -1 : 1;
    } else {
        const qsizetype len = std::max(x.digits.size(), y.digits.size());
        const QString dx = x.digits.leftJustified(len, u'0');
        const QString dy = y.digits.leftJustified(len, u'0');
        magnitude = dx < dy ? -1 : (dx > dy ? 1 : 0);
    }
    return signX * magnitude;
}

bool isIntegerText(QStringView text)
{
    for (QChar c : text) {
        if (c == u'.' || c == u'e' || c == u'E')
            return false;
    }
    return !text.isEmpty();
}

bool isNumberSyntax(QStringView s)
{
    NumberSpans spans;
    return scanNumber(s, spans);
}

std::optional<QByteArray> decodeBase64(QByteArrayView base64)
{
    if (base64.size() % 4 != 0)
        return std::nullopt;
    qsizetype padding = 0;
    for (qsizetype i = 0; i < base64.size(); ++i) {
        const char c = base64[i];
        if (c == '=') {
            ++padding;
            continue;
        }
        const bool alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                              (c >= '0' && c <= '9') || c == '+' || c == '/';
        if (!alphabet || padding > 0) // '=' only at the end
            return std::nullopt;
    }
    if (padding > 2)
        return std::nullopt;
    auto decoded = QByteArray::fromBase64Encoding(base64.toByteArray(),
                                                  QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return std::move(*decoded);
}

std::optional<QByteArray> decodeBase64(QStringView base64)
{
    for (QChar c : base64) {
        if (c.unicode() > 0x7f)
            return std::nullopt;
    }
    return decodeBase64(QByteArrayView(base64.toLatin1()));
}

const QString &Value::emptyString()
{
    return kEmptyString;
}

const Value::Map &Value::emptyMap()
{
    return kEmptyMap;
}

const Value::List &Value::emptyList()
{
    return kEmptyList;
}

Value Value::boolean(bool b)
{
    Value v;
    v.m_data.emplace<bool>(b);
    return v;
}

Value Value::numberUnchecked(QString text)
{
    Value v;
    v.m_data.emplace<NumberText>(NumberText{std::move(text)});
    return v;
}

Result<Value> Value::number(QStringView text)
{
    const QString problem = checkNumber(text);
    if (!problem.isEmpty())
        return makeError(ErrorKind::Invalid, problem);
    return numberUnchecked(text.toString());
}

Value Value::integer(qint64 n)
{
    return numberUnchecked(QString::number(n));
}

Value Value::string(QString s)
{
    Value v;
    v.m_data.emplace<QString>(std::move(s));
    return v;
}

Value Value::binary(QByteArray bytes)
{
    Value v;
    v.m_data.emplace<QByteArray>(std::move(bytes));
    return v;
}

Value Value::map(Map m)
{
    Value v;
    v.m_data.emplace<Map>(std::move(m));
    return v;
}

Value Value::list(List l)
{
    Value v;
    v.m_data.emplace<List>(std::move(l));
    return v;
}

Value Value::stringSet(QStringList items)
{
    Value v;
    v.m_data.emplace<StringItems>(StringItems{std::move(items)});
    return v;
}

Value Value::numberSet(QStringList items)
{
    Value v;
    v.m_data.emplace<NumberItems>(NumberItems{std::move(items)});
    return v;
}

Value Value::binarySet(QList<QByteArray> items)
{
    Value v;
    v.m_data.emplace<QList<QByteArray>>(std::move(items));
    return v;
}

const QByteArray &Value::bytes() const
{
    const QByteArray *b = std::get_if<QByteArray>(&m_data);
    return b ? *b : kEmptyBytes;
}

Value::Map &Value::mapRef()
{
    Q_ASSERT(isMap());
    return std::get<Map>(m_data);
}

Value::List &Value::listRef()
{
    Q_ASSERT(isList());
    return std::get<List>(m_data);
}

const QStringList &Value::textItems() const
{
    if (const StringItems *s = std::get_if<StringItems>(&m_data))
        return s->items;
    if (const NumberItems *n = std::get_if<NumberItems>(&m_data))
        return n->items;
    return kEmptyStringList;
}

const QList<QByteArray> &Value::binaryItems() const
{
    const QList<QByteArray> *l = std::get_if<QList<QByteArray>>(&m_data);
    return l ? *l : kEmptyBinaryList;
}

qsizetype Value::size() const
{
    switch (type()) {
    case Type::Map:
        return toMap().size();
    case Type::List:
        return toList().size();
    case Type::StringSet:
    case Type::NumberSet:
        return textItems().size();
    case Type::BinarySet:
        return binaryItems().size();
    default:
        return 0;
    }
}

const Value *Value::find(const QString &key) const
{
    const Map *m = std::get_if<Map>(&m_data);
    if (!m)
        return nullptr;
    auto it = m->constFind(key);
    return it == m->cend() ? nullptr : &it.value();
}

int Value::depth() const
{
    int inner = 0;
    if (isMap()) {
        for (const Value &v : toMap())
            inner = std::max(inner, v.depth());
        return inner + 1;
    }
    if (isList()) {
        for (const Value &v : toList())
            inner = std::max(inner, v.depth());
        return inner + 1;
    }
    return 0;
}

QString Value::typeTag(Type type)
{
    switch (type) {
    case Type::Null:
        return QStringLiteral("NULL");
    case Type::Bool:
        return QStringLiteral("BOOL");
    case Type::Number:
        return QStringLiteral("N");
    case Type::String:
        return QStringLiteral("S");
    case Type::Binary:
        return QStringLiteral("B");
    case Type::Map:
        return QStringLiteral("M");
    case Type::List:
        return QStringLiteral("L");
    case Type::StringSet:
        return QStringLiteral("SS");
    case Type::NumberSet:
        return QStringLiteral("NS");
    case Type::BinarySet:
        return QStringLiteral("BS");
    }
    return {};
}

QString Value::typeTag() const
{
    return typeTag(type());
}

QString Value::typeDescription() const
{
    switch (type()) {
    case Type::Null:
        return QStringLiteral("null");
    case Type::Bool:
        return QStringLiteral("a boolean");
    case Type::Number:
        return isIntegerText(text()) ? QStringLiteral("an integer number")
                                     : QStringLiteral("a decimal number");
    case Type::String:
        return QStringLiteral("a string");
    case Type::Binary:
        return QStringLiteral("binary data");
    case Type::Map:
        return QStringLiteral("a map");
    case Type::List:
        return QStringLiteral("a list");
    case Type::StringSet:
        return QStringLiteral("a string set");
    case Type::NumberSet:
        return QStringLiteral("a number set");
    case Type::BinarySet:
        return QStringLiteral("a binary set");
    }
    return {};
}

bool Value::operator==(const Value &other) const
{
    if (m_data.index() != other.m_data.index())
        return false;
    switch (type()) {
    case Type::StringSet:
    case Type::NumberSet: {
        const QStringList &a = textItems();
        const QStringList &b = other.textItems();
        if (a.size() != b.size())
            return false;
        return QSet<QString>(a.begin(), a.end()) == QSet<QString>(b.begin(), b.end());
    }
    case Type::BinarySet: {
        const QList<QByteArray> &a = binaryItems();
        const QList<QByteArray> &b = other.binaryItems();
        if (a.size() != b.size())
            return false;
        return QSet<QByteArray>(a.begin(), a.end()) == QSet<QByteArray>(b.begin(), b.end());
    }
    default:
        return m_data == other.m_data;
    }
}
