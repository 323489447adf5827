#pragma once

#include "model/core/value.h"
#include "model/grid/columnset.h"
#include "model/grid/pagecache.h"
#include "model/schema/tablemodel.h"
#include "model/store/recordstore.h"

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QHash>
#include <QSet>
#include <QStringList>

#include <atomic>
#include <list>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

class StoreRunner;

/// A table of a store as rows and columns, loaded a page at a time off the GUI thread.
///
/// - Pages of pageSize() rows are fetched through a StoreRunner; a generation counter drops
///   answers that arrive after the table, filter or sort changed.
/// - At most maxCachedPages() pages are kept (least recently used evicted; PageCache), so memory
///   stays flat whatever the table size; an evicted page is fetched again when it is shown again.
/// - The row count is exact where the store knows it. Middle pages are reached through a page
///   index built off the GUI thread on a second runner (no OFFSET walks); the first and last pages
///   are served before the index is ready.
/// - Filters and sorts run in the store (SQL for the embedded store), with progress and cancel.
/// - Columns (ColumnSet): the key, then the model's root fields, then attributes discovered in
///   loaded records. Cells summarise nested values ({3 fields}, [12 items], set of 4); numbers keep
///   their exact text. Rows that fail the table model are marked (ValidationStateRole,
///   ProblemsRole, and the tooltip).
/// - A stored record that cannot be read (its stored text damaged) takes its row like any
///   other, as an unreadable row: its key, "unreadable: <reason>" in the next column,
///   ValidationState::Unreadable, UnreadableRole with the whole sentence, and no RecordRole;
///   the rest of its page shows as usual.
class RecordTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Role {
        RecordRole =
            Qt::UserRole + 1, ///< the whole record as a Value (invalid QVariant if not loaded)
        RecordKeyRole,        ///< the record's key as a Value
        ValidationStateRole,  ///< a ValidationState
        ProblemsRole,         ///< QStringList: "path: sentence" per problem
        LoadedRole,           ///< bool: false while the row's page is loading
        CellValueRole,        ///< the cell's Value (invalid QVariant when absent)
        FieldPathRole,        ///< header: the column's field path as a QStringList
        /// QString: why the row's stored record cannot be read (empty for readable rows)
        UnreadableRole,
    };
    enum class ValidationState { Loading, Valid, Invalid, Noted, Unreadable };
    Q_ENUM(ValidationState)

    /// `pages` serves pages; `work` builds page indexes, filters and sorts (both on the same
    /// store location, so long work never delays a page).
    RecordTableModel(StoreRunner *pages, StoreRunner *work, QObject *parent = nullptr);
    ~RecordTableModel() override;

    /// Shows a table in its natural order, unfiltered.
    void setTable(const QString &table, TableModelPtr model);
    /// Shows no table.
    void clear();
    /// Filters by conditions (all must hold) and a free-text search over whole records.
    void setFilter(std::vector<FilterCondition> conditions, const QString &text = {});
    /// Back to the natural order.
    void clearSort();
    /// Loads everything again (after a change in the store).
    void reload();
    /// Stops a running filter or sort and goes back to the view that last finished loading.
    void cancel();

    QString table() const { return m_table; }
    TableModelPtr tableModel() const { return m_model; }
    const std::vector<FilterCondition> &filterConditions() const { return m_conditions; }
    QString filterText() const { return m_text; }
    /// Records in the table, unfiltered (-1 while unknown); an estimate unless totalIsExact().
    qint64 totalCount() const { return m_total; }
    bool totalIsExact() const { return m_totalExact; }
    /// Counts the table exactly (stores that only estimate, e.g. DynamoDB: a full counting scan
    /// with progress; cancel() stops it).
    void countExactly();
    /// True while countExactly() runs.
    bool isCounting() const { return bool(m_countCancel); }
    /// Stops a running countExactly(); the estimate stays.
    void cancelCount();
    /// True for stores without an exact count or random access (DynamoDB): rows then grow page
    /// by page as the view scrolls (canFetchMore/fetchMore), each page reached by its start key.
    bool isSequential() const { return m_sequential; }
    bool isLoading() const { return m_loading; }
    /// The record of a row, if its page is loaded (never for an unreadable row).
    std::optional<Value> recordAt(int row) const;
    /// The field path of a column (["metadata"], ["userId"], ...).
    QStringList fieldPath(int column) const;
    /// The column showing a root field, or -1.
    int columnOf(const QString &field) const;
    /// The sort column (-1 for the natural order) and direction.
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }

    int pageSize() const { return m_pageSize; }
    void setPageSize(int rows);
    int maxCachedPages() const { return m_pages.maxPages(); }
    void setMaxCachedPages(int pages);
    int cachedPageCount() const { return m_pages.size(); }
    /// True when every row's page is loaded or the page index allows fetching any page.
    bool hasPageIndex() const { return m_index != nullptr; }

    /// The text of a value as a cell shows it.
    static QString summary(const Value &value);

    // QAbstractItemModel
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

