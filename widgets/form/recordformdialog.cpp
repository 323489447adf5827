#include "widgets/form/recordformdialog.h"

#include "model/store/open/storerunner.h"
#include "model/store/recordstore.h"
#include "widgets/common/looks.h"
#include "widgets/form/fieldeditor.h"

#include <QApplication>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QShortcut>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <set>

namespace {

/// The validator's sentence for a required field that is absent.
const QString kMissingMessage = QStringLiteral("is required but missing");
constexpr int kValidateDelayMs = 150;
constexpr int kSummaryLines = 6;

/// True when a problem at `inner` lies at or inside the path `outer`.
bool pathWithin(const QString &outer, const QString &inner)
{
    if (outer.isEmpty() || inner == outer)
        return true;
    return inner.size() > outer.size() && inner.startsWith(outer) &&
           (inner[outer.size()] == u'.' || inner[outer.size()] == u'[');
}

QString relativeMessage(const FieldEditor *editor, const Problem &p)
{
    if (p.path == editor->path() || p.path.isEmpty())
        return p.message;
    QString rest = p.path.mid(editor->path().size());
    if (rest.startsWith(u'.'))
        rest.remove(0, 1);
    return rest + QStringLiteral(": ") + p.message;
}

void setButtonsNotDefault(QPushButton *b)
{
    // Enter in a text field must not save or click anything: Ctrl+Return saves.
    b->setAutoDefault(false);
    b->setDefault(false);
}

} // namespace

RecordFormDialog::RecordFormDialog(StoreRunner *runner, QString table, TableModelPtr model,
                                   std::optional<Value> record, QWidget *parent)
    : QDialog(parent), m_runner(runner), m_table(std::move(table)), m_model(std::move(model)),
      m_mode(record ? Mode::Edit : Mode::New), m_loaded(record ? *record : Value())
{
    Q_ASSERT(m_model);
    setObjectName(QStringLiteral("recordFormDialog"));
    m_validateTimer.setSingleShot(true);
    m_validateTimer.setInterval(kValidateDelayMs);
    connect(&m_validateTimer, &QTimer::timeout, this, &RecordFormDialog::validateNow);
    buildUi();

    if (m_mode == Mode::Edit) {
        m_root->setValue(m_loaded);
        const Problems found = Validator(*m_model).validateRecord(m_loaded);
        for (const Problem &p : found)
            m_loadedMissedFields = m_loadedMissedFields || p.message == kMissingMessage;
    } else if (!m_model->declaresFields()) {
        // A starting point for free-form records: the key, to be typed.
        m_root->setValue(Value::map({{m_model->hashKey(), m_model->hashKeyType() == FieldKind::Str
                                                              ? Value::string(QString())
                                                              : Value::integer(0)}}));
    }
    QList<FieldEditor *> editors;
    m_root->collectEditors(editors);
    for (FieldEditor *e : editors) {
        if (e->role() == FieldEditor::Role::Key && m_mode == Mode::Edit) {
            e->setReadOnly(true);
            e->setInputToolTip(tr("The key of a saved record is changed with the key change "
                                  "wizard, which never loses the record."));
        }
    }
    updateHeader();
    validateNow();
    fixTabOrder();
    if (QWidget *first = m_root->focusTarget())
        first->setFocus();
}

RecordFormDialog::~RecordFormDialog() = default;

void RecordFormDialog::buildUi()
{
    resize(720, 760);
    auto *layout = new QVBoxLayout(this);
    layout->setSpacing(8);

    buildHeader(layout);
    buildFields(layout);
    buildMessage(layout);
    buildButtons(layout);
}

