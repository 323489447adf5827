// The main window's actions (menu and toolbar commands), one step per group, with their
// shortcuts, object names and status tips.

#include "widgets/window/mainwindow.h"

#include "model/grid/recordtablemodel.h"
#include "model/store/open/storerunner.h"
#include "widgets/commands/deleterecords.h"
#include "widgets/commands/recordcommands.h"
#include "widgets/common/messagebar.h"
#include "widgets/grid/filterbar.h"
#include "widgets/grid/recordgridview.h"
#include "widgets/grid/recordinspector.h"
#include "widgets/grid/tablelistview.h"
#include "widgets/window/mainwindowparts.h"

#include <QAction>
#include <QSplitter>
#include <QStatusBar>

using namespace mainwindowparts;

void MainWindow::createActions()
{
    createFileActions();
    createViewActions();
    createRecordActions();
    connectRecordHistory();
    createTableActions();
    createTransferActions();
}

/// The File menu's store actions: new, open, open a location, quit.
void MainWindow::createFileActions()
{
    m_newAction = new QAction(icon("new"), tr("&New Store…"), this);
    m_newAction->setObjectName(QStringLiteral("newStoreAction"));
    m_newAction->setShortcut(QKeySequence::New);
    m_newAction->setStatusTip(tr("Create an empty embedded store"));
    connect(m_newAction, &QAction::triggered, this, &MainWindow::newStoreDialog);

    m_openAction = new QAction(icon("open"), tr("&Open Store…"), this);
    m_openAction->setObjectName(QStringLiteral("openStoreAction"));
    m_openAction->setShortcut(QKeySequence::Open);
    m_openAction->setIconText(tr("Open"));
    m_openAction->setStatusTip(tr("Open an embedded store file"));
    connect(m_openAction, &QAction::triggered, this, &MainWindow::openStoreDialog);

    m_openLocationAction = new QAction(tr("Open &Location…"), this);
    m_openLocationAction->setObjectName(QStringLiteral("openLocationAction"));
    m_openLocationAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    m_openLocationAction->setStatusTip(tr("Open a store by its location (a file or dynamodb://…)"));
    connect(m_openLocationAction, &QAction::triggered, this, &MainWindow::openLocationDialog);

    m_quitAction = new QAction(tr("&Quit"), this);
    m_quitAction->setObjectName(QStringLiteral("quitAction"));
    m_quitAction->setShortcut(QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);
}

/// Copy, find, refresh, the panels, sorting and cancelling a load.
void MainWindow::createViewActions()
{
    m_copyAction = new QAction(icon("copy"), tr("&Copy as JSON"), this);
    m_copyAction->setObjectName(QStringLiteral("copyJsonAction"));
    m_copyAction->setShortcut(QKeySequence::Copy);
    m_copyAction->setIconText(tr("Copy JSON"));
    m_copyAction->setStatusTip(tr("Copy the selected records as JSON lines"));
    connect(m_copyAction, &QAction::triggered, this, &MainWindow::copySelectionAsJson);

    m_findAction = new QAction(icon("search"), tr("&Find / Filter"), this);
    m_findAction->setObjectName(QStringLiteral("findAction"));
    m_findAction->setShortcut(QKeySequence::Find);
    m_findAction->setStatusTip(tr("Search the records of the table"));
    connect(m_findAction, &QAction::triggered, this, &MainWindow::focusFilter);

    m_refreshAction = new QAction(icon("refresh"), tr("&Refresh"), this);
    m_refreshAction->setObjectName(QStringLiteral("refreshAction"));
    m_refreshAction->setShortcut(QKeySequence(Qt::Key_F5));
    m_refreshAction->setStatusTip(tr("Load the tables and records again"));
    connect(m_refreshAction, &QAction::triggered, this, &MainWindow::refresh);

    m_showTablesAction = new QAction(icon("tables"), tr("&Tables Panel"), this);
    m_showTablesAction->setObjectName(QStringLiteral("showTablesAction"));
    m_showTablesAction->setCheckable(true);
    m_showTablesAction->setChecked(true);
    m_showTablesAction->setIconText(tr("Tables"));
    m_showTablesAction->setShortcut(QKeySequence(Qt::Key_F9));
    connect(m_showTablesAction, &QAction::toggled, this,
            [this](bool on) { m_splitter->widget(0)->setVisible(on); });

    m_showInspectorAction = new QAction(icon("inspector"), tr("Record &Inspector"), this);
    m_showInspectorAction->setObjectName(QStringLiteral("showInspectorAction"));
    m_showInspectorAction->setCheckable(true);
    m_showInspectorAction->setChecked(true);
    m_showInspectorAction->setIconText(tr("Inspector"));
    m_showInspectorAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    connect(m_showInspectorAction, &QAction::toggled, m_inspector, &QWidget::setVisible);

    m_clearSortAction = new QAction(icon("sort-clear"), tr("&Clear Sort"), this);
    m_clearSortAction->setObjectName(QStringLiteral("clearSortAction"));
    m_clearSortAction->setStatusTip(tr("Back to the table's natural order"));
    m_clearSortAction->setEnabled(false);
    connect(m_clearSortAction, &QAction::triggered, this, &MainWindow::clearSort);

    m_cancelAction = new QAction(icon("cancel"), tr("Cancel &Loading"), this);
    m_cancelAction->setObjectName(QStringLiteral("cancelLoadAction"));
    m_cancelAction->setShortcut(QKeySequence(Qt::Key_Escape));
    m_cancelAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_cancelAction->setEnabled(false);
    connect(m_cancelAction, &QAction::triggered, this, &MainWindow::cancelLoad);
    m_grid->addAction(m_cancelAction);
    m_tables->addAction(m_cancelAction);
}

