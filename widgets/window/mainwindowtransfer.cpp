// The main window's import, export, model and check commands, and files dropped on the window.

#include "widgets/window/mainwindow.h"

#include "model/grid/recordtablemodel.h"
#include "model/store/open/storerunner.h"
#include "widgets/commands/recordcommands.h"
#include "widgets/common/looks.h"
#include "widgets/common/messagebar.h"
#include "widgets/grid/filterbar.h"
#include "widgets/grid/recordgridview.h"
#include "widgets/grid/recordinspector.h"
#include "widgets/grid/tablelistview.h"
#include "widgets/schema/checktabledialog.h"
#include "widgets/schema/modelpreviewdialog.h"
#include "widgets/transfer/exportdialog.h"
#include "widgets/transfer/importdialog.h"
#include "widgets/window/mainwindowparts.h"

#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QItemSelectionModel>
#include <QMimeData>
#include <QStatusBar>

using namespace mainwindowparts;

// ---- import, export, models, checks ----

ScanRequest MainWindow::currentFilter() const
{
    ScanRequest filter;
    filter.conditions = m_model->filterConditions();
    filter.text = m_model->filterText();
    const int column = m_model->sortColumn();
    if (column >= 0) {
        filter.sortPath = m_model->fieldPath(column);
        filter.descending = m_model->sortOrder() == Qt::DescendingOrder;
    }
    return filter;
}

void MainWindow::withTransferRunner(std::function<void(StoreRunner *)> use)
{
    if (m_location.isEmpty()) {
        showError(tr("Open a store first."));
        return;
    }
    if (m_transferRunner->location() == m_location) {
        use(m_transferRunner.get());
        return;
    }
    const QString location = m_location;
    m_transferRunner->open(location).then(this, [this, location, use](Status opened) {
        if (location != m_location)
            return;
        if (!opened) {
            showError(tr("Could not open %1: %2").arg(location, opened.error().toString()));
            return;
        }
        use(m_transferRunner.get());
    });
}

void MainWindow::importFile(const QString &path)
{
    const QString table = currentTable();
    if (table.isEmpty()) {
        showError(tr("Choose the table to import into first."));
        return;
    }
    withTransferRunner([this, table, path](StoreRunner *runner) {
        runner->call(
            [](RecordStore &store) { return Result<StoreCapabilities>(store.capabilities()); },
            this,
            [this, runner, table, path](Result<StoreCapabilities> got) {
                if (!got) {
                    showError(got.error().toString());
                    return;
                }
                const StoreCapabilities capabilities = *got;
                if (capabilities.readOnly) {
                    showError(tr("%1 is read-only: nothing can be imported.").arg(m_location));
                    return;
                }
                auto *dialog =
                    new ImportDialog(runner, table, path, capabilities.atomicAtAnySize(), this);
                dialog->setAttribute(Qt::WA_DeleteOnClose);
                connect(dialog, &ImportDialog::tableChanged, this, [this](const QString &changed) {
                    if (changed == currentTable())
                        m_model->reload();
                    loadTables(currentTable());
                });
                dialog->open();
            });
    });
}

void MainWindow::exportRecords()
{
    const QString table = currentTable();
    if (table.isEmpty()) {
        showError(tr("Choose the table to export first."));
        return;
    }
    std::vector<Value> keys;
    const QModelIndexList rows = m_grid->selectionModel()->selectedRows();
    for (const QModelIndex &row : rows) {
        const QVariant key = row.data(RecordTableModel::RecordKeyRole);
        if (key.isValid())
            keys.push_back(key.value<Value>());
    }
    const bool filtered = !m_model->filterConditions().empty() || !m_model->filterText().isEmpty();
    const qint64 shown = filtered ? m_model->totalCount() : -1;
    ScanRequest filter = currentFilter();
    withTransferRunner([this, table, keys = std::move(keys), filter = std::move(filter), shown,
                        filtered](StoreRunner *runner) mutable {
        auto *dialog = new ExportDialog(runner, table, std::move(keys), std::move(filter), shown,
                                        filtered, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &ExportDialog::exported, this, [this](const QString &path, qint64 records) {
            statusBar()->showMessage(
                tr("Exported %1 records to %2.").arg(Looks::number(records), path),
                kStatusMessageMs);
        });
        dialog->open();
    });
}

void MainWindow::checkTable()
{
    const QString table = currentTable();
    if (table.isEmpty() || !m_model->tableModel()) {
        showError(tr("Choose the table to check first."));
        return;
    }
    if (m_model->tableModel()->isAdvisory()) {
        showError(
            tr("The model of %1 is inferred from sampled records and enforces nothing but the "
               "key, so there is nothing to check against. Attach a model first (Table ▸ "
               "Attach Model File…, or Infer Model from Records to edit one).")
                .arg(table));
        return;
    }
    ScanRequest filter = currentFilter();
    filter.sortPath.clear();
    withTransferRunner([this, table, filter](StoreRunner *runner) {
        auto *dialog = new CheckTableDialog(runner, table, filter, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &CheckTableDialog::openRecordRequested, this,
                [this, table](const Value &key) { openRecordByKey(table, key); });
        connect(dialog, &CheckTableDialog::finished, this, [this](qint64 checked, qint64 failing) {
            statusBar()->showMessage(
                failing == 0 ? tr("All %1 records pass the model.").arg(Looks::number(checked))
                             : tr("%1 of %2 records fail the model.")
                                   .arg(Looks::number(failing), Looks::number(checked)),
                kStatusMessageMs);
        });
        dialog->open();
        dialog->start();
    });
}