/// The header (the table and key), the line under it, and the missing fields note.
void RecordFormDialog::buildHeader(QVBoxLayout *layout)
{
    m_header = new QLabel(this);
    m_header->setObjectName(QStringLiteral("formHeader"));
    QFont big = m_header->font();
    big.setPointSizeF(big.pointSizeF() * 1.25);
    big.setBold(true);
    m_header->setFont(big);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_header);
    m_subheader = new QLabel(this);
    m_subheader->setObjectName(QStringLiteral("formSubheader"));
    m_subheader->setWordWrap(true);
    {
        QPalette p = m_subheader->palette();
        p.setColor(QPalette::WindowText, p.color(QPalette::PlaceholderText));
        m_subheader->setPalette(p);
    }
    layout->addWidget(m_subheader);

    m_missing = new QLabel(this);
    m_missing->setObjectName(QStringLiteral("missingFields"));
    m_missing->setWordWrap(true);
    m_missing->setTextFormat(Qt::RichText);
    m_missing->setStyleSheet(QStringLiteral("QLabel#missingFields { background:#fff4e0; border:1px "
                                            "solid #e8c27a; color:#5c3b00; border-radius:4px; "
                                            "padding:6px 8px; }"));
    m_missing->hide();
    layout->addWidget(m_missing);
}

/// The record's field editors in a scroll area.
void RecordFormDialog::buildFields(QVBoxLayout *layout)
{
    m_scroll = new QScrollArea(this);
    m_scroll->setObjectName(QStringLiteral("formScrollArea"));
    m_scroll->setWidgetResizable(true);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_scroll->setFrameShape(QFrame::StyledPanel);
    auto *page = new QWidget;
    page->setObjectName(QStringLiteral("formPage"));
    auto *pageLayout = new QVBoxLayout(page);
    pageLayout->setContentsMargins(12, 12, 12, 12);
    m_root = FieldEditor::forRecord(*m_model, page);
    pageLayout->addWidget(m_root);
    pageLayout->addStretch(1);
    m_scroll->setWidget(page);
    layout->addWidget(m_scroll, 1);
    connect(m_root, &FieldEditor::edited, this, &RecordFormDialog::onEdited);
    connect(m_root, &FieldEditor::structureChanged, this, &RecordFormDialog::scheduleTabOrder);
}

/// The message of a failed save: its text, a conflict's differences and what to do next.
void RecordFormDialog::buildMessage(QVBoxLayout *layout)
{
    m_message = new QFrame(this);
    m_message->setObjectName(QStringLiteral("formMessage"));
    auto *messageLayout = new QVBoxLayout(m_message);
    messageLayout->setContentsMargins(10, 8, 10, 8);
    m_messageText = new QLabel(m_message);
    m_messageText->setObjectName(QStringLiteral("formMessageText"));
    m_messageText->setWordWrap(true);
    m_messageText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    messageLayout->addWidget(m_messageText);
    m_diff = new QTreeWidget(m_message);
    m_diff->setObjectName(QStringLiteral("conflictDiff"));
    m_diff->setRootIsDecorated(false);
    m_diff->setColumnCount(3);
    m_diff->setHeaderLabels({tr("Attribute"), tr("When you opened it"), tr("In the store now")});
    m_diff->header()->setSectionResizeMode(QHeaderView::Stretch);
    m_diff->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_diff->setFocusPolicy(Qt::NoFocus);
    m_diff->hide();
    messageLayout->addWidget(m_diff);
    auto *actions = new QHBoxLayout;
    actions->setSpacing(6);
    m_openExisting = new QPushButton(tr("Open the existing record"), m_message);
    m_openExisting->setObjectName(QStringLiteral("openExistingButton"));
    m_reload = new QPushButton(tr("Reload"), m_message);
    m_reload->setObjectName(QStringLiteral("reloadButton"));
    m_reload->setToolTip(tr("Show the record as it is stored now; your changes in this form are "
                            "dropped"));
    m_overwrite = new QPushButton(tr("Overwrite"), m_message);
    m_overwrite->setObjectName(QStringLiteral("overwriteButton"));
    m_overwrite->setToolTip(tr("Save this form's record over the one stored now; the other "
                               "change is lost"));
    m_saveAsNew = new QPushButton(tr("Save as a new record"), m_message);
    m_saveAsNew->setObjectName(QStringLiteral("saveAsNewButton"));
    for (QPushButton *b : {m_openExisting, m_reload, m_overwrite, m_saveAsNew}) {
        setButtonsNotDefault(b);
        b->hide();
        actions->addWidget(b);
    }
    actions->addStretch(1);
    messageLayout->addLayout(actions);
    m_message->hide();
    layout->addWidget(m_message);
    connect(m_openExisting, &QPushButton::clicked, this, [this] {
        if (auto key = RecordStore::recordKey(*m_model, currentRecord()))
            emit openExistingRequested(*key);
    });
    connect(m_reload, &QPushButton::clicked, this, &RecordFormDialog::reloadStored);
    connect(m_overwrite, &QPushButton::clicked, this, &RecordFormDialog::overwriteStored);
    connect(m_saveAsNew, &QPushButton::clicked, this, [this] {
        validateNow();
        if (m_blocking.empty())
            runPut(currentRecord());
    });
}

