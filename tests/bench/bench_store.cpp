// Put and get on the embedded store (issue "Record core"): single operations, each its own
// transaction as the GUI and the CLI do them, and puts batched in one transaction as an import
// would. Prints "figure: value unit (target ...)" lines for tests/bench/run-benchmarks.sh.

#include "model/demodata.h"
#include "model/sqlitestore.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class BenchStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<SqliteStore> m_store;
    std::vector<Value> m_records;
    static constexpr int kRecords = 20000;

    static void print(const char *name, double perSecond, const char *target)
    {
        qInfo().noquote() << u"%1: %2 operations/s (target %3)"_s.arg(QLatin1String(name)).arg(perSecond, 0, 'f', 0).arg(QLatin1String(target));
    }

private slots:
    void initTestCase()
    {
        auto store = SqliteStore::open(m_dir.filePath(u"bench.structdesk"_s), SqliteStore::OpenMode::CreateIfMissing);
        QVERIFY(store);
        m_store = std::move(*store);
        QVERIFY(m_store->createTable(u"users"_s, *DemoData::usersModel()));
        for (int i = 0; i < kRecords; ++i) {
            if (!DemoData::isInvalidOnPurpose(quint64(i)))
                m_records.push_back(DemoData::userRecord(quint64(i)));
        }
    }

    void putEachInItsOwnTransaction()
    {
        QElapsedTimer t;
        t.start();
        for (const Value &r : m_records)
            QVERIFY(m_store->putRecord(u"users"_s, r));
        const double seconds = double(t.nsecsElapsed()) / 1e9;
        print("put_record (validated, own transaction)", double(m_records.size()) / seconds,
              "none: DESIGN.md sets no figure; WAL, synchronous=NORMAL");
    }

    void getByKey()
    {
        QElapsedTimer t;
        t.start();
        int found = 0;
        QBENCHMARK_ONCE {
            for (const Value &r : m_records) {
                auto got = m_store->getRecord(u"users"_s, *r.find(u"userId"_s));
                found += got && got->has_value();
            }
        }
        const double seconds = double(t.nsecsElapsed()) / 1e9;
        QCOMPARE(found, int(m_records.size()));
        print("get_record", double(m_records.size()) / seconds, "none: DESIGN.md sets no figure");
    }

    void putBatchedInOneTransaction()
    {
        QVERIFY(m_store->createTable(u"batch"_s, *DemoData::usersModel()));
        QElapsedTimer t;
        t.start();
        QVERIFY(m_store->runTransaction([&]() -> Status {
            for (const Value &r : m_records) {
                if (auto s = m_store->putRecord(u"batch"_s, r); !s)
                    return s;
            }
            return okStatus();
        }));
        const double seconds = double(t.nsecsElapsed()) / 1e9;
        print("put_record batched in one transaction", double(m_records.size()) / seconds, "none: DESIGN.md sets no figure");
    }
};

QTEST_GUILESS_MAIN(BenchStore)
#include "bench_store.moc"
