#include "model/store/dynamodb/dynamodbclient.h"

#include "model/json/jsoncodec.h"
#include "model/store/dynamodb/sigv4.h"

#include "model/core/cancellation.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QMutex>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QThread>
#include <QWaitCondition>

#include <algorithm>
#include <cmath>

/// One HTTP exchange, shared between the caller's thread and the network thread.
struct DynamoDbExchange
{
    QMutex mutex;
    QWaitCondition wake;
    QElapsedTimer clock; ///< started before the request is posted; only read afterwards
    bool finished = false;
    bool abortRequested = false;
    bool sent = false;       ///< the request went out: the connection (and TLS) was made
    bool answering = false;  ///< the answer's headers came
    qint64 received = 0;     ///< bytes of the answer's body so far
    qint64 lastActivity = 0; ///< clock time of the last progress in either direction
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
        exchange->clock.start();
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
                auto progressed = [exchange](bool sent, bool answering, qint64 received) {
                    QMutexLocker lock(&exchange->mutex);
                    exchange->sent = exchange->sent || sent;
                    exchange->answering = exchange->answering || answering;
                    exchange->received = std::max(exchange->received, received);
                    exchange->lastActivity = exchange->clock.elapsed();
                };
                QObject::connect(reply, &QNetworkReply::requestSent, m_context,
                                 [progressed] { progressed(true, false, 0); });
                QObject::connect(reply, &QNetworkReply::uploadProgress, m_context,
                                 [progressed](qint64 bytes, qint64) {
                                     if (bytes > 0)
                                         progressed(true, false, 0);
                                 });
                QObject::connect(reply, &QNetworkReply::metaDataChanged, m_context,
                                 [progressed] { progressed(true, true, 0); });
                QObject::connect(reply, &QNetworkReply::downloadProgress, m_context,
                                 [progressed](qint64 bytes, qint64) {
                                     if (bytes > 0)
                                         progressed(true, true, bytes);
                                 });
                QObject::connect(reply, &QNetworkReply::finished, m_context, [exchange, reply] {
                    QMutexLocker lock(&exchange->mutex);
                    exchange->status =
                        reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                    exchange->error = reply->error();
                    exchange->errorString = reply->errorString();
                    // An aborted reply is closed: reading it would only warn.
                    if (reply->isOpen())
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

/// Why an attempt was stopped from this side.
enum class DynamoDbClient::Stop { None, Cancelled, ConnectTimeout, ReadTimeout, Deadline };

struct DynamoDbClient::Attempt
{
    std::optional<Result<Value>> done; ///< set when no retry is due
    QString retryReason;               ///< why a retry is due
    ErrorKind exhaustedKind = ErrorKind::Unavailable;
    QString exhaustedMessage;
    bool deadlineReached = false; ///< the call's deadline ended this attempt
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

/// Operations that change data: a cancelled one may have been carried out already.
bool isWrite(const QString &operation)
{
    static const QStringList writes = {
        QStringLiteral("PutItem"),
        QStringLiteral("UpdateItem"),
        QStringLiteral("DeleteItem"),
        QStringLiteral("BatchWriteItem"),
        QStringLiteral("TransactWriteItems"),
        QStringLiteral("CreateTable"),
        QStringLiteral("DeleteTable"),
        QStringLiteral("UpdateTable"),
    };
    return writes.contains(operation);
}

Error cancelledError(const QString &operation, bool sent)
{
    if (sent && isWrite(operation))
        return makeError(
            ErrorKind::Unavailable,
            QStringLiteral("%1 was cancelled after it was sent; DynamoDB may have carried it out")
                .arg(operation));
    return makeError(ErrorKind::Unavailable, QStringLiteral("%1 was cancelled").arg(operation));
}

} // namespace

QString DynamoDbClientOptions::seconds(qint64 ms)
{
    if (ms % 1000 == 0)
        return QStringLiteral("%1 s").arg(ms / 1000);
    QString text = QString::number(double(ms) / 1000.0, 'f', 3);
    while (text.endsWith(u'0'))
        text.chop(1);
    return text + QStringLiteral(" s");
}

int DynamoDbClientOptions::backoffCeilingMs(int retry) const
{
    return int(std::min<qint64>(maxDelayMs, qint64(baseDelayMs) << std::min(retry, 20)));
}

QString DynamoDbClientOptions::describe() const
{
    auto timeout = [](int ms) { return ms > 0 ? seconds(ms) : QStringLiteral("none"); };
    return QStringLiteral("connect timeout %1, read timeout %2, deadline %3")
        .arg(timeout(connectTimeoutMs), timeout(readTimeoutMs), seconds(deadlineMs));
}

Result<int> DynamoDbClientOptions::parseSeconds(const QString &text, const QString &name,
                                                bool zeroAllowed)
{
    static const QRegularExpression number(QStringLiteral("^[0-9]+(\\.[0-9]+)?$"));
    const QString trimmed = text.trimmed();
    const QString range = zeroAllowed ? QStringLiteral("0 (no limit but the deadline) or 0.001")
                                      : QStringLiteral("0.001");
    auto refuse = [&] {
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("%1 takes a number of seconds from %2 to %3, not \"%4\"")
                             .arg(name, range)
                             .arg(kMaxSettingMs / 1000)
                             .arg(text.left(40)),
                         name);
    };
    if (!number.match(trimmed).hasMatch())
        return refuse();
    bool ok = false;
    const double value = trimmed.toDouble(&ok);
    if (!ok || value * 1000.0 > double(kMaxSettingMs))
        return refuse();
    const int ms = int(std::llround(value * 1000.0));
    if (ms == 0 && !(zeroAllowed && value == 0.0))
        return refuse();
    return ms;
}

Result<int> DynamoDbClientOptions::parseAttempts(const QString &text, const QString &name)
{
    bool ok = false;
    const int attempts = text.trimmed().toInt(&ok);
    if (!ok || attempts < 1 || attempts > kMaxAttempts)
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("%1 takes a whole number of attempts from 1 to %2 (the "
                                        "first attempt included), not \"%3\"")
                             .arg(name)
                             .arg(kMaxAttempts)
                             .arg(text.left(40)),
                         name);
    return attempts;
}

DynamoDbClient::DynamoDbClient(QUrl endpoint, QString region, AwsCredentials credentials,
                               Options options)
    : m_endpoint(std::move(endpoint)), m_region(std::move(region)),
      m_credentials(std::move(credentials)), m_options(options),
      m_network(std::make_unique<DynamoDbNetworkThread>(isLoopback(m_endpoint.host())))
{
}

DynamoDbClient::~DynamoDbClient() = default;

bool DynamoDbClient::pause(qint64 ms, const std::function<bool()> &stop)
{
    QDeadlineTimer wait(ms);
    while (!wait.hasExpired()) {
        if (stop())
            return false;
        QThread::msleep(unsigned(std::clamp<qint64>(wait.remainingTime(), 1, 20)));
    }
    return true;
}

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
                                             const std::function<bool()> &stopRequested,
                                             const QDeadlineTimer &deadline)
{
    Attempt attempt;
    const QString where =
        m_endpoint.toString(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery);

    auto exchange = m_network->post(signedRequest(operation, body), body);
    bool sent = false;
    bool answering = false;
    qint64 received = 0;
    const Stop stop = waitForAnswer(exchange, stopRequested, deadline, sent, answering, received);

    Failure &f = m_lastFailure;
    f = Failure{};
    if (stop == Stop::Cancelled) {
        attempt.done = Result<Value>(cancelledError(operation, sent));
        return attempt;
    }
    if (stop != Stop::None)
        return stopped(stop, operation, where, sent, answering, received);
    f.httpStatus = exchange->status;
    if (exchange->status == 0)
        return unanswered(exchange, operation, where);
    return answered(exchange, operation, where);
}

