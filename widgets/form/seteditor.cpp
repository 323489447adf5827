// The set editor: the members of a string, number or binary set in a list, with an entry line
// and buttons that add and remove members.

#include "widgets/form/fieldeditor.h"
#include "widgets/form/valueeditorparts.h"
#include "widgets/form/valueeditors.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QShortcut>
#include <QToolButton>
#include <QVBoxLayout>

using namespace valueeditorparts;

// ---- SetEditor ---------------------------------------------------------------------------

SetEditor::SetEditor(FieldEditor *owner, const FieldType &type)
    : ValueEditor(owner), m_list(new QListWidget(this)), m_entry(new QLineEdit(this)),
      m_add(new QToolButton(this)), m_remove(new QToolButton(this)), m_hint(new QLabel(this))
{
    if (type.items) {
        for (const FieldType &t : type.items->types) {
            if (t.kind == FieldKind::Str || t.kind == FieldKind::Any) {
                m_itemKind = ItemKind::String;
                break;
            }
            if (t.kind == FieldKind::Int || t.kind == FieldKind::Float ||
                t.kind == FieldKind::Decimal) {
                m_itemKind = ItemKind::Number;
                m_numberKind = t.kind;
                break;
            }
            if (t.kind == FieldKind::Bytes) {
                m_itemKind = ItemKind::Binary;
                break;
            }
        }
    }
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(2);
    auto *entryRow = new QHBoxLayout;
    entryRow->setSpacing(4);
    entryRow->addWidget(m_entry, 1);
    entryRow->addWidget(m_add);
    entryRow->addWidget(m_remove);
    outer->addLayout(entryRow);
    outer->addWidget(m_list);
    outer->addWidget(m_hint);
    m_add->setText(QObject::tr("Add"));
    m_add->setToolTip(QObject::tr("Add the value to the set (Enter)"));
    m_add->setFocusPolicy(Qt::ClickFocus);
    m_remove->setText(QObject::tr("Remove"));
    m_remove->setToolTip(QObject::tr("Remove the selected values (Delete in the list)"));
    m_remove->setFocusPolicy(Qt::ClickFocus);
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setFlow(QListView::LeftToRight);
    m_list->setWrapping(true);
    m_list->setSpacing(2);
    m_list->setToolTip(QObject::tr("The values of the set; Delete removes the selected ones"));
    m_list->installEventFilter(this);
    m_hint->setWordWrap(true);
    QPalette p = m_hint->palette();
    p.setColor(QPalette::WindowText, errorColor());
    m_hint->setPalette(p);
    m_hint->hide();
    connect(m_entry, &QLineEdit::returnPressed, this, &SetEditor::addEntry);
    connect(m_entry, &QLineEdit::textEdited, this, [this] {
        m_hint->hide();
        emit m_owner->edited(); // a typed but not added value is a problem to show
    });
    connect(m_add, &QToolButton::clicked, this, &SetEditor::addEntry);
    connect(m_remove, &QToolButton::clicked, this, &SetEditor::removeSelected);
    auto *del = new QShortcut(QKeySequence::Delete, m_list);
    del->setContext(Qt::WidgetShortcut);
    connect(del, &QShortcut::activated, this, &SetEditor::removeSelected);
    updateList();
}

QString SetEditor::checkItem(const QString &text) const
{
    switch (m_itemKind) {
    case ItemKind::String:
        if (text.isEmpty())
            return QObject::tr("type a value first");
        if (m_items.contains(text))
            return QObject::tr("\"%1\" is already in the set; a set holds each value once")
                .arg(text);
        return {};
    case ItemKind::Number: {
        const QString problem = numberTextProblem(text, m_numberKind);
        if (!problem.isEmpty())
            return problem;
        const QString canonical = canonicalNumber(text.trimmed());
        for (const QString &item : m_items) {
            if (canonicalNumber(item) == canonical)
                return QObject::tr("%1 is already in the set (as %2); a set holds each value once")
                    .arg(text.trimmed(), item);
        }
        return {};
    }
    case ItemKind::Binary: {
        auto bytes = decodeBase64(text);
        if (!bytes)
            return QObject::tr("is not base64 (A-Z, a-z, 0-9, + and /, padded with =)");
        for (const QString &item : m_items) {
            if (decodeBase64(item) == bytes)
                return QObject::tr("these bytes are already in the set");
        }
        return {};
    }
    }
    return {};
}

