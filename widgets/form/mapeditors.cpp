// The map editors: MapEditor (the fields a map model declares, one FieldEditor each) and
// DictEditor (free keys, one key line and FieldEditor per entry).

#include "widgets/common/looks.h"
#include "widgets/form/fieldeditor.h"
#include "widgets/form/valueeditorparts.h"
#include "widgets/form/valueeditors.h"

#include <QApplication>
#include <QFrame>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>
#include <QVBoxLayout>

using namespace valueeditorparts;

// ---- MapEditor ---------------------------------------------------------------------------

MapEditor::MapEditor(FieldEditor *owner, const MapModel &model, bool root, const QString &hashKey)
    : ValueEditor(owner), m_model(model), m_root(root)
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(2);
    if (root)
        m_frame = new QWidget(this);
    else
        m_frame = new QGroupBox(this);
    if (!root) {
        m_collapse = new QToolButton(this);
        m_collapse->setAutoRaise(true);
        m_collapse->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        m_collapse->setArrowType(Qt::DownArrow);
        m_collapse->setFocusPolicy(Qt::ClickFocus);
        m_collapse->setToolTip(QObject::tr("Show or hide the fields of this map"));
        m_collapse->setMinimumHeight(lineHeight());
        outer->addWidget(m_collapse, 0, Qt::AlignLeft);
        connect(m_collapse, &QToolButton::clicked, this, [this] { setCollapsed(!m_collapsed); });
    }
    outer->addWidget(m_frame);
    m_grid = new QGridLayout(m_frame);
    if (root)
        m_grid->setContentsMargins(0, 0, 0, 0);
    else
        m_grid->setContentsMargins(10, 8, 10, 8);
    m_grid->setHorizontalSpacing(12);
    m_grid->setVerticalSpacing(8);
    m_grid->setColumnStretch(1, 1);

    std::vector<const FieldSpec *> specs;
    for (const auto &f : model.fields) {
        if (root && f->name == hashKey)
            specs.insert(specs.begin(), f.get());
        else
            specs.push_back(f.get());
    }
    int row = 0;
    for (const FieldSpec *spec : specs) {
        const bool isKey = root && spec->name == hashKey;
        auto *label =
            new QLabel(spec->required ? spec->name + QStringLiteral(" *") : spec->name, m_frame);
        if (spec->required) {
            QFont f = label->font();
            f.setBold(true);
            label->setFont(f);
        }
        label->setMinimumHeight(lineHeight());
        label->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        label->setToolTip(QObject::tr("%1: %2%3%4")
                              .arg(spec->name, spec->typeDescription(),
                                   spec->required ? QObject::tr(", required") : QString(),
                                   isKey ? QObject::tr(", the table's key") : QString()));
        auto *editor = new FieldEditor(
            spec, isKey ? FieldEditor::Role::Key : FieldEditor::Role::Field, QString(), m_frame);
        connect(editor, &FieldEditor::edited, owner, &FieldEditor::edited);
        connect(editor, &FieldEditor::structureChanged, owner, &FieldEditor::structureChanged);
        m_grid->addWidget(label, row, 0, Qt::AlignTop | Qt::AlignRight);
        m_grid->addWidget(editor, row, 1);
        m_children.push_back(Child{spec, label, editor});
        ++row;
    }
    updateHeader();
}

FieldEditor *MapEditor::fieldEditor(const QString &name) const
{
    for (const Child &c : m_children) {
        if (c.spec->name == name)
            return c.editor;
    }
    return nullptr;
}

Value MapEditor::value() const
{
    Value::Map map;
    if (m_extras) {
        const Value extras = m_extras->value().value_or(Value());
        if (extras.isMap()) {
            const Value::Map &m = extras.toMap();
            for (auto it = m.cbegin(); it != m.cend(); ++it) {
                if (!m_model.field(it.key()))
                    map.insert(it.key(), it.value());
            }
        }
    }
    for (const Child &c : m_children) {
        if (auto v = c.editor->value())
            map.insert(c.spec->name, *v);
    }
    return Value::map(std::move(map));
}

