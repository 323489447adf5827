// The main window's record actions: the key change wizard (Ctrl+K), bulk key changes
// (Ctrl+Shift+K) and the recovery journal offered at start.

#include "model/demodata.h"
#include "model/recordtablemodel.h"
#include "model/recoveryjournal.h"
#include "widgets/bulkrekeydialog.h"
#include "widgets/journalrecoverydialog.h"
#include "widgets/mainwindow.h"
#include "widgets/recordgridview.h"
#include "widgets/rekeywizard.h"

#include <QItemSelectionModel>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TstMainWindowActions : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_store;
    QString m_journal;

    std::unique_ptr<MainWindow> openWindow()
    {
        auto window = std::make_unique<MainWindow>();
        window->resize(1280, 800);
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            return nullptr;
        window->openStore(m_store);
        return window;
    }

    static RecordGridView *grid(MainWindow *w) { return w->findChild<RecordGridView *>(u"recordGrid"_s); }

    template<typename T>
    static T *visibleChild(MainWindow *w)
    {
        for (T *child : w->findChildren<T *>()) {
            if (child->isVisible())
                return child;
        }
        return nullptr;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"StructDesk"_s);
        QCoreApplication::setApplicationName(u"StructDesk"_s);
        QSettings().clear();
        QVERIFY(m_dir.isValid());
        m_store = m_dir.filePath(u"demo.structdesk"_s);
        QVERIFY(DemoData::createDemoStore(m_store, 200));
        m_journal = m_dir.filePath(u"journal"_s);
        qputenv("STRUCTDESK_JOURNAL", m_journal.toUtf8());
    }

    void ctrlKOpensTheWizardOnTheCurrentRecord()
    {
        auto w = openWindow();
        QVERIFY(w);
        RecordTableModel *model = w->recordModel();
        QTRY_COMPARE(model->rowCount(), 200);
        QTRY_VERIFY(model->index(3, 0).data(RecordTableModel::LoadedRole).toBool());
        grid(w.get())->setCurrentIndex(model->index(3, 0));
        grid(w.get())->setFocus();
        QTest::keyClick(grid(w.get()), Qt::Key_K, Qt::ControlModifier);
        QTRY_VERIFY(visibleChild<RekeyWizard>(w.get()));
        visibleChild<RekeyWizard>(w.get())->reject();
    }

    void ctrlShiftKOpensBulkChangeForTheSelection()
    {
        auto w = openWindow();
        QVERIFY(w);
        RecordTableModel *model = w->recordModel();
        QTRY_COMPARE(model->rowCount(), 200);
        QTRY_VERIFY(model->index(5, 0).data(RecordTableModel::LoadedRole).toBool());
        auto *selection = grid(w.get())->selectionModel();
        selection->select(model->index(4, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
        selection->select(model->index(5, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
        grid(w.get())->setFocus();
        QTest::keyClick(grid(w.get()), Qt::Key_K, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_VERIFY(visibleChild<BulkRekeyDialog>(w.get()));
        visibleChild<BulkRekeyDialog>(w.get())->reject();
    }

    void journalEntriesAreOfferedAtStart()
    {
        RecoveryJournal journal(m_journal);
        RecoveryJournal::Entry e;
        e.location = m_store;
        e.table = u"users"_s;
        e.oldKey = Value::string(u"lost-1"_s);
        e.newKey = Value::string(u"lost-2"_s);
        e.record = Value::map({{u"userId"_s, e.oldKey}, {u"username"_s, Value::string(u"x"_s)}});
        e.strategy = u"remove-put-restore"_s;
        auto id = journal.add(e);
        QVERIFY(id);
        auto w = openWindow();
        QVERIFY(w);
        QTRY_VERIFY(visibleChild<JournalRecoveryDialog>(w.get()));
        QCOMPARE(visibleChild<JournalRecoveryDialog>(w.get())->pendingCount(), 1);
        visibleChild<JournalRecoveryDialog>(w.get())->reject();
        QVERIFY(journal.remove(*id));
    }
};

QTEST_MAIN(TstMainWindowActions)
#include "tst_mainwindowactions.moc"
