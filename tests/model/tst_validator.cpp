// The validator (spec 3, StructNoSQL's rules as documented, every problem reported) and the
// plain-JSON typing of records (applyModelTypes).

#include "model/json/jsoncodec.h"
#include "model/schema/fieldpath.h"
#include "model/schema/tablemodel.h"
#include "model/schema/validator.h"

#include <QTest>

namespace {

// A users-like model: the README's table model example plus one field per rule.
constexpr char kUsersModel[] = R"({
  "table": "users",
  "primaryIndex": { "hashKey": "userId", "hashKeyType": "str" },
  "fields": {
    "userId":   { "type": "str", "required": true },
    "username": { "type": "str", "required": true },
    "age":      { "type": ["int", "float", "str"], "required": true },
    "active":   { "type": "bool" },
    "ratio":    { "type": "float" },
    "score":    { "type": "decimal" },
    "avatar":   { "type": "bytes" },
    "label":    { "type": ["str", "bytes"] },
    "nextReminderTimestamp": { "type": "int" },
    "metadata": { "type": "map", "fields": {
        "accountCreationTimestamp": { "type": "int", "required": true },
        "lastConnectionTimestamp":  { "type": "int" },
        "plan":                     { "type": "str" } } },
    "tokens":   { "type": "dict", "keyType": "str", "keyName": "tokenId",
                  "items": { "type": "map", "model": "AuthToken" } },
    "counters": { "type": "dict", "keyType": "int", "keyName": "counterId", "items": "int" },
    "weightsByValue": { "type": "dict", "keyType": "float", "items": "bool" },
    "blob":     { "type": "dict" },
    "tags":     { "type": "set", "items": "str" },
    "luckyNumbers": { "type": "set", "items": "int" },
    "weights":  { "type": "set", "items": "decimal" },
    "images":   { "type": "set", "items": "bytes" },
    "logs":     { "type": "list", "keyName": "logIndex", "items": ["str", "dict"] },
    "scores":   { "type": "list", "items": "int" },
    "events":   { "type": "list", "items": { "type": "map", "model": "Event" } },
    "settings": { "type": "any" },
    "extra":    { "type": "map" },
    "parameters": { "type": "dict", "keyName": "parameterKey",
                    "items": { "type": "map", "model": "Parameter" } }
  },
  "models": {
    "AuthToken": { "fields": {
        "expirationTimestamp": { "type": "int", "required": true },
        "scopes": { "type": "set", "items": "str" },
        "device": { "type": "map", "fields": {
            "name": { "type": "str", "required": true },
            "os":   { "type": "str" } } } } },
    "Event": { "fields": {
        "name": { "type": "str", "required": true },
        "tags": { "type": "set", "items": "str" } } },
    "Parameter": { "fields": {
        "value": { "type": "any" },
        "children": { "type": "dict", "keyName": "childKey{i}", "maxNestedDepth": 8,
                      "items": { "type": "map", "model": "Parameter" } } } }
  }
})";

constexpr char kIntKeyModel[] = R"({
  "table": "counters", "primaryIndex": { "hashKey": "n", "hashKeyType": "int" },
  "fields": { "n": { "type": "int", "required": true } } })";

constexpr char kFloatKeyModel[] = R"({
  "table": "measures", "primaryIndex": { "hashKey": "n", "hashKeyType": "float" },
  "fields": { "n": { "type": "float", "required": true }, "label": { "type": "str" } } })";

constexpr char kAnyRequiredModel[] = R"({
  "table": "documents", "primaryIndex": { "hashKey": "id", "hashKeyType": "str" },
  "fields": { "id": { "type": "str", "required": true },
              "payload": { "type": "any", "required": true } } })";

// A complete, valid record of the users-like model.
constexpr char kCompleteRecord[] = R"({
  "userId": "u1", "username": "Bob", "age": 30, "active": true, "ratio": 0.5,
  "score": 12.75, "avatar": "aGVsbG8=", "label": "x", "nextReminderTimestamp": 1700000000,
  "metadata": { "accountCreationTimestamp": 1600000000, "lastConnectionTimestamp": 1700000000,
                "plan": "pro" },
  "tokens": { "t1": { "expirationTimestamp": 1800000000, "scopes": ["read", "write"],
                      "device": { "name": "laptop", "os": "linux" } },
              "t2": { "expirationTimestamp": 1800000001 } },
  "counters": { "1": 5, "-2": 7 }, "weightsByValue": { "1.5": true, "2": false },
  "blob": { "k": null, "j": [1, { "x": 2 }] },
  "tags": ["a", "b"], "luckyNumbers": [7, 13], "weights": [1, 1.5, 2e3],
  "images": ["aGVsbG8=", "d29ybGQ="],
  "logs": ["signed up", { "event": "login", "at": 1700000000 }], "scores": [1, 2, 3],
  "events": [{ "name": "e1", "tags": ["x"] }],
  "settings": { "theme": "dark", "nested": [1, "two", null, { "deep": true }] },
  "extra": { "anything": [1, 2] },
  "parameters": { "p": { "value": 1, "children": { "c": { "value": "x" } } } }
})";

/// A record of the users-like model with `extra` (JSON members, without braces) added.
QByteArray userWith(const char *members)
{
    QByteArray json = R"({"userId":"u1","username":"Bob","age":30)";
    if (*members) {
        json += ',';
        json += members;
    }
    json += '}';
    return json;
}

/// settings holding maps nested so that the innermost value sits `elements` path elements
/// deep (settings.a.a...a).
QByteArray nestedSettings(int elements)
{
    QByteArray value = "1";
    for (int i = 1; i < elements; ++i)
        value = "{\"a\":" + value + '}';
    return "\"settings\":" + value;
}

/// A Parameter whose children nest `levels` times.
QByteArray parameter(int levels)
{
    if (levels == 0)
        return R"({"value":1})";
    return R"({"value":1,"children":{"c":)" + parameter(levels - 1) + "}}";
}

