#include "model/schema/validator.h"

#include "model/core/names.h"

#include <QSet>
#include <QStringList>

#include <algorithm>
#include <cstring>
#include <optional>

namespace {

// The walker below runs in two modes: collecting every problem (validateRecord, validateAt),
// or answering yes/no as fast as it can (isValidRecord). The fast mode must not allocate while
// the record is valid, so the path of a value is a chain of nodes on the stack and turned into
// text only when a problem is reported.

/// One element of the path of the value being checked.
struct PathNode
{
    const PathNode *parent = nullptr;
    const QString *key = nullptr;    ///< map key or attribute name
    qsizetype index = -1;            ///< list index
    const FieldSpec *spec = nullptr; ///< the field or item spec of the value here
};

QString renderPath(const PathNode *node)
{
    std::vector<const PathNode *> chain;
    for (const PathNode *n = node; n; n = n->parent) {
        if (n->key || n->index >= 0)
            chain.push_back(n);
    }
    QString out;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        const PathNode *n = *it;
        if (n->index >= 0) {
            out += u'[' + QString::number(n->index) + u']';
        } else {
            if (!out.isEmpty())
                out += u'.';
            out += excerpt(*n->key, 60);
        }
    }
    return out;
}

bool isDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

bool isIntegerSyntax(QStringView s)
{
    return isNumberSyntax(s) && isIntegerText(s);
}

/// A number's text seen as sign, significant digits and the power of ten of the first one,
/// without copying anything (canonicalNumber() would allocate).
class NumberParts
{
public:
    explicit NumberParts(QStringView text)
    {
        qsizetype i = 0;
        if (i < text.size() && (text[i] == u'-' || text[i] == u'+')) {
            m_negative = text[i] == u'-';
            ++i;
        }
        qsizetype start = i;
        while (i < text.size() && isDigit(text[i]))
            ++i;
        m_integer = text.mid(start, i - start);
        if (i < text.size() && text[i] == u'.') {
            start = ++i;
            while (i < text.size() && isDigit(text[i]))
                ++i;
            m_fraction = text.mid(start, i - start);
        }
        qint64 exponent = 0;
        if (i < text.size() && (text[i] == u'e' || text[i] == u'E')) {
            ++i;
            bool negative = false;
            if (i < text.size() && (text[i] == u'-' || text[i] == u'+'))
                negative = text[i++] == u'-';
            for (; i < text.size() && isDigit(text[i]); ++i)
                exponent = std::min<qint64>(exponent * 10 + (text[i].unicode() - u'0'), 1 << 24);
            if (negative)
                exponent = -exponent;
        }
        const qsizetype count = m_integer.size() + m_fraction.size();
        m_first = 0;
        while (m_first < count && digit(m_first) == u'0')
            ++m_first;
        m_last = count - 1;
        while (m_last >= m_first && digit(m_last) == u'0')
            --m_last;
        m_adjusted = qint64(m_integer.size()) - 1 - m_first + exponent;
    }

    bool isZero() const { return m_first > m_last; }

    bool operator==(const NumberParts &o) const
    {
        if (isZero() || o.isZero())
            return isZero() && o.isZero();
        if (m_negative != o.m_negative || m_adjusted != o.m_adjusted ||
            m_last - m_first != o.m_last - o.m_first)
            return false;
        for (qsizetype k = 0; k <= m_last - m_first; ++k) {
            if (digit(m_first + k) != o.digit(o.m_first + k))
                return false;
        }
        return true;
    }

private:
    QChar digit(qsizetype k) const
    {
        return k < m_integer.size() ? m_integer[k] : m_fraction[k - m_integer.size()];
    }

    bool m_negative = false;
    QStringView m_integer;
    QStringView m_fraction;
    qsizetype m_first = 0; ///< index of the first significant digit (integer then fraction)
    qsizetype m_last = -1; ///< index of the last significant digit
    qint64 m_adjusted = 0; ///< power of ten of the first significant digit
};

bool sameNumber(const QString &a, const QString &b)
{
    return a == b || NumberParts(a) == NumberParts(b);
}

/// True when a number of this text fits the scalar kind.
bool numberFits(FieldKind kind, const QString &text)
{
    switch (kind) {
    case FieldKind::Int:
        return isIntegerText(text);
    case FieldKind::Float:
        return !isIntegerText(text);
    case FieldKind::Decimal:
        return true;
    default:
        return false;
    }
}

