#include "app/clitool.h"

#include "model/store/dynamodb/dynamodbclient.h"
#include "model/transfer/exporter.h"
#include "model/schema/fieldpath.h"
#include "model/transfer/importer.h"
#include "model/json/jsoncodec.h"
#include "model/analysis/modelinferencejob.h"
#include "model/schema/modelinference.h"
#include "model/core/names.h"
#include "model/schema/python/pythonmodel.h"
#include "model/store/recordstore.h"
#include "model/rekey/recoveryjournal.h"
#include "model/rekey/rekeyengine.h"
#include "model/store/open/storefactory.h"
#include "model/analysis/tablecheck.h"
#include "model/transfer/transferformat.h"
#include "model/schema/validator.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSaveFile>
#include <QThread>

#include <memory>
#include <optional>

namespace {

/// A failure that ends the command with an exit status and a message on stderr.
struct CliError
{
    int exit;
    QString message;
};

template<typename T>
using CliResult = std::variant<T, CliError>;

int exitFor(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::Invalid:
    case ErrorKind::Exists:
    case ErrorKind::NotFound:
    case ErrorKind::Conflict: return CliTool::Failed;
    default: return CliTool::Unavailable;
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

/// The value-taking options of import, export, infer-model and import-python-model.
QString *transferOption(Arguments &a, const QString &arg)
{
    const QString name = arg.section(u'=', 0, 0);
    if (name == u"--format")
        return &a.format;
    if (name == u"--mode")
        return &a.mode;
    if (name == u"--existing")
        return &a.existing;
    if (name == u"--rejects")
        return &a.rejects;
    if (name == u"--written-keys")
        return &a.writtenKeys;
    if (name == u"--out")
        return &a.out;
    if (name == u"--file")
        return &a.file;
    if (name == u"--table-class")
        return &a.tableClass;
    return nullptr;
}

CliResult<Arguments> parseArguments(const QStringList &args)
{
    Arguments a;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &arg = args[i];
        auto next = [&](const QString &option) -> std::optional<QString> {
            if (i + 1 >= args.size())
                return std::nullopt;
            Q_UNUSED(option);
            return args[++i];
        };
        auto valueOf = [&](const QString &option, QString &target) -> std::optional<CliError> {
            if (arg.startsWith(option + u'=')) {
                target = arg.mid(option.size() + 1);
                return std::nullopt;
            }
            auto v = next(option);
            if (!v)
                return usage(QStringLiteral("%1 needs a value").arg(option));
            target = *v;
            return std::nullopt;
        };
        auto isOption = [&](const QString &option) {
            return arg == option || arg.startsWith(option + u'=');
        };
        if (isOption(QStringLiteral("--store"))) {
            if (auto e = valueOf(QStringLiteral("--store"), a.store))
                return *e;
            if (a.store.isEmpty())
                return usage(QStringLiteral("--store needs a location; it was given an empty one"));
            a.storeGiven = true;
        } else if (isOption(QStringLiteral("--connect-timeout")) ||
                   isOption(QStringLiteral("--read-timeout")) ||
                   isOption(QStringLiteral("--deadline"))) {
            const QString option = arg.section(u'=', 0, 0);
            QString v;
            if (auto e = valueOf(option, v))
                return *e;
            const bool isDeadline = option == u"--deadline";
            if (auto ms = DynamoDbClientOptions::parseSeconds(v, option, !isDeadline); !ms)
                return usage(ms.error().message);
            QString parameter = option.mid(2);
            parameter.replace(u'-', u'_');
            a.network.append({parameter, v.trimmed()});
        } else if (isOption(QStringLiteral("--model"))) {
            if (auto e = valueOf(QStringLiteral("--model"), a.modelFile))
                return *e;
        } else if (isOption(QStringLiteral("--strategy"))) {
            if (auto e = valueOf(QStringLiteral("--strategy"), a.strategy))
                return *e;
        } else if (isOption(QStringLiteral("--index"))) {
            if (auto e = valueOf(QStringLiteral("--index"), a.index))
                return *e;
        } else if (isOption(QStringLiteral("--to"))) {
            if (auto e = valueOf(QStringLiteral("--to"), a.to))
                return *e;
        } else if (isOption(QStringLiteral("--var"))) {
            QString v;
            if (auto e = valueOf(QStringLiteral("--var"), v))
                return *e;
            const qsizetype eq = v.indexOf(u'=');
            if (eq <= 0)
                return usage(QStringLiteral("--var takes NAME=VALUE, not \"%1\"").arg(v));
            if (eq == v.size() - 1)
                return usage(QStringLiteral("--var %1 gives {{%2}} an empty value; a placeholder "
                                            "stands for a map key or a list index, and neither "
                                            "can be empty")
                                 .arg(v, v.left(eq)));
            a.variables.insert(v.left(eq), v.mid(eq + 1));
        } else if (isOption(QStringLiteral("--where"))) {
            QString v;
            if (auto e = valueOf(QStringLiteral("--where"), v))
                return *e;
            a.wheres << v;
        } else if (isOption(QStringLiteral("--limit"))) {
            QString v;
            if (auto e = valueOf(QStringLiteral("--limit"), v))
                return *e;
            bool ok = false;
            const int n = v.toInt(&ok);
            if (!ok || n < 0)
                return usage(QStringLiteral("--limit takes a whole number, not \"%1\"").arg(v));
            a.limit = n;
        } else if (QString *target = transferOption(a, arg)) {
            if (auto e = valueOf(arg.section(u'=', 0, 0), *target))
                return *e;
        } else if (arg == u"--return-old") {
            a.returnOld = true;
        } else if (arg == u"--help" || arg == u"-h") {
            a.help = true;
        } else if (arg == u"-" || !arg.startsWith(u'-') || (arg.size() > 1 && arg[1].isDigit())) {
            a.positional << arg;
        } else if (arg == u"--") {
            a.positional << args.mid(i + 1);
            break;
        } else {
            return usage(QStringLiteral("unknown option %1").arg(arg));
        }
    }
    return a;
}

class Session
{
public:
    Session(FILE *out, FILE *err, FILE *in) : m_out(out), m_err(err), m_in(in) {}

