#pragma once

#include "model/store/recordstore.h"

#include <QList>
#include <QTreeWidget>

/// The tables panel: the store as the root, its tables with their record counts below.
class TableListView : public QTreeWidget
{
    Q_OBJECT

public:
    enum Role { TableNameRole = Qt::UserRole + 1, RecordCountRole };

    explicit TableListView(QWidget *parent = nullptr);

    /// Shows a store whose tables are still being listed.
    void setStore(const QString &location);
    /// Shows the store's tables; keeps the current table selected without emitting.
    void setTables(const QList<TableInfo> &tables);
    /// Shows why the tables could not be listed.
    void setError(const QString &message);
    /// Selects a table (emits tableChosen when the selection changes).
    bool selectTable(const QString &name);
    QString currentTable() const;
    QTreeWidgetItem *tableItem(const QString &name) const;
    QTreeWidgetItem *storeItem() const { return m_root; }

signals:
    /// The user (or selectTable) chose a table.
    void tableChosen(const QString &name);

private:
    void onCurrentItemChanged(QTreeWidgetItem *current);
    void setStatusItem(const QString &text, bool error, const QString &tip = {});
    QTreeWidgetItem *m_root = nullptr;
    bool m_quiet = false;
};
