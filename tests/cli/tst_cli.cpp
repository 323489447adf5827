// End-to-end tests of structdesk-cli: the real binary, run with QProcess against real store
// files in a temporary directory. Every run checks the exit status, the exact standard output
// and the standard error (empty on success, the reason on failure).

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include "model/json/jsoncodec.h"
#include "model/store/sqlite/sqlitestore.h"

using namespace Qt::StringLiterals;

namespace {

/// The records every test starts from: users u1 and u2, as `get` prints them (keys sorted).
const QByteArray kU1 =
    R"({"active":true,"age":30,"email":"bob@example.com","metadata":{"accountCreationTimestamp":1600000000},)"
    R"("tokens":{"t1":{"expirationTimestamp":1800000000,"scope":"read"}},"userId":"u1","username":"Bob"})"_ba;
const QByteArray kU2 =
    R"({"age":25,"metadata":{"accountCreationTimestamp":1600000001},"userId":"u2","username":"Alice"})"_ba;

/// A record that plain JSON cannot hold without the model's help, or without exact numbers:
/// a 38-digit integer, a 37-digit fraction, sets, base64 bytes, unicode, nulls and empty
/// containers inside `any`.
const QByteArray kLossless =
    R"({"age":30,"avatar":"AAEC/w==","luckyNumbers":[7,12345678901234567890123456789012345678],)"
    R"("metadata":{"accountCreationTimestamp":1600000000},)"
    R"("nextReminderTimestamp":12345678901234567890123456789012345678,)"
    R"("score":0.1000000000000000000000000000000000001,)"
    R"("settings":{"a":null,"b":[],"c":{},"d":[1,"x",true,-0.5]},"tags":["admin","dev"],)"
    R"("userId":"u3","username":"Zoë 🙂"})"_ba;

/// One finished (or not) run of the CLI.
struct CliRun
{
    QStringList arguments;
    bool finished = false;
    bool crashed = false;
    int exitCode = -1;
    QByteArray out;
    QByteArray err;

    QString describe() const
    {
        return u"structdesk-cli %1\n  finished: %2, crashed: %3, exit: %4\n  stdout: %5\n  stderr: %6"_s
            .arg(arguments.join(u' '), finished ? u"yes"_s : u"no"_s, crashed ? u"yes"_s : u"no"_s,
                 QString::number(exitCode), QString::fromUtf8(out), QString::fromUtf8(err));
    }
};

QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return f.write(bytes) == bytes.size();
}

/// Names of every entry under a folder (files and folders), sorted, for "nothing changed".
QStringList listing(const QString &dir)
{
    QStringList names;
    QDirIterator it(dir, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        names << QDir(dir).relativeFilePath(it.next());
    names.sort();
    return names;
}

/// A record of users whose `settings` holds `maps` nested maps: {"l":{"l":...{"l":1}}}.
QByteArray nestedRecord(const char *key, int maps)
{
    QByteArray settings = "1";
    for (int i = 0; i < maps; ++i)
        settings = R"({"l":)" + settings + '}';
    return R"({"age":1,"settings":)" + settings + R"(,"userId":")" + key + R"(","username":"n"})";
}

} // namespace

class TstCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void help_data();
    void help();
    void usageErrors_data();
    void usageErrors();

    void tablesAndModels_data();
    void tablesAndModels();
    void createTableNewStore();
    void createTableFailureLeavesNoStore_data();
    void createTableFailureLeavesNoStore();
    void modelRoundTrip();

    void records_data();
    void records();
    void updates_data();
    void updates();
    void fields_data();
    void fields();
    void scanAndCount_data();
    void scanAndCount();
    void scanManyPages();
    void scanExactNumbers_data();
    void scanExactNumbers();

    void lossless_data();
    void lossless();
    void integerKeys_data();
    void integerKeys();

    void missingStore_data();
    void missingStore();
    void foreignStore_data();
    void foreignStore();
    void lockedStore();
    void readOnlyStore_data();
    void readOnlyStore();

    void hugeMalformedModelGivesAShortMessage();
    void storeFromEnvironment();
    void storeOptionBeatsEnvironment();
    void defaultStoreInDataFolder();
    void emptyStoreOption();

private:
    /// The body of every _data() table built with addCommandColumns().
    void commandRow();
    /// Runs the CLI with exactly these arguments; `input` goes to its standard input.
    CliRun run(const QStringList &arguments, const QByteArray &input = {},
               const QProcessEnvironment &environment = {}) const;
    /// Runs the CLI on the test's store (`--store m_store` first).
    CliRun onStore(const QStringList &arguments, const QByteArray &input = {}) const
    {
        return run(QStringList{u"--store"_s, m_store} + arguments, input);
    }
    /// The environment every run gets: no STRUCTDESK_STORE, a private home and data folder.
    QProcessEnvironment cleanEnvironment() const;
    /// Replaces %MODEL%, %DATA%, %DIR% and %STORE% in fixture arguments.
    QStringList expand(const QStringList &arguments) const;
    QByteArray expand(const QByteArray &text) const;
    /// One verification for a whole run, so QEXPECT_FAIL can mark exactly one run. False when
    /// it failed (or failed as expected with Abort): the caller may stop there.
    bool check(const CliRun &r, int exitCode, const QByteArray &out,
               const QStringList &errFragments) const;
    /// A fresh store file with the users table and records u1, u2.
    QString makeStore(const QString &name);

    QTemporaryDir m_dir;
    QString m_model;
    QString m_data;
    QString m_store;
    int m_serial = 0;
};

// ---- helpers -----------------------------------------------------------------------------

void TstCli::initTestCase()
{
    QVERIFY2(m_dir.isValid(), qPrintable(m_dir.errorString()));
    QVERIFY2(QFileInfo(QStringLiteral(STRUCTDESK_CLI_PATH)).isExecutable(), STRUCTDESK_CLI_PATH);
    m_model = QStringLiteral(STRUCTDESK_TESTS_DIR "/data/models/users.json");
    m_data = QStringLiteral(STRUCTDESK_TESTS_DIR "/data/cli");
    QVERIFY2(QFile::exists(m_model), qPrintable(m_model));
    QVERIFY(QDir().mkpath(m_dir.filePath(u"home/.local/share"_s)));
    QVERIFY(QDir().mkpath(m_dir.filePath(u"home/.config"_s)));
}

void TstCli::init()
{
    m_store = makeStore(u"store-%1.structdesk"_s.arg(++m_serial));
}

QString TstCli::makeStore(const QString &name)
{
    const QString path = m_dir.filePath(name);
    CliRun r = run({u"--store"_s, path, u"create-table"_s, u"users"_s, u"--model"_s, m_model});
    check(r, 0, "created table users\n", {});
    r = run({u"--store"_s, path, u"put"_s, u"users"_s, QString::fromUtf8(kU1)});
    check(r, 0, {}, {});
    r = run({u"--store"_s, path, u"put"_s, u"users"_s, QString::fromUtf8(kU2)});
    check(r, 0, {}, {});
    return path;
}

QProcessEnvironment TstCli::cleanEnvironment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"STRUCTDESK_STORE"_s);
    env.insert(u"HOME"_s, m_dir.filePath(u"home"_s));
    env.insert(u"XDG_DATA_HOME"_s, m_dir.filePath(u"home/.local/share"_s));
    env.insert(u"XDG_CONFIG_HOME"_s, m_dir.filePath(u"home/.config"_s));
    env.insert(u"LC_ALL"_s, u"C.UTF-8"_s);
    return env;
}

CliRun TstCli::run(const QStringList &arguments, const QByteArray &input,
                   const QProcessEnvironment &environment) const
{
    CliRun r;
    r.arguments = arguments;
    QProcess p;
    p.setProcessEnvironment(environment.isEmpty() ? cleanEnvironment() : environment);
    p.setWorkingDirectory(m_dir.path());
    p.start(QStringLiteral(STRUCTDESK_CLI_PATH), arguments);
    if (!p.waitForStarted(30000))
        return r;
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished(5000);
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }
    r.finished = true;
    r.crashed = p.exitStatus() != QProcess::NormalExit;
    r.exitCode = p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QStringList TstCli::expand(const QStringList &arguments) const
{
    QStringList out;
    for (QString a : arguments) {
        a.replace(u"%MODEL%"_s, m_model);
        a.replace(u"%DATA%"_s, m_data);
        a.replace(u"%DIR%"_s, m_dir.path());
        a.replace(u"%STORE%"_s, m_store);
        out << a;
    }
    return out;
}

QByteArray TstCli::expand(const QByteArray &text) const
{
    QByteArray t = text;
    t.replace("%MODEL%", m_model.toUtf8());
    t.replace("%DATA%", m_data.toUtf8());
    t.replace("%DIR%", m_dir.path().toUtf8());
    t.replace("%STORE%", m_store.toUtf8());
    return t;
}

bool TstCli::check(const CliRun &r, int exitCode, const QByteArray &out,
                   const QStringList &errFragments) const
{
    QStringList problems;
    if (!r.finished)
        problems << u"did not finish within 30 s"_s;
    else if (r.crashed)
        problems << u"crashed"_s;
    if (r.exitCode != exitCode)
        problems << u"exit status %1, expected %2"_s.arg(r.exitCode).arg(exitCode);
    if (r.out != out)
        problems << u"stdout differs; expected: %1"_s.arg(QString::fromUtf8(out));
    const QString err = QString::fromUtf8(r.err);
    if (exitCode == 0) {
        if (!r.err.isEmpty())
            problems << u"stderr should be empty on success"_s;
    } else {
        if (!err.startsWith(u"structdesk-cli: "_s))
            problems << u"stderr should start with \"structdesk-cli: \""_s;
        if (!r.err.endsWith('\n'))
            problems << u"stderr should end with a newline"_s;
        for (const QString &fragment : errFragments) {
            if (!err.contains(fragment))
                problems << u"stderr lacks \"%1\""_s.arg(fragment);
        }
    }
    const QByteArray description = (problems.join(u"; "_s) + u"\n"_s + r.describe()).toUtf8();
    return QTest::qVerify(problems.isEmpty(), "the run as expected", description.constData(),
                          __FILE__, __LINE__);
}

// ---- help and usage errors (exit 2) ------------------------------------------------------

void TstCli::help_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("--help") << QStringList{u"--help"_s};
    QTest::newRow("-h") << QStringList{u"-h"_s};
    QTest::newRow("--help after a command") << QStringList{u"get"_s, u"--help"_s};
    QTest::newRow("--help with a missing store")
        << QStringList{u"--store"_s, u"%DIR%/nowhere.structdesk"_s, u"--help"_s};
}

void TstCli::help()
{
    QFETCH(QStringList, args);
    const CliRun r = run(expand(args));
    QVERIFY2(r.finished && !r.crashed && r.exitCode == 0 && r.err.isEmpty(),
             qPrintable(r.describe()));
    QVERIFY2(r.out.startsWith("usage: structdesk-cli [--store LOCATION] COMMAND"),
             qPrintable(r.describe()));
    // Every command of the public interface is in the usage text.
    for (const char *command :
         {"tables", "create-table TABLE --model FILE", "model TABLE", "drop-table TABLE",
          "put TABLE JSON", "get TABLE KEY", "delete TABLE KEY", "remove TABLE KEY",
          "update TABLE KEY PATH VALUE_JSON", "update-many TABLE KEY",
          "delete-field TABLE KEY PATH", "remove-field TABLE KEY PATH",
          "scan TABLE [--limit N] [--where PATH=VALUE]", "count TABLE", "--return-old",
          "--var NAME=VALUE", "$STRUCTDESK_STORE"})
        QVERIFY2(r.out.contains(command), command);
    QVERIFY(!QFile::exists(m_dir.filePath(u"nowhere.structdesk"_s)));
}

void TstCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args"); // run as is (no --store added)
    QTest::addColumn<QString>("errFragment");
    const QString s = u"--store"_s;
    const QString st = u"%STORE%"_s;
    QTest::newRow("no arguments") << QStringList{} << u"no command"_s;
    QTest::newRow("no command") << QStringList{s, st} << u"no command"_s;
    QTest::newRow("unknown command") << QStringList{s, st, u"frobnicate"_s} << u"frobnicate"_s;
    QTest::newRow("unknown option") << QStringList{s, st, u"--frob"_s, u"tables"_s} << u"--frob"_s;
    QTest::newRow("unknown option after command")
        << QStringList{s, st, u"tables"_s, u"-x"_s} << u"-x"_s;
    QTest::newRow("--store without value") << QStringList{u"--store"_s} << u"--store"_s;
    QTest::newRow("tables with an argument")
        << QStringList{s, st, u"tables"_s, u"users"_s} << u"tables"_s;
    QTest::newRow("get without key")
        << QStringList{s, st, u"get"_s, u"users"_s} << u"get TABLE KEY"_s;
    QTest::newRow("get with extra")
        << QStringList{s, st, u"get"_s, u"users"_s, u"u1"_s, u"u2"_s} << u"get TABLE KEY"_s;
    QTest::newRow("put without record")
        << QStringList{s, st, u"put"_s, u"users"_s} << u"put TABLE JSON"_s;
    QTest::newRow("delete without key")
        << QStringList{s, st, u"delete"_s, u"users"_s} << u"delete"_s;
    QTest::newRow("remove without key")
        << QStringList{s, st, u"remove"_s, u"users"_s} << u"remove"_s;
    QTest::newRow("model without table") << QStringList{s, st, u"model"_s} << u"model TABLE"_s;
    QTest::newRow("drop-table without table")
        << QStringList{s, st, u"drop-table"_s} << u"drop-table"_s;
    QTest::newRow("update without value")
        << QStringList{s, st, u"update"_s, u"users"_s, u"u1"_s, u"username"_s} << u"update"_s;
    QTest::newRow("update-many with extra")
        << QStringList{s, st, u"update-many"_s, u"users"_s, u"u1"_s, u"{}"_s, u"x"_s}
        << u"update-many"_s;
    QTest::newRow("delete-field without path")
        << QStringList{s, st, u"delete-field"_s, u"users"_s, u"u1"_s} << u"delete-field"_s;
    QTest::newRow("remove-field without path")
        << QStringList{s, st, u"remove-field"_s, u"users"_s, u"u1"_s} << u"remove-field"_s;
    QTest::newRow("scan without table") << QStringList{s, st, u"scan"_s} << u"scan"_s;
    QTest::newRow("count without table") << QStringList{s, st, u"count"_s} << u"count"_s;
    QTest::newRow("create-table without --model")
        << QStringList{s, st, u"create-table"_s, u"people"_s} << u"--model"_s;
    QTest::newRow("create-table without table")
        << QStringList{s, st, u"create-table"_s, u"--model"_s, u"%MODEL%"_s} << u"create-table"_s;
    QTest::newRow("--var without =")
        << QStringList{s,          st,         u"update"_s,
                       u"users"_s, u"u1"_s,    u"tokens.{{tokenId}}.scope"_s,
                       u"\"x\""_s, u"--var"_s, u"tokenId"_s}
        << u"NAME=VALUE"_s;
    QTest::newRow("--var with empty name")
        << QStringList{s,          st,         u"update"_s,
                       u"users"_s, u"u1"_s,    u"tokens.{{tokenId}}.scope"_s,
                       u"\"x\""_s, u"--var"_s, u"=t1"_s}
        << u"NAME=VALUE"_s;
    QTest::newRow("--var without value")
        << QStringList{s,          st,        u"update"_s, u"users"_s, u"u1"_s, u"username"_s,
                       u"\"x\""_s, u"--var"_s}
        << u"--var"_s;
    QTest::newRow("--limit not a number")
        << QStringList{s, st, u"scan"_s, u"users"_s, u"--limit"_s, u"many"_s} << u"many"_s;
    QTest::newRow("--limit negative")
        << QStringList{s, st, u"scan"_s, u"users"_s, u"--limit"_s, u"-1"_s} << u"--limit"_s;
    QTest::newRow("--where without =")
        << QStringList{s, st, u"scan"_s, u"users"_s, u"--where"_s, u"age"_s} << u"PATH=VALUE"_s;
    QTest::newRow("unknown command, missing store")
        << QStringList{s, u"%DIR%/nowhere.structdesk"_s, u"frobnicate"_s} << u"frobnicate"_s;
}

void TstCli::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, errFragment);
    const QByteArray before = readAll(m_store);
    const CliRun r = run(expand(args));
    check(r, 2, {}, {errFragment, u"usage: structdesk-cli"_s});
    // A usage error touches nothing.
    QCOMPARE(readAll(m_store), before);
    QVERIFY(!QFile::exists(m_dir.filePath(u"nowhere.structdesk"_s)));
    check(onStore({u"get"_s, u"users"_s, u"u1"_s}), 0, kU1 + '\n', {});
}

// ---- tables, create-table, model, drop-table ---------------------------------------------

/// Rows: a command on the test's store, its expected result, then a second command that
/// shows the effect (or that nothing happened).
static void addCommandColumns()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QByteArray>("out");
    QTest::addColumn<QStringList>("err");
    QTest::addColumn<QStringList>("thenArgs");
    QTest::addColumn<int>("thenExit");
    QTest::addColumn<QByteArray>("thenOut");
}

void TstCli::tablesAndModels_data()
{
    addCommandColumns();
    const QStringList tables{u"tables"_s};
    QTest::newRow("tables") << tables << QByteArray() << 0 << "users\n"_ba << QStringList{}
                            << QStringList{} << 0 << QByteArray();
    QTest::newRow("create-table another")
        << QStringList{u"create-table"_s, u"people"_s, u"--model"_s, u"%MODEL%"_s} << QByteArray()
        << 0 << "created table people\n"_ba << QStringList{} << tables << 0 << "people\nusers\n"_ba;
    QTest::newRow("create-table --model=FILE")
        << QStringList{u"create-table"_s, u"people"_s, u"--model=%MODEL%"_s} << QByteArray() << 0
        << "created table people\n"_ba << QStringList{} << tables << 0 << "people\nusers\n"_ba;
    QTest::newRow("create-table existing")
        << QStringList{u"create-table"_s, u"users"_s, u"--model"_s, u"%MODEL%"_s} << QByteArray()
        << 1 << QByteArray() << QStringList{u"already exists"_s, u"users"_s}
        << QStringList{u"get"_s, u"users"_s, u"u1"_s} << 0 << kU1 + '\n';
    QTest::newRow("create-table unknown type")
        << QStringList{u"create-table"_s, u"broken"_s, u"--model"_s,
                       u"%DATA%/model-unknown-type.json"_s}
        << QByteArray() << 1 << QByteArray()
        << QStringList{u"model-unknown-type.json"_s, u"/fields/score/type"_s, u"decimall"_s}
        << tables << 0 << "users\n"_ba;
    QTest::newRow("create-table unknown key")
        << QStringList{u"create-table"_s, u"broken"_s, u"--model"_s,
                       u"%DATA%/model-unknown-key.json"_s}
        << QByteArray() << 1 << QByteArray()
        << QStringList{u"model-unknown-key.json"_s, u"/fields/name/requird"_s} << tables << 0
        << "users\n"_ba;
    QTest::newRow("create-table malformed model")
        << QStringList{u"create-table"_s, u"broken"_s, u"--model"_s,
                       u"%DATA%/model-malformed.json"_s}
        << QByteArray() << 1 << QByteArray() << QStringList{u"model-malformed.json:6:"_s} << tables
        << 0 << "users\n"_ba;
    QTest::newRow("create-table missing model file")
        << QStringList{u"create-table"_s, u"broken"_s, u"--model"_s, u"%DATA%/no-such-model.json"_s}
        << QByteArray() << 1 << QByteArray() << QStringList{u"no-such-model.json"_s} << tables << 0
        << "users\n"_ba;
    QTest::newRow("create-table name with space")
        << QStringList{u"create-table"_s, u"two words"_s, u"--model"_s, u"%MODEL%"_s}
        << QByteArray() << 1 << QByteArray() << QStringList{u"two words"_s} << tables << 0
        << "users\n"_ba;
    QTest::newRow("create-table name too short")
        << QStringList{u"create-table"_s, u"ab"_s, u"--model"_s, u"%MODEL%"_s} << QByteArray() << 1
        << QByteArray() << QStringList{u"ab"_s} << tables << 0 << "users\n"_ba;
    QTest::newRow("create-table name with quote")
        << QStringList{u"create-table"_s, u"x\"; DROP TABLE structdesk_tables; --"_s, u"--model"_s,
                       u"%MODEL%"_s}
        << QByteArray() << 1 << QByteArray() << QStringList{} << tables << 0 << "users\n"_ba;
    QTest::newRow("create-table name too long")
        << QStringList{u"create-table"_s, QString(256, u'a'), u"--model"_s, u"%MODEL%"_s}
        << QByteArray() << 1 << QByteArray() << QStringList{} << tables << 0 << "users\n"_ba;
    QTest::newRow("model unknown table")
        << QStringList{u"model"_s, u"nosuch"_s} << QByteArray() << 1 << QByteArray()
        << QStringList{u"nosuch"_s} << QStringList{} << 0 << QByteArray();
    QTest::newRow("drop-table") << QStringList{u"drop-table"_s, u"users"_s} << QByteArray() << 0
                                << "dropped table users\n"_ba << QStringList{}
                                << QStringList{u"get"_s, u"users"_s, u"u1"_s} << 1 << QByteArray();
    QTest::newRow("drop-table unknown")
        << QStringList{u"drop-table"_s, u"nosuch"_s} << QByteArray() << 1 << QByteArray()
        << QStringList{u"nosuch"_s} << tables << 0 << "users\n"_ba;
}

void TstCli::tablesAndModels()
{
    commandRow();
}

void TstCli::commandRow()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, input);
    QFETCH(int, exitCode);
    QFETCH(QByteArray, out);
    QFETCH(QStringList, err);
    QFETCH(QStringList, thenArgs);
    QFETCH(int, thenExit);
    QFETCH(QByteArray, thenOut);
    const CliRun r = onStore(expand(args), expand(input));
    check(r, exitCode, out, err);
    // nlohmann's own messages ("[json.exception.out_of_range.406] ...") never reach a person.
    QVERIFY2(!r.err.contains("json.exception"), qPrintable(r.describe()));
    if (!thenArgs.isEmpty()) {
        const CliRun then = onStore(expand(thenArgs));
        QVERIFY2(then.finished && then.exitCode == thenExit && then.out == thenOut,
                 qPrintable(then.describe()));
    }
    if (QByteArray(QTest::currentDataTag()) == "drop-table") {
        check(onStore({u"tables"_s}), 0, {}, {});
        // The table can be created again, empty.
        check(onStore({u"create-table"_s, u"users"_s, u"--model"_s, m_model}), 0,
              "created table users\n", {});
        check(onStore({u"count"_s, u"users"_s}), 0, "0\n", {});
    }
}

// Issue 11: a 10 MB malformed model file used to give a 10 MB error line echoing the file. The
// message now names the file and the line and quotes a short excerpt; nothing is created.
void TstCli::hugeMalformedModelGivesAShortMessage()
{
    const QString path = m_dir.filePath(u"huge-bad-model.json"_s);
    QByteArray text = "{\n  \"table\": \"huge\",\n  \"primaryIndex\": {\"hashKey\": \"id\", "
                      "\"hashKeyType\": \"str\"},\n  \"fields\": {\"id\": {\"type\": \"str\", "
                      "\"required\": true, \"default\": \""_ba;
    text += QByteArray(10 * 1024 * 1024, 'x'); // never closed
    QVERIFY(writeFile(path, text));
    const QStringList before = listing(m_dir.path());
    const CliRun r = onStore({u"create-table"_s, u"huge"_s, u"--model"_s, path});
    check(r, 1, {}, {u"huge-bad-model.json:4:"_s, u"missing closing quote"_s});
    QVERIFY2(r.err.size() < 1500, qPrintable(QString::number(r.err.size())));
    QVERIFY2(!r.err.contains("json.exception"), r.err.left(1500).constData());
    QCOMPARE(listing(m_dir.path()), before);
    check(onStore({u"tables"_s}), 0, "users\n", {});
}

