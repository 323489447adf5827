#pragma once

// A notifier for GUI tests: it records every message box the code under test would show and
// answers questions as told, so no modal dialog ever blocks a test.

#include "widgets/common/notifier.h"

#include <QList>
#include <QString>
#include <QStringList>

class RecordingNotifier final : public Notifier
{
public:
    enum class Kind { Notify, Ask, About };
    struct Message
    {
        Kind kind;
        QString title;
        QString text;
    };

    explicit RecordingNotifier(bool answer = true) : answer(answer) {}

    bool answer;             ///< what ask() answers
    QList<Message> messages; ///< every box, in order
    QStringList questions;   ///< what ask() was asked, in order

    void notify(QWidget *, Level, const QString &title, const QString &text) override
    {
        messages << Message{Kind::Notify, title, text};
    }
    bool ask(QWidget *, const QString &title, const QString &question) override
    {
        messages << Message{Kind::Ask, title, question};
        questions << question;
        return answer;
    }
    void about(QWidget *, const QString &title, const QString &text) override
    {
        messages << Message{Kind::About, title, text};
    }

    void clear()
    {
        messages.clear();
        questions.clear();
    }
};
