#pragma once

#include <QSet>
#include <QTableView>
#include <QVariantMap>

/// The record grid: rows of records, columns of fields. Clicking a header asks for a sort
/// (the store sorts); the header's context menu hides and shows columns. Column widths and
/// hidden columns are kept by column name, so they survive columns appearing as records load.
class RecordGridView : public QTableView
{
    Q_OBJECT

public:
    explicit RecordGridView(QWidget *parent = nullptr);

    void setModel(QAbstractItemModel *model) override;

    /// Widths and hidden columns by name, for QSettings.
    QVariantMap columnState() const;
    /// Applies saved widths and hidden columns now and to columns that appear later.
    void setColumnState(const QVariantMap &state);
    /// Shows the sort indicator (column -1: natural order, none shown).
    void showSortIndicator(int column, Qt::SortOrder order);
    /// The column whose header reads `name`, or -1.
    int columnByName(const QString &name) const;
    /// Shows a message in the middle of an empty grid ("This table is empty").
    void setEmptyText(const QString &text);

signals:
    /// A header was clicked: ascending on a new column, the other direction on the sorted one.
    void sortRequested(int column, Qt::SortOrder order);
    /// "Natural order" was chosen in the header's menu.
    void clearSortRequested();

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    void onSectionClicked(int section);
    void showHeaderMenu(const QPoint &pos);
    void applyState(int first, int last);
    void sizeNewColumns();
    void setAutoWidth(int column, int width);
    QString columnName(int column) const;

    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    QVariantMap m_widths;
    QSet<QString> m_hidden;
    QSet<QString> m_sized; ///< columns whose width was set (saved, user or automatic)
    QString m_emptyText;
    bool m_programmatic = false;
};