void TstCli::createTableNewStore()
{
    const QString path = m_dir.filePath(u"fresh.structdesk"_s);
    QVERIFY(!QFile::exists(path));
    check(run({u"--store"_s, path, u"create-table"_s, u"users"_s, u"--model"_s, m_model}), 0,
          "created table users\n", {});
    QVERIFY(QFileInfo(path).isFile());
    QVERIFY(readAll(path).startsWith(QByteArray("SQLite format 3\0", 16)));
    check(run({u"--store"_s, path, u"tables"_s}), 0, "users\n", {});
    check(run({u"--store"_s, path, u"count"_s, u"users"_s}), 0, "0\n", {});
    check(run({u"--store"_s, path, u"create-table"_s, u"users"_s, u"--model"_s, m_model}), 1, {},
          {u"already exists"_s});
    // --store=PATH is the same option.
    check(run({u"--store="_s + path, u"tables"_s}), 0, "users\n", {});
    // A store in a folder that does not exist cannot be created.
    const QString nested = m_dir.filePath(u"no/such/folder/s.structdesk"_s);
    check(run({u"--store"_s, nested, u"create-table"_s, u"users"_s, u"--model"_s, m_model}), 3, {},
          {u"no/such/folder"_s});
    QVERIFY(!QFile::exists(nested));
    QVERIFY(!QFile::exists(m_dir.filePath(u"no"_s)));
}

void TstCli::createTableFailureLeavesNoStore_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("errFragment");
    QTest::newRow("bad model file") << QStringList{u"create-table"_s, u"users"_s, u"--model"_s,
                                                   u"%DATA%/model-unknown-type.json"_s}
                                    << u"/fields/score/type"_s;
    QTest::newRow("bad table name")
        << QStringList{u"create-table"_s, u"two words"_s, u"--model"_s, u"%MODEL%"_s}
        << u"two words"_s;
}

void TstCli::createTableFailureLeavesNoStore()
{
    // A refused create-table on a new path must not leave an empty store file behind.
    QFETCH(QStringList, args);
    QFETCH(QString, errFragment);
    const QString path = m_dir.filePath(u"never-%1.structdesk"_s.arg(++m_serial));
    check(run(QStringList{u"--store"_s, path} + expand(args)), 1, {}, {errFragment});
    QVERIFY2(!QFile::exists(path), qPrintable(path));
}

