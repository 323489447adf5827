#include "model/dynamodbclient.h"

#include "model/jsoncodec.h"
#include "model/sigv4.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QHostAddress>
#include <QMutex>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QThread>
#include <QWaitCondition>

#include <algorithm>

/// One HTTP exchange, shared between the caller's thread and the network thread.
struct DynamoDbExchange
{
    QMutex mutex;
    QWaitCondition wake;
    bool finished = false;
    bool abortRequested = false;
    int status = 0;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QString errorString;
    QByteArray body;
    QNetworkReply *reply = nullptr; ///< touched on the network thread only
};

/// The thread that owns the QNetworkAccessManager and runs its event loop.
class DynamoDbNetworkThread
{
public:
    explicit DynamoDbNetworkThread(bool noProxy) : m_noProxy(noProxy)
    {
        m_thread.setObjectName(QStringLiteral("StructDesk DynamoDB network"));
        m_context = new QObject;
        m_context->moveToThread(&m_thread);
        m_thread.start();
    }

    ~DynamoDbNetworkThread()
    {
        QObject *context = m_context;
        QNetworkAccessManager **nam = &m_nam;
        QMetaObject::invokeMethod(
            m_context,
            [context, nam] {
                delete *nam;
                *nam = nullptr;
                delete context;
            },
            Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }

    std::shared_ptr<DynamoDbExchange> post(QNetworkRequest request, QByteArray body)
    {
        auto exchange = std::make_shared<DynamoDbExchange>();
        QMetaObject::invokeMethod(
            m_context,
            [this, exchange, request, body] {
                if (!m_nam) {
                    m_nam = new QNetworkAccessManager(m_context);
                    if (m_noProxy)
                        m_nam->setProxy(QNetworkProxy::NoProxy);
                }
                {
                    QMutexLocker lock(&exchange->mutex);
                    if (exchange->abortRequested) {
                        exchange->finished = true;
                        exchange->error = QNetworkReply::OperationCanceledError;
                        exchange->wake.wakeAll();
                        return;
                    }
                }
                QNetworkReply *reply = m_nam->post(request, body);
                exchange->reply = reply;
                QObject::connect(reply, &QNetworkReply::finished, m_context, [exchange, reply] {
                    QMutexLocker lock(&exchange->mutex);
                    exchange->status =
                        reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                    exchange->error = reply->error();
                    exchange->errorString = reply->errorString();
                    exchange->body = reply->readAll();
                    exchange->finished = true;
                    exchange->reply = nullptr;
                    exchange->wake.wakeAll();
                    reply->deleteLater();
                });
            },
            Qt::QueuedConnection);
        return exchange;
    }

    void abort(const std::shared_ptr<DynamoDbExchange> &exchange)
    {
        {
            QMutexLocker lock(&exchange->mutex);
            exchange->abortRequested = true;
        }
        QMetaObject::invokeMethod(
            m_context,
            [exchange] {
                if (exchange->reply)
                    exchange->reply->abort();
            },
            Qt::QueuedConnection);
    }

private:
    bool m_noProxy;
    QThread m_thread;
    QObject *m_context = nullptr;
    QNetworkAccessManager *m_nam = nullptr;
};

struct DynamoDbClient::Attempt
{
    std::optional<Result<Value>> done; ///< set when no retry is due
    QString retryReason;               ///< why a retry is due
    ErrorKind exhaustedKind = ErrorKind::Unavailable;
    QString exhaustedMessage;
};

namespace {

bool isLoopback(const QString &host)
{
    if (host.compare(QStringLiteral("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

QString shortType(const QString &type)
{
    const qsizetype hash = type.lastIndexOf(u'#');
    return hash < 0 ? type : type.mid(hash + 1);
}

QString ellipsize(const QByteArray &bytes)
{
    QString text = QString::fromUtf8(bytes.left(120)).simplified();
    if (bytes.size() > 120)
        text += QChar(0x2026);
    return text;
}

} // namespace

DynamoDbClient::DynamoDbClient(QUrl endpoint, QString region, AwsCredentials credentials,
                               Options options)
    : m_endpoint(std::move(endpoint)), m_region(std::move(region)),
      m_credentials(std::move(credentials)), m_options(options),
      m_network(std::make_unique<DynamoDbNetworkThread>(isLoopback(m_endpoint.host())))
{
}

DynamoDbClient::~DynamoDbClient() = default;

bool DynamoDbClient::isRetryableType(const QString &type)
{
    static const QStringList retryable = {
        QStringLiteral("ProvisionedThroughputExceededException"),
        QStringLiteral("ThrottlingException"),
        QStringLiteral("RequestLimitExceeded"),
        QStringLiteral("InternalServerError"),
        QStringLiteral("ServiceUnavailable"),
        QStringLiteral("ServiceUnavailableException"),
        QStringLiteral("LimitExceededException"),
    };
    return retryable.contains(type);
}

bool DynamoDbClient::isCredentialType(const QString &type)
{
    static const QStringList credentials = {
        QStringLiteral("UnrecognizedClientException"),
        QStringLiteral("InvalidSignatureException"),
        QStringLiteral("MissingAuthenticationTokenException"),
        QStringLiteral("IncompleteSignatureException"),
        QStringLiteral("ExpiredTokenException"),
        QStringLiteral("InvalidClientTokenId"),
        QStringLiteral("SignatureDoesNotMatch"),
        QStringLiteral("AccessDeniedException"),
    };
    return credentials.contains(type);
}

DynamoDbClient::Attempt DynamoDbClient::send(const QString &operation, const QByteArray &body,
                                             const std::function<bool()> &cancelled)
{
    Attempt attempt;
    const QString where =
        m_endpoint.toString(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery);

    QUrl url = m_endpoint;
    url.setPath(QStringLiteral("/"));
    url.setQuery(QString());
    QByteArray host = url.host(QUrl::FullyEncoded).toUtf8();
    if (host.contains(':'))
        host = '[' + host + ']';
    const bool https = url.scheme() == u"https";
    if (url.port() != -1 && url.port() != (https ? 443 : 80))
        host += ':' + QByteArray::number(url.port());

    SigV4::Request signable;
    signable.method = "POST";
    signable.path = "/";
    signable.payload = body;
    signable.headers = {
        {"Host", host},
        {"Content-Type", "application/x-amz-json-1.0"},
        {"X-Amz-Target", "DynamoDB_20120810." + operation.toLatin1()},
    };
    const SigV4::Key key{m_credentials.accessKeyId, m_credentials.secretAccessKey,
                         m_credentials.sessionToken};
    SigV4::sign(
        signable, key,
        SigV4::Scope{m_region, QStringLiteral("dynamodb"), QDateTime::currentDateTimeUtc()});

    QNetworkRequest request(url);
    for (const auto &[name, value] : std::as_const(signable.headers))
        request.setRawHeader(name, value);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(m_options.timeoutMs);

    auto exchange = m_network->post(request, body);
    QDeadlineTimer deadline(qint64(m_options.timeoutMs) + 2000);
    bool wasCancelled = false;
    bool timedOut = false;
    {
        QMutexLocker lock(&exchange->mutex);
        while (!exchange->finished) {
            exchange->wake.wait(&exchange->mutex, QDeadlineTimer(25));
            if (exchange->finished)
                break;
            if (!wasCancelled && !timedOut) {
                lock.unlock();
                if (cancelled && cancelled()) {
                    wasCancelled = true;
                    m_network->abort(exchange);
                } else if (deadline.hasExpired()) {
                    timedOut = true;
                    m_network->abort(exchange);
                }
                lock.relock();
            }
        }
    }

    Failure &f = m_lastFailure;
    f = Failure{};
    if (wasCancelled) {
        attempt.done = Result<Value>(
            makeError(ErrorKind::Unavailable, QStringLiteral("%1 was cancelled").arg(operation)));
        return attempt;
    }
    f.httpStatus = exchange->status;
    if (exchange->status == 0) {
        // No HTTP answer at all.
        f.message = exchange->errorString;
        switch (exchange->error) {
        case QNetworkReply::ProtocolFailure:
        case QNetworkReply::ProtocolUnknownError:
        case QNetworkReply::ProtocolInvalidOperationError:
            attempt.done = Result<Value>(makeError(
                ErrorKind::Backend,
                QStringLiteral("the server at %1 does not answer as DynamoDB does (%2: %3)")
                    .arg(where, operation, exchange->errorString)));
            return attempt;
        case QNetworkReply::SslHandshakeFailedError:
            attempt.done = Result<Value>(makeError(
                ErrorKind::Unavailable, QStringLiteral("the secure connection to %1 failed: %2")
                                            .arg(where, exchange->errorString)));
            return attempt;
        default:
            break;
        }
        const QString reason =
            (timedOut || exchange->error == QNetworkReply::OperationCanceledError ||
             exchange->error == QNetworkReply::TimeoutError)
                ? QStringLiteral("no answer within %1 s").arg(m_options.timeoutMs / 1000.0)
                : exchange->errorString;
        attempt.retryReason = reason;
        attempt.exhaustedKind = ErrorKind::Unavailable;
        attempt.exhaustedMessage =
            QStringLiteral("cannot reach DynamoDB at %1 (%2: %3)").arg(where, operation, reason);
        return attempt;
    }

    auto parsed = JsonCodec::parsePlain(exchange->body);
    if (exchange->status == 200) {
        if (!parsed || !parsed->isMap()) {
            f.message = ellipsize(exchange->body);
            attempt.done = Result<Value>(makeError(
                ErrorKind::Backend,
                QStringLiteral(
                    "the server at %1 answered %2 with something that is not DynamoDB JSON: \"%3\"")
                    .arg(where, operation, ellipsize(exchange->body))));
            return attempt;
        }
        attempt.done = Result<Value>(std::move(*parsed));
        return attempt;
    }

    // An error answer: {"__type": "com.amazonaws.dynamodb.v20120810#Type", "message": "..."}.
    if (parsed && parsed->isMap()) {
        f.body = *parsed;
        if (const Value *t = parsed->find(QStringLiteral("__type")); t && t->isString())
            f.type = shortType(t->text());
        for (const QString &name : {QStringLiteral("message"), QStringLiteral("Message")}) {
            if (const Value *m = parsed->find(name); m && m->isString())
                f.message = m->text();
        }
    } else {
        f.message = ellipsize(exchange->body);
    }
    const QString typeAndMessage =
        f.type.isEmpty()
            ? QStringLiteral("HTTP %1: %2").arg(exchange->status).arg(f.message)
            : (f.message.isEmpty() ? f.type : f.type + QStringLiteral(": ") + f.message);

    if (exchange->status >= 500 || isRetryableType(f.type)) {
        attempt.retryReason = typeAndMessage;
        const bool throttled = f.type == u"ProvisionedThroughputExceededException" ||
                               f.type == u"ThrottlingException" ||
                               f.type == u"RequestLimitExceeded" ||
                               f.type == u"LimitExceededException";
        attempt.exhaustedKind = throttled ? ErrorKind::Throttled : ErrorKind::Unavailable;
        attempt.exhaustedMessage = throttled
                                       ? QStringLiteral("DynamoDB at %1 is throttling %2 (%3)")
                                             .arg(where, operation, typeAndMessage)
                                       : QStringLiteral("DynamoDB at %1 failed on %2 (%3)")
                                             .arg(where, operation, typeAndMessage);
        return attempt;
    }
    if (!parsed || f.type.isEmpty()) {
        attempt.done = Result<Value>(
            makeError(ErrorKind::Backend,
                      QStringLiteral(
                          "the server at %1 answered %2 with HTTP %3 and no DynamoDB error: \"%4\"")
                          .arg(where, operation)
                          .arg(exchange->status)
                          .arg(ellipsize(exchange->body))));
        return attempt;
    }
    if (isCredentialType(f.type)) {
        attempt.done = Result<Value>(makeError(
            ErrorKind::Backend,
            QStringLiteral(
                "DynamoDB at %1 refused the request for these credentials (%2). They were the %3.")
                .arg(where, typeAndMessage, m_credentials.describe())));
        return attempt;
    }
    ErrorKind kind = ErrorKind::Backend;
    if (f.type == u"ConditionalCheckFailedException" || f.type == u"TransactionCanceledException" ||
        f.type == u"TransactionConflictException")
        kind = ErrorKind::Conflict;
    else if (f.type == u"ResourceNotFoundException")
        kind = ErrorKind::NotFound;
    else if (f.type == u"ResourceInUseException")
        kind = ErrorKind::Exists;
    else if (f.type == u"ValidationException" || f.type == u"SerializationException")
        kind = ErrorKind::Invalid;
    attempt.done = Result<Value>(makeError(kind, typeAndMessage));
    return attempt;
}

Result<Value> DynamoDbClient::call(const QString &operation, const QByteArray &body,
                                   const std::function<bool()> &cancelled)
{
    m_lastRetries = 0;
    for (int attemptNumber = 0;; ++attemptNumber) {
        if (cancelled && cancelled())
            return makeError(ErrorKind::Unavailable,
                             QStringLiteral("%1 was cancelled").arg(operation));
        Attempt attempt = send(operation, body, cancelled);
        if (attempt.done)
            return std::move(*attempt.done);
        if (attemptNumber >= m_options.maxRetries) {
            const QString retries =
                m_options.maxRetries == 0 ? QStringLiteral("no retries were allowed")
                : m_options.maxRetries == 1
                    ? QStringLiteral("gave up after 1 retry")
                    : QStringLiteral("gave up after %1 retries").arg(m_options.maxRetries);
            return makeError(attempt.exhaustedKind,
                             attempt.exhaustedMessage + QStringLiteral("; ") + retries);
        }
        const int ceiling = int(std::min<qint64>(
            m_options.maxDelayMs, qint64(m_options.baseDelayMs) << std::min(attemptNumber, 20)));
        const int delay = int(QRandomGenerator::global()->bounded(ceiling + 1));
        ++m_lastRetries;
        ++m_totalRetries;
        if (m_onRetry)
            m_onRetry(RetryEvent{operation, m_lastRetries, delay, attempt.retryReason});
        QDeadlineTimer wait(delay);
        while (!wait.hasExpired()) {
            if (cancelled && cancelled())
                return makeError(ErrorKind::Unavailable,
                                 QStringLiteral("%1 was cancelled").arg(operation));
            QThread::msleep(unsigned(std::clamp<qint64>(wait.remainingTime(), 1, 20)));
        }
    }
}
