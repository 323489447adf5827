// structdesk-cli against a DynamoDB location: the real binary, run with QProcess, talking to
// real DynamoDB-compatible servers on loopback, every test on each engine (dynalite and AWS's
// DynamoDB Local). Every command of the CLI, the exit statuses, set-model on DynamoDB and on the
// embedded store, imports of any size with their written-keys file, and a server that is down.

#include "tests/common/dynamodblocal.h"
#include "tests/common/loopbackproxy.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

struct CliRun
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QString describe(const QStringList &arguments) const
    {
        return u"structdesk-cli %1\n  exit: %2\n  stdout: %3\n  stderr: %4"_s.arg(
            arguments.join(u' '), QString::number(exitCode), QString::fromUtf8(out),
            QString::fromUtf8(err));
    }
};

const QByteArray kBob =
    R"({"age":30,"metadata":{"accountCreationTimestamp":1600000000},"tags":["a","b"],"userId":"u1","username":"Bob"})"_ba;
const QByteArray kAlice = R"({"age":"unknown","userId":"u2","username":"Alice"})"_ba;

} // namespace

class TstDynamoDbCli : public QObject
{
    Q_OBJECT

private:
    EngineSet m_engines;
    DynamoEngine *m_engine = nullptr; ///< this row's engine (init())
    QTemporaryDir m_dir;
    QString m_location;

    /// `home`: another home folder (so other attached models), empty for the usual one.
    QProcessEnvironment environment(const QString &home = {}) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString &name : env.keys()) {
            if (name.startsWith(u"AWS_"_s))
                env.remove(name);
        }
        env.remove(u"STRUCTDESK_STORE"_s);
        const QString homeName = home.isEmpty() ? u"home"_s : home;
        env.insert(u"HOME"_s, m_dir.filePath(homeName));
        env.insert(u"XDG_DATA_HOME"_s, m_dir.filePath(homeName + u"/.local/share"_s));
        env.insert(u"XDG_CONFIG_HOME"_s, m_dir.filePath(homeName + u"/.config"_s));
        env.insert(u"STRUCTDESK_JOURNAL"_s, m_dir.filePath(u"journal"_s));
        env.insert(u"LC_ALL"_s, u"C.UTF-8"_s);
        // Local engines accept any credentials; these must never be printed.
        env.insert(u"AWS_ACCESS_KEY_ID"_s, u"AKIACLITEST000000001"_s);
        env.insert(u"AWS_SECRET_ACCESS_KEY"_s, u"cli-secret-must-not-leak"_s);
        return env;
    }

    CliRun run(const QStringList &arguments, const QByteArray &input = {},
               const QString &home = {}) const
    {
        QProcess p;
        p.setProcessEnvironment(environment(home));
        p.setWorkingDirectory(m_dir.path());
        p.start(QStringLiteral(STRUCTDESK_CLI_PATH), arguments);
        CliRun r;
        if (!p.waitForStarted(30000))
            return r;
        if (!input.isEmpty())
            p.write(input);
        p.closeWriteChannel();
        if (!p.waitForFinished(120000)) {
            p.kill();
            p.waitForFinished();
            return r;
        }
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }

    CliRun onStore(const QStringList &arguments, const QByteArray &input = {}) const
    {
        return run(QStringList{u"--store"_s, m_location} + arguments, input);
    }

    QString writeFile(const QString &name, const QByteArray &bytes) const
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            f.write(bytes);
        return path;
    }

#define EXPECT_RUN(run, code, output)                                                              \
    do {                                                                                           \
        const CliRun r_ = (run);                                                                   \
        QVERIFY2(r_.exitCode == (code), qPrintable(r_.describe({})));                              \
        if (QByteArray(output) != QByteArray("*"))                                                 \
            QVERIFY2(r_.out == QByteArray(output), qPrintable(r_.describe({})));                   \
        QVERIFY2(!r_.err.contains("cli-secret-must-not-leak"), r_.err.constData());                \
    } while (false)

