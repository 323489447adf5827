// Every DynamoDB request is bounded in time: against loopback servers that never connect, never
// answer, stall mid-answer or trickle forever, a call fails Unavailable within its deadline
// (plus a small margin) with a message that says which wait ran out, retries stop at the
// deadline, and a cancel (the call's callback, or StoreRunner::interrupt()) ends the wait at
// once. The settings come from location parameters, AWS_MAX_ATTEMPTS and the profile.

#include "model/core/cancellation.h"
#include "model/store/dynamodb/dynamodbclient.h"
#include "model/store/dynamodb/dynamodbstore.h"
#include "model/store/open/storefactory.h"
#include "model/store/open/storerunner.h"
#include "tests/common/hanginglistener.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFutureWatcher>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <atomic>
#include <thread>

using namespace Qt::StringLiterals;

namespace {

std::atomic<int> g_ioWarnings{0};
QtMessageHandler g_previousHandler = nullptr;

/// Counts Qt's "QIODevice::read (...): device not open" and similar warnings, from any thread.
void countIoWarnings(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (message.contains(u"QIODevice"_s))
        ++g_ioWarnings;
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

AwsCredentials testCredentials()
{
    return AwsCredentials{u"AKIDTIMEOUTTEST00001"_s, u"timeout-secret"_s, {}, u"the test"_s};
}

DynamoDbClientOptions options(int connectMs, int readMs, int deadlineMs, int retries = 6)
{
    DynamoDbClientOptions o;
    o.connectTimeoutMs = connectMs;
    o.readTimeoutMs = readMs;
    o.deadlineMs = deadlineMs;
    o.maxRetries = retries;
    o.baseDelayMs = 20;
    o.maxDelayMs = 100;
    return o;
}

struct Timed
{
    Result<Value> result = Result<Value>(Value());
    qint64 ms = 0;
};

Timed listTables(DynamoDbClient &client, const std::function<bool()> &cancelled = {})
{
    QElapsedTimer clock;
    clock.start();
    Timed t;
    t.result = client.call(u"ListTables"_s, "{}", cancelled);
    t.ms = clock.elapsed();
    return t;
}

void write(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

} // namespace

class TstDynamoDbTimeouts : public QObject
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

private slots:
    void initTestCase() { g_previousHandler = qInstallMessageHandler(countIoWarnings); }
    void init() { g_ioWarnings = 0; }
    void cleanup() { QCOMPARE(g_ioWarnings.load(), 0); }
    void cleanupTestCase() { qInstallMessageHandler(g_previousHandler); }

    // ----- each wait, named --------------------------------------------------------------

    void aConnectionThatNeverComesIsTheConnectTimeout()
    {
        HangingListener listener(HangingListener::Mode::FullBacklog);
        QVERIFY2(listener.refusesToConnect(), "the full backlog should make connecting hang");
        DynamoDbClient client(QUrl(listener.url()), u"eu-west-1"_s, testCredentials(),
                              options(300, 5000, 10000, 2));
        QStringList reasons;
        client.setRetryObserver([&](const DynamoDbClient::RetryEvent &e) { reasons << e.reason; });
        const Timed t = listTables(client);
        QVERIFY(!t.result);
        QCOMPARE(errorKindName(t.result.error().kind), errorKindName(ErrorKind::Unavailable));
        const QString m = t.result.error().message;
        QVERIFY2(
            m.startsWith(u"could not connect to DynamoDB at %1 within 0.3 s for ListTables"_s.arg(
                listener.url())),
            qPrintable(m));
        QVERIFY2(m.contains(u"connect timeout 0.3 s, read timeout 5 s, deadline 10 s"_s),
                 qPrintable(m));
        QVERIFY2(m.contains(u"gave up after 2 retries (3 attempts in"_s), qPrintable(m));
        QCOMPARE(reasons, QStringList(2, u"no connection within 0.3 s"_s));
        // Three connect timeouts and two short backoffs.
        QVERIFY2(t.ms >= 900 && t.ms < 2500, qPrintable(QString::number(t.ms)));
    }

    void aServerThatAcceptsButNeverAnswersIsTheReadTimeout()
    {
        HangingListener listener(HangingListener::Mode::Silent);
        DynamoDbClient client(QUrl(listener.url()), u"eu-west-1"_s, testCredentials(),
                              options(5000, 300, 10000, 2));
        const Timed t = listTables(client);
        QVERIFY(!t.result);
        QCOMPARE(errorKindName(t.result.error().kind), errorKindName(ErrorKind::Unavailable));
        const QString m = t.result.error().message;
        QVERIFY2(m.startsWith(u"DynamoDB at %1 accepted the connection but did not answer "
                              "ListTables within 0.3 s"_s.arg(listener.url())),
                 qPrintable(m));
        QVERIFY2(m.contains(u"gave up after 2 retries (3 attempts in"_s), qPrintable(m));
        QCOMPARE(listener.connections(), 3);
        QVERIFY2(t.ms >= 900 && t.ms < 2500, qPrintable(QString::number(t.ms)));
        QCOMPARE(client.lastFailure().httpStatus, 0);
    }

    void anAnswerThatStallsIsTheReadTimeoutToo()
    {
        HangingListener listener(HangingListener::Mode::HeadersThenStall);
        DynamoDbClient client(QUrl(listener.url()), u"eu-west-1"_s, testCredentials(),
                              options(5000, 300, 10000, 1));
        const Timed t = listTables(client);
        QVERIFY(!t.result);
        QCOMPARE(errorKindName(t.result.error().kind), errorKindName(ErrorKind::Unavailable));
        const QString m = t.result.error().message;
        QVERIFY2(m.contains(u"began answering ListTables, then sent nothing for 0.3 s"_s),
                 qPrintable(m));
        QVERIFY2(m.contains(u"bytes of it came"_s), qPrintable(m));
        QVERIFY2(m.contains(u"gave up after 1 retry (2 attempts in"_s), qPrintable(m));
    }

    // ----- the deadline --------------------------------------------------------------------

    void retriesStopAtTheDeadline()
    {
        HangingListener listener(HangingListener::Mode::Silent);
        DynamoDbClient client(QUrl(listener.url()), u"eu-west-1"_s, testCredentials(),
                              options(5000, 400, 1500, 50));
        const Timed t = listTables(client);
        QVERIFY(!t.result);
        QCOMPARE(errorKindName(t.result.error().kind), errorKindName(ErrorKind::Unavailable));
        const QString m = t.result.error().message;
        QVERIFY2(t.ms >= 1400 && t.ms < 1500 + 500, qPrintable(QString::number(t.ms)));
        QVERIFY2(client.lastRetries() < 5, qPrintable(QString::number(client.lastRetries())));
        QVERIFY2(m.contains(u"deadline 1.5 s"_s), qPrintable(m));
        QVERIFY2(m.contains(u"attempts in 1."_s), qPrintable(m));
        QVERIFY2(!m.contains(u"retries ("_s), qPrintable(m)); // not "gave up after N retries"
    }

    void theDeadlineBoundsAnAnswerThatTricklesForever()
    {
        // One byte every 100 ms: the read timeout never runs out; only the deadline ends it.
        HangingListener listener(HangingListener::Mode::Trickle);
        DynamoDbClient client(QUrl(listener.url()), u"eu-west-1"_s, testCredentials(),
                              options(5000, 300, 1200, 3));
        const Timed t = listTables(client);
        QVERIFY(!t.result);
        const QString m = t.result.error().message;
        QVERIFY2(m.startsWith(u"DynamoDB at %1 did not finish answering ListTables within the "
                              "1.2 s deadline"_s.arg(listener.url())),
                 qPrintable(m));
        QVERIFY2(m.contains(u"gave up after 1 attempt in 1."_s), qPrintable(m));
        QVERIFY2(t.ms >= 1150 && t.ms < 1200 + 500, qPrintable(QString::number(t.ms)));
    }

    void theDefaultsAreBounded()
    {
        const DynamoDbClientOptions defaults;
        QCOMPARE(defaults.connectTimeoutMs, 10000);
        QCOMPARE(defaults.readTimeoutMs, 30000);
        QCOMPARE(defaults.deadlineMs, 60000);
        QCOMPARE(defaults.describe(), u"connect timeout 10 s, read timeout 30 s, deadline 60 s"_s);
    }

    // ----- cancel --------------------------------------------------------------------------

    void cancelReturnsPromptly()
    {
        HangingListener listener(HangingListener::Mode::Silent);
        DynamoDbClient client(QUrl(listener.url()), u"eu-west-1"_s, testCredentials(), {});
        QElapsedTimer clock;
        clock.start();
        const Timed t = listTables(client, [&clock] { return clock.elapsed() > 300; });
        QVERIFY(!t.result);
        QCOMPARE(errorKindName(t.result.error().kind), errorKindName(ErrorKind::Unavailable));
        QCOMPARE(t.result.error().message, u"ListTables was cancelled"_s);
        QVERIFY2(t.ms < 300 + 1000, qPrintable(QString::number(t.ms)));
    }

    void aCancelledWriteSaysItMayHaveHappened()
    {
        HangingListener listener(HangingListener::Mode::Silent);
        DynamoDbClient client(QUrl(listener.url()), u"eu-west-1"_s, testCredentials(), {});
        QElapsedTimer clock;
        clock.start();
        auto r = client.call(u"PutItem"_s, R"({"TableName":"t","Item":{}})",
                             [&clock] { return clock.elapsed() > 300; });
        QVERIFY(!r);
        QVERIFY2(r.error().message.contains(u"may have carried it out"_s),
                 qPrintable(r.error().message));
    }

    void aCancellationScopeStopsTheCall()
    {
        HangingListener listener(HangingListener::Mode::Silent);
        DynamoDbClient client(QUrl(listener.url()), u"eu-west-1"_s, testCredentials(), {});
        std::atomic<bool> stop{false};
        std::thread stopper([&stop] {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            stop = true;
        });
        Timed t;
        {
            const Cancellation::Scope scope([&stop] { return stop.load(); });
            t = listTables(client);
        }
        stopper.join();
        QVERIFY(!t.result);
        QCOMPARE(t.result.error().message, u"ListTables was cancelled"_s);
        QVERIFY2(t.ms < 300 + 1000, qPrintable(QString::number(t.ms)));
        QVERIFY(!Cancellation::requested()); // the scope is gone
    }

    void interruptingARunnerEndsAnOpenPromptly()
    {
        // The default timeouts (10 s, 30 s, 60 s): only the interrupt can end this quickly.
        HangingListener listener(HangingListener::Mode::Silent);
        StoreRunner runner;
        QElapsedTimer clock;
        clock.start();
        QFuture<Status> opened = runner.open(listener.location());
        QTest::qWait(300);
        QVERIFY(!opened.isFinished());
        runner.interrupt();
        QTRY_VERIFY_WITH_TIMEOUT(opened.isFinished(), 1000);
        QVERIFY2(clock.elapsed() < 300 + 1000, qPrintable(QString::number(clock.elapsed())));
        const Status s = opened.result();
        QVERIFY(!s);
        QVERIFY2(s.error().message.contains(u"was cancelled"_s), qPrintable(s.error().message));
    }

    void anInterruptReachesOnlyWhatWasQueuedBeforeIt()
    {
        QTemporaryDir dir;
        StoreRunner runner;
        QFuture<Status> opened =
            runner.open(dir.filePath(u"s.structdesk"_s), StoreFactory::Create::IfMissing);
        opened.waitForFinished();
        QVERIFY(opened.result());
        // A job that waits (as a network call would) until it is told to stop.
        QFuture<Result<bool>> before = runner.run([](RecordStore &) -> Result<bool> {
            QDeadlineTimer limit(5000);
            while (!Cancellation::requested() && !limit.hasExpired())
                QThread::msleep(5);
            return Cancellation::requested();
        });
        QTest::qWait(100);
        runner.interrupt();
        QFuture<Result<bool>> after =
            runner.run([](RecordStore &) -> Result<bool> { return Cancellation::requested(); });
        QTRY_VERIFY_WITH_TIMEOUT(after.isFinished(), 2000);
        QVERIFY(before.result() && *before.result());
        QVERIFY(after.result() && !*after.result());
    }

    // ----- settings ------------------------------------------------------------------------

    void locationParametersSetTheOptions()
    {
        auto config = DynamoDbStore::configFromLocation(
            u"dynamodb://127.0.0.1:8000?region=eu-west-1&connect_timeout=5&read_timeout=20.5&"
            "deadline=90&max_attempts=3"_s,
            {}, env());
        QVERIFY2(config, qPrintable(config ? QString() : config.error().toString()));
        QCOMPARE(config->clientOptions.connectTimeoutMs, 5000);
        QCOMPARE(config->clientOptions.readTimeoutMs, 20500);
        QCOMPARE(config->clientOptions.deadlineMs, 90000);
        QCOMPARE(config->clientOptions.maxRetries, 2);
        auto plain = DynamoDbStore::configFromLocation(
            u"dynamodb://127.0.0.1:8000?region=eu-west-1"_s, {}, env());
        QVERIFY(plain);
        QCOMPARE(plain->clientOptions.connectTimeoutMs, 10000);
        QCOMPARE(plain->clientOptions.maxRetries, 6);
        auto none = DynamoDbStore::configFromLocation(
            u"dynamodb://127.0.0.1:8000?connect_timeout=0&read_timeout=0"_s, {}, env());
        QVERIFY(none);
        QCOMPARE(none->clientOptions.connectTimeoutMs, 0);
        QCOMPARE(none->clientOptions.readTimeoutMs, 0);
        QCOMPARE(none->clientOptions.deadlineMs, 60000);
    }

    void badLocationParametersAreRefused_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("not a number")
            << u"connect_timeout=abc"_s << u"connect_timeout takes a number of seconds"_s;
        QTest::newRow("negative") << u"read_timeout=-1"_s << u"read_timeout takes"_s;
        QTest::newRow("empty") << u"read_timeout="_s << u"read_timeout takes"_s;
        QTest::newRow("units") << u"deadline=10s"_s << u"deadline takes"_s;
        QTest::newRow("zero deadline") << u"deadline=0"_s << u"deadline takes"_s;
        QTest::newRow("too long") << u"deadline=3601"_s << u"to 3600"_s;
        QTest::newRow("too small") << u"connect_timeout=0.0001"_s << u"connect_timeout takes"_s;
        QTest::newRow("no attempts") << u"max_attempts=0"_s << u"max_attempts takes a whole"_s;
        QTest::newRow("attempts not whole") << u"max_attempts=1.5"_s << u"max_attempts takes"_s;
        QTest::newRow("twice") << u"deadline=5&deadline=6"_s << u"gives deadline twice"_s;
        QTest::newRow("unknown") << u"timeout=5"_s << u"unknown option \"timeout\""_s;
    }
    void badLocationParametersAreRefused()
    {
        QFETCH(QString, query);
        QFETCH(QString, fragment);
        const QString location = u"dynamodb://127.0.0.1:8000?region=eu-west-1&"_s + query;
        auto config = DynamoDbStore::configFromLocation(location, {}, env());
        QVERIFY(!config);
        QCOMPARE(errorKindName(config.error().kind), errorKindName(ErrorKind::Unavailable));
        QVERIFY2(config.error().message.contains(fragment), qPrintable(config.error().message));
        QVERIFY2(config.error().message.contains(u"dynamodb://127.0.0.1:8000"_s),
                 qPrintable(config.error().message));
    }

