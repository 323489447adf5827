#pragma once

#include "model/store/storeinterposer.h"
#include "model/transfer/importer.h"
#include "widgets/common/looks.h"
#include "widgets/transfer/transferrun.h"

#include <QDialog>
#include <QSet>

#include <optional>

class MessageBar;
class QComboBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QRadioButton;
class StoreRunner;

/// Imports a file into a table (issue 7): the file, its format (detected or chosen), the mode
/// (all-or-nothing or skip-invalid with a rejects file) and what to do with existing keys; a
/// run on the store thread with progress and Cancel; then the report in place: its summary,
/// every problem as "file:line: path: message" in a list that can be copied or saved, and on
/// stores without transactions the keys a failed or cancelled import left written, with a
/// button that deletes the new ones again.
class ImportDialog : public QDialog
{
    Q_OBJECT

public:
    /// Imports a file into `table` on the store behind `runner`. `file` may be empty (user picks).
    /// `transactions`: whether the store runs an import of any size as one transaction
    /// (StoreCapabilities::atomicAtAnySize(): SQLite). Elsewhere (DynamoDB, stores without
    /// transactions) a failed or cancelled import leaves written keys, which the dialog lists
    /// with an "Undo These Writes" button (deletes the written keys that were new, and those
    /// that may have been written where the table holds the file's record, via the runner).
    ImportDialog(StoreRunner *runner, QString table, QString file, bool transactions,
                 QWidget *parent = nullptr);
    ~ImportDialog() override;

    void setFile(const QString &path);
    QString file() const;
    /// nullopt: detected from the file.
    void setFormat(std::optional<TransferFormat> format);
    void setMode(ImportOptions::Mode mode);
    void setExisting(ImportOptions::Existing existing);
    /// Skip-invalid: where the rejected records go (empty: next to the file).
    void setRejectsFile(const QString &path);

    /// Starts the import (what the Import button does).
    void start();
    bool isRunning() const { return m_run.isRunning(); }
    const std::optional<ImportReport> &report() const { return m_report; }

    /// Test hook: every store access goes through the interposer on the store thread.
    void setStoreInterposer(StoreInterposer interposer) { m_interposer = std::move(interposer); }
    /// Test hook: saveReport() writes here instead of asking with a file dialog.
    void setReportFileName(const QString &path) { m_reportFileName = path; }

public slots:
    /// Idle: closes. Running: cancels, and closes once the import has stopped.
    void reject() override;
    /// Stops a running import before its next record; the table is left as it was.
    void cancel();
    /// Picks the file with a file dialog.
    void browse();
    /// Saves the summary, every problem and the written keys as text.
    void saveReport();
    /// Deletes the records a failed or cancelled import left written whose keys were new.
    void undoWrites();
    /// Copies the selected problem lines (all of them when none is selected).
    void copyProblems();

signals:
    /// The table's records changed (emitted when something was written, also on partial imports).
    void tableChanged(const QString &table);
    /// An import finished (report() holds what it did).
    void importFinished();
    /// "Undo These Writes" finished.
    void undoFinished();
    void reportSaved(const QString &path);

private:
    QFormLayout *createOptionsForm();
    void setUpRunArea();
    void setUpProblemBox();
    void setUpWrittenBox();
    void layOut(QFormLayout *form);
    void showUndone(qint64 deleted, const QSet<QByteArray> &maybeDeleted);
    void showProgress();
    void showUndoProgress();
    void finish(Result<ImportReport> result);
    void showReport();
    void updateControls();
    void updateFormatHint();
    QString reportText() const;

    StoreRunner *m_runner;
    QString m_table;
    bool m_transactions;
    StoreInterposer m_interposer;
    QString m_reportFileName;
    TransferRun m_run;
    TransferRun m_undoRun; ///< Undo These Writes: its progress on the same bar
    std::optional<ImportReport> m_report;
    bool m_undoing = false;

    QLabel *m_intro;
    QLineEdit *m_file;
    QPushButton *m_browse;
    QComboBox *m_format;
    QRadioButton *m_allOrNothing;
    QRadioButton *m_skipInvalid;
    QLineEdit *m_rejects;
    QComboBox *m_existing;
    QLabel *m_transactionNote;
    MessageBar *m_messages;
    QProgressBar *m_progress;
    QLabel *m_status;
    QGroupBox *m_problemBox;
    QListWidget *m_problems;
    QGroupBox *m_writtenBox;
    QLabel *m_writtenNote;
    QListWidget *m_written;
    QPushButton *m_undo;
    QPushButton *m_saveReport;
    QPushButton *m_import;
    QPushButton *m_cancel;
};
