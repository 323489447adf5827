// RecordTableModel: loading a view (restart and its steps), the pages asked for as the view
// scrolls, the counts. What a cell shows is in recordtablecells.cpp; the columns and the loaded
// pages are ColumnSet and PageCache.
#include "model/grid/recordtablemodel.h"

#include "model/json/jsoncodec.h"
#include "model/schema/validator.h"
#include "model/store/open/storerunner.h"

#include <QFuture>
#include <QPointer>

#include <limits>

struct RecordTableModel::PageIndexData
{
    PageIndex index;
};

namespace {

/// The row of a stored record that cannot be read: its key alone, and why.
template <typename Row, typename State>
Row unreadableRow(const UnreadableRecord &bad, const TableModel &model)
{
    Row row;
    auto key = RecordStore::parseKey(model, bad.key);
    row.record = Value::map({{model.hashKey(), key ? *key : Value::string(bad.key)}});
    row.state = State::Unreadable;
    row.reason = bad.reason;
    row.unreadable =
        bad.row >= 0 ? QObject::tr("The stored record \"%1\" (row %2) cannot be read: %3. It is "
                                   "left as it is; delete it, or restore the store from a backup.")
                           .arg(bad.key)
                           .arg(bad.row)
                           .arg(bad.reason)
                     : QObject::tr("The stored record \"%1\" cannot be read: %2. It is left as "
                                   "it is; delete it, or restore the store from a backup.")
                           .arg(bad.key, bad.reason);
    row.problems << QObject::tr("unreadable: %1").arg(bad.reason);
    return row;
}

/// Validates records where the page was read (off the GUI thread); unreadable records take
/// their place among them.
template <typename Row, typename State>
std::vector<Row> toRows(ScanPage page, const TableModelPtr &model)
{
    std::vector<Value> &records = page.records;
    std::vector<Row> rows;
    rows.reserve(records.size() + page.unreadable.size());
    const Validator validator(*model);
    std::size_t nextBad = 0;
    auto badsBefore = [&](std::size_t position) {
        while (nextBad < page.unreadable.size() && page.unreadable[nextBad].position <= position)
            rows.push_back(unreadableRow<Row, State>(page.unreadable[nextBad++], *model));
    };
    for (std::size_t i = 0; i < records.size(); ++i) {
        badsBefore(i);
        Value &record = records[i];
        Row row;
        const Problems problems = validator.validateRecord(record);
        bool blocking = false;
        for (const Problem &p : problems) {
            row.problems << p.toString();
            blocking = blocking || p.blocking;
        }
        row.state = blocking ? State::Invalid : (problems.empty() ? State::Valid : State::Noted);
        row.record = std::move(record);
        rows.push_back(std::move(row));
    }
    badsBefore(std::numeric_limits<std::size_t>::max());
    return rows;
}

} // namespace

RecordTableModel::RecordTableModel(StoreRunner *pages, StoreRunner *work, QObject *parent)
    : QAbstractTableModel(parent), m_pagesRunner(pages), m_workRunner(work),
      m_cancel(std::make_shared<std::atomic_bool>(false))
{
}

RecordTableModel::~RecordTableModel()
{
    m_cancel->store(true);
}

void RecordTableModel::setTable(const QString &table, TableModelPtr model)
{
    m_table = table;
    m_model = std::move(model);
    m_conditions.clear();
    m_text.clear();
    m_sortColumn = -1;
    m_sortOrder = Qt::AscendingOrder;
    m_total = -1;
    m_totalExact = true;
    m_sequential = false;
    m_lastGood = ViewState();
    restart(false);
}

void RecordTableModel::clear()
{
    m_table.clear();
    m_model.reset();
    m_conditions.clear();
    m_text.clear();
    m_sortColumn = -1;
    m_total = -1;
    restart(false);
}

void RecordTableModel::setFilter(std::vector<FilterCondition> conditions, const QString &text)
{
    m_conditions = std::move(conditions);
    m_text = text;
    restart(true);
}

