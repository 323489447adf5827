// `structdesk-cli journal` (the real binary) with one damaged file in the journal folder, of
// every kind in tests/common/corruptjournal.h: `list` shows the good entries on stdout and names
// the bad file and why on stderr (exit 4), `restore` of the bad one names it (exit 1), the good
// ones restore, and the bad file is never modified or deleted.

#include "model/json/jsoncodec.h"
#include "model/store/sqlite/sqlitestore.h"
#include "tests/common/corruptjournal.h"
#include "tests/common/storecases.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TstJournalCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_store;
    QString m_journal;
    QByteArray m_good;
    QStringList m_ids;
    int m_n = 0;

    struct Run
    {
        int exit = -1;
        QString out;
        QString err;
    };

    Run cli(const QStringList &args, const QStringList &prefix = {})
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"STRUCTDESK_JOURNAL"_s, m_journal);
        env.remove(u"STRUCTDESK_STORE"_s);
        p.setProcessEnvironment(env);
        const QStringList all = QStringList{u"--store"_s, m_store} + args;
        if (prefix.isEmpty())
            p.start(QStringLiteral(STRUCTDESK_CLI_PATH), all);
        else
            p.start(prefix.first(),
                    prefix.mid(1) + QStringList{QStringLiteral(STRUCTDESK_CLI_PATH)} + all);
        if (!p.waitForFinished(60000))
            p.kill();
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

    /// What a crash after "remove" leaves: u1 and u2 are only in the journal.
    void leaveTwoInJournal()
    {
        auto store = SqliteStore::open(m_store, SqliteStore::OpenMode::CreateIfMissing);
        QVERIFY(store);
        auto model = TableModel::fromJson(
            R"({"table":"users","primaryIndex":{"hashKey":"userId","hashKeyType":"str"},
            "fields":{"userId":{"type":"str","required":true},"name":{"type":"str"}}})",
            u"model"_s);
        QVERIFY(model);
        QVERIFY((*store)->createTable(u"users"_s, **model));
        RecoveryJournal journal(m_journal);
        m_ids.clear();
        for (int i = 1; i <= 2; ++i) {
            RecoveryJournal::Entry e;
            e.location = m_store;
            e.table = u"users"_s;
            e.oldKey = Value::string(u"u%1"_s.arg(i));
            e.newKey = Value::string(u"v%1"_s.arg(i));
            e.record = Value::map({{u"userId"_s, Value::string(u"u%1"_s.arg(i))},
                                   {u"name"_s, Value::string(u"n%1"_s.arg(i))}});
            e.strategy = u"remove-put-restore"_s;
            e.lastStep = u"remove"_s;
            e.created = QDateTime::currentDateTimeUtc().addSecs(i);
            auto id = journal.add(e);
            QVERIFY(id);
            m_ids << *id;
        }
    }

    QStringList listedIds(const Run &r)
    {
        QStringList ids;
        for (const QString &line : r.out.split(u'\n', Qt::SkipEmptyParts))
            ids << line.section(u'\t', 0, 0);
        return ids;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_good = CorruptJournal::goodEntryText(m_dir.filePath(u"scratch"_s));
        QVERIFY(!m_good.isEmpty());
    }

    void init()
    {
        m_store = m_dir.filePath(u"s%1.structdesk"_s.arg(++m_n));
        m_journal = m_dir.filePath(u"journal%1"_s.arg(m_n));
        leaveTwoInJournal();
    }

    void aCleanJournalListsWithExitZero()
    {
        const Run r = cli({u"journal"_s, u"list"_s});
        QCOMPARE(r.exit, 0);
        QCOMPARE(listedIds(r), m_ids);
        QVERIFY(r.err.isEmpty());
    }

    void oneBadFileNeverHidesTheGoodOnes_data()
    {
        QTest::addColumn<int>("kind");
        const auto kinds = CorruptJournal::kinds(m_good);
        for (int i = 0; i < kinds.size(); ++i)
            QTest::newRow(qPrintable(kinds[i].name)) << i;
    }

    void oneBadFileNeverHidesTheGoodOnes()
    {
        QFETCH(int, kind);
        const CorruptJournal::Kind k = CorruptJournal::kinds(m_good)[kind];
        const QString bad = RecoveryJournal(m_journal).fileOf(u"bad-one"_s);
        QVERIFY(k.make(bad));
        const QByteArray before = CorruptJournal::fingerprint(bad);

        Run r = cli({u"journal"_s, u"list"_s});
        QCOMPARE(r.exit, 4); // done, but an unreadable file was skipped
        QCOMPARE(listedIds(r), m_ids);
        QVERIFY2(r.err.contains(u"journal entry bad-one is unreadable: %1: "_s.arg(bad)),
                 qPrintable(r.err));
        QVERIFY2(r.err.contains(k.reason), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"2 readable entries listed; 1 unreadable file was skipped"_s),
                 qPrintable(r.err));

        r = cli({u"journal"_s, u"restore"_s, u"bad-one"_s});
        QCOMPARE(r.exit, 1);
        QVERIFY2(r.err.contains(bad), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"the journal entry bad-one cannot be read"_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(k.reason), qPrintable(r.err));
        r = cli({u"journal"_s, u"restore"_s, u"bad-one"_s, u"--to"_s,
                 m_dir.filePath(u"out%1.json"_s.arg(m_n))});
        QCOMPARE(r.exit, 1);
        QVERIFY(!QFileInfo::exists(m_dir.filePath(u"out%1.json"_s.arg(m_n))));

        // The good ones restore beside it.
        for (const QString &id : std::as_const(m_ids)) {
            r = cli({u"journal"_s, u"restore"_s, id});
            QVERIFY2(r.exit == 0, qPrintable(r.err));
        }
        QCOMPARE(get(u"u1"_s)->find(u"name"_s)->text(), u"n1"_s);
        QCOMPARE(get(u"u2"_s)->find(u"name"_s)->text(), u"n2"_s);
        r = cli({u"journal"_s, u"list"_s});
        QCOMPARE(r.exit, 4);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.contains(u"0 readable entries listed; 1 unreadable file was skipped"_s),
                 qPrintable(r.err));
        QCOMPARE(CorruptJournal::fingerprint(bad), before); // never modified, never deleted
    }

    void anUnreadableFileIsNamed()
    {
        // Root reads any file: the CLI then runs as user 65534 (setpriv), for whom the file is
        // unreadable as it would be for the user whose journal it is.
        const QString bad = RecoveryJournal(m_journal).fileOf(u"locked"_s);
        QVERIFY(CorruptJournal::writeFile(bad, m_good));
        QVERIFY(QFile::setPermissions(bad, {}));
        const QFile::Permissions open = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                        QFile::ReadGroup | QFile::ExeGroup | QFile::ReadOther |
                                        QFile::ExeOther;
        QVERIFY(QFile::setPermissions(m_dir.path(), open));
        QVERIFY(QFile::setPermissions(m_journal, open));
        for (const QString &id : std::as_const(m_ids))
            QVERIFY(QFile::setPermissions(RecoveryJournal(m_journal).fileOf(id), open));
        QStringList prefix;
        if (CorruptJournal::runningAsRoot()) {
            const QString setpriv = QStandardPaths::findExecutable(u"setpriv"_s);
            QVERIFY2(!setpriv.isEmpty(),
                     "running as root, which reads any file, and without setpriv "
                     "(util-linux) to run the CLI as another user");
            qInfo("running as root: the CLI runs as user 65534 through setpriv");
            prefix = {setpriv, u"--reuid=65534"_s, u"--regid=65534"_s, u"--clear-groups"_s};
        }
        const Run r = cli({u"journal"_s, u"list"_s}, prefix);
        QCOMPARE(r.exit, 4);
        QCOMPARE(listedIds(r), m_ids);
        QVERIFY2(r.err.contains(u"%1: cannot be read: Permission denied"_s.arg(bad)),
                 qPrintable(r.err));
        QCOMPARE(QFileInfo(bad).size(), qint64(m_good.size()));
    }

    void anUnreadableFolderIsNotAnEmptyJournal()
    {
        QVERIFY(CorruptJournal::writeFile(m_journal + u".file"_s, "x"));
        m_journal += u".file"_s; // a file where the folder should be
        const Run r = cli({u"journal"_s, u"list"_s});
        QCOMPARE(r.exit, 3);
        QVERIFY2(r.err.contains(u"is not a folder"_s), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TstJournalCli)
#include "tst_journalcli.moc"
