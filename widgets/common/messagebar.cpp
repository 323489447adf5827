#include "widgets/common/messagebar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

MessageBar::MessageBar(QWidget *parent)
    : QFrame(parent), m_icon(new QLabel(this)), m_text(new QLabel(this)),
      m_close(new QToolButton(this))
{
    setObjectName(QStringLiteral("messageBar"));
    m_text->setObjectName(QStringLiteral("messageText"));
    m_close->setObjectName(QStringLiteral("messageCloseButton"));
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_close->setAutoRaise(true);
    m_close->setText(QStringLiteral("✕"));
    m_close->setToolTip(tr("Dismiss"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->setSpacing(8);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_close, 0, Qt::AlignTop);
    connect(m_close, &QToolButton::clicked, this, &MessageBar::dismiss);
    hide();
}

void MessageBar::showMessage(const QString &text, Kind kind)
{
    m_kind = kind;
    m_text->setText(text);
    QStyle::StandardPixmap icon = QStyle::SP_MessageBoxInformation;
    QString colors;
    switch (kind) {
    case Kind::Information:
        colors = QStringLiteral("background:#e8f1fb; border:1px solid #a9c8ec; color:#17375e;");
        break;
    case Kind::Warning:
        icon = QStyle::SP_MessageBoxWarning;
        colors = QStringLiteral("background:#fff4e0; border:1px solid #e8c27a; color:#5c3b00;");
        break;
    case Kind::Error:
        icon = QStyle::SP_MessageBoxCritical;
        colors = QStringLiteral("background:#fdecea; border:1px solid #e3a6a0; color:#7a1c12;");
        break;
    }
    // Only this frame is styled; its labels inherit the text colour.
    setStyleSheet(
        QStringLiteral(
            "MessageBar { %1 border-radius:4px; } QLabel { border:none; background:transparent; }")
            .arg(colors));
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    m_icon->setPixmap(style()->standardIcon(icon, nullptr, this).pixmap(size, size));
    show();
}

QString MessageBar::text() const
{
    return isHidden() ? QString() : m_text->text();
}

void MessageBar::dismiss()
{
    hide();
    emit dismissed();
}
