// Parsing structdesk-cli's options (--store, the network waits, --var, --where, --limit, the
// transfer options ...) into Arguments.
#include "app/cli/arguments.h"

#include "model/store/dynamodb/dynamodbclient.h"

namespace cli {

namespace {

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

} // namespace

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

} // namespace cli
