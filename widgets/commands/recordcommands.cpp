#include "widgets/commands/recordcommands.h"

#include "model/schema/fieldpath.h"
#include "model/schema/validator.h"
#include "model/store/open/storerunner.h"
#include "widgets/common/looks.h"
#include "widgets/form/fieldeditor.h"

#include <QAction>
#include <QUndoStack>

namespace {

QString keyDisplay(const Value &key)
{
    return key.isString() || key.isNumber() ? key.text() : compactJson(key, 60);
}

/// Writes `replacement` (nullopt: deletes the record) only if the stored record is still
/// `expected` (nullopt: absent). One transaction where the store has them.
Status checkedSwap(RecordStore &store, const QString &table, const TableModel &model,
                   const Value &key, const std::optional<Value> &expected,
                   const std::optional<Value> &replacement)
{
    return store.runTransaction([&]() -> Status {
        auto current = store.getRecord(table, key);
        if (!current)
            return current.error();
        const QString k = keyDisplay(key);
        if (expected) {
            if (!current->has_value())
                return makeError(ErrorKind::NotFound,
                                 QObject::tr("the record %1 no longer exists in the store").arg(k),
                                 k);
            if (**current != *expected)
                return makeError(ErrorKind::Conflict,
                                 QObject::tr("the record %1 changed in the store since (someone "
                                             "else edited it)")
                                     .arg(k),
                                 k);
        } else if (current->has_value()) {
            return makeError(ErrorKind::Exists,
                             QObject::tr("a record %1 exists in the store again").arg(k), k);
        }
        if (!replacement) {
            auto removed = store.removeRecord(table, key);
            if (!removed)
                return removed.error();
            return okStatus();
        }
        // replace_record where the record is valid (conditional on every store); records
        // that were invalid when read are put back exactly as they were.
        if (expected && Validator(model).isValidRecord(*replacement))
            return store.replaceRecord(table, **current, *replacement);
        return store.writeRaw(table, *replacement, !expected.has_value());
    });
}

Value keyOf(const TableModel &model, const Value &record)
{
    const Value *key = record.find(model.hashKey());
    return key ? *key : Value();
}

} // namespace

QString recordKeyText(const TableModel &model, const Value &record)
{
    return keyDisplay(keyOf(model, record));
}

QString DeletionReport::summary() const
{
    const bool remove = mode == DeleteMode::Remove;
    if (!error.isEmpty() && rolledBack)
        return remove ? QObject::tr("Nothing was removed: %1").arg(error)
                      : QObject::tr("Nothing was deleted: %1").arg(error);
    QStringList parts;
    if (!records.isEmpty() || missingKeys.isEmpty())
        parts << (remove ? QObject::tr("Removed %1.")
                               .arg(Looks::count(records.size(), QObject::tr("record"),
                                                 QObject::tr("records")))
                         : QObject::tr("Deleted %1.")
                               .arg(Looks::count(records.size(), QObject::tr("record"),
                                                 QObject::tr("records"))));
    constexpr int kNamed = 5;
    QStringList missing;
    for (const Value &key : missingKeys) {
        if (missing.size() == kNamed)
            break;
        missing << keyDisplay(key);
    }
    if (missingKeys.size() == 1)
        parts << QObject::tr("%1 no longer existed.").arg(missing.front());
    else if (missingKeys.size() > 1 && missingKeys.size() <= kNamed)
        parts << QObject::tr("%1 no longer existed.").arg(missing.join(QStringLiteral(", ")));
    else if (missingKeys.size() > kNamed)
        parts << QObject::tr("%1 and %2 more no longer existed.")
                     .arg(missing.join(QStringLiteral(", ")))
                     .arg(missingKeys.size() - kNamed);
    if (!error.isEmpty())
        parts << QObject::tr("Then the store failed: %1").arg(error);
    return parts.join(u' ');
}

// ---- RecordCommand -----------------------------------------------------------------------

RecordCommand::RecordCommand(RecordHistory *history, QString table, TableModelPtr model,
                             const QString &text)
    : m_table(std::move(table)), m_model(std::move(model)), m_history(history)
{
    setText(text);
}

RecordCommand::~RecordCommand()
{
    if (m_history)
        m_history->forget(this);
}

void RecordCommand::undo()
{
    if (m_skipNext) {
        m_skipNext = false;
        return;
    }
    if (m_history)
        m_history->run(this, true);
}

void RecordCommand::redo()
{
    if (m_applied) {
        m_applied = false;
        return;
    }
    if (m_skipNext) {
        m_skipNext = false;
        return;
    }
    if (m_history)
        m_history->run(this, false);
}