QNetworkRequest DynamoDbClient::signedRequest(const QString &operation,
                                              const QByteArray &body) const
{
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
    // Our own timers (waitForAnswer()) tell a connection that never came from an answer that never
    // came; QNetworkRequest's transfer timeout cannot.
    request.setTransferTimeout(0);
    return request;
}

DynamoDbClient::Stop DynamoDbClient::waitForAnswer(
    const std::shared_ptr<DynamoDbExchange> &exchange, const std::function<bool()> &stopRequested,
    const QDeadlineTimer &deadline, bool &sent, bool &answering, qint64 &received)
{
    const qint64 connectTimeout = m_options.connectTimeoutMs;
    const qint64 readTimeout = m_options.readTimeoutMs;
    Stop stop = Stop::None;
    QDeadlineTimer abortGrace; // an aborted reply finishes at once; never wait long for it
    {
        QMutexLocker lock(&exchange->mutex);
        while (!exchange->finished) {
            exchange->wake.wait(&exchange->mutex, QDeadlineTimer(20));
            if (exchange->finished)
                break;
            if (stop != Stop::None) {
                if (abortGrace.hasExpired())
                    break;
                continue;
            }
            const qint64 now = exchange->clock.elapsed();
            const bool wasSent = exchange->sent;
            const qint64 quiet = now - exchange->lastActivity;
            lock.unlock();
            if (stopRequested())
                stop = Stop::Cancelled;
            else if (deadline.hasExpired())
                stop = Stop::Deadline;
            else if (!wasSent && connectTimeout > 0 && now >= connectTimeout)
                stop = Stop::ConnectTimeout;
            else if (wasSent && readTimeout > 0 && quiet >= readTimeout)
                stop = Stop::ReadTimeout;
            if (stop != Stop::None) {
                abortGrace = QDeadlineTimer(2000);
                m_network->abort(exchange);
            }
            lock.relock();
        }
        sent = exchange->sent;
        answering = exchange->answering;
        received = exchange->received;
    }
    return stop;
}

