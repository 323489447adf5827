// Import and export: import, export.
#include "app/cli/session.h"

#include "model/transfer/exporter.h"
#include "model/transfer/importer.h"
#include "model/transfer/transferformat.h"
#include <QFile>

namespace cli {

Session::Outcome Session::importFile()
{
    if (auto e =
            expectArgs(2, 2,
                       "TABLE FILE [--format jsonl|json|dynamodb-json|csv] [--mode "
                       "all-or-nothing|skip-invalid] "
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
        return usage(
            QStringLiteral("unknown mode %1; use all-or-nothing or skip-invalid").arg(m_args.mode));
    if (m_args.existing.isEmpty() || m_args.existing == u"refuse")
        options.existing = ImportOptions::Existing::Refuse;
    else if (m_args.existing == u"skip")
        options.existing = ImportOptions::Existing::Skip;
    else if (m_args.existing == u"replace")
        options.existing = ImportOptions::Existing::Replace;
    else
        return usage(QStringLiteral("unknown --existing %1; use refuse, skip or replace")
                         .arg(m_args.existing));
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
        const QString keysFile = m_args.writtenKeys.isEmpty()
                                     ? Importer::defaultWrittenKeysPath(m_args.positional[1])
                                     : m_args.writtenKeys;
        const qint64 written = qint64(report.writtenKeys.size());
        const qint64 maybe = qint64(report.uncertainWrites.size());
        QString what = written == 1 ? QStringLiteral("1 record was written")
                                    : QStringLiteral("%1 records were written").arg(written);
        if (maybe > 0)
            what += QStringLiteral(" and %1 may have been").arg(maybe);
        if (auto saved = Importer::saveWrittenKeys(report, keysFile); !saved)
            writeErr(QStringLiteral("structdesk-cli: %1 before the import stopped, and their keys "
                                    "could not be saved: %2\n")
                         .arg(what, saved.error().toString())
                         .toUtf8());
        else
            writeErr(
                QStringLiteral(
                    "structdesk-cli: %1 before the import stopped; their keys are in %2 (one JSON "
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
        return CliError{report.error ? exitFor(report.error->kind) : int(CliTool::Unavailable),
                        report.summary()};
    default:
        return CliError{CliTool::Failed, report.summary()};
    }
}

Session::Outcome Session::exportTable()
{
    if (auto e = expectArgs(
            1, 1,
            "TABLE [--format jsonl|json|dynamodb-json|csv] [--where PATH=VALUE]... [--out FILE]"))
        return e;
    auto format = formatOption();
    if (auto *e = std::get_if<CliError>(&format))
        return *e;
    ExportOptions options;
    const auto given = std::get<std::optional<TransferFormat>>(format);
    const auto byName =
        m_args.out.isEmpty() ? std::nullopt : transferFormatFromExtension(m_args.out);
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
        return skippedUnreadable(report->unreadable,
                                 QStringLiteral("the other %1 were exported").arg(report->records));
    return std::nullopt;
}

} // namespace cli
