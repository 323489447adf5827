#pragma once

#include "model/store/recordstore.h"

#include <QElapsedTimer>
#include <QList>
#include <QMainWindow>

#include <functional>

#include <memory>
#include <optional>
#include <vector>

class FilterBar;
class MessageBar;
class QAction;
class QLabel;
class QMenu;
class QProgressBar;
class QSplitter;
class QTimer;
class QToolButton;
class RecordGridView;
class RecordInspector;
class RecordTableModel;
class StoreRunner;
class TableListView;
class RecordHistory;
enum class DeleteMode;

/// The main window: the tables panel, the filter bar over the record grid, the record
/// inspector, and a status bar with counts, loading progress and the last load time.
/// Every store call runs on one of its two StoreRunners; the GUI thread never waits.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    enum class OpenMode {
        Existing,            ///< the store must exist
        CreateEmpty,         ///< a new, empty embedded store
        CreateDemoIfMissing, ///< the default store: created as the demo store on first start
    };
    static constexpr int kMaxRecentStores = 8;

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Opens a store (asynchronously) and then the table `table`, else the table last used
    /// there, else the first one.
    void openStore(const QString &location, OpenMode mode = OpenMode::Existing,
                   const QString &table = {});
    QString storeLocation() const { return m_location; }
    QString currentTable() const;
    RecordTableModel *recordModel() const { return m_model; }
    QStringList recentStores() const;

    /// Where QSettings keeps things for a store ("stores/<hash>").
    static QString storeSettingsGroup(const QString &location);

public slots:
    void chooseTable(const QString &name);
    /// Reloads the grid and the table list (F5).
    void refresh();
    /// Copies the selected records as JSON lines (Ctrl+C).
    void copySelectionAsJson();
    void focusFilter();
    void clearSort();
    void cancelLoad();
    void newStoreDialog();
    void openStoreDialog();
    void openLocationDialog();
    void clearRecentStores();
    void showAbout();
    /// Opens the key change wizard on the current record (Ctrl+K).
    void changeKey();
    /// Changes the keys of the selected records, or of every record the filter shows
    /// (Ctrl+Shift+K).
    void changeKeys();
    /// Offers to restore what a crash left in the recovery journal; returns false when empty.
    bool offerJournalRecovery();
    /// A form for a new record of the current table (Ctrl+N).
    void newRecord();
    /// The form of the current record (Enter, F2, double-click).
    void editRecord();
    /// Edits the current cell in place (Ctrl+E; scalar root fields).
    void editCell();
    /// Deletes the selected records after confirmation (Del).
    void deleteSelected();
    /// Removes the selected records and offers them as JSON (Shift+Del).
    void removeSelected();
    /// Imports a file into the current table (Ctrl+Shift+I; also a file dropped on the window).
    void importFile(const QString &path = {});
    /// Exports the selected records, the filtered records or the whole table (Ctrl+Shift+E).
    void exportRecords();
    /// Checks every record of the current table (or the filtered ones) against its model.
    void checkTable();
    /// Infers a model from the current table's records, for editing, saving or attaching.
    void inferModelFromTable();
    /// Infers a model from a file (chosen by the user when `path` is empty).
    void inferModelFromFile(const QString &path = {});
    /// Attaches a table model file to the current table (chosen by the user when `path` is empty).
    void attachModelFile(const QString &path = {});

