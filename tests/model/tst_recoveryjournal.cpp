// The recovery journal reads each file on its own: a damaged file (every kind of
// tests/common/corruptjournal.h, plus an unreadable file and folder) is listed as bad with its
// file and why, beside the good entries, which it never hides; it is never modified or deleted.

#include "model/rekey/recoveryjournal.h"
#include "tests/common/corruptjournal.h"
#include "tests/common/unprivileged.h"

#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {
constexpr QFile::Permissions kOpen = AsUnprivilegedUser::kOpenFolder;
} // namespace

class TstRecoveryJournal : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_n = 0;
    QString m_journalDir;
    QByteArray m_good;

    /// Two good entries, written the way a key change writes them.
    QStringList addGood(RecoveryJournal &journal)
    {
        QStringList ids;
        for (int i = 1; i <= 2; ++i) {
            RecoveryJournal::Entry e;
            e.location = m_dir.filePath(u"store.structdesk"_s);
            e.table = u"users"_s;
            e.oldKey = Value::string(u"u%1"_s.arg(i));
            e.newKey = Value::string(u"v%1"_s.arg(i));
            e.record = Value::map({{u"userId"_s, Value::string(u"u%1"_s.arg(i))}});
            e.strategy = u"remove-put-restore"_s;
            e.lastStep = u"remove"_s;
            e.created = QDateTime::currentDateTimeUtc().addSecs(i);
            auto id = journal.add(e);
            if (!id)
                qFatal("%s", qPrintable(id.error().toString()));
            ids << *id;
        }
        return ids;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_good = CorruptJournal::goodEntryText(m_dir.filePath(u"scratch"_s));
        QVERIFY(!m_good.isEmpty());
    }

    void init() { m_journalDir = m_dir.filePath(u"journal%1"_s.arg(++m_n)); }

    void aGoodEntryReadsBack()
    {
        RecoveryJournal journal(m_journalDir);
        const QStringList ids = addGood(journal);
        auto listing = journal.list();
        QVERIFY(listing);
        QCOMPARE(listing->entries.size(), size_t(2));
        QVERIFY(listing->bad.empty());
        QCOMPARE(listing->entries[0].id, ids[0]);
        QCOMPARE(listing->entries[0].file, journal.fileOf(ids[0]));
        QCOMPARE(listing->entries[1].oldKey, Value::string(u"u2"_s));
        QVERIFY(journal.entry(ids[1]));
        QVERIFY(journal.setLastStep(ids[1], u"put"_s));
        QCOMPARE(journal.entry(ids[1])->lastStep, u"put"_s);
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
        RecoveryJournal journal(m_journalDir);
        const QStringList ids = addGood(journal);
        const QString bad = journal.fileOf(u"0-bad"_s); // sorts first
        QVERIFY(k.make(bad));
        const QByteArray before = CorruptJournal::fingerprint(bad);

        auto listing = journal.list();
        QVERIFY2(listing, qPrintable(listing ? QString() : listing.error().toString()));
        QCOMPARE(listing->entries.size(), size_t(2));
        QCOMPARE(listing->entries[0].id, ids[0]);
        QCOMPARE(listing->entries[1].id, ids[1]);
        QCOMPARE(listing->bad.size(), size_t(1));
        const RecoveryJournal::BadEntry &b = listing->bad.front();
        QCOMPARE(b.id, u"0-bad"_s);
        QCOMPARE(b.file, bad);
        QVERIFY2(b.reason.contains(k.reason), qPrintable(b.reason));
        QVERIFY(b.toString().startsWith(bad + u": "_s));

        // entries() keeps the good ones; entry() names the bad one and its file.
        QCOMPARE(journal.entries()->size(), size_t(2));
        auto one = journal.entry(u"0-bad"_s);
        QVERIFY(!one);
        QCOMPARE(int(one.error().kind), int(ErrorKind::Invalid));
        QCOMPARE(one.error().location, bad);
        QVERIFY2(one.error().message.contains(u"0-bad"_s), qPrintable(one.error().message));
        QVERIFY2(one.error().message.contains(k.reason), qPrintable(one.error().message));
        QVERIFY(!journal.setLastStep(u"0-bad"_s, u"put"_s));
        // A bad thing that is not a plain file is never removed through the journal either.
        if (!QFileInfo(bad).isFile() || QFileInfo(bad).isSymLink())
            QVERIFY(!journal.remove(u"0-bad"_s));

        QCOMPARE(CorruptJournal::fingerprint(bad), before); // never modified, never deleted
        QCOMPARE(journal.list()->bad.size(), size_t(1));
    }

    void anUnreadableFileIsListedAsBad()
    {
        RecoveryJournal journal(m_journalDir);
        addGood(journal);
        const QString bad = journal.fileOf(u"locked"_s);
        QVERIFY(CorruptJournal::writeFile(bad, m_good));
        QVERIFY(QFile::setPermissions(bad, {}));
        QVERIFY(QFile::setPermissions(m_dir.path(), kOpen));
        QVERIFY(QFile::setPermissions(m_journalDir, kOpen));
        if (CorruptJournal::runningAsRoot())
            qInfo(
                "running as root, which reads any file: the check runs as user 65534 (setresuid)");
        {
            AsUnprivilegedUser user;
            QVERIFY2(user.ok(), "cannot drop root privileges for the permission check");
            auto listing = journal.list();
            QVERIFY2(listing, qPrintable(listing ? QString() : listing.error().toString()));
            QCOMPARE(listing->entries.size(), size_t(2));
            QCOMPARE(listing->bad.size(), size_t(1));
            QVERIFY2(listing->bad[0].reason.contains(u"cannot be read: Permission denied"_s),
                     qPrintable(listing->bad[0].reason));
        }
        QCOMPARE(QFileInfo(bad).size(), qint64(m_good.size()));
        QVERIFY(QFile::setPermissions(bad, QFile::ReadOwner | QFile::WriteOwner));
        QCOMPARE(journal.list()->bad.size(), size_t(0)); // readable again: a good entry
    }

    void anUnreadableFolderSaysSo()
    {
        RecoveryJournal journal(m_journalDir);
        addGood(journal);
        QVERIFY(QFile::setPermissions(m_dir.path(), kOpen));
        QVERIFY(QFile::setPermissions(m_journalDir, QFile::WriteOwner));
        {
            AsUnprivilegedUser user;
            QVERIFY(user.ok());
            auto listing = journal.list();
            QVERIFY(!listing); // not "empty": that would hide the entries
            QCOMPARE(int(listing.error().kind), int(ErrorKind::Unavailable));
            QVERIFY2(listing.error().message.contains(m_journalDir),
                     qPrintable(listing.error().message));
            QVERIFY2(listing.error().message.contains(u"cannot be read"_s),
                     qPrintable(listing.error().message));
        }
        QVERIFY(QFile::setPermissions(m_journalDir,
                                      QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        QCOMPARE(journal.list()->entries.size(), size_t(2));
    }

    void aMissingFolderIsAnEmptyJournalAndAFileIsNotAFolder()
    {
        QVERIFY(RecoveryJournal(m_journalDir).list()->entries.empty());
        QVERIFY(CorruptJournal::writeFile(m_journalDir, "x"));
        auto listing = RecoveryJournal(m_journalDir).list();
        QVERIFY(!listing);
        QVERIFY(listing.error().message.contains(u"is not a folder"_s));
    }

    void aRenamedCopyIsItsOwnEntry()
    {
        RecoveryJournal journal(m_journalDir);
        const QStringList ids = addGood(journal);
        QVERIFY(QFile::copy(journal.fileOf(ids[0]), journal.fileOf(u"copy of it"_s)));
        auto listing = journal.list();
        QCOMPARE(listing->entries.size(), size_t(3));
        QVERIFY(journal.entry(u"copy of it"_s));
        QCOMPARE(journal.entry(u"copy of it"_s)->id, u"copy of it"_s);
        QVERIFY(journal.remove(u"copy of it"_s));
        QVERIFY(QFileInfo::exists(journal.fileOf(ids[0])));
    }

    void unknownIdsAreNotFound()
    {
        RecoveryJournal journal(m_journalDir);
        addGood(journal);
        for (const QString &id : {u"nope"_s, u"../x"_s, u""_s}) {
            auto e = journal.entry(id);
            QVERIFY(!e);
            QCOMPARE(int(e.error().kind), int(ErrorKind::NotFound));
        }
    }
};

QTEST_GUILESS_MAIN(TstRecoveryJournal)
#include "tst_recoveryjournal.moc"
