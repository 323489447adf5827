#include "model/analysis/tablecheck.h"

#include <QStringList>

QString FailingRecord::toString() const
{
    QString out = key.isNull() ? QStringLiteral("(no key)")
                               : (key.isString() ? u'"' + key.text() + u'"' : key.text());
    out += QStringLiteral(": ");
    if (unreadable)
        out += row >= 0 ? QStringLiteral("unreadable (row %1): ").arg(row)
                        : QStringLiteral("unreadable: ");
    QStringList parts;
    for (const Problem &p : problems)
        parts << p.toString();
    return out + parts.join(QStringLiteral("; "));
}

Result<TableCheckReport> TableCheck::run(RecordStore &store, const QString &table,
                                         const Options &options)
{
    auto model = store.model(table);
    if (!model)
        return model.error();
    const Validator validator(**model);
    TableCheckReport report;
    qint64 total = -1;
    if (options.filter.conditions.empty() && options.filter.text.isEmpty() &&
        store.capabilities().exactCount) {
        if (auto n = store.count(table))
            total = *n;
    }
    ScanRequest request = options.filter;
    request.cursor.clear();
    request.limit = std::max(1, options.pageSize);
    request.storedJson = false;
    request.cancelled = options.cancelled;
    do {
        if (options.cancelled && options.cancelled()) {
            report.cancelled = true;
            return report;
        }
        auto page = store.scan(table, request);
        if (!page) {
            if (options.cancelled && options.cancelled()) {
                report.cancelled = true;
                return report;
            }
            return page.error();
        }
        // Unreadable records first: they are few, and the page's order matters not here.
        for (const UnreadableRecord &bad : page->unreadable) {
            ++report.checked;
            ++report.failing;
            ++report.unreadable;
            FailingRecord failing;
            auto key = RecordStore::parseKey(**model, bad.key);
            failing.key = key ? *key : Value::string(bad.key);
            failing.unreadable = true;
            failing.row = bad.row;
            failing.problems.push_back(Problem{QString(), bad.reason, true});
            if (options.failing && !options.failing(failing))
                return report;
        }
        for (const Value &record : page->records) {
            ++report.checked;
            if (validator.isValidRecord(record))
                continue;
            FailingRecord failing;
            const Value *key = record.isMap() ? record.find((*model)->hashKey()) : nullptr;
            if (key)
                failing.key = *key;
            for (Problem &p : validator.validateRecord(record)) {
                if (p.blocking)
                    failing.problems.push_back(std::move(p));
            }
            if (failing.problems.empty())
                continue;
            ++report.failing;
            if (options.failing && !options.failing(failing))
                return report;
        }
        if (options.progress)
            options.progress(report.checked, total);
        request.cursor = page->nextCursor;
    } while (!request.cursor.isEmpty());
    return report;
}
