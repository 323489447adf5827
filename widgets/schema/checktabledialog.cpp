#include "widgets/schema/checktabledialog.h"

#include "model/store/open/storerunner.h"
#include "widgets/common/looks.h"
#include "widgets/common/messagebar.h"

#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <atomic>

namespace {

enum Column { KeyColumn, ProblemColumn };
constexpr int RecordIndexRole = Qt::UserRole + 1;
constexpr int kExpandFirst = 20;

QString number(qint64 n)
{
    return QLocale().toString(n);
}

QString count(qint64 n, const QString &one, const QString &many)
{
    return (n == 1 ? one : many).arg(number(n));
}

QString keyText(const Value &key)
{
    if (key.isNull())
        return CheckTableDialog::tr("(no key)");
    if (key.isString() || key.isNumber())
        return key.text();
    return key.typeDescription();
}

} // namespace

/// One run of the check: what the worker shares with the dialog (never the dialog itself).
struct CheckTableDialog::Run
{
    std::atomic_bool cancel{false};
    QString reportPath;               ///< the worker writes every report line here
    std::atomic_bool reportOk{false}; ///< the report file holds every failing record

    // Whoever lets go last (the dialog or a cancelled worker) removes the file.
    ~Run()
    {
        if (!reportPath.isEmpty())
            QFile::remove(reportPath);
    }
};

/// Failing records handed to the GUI thread after a page, with the counts at that point.
struct CheckTableDialog::Batch
{
    std::vector<FailingRecord> records;
    qint64 checked = 0;
    qint64 total = -1;
    qint64 failing = 0;
};

CheckTableDialog::CheckTableDialog(StoreRunner *runner, QString table, ScanRequest filter,
                                   QWidget *parent)
    : QDialog(parent), m_runner(runner), m_table(std::move(table)), m_filter(std::move(filter)),
      m_scope(new QLabel(this)), m_messages(new MessageBar(this)),
      m_progress(new QProgressBar(this)), m_progressText(new QLabel(this)),
      m_cancel(new QPushButton(tr("Cancel"), this)), m_list(new QTreeWidget(this)),
      m_summary(new QLabel(this)), m_open(new QPushButton(tr("&Open Record"), this)),
      m_save(new QPushButton(tr("&Save Report…"), this)),
      m_again(new QPushButton(tr("Check &Again"), this)),
      m_close(new QPushButton(tr("Close"), this))
{
    Q_ASSERT(m_runner);
    setObjectName(QStringLiteral("checkTableDialog"));
    setWindowTitle(tr("Check table %1 against its model").arg(m_table));
    resize(820, 560);

    m_scope->setObjectName(QStringLiteral("checkScope"));
    m_scope->setWordWrap(true);
    m_scope->setTextFormat(Qt::PlainText);
    m_scope->setText(scopeText());
    m_messages->setObjectName(QStringLiteral("checkMessages"));
    m_progress->setObjectName(QStringLiteral("checkProgress"));
    m_progress->setTextVisible(false);
    m_progressText->setObjectName(QStringLiteral("checkProgressText"));
    m_cancel->setObjectName(QStringLiteral("cancelCheckButton"));

    m_list->setObjectName(QStringLiteral("failingList"));
    m_list->setColumnCount(2);
    m_list->setHeaderLabels({tr("Record key / field path"), tr("Problem")});
    m_list->setUniformRowHeights(true);
    m_list->setAlternatingRowColors(true);
    m_list->setExpandsOnDoubleClick(false); // a double-click opens the record
    m_list->header()->resizeSection(KeyColumn, 260);
    m_list->header()->setStretchLastSection(true);
    m_list->setToolTip(tr("Double-click a record or press Return to open it."));

    m_summary->setObjectName(QStringLiteral("checkSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);
    QFont bold = m_summary->font();
    bold.setBold(true);
    m_summary->setFont(bold);

    m_open->setObjectName(QStringLiteral("openRecordButton"));
    m_save->setObjectName(QStringLiteral("saveReportButton"));
    m_again->setObjectName(QStringLiteral("checkAgainButton"));
    m_close->setObjectName(QStringLiteral("closeButton"));
    // Return in the list opens the record it is on, never a button by surprise.
    for (QPushButton *b : {m_cancel, m_open, m_save, m_again, m_close})
        b->setAutoDefault(false);

    auto *progressRow = new QHBoxLayout;
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_progressText);
    progressRow->addWidget(m_cancel);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_open);
    buttons->addWidget(m_save);
    buttons->addWidget(m_again);
    buttons->addStretch(1);
    buttons->addWidget(m_close);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_scope);
    layout->addWidget(m_messages);
    layout->addLayout(progressRow);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_summary);
    layout->addLayout(buttons);

    connect(m_cancel, &QPushButton::clicked, this, &CheckTableDialog::cancel);
    connect(m_open, &QPushButton::clicked, this, &CheckTableDialog::openCurrent);
    connect(m_save, &QPushButton::clicked, this, &CheckTableDialog::chooseReportFile);
    connect(m_again, &QPushButton::clicked, this, &CheckTableDialog::start);
    connect(m_close, &QPushButton::clicked, this, &QDialog::accept);
    connect(m_list, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        m_list->setCurrentItem(item);
        openCurrent();
    });
    connect(m_list, &QTreeWidget::currentItemChanged, this, &CheckTableDialog::updateButtons);

    m_progress->setVisible(false);
    m_progressText->setVisible(false);
    m_cancel->setVisible(false);
    m_summary->setText(tr("The check starts when this dialog opens."));
    updateButtons();
}

