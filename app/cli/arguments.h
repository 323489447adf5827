#pragma once

// The command line of structdesk-cli parsed: positionals, repeated options and flags.

#include "app/cli/clierror.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>

namespace cli {

/// The parsed command line: positionals, repeated options and flags.
struct Arguments
{
    QString store;
    bool storeGiven = false;
    /// --connect-timeout, --read-timeout, --deadline as location parameters (DynamoDB only).
    QList<std::pair<QString, QString>> network;
    QStringList positional;
    QHash<QString, QString> variables;
    QStringList wheres;
    QString modelFile;
    QString strategy;
    QString to;
    QString index; ///< query --index
    std::optional<int> limit;
    bool returnOld = false;
    bool help = false;
    // import, export, infer-model, import-python-model
    QString format;
    QString mode;
    QString existing;
    QString rejects;
    QString writtenKeys; ///< import --written-keys
    QString out;
    QString file;
    QString tableClass;
};

/// The arguments, or a usage error (exit 2) naming the option at fault.
CliResult<Arguments> parseArguments(const QStringList &args);

} // namespace cli