/// Follows `a.b[2].c` into a value; nullptr when absent.
const Value *at(const Value &root, const QString &path)
{
    const Value *v = &root;
    for (const QString &part : path.split(u'.')) {
        QString name = part;
        QList<int> indexes;
        while (name.endsWith(u']')) {
            const qsizetype open = name.lastIndexOf(u'[');
            indexes.prepend(name.mid(open + 1, name.size() - open - 2).toInt());
            name = name.left(open);
        }
        if (!name.isEmpty()) {
            v = v->find(name);
            if (!v)
                return nullptr;
        }
        for (int i : indexes) {
            if (!v->isList() || i >= v->size())
                return nullptr;
            v = &v->toList()[i];
        }
    }
    return v;
}

QString describe(const Problems &problems)
{
    QStringList lines;
    for (const Problem &p : problems)
        lines << (p.blocking ? QString() : QStringLiteral("(note) ")) + p.toString();
    return lines.isEmpty() ? QStringLiteral("(no problems)") : lines.join(u'\n');
}

} // namespace

class TstValidator : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void validateRecord_data();
    void validateRecord();
    void validateBuilt_data();
    void validateBuilt();
    void reportsEveryProblem();
    void advisoryModel_data();
    void advisoryModel();
    void advisoryModelAt();
    void validateAt_data();
    void validateAt();
    void applyModelTypes_data();
    void applyModelTypes();
    void applyModelTypesAt();

private:
    const TableModel &model(const QString &name) const;
    void check(const QString &modelName, const Value &record, const QString &path,
               const QString &fragment, bool blocking);

    QHash<QString, TableModelPtr> m_models;
};

void TstValidator::initTestCase()
{
    const std::pair<const char *, const char *> sources[] = {
        {"users", kUsersModel},
        {"intkey", kIntKeyModel},
        {"floatkey", kFloatKeyModel},
        {"anyrequired", kAnyRequiredModel},
    };
    for (const auto &[name, json] : sources) {
        auto parsed = TableModel::fromJson(json, QString::fromLatin1(name));
        QVERIFY2(parsed.ok(), qPrintable(parsed ? QString() : parsed.error().toString()));
        m_models.insert(QString::fromLatin1(name), *parsed);
    }
    m_models.insert(
        QStringLiteral("keyonly"),
        TableModel::keyOnly(QStringLiteral("things"), QStringLiteral("id"), FieldKind::Str));
    // The users model as a guess (a model inferred from sampled records).
    m_models.insert(QStringLiteral("advisory"),
                    TableModel::advisoryCopy(model(QStringLiteral("users"))));
    QVERIFY(model(QStringLiteral("advisory")).isAdvisory());
    QVERIFY(!model(QStringLiteral("users")).isAdvisory());
}

const TableModel &TstValidator::model(const QString &name) const
{
    return *m_models.value(name);
}

void TstValidator::check(const QString &modelName, const Value &record, const QString &path,
                         const QString &fragment, bool blocking)
{
    const Validator validator(model(modelName));
    const Problems problems = validator.validateRecord(record);
    const bool anyBlocking =
        std::any_of(problems.begin(), problems.end(), [](const Problem &p) { return p.blocking; });
    QCOMPARE(validator.isValidRecord(record), !anyBlocking);
    if (path == u"-") {
        QVERIFY2(problems.empty(), qPrintable(describe(problems)));
        return;
    }
    const auto found = std::find_if(problems.begin(), problems.end(), [&](const Problem &p) {
        return p.path == path && p.message.contains(fragment);
    });
    QVERIFY2(found != problems.end(), qPrintable(QStringLiteral("expected %1: ...%2...; got:\n%3")
                                                     .arg(path, fragment, describe(problems))));
    QCOMPARE(found->blocking, blocking);
    if (blocking)
        QVERIFY(!validator.isValidRecord(record));
}

