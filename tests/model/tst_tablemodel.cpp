#include "model/json/jsoncodec.h"
#include "model/schema/tablemodel.h"
#include "model/store/sqlite/sqlitestore.h"

#include <QElapsedTimer>
#include <QFile>

#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <ctime>

using namespace Qt::Literals::StringLiterals;

namespace {

const QString kSource = u"t.json"_s;

/// CPU time this process has used, in milliseconds: unlike the wall clock, it does not grow
/// when other work shares the machine.
qint64 cpuMilliseconds()
{
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return qint64(t.tv_sec) * 1000 + t.tv_nsec / 1000000;
}

QString modelsDir()
{
    return QStringLiteral(STRUCTDESK_TESTS_DIR "/data/models");
}

/// The full example of the table model file format (README.md, "Table model files", shows most
/// of it).
const QByteArray kDesignExample = R"({
  "table": "users",
  "primaryIndex": { "hashKey": "userId", "hashKeyType": "str" },
  "secondaryIndexes": [ { "hashKey": "username", "hashKeyType": "str", "projection": "ALL" } ],
  "fields": {
    "userId":   { "type": "str", "required": true },
    "username": { "type": "str", "required": true },
    "age":      { "type": ["int", "float", "str"], "required": true },
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
    "AuthToken": { "fields": { "expirationTimestamp": { "type": "int", "required": true } } },
    "Parameter": { "fields": {
        "value": { "type": "any" },
        "children": { "type": "dict", "keyName": "childKey{i}", "maxNestedDepth": 8,
                      "items": { "type": "map", "model": "Parameter" } } } }
  }
})"_ba;

/// A model with the key field "id" and the given extra root fields (JSON object members).
QByteArray withFields(const QByteArray &fields, const QByteArray &extra = {})
{
    return R"({"table": "users", "primaryIndex": {"hashKey": "id"}, "fields": {"id": {"type": "str", "required": true})"_ba +
           (fields.isEmpty() ? QByteArray() : ", "_ba + fields) + "}"_ba +
           (extra.isEmpty() ? QByteArray() : ", "_ba + extra) + "}"_ba;
}

/// Maps nested `levels` deep: f1 holds f2 ... holds fN, a str.
QByteArray nestedMaps(int levels)
{
    QByteArray text = R"({"type": "str"})"_ba;
    for (int i = levels - 1; i >= 1; --i)
        text = R"({"type": "map", "fields": {"f)"_ba + QByteArray::number(i + 1) + R"(": )"_ba +
               text + "}}"_ba;
    return R"("f1": )"_ba + text;
}

QString nestedPointer(int levels)
{
    QString pointer = u"/fields/f1"_s;
    for (int i = 2; i <= levels; ++i)
        pointer += u"/fields/f"_s + QString::number(i);
    return pointer;
}

/// Named models M1 ... Mn, each holding the next; Mn holds an int.
QByteArray modelChain(int models)
{
    QByteArray text = R"("models": {)"_ba;
    for (int i = 1; i <= models; ++i) {
        if (i > 1)
            text += ", ";
        if (i < models)
            text += R"("M)"_ba + QByteArray::number(i) +
                    R"(": {"fields": {"n": {"type": "map", "model": "M)"_ba +
                    QByteArray::number(i + 1) + R"("}}})"_ba;
        else
            text +=
                R"("M)"_ba + QByteArray::number(i) + R"(": {"fields": {"v": {"type": "int"}}})"_ba;
    }
    return text + "}"_ba;
}

QString describeSpec(const FieldSpec &spec, const QString &indent, QStringList &models);

QString describeMap(const MapModel &map, const QString &indent, QStringList &models)
{
    QString out;
    for (const auto &field : map.fields) {
        out += indent + field->name + u":"_s + describeSpec(*field, indent + u"  "_s, models);
        if (map.field(field->name) != field.get())
            out += indent + u"  !! byName does not point at this field\n"_s;
    }
    if (map.byName.size() != qsizetype(map.fields.size()))
        out += indent + u"!! byName has a different size\n"_s;
    return out;
}

/// A full structural description of a spec, independent of toJson(), so that two models can be
/// compared for equality.
QString describeSpec(const FieldSpec &spec, const QString &indent, QStringList &models)
{
    QString out = u" required="_s + (spec.required ? u"yes"_s : u"no"_s) + u" keyName="_s +
                  spec.keyName + u" maxNestedDepth="_s + QString::number(spec.maxNestedDepth);
    if (spec.defaultValue)
        out += u" default="_s + QString::fromUtf8(JsonCodec::toPlain(*spec.defaultValue));
    out += u"\n"_s;
    for (const FieldType &type : spec.types) {
        out += indent + u"- "_s + fieldKindName(type.kind);
        if (type.kind == FieldKind::Dict)
            out += u" keyType="_s + fieldKindName(type.keyType);
        if (type.model && !type.model->name.isEmpty()) {
            out += u" model="_s + type.model->name + u"\n"_s;
            if (!models.contains(type.model->name))
                models << type.model->name;
        } else if (type.model) {
            out += u" fields\n"_s + describeMap(*type.model, indent + u"  "_s, models);
        } else {
            out += u"\n"_s;
        }
        if (type.items)
            out += indent + u"  items:"_s + describeSpec(*type.items, indent + u"    "_s, models);
    }
    return out;
}

QString describe(const TableModel &model)
{
    auto index = [](const IndexSpec &i) {
        return i.name + u" hash="_s + i.hashKey + u":"_s + fieldKindName(i.hashKeyType) +
               u" sort="_s + i.sortKey + u":"_s + fieldKindName(i.sortKeyType) + u" "_s +
               i.projection + u" ["_s + i.nonKeyAttributes.join(u',') + u"]\n"_s;
    };
    QString out = u"table "_s + model.tableName() + u"\nprimary "_s + index(model.primaryIndex());
    for (const IndexSpec &i : model.secondaryIndexes())
        out += u"secondary "_s + index(i);
    out += u"declaresFields "_s + (model.declaresFields() ? u"yes"_s : u"no"_s) + u"\n"_s;
    QStringList models;
    out += describeMap(model.root(), u"  "_s, models);
    for (qsizetype i = 0; i < models.size(); ++i) {
        const MapModel *named = model.namedModel(models[i]);
        if (!named) {
            out += u"!! missing model "_s + models[i] + u"\n"_s;
            continue;
        }
        out += u"model "_s + models[i] + u"\n"_s + describeMap(*named, u"  "_s, models);
    }
    return out;
}

TableModelPtr parseOrFail(const QByteArray &json)
{
    auto model = TableModel::fromJson(json, kSource);
    if (!model) {
        qWarning("%s", qPrintable(model.error().toString()));
        return nullptr;
    }
    return *model;
}

} // namespace

class TstTableModel : public QObject
{
    Q_OBJECT

private slots:
    void fieldKindNames();
    void designExample();
    void usersFixture();
    void minimalFixture();
    void keyOnly();
    void implicitHashKey();
    void fieldOrder();
    void defaultKeyNames_data();
    void defaultKeyNames();
    void typeDescription_data();
    void typeDescription();
    void defaults();
    void checkFieldName_data();
    void checkFieldName();
    void checkTableName_data();
    void checkTableName();
    void accepted_data();
    void accepted();
    void errors_data();
    void errors();
    void roundTrip_data();
    void roundTrip();
    void toJsonOmitsDefaults();
    void advisoryIsNotInTheFile();
    void fromFileMissing();
    void fromFileNamesThePath();
    void defaultsKeepExactNumberText_data();
    void defaultsKeepExactNumberText();
    void numberOutOfRangeInModelIsAPlainSentence_data();
    void numberOutOfRangeInModelIsAPlainSentence();
    void hugeMalformedModelGivesAShortMessage_data();
    void hugeMalformedModelGivesAShortMessage();
    void bigModelCreatesTableInLinearTime();
};

void TstTableModel::fieldKindNames()
{
    const QStringList names = {u"str"_s, u"int"_s, u"float"_s, u"decimal"_s, u"bool"_s, u"bytes"_s,
                               u"any"_s, u"map"_s, u"dict"_s,  u"list"_s,    u"set"_s};
    QSet<FieldKind> seen;
    for (const QString &name : names) {
        const auto kind = fieldKindFromName(name);
        QVERIFY2(kind.has_value(), qPrintable(name));
        QCOMPARE(fieldKindName(*kind), name);
        seen.insert(*kind);
    }
    QCOMPARE(seen.size(), names.size());
    QVERIFY(!fieldKindFromName(u"integer").has_value());
    QVERIFY(!fieldKindFromName(u"Str").has_value());
    QVERIFY(!fieldKindFromName(u"").has_value());
}

