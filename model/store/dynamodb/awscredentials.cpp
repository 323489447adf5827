#include "model/store/dynamodb/awscredentials.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

QString AwsCredentials::describe() const
{
    QString id = accessKeyId;
    if (id.size() > 8)
        id = id.left(4) + QChar(0x2026) + id.right(4);
    if (id.isEmpty())
        return QStringLiteral("no access key (%1)").arg(source);
    return QStringLiteral("access key %1 from %2").arg(id, source);
}

AwsCredentialResolver::AwsCredentialResolver(QProcessEnvironment environment, QString homeDirectory)
    : m_env(std::move(environment)), m_home(std::move(homeDirectory))
{
    if (m_home.isEmpty())
        m_home = m_env.value(QStringLiteral("HOME"), QDir::homePath());
}

QString AwsCredentialResolver::credentialsFile() const
{
    const QString overridden = m_env.value(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"));
    return overridden.isEmpty() ? m_home + QStringLiteral("/.aws/credentials") : overridden;
}

QString AwsCredentialResolver::configFile() const
{
    const QString overridden = m_env.value(QStringLiteral("AWS_CONFIG_FILE"));
    return overridden.isEmpty() ? m_home + QStringLiteral("/.aws/config") : overridden;
}

QHash<QString, QHash<QString, QString>> AwsCredentialResolver::parseIni(const QByteArray &text)
{
    QHash<QString, QHash<QString, QString>> sections;
    QString current;
    bool inSection = false;
    QString lastKey;
    for (const QByteArray &rawLine : text.split('\n')) {
        const QString line = QString::fromUtf8(rawLine).trimmed();
        if (line.isEmpty() || line.startsWith(u'#') || line.startsWith(u';'))
            continue;
        if (line.startsWith(u'[')) {
            const qsizetype end = line.indexOf(u']');
            current = line.mid(1, end < 0 ? -1 : end - 1).trimmed();
            // "[profile  dev]" and "[profile dev]" are the same section.
            if (current.startsWith(QStringLiteral("profile ")))
                current = QStringLiteral("profile ") + current.mid(8).trimmed();
            inSection = true;
            sections[current];
            lastKey.clear();
            continue;
        }
        if (!inSection)
            continue;
        const qsizetype eq = line.indexOf(u'=');
        if (eq < 0)
            continue;
        // Sub-sections ("s3 =\n  max_concurrent_requests = 10") are indented; their keys are
        // not credentials, so an indented line after an empty value is skipped.
        if (rawLine.startsWith(' ') || rawLine.startsWith('\t')) {
            if (!lastKey.isEmpty() && sections[current].value(lastKey).isEmpty())
                continue;
        }
        lastKey = line.left(eq).trimmed().toLower();
        QString value = line.mid(eq + 1).trimmed();
        // Inline comments need white space before the '#' or ';'.
        for (const QString &marker : {QStringLiteral(" #"), QStringLiteral(" ;"),
                                      QStringLiteral("\t#"), QStringLiteral("\t;")}) {
            const qsizetype at = value.indexOf(marker);
            if (at >= 0)
                value = value.left(at).trimmed();
        }
        sections[current].insert(lastKey, value);
    }
    return sections;
}

namespace {

struct SharedFile
{
    QString path;
    bool exists = false;
    QHash<QString, QHash<QString, QString>> sections;
};

Result<SharedFile> readShared(const QString &path)
{
    SharedFile f;
    f.path = path;
    QFile file(path);
    if (!file.exists())
        return f;
    if (!file.open(QIODevice::ReadOnly))
        return makeError(
            ErrorKind::Unavailable,
            QStringLiteral("cannot read the AWS file %1: %2").arg(path, file.errorString()), path);
    f.exists = true;
    f.sections = AwsCredentialResolver::parseIni(file.readAll());
    return f;
}

} // namespace

Result<AwsConfig> AwsCredentialResolver::resolve(const AwsSettings &given) const
{
    AwsConfig config;
    auto credentialsFileRead = readShared(credentialsFile());
    if (!credentialsFileRead)
        return credentialsFileRead.error();
    auto configFileRead = readShared(configFile());
    if (!configFileRead)
        return configFileRead.error();
    const SharedFile &creds = *credentialsFileRead;
    const SharedFile &conf = *configFileRead;

    const QString envProfile = m_env.value(QStringLiteral("AWS_PROFILE"));
    const bool explicitProfile = !given.profile.isEmpty();
    config.profile = explicitProfile
                         ? given.profile
                         : (envProfile.isEmpty() ? QStringLiteral("default") : envProfile);
    const QString profileWhy =
        explicitProfile ? QStringLiteral("given")
                        : (envProfile.isEmpty() ? QString() : QStringLiteral("AWS_PROFILE"));

    // The profile's sections: [name] in credentials; [profile name] (or [default]) in config.
    const QHash<QString, QString> credSection = creds.sections.value(config.profile);
    const bool inCreds = creds.sections.contains(config.profile);
    const QString confName =
        config.profile == u"default" && !conf.sections.contains(QStringLiteral("profile default"))
            ? QStringLiteral("default")
            : QStringLiteral("profile ") + config.profile;
    const QHash<QString, QString> confSection = conf.sections.value(confName);
    const bool inConf = conf.sections.contains(confName);
    // A profile that was asked for must exist, unless explicit keys make it irrelevant.
    if ((explicitProfile || !envProfile.isEmpty()) && !inCreds && !inConf &&
        given.accessKeyId.isEmpty())
        return makeError(ErrorKind::Unavailable,
                         QStringLiteral("the AWS profile \"%1\" (%2) is neither in %3 nor in %4")
                             .arg(config.profile, profileWhy, creds.path, conf.path));

    auto fromProfile = [&](AwsCredentials &out) {
        if (inCreds && !credSection.value(QStringLiteral("aws_access_key_id")).isEmpty()) {
            out.accessKeyId = credSection.value(QStringLiteral("aws_access_key_id"));
            out.secretAccessKey = credSection.value(QStringLiteral("aws_secret_access_key"));
            out.sessionToken = credSection.value(QStringLiteral("aws_session_token"));
            out.source = QStringLiteral("profile \"%1\" in %2").arg(config.profile, creds.path);
            return true;
        }
        if (inConf && !confSection.value(QStringLiteral("aws_access_key_id")).isEmpty()) {
            out.accessKeyId = confSection.value(QStringLiteral("aws_access_key_id"));
            out.secretAccessKey = confSection.value(QStringLiteral("aws_secret_access_key"));
            out.sessionToken = confSection.value(QStringLiteral("aws_session_token"));
            out.source = QStringLiteral("profile \"%1\" in %2").arg(config.profile, conf.path);
            return true;
        }
        return false;
    };

    AwsCredentials &c = config.credentials;
    if (!given.accessKeyId.isEmpty() || !given.secretAccessKey.isEmpty()) {
        c.accessKeyId = given.accessKeyId;
        c.secretAccessKey = given.secretAccessKey;
        c.sessionToken = given.sessionToken;
        c.source = QStringLiteral("the keys given to the connection");
    } else if (explicitProfile && fromProfile(c)) {
        // An explicitly named profile wins over the environment's keys, as in the AWS CLI.
    } else if (!m_env.value(QStringLiteral("AWS_ACCESS_KEY_ID")).isEmpty()) {
        c.accessKeyId = m_env.value(QStringLiteral("AWS_ACCESS_KEY_ID"));
        c.secretAccessKey = m_env.value(QStringLiteral("AWS_SECRET_ACCESS_KEY"));
        c.sessionToken = m_env.value(QStringLiteral("AWS_SESSION_TOKEN"));
        c.source = QStringLiteral("the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)");
    } else if (!fromProfile(c)) {
        c.source =
            QStringLiteral("no source: neither AWS_ACCESS_KEY_ID nor profile \"%1\" in %2 has keys")
                .arg(config.profile, creds.path);
    }

    if (!given.region.isEmpty()) {
        config.region = given.region;
        config.regionSource = QStringLiteral("the location");
    } else if (!m_env.value(QStringLiteral("AWS_REGION")).isEmpty()) {
        config.region = m_env.value(QStringLiteral("AWS_REGION"));
        config.regionSource = QStringLiteral("AWS_REGION");
    } else if (!m_env.value(QStringLiteral("AWS_DEFAULT_REGION")).isEmpty()) {
        config.region = m_env.value(QStringLiteral("AWS_DEFAULT_REGION"));
        config.regionSource = QStringLiteral("AWS_DEFAULT_REGION");
    } else if (!confSection.value(QStringLiteral("region")).isEmpty()) {
        config.region = confSection.value(QStringLiteral("region"));
        config.regionSource = QStringLiteral("profile \"%1\" in %2").arg(config.profile, conf.path);
    } else if (!credSection.value(QStringLiteral("region")).isEmpty()) {
        config.region = credSection.value(QStringLiteral("region"));
        config.regionSource =
            QStringLiteral("profile \"%1\" in %2").arg(config.profile, creds.path);
    }

    const QString envAttempts = m_env.value(QStringLiteral("AWS_MAX_ATTEMPTS"));
    auto fromConfig = [&](const QString &key) {
        AwsConfig::Setting setting;
        setting.value = confSection.value(key);
        if (!setting.value.isEmpty())
            setting.source =
                QStringLiteral("%1 in profile \"%2\" in %3").arg(key, config.profile, conf.path);
        return setting;
    };
    if (!envAttempts.isEmpty())
        config.maxAttempts = {envAttempts, QStringLiteral("AWS_MAX_ATTEMPTS")};
    else
        config.maxAttempts = fromConfig(QStringLiteral("max_attempts"));
    config.connectTimeout = fromConfig(QStringLiteral("cli_connect_timeout"));
    config.readTimeout = fromConfig(QStringLiteral("cli_read_timeout"));
    return config;
}
