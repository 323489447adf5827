#pragma once

#include "model/core/value.h"
#include "model/schema/tablemodel.h"

#include <QStringList>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QTreeWidget;
class QTreeWidgetItem;
struct FieldSpec;

/// The record inspector: one record as a tree of its nested maps, dicts, lists and sets
/// (Field | Value | Type, with the declared type where the table model says it), as
/// pretty-printed plain JSON that can be copied, and its validation problems on top.
class RecordInspector : public QWidget
{
    Q_OBJECT

public:
    explicit RecordInspector(QWidget *parent = nullptr);

    /// Shows a record; `problems` are the validator's sentences ("path: message").
    void setRecord(const Value &record, const TableModelPtr &model, const QStringList &problems,
                   bool invalid);
    /// Shows that the selected record's page is still loading.
    void setLoading();
    /// Shows a row whose stored record cannot be read: its key and why (no fields, no JSON).
    void setUnreadable(const Value &key, const TableModelPtr &model, const QString &message);
    /// Shows nothing selected.
    void clear();

    bool hasRecord() const { return m_hasRecord; }
    QString jsonText() const;

public slots:
    /// Copies the JSON text to the clipboard.
    void copyJson();

signals:
    void jsonCopied();

private:
    void addChildren(QTreeWidgetItem *parent, const Value &value, const FieldSpec *spec, int depth);
    QTreeWidgetItem *addItem(QTreeWidgetItem *parent, const QString &name, const Value &value,
                             const FieldSpec *spec, int depth);

    QStackedWidget *m_stack;
    QLabel *m_placeholder;
    QLabel *m_title;
    QLabel *m_subtitle;
    QLabel *m_problems;
    QTabWidget *m_tabs;
    QTreeWidget *m_tree;
    QPlainTextEdit *m_json;
    QPushButton *m_copy;
    int m_itemCount = 0;
    bool m_hasRecord = false;
};
