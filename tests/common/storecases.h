#pragma once

// The data-driven table of record operation cases, shared by every store's test: the embedded
// SQLite store now, DynamoDB later. Each row seeds a table, runs one operation and checks the
// result and the records afterwards.

#include "model/json/jsoncodec.h"
#include "model/schema/validator.h"
#include "model/store/recordstore.h"

#include <QTest>

#include <optional>

namespace StoreCases {

/// The model every case runs against: the table model file format example, inline so it never
/// drifts.
inline QByteArray modelJson()
{
    return R"({
  "table": "users",
  "primaryIndex": { "hashKey": "userId", "hashKeyType": "str" },
  "fields": {
    "userId":   { "type": "str", "required": true },
    "username": { "type": "str", "required": true },
    "age":      { "type": ["int", "float", "str"] },
    "nextReminderTimestamp": { "type": "int" },
    "metadata": { "type": "map", "fields": {
        "accountCreationTimestamp": { "type": "int", "required": true },
        "lastConnectionTimestamp":  { "type": "int" } } },
    "tokens":   { "type": "dict", "keyType": "str", "keyName": "tokenId",
                  "items": { "type": "map", "model": "AuthToken" } },
    "tags":     { "type": "set", "items": "str" },
    "logs":     { "type": "list", "keyName": "logIndex", "items": ["str", "dict"] },
    "settings": { "type": "any" }
  },
  "models": {
    "AuthToken": { "fields": { "expirationTimestamp": { "type": "int", "required": true },
                               "scope": { "type": "str" } } }
  }
})";
}

/// Records present before every case (plain JSON; tags typed by the model).
inline QList<QByteArray> seedRecords()
{
    return {
        R"({"userId":"u1","username":"Bob","age":30,"metadata":{"accountCreationTimestamp":1600000000},"tokens":{"t1":{"expirationTimestamp":1700000000}},"tags":["a","b"],"logs":["start"]})",
        R"({"userId":"u2","username":"Alice","age":"unknown","nextReminderTimestamp":5})",
        R"({"userId":"u3","username":"Carol","age":41.5,"settings":{"theme":"dark","n":[1,2]}})",
    };
}

enum class Op {
    Put,
    Replace,
    ReplaceStale,
    Get,
    Delete,
    Remove,
    Update,
    UpdateReturnOld,
    UpdateMany,
    UpdateManyReturnOld,
    DeleteField,
    RemoveField,
    Count,
    ScanWhere
};

inline constexpr int kSuccess = -1;

/// Declares the columns of the case table.
inline void addColumns()
{
    QTest::addColumn<int>("op");
    QTest::addColumn<QString>("key");       // the record key the operation addresses
    QTest::addColumn<QByteArray>("arg");    // record JSON, value JSON or object of path -> value
    QTest::addColumn<QString>("path");      // field path, or the filter "path=json"
    QTest::addColumn<QString>("vars");      // "name=value" or empty
    QTest::addColumn<int>("expectedError"); // kSuccess or an ErrorKind
    QTest::addColumn<QByteArray>(
        "expectedResult");                 // plain JSON of the result; "absent"; "" to skip
    QTest::addColumn<QString>("checkKey"); // a key whose record is checked afterwards
    QTest::addColumn<QByteArray>("expectedRecord"); // plain JSON, or "absent"
    QTest::addColumn<QString>("messageFragment");   // a part of the error message, or ""
}

inline void row(const char *name, Op op, const QString &key, const QByteArray &arg,
                const QString &path, const QString &vars, int error, const QByteArray &result,
                const QString &checkKey, const QByteArray &record, const QString &fragment = {})
{
    QTest::newRow(name) << int(op) << key << arg << path << vars << error << result << checkKey
                        << record << fragment;
}

inline constexpr const char *kU1 =
    R"({"userId":"u1","username":"Bob","age":30,"metadata":{"accountCreationTimestamp":1600000000},"tokens":{"t1":{"expirationTimestamp":1700000000}},"tags":["a","b"],"logs":["start"]})";

