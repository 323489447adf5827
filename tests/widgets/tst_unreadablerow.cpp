// The grid on a demo store two of whose records were damaged with the sqlite3 shell: each shows
// as an unreadable row (its key, "unreadable: <reason>", ValidationState::Unreadable) in its
// place, the rest of its page and of the table as usual, in the natural order, sorted and
// filtered; the inspector says why; the export dialog names the skipped ones; nothing is
// written. Keeps screenshots at 1280x800. A store file cut short opens read-only with a
// warning in the window naming the file and what to do.

#include "model/grid/recordtablemodel.h"
#include "model/store/open/storerunner.h"
#include "tests/common/demowindow.h"
#include "tests/common/recordingnotifier.h"
#include "tests/common/sqliteshell.h"
#include "widgets/common/messagebar.h"
#include "widgets/common/notifier.h"
#include "widgets/grid/filterbar.h"
#include "widgets/grid/recordgridview.h"
#include "widgets/grid/recordinspector.h"
#include "widgets/transfer/exportdialog.h"

#include <QAbstractItemModelTester>
#include <QDialog>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

class TstUnreadableRow : public QObject
{
    Q_OBJECT

private:
    DemoWindowFixture m_demo;
    RecordingNotifier m_notifier;
    QString m_before3;
    QString m_before300;

    static RecordGridView *grid(MainWindow *w)
    {
        return w->findChild<RecordGridView *>(u"recordGrid"_s);
    }
    static RecordTableModel::ValidationState state(const QModelIndex &i)
    {
        return i.data(RecordTableModel::ValidationStateRole)
            .value<RecordTableModel::ValidationState>();
    }
    static int rowOfKey(RecordTableModel *model, const QString &key)
    {
        for (int r = 0; r < model->rowCount(); ++r) {
            const QVariant k = model->index(r, 0).data(RecordTableModel::RecordKeyRole);
            if (k.isValid() && k.value<Value>().text() == key)
                return r;
        }
        return -1;
    }

private slots:
    void initTestCase()
    {
        m_demo.init(600);
        Notifier::setInstance(&m_notifier);
        QVERIFY2(!SqliteShell::path().isEmpty(),
                 "the sqlite3 shell is not installed (make deps installs it)");
        const auto r = SqliteShell::exec(
            m_demo.store(), u"UPDATE rec_users SET item = '{\"userId\": \"user-0000003\", \"user' "
                            u"WHERE pk = 'user-0000003';"
                            "UPDATE rec_users SET item = '[]' WHERE pk = 'user-0000300'"_s);
        QVERIFY2(r.exit == 0, qPrintable(r.err));
        m_before3 = SqliteShell::rawRow(m_demo.store(), u"users"_s, u"user-0000003"_s);
        m_before300 = SqliteShell::rawRow(m_demo.store(), u"users"_s, u"user-0000300"_s);
    }

    void cleanupTestCase()
    {
        Notifier::setInstance(nullptr);
        // Nothing the window did wrote over the damaged records.
        QCOMPARE(SqliteShell::rawRow(m_demo.store(), u"users"_s, u"user-0000003"_s), m_before3);
        QCOMPARE(SqliteShell::rawRow(m_demo.store(), u"users"_s, u"user-0000300"_s), m_before300);
    }

