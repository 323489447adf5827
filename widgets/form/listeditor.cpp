// The list editor: one FieldEditor row per item, with buttons to add, remove and move items.

#include "widgets/form/fieldeditor.h"
#include "widgets/form/valueeditorparts.h"
#include "widgets/form/valueeditors.h"

#include <QApplication>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QShortcut>
#include <QToolButton>
#include <QVBoxLayout>

using namespace valueeditorparts;

// ---- ListEditor --------------------------------------------------------------------------

ListEditor::ListEditor(FieldEditor *owner, const FieldType &type)
    : ValueEditor(owner), m_type(type), m_frame(new QFrame(this)),
      m_rowsLayout(new QVBoxLayout(m_frame)), m_empty(new QLabel(QObject::tr("no items"), m_frame)),
      m_add(new QToolButton(this))
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(2);
    m_frame->setFrameShape(QFrame::StyledPanel);
    outer->addWidget(m_frame);
    outer->addWidget(m_add, 0, Qt::AlignLeft);
    m_rowsLayout->setContentsMargins(8, 6, 8, 6);
    m_rowsLayout->setSpacing(6);
    makeQuiet(m_empty);
    m_rowsLayout->addWidget(m_empty);
    m_add->setText(QObject::tr("+ Add item"));
    m_add->setToolTip(QObject::tr("Add an item at the end of the list"));
    m_add->setFocusPolicy(Qt::StrongFocus);
    connect(m_add, &QToolButton::clicked, this, &ListEditor::addItem);
    relayout();
}

void ListEditor::appendRow(const std::optional<Value> &value)
{
    auto *w = new QWidget(m_frame);
    auto *h = new QHBoxLayout(w);
    h->setContentsMargins(0, 0, 0, 0);
    h->setSpacing(4);
    auto *index = new QLabel(w);
    makeQuiet(index, false);
    index->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("00")));
    index->setMinimumHeight(lineHeight());
    index->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    auto *item = new FieldEditor(m_type.items, FieldEditor::Role::Item,
                                 m_path + QStringLiteral("[%1]").arg(m_rows.size()), w);
    if (value)
        item->setValue(*value);
    auto *up = smallButton(w, QStringLiteral("▲"), QObject::tr("Move up (Alt+Up)"), Qt::ClickFocus);
    auto *down =
        smallButton(w, QStringLiteral("▼"), QObject::tr("Move down (Alt+Down)"), Qt::ClickFocus);
    auto *remove =
        smallButton(w, QStringLiteral("✕"), QObject::tr("Remove this item"), Qt::StrongFocus);
    h->addWidget(index, 0, Qt::AlignTop);
    h->addWidget(item, 1);
    h->addWidget(up, 0, Qt::AlignTop);
    h->addWidget(down, 0, Qt::AlignTop);
    h->addWidget(remove, 0, Qt::AlignTop);
    connect(item, &FieldEditor::edited, m_owner, &FieldEditor::edited);
    connect(item, &FieldEditor::structureChanged, m_owner, &FieldEditor::structureChanged);
    auto rowOf = [this, w] {
        for (std::size_t i = 0; i < m_rows.size(); ++i) {
            if (m_rows[i].widget == w)
                return int(i);
        }
        return -1;
    };
    connect(up, &QToolButton::clicked, this, [this, rowOf] { moveItem(rowOf(), rowOf() - 1); });
    connect(down, &QToolButton::clicked, this, [this, rowOf] { moveItem(rowOf(), rowOf() + 1); });
    connect(remove, &QToolButton::clicked, this, [this, rowOf] { removeItem(rowOf()); });
    auto *upKey = new QShortcut(QKeySequence(Qt::ALT | Qt::Key_Up), w);
    upKey->setContext(Qt::WidgetWithChildrenShortcut);
    connect(upKey, &QShortcut::activated, this, [this, rowOf] { moveItem(rowOf(), rowOf() - 1); });
    auto *downKey = new QShortcut(QKeySequence(Qt::ALT | Qt::Key_Down), w);
    downKey->setContext(Qt::WidgetWithChildrenShortcut);
    connect(downKey, &QShortcut::activated, this,
            [this, rowOf] { moveItem(rowOf(), rowOf() + 1); });
    m_rowsLayout->addWidget(w);
    w->show();
    m_rows.push_back(Row{w, index, item, up, down, remove});
}

