#pragma once

// One run of structdesk-cli: the parsed arguments, the open store, and every command.
//
// What every command shares (its opening: the arguments, the store, the table model, the key;
// errors with their exit statuses; writing to stdout and stderr) lives in session.cpp. The
// commands live by family, one file each: tablecommands.cpp, recordcommands.cpp,
// readcommands.cpp, rekeycommands.cpp, transfercommands.cpp, modelcommands.cpp.

#include "app/cli/arguments.h"
#include "app/cli/clierror.h"
#include "app/clitool.h"
#include "model/store/open/storefactory.h"
#include "model/store/recordstore.h"
#include "model/transfer/transferformat.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <cstdio>
#include <memory>
#include <optional>

namespace cli {

class Session
{
public:
    Session(FILE *out, FILE *err, FILE *in) : m_out(out), m_err(err), m_in(in) {}

    /// Runs one command line (without the program name) and returns the exit status.
    int run(const QStringList &args);

private:
    using Outcome = std::optional<CliError>;

    // ---- shared by every command (session.cpp) ----

    int report(const CliError &e);
    void writeOut(const QByteArray &bytes)
    {
        fwrite(bytes.constData(), 1, size_t(bytes.size()), m_out);
    }
    void writeErr(const QByteArray &bytes)
    {
        fwrite(bytes.constData(), 1, size_t(bytes.size()), m_err);
    }
    void printLine(const QByteArray &bytes)
    {
        writeOut(bytes);
        writeOut("\n");
    }
    Outcome dispatch();
    Outcome expectArgs(int min, int max, const char *shape);
    Outcome openStore(StoreFactory::Create create = StoreFactory::Create::No);
    /// The opening of most commands: the arguments' count, then the store.
    Outcome argumentsAndStore(int min, int max, const char *shape);
    /// The arguments' count, the store, then the model of the table named first (kept in
    /// m_model).
    CliResult<TableModelPtr> argumentsAndTable(int min, int max, const char *shape);
    /// create-table and set-model: TABLE, and the model read from --model FILE.
    CliResult<TableModelPtr> modelFileArgument();
    /// Reads a JSON argument: literal text, `-` for standard input, @FILE for a file.
    CliResult<QByteArray> jsonArgument(const QString &arg);
    CliResult<Value> parseJsonArgument(const QString &arg, const QString &what);
    CliResult<TableModelPtr> tableModel(const QString &table);
    CliResult<Value> key(const TableModel &model, const QString &text);
    /// Shared by get, delete and remove: the table's model and the typed key.
    CliResult<Value> tableAndKey(const char *shape, int extraMin = 0, int extraMax = 0);
    CliError absent(const Value &k) const;
    /// A setter from a path and plain JSON, typed by the model at that path.
    CliResult<FieldSetter> setter(const QString &path, const Value &plain);
    CliResult<ScanRequest> filterRequest();
    /// One stored record that cannot be read and was skipped, on stderr.
    void reportUnreadable(const UnreadableRecord &bad);
    /// Exit 4: the command did its work, but `n` unreadable stored records were skipped.
    CliError skippedUnreadable(qint64 n, const QString &done);
    /// --format, or nullopt when it is not given.
    CliResult<std::optional<TransferFormat>> formatOption();
    /// Text to --out FILE (replaced only once complete) or to standard output.
    Outcome writeOutput(const QByteArray &text, const QString &what);

    // ---- tables, create-table, model, set-model, drop-table (tablecommands.cpp) ----

    Outcome tables();
    Outcome createTable();
    Outcome showModel();
    /// Attaches a model file to an existing table (its key must match the table's).
    Outcome setModel();
    Outcome dropTable();

    // ---- one record (recordcommands.cpp) ----

    Outcome put();
    Outcome get();
    Outcome deleteRecord();
    Outcome removeRecord();
    Outcome update();
    Outcome updateMany();
    Outcome removeFieldCommon(bool print);
    Outcome deleteField() { return removeFieldCommon(false); }
    Outcome removeField() { return removeFieldCommon(true); }

    // ---- scan, query, count (readcommands.cpp) ----

    Outcome scan();
    /// Prints the records of every page as JSON lines, up to --limit: scan and query.
    template <typename Request, typename Fetch> Outcome printPages(Request &request, Fetch fetch);
    Outcome query();
    Outcome count();

    // ---- rekey, journal (rekeycommands.cpp) ----

    Outcome rekey();
    Outcome journal();

    // ---- import, export (transfercommands.cpp) ----

    Outcome importFile();
    Outcome exportTable();

    // ---- infer-model, import-python-model, check (modelcommands.cpp) ----

    Outcome inferModel();
    Outcome importPythonModel();
    Outcome checkTable();

    FILE *m_out;
    FILE *m_err;
    FILE *m_in;
    Arguments m_args;
    QString m_command;
    std::unique_ptr<RecordStore> m_store;
    TableModelPtr m_model;
};

} // namespace cli
