#include "widgets/window/mainwindow.h"
#include "widgets/window/connectdialog.h"
#include "widgets/commands/deleterecords.h"
#include "widgets/commands/recordcommands.h"
#include "widgets/form/recordformdialog.h"

#include "model/rekey/recoveryjournal.h"

#include "widgets/rekey/journalrecoverydialog.h"

#include "widgets/rekey/bulkrekeydialog.h"

#include "widgets/rekey/rekeywizard.h"

#include "widgets/schema/checktabledialog.h"
#include "widgets/transfer/exportdialog.h"
#include "widgets/transfer/importdialog.h"
#include "widgets/schema/modelpreviewdialog.h"

#include "model/transfer/transferformat.h"

#include "model/store/open/demodata.h"
#include "model/json/jsoncodec.h"
#include "model/grid/recordtablemodel.h"
#include "model/store/open/storefactory.h"
#include "model/store/open/storerunner.h"
#include "widgets/grid/filterbar.h"
#include "widgets/common/messagebar.h"
#include "widgets/common/notifier.h"
#include "widgets/grid/recorddelegate.h"
#include "widgets/grid/recordgridview.h"
#include "widgets/grid/recordinspector.h"
#include "widgets/grid/tablelistview.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QCryptographicHash>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMimeData>
#include <QDir>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace {

constexpr int kStatusMessageMs = 4000;

QString formatCount(qint64 n)
{
    QLocale locale;
    locale.setNumberOptions(locale.numberOptions() & ~QLocale::OmitGroupSeparator);
    return locale.toString(n);
}

QString displayName(const QString &location)
{
    return StoreFactory::isRemote(location) ? location : QFileInfo(location).fileName();
}

/// Field paths a filter can use: the model's fields, nested map fields included.
void collectPaths(const MapModel &map, const QString &prefix, int depth, QStringList &out)
{
    for (const auto &field : map.fields) {
        const QString path = prefix.isEmpty() ? field->name : prefix + u'.' + field->name;
        if (!out.contains(path))
            out << path;
        if (depth >= 3)
            continue;
        if (const FieldType *t = field->type(FieldKind::Map); t && t->model)
            collectPaths(*t->model, path, depth + 1, out);
    }
}

QIcon icon(const char *name)
{
    return QIcon(QStringLiteral(":/icons/%1.svg").arg(QLatin1String(name)));
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent), m_pagesRunner(std::make_unique<StoreRunner>()),
      m_workRunner(std::make_unique<StoreRunner>()),
      m_transferRunner(std::make_unique<StoreRunner>())
{
    setObjectName(QStringLiteral("mainWindow"));
    // A file dropped anywhere on the window is imported into the current table.
    setAcceptDrops(true);
    setWindowTitle(tr("StructDesk"));
    setWindowIcon(icon("structdesk"));

    m_model = new RecordTableModel(m_pagesRunner.get(), m_workRunner.get(), this);
    m_model->setObjectName(QStringLiteral("recordModel"));

    m_tables = new TableListView(this);
    m_filterBar = new FilterBar(this);
    m_messageBar = new MessageBar(this);
    m_grid = new RecordGridView(this);
    m_grid->setModel(m_model);
    m_grid->setItemDelegate(new RecordDelegate(m_grid));
    m_grid->setEmptyText(tr("Open a store to browse its tables."));
    m_inspector = new RecordInspector(this);

    // The tables panel: the store's tables, and what the chosen one holds.
    auto *left = new QWidget(this);
    left->setObjectName(QStringLiteral("tablesPane"));
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 6, 0, 0);
    leftLayout->setSpacing(6);
    m_tableDetails = new QLabel(left);
    m_tableDetails->setObjectName(QStringLiteral("tableDetails"));
    m_tableDetails->setWordWrap(true);
    m_tableDetails->setTextFormat(Qt::RichText);
    m_tableDetails->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_tableDetails->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_tableDetails->setFrameShape(QFrame::StyledPanel);
    m_tableDetails->setMargin(6);
    m_tableDetails->setBackgroundRole(QPalette::Base);
    m_tableDetails->setAutoFillBackground(true);
    m_tableDetails->hide();
    leftLayout->addWidget(m_tables, 1);
    leftLayout->addWidget(m_tableDetails);

    auto *centre = new QWidget(this);
    centre->setObjectName(QStringLiteral("centrePane"));
    auto *centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(0, 6, 0, 0);
    centreLayout->setSpacing(6);
    centreLayout->addWidget(m_filterBar);
    centreLayout->addWidget(m_messageBar);
    centreLayout->addWidget(m_grid, 1);

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_splitter->addWidget(left);
    m_splitter->addWidget(centre);
    m_splitter->addWidget(m_inspector);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setStretchFactor(2, 0);
    m_splitter->setCollapsible(1, false);
    m_splitter->setChildrenCollapsible(true);
    m_splitter->setHandleWidth(6);
    left->setMinimumWidth(150);
    m_inspector->setMinimumWidth(240);
    m_splitter->setSizes({210, 610, 436});

    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(6, 0, 6, 0);
    centralLayout->addWidget(m_splitter);
    setCentralWidget(central);

    createActions();
    createMenus();
    createToolBar();
    createStatusBar();

    connect(m_tables, &TableListView::tableChosen, this, &MainWindow::chooseTable);
    connect(m_filterBar, &FilterBar::filterApplied, this, &MainWindow::applyFilter);
    connect(m_grid, &RecordGridView::sortRequested, this,
            [this](int column, Qt::SortOrder order) { m_model->sort(column, order); });
    connect(m_grid, &RecordGridView::clearSortRequested, this, &MainWindow::clearSort);
    connect(m_grid->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MainWindow::showCurrentRecord);
    connect(m_inspector, &RecordInspector::jsonCopied, this, [this] {
        statusBar()->showMessage(tr("Copied the record as JSON"), kStatusMessageMs);
    });

    connect(m_model, &RecordTableModel::countsChanged, this, &MainWindow::updateCounts);
    connect(m_model, &RecordTableModel::loadingChanged, this, &MainWindow::onLoadingChanged);
    connect(m_model, &RecordTableModel::progressChanged, this, &MainWindow::onProgress);
    connect(m_model, &RecordTableModel::loadFinished, this, &MainWindow::onLoadFinished);
    connect(m_model, &RecordTableModel::loadFailed, this, &MainWindow::showError);
    connect(m_model, &RecordTableModel::countProgress, this, [this](qint64 counted) {
        m_countLabel->setText(tr("%1 records shown; counting: %2 so far (Esc cancels)")
                                  .arg(formatCount(m_model->rowCount()), formatCount(counted)));
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        // A new view selects its first record (a reload keeps the row), so the inspector
        // always shows something.
        if (m_restoreRow < 0)
            m_restoreRow = 0;
        showCurrentRecord();
        updateFieldPaths();
        syncSortIndicator();
        updateCounts();
    });
    connect(m_model, &QAbstractItemModel::columnsInserted, this, &MainWindow::updateFieldPaths);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_restoreRow >= 0 && m_restoreRow < m_model->rowCount()) {
            m_grid->setCurrentIndex(m_model->index(m_restoreRow, 0));
            m_grid->scrollTo(m_grid->currentIndex());
        }
        m_restoreRow = -1;
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                const QModelIndex current = m_grid->currentIndex();
                if (current.isValid() && !m_inspector->hasRecord() &&
                    current.row() >= topLeft.row() && current.row() <= bottomRight.row())
                    showCurrentRecord();
            });

    m_storeWaitTimer = new QTimer(this);
    m_storeWaitTimer->setInterval(1000);
    connect(m_storeWaitTimer, &QTimer::timeout, this, &MainWindow::showStoreWait);

    restoreWindowSettings();
    rebuildRecentMenu();
    updateCounts();
}

