#include "model/core/names.h"

#include <algorithm>

namespace Names {

qsizetype reservedCharacterAt(QStringView name)
{
    for (qsizetype i = 0; i < name.size(); ++i) {
        if (kReservedCharacters.contains(name[i]))
            return i;
    }
    return -1;
}

bool isTypeTag(QStringView name)
{
    static constexpr QStringView tags[] = {u"S",  u"N", u"B", u"SS",   u"NS",
                                           u"BS", u"M", u"L", u"NULL", u"BOOL"};
    if (name.size() > 4)
        return false;
    for (QStringView tag : tags) {
        if (tag == name)
            return true;
    }
    return false;
}

QString fieldNameProblem(QStringView name)
{
    if (name.isEmpty())
        return QStringLiteral("a field name cannot be empty");
    if (const qsizetype at = reservedCharacterAt(name); at >= 0)
        return QStringLiteral("the field name %1 contains \"%2\", which StructNoSQL reserves "
                              "for field paths ([ ] { } ( ) |)")
            .arg(quotedExcerpt(name), name[at]);
    if (name.contains(u'.'))
        return QStringLiteral("the field name %1 contains \".\", which separates the elements "
                              "of a field path, so the field could not be addressed")
            .arg(quotedExcerpt(name));
    if (isTypeTag(name))
        return QStringLiteral("\"%1\" is a DynamoDB type tag and cannot be a field name (S, N, B, "
                              "SS, NS, BS, NULL, BOOL, M and L are reserved)")
            .arg(name);
    return {};
}

QString mapKeyProblem(QStringView key)
{
    if (key.isEmpty())
        return QStringLiteral("a map key cannot be empty (DynamoDB refuses empty attribute "
                              "names)");
    return {};
}

} // namespace Names

QString excerpt(QStringView text, qsizetype max)
{
    if (text.size() <= max)
        return text.toString();
    const qsizetype tail = max / 4;
    const qsizetype head = std::max<qsizetype>(max - tail, 1);
    // Never cut a surrogate pair in half.
    qsizetype headEnd = head;
    if (headEnd > 0 && text[headEnd - 1].isHighSurrogate())
        --headEnd;
    qsizetype tailStart = text.size() - tail;
    if (tailStart < text.size() && text[tailStart].isLowSurrogate())
        ++tailStart;
    return text.left(headEnd).toString() +
           QStringLiteral("… (%1 characters left out) …").arg(tailStart - headEnd) +
           text.mid(tailStart).toString();
}

QString excerptUtf8(QByteArrayView utf8, qsizetype max)
{
    // Decoding 10 MB to show 200 characters would be wasteful: decode a little more than shown.
    const qsizetype limit = max * 4 + 16;
    if (utf8.size() <= limit)
        return excerpt(QString::fromUtf8(utf8), max);
    const QString head = QString::fromUtf8(utf8.first(limit / 2));
    const QString tail = QString::fromUtf8(utf8.last(limit / 2));
    const qsizetype headShown = max - max / 4;
    const qsizetype tailShown = max / 4;
    return head.left(headShown) +
           QStringLiteral("… (about %1 bytes left out) …")
               .arg(utf8.size() - headShown - tailShown) +
           tail.right(tailShown);
}

QString quotedExcerpt(QStringView text, qsizetype max)
{
    return u'"' + excerpt(text, max) + u'"';
}