    int run(const QStringList &args)
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

private:
    using Outcome = std::optional<CliError>;

    int report(const CliError &e)
    {
        writeErr((QStringLiteral("structdesk-cli: ") + e.message + u'\n').toUtf8());
        return e.exit;
    }
    void writeOut(const QByteArray &bytes) { fwrite(bytes.constData(), 1, size_t(bytes.size()), m_out); }
    void writeErr(const QByteArray &bytes) { fwrite(bytes.constData(), 1, size_t(bytes.size()), m_err); }
    void printLine(const QByteArray &bytes)
    {
        writeOut(bytes);
        writeOut("\n");
    }

    Outcome expectArgs(int min, int max, const char *shape)
    {
        const int n = int(m_args.positional.size());
        if (n < min || n > max)
            return usage(QStringLiteral("usage: structdesk-cli [--store LOCATION] %1 %2")
                             .arg(m_command, QLatin1String(shape)));
        return std::nullopt;
    }

    Outcome openStore(StoreFactory::Create create = StoreFactory::Create::No)
    {
        const QString location = StoreFactory::withParameters(
            m_args.store.isEmpty() ? StoreFactory::defaultLocation() : m_args.store,
            m_args.network);
        auto store = StoreFactory::open(location, create);
        if (!store)
            return CliError{CliTool::Unavailable, store.error().message};
        m_store = std::move(*store);
        // A damaged store opens for reading only; say so before anything is read from it.
        if (const QString damaged = m_store->capabilities().damaged; !damaged.isEmpty())
            writeErr((QStringLiteral("structdesk-cli: warning: ") + damaged + u'\n').toUtf8());
        return std::nullopt;
    }

