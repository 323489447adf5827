// End-to-end tests of import, export, infer-model, import-python-model and check: the real
// structdesk-cli binary run with QProcess on store files in a temporary directory, checking the
// exit status (0 success, 1 records or file refused, 2 usage, 3 store unavailable), standard
// output and the report on standard error.

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

using namespace Qt::StringLiterals;

namespace {

struct CliRun
{
    QStringList arguments;
    bool finished = false;
    int exitCode = -1;
    QByteArray out;
    QByteArray err;

    QString describe() const
    {
        return u"structdesk-cli %1\n  exit: %2\n  stdout: %3\n  stderr: %4"_s.arg(
            arguments.join(u' '), QString::number(exitCode), QString::fromUtf8(out),
            QString::fromUtf8(err));
    }
};

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

const QByteArray kRecords =
    R"({"userId":"u1","username":"Bob","age":30,"tags":["admin","dev"],"avatar":"AAEC/w==",)"
    R"("nextReminderTimestamp":12345678901234567890123456789012345678,"metadata":{"accountCreationTimestamp":1}})"
    "\n"
    R"({"userId":"u2","username":"Zoë 🙂","age":"unknown","luckyNumbers":[7,42],"score":0.1000000000000000000000000000000000001})"
    "\n";

} // namespace

class TstTransferCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void importAndExportEveryFormat_data();
    void importAndExportEveryFormat();
    void importFailuresWriteNothing_data();
    void importFailuresWriteNothing();
    void importSkipInvalid();
    void importExisting();
    void exportToStandardOutput();
    void exportWhere();
    void inferModel();
    void importPythonModel();
    void check();
    void usageErrors_data();
    void usageErrors();
    void missingStore();

private:
    CliRun run(const QStringList &arguments) const;
    CliRun onStore(const QStringList &arguments) const
    {
        return run(QStringList{u"--store"_s, m_store} + arguments);
    }
    QString file(const QString &name) const { return m_dir.filePath(name); }

    QTemporaryDir m_dir;
    QString m_model;
    QString m_store;
    int m_serial = 0;
};

void TstTransferCli::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFileInfo(QStringLiteral(STRUCTDESK_CLI_PATH)).isExecutable(), STRUCTDESK_CLI_PATH);
    m_model = QStringLiteral(STRUCTDESK_TESTS_DIR "/data/models/users.json");
    QVERIFY(writeFile(file(u"records.jsonl"_s), kRecords));
}

void TstTransferCli::init()
{
    m_store = file(u"store-%1.structdesk"_s.arg(++m_serial));
    const CliRun r = onStore({u"create-table"_s, u"users"_s, u"--model"_s, m_model});
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
}

CliRun TstTransferCli::run(const QStringList &arguments) const
{
    CliRun r;
    r.arguments = arguments;
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"STRUCTDESK_STORE"_s);
    env.insert(u"HOME"_s, m_dir.filePath(u"home"_s));
    env.insert(u"XDG_DATA_HOME"_s, m_dir.filePath(u"home/.local/share"_s));
    env.insert(u"LC_ALL"_s, u"C.UTF-8"_s);
    p.setProcessEnvironment(env);
    p.setWorkingDirectory(m_dir.path());
    p.start(QStringLiteral(STRUCTDESK_CLI_PATH), arguments);
    if (!p.waitForStarted(30000) || !p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished(5000);
        return r;
    }
    r.finished = p.exitStatus() == QProcess::NormalExit;
    r.exitCode = p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

void TstTransferCli::importAndExportEveryFormat_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("extension");
    QTest::newRow("jsonl") << u"jsonl"_s << u"jsonl"_s;
    QTest::newRow("json") << u"json"_s << u"json"_s;
    QTest::newRow("dynamodb-json") << u"dynamodb-json"_s << u"ddb.json"_s;
    QTest::newRow("csv") << u"csv"_s << u"csv"_s;
}

