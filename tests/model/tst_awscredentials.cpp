// AWS credentials and region from the usual sources, in the usual order, and DynamoDB location
// strings. Secrets never appear in messages.

#include "model/store/dynamodb/awscredentials.h"
#include "model/store/dynamodb/dynamodbstore.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QString kSecretA = u"secretA/verysecret+AAAAAAAAAAAAAAAAAAAAAA"_s;
const QString kSecretB = u"secretB/verysecret+BBBBBBBBBBBBBBBBBBBBBB"_s;
const QString kSecretEnv = u"secretE/verysecret+EEEEEEEEEEEEEEEEEEEEEE"_s;

void write(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

} // namespace

class TstAwsCredentials : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;

    QProcessEnvironment env(const QHash<QString, QString> &values = {}) const
    {
        QProcessEnvironment e;
        e.insert(u"HOME"_s, m_home.path());
        for (auto it = values.cbegin(); it != values.cend(); ++it)
            e.insert(it.key(), it.value());
        return e;
    }

    AwsConfig resolve(const AwsSettings &settings, const QHash<QString, QString> &values = {})
    {
        auto r = AwsCredentialResolver(env(values)).resolve(settings);
        if (!r)
            qFatal("resolve failed: %s", qPrintable(r.error().toString()));
        return *r;
    }