void MapEditor::setValue(const Value &value)
{
    const Value::Map empty;
    const Value::Map &map = value.isMap() ? value.toMap() : empty;
    for (const Child &c : m_children) {
        const Value *v = value.find(c.spec->name);
        c.editor->setValue(v ? std::optional<Value>(*v) : std::nullopt);
    }
    Value::Map extras;
    for (auto it = map.cbegin(); it != map.cend(); ++it) {
        if (!m_model.field(it.key()))
            extras.insert(it.key(), it.value());
    }
    setExtras(extras);
    updateHeader();
}

void MapEditor::clear()
{
    for (const Child &c : m_children)
        c.editor->setValue(std::nullopt);
    setExtras({});
    updateHeader();
}

void MapEditor::setExtras(const Value::Map &extras)
{
    if (extras.isEmpty()) {
        if (m_extras) {
            delete m_extras;
            delete m_extrasLabel;
            m_extras = nullptr;
            m_extrasLabel = nullptr;
            m_owner->notifyStructureChanged();
        }
        return;
    }
    if (!m_extras) {
        m_extrasLabel = new QLabel(QObject::tr("other attributes"), m_frame);
        QFont f = m_extrasLabel->font();
        f.setItalic(true);
        m_extrasLabel->setFont(f);
        m_extrasLabel->setMinimumHeight(lineHeight());
        m_extrasLabel->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_extrasLabel->setToolTip(
            QObject::tr("Attributes the table model does not declare. "
                        "They are kept as they are when the record is saved."));
        m_extras = new FieldEditor(nullptr, FieldEditor::Role::Extras, m_path, m_frame);
        connect(m_extras, &FieldEditor::edited, m_owner, &FieldEditor::edited);
        connect(m_extras, &FieldEditor::structureChanged, m_owner, &FieldEditor::structureChanged);
        const int row = m_grid->rowCount();
        m_grid->addWidget(m_extrasLabel, row, 0, Qt::AlignTop | Qt::AlignRight);
        m_grid->addWidget(m_extras, row, 1);
        m_owner->notifyStructureChanged();
    }
    m_extras->setValue(Value::map(extras));
}

void MapEditor::inputProblems(Problems &out, const QString &path) const
{
    Q_UNUSED(path);
    for (const Child &c : m_children)
        c.editor->collectInputProblems(out);
    if (m_extras) {
        m_extras->collectInputProblems(out);
        const Value extras = m_extras->value().value_or(Value());
        if (extras.isMap()) {
            const Value::Map &m = extras.toMap();
            for (auto it = m.cbegin(); it != m.cend(); ++it) {
                if (m_model.field(it.key()))
                    out.push_back(Problem{m_extras->path(),
                                          QObject::tr("\"%1\" is a declared field: edit it in its "
                                                      "own editor above")
                                              .arg(it.key()),
                                          true});
            }
        }
    }
}

void MapEditor::childEditors(QList<FieldEditor *> &out) const
{
    for (const Child &c : m_children)
        out << c.editor;
    if (m_extras)
        out << m_extras;
}

void MapEditor::focusChain(QList<QWidget *> &out) const
{
    for (const Child &c : m_children)
        c.editor->collectFocusChain(out);
    if (m_extras)
        m_extras->collectFocusChain(out);
}

void MapEditor::rename(const QString &inputName, const QString &path)
{
    m_path = path;
    m_frame->setObjectName(m_root ? inputName : QStringLiteral("group:") + path);
    if (m_collapse)
        m_collapse->setObjectName(QStringLiteral("collapse:") + path);
    for (const Child &c : m_children) {
        const QString childPath = joinFieldPath(path, c.spec->name);
        c.editor->setPath(childPath);
        c.label->setObjectName(QStringLiteral("label:") + childPath);
    }
    if (m_extras)
        m_extras->setPath(path);
}

QWidget *MapEditor::focusTarget() const
{
    for (const Child &c : m_children) {
        if (!c.editor->isReadOnly())
            return c.editor->focusTarget();
    }
    return m_collapse ? static_cast<QWidget *>(m_collapse) : m_frame;
}

void MapEditor::setCollapsed(bool collapsed)
{
    if (!m_collapse)
        return;
    m_collapsed = collapsed;
    m_frame->setHidden(collapsed);
    m_collapse->setArrowType(collapsed ? Qt::RightArrow : Qt::DownArrow);
    updateHeader();
}

