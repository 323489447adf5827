// The DynamoDB store against real DynamoDB-compatible servers started on loopback, every test on
// each engine (dynalite and AWS's DynamoDB Local; QtTest names the engine in every line): the
// shared operation table row for row, lossless round trips, tables and models, scans and
// filters, transactions (real on DynamoDB Local, emulated by a proxy in front of dynalite),
// faults (stopped server, throttling, nonsense, refused credentials) and interop with the
// official AWS SDK for JavaScript.

#include "model/json/jsoncodec.h"
#include "model/rekey/rekeyengine.h"
#include "model/schema/validator.h"
#include "model/store/dynamodb/dynamodbstore.h"
#include "model/store/open/demodata.h"
#include "model/store/open/storefactory.h"
#include "tests/common/dynamodblocal.h"
#include "tests/common/loopbackproxy.h"
#include "tests/common/querycases.h"
#include "tests/common/storecases.h"

#include <nlohmann/json.hpp>

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>

using namespace Qt::StringLiterals;

class TstDynamoDbStore : public QObject
{
    Q_OBJECT

private:
    EngineSet m_engines;
    DynamoEngine *m_engine = nullptr; ///< this row's engine (init())
    QTemporaryDir m_models;
    int m_counter = 0;

    DynamoDbStore::Config config(quint16 port, int maxRetries = 2) const
    {
        DynamoDbStore::Config c;
        c.location = u"dynamodb://127.0.0.1:%1?region=eu-west-2"_s.arg(port);
        c.endpoint = QUrl(u"http://127.0.0.1:%1"_s.arg(port));
        c.region = u"eu-west-2"_s;
        c.credentials =
            AwsCredentials{u"AKIDTESTKEY00001"_s, u"test-secret-never-shown"_s, {}, u"the test"_s};
        c.clientOptions.maxRetries = maxRetries;
        c.clientOptions.baseDelayMs = 5;
        c.clientOptions.maxDelayMs = 40;
        c.clientOptions.readTimeoutMs = 10000;
        c.modelDirectory = modelFolder(u"models"_s);
        return c;
    }

    /// A folder for attached models, one set per engine (the rows must not see each other's).
    QString modelFolder(const QString &name) const
    {
        return m_models.filePath(m_engine->name() + u'/' + name);
    }

    /// A connection that keeps attached models in another folder: it sees no attached model.
    std::unique_ptr<DynamoDbStore> openElsewhere(const QString &modelFolder)
    {
        DynamoDbStore::Config c = config(m_engine->port());
        c.modelDirectory = this->modelFolder(modelFolder);
        auto store = DynamoDbStore::open(c);
        if (!store)
            qFatal("cannot open the DynamoDB store: %s", qPrintable(store.error().toString()));
        return std::move(*store);
    }

    /// The paths of every required field of a map model, at every level (a recursive named
    /// model once).
    static QStringList requiredPaths(const MapModel &map, const QString &prefix = {},
                                     QSet<const MapModel *> *seen = nullptr)
    {
        QSet<const MapModel *> own;
        if (!seen)
            seen = &own;
        if (seen->contains(&map))
            return {};
        seen->insert(&map);
        QStringList paths;
        for (const auto &field : map.fields) {
            const QString path = prefix.isEmpty() ? field->name : prefix + u'.' + field->name;
            if (field->required)
                paths << path;
            for (const FieldType &type : field->types) {
                if (type.model)
                    paths << requiredPaths(*type.model, path, seen);
                if (type.items && type.items->required)
                    paths << path + u"[]"_s;
                if (type.items) {
                    for (const FieldType &itemType : type.items->types) {
                        if (itemType.model)
                            paths << requiredPaths(*itemType.model, path + u"[]"_s, seen);
                    }
                }
            }
        }
        return paths;
    }

    std::unique_ptr<DynamoDbStore> open(quint16 port = 0, int maxRetries = 2)
    {
        auto store = DynamoDbStore::open(config(port ? port : m_engine->port(), maxRetries));
        if (!store)
            qFatal("cannot open the DynamoDB store: %s", qPrintable(store.error().toString()));
        return std::move(*store);
    }

    QString freshTable()
    {
        return u"t%1_%2"_s.arg(QDateTime::currentMSecsSinceEpoch() % 100000).arg(++m_counter);
    }

    static TableModelPtr freeModel(const QString &table)
    {
        return TableModel::keyOnly(table, u"id"_s, FieldKind::Str);
    }

    static void dropIfExists(RecordStore &store, const QString &table)
    {
        auto tables = store.listTables();
        QVERIFY2(tables, qPrintable(tables ? QString() : tables.error().toString()));
        if (tables->contains(table))
            QVERIFY(store.dropTable(table));
    }

    /// Node with the SDK script, against the test server; returns its standard output.
    QByteArray runSdk(const QStringList &arguments)
    {
        QProcess node;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"AWS_EC2_METADATA_DISABLED"_s, u"true"_s);
        env.insert(u"SDK_ACCESS_KEY_ID"_s, config(m_engine->port()).credentials.accessKeyId);
        node.setProcessEnvironment(env);
        node.start(Dynalite::nodeProgram(),
                   QStringList{Dynalite::testsDir() + u"/interop/sdk_roundtrip.js"_s,
                               m_engine->endpoint()} +
                       arguments);
        if (!node.waitForFinished(60000) || node.exitCode() != 0) {
            qWarning("sdk_roundtrip.js failed: %s", node.readAllStandardError().constData());
            return {};
        }
        return node.readAllStandardOutput();
    }

