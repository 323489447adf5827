#include "widgets/common/notifier.h"

#include <QMessageBox>

namespace {
Notifier *installed = nullptr;
}

Notifier &Notifier::instance()
{
    static MessageBoxNotifier fallback;
    return installed ? *installed : fallback;
}

void Notifier::setInstance(Notifier *notifier)
{
    installed = notifier;
}

void MessageBoxNotifier::notify(QWidget *parent, Level level, const QString &title,
                                const QString &text)
{
    switch (level) {
    case Level::Information:
        QMessageBox::information(parent, title, text);
        break;
    case Level::Warning:
        QMessageBox::warning(parent, title, text);
        break;
    case Level::Critical:
        QMessageBox::critical(parent, title, text);
        break;
    }
}

bool MessageBoxNotifier::ask(QWidget *parent, const QString &title, const QString &question)
{
    return QMessageBox::question(parent, title, question, QMessageBox::Yes | QMessageBox::No,
                                 QMessageBox::No) == QMessageBox::Yes;
}

void MessageBoxNotifier::about(QWidget *parent, const QString &title, const QString &text)
{
    QMessageBox::about(parent, title, text);
}