/// True when a set of this type may hold the items the spec describes (nullptr: anything).
bool setFits(const FieldSpec *items, Value::Type type)
{
    if (!items || items->types.empty())
        return true;
    for (const FieldType &t : items->types) {
        if (t.kind == FieldKind::Any)
            return true;
        if (t.kind == FieldKind::Str && type == Value::Type::StringSet)
            return true;
        if (isNumericKind(t.kind) && type == Value::Type::NumberSet)
            return true;
        if (t.kind == FieldKind::Bytes && type == Value::Type::BinarySet)
            return true;
    }
    return false;
}

bool isDeepKind(FieldKind kind)
{
    return kind == FieldKind::Map || kind == FieldKind::Dict || kind == FieldKind::List ||
           kind == FieldKind::Set;
}

QString shortText(const QString &s)
{
    return s.size() > 40 ? s.left(37) + QStringLiteral("...") : s;
}

/// Asks for the memory a value's check reads (a number's text) while the walker still works
/// on the value before it: records that do not fit the caches are mostly waiting on memory.
inline void prefetch(const Value &v)
{
#if defined(__GNUC__)
    if (v.isNumber())
        __builtin_prefetch(v.text().constData());
#else
    Q_UNUSED(v);
#endif
}

/// How much a problem weighs.
enum class Weight {
    /// Breaks a rule of the model: blocking, unless the model is advisory (a guess).
    Model,
    /// Holds whatever the model says: the key (its schema is the table's), a record that is
    /// not a map, and what DynamoDB itself refuses (nesting, empty sets, duplicate set items).
    Certain,
    /// Never blocking (attributes the model does not declare).
    Note,
};

class Walker
{
public:
    /// `out` nullptr: fast mode, stop at the first blocking problem. `advisory`: the model's
    /// own rules only note (TableModel::isAdvisory()).
    Walker(const TableModel &model, Problems *out, bool advisory)
        : m_model(model), m_out(out), m_advisory(advisory)
    {
    }

    bool failed() const { return m_failed; }

    void checkRecord(const Value &record)
    {
        const PathNode root;
        if (!record.isMap()) {
            reportCertain(&root, [&] {
                return QStringLiteral("A record must be a map of attributes, not %1")
                    .arg(record.typeDescription());
            });
            return;
        }
        // The key is checked while walking the attributes (one pass over the map); the key
        // rule decides for the key attribute (a float key takes any number), and a missing
        // key is reported once.
        m_keyField = m_model.root().field(m_model.hashKey());
        if (!m_model.declaresFields())
            checkKeyOnlyRecord(record, root);
        else
            checkMap(m_model.root(), record, root, 0);
        if (!m_keySeen && !m_failed && !m_model.hashKey().isEmpty()) {
            const PathNode node{&root, &m_model.hashKey(), -1, m_keyField};
            reportCertain(&node,
                          [] { return QStringLiteral("is the table's key and is missing"); });
        }
    }

    void checkAt(const ResolvedPath &path, const Value &value)
    {
        const std::size_t n = path.elements.size();
        std::vector<PathNode> nodes(n);
        for (std::size_t i = 0; i < n; ++i) {
            const PathElement &e = path.elements[i];
            nodes[i].parent = i > 0 ? &nodes[i - 1] : nullptr;
            if (e.isIndex())
                nodes[i].index = e.index;
            else
                nodes[i].key = &e.key;
            nodes[i].spec = i < path.specs.size() ? path.specs[i] : nullptr;
        }
        const PathNode root;
        const PathNode &node = n > 0 ? nodes.back() : root;
        if (!path.target) {
            checkFree(value, node, int(n));
            return;
        }
        checkValue(path.target, value, node, int(n), path.targetIsItem);
    }

private:
    template <typename MessageFn> void reportCertain(const PathNode *node, MessageFn &&message)
    {
        report(node, std::forward<MessageFn>(message), Weight::Certain);
    }

    template <typename MessageFn>
    void report(const PathNode *node, MessageFn &&message, Weight weight = Weight::Model)
    {
        const bool noted = weight == Weight::Model && m_advisory;
        const bool blocking = weight == Weight::Certain || (weight == Weight::Model && !m_advisory);
        if (!m_out) {
            if (blocking)
                m_failed = true;
            return;
        }
        QString text = message();
        if (noted)
            text += QStringLiteral(" (not enforced: the model is inferred from sampled records)");
        m_out->push_back(Problem{renderPath(node), std::move(text), blocking});
    }