DynamoDbClient::Attempt DynamoDbClient::stopped(Stop stop, const QString &operation,
                                                const QString &where, bool sent, bool answering,
                                                qint64 received)
{
    Attempt attempt;
    Failure &f = m_lastFailure;
    const qint64 connectTimeout = m_options.connectTimeoutMs;
    const qint64 readTimeout = m_options.readTimeoutMs;
    // No answer in time: which wait ran out says where it stuck.
    const QString settings = m_options.describe();
    const QString came =
        received > 0 ? QStringLiteral("%1 bytes of it came; ").arg(received) : QString();
    if (stop == Stop::ConnectTimeout) {
        attempt.retryReason =
            QStringLiteral("no connection within %1").arg(Options::seconds(connectTimeout));
        attempt.exhaustedMessage =
            QStringLiteral("could not connect to DynamoDB at %1 within %2 for %3 (%4)")
                .arg(where, Options::seconds(connectTimeout), operation, settings);
    } else if (stop == Stop::ReadTimeout && !answering) {
        attempt.retryReason =
            QStringLiteral("no answer within %1").arg(Options::seconds(readTimeout));
        attempt.exhaustedMessage =
            QStringLiteral("DynamoDB at %1 accepted the connection but did not answer %2 "
                           "within %3 (%4)")
                .arg(where, operation, Options::seconds(readTimeout), settings);
    } else if (stop == Stop::ReadTimeout) {
        attempt.retryReason =
            QStringLiteral("the answer stalled for %1").arg(Options::seconds(readTimeout));
        attempt.exhaustedMessage =
            QStringLiteral("DynamoDB at %1 began answering %2, then sent nothing for %3 "
                           "(%4%5)")
                .arg(where, operation, Options::seconds(readTimeout), came, settings);
    } else {
        attempt.deadlineReached = true;
        const QString deadlineText = Options::seconds(m_options.deadlineMs);
        attempt.retryReason = QStringLiteral("the deadline of %1 passed").arg(deadlineText);
        if (!sent)
            attempt.exhaustedMessage =
                QStringLiteral("could not connect to DynamoDB at %1 for %2 within the %3 "
                               "deadline (%4)")
                    .arg(where, operation, deadlineText, settings);
        else if (!answering)
            attempt.exhaustedMessage =
                QStringLiteral("DynamoDB at %1 accepted the connection but did not answer "
                               "%2 within the %3 deadline (%4)")
                    .arg(where, operation, deadlineText, settings);
        else
            attempt.exhaustedMessage =
                QStringLiteral("DynamoDB at %1 did not finish answering %2 within the %3 "
                               "deadline (%4%5)")
                    .arg(where, operation, deadlineText, came, settings);
    }
    f.message = attempt.retryReason;
    attempt.exhaustedKind = ErrorKind::Unavailable;
    return attempt;
}