bool SetEditor::addEntry()
{
    const QString text =
        m_itemKind == ItemKind::String ? m_entry->text() : m_entry->text().trimmed();
    const QString problem = checkItem(text);
    if (!problem.isEmpty()) {
        m_hint->setText(problem);
        m_hint->show();
        return false;
    }
    m_hint->hide();
    m_items << text;
    m_entry->clear();
    updateList();
    m_owner->userEdited();
    return true;
}

void SetEditor::removeSelected()
{
    const auto selected = m_list->selectedItems();
    if (selected.isEmpty())
        return;
    for (QListWidgetItem *item : selected)
        m_items.removeAll(item->text());
    updateList();
    if (m_items.isEmpty())
        m_owner->userCleared();
    else
        m_owner->userEdited();
}

QStringList SetEditor::items() const
{
    return m_items;
}

void SetEditor::updateList()
{
    m_list->clear();
    m_list->addItems(m_items);
    m_list->setVisible(!m_items.isEmpty());
    const int rowHeight = m_list->fontMetrics().height() + 8;
    m_list->setFixedHeight(std::min(3, std::max(1, int((m_items.size() + 3) / 4))) * rowHeight +
                           2 * m_list->frameWidth() + 4);
}

Value SetEditor::value() const
{
    switch (m_itemKind) {
    case ItemKind::String:
        return Value::stringSet(m_items);
    case ItemKind::Number: {
        QStringList numbers;
        for (const QString &s : m_items)
            numbers << s.trimmed();
        return Value::numberSet(numbers);
    }
    case ItemKind::Binary: {
        QList<QByteArray> bytes;
        for (const QString &s : m_items)
            bytes << decodeBase64(s).value_or(QByteArray());
        return Value::binarySet(bytes);
    }
    }
    return Value();
}

void SetEditor::setValue(const Value &value)
{
    switch (value.type()) {
    case Value::Type::StringSet:
        m_itemKind = ItemKind::String;
        m_items = value.textItems();
        break;
    case Value::Type::NumberSet:
        m_itemKind = ItemKind::Number;
        m_items = value.textItems();
        break;
    case Value::Type::BinarySet:
        m_itemKind = ItemKind::Binary;
        m_items.clear();
        for (const QByteArray &b : value.binaryItems())
            m_items << QString::fromLatin1(b.toBase64());
        break;
    default:
        m_items.clear();
        break;
    }
    m_entry->clear();
    m_hint->hide();
    updateList();
}

void SetEditor::clear()
{
    m_items.clear();
    m_entry->clear();
    m_hint->hide();
    updateList();
}

void SetEditor::setUnsetLook(bool unset, bool required)
{
    QString what;
    switch (m_itemKind) {
    case ItemKind::String:
        what = QObject::tr("text");
        break;
    case ItemKind::Number:
        what = m_numberKind == FieldKind::Int ? QObject::tr("whole number") : QObject::tr("number");
        break;
    case ItemKind::Binary:
        what = QObject::tr("base64");
        break;
    }
    if (unset)
        m_entry->setPlaceholderText(
            required ? QObject::tr("required: type a value (%1), Enter adds it").arg(what)
                     : QObject::tr("not set: type a value (%1), Enter adds it").arg(what));
    else
        m_entry->setPlaceholderText(QObject::tr("add a value (%1), Enter", "set entry").arg(what));
}

void SetEditor::inputProblems(Problems &out, const QString &path) const
{
    if (!m_entry->text().isEmpty())
        out.push_back(Problem{path,
                              QObject::tr("\"%1\" is typed but not added: press Enter to add it, "
                                          "or clear it")
                                  .arg(m_entry->text()),
                              true});
}

void SetEditor::focusChain(QList<QWidget *> &out) const
{
    out << m_entry << m_list;
}

void SetEditor::rename(const QString &inputName, const QString &path)
{
    m_list->setObjectName(inputName);
    m_entry->setObjectName(QStringLiteral("entry:") + path);
    m_add->setObjectName(QStringLiteral("add:") + path);
    m_remove->setObjectName(QStringLiteral("remove:") + path);
    m_hint->setObjectName(QStringLiteral("hint:") + path);
}

QWidget *SetEditor::focusTarget() const
{
    return m_entry;
}