MainWindow::~MainWindow()
{
    if (!m_storeWait.isEmpty()) {
        // Nothing is written while a store opens: stop waiting for it rather than for its
        // deadline, which the runners' destruction would.
        m_pagesRunner->interrupt();
        m_workRunner->interrupt();
    }
    // Dialogs cancel their work when they go; they go while the runners still exist.
    const QList<QDialog *> dialogs = findChildren<QDialog *>(Qt::FindDirectChildrenOnly);
    qDeleteAll(dialogs);
    // The model and the view call into the runners: both go before the runners do.
    m_grid->setModel(nullptr);
    delete m_model;
    m_model = nullptr;
}

void MainWindow::createActions()
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

    // New Store moves to Ctrl+Shift+N: Ctrl+N makes a new record, as in every record editor.
    m_newAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));

    m_connectAction = new QAction(tr("&Connect to DynamoDB…"), this);
    m_connectAction->setObjectName(QStringLiteral("connectAction"));
    m_connectAction->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_O));
    m_connectAction->setStatusTip(tr("Open tables in Amazon DynamoDB or a DynamoDB-compatible engine"));
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
    m_removeAction->setStatusTip(tr("Delete the selected records and keep them as JSON to copy or save"));
    connect(m_removeAction, &QAction::triggered, this, &MainWindow::removeSelected);
    m_grid->addAction(m_removeAction);

    m_history = new RecordHistory(m_pagesRunner.get(), this);
    connect(m_history, &RecordHistory::failed, this, &MainWindow::showError);
    connect(m_history, &RecordHistory::succeeded, this,
            [this](const QString &message) { statusBar()->showMessage(message, kStatusMessageMs); });
    connect(m_history, &RecordHistory::tableChanged, this, [this](const QString &table) {
        if (table == currentTable())
            m_model->reload();
    });
    connect(m_history, &RecordHistory::deletionFinished, this, [this](const DeletionReport &report) {
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
    connect(m_grid, &QAbstractItemView::activated, this, [this](const QModelIndex &) { editRecord(); });

    m_countExactlyAction = new QAction(tr("Count E&xactly"), this);
    m_countExactlyAction->setObjectName(QStringLiteral("countExactlyAction"));
    m_countExactlyAction->setStatusTip(tr("Count every record of the table (a full scan on DynamoDB)"));
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
    m_changeKeysAction->setStatusTip(
        tr("New keys from a template for the selected records, or for every record the filter shows"));
    connect(m_changeKeysAction, &QAction::triggered, this, &MainWindow::changeKeys);

    m_importAction = new QAction(icon("import"), tr("&Import Records…"), this);
    m_importAction->setObjectName(QStringLiteral("importAction"));
    m_importAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I));
    m_importAction->setIconText(tr("Import"));
    m_importAction->setStatusTip(
        tr("Import JSON lines, JSON, DynamoDB JSON or CSV into the table (or drop a file on the window)"));
    connect(m_importAction, &QAction::triggered, this, [this] { importFile(); });

    m_exportAction = new QAction(icon("export"), tr("E&xport Records…"), this);
    m_exportAction->setObjectName(QStringLiteral("exportAction"));
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    m_exportAction->setIconText(tr("Export"));
    m_exportAction->setStatusTip(tr("Export the selected records, the filtered records or the whole table"));
    connect(m_exportAction, &QAction::triggered, this, &MainWindow::exportRecords);

    m_checkAction = new QAction(tr("C&heck Against Model…"), this);
    m_checkAction->setObjectName(QStringLiteral("checkTableAction"));
    m_checkAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    m_checkAction->setStatusTip(tr("List every record that fails the table model"));
    connect(m_checkAction, &QAction::triggered, this, &MainWindow::checkTable);

    m_inferAction = new QAction(tr("Infer Model from &Records…"), this);
    m_inferAction->setObjectName(QStringLiteral("inferModelAction"));
    m_inferAction->setStatusTip(tr("Infer a table model from the records, edit it, save or attach it"));
    connect(m_inferAction, &QAction::triggered, this, &MainWindow::inferModelFromTable);

    m_inferFileAction = new QAction(tr("Infer Model from &File…"), this);
    m_inferFileAction->setObjectName(QStringLiteral("inferModelFromFileAction"));
    m_inferFileAction->setStatusTip(tr("Infer a table model from a JSON, DynamoDB JSON or CSV file"));
    connect(m_inferFileAction, &QAction::triggered, this, [this] { inferModelFromFile(); });

    m_attachModelAction = new QAction(tr("&Attach Model File…"), this);
    m_attachModelAction->setObjectName(QStringLiteral("attachModelAction"));
    m_attachModelAction->setStatusTip(tr("Attach a table model file to the table (its key must match)"));
    connect(m_attachModelAction, &QAction::triggered, this, [this] { attachModelFile(); });

    m_aboutAction = new QAction(icon("structdesk"), tr("&About StructDesk"), this);
    m_aboutAction->setObjectName(QStringLiteral("aboutAction"));
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->setObjectName(QStringLiteral("fileMenu"));
    file->addAction(m_newAction);
    file->addAction(m_openAction);
    file->addAction(m_openLocationAction);
    file->addAction(m_connectAction);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
    file->addSeparator();
    file->addAction(m_quitAction);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->setObjectName(QStringLiteral("editMenu"));
    edit->addAction(m_history->undoAction());
    edit->addAction(m_history->redoAction());
    edit->addSeparator();
    edit->addAction(m_newRecordAction);
    edit->addAction(m_editRecordAction);
    edit->addAction(m_editCellAction);
    edit->addAction(m_deleteAction);
    edit->addAction(m_removeAction);
    edit->addSeparator();
    edit->addAction(m_copyAction);
    edit->addSeparator();
    edit->addAction(m_changeKeyAction);
    edit->addAction(m_changeKeysAction);
    edit->addSeparator();
    edit->addAction(m_findAction);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->setObjectName(QStringLiteral("viewMenu"));
    view->addAction(m_refreshAction);
    view->addAction(m_countExactlyAction);
    view->addAction(m_cancelAction);
    view->addSeparator();
    view->addAction(m_clearSortAction);
    view->addSeparator();
    view->addAction(m_showTablesAction);
    view->addAction(m_showInspectorAction);

    QMenu *table = menuBar()->addMenu(tr("&Table"));
    table->setObjectName(QStringLiteral("tableMenu"));
    table->addAction(m_importAction);
    table->addAction(m_exportAction);
    table->addSeparator();
    table->addAction(m_checkAction);
    table->addAction(m_inferAction);
    table->addAction(m_inferFileAction);
    table->addAction(m_attachModelAction);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->setObjectName(QStringLiteral("helpMenu"));
    help->addAction(m_aboutAction);
}