signals:
    /// Rows of a page arrived (and are shown).
    void pageLoaded(int page);
    /// Loading started or ended (a count, a page index, a filter or a sort is running).
    void loadingChanged(bool loading);
    /// Progress of a running filter or sort, 0..1.
    void progressChanged(double fraction);
    /// The number of rows shown and of records in the table changed.
    void countsChanged(qint64 shown, qint64 total);
    /// A load finished; `milliseconds` since it started (not emitted after loadFailed).
    void loadFinished(qint64 milliseconds);
    /// The first rows of a new view are shown; `milliseconds` since the view was asked for.
    void firstRowsLoaded(qint64 milliseconds);
    /// A running filter or sort was cancelled; the previous view is being shown again.
    void cancelled();
    /// The user typed `text` into a cell (in-place edit of a scalar root field). Nothing is
    /// written by the model: the window validates it and runs update_field.
    void cellEditRequested(int row, int column, const QString &text);
    /// A load failed; the grid keeps what it had.
    void loadFailed(const QString &message);
    /// countExactly() has counted this many records so far (stores that count page by page).
    void countProgress(qint64 counted);

private:
    struct Row
    {
        Value record; ///< an unreadable row: a map of its key alone
        QStringList problems;
        ValidationState state = ValidationState::Valid;
        QString unreadable; ///< why the stored record cannot be read (the whole sentence)
        QString reason;     ///< the reason alone
    };
    struct Page
    {
        std::vector<Row> rows;
    };
    struct PageIndexData;
    struct FirstPage;

    // A new view (restart): its steps, each job with its answer.
    void restart(bool keepColumns);
    void resetView(bool keepColumns);
    void requestFirstPage(quint64 generation, const ScanRequest &view);
    void acceptFirstPage(quint64 generation, Result<FirstPage> first);
    void requestExactCount(quint64 generation);
    void requestTotal(quint64 generation);
    void requestPageIndex(quint64 generation, const ScanRequest &view);
    void acceptPageIndex(Result<PageIndex> index);
    ScanRequest viewRequest() const;
    bool isNaturalView() const;
    void requestPage(int page) const;
    void finishJob();
    void acceptPage(quint64 generation, int page, Result<std::vector<Row>> rows);
    void discoverColumns(const std::vector<Row> &rows);
    void setLoading(bool loading);
    const Row *rowAt(int row) const;
    QVariant unreadableData(const Row &row, int column, int role) const;
    void buildIndex();

    struct ViewState
    {
        std::vector<FilterCondition> conditions;
        QString text;
        int sortColumn = -1;
        Qt::SortOrder sortOrder = Qt::AscendingOrder;
    };
    bool sameView(const ViewState &view) const;

    StoreRunner *m_pagesRunner;
    ViewState m_lastGood;
    bool m_sequential = false;
    bool m_totalExact = true;
    std::vector<QByteArray> m_pageCursors; ///< sequential: the cursor that starts page k
    std::vector<qint64> m_pageStarts;      ///< sequential: the first row of page k (pages vary)
    bool m_atEnd = true;                   ///< sequential: the last page is loaded
    void acceptSequentialPage(int page, std::vector<Row> rows, const QByteArray &next);
    /// The page holding a row and the row's offset in it.
    std::pair<int, int> pageOfRow(qint64 row) const;
    qint64 pageStart(int page) const;
    bool m_failed = false;
    std::shared_ptr<std::atomic_bool> m_countCancel; ///< set while countExactly() runs
    bool m_firstRowsSeen = false;
    StoreRunner *m_workRunner;
    QString m_table;
    TableModelPtr m_model;
    std::vector<FilterCondition> m_conditions;
    QString m_text;
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    ColumnSet m_columns;
    qint64 m_total = -1;
    qint64 m_rows = 0;
    int m_pageSize = 256;
    quint64 m_generation = 0;
    bool m_loading = false;
    int m_pendingJobs = 0;
    QElapsedTimer m_loadTimer;
    std::shared_ptr<std::atomic_bool> m_cancel;
    std::shared_ptr<const PageIndexData> m_index;
    PageCache<Page> m_pages{24};
    mutable QSet<int> m_requested;
    mutable QSet<int> m_waitingForIndex;
};
