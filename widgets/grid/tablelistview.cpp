#include "widgets/grid/tablelistview.h"

#include "model/store/open/storefactory.h"
#include "widgets/common/looks.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QIcon>

TableListView::TableListView(QWidget *parent) : QTreeWidget(parent)
{
    setObjectName(QStringLiteral("tableList"));
    setColumnCount(2);
    setHeaderLabels({tr("Table"), tr("Records")});
    setRootIsDecorated(true);
    setUniformRowHeights(true);
    setAllColumnsShowFocus(true);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setIconSize(QSize(16, 16));
    header()->setStretchLastSection(false);
    header()->setSectionResizeMode(0, QHeaderView::Stretch);
    header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    header()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    connect(this, &QTreeWidget::currentItemChanged, this,
            [this](QTreeWidgetItem *current, QTreeWidgetItem *) { onCurrentItemChanged(current); });
}

void TableListView::setStore(const QString &location)
{
    m_quiet = true;
    clear();
    m_root = new QTreeWidgetItem(this);
    const bool remote = StoreFactory::isRemote(location);
    m_root->setText(0, remote ? location : QFileInfo(location).fileName());
    m_root->setToolTip(0, location);
    m_root->setIcon(0, QIcon(QStringLiteral(":/icons/store.svg")));
    m_root->setFlags(Qt::ItemIsEnabled);
    QFont bold = m_root->font(0);
    bold.setBold(true);
    m_root->setFont(0, bold);
    // The store's name may be long: it has the whole row (the count column is for tables).
    m_root->setFirstColumnSpanned(true);
    setStatusItem(tr("Loading tables…"), false);
    m_root->setExpanded(true);
    m_quiet = false;
}

void TableListView::setStatusItem(const QString &text, bool error, const QString &tip)
{
    auto *status = new QTreeWidgetItem(m_root);
    status->setText(0, text);
    status->setToolTip(0, tip.isEmpty() ? text : tip);
    status->setFlags(Qt::ItemIsEnabled);
    status->setFirstColumnSpanned(true);
    QFont italic = status->font(0);
    italic.setItalic(true);
    status->setFont(0, italic);
    status->setForeground(0, error ? QBrush(QColor(0xb0, 0x20, 0x20))
                                   : palette().brush(QPalette::Disabled, QPalette::Text));
}

void TableListView::setTables(const QList<TableInfo> &tables)
{
    if (!m_root)
        return;
    const QString current = currentTable();
    m_quiet = true;
    qDeleteAll(m_root->takeChildren());
    QTreeWidgetItem *keep = nullptr;
    for (const TableInfo &info : tables) {
        auto *item = new QTreeWidgetItem(m_root);
        item->setText(0, info.name);
        item->setData(0, TableNameRole, info.name);
        item->setIcon(0, QIcon(QStringLiteral(":/icons/table.svg")));
        item->setData(1, RecordCountRole, info.count);
        item->setText(1, info.count < 0 ? tr("?")
                                        : (info.countExact ? QString() : QStringLiteral("~")) +
                                              Looks::number(info.count));
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
        QString tip = info.count < 0
                          ? tr("%1: record count unknown").arg(info.name)
                          : tr("%1: %2 records").arg(info.name, Looks::number(info.count));
        if (info.model)
            tip += tr("\nkey: %1").arg(info.model->hashKey());
        if (info.inferredFrom < 0)
            tip += tr("\nno model attached: one is inferred from sampled records when the table is "
                      "opened");
        else if (info.inferredFrom > 0)
            tip += tr("\nno model attached: the one in force is inferred from %1 sampled records")
                       .arg(Looks::number(info.inferredFrom));
        else if (!info.hasModel)
            tip += tr("\nno table model: only the key is checked");
        item->setToolTip(0, tip);
        item->setToolTip(1, tip);
        if (info.name == current)
            keep = item;
    }
    if (tables.isEmpty())
        setStatusItem(tr("No tables yet"), false);
    m_root->setExpanded(true);
    if (keep)
        setCurrentItem(keep);
    m_quiet = false;
}

void TableListView::setError(const QString &message)
{
    if (!m_root)
        return;
    m_quiet = true;
    qDeleteAll(m_root->takeChildren());
    setStatusItem(tr("Could not open or list the tables"), true, message);
    m_root->setExpanded(true);
    m_quiet = false;
}

bool TableListView::selectTable(const QString &name)
{
    QTreeWidgetItem *item = tableItem(name);
    if (!item)
        return false;
    setCurrentItem(item);
    return true;
}

QString TableListView::currentTable() const
{
    const QTreeWidgetItem *item = currentItem();
    return item ? item->data(0, TableNameRole).toString() : QString();
}

QTreeWidgetItem *TableListView::tableItem(const QString &name) const
{
    if (!m_root)
        return nullptr;
    for (int i = 0; i < m_root->childCount(); ++i) {
        if (m_root->child(i)->data(0, TableNameRole).toString() == name)
            return m_root->child(i);
    }
    return nullptr;
}

void TableListView::onCurrentItemChanged(QTreeWidgetItem *current)
{
    if (m_quiet || !current)
        return;
    const QString name = current->data(0, TableNameRole).toString();
    if (!name.isEmpty())
        emit tableChosen(name);
}
