// Value::Map (a flat, sorted array) against QMap<QString, Value>, whose behaviour it replaces:
// same iteration order, same results for the operations the code base uses, copies that do
// not see later changes; and FastJson building maps from members in any order.

#include "model/core/value.h"
#include "model/json/fastjson.h"

#include <QMap>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

/// The same members in the same order.
bool sameAs(const Value::Map &flat, const QMap<QString, Value> &reference)
{
    if (flat.size() != reference.size())
        return false;
    auto r = reference.cbegin();
    for (auto it = flat.cbegin(); it != flat.cend(); ++it, ++r) {
        if (it.key() != r.key() || it.value() != r.value())
            return false;
    }
    return true;
}

} // namespace

class TstValueMap : public QObject
{
    Q_OBJECT

private slots:
    void orderIsQStringOrder();
    void operationsMatchQMap();
    void copiesAreIndependent();
    void parsedMembersInAnyOrder();
    void duplicateKeyIsRefused();
};

void TstValueMap::orderIsQStringOrder()
{
    // Upper before lower case, shorter prefix first, UTF-16 code units (a surrogate pair sorts
    // below U+FFFD), as QMap<QString, ...> orders them.
    const QStringList keys{
        u"b"_s, u"B"_s,   u"ab"_s, u"a"_s, u""_s, u"\uFFFD"_s, QString::fromUcs4(U"\U0001F600"),
        u"é"_s, u"a b"_s, u"a_"_s};
    Value::Map flat;
    QMap<QString, Value> reference;
    for (const QString &k : keys) {
        flat.insert(k, Value::string(k));
        reference.insert(k, Value::string(k));
    }
    QCOMPARE(flat.keys(), reference.keys());
    for (const QString &a : keys) {
        for (const QString &b : keys)
            QCOMPARE(Value::Map::keyLess(a, b), a < b);
    }
}

void TstValueMap::operationsMatchQMap()
{
    QRandomGenerator random(20240611);
    Value::Map flat;
    QMap<QString, Value> reference;
    for (int step = 0; step < 5000; ++step) {
        const QString key = u"k%1"_s.arg(random.bounded(40));
        const Value value = Value::integer(step);
        switch (random.bounded(8)) {
        case 0:
        case 1:
            QCOMPARE(flat.insert(key, value).key(), reference.insert(key, value).key());
            break;
        case 2:
            QCOMPARE(flat.remove(key), reference.remove(key));
            break;
        case 3:
            QCOMPARE(flat.take(key), reference.take(key));
            break;
        case 4:
            flat[key] = value;
            reference[key] = value;
            break;
        case 5: {
            auto it = flat.find(key);
            auto r = reference.find(key);
            QCOMPARE(it == flat.end(), r == reference.end());
            if (it != flat.end()) {
                it = flat.erase(it);
                r = reference.erase(r);
                QCOMPARE(it == flat.end(), r == reference.end());
                if (it != flat.end())
                    QCOMPARE(it.key(), r.key());
            }
            break;
        }
        case 6:
            QCOMPARE(flat.value(key, Value::boolean(true)),
                     reference.value(key, Value::boolean(true)));
            QCOMPARE(flat.contains(key), reference.contains(key));
            break;
        default: {
            const auto it = std::as_const(flat).find(key);
            const auto r = std::as_const(reference).find(key);
            QCOMPARE(it == flat.cend(), r == reference.cend());
            if (it != flat.cend())
                QCOMPARE(*it, *r);
            break;
        }
        }
        QVERIFY2(sameAs(flat, reference), qPrintable(u"after step %1"_s.arg(step)));
    }
    QCOMPARE(flat.values(), reference.values());
}

void TstValueMap::copiesAreIndependent()
{
    Value::Map a{{u"x"_s, Value::integer(1)}, {u"y"_s, Value::integer(2)}};
    const Value::Map b = a;
    QVERIFY(a == b);
    a[u"x"_s] = Value::integer(10);
    a.insert(u"z"_s, Value::integer(3));
    for (auto it = a.begin(); it != a.end(); ++it)
        it.value() = Value::string(it.key());
    QCOMPARE(b.value(u"x"_s), Value::integer(1));
    QCOMPARE(b.size(), 2);
    QVERIFY(a != b);

    Value record = Value::map(b);
    const Value shared = record;
    record.mapRef().remove(u"y"_s);
    QCOMPARE(shared.size(), 2);
    QCOMPARE(record.size(), 1);
}

void TstValueMap::parsedMembersInAnyOrder()
{
    auto parsed = FastJson::parsePlain(R"({"b":1,"a":{"z":true,"y":[{"q":1,"p":2}]},"c":"x"})");
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->toMap().keys(), (QStringList{u"a"_s, u"b"_s, u"c"_s}));
    const Value *a = parsed->find(u"a"_s);
    QVERIFY(a);
    QCOMPARE(a->toMap().keys(), (QStringList{u"y"_s, u"z"_s}));
    QCOMPARE(a->find(u"y"_s)->toList().at(0).toMap().keys(), (QStringList{u"p"_s, u"q"_s}));
}

void TstValueMap::duplicateKeyIsRefused()
{
    for (const char *text : {R"({"a":1,"b":2,"a":3})", R"({"b":1,"a":2,"b":3})"}) {
        auto parsed = FastJson::parsePlain(QByteArrayView(text));
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error().message.contains(u"appears twice"_s),
                 qPrintable(parsed.error().message));
    }
}

QTEST_APPLESS_MAIN(TstValueMap)
#include "tst_valuemap.moc"
