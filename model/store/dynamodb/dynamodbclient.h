#pragma once

#include "model/core/result.h"
#include "model/core/value.h"
#include "model/store/dynamodb/awscredentials.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

class DynamoDbNetworkThread;
class QDeadlineTimer;
class QNetworkRequest;
struct DynamoDbExchange;

/// Retry and timeout settings of a DynamoDbClient.
///
/// Defaults, shorter than the AWS CLI's (60 s to connect, 60 s to read) because a person is
/// waiting: a DynamoDB endpoint connects in milliseconds, so 10 s covers a slow name lookup and
/// TLS handshake on a bad link; it answers in milliseconds too, and even a 1 MB Scan page starts
/// arriving well within 30 s; 60 s bounds a whole call, retries and backoff included, so
/// nothing waits longer than a minute.
struct DynamoDbClientOptions
{
    static constexpr int kDefaultMaxRetries = 6;
    static constexpr int kDefaultConnectTimeoutMs = 10000;
    static constexpr int kDefaultReadTimeoutMs = 30000;
    static constexpr int kDefaultDeadlineMs = 60000;
    /// The largest timeout or deadline accepted (an hour).
    static constexpr int kMaxSettingMs = 3600 * 1000;
    static constexpr int kMaxAttempts = 100;

    int maxRetries = kDefaultMaxRetries; ///< retries after the first attempt
    int baseDelayMs = 50;                ///< first backoff ceiling; doubles per retry
    int maxDelayMs = 3000;               ///< backoff ceiling
    /// The longest wait for a connection (name lookup, TCP and the TLS handshake) per attempt;
    /// 0: none, only the deadline bounds it.
    int connectTimeoutMs = kDefaultConnectTimeoutMs;
    /// The longest silence once the request is sent (before the answer begins, or between its
    /// bytes) per attempt; 0: none, only the deadline bounds it.
    int readTimeoutMs = kDefaultReadTimeoutMs;
    /// The bound of a whole call, every attempt and backoff included: no attempt starts or goes
    /// on after it. Always set.
    int deadlineMs = kDefaultDeadlineMs;

    /// "connect timeout 10 s, read timeout 30 s, deadline 60 s".
    QString describe() const;
    /// A number of seconds ("5", "2.5") for the setting `name` as milliseconds; refused with
    /// a message naming `name` when it is not a number from 0.001 (0 too if `zeroAllowed`) to
    /// 3600.
    static Result<int> parseSeconds(const QString &text, const QString &name, bool zeroAllowed);
    /// A number of attempts (AWS's max_attempts: the first attempt included), 1 to 100.
    static Result<int> parseAttempts(const QString &text, const QString &name);
    /// "10 s", "2.5 s", "0.25 s".
    static QString seconds(qint64 ms);
    /// The backoff ceiling before retry `retry` + 1 (0: the first retry): baseDelayMs doubled
    /// per retry, at most maxDelayMs. The delay is drawn from 0 to it (full jitter).
    int backoffCeilingMs(int retry) const;
};

/// A synchronous DynamoDB client for the JSON 1.0 protocol (POST /, X-Amz-Target:
/// DynamoDB_20120810.<Operation>), signed with Signature V4.
///
/// Each call blocks the calling thread (a store's worker thread, never the GUI thread) until the
/// answer, a timeout, the call's deadline or a cancellation (its `cancelled` callback, or a
/// Cancellation::Scope of the calling thread, which StoreRunner::interrupt() trips). The HTTP
/// traffic itself runs on a private thread of the client: the caller spins no event loop, so no
/// other queued work of the caller's thread (the StoreRunner queues the next store call there) can
/// run in the middle of an operation.
///
/// Throttling (ProvisionedThroughputExceededException, ThrottlingException,
/// RequestLimitExceeded), server errors (InternalServerError, HTTP 5xx) and network errors are
/// retried with exponential backoff and full jitter, a bounded number of times, within the
/// deadline and cancellably; then the call fails Throttled or Unavailable with the server's
/// message. An attempt that cannot connect within the connect timeout, or whose answer does not
/// come (or stalls) for the read timeout, is a network error and retried the same way; the
/// message says which wait ran out, how many attempts were made and how long they took.
class DynamoDbClient
{
public:
    using Options = DynamoDbClientOptions;

