#include "model/analysis/modelinferencejob.h"

#include "model/transfer/recordreader.h"

#include <QFileInfo>

namespace ModelInferenceJob {

Result<Inferred> inferTable(RecordStore &store, const QString &table, const Hooks &hooks)
{
    auto current = store.model(table);
    if (!current)
        return current.error();
    const auto cancelled = [&hooks] { return hooks.cancelled && hooks.cancelled(); };
    ModelInference inference;
    ScanRequest request;
    request.limit = 1000;
    request.cancelled = hooks.cancelled;
    do {
        if (cancelled())
            return Inferred{nullptr, {}, inference.records(), true};
        auto page = store.scan(table, request);
        if (!page) {
            // A scan cut short by the cancel is the cancel, not a failure.
            if (cancelled())
                return Inferred{nullptr, {}, inference.records(), true};
            return page.error();
        }
        for (const Value &record : page->records)
            inference.add(record);
        if (hooks.progress)
            hooks.progress({inference.records(), 0, 0});
        request.cursor = page->nextCursor;
    } while (!request.cursor.isEmpty());
    if (cancelled())
        return Inferred{nullptr, {}, inference.records(), true};
    Options options;
    options.table = table;
    options.hashKey = (*current)->hashKey();
    auto model = inference.model(options);
    if (!model)
        return model.error();
    return Inferred{*model, inference.notes(), inference.records(), false};
}

Result<Inferred> inferFile(const QString &path, std::optional<TransferFormat> format,
                           const Options &options, const Hooks &hooks)
{
    if (!format) {
        auto detected = detectTransferFormat(path);
        if (!detected)
            return detected.error();
        format = *detected;
    }
    auto reader = RecordReader::open(path, *format, nullptr);
    if (!reader)
        return reader.error();
    ModelInference inference;
    RecordReader::Chunk chunk;
    for (;;) {
        if (hooks.cancelled && hooks.cancelled())
            return Inferred{nullptr, {}, inference.records(), true};
        auto more = (*reader)->readChunk(chunk);
        if (!more)
            return more.error();
        if (!*more)
            break;
        for (const RecordReader::Record &r : chunk.records) {
            const QString where = QStringLiteral("%1:%2").arg(path).arg(r.line);
            if (!r.error.isEmpty())
                return makeError(ErrorKind::Invalid, r.error, where);
            Value record;
            RecordReader::Problem problem;
            if (!(*reader)->parse(chunk.text(r), r.line, record, problem))
                return makeError(ErrorKind::Invalid,
                                 problem.path.isEmpty()
                                     ? problem.message
                                     : problem.path + QStringLiteral(": ") + problem.message,
                                 QStringLiteral("%1:%2").arg(path).arg(problem.line));
            inference.add(record);
        }
        if (hooks.progress)
            hooks.progress({inference.records(), chunk.bytesDone, (*reader)->bytesTotal()});
    }
    Options o = options;
    if (o.table.isEmpty())
        o.table = QFileInfo(path).completeBaseName();
    auto model = inference.model(o);
    if (!model)
        return model.error();
    return Inferred{*model, inference.notes(), inference.records(), false};
}

Result<TableModelPtr> fromTable(RecordStore &store, const QString &table,
                                const std::function<void(qint64)> &progress,
                                const std::function<bool()> &cancelled)
{
    Hooks hooks;
    if (progress)
        hooks.progress = [&progress](const Progress &p) { progress(p.records); };
    hooks.cancelled = cancelled;
    auto inferred = inferTable(store, table, hooks);
    if (!inferred)
        return inferred.error();
    if (inferred->cancelled)
        return makeError(ErrorKind::Unavailable, QStringLiteral("the inference was cancelled"));
    return inferred->model;
}

Result<TableModelPtr> fromFile(const QString &path, std::optional<TransferFormat> format,
                               const Options &options)
{
    auto inferred = inferFile(path, format, options);
    if (!inferred)
        return inferred.error();
    return inferred->model;
}

} // namespace ModelInferenceJob