CreateRecordCommand::CreateRecordCommand(RecordHistory *history, QString table, TableModelPtr model,
                                         Value record)
    : RecordCommand(history, std::move(table), std::move(model), QString()),
      m_record(std::move(record))
{
    setText(QObject::tr("Create %1").arg(recordKeyText(*m_model, m_record)));
}

std::function<Status(RecordStore &)> CreateRecordCommand::storeWork(bool undo) const
{
    const QString table = m_table;
    const TableModelPtr model = m_model;
    const Value record = m_record;
    return [table, model, record, undo](RecordStore &store) {
        const Value key = keyOf(*model, record);
        if (undo)
            return checkedSwap(store, table, *model, key, record, std::nullopt);
        return checkedSwap(store, table, *model, key, std::nullopt, record);
    };
}

EditRecordCommand::EditRecordCommand(RecordHistory *history, QString table, TableModelPtr model,
                                     Value before, Value after)
    : RecordCommand(history, std::move(table), std::move(model), QString()),
      m_before(std::move(before)), m_after(std::move(after))
{
    setText(QObject::tr("Edit %1").arg(recordKeyText(*m_model, m_after)));
}

std::function<Status(RecordStore &)> EditRecordCommand::storeWork(bool undo) const
{
    const QString table = m_table;
    const TableModelPtr model = m_model;
    const Value from = undo ? m_after : m_before;
    const Value to = undo ? m_before : m_after;
    return [table, model, from, to](RecordStore &store) {
        return checkedSwap(store, table, *model, keyOf(*model, from), from, to);
    };
}

CellEditCommand::CellEditCommand(RecordHistory *history, QString table, TableModelPtr model,
                                 Value key, QString path, std::optional<Value> before, Value after)
    : RecordCommand(history, std::move(table), std::move(model), QString()), m_key(std::move(key)),
      m_path(std::move(path)), m_before(std::move(before)), m_after(std::move(after))
{
    setText(QObject::tr("Change %1 of %2").arg(m_path, keyDisplay(m_key)));
}

std::function<Status(RecordStore &)> CellEditCommand::storeWork(bool undo) const
{
    const QString table = m_table;
    const TableModelPtr model = m_model;
    const Value key = m_key;
    const QString path = m_path;
    const std::optional<Value> from = undo ? std::optional<Value>(m_after) : m_before;
    const std::optional<Value> to = undo ? m_before : std::optional<Value>(m_after);
    return [table, model, key, path, from, to](RecordStore &store) -> Status {
        auto resolved = resolvePath(*model, path);
        if (!resolved)
            return resolved.error();
        return store.runTransaction([&]() -> Status {
            auto current = store.getRecord(table, key);
            if (!current)
                return current.error();
            const QString k = keyDisplay(key);
            if (!current->has_value())
                return makeError(ErrorKind::NotFound,
                                 QObject::tr("the record %1 no longer exists in the store").arg(k),
                                 k);
            const Value *now = valueAtPath(**current, resolved->elements);
            const bool unchanged = from ? (now && *now == *from) : now == nullptr;
            if (!unchanged)
                return makeError(
                    ErrorKind::Conflict,
                    QObject::tr("%1 of %2 changed in the store since (it is now %3)")
                        .arg(path, k, now ? compactJson(*now, 60) : QObject::tr("not set")),
                    path);
            Value updated = **current;
            if (to) {
                auto set = setAtPath(updated, *resolved, *to);
                if (!set)
                    return set.error();
            } else {
                removeAtPath(updated, *resolved);
            }
            if (Validator(*model).isValidRecord(updated))
                return store.replaceRecord(table, **current, updated);
            return store.writeRaw(table, updated, false);
        });
    };
}

DeleteRecordsCommand::DeleteRecordsCommand(RecordHistory *history, QString table,
                                           TableModelPtr model, QList<Value> records,
                                           DeleteMode mode)
    : RecordCommand(history, std::move(table), std::move(model), QString()),
      m_records(std::move(records))
{
    const bool remove = mode == DeleteMode::Remove;
    if (m_records.size() == 1)
        setText((remove ? QObject::tr("Remove %1") : QObject::tr("Delete %1"))
                    .arg(recordKeyText(*m_model, m_records.front())));
    else
        setText(remove ? QObject::tr("Remove %1")
                             .arg(Looks::count(m_records.size(), QObject::tr("record"),
                                               QObject::tr("records")))
                       : QObject::tr("Delete %1")
                             .arg(Looks::count(m_records.size(), QObject::tr("record"),
                                               QObject::tr("records"))));
}

