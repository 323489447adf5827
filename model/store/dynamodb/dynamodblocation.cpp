// DynamoDbStore::configFromLocation(): a location string (dynamodb://, dynamodbs://,
// dynamodb://aws) and the AWS settings made into the endpoint, region, credentials and the
// client's timeouts and retries.

#include "model/store/dynamodb/dynamodbstore.h"

#include <QUrlQuery>

#include <functional>

#include <utility>

namespace {

/// Refuses a location: "... is not a DynamoDB location: <why>. Use ...".
using Refusal = std::function<Error(const QString &why)>;

/// A dynamodb:// or dynamodbs:// URL with a host, and neither user info nor a path.
Status checkUrl(const QUrl &url, const QString &scheme, const Refusal &bad)
{
    if (!url.isValid())
        return bad(url.errorString());
    if (scheme != u"dynamodb" && scheme != u"dynamodbs")
        return bad(QStringLiteral("the scheme must be dynamodb or dynamodbs"));
    if (url.host().isEmpty())
        return bad(QStringLiteral("it names no host"));
    if (!url.userInfo().isEmpty())
        return bad(QStringLiteral(
            "credentials do not belong in a location (use the environment, a profile or "
            "the connection dialog)"));
    if (!url.path().isEmpty() && url.path() != u"/")
        return bad(QStringLiteral("it has a path (%1)").arg(url.path()));
    return okStatus();
}

/// The location's options: region and profile into `settings` (explicit values win), and the
/// retry and timeout parameters into `network`, in their order.
Status readOptions(const QUrl &url, AwsSettings &settings,
                   QList<std::pair<QString, QString>> &network, const Refusal &bad)
{
    const QUrlQuery query(url);
    for (const auto &[name, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (name == u"region") {
            if (settings.region.isEmpty())
                settings.region = value;
        } else if (name == u"profile") {
            if (settings.profile.isEmpty())
                settings.profile = value;
        } else if (name == u"connect_timeout" || name == u"read_timeout" || name == u"deadline" ||
                   name == u"max_attempts") {
            for (const auto &[seen, ignored] : std::as_const(network)) {
                if (seen == name)
                    return bad(QStringLiteral("it gives %1 twice").arg(name));
            }
            network.append({name, value});
        } else {
            return bad(QStringLiteral("unknown option \"%1\" (region, profile, connect_timeout, "
                                      "read_timeout, deadline and max_attempts are known)")
                           .arg(name));
        }
    }
    return okStatus();
}

/// Timeouts and attempts: the defaults, then the AWS settings, then the location's.
Status applyNetworkSettings(DynamoDbClient::Options &options, const AwsConfig &resolved,
                            const QList<std::pair<QString, QString>> &network, const QString &shown)
{
    auto badSetting = [&](const Error &e) {
        return makeError(ErrorKind::Unavailable, QStringLiteral("%1: %2").arg(shown, e.message),
                         shown);
    };
    if (const auto &s = resolved.maxAttempts; !s.value.isEmpty()) {
        auto attempts = DynamoDbClient::Options::parseAttempts(s.value, s.source);
        if (!attempts)
            return badSetting(attempts.error());
        options.maxRetries = *attempts - 1;
    }
    for (const auto *s : {&resolved.connectTimeout, &resolved.readTimeout}) {
        if (s->value.isEmpty())
            continue;
        auto ms = DynamoDbClient::Options::parseSeconds(s->value, s->source, true);
        if (!ms)
            return badSetting(ms.error());
        (s == &resolved.connectTimeout ? options.connectTimeoutMs : options.readTimeoutMs) = *ms;
    }
    for (const auto &[name, value] : std::as_const(network)) {
        if (name == u"max_attempts") {
            auto attempts = DynamoDbClient::Options::parseAttempts(value, name);
            if (!attempts)
                return badSetting(attempts.error());
            options.maxRetries = *attempts - 1;
            continue;
        }
        auto ms = DynamoDbClient::Options::parseSeconds(value, name, name != u"deadline");
        if (!ms)
            return badSetting(ms.error());
        if (name == u"connect_timeout")
            options.connectTimeoutMs = *ms;
        else if (name == u"read_timeout")
            options.readTimeoutMs = *ms;
        else
            options.deadlineMs = *ms;
    }
    return okStatus();
}

/// The endpoint: AWS's of the region for dynamodb://aws, else the host and port given (https
/// for dynamodbs://); a local engine's region defaults to us-east-1.
Status setEndpoint(DynamoDbStore::Config &config, const QUrl &url, const QString &scheme, bool aws,
                   const QString &location, const QString &profile, const Refusal &bad)
{
    if (aws) {
        if (config.region.isEmpty())
            return makeError(
                ErrorKind::Unavailable,
                QStringLiteral(
                    "%1 needs a region: add ?region=R, or set AWS_REGION, or a region in "
                    "the profile \"%2\"")
                    .arg(location, profile),
                location);
        config.endpoint.setScheme(QStringLiteral("https"));
        config.endpoint.setHost(QStringLiteral("dynamodb.%1.amazonaws.com").arg(config.region));
        if (url.port() != -1)
            return bad(QStringLiteral("the AWS endpoint takes no port"));
    } else {
        config.endpoint.setScheme(scheme == u"dynamodbs" ? QStringLiteral("https")
                                                         : QStringLiteral("http"));
        config.endpoint.setHost(url.host());
        if (url.port() != -1)
            config.endpoint.setPort(url.port());
        else if (scheme == u"dynamodb")
            return bad(QStringLiteral("a local engine needs its port (dynamodb://%1:PORT)")
                           .arg(url.host()));
        if (config.region.isEmpty())
            config.region = QStringLiteral("us-east-1"); // local engines ignore it
    }
    return okStatus();
}

/// Incomplete credentials: refused for AWS, placeholders for a local engine without any.
Status completeCredentials(DynamoDbStore::Config &config, bool aws, const QString &location)
{
    if (!config.credentials.isComplete()) {
        if (!config.credentials.accessKeyId.isEmpty())
            return makeError(ErrorKind::Unavailable,
                             QStringLiteral("the %1 has no secret access key")
                                 .arg(config.credentials.describe()),
                             location);
        if (aws)
            return makeError(
                ErrorKind::Unavailable,
                QStringLiteral(
                    "no AWS credentials were found for %1 (%2); set AWS_ACCESS_KEY_ID and "
                    "AWS_SECRET_ACCESS_KEY, or name a profile with ?profile=P")
                    .arg(location, config.credentials.source),
                location);
        // DynamoDB Local, dynalite, Alternator and LocalStack accept any signed request; DynamoDB
        // Local only with an access key of letters and digits.
        config.credentials.accessKeyId = QStringLiteral("StructDeskLocal");
        config.credentials.secretAccessKey = QStringLiteral("structdesk-local");
        config.credentials.sessionToken.clear();
        config.credentials.source = QStringLiteral(
            "placeholder credentials (none are configured; local engines accept any)");
    }
    return okStatus();
}

} // namespace

Result<DynamoDbStore::Config>
DynamoDbStore::configFromLocation(const QString &location, const AwsSettings &explicitSettings,
                                  const QProcessEnvironment &environment)
{
    const QUrl url(location, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    // Messages never repeat keys someone typed into the location.
    const QString shown = url.userInfo().isEmpty() ? location : url.toString(QUrl::RemoveUserInfo);
    auto bad = [&](const QString &why) {
        return makeError(
            ErrorKind::Unavailable,
            QStringLiteral("%1 is not a DynamoDB location: %2. Use dynamodb://HOST:PORT?region=R, "
                           "dynamodbs://HOST?region=R or dynamodb://aws?region=R&profile=P")
                .arg(shown, why),
            shown);
    };
    if (auto s = checkUrl(url, scheme, bad); !s)
        return s.error();

    AwsSettings settings = explicitSettings;
    // Retry and timeout parameters, checked once the profile's settings are known.
    QList<std::pair<QString, QString>> network;
    if (auto s = readOptions(url, settings, network, bad); !s)
        return s.error();

    const bool aws = url.host().compare(QStringLiteral("aws"), Qt::CaseInsensitive) == 0;
    auto resolved = AwsCredentialResolver(environment).resolve(settings);
    if (!resolved)
        return resolved.error();
    Config config;
    config.location = location;
    config.region = resolved->region;
    config.credentials = resolved->credentials;
    if (auto s = applyNetworkSettings(config.clientOptions, *resolved, network, shown); !s)
        return s.error();
    if (auto s = setEndpoint(config, url, scheme, aws, location, resolved->profile, bad); !s)
        return s.error();
    if (auto s = completeCredentials(config, aws, location); !s)
        return s.error();
    return config;
}
