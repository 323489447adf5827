#pragma once

// AWS's DynamoDB Local (1.25.1): DynamoDBLocal.jar and DynamoDBLocal_lib/ in tests/dynamodb-local/,
// fetched by tests/fetch-dynamodb-local.sh (make test runs it) and run on Debian's Java
// (openjdk-17-jre-headless) as
//   java -Djava.library.path=DynamoDBLocal_lib -jar DynamoDBLocal.jar -inMemory -disableTelemetry
//   -port P
// in that folder. It has transactions and PartiQL, as Amazon DynamoDB has, and keeps the tables
// of each access key and region apart (no -sharedDb), as DynamoDB keeps accounts apart: the tests
// use one access key per suite. Persistent (start(error, true)): -dbPath in a temporary folder
// instead of -inMemory, so the data survives kill() and restart().
//
// Start-up takes a few seconds: a suite starts one server (EngineSet, in initTestCase), not one
// per test.

#include "tests/common/dynalite.h"
#include "tests/common/dynamoengine.h"

#include <algorithm>

class DynamoDbLocal final : public DynamoEngine
{
public:
    DynamoDbLocal() = default;
    ~DynamoDbLocal() override { stop(); }

    static QString folder() { return testsDir() + QStringLiteral("/dynamodb-local"); }
    static QString javaProgram() { return QStandardPaths::findExecutable(QStringLiteral("java")); }

    static QString unavailableReason()
    {
        if (javaProgram().isEmpty())
            return QStringLiteral(
                "java is not installed (make deps installs openjdk-17-jre-headless); the "
                "DynamoDB tests need it to run DynamoDB Local");
        if (!QFileInfo::exists(folder() + QStringLiteral("/DynamoDBLocal.jar")))
            return QStringLiteral("%1/DynamoDBLocal.jar is missing: run "
                                  "tests/fetch-dynamodb-local.sh (make test does)")
                .arg(folder());
        return {};
    }

    QString name() const override { return QStringLiteral("DynamoDB Local"); }
    bool has(Feature) const override { return true; }
    QString reasonUnavailable() const override { return unavailableReason(); }
    int startTimeoutMs() const override { return 60000; }

protected:
    QString program() const override { return javaProgram(); }
    QStringList arguments(quint16 port, const QString &dataDir, bool persistent) const override
    {
        QStringList args{QStringLiteral("-Djava.library.path=DynamoDBLocal_lib"),
                         QStringLiteral("-jar"), QStringLiteral("DynamoDBLocal.jar")};
        if (persistent)
            args << QStringLiteral("-dbPath") << dataDir;
        else
            args << QStringLiteral("-inMemory");
        args << QStringLiteral("-disableTelemetry") << QStringLiteral("-port")
             << QString::number(port);
        return args;
    }
    QString workingDirectory() const override { return folder(); }
};

/// Every engine, for suites that run each test on each: initTestCase_data() calls addRows(),
/// initTestCase() startAll(), and each test takes its engine with DYNAMO_ENGINE(name).
class EngineSet
{
public:
    EngineSet()
    {
        m_engines.push_back(std::make_unique<Dynalite>());
        m_engines.push_back(std::make_unique<DynamoDbLocal>());
    }

    /// The global data column "dynamoEngine" (unless a suite declared it, for rows of its
    /// own): one row per engine, named by it.
    static void addRows(bool withColumn = true)
    {
        if (withColumn)
            QTest::addColumn<QString>("dynamoEngine");
        for (const QString &name : {QStringLiteral("dynalite"), QStringLiteral("DynamoDB Local")})
            QTest::newRow(qPrintable(name)) << name;
    }

    /// Starts every engine that can run here, all at once; false with the reason when one
    /// that can run does not come up. Those that cannot run are skipped by DYNAMO_ENGINE with
    /// their reason.
    bool startAll(QString *error)
    {
        std::vector<DynamoEngine *> launched;
        for (auto &engine : m_engines) {
            if (engine->reasonUnavailable().isEmpty() && engine->begin(error))
                launched.push_back(engine.get());
        }
        for (auto &engine : m_engines) {
            if (!engine->reasonUnavailable().isEmpty())
                continue;
            const bool began =
                std::find(launched.begin(), launched.end(), engine.get()) != launched.end();
            // A second try from scratch (another port) when the first did not come up.
            if (!(began && engine->waitUntilReady(error)) && !engine->start(error))
                return false;
        }
        return true;
    }

    void stopAll()
    {
        for (auto &engine : m_engines)
            engine->stop();
    }

    DynamoEngine *byName(const QString &name) const
    {
        for (const auto &engine : m_engines) {
            if (engine->name() == name)
                return engine.get();
        }
        return nullptr;
    }

    /// A new engine of the same kind, not started (tests that stop, kill or restart one).
    static std::unique_ptr<DynamoEngine> another(const DynamoEngine &like)
    {
        if (like.name() == QStringLiteral("dynalite"))
            return std::make_unique<Dynalite>();
        return std::make_unique<DynamoDbLocal>();
    }

private:
    std::vector<std::unique_ptr<DynamoEngine>> m_engines;
};

/// In a test of a suite with an EngineSet `set`: `DynamoEngine &var` is this row's engine; the
/// test is skipped, saying why, when that engine cannot run here.
#define DYNAMO_ENGINE_OF(set, var)                                                                 \
    QFETCH_GLOBAL(QString, dynamoEngine);                                                          \
    DynamoEngine *var##Pointer_ = (set).byName(dynamoEngine);                                      \
    QVERIFY2(var##Pointer_, qPrintable(QStringLiteral("no engine %1").arg(dynamoEngine)));         \
    if (!var##Pointer_->reasonUnavailable().isEmpty())                                             \
        QSKIP(qPrintable(QStringLiteral("%1 cannot run here: %2")                                  \
                             .arg(dynamoEngine, var##Pointer_->reasonUnavailable())));             \
    QVERIFY2(                                                                                      \
        var##Pointer_->isRunning(),                                                                \
        qPrintable(                                                                                \
            QStringLiteral("%1 is not running: %2").arg(dynamoEngine, var##Pointer_->output())));  \
    DynamoEngine &var = *var##Pointer_