void TstTableModel::designExample()
{
    const TableModelPtr model = parseOrFail(kDesignExample);
    QVERIFY(model);
    QCOMPARE(model->tableName(), u"users"_s);
    QVERIFY(model->declaresFields());
    QCOMPARE(model->hashKey(), u"userId"_s);
    QCOMPARE(model->hashKeyType(), FieldKind::Str);
    QVERIFY(model->primaryIndex().sortKey.isEmpty());

    QCOMPARE(model->secondaryIndexes().size(), std::size_t(1));
    const IndexSpec &byName = model->secondaryIndexes().front();
    QCOMPARE(byName.name, u"username"_s);
    QCOMPARE(byName.hashKey, u"username"_s);
    QCOMPARE(byName.hashKeyType, FieldKind::Str);
    QCOMPARE(byName.projection, u"ALL"_s);

    const MapModel &root = model->root();
    QCOMPARE(root.fields.size(), std::size_t(9));
    const FieldSpec *userId = root.field(u"userId"_s);
    QVERIFY(userId);
    QVERIFY(userId->required);
    QCOMPARE(userId->typeDescription(), u"str"_s);

    const FieldSpec *age = root.field(u"age"_s);
    QVERIFY(age);
    QVERIFY(age->required);
    QCOMPARE(age->types.size(), std::size_t(3));
    QCOMPARE(age->firstType()->kind, FieldKind::Int);
    QVERIFY(age->accepts(FieldKind::Float));
    QVERIFY(age->accepts(FieldKind::Str));
    QVERIFY(!age->accepts(FieldKind::Bool));

    const FieldSpec *metadata = root.field(u"metadata"_s);
    QVERIFY(metadata);
    QVERIFY(!metadata->required);
    const FieldType *metadataMap = metadata->type(FieldKind::Map);
    QVERIFY(metadataMap && metadataMap->model);
    QVERIFY(metadataMap->model->name.isEmpty());
    QVERIFY(metadataMap->model->field(u"accountCreationTimestamp"_s)->required);
    QVERIFY(!metadataMap->model->field(u"lastConnectionTimestamp"_s)->required);

    const FieldSpec *tokens = root.field(u"tokens"_s);
    QVERIFY(tokens);
    QCOMPARE(tokens->keyName, u"tokenId"_s);
    const FieldType *tokensDict = tokens->type(FieldKind::Dict);
    QVERIFY(tokensDict);
    QCOMPARE(tokensDict->keyType, FieldKind::Str);
    QVERIFY(tokensDict->items);
    const FieldType *tokenMap = tokensDict->items->type(FieldKind::Map);
    QVERIFY(tokenMap);
    QCOMPARE(tokenMap->model, model->namedModel(u"AuthToken"_s));
    QVERIFY(tokenMap->model->field(u"expirationTimestamp"_s)->required);
    QCOMPARE(tokens->typeDescription(), u"dict of AuthToken"_s);

    const FieldSpec *tags = root.field(u"tags"_s);
    QVERIFY(tags);
    QCOMPARE(tags->typeDescription(), u"set of str"_s);
    QCOMPARE(tags->keyName, u"tagsIndex"_s);
    QCOMPARE(tags->type(FieldKind::Set)->items->firstType()->kind, FieldKind::Str);

    const FieldSpec *logs = root.field(u"logs"_s);
    QVERIFY(logs);
    QCOMPARE(logs->keyName, u"logIndex"_s);
    const FieldSpec *logItems = logs->type(FieldKind::List)->items;
    QVERIFY(logItems);
    QCOMPARE(logItems->types.size(), std::size_t(2));
    QVERIFY(logItems->accepts(FieldKind::Str));
    QVERIFY(logItems->accepts(FieldKind::Dict));
    QCOMPARE(logs->typeDescription(), u"list of str or dict"_s);

    const FieldSpec *settings = root.field(u"settings"_s);
    QVERIFY(settings);
    QVERIFY(settings->isAny());
    QVERIFY(!settings->required);

    const MapModel *parameter = model->namedModel(u"Parameter"_s);
    QVERIFY(parameter);
    QCOMPARE(parameter->name, u"Parameter"_s);
    QVERIFY(parameter->field(u"value"_s)->isAny());
    const FieldSpec *children = parameter->field(u"children"_s);
    QVERIFY(children);
    QCOMPARE(children->keyName, u"childKey{i}"_s);
    QCOMPARE(children->maxNestedDepth, 8);
    const FieldType *childMap = children->type(FieldKind::Dict)->items->type(FieldKind::Map);
    QVERIFY(childMap);
    QCOMPARE(childMap->model, parameter); // recursion: the items are Parameter again
    QVERIFY(!model->namedModel(u"Nope"_s));
}

void TstTableModel::usersFixture()
{
    auto model = TableModel::fromFile(modelsDir() + u"/users.json"_s);
    QVERIFY2(model, qPrintable(model ? QString() : model.error().toString()));
    const TableModel &m = **model;
    QCOMPARE(m.tableName(), u"users"_s);
    QCOMPARE(m.hashKey(), u"userId"_s);
    QCOMPARE(m.secondaryIndexes().front().hashKey, u"username"_s);

    const QStringList order = {
        u"userId"_s,   u"username"_s, u"email"_s,     u"age"_s,
        u"active"_s,   u"score"_s,    u"avatar"_s,    u"nextReminderTimestamp"_s,
        u"metadata"_s, u"tokens"_s,   u"tags"_s,      u"luckyNumbers"_s,
        u"logs"_s,     u"settings"_s, u"parameters"_s};
    QStringList names;
    for (const auto &field : m.root().fields)
        names << field->name;
    QCOMPARE(names, order);

    QCOMPARE(m.root().field(u"score"_s)->firstType()->kind, FieldKind::Decimal);
    QCOMPARE(m.root().field(u"avatar"_s)->firstType()->kind, FieldKind::Bytes);
    QCOMPARE(m.root().field(u"active"_s)->firstType()->kind, FieldKind::Bool);
    QCOMPARE(m.root().field(u"luckyNumbers"_s)->typeDescription(), u"set of int"_s);
    QCOMPARE(m.root().field(u"age"_s)->typeDescription(), u"one of int, float or str"_s);
    QVERIFY(m.root().field(u"metadata"_s)->type(FieldKind::Map)->model->field(u"plan"_s));

    const MapModel *authToken = m.namedModel(u"AuthToken"_s);
    QVERIFY(authToken);
    const FieldSpec *device = authToken->field(u"device"_s);
    QVERIFY(device);
    QVERIFY(device->type(FieldKind::Map)->model->field(u"name"_s)->required);
    QVERIFY(!device->type(FieldKind::Map)->model->field(u"os"_s)->required);

    const FieldSpec *parameters = m.root().field(u"parameters"_s);
    QCOMPARE(parameters->keyName, u"parameterKey"_s);
    QCOMPARE(parameters->typeDescription(), u"dict of Parameter"_s);
    const MapModel *parameter = m.namedModel(u"Parameter"_s);
    QCOMPARE(parameters->type(FieldKind::Dict)->items->type(FieldKind::Map)->model, parameter);
    QCOMPARE(parameter->field(u"children"_s)->maxNestedDepth, 8);
}

void TstTableModel::minimalFixture()
{
    auto model = TableModel::fromFile(modelsDir() + u"/minimal.json"_s);
    QVERIFY2(model, qPrintable(model ? QString() : model.error().toString()));
    QCOMPARE((*model)->root().fields.size(), std::size_t(2));
    QVERIFY((*model)->root().field(u"name"_s)->required);
    QVERIFY((*model)->secondaryIndexes().empty());
}

void TstTableModel::keyOnly()
{
    const TableModelPtr model = TableModel::keyOnly(u"events"_s, u"eventId"_s, FieldKind::Int);
    QVERIFY(!model->declaresFields());
    QCOMPARE(model->tableName(), u"events"_s);
    QCOMPARE(model->hashKey(), u"eventId"_s);
    QCOMPARE(model->hashKeyType(), FieldKind::Int);
    QCOMPARE(model->root().fields.size(), std::size_t(1));
    const FieldSpec *key = model->root().field(u"eventId"_s);
    QVERIFY(key);
    QVERIFY(key->required);
    QCOMPARE(key->typeDescription(), u"int"_s);

    // The file form of a key-only model has no "fields", and reads back key-only.
    QVERIFY(!model->toJson().contains("\"fields\""));
    const TableModelPtr back = parseOrFail(model->toJson());
    QVERIFY(back);
    QCOMPARE(describe(*back), describe(*model));
}

