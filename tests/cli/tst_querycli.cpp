// structdesk-cli query against the embedded store: the real binary, run with QProcess on a store
// file in a temporary directory. The primary index, a secondary index, --where, --limit, and the
// refusals (unknown index, invalid key).

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
    QString describe() const
    {
        return u"exit: %1\n  stdout: %2\n  stderr: %3"_s.arg(
            QString::number(exitCode), QString::fromUtf8(out), QString::fromUtf8(err));
    }
};

const QByteArray kU1 = R"({"age":30,"userId":"u1","username":"Bob"})"_ba;
const QByteArray kU2 = R"({"age":25,"userId":"u2","username":"Alice"})"_ba;
const QByteArray kU3 = R"({"age":41,"userId":"u3","username":"Bob"})"_ba;

} // namespace

class TstQueryCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_store;

    CliRun run(const QStringList &arguments) const
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(u"STRUCTDESK_STORE"_s);
        env.insert(u"HOME"_s, m_dir.filePath(u"home"_s));
        env.insert(u"XDG_DATA_HOME"_s, m_dir.filePath(u"home/.local/share"_s));
        env.insert(u"XDG_CONFIG_HOME"_s, m_dir.filePath(u"home/.config"_s));
        env.insert(u"STRUCTDESK_JOURNAL"_s, m_dir.filePath(u"journal"_s));
        env.insert(u"LC_ALL"_s, u"C.UTF-8"_s);
        p.setProcessEnvironment(env);
        p.setWorkingDirectory(m_dir.path());
        p.start(QStringLiteral(STRUCTDESK_CLI_PATH),
                QStringList{u"--store"_s, m_store} + arguments);
        CliRun r;
        if (!p.waitForStarted(30000) || (p.closeWriteChannel(), !p.waitForFinished(60000))) {
            p.kill();
            p.waitForFinished();
            return r;
        }
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }

#define EXPECT_RUN(call, code, output)                                                             \
    do {                                                                                           \
        const CliRun r_ = (call);                                                                  \
        QVERIFY2(r_.exitCode == (code), qPrintable(r_.describe()));                                \
        QVERIFY2(r_.out == QByteArray(output), qPrintable(r_.describe()));                         \
    } while (false)

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_store = m_dir.filePath(u"query.structdesk"_s);
        const QString model = QStringLiteral(STRUCTDESK_TESTS_DIR "/data/models/users.json");
        EXPECT_RUN(run({u"create-table"_s, u"users"_s, u"--model"_s, model}), 0,
                   "created table users\n");
        for (const QByteArray &record : {kU1, kU2, kU3})
            EXPECT_RUN(run({u"put"_s, u"users"_s, QString::fromUtf8(record)}), 0, "");
    }

    void primaryIndex()
    {
        EXPECT_RUN(run({u"query"_s, u"users"_s, u"u2"_s}), 0, kU2 + '\n');
        EXPECT_RUN(run({u"query"_s, u"users"_s, u"nobody"_s}), 0, "");
        EXPECT_RUN(run({u"query"_s, u"users"_s, u"u2"_s, u"--where"_s, u"age=30"_s}), 0, "");
    }

    void secondaryIndex()
    {
        EXPECT_RUN(run({u"query"_s, u"users"_s, u"Bob"_s, u"--index"_s, u"username"_s}), 0,
                   kU1 + '\n' + kU3 + '\n');
        EXPECT_RUN(run({u"query"_s, u"users"_s, u"Bob"_s, u"--index=username"_s, u"--where"_s,
                        u"age=41"_s}),
                   0, kU3 + '\n');
        const CliRun one = run(
            {u"query"_s, u"users"_s, u"Bob"_s, u"--index"_s, u"username"_s, u"--limit"_s, u"1"_s});
        QVERIFY2(one.exitCode == 0, qPrintable(one.describe()));
        QCOMPARE(one.out.count('\n'), 1);
        EXPECT_RUN(run({u"query"_s, u"users"_s, u"Carol"_s, u"--index"_s, u"username"_s}), 0, "");
    }

    void refusals()
    {
        const CliRun unknown = run({u"query"_s, u"users"_s, u"x"_s, u"--index"_s, u"email"_s});
        QVERIFY2(unknown.exitCode == 1, qPrintable(unknown.describe()));
        QVERIFY2(unknown.err.contains("username"), qPrintable(unknown.describe()));
        QVERIFY(unknown.out.isEmpty());
        const CliRun empty = run({u"query"_s, u"users"_s, u""_s});
        QVERIFY2(empty.exitCode == 1, qPrintable(empty.describe()));
        const CliRun usage = run({u"query"_s, u"users"_s});
        QVERIFY2(usage.exitCode == 2, qPrintable(usage.describe()));
    }
};

QTEST_GUILESS_MAIN(TstQueryCli)
#include "tst_querycli.moc"