/// Connecting to DynamoDB and the record actions: new, edit, edit in place, delete, remove.
void MainWindow::createRecordActions()
{
    // New Store moves to Ctrl+Shift+N: Ctrl+N makes a new record, as in every record editor.
    m_newAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));

    m_connectAction = new QAction(tr("&Connect to DynamoDB…"), this);
    m_connectAction->setObjectName(QStringLiteral("connectAction"));
    m_connectAction->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_O));
    m_connectAction->setStatusTip(
        tr("Open tables in Amazon DynamoDB or a DynamoDB-compatible engine"));
    connect(m_connectAction, &QAction::triggered, this, &MainWindow::connectDialog);

    m_newRecordAction = new QAction(icon("add"), tr("&New Record…"), this);
    m_newRecordAction->setObjectName(QStringLiteral("newRecordAction"));
    m_newRecordAction->setShortcut(QKeySequence::New);
    m_newRecordAction->setIconText(tr("New Record"));
    connect(m_newRecordAction, &QAction::triggered, this, &MainWindow::newRecord);

    m_editRecordAction = new QAction(tr("&Edit Record…"), this);
    m_editRecordAction->setObjectName(QStringLiteral("editRecordAction"));
    // Return and double-click reach editRecord through the grid's activated(): a Return shortcut
    // would also fire while a cell is being edited in place.
    m_editRecordAction->setShortcut(QKeySequence(Qt::Key_F2));
    m_editRecordAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_editRecordAction, &QAction::triggered, this, &MainWindow::editRecord);
    m_grid->addAction(m_editRecordAction);

    m_editCellAction = new QAction(tr("Edit &Cell in Place"), this);
    m_editCellAction->setObjectName(QStringLiteral("editCellAction"));
    m_editCellAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(m_editCellAction, &QAction::triggered, this, &MainWindow::editCell);

    m_deleteAction = new QAction(icon("remove"), tr("&Delete Records…"), this);
    m_deleteAction->setObjectName(QStringLiteral("deleteRecordsAction"));
    m_deleteAction->setShortcut(QKeySequence::Delete);
    m_deleteAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_deleteAction, &QAction::triggered, this, &MainWindow::deleteSelected);
    m_grid->addAction(m_deleteAction);

    m_removeAction = new QAction(tr("Re&move Records…"), this);
    m_removeAction->setObjectName(QStringLiteral("removeRecordsAction"));
    m_removeAction->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_Delete));
    m_removeAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_removeAction->setStatusTip(
        tr("Delete the selected records and keep them as JSON to copy or save"));
    connect(m_removeAction, &QAction::triggered, this, &MainWindow::removeSelected);
    m_grid->addAction(m_removeAction);
}

/// What the undo history and the grid report: failures, messages, changed tables, deletions,
/// cell edits and activated rows.
void MainWindow::connectRecordHistory()
{
    m_history = new RecordHistory(m_pagesRunner.get(), this);
    connect(m_history, &RecordHistory::failed, this, &MainWindow::showError);
    connect(m_history, &RecordHistory::succeeded, this, [this](const QString &message) {
        statusBar()->showMessage(message, kStatusMessageMs);
    });
    connect(m_history, &RecordHistory::tableChanged, this, [this](const QString &table) {
        if (table == currentTable())
            m_model->reload();
    });
    connect(m_history, &RecordHistory::deletionFinished, this,
            [this](const DeletionReport &report) {
                if (!report.error.isEmpty())
                    showError(report.summary());
                else
                    statusBar()->showMessage(report.summary(), kStatusMessageMs);
                if (report.mode == DeleteMode::Remove && !report.records.isEmpty()) {
                    auto *dialog = new RemovedRecordsDialog(report, this);
                    dialog->setAttribute(Qt::WA_DeleteOnClose);
                    dialog->open();
                }
            });
    connect(m_model, &RecordTableModel::cellEditRequested, this, &MainWindow::onCellEditRequested);
    connect(m_grid, &QAbstractItemView::activated, this,
            [this](const QModelIndex &) { editRecord(); });
}