void TstTableModel::implicitHashKey()
{
    // No "fields": key-only, the root holds the key alone.
    const TableModelPtr bare = parseOrFail(
        R"({"table": "events", "primaryIndex": {"hashKey": "n", "hashKeyType": "float"}})"_ba);
    QVERIFY(bare);
    QVERIFY(!bare->declaresFields());
    QCOMPARE(bare->root().fields.size(), std::size_t(1));
    QVERIFY(bare->root().field(u"n"_s)->required);
    QCOMPARE(bare->root().field(u"n"_s)->firstType()->kind, FieldKind::Float);
    QCOMPARE(describe(*bare),
             describe(*TableModel::keyOnly(u"events"_s, u"n"_s, FieldKind::Float)));

    // "fields" without the key: the key is added, first, as a required field of the key type.
    const TableModelPtr model = parseOrFail(
        R"({"table": "users", "primaryIndex": {"hashKey": "id", "hashKeyType": "int"},
            "fields": {"name": {"type": "str"}}})"_ba);
    QVERIFY(model);
    QVERIFY(model->declaresFields());
    QCOMPARE(model->root().fields.size(), std::size_t(2));
    QCOMPARE(model->root().fields.front()->name, u"id"_s);
    QVERIFY(model->root().field(u"id"_s)->required);
    QCOMPARE(model->root().field(u"id"_s)->typeDescription(), u"int"_s);

    // Empty "fields" still declares fields (records are checked), unlike no "fields".
    const TableModelPtr empty =
        parseOrFail(R"({"table": "users", "primaryIndex": {"hashKey": "id"}, "fields": {}})"_ba);
    QVERIFY(empty);
    QVERIFY(empty->declaresFields());
    QCOMPARE(empty->root().fields.size(), std::size_t(1));

    // A sort key is a key too.
    const TableModelPtr sorted = parseOrFail(
        R"({"table": "users", "primaryIndex": {"hashKey": "id", "sortKey": "at", "sortKeyType": "int"},
            "fields": {"name": {"type": "str"}}})"_ba);
    QVERIFY(sorted);
    QCOMPARE(sorted->root().fields.size(), std::size_t(3));
    QCOMPARE(sorted->root().fields[0]->name, u"id"_s);
    QCOMPARE(sorted->root().fields[1]->name, u"at"_s);
    QVERIFY(sorted->root().field(u"at"_s)->required);
    QCOMPARE(sorted->root().field(u"at"_s)->firstType()->kind, FieldKind::Int);
}

void TstTableModel::fieldOrder()
{
    const TableModelPtr model = parseOrFail(withFields(
        R"("zeta": {"type": "str"}, "alpha": {"type": "int"}, "mid": {"type": "bool"})"_ba));
    QVERIFY(model);
    QStringList names;
    for (const auto &field : model->root().fields)
        names << field->name;
    QCOMPARE(names, (QStringList{u"id"_s, u"zeta"_s, u"alpha"_s, u"mid"_s}));
    const QByteArray json = model->toJson();
    QVERIFY(json.indexOf("\"zeta\"") < json.indexOf("\"alpha\""));
    QVERIFY(json.indexOf("\"alpha\"") < json.indexOf("\"mid\""));
}

void TstTableModel::defaultKeyNames_data()
{
    QTest::addColumn<QByteArray>("field");
    QTest::addColumn<QString>("keyName");
    QTest::addColumn<QString>("itemKeyName");

    QTest::newRow("dict") << R"({"type": "dict"})"_ba << u"xKey"_s << QString();
    QTest::newRow("list") << R"({"type": "list"})"_ba << u"xIndex"_s << QString();
    QTest::newRow("set") << R"({"type": "set", "items": "str"})"_ba << u"xIndex"_s << QString();
    QTest::newRow("explicit") << R"({"type": "dict", "keyName": "k"})"_ba << u"k"_s << QString();
    QTest::newRow("recursive placeholder")
        << R"({"type": "list", "keyName": "level{i}"})"_ba << u"level{i}"_s << QString();
    QTest::newRow("str has none") << R"({"type": "str"})"_ba << QString() << QString();
    QTest::newRow("map has none") << R"({"type": "map"})"_ba << QString() << QString();
    QTest::newRow("nested dict") << R"({"type": "dict", "items": "dict"})"_ba << u"xKey"_s
                                 << u"xKeyChild"_s;
    QTest::newRow("nested list") << R"({"type": "list", "keyName": "i", "items": "list"})"_ba
                                 << u"i"_s << u"iChild"_s;
    QTest::newRow("nested explicit")
        << R"({"type": "dict", "items": {"type": "dict", "keyName": "inner"}})"_ba << u"xKey"_s
        << u"inner"_s;
}

void TstTableModel::defaultKeyNames()
{
    QFETCH(QByteArray, field);
    QFETCH(QString, keyName);
    QFETCH(QString, itemKeyName);
    const TableModelPtr model = parseOrFail(withFields(R"("x": )"_ba + field));
    QVERIFY(model);
    const FieldSpec *x = model->root().field(u"x"_s);
    QCOMPARE(x->keyName, keyName);
    if (!itemKeyName.isEmpty())
        QCOMPARE(x->firstType()->items->keyName, itemKeyName);
}

void TstTableModel::typeDescription_data()
{
    QTest::addColumn<QByteArray>("field");
    QTest::addColumn<QString>("description");

    QTest::newRow("str") << R"({"type": "str"})"_ba << u"str"_s;
    QTest::newRow("decimal") << R"({"type": "decimal"})"_ba << u"decimal"_s;
    QTest::newRow("any") << R"({"type": "any"})"_ba << u"any"_s;
    QTest::newRow("two") << R"({"type": ["int", "float"]})"_ba << u"int or float"_s;
    QTest::newRow("three") << R"({"type": ["int", "float", "str"]})"_ba
                           << u"one of int, float or str"_s;
    QTest::newRow("free map") << R"({"type": "map"})"_ba << u"map"_s;
    QTest::newRow("inline map") << R"({"type": "map", "fields": {"a": {"type": "int"}}})"_ba
                                << u"map"_s;
    QTest::newRow("named map") << R"({"type": "map", "model": "M"})"_ba << u"M"_s;
    QTest::newRow("dict") << R"({"type": "dict"})"_ba << u"dict"_s;
    QTest::newRow("dict of any") << R"({"type": "dict", "items": "any"})"_ba << u"dict"_s;
    QTest::newRow("dict of model")
        << R"({"type": "dict", "items": {"type": "map", "model": "M"}})"_ba << u"dict of M"_s;
    QTest::newRow("dict of map") << R"({"type": "dict", "items": "map"})"_ba << u"dict of map"_s;
    QTest::newRow("list of union")
        << R"({"type": "list", "items": ["str", "dict"]})"_ba << u"list of str or dict"_s;
    QTest::newRow("list of list of int")
        << R"({"type": "list", "items": {"type": "list", "items": "int"}})"_ba
        << u"list of list of int"_s;
    QTest::newRow("set of str") << R"({"type": "set", "items": "str"})"_ba << u"set of str"_s;
    QTest::newRow("set of bytes") << R"({"type": "set", "items": "bytes"})"_ba << u"set of bytes"_s;
    QTest::newRow("union with dict")
        << R"({"type": ["str", "dict"], "items": "int"})"_ba << u"str or dict of int"_s;
}

void TstTableModel::typeDescription()
{
    QFETCH(QByteArray, field);
    QFETCH(QString, description);
    const TableModelPtr model = parseOrFail(withFields(
        R"("x": )"_ba + field, R"("models": {"M": {"fields": {"a": {"type": "int"}}}})"_ba));
    QVERIFY(model);
    QCOMPARE(model->root().field(u"x"_s)->typeDescription(), description);
}

