// The JSON editor: a value typed as plain JSON or DynamoDB JSON, for fields whose shape the
// form does not edit field by field.

#include "model/json/jsoncodec.h"
#include "widgets/common/prettyjson.h"
#include "widgets/form/fieldeditor.h"
#include "widgets/form/valueeditorparts.h"
#include "widgets/form/valueeditors.h"

#include <QAbstractTextDocumentLayout>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QPlainTextEdit>

using namespace valueeditorparts;

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
