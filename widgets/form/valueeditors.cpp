#include "widgets/form/valueeditors.h"

#include "model/json/jsoncodec.h"
#include "widgets/form/fieldeditor.h"
#include "widgets/common/prettyjson.h"

#include <QAbstractTextDocumentLayout>
#include <QActionGroup>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFontDatabase>
#include <QFrame>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QShortcut>
#include <QSignalBlocker>
#include <QToolButton>
#include <QVBoxLayout>

namespace {

QColor errorColor()
{
    return QColor(0xb3, 0x26, 0x1e);
}

/// Grey text, as placeholders are drawn.
void makeQuiet(QWidget *w, bool italic = true)
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

} // namespace

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

QString NumberEditor::problemOf(const QString &text, FieldKind kind)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return QObject::tr("enter a number");
    QString problem = checkNumber(t);
    if (!problem.isEmpty())
        return problem;
    if (kind == FieldKind::Int && !isIntegerText(t))
        return QObject::tr("must be a whole number (int), without a fraction or exponent");
    if (kind == FieldKind::Float && isIntegerText(t))
        return QObject::tr("must be written with a fraction or an exponent (float), e.g. %1.0")
            .arg(t);
    return {};
}

Value NumberEditor::value() const
{
    if (!problemOf(m_edit->text(), m_kind).isEmpty())
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
    const QString problem = problemOf(m_edit->text(), m_kind);
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

// ---- BytesEditor -------------------------------------------------------------------------

BytesEditor::BytesEditor(FieldEditor *owner)
    : ValueEditor(owner), m_edit(new QLineEdit(this)),
      m_format(new FormatButton({QStringLiteral("base64"), QStringLiteral("hex")}, this)),
      m_size(new QLabel(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_format);
    layout->addWidget(m_size);
    m_format->setToolTip(QObject::tr("How the bytes are written: base64 or hex"));
    makeQuiet(m_size, false);
    m_edit->installEventFilter(this);
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_edit->setFont(mono);
    connect(m_edit, &QLineEdit::textEdited, this, [this] {
        updateSize();
        m_owner->userEdited();
    });
    m_format->chosen = [this](int index) {
        // Re-encode what was typed in the other format, when it can be read.
        const bool hexNow = index == 1;
        const QString text = m_edit->text();
        auto bytes = hexNow ? decodeBase64(text) : decodeHex(text);
        m_format->setCurrentIndex(index);
        if (bytes)
            m_edit->setText(hexNow ? QString::fromLatin1(bytes->toHex(' '))
                                   : QString::fromLatin1(bytes->toBase64()));
        updateSize();
        emit m_owner->edited();
    };
    updateSize();
}

bool BytesEditor::isHex() const
{
    return m_format->currentIndex() == 1;
}

std::optional<QByteArray> BytesEditor::decode(QString *problem) const
{
    auto bytes = isHex() ? decodeHex(m_edit->text()) : decodeBase64(m_edit->text());
    if (!bytes && problem)
        *problem = isHex() ? QObject::tr("is not hex: use pairs of 0-9 and a-f, e.g. 01 ff 3a")
                           : QObject::tr("is not base64 (A-Z, a-z, 0-9, + and /, padded with =)");
    return bytes;
}

void BytesEditor::updateSize()
{
    auto bytes = decode();
    m_size->setText(bytes ? countNoun(bytes->size(), QObject::tr("byte"), QObject::tr("bytes"))
                          : QString());
}

Value BytesEditor::value() const
{
    auto bytes = decode();
    return bytes ? Value::binary(*bytes) : Value();
}

void BytesEditor::setValue(const Value &value)
{
    m_edit->setText(isHex() ? QString::fromLatin1(value.bytes().toHex(' '))
                            : QString::fromLatin1(value.bytes().toBase64()));
    m_edit->setCursorPosition(0);
    updateSize();
}

void BytesEditor::clear()
{
    m_edit->clear();
    updateSize();
}

void BytesEditor::setUnsetLook(bool unset, bool required)
{
    m_edit->setPlaceholderText(unset ? (required ? QObject::tr("required") : QObject::tr("not set"))
                                     : QObject::tr("no bytes"));
    m_size->setVisible(!unset);
}

void BytesEditor::setReadOnly(bool readOnly)
{
    m_edit->setReadOnly(readOnly);
}

void BytesEditor::inputProblems(Problems &out, const QString &path) const
{
    QString problem;
    if (!decode(&problem))
        out.push_back(Problem{path, problem, true});
}

void BytesEditor::rename(const QString &inputName, const QString &path)
{
    m_edit->setObjectName(inputName);
    m_format->setObjectName(QStringLiteral("format:") + path);
}

QString BytesEditor::text() const
{
    return m_edit->text();
}

void BytesEditor::setText(const QString &text)
{
    m_edit->setText(text);
    updateSize();
}

QWidget *BytesEditor::focusTarget() const
{
    return m_edit;
}

void BytesEditor::focusChain(QList<QWidget *> &out) const
{
    out << m_edit;
}

bool BytesEditor::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_edit && event->type() == QEvent::KeyPress && !m_edit->isReadOnly()) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if ((key == Qt::Key_Backspace || key == Qt::Key_Delete) && m_edit->text().isEmpty() &&
            m_owner->isSet())
            m_owner->userCleared();
    }
    return ValueEditor::eventFilter(watched, event);
}