std::function<Status(RecordStore &)> DeleteRecordsCommand::storeWork(bool undo) const
{
    const QString table = m_table;
    const TableModelPtr model = m_model;
    const QList<Value> records = m_records;
    return [table, model, records, undo](RecordStore &store) {
        return store.runTransaction([&]() -> Status {
            for (const Value &record : records) {
                const Value key = keyOf(*model, record);
                // Undo: put each back exactly, refused when its key exists again.
                // Redo: delete each again, only if it is still as it was.
                Status s = undo ? checkedSwap(store, table, *model, key, std::nullopt, record)
                                : checkedSwap(store, table, *model, key, record, std::nullopt);
                if (!s)
                    return s;
            }
            return okStatus();
        });
    };
}

// ---- RecordHistory -----------------------------------------------------------------------

RecordHistory::RecordHistory(StoreRunner *runner, QObject *parent)
    : QObject(parent), m_runner(runner), m_stack(new QUndoStack(this)),
      m_undoAction(new QAction(tr("Undo"), this)), m_redoAction(new QAction(tr("Redo"), this))
{
    qRegisterMetaType<DeletionReport>();
    m_undoAction->setObjectName(QStringLiteral("undoAction"));
    m_redoAction->setObjectName(QStringLiteral("redoAction"));
    m_undoAction->setShortcut(QKeySequence::Undo);
    m_redoAction->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence::Redo});
    connect(m_undoAction, &QAction::triggered, this, &RecordHistory::undo);
    connect(m_redoAction, &QAction::triggered, this, &RecordHistory::redo);
    connect(m_stack, &QUndoStack::indexChanged, this, &RecordHistory::updateActions);
    connect(m_stack, &QUndoStack::canUndoChanged, this, &RecordHistory::updateActions);
    connect(m_stack, &QUndoStack::canRedoChanged, this, &RecordHistory::updateActions);
    updateActions();
}

RecordHistory::~RecordHistory()
{
    // Commands outlive nothing here: the stack is our child. Let them not call back.
    for (int i = 0; i < m_stack->count(); ++i) {
        if (auto *c = dynamic_cast<const RecordCommand *>(m_stack->command(i)))
            const_cast<RecordCommand *>(c)->m_history = nullptr;
    }
}

void RecordHistory::updateActions()
{
    const bool busy = isBusy();
    m_undoAction->setEnabled(m_stack->canUndo() && !busy);
    m_redoAction->setEnabled(m_stack->canRedo() && !busy);
    m_undoAction->setText(m_stack->canUndo() ? tr("Undo %1").arg(m_stack->undoText()) : tr("Undo"));
    m_redoAction->setText(m_stack->canRedo() ? tr("Redo %1").arg(m_stack->redoText()) : tr("Redo"));
}

void RecordHistory::setBusy(bool busy)
{
    const bool was = isBusy();
    m_busy += busy ? 1 : -1;
    if (was != isBusy())
        emit busyChanged(isBusy());
    updateActions();
}

void RecordHistory::undo()
{
    if (isBusy() || !m_stack->canUndo())
        return;
    m_stack->undo();
}

void RecordHistory::redo()
{
    if (isBusy() || !m_stack->canRedo())
        return;
    m_stack->redo();
}

void RecordHistory::forget(RecordCommand *command)
{
    m_pending.removeAll(command);
}

void RecordHistory::run(RecordCommand *command, bool undo)
{
    std::function<Status(RecordStore &)> work = command->storeWork(undo);
    const QString text = command->text();
    const QString table = command->table();
    m_pending << command;
    setBusy(true);
    StoreInterposer interposer = m_interposer;
    m_runner->call(
        [work, interposer](RecordStore &store) -> Status {
            return work(interposed(interposer, store));
        },
        this,
        [this, command, undo, text, table](Status status) {
            const bool alive = m_pending.removeOne(command);
            if (status) {
                setBusy(false);
                emit succeeded(undo ? tr("Undone: %1").arg(text) : tr("Redone: %1").arg(text));
                emit tableChanged(table);
                return;
            }
            // The stack moved at once; the store did not. Move the index back without touching
            // the store, so that the stack says what the store holds.
            bool movedBack = false;
            if (alive) {
                const int index = m_stack->index();
                if (undo && index < m_stack->count() && m_stack->command(index) == command) {
                    command->m_skipNext = true;
                    m_stack->redo();
                    movedBack = true;
                } else if (!undo && index > 0 && m_stack->command(index - 1) == command) {
                    command->m_skipNext = true;
                    m_stack->undo();
                    movedBack = true;
                }
            }
            setBusy(false);
            const QString reason = status.error().message;
            if (undo)
                emit failed(
                    movedBack
                        ? tr("Could not undo “%1”: %2. Nothing was changed; it "
                             "stays done.")
                              .arg(text, reason)
                        : tr("Could not undo “%1”: %2. Nothing was changed.").arg(text, reason));
            else
                emit failed(
                    movedBack
                        ? tr("Could not redo “%1”: %2. Nothing was changed; it "
                             "stays undone.")
                              .arg(text, reason)
                        : tr("Could not redo “%1”: %2. Nothing was changed.").arg(text, reason));
        });
}