void TstCli::modelRoundTrip()
{
    const CliRun r = onStore({u"model"_s, u"users"_s});
    QVERIFY2(r.finished && r.exitCode == 0 && r.err.isEmpty(), qPrintable(r.describe()));
    QVERIFY(r.out.endsWith('\n'));
    QJsonParseError error;
    const QJsonDocument printed = QJsonDocument::fromJson(r.out, &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    const QJsonDocument original = QJsonDocument::fromJson(readAll(m_model));
    const QJsonObject p = printed.object();
    const QJsonObject o = original.object();
    QCOMPARE(p.value(u"primaryIndex"_s).toObject().value(u"hashKey"_s).toString(), u"userId"_s);
    QCOMPARE(p.value(u"primaryIndex"_s).toObject().value(u"hashKeyType"_s).toString(), u"str"_s);
    QCOMPARE(p.value(u"fields"_s).toObject().keys(), o.value(u"fields"_s).toObject().keys());
    QCOMPARE(p.value(u"models"_s).toObject().keys(), o.value(u"models"_s).toObject().keys());
    QCOMPARE(p.value(u"fields"_s)
                 .toObject()
                 .value(u"age"_s)
                 .toObject()
                 .value(u"type"_s)
                 .toVariant()
                 .toStringList(),
             (QStringList{u"int"_s, u"float"_s, u"str"_s}));
    QCOMPARE(p.value(u"fields"_s)
                 .toObject()
                 .value(u"username"_s)
                 .toObject()
                 .value(u"required"_s)
                 .toBool(),
             true);
    QCOMPARE(p.value(u"fields"_s)
                 .toObject()
                 .value(u"tokens"_s)
                 .toObject()
                 .value(u"keyName"_s)
                 .toString(),
             u"tokenId"_s);

    // What `model` prints is a model file: a table created from it prints the same model.
    const QString copy = m_dir.filePath(u"printed-model-%1.json"_s.arg(++m_serial));
    QVERIFY(writeFile(copy, r.out));
    check(onStore({u"create-table"_s, u"people"_s, u"--model"_s, copy}), 0,
          "created table people\n", {});
    const CliRun again = onStore({u"model"_s, u"people"_s});
    QVERIFY2(again.finished && again.exitCode == 0, qPrintable(again.describe()));
    QJsonObject a = QJsonDocument::fromJson(again.out).object();
    QJsonObject b = p;
    a.remove(u"table"_s);
    b.remove(u"table"_s);
    QCOMPARE(a, b);
}

// ---- put, get, delete, remove -----------------------------------------------------------

void TstCli::records_data()
{
    addCommandColumns();
    const QString put = u"put"_s, users = u"users"_s;
    auto get = [](const char *key) {
        return QStringList{u"get"_s, u"users"_s, QString::fromLatin1(key)};
    };
    const QByteArray u3 =
        R"({"age":41.5,"metadata":{"accountCreationTimestamp":1600000003},"userId":"u3","username":"Carol"})"_ba;
    const QByteArray u4 =
        R"({"age":"unknown","metadata":{"accountCreationTimestamp":1600000004,"plan":"pro"},"userId":"u4","username":"Dora"})"_ba;

    QTest::newRow("put literal") << QStringList{put, users, QString::fromUtf8(u3)} << QByteArray()
                                 << 0 << QByteArray() << QStringList{} << get("u3") << 0
                                 << u3 + '\n';
    QTest::newRow("put stdin") << QStringList{put, users, u"-"_s} << u3 << 0 << QByteArray()
                               << QStringList{} << get("u3") << 0 << u3 + '\n';
    QTest::newRow("put stdin pretty")
        << QStringList{put, users, u"-"_s}
        << "{\n  \"userId\": \"u3\",\n  \"username\": \"Carol\",\n  \"age\": 41.5,\n"
           "  \"metadata\": {\"accountCreationTimestamp\": 1600000003}\n}\n"_ba
        << 0 << QByteArray() << QStringList{} << get("u3") << 0 << u3 + '\n';
    QTest::newRow("put @file") << QStringList{put, users, u"@%DATA%/record-u4.json"_s}
                               << QByteArray() << 0 << QByteArray() << QStringList{} << get("u4")
                               << 0 << u4 + '\n';
    QTest::newRow("put @missing file")
        << QStringList{put, users, u"@%DATA%/no-such-record.json"_s} << QByteArray() << 1
        << QByteArray() << QStringList{u"no-such-record.json"_s} << get("u4") << 1 << QByteArray();
    QTest::newRow("put @malformed file")
        << QStringList{put, users, u"@%DATA%/malformed-record.json"_s} << QByteArray() << 1
        << QByteArray() << QStringList{u"malformed-record.json"_s, u"line 4"_s} << get("u4") << 1
        << QByteArray();
    QTest::newRow("put malformed literal")
        << QStringList{put, users, uR"({"userId": "u3", "username": })"_s} << QByteArray() << 1
        << QByteArray() << QStringList{u"line 1, column"_s} << get("u3") << 1 << QByteArray();
    QTest::newRow("put malformed stdin")
        << QStringList{put, users, u"-"_s}
        << "{\"userId\": \"u3\",\n\"username\": \"Carol\",\n\"age\": 4x}"_ba << 1 << QByteArray()
        << QStringList{u"line 3"_s} << get("u3") << 1 << QByteArray();
    QTest::newRow("put empty stdin")
        << QStringList{put, users, u"-"_s} << QByteArray() << 1 << QByteArray() << QStringList{}
        << QStringList{u"count"_s, users} << 0 << "2\n"_ba;
    QTest::newRow("put not an object")
        << QStringList{put, users, u"[1, 2]"_s} << QByteArray() << 1 << QByteArray()
        << QStringList{} << QStringList{u"count"_s, users} << 0 << "2\n"_ba;
    QTest::newRow("put missing required field")
        << QStringList{put, users, uR"({"userId":"u9","age":1})"_s} << QByteArray() << 1
        << QByteArray() << QStringList{u"username"_s} << get("u9") << 1 << QByteArray();
    QTest::newRow("put missing nested required field")
        << QStringList{put, users,
                       uR"({"userId":"u9","username":"Zed","age":1,"metadata":{"plan":"pro"}})"_s}
        << QByteArray() << 1 << QByteArray() << QStringList{u"metadata.accountCreationTimestamp"_s}
        << get("u9") << 1 << QByteArray();
    QTest::newRow("put missing required field of a dict item")
        << QStringList{put, users,
                       uR"({"userId":"u9","username":"Zed","age":1,"tokens":{"t7":{"scope":"r"}}})"_s}
        << QByteArray() << 1 << QByteArray() << QStringList{u"tokens.t7.expirationTimestamp"_s}
        << get("u9") << 1 << QByteArray();
    QTest::newRow("put every problem named")
        << QStringList{put, users, uR"({"userId":"u9","age":true,"active":"yes"})"_s}
        << QByteArray() << 1 << QByteArray() << QStringList{u"username"_s, u"age"_s, u"active"_s}
        << get("u9") << 1 << QByteArray();
    QTest::newRow("put 33 levels deep")
        << QStringList{put, users, QString::fromUtf8(nestedRecord("u9", 32))} << QByteArray() << 1
        << QByteArray() << QStringList{u"32"_s} << get("u9") << 1 << QByteArray();
    QTest::newRow("put 39 significant digits")
        << QStringList{put, users,
                       uR"({"userId":"u9","username":"Zed","age":1,"score":123456789012345678901234567890123456789})"_s}
        << QByteArray() << 1 << QByteArray() << QStringList{u"score"_s, u"38"_s} << get("u9") << 1
        << QByteArray();
    QTest::newRow("put number out of range")
        << QStringList{put, users, uR"({"userId":"u9","username":"Zed","age":1e126})"_s}
        << QByteArray() << 1 << QByteArray() << QStringList{u"age"_s} << get("u9") << 1
        << QByteArray();
    QTest::newRow("put wrong type")
        << QStringList{put, users, uR"({"userId":"u9","username":"Zed","age":true})"_s}
        << QByteArray() << 1 << QByteArray() << QStringList{u"age"_s} << get("u9") << 1
        << QByteArray();
    QTest::newRow("put float in int field")
        << QStringList{put, users,
                       uR"({"userId":"u9","username":"Zed","age":1,"nextReminderTimestamp":1.5})"_s}
        << QByteArray() << 1 << QByteArray() << QStringList{u"nextReminderTimestamp"_s} << get("u9")
        << 1 << QByteArray();
    QTest::newRow("put set with duplicates")
        << QStringList{put, users,
                       uR"({"userId":"u9","username":"Zed","age":1,"tags":["a","a"]})"_s}
        << QByteArray() << 1 << QByteArray() << QStringList{u"tags"_s} << get("u9") << 1
        << QByteArray();
    QTest::newRow("put bytes not base64")
        << QStringList{put, users,
                       uR"({"userId":"u9","username":"Zed","age":1,"avatar":"not base64!"})"_s}
        << QByteArray() << 1 << QByteArray() << QStringList{u"avatar"_s} << get("u9") << 1
        << QByteArray();
    QTest::newRow("put without key")
        << QStringList{put, users, uR"({"username":"Zed","age":1})"_s} << QByteArray() << 1
        << QByteArray() << QStringList{u"userId"_s} << QStringList{u"count"_s, users} << 0
        << "2\n"_ba;
    QTest::newRow("put number key")
        << QStringList{put, users, uR"({"userId":9,"username":"Zed","age":1})"_s} << QByteArray()
        << 1 << QByteArray() << QStringList{u"userId"_s} << QStringList{u"count"_s, users} << 0
        << "2\n"_ba;
    QTest::newRow("put existing key")
        << QStringList{put, users, uR"({"userId":"u1","username":"Mallory","age":66})"_s}
        << QByteArray() << 1 << QByteArray() << QStringList{u"already exists"_s, u"u1"_s}
        << get("u1") << 0 << kU1 + '\n';
    QTest::newRow("put unknown table")
        << QStringList{put, u"nosuch"_s, QString::fromUtf8(u3)} << QByteArray() << 1 << QByteArray()
        << QStringList{u"nosuch"_s} << QStringList{u"tables"_s} << 0 << "users\n"_ba;

    QTest::newRow("get") << get("u1") << QByteArray() << 0 << kU1 + '\n'
                         << QStringList{} << get("u2") << 0 << kU2 + '\n';
    QTest::newRow("get absent") << get("u9") << QByteArray() << 1 << QByteArray()
                                << QStringList{u"u9"_s} << QStringList{} << 0 << QByteArray();
    QTest::newRow("get empty key") << get("") << QByteArray() << 1 << QByteArray()
                                   << QStringList{u"empty"_s} << QStringList{} << 0 << QByteArray();
    QTest::newRow("get unknown table")
        << QStringList{u"get"_s, u"nosuch"_s, u"u1"_s} << QByteArray() << 1 << QByteArray()
        << QStringList{u"nosuch"_s} << QStringList{} << 0 << QByteArray();

    QTest::newRow("delete") << QStringList{u"delete"_s, users, u"u1"_s} << QByteArray() << 0
                            << QByteArray() << QStringList{} << get("u1") << 1 << QByteArray();
    QTest::newRow("delete twice") << QStringList{u"delete"_s, users, u"u1"_s} << QByteArray() << 0
                                  << QByteArray() << QStringList{}
                                  << QStringList{u"delete"_s, users, u"u1"_s} << 1 << QByteArray();
    QTest::newRow("delete absent")
        << QStringList{u"delete"_s, users, u"u9"_s} << QByteArray() << 1 << QByteArray()
        << QStringList{u"u9"_s} << QStringList{u"count"_s, users} << 0 << "2\n"_ba;
    QTest::newRow("delete unknown table")
        << QStringList{u"delete"_s, u"nosuch"_s, u"u1"_s} << QByteArray() << 1 << QByteArray()
        << QStringList{u"nosuch"_s} << get("u1") << 0 << kU1 + '\n';

    QTest::newRow("remove") << QStringList{u"remove"_s, users, u"u2"_s} << QByteArray() << 0
                            << kU2 + '\n'
                            << QStringList{} << get("u2") << 1 << QByteArray();
    QTest::newRow("remove twice") << QStringList{u"remove"_s, users, u"u2"_s} << QByteArray() << 0
                                  << kU2 + '\n'
                                  << QStringList{} << QStringList{u"remove"_s, users, u"u2"_s} << 1
                                  << QByteArray();
    QTest::newRow("remove absent")
        << QStringList{u"remove"_s, users, u"u9"_s} << QByteArray() << 1 << QByteArray()
        << QStringList{u"u9"_s} << QStringList{u"count"_s, users} << 0 << "2\n"_ba;
}

void TstCli::records()
{
    commandRow();
}

// ---- update, update-many -----------------------------------------------------------------

void TstCli::updates_data()
{
    addCommandColumns();
    const QString update = u"update"_s, many = u"update-many"_s, users = u"users"_s;
    const QString var = u"--var"_s, old = u"--return-old"_s;
    auto get = [](const char *key) {
        return QStringList{u"get"_s, u"users"_s, QString::fromLatin1(key)};
    };
    auto u1With = [](const QByteArray &from, const QByteArray &to) {
        QByteArray r = kU1;
        Q_ASSERT(r.contains(from));
        return r.replace(from, to) + '\n';
    };
    const QByteArray u1Line = kU1 + '\n';

    QTest::newRow("missing record is created")
        << QStringList{update, users, u"u9"_s, u"username"_s, u"\"Zed\""_s} << QByteArray() << 0
        << QByteArray() << QStringList{} << get("u9") << 0
        << R"({"userId":"u9","username":"Zed"})"_ba + '\n';
    QTest::newRow("missing record, nested path")
        << QStringList{update, users, u"u9"_s, u"metadata.lastConnectionTimestamp"_s, u"5"_s}
        << QByteArray() << 0 << QByteArray() << QStringList{} << get("u9") << 0
        << R"({"metadata":{"lastConnectionTimestamp":5},"userId":"u9"})"_ba + '\n';
    QTest::newRow("field") << QStringList{update, users, u"u1"_s, u"username"_s, u"\"Robert\""_s}
                           << QByteArray() << 0 << QByteArray() << QStringList{} << get("u1") << 0
                           << u1With("\"Bob\"", "\"Robert\"");
    QTest::newRow("union type, str")
        << QStringList{update, users, u"u1"_s, u"age"_s, u"\"thirty\""_s} << QByteArray() << 0
        << QByteArray() << QStringList{} << get("u1") << 0
        << u1With("\"age\":30", "\"age\":\"thirty\"");
    QTest::newRow("nested path") << QStringList{update, users, u"u1"_s,
                                                u"metadata.lastConnectionTimestamp"_s,
                                                u"1700000000"_s}
                                 << QByteArray() << 0 << QByteArray() << QStringList{} << get("u1")
                                 << 0
                                 << u1With("1600000000}",
                                           "1600000000,\"lastConnectionTimestamp\":1700000000}");
    QTest::newRow("dict item field")
        << QStringList{update,          users,
                       u"u1"_s,         u"tokens.{{tokenId}}.expirationTimestamp"_s,
                       u"1900000000"_s, var,
                       u"tokenId=t1"_s}
        << QByteArray() << 0 << QByteArray() << QStringList{} << get("u1") << 0
        << u1With("1800000000", "1900000000");
    QTest::newRow("dict item field, --var=")
        << QStringList{update,          users,
                       u"u1"_s,         u"tokens.{{tokenId}}.expirationTimestamp"_s,
                       u"1900000000"_s, u"--var=tokenId=t1"_s}
        << QByteArray() << 0 << QByteArray() << QStringList{} << get("u1") << 0
        << u1With("1800000000", "1900000000");
    QTest::newRow("new dict item")
        << QStringList{update,
                       users,
                       u"u2"_s,
                       u"tokens.{{tokenId}}"_s,
                       u"{\"expirationTimestamp\":7}"_s,
                       var,
                       u"tokenId=t2"_s}
        << QByteArray() << 0 << QByteArray() << QStringList{} << get("u2") << 0
        << R"({"age":25,"metadata":{"accountCreationTimestamp":1600000001},"tokens":{"t2":{"expirationTimestamp":7}},"userId":"u2","username":"Alice"})"_ba +
               '\n';
    QTest::newRow("new dict item without its required field")
        << QStringList{update,
                       users,
                       u"u2"_s,
                       u"tokens.{{tokenId}}"_s,
                       u"{\"scope\":\"r\"}"_s,
                       var,
                       u"tokenId=t2"_s}
        << QByteArray() << 1 << QByteArray()
        << QStringList{u"tokens.t2"_s, u"expirationTimestamp"_s} << get("u2") << 0 << kU2 + '\n';
    QTest::newRow("list item")
        << QStringList{update,         users, u"u2"_s,        u"logs.{{logIndex}}"_s,
                       u"\"hello\""_s, var,   u"logIndex=0"_s}
        << QByteArray() << 0 << QByteArray() << QStringList{} << get("u2") << 0
        << R"({"age":25,"logs":["hello"],"metadata":{"accountCreationTimestamp":1600000001},"userId":"u2","username":"Alice"})"_ba +
               '\n';
    QTest::newRow("value from stdin")
        << QStringList{update, users, u"u2"_s, u"settings"_s, u"-"_s}
        << "{\"theme\": \"dark\", \"n\": [1, 2.50]}\n"_ba << 0 << QByteArray() << QStringList{}
        << get("u2") << 0
        << R"({"age":25,"metadata":{"accountCreationTimestamp":1600000001},"settings":{"n":[1,2.50],"theme":"dark"},"userId":"u2","username":"Alice"})"_ba +
               '\n';
    QTest::newRow("value from @file")
        << QStringList{update, users, u"u2"_s, u"settings"_s, u"@%DATA%/record-u4.json"_s}
        << QByteArray() << 0 << QByteArray() << QStringList{} << get("u2") << 0
        << R"({"age":25,"metadata":{"accountCreationTimestamp":1600000001},"settings":{"age":"unknown","metadata":{"accountCreationTimestamp":1600000004,"plan":"pro"},"userId":"u4","username":"Dora"},"userId":"u2","username":"Alice"})"_ba +
               '\n';
    QTest::newRow("set and bytes")
        << QStringList{many, users, u"u2"_s,
                       uR"({"tags":["x","y"],"avatar":"AAEC/w==","luckyNumbers":[3,1]})"_s}
        << QByteArray() << 0 << QByteArray() << QStringList{} << get("u2") << 0
        << R"({"age":25,"avatar":"AAEC/w==","luckyNumbers":[3,1],"metadata":{"accountCreationTimestamp":1600000001},"tags":["x","y"],"userId":"u2","username":"Alice"})"_ba +
               '\n';
    QTest::newRow("wrong type") << QStringList{update, users, u"u1"_s, u"age"_s, u"true"_s}
                                << QByteArray() << 1 << QByteArray() << QStringList{u"age"_s}
                                << get("u1") << 0 << u1Line;
    QTest::newRow("wrong type, nested")
        << QStringList{update, users, u"u1"_s, u"metadata.lastConnectionTimestamp"_s, u"\"soon\""_s}
        << QByteArray() << 1 << QByteArray() << QStringList{u"metadata.lastConnectionTimestamp"_s}
        << get("u1") << 0 << u1Line;
    QTest::newRow("wrong type, dict item field")
        << QStringList{update,         users,
                       u"u1"_s,        u"tokens.{{tokenId}}.expirationTimestamp"_s,
                       u"\"never\""_s, var,
                       u"tokenId=t1"_s}
        << QByteArray() << 1 << QByteArray() << QStringList{u"tokens.t1.expirationTimestamp"_s}
        << get("u1") << 0 << u1Line;
    QTest::newRow("wrong type on a missing record writes nothing")
        << QStringList{update, users, u"u9"_s, u"age"_s, u"[1]"_s} << QByteArray() << 1
        << QByteArray() << QStringList{u"age"_s} << get("u9") << 1 << QByteArray();
    QTest::newRow("required field set to null")
        << QStringList{update, users, u"u1"_s, u"username"_s, u"null"_s} << QByteArray() << 1
        << QByteArray() << QStringList{u"username"_s} << get("u1") << 0 << u1Line;
    QTest::newRow("unknown field")
        << QStringList{update, users, u"u1"_s, u"nosuch"_s, u"1"_s} << QByteArray() << 1
        << QByteArray() << QStringList{u"nosuch"_s} << get("u1") << 0 << u1Line;
    QTest::newRow("unknown nested field")
        << QStringList{update, users, u"u1"_s, u"metadata.nosuch"_s, u"1"_s} << QByteArray() << 1
        << QByteArray() << QStringList{u"nosuch"_s} << get("u1") << 0 << u1Line;
    QTest::newRow("variable not given")
        << QStringList{update, users, u"u1"_s, u"tokens.{{tokenId}}.scope"_s, u"\"w\""_s}
        << QByteArray() << 1 << QByteArray() << QStringList{u"tokenId"_s} << get("u1") << 0
        << u1Line;
    QTest::newRow("key attribute")
        << QStringList{update, users, u"u1"_s, u"userId"_s, u"\"u7\""_s} << QByteArray() << 1
        << QByteArray() << QStringList{u"userId"_s, u"key"_s} << get("u7") << 1 << QByteArray();
    QTest::newRow("malformed value")
        << QStringList{update, users, u"u1"_s, u"username"_s, u"\"unterminated"_s} << QByteArray()
        << 1 << QByteArray() << QStringList{u"line 1"_s} << get("u1") << 0 << u1Line;
    QTest::newRow("bare word value is not JSON")
        << QStringList{update, users, u"u1"_s, u"username"_s, u"Robert"_s} << QByteArray() << 1
        << QByteArray() << QStringList{u"line 1"_s} << get("u1") << 0 << u1Line;
    QTest::newRow("unknown table")
        << QStringList{update, u"nosuch"_s, u"u1"_s, u"username"_s, u"\"x\""_s} << QByteArray() << 1
        << QByteArray() << QStringList{u"nosuch"_s} << QStringList{u"tables"_s} << 0
        << "users\n"_ba;
    QTest::newRow("--return-old") << QStringList{update,        users,           u"u1"_s,
                                                 u"username"_s, u"\"Robert\""_s, old}
                                  << QByteArray() << 0 << "\"Bob\"\n"_ba << QStringList{}
                                  << get("u1") << 0 << u1With("\"Bob\"", "\"Robert\"");
    QTest::newRow("--return-old before the arguments")
        << QStringList{old, update, users, u"u1"_s, u"username"_s, u"\"Robert\""_s} << QByteArray()
        << 0 << "\"Bob\"\n"_ba << QStringList{} << get("u1") << 0
        << u1With("\"Bob\"", "\"Robert\"");
    QTest::newRow("--return-old of a map")
        << QStringList{update, users, u"u1"_s, u"metadata"_s, u"{\"accountCreationTimestamp\":1}"_s,
                       old}
        << QByteArray() << 0 << "{\"accountCreationTimestamp\":1600000000}\n"_ba << QStringList{}
        << get("u1") << 0
        << u1With("\"accountCreationTimestamp\":1600000000", "\"accountCreationTimestamp\":1");
    QTest::newRow("--return-old of an absent field")
        << QStringList{update, users, u"u2"_s, u"email"_s, u"\"a@example.com\""_s, old}
        << QByteArray() << 0 << QByteArray() << QStringList{} << get("u2") << 0
        << R"({"age":25,"email":"a@example.com","metadata":{"accountCreationTimestamp":1600000001},"userId":"u2","username":"Alice"})"_ba +
               '\n';

    QTest::newRow("many: two paths")
        << QStringList{many, users, u"u1"_s,
                       uR"({"username":"Rob","metadata.lastConnectionTimestamp":5})"_s}
        << QByteArray() << 0 << QByteArray() << QStringList{} << get("u1") << 0
        << u1With("1600000000}", "1600000000,\"lastConnectionTimestamp\":5}")
               .replace("\"Bob\"", "\"Rob\"");
    QTest::newRow("many: missing record is created")
        << QStringList{many, users, u"u9"_s, uR"({"username":"Zed","age":3})"_s} << QByteArray()
        << 0 << QByteArray() << QStringList{} << get("u9") << 0
        << R"({"age":3,"userId":"u9","username":"Zed"})"_ba + '\n';
    QTest::newRow("many: variables")
        << QStringList{many,
                       users,
                       u"u1"_s,
                       uR"({"tokens.{{tokenId}}.expirationTimestamp":9,"tokens.{{tokenId}}.scope":"rw"})"_s,
                       var,
                       u"tokenId=t1"_s}
        << QByteArray() << 0 << QByteArray() << QStringList{} << get("u1") << 0
        << u1With(R"({"expirationTimestamp":1800000000,"scope":"read"})",
                  R"({"expirationTimestamp":9,"scope":"rw"})");
    QTest::newRow("many: @file")
        << QStringList{many, users, u"u1"_s, u"@%DATA%/updates-u1.json"_s, var, u"tokenId=t1"_s}
        << QByteArray() << 0 << QByteArray() << QStringList{} << get("u1") << 0
        << u1With("1600000000}", "1600000000,\"plan\":\"team\"}").replace("\"read\"", "\"write\"");
    QTest::newRow("many: stdin") << QStringList{many, users, u"u1"_s, u"-"_s}
                                 << "{\"email\": null}"_ba << 0 << QByteArray() << QStringList{}
                                 << get("u1") << 0 << u1With("\"bob@example.com\"", "null");
    QTest::newRow("many: one invalid writes nothing")
        << QStringList{many, users, u"u1"_s, uR"({"username":"Rob","age":true})"_s} << QByteArray()
        << 1 << QByteArray() << QStringList{u"age"_s} << get("u1") << 0 << u1Line;
    QTest::newRow("many: one unknown path writes nothing")
        << QStringList{many, users, u"u1"_s, uR"({"username":"Rob","nosuch":1})"_s} << QByteArray()
        << 1 << QByteArray() << QStringList{u"nosuch"_s} << get("u1") << 0 << u1Line;

    // Issue 11, paths and values that slip through: each refused whole, nothing written.
    QTest::newRow("bracketsInANameUnderAnyRefused")
        << QStringList{update, users, u"u1"_s, u"settings.a[999999999]"_s, u"1"_s} << QByteArray()
        << 1 << QByteArray()
        << QStringList{u"settings.a[999999999]"_s, u"contains \"[\", which field paths reserve"_s}
        << get("u1") << 0 << u1Line;
    QTest::newRow("bracketsInANameUnderAnyRefused, update-many")
        << QStringList{many, users, u"u1"_s, uR"({"username":"Rob","settings.a|b":1})"_s}
        << QByteArray() << 1 << QByteArray() << QStringList{u"settings.a|b"_s, u"contains \"|\""_s}
        << get("u1") << 0 << u1Line;
    QTest::newRow("brackets in a --var value are a map key")
        << QStringList{update, users, u"u2"_s, u"settings.{{k}}"_s, u"1"_s, var, u"k=a[9]"_s}
        << QByteArray() << 0 << QByteArray() << QStringList{} << get("u2") << 0
        << R"({"age":25,"metadata":{"accountCreationTimestamp":1600000001},"settings":{"a[9]":1},"userId":"u2","username":"Alice"})"_ba +
               '\n';
    QTest::newRow("emptyVariableRefused, dict key")
        << QStringList{update,
                       users,
                       u"u1"_s,
                       u"tokens.{{tokenId}}"_s,
                       u"{\"expirationTimestamp\":1}"_s,
                       var,
                       u"tokenId="_s}
        << QByteArray() << 2 << QByteArray()
        << QStringList{u"--var tokenId= gives {{tokenId}} an empty value"_s} << get("u1") << 0
        << u1Line;
    QTest::newRow("emptyVariableRefused, under any")
        << QStringList{many, users, u"u1"_s, uR"({"settings.{{k}}":1})"_s, u"--var=k="_s}
        << QByteArray() << 2 << QByteArray() << QStringList{u"{{k}} an empty value"_s} << get("u1")
        << 0 << u1Line;
    QTest::newRow("overlappingPathsRefused")
        << QStringList{many, users, u"u1"_s,
                       uR"({"metadata":{"accountCreationTimestamp":1},"metadata.plan":"x"})"_s}
        << QByteArray() << 1 << QByteArray()
        << QStringList{u"nothing was written: the paths \"metadata\" and \"metadata.plan\" overlap"_s}
        << get("u1") << 0 << u1Line;
    QTest::newRow("overlappingPathsRefused, the same field twice")
        << QStringList{many, users,   u"u1"_s, uR"({"settings.{{k}}":1,"settings.x":2})"_s,
                       var,  u"k=x"_s}
        << QByteArray() << 1 << QByteArray() << QStringList{u"the same field twice"_s} << get("u1")
        << 0 << u1Line;
    QTest::newRow("overlappingPathsRefused, inside an item")
        << QStringList{many,
                       users,
                       u"u1"_s,
                       uR"({"tokens.{{tokenId}}.device.name":"d","tokens.{{tokenId}}":{"expirationTimestamp":1}})"_s,
                       var,
                       u"tokenId=t1"_s}
        << QByteArray() << 1 << QByteArray()
        << QStringList{u"\"tokens.t1\" and \"tokens.t1.device.name\" overlap"_s} << get("u1") << 0
        << u1Line;
    QTest::newRow("numberBeyondRangeRefusedPlainly, update")
        << QStringList{update, users, u"u1"_s, u"age"_s, u"1e400"_s} << QByteArray() << 1
        << QByteArray() << QStringList{u"the value of age: "_s, u"1e400 is out of range"_s}
        << get("u1") << 0 << u1Line;
    QTest::newRow("numberBeyondRangeRefusedPlainly, update-many")
        << QStringList{many, users, u"u1"_s, uR"({"settings":{"n":[1,-1e400]}})"_s} << QByteArray()
        << 1 << QByteArray() << QStringList{u"-1e400 is out of range"_s, u"settings.n[1]"_s}
        << get("u1") << 0 << u1Line;
    QTest::newRow("numberBeyondRangeRefusedPlainly, put")
        << QStringList{u"put"_s, users, uR"({"userId":"u1","username":"B","age":1e400})"_s}
        << QByteArray() << 1 << QByteArray() << QStringList{u"1e400 is out of range"_s, u"age"_s}
        << get("u1") << 0 << u1Line;
    QTest::newRow("numberOutOfDynamoRangeRefusedPlainly")
        << QStringList{update, users, u"u1"_s, u"age"_s, u"1E+126"_s} << QByteArray() << 1
        << QByteArray() << QStringList{u"age"_s, u"1E+126 is out of range"_s} << get("u1") << 0
        << u1Line;
    QTest::newRow("negativeZeroKeepsItsText")
        << QStringList{many, users, u"u2"_s, uR"({"age":-0,"settings":{"z":[-0,-0.0,0e5,1.50]}})"_s}
        << QByteArray() << 0 << QByteArray() << QStringList{} << get("u2") << 0
        << R"({"age":-0,"metadata":{"accountCreationTimestamp":1600000001},"settings":{"z":[-0,-0.0,0e5,1.50]},"userId":"u2","username":"Alice"})"_ba +
               '\n';
    QTest::newRow("many: one invalid on a missing record creates nothing")
        << QStringList{many, users, u"u9"_s, uR"({"username":"Zed","age":{}})"_s} << QByteArray()
        << 1 << QByteArray() << QStringList{u"age"_s} << get("u9") << 1 << QByteArray();
    QTest::newRow("many: key attribute writes nothing")
        << QStringList{many, users, u"u1"_s, uR"({"username":"Rob","userId":"u8"})"_s}
        << QByteArray() << 1 << QByteArray() << QStringList{u"userId"_s} << get("u1") << 0
        << u1Line;
    QTest::newRow("many: not an object")
        << QStringList{many, users, u"u1"_s, u"[1]"_s} << QByteArray() << 1 << QByteArray()
        << QStringList{} << get("u1") << 0 << u1Line;
    QTest::newRow("many: empty object")
        << QStringList{many, users, u"u1"_s, u"{}"_s} << QByteArray() << 1 << QByteArray()
        << QStringList{} << get("u1") << 0 << u1Line;
    QTest::newRow("many: --return-old")
        << QStringList{many, users, u"u2"_s, uR"({"username":"Ally","email":"a@example.com"})"_s,
                       old}
        << QByteArray() << 0 << "{\"username\":\"Alice\"}\n"_ba << QStringList{} << get("u2") << 0
        << R"({"age":25,"email":"a@example.com","metadata":{"accountCreationTimestamp":1600000001},"userId":"u2","username":"Ally"})"_ba +
               '\n';
}

void TstCli::updates()
{
    commandRow();
}

// ---- delete-field, remove-field ----------------------------------------------------------

void TstCli::fields_data()
{
    addCommandColumns();
    const QString del = u"delete-field"_s, rem = u"remove-field"_s, users = u"users"_s;
    const QString var = u"--var"_s;
    auto get = [](const char *key) {
        return QStringList{u"get"_s, u"users"_s, QString::fromLatin1(key)};
    };
    auto u1Without = [](const QByteArray &part) {
        QByteArray r = kU1;
        Q_ASSERT(r.contains(part));
        return r.replace(part, "") + '\n';
    };
    const QByteArray u1Line = kU1 + '\n';

    QTest::newRow("delete-field") << QStringList{del, users, u"u1"_s, u"email"_s} << QByteArray()
                                  << 0 << QByteArray() << QStringList{} << get("u1") << 0
                                  << u1Without("\"email\":\"bob@example.com\",");
    QTest::newRow("delete-field twice")
        << QStringList{del, users, u"u1"_s, u"email"_s} << QByteArray() << 0 << QByteArray()
        << QStringList{} << QStringList{del, users, u"u1"_s, u"email"_s} << 1 << QByteArray();
    QTest::newRow("delete-field absent")
        << QStringList{del, users, u"u2"_s, u"email"_s} << QByteArray() << 1 << QByteArray()
        << QStringList{u"email"_s} << get("u2") << 0 << kU2 + '\n';
    QTest::newRow("delete-field of a missing record")
        << QStringList{del, users, u"u9"_s, u"email"_s} << QByteArray() << 1 << QByteArray()
        << QStringList{} << get("u9") << 1 << QByteArray();
    QTest::newRow("delete-field nested")
        << QStringList{del, users, u"u1"_s, u"tokens.{{tokenId}}.scope"_s, var, u"tokenId=t1"_s}
        << QByteArray() << 0 << QByteArray() << QStringList{} << get("u1") << 0
        << u1Without(",\"scope\":\"read\"");
    QTest::newRow("delete-field dict item")
        << QStringList{del, users, u"u1"_s, u"tokens.{{tokenId}}"_s, var, u"tokenId=t1"_s}
        << QByteArray() << 0 << QByteArray() << QStringList{} << get("u1") << 0
        << u1Without(R"("t1":{"expirationTimestamp":1800000000,"scope":"read"})");
    QTest::newRow("delete-field required")
        << QStringList{del, users, u"u1"_s, u"username"_s} << QByteArray() << 1 << QByteArray()
        << QStringList{u"username"_s, u"required"_s} << get("u1") << 0 << u1Line;
    QTest::newRow("delete-field nested required")
        << QStringList{del, users, u"u1"_s, u"metadata.accountCreationTimestamp"_s} << QByteArray()
        << 1 << QByteArray() << QStringList{u"metadata.accountCreationTimestamp"_s, u"required"_s}
        << get("u1") << 0 << u1Line;
    QTest::newRow("delete-field required in a dict item")
        << QStringList{del, users,          u"u1"_s, u"tokens.{{tokenId}}.expirationTimestamp"_s,
                       var, u"tokenId=t1"_s}
        << QByteArray() << 1 << QByteArray()
        << QStringList{u"tokens.t1.expirationTimestamp"_s, u"required"_s} << get("u1") << 0
        << u1Line;
    QTest::newRow("delete-field key")
        << QStringList{del, users, u"u1"_s, u"userId"_s} << QByteArray() << 1 << QByteArray()
        << QStringList{u"userId"_s} << get("u1") << 0 << u1Line;
    QTest::newRow("delete-field unknown field")
        << QStringList{del, users, u"u1"_s, u"nosuch"_s} << QByteArray() << 1 << QByteArray()
        << QStringList{u"nosuch"_s} << get("u1") << 0 << u1Line;
    QTest::newRow("delete-field prints nothing with --return-old")
        << QStringList{del, users, u"u1"_s, u"active"_s, u"--return-old"_s} << QByteArray() << 0
        << QByteArray() << QStringList{} << get("u1") << 0 << u1Without("\"active\":true,");

    QTest::newRow("remove-field") << QStringList{rem, users, u"u1"_s, u"email"_s} << QByteArray()
                                  << 0 << "\"bob@example.com\"\n"_ba << QStringList{} << get("u1")
                                  << 0 << u1Without("\"email\":\"bob@example.com\",");
    QTest::newRow("remove-field map")
        << QStringList{rem, users, u"u1"_s, u"metadata"_s} << QByteArray() << 0
        << "{\"accountCreationTimestamp\":1600000000}\n"_ba << QStringList{} << get("u1") << 0
        << u1Without("\"metadata\":{\"accountCreationTimestamp\":1600000000},");
    QTest::newRow("remove-field dict item")
        << QStringList{rem, users, u"u1"_s, u"tokens.{{tokenId}}"_s, var, u"tokenId=t1"_s}
        << QByteArray() << 0 << "{\"expirationTimestamp\":1800000000,\"scope\":\"read\"}\n"_ba
        << QStringList{} << get("u1") << 0
        << u1Without(R"("t1":{"expirationTimestamp":1800000000,"scope":"read"})");
    QTest::newRow("remove-field bool")
        << QStringList{rem, users, u"u1"_s, u"active"_s} << QByteArray() << 0 << "true\n"_ba
        << QStringList{} << get("u1") << 0 << u1Without("\"active\":true,");
    QTest::newRow("remove-field absent")
        << QStringList{rem, users, u"u2"_s, u"email"_s} << QByteArray() << 1 << QByteArray()
        << QStringList{u"email"_s} << get("u2") << 0 << kU2 + '\n';
    QTest::newRow("remove-field absent dict item")
        << QStringList{rem, users, u"u1"_s, u"tokens.{{tokenId}}"_s, var, u"tokenId=t9"_s}
        << QByteArray() << 1 << QByteArray() << QStringList{} << get("u1") << 0 << u1Line;
    QTest::newRow("remove-field required")
        << QStringList{rem, users, u"u1"_s, u"age"_s} << QByteArray() << 1 << QByteArray()
        << QStringList{u"age"_s, u"required"_s} << get("u1") << 0 << u1Line;
    QTest::newRow("remove-field key")
        << QStringList{rem, users, u"u1"_s, u"userId"_s} << QByteArray() << 1 << QByteArray()
        << QStringList{u"userId"_s} << get("u1") << 0 << u1Line;
    QTest::newRow("remove-field unknown table")
        << QStringList{rem, u"nosuch"_s, u"u1"_s, u"email"_s} << QByteArray() << 1 << QByteArray()
        << QStringList{u"nosuch"_s} << get("u1") << 0 << u1Line;
}

void TstCli::fields()
{
    commandRow();
}

// ---- scan, count -------------------------------------------------------------------------

void TstCli::scanAndCount_data()
{
    addCommandColumns();
    const QString scan = u"scan"_s, count = u"count"_s, users = u"users"_s, where = u"--where"_s;
    const QByteArray both = kU1 + '\n' + kU2 + '\n';
    const QStringList none;
    QTest::newRow("scan") << QStringList{scan, users} << QByteArray() << 0 << both << none << none
                          << 0 << QByteArray();
    QTest::newRow("scan --limit 1")
        << QStringList{scan, users, u"--limit"_s, u"1"_s} << QByteArray() << 0 << kU1 + '\n'
        << none << none << 0 << QByteArray();
    QTest::newRow("scan --limit=2") << QStringList{scan, users, u"--limit=2"_s} << QByteArray() << 0
                                    << both << none << none << 0 << QByteArray();
    QTest::newRow("scan --limit 5")
        << QStringList{scan, users, u"--limit"_s, u"5"_s} << QByteArray() << 0 << both << none
        << none << 0 << QByteArray();
    QTest::newRow("scan --limit 0")
        << QStringList{scan, users, u"--limit"_s, u"0"_s} << QByteArray() << 0 << QByteArray()
        << none << none << 0 << QByteArray();
    QTest::newRow("scan where JSON string")
        << QStringList{scan, users, where, u"username=\"Bob\""_s} << QByteArray() << 0 << kU1 + '\n'
        << none << none << 0 << QByteArray();
    QTest::newRow("scan where plain text")
        << QStringList{scan, users, where, u"username=Alice"_s} << QByteArray() << 0 << kU2 + '\n'
        << none << none << 0 << QByteArray();
    QTest::newRow("scan where number")
        << QStringList{scan, users, where, u"age=30"_s} << QByteArray() << 0 << kU1 + '\n'
        << none << none << 0 << QByteArray();
    QTest::newRow("scan where number, --where=")
        << QStringList{scan, users, u"--where=age=25"_s} << QByteArray() << 0 << kU2 + '\n'
        << none << none << 0 << QByteArray();
    // Issue 11: a malformed filter path is a usage error naming the path, never an empty scan.
    QTest::newRow("malformedWherePathExits2")
        << QStringList{scan, users, where, u"a..b=1"_s} << QByteArray() << 2 << QByteArray()
        << QStringList{u"--where a..b=1: The path \"a..b\" has an empty element"_s} << none << 0
        << QByteArray();
    QTest::newRow("malformedWherePathExits2, trailing dot")
        << QStringList{count, users, where, u"metadata.=1"_s} << QByteArray() << 2 << QByteArray()
        << QStringList{u"\"metadata.\" has an empty element"_s} << none << 0 << QByteArray();
    QTest::newRow("malformedWherePathExits2, brackets")
        << QStringList{scan, users, where, u"logs[0]=x"_s} << QByteArray() << 2 << QByteArray()
        << QStringList{u"\"logs[0]\" contains \"[\""_s} << none << 0 << QByteArray();
    QTest::newRow("malformedWherePathExits2, export")
        << QStringList{u"export"_s, users, where, u".age=1"_s} << QByteArray() << 2 << QByteArray()
        << QStringList{u"\".age\" has an empty element"_s} << none << 0 << QByteArray();
    QTest::newRow("scan where bool")
        << QStringList{scan, users, where, u"active=true"_s} << QByteArray() << 0 << kU1 + '\n'
        << none << none << 0 << QByteArray();
    QTest::newRow("scan where nested")
        << QStringList{scan, users, where, u"metadata.accountCreationTimestamp=1600000001"_s}
        << QByteArray() << 0 << kU2 + '\n'
        << none << none << 0 << QByteArray();
    QTest::newRow("scan where number does not match text")
        << QStringList{scan, users, where, u"age=\"30\""_s} << QByteArray() << 0 << QByteArray()
        << none << none << 0 << QByteArray();
    QTest::newRow("scan where nothing matches")
        << QStringList{scan, users, where, u"age=99"_s} << QByteArray() << 0 << QByteArray() << none
        << none << 0 << QByteArray();
    QTest::newRow("scan two conditions")
        << QStringList{scan, users, where, u"age=30"_s, where, u"username=Alice"_s} << QByteArray()
        << 0 << QByteArray() << none << none << 0 << QByteArray();
    QTest::newRow("scan two conditions, both match")
        << QStringList{scan, users, where, u"age=30"_s, where, u"username=Bob"_s} << QByteArray()
        << 0 << kU1 + '\n'
        << none << none << 0 << QByteArray();
    QTest::newRow("scan where and limit")
        << QStringList{scan,         users,
                       where,        u"metadata.accountCreationTimestamp=1600000000"_s,
                       u"--limit"_s, u"1"_s}
        << QByteArray() << 0 << kU1 + '\n'
        << none << none << 0 << QByteArray();
    QTest::newRow("scan unknown table")
        << QStringList{scan, u"nosuch"_s} << QByteArray() << 1 << QByteArray()
        << QStringList{u"nosuch"_s} << none << 0 << QByteArray();
    QTest::newRow("scan after delete")
        << QStringList{u"delete"_s, users, u"u1"_s} << QByteArray() << 0 << QByteArray() << none
        << QStringList{scan, users} << 0 << kU2 + '\n';
    QTest::newRow("scan after put")
        << QStringList{u"put"_s, users, uR"({"userId":"u0","username":"Eve","age":1})"_s}
        << QByteArray() << 0 << QByteArray() << none << QStringList{scan, users} << 0
        << both + R"({"age":1,"userId":"u0","username":"Eve"})"_ba + '\n';

    QTest::newRow("count") << QStringList{count, users} << QByteArray() << 0 << "2\n"_ba << none
                           << none << 0 << QByteArray();
    QTest::newRow("count where") << QStringList{count, users, where, u"age=25"_s} << QByteArray()
                                 << 0 << "1\n"_ba << none << none << 0 << QByteArray();
    QTest::newRow("count unknown table")
        << QStringList{count, u"nosuch"_s} << QByteArray() << 1 << QByteArray()
        << QStringList{u"nosuch"_s} << none << 0 << QByteArray();
    QTest::newRow("count after remove")
        << QStringList{u"remove"_s, users, u"u2"_s} << QByteArray() << 0 << kU2 + '\n'
        << none << QStringList{count, users} << 0 << "1\n"_ba;
}

void TstCli::scanAndCount()
{
    commandRow();
}

void TstCli::scanManyPages()
{
    // More records than one page of the CLI's scan: every record comes out once, in insertion
    // order, and --limit stops exactly, also across pages. The records are written through the
    // store library (one transaction) because 2000 CLI runs would be slow; only reading is
    // under test here.
    const int total = 2105;
    QByteArray expected = kU1 + '\n' + kU2 + '\n';
    {
        auto store = SqliteStore::open(m_store);
        QVERIFY2(store, qPrintable(store ? QString() : store.error().toString()));
        const Status written = (*store)->runTransaction([&]() -> Status {
            for (int i = 0; i < total; ++i) {
                const QByteArray line = R"({"age":)" + QByteArray::number(i) + R"(,"userId":"p)" +
                                        QByteArray::number(i).rightJustified(5, '0') +
                                        R"(","username":"n)" + QByteArray::number(i) + "\"}";
                expected += line + '\n';
                auto record = JsonCodec::parsePlain(line);
                if (!record)
                    return record.error();
                if (auto s = (*store)->putRecord(u"users"_s, *record); !s)
                    return s;
            }
            return okStatus();
        });
        QVERIFY2(written, qPrintable(written ? QString() : written.error().toString()));
    }
    const QList<QByteArray> lines = expected.split('\n');
    auto firstLines = [&](int n) { return QList<QByteArray>(lines.mid(0, n)).join('\n') + '\n'; };

    CliRun r = onStore({u"scan"_s, u"users"_s});
    QVERIFY2(r.finished && r.exitCode == 0 && r.err.isEmpty(), qPrintable(r.err));
    QCOMPARE(r.out.count('\n'), total + 2);
    QVERIFY(r.out == expected);
    for (int limit : {999, 1000, 1001, 2000, 2106, 2107}) {
        r = onStore({u"scan"_s, u"users"_s, u"--limit"_s, QString::number(limit)});
        QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out.count('\n'), limit);
        QVERIFY2(r.out == firstLines(limit), qPrintable(QString::number(limit)));
    }
    r = onStore({u"scan"_s, u"users"_s, u"--limit"_s, u"5000"_s});
    QVERIFY(r.out == expected);
    r = onStore({u"scan"_s, u"users"_s, u"--where"_s, u"age=2000"_s});
    check(r, 0, R"({"age":2000,"userId":"p02000","username":"n2000"})"_ba + '\n', {});
    check(onStore({u"count"_s, u"users"_s}), 0, QByteArray::number(total + 2) + '\n', {});
    check(onStore({u"count"_s, u"users"_s, u"--where"_s, u"age=30"_s}), 0, "2\n", {});
}

