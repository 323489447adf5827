#pragma once

#include "model/core/value.h"
#include "model/rekey/recoveryjournal.h"
#include "model/rekey/rekeyengine.h"

#include <QDialog>

#include <functional>

#include <vector>

class MessageBar;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;
class StoreRunner;

/// Offers what is left in the recovery journal after a key change that did not finish (a crash,
/// a lost connection, a failed restore): each entry with its table, old -> new key, when, the
/// last step that finished and its store, and per entry: restore it at its old key, at the
/// intended new key (RekeyEngine::restore: a record already intact at either key is just
/// cleared, another record is never overwritten), or save it to a file. Results are shown in
/// the entry's row.
///
/// A file of the journal that cannot be read as an entry (truncated, not JSON, not an entry,
/// another version, unreadable, a folder) is listed greyed beside the good entries, with its
/// file and why; Open Folder and Copy Path lead to it. It is never modified or deleted here.
///
/// Shown at the start of structdesk when hasEntries(RecoveryJournal::defaultDirectory()).
class JournalRecoveryDialog : public QDialog
{
    Q_OBJECT

public:
    /// `runner` is the application's store runner: entries of its store are restored through it;
    /// entries of another store are restored on a worker thread that opens that store.
    JournalRecoveryDialog(StoreRunner *runner, QString journalDirectory, QWidget *parent = nullptr);
    ~JournalRecoveryDialog() override;

    /// True when the journal folder holds entries (readable or not).
    static bool hasEntries(const QString &journalDirectory);

    /// Entries listed (including resolved ones and unreadable files).
    int entryCount() const;
    /// Entries still in the journal (neither restored nor saved), bad files included.
    int pendingCount() const;
    /// Files listed as unreadable.
    int badCount() const;
    /// Selects the entry in `row`.
    void selectEntry(int row);

    /// Test hook: saveToFile() writes here instead of asking with a file dialog.
    void setSaveFileName(const QString &path) { m_saveFileName = path; }
    /// Test hook: openFolder() calls this instead of the desktop's file manager.
    void setOpenFolderHandler(std::function<void(const QString &)> open)
    {
        m_openFolder = std::move(open);
    }

public slots:
    /// Reads the journal folder again.
    void reload();
    /// Puts the selected entry's record back at its old key.
    void restoreToOldKey();
    /// Puts the selected entry's record at the key it was moving to.
    void restoreToNewKey();
    /// Saves the selected entry's record to a file (DynamoDB JSON) and removes the entry.
    void saveToFile();
    /// Opens the journal folder in the file manager, the selected file's folder.
    void openFolder();
    /// Copies the selected entry's file path to the clipboard.
    void copyPath();

signals:
    /// A record was put back into `table` at `key` (the grid reloads).
    void recordRestored(const QString &table, const Value &key);
    /// An action on an entry finished: `ok`, and what happened in a sentence.
    void entryResolved(const QString &id, bool ok, const QString &message);

private:
    struct Row
    {
        QString id;
        QString file;
        std::optional<RecoveryJournal::Entry> entry; ///< nullopt for an unreadable file
        QString reason;                              ///< why an unreadable file is bad
        bool busy = false;
        bool resolved = false;
    };
    void restore(RekeyEngine::RestoreTarget target);
    void finishAction(const QString &id, bool ok, const QString &message);
    Row *currentRow();
    Row *rowById(const QString &id);
    int rowOf(const QString &id) const;
    void updateActions();
    void showEntryRecord();

    StoreRunner *m_runner;
    QString m_journalDirectory;
    QString m_saveFileName;
    std::function<void(const QString &)> m_openFolder;
    std::vector<Row> m_rows;

    QLabel *m_intro;
    MessageBar *m_messages;
    QTableWidget *m_list;
    QPlainTextEdit *m_record;
    QPushButton *m_restoreOld;
    QPushButton *m_restoreNew;
    QPushButton *m_save;
    QPushButton *m_openFolderButton;
    QPushButton *m_copyPath;
    QPushButton *m_close;
};
