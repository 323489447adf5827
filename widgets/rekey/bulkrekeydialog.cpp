#include "widgets/rekey/bulkrekeydialog.h"

#include "model/store/open/storerunner.h"
#include "widgets/common/looks.h"
#include "widgets/common/messagebar.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <map>

namespace {

enum Column { OldColumn, NewColumn, CheckColumn, OutcomeColumn };

QColor conflictTint()
{
    return QColor(0xfb, 0xe3, 0xe0);
}

} // namespace

template <typename F, typename Done> void BulkRekeyDialog::callStore(F work, Done done)
{
    m_runner->call([interposer = m_interposer, work = std::move(work)](
                       RecordStore &store) mutable { return work(interposed(interposer, store)); },
                   this, std::move(done));
}

BulkRekeyDialog::BulkRekeyDialog(StoreRunner *runner, QString journalDirectory, QString table,
                                 TableModelPtr model, std::vector<Value> keys, QWidget *parent)
    : BulkRekeyDialog(runner, std::move(journalDirectory), std::move(table), std::move(model),
                      parent)
{
    m_keys = std::move(keys);
    m_scope->setText(
        tr("%1 of table %2.")
            .arg(Looks::count(int(m_keys->size()), tr("selected record"), tr("selected records")),
                 m_table));
    schedulePreview();
}

BulkRekeyDialog::BulkRekeyDialog(StoreRunner *runner, QString journalDirectory, QString table,
                                 TableModelPtr model, ScanRequest filter, QWidget *parent)
    : BulkRekeyDialog(runner, std::move(journalDirectory), std::move(table), std::move(model),
                      parent)
{
    m_filter = std::move(filter);
    QStringList parts;
    if (!m_filter.conditions.empty())
        parts << Looks::count(int(m_filter.conditions.size()), tr("condition"), tr("conditions"));
    if (!m_filter.text.isEmpty())
        parts << tr("the text “%1”").arg(m_filter.text);
    m_scope->setText(parts.isEmpty() ? tr("Every record of table %1.").arg(m_table)
                                     : tr("Every record of table %1 that matches the filter (%2).")
                                           .arg(m_table, parts.join(tr(" and "))));
    schedulePreview();
}

