#include "widgets/rekey/journalrecoverydialog.h"

#include "model/json/jsoncodec.h"
#include "model/store/open/storefactory.h"
#include "model/store/open/storerunner.h"
#include "widgets/common/looks.h"
#include "widgets/common/messagebar.h"
#include "widgets/common/prettyjson.h"

#include <QClipboard>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFutureWatcher>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace {

enum Column { TableColumn, KeysColumn, WhenColumn, StepColumn, StoreColumn, ResultColumn };

QString keyText(const Value &key)
{
    return QString::fromUtf8(JsonCodec::toPlain(key));
}

QString lastStepWords(const QString &step)
{
    if (step.isEmpty())
        return QObject::tr("journal written");
    if (step == u"remove")
        return QObject::tr("removed from the old key");
    if (step == u"put")
        return QObject::tr("put at the new key");
    return step;
}

QStringList journalFiles(const QString &directory)
{
    // Folders and other odd things named *.json too: they are listed as unreadable entries.
    return QDir(directory).entryList({QStringLiteral("*.json")},
                                     QDir::Files | QDir::Dirs | QDir::System | QDir::NoDotAndDotDot,
                                     QDir::Name);
}

} // namespace

JournalRecoveryDialog::JournalRecoveryDialog(StoreRunner *runner, QString journalDirectory,
                                             QWidget *parent)
    : QDialog(parent), m_runner(runner), m_journalDirectory(std::move(journalDirectory)),
      m_intro(new QLabel(this)), m_messages(new MessageBar(this)), m_list(new QTableWidget(this)),
      m_record(new QPlainTextEdit(this)),
      m_restoreOld(new QPushButton(tr("Restore at the old key"), this)),
      m_restoreNew(new QPushButton(tr("Restore at the new key"), this)),
      m_save(new QPushButton(tr("Save to a file…"), this)),
      m_openFolderButton(new QPushButton(tr("Open Folder"), this)),
      m_copyPath(new QPushButton(tr("Copy Path"), this)),
      m_close(new QPushButton(tr("Close"), this))
{
    setObjectName(QStringLiteral("journalRecoveryDialog"));
    setWindowTitle(tr("Records kept in the recovery journal"));
    resize(900, 560);

    m_intro->setObjectName(QStringLiteral("journalIntro"));
    m_intro->setWordWrap(true);
    m_intro->setText(
        tr("A key change did not finish, so these records were kept in the recovery journal. "
           "Put each one back at its old key, at the key it was moving to, or save it to a file. "
           "A record already intact at either key is not written again, and a different record "
           "is never overwritten. Entries you leave stay in the journal and are offered again at "
           "the next start."));
    m_messages->setObjectName(QStringLiteral("journalMessages"));

    m_list->setObjectName(QStringLiteral("journalEntries"));
    m_list->setColumnCount(6);
    m_list->setHorizontalHeaderLabels(
        {tr("Table"), tr("Old → new key"), tr("When"), tr("Last step"), tr("Store"), tr("Result")});
    m_list->verticalHeader()->hide();
    m_list->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_list->setWordWrap(true);
    m_list->setTextElideMode(Qt::ElideMiddle);
    m_list->setShowGrid(false);
    m_list->setAlternatingRowColors(true);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_list->horizontalHeader()->setHighlightSections(false);
    for (int c : {TableColumn, KeysColumn, WhenColumn, StepColumn, StoreColumn})
        m_list->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    m_list->horizontalHeader()->setSectionResizeMode(ResultColumn, QHeaderView::Stretch);

    m_record->setObjectName(QStringLiteral("journalRecord"));
    m_record->setReadOnly(true);
    m_record->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_record->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_record->setPlaceholderText(tr("The record of the selected entry, exactly as it was stored."));

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("journalSplitter"));
    splitter->addWidget(m_list);
    splitter->addWidget(m_record);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);

    m_restoreOld->setObjectName(QStringLiteral("restoreOldButton"));
    m_restoreNew->setObjectName(QStringLiteral("restoreNewButton"));
    m_save->setObjectName(QStringLiteral("saveFileButton"));
    m_close->setObjectName(QStringLiteral("closeButton"));
    m_openFolderButton->setObjectName(QStringLiteral("openFolderButton"));
    m_openFolderButton->setToolTip(tr("Open the recovery journal folder (%1) in the file manager")
                                       .arg(QDir::toNativeSeparators(m_journalDirectory)));
    m_copyPath->setObjectName(QStringLiteral("copyPathButton"));
    m_copyPath->setToolTip(tr("Copy the path of the selected entry's file"));
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_restoreOld);
    actions->addWidget(m_restoreNew);
    actions->addWidget(m_save);
    actions->addStretch(1);
    actions->addWidget(m_openFolderButton);
    actions->addWidget(m_copyPath);
    actions->addWidget(m_close);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addWidget(m_messages);
    layout->addWidget(splitter, 1);
    layout->addLayout(actions);

    connect(m_restoreOld, &QPushButton::clicked, this, &JournalRecoveryDialog::restoreToOldKey);
    connect(m_restoreNew, &QPushButton::clicked, this, &JournalRecoveryDialog::restoreToNewKey);
    connect(m_save, &QPushButton::clicked, this, &JournalRecoveryDialog::saveToFile);
    connect(m_close, &QPushButton::clicked, this, &QDialog::accept);
    connect(m_openFolderButton, &QPushButton::clicked, this, &JournalRecoveryDialog::openFolder);
    connect(m_copyPath, &QPushButton::clicked, this, &JournalRecoveryDialog::copyPath);
    connect(m_list, &QTableWidget::currentCellChanged, this, [this] {
        updateActions();
        showEntryRecord();
    });
    reload();
}