void ListEditor::relayout()
{
    for (const Row &r : m_rows)
        m_rowsLayout->removeWidget(r.widget);
    for (const Row &r : m_rows)
        m_rowsLayout->addWidget(r.widget);
    m_empty->setVisible(m_rows.empty());
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        m_rows[i].index->setText(QString::number(i));
        m_rows[i].up->setEnabled(i > 0);
        m_rows[i].down->setEnabled(i + 1 < m_rows.size());
    }
    rename(QString(), m_path);
}

void ListEditor::addItem()
{
    appendRow(std::nullopt);
    relayout();
    m_owner->notifyStructureChanged();
    m_owner->userEdited();
    m_rows.back().item->focusTarget()->setFocus();
}

void ListEditor::moveItem(int from, int to)
{
    if (from < 0 || to < 0 || from >= int(m_rows.size()) || to >= int(m_rows.size()) || from == to)
        return;
    QWidget *focused = QApplication::focusWidget();
    std::swap(m_rows[std::size_t(from)], m_rows[std::size_t(to)]);
    relayout();
    if (focused)
        focused->setFocus();
    m_owner->notifyStructureChanged();
    m_owner->userEdited();
}

void ListEditor::removeItem(int index)
{
    if (index < 0 || index >= int(m_rows.size()))
        return;
    Row row = m_rows[std::size_t(index)];
    const bool hadFocus = row.widget->isAncestorOf(QApplication::focusWidget());
    m_rows.erase(m_rows.begin() + index);
    m_rowsLayout->removeWidget(row.widget);
    discardWidget(row.widget);
    relayout();
    if (hadFocus) {
        if (!m_rows.empty())
            m_rows[std::size_t(std::min<int>(index, int(m_rows.size()) - 1))].remove->setFocus();
        else
            m_add->setFocus();
    }
    m_owner->notifyStructureChanged();
    m_owner->userEdited();
}

Value ListEditor::value() const
{
    Value::List list;
    for (const Row &r : m_rows)
        list.append(r.item->value().value_or(Value()));
    return Value::list(std::move(list));
}

void ListEditor::setValue(const Value &value)
{
    for (const Row &r : m_rows)
        delete r.widget;
    m_rows.clear();
    if (value.isList()) {
        for (const Value &v : value.toList())
            appendRow(v);
    }
    relayout();
    m_owner->notifyStructureChanged();
}

void ListEditor::clear()
{
    setValue(Value::list());
}

void ListEditor::inputProblems(Problems &out, const QString &path) const
{
    Q_UNUSED(path);
    for (const Row &r : m_rows)
        r.item->collectInputProblems(out);
}

void ListEditor::childEditors(QList<FieldEditor *> &out) const
{
    for (const Row &r : m_rows)
        out << r.item;
}

void ListEditor::focusChain(QList<QWidget *> &out) const
{
    for (const Row &r : m_rows) {
        r.item->collectFocusChain(out);
        out << r.remove;
    }
    out << m_add;
}

void ListEditor::rename(const QString &inputName, const QString &path)
{
    Q_UNUSED(inputName);
    m_path = path;
    m_frame->setObjectName(QStringLiteral("field:") + path);
    m_add->setObjectName(QStringLiteral("add:") + path);
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        const QString itemPath = path + QStringLiteral("[%1]").arg(i);
        m_rows[i].item->setPath(itemPath);
        m_rows[i].up->setObjectName(QStringLiteral("up:") + itemPath);
        m_rows[i].down->setObjectName(QStringLiteral("down:") + itemPath);
        m_rows[i].remove->setObjectName(QStringLiteral("remove:") + itemPath);
    }
}

QWidget *ListEditor::focusTarget() const
{
    return m_rows.empty() ? static_cast<QWidget *>(m_add) : m_rows.front().item->focusTarget();
}