BulkRekeyDialog::BulkRekeyDialog(StoreRunner *runner, QString journalDirectory, QString table,
                                 TableModelPtr model, QWidget *parent)
    : QDialog(parent), m_runner(runner), m_journalDirectory(std::move(journalDirectory)),
      m_table(std::move(table)), m_model(std::move(model)),
      m_previewGeneration(std::make_shared<std::atomic<quint64>>(0)),
      m_cancel(std::make_shared<std::atomic_bool>(false)), m_scope(new QLabel(this)),
      m_prefixMode(new QRadioButton(tr("Replace a prefix"), this)),
      m_regexMode(new QRadioButton(tr("Regular expression"), this)), m_pattern(new QLineEdit(this)),
      m_replacement(new QLineEdit(this)), m_patternLabel(new QLabel(this)),
      m_replacementLabel(new QLabel(this)), m_templateStatus(new QLabel(this)),
      m_strategy(new QComboBox(this)), m_preview(new QTreeWidget(this)),
      m_summary(new QLabel(this)), m_messages(new MessageBar(this)),
      m_progress(new QProgressBar(this)), m_run(new QPushButton(tr("Change the keys"), this)),
      m_cancelRun(new QPushButton(tr("Cancel the run"), this)),
      m_save(new QPushButton(tr("Save the outcomes…"), this)),
      m_close(new QPushButton(tr("Close"), this)), m_previewTimer(new QTimer(this))
{
    Q_ASSERT(m_runner && m_model);
    setObjectName(QStringLiteral("bulkRekeyDialog"));
    setWindowTitle(tr("Change the keys of several records"));
    resize(860, 620);

    m_scope->setObjectName(QStringLiteral("bulkScope"));
    m_scope->setWordWrap(true);
    m_prefixMode->setObjectName(QStringLiteral("prefixMode"));
    m_regexMode->setObjectName(QStringLiteral("regexMode"));
    m_prefixMode->setChecked(true);
    auto *modes = new QButtonGroup(this);
    modes->addButton(m_prefixMode);
    modes->addButton(m_regexMode);
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_pattern->setObjectName(QStringLiteral("patternEdit"));
    m_replacement->setObjectName(QStringLiteral("replacementEdit"));
    m_pattern->setFont(fixed);
    m_replacement->setFont(fixed);
    m_templateStatus->setObjectName(QStringLiteral("templateStatus"));
    m_templateStatus->setWordWrap(true);
    m_strategy->setObjectName(QStringLiteral("strategyCombo"));
    const std::pair<RekeyStrategy, QString> strategies[] = {
        {RekeyStrategy::RemovePutRestore, tr("Remove → put → restore (the documented sequence)")},
        {RekeyStrategy::GetPutDelete, tr("Get → put → delete (the documented alternative)")},
        {RekeyStrategy::Atomic, tr("Atomic (one transaction per record)")}};
    for (const auto &[s, label] : strategies) {
        m_strategy->addItem(label, int(s));
        m_strategy->setItemData(m_strategy->count() - 1, rekeyStrategyExplanation(s),
                                Qt::ToolTipRole);
    }
    // Atomic only once the store says it runs transactions.
    if (auto *items = qobject_cast<QStandardItemModel *>(m_strategy->model()))
        items->item(int(RekeyStrategy::Atomic))->setEnabled(false);

    auto *modeRow = new QHBoxLayout;
    modeRow->addWidget(m_prefixMode);
    modeRow->addWidget(m_regexMode);
    modeRow->addStretch(1);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("New keys:"), modeRow);
    form->addRow(m_patternLabel, m_pattern);
    form->addRow(m_replacementLabel, m_replacement);
    form->addRow(QString(), m_templateStatus);
    form->addRow(tr("Strategy:"), m_strategy);

    m_preview->setObjectName(QStringLiteral("bulkPreview"));
    m_preview->setColumnCount(4);
    m_preview->setHeaderLabels({tr("Old key"), tr("New key"), tr("Check"), tr("Outcome")});
    m_preview->setRootIsDecorated(false);
    m_preview->setUniformRowHeights(true);
    m_preview->setAlternatingRowColors(true);
    m_preview->setFont(font());
    m_preview->header()->setStretchLastSection(true);
    m_preview->header()->resizeSection(OldColumn, 170);
    m_preview->header()->resizeSection(NewColumn, 170);
    m_preview->header()->resizeSection(CheckColumn, 330);
    m_summary->setObjectName(QStringLiteral("previewSummary"));
    m_summary->setWordWrap(true);
    m_messages->setObjectName(QStringLiteral("bulkMessages"));
    m_progress->setObjectName(QStringLiteral("bulkProgress"));
    m_progress->setVisible(false);
    m_run->setObjectName(QStringLiteral("runButton"));
    m_cancelRun->setObjectName(QStringLiteral("cancelRunButton"));
    m_save->setObjectName(QStringLiteral("saveOutcomesButton"));
    m_close->setObjectName(QStringLiteral("closeButton"));
    m_run->setDefault(true);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_run);
    buttons->addWidget(m_cancelRun);
    buttons->addWidget(m_save);
    buttons->addStretch(1);
    buttons->addWidget(m_close);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_scope);
    layout->addLayout(form);
    layout->addWidget(m_messages);
    layout->addWidget(m_preview, 1);
    layout->addWidget(m_summary);
    layout->addWidget(m_progress);
    layout->addLayout(buttons);

    m_previewTimer->setObjectName(QStringLiteral("previewTimer"));
    m_previewTimer->setSingleShot(true);
    m_previewTimer->setInterval(300);
    connect(m_previewTimer, &QTimer::timeout, this, &BulkRekeyDialog::refreshPreview);
    connect(m_pattern, &QLineEdit::textChanged, this, &BulkRekeyDialog::schedulePreview);
    connect(m_replacement, &QLineEdit::textChanged, this, &BulkRekeyDialog::schedulePreview);
    connect(m_prefixMode, &QRadioButton::toggled, this, &BulkRekeyDialog::schedulePreview);
    connect(m_run, &QPushButton::clicked, this, &BulkRekeyDialog::run);
    connect(m_cancelRun, &QPushButton::clicked, this, &BulkRekeyDialog::cancel);
    connect(m_save, &QPushButton::clicked, this, &BulkRekeyDialog::saveOutcomes);
    connect(m_close, &QPushButton::clicked, this, &QDialog::accept);

    callStore([](RecordStore &store) { return Result<StoreCapabilities>(store.capabilities()); },
              [this](Result<StoreCapabilities> caps) {
                  m_transactions = caps && caps->transactions && !caps->readOnly;
                  if (auto *items = qobject_cast<QStandardItemModel *>(m_strategy->model()))
                      items->item(int(RekeyStrategy::Atomic))->setEnabled(m_transactions);
              });
    updateButtons();
}

