#pragma once

#include "model/core/value.h"
#include "model/rekey/rekeyengine.h"
#include "model/schema/tablemodel.h"
#include "model/store/storeinterposer.h"
#include "widgets/common/looks.h"

#include <QColor>
#include <QIcon>
#include <QPointer>
#include <QWizard>

#include <functional>
#include <optional>

class MessageBar;
class QButtonGroup;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QTimer;
class QTableWidget;
class QWizardPage;
class RecordStore;
class StoreRunner;

/// The key change wizard (docs/architecture.md, "How a key change stays crash-safe"): the record ->
/// the new key, checked live (type, and no record there) -> the strategy, each with its risks in
/// plain words -> a preview of what will be written -> the run, each step shown live as the engine
/// reports it from the store thread -> a summary in plain words. When the put fails the restore
/// is shown as its own step; when the restore fails too, the record stays in the recovery
/// journal and can be saved to a file from the summary.
///
/// Every store access runs through the StoreRunner; the GUI thread never waits.
class RekeyWizard : public QWizard
{
    Q_OBJECT

public:
    enum PageId {
        RecordPageId,
        NewKeyPageId,
        StrategyPageId,
        PreviewPageId,
        RunPageId,
        SummaryPageId
    };

    /// Changes the key of `record` (as shown in the grid) in `table`, with the recovery journal
    /// in `journalDirectory` (RecoveryJournal::defaultDirectory() in the application).
    RekeyWizard(StoreRunner *runner, QString journalDirectory, QString table, TableModelPtr model,
                Value record, QWidget *parent = nullptr);
    ~RekeyWizard() override;

    QString table() const { return m_table; }
    Value oldKey() const { return m_oldKey; }
    /// The typed new key once the new key page accepted it (null before).
    Value newKey() const;
    RekeyStrategy strategy() const;
    /// True while the engine runs: the wizard cannot be closed then.
    bool isRunning() const { return m_running; }
    /// The outcome once the run finished.
    const std::optional<RekeyOutcome> &outcome() const { return m_outcome; }

    /// Test hook: every store access of the wizard goes through `interposer(store)`, called on the
    /// store thread (tests wrap the real store in a FaultyStore).
    void setStoreInterposer(StoreInterposer interposer) { m_interposer = std::move(interposer); }
    /// Test hook: saveRecordToFile() writes here instead of asking with a file dialog.
    void setSaveFileName(const QString &path) { m_saveFileName = path; }
    /// How long typing must pause before the new key is looked up in the store (250 ms).
    void setKeyCheckDelay(int milliseconds);

public slots:
    /// Closes, except while a run is going on (it cannot be stopped between its steps).
    void reject() override;
    /// Saves the record kept in the recovery journal to a file (DynamoDB JSON) and, once it is
    /// safely written, removes the journal entry. Only after a run that ended InJournal.
    void saveRecordToFile();

signals:
    /// The record now has `newKey` (the grid reloads and selects it there).
    void keyChanged(const QString &table, const Value &oldKey, const Value &newKey);
    /// The run wrote to the table (whatever the outcome): what the grid shows may be stale.
    void recordsChanged(const QString &table);
    /// A step of the run arrived from the store thread and is shown.
    void stepFinished(const RekeyStep &step);
    /// The run finished (its outcome is outcome()).
    void runFinished();
    /// The record of the journal entry was saved to `path` and the entry removed.
    void recordSaved(const QString &path);

private:
    class Page;
    QWizardPage *createRecordPage();
    QWizardPage *createNewKeyPage();
    QWizardPage *createStrategyPage();
    QWizardPage *createPreviewPage();
    QWizardPage *createRunPage();
    QWizardPage *createSummaryPage();

    void newKeyEdited();
    void lookUpNewKey();
    void setNewKeyStatus(int state, const QString &text);
    void loadCapabilities();
    void initializePreview();
    void startRun();
    void addStep(const RekeyStep &step);
    void finishRun(RekeyOutcome outcome);
    void showWhereTheRecordIs();
    void initializeSummary();
    Page *page(PageId id) const;

    // Runs `work(RecordStore &)` on the store thread (through the test wrapper) and `done` here.
    template <typename F, typename Done> void callStore(F work, Done done);

    StoreRunner *m_runner;
    QString m_journalDirectory;
    QString m_table;
    TableModelPtr m_model;
    Value m_record;
    Value m_oldKey;
    StoreInterposer m_interposer;
    QString m_saveFileName;

    // New key page
    QLineEdit *m_newKeyEdit = nullptr;
    QLabel *m_newKeyIcon = nullptr;
    QLabel *m_newKeyStatus = nullptr;
    QTimer *m_keyTimer = nullptr;
    int m_keyState = 0; // NewKeyState in the .cpp
    Value m_newKey;
    quint64 m_keyGeneration = 0;

    // Strategy page
    QButtonGroup *m_strategies = nullptr;
    QRadioButton *m_atomic = nullptr;
    QLabel *m_atomicAvailability = nullptr;
    bool m_capabilitiesKnown = false;
    bool m_transactions = false;

    // Preview page
    QLabel *m_previewOldKey = nullptr;
    QLabel *m_previewNewKey = nullptr;
    QLabel *m_previewStrategy = nullptr;
    QLabel *m_previewStatus = nullptr;
    QPlainTextEdit *m_previewRecord = nullptr;
    bool m_previewReady = false;
    quint64 m_previewGeneration = 0;

    // Run page
    QTableWidget *m_steps = nullptr;
    QProgressBar *m_runProgress = nullptr;
    QLabel *m_runStatus = nullptr;
    MessageBar *m_runOutcome = nullptr;
    QWidget *m_whereBox = nullptr;
    QLabel *m_whereCaptions[3] = {};
    QLabel *m_whereIcons[3] = {};
    QLabel *m_whereTexts[3] = {};
    bool m_running = false;
    std::optional<RekeyOutcome> m_outcome;

    // Summary page
    QLabel *m_summaryIcon = nullptr;
    QLabel *m_summaryHeadline = nullptr;
    QLabel *m_summaryText = nullptr;
    QTableWidget *m_summarySteps = nullptr;
    QWidget *m_journalBox = nullptr;
    QLabel *m_journalText = nullptr;
    QPushButton *m_saveButton = nullptr;
    QLabel *m_saveStatus = nullptr;
};
