// What the grid shows of a row: cell text and roles, the unreadable row, headers, which
// cells can be edited in place, and the summary of a nested value.
#include "model/grid/recordtablemodel.h"

#include "model/json/jsoncodec.h"

QString RecordTableModel::summary(const Value &value)
{
    switch (value.type()) {
    case Value::Type::Null:
        return QStringLiteral("null");
    case Value::Type::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case Value::Type::Number:
        return value.text();
    case Value::Type::String: {
        QString text = value.text().left(300);
        text.replace(u'\n', u' ');
        return text;
    }
    case Value::Type::Binary:
        return value.bytes().size() == 1 ? tr("<1 byte>")
                                         : tr("<%1 bytes>").arg(value.bytes().size());
    case Value::Type::Map:
        return value.size() == 1 ? tr("{1 field}") : tr("{%1 fields}").arg(value.size());
    case Value::Type::List:
        return value.size() == 1 ? tr("[1 item]") : tr("[%1 items]").arg(value.size());
    case Value::Type::StringSet:
    case Value::Type::NumberSet:
    case Value::Type::BinarySet:
        return tr("set of %1").arg(value.size());
    }
    return {};
}

QVariant RecordTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.model() != this || index.row() >= m_rows ||
        index.column() >= m_columns.size())
        return {};
    const Row *row = rowAt(index.row());
    if (!row) {
        switch (role) {
        case Qt::DisplayRole:
            return QStringLiteral("…");
        case LoadedRole:
            return false;
        case ValidationStateRole:
            return QVariant::fromValue(ValidationState::Loading);
        default:
            return {};
        }
    }
    if (row->state == ValidationState::Unreadable)
        return unreadableData(*row, index.column(), role);
    const QStringList &path = m_columns[index.column()];
    const Value *cell = row->record.find(path.front());
    for (qsizetype i = 1; cell && i < path.size(); ++i)
        cell = cell->find(path[i]);
    switch (role) {
    case Qt::DisplayRole:
        return cell ? summary(*cell) : QString();
    case Qt::EditRole:
        if (!cell || cell->isNull())
            return QString();
        if (cell->type() == Value::Type::Bool)
            return cell->toBool() ? QStringLiteral("true") : QStringLiteral("false");
        return cell->text();
    case Qt::ToolTipRole:
        if (!row->problems.isEmpty())
            return row->problems.join(u'\n');
        if (cell && (cell->isMap() || cell->isList() || cell->isSet()))
            return QString::fromUtf8(JsonCodec::toPlain(*cell).left(2000));
        return {};
    case Qt::TextAlignmentRole:
        if (cell && cell->isNumber())
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return int(Qt::AlignLeft | Qt::AlignVCenter);
    case RecordRole:
        return QVariant::fromValue(row->record);
    case RecordKeyRole: {
        const Value *key = row->record.find(m_model->hashKey());
        return key ? QVariant::fromValue(*key) : QVariant();
    }
    case ValidationStateRole:
        return QVariant::fromValue(row->state);
    case ProblemsRole:
        return row->problems;
    case LoadedRole:
        return true;
    case CellValueRole:
        return cell ? QVariant::fromValue(*cell) : QVariant();
    case UnreadableRole:
        return QString();
    default:
        return {};
    }
}

QVariant RecordTableModel::unreadableData(const Row &row, int column, int role) const
{
    const Value *key = row.record.find(m_model->hashKey());
    const QString reasonText = tr("unreadable: %1").arg(row.reason);
    switch (role) {
    case Qt::DisplayRole:
        if (column == 0)
            return columnCount() > 1 ? summary(*key)
                                     : summary(*key) + QStringLiteral(" — ") + reasonText;
        return column == 1 ? reasonText : QString();
    case Qt::ToolTipRole:
        return row.unreadable;
    case Qt::TextAlignmentRole:
        return int(Qt::AlignLeft | Qt::AlignVCenter);
    case RecordKeyRole:
        return QVariant::fromValue(*key);
    case ValidationStateRole:
        return QVariant::fromValue(row.state);
    case ProblemsRole:
        return row.problems;
    case UnreadableRole:
        return row.unreadable;
    case LoadedRole:
        return true;
    case CellValueRole:
        return column == 0 ? QVariant::fromValue(*key) : QVariant();
    default:
        return {}; // no RecordRole: there is no record to edit, copy or move
    }
}

QVariant RecordTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical) {
        if (role == Qt::DisplayRole)
            return section + 1;
        return {};
    }
    if (section < 0 || section >= m_columns.size())
        return {};
    const QStringList &path = m_columns[section];
    switch (role) {
    case Qt::DisplayRole:
        return path.join(u'.');
    case FieldPathRole:
        return path;
    case Qt::ToolTipRole: {
        const FieldSpec *spec = m_model ? m_model->root().field(path.front()) : nullptr;
        if (!spec)
            return tr("%1: not declared in the table model").arg(path.join(u'.'));
        return tr("%1: %2%3")
            .arg(path.join(u'.'), spec->typeDescription(),
                 spec->required ? tr(", required") : QString());
    }
    default:
        return {};
    }
}

Qt::ItemFlags RecordTableModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    // Scalar root fields (not the key) can be edited in place; nested values go to the form.
    if (m_model && index.column() > 0 && index.column() < m_columns.size() &&
        m_columns[index.column()].size() == 1) {
        const QString &field = m_columns[index.column()].front();
        const FieldSpec *spec = m_model->root().field(field);
        const bool scalarSpec =
            !spec || !(spec->accepts(FieldKind::Map) || spec->accepts(FieldKind::Dict) ||
                       spec->accepts(FieldKind::List) || spec->accepts(FieldKind::Set));
        const auto [page, offset] = pageOfRow(index.row());
        const Page *loaded = m_pages.find(page);
        const bool unreadable =
            loaded && std::size_t(offset) < loaded->rows.size() &&
            loaded->rows[std::size_t(offset)].state == ValidationState::Unreadable;
        if (field != m_model->hashKey() && scalarSpec && !unreadable)
            flags |= Qt::ItemIsEditable;
    }
    return flags;
}

bool RecordTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !(flags(index) & Qt::ItemIsEditable))
        return false;
    if (data(index, Qt::EditRole).toString() == value.toString())
        return false;
    emit cellEditRequested(index.row(), index.column(), value.toString());
    return false; // the store decides; a reload shows what it holds
}
