#pragma once

// The failures that end a structdesk-cli command: an exit status and a message for stderr.

#include "model/core/result.h"

#include <QString>

#include <variant>

namespace cli {

/// A failure that ends the command with an exit status and a message on stderr.
struct CliError
{
    int exit;
    QString message;
};

template <typename T> using CliResult = std::variant<T, CliError>;

/// The exit status of a store error's kind: 1 for a documented failure, else 3.
int exitFor(ErrorKind kind);
CliError fromError(const Error &e);
/// Exit 2: the message, then the usage text.
CliError usage(const QString &message);

} // namespace cli