void MapEditor::updateHeader()
{
    if (!m_collapse)
        return;
    const int total = int(m_children.size());
    QString text =
        m_model.name.isEmpty()
            ? Looks::count(total, QObject::tr("field"), QObject::tr("fields"))
            : QStringLiteral("%1 (%2)").arg(
                  m_model.name, Looks::count(total, QObject::tr("field"), QObject::tr("fields")));
    if (m_collapsed) {
        int set = 0;
        for (const Child &c : m_children)
            set += c.editor->isSet() ? 1 : 0;
        text += QObject::tr(", %1 set").arg(set);
    }
    m_collapse->setText(text);
}

// ---- DictEditor --------------------------------------------------------------------------

DictEditor::DictEditor(FieldEditor *owner, const FieldType &type, const QString &keyName)
    : ValueEditor(owner), m_type(type), m_keyName(keyName), m_frame(new QFrame(this)),
      m_grid(new QGridLayout(m_frame)), m_keyHeader(new QLabel(keyName, m_frame)),
      m_valueHeader(new QLabel(QObject::tr("value"), m_frame)),
      m_empty(new QLabel(QObject::tr("no items"), m_frame)), m_add(new QToolButton(this))
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(2);
    m_frame->setFrameShape(QFrame::StyledPanel);
    outer->addWidget(m_frame);
    outer->addWidget(m_add, 0, Qt::AlignLeft);
    m_grid->setContentsMargins(8, 6, 8, 6);
    m_grid->setHorizontalSpacing(8);
    m_grid->setVerticalSpacing(6);
    m_grid->setColumnStretch(1, 1);
    for (QLabel *header : {m_keyHeader, m_valueHeader}) {
        QFont f = header->font();
        f.setBold(true);
        header->setFont(f);
        makeQuiet(header, false);
    }
    m_keyHeader->setToolTip(QObject::tr("The dict's key name (keyName in the table model)"));
    makeQuiet(m_empty);
    m_grid->addWidget(m_keyHeader, 0, 0);
    m_grid->addWidget(m_valueHeader, 0, 1);
    m_grid->addWidget(m_empty, 1, 0, 1, 3);
    if (type.items) {
        for (const FieldType &t : type.items->types) {
            m_stacked = m_stacked || (t.kind == FieldKind::Map && t.model) ||
                        ((t.kind == FieldKind::Dict || t.kind == FieldKind::List) && t.items);
        }
    }
    m_add->setText(QObject::tr("+ Add %1").arg(keyName));
    m_add->setToolTip(QObject::tr("Add an item to the dict"));
    m_add->setFocusPolicy(Qt::StrongFocus);
    connect(m_add, &QToolButton::clicked, this, &DictEditor::addRow);
    relayout();
}

DictEditor::Row &DictEditor::appendRow(const QString &key, const std::optional<Value> &value)
{
    auto *keyEdit = new QLineEdit(key, m_frame);
    keyEdit->setPlaceholderText(m_keyName);
    keyEdit->setToolTip(QObject::tr("The %1 of this item").arg(m_keyName));
    keyEdit->setMinimumWidth(90);
    keyEdit->setMaximumWidth(m_stacked ? 280 : 200);
    auto *item =
        new FieldEditor(m_type.items, FieldEditor::Role::Item, joinFieldPath(m_path, key), m_frame);
    if (value)
        item->setValue(*value);
    auto *remove = smallButton(m_frame, QStringLiteral("✕"),
                               QObject::tr("Remove this item from the dict"), Qt::StrongFocus);
    connect(item, &FieldEditor::edited, m_owner, &FieldEditor::edited);
    connect(item, &FieldEditor::structureChanged, m_owner, &FieldEditor::structureChanged);
    connect(keyEdit, &QLineEdit::textEdited, this, [this, item](const QString &text) {
        item->setPath(joinFieldPath(m_path, text));
        m_owner->userEdited();
    });
    connect(remove, &QToolButton::clicked, this, [this, remove] {
        for (std::size_t i = 0; i < m_rows.size(); ++i) {
            if (m_rows[i].remove == remove) {
                removeRow(int(i));
                return;
            }
        }
    });
    const int row = m_grid->rowCount();
    m_grid->addWidget(keyEdit, row, 0, Qt::AlignTop);
    if (m_stacked) {
        // A nested item gets the dict's whole width, under its key.
        item->setContentsMargins(18, 0, 0, 0);
        m_grid->addWidget(remove, row, 2, Qt::AlignTop | Qt::AlignRight);
        m_grid->addWidget(item, row + 1, 0, 1, 3);
    } else {
        m_grid->addWidget(item, row, 1);
        m_grid->addWidget(remove, row, 2, Qt::AlignTop);
    }
    // Shown now, not when the layout gets to it: the new key takes the focus at once.
    keyEdit->show();
    item->show();
    remove->show();
    m_rows.push_back(Row{keyEdit, item, remove});
    return m_rows.back();
}