BulkRekeyDialog::~BulkRekeyDialog()
{
    // A preview still running on the store thread stops at its next progress call.
    ++*m_previewGeneration;
    *m_cancel = true;
}

void BulkRekeyDialog::setTemplate(const KeyTemplate &keyTemplate)
{
    (keyTemplate.kind == KeyTemplate::Kind::Prefix ? m_prefixMode : m_regexMode)->setChecked(true);
    m_pattern->setText(keyTemplate.pattern);
    m_replacement->setText(keyTemplate.replacement);
}

KeyTemplate BulkRekeyDialog::keyTemplate() const
{
    return KeyTemplate{m_prefixMode->isChecked() ? KeyTemplate::Kind::Prefix
                                                 : KeyTemplate::Kind::Regex,
                       m_pattern->text(), m_replacement->text()};
}

void BulkRekeyDialog::setPreviewDelay(int milliseconds)
{
    m_previewTimer->setInterval(milliseconds);
}

void BulkRekeyDialog::reject()
{
    if (m_running)
        return; // Cancel the run first; it stops between records.
    QDialog::reject();
}

void BulkRekeyDialog::schedulePreview()
{
    if (m_running || m_hasRun)
        return;
    const bool prefix = m_prefixMode->isChecked();
    m_patternLabel->setText(prefix ? tr("Old prefix:") : tr("Expression:"));
    m_replacementLabel->setText(prefix ? tr("New prefix:") : tr("Replacement:"));
    m_pattern->setPlaceholderText(prefix ? tr("the beginning of the keys to replace, e.g. user-")
                                         : tr("matches the whole key, e.g. user-(\\d+)"));
    m_replacement->setPlaceholderText(prefix ? tr("what replaces it, e.g. member-")
                                             : tr("\\1 … \\9 insert the groups, e.g. member-\\1"));
    ++*m_previewGeneration;
    m_plan.reset();
    const Status valid = keyTemplate().check();
    QPalette pal = m_templateStatus->palette();
    if (!valid) {
        m_previewTimer->stop();
        m_templateStatus->setText(valid.error().message);
        pal.setColor(QPalette::WindowText, m_pattern->text().isEmpty()
                                               ? palette().color(QPalette::WindowText)
                                               : Looks::failedColor());
        m_templateStatus->setPalette(pal);
        m_preview->clear();
        m_summary->setText(tr("Type a template to see every old → new key."));
        m_previewing = false;
        updateButtons();
        return;
    }
    m_templateStatus->setText(
        prefix ? tr("Keys that do not begin with the prefix keep their key.")
               : tr("Keys the expression does not match as a whole keep their key."));
    pal.setColor(QPalette::WindowText, palette().color(QPalette::WindowText));
    m_templateStatus->setPalette(pal);
    m_previewing = true;
    m_summary->setText(tr("Checking the new keys…"));
    updateButtons();
    m_previewTimer->start();
}

