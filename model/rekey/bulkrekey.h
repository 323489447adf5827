#pragma once

#include "model/core/result.h"
#include "model/core/value.h"
#include "model/rekey/recoveryjournal.h"
#include "model/rekey/rekeyengine.h"
#include "model/store/recordstore.h"

#include <QString>

#include <functional>
#include <vector>

/// How a bulk key change makes each new key from the old one's text.
struct KeyTemplate
{
    enum class Kind {
        Prefix, ///< keys that begin with `pattern` get `replacement` instead of it
        Regex,  ///< keys matching `pattern` as a whole become `replacement` (\1 ... \9, \0, \\)
    };
    Kind kind = Kind::Prefix;
    QString pattern;
    QString replacement;

    /// Checks the template itself (an empty prefix, a regular expression that does not compile).
    Status check() const;
    /// The new key text for an old key's text, or nullopt when the template does not apply to
    /// it (the prefix is absent, the expression does not match the whole key).
    std::optional<QString> apply(const QString &oldKeyText) const;
};

/// One record of a bulk key change as previewed: its old key, what the template makes of it,
/// and whether it can run.
struct BulkRekeyItem
{
    enum class State {
        Ready,     ///< the new key is valid and free
        Unchanged, ///< the template does not apply, or gives the same key: the record stays
        Conflict,  ///< the change would be refused: nothing of the batch runs while one exists
    };
    Value oldKey;
    QString oldText;
    QString newText; ///< empty when the template does not apply
    Value newKey;    ///< the typed new key (Ready only)
    State state = State::Unchanged;
    QString problem; ///< why it is a conflict or unchanged, in a sentence
};

/// Every old -> new pair of a bulk key change, checked before anything is written.
struct BulkRekeyPlan
{
    QString table;
    KeyTemplate keyTemplate;
    std::vector<BulkRekeyItem> items;

    int count(BulkRekeyItem::State state) const;
    /// True when at least one record would move and none conflicts.
    bool canRun() const
    {
        return count(BulkRekeyItem::State::Conflict) == 0 && count(BulkRekeyItem::State::Ready) > 0;
    }
};

/// What happened to one record of a bulk key change.
struct BulkRekeyOutcome
{
    enum class State { Done, Refused, RolledBack, LeftBehind, InJournal, Unchanged, NotRun };
    Value oldKey;
    Value newKey; ///< null when the record was not to move
    State state = State::NotRun;
    QString message;
    QString journalId; ///< InJournal only
    qint64 microseconds = 0;

    /// "done", "refused", "rolled back", "left behind", "in journal", "unchanged", "not run".
    static QString stateName(State state);
    static State fromRekey(RekeyOutcome::State state);
};

/// Bulk key changes: a preview of every old -> new pair with conflicts flagged before anything
/// runs, then one RekeyEngine change per record, cancellable between records, so that every
/// record is always at exactly one key (or, if the store fails mid-change, in the journal).
///
/// Everything here runs on the store's thread (through StoreRunner).
namespace BulkRekey {

/// Called now and then with how many records were looked at; returning false cancels.
using Progress = std::function<bool(qsizetype done, qsizetype total)>;

/// Previews the key change of the records with these keys. Conflicts: a new key that is
/// invalid for the key type, that two records of the batch would share, or that any record in
/// the store already has (even one the batch moves away: simple and safe); an old key with no
/// record.
Result<BulkRekeyPlan> preview(RecordStore &store, const QString &table,
                              const std::vector<Value> &keys, const KeyTemplate &keyTemplate,
                              const Progress &progress = {});
/// Previews the key change of every record that matches `filter` (its conditions and text;
/// cursor and limit are ignored).
Result<BulkRekeyPlan> previewMatching(RecordStore &store, const QString &table,
                                      const ScanRequest &filter, const KeyTemplate &keyTemplate,
                                      const Progress &progress = {});

/// Called after each record with its outcome (index into the plan's items); returning false
/// cancels before the next record.
using RecordDone = std::function<bool(qsizetype index, const BulkRekeyOutcome &outcome)>;

/// Runs a plan without conflicts, one record at a time, one outcome per item in order. Records
/// after a cancel, or after a record that ended in the journal (the store is failing), are
/// NotRun. A plan with conflicts is refused (Invalid) and nothing is written.
Result<std::vector<BulkRekeyOutcome>> run(RecordStore &store, RecoveryJournal &journal,
                                          const BulkRekeyPlan &plan, RekeyStrategy strategy,
                                          const RecordDone &recordDone = {});

/// The outcomes as CSV (a header, then old key, new key, outcome, message, journal entry, ms).
QByteArray toCsv(const std::vector<BulkRekeyOutcome> &outcomes);
/// The outcomes as JSON lines (keys in plain JSON).
QByteArray toJsonLines(const std::vector<BulkRekeyOutcome> &outcomes);
/// Saves the outcomes: CSV when the file name ends with .csv, else JSON lines.
Status save(const QString &path, const std::vector<BulkRekeyOutcome> &outcomes);

/// The text of a key as a template sees it: a string's text, a number's exact text.
QString keyText(const Value &key);

} // namespace BulkRekey
