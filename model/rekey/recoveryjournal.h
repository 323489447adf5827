#pragma once

#include "model/core/result.h"
#include "model/core/value.h"

#include <QDateTime>
#include <QString>

#include <vector>

/// The key change recovery journal: one file per record in flight, written and flushed to disk
/// before the first store write of a key change and removed only once the record is safe at its
/// new or its old key. Whatever is left after a crash or a lost connection is offered for
/// restoring at the next start (and by `structdesk-cli journal`).
///
/// Each file is read on its own: a damaged file (empty, truncated, not JSON, not an entry, of
/// another version, unreadable, a folder) is reported as a BadEntry with its path and why,
/// beside the good entries, and is never modified or deleted by the journal.
class RecoveryJournal
{
public:
    struct Entry
    {
        QString id;
        QString location; ///< the store location
        QString table;
        Value oldKey;
        Value newKey;
        Value record; ///< the record exactly as stored at the old key
        QString strategy;
        QString lastStep; ///< the last step that finished ("", "remove", "put", ...)
        QDateTime created;
        QString file = {}; ///< the entry's file (set when read; not written)
    };

    /// A file of the journal folder that cannot be read as an entry.
    struct BadEntry
    {
        QString id;     ///< the file name without ".json": what `journal restore` is given
        QString file;   ///< the full path
        QString reason; ///< why, in a sentence ("truncated JSON: ...", "missing field \"table\"")
        /// "FILE: REASON".
        QString toString() const { return file + QStringLiteral(": ") + reason; }
    };

    /// Everything in the journal folder: the good entries (oldest first) and the bad files
    /// (by file name).
    struct Listing
    {
        std::vector<Entry> entries;
        std::vector<BadEntry> bad;
    };

    /// The largest file read as an entry; larger files are listed as bad without being read.
    static constexpr qint64 kMaxEntryBytes = 64LL << 20;
    /// The format marker of the entries this version writes and reads.
    static constexpr const char *kFormat = "structdesk-journal-1";

    /// A journal in `directory` (created when needed).
    explicit RecoveryJournal(QString directory);
    /// The user's journal: $STRUCTDESK_JOURNAL if set, else the application data folder.
    static QString defaultDirectory();

    QString directory() const { return m_directory; }

    /// Writes a new entry durably (fsync) and returns its id.
    Result<QString> add(Entry entry);
    /// Records the last finished step of an entry, durably.
    Status setLastStep(const QString &id, const QString &step);
    /// Removes an entry: its record is safe.
    Status remove(const QString &id);
    /// Every file of the folder, each read on its own. Fails (Unavailable, naming the folder)
    /// only when the folder itself cannot be listed; a missing folder is an empty journal.
    Result<Listing> list() const;
    /// The good entries, oldest first (list() also tells the bad files).
    Result<std::vector<Entry>> entries() const;
    /// One entry by id: NotFound when there is no such file, Invalid (naming the file and why)
    /// when the file is bad.
    Result<Entry> entry(const QString &id) const;
    /// The path of the file that holds (or would hold) the entry `id`.
    QString fileOf(const QString &id) const;

private:
    Status write(const Entry &entry);
    QString m_directory;
};
