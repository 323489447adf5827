// The main window: its panes, menus, toolbar and status bar, the store dialogs and the settings
// it keeps. Its commands live in mainwindowactions, mainwindowstores, mainwindowgrid,
// mainwindowrecords and mainwindowtransfer.cpp.

#include "widgets/window/mainwindow.h"

#include "model/grid/recordtablemodel.h"
#include "model/store/open/storefactory.h"
#include "model/store/open/storerunner.h"
#include "widgets/commands/recordcommands.h"
#include "widgets/common/looks.h"
#include "widgets/common/messagebar.h"
#include "widgets/common/notifier.h"
#include "widgets/grid/filterbar.h"
#include "widgets/grid/recorddelegate.h"
#include "widgets/grid/recordgridview.h"
#include "widgets/grid/recordinspector.h"
#include "widgets/grid/tablelistview.h"
#include "widgets/window/mainwindowparts.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDialog>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QProgressBar>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace mainwindowparts {

QString displayName(const QString &location)
{
    return StoreFactory::isRemote(location) ? location : QFileInfo(location).fileName();
}

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

} // namespace mainwindowparts

using namespace mainwindowparts;

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

    createPanes();

    createActions();
    createMenus();
    createToolBar();
    createStatusBar();

    connectPanes();
    connectModel();

    m_storeWaitTimer = new QTimer(this);
    m_storeWaitTimer->setInterval(1000);
    connect(m_storeWaitTimer, &QTimer::timeout, this, &MainWindow::showStoreWait);

    restoreWindowSettings();
    rebuildRecentMenu();
    updateCounts();
}

/// The model and the three panes: tables (with the chosen table's details), the grid under
/// the filter and message bars, and the record inspector, side by side in a splitter.
void MainWindow::createPanes()
{
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
}

/// What the tables list, the filter bar, the grid and the inspector ask for.
void MainWindow::connectPanes()
{
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
}

/// What the record model reports: counts, loading, progress, failures and new rows.
void MainWindow::connectModel()
{
    connect(m_model, &RecordTableModel::countsChanged, this, &MainWindow::updateCounts);
    connect(m_model, &RecordTableModel::loadingChanged, this, &MainWindow::onLoadingChanged);
    connect(m_model, &RecordTableModel::progressChanged, this, &MainWindow::onProgress);
    connect(m_model, &RecordTableModel::loadFinished, this, &MainWindow::onLoadFinished);
    connect(m_model, &RecordTableModel::loadFailed, this, &MainWindow::showError);
    connect(m_model, &RecordTableModel::countProgress, this, [this](qint64 counted) {
        m_countLabel->setText(tr("%1 records shown; counting: %2 so far (Esc cancels)")
                                  .arg(Looks::number(m_model->rowCount()), Looks::number(counted)));
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

void MainWindow::fitToScreen()
{
    // A geometry saved on a larger monitor (or the default size on a small one) would put the
    // status bar and the right-hand pane off screen: shrink to the screen, then move onto it.
    const QScreen *where = screen() ? screen() : QGuiApplication::primaryScreen();
    if (!where)
        return;
    const QRect available = where->availableGeometry();
    const QSize fitted = size().boundedTo(available.size());
    if (fitted != size())
        resize(fitted);
    const QPoint at(std::clamp(x(), available.left(), available.right() - fitted.width() + 1),
                    std::clamp(y(), available.top(), available.bottom() - fitted.height() + 1));
    if (at != pos())
        move(at);
}

void MainWindow::restoreWindowSettings()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1280, 800);
    fitToScreen();
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