    /// The hash key's value: not null, of the key type (str: a non-empty string; int: an
    /// integer number; float: any number).
    void checkKeyValue(const Value &key, const PathNode &node)
    {
        m_keySeen = true;
        if (key.isNull()) {
            reportCertain(&node,
                          [] { return QStringLiteral("is the table's key and cannot be null"); });
            return;
        }
        bool ok = false;
        switch (m_model.hashKeyType()) {
        case FieldKind::Int:
            ok = key.isNumber() && isIntegerText(key.text());
            break;
        case FieldKind::Float:
        case FieldKind::Decimal:
            ok = key.isNumber();
            break;
        case FieldKind::Bytes:
            ok = key.type() == Value::Type::Binary;
            break;
        default:
            ok = key.isString();
            break;
        }
        if (!ok) {
            reportCertain(&node, [&] {
                QString expected;
                switch (m_model.hashKeyType()) {
                case FieldKind::Int:
                    expected = QStringLiteral("an integer number");
                    break;
                case FieldKind::Float:
                case FieldKind::Decimal:
                    expected = QStringLiteral("a number");
                    break;
                case FieldKind::Bytes:
                    expected = QStringLiteral("binary data");
                    break;
                default:
                    expected = QStringLiteral("a string");
                    break;
                }
                return QStringLiteral("is the table's key and must be %1, not %2")
                    .arg(expected, key.typeDescription());
            });
            return;
        }
        if ((key.isString() && key.text().isEmpty()) ||
            (key.type() == Value::Type::Binary && key.bytes().isEmpty()))
            reportCertain(&node,
                          [] { return QStringLiteral("is the table's key and cannot be empty"); });
    }

    /// A record of a table without a model: only the key is checked (and DynamoDB's depth).
    void checkKeyOnlyRecord(const Value &record, const PathNode &root)
    {
        const Value::Map &m = record.toMap();
        for (auto it = m.cbegin(); it != m.cend(); ++it) {
            const PathNode child{&root, &it.key(), -1, nullptr};
            if (emptyKey(it.key(), child))
                return;
            if (it.key() == m_model.hashKey())
                checkKeyValue(it.value(), child);
            else
                checkFree(it.value(), child, 1);
            if (m_failed)
                return;
        }
    }

    /// A container at `level` whose items would sit deeper than DynamoDB allows.
    bool tooDeep(const Value &container, const PathNode &node, int level)
    {
        if (level < TableModel::kMaxDepth || container.size() == 0)
            return false;
        reportCertain(&node, [] {
            return QStringLiteral("nests deeper than %1 levels, DynamoDB's limit")
                .arg(TableModel::kMaxDepth);
        });
        return true;
    }

    /// A recursive dict or list (its spec met again through its own model) with items beyond
    /// its maxNestedDepth.
    bool tooRecursive(const FieldSpec *spec, const Value &container, const PathNode &node)
    {
        if (!spec || spec->maxNestedDepth >= TableModel::kMaxDepth || container.size() == 0)
            return false;
        int occurrences = 0;
        for (const PathNode *n = &node; n; n = n->parent) {
            if (n->spec == spec)
                ++occurrences;
        }
        if (occurrences <= spec->maxNestedDepth)
            return false;
        report(&node, [&] {
            return QStringLiteral("nests deeper than maxNestedDepth %1 allows")
                .arg(spec->maxNestedDepth);
        });
        return true;
    }

    /// An empty map key or attribute name, which DynamoDB refuses at any depth: reported;
    /// true when the walk must stop.
    bool emptyKey(const QString &key, const PathNode &node)
    {
        if (!key.isEmpty())
            return false;
        reportCertain(&node, [] {
            return QStringLiteral("is an empty map key; DynamoDB refuses empty attribute names "
                                  "at any depth");
        });
        return m_failed;
    }

