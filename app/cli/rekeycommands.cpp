// Changing a key and the recovery journal: rekey, journal list, journal restore.
#include "app/cli/session.h"

#include "model/json/jsoncodec.h"
#include "model/rekey/recoveryjournal.h"
#include "model/rekey/rekeyengine.h"
#include <QSaveFile>
#include <QThread>

namespace cli {

Session::Outcome Session::rekey()
{
    auto k = tableAndKey(
        "TABLE OLD_KEY NEW_KEY [--strategy remove-put-restore|get-put-delete|atomic]", 1, 1);
    if (auto *e = std::get_if<CliError>(&k))
        return *e;
    RekeyStrategy strategy = RekeyStrategy::RemovePutRestore;
    if (!m_args.strategy.isEmpty()) {
        auto s = rekeyStrategyFromName(m_args.strategy);
        if (!s)
            return usage(
                QStringLiteral(
                    "unknown strategy %1; use remove-put-restore, get-put-delete or atomic")
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
    const RekeyOutcome outcome = engine.run(
        m_args.positional[0], std::get<Value>(k), std::get<Value>(newKey), strategy,
        [this](const RekeyStep &step) {
            writeOut(
                QStringLiteral("%1 %2 %3 ms: %4%5\n")
                    .arg(step.name, -11)
                    .arg(step.ok ? QStringLiteral("ok    ") : QStringLiteral("FAILED"))
                    .arg(double(step.microseconds) / 1000.0, 8, 'f', 2)
                    .arg(step.detail, step.ok ? QString() : QStringLiteral(": ") + step.message)
                    .toUtf8());
            fflush(m_out);
        });
    switch (outcome.state) {
    case RekeyOutcome::State::Done:
        printLine(outcome.message.toUtf8());
        return std::nullopt;
    case RekeyOutcome::State::InJournal:
        return CliError{CliTool::Unavailable, outcome.message};
    default:
        return CliError{CliTool::Failed, outcome.message};
    }
}

Session::Outcome Session::journal()
{
    RecoveryJournal journal(RecoveryJournal::defaultDirectory());
    const QString sub = m_args.positional.isEmpty() ? QStringLiteral("list") : m_args.positional[0];
    if (sub == u"list") {
        if (m_args.positional.size() > 1)
            return usage(QStringLiteral(
                "usage: structdesk-cli journal [list|restore ID [--to old|new|FILE]]"));
        auto listing = journal.list();
        if (!listing)
            return fromError(listing.error());
        for (const auto &e : listing->entries)
            printLine(QStringLiteral("%1\t%2\t%3\t%4 -> %5\tafter %6\t%7")
                          .arg(e.id, e.location, e.table,
                               QString::fromUtf8(JsonCodec::toPlain(e.oldKey)),
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
            return CliError{
                CliTool::SkippedUnreadable,
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
        return usage(
            QStringLiteral("usage: structdesk-cli journal [list|restore ID [--to old|new|FILE]]"));
    auto entry = journal.entry(m_args.positional[1]);
    if (!entry)
        return CliError{CliTool::Failed, entry.error().toString()};
    const QString to = m_args.to.isEmpty() ? QStringLiteral("old") : m_args.to;
    if (to != u"old" && to != u"new") {
        QSaveFile file(to);
        if (!file.open(QIODevice::WriteOnly))
            return CliError{CliTool::Failed,
                            QStringLiteral("cannot write %1: %2").arg(to, file.errorString())};
        file.write(JsonCodec::toDynamoItem(entry->record) + '\n');
        if (!file.commit())
            return CliError{CliTool::Failed,
                            QStringLiteral("cannot write %1: %2").arg(to, file.errorString())};
        if (auto s = journal.remove(entry->id); !s)
            return fromError(s.error());
        printLine(QStringLiteral("saved the record of journal entry %1 to %2 (DynamoDB JSON)")
                      .arg(entry->id, to)
                      .toUtf8());
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

} // namespace cli