void TstValidator::validateRecord_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QByteArray>("record"); // plain JSON, typed with applyModelTypes
    QTest::addColumn<QString>("path");      // the problem's path; "-": no problem at all
    QTest::addColumn<QString>("fragment");  // part of the problem's message
    QTest::addColumn<bool>("blocking");

    const QString users = QStringLiteral("users");
    const QString none = QStringLiteral("-");

    // Records that pass.
    QTest::newRow("complete record") << users << QByteArray(kCompleteRecord) << none << "" << true;
    QTest::newRow("required fields only") << users << userWith("") << none << "" << true;
    QTest::newRow("optional null")
        << users
        << userWith(R"("nextReminderTimestamp":null,"metadata":null,"tokens":null,"tags":null)")
        << none << "" << true;
    QTest::newRow("int as integer text")
        << users << userWith(R"("nextReminderTimestamp":12)") << none << "" << true;
    QTest::newRow("int with 38 digits")
        << users << userWith(R"("nextReminderTimestamp":12345678901234567890123456789012345678)")
        << none << "" << true;
    QTest::newRow("float with fraction")
        << users << userWith(R"("ratio":1.5)") << none << "" << true;
    QTest::newRow("float with exponent")
        << users << userWith(R"("ratio":1e3)") << none << "" << true;
    QTest::newRow("decimal integer") << users << userWith(R"("score":12)") << none << "" << true;
    QTest::newRow("decimal 38 digits")
        << users << userWith(R"("score":1.2345678901234567890123456789012345678)") << none << ""
        << true;
    QTest::newRow("union int") << users << QByteArray(R"({"userId":"u1","username":"B","age":30})")
                               << none << "" << true;
    QTest::newRow("union float") << users
                                 << QByteArray(R"({"userId":"u1","username":"B","age":30.5})")
                                 << none << "" << true;
    QTest::newRow("union str") << users
                               << QByteArray(R"({"userId":"u1","username":"B","age":"thirty"})")
                               << none << "" << true;
    QTest::newRow("bool true") << users << userWith(R"("active":false)") << none << "" << true;
    QTest::newRow("bytes from base64")
        << users << userWith(R"("avatar":"aGVsbG8=")") << none << "" << true;
    QTest::newRow("any holds null")
        << users << userWith(R"("settings":null)") << none << "" << true;
    QTest::newRow("any holds anything")
        << users << userWith(R"("settings":{"x":{"y":[1,{"z":null}]}})") << none << "" << true;
    QTest::newRow("map without fields is free")
        << users << userWith(R"("extra":{"a":{"b":1}})") << none << "" << true;
    QTest::newRow("dict items")
        << users
        << userWith(R"("tokens":{"a":{"expirationTimestamp":1},"b.c":{"expirationTimestamp":2}})")
        << none << "" << true;
    QTest::newRow("empty dict") << users << userWith(R"("tokens":{})") << none << "" << true;
    QTest::newRow("untyped dict items may be null")
        << users << userWith(R"("blob":{"k":null})") << none << "" << true;
    QTest::newRow("int dict keys")
        << users << userWith(R"("counters":{"12":1,"-3":2})") << none << "" << true;
    QTest::newRow("float dict keys")
        << users << userWith(R"("weightsByValue":{"1.5":true,"1e3":false,"7":true})") << none << ""
        << true;
    QTest::newRow("list items") << users << userWith(R"("logs":["a",{"b":1}],"scores":[1,2])")
                                << none << "" << true;
    QTest::newRow("empty list") << users << userWith(R"("logs":[])") << none << "" << true;
    QTest::newRow("sets")
        << users
        << userWith(
               R"("tags":["a","b"],"luckyNumbers":[1,2],"weights":[1,1.5],"images":["aGVsbG8="])")
        << none << "" << true;
    QTest::newRow("recursion within maxNestedDepth")
        << users << userWith("\"parameters\":{\"p\":" + parameter(8) + "}") << none << "" << true;
    QTest::newRow("32 levels") << users << userWith(nestedSettings(32)) << none << "" << true;

    // Exact types.
    QTest::newRow("str given a number")
        << users << QByteArray(R"({"userId":"u1","username":5,"age":30})") << "username"
        << "must be a str, not an integer number" << true;
    QTest::newRow("int given 12.0")
        << users << userWith(R"("nextReminderTimestamp":12.0)") << "nextReminderTimestamp"
        << "must be an int, not a decimal number" << true;
    QTest::newRow("int given exponent")
        << users << userWith(R"("nextReminderTimestamp":1e3)") << "nextReminderTimestamp"
        << "must be an int, not a decimal number" << true;
    QTest::newRow("int given a string")
        << users << userWith(R"("nextReminderTimestamp":"12")") << "nextReminderTimestamp"
        << "must be an int, not a string" << true;
    QTest::newRow("int given a boolean")
        << users << userWith(R"("nextReminderTimestamp":true)") << "nextReminderTimestamp"
        << "must be an int, not a boolean" << true;
    QTest::newRow("float given an integer") << users << userWith(R"("ratio":12)") << "ratio"
                                            << "must be a float, not an integer number" << true;
    QTest::newRow("decimal given a string") << users << userWith(R"("score":"1.5")") << "score"
                                            << "must be a decimal, not a string" << true;
    QTest::newRow("bool given a number") << users << userWith(R"("active":1)") << "active"
                                         << "must be a bool, not an integer number" << true;
    QTest::newRow("bytes given text") << users << userWith(R"("avatar":"not base64!")") << "avatar"
                                      << "must be bytes, not a string" << true;
    QTest::newRow("union given a boolean")
        << users << QByteArray(R"({"userId":"u1","username":"B","age":true})") << "age"
        << "must be one of int, float or str, not a boolean" << true;
    QTest::newRow("map given a number") << users << userWith(R"("metadata":5)") << "metadata"
                                        << "must be a map, not an integer number" << true;
    QTest::newRow("dict given a list") << users << userWith(R"("tokens":[1])") << "tokens"
                                       << "must be a dict of AuthToken, not a list" << true;
    QTest::newRow("list given a map") << users << userWith(R"("scores":{"a":1})") << "scores"
                                      << "must be a list of int, not a map" << true;
    QTest::newRow("set given a list it cannot be") << users << userWith(R"("tags":[1,2])") << "tags"
                                                   << "must be a set of str, not a list" << true;

    // Null and required.
    QTest::newRow("required null")
        << users << QByteArray(R"({"userId":"u1","username":null,"age":1})") << "username"
        << "is required and cannot be null" << true;
    QTest::newRow("required missing")
        << users << QByteArray(R"({"userId":"u1","age":1})") << "username"
        << "is required but missing" << true;
    QTest::newRow("nested required missing")
        << users << userWith(R"("metadata":{"plan":"free"})") << "metadata.accountCreationTimestamp"
        << "is required but missing" << true;
    QTest::newRow("nested required null")
        << users << userWith(R"("metadata":{"accountCreationTimestamp":null})")
        << "metadata.accountCreationTimestamp"
        << "is required and cannot be null" << true;
    QTest::newRow("dict item required missing")
        << users << userWith(R"("tokens":{"t1":{}})") << "tokens.t1.expirationTimestamp"
        << "is required but missing" << true;
    QTest::newRow("map in dict item required missing")
        << users << userWith(R"("tokens":{"t1":{"expirationTimestamp":1,"device":{}}})")
        << "tokens.t1.device.name"
        << "is required but missing" << true;
    QTest::newRow("dict item wrong type")
        << users << userWith(R"("tokens":{"t1":{"expirationTimestamp":"soon"}})")
        << "tokens.t1.expirationTimestamp"
        << "must be an int, not a string" << true;
    QTest::newRow("list item required missing")
        << users << userWith(R"("events":[{"name":"a"},{}])") << "events[1].name"
        << "is required but missing" << true;
    QTest::newRow("any required accepts null")
        << "anyrequired" << QByteArray(R"({"id":"a","payload":null})") << none << "" << true;
    QTest::newRow("any required must be present")
        << "anyrequired" << QByteArray(R"({"id":"a"})") << "payload"
        << "is required but missing" << true;
    QTest::newRow("record not a map") << users << QByteArray("[1]") << ""
                                      << "must be a map of attributes, not a list" << true;

    // Items are never optional.
    QTest::newRow("dict item null") << users << userWith(R"("tokens":{"t1":null})") << "tokens.t1"
                                    << "must be a map, not null; items are never optional" << true;
    QTest::newRow("dict item not a map") << users << userWith(R"("tokens":{"t1":5})") << "tokens.t1"
                                         << "must be a map, not an integer number" << true;
    QTest::newRow("dict scalar item null")
        << users << userWith(R"("counters":{"1":null})") << "counters.1"
        << "items are never optional" << true;
    QTest::newRow("list item null") << users << userWith(R"("logs":["a",null])") << "logs[1]"
                                    << "items are never optional" << true;
    QTest::newRow("list item wrong type")
        << users << userWith(R"("logs":["a",5])") << "logs[1]"
        << "must be either str or dict, not an integer number" << true;
    QTest::newRow("list scalar item wrong type")
        << users << userWith(R"("scores":[1,"x",3])") << "scores[1]"
        << "must be an int, not a string" << true;

    // Dict keys.
    QTest::newRow("int dict key not a number")
        << users << userWith(R"("counters":{"x":1})") << "counters.x"
        << "the keys of this dict must be int numbers" << true;
    QTest::newRow("int dict key with fraction")
        << users << userWith(R"("counters":{"1.5":1})") << "counters.1.5"
        << "must be int numbers" << true;
    QTest::newRow("float dict key not a number")
        << users << userWith(R"("weightsByValue":{"abc":true})") << "weightsByValue.abc"
        << "must be float numbers" << true;

    // Sets.
    QTest::newRow("empty set") << users << userWith(R"("tags":[])") << "tags"
                               << "DynamoDB refuses empty sets" << true;
    QTest::newRow("duplicate strings") << users << userWith(R"("tags":["a","b","a"])") << "tags"
                                       << "holds \"a\" more than once" << true;
    QTest::newRow("duplicate numbers") << users << userWith(R"("weights":[1,2,1.0])") << "weights"
                                       << "holds 1.0 more than once" << true;
    QTest::newRow("duplicate numbers written apart")
        << users << userWith(R"("weights":[1500,1.5e3])") << "weights"
        << "more than once" << true;
    QTest::newRow("distinct numbers")
        << users << userWith(R"("weights":[1,10,100,0.1,0.01,-1,1.05,15])") << none << "" << true;
    QTest::newRow("zero written twice") << users << userWith(R"("weights":[0,-0.0])") << "weights"
                                        << "holds -0.0 more than once" << true;
    QTest::newRow("trailing zero") << users << userWith(R"("weights":[0.1,0.10])") << "weights"
                                   << "holds 0.10 more than once" << true;
    QTest::newRow("negative exponent") << users << userWith(R"("weights":[1.5,15e-1])") << "weights"
                                       << "holds 15e-1 more than once" << true;
    {
        QByteArray many = R"("tags":[)";
        for (int i = 0; i < 60; ++i)
            many += (i ? ",\"t" : "\"t") + QByteArray::number(i) + '"';
        QTest::newRow("large set") << users << userWith(many + "]") << none << "" << true;
        QTest::newRow("large set with a duplicate")
            << users << userWith(many + R"(,"t7"])") << "tags"
            << "holds \"t7\" more than once" << true;
    }
    QTest::newRow("duplicate binary")
        << users << userWith(R"("images":["aGVsbG8=","aGVsbG8="])") << "images"
        << "more than once" << true;
    QTest::newRow("int set holds a fraction")
        << users << userWith(R"("luckyNumbers":[1,2.5])") << "luckyNumbers"
        << "holds 2.5, which is not an int" << true;
    QTest::newRow("int set holds strings")
        << users << userWith(R"("luckyNumbers":["1"])") << "luckyNumbers"
        << "must be a set of int, not a list" << true;
    QTest::newRow("set in a dict item")
        << users << userWith(R"("tokens":{"t":{"expirationTimestamp":1,"scopes":[]}})")
        << "tokens.t.scopes"
        << "empty" << true;

    // Attributes the model does not declare: notes, not blocking.
    QTest::newRow("undeclared root attribute")
        << users << userWith(R"("nickname":"bobby")") << "nickname"
        << "is not declared in the table model; StructNoSQL would drop it" << false;
    QTest::newRow("undeclared nested attribute")
        << users << userWith(R"("metadata":{"accountCreationTimestamp":1,"colour":"red"})")
        << "metadata.colour"
        << "is not declared in the table model" << false;
    QTest::newRow("undeclared in dict item")
        << users << userWith(R"("tokens":{"t":{"expirationTimestamp":1,"x":1}})") << "tokens.t.x"
        << "is not declared" << false;
    QTest::newRow("key-only model: everything free")
        << "keyonly" << QByteArray(R"({"id":"a","x":{"y":[1,null]},"z":true})") << none << ""
        << true;

    // The hash key.
    QTest::newRow("key missing") << users << QByteArray(R"({"username":"B","age":1})") << "userId"
                                 << "is the table's key and is missing" << true;
    QTest::newRow("key null") << users << QByteArray(R"({"userId":null,"username":"B","age":1})")
                              << "userId"
                              << "is the table's key and cannot be null" << true;
    QTest::newRow("key wrong type")
        << users << QByteArray(R"({"userId":5,"username":"B","age":1})") << "userId"
        << "is the table's key and must be a string, not an integer number" << true;
    QTest::newRow("key empty string")
        << users << QByteArray(R"({"userId":"","username":"B","age":1})") << "userId"
        << "cannot be empty" << true;
    QTest::newRow("key-only model: key missing") << "keyonly" << QByteArray(R"({"x":1})") << "id"
                                                 << "is the table's key and is missing" << true;
    QTest::newRow("key-only model: key empty") << "keyonly" << QByteArray(R"({"id":""})") << "id"
                                               << "cannot be empty" << true;
    QTest::newRow("int key") << "intkey" << QByteArray(R"({"n":12})") << none << "" << true;
    QTest::newRow("int key with fraction")
        << "intkey" << QByteArray(R"({"n":1.5})") << "n"
        << "must be an integer number, not a decimal number" << true;
    QTest::newRow("int key as text") << "intkey" << QByteArray(R"({"n":"12"})") << "n"
                                     << "not a string" << true;
    QTest::newRow("float key integer")
        << "floatkey" << QByteArray(R"({"n":12})") << none << "" << true;
    QTest::newRow("float key fraction")
        << "floatkey" << QByteArray(R"({"n":1.5})") << none << "" << true;
    QTest::newRow("float key as text") << "floatkey" << QByteArray(R"({"n":"x"})") << "n"
                                       << "must be a number, not a string" << true;

    // Depth.
    QTest::newRow("33 levels") << users << userWith(nestedSettings(33))
                               << "settings" + QString(".a").repeated(31)
                               << "nests deeper than 32 levels" << true;
    QTest::newRow("33 levels in free map")
        << users << userWith(nestedSettings(33).replace("settings", "extra"))
        << "extra" + QString(".a").repeated(31) << "nests deeper than 32 levels" << true;
    QTest::newRow("recursion beyond maxNestedDepth")
        << users << userWith("\"parameters\":{\"p\":" + parameter(9) + "}")
        << "parameters.p" + QString(".children.c").repeated(8) + ".children"
        << "nests deeper than maxNestedDepth 8 allows" << true;
}