    /// Data the model says nothing about: only DynamoDB's own rules apply (depth, empty map
    /// keys, empty sets, duplicate set items).
    void checkFree(const Value &v, const PathNode &node, int level)
    {
        if (v.isMap()) {
            if (tooDeep(v, node, level))
                return;
            const Value::Map &m = v.toMap();
            for (auto it = m.cbegin(); it != m.cend(); ++it) {
                const Value &item = it.value();
                const bool inner = item.isMap() || item.isList() || item.isSet();
                if (!inner && !it.key().isEmpty())
                    continue;
                const PathNode child{&node, &it.key(), -1, nullptr};
                if (emptyKey(it.key(), child))
                    return;
                if (inner)
                    checkFree(item, child, level + 1);
                if (m_failed)
                    return;
            }
        } else if (v.isList()) {
            if (tooDeep(v, node, level))
                return;
            const Value::List &l = v.toList();
            for (qsizetype i = 0; i < l.size(); ++i) {
                if (!l[i].isMap() && !l[i].isList() && !l[i].isSet())
                    continue;
                const PathNode child{&node, nullptr, i, nullptr};
                checkFree(l[i], child, level + 1);
                if (m_failed)
                    return;
            }
        } else if (v.isSet()) {
            if (v.size() == 0) {
                reportCertain(&node, [] {
                    return QStringLiteral("is an empty set; DynamoDB refuses empty sets (leave "
                                          "the attribute out instead)");
                });
                return;
            }
            checkDuplicates(v, node);
        }
    }

    /// A value against a field or item spec. `item`: a dict, list or set item (never null).
    void checkValue(const FieldSpec *spec, const Value &v, const PathNode &node, int level,
                    bool item)
    {
        if (!spec) {
            checkFree(v, node, level);
            return;
        }
        if (v.isNull()) {
            if (spec->acceptsAnything())
                return;
            if (item) {
                report(&node, [&] {
                    return QStringLiteral("must be %1, not null; items are never optional")
                        .arg(typePhrase(*spec));
                });
            } else if (spec->required) {
                report(&node, [] { return QStringLiteral("is required and cannot be null"); });
            }
            return;
        }
        if (spec->types.empty()) {
            checkFree(v, node, level);
            return;
        }
        if (v.isNumber()) {
            // Reads the number's text only when int and float must be told apart.
            bool takesInt = false;
            bool takesFloat = false;
            for (const FieldType &t : spec->types) {
                if (t.kind == FieldKind::Decimal || t.kind == FieldKind::Any)
                    return;
                takesInt = takesInt || t.kind == FieldKind::Int;
                takesFloat = takesFloat || t.kind == FieldKind::Float;
            }
            if (takesInt && takesFloat)
                return;
            if (takesInt || takesFloat) {
                if (isIntegerText(v.text()) == takesInt)
                    return;
            }
            mismatch(spec, v, node);
            return;
        }
        const FieldType *match = nullptr;
        int deepMatches = 0;
        for (const FieldType &t : spec->types) {
            if (t.kind == FieldKind::Any) {
                checkFree(v, node, level);
                return;
            }
            if (!valueFitsType(t, v))
                continue;
            if (!isDeepKind(t.kind))
                return; // a scalar matched; scalars have nothing inside
            if (!match)
                match = &t;
            ++deepMatches;
        }
        if (!match) {
            mismatch(spec, v, node);
            return;
        }
        if (deepMatches > 1) {
            // A union of containers of one shape (a map model or a dict): valid when one of
            // them accepts the whole value; otherwise the problems of the first are reported.
            for (const FieldType &t : spec->types) {
                if (!isDeepKind(t.kind) || !valueFitsType(t, v))
                    continue;
                // Strict even for an advisory model: the probe decides which type applies.
                Walker probe(m_model, nullptr, false);
                probe.checkTyped(t, spec, v, node, level);
                if (!probe.failed())
                    return;
            }
        }
        checkTyped(*match, spec, v, node, level);
    }

    void mismatch(const FieldSpec *spec, const Value &v, const PathNode &node)
    {
        report(&node, [&] {
            return QStringLiteral("must be %1, not %2").arg(typePhrase(*spec), v.typeDescription());
        });
    }

    void checkTyped(const FieldType &t, const FieldSpec *spec, const Value &v, const PathNode &node,
                    int level)
    {
        switch (t.kind) {
        case FieldKind::Map:
            if (t.model)
                checkMap(*t.model, v, node, level);
            else
                checkFree(v, node, level);
            break;
        case FieldKind::Dict:
            checkDict(t, spec, v, node, level);
            break;
        case FieldKind::List:
            checkList(t, spec, v, node, level);
            break;
        case FieldKind::Set:
            checkSet(t, v, node);
            break;
        default:
            break;
        }
    }

