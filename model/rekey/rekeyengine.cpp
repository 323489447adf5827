#include "model/rekey/rekeyengine.h"

#include <QElapsedTimer>

QString rekeyStrategyName(RekeyStrategy strategy)
{
    switch (strategy) {
    case RekeyStrategy::RemovePutRestore:
        return QStringLiteral("remove-put-restore");
    case RekeyStrategy::GetPutDelete:
        return QStringLiteral("get-put-delete");
    case RekeyStrategy::Atomic:
        return QStringLiteral("atomic");
    }
    return {};
}

std::optional<RekeyStrategy> rekeyStrategyFromName(QStringView name)
{
    for (RekeyStrategy s :
         {RekeyStrategy::RemovePutRestore, RekeyStrategy::GetPutDelete, RekeyStrategy::Atomic}) {
        if (name == rekeyStrategyName(s))
            return s;
    }
    return std::nullopt;
}

QString rekeyStrategyExplanation(RekeyStrategy strategy)
{
    switch (strategy) {
    case RekeyStrategy::RemovePutRestore:
        return QObject::tr(
            "The sequence StructNoSQL's documentation prescribes: remove the record at the old "
            "key, "
            "put it under the new key, and put it back at the old key if that fails. Between the "
            "remove and the put the record exists nowhere in the table; StructDesk keeps it in "
            "the recovery journal on disk until it is safe, so a crash or a lost connection loses "
            "nothing.");
    case RekeyStrategy::GetPutDelete:
        return QObject::tr(
            "The documented alternative: read the record, put it under the new key, and only then "
            "delete the old one. The record is never missing from the table; if the delete fails, "
            "both keys hold it until you delete the old one. Changes made to the old record by "
            "others between the read and the delete are lost.");
    case RekeyStrategy::Atomic:
        return QObject::tr(
            "One transaction removes the old record and puts the new one: either both happen or "
            "neither does. Only offered where the store has transactions.");
    }
    return {};
}

namespace {

QString keyWords(const QString &attribute, const Value &key)
{
    return key.isString() ? QStringLiteral("%1=\"%2\"").arg(attribute, key.text())
                          : QStringLiteral("%1=%2").arg(attribute, key.text());
}

} // namespace

Status RekeyEngine::check(const QString &table, const Value &oldKey, const Value &newKey)
{
    auto model = m_store.model(table);
    if (!model)
        return model.error();
    if (m_store.capabilities().readOnly)
        return makeError(ErrorKind::Invalid, QStringLiteral("the store is read-only"));
    auto typed = RecordStore::checkKey(**model, newKey);
    if (!typed)
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("the new key is not valid: %1").arg(typed.error().message),
                         (*model)->hashKey());
    if (newKey == oldKey || (newKey.isNumber() && oldKey.isNumber() &&
                             compareNumbers(newKey.text(), oldKey.text()) == 0))
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("the new key is the same as the old one"),
                         (*model)->hashKey());
    auto old = m_store.getRecord(table, oldKey);
    if (!old)
        return old.error();
    if (!old->has_value())
        return makeError(ErrorKind::NotFound, QStringLiteral("there is no record at the old key %1")
                                                  .arg(keyWords((*model)->hashKey(), oldKey)));
    auto taken = m_store.getRecord(table, newKey);
    if (!taken)
        return taken.error();
    if (taken->has_value())
        return makeError(ErrorKind::Exists,
                         QStringLiteral("a record already exists at the new key %1; it is never "
                                        "overwritten")
                             .arg(keyWords((*model)->hashKey(), newKey)));
    return okStatus();
}

namespace {

/// One key change as it runs: every step timed, recorded in the outcome, shown to the observer
/// and the test hook; then the strategy's writes, each in its own function.
struct RekeyRun
{
    RekeyRun(RekeyEngine &engine, RecordStore &store, RecoveryJournal &journal,
             const RekeyEngine::StepObserver &observer,
             const std::function<void(const QString &step)> &afterStep, const QString &table,
             const Value &oldKey, const Value &newKey, RekeyStrategy strategy)
        : engine(engine), m_store(store), m_journal(journal), observer(observer),
          afterStep(afterStep), table(table), oldKey(oldKey), newKey(newKey), strategy(strategy)
    {
    }

    RekeyEngine &engine;
    RecordStore &m_store;
    RecoveryJournal &m_journal;
    const RekeyEngine::StepObserver &observer;
    const std::function<void(const QString &step)> &afterStep;
    const QString &table;
    const Value &oldKey;
    const Value &newKey;
    RekeyStrategy strategy;

    RekeyOutcome outcome;
    QString hashKey = QStringLiteral("key");
    QElapsedTimer timer;
    QString oldWords;
    QString newWords;
    QString journalId;
    Value moved;

    RekeyOutcome run();
    RekeyOutcome atomic();
    RekeyOutcome getPutDelete();
    RekeyOutcome removePutRestore();