void TstValidator::validateRecord()
{
    QFETCH(QString, model);
    QFETCH(QByteArray, record);
    QFETCH(QString, path);
    QFETCH(QString, fragment);
    QFETCH(bool, blocking);

    auto plain = JsonCodec::parsePlain(record);
    QVERIFY2(plain.ok(), qPrintable(plain ? QString() : plain.error().toString()));
    const Value typed = ::applyModelTypes(this->model(model), *plain);
    check(model, typed, path, fragment, blocking);
}

void TstValidator::validateBuilt_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<Value>("record");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("fragment");

    auto user = [](const QString &field, const Value &value) {
        Value::Map m{{QStringLiteral("userId"), Value::string(QStringLiteral("u1"))},
                     {QStringLiteral("username"), Value::string(QStringLiteral("Bob"))},
                     {QStringLiteral("age"), Value::integer(30)}};
        m.insert(field, value);
        return Value::map(m);
    };
    const QString users = QStringLiteral("users");
    QTest::newRow("string set") << users << user(QStringLiteral("tags"), Value::stringSet({"a"}))
                                << "-"
                                << "";
    QTest::newRow("binary") << users << user(QStringLiteral("avatar"), Value::binary("\x01\x02"))
                            << "-"
                            << "";
    QTest::newRow("binary set") << users
                                << user(QStringLiteral("images"), Value::binarySet({"a", "b"}))
                                << "-"
                                << "";
    QTest::newRow("bytes or str given binary")
        << users << user(QStringLiteral("label"), Value::binary("x")) << "-"
        << "";
    QTest::newRow("set given to a list field")
        << users << user(QStringLiteral("logs"), Value::stringSet({"a"})) << "logs"
        << "must be a list of str or dict, not a string set";
    QTest::newRow("list given to a set field")
        << users << user(QStringLiteral("tags"), Value::list({Value::string("a")})) << "tags"
        << "must be a set of str, not a list";
    QTest::newRow("number set for a string set")
        << users << user(QStringLiteral("tags"), Value::numberSet({"1"})) << "tags"
        << "must be a set of str, not a number set";
    QTest::newRow("string set for an int set")
        << users << user(QStringLiteral("luckyNumbers"), Value::stringSet({"1"})) << "luckyNumbers"
        << "must be a set of int, not a string set";
    QTest::newRow("empty string set")
        << users << user(QStringLiteral("tags"), Value::stringSet({})) << "tags"
        << "empty set";
    QTest::newRow("binary for a str")
        << users << user(QStringLiteral("username"), Value::binary("x")) << "username"
        << "must be a str, not binary data";
    QTest::newRow("string for bytes")
        << users << user(QStringLiteral("avatar"), Value::string("aGVsbG8=")) << "avatar"
        << "must be bytes, not a string";
    QTest::newRow("string set in any")
        << users << user(QStringLiteral("settings"), Value::stringSet({"a"})) << "-"
        << "";
}

