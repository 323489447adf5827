#include "widgets/form/fieldeditor.h"

#include "model/json/jsoncodec.h"
#include "widgets/form/valueeditors.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace {

int oneLineHeight()
{
    static const int height = [] {
        QLineEdit probe;
        return probe.sizeHint().height();
    }();
    return height;
}

/// Containers edited by nested editors: built only once their field is set (a recursive model
/// would otherwise build itself forever), hidden while unset.
bool isNestedKind(const FieldType &t)
{
    return (t.kind == FieldKind::Map && t.model) ||
           ((t.kind == FieldKind::Dict || t.kind == FieldKind::List) && t.items);
}

int fieldEditorDepth(const QWidget *w)
{
    int depth = 0;
    for (const QObject *p = w->parent(); p; p = p->parent()) {
        if (qobject_cast<const FieldEditor *>(p))
            ++depth;
    }
    return depth;
}

} // namespace

void discardWidget(QWidget *widget)
{
    widget->hide();
    widget->setParent(nullptr);
    widget->deleteLater();
}

QString joinFieldPath(const QString &path, const QString &key)
{
    return path.isEmpty() ? key : path + u'.' + key;
}

QString compactJson(const Value &value, int maxChars)
{
    QString text = QString::fromUtf8(JsonCodec::toPlain(value));
    if (value.isSet())
        text = Value::typeTag(value.type()) + u' ' + text;
    else if (value.type() == Value::Type::Binary)
        text = QStringLiteral("B ") + text;
    if (text.size() > maxChars)
        text = text.left(maxChars - 1) + QStringLiteral("…");
    return text;
}

QString FieldEditor::describeType(const FieldType &t)
{
    QString name = fieldKindName(t.kind);
    if (t.kind == FieldKind::Map && t.model && !t.model->name.isEmpty())
        name = QStringLiteral("map (%1)").arg(t.model->name);
    else if ((t.kind == FieldKind::Dict || t.kind == FieldKind::List || t.kind == FieldKind::Set) &&
             t.items && !t.items->isAny())
        name += QStringLiteral(" of ") + t.items->typeDescription();
    return name;
}

FieldEditor::FieldEditor(const FieldSpec *spec, Role role, const QString &path, QWidget *parent)
    : FieldEditor(spec, role, path, parent, QString())
{
}

FieldEditor *FieldEditor::forRecord(const TableModel &model, QWidget *parent)
{
    auto spec = std::make_unique<FieldSpec>();
    spec->required = true;
    if (model.declaresFields())
        spec->types.push_back(FieldType{FieldKind::Map, &model.root(), nullptr, FieldKind::Str});
    auto *editor = new FieldEditor(spec.get(), Role::Root, QString(), parent, model.hashKey());
    editor->m_ownedSpec = std::move(spec);
    return editor;
}

FieldEditor::FieldEditor(const FieldSpec *spec, Role role, const QString &path, QWidget *parent,
                         const QString &hashKey)
    : QWidget(parent), m_spec(spec), m_role(role), m_path(path), m_hashKey(hashKey)
{
    m_layout = new QVBoxLayout(this);
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(2);
    m_row = new QHBoxLayout;
    m_row->setSpacing(6);
    m_layout->addLayout(m_row);

    if (isOptional()) {
        m_toggle = new QCheckBox(this);
        m_toggle->setToolTip(tr("Set: the attribute is part of the record. Unchecked: not set, "
                                "the attribute is left out (not the same as empty or null)."));
        m_toggle->setFixedHeight(oneLineHeight());
        m_row->addWidget(m_toggle, 0, Qt::AlignTop);
        connect(m_toggle, &QCheckBox::toggled, this, &FieldEditor::onToggle);
    }
    buildChoices();
    if (m_choices.size() > 1) {
        m_chooser = new QComboBox(this);
        for (const Choice &c : m_choices)
            m_chooser->addItem(c.label);
        m_chooser->setToolTip(tr("The type of the value: this field accepts %1")
                                  .arg(m_spec ? m_spec->typeDescription() : QStringLiteral("any")));
        m_row->addWidget(m_chooser, 0, Qt::AlignTop);
        connect(m_chooser, &QComboBox::activated, this, &FieldEditor::onChooser);
    }
    m_notSet = new QLabel(tr("not set"), this);
    {
        QPalette p = m_notSet->palette();
        p.setColor(QPalette::WindowText, p.color(QPalette::PlaceholderText));
        m_notSet->setPalette(p);
        QFont f = m_notSet->font();
        f.setItalic(true);
        m_notSet->setFont(f);
    }
    m_notSet->setMinimumHeight(oneLineHeight());
    m_row->addWidget(m_notSet, 1, Qt::AlignTop);

    m_problemLabel = new QLabel(this);
    m_problemLabel->setWordWrap(true);
    m_problemLabel->setTextFormat(Qt::RichText);
    m_problemLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problemLabel->hide();
    m_layout->addWidget(m_problemLabel);

    m_set = alwaysSet();
    const bool lazy = !m_choices.empty() && m_choices[0].type && isNestedKind(*m_choices[0].type);
    if (m_set || !lazy)
        ensureEditor();
    if (m_set && m_editor)
        m_editor->setDefault();
    renameAll();
    applySetLook();
}