void BulkRekeyDialog::refreshPreview()
{
    m_previewTimer->stop();
    if (m_running || m_hasRun)
        return;
    const KeyTemplate t = keyTemplate();
    if (!t.check())
        return;
    m_previewing = true;
    updateButtons();
    const quint64 generation = ++*m_previewGeneration;
    auto current = m_previewGeneration;
    // A newer preview (or closing the dialog) stops this one at its next progress call.
    auto progress = [current, generation](qsizetype, qsizetype) {
        return current->load() == generation;
    };
    callStore(
        [table = m_table, keys = m_keys, filter = m_filter, t, progress](RecordStore &store) {
            return keys ? BulkRekey::preview(store, table, *keys, t, progress)
                        : BulkRekey::previewMatching(store, table, filter, t, progress);
        },
        [this, generation](Result<BulkRekeyPlan> plan) {
            if (generation != m_previewGeneration->load())
                return;
            m_previewing = false;
            if (!plan) {
                m_plan.reset();
                m_preview->clear();
                m_summary->setText(QString());
                m_messages->showMessage(tr("The preview failed: %1").arg(plan.error().toString()),
                                        MessageBar::Kind::Error);
            } else {
                m_messages->dismiss();
                m_plan = std::move(*plan);
                showPlan();
            }
            updateButtons();
            emit previewReady();
        });
}

void BulkRekeyDialog::showPlan()
{
    m_preview->setUpdatesEnabled(false);
    m_preview->clear();
    QList<QTreeWidgetItem *> items;
    items.reserve(qsizetype(m_plan->items.size()));
    for (const BulkRekeyItem &i : m_plan->items) {
        auto *item = new QTreeWidgetItem;
        item->setText(OldColumn, i.oldText);
        item->setText(NewColumn, i.newText);
        switch (i.state) {
        case BulkRekeyItem::State::Ready:
            item->setIcon(CheckColumn, Looks::okIcon());
            item->setText(CheckColumn, tr("ready"));
            break;
        case BulkRekeyItem::State::Unchanged:
            item->setText(CheckColumn, i.problem);
            for (int c = 0; c <= OutcomeColumn; ++c)
                item->setForeground(c, palette().color(QPalette::Disabled, QPalette::Text));
            break;
        case BulkRekeyItem::State::Conflict:
            item->setIcon(CheckColumn, Looks::failedIcon());
            item->setText(CheckColumn, i.problem);
            item->setForeground(CheckColumn, Looks::failedColor());
            for (int c = 0; c <= OutcomeColumn; ++c)
                item->setBackground(c, conflictTint());
            break;
        }
        item->setToolTip(CheckColumn, i.problem);
        items << item;
    }
    m_preview->addTopLevelItems(items);
    m_preview->setUpdatesEnabled(true);

    const int ready = m_plan->count(BulkRekeyItem::State::Ready);
    const int stays = m_plan->count(BulkRekeyItem::State::Unchanged);
    const int conflicts = m_plan->count(BulkRekeyItem::State::Conflict);
    QStringList parts{tr("%1 to move").arg(ready)};
    if (stays > 0)
        parts << tr("%1 keep their key").arg(stays);
    if (conflicts > 0)
        parts << Looks::count(conflicts, tr("conflict"), tr("conflicts"));
    QString text = Looks::count(int(m_plan->items.size()), tr("record"), tr("records")) +
                   QStringLiteral(": ") + parts.join(QStringLiteral(", "));
    if (conflicts > 0) {
        text += QStringLiteral(". ") +
                tr("Nothing runs while there are conflicts: change the template.");
        // Conflicts first in view: the user has to see them.
        for (size_t i = 0; i < m_plan->items.size(); ++i) {
            if (m_plan->items[i].state == BulkRekeyItem::State::Conflict) {
                m_preview->scrollToItem(m_preview->topLevelItem(int(i)));
                break;
            }
        }
    } else {
        text += u'.';
    }
    m_summary->setText(text);
    QPalette pal = m_summary->palette();
    pal.setColor(QPalette::WindowText,
                 conflicts > 0 ? Looks::failedColor() : palette().color(QPalette::WindowText));
    m_summary->setPalette(pal);
    m_run->setText(ready > 0 ? tr("Change %1").arg(Looks::count(ready, tr("key"), tr("keys")))
                             : tr("Change the keys"));
}

