#pragma once

// dynalite from npm (tests/package.json, installed by `make test` with `npm ci --prefix tests`),
// a DynamoDB-compatible server in Node.js: no transactions, no PartiQL, ItemCount never updated.
// Its data is always kept in files (LevelDB) in a temporary folder, so it survives kill() and
// restart().

#include "tests/common/dynamoengine.h"

class Dynalite final : public DynamoEngine
{
public:
    Dynalite() = default;
    ~Dynalite() override { stop(); }

    static QString cliPath()
    {
        return testsDir() + QStringLiteral("/node_modules/dynalite/cli.js");
    }
    static QString nodeProgram() { return QStandardPaths::findExecutable(QStringLiteral("node")); }

    /// Empty when dynalite can run here; otherwise why not, for QSKIP.
    static QString unavailableReason()
    {
        if (nodeProgram().isEmpty())
            return QStringLiteral(
                "node is not installed (make deps installs nodejs); the DynamoDB tests need it "
                "to run dynalite");
        if (!QFileInfo::exists(cliPath()))
            return QStringLiteral("%1 is missing: run `npm ci --prefix tests` (make test does) to "
                                  "install dynalite")
                .arg(cliPath());
        return {};
    }
    QString name() const override { return QStringLiteral("dynalite"); }
    bool has(Feature) const override { return false; }
    QString reasonUnavailable() const override { return unavailableReason(); }

protected:
    QString program() const override { return nodeProgram(); }
    QStringList arguments(quint16 port, const QString &dataDir, bool) const override
    {
        return {cliPath(),
                QStringLiteral("--host"),
                QStringLiteral("127.0.0.1"),
                QStringLiteral("--port"),
                QString::number(port),
                QStringLiteral("--path"),
                dataDir,
                QStringLiteral("--createTableMs"),
                QStringLiteral("0"),
                QStringLiteral("--deleteTableMs"),
                QStringLiteral("0"),
                QStringLiteral("--updateTableMs"),
                QStringLiteral("0")};
    }
};