private slots:
    void initTestCase_data()
    {
        EngineSet::addRows();
    }
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(QDir().mkpath(m_dir.filePath(u"home/.local/share"_s)));
        QString error;
        QVERIFY2(m_engines.startAll(&error), qPrintable(error));
    }
    void init()
    {
        DYNAMO_ENGINE_OF(m_engines, engine);
        m_engine = &engine;
        m_location = engine.location(u"eu-west-2"_s);
    }

    void everyCommand()
    {
        const QString model = QStringLiteral(STRUCTDESK_TESTS_DIR "/data/models/users.json");
        EXPECT_RUN(onStore({u"create-table"_s, u"users"_s, u"--model"_s, model}), 0,
                   "created table users\n");
        EXPECT_RUN(onStore({u"create-table"_s, u"users"_s, u"--model"_s, model}), 1, "");
        EXPECT_RUN(onStore({u"tables"_s}), 0, "users\n");
        const CliRun shown = onStore({u"model"_s, u"users"_s});
        QCOMPARE(shown.exitCode, 0);
        QVERIFY(shown.out.contains("\"tokens\""));

        EXPECT_RUN(onStore({u"put"_s, u"users"_s, QString::fromUtf8(kBob)}), 0, "");
        EXPECT_RUN(onStore({u"put"_s, u"users"_s, u"-"_s}, kAlice), 0, "");
        const CliRun again = onStore({u"put"_s, u"users"_s, QString::fromUtf8(kBob)});
        QCOMPARE(again.exitCode, 1);
        QVERIFY(again.err.contains("already exists"));
        const CliRun invalid = onStore({u"put"_s, u"users"_s, uR"({"userId":"u3"})"_s});
        QCOMPARE(invalid.exitCode, 1);
        QVERIFY(invalid.err.contains("username"));
        EXPECT_RUN(onStore({u"get"_s, u"users"_s, u"u1"_s}), 0, kBob + '\n');
        EXPECT_RUN(onStore({u"get"_s, u"users"_s, u"nobody"_s}), 1, "");

        EXPECT_RUN(
            onStore({u"update"_s, u"users"_s, u"u1"_s, u"age"_s, u"31"_s, u"--return-old"_s}), 0,
            "30\n");
        EXPECT_RUN(
            onStore({u"update"_s, u"users"_s, u"u1"_s, u"tokens.{{tokenId}}.expirationTimestamp"_s,
                     u"99"_s, u"--var"_s, u"tokenId=t.1"_s}),
            0, "");
        EXPECT_RUN(
            onStore({u"update-many"_s, u"users"_s, u"u2"_s,
                     uR"({"username":"Al","nextReminderTimestamp":5})"_s, u"--return-old"_s}),
            0,
            R"({"username":"Alice"})"
            "\n");
        EXPECT_RUN(
            onStore({u"update"_s, u"users"_s, u"u2"_s, u"nextReminderTimestamp"_s, uR"("soon")"_s}),
            1, "");
        EXPECT_RUN(onStore({u"remove-field"_s, u"users"_s, u"u1"_s, u"tokens.{{tokenId}}"_s,
                            u"--var"_s, u"tokenId=t.1"_s}),
                   0,
                   R"({"expirationTimestamp":99})"
                   "\n");
        EXPECT_RUN(onStore({u"delete-field"_s, u"users"_s, u"u2"_s, u"nextReminderTimestamp"_s}), 0,
                   "");
        EXPECT_RUN(onStore({u"delete-field"_s, u"users"_s, u"u2"_s, u"nextReminderTimestamp"_s}), 1,
                   "");
        EXPECT_RUN(onStore({u"delete-field"_s, u"users"_s, u"u2"_s, u"username"_s}), 1, "");

        // query: the primary index and the secondary index on username (DynamoDB Query).
        EXPECT_RUN(onStore({u"query"_s, u"users"_s, u"u2"_s}), 0,
                   R"({"age":"unknown","userId":"u2","username":"Al"})"
                   "\n");
        EXPECT_RUN(onStore({u"query"_s, u"users"_s, u"nobody"_s}), 0, "");
        EXPECT_RUN(onStore({u"query"_s, u"users"_s, u"Al"_s, u"--index"_s, u"username"_s}), 0,
                   R"({"age":"unknown","userId":"u2","username":"Al"})"
                   "\n");
        EXPECT_RUN(onStore({u"query"_s, u"users"_s, u"Al"_s, u"--index"_s, u"username"_s,
                            u"--where"_s, u"age=1"_s}),
                   0, "");
        const CliRun unknownIndex =
            onStore({u"query"_s, u"users"_s, u"x"_s, u"--index"_s, u"email"_s});
        QCOMPARE(unknownIndex.exitCode, 1);
        QVERIFY(unknownIndex.err.contains("username"));

        EXPECT_RUN(onStore({u"count"_s, u"users"_s}), 0, "2\n");
        EXPECT_RUN(onStore({u"count"_s, u"users"_s, u"--where"_s, u"username=\"Bob\""_s}), 0,
                   "1\n");
        EXPECT_RUN(
            onStore({u"scan"_s, u"users"_s, u"--where"_s, u"age=31"_s}), 0,
            R"({"age":31,"metadata":{"accountCreationTimestamp":1600000000},"tags":["a","b"],"tokens":{},"userId":"u1","username":"Bob"})"
            "\n");
        const CliRun one = onStore({u"scan"_s, u"users"_s, u"--limit"_s, u"1"_s});
        QCOMPARE(one.exitCode, 0);
        QCOMPARE(one.out.count('\n'), 1);
        const CliRun all = onStore({u"scan"_s, u"users"_s});
        QCOMPARE(all.out.count('\n'), 2);

        const CliRun rekey = onStore({u"rekey"_s, u"users"_s, u"u2"_s, u"u9"_s});
        QVERIFY2(rekey.exitCode == 0, qPrintable(rekey.describe({})));
        EXPECT_RUN(onStore({u"get"_s, u"users"_s, u"u9"_s}), 0,
                   R"({"age":"unknown","userId":"u9","username":"Al"})"
                   "\n");
        if (m_engine->has(DynamoEngine::Feature::Transactions)) {
            // DynamoDB Local: the atomic strategy, one TransactWriteItems.
            const CliRun atomic =
                onStore({u"rekey"_s, u"users"_s, u"u9"_s, u"u8"_s, u"--strategy"_s, u"atomic"_s});
            QVERIFY2(atomic.exitCode == 0, qPrintable(atomic.describe({})));
            QVERIFY2(atomic.out.contains("transaction"), atomic.out.constData());
            EXPECT_RUN(onStore({u"rekey"_s, u"users"_s, u"u8"_s, u"u9"_s}), 0, "*");
        } else {
            // dynalite lacks transactions: the atomic strategy is refused, nothing changed.
            qInfo("%s has no transactions: rekey --strategy atomic is refused, as it must be",
                  qPrintable(m_engine->name()));
            const CliRun refused =
                onStore({u"rekey"_s, u"users"_s, u"u9"_s, u"u8"_s, u"--strategy"_s, u"atomic"_s});
            QVERIFY2(refused.exitCode == 1, qPrintable(refused.describe({})));
            QVERIFY2(refused.err.contains("no transactions"), refused.err.constData());
        }
        EXPECT_RUN(onStore({u"get"_s, u"users"_s, u"u8"_s}), 1, "");

        EXPECT_RUN(onStore({u"remove"_s, u"users"_s, u"u9"_s}), 0,
                   R"({"age":"unknown","userId":"u9","username":"Al"})"
                   "\n");
        EXPECT_RUN(onStore({u"remove"_s, u"users"_s, u"u9"_s}), 1, "");
        EXPECT_RUN(onStore({u"delete"_s, u"users"_s, u"u1"_s}), 0, "");
        EXPECT_RUN(onStore({u"delete"_s, u"users"_s, u"u1"_s}), 1, "");
        EXPECT_RUN(onStore({u"drop-table"_s, u"users"_s}), 0, "dropped table users\n");
        EXPECT_RUN(onStore({u"get"_s, u"users"_s, u"u1"_s}), 1, "");
        EXPECT_RUN(onStore({u"tables"_s}), 0, "");
    }

    void setModel()
    {
        const QString minimal = QStringLiteral(STRUCTDESK_TESTS_DIR "/data/models/minimal.json");
        const QString users = QStringLiteral(STRUCTDESK_TESTS_DIR "/data/models/users.json");
        const QString wider = writeFile(u"wider.json"_s, R"({
  "table": "whatever",
  "primaryIndex": { "hashKey": "id", "hashKeyType": "str" },
  "fields": { "id": { "type": "str", "required": true }, "name": { "type": "str", "required": true },
              "count": { "type": "int", "required": true } }
})");
        EXPECT_RUN(onStore({u"create-table"_s, u"minimal"_s, u"--model"_s, minimal}), 0,
                   "created table minimal\n");
        EXPECT_RUN(onStore({u"put"_s, u"minimal"_s, uR"({"id":"a","name":"x"})"_s}), 0, "");
        // A model whose key differs is refused; one with the same key replaces the attached one.
        const CliRun mismatch = onStore({u"set-model"_s, u"minimal"_s, u"--model"_s, users});
        QCOMPARE(mismatch.exitCode, 1);
        QVERIFY(mismatch.err.contains("does not match"));
        EXPECT_RUN(onStore({u"set-model"_s, u"minimal"_s, u"--model"_s, wider}), 0,
                   QByteArray("attached the model ") + wider.toUtf8() + " to table minimal\n");
        const CliRun shown = onStore({u"model"_s, u"minimal"_s});
        QVERIFY(shown.out.contains("\"count\""));
        QVERIFY(shown.out.contains("\"table\": \"minimal\""));
        const CliRun nowInvalid = onStore({u"put"_s, u"minimal"_s, uR"({"id":"b","name":"y"})"_s});
        QCOMPARE(nowInvalid.exitCode, 1);
        QVERIFY(nowInvalid.err.contains("count"));
        EXPECT_RUN(onStore({u"set-model"_s, u"nosuchtable"_s, u"--model"_s, wider}), 1, "");
        EXPECT_RUN(onStore({u"set-model"_s, u"minimal"_s}), 2, "");
        EXPECT_RUN(onStore({u"drop-table"_s, u"minimal"_s}), 0, "dropped table minimal\n");

        // The same command on the embedded store.
        const QString file =
            m_dir.filePath(u"embedded-%1.structdesk"_s.arg(QString::number(m_engine->port())));
        EXPECT_RUN(
            run({u"--store"_s, file, u"create-table"_s, u"minimal"_s, u"--model"_s, minimal}), 0,
            "created table minimal\n");
        EXPECT_RUN(run({u"--store"_s, file, u"set-model"_s, u"minimal"_s, u"--model"_s, wider}), 0,
                   "*");
        const CliRun embedded = run({u"--store"_s, file, u"model"_s, u"minimal"_s});
        QVERIFY(embedded.out.contains("\"count\""));
    }

    void modelWithoutAttachedModelIsInferred()
    {
        const QString minimal = QStringLiteral(STRUCTDESK_TESTS_DIR "/data/models/minimal.json");
        EXPECT_RUN(onStore({u"create-table"_s, u"sampled"_s, u"--model"_s, minimal}), 0,
                   "created table sampled\n");
        // Another home has no model attached to the table: empty, the model is the key only.
        const QString other = u"otherhome"_s;
        QVERIFY(QDir().mkpath(m_dir.filePath(other + u"/.local/share"_s)));
        const QStringList showModel{u"--store"_s, m_location, u"model"_s, u"sampled"_s};
        const CliRun empty = run(showModel, {}, other);
        QVERIFY2(empty.exitCode == 0, qPrintable(empty.describe(showModel)));
        QVERIFY(!empty.out.contains("\"name\""));
        QVERIFY2(!empty.err.contains("note:"), empty.err.constData());

        for (const char *record :
             {R"({"id":"a","name":"x","count":1})",
              R"({"id":"b","name":"y","count":2,"tags":["t"]})", R"({"id":"c","count":3})"})
            EXPECT_RUN(
                run({u"--store"_s, m_location, u"put"_s, u"sampled"_s, QString::fromUtf8(record)},
                    {}, other),
                0, "");
        const CliRun inferred = run(showModel, {}, other);
        QVERIFY2(inferred.exitCode == 0, qPrintable(inferred.describe(showModel)));
        const QJsonObject fields = QJsonDocument::fromJson(inferred.out)[u"fields"_s].toObject();
        QCOMPARE(fields[u"count"_s][u"type"_s].toString(), u"int"_s);
        QCOMPARE(fields[u"name"_s][u"type"_s].toString(), u"str"_s);
        QVERIFY2(!fields[u"count"_s][u"required"_s].toBool(), inferred.out.constData());
        QVERIFY(fields[u"id"_s][u"required"_s].toBool());
        QVERIFY2(inferred.err == "note: sampled has no attached model; this one is inferred from 3 "
                                 "sampled records (attach one with set-model)\n",
                 inferred.err.constData());
        // The usual home has the model attached at create-table: it wins, without a note.
        const CliRun attached = onStore({u"model"_s, u"sampled"_s});
        QCOMPARE(attached.exitCode, 0);
        QVERIFY(
            QJsonDocument::fromJson(attached.out)[u"fields"_s][u"name"_s][u"required"_s].toBool());
        QVERIFY2(attached.err.isEmpty(), attached.err.constData());
        EXPECT_RUN(onStore({u"drop-table"_s, u"sampled"_s}), 0, "dropped table sampled\n");
    }

    /// Imports of more than 100 records (refused whole once on servers with transactions), the
    /// exit statuses, the rejects file, and the written-keys file when the connection is lost
    /// part-way (a proxy that stops forwarding writes), checked against what the server holds.
    void importOfAnySize()
    {
        const QString minimal = QStringLiteral(STRUCTDESK_TESTS_DIR "/data/models/minimal.json");
        const QString table = u"bulk"_s;
        EXPECT_RUN(onStore({u"create-table"_s, table, u"--model"_s, minimal}), 0, "*");
        const QString tag = QString::number(m_engine->port());
        QByteArray good;
        QByteArray mixed;
        for (int i = 0; i < 500; ++i) {
            const QByteArray line = "{\"id\":\"r" + QByteArray::number(i) + "\",\"name\":\"N\"}\n";
            good += line;
            mixed += i % 200 == 7 ? "{\"id\":\"r" + QByteArray::number(i) + "\"}\n" : line;
        }
        const QString mixedFile = writeFile(u"mixed-%1.jsonl"_s.arg(tag), mixed);
        // All-or-nothing: three records fail, nothing is written, exit 1.
        const CliRun refused = onStore({u"import"_s, table, mixedFile});
        QVERIFY2(refused.exitCode == 1, qPrintable(refused.describe({})));
        QVERIFY2(refused.err.contains("mixed-" + tag.toUtf8() + ".jsonl:8: name"),
                 refused.err.constData());
        EXPECT_RUN(onStore({u"count"_s, table}), 0, "0\n");
        // Skip-invalid: the 497 valid ones, the 3 others in the rejects file, exit 1.
        const CliRun partly =
            onStore({u"import"_s, table, mixedFile, u"--mode"_s, u"skip-invalid"_s});
        QVERIFY2(partly.exitCode == 1, qPrintable(partly.describe({})));
        QVERIFY2(partly.out.startsWith("imported 497 records into bulk"), partly.out.constData());
        QFile rejects(m_dir.filePath(u"mixed-%1.rejects.jsonl"_s.arg(tag)));
        QVERIFY(rejects.open(QIODevice::ReadOnly));
        QCOMPARE(rejects.readAll().count('\n'), 3);
        EXPECT_RUN(onStore({u"count"_s, table}), 0, "497\n");
        // Exported and imported again into another table: the same 497 records.
        const QString exported = m_dir.filePath(u"bulk-%1.ddb.json"_s.arg(tag));
        EXPECT_RUN(
            onStore({u"export"_s, table, u"--format"_s, u"dynamodb-json"_s, u"--out"_s, exported}),
            0, "*");
        EXPECT_RUN(onStore({u"create-table"_s, u"bulkcopy"_s, u"--model"_s, minimal}), 0, "*");
        EXPECT_RUN(onStore({u"import"_s, u"bulkcopy"_s, exported}), 0, "*");
        const CliRun original = onStore({u"scan"_s, table});
        const CliRun copy = onStore({u"scan"_s, u"bulkcopy"_s});
        QList<QByteArray> a = original.out.split('\n');
        QList<QByteArray> b = copy.out.split('\n');
        std::sort(a.begin(), a.end());
        std::sort(b.begin(), b.end());
        QCOMPARE(a.size(), 498);
        QCOMPARE(a, b);
        EXPECT_RUN(onStore({u"drop-table"_s, u"bulkcopy"_s}), 0, "*");
        // Replacing all 500: exit 0, no written-keys file (nothing is left to undo).
        const QString goodFile = writeFile(u"good-%1.jsonl"_s.arg(tag), good);
        const CliRun replaced =
            onStore({u"import"_s, table, goodFile, u"--existing"_s, u"replace"_s});
        QVERIFY2(replaced.exitCode == 0, qPrintable(replaced.describe({})));
        QVERIFY2(replaced.out.contains("(497 replaced)"), replaced.out.constData());
        QVERIFY(!QFile::exists(m_dir.filePath(u"good-%1.written-keys.jsonl"_s.arg(tag))));
        EXPECT_RUN(onStore({u"drop-table"_s, table}), 0, "*");
    }

    void writtenKeysWhenTheConnectionIsLost_data()
    {
        QTest::addColumn<QString>("existing");
        QTest::addColumn<bool>("customFile");
        QTest::newRow("conditional writes, default file") << u"refuse"_s << false;
        QTest::newRow("batch writes, --written-keys") << u"replace"_s << true;
    }
    void writtenKeysWhenTheConnectionIsLost()
    {
        QFETCH(QString, existing);
        QFETCH(bool, customFile);
        const QString minimal = QStringLiteral(STRUCTDESK_TESTS_DIR "/data/models/minimal.json");
        const QString table = u"cut%1"_s.arg(customFile ? 2 : 1);
        EXPECT_RUN(onStore({u"create-table"_s, table, u"--model"_s, minimal}), 0, "*");
        auto writes = std::make_shared<std::atomic<int>>(0);
        LoopbackProxy proxy(m_engine->port(),
                            [writes](const QByteArray &operation, const QByteArray &, int) {
                                if (operation != "PutItem" && operation != "BatchWriteItem" &&
                                    operation != "BatchExecuteStatement")
                                    return LoopbackProxy::Reply{};
                                if ((*writes)++ < 50)
                                    return LoopbackProxy::Reply{};
                                LoopbackProxy::Reply cut;
                                cut.drop = true; // never forwarded: the server saw none of it
                                return cut;
                            });
        const QString tag = u"%1-%2"_s.arg(m_engine->port()).arg(existing);
        QByteArray content;
        for (int i = 0; i < 3000; ++i)
            content += "{\"id\":\"c" + QByteArray::number(i) + "\",\"name\":\"N\"}\n";
        const QString input = writeFile(u"cut-%1.jsonl"_s.arg(tag), content);
        const QString keysFile = customFile
                                     ? m_dir.filePath(u"keys-%1.txt"_s.arg(tag))
                                     : m_dir.filePath(u"cut-%1.written-keys.jsonl"_s.arg(tag));
        QStringList args{
            u"--store"_s, u"dynamodb://127.0.0.1:%1?region=eu-west-2"_s.arg(proxy.port()),
            u"import"_s,  table,
            input,        u"--existing"_s,
            existing};
        if (customFile)
            args << u"--written-keys"_s << keysFile;
        const CliRun r = run(args);
        // The store became unreachable: exit 3, and where the keys are.
        QVERIFY2(r.exitCode == 3, qPrintable(r.describe(args)));
        QVERIFY2(
            r.err.contains("before the import stopped; their keys are in " + keysFile.toUtf8()),
            r.err.constData());
        QVERIFY2(r.err.contains("cannot reach DynamoDB"), r.err.constData());
        QFile file(keysFile);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QSet<QString> written;
        QSet<QString> uncertain;
        for (const QByteArray &line : file.readAll().split('\n')) {
            if (line.isEmpty())
                continue;
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            const QString how = o[u"written"_s].toString();
            // New records only (the table was empty), and those whose request was under way.
            QVERIFY2(how == u"new"_s || how == u"uncertain"_s, line.constData());
            (how == u"new"_s ? written : uncertain).insert(o[u"key"_s].toString());
        }
        QVERIFY(!written.isEmpty());
        // Exactly what the server holds.
        const CliRun held = onStore({u"scan"_s, table});
        QCOMPARE(held.exitCode, 0);
        QSet<QString> there;
        for (const QByteArray &line : held.out.split('\n')) {
            if (!line.isEmpty())
                there.insert(QJsonDocument::fromJson(line)[u"id"_s].toString());
        }
        // Exactly what the server holds: the requests cut never reached it.
        QCOMPARE(there, written);
        QVERIFY(!uncertain.intersects(there));
        EXPECT_RUN(onStore({u"drop-table"_s, table}), 0, "*");
    }

    /// The server killed (SIGKILL) while the CLI imports into it: exit 3 within the deadline,
    /// the written-keys file named on stderr, and what the server holds once restarted on its
    /// data is exactly the keys listed as written, give or take those listed as uncertain.
    void writtenKeysWhenTheServerIsKilled()
    {
        std::unique_ptr<DynamoEngine> server = EngineSet::another(*m_engine);
        QString error;
        QVERIFY2(server->start(&error, true), qPrintable(error));
        const QString location = server->location(u"eu-west-2"_s);
        const QString minimal = QStringLiteral(STRUCTDESK_TESTS_DIR "/data/models/minimal.json");
        EXPECT_RUN(
            run({u"--store"_s, location, u"create-table"_s, u"killed"_s, u"--model"_s, minimal}), 0,
            "*");
        QByteArray content;
        for (int i = 0; i < 30000; ++i)
            content += "{\"id\":\"k" + QByteArray::number(i) + "\",\"name\":\"N\"}\n";
        const QString tag = QString::number(server->port());
        const QString input = writeFile(u"killed-%1.jsonl"_s.arg(tag), content);
        const QString keysFile = m_dir.filePath(u"killed-%1.written-keys.jsonl"_s.arg(tag));
        const QStringList args{u"--store"_s, location, u"--deadline"_s, u"20"_s, u"import"_s,
                               u"killed"_s,  input};
        QProcess cli;
        cli.setProcessEnvironment(environment());
        cli.setWorkingDirectory(m_dir.path());
        cli.start(QStringLiteral(STRUCTDESK_CLI_PATH), args);
        QVERIFY(cli.waitForStarted(30000));
        // Killed once some hundreds of records are in (counted through another connection).
        QElapsedTimer waited;
        waited.start();
        qint64 before = 0;
        while (waited.elapsed() < 60000 && cli.state() == QProcess::Running) {
            const CliRun c = run({u"--store"_s, location, u"count"_s, u"killed"_s});
            before = c.out.trimmed().toLongLong();
            if (before >= 300)
                break;
            QThread::msleep(50);
        }
        QVERIFY2(before >= 300 && cli.state() == QProcess::Running,
                 qPrintable(u"%1 records in before the import ended"_s.arg(before)));
        server->kill();
        QElapsedTimer sinceKill;
        sinceKill.start();
        QVERIFY(cli.waitForFinished(60000));
        const qint64 stopMs = sinceKill.elapsed();
        const CliRun r{cli.exitStatus() == QProcess::NormalExit ? cli.exitCode() : -1,
                       cli.readAllStandardOutput(), cli.readAllStandardError()};
        QVERIFY2(r.exitCode == 3, qPrintable(r.describe(args)));
        QVERIFY2(r.err.contains("cannot reach DynamoDB"), r.err.constData());
        QVERIFY2(r.err.contains("their keys are in " + keysFile.toUtf8()), r.err.constData());
        QFile file(keysFile);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QSet<QString> written;
        QSet<QString> uncertain;
        for (const QByteArray &line : file.readAll().split('\n')) {
            if (line.isEmpty())
                continue;
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            const QString how = o[u"written"_s].toString();
            QVERIFY2(how == u"new"_s || how == u"uncertain"_s, line.constData());
            (how == u"new"_s ? written : uncertain).insert(o[u"key"_s].toString());
        }
        // What was there before the kill was written, though its answer may have been lost.
        QVERIFY(qint64(written.size() + uncertain.size()) >= before);

        QVERIFY2(server->restart(&error), qPrintable(error));
        const CliRun held = run({u"--store"_s, location, u"scan"_s, u"killed"_s});
        QCOMPARE(held.exitCode, 0);
        QSet<QString> there;
        for (const QByteArray &line : held.out.split('\n')) {
            if (!line.isEmpty())
                there.insert(QJsonDocument::fromJson(line)[u"id"_s].toString());
        }
        QVERIFY2(there.contains(written),
                 qPrintable(u"%1 listed as written are not there"_s.arg((written - there).size())));
        QVERIFY2(
            (there - written).size() <= uncertain.size() && uncertain.contains(there - written),
            qPrintable(u"%1 there are not listed"_s.arg((there - written - uncertain).size())));
        qInfo("%s killed: the CLI stopped %lld ms later, %lld keys listed as written, %lld "
              "uncertain, %lld held after the restart",
              qPrintable(m_engine->name()), qlonglong(stopMs), qlonglong(written.size()),
              qlonglong(uncertain.size()), qlonglong(there.size()));
        server->kill();
    }

    void serverDown()
    {
        const QString location =
            u"dynamodb://127.0.0.1:%1?region=eu-west-2"_s.arg(DynamoEngine::freePort());
        const CliRun r = run({u"--store"_s, location, u"tables"_s});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("cannot reach DynamoDB"), r.err.constData());
        QVERIFY(r.err.contains("gave up after"));
        const CliRun bad = run({u"--store"_s, u"dynamodb://127.0.0.1:1?regoin=x"_s, u"tables"_s});
        QCOMPARE(bad.exitCode, 3);
        QVERIFY(bad.err.contains("unknown option"));
    }

    void cleanupTestCase()
    {
        m_engines.stopAll();
    }
};

QTEST_GUILESS_MAIN(TstDynamoDbCli)
#include "tst_dynamodbcli.moc"