    /// Reads a JSON argument: literal text, `-` for standard input, @FILE for a file.
    CliResult<QByteArray> jsonArgument(const QString &arg)
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
                return CliError{CliTool::Failed, QStringLiteral("cannot read %1: %2").arg(file.fileName(), file.errorString())};
            return file.readAll();
        }
        return arg.toUtf8();
    }

    CliResult<Value> parseJsonArgument(const QString &arg, const QString &what)
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

    CliResult<TableModelPtr> tableModel(const QString &table)
    {
        auto m = m_store->model(table);
        if (!m)
            return fromError(m.error());
        return *m;
    }

    CliResult<Value> key(const TableModel &model, const QString &text)
    {
        auto k = RecordStore::parseKey(model, text);
        if (!k)
            return fromError(k.error());
        return *k;
    }

    Outcome dispatch()
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

    Outcome tables()
    {
        if (auto e = expectArgs(0, 0, ""))
            return e;
        if (auto e = openStore())
            return e;
        auto names = m_store->listTables();
        if (!names)
            return fromError(names.error());
        for (const QString &name : *names)
            printLine(name.toUtf8());
        return std::nullopt;
    }

    Outcome createTable()
    {
        if (auto e = expectArgs(1, 1, "TABLE --model FILE"))
            return e;
        if (m_args.modelFile.isEmpty())
            return usage(QStringLiteral("create-table needs --model FILE"));
        auto model = TableModel::fromFile(m_args.modelFile);
        if (!model)
            return CliError{CliTool::Failed, model.error().toString()};
        const QString &table = m_args.positional[0];
        // Refuse a bad name before a new store file is made for it.
        if (const QString problem = TableModel::checkTableName(table); !problem.isEmpty())
            return CliError{CliTool::Failed, QStringLiteral("%1: %2").arg(table, problem)};
        const QString location = m_args.store.isEmpty() ? StoreFactory::defaultLocation() : m_args.store;
        const bool existed = StoreFactory::isRemote(location) || QFileInfo::exists(location);
        if (auto e = openStore(StoreFactory::Create::IfMissing))
            return e;
        if (auto s = m_store->createTable(table, **model); !s) {
            if (!existed) {
                m_store.reset();
                QFile::remove(location);
                QFile::remove(location + QStringLiteral("-wal"));
                QFile::remove(location + QStringLiteral("-shm"));
            }
            return fromError(s.error());
        }
        printLine(QStringLiteral("created table %1").arg(table).toUtf8());
        return std::nullopt;
    }

    Outcome showModel()
    {
        if (auto e = expectArgs(1, 1, "TABLE"))
            return e;
        if (auto e = openStore())
            return e;
        auto m = tableModel(m_args.positional[0]);
        if (auto *e = std::get_if<CliError>(&m))
            return *e;
        writeOut(std::get<TableModelPtr>(m)->toJson());
        if (!std::get<TableModelPtr>(m)->toJson().endsWith('\n'))
            writeOut("\n");
        // An inferred model is only as good as its sample: say so, apart from the model text.
        if (auto info = m_store->describeTable(m_args.positional[0]);
            info && info->inferredFrom > 0)
            writeErr(QStringLiteral("note: %1 has no attached model; this one is inferred from %2 "
                                    "sampled %3 (attach one with set-model)\n")
                         .arg(m_args.positional[0])
                         .arg(info->inferredFrom)
                         .arg(info->inferredFrom == 1 ? QStringLiteral("record")
                                                      : QStringLiteral("records"))
                         .toUtf8());
        return std::nullopt;
    }

    /// Attaches a model file to an existing table (its key must match the table's).
    Outcome setModel()
    {
        if (auto e = expectArgs(1, 1, "TABLE --model FILE"))
            return e;
        if (m_args.modelFile.isEmpty())
            return usage(QStringLiteral("set-model needs --model FILE"));
        auto model = TableModel::fromFile(m_args.modelFile);
        if (!model)
            return CliError{CliTool::Failed, model.error().toString()};
        if (auto e = openStore())
            return e;
        if (auto s = m_store->setModel(m_args.positional[0], **model); !s)
            return fromError(s.error());
        printLine(QStringLiteral("attached the model %1 to table %2")
                      .arg(m_args.modelFile, m_args.positional[0])
                      .toUtf8());
        return std::nullopt;
    }

    Outcome dropTable()
    {
        if (auto e = expectArgs(1, 1, "TABLE"))
            return e;
        if (auto e = openStore())
            return e;
        if (auto s = m_store->dropTable(m_args.positional[0]); !s)
            return fromError(s.error());
        printLine(QStringLiteral("dropped table %1").arg(m_args.positional[0]).toUtf8());
        return std::nullopt;
    }

    Outcome put()
    {
        if (auto e = expectArgs(2, 2, "TABLE JSON"))
            return e;
        if (auto e = openStore())
            return e;
        auto m = tableModel(m_args.positional[0]);
        if (auto *e = std::get_if<CliError>(&m))
            return *e;
        auto record = parseJsonArgument(m_args.positional[1], QStringLiteral("the record"));
        if (auto *e = std::get_if<CliError>(&record))
            return *e;
        const Value typed = applyModelTypes(*std::get<TableModelPtr>(m), std::get<Value>(record));
        if (auto s = m_store->putRecord(m_args.positional[0], typed); !s)
            return fromError(s.error());
        return std::nullopt;
    }

    /// Shared by get, delete and remove: the table's model and the typed key.
    CliResult<Value> tableAndKey(const char *shape, int extraMin = 0, int extraMax = 0)
    {
        if (auto e = expectArgs(2 + extraMin, 2 + extraMax, shape))
            return *e;
        if (auto e = openStore())
            return *e;
        auto m = tableModel(m_args.positional[0]);
        if (auto *e = std::get_if<CliError>(&m))
            return *e;
        m_model = std::get<TableModelPtr>(m);
        return key(*m_model, m_args.positional[1]);
    }

    CliError absent(const Value &k) const
    {
        return CliError{CliTool::Failed, QStringLiteral("there is no record with the key %1 in %2")
                                             .arg(k.text(), m_args.positional[0])};
    }

    Outcome get()
    {
        auto k = tableAndKey("TABLE KEY");
        if (auto *e = std::get_if<CliError>(&k))
            return *e;
        auto record = m_store->getRecord(m_args.positional[0], std::get<Value>(k));
        if (!record)
            return fromError(record.error());
        if (!record->has_value())
            return absent(std::get<Value>(k));
        printLine(JsonCodec::toPlain(**record));
        return std::nullopt;
    }

    Outcome deleteRecord()
    {
        auto k = tableAndKey("TABLE KEY");
        if (auto *e = std::get_if<CliError>(&k))
            return *e;
        auto deleted = m_store->deleteRecord(m_args.positional[0], std::get<Value>(k));
        if (!deleted)
            return fromError(deleted.error());
        if (!*deleted)
            return absent(std::get<Value>(k));
        return std::nullopt;
    }

    Outcome removeRecord()
    {
        auto k = tableAndKey("TABLE KEY");
        if (auto *e = std::get_if<CliError>(&k))
            return *e;
        auto removed = m_store->removeRecord(m_args.positional[0], std::get<Value>(k));
        if (!removed)
            return fromError(removed.error());
        if (!removed->has_value())
            return absent(std::get<Value>(k));
        printLine(JsonCodec::toPlain(**removed));
        return std::nullopt;
    }

    /// A setter from a path and plain JSON, typed by the model at that path.
    CliResult<FieldSetter> setter(const QString &path, const Value &plain)
    {
        FieldSetter s{path, plain, m_args.variables};
        auto resolved = resolvePath(*m_model, path, m_args.variables);
        if (!resolved)
            return fromError(resolved.error());
        s.value = applyModelTypesAt(*m_model, *resolved, plain);
        return s;
    }

    Outcome update()
    {
        auto k = tableAndKey("TABLE KEY PATH VALUE_JSON [--var NAME=VALUE]... [--return-old]", 2, 2);
        if (auto *e = std::get_if<CliError>(&k))
            return *e;
        auto plain = parseJsonArgument(
            m_args.positional[3],
            QStringLiteral("the value of %1").arg(excerpt(m_args.positional[2], 120)));
        if (auto *e = std::get_if<CliError>(&plain))
            return *e;
        auto s = setter(m_args.positional[2], std::get<Value>(plain));
        if (auto *e = std::get_if<CliError>(&s))
            return *e;
        auto old = m_store->updateFieldReturnOld(m_args.positional[0], std::get<Value>(k),
                                                 std::get<FieldSetter>(s));
        if (!old)
            return fromError(old.error());
        if (m_args.returnOld && old->has_value())
            printLine(JsonCodec::toPlain(**old));
        return std::nullopt;
    }

    Outcome updateMany()
    {
        auto k = tableAndKey("TABLE KEY JSON_OBJECT_OF_PATH_TO_VALUE [--var NAME=VALUE]... [--return-old]", 1, 1);
        if (auto *e = std::get_if<CliError>(&k))
            return *e;
        auto plain = parseJsonArgument(m_args.positional[2], QStringLiteral("the updates"));
        if (auto *e = std::get_if<CliError>(&plain))
            return *e;
        const Value &object = std::get<Value>(plain);
        if (!object.isMap() || object.size() == 0)
            return CliError{CliTool::Failed,
                            QStringLiteral("update-many takes a non-empty JSON object of path -> value")};
        std::vector<FieldSetter> setters;
        const Value::Map &m = object.toMap();
        for (auto it = m.cbegin(); it != m.cend(); ++it) {
            auto s = setter(it.key(), it.value());
            if (auto *e = std::get_if<CliError>(&s))
                return *e;
            setters.push_back(std::get<FieldSetter>(std::move(s)));
        }
        auto old = m_store->updateMultipleFieldsReturnOld(m_args.positional[0], std::get<Value>(k), setters);
        if (!old)
            return fromError(old.error());
        if (m_args.returnOld) {
            Value::Map previous;
            for (std::size_t i = 0; i < setters.size(); ++i) {
                if ((*old)[i].has_value())
                    previous.insert(setters[i].path, *(*old)[i]);
            }
            printLine(JsonCodec::toPlain(Value::map(previous)));
        }
        return std::nullopt;
    }

    Outcome removeFieldCommon(bool print)
    {
        auto k = tableAndKey("TABLE KEY PATH [--var NAME=VALUE]...", 1, 1);
        if (auto *e = std::get_if<CliError>(&k))
            return *e;
        auto removed = m_store->removeField(m_args.positional[0], std::get<Value>(k),
                                            m_args.positional[2], m_args.variables);
        if (!removed)
            return fromError(removed.error());
        if (!removed->has_value())
            return CliError{CliTool::Failed,
                            QStringLiteral("the record %1 has no field %2; nothing was removed")
                                .arg(std::get<Value>(k).text(), m_args.positional[2])};
        if (print)
            printLine(JsonCodec::toPlain(**removed));
        return std::nullopt;
    }

    Outcome deleteField() { return removeFieldCommon(false); }
    Outcome removeField() { return removeFieldCommon(true); }

    CliResult<ScanRequest> filterRequest()
    {
        ScanRequest request;
        for (const QString &where : m_args.wheres) {
            const qsizetype eq = where.indexOf(u'=');
            if (eq <= 0)
                return usage(QStringLiteral("--where takes PATH=VALUE, not \"%1\"").arg(where));
            FilterCondition c;
            auto path = splitLiteralPath(where.left(eq));
            if (!path)
                return usage(QStringLiteral("--where %1: %2")
                                 .arg(excerpt(where, 160), path.error().message));
            c.path = std::move(*path);
            const QString text = where.mid(eq + 1);
            // VALUE is JSON when it parses as JSON (42, true, "x"), else plain text.
            auto parsed = JsonCodec::parsePlain(text.toUtf8());
            c.operand = parsed ? *parsed : Value::string(text);
            request.conditions.push_back(std::move(c));
        }
        return request;
    }

    Outcome scan()
    {
        if (auto e = expectArgs(1, 1, "TABLE [--limit N] [--where PATH=VALUE]..."))
            return e;
        if (auto e = openStore())
            return e;
        auto request = filterRequest();
        if (auto *e = std::get_if<CliError>(&request))
            return *e;
        ScanRequest r = std::get<ScanRequest>(std::move(request));
        return printPages(r, [&](ScanRequest &page) { return m_store->scan(m_args.positional[0], page); });
    }

    /// Prints the records of every page as JSON lines, up to --limit: scan and query.
    template<typename Request, typename Fetch>
    Outcome printPages(Request &request, Fetch fetch)
    {
        qint64 remaining = m_args.limit ? *m_args.limit : -1;
        if (remaining == 0)
            return std::nullopt;
        QByteArray line;
        qint64 printed = 0;
        qint64 unreadable = 0;
        do {
            request.limit = remaining > 0 ? int(std::min<qint64>(remaining, 1000)) : 1000;
            auto page = fetch(request);
            if (!page)
                return fromError(page.error());
            for (const Value &record : page->records) {
                line.clear();
                JsonCodec::appendPlain(line, record);
                line += '\n';
                writeOut(line);
            }
            for (const UnreadableRecord &bad : page->unreadable)
                reportUnreadable(bad);
            printed += qint64(page->records.size());
            unreadable += qint64(page->unreadable.size());
            if (remaining > 0)
                remaining -= qint64(page->records.size() + page->unreadable.size());
            request.cursor = page->nextCursor;
        } while (!request.cursor.isEmpty() && remaining != 0);
        if (unreadable > 0)
            return skippedUnreadable(unreadable,
                                     QStringLiteral("%1 %2 printed")
                                         .arg(printed)
                                         .arg(printed == 1 ? QStringLiteral("record was")
                                                           : QStringLiteral("records were")));
        return std::nullopt;
    }

    /// One stored record that cannot be read and was skipped, on stderr.
    void reportUnreadable(const UnreadableRecord &bad)
    {
        writeErr(QStringLiteral("structdesk-cli: %1: unreadable record skipped: %2\n")
                     .arg(m_args.positional[0], bad.toString())
                     .toUtf8());
    }

    /// Exit 4: the command did its work, but `n` unreadable stored records were skipped.
    CliError skippedUnreadable(qint64 n, const QString &done)
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

    Outcome query()
    {
        if (auto e =
                expectArgs(2, 2, "TABLE KEY [--index NAME] [--limit N] [--where PATH=VALUE]..."))
            return e;
        if (auto e = openStore())
            return e;
        auto m = tableModel(m_args.positional[0]);
        if (auto *e = std::get_if<CliError>(&m))
            return *e;
        const TableModel &model = *std::get<TableModelPtr>(m);
        auto index = RecordStore::queryIndex(model, m_args.index);
        if (!index)
            return fromError(index.error());
        // KEY is typed by the index's key type, as get's KEY is by the table's.
        Value keyValue;
        if (index->hashKeyType == FieldKind::Str) {
            keyValue = Value::string(m_args.positional[1]);
        } else {
            auto number = Value::number(m_args.positional[1]);
            if (!number)
                return CliError{
                    CliTool::Failed,
                    QStringLiteral("%1: the key of index %2 is a number: %3")
                        .arg(index->hashKey,
                             m_args.index.isEmpty() ? QStringLiteral("(primary)") : m_args.index,
                             number.error().message)};
            keyValue = *number;
        }
        auto request = filterRequest();
        if (auto *e = std::get_if<CliError>(&request))
            return *e;
        QueryRequest r;
        r.index = m_args.index;
        r.keyValue = keyValue;
        r.conditions = std::get<ScanRequest>(std::move(request)).conditions;
        return printPages(r, [&](QueryRequest &page) { return m_store->query(m_args.positional[0], page); });
    }

    Outcome count()
    {
        if (auto e = expectArgs(1, 1, "TABLE [--where PATH=VALUE]..."))
            return e;
        if (auto e = openStore())
            return e;
        auto request = filterRequest();
        if (auto *e = std::get_if<CliError>(&request))
            return *e;
        auto n = m_store->count(m_args.positional[0], std::get<ScanRequest>(request));
        if (!n)
            return fromError(n.error());
        printLine(QByteArray::number(*n));
        return std::nullopt;
    }

    Outcome rekey()
    {
        auto k = tableAndKey("TABLE OLD_KEY NEW_KEY [--strategy remove-put-restore|get-put-delete|atomic]", 1, 1);
        if (auto *e = std::get_if<CliError>(&k))
            return *e;
        RekeyStrategy strategy = RekeyStrategy::RemovePutRestore;
        if (!m_args.strategy.isEmpty()) {
            auto s = rekeyStrategyFromName(m_args.strategy);
            if (!s)
                return usage(QStringLiteral("unknown strategy %1; use remove-put-restore, get-put-delete or atomic")
                                 .arg(m_args.strategy));
            strategy = *s;
        }
        auto newKey = key(*m_model, m_args.positional[2]);
        if (auto *e = std::get_if<CliError>(&newKey))
            return *e;
        RecoveryJournal journal(RecoveryJournal::defaultDirectory());
        RekeyEngine engine(*m_store, journal);
        // Crash tests stop the process at a chosen point and kill it (SIGKILL) from outside.
        const QString pauseAfter = qEnvironmentVariable("STRUCTDESK_REKEY_PAUSE_AFTER");
        if (!pauseAfter.isEmpty()) {
            engine.afterStep = [this, pauseAfter](const QString &step) {
                if (step != pauseAfter)
                    return;
                writeOut(QStringLiteral("paused after %1\n").arg(step).toUtf8());
                fflush(m_out);
                QThread::sleep(120);
            };
        }
        const RekeyOutcome outcome = engine.run(m_args.positional[0], std::get<Value>(k), std::get<Value>(newKey),
                                                strategy, [this](const RekeyStep &step) {
                                                    writeOut(QStringLiteral("%1 %2 %3 ms: %4%5\n")
                                                                 .arg(step.name, -11)
                                                                 .arg(step.ok ? QStringLiteral("ok    ") : QStringLiteral("FAILED"))
                                                                 .arg(double(step.microseconds) / 1000.0, 8, 'f', 2)
                                                                 .arg(step.detail,
                                                                      step.ok ? QString() : QStringLiteral(": ") + step.message)
                                                                 .toUtf8());
                                                    fflush(m_out);
                                                });
        switch (outcome.state) {
        case RekeyOutcome::State::Done:
            printLine(outcome.message.toUtf8());
            return std::nullopt;
        case RekeyOutcome::State::InJournal:
            return CliError{CliTool::Unavailable, outcome.message};
        default: return CliError{CliTool::Failed, outcome.message};
        }
    }

    Outcome journal()
    {
        RecoveryJournal journal(RecoveryJournal::defaultDirectory());
        const QString sub = m_args.positional.isEmpty() ? QStringLiteral("list") : m_args.positional[0];
        if (sub == u"list") {
            if (m_args.positional.size() > 1)
                return usage(QStringLiteral("usage: structdesk-cli journal [list|restore ID [--to old|new|FILE]]"));
            auto listing = journal.list();
            if (!listing)
                return fromError(listing.error());
            for (const auto &e : listing->entries)
                printLine(QStringLiteral("%1\t%2\t%3\t%4 -> %5\tafter %6\t%7")
                              .arg(e.id, e.location, e.table, QString::fromUtf8(JsonCodec::toPlain(e.oldKey)),
                                   QString::fromUtf8(JsonCodec::toPlain(e.newKey)),
                                   e.lastStep.isEmpty() ? QStringLiteral("journal") : e.lastStep,
                                   e.created.toString(Qt::ISODate))
                              .toUtf8());
            // Bad files never hide the good entries: those are listed above, these on stderr,
            // each with its file and why; none is touched.
            for (const auto &bad : listing->bad)
                writeErr(QStringLiteral("structdesk-cli: journal entry %1 is unreadable: %2: %3 "
                                        "(left untouched)\n")
                             .arg(bad.id, bad.file, bad.reason)
                             .toUtf8());
            if (!listing->bad.empty())
                return CliError{CliTool::SkippedUnreadable,
                                QStringLiteral("%1 readable %2 listed; %3 unreadable %4 skipped (in %5)")
                                    .arg(listing->entries.size())
                                    .arg(listing->entries.size() == 1 ? QStringLiteral("entry")
                                                                      : QStringLiteral("entries"))
                                    .arg(listing->bad.size())
                                    .arg(listing->bad.size() == 1 ? QStringLiteral("file was")
                                                                  : QStringLiteral("files were"))
                                    .arg(journal.directory())};
            return std::nullopt;
        }
        if (sub != u"restore" || m_args.positional.size() != 2)
            return usage(QStringLiteral("usage: structdesk-cli journal [list|restore ID [--to old|new|FILE]]"));
        auto entry = journal.entry(m_args.positional[1]);
        if (!entry)
            return CliError{CliTool::Failed, entry.error().toString()};
        const QString to = m_args.to.isEmpty() ? QStringLiteral("old") : m_args.to;
        if (to != u"old" && to != u"new") {
            QSaveFile file(to);
            if (!file.open(QIODevice::WriteOnly))
                return CliError{CliTool::Failed, QStringLiteral("cannot write %1: %2").arg(to, file.errorString())};
            file.write(JsonCodec::toDynamoItem(entry->record) + '\n');
            if (!file.commit())
                return CliError{CliTool::Failed, QStringLiteral("cannot write %1: %2").arg(to, file.errorString())};
            if (auto s = journal.remove(entry->id); !s)
                return fromError(s.error());
            printLine(QStringLiteral("saved the record of journal entry %1 to %2 (DynamoDB JSON)").arg(entry->id, to).toUtf8());
            return std::nullopt;
        }
        if (m_args.store.isEmpty())
            m_args.store = entry->location;
        if (auto e = openStore())
            return e;
        RekeyEngine engine(*m_store, journal);
        auto restored = engine.restore(*entry, to == u"new" ? RekeyEngine::RestoreTarget::NewKey
                                                            : RekeyEngine::RestoreTarget::OldKey);
        if (!restored)
            return fromError(restored.error());
        printLine(restored->toUtf8());
        return std::nullopt;
    }

    // ---- import, export, infer-model, import-python-model, check ----

    /// --format, or nullopt when it is not given.
    CliResult<std::optional<TransferFormat>> formatOption()
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
    Outcome writeOutput(const QByteArray &text, const QString &what)
    {
        if (m_args.out.isEmpty()) {
            writeOut(text);
            if (!text.endsWith('\n'))
                writeOut("\n");
            return std::nullopt;
        }
        QSaveFile file(m_args.out);
        if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit())
            return CliError{CliTool::Failed, QStringLiteral("cannot write %1: %2").arg(m_args.out, file.errorString())};
        printLine(QStringLiteral("wrote %1 to %2").arg(what, m_args.out).toUtf8());
        return std::nullopt;
    }

    Outcome importFile()
    {
        if (auto e = expectArgs(2, 2, "TABLE FILE [--format jsonl|json|dynamodb-json|csv] [--mode all-or-nothing|skip-invalid] "
                                      "[--existing refuse|skip|replace] [--rejects FILE] [--written-keys FILE]"))
            return e;
        auto format = formatOption();
        if (auto *e = std::get_if<CliError>(&format))
            return *e;
        ImportOptions options;
        options.format = std::get<std::optional<TransferFormat>>(format);
        if (m_args.mode.isEmpty() || m_args.mode == u"all-or-nothing")
            options.mode = ImportOptions::Mode::AllOrNothing;
        else if (m_args.mode == u"skip-invalid")
            options.mode = ImportOptions::Mode::SkipInvalid;
        else
            return usage(QStringLiteral("unknown mode %1; use all-or-nothing or skip-invalid").arg(m_args.mode));
        if (m_args.existing.isEmpty() || m_args.existing == u"refuse")
            options.existing = ImportOptions::Existing::Refuse;
        else if (m_args.existing == u"skip")
            options.existing = ImportOptions::Existing::Skip;
        else if (m_args.existing == u"replace")
            options.existing = ImportOptions::Existing::Replace;
        else
            return usage(QStringLiteral("unknown --existing %1; use refuse, skip or replace").arg(m_args.existing));
        if (!m_args.rejects.isEmpty() && options.mode != ImportOptions::Mode::SkipInvalid)
            return usage(QStringLiteral("--rejects goes with --mode skip-invalid"));
        options.rejectsPath = m_args.rejects;
        if (auto e = openStore())
            return e;
        Importer importer(*m_store, m_args.positional[0]);
        const ImportReport report = importer.run(m_args.positional[1], options);
        for (const QString &line : report.problemLines())
            writeErr((QStringLiteral("structdesk-cli: ") + line + u'\n').toUtf8());
        if (report.leftWrites()) {
            // What a failed or cancelled import left written (DynamoDB writes in batches, not as one
            // transaction): the keys go to a file, to undo them.
            const QString keysFile = m_args.writtenKeys.isEmpty() ? Importer::defaultWrittenKeysPath(m_args.positional[1])
                                                                  : m_args.writtenKeys;
            const qint64 written = qint64(report.writtenKeys.size());
            const qint64 maybe = qint64(report.uncertainWrites.size());
            QString what = written == 1 ? QStringLiteral("1 record was written")
                                        : QStringLiteral("%1 records were written").arg(written);
            if (maybe > 0)
                what += QStringLiteral(" and %1 may have been").arg(maybe);
            if (auto saved = Importer::saveWrittenKeys(report, keysFile); !saved)
                writeErr(QStringLiteral("structdesk-cli: %1 before the import stopped, and their keys could not be saved: %2\n")
                             .arg(what, saved.error().toString())
                             .toUtf8());
            else
                writeErr(QStringLiteral("structdesk-cli: %1 before the import stopped; their keys are in %2 (one JSON "
                                        "object a line: the key, and written new, replaced or uncertain)\n")
                             .arg(what, keysFile)
                             .toUtf8());
        }
        switch (report.outcome) {
        case ImportReport::Outcome::Imported:
            printLine(report.summary().toUtf8());
            return std::nullopt;
        case ImportReport::Outcome::PartlyImported:
            printLine(report.summary().toUtf8());
            return CliError{CliTool::Failed, report.summary()};
        case ImportReport::Outcome::Failed:
            if (report.error && !report.leftWrites())
                return CliError{exitFor(report.error->kind), report.error->toString()};
            return CliError{report.error ? exitFor(report.error->kind) : int(CliTool::Unavailable), report.summary()};
        default: return CliError{CliTool::Failed, report.summary()};
        }
    }

    Outcome exportTable()
    {
        if (auto e = expectArgs(1, 1, "TABLE [--format jsonl|json|dynamodb-json|csv] [--where PATH=VALUE]... [--out FILE]"))
            return e;
        auto format = formatOption();
        if (auto *e = std::get_if<CliError>(&format))
            return *e;
        ExportOptions options;
        const auto given = std::get<std::optional<TransferFormat>>(format);
        const auto byName = m_args.out.isEmpty() ? std::nullopt : transferFormatFromExtension(m_args.out);
        options.format = given ? *given : byName ? *byName : TransferFormat::JsonLines;
        auto request = filterRequest();
        if (auto *e = std::get_if<CliError>(&request))
            return *e;
        if (auto e = openStore())
            return e;
        Exporter exporter(*m_store, m_args.positional[0]);
        options.unreadable = [this](const UnreadableRecord &bad) { reportUnreadable(bad); };
        Result<ExportReport> report = makeError(ErrorKind::Backend, QString());
        if (m_args.out.isEmpty()) {
            QFile out;
            if (!out.open(m_out, QIODevice::WriteOnly))
                return CliError{CliTool::Failed, QStringLiteral("cannot write to standard output")};
            report = exporter.exportScan(std::get<ScanRequest>(request), out, options);
            out.flush();
        } else {
            report = exporter.exportScan(std::get<ScanRequest>(request), m_args.out, options);
        }
        if (!report)
            return fromError(report.error());
        if (!m_args.out.isEmpty())
            printLine(QStringLiteral("exported %1 records of %2 to %3 (%4)")
                          .arg(report->records)
                          .arg(m_args.positional[0], m_args.out, transferFormatName(options.format))
                          .toUtf8());
        if (report->unreadable > 0)
            return skippedUnreadable(
                report->unreadable,
                QStringLiteral("the other %1 were exported").arg(report->records));
        return std::nullopt;
    }

    Outcome inferModel()
    {
        Result<TableModelPtr> model = makeError(ErrorKind::Backend, QString());
        if (!m_args.file.isEmpty()) {
            if (auto e = expectArgs(0, 0, "TABLE|--file FILE [--format ...] [--out FILE]"))
                return e;
            auto format = formatOption();
            if (auto *e = std::get_if<CliError>(&format))
                return *e;
            model = ModelInferenceJob::fromFile(m_args.file, std::get<std::optional<TransferFormat>>(format), {});
        } else {
            if (auto e = expectArgs(1, 1, "TABLE|--file FILE [--format ...] [--out FILE]"))
                return e;
            if (auto e = openStore())
                return e;
            model = ModelInferenceJob::fromTable(*m_store, m_args.positional[0]);
        }
        if (!model)
            return fromError(model.error());
        return writeOutput((*model)->toJson(), QStringLiteral("the inferred model"));
    }

    Outcome importPythonModel()
    {
        if (auto e = expectArgs(1, 1, "FILE [--table-class NAME] [--out FILE]"))
            return e;
        PythonModel::Options options;
        options.tableClass = m_args.tableClass;
        auto read = PythonModel::readFile(m_args.positional[0], options);
        if (!read)
            return CliError{CliTool::Failed, read.error().toString()};
        for (const QString &note : read->notes)
            writeErr((QStringLiteral("structdesk-cli: note: ") + note + u'\n').toUtf8());
        return writeOutput(read->modelJson, QStringLiteral("the model of %1").arg(read->tableClass));
    }

    Outcome checkTable()
    {
        if (auto e = expectArgs(1, 1, "TABLE [--where PATH=VALUE]..."))
            return e;
        auto request = filterRequest();
        if (auto *e = std::get_if<CliError>(&request))
            return *e;
        if (auto e = openStore())
            return e;
        const QString &table = m_args.positional[0];
        TableCheck::Options options;
        options.filter = std::get<ScanRequest>(request);
        options.failing = [&](const FailingRecord &record) {
            writeErr((QStringLiteral("structdesk-cli: %1: %2\n").arg(table, record.toString())).toUtf8());
            return true;
        };
        auto report = TableCheck::run(*m_store, table, options);
        if (!report)
            return fromError(report.error());
        if (report->unreadable > 0)
            return skippedUnreadable(
                report->unreadable,
                QStringLiteral("%1 of the %2 records fail its model (the unreadable ones included)")
                    .arg(report->failing)
                    .arg(report->checked));
        if (report->failing > 0)
            return CliError{CliTool::Failed, QStringLiteral("%1 of the %2 records of %3 fail its model")
                                                 .arg(report->failing)
                                                 .arg(report->checked)
                                                 .arg(table)};
        printLine(QStringLiteral("all %1 records of %2 pass its model").arg(report->checked).arg(table).toUtf8());
        return std::nullopt;
    }

    FILE *m_out;
    FILE *m_err;
    FILE *m_in;
    Arguments m_args;
    QString m_command;
    std::unique_ptr<RecordStore> m_store;
    TableModelPtr m_model;
};

} // namespace