FieldEditor::~FieldEditor() = default;

bool FieldEditor::isOptional() const
{
    return m_role == Role::Field && !(m_spec && m_spec->required);
}

bool FieldEditor::alwaysSet() const
{
    if (m_role == Role::Item || m_role == Role::Root || m_role == Role::Extras)
        return true;
    if (m_role == Role::Field && m_spec && m_spec->required) {
        const FieldType *t = currentType();
        return t && isNestedKind(*t);
    }
    return false;
}

const FieldType *FieldEditor::currentType() const
{
    if (m_current < 0 || std::size_t(m_current) >= m_choices.size())
        return nullptr;
    return m_choices[std::size_t(m_current)].type;
}

void FieldEditor::buildChoices()
{
    m_choices.clear();
    if (m_spec && m_role != Role::Extras) {
        for (const FieldType &t : m_spec->types) {
            // `any` among other types is the JSON editor.
            m_choices.push_back(Choice{&t, describeType(t), false});
        }
    }
    if (m_choices.empty())
        m_choices.push_back(Choice{nullptr, tr("JSON"), false});
}

int FieldEditor::choiceFor(const Value &value) const
{
    const Choice &current = m_choices[std::size_t(m_current)];
    if (!current.asStored && (!current.type || valueFitsType(*current.type, value)))
        return m_current;
    for (std::size_t i = 0; i < m_choices.size(); ++i) {
        const Choice &c = m_choices[i];
        if (!c.asStored && (!c.type || valueFitsType(*c.type, value)))
            return int(i);
    }
    return -1;
}

int FieldEditor::recursionLevel() const
{
    int level = 0;
    for (const QObject *p = parent(); p; p = p->parent()) {
        if (auto *f = qobject_cast<const FieldEditor *>(p); f && f->m_spec == m_spec)
            ++level;
    }
    return level;
}

ValueEditor *FieldEditor::makeEditor(const Choice &choice)
{
    if (m_role == Role::Extras)
        return new JsonEditor(this, JsonEditor::Shape::Map);
    if (!choice.type)
        return new JsonEditor(this, JsonEditor::Shape::Any, m_role == Role::Root);
    const FieldType &t = *choice.type;
    const bool tooDeep = fieldEditorDepth(this) >= TableModel::kMaxDepth;
    switch (t.kind) {
    case FieldKind::Str:
        return new StringEditor(this);
    case FieldKind::Int:
    case FieldKind::Float:
    case FieldKind::Decimal:
        return new NumberEditor(this, t.kind);
    case FieldKind::Bool:
        return new BoolEditor(this);
    case FieldKind::Bytes:
        return new BytesEditor(this);
    case FieldKind::Any:
        return new JsonEditor(this, JsonEditor::Shape::Any);
    case FieldKind::Map:
        if (t.model && !tooDeep)
            return new MapEditor(this, *t.model, m_role == Role::Root, m_hashKey);
        return new JsonEditor(this, JsonEditor::Shape::Map, m_role == Role::Root);
    case FieldKind::Dict:
        if (t.items && !tooDeep) {
            QString keyName =
                m_spec && !m_spec->keyName.isEmpty() ? m_spec->keyName : QStringLiteral("key");
            keyName.replace(QStringLiteral("{i}"), QString::number(recursionLevel()));
            return new DictEditor(this, t, keyName);
        }
        return new JsonEditor(this, JsonEditor::Shape::Map);
    case FieldKind::List:
        if (t.items && !tooDeep)
            return new ListEditor(this, t);
        return new JsonEditor(this, JsonEditor::Shape::List);
    case FieldKind::Set:
        return new SetEditor(this, t);
    }
    return new JsonEditor(this, JsonEditor::Shape::Any);
}

void FieldEditor::ensureEditor()
{
    if (m_editor)
        return;
    m_editor = makeEditor(m_choices[std::size_t(m_current)]);
    m_row->insertWidget(m_row->indexOf(m_notSet), m_editor, 1);
    m_editor->setReadOnly(m_readOnly);
    renameAll();
    applySetLook();
}