void TstCli::scanExactNumbers_data()
{
    QTest::addColumn<QString>("where");
    QTest::addColumn<QByteArray>("matches"); // the userIds printed, in order
    QTest::newRow("38 digits, first")
        << u"nextReminderTimestamp=12345678901234567890123456789012345678"_s << "b1"_ba;
    QTest::newRow("38 digits, second")
        << u"nextReminderTimestamp=12345678901234567890123456789012345679"_s << "b2"_ba;
    QTest::newRow("long fraction") << u"score=0.1000000000000000000000000000000000001"_s << "b1"_ba;
    QTest::newRow("short fraction") << u"score=0.1"_s << "b2"_ba;
    QTest::newRow("above 2^53") << u"age=9007199254740993"_s << "b3"_ba;
    QTest::newRow("2^53") << u"age=9007199254740992"_s << "b4"_ba;
    QTest::newRow("same number spelled otherwise") << u"score=1.0E-1"_s << "b2"_ba;
}

void TstCli::scanExactNumbers()
{
    // A filter compares numbers exactly, as DynamoDB does: no rounding through a double.
    QFETCH(QString, where);
    QFETCH(QByteArray, matches);
    const QList<QByteArray> records = {
        R"({"age":1,"nextReminderTimestamp":12345678901234567890123456789012345678,"score":0.1000000000000000000000000000000000001,"userId":"b1","username":"x"})",
        R"({"age":1,"nextReminderTimestamp":12345678901234567890123456789012345679,"score":0.1,"userId":"b2","username":"y"})",
        R"({"age":9007199254740993,"userId":"b3","username":"z"})",
        R"({"age":9007199254740992,"userId":"b4","username":"w"})",
    };
    for (const QByteArray &record : records)
        check(onStore({u"put"_s, u"users"_s, QString::fromUtf8(record)}), 0, {}, {});
    QByteArray expected;
    for (const QByteArray &record : records) {
        if (record.contains(R"("userId":")" + matches + '"'))
            expected += record + '\n';
    }
    QCOMPARE(expected.count('\n'), 1);
    check(onStore({u"scan"_s, u"users"_s, u"--where"_s, where}), 0, expected, {});
    check(onStore({u"count"_s, u"users"_s, u"--where"_s, where}), 0, "1\n", {});
}

// ---- lossless values ---------------------------------------------------------------------

void TstCli::lossless_data()
{
    QTest::addColumn<QByteArray>(
        "record"); // as put, keys sorted: get must print it back byte for byte
    QTest::addColumn<QString>("key");
    QTest::newRow("38 digits, long fraction, sets, bytes, unicode") << kLossless << u"u3"_s;
    QTest::newRow("number text kept as written")
        << R"({"age":2.50,"score":1E+3,"settings":[0.0,100,1e-130,-7.25e2],"userId":"u5","username":"n"})"_ba
        << u"u5"_s;
    QTest::newRow("biggest and smallest numbers")
        << R"({"age":-99999999999999999999999999999999999999,"score":9.9999999999999999999999999999999999999E+125,"settings":1E-130,"userId":"u6","username":"n"})"_ba
        << u"u6"_s;
    QTest::newRow("unicode key and escapes")
        << R"({"age":1,"settings":{"\u00e9t\u00e9":"line\nbreak \"quoted\" \\ tab\t","日本":"🙂"},"userId":"ключ","username":"ä"})"_ba
        << u"ключ"_s;
    QTest::newRow("32 levels deep") << nestedRecord("u8", 31) << u"u8"_s;
    QTest::newRow("list of str and dict")
        << R"({"age":1,"logs":["a",{"k":"v","n":[1,{"m":null}]},""],"userId":"u9","username":"n"})"_ba
        << u"u9"_s;
    QTest::newRow("binary and number sets")
        << R"({"age":1,"avatar":"","luckyNumbers":[-1,0,12345678901234567890123456789012345678],"tags":["☃","a"],"userId":"u7","username":"n"})"_ba
        << u"u7"_s;
}

