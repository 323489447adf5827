#pragma once

#include "model/core/result.h"

#include <QHash>
#include <QProcessEnvironment>
#include <QString>

/// AWS credentials and where they came from. The secret and the session token are never put
/// into messages, logs or settings; `source` and the access key ID may be.
struct AwsCredentials
{
    QString accessKeyId;
    QString secretAccessKey;
    QString sessionToken;
    /// Where they came from, in words: "the environment (AWS_ACCESS_KEY_ID)", "profile
    /// \"dev\" in /home/me/.aws/credentials", "the connection dialog", ...
    QString source;

    bool isComplete() const { return !accessKeyId.isEmpty() && !secretAccessKey.isEmpty(); }
    /// "access key AKIA…WXYZ from <source>": safe for messages (the key ID is shortened).
    QString describe() const;
};

/// What the user gave explicitly (connection dialog, location string); empty means "not given".
struct AwsSettings
{
    QString accessKeyId;
    QString secretAccessKey;
    QString sessionToken;
    QString region;
    QString profile;
};

/// The credentials and region in force, with their sources.
struct AwsConfig
{
    AwsCredentials credentials; ///< may be incomplete when no source had any
    QString region;
    QString regionSource;
    QString profile; ///< the profile the shared files were read with

    /// A retry or timeout setting as found (its text, checked by whoever uses it) and where.
    struct Setting
    {
        QString value;  ///< empty: not set
        QString source; ///< "AWS_MAX_ATTEMPTS", "max_attempts in profile \"dev\" in FILE"
    };
    Setting maxAttempts;    ///< AWS_MAX_ATTEMPTS, else the profile's max_attempts
    Setting connectTimeout; ///< the profile's cli_connect_timeout (seconds)
    Setting readTimeout;    ///< the profile's cli_read_timeout (seconds)
};

/// Resolves credentials and region in the usual AWS order:
/// 1. explicit values (AwsSettings: keys, then an explicitly named profile);
/// 2. the environment: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN,
///    AWS_REGION then AWS_DEFAULT_REGION, AWS_PROFILE;
/// 3. the shared files ~/.aws/credentials and ~/.aws/config ("[name]" in the first, "[profile
///    name]" or "[default]" in the second), moved by AWS_SHARED_CREDENTIALS_FILE and
///    AWS_CONFIG_FILE; the profile is the explicit one, else AWS_PROFILE, else "default".
/// Also the retry and timeout settings the AWS CLI reads: AWS_MAX_ATTEMPTS, else max_attempts
/// in the profile; cli_connect_timeout and cli_read_timeout in the profile.
class AwsCredentialResolver
{
public:
    explicit AwsCredentialResolver(
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment(),
        QString homeDirectory = {});

    /// Never fails for missing credentials (the config says what was found); fails only for a
    /// named profile that exists nowhere, or an unreadable shared file.
    Result<AwsConfig> resolve(const AwsSettings &explicitSettings) const;

    /// The shared credentials and config file paths in force.
    QString credentialsFile() const;
    QString configFile() const;

    /// Parses an AWS shared file (INI): section -> key -> value. Keys are lowercased,
    /// comments (# ;) and blank lines skipped.
    static QHash<QString, QHash<QString, QString>> parseIni(const QByteArray &text);

private:
    QProcessEnvironment m_env;
    QString m_home;
};
