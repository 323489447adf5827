// Inferring table models from records: types per field path (several where records disagree),
// required where always present, maps versus dicts, sets, lists, nested maps, the hash key
// given or guessed; from Values, from a table and from files. Every inferred model is a valid
// model file, and the records it was inferred from pass it.

#include "model/analysis/modelinferencejob.h"
#include "model/json/jsoncodec.h"
#include "model/schema/modelinference.h"
#include "model/schema/validator.h"
#include "model/store/open/demodata.h"
#include "model/store/sqlite/sqlitestore.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

using namespace Qt::StringLiterals;

namespace {

using Json = nlohmann::json;

Value parse(const char *json)
{
    auto v = JsonCodec::parsePlain(QByteArray(json));
    return v ? *v : Value();
}

Json toJson(const TableModel &model)
{
    return Json::parse(model.toJson().toStdString());
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

} // namespace

class TstModelInference : public QObject
{
    Q_OBJECT

private slots:
    void typesPerPath();
    void mapsAndDicts();
    void setsAndLists();
    void hashKeyGuessed_data();
    void hashKeyGuessed();
    void hashKeyGiven();
    void demoRecordsPassTheirModel();
    void fromTable();
    void fromFiles();
    void noRecords();
};

void TstModelInference::typesPerPath()
{
    ModelInference inference;
    inference.add(parse(
        R"({"userId":"u1","age":30,"score":1.5,"nick":"a","flag":true,"meta":{"a":1,"b":"x"}})"));
    inference.add(parse(
        R"({"userId":"u2","age":"unknown","score":2,"flag":false,"meta":{"a":2},"gone":null})"));
    inference.add(parse(
        R"({"userId":"u3","age":31.5,"score":3,"nick":null,"flag":true,"meta":{"a":3,"b":"y"}})"));
    auto model = inference.model({u"people"_s, {}});
    QVERIFY2(model.ok(), qPrintable(model ? QString() : model.error().toString()));
    const Json j = toJson(**model);
    QCOMPARE(j["table"], "people");
    QCOMPARE(j["primaryIndex"]["hashKey"], "userId");
    const Json &f = j["fields"];
    QCOMPARE(f["age"]["type"], Json::parse(R"(["str","int","float"])"));
    QCOMPARE(f["age"]["required"], true);
    QCOMPARE(f["score"]["type"], Json::parse(R"(["int","float"])"));
    QCOMPARE(f["nick"]["type"], "str"); // null once: optional, still a string
    QVERIFY(!f["nick"].contains("required"));
    QCOMPARE(f["flag"]["type"], "bool");
    QCOMPARE(f["gone"]["type"], "any"); // only ever null
    QCOMPARE(f["meta"]["type"], "map");
    QCOMPARE(f["meta"]["fields"]["a"], Json::parse(R"({"type":"int","required":true})"));
    QCOMPARE(f["meta"]["fields"]["b"], Json::parse(R"({"type":"str"})"));
    QCOMPARE(f["userId"], Json::parse(R"({"type":"str","required":true})"));
}

void TstModelInference::mapsAndDicts()
{
    ModelInference inference;
    for (int i = 0; i < 40; ++i) {
        Value::Map r;
        r.insert(u"id"_s, Value::integer(i));
        // Keys that change from record to record, values of one shape: a dict.
        Value::Map tokens;
        for (int t = 0; t < 1 + i % 3; ++t)
            tokens.insert(u"tok-%1-%2"_s.arg(i).arg(t),
                          Value::map({{u"expires"_s, Value::integer(1000 + t)},
                                      {u"scope"_s, Value::string(u"read"_s)}}));
        r.insert(u"tokens"_s, Value::map(tokens));
        // The same few keys every time: a map with fields.
        r.insert(u"settings"_s, Value::map({{u"theme"_s, Value::string(u"dark"_s)},
                                            {u"size"_s, Value::integer(i)}}));
        // Varying keys but values of different shapes: not a dict.
        Value::Map misc;
        misc.insert(u"k%1"_s.arg(i % 5), i % 2 ? Value::string(u"x"_s) : Value::integer(i));
        r.insert(u"misc"_s, Value::map(misc));
        // Keys that cannot be field names: a dict whatever else.
        r.insert(u"hosts"_s, Value::map({{u"example.com"_s, Value::integer(i)}}));
        inference.add(Value::map(r));
    }
    auto model = inference.model({u"dicts"_s, {}});
    QVERIFY2(model.ok(), qPrintable(model ? QString() : model.error().toString()));
    const Json j = toJson(**model);
    const Json &f = j["fields"];
    QCOMPARE(j["primaryIndex"]["hashKeyType"], "int");
    QCOMPARE(f["tokens"]["type"], "dict");
    QCOMPARE(f["tokens"]["items"]["type"], "map");
    QCOMPARE(f["tokens"]["items"]["fields"]["expires"],
             Json::parse(R"({"type":"int","required":true})"));
    QCOMPARE(f["settings"]["type"], "map");
    QCOMPARE(f["settings"]["fields"].size(), std::size_t(2));
    QCOMPARE(f["misc"]["type"], "map");
    QCOMPARE(f["hosts"]["type"], "dict");
    QCOMPARE(f["hosts"]["items"], "int");
}

void TstModelInference::setsAndLists()
{
    ModelInference inference;
    Value::Map a;
    a.insert(u"pk"_s, Value::string(u"a"_s));
    a.insert(u"tags"_s, Value::stringSet({u"x"_s, u"y"_s}));
    a.insert(u"nums"_s, Value::numberSet({u"1"_s, u"2.5"_s}));
    a.insert(u"blobs"_s, Value::binarySet({QByteArray("\x01", 1)}));
    a.insert(u"log"_s,
             Value::list({Value::string(u"e"_s), Value::map({{u"at"_s, Value::integer(1)}})}));
    a.insert(u"ints"_s, Value::list({Value::integer(1), Value::integer(2)}));
    a.insert(u"avatar"_s, Value::binary(QByteArray("\x00\xff", 2)));
    inference.add(Value::map(a));
    Value::Map b;
    b.insert(u"pk"_s, Value::string(u"b"_s));
    b.insert(u"ints"_s, Value::list());
    inference.add(Value::map(b));
    auto model = inference.model({u"sets"_s, {}});
    QVERIFY2(model.ok(), qPrintable(model ? QString() : model.error().toString()));
    const Json f = toJson(**model)["fields"];
    QCOMPARE(f["tags"], Json::parse(R"({"type":"set","items":"str"})"));
    QCOMPARE(f["nums"], Json::parse(R"({"type":"set","items":["int","float"]})"));
    QCOMPARE(f["blobs"], Json::parse(R"({"type":"set","items":"bytes"})"));
    QCOMPARE(f["log"]["type"], "list");
    QCOMPARE(f["log"]["items"]["type"], Json::parse(R"(["str","map"])"));
    QCOMPARE(f["ints"], Json::parse(R"({"type":"list","items":"int","required":true})"));
    QCOMPARE(f["avatar"], Json::parse(R"({"type":"bytes"})"));
}

void TstModelInference::hashKeyGuessed_data()
{
    QTest::addColumn<QByteArrayList>("records");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("type");
    QTest::newRow("Id suffix first")
        << QByteArrayList{R"({"name":"a","accountId":"x1"})", R"({"name":"b","accountId":"x2"})"}
        << u"accountId"_s << u"str"_s;
    QTest::newRow("not unique is no key")
        << QByteArrayList{R"({"userId":"same","n":1})", R"({"userId":"same","n":2})"} << u"n"_s
        << u"int"_s;
    QTest::newRow("not in every record")
        << QByteArrayList{R"({"itemKey":"a","code":"c1"})", R"({"code":"c2"})"} << u"code"_s
        << u"str"_s;
    QTest::newRow("lowercase key")
        << QByteArrayList{R"({"x":1,"pkey":10})", R"({"x":1,"pkey":11})"} << u"pkey"_s << u"int"_s;
}

void TstModelInference::hashKeyGuessed()
{
    QFETCH(QByteArrayList, records);
    QFETCH(QString, key);
    QFETCH(QString, type);
    ModelInference inference;
    for (const QByteArray &r : records)
        inference.add(parse(r.constData()));
    auto model = inference.model({u"keys"_s, {}});
    QVERIFY2(model.ok(), qPrintable(model ? QString() : model.error().toString()));
    QCOMPARE((*model)->hashKey(), key);
    QCOMPARE(fieldKindName((*model)->hashKeyType()), type);
}

void TstModelInference::hashKeyGiven()
{
    ModelInference inference;
    inference.add(parse(R"({"a":"x","b":1})"));
    inference.add(parse(R"({"a":"x","b":2})"));
    auto model = inference.model({u"given"_s, u"b"_s});
    QVERIFY(model.ok());
    QCOMPARE((*model)->hashKey(), u"b"_s);
    auto missing = inference.model({u"given"_s, u"c"_s});
    QVERIFY(!missing.ok());
    QVERIFY(missing.error().message.contains(u"not in every record"_s));

    ModelInference none;
    none.add(parse(R"({"a":"x","m":{"k":1}})"));
    none.add(parse(R"({"a":"x"})"));
    auto refused = none.model({u"none"_s, {}});
    QVERIFY(!refused.ok());
    QVERIFY(refused.error().message.contains(u"none can be the hash key"_s));
}

void TstModelInference::demoRecordsPassTheirModel()
{
    ModelInference inference;
    std::vector<Value> records;
    for (quint64 i = 0; i < 3000; ++i) {
        records.push_back(DemoData::userRecord(i));
        inference.add(records.back());
    }
    auto model = inference.model({u"users"_s, {}});
    QVERIFY2(model.ok(), qPrintable(model ? QString() : model.error().toString()));
    const Json j = toJson(**model);
    QCOMPARE(j["primaryIndex"]["hashKey"], "userId");
    const Json &f = j["fields"];
    QCOMPARE(f["tokens"]["type"], "dict");
    QCOMPARE(f["tokens"]["items"]["type"], "map");
    QCOMPARE(f["metadata"]["type"], "map");
    QCOMPARE(f["tags"], Json::parse(R"({"type":"set","items":"str"})"));
    QCOMPARE(f["luckyNumbers"], Json::parse(R"({"type":"set","items":"int"})"));
    QCOMPARE(f["age"]["type"],
             Json::parse(R"(["str","int","float","bool"])")); // one record is broken on purpose
    QCOMPARE(f["avatar"]["type"], "bytes");
    QCOMPARE(f["parameters"]["type"], "map"); // one key ("audio") in every map: fields, not a dict
    const Validator validator(**model);
    for (const Value &r : records) {
        for (const Problem &p : validator.validateRecord(r))
            QVERIFY2(!p.blocking, qPrintable(p.toString() + u" in "_s +
                                             QString::fromUtf8(JsonCodec::toPlain(r))));
    }
}

void TstModelInference::fromTable()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"demo.sqlite"_s);
    QVERIFY(DemoData::createDemoStore(path, 500).ok());
    auto store = SqliteStore::open(path);
    QVERIFY(store.ok());
    qint64 lastProgress = 0;
    auto model =
        ModelInferenceJob::fromTable(**store, u"users"_s, [&](qint64 n) { lastProgress = n; });
    QVERIFY2(model.ok(), qPrintable(model ? QString() : model.error().toString()));
    QCOMPARE(lastProgress, qint64(500));
    QCOMPARE((*model)->tableName(), u"users"_s);
    QCOMPARE((*model)->hashKey(), u"userId"_s);
    QVERIFY((*model)->root().field(u"metadata"_s));
}