CheckTableDialog::~CheckTableDialog()
{
    // The worker stops at its next record; it holds only the shared run state.
    if (m_run)
        m_run->cancel = true;
}

QString CheckTableDialog::scopeText() const
{
    QStringList parts;
    if (!m_filter.conditions.empty())
        parts << count(qsizetype(m_filter.conditions.size()), tr("%1 condition"),
                       tr("%1 conditions"));
    if (!m_filter.text.isEmpty())
        parts << tr("the text “%1”").arg(m_filter.text);
    if (parts.isEmpty())
        return tr("Every record of table %1 is checked against the table's model.").arg(m_table);
    return tr("The records of table %1 that match the filter (%2) are checked against the "
              "table's model.")
        .arg(m_table, parts.join(tr(" and ")));
}

void CheckTableDialog::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    if (!m_started)
        start();
}

void CheckTableDialog::start()
{
    if (m_running)
        return;
    m_started = true;
    if (m_run)
        m_run->cancel = true;
    auto run = std::make_shared<Run>();
    m_run = run;
    static std::atomic<int> reports{0};
    static QTemporaryDir reportDir(QDir::tempPath() + QStringLiteral("/structdesk-check-XXXXXX"));
    run->reportPath = reportDir.isValid()
                          ? reportDir.filePath(QStringLiteral("report-%1.txt").arg(++reports))
                          : QString();

    m_running = true;
    m_cancelled = false;
    m_hasReport = false;
    m_checked = 0;
    m_total = -1;
    m_failing = 0;
    m_listed.clear();
    m_list->clear();
    m_messages->dismiss();
    m_progress->setRange(0, 0);
    m_progress->setVisible(true);
    m_progressText->setText(tr("Checking…"));
    m_progressText->setVisible(true);
    m_cancel->setVisible(true);
    m_cancel->setEnabled(true);
    m_summary->setText(tr("Checking the records… Failing records appear here as they are found."));
    m_summary->setPalette(palette());
    updateButtons();
    m_list->setFocus();

    QPointer<CheckTableDialog> self(this);
    StoreRunner *runner = m_runner;
    m_runner->call(
        [run, self, runner, table = m_table, filter = m_filter, limit = qint64(m_rowLimit),
         hook = m_pageHook](RecordStore &store) {
            QFile report(run->reportPath);
            const bool reportOpen =
                !run->reportPath.isEmpty() && report.open(QIODevice::WriteOnly | QIODevice::Text);
            bool reportOk = reportOpen;
            Batch pending;
            qint64 failing = 0;
            qint64 listed = 0;
            qint64 total = -1;
            auto flush = [&](qint64 checked) {
                Batch batch;
                batch.records.swap(pending.records);
                batch.checked = checked;
                batch.total = total;
                batch.failing = failing;
                runner->post([self, run, batch = std::move(batch)]() mutable {
                    if (self)
                        self->receive(run, std::move(batch));
                });
            };
            TableCheck::Options options;
            options.filter = filter;
            options.failing = [&](const FailingRecord &record) {
                ++failing;
                if (reportOk)
                    reportOk = report.write((record.toString() + u'\n').toUtf8()) >= 0;
                if (listed < limit) {
                    pending.records.push_back(record);
                    ++listed;
                }
                return !run->cancel.load();
            };
            options.progress = [&](qint64 checked, qint64 pageTotal) {
                total = pageTotal;
                flush(checked);
                if (hook)
                    hook(checked);
            };
            options.cancelled = [run] { return run->cancel.load(); };
            Result<TableCheckReport> result = TableCheck::run(store, table, options);
            if (reportOpen)
                reportOk = report.flush() && reportOk;
            report.close();
            run->reportOk = reportOk;
            if (!pending.records.empty())
                flush(result ? result->checked : 0);
            return result;
        },
        this, [this, run](Result<TableCheckReport> report) { finish(run, std::move(report)); });
}

