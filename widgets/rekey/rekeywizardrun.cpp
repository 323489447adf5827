// The key change wizard's last three pages: the preview of the steps, the run (on the store's
// runner, step by step) and the summary, with where the record is now and saving it to a file.

#include "model/grid/recordtablemodel.h"
#include "model/json/jsoncodec.h"
#include "model/rekey/recoveryjournal.h"
#include "model/schema/validator.h"
#include "model/store/open/storerunner.h"
#include "model/store/recordstore.h"
#include "widgets/common/messagebar.h"
#include "widgets/common/prettyjson.h"
#include "widgets/rekey/rekeywizard.h"
#include "widgets/rekey/rekeywizardparts.h"

#include <QAbstractButton>
#include <QButtonGroup>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QFrame>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace rekeywizardparts;

// --- 4. the preview -----------------------------------------------------------------------

QWizardPage *RekeyWizard::createPreviewPage()
{
    auto *p = new Page(this);
    p->setObjectName(QStringLiteral("previewPage"));
    p->setTitle(tr("Preview"));
    p->setSubTitle(tr("Nothing has been written yet. The record below is what will be stored under "
                      "the new key."));
    p->setCommitPage(true);
    p->setButtonText(QWizard::CommitButton, tr("Change the key"));

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_previewOldKey = wrappingLabel(QStringLiteral("previewOldKey"), p);
    m_previewNewKey = wrappingLabel(QStringLiteral("previewNewKey"), p);
    m_previewStrategy = wrappingLabel(QStringLiteral("previewStrategy"), p);
    m_previewOldKey->setFont(fixedFont());
    m_previewNewKey->setFont(fixedFont());
    form->addRow(tr("Old key:"), m_previewOldKey);
    form->addRow(tr("New key:"), m_previewNewKey);
    form->addRow(tr("Strategy:"), m_previewStrategy);
    m_previewStatus = wrappingLabel(QStringLiteral("previewStatus"), p);
    m_previewRecord = new QPlainTextEdit(p);
    m_previewRecord->setObjectName(QStringLiteral("previewRecord"));
    m_previewRecord->setReadOnly(true);
    m_previewRecord->setFont(fixedFont());
    m_previewRecord->setLineWrapMode(QPlainTextEdit::NoWrap);

    auto *layout = new QVBoxLayout(p);
    layout->addLayout(form);
    layout->addWidget(m_previewStatus);
    layout->addWidget(m_previewRecord, 1);
    p->complete = [this] { return m_previewReady; };
    p->initialize = [this] { initializePreview(); };
    return p;
}

void RekeyWizard::initializePreview()
{
    m_previewReady = false;
    const quint64 generation = ++m_previewGeneration;
    m_previewOldKey->setText(Looks::keyWords(m_model->hashKey(), m_oldKey));
    m_previewNewKey->setText(Looks::keyWords(m_model->hashKey(), m_newKey));
    m_previewStrategy->setText(m_strategies->checkedButton()->text());
    m_previewStatus->setText(tr("Reading the record as it is stored now…"));
    m_previewRecord->clear();
    emit page(PreviewPageId)->completeChanged();
    // The record as stored now (it may have changed since the grid loaded it): the engine moves
    // exactly that.
    callStore(
        [table = m_table, key = m_oldKey](RecordStore &store) {
            return store.getRecord(table, key);
        },
        [this, generation](Result<std::optional<Value>> found) {
            if (generation != m_previewGeneration)
                return;
            QPalette pal = m_previewStatus->palette();
            pal.setColor(QPalette::WindowText, Looks::failedColor());
            if (!found) {
                m_previewStatus->setText(
                    tr("Could not read the record: %1").arg(found.error().toString()));
            } else if (!found->has_value()) {
                m_previewStatus->setText(
                    tr("There is no record at the old key any more (it was deleted "
                       "or moved meanwhile). Nothing can be changed."));
            } else {
                Value moved = **found;
                moved.mapRef().insert(m_model->hashKey(), m_newKey);
                m_previewRecord->setPlainText(QString::fromUtf8(prettyJson(moved)));
                m_previewStatus->setText(
                    tr("Every attribute is written exactly as stored (%1); only %2 "
                       "changes.")
                        .arg(Looks::count(int(moved.size()), tr("attribute"), tr("attributes")),
                             m_model->hashKey()));
                pal.setColor(QPalette::WindowText, palette().color(QPalette::WindowText));
                m_previewReady = true;
            }
            m_previewStatus->setPalette(pal);
            emit page(PreviewPageId)->completeChanged();
        });
}