void TstCli::lossless()
{
    QFETCH(QByteArray, record);
    QFETCH(QString, key);
    // Through a literal argument and through standard input.
    check(onStore({u"put"_s, u"users"_s, QString::fromUtf8(record)}), 0, {}, {});
    const CliRun got = onStore({u"get"_s, u"users"_s, key});
    QVERIFY2(got.finished && got.exitCode == 0, qPrintable(got.describe()));
    // Escapes may be spelled differently; the value must be the same, so compare the parsed
    // JSON when the bytes differ only in escapes, else exactly.
    if (QByteArray(QTest::currentDataTag()) == "unicode key and escapes") {
        QCOMPARE(QJsonDocument::fromJson(got.out), QJsonDocument::fromJson(record));
        QVERIFY(!got.out.trimmed().contains('\n'));
    } else {
        check(got, 0, record + '\n', {});
    }
    // scan prints the same line; remove prints it too, and put of that output restores it.
    const CliRun scanned = onStore({u"scan"_s, u"users"_s, u"--limit"_s, u"3"_s});
    QVERIFY2(scanned.out.endsWith(got.out), qPrintable(scanned.describe()));
    check(onStore({u"remove"_s, u"users"_s, key}), 0, got.out, {});
    check(onStore({u"put"_s, u"users"_s, u"-"_s}, got.out), 0, {}, {});
    check(onStore({u"get"_s, u"users"_s, key}), 0, got.out, {});
    // An update of another field, then its removal, gives back the same bytes: the values
    // above were not rewritten on the way.
    check(onStore({u"update"_s, u"users"_s, key, u"email"_s, u"\"e@example.com\""_s}), 0, {}, {});
    check(onStore({u"remove-field"_s, u"users"_s, key, u"email"_s}), 0, "\"e@example.com\"\n", {});
    check(onStore({u"get"_s, u"users"_s, key}), 0, got.out, {});
}

