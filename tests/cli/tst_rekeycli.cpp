// The key change through the real structdesk-cli: step lines, exit statuses, and a child process
// killed with SIGKILL after each step, after which the record is at its old key, at its new key
// or in the recovery journal, never lost; `journal restore` brings it back.

#include "model/json/jsoncodec.h"
#include "model/store/sqlite/sqlitestore.h"
#include "tests/common/storecases.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TstRekeyCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_store;
    QString m_journal;
    int m_n = 0;

    struct Run
    {
        int exit = -1;
        QString out;
        QString err;
    };

    QProcessEnvironment environment(const QString &pauseAfter = {}) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"STRUCTDESK_JOURNAL"_s, m_journal);
        env.remove(u"STRUCTDESK_STORE"_s);
        if (!pauseAfter.isEmpty())
            env.insert(u"STRUCTDESK_REKEY_PAUSE_AFTER"_s, pauseAfter);
        return env;
    }

    Run cli(const QStringList &args)
    {
        QProcess p;
        p.setProcessEnvironment(environment());
        p.start(QStringLiteral(STRUCTDESK_CLI_PATH), QStringList{u"--store"_s, m_store} + args);
        p.waitForFinished(60000);
        return Run{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
                   QString::fromUtf8(p.readAllStandardOutput()),
                   QString::fromUtf8(p.readAllStandardError())};
    }

    std::optional<Value> get(const QString &key)
    {
        auto store = SqliteStore::open(m_store);
        if (!store)
            qFatal("%s", qPrintable(store.error().toString()));
        auto r = (*store)->getRecord(u"users"_s, Value::string(key));
        return r ? *r : std::nullopt;
    }

    QStringList journalIds()
    {
        const Run r = cli({u"journal"_s, u"list"_s});
        QStringList ids;
        for (const QString &line : r.out.split(u'\n', Qt::SkipEmptyParts))
            ids << line.section(u'\t', 0, 0);
        return ids;
    }