void DictEditor::removeRow(int index)
{
    Row row = m_rows[std::size_t(index)];
    m_rows.erase(m_rows.begin() + index);
    QWidget *focus = QApplication::focusWidget();
    const bool hadFocus =
        focus && (focus == row.remove || focus == row.key || row.item->isAncestorOf(focus));
    discardWidget(row.key);
    discardWidget(row.item);
    discardWidget(row.remove);
    relayout();
    if (hadFocus) {
        if (!m_rows.empty())
            m_rows[std::size_t(std::min<int>(index, int(m_rows.size()) - 1))].key->setFocus();
        else
            m_add->setFocus();
    }
    m_owner->notifyStructureChanged();
    m_owner->userEdited();
}

void DictEditor::addRow()
{
    Row &row = appendRow(QString(), std::nullopt);
    relayout();
    m_owner->notifyStructureChanged();
    m_owner->userEdited();
    row.key->setFocus();
}

void DictEditor::relayout()
{
    const bool empty = m_rows.empty();
    m_empty->setVisible(empty);
    m_keyHeader->setVisible(!empty);
    m_valueHeader->setVisible(!empty && !m_stacked);
    rename(QString(), m_path);
}

Value DictEditor::value() const
{
    Value::Map map;
    for (const Row &r : m_rows)
        map.insert(r.key->text(), r.item->value().value_or(Value()));
    return Value::map(std::move(map));
}

void DictEditor::setValue(const Value &value)
{
    for (const Row &r : m_rows) {
        delete r.key;
        delete r.item;
        delete r.remove;
    }
    m_rows.clear();
    if (value.isMap()) {
        const Value::Map &m = value.toMap();
        for (auto it = m.cbegin(); it != m.cend(); ++it)
            appendRow(it.key(), it.value());
    }
    relayout();
    m_owner->notifyStructureChanged();
}

void DictEditor::clear()
{
    setValue(Value::map());
}

void DictEditor::inputProblems(Problems &out, const QString &path) const
{
    QHash<QString, int> seen;
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        const QString key = m_rows[i].key->text();
        if (key.isEmpty())
            out.push_back(
                Problem{path, QObject::tr("item %1 has no %2").arg(i + 1).arg(m_keyName), true});
        else if (seen.contains(key) && seen[key] == 1)
            out.push_back(Problem{
                path,
                QObject::tr("the %1 \"%2\" is used by more than one item").arg(m_keyName, key),
                true});
        seen[key] += 1;
        m_rows[i].item->collectInputProblems(out);
    }
}

void DictEditor::childEditors(QList<FieldEditor *> &out) const
{
    for (const Row &r : m_rows)
        out << r.item;
}

void DictEditor::focusChain(QList<QWidget *> &out) const
{
    for (const Row &r : m_rows) {
        out << r.key;
        r.item->collectFocusChain(out);
        out << r.remove;
    }
    out << m_add;
}

void DictEditor::rename(const QString &inputName, const QString &path)
{
    Q_UNUSED(inputName);
    m_path = path;
    m_frame->setObjectName(QStringLiteral("field:") + path);
    m_add->setObjectName(QStringLiteral("add:") + path);
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        const QString n = QString::number(i);
        m_rows[i].key->setObjectName(QStringLiteral("key:%1/%2").arg(path, n));
        m_rows[i].remove->setObjectName(QStringLiteral("remove:%1/%2").arg(path, n));
        m_rows[i].item->setPath(joinFieldPath(path, m_rows[i].key->text()));
    }
}

QWidget *DictEditor::focusTarget() const
{
    return m_rows.empty() ? static_cast<QWidget *>(m_add) : m_rows.front().key;
}
