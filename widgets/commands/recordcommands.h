#pragma once

#include "model/core/value.h"
#include "model/schema/celledit.h"
#include "model/schema/tablemodel.h"
#include "model/store/recordstore.h"
#include "model/store/storeinterposer.h"

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUndoCommand>

#include <functional>
#include <optional>

class QAction;
class QUndoStack;
class RecordHistory;
class StoreRunner;

/// Delete (delete_record) or Remove (remove_record: the removed records are offered as JSON).
enum class DeleteMode { Delete, Remove };

/// What a Delete or Remove of several records did.
struct DeletionReport
{
    QString table;
    DeleteMode mode = DeleteMode::Delete;
    QList<Value> records;     ///< the records deleted, as they were
    QList<Value> missingKeys; ///< keys whose record no longer existed
    QString error;            ///< a store error that stopped it; empty when none
    bool rolledBack = false;  ///< with an error: nothing was deleted (one transaction)
    /// "Deleted 2 records. user-1 no longer existed." for a message bar.
    QString summary() const;
};
Q_DECLARE_METATYPE(DeletionReport)

/// A change of the store that was already made (a form save, a cell edit, a delete), pushed on
/// RecordHistory's undo stack afterwards: its first redo() does nothing.
///
/// Each later undo or redo is itself a checked store operation, run off the GUI thread through
/// the history's StoreRunner: it writes only if the stored record is still what this command
/// left there (or, for redo, what its undo left there); otherwise nothing is written and the
/// failure is reported through RecordHistory::failed. QUndoStack moves its index at once; when
/// the store refuses, RecordHistory moves the index back (without touching the store), so the
/// stack's index always says what the store holds: a failed undo leaves the command "done",
/// ready to be undone again once the record is back as it was.
class RecordCommand : public QUndoCommand
{
public:
    RecordCommand(RecordHistory *history, QString table, TableModelPtr model, const QString &text);
    ~RecordCommand() override;

    void undo() override;
    void redo() override;

    QString table() const { return m_table; }

protected:
    /// The store work of an undo (`undo` true) or redo. Runs on the store's thread: it must
    /// capture copies, never `this`.
    virtual std::function<Status(RecordStore &)> storeWork(bool undo) const = 0;

    QString m_table;
    TableModelPtr m_model;

private:
    friend class RecordHistory;
    QPointer<RecordHistory> m_history;
    bool m_applied = true;   ///< the change is in the store already: the first redo skips it
    bool m_skipNext = false; ///< the next undo/redo only moves the stack back after a failure
};

/// put_record; undo deletes the record if it is still exactly what was put.
class CreateRecordCommand : public RecordCommand
{
public:
    CreateRecordCommand(RecordHistory *history, QString table, TableModelPtr model, Value record);

protected:
    std::function<Status(RecordStore &)> storeWork(bool undo) const override;

private:
    Value m_record;
};

/// replace_record; undo puts `before` back if the stored record is still `after`.
class EditRecordCommand : public RecordCommand
{
public:
    EditRecordCommand(RecordHistory *history, QString table, TableModelPtr model, Value before,
                      Value after);

protected:
    std::function<Status(RecordStore &)> storeWork(bool undo) const override;

private:
    Value m_before;
    Value m_after;
};

/// update_field of one field; undo writes the old value back, or removes the field when it was
/// absent, if the field still holds what was written (other fields may have changed).
class CellEditCommand : public RecordCommand
{
public:
    CellEditCommand(RecordHistory *history, QString table, TableModelPtr model, Value key,
                    QString path, std::optional<Value> before, Value after);

protected:
    std::function<Status(RecordStore &)> storeWork(bool undo) const override;

private:
    Value m_key;
    QString m_path;
    std::optional<Value> m_before;
    Value m_after;
};

