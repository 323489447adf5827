#pragma once

#include <QString>

class QWidget;

/// The one way widgets show a modal message box, so tests can record messages instead of
/// blocking on a dialog. Errors that belong to a place are shown there (MessageBar), not here.
class Notifier
{
public:
    enum class Level { Information, Warning, Critical };

    virtual ~Notifier() = default;

    /// Tells the user something that needs acknowledging.
    virtual void notify(QWidget *parent, Level level, const QString &title,
                        const QString &text) = 0;
    /// Asks a yes/no question; true for yes.
    virtual bool ask(QWidget *parent, const QString &title, const QString &question) = 0;
    /// Shows the About box.
    virtual void about(QWidget *parent, const QString &title, const QString &text) = 0;

    /// The notifier in use (a MessageBoxNotifier unless one was installed).
    static Notifier &instance();
    /// Installs a notifier (not owned); nullptr restores the default.
    static void setInstance(Notifier *notifier);
};

/// The default notifier: QMessageBox.
class MessageBoxNotifier : public Notifier
{
public:
    void notify(QWidget *parent, Level level, const QString &title, const QString &text) override;
    bool ask(QWidget *parent, const QString &title, const QString &question) override;
    void about(QWidget *parent, const QString &title, const QString &text) override;
};
