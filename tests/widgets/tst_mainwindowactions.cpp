// The main window's record actions: the key change wizard (Ctrl+K), bulk key changes
// (Ctrl+Shift+K) and the recovery journal offered at start.

#include "model/grid/recordtablemodel.h"
#include "model/rekey/recoveryjournal.h"
#include "model/store/open/demodata.h"
#include "model/store/sqlite/sqlitestore.h"
#include "tests/common/demowindow.h"
#include "tests/common/recordingnotifier.h"
#include "widgets/common/notifier.h"
#include "widgets/form/recordformdialog.h"
#include "widgets/grid/recordgridview.h"
#include "widgets/rekey/bulkrekeydialog.h"
#include "widgets/rekey/journalrecoverydialog.h"
#include "widgets/rekey/rekeywizard.h"
#include "widgets/window/mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TstMainWindowActions : public QObject
{
    Q_OBJECT

private:
    DemoWindowFixture m_demo;
    RecordingNotifier m_notifier;

    static RecordGridView *grid(MainWindow *w)
    {
        return w->findChild<RecordGridView *>(u"recordGrid"_s);
    }

private slots:
    void initTestCase()
    {
        m_demo.init(200);
        Notifier::setInstance(&m_notifier);
    }

    void cleanupTestCase() { Notifier::setInstance(nullptr); }

    void ctrlNOpensANewRecordFormAndF2TheCurrentOne()
    {
        auto w = m_demo.openWindow();
        QVERIFY(w);
        QVERIFY(waitForRow(w.get(), 2));
        grid(w.get())->setCurrentIndex(w->recordModel()->index(2, 0));
        grid(w.get())->setFocus();
        QTest::keyClick(grid(w.get()), Qt::Key_N, Qt::ControlModifier);
        QTRY_VERIFY(visibleChild<RecordFormDialog>(w.get()));
        visibleChild<RecordFormDialog>(w.get())->reject();
        QTRY_VERIFY(!visibleChild<RecordFormDialog>(w.get()));
        grid(w.get())->setFocus();
        QTest::keyClick(grid(w.get()), Qt::Key_F2);
        QTRY_VERIFY(visibleChild<RecordFormDialog>(w.get()));
        visibleChild<RecordFormDialog>(w.get())->reject();
        QTRY_VERIFY(!visibleChild<RecordFormDialog>(w.get()));
        // Return on a row opens its form too (once).
        grid(w.get())->setFocus();
        QTest::keyClick(grid(w.get()), Qt::Key_Return);
        QTRY_VERIFY(visibleChild<RecordFormDialog>(w.get()));
        int visibleForms = 0;
        for (RecordFormDialog *form : w->findChildren<RecordFormDialog *>())
            visibleForms += form->isVisible();
        QCOMPARE(visibleForms, 1);
        visibleChild<RecordFormDialog>(w.get())->reject();
    }

    void cellEditInPlaceThenUndo()
    {
        auto w = m_demo.openWindow();
        QVERIFY(w);
        RecordTableModel *model = w->recordModel();
        QVERIFY(waitForRow(w.get(), 7));
        const int email = model->columnOf(u"email"_s);
        QVERIFY(email > 0);
        auto emailOf7 = [this] {
            const auto record = m_demo.stored(Value::string(u"user-0000007"_s));
            const Value *v = record ? record->find(u"email"_s) : nullptr;
            return v ? v->text() : u"<absent>"_s;
        };
        const QString before = emailOf7();
        grid(w.get())->setCurrentIndex(model->index(7, email));
        grid(w.get())->setFocus();
        QTest::keyClick(grid(w.get()), Qt::Key_E, Qt::ControlModifier);
        // The in-place editor is a line edit inside the grid (not the search box).
        QLineEdit *editor = nullptr;
        QTRY_VERIFY((editor = grid(w.get())->viewport()->findChild<QLineEdit *>()) != nullptr);
        editor->setFocus();
        editor->selectAll();
        QTest::keyClicks(editor, u"changed@example.com"_s);
        QTest::keyClick(editor, Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(emailOf7(), u"changed@example.com"_s, 20000);
        QVERIFY(!visibleChild<RecordFormDialog>(w.get())); // Return ended the edit, nothing more
        // Undo is itself a checked store operation.
        auto *undo = w->findChild<QAction *>(u"undoAction"_s);
        QVERIFY(undo);
        QTRY_VERIFY(undo->isEnabled());
        grid(w.get())->setFocus();
        QTest::keyClick(grid(w.get()), Qt::Key_Z, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(emailOf7(), before, 20000);
    }

    void deleteKeyDeletesAfterConfirmation()
    {
        auto w = m_demo.openWindow();
        QVERIFY(w);
        RecordTableModel *model = w->recordModel();
        QVERIFY(waitForRow(w.get(), 9));
        QVERIFY(m_demo.stored(Value::string(u"user-0000009"_s)));
        grid(w.get())->setCurrentIndex(model->index(9, 0));
        grid(w.get())->selectionModel()->select(
            model->index(9, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        grid(w.get())->setFocus();
        m_notifier.messages.clear();
        QTest::keyClick(grid(w.get()), Qt::Key_Delete);
        QTRY_VERIFY_WITH_TIMEOUT(!m_demo.stored(Value::string(u"user-0000009"_s)), 20000);
        QVERIFY(!m_notifier.messages.isEmpty()); // it asked first
        auto *undo = w->findChild<QAction *>(u"undoAction"_s);
        QTRY_VERIFY(undo->isEnabled());
        grid(w.get())->setFocus();
        QTest::keyClick(grid(w.get()), Qt::Key_Z, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(m_demo.stored(Value::string(u"user-0000009"_s)), 20000);
    }

    void ctrlKOpensTheWizardOnTheCurrentRecord()
    {
        auto w = m_demo.openWindow();
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
        auto w = m_demo.openWindow();
        QVERIFY(w);
        RecordTableModel *model = w->recordModel();
        QTRY_COMPARE(model->rowCount(), 200);
        QTRY_VERIFY(model->index(5, 0).data(RecordTableModel::LoadedRole).toBool());
        auto *selection = grid(w.get())->selectionModel();
        selection->select(model->index(4, 0),
                          QItemSelectionModel::Select | QItemSelectionModel::Rows);
        selection->select(model->index(5, 0),
                          QItemSelectionModel::Select | QItemSelectionModel::Rows);
        grid(w.get())->setFocus();
        QTest::keyClick(grid(w.get()), Qt::Key_K, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_VERIFY(visibleChild<BulkRekeyDialog>(w.get()));
        visibleChild<BulkRekeyDialog>(w.get())->reject();
    }

    void journalEntriesAreOfferedAtStart()
    {
        RecoveryJournal journal(m_demo.journal());
        RecoveryJournal::Entry e;
        e.location = m_demo.store();
        e.table = u"users"_s;
        e.oldKey = Value::string(u"lost-1"_s);
        e.newKey = Value::string(u"lost-2"_s);
        e.record = Value::map({{u"userId"_s, e.oldKey}, {u"username"_s, Value::string(u"x"_s)}});
        e.strategy = u"remove-put-restore"_s;
        auto id = journal.add(e);
        QVERIFY(id);
        auto w = m_demo.openWindow();
        QVERIFY(w);
        QTRY_VERIFY(visibleChild<JournalRecoveryDialog>(w.get()));
        QCOMPARE(visibleChild<JournalRecoveryDialog>(w.get())->pendingCount(), 1);
        visibleChild<JournalRecoveryDialog>(w.get())->reject();
        QVERIFY(journal.remove(*id));
    }
};

QTEST_MAIN(TstMainWindowActions)
#include "tst_mainwindowactions.moc"