    void theGridShowsTheUnreadableRowAndTheRestOfThePage()
    {
        auto w = m_demo.openWindow();
        QVERIFY(w);
        RecordTableModel *model = w->recordModel();
        QAbstractItemModelTester tester(model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy failed(model, &RecordTableModel::loadFailed);
        QVERIFY(waitForRow(w.get(), 5));
        QTRY_COMPARE(model->rowCount(), 600);

        const QModelIndex key = model->index(3, 0);
        QCOMPARE(state(key), RecordTableModel::ValidationState::Unreadable);
        QCOMPARE(key.data().toString(), u"user-0000003"_s);
        QCOMPARE(key.data(RecordTableModel::RecordKeyRole).value<Value>(),
                 Value::string(u"user-0000003"_s));
        QVERIFY(!key.data(RecordTableModel::RecordRole).isValid()); // no record to edit or copy
        QVERIFY(!model->recordAt(3));
        QVERIFY(key.data(RecordTableModel::LoadedRole).toBool());
        const QString reason = model->index(3, 1).data().toString();
        QVERIFY2(reason.startsWith(u"unreadable: its stored JSON is damaged (line 1"_s),
                 qPrintable(reason));
        const QString sentence = key.data(RecordTableModel::UnreadableRole).toString();
        QVERIFY2(sentence.contains(u"\"user-0000003\" (row 4)"_s), qPrintable(sentence));
        QCOMPARE(key.data(Qt::ToolTipRole).toString(), sentence);
        QVERIFY(!(model->flags(model->index(3, 2)) & Qt::ItemIsEditable));
        // The rest of the page, as usual.
        for (int r : {0, 1, 2, 4, 5}) {
            QVERIFY(model->index(r, 0).data(RecordTableModel::RecordRole).isValid());
            QVERIFY(state(model->index(r, 0)) != RecordTableModel::ValidationState::Unreadable);
            QVERIFY(model->index(r, 0).data(RecordTableModel::UnreadableRole).toString().isEmpty());
        }
        QCOMPARE(model->index(4, 0).data().toString(), u"user-0000004"_s);

        // Another page: the other damaged record, a list rather than a record.
        grid(w.get())->scrollTo(model->index(300, 0));
        QVERIFY(waitForRow(w.get(), 300));
        QCOMPARE(state(model->index(300, 0)), RecordTableModel::ValidationState::Unreadable);
        QVERIFY2(model->index(300, 1).data().toString().contains(u"is a list, not a record"_s),
                 qPrintable(model->index(300, 1).data().toString()));
        QVERIFY(model->index(301, 0).data(RecordTableModel::RecordRole).isValid());
        QCOMPARE(failed.count(), 0);

        // The inspector says what it is.
        grid(w.get())->scrollTo(model->index(3, 0));
        grid(w.get())->setCurrentIndex(model->index(3, 1));
        auto *inspector = w->findChild<RecordInspector *>();
        QVERIFY(inspector);
        auto *title = inspector->findChild<QLabel *>(u"inspectorTitle"_s);
        auto *problems = inspector->findChild<QLabel *>(u"inspectorProblems"_s);
        QTRY_COMPARE(title->text(), u"user-0000003"_s);
        QVERIFY(problems->isVisible());
        QVERIFY2(problems->text().contains(u"This stored record cannot be read"_s),
                 qPrintable(problems->text()));
        QVERIFY(!inspector->hasRecord());

        // Screenshots: the unreadable row selected (the inspector says why), then another row
        // selected (the unreadable one hatched, with its marker).
        grid(w.get())->scrollToTop();
        QTest::qWait(50);
        const QString out =
            qEnvironmentVariable("STRUCTDESK_SCREENSHOT_DIR", m_demo.filePath(QString()));
        QVERIFY(w->grab().save(out + u"/grid-unreadable-row.png"_s));
        grid(w.get())->setCurrentIndex(model->index(1, 1));
        QTest::qWait(50);
        QVERIFY(w->grab().save(out + u"/grid-unreadable-row-unselected.png"_s));
        qInfo("screenshots: %s/grid-unreadable-row*.png", qPrintable(out));
        grid(w.get())->setCurrentIndex(model->index(3, 1));

        // Editing it is refused with a message, not attempted.
        grid(w.get())->setFocus();
        QTest::keyClick(grid(w.get()), Qt::Key_F2);
        QTest::qWait(100);
        QVERIFY(!visibleChild<QDialog>(w.get()));
    }

    void sortedAndFilteredViewsKeepTheUnreadableRows()
    {
        auto w = m_demo.openWindow();
        QVERIFY(w);
        RecordTableModel *model = w->recordModel();
        QSignalSpy failed(model, &RecordTableModel::loadFailed);
        QVERIFY(waitForRow(w.get(), 1));
        QTRY_COMPARE(model->rowCount(), 600);
        const int age = model->columnOf(u"age"_s);
        QVERIFY(age > 0);
        QSignalSpy finished(model, &RecordTableModel::loadFinished);
        model->sort(age, Qt::DescendingOrder);
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() > 0, 20000);
        QTRY_COMPARE(model->rowCount(), 600);
        QCOMPARE(failed.count(), 0);
        // Both sort with the records that lack the field: at the end, descending.
        for (int r = 598; r < 600; ++r)
            QVERIFY(waitForRow(w.get(), r));
        int unreadable = 0;
        for (int r = 590; r < 600; ++r)
            unreadable +=
                state(model->index(r, 0)) == RecordTableModel::ValidationState::Unreadable;
        QCOMPARE(unreadable, 2);

        finished.clear();
        FilterCondition c;
        c.path = {u"userId"_s};
        c.op = FilterOp::BeginsWith;
        c.operand = Value::string(u"user-00003"_s);
        model->setFilter({c});
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() > 0, 20000);
        QVERIFY(waitForRow(w.get(), 0));
        // user-0000300..399 match; both damaged records pass the filter to be named.
        QCOMPARE(model->rowCount(), 101); // user-0000300..399, and user-0000003 named
        QVERIFY(rowOfKey(model, u"user-0000003"_s) >= 0);
        QVERIFY(rowOfKey(model, u"user-0000300"_s) >= 0);
        QCOMPARE(failed.count(), 0);
    }

    void theExportDialogNamesTheSkippedRecords()
    {
        StoreRunner runner;
        QVERIFY(runner.open(m_demo.store()).result());
        ExportDialog d(&runner, u"users"_s, {}, ScanRequest{}, -1, false);
        d.show();
        d.setScope(ExportDialog::Scope::Table);
        d.setFormat(TransferFormat::JsonLines);
        const QString out = m_demo.filePath(u"export.jsonl"_s);
        d.setFile(out);
        QSignalSpy finished(&d, &ExportDialog::exportFinished);
        QTest::mouseClick(d.findChild<QPushButton *>(u"exportButton"_s), Qt::LeftButton);
        QVERIFY(finished.wait(20000) || finished.count() == 1);
        auto *messages = d.findChild<MessageBar *>(u"exportMessages"_s);
        QCOMPARE(messages->kind(), MessageBar::Kind::Warning);
        QVERIFY2(messages->text().startsWith(u"Exported 598 records to"_s),
                 qPrintable(messages->text()));
        QVERIFY2(messages->text().endsWith(u"2 stored records cannot be read and were skipped: "
                                           "\"user-0000003\", \"user-0000300\"."_s),
                 qPrintable(messages->text()));
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll().count('\n'), 598);
    }

    void aTruncatedStoreOpensReadOnlyWithAWarning()
    {
        const QString cut = m_demo.filePath(u"cut.structdesk"_s);
        QVERIFY(QFile::copy(m_demo.store(), cut));
        {
            QFile f(cut);
            QVERIFY(f.resize(f.size() - 100));
        }
        auto w = std::make_unique<MainWindow>();
        w->resize(1280, 800);
        w->show();
        QVERIFY(QTest::qWaitForWindowExposed(w.get()));
        w->openStore(cut);
        MessageBar *bar = nullptr;
        for (MessageBar *b : w->findChildren<MessageBar *>(u"messageBar"_s))
            if (b->parentWidget() && b->window() == w.get())
                bar = b;
        QVERIFY(bar);
        QTRY_VERIFY_WITH_TIMEOUT(bar->isVisible() && bar->text().contains(u"is damaged"_s), 20000);
        QCOMPARE(bar->kind(), MessageBar::Kind::Warning);
        for (const QString &part :
             {cut, u"it is truncated"_s, u"opened read-only"_s, u"Restore it from a backup"_s})
            QVERIFY2(bar->text().contains(part), qPrintable(bar->text()));
        QVERIFY(waitForRow(w.get(), 5)); // and what can be read shows
        QCOMPARE(w->windowTitle(), u"cut.structdesk (read-only) — StructDesk"_s);
        const QString out =
            qEnvironmentVariable("STRUCTDESK_SCREENSHOT_DIR", m_demo.filePath(QString()));
        QVERIFY(w->grab().save(out + u"/damaged-store-read-only.png"_s));
        qInfo("screenshot: %s/damaged-store-read-only.png", qPrintable(out));
    }
};

QTEST_MAIN(TstUnreadableRow)
#include "tst_unreadablerow.moc"