JournalRecoveryDialog::~JournalRecoveryDialog() = default;

bool JournalRecoveryDialog::hasEntries(const QString &journalDirectory)
{
    return !journalFiles(journalDirectory).isEmpty();
}

int JournalRecoveryDialog::entryCount() const
{
    return int(m_rows.size());
}

int JournalRecoveryDialog::pendingCount() const
{
    return int(
        std::count_if(m_rows.begin(), m_rows.end(), [](const Row &r) { return !r.resolved; }));
}

int JournalRecoveryDialog::badCount() const
{
    return int(std::count_if(m_rows.begin(), m_rows.end(), [](const Row &r) { return !r.entry; }));
}

void JournalRecoveryDialog::selectEntry(int row)
{
    m_list->setCurrentCell(row, 0);
}

void JournalRecoveryDialog::reload()
{
    m_rows.clear();
    m_list->setRowCount(0);
    // Each file is read on its own: one unreadable file never hides the others.
    const RecoveryJournal journal(m_journalDirectory);
    auto listing = journal.list();
    if (!listing) {
        m_messages->showMessage(listing.error().toString(), MessageBar::Kind::Error);
        updateActions();
        showEntryRecord();
        return;
    }
    // Oldest first, like RecoveryJournal::list(); unreadable files last, by name.
    std::vector<std::pair<Row, QString>> found; // with the reason of an unreadable file
    for (RecoveryJournal::Entry &e : listing->entries) {
        Row row;
        row.id = e.id;
        row.file = e.file;
        row.entry = std::move(e);
        found.emplace_back(std::move(row), QString());
    }
    for (const RecoveryJournal::BadEntry &bad : listing->bad) {
        Row row;
        row.id = bad.id;
        row.file = bad.file;
        row.reason = bad.reason;
        found.emplace_back(std::move(row), bad.reason);
    }
    for (auto &[row, error] : found) {
        const int r = m_list->rowCount();
        m_list->insertRow(r);
        for (int c = TableColumn; c <= ResultColumn; ++c)
            m_list->setItem(r, c, new QTableWidgetItem);
        auto cell = [this, r](int column) { return m_list->item(r, column); };
        cell(TableColumn)->setData(Qt::UserRole, row.id);
        if (row.entry) {
            const RecoveryJournal::Entry &e = *row.entry;
            cell(TableColumn)->setText(e.table);
            cell(KeysColumn)
                ->setText(QStringLiteral("%1 → %2").arg(keyText(e.oldKey), keyText(e.newKey)));
            cell(WhenColumn)
                ->setText(e.created.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
            cell(StepColumn)->setText(lastStepWords(e.lastStep));
            cell(StepColumn)
                ->setToolTip(tr("strategy %1; last step that finished: %2")
                                 .arg(e.strategy, e.lastStep.isEmpty() ? QStringLiteral("journal")
                                                                       : e.lastStep));
            cell(StoreColumn)->setText(QFileInfo(e.location).fileName());
            cell(StoreColumn)->setToolTip(e.location);
            cell(ResultColumn)->setText(tr("in the journal"));
            cell(ResultColumn)->setIcon(Looks::warningIcon());
        } else {
            // Greyed: nothing can be done with it here but finding the file.
            const QColor grey = palette().color(QPalette::Disabled, QPalette::Text);
            const QString tip = QDir::toNativeSeparators(row.file) + QStringLiteral(": ") + error;
            cell(TableColumn)->setText(QFileInfo(row.file).fileName());
            cell(KeysColumn)->setText(tr("unreadable journal file"));
            cell(WhenColumn)
                ->setText(QFileInfo(row.file).lastModified().toLocalTime().toString(
                    QStringLiteral("yyyy-MM-dd HH:mm:ss")));
            // The path is long: it is in the tooltip and the detail pane, where it can be read
            // whole, not squeezing the reason.
            cell(ResultColumn)->setText(tr("unreadable: %1").arg(error));
            cell(ResultColumn)->setIcon(Looks::warningIcon());
            for (int c = TableColumn; c <= ResultColumn; ++c) {
                cell(c)->setForeground(grey);
                cell(c)->setToolTip(tip);
            }
        }
        m_rows.push_back(std::move(row));
    }
    if (m_list->rowCount() > 0)
        m_list->setCurrentCell(0, 0);
    if (m_rows.empty())
        m_messages->showMessage(tr("The recovery journal is empty: every key change finished."),
                                MessageBar::Kind::Information);
    else if (const int bad = badCount(); bad > 0)
        m_messages->showMessage(
            bad == 1 ? tr("1 file of the recovery journal cannot be read; it is listed greyed "
                          "with the reason and was left untouched. Open Folder shows it.")
                     : tr("%1 files of the recovery journal cannot be read; they are listed "
                          "greyed with the reason and were left untouched. Open Folder shows "
                          "them.")
                           .arg(bad),
            MessageBar::Kind::Warning);
    updateActions();
    showEntryRecord();
}

JournalRecoveryDialog::Row *JournalRecoveryDialog::rowById(const QString &id)
{
    for (Row &r : m_rows) {
        if (r.id == id)
            return &r;
    }
    return nullptr;
}

int JournalRecoveryDialog::rowOf(const QString &id) const
{
    for (int r = 0; r < m_list->rowCount(); ++r) {
        if (m_list->item(r, TableColumn)->data(Qt::UserRole).toString() == id)
            return r;
    }
    return -1;
}

JournalRecoveryDialog::Row *JournalRecoveryDialog::currentRow()
{
    const int r = m_list->currentRow();
    return r >= 0 ? rowById(m_list->item(r, TableColumn)->data(Qt::UserRole).toString()) : nullptr;
}

void JournalRecoveryDialog::updateActions()
{
    const Row *row = currentRow();
    const bool actionable = row && row->entry && !row->busy && !row->resolved;
    m_restoreOld->setEnabled(actionable);
    m_restoreNew->setEnabled(actionable);
    m_save->setEnabled(actionable);
    m_copyPath->setEnabled(row != nullptr);
}

void JournalRecoveryDialog::showEntryRecord()
{
    const Row *row = currentRow();
    if (row && !row->entry) {
        m_record->setPlainText(
            tr("This file of the recovery journal cannot be read as an entry:\n\n  %1\n\n"
               "Why: %2\n\nIt was left untouched. If it holds a record you need, open the "
               "folder and look at the file; `structdesk-cli journal list` names it too.")
                .arg(QDir::toNativeSeparators(row->file), row->reason));
        return;
    }
    if (!row) {
        m_record->clear();
        return;
    }
    m_record->setPlainText(QString::fromUtf8(prettyJson(row->entry->record)));
}

void JournalRecoveryDialog::openFolder()
{
    const QUrl url = QUrl::fromLocalFile(m_journalDirectory);
    if (m_openFolder)
        m_openFolder(m_journalDirectory);
    else if (!QDesktopServices::openUrl(url))
        m_messages->showMessage(tr("Could not open %1 in a file manager; the path is %1.")
                                    .arg(QDir::toNativeSeparators(m_journalDirectory)),
                                MessageBar::Kind::Warning);
}

void JournalRecoveryDialog::copyPath()
{
    const Row *row = currentRow();
    const QString path = QDir::toNativeSeparators(row ? row->file : m_journalDirectory);
    QGuiApplication::clipboard()->setText(path);
    m_messages->showMessage(tr("Copied %1").arg(path), MessageBar::Kind::Information);
}

void JournalRecoveryDialog::restoreToOldKey()
{
    restore(RekeyEngine::RestoreTarget::OldKey);
}

void JournalRecoveryDialog::restoreToNewKey()
{
    restore(RekeyEngine::RestoreTarget::NewKey);
}

void JournalRecoveryDialog::restore(RekeyEngine::RestoreTarget target)
{
    Row *row = currentRow();
    if (!row || !row->entry || row->busy || row->resolved)
        return;
    row->busy = true;
    const RecoveryJournal::Entry entry = *row->entry;
    const QString id = row->id;
    const QString dir = m_journalDirectory;
    if (const int r = rowOf(id); r >= 0) {
        QTableWidgetItem *result = m_list->item(r, ResultColumn);
        result->setText(tr("restoring…"));
        result->setIcon(QIcon());
        result->setForeground(palette().color(QPalette::Text));
    }
    updateActions();

    const Value key = target == RekeyEngine::RestoreTarget::OldKey ? entry.oldKey : entry.newKey;
    auto done = [this, id, table = entry.table, key](const Result<QString> &result) {
        finishAction(id, result.ok(), result ? *result : result.error().toString());
        if (result)
            emit recordRestored(table, key);
    };
    if (m_runner && m_runner->location() == entry.location) {
        m_runner->call(
            [entry, target, dir](RecordStore &store) {
                RecoveryJournal journal(dir);
                return RekeyEngine(store, journal).restore(entry, target);
            },
            this, done);
        return;
    }
    // Another store than the open one: open it for this restore only, on a worker thread (the
    // connection lives and dies there).
    using Answer = std::shared_ptr<Result<QString>>;
    auto *watcher = new QFutureWatcher<Answer>(this);
    connect(watcher, &QFutureWatcher<Answer>::finished, this, [watcher, done] {
        done(*watcher->result());
        watcher->deleteLater();
    });
    watcher->setFuture(QtConcurrent::run([entry, target, dir]() -> Answer {
        auto store = StoreFactory::open(entry.location);
        if (!store)
            return std::make_shared<Result<QString>>(makeError(
                ErrorKind::Unavailable, QObject::tr("the store of this entry cannot be opened: %1")
                                            .arg(store.error().toString())));
        RecoveryJournal journal(dir);
        return std::make_shared<Result<QString>>(
            RekeyEngine(**store, journal).restore(entry, target));
    }));
}

void JournalRecoveryDialog::saveToFile()
{
    Row *row = currentRow();
    if (!row || !row->entry || row->busy || row->resolved)
        return;
    QString path = m_saveFileName;
    if (path.isEmpty()) {
        QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
        if (dir.isEmpty())
            dir = QDir::homePath();
        QString name =
            QStringLiteral("%1-%2.json").arg(row->entry->table, row->entry->oldKey.text());
        name.replace(QRegularExpression(QStringLiteral(R"([/\\:*?"<>|\s])")), QStringLiteral("_"));
        path =
            QFileDialog::getSaveFileName(this, tr("Save the record to a file"), dir + u'/' + name,
                                         tr("DynamoDB JSON (*.json);;All files (*)"));
        if (path.isEmpty())
            return;
    }
    const QString id = row->id;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        finishAction(
            id, false,
            tr("could not write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
        return;
    }
    file.write(JsonCodec::toDynamoItem(row->entry->record) + '\n');
    if (!file.commit()) {
        finishAction(
            id, false,
            tr("could not write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
        return;
    }
    RecoveryJournal journal(m_journalDirectory);
    if (auto removed = journal.remove(id); !removed) {
        finishAction(id, false,
                     tr("saved to %1, but the journal entry could not be removed: %2")
                         .arg(QDir::toNativeSeparators(path), removed.error().toString()));
        return;
    }
    finishAction(id, true,
                 tr("Saved to %1 (DynamoDB JSON); the journal entry was removed.")
                     .arg(QDir::toNativeSeparators(path)));
}

void JournalRecoveryDialog::finishAction(const QString &id, bool ok, const QString &message)
{
    Row *row = rowById(id);
    if (!row)
        return;
    row->busy = false;
    // A failure leaves the entry in the journal (nothing was overwritten); another action may work.
    row->resolved = ok;
    const int r = rowOf(id);
    if (r >= 0) {
        QTableWidgetItem *result = m_list->item(r, ResultColumn);
        result->setText(message);
        result->setToolTip(message);
        result->setIcon(ok ? Looks::okIcon() : Looks::failedIcon());
        result->setForeground(ok ? Looks::okColor() : Looks::failedColor());
        if (ok) {
            for (int c = 0; c < ResultColumn; ++c)
                m_list->item(r, c)->setForeground(
                    palette().color(QPalette::Disabled, QPalette::Text));
        }
    }
    // On to the next entry still in the journal, if the resolved one is the current one.
    if (ok && r == m_list->currentRow()) {
        for (int next = 1; next <= m_list->rowCount(); ++next) {
            const int candidate = (r + next) % m_list->rowCount();
            const Row *c =
                rowById(m_list->item(candidate, TableColumn)->data(Qt::UserRole).toString());
            if (c && c->entry && !c->resolved) {
                m_list->setCurrentCell(candidate, 0);
                break;
            }
        }
    }
    if (pendingCount() == 0)
        m_messages->showMessage(
            tr("Every record of the journal is safe again; the journal is empty."),
            MessageBar::Kind::Information);
    else if (!ok)
        m_messages->showMessage(message, MessageBar::Kind::Error);
    else
        m_messages->dismiss();
    updateActions();
    emit entryResolved(id, ok, message);
}
