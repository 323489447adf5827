// The main window's record commands: new, edit (in a form or in place), delete or remove, change
// keys, recover an interrupted key change, and connecting to DynamoDB.

#include "widgets/window/mainwindow.h"

#include "model/grid/recordtablemodel.h"
#include "model/rekey/recoveryjournal.h"
#include "model/store/open/storerunner.h"
#include "widgets/commands/deleterecords.h"
#include "widgets/commands/recordcommands.h"
#include "widgets/common/messagebar.h"
#include "widgets/form/recordformdialog.h"
#include "widgets/grid/filterbar.h"
#include "widgets/grid/recordgridview.h"
#include "widgets/grid/recordinspector.h"
#include "widgets/grid/tablelistview.h"
#include "widgets/rekey/bulkrekeydialog.h"
#include "widgets/rekey/journalrecoverydialog.h"
#include "widgets/rekey/rekeywizard.h"
#include "widgets/window/connectdialog.h"
#include "widgets/window/mainwindowparts.h"

#include <QDialog>
#include <QItemSelectionModel>
#include <QStatusBar>

using namespace mainwindowparts;

std::optional<Value> MainWindow::currentRecord() const
{
    const QModelIndex current = m_grid->currentIndex();
    if (!current.isValid())
        return std::nullopt;
    const QVariant record = current.siblingAtColumn(0).data(RecordTableModel::RecordRole);
    if (!record.isValid())
        return std::nullopt;
    return record.value<Value>();
}

void MainWindow::changeKey()
{
    const std::optional<Value> record = currentRecord();
    if (!record || !m_model->tableModel()) {
        showError(tr("Select a record whose key should change."));
        return;
    }
    auto *wizard = new RekeyWizard(m_pagesRunner.get(), RecoveryJournal::defaultDirectory(),
                                   currentTable(), m_model->tableModel(), *record, this);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    connect(wizard, &RekeyWizard::keyChanged, this, &MainWindow::onKeyChanged);
    connect(wizard, &RekeyWizard::recordsChanged, this, [this](const QString &table) {
        if (table == currentTable())
            m_model->reload();
    });
    wizard->open();
}

void MainWindow::changeKeys()
{
    if (!m_model->tableModel()) {
        showError(tr("Choose a table first."));
        return;
    }
    std::vector<Value> keys;
    const QModelIndexList rows = m_grid->selectionModel()->selectedRows();
    for (const QModelIndex &row : rows) {
        const QVariant key = row.data(RecordTableModel::RecordKeyRole);
        if (key.isValid())
            keys.push_back(key.value<Value>());
    }
    BulkRekeyDialog *dialog = nullptr;
    const QString journal = RecoveryJournal::defaultDirectory();
    if (keys.size() > 1) {
        dialog = new BulkRekeyDialog(m_pagesRunner.get(), journal, currentTable(),
                                     m_model->tableModel(), std::move(keys), this);
    } else {
        ScanRequest filter;
        filter.conditions = m_model->filterConditions();
        filter.text = m_model->filterText();
        dialog = new BulkRekeyDialog(m_pagesRunner.get(), journal, currentTable(),
                                     m_model->tableModel(), std::move(filter), this);
    }
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &BulkRekeyDialog::recordsChanged, this, [this](const QString &table) {
        if (table == currentTable())
            m_model->reload();
    });
    dialog->open();
}

bool MainWindow::offerJournalRecovery()
{
    const QString journal = RecoveryJournal::defaultDirectory();
    if (!JournalRecoveryDialog::hasEntries(journal))
        return false;
    auto *dialog = new JournalRecoveryDialog(m_pagesRunner.get(), journal, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &JournalRecoveryDialog::recordRestored, this, [this](const QString &table) {
        if (table == currentTable())
            m_model->reload();
        loadTables(currentTable());
    });
    dialog->open();
    return true;
}

void MainWindow::onKeyChanged(const QString &table, const Value &oldKey, const Value &newKey)
{
    statusBar()->showMessage(tr("%1 is now %2.").arg(oldKey.text(), newKey.text()),
                             kStatusMessageMs);
    if (table != currentTable())
        return;
    // The moved record was written last: in the natural order it is the last row.
    if (isNaturalView()) {
        connect(
            m_model, &RecordTableModel::firstRowsLoaded, this,
            [this] {
                if (m_model->rowCount() > 0)
                    m_grid->setCurrentIndex(m_model->index(m_model->rowCount() - 1, 0));
            },
            Qt::SingleShotConnection);
    }
    m_model->reload();
}

