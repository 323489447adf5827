#pragma once

#include "model/rekey/bulkrekey.h"
#include "model/schema/tablemodel.h"
#include "model/store/storeinterposer.h"

#include <QDialog>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

class MessageBar;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QTimer;
class QTreeWidget;
class StoreRunner;

/// Changes the keys of several records at once: a new-key template (prefix replacement or a
/// regular expression with captures), a preview of every old -> new pair with conflicts
/// highlighted (the run stays disabled while there is one), a run with progress and Cancel
/// (between records, so every record is at exactly one key), and the per-record outcome list,
/// which can be saved (CSV or JSON lines).
class BulkRekeyDialog : public QDialog
{
    Q_OBJECT

public:
    /// The records with these keys (the grid's selection).
    BulkRekeyDialog(StoreRunner *runner, QString journalDirectory, QString table,
                    TableModelPtr model, std::vector<Value> keys, QWidget *parent = nullptr);
    /// Every record that matches `filter` (the grid's current filter).
    BulkRekeyDialog(StoreRunner *runner, QString journalDirectory, QString table,
                    TableModelPtr model, ScanRequest filter, QWidget *parent = nullptr);
    ~BulkRekeyDialog() override;

    void setTemplate(const KeyTemplate &keyTemplate);
    KeyTemplate keyTemplate() const;
    /// The last preview (nullopt while one is computed or the template is invalid).
    const std::optional<BulkRekeyPlan> &plan() const { return m_plan; }
    const std::vector<BulkRekeyOutcome> &outcomes() const { return m_outcomes; }
    bool isRunning() const { return m_running; }
    bool hasRun() const { return m_hasRun; }

    /// How long typing must pause before the preview is computed again (300 ms).
    void setPreviewDelay(int milliseconds);
    /// Test hook: every store access goes through `interposer(store)` on the store thread.
    void setStoreInterposer(StoreInterposer interposer) { m_interposer = std::move(interposer); }
    /// Test hook: called on the store thread after each record of a run.
    void setRecordHook(std::function<void(qsizetype index)> hook)
    {
        m_recordHook = std::move(hook);
    }
    /// Test hook: saveOutcomes() writes here instead of asking with a file dialog.
    void setSaveFileName(const QString &path) { m_saveFileName = path; }

public slots:
    /// Closes, except while a run is going on (it cannot be stopped between its steps).
    void reject() override;
    /// Computes the preview now.
    void refreshPreview();
    /// Runs the previewed plan (only without conflicts).
    void run();
    /// Stops the run before the next record.
    void cancel();
    /// Saves the outcome list: CSV when the name ends with .csv, else JSON lines.
    void saveOutcomes();

signals:
    /// A preview finished (plan() holds it, or it failed).
    void previewReady();
    /// A record of the run finished (its row shows the outcome).
    void recordFinished(int index);
    /// The run finished; outcomes() holds every record's outcome.
    void runFinished();
    /// Records of `table` moved: the grid reloads.
    void recordsChanged(const QString &table);
    void outcomesSaved(const QString &path);

private:
    BulkRekeyDialog(StoreRunner *runner, QString journalDirectory, QString table,
                    TableModelPtr model, QWidget *parent);
    void schedulePreview();
    void showPlan();
    void showOutcome(int index, const BulkRekeyOutcome &outcome);
    void finishRun(Result<std::vector<BulkRekeyOutcome>> outcomes);
    void updateButtons();
    template <typename F, typename Done> void callStore(F work, Done done);

    StoreRunner *m_runner;
    QString m_journalDirectory;
    QString m_table;
    TableModelPtr m_model;
    std::optional<std::vector<Value>> m_keys; ///< the selection, or nullopt for the filter
    ScanRequest m_filter;
    StoreInterposer m_interposer;
    std::function<void(qsizetype)> m_recordHook;
    QString m_saveFileName;

    std::optional<BulkRekeyPlan> m_plan;
    std::vector<BulkRekeyOutcome> m_outcomes;
    std::shared_ptr<std::atomic<quint64>> m_previewGeneration;
    std::shared_ptr<std::atomic_bool> m_cancel;
    bool m_previewing = false;
    bool m_running = false;
    bool m_hasRun = false;
    bool m_transactions = false;

    QLabel *m_scope;
    QRadioButton *m_prefixMode;
    QRadioButton *m_regexMode;
    QLineEdit *m_pattern;
    QLineEdit *m_replacement;
    QLabel *m_patternLabel;
    QLabel *m_replacementLabel;
    QLabel *m_templateStatus;
    QComboBox *m_strategy;
    QTreeWidget *m_preview;
    QLabel *m_summary;
    MessageBar *m_messages;
    QProgressBar *m_progress;
    QPushButton *m_run;
    QPushButton *m_cancelRun;
    QPushButton *m_save;
    QPushButton *m_close;
    QTimer *m_previewTimer;
};
