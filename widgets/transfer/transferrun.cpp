#include "widgets/transfer/transferrun.h"

#include "model/store/open/storerunner.h"
#include "model/transfer/importer.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>

#include <algorithm>
#include <atomic>

namespace {

constexpr int kProgressSteps = 1000;
constexpr qint64 kProgressIntervalMs = 50;

} // namespace

/// What a run shares with its dialog: the dialog may be gone before the run ends, so the store
/// thread only ever holds this.
struct TransferRun::Share
{
    std::atomic_bool cancel{false};
    std::atomic_bool posted{false}; ///< a progress update is queued and not yet shown
    std::atomic<qint64> records{0};
    std::atomic<qint64> bytes{0};
    std::atomic<qint64> total{-1};
    QElapsedTimer sinceShown;   ///< used on the store thread only
    QPointer<QObject> receiver; ///< read on the GUI thread only
    std::function<void()> showProgress;
};

TransferRun::TransferRun(QObject *receiver, std::function<void()> showProgress)
    : m_receiver(receiver), m_showProgress(std::move(showProgress)),
      m_share(std::make_shared<Share>())
{
}

TransferRun::~TransferRun()
{
    m_share->cancel = true;
}

void TransferRun::begin(qint64 total)
{
    m_share->cancel = true;
    m_share = std::make_shared<Share>();
    m_share->total = total;
    m_share->receiver = m_receiver;
    m_share->showProgress = m_showProgress;
    m_running = true;
    m_closeWhenDone = false;
    if (m_bar) {
        // Determinate from the start when the total is known; a busy bar otherwise.
        m_bar->setRange(0, total > 0 ? kProgressSteps : 0);
        m_bar->setValue(0);
        m_bar->setVisible(true);
    }
}

void TransferRun::end()
{
    m_running = false;
    if (m_bar)
        m_bar->setVisible(false);
}

bool TransferRun::cancel()
{
    if (!m_running || m_share->cancel)
        return false;
    m_share->cancel = true;
    return true;
}

bool TransferRun::isCancelling() const
{
    return m_share->cancel;
}

std::function<bool()> TransferRun::cancelCheck() const
{
    return [share = m_share] { return share->cancel.load(); };
}

std::function<void(const TransferProgress &)>
TransferRun::progressReporter(StoreRunner *runner) const
{
    return [share = m_share, runner](const TransferProgress &p) {
        share->records = p.records;
        share->bytes = p.bytes;
        if (p.bytesTotal >= 0)
            share->total = p.bytesTotal;
        // At most one update queued, and not more often than the eye can follow.
        if (share->sinceShown.isValid() && share->sinceShown.elapsed() < kProgressIntervalMs)
            return;
        if (share->posted.exchange(true))
            return;
        share->sinceShown.start();
        runner->post([share] {
            share->posted = false;
            if (share->receiver)
                share->showProgress();
        });
    };
}

qint64 TransferRun::records() const
{
    return m_share->records;
}

qint64 TransferRun::bytes() const
{
    return m_share->bytes;
}

qint64 TransferRun::total() const
{
    return m_share->total;
}

void TransferRun::showFraction(qint64 done, qint64 total) const
{
    if (!m_bar || total <= 0)
        return;
    m_bar->setRange(0, kProgressSteps);
    m_bar->setValue(int(std::clamp<qint64>(done * kProgressSteps / total, 0, kProgressSteps)));
}

QString TransferRun::withCancelNote(QString text) const
{
    if (m_share->cancel)
        text += QStringLiteral(" · ") + tr("cancelling…");
    return text;
}

void TransferRun::updateCancelButton(QPushButton *button, bool finished,
                                     const QString &runningTip) const
{
    if (m_running) {
        button->setText(m_share->cancel ? tr("Cancelling…") : tr("Cancel"));
        button->setEnabled(!m_share->cancel);
        button->setToolTip(runningTip);
    } else {
        button->setText(finished ? tr("Close") : tr("Cancel"));
        button->setEnabled(true);
        button->setToolTip(QString());
    }
}

QString TransferRun::formatLabel(TransferFormat format)
{
    switch (format) {
    case TransferFormat::JsonLines:
        return QObject::tr("JSON lines (.jsonl)");
    case TransferFormat::JsonArray:
        return QObject::tr("JSON array (.json)");
    case TransferFormat::DynamoDbJson:
        return QObject::tr("DynamoDB JSON (AWS export)");
    case TransferFormat::Csv:
        return QObject::tr("CSV with a header row (.csv)");
    }
    return transferFormatName(format);
}

QString TransferRun::formatName(TransferFormat format)
{
    switch (format) {
    case TransferFormat::JsonLines:
        return QObject::tr("JSON lines");
    case TransferFormat::JsonArray:
        return QObject::tr("JSON array");
    case TransferFormat::DynamoDbJson:
        return QObject::tr("DynamoDB JSON");
    case TransferFormat::Csv:
        return QObject::tr("CSV");
    }
    return transferFormatName(format);
}
