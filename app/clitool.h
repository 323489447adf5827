#pragma once

#include <QByteArray>
#include <QStringList>

#include <cstdio>

/// structdesk-cli: every record operation of a store from the command line.
///
/// Exit statuses (a public interface): 0 success; 1 the operation's documented failure
/// (refused, invalid, exists, absent) with the reason on stderr; 2 usage error; 3 store
/// unavailable or backend error; 4 done, but unreadable stored records or journal files were
/// skipped (each named on stderr).
class CliTool
{
public:
    enum Exit { Success = 0, Failed = 1, Usage = 2, Unavailable = 3, SkippedUnreadable = 4 };

    CliTool(FILE *out, FILE *err, FILE *in) : m_out(out), m_err(err), m_in(in) {}
    /// Runs one command line (without the program name) and returns the exit status.
    int run(const QStringList &arguments);

    static QString usageText();

private:
    FILE *m_out;
    FILE *m_err;
    FILE *m_in;
};