// ---- integer keys --------------------------------------------------------------------------

void TstCli::integerKeys_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QByteArray>("out");
    QTest::addColumn<QString>("errFragment");
    const QString c = u"counters"_s;
    QTest::newRow("get") << QStringList{u"get"_s, c, u"7"_s} << 0 << "{\"id\":7,\"n\":1}\n"_ba
                         << QString();
    QTest::newRow("get same number spelled otherwise")
        << QStringList{u"get"_s, c, u"7.0"_s} << 1 << QByteArray() << u"integer"_s;
    QTest::newRow("get negative") << QStringList{u"get"_s, c, u"-3"_s} << 0
                                  << "{\"id\":-3,\"n\":0}\n"_ba << QString();
    QTest::newRow("get absent") << QStringList{u"get"_s, c, u"8"_s} << 1 << QByteArray() << u"8"_s;
    QTest::newRow("get not a number")
        << QStringList{u"get"_s, c, u"seven"_s} << 1 << QByteArray() << u"number"_s;
    QTest::newRow("get fraction") << QStringList{u"get"_s, c, u"1.5"_s} << 1 << QByteArray()
                                  << u"integer"_s;
    QTest::newRow("put string key")
        << QStringList{u"put"_s, c, u"{\"id\":\"8\"}"_s} << 1 << QByteArray() << u"id"_s;
    QTest::newRow("put existing key") << QStringList{u"put"_s, c, u"{\"id\":7,\"n\":5}"_s} << 1
                                      << QByteArray() << u"already exists"_s;
    QTest::newRow("get with a leading zero")
        << QStringList{u"get"_s, c, u"07"_s} << 0 << "{\"id\":7,\"n\":1}\n"_ba << QString();
    QTest::newRow("update creates")
        << QStringList{u"update"_s, c, u"8"_s, u"n"_s, u"2"_s} << 0 << QByteArray() << QString();
    QTest::newRow("delete negative")
        << QStringList{u"delete"_s, c, u"-3"_s} << 0 << QByteArray() << QString();
    QTest::newRow("scan") << QStringList{u"scan"_s, c} << 0
                          << "{\"id\":7,\"n\":1}\n{\"id\":-3,\"n\":0}\n"_ba << QString();
}