void MainWindow::openForm(std::optional<Value> record)
{
    if (!m_model->tableModel()) {
        showError(tr("Choose a table first."));
        return;
    }
    const QString table = currentTable();
    const TableModelPtr model = m_model->tableModel();
    auto *form = new RecordFormDialog(m_pagesRunner.get(), table, model, std::move(record), this);
    form->setAttribute(Qt::WA_DeleteOnClose);
    connect(form, &RecordFormDialog::recordSaved, this,
            [this, table, model](const Value &before, const Value &after) {
                m_history->recordSaved(table, model, before, after);
                if (table == currentTable())
                    m_model->reload();
                statusBar()->showMessage(tr("Saved."), kStatusMessageMs);
            });
    connect(form, &RecordFormDialog::openExistingRequested, this, [this, table](const Value &key) {
        m_pagesRunner->call(
            [table, key](RecordStore &store) { return store.getRecord(table, key); }, this,
            [this](Result<std::optional<Value>> got) {
                if (!got)
                    showError(got.error().toString());
                else if (!got->has_value())
                    showError(tr("That record no longer exists."));
                else
                    openForm(**got);
            });
    });
    form->open();
}

void MainWindow::newRecord()
{
    openForm(std::nullopt);
}

void MainWindow::editRecord()
{
    const std::optional<Value> record = currentRecord();
    if (!record) {
        showError(tr("Select a loaded record to edit."));
        return;
    }
    openForm(*record);
}

void MainWindow::editCell()
{
    const QModelIndex current = m_grid->currentIndex();
    if (!current.isValid() || !(m_model->flags(current) & Qt::ItemIsEditable)) {
        showError(
            tr("Only scalar fields other than the key can be edited in place; use the form (F2)."));
        return;
    }
    m_grid->edit(current);
}

void MainWindow::onCellEditRequested(int row, int column, const QString &text)
{
    const std::optional<Value> record = m_model->recordAt(row);
    const TableModelPtr model = m_model->tableModel();
    if (!record || !model)
        return;
    const QString field = m_model->fieldPath(column).value(0);
    auto value = cellEditValue(*model, *record, field, text);
    if (!value) {
        showError(value.error().toString());
        return;
    }
    const Value *key = record->find(model->hashKey());
    const Value *shown = record->find(field);
    if (!key)
        return;
    m_history->editField(currentTable(), model, *key, field,
                         shown ? std::optional<Value>(*shown) : std::nullopt, *value);
}

QList<Value> MainWindow::selectedKeys() const
{
    QList<Value> keys;
    QModelIndexList rows = m_grid->selectionModel()->selectedRows();
    if (rows.isEmpty() && m_grid->currentIndex().isValid())
        rows << m_grid->currentIndex().siblingAtColumn(0);
    for (const QModelIndex &row : std::as_const(rows)) {
        const QVariant key = row.data(RecordTableModel::RecordKeyRole);
        if (key.isValid())
            keys << key.value<Value>();
    }
    return keys;
}

void MainWindow::deleteWithMode(DeleteMode mode)
{
    const QList<Value> keys = selectedKeys();
    if (keys.isEmpty() || !m_model->tableModel()) {
        showError(tr("Select the records to delete."));
        return;
    }
    if (!confirmDeletion(this, currentTable(), keys, mode))
        return;
    m_history->deleteRecords(currentTable(), m_model->tableModel(), keys, mode);
}

void MainWindow::deleteSelected()
{
    deleteWithMode(DeleteMode::Delete);
}

void MainWindow::removeSelected()
{
    deleteWithMode(DeleteMode::Remove);
}

void MainWindow::connectDialog()
{
    auto *dialog = new ConnectDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const QString location = dialog->location();
        if (!location.isEmpty()) {
            ConnectDialog::rememberLocation(location);
            openStore(location);
        }
    });
    dialog->open();
}
