#pragma once

// Runs the real structdesk program in an X server of its own (Xvfb at 1280x800, a free display
// chosen by Xvfb itself) and screenshots the screen with ImageMagick's import. Used by the
// end-to-end tests; both tools are installed by `make deps`.

#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

class RealGui
{
public:
    /// Empty when Xvfb and import exist; otherwise why not, for QSKIP.
    static QString unavailableReason()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("Xvfb")).isEmpty())
            return QStringLiteral("Xvfb is not installed (make deps installs it)");
        if (QStandardPaths::findExecutable(QStringLiteral("import")).isEmpty())
            return QStringLiteral("ImageMagick's import is not installed (make deps installs it)");
        return {};
    }

    ~RealGui()
    {
        for (QProcess *p : {&m_gui, &m_xvfb}) {
            if (p->state() == QProcess::NotRunning)
                continue;
            p->terminate();
            if (!p->waitForFinished(5000)) {
                p->kill();
                p->waitForFinished(5000);
            }
        }
    }

    /// Starts Xvfb, then structdesk with `arguments` and `extraEnvironment`; false with `error`.
    bool start(const QStringList &arguments, const QProcessEnvironment &extraEnvironment,
               QString *error)
    {
        m_xvfb.start(QStandardPaths::findExecutable(QStringLiteral("Xvfb")),
                     {QStringLiteral("-displayfd"), QStringLiteral("1"), QStringLiteral("-screen"),
                      QStringLiteral("0"), QStringLiteral("1280x800x24"),
                      QStringLiteral("-nolisten"), QStringLiteral("tcp")});
        if (!m_xvfb.waitForStarted(10000)) {
            *error = m_xvfb.errorString();
            return false;
        }
        QByteArray number;
        QElapsedTimer waited;
        waited.start();
        while (!number.contains('\n') && waited.elapsed() < 15000) {
            m_xvfb.waitForReadyRead(200);
            number += m_xvfb.readAllStandardOutput();
        }
        if (!number.contains('\n')) {
            *error = QStringLiteral("Xvfb did not report its display");
            return false;
        }
        m_display = QLatin1Char(':') + QString::fromLatin1(number.trimmed());
        if (!m_home.isValid()) {
            *error = QStringLiteral("no temporary home");
            return false;
        }
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
        env.insert(QStringLiteral("DISPLAY"), m_display);
        env.insert(QStringLiteral("HOME"), m_home.path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.filePath(QStringLiteral(".config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"),
                   m_home.filePath(QStringLiteral(".local/share")));
        env.insert(extraEnvironment);
        m_gui.setProcessEnvironment(env);
        m_gui.setProcessChannelMode(QProcess::ForwardedChannels);
        m_gui.start(QStringLiteral(STRUCTDESK_GUI_PATH), arguments);
        if (!m_gui.waitForStarted(10000)) {
            *error = m_gui.errorString();
            return false;
        }
        return true;
    }

    bool running() const { return m_gui.state() == QProcess::Running; }

    /// Screenshots the whole screen into `path`.
    bool screenshot(const QString &path)
    {
        QProcess grab;
        grab.start(QStandardPaths::findExecutable(QStringLiteral("import")),
                   {QStringLiteral("-display"), m_display, QStringLiteral("-window"),
                    QStringLiteral("root"), path});
        return grab.waitForFinished(30000) && grab.exitCode() == 0;
    }

private:
    QProcess m_xvfb;
    QProcess m_gui;
    QString m_display;
    QTemporaryDir m_home;
};