    void theProfileAndTheEnvironmentSetThemToo()
    {
        const QString file = m_home.filePath(u"timeouts-config"_s);
        write(file, "[default]\nregion = eu-west-1\nmax_attempts = 2\ncli_connect_timeout = 4\n"
                    "cli_read_timeout = 12\n"
                    "[profile slow]\ncli_read_timeout = 120\n"
                    "[profile broken]\nmax_attempts = many\n");
        const QHash<QString, QString> base = {{u"AWS_CONFIG_FILE"_s, file}};
        auto fromProfile =
            DynamoDbStore::configFromLocation(u"dynamodb://127.0.0.1:8000"_s, {}, env(base));
        QVERIFY2(fromProfile, qPrintable(fromProfile ? QString() : fromProfile.error().message));
        QCOMPARE(fromProfile->clientOptions.maxRetries, 1);
        QCOMPARE(fromProfile->clientOptions.connectTimeoutMs, 4000);
        QCOMPARE(fromProfile->clientOptions.readTimeoutMs, 12000);

        // AWS_MAX_ATTEMPTS wins over the profile; the location wins over both.
        QHash<QString, QString> withEnv = base;
        withEnv.insert(u"AWS_MAX_ATTEMPTS"_s, u"5"_s);
        auto fromEnv =
            DynamoDbStore::configFromLocation(u"dynamodb://127.0.0.1:8000"_s, {}, env(withEnv));
        QVERIFY(fromEnv);
        QCOMPARE(fromEnv->clientOptions.maxRetries, 4);
        auto fromLocation = DynamoDbStore::configFromLocation(
            u"dynamodb://127.0.0.1:8000?max_attempts=1&read_timeout=2"_s, {}, env(withEnv));
        QVERIFY(fromLocation);
        QCOMPARE(fromLocation->clientOptions.maxRetries, 0);
        QCOMPARE(fromLocation->clientOptions.readTimeoutMs, 2000);
        QCOMPARE(fromLocation->clientOptions.connectTimeoutMs, 4000);

        auto slow = DynamoDbStore::configFromLocation(u"dynamodb://127.0.0.1:8000?profile=slow"_s,
                                                      {}, env(base));
        QVERIFY(slow);
        QCOMPARE(slow->clientOptions.readTimeoutMs, 120000);
        QCOMPARE(slow->clientOptions.maxRetries, 6);

        // A bad value names where it came from.
        auto broken = DynamoDbStore::configFromLocation(
            u"dynamodb://127.0.0.1:8000?profile=broken"_s, {}, env(base));
        QVERIFY(!broken);
        QVERIFY2(broken.error().message.contains(
                     u"max_attempts in profile \"broken\" in %1 takes a whole number"_s.arg(file)),
                 qPrintable(broken.error().message));
        QHash<QString, QString> badEnv = base;
        badEnv.insert(u"AWS_MAX_ATTEMPTS"_s, u"-3"_s);
        auto envBroken =
            DynamoDbStore::configFromLocation(u"dynamodb://127.0.0.1:8000"_s, {}, env(badEnv));
        QVERIFY(!envBroken);
        QVERIFY2(envBroken.error().message.contains(u"AWS_MAX_ATTEMPTS takes a whole number"_s),
                 qPrintable(envBroken.error().message));
    }