signals:
    void storeOpened(const QString &location);
    void storeFailed(const QString &message);
    void tablesLoaded();

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createPanes();
    void connectPanes();
    void connectModel();
    void createActions();
    void createFileActions();
    void createViewActions();
    void createRecordActions();
    void connectRecordHistory();
    void createTableActions();
    void createTransferActions();
    void createMenus();
    void createToolBar();
    void createStatusBar();
    void openOpenedStore(quint64 generation, const QString &location, const QString &table);
    void storeReady(const QString &location, const QString &table);
    void loadTables(const QString &select);
    void showCurrentRecord();
    void applyFilter(const std::vector<FilterCondition> &conditions, const QString &text);
    void updateCounts();
    void onLoadingChanged(bool loading);
    void onProgress(double fraction);
    void onLoadFinished(qint64 milliseconds);
    /// While a store is being opened (a DynamoDB endpoint may take up to its deadline): the
    /// status bar shows what it waits for and for how long, Esc and Cancel stop it.
    void beginStoreWait(const QString &what);
    void endStoreWait();
    void showStoreWait();
    void showError(const QString &message);
    void addRecentStore(const QString &location);
    void rebuildRecentMenu();
    void saveWindowSettings();
    void restoreWindowSettings();
    /// Shrinks the window to its screen's available area and moves it onto it.
    void fitToScreen();
    void saveColumnState();
    void updateFieldPaths();
    void syncSortIndicator();
    bool isNaturalView() const;
    void updateTableDetails();
    void onKeyChanged(const QString &table, const Value &oldKey, const Value &newKey);
    std::optional<Value> currentRecord() const;
    bool m_journalOffered = false;
    QString m_storeWarning; ///< why the open store is read-only (damaged), shown again per table

    std::unique_ptr<StoreRunner> m_pagesRunner;
    std::unique_ptr<StoreRunner> m_workRunner;
    RecordTableModel *m_model = nullptr;

    QSplitter *m_splitter = nullptr;
    TableListView *m_tables = nullptr;
    QLabel *m_tableDetails = nullptr;
    FilterBar *m_filterBar = nullptr;
    MessageBar *m_messageBar = nullptr;
    RecordGridView *m_grid = nullptr;
    RecordInspector *m_inspector = nullptr;
    QLabel *m_countLabel = nullptr;
    QProgressBar *m_progress = nullptr;
    QToolButton *m_cancelButton = nullptr;
    QLabel *m_timeLabel = nullptr;

    QAction *m_newAction = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_openLocationAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_copyAction = nullptr;
    QAction *m_findAction = nullptr;
    QAction *m_refreshAction = nullptr;
    QAction *m_showTablesAction = nullptr;
    QAction *m_showInspectorAction = nullptr;
    QAction *m_clearSortAction = nullptr;
    QAction *m_cancelAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QAction *m_changeKeyAction = nullptr;
    QAction *m_countExactlyAction = nullptr;
    QAction *m_newRecordAction = nullptr;
    QAction *m_editRecordAction = nullptr;
    QAction *m_editCellAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_removeAction = nullptr;
    QAction *m_connectAction = nullptr;
    RecordHistory *m_history = nullptr;
    void openForm(std::optional<Value> record);
    void onCellEditRequested(int row, int column, const QString &text);
    QList<Value> selectedKeys() const;
    void deleteWithMode(DeleteMode mode);
    void connectDialog();
    /// Runs `use` with the transfer runner (a third connection, so a long import or export
    /// never holds up the grid's pages), opening it on the current store first when needed.
    void withTransferRunner(std::function<void(StoreRunner *)> use);
    /// Opens the form of the record with this key in `table` (loaded first).
    void openRecordByKey(const QString &table, const Value &key);
    /// Reads the tables again and gives the grid the new model of `table`.
    void reloadTableModel(const QString &table);
    ScanRequest currentFilter() const;
    std::unique_ptr<StoreRunner> m_transferRunner;
    QAction *m_importAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_checkAction = nullptr;
    QAction *m_inferAction = nullptr;
    QAction *m_inferFileAction = nullptr;
    QAction *m_attachModelAction = nullptr;
    QAction *m_changeKeysAction = nullptr;
    QMenu *m_recentMenu = nullptr;

    QString m_location;
    QList<TableInfo> m_tableInfos;
    quint64 m_openGeneration = 0;
    QString m_storeWait; ///< what the window waits for while opening a store; empty: nothing
    QElapsedTimer m_storeWaitClock;
    QTimer *m_storeWaitTimer = nullptr;
    int m_restoreRow = -1;
};
