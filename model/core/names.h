#pragma once

#include <QByteArrayView>
#include <QString>
#include <QStringView>

/// The naming rules of the record model, in one place: model files, field paths (CLI, filters,
/// forms), dict-key editors, imports and the validator all ask here.
///
/// - A *field name* (declared in a model file, or written as a name in a path) follows
///   StructNoSQL's rule (spec §2.7): not empty, none of the characters `[ ] { } ( ) |` that
///   field paths reserve, no `.` (it separates path elements), and not one of DynamoDB's type
///   tags S N B SS NS BS NULL BOOL M L.
/// - A *map key* given as data (a dict key, the value of a {{placeholder}}, a key inside a
///   value) may hold any character, dots and brackets included (spec §4.6), but not be empty:
///   DynamoDB refuses an empty attribute name at any depth.
namespace Names {

/// The characters field paths reserve.
inline constexpr QStringView kReservedCharacters = u"[]{}()|";

/// The problem with a field name as a sentence ("the field name \"a[1]\" contains ..."), or an
/// empty string when the name is fine.
QString fieldNameProblem(QStringView name);

/// The problem with a map key or attribute name given as data, or an empty string.
QString mapKeyProblem(QStringView key);

/// The position of the first reserved character in `name`, or -1.
qsizetype reservedCharacterAt(QStringView name);

/// True for DynamoDB's type tags (S, N, B, SS, NS, BS, NULL, BOOL, M, L).
bool isTypeTag(QStringView name);

} // namespace Names

/// Longest run of input quoted in a message, in characters.
inline constexpr qsizetype kMaxQuotedInput = 200;

/// Input text as it may appear in a message: at most `max` characters; longer text keeps its
/// beginning and its end around a "…" that says how much was left out. Every message that
/// echoes input (a value, a name, a JSON token, a CSV cell) goes through here, so a 10 MB
/// line never becomes a 10 MB message.
QString excerpt(QStringView text, qsizetype max = kMaxQuotedInput);
/// The same for UTF-8 bytes.
QString excerptUtf8(QByteArrayView utf8, qsizetype max = kMaxQuotedInput);
/// excerpt() in double quotes.
QString quotedExcerpt(QStringView text, qsizetype max = kMaxQuotedInput);