// ---- JsonEditor --------------------------------------------------------------------------

JsonEditor::JsonEditor(FieldEditor *owner, Shape shape, bool record)
    : ValueEditor(owner), m_shape(shape), m_record(record),
      m_compact(owner->role() == FieldEditor::Role::Item), m_edit(new QPlainTextEdit(this)),
      m_format(new FormatButton({QObject::tr("JSON"), QObject::tr("DynamoDB JSON")}, this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_format, 0, Qt::AlignTop);
    m_edit->setTabChangesFocus(true);
    m_edit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_edit->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    m_edit->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_edit->setMinimumWidth(80);
    m_format->setToolTip(QObject::tr("Plain JSON, or DynamoDB JSON ({\"S\": ...}), which keeps "
                                     "sets and binary values as they are"));
    m_format->chosen = [this](int index) { switchFormat(index); };
    connect(m_edit->document()->documentLayout(), &QAbstractTextDocumentLayout::documentSizeChanged,
            this, &JsonEditor::fitHeight);
    connect(m_edit, &QPlainTextEdit::textChanged, this, [this] {
        if (m_edit->property("programmatic").toBool())
            return;
        if (m_edit->toPlainText().trimmed().isEmpty())
            m_owner->userCleared();
        else
            m_owner->userEdited();
    });
    updateFormatButton();
    fitHeight();
}

void JsonEditor::switchFormat(int index)
{
    const bool dynamo = index == 1;
    const QString text = m_edit->toPlainText();
    const bool unchanged = m_hasOriginal && text == m_originalText;
    // Parse with the format the text was written in, show it in the new one.
    auto current = parsed();
    m_format->setCurrentIndex(index);
    updateFormatButton();
    if (!current && !unchanged)
        return; // keep what was typed; it is read with the new format from now on
    const Value v = unchanged ? m_original : *current;
    const QString rendered = render(v, dynamo);
    m_edit->setProperty("programmatic", true);
    m_edit->setPlainText(rendered);
    m_edit->setProperty("programmatic", false);
    if (unchanged)
        m_originalText = rendered;
    emit m_owner->edited();
}

void JsonEditor::updateFormatButton()
{
    // Items stay compact: the format shows only when it is DynamoDB JSON (sets, binary).
    m_format->setVisible(!m_compact || isDynamoFormat());
}

bool JsonEditor::isDynamoFormat() const
{
    return m_format->currentIndex() == 1;
}

void JsonEditor::setDynamoFormat(bool dynamo)
{
    if (dynamo != isDynamoFormat())
        switchFormat(dynamo ? 1 : 0);
}

QString JsonEditor::render(const Value &value, bool dynamo) const
{
    if (!dynamo)
        return QString::fromUtf8(prettyJson(value));
    const QByteArray compact = m_record && value.isMap() ? JsonCodec::toDynamoItem(value)
                                                         : JsonCodec::toDynamoValue(value);
    auto tree = JsonCodec::parsePlain(compact);
    return tree ? QString::fromUtf8(prettyJson(*tree)) : QString::fromUtf8(compact);
}

Result<Value> JsonEditor::parsed() const
{
    const QByteArray utf8 = m_edit->toPlainText().toUtf8();
    Result<Value> result = Value();
    if (isDynamoFormat())
        result = m_record ? JsonCodec::parseDynamoItem(utf8) : JsonCodec::parseDynamoValue(utf8);
    else
        result = JsonCodec::parsePlain(utf8);
    if (!result)
        return result;
    if ((m_shape == Shape::Map || m_record) && !result->isMap())
        return makeError(
            ErrorKind::Invalid,
            QObject::tr("must be a JSON object {...}, not %1").arg(result->typeDescription()));
    if (m_shape == Shape::List && !result->isList())
        return makeError(
            ErrorKind::Invalid,
            QObject::tr("must be a JSON array [...], not %1").arg(result->typeDescription()));
    return result;
}