void TstTableModel::defaults()
{
    const TableModelPtr model = parseOrFail(withFields(
        R"("count": {"type": "int", "default": 7},
           "ratio": {"type": "float", "default": 0.5},
           "name": {"type": ["str", "int"], "default": 3},
           "note": {"type": "str", "default": null},
           "flags": {"type": "map", "default": {"a": true, "b": [1, "x"]}},
           "data": {"type": "bytes", "default": "AAE="},
           "nothing": {"type": "int"})"_ba));
    QVERIFY(model);
    const MapModel &root = model->root();
    QCOMPARE(*root.field(u"count"_s)->defaultValue, Value::integer(7));
    QCOMPARE(root.field(u"ratio"_s)->defaultValue->text(), u"0.5"_s);
    QCOMPARE(*root.field(u"name"_s)->defaultValue, Value::integer(3));
    QVERIFY(root.field(u"note"_s)->defaultValue->isNull());
    const Value &flags = *root.field(u"flags"_s)->defaultValue;
    QVERIFY(flags.isMap());
    QCOMPARE(*flags.find(u"a"_s), Value::boolean(true));
    QCOMPARE(flags.find(u"b"_s)->toList(), (Value::List{Value::integer(1), Value::string(u"x"_s)}));
    QCOMPARE(*root.field(u"data"_s)->defaultValue, Value::string(u"AAE="_s));
    QVERIFY(!root.field(u"nothing"_s)->defaultValue.has_value());
}

void TstTableModel::checkFieldName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("problem"); // a fragment, empty when the name is fine

    QTest::newRow("plain") << u"userId"_s << QString();
    QTest::newRow("symbols allowed by StructNoSQL") << u"field%/!$"_s << QString();
    QTest::newRow("space") << u"first name"_s << QString();
    QTest::newRow("lowercase type tag") << u"s"_s << QString();
    QTest::newRow("longer than a tag") << u"NULLS"_s << QString();
    QTest::newRow("unicode") << u"prénom"_s << QString();
    QTest::newRow("empty") << QString() << u"cannot be empty"_s;
    for (const char *c : {"[", "]", "{", "}", "(", ")", "|"}) {
        const QString ch = QString::fromLatin1(c);
        QTest::addRow("character %s", c)
            << (u"a"_s + ch + u"b"_s) << (u"contains \""_s + ch + u"\""_s);
    }
    QTest::newRow("dot") << u"a.b"_s << u"separates the elements of a field path"_s;
    for (const char *tag : {"S", "N", "B", "SS", "NS", "BS", "NULL", "BOOL", "M", "L"})
        QTest::addRow("type tag %s", tag) << QString::fromLatin1(tag) << u"type tag"_s;
}

void TstTableModel::checkFieldName()
{
    QFETCH(QString, name);
    QFETCH(QString, problem);
    const QString answer = TableModel::checkFieldName(name);
    if (problem.isEmpty())
        QCOMPARE(answer, QString());
    else
        QVERIFY2(answer.contains(problem), qPrintable(answer));
}

void TstTableModel::checkTableName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");

    QTest::newRow("plain") << u"users"_s << true;
    QTest::newRow("all allowed characters") << u"My_table-2.0"_s << true;
    QTest::newRow("three characters") << u"abc"_s << true;
    QTest::newRow("255 characters") << QString(255, u'a') << true;
    QTest::newRow("two characters") << u"ab"_s << false;
    QTest::newRow("256 characters") << QString(256, u'a') << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("space") << u"my users"_s << false;
    QTest::newRow("slash") << u"my/users"_s << false;
    QTest::newRow("non-ascii") << u"usérs"_s << false;
}

void TstTableModel::checkTableName()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(TableModel::checkTableName(name).isEmpty(), valid);
}

void TstTableModel::accepted_data()
{
    QTest::addColumn<QByteArray>("json");

    QTest::newRow("32 levels of maps") << withFields(nestedMaps(32));
    QTest::newRow("chain of named models 32 deep")
        << withFields(R"("n": {"type": "map", "model": "M1"})"_ba, modelChain(31));
    QTest::newRow("mutually recursive models") << withFields(
        R"("a": {"type": "map", "model": "A"})"_ba,
        R"("models": {"A": {"fields": {"b": {"type": "list", "keyName": "b{i}", "items": {"type": "map", "model": "B"}}}},
                                    "B": {"fields": {"a": {"type": "map", "model": "A"}}}})"_ba);
    QTest::newRow("maxNestedDepth 32")
        << withFields(R"("x": {"type": "dict", "maxNestedDepth": 32})"_ba);
    QTest::newRow("maxNestedDepth 1")
        << withFields(R"("x": {"type": "dict", "maxNestedDepth": 1})"_ba);
    QTest::newRow("int and float keys")
        << R"({"table": "t.1-x", "primaryIndex": {"hashKey": "n", "hashKeyType": "int"},
               "secondaryIndexes": [{"name": "byScore", "hashKey": "score", "hashKeyType": "float",
                                     "sortKey": "n", "sortKeyType": "int"}],
               "fields": {"n": {"type": "int", "required": true}, "score": {"type": ["float", "int"]}}})"_ba;
    QTest::newRow("INCLUDE with attributes") << withFields(
        {},
        R"("secondaryIndexes": [{"hashKey": "email", "projection": "INCLUDE", "nonKeyAttributes": ["name", "age"]}])"_ba);
    QTest::newRow("index key of an any field")
        << withFields(R"("x": {"type": "any"})"_ba,
                      R"("secondaryIndexes": [{"hashKey": "x", "hashKeyType": "int"}])"_ba);
    QTest::newRow("empty model") << withFields({}, R"("models": {"Empty": {}})"_ba);
    QTest::newRow("escaped names")
        << withFields(R"("a/b": {"type": "str"}, "c~d": {"type": "int"})"_ba);
    QTest::newRow("BOM-less unicode") << withFields(R"("prénom": {"type": "str"})"_ba);
}

void TstTableModel::accepted()
{
    QFETCH(QByteArray, json);
    auto model = TableModel::fromJson(json, kSource);
    QVERIFY2(model, qPrintable(model ? QString() : model.error().toString()));
}

