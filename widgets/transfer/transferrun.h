#pragma once

#include "model/transfer/transferformat.h"

#include <QCoreApplication>
#include <QString>

#include <functional>
#include <memory>

class QObject;
class QProgressBar;
class QPushButton;
class StoreRunner;
struct TransferProgress;

/// The run plumbing of the import and export dialogs: the cancel flag and the latest figures a
/// run on the store thread shares with its dialog, progress updates posted back to the dialog
/// (at most one queued, and not more often than the eye can follow), the progress bar and the
/// Cancel/Close button. A dialog holds one and starts a fresh run with begin().
class TransferRun
{
    Q_DECLARE_TR_FUNCTIONS(TransferRun)

public:
    /// "JSON lines (.jsonl)", "DynamoDB JSON (AWS export)", ...: the choices of a format combo.
    static QString formatLabel(TransferFormat format);
    /// "JSON lines", "DynamoDB JSON", ...: a format in a sentence.
    static QString formatName(TransferFormat format);

    /// `showProgress` is called on the GUI thread after progress, while `receiver` exists.
    TransferRun(QObject *receiver, std::function<void()> showProgress);
    /// A running run stops at its next record.
    ~TransferRun();
    TransferRun(const TransferRun &) = delete;
    TransferRun &operator=(const TransferRun &) = delete;

    /// The bar begin() shows and end() hides.
    void setProgressBar(QProgressBar *bar) { m_bar = bar; }

    /// Starts a run: cancels the one before and makes a fresh share, so a late progress update of
    /// an earlier run cannot reach this one. `total`: what the run counts up to, -1 unknown (the
    /// bar is then busy until the run tells).
    void begin(qint64 total = -1);
    /// The run ended (its result is in): hides the bar.
    void end();
    bool isRunning() const { return m_running; }

    /// Asks the run to stop; false when nothing runs or a cancel is already under way.
    bool cancel();
    bool isCancelling() const;
    /// Reject() while running: close once the run has stopped.
    void closeWhenDone() { m_closeWhenDone = true; }
    bool closesWhenDone() const { return m_closeWhenDone; }

    /// For ImportOptions/ExportOptions::cancelled: polled on the store thread.
    std::function<bool()> cancelCheck() const;
    /// For ImportOptions/ExportOptions::progress: records the figures on the store thread and
    /// posts the dialog's update through `runner`.
    std::function<void(const TransferProgress &)> progressReporter(StoreRunner *runner) const;

    /// The latest figures: records read or written, bytes read, and the total (the file's size
    /// on import, the records to export; -1 unknown).
    qint64 records() const;
    qint64 bytes() const;
    qint64 total() const;

    /// Shows `done` of `total` on the bar (nothing when the total is unknown).
    void showFraction(qint64 done, qint64 total) const;
    /// `text` with a note that the run is being cancelled, when it is.
    QString withCancelNote(QString text) const;
    /// Running: Cancel (or Cancelling…, disabled) with `runningTip`; idle: Close once a run has
    /// `finished`, else Cancel.
    void updateCancelButton(QPushButton *button, bool finished, const QString &runningTip) const;

private:
    struct Share;
    QObject *m_receiver;
    std::function<void()> m_showProgress;
    std::shared_ptr<Share> m_share;
    QProgressBar *m_bar = nullptr;
    bool m_running = false;
    bool m_closeWhenDone = false;
};