void MainWindow::createToolBar()
{
    QToolBar *bar = addToolBar(tr("Main Toolbar"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setIconSize(QSize(20, 20));
    bar->addAction(m_openAction);
    bar->addAction(m_refreshAction);
    bar->addSeparator();
    bar->addAction(m_newRecordAction);
    bar->addAction(m_copyAction);
    bar->addAction(m_clearSortAction);
    bar->addSeparator();
    bar->addAction(m_importAction);
    bar->addAction(m_exportAction);
    bar->addSeparator();
    bar->addAction(m_showTablesAction);
    bar->addAction(m_showInspectorAction);
    m_newAction->setIconText(tr("New"));
    m_refreshAction->setIconText(tr("Refresh"));
    m_clearSortAction->setIconText(tr("Clear Sort"));
    // Toolbar buttons get objectNames too, so tests and screenshots can find them.
    for (QAction *action : bar->actions()) {
        if (QWidget *w = bar->widgetForAction(action); w && !action->objectName().isEmpty())
            w->setObjectName(action->objectName() + QStringLiteral("Button"));
    }
}

void MainWindow::createStatusBar()
{
    m_countLabel = new QLabel(this);
    m_countLabel->setObjectName(QStringLiteral("countLabel"));
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("loadProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setMaximumWidth(200);
    m_progress->setMaximumHeight(statusBar()->fontMetrics().height() + 4);
    m_progress->setTextVisible(true);
    m_progress->hide();
    m_cancelButton = new QToolButton(this);
    m_cancelButton->setObjectName(QStringLiteral("cancelLoadButton"));
    m_cancelButton->setDefaultAction(m_cancelAction);
    m_cancelButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_cancelButton->setText(tr("Cancel"));
    m_cancelButton->setAutoRaise(true);
    m_cancelButton->hide();
    m_timeLabel = new QLabel(this);
    m_timeLabel->setObjectName(QStringLiteral("loadTimeLabel"));
    statusBar()->setObjectName(QStringLiteral("statusBar"));
    statusBar()->addWidget(m_countLabel);
    statusBar()->addWidget(m_progress);
    statusBar()->addWidget(m_cancelButton);
    statusBar()->addPermanentWidget(m_timeLabel);
}

// ---- stores and tables ----

QString MainWindow::storeSettingsGroup(const QString &location)
{
    const QByteArray hash =
        QCryptographicHash::hash(location.toUtf8(), QCryptographicHash::Sha1).toHex().left(16);
    return QStringLiteral("stores/") + QString::fromLatin1(hash);
}

namespace {

/// Why opening `location` failed, without repeating the location the message names first.
QString why(const Status &opened, const QString &location)
{
    const Error &e = opened.error();
    return e.location == location ? e.message : e.toString();
}

} // namespace

void MainWindow::openStore(const QString &location, OpenMode mode, const QString &table)
{
    if (!m_storeWait.isEmpty()) {
        // The opening still waiting is abandoned; the runners turn to this one at once.
        m_pagesRunner->interrupt();
        m_workRunner->interrupt();
        endStoreWait();
    }
    saveColumnState();
    const quint64 generation = ++m_openGeneration;
    m_messageBar->dismiss();
    m_storeWarning.clear();
    m_model->clear();
    m_inspector->clear();
    m_filterBar->reset();
    m_tableInfos.clear();
    m_location = location;
    updateTableDetails();
    m_tables->setStore(location);
    m_grid->setEmptyText(tr("Opening %1…").arg(displayName(location)));
    setWindowTitle(tr("%1 — StructDesk").arg(displayName(location)));

    const bool exists = StoreFactory::isRemote(location) || QFileInfo::exists(location);
    if (mode == OpenMode::CreateDemoIfMissing && !exists) {
        // The demo store is written off the GUI thread; the window shows meanwhile.
        m_countLabel->setText(tr("Creating the demo store…"));
        m_progress->setRange(0, 0);
        m_progress->setFormat(QString());
        m_progress->show();
        QtConcurrent::run([location] {
            QDir().mkpath(QFileInfo(location).absolutePath());
            return DemoData::createDemoStore(location);
        }).then(this, [this, generation, location, table](Status created) {
            if (generation != m_openGeneration)
                return;
            m_progress->hide();
            m_progress->setRange(0, 1000);
            if (!created) {
                showError(tr("Could not create the demo store %1: %2")
                              .arg(location, created.error().toString()));
                m_tables->setError(created.error().toString());
                emit storeFailed(created.error().toString());
                return;
            }
            openOpenedStore(generation, location, table);
        });
        return;
    }
    if (mode == OpenMode::Existing && !exists) {
        const QString message = tr("There is no store at %1.").arg(location);
        showError(message);
        m_tables->setError(message);
        m_grid->setEmptyText(tr("Open a store to browse its tables."));
        emit storeFailed(message);
        return;
    }
    const auto create =
        mode == OpenMode::CreateEmpty ? StoreFactory::Create::IfMissing : StoreFactory::Create::No;
    m_countLabel->setText(tr("Opening…"));
    if (StoreFactory::isRemote(location))
        beginStoreWait(tr("Connecting to %1…").arg(location));
    m_pagesRunner->open(location, create)
        .then(this, [this, generation, location, table](Status opened) {
            if (generation != m_openGeneration)
                return;
            if (!opened) {
                endStoreWait();
                const QString message =
                    tr("Could not open %1: %2").arg(location, why(opened, location));
                showError(message);
                m_tables->setError(opened.error().toString());
                m_grid->setEmptyText(tr("Open a store to browse its tables."));
                updateCounts();
                emit storeFailed(message);
                return;
            }
            openOpenedStore(generation, location, table);
        });
}

void MainWindow::openOpenedStore(quint64 generation, const QString &location, const QString &table)
{
    // Both runners serve the same store: pages on one, long work (indexes, filters) on the other.
    auto finish = [this, generation, location, table](Status opened) {
        if (generation != m_openGeneration)
            return;
        if (!opened) {
            endStoreWait();
            const QString message =
                tr("Could not open %1: %2").arg(location, why(opened, location));
            showError(message);
            m_tables->setError(opened.error().toString());
            emit storeFailed(message);
            return;
        }
        storeReady(location, table);
    };
    if (m_pagesRunner->location() == location) {
        m_workRunner->open(location).then(this, finish);
    } else {
        m_pagesRunner->open(location).then(this,
                                           [this, generation, location, finish](Status opened) {
                                               if (generation != m_openGeneration)
                                                   return;
                                               if (!opened) {
                                                   finish(opened);
                                                   return;
                                               }
                                               m_workRunner->open(location).then(this, finish);
                                           });
    }
}

void MainWindow::storeReady(const QString &location, const QString &table)
{
    addRecentStore(location);
    QSettings().setValue(QStringLiteral("lastStore"), location);
    m_grid->setEmptyText(tr("Choose a table on the left to browse its records."));
    // A damaged store file opens read-only: say so, with what to do, before anything else
    // (and any read-only store says so in the title).
    const quint64 generation = m_openGeneration;
    m_pagesRunner->call(
        [](RecordStore &store) { return Result<StoreCapabilities>(store.capabilities()); }, this,
        [this, generation, location](Result<StoreCapabilities> caps) {
            if (generation != m_openGeneration || !caps)
                return;
            if (caps->readOnly)
                setWindowTitle(tr("%1 (read-only) — StructDesk").arg(displayName(location)));
            if (caps->damaged.isEmpty())
                return;
            m_storeWarning = caps->damaged;
            m_messageBar->showMessage(m_storeWarning, MessageBar::Kind::Warning);
        });
    emit storeOpened(location);
    if (!m_journalOffered) {
        // Once per session: what a crash left in the recovery journal comes first.
        m_journalOffered = true;
        QTimer::singleShot(0, this, &MainWindow::offerJournalRecovery);
    }
    QString select = table;
    if (select.isEmpty())
        select = QSettings()
                     .value(storeSettingsGroup(location) + QStringLiteral("/lastTable"))
                     .toString();
    loadTables(select);
}

void MainWindow::loadTables(const QString &select)
{
    const quint64 generation = m_openGeneration;
    // Table names and counts are quick: the pages runner, so a long filter never delays them.
    m_pagesRunner
        ->run([select](RecordStore &store) -> Result<QList<TableInfo>> {
            // Models may have changed through another connection (set-model, an attach).
            store.forgetModels();
            auto names = store.listTables();
            if (!names)
                return names.error();
            QList<TableInfo> tables;
            for (const QString &name : *names) {
                auto info = store.describeTable(name);
                // Listing reads no samples (inferredFrom -1: a model to be inferred on first
                // use); the table about to be shown gets its inferred model now, as its grid
                // would read the sample anyway.
                if (info && info->inferredFrom < 0 && name == select && store.model(name))
                    info = store.describeTable(name);
                if (info) {
                    tables << *info;
                } else {
                    TableInfo broken;
                    broken.name = name;
                    tables << broken;
                }
            }
            return tables;
        })
        .then(this, [this, generation, select](Result<QList<TableInfo>> tables) {
            if (generation != m_openGeneration)
                return;
            endStoreWait(); // opening ends with the tables listed
            if (!tables) {
                showError(tr("Could not list the tables of %1: %2")
                              .arg(m_location, tables.error().toString()));
                m_tables->setError(tables.error().toString());
                return;
            }
            m_tableInfos = *tables;
            m_tables->setTables(m_tableInfos);
            updateTableDetails();
            if (m_tableInfos.isEmpty()) {
                m_grid->setEmptyText(tr("This store has no tables yet.\nCreate one with "
                                        "structdesk-cli create-table TABLE --model FILE."));
                updateCounts();
            } else if (m_model->table().isEmpty()) {
                if (select.isEmpty() || !m_tables->selectTable(select))
                    m_tables->selectTable(m_tableInfos.front().name);
            }
            emit tablesLoaded();
        });
}

QString MainWindow::currentTable() const
{
    return m_model->table();
}

void MainWindow::chooseTable(const QString &name)
{
    if (name == m_model->table())
        return;
    auto it = std::find_if(m_tableInfos.cbegin(), m_tableInfos.cend(),
                           [&](const TableInfo &info) { return info.name == name; });
    if (it == m_tableInfos.cend())
        return;
    if (!it->model) {
        showError(
            tr("The model of table %1 could not be read; refresh (F5) to try again.").arg(name));
        return;
    }
    if (it->inferredFrom < 0) {
        // No model is attached, and listing the tables read no samples: the store infers the
        // model on the table's first use. Do that first, off the GUI thread, so the grid opens
        // with the inferred model's columns and notes, and the details say where it came from.
        saveColumnState();
        m_model->clear();
        m_inspector->clear();
        m_grid->setEmptyText(tr("Reading a sample of %1 to infer its model…").arg(name));
        const quint64 generation = m_openGeneration;
        m_pagesRunner->call(
            [name](RecordStore &store) -> Result<TableInfo> {
                if (auto model = store.model(name); !model)
                    return model.error();
                return store.describeTable(name); // the model just inferred, at no cost
            },
            this, [this, generation, name](Result<TableInfo> info) {
                if (generation != m_openGeneration)
                    return;
                auto slot = std::find_if(m_tableInfos.begin(), m_tableInfos.end(),
                                         [&](const TableInfo &t) { return t.name == name; });
                if (slot == m_tableInfos.end())
                    return;
                if (!info) {
                    showError(tr("The model of table %1 could not be read: %2")
                                  .arg(name, info.error().toString()));
                    m_grid->setEmptyText(
                        tr("The model of table %1 could not be read; refresh (F5) to try again.")
                            .arg(name));
                    return;
                }
                *slot = *info;
                slot->inferredFrom = std::max<qint64>(slot->inferredFrom, 0); // asked once
                m_tables->setTables(m_tableInfos);
                if (m_tables->currentTable() == name && m_model->table() != name)
                    chooseTable(name);
            });
        return;
    }
    saveColumnState();
    m_messageBar->dismiss();
    if (!m_storeWarning.isEmpty())
        m_messageBar->showMessage(m_storeWarning, MessageBar::Kind::Warning);
    m_filterBar->reset();
    m_inspector->clear();
    m_timeLabel->clear();
    const QString group = storeSettingsGroup(m_location);
    QSettings settings;
    settings.setValue(group + QStringLiteral("/lastTable"), name);
    m_grid->setColumnState(settings.value(group + QStringLiteral("/columns/") + name).toMap());
    m_model->setTable(name, it->model);
    m_tables->selectTable(name); // re-enters here and returns: the table is set
    updateTableDetails();
    if (m_model->rowCount() == 0)
        m_grid->setEmptyText(tr("Loading %1…").arg(name));
}

void MainWindow::refresh()
{
    if (m_location.isEmpty())
        return;
    m_messageBar->dismiss();
    if (!m_model->table().isEmpty()) {
        m_restoreRow = m_grid->currentIndex().row();
        m_model->reload();
    }
    loadTables(m_model->table());
}

// ---- grid, filter, sort ----

bool MainWindow::isNaturalView() const
{
    return m_model->filterConditions().empty() && m_model->filterText().isEmpty() &&
           m_model->sortColumn() < 0;
}

void MainWindow::applyFilter(const std::vector<FilterCondition> &conditions, const QString &text)
{
    if (m_model->table().isEmpty())
        return;
    m_messageBar->dismiss();
    m_model->setFilter(conditions, text);
}

void MainWindow::clearSort()
{
    if (m_model->sortColumn() >= 0)
        m_model->clearSort();
    syncSortIndicator();
}

void MainWindow::syncSortIndicator()
{
    m_grid->showSortIndicator(m_model->sortColumn(), m_model->sortOrder());
    m_clearSortAction->setEnabled(m_model->sortColumn() >= 0);
}

void MainWindow::cancelLoad()
{
    if (!m_storeWait.isEmpty()) {
        // Whatever the runners answer for this opening now is dropped.
        ++m_openGeneration;
        m_pagesRunner->interrupt();
        m_workRunner->interrupt();
        endStoreWait();
        const QString message = tr("Stopped connecting to %1.").arg(m_location);
        m_messageBar->showMessage(message, MessageBar::Kind::Warning);
        m_tables->setError(message);
        m_grid->setEmptyText(tr("Open a store to browse its tables."));
        updateCounts();
        emit storeFailed(message);
        return;
    }
    if (m_model->isCounting()) {
        m_model->cancelCount();
        statusBar()->showMessage(tr("Count cancelled; the estimate stays."), kStatusMessageMs);
        return;
    }
    if (!m_model->isLoading() || isNaturalView())
        return;
    // The model goes back to the view that last finished loading.
    m_model->cancel();
    statusBar()->showMessage(tr("Cancelled; showing the previous view."), kStatusMessageMs);
}

void MainWindow::updateFieldPaths()
{
    QStringList paths;
    if (const TableModelPtr model = m_model->tableModel())
        collectPaths(model->root(), {}, 0, paths);
    for (int c = 0; c < m_model->columnCount(); ++c) {
        const QString name = m_model->headerData(c, Qt::Horizontal).toString();
        if (!paths.contains(name))
            paths << name;
    }
    if (paths != m_filterBar->fieldPaths())
        m_filterBar->setFieldPaths(paths);
}

void MainWindow::updateCounts()
{
    if (!m_storeWait.isEmpty()) {
        showStoreWait();
        return;
    }
    const qint64 shown = m_model->rowCount();
    const qint64 total = m_model->totalCount();
    if (m_model->table().isEmpty()) {
        m_countLabel->setText(m_location.isEmpty() ? tr("No store open") : tr("No table chosen"));
    } else if (total < 0 && shown == 0) {
        m_countLabel->setText(tr("Loading %1…").arg(m_model->table()));
    } else if (total < 0 && m_model->isSequential() && m_model->canFetchMore({})) {
        m_countLabel->setText(tr("%1 records shown, more as you scroll (View ▸ Count Exactly)")
                                  .arg(formatCount(shown)));
    } else if (total < 0) {
        m_countLabel->setText(tr("%1 records shown").arg(formatCount(shown)));
    } else if (!m_model->totalIsExact() && total <= shown) {
        // The estimate lags behind (DynamoDB refreshes it about every six hours).
        m_countLabel->setText(tr("%1 records shown, more as you scroll (View ▸ Count Exactly)")
                                  .arg(formatCount(shown)));
    } else if (!m_model->totalIsExact()) {
        // DynamoDB's item count is an estimate, refreshed by the service about every six hours.
        m_countLabel->setText(tr("%1 records shown of about %2 (estimate; View ▸ Count Exactly)")
                                  .arg(formatCount(shown), formatCount(total)));
    } else {
        m_countLabel->setText(
            tr("%1 records shown of %2").arg(formatCount(shown), formatCount(total)));
    }
    m_countExactlyAction->setEnabled(!m_model->table().isEmpty() && !m_model->totalIsExact());
    if (total >= 0 && m_model->totalIsExact() && isNaturalView()) {
        // The grid knows the exact count (every page read, or counted): the tables panel and the
        // details say it too, instead of an estimate or "?".
        auto it = std::find_if(m_tableInfos.begin(), m_tableInfos.end(),
                               [&](const TableInfo &info) { return info.name == m_model->table(); });
        if (it != m_tableInfos.end() && (it->count != total || !it->countExact)) {
            it->count = total;
            it->countExact = true;
            m_tables->setTables(m_tableInfos);
        }
    }
    if (!m_model->table().isEmpty() && shown == 0 && !m_model->isLoading() && total >= 0) {
        m_grid->setEmptyText(isNaturalView()
                                 ? tr("The table %1 has no records.").arg(m_model->table())
                                 : tr("No records match the filter."));
    }
}

void MainWindow::onLoadingChanged(bool loading)
{
    if (!m_storeWait.isEmpty())
        return; // the store wait owns the progress and Cancel
    const bool natural = isNaturalView();
    const bool cancellable = loading && (!natural || m_model->isCounting());
    m_cancelAction->setEnabled(cancellable);
    m_cancelButton->setVisible(cancellable);
    if (loading) {
        QString what = tr("Loading");
        if (!m_model->filterConditions().empty() || !m_model->filterText().isEmpty())
            what = tr("Filtering");
        else if (m_model->sortColumn() >= 0)
            what = tr("Sorting");
        if (m_model->isCounting())
            what = tr("Counting");
        m_progress->setValue(0);
        m_progress->setFormat(what + QStringLiteral("… %p%"));
        m_progress->show();
        m_timeLabel->setText(what + QStringLiteral("…"));
    } else {
        m_progress->hide();
    }
    syncSortIndicator();
    updateCounts();
}

void MainWindow::onProgress(double fraction)
{
    m_progress->setValue(int(std::clamp(fraction, 0.0, 1.0) * 1000));
}

void MainWindow::onLoadFinished(qint64 milliseconds)
{
    updateTableDetails();
    m_timeLabel->setText(tr("Loaded in %1 ms").arg(formatCount(milliseconds)));
    updateCounts();
}

void MainWindow::updateTableDetails()
{
    const QString table = m_model->table();
    auto it = std::find_if(m_tableInfos.cbegin(), m_tableInfos.cend(),
                           [&](const TableInfo &info) { return info.name == table; });
    if (table.isEmpty() || it == m_tableInfos.cend() || !it->model) {
        m_tableDetails->hide();
        return;
    }
    const TableModel &model = *it->model;
    auto row = [](const QString &label, const QString &value) {
        return QStringLiteral("<tr><td style=\"color:palette(mid); "
                              "padding-right:8px\">%1</td><td>%2</td></tr>")
            .arg(label.toHtmlEscaped(), value);
    };
    QString html =
        QStringLiteral("<b>%1</b><table style=\"margin-top:4px\">").arg(table.toHtmlEscaped());
    const qint64 total = m_model->totalCount() >= 0 ? m_model->totalCount() : it->count;
    html += row(tr("Records"), total >= 0 ? formatCount(total) : tr("unknown"));
    QString key = QStringLiteral("%1 <span style=\"color:palette(mid)\">(%2)</span>")
                      .arg(model.hashKey().toHtmlEscaped(), fieldKindName(model.hashKeyType()));
    if (!model.primaryIndex().sortKey.isEmpty())
        key += QStringLiteral(", %1").arg(model.primaryIndex().sortKey.toHtmlEscaped());
    html += row(tr("Key"), key);
    QStringList indexes;
    for (const IndexSpec &index : model.secondaryIndexes())
        indexes << index.name.toHtmlEscaped();
    if (!indexes.isEmpty())
        html += row(indexes.size() == 1 ? tr("Index") : tr("Indexes"),
                    indexes.join(QStringLiteral(", ")));
    if (it->hasModel) {
        int required = 0;
        for (const auto &field : model.root().fields)
            required += field->required ? 1 : 0;
        html +=
            row(tr("Fields"), tr("%1 (%2 required)").arg(model.root().fields.size()).arg(required));
    } else {
        html += row(tr("Fields"), tr("free-form (no table model)"));
    }
    if (it->inferredFrom > 0) {
        html += row(tr("Model"),
                    tr("inferred from %1 sampled records; only the key is enforced. Attach "
                       "one: Table ▸ Attach Model File…")
                        .arg(formatCount(it->inferredFrom))
                        .toHtmlEscaped());
    }
    html += QStringLiteral("</table>");
    m_tableDetails->setText(html);
    m_tableDetails->setToolTip(m_location);
    m_tableDetails->show();
}

void MainWindow::beginStoreWait(const QString &what)
{
    m_storeWait = what;
    m_storeWaitClock.start();
    m_progress->setRange(0, 0); // busy: a connection has no fraction done
    m_progress->setFormat(QString());
    m_progress->show();
    m_cancelAction->setEnabled(true);
    m_cancelButton->setVisible(true);
    m_messageBar->showMessage(tr("%1 Esc or Cancel stops waiting.").arg(what),
                              MessageBar::Kind::Information);
    m_grid->setEmptyText(what);
    showStoreWait();
    m_storeWaitTimer->start();
}

void MainWindow::showStoreWait()
{
    if (m_storeWait.isEmpty())
        return;
    m_countLabel->setText(tr("%1 %2 s (Esc cancels)")
                              .arg(m_storeWait)
                              .arg(qRound(double(m_storeWaitClock.elapsed()) / 1000.0)));
}

void MainWindow::endStoreWait()
{
    if (m_storeWait.isEmpty())
        return;
    m_storeWait.clear();
    m_storeWaitTimer->stop();
    m_progress->hide();
    m_progress->setRange(0, 1000);
    if (m_messageBar->kind() == MessageBar::Kind::Information && m_messageBar->isVisible())
        m_messageBar->dismiss();
    onLoadingChanged(m_model->isLoading()); // Cancel and the counts as the grid says
}

void MainWindow::showError(const QString &message)
{
    m_messageBar->showMessage(message, MessageBar::Kind::Error);
}

void MainWindow::showCurrentRecord()
{
    const QModelIndex current = m_grid->currentIndex();
    if (!current.isValid()) {
        m_inspector->clear();
        return;
    }
    const QModelIndex first = current.siblingAtColumn(0);
    const auto state = first.data(RecordTableModel::ValidationStateRole)
                           .value<RecordTableModel::ValidationState>();
    if (state == RecordTableModel::ValidationState::Unreadable) {
        m_inspector->setUnreadable(first.data(RecordTableModel::RecordKeyRole).value<Value>(),
                                   m_model->tableModel(),
                                   first.data(RecordTableModel::UnreadableRole).toString());
        return;
    }
    const QVariant record = first.data(RecordTableModel::RecordRole);
    if (!record.isValid()) {
        m_inspector->setLoading();
        return;
    }
    m_inspector->setRecord(record.value<Value>(), m_model->tableModel(),
                           first.data(RecordTableModel::ProblemsRole).toStringList(),
                           state == RecordTableModel::ValidationState::Invalid);
}

void MainWindow::copySelectionAsJson()
{
    // Text fields copy their own selection.
    QWidget *focus = QApplication::focusWidget();
    if (auto *edit = qobject_cast<QLineEdit *>(focus); edit && edit->hasSelectedText()) {
        edit->copy();
        return;
    }
    if (auto *text = qobject_cast<QPlainTextEdit *>(focus);
        text && text->textCursor().hasSelection()) {
        text->copy();
        return;
    }
    QModelIndexList rows = m_grid->selectionModel()->selectedRows();
    if (rows.isEmpty() && m_grid->currentIndex().isValid())
        rows << m_grid->currentIndex().siblingAtColumn(0);
    std::sort(rows.begin(), rows.end(),
              [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    QByteArray lines;
    int copied = 0;
    int missing = 0;
    for (const QModelIndex &row : std::as_const(rows)) {
        const QVariant record = row.data(RecordTableModel::RecordRole);
        if (!record.isValid()) {
            ++missing;
            continue;
        }
        JsonCodec::appendPlain(lines, record.value<Value>());
        lines += '\n';
        ++copied;
    }
    if (copied == 0) {
        statusBar()->showMessage(rows.isEmpty() ? tr("Select records to copy them as JSON.")
                                                : tr("The selected records are still loading."),
                                 kStatusMessageMs);
        return;
    }
    QGuiApplication::clipboard()->setText(QString::fromUtf8(lines));
    QString message =
        copied == 1 ? tr("Copied 1 record as JSON") : tr("Copied %1 records as JSON").arg(copied);
    if (missing > 0)
        message += tr(" (%1 still loading, not copied)").arg(missing);
    statusBar()->showMessage(message, kStatusMessageMs);
}

void MainWindow::focusFilter()
{
    m_filterBar->focusSearch();
}

// ---- dialogs ----

void MainWindow::newStoreDialog()
{
    QString path = QFileDialog::getSaveFileName(this, tr("New Store"), QDir::homePath(),
                                                tr("StructDesk stores (*.structdesk)"), nullptr,
                                                QFileDialog::DontConfirmOverwrite);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".structdesk");
    if (QFileInfo::exists(path)) {
        Notifier::instance().notify(
            this, Notifier::Level::Warning, tr("New Store"),
            tr("%1 already exists. StructDesk does not overwrite files; choose "
               "another name, or open it with Open Store.")
                .arg(path));
        return;
    }
    openStore(path, OpenMode::CreateEmpty);
}

void MainWindow::openStoreDialog()
{
    const QString dir = m_location.isEmpty() || StoreFactory::isRemote(m_location)
                            ? QDir::homePath()
                            : QFileInfo(m_location).absolutePath();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Store"), dir,
        tr("StructDesk stores (*.structdesk *.sqlite *.db);;All files (*)"));
    if (!path.isEmpty())
        openStore(path);
}

void MainWindow::openLocationDialog()
{
    bool ok = false;
    const QString location =
        QInputDialog::getText(this, tr("Open Location"),
                              tr("Store location (a file path, or dynamodb://HOST:PORT?region=R):"),
                              QLineEdit::Normal, m_location, &ok);
    if (ok && !location.trimmed().isEmpty())
        openStore(location.trimmed());
}

void MainWindow::showAbout()
{
    Notifier::instance().about(
        this, tr("About StructDesk"),
        tr("<h3>StructDesk %1</h3><p>A desktop browser and editor for structured NoSQL tables: "
           "records described by StructNoSQL-style table models, in an embedded store or in "
           "DynamoDB.</p><p>Built with Qt %2.</p>")
            .arg(QApplication::applicationVersion().isEmpty() ? QStringLiteral("0.1")
                                                              : QApplication::applicationVersion(),
                 QLatin1String(qVersion())));
}

// ---- settings ----

QStringList MainWindow::recentStores() const
{
    return QSettings().value(QStringLiteral("recentStores")).toStringList();
}

void MainWindow::addRecentStore(const QString &location)
{
    QStringList recent = recentStores();
    recent.removeAll(location);
    recent.prepend(location);
    while (recent.size() > kMaxRecentStores)
        recent.removeLast();
    QSettings().setValue(QStringLiteral("recentStores"), recent);
    rebuildRecentMenu();
}

void MainWindow::clearRecentStores()
{
    QSettings().remove(QStringLiteral("recentStores"));
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = recentStores();
    int n = 0;
    for (const QString &location : recent) {
        ++n;
        const QString label = n < 10 ? QStringLiteral("&%1  %2").arg(n).arg(location) : location;
        QAction *action = m_recentMenu->addAction(label);
        action->setObjectName(QStringLiteral("recentStoreAction%1").arg(n - 1));
        action->setData(location);
        connect(action, &QAction::triggered, this, [this, location] { openStore(location); });
    }
    if (recent.isEmpty()) {
        m_recentMenu->addAction(tr("No recent stores"))->setEnabled(false);
    } else {
        m_recentMenu->addSeparator();
        QAction *clear = m_recentMenu->addAction(tr("Clear Menu"));
        clear->setObjectName(QStringLiteral("clearRecentAction"));
        connect(clear, &QAction::triggered, this, &MainWindow::clearRecentStores);
    }
}

void MainWindow::saveColumnState()
{
    if (m_location.isEmpty() || m_model->table().isEmpty())
        return;
    QSettings().setValue(storeSettingsGroup(m_location) + QStringLiteral("/columns/") +
                             m_model->table(),
                         m_grid->columnState());
}

void MainWindow::saveWindowSettings()
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/splitter"), m_splitter->saveState());
    settings.setValue(QStringLiteral("window/tablesVisible"), m_showTablesAction->isChecked());
    settings.setValue(QStringLiteral("window/inspectorVisible"),
                      m_showInspectorAction->isChecked());
    saveColumnState();
}

void MainWindow::restoreWindowSettings()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1280, 800);
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_splitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
    m_showTablesAction->setChecked(
        settings.value(QStringLiteral("window/tablesVisible"), true).toBool());
    m_showInspectorAction->setChecked(
        settings.value(QStringLiteral("window/inspectorVisible"), true).toBool());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveWindowSettings();
    QMainWindow::closeEvent(event);
}

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
    auto *wizard = new RekeyWizard(m_pagesRunner.get(), RecoveryJournal::defaultDirectory(), currentTable(),
                                   m_model->tableModel(), *record, this);
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
        dialog = new BulkRekeyDialog(m_pagesRunner.get(), journal, currentTable(), m_model->tableModel(),
                                     std::move(keys), this);
    } else {
        ScanRequest filter;
        filter.conditions = m_model->filterConditions();
        filter.text = m_model->filterText();
        dialog = new BulkRekeyDialog(m_pagesRunner.get(), journal, currentTable(), m_model->tableModel(),
                                     std::move(filter), this);
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
    statusBar()->showMessage(tr("%1 is now %2.").arg(oldKey.text(), newKey.text()), kStatusMessageMs);
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
    connect(form, &RecordFormDialog::recordSaved, this, [this, table, model](const Value &before, const Value &after) {
        m_history->recordSaved(table, model, before, after);
        if (table == currentTable())
            m_model->reload();
        statusBar()->showMessage(tr("Saved."), kStatusMessageMs);
    });
    connect(form, &RecordFormDialog::openExistingRequested, this, [this, table](const Value &key) {
        m_pagesRunner->call([table, key](RecordStore &store) { return store.getRecord(table, key); }, this,
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
        showError(tr("Only scalar fields other than the key can be edited in place; use the form (F2)."));
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
        runner->call([](RecordStore &store) { return Result<StoreCapabilities>(store.capabilities()); }, this,
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
                         auto *dialog = new ImportDialog(runner, table, path, capabilities.atomicAtAnySize(), this);
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
        auto *dialog = new ExportDialog(runner, table, std::move(keys), std::move(filter), shown, filtered, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &ExportDialog::exported, this, [this](const QString &path, qint64 records) {
            statusBar()->showMessage(tr("Exported %1 records to %2.").arg(formatCount(records), path),
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
        showError(tr("The model of %1 is inferred from sampled records and enforces nothing but the "
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
            statusBar()->showMessage(failing == 0
                                         ? tr("All %1 records pass the model.").arg(formatCount(checked))
                                         : tr("%1 of %2 records fail the model.")
                                               .arg(formatCount(failing), formatCount(checked)),
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
        file = QFileDialog::getOpenFileName(this, tr("Infer a Model from a File"), QString(),
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
        file = QFileDialog::getOpenFileName(this, tr("Attach a Model File to %1").arg(table), QString(),
                                            tr("Table models (*.json);;All files (*)"));
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
        this, [this, table, file](Status attached) {
            if (!attached) {
                showError(tr("Could not attach %1 to %2: %3")
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
    m_pagesRunner->call([table, key](RecordStore &store) { return store.getRecord(table, key); }, this,
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
