#pragma once

#include "model/core/result.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <utility>
#include <variant>

class Value;

/// The members of a map value: the subset of QMap<QString, V> the code base uses, held as one
/// contiguous, implicitly shared array of (key, value) entries sorted by key (the order QMap
/// iterates in). A record is mostly small maps that are read far more often than changed: a
/// flat array takes about a third of QMap's memory (one allocation instead of one node per
/// member) and a walk over it reads memory in order.
template <typename V> class BasicValueMap
{
public:
    struct Entry
    {
        QString key;
        V value;
        bool operator==(const Entry &other) const = default;
    };

    template <bool Const> class Iterator
    {
    public:
        using EntryType = std::conditional_t<Const, const Entry, Entry>;
        using iterator_category = std::random_access_iterator_tag;
        using difference_type = qsizetype;
        using value_type = V;
        using pointer = std::conditional_t<Const, const V *, V *>;
        using reference = std::conditional_t<Const, const V &, V &>;

        Iterator() = default;
        explicit Iterator(EntryType *e) : m_e(e) {}
        /// A mutable iterator converts to a const one, as QMap's does.
        template <bool C = Const, typename = std::enable_if_t<C>>
        Iterator(const Iterator<false> &other) : m_e(other.entry())
        {
        }

        const QString &key() const { return m_e->key; }
        reference value() const { return m_e->value; }
        reference operator*() const { return m_e->value; }
        pointer operator->() const { return &m_e->value; }
        reference operator[](difference_type n) const { return m_e[n].value; }
        EntryType *entry() const { return m_e; }

        Iterator &operator++()
        {
            ++m_e;
            return *this;
        }
        Iterator operator++(int) { return Iterator(m_e++); }
        Iterator &operator--()
        {
            --m_e;
            return *this;
        }
        Iterator operator--(int) { return Iterator(m_e--); }
        Iterator &operator+=(difference_type n)
        {
            m_e += n;
            return *this;
        }
        Iterator &operator-=(difference_type n)
        {
            m_e -= n;
            return *this;
        }
        friend Iterator operator+(Iterator it, difference_type n) { return it += n; }
        friend Iterator operator+(difference_type n, Iterator it) { return it += n; }
        friend Iterator operator-(Iterator it, difference_type n) { return it -= n; }
        friend difference_type operator-(Iterator a, Iterator b) { return a.m_e - b.m_e; }
        friend bool operator==(Iterator a, Iterator b) { return a.m_e == b.m_e; }
        friend auto operator<=>(Iterator a, Iterator b) { return a.m_e <=> b.m_e; }

    private:
        EntryType *m_e = nullptr;
    };

    using key_type = QString;
    using mapped_type = V;
    using value_type = V;
    using size_type = qsizetype;
    using difference_type = qsizetype;
    using iterator = Iterator<false>;
    using const_iterator = Iterator<true>;
    using ConstIterator = const_iterator;

    BasicValueMap() = default;
    BasicValueMap(std::initializer_list<std::pair<QString, V>> list)
    {
        m_entries.reserve(qsizetype(list.size()));
        for (const auto &[key, value] : list)
            insert(key, value);
    }

    qsizetype size() const { return m_entries.size(); }
    qsizetype count() const { return m_entries.size(); }
    qsizetype count(const QString &key) const { return contains(key) ? 1 : 0; }
    bool isEmpty() const { return m_entries.isEmpty(); }
    bool empty() const { return m_entries.isEmpty(); }
    void clear() { m_entries.clear(); }
    void reserve(qsizetype n) { m_entries.reserve(n); }
    void squeeze() { m_entries.squeeze(); }
    void swap(BasicValueMap &other) noexcept { m_entries.swap(other.m_entries); }

    const_iterator begin() const { return const_iterator(m_entries.constData()); }
    const_iterator end() const { return const_iterator(m_entries.constData() + size()); }
    const_iterator cbegin() const { return begin(); }
    const_iterator cend() const { return end(); }
    const_iterator constBegin() const { return begin(); }
    const_iterator constEnd() const { return end(); }
    /// Mutable iteration detaches a shared array, as QMap does.
    iterator begin() { return iterator(m_entries.data()); }
    iterator end() { return iterator(m_entries.data() + size()); }

    const_iterator constFind(const QString &key) const
    {
        const qsizetype i = indexOf(key);
        return i < 0 ? end() : begin() + i;
    }
    const_iterator find(const QString &key) const { return constFind(key); }
    iterator find(const QString &key)
    {
        const qsizetype i = indexOf(key);
        return i < 0 ? end() : begin() + i;
    }
    bool contains(const QString &key) const { return indexOf(key) >= 0; }
    /// The member's value, or `defaultValue` when there is none.
    V value(const QString &key, const V &defaultValue = V()) const
    {
        const qsizetype i = indexOf(key);
        return i < 0 ? defaultValue : m_entries.at(i).value;
    }
    V operator[](const QString &key) const { return value(key); }
    /// The member's value, inserted as V() when missing.
    V &operator[](const QString &key)
    {
        const qsizetype i = lowerBound(key);
        if (i == size() || m_entries.at(i).key != key)
            m_entries.insert(i, Entry{key, V()});
        return m_entries[i].value;
    }

    QStringList keys() const
    {
        QStringList out;
        out.reserve(size());
        for (const Entry &e : m_entries)
            out.append(e.key);
        return out;
    }
    QList<V> values() const
    {
        QList<V> out;
        out.reserve(size());
        for (const Entry &e : m_entries)
            out.append(e.value);
        return out;
    }
    const QString &firstKey() const { return m_entries.first().key; }
    const QString &lastKey() const { return m_entries.last().key; }
    const V &first() const { return m_entries.first().value; }
    const V &last() const { return m_entries.last().value; }

    /// Sets the member `key`, replacing its value when it is there.
    iterator insert(const QString &key, const V &value) { return emplace(QString(key), V(value)); }
    iterator insert(QString &&key, V &&value) { return emplace(std::move(key), std::move(value)); }
    iterator insert(const QString &key, V &&value)
    {
        return emplace(QString(key), std::move(value));
    }
    iterator insert(QString &&key, const V &value) { return emplace(std::move(key), V(value)); }
    /// Every member of `other`, replacing the values of keys already here.
    void insert(const BasicValueMap &other)
    {
        for (const Entry &e : other.m_entries)
            insert(e.key, e.value);
    }
    /// Takes entries already sorted by keyLess() and without duplicate keys (a parser's), moving
    /// them out of [first, last).
    template <typename It> static BasicValueMap fromSortedEntries(It first, It last)
    {
        BasicValueMap m;
        m.m_entries.reserve(qsizetype(std::distance(first, last)));
        for (; first != last; ++first) {
            Q_ASSERT(m.isEmpty() || keyLess(m.m_entries.constLast().key, first->key));
            m.m_entries.emplaceBack(std::move(*first));
        }
        return m;
    }

    /// The order of the keys: QString's operator< (UTF-16 code units), inlined, as maps compare
    /// short keys far more often than anything else.
    static bool keyLess(QStringView a, QStringView b) noexcept
    {
        const qsizetype n = std::min(a.size(), b.size());
        const char16_t *x = a.utf16();
        const char16_t *y = b.utf16();
        for (qsizetype i = 0; i < n; ++i) {
            if (x[i] != y[i])
                return x[i] < y[i];
        }
        return a.size() < b.size();
    }

    /// Adds the member unless the key is already there; false then, and nothing changes.
    /// Keys arriving in ascending order (as parsers usually meet them) are appended.
    bool tryInsert(QString &&key, V &&value)
    {
        const qsizetype n = size();
        if (n == 0 || keyLess(m_entries.at(n - 1).key, key)) {
            m_entries.emplaceBack(Entry{std::move(key), std::move(value)});
            return true;
        }
        const qsizetype i = lowerBound(key);
        if (m_entries.at(i).key == key)
            return false;
        m_entries.insert(i, Entry{std::move(key), std::move(value)});
        return true;
    }

    /// Removes the member `key`; the number removed (0 or 1).
    qsizetype remove(const QString &key)
    {
        const qsizetype i = indexOf(key);
        if (i < 0)
            return 0;
        m_entries.remove(i);
        return 1;
    }
    /// Removes the member at `it`; the iterator after it.
    iterator erase(const_iterator it)
    {
        const qsizetype i = it.entry() - m_entries.constData();
        m_entries.remove(i);
        return begin() + i;
    }
    /// Removes the member `key` and returns its value (V() when missing).
    V take(const QString &key)
    {
        const qsizetype i = indexOf(key);
        if (i < 0)
            return V();
        V out = std::move(m_entries[i].value);
        m_entries.remove(i);
        return out;
    }

    bool operator==(const BasicValueMap &other) const { return m_entries == other.m_entries; }
    bool operator!=(const BasicValueMap &other) const { return !(*this == other); }

private:
    iterator emplace(QString &&key, V &&value)
    {
        const qsizetype n = size();
        if (n == 0 || keyLess(m_entries.at(n - 1).key, key)) {
            m_entries.emplaceBack(Entry{std::move(key), std::move(value)});
            return begin() + n;
        }
        const qsizetype i = lowerBound(key);
        if (m_entries.at(i).key == key)
            m_entries[i].value = std::move(value);
        else
            m_entries.insert(i, Entry{std::move(key), std::move(value)});
        return begin() + i;
    }

    /// The first entry whose key is not less than `key` (QString's order, as QMap's).
    qsizetype lowerBound(const QString &key) const
    {
        const Entry *data = m_entries.constData();
        qsizetype lo = 0;
        qsizetype hi = m_entries.size();
        while (lo < hi) {
            const qsizetype mid = lo + (hi - lo) / 2;
            if (keyLess(data[mid].key, key))
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo;
    }

    qsizetype indexOf(const QString &key) const
    {
        const qsizetype i = lowerBound(key);
        return i < size() && m_entries.at(i).key == key ? i : -1;
    }

    QList<Entry> m_entries;
};

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
    using Map = BasicValueMap<Value>;
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

    Type type() const { return Type(m_data.index()); }
    bool isNull() const { return type() == Type::Null; }
    bool isMap() const { return type() == Type::Map; }
    bool isList() const { return type() == Type::List; }
    bool isNumber() const { return type() == Type::Number; }
    bool isString() const { return type() == Type::String; }
    bool isSet() const
    {
        const Type t = type();
        return t == Type::StringSet || t == Type::NumberSet || t == Type::BinarySet;
    }

    bool toBool() const
    {
        const bool *b = std::get_if<bool>(&m_data);
        return b && *b;
    }
    /// The text of a string or the exact decimal text of a number; empty otherwise.
    const QString &text() const
    {
        if (const QString *s = std::get_if<QString>(&m_data))
            return *s;
        if (const NumberText *n = std::get_if<NumberText>(&m_data))
            return n->text;
        return emptyString();
    }
    const QByteArray &bytes() const;
    const Map &toMap() const
    {
        const Map *m = std::get_if<Map>(&m_data);
        return m ? *m : emptyMap();
    }
    Map &mapRef();
    const List &toList() const
    {
        const List *l = std::get_if<List>(&m_data);
        return l ? *l : emptyList();
    }
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
    // The variant's index is the type (alternatives in the order of Type): numbers and sets get
    // types of their own, so a Value is the variant alone, 32 bytes, not 40 with a separate tag.
    struct NumberText
    {
        QString text;
        bool operator==(const NumberText &) const = default;
    };
    struct StringItems
    {
        QStringList items;
        bool operator==(const StringItems &) const = default;
    };
    struct NumberItems
    {
        QStringList items;
        bool operator==(const NumberItems &) const = default;
    };
    using Storage = std::variant<std::monostate, bool, NumberText, QString, QByteArray, Map, List,
                                 StringItems, NumberItems, QList<QByteArray>>;
    static_assert(std::variant_size_v<Storage> == std::size_t(Type::BinarySet) + 1);
    static_assert(
        std::is_same_v<std::variant_alternative_t<std::size_t(Type::Number), Storage>, NumberText>);
    static_assert(std::is_same_v<std::variant_alternative_t<std::size_t(Type::Map), Storage>, Map>);
    static_assert(std::is_same_v<std::variant_alternative_t<std::size_t(Type::NumberSet), Storage>,
                                 NumberItems>);

    static const QString &emptyString();
    static const Map &emptyMap();
    static const List &emptyList();

    Storage m_data;
};