void TstValidator::validateBuilt()
{
    QFETCH(QString, model);
    QFETCH(Value, record);
    QFETCH(QString, path);
    QFETCH(QString, fragment);
    check(model, record, path, fragment, true);
}

void TstValidator::reportsEveryProblem()
{
    auto plain = JsonCodec::parsePlain(R"({
        "userId": "u1", "age": true, "nickname": 1,
        "metadata": { "lastConnectionTimestamp": "x" },
        "tokens": { "a": {}, "b": { "expirationTimestamp": 1.5 } },
        "logs": [null, 3], "tags": ["x", "x"] })");
    QVERIFY(plain.ok());
    const Value record = ::applyModelTypes(model(QStringLiteral("users")), *plain);
    const Validator validator(model(QStringLiteral("users")));
    const Problems problems = validator.validateRecord(record);
    QStringList paths;
    for (const Problem &p : problems)
        paths << p.path;
    const QStringList expected{QStringLiteral("username"),
                               QStringLiteral("age"),
                               QStringLiteral("nickname"),
                               QStringLiteral("metadata.lastConnectionTimestamp"),
                               QStringLiteral("metadata.accountCreationTimestamp"),
                               QStringLiteral("tokens.a.expirationTimestamp"),
                               QStringLiteral("tokens.b.expirationTimestamp"),
                               QStringLiteral("logs[0]"),
                               QStringLiteral("logs[1]"),
                               QStringLiteral("tags")};
    for (const QString &path : expected)
        QVERIFY2(paths.contains(path), qPrintable(path + u'\n' + describe(problems)));
    QCOMPARE(problems.size(), std::size_t(expected.size()));
    QVERIFY(!validator.isValidRecord(record));
    for (const Problem &p : problems)
        QCOMPARE(p.blocking, p.path != u"nickname");
    const auto nickname = std::find_if(problems.begin(), problems.end(),
                                       [](const Problem &p) { return p.path == u"nickname"; });
    QCOMPARE(
        nickname->toString(),
        QStringLiteral("nickname: is not declared in the table model; StructNoSQL would drop it"));
}

