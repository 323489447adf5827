// The key change engine on every store: the embedded SQLite store and both DynamoDB engines
// (dynalite, AWS's DynamoDB Local; each test runs once per store, named in its output). Each
// strategy moves the record exactly; failures injected by a store wrapper restore it or keep
// it in the journal. The atomic strategy runs in one SQLite transaction, through DynamoDB
// Local's real TransactWriteItems, and is refused on dynalite, which lacks transactions.

#include "model/json/jsoncodec.h"
#include "model/rekey/rekeyengine.h"
#include "model/store/dynamodb/dynamodbstore.h"
#include "model/store/sqlite/sqlitestore.h"
#include "tests/common/dynamodblocal.h"
#include "tests/common/faultystore.h"
#include "tests/common/storecases.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TstRekeyEngine : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_n = 0;
    std::unique_ptr<RecordStore> m_store;
    EngineSet m_engines;
    DynamoEngine *m_engine = nullptr; ///< nullptr on the SQLite row

    /// True when this row's store runs the atomic strategy; otherwise the test has checked
    /// that it is refused and should stop.
    bool atomicRuns(const RekeyOutcome &o)
    {
        if (m_store->capabilities().transactions)
            return true;
        // dynalite lacks transactions: refused, nothing changed.
        qInfo("%s has no transactions: the atomic strategy is refused, as it must be",
              qPrintable(m_engine ? m_engine->name() : m_store->location()));
        [&] {
            QCOMPARE(int(o.state), int(RekeyOutcome::State::Refused));
            QVERIFY2(o.message.contains(u"no transactions"_s), qPrintable(o.message));
            QVERIFY(get(u"old"_s));
            QVERIFY(!get(u"new"_s));
        }();
        return false;
    }
    std::unique_ptr<RecoveryJournal> m_journal;

    // A record that exercises losslessness: 38 digits, sets, binary, an undeclared attribute and
    // an optional field of the wrong type (StructNoSQL's validation would strip both).
    static QByteArray richRecord()
    {
        return R"({"userId":{"S":"old"},"username":{"S":"Bob"},"age":{"N":"12345678901234567890123456789012345678"},"tags":{"SS":["a","b"]},"blob":{"B":"AAEC/w=="},"nums":{"NS":["1.50","2"]},"extra":{"M":{"deep":{"L":[{"NULL":true},{"BOOL":false}]}}},"nextReminderTimestamp":{"S":"not a number"}})";
    }

    Value key(const QString &k) const { return Value::string(k); }

    std::optional<Value> get(const QString &k)
    {
        auto r = m_store->getRecord(u"users"_s, key(k));
        if (!r)
            qFatal("get failed: %s", qPrintable(r.error().toString()));
        return *r;
    }

    static QStringList stepNames(const RekeyOutcome &o)
    {
        QStringList names;
        for (const RekeyStep &s : o.steps)
            names << s.name + (s.ok ? QString() : u"!"_s);
        return names;
    }