void MainWindow::inferModelFromTable()
{
    const QString table = currentTable();
    if (table.isEmpty()) {
        showError(tr("Choose the table to infer a model from first."));
        return;
    }
    withTransferRunner([this, table](StoreRunner *runner) {
        auto *dialog = new ModelPreviewDialog(runner, table, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &ModelPreviewDialog::modelAttached, this, &MainWindow::reloadTableModel);
        dialog->open();
    });
}

void MainWindow::inferModelFromFile(const QString &path)
{
    QString file = path;
    if (file.isEmpty()) {
        file = QFileDialog::getOpenFileName(
            this, tr("Infer a Model from a File"), QString(),
            tr("Records (*.jsonl *.ndjson *.json *.csv);;All files (*)"));
        if (file.isEmpty())
            return;
    }
    auto open = [this, file](StoreRunner *runner) {
        // The model is named after the file: attaching it then creates that table rather than
        // replacing the model of whatever table happens to be open.
        auto *dialog = new ModelPreviewDialog(runner, QFileInfo(file).baseName(), file, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &ModelPreviewDialog::modelAttached, this, &MainWindow::reloadTableModel);
        dialog->open();
    };
    if (m_location.isEmpty())
        open(nullptr);
    else
        withTransferRunner(open);
}

void MainWindow::attachModelFile(const QString &path)
{
    const QString table = currentTable();
    if (table.isEmpty()) {
        showError(tr("Choose the table to attach a model to first."));
        return;
    }
    QString file = path;
    if (file.isEmpty()) {
        file = QFileDialog::getOpenFileName(this, tr("Attach a Model File to %1").arg(table),
                                            QString(), tr("Table models (*.json);;All files (*)"));
        if (file.isEmpty())
            return;
    }
    m_pagesRunner->call(
        [file, table](RecordStore &store) -> Status {
            auto model = TableModel::fromFile(file);
            if (!model)
                return model.error();
            return store.setModel(table, **model);
        },
        this,
        [this, table, file](Status attached) {
            if (!attached) {
                showError(
                    tr("Could not attach %1 to %2: %3")
                        .arg(QDir::toNativeSeparators(file), table, attached.error().toString()));
                return;
            }
            reloadTableModel(table);
        });
}

void MainWindow::reloadTableModel(const QString &table)
{
    connect(
        this, &MainWindow::tablesLoaded, this,
        [this, table] {
            if (table != currentTable())
                return;
            auto it = std::find_if(m_tableInfos.cbegin(), m_tableInfos.cend(),
                                   [&](const TableInfo &info) { return info.name == table; });
            if (it != m_tableInfos.cend() && it->model) {
                m_filterBar->reset();
                m_model->setTable(table, it->model);
                updateTableDetails();
            }
        },
        Qt::SingleShotConnection);
    loadTables(currentTable());
    statusBar()->showMessage(tr("The model of %1 is attached.").arg(table), kStatusMessageMs);
}

void MainWindow::openRecordByKey(const QString &table, const Value &key)
{
    m_pagesRunner->call([table, key](RecordStore &store) { return store.getRecord(table, key); },
                        this,
                        [this, table](Result<std::optional<Value>> got) {
                            if (!got)
                                showError(got.error().toString());
                            else if (!got->has_value())
                                showError(tr("That record no longer exists."));
                            else if (table != currentTable())
                                showError(tr("Choose table %1 to open its records.").arg(table));
                            else
                                openForm(**got);
                        });
}

namespace {

/// The local files a drag carries, if it carries only files.
QStringList droppedFiles(const QMimeData *mime)
{
    QStringList files;
    if (!mime || !mime->hasUrls())
        return files;
    for (const QUrl &url : mime->urls()) {
        if (!url.isLocalFile())
            return {};
        files << url.toLocalFile();
    }
    return files;
}

} // namespace

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QStringList files = droppedFiles(event->mimeData());
    if (files.size() == 1 && !currentTable().isEmpty() && QFileInfo(files.front()).isFile()) {
        event->acceptProposedAction();
        statusBar()->showMessage(tr("Drop to import %1 into %2")
                                     .arg(QFileInfo(files.front()).fileName(), currentTable()));
        return;
    }
    event->ignore();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QStringList files = droppedFiles(event->mimeData());
    if (files.size() != 1) {
        showError(tr("Drop one file at a time to import it."));
        event->ignore();
        return;
    }
    statusBar()->clearMessage();
    event->acceptProposedAction();
    importFile(files.front());
}