private slots:
    void initTestCase_data() { EngineSet::addRows(); }
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_engines.startAll(&error), qPrintable(error));
    }
    void init()
    {
        DYNAMO_ENGINE_OF(m_engines, engine);
        m_engine = &engine;
    }

    void openDetectsCapabilities()
    {
        auto store = open();
        const StoreCapabilities c = store->capabilities();
        QVERIFY(!c.exactCount);
        QVERIFY(!c.readOnly);
        // DynamoDB Local has TransactWriteItems, as Amazon DynamoDB has; dynalite lacks it.
        const bool transactions = m_engine->has(DynamoEngine::Feature::Transactions);
        QVERIFY2(c.transactions == transactions,
                 qPrintable(u"%1 %2 transactions, the store detected %3"_s.arg(
                     m_engine->name(), transactions ? u"has"_s : u"lacks"_s,
                     c.transactions ? u"them"_s : u"none"_s)));
        // A DynamoDB transaction holds at most 100 writes: no import runs in one.
        QCOMPARE(c.maxTransactionWrites, transactions ? 100 : 0);
        QVERIFY(!c.atomicAtAnySize());
        // With or without transactions, the work runs.
        bool ran = false;
        QVERIFY(store->runTransaction([&] {
            ran = true;
            return okStatus();
        }));
        QVERIFY(ran);
    }

    void factoryOpensLocations()
    {
        // The location resolves credentials from the environment: keep a developer's AWS
        // profile settings out of it (dynalite takes any credentials).
        qunsetenv("AWS_PROFILE");
        qunsetenv("AWS_CONFIG_FILE");
        qunsetenv("AWS_SHARED_CREDENTIALS_FILE");
        auto store = StoreFactory::open(m_engine->location());
        QVERIFY2(store, qPrintable(store ? QString() : store.error().toString()));
        QCOMPARE((*store)->location(), m_engine->location());
        QVERIFY((*store)->listTables());
        QVERIFY(StoreFactory::isRemote(u"dynamodbs://example.com?region=eu-west-1"_s));
        auto bad = StoreFactory::open(u"dynamodb://127.0.0.1?region=eu-west-2"_s);
        QVERIFY(!bad);
        QCOMPARE(bad.error().kind, ErrorKind::Unavailable);
        QVERIFY(bad.error().message.contains(u"port"_s));
    }

    void operations_data()
    {
        StoreCases::addColumns();
        StoreCases::addRows();
    }
    void operations()
    {
        auto store = open();
        dropIfExists(*store, u"users"_s);
        StoreCases::seed(*store);
        if (QTest::currentTestFailed())
            return;
        StoreCases::run(*store);
    }

    void negativeZeroKeepsItsText()
    {
        auto store = open();
        dropIfExists(*store, u"users"_s);
        StoreCases::seed(*store);
        if (QTest::currentTestFailed())
            return;
        // The engine, like DynamoDB itself, keeps a number's value, not its text.
        StoreCases::negativeZeroKeepsItsText(
            *store, "dynalite stores numbers in canonical form, as DynamoDB does: -0 and 0e5 read "
                    "back as 0, 1.50 as 1.5 and 1E+2 as 100");
    }

    void losslessRoundTrip_data()
    {
        QTest::addColumn<QByteArray>("dynamoJson");
        QTest::newRow("38-digit integer")
            << R"({"id":{"S":"a"},"n":{"N":"12345678901234567890123456789012345678"}})"_ba;
        QTest::newRow("38-digit decimal")
            << R"({"id":{"S":"a"},"n":{"N":"0.12345678901234567890123456789012345678"}})"_ba;
        QTest::newRow("negative 38 digits")
            << R"({"id":{"S":"a"},"n":{"N":"-9999999999999999999.999999999999999999"}})"_ba;
        QTest::newRow("sets")
            << R"({"id":{"S":"a"},"ss":{"SS":["x","y"]},"ns":{"NS":["1","2.5","99999999999999999999999999999999999999"]},"bs":{"BS":["AAE=","/w=="]}})"_ba;
        QTest::newRow("binary") << R"({"id":{"S":"a"},"b":{"B":"AAECAwQF/w=="}})"_ba;
        QTest::newRow("bool and null")
            << R"({"id":{"S":"a"},"t":{"BOOL":true},"f":{"BOOL":false},"z":{"NULL":true}})"_ba;
        QTest::newRow("unicode") << QByteArray("{\"id\":{\"S\":\"ключ-🔑\"},\"名前\":{\"S\":\"Zoë "
                                               "\\\"quoted\\\" \\\\ tab\\t nl\\n 😀\"}}");
        QTest::newRow("dollar and dotted keys")
            << R"({"id":{"S":"a"},"m":{"M":{"$SS":{"S":"not a set"},"a.b":{"N":"1"},"#x":{"L":[]}}}})"_ba;
        QTest::newRow("lists of everything")
            << R"({"id":{"S":"a"},"l":{"L":[{"S":"x"},{"N":"1"},{"B":"AA=="},{"SS":["q"]},{"M":{"k":{"NULL":true}}},{"L":[]}]}})"_ba;
        QTest::newRow("nested maps")
            << R"({"id":{"S":"a"},"m":{"M":{"a":{"M":{"b":{"M":{"c":{"NS":["1","2"]},"d":{"M":{}}}}}}}}})"_ba;
        QByteArray deep = R"({"S":"bottom"})"_ba;
        for (int i = 0; i < 31; ++i)
            deep = R"({"M":{"k":)"_ba + deep + "}}";
        QTest::newRow("32 levels") << (R"({"id":{"S":"a"},"d":)"_ba + deep + "}");
    }
    void losslessRoundTrip()
    {
        QFETCH(QByteArray, dynamoJson);
        auto record = JsonCodec::parseDynamoItem(dynamoJson);
        QVERIFY2(record, qPrintable(record ? QString() : record.error().toString()));
        auto store = open();
        const QString table = freshTable();
        QVERIFY(store->createTable(table, *freeModel(table)));
        const Status put = store->putRecord(table, *record);
        QVERIFY2(put, qPrintable(put ? QString() : put.error().toString()));
        auto back = store->getRecord(table, *record->find(u"id"_s));
        QVERIFY(back && back->has_value());
        QVERIFY2(**back == *record, JsonCodec::toDynamoItem(**back).constData());
        QCOMPARE(JsonCodec::toDynamoItem(**back), JsonCodec::toDynamoItem(*record));
        // What was read, saved unchanged, reads back the same; a form save of it is no change.
        QVERIFY(store->writeRaw(table, **back, false));
        QVERIFY(store->replaceRecord(table, **back, **back));
        auto again = store->getRecord(table, *record->find(u"id"_s));
        QVERIFY(again && again->has_value());
        QCOMPARE(JsonCodec::toDynamoItem(**again), JsonCodec::toDynamoItem(*record));
        QVERIFY(store->dropTable(table));
    }

    void refusesTooDeepOrTooBigBeforeSending()
    {
        auto store = open();
        const QString table = freshTable();
        QVERIFY(store->createTable(table, *freeModel(table)));
        Value v = Value::string(u"bottom"_s);
        for (int i = 0; i < 32; ++i)
            v = Value::map({{u"k"_s, v}});
        const Status deep = store->writeRaw(
            table, Value::map({{u"id"_s, Value::string(u"a"_s)}, {u"d"_s, v}}), false);
        QVERIFY(!deep);
        QCOMPARE(deep.error().kind, ErrorKind::Invalid);
        QVERIFY(deep.error().message.contains(u"32"_s));
        const Value big = Value::map({{u"id"_s, Value::string(u"b"_s)},
                                      {u"blob"_s, Value::binary(QByteArray(401 * 1024, 'x'))}});
        const Status large = store->putRecord(table, big);
        QVERIFY(!large);
        QCOMPARE(large.error().kind, ErrorKind::Invalid);
        QVERIFY2(large.error().message.contains(u"400 KB"_s), qPrintable(large.error().message));
        // An update that would nest too deep is refused too.
        const Status update =
            store->updateField(table, Value::string(u"c"_s), FieldSetter{u"d"_s, v});
        QVERIFY(!update);
        QCOMPARE(update.error().kind, ErrorKind::Invalid);
        auto n = store->count(table);
        QVERIFY(n);
        QCOMPARE(*n, 0);
        QVERIFY(store->dropTable(table));
    }

    void tablesAndModels()
    {
        auto model = TableModel::fromJson(StoreCases::modelJson(), u"cases"_s);
        QVERIFY(model);
        auto withIndex = TableModel::fromJson(R"({
  "table": "people",
  "primaryIndex": { "hashKey": "userId", "hashKeyType": "str" },
  "secondaryIndexes": [ { "hashKey": "username", "hashKeyType": "str", "projection": "ALL" } ],
  "fields": { "userId": { "type": "str", "required": true }, "username": { "type": "str", "required": true } }
})",
                                              u"inline"_s);
        QVERIFY2(withIndex, qPrintable(withIndex ? QString() : withIndex.error().toString()));
        auto store = open();
        const QString table = freshTable();
        QVERIFY(store->createTable(table, **withIndex));
        const Status again = store->createTable(table, **withIndex);
        QVERIFY(!again);
        QCOMPARE(again.error().kind, ErrorKind::Exists);
        auto tables = store->listTables();
        QVERIFY(tables && tables->contains(table));

        // The attached model lives beside the store and comes back in a new connection.
        QVERIFY(QFile::exists(store->modelFile(table)));
        auto reopened = open();
        auto m = reopened->model(table);
        QVERIFY(m);
        QVERIFY((*m)->declaresFields());
        QCOMPARE(int((*m)->secondaryIndexes().size()), 1);
        auto info = reopened->describeTable(table);
        QVERIFY(info);
        QVERIFY(!info->countExact);
        QVERIFY(info->hasModel);
        QVERIFY(reopened->putRecord(table, Value::map({{u"userId"_s, Value::string(u"u1"_s)},
                                                       {u"username"_s, Value::string(u"Bob"_s)}})));
        // Validation from the attached model.
        const Status invalid =
            reopened->putRecord(table, Value::map({{u"userId"_s, Value::string(u"u2"_s)}}));
        QVERIFY(!invalid);
        QCOMPARE(invalid.error().kind, ErrorKind::Invalid);

        // A model whose key does not match is refused; a matching one replaces it.
        auto other = TableModel::fromJson(
            R"({"table":"xyz","primaryIndex":{"hashKey":"id","hashKeyType":"str"},"fields":{"id":{"type":"str","required":true}}})",
            u"x"_s);
        QVERIFY(other);
        const Status mismatch = reopened->setModel(table, **other);
        QVERIFY(!mismatch);
        QCOMPARE(mismatch.error().kind, ErrorKind::Invalid);
        QVERIFY(reopened->setModel(table, **model));
        auto replaced = reopened->model(table);
        QVERIFY(replaced);
        QVERIFY((*replaced)->root().field(u"tokens"_s));

        // Dropping forgets the model file; a missing table is NotFound.
        QVERIFY(reopened->dropTable(table));
        QVERIFY(!QFile::exists(reopened->modelFile(table)));
        auto gone = reopened->getRecord(table, Value::string(u"u1"_s));
        QVERIFY(!gone);
        QCOMPARE(gone.error().kind, ErrorKind::NotFound);
        const Status dropAgain = reopened->dropTable(table);
        QVERIFY(!dropAgain);
        QCOMPARE(dropAgain.error().kind, ErrorKind::NotFound);
        const Status badName = reopened->createTable(u"a b"_s, **model);
        QVERIFY(!badName);
        QCOMPARE(badName.error().kind, ErrorKind::Invalid);
    }

    void modelIsInferredWithoutAnAttachedOne()
    {
        auto store = open();
        dropIfExists(*store, u"users"_s);
        QVERIFY(DemoData::populate(*store, 240));

        // Another connection, without the attached model: typed fields from the records, the
        // key from DescribeTable, and nothing required but the key.
        auto elsewhere = openElsewhere(u"elsewhere"_s);
        auto inferred = elsewhere->model(u"users"_s);
        QVERIFY2(inferred, qPrintable(inferred ? QString() : inferred.error().toString()));
        const TableModel &m = **inferred;
        QVERIFY(m.declaresFields());
        QCOMPARE(m.tableName(), u"users"_s);
        QCOMPARE(m.hashKey(), u"userId"_s);
        QCOMPARE(int(m.hashKeyType()), int(FieldKind::Str));
        QCOMPARE(requiredPaths(m.root()), QStringList{u"userId"_s});
        // The grid's column order: the key, scalars before containers, each by how many
        // records hold them.
        QStringList order;
        for (const auto &field : m.root().fields)
            order << field->name;
        QCOMPARE(order.front(), u"userId"_s);
        QVERIFY2(order.indexOf(u"username"_s) < order.indexOf(u"avatar"_s),
                 qPrintable(order.join(u' ')));
        QVERIFY2(order.indexOf(u"avatar"_s) < order.indexOf(u"metadata"_s),
                 qPrintable(order.join(u' ')));
        const FieldSpec *username = m.root().field(u"username"_s);
        QVERIFY(username && username->accepts(FieldKind::Str));
        const FieldSpec *age = m.root().field(u"age"_s);
        QVERIFY(age && age->accepts(FieldKind::Int));
        const FieldSpec *metadata = m.root().field(u"metadata"_s);
        QVERIFY(metadata && metadata->type(FieldKind::Map) &&
                metadata->type(FieldKind::Map)->model);
        QVERIFY(metadata->type(FieldKind::Map)->model->field(u"accountCreationTimestamp"_s));
        const FieldSpec *tags = m.root().field(u"tags"_s);
        QVERIFY(tags && tags->accepts(FieldKind::Set));
        auto info = elsewhere->describeTable(u"users"_s);
        QVERIFY(info);
        QVERIFY(info->hasModel);
        QCOMPARE(info->inferredFrom, qint64(240));
        if (m_engine->has(DynamoEngine::Feature::LiveItemCount)) {
            // DynamoDB Local's ItemCount follows the writes: the estimate is the count.
            QCOMPARE(info->count, qint64(240));
        } else {
            // dynalite's ItemCount stays 0 (DynamoDB's lags hours): not a count of a filled
            // table.
            QCOMPARE(info->count, qint64(-1));
        }
        // Every sampled record is valid against it (every type seen is accepted), and a
        // record with the key alone can be written.
        for (quint64 i = 0; i < 240; ++i) {
            const Problems problems = Validator(m).validateRecord(DemoData::userRecord(i));
            for (const Problem &p : problems)
                QVERIFY2(!p.blocking, qPrintable(u"user %1: %2"_s.arg(i).arg(p.toString())));
        }
        QVERIFY(elsewhere->putRecord(u"users"_s,
                                     Value::map({{u"userId"_s, Value::string(u"only-a-key"_s)}})));
        // The inferred model stays with the connection (no second sample).
        QCOMPARE(elsewhere->model(u"users"_s)->get(), inferred->get());

        // The attached model wins: in the connection that attached it, and once attached here.
        auto attached = store->model(u"users"_s);
        QVERIFY(attached);
        QVERIFY(requiredPaths((*attached)->root()).contains(u"username"_s));
        auto attachedInfo = store->describeTable(u"users"_s);
        QVERIFY(attachedInfo);
        QCOMPARE(attachedInfo->inferredFrom, qint64(0));
        QVERIFY(elsewhere->setModel(u"users"_s, *DemoData::usersModel()));
        auto now = elsewhere->model(u"users"_s);
        QVERIFY(now);
        QVERIFY(requiredPaths((*now)->root()).contains(u"username"_s));
        QCOMPARE(elsewhere->describeTable(u"users"_s)->inferredFrom, qint64(0));
        QVERIFY(store->dropTable(u"users"_s));

        // An empty table: the key only.
        const QString empty = freshTable();
        QVERIFY(store->createTable(empty, *freeModel(empty)));
        auto emptyElsewhere = openElsewhere(u"elsewhere2"_s);
        auto keyOnly = emptyElsewhere->model(empty);
        QVERIFY(keyOnly);
        QVERIFY(!(*keyOnly)->declaresFields());
        QCOMPARE((*keyOnly)->hashKey(), u"id"_s);
        auto emptyInfo = emptyElsewhere->describeTable(empty);
        QVERIFY(emptyInfo);
        QVERIFY(!emptyInfo->hasModel);
        QCOMPARE(emptyInfo->inferredFrom, qint64(0));
        QCOMPARE(emptyInfo->count, qint64(0));
        QVERIFY(store->dropTable(empty));

        // A number key holding integers and fractions: the key's type is the table's (any
        // number), not the sample's, and the inference still runs.
        auto numbers = TableModel::fromJson(
            R"({"table":"nums","primaryIndex":{"hashKey":"n","hashKeyType":"float"},"fields":{"n":{"type":"float","required":true}}})",
            u"n"_s);
        QVERIFY(numbers);
        const QString numbered = freshTable();
        QVERIFY(store->createTable(numbered, **numbers));
        for (const char *n : {"1", "2.5", "3"})
            QVERIFY(store->writeRaw(
                numbered,
                Value::map({{u"n"_s, Value::numberUnchecked(QString::fromLatin1(n))},
                            {u"label"_s, Value::string(u"x"_s)}}),
                true));
        auto numberedElsewhere = openElsewhere(u"elsewhere3"_s);
        auto byNumber = numberedElsewhere->model(numbered);
        QVERIFY2(byNumber, qPrintable(byNumber ? QString() : byNumber.error().toString()));
        QVERIFY((*byNumber)->declaresFields());
        QCOMPARE(int((*byNumber)->hashKeyType()), int(FieldKind::Float));
        QVERIFY((*byNumber)->root().field(u"label"_s));
        QCOMPARE(requiredPaths((*byNumber)->root()), QStringList{u"n"_s});
        QCOMPARE(numberedElsewhere->describeTable(numbered)->inferredFrom, qint64(3));
        QVERIFY(store->dropTable(numbered));
    }

    void inferredModelOnlyNotes()
    {
        // A table whose sampled records all hold age as an int, read by a connection without
        // an attached model: the inferred model is a guess and blocks nothing but the key.
        auto store = open();
        const QString table = freshTable();
        QVERIFY(store->createTable(table, *freeModel(table)));
        for (int i = 0; i < 20; ++i)
            QVERIFY(store->writeRaw(table,
                                    Value::map({{u"id"_s, Value::string(u"p%1"_s.arg(i))},
                                                {u"name"_s, Value::string(u"P%1"_s.arg(i))},
                                                {u"age"_s, Value::integer(20 + i)}}),
                                    true));
        auto elsewhere = openElsewhere(u"notes"_s);
        auto inferred = elsewhere->model(table);
        QVERIFY2(inferred, qPrintable(inferred ? QString() : inferred.error().toString()));
        QVERIFY((*inferred)->isAdvisory());
        const FieldSpec *age = (*inferred)->root().field(u"age"_s);
        QVERIFY(age && age->accepts(FieldKind::Int) && !age->accepts(FieldKind::Str));

        // A record outside the sample, with age as a string: written, and the problem is a note.
        const Value outside = Value::map(
            {{u"id"_s, Value::string(u"outside"_s)}, {u"age"_s, Value::string(u"forty"_s)}});
        const Status put = elsewhere->putRecord(table, outside);
        QVERIFY2(put, qPrintable(put ? QString() : put.error().toString()));
        const Problems problems = Validator(**inferred).validateRecord(outside);
        QCOMPARE(problems.size(), std::size_t(1));
        QCOMPARE(problems.front().path, u"age"_s);
        QVERIFY(!problems.front().blocking);
        QVERIFY(Validator(**inferred).isValidRecord(outside));
        // A form save and a field update with a type the sample never showed go through too.
        const Value before = **elsewhere->getRecord(table, Value::string(u"p3"_s));
        Value after = before;
        after.mapRef().insert(u"age"_s, Value::string(u"unknown"_s));
        const Status replaced = elsewhere->replaceRecord(table, before, after);
        QVERIFY2(replaced, qPrintable(replaced ? QString() : replaced.error().toString()));
        const Status updated = elsewhere->updateField(table, Value::string(u"p4"_s),
                                                      FieldSetter{u"age"_s, Value::boolean(true)});
        QVERIFY2(updated, qPrintable(updated ? QString() : updated.error().toString()));
        QCOMPARE(*elsewhere->getRecord(table, Value::string(u"p4"_s))->value().find(u"age"_s),
                 Value::boolean(true));
        // The model inferred then is still the one in force (no second sample, still a guess).
        QCOMPARE(elsewhere->model(table)->get(), inferred->get());

        // The key is the table's, not a guess: its problems still refuse the write.
        const Status noKey =
            elsewhere->putRecord(table, Value::map({{u"age"_s, Value::integer(3)}}));
        QVERIFY(!noKey);
        QCOMPARE(noKey.error().kind, ErrorKind::Invalid);
        const Status numberKey = elsewhere->putRecord(
            table, Value::map({{u"id"_s, Value::integer(7)}, {u"age"_s, Value::integer(3)}}));
        QVERIFY(!numberKey);
        QCOMPARE(numberKey.error().kind, ErrorKind::Invalid);

        // An attached model is a contract: the same kind of record is refused there.
        auto contract = TableModel::fromJson(
            u"{\"table\":\"%1\",\"primaryIndex\":{\"hashKey\":\"id\"},\"fields\":{"
            "\"id\":{\"type\":\"str\",\"required\":true},\"age\":{\"type\":\"int\"}}}"_s.arg(table)
                .toUtf8(),
            u"contract"_s);
        QVERIFY(contract);
        QVERIFY(store->setModel(table, **contract));
        QVERIFY(!(*store->model(table))->isAdvisory());
        const Status refused =
            store->putRecord(table, Value::map({{u"id"_s, Value::string(u"outside2"_s)},
                                                {u"age"_s, Value::string(u"forty"_s)}}));
        QVERIFY(!refused);
        QCOMPARE(refused.error().kind, ErrorKind::Invalid);
        QVERIFY(store->dropTable(table));
    }

    void describeTableDoesNotSample()
    {
        auto store = open();
        const QString table = freshTable();
        QVERIFY(store->createTable(table, *freeModel(table)));
        for (int i = 0; i < 12; ++i)
            QVERIFY(store->writeRaw(table,
                                    Value::map({{u"id"_s, Value::string(u"r%1"_s.arg(i))},
                                                {u"age"_s, Value::integer(i)}}),
                                    true));
        const QString empty = freshTable();
        QVERIFY(store->createTable(empty, *freeModel(empty)));

        // Every request of a connection without attached models, seen through a proxy.
        struct Seen
        {
            QMutex mutex;
            QList<std::pair<QByteArray, QByteArray>> requests; // operation, body
        };
        auto seen = std::make_shared<Seen>();
        LoopbackProxy proxy(m_engine->port(),
                            [seen](const QByteArray &operation, const QByteArray &body, int) {
                                QMutexLocker lock(&seen->mutex);
                                seen->requests.append({operation, body});
                                return LoopbackProxy::Reply{};
                            });
        DynamoDbStore::Config c = config(proxy.port());
        c.modelDirectory = modelFolder(u"describing"_s);
        auto opened = DynamoDbStore::open(c);
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().toString()));
        DynamoDbStore &remote = **opened;
        // Requests of an operation; for Scan, `samples` tells the ones that read records
        // from the ones that count (the one-record COUNT describeTable may send).
        auto count = [&](const QByteArray &operation, bool samples = true) {
            QMutexLocker lock(&seen->mutex);
            int n = 0;
            for (const auto &[op, body] : seen->requests) {
                if (op != operation)
                    continue;
                const QJsonObject o = QJsonDocument::fromJson(body).object();
                const bool counting = o.value(u"Select"_s).toString() == u"COUNT"_s;
                if (counting != samples)
                    ++n;
            }
            return n;
        };
        auto clear = [&] {
            QMutexLocker lock(&seen->mutex);
            seen->requests.clear();
        };

        // Listing: no sample. The key-only model stands in, "to be inferred on first use".
        clear();
        auto info = remote.describeTable(table);
        QVERIFY2(info, qPrintable(info ? QString() : info.error().toString()));
        QCOMPARE(count("Scan", true), 0);
        QVERIFY(count("Scan", false) <= 1); // a one-record COUNT when ItemCount says 0
        QCOMPARE(count("DescribeTable"), 1);
        QCOMPARE(info->inferredFrom, qint64(-1));
        QVERIFY(!info->hasModel);
        QVERIFY(info->model && !info->model->declaresFields());
        QCOMPARE(info->model->hashKey(), u"id"_s);
        // dynalite's ItemCount is 0, yet a record exists: unknown; DynamoDB Local's is live.
        QCOMPARE(info->count,
                 m_engine->has(DynamoEngine::Feature::LiveItemCount) ? qint64(12) : qint64(-1));
        // Asked again, still nothing sampled: the stand-in never serves as the model in force.
        QCOMPARE(remote.describeTable(table)->inferredFrom, qint64(-1));
        QCOMPARE(count("Scan", true), 0);
        // An empty table has nothing to infer from: the key-only model is the answer.
        auto emptyInfo = remote.describeTable(empty);
        QVERIFY(emptyInfo);
        QCOMPARE(emptyInfo->inferredFrom, qint64(0));
        QCOMPARE(emptyInfo->count, qint64(0));
        QCOMPARE(count("Scan", true), 0);

        // The first use infers, once; operations use the inferred model.
        clear();
        auto inferred = remote.model(table);
        QVERIFY(inferred);
        QVERIFY((*inferred)->declaresFields());
        QVERIFY((*inferred)->isAdvisory());
        QVERIFY((*inferred)->root().field(u"age"_s));
        QCOMPARE(count("Scan", true), 1);
        QVERIFY(remote.putRecord(table, Value::map({{u"id"_s, Value::string(u"x"_s)},
                                                    {u"age"_s, Value::string(u"old"_s)}})));
        QCOMPARE(count("Scan", true), 1);
        // Now describeTable reports the model in force, at no cost.
        auto after = remote.describeTable(table);
        QVERIFY(after);
        QCOMPARE(after->inferredFrom, qint64(12));
        QVERIFY(after->hasModel);
        QCOMPARE(after->model.get(), inferred->get());
        QCOMPARE(count("Scan", true), 1);

        // Forgetting the models (a refresh): listing again samples nothing; the next
        // operation infers again.
        remote.forgetModels();
        clear();
        QCOMPARE(remote.describeTable(table)->inferredFrom, qint64(-1));
        QCOMPARE(count("Scan", true), 0);
        QVERIFY(remote.getRecord(table, Value::string(u"r1"_s)));
        QCOMPARE(count("Scan", true), 1);
        QCOMPARE(remote.describeTable(table)->inferredFrom, qint64(13));
        QCOMPARE(count("Scan", true), 1);

        QVERIFY(store->dropTable(table));
        QVERIFY(store->dropTable(empty));
    }

    void queryOnKeyAndSecondaryIndexes()
    {
        auto store = open();
        const QString table = freshTable();
        QueryCases::run(*store, table);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(store->dropTable(table));
    }

    void numberKeys()
    {
        auto model = TableModel::fromJson(
            R"({"table":"nums","primaryIndex":{"hashKey":"n","hashKeyType":"int"},"fields":{"n":{"type":"int","required":true},"v":{"type":"str"}}})",
            u"n"_s);
        QVERIFY(model);
        auto store = open();
        const QString table = freshTable();
        QVERIFY(store->createTable(table, **model));
        QVERIFY(store->putRecord(
            table, Value::map({{u"n"_s, Value::integer(7)}, {u"v"_s, Value::string(u"seven"_s)}})));
        auto key = RecordStore::parseKey(**store->model(table), u"7"_s);
        QVERIFY(key);
        auto got = store->getRecord(table, *key);
        QVERIFY(got && got->has_value());
        QCOMPARE((**got).find(u"v"_s)->text(), u"seven"_s);
        QVERIFY(store->updateField(table, *key, FieldSetter{u"v"_s, Value::string(u"sieben"_s)}));
        auto removed = store->removeRecord(table, *key);
        QVERIFY(removed && removed->has_value());
        QCOMPARE((**removed).find(u"v"_s)->text(), u"sieben"_s);
        QVERIFY(store->dropTable(table));
    }

    void scanPagesAndFilters()
    {
        auto store = open();
        const QString table = freshTable();
        QVERIFY(store->createTable(table, *freeModel(table)));
        for (int i = 0; i < 25; ++i) {
            Value::Map m{
                {u"id"_s, Value::string(u"r%1"_s.arg(i, 2, 10, QChar(u'0')))},
                {u"n"_s, Value::integer(i)},
                {u"name"_s, Value::string(i % 2 ? u"odd-%1"_s.arg(i) : u"Even-%1"_s.arg(i))},
                {u"tags"_s, Value::stringSet(i % 5 == 0 ? QStringList{u"five"_s, u"x"_s}
                                                        : QStringList{u"x"_s})}};
            if (i % 3 == 0)
                m.insert(u"three"_s, Value::boolean(true));
            QVERIFY(store->writeRaw(table, Value::map(m), true));
        }
        // Pages of 10 reach every record once, by their cursors.
        ScanRequest request;
        request.limit = 10;
        QSet<QString> seen;
        QList<int> sizes;
        do {
            auto page = store->scan(table, request);
            QVERIFY2(page, qPrintable(page ? QString() : page.error().toString()));
            sizes << int(page->records.size());
            for (const Value &r : page->records)
                seen.insert(r.find(u"id"_s)->text());
            request.cursor = page->nextCursor;
        } while (!request.cursor.isEmpty());
        QCOMPARE(seen.size(), 25);
        QCOMPARE(sizes.mid(0, 3), (QList<int>{10, 10, 5}));
        auto index = store->buildPageIndex(table, {}, 10);
        QVERIFY(index);
        QCOMPARE(index->rowCount, 25);
        QCOMPARE(int(index->cursors.size()), 3);

        auto countWhere = [&](FilterOp op, const QString &path, const Value &operand,
                              const QString &text = {}) -> qint64 {
            ScanRequest r;
            r.conditions.push_back(FilterCondition{path.split(u'.'), op, operand});
            r.text = text;
            auto n = store->count(table, r);
            if (!n) {
                qWarning("%s", qPrintable(n.error().toString()));
                return -1;
            }
            // A scan in small pages finds the same records.
            r.limit = 4;
            qint64 scanned = 0;
            do {
                auto page = store->scan(table, r);
                if (!page)
                    return -2;
                scanned += qint64(page->records.size());
                r.cursor = page->nextCursor;
            } while (!r.cursor.isEmpty());
            return scanned == *n ? *n : -3;
        };
        QCOMPARE(countWhere(FilterOp::Equal, u"n"_s, Value::integer(3)), 1);
        QCOMPARE(countWhere(FilterOp::NotEqual, u"three"_s, Value::boolean(true)), 16);
        QCOMPARE(countWhere(FilterOp::Less, u"n"_s, Value::integer(5)), 5);
        QCOMPARE(countWhere(FilterOp::LessEqual, u"n"_s, Value::integer(5)), 6);
        QCOMPARE(countWhere(FilterOp::Greater, u"n"_s, Value::integer(20)), 4);
        QCOMPARE(countWhere(FilterOp::GreaterEqual, u"name"_s, Value::string(u"odd"_s)), 12);
        QCOMPARE(countWhere(FilterOp::Contains, u"tags"_s, Value::string(u"five"_s)), 5);
        QCOMPARE(countWhere(FilterOp::Contains, u"name"_s, Value::string(u"-1"_s)), 11);
        QCOMPARE(countWhere(FilterOp::BeginsWith, u"name"_s, Value::string(u"Even"_s)), 13);
        QCOMPARE(countWhere(FilterOp::Exists, u"three"_s, Value()), 9);
        QCOMPARE(countWhere(FilterOp::NotExists, u"three"_s, Value()), 16);
        // Free text is matched on the client, case-insensitively.
        QCOMPARE(countWhere(FilterOp::Exists, u"n"_s, Value(), u"EVEN-1"_s), 5);

        // What DynamoDB cannot do is refused with a reason.
        ScanRequest sorted;
        sorted.sortPath = QStringList{u"n"_s};
        auto refused = store->scan(table, sorted);
        QVERIFY(!refused);
        QCOMPARE(refused.error().kind, ErrorKind::Invalid);
        QVERIFY(refused.error().message.contains(u"sort"_s));
        ScanRequest mapFilter;
        mapFilter.conditions.push_back(FilterCondition{{u"n"_s}, FilterOp::Equal, Value::map()});
        QVERIFY(!store->count(table, mapFilter));
        ScanRequest badCursor;
        badCursor.cursor = "not a key";
        QVERIFY(!store->scan(table, badCursor));

        // Counting can be cancelled.
        ScanRequest cancelled;
        cancelled.cancelled = [] { return true; };
        auto stopped = store->count(table, cancelled);
        QVERIFY(!stopped);
        QVERIFY(stopped.error().message.contains(u"cancelled"_s));

        // A count says how far it is after every page (the whole table, and with free text).
        QList<qint64> counted;
        ScanRequest progress;
        progress.counted = [&](qint64 n) { counted << n; };
        auto all = store->count(table, progress);
        QVERIFY(all);
        QCOMPARE(*all, 25);
        QVERIFY(!counted.isEmpty());
        QCOMPARE(counted.last(), 25);
        QVERIFY(std::is_sorted(counted.cbegin(), counted.cend()));
        counted.clear();
        progress.text = u"odd"_s;
        auto odd = store->count(table, progress);
        QVERIFY(odd);
        QCOMPARE(*odd, 12);
        QVERIFY(!counted.isEmpty());
        QCOMPARE(counted.last(), 12);
        QVERIFY(store->dropTable(table));
    }

    void updatesCreateParentsAndReturnOld()
    {
        auto model = TableModel::fromJson(StoreCases::modelJson(), u"cases"_s);
        QVERIFY(model);
        auto store = open();
        const QString table = freshTable();
        QVERIFY(store->createTable(table, **model));
        const Value key = Value::string(u"u1"_s);
        // Several new parents at once, on a missing record, with setters beside each other.
        auto old = store->updateMultipleFieldsReturnOld(
            table, key,
            {FieldSetter{u"tokens.{{tokenId}}.expirationTimestamp"_s,
                         Value::integer(5),
                         {{u"tokenId"_s, u"a.b"_s}}},
             FieldSetter{u"metadata.lastConnectionTimestamp"_s, Value::integer(6)},
             FieldSetter{u"tokens.{{tokenId}}.scope"_s,
                         Value::string(u"s"_s),
                         {{u"tokenId"_s, u"a.b"_s}}}});
        QVERIFY2(old, qPrintable(old ? QString() : old.error().toString()));
        QCOMPARE(int(old->size()), 3);
        QVERIFY(!(*old)[0] && !(*old)[1] && !(*old)[2]);
        // The same field twice in one update is refused (the paths overlap); on its own it
        // returns the value it replaces.
        auto twice = store->updateMultipleFieldsReturnOld(
            table, key,
            {FieldSetter{u"metadata.lastConnectionTimestamp"_s, Value::integer(8)},
             FieldSetter{u"metadata.lastConnectionTimestamp"_s, Value::integer(9)}});
        QVERIFY(!twice);
        QVERIFY2(twice.error().message.contains(u"the same field twice"_s),
                 qPrintable(twice.error().toString()));
        auto replaced =
            store->updateFieldReturnOld(table, key,
                                        FieldSetter{u"tokens.{{tokenId}}.expirationTimestamp"_s,
                                                    Value::integer(7),
                                                    {{u"tokenId"_s, u"a.b"_s}}});
        QVERIFY2(replaced, qPrintable(replaced ? QString() : replaced.error().toString()));
        QVERIFY(replaced->has_value() && (*replaced)->text() == u"5"_s);
        auto got = store->getRecord(table, key);
        QVERIFY(got && got->has_value());
        QCOMPARE(
            JsonCodec::toPlain(**got),
            R"({"metadata":{"lastConnectionTimestamp":6},"tokens":{"a.b":{"expirationTimestamp":7,"scope":"s"}},"userId":"u1"})"_ba);
        // A parent that is not a map: refused, nothing written.
        QVERIFY(
            store->updateField(table, key, FieldSetter{u"settings"_s, Value::string(u"flat"_s)}));
        const Status notAMap =
            store->updateField(table, key, FieldSetter{u"settings.x"_s, Value::integer(1)});
        QVERIFY(!notAMap);
        QCOMPARE(notAMap.error().kind, ErrorKind::Invalid);
        // List items: set by index (old value returned), appended past the end.
        QVERIFY(store->updateField(
            table, key,
            FieldSetter{u"logs"_s, Value::list({Value::string(u"a"_s), Value::string(u"b"_s)})}));
        auto second = store->updateFieldReturnOld(
            table, key,
            FieldSetter{u"logs.{{logIndex}}"_s, Value::string(u"B"_s), {{u"logIndex"_s, u"1"_s}}});
        QVERIFY(second && second->has_value());
        QCOMPARE((**second).text(), u"b"_s);
        auto removed =
            store->removeField(table, key, u"logs.{{logIndex}}"_s, {{u"logIndex"_s, u"0"_s}});
        QVERIFY(removed && removed->has_value());
        QCOMPARE((**removed).text(), u"a"_s);
        got = store->getRecord(table, key);
        QCOMPARE(JsonCodec::toPlain(*(**got).find(u"logs"_s)), R"(["B"])"_ba);
        QVERIFY(store->dropTable(table));
    }

    void keyChangeStrategies_data()
    {
        QTest::addColumn<int>("strategy");
        QTest::newRow("remove-put-restore") << int(RekeyStrategy::RemovePutRestore);
        QTest::newRow("get-put-delete") << int(RekeyStrategy::GetPutDelete);
        QTest::newRow("atomic") << int(RekeyStrategy::Atomic);
    }
    void keyChangeStrategies()
    {
        QFETCH(int, strategy);
        auto store = open();
        dropIfExists(*store, u"users"_s);
        StoreCases::seed(*store);
        QTemporaryDir journalDir;
        RecoveryJournal journal(journalDir.path());
        RekeyEngine engine(*store, journal);
        const RekeyOutcome outcome = engine.run(u"users"_s, Value::string(u"u1"_s),
                                                Value::string(u"u7"_s), RekeyStrategy(strategy));
        const Value u1 = StoreCases::typed(**store->model(u"users"_s), StoreCases::kU1);
        auto old = store->getRecord(u"users"_s, Value::string(u"u1"_s));
        auto at = store->getRecord(u"users"_s, Value::string(u"u7"_s));
        QVERIFY(old && at);
        if (RekeyStrategy(strategy) == RekeyStrategy::Atomic &&
            !m_engine->has(DynamoEngine::Feature::Transactions)) {
            // dynalite has no TransactWriteItems: the atomic strategy is refused, untouched.
            qInfo("%s has no transactions: the atomic strategy is refused, as it must be",
                  qPrintable(m_engine->name()));
            QCOMPARE(int(outcome.state), int(RekeyOutcome::State::Refused));
            QVERIFY2(outcome.message.contains(u"no transactions"_s), qPrintable(outcome.message));
            QVERIFY(old->has_value() && **old == u1);
            QVERIFY(!at->has_value());
            return;
        }
        // Every strategy on every engine, the atomic one through DynamoDB Local's real
        // TransactWriteItems: the record moves exactly, the journal ends empty.
        QVERIFY2(outcome.state == RekeyOutcome::State::Done, qPrintable(outcome.message));
        QVERIFY(!old->has_value());
        QVERIFY(at->has_value());
        Value expected = u1;
        expected.mapRef().insert(u"userId"_s, Value::string(u"u7"_s));
        QCOMPARE(JsonCodec::toDynamoItem(**at), JsonCodec::toDynamoItem(expected));
        auto entries = journal.entries();
        QVERIFY(entries && entries->empty());
        // A key taken meanwhile is refused before anything is written, whatever the strategy.
        const RekeyOutcome taken = engine.run(u"users"_s, Value::string(u"u7"_s),
                                              Value::string(u"u2"_s), RekeyStrategy(strategy));
        QCOMPARE(int(taken.state), int(RekeyOutcome::State::Refused));
        QVERIFY(store->getRecord(u"users"_s, Value::string(u"u7"_s))->has_value());
    }

    // ----- faults -------------------------------------------------------------------------

    void stoppedServerIsUnavailableAfterRetries()
    {
        // A server of this row's kind of its own, to stop.
        const auto doomed = EngineSet::another(*m_engine);
        QString error;
        QVERIFY2(doomed->start(&error), qPrintable(error));
        auto store = open(doomed->port(), 3);
        QList<DynamoDbClient::RetryEvent> retries;
        store->client().setRetryObserver(
            [&](const DynamoDbClient::RetryEvent &e) { retries << e; });
        doomed->stop();
        auto got = store->listTables();
        QVERIFY(!got);
        QCOMPARE(got.error().kind, ErrorKind::Unavailable);
        QCOMPARE(retries.size(), 3);
        QCOMPARE(store->client().lastRetries(), 3);
        QVERIFY2(got.error().message.contains(u"gave up after 3 retries"_s),
                 qPrintable(got.error().message));
        QVERIFY2(got.error().message.contains(u"127.0.0.1"_s), qPrintable(got.error().message));
        QVERIFY(retries.first().retry == 1 && retries.last().retry == 3);
        // Opening a location whose server is down fails the same way.
        auto down = DynamoDbStore::open(config(doomed->port(), 1));
        QVERIFY(!down);
        QCOMPARE(down.error().kind, ErrorKind::Unavailable);
    }

    void throttlingIsRetried()
    {
        auto throttled = std::make_shared<std::atomic<int>>(0);
        LoopbackProxy proxy(m_engine->port(),
                            [throttled](const QByteArray &operation, const QByteArray &, int) {
                                if (operation == "ListTables" && *throttled < 2) {
                                    ++*throttled;
                                    return LoopbackProxy::Reply{LoopbackProxy::dynamoError(
                                        400, "ThrottlingException",
                                        "Rate of requests exceeds the allowed throughput.")};
                                }
                                return LoopbackProxy::Reply{};
                            });
        auto store = open(proxy.port(), 3);
        QList<DynamoDbClient::RetryEvent> retries;
        store->client().setRetryObserver(
            [&](const DynamoDbClient::RetryEvent &e) { retries << e; });
        auto tables = store->listTables();
        QVERIFY2(tables, qPrintable(tables ? QString() : tables.error().toString()));
        QCOMPARE(retries.size(), 2);
        QVERIFY(retries.first().reason.contains(u"ThrottlingException"_s));
        QCOMPARE(store->client().lastRetries(), 2);
    }

    void persistentThrottlingIsThrottled()
    {
        LoopbackProxy proxy(
            m_engine->port(), [](const QByteArray &operation, const QByteArray &, int) {
                if (operation == "GetItem")
                    return LoopbackProxy::Reply{LoopbackProxy::dynamoError(
                        400, "ProvisionedThroughputExceededException", "slow down")};
                return LoopbackProxy::Reply{};
            });
        auto store = open(proxy.port(), 2);
        dropIfExists(*store, u"users"_s);
        StoreCases::seed(*store);
        auto got = store->getRecord(u"users"_s, Value::string(u"u1"_s));
        QVERIFY(!got);
        QCOMPARE(got.error().kind, ErrorKind::Throttled);
        QVERIFY(got.error().message.contains(u"slow down"_s));
        QVERIFY(got.error().message.contains(u"gave up after 2 retries"_s));
    }

    void serverErrorsAreRetried()
    {
        auto failures = std::make_shared<std::atomic<int>>(0);
        LoopbackProxy proxy(m_engine->port(),
                            [failures](const QByteArray &operation, const QByteArray &, int) {
                                if (operation == "ListTables" && *failures < 1) {
                                    ++*failures;
                                    return LoopbackProxy::Reply{LoopbackProxy::dynamoError(
                                        500, "InternalServerError", "Internal server error")};
                                }
                                return LoopbackProxy::Reply{};
                            });
        auto store = open(proxy.port(), 3);
        QVERIFY(store->listTables());
        QCOMPARE(store->client().lastRetries(), 1);
    }

    void nonsenseIsABackendError_data()
    {
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("HTTP 200 with text")
            << LoopbackProxy::httpAnswer(200, "OK", "this is not json", "text/plain")
            << u"not DynamoDB JSON"_s;
        QTest::newRow("HTTP 200 with a JSON list")
            << LoopbackProxy::httpAnswer(200, "OK", "[1,2]") << u"not DynamoDB JSON"_s;
        QTest::newRow("HTTP 400 without a DynamoDB error")
            << LoopbackProxy::httpAnswer(400, "Bad Request", "<html>no</html>", "text/html")
            << u"no DynamoDB error"_s;
    }
    void nonsenseIsABackendError()
    {
        QFETCH(QByteArray, answer);
        QFETCH(QString, fragment);
        LoopbackProxy proxy(m_engine->port(),
                            [answer](const QByteArray &operation, const QByteArray &, int) {
                                if (operation == "ListTables")
                                    return LoopbackProxy::Reply{answer, true};
                                return LoopbackProxy::Reply{};
                            });
        auto store = open(proxy.port(), 2);
        auto tables = store->listTables();
        QVERIFY(!tables);
        QCOMPARE(errorKindName(tables.error().kind), errorKindName(ErrorKind::Backend));
        QVERIFY2(tables.error().message.contains(fragment), qPrintable(tables.error().message));
        QCOMPARE(store->client().lastRetries(), 0);
    }

    void notHttpAtAllIsUnavailable()
    {
        // Qt's HTTP stack reports bytes that are not HTTP, followed by a close, as a closed
        // connection: indistinguishable from a server that died mid-answer, so it is retried.
        LoopbackProxy proxy(m_engine->port(),
                            [](const QByteArray &operation, const QByteArray &, int) {
                                if (operation == "ListTables")
                                    return LoopbackProxy::Reply{
                                        "SSH-2.0-OpenSSH_9.2\r\nProtocol mismatch.\r\n"_ba, true};
                                return LoopbackProxy::Reply{};
                            });
        auto store = open(proxy.port(), 1);
        auto tables = store->listTables();
        QVERIFY(!tables);
        QCOMPARE(errorKindName(tables.error().kind), errorKindName(ErrorKind::Unavailable));
        QVERIFY2(tables.error().message.contains(u"ListTables"_s) &&
                     tables.error().message.contains(u"gave up after 1 retry"_s),
                 qPrintable(tables.error().message));
    }

    void refusedCredentialsNameTheirSourceButNotTheSecret()
    {
        LoopbackProxy proxy(m_engine->port(), [](const QByteArray &, const QByteArray &, int) {
            return LoopbackProxy::Reply{LoopbackProxy::dynamoError(
                400, "UnrecognizedClientException",
                "The security token included in the request is invalid.")};
        });
        DynamoDbStore::Config c = config(proxy.port());
        c.credentials = AwsCredentials{
            u"AKIAIOSFODNN7EXAMPLE"_s, u"wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY"_s,
            u"SESSIONTOKENSECRET"_s, u"profile \"dev\" in /home/me/.aws/credentials"_s};
        auto store = DynamoDbStore::open(c);
        QVERIFY(!store);
        const QString message = store.error().toString();
        QVERIFY2(message.contains(u"profile \"dev\" in /home/me/.aws/credentials"_s),
                 qPrintable(message));
        QVERIFY2(message.contains(u"UnrecognizedClientException"_s), qPrintable(message));
        QVERIFY(!message.contains(u"wJalrXUtnFEMI"_s));
        QVERIFY(!message.contains(u"SECRETKEY"_s));
        QVERIFY(!message.contains(u"SESSIONTOKENSECRET"_s));
        QVERIFY(!message.contains(u"AKIAIOSFODNN7EXAMPLE"_s)); // shortened key ID only
    }

    void requestsAreSigned()
    {
        LoopbackProxy proxy(m_engine->port(), [](const QByteArray &, const QByteArray &, int) {
            return LoopbackProxy::Reply{};
        });
        // dynalite checks the Authorization header's shape; a refused signature would fail here.
        auto store = open(proxy.port());
        QVERIFY(store->listTables());
        QVERIFY(proxy.requests() >= 2);
    }

    // ----- transactions, where the server has them ------------------------------------------

    /// A proxy that gives dynalite a TransactWriteItems (DynamoDB Local has its own, real one;
    /// the tests below run on it unemulated): the probe is refused as invalid, as
    /// DynamoDB does; a transaction runs its Puts and Deletes one by one with their conditions
    /// and answers TransactionCanceledException with reasons at the first failed condition
    /// (not atomic, which the tests below do not need: the failing write is always the first).
    static LoopbackProxy::Reply emulateTransactions(quint16 port, const QByteArray &operation,
                                                    const QByteArray &body)
    {
        if (operation != "TransactWriteItems")
            return {};
        const nlohmann::json request = nlohmann::json::parse(body.toStdString());
        const nlohmann::json &items = request.at("TransactItems");
        if (items.empty())
            return {LoopbackProxy::dynamoError(
                400, "ValidationException",
                "1 validation error detected: Member must have length greater than or equal to 1")};
        nlohmann::json reasons = nlohmann::json::array();
        bool cancelled = false;
        for (const nlohmann::json &item : items) {
            if (cancelled) {
                reasons.push_back({{"Code", "None"}});
                continue;
            }
            const bool put = item.contains("Put");
            const QByteArray single =
                QByteArray::fromStdString((put ? item.at("Put") : item.at("Delete")).dump());
            const QByteArray http =
                "POST / HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) +
                "\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: DynamoDB_20120810." +
                (put ? "PutItem" : "DeleteItem") +
                "\r\nX-Amz-Date: 20150830T123600Z\r\nAuthorization: AWS4-HMAC-SHA256 "
                "Credential=a/20150830/eu-west-2/dynamodb/aws4_request, "
                "SignedHeaders=host;x-amz-date, "
                "Signature=0\r\nContent-Length: " +
                QByteArray::number(single.size()) + "\r\n\r\n" + single;
            const QByteArray answer = LoopbackProxy::exchange(port, http);
            if (answer.startsWith("HTTP/1.1 200")) {
                reasons.push_back({{"Code", "None"}});
            } else if (answer.contains("ConditionalCheckFailedException")) {
                reasons.push_back({{"Code", "ConditionalCheckFailed"},
                                   {"Message", "The conditional request failed"}});
                cancelled = true;
            } else {
                return {answer};
            }
        }
        if (!cancelled)
            return {LoopbackProxy::httpAnswer(200, "OK", "{}")};
        const nlohmann::json error = {
            {"__type", "com.amazonaws.dynamodb.v20120810#TransactionCanceledException"},
            {"message",
             "Transaction cancelled, please refer cancellation reasons for specific reasons"},
            {"CancellationReasons", reasons}};
        return {
            LoopbackProxy::httpAnswer(400, "Bad Request", QByteArray::fromStdString(error.dump()))};
    }

    void transactionsWhereTheServerHasThem()
    {
        const quint16 target = m_engine->port();
        // DynamoDB Local's TransactWriteItems is real; dynalite's is the proxy's emulation.
        const bool emulated = !m_engine->has(DynamoEngine::Feature::Transactions);
        QList<QByteArray> transactions;
        QMutex mutex;
        LoopbackProxy proxy(target, [&](const QByteArray &operation, const QByteArray &body, int) {
            if (operation == "TransactWriteItems") {
                QMutexLocker lock(&mutex);
                transactions << body;
            }
            return emulated ? emulateTransactions(target, operation, body) : LoopbackProxy::Reply{};
        });
        auto store = open(proxy.port());
        QVERIFY(store->capabilities().transactions);
        auto direct = open();
        dropIfExists(*direct, u"users"_s);
        StoreCases::seed(*direct);

        // The atomic key change: one TransactWriteItems with the conditional Delete and Put.
        QTemporaryDir journalDir;
        RecoveryJournal journal(journalDir.path());
        RekeyEngine engine(*store, journal);
        const RekeyOutcome moved = engine.run(u"users"_s, Value::string(u"u1"_s),
                                              Value::string(u"u7"_s), RekeyStrategy::Atomic);
        QVERIFY2(moved.state == RekeyOutcome::State::Done, qPrintable(moved.message));
        {
            QMutexLocker lock(&mutex);
            QCOMPARE(transactions.size(), 2); // the probe, then the key change
            QVERIFY(transactions.last().contains("\"Delete\"") &&
                    transactions.last().contains("\"Put\""));
            QVERIFY(transactions.last().contains("attribute_not_exists"));
        }
        auto oldGone = direct->getRecord(u"users"_s, Value::string(u"u1"_s));
        QVERIFY(oldGone && !oldGone->has_value());
        auto atNew = direct->getRecord(u"users"_s, Value::string(u"u7"_s));
        QVERIFY(atNew && atNew->has_value());

        // Reads inside a transaction see its own writes; nothing is sent before the end.
        const Status local = store->runTransaction([&]() -> Status {
            if (auto s = store->writeRaw(u"users"_s,
                                         Value::map({{u"userId"_s, Value::string(u"u8"_s)},
                                                     {u"username"_s, Value::string(u"Tx"_s)}}),
                                         true);
                !s)
                return s;
            auto seen = store->getRecord(u"users"_s, Value::string(u"u8"_s));
            if (!seen || !seen->has_value())
                return makeError(ErrorKind::Backend,
                                 u"the transaction does not see its own write"_s);
            auto outside = direct->getRecord(u"users"_s, Value::string(u"u8"_s));
            if (!outside || outside->has_value())
                return makeError(ErrorKind::Backend, u"the write left before the commit"_s);
            return store->updateField(u"users"_s, Value::string(u"u8"_s),
                                      FieldSetter{u"age"_s, Value::integer(3)});
        });
        QVERIFY2(local, qPrintable(local ? QString() : local.error().toString()));
        auto u8 = direct->getRecord(u"users"_s, Value::string(u"u8"_s));
        QVERIFY(u8 && u8->has_value());
        QCOMPARE(JsonCodec::toPlain(**u8), R"({"age":3,"userId":"u8","username":"Tx"})"_ba);

        // Work that fails writes nothing.
        const Status failed = store->runTransaction([&]() -> Status {
            (void)store->deleteRecord(u"users"_s, Value::string(u"u8"_s));
            return makeError(ErrorKind::Invalid, u"changed my mind"_s);
        });
        QVERIFY(!failed);
        u8 = direct->getRecord(u"users"_s, Value::string(u"u8"_s));
        QVERIFY(u8 && u8->has_value());

        // Someone else changes the record between the read and the commit: a conflict, nothing
        // written.
        const Status conflict = store->runTransaction([&]() -> Status {
            auto current = store->getRecord(u"users"_s, Value::string(u"u2"_s));
            if (!current)
                return current.error();
            if (auto s = direct->updateField(u"users"_s, Value::string(u"u2"_s),
                                             FieldSetter{u"username"_s, Value::string(u"Other"_s)});
                !s)
                return s;
            Value mine = **current;
            mine.mapRef().insert(u"username"_s, Value::string(u"Mine"_s));
            return store->replaceRecord(u"users"_s, **current, mine);
        });
        QVERIFY(!conflict);
        QCOMPARE(errorKindName(conflict.error().kind), errorKindName(ErrorKind::Conflict));
        QVERIFY2(conflict.error().message.contains(u"changed meanwhile"_s),
                 qPrintable(conflict.error().message));
        auto u2 = direct->getRecord(u"users"_s, Value::string(u"u2"_s));
        QCOMPARE((**u2).find(u"username"_s)->text(), u"Other"_s);

        // Someone else takes the key first: Exists.
        const Status taken = store->runTransaction([&]() -> Status {
            if (auto s = store->writeRaw(u"users"_s,
                                         Value::map({{u"userId"_s, Value::string(u"u5"_s)},
                                                     {u"username"_s, Value::string(u"A"_s)}}),
                                         true);
                !s)
                return s;
            return direct->writeRaw(u"users"_s,
                                    Value::map({{u"userId"_s, Value::string(u"u5"_s)},
                                                {u"username"_s, Value::string(u"B"_s)}}),
                                    true);
        });
        QVERIFY(!taken);
        QCOMPARE(errorKindName(taken.error().kind), errorKindName(ErrorKind::Exists));
        auto u5 = direct->getRecord(u"users"_s, Value::string(u"u5"_s));
        QCOMPARE((**u5).find(u"username"_s)->text(), u"B"_s);

        // DynamoDB's limit: a transaction of more than 100 writes is refused before anything
        // is sent; 100 go through as one.
        auto writeMany = [&](int n, const QString &prefix) {
            return store->runTransaction([&]() -> Status {
                for (int i = 0; i < n; ++i) {
                    if (auto s = store->writeRaw(
                            u"users"_s,
                            Value::map({{u"userId"_s, Value::string(prefix + QString::number(i))},
                                        {u"username"_s, Value::string(u"Many"_s)}}),
                            true);
                        !s)
                        return s;
                }
                return okStatus();
            });
        };
        const Status tooMany = writeMany(101, u"many"_s);
        QVERIFY(!tooMany);
        QCOMPARE(errorKindName(tooMany.error().kind), errorKindName(ErrorKind::Invalid));
        QVERIFY2(tooMany.error().message.contains(u"at most 100 records, this one 101"_s),
                 qPrintable(tooMany.error().message));
        QVERIFY(!direct->getRecord(u"users"_s, Value::string(u"many0"_s))->has_value());
        if (!emulated) {
            const Status hundred = writeMany(100, u"hundred"_s);
            QVERIFY2(hundred, qPrintable(hundred ? QString() : hundred.error().toString()));
            QVERIFY(direct->getRecord(u"users"_s, Value::string(u"hundred99"_s))->has_value());
        }
    }

    // ----- interop with the AWS SDK for JavaScript -------------------------------------------

    void sdkInterop()
    {
        if (!QFileInfo::exists(Dynalite::testsDir() +
                               u"/node_modules/@aws-sdk/client-dynamodb/package.json"_s))
            QSKIP("@aws-sdk/client-dynamodb is missing from tests/node_modules (npm ci --prefix "
                  "tests)");
        auto store = open();
        const QString table = freshTable();
        QVERIFY(store->createTable(table, *freeModel(table)));
        // Taken while the table is empty, the model stays key-only for this connection: the
        // records the SDK writes are not sampled into an inferred model that would judge ours.
        QVERIFY(!(*store->model(table))->declaresFields());

        // The SDK writes records of every type; StructDesk reads each back exactly.
        const QByteArray written = runSdk({u"write"_s, table});
        QVERIFY(!written.isEmpty());
        int checked = 0;
        for (const QByteArray &line : written.split('\n')) {
            if (line.trimmed().isEmpty())
                continue;
            auto expected = JsonCodec::parseDynamoItem(line);
            QVERIFY2(expected, qPrintable(expected ? QString() : expected.error().toString()));
            auto got = store->getRecord(table, *expected->find(u"id"_s));
            QVERIFY(got && got->has_value());
            QVERIFY2(**got == *expected, qPrintable(u"got %1\nexpected %2"_s.arg(
                                             QString::fromUtf8(JsonCodec::toDynamoItem(**got)),
                                             QString::fromUtf8(line))));
            ++checked;
        }
        QVERIFY(checked >= 3);

        // StructDesk writes; the SDK reads back exactly the same attribute values.
        const QByteArray ours =
            R"({"id":{"S":"from-structdesk"},"n":{"N":"-12345678901234567890.123456789012345678"},"b":{"B":"AP8BAgM="},)"
            R"("ss":{"SS":["a","b"]},"ns":{"NS":["1","10.5"]},"bs":{"BS":["AQ==","Ag=="]},"t":{"BOOL":true},"z":{"NULL":true},)"
            R"("m":{"M":{"k":{"L":[{"S":"x"},{"N":"1"},{"M":{}}]},"ü":{"S":"ß 😀"}}}})"_ba;
        auto record = JsonCodec::parseDynamoItem(ours);
        QVERIFY(record);
        QVERIFY(store->putRecord(table, *record));
        const QByteArray read = runSdk({u"read"_s, table, u"from-structdesk"_s});
        auto sdkSaw = JsonCodec::parseDynamoItem(read.trimmed());
        QVERIFY2(sdkSaw, read.constData());
        QVERIFY2(*sdkSaw == *record, read.constData());
        QVERIFY(store->dropTable(table));
    }

    void cleanupTestCase() { m_engines.stopAll(); }
};

QTEST_GUILESS_MAIN(TstDynamoDbStore)
#include "tst_dynamodbstore.moc"