void TstTableModel::errors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("location");
    QTest::addColumn<QString>("message"); // a fragment of the message

    // The document and the top level.
    QTest::newRow("malformed JSON") << "{\n  \"table\": \"users\",\n  \"primaryIndex\": }\n}"_ba
                                    << u"t.json:3:19"_s << u"malformed JSON: unexpected '}'"_s;
    QTest::newRow("truncated JSON")
        << "{\"table\": \"users\",\n  \"fields\": {"_ba << u"t.json:2:14"_s << u"malformed JSON"_s;
    QTest::newRow("empty file") << QByteArray() << u"t.json:1:1"_s << u"malformed JSON"_s;
    QTest::newRow("not an object") << "[1, 2]"_ba << u"t.json"_s << u"holds a JSON object"_s;
    QTest::newRow("duplicate key")
        << withFields(R"("x": {"type": "str", "type": "int"})"_ba) << u"t.json:/fields/x/type"_s
        << u"the key \"type\" appears twice"_s;
    {
        // Objects of many members are checked for duplicates when they end.
        QByteArray many;
        for (int i = 0; i < 40; ++i)
            many += "\"f" + QByteArray::number(i) + R"(": {"type": "str"}, )";
        QTest::newRow("duplicate key among many fields")
            << withFields(many + R"("f7": {"type": "int"})"_ba) << u"t.json:/fields/f7"_s
            << u"the key \"f7\" appears twice"_s;
    }
    QTest::newRow("unknown top-level key")
        << R"({"table": "users", "primaryIndex": {"hashKey": "id"}, "colour": 1})"_ba
        << u"t.json:/colour"_s << u"unknown key \"colour\" in a table model"_s;
    QTest::newRow("missing table") << R"({"primaryIndex": {"hashKey": "id"}})"_ba
                                   << u"t.json:/table"_s << u"\"table\" is missing"_s;
    QTest::newRow("table not a string")
        << R"({"table": 5, "primaryIndex": {"hashKey": "id"}})"_ba << u"t.json:/table"_s
        << u"expected a string, found a number"_s;
    QTest::newRow("table name too short")
        << R"({"table": "ab", "primaryIndex": {"hashKey": "id"}})"_ba << u"t.json:/table"_s
        << u"3 to 255"_s;
    QTest::newRow("table name with a space")
        << R"({"table": "my users", "primaryIndex": {"hashKey": "id"}})"_ba << u"t.json:/table"_s
        << u"contains \" \""_s;

    // Indexes.
    QTest::newRow("missing primaryIndex")
        << R"({"table": "users"})"_ba << u"t.json:/primaryIndex"_s << u"is missing"_s;
    QTest::newRow("primaryIndex not an object")
        << R"({"table": "users", "primaryIndex": "id"})"_ba << u"t.json:/primaryIndex"_s
        << u"expected an object"_s;
    QTest::newRow("missing hashKey")
        << R"({"table": "users", "primaryIndex": {}})"_ba << u"t.json:/primaryIndex/hashKey"_s
        << u"\"hashKey\" is missing"_s;
    QTest::newRow("hashKey is a type tag")
        << R"({"table": "users", "primaryIndex": {"hashKey": "S"}})"_ba
        << u"t.json:/primaryIndex/hashKey"_s << u"type tag"_s;
    QTest::newRow("bad hashKeyType")
        << R"({"table": "users", "primaryIndex": {"hashKey": "id", "hashKeyType": "bool"}})"_ba
        << u"t.json:/primaryIndex/hashKeyType"_s
        << u"\"bool\" cannot be a key type; expected one of str, int, float"_s;
    QTest::newRow("unknown primaryIndex key")
        << R"({"table": "users", "primaryIndex": {"hashKey": "id", "rangeKey": "x"}})"_ba
        << u"t.json:/primaryIndex/rangeKey"_s << u"unknown key \"rangeKey\""_s;
    QTest::newRow("sortKeyType without sortKey")
        << R"({"table": "users", "primaryIndex": {"hashKey": "id", "sortKeyType": "int"}})"_ba
        << u"t.json:/primaryIndex/sortKeyType"_s << u"needs a \"sortKey\""_s;
    QTest::newRow("secondaryIndexes not an array")
        << withFields({}, R"("secondaryIndexes": {})"_ba) << u"t.json:/secondaryIndexes"_s
        << u"expected an array"_s;
    QTest::newRow("secondary index not an object")
        << withFields({}, R"("secondaryIndexes": [5])"_ba) << u"t.json:/secondaryIndexes/0"_s
        << u"expected an object"_s;
    QTest::newRow("unknown secondary index key")
        << withFields({}, R"("secondaryIndexes": [{"hashKey": "a", "type": "gsi"}])"_ba)
        << u"t.json:/secondaryIndexes/0/type"_s << u"unknown key \"type\" in a secondary index"_s;
    QTest::newRow("unknown projection")
        << withFields({}, R"("secondaryIndexes": [{"hashKey": "a", "projection": "SOME"}])"_ba)
        << u"t.json:/secondaryIndexes/0/projection"_s << u"unknown projection \"SOME\""_s;
    QTest::newRow("nonKeyAttributes without INCLUDE")
        << withFields(
               {},
               R"("secondaryIndexes": [{"hashKey": "a"}, {"hashKey": "b", "nonKeyAttributes": ["c"]}])"_ba)
        << u"t.json:/secondaryIndexes/1/nonKeyAttributes"_s
        << u"only allowed with \"projection\": \"INCLUDE\""_s;
    QTest::newRow("nonKeyAttributes with KEYS_ONLY")
        << withFields(
               {},
               R"("secondaryIndexes": [{"hashKey": "b", "projection": "KEYS_ONLY", "nonKeyAttributes": ["c"]}])"_ba)
        << u"t.json:/secondaryIndexes/0/nonKeyAttributes"_s << u"INCLUDE"_s;
    QTest::newRow("bad index name")
        << withFields({}, R"("secondaryIndexes": [{"name": "ix", "hashKey": "b"}])"_ba)
        << u"t.json:/secondaryIndexes/0/name"_s << u"3 to 255"_s;
    QTest::newRow("two indexes with one name")
        << withFields(
               {}, R"("secondaryIndexes": [{"hashKey": "b"}, {"hashKey": "b", "sortKey": "c"}])"_ba)
        << u"t.json:/secondaryIndexes/1"_s << u"two secondary indexes are named \"b\""_s;
    QTest::newRow("index key type differs from its field")
        << withFields(R"("b": {"type": "int"})"_ba, R"("secondaryIndexes": [{"hashKey": "b"}])"_ba)
        << u"t.json:/secondaryIndexes/0/hashKeyType"_s << u"the index key \"b\" is str"_s;

    // The hash key field.
    QTest::newRow("hash key declared optional")
        << R"({"table": "users", "primaryIndex": {"hashKey": "id"}, "fields": {"id": {"type": "str"}}})"_ba
        << u"t.json:/fields/id"_s << u"the hash key \"id\" must be required"_s;
    QTest::newRow("hash key declared required false")
        << R"({"table": "users", "primaryIndex": {"hashKey": "id"}, "fields": {"id": {"type": "str", "required": false}}})"_ba
        << u"t.json:/fields/id/required"_s << u"must be required"_s;
    QTest::newRow("hash key type mismatch")
        << R"({"table": "users", "primaryIndex": {"hashKey": "id", "hashKeyType": "int"}, "fields": {"id": {"type": "str", "required": true}}})"_ba
        << u"t.json:/fields/id/type"_s << u"the hash key \"id\" must have the type int"_s;
    QTest::newRow("hash key with several types")
        << R"({"table": "users", "primaryIndex": {"hashKey": "id"}, "fields": {"id": {"type": ["str", "int"], "required": true}}})"_ba
        << u"t.json:/fields/id/type"_s << u"it is str or int"_s;
    QTest::newRow("sort key type mismatch")
        << R"({"table": "users", "primaryIndex": {"hashKey": "id", "sortKey": "at", "sortKeyType": "int"}, "fields": {"at": {"type": "str", "required": true}}})"_ba
        << u"t.json:/fields/at/type"_s << u"the sort key \"at\" must have the type int"_s;

    // Field objects.
    QTest::newRow("fields not an object")
        << R"({"table": "users", "primaryIndex": {"hashKey": "id"}, "fields": []})"_ba
        << u"t.json:/fields"_s << u"expected an object of fields, found an array"_s;
    QTest::newRow("field not an object") << withFields(R"("x": "str")"_ba) << u"t.json:/fields/x"_s
                                         << u"expected a field object, found a string"_s;
    QTest::newRow("unknown field key")
        << withFields(R"("x": {"type": "str", "requird": true})"_ba)
        << u"t.json:/fields/x/requird"_s << u"unknown key \"requird\" in a field"_s;
    QTest::newRow("unknown key in an escaped name")
        << withFields(R"("a/b~c": {"type": "str", "size": 1})"_ba)
        << u"t.json:/fields/a~1b~0c/size"_s << u"unknown key \"size\""_s;
    QTest::newRow("missing type") << withFields(R"("x": {"required": true})"_ba)
                                  << u"t.json:/fields/x/type"_s << u"\"type\" is missing"_s;
    QTest::newRow("unknown type name")
        << withFields(R"("x": {"type": "integer"})"_ba) << u"t.json:/fields/x/type"_s
        << u"unknown type \"integer\"; expected one of str, int, float, decimal, bool, bytes, any, map, dict, list, set"_s;
    QTest::newRow("unknown type in a list")
        << withFields(R"("x": {"type": ["int", "Integer"]})"_ba) << u"t.json:/fields/x/type/1"_s
        << u"unknown type \"Integer\""_s;
    QTest::newRow("type not a name") << withFields(R"("x": {"type": 1})"_ba)
                                     << u"t.json:/fields/x/type"_s << u"expected a type name"_s;
    QTest::newRow("empty type list") << withFields(R"("x": {"type": []})"_ba)
                                     << u"t.json:/fields/x/type"_s << u"cannot be empty"_s;
    QTest::newRow("type listed twice") << withFields(R"("x": {"type": ["int", "str", "int"]})"_ba)
                                       << u"t.json:/fields/x/type/2"_s << u"listed twice"_s;
    QTest::newRow("required not a boolean")
        << withFields(R"("x": {"type": "str", "required": "yes"})"_ba)
        << u"t.json:/fields/x/required"_s << u"expected true or false"_s;
    QTest::newRow("default of the wrong type")
        << withFields(R"("x": {"type": "int", "default": "seven"})"_ba)
        << u"t.json:/fields/x/default"_s << u"the default \"seven\" does not fit the type int"_s;
    QTest::newRow("null default of a required field")
        << withFields(R"("x": {"type": "int", "required": true, "default": null})"_ba)
        << u"t.json:/fields/x/default"_s << u"does not fit"_s;
    QTest::newRow("bytes default not base64")
        << withFields(R"("x": {"type": "bytes", "default": "not base64!"})"_ba)
        << u"t.json:/fields/x/default"_s << u"does not fit the type bytes"_s;

    // Dicts, lists and sets.
    QTest::newRow("bad keyType") << withFields(R"("x": {"type": "dict", "keyType": "bool"})"_ba)
                                 << u"t.json:/fields/x/keyType"_s
                                 << u"\"bool\" cannot be a key type"_s;
    QTest::newRow("keyType on a list")
        << withFields(R"("x": {"type": "list", "keyType": "str"})"_ba)
        << u"t.json:/fields/x/keyType"_s << u"only allowed on dict fields"_s;
    QTest::newRow("untyped set") << withFields(R"("x": {"type": "set"})"_ba)
                                 << u"t.json:/fields/x"_s << u"UsageOfUntypedSetException"_s;
    QTest::newRow("set of any") << withFields(R"("x": {"type": "set", "items": "any"})"_ba)
                                << u"t.json:/fields/x/items"_s << u"untyped sets"_s;
    QTest::newRow("set of map") << withFields(R"("x": {"type": "set", "items": "map"})"_ba)
                                << u"t.json:/fields/x/items"_s << u"a set cannot hold map items"_s;
    QTest::newRow("set of bool") << withFields(R"("x": {"type": "set", "items": "bool"})"_ba)
                                 << u"t.json:/fields/x/items"_s
                                 << u"a set cannot hold bool items"_s;
    QTest::newRow("set of str or dict")
        << withFields(R"("x": {"type": "set", "items": ["str", "dict"]})"_ba)
        << u"t.json:/fields/x/items/1"_s << u"cannot hold dict items"_s;
    QTest::newRow("set of a map model")
        << withFields(R"("x": {"type": "set", "items": {"type": "map", "model": "M"}})"_ba,
                      R"("models": {"M": {}})"_ba)
        << u"t.json:/fields/x/items/type"_s << u"cannot hold map items"_s;
    QTest::newRow("untyped set inside a list")
        << withFields(R"("x": {"type": "list", "items": "set"})"_ba) << u"t.json:/fields/x/items"_s
        << u"untyped set"_s;
    QTest::newRow("keyName on a str")
        << withFields(R"("x": {"type": "str", "keyName": "k"})"_ba) << u"t.json:/fields/x/keyName"_s
        << u"\"keyName\" is only allowed on dict, list and set fields; this field is str"_s;
    QTest::newRow("keyName on a map")
        << withFields(R"("x": {"type": "map", "keyName": "k"})"_ba) << u"t.json:/fields/x/keyName"_s
        << u"only allowed on dict, list and set"_s;
    QTest::newRow("keyName with a dot")
        << withFields(R"("x": {"type": "dict", "keyName": "a.b"})"_ba)
        << u"t.json:/fields/x/keyName"_s << u"contains \".\""_s;
    QTest::newRow("keyName with braces")
        << withFields(R"("x": {"type": "dict", "keyName": "{k}"})"_ba)
        << u"t.json:/fields/x/keyName"_s << u"contains \"{\""_s;
    QTest::newRow("items on a str")
        << withFields(R"("x": {"type": "str", "items": "int"})"_ba) << u"t.json:/fields/x/items"_s
        << u"\"items\" is only allowed on dict, list and set fields"_s;
    QTest::newRow("items not a type") << withFields(R"("x": {"type": "list", "items": 3})"_ba)
                                      << u"t.json:/fields/x/items"_s << u"expected a type name"_s;
    QTest::newRow("unknown item type")
        << withFields(R"("x": {"type": "list", "items": ["str", "text"]})"_ba)
        << u"t.json:/fields/x/items/1"_s << u"unknown type \"text\""_s;
    QTest::newRow("required on items")
        << withFields(R"("x": {"type": "list", "items": {"type": "str", "required": true}})"_ba)
        << u"t.json:/fields/x/items/required"_s << u"unknown key \"required\" in an item type"_s;

    // Maps and models.
    QTest::newRow("fields on a str")
        << withFields(R"("x": {"type": "str", "fields": {}})"_ba) << u"t.json:/fields/x/fields"_s
        << u"\"fields\" is only allowed on map fields"_s;
    QTest::newRow("model on a dict")
        << withFields(R"("x": {"type": "dict", "model": "M"})"_ba, R"("models": {"M": {}})"_ba)
        << u"t.json:/fields/x/model"_s << u"\"model\" is only allowed on map fields"_s;
    QTest::newRow("fields and model together")
        << withFields(R"("x": {"type": "map", "fields": {}, "model": "M"})"_ba,
                      R"("models": {"M": {}})"_ba)
        << u"t.json:/fields/x/model"_s << u"either \"fields\" or \"model\", not both"_s;
    QTest::newRow("unknown model name")
        << withFields(R"("x": {"type": "map", "model": "Nope"})"_ba, R"("models": {"M": {}})"_ba)
        << u"t.json:/fields/x/model"_s << u"unknown model \"Nope\"; the file declares M"_s;
    QTest::newRow("unknown model without models")
        << withFields(R"("x": {"type": "map", "model": "Nope"})"_ba) << u"t.json:/fields/x/model"_s
        << u"declares no \"models\""_s;
    QTest::newRow("unknown model in items")
        << withFields(
               R"("x": {"type": "dict", "items": {"type": "map", "model": "AuthTokens"}})"_ba,
               R"("models": {"AuthToken": {}})"_ba)
        << u"t.json:/fields/x/items/model"_s << u"unknown model \"AuthTokens\""_s;
    QTest::newRow("unknown model inside a model")
        << withFields({}, R"("models": {"A": {"fields": {"b": {"type": "map", "model": "B"}}}})"_ba)
        << u"t.json:/models/A/fields/b/model"_s << u"unknown model \"B\""_s;
    QTest::newRow("models not an object")
        << withFields({}, R"("models": [])"_ba) << u"t.json:/models"_s << u"expected an object"_s;
    QTest::newRow("model not an object") << withFields({}, R"("models": {"M": 1})"_ba)
                                         << u"t.json:/models/M"_s << u"expected a model object"_s;
    QTest::newRow("unknown model key")
        << withFields({}, R"("models": {"M": {"fields": {}, "colour": "red"}})"_ba)
        << u"t.json:/models/M/colour"_s << u"unknown key \"colour\" in a model"_s;
    QTest::newRow("empty model name") << withFields({}, R"("models": {"": {}})"_ba)
                                      << u"t.json:/models/"_s << u"cannot be empty"_s;

    // Field names (spec 2.7).
    for (const char *c : {"[", "]", "{", "}", "(", ")", "|"}) {
        const QString name = u"a"_s + QString::fromLatin1(c) + u"b"_s;
        QTest::addRow("restricted character %s", c)
            << withFields(R"(")"_ba + name.toUtf8() + R"(": {"type": "str"})"_ba)
            << (u"t.json:/fields/"_s + name)
            << (u"contains \""_s + QString::fromLatin1(c) + u"\", which StructNoSQL reserves"_s);
    }
    QTest::newRow("dot in a field name")
        << withFields(R"("a.b": {"type": "str"})"_ba) << u"t.json:/fields/a.b"_s
        << u"separates the elements of a field path"_s;
    for (const char *tag : {"S", "N", "B", "SS", "NS", "BS", "NULL", "BOOL", "M", "L"})
        QTest::addRow("restricted name %s", tag)
            << withFields(R"(")"_ba + tag + R"(": {"type": "str"})"_ba)
            << (u"t.json:/fields/"_s + QString::fromLatin1(tag)) << u"is a DynamoDB type tag"_s;
    QTest::newRow("empty field name")
        << withFields(R"("": {"type": "str"})"_ba) << u"t.json:/fields/"_s << u"cannot be empty"_s;
    QTest::newRow("restricted name in a nested map")
        << withFields(R"("m": {"type": "map", "fields": {"NULL": {"type": "int"}}})"_ba)
        << u"t.json:/fields/m/fields/NULL"_s << u"type tag"_s;
    QTest::newRow("restricted name in a model")
        << withFields({}, R"("models": {"M": {"fields": {"x|y": {"type": "int"}}}})"_ba)
        << u"t.json:/models/M/fields/x|y"_s << u"contains \"|\""_s;

    // Depth.
    QTest::newRow("maxNestedDepth 33")
        << withFields(R"("x": {"type": "dict", "maxNestedDepth": 33})"_ba)
        << u"t.json:/fields/x/maxNestedDepth"_s << u"maxNestedDepth 33 is above 32"_s;
    QTest::newRow("maxNestedDepth huge")
        << withFields(R"("x": {"type": "dict", "maxNestedDepth": 18446744073709551615})"_ba)
        << u"t.json:/fields/x/maxNestedDepth"_s << u"is above 32"_s;
    QTest::newRow("maxNestedDepth negative")
        << withFields(R"("x": {"type": "dict", "maxNestedDepth": -9223372036854775807})"_ba)
        << u"t.json:/fields/x/maxNestedDepth"_s << u"at least 1"_s;
    QTest::newRow("maxNestedDepth 0")
        << withFields(R"("x": {"type": "dict", "maxNestedDepth": 0})"_ba)
        << u"t.json:/fields/x/maxNestedDepth"_s << u"at least 1"_s;
    QTest::newRow("maxNestedDepth not an integer")
        << withFields(R"("x": {"type": "dict", "maxNestedDepth": 2.5})"_ba)
        << u"t.json:/fields/x/maxNestedDepth"_s << u"expected an integer from 1 to 32"_s;
    QTest::newRow("33 levels of maps")
        << withFields(nestedMaps(33)) << (u"t.json:"_s + nestedPointer(33))
        << u"nested 33 levels deep; DynamoDB allows at most 32"_s;
    QTest::newRow("chain of named models 34 deep")
        << withFields(R"("n": {"type": "map", "model": "M1"})"_ba, modelChain(33))
        << u"t.json:/fields/n/model"_s << u"nests fields 34 levels deep"_s;
    QTest::newRow("default nested too deep")
        << withFields(R"("x": {"type": "any", "default": )"_ba + QByteArray(40, '[') +
                      QByteArray(40, ']') + "}")
        << u"t.json:/fields/x/default"_s << u"deeper than 32"_s;
}

