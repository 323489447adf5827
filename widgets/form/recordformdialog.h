#pragma once

#include "model/core/value.h"
#include "model/schema/tablemodel.h"
#include "model/schema/validator.h"
#include "model/store/storeinterposer.h"

#include <QDialog>
#include <QTimer>

#include <optional>

class FieldEditor;
class QFrame;
class QLabel;
class QPushButton;
class QScrollArea;
class QTreeWidget;
class QVBoxLayout;
class StoreRunner;

/// A form for one record, generated from the table model: New (put_record) or Edit
/// (replace_record of the record as loaded; the key is read-only, keys change through the key
/// change wizard). Tables without a model get a JSON editor of the whole record, key checked.
///
/// - Validation runs as the user types (debounced): each problem at its field, a summary of
///   what still blocks the save at the bottom, Save disabled while anything blocks. A record
///   loaded without some required fields lists them at the top until they are filled in.
/// - Save (Ctrl+Return) validates again and runs the store call through the StoreRunner; the
///   dialog shows "Saving…" and stays responsive. Errors are shown in the dialog, never in a
///   message box: an existing key on New offers to open that record (openExistingRequested);
///   a conflict on Edit (the stored record changed since it was loaded) writes nothing, shows
///   which attributes changed and offers Reload (take the stored record) or Overwrite (replace
///   the stored record as it is now); a record deleted meanwhile can be saved as a new one.
/// - On success it emits recordSaved(before, after) and closes (accept). Esc cancels; while a
///   save runs, cancelling closes the dialog once the store has answered.
///
/// Object names: "saveButton", "cancelButton", "problemSummary", "missingFields",
/// "formMessage" (+ "formMessageText"), "openExistingButton", "reloadButton",
/// "overwriteButton", "saveAsNewButton", "conflictDiff", "savingStatus"; field editors are named
/// after their paths (see FieldEditor).
class RecordFormDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Mode { New, Edit };

    /// `record` given: Edit that record (as loaded from the store); nullopt: a new record.
    RecordFormDialog(StoreRunner *runner, QString table, TableModelPtr model,
                     std::optional<Value> record, QWidget *parent = nullptr);
    ~RecordFormDialog() override;

    Mode mode() const { return m_mode; }
    QString table() const { return m_table; }
    TableModelPtr tableModel() const { return m_model; }
    /// The record as loaded (Edit; after Reload, the stored one); null for New.
    const Value &loadedRecord() const { return m_loaded; }
    /// The record the form holds now: what Save would write.
    Value currentRecord() const;
    /// What blocks the save, as of the last validation.
    const Problems &blockingProblems() const { return m_blocking; }
    bool isSaving() const { return m_saving; }
    /// The editor of a field path ("metadata.plan"), or nullptr.
    FieldEditor *editorAt(const QString &path) const;
    /// The editor of the whole record.
    FieldEditor *recordEditor() const { return m_root; }
    /// Store calls go through the interposer's wrapper (tests: counting, failing stores).
    void setStoreInterposer(StoreInterposer interposer) { m_interposer = std::move(interposer); }
    /// Fills the form with a record, as if typed (e.g. a copy of another record for New).
    void setRecord(const Value &record);

public slots:
    /// Validates and, when nothing blocks, saves (put_record or replace_record).
    void saveRecord();
    /// Validates now instead of after the typing pause.
    void validateNow();
    /// After a conflict: takes the record stored now into the form (edits are dropped).
    void reloadStored();
    /// After a conflict: replaces the record stored now with the form's record.
    void overwriteStored();
    void reject() override;

signals:
    /// The record was written. `before` is what the store held before (null for a new
    /// record), `after` what was written.
    void recordSaved(const Value &before, const Value &after);
    /// New: the key exists; the user asked to open the existing record.
    void openExistingRequested(const Value &key);
    /// A validation finished; `valid` when nothing blocks the save.
    void validated(bool valid);

private:
    void buildUi();
    void buildHeader(QVBoxLayout *layout);
    void buildFields(QVBoxLayout *layout);
    void buildMessage(QVBoxLayout *layout);
    void buildButtons(QVBoxLayout *layout);
    void fixTabOrder();
    void scheduleTabOrder();
    void onEdited();
    void setSaving(bool saving, const QString &status = {});
    void runPut(const Value &record);
    void runReplace(const Value &expected, const Value &record);
    void fetchConflict();
    void finishSaved(const Value &before, const Value &after);
    void failSave();
    enum class MessageKind { Info, Warning, Error };
    void showMessage(const QString &text, MessageKind kind);
    void hideMessage();
    void showConflict(const Value &stored);
    void updateSummary();
    void updateMissing(const Problems &found);
    void updateHeader();
    QString keyText(const Value &record) const;

    StoreRunner *m_runner;
    QString m_table;
    TableModelPtr m_model;
    Mode m_mode;
    Value m_loaded;
    std::optional<Value> m_conflictStored;
    StoreInterposer m_interposer;
    bool m_saving = false;
    bool m_closeWhenSaved = false;
    bool m_loadedMissedFields = false;
    bool m_tabOrderPending = false;
    Problems m_blocking;
    QTimer m_validateTimer;

    QLabel *m_header = nullptr;
    QLabel *m_subheader = nullptr;
    QLabel *m_missing = nullptr;
    QScrollArea *m_scroll = nullptr;
    FieldEditor *m_root = nullptr;
    QFrame *m_message = nullptr;
    QLabel *m_messageText = nullptr;
    QTreeWidget *m_diff = nullptr;
    QPushButton *m_openExisting = nullptr;
    QPushButton *m_reload = nullptr;
    QPushButton *m_overwrite = nullptr;
    QPushButton *m_saveAsNew = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_save = nullptr;
    QPushButton *m_cancel = nullptr;
};