void RecordTableModel::clearSort()
{
    m_sortColumn = -1;
    m_sortOrder = Qt::AscendingOrder;
    restart(true);
}

void RecordTableModel::sort(int column, Qt::SortOrder order)
{
    if (column >= columnCount())
        return;
    m_sortColumn = column;
    m_sortOrder = order;
    restart(true);
}

void RecordTableModel::reload()
{
    restart(true);
}

void RecordTableModel::cancel()
{
    if (!m_loading || sameView(m_lastGood))
        return;
    m_cancel->store(true);
    m_conditions = m_lastGood.conditions;
    m_text = m_lastGood.text;
    m_sortColumn = m_lastGood.sortColumn;
    m_sortOrder = m_lastGood.sortOrder;
    emit cancelled();
    restart(true);
}

bool RecordTableModel::sameView(const ViewState &view) const
{
    if (view.text != m_text || view.sortColumn != m_sortColumn ||
        (m_sortColumn >= 0 && view.sortOrder != m_sortOrder) ||
        view.conditions.size() != m_conditions.size())
        return false;
    for (std::size_t i = 0; i < m_conditions.size(); ++i) {
        const FilterCondition &a = view.conditions[i];
        const FilterCondition &b = m_conditions[i];
        if (a.path != b.path || a.op != b.op || a.operand != b.operand)
            return false;
    }
    return true;
}

void RecordTableModel::setPageSize(int rows)
{
    m_pageSize = std::max(1, rows);
    restart(true);
}

void RecordTableModel::setMaxCachedPages(int pages)
{
    m_pages.setMaxPages(pages);
}

bool RecordTableModel::isNaturalView() const
{
    return m_conditions.empty() && m_text.isEmpty() && m_sortColumn < 0;
}

ScanRequest RecordTableModel::viewRequest() const
{
    ScanRequest r;
    r.conditions = m_conditions;
    r.text = m_text;
    if (m_sortColumn >= 0 && m_sortColumn < m_columns.size()) {
        r.sortPath = m_columns[m_sortColumn];
        r.descending = m_sortOrder == Qt::DescendingOrder;
    }
    r.limit = m_pageSize;
    return r;
}

/// What the first page's job brings: the page, where the next one starts, and for stores that
/// only estimate their size the estimate.
struct RecordTableModel::FirstPage
{
    bool exact = true;
    qint64 count = 0;
    std::vector<Row> rows;
    QByteArray next;
};

void RecordTableModel::restart(bool keepColumns)
{
    resetView(keepColumns);
    if (m_table.isEmpty() || !m_model)
        return;

    m_loadTimer.start();
    const quint64 generation = m_generation;
    const ScanRequest view = viewRequest();

    if (isNaturalView() || m_sequential) {
        // The count and the first page come first; the page index follows on the other runner.
        // Stores that only estimate their size (DynamoDB) get no full count and no index: their
        // rows grow page by page, each page reached by its start key.
        requestFirstPage(generation, view);
        requestExactCount(generation);
        if (m_sequential)
            return; // no page index: pages are reached by their start keys
    } else {
        if (m_total < 0)
            requestTotal(generation);
    }
    requestPageIndex(generation, view);
}

/// Drops every page, request and index of the view before (their answers are stale now), and
/// the columns unless they are kept.
void RecordTableModel::resetView(bool keepColumns)
{
    ++m_generation;
    m_cancel->store(true); // also stops a running count, whose answer would be stale
    m_cancel = std::make_shared<std::atomic_bool>(false);
    m_countCancel.reset();
    beginResetModel();
    m_pages.clear();
    m_requested.clear();
    m_waitingForIndex.clear();
    m_index.reset();
    m_rows = 0;
    m_pendingJobs = 0;
    m_failed = false;
    m_firstRowsSeen = false;
    m_pageCursors.clear();
    m_pageStarts.clear();
    m_atEnd = true;
    if (!keepColumns || m_columns.isEmpty()) {
        m_columns.clear();
        if (m_model)
            m_columns.reset(*m_model);
    }
    endResetModel();
    setLoading(false);
}

