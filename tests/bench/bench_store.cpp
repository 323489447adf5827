// Put and get on the embedded store (issue "Record core"): single operations, each its own
// transaction as the GUI and the CLI do them, and puts batched in one transaction as an import
// would; opening the store they made (what the damaged-file check costs). Prints "figure: value
// unit (target ...)" lines for tests/bench/run-benchmarks.sh.

#include "model/store/open/demodata.h"
#include "model/store/sqlite/sqlitestore.h"
#include "tests/common/sqliteshell.h"

#include <QElapsedTimer>
#include <QFileInfo>
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
        qInfo().noquote() << u"%1: %2 operations/s (target %3)"_s.arg(QLatin1String(name))
                                 .arg(perSecond, 0, 'f', 0)
                                 .arg(QLatin1String(target));
    }

private slots:
    void initTestCase()
    {
        auto store = SqliteStore::open(m_dir.filePath(u"bench.structdesk"_s),
                                       SqliteStore::OpenMode::CreateIfMissing);
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
              "none: no target is set; WAL, synchronous=NORMAL");
    }

    void getByKey()
    {
        QElapsedTimer t;
        t.start();
        int found = 0;
        QBENCHMARK_ONCE
        {
            for (const Value &r : m_records) {
                auto got = m_store->getRecord(u"users"_s, *r.find(u"userId"_s));
                found += got && got->has_value();
            }
        }
        const double seconds = double(t.nsecsElapsed()) / 1e9;
        QCOMPARE(found, int(m_records.size()));
        print("get_record", double(m_records.size()) / seconds, "none: no target is set");
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
        print("put_record batched in one transaction", double(m_records.size()) / seconds,
              "none: no target is set");
    }

    void openALargeStore()
    {
        // What every open pays for the length check of a damaged file (it reads the 100-byte
        // header, whatever the size), beside the whole open and a full quick_check, which
        // therefore runs only on the first corrupt answer.
        m_store.reset();
        const QString path = m_dir.filePath(u"bench.structdesk"_s);
        const qint64 bytes = QFileInfo(path).size();
        std::vector<double> opens, checks;
        for (int i = 0; i < 21; ++i) {
            QElapsedTimer t;
            t.start();
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const qint64 size = f.size();
            QCOMPARE(f.read(100).size(), 100);
            QVERIFY(size == bytes);
            checks.push_back(double(t.nsecsElapsed()) / 1e3);
            t.restart();
            auto store = SqliteStore::open(path);
            QVERIFY(store && (*store)->capabilities().damaged.isEmpty());
            opens.push_back(double(t.nsecsElapsed()) / 1e6);
        }
        std::sort(checks.begin(), checks.end());
        std::sort(opens.begin(), opens.end());
        QElapsedTimer t;
        t.start();
        const auto quick = SqliteShell::exec(path, u"PRAGMA quick_check"_s);
        const double quickMs = double(t.nsecsElapsed()) / 1e6;
        QCOMPARE(quick.out.trimmed(), u"ok"_s);
        qInfo().noquote() << u"store of %1 MB: length check median %2 us (range %3-%4), open "
                             "median %5 ms (range %6-%7), quick_check (sqlite3 shell, warm) %8 ms"_s
                                 .arg(bytes / 1e6, 0, 'f', 1)
                                 .arg(checks[10], 0, 'f', 1)
                                 .arg(checks.front(), 0, 'f', 1)
                                 .arg(checks.back(), 0, 'f', 1)
                                 .arg(opens[10], 0, 'f', 2)
                                 .arg(opens.front(), 0, 'f', 2)
                                 .arg(opens.back(), 0, 'f', 2)
                                 .arg(quickMs, 0, 'f', 0);
    }
};

QTEST_GUILESS_MAIN(BenchStore)
#include "bench_store.moc"