private slots:
    void initTestCase_data()
    {
        QTest::addColumn<QString>("dynamoEngine");
        QTest::newRow("SQLite") << QString();
        EngineSet::addRows(false);
    }
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_engines.startAll(&error), qPrintable(error));
    }
    void cleanupTestCase()
    {
        m_store.reset();
        m_engines.stopAll();
    }

    void init()
    {
        m_store.reset();
        QFETCH_GLOBAL(QString, dynamoEngine);
        m_engine = nullptr;
        if (dynamoEngine.isEmpty()) {
            auto store = SqliteStore::open(m_dir.filePath(u"s%1.structdesk"_s.arg(++m_n)),
                                           SqliteStore::OpenMode::CreateIfMissing);
            QVERIFY(store);
            m_store = std::move(*store);
        } else {
            DYNAMO_ENGINE_OF(m_engines, engine);
            m_engine = &engine;
            DynamoDbStore::Config c;
            c.location = engine.location();
            c.endpoint = QUrl(engine.endpoint());
            c.region = u"eu-west-2"_s;
            c.credentials =
                AwsCredentials{u"AKIDREKEYTEST001"_s, u"rekey-test"_s, {}, u"the test"_s};
            c.clientOptions.maxRetries = 2;
            c.clientOptions.baseDelayMs = 5;
            c.clientOptions.maxDelayMs = 40;
            c.modelDirectory = m_dir.filePath(engine.name() + u"/models"_s);
            auto store = DynamoDbStore::open(c);
            QVERIFY2(store, qPrintable(store ? QString() : store.error().toString()));
            m_store = std::move(*store);
            auto tables = m_store->listTables();
            QVERIFY(tables);
            if (tables->contains(u"users"_s))
                QVERIFY(m_store->dropTable(u"users"_s));
            ++m_n;
        }
        StoreCases::seed(*m_store);
        auto rich = JsonCodec::parseDynamoItem(richRecord());
        QVERIFY(rich);
        QVERIFY(m_store->writeRaw(u"users"_s, *rich, true));
        m_journal = std::make_unique<RecoveryJournal>(m_dir.filePath(u"journal%1"_s.arg(m_n)));
    }

    void eachStrategyMovesTheRecordExactly_data()
    {
        QTest::addColumn<int>("strategy");
        QTest::addColumn<QStringList>("steps");
        QTest::newRow("remove-put-restore")
            << int(RekeyStrategy::RemovePutRestore)
            << QStringList{u"check"_s, u"get"_s, u"journal"_s, u"remove"_s, u"put"_s};
        QTest::newRow("get-put-delete")
            << int(RekeyStrategy::GetPutDelete)
            << QStringList{u"check"_s, u"get"_s, u"journal"_s, u"put"_s, u"delete"_s};
        QTest::newRow("atomic") << int(RekeyStrategy::Atomic)
                                << QStringList{u"check"_s, u"get"_s, u"journal"_s,
                                               u"transaction"_s};
    }
    void eachStrategyMovesTheRecordExactly()
    {
        QFETCH(int, strategy);
        QFETCH(QStringList, steps);
        const Value before = *get(u"old"_s);
        RekeyEngine engine(*m_store, *m_journal);
        QStringList observed;
        const RekeyOutcome o =
            engine.run(u"users"_s, key(u"old"_s), key(u"new"_s), RekeyStrategy(strategy),
                       [&](const RekeyStep &s) { observed << s.name; });
        if (RekeyStrategy(strategy) == RekeyStrategy::Atomic && !atomicRuns(o))
            return;
        QCOMPARE(int(o.state), int(RekeyOutcome::State::Done));
        QCOMPARE(stepNames(o), steps);
        QCOMPARE(observed, steps);
        QVERIFY(!get(u"old"_s));
        Value expected = before;
        expected.mapRef().insert(u"userId"_s, key(u"new"_s));
        const auto after = get(u"new"_s);
        QVERIFY(after);
        QCOMPARE(JsonCodec::toStored(*after), JsonCodec::toStored(expected));
        QVERIFY(m_journal->entries()->empty());
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("oldKey");
        QTest::addColumn<QByteArray>("newKey");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("new key exists") << R"("old")"_ba
                                        << R"("u1")"_ba << u"already exists"_s;
        QTest::newRow("wrong key type") << R"("old")"_ba
                                        << "42"_ba << u"string"_s;
        QTest::newRow("empty key") << R"("old")"_ba
                                   << R"("")"_ba << u"empty"_s;
        QTest::newRow("same key") << R"("old")"_ba
                                  << R"("old")"_ba << u"same"_s;
        QTest::newRow("no old record") << R"("nobody")"_ba
                                       << R"("new")"_ba << u"no record"_s;
    }
    void refusals()
    {
        QFETCH(QByteArray, oldKey);
        QFETCH(QByteArray, newKey);
        QFETCH(QString, fragment);
        const auto u1 = get(u"u1"_s);
        const auto old = get(u"old"_s);
        RekeyEngine engine(*m_store, *m_journal);
        const RekeyOutcome o =
            engine.run(u"users"_s, *JsonCodec::parsePlain(oldKey), *JsonCodec::parsePlain(newKey),
                       RekeyStrategy::RemovePutRestore);
        QCOMPARE(int(o.state), int(RekeyOutcome::State::Refused));
        QVERIFY2(o.message.contains(fragment), qPrintable(o.message));
        QCOMPARE(stepNames(o), QStringList{u"check!"_s});
        QVERIFY(get(u"u1"_s) == u1);
        QVERIFY(get(u"old"_s) == old);
        QVERIFY(m_journal->entries()->empty());
    }

    void putFailsAndTheRestoreRuns()
    {
        FaultyStore faulty(*m_store);
        faulty.failOn(u"writeRaw"_s, ErrorKind::Unavailable, 0, 1);
        const Value before = *get(u"old"_s);
        RekeyEngine engine(faulty, *m_journal);
        const RekeyOutcome o =
            engine.run(u"users"_s, key(u"old"_s), key(u"new"_s), RekeyStrategy::RemovePutRestore);
        QCOMPARE(int(o.state), int(RekeyOutcome::State::RolledBack));
        QCOMPARE(stepNames(o), (QStringList{u"check"_s, u"get"_s, u"journal"_s, u"remove"_s,
                                            u"put!"_s, u"restore"_s}));
        QVERIFY(o.steps[4].message.contains(u"injected"_s));
        QVERIFY(o.message.contains(u"restored"_s));
        QCOMPARE(JsonCodec::toStored(*get(u"old"_s)), JsonCodec::toStored(before));
        QVERIFY(!get(u"new"_s));
        QVERIFY(m_journal->entries()->empty());
    }

    void putAndRestoreFailAndTheJournalKeepsTheRecord()
    {
        FaultyStore faulty(*m_store);
        faulty.failOn(u"writeRaw"_s);
        const Value before = *get(u"old"_s);
        RekeyEngine engine(faulty, *m_journal);
        const RekeyOutcome o =
            engine.run(u"users"_s, key(u"old"_s), key(u"new"_s), RekeyStrategy::RemovePutRestore);
        QCOMPARE(int(o.state), int(RekeyOutcome::State::InJournal));
        QCOMPARE(stepNames(o), (QStringList{u"check"_s, u"get"_s, u"journal"_s, u"remove"_s,
                                            u"put!"_s, u"restore!"_s}));
        QVERIFY(o.message.contains(u"journal"_s));
        QVERIFY(!get(u"old"_s));
        QVERIFY(!get(u"new"_s));
        auto entries = m_journal->entries();
        QVERIFY(entries);
        QCOMPARE(int(entries->size()), 1);
        const RecoveryJournal::Entry &e = entries->front();
        QCOMPARE(e.id, o.journalId);
        QCOMPARE(e.lastStep, u"remove"_s);
        QCOMPARE(e.table, u"users"_s);
        QCOMPARE(JsonCodec::toStored(e.record), JsonCodec::toStored(before));
        // The store comes back: the journal's record restores exactly.
        QVERIFY(m_store->writeRaw(e.table, e.record, true));
        QVERIFY(m_journal->remove(e.id));
        QCOMPARE(JsonCodec::toStored(*get(u"old"_s)), JsonCodec::toStored(before));
    }

    void removeFailsAndNothingChanges()
    {
        FaultyStore faulty(*m_store);
        faulty.failOn(u"remove"_s);
        RekeyEngine engine(faulty, *m_journal);
        const RekeyOutcome o =
            engine.run(u"users"_s, key(u"old"_s), key(u"new"_s), RekeyStrategy::RemovePutRestore);
        QCOMPARE(int(o.state), int(RekeyOutcome::State::RolledBack));
        QVERIFY(get(u"old"_s));
        QVERIFY(m_journal->entries()->empty());
    }

    void getPutDeleteFailures()
    {
        {
            FaultyStore faulty(*m_store);
            faulty.failOn(u"writeRaw"_s);
            RekeyEngine engine(faulty, *m_journal);
            const RekeyOutcome o =
                engine.run(u"users"_s, key(u"old"_s), key(u"new"_s), RekeyStrategy::GetPutDelete);
            QCOMPARE(int(o.state), int(RekeyOutcome::State::RolledBack));
            QCOMPARE(stepNames(o), (QStringList{u"check"_s, u"get"_s, u"journal"_s, u"put!"_s}));
            QVERIFY(get(u"old"_s));
            QVERIFY(!get(u"new"_s));
        }
        {
            FaultyStore faulty(*m_store);
            faulty.failOn(u"remove"_s);
            RekeyEngine engine(faulty, *m_journal);
            const RekeyOutcome o =
                engine.run(u"users"_s, key(u"old"_s), key(u"new"_s), RekeyStrategy::GetPutDelete);
            QCOMPARE(int(o.state), int(RekeyOutcome::State::LeftBehind));
            QVERIFY(o.message.contains(u"both"_s));
            QVERIFY(get(u"old"_s));
            QVERIFY(get(u"new"_s));
        }
        QVERIFY(m_journal->entries()->empty());
    }

    void atomicRollsBack()
    {
        FaultyStore faulty(*m_store);
        faulty.failOn(u"writeRaw"_s);
        const Value before = *get(u"old"_s);
        RekeyEngine engine(faulty, *m_journal);
        const RekeyOutcome o =
            engine.run(u"users"_s, key(u"old"_s), key(u"new"_s), RekeyStrategy::Atomic);
        if (!atomicRuns(o))
            return;
        QCOMPARE(int(o.state), int(RekeyOutcome::State::RolledBack));
        QCOMPARE(JsonCodec::toStored(*get(u"old"_s)), JsonCodec::toStored(before));
        QVERIFY(!get(u"new"_s));
        QVERIFY(m_journal->entries()->empty());
    }

    void journalThatCannotBeWrittenStopsBeforeAnyWrite()
    {
        QFile blocker(m_dir.filePath(u"not-a-folder"_s));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        RecoveryJournal journal(blocker.fileName() + u"/journal"_s);
        RekeyEngine engine(*m_store, journal);
        const RekeyOutcome o =
            engine.run(u"users"_s, key(u"old"_s), key(u"new"_s), RekeyStrategy::RemovePutRestore);
        QCOMPARE(int(o.state), int(RekeyOutcome::State::Refused));
        QVERIFY(o.message.contains(u"journal"_s));
        QVERIFY(get(u"old"_s));
    }

    void strategyNames()
    {
        for (auto s : {RekeyStrategy::RemovePutRestore, RekeyStrategy::GetPutDelete,
                       RekeyStrategy::Atomic}) {
            QCOMPARE(rekeyStrategyFromName(rekeyStrategyName(s)), std::optional<RekeyStrategy>(s));
            QVERIFY(!rekeyStrategyExplanation(s).isEmpty());
        }
        QVERIFY(!rekeyStrategyFromName(u"teleport"_s));
    }
};

QTEST_GUILESS_MAIN(TstRekeyEngine)
#include "tst_rekeyengine.moc"