void TstValidator::advisoryModel_data()
{
    QTest::addColumn<QByteArray>("record"); // plain JSON, typed with applyModelTypes
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("fragment");
    QTest::addColumn<bool>("blocking"); // with the advisory model; the strict one always blocks

    // The model's own rules: notes, so a record the sample did not show is never refused.
    QTest::newRow("wrong type") << userWith(R"("nextReminderTimestamp":"soon")")
                                << "nextReminderTimestamp"
                                << "must be an int, not a string" << false;
    QTest::newRow("bool for a number")
        << QByteArray(R"({"userId":"u1","username":"Bob","age":true})") << "age"
        << "must be" << false;
    QTest::newRow("required missing") << QByteArray(R"({"userId":"u1","age":30})") << "username"
                                      << "is required but missing" << false;
    QTest::newRow("required null")
        << QByteArray(R"({"userId":"u1","username":null,"age":30})") << "username"
        << "is required and cannot be null" << false;
    QTest::newRow("required missing in a map")
        << userWith(R"("metadata":{"plan":"pro"})") << "metadata.accountCreationTimestamp"
        << "is required but missing" << false;
    QTest::newRow("item null") << userWith(R"("scores":[1,null])") << "scores[1]"
                               << "items are never optional" << false;
    QTest::newRow("int key of a dict") << userWith(R"("counters":{"x":1})") << "counters.x"
                                       << "is not a valid key" << false;
    QTest::newRow("set item type") << userWith(R"("luckyNumbers":[1.5])") << "luckyNumbers"
                                   << "which is not an int" << false;
    QTest::newRow("recursion beyond maxNestedDepth")
        << userWith("\"parameters\":{\"p\":" + parameter(9) + "}")
        << "parameters.p" + QString(".children.c").repeated(8) + ".children"
        << "nests deeper than maxNestedDepth 8 allows" << false;

    // The key's schema is the table's, not a guess: its problems stay blocking.
    QTest::newRow("key missing") << QByteArray(R"({"username":"Bob","age":30})") << "userId"
                                 << "is the table's key and is missing" << true;
    QTest::newRow("key of the wrong type")
        << QByteArray(R"({"userId":5,"username":"Bob","age":30})") << "userId"
        << "is the table's key and must be a string, not an integer number" << true;
    QTest::newRow("key null") << QByteArray(R"({"userId":null,"username":"Bob","age":30})")
                              << "userId"
                              << "cannot be null" << true;
    QTest::newRow("key empty") << QByteArray(R"({"userId":"","username":"Bob","age":30})")
                               << "userId"
                               << "cannot be empty" << true;
    // What DynamoDB itself refuses is no guess either.
    QTest::newRow("not a map") << QByteArray("[1]") << ""
                               << "A record must be a map of attributes" << true;
    QTest::newRow("33 levels") << userWith(nestedSettings(33).replace("settings", "extra"))
                               << "extra" + QString(".a").repeated(31)
                               << "nests deeper than 32 levels" << true;
    QTest::newRow("empty set") << userWith(R"("tags":[])") << "tags"
                               << "empty set" << true;
    QTest::newRow("duplicate set items") << userWith(R"("tags":["x","x"])") << "tags"
                                         << "cannot hold duplicates" << true;
}

void TstValidator::advisoryModel()
{
    QFETCH(QByteArray, record);
    QFETCH(QString, path);
    QFETCH(QString, fragment);
    QFETCH(bool, blocking);

    auto plain = JsonCodec::parsePlain(record);
    QVERIFY2(plain.ok(), qPrintable(plain ? QString() : plain.error().toString()));
    const Value typed = ::applyModelTypes(model(QStringLiteral("users")), *plain);
    // The same record, once against the model as a contract and once as a guess.
    check(QStringLiteral("users"), typed, path, fragment, true);
    check(QStringLiteral("advisory"), typed, path, fragment, blocking);
    const Problems strict = Validator(model(QStringLiteral("users"))).validateRecord(typed);
    const Problems advisory = Validator(model(QStringLiteral("advisory"))).validateRecord(typed);
    QCOMPARE(advisory.size(), strict.size());
    for (std::size_t i = 0; i < advisory.size(); ++i) {
        QCOMPARE(advisory[i].path, strict[i].path);
        // A downgraded problem says why it does not block; the others read as before.
        if (strict[i].blocking && !advisory[i].blocking)
            QVERIFY2(advisory[i].message.startsWith(strict[i].message) &&
                         advisory[i].message.contains(u"not enforced"),
                     qPrintable(advisory[i].message));
        else
            QCOMPARE(advisory[i].message, strict[i].message);
    }
}