    /// A map with a model: declared fields checked, required ones present, others noted.
    void checkMap(const MapModel &model, const Value &v, const PathNode &node, int level)
    {
        if (tooDeep(v, node, level))
            return;
        const Value::Map &m = v.toMap();
        const bool atRoot = level == 0 && &model == &m_model.root();
        int requiredSeen = 0;
        const auto end = m.cend();
        for (auto it = m.cbegin(); it != end;) {
            const auto next = std::next(it);
            if (next != end)
                prefetch(next.value());
            const auto current = it;
            it = next;
            const FieldSpec *field = model.field(current.key());
            const PathNode child{&node, &current.key(), -1, field};
            if (!field) {
                if (emptyKey(current.key(), child))
                    return;
                if (atRoot && !m_keyField && current.key() == m_model.hashKey()) {
                    checkKeyValue(current.value(), child); // a model built without its key field
                    if (m_failed)
                        return;
                    continue;
                }
                if (m_out) {
                    report(
                        &child,
                        [] {
                            return QStringLiteral("is not declared in the table model; StructNoSQL "
                                                  "would drop it");
                        },
                        Weight::Note);
                }
                checkFree(current.value(), child, level + 1);
                if (m_failed)
                    return;
                continue;
            }
            if (field->required)
                ++requiredSeen;
            if (atRoot && field == m_keyField)
                checkKeyValue(current.value(), child);
            else
                checkValue(field, current.value(), child, level + 1, false);
            if (m_failed)
                return;
        }
        int requiredCount = 0;
        for (const auto &f : model.fields)
            requiredCount += f->required ? 1 : 0;
        if (requiredSeen >= requiredCount)
            return;
        for (const auto &f : model.fields) {
            // A missing key is reported once, as the key.
            if (!f->required || m.contains(f->name) || (atRoot && f.get() == m_keyField))
                continue;
            const PathNode child{&node, &f->name, -1, f.get()};
            report(&child, [] { return QStringLiteral("is required but missing"); });
            if (m_failed)
                return;
        }
    }

    void checkDict(const FieldType &t, const FieldSpec *spec, const Value &v, const PathNode &node,
                   int level)
    {
        if (tooDeep(v, node, level) || tooRecursive(spec, v, node))
            return;
        const Value::Map &m = v.toMap();
        for (auto it = m.cbegin(); it != m.cend(); ++it) {
            const PathNode child{&node, &it.key(), -1, t.items};
            if (emptyKey(it.key(), child))
                return;
            if (t.keyType == FieldKind::Int || t.keyType == FieldKind::Float) {
                const bool fits = t.keyType == FieldKind::Int ? isIntegerSyntax(it.key())
                                                              : isNumberSyntax(it.key());
                if (!fits) {
                    report(&child, [&] {
                        return QStringLiteral("is not a valid key: the keys of this dict must "
                                              "be %1 numbers, not \"%2\"")
                            .arg(fieldKindName(t.keyType), shortText(it.key()));
                    });
                    if (m_failed)
                        return;
                }
            }
            checkValue(t.items, it.value(), child, level + 1, true);
            if (m_failed)
                return;
        }
    }

    void checkList(const FieldType &t, const FieldSpec *spec, const Value &v, const PathNode &node,
                   int level)
    {
        if (tooDeep(v, node, level) || tooRecursive(spec, v, node))
            return;
        const Value::List &l = v.toList();
        for (qsizetype i = 0; i < l.size(); ++i) {
            const PathNode child{&node, nullptr, i, t.items};
            checkValue(t.items, l[i], child, level + 1, true);
            if (m_failed)
                return;
        }
    }

    void checkSet(const FieldType &t, const Value &v, const PathNode &node)
    {
        const qsizetype n = v.size();
        if (n == 0) {
            // DynamoDB's rule, not the model's: a guessed model blocks it too.
            reportCertain(&node, [] {
                return QStringLiteral("is an empty set; DynamoDB refuses empty sets (leave the "
                                      "attribute out instead)");
            });
            return;
        }
        if (v.type() == Value::Type::NumberSet && t.items && !t.items->acceptsAnything()) {
            for (const QString &number : v.textItems()) {
                bool fits = false;
                for (const FieldType &it : t.items->types) {
                    if (isNumericKind(it.kind) && numberFits(it.kind, number)) {
                        fits = true;
                        break;
                    }
                }
                if (!fits) {
                    report(&node, [&] {
                        return QStringLiteral("holds %1, which is not %2")
                            .arg(shortText(number), typePhrase(*t.items));
                    });
                    if (m_failed)
                        return;
                }
            }
        }
        checkDuplicates(v, node);
    }