void CheckTableDialog::receive(const std::shared_ptr<Run> &run, Batch batch)
{
    if (run != m_run)
        return;
    m_checked = std::max(m_checked, batch.checked);
    if (batch.total >= 0)
        m_total = batch.total;
    m_failing = std::max(m_failing, batch.failing);

    QList<QTreeWidgetItem *> items;
    items.reserve(qsizetype(batch.records.size()));
    for (FailingRecord &record : batch.records) {
        const int index = int(m_listed.size());
        auto *item = new QTreeWidgetItem;
        item->setText(KeyColumn, keyText(record.key));
        item->setData(KeyColumn, RecordIndexRole, index);
        item->setIcon(KeyColumn, Looks::failedIcon());
        if (record.problems.size() == 1) {
            item->setText(ProblemColumn, record.problems.front().toString());
        } else {
            QStringList paths;
            for (const Problem &p : record.problems)
                paths << (p.path.isEmpty() ? tr("the record") : p.path);
            paths.removeDuplicates();
            item->setText(ProblemColumn, tr("%1 problems: %2")
                                             .arg(record.problems.size())
                                             .arg(paths.join(QStringLiteral(", "))));
        }
        item->setToolTip(ProblemColumn, record.toString());
        for (const Problem &p : record.problems) {
            auto *child = new QTreeWidgetItem(item);
            child->setText(KeyColumn, p.path.isEmpty() ? tr("(the record)") : p.path);
            child->setText(ProblemColumn, p.message);
            child->setToolTip(ProblemColumn, p.message);
        }
        items << item;
        m_listed.push_back(std::move(record));
    }
    if (!items.isEmpty()) {
        const bool first = m_list->topLevelItemCount() == 0;
        m_list->addTopLevelItems(items);
        for (QTreeWidgetItem *item : std::as_const(items)) {
            if (item->data(KeyColumn, RecordIndexRole).toInt() < kExpandFirst)
                item->setExpanded(true);
        }
        if (first) {
            m_list->setCurrentItem(m_list->topLevelItem(0));
            // Field paths can be long: room for them, but the problems keep half the width.
            m_list->resizeColumnToContents(KeyColumn);
            m_list->header()->resizeSection(
                KeyColumn, std::clamp(m_list->header()->sectionSize(KeyColumn), 220,
                                      std::max(220, m_list->viewport()->width() / 2)));
        }
    }
    showProgress(m_checked, m_total);
}

void CheckTableDialog::showProgress(qint64 checked, qint64 total)
{
    if (total > 0) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(1000 * std::min(checked, total) / total));
        m_progressText->setText(tr("Checked %1 of %2").arg(number(checked), number(total)));
    } else {
        m_progressText->setText(count(checked, tr("Checked %1 record"), tr("Checked %1 records")));
    }
    m_summary->setText(
        count(m_failing, tr("%1 failing record so far…"), tr("%1 failing records so far…")));
}

void CheckTableDialog::finish(const std::shared_ptr<Run> &run, Result<TableCheckReport> report)
{
    if (run != m_run)
        return;
    m_running = false;
    m_progress->setVisible(false);
    m_progressText->setVisible(false);
    m_cancel->setVisible(false);
    m_cancelled = run->cancel.load();
    m_hasReport = run->reportOk.load();

    QPalette pal = m_summary->palette();
    if (!report) {
        m_messages->showMessage(tr("The check failed: %1").arg(report.error().toString()),
                                MessageBar::Kind::Error);
        m_summary->setText(
            tr("The check stopped after %1; %2.")
                .arg(count(m_checked, tr("%1 record"), tr("%1 records")),
                     count(m_failing, tr("%1 fails the model"), tr("%1 fail the model"))));
        pal.setColor(QPalette::WindowText, Looks::failedColor());
    } else {
        m_checked = report->checked;
        m_failing = report->failing;
        const QString records =
            m_filter.conditions.empty() && m_filter.text.isEmpty()
                ? count(m_checked, tr("%1 record"), tr("%1 records"))
                : count(m_checked, tr("%1 matching record"), tr("%1 matching records"));
        QString text;
        if (m_cancelled) {
            text = tr("Cancelled after checking %1: %2 so far.")
                       .arg(records,
                            count(m_failing, tr("%1 fails the model"), tr("%1 fail the model")));
            m_messages->showMessage(tr("The check was cancelled; the list holds what it found "
                                       "until then."),
                                    MessageBar::Kind::Information);
        } else if (m_failing == 0) {
            text = m_checked == 1 ? tr("The record passes the model.")
                                  : tr("All %1 pass the model.").arg(records);
        } else {
            text = tr("%1 of %2 %3 the model.")
                       .arg(number(m_failing), records, m_failing == 1 ? tr("fails") : tr("fail"));
        }
        pal.setColor(QPalette::WindowText,
                     m_failing == 0 && !m_cancelled ? Looks::okColor() : Looks::failedColor());
        m_summary->setText(text);
    }
    if (report && m_failing == 0 && !m_cancelled) {
        // Not an empty pane: say it where the failing records would be.
        auto *item = new QTreeWidgetItem(m_list);
        item->setIcon(KeyColumn, Looks::okIcon());
        item->setText(KeyColumn, tr("No failing record"));
        item->setText(ProblemColumn, m_summary->text());
        item->setFlags(Qt::ItemIsEnabled);
    }
    const qint64 more = m_failing - qint64(m_listed.size());
    if (more > 0) {
        auto *item = new QTreeWidgetItem(m_list);
        item->setText(KeyColumn, tr("… and %1 more").arg(number(more)));
        item->setText(ProblemColumn, m_hasReport
                                         ? tr("not listed here; Save Report… writes every one")
                                         : tr("not listed here"));
        item->setFlags(Qt::ItemIsEnabled);
    }
    m_summary->setPalette(pal);
    updateButtons();
    emit finished(m_checked, m_failing);
}