void FieldEditor::switchTo(int choice, bool transferText)
{
    QString text;
    bool hadText = false;
    bool hadFocus = false;
    if (m_editor) {
        hadText = m_editor->hasText() && !m_editor->text().isEmpty();
        text = m_editor->hasText() ? m_editor->text() : QString();
        hadFocus = m_editor->isAncestorOf(QApplication::focusWidget());
        discardWidget(m_editor);
        m_editor = nullptr;
    }
    m_current = choice;
    if (m_chooser) {
        QSignalBlocker block(m_chooser);
        m_chooser->setCurrentIndex(choice);
    }
    const FieldType *t = currentType();
    const bool lazy = t && isNestedKind(*t);
    if (alwaysSet())
        m_set = true;
    if (m_set || !lazy) {
        ensureEditor();
        m_editor->setDefault();
        if (transferText && hadText && m_editor->hasText())
            m_editor->setText(text);
    }
    renameAll();
    applySetLook();
    if (hadFocus)
        focusTarget()->setFocus();
    notifyStructureChanged();
}

void FieldEditor::setPath(const QString &path)
{
    if (path == m_path && !objectName().isEmpty())
        return;
    m_path = path;
    renameAll();
}

void FieldEditor::renameAll()
{
    setObjectName(QStringLiteral("editor:") + m_path);
    if (m_toggle)
        m_toggle->setObjectName(QStringLiteral("set:") + m_path);
    if (m_chooser)
        m_chooser->setObjectName(QStringLiteral("type:") + m_path);
    m_notSet->setObjectName(QStringLiteral("notset:") + m_path);
    m_problemLabel->setObjectName(QStringLiteral("problem:") + m_path);
    if (m_editor) {
        QString inputName = QStringLiteral("field:") + m_path;
        if (m_role == Role::Root)
            inputName = QStringLiteral("recordJson");
        else if (m_role == Role::Extras)
            inputName = QStringLiteral("extra:") + m_path;
        m_editor->rename(inputName, m_path);
        QString tip = m_inputToolTip;
        if (tip.isEmpty() && m_spec && m_role != Role::Extras)
            tip = QStringLiteral("%1: %2").arg(m_path, m_spec->typeDescription());
        if (!tip.isEmpty())
            m_editor->setInputToolTip(tip);
    }
}

std::optional<Value> FieldEditor::value() const
{
    if (!m_set || !m_editor)
        return std::nullopt;
    return m_editor->value();
}

void FieldEditor::setValue(const std::optional<Value> &value)
{
    if (!value) {
        if (alwaysSet()) {
            ensureEditor();
            m_editor->setDefault();
            m_set = true;
        } else {
            if (m_editor)
                m_editor->clear();
            m_set = false;
        }
        applySetLook();
        return;
    }
    int choice = choiceFor(*value);
    if (choice < 0) {
        // A value of a type the field does not accept: keep it as it is, as JSON, and let the
        // validator say what is wrong; the chooser offers the accepted types.
        auto it = std::find_if(m_choices.begin(), m_choices.end(),
                               [](const Choice &c) { return c.asStored; });
        if (it == m_choices.end()) {
            m_choices.push_back(
                Choice{nullptr, tr("as stored: %1").arg(value->typeDescription()), true});
            if (!m_chooser) {
                m_chooser = new QComboBox(this);
                m_chooser->setToolTip(
                    tr("The type of the value: this field accepts %1")
                        .arg(m_spec ? m_spec->typeDescription() : QStringLiteral("any")));
                m_row->insertWidget(m_toggle ? 1 : 0, m_chooser, 0, Qt::AlignTop);
                connect(m_chooser, &QComboBox::activated, this, &FieldEditor::onChooser);
                for (const Choice &c : m_choices)
                    m_chooser->addItem(c.label);
            } else {
                m_chooser->addItem(m_choices.back().label);
            }
            choice = int(m_choices.size()) - 1;
        } else {
            m_chooser->setItemText(int(it - m_choices.begin()),
                                   tr("as stored: %1").arg(value->typeDescription()));
            choice = int(it - m_choices.begin());
        }
    }
    m_set = true;
    if (choice != m_current || !m_editor)
        switchTo(choice, false);
    ensureEditor();
    m_editor->setValue(*value);
    applySetLook();
}

void FieldEditor::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    if (m_editor)
        m_editor->setReadOnly(readOnly);
    if (m_chooser)
        m_chooser->setEnabled(!readOnly);
    if (m_toggle)
        m_toggle->setEnabled(!readOnly);
}

void FieldEditor::setInputToolTip(const QString &text)
{
    m_inputToolTip = text;
    renameAll();
}

void FieldEditor::collectInputProblems(Problems &out) const
{
    if (!m_editor || (!m_set && !m_editor->reportsWhenUnset()))
        return;
    const std::size_t first = out.size();
    m_editor->inputProblems(out, m_path);
    if (!m_chooser)
        return;
    // Fields of several types: say which others it takes, the text may fit one of them.
    QStringList others;
    for (std::size_t i = 0; i < m_choices.size(); ++i) {
        if (int(i) != m_current && !m_choices[i].asStored)
            others << m_choices[i].label;
    }
    if (others.isEmpty())
        return;
    for (std::size_t i = first; i < out.size(); ++i) {
        if (out[i].path == m_path)
            out[i].message +=
                tr(" (or choose another type: %1)").arg(others.join(QStringLiteral(", ")));
    }
}

