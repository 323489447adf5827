// Screenshots of the key change UI on a real store, kept as test artifacts (in the test's build
// folder; with STRUCTDESK_UPDATE_SCREENSHOTS=1 also in resources/screenshots/):
// - rekey-failed-put.png: the wizard's run page after the put failed and the restore ran;
// - rekey-in-journal.png: the summary after the put and the restore failed (save to a file);
// - rekey-journal-recovery.png: the recovery dialog at the next start, one entry restored;
// - rekey-bulk-conflicts.png: the bulk key change preview with conflicts flagged.

#include "model/rekey/rekeyengine.h"
#include "model/store/open/demodata.h"
#include "model/store/open/storerunner.h"
#include "model/store/sqlite/sqlitestore.h"
#include "tests/common/faultystore.h"
#include "widgets/rekey/bulkrekeydialog.h"
#include "widgets/rekey/journalrecoverydialog.h"
#include "widgets/rekey/rekeywizard.h"

#include <QAbstractButton>
#include <QDir>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QSet>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TstRekeyScreenshot : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_n = 0;

    static int distinctColours(const QImage &image)
    {
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 3)
            for (int x = 0; x < image.width(); x += 3)
                colours.insert(image.pixel(x, y));
        return int(colours.size());
    }
    // `keep`: also kept in resources/screenshots/ with STRUCTDESK_UPDATE_SCREENSHOTS=1.
    static void save(const QImage &image, const QString &name, bool keep = true)
    {
        QVERIFY(!image.isNull());
        QVERIFY2(distinctColours(image) > 20, "the screenshot is blank");
        QVERIFY(image.save(QDir::current().filePath(name)));
        qInfo("screenshot: %s", qPrintable(QDir::current().filePath(name)));
        if (keep && qEnvironmentVariableIntValue("STRUCTDESK_UPDATE_SCREENSHOTS") == 1) {
            const QString kept =
                QStringLiteral(STRUCTDESK_SOURCE_DIR "/resources/screenshots/") + name;
            QVERIFY(image.save(kept));
            qInfo("kept: %s", qPrintable(kept));
        }
    }
    QString newStore()
    {
        const QString path = m_dir.filePath(u"s%1.structdesk"_s.arg(++m_n));
        if (!DemoData::createDemoStore(path, 40))
            qFatal("no demo store");
        return path;
    }
    static bool clickNextWhenEnabled(QWizard *w)
    {
        QAbstractButton *b = w->button(w->currentPage()->isCommitPage() ? QWizard::CommitButton
                                                                        : QWizard::NextButton);
        if (!QTest::qWaitFor([b] { return b->isVisible() && b->isEnabled(); }))
            return false;
        QTest::mouseClick(b, Qt::LeftButton);
        return true;
    }
    // Runs the wizard on user-0000003 -> user-0000003-renamed with `writeRawFailures` failures.
    void runWizard(StoreRunner &runner, std::unique_ptr<FaultyStore> &faulty, RekeyWizard &w,
                   int writeRawFailures)
    {
        Q_UNUSED(runner);
        w.setKeyCheckDelay(0);
        w.setStoreInterposer([&faulty, writeRawFailures](RecordStore &real) -> RecordStore & {
            if (!faulty) {
                faulty = std::make_unique<FaultyStore>(real);
                faulty->failOn(u"writeRaw"_s, ErrorKind::Unavailable, 0, writeRawFailures);
            }
            return *faulty;
        });
        w.resize(860, 540);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(clickNextWhenEnabled(&w));
        auto *edit = w.findChild<QLineEdit *>(u"newKeyEdit"_s);
        edit->clear();
        QTest::keyClicks(edit, u"user-0000003-renamed"_s);
        QVERIFY(clickNextWhenEnabled(&w)); // -> strategy (remove -> put -> restore)
        QVERIFY(clickNextWhenEnabled(&w)); // -> preview
        QVERIFY(clickNextWhenEnabled(&w)); // commit -> run
        QTRY_VERIFY(w.outcome().has_value());
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    // The pages before the run, as test artifacts only (build folder).
    void pagesBeforeTheRun()
    {
        StoreRunner runner;
        QVERIFY(runner.open(newStore()).result());
        auto model = runner.run([](RecordStore &s) { return s.model(u"users"_s); }).result();
        QVERIFY(model);
        RekeyWizard w(&runner, m_dir.filePath(u"journal-p"_s), u"users"_s, *model,
                      DemoData::userRecord(3));
        w.setKeyCheckDelay(0);
        w.resize(860, 540);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        save(w.grab().toImage(), u"rekey-page1-record.png"_s, false);
        QVERIFY(clickNextWhenEnabled(&w));
        auto *edit = w.findChild<QLineEdit *>(u"newKeyEdit"_s);
        edit->clear();
        QTest::keyClicks(edit, u"user-0000004"_s);
        QTRY_VERIFY(w.findChild<QLabel *>(u"newKeyStatus"_s)->text().contains(u"already exists"_s));
        save(w.grab().toImage(), u"rekey-page2-taken.png"_s, false);
        edit->clear();
        QTest::keyClicks(edit, u"user-0000003-renamed"_s);
        QVERIFY(clickNextWhenEnabled(&w));
        QTRY_VERIFY(w.findChild<QWidget *>(u"strategyAtomic"_s)->isEnabled());
        save(w.grab().toImage(), u"rekey-page3-strategy.png"_s, false);
        QVERIFY(clickNextWhenEnabled(&w));
        QTRY_VERIFY(w.button(QWizard::CommitButton)->isEnabled());
        save(w.grab().toImage(), u"rekey-page4-preview.png"_s, false);
    }

    void runPageAfterAFailedPut()
    {
        StoreRunner runner;
        QVERIFY(runner.open(newStore()).result());
        auto model = runner.run([](RecordStore &s) { return s.model(u"users"_s); }).result();
        QVERIFY(model);
        std::unique_ptr<FaultyStore> faulty;
        RekeyWizard w(&runner, m_dir.filePath(u"journal-a"_s), u"users"_s, *model,
                      DemoData::userRecord(3));
        runWizard(runner, faulty, w, 1);
        QCOMPARE(int(w.outcome()->state), int(RekeyOutcome::State::RolledBack));
        auto *steps = w.findChild<QTableWidget *>(u"runSteps"_s);
        QCOMPARE(steps->rowCount(), 6);
        QCOMPARE(steps->item(5, 0)->text(), u"Restore"_s);
        QTest::qWait(50);
        save(w.grab().toImage(), u"rekey-failed-put.png"_s);
    }

    void summaryWhenTheRecordIsOnlyInTheJournal()
    {
        StoreRunner runner;
        QVERIFY(runner.open(newStore()).result());
        auto model = runner.run([](RecordStore &s) { return s.model(u"users"_s); }).result();
        QVERIFY(model);
        std::unique_ptr<FaultyStore> faulty;
        RekeyWizard w(&runner, m_dir.filePath(u"journal-b"_s), u"users"_s, *model,
                      DemoData::userRecord(3));
        runWizard(runner, faulty, w, 2);
        QCOMPARE(int(w.outcome()->state), int(RekeyOutcome::State::InJournal));
        QVERIFY(clickNextWhenEnabled(&w));
        QCOMPARE(w.currentId(), int(RekeyWizard::SummaryPageId));
        QTest::qWait(50);
        save(w.grab().toImage(), u"rekey-in-journal.png"_s);
    }

    void journalRecoveryAtTheNextStart()
    {
        const QString path = newStore();
        const QString journalDir = m_dir.filePath(u"journal-c"_s);
        {
            auto store = SqliteStore::open(path, SqliteStore::OpenMode::OpenExisting);
            QVERIFY(store);
            FaultyStore faulty(**store);
            RecoveryJournal journal(journalDir);
            RekeyEngine engine(faulty, journal);
            for (int i : {3, 4, 5}) {
                faulty.failOn(u"writeRaw"_s, ErrorKind::Unavailable, 0, 2);
                const auto o = engine.run(
                    u"users"_s, Value::string(u"user-%1"_s.arg(i, 7, 10, QLatin1Char('0'))),
                    Value::string(u"member-%1"_s.arg(i)), RekeyStrategy::RemovePutRestore);
                QCOMPARE(int(o.state), int(RekeyOutcome::State::InJournal));
            }
        }
        StoreRunner runner;
        QVERIFY(runner.open(path).result());
        JournalRecoveryDialog dialog(&runner, journalDir);
        dialog.resize(960, 560);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QCOMPARE(dialog.entryCount(), 3);
        QSignalSpy resolved(&dialog, &JournalRecoveryDialog::entryResolved);
        dialog.selectEntry(0);
        dialog.restoreToOldKey();
        QTRY_COMPARE(resolved.count(), 1);
        dialog.selectEntry(1);
        QTest::qWait(50);
        save(dialog.grab().toImage(), u"rekey-journal-recovery.png"_s);
    }

    void bulkPreviewWithConflicts()
    {
        StoreRunner runner;
        QVERIFY(runner.open(newStore()).result());
        auto model = runner.run([](RecordStore &s) { return s.model(u"users"_s); }).result();
        QVERIFY(model);
        std::vector<Value> keys;
        for (int i = 0; i < 14; ++i)
            keys.push_back(Value::string(u"user-%1"_s.arg(i, 7, 10, QLatin1Char('0'))));
        BulkRekeyDialog dialog(&runner, m_dir.filePath(u"journal-d"_s), u"users"_s, *model, keys);
        dialog.setPreviewDelay(0);
        dialog.resize(900, 600);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        // user-00000NM -> u-M: keys 0..9 and 10..13 collide on their last digit.
        QSignalSpy ready(&dialog, &BulkRekeyDialog::previewReady);
        dialog.setTemplate(
            KeyTemplate{KeyTemplate::Kind::Regex, u"user-00000\\d(\\d)"_s, u"u-\\1"_s});
        QTRY_VERIFY(dialog.plan().has_value());
        QVERIFY(dialog.plan()->count(BulkRekeyItem::State::Conflict) > 0);
        QTest::qWait(50);
        save(dialog.grab().toImage(), u"rekey-bulk-conflicts.png"_s);
    }
};

QTEST_MAIN(TstRekeyScreenshot)
#include "tst_rekey_screenshot.moc"