void CheckTableDialog::cancel()
{
    if (!m_running || !m_run)
        return;
    m_run->cancel = true;
    m_cancel->setEnabled(false);
    m_progressText->setText(tr("Cancelling…"));
}

void CheckTableDialog::reject()
{
    cancel();
    QDialog::reject();
}

void CheckTableDialog::openCurrent()
{
    QTreeWidgetItem *item = m_list->currentItem();
    while (item && item->parent())
        item = item->parent();
    if (!item)
        return;
    const QVariant index = item->data(KeyColumn, RecordIndexRole);
    if (!index.isValid() || index.toInt() < 0 || size_t(index.toInt()) >= m_listed.size())
        return;
    const Value &key = m_listed[size_t(index.toInt())].key;
    if (key.isNull()) {
        m_messages->showMessage(tr("This record has no key, so it cannot be opened."),
                                MessageBar::Kind::Warning);
        return;
    }
    emit openRecordRequested(key);
}

void CheckTableDialog::updateButtons()
{
    QTreeWidgetItem *item = m_list->currentItem();
    while (item && item->parent())
        item = item->parent();
    m_open->setEnabled(item && item->data(KeyColumn, RecordIndexRole).isValid());
    m_save->setEnabled(!m_running && m_failing > 0);
    m_again->setEnabled(!m_running);
}

void CheckTableDialog::chooseReportFile()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (dir.isEmpty())
        dir = QDir::homePath();
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save the check report"), dir + QStringLiteral("/%1-check.txt").arg(m_table),
        tr("Text (*.txt);;All files (*)"));
    if (!path.isEmpty())
        saveReport(path);
}

bool CheckTableDialog::saveReport(const QString &path)
{
    if (m_running)
        return false;
    QSaveFile out(path);
    bool ok = out.open(QIODevice::WriteOnly | QIODevice::Text);
    bool complete = true;
    if (ok && m_hasReport && m_run) {
        QFile in(m_run->reportPath);
        ok = in.open(QIODevice::ReadOnly);
        while (ok && !in.atEnd()) {
            const QByteArray chunk = in.read(1 << 20);
            ok = !chunk.isEmpty() && out.write(chunk) == chunk.size();
        }
    } else if (ok) {
        // No report file (it could not be written): what the list holds.
        for (const FailingRecord &r : m_listed)
            ok = ok && out.write((r.toString() + u'\n').toUtf8()) >= 0;
        complete = qint64(m_listed.size()) == m_failing;
    }
    if (!ok || !out.commit()) {
        m_messages->showMessage(tr("The report was not saved to %1: %2")
                                    .arg(QDir::toNativeSeparators(path), out.errorString()),
                                MessageBar::Kind::Error);
        return false;
    }
    m_messages->showMessage(
        complete ? tr("The report was saved to %1.").arg(QDir::toNativeSeparators(path))
                 : tr("The report was saved to %1, with the %2 listed records only.")
                       .arg(QDir::toNativeSeparators(path), number(qint64(m_listed.size()))),
        complete ? MessageBar::Kind::Information : MessageBar::Kind::Warning);
    emit reportSaved(path);
    return true;
}
