// structdesk-cli (the real binary) on stores damaged with the sqlite3 shell. One unreadable
// record: scan, query, export and check print every other record, name it on stderr and exit 4;
// get, update and remove of it exit 3 naming key, table and file; delete discards it.

#include "model/jsoncodec.h"
#include "model/sqlitestore.h"
#include "tests/common/sqliteshell.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TstCorruptCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_store;
    int m_n = 0;

    struct Run
    {
        int exit = -1;
        QString out;
        QString err;
    };

    Run cli(const QStringList &args)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"STRUCTDESK_JOURNAL"_s, m_dir.filePath(u"journal"_s));
        env.remove(u"STRUCTDESK_STORE"_s);
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(STRUCTDESK_CLI_PATH), QStringList{u"--store"_s, m_store} + args);
        if (!p.waitForFinished(60000))
            p.kill();
        return Run{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
                   QString::fromUtf8(p.readAllStandardOutput()),
                   QString::fromUtf8(p.readAllStandardError())};
    }

    void makeStore(int records)
    {
        auto store = SqliteStore::open(m_store, SqliteStore::OpenMode::CreateIfMissing);
        QVERIFY(store);
        auto model = TableModel::fromJson(
            R"({"table":"users","primaryIndex":{"hashKey":"id","hashKeyType":"str"},
                "secondaryIndexes":[{"hashKey":"team","hashKeyType":"str","projection":"ALL"}],
                "fields":{"id":{"type":"str","required":true},"name":{"type":"str","required":true},
                          "team":{"type":"str"}}})",
            u"model"_s);
        QVERIFY(model);
        QVERIFY((*store)->createTable(u"users"_s, **model));
        for (int i = 1; i <= records; ++i)
            QVERIFY((*store)->putRecord(
                u"users"_s,
                *JsonCodec::parsePlain(
                    u"{\"id\":\"u%1\",\"name\":\"n%1\",\"team\":\"t\"}"_s.arg(i).toUtf8())));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(!SqliteShell::path().isEmpty(),
                 "the sqlite3 shell is not installed (make deps installs it)");
    }

    void init()
    {
        m_store = m_dir.filePath(u"s%1.structdesk"_s.arg(++m_n));
        makeStore(5);
        const auto r =
            SqliteShell::exec(m_store, u"UPDATE rec_users SET item='{bad' WHERE pk='u3'"_s);
        QVERIFY2(r.exit == 0, qPrintable(r.err));
    }

    void readsSkipTheUnreadableRecordAndExitFour_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("done"); // the last words of the summary line
        QTest::newRow("scan") << QStringList{u"scan"_s, u"users"_s} << u"4 records were printed"_s;
        QTest::newRow("scan --where")
            << QStringList{u"scan"_s, u"users"_s, u"--where"_s, u"team=t"_s}
            << u"4 records were printed"_s;
        QTest::newRow("query by index")
            << QStringList{u"query"_s, u"users"_s, u"t"_s, u"--index"_s, u"team"_s}
            << u"4 records were printed"_s;
        QTest::newRow("export jsonl")
            << QStringList{u"export"_s, u"users"_s} << u"the other 4 were exported"_s;
        QTest::newRow("export csv") << QStringList{u"export"_s, u"users"_s, u"--format"_s, u"csv"_s}
                                    << u"the other 4 were exported"_s;
        QTest::newRow("export dynamodb-json")
            << QStringList{u"export"_s, u"users"_s, u"--format"_s, u"dynamodb-json"_s}
            << u"the other 4 were exported"_s;
        QTest::newRow("check")
            << QStringList{u"check"_s, u"users"_s}
            << u"1 of the 5 records fail its model (the unreadable ones included)"_s;
    }

    void readsSkipTheUnreadableRecordAndExitFour()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, done);
        const Run r = cli(args);
        QCOMPARE(r.exit, 4);
        if (args.first() != u"check") {
            for (const char *key : {"u1", "u2", "u4", "u5"})
                QVERIFY2(r.out.contains(QLatin1String(key)), qPrintable(r.out));
            QVERIFY(!r.out.contains(u"u3"_s));
        }
        QVERIFY2(r.err.contains(u"\"u3\""_s) && r.err.contains(u"row 3"_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"its stored JSON is damaged"_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"1 unreadable record of users was skipped"_s), qPrintable(r.err));
        QVERIFY2(r.err.trimmed().endsWith(done), qPrintable(r.err));
    }

    void exportToAFileWritesTheOthers()
    {
        const QString out = m_dir.filePath(u"out%1.jsonl"_s.arg(m_n));
        const Run r = cli({u"export"_s, u"users"_s, u"--out"_s, out});
        QCOMPARE(r.exit, 4);
        QVERIFY2(r.out.contains(u"exported 4 records of users to %1"_s.arg(out)),
                 qPrintable(r.out));
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll().count('\n'), 4);
    }

    void manyPagesWithSeveralUnreadableRecords()
    {
        m_store = m_dir.filePath(u"big%1.structdesk"_s.arg(m_n));
        makeStore(2500);
        QVERIFY(
            SqliteShell::exec(
                m_store,
                u"UPDATE rec_users SET item=substr(item, 1, 9) WHERE pk IN ('u1', 'u1000', 'u2500')"_s)
                .exit == 0);
        const Run r = cli({u"scan"_s, u"users"_s});
        QCOMPARE(r.exit, 4);
        QCOMPARE(r.out.count(u'\n'), 2497);
        for (const char *key : {"\"u1\" (row 1)", "\"u1000\" (row 1000)", "\"u2500\" (row 2500)"})
            QVERIFY2(r.err.contains(QLatin1String(key)), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"3 unreadable records of users were skipped"_s),
                 qPrintable(r.err));
        const Run limited = cli({u"scan"_s, u"users"_s, u"--limit"_s, u"10"_s});
        QCOMPARE(limited.exit, 4);
        QCOMPARE(limited.out.count(u'\n'), 9); // ten rows, one of them unreadable
    }

    void getUpdateAndRemoveNameTheRecord_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exit");
        QTest::newRow("get") << QStringList{u"get"_s, u"users"_s, u"u3"_s} << 3;
        QTest::newRow("update") << QStringList{u"update"_s, u"users"_s, u"u3"_s, u"name"_s,
                                               u"\"x\""_s}
                                << 3;
        QTest::newRow("update-many")
            << QStringList{u"update-many"_s, u"users"_s, u"u3"_s, u"{\"name\":\"x\"}"_s} << 3;
        QTest::newRow("remove") << QStringList{u"remove"_s, u"users"_s, u"u3"_s} << 3;
        QTest::newRow("remove-field")
            << QStringList{u"remove-field"_s, u"users"_s, u"u3"_s, u"team"_s} << 3;
        // rekey's 1: refused, the record is where it was.
        QTest::newRow("rekey") << QStringList{u"rekey"_s, u"users"_s, u"u3"_s, u"u9"_s} << 1;
    }

    void getUpdateAndRemoveNameTheRecord()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exit);
        const QString before = SqliteShell::rawRow(m_store, u"users"_s, u"u3"_s);
        const Run r = cli(args);
        QCOMPARE(r.exit, exit);
        for (const QString &part :
             {u"\"u3\""_s, u"table users"_s, m_store, u"row 3"_s, u"cannot be read"_s})
            QVERIFY2(r.err.contains(part), qPrintable(r.err));
        QCOMPARE(SqliteShell::rawRow(m_store, u"users"_s, u"u3"_s), before);
    }

    void deleteDiscardsIt()
    {
        QCOMPARE(cli({u"delete"_s, u"users"_s, u"u3"_s}).exit, 0);
        const Run r = cli({u"scan"_s, u"users"_s});
        QCOMPARE(r.exit, 0);
        QCOMPARE(r.out.count(u'\n'), 4);
        QCOMPARE(cli({u"check"_s, u"users"_s}).exit, 0);
    }
};

QTEST_GUILESS_MAIN(TstCorruptCli)
#include "tst_corruptcli.moc"