void BulkRekeyDialog::updateButtons()
{
    const bool editable = !m_running && !m_hasRun;
    m_prefixMode->setEnabled(editable);
    m_regexMode->setEnabled(editable);
    m_pattern->setEnabled(editable);
    m_replacement->setEnabled(editable);
    m_strategy->setEnabled(editable);
    m_run->setEnabled(editable && !m_previewing && m_plan && m_plan->canRun());
    m_cancelRun->setVisible(m_running);
    m_cancelRun->setEnabled(m_running && !*m_cancel);
    m_save->setEnabled(m_hasRun && !m_outcomes.empty());
    m_close->setEnabled(!m_running);
}

void BulkRekeyDialog::run()
{
    if (m_running || m_hasRun || m_previewing || !m_plan || !m_plan->canRun())
        return;
    m_running = true;
    *m_cancel = false;
    m_outcomes.clear();
    m_messages->dismiss();
    m_progress->setRange(0, int(m_plan->items.size()));
    m_progress->setValue(0);
    m_progress->setVisible(true);
    m_summary->setText(tr("Changing the keys… Cancel stops before the next record."));
    updateButtons();

    QPointer<BulkRekeyDialog> self(this);
    StoreRunner *runner = m_runner;
    callStore(
        [plan = *m_plan, strategy = RekeyStrategy(m_strategy->currentData().toInt()),
         dir = m_journalDirectory, cancel = m_cancel, hook = m_recordHook, self,
         runner](RecordStore &store) {
            RecoveryJournal journal(dir);
            return BulkRekey::run(store, journal, plan, strategy,
                                  [&](qsizetype index, const BulkRekeyOutcome &outcome) {
                                      runner->post([self, index, outcome] {
                                          if (self)
                                              self->showOutcome(int(index), outcome);
                                      });
                                      if (hook)
                                          hook(index);
                                      return !cancel->load();
                                  });
        },
        [this](Result<std::vector<BulkRekeyOutcome>> outcomes) { finishRun(std::move(outcomes)); });
}

void BulkRekeyDialog::cancel()
{
    if (!m_running)
        return;
    *m_cancel = true;
    m_summary->setText(tr("Cancelling: the record being changed finishes, then the run stops."));
    updateButtons();
}

void BulkRekeyDialog::showOutcome(int index, const BulkRekeyOutcome &outcome)
{
    QTreeWidgetItem *item = m_preview->topLevelItem(index);
    if (!item)
        return;
    item->setText(OutcomeColumn, outcome.state == BulkRekeyOutcome::State::Unchanged
                                     ? BulkRekeyOutcome::stateName(outcome.state)
                                     : BulkRekeyOutcome::stateName(outcome.state) +
                                           QStringLiteral(": ") + outcome.message);
    item->setToolTip(OutcomeColumn, outcome.message);
    switch (outcome.state) {
    case BulkRekeyOutcome::State::Done:
        item->setIcon(OutcomeColumn, Looks::okIcon());
        item->setText(OutcomeColumn, tr("done"));
        item->setForeground(OutcomeColumn, Looks::okColor());
        break;
    case BulkRekeyOutcome::State::Refused:
    case BulkRekeyOutcome::State::RolledBack:
    case BulkRekeyOutcome::State::LeftBehind:
        item->setIcon(OutcomeColumn, Looks::warningIcon());
        item->setForeground(OutcomeColumn, Looks::warningColor());
        break;
    case BulkRekeyOutcome::State::InJournal:
        item->setIcon(OutcomeColumn, Looks::failedIcon());
        item->setForeground(OutcomeColumn, Looks::failedColor());
        break;
    case BulkRekeyOutcome::State::Unchanged:
    case BulkRekeyOutcome::State::NotRun:
        break;
    }
    m_progress->setValue(index + 1);
    if (outcome.state != BulkRekeyOutcome::State::Unchanged)
        m_preview->scrollToItem(item);
    emit recordFinished(index);
}