private slots:
    void initTestCase()
    {
        write(m_home.filePath(u".aws/credentials"_s),
              "# shared credentials\n"
              "[default]\n"
              "aws_access_key_id = AKIADEFAULT000000001\n"
              "aws_secret_access_key = " +
                  kSecretA.toUtf8() +
                  "\n"
                  "\n"
                  "[dev]\n"
                  "aws_access_key_id=AKIADEV0000000000002 ; the dev account\n"
                  "aws_secret_access_key=" +
                  kSecretB.toUtf8() +
                  "\n"
                  "aws_session_token = tokenB\n"
                  "[broken]\n"
                  "aws_access_key_id = AKIABROKEN0000000003\n");
        write(m_home.filePath(u".aws/config"_s), "[default]\n"
                                                 "region = eu-west-1\n"
                                                 "[profile dev]\n"
                                                 "region = us-west-2\n"
                                                 "s3 =\n"
                                                 "  region = not-this-one\n"
                                                 "[profile cfgonly]\n"
                                                 "aws_access_key_id = AKIACONFIG0000000004\n"
                                                 "aws_secret_access_key = secretC\n"
                                                 "region = ap-south-1\n");
    }

    void defaultProfile()
    {
        const AwsConfig c = resolve({});
        QCOMPARE(c.credentials.accessKeyId, u"AKIADEFAULT000000001"_s);
        QCOMPARE(c.credentials.secretAccessKey, kSecretA);
        QVERIFY(c.credentials.source.contains(u"profile \"default\""_s));
        QVERIFY(c.credentials.source.contains(u".aws/credentials"_s));
        QCOMPARE(c.region, u"eu-west-1"_s);
        QVERIFY(c.regionSource.contains(u".aws/config"_s));
    }

    void explicitKeysComeFirst()
    {
        AwsSettings s;
        s.accessKeyId = u"AKIAEXPLICIT00000005"_s;
        s.secretAccessKey = u"explicit-secret"_s;
        s.region = u"sa-east-1"_s;
        const AwsConfig c = resolve(s, {{u"AWS_ACCESS_KEY_ID"_s, u"AKIAENV"_s},
                                        {u"AWS_SECRET_ACCESS_KEY"_s, kSecretEnv},
                                        {u"AWS_REGION"_s, u"eu-north-1"_s}});
        QCOMPARE(c.credentials.accessKeyId, u"AKIAEXPLICIT00000005"_s);
        QCOMPARE(c.region, u"sa-east-1"_s);
        QCOMPARE(c.regionSource, u"the location"_s);
    }

    void environmentBeforeSharedFiles()
    {
        const AwsConfig c = resolve({}, {{u"AWS_ACCESS_KEY_ID"_s, u"AKIAENV0000000000006"_s},
                                         {u"AWS_SECRET_ACCESS_KEY"_s, kSecretEnv},
                                         {u"AWS_SESSION_TOKEN"_s, u"envtoken"_s},
                                         {u"AWS_DEFAULT_REGION"_s, u"ca-central-1"_s}});
        QCOMPARE(c.credentials.accessKeyId, u"AKIAENV0000000000006"_s);
        QCOMPARE(c.credentials.sessionToken, u"envtoken"_s);
        QVERIFY(c.credentials.source.contains(u"environment"_s));
        QCOMPARE(c.region, u"ca-central-1"_s);
        // AWS_REGION wins over AWS_DEFAULT_REGION.
        const AwsConfig both = resolve(
            {}, {{u"AWS_REGION"_s, u"eu-south-1"_s}, {u"AWS_DEFAULT_REGION"_s, u"ca-central-1"_s}});
        QCOMPARE(both.region, u"eu-south-1"_s);
        QCOMPARE(both.regionSource, u"AWS_REGION"_s);
    }

    void profiles()
    {
        // AWS_PROFILE picks a profile; its region comes from [profile dev] in config, not the
        // indented sub-section.
        const AwsConfig byEnv = resolve({}, {{u"AWS_PROFILE"_s, u"dev"_s}});
        QCOMPARE(byEnv.credentials.accessKeyId, u"AKIADEV0000000000002"_s);
        QCOMPARE(byEnv.credentials.secretAccessKey, kSecretB);
        QCOMPARE(byEnv.credentials.sessionToken, u"tokenB"_s);
        QCOMPARE(byEnv.region, u"us-west-2"_s);
        // An explicit profile wins over the environment's keys.
        AwsSettings s;
        s.profile = u"dev"_s;
        const AwsConfig explicitProfile = resolve(
            s, {{u"AWS_ACCESS_KEY_ID"_s, u"AKIAENV"_s}, {u"AWS_SECRET_ACCESS_KEY"_s, kSecretEnv}});
        QCOMPARE(explicitProfile.credentials.accessKeyId, u"AKIADEV0000000000002"_s);
        // Keys may live in the config file too.
        s.profile = u"cfgonly"_s;
        const AwsConfig fromConfig = resolve(s);
        QCOMPARE(fromConfig.credentials.accessKeyId, u"AKIACONFIG0000000004"_s);
        QVERIFY(fromConfig.credentials.source.contains(u".aws/config"_s));
        QCOMPARE(fromConfig.region, u"ap-south-1"_s);
    }

    void fileOverrides()
    {
        QTemporaryDir elsewhere;
        write(elsewhere.filePath(u"creds"_s),
              "[default]\naws_access_key_id=AKIAMOVED00000000007\naws_secret_access_key=moved\n");
        write(elsewhere.filePath(u"conf"_s), "[default]\nregion=me-south-1\n");
        const AwsConfig c =
            resolve({}, {{u"AWS_SHARED_CREDENTIALS_FILE"_s, elsewhere.filePath(u"creds"_s)},
                         {u"AWS_CONFIG_FILE"_s, elsewhere.filePath(u"conf"_s)}});
        QCOMPARE(c.credentials.accessKeyId, u"AKIAMOVED00000000007"_s);
        QVERIFY(c.credentials.source.contains(elsewhere.filePath(u"creds"_s)));
        QCOMPARE(c.region, u"me-south-1"_s);
    }

    void missingProfileIsAnError()
    {
        AwsSettings s;
        s.profile = u"nope"_s;
        auto r = AwsCredentialResolver(env()).resolve(s);
        QVERIFY(!r);
        QVERIFY(r.error().message.contains(u"\"nope\""_s));
        QVERIFY(r.error().message.contains(u".aws/credentials"_s));
        QVERIFY(!r.error().message.contains(kSecretA));
        auto fromEnv = AwsCredentialResolver(env({{u"AWS_PROFILE"_s, u"gone"_s}})).resolve({});
        QVERIFY(!fromEnv);
        QVERIFY(fromEnv.error().message.contains(u"AWS_PROFILE"_s));
    }

    void describeNeverShowsSecrets()
    {
        const AwsConfig c = resolve({}, {{u"AWS_PROFILE"_s, u"dev"_s}});
        const QString text = c.credentials.describe();
        QVERIFY(!text.contains(kSecretB));
        QVERIFY(!text.contains(u"tokenB"_s));
        QVERIFY(!text.contains(u"AKIADEV0000000000002"_s));
        QVERIFY(text.contains(u"AKIA"_s) && text.contains(u"0002"_s));
        QVERIFY(text.contains(u"profile \"dev\""_s));
    }

    void locations_data()
    {
        QTest::addColumn<QString>("location");
        QTest::addColumn<QString>("endpoint"); // empty: refused
        QTest::addColumn<QString>("region");
        QTest::addColumn<QString>("keyId");
        QTest::newRow("local engine")
            << u"dynamodb://127.0.0.1:8000?region=eu-west-2"_s << u"http://127.0.0.1:8000"_s
            << u"eu-west-2"_s << u"AKIADEFAULT000000001"_s;
        QTest::newRow("local engine, region from the profile")
            << u"dynamodb://localhost:4567"_s << u"http://localhost:4567"_s << u"eu-west-1"_s
            << u"AKIADEFAULT000000001"_s;
        QTest::newRow("https engine")
            << u"dynamodbs://dynamo.example.com?region=eu-central-1"_s
            << u"https://dynamo.example.com"_s << u"eu-central-1"_s << u"AKIADEFAULT000000001"_s;
        QTest::newRow("https engine with port")
            << u"dynamodbs://dynamo.example.com:8443?region=eu-central-1"_s
            << u"https://dynamo.example.com:8443"_s << u"eu-central-1"_s
            << u"AKIADEFAULT000000001"_s;
        QTest::newRow("AWS with a profile") << u"dynamodb://aws?region=eu-west-3&profile=dev"_s
                                            << u"https://dynamodb.eu-west-3.amazonaws.com"_s
                                            << u"eu-west-3"_s << u"AKIADEV0000000000002"_s;
        QTest::newRow("AWS, region from the profile")
            << u"dynamodb://aws?profile=dev"_s << u"https://dynamodb.us-west-2.amazonaws.com"_s
            << u"us-west-2"_s << u"AKIADEV0000000000002"_s;
        QTest::newRow("unknown option") << u"dynamodb://127.0.0.1:8000?regoin=eu-west-2"_s
                                        << QString() << QString() << QString();
        QTest::newRow("local without port")
            << u"dynamodb://127.0.0.1?region=eu-west-2"_s << QString() << QString() << QString();
        QTest::newRow("keys in the location")
            << u"dynamodb://AKIA:secret@127.0.0.1:8000"_s << QString() << QString() << QString();
        QTest::newRow("a path") << u"dynamodb://127.0.0.1:8000/tables?region=x"_s << QString()
                                << QString() << QString();
        QTest::newRow("other scheme")
            << u"http://127.0.0.1:8000"_s << QString() << QString() << QString();
        QTest::newRow("missing profile") << u"dynamodb://aws?region=eu-west-1&profile=nope"_s
                                         << QString() << QString() << QString();
        QTest::newRow("profile without a secret")
            << u"dynamodb://aws?region=eu-west-1&profile=broken"_s << QString() << QString()
            << QString();
    }
    void locations()
    {
        QFETCH(QString, location);
        QFETCH(QString, endpoint);
        QFETCH(QString, region);
        QFETCH(QString, keyId);
        auto config = DynamoDbStore::configFromLocation(location, {}, env());
        if (endpoint.isEmpty()) {
            QVERIFY(!config);
            QCOMPARE(config.error().kind, ErrorKind::Unavailable);
            QVERIFY(!config.error().message.contains(kSecretA));
            QVERIFY(!config.error().message.contains(u"secret@"_s));
            return;
        }
        QVERIFY2(config, qPrintable(config ? QString() : config.error().toString()));
        QCOMPARE(config->endpoint.toString(), endpoint);
        QCOMPARE(config->region, region);
        QCOMPARE(config->credentials.accessKeyId, keyId);
        QCOMPARE(config->location, location);
    }

    void localEnginesWithoutCredentials()
    {
        QTemporaryDir empty;
        QProcessEnvironment e;
        e.insert(u"HOME"_s, empty.path());
        auto local = DynamoDbStore::configFromLocation(u"dynamodb://127.0.0.1:8000"_s, {}, e);
        QVERIFY(local);
        QVERIFY(local->credentials.isComplete());
        QVERIFY(local->credentials.source.contains(u"placeholder"_s));
        QCOMPARE(local->region, u"us-east-1"_s);
        auto aws = DynamoDbStore::configFromLocation(u"dynamodb://aws?region=eu-west-1"_s, {}, e);
        QVERIFY(!aws);
        QVERIFY(aws.error().message.contains(u"no AWS credentials"_s));
        auto noRegion = DynamoDbStore::configFromLocation(u"dynamodb://aws"_s, {}, e);
        QVERIFY(!noRegion);
        QVERIFY(noRegion.error().message.contains(u"region"_s));
    }

    void iniParsing()
    {
        const auto sections = AwsCredentialResolver::parseIni(
            "; comment\nstray = 1\n[a]\nK = v # note\nx=y;z\n[profile   b ]\nk=w\n");
        QCOMPARE(sections.value(u"a"_s).value(u"k"_s), u"v"_s);
        QCOMPARE(sections.value(u"a"_s).value(u"x"_s), u"y;z"_s);
        QCOMPARE(sections.value(u"profile b"_s).value(u"k"_s), u"w"_s);
        QVERIFY(!sections.contains(QString()));
    }
};

QTEST_APPLESS_MAIN(TstAwsCredentials)
#include "tst_awscredentials.moc"