void TstCli::integerKeys()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QByteArray, out);
    QFETCH(QString, errFragment);
    check(onStore({u"create-table"_s, u"counters"_s, u"--model"_s, m_data + u"/counters.json"_s}),
          0, "created table counters\n", {});
    check(onStore({u"put"_s, u"counters"_s, u"{\"id\":7,\"n\":1}"_s}), 0, {}, {});
    check(onStore({u"put"_s, u"counters"_s, u"{\"id\":-3,\"n\":0}"_s}), 0, {}, {});
    check(onStore(args), exitCode, out,
          errFragment.isEmpty() ? QStringList{} : QStringList{errFragment});
    const QByteArray tag(QTest::currentDataTag());
    if (tag == "update creates")
        check(onStore({u"get"_s, u"counters"_s, u"8"_s}), 0, "{\"id\":8,\"n\":2}\n", {});
    if (tag == "delete negative")
        check(onStore({u"count"_s, u"counters"_s}), 0, "1\n", {});
    if (tag.startsWith("put"))
        check(onStore({u"count"_s, u"counters"_s}), 0, "2\n", {});
}

// ---- stores that cannot be used (exit 3) --------------------------------------------------

static QList<QStringList> everyCommand()
{
    const QString u = u"users"_s;
    return {
        {u"tables"_s},
        {u"model"_s, u},
        {u"drop-table"_s, u},
        {u"put"_s, u, uR"({"userId":"u5","username":"E","age":1})"_s},
        {u"get"_s, u, u"u1"_s},
        {u"delete"_s, u, u"u1"_s},
        {u"remove"_s, u, u"u1"_s},
        {u"update"_s, u, u"u1"_s, u"username"_s, u"\"x\""_s},
        {u"update-many"_s, u, u"u1"_s, uR"({"username":"x"})"_s},
        {u"delete-field"_s, u, u"u1"_s, u"email"_s},
        {u"remove-field"_s, u, u"u1"_s, u"email"_s},
        {u"scan"_s, u},
        {u"count"_s, u},
    };
}

void TstCli::missingStore_data()
{
    QTest::addColumn<QStringList>("args");
    for (const QStringList &command : everyCommand())
        QTest::newRow(qPrintable(command.first())) << command;
}

void TstCli::missingStore()
{
    QFETCH(QStringList, args);
    const QString path = m_dir.filePath(u"missing.structdesk"_s);
    check(run(QStringList{u"--store"_s, path} + args), 3, {}, {path});
    QVERIFY2(!QFile::exists(path), "a command other than create-table created the store");
    // A missing store named by STRUCTDESK_STORE is just as missing.
    QProcessEnvironment env = cleanEnvironment();
    env.insert(u"STRUCTDESK_STORE"_s, path);
    check(run(args, {}, env), 3, {}, {path});
    QVERIFY(!QFile::exists(path));
}

void TstCli::foreignStore_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QStringList>("args");
    QList<QStringList> commands = everyCommand();
    commands << QStringList{u"create-table"_s, u"users"_s, u"--model"_s, u"%MODEL%"_s};
    for (const char *kind : {"text", "empty", "sqlite", "directory", "truncated"}) {
        for (const QStringList &command : std::as_const(commands))
            QTest::addRow("%s %s", kind, qPrintable(command.first()))
                << QString::fromLatin1(kind) << command;
    }
}

void TstCli::foreignStore()
{
    QFETCH(QString, kind);
    QFETCH(QStringList, args);
    const QString folder = m_dir.filePath(u"foreign-%1"_s.arg(++m_serial));
    QVERIFY(QDir().mkpath(folder));
    const QString path = folder + u"/store.structdesk"_s;
    QString fragment = u"not a StructDesk store"_s;
    if (kind == u"text") {
        QVERIFY(writeFile(path, "userId,username\nu1,Bob\n"));
    } else if (kind == u"empty") {
        QVERIFY(writeFile(path, {}));
    } else if (kind == u"directory") {
        QVERIFY(QDir().mkpath(path));
        QVERIFY(writeFile(path + u"/inside.txt"_s, "keep me"));
        fragment = u"folder"_s;
    } else if (kind == u"truncated") {
        // The first page of a real store, cut short: SQLite's header, but a corrupt database.
        QVERIFY(writeFile(path, readAll(m_store).left(100)));
        fragment = QString();
    } else {
        const QString connection = u"foreign-%1"_s.arg(m_serial);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"CREATE TABLE people(id TEXT PRIMARY KEY, name TEXT)"_s));
            QVERIFY(q.exec(u"INSERT INTO people VALUES ('u1', 'Bob')"_s));
            QVERIFY(q.exec(u"CREATE TABLE structdesk_tables_not(x)"_s));
            db.close();
        }
        QSqlDatabase::removeDatabase(connection);
    }
    const QStringList before = listing(folder);
    const QByteArray bytes = kind == u"directory" ? QByteArray() : readAll(path);
    const QDateTime modified = QFileInfo(path).lastModified();

    const CliRun r = run(QStringList{u"--store"_s, path} + expand(args));
    check(r, 3, {}, fragment.isEmpty() ? QStringList{path} : QStringList{path, fragment});
    QCOMPARE(listing(folder), before);
    if (kind != u"directory") {
        QCOMPARE(readAll(path), bytes);
        QCOMPARE(QFileInfo(path).lastModified(), modified);
    } else {
        QCOMPARE(readAll(path + u"/inside.txt"_s), "keep me"_ba);
    }
}

void TstCli::lockedStore()
{
    // Another program holds the write lock: writes fail with exit 3 and say so; the store
    // is unchanged once the lock is gone.
    const QString connection = u"locker"_s;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
        db.setDatabaseName(m_store);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(u"BEGIN EXCLUSIVE"_s));
        QVERIFY(q.exec(u"SELECT count(*) FROM structdesk_tables"_s));
        QElapsedTimer timer;
        timer.start();
        const CliRun r =
            onStore({u"put"_s, u"users"_s, uR"({"userId":"u5","username":"E","age":1})"_s});
        check(r, 3, {}, {u"locked"_s});
        QVERIFY2(timer.elapsed() < 25000, "a locked store should fail within the busy timeout");
        const CliRun u = onStore({u"update"_s, u"users"_s, u"u1"_s, u"username"_s, u"\"x\""_s});
        check(u, 3, {}, {u"locked"_s});
        QVERIFY(q.exec(u"ROLLBACK"_s));
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    check(onStore({u"get"_s, u"users"_s, u"u5"_s}), 1, {}, {});
    check(onStore({u"get"_s, u"users"_s, u"u1"_s}), 0, kU1 + '\n', {});
}

void TstCli::readOnlyStore_data()
{
    QTest::addColumn<bool>("folderReadOnly");
    QTest::newRow("file read-only") << false;
    QTest::newRow("file and folder read-only") << true;
}

void TstCli::readOnlyStore()
{
    // Reads work on a read-only store; writes fail with exit 3, say why, and change nothing.
    QFETCH(bool, folderReadOnly);
    const QString folder = m_dir.filePath(u"ro-%1"_s.arg(++m_serial));
    QVERIFY(QDir().mkpath(folder));
    const QString path = folder + u"/store.structdesk"_s;
    // Every CLI run has ended, so the store is checkpointed and complete without a -wal file.
    QVERIFY(QFile::copy(m_store, path));
    QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
    if (folderReadOnly)
        QVERIFY(QFile::setPermissions(folder, QFile::ReadOwner | QFile::ExeOwner |
                                                  QFile::ReadGroup | QFile::ExeGroup));
    const auto restore = qScopeGuard([&] {
        QFile::setPermissions(folder, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    });
    if (QFileInfo(path).isWritable())
        QSKIP("running with privileges that ignore file permissions (root)");
    const QByteArray bytes = readAll(path);
    if (!check(run({u"--store"_s, path, u"get"_s, u"users"_s, u"u1"_s}), 0, kU1 + '\n', {}))
        return;
    check(run({u"--store"_s, path, u"count"_s, u"users"_s}), 0, "2\n", {});
    check(run({u"--store"_s, path, u"put"_s, u"users"_s,
               uR"({"userId":"u5","username":"E","age":1})"_s}),
          3, {}, {u"read-only"_s});
    check(run({u"--store"_s, path, u"delete"_s, u"users"_s, u"u1"_s}), 3, {}, {u"read-only"_s});
    check(run({u"--store"_s, path, u"create-table"_s, u"people"_s, u"--model"_s, m_model}), 3, {},
          {u"read-only"_s});
    QCOMPARE(readAll(path), bytes);
}

// ---- which store: --store, $STRUCTDESK_STORE, the default ---------------------------------

void TstCli::storeFromEnvironment()
{
    QProcessEnvironment env = cleanEnvironment();
    env.insert(u"STRUCTDESK_STORE"_s, m_store);
    check(run({u"tables"_s}, {}, env), 0, "users\n", {});
    check(run({u"get"_s, u"users"_s, u"u2"_s}, {}, env), 0, kU2 + '\n', {});
    check(run({u"put"_s, u"users"_s, u"-"_s}, R"({"userId":"u5","username":"E","age":1})", env), 0,
          {}, {});
    // The write went to that store.
    check(onStore({u"get"_s, u"users"_s, u"u5"_s}), 0,
          R"({"age":1,"userId":"u5","username":"E"})"_ba + '\n', {});
    // create-table with $STRUCTDESK_STORE naming a new file creates it there.
    const QString fresh = m_dir.filePath(u"from-env-%1.structdesk"_s.arg(++m_serial));
    env.insert(u"STRUCTDESK_STORE"_s, fresh);
    check(run({u"create-table"_s, u"people"_s, u"--model"_s, m_model}, {}, env), 0,
          "created table people\n", {});
    QVERIFY(QFile::exists(fresh));
    check(run({u"--store"_s, fresh, u"tables"_s}), 0, "people\n", {});
}

void TstCli::storeOptionBeatsEnvironment()
{
    QProcessEnvironment env = cleanEnvironment();
    env.insert(u"STRUCTDESK_STORE"_s, m_dir.filePath(u"missing.structdesk"_s));
    check(run({u"--store"_s, m_store, u"tables"_s}, {}, env), 0, "users\n", {});
    check(run({u"tables"_s, u"--store"_s, m_store}, {}, env), 0, "users\n", {});
    QVERIFY(!QFile::exists(m_dir.filePath(u"missing.structdesk"_s)));
}

void TstCli::defaultStoreInDataFolder()
{
    // Without --store and $STRUCTDESK_STORE the user's default store is used: the private
    // XDG_DATA_HOME of these runs holds none yet, so reads fail with 3 and create-table makes it.
    const QString home = m_dir.filePath(u"default-home-%1"_s.arg(++m_serial));
    QVERIFY(QDir().mkpath(home + u"/share"_s));
    QProcessEnvironment env = cleanEnvironment();
    env.insert(u"HOME"_s, home);
    env.insert(u"XDG_DATA_HOME"_s, home + u"/share"_s);
    const QString expected = home + u"/share/StructDesk/default.structdesk"_s;
    check(run({u"tables"_s}, {}, env), 3, {}, {expected});
    check(run({u"create-table"_s, u"users"_s, u"--model"_s, m_model}, {}, env), 0,
          "created table users\n", {});
    QVERIFY2(QFileInfo(expected).isFile(), qPrintable(expected));
    check(run({u"tables"_s}, {}, env), 0, "users\n", {});
    check(run({u"--store"_s, expected, u"tables"_s}), 0, "users\n", {});
}

void TstCli::emptyStoreOption()
{
    // `--store ""` (say, from an unset shell variable) names no store: it must not fall back
    // silently to $STRUCTDESK_STORE or the user's default store, where it could write or drop.
    QProcessEnvironment env = cleanEnvironment();
    env.insert(u"STRUCTDESK_STORE"_s, m_store);
    for (const QStringList &args : {QStringList{u"--store"_s, QString(), u"tables"_s},
                                    QStringList{u"--store="_s, u"tables"_s}}) {
        const CliRun r = run(args, {}, env);
        QVERIFY2(r.finished && (r.exitCode == 2 || r.exitCode == 3) && r.out.isEmpty() &&
                     !r.err.isEmpty(),
                 qPrintable(r.describe()));
    }
}

QTEST_GUILESS_MAIN(TstCli)

#include "tst_cli.moc"