void FieldEditor::collectEditors(QList<FieldEditor *> &out)
{
    out << this;
    if (!m_editor)
        return;
    QList<FieldEditor *> children;
    m_editor->childEditors(children);
    for (FieldEditor *child : children)
        child->collectEditors(out);
}

void FieldEditor::collectFocusChain(QList<QWidget *> &out) const
{
    if (m_toggle && (m_toggle->focusPolicy() & Qt::TabFocus))
        out << m_toggle;
    if (m_chooser)
        out << m_chooser;
    if (m_editor)
        m_editor->focusChain(out);
}

int FieldEditor::coverage(const QString &problemPath) const
{
    if (m_role == Role::Root)
        return 0;
    if (m_role == Role::Extras) {
        if (!m_editor)
            return -1;
        const Value v = m_editor->value();
        if (!v.isMap())
            return -1;
        const Value::Map &m = v.toMap();
        for (auto it = m.cbegin(); it != m.cend(); ++it) {
            const QString candidate = joinFieldPath(m_path, it.key());
            if (problemPath == candidate ||
                (problemPath.startsWith(candidate) &&
                 (problemPath[candidate.size()] == u'.' || problemPath[candidate.size()] == u'[')))
                return int(candidate.size());
        }
        return -1;
    }
    const qsizetype n = m_path.size();
    if (problemPath == m_path)
        return int(n);
    if (problemPath.size() > n && problemPath.startsWith(m_path) &&
        (problemPath[n] == u'.' || problemPath[n] == u'['))
        return int(n);
    return -1;
}

void FieldEditor::setProblems(const QStringList &blocking, const QStringList &notes)
{
    if (blocking == m_blocking && notes == m_notes)
        return;
    m_blocking = blocking;
    m_notes = notes;
    if (blocking.isEmpty() && notes.isEmpty()) {
        m_problemLabel->clear();
        m_problemLabel->hide();
        return;
    }
    QStringList lines;
    for (const QString &b : blocking)
        lines << QStringLiteral("<span style=\"color:#b3261e\">%1</span>").arg(b.toHtmlEscaped());
    const QString grey = palette().color(QPalette::PlaceholderText).name();
    for (const QString &n : notes)
        lines << QStringLiteral("<span style=\"color:%1\">%2</span>").arg(grey, n.toHtmlEscaped());
    m_problemLabel->setText(lines.join(QStringLiteral("<br>")));
    m_problemLabel->show();
}

QWidget *FieldEditor::focusTarget() const
{
    if (m_editor && !m_editor->isHidden())
        return m_editor->focusTarget();
    if (m_toggle)
        return m_toggle;
    if (m_chooser)
        return m_chooser;
    return const_cast<FieldEditor *>(this);
}

void FieldEditor::applySetLook()
{
    const bool required = !isOptional();
    if (m_toggle) {
        QSignalBlocker block(m_toggle);
        m_toggle->setChecked(m_set);
        const FieldType *t = currentType();
        // Text fields are set by typing; nested editors need the check box to be reached.
        m_toggle->setFocusPolicy(t && isNestedKind(*t) ? Qt::StrongFocus : Qt::ClickFocus);
    }
    if (m_editor) {
        const bool hide = m_editor->hidesWhenUnset() && !m_set;
        m_editor->setHidden(hide);
        m_editor->setUnsetLook(!m_set, required);
        m_notSet->setHidden(!hide);
    } else {
        m_notSet->setHidden(m_set);
    }
}

void FieldEditor::userEdited()
{
    if (!m_set) {
        m_set = true;
        applySetLook();
    }
    emit edited();
}

void FieldEditor::userCleared()
{
    if (m_set && !alwaysSet()) {
        m_set = false;
        applySetLook();
    }
    emit edited();
}

void FieldEditor::notifyStructureChanged()
{
    emit structureChanged();
}

void FieldEditor::onToggle(bool checked)
{
    if (checked == m_set)
        return;
    if (checked) {
        const bool fresh = !m_editor;
        m_set = true;
        ensureEditor();
        if (fresh)
            m_editor->setDefault();
        applySetLook();
        notifyStructureChanged();
    } else {
        m_set = false;
        if (m_editor && !m_editor->hidesWhenUnset())
            m_editor->clear();
        applySetLook();
    }
    emit edited();
}

void FieldEditor::onChooser(int index)
{
    if (index == m_current || index < 0)
        return;
    switchTo(index, true);
    if (m_editor && m_editor->hasText() && !m_editor->text().isEmpty())
        userEdited();
    else
        emit edited();
}
