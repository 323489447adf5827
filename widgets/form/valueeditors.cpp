// The value editors' base (ValueEditor), the format button, and the one-line editors: text,
// number and true/false. The other editors live in byteseditor, jsoneditor, mapeditors,
// listeditor and seteditor.cpp.

#include "widgets/form/valueeditors.h"

#include "widgets/form/fieldeditor.h"
#include "widgets/form/valueeditorparts.h"

#include <QActionGroup>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLineEdit>
#include <QMenu>
#include <QSignalBlocker>
#include <QToolButton>

namespace valueeditorparts {

QColor errorColor()
{
    return QColor(0xb3, 0x26, 0x1e);
}

void makeQuiet(QWidget *w, bool italic)
{
    QPalette p = w->palette();
    p.setColor(QPalette::WindowText, p.color(QPalette::PlaceholderText));
    w->setPalette(p);
    if (italic) {
        QFont f = w->font();
        f.setItalic(true);
        w->setFont(f);
    }
}

QToolButton *smallButton(QWidget *parent, const QString &text, const QString &toolTip,
                         Qt::FocusPolicy focus)
{
    auto *b = new QToolButton(parent);
    b->setText(text);
    b->setToolTip(toolTip);
    b->setAutoRaise(true);
    b->setFocusPolicy(focus);
    return b;
}

bool containsSetOrBinary(const Value &v)
{
    switch (v.type()) {
    case Value::Type::Binary:
    case Value::Type::StringSet:
    case Value::Type::NumberSet:
    case Value::Type::BinarySet:
        return true;
    case Value::Type::Map:
        for (const Value &item : v.toMap()) {
            if (containsSetOrBinary(item))
                return true;
        }
        return false;
    case Value::Type::List:
        for (const Value &item : v.toList()) {
            if (containsSetOrBinary(item))
                return true;
        }
        return false;
    default:
        return false;
    }
}

std::optional<QByteArray> decodeBase64(const QString &text)
{
    return ::decodeBase64(QStringView(text.trimmed()));
}

std::optional<QByteArray> decodeHex(const QString &text)
{
    QByteArray digits;
    for (QChar c : text) {
        if (c.isSpace())
            continue;
        const bool hex =
            (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
        if (!hex)
            return std::nullopt;
        digits += char(c.unicode());
    }
    if (digits.size() % 2 != 0)
        return std::nullopt;
    return QByteArray::fromHex(digits);
}

} // namespace valueeditorparts

using namespace valueeditorparts;

// ---- FormatButton ------------------------------------------------------------------------

FormatButton::FormatButton(const QStringList &options, QWidget *parent)
    : QToolButton(parent), m_options(options)
{
    setPopupMode(QToolButton::InstantPopup);
    setToolButtonStyle(Qt::ToolButtonTextOnly);
    setAutoRaise(true);
    setFocusPolicy(Qt::ClickFocus);
    auto *menu = new QMenu(this);
    auto *group = new QActionGroup(menu);
    for (int i = 0; i < options.size(); ++i) {
        QAction *a = menu->addAction(options[i]);
        a->setCheckable(true);
        group->addAction(a);
        m_actions << a;
        connect(a, &QAction::triggered, this, [this, i] {
            if (i != m_current && chosen)
                chosen(i);
            setCurrentIndex(m_current); // keeps the check mark on what is in force
        });
    }
    setMenu(menu);
    setCurrentIndex(0);
}

void FormatButton::setCurrentIndex(int index)
{
    m_current = index;
    setText(m_options.value(index));
    for (int i = 0; i < m_actions.size(); ++i)
        m_actions[i]->setChecked(i == index);
}

QAction *FormatButton::optionAction(int index) const
{
    return m_actions.value(index);
}

// ---- ValueEditor -------------------------------------------------------------------------

ValueEditor::ValueEditor(FieldEditor *owner) : QWidget(owner), m_owner(owner) {}

void ValueEditor::setInputToolTip(const QString &text)
{
    if (QWidget *w = focusTarget())
        w->setToolTip(text);
}

void ValueEditor::focusChain(QList<QWidget *> &out) const
{
    if (QWidget *w = focusTarget())
        out << w;
}

int ValueEditor::lineHeight()
{
    static const int height = [] {
        QLineEdit probe;
        return probe.sizeHint().height();
    }();
    return height;
}

// ---- StringEditor ------------------------------------------------------------------------

StringEditor::StringEditor(FieldEditor *owner) : ValueEditor(owner), m_edit(new QLineEdit(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit);
    m_edit->installEventFilter(this);
    connect(m_edit, &QLineEdit::textEdited, this, [this] { m_owner->userEdited(); });
}

Value StringEditor::value() const
{
    return Value::string(m_edit->text());
}

void StringEditor::setValue(const Value &value)
{
    m_edit->setText(value.text());
    m_edit->setCursorPosition(0);
}

void StringEditor::clear()
{
    m_edit->clear();
}

void StringEditor::setUnsetLook(bool unset, bool required)
{
    m_edit->setPlaceholderText(unset ? (required ? QObject::tr("required") : QObject::tr("not set"))
                                     : QObject::tr("empty string"));
}

void StringEditor::setReadOnly(bool readOnly)
{
    m_edit->setReadOnly(readOnly);
}

void StringEditor::setInputToolTip(const QString &text)
{
    m_edit->setToolTip(text);
}

void StringEditor::rename(const QString &inputName, const QString &path)
{
    Q_UNUSED(path);
    m_edit->setObjectName(inputName);
}

QString StringEditor::text() const
{
    return m_edit->text();
}

void StringEditor::setText(const QString &text)
{
    m_edit->setText(text);
}

QWidget *StringEditor::focusTarget() const
{
    return m_edit;
}

void StringEditor::focusChain(QList<QWidget *> &out) const
{
    out << m_edit;
}

bool StringEditor::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_edit && event->type() == QEvent::KeyPress && !m_edit->isReadOnly()) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if ((key == Qt::Key_Backspace || key == Qt::Key_Delete) && m_edit->text().isEmpty() &&
            m_owner->isSet())
            m_owner->userCleared();
    }
    return ValueEditor::eventFilter(watched, event);
}

