#pragma once

#include "model/analysis/tablecheck.h"
#include "model/core/value.h"
#include "model/store/recordstore.h"

#include <QDialog>

#include <functional>
#include <memory>
#include <vector>

class MessageBar;
class QLabel;
class QProgressBar;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;
class StoreRunner;

/// Checks a table (or the filtered records) against its model and lists the failing records.
///
/// TableCheck runs on the runner's thread; failing records come back to the GUI thread in
/// batches (one per page) so the list fills while it runs. The list is capped (rowLimit(),
/// 10,000 records): beyond it records are only counted, and "Save Report…" still writes every
/// one of them (the worker streams the report lines to a temporary file as it goes), so memory
/// stays flat whatever the table size. Closing while it runs cancels; the worker holds only
/// shared state, never the dialog.
///
/// The check starts when the dialog is first shown (or at start(), whichever comes first);
/// "Check Again" runs it anew.
class CheckTableDialog : public QDialog
{
    Q_OBJECT

public:
    CheckTableDialog(StoreRunner *runner, QString table, ScanRequest filter,
                     QWidget *parent = nullptr);
    ~CheckTableDialog() override;

    /// Runs the check (nothing when one is running).
    void start();
    bool isRunning() const { return m_running; }
    /// Failing records found so far (listed or not).
    int failingCount() const { return int(m_failing); }
    /// Records checked so far.
    qint64 checkedCount() const { return m_checked; }
    /// The listed failing records, in table order (at most rowLimit()).
    const std::vector<FailingRecord> &listedRecords() const { return m_listed; }

    /// How many failing records the list shows at most (10,000); the rest are counted.
    int rowLimit() const { return m_rowLimit; }
    void setRowLimit(int rows) { m_rowLimit = rows; }
    /// Test hook: called on the store thread after each page with the records checked.
    void setPageHook(std::function<void(qint64 checked)> hook) { m_pageHook = std::move(hook); }

    /// Writes the report (FailingRecord::toString() lines, every failing record).
    bool saveReport(const QString &path);

public slots:
    /// Stops the check at the next record.
    void cancel();
    /// Cancels a running check and closes.
    void reject() override;

signals:
    /// The check ended (completed, cancelled or failed) with these counts.
    void finished(qint64 checked, qint64 failing);
    /// The user asked to open this failing record (double-click / Return / "Open Record").
    void openRecordRequested(const Value &key);
    void reportSaved(const QString &path);

protected:
    void showEvent(QShowEvent *event) override;

private:
    struct Run;
    struct Batch;
    void receive(const std::shared_ptr<Run> &run, Batch batch);
    void finish(const std::shared_ptr<Run> &run, Result<TableCheckReport> report);
    void showProgress(qint64 checked, qint64 total);
    void openCurrent();
    void chooseReportFile();
    void updateButtons();
    QString scopeText() const;

    StoreRunner *m_runner;
    QString m_table;
    ScanRequest m_filter;
    std::function<void(qint64)> m_pageHook;
    int m_rowLimit = 10000;

    std::shared_ptr<Run> m_run;
    bool m_started = false;
    bool m_running = false;
    bool m_cancelled = false;
    bool m_hasReport = false;
    qint64 m_checked = 0;
    qint64 m_total = -1;
    qint64 m_failing = 0;
    std::vector<FailingRecord> m_listed;

    QLabel *m_scope;
    MessageBar *m_messages;
    QProgressBar *m_progress;
    QLabel *m_progressText;
    QPushButton *m_cancel;
    QTreeWidget *m_list;
    QLabel *m_summary;
    QPushButton *m_open;
    QPushButton *m_save;
    QPushButton *m_again;
    QPushButton *m_close;
};
