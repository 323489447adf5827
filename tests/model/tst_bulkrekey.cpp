// Bulk key changes on a real SQLite store: prefix and regular-expression templates, conflicts
// flagged before any write, cancel between records, a failing store stopping the batch, and the
// saved outcome list.

#include "model/json/jsoncodec.h"
#include "model/rekey/bulkrekey.h"
#include "model/store/open/demodata.h"
#include "model/store/sqlite/sqlitestore.h"
#include "tests/common/faultystore.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TstBulkRekey : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_n = 0;
    std::unique_ptr<SqliteStore> m_store;
    std::unique_ptr<RecoveryJournal> m_journal;

    static Value key(const QString &k) { return Value::string(k); }
    static QString userKey(int i) { return u"user-%1"_s.arg(i, 7, 10, QLatin1Char('0')); }
    static std::vector<Value> userKeys(int from, int to)
    {
        std::vector<Value> keys;
        for (int i = from; i < to; ++i)
            keys.push_back(key(userKey(i)));
        return keys;
    }

    std::optional<Value> get(const Value &k, const QString &table = u"users"_s)
    {
        auto r = m_store->getRecord(table, k);
        if (!r)
            qFatal("get failed: %s", qPrintable(r.error().toString()));
        return *r;
    }

    // Every record of the table in stored JSON, by key text: compares whole tables.
    QMap<QString, QByteArray> snapshot(const QString &table = u"users"_s)
    {
        QMap<QString, QByteArray> all;
        ScanRequest request;
        request.limit = 1000;
        do {
            auto page = m_store->scan(table, request);
            if (!page)
                qFatal("scan failed");
            for (const Value &r : page->records)
                all.insert(r.find(u"userId"_s)->text(), JsonCodec::toStored(r));
            request.cursor = page->nextCursor;
        } while (!request.cursor.isEmpty());
        return all;
    }

    static KeyTemplate prefix(const QString &from, const QString &to)
    {
        return KeyTemplate{KeyTemplate::Kind::Prefix, from, to};
    }
    static KeyTemplate regex(const QString &pattern, const QString &replacement)
    {
        return KeyTemplate{KeyTemplate::Kind::Regex, pattern, replacement};
    }

