#pragma once

#include "model/awscredentials.h"
#include "model/result.h"
#include "model/value.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

class DynamoDbNetworkThread;

/// Retry and timeout settings of a DynamoDbClient.
struct DynamoDbClientOptions
{
    int maxRetries = 6;    ///< retries after the first attempt
    int baseDelayMs = 50;  ///< first backoff ceiling; doubles per retry
    int maxDelayMs = 3000; ///< backoff ceiling
    int timeoutMs = 30000; ///< per attempt
};

/// A synchronous DynamoDB client for the JSON 1.0 protocol (POST /, X-Amz-Target:
/// DynamoDB_20120810.<Operation>), signed with Signature V4.
///
/// Each call blocks the calling thread (a store's worker thread, never the GUI thread) until the
/// answer, a timeout or a cancellation. The HTTP traffic itself runs on a private thread of the
/// client: the caller spins no event loop, so no other queued work of the caller's thread (the
/// StoreRunner queues the next store call there) can run in the middle of an operation.
///
/// Throttling (ProvisionedThroughputExceededException, ThrottlingException,
/// RequestLimitExceeded), server errors (InternalServerError, HTTP 5xx) and network errors are
/// retried with exponential backoff and full jitter, a bounded number of times and cancellably;
/// then the call fails Throttled or Unavailable with the server's message.
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

    /// True for DynamoDB error types that are retried (throttling and server-side errors).
    static bool isRetryableType(const QString &type);
    /// True for error types that mean the credentials or the signature were refused.
    static bool isCredentialType(const QString &type);

private:
    struct Attempt;
    Attempt send(const QString &operation, const QByteArray &body,
                 const std::function<bool()> &cancelled);

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