void TstValidator::advisoryModelAt()
{
    const TableModel &advisory = model(QStringLiteral("advisory"));
    auto path = resolvePath(advisory, QStringLiteral("metadata.lastConnectionTimestamp"), {});
    QVERIFY(path.ok());
    const Problems wrongType =
        Validator(advisory).validateAt(*path, Value::string(QStringLiteral("x")));
    QCOMPARE(wrongType.size(), std::size_t(1));
    QVERIFY(!wrongType.front().blocking);
    QVERIFY(wrongType.front().message.contains(QStringLiteral("must be an int, not a string")));
    // The strict model refuses the same write.
    auto strictPath = resolvePath(model(QStringLiteral("users")),
                                  QStringLiteral("metadata.lastConnectionTimestamp"), {});
    QVERIFY(strictPath.ok());
    const Problems strict = Validator(model(QStringLiteral("users")))
                                .validateAt(*strictPath, Value::string(QStringLiteral("x")));
    QCOMPARE(strict.size(), std::size_t(1));
    QVERIFY(strict.front().blocking);
    // A map written whole without its required field: a note.
    auto metadata = resolvePath(advisory, QStringLiteral("metadata"), {});
    QVERIFY(metadata.ok());
    const Problems missing = Validator(advisory).validateAt(
        *metadata, Value::map({{QStringLiteral("plan"), Value::string(QStringLiteral("pro"))}}));
    QCOMPARE(missing.size(), std::size_t(1));
    QCOMPARE(missing.front().path, QStringLiteral("metadata.accountCreationTimestamp"));
    QVERIFY(!missing.front().blocking);
}

void TstValidator::validateAt_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QStringList>("variables"); // "name=value"
    QTest::addColumn<QByteArray>("value");      // plain JSON, typed with applyModelTypesAt
    QTest::addColumn<QString>("problemPath");   // "-": no problem
    QTest::addColumn<QString>("fragment");

    const QString users = QStringLiteral("users");
    const QString none = QStringLiteral("-");
    QTest::newRow("optional field null") << users << "metadata.lastConnectionTimestamp"
                                         << QStringList() << QByteArray("null") << none << "";
    QTest::newRow("optional field value") << users << "metadata.lastConnectionTimestamp"
                                          << QStringList() << QByteArray("12") << none << "";
    QTest::newRow("field wrong type")
        << users << "metadata.lastConnectionTimestamp" << QStringList() << QByteArray(R"("x")")
        << "metadata.lastConnectionTimestamp"
        << "must be an int, not a string";
    QTest::newRow("required field null")
        << users << "username" << QStringList() << QByteArray("null") << "username"
        << "is required and cannot be null";
    QTest::newRow("map written whole")
        << users << "metadata" << QStringList() << QByteArray(R"({"plan":"x"})")
        << "metadata.accountCreationTimestamp"
        << "is required but missing";
    QTest::newRow("item written whole")
        << users << "tokens.{{tokenId}}" << QStringList{"tokenId=t1"} << QByteArray("{}")
        << "tokens.t1.expirationTimestamp"
        << "is required but missing";
    QTest::newRow("item valid") << users << "tokens.{{tokenId}}" << QStringList{"tokenId=t1"}
                                << QByteArray(R"({"expirationTimestamp":5,"scopes":["a"]})") << none
                                << "";
    QTest::newRow("item null") << users << "tokens.{{tokenId}}" << QStringList{"tokenId=t1"}
                               << QByteArray("null") << "tokens.t1"
                               << "items are never optional";
    QTest::newRow("required field in item null")
        << users << "tokens.{{tokenId}}.expirationTimestamp" << QStringList{"tokenId=t1"}
        << QByteArray("null") << "tokens.t1.expirationTimestamp"
        << "is required and cannot be null";
    QTest::newRow("leaf in item") << users << "tokens.{{tokenId}}.device.os"
                                  << QStringList{"tokenId=t1"} << QByteArray("null") << none << "";
    QTest::newRow("list item null") << users << "logs.{{logIndex}}" << QStringList{"logIndex=3"}
                                    << QByteArray("null") << "logs[3]"
                                    << "items are never optional";
    QTest::newRow("list item of a map model")
        << users << "events.{{eventsIndex}}" << QStringList{"eventsIndex=0"}
        << QByteArray(R"({"tags":["a"]})") << "events[0].name"
        << "is required but missing";
    QTest::newRow("untyped dict item null")
        << users << "blob.{{blobKey}}" << QStringList{"blobKey=k"} << QByteArray("null") << none
        << "";
    QTest::newRow("set typed from a list")
        << users << "tags" << QStringList() << QByteArray(R"(["a","b"])") << none << "";
    QTest::newRow("empty set") << users << "tags" << QStringList() << QByteArray("[]") << "tags"
                               << "empty set";
    QTest::newRow("bytes typed from base64")
        << users << "avatar" << QStringList() << QByteArray(R"("aGVsbG8=")") << none << "";
    QTest::newRow("into any") << users << "settings.a.b" << QStringList()
                              << QByteArray(R"({"x":[null]})") << none << "";
    QTest::newRow("key-only model") << "keyonly"
                                    << "a.b" << QStringList() << QByteArray("null") << none << "";
    QTest::newRow("key-only model, hash key")
        << "keyonly"
        << "id" << QStringList() << QByteArray("5") << none << "";
    {
        // A Parameter at recursion level 6 may hold children of its own (level 7), no deeper.
        QString path = QStringLiteral("parameters.{{parameterKey}}");
        QStringList vars{QStringLiteral("parameterKey=p")};
        QString shown = QStringLiteral("parameters.p");
        for (int i = 0; i < 7; ++i) {
            path += QStringLiteral(".children.{{childKey%1}}").arg(i);
            vars << QStringLiteral("childKey%1=c%1").arg(i);
            shown += QStringLiteral(".children.c%1").arg(i);
        }
        QTest::newRow("recursion within maxNestedDepth")
            << users << path << vars << parameter(1) << none << "";
        QTest::newRow("recursion beyond maxNestedDepth")
            << users << path << vars << parameter(2) << shown + ".children.c.children"
            << "nests deeper than maxNestedDepth 8 allows";
    }
}

