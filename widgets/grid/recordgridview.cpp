#include "widgets/grid/recordgridview.h"

#include "model/grid/recordtablemodel.h"

#include <QAction>
#include <QHeaderView>
#include <QMenu>
#include <QPainter>
#include <QScrollBar>
#include <QTimer>

namespace {
constexpr int kMinAutoWidth = 60;
constexpr int kMaxAutoWidth = 280;
} // namespace

RecordGridView::RecordGridView(QWidget *parent) : QTableView(parent)
{
    setObjectName(QStringLiteral("recordGrid"));
    horizontalHeader()->setObjectName(QStringLiteral("recordGridHeader"));
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setAlternatingRowColors(true);
    setWordWrap(false);
    setCornerButtonEnabled(false);
    setTextElideMode(Qt::ElideRight);
    setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    setVerticalScrollMode(QAbstractItemView::ScrollPerItem);
    setShowGrid(false);
    setEditTriggers(QAbstractItemView::NoEditTriggers);

    QHeaderView *h = horizontalHeader();
    h->setSectionsClickable(true);
    h->setSectionsMovable(true);
    h->setSortIndicatorShown(true);
    h->setSortIndicator(-1, Qt::AscendingOrder);
    h->setHighlightSections(false);
    h->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    h->setStretchLastSection(false);
    h->setContextMenuPolicy(Qt::CustomContextMenu);
    h->setTextElideMode(Qt::ElideRight);
    connect(h, &QHeaderView::sectionClicked, this, &RecordGridView::onSectionClicked);
    connect(h, &QHeaderView::customContextMenuRequested, this, &RecordGridView::showHeaderMenu);
    connect(h, &QHeaderView::sectionResized, this, [this](int section, int, int newSize) {
        const QString name = columnName(section);
        if (!m_programmatic && !name.isEmpty() && newSize > 0 &&
            !horizontalHeader()->isSectionHidden(section))
            m_widths.insert(name, newSize);
    });

    QHeaderView *v = verticalHeader();
    v->setSectionResizeMode(QHeaderView::Fixed);
    v->setDefaultSectionSize(fontMetrics().height() + 8);
    v->setMinimumSectionSize(fontMetrics().height() + 4);
    v->setDefaultAlignment(Qt::AlignRight | Qt::AlignVCenter);
    v->setHighlightSections(true);
}

void RecordGridView::setModel(QAbstractItemModel *model)
{
    if (this->model())
        disconnect(this->model(), nullptr, this, nullptr);
    QTableView::setModel(model);
    if (!model)
        return;
    // A new filter or sort resets the model but keeps its columns and their widths; a new
    // table comes with setColumnState().
    connect(model, &QAbstractItemModel::modelReset, this,
            [this] { applyState(0, this->model()->columnCount() - 1); });
    connect(model, &QAbstractItemModel::columnsInserted, this,
            [this](const QModelIndex &, int first, int last) { applyState(first, last); });
    connect(model, &QAbstractItemModel::dataChanged, this, [this] {
        // Size columns to their first loaded rows once; later the user's widths rule.
        if (m_sized.size() < this->model()->columnCount())
            QTimer::singleShot(0, this, &RecordGridView::sizeNewColumns);
    });
}

QString RecordGridView::columnName(int column) const
{
    return model() ? model()->headerData(column, Qt::Horizontal).toString() : QString();
}

int RecordGridView::columnByName(const QString &name) const
{
    if (!model())
        return -1;
    for (int c = 0; c < model()->columnCount(); ++c) {
        if (columnName(c) == name)
            return c;
    }
    return -1;
}

QVariantMap RecordGridView::columnState() const
{
    QVariantMap state;
    state.insert(QStringLiteral("widths"), m_widths);
    QStringList hidden(m_hidden.cbegin(), m_hidden.cend());
    hidden.sort();
    state.insert(QStringLiteral("hidden"), hidden);
    return state;
}

void RecordGridView::setColumnState(const QVariantMap &state)
{
    m_widths = state.value(QStringLiteral("widths")).toMap();
    const QStringList hidden = state.value(QStringLiteral("hidden")).toStringList();
    m_hidden = QSet<QString>(hidden.cbegin(), hidden.cend());
    m_sized.clear();
    if (model())
        applyState(0, model()->columnCount() - 1);
}

void RecordGridView::applyState(int first, int last)
{
    QHeaderView *h = horizontalHeader();
    for (int c = first; c <= last; ++c) {
        const QString name = columnName(c);
        h->setSectionHidden(c, m_hidden.contains(name));
        const int width = m_widths.value(name).toInt();
        if (width > 0) {
            setAutoWidth(c, width);
            m_sized.insert(name);
        }
    }
}