/// The problem summary, the saving status, Cancel and Save (also Ctrl+Return).
void RecordFormDialog::buildButtons(QVBoxLayout *layout)
{
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("problemSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summary);

    auto *buttons = new QHBoxLayout;
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("savingStatus"));
    buttons->addWidget(m_status, 1);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_cancel->setToolTip(tr("Close without saving (Esc)"));
    m_save = new QPushButton(m_mode == Mode::New ? tr("Create") : tr("Save"), this);
    m_save->setObjectName(QStringLiteral("saveButton"));
    m_save->setToolTip(tr("Save the record (Ctrl+Return)"));
    setButtonsNotDefault(m_cancel);
    setButtonsNotDefault(m_save);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_save);
    layout->addLayout(buttons);
    connect(m_save, &QPushButton::clicked, this, &RecordFormDialog::saveRecord);
    connect(m_cancel, &QPushButton::clicked, this, &RecordFormDialog::reject);

    for (const QKeySequence &keys :
         {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)}) {
        auto *shortcut = new QShortcut(keys, this);
        shortcut->setContext(Qt::WindowShortcut);
        connect(shortcut, &QShortcut::activated, this, &RecordFormDialog::saveRecord);
    }
}

void RecordFormDialog::updateHeader()
{
    const QString key = keyText(m_mode == Mode::Edit ? m_loaded : Value());
    if (m_mode == Mode::New) {
        setWindowTitle(tr("New record — %1").arg(m_table));
        m_header->setText(tr("New record in %1").arg(m_table));
    } else {
        setWindowTitle(tr("%1 — %2").arg(key, m_table));
        m_header->setText(tr("%1 in %2").arg(key, m_table));
    }
    if (m_model->declaresFields())
        m_subheader->setText(tr("Fields in bold with * are required. An unchecked field is not "
                                "set: the attribute is left out, which is not the same as empty."));
    else
        m_subheader->setText(tr("This table has no model: the record is edited as JSON; its key "
                                "%1 (%2) is checked.")
                                 .arg(m_model->hashKey(), fieldKindName(m_model->hashKeyType())));
}

QString RecordFormDialog::keyText(const Value &record) const
{
    const Value *key = record.find(m_model->hashKey());
    return key ? key->text() : QString();
}

Value RecordFormDialog::currentRecord() const
{
    return m_root->value().value_or(Value::map());
}

FieldEditor *RecordFormDialog::editorAt(const QString &path) const
{
    QList<FieldEditor *> editors;
    m_root->collectEditors(editors);
    for (FieldEditor *e : editors) {
        if (e->path() == path && e->role() != FieldEditor::Role::Extras)
            return e;
    }
    return nullptr;
}

void RecordFormDialog::setRecord(const Value &record)
{
    m_root->setValue(record);
    validateNow();
    fixTabOrder();
}

void RecordFormDialog::onEdited()
{
    m_validateTimer.start();
}