DynamoDbClient::Attempt
DynamoDbClient::unanswered(const std::shared_ptr<DynamoDbExchange> &exchange,
                           const QString &operation, const QString &where)
{
    Attempt attempt;
    Failure &f = m_lastFailure;
    // No HTTP answer at all.
    f.message = exchange->errorString;
    switch (exchange->error) {
    case QNetworkReply::ProtocolFailure:
    case QNetworkReply::ProtocolUnknownError:
    case QNetworkReply::ProtocolInvalidOperationError:
        attempt.done = Result<Value>(
            makeError(ErrorKind::Backend,
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
    attempt.retryReason = exchange->errorString;
    attempt.exhaustedKind = ErrorKind::Unavailable;
    attempt.exhaustedMessage = QStringLiteral("cannot reach DynamoDB at %1 (%2: %3)")
                                   .arg(where, operation, exchange->errorString);
    return attempt;
}

DynamoDbClient::Attempt DynamoDbClient::answered(const std::shared_ptr<DynamoDbExchange> &exchange,
                                                 const QString &operation, const QString &where)
{
    Attempt attempt;
    Failure &f = m_lastFailure;
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
    QElapsedTimer clock;
    clock.start();
    const QDeadlineTimer deadline(std::max(1, m_options.deadlineMs));
    const auto stopRequested = [&cancelled] {
        return (cancelled && cancelled()) || Cancellation::requested();
    };
    // "...; gave up after 3 retries (4 attempts in 1.2 s)", "...; gave up after 4 attempts in
    // 3.0 s", "...; gave up at the 3 s deadline after 2 attempts in 2.9 s".
    auto gaveUp = [&](const Attempt &attempt, int attempts, const QString &why) {
        const QString took = QStringLiteral("%1 in %2 s")
                                 .arg(attempts == 1 ? QStringLiteral("1 attempt")
                                                    : QStringLiteral("%1 attempts").arg(attempts))
                                 .arg(double(clock.elapsed()) / 1000.0, 0, 'f', 1);
        const QString tail = why.isEmpty() ? QStringLiteral("gave up after ") + took
                             : why.endsWith(u"deadline")
                                 ? QStringLiteral("%1 after %2").arg(why, took)
                                 : QStringLiteral("%1 (%2)").arg(why, took);
        return makeError(attempt.exhaustedKind,
                         QStringLiteral("%1; %2").arg(attempt.exhaustedMessage, tail));
    };
    for (int attempts = 1;; ++attempts) {
        if (stopRequested())
            return cancelledError(operation, false);
        Attempt attempt = send(operation, body, stopRequested, deadline);
        if (attempt.done)
            return std::move(*attempt.done);
        const QString deadlineText = Options::seconds(m_options.deadlineMs);
        if (attempt.deadlineReached)
            return gaveUp(attempt, attempts, {});
        if (deadline.hasExpired())
            return gaveUp(attempt, attempts,
                          QStringLiteral("gave up at the %1 deadline").arg(deadlineText));
        if (attempts > m_options.maxRetries) {
            const int retries = m_options.maxRetries;
            return gaveUp(attempt, attempts,
                          retries == 0   ? QStringLiteral("no retries were allowed")
                          : retries == 1 ? QStringLiteral("gave up after 1 retry")
                                         : QStringLiteral("gave up after %1 retries").arg(retries));
        }
        const int ceiling = m_options.backoffCeilingMs(attempts - 1);
        const int delay = int(QRandomGenerator::global()->bounded(ceiling + 1));
        if (delay >= deadline.remainingTime())
            return gaveUp(attempt, attempts, // the next retry would start after it
                          QStringLiteral("gave up at the %1 deadline").arg(deadlineText));
        ++m_lastRetries;
        ++m_totalRetries;
        if (m_onRetry)
            m_onRetry(RetryEvent{operation, m_lastRetries, delay, attempt.retryReason});
        if (!pause(delay, stopRequested))
            return cancelledError(operation, false);
    }
}