Value JsonEditor::value() const
{
    if (m_hasOriginal && m_edit->toPlainText() == m_originalText)
        return m_original;
    auto v = parsed();
    return v ? *v : Value();
}

void JsonEditor::setValue(const Value &value)
{
    const bool dynamo = containsSetOrBinary(value);
    m_format->setCurrentIndex(dynamo ? 1 : 0);
    updateFormatButton();
    m_original = value;
    m_hasOriginal = true;
    m_originalText = render(value, dynamo);
    m_edit->setProperty("programmatic", true);
    m_edit->setPlainText(m_originalText);
    m_edit->setProperty("programmatic", false);
}

void JsonEditor::clear()
{
    m_hasOriginal = false;
    m_edit->setProperty("programmatic", true);
    m_edit->clear();
    m_edit->setProperty("programmatic", false);
}

void JsonEditor::setDefault()
{
    clear();
    if (m_shape == Shape::Any && !m_record)
        return;
    m_edit->setProperty("programmatic", true);
    m_edit->setPlainText(m_shape == Shape::List ? QStringLiteral("[]") : QStringLiteral("{}"));
    m_edit->setProperty("programmatic", false);
}

void JsonEditor::setUnsetLook(bool unset, bool required)
{
    QString hint;
    switch (m_shape) {
    case Shape::Map:
        hint = QObject::tr("a JSON object, e.g. {\"name\": \"value\"}");
        break;
    case Shape::List:
        hint = QObject::tr("a JSON array, e.g. [1, \"two\"]");
        break;
    case Shape::Any:
        hint = QObject::tr("any JSON value");
        break;
    }
    if (unset)
        hint = required ? QObject::tr("required: %1").arg(hint) : QObject::tr("not set");
    m_edit->setPlaceholderText(hint);
}

void JsonEditor::setReadOnly(bool readOnly)
{
    m_edit->setReadOnly(readOnly);
}

void JsonEditor::setInputToolTip(const QString &text)
{
    m_edit->setToolTip(text);
}

void JsonEditor::inputProblems(Problems &out, const QString &path) const
{
    if (m_hasOriginal && m_edit->toPlainText() == m_originalText)
        return;
    if (m_edit->toPlainText().trimmed().isEmpty()) {
        out.push_back(Problem{path, QObject::tr("enter a JSON value"), true});
        return;
    }
    auto v = parsed();
    if (!v)
        out.push_back(Problem{path, v.error().toString(), true});
}

void JsonEditor::rename(const QString &inputName, const QString &path)
{
    m_edit->setObjectName(inputName);
    m_format->setObjectName(QStringLiteral("format:") +
                            (m_record ? QStringLiteral("$record") : path));
}

QWidget *JsonEditor::focusTarget() const
{
    return m_edit;
}

void JsonEditor::focusChain(QList<QWidget *> &out) const
{
    out << m_edit;
}

void JsonEditor::fitHeight()
{
    const int minLines = m_record ? 14 : (m_compact ? 1 : 3);
    const int maxLines = m_record ? 40 : 12;
    // The plain text layout measures its document in (wrapped) lines.
    const int needed = int(m_edit->document()->documentLayout()->documentSize().height());
    const int lines = std::clamp(needed, minLines, maxLines);
    m_edit->setVerticalScrollBarPolicy(needed > maxLines ? Qt::ScrollBarAsNeeded
                                                         : Qt::ScrollBarAlwaysOff);
    const QFontMetrics fm(m_edit->font());
    const int frame = 2 * m_edit->frameWidth() + int(2 * m_edit->document()->documentMargin()) + 4;
    m_edit->setFixedHeight(std::max(lines * fm.lineSpacing() + frame, lineHeight()));
}

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
            ? countNoun(total, QObject::tr("field"), QObject::tr("fields"))
            : QStringLiteral("%1 (%2)").arg(
                  m_model.name, countNoun(total, QObject::tr("field"), QObject::tr("fields")));
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
        const QString problem = NumberEditor::problemOf(text, m_numberKind);
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