/// delete_record / remove_record of one or more records; undo writes them back exactly
/// (writeRaw, refused if any key exists again), all or nothing where the store has
/// transactions; redo deletes them again if they are still as they were.
class DeleteRecordsCommand : public RecordCommand
{
public:
    DeleteRecordsCommand(RecordHistory *history, QString table, TableModelPtr model,
                         QList<Value> records, DeleteMode mode);

protected:
    std::function<Status(RecordStore &)> storeWork(bool undo) const override;

private:
    QList<Value> m_records;
};

/// The undo history of record changes: a QUndoStack of RecordCommands and the reporter of
/// their asynchronous outcomes. Also makes the changes that the grid starts (cell edits,
/// Delete, Remove) and records them.
///
/// Wire undoAction()/redoAction() (Ctrl+Z, Ctrl+Shift+Z) rather than the stack's own: they
/// are disabled while an undo or redo runs in the store, which keeps the stack's index right.
class RecordHistory : public QObject
{
    Q_OBJECT

public:
    explicit RecordHistory(StoreRunner *runner, QObject *parent = nullptr);
    ~RecordHistory() override;

    QUndoStack *stack() const { return m_stack; }
    /// Undo with its command's text ("Undo Edit user-0000001"), Ctrl+Z.
    QAction *undoAction() const { return m_undoAction; }
    /// Redo, Ctrl+Shift+Z.
    QAction *redoAction() const { return m_redoAction; }
    /// True while an undo, redo, cell edit or delete runs in the store.
    bool isBusy() const { return m_busy > 0; }
    /// Store calls go through the interposer's wrapper (tests).
    void setStoreInterposer(StoreInterposer interposer) { m_interposer = std::move(interposer); }

    // Changes already made in the store: push them.
    /// From RecordFormDialog::recordSaved: a null `before` is a new record.
    void recordSaved(const QString &table, TableModelPtr model, const Value &before,
                     const Value &after);
    void recordCellEdited(const QString &table, TableModelPtr model, const Value &key,
                          const QString &path, const std::optional<Value> &before,
                          const Value &after);
    void recordDeleted(const DeletionReport &report, TableModelPtr model);

    // Changes made here, then pushed.
    /// update_field of one field of an existing record (a grid cell), only if the field still
    /// holds `shown` (nullopt: absent) and the record exists; reports cellEdited or failed.
    void editField(const QString &table, TableModelPtr model, const Value &key, const QString &path,
                   const std::optional<Value> &shown, const Value &value);
    /// Deletes or removes records by key (one transaction where the store has them); reports
    /// deletionFinished, pushes the deletion, and reports missing records in the report.
    void deleteRecords(const QString &table, TableModelPtr model, const QList<Value> &keys,
                       DeleteMode mode);

public slots:
    void undo();
    void redo();

signals:
    /// An undo, redo, cell edit or delete that the store refused, in a sentence; nothing was
    /// written. Show it (a failed undo is never silent).
    void failed(const QString &message);
    /// An undo or redo went through ("Undone: Edit user-0000001").
    void succeeded(const QString &message);
    /// The store changed a table (undo, redo, cell edit, delete): reload what shows it.
    void tableChanged(const QString &table);
    void busyChanged(bool busy);
    /// editField wrote the field.
    void cellEdited(const QString &table, const Value &key, const QString &path);
    /// deleteRecords finished (successfully or not; see the report's error).
    void deletionFinished(const DeletionReport &report);

private:
    friend class RecordCommand;
    void run(RecordCommand *command, bool undo);
    void forget(RecordCommand *command);
    void setBusy(bool busy);
    void updateActions();

    StoreRunner *m_runner;
    QUndoStack *m_stack;
    QAction *m_undoAction;
    QAction *m_redoAction;
    StoreInterposer m_interposer;
    int m_busy = 0;
    QList<RecordCommand *> m_pending;
};

/// The key of a record as text for messages ("user-0000001", "42").
QString recordKeyText(const TableModel &model, const Value &record);