// --- 5. the run ---------------------------------------------------------------------------

QWizardPage *RekeyWizard::createRunPage()
{
    auto *p = new Page(this);
    p->setObjectName(QStringLiteral("runPage"));
    p->setTitle(tr("Changing the key"));
    p->setSubTitle(tr("Each step appears as the store answers it."));

    m_runStatus = wrappingLabel(QStringLiteral("runStatus"), p);
    m_runProgress = new QProgressBar(p);
    m_runProgress->setObjectName(QStringLiteral("runProgress"));
    m_runProgress->setRange(0, 0);
    m_runProgress->setTextVisible(false);
    m_runProgress->setMaximumHeight(8);
    m_steps = createStepList(QStringLiteral("runSteps"), p);
    m_runOutcome = new MessageBar(p);
    m_runOutcome->setObjectName(QStringLiteral("runOutcome"));
    QFont bold = m_runStatus->font();
    bold.setBold(true);
    m_runStatus->setFont(bold);

    // Where the record is once the run is over: the question a user has after a failure.
    auto *where = new QGroupBox(tr("Where the record is now"), p);
    where->setObjectName(QStringLiteral("whereBox"));
    m_whereBox = where;
    auto *grid = new QGridLayout(where);
    grid->setColumnStretch(2, 1);
    grid->setHorizontalSpacing(8);
    const char *names[] = {"whereOldKey", "whereNewKey", "whereJournal"};
    for (int i = 0; i < 3; ++i) {
        m_whereCaptions[i] = new QLabel(where);
        m_whereIcons[i] = new QLabel(where);
        m_whereIcons[i]->setFixedSize(16, 16);
        m_whereTexts[i] = wrappingLabel(QLatin1String(names[i]), where);
        grid->addWidget(m_whereIcons[i], i, 0, Qt::AlignTop);
        grid->addWidget(m_whereCaptions[i], i, 1, Qt::AlignTop);
        grid->addWidget(m_whereTexts[i], i, 2);
    }
    where->hide();

    auto *layout = new QVBoxLayout(p);
    layout->addWidget(m_runStatus);
    layout->addWidget(m_runProgress);
    layout->addWidget(m_steps);
    layout->addWidget(m_runOutcome);
    layout->addWidget(where);
    layout->addStretch(1);
    p->complete = [this] { return !m_running && m_outcome.has_value(); };
    p->initialize = [this] { startRun(); };
    return p;
}

void RekeyWizard::startRun()
{
    if (m_running || m_outcome)
        return;
    m_running = true;
    m_steps->setRowCount(0);
    m_runOutcome->hide();
    m_whereBox->hide();
    m_runProgress->show();
    m_runStatus->setText(tr("Moving %1 to %2 with %3…")
                             .arg(Looks::keyWords(m_model->hashKey(), m_oldKey),
                                  Looks::keyWords(m_model->hashKey(), m_newKey),
                                  rekeyStrategyName(strategy())));
    button(QWizard::CancelButton)->setEnabled(false);
    emit page(RunPageId)->completeChanged();

    QPointer<RekeyWizard> self(this);
    StoreRunner *runner = m_runner;
    callStore(
        [table = m_table, oldKey = m_oldKey, newKey = m_newKey, strategy = strategy(),
         dir = m_journalDirectory, self, runner](RecordStore &store) {
            RecoveryJournal journal(dir);
            RekeyEngine engine(store, journal);
            // Each step comes back to the GUI thread as it finishes.
            auto observer = [self, runner](const RekeyStep &step) {
                runner->post([self, step] {
                    if (self)
                        self->addStep(step);
                });
            };
            return Result<RekeyOutcome>(engine.run(table, oldKey, newKey, strategy, observer));
        },
        [this](Result<RekeyOutcome> outcome) {
            if (outcome) {
                finishRun(std::move(*outcome));
                return;
            }
            RekeyOutcome refused;
            refused.state = RekeyOutcome::State::Refused;
            refused.message = tr("Nothing was changed: %1").arg(outcome.error().toString());
            finishRun(std::move(refused));
        });
}

void RekeyWizard::addStep(const RekeyStep &step)
{
    addStepRow(m_steps, step);
    m_steps->scrollToBottom();
    emit stepFinished(step);
}