/// Every operation, each success and each documented failure (the seed page's cases first).
inline void addRows()
{
    const int invalid = int(ErrorKind::Invalid);
    const int exists = int(ErrorKind::Exists);
    const int notFound = int(ErrorKind::NotFound);
    const int conflict = int(ErrorKind::Conflict);
    const QByteArray u1 = kU1;

    // put_record (seed §1): validated first; refused when the key exists (documented intent).
    row("put complete", Op::Put, "u9", R"({"userId":"u9","username":"Bob"})", {}, {}, kSuccess, "",
        "u9", R"({"userId":"u9","username":"Bob"})");
    row("put without required username writes nothing", Op::Put, "u9", R"({"userId":"u9"})", {}, {},
        invalid, "", "u9", "absent", "username");
    row("put without the key", Op::Put, "", R"({"username":"Bob"})", {}, {}, invalid, "", "u1", u1,
        "userId");
    row("put with a numeric key on a str key", Op::Put, "", R"({"userId":9,"username":"Bob"})", {},
        {}, invalid, "", "u1", u1, "key");
    row("put over an existing key is refused", Op::Put, "u1", R"({"userId":"u1","username":"Eve"})",
        {}, {}, exists, "", "u1", u1, "already exists");
    row("put with a wrong optional type", Op::Put, "u9",
        R"({"userId":"u9","username":"Bob","nextReminderTimestamp":"soon"})", {}, {}, invalid, "",
        "u9", "absent", "nextReminderTimestamp");
    row("put with a nested required field missing", Op::Put, "u9",
        R"({"userId":"u9","username":"Bob","metadata":{"lastConnectionTimestamp":3}})", {}, {},
        invalid, "", "u9", "absent", "metadata.accountCreationTimestamp");
    row("put with a dict item missing its required field", Op::Put, "u9",
        R"({"userId":"u9","username":"Bob","tokens":{"t1":{"scope":"x"}}})", {}, {}, invalid, "",
        "u9", "absent", "tokens.t1.expirationTimestamp");
    row("put keeps undeclared attributes", Op::Put, "u9",
        R"({"userId":"u9","username":"Bob","extra":{"x":1}})", {}, {}, kSuccess, "", "u9",
        R"({"userId":"u9","username":"Bob","extra":{"x":1}})");
    row("put with a null required field", Op::Put, "u9", R"({"userId":"u9","username":null})", {},
        {}, invalid, "", "u9", "absent", "username");
    row("put with a null optional field", Op::Put, "u9",
        R"({"userId":"u9","username":"Bob","age":null})", {}, {}, kSuccess, "", "u9",
        R"({"userId":"u9","username":"Bob","age":null})");

    // get_record
    row("get existing", Op::Get, "u1", {}, {}, {}, kSuccess, u1, "u1", u1);
    row("get missing", Op::Get, "nobody", {}, {}, {}, kSuccess, "absent", "nobody", "absent");

    // delete_record (seed §2): false when the record did not exist.
    row("delete existing", Op::Delete, "u1", {}, {}, {}, kSuccess, "true", "u1", "absent");
    row("delete missing returns false", Op::Delete, "nobody", {}, {}, {}, kSuccess, "false", "u1",
        u1);

    // remove_record (seed §3): the removed record, or none.
    row("remove existing returns it", Op::Remove, "u1", {}, {}, {}, kSuccess, u1, "u1", "absent");
    row("remove missing returns none", Op::Remove, "nobody", {}, {}, {}, kSuccess, "absent", "u1",
        u1);

    // replace_record: only over the record the form loaded.
    row("replace unchanged record", Op::Replace, "u2",
        R"({"userId":"u2","username":"Alicia","age":"unknown"})", {}, {}, kSuccess, "", "u2",
        R"({"userId":"u2","username":"Alicia","age":"unknown"})");
    row("replace after someone else changed it", Op::ReplaceStale, "u2",
        R"({"userId":"u2","username":"Alicia"})", {}, {}, conflict, "", "u2",
        R"({"userId":"u2","username":"Alice","age":"unknown","nextReminderTimestamp":5})",
        "changed");
    row("replace invalid record", Op::Replace, "u2", R"({"userId":"u2"})", {}, {}, invalid, "",
        "u2", R"({"userId":"u2","username":"Alice","age":"unknown","nextReminderTimestamp":5})",
        "username");
    row("replace a record that disappeared", Op::Replace, "gone",
        R"({"userId":"gone","username":"G"})", {}, {}, notFound, "", "gone", "absent",
        "no longer exists");

    // update_field: an upsert that creates the record and missing parents (seed info box).
    row("update missing record creates it", Op::Update, "u9", R"("Zed")", "username", {}, kSuccess,
        "", "u9", R"({"userId":"u9","username":"Zed"})");
    row("update creates a missing parent map", Op::Update, "u2", "7",
        "metadata.lastConnectionTimestamp", {}, kSuccess, "", "u2",
        R"({"userId":"u2","username":"Alice","age":"unknown","nextReminderTimestamp":5,"metadata":{"lastConnectionTimestamp":7}})");
    row("update a dict item field", Op::Update, "u1", "42",
        "tokens.{{tokenId}}.expirationTimestamp", "tokenId=t2", kSuccess, "", "u1",
        R"({"userId":"u1","username":"Bob","age":30,"metadata":{"accountCreationTimestamp":1600000000},"tokens":{"t1":{"expirationTimestamp":1700000000},"t2":{"expirationTimestamp":42}},"tags":["a","b"],"logs":["start"]})");
    row("update a list item by index", Op::Update, "u1", R"("stop")", "logs.{{logIndex}}",
        "logIndex=0", kSuccess, "", "u1",
        R"({"userId":"u1","username":"Bob","age":30,"metadata":{"accountCreationTimestamp":1600000000},"tokens":{"t1":{"expirationTimestamp":1700000000}},"tags":["a","b"],"logs":["stop"]})");
    row("update with a wrong type writes nothing", Op::Update, "u1", R"("soon")",
        "nextReminderTimestamp", {}, invalid, "", "u1", u1, "nextReminderTimestamp");
    row("update an unknown field", Op::Update, "u1", "1", "nope", {}, invalid, "", "u1", u1,
        "nope");
    row("update the key attribute is refused", Op::Update, "u1", R"("u7")", "userId", {}, invalid,
        "", "u1", u1, "key");
    row("update without a needed variable", Op::Update, "u1", "1",
        "tokens.{{tokenId}}.expirationTimestamp", {}, invalid, "", "u1", u1, "tokenId");
    row("update a whole dict item missing a required field", Op::Update, "u1", R"({"scope":"x"})",
        "tokens.{{tokenId}}", "tokenId=t3", invalid, "", "u1", u1, "expirationTimestamp");
    row("update_field_return_old", Op::UpdateReturnOld, "u1", "31", "age", {}, kSuccess, "30", "u1",
        R"({"userId":"u1","username":"Bob","age":31,"metadata":{"accountCreationTimestamp":1600000000},"tokens":{"t1":{"expirationTimestamp":1700000000}},"tags":["a","b"],"logs":["start"]})");
    row("update_field_return_old of an absent field", Op::UpdateReturnOld, "u2", "9",
        "metadata.accountCreationTimestamp", {}, kSuccess, "absent", "u2",
        R"({"userId":"u2","username":"Alice","age":"unknown","nextReminderTimestamp":5,"metadata":{"accountCreationTimestamp":9}})");

    // update_multiple_fields: all or nothing.
    row("update many", Op::UpdateMany, "u2", R"({"username":"Al","nextReminderTimestamp":6})", {},
        {}, kSuccess, "", "u2",
        R"({"userId":"u2","username":"Al","age":"unknown","nextReminderTimestamp":6})");
    row("update many with one invalid writes nothing", Op::UpdateMany, "u2",
        R"({"username":"Al","nextReminderTimestamp":"x"})", {}, {}, invalid, "", "u2",
        R"({"userId":"u2","username":"Alice","age":"unknown","nextReminderTimestamp":5})",
        "nextReminderTimestamp");
    row("update many on a missing record creates it", Op::UpdateMany, "u9",
        R"({"username":"New","age":1})", {}, {}, kSuccess, "", "u9",
        R"({"userId":"u9","username":"New","age":1})");
    row("update many return old", Op::UpdateManyReturnOld, "u2",
        R"({"username":"Al","nextReminderTimestamp":6})", {}, {}, kSuccess,
        R"({"nextReminderTimestamp":5,"username":"Alice"})", "u2",
        R"({"userId":"u2","username":"Al","age":"unknown","nextReminderTimestamp":6})");

    // Issue 11: paths and values that used to slip through, refused before anything is written.
    row("update many with overlapping paths is refused", Op::UpdateMany, "u2",
        R"({"metadata":{"accountCreationTimestamp":1},"metadata.lastConnectionTimestamp":2})", {},
        {}, invalid, "", "u2",
        R"({"userId":"u2","username":"Alice","age":"unknown","nextReminderTimestamp":5})",
        "the paths \"metadata\" and \"metadata.lastConnectionTimestamp\" overlap");
    row("update with brackets in a name under any is refused", Op::Update, "u3", "1",
        "settings.a[999999999]", {}, invalid, "", "u3",
        R"({"userId":"u3","username":"Carol","age":41.5,"settings":{"theme":"dark","n":[1,2]}})",
        "which field paths reserve");
    row("update with an empty dict key variable is refused", Op::Update, "u1",
        R"({"expirationTimestamp":1})", "tokens.{{tokenId}}", "tokenId=", invalid, "", "u1", u1,
        "a map key cannot be empty");
    row("put with an empty map key under any is refused", Op::Put, "u9",
        R"({"userId":"u9","username":"B","settings":{"x":{"":1}}})", {}, {}, invalid, "", "u9",
        "absent", "settings.x.");
    row("put with an empty dict key is refused", Op::Put, "u9",
        R"({"userId":"u9","username":"B","tokens":{"":{"expirationTimestamp":1}}})", {}, {},
        invalid, "", "u9", "absent", "empty map key");

    // delete_field / remove_field
    row("delete field", Op::DeleteField, "u2", {}, "nextReminderTimestamp", {}, kSuccess, "true",
        "u2", R"({"userId":"u2","username":"Alice","age":"unknown"})");
    row("delete absent field returns false", Op::DeleteField, "u2", {},
        "metadata.lastConnectionTimestamp", {}, kSuccess, "false", "u2",
        R"({"userId":"u2","username":"Alice","age":"unknown","nextReminderTimestamp":5})");
    row("delete field of a missing record returns false", Op::DeleteField, "nobody", {}, "age", {},
        kSuccess, "false", "nobody", "absent");
    row("delete a required field is refused", Op::DeleteField, "u2", {}, "username", {}, invalid,
        "", "u2", R"({"userId":"u2","username":"Alice","age":"unknown","nextReminderTimestamp":5})",
        "required");
    row("delete the key is refused", Op::DeleteField, "u2", {}, "userId", {}, invalid, "", "u2",
        R"({"userId":"u2","username":"Alice","age":"unknown","nextReminderTimestamp":5})", "key");
    row("remove field returns it", Op::RemoveField, "u1", {}, "tokens.{{tokenId}}", "tokenId=t1",
        kSuccess, R"({"expirationTimestamp":1700000000})", "u1",
        R"({"userId":"u1","username":"Bob","age":30,"metadata":{"accountCreationTimestamp":1600000000},"tokens":{},"tags":["a","b"],"logs":["start"]})");
    row("remove absent field returns none", Op::RemoveField, "u3", {}, "tags", {}, kSuccess,
        "absent", "u3",
        R"({"userId":"u3","username":"Carol","age":41.5,"settings":{"theme":"dark","n":[1,2]}})");

    // count and scan with filters
    row("count all", Op::Count, {}, {}, {}, {}, kSuccess, "3", "u1", u1);
    row("count where username", Op::Count, {}, {}, R"(username="Bob")", {}, kSuccess, "1", "u1",
        u1);
    row("count where number", Op::Count, {}, {}, "age=30", {}, kSuccess, "1", "u1", u1);
    row("scan where nested", Op::ScanWhere, {}, {}, "metadata.accountCreationTimestamp=1600000000",
        {}, kSuccess, R"(["u1"])", "u1", u1);
}

