#pragma once

#include <QFrame>

class QLabel;
class QToolButton;

/// A message shown in place, above the content it is about (like KMessageWidget): errors
/// never open a modal box. Hidden until there is something to say.
class MessageBar : public QFrame
{
    Q_OBJECT

public:
    enum class Kind { Information, Warning, Error };

    explicit MessageBar(QWidget *parent = nullptr);

    void showMessage(const QString &text, Kind kind = Kind::Error);
    QString text() const;
    Kind kind() const { return m_kind; }

public slots:
    void dismiss();

signals:
    void dismissed();

private:
    QLabel *m_icon;
    QLabel *m_text;
    QToolButton *m_close;
    Kind m_kind = Kind::Information;
};
