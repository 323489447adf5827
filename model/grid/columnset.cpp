// The grid's columns: what the key and the model declare, then what loaded records hold.
#include "model/grid/columnset.h"

void ColumnSet::clear()
{
    m_columns.clear();
    m_rootColumns.clear();
}

void ColumnSet::reset(const TableModel &model)
{
    clear();
    m_columns << QStringList{model.hashKey()};
    m_rootColumns.insert(model.hashKey(), 0);
    for (const auto &field : model.root().fields) {
        if (field->name == model.hashKey())
            continue;
        m_rootColumns.insert(field->name, int(m_columns.size()));
        m_columns << QStringList{field->name};
    }
}

void ColumnSet::collectNew(const Value &record, QStringList &added) const
{
    const Value::Map &m = record.toMap();
    for (auto it = m.cbegin(); it != m.cend(); ++it) {
        if (!m_rootColumns.contains(it.key()) && !added.contains(it.key()))
            added << it.key();
    }
}

void ColumnSet::append(const QStringList &fields)
{
    for (const QString &name : fields) {
        m_rootColumns.insert(name, int(m_columns.size()));
        m_columns << QStringList{name};
    }
}