void RecordGridView::sizeNewColumns()
{
    if (!model() || model()->rowCount() == 0)
        return;
    // Only rows that are loaded say how wide a column should be.
    const QModelIndex top = indexAt(QPoint(0, 0));
    if (top.isValid() && !top.data(RecordTableModel::LoadedRole).toBool())
        return;
    for (int c = 0; c < model()->columnCount(); ++c) {
        const QString name = columnName(c);
        if (m_sized.contains(name))
            continue;
        m_sized.insert(name);
        const int header = horizontalHeader()->sectionSizeHint(c);
        const int content = sizeHintForColumn(c);
        setAutoWidth(c, std::clamp(std::max(header, content) + 6, kMinAutoWidth, kMaxAutoWidth));
    }
}

void RecordGridView::setAutoWidth(int column, int width)
{
    // Widths set here are not the user's: only dragged widths are remembered.
    m_programmatic = true;
    setColumnWidth(column, width);
    m_programmatic = false;
}

void RecordGridView::showSortIndicator(int column, Qt::SortOrder order)
{
    m_sortColumn = column;
    m_sortOrder = order;
    horizontalHeader()->setSortIndicator(column, order);
}

void RecordGridView::onSectionClicked(int section)
{
    const Qt::SortOrder order = (section == m_sortColumn && m_sortOrder == Qt::AscendingOrder)
                                    ? Qt::DescendingOrder
                                    : Qt::AscendingOrder;
    showSortIndicator(section, order);
    emit sortRequested(section, order);
}

void RecordGridView::showHeaderMenu(const QPoint &pos)
{
    if (!model())
        return;
    QMenu menu(this);
    menu.setObjectName(QStringLiteral("columnMenu"));
    const int clicked = horizontalHeader()->logicalIndexAt(pos);
    if (clicked >= 0) {
        const QString name = columnName(clicked);
        menu.addAction(tr("Sort Ascending by %1").arg(name), this, [this, clicked] {
            showSortIndicator(clicked, Qt::AscendingOrder);
            emit sortRequested(clicked, Qt::AscendingOrder);
        });
        menu.addAction(tr("Sort Descending by %1").arg(name), this, [this, clicked] {
            showSortIndicator(clicked, Qt::DescendingOrder);
            emit sortRequested(clicked, Qt::DescendingOrder);
        });
    }
    menu.addAction(tr("Natural Order"), this, &RecordGridView::clearSortRequested);
    menu.addSeparator();
    QMenu *columns = menu.addMenu(tr("Columns"));
    int visible = 0;
    for (int c = 0; c < model()->columnCount(); ++c)
        visible += horizontalHeader()->isSectionHidden(c) ? 0 : 1;
    for (int c = 0; c < model()->columnCount(); ++c) {
        const QString name = columnName(c);
        QAction *action = columns->addAction(name);
        action->setCheckable(true);
        action->setChecked(!horizontalHeader()->isSectionHidden(c));
        action->setEnabled(!(action->isChecked() && visible == 1)); // keep one column
        connect(action, &QAction::toggled, this, [this, c, name](bool on) {
            horizontalHeader()->setSectionHidden(c, !on);
            if (on) {
                m_hidden.remove(name);
                if (columnWidth(c) < kMinAutoWidth)
                    setAutoWidth(c, m_widths.value(name, 120).toInt());
            } else {
                m_hidden.insert(name);
            }
        });
    }
    if (clicked >= 0) {
        menu.addAction(tr("Hide Column %1").arg(columnName(clicked)), this,
                       [this, clicked] {
                           horizontalHeader()->setSectionHidden(clicked, true);
                           m_hidden.insert(columnName(clicked));
                       })
            ->setEnabled(visible > 1);
    }
    menu.addAction(tr("Show All Columns"), this, [this] {
        for (int c = 0; c < model()->columnCount(); ++c)
            horizontalHeader()->setSectionHidden(c, false);
        m_hidden.clear();
    });
    menu.addAction(tr("Fit Columns to Contents"), this, [this] {
        for (int c = 0; c < model()->columnCount(); ++c) {
            if (!horizontalHeader()->isSectionHidden(c))
                setAutoWidth(c, std::clamp(std::max(horizontalHeader()->sectionSizeHint(c),
                                                    sizeHintForColumn(c)) +
                                               6,
                                           kMinAutoWidth, 2 * kMaxAutoWidth));
        }
    });
    menu.exec(horizontalHeader()->mapToGlobal(pos));
}

void RecordGridView::setEmptyText(const QString &text)
{
    m_emptyText = text;
    viewport()->update();
}

void RecordGridView::paintEvent(QPaintEvent *event)
{
    QTableView::paintEvent(event);
    if (m_emptyText.isEmpty() || (model() && model()->rowCount() > 0))
        return;
    QPainter painter(viewport());
    painter.setPen(palette().color(QPalette::Disabled, QPalette::Text));
    painter.drawText(viewport()->rect().adjusted(20, 20, -20, -20),
                     Qt::AlignCenter | Qt::TextWordWrap, m_emptyText);
}
