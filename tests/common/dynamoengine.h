#pragma once

// A real DynamoDB-compatible server for the tests, started on a free loopback port and stopped
// when the object dies. Two engines implement it: dynalite (tests/common/dynalite.h, from npm)
// and AWS's DynamoDB Local (tests/common/dynamodblocal.h, a jar run on Java). Suites run their
// tests on every engine with EngineSet: its rows go into initTestCase_data(), so each test runs
// once per engine and QtTest names the engine in every line it prints ("operations(DynamoDB
// Local:put complete)"). Where the engines differ (transactions, messages, counts), the test
// asks has() and says what it expects of each.

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <memory>
#include <vector>

#include <signal.h>
#if defined(Q_OS_LINUX)
#include <sys/prctl.h>
#endif

class DynamoEngine
{
public:
    /// What an engine can do beyond the basic item, query and table operations.
    enum class Feature {
        Transactions,  ///< TransactWriteItems / TransactGetItems
        PartiQL,       ///< ExecuteStatement
        LiveItemCount, ///< DescribeTable's ItemCount follows the writes at once
    };

    DynamoEngine() = default;
    DynamoEngine(const DynamoEngine &) = delete;
    DynamoEngine &operator=(const DynamoEngine &) = delete;
    virtual ~DynamoEngine() { stop(); }

    /// The name tests print: "dynalite", "DynamoDB Local".
    virtual QString name() const = 0;
    virtual bool has(Feature feature) const = 0;
    /// Empty when the engine can run here; otherwise why not (what to install).
    virtual QString reasonUnavailable() const = 0;
    /// How long a start may take before it counts as failed.
    virtual int startTimeoutMs() const { return 20000; }

    static QString testsDir() { return QStringLiteral(STRUCTDESK_TESTS_DIR); }

    /// A free TCP port on 127.0.0.1 (free when asked; the caller binds it soon after).
    static quint16 freePort()
    {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0))
            return 0;
        return probe.serverPort();
    }

    /// Starts the server with empty data on a free port and waits until it answers; false
    /// with the reason. `persistent`: the data lives in files that survive kill() and
    /// restart() (dynalite always keeps its data in files).
    bool start(QString *error, bool persistent = false)
    {
        for (int attempt = 0; attempt < 3; ++attempt) {
            if (!begin(error, persistent))
                return false;
            if (waitUntilReady(error))
                return true;
            stop();
        }
        return false;
    }

    /// The first half of start(): empty data, a free port, the process launched; then
    /// waitUntilReady(). Several engines start at once this way.
    bool begin(QString *error, bool persistent = false)
    {
        stop();
        m_persistent = persistent;
        // Files that survive the process, not the machine: in memory where there is a tmpfs,
        // so that a server syncing every write to disk stays quick.
        const QString shm = QStringLiteral("/dev/shm");
        m_dir =
            persistent && QFileInfo(shm).isDir() && QFileInfo(shm).isWritable()
                ? std::make_unique<QTemporaryDir>(shm + QStringLiteral("/structdesk-test-XXXXXX"))
                : std::make_unique<QTemporaryDir>();
        if (!m_dir->isValid())
            m_dir = std::make_unique<QTemporaryDir>();
        m_port = freePort();
        return launch(error);
    }

    /// Starts the server again on the same port with the same data folder (after stop() or
    /// kill(); the data is there again when the engine keeps it in files).
    bool restart(QString *error)
    {
        stop();
        if (!m_dir) {
            *error = QStringLiteral("%1 was never started").arg(name());
            return false;
        }
        QElapsedTimer waited;
        waited.start();
        // The old process's socket may linger for a moment.
        while (!launch(error) || !waitUntilReady(error)) {
            stop();
            if (waited.elapsed() > startTimeoutMs())
                return false;
            QThread::msleep(200);
        }
        return true;
    }

    /// Starts the process without waiting for it (waitUntilReady() then).
    bool launch(QString *error)
    {
        m_process = std::make_unique<QProcess>();
        m_process->setProcessChannelMode(QProcess::MergedChannels);
        m_process->setWorkingDirectory(workingDirectory());
#if defined(Q_OS_LINUX)
        // The server never outlives the test, even one killed by a timeout.
        m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
#endif
        m_process->start(program(), arguments(m_port, m_dir->path(), m_persistent));
        if (!m_process->waitForStarted(10000)) {
            *error = QStringLiteral("cannot start %1 (%2): %3")
                         .arg(name(), program(), m_process->errorString());
            return false;
        }
        return true;
    }

    /// Waits until the server answers an HTTP request (any answer: it is serving).
    bool waitUntilReady(QString *error)
    {
        QElapsedTimer waited;
        waited.start();
        while (waited.elapsed() < startTimeoutMs() && m_process->state() == QProcess::Running) {
            if (answers())
                return true;
            m_process->waitForReadyRead(100);
        }
        *error = QStringLiteral("%1 did not come up on port %2 within %3 s: %4")
                     .arg(name())
                     .arg(m_port)
                     .arg(startTimeoutMs() / 1000)
                     .arg(QString::fromLocal8Bit(m_process->readAll()));
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

    /// Kills the server at once (SIGKILL), as a crash or a power cut would.
    void kill()
    {
        if (m_process && m_process->state() != QProcess::NotRunning) {
            m_process->kill();
            m_process->waitForFinished(5000);
        }
        m_process.reset();
    }

    /// Kills the server from another thread (QProcess itself is not thread-safe); the owner
    /// calls kill() or restart() afterwards to reap it.
    static void killFromAnyThread(qint64 pid)
    {
        if (pid > 0)
            ::kill(pid_t(pid), SIGKILL);
    }

    qint64 processId() const
    {
        return m_process ? m_process->processId() : 0;
    }
    bool isRunning() const
    {
        return m_process && m_process->state() == QProcess::Running;
    }
    quint16 port() const
    {
        return m_port;
    }
    QString endpoint() const
    {
        return QStringLiteral("http://127.0.0.1:%1").arg(m_port);
    }
    QString location(const QString &region = QStringLiteral("eu-west-2")) const
    {
        return QStringLiteral("dynamodb://127.0.0.1:%1?region=%2").arg(m_port).arg(region);
    }
    /// What the server printed so far (for failure messages).
    QString output() const
    {
        return m_process ? QString::fromLocal8Bit(m_process->readAll()) : QString();
    }

protected:
    virtual QString program() const = 0;
    virtual QStringList arguments(quint16 port, const QString &dataDir, bool persistent) const = 0;
    virtual QString workingDirectory() const
    {
        return QDir::currentPath();
    }

private:
    bool answers() const
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_port);
        if (!socket.waitForConnected(200))
            return false;
        const QByteArray body = "{}";
        socket.write("POST / HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_port) +
                     "\r\nContent-Type: application/x-amz-json-1.0\r\n"
                     "X-Amz-Target: DynamoDB_20120810.ListTables\r\n"
                     "X-Amz-Date: 20240101T000000Z\r\n"
                     "Authorization: AWS4-HMAC-SHA256 "
                     "Credential=probe/20240101/eu-west-2/dynamodb/aws4_request, "
                     "SignedHeaders=host;x-amz-date, Signature=0\r\n"
                     "Content-Length: " +
                     QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
        QByteArray answer;
        QElapsedTimer waited;
        waited.start();
        while (answer.size() < 12 && waited.elapsed() < 2000) {
            if (!socket.waitForReadyRead(200) && socket.state() != QTcpSocket::ConnectedState)
                break;
            answer += socket.readAll();
        }
        return answer.startsWith("HTTP/1.");
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    bool m_persistent = false;
};