QString CliTool::usageText()
{
    return QStringLiteral(
        "usage: structdesk-cli [--store LOCATION] COMMAND ...\n"
        "  LOCATION: a store file, or dynamodb://HOST:PORT?region=R, dynamodbs://HOST?region=R,\n"
        "  dynamodb://aws?region=R&profile=P (default $STRUCTDESK_STORE, else the user's default store)\n"
        "  [--connect-timeout S] [--read-timeout S] [--deadline S]: DynamoDB waits in seconds (or\n"
        "  the location parameters connect_timeout, read_timeout, deadline; also max_attempts):\n"
        "  to connect, per attempt (default 10); the longest silence of an answer (30; 0 for\n"
        "  either: none but the deadline); a whole call with its retries (60).\n"
        "\n"
        "  tables | create-table TABLE --model FILE | model TABLE | drop-table TABLE\n"
        "  set-model TABLE --model FILE (attach a model to an existing table)\n"
        "  put TABLE JSON | get TABLE KEY | delete TABLE KEY | remove TABLE KEY\n"
        "  update TABLE KEY PATH VALUE_JSON [--var NAME=VALUE]... [--return-old]\n"
        "  update-many TABLE KEY JSON_OBJECT_OF_PATH_TO_VALUE [--var NAME=VALUE]... [--return-old]\n"
        "  delete-field TABLE KEY PATH [--var ...] | remove-field TABLE KEY PATH [--var ...]\n"
        "  scan TABLE [--limit N] [--where PATH=VALUE]... (JSON lines) | count TABLE [--where PATH=VALUE]...\n"
        "  query TABLE KEY [--index NAME] [--limit N] [--where PATH=VALUE]... (JSON lines; KEY equals\n"
        "        the table's key, or with --index the index's hash key)\n"
        "  rekey TABLE OLD_KEY NEW_KEY [--strategy remove-put-restore|get-put-delete|atomic]\n"
        "  journal [list|restore ID [--to old|new|FILE]]\n"
        "  import TABLE FILE [--format jsonl|json|dynamodb-json|csv] [--mode all-or-nothing|skip-invalid]\n"
        "         [--existing refuse|skip|replace] [--rejects FILE] [--written-keys FILE]\n"
        "  export TABLE [--format jsonl|json|dynamodb-json|csv] [--where PATH=VALUE]... [--out FILE]\n"
        "  infer-model TABLE|--file FILE [--format ...] [--out FILE]\n"
        "  import-python-model FILE [--table-class NAME] [--out FILE]\n"
        "  check TABLE [--where PATH=VALUE]...\n"
        "\n"
        "  JSON arguments may be - (standard input) or @FILE. KEY is typed by the table's key "
        "type.\n"
        "  Exit status: 0 success; 1 the operation's documented failure (refused, invalid, "
        "exists,\n"
        "  absent); 2 usage error; 3 store unavailable or backend error; 4 done, but unreadable\n"
        "  stored records (scan, query, export, check) or journal files (journal list) were\n"
        "  skipped, each named on stderr with its key and row, or its file and why.\n"
        "  get, update and remove of an unreadable record: 3, naming it; delete discards it.\n"
        "  A damaged store file (cut short, or found corrupt) opens read-only: writes exit 3.\n"
        "  rekey: 0 the key changed; 1 refused or failed with the record back at its old key;\n"
        "  3 the record is only in the recovery journal ($STRUCTDESK_JOURNAL to move it).\n"
        "  import: the format is guessed from the file (extension, first line) unless given;\n"
        "  1 when a record fails or the file is malformed, every problem on stderr as FILE:LINE:\n"
        "  PATH: MESSAGE (all-or-nothing writes nothing then; skip-invalid writes the valid records\n"
        "  and saves the others to --rejects, default NAME.rejects.EXT next to FILE). On DynamoDB an\n"
        "  import is written in batches, not as one transaction: when the store fails part-way, the\n"
        "  keys written are saved to --written-keys, default NAME.written-keys.jsonl next to FILE\n"
        "  (said on stderr), and the exit status is that of the failure.\n"
        "  check: 1 when a record fails its model, one line per record (key: path: problem) on stderr;\n"
        "  4 when some cannot be read at all (listed too, as key: unreadable (row N): why).\n"
        "  journal list: the readable entries on stdout, each unreadable file on stderr (4);\n"
        "  journal restore of an unreadable entry: 1, naming its file. Journal files are never\n"
        "  changed or deleted because they cannot be read.\n");
}

int CliTool::run(const QStringList &arguments)
{
    Session session(m_out, m_err, m_in);
    return session.run(arguments);
}