void BulkRekeyDialog::finishRun(Result<std::vector<BulkRekeyOutcome>> outcomes)
{
    m_running = false;
    m_hasRun = true;
    m_progress->setVisible(false);
    if (!outcomes) {
        m_messages->showMessage(tr("Nothing was changed: %1").arg(outcomes.error().toString()),
                                MessageBar::Kind::Error);
        m_hasRun = false;
        updateButtons();
        emit runFinished();
        return;
    }
    m_outcomes = std::move(*outcomes);
    // Each outcome was posted before the result; fill in any that did not arrive.
    for (size_t i = 0; i < m_outcomes.size(); ++i) {
        if (QTreeWidgetItem *item = m_preview->topLevelItem(int(i));
            item && item->text(OutcomeColumn).isEmpty())
            showOutcome(int(i), m_outcomes[i]);
    }
    std::map<BulkRekeyOutcome::State, int> counts;
    for (const BulkRekeyOutcome &o : m_outcomes)
        ++counts[o.state];
    QStringList parts;
    for (auto state : {BulkRekeyOutcome::State::Done, BulkRekeyOutcome::State::Refused,
                       BulkRekeyOutcome::State::RolledBack, BulkRekeyOutcome::State::LeftBehind,
                       BulkRekeyOutcome::State::InJournal, BulkRekeyOutcome::State::Unchanged,
                       BulkRekeyOutcome::State::NotRun}) {
        if (counts[state] > 0)
            parts << QStringLiteral("%1 %2")
                         .arg(counts[state])
                         .arg(BulkRekeyOutcome::stateName(state));
    }
    m_summary->setText(tr("Finished: %1. Every record is at exactly one key.")
                           .arg(parts.join(QStringLiteral(", "))));
    QPalette pal = m_summary->palette();
    pal.setColor(QPalette::WindowText, palette().color(QPalette::WindowText));
    m_summary->setPalette(pal);
    if (counts[BulkRekeyOutcome::State::InJournal] > 0) {
        m_summary->setText(tr("Stopped: %1.").arg(parts.join(QStringLiteral(", "))));
        m_messages->showMessage(
            tr("The store failed during a key change and a record is only in the recovery "
               "journal (%1); the rest of the run was stopped. StructDesk offers to restore "
               "it at its next start (also: structdesk-cli journal).")
                .arg(QDir::toNativeSeparators(m_journalDirectory)),
            MessageBar::Kind::Error);
    } else if (*m_cancel) {
        m_messages->showMessage(tr("Cancelled: the records not run keep their old key."),
                                MessageBar::Kind::Information);
    }
    updateButtons();
    const bool wrote =
        std::any_of(m_outcomes.begin(), m_outcomes.end(), [](const BulkRekeyOutcome &o) {
            return o.state != BulkRekeyOutcome::State::Unchanged &&
                   o.state != BulkRekeyOutcome::State::NotRun &&
                   o.state != BulkRekeyOutcome::State::Refused;
        });
    if (wrote)
        emit recordsChanged(m_table);
    emit runFinished();
}

void BulkRekeyDialog::saveOutcomes()
{
    if (m_outcomes.empty())
        return;
    QString path = m_saveFileName;
    if (path.isEmpty()) {
        QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
        if (dir.isEmpty())
            dir = QDir::homePath();
        path = QFileDialog::getSaveFileName(
            this, tr("Save the outcomes"), dir + QStringLiteral("/%1-key-changes.csv").arg(m_table),
            tr("CSV (*.csv);;JSON lines (*.jsonl)"));
        if (path.isEmpty())
            return;
    }
    if (auto s = BulkRekey::save(path, m_outcomes); !s) {
        m_messages->showMessage(tr("The outcomes were not saved: %1").arg(s.error().toString()),
                                MessageBar::Kind::Error);
        return;
    }
    m_messages->showMessage(
        tr("The outcomes were saved to %1.").arg(QDir::toNativeSeparators(path)),
        MessageBar::Kind::Information);
    emit outcomesSaved(path);
}
