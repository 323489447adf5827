#pragma once

#include "model/core/result.h"
#include "model/core/value.h"
#include "model/schema/validator.h"
#include "model/store/recordstore.h"

#include <QString>

#include <functional>

/// A record that fails its table model: its key and every blocking problem. A stored record
/// that cannot be read at all (damaged stored text) is one too, with `unreadable` set, its row
/// and one problem saying why.
struct FailingRecord
{
    Value key; ///< the record's hash key (null when the record has none)
    Problems problems;
    bool unreadable = false;
    qint64 row = -1; ///< unreadable: the store's row id
    /// "\"user-1\": username: ...; age: ..." (a CLI report line).
    QString toString() const;
};

/// What a check found.
struct TableCheckReport
{
    qint64 checked = 0;
    qint64 failing = 0;    ///< records that fail the model, unreadable ones included
    qint64 unreadable = 0; ///< of those, stored records that cannot be read at all
    bool cancelled = false;
};

/// Checks every record of a table (or of a filtered view) against the table's model with the
/// Validator, page by page: memory stays flat, each failing record is handed over as it is met.
/// A stored record that cannot be read is handed over too (FailingRecord::unreadable), counted
/// as checked and failing and also apart; it never stops the check of the others.
class TableCheck
{
public:
    struct Options
    {
        /// Conditions and text of the records to check (cursor and limit are ignored).
        ScanRequest filter;
        int pageSize = 1000;
        /// Called for each failing record; false stops the check.
        std::function<bool(const FailingRecord &)> failing;
        /// Called after each page with the records checked and the total (-1 unknown).
        std::function<void(qint64 checked, qint64 total)> progress;
        /// Polled between pages and records; true cancels.
        std::function<bool()> cancelled;
    };

    /// Runs the check on the calling thread (the store's thread).
    static Result<TableCheckReport> run(RecordStore &store, const QString &table,
                                        const Options &options);
};
