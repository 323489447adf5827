#pragma once

// A tiny HTTP proxy on 127.0.0.1 for fault tests of the DynamoDB client: it forwards requests to
// a real server (dynalite) or answers them itself, as a script says. It runs on its own thread,
// because the store calls under test block the test's thread until they are answered.

#include <QByteArray>
#include <QHostAddress>
#include <QMutex>
#include <QObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <functional>
#include <memory>

class LoopbackProxy
{
public:
    /// What to do with one request: forward it (empty answer), or send `answer` (raw HTTP bytes)
    /// and close the connection when `close` is set. `drop`: close the connection without an
    /// answer, after forwarding the request when `forwardFirst` is set (the server did the work,
    /// the answer is lost) or without forwarding it (the request never arrived).
    struct Reply
    {
        QByteArray answer;
        bool close = false;
        bool drop = false;
        bool forwardFirst = false;
        /// Forwarded: the body to send instead of the client's (empty: the client's).
        QByteArray forwardBody = {};
        /// Forwarded: turns the server's answer body into the one the client gets.
        std::function<QByteArray(const QByteArray &)> editAnswer = {};
        /// Forwarded: the answer reaches the client this much later (a slow server).
        int delayMs = 0;
        /// Neither forwarded nor answered: the connection stays open and silent (a server that
        /// hangs on this request).
        bool hang = false;
    };
    /// Decides per request: the X-Amz-Target operation ("GetItem"), the body, and the number of
    /// requests seen so far (0 for the first).
    using Script =
        std::function<Reply(const QByteArray &operation, const QByteArray &body, int index)>;

    LoopbackProxy(quint16 targetPort, Script script)
        : m_targetPort(targetPort), m_script(std::move(script))
    {
        m_thread.start();
        QMetaObject::invokeMethod(
            m_context.get(),
            [this] {
                m_server = new QTcpServer(m_context.get());
                m_server->listen(QHostAddress::LocalHost, 0);
                m_port = m_server->serverPort();
                QObject::connect(m_server, &QTcpServer::newConnection, m_context.get(),
                                 [this] { accept(); });
            },
            Qt::BlockingQueuedConnection);
    }

