// The main window's table tools: a file dropped on the window starts an import, Export
// (Ctrl+Shift+E) offers the selection, the filter or the table, Check Against Model lists the
// failing records and opens them, and an inferred model can be attached to the table.

#include "model/demodata.h"
#include "model/jsoncodec.h"
#include "model/recordtablemodel.h"
#include "model/sqlitestore.h"
#include "widgets/checktabledialog.h"
#include "widgets/exportdialog.h"
#include "widgets/importdialog.h"
#include "widgets/mainwindow.h"
#include "widgets/modelpreviewdialog.h"
#include "widgets/notifier.h"
#include "widgets/recordformdialog.h"
#include "widgets/recordgridview.h"

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
class YesNotifier : public Notifier
{
public:
    void notify(QWidget *, Level, const QString &, const QString &text) override { messages << text; }
    bool ask(QWidget *, const QString &, const QString &question) override
    {
        messages << question;
        return true;
    }
    void about(QWidget *, const QString &, const QString &) override {}
    QStringList messages;
};

constexpr int kRecords = 1000; // demo records 500 and 700 are invalid on purpose
} // namespace

class TstMainWindowTransfer : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_store;
    YesNotifier m_notifier;

    std::optional<Value> stored(const Value &key)
    {
        auto store = SqliteStore::open(m_store);
        if (!store)
            return std::nullopt;
        auto got = (*store)->getRecord(u"users"_s, key);
        return got ? *got : std::nullopt;
    }

    std::unique_ptr<MainWindow> openWindow()
    {
        auto window = std::make_unique<MainWindow>();
        window->resize(1280, 800);
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            return nullptr;
        window->openStore(m_store);
        RecordTableModel *model = window->recordModel();
        if (!QTest::qWaitFor([&] {
                return model->rowCount() > 2 && model->index(2, 0).data(RecordTableModel::LoadedRole).toBool();
            }, 20000))
            return nullptr;
        return window;
    }

    template<typename T>
    static T *visibleChild(MainWindow *w)
    {
        for (T *child : w->findChildren<T *>()) {
            if (child->isVisible())
                return child;
        }
        return nullptr;
    }

    static QAction *action(MainWindow *w, const QString &name) { return w->findChild<QAction *>(name); }

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
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"StructDesk"_s);
        QCoreApplication::setApplicationName(u"StructDesk"_s);
        QSettings().clear();
        QVERIFY(m_dir.isValid());
        m_store = m_dir.filePath(u"demo.structdesk"_s);
        QVERIFY(DemoData::createDemoStore(m_store, kRecords));
        qputenv("STRUCTDESK_JOURNAL", m_dir.filePath(u"journal"_s).toUtf8());
        Notifier::setInstance(&m_notifier);
    }

    void cleanupTestCase() { Notifier::setInstance(nullptr); }

    void aDroppedFileIsImportedIntoTheCurrentTable()
    {
        const QString file = m_dir.filePath(u"new-users.jsonl"_s);
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
        QVERIFY(stored(key).has_value());
        // The grid shows the new records without a manual refresh.
        QTRY_VERIFY_WITH_TIMEOUT(w->recordModel()->totalCount() > kRecords, 20000);
    }

    void twoFilesOrNoTableAreNotDropped()
    {
        const QString a = m_dir.filePath(u"a.jsonl"_s);
        const QString b = m_dir.filePath(u"b.jsonl"_s);
        for (const QString &f : {a, b}) {
            QFile out(f);
            QVERIFY(out.open(QIODevice::WriteOnly));
        }
        auto w = openWindow();
        QVERIFY(w);
        QVERIFY(!dropFiles(w.get(), {a, b}));
        QVERIFY(!dropFiles(w.get(), {m_dir.filePath(u"missing.jsonl"_s)}));
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
        const QString file = m_dir.filePath(u"selection.jsonl"_s);
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
        QTRY_VERIFY_WITH_TIMEOUT(w->recordModel()->tableModel() && w->recordModel()->tableModel() != before, 20000);
        auto store = SqliteStore::open(m_store);
        QVERIFY(store);
        auto info = (*store)->describeTable(u"users"_s);
        QVERIFY(info);
        QCOMPARE(info->model->hashKey(), u"userId"_s);
    }
};

QTEST_MAIN(TstMainWindowTransfer)
#include "tst_mainwindowtransfer.moc"
