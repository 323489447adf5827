#pragma once

// A real DynamoDB-compatible server for the tests: dynalite from npm (tests/package.json,
// installed by `make test` with `npm ci --prefix tests`), started on a free loopback port with a
// temporary data directory, stopped when the object dies.

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>

#include <memory>

class Dynalite
{
public:
    Dynalite() = default;
    Dynalite(const Dynalite &) = delete;
    Dynalite &operator=(const Dynalite &) = delete;
    ~Dynalite() { stop(); }

    static QString testsDir() { return QStringLiteral(STRUCTDESK_TESTS_DIR); }
    static QString cliPath()
    {
        return testsDir() + QStringLiteral("/node_modules/dynalite/cli.js");
    }
    static QString nodeProgram() { return QStandardPaths::findExecutable(QStringLiteral("node")); }

    /// Empty when dynalite can run here; otherwise why not, for QSKIP.
    static QString unavailableReason()
    {
        if (nodeProgram().isEmpty())
            return QStringLiteral(
                "node is not installed (make deps installs nodejs); the DynamoDB tests need it "
                "to run dynalite");
        if (!QFileInfo::exists(cliPath()))
            return QStringLiteral("%1 is missing: run `npm ci --prefix tests` (make test does) to "
                                  "install dynalite")
                .arg(cliPath());
        return {};
    }

    /// A free TCP port on 127.0.0.1 (free when asked; the caller binds it soon after).
    static quint16 freePort()
    {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0))
            return 0;
        return probe.serverPort();
    }

    /// Starts the server and waits until it accepts connections; false with the reason.
    bool start(QString *error)
    {
        stop();
        for (int attempt = 0; attempt < 3; ++attempt) {
            m_dir = std::make_unique<QTemporaryDir>();
            m_port = freePort();
            m_process = std::make_unique<QProcess>();
            m_process->setProcessChannelMode(QProcess::MergedChannels);
            m_process->start(nodeProgram(),
                             {cliPath(), QStringLiteral("--host"), QStringLiteral("127.0.0.1"),
                              QStringLiteral("--port"), QString::number(m_port),
                              QStringLiteral("--path"), m_dir->path(),
                              QStringLiteral("--createTableMs"), QStringLiteral("0"),
                              QStringLiteral("--deleteTableMs"), QStringLiteral("0"),
                              QStringLiteral("--updateTableMs"), QStringLiteral("0")});
            if (!m_process->waitForStarted(10000)) {
                *error = QStringLiteral("cannot start node: %1").arg(m_process->errorString());
                return false;
            }
            QElapsedTimer waited;
            waited.start();
            while (waited.elapsed() < 20000 && m_process->state() == QProcess::Running) {
                QTcpSocket socket;
                socket.connectToHost(QHostAddress::LocalHost, m_port);
                if (socket.waitForConnected(200))
                    return true;
                m_process->waitForReadyRead(100);
            }
            *error = QStringLiteral("dynalite did not come up on port %1: %2")
                         .arg(m_port)
                         .arg(QString::fromLocal8Bit(m_process->readAll()));
            stop();
        }
        return false;
    }

    void stop()
    {
        if (m_process && m_process->state() != QProcess::NotRunning) {
            m_process->terminate();
            if (!m_process->waitForFinished(5000)) {
                m_process->kill();
                m_process->waitForFinished(5000);
            }
        }
        m_process.reset();
    }

    bool isRunning() const { return m_process && m_process->state() == QProcess::Running; }
    quint16 port() const { return m_port; }
    QString endpoint() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    QString location(const QString &region = QStringLiteral("eu-west-2")) const
    {
        return QStringLiteral("dynamodb://127.0.0.1:%1?region=%2").arg(m_port).arg(region);
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
};
