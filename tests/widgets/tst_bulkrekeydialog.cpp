// The bulk key change dialog offscreen on a real SQLite store: templates typed in, the preview
// with conflicts highlighted and the run disabled, a run with its outcome list saved, the filter
// scope, and Cancel in the middle of a run.

#include "model/json/jsoncodec.h"
#include "model/store/open/demodata.h"
#include "model/store/open/storerunner.h"
#include "tests/common/demostores.h"
#include "tests/common/namedchild.h"
#include "widgets/rekey/bulkrekeydialog.h"

#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSemaphore>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace Qt::StringLiterals;

class TstBulkRekeyDialog : public QObject
{
    Q_OBJECT

private:
    DemoStores m_stores;
    QString m_journalDir;
    TableModelPtr m_model;

    static QString userKey(int i) { return u"user-%1"_s.arg(i, 7, 10, QLatin1Char('0')); }
    static std::vector<Value> keys(int from, int to)
    {
        std::vector<Value> k;
        for (int i = from; i < to; ++i)
            k.push_back(Value::string(userKey(i)));
        return k;
    }
    bool exists(const QString &key) { return m_stores.user(key).has_value(); }
    static void type(QWidget *w, const QString &name, const QString &text)
    {
        auto *edit = child<QLineEdit>(w, name);
        edit->clear();
        QTest::keyClicks(edit, text);
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_stores.isValid());
    }

    void init()
    {
        m_stores.open(40);
        m_journalDir = m_stores.filePath(u"journal%1"_s.arg(m_stores.serial()));
        auto model =
            m_stores.runner()->run([](RecordStore &s) { return s.model(u"users"_s); }).result();
        QVERIFY(model);
        m_model = *model;
    }

    void cleanup() { m_stores.close(); }

    void previewRunAndSave()
    {
        BulkRekeyDialog d(m_stores.runner(), m_journalDir, u"users"_s, m_model, keys(0, 10));
        d.setPreviewDelay(0);
        QSignalSpy changed(&d, &BulkRekeyDialog::recordsChanged);
        d.show();
        QCOMPARE(child<QLabel>(&d, u"bulkScope"_s)->text(),
                 u"10 selected records of table users."_s);
        auto *run = child<QPushButton>(&d, u"runButton"_s);
        QVERIFY(!run->isEnabled()); // no template yet

        type(&d, u"patternEdit"_s, u"user-"_s);
        type(&d, u"replacementEdit"_s, u"member-"_s);
        QTRY_VERIFY(run->isEnabled());
        auto *preview = child<QTreeWidget>(&d, u"bulkPreview"_s);
        QCOMPARE(preview->topLevelItemCount(), 10);
        QCOMPARE(preview->topLevelItem(3)->text(0), userKey(3));
        QCOMPARE(preview->topLevelItem(3)->text(1), u"member-0000003"_s);
        QCOMPARE(preview->topLevelItem(3)->text(2), u"ready"_s);
        QCOMPARE(run->text(), u"Change 10 keys"_s);
        QVERIFY(
            child<QLabel>(&d, u"previewSummary"_s)->text().startsWith(u"10 records: 10 to move"_s));

        QSignalSpy finished(&d, &BulkRekeyDialog::runFinished);
        QTest::mouseClick(run, Qt::LeftButton);
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(d.outcomes().size(), size_t(10));
        for (int i = 0; i < 10; ++i) {
            QCOMPARE(int(d.outcomes()[size_t(i)].state), int(BulkRekeyOutcome::State::Done));
            QCOMPARE(preview->topLevelItem(i)->text(3), u"done"_s);
            QVERIFY(!exists(userKey(i)));
            QVERIFY(exists(u"member-%1"_s.arg(i, 7, 10, QLatin1Char('0'))));
        }
        QCOMPARE(changed.count(), 1);
        QVERIFY(!run->isEnabled()); // one run per dialog
        QVERIFY(!child<QLineEdit>(&d, u"patternEdit"_s)->isEnabled());

        const QString file = m_stores.filePath(u"outcomes%1.csv"_s.arg(m_stores.serial()));
        d.setSaveFileName(file);
        auto *save = child<QPushButton>(&d, u"saveOutcomesButton"_s);
        QVERIFY(save->isEnabled());
        QTest::mouseClick(save, Qt::LeftButton);
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 11);
        QVERIFY(lines[1].startsWith("user-0000000,member-0000000,done,"));
    }

    void conflictsDisableTheRun()
    {
        BulkRekeyDialog d(m_stores.runner(), m_journalDir, u"users"_s, m_model, keys(0, 14));
        d.setPreviewDelay(0);
        d.show();
        QTest::mouseClick(child<QRadioButton>(&d, u"regexMode"_s), Qt::LeftButton, {},
                          QPoint(8, 8));
        QSignalSpy ready(&d, &BulkRekeyDialog::previewReady);
        type(&d, u"patternEdit"_s, u"user-00000\\d(\\d)"_s);
        type(&d, u"replacementEdit"_s, u"u-\\1"_s);
        QTRY_VERIFY(d.plan().has_value() && d.plan()->keyTemplate.replacement == u"u-\\1"_s);
        QCOMPARE(d.plan()->count(BulkRekeyItem::State::Conflict), 8); // 0..3 and 10..13 collide
        auto *preview = child<QTreeWidget>(&d, u"bulkPreview"_s);
        QVERIFY(preview->topLevelItem(0)->background(0).color() !=
                preview->topLevelItem(5)->background(0).color());
        QVERIFY(preview->topLevelItem(0)->text(2).contains(u"2 records"_s));
        QVERIFY(!child<QPushButton>(&d, u"runButton"_s)->isEnabled());
        QVERIFY(child<QLabel>(&d, u"previewSummary"_s)->text().contains(u"8 conflicts"_s));
        d.run(); // refused: nothing runs
        QVERIFY(!d.isRunning());
        QVERIFY(exists(userKey(0)));

        // A bad expression says so and shows no preview.
        type(&d, u"patternEdit"_s, u"user-(\\d"_s);
        QVERIFY(child<QLabel>(&d, u"templateStatus"_s)->text().contains(u"not valid"_s));
        QVERIFY(!d.plan().has_value());
        QVERIFY(!child<QPushButton>(&d, u"runButton"_s)->isEnabled());
    }

    void everyRecordMatchingTheFilter()
    {
        ScanRequest filter;
        filter.conditions.push_back(
            FilterCondition{{u"userId"_s}, FilterOp::BeginsWith, Value::string(u"user-000002"_s)});
        BulkRekeyDialog d(m_stores.runner(), m_journalDir, u"users"_s, m_model, filter);
        d.setPreviewDelay(0);
        d.show();
        QVERIFY(child<QLabel>(&d, u"bulkScope"_s)
                    ->text()
                    .contains(u"matches the filter (1 condition)"_s));
        d.setTemplate(KeyTemplate{KeyTemplate::Kind::Prefix, u"user-"_s, u"old-"_s});
        QTRY_VERIFY(d.plan().has_value());
        QCOMPARE(d.plan()->items.size(), size_t(10));
        QCOMPARE(child<QTreeWidget>(&d, u"bulkPreview"_s)->topLevelItemCount(), 10);
    }

    void cancelStopsBetweenRecords()
    {
        QSemaphore reached, proceed;
        BulkRekeyDialog d(m_stores.runner(), m_journalDir, u"users"_s, m_model, keys(0, 10));
        d.setPreviewDelay(0);
        d.setRecordHook([&](qsizetype index) {
            if (index == 2) {
                reached.release();
                proceed.acquire();
            }
        });
        QSignalSpy finished(&d, &BulkRekeyDialog::runFinished);
        d.show();
        d.setTemplate(KeyTemplate{KeyTemplate::Kind::Prefix, u"user-"_s, u"moved-"_s});
        auto *run = child<QPushButton>(&d, u"runButton"_s);
        QTRY_VERIFY(run->isEnabled());
        QTest::mouseClick(run, Qt::LeftButton);
        QVERIFY(reached.tryAcquire(1, 5000));
        QVERIFY(d.isRunning());
        auto *cancel = child<QPushButton>(&d, u"cancelRunButton"_s);
        QVERIFY(cancel->isVisible() && cancel->isEnabled());
        QVERIFY(!child<QPushButton>(&d, u"closeButton"_s)->isEnabled());
        QVERIFY(child<QProgressBar>(&d, u"bulkProgress"_s)->isVisible());
        d.reject(); // not while running
        QVERIFY(d.isVisible());
        QTest::mouseClick(cancel, Qt::LeftButton);
        proceed.release();
        QTRY_COMPARE(finished.count(), 1);
        int done = 0;
        for (int i = 0; i < 10; ++i) {
            const auto &o = d.outcomes()[size_t(i)];
            const bool atOld = exists(userKey(i));
            const bool atNew = exists(u"moved-%1"_s.arg(i, 7, 10, QLatin1Char('0')));
            QVERIFY2(atOld != atNew, qPrintable(userKey(i))); // exactly one key
            if (o.state == BulkRekeyOutcome::State::Done)
                ++done;
            else
                QCOMPARE(int(o.state), int(BulkRekeyOutcome::State::NotRun));
        }
        QCOMPARE(done, 3);
        QVERIFY(child<QPushButton>(&d, u"closeButton"_s)->isEnabled());
        QVERIFY(RecoveryJournal(m_journalDir).entries()->empty());
    }
};

QTEST_MAIN(TstBulkRekeyDialog)
#include "tst_bulkrekeydialog.moc"
