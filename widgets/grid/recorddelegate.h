#pragma once

#include <QStyledItemDelegate>

/// Paints the record grid's cells: rows still loading greyed, rows that fail their table
/// model tinted red with a marker in the first column, rows with notes marked subtly, and
/// rows whose stored record cannot be read hatched, with a dark marker and the reason in
/// italics.
/// The looks live here; the model only says the state (ValidationStateRole).
class RecordDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit RecordDelegate(QObject *parent = nullptr);

    static QColor invalidTint();
    static QColor invalidMarker();
    static QColor notedMarker();
    static QColor unreadableMarker();
    static QColor unreadableText();

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    /// Leaves an in-place editor the user has typed in as it is: a page fetched again while
    /// a cell is edited (dataChanged over its row) must not undo the typing.
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};
