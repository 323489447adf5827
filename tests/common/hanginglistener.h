#pragma once

// Servers on 127.0.0.1 that never answer, for the timeout tests of the DynamoDB client, the CLI
// and the GUI. Loopback only: no test depends on how a real network drops packets.
//
// - Silent: accepts every connection, reads the requests, never answers.
// - HeadersThenStall: answers "200 OK" with a Content-Length and a few bytes of the body, then
//   sends nothing more.
// - Trickle: answers the headers, then one byte of the body every 100 ms, never finishing: no
//   silence is ever long enough for a read timeout; only a deadline ends the wait.
// - FullBacklog: a listening socket with a backlog of 0 that never accepts, its one queue place
//   taken by a connection of its own; Linux drops every further SYN, so connecting hangs.
//
// The accepting modes run a QTcpServer on their own thread, because the calls under test block
// the thread of the test.

#include <QByteArray>
#include <QHostAddress>
#include <QMutex>
#include <QObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <fcntl.h>
#include <memory>

class HangingListener
{
public:
    enum class Mode { Silent, HeadersThenStall, Trickle, FullBacklog };

    explicit HangingListener(Mode mode) : m_mode(mode)
    {
        if (mode == Mode::FullBacklog) {
            openFullBacklog();
            return;
        }
        m_context->moveToThread(&m_thread);
        m_thread.start();
        QMetaObject::invokeMethod(
            m_context.get(),
            [this] {
                m_server = new QTcpServer(m_context.get());
                m_server->listen(QHostAddress::LocalHost, 0);
                m_port = m_server->serverPort();
                QObject::connect(m_server, &QTcpServer::newConnection, m_context.get(),
                                 [this] { accept(); });
                m_trickle = new QTimer(m_context.get());
                m_trickle->setInterval(100);
                QObject::connect(m_trickle, &QTimer::timeout, m_context.get(), [this] {
                    for (QTcpSocket *socket : m_server->findChildren<QTcpSocket *>()) {
                        if (socket->property("answering").toBool())
                            socket->write("x");
                    }
                });
                if (m_mode == Mode::Trickle)
                    m_trickle->start();
            },
            Qt::BlockingQueuedConnection);
    }

    ~HangingListener()
    {
        if (m_mode == Mode::FullBacklog) {
            for (int fd : {m_filler, m_listener}) {
                if (fd >= 0)
                    ::close(fd);
            }
            return;
        }
        QMetaObject::invokeMethod(
            m_context.get(),
            [this] {
                delete m_trickle;
                delete m_server;
            },
            Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }

    HangingListener(const HangingListener &) = delete;
    HangingListener &operator=(const HangingListener &) = delete;

    quint16 port() const { return m_port; }
    /// http://127.0.0.1:PORT
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    /// dynamodb://127.0.0.1:PORT?region=eu-west-1, plus `parameters` ("connect_timeout=1").
    QString location(const QString &parameters = {}) const
    {
        QString text = QStringLiteral("dynamodb://127.0.0.1:%1?region=eu-west-1").arg(m_port);
        if (!parameters.isEmpty())
            text += u'&' + parameters;
        return text;
    }
    /// Connections accepted so far (FullBacklog: always 0).
    int connections() const
    {
        QMutexLocker lock(&m_mutex);
        return m_connections;
    }
    /// FullBacklog: true when a connection attempt to the port does not complete within
    /// 300 ms (so the test really exercises a connect that hangs).
    bool refusesToConnect() const
    {
        const int probe = ::socket(AF_INET, SOCK_STREAM, 0);
        ::fcntl(probe, F_SETFL, O_NONBLOCK);
        sockaddr_in address = loopback(m_port);
        const int r = ::connect(probe, reinterpret_cast<sockaddr *>(&address), sizeof address);
        bool hangs = false;
        if (r < 0 && errno == EINPROGRESS) {
            pollfd p{probe, POLLOUT, 0};
            hangs = ::poll(&p, 1, 300) == 0;
        }
        ::close(probe);
        return hangs;
    }

private:
    static sockaddr_in loopback(quint16 port)
    {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return address;
    }

    void openFullBacklog()
    {
        m_listener = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address = loopback(0);
        if (::bind(m_listener, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 ||
            ::listen(m_listener, 0) != 0)
            qFatal("HangingListener: cannot listen on 127.0.0.1");
        socklen_t length = sizeof address;
        ::getsockname(m_listener, reinterpret_cast<sockaddr *>(&address), &length);
        m_port = ntohs(address.sin_port);
        // The one place in the accept queue: taken for good, nobody accepts.
        m_filler = ::socket(AF_INET, SOCK_STREAM, 0);
        if (::connect(m_filler, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0)
            qFatal("HangingListener: cannot fill the backlog");
    }

    void accept()
    {
        while (QTcpSocket *socket = m_server->nextPendingConnection()) {
            socket->setParent(m_server);
            {
                QMutexLocker lock(&m_mutex);
                ++m_connections;
            }
            auto request = std::make_shared<QByteArray>();
            QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, request] {
                request->append(socket->readAll());
                if (m_mode == Mode::Silent || socket->property("answering").toBool())
                    return;
                // Answer once the headers are in (the body's bytes do not matter here).
                if (!request->contains("\r\n\r\n"))
                    return;
                socket->setProperty("answering", true);
                socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\n"
                              "Content-Length: 100000\r\n\r\n{\"Tab");
            });
            QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    }

    Mode m_mode;
    QThread m_thread;
    std::unique_ptr<QObject> m_context = std::make_unique<QObject>();
    QTcpServer *m_server = nullptr; ///< on m_thread
    QTimer *m_trickle = nullptr;    ///< on m_thread
    quint16 m_port = 0;
    int m_listener = -1;
    int m_filler = -1;
    mutable QMutex m_mutex;
    int m_connections = 0;
};
