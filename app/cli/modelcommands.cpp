// The commands about table models and checking records against them: infer-model,
// import-python-model, check.
#include "app/cli/session.h"

#include "model/analysis/modelinferencejob.h"
#include "model/analysis/tablecheck.h"
#include "model/schema/python/pythonmodel.h"

namespace cli {

Session::Outcome Session::inferModel()
{
    Result<TableModelPtr> model = makeError(ErrorKind::Backend, QString());
    if (!m_args.file.isEmpty()) {
        if (auto e = expectArgs(0, 0, "TABLE|--file FILE [--format ...] [--out FILE]"))
            return e;
        auto format = formatOption();
        if (auto *e = std::get_if<CliError>(&format))
            return *e;
        model = ModelInferenceJob::fromFile(m_args.file,
                                            std::get<std::optional<TransferFormat>>(format), {});
    } else {
        if (auto e = argumentsAndStore(1, 1, "TABLE|--file FILE [--format ...] [--out FILE]"))
            return e;
        model = ModelInferenceJob::fromTable(*m_store, m_args.positional[0]);
    }
    if (!model)
        return fromError(model.error());
    return writeOutput((*model)->toJson(), QStringLiteral("the inferred model"));
}

Session::Outcome Session::importPythonModel()
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

Session::Outcome Session::checkTable()
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
        writeErr(
            (QStringLiteral("structdesk-cli: %1: %2\n").arg(table, record.toString())).toUtf8());
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
    printLine(QStringLiteral("all %1 records of %2 pass its model")
                  .arg(report->checked)
                  .arg(table)
                  .toUtf8());
    return std::nullopt;
}

} // namespace cli