    void withParametersReplacesOnlyDynamoDbLocations()
    {
        QCOMPARE(
            StoreFactory::withParameters(u"dynamodb://127.0.0.1:8000?region=eu-west-1&"
                                         "deadline=60"_s,
                                         {{u"deadline"_s, u"3"_s}, {u"read_timeout"_s, u"1"_s}}),
            u"dynamodb://127.0.0.1:8000?region=eu-west-1&deadline=3&read_timeout=1"_s);
        QCOMPARE(StoreFactory::withParameters(u"/tmp/a.structdesk"_s, {{u"deadline"_s, u"3"_s}}),
                 u"/tmp/a.structdesk"_s);
        QCOMPARE(StoreFactory::withParameters(u"dynamodb://aws?region=eu-west-1"_s, {}),
                 u"dynamodb://aws?region=eu-west-1"_s);
    }

    void secondsAreParsedStrictly_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("zeroAllowed");
        QTest::addColumn<int>("expected"); // -1: refused
        QTest::newRow("whole") << u"5"_s << false << 5000;
        QTest::newRow("decimal") << u"2.5"_s << false << 2500;
        QTest::newRow("spaces") << u" 7 "_s << false << 7000;
        QTest::newRow("millisecond") << u"0.001"_s << false << 1;
        QTest::newRow("zero refused") << u"0"_s << false << -1;
        QTest::newRow("zero allowed") << u"0"_s << true << 0;
        QTest::newRow("an hour") << u"3600"_s << false << 3600000;
        QTest::newRow("over an hour") << u"3600.5"_s << false << -1;
        QTest::newRow("exponent") << u"1e3"_s << false << -1;
        QTest::newRow("hex") << u"0x10"_s << false << -1;
        QTest::newRow("nan") << u"nan"_s << false << -1;
        QTest::newRow("sign") << u"+5"_s << false << -1;
        QTest::newRow("huge") << u"99999999999999999999"_s << false << -1;
    }
    void secondsAreParsedStrictly()
    {
        QFETCH(QString, text);
        QFETCH(bool, zeroAllowed);
        QFETCH(int, expected);
        auto ms = DynamoDbClientOptions::parseSeconds(text, u"--deadline"_s, zeroAllowed);
        if (expected < 0) {
            QVERIFY(!ms);
            QVERIFY2(ms.error().message.startsWith(u"--deadline takes a number of seconds"_s),
                     qPrintable(ms.error().message));
        } else {
            QVERIFY2(ms, qPrintable(ms ? QString() : ms.error().message));
            QCOMPARE(*ms, expected);
        }
    }
};

QTEST_GUILESS_MAIN(TstDynamoDbTimeouts)
#include "tst_dynamodbtimeouts.moc"
