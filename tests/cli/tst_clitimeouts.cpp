// structdesk-cli against DynamoDB endpoints that never answer: the real binary, run with
// QProcess, against loopback listeners that never connect or never answer
// (tests/common/hanginglistener.h). It exits 3 within its deadline with a message that says
// what it waited for; --connect-timeout, --read-timeout, --deadline, the location parameters,
// AWS_MAX_ATTEMPTS and the profile set the waits; bad values are usage errors (exit 2).

#include "tests/common/hanginglistener.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

struct CliRun
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    qint64 ms = 0;
    QString describe(const QStringList &arguments) const
    {
        return u"structdesk-cli %1\n  exit: %2 after %3 ms\n  stdout: %4\n  stderr: %5"_s.arg(
            arguments.join(u' '), QString::number(exitCode), QString::number(ms),
            QString::fromUtf8(out), QString::fromUtf8(err));
    }
};

} // namespace

class TstCliTimeouts : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    CliRun run(const QStringList &arguments, const QHash<QString, QString> &extra = {}) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString &name : env.keys()) {
            if (name.startsWith(u"AWS_"_s))
                env.remove(name);
        }
        env.remove(u"STRUCTDESK_STORE"_s);
        env.insert(u"HOME"_s, m_dir.filePath(u"home"_s));
        env.insert(u"XDG_DATA_HOME"_s, m_dir.filePath(u"home/.local/share"_s));
        env.insert(u"XDG_CONFIG_HOME"_s, m_dir.filePath(u"home/.config"_s));
        env.insert(u"LC_ALL"_s, u"C.UTF-8"_s);
        for (auto it = extra.cbegin(); it != extra.cend(); ++it)
            env.insert(it.key(), it.value());
        QProcess p;
        p.setProcessEnvironment(env);
        p.setWorkingDirectory(m_dir.path());
        QElapsedTimer clock;
        clock.start();
        p.start(QStringLiteral(STRUCTDESK_CLI_PATH), arguments);
        CliRun r;
        if (!p.waitForStarted(30000))
            return r;
        p.closeWriteChannel();
        if (!p.waitForFinished(60000)) {
            p.kill();
            p.waitForFinished();
        }
        r.ms = clock.elapsed();
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }

    static QStringList quick()
    {
        return {u"--connect-timeout"_s, u"1"_s, u"--read-timeout"_s, u"1"_s,
                u"--deadline"_s,        u"3"_s};
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void aServerThatNeverAnswersIsUnavailableWithinTheDeadline_data()
    {
        QTest::addColumn<QStringList>("command");
        QTest::newRow("tables") << QStringList{u"tables"_s};
        QTest::newRow("get") << QStringList{u"get"_s, u"users"_s, u"u1"_s};
    }
    void aServerThatNeverAnswersIsUnavailableWithinTheDeadline()
    {
        QFETCH(QStringList, command);
        HangingListener listener(HangingListener::Mode::Silent);
        const QStringList arguments =
            QStringList{u"--store"_s, listener.location()} + quick() + command;
        const CliRun r = run(arguments);
        QVERIFY2(r.exitCode == 3, qPrintable(r.describe(arguments)));
        QVERIFY2(r.ms >= 2800 && r.ms < 6000, qPrintable(r.describe(arguments)));
        QVERIFY2(r.err.contains("DynamoDB at " + listener.url().toUtf8() +
                                " accepted the connection but did not answer"),
                 qPrintable(r.describe(arguments)));
        QVERIFY2(r.err.contains("connect timeout 1 s, read timeout 1 s, deadline 3 s"),
                 qPrintable(r.describe(arguments)));
        QVERIFY2(r.err.contains(" attempts in "), qPrintable(r.describe(arguments)));
        QVERIFY2(!r.err.contains("QIODevice"), qPrintable(r.describe(arguments)));
        QCOMPARE(r.err.count('\n'), 1); // one message, no warnings
        QVERIFY(r.out.isEmpty());
    }

    void aServerThatNeverConnectsSaysSo()
    {
        HangingListener listener(HangingListener::Mode::FullBacklog);
        QVERIFY(listener.refusesToConnect());
        const QStringList arguments =
            QStringList{u"--store"_s, listener.location()} + quick() + QStringList{u"tables"_s};
        const CliRun r = run(arguments);
        QVERIFY2(r.exitCode == 3, qPrintable(r.describe(arguments)));
        QVERIFY2(r.ms < 6000, qPrintable(r.describe(arguments)));
        QVERIFY2(r.err.startsWith("structdesk-cli: could not connect to DynamoDB at " +
                                  listener.url().toUtf8()),
                 qPrintable(r.describe(arguments)));
    }

    void locationParametersWorkTheSameWay()
    {
        HangingListener listener(HangingListener::Mode::Silent);
        const QStringList arguments = {
            u"--store"_s, listener.location(u"connect_timeout=1&read_timeout=1&deadline=3"_s),
            u"tables"_s};
        const CliRun r = run(arguments);
        QVERIFY2(r.exitCode == 3, qPrintable(r.describe(arguments)));
        QVERIFY2(r.ms >= 2800 && r.ms < 6000, qPrintable(r.describe(arguments)));
        QVERIFY2(r.err.contains("connect timeout 1 s, read timeout 1 s, deadline 3 s"),
                 qPrintable(r.describe(arguments)));
    }

    void flagsWinOverLocationParameters()
    {
        HangingListener listener(HangingListener::Mode::Silent);
        const QStringList arguments = {u"--store"_s,
                                       listener.location(u"read_timeout=30&deadline=60"_s),
                                       u"--read-timeout=0.5"_s, u"--deadline=2"_s, u"tables"_s};
        const CliRun r = run(arguments);
        QVERIFY2(r.exitCode == 3, qPrintable(r.describe(arguments)));
        QVERIFY2(r.ms < 5000, qPrintable(r.describe(arguments)));
        QVERIFY2(r.err.contains("read timeout 0.5 s, deadline 2 s"),
                 qPrintable(r.describe(arguments)));
    }

    void maxAttemptsComeFromTheEnvironmentAndTheProfile()
    {
        HangingListener listener(HangingListener::Mode::Silent);
        const QStringList arguments = {u"--store"_s, listener.location(), u"--read-timeout"_s,
                                       u"1"_s, u"tables"_s};
        const CliRun once = run(arguments, {{u"AWS_MAX_ATTEMPTS"_s, u"1"_s}});
        QVERIFY2(once.exitCode == 3, qPrintable(once.describe(arguments)));
        QVERIFY2(once.err.contains("no retries were allowed (1 attempt in 1."),
                 qPrintable(once.describe(arguments)));
        QCOMPARE(listener.connections(), 1);

        const QString config = m_dir.filePath(u"aws-config"_s);
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("[default]\nmax_attempts = 2\ncli_connect_timeout = 2\n");
        file.close();
        const CliRun twice = run(arguments, {{u"AWS_CONFIG_FILE"_s, config}});
        QVERIFY2(twice.exitCode == 3, qPrintable(twice.describe(arguments)));
        QVERIFY2(twice.err.contains("gave up after 1 retry (2 attempts in"),
                 qPrintable(twice.describe(arguments)));
        QVERIFY2(twice.err.contains("connect timeout 2 s, read timeout 1 s"),
                 qPrintable(twice.describe(arguments)));
        QCOMPARE(listener.connections(), 3);
    }

    void badFlagValuesAreUsageErrors_data()
    {
        QTest::addColumn<QStringList>("flags");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("not a number") << QStringList{u"--connect-timeout"_s, u"soon"_s}
                                      << u"--connect-timeout takes a number of seconds"_s;
        QTest::newRow("negative") << QStringList{u"--read-timeout=-1"_s}
                                  << u"--read-timeout takes a number of seconds"_s;
        QTest::newRow("zero deadline") << QStringList{u"--deadline"_s, u"0"_s}
                                       << u"--deadline takes a number of seconds from 0.001"_s;
        QTest::newRow("too long") << QStringList{u"--deadline"_s, u"86400"_s} << u"to 3600"_s;
        QTest::newRow("with a unit") << QStringList{u"--deadline=5s"_s} << u"not \"5s\""_s;
        QTest::newRow("missing") << QStringList{u"--deadline"_s} << u"--deadline needs a value"_s;
    }
    void badFlagValuesAreUsageErrors()
    {
        QFETCH(QStringList, flags);
        QFETCH(QString, fragment);
        const QStringList arguments =
            QStringList{u"--store"_s, u"dynamodb://127.0.0.1:1?region=eu-west-1"_s} + flags +
            (flags.size() == 1 && !flags[0].contains(u'=') ? QStringList{}
                                                           : QStringList{u"tables"_s});
        const CliRun r = run(arguments);
        QVERIFY2(r.exitCode == 2, qPrintable(r.describe(arguments)));
        QVERIFY2(r.err.contains(fragment.toUtf8()), qPrintable(r.describe(arguments)));
        QVERIFY2(r.ms < 5000, qPrintable(r.describe(arguments)));
    }

    void badLocationParametersNameTheParameter_data()
    {
        QTest::addColumn<QString>("parameters");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("not a number")
            << u"connect_timeout=soon"_s << u"connect_timeout takes a number of seconds"_s;
        QTest::newRow("zero deadline") << u"deadline=0"_s << u"deadline takes a number"_s;
        QTest::newRow("attempts") << u"max_attempts=none"_s << u"max_attempts takes a whole"_s;
        QTest::newRow("unknown") << u"timeout=5"_s << u"unknown option \"timeout\""_s;
    }
    void badLocationParametersNameTheParameter()
    {
        QFETCH(QString, parameters);
        QFETCH(QString, fragment);
        const QStringList arguments = {
            u"--store"_s, u"dynamodb://127.0.0.1:1?region=eu-west-1&"_s + parameters, u"tables"_s};
        const CliRun r = run(arguments);
        QVERIFY2(r.exitCode == 3, qPrintable(r.describe(arguments)));
        QVERIFY2(r.err.contains(fragment.toUtf8()), qPrintable(r.describe(arguments)));
    }

    void theFlagsLeaveAFileStoreAlone()
    {
        const QString store = m_dir.filePath(u"plain.structdesk"_s);
        const QString model = QStringLiteral(STRUCTDESK_TESTS_DIR) + u"/data/models/users.json"_s;
        const QStringList create = {u"--store"_s, store,        u"create-table"_s,
                                    u"users"_s,   u"--model"_s, model};
        const CliRun made = run(create);
        QVERIFY2(made.exitCode == 0, qPrintable(made.describe(create)));
        const QStringList tables =
            QStringList{u"--store"_s, store} + quick() + QStringList{u"tables"_s};
        const CliRun listed = run(tables);
        QVERIFY2(listed.exitCode == 0, qPrintable(listed.describe(tables)));
        QVERIFY2(listed.out.startsWith("users"), qPrintable(listed.describe(tables)));
    }

    void theUsageNamesTheFlags()
    {
        const CliRun r = run({u"--help"_s});
        QCOMPARE(r.exitCode, 0);
        for (const char *flag : {"--connect-timeout", "--read-timeout", "--deadline",
                                 "connect_timeout", "max_attempts"})
            QVERIFY2(r.out.contains(flag), flag);
    }
};

QTEST_GUILESS_MAIN(TstCliTimeouts)
#include "tst_clitimeouts.moc"