    ~LoopbackProxy()
    {
        QMetaObject::invokeMethod(
            m_context.get(), [this] { delete m_server; }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }

    quint16 port() const { return m_port; }
    int requests() const
    {
        QMutexLocker lock(&m_mutex);
        return m_requests;
    }

    /// An HTTP answer with a JSON body in DynamoDB's style.
    static QByteArray httpAnswer(int status, const QByteArray &reason, const QByteArray &body,
                                 const QByteArray &contentType = "application/x-amz-json-1.0")
    {
        return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason +
               "\r\nContent-Type: " + contentType +
               "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    }
    static QByteArray dynamoError(int status, const QByteArray &type, const QByteArray &message)
    {
        return httpAnswer(status, status == 400 ? "Bad Request" : "Internal Server Error",
                          "{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + type +
                              "\",\"message\":\"" + message + "\"}");
    }

    /// The same request with another body (Content-Length adjusted; the servers of the tests
    /// do not check the signature over the body).
    static QByteArray withBody(const QByteArray &request, const QByteArray &body)
    {
        const qsizetype end = request.indexOf("\r\n\r\n");
        QByteArray head;
        for (const QByteArray &line : request.left(end).split('\n')) {
            if (line.trimmed().toLower().startsWith("content-length:"))
                continue;
            head += line.trimmed() + "\r\n";
        }
        return head + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    }

    /// Sends a raw HTTP request to the target and returns its whole answer (blocking; on the
    /// proxy's thread).
    static QByteArray exchange(quint16 port, const QByteArray &request)
    {
        QTcpSocket upstream;
        upstream.connectToHost(QHostAddress::LocalHost, port);
        if (!upstream.waitForConnected(5000))
            return {};
        upstream.write(request);
        upstream.flush();
        QByteArray answer;
        for (;;) {
            const qsizetype end = answer.indexOf("\r\n\r\n");
            if (end >= 0) {
                const qsizetype length = contentLength(answer.left(end));
                if (length >= 0 && answer.size() >= end + 4 + length)
                    return answer.left(end + 4 + length);
            }
            if (!upstream.waitForReadyRead(10000))
                return answer;
            answer += upstream.readAll();
        }
    }

    static qsizetype contentLength(const QByteArray &head)
    {
        for (const QByteArray &line : head.split('\n')) {
            const QByteArray l = line.trimmed();
            if (l.toLower().startsWith("content-length:"))
                return l.mid(15).trimmed().toLongLong();
        }
        return 0;
    }

    static QByteArray header(const QByteArray &head, const QByteArray &name)
    {
        for (const QByteArray &line : head.split('\n')) {
            const QByteArray l = line.trimmed();
            if (l.toLower().startsWith(name.toLower() + ':'))
                return l.mid(name.size() + 1).trimmed();
        }
        return {};
    }

private:
    void accept()
    {
        while (QTcpSocket *socket = m_server->nextPendingConnection()) {
            auto buffer = std::make_shared<QByteArray>();
            QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
                *buffer += socket->readAll();
                for (;;) {
                    const qsizetype end = buffer->indexOf("\r\n\r\n");
                    if (end < 0)
                        return;
                    const QByteArray head = buffer->left(end);
                    const qsizetype length = contentLength(head);
                    if (buffer->size() < end + 4 + length)
                        return;
                    const QByteArray request = buffer->left(end + 4 + length);
                    const QByteArray body = request.mid(end + 4);
                    buffer->remove(0, end + 4 + length);
                    QByteArray target = header(head, "X-Amz-Target");
                    target = target.mid(target.indexOf('.') + 1);
                    int index;
                    {
                        QMutexLocker lock(&m_mutex);
                        index = m_requests++;
                    }
                    const Reply reply = m_script(target, body, index);
                    if (reply.hang) {
                        buffer->clear();
                        return;
                    }
                    if (reply.drop) {
                        if (reply.forwardFirst)
                            exchange(m_targetPort, request);
                        socket->abort();
                        socket->deleteLater();
                        return;
                    }
                    QByteArray answer = reply.answer;
                    if (answer.isEmpty()) {
                        answer = exchange(m_targetPort, reply.forwardBody.isEmpty()
                                                            ? request
                                                            : withBody(request, reply.forwardBody));
                        if (reply.editAnswer) {
                            const qsizetype split = answer.indexOf("\r\n\r\n");
                            const QByteArray edited =
                                reply.editAnswer(split < 0 ? QByteArray() : answer.mid(split + 4));
                            answer = answer.left(answer.indexOf("\r\n")) +
                                     "\r\nContent-Type: application/x-amz-json-1.0"
                                     "\r\nContent-Length: " +
                                     QByteArray::number(edited.size()) + "\r\n\r\n" + edited;
                        }
                    }
                    if (reply.delayMs > 0) {
                        // One request at a time per connection: later bytes wait in the buffer.
                        QTimer::singleShot(reply.delayMs, socket, [socket, answer] {
                            socket->write(answer);
                            socket->flush();
                        });
                        return;
                    }
                    socket->write(answer);
                    socket->flush();
                    if (reply.close) {
                        socket->disconnectFromHost();
                        return;
                    }
                }
            });
            QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    }

    quint16 m_targetPort;
    Script m_script;
    QThread m_thread;
    std::unique_ptr<QObject> m_context = [this] {
        auto context = std::make_unique<QObject>();
        context->moveToThread(&m_thread);
        return context;
    }();
    QTcpServer *m_server = nullptr;
    quint16 m_port = 0;
    mutable QMutex m_mutex;
    int m_requests = 0;
};