/// The natural view's first page (and, for stores that only estimate, their estimate).
void RecordTableModel::requestFirstPage(quint64 generation, const ScanRequest &view)
{
    const QString table = m_table;
    const TableModelPtr model = m_model;
    ++m_pendingJobs;
    setLoading(true);
    m_requested.insert(0);
    const bool knownTotal = m_total >= 0;
    m_pagesRunner->call(
        [table, view, model, knownTotal](RecordStore &store) -> Result<FirstPage> {
            FirstPage first;
            first.exact = store.capabilities().exactCount;
            // The exact count follows as its own job: the first rows need not wait for it
            // (a cold count of a million rows reads the whole key index).
            if (!first.exact && !knownTotal) {
                auto info = store.describeTable(table);
                first.count = info ? info->count : -1;
            }
            auto page = store.scan(table, view);
            if (!page)
                return page.error();
            first.next = page->nextCursor;
            first.rows = toRows<Row, ValidationState>(std::move(*page), model);
            return first;
        },
        this,
        [this, generation](Result<FirstPage> first) {
            if (generation != m_generation)
                return;
            acceptFirstPage(generation, std::move(first));
        });
}

void RecordTableModel::acceptFirstPage(quint64 generation, Result<FirstPage> first)
{
    m_requested.remove(0);
    if (!first) {
        m_failed = true;
        emit loadFailed(first.error().toString());
        finishJob();
        return;
    }
    if (!first->exact) {
        const bool wasSequential = m_sequential;
        m_sequential = true;
        if (m_total < 0 || !m_totalExact) {
            m_total = first->count;
            m_totalExact = false;
        }
        m_pageCursors = {QByteArray()};
        acceptSequentialPage(0, std::move(first->rows), first->next);
        emit countsChanged(m_rows, m_total);
        finishJob();
        if (!wasSequential) {
            // The page index started alongside is not needed: stop its walk.
            m_cancel->store(true);
            m_cancel = std::make_shared<std::atomic_bool>(false);
        }
        m_lastGood = ViewState{m_conditions, m_text, m_sortColumn, m_sortOrder};
        return;
    }
    const qint64 rows = qint64(first->rows.size());
    if (!m_index && rows > m_rows) {
        beginInsertRows({}, int(m_rows), int(rows - 1));
        m_rows = rows;
        endInsertRows();
    }
    acceptPage(generation, 0, std::move(first->rows));
    finishJob();
}

/// The natural view's exact count (stores that know it), which gives the rows before the index.
void RecordTableModel::requestExactCount(quint64 generation)
{
    const QString table = m_table;
    ++m_pendingJobs;
    m_pagesRunner->call(
        [table](RecordStore &store) -> Result<qint64> {
            if (!store.capabilities().exactCount)
                return qint64(-1);
            return store.count(table);
        },
        this,
        [this, generation](Result<qint64> n) {
            if (generation != m_generation)
                return;
            if (!n) {
                m_failed = true;
                emit loadFailed(n.error().toString());
                finishJob();
                return;
            }
            if (*n >= 0 && !m_sequential) {
                m_total = *n;
                m_totalExact = true;
                const qint64 rows = std::min<qint64>(*n, INT_MAX);
                if (!m_index && rows > m_rows) {
                    beginInsertRows({}, int(m_rows), int(rows - 1));
                    m_rows = rows;
                    endInsertRows();
                }
                emit countsChanged(m_rows, m_total);
                // Pages asked for before the count was known.
                const QSet<int> waiting = m_waitingForIndex;
                for (int page : waiting) {
                    m_waitingForIndex.remove(page);
                    requestPage(page);
                }
            }
            finishJob();
        });
}