void TstTransferCli::importAndExportEveryFormat()
{
    QFETCH(QString, format);
    QFETCH(QString, extension);
    CliRun r = onStore({u"import"_s, u"users"_s, u"records.jsonl"_s});
    QVERIFY2(r.exitCode == 0 && r.err.isEmpty(), qPrintable(r.describe()));
    QCOMPARE(r.out, "imported 2 records into users from records.jsonl\n"_ba);
    const CliRun original = onStore({u"scan"_s, u"users"_s});
    QCOMPARE(original.exitCode, 0);

    // Export with the format named, then with the format told by --out's extension (JSON
    // arrays and DynamoDB JSON share .json: the content tells them apart on import).
    const QString out = file(u"export-%1.%2"_s.arg(m_serial).arg(extension));
    r = onStore({u"export"_s, u"users"_s, u"--format"_s, format, u"--out"_s, out});
    QVERIFY2(r.exitCode == 0 && r.err.isEmpty(), qPrintable(r.describe()));
    QCOMPARE(r.out, u"exported 2 records of users to %1 (%2)\n"_s.arg(out, format).toUtf8());

    // Import into a new table: the same records, to the digit (scan prints them sorted).
    r = onStore({u"create-table"_s, u"copy"_s, u"--model"_s, m_model});
    QCOMPARE(r.exitCode, 0);
    r = onStore({u"import"_s, u"copy"_s, out});
    QVERIFY2(r.exitCode == 0 && r.err.isEmpty(),
             qPrintable(r.describe() + QString::fromUtf8(readAll(out))));
    const CliRun copied = onStore({u"scan"_s, u"copy"_s});
    QCOMPARE(copied.out, original.out);
    QVERIFY(copied.out.contains("12345678901234567890123456789012345678"));
    QVERIFY(copied.out.contains("0.1000000000000000000000000000000000001"));
    // Sets and binary are typed in the copy, not lists and text.
    r = onStore({u"check"_s, u"copy"_s});
    QCOMPARE(r.exitCode, 0);
}

void TstTransferCli::importFailuresWriteNothing_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("report");
    QTest::newRow("bad JSON on line 2")
        << u"bad.jsonl"_s
        << "{\"userId\":\"n1\",\"username\":\"A\",\"age\":1}\n{\"userId\":\"n2\",}\n"_ba
        << QStringList{} << u"bad.jsonl:2: malformed JSON at column 16: unexpected '}'"_s;
    QTest::newRow("wrong type")
        << u"type.jsonl"_s
        << "{\"userId\":\"n1\",\"username\":\"A\",\"age\":1,\"tokens\":{\"t1\":{\"expirationTimestamp\":\"x\"}}}\n"_ba
        << QStringList{}
        << u"type.jsonl:1: tokens.t1.expirationTimestamp: must be an int, not a string"_s;
    QTest::newRow("truncated array")
        << u"cut.json"_s << "[{\"userId\":\"n1\",\"username\":\"A\",\"age\":1},\n{\"us"_ba
        << QStringList{} << u"cut.json:2: the file ends before the JSON array is closed"_s;
    QTest::newRow("CSV missing column")
        << u"short.csv"_s << "userId,username,age\nn1,A,1\nn2,B\n"_ba << QStringList{}
        << u"short.csv:3: the row has 2 cells but the header has 3 columns: \"age\" is missing"_s;
    QTest::newRow("existing key")
        << u"exists.jsonl"_s << "{\"userId\":\"u1\",\"username\":\"A\",\"age\":1}\n"_ba
        << QStringList{}
        << u"exists.jsonl:1: userId: a record with the key \"u1\" already exists in users"_s;
    QTest::newRow("given format") << u"lines.txt"_s << "{\"userId\":\"n1\"}\n"_ba
                                  << QStringList{u"--format"_s, u"jsonl"_s}
                                  << u"lines.txt:1: username: "_s;
    // Issue 11: DynamoDB JSON type tags are checked strictly, naming file:line and the path.
    QTest::newRow("dynamoNumberTagHoldingANumberRefused")
        << u"n5.json"_s
        << "{\"Item\":{\"userId\":{\"S\":\"n1\"},\"username\":{\"S\":\"A\"},\"age\":{\"N\":\"1\"}}}\n{\"Item\":{\"userId\":{\"S\":\"n2\"},\"username\":{\"S\":\"B\"},\"age\":{\"N\":5}}}\n"_ba
        << QStringList{}
        << u"n5.json:2: age: N must hold the number as a string (\"N\": \"5\"), not an integer number"_s;
    QTest::newRow("dynamoNullFalseRefused")
        << u"nullfalse.json"_s
        << "{\"Item\":{\"userId\":{\"S\":\"n1\"},\"username\":{\"S\":\"A\"},\"age\":{\"N\":\"1\"}}}\n{\"Item\":{\"userId\":{\"S\":\"n2\"},\"username\":{\"S\":\"B\"},\"age\":{\"N\":\"2\"},\"settings\":{\"M\":{\"x\":{\"NULL\":false}}}}}\n"_ba
        << QStringList{}
        << u"nullfalse.json:2: settings.x: NULL must hold true (\"NULL\": true), not false"_s;
    // A plain sentence with file, line and the field, as the put path has it (tst_cli
    // numberBeyondRangeRefusedPlainly): the JSON is well-formed, the number is refused.
    QTest::newRow("numberBeyondRangeRefusedPlainly, import")
        << u"big.jsonl"_s
        << "{\"userId\":\"n1\",\"username\":\"A\",\"age\":1}\n{\"userId\":\"n2\",\"username\":\"B\",\"age\":1e400}\n"_ba
        << QStringList{}
        << u"big.jsonl:2: age: 1e400 is out of range: a number DynamoDB can store"_s;
    QTest::newRow("numberBeyondRangeRefusedPlainly, nested in an array")
        << u"big2.json"_s
        << "[\n{\"userId\":\"n1\",\"username\":\"A\",\"age\":1},\n{\"userId\":\"n2\",\"username\":\"B\",\"age\":2,\n \"settings\":{\"a\":[0,-1e-400]}}\n]\n"_ba
        << QStringList{} << u"big2.json:4: settings.a[1]: -1e-400 is out of range"_s;
    QTest::newRow("missing file") << u"never-written.jsonl"_s << QByteArray() << QStringList{}
                                  << u"never-written.jsonl: the file does not exist"_s;
}