    template <typename Work> bool step(const QString &name, const QString &detail, Work &&work)
    {
        timer.start();
        RekeyStep s{name, detail, 0, false, {}};
        const Status result = work();
        s.microseconds = timer.nsecsElapsed() / 1000;
        s.ok = bool(result);
        if (!result)
            s.message = result.error().toString();
        outcome.steps.push_back(s);
        if (observer)
            observer(s);
        if (afterStep)
            afterStep(name);
        return s.ok;
    }
    RekeyOutcome finish(RekeyOutcome::State state, const QString &message)
    {
        outcome.state = state;
        outcome.message = message;
        return outcome;
    }
    void clearJournal() { (void)m_journal.remove(journalId); }
    Status putNew() { return m_store.writeRaw(table, moved, true); }
};

/// The check, the read and the journal entry (nothing is written to the table before them),
/// then the strategy's writes.
RekeyOutcome RekeyRun::run()
{
    if (auto model = m_store.model(table))
        hashKey = (*model)->hashKey();
    oldWords = keyWords(hashKey, oldKey);
    newWords = keyWords(hashKey, newKey);

    if (!step(QStringLiteral("check"),
              QStringLiteral("check the new key %1 (type, free) and the record at %2")
                  .arg(newWords, oldWords),
              [&] { return engine.check(table, oldKey, newKey); }))
        return finish(RekeyOutcome::State::Refused,
                      QObject::tr("Nothing was changed: %1").arg(outcome.steps.back().message));
    if (strategy == RekeyStrategy::Atomic && !m_store.capabilities().transactions) {
        return finish(RekeyOutcome::State::Refused,
                      QObject::tr("Nothing was changed: this store has no transactions, so the "
                                  "atomic strategy is not available."));
    }

    // Read the record raw, exactly as stored, and journal it before any write.
    if (!step(
            QStringLiteral("get"), QStringLiteral("get_record %1").arg(oldWords), [&]() -> Status {
                auto got = m_store.getRecord(table, oldKey);
                if (!got)
                    return got.error();
                if (!got->has_value())
                    return makeError(ErrorKind::NotFound, QStringLiteral("the record disappeared"));
                outcome.record = **got;
                return okStatus();
            }))
        return finish(RekeyOutcome::State::Refused,
                      QObject::tr("Nothing was changed: %1").arg(outcome.steps.back().message));

    if (!step(QStringLiteral("journal"), QStringLiteral("write the record to the recovery journal"),
              [&]() -> Status {
                  RecoveryJournal::Entry e;
                  e.location = m_store.location();
                  e.table = table;
                  e.oldKey = oldKey;
                  e.newKey = newKey;
                  e.record = outcome.record;
                  e.strategy = rekeyStrategyName(strategy);
                  auto id = m_journal.add(e);
                  if (!id)
                      return id.error();
                  journalId = *id;
                  return okStatus();
              }))
        return finish(
            RekeyOutcome::State::Refused,
            QObject::tr("Nothing was changed: the recovery journal could not be written (%1)")
                .arg(outcome.steps.back().message));

    moved = outcome.record;
    moved.mapRef().insert(hashKey, newKey);

    switch (strategy) {
    case RekeyStrategy::Atomic:
        return atomic();
    case RekeyStrategy::GetPutDelete:
        return getPutDelete();
    case RekeyStrategy::RemovePutRestore:
        return removePutRestore();
    }
    return outcome;
}

RekeyOutcome RekeyRun::atomic()
{
    const bool ok = step(QStringLiteral("transaction"),
                         QStringLiteral("in one transaction: remove_record %1, put_record %2")
                             .arg(oldWords, newWords),
                         [&] {
                             return m_store.runTransaction([&]() -> Status {
                                 auto removed = m_store.removeRecord(table, oldKey);
                                 if (!removed)
                                     return removed.error();
                                 if (!removed->has_value())
                                     return makeError(ErrorKind::NotFound,
                                                      QStringLiteral("the record disappeared"));
                                 return putNew();
                             });
                         });
    clearJournal();
    if (ok)
        return finish(RekeyOutcome::State::Done,
                      QObject::tr("The record moved from %1 to %2.").arg(oldWords, newWords));
    return finish(
        RekeyOutcome::State::RolledBack,
        QObject::tr("The transaction failed and was rolled back; the record is unchanged at %1.")
            .arg(oldWords));
}

RekeyOutcome RekeyRun::getPutDelete()
{
    if (!step(QStringLiteral("put"), QStringLiteral("put_record %1 (only if absent)").arg(newWords),
              [&] { return putNew(); })) {
        clearJournal();
        return finish(RekeyOutcome::State::RolledBack,
                      QObject::tr("The put under the new key failed; the record never left %1.")
                          .arg(oldWords));
    }
    (void)m_journal.setLastStep(journalId, QStringLiteral("put"));
    const bool deleted = step(QStringLiteral("delete"),
                              QStringLiteral("delete_record %1").arg(oldWords), [&]() -> Status {
                                  auto d = m_store.deleteRecord(table, oldKey);
                                  if (!d)
                                      return d.error();
                                  return okStatus();
                              });
    clearJournal(); // the record is safe at the new key either way
    if (!deleted)
        return finish(
            RekeyOutcome::State::LeftBehind,
            QObject::tr("The record is at %1, but deleting it at %2 failed: both keys hold it now. "
                        "Delete the old one when the store is reachable.")
                .arg(newWords, oldWords));
    return finish(RekeyOutcome::State::Done,
                  QObject::tr("The record moved from %1 to %2.").arg(oldWords, newWords));
}

RekeyOutcome RekeyRun::removePutRestore()
{
    if (!step(QStringLiteral("remove"), QStringLiteral("remove_record %1").arg(oldWords),
              [&]() -> Status {
                  auto removed = m_store.removeRecord(table, oldKey);
                  if (!removed)
                      return removed.error();
                  if (!removed->has_value())
                      return makeError(ErrorKind::NotFound,
                                       QStringLiteral("the record did not exist any more"));
                  // What was removed is the authoritative copy (it may have changed since the
                  // read).
                  if (**removed != outcome.record) {
                      outcome.record = **removed;
                      moved = outcome.record;
                      moved.mapRef().insert(hashKey, newKey);
                  }
                  return okStatus();
              })) {
        // Whether the remove happened is unknown only if the store failed mid-way; check.
        auto still = m_store.getRecord(table, oldKey);
        if (still && still->has_value()) {
            clearJournal();
            return finish(
                RekeyOutcome::State::RolledBack,
                QObject::tr("The remove failed; the record is unchanged at %1.").arg(oldWords));
        }
        outcome.journalId = journalId;
        return finish(
            RekeyOutcome::State::InJournal,
            QObject::tr("The remove failed and the record cannot be found at %1. It is safe in "
                        "the recovery journal (entry %2); restore it from there.")
                .arg(oldWords, journalId));
    }
    (void)m_journal.setLastStep(journalId, QStringLiteral("remove"));
    if (step(QStringLiteral("put"), QStringLiteral("put_record %1 (only if absent)").arg(newWords),
             [&] { return putNew(); })) {
        clearJournal();
        return finish(RekeyOutcome::State::Done,
                      QObject::tr("The record moved from %1 to %2.").arg(oldWords, newWords));
    }
    if (step(QStringLiteral("restore"),
             QStringLiteral("put_record %1 (restore the old record)").arg(oldWords),
             [&] { return m_store.writeRaw(table, outcome.record, true); })) {
        clearJournal();
        return finish(
            RekeyOutcome::State::RolledBack,
            QObject::tr("The put under the new key failed; the record was restored at %1.")
                .arg(oldWords));
    }
    outcome.journalId = journalId;
    return finish(
        RekeyOutcome::State::InJournal,
        QObject::tr("The put under the new key failed and so did the restore: the record is "
                    "in neither place. It is safe in the recovery journal (entry %1); save it to "
                    "a file or restore it when the store is reachable.")
            .arg(journalId));
}

} // namespace

