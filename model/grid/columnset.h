#pragma once

// The grid's columns: the key, then the model's root fields, then the attributes found in loaded
// records, in the order they appear. Each column is a field path; a root field has one column.

#include "model/core/value.h"
#include "model/schema/tablemodel.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

class ColumnSet
{
public:
    /// No columns.
    void clear();
    /// The key, then the model's root fields in its order.
    void reset(const TableModel &model);
    int size() const { return int(m_columns.size()); }
    bool isEmpty() const { return m_columns.isEmpty(); }
    /// The field path of a column (0 <= column < size()).
    const QStringList &operator[](int column) const { return m_columns[column]; }
    /// The column showing a root field, or -1.
    int columnOf(const QString &field) const { return m_rootColumns.value(field, -1); }
    /// Adds to `added` the root attributes of `record` that neither a column nor `added` holds.
    void collectNew(const Value &record, QStringList &added) const;
    /// A column for each root field, after the others.
    void append(const QStringList &fields);

private:
    QList<QStringList> m_columns;
    QHash<QString, int> m_rootColumns; ///< root field name -> column
};