// ---- NumberEditor ------------------------------------------------------------------------

NumberEditor::NumberEditor(FieldEditor *owner, FieldKind kind)
    : ValueEditor(owner), m_kind(kind), m_edit(new QLineEdit(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit);
    connect(m_edit, &QLineEdit::textEdited, this, [this](const QString &text) {
        if (text.trimmed().isEmpty())
            m_owner->userCleared();
        else
            m_owner->userEdited();
    });
}

Value NumberEditor::value() const
{
    if (!numberTextProblem(m_edit->text(), m_kind).isEmpty())
        return Value();
    return Value::numberUnchecked(m_edit->text().trimmed());
}

void NumberEditor::setValue(const Value &value)
{
    m_edit->setText(value.text());
    m_edit->setCursorPosition(0);
}

void NumberEditor::clear()
{
    m_edit->clear();
}

void NumberEditor::setUnsetLook(bool unset, bool required)
{
    QString hint;
    switch (m_kind) {
    case FieldKind::Int:
        hint = QObject::tr("whole number");
        break;
    case FieldKind::Float:
        hint = QObject::tr("number with a fraction, e.g. 1.5");
        break;
    default:
        hint = QObject::tr("exact decimal number");
        break;
    }
    if (unset)
        hint = required ? QObject::tr("required: %1").arg(hint) : QObject::tr("not set");
    m_edit->setPlaceholderText(hint);
}

void NumberEditor::setReadOnly(bool readOnly)
{
    m_edit->setReadOnly(readOnly);
}

void NumberEditor::setInputToolTip(const QString &text)
{
    m_edit->setToolTip(text);
}

void NumberEditor::inputProblems(Problems &out, const QString &path) const
{
    const QString problem = numberTextProblem(m_edit->text(), m_kind);
    if (!problem.isEmpty())
        out.push_back(Problem{path, problem, true});
}

void NumberEditor::rename(const QString &inputName, const QString &path)
{
    Q_UNUSED(path);
    m_edit->setObjectName(inputName);
}

QString NumberEditor::text() const
{
    return m_edit->text();
}

void NumberEditor::setText(const QString &text)
{
    m_edit->setText(text);
}

QWidget *NumberEditor::focusTarget() const
{
    return m_edit;
}

void NumberEditor::focusChain(QList<QWidget *> &out) const
{
    out << m_edit;
}

// ---- BoolEditor --------------------------------------------------------------------------

BoolEditor::BoolEditor(FieldEditor *owner) : ValueEditor(owner), m_box(new QCheckBox(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_box);
    layout->addStretch(1);
    m_box->setMinimumHeight(lineHeight());
    m_box->installEventFilter(this);
    connect(m_box, &QCheckBox::clicked, this, [this] {
        if (m_unset) {
            // A first click on "not set" means true.
            QSignalBlocker block(m_box);
            m_box->setTristate(false);
            m_box->setCheckState(Qt::Checked);
        }
        m_owner->userEdited();
        updateText();
    });
    updateText();
}

Value BoolEditor::value() const
{
    return Value::boolean(m_box->checkState() == Qt::Checked);
}

void BoolEditor::setValue(const Value &value)
{
    QSignalBlocker block(m_box);
    m_box->setTristate(false);
    m_box->setChecked(value.toBool());
    updateText();
}

void BoolEditor::clear()
{
    QSignalBlocker block(m_box);
    m_box->setChecked(false);
    updateText();
}

void BoolEditor::setUnsetLook(bool unset, bool required)
{
    m_unset = unset;
    m_required = required;
    QSignalBlocker block(m_box);
    if (unset) {
        m_box->setTristate(true);
        m_box->setCheckState(Qt::PartiallyChecked);
    } else {
        if (m_box->checkState() == Qt::PartiallyChecked)
            m_box->setCheckState(Qt::Unchecked);
        m_box->setTristate(false);
    }
    updateText();
}

void BoolEditor::updateText()
{
    QPalette p = palette();
    if (m_unset) {
        m_box->setText(m_required ? QObject::tr("required: click to set") : QObject::tr("not set"));
        p.setColor(QPalette::WindowText, p.color(QPalette::PlaceholderText));
    } else {
        m_box->setText(m_box->checkState() == Qt::Checked ? QStringLiteral("true")
                                                          : QStringLiteral("false"));
    }
    m_box->setPalette(p);
}

void BoolEditor::setReadOnly(bool readOnly)
{
    m_box->setEnabled(!readOnly);
}

void BoolEditor::rename(const QString &inputName, const QString &path)
{
    Q_UNUSED(path);
    m_box->setObjectName(inputName);
}

QWidget *BoolEditor::focusTarget() const
{
    return m_box;
}

void BoolEditor::focusChain(QList<QWidget *> &out) const
{
    out << m_box;
}

bool BoolEditor::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_box && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if ((key == Qt::Key_Delete || key == Qt::Key_Backspace) && !m_unset) {
            m_owner->userCleared();
            return true;
        }
    }
    return ValueEditor::eventFilter(watched, event);
}