/// A typed record from plain JSON, as the CLI and the forms make them.
inline Value typed(const TableModel &model, const QByteArray &json)
{
    auto parsed = JsonCodec::parsePlain(json);
    if (!parsed)
        qFatal("bad JSON in a case: %s", json.constData());
    return applyModelTypes(model, *parsed);
}

inline QHash<QString, QString> variables(const QString &vars)
{
    QHash<QString, QString> out;
    if (!vars.isEmpty())
        out.insert(vars.section(u'=', 0, 0), vars.section(u'=', 1));
    return out;
}

/// Creates the users table in `store` and puts the seed records.
inline void seed(RecordStore &store)
{
    auto model = TableModel::fromJson(modelJson(), QStringLiteral("cases"));
    QVERIFY2(model, qPrintable(model ? QString() : model.error().toString()));
    const Status created = store.createTable(QStringLiteral("users"), **model);
    QVERIFY2(created, qPrintable(created ? QString() : created.error().toString()));
    for (const QByteArray &json : seedRecords()) {
        const Status put = store.putRecord(QStringLiteral("users"), typed(**model, json));
        QVERIFY2(put, qPrintable(put ? QString() : put.error().toString()));
    }
}

/// Runs the current row against `store` (seeded with seed()).
inline void run(RecordStore &store)
{
    QFETCH(int, op);
    QFETCH(QString, key);
    QFETCH(QByteArray, arg);
    QFETCH(QString, path);
    QFETCH(QString, vars);
    QFETCH(int, expectedError);
    QFETCH(QByteArray, expectedResult);
    QFETCH(QString, checkKey);
    QFETCH(QByteArray, expectedRecord);
    QFETCH(QString, messageFragment);

    const QString table = QStringLiteral("users");
    auto modelResult = store.model(table);
    QVERIFY(modelResult);
    const TableModel &model = **modelResult;
    const Value k = Value::string(key);
    std::optional<Error> error;
    std::optional<QByteArray> result; // plain JSON, or "absent"
    auto take = [&](const auto &r, auto &&render) {
        if (!r)
            error = r.error();
        else
            result = render(*r);
    };
    auto renderOptional = [](const std::optional<Value> &v) {
        return v ? JsonCodec::toPlain(*v) : QByteArray("absent");
    };
    auto setters = [&]() {
        std::vector<FieldSetter> out;
        const Value object = typed(model, arg);
        for (auto it = object.toMap().cbegin(); it != object.toMap().cend(); ++it) {
            auto p = resolvePath(model, it.key());
            out.push_back(
                FieldSetter{it.key(), p ? applyModelTypesAt(model, *p, it.value()) : it.value()});
        }
        return out;
    };
    auto setter = [&]() {
        auto parsed = JsonCodec::parsePlain(arg);
        auto p = resolvePath(model, path, variables(vars));
        Value v = parsed ? *parsed : Value();
        return FieldSetter{path, p ? applyModelTypesAt(model, *p, v) : v, variables(vars)};
    };
    auto filter = [&]() {
        ScanRequest request;
        if (!path.isEmpty()) {
            FilterCondition c;
            c.path = path.section(u'=', 0, 0).split(u'.');
            c.operand = *JsonCodec::parsePlain(path.section(u'=', 1).toUtf8());
            request.conditions.push_back(c);
        }
        return request;
    };

    switch (Op(op)) {
    case Op::Put: {
        const Status s = store.putRecord(table, typed(model, arg));
        if (!s)
            error = s.error();
        break;
    }
    case Op::Replace:
    case Op::ReplaceStale: {
        auto current = store.getRecord(table, k);
        QVERIFY(current);
        Value expected = current->value_or(typed(model, arg));
        if (Op(op) == Op::ReplaceStale)
            expected.mapRef().insert(QStringLiteral("username"),
                                     Value::string(QStringLiteral("stale")));
        const Status s = store.replaceRecord(table, expected, typed(model, arg));
        if (!s)
            error = s.error();
        break;
    }
    case Op::Get:
        take(store.getRecord(table, k), renderOptional);
        break;
    case Op::Delete:
        take(store.deleteRecord(table, k), [](bool b) { return QByteArray(b ? "true" : "false"); });
        break;
    case Op::Remove:
        take(store.removeRecord(table, k), renderOptional);
        break;
    case Op::Update: {
        const Status s = store.updateField(table, k, setter());
        if (!s)
            error = s.error();
        break;
    }
    case Op::UpdateReturnOld:
        take(store.updateFieldReturnOld(table, k, setter()), renderOptional);
        break;
    case Op::UpdateMany: {
        const Status s = store.updateMultipleFields(table, k, setters());
        if (!s)
            error = s.error();
        break;
    }
    case Op::UpdateManyReturnOld: {
        const auto list = setters();
        take(store.updateMultipleFieldsReturnOld(table, k, list), [&](const auto &old) {
            Value::Map m;
            for (std::size_t i = 0; i < list.size(); ++i)
                m.insert(list[i].path,
                         old[i] ? *old[i] : Value::string(QStringLiteral("<absent>")));
            return JsonCodec::toPlain(Value::map(m));
        });
        break;
    }
    case Op::DeleteField:
        take(store.deleteField(table, k, path, variables(vars)),
             [](bool b) { return QByteArray(b ? "true" : "false"); });
        break;
    case Op::RemoveField:
        take(store.removeField(table, k, path, variables(vars)), renderOptional);
        break;
    case Op::Count:
        take(store.count(table, filter()), [](qint64 n) { return QByteArray::number(n); });
        break;
    case Op::ScanWhere:
        take(store.scan(table, filter()), [&](const ScanPage &page) {
            Value::List keys;
            for (const Value &r : page.records)
                keys.append(*r.find(model.hashKey()));
            return JsonCodec::toPlain(Value::list(keys));
        });
        break;
    }

    if (expectedError == kSuccess) {
        QVERIFY2(!error, qPrintable(error ? error->toString() : QString()));
        if (!expectedResult.isEmpty()) {
            QVERIFY(result);
            // Compare values, not texts: map members print in key order.
            auto got = JsonCodec::parsePlain(*result);
            auto want = JsonCodec::parsePlain(expectedResult);
            if (got && want)
                QVERIFY2(*got == *want, qPrintable(QStringLiteral("got %1, expected %2")
                                                       .arg(QString::fromUtf8(*result),
                                                            QString::fromUtf8(expectedResult))));
            else
                QCOMPARE(*result, expectedResult);
        }
    } else {
        QVERIFY2(error, "the operation should have failed");
        QCOMPARE(errorKindName(error->kind), errorKindName(ErrorKind(expectedError)));
        if (!messageFragment.isEmpty())
            QVERIFY2(error->toString().contains(messageFragment),
                     qPrintable(QStringLiteral("\"%1\" does not mention \"%2\"")
                                    .arg(error->toString(), messageFragment)));
    }
    auto after = store.getRecord(table, Value::string(checkKey));
    QVERIFY2(after, qPrintable(after ? QString() : after.error().toString()));
    if (expectedRecord == "absent") {
        QVERIFY2(!after->has_value(),
                 after->has_value() ? JsonCodec::toPlain(**after).constData() : "");
    } else {
        QVERIFY2(after->has_value(), "the record should exist");
        const Value expected = typed(model, expectedRecord);
        QVERIFY2(**after == expected,
                 qPrintable(QStringLiteral("got %1\nexpected %2")
                                .arg(QString::fromUtf8(JsonCodec::toPlain(**after)),
                                     QString::fromUtf8(expectedRecord))));
    }
}