    void checkDuplicates(const Value &v, const PathNode &node)
    {
        // Sets are usually small: pairwise comparison allocates nothing. Large ones use a hash.
        constexpr qsizetype kPairwiseLimit = 48;
        // DynamoDB's rule, not the model's: a guessed model blocks it too.
        auto duplicate = [&](const QString &shown) {
            reportCertain(&node, [&] {
                return QStringLiteral("holds %1 more than once; a set cannot hold duplicates")
                    .arg(shown);
            });
        };
        switch (v.type()) {
        case Value::Type::StringSet:
        case Value::Type::NumberSet: {
            const bool numbers = v.type() == Value::Type::NumberSet;
            const QStringList &items = v.textItems();
            auto shown = [&](const QString &s) {
                return numbers ? shortText(s) : u'"' + shortText(s) + u'"';
            };
            if (items.size() <= kPairwiseLimit) {
                for (qsizetype i = 1; i < items.size(); ++i) {
                    for (qsizetype j = 0; j < i; ++j) {
                        if (numbers ? sameNumber(items[i], items[j]) : items[i] == items[j]) {
                            duplicate(shown(items[i]));
                            if (m_failed || !m_out)
                                return;
                            break;
                        }
                    }
                }
                return;
            }
            QSet<QString> seen;
            seen.reserve(items.size());
            for (const QString &s : items) {
                const QString canonical = numbers ? canonicalNumber(s) : s;
                if (seen.contains(canonical)) {
                    duplicate(shown(s));
                    if (m_failed)
                        return;
                } else {
                    seen.insert(canonical);
                }
            }
            return;
        }
        case Value::Type::BinarySet: {
            const QList<QByteArray> &items = v.binaryItems();
            auto shownBytes = [](const QByteArray &b) {
                return QStringLiteral("the binary value %1")
                    .arg(QString::fromLatin1(b.toBase64().left(40)));
            };
            if (items.size() <= kPairwiseLimit) {
                for (qsizetype i = 1; i < items.size(); ++i) {
                    for (qsizetype j = 0; j < i; ++j) {
                        if (items[i] == items[j]) {
                            duplicate(shownBytes(items[i]));
                            if (m_failed || !m_out)
                                return;
                            break;
                        }
                    }
                }
                return;
            }
            QSet<QByteArray> seen;
            for (const QByteArray &b : items) {
                if (seen.contains(b)) {
                    duplicate(shownBytes(b));
                    if (m_failed)
                        return;
                } else {
                    seen.insert(b);
                }
            }
            return;
        }
        default:
            return;
        }
    }

    const TableModel &m_model;
    Problems *m_out;
    const bool m_advisory;
    bool m_failed = false;
    const FieldSpec *m_keyField = nullptr; ///< the root field of the hash key
    bool m_keySeen = false;
};

} // namespace

bool valueFitsType(const FieldType &t, const Value &v)
{
    switch (t.kind) {
    case FieldKind::Str:
        return v.type() == Value::Type::String;
    case FieldKind::Int:
        return v.type() == Value::Type::Number && isIntegerText(v.text());
    case FieldKind::Float:
        return v.type() == Value::Type::Number && !isIntegerText(v.text());
    case FieldKind::Decimal:
        return v.type() == Value::Type::Number;
    case FieldKind::Bool:
        return v.type() == Value::Type::Bool;
    case FieldKind::Bytes:
        return v.type() == Value::Type::Binary;
    case FieldKind::Any:
        return true;
    case FieldKind::Map:
    case FieldKind::Dict:
        return v.type() == Value::Type::Map;
    case FieldKind::List:
        return v.type() == Value::Type::List;
    case FieldKind::Set:
        return v.isSet() && setFits(t.items, v.type());
    }
    return false;
}

Problems Validator::validateRecord(const Value &record) const
{
    Problems problems;
    Walker walker(m_model, &problems, m_model.isAdvisory());
    walker.checkRecord(record);
    return problems;
}

bool Validator::isValidRecord(const Value &record) const
{
    Walker walker(m_model, nullptr, m_model.isAdvisory());
    walker.checkRecord(record);
    return !walker.failed();
}

Problems Validator::validateAt(const ResolvedPath &path, const Value &value) const
{
    Problems problems;
    Walker walker(m_model, &problems, m_model.isAdvisory());
    walker.checkAt(path, value);
    return problems;
}
