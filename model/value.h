#pragma once

#include "model/result.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <variant>

/// An attribute value with DynamoDB's type system, held losslessly.
///
/// Numbers keep their decimal text exactly as written (up to 38 significant digits), so reading
/// a record and writing it back never changes a digit. Sets keep the order they were given in;
/// equality compares them as sets.
class Value
{
public:
    enum class Type : quint8 {
        Null,
        Bool,
        Number,
        String,
        Binary,
        Map,
        List,
        StringSet,
        NumberSet,
        BinarySet
    };
    using Map = QMap<QString, Value>;
    using List = QList<Value>;

    /// The null value.
    Value() = default;

    static Value boolean(bool b);
    /// A number from text already checked with checkNumber(); see number() for checked input.
    static Value numberUnchecked(QString text);
    /// A number from decimal text, refused when not a valid DynamoDB number.
    static Result<Value> number(QStringView text);
    static Value integer(qint64 n);
    static Value string(QString s);
    static Value binary(QByteArray bytes);
    static Value map(Map m = {});
    static Value list(List l = {});
    static Value stringSet(QStringList items);
    static Value numberSet(QStringList items);
    static Value binarySet(QList<QByteArray> items);

    Type type() const { return m_type; }
    bool isNull() const { return m_type == Type::Null; }
    bool isMap() const { return m_type == Type::Map; }
    bool isList() const { return m_type == Type::List; }
    bool isNumber() const { return m_type == Type::Number; }
    bool isString() const { return m_type == Type::String; }
    bool isSet() const
    {
        return m_type == Type::StringSet || m_type == Type::NumberSet ||
               m_type == Type::BinarySet;
    }

    bool toBool() const;
    /// The text of a string or the exact decimal text of a number; empty otherwise.
    const QString &text() const;
    const QByteArray &bytes() const;
    const Map &toMap() const;
    Map &mapRef();
    const List &toList() const;
    List &listRef();
    /// Items of a string or number set.
    const QStringList &textItems() const;
    /// Items of a binary set.
    const QList<QByteArray> &binaryItems() const;
    /// Number of items of a map, list or set; 0 for scalars.
    qsizetype size() const;

    /// The member `key` of a map, or nullptr.
    const Value *find(const QString &key) const;
    /// Nesting depth: 0 for a scalar, 1 for a map of scalars, ...
    int depth() const;

    /// DynamoDB's type tag: S, N, B, BOOL, NULL, M, L, SS, NS, BS.
    QString typeTag() const;
    /// A plain name for messages: "a string", "a number", "a map", ...
    QString typeDescription() const;
    static QString typeTag(Type type);

    /// Exact equality: same types, same number text, sets compared as sets.
    bool operator==(const Value &other) const;
    bool operator!=(const Value &other) const { return !(*this == other); }

private:
    using Storage = std::variant<std::monostate, bool, QString, QByteArray, Map, List,
                                 QStringList, QList<QByteArray>>;
    Type m_type = Type::Null;
    Storage m_data;
};

/// Checks DynamoDB's number rules (syntax, at most 38 significant digits, magnitude between
/// 1E-130 and 9.99...E+125); returns the problem in a sentence, or an empty string.
QString checkNumber(QStringView text);

/// The canonical text of a valid number, equal for equal numbers ("1.50" and "15E-1" agree).
QString canonicalNumber(QStringView text);

/// Compares two valid numbers numerically: -1, 0 or 1.
int compareNumbers(QStringView a, QStringView b);

/// True when the number text has no fraction and no exponent ("12", "-3").
bool isIntegerText(QStringView text);

Q_DECLARE_METATYPE(Value)
