#pragma once

#include "model/rekey/recoveryjournal.h"
#include "model/store/recordstore.h"

#include <QString>

#include <functional>
#include <vector>

/// How a key change runs (StructNoSQL's documentation and ../spec/record-model.md §10).
enum class RekeyStrategy {
    RemovePutRestore, ///< the documented sequence: remove the old record, put the new, restore on
                      ///< failure
    GetPutDelete,     ///< the documented alternative: read, put the new, then delete the old
    Atomic,           ///< one transaction (stores with transactions only)
};

/// "remove-put-restore", "get-put-delete", "atomic".
QString rekeyStrategyName(RekeyStrategy strategy);
std::optional<RekeyStrategy> rekeyStrategyFromName(QStringView name);
/// A plain explanation of a strategy and its risks, for the wizard.
QString rekeyStrategyExplanation(RekeyStrategy strategy);

/// One step of a key change as it ran.
struct RekeyStep
{
    QString
        name; ///< "check", "journal", "remove", "put", "restore", "get", "delete", "transaction"
    QString detail; ///< what ran, in words ("remove_record userId=\"u1\"")
    qint64 microseconds = 0;
    bool ok = false;
    QString message; ///< the store's message when it failed
};

/// How a key change ended.
struct RekeyOutcome
{
    enum class State {
        Done,       ///< the record is at the new key only
        Refused,    ///< nothing was written (bad new key, new key taken, old record missing, ...)
        RolledBack, ///< a write failed and the record is back at (or never left) its old key
        LeftBehind, ///< the record is at the new key, but deleting the old one failed: both exist
        InJournal,  ///< the record is in neither place: only the recovery journal has it
    };
    State state = State::Refused;
    std::vector<RekeyStep> steps;
    QString message;   ///< a sentence for the user
    QString journalId; ///< for InJournal
    Value record;      ///< the record as it was stored at the old key (when it was read)
};

/// Changes primary keys with the chosen strategy on raw stored values (nothing is validated
/// away, no number or set changes), never overwriting a record at the new key, with the record
/// in the recovery journal from before the first write until it is safe.
class RekeyEngine
{
public:
    RekeyEngine(RecordStore &store, RecoveryJournal &journal) : m_store(store), m_journal(journal)
    {
    }

    /// Called after each step, on the calling thread (the wizard shows steps live).
    using StepObserver = std::function<void(const RekeyStep &)>;

    /// Checks a key change without writing: the new key's type, that it differs, that the old
    /// record exists and that no record has the new key. Refusals are Invalid, NotFound or Exists.
    Status check(const QString &table, const Value &oldKey, const Value &newKey);

    RekeyOutcome run(const QString &table, const Value &oldKey, const Value &newKey,
                     RekeyStrategy strategy, const StepObserver &observer = {});

    /// Puts a journal entry's record back at its old or its intended new key and clears the
    /// entry. When the record is already intact at either key nothing is written (the entry is
    /// just cleared); a different record at the target key is never overwritten (Exists, the
    /// entry is kept). Returns what happened, in a sentence.
    enum class RestoreTarget { OldKey, NewKey };
    Result<QString> restore(const RecoveryJournal::Entry &entry, RestoreTarget target);

    /// Test hook for crash tests: called after each finished step with its name.
    std::function<void(const QString &step)> afterStep;

private:
    RecordStore &m_store;
    RecoveryJournal &m_journal;
};
