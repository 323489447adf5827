#pragma once

#include "model/result.h"
#include "model/value.h"

#include <QDateTime>
#include <QString>

#include <vector>

/// The key change recovery journal: one file per record in flight, written and flushed to disk
/// before the first store write of a key change and removed only once the record is safe at its
/// new or its old key. Whatever is left after a crash or a lost connection is offered for
/// restoring at the next start (and by `structdesk-cli journal`).
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
        Value record;     ///< the record exactly as stored at the old key
        QString strategy;
        QString lastStep; ///< the last step that finished ("", "remove", "put", ...)
        QDateTime created;
    };

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
    /// Every entry, oldest first; unreadable files are reported as errors naming them.
    Result<std::vector<Entry>> entries() const;
    Result<Entry> entry(const QString &id) const;

private:
    Status write(const Entry &entry);
    QString m_directory;
};