void RekeyWizard::finishRun(RekeyOutcome outcome)
{
    m_running = false;
    m_runProgress->hide();
    button(QWizard::CancelButton)->setEnabled(true);
    // Steps are posted before the result, so they are all shown; a lost one would be added here.
    if (m_steps->rowCount() < int(outcome.steps.size())) {
        for (size_t i = size_t(m_steps->rowCount()); i < outcome.steps.size(); ++i)
            addStep(outcome.steps[i]);
    }
    MessageBar::Kind kind = MessageBar::Kind::Information;
    QString status;
    switch (outcome.state) {
    case RekeyOutcome::State::Done:
        status = tr("Done: the key was changed.");
        break;
    case RekeyOutcome::State::Refused:
        kind = MessageBar::Kind::Warning;
        status = tr("Refused: nothing was written.");
        break;
    case RekeyOutcome::State::RolledBack:
        kind = MessageBar::Kind::Warning;
        status = tr("Failed: the key was not changed, the record is at its old key.");
        break;
    case RekeyOutcome::State::LeftBehind:
        kind = MessageBar::Kind::Warning;
        status = tr("Partly done: the record is at both keys.");
        break;
    case RekeyOutcome::State::InJournal:
        kind = MessageBar::Kind::Error;
        status = tr("Failed: the record is only in the recovery journal.");
        break;
    }
    m_runStatus->setText(status);
    m_runOutcome->showMessage(outcome.message, kind);
    m_outcome = std::move(outcome);
    showWhereTheRecordIs();
    emit page(RunPageId)->completeChanged();

    if (m_outcome->state != RekeyOutcome::State::Refused)
        emit recordsChanged(m_table);
    if (m_outcome->state == RekeyOutcome::State::Done ||
        m_outcome->state == RekeyOutcome::State::LeftBehind)
        emit keyChanged(m_table, m_oldKey, m_newKey);
    emit runFinished();
}

void RekeyWizard::showWhereTheRecordIs()
{
    const RekeyOutcome &o = *m_outcome;
    const bool restored = std::any_of(o.steps.begin(), o.steps.end(), [](const RekeyStep &s) {
        return s.name == u"restore" && s.ok;
    });
    const bool journalled = std::any_of(o.steps.begin(), o.steps.end(), [](const RekeyStep &s) {
        return s.name == u"journal" && s.ok;
    });
    enum Look { Here, Absent, Missing, Warn };
    struct Line
    {
        Look look;
        QString text;
    } lines[3];
    const QString journalCleared = journalled ? tr("entry cleared: the record is safe in the table")
                                              : tr("not used: nothing was written");
    switch (o.state) {
    case RekeyOutcome::State::Done:
        lines[0] = {Absent, tr("no record any more: it moved")};
        lines[1] = {Here, tr("the record, every attribute exactly as it was stored")};
        lines[2] = {Absent, journalCleared};
        break;
    case RekeyOutcome::State::Refused:
        lines[0] = {Here, tr("the record, untouched")};
        lines[1] = {Absent, tr("nothing written")};
        lines[2] = {Absent, journalCleared};
        break;
    case RekeyOutcome::State::RolledBack:
        lines[0] = {Here, restored ? tr("the record, put back exactly as it was (the restore step)")
                                   : tr("the record, untouched")};
        lines[1] = {Absent, tr("nothing written")};
        lines[2] = {Absent, journalCleared};
        break;
    case RekeyOutcome::State::LeftBehind:
        lines[0] = {Warn, tr("the record is still here too (the delete failed): delete it when the "
                             "store is reachable")};
        lines[1] = {Here, tr("the record")};
        lines[2] = {Absent, journalCleared};
        break;
    case RekeyOutcome::State::InJournal:
        lines[0] = {Missing, tr("no record")};
        lines[1] = {Missing, tr("no record")};
        lines[2] = {
            Warn, tr("the record, safe on disk (entry %1): save it to a file on the next page, or "
                     "restore it at the next start")
                      .arg(o.journalId)};
        break;
    }
    const QString captions[] = {
        tr("Old key %1:").arg(Looks::keyWords(m_model->hashKey(), m_oldKey)),
        tr("New key %1:").arg(Looks::keyWords(m_model->hashKey(), m_newKey)),
        tr("Recovery journal:")};
    for (int i = 0; i < 3; ++i) {
        m_whereCaptions[i]->setText(captions[i]);
        m_whereTexts[i]->setText(lines[i].text);
        QIcon icon;
        QColor color = palette().color(QPalette::WindowText);
        switch (lines[i].look) {
        case Here:
            icon = Looks::okIcon();
            color = Looks::okColor();
            break;
        case Missing:
            icon = Looks::failedIcon();
            color = Looks::failedColor();
            break;
        case Warn:
            icon = Looks::warningIcon();
            color = Looks::warningColor();
            break;
        case Absent:
            color = palette().color(QPalette::Disabled, QPalette::WindowText);
            break;
        }
        m_whereIcons[i]->setPixmap(icon.isNull() ? QPixmap() : icon.pixmap(16, 16));
        QPalette pal = m_whereTexts[i]->palette();
        pal.setColor(QPalette::WindowText, color);
        m_whereTexts[i]->setPalette(pal);
    }
    m_whereBox->show();
}