private slots:
    void init()
    {
        m_store = m_dir.filePath(u"s%1.structdesk"_s.arg(++m_n));
        m_journal = m_dir.filePath(u"journal%1"_s.arg(m_n));
        auto store = SqliteStore::open(m_store, SqliteStore::OpenMode::CreateIfMissing);
        QVERIFY(store);
        StoreCases::seed(**store);
    }

    void succeedsAndPrintsEachStep_data()
    {
        QTest::addColumn<QString>("strategy");
        QTest::newRow("default") << QString();
        QTest::newRow("remove-put-restore") << u"remove-put-restore"_s;
        QTest::newRow("get-put-delete") << u"get-put-delete"_s;
        QTest::newRow("atomic") << u"atomic"_s;
    }
    void succeedsAndPrintsEachStep()
    {
        QFETCH(QString, strategy);
        const Value before = *get(u"u1"_s);
        QStringList args{u"rekey"_s, u"users"_s, u"u1"_s, u"u100"_s};
        if (!strategy.isEmpty())
            args << u"--strategy"_s << strategy;
        const Run r = cli(args);
        QVERIFY2(r.exit == 0, qPrintable(r.out + r.err));
        QVERIFY(r.out.contains(u"check"_s));
        QVERIFY(r.out.contains(u"journal"_s));
        QVERIFY(r.out.contains(u"moved"_s));
        QVERIFY(!get(u"u1"_s));
        Value expected = before;
        expected.mapRef().insert(u"userId"_s, Value::string(u"u100"_s));
        QCOMPARE(JsonCodec::toStored(*get(u"u100"_s)), JsonCodec::toStored(expected));
        QVERIFY(journalIds().isEmpty());
    }

    void refusedExitsOne()
    {
        const Run taken = cli({u"rekey"_s, u"users"_s, u"u1"_s, u"u2"_s});
        QCOMPARE(taken.exit, 1);
        QVERIFY2(taken.err.contains(u"already exists"_s), qPrintable(taken.err));
        QVERIFY(get(u"u1"_s) && get(u"u2"_s));
        const Run missing = cli({u"rekey"_s, u"users"_s, u"nobody"_s, u"u9"_s});
        QCOMPARE(missing.exit, 1);
        const Run badStrategy =
            cli({u"rekey"_s, u"users"_s, u"u1"_s, u"u9"_s, u"--strategy"_s, u"teleport"_s});
        QCOMPARE(badStrategy.exit, 2);
        const Run noStore = [&] {
            QProcess p;
            p.setProcessEnvironment(environment());
            p.start(QStringLiteral(STRUCTDESK_CLI_PATH),
                    {u"--store"_s, m_dir.filePath(u"missing.structdesk"_s), u"rekey"_s, u"users"_s,
                     u"a"_s, u"b"_s});
            p.waitForFinished(30000);
            return Run{p.exitCode(), {}, QString::fromUtf8(p.readAllStandardError())};
        }();
        QCOMPARE(noStore.exit, 3);
    }

    void killedAfterEachStep_data()
    {
        QTest::addColumn<QString>("strategy");
        QTest::addColumn<QString>("step");
        QTest::addColumn<QString>("where"); // "old", "new" or "journal" right after the kill
        QTest::newRow("rpr after check") << u"remove-put-restore"_s << u"check"_s << u"old"_s;
        QTest::newRow("rpr after journal") << u"remove-put-restore"_s << u"journal"_s << u"old"_s;
        QTest::newRow("rpr after remove") << u"remove-put-restore"_s << u"remove"_s << u"journal"_s;
        QTest::newRow("rpr after put") << u"remove-put-restore"_s << u"put"_s << u"new"_s;
        QTest::newRow("gpd after journal") << u"get-put-delete"_s << u"journal"_s << u"old"_s;
        QTest::newRow("gpd after put") << u"get-put-delete"_s << u"put"_s << u"both"_s;
        QTest::newRow("gpd after delete") << u"get-put-delete"_s << u"delete"_s << u"new"_s;
        QTest::newRow("atomic after journal") << u"atomic"_s << u"journal"_s << u"old"_s;
        QTest::newRow("atomic after transaction") << u"atomic"_s << u"transaction"_s << u"new"_s;
    }
    void killedAfterEachStep()
    {
        QFETCH(QString, strategy);
        QFETCH(QString, step);
        QFETCH(QString, where);
        const Value before = *get(u"u1"_s);
        QProcess p;
        p.setProcessEnvironment(environment(step));
        p.start(QStringLiteral(STRUCTDESK_CLI_PATH),
                {u"--store"_s, m_store, u"rekey"_s, u"users"_s, u"u1"_s, u"u100"_s, u"--strategy"_s,
                 strategy});
        QString out;
        QElapsedTimer t;
        t.start();
        while (!out.contains(u"paused after "_s + step) && t.elapsed() < 30000) {
            p.waitForReadyRead(200);
            out += QString::fromUtf8(p.readAllStandardOutput());
        }
        QVERIFY2(out.contains(u"paused after "_s + step),
                 qPrintable(out + QString::fromUtf8(p.readAllStandardError())));
        p.kill(); // SIGKILL: no clean-up of any kind runs
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitStatus(), QProcess::CrashExit);

        const auto atOld = get(u"u1"_s);
        const auto atNew = get(u"u100"_s);
        const QStringList ids = journalIds();
        if (where == u"old") {
            QVERIFY(atOld && !atNew);
            QCOMPARE(JsonCodec::toStored(*atOld), JsonCodec::toStored(before));
        } else if (where == u"new") {
            QVERIFY(!atOld && atNew);
        } else if (where == u"both") {
            QVERIFY(atOld && atNew);
        } else {
            QVERIFY(!atOld && !atNew);
            QCOMPARE(ids.size(), 1);
        }
        // Whatever the journal still holds restores without losing or duplicating anything.
        for (const QString &id : ids) {
            const Run r = cli({u"journal"_s, u"restore"_s, id});
            QVERIFY2(r.exit == 0, qPrintable(r.out + r.err));
        }
        QVERIFY(journalIds().isEmpty());
        const auto finalOld = get(u"u1"_s);
        const auto finalNew = get(u"u100"_s);
        QVERIFY2(finalOld || finalNew, "the record was lost");
        if (finalOld)
            QCOMPARE(JsonCodec::toStored(*finalOld), JsonCodec::toStored(before));
        if (where == u"journal")
            QVERIFY(finalOld && !finalNew);
    }

    void journalRestoreToNewAndToFile()
    {
        for (const QString &to : {u"new"_s, u"file"_s}) {
            init();
            QProcess p;
            p.setProcessEnvironment(environment(u"remove"_s));
            p.start(QStringLiteral(STRUCTDESK_CLI_PATH),
                    {u"--store"_s, m_store, u"rekey"_s, u"users"_s, u"u1"_s, u"u100"_s});
            QString out;
            QElapsedTimer t;
            t.start();
            while (!out.contains(u"paused after remove"_s) && t.elapsed() < 30000) {
                p.waitForReadyRead(200);
                out += QString::fromUtf8(p.readAllStandardOutput());
            }
            QVERIFY(out.contains(u"paused after remove"_s));
            p.kill();
            p.waitForFinished(10000);
            const QStringList ids = journalIds();
            QCOMPARE(ids.size(), 1);
            const QString target =
                to == u"new" ? u"new"_s : m_dir.filePath(u"saved%1.json"_s.arg(m_n));
            const Run r = cli({u"journal"_s, u"restore"_s, ids.first(), u"--to"_s, target});
            QVERIFY2(r.exit == 0, qPrintable(r.out + r.err));
            if (to == u"new") {
                QVERIFY(get(u"u100"_s));
            } else {
                QFile saved(target);
                QVERIFY(saved.open(QIODevice::ReadOnly));
                auto item = JsonCodec::parseDynamoItem(saved.readAll());
                QVERIFY(item);
                QCOMPARE(item->find(u"userId"_s)->text(), u"u1"_s);
            }
            QVERIFY(journalIds().isEmpty());
        }
        const Run unknown = cli({u"journal"_s, u"restore"_s, u"nope"_s});
        QCOMPARE(unknown.exit, 1);
    }
};

QTEST_GUILESS_MAIN(TstRekeyCli)
#include "tst_rekeycli.moc"
