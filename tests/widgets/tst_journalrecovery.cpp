// The recovery dialog shown at the start when the key change journal has entries: entries left
// by real failed key changes (a FaultyStore wrapping a real SQLite store fails the put and the
// restore), restored at their old key, at their new key, saved to a file, a taken key refused
// in place without overwriting, an entry of another store file, and an unreadable file.

#include "model/json/jsoncodec.h"
#include "model/rekey/rekeyengine.h"
#include "model/store/open/demodata.h"
#include "model/store/open/storerunner.h"
#include "model/store/sqlite/sqlitestore.h"
#include "tests/common/corruptjournal.h"
#include "tests/common/faultystore.h"
#include "widgets/common/messagebar.h"
#include "widgets/rekey/journalrecoverydialog.h"

#include <QClipboard>
#include <QFile>
#include <QGuiApplication>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TstJournalRecovery : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_n = 0;
    QString m_path;
    QString m_journalDir;
    std::unique_ptr<StoreRunner> m_runner;
    QMap<QString, QByteArray> m_before; // stored JSON of the journalled records, by old key
    QByteArray m_good;                  // a good entry's text, to damage

    static QString userKey(int i) { return u"user-%1"_s.arg(i, 7, 10, QLatin1Char('0')); }

    // Key changes of users `from`..`to` whose put and restore both fail: journal entries.
    void leaveInJournal(const QString &path, const QList<int> &users)
    {
        auto store = SqliteStore::open(path, SqliteStore::OpenMode::OpenExisting);
        QVERIFY(store);
        FaultyStore faulty(**store);
        RecoveryJournal journal(m_journalDir);
        RekeyEngine engine(faulty, journal);
        for (int i : users) {
            m_before.insert(
                userKey(i),
                JsonCodec::toStored(
                    (*store)->getRecord(u"users"_s, Value::string(userKey(i)))->value()));
            faulty.failOn(u"writeRaw"_s, ErrorKind::Unavailable, 0, 2);
            const RekeyOutcome o =
                engine.run(u"users"_s, Value::string(userKey(i)),
                           Value::string(u"moved-%1"_s.arg(i)), RekeyStrategy::RemovePutRestore);
            QCOMPARE(int(o.state), int(RekeyOutcome::State::InJournal));
            QTest::qWait(2); // distinct creation times: the dialog lists the oldest first
        }
    }
    std::optional<Value> get(const QString &key)
    {
        auto r =
            m_runner
                ->run([key](RecordStore &s) { return s.getRecord(u"users"_s, Value::string(key)); })
                .result();
        if (!r)
            qFatal("get failed");
        return *r;
    }
    static QString result(JournalRecoveryDialog &d, int row)
    {
        return d.findChild<QTableWidget *>(u"journalEntries"_s)->item(row, 5)->text();
    }
    QByteArray good()
    {
        if (m_good.isEmpty())
            m_good = CorruptJournal::goodEntryText(m_dir.filePath(u"scratch"_s));
        return m_good;
    }
    static QPushButton *button(JournalRecoveryDialog &d, const QString &name)
    {
        return d.findChild<QPushButton *>(name);
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void init()
    {
        m_path = m_dir.filePath(u"s%1.structdesk"_s.arg(++m_n));
        m_journalDir = m_dir.filePath(u"journal%1"_s.arg(m_n));
        m_before.clear();
        QVERIFY(DemoData::createDemoStore(m_path, 40));
        leaveInJournal(m_path, {1, 2, 3, 4});
        m_runner = std::make_unique<StoreRunner>();
        QVERIFY(m_runner->open(m_path).result());
    }

    void cleanup() { m_runner.reset(); }

    void listsEveryEntry()
    {
        QVERIFY(JournalRecoveryDialog::hasEntries(m_journalDir));
        QVERIFY(!JournalRecoveryDialog::hasEntries(m_dir.filePath(u"nothing-here"_s)));
        JournalRecoveryDialog d(m_runner.get(), m_journalDir);
        d.show();
        QCOMPARE(d.entryCount(), 4);
        QCOMPARE(d.pendingCount(), 4);
        auto *list = d.findChild<QTableWidget *>(u"journalEntries"_s);
        QVERIFY(list);
        QCOMPARE(list->item(0, 0)->text(), u"users"_s);
        QCOMPARE(list->item(0, 1)->text(), u"\"user-0000001\" → \"moved-1\""_s);
        QVERIFY(!list->item(0, 2)->text().isEmpty());
        QCOMPARE(list->item(0, 3)->text(), u"removed from the old key"_s);
        QCOMPARE(list->item(0, 4)->text(), u"s%1.structdesk"_s.arg(m_n));
        QCOMPARE(result(d, 0), u"in the journal"_s);
        // The selected entry's record, as it was stored.
        const QString json = d.findChild<QPlainTextEdit *>(u"journalRecord"_s)->toPlainText();
        QVERIFY2(json.contains(u"\"userId\": \"user-0000001\""_s), qPrintable(json));
        for (const char *name :
             {"restoreOldButton", "restoreNewButton", "saveFileButton", "closeButton"})
            QVERIFY2(button(d, QString::fromLatin1(name))->isEnabled(), name);
    }

    void restoresAtTheOldAndTheNewKey()
    {
        JournalRecoveryDialog d(m_runner.get(), m_journalDir);
        QSignalSpy restored(&d, &JournalRecoveryDialog::recordRestored);
        d.show();
        d.selectEntry(0);
        QTest::mouseClick(button(d, u"restoreOldButton"_s), Qt::LeftButton);
        QTRY_COMPARE(restored.count(), 1);
        QVERIFY2(result(d, 0).contains(u"restored at userId=\"user-0000001\""_s),
                 qPrintable(result(d, 0)));
        QCOMPARE(restored[0][0].toString(), u"users"_s);
        QCOMPARE(restored[0][1].value<Value>(), Value::string(userKey(1)));
        QCOMPARE(JsonCodec::toStored(*get(userKey(1))), m_before.value(userKey(1))); // exactly
        QVERIFY(!get(u"moved-1"_s));
        QCOMPARE(d.pendingCount(), 3);
        // The resolved entry takes no more actions; the next one is selected.
        QCOMPARE(d.findChild<QTableWidget *>(u"journalEntries"_s)->currentRow(), 1);

        QTest::mouseClick(button(d, u"restoreNewButton"_s), Qt::LeftButton);
        QTRY_COMPARE(restored.count(), 2);
        QVERIFY(!get(userKey(2)));
        Value expected = *JsonCodec::parseStored(m_before.value(userKey(2)));
        expected.mapRef().insert(u"userId"_s, Value::string(u"moved-2"_s));
        QCOMPARE(JsonCodec::toStored(*get(u"moved-2"_s)), JsonCodec::toStored(expected));

        d.selectEntry(0);
        QVERIFY(!button(d, u"restoreOldButton"_s)->isEnabled());
        QCOMPARE(RecoveryJournal(m_journalDir).entries()->size(), size_t(2));
    }

    void aTakenKeyIsRefusedInPlaceAndTheRecordSavedToAFile()
    {
        // Someone created another record at user-0000003 meanwhile.
        QVERIFY(m_runner
                    ->run([](RecordStore &s) {
                        return s.writeRaw(u"users"_s,
                                          *JsonCodec::parsePlain(
                                              R"({"userId":"user-0000003","username":"Other"})"),
                                          true);
                    })
                    .result());
        JournalRecoveryDialog d(m_runner.get(), m_journalDir);
        QSignalSpy resolved(&d, &JournalRecoveryDialog::entryResolved);
        d.show();
        d.selectEntry(2);
        QTest::mouseClick(button(d, u"restoreOldButton"_s), Qt::LeftButton);
        QTRY_COMPARE(resolved.count(), 1);
        QCOMPARE(resolved[0][1].toBool(), false);
        QVERIFY2(result(d, 2).contains(u"another record"_s), qPrintable(result(d, 2)));
        auto *messages = d.findChild<MessageBar *>(u"journalMessages"_s);
        QVERIFY(messages->isVisible());
        QCOMPARE(messages->kind(), MessageBar::Kind::Error);
        QCOMPARE(get(userKey(3))->find(u"username"_s)->text(), u"Other"_s); // not overwritten
        QCOMPARE(d.pendingCount(), 4);
        QVERIFY(
            button(d, u"saveFileButton"_s)->isEnabled()); // the entry is kept: other actions work

        const QString file = m_dir.filePath(u"saved%1.json"_s.arg(m_n));
        d.setSaveFileName(file);
        QTest::mouseClick(button(d, u"saveFileButton"_s), Qt::LeftButton);
        QCOMPARE(resolved.count(), 2);
        QCOMPARE(resolved[1][1].toBool(), true);
        QVERIFY(result(d, 2).startsWith(u"Saved to"_s));
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        auto item = JsonCodec::parseDynamoItem(f.readAll());
        QVERIFY(item);
        QCOMPARE(JsonCodec::toStored(*item), m_before.value(userKey(3)));
        QCOMPARE(RecoveryJournal(m_journalDir).entries()->size(), size_t(3));
    }

    void aRecordAlreadySafeIsJustCleared()
    {
        // The record reached its new key after all (another client retried): nothing is written.
        Value moved = *JsonCodec::parseStored(m_before.value(userKey(4)));
        moved.mapRef().insert(u"userId"_s, Value::string(u"moved-4"_s));
        QVERIFY(
            m_runner->run([moved](RecordStore &s) { return s.writeRaw(u"users"_s, moved, true); })
                .result());
        JournalRecoveryDialog d(m_runner.get(), m_journalDir);
        QSignalSpy resolved(&d, &JournalRecoveryDialog::entryResolved);
        d.show();
        d.selectEntry(3);
        QTest::mouseClick(button(d, u"restoreOldButton"_s), Qt::LeftButton);
        QTRY_COMPARE(resolved.count(), 1);
        QVERIFY2(result(d, 3).contains(u"already safe"_s), qPrintable(result(d, 3)));
        QVERIFY(!get(userKey(4))); // not duplicated at the old key
    }

    void everyEntryResolvedEmptiesTheJournal()
    {
        JournalRecoveryDialog d(m_runner.get(), m_journalDir);
        QSignalSpy resolved(&d, &JournalRecoveryDialog::entryResolved);
        d.show();
        for (int i = 0; i < 4; ++i) {
            d.selectEntry(i);
            d.restoreToOldKey();
            QTRY_COMPARE(resolved.count(), i + 1);
        }
        QCOMPARE(d.pendingCount(), 0);
        QVERIFY(d.findChild<MessageBar *>(u"journalMessages"_s)
                    ->text()
                    .contains(u"journal is empty"_s));
        QVERIFY(!JournalRecoveryDialog::hasEntries(m_journalDir));
        for (int i = 1; i <= 4; ++i)
            QCOMPARE(JsonCodec::toStored(*get(userKey(i))), m_before.value(userKey(i)));
    }

    void anEntryOfAnotherStoreIsRestoredThere()
    {
        const QString other = m_dir.filePath(u"other%1.structdesk"_s.arg(m_n));
        QVERIFY(DemoData::createDemoStore(other, 10));
        leaveInJournal(other, {7});
        JournalRecoveryDialog d(m_runner.get(), m_journalDir);
        QSignalSpy resolved(&d, &JournalRecoveryDialog::entryResolved);
        d.show();
        QCOMPARE(d.entryCount(), 5);
        d.selectEntry(4);
        QCOMPARE(d.findChild<QTableWidget *>(u"journalEntries"_s)->item(4, 4)->text(),
                 u"other%1.structdesk"_s.arg(m_n));
        d.restoreToOldKey();
        QTRY_COMPARE(resolved.count(), 1);
        QVERIFY2(resolved[0][1].toBool(), qPrintable(resolved[0][2].toString()));
        auto store = SqliteStore::open(other, SqliteStore::OpenMode::OpenExisting);
        QVERIFY(store);
        QCOMPARE(JsonCodec::toStored(
                     (*store)->getRecord(u"users"_s, Value::string(userKey(7)))->value()),
                 m_before.value(userKey(7)));
        QVERIFY(get(userKey(7))); // the open store is untouched
        QVERIFY(!get(u"moved-7"_s));
    }

    void anUnreadableFileIsListedWithoutActions()
    {
        QFile broken(m_journalDir + u"/broken.json"_s);
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("{ not json");
        broken.close();
        JournalRecoveryDialog d(m_runner.get(), m_journalDir);
        d.show();
        QCOMPARE(d.entryCount(), 5);
        int row = -1;
        for (int r = 0; r < 5; ++r)
            if (result(d, r).startsWith(u"unreadable"_s))
                row = r;
        QVERIFY(row >= 0);
        d.selectEntry(row);
        QVERIFY(!button(d, u"restoreOldButton"_s)->isEnabled());
        QVERIFY(!button(d, u"saveFileButton"_s)->isEnabled());
        d.selectEntry(row == 0 ? 1 : 0);
        QVERIFY(button(d, u"restoreOldButton"_s)->isEnabled());
    }

    // Every kind of damaged file: listed greyed beside the four good entries with its file and
    // why, the good ones still restore, Open Folder and Copy Path lead to it, and it is never
    // modified or deleted.
    void everyKindOfBadFileIsShownBesideTheGoodOnes_data()
    {
        QTest::addColumn<int>("kind");
        const auto kinds = CorruptJournal::kinds(good());
        for (int i = 0; i < kinds.size(); ++i)
            QTest::newRow(qPrintable(kinds[i].name)) << i;
    }

    void everyKindOfBadFileIsShownBesideTheGoodOnes()
    {
        QFETCH(int, kind);
        const CorruptJournal::Kind k = CorruptJournal::kinds(good())[kind];
        const QString bad = RecoveryJournal(m_journalDir).fileOf(u"0-bad"_s);
        QVERIFY(k.make(bad));
        const QByteArray before = CorruptJournal::fingerprint(bad);
        QVERIFY(JournalRecoveryDialog::hasEntries(m_journalDir));

        JournalRecoveryDialog d(m_runner.get(), m_journalDir);
        QStringList opened;
        d.setOpenFolderHandler([&opened](const QString &dir) { opened << dir; });
        QSignalSpy restored(&d, &JournalRecoveryDialog::recordRestored);
        d.show();
        QCOMPARE(d.entryCount(), 5);
        QCOMPARE(d.badCount(), 1);
        auto *list = d.findChild<QTableWidget *>(u"journalEntries"_s);
        // The good entries first, oldest first; the bad file last.
        for (int r = 0; r < 4; ++r)
            QCOMPARE(result(d, r), u"in the journal"_s);
        QCOMPARE(list->item(4, 0)->text(), u"0-bad.json"_s);
        QCOMPARE(list->item(4, 1)->text(), u"unreadable journal file"_s);
        QVERIFY2(result(d, 4).startsWith(u"unreadable: "_s), qPrintable(result(d, 4)));
        QVERIFY2(result(d, 4).contains(k.reason), qPrintable(result(d, 4)));
        const QColor grey = d.palette().color(QPalette::Disabled, QPalette::Text);
        for (int c = 0; c < list->columnCount(); ++c) {
            QCOMPARE(list->item(4, c)->foreground().color(), grey);
            QVERIFY(list->item(4, c)->toolTip().startsWith(bad + u": "_s));
        }
        auto *messages = d.findChild<MessageBar *>(u"journalMessages"_s);
        QCOMPARE(messages->kind(), MessageBar::Kind::Warning);
        QVERIFY2(messages->text().contains(u"1 file of the recovery journal cannot be read"_s),
                 qPrintable(messages->text()));

        d.selectEntry(4);
        for (const char *name : {"restoreOldButton", "restoreNewButton", "saveFileButton"})
            QVERIFY2(!button(d, QString::fromLatin1(name))->isEnabled(), name);
        const QString detail = d.findChild<QPlainTextEdit *>(u"journalRecord"_s)->toPlainText();
        QVERIFY2(detail.contains(bad) && detail.contains(k.reason), qPrintable(detail));
        QVERIFY(button(d, u"copyPathButton"_s)->isEnabled());
        QTest::mouseClick(button(d, u"copyPathButton"_s), Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), bad);
        QTest::mouseClick(button(d, u"openFolderButton"_s), Qt::LeftButton);
        QCOMPARE(opened, QStringList{m_journalDir});

        // The good ones restore beside it.
        d.selectEntry(0);
        QTest::mouseClick(button(d, u"restoreOldButton"_s), Qt::LeftButton);
        QTRY_COMPARE(restored.count(), 1);
        QCOMPARE(JsonCodec::toStored(*get(userKey(1))), m_before.value(userKey(1)));
        d.reload();
        QCOMPARE(d.entryCount(), 4);
        QCOMPARE(d.badCount(), 1);
        QCOMPARE(CorruptJournal::fingerprint(bad), before); // never modified, never deleted
    }

    void badEntryScreenshot()
    {
        const QString bad = RecoveryJournal(m_journalDir).fileOf(u"20261201-101500-3f2a9c1e"_s);
        QVERIFY(CorruptJournal::writeFile(bad, good().left(good().size() / 2)));
        JournalRecoveryDialog d(m_runner.get(), m_journalDir);
        d.resize(1280, 800);
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        d.selectEntry(4);
        const QString out = qEnvironmentVariable("STRUCTDESK_SCREENSHOT_DIR", m_dir.path());
        QVERIFY(d.grab().save(out + u"/journal-bad-entry.png"_s));
        qInfo("screenshot: %s/journal-bad-entry.png", qPrintable(out));
    }
};

QTEST_MAIN(TstJournalRecovery)
#include "tst_journalrecovery.moc"
