// The main window's table tools: a file dropped on the window starts an import, Export
// (Ctrl+Shift+E) offers the selection, the filter or the table, Check Against Model lists the
// failing records and opens them, and an inferred model can be attached to the table.

#include "model/grid/recordtablemodel.h"
#include "model/json/jsoncodec.h"
#include "model/store/open/demodata.h"
#include "model/store/sqlite/sqlitestore.h"
#include "tests/common/demowindow.h"
#include "tests/common/recordingnotifier.h"
#include "widgets/common/messagebar.h"
#include "widgets/common/notifier.h"
#include "widgets/form/recordformdialog.h"
#include "widgets/grid/recordgridview.h"
#include "widgets/schema/checktabledialog.h"
#include "widgets/schema/modelpreviewdialog.h"
#include "widgets/transfer/exportdialog.h"
#include "widgets/transfer/importdialog.h"
#include "widgets/window/mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QItemSelectionModel>
#include <QMimeData>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace {
constexpr int kRecords = 1000; // demo records 500 and 700 are invalid on purpose
} // namespace

class TstMainWindowTransfer : public QObject
{
    Q_OBJECT

private:
    DemoWindowFixture m_demo;
    RecordingNotifier m_notifier;

    /// A window on the store with its first rows loaded.
    std::unique_ptr<MainWindow> openWindow()
    {
        auto window = m_demo.openWindow();
        if (!window || !waitForRow(window.get(), 2))
            return nullptr;
        return window;
    }

    static QAction *action(MainWindow *w, const QString &name)
    {
        return w->findChild<QAction *>(name);
    }

    /// Sends a drag of `files` over the window and, when accepted, the drop.
    static bool dropFiles(MainWindow *w, const QStringList &files)
    {
        QMimeData mime;
        QList<QUrl> urls;
        for (const QString &file : files)
            urls << QUrl::fromLocalFile(file);
        mime.setUrls(urls);
        const QPointF at(w->width() / 2.0, w->height() / 2.0);
        QDragEnterEvent enter(at.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(w, &enter);
        if (!enter.isAccepted())
            return false;
        QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(w, &drop);
        return drop.isAccepted();
    }

private slots:
    void initTestCase()
    {
        m_demo.init(kRecords);
        Notifier::setInstance(&m_notifier);
    }

    void cleanupTestCase() { Notifier::setInstance(nullptr); }

    void aDroppedFileIsImportedIntoTheCurrentTable()
    {
        const QString file = m_demo.filePath(u"new-users.jsonl"_s);
        {
            QFile out(file);
            QVERIFY(out.open(QIODevice::WriteOnly));
            for (quint64 i = 5000; i < 5010; ++i) {
                if (DemoData::isInvalidOnPurpose(i))
                    continue;
                out.write(JsonCodec::toPlain(DemoData::userRecord(i)) + '\n');
            }
        }
        auto w = openWindow();
        QVERIFY(w);
        QVERIFY(dropFiles(w.get(), {file}));
        QTRY_VERIFY(visibleChild<ImportDialog>(w.get()));
        ImportDialog *dialog = visibleChild<ImportDialog>(w.get());
        dialog->start();
        QTRY_VERIFY_WITH_TIMEOUT(dialog->report().has_value(), 20000);
        QVERIFY2(dialog->report()->wroteRecords(), qPrintable(dialog->report()->summary()));
        const Value key = *DemoData::userRecord(5001).find(u"userId"_s);
        QVERIFY(m_demo.stored(key).has_value());
        // The grid shows the new records without a manual refresh.
        QTRY_VERIFY_WITH_TIMEOUT(w->recordModel()->totalCount() > kRecords, 20000);
    }

    void twoFilesOrNoTableAreNotDropped()
    {
        const QString a = m_demo.filePath(u"a.jsonl"_s);
        const QString b = m_demo.filePath(u"b.jsonl"_s);
        for (const QString &f : {a, b}) {
            QFile out(f);
            QVERIFY(out.open(QIODevice::WriteOnly));
        }
        auto w = openWindow();
        QVERIFY(w);
        QVERIFY(!dropFiles(w.get(), {a, b}));
        QVERIFY(!dropFiles(w.get(), {m_demo.filePath(u"missing.jsonl"_s)}));
        QVERIFY(!visibleChild<ImportDialog>(w.get()));
    }

    void exportOffersTheSelection()
    {
        auto w = openWindow();
        QVERIFY(w);
        auto *grid = w->findChild<RecordGridView *>(u"recordGrid"_s);
        QItemSelectionModel *selection = grid->selectionModel();
        for (int row = 0; row < 3; ++row)
            selection->select(w->recordModel()->index(row, 0),
                              QItemSelectionModel::Select | QItemSelectionModel::Rows);
        action(w.get(), u"exportAction"_s)->trigger();
        QTRY_VERIFY(visibleChild<ExportDialog>(w.get()));
        ExportDialog *dialog = visibleChild<ExportDialog>(w.get());
        const QString file = m_demo.filePath(u"selection.jsonl"_s);
        QSignalSpy exported(dialog, &ExportDialog::exported);
        dialog->setScope(ExportDialog::Scope::Selected);
        dialog->setFormat(TransferFormat::JsonLines);
        dialog->setFile(file);
        dialog->start();
        QTRY_COMPARE_WITH_TIMEOUT(exported.size(), 1, 20000);
        QCOMPARE(exported.front().at(1).toLongLong(), 3);
        QFile in(file);
        QVERIFY(in.open(QIODevice::ReadOnly));
        QCOMPARE(in.readAll().count('\n'), 3);
    }

    void checkListsTheFailingRecordsAndOpensThem()
    {
        int invalid = 0;
        for (quint64 i = 0; i < kRecords; ++i)
            invalid += DemoData::isInvalidOnPurpose(i) ? 1 : 0;
        QVERIFY(invalid > 0);
        auto w = openWindow();
        QVERIFY(w);
        action(w.get(), u"checkTableAction"_s)->trigger();
        QTRY_VERIFY(visibleChild<CheckTableDialog>(w.get()));
        CheckTableDialog *dialog = visibleChild<CheckTableDialog>(w.get());
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isRunning() && dialog->failingCount() > 0, 20000);
        // The records imported by the drop test are valid: only the demo's invalid ones fail.
        QCOMPARE(dialog->failingCount(), invalid);
        quint64 first = 0;
        while (!DemoData::isInvalidOnPurpose(first))
            ++first;
        emit dialog->openRecordRequested(*DemoData::userRecord(first).find(u"userId"_s));
        QTRY_VERIFY(visibleChild<RecordFormDialog>(w.get()));
    }