void TstTableModel::errors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, location);
    QFETCH(QString, message);
    auto model = TableModel::fromJson(json, kSource);
    QVERIFY2(!model, json.constData());
    QCOMPARE(model.error().kind, ErrorKind::Invalid);
    QCOMPARE(model.error().location, location);
    QVERIFY2(model.error().message.contains(message), qPrintable(model.error().message));
}

void TstTableModel::roundTrip_data()
{
    QTest::addColumn<QByteArray>("json");

    auto file = [](const QString &name) {
        QFile f(modelsDir() + u"/"_s + name);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    };
    QTest::newRow("format example") << kDesignExample;
    QTest::newRow("users.json") << file(u"users.json"_s);
    QTest::newRow("minimal.json") << file(u"minimal.json"_s);
    QTest::newRow("no fields")
        << R"({"table": "events", "primaryIndex": {"hashKey": "n", "hashKeyType": "int"}})"_ba;
    QTest::newRow("everything else") << R"({"table": "t.1-x",
               "primaryIndex": {"hashKey": "n", "hashKeyType": "int", "sortKey": "at", "sortKeyType": "float"},
               "secondaryIndexes": [{"name": "byEmail", "hashKey": "email", "projection": "INCLUDE", "nonKeyAttributes": ["a", "b"]},
                                    {"hashKey": "score", "hashKeyType": "float", "projection": "KEYS_ONLY"}],
               "fields": {
                 "email": {"type": "str", "default": "nobody@example.org"},
                 "score": {"type": ["float", "int"], "default": 1.5},
                 "flags": {"type": "map", "default": {"x": [1, 2.5, "y", null, true]}},
                 "byId": {"type": "dict", "keyType": "int", "keyName": "id{i}", "maxNestedDepth": 4,
                          "items": {"type": ["dict", "str"], "keyType": "float", "items": {"type": "list", "items": "bytes"}}},
                 "matrix": {"type": "list", "items": {"type": "list", "keyName": "col", "items": {"type": "set", "items": ["int", "decimal"]}}},
                 "inline": {"type": "map", "fields": {"deep": {"type": "map", "fields": {"v": {"type": "int", "required": true}}}}},
                 "either": {"type": ["map", "list"], "model": "Node", "items": {"type": "map", "model": "Node"}},
                 "free": {"type": "map"},
                 "n": {"type": "int", "required": true}
               },
               "models": {
                 "Node": {"fields": {"next": {"type": "map", "model": "Node"}, "label": {"type": "str"}}},
                 "Unused": {"fields": {"x": {"type": "int", "required": true}}}
               }})"_ba;
}

