#pragma once

#include "model/store/recordstore.h"

#include <QStringList>
#include <QWidget>

#include <vector>

class QComboBox;
class QLineEdit;
class QPushButton;
class QToolButton;
class QVBoxLayout;

/// The filter bar above the grid: a free-text search and rows of conditions
/// (field path, operator, value). Apply (or Enter) emits what it holds; the main window
/// hands it to the model, which runs it in the store.
class FilterBar : public QWidget
{
    Q_OBJECT

public:
    explicit FilterBar(QWidget *parent = nullptr);

    /// The field paths offered in the field boxes (the model's fields, discovered columns).
    void setFieldPaths(const QStringList &paths);
    QStringList fieldPaths() const { return m_paths; }

    /// Adds an empty condition row (or one filled in) and returns its index.
    int addCondition(const QString &path = {}, FilterOp op = FilterOp::Equal,
                     const QString &value = {});
    int conditionCount() const;
    /// The conditions as they stand; rows without a field are left out.
    std::vector<FilterCondition> conditions() const;
    QString searchText() const;
    /// True when a filter (conditions or search) is set.
    bool isActive() const;

    /// The operator's label ("begins with") and its parsed value: JSON when it parses, else text.
    static QString operatorLabel(FilterOp op);
    static Value parseOperand(const QString &text);

public slots:
    void apply();
    /// Empties the search and removes every condition, then emits the empty filter.
    void clearFilter();
    /// Removes everything without emitting (a new table).
    void reset();
    void focusSearch();

signals:
    void filterApplied(const std::vector<FilterCondition> &conditions, const QString &text);

private:
    void removeConditionRow(QWidget *row);
    void renumber();
    void updateValueEnabled(QWidget *row);

    QLineEdit *m_search;
    QPushButton *m_addButton;
    QPushButton *m_applyButton;
    QPushButton *m_clearButton;
    QVBoxLayout *m_rows;
    QStringList m_paths;
    QList<QWidget *> m_rowWidgets;
};