void TstTransferCli::importFailuresWriteNothing()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, content);
    QFETCH(QStringList, args);
    QFETCH(QString, report);
    QCOMPARE(onStore({u"import"_s, u"users"_s, u"records.jsonl"_s}).exitCode, 0);
    if (!content.isEmpty())
        QVERIFY(writeFile(file(name), content));
    const CliRun before = onStore({u"scan"_s, u"users"_s});
    const CliRun r = onStore(QStringList{u"import"_s, u"users"_s, name} + args);
    QVERIFY2(r.finished && r.exitCode == 1, qPrintable(r.describe()));
    QVERIFY2(QString::fromUtf8(r.err).contains(u"structdesk-cli: "_s + report),
             qPrintable(r.describe()));
    QVERIFY2(!r.err.contains("json.exception"), qPrintable(r.describe()));
    QVERIFY(r.out.isEmpty());
    QCOMPARE(onStore({u"scan"_s, u"users"_s}).out, before.out);
}

void TstTransferCli::importSkipInvalid()
{
    QVERIFY(writeFile(file(u"mixed.jsonl"_s),
                      "{\"userId\":\"s1\",\"username\":\"A\",\"age\":1}\n"
                      "{\"userId\":\"s2\",\"age\":2}\n"
                      "{\"userId\":\"s3\",\"username\":\"C\",\"age\":3}\n"));
    CliRun r = onStore({u"import"_s, u"users"_s, u"mixed.jsonl"_s, u"--mode"_s, u"skip-invalid"_s,
                        u"--rejects"_s, u"bad-ones.jsonl"_s});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(
        r.out,
        "imported 2 records into users from mixed.jsonl (1 rejected, saved to bad-ones.jsonl)\n"_ba);
    QVERIFY(QString::fromUtf8(r.err).contains(u"mixed.jsonl:2: username: "_s));
    QCOMPARE(readAll(file(u"bad-ones.jsonl"_s)), "{\"userId\":\"s2\",\"age\":2}\n"_ba);
    QCOMPARE(onStore({u"count"_s, u"users"_s}).out, "2\n"_ba);
    // The default reject file sits next to the input.
    r = onStore({u"import"_s, u"users"_s, u"mixed.jsonl"_s, u"--mode=skip-invalid"_s,
                 u"--existing=skip"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(QFile::exists(file(u"mixed.rejects.jsonl"_s)));
}

void TstTransferCli::importExisting()
{
    QCOMPARE(onStore({u"import"_s, u"users"_s, u"records.jsonl"_s}).exitCode, 0);
    QVERIFY(
        writeFile(file(u"again.jsonl"_s), "{\"userId\":\"u1\",\"username\":\"New\",\"age\":2}\n"));
    CliRun r = onStore({u"import"_s, u"users"_s, u"again.jsonl"_s, u"--existing"_s, u"skip"_s});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, "imported 0 records into users from again.jsonl (1 skipped as existing)\n"_ba);
    QVERIFY(onStore({u"get"_s, u"users"_s, u"u1"_s}).out.contains("\"Bob\""));
    r = onStore({u"import"_s, u"users"_s, u"again.jsonl"_s, u"--existing"_s, u"replace"_s});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(onStore({u"get"_s, u"users"_s, u"u1"_s}).out,
             "{\"age\":2,\"userId\":\"u1\",\"username\":\"New\"}\n"_ba);
}

void TstTransferCli::exportToStandardOutput()
{
    QCOMPARE(onStore({u"import"_s, u"users"_s, u"records.jsonl"_s}).exitCode, 0);
    CliRun r = onStore({u"export"_s, u"users"_s});
    QVERIFY2(r.exitCode == 0 && r.err.isEmpty(), qPrintable(r.describe()));
    // JSON lines by default: the records scan prints (an import keeps the file's member order,
    // so the members may come in another order).
    const QList<QByteArray> exported = r.out.trimmed().split('\n');
    const QList<QByteArray> scanned = onStore({u"scan"_s, u"users"_s}).out.trimmed().split('\n');
    QCOMPARE(exported.size(), 2);
    QCOMPARE(scanned.size(), 2);
    for (qsizetype i = 0; i < exported.size(); ++i)
        QCOMPARE(nlohmann::json::parse(exported[i].toStdString()),
                 nlohmann::json::parse(scanned[i].toStdString()));
    QCOMPARE(r.out, kRecords); // here: the file as it was imported
    r = onStore({u"export"_s, u"users"_s, u"--format"_s, u"dynamodb-json"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.startsWith("{\"Item\":{"));
    QVERIFY(r.out.contains("\"tags\":{\"SS\":[\"admin\",\"dev\"]}"));
    QVERIFY(r.out.contains("\"avatar\":{\"B\":\"AAEC/w==\"}"));
    r = onStore({u"export"_s, u"users"_s, u"--format"_s, u"csv"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.startsWith("userId,username,email,age,"));
    r = onStore({u"export"_s, u"users"_s, u"--format"_s, u"json"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(nlohmann::json::accept(r.out.toStdString()));
}

void TstTransferCli::exportWhere()
{
    QCOMPARE(onStore({u"import"_s, u"users"_s, u"records.jsonl"_s}).exitCode, 0);
    const CliRun r = onStore({u"export"_s, u"users"_s, u"--where"_s, u"age=unknown"_s});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out.count('\n'), 1);
    QVERIFY(r.out.contains("\"u2\""));
}

void TstTransferCli::inferModel()
{
    QCOMPARE(onStore({u"import"_s, u"users"_s, u"records.jsonl"_s}).exitCode, 0);
    CliRun r = onStore({u"infer-model"_s, u"users"_s});
    QVERIFY2(r.exitCode == 0 && r.err.isEmpty(), qPrintable(r.describe()));
    const auto model = nlohmann::json::parse(r.out.toStdString());
    QCOMPARE(model["primaryIndex"]["hashKey"], "userId");
    QCOMPARE(model["fields"]["tags"]["type"], "set");
    // From a file, written to --out, usable by create-table.
    r = run({u"infer-model"_s, u"--file"_s, u"records.jsonl"_s, u"--out"_s, u"inferred.json"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    QCOMPARE(r.out, "wrote the inferred model to inferred.json\n"_ba);
    r = onStore({u"create-table"_s, u"inferred"_s, u"--model"_s, file(u"inferred.json"_s)});
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    r = onStore({u"import"_s, u"inferred"_s, u"records.jsonl"_s});
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    // A malformed file: its line.
    QVERIFY(writeFile(file(u"broken.jsonl"_s), "{\"a\":1}\n[\n"));
    r = run({u"infer-model"_s, u"--file"_s, u"broken.jsonl"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains("broken.jsonl:2: "));
}

void TstTransferCli::importPythonModel()
{
    const QString python = QStringLiteral(STRUCTDESK_TESTS_DIR "/data/python/users_table.py");
    CliRun r = run({u"import-python-model"_s, python});
    QVERIFY2(r.exitCode == 0 && r.err.isEmpty(), qPrintable(r.describe()));
    const auto expected = nlohmann::json::parse(
        readAll(QStringLiteral(STRUCTDESK_TESTS_DIR "/data/python/users_table.expected.json"))
            .toStdString());
    const auto got = nlohmann::json::parse(r.out.toStdString());
    QCOMPARE(got["fields"].size(), expected["fields"].size());
    QCOMPARE(got["table"], "accounts-data");

    r = run({u"import-python-model"_s, python, u"--out"_s, u"python.json"_s});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, "wrote the model of UsersTableModel to python.json\n"_ba);
    r = onStore({u"create-table"_s, u"accounts-data"_s, u"--model"_s, file(u"python.json"_s)});
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));

    QVERIFY(writeFile(
        file(u"models.py"_s),
        "from typing import Optional\nfrom StructNoSQL import TableDataModel, BaseField\n\n"
        "class T(TableDataModel):\n    userId = BaseField(field_type=str, required=True)\n"
        "    nick = BaseField(field_type=Optional[str])\n"));
    r = run({u"import-python-model"_s, u"models.py"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(
        r.err.startsWith("structdesk-cli: models.py:6: field_type=Optional[str] is not understood"),
        qPrintable(r.describe()));

    QVERIFY(writeFile(
        file(u"two.py"_s),
        "from StructNoSQL import TableDataModel, BaseField\n\n"
        "class A(TableDataModel):\n    aId = BaseField(field_type=str, required=True)\n"
        "class B(TableDataModel):\n    bId = BaseField(field_type=int, required=True)\n"));
    r = run({u"import-python-model"_s, u"two.py"_s});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains("--table-class"));
    r = run({u"import-python-model"_s, u"two.py"_s, u"--table-class"_s, u"B"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.err.contains("note: the file has no PrimaryIndex"));
    QCOMPARE(nlohmann::json::parse(r.out.toStdString())["primaryIndex"]["hashKeyType"], "int");
}

void TstTransferCli::check()
{
    QCOMPARE(onStore({u"import"_s, u"users"_s, u"records.jsonl"_s}).exitCode, 0);
    CliRun r = onStore({u"check"_s, u"users"_s});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, "all 2 records of users pass its model\n"_ba);
    // Records that break the model get in through update (an upsert checks only the field).
    QCOMPARE(onStore({u"update"_s, u"users"_s, u"bad1"_s, u"age"_s, u"5"_s}).exitCode, 0);
    QCOMPARE(
        onStore({u"update"_s, u"users"_s, u"bad2"_s, u"metadata.lastConnectionTimestamp"_s, u"1"_s})
            .exitCode,
        0);
    r = onStore({u"check"_s, u"users"_s});
    QCOMPARE(r.exitCode, 1);
    const QString err = QString::fromUtf8(r.err);
    QVERIFY2(err.contains(u"structdesk-cli: users: \"bad1\": username: "_s), qPrintable(err));
    QVERIFY2(err.contains(u"structdesk-cli: users: \"bad2\": "_s), qPrintable(err));
    QVERIFY2(err.contains(u"metadata.accountCreationTimestamp"_s), qPrintable(err));
    QVERIFY(err.contains(u"2 of the 4 records of users fail its model"_s));
    QCOMPARE(err.count(u'\n'), 3);
}

void TstTransferCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("import without a file") << QStringList{u"import"_s, u"users"_s};
    QTest::newRow("unknown format")
        << QStringList{u"import"_s, u"users"_s, u"records.jsonl"_s, u"--format"_s, u"xml"_s};
    QTest::newRow("unknown mode") << QStringList{u"import"_s, u"users"_s, u"records.jsonl"_s,
                                                 u"--mode"_s, u"some"_s};
    QTest::newRow("unknown existing")
        << QStringList{u"import"_s, u"users"_s, u"records.jsonl"_s, u"--existing"_s, u"x"_s};
    QTest::newRow("rejects without skip-invalid")
        << QStringList{u"import"_s, u"users"_s, u"records.jsonl"_s, u"--rejects"_s, u"r.jsonl"_s};
    QTest::newRow("export without a table") << QStringList{u"export"_s};
    QTest::newRow("--out without a value") << QStringList{u"export"_s, u"users"_s, u"--out"_s};
    QTest::newRow("infer-model with both")
        << QStringList{u"infer-model"_s, u"users"_s, u"--file"_s, u"records.jsonl"_s};
    QTest::newRow("import-python-model without a file") << QStringList{u"import-python-model"_s};
    QTest::newRow("check without a table") << QStringList{u"check"_s};
}

void TstTransferCli::usageErrors()
{
    QFETCH(QStringList, args);
    const CliRun r = onStore(args);
    QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
    QVERIFY(r.err.startsWith("structdesk-cli: "));
}

void TstTransferCli::missingStore()
{
    const QString nowhere = file(u"nowhere.structdesk"_s);
    for (const QStringList &args :
         {QStringList{u"import"_s, u"users"_s, u"records.jsonl"_s},
          QStringList{u"export"_s, u"users"_s}, QStringList{u"infer-model"_s, u"users"_s},
          QStringList{u"check"_s, u"users"_s}}) {
        const CliRun r = run(QStringList{u"--store"_s, nowhere} + args);
        QVERIFY2(r.exitCode == 3, qPrintable(r.describe()));
    }
    QVERIFY(!QFile::exists(nowhere));
    // A table that does not exist is the operation's failure (1), as for the other commands.
    const CliRun r = onStore({u"export"_s, u"nope"_s});
    QCOMPARE(r.exitCode, 1);
}

QTEST_GUILESS_MAIN(TstTransferCli)
#include "tst_transfercli.moc"
