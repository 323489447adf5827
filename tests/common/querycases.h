#pragma once

// query() on any store: the primary index, secondary indexes (named by their hash attribute or
// by "name"), extra conditions, paging, and the refusals. Used by the store tests.

#include "model/store/recordstore.h"

#include <QSet>
#include <QTest>

namespace QueryCases {

using namespace Qt::StringLiterals;

inline QByteArray modelJson()
{
    return R"({
  "table": "queried",
  "primaryIndex": { "hashKey": "userId", "hashKeyType": "str" },
  "secondaryIndexes": [
    { "hashKey": "username", "hashKeyType": "str", "projection": "ALL" },
    { "name": "byAge", "hashKey": "age", "hashKeyType": "int", "projection": "ALL" } ],
  "fields": {
    "userId":   { "type": "str", "required": true },
    "username": { "type": "str", "required": true },
    "age":      { "type": "int" },
    "team":     { "type": "str" } }
})"_ba;
}

inline Value user(const QString &id, const QString &name, int age, const QString &team)
{
    return Value::map({{u"userId"_s, Value::string(id)},
                       {u"username"_s, Value::string(name)},
                       {u"age"_s, Value::integer(age)},
                       {u"team"_s, Value::string(team)}});
}

/// The ids of every record the query returns, walking its pages.
inline QStringList ids(RecordStore &store, const QString &table, QueryRequest request)
{
    QStringList out;
    int pages = 0;
    do {
        auto page = store.query(table, request);
        if (!page) {
            QTest::qFail(qPrintable(page.error().toString()), __FILE__, __LINE__);
            return {};
        }
        for (const Value &r : page->records)
            out << r.find(u"userId"_s)->text();
        request.cursor = page->nextCursor;
        if (++pages > 100) {
            QTest::qFail("the query pages do not end", __FILE__, __LINE__);
            return {};
        }
    } while (!request.cursor.isEmpty());
    out.sort();
    return out;
}

/// Creates `table` with the model above and runs every case on it.
inline void run(RecordStore &store, const QString &table)
{
    auto model = TableModel::fromJson(modelJson(), u"query cases"_s);
    QVERIFY2(model, qPrintable(model ? QString() : model.error().toString()));
    QVERIFY(store.createTable(table, **model));
    QVERIFY(store.putRecord(table, user(u"u1"_s, u"alice"_s, 30, u"red"_s)));
    QVERIFY(store.putRecord(table, user(u"u2"_s, u"alice"_s, 41, u"blue"_s)));
    QVERIFY(store.putRecord(table, user(u"u3"_s, u"alice"_s, 30, u"red"_s)));
    QVERIFY(store.putRecord(table, user(u"u4"_s, u"bob"_s, 30, u"red"_s)));

    // The primary index: the one record, or none.
    QueryRequest byKey;
    byKey.keyValue = Value::string(u"u2"_s);
    auto found = store.query(table, byKey);
    QVERIFY2(found, qPrintable(found ? QString() : found.error().toString()));
    QCOMPARE(found->records.size(), std::size_t(1));
    QCOMPARE(found->records.front(), user(u"u2"_s, u"alice"_s, 41, u"blue"_s));
    QVERIFY(found->nextCursor.isEmpty());
    byKey.keyValue = Value::string(u"nobody"_s);
    auto absent = store.query(table, byKey);
    QVERIFY(absent);
    QVERIFY(absent->records.empty());
    QVERIFY(absent->nextCursor.isEmpty());
    byKey.keyValue = Value::integer(7);
    auto wrongType = store.query(table, byKey);
    QVERIFY(!wrongType);
    QCOMPARE(wrongType.error().kind, ErrorKind::Invalid);
    byKey.keyValue = Value::string(QString());
    auto emptyKey = store.query(table, byKey);
    QVERIFY(!emptyKey);
    QCOMPARE(emptyKey.error().kind, ErrorKind::Invalid);
    // A condition on the primary index filters the record.
    byKey.keyValue = Value::string(u"u2"_s);
    byKey.conditions = {
        FilterCondition{QStringList{u"team"_s}, FilterOp::Equal, Value::string(u"red"_s)}};
    auto filteredOut = store.query(table, byKey);
    QVERIFY(filteredOut);
    QVERIFY(filteredOut->records.empty());

    // A secondary index named by its hash attribute.
    QueryRequest byName;
    byName.index = u"username"_s;
    byName.keyValue = Value::string(u"alice"_s);
    QCOMPARE(ids(store, table, byName), (QStringList{u"u1"_s, u"u2"_s, u"u3"_s}));
    byName.limit = 1; // pages of one record each, every record once
    QCOMPARE(ids(store, table, byName), (QStringList{u"u1"_s, u"u2"_s, u"u3"_s}));
    byName.limit = 2;
    QCOMPARE(ids(store, table, byName), (QStringList{u"u1"_s, u"u2"_s, u"u3"_s}));
    byName.conditions = {
        FilterCondition{QStringList{u"team"_s}, FilterOp::Equal, Value::string(u"red"_s)}};
    byName.limit = 1;
    QCOMPARE(ids(store, table, byName), (QStringList{u"u1"_s, u"u3"_s}));
    byName.conditions.clear();
    byName.keyValue = Value::string(u"carol"_s);
    QCOMPARE(ids(store, table, byName), QStringList());

    // A secondary index with a name, on a number attribute.
    QueryRequest byAge;
    byAge.index = u"byAge"_s;
    byAge.keyValue = Value::integer(30);
    QCOMPARE(ids(store, table, byAge), (QStringList{u"u1"_s, u"u3"_s, u"u4"_s}));
    byAge.keyValue = Value::string(u"thirty"_s);
    auto badAge = store.query(table, byAge);
    QVERIFY(!badAge);
    QCOMPARE(badAge.error().kind, ErrorKind::Invalid);

    // An unknown index is refused, naming the ones there are.
    QueryRequest unknown;
    unknown.index = u"email"_s;
    unknown.keyValue = Value::string(u"x"_s);
    auto refused = store.query(table, unknown);
    QVERIFY(!refused);
    QCOMPARE(refused.error().kind, ErrorKind::Invalid);
    QVERIFY2(refused.error().message.contains(u"username"_s) &&
                 refused.error().message.contains(u"byAge"_s),
             qPrintable(refused.error().message));
}

} // namespace QueryCases
