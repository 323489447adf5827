#pragma once

#include "model/core/result.h"
#include "model/core/value.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <functional>
#include <vector>

/// The hot paths of import and export: JSON read and written several times faster than
/// JsonCodec (no intermediate strings, one allocation per value), with the same results, and
/// stored JSON (what the embedded store keeps) turned into the export formats as text, without
/// building Values at all.
///
/// Every function here gives byte for byte what its JsonCodec counterpart gives for the same
/// input; tst_importexport checks that on every type.
namespace FastJson {

/// Parses plain JSON as JsonCodec::parsePlain does: numbers keep their exact text (checked
/// against DynamoDB's limits), strings must be valid UTF-8, a key may appear once per object,
/// at most JsonCodec::kMaxParseDepth levels. Errors say "malformed JSON: ..." and name
/// "line L, column C" (or "column C" for one-line text) in their location.
Result<Value> parsePlain(QByteArrayView utf8);
/// Where the members of a parsed record are in its text: lets the import store the text as
/// it is instead of writing the Value out again.
struct TextLayout
{
    /// The text has no space outside strings and no member name starting with '$': it is
    /// already in the stored form (JsonCodec's), member for member.
    bool storedForm = true;
    struct Member
    {
        QString key;
        qsizetype begin = 0; ///< the member's value in the text
        qsizetype end = 0;
    };
    std::vector<Member> rootMembers; ///< the members of a top-level object, in text order
};

/// The same, with the reason of a failure (without "malformed JSON: ") and its byte offset;
/// `layout` (optional) receives where the top-level members are. `refusedPath` (optional)
/// receives, when the text is well-formed but a value in it is refused (a number out of
/// DynamoDB's range), that value's field path ("age", "tokens.t1.n", "logs[2]"); else "" —
/// also for a refused value at the top level, where the path is "".
bool parsePlain(QByteArrayView utf8, Value &out, QString &error, qsizetype &errorOffset,
                TextLayout *layout = nullptr, QString *refusedPath = nullptr);

/// Plain JSON, the same text as JsonCodec::appendPlain.
void appendPlain(QByteArray &out, const Value &value);
/// Stored JSON, the same text as JsonCodec::appendStored.
void appendStored(QByteArray &out, const Value &value);
/// A JSON string literal, the same text as JsonCodec::appendJsonString.
void appendString(QByteArray &out, QStringView text);

/// Stored JSON text to plain JSON text (sets become arrays, binary base64 text).
/// False when `stored` is not well-formed stored JSON (then `out` is left partly written).
bool storedToPlain(QByteArrayView stored, QByteArray &out);
/// A stored record (an object) to a DynamoDB JSON item, {"attr": {"S": "..."}, ...}, the
/// same text as JsonCodec::toDynamoItem. False when `stored` is not a well-formed record.
bool storedToDynamoItem(QByteArrayView stored, QByteArray &out);

/// What a stored value is, told from its first bytes.
enum class StoredKind {
    String,
    Number,
    Bool,
    Null,
    Map,
    List,
    Binary,
    StringSet,
    NumberSet,
    BinarySet,
    Invalid
};
StoredKind storedKind(QByteArrayView value);

/// Calls `member(key, value)` for each member of a stored record, in order: `key` is the
/// member's JSON string literal as stored (quotes included, '$' escapes still doubled),
/// `value` the text of its value. Stops when `member` returns false. False when the text is
/// not a well-formed object.
bool forEachStoredMember(
    QByteArrayView stored,
    const std::function<bool(QByteArrayView key, QByteArrayView value)> &member);

/// The attribute name a stored key literal stands for (unescaped, one '$' of "$$" removed).
QString storedKeyName(QByteArrayView keyLiteral);
/// The stored key literal of an attribute name (inverse of storedKeyName).
QByteArray storedKeyLiteral(const QString &name);

/// The UTF-8 text of a JSON string literal (quotes included), unescaped. False when it is not
/// a well-formed literal.
bool unescapeString(QByteArrayView literal, QByteArray &out);
/// The base64 text inside a stored binary value ({"$B":"..."}), unescaped; false otherwise.
bool storedBinaryText(QByteArrayView value, QByteArray &out);

} // namespace FastJson