// --- 6. the summary -----------------------------------------------------------------------

QWizardPage *RekeyWizard::createSummaryPage()
{
    auto *p = new Page(this);
    p->setObjectName(QStringLiteral("summaryPage"));
    p->setTitle(tr("Summary"));
    p->setSubTitle(tr("What happened, in plain words."));
    p->setFinalPage(true);

    m_summaryIcon = new QLabel(p);
    m_summaryIcon->setObjectName(QStringLiteral("summaryIcon"));
    m_summaryHeadline = wrappingLabel(QStringLiteral("summaryHeadline"), p);
    QFont headline = m_summaryHeadline->font();
    headline.setBold(true);
    headline.setPointSizeF(headline.pointSizeF() * 1.15);
    m_summaryHeadline->setFont(headline);
    m_summaryText = wrappingLabel(QStringLiteral("summaryText"), p);
    m_summarySteps = createStepList(QStringLiteral("summarySteps"), p);

    auto *journalFrame = new QFrame(p);
    journalFrame->setObjectName(QStringLiteral("journalBox"));
    journalFrame->setStyleSheet(
        QStringLiteral("QFrame#journalBox { background:#fff4e0; border:1px solid #e8c27a; "
                       "border-radius:4px; } QLabel { background:transparent; }"));
    m_journalBox = journalFrame;
    m_journalText = wrappingLabel(QStringLiteral("journalText"), m_journalBox);
    m_saveButton = new QPushButton(tr("Save the record to a file…"), m_journalBox);
    m_saveButton->setObjectName(QStringLiteral("saveRecordButton"));
    m_saveStatus = wrappingLabel(QStringLiteral("saveStatus"), m_journalBox);
    connect(m_saveButton, &QPushButton::clicked, this, &RekeyWizard::saveRecordToFile);
    auto *journalLayout = new QVBoxLayout(m_journalBox);
    journalLayout->setContentsMargins(10, 8, 10, 8);
    journalLayout->addWidget(m_journalText);
    auto *saveRow = new QHBoxLayout;
    saveRow->addWidget(m_saveButton);
    saveRow->addWidget(m_saveStatus, 1);
    journalLayout->addLayout(saveRow);

    auto *head = new QHBoxLayout;
    head->addWidget(m_summaryIcon, 0, Qt::AlignTop);
    head->addWidget(m_summaryHeadline, 1);
    auto *layout = new QVBoxLayout(p);
    layout->addLayout(head);
    layout->addWidget(m_summaryText);
    layout->addWidget(m_journalBox);
    layout->addWidget(m_summarySteps);
    layout->addStretch(1);
    p->initialize = [this] { initializeSummary(); };
    return p;
}

