#pragma once

#include "model/core/result.h"
#include "model/store/recordstore.h"

#include <QStringList>
#include <QWidget>

#include <optional>
#include <vector>

class MessageBar;
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
    /// The conditions as they stand; rows without a field are left out. A field path is split
    /// by the rule of the CLI's `scan --where` (splitLiteralPath): `a..b`, a dot at an end,
    /// brackets and the other reserved characters are refused, with the CLI's message.
    Result<std::vector<FilterCondition>> checkedConditions() const;
    /// checkedConditions() with any refused row left out.
    std::vector<FilterCondition> conditions() const;
    /// The message shown when Apply found a field path it refuses; empty when none is shown.
    QString errorText() const;
    QString searchText() const;
    /// True when a filter (conditions or search) is set.
    bool isActive() const;

    /// The operator's label ("begins with") and its parsed value: JSON when it parses, else text.
    static QString operatorLabel(FilterOp op);
    static Value parseOperand(const QString &text);

public slots:
    /// Emits the filter; a refused field path is shown under the bar instead (nothing emitted).
    void apply();
    /// Empties the search and removes every condition, then emits the empty filter.
    void clearFilter();
    /// Removes everything without emitting (a new table).
    void reset();
    void focusSearch();

signals:
    void filterApplied(const std::vector<FilterCondition> &conditions, const QString &text);

private:
    static Result<std::optional<FilterCondition>> rowCondition(const QWidget *row);
    void removeConditionRow(QWidget *row);
    void renumber();
    void updateValueEnabled(QWidget *row);

    QLineEdit *m_search;
    QPushButton *m_addButton;
    QPushButton *m_applyButton;
    QPushButton *m_clearButton;
    MessageBar *m_error;
    QVBoxLayout *m_rows;
    QStringList m_paths;
    QList<QWidget *> m_rowWidgets;
};