private slots:
    void init()
    {
        m_store.reset();
        const QString path = m_dir.filePath(u"s%1.structdesk"_s.arg(++m_n));
        QVERIFY(DemoData::createDemoStore(path, 40));
        auto store = SqliteStore::open(path, SqliteStore::OpenMode::OpenExisting);
        QVERIFY(store);
        m_store = std::move(*store);
        m_journal = std::make_unique<RecoveryJournal>(m_dir.filePath(u"journal%1"_s.arg(m_n)));
    }

    void templates_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("replacement");
        QTest::addColumn<QString>("oldText");
        QTest::addColumn<QString>("newText"); // "-" when the template does not apply
        QTest::newRow("prefix") << int(KeyTemplate::Kind::Prefix) << u"user-"_s << u"member-"_s
                                << u"user-0000007"_s << u"member-0000007"_s;
        QTest::newRow("prefix absent") << int(KeyTemplate::Kind::Prefix) << u"admin-"_s << u"x"_s
                                       << u"user-0000007"_s << u"-"_s;
        QTest::newRow("prefix to nothing") << int(KeyTemplate::Kind::Prefix) << u"user-"_s << u""_s
                                           << u"user-0000007"_s << u"0000007"_s;
        QTest::newRow("regex captures") << int(KeyTemplate::Kind::Regex) << u"user-0*(\\d+)"_s
                                        << u"u\\1"_s << u"user-0000017"_s << u"u17"_s;
        QTest::newRow("regex reorders") << int(KeyTemplate::Kind::Regex) << u"(\\w+)-(\\d+)"_s
                                        << u"\\2.\\1"_s << u"user-0000017"_s << u"0000017.user"_s;
        QTest::newRow("regex whole match") << int(KeyTemplate::Kind::Regex) << u"user-00000"_s
                                           << u"x"_s << u"user-0000017"_s << u"-"_s;
        QTest::newRow("regex \\0 and \\\\") << int(KeyTemplate::Kind::Regex) << u"u.*"_s
                                            << u"\\0\\\\old"_s << u"u1"_s << u"u1\\old"_s;
    }
    void templates()
    {
        QFETCH(int, kind);
        QFETCH(QString, pattern);
        QFETCH(QString, replacement);
        QFETCH(QString, oldText);
        QFETCH(QString, newText);
        const KeyTemplate t{KeyTemplate::Kind(kind), pattern, replacement};
        QVERIFY(t.check());
        const auto applied = t.apply(oldText);
        QCOMPARE(applied.value_or(u"-"_s), newText);
    }

    void badTemplatesAreRefused()
    {
        QVERIFY(!prefix(u""_s, u"x"_s).check());
        QVERIFY(!regex(u"user-(\\d+"_s, u"x"_s).check());
        auto tooMany = regex(u"user-(\\d+)"_s, u"\\1-\\2"_s).check();
        QVERIFY(!tooMany);
        QVERIFY2(tooMany.error().message.contains(u"\\2"_s), qPrintable(tooMany.error().message));
        auto plan = BulkRekey::preview(*m_store, u"users"_s, userKeys(0, 3), regex(u"("_s, u""_s));
        QVERIFY(!plan);
    }

    void prefixMovesEveryRecordExactly()
    {
        const auto before = snapshot();
        auto plan = BulkRekey::preview(*m_store, u"users"_s, userKeys(0, 5),
                                       prefix(u"user-"_s, u"member-"_s));
        QVERIFY(plan);
        QCOMPARE(plan->items.size(), size_t(5));
        QCOMPARE(plan->count(BulkRekeyItem::State::Ready), 5);
        QVERIFY(plan->canRun());
        QCOMPARE(plan->items[2].newText, u"member-0000002"_s);

        std::vector<qsizetype> reported;
        auto outcomes = BulkRekey::run(*m_store, *m_journal, *plan, RekeyStrategy::RemovePutRestore,
                                       [&](qsizetype i, const BulkRekeyOutcome &) {
                                           reported.push_back(i);
                                           return true;
                                       });
        QVERIFY(outcomes);
        QCOMPARE(reported, (std::vector<qsizetype>{0, 1, 2, 3, 4}));
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(int((*outcomes)[size_t(i)].state), int(BulkRekeyOutcome::State::Done));
            QVERIFY(!get(key(userKey(i))));
            const auto moved = get(key(u"member-%1"_s.arg(i, 7, 10, QLatin1Char('0'))));
            QVERIFY(moved);
            Value expected = *JsonCodec::parseStored(before.value(userKey(i)));
            expected.mapRef().insert(u"userId"_s, *moved->find(u"userId"_s));
            QCOMPARE(JsonCodec::toStored(*moved), JsonCodec::toStored(expected)); // byte for byte
        }
        QCOMPARE(*m_store->count(u"users"_s), qint64(40));
        QVERIFY(m_journal->entries()->empty());
    }

    void regexWithCapturesAndRecordsThatStay()
    {
        std::vector<Value> keys = userKeys(10, 13);
        QVERIFY(m_store->writeRaw(
            u"users"_s, *JsonCodec::parsePlain(R"({"userId":"guest","username":"G"})"), true));
        keys.push_back(key(u"guest"_s));
        auto plan =
            BulkRekey::preview(*m_store, u"users"_s, keys, regex(u"user-0*(\\d+)"_s, u"u\\1"_s));
        QVERIFY(plan);
        QCOMPARE(plan->count(BulkRekeyItem::State::Ready), 3);
        QCOMPARE(plan->count(BulkRekeyItem::State::Unchanged), 1);
        QCOMPARE(plan->items[3].state, BulkRekeyItem::State::Unchanged);
        QCOMPARE(plan->items[0].newText, u"u10"_s);
        auto outcomes = BulkRekey::run(*m_store, *m_journal, *plan, RekeyStrategy::GetPutDelete);
        QVERIFY(outcomes);
        QCOMPARE(int((*outcomes)[3].state), int(BulkRekeyOutcome::State::Unchanged));
        for (const char *k : {"u10", "u11", "u12", "guest"})
            QVERIFY2(get(key(QString::fromLatin1(k))), k);
        for (int i = 10; i < 13; ++i)
            QVERIFY(!get(key(userKey(i))));
    }

    void conflictsAreFlaggedBeforeAnyWrite()
    {
        const auto before = snapshot();
        auto one = [&](const std::vector<Value> &k, const KeyTemplate &kt) {
            auto p = BulkRekey::preview(*m_store, u"users"_s, k, kt);
            if (!p)
                qFatal("preview failed: %s", qPrintable(p.error().toString()));
            return *p;
        };
        // Free new keys are ready.
        BulkRekeyPlan free =
            one(userKeys(1, 3), regex(u"user-000000(\\d)"_s, u"user-000000\\1x"_s));
        QCOMPARE(free.count(BulkRekeyItem::State::Ready), 2);
        // A taken new key is a conflict, even when the batch would move its record away.
        for (const char *k : {"k1", "k1k1"})
            QVERIFY(m_store->writeRaw(
                u"users"_s, Value::map({{u"userId"_s, key(QString::fromLatin1(k))}}), true));
        const auto withK = snapshot();
        BulkRekeyPlan exists = one({key(u"k1"_s), key(u"k1k1"_s)}, prefix(u"k"_s, u"k1k"_s));
        QCOMPARE(exists.items[0].newText, u"k1k1"_s);
        QCOMPARE(exists.items[0].state, BulkRekeyItem::State::Conflict);
        QVERIFY2(exists.items[0].problem.contains(u"already exists"_s),
                 qPrintable(exists.items[0].problem));
        QCOMPARE(exists.items[1].state, BulkRekeyItem::State::Ready);
        QVERIFY(!BulkRekey::run(*m_store, *m_journal, exists, RekeyStrategy::RemovePutRestore));
        QCOMPARE(snapshot(), withK);
        QVERIFY(m_store->deleteRecord(u"users"_s, key(u"k1"_s)));
        QVERIFY(m_store->deleteRecord(u"users"_s, key(u"k1k1"_s)));

        BulkRekeyPlan dup = one(userKeys(4, 6), regex(u"user-00000(\\d)\\d"_s, u"dup-\\1"_s));
        QCOMPARE(dup.count(BulkRekeyItem::State::Conflict), 2);
        QVERIFY2(dup.items[0].problem.contains(u"2 records"_s), qPrintable(dup.items[0].problem));

        BulkRekeyPlan invalid = one(userKeys(6, 7), prefix(u"user-0000006"_s, u""_s));
        QCOMPARE(invalid.items[0].state, BulkRekeyItem::State::Conflict);
        QVERIFY2(invalid.items[0].problem.contains(u"empty"_s),
                 qPrintable(invalid.items[0].problem));

        BulkRekeyPlan missing = one({key(u"nobody"_s)}, prefix(u"no"_s, u"yes"_s));
        QCOMPARE(missing.items[0].state, BulkRekeyItem::State::Conflict);

        // A batch with one conflict among good records runs nothing at all.
        BulkRekeyPlan mixed =
            one(userKeys(1, 8), regex(u"user-000000([1-7])"_s, u"user-000000\\1-moved"_s));
        QCOMPARE(mixed.count(BulkRekeyItem::State::Ready), 7);
        mixed.items[3] = invalid.items[0];
        QVERIFY(!mixed.canRun());
        auto refused = BulkRekey::run(*m_store, *m_journal, mixed, RekeyStrategy::RemovePutRestore);
        QVERIFY(!refused);
        QCOMPARE(refused.error().kind, ErrorKind::Invalid);
        QCOMPARE(snapshot(), before);
        QVERIFY(m_journal->entries()->empty());
    }

    void numberKeysAreTyped()
    {
        auto model = TableModel::fromJson(
            R"({"table":"orders","primaryIndex":{"hashKey":"orderId","hashKeyType":"int"},"fields":{"orderId":{"type":"int","required":true}}})",
            u"orders"_s);
        QVERIFY(model);
        QVERIFY(m_store->createTable(u"orders"_s, **model));
        for (int i = 1; i <= 3; ++i)
            QVERIFY(m_store->writeRaw(u"orders"_s, Value::map({{u"orderId"_s, Value::integer(i)}}),
                                      true));
        std::vector<Value> keys{Value::integer(1), Value::integer(2), Value::integer(3)};
        auto plan =
            BulkRekey::preview(*m_store, u"orders"_s, keys, regex(u"(\\d+)"_s, u"\\1000"_s));
        QVERIFY(plan);
        QVERIFY(plan->canRun());
        QVERIFY(plan->items[1].newKey.isNumber());
        QCOMPARE(plan->items[1].newKey.text(), u"2000"_s);
        auto bad = BulkRekey::preview(*m_store, u"orders"_s, keys, regex(u"(\\d+)"_s, u"n\\1"_s));
        QVERIFY(bad);
        QCOMPARE(bad->count(BulkRekeyItem::State::Conflict), 3);
        QVERIFY2(bad->items[0].problem.contains(u"number"_s), qPrintable(bad->items[0].problem));
        auto outcomes = BulkRekey::run(*m_store, *m_journal, *plan, RekeyStrategy::Atomic);
        QVERIFY(outcomes);
        QVERIFY(get(Value::integer(3000), u"orders"_s));
        QVERIFY(!get(Value::integer(3), u"orders"_s));
    }

    void previewOfEveryMatchingRecord()
    {
        ScanRequest filter;
        filter.conditions.push_back(
            FilterCondition{{u"userId"_s}, FilterOp::BeginsWith, key(u"user-000001"_s)});
        filter.limit = 3; // ignored: every matching record is previewed
        auto plan = BulkRekey::previewMatching(*m_store, u"users"_s, filter,
                                               prefix(u"user-"_s, u"staff-"_s));
        QVERIFY(plan);
        QCOMPARE(plan->items.size(), size_t(10));
        QCOMPARE(plan->count(BulkRekeyItem::State::Ready), 10);
        QStringList olds;
        for (const auto &i : plan->items)
            olds << i.oldText;
        olds.sort();
        QCOMPARE(olds.first(), u"user-0000010"_s);
        QCOMPARE(olds.last(), u"user-0000019"_s);

        int calls = 0;
        auto cancelled = BulkRekey::previewMatching(
            *m_store, u"users"_s, filter, prefix(u"user-"_s, u"staff-"_s),
            [&](qsizetype, qsizetype) { return ++calls < 1; });
        QVERIFY(!cancelled);
    }

    void cancelLeavesEveryRecordAtExactlyOneKey()
    {
        auto plan = BulkRekey::preview(*m_store, u"users"_s, userKeys(0, 20),
                                       prefix(u"user-"_s, u"moved-"_s));
        QVERIFY(plan && plan->canRun());
        auto outcomes = BulkRekey::run(
            *m_store, *m_journal, *plan, RekeyStrategy::RemovePutRestore,
            [](qsizetype i, const BulkRekeyOutcome &) { return i < 6; }); // cancel after the 7th
        QVERIFY(outcomes);
        QCOMPARE(outcomes->size(), size_t(20));
        int done = 0, notRun = 0;
        for (size_t i = 0; i < outcomes->size(); ++i) {
            const auto &o = (*outcomes)[i];
            const bool atOld = get(plan->items[i].oldKey).has_value();
            const bool atNew = get(plan->items[i].newKey).has_value();
            QVERIFY2(atOld != atNew, qPrintable(plan->items[i].oldText)); // exactly one key
            if (o.state == BulkRekeyOutcome::State::Done) {
                ++done;
                QVERIFY(atNew);
            } else {
                QCOMPARE(int(o.state), int(BulkRekeyOutcome::State::NotRun));
                QVERIFY(o.message.contains(u"cancelled"_s));
                QVERIFY(atOld);
                ++notRun;
            }
        }
        QCOMPARE(done, 7);
        QCOMPARE(notRun, 13);
        QCOMPARE(*m_store->count(u"users"_s), qint64(40));
        QVERIFY(m_journal->entries()->empty());
    }

    void aFailingStoreStopsTheBatch()
    {
        FaultyStore faulty(*m_store);
        auto plan =
            BulkRekey::preview(faulty, u"users"_s, userKeys(0, 5), prefix(u"user-"_s, u"moved-"_s));
        QVERIFY(plan && plan->canRun());
        // The second record's put and restore both fail: it is only in the journal.
        faulty.failOn(u"writeRaw"_s, ErrorKind::Unavailable, 1, 2);
        auto outcomes = BulkRekey::run(faulty, *m_journal, *plan, RekeyStrategy::RemovePutRestore);
        QVERIFY(outcomes);
        QCOMPARE(int((*outcomes)[0].state), int(BulkRekeyOutcome::State::Done));
        QCOMPARE(int((*outcomes)[1].state), int(BulkRekeyOutcome::State::InJournal));
        QVERIFY(!(*outcomes)[1].journalId.isEmpty());
        for (size_t i = 2; i < 5; ++i) {
            QCOMPARE(int((*outcomes)[i].state), int(BulkRekeyOutcome::State::NotRun));
            QVERIFY(get(plan->items[i].oldKey)); // untouched
        }
        auto entries = m_journal->entries();
        QVERIFY(entries);
        QCOMPARE(entries->size(), size_t(1));
        QCOMPARE(entries->front().oldKey, plan->items[1].oldKey);
        RekeyEngine engine(*m_store, *m_journal);
        QVERIFY(engine.restore(entries->front(), RekeyEngine::RestoreTarget::NewKey));
        QVERIFY(get(plan->items[1].newKey));
    }

    void outcomesAreSaved()
    {
        QVERIFY(m_store->writeRaw(
            u"users"_s, *JsonCodec::parsePlain("{\"userId\":\"a,\\\"b\\\"\",\"username\":\"Q\"}"),
            true));
        std::vector<Value> keys = userKeys(0, 2);
        keys.push_back(key(u"a,\"b\""_s));
        auto plan = BulkRekey::preview(*m_store, u"users"_s, keys, regex(u"(.*)"_s, u"\\1-new"_s));
        QVERIFY(plan && plan->canRun());
        auto outcomes = BulkRekey::run(*m_store, *m_journal, *plan, RekeyStrategy::GetPutDelete,
                                       [](qsizetype i, const BulkRekeyOutcome &) { return i < 1; });
        QVERIFY(outcomes);

        const QString csvPath = m_dir.filePath(u"outcomes%1.csv"_s.arg(m_n));
        QVERIFY(BulkRekey::save(csvPath, *outcomes));
        QFile csv(csvPath);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csv.readAll().split('\n');
        QCOMPARE(lines[0], "old_key,new_key,outcome,message,journal_entry,milliseconds"_ba);
        QVERIFY2(lines[1].startsWith("user-0000000,user-0000000-new,done,"), lines[1].constData());
        QVERIFY2(
            lines[3].startsWith("\"a,\"\"b\"\"\",\"a,\"\"b\"\"-new\",not run,not run: cancelled,,"),
            lines[3].constData());

        const QString jsonPath = m_dir.filePath(u"outcomes%1.jsonl"_s.arg(m_n));
        QVERIFY(BulkRekey::save(jsonPath, *outcomes));
        QFile json(jsonPath);
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QList<QByteArray> jl = json.readAll().trimmed().split('\n');
        QCOMPARE(jl.size(), 3);
        for (const QByteArray &line : jl) {
            auto parsed = JsonCodec::parsePlain(line);
            QVERIFY2(parsed, line.constData());
            QVERIFY(parsed->find(u"outcome"_s));
        }
        auto first = JsonCodec::parsePlain(jl[0]);
        QCOMPARE(first->find(u"outcome"_s)->text(), u"done"_s);
        QCOMPARE(first->find(u"newKey"_s)->text(), u"user-0000000-new"_s);
    }
};

QTEST_GUILESS_MAIN(TstBulkRekey)
#include "tst_bulkrekey.moc"