RekeyOutcome RekeyEngine::run(const QString &table, const Value &oldKey, const Value &newKey,
                              RekeyStrategy strategy, const StepObserver &observer)
{
    RekeyRun run(*this, m_store, m_journal, observer, afterStep, table, oldKey, newKey, strategy);
    return run.run();
}

Result<QString> RekeyEngine::restore(const RecoveryJournal::Entry &entry, RestoreTarget target)
{
    auto model = m_store.model(entry.table);
    if (!model)
        return model.error();
    const QString hashKey = (*model)->hashKey();
    auto recordAt = [&](const Value &key) {
        Value r = entry.record;
        r.mapRef().insert(hashKey, key);
        return r;
    };
    for (const Value &key : {entry.oldKey, entry.newKey}) {
        auto stored = m_store.getRecord(entry.table, key);
        if (!stored)
            return stored.error();
        if (stored->has_value() && **stored == recordAt(key)) {
            if (auto s = m_journal.remove(entry.id); !s)
                return s.error();
            return QObject::tr(
                       "The record is already safe at %1; nothing was written and the journal "
                       "entry was cleared.")
                .arg(keyWords(hashKey, key));
        }
    }
    const Value key = target == RestoreTarget::OldKey ? entry.oldKey : entry.newKey;
    if (auto s = m_store.writeRaw(entry.table, recordAt(key), true); !s) {
        Error e = s.error();
        if (e.kind == ErrorKind::Exists)
            e.message =
                QObject::tr("another record is at %1 now; it was not overwritten and the journal "
                            "entry is kept (save it to a file instead)")
                    .arg(keyWords(hashKey, key));
        return e;
    }
    if (auto s = m_journal.remove(entry.id); !s)
        return s.error();
    return QObject::tr("The record was restored at %1.").arg(keyWords(hashKey, key));
}