void TstTableModel::roundTrip()
{
    QFETCH(QByteArray, json);
    const TableModelPtr model = parseOrFail(json);
    QVERIFY(model);
    const QByteArray written = model->toJson();
    const TableModelPtr back = parseOrFail(written);
    QVERIFY2(back, written.constData());
    QCOMPARE(describe(*back), describe(*model));
    QCOMPARE(back->toJson(), written);
    for (const auto &field : model->root().fields) {
        for (const FieldType &type : field->types) {
            if (type.model && !type.model->name.isEmpty())
                QVERIFY(back->namedModel(type.model->name));
        }
    }
    // Models nobody uses survive too.
    if (model->namedModel(u"Unused"_s))
        QVERIFY(back->namedModel(u"Unused"_s));
}

void TstTableModel::advisoryIsNotInTheFile()
{
    // Advisory (a guess, inferred from a sample) is a run-time property: the copy is the same
    // model, it writes the same file, and what is read back from a file is never advisory.
    const TableModelPtr model = parseOrFail(kDesignExample);
    QVERIFY(!model->isAdvisory());
    const TableModelPtr advisory = TableModel::advisoryCopy(*model);
    QVERIFY(advisory);
    QVERIFY(advisory != model);
    QVERIFY(advisory->isAdvisory());
    QVERIFY(!model->isAdvisory());
    QCOMPARE(describe(*advisory), describe(*model));
    QCOMPARE(advisory->toJson(), model->toJson());
    const TableModelPtr back = parseOrFail(advisory->toJson());
    QVERIFY(!back->isAdvisory());
    QCOMPARE(describe(*back), describe(*model));

    // A key-only model stays key-only.
    const TableModelPtr keyOnly = TableModel::keyOnly(u"events"_s, u"eventId"_s, FieldKind::Int);
    const TableModelPtr keyOnlyAdvisory = TableModel::advisoryCopy(*keyOnly);
    QVERIFY(keyOnlyAdvisory->isAdvisory());
    QVERIFY(!keyOnlyAdvisory->declaresFields());
    QCOMPARE(keyOnlyAdvisory->toJson(), keyOnly->toJson());
    QCOMPARE(describe(*keyOnlyAdvisory), describe(*keyOnly));
}

void TstTableModel::toJsonOmitsDefaults()
{
    auto minimal = TableModel::fromFile(modelsDir() + u"/minimal.json"_s);
    QVERIFY(minimal);
    QCOMPARE(QString::fromUtf8((*minimal)->toJson()), uR"({
  "table": "minimal",
  "primaryIndex": {
    "hashKey": "id",
    "hashKeyType": "str"
  },
  "fields": {
    "id": {
      "type": "str",
      "required": true
    },
    "name": {
      "type": "str",
      "required": true
    }
  }
}
)"_s);

    auto users = TableModel::fromFile(modelsDir() + u"/users.json"_s);
    QVERIFY(users);
    const QByteArray json = (*users)->toJson();
    QVERIFY(!json.contains("\"required\": false"));
    QVERIFY(!json.contains("tagsIndex"));            // default key name
    QVERIFY(!json.contains("maxNestedDepth\": 32")); // default depth
    QVERIFY(json.contains("\"keyName\": \"tokenId\""));
    QVERIFY(json.contains("\"keyName\": \"childKey{i}\""));
    QVERIFY(json.contains("\"maxNestedDepth\": 8"));
    // Stable order of the top level.
    QVERIFY(json.indexOf("\"table\"") < json.indexOf("\"primaryIndex\""));
    QVERIFY(json.indexOf("\"primaryIndex\"") < json.indexOf("\"secondaryIndexes\""));
    QVERIFY(json.indexOf("\"secondaryIndexes\"") < json.indexOf("\"fields\""));
    QVERIFY(json.indexOf("\"fields\"") < json.indexOf("\"models\""));
}

void TstTableModel::fromFileMissing()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"missing.json"_s);
    auto model = TableModel::fromFile(path);
    QVERIFY(!model);
    QCOMPARE(model.error().kind, ErrorKind::NotFound);
    QCOMPARE(model.error().location, path);
    QVERIFY(model.error().message.contains(u"does not exist"_s));

    auto directory = TableModel::fromFile(dir.path());
    QVERIFY(!directory);
    QCOMPARE(directory.error().location, dir.path());
}

void TstTableModel::fromFileNamesThePath()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"users.json"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(withFields(R"("age": {"type": "integer"})"_ba));
    file.close();
    auto model = TableModel::fromFile(path);
    QVERIFY(!model);
    QCOMPARE(model.error().location, path + u":/fields/age/type"_s);
    QVERIFY(model.error().toString().startsWith(path + u":/fields/age/type: unknown type"_s));
}