void RekeyWizard::initializeSummary()
{
    if (!m_outcome)
        return;
    const RekeyOutcome &o = *m_outcome;
    const QString oldWords = Looks::keyWords(m_model->hashKey(), m_oldKey);
    const QString newWords = Looks::keyWords(m_model->hashKey(), m_newKey);
    auto failed = [&o](const QString &name) {
        for (const RekeyStep &s : o.steps) {
            if (s.name == name && !s.ok)
                return &s;
        }
        return static_cast<const RekeyStep *>(nullptr);
    };
    auto ran = [&o](const QString &name) {
        return std::any_of(o.steps.begin(), o.steps.end(),
                           [&](const RekeyStep &s) { return s.name == name; });
    };
    QString headline;
    QString text;
    QIcon icon = Looks::warningIcon();
    switch (o.state) {
    case RekeyOutcome::State::Done:
        icon = Looks::okIcon();
        headline = tr("The key was changed.");
        text = tr("The record is now at %1 and no longer at %2. Every attribute was kept exactly "
                  "as it was "
                  "stored. The recovery journal entry was cleared.")
                   .arg(newWords, oldWords);
        break;
    case RekeyOutcome::State::Refused:
        headline = tr("Nothing was changed.");
        text = o.message;
        break;
    case RekeyOutcome::State::RolledBack:
        headline = tr("The key was not changed: the record is at its old key.");
        if (ran(QStringLiteral("restore")))
            text = tr("The put under the new key failed: %1.\nThe record had already been removed "
                      "from %2, so it "
                      "was put back there (the restore step below), exactly as it was.")
                       .arg(failed(QStringLiteral("put")) ? failed(QStringLiteral("put"))->message
                                                          : o.message,
                            oldWords);
        else
            text = o.message;
        break;
    case RekeyOutcome::State::LeftBehind:
        headline = tr("The record is at the new key, and still at the old one.");
        text = o.message;
        break;
    case RekeyOutcome::State::InJournal:
        icon = Looks::failedIcon();
        headline = tr("The record is in neither place: only the recovery journal has it.");
        if (failed(QStringLiteral("put")) && failed(QStringLiteral("restore")))
            text = tr("The put under the new key failed: %1.\nPutting the record back at %2 failed "
                      "too: %3.\n")
                       .arg(failed(QStringLiteral("put"))->message, oldWords,
                            failed(QStringLiteral("restore"))->message);
        else
            text = o.message + u'\n';
        text += tr(
            "The record has not been lost: it was written to the recovery journal on disk before "
            "anything was changed, and it is kept there.");
        break;
    }
    m_summaryIcon->setPixmap(icon.pixmap(24, 24));
    m_summaryHeadline->setText(headline);
    m_summaryText->setText(text);
    m_summarySteps->setRowCount(0);
    for (const RekeyStep &s : o.steps)
        addStepRow(m_summarySteps, s);

    const bool inJournal = o.state == RekeyOutcome::State::InJournal;
    m_journalBox->setVisible(inJournal);
    if (inJournal) {
        m_journalText->setText(
            tr("Journal entry %1 in %2.\nSave the record to a file now (DynamoDB JSON), or "
               "StructDesk offers to restore it at its next start (also: structdesk-cli "
               "journal).")
                .arg(o.journalId, QDir::toNativeSeparators(m_journalDirectory)));
        m_saveButton->setEnabled(true);
        m_saveStatus->clear();
    }
}

void RekeyWizard::saveRecordToFile()
{
    if (!m_outcome || m_outcome->state != RekeyOutcome::State::InJournal)
        return;
    QString path = m_saveFileName;
    if (path.isEmpty()) {
        QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
        if (dir.isEmpty())
            dir = QDir::homePath();
        QString name = QStringLiteral("%1-%2.json").arg(m_table, m_oldKey.text());
        name.replace(QRegularExpression(QStringLiteral(R"([/\\:*?"<>|\s])")), QStringLiteral("_"));
        path =
            QFileDialog::getSaveFileName(this, tr("Save the record to a file"), dir + u'/' + name,
                                         tr("DynamoDB JSON (*.json);;All files (*)"));
        if (path.isEmpty())
            return;
    }
    // The journal's copy is the authoritative one (the record exactly as stored at the old key).
    RecoveryJournal journal(m_journalDirectory);
    auto entry = journal.entry(m_outcome->journalId);
    const Value record = entry ? entry->record : m_outcome->record;
    QPalette pal = m_saveStatus->palette();
    pal.setColor(QPalette::WindowText, Looks::failedColor());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        m_saveStatus->setText(
            tr("Could not write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
        m_saveStatus->setPalette(pal);
        return;
    }
    file.write(JsonCodec::toDynamoItem(record) + '\n');
    if (!file.commit()) {
        m_saveStatus->setText(
            tr("Could not write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
        m_saveStatus->setPalette(pal);
        return;
    }
    if (auto removed = journal.remove(m_outcome->journalId); !removed) {
        m_saveStatus->setText(tr("Saved to %1, but the journal entry could not be removed: %2")
                                  .arg(QDir::toNativeSeparators(path), removed.error().toString()));
        pal.setColor(QPalette::WindowText, Looks::warningColor());
    } else {
        m_saveStatus->setText(tr("Saved to %1 (DynamoDB JSON); the journal entry was removed.")
                                  .arg(QDir::toNativeSeparators(path)));
        pal.setColor(QPalette::WindowText, Looks::okColor());
        m_saveButton->setEnabled(false);
    }
    m_saveStatus->setPalette(pal);
    emit recordSaved(path);
}