    /// One retry about to happen (for progress displays and tests).
    struct RetryEvent
    {
        QString operation;
        int retry = 0; ///< 1 for the first retry
        int delayMs = 0;
        QString reason; ///< "ThrottlingException: ...", "Connection refused", ...
    };

    /// The last failure's details from DynamoDB.
    struct Failure
    {
        QString type;       ///< "ConditionalCheckFailedException"; empty for network errors
        QString message;    ///< the server's message
        int httpStatus = 0; ///< 0 for network errors
        Value body;         ///< the parsed error body (TransactionCanceledException reasons)
    };

    DynamoDbClient(QUrl endpoint, QString region, AwsCredentials credentials, Options options = {});
    ~DynamoDbClient();
    DynamoDbClient(const DynamoDbClient &) = delete;
    DynamoDbClient &operator=(const DynamoDbClient &) = delete;

    /// Runs one operation ("GetItem") with a JSON request body; returns the parsed response (a
    /// plain JSON tree) or an error whose kind says what happened:
    /// Conflict (ConditionalCheckFailedException, TransactionCanceledException), NotFound
    /// (ResourceNotFoundException), Exists (ResourceInUseException), Invalid
    /// (ValidationException), Throttled, Unavailable (network, 5xx, cancelled), Backend
    /// (credentials refused, nonsense answers, anything else). lastFailure() has the details.
    Result<Value> call(const QString &operation, const QByteArray &body,
                       const std::function<bool()> &cancelled = {});

    const Failure &lastFailure() const { return m_lastFailure; }
    /// Retries made by the last call, and since the client was made.
    int lastRetries() const { return m_lastRetries; }
    qint64 totalRetries() const { return m_totalRetries; }

    /// Called on the caller's thread before each retry's backoff.
    void setRetryObserver(std::function<void(const RetryEvent &)> observer)
    {
        m_onRetry = std::move(observer);
    }

    const QUrl &endpoint() const { return m_endpoint; }
    const QString &region() const { return m_region; }
    const AwsCredentials &credentials() const { return m_credentials; }
    const Options &options() const { return m_options; }

    /// Sleeps `ms` in steps of at most 20 ms; false as soon as `stop` says so.
    static bool pause(qint64 ms, const std::function<bool()> &stop);

    /// True for DynamoDB error types that are retried (throttling and server-side errors).
    static bool isRetryableType(const QString &type);
    /// True for error types that mean the credentials or the signature were refused.
    static bool isCredentialType(const QString &type);

private:
    struct Attempt;
    enum class Stop;
    /// One attempt: the signed request sent, its answer awaited and read.
    Attempt send(const QString &operation, const QByteArray &body,
                 const std::function<bool()> &stopRequested, const QDeadlineTimer &deadline);
    QNetworkRequest signedRequest(const QString &operation, const QByteArray &body) const;
    /// Waits until the exchange finishes, or aborts it (cancelled, the deadline, a timeout);
    /// how far it came in `sent`, `answering` and `received`.
    Stop waitForAnswer(const std::shared_ptr<DynamoDbExchange> &exchange,
                       const std::function<bool()> &stopRequested, const QDeadlineTimer &deadline,
                       bool &sent, bool &answering, qint64 &received);
    /// An attempt stopped by a timeout or the deadline: the message says which wait ran out.
    Attempt stopped(Stop stop, const QString &operation, const QString &where, bool sent,
                    bool answering, qint64 received);
    /// An attempt without an HTTP answer (a network error).
    Attempt unanswered(const std::shared_ptr<DynamoDbExchange> &exchange, const QString &operation,
                       const QString &where);
    /// An HTTP answer: the result, DynamoDB's error, or a retry due.
    Attempt answered(const std::shared_ptr<DynamoDbExchange> &exchange, const QString &operation,
                     const QString &where);

    QUrl m_endpoint;
    QString m_region;
    AwsCredentials m_credentials;
    Options m_options;
    std::unique_ptr<DynamoDbNetworkThread> m_network;
    std::function<void(const RetryEvent &)> m_onRetry;
    Failure m_lastFailure;
    int m_lastRetries = 0;
    qint64 m_totalRetries = 0;
};
