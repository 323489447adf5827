// Exit statuses of store errors, and usage errors (the usage text follows the message).
#include "app/cli/clierror.h"

#include "app/clitool.h"

namespace cli {

int exitFor(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::Invalid:
    case ErrorKind::Exists:
    case ErrorKind::NotFound:
    case ErrorKind::Conflict:
        return CliTool::Failed;
    default:
        return CliTool::Unavailable;
    }
}

CliError fromError(const Error &e)
{
    return CliError{exitFor(e.kind), e.toString()};
}

CliError usage(const QString &message)
{
    return CliError{CliTool::Usage, message + QStringLiteral("\n\n") + CliTool::usageText()};
}

} // namespace cli