/// A filtered or sorted view: the table's total, unfiltered, beside the rows shown.
void RecordTableModel::requestTotal(quint64 generation)
{
    const QString table = m_table;
    m_pagesRunner->call([table](RecordStore &store) { return store.count(table); }, this,
                        [this, generation](Result<qint64> n) {
                            if (generation == m_generation && n) {
                                m_total = *n;
                                emit countsChanged(m_rows, m_total);
                            }
                        });
}

/// The page index of the view, built on the work runner with progress (cancelled by restart).
void RecordTableModel::requestPageIndex(quint64 generation, const ScanRequest &view)
{
    const QString table = m_table;
    const int pageSize = m_pageSize;
    auto cancel = m_cancel;
    QPointer<RecordTableModel> self(this);
    ++m_pendingJobs;
    setLoading(true);
    m_workRunner->call(
        [table, view, pageSize, cancel, self, generation,
         runner = m_workRunner](RecordStore &store) {
            double reported = -1;
            return store.buildPageIndex(table, view, pageSize, [&](double fraction) {
                if (cancel->load())
                    return false;
                if (fraction - reported >= 0.01) {
                    reported = fraction;
                    runner->post([self, generation, fraction] {
                        if (self && self->m_generation == generation)
                            emit self->progressChanged(fraction);
                    });
                }
                return true;
            });
        },
        this,
        [this, generation](Result<PageIndex> index) {
            if (generation != m_generation)
                return;
            acceptPageIndex(std::move(index));
        });
}

void RecordTableModel::acceptPageIndex(Result<PageIndex> index)
{
    if (m_sequential) {
        finishJob();
        return;
    }
    if (!index) {
        if (index.error().message != QLatin1String("cancelled")) {
            m_failed = true;
            emit loadFailed(index.error().toString());
        }
        finishJob();
        return;
    }
    m_lastGood = ViewState{m_conditions, m_text, m_sortColumn, m_sortOrder};
    auto data = std::make_shared<PageIndexData>();
    data->index = std::move(*index);
    m_index = data;
    const qint64 rows = std::min<qint64>(m_index->index.rowCount, INT_MAX);
    if (rows != m_rows) {
        if (rows > m_rows) {
            beginInsertRows({}, int(m_rows), int(rows - 1));
            m_rows = rows;
            endInsertRows();
        } else {
            beginRemoveRows({}, int(rows), int(m_rows - 1));
            m_rows = rows;
            endRemoveRows();
        }
    }
    if (isNaturalView())
        m_total = m_index->index.rowCount;
    emit countsChanged(m_rows, m_total);
    emit progressChanged(1.0);
    finishJob();
    const QSet<int> waiting = m_waitingForIndex;
    m_waitingForIndex.clear();
    for (int page : waiting)
        requestPage(page);
    if (m_pages.isEmpty() && m_rows > 0)
        requestPage(0);
}

void RecordTableModel::finishJob()
{
    if (m_pendingJobs > 0)
        --m_pendingJobs;
    if (m_pendingJobs == 0 && m_loading) {
        setLoading(false);
        if (!m_failed)
            emit loadFinished(m_loadTimer.elapsed());
    }
}

void RecordTableModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    emit loadingChanged(loading);
}

