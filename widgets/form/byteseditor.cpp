// The bytes editor: binary values typed as base64 or hex, with their size shown.

#include "widgets/common/looks.h"
#include "widgets/form/fieldeditor.h"
#include "widgets/form/valueeditorparts.h"
#include "widgets/form/valueeditors.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>

using namespace valueeditorparts;

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
    m_size->setText(bytes ? Looks::count(bytes->size(), QObject::tr("byte"), QObject::tr("bytes"))
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