void TstModelInference::fromFiles()
{
    QTemporaryDir dir;
    const QString jsonl = dir.filePath(u"orders.jsonl"_s);
    QVERIFY(writeFile(jsonl,
                      "{\"orderId\":\"o1\",\"total\":12.5,\"lines\":[{\"sku\":\"a\",\"n\":1}]}\n"
                      "{\"orderId\":\"o2\",\"total\":3,\"lines\":[]}\n"));
    auto model = ModelInferenceJob::fromFile(jsonl, std::nullopt, {});
    QVERIFY2(model.ok(), qPrintable(model ? QString() : model.error().toString()));
    QCOMPARE((*model)->tableName(), u"orders"_s);
    QCOMPARE((*model)->hashKey(), u"orderId"_s);
    const Json f = toJson(**model)["fields"];
    QCOMPARE(f["total"]["type"], Json::parse(R"(["int","float"])"));
    QCOMPARE(f["lines"]["items"]["fields"]["sku"],
             Json::parse(R"({"type":"str","required":true})"));

    const QString csv = dir.filePath(u"people.csv"_s);
    QVERIFY(writeFile(csv, "personId,name,age,tags\np1,Ann,31,\"[\"\"a\"\"]\"\np2,Ben,,\"[]\"\n"));
    model = ModelInferenceJob::fromFile(csv, std::nullopt, {});
    QVERIFY2(model.ok(), qPrintable(model ? QString() : model.error().toString()));
    QCOMPARE((*model)->hashKey(), u"personId"_s);
    const Json g = toJson(**model)["fields"];
    QCOMPARE(g["age"], Json::parse(R"({"type":"int"})"));
    QCOMPARE(g["tags"]["type"], "list");

    const QString ddb = dir.filePath(u"export.json"_s);
    QVERIFY(writeFile(ddb, "{\"Item\":{\"id\":{\"N\":\"1\"},\"s\":{\"SS\":[\"a\"]}}}\n"));
    model = ModelInferenceJob::fromFile(ddb, std::nullopt, {});
    QVERIFY(model.ok());
    QCOMPARE(toJson(**model)["fields"]["s"],
             Json::parse(R"({"type":"set","items":"str","required":true})"));

    const QString broken = dir.filePath(u"broken.jsonl"_s);
    QVERIFY(writeFile(broken, "{\"id\":1}\n{\"id\":2,}\n"));
    model = ModelInferenceJob::fromFile(broken, std::nullopt, {});
    QVERIFY(!model.ok());
    QCOMPARE(model.error().location, broken + u":2"_s);
}

void TstModelInference::noRecords()
{
    ModelInference inference;
    auto model = inference.model({u"empty"_s, {}});
    QVERIFY(!model.ok());
    inference.add(Value::string(u"not a record"_s));
    QCOMPARE(inference.records(), qint64(0));
}

QTEST_GUILESS_MAIN(TstModelInference)
#include "tst_modelinference.moc"