void RecordFormDialog::validateNow()
{
    m_validateTimer.stop();
    Problems input;
    m_root->collectInputProblems(input);
    const Value record = currentRecord();
    if (m_mode == Mode::Edit && !m_model->declaresFields()) {
        const Value *before = m_loaded.find(m_model->hashKey());
        const Value *now = record.find(m_model->hashKey());
        if (before && now && *before != *now)
            input.push_back(Problem{QString(),
                                    tr("the key %1 cannot change here: use the key change wizard")
                                        .arg(m_model->hashKey()),
                                    true});
    }
    const Problems found = Validator(*m_model).validateRecord(record);

    QList<FieldEditor *> editors;
    m_root->collectEditors(editors);
    auto route = [&](const QString &path) {
        FieldEditor *best = nullptr;
        int bestCoverage = -1;
        for (FieldEditor *e : editors) {
            const int c = e->coverage(path);
            if (c > bestCoverage) {
                best = e;
                bestCoverage = c;
            }
        }
        return best;
    };
    QHash<FieldEditor *, QStringList> blocking;
    QHash<FieldEditor *, QStringList> notes;
    std::vector<std::pair<qsizetype, Problem>> ordered; // by the editor's place in the form
    for (const Problem &p : input) {
        FieldEditor *e = route(p.path);
        if (e)
            blocking[e] << relativeMessage(e, p);
        ordered.emplace_back(editors.indexOf(e), p);
    }
    for (const Problem &p : found) {
        // What the validator says about a field whose text cannot be read is noise: the
        // field's own problem says it.
        const bool shadowed = std::any_of(input.begin(), input.end(), [&](const Problem &i) {
            return !i.path.isEmpty() && pathWithin(i.path, p.path);
        });
        if (shadowed)
            continue;
        FieldEditor *e = route(p.path);
        if (p.blocking) {
            ordered.emplace_back(editors.indexOf(e), p);
            if (e)
                blocking[e] << relativeMessage(e, p);
        } else if (e) {
            notes[e] << relativeMessage(e, p);
        }
    }
    std::stable_sort(ordered.begin(), ordered.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    m_blocking.clear();
    for (auto &[index, problem] : ordered)
        m_blocking.push_back(std::move(problem));
    for (FieldEditor *e : editors)
        e->setProblems(blocking.value(e), notes.value(e));
    updateSummary();
    updateMissing(found);
    m_save->setEnabled(m_blocking.empty() && !m_saving);
    emit validated(m_blocking.empty());
}

void RecordFormDialog::updateSummary()
{
    if (m_blocking.empty()) {
        m_summary->setText(QStringLiteral("<span style=\"color:#2e6b30\">%1</span>")
                               .arg(tr("Ready to save.").toHtmlEscaped()));
        return;
    }
    QStringList lines;
    lines << QStringLiteral("<b>%1</b>")
                 .arg(tr("Cannot save yet: %1 to fix")
                          .arg(Looks::count(qsizetype(m_blocking.size()), tr("problem"),
                                            tr("problems")))
                          .toHtmlEscaped());
    int shown = 0;
    for (const Problem &p : m_blocking) {
        if (shown == kSummaryLines)
            break;
        lines << QStringLiteral("• ") + p.toString().toHtmlEscaped();
        ++shown;
    }
    if (int(m_blocking.size()) > shown)
        lines << tr("… and %1 more").arg(int(m_blocking.size()) - shown).toHtmlEscaped();
    m_summary->setText(QStringLiteral("<span style=\"color:#b3261e\">%1</span>")
                           .arg(lines.join(QStringLiteral("<br>"))));
}

void RecordFormDialog::updateMissing(const Problems &found)
{
    if (!m_loadedMissedFields) {
        m_missing->hide();
        return;
    }
    QStringList missing;
    for (const Problem &p : found) {
        if (p.message == kMissingMessage)
            missing << QStringLiteral("<b>%1</b>").arg(p.path.toHtmlEscaped());
    }
    if (missing.isEmpty())
        m_missing->setText(tr("All required fields are filled in now."));
    else
        m_missing->setText(tr("This record is missing required fields: %1. Fill them in below to "
                              "save it. (Records created by update_field can lack them.)")
                               .arg(missing.join(QStringLiteral(", "))));
    m_missing->show();
}

void RecordFormDialog::scheduleTabOrder()
{
    if (m_tabOrderPending)
        return;
    m_tabOrderPending = true;
    QTimer::singleShot(0, this, [this] {
        m_tabOrderPending = false;
        fixTabOrder();
    });
}

void RecordFormDialog::fixTabOrder()
{
    QList<QWidget *> chain;
    m_root->collectFocusChain(chain);
    for (QPushButton *b : {m_openExisting, m_reload, m_overwrite, m_saveAsNew})
        chain << b;
    chain << m_cancel << m_save;
    for (qsizetype i = 1; i < chain.size(); ++i)
        QWidget::setTabOrder(chain[i - 1], chain[i]);
}

void RecordFormDialog::setSaving(bool saving, const QString &status)
{
    m_saving = saving;
    m_scroll->widget()->setEnabled(!saving);
    for (QPushButton *b : {m_openExisting, m_reload, m_overwrite, m_saveAsNew})
        b->setEnabled(!saving);
    m_status->setText(saving ? (status.isEmpty() ? tr("Saving…") : status) : QString());
    m_save->setEnabled(!saving && m_blocking.empty());
}

void RecordFormDialog::saveRecord()
{
    if (m_saving)
        return;
    validateNow();
    if (!m_blocking.empty()) {
        // Nothing reaches the store; show where the first problem is.
        QList<FieldEditor *> editors;
        m_root->collectEditors(editors);
        for (FieldEditor *e : editors) {
            if (!e->problems().isEmpty() && !e->isReadOnly()) {
                m_scroll->ensureWidgetVisible(e);
                e->focusTarget()->setFocus();
                break;
            }
        }
        return;
    }
    hideMessage();
    if (m_mode == Mode::New)
        runPut(currentRecord());
    else
        runReplace(m_loaded, currentRecord());
}

void RecordFormDialog::runPut(const Value &record)
{
    setSaving(true);
    const QString table = m_table;
    StoreInterposer interposer = m_interposer;
    m_runner->call(
        [table, record, interposer](RecordStore &store) -> Status {
            return interposed(interposer, store).putRecord(table, record);
        },
        this,
        [this, record](Status status) {
            setSaving(false);
            if (status) {
                finishSaved(Value(), record);
                return;
            }
            failSave();
            if (status.error().kind == ErrorKind::Exists) {
                showMessage(tr("A record with %1 \"%2\" already exists in %3; nothing was written. "
                               "Change the key, or open the existing record.")
                                .arg(m_model->hashKey(), keyText(record), m_table),
                            MessageKind::Warning);
                m_openExisting->show();
                return;
            }
            showMessage(tr("Could not save: %1").arg(status.error().toString()),
                        MessageKind::Error);
        });
}

void RecordFormDialog::runReplace(const Value &expected, const Value &record)
{
    setSaving(true);
    const QString table = m_table;
    StoreInterposer interposer = m_interposer;
    m_runner->call(
        [table, expected, record, interposer](RecordStore &store) -> Status {
            return interposed(interposer, store).replaceRecord(table, expected, record);
        },
        this,
        [this, expected, record](Status status) {
            if (status) {
                setSaving(false);
                finishSaved(expected, record);
                return;
            }
            if (status.error().kind == ErrorKind::Conflict) {
                fetchConflict();
                return;
            }
            setSaving(false);
            failSave();
            if (status.error().kind == ErrorKind::NotFound) {
                showMessage(tr("This record was deleted from the store after you opened it; "
                               "nothing was written. You can save the form as a new record."),
                            MessageKind::Warning);
                m_saveAsNew->show();
                return;
            }
            showMessage(tr("Could not save: %1").arg(status.error().toString()),
                        MessageKind::Error);
        });
}

void RecordFormDialog::fetchConflict()
{
    setSaving(true, tr("The record changed in the store; reading it…"));
    const QString table = m_table;
    const Value key =
        m_loaded.find(m_model->hashKey()) ? *m_loaded.find(m_model->hashKey()) : Value();
    StoreInterposer interposer = m_interposer;
    m_runner->call(
        [table, key, interposer](RecordStore &store) -> Result<std::optional<Value>> {
            return interposed(interposer, store).getRecord(table, key);
        },
        this,
        [this](Result<std::optional<Value>> stored) {
            setSaving(false);
            failSave();
            if (!stored) {
                showMessage(tr("The record changed in the store since you opened it, and reading "
                               "it again failed: %1. Nothing was written.")
                                .arg(stored.error().toString()),
                            MessageKind::Error);
                return;
            }
            if (!stored->has_value()) {
                showMessage(tr("This record was deleted from the store after you opened it; "
                               "nothing was written. You can save the form as a new record."),
                            MessageKind::Warning);
                m_saveAsNew->show();
                return;
            }
            showConflict(**stored);
        });
}

void RecordFormDialog::showConflict(const Value &stored)
{
    m_conflictStored = stored;
    m_diff->clear();
    QStringList names;
    for (auto it = m_loaded.toMap().cbegin(); it != m_loaded.toMap().cend(); ++it)
        names << it.key();
    for (auto it = stored.toMap().cbegin(); it != stored.toMap().cend(); ++it) {
        if (!names.contains(it.key()))
            names << it.key();
    }
    const QString absent = tr("(not set)");
    int rows = 0;
    for (const QString &name : names) {
        const Value *before = m_loaded.find(name);
        const Value *now = stored.find(name);
        if (before && now && *before == *now)
            continue;
        auto *item = new QTreeWidgetItem(m_diff);
        item->setText(0, name);
        item->setText(1, before ? compactJson(*before, 60) : absent);
        item->setText(2, now ? compactJson(*now, 60) : absent);
        item->setToolTip(1, before ? compactJson(*before, 2000) : absent);
        item->setToolTip(2, now ? compactJson(*now, 2000) : absent);
        ++rows;
    }
    const int rowHeight =
        m_diff->sizeHintForRow(0) > 0 ? m_diff->sizeHintForRow(0) : fontMetrics().height() + 6;
    m_diff->setFixedHeight(m_diff->header()->sizeHint().height() + std::min(rows, 6) * rowHeight +
                           2 * m_diff->frameWidth() + 2);
    showMessage(tr("Someone changed this record in the store after you opened it, so nothing was "
                   "written. Changed there: %1.")
                    .arg(Looks::count(rows, tr("attribute"), tr("attributes"))),
                MessageKind::Warning);
    m_diff->show();
    m_reload->show();
    m_overwrite->show();
    m_reload->setFocus();
}

void RecordFormDialog::reloadStored()
{
    if (!m_conflictStored || m_saving)
        return;
    m_loaded = *m_conflictStored;
    m_conflictStored.reset();
    m_root->setValue(m_loaded);
    hideMessage();
    updateHeader();
    validateNow();
    fixTabOrder();
    m_status->setText(tr("Reloaded the record as it is stored now."));
    if (QWidget *first = m_root->focusTarget())
        first->setFocus();
}

void RecordFormDialog::overwriteStored()
{
    if (!m_conflictStored || m_saving)
        return;
    validateNow();
    if (!m_blocking.empty())
        return;
    const Value expected = *m_conflictStored;
    hideMessage();
    runReplace(expected, currentRecord());
}

void RecordFormDialog::finishSaved(const Value &before, const Value &after)
{
    m_closeWhenSaved = false;
    emit recordSaved(before, after);
    accept();
}

void RecordFormDialog::failSave()
{
    // The user asked to close while saving, but the save failed: stay, so the failure is seen.
    m_closeWhenSaved = false;
}

void RecordFormDialog::reject()
{
    if (m_saving) {
        m_closeWhenSaved = true;
        m_status->setText(tr("Saving… the form closes when the store has answered."));
        return;
    }
    QDialog::reject();
}

void RecordFormDialog::showMessage(const QString &text, MessageKind kind)
{
    QString colors;
    switch (kind) {
    case MessageKind::Info:
        colors = QStringLiteral("background:#e8f1fb; border:1px solid #a9c8ec; color:#17375e;");
        break;
    case MessageKind::Warning:
        colors = QStringLiteral("background:#fff4e0; border:1px solid #e8c27a; color:#5c3b00;");
        break;
    case MessageKind::Error:
        colors = QStringLiteral("background:#fdecea; border:1px solid #e3a6a0; color:#7a1c12;");
        break;
    }
    m_message->setStyleSheet(QStringLiteral("QFrame#formMessage { %1 border-radius:4px; } "
                                            "QLabel { border:none; background:transparent; }")
                                 .arg(colors));
    m_messageText->setText(text);
    for (QPushButton *b : {m_openExisting, m_reload, m_overwrite, m_saveAsNew})
        b->hide();
    m_diff->hide();
    m_message->show();
}

void RecordFormDialog::hideMessage()
{
    m_message->hide();
    m_conflictStored.reset();
}