/// Counting exactly and changing keys.
void MainWindow::createTableActions()
{
    m_countExactlyAction = new QAction(tr("Count E&xactly"), this);
    m_countExactlyAction->setObjectName(QStringLiteral("countExactlyAction"));
    m_countExactlyAction->setStatusTip(
        tr("Count every record of the table (a full scan on DynamoDB)"));
    m_countExactlyAction->setEnabled(false);
    connect(m_countExactlyAction, &QAction::triggered, this, [this] { m_model->countExactly(); });

    m_changeKeyAction = new QAction(tr("Change &Key…"), this);
    m_changeKeyAction->setObjectName(QStringLiteral("changeKeyAction"));
    m_changeKeyAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    m_changeKeyAction->setStatusTip(tr("Give the current record a new primary key, step by step"));
    connect(m_changeKeyAction, &QAction::triggered, this, &MainWindow::changeKey);

    m_changeKeysAction = new QAction(tr("Change Keys of &Several Records…"), this);
    m_changeKeysAction->setObjectName(QStringLiteral("changeKeysAction"));
    m_changeKeysAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K));
    m_changeKeysAction->setStatusTip(tr(
        "New keys from a template for the selected records, or for every record the filter shows"));
    connect(m_changeKeysAction, &QAction::triggered, this, &MainWindow::changeKeys);
}

/// Import, export, checking and the table model actions, and About.
void MainWindow::createTransferActions()
{
    m_importAction = new QAction(icon("import"), tr("&Import Records…"), this);
    m_importAction->setObjectName(QStringLiteral("importAction"));
    m_importAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I));
    m_importAction->setIconText(tr("Import"));
    m_importAction->setStatusTip(tr("Import JSON lines, JSON, DynamoDB JSON or CSV into the table "
                                    "(or drop a file on the window)"));
    connect(m_importAction, &QAction::triggered, this, [this] { importFile(); });

    m_exportAction = new QAction(icon("export"), tr("E&xport Records…"), this);
    m_exportAction->setObjectName(QStringLiteral("exportAction"));
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    m_exportAction->setIconText(tr("Export"));
    m_exportAction->setStatusTip(
        tr("Export the selected records, the filtered records or the whole table"));
    connect(m_exportAction, &QAction::triggered, this, &MainWindow::exportRecords);

    m_checkAction = new QAction(tr("C&heck Against Model…"), this);
    m_checkAction->setObjectName(QStringLiteral("checkTableAction"));
    m_checkAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    m_checkAction->setStatusTip(tr("List every record that fails the table model"));
    connect(m_checkAction, &QAction::triggered, this, &MainWindow::checkTable);

    m_inferAction = new QAction(tr("Infer Model from &Records…"), this);
    m_inferAction->setObjectName(QStringLiteral("inferModelAction"));
    m_inferAction->setStatusTip(
        tr("Infer a table model from the records, edit it, save or attach it"));
    connect(m_inferAction, &QAction::triggered, this, &MainWindow::inferModelFromTable);

    m_inferFileAction = new QAction(tr("Infer Model from &File…"), this);
    m_inferFileAction->setObjectName(QStringLiteral("inferModelFromFileAction"));
    m_inferFileAction->setStatusTip(
        tr("Infer a table model from a JSON, DynamoDB JSON or CSV file"));
    connect(m_inferFileAction, &QAction::triggered, this, [this] { inferModelFromFile(); });

    m_attachModelAction = new QAction(tr("&Attach Model File…"), this);
    m_attachModelAction->setObjectName(QStringLiteral("attachModelAction"));
    m_attachModelAction->setStatusTip(
        tr("Attach a table model file to the table (its key must match)"));
    connect(m_attachModelAction, &QAction::triggered, this, [this] { attachModelFile(); });

    m_aboutAction = new QAction(icon("structdesk"), tr("&About StructDesk"), this);
    m_aboutAction->setObjectName(QStringLiteral("aboutAction"));
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
}
