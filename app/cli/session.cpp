// The part every command shares: running a command line, writing to stdout and stderr,
// errors with their exit statuses, and the openings (the arguments, the store, the table
// model, the key, JSON arguments, --where filters, --format, --out, unreadable records).
#include "app/cli/session.h"

#include "app/cli/arguments.h"
#include "model/core/names.h"
#include "model/json/jsoncodec.h"
#include "model/schema/fieldpath.h"
#include "model/schema/validator.h"
#include <QFile>
#include <QSaveFile>

namespace cli {

int Session::run(const QStringList &args)
{
    auto parsed = parseArguments(args);
    if (auto *e = std::get_if<CliError>(&parsed))
        return report(*e);
    m_args = std::get<Arguments>(std::move(parsed));
    if (m_args.help) {
        writeOut(CliTool::usageText().toUtf8());
        return CliTool::Success;
    }
    if (m_args.positional.isEmpty())
        return report(usage(QStringLiteral("no command given")));
    m_command = m_args.positional.takeFirst();
    std::optional<CliError> error = dispatch();
    return error ? report(*error) : CliTool::Success;
}

int Session::report(const CliError &e)
{
    writeErr((QStringLiteral("structdesk-cli: ") + e.message + u'\n').toUtf8());
    return e.exit;
}

Session::Outcome Session::expectArgs(int min, int max, const char *shape)
{
    const int n = int(m_args.positional.size());
    if (n < min || n > max)
        return usage(QStringLiteral("usage: structdesk-cli [--store LOCATION] %1 %2")
                         .arg(m_command, QLatin1String(shape)));
    return std::nullopt;
}

Session::Outcome Session::openStore(StoreFactory::Create create)
{
    const QString location = StoreFactory::withParameters(
        m_args.store.isEmpty() ? StoreFactory::defaultLocation() : m_args.store, m_args.network);
    auto store = StoreFactory::open(location, create);
    if (!store)
        return CliError{CliTool::Unavailable, store.error().message};
    m_store = std::move(*store);
    // A damaged store opens for reading only; say so before anything is read from it.
    if (const QString damaged = m_store->capabilities().damaged; !damaged.isEmpty())
        writeErr((QStringLiteral("structdesk-cli: warning: ") + damaged + u'\n').toUtf8());
    return std::nullopt;
}

Session::Outcome Session::argumentsAndStore(int min, int max, const char *shape)
{
    if (auto e = expectArgs(min, max, shape))
        return e;
    return openStore();
}

CliResult<TableModelPtr> Session::argumentsAndTable(int min, int max, const char *shape)
{
    if (auto e = argumentsAndStore(min, max, shape))
        return *e;
    auto m = tableModel(m_args.positional[0]);
    if (auto *e = std::get_if<CliError>(&m))
        return *e;
    m_model = std::get<TableModelPtr>(m);
    return m_model;
}

CliResult<TableModelPtr> Session::modelFileArgument()
{
    if (auto e = expectArgs(1, 1, "TABLE --model FILE"))
        return *e;
    if (m_args.modelFile.isEmpty())
        return usage(QStringLiteral("%1 needs --model FILE").arg(m_command));
    auto model = TableModel::fromFile(m_args.modelFile);
    if (!model)
        return CliError{CliTool::Failed, model.error().toString()};
    return *model;
}

/// Reads a JSON argument: literal text, `-` for standard input, @FILE for a file.
CliResult<QByteArray> Session::jsonArgument(const QString &arg)
{
    if (arg == u"-") {
        QFile input;
        if (!input.open(m_in, QIODevice::ReadOnly))
            return CliError{CliTool::Usage, QStringLiteral("cannot read standard input")};
        return input.readAll();
    }
    if (arg.startsWith(u'@')) {
        QFile file(arg.mid(1));
        if (!file.open(QIODevice::ReadOnly))
            return CliError{
                CliTool::Failed,
                QStringLiteral("cannot read %1: %2").arg(file.fileName(), file.errorString())};
        return file.readAll();
    }
    return arg.toUtf8();
}

CliResult<Value> Session::parseJsonArgument(const QString &arg, const QString &what)
{
    auto bytes = jsonArgument(arg);
    if (auto *e = std::get_if<CliError>(&bytes))
        return *e;
    const QString source = arg.startsWith(u'@') ? arg.mid(1) : what;
    auto value = JsonCodec::parsePlain(std::get<QByteArray>(bytes));
    if (!value)
        return CliError{CliTool::Failed,
                        QStringLiteral("%1: %2").arg(source, value.error().toString())};
    return std::move(*value);
}

CliResult<TableModelPtr> Session::tableModel(const QString &table)
{
    auto m = m_store->model(table);
    if (!m)
        return fromError(m.error());
    return *m;
}

CliResult<Value> Session::key(const TableModel &model, const QString &text)
{
    auto k = RecordStore::parseKey(model, text);
    if (!k)
        return fromError(k.error());
    return *k;
}

Session::Outcome Session::dispatch()
{
    static const QHash<QString, Outcome (Session::*)()> commands = {
        {QStringLiteral("tables"), &Session::tables},
        {QStringLiteral("create-table"), &Session::createTable},
        {QStringLiteral("model"), &Session::showModel},
        {QStringLiteral("set-model"), &Session::setModel},
        {QStringLiteral("drop-table"), &Session::dropTable},
        {QStringLiteral("put"), &Session::put},
        {QStringLiteral("get"), &Session::get},
        {QStringLiteral("delete"), &Session::deleteRecord},
        {QStringLiteral("remove"), &Session::removeRecord},
        {QStringLiteral("update"), &Session::update},
        {QStringLiteral("update-many"), &Session::updateMany},
        {QStringLiteral("delete-field"), &Session::deleteField},
        {QStringLiteral("remove-field"), &Session::removeField},
        {QStringLiteral("scan"), &Session::scan},
        {QStringLiteral("query"), &Session::query},
        {QStringLiteral("count"), &Session::count},
        {QStringLiteral("rekey"), &Session::rekey},
        {QStringLiteral("journal"), &Session::journal},
        {QStringLiteral("import"), &Session::importFile},
        {QStringLiteral("export"), &Session::exportTable},
        {QStringLiteral("infer-model"), &Session::inferModel},
        {QStringLiteral("import-python-model"), &Session::importPythonModel},
        {QStringLiteral("check"), &Session::checkTable},
    };
    auto it = commands.constFind(m_command);
    if (it == commands.cend())
        return usage(QStringLiteral("unknown command %1").arg(m_command));
    return (this->*it.value())();
}

/// Shared by get, delete and remove: the table's model and the typed key.
CliResult<Value> Session::tableAndKey(const char *shape, int extraMin, int extraMax)
{
    auto m = argumentsAndTable(2 + extraMin, 2 + extraMax, shape);
    if (auto *e = std::get_if<CliError>(&m))
        return *e;
    return key(*m_model, m_args.positional[1]);
}

CliError Session::absent(const Value &k) const
{
    return CliError{CliTool::Failed, QStringLiteral("there is no record with the key %1 in %2")
                                         .arg(k.text(), m_args.positional[0])};
}

/// A setter from a path and plain JSON, typed by the model at that path.
CliResult<FieldSetter> Session::setter(const QString &path, const Value &plain)
{
    FieldSetter s{path, plain, m_args.variables};
    auto resolved = resolvePath(*m_model, path, m_args.variables);
    if (!resolved)
        return fromError(resolved.error());
    s.value = applyModelTypesAt(*m_model, *resolved, plain);
    return s;
}

CliResult<ScanRequest> Session::filterRequest()
{
    ScanRequest request;
    for (const QString &where : m_args.wheres) {
        const qsizetype eq = where.indexOf(u'=');
        if (eq <= 0)
            return usage(QStringLiteral("--where takes PATH=VALUE, not \"%1\"").arg(where));
        FilterCondition c;
        auto path = splitLiteralPath(where.left(eq));
        if (!path)
            return usage(
                QStringLiteral("--where %1: %2").arg(excerpt(where, 160), path.error().message));
        c.path = std::move(*path);
        const QString text = where.mid(eq + 1);
        // VALUE is JSON when it parses as JSON (42, true, "x"), else plain text.
        auto parsed = JsonCodec::parsePlain(text.toUtf8());
        c.operand = parsed ? *parsed : Value::string(text);
        request.conditions.push_back(std::move(c));
    }
    return request;
}

/// One stored record that cannot be read and was skipped, on stderr.
void Session::reportUnreadable(const UnreadableRecord &bad)
{
    writeErr(QStringLiteral("structdesk-cli: %1: unreadable record skipped: %2\n")
                 .arg(m_args.positional[0], bad.toString())
                 .toUtf8());
}

/// Exit 4: the command did its work, but `n` unreadable stored records were skipped.
CliError Session::skippedUnreadable(qint64 n, const QString &done)
{
    return CliError{CliTool::SkippedUnreadable,
                    QStringLiteral("%1 unreadable %2 of %3 %4 skipped (named above; get, "
                                   "update and remove refuse %5, delete discards %5); %6")
                        .arg(n)
                        .arg(n == 1 ? QStringLiteral("record") : QStringLiteral("records"))
                        .arg(m_args.positional[0])
                        .arg(n == 1 ? QStringLiteral("was") : QStringLiteral("were"))
                        .arg(n == 1 ? QStringLiteral("it") : QStringLiteral("them"))
                        .arg(done)};
}

/// --format, or nullopt when it is not given.
CliResult<std::optional<TransferFormat>> Session::formatOption()
{
    if (m_args.format.isEmpty())
        return std::optional<TransferFormat>();
    const auto format = transferFormatFromName(m_args.format);
    if (!format)
        return usage(QStringLiteral("unknown format %1; use %2")
                         .arg(m_args.format, transferFormatNames().join(QStringLiteral(", "))));
    return std::optional<TransferFormat>(*format);
}

/// Text to --out FILE (replaced only once complete) or to standard output.
Session::Outcome Session::writeOutput(const QByteArray &text, const QString &what)
{
    if (m_args.out.isEmpty()) {
        writeOut(text);
        if (!text.endsWith('\n'))
            writeOut("\n");
        return std::nullopt;
    }
    QSaveFile file(m_args.out);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit())
        return CliError{CliTool::Failed,
                        QStringLiteral("cannot write %1: %2").arg(m_args.out, file.errorString())};
    printLine(QStringLiteral("wrote %1 to %2").arg(what, m_args.out).toUtf8());
    return std::nullopt;
}

} // namespace cli