/// True when the number text is already as JSON writes it. JSON's grammar is stricter than
/// the one checkNumber() accepts: no leading '+', no leading zeros, digits on both sides of '.'.
bool isJsonNumberText(QStringView text);

/// Checks DynamoDB's number rules (syntax, at most 38 significant digits, magnitude between
/// 1E-130 and 9.99...E+125); returns the problem in a sentence, or an empty string.
QString checkNumber(QStringView text);

/// The canonical text of a valid number, equal for equal numbers ("1.50" and "15E-1" agree).
QString canonicalNumber(QStringView text);

/// Compares two valid numbers numerically: -1, 0 or 1.
int compareNumbers(QStringView a, QStringView b);

/// True when the number text has no fraction and no exponent ("12", "-3").
bool isIntegerText(QStringView text);

/// True when the text has DynamoDB's number syntax, [+-]digits[.digits][(e|E)[+-]digits] with
/// leading zeros allowed: the syntax checkNumber() and canonicalNumber() accept, without their
/// digit and range limits, and without allocating (the validator's fast mode relies on that).
bool isNumberSyntax(QStringView text);

/// Decodes base64 as DynamoDB reads it: the standard alphabet, padded to a multiple of four
/// characters, '=' only at the end; nullopt for anything else ("abc", "a===", spaces).
std::optional<QByteArray> decodeBase64(QByteArrayView base64);
/// The same for text.
std::optional<QByteArray> decodeBase64(QStringView base64);

/// The members of a map value.
using ValueMap = Value::Map;

Q_DECLARE_METATYPE(Value)