void TstValidator::validateAt()
{
    QFETCH(QString, model);
    QFETCH(QString, path);
    QFETCH(QStringList, variables);
    QFETCH(QByteArray, value);
    QFETCH(QString, problemPath);
    QFETCH(QString, fragment);

    QHash<QString, QString> vars;
    for (const QString &pair : variables)
        vars.insert(pair.section(u'=', 0, 0), pair.section(u'=', 1));
    const TableModel &m = this->model(model);
    auto resolved = resolvePath(m, path, vars);
    QVERIFY2(resolved.ok(), qPrintable(resolved ? QString() : resolved.error().toString()));
    auto plain = JsonCodec::parsePlain(value);
    QVERIFY(plain.ok());
    const Value typed = ::applyModelTypesAt(m, *resolved, *plain);
    const Problems problems = Validator(m).validateAt(*resolved, typed);
    if (problemPath == u"-") {
        QVERIFY2(problems.empty(), qPrintable(describe(problems)));
        return;
    }
    const bool found = std::any_of(problems.begin(), problems.end(), [&](const Problem &p) {
        return p.path == problemPath && p.message.contains(fragment) && p.blocking;
    });
    QVERIFY2(found, qPrintable(QStringLiteral("expected %1: ...%2...; got:\n%3")
                                   .arg(problemPath, fragment, describe(problems))));
}

void TstValidator::applyModelTypes_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QByteArray>("record");
    QTest::addColumn<QString>("path"); // where to look in the result
    QTest::addColumn<QString>("tag");  // the DynamoDB type tag expected there

    const QString users = QStringLiteral("users");
    QTest::newRow("string set") << users << userWith(R"("tags":["a","b"])") << "tags"
                                << "SS";
    QTest::newRow("int set") << users << userWith(R"("luckyNumbers":[1,2])") << "luckyNumbers"
                             << "NS";
    QTest::newRow("decimal set") << users << userWith(R"("weights":[1.5])") << "weights"
                                 << "NS";
    QTest::newRow("binary set") << users << userWith(R"("images":["aGVsbG8="])") << "images"
                                << "BS";
    QTest::newRow("empty list to set") << users << userWith(R"("tags":[])") << "tags"
                                       << "SS";
    QTest::newRow("binary") << users << userWith(R"("avatar":"aGVsbG8=")") << "avatar"
                            << "B";
    QTest::newRow("set in dict item")
        << users << userWith(R"("tokens":{"t":{"scopes":["a"]}})") << "tokens.t.scopes"
        << "SS";
    QTest::newRow("set in list item")
        << users << userWith(R"("events":[{"name":"a","tags":["x"]}])") << "events[0].tags"
        << "SS";
    QTest::newRow("mixed items stay a list") << users << userWith(R"("tags":["a",1])") << "tags"
                                             << "L";
    QTest::newRow("numbers for a string set") << users << userWith(R"("tags":[1])") << "tags"
                                              << "L";
    QTest::newRow("bad base64 set stays a list")
        << users << userWith(R"("images":["!!"])") << "images"
        << "L";
    QTest::newRow("bad base64 stays text")
        << users << userWith(R"("avatar":"not base64!")") << "avatar"
        << "S";
    QTest::newRow("str or bytes stays text")
        << users << userWith(R"("label":"aGVsbG8=")") << "label"
        << "S";
    QTest::newRow("lists stay lists") << users << userWith(R"("logs":["a"])") << "logs"
                                      << "L";
    QTest::newRow("any untouched") << users << userWith(R"("settings":["a"])") << "settings"
                                   << "L";
    QTest::newRow("undeclared untouched") << users << userWith(R"("nickname":["a"])") << "nickname"
                                          << "L";
    QTest::newRow("key-only untouched")
        << "keyonly" << QByteArray(R"({"id":"a","tags":["a"]})") << "tags"
        << "L";
    QTest::newRow("not a map untouched") << users << QByteArray(R"(["a"])") << ""
                                         << "L";
}

void TstValidator::applyModelTypes()
{
    QFETCH(QString, model);
    QFETCH(QByteArray, record);
    QFETCH(QString, path);
    QFETCH(QString, tag);

    auto plain = JsonCodec::parsePlain(record);
    QVERIFY(plain.ok());
    const Value typed = ::applyModelTypes(this->model(model), *plain);
    const Value *v = path.isEmpty() ? &typed : at(typed, path);
    QVERIFY2(v, qPrintable(path));
    QCOMPARE(v->typeTag(), tag);
    if (tag == u"B")
        QCOMPARE(v->bytes(), QByteArray("hello"));
    if (tag == u"SS" || tag == u"NS")
        QCOMPARE(v->size(), at(*plain, path)->size());
}

void TstValidator::applyModelTypesAt()
{
    const TableModel &m = model(QStringLiteral("users"));
    auto item =
        resolvePath(m, u"tokens.{{tokenId}}", {{QStringLiteral("tokenId"), QStringLiteral("t")}});
    QVERIFY(item.ok());
    auto plain = JsonCodec::parsePlain(R"({"expirationTimestamp":1,"scopes":["a","b"]})");
    QVERIFY(plain.ok());
    const Value typed = ::applyModelTypesAt(m, *item, *plain);
    QCOMPARE(typed.find(QStringLiteral("scopes"))->type(), Value::Type::StringSet);

    auto any = resolvePath(m, u"settings.x");
    QVERIFY(any.ok());
    auto list = JsonCodec::parsePlain(R"(["a"])");
    QVERIFY(list.ok());
    QCOMPARE(::applyModelTypesAt(m, *any, *list), *list);
}

QTEST_APPLESS_MAIN(TstValidator)
#include "tst_validator.moc"