void RecordHistory::recordSaved(const QString &table, TableModelPtr model, const Value &before,
                                const Value &after)
{
    if (before.isNull())
        m_stack->push(new CreateRecordCommand(this, table, std::move(model), after));
    else
        m_stack->push(new EditRecordCommand(this, table, std::move(model), before, after));
}

void RecordHistory::recordCellEdited(const QString &table, TableModelPtr model, const Value &key,
                                     const QString &path, const std::optional<Value> &before,
                                     const Value &after)
{
    m_stack->push(new CellEditCommand(this, table, std::move(model), key, path, before, after));
}

void RecordHistory::recordDeleted(const DeletionReport &report, TableModelPtr model)
{
    if (report.records.isEmpty())
        return;
    m_stack->push(new DeleteRecordsCommand(this, report.table, std::move(model), report.records,
                                           report.mode));
}

void RecordHistory::editField(const QString &table, TableModelPtr model, const Value &key,
                              const QString &path, const std::optional<Value> &shown,
                              const Value &value)
{
    setBusy(true);
    StoreInterposer interposer = m_interposer;
    m_runner->call(
        [table, model, key, path, shown, value,
         interposer](RecordStore &s) -> Result<std::optional<Value>> {
            RecordStore &store = interposed(interposer, s);
            auto resolved = resolvePath(*model, path);
            if (!resolved)
                return resolved.error();
            std::optional<Value> old;
            Status status = store.runTransaction([&]() -> Status {
                auto current = store.getRecord(table, key);
                if (!current)
                    return current.error();
                const QString k = keyDisplay(key);
                // update_field would create a missing record; a cell edit must not.
                if (!current->has_value())
                    return makeError(
                        ErrorKind::NotFound,
                        QObject::tr("the record %1 no longer exists in the store").arg(k), k);
                const Value *now = valueAtPath(**current, resolved->elements);
                const bool unchanged = shown ? (now && *now == *shown) : now == nullptr;
                if (!unchanged)
                    return makeError(ErrorKind::Conflict,
                                     QObject::tr("it changed in the store since it was shown (it "
                                                 "is now %1)")
                                         .arg(now ? compactJson(*now, 60) : QObject::tr("not set")),
                                     path);
                if (now)
                    old = *now;
                return store.updateField(table, key, FieldSetter{path, value});
            });
            if (!status)
                return status.error();
            return old;
        },
        this,
        [this, table, model, key, path, value](Result<std::optional<Value>> old) {
            setBusy(false);
            if (!old) {
                emit failed(tr("Could not change %1 of %2: %3. Nothing was written.")
                                .arg(path, keyDisplay(key), old.error().message));
                return;
            }
            recordCellEdited(table, model, key, path, *old, value);
            emit cellEdited(table, key, path);
            emit tableChanged(table);
        });
}

void RecordHistory::deleteRecords(const QString &table, TableModelPtr model,
                                  const QList<Value> &keys, DeleteMode mode)
{
    setBusy(true);
    StoreInterposer interposer = m_interposer;
    m_runner->call(
        [table, keys, mode, interposer](RecordStore &s) -> Result<DeletionReport> {
            RecordStore &store = interposed(interposer, s);
            DeletionReport report;
            report.table = table;
            report.mode = mode;
            Status status = store.runTransaction([&]() -> Status {
                for (const Value &key : keys) {
                    auto removed = store.removeRecord(table, key);
                    if (!removed)
                        return removed.error();
                    if (removed->has_value())
                        report.records << **removed;
                    else
                        report.missingKeys << key;
                }
                return okStatus();
            });
            if (!status) {
                report.error = status.error().toString();
                report.rolledBack = store.capabilities().transactions;
                if (report.rolledBack) {
                    report.records.clear();
                    report.missingKeys.clear();
                }
            }
            return report;
        },
        this,
        [this, table, model](Result<DeletionReport> result) {
            setBusy(false);
            DeletionReport report;
            if (result) {
                report = *result;
            } else {
                report.table = table;
                report.error = result.error().toString();
                report.rolledBack = true;
            }
            recordDeleted(report, model);
            if (!report.error.isEmpty())
                emit failed(report.summary());
            emit deletionFinished(report);
            emit tableChanged(table);
        });
}