/// Issue 11: numbers keep the text they were written with, a signed zero included, through a
/// put, an update and a read. `normalises`: the engine's own rule when it rewrites numbers
/// (named in the test, never skipped), or nullptr when it keeps them.
inline void negativeZeroKeepsItsText(RecordStore &store, const char *normalises)
{
    auto model = store.model(QStringLiteral("users"));
    QVERIFY(model);
    const QByteArray record =
        R"({"age":-0,"settings":{"z":[-0,-0.0,0e5,1.50,1E+2]},"userId":"z1","username":"Z"})";
    const Status put = store.putRecord(QStringLiteral("users"), typed(**model, record));
    QVERIFY2(put, qPrintable(put ? QString() : put.error().toString()));
    const Status updated =
        store.updateField(QStringLiteral("users"), Value::string(QStringLiteral("z1")),
                          FieldSetter{QStringLiteral("nextReminderTimestamp"),
                                      Value::numberUnchecked(QStringLiteral("-0"))});
    QVERIFY2(updated, qPrintable(updated ? QString() : updated.error().toString()));
    auto got = store.getRecord(QStringLiteral("users"), Value::string(QStringLiteral("z1")));
    QVERIFY2(got && got->has_value(), "the record should exist");
    const QByteArray text = JsonCodec::toPlain(**got);
    if (normalises)
        QEXPECT_FAIL("", normalises, Continue);
    QCOMPARE(
        text,
        QByteArray(
            R"({"age":-0,"nextReminderTimestamp":-0,"settings":{"z":[-0,-0.0,0e5,1.50,1E+2]},"userId":"z1","username":"Z"})"));
    // Whatever the engine does to the text, the number is the same.
    QCOMPARE(canonicalNumber((**got).find(QStringLiteral("age"))->text()), QStringLiteral("0"));
}

} // namespace StoreCases