    void aModelFileWithAnotherKeyIsNotAttached()
    {
        auto w = openWindow();
        QVERIFY(w);
        const TableModelPtr before = w->recordModel()->tableModel();
        const QString file = m_demo.filePath(u"other-key.json"_s);
        {
            QFile out(file);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(R"({"table": "users", "primaryIndex": {"hashKey": "id", "hashKeyType": "str"},
                          "fields": {"id": {"type": "str", "required": true}}})");
        }
        w->attachModelFile(file);
        auto *bar = w->findChild<MessageBar *>();
        QTRY_VERIFY_WITH_TIMEOUT(bar->text().contains(u"does not match"_s), 20000);
        QVERIFY2(bar->text().contains(u"other-key.json"_s), qPrintable(bar->text()));
        QCOMPARE(w->recordModel()->tableModel(), before);
        auto store = SqliteStore::open(m_demo.store());
        QVERIFY(store);
        auto model = (*store)->model(u"users"_s);
        QVERIFY(model);
        QCOMPARE((*model)->hashKey(), u"userId"_s);
        QVERIFY((*model)->root().fields.size() > 1);

        // A file that is not a model names its place and attaches nothing either.
        const QString broken = m_demo.filePath(u"broken.json"_s);
        {
            QFile out(broken);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write("{\"table\": \"users\",\n  \"primaryIndex\": 7}");
        }
        w->attachModelFile(broken);
        QTRY_VERIFY_WITH_TIMEOUT(bar->text().contains(u"broken.json"_s), 20000);
        QCOMPARE(w->recordModel()->tableModel(), before);
    }

    void anInferredModelCanBeAttached()
    {
        auto w = openWindow();
        QVERIFY(w);
        const TableModelPtr before = w->recordModel()->tableModel();
        action(w.get(), u"inferModelAction"_s)->trigger();
        QTRY_VERIFY(visibleChild<ModelPreviewDialog>(w.get()));
        ModelPreviewDialog *dialog = visibleChild<ModelPreviewDialog>(w.get());
        QSignalSpy inferred(dialog, &ModelPreviewDialog::inferred);
        QTRY_VERIFY_WITH_TIMEOUT(inferred.size() == 1 || dialog->editedModel().ok(), 20000);
        QVERIFY(dialog->editedModel().ok());
        QSignalSpy attached(dialog, &ModelPreviewDialog::modelAttached);
        dialog->attachToTable();
        QTRY_COMPARE_WITH_TIMEOUT(attached.size(), 1, 20000);
        // The grid works with the attached model from now on.
        QTRY_VERIFY_WITH_TIMEOUT(
            w->recordModel()->tableModel() && w->recordModel()->tableModel() != before, 20000);
        auto store = SqliteStore::open(m_demo.store());
        QVERIFY(store);
        auto info = (*store)->describeTable(u"users"_s);
        QVERIFY(info);
        QCOMPARE(info->model->hashKey(), u"userId"_s);
    }
};

QTEST_MAIN(TstMainWindowTransfer)
#include "tst_mainwindowtransfer.moc"