void RecordTableModel::requestPage(int page) const
{
    if (m_requested.contains(page) || m_pages.contains(page))
        return;
    auto *self = const_cast<RecordTableModel *>(this);
    ScanRequest request = viewRequest();
    const qint64 firstRow = qint64(page) * m_pageSize;
    const bool lastPage = firstRow + m_pageSize >= m_rows;
    if (m_sequential) {
        // handled below: pages are reached by their remembered start keys
    } else if (m_index) {
        if (std::size_t(page) >= m_index->index.cursors.size())
            return;
        request.cursor = m_index->index.cursors[std::size_t(page)];
    } else if (page == 0 && !isNaturalView()) {
        self->m_waitingForIndex.insert(page);
        return;
    } else if (page != 0 && lastPage && isNaturalView() && m_rows > 0) {
        // The last rows before the page index exists: read the table backwards.
        request.descending = true;
        request.limit = int(m_rows - firstRow);
    } else if (page != 0) {
        self->m_waitingForIndex.insert(page);
        return;
    }
    if (m_sequential) {
        if (std::size_t(page) >= m_pageCursors.size())
            return;
        request = viewRequest();
        request.cursor = m_pageCursors[std::size_t(page)];
    }
    const bool reverse = !m_sequential && !m_index && request.descending && isNaturalView();
    m_requested.insert(page);
    const quint64 generation = m_generation;
    const QString table = m_table;
    const TableModelPtr model = m_model;
    using Fetched = std::pair<std::vector<Row>, QByteArray>;
    m_pagesRunner->call(
        [table, request, model, reverse](RecordStore &store) -> Result<Fetched> {
            auto scanned = store.scan(table, request);
            if (!scanned)
                return scanned.error();
            const QByteArray next = scanned->nextCursor;
            std::vector<Row> rows = toRows<Row, ValidationState>(std::move(*scanned), model);
            if (reverse)
                std::reverse(rows.begin(), rows.end());
            return Fetched{std::move(rows), next};
        },
        self,
        [self, generation, page](Result<Fetched> fetched) {
            if (generation != self->m_generation)
                return;
            if (!fetched) {
                self->acceptPage(generation, page, fetched.error());
                return;
            }
            if (self->m_sequential) {
                self->m_requested.remove(page);
                self->acceptSequentialPage(page, std::move(fetched->first), fetched->second);
                return;
            }
            self->acceptPage(generation, page, std::move(fetched->first));
        });
}

void RecordTableModel::acceptPage(quint64 generation, int page, Result<std::vector<Row>> rows)
{
    if (generation != m_generation)
        return;
    m_requested.remove(page);
    if (!rows) {
        emit loadFailed(rows.error().toString());
        return;
    }
    if (!m_firstRowsSeen) {
        m_firstRowsSeen = true;
        emit firstRowsLoaded(m_loadTimer.elapsed());
    }
    discoverColumns(*rows);
    m_pages.insert(page, Page{std::move(*rows)});
    const int first = int(pageStart(page));
    const int last = int(std::min<qint64>(m_rows, pageStart(page + 1) > first && m_sequential
                                                      ? pageStart(page + 1)
                                                      : qint64(first) + m_pageSize)) -
                     1;
    if (last >= first && columnCount() > 0)
        emit dataChanged(index(first, 0), index(last, columnCount() - 1));
    emit pageLoaded(page);
}

void RecordTableModel::discoverColumns(const std::vector<Row> &rows)
{
    QStringList added;
    for (const Row &row : rows)
        m_columns.collectNew(row.record, added);
    if (added.isEmpty())
        return;
    const int first = int(m_columns.size());
    beginInsertColumns({}, first, first + int(added.size()) - 1);
    m_columns.append(added);
    endInsertColumns();
}

const RecordTableModel::Row *RecordTableModel::rowAt(int row) const
{
    if (row < 0 || row >= m_rows)
        return nullptr;
    const auto [page, rowOffset] = pageOfRow(row);
    const Page *loaded = m_pages.find(page);
    if (!loaded) {
        requestPage(page);
        return nullptr;
    }
    m_pages.touch(page);
    const std::size_t offset = std::size_t(rowOffset);
    if (offset >= loaded->rows.size())
        return nullptr;
    return &loaded->rows[offset];
}

std::optional<Value> RecordTableModel::recordAt(int row) const
{
    const Row *r = rowAt(row);
    if (!r || r->state == ValidationState::Unreadable)
        return std::nullopt;
    return r->record;
}

QStringList RecordTableModel::fieldPath(int column) const
{
    return column >= 0 && column < m_columns.size() ? m_columns[column] : QStringList();
}

int RecordTableModel::columnOf(const QString &field) const
{
    return m_columns.columnOf(field);
}

int RecordTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows);
}

int RecordTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

void RecordTableModel::acceptSequentialPage(int page, std::vector<Row> rows, const QByteArray &next)
{
    const bool newPage = std::size_t(page) >= m_pageStarts.size();
    if (newPage) {
        // Pages arrive in order; a DynamoDB page may hold fewer rows than asked (1 MB reads, or
        // a filter applied after reading), so each page remembers where its rows start.
        m_pageStarts.push_back(m_rows);
        if (!next.isEmpty())
            m_pageCursors.push_back(next);
        m_atEnd = next.isEmpty();
        if (!rows.empty()) {
            beginInsertRows({}, int(m_rows), int(m_rows + qint64(rows.size()) - 1));
            m_rows += qint64(rows.size());
            endInsertRows();
        }
    }
    acceptPage(m_generation, page, std::move(rows));
    if (m_atEnd && isNaturalView() && (!m_totalExact || m_total < 0)) {
        m_total = m_rows;
        m_totalExact = true;
        emit countsChanged(m_rows, m_total);
    } else if (newPage) {
        emit countsChanged(m_rows, m_total);
    }
    // An empty page that is not the end (a filter matched nothing in it): go on.
    if (newPage && m_pages[page].rows.empty() && !m_atEnd)
        requestPage(page + 1);
}

std::pair<int, int> RecordTableModel::pageOfRow(qint64 row) const
{
    if (!m_sequential)
        return {int(row / m_pageSize), int(row % m_pageSize)};
    auto it = std::upper_bound(m_pageStarts.begin(), m_pageStarts.end(), row);
    const int page = int(it - m_pageStarts.begin()) - 1;
    return {page, int(row - m_pageStarts[std::size_t(std::max(page, 0))])};
}

qint64 RecordTableModel::pageStart(int page) const
{
    if (!m_sequential)
        return qint64(page) * m_pageSize;
    return std::size_t(page) < m_pageStarts.size() ? m_pageStarts[std::size_t(page)] : m_rows;
}

bool RecordTableModel::canFetchMore(const QModelIndex &parent) const
{
    if (parent.isValid() || !m_sequential || m_atEnd)
        return false;
    return !m_requested.contains(int(m_pageCursors.size()) - 1);
}

void RecordTableModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    requestPage(int(m_pageCursors.size()) - 1);
}

void RecordTableModel::countExactly()
{
    if (m_table.isEmpty() || m_totalExact || m_countCancel)
        return;
    const quint64 generation = m_generation;
    const QString table = m_table;
    // Its own flag: cancelling the count leaves the pages and the view alone.
    auto cancel = std::make_shared<std::atomic_bool>(false);
    auto viewCancel = m_cancel;
    m_countCancel = cancel;
    ++m_pendingJobs;
    setLoading(true);
    StoreRunner *runner = m_workRunner;
    QPointer<RecordTableModel> self(this);
    m_workRunner->call(
        [table, cancel, viewCancel, runner, self, generation](RecordStore &store) {
            ScanRequest all;
            all.cancelled = [cancel, viewCancel] { return cancel->load() || viewCancel->load(); };
            all.counted = [runner, self, generation](qint64 n) {
                runner->post([self, generation, n] {
                    if (self && self->m_generation == generation)
                        emit self->countProgress(n);
                });
            };
            return store.count(table, all);
        },
        this,
        [this, generation, cancel](Result<qint64> n) {
            if (m_countCancel == cancel)
                m_countCancel.reset();
            if (generation != m_generation)
                return;
            if (n) {
                m_total = *n;
                m_totalExact = true;
                emit countsChanged(m_rows, m_total);
            } else if (!cancel->load() && !m_cancel->load()) {
                emit loadFailed(n.error().toString());
            }
            finishJob();
        });
}

void RecordTableModel::cancelCount()
{
    if (m_countCancel)
        m_countCancel->store(true);
}