void TstTableModel::defaultsKeepExactNumberText_data()
{
    QTest::addColumn<QByteArray>("field");
    QTest::addColumn<QByteArray>("defaultText"); // the default as JSON text, kept exactly

    QTest::newRow("trailing zero") << R"({"type": "float", "default": 1.50})"_ba
                                   << "1.50"_ba;
    QTest::newRow("minus zero") << R"({"type": "int", "default": -0})"_ba
                                << "-0"_ba;
    QTest::newRow("exponent") << R"({"type": "float", "default": 1E+2})"_ba
                              << "1E+2"_ba;
    QTest::newRow("38 digits")
        << R"({"type": "decimal", "default": 1234567890123456789012345678901234567.8})"_ba
        << "1234567890123456789012345678901234567.8"_ba;
    QTest::newRow("inside a map") << R"({"type": "any", "default": {"a": [-0, 0.10], "b": "x"}})"_ba
                                  << R"({"a":[-0,0.10],"b":"x"})"_ba;
}

void TstTableModel::defaultsKeepExactNumberText()
{
    QFETCH(QByteArray, field);
    QFETCH(QByteArray, defaultText);
    const TableModelPtr model = parseOrFail(withFields(R"("x": )"_ba + field));
    QVERIFY(model);
    const FieldSpec *x = model->root().field(u"x"_s);
    QVERIFY(x && x->defaultValue);
    QCOMPARE(JsonCodec::toPlain(*x->defaultValue), defaultText);
    // Written back to a model file and read again: still the same text.
    const QByteArray written = model->toJson();
    QVERIFY2(written.contains("\"default\": " + defaultText), written.constData());
    const TableModelPtr again = parseOrFail(written);
    QVERIFY(again);
    QCOMPARE(JsonCodec::toPlain(*again->root().field(u"x"_s)->defaultValue), defaultText);
}

void TstTableModel::numberOutOfRangeInModelIsAPlainSentence_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("location");
    QTest::addColumn<QString>("message");

    QTest::newRow("overflows a double")
        << withFields(R"("x": {"type": "float", "default": 1e400})"_ba) << u"t.json:1:"_s
        << u"the number 1e400 is out of range"_s;
    QTest::newRow("beyond DynamoDB's range")
        << withFields(R"("x": {"type": "float", "default": 1e200})"_ba)
        << u"t.json:/fields/x/default"_s << u"1e200 is out of range"_s;
    QTest::newRow("39 digits")
        << withFields(
               R"("x": {"type": "decimal", "default": 123456789012345678901234567890123456789})"_ba)
        << u"t.json:/fields/x/default"_s << u"39 significant digits"_s;
    QTest::newRow("out of range maxNestedDepth")
        << withFields(R"("x": {"type": "dict", "maxNestedDepth": 1e999})"_ba) << u"t.json:1:"_s
        << u"the number 1e999 is out of range"_s;
}

void TstTableModel::numberOutOfRangeInModelIsAPlainSentence()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, location);
    QFETCH(QString, message);
    auto model = TableModel::fromJson(json, kSource);
    QVERIFY(!model);
    const QString text = model.error().toString();
    QVERIFY2(model.error().location.startsWith(location), qPrintable(text));
    QVERIFY2(model.error().message.contains(message), qPrintable(text));
    QVERIFY2(!text.contains(u"json.exception"_s), qPrintable(text));
}

void TstTableModel::hugeMalformedModelGivesAShortMessage_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("location"); // the start of the location
    QTest::addColumn<QString>("message");  // a fragment

    const QByteArray big(10 * 1024 * 1024, 'a');
    QTest::newRow("unterminated 10 MB string")
        << R"({"table": ")"_ba + big << u"t.json:1:"_s << u"missing closing quote"_s;
    QTest::newRow("10 MB unknown type name")
        << withFields(R"("x": {"type": ")"_ba + big + R"("})"_ba) << u"t.json:/fields/x/type"_s
        << u"unknown type"_s;
    QTest::newRow("10 MB field name with an unknown key")
        << withFields("\"" + big + R"(": {"type": "str", "colour": 1})"_ba)
        << u"t.json:/fields/aaa"_s << u"unknown key \"colour\""_s;
    QTest::newRow("10 MB duplicate key")
        << withFields("\"" + big + R"(": {"type": "str"}, ")"_ba + big + R"(": {"type": "str"})"_ba)
        << u"t.json:/fields/aaa"_s << u"appears twice"_s;
    QTest::newRow("10 MB of numbers, then a stray bracket")
        << "[" + QByteArray("1,").repeated(5 * 1024 * 1024) + "1]]"_ba << u"t.json:1:"_s
        << u"unexpected ']'"_s;
    QTest::newRow("5 MB number") << withFields(R"("x": {"type": "int", "default": )"_ba +
                                               QByteArray(5 * 1024 * 1024, '7') + "}")
                                 << u"t.json:1:"_s << u"out of range"_s;
}

void TstTableModel::hugeMalformedModelGivesAShortMessage()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, location);
    QFETCH(QString, message);
    auto model = TableModel::fromJson(json, kSource);
    QVERIFY(!model);
    const QString text = model.error().toString();
    QVERIFY2(text.size() < 700, qPrintable(text.left(1000)));
    QVERIFY2(model.error().location.startsWith(location), qPrintable(text));
    QVERIFY2(model.error().message.contains(message), qPrintable(text));
}

/// An 8 MB model of 122,000 fields (62,000 root fields and 600 maps of 100) parses, creates a
/// table in the embedded store and reads back in time linear in its size; it took 41 s when
/// parsing and writing were quadratic. The bound is generous so that the test cannot be flaky;
/// the measured time is printed.
void TstTableModel::bigModelCreatesTableInLinearTime()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QByteArray text = R"({"table": "big", "primaryIndex": {"hashKey": "id", "hashKeyType": "str"},
"fields": {
  "id": {"type": "str", "required": true})"_ba;
    text.reserve(9 * 1024 * 1024);
    for (int i = 0; i < 62000; ++i)
        text += ",\n  \"rootField" + QByteArray::number(i) +
                R"(": {"type": ["float", "str"], "required": false, "default": 1.50})";
    for (int m = 0; m < 600; ++m) {
        text += ",\n  \"map" + QByteArray::number(m) + R"(": {"type": "map", "fields": {)";
        for (int f = 0; f < 100; ++f)
            text += QByteArray(f ? ",\n    \"" : "\n    \"") + "field" + QByteArray::number(f) +
                    R"(": {"type": "str", "required": )" + (f % 7 ? "false" : "true") + "}";
        text += "}}";
    }
    text += "\n}}\n";
    QVERIFY2(text.size() > 8 * 1000 * 1000, QByteArray::number(text.size()).constData());
    const QString path = dir.filePath(u"big.json"_s);
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(text), text.size());
    }

    QElapsedTimer timer;
    timer.start();
    const qint64 cpuStart = cpuMilliseconds();
    auto model = TableModel::fromFile(path);
    QVERIFY2(model, qPrintable(model ? QString() : model.error().toString()));
    const qint64 parsedWall = timer.elapsed();
    const qint64 parsedCpu = cpuMilliseconds() - cpuStart;
    auto store = SqliteStore::open(dir.filePath(u"big.structdesk"_s),
                                   SqliteStore::OpenMode::CreateIfMissing);
    QVERIFY(store);
    QVERIFY((*store)->createTable(u"big"_s, **model));
    const qint64 createdCpu = cpuMilliseconds() - cpuStart;
    (*store)->forgetModels();
    auto stored = (*store)->model(u"big"_s);
    QVERIFY(stored);
    const qint64 totalWall = timer.elapsed();
    const qint64 totalCpu = cpuMilliseconds() - cpuStart;
    qInfo("8 MB model (%lld bytes, 122,000 fields), CPU time: parsed in %lld ms, table created "
          "by %lld ms, its model read back by %lld ms (wall clock: %lld ms parsed, %lld ms in "
          "all)",
          qlonglong(text.size()), parsedCpu, createdCpu, totalCpu, parsedWall, totalWall);
    QCOMPARE((*stored)->root().fields.size(), std::size_t(62601));
    QCOMPARE((*stored)->root().field(u"map599"_s)->types.front().model->fields.size(),
             std::size_t(100));
    QCOMPARE((*stored)->root().field(u"rootField61999"_s)->defaultValue->text(), u"1.50"_s);
#if defined(__SANITIZE_ADDRESS__)
    constexpr qint64 kBoundMs = 25000; // the sanitizers slow everything down several times
#else
    constexpr qint64 kBoundMs = 5000;
#endif
    QVERIFY2(totalCpu < kBoundMs, qPrintable(QString::number(totalCpu)));
}

QTEST_APPLESS_MAIN(TstTableModel)
#include "tst_tablemodel.moc"
