// The commands that read many records: scan, query (JSON lines, page by page) and count.
#include "app/cli/session.h"

#include "model/json/jsoncodec.h"

namespace cli {

Session::Outcome Session::scan()
{
    if (auto e = argumentsAndStore(1, 1, "TABLE [--limit N] [--where PATH=VALUE]..."))
        return e;
    auto request = filterRequest();
    if (auto *e = std::get_if<CliError>(&request))
        return *e;
    ScanRequest r = std::get<ScanRequest>(std::move(request));
    return printPages(r,
                      [&](ScanRequest &page) { return m_store->scan(m_args.positional[0], page); });
}

/// Prints the records of every page as JSON lines, up to --limit: scan and query.
template <typename Request, typename Fetch>
Session::Outcome Session::printPages(Request &request, Fetch fetch)
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
        return skippedUnreadable(
            unreadable,
            QStringLiteral("%1 %2 printed")
                .arg(printed)
                .arg(printed == 1 ? QStringLiteral("record was") : QStringLiteral("records were")));
    return std::nullopt;
}

Session::Outcome Session::query()
{
    auto m =
        argumentsAndTable(2, 2, "TABLE KEY [--index NAME] [--limit N] [--where PATH=VALUE]...");
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
    return printPages(
        r, [&](QueryRequest &page) { return m_store->query(m_args.positional[0], page); });
}

Session::Outcome Session::count()
{
    if (auto e = argumentsAndStore(1, 1, "TABLE [--where PATH=VALUE]..."))
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

} // namespace cli
