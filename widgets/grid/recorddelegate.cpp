#include "widgets/grid/recorddelegate.h"

#include "model/grid/recordtablemodel.h"

#include <QLineEdit>
#include <QPainter>

namespace {

RecordTableModel::ValidationState stateOf(const QModelIndex &index)
{
    const QVariant v = index.data(RecordTableModel::ValidationStateRole);
    return v.isValid() ? v.value<RecordTableModel::ValidationState>()
                       : RecordTableModel::ValidationState::Valid;
}

} // namespace

RecordDelegate::RecordDelegate(QObject *parent) : QStyledItemDelegate(parent) {}

QColor RecordDelegate::invalidTint()
{
    return QColor(0xd3, 0x2f, 0x2f, 34);
}

QColor RecordDelegate::invalidMarker()
{
    return QColor(0xd3, 0x2f, 0x2f);
}

QColor RecordDelegate::notedMarker()
{
    return QColor(0xe0, 0x9b, 0x1a);
}

QColor RecordDelegate::unreadableMarker()
{
    return QColor(0x5d, 0x1a, 0x1a);
}

QColor RecordDelegate::unreadableText()
{
    return QColor(0x8e, 0x24, 0x1c);
}

void RecordDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (stateOf(index) == RecordTableModel::ValidationState::Loading) {
        const QColor grey = option->palette.color(QPalette::Disabled, QPalette::Text);
        option->palette.setColor(QPalette::Text, grey);
        option->palette.setColor(QPalette::HighlightedText, grey);
        option->displayAlignment = Qt::AlignCenter;
    } else if (stateOf(index) == RecordTableModel::ValidationState::Unreadable &&
               index.column() > 0) {
        option->font.setItalic(true);
        option->palette.setColor(QPalette::Text, unreadableText());
    }
}

void RecordDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                           const QModelIndex &index) const
{
    const auto state = stateOf(index);
    if (state == RecordTableModel::ValidationState::Invalid &&
        !(option.state & QStyle::State_Selected))
        painter->fillRect(option.rect, invalidTint());
    if (state == RecordTableModel::ValidationState::Unreadable &&
        !(option.state & QStyle::State_Selected)) {
        // Hatched: not a record that fails its model but one that cannot be read at all.
        painter->fillRect(option.rect, invalidTint());
        painter->fillRect(option.rect, QBrush(QColor(0x5d, 0x1a, 0x1a, 40), Qt::BDiagPattern));
    }
    QStyledItemDelegate::paint(painter, option, index);
    if (index.column() != 0)
        return;
    if (state == RecordTableModel::ValidationState::Unreadable) {
        painter->fillRect(
            QRect(option.rect.left(), option.rect.top() + 1, 5, option.rect.height() - 2),
            unreadableMarker());
        return;
    }
    if (state == RecordTableModel::ValidationState::Invalid ||
        state == RecordTableModel::ValidationState::Noted) {
        const bool invalid = state == RecordTableModel::ValidationState::Invalid;
        const QRect bar(option.rect.left(), option.rect.top() + 1, invalid ? 4 : 3,
                        option.rect.height() - 2);
        painter->fillRect(bar, invalid ? invalidMarker() : notedMarker());
    }
}

void RecordDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    if (const auto *line = qobject_cast<QLineEdit *>(editor); line && line->isModified())
        return;
    QStyledItemDelegate::setEditorData(editor, index);
}
