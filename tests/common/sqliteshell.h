#pragma once

// The sqlite3 shell, run on a store file from outside as a user would, to damage it behind
// StructDesk's back. `make deps` installs it.

#include <QProcess>
#include <QStandardPaths>
#include <QString>

namespace SqliteShell {

/// The shell's path, or empty when it is not installed.
inline QString path()
{
    return QStandardPaths::findExecutable(QStringLiteral("sqlite3"));
}

struct Run
{
    int exit = -1;
    QString out;
    QString err;
};

/// Runs `sql` on `file` with the shell.
inline Run exec(const QString &file, const QString &sql)
{
    QProcess p;
    p.start(path(), {QStringLiteral("-batch"), file, sql});
    if (!p.waitForFinished(60000))
        p.kill();
    return Run{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
               QString::fromUtf8(p.readAllStandardOutput()),
               QString::fromUtf8(p.readAllStandardError())};
}

/// One row of the stored records of `table` exactly as the file holds it ("item|typeof"), for
/// checking that a refused operation left it untouched.
inline QString rawRow(const QString &file, const QString &table, const QString &pk)
{
    return exec(file,
                QStringLiteral("SELECT quote(item), typeof(item) FROM \"rec_%1\" WHERE pk = '%2'")
                    .arg(table, pk))
        .out.trimmed();
}

} // namespace SqliteShell
