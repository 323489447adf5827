// The table commands: tables, create-table, model, set-model, drop-table.
#include "app/cli/session.h"

#include <QFile>
#include <QFileInfo>

namespace cli {

Session::Outcome Session::tables()
{
    if (auto e = argumentsAndStore(0, 0, ""))
        return e;
    auto names = m_store->listTables();
    if (!names)
        return fromError(names.error());
    for (const QString &name : *names)
        printLine(name.toUtf8());
    return std::nullopt;
}

Session::Outcome Session::createTable()
{
    auto model = modelFileArgument();
    if (auto *e = std::get_if<CliError>(&model))
        return *e;
    const QString &table = m_args.positional[0];
    // Refuse a bad name before a new store file is made for it.
    if (const QString problem = TableModel::checkTableName(table); !problem.isEmpty())
        return CliError{CliTool::Failed, QStringLiteral("%1: %2").arg(table, problem)};
    const QString location =
        m_args.store.isEmpty() ? StoreFactory::defaultLocation() : m_args.store;
    const bool existed = StoreFactory::isRemote(location) || QFileInfo::exists(location);
    if (auto e = openStore(StoreFactory::Create::IfMissing))
        return e;
    if (auto s = m_store->createTable(table, *std::get<TableModelPtr>(model)); !s) {
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

Session::Outcome Session::showModel()
{
    auto m = argumentsAndTable(1, 1, "TABLE");
    if (auto *e = std::get_if<CliError>(&m))
        return *e;
    writeOut(std::get<TableModelPtr>(m)->toJson());
    if (!std::get<TableModelPtr>(m)->toJson().endsWith('\n'))
        writeOut("\n");
    // An inferred model is only as good as its sample: say so, apart from the model text.
    if (auto info = m_store->describeTable(m_args.positional[0]); info && info->inferredFrom > 0)
        writeErr(
            QStringLiteral("note: %1 has no attached model; this one is inferred from %2 "
                           "sampled %3 (attach one with set-model)\n")
                .arg(m_args.positional[0])
                .arg(info->inferredFrom)
                .arg(info->inferredFrom == 1 ? QStringLiteral("record") : QStringLiteral("records"))
                .toUtf8());
    return std::nullopt;
}

/// Attaches a model file to an existing table (its key must match the table's).
Session::Outcome Session::setModel()
{
    auto model = modelFileArgument();
    if (auto *e = std::get_if<CliError>(&model))
        return *e;
    if (auto e = openStore())
        return e;
    if (auto s = m_store->setModel(m_args.positional[0], *std::get<TableModelPtr>(model)); !s)
        return fromError(s.error());
    printLine(QStringLiteral("attached the model %1 to table %2")
                  .arg(m_args.modelFile, m_args.positional[0])
                  .toUtf8());
    return std::nullopt;
}

Session::Outcome Session::dropTable()
{
    if (auto e = argumentsAndStore(1, 1, "TABLE"))
        return e;
    if (auto s = m_store->dropTable(m_args.positional[0]); !s)
        return fromError(s.error());
    printLine(QStringLiteral("dropped table %1").arg(m_args.positional[0]).toUtf8());
    return std::nullopt;
}

} // namespace cli
