// The check table dialog offscreen on a real SQLite store: the failing records of the demo
// store are exactly the ones invalid on purpose, a failing record opens with a double-click,
// Return or the button, the report has the CLI's lines, the list is capped, a filter narrows
// the check, Cancel and closing stop it, and a table that passes says so.

#include "model/store/open/demodata.h"
#include "model/store/open/storerunner.h"
#include "tests/common/demostores.h"
#include "tests/common/namedchild.h"
#include "widgets/common/messagebar.h"
#include "widgets/schema/checktabledialog.h"

#include <QFile>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QScopeGuard>
#include <QSemaphore>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include <atomic>
#include <set>

using namespace Qt::StringLiterals;

class TstCheckTable : public QObject
{
    Q_OBJECT

private:
    DemoStores m_stores;

    static QString userKey(quint64 i) { return u"user-%1"_s.arg(i, 7, 10, QLatin1Char('0')); }
    static QStringList invalidKeys(quint64 records, quint64 from = 0, quint64 to = ~0ull)
    {
        QStringList keys;
        for (quint64 i = from; i < std::min(records, to); ++i) {
            if (DemoData::isInvalidOnPurpose(i))
                keys << userKey(i);
        }
        return keys;
    }
    static QStringList listedKeys(QTreeWidget *list)
    {
        QStringList keys;
        for (int i = 0; i < list->topLevelItemCount(); ++i)
            keys << list->topLevelItem(i)->text(0);
        return keys;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_stores.isValid());
    }

    void cleanup() { m_stores.close(); }

    void failingRecordsAreTheInvalidOnes()
    {
        m_stores.open(2500);
        const QStringList expected = invalidKeys(2500);
        QVERIFY(expected.size() >= 3);

        CheckTableDialog d(m_stores.runner(), u"users"_s, ScanRequest{});
        QSignalSpy finished(&d, &CheckTableDialog::finished);
        d.show(); // starts the check
        QVERIFY(d.isRunning());
        QVERIFY(finished.wait(20000));
        QVERIFY(!d.isRunning());
        QCOMPARE(finished.front().at(0).toLongLong(), 2500);
        QCOMPARE(finished.front().at(1).toLongLong(), qint64(expected.size()));
        QCOMPARE(d.failingCount(), int(expected.size()));

        auto *list = child<QTreeWidget>(&d, u"failingList"_s);
        QCOMPARE(listedKeys(list), expected);
        QStringList fromRecords;
        for (const FailingRecord &r : d.listedRecords())
            fromRecords << r.key.text();
        QCOMPARE(fromRecords, expected);
        // Each problem is a child row: its field path and message.
        QTreeWidgetItem *first = list->topLevelItem(0);
        QVERIFY(first->childCount() >= 1);
        QCOMPARE(first->childCount(), int(d.listedRecords().front().problems.size()));
        QCOMPARE(first->child(0)->text(1), d.listedRecords().front().problems.front().message);

        QCOMPARE(child<QLabel>(&d, u"checkSummary"_s)->text(),
                 u"%1 of %2 records fail the model."_s.arg(expected.size())
                     .arg(QLocale().toString(2500)));
        QVERIFY(!child<QProgressBar>(&d, u"checkProgress"_s)->isVisible());
        QVERIFY(!child<QPushButton>(&d, u"cancelCheckButton"_s)->isVisible());
        QVERIFY(child<QPushButton>(&d, u"saveReportButton"_s)->isEnabled());

        // The report: the CLI's lines, one per failing record.
        QSignalSpy saved(&d, &CheckTableDialog::reportSaved);
        const QString report = m_stores.filePath(u"report%1.txt"_s.arg(m_stores.serial()));
        QVERIFY(d.saveReport(report));
        QCOMPARE(saved.count(), 1);
        QFile f(report);
        QVERIFY(f.open(QIODevice::ReadOnly | QIODevice::Text));
        const QStringList lines = QString::fromUtf8(f.readAll()).split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), expected.size());
        for (int i = 0; i < lines.size(); ++i) {
            QCOMPARE(lines[i], d.listedRecords()[size_t(i)].toString());
            QVERIFY(lines[i].startsWith(u"\"%1\": "_s.arg(expected[i])));
        }

        // Check Again runs anew with the same outcome.
        QTest::mouseClick(child<QPushButton>(&d, u"checkAgainButton"_s), Qt::LeftButton);
        QVERIFY(d.isRunning());
        QVERIFY(finished.wait(20000));
        QCOMPARE(listedKeys(list), expected);

        d.resize(820, 560);
        QTest::qWait(100); // the layout settles, as it does on screen
        d.grab().save(u"/tmp/h13-checktable.png"_s);
    }

    void failingRecordsOpen()
    {
        m_stores.open(1600);
        const QStringList expected = invalidKeys(1600);
        QVERIFY(expected.size() >= 2);
        CheckTableDialog d(m_stores.runner(), u"users"_s, ScanRequest{});
        QSignalSpy finished(&d, &CheckTableDialog::finished);
        QSignalSpy open(&d, &CheckTableDialog::openRecordRequested);
        d.show();
        QVERIFY(finished.wait(20000));
        auto *list = child<QTreeWidget>(&d, u"failingList"_s);

        // A double-click on the second record.
        QTreeWidgetItem *second = list->topLevelItem(1);
        const QPoint at = list->visualItemRect(second).center();
        // As a user does it: QTest::mouseDClick alone sends no first press in Qt 6.4.
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(open.count(), 0); // one click only selects
        QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(open.count(), 1);
        QCOMPARE(open.takeFirst().front().value<Value>(), Value::string(expected[1]));

        // Return on a problem row opens its record (once: no button steals the key).
        list->setCurrentItem(list->topLevelItem(0)->child(0));
        list->setFocus();
        QTest::keyClick(list, Qt::Key_Return);
        QCOMPARE(open.count(), 1);
        QCOMPARE(open.takeFirst().front().value<Value>(), Value::string(expected[0]));

        // The button opens the current one.
        list->setCurrentItem(second);
        auto *button = child<QPushButton>(&d, u"openRecordButton"_s);
        QVERIFY(button->isEnabled());
        QTest::mouseClick(button, Qt::LeftButton);
        QCOMPARE(open.count(), 1);
        QCOMPARE(open.takeFirst().front().value<Value>(), Value::string(expected[1]));
    }

    void theListIsCapped()
    {
        m_stores.open(2500);
        const QStringList expected = invalidKeys(2500);
        CheckTableDialog d(m_stores.runner(), u"users"_s, ScanRequest{});
        d.setRowLimit(2);
        QSignalSpy finished(&d, &CheckTableDialog::finished);
        d.show();
        QVERIFY(finished.wait(20000));
        QCOMPARE(d.failingCount(), int(expected.size()));
        QCOMPARE(d.listedRecords().size(), size_t(2));
        auto *list = child<QTreeWidget>(&d, u"failingList"_s);
        QCOMPARE(list->topLevelItemCount(), 3);
        QCOMPARE(list->topLevelItem(2)->text(0), u"… and %1 more"_s.arg(expected.size() - 2));
        // The "more" row opens nothing.
        QSignalSpy open(&d, &CheckTableDialog::openRecordRequested);
        list->setCurrentItem(list->topLevelItem(2));
        QVERIFY(!child<QPushButton>(&d, u"openRecordButton"_s)->isEnabled());
        QTest::keyClick(list, Qt::Key_Return);
        QCOMPARE(open.count(), 0);
        // The report still has every failing record.
        const QString report = m_stores.filePath(u"capped%1.txt"_s.arg(m_stores.serial()));
        QVERIFY(d.saveReport(report));
        QFile f(report);
        QVERIFY(f.open(QIODevice::ReadOnly | QIODevice::Text));
        QCOMPARE(QString::fromUtf8(f.readAll()).split(u'\n', Qt::SkipEmptyParts).size(),
                 expected.size());
    }

    void aFilterNarrowsTheCheck()
    {
        m_stores.open(2500);
        ScanRequest filter;
        filter.conditions.push_back(
            FilterCondition{{u"userId"_s}, FilterOp::BeginsWith, Value::string(u"user-00007"_s)});
        CheckTableDialog d(m_stores.runner(), u"users"_s, filter);
        QVERIFY(child<QLabel>(&d, u"checkScope"_s)->text().contains(u"match the filter"_s));
        QSignalSpy finished(&d, &CheckTableDialog::finished);
        d.show();
        QVERIFY(finished.wait(20000));
        QCOMPARE(d.checkedCount(), 100);
        QCOMPARE(listedKeys(child<QTreeWidget>(&d, u"failingList"_s)), invalidKeys(2500, 700, 800));
        QVERIFY(child<QLabel>(&d, u"checkSummary"_s)->text().contains(u"matching records"_s));
    }

    void aPassingTableSaysSo()
    {
        m_stores.open(300);
        QVERIFY(invalidKeys(300).isEmpty());
        CheckTableDialog d(m_stores.runner(), u"users"_s, ScanRequest{});
        QSignalSpy finished(&d, &CheckTableDialog::finished);
        d.start(); // before showing: showing does not start another
        d.show();
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.front().at(1).toLongLong(), 0);
        QCOMPARE(child<QLabel>(&d, u"checkSummary"_s)->text(),
                 u"All %1 records pass the model."_s.arg(QLocale().toString(300)));
        // No empty pane: one row says so, and it opens nothing.
        auto *list = child<QTreeWidget>(&d, u"failingList"_s);
        QCOMPARE(list->topLevelItemCount(), 1);
        QCOMPARE(list->topLevelItem(0)->text(0), u"No failing record"_s);
        QVERIFY(d.listedRecords().empty());
        QVERIFY(!child<QPushButton>(&d, u"saveReportButton"_s)->isEnabled());
        QVERIFY(!child<QPushButton>(&d, u"openRecordButton"_s)->isEnabled());
        QTest::qWait(20);
        QCOMPARE(finished.count(), 1);
        d.resize(820, 560);
        QTest::qWait(100); // the layout settles, as it does on screen
        d.grab().save(u"/tmp/h13-checktable-pass.png"_s);
    }

    void aMissingTableIsAnErrorInPlace()
    {
        m_stores.open(10);
        CheckTableDialog d(m_stores.runner(), u"nosuch"_s, ScanRequest{});
        QSignalSpy finished(&d, &CheckTableDialog::finished);
        d.show();
        QVERIFY(finished.wait(20000));
        auto *messages = child<MessageBar>(&d, u"checkMessages"_s);
        QVERIFY(messages->isVisible());
        QVERIFY(messages->text().startsWith(u"The check failed"_s));
    }

    void cancelStopsTheCheck()
    {
        m_stores.open(3000);
        QSemaphore reached, proceed;
        // A failing check must not leave the store thread waiting (cleanup would hang).
        auto release = qScopeGuard([&] { proceed.release(100); });
        CheckTableDialog d(m_stores.runner(), u"users"_s, ScanRequest{});
        d.setPageHook([&](qint64 checked) {
            if (checked == 1000) {
                reached.release();
                proceed.acquire();
            }
        });
        QSignalSpy finished(&d, &CheckTableDialog::finished);
        d.show();
        QVERIFY(reached.tryAcquire(1, 10000));
        QVERIFY(d.isRunning());
        // The first page's failing record arrives while the check runs.
        const QStringList firstPage = invalidKeys(3000, 0, 1000);
        QTRY_COMPARE(listedKeys(child<QTreeWidget>(&d, u"failingList"_s)), firstPage);
        QTRY_COMPARE(child<QLabel>(&d, u"checkProgressText"_s)->text(),
                     u"Checked %1 of %2"_s.arg(QLocale().toString(1000), QLocale().toString(3000)));
        QTest::qWait(100); // the layout settles, as it does on screen
        d.grab().save(u"/tmp/h13-checktable-running.png"_s);
        auto *cancel = child<QPushButton>(&d, u"cancelCheckButton"_s);
        QVERIFY(cancel->isVisible() && cancel->isEnabled());
        QVERIFY(!child<QPushButton>(&d, u"checkAgainButton"_s)->isEnabled());
        QTest::mouseClick(cancel, Qt::LeftButton);
        proceed.release();
        QVERIFY(finished.wait(10000));
        QVERIFY(!d.isRunning());
        QCOMPARE(finished.front().at(0).toLongLong(), 1000);
        QCOMPARE(d.failingCount(), int(firstPage.size()));
        QVERIFY(child<QLabel>(&d, u"checkSummary"_s)->text().startsWith(u"Cancelled after"_s));
        QVERIFY(child<QPushButton>(&d, u"checkAgainButton"_s)->isEnabled());
    }

    void closingWhileCheckingIsSafe()
    {
        m_stores.open(3000);
        QSemaphore reached, proceed;
        std::atomic<int> pages{0};
        auto release = qScopeGuard([&] { proceed.release(100); });
        auto *d = new CheckTableDialog(m_stores.runner(), u"users"_s, ScanRequest{});
        d->setPageHook([&](qint64 checked) {
            ++pages;
            if (checked == 1000) {
                reached.release();
                proceed.acquire();
            }
        });
        d->show();
        QVERIFY(reached.tryAcquire(1, 10000));
        d->reject();
        delete d;
        proceed.release();
        auto count =
            m_stores.runner()->run([](RecordStore &s) { return s.count(u"users"_s); }).result();
        QVERIFY(count);
        QCOMPARE(pages.load(), 1);
        QTest::qWait(50); // queued batches find no dialog
    }
};

QTEST_MAIN(TstCheckTable)
#include "tst_checktable.moc"
