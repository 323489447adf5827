#include "widgets/transfer/importdialog.h"

#include "model/json/jsoncodec.h"
#include "model/store/open/storerunner.h"
#include "widgets/common/messagebar.h"

#include <QAction>
#include <QButtonGroup>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSaveFile>
#include <QScopeGuard>
#include <QScrollBar>
#include <QSet>
#include <QStandardPaths>
#include <QVBoxLayout>

#include <algorithm>

namespace {

QString capitalized(QString sentence)
{
    if (!sentence.isEmpty())
        sentence[0] = sentence[0].toUpper();
    if (!sentence.endsWith(u'.'))
        sentence += u'.';
    return sentence;
}

QString keyText(const Value &key)
{
    if (key.isString() || key.isNumber())
        return key.text();
    return QString::fromUtf8(JsonCodec::toPlain(key));
}

/// A list as tall as its rows, between a few and a dozen: a short report leaves no empty pane
/// and a long one does not push the buttons off the screen (the dialog still resizes it).
class FittingList final : public QListWidget
{
public:
    using QListWidget::QListWidget;
    QSize sizeHint() const override
    {
        const int rows = std::clamp(count(), 3, 12);
        const int row = count() > 0 ? sizeHintForRow(0) : fontMetrics().height() + 4;
        // Room for a horizontal scroll bar: problem lines can be long.
        return {QListWidget::sizeHint().width(),
                rows * row + 2 * frameWidth() + horizontalScrollBar()->sizeHint().height()};
    }
};

MessageBar::Kind outcomeKind(const ImportReport &report)
{
    switch (report.outcome) {
    case ImportReport::Outcome::Imported:
        return MessageBar::Kind::Information;
    case ImportReport::Outcome::PartlyImported:
        return MessageBar::Kind::Warning;
    case ImportReport::Outcome::Cancelled:
        // Records left behind by a cancel on a store without transactions need attention.
        return report.leftWrites() ? MessageBar::Kind::Error : MessageBar::Kind::Warning;
    case ImportReport::Outcome::Refused:
    case ImportReport::Outcome::Failed:
        break;
    }
    return MessageBar::Kind::Error;
}

} // namespace

ImportDialog::ImportDialog(StoreRunner *runner, QString table, QString file, bool transactions,
                           QWidget *parent)
    : QDialog(parent), m_runner(runner), m_table(std::move(table)), m_transactions(transactions),
      m_run(this, [this] { showProgress(); }), m_undoRun(this, [this] { showUndoProgress(); }),
      m_intro(new QLabel(this)), m_file(new QLineEdit(this)),
      m_browse(new QPushButton(tr("Browse…"), this)), m_format(new QComboBox(this)),
      m_allOrNothing(
          new QRadioButton(tr("All or nothing: if any record fails, nothing is written"), this)),
      m_skipInvalid(new QRadioButton(
          tr("Skip invalid records: write the valid ones, save the others to a rejects file:"),
          this)),
      m_rejects(new QLineEdit(this)), m_existing(new QComboBox(this)),
      m_transactionNote(new QLabel(this)), m_messages(new MessageBar(this)),
      m_progress(new QProgressBar(this)), m_status(new QLabel(this)),
      m_problemBox(new QGroupBox(this)), m_problems(new FittingList(this)),
      m_writtenBox(new QGroupBox(this)), m_writtenNote(new QLabel(this)),
      m_written(new FittingList(this)), m_undo(new QPushButton(tr("Undo These Writes"), this)),
      m_saveReport(new QPushButton(tr("Save Report…"), this)),
      m_import(new QPushButton(tr("Import"), this)), m_cancel(new QPushButton(tr("Cancel"), this))
{
    Q_ASSERT(m_runner);
    setObjectName(QStringLiteral("importDialog"));
    setWindowTitle(tr("Import into %1").arg(m_table));

    m_intro->setObjectName(QStringLiteral("importIntro"));
    m_intro->setWordWrap(true);
    m_intro->setText(
        tr("Reads records from a file into table <b>%1</b>. Every record is checked against the "
           "table model before anything is written.")
            .arg(m_table.toHtmlEscaped()));

    QFormLayout *form = createOptionsForm();
    setUpRunArea();
    setUpProblemBox();
    setUpWrittenBox();
    layOut(form);

    connect(m_browse, &QPushButton::clicked, this, &ImportDialog::browse);
    connect(m_file, &QLineEdit::textChanged, this, &ImportDialog::updateFormatHint);
    connect(m_format, &QComboBox::currentIndexChanged, this, &ImportDialog::updateFormatHint);
    connect(m_skipInvalid, &QRadioButton::toggled, this, &ImportDialog::updateControls);
    connect(m_import, &QPushButton::clicked, this, &ImportDialog::start);
    // Cancel stops a run and keeps the dialog to show what happened; idle, it closes.
    connect(m_cancel, &QPushButton::clicked, this, [this] { isRunning() ? cancel() : reject(); });
    connect(m_undo, &QPushButton::clicked, this, &ImportDialog::undoWrites);
    connect(m_saveReport, &QPushButton::clicked, this, &ImportDialog::saveReport);

    m_file->setText(file);
    updateFormatHint();
    updateControls();
    resize(qMax(sizeHint().width(), 700), sizeHint().height());
}

/// The options: the file, its format, the mode (with the rejects file) and existing keys.
QFormLayout *ImportDialog::createOptionsForm()
{
    m_file->setObjectName(QStringLiteral("importFileEdit"));
    m_file->setPlaceholderText(tr("the file to import"));
    m_file->setClearButtonEnabled(true);
    m_browse->setObjectName(QStringLiteral("importBrowseButton"));
    m_browse->setAutoDefault(false);
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(m_browse);

    m_format->setObjectName(QStringLiteral("importFormatCombo"));
    m_format->addItem(tr("Detect from file"));
    for (TransferFormat f : {TransferFormat::JsonLines, TransferFormat::JsonArray,
                             TransferFormat::DynamoDbJson, TransferFormat::Csv})
        m_format->addItem(TransferRun::formatLabel(f), int(f));
    m_format->setItemData(0, tr(".jsonl and .csv by their name; anything else by its first bytes"),
                          Qt::ToolTipRole);

    m_allOrNothing->setObjectName(QStringLiteral("allOrNothingMode"));
    m_skipInvalid->setObjectName(QStringLiteral("skipInvalidMode"));
    m_allOrNothing->setChecked(true);
    auto *modes = new QButtonGroup(this);
    modes->addButton(m_allOrNothing);
    modes->addButton(m_skipInvalid);
    m_rejects->setObjectName(QStringLiteral("rejectsFileEdit"));
    m_rejects->setClearButtonEnabled(true);
    auto *modeBox = new QVBoxLayout;
    modeBox->setContentsMargins(0, 0, 0, 0);
    modeBox->addWidget(m_allOrNothing);
    modeBox->addWidget(m_skipInvalid);
    auto *rejectsRow = new QHBoxLayout;
    // Indented under its radio button, as the rejects file belongs to that choice.
    rejectsRow->addSpacing(24);
    rejectsRow->addWidget(m_rejects, 1);
    modeBox->addLayout(rejectsRow);

    m_existing->setObjectName(QStringLiteral("existingCombo"));
    m_existing->addItem(tr("Refuse: a record whose key exists is a problem"),
                        int(ImportOptions::Existing::Refuse));
    m_existing->addItem(tr("Skip: keep the record already in the table"),
                        int(ImportOptions::Existing::Skip));
    m_existing->addItem(tr("Replace: the file's record replaces it"),
                        int(ImportOptions::Existing::Replace));

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("File:"), fileRow);
    form->addRow(tr("Format:"), m_format);
    form->addRow(tr("Mode:"), modeBox);
    form->addRow(tr("Existing keys:"), m_existing);
    return form;
}

/// The note on stores without transactions, the messages, the progress and the figures of a run.
void ImportDialog::setUpRunArea()
{
    m_transactionNote->setObjectName(QStringLiteral("transactionNote"));
    m_transactionNote->setWordWrap(true);
    m_transactionNote->setText(
        tr("This store writes an import in batches, not as one transaction (DynamoDB's hold at "
           "most 100 writes, and some stores have none): records are checked before any is "
           "written, but a store failure or a cancel during the writes leaves the records "
           "written so far. They are then listed here, with a button that deletes them again."));
    m_transactionNote->setVisible(!m_transactions);

    m_messages->setObjectName(QStringLiteral("importMessages"));
    m_progress->setObjectName(QStringLiteral("importProgress"));
    m_progress->setVisible(false);
    m_run.setProgressBar(m_progress);
    m_undoRun.setProgressBar(m_progress);
    m_status->setObjectName(QStringLiteral("importStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->hide(); // the figures of a run
}

/// The problems found, with Copy and Select All.
void ImportDialog::setUpProblemBox()
{
    m_problemBox->setObjectName(QStringLiteral("problemBox"));
    m_problems->setObjectName(QStringLiteral("problemList"));
    m_problems->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_problems->setUniformItemSizes(true);
    m_problems->setMinimumHeight(60);
    m_problems->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto *copy = new QAction(tr("Copy"), m_problems);
    copy->setObjectName(QStringLiteral("copyProblemsAction"));
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    connect(copy, &QAction::triggered, this, &ImportDialog::copyProblems);
    auto *selectAll = new QAction(tr("Select All"), m_problems);
    selectAll->setShortcut(QKeySequence::SelectAll);
    selectAll->setShortcutContext(Qt::WidgetShortcut);
    connect(selectAll, &QAction::triggered, m_problems, &QListWidget::selectAll);
    m_problems->addAction(copy);
    m_problems->addAction(selectAll);
    auto *problemLayout = new QVBoxLayout(m_problemBox);
    problemLayout->addWidget(m_problems);
    m_problemBox->setVisible(false);
}

/// The records a failed or cancelled run left written, with the button that deletes them.
void ImportDialog::setUpWrittenBox()
{
    m_writtenBox->setObjectName(QStringLiteral("writtenBox"));
    m_writtenBox->setTitle(tr("Records left written"));
    m_writtenNote->setObjectName(QStringLiteral("writtenNote"));
    m_writtenNote->setWordWrap(true);
    m_written->setObjectName(QStringLiteral("writtenKeyList"));
    m_written->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_written->setUniformItemSizes(true);
    m_written->setMinimumHeight(60);
    m_undo->setObjectName(QStringLiteral("undoWritesButton"));
    m_undo->setAutoDefault(false);
    auto *undoRow = new QHBoxLayout;
    undoRow->addStretch(1);
    undoRow->addWidget(m_undo);
    auto *writtenLayout = new QVBoxLayout(m_writtenBox);
    writtenLayout->addWidget(m_writtenNote);
    writtenLayout->addWidget(m_written, 1);
    writtenLayout->addLayout(undoRow);
    m_writtenBox->setVisible(false);
}

/// The buttons, and the dialog from top to bottom.
void ImportDialog::layOut(QFormLayout *form)
{
    m_saveReport->setObjectName(QStringLiteral("saveReportButton"));
    m_saveReport->setAutoDefault(false);
    m_import->setObjectName(QStringLiteral("importButton"));
    m_import->setDefault(true);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_cancel->setAutoDefault(false);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_saveReport);
    buttons->addStretch(1);
    buttons->addWidget(m_import);
    buttons->addWidget(m_cancel);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addLayout(form);
    layout->addWidget(m_transactionNote);
    layout->addWidget(m_messages);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(m_problemBox, 1);
    layout->addWidget(m_writtenBox, 1);
    layout->addStretch(0);
    layout->addLayout(buttons);
}

// A running import stops at its next record and leaves the table as it was (the run cancels).
ImportDialog::~ImportDialog() = default;

void ImportDialog::setFile(const QString &path)
{
    m_file->setText(QDir::toNativeSeparators(path));
}

QString ImportDialog::file() const
{
    return QDir::fromNativeSeparators(m_file->text().trimmed());
}

void ImportDialog::setFormat(std::optional<TransferFormat> format)
{
    m_format->setCurrentIndex(format ? m_format->findData(int(*format)) : 0);
}

void ImportDialog::setMode(ImportOptions::Mode mode)
{
    (mode == ImportOptions::Mode::SkipInvalid ? m_skipInvalid : m_allOrNothing)->setChecked(true);
}

void ImportDialog::setExisting(ImportOptions::Existing existing)
{
    m_existing->setCurrentIndex(m_existing->findData(int(existing)));
}

void ImportDialog::setRejectsFile(const QString &path)
{
    m_rejects->setText(QDir::toNativeSeparators(path));
}

void ImportDialog::updateFormatHint()
{
    const QString path = file();
    const auto byName = path.isEmpty() ? std::nullopt : transferFormatFromExtension(path);
    // Only .jsonl/.ndjson and .csv are certain by name; a .json file may be either JSON kind.
    const bool certain =
        byName && (*byName == TransferFormat::JsonLines || *byName == TransferFormat::Csv);
    m_format->setItemText(0, certain
                                 ? tr("Detect from file: %1").arg(TransferRun::formatName(*byName))
                                 : tr("Detect from file"));
    std::optional<TransferFormat> format;
    if (m_format->currentIndex() > 0)
        format = TransferFormat(m_format->currentData().toInt());
    else if (byName)
        format = byName;
    m_rejects->setPlaceholderText(
        path.isEmpty() ? tr("next to the imported file")
                       : tr("next to the file: %1")
                             .arg(QFileInfo(Importer::defaultRejectsPath(
                                                path, format.value_or(TransferFormat::JsonLines)))
                                      .fileName()));
}

void ImportDialog::updateControls()
{
    const bool idle = !isRunning() && !m_undoing;
    m_file->setEnabled(idle);
    m_browse->setEnabled(idle);
    m_format->setEnabled(idle);
    m_allOrNothing->setEnabled(idle);
    m_skipInvalid->setEnabled(idle);
    m_rejects->setEnabled(idle && m_skipInvalid->isChecked());
    m_existing->setEnabled(idle);
    m_import->setEnabled(idle);
    m_saveReport->setEnabled(idle && m_report.has_value());
    m_undo->setEnabled(idle);
    m_run.updateCancelButton(m_cancel, m_report.has_value(),
                             m_transactions
                                 ? tr("Stops the import; the table is left as it was.")
                                 : tr("Stops the import; the records already written are listed "
                                      "so they can be deleted again."));
}

void ImportDialog::browse()
{
    QString dir = QFileInfo(file()).absolutePath();
    if (file().isEmpty()) {
        dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
        if (dir.isEmpty())
            dir = QDir::homePath();
    }
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Import into %1").arg(m_table), dir,
        tr("Records (*.jsonl *.ndjson *.json *.csv);;JSON lines (*.jsonl *.ndjson);;"
           "JSON (*.json);;CSV (*.csv);;All files (*)"));
    if (!path.isEmpty())
        setFile(path);
}

void ImportDialog::start()
{
    if (isRunning() || m_undoing)
        return;
    const QString path = file();
    if (path.isEmpty()) {
        m_messages->showMessage(tr("Choose the file to import."), MessageBar::Kind::Error);
        m_file->setFocus();
        return;
    }
    ImportOptions options;
    if (m_format->currentIndex() > 0)
        options.format = TransferFormat(m_format->currentData().toInt());
    options.mode = m_skipInvalid->isChecked() ? ImportOptions::Mode::SkipInvalid
                                              : ImportOptions::Mode::AllOrNothing;
    options.existing = ImportOptions::Existing(m_existing->currentData().toInt());
    if (options.mode == ImportOptions::Mode::SkipInvalid)
        options.rejectsPath = QDir::fromNativeSeparators(m_rejects->text().trimmed());

    m_run.begin();
    options.cancelled = m_run.cancelCheck();
    options.progress = m_run.progressReporter(m_runner);
    m_report.reset();
    m_messages->dismiss();
    m_problems->clear();
    m_problemBox->setVisible(false);
    m_written->clear();
    m_writtenBox->setVisible(false);
    m_status->setText(tr("Reading %1…").arg(QFileInfo(path).fileName()));
    m_status->show();
    updateControls();

    m_runner->call(
        [path, options, table = m_table, interposer = m_interposer](RecordStore &store) {
            Importer importer(interposed(interposer, store), table);
            return Result<ImportReport>(importer.run(path, options));
        },
        this, [this](Result<ImportReport> result) { finish(std::move(result)); });
}

void ImportDialog::showProgress()
{
    if (!isRunning())
        return;
    const qint64 bytes = m_run.bytes();
    const qint64 total = m_run.total();
    m_run.showFraction(bytes, total);
    const QLocale locale;
    QString text = tr("%1 read").arg(Looks::records(m_run.records()));
    if (total > 0)
        text +=
            QStringLiteral(" · ") +
            tr("%1 of %2").arg(locale.formattedDataSize(bytes), locale.formattedDataSize(total));
    m_status->setText(m_run.withCancelNote(text));
}

void ImportDialog::showUndoProgress()
{
    if (!m_undoing)
        return;
    m_status->setText(
        tr("Deleting the records the import wrote: %1 of %2…")
            .arg(Looks::number(m_undoRun.records()), Looks::number(m_undoRun.total())));
    m_undoRun.showFraction(m_undoRun.records(), m_undoRun.total());
}

void ImportDialog::cancel()
{
    if (!m_run.cancel())
        return;
    m_status->setText(m_transactions
                          ? tr("Cancelling: the import stops before its next record and the "
                               "table is left as it was…")
                          : tr("Cancelling: the import stops before its next record; records "
                               "already written will be listed…"));
    updateControls();
}

void ImportDialog::reject()
{
    if (isRunning()) {
        cancel();
        m_run.closeWhenDone();
        return;
    }
    QDialog::reject();
}

void ImportDialog::finish(Result<ImportReport> result)
{
    m_run.end();
    if (!result) {
        // The import never ran (no store is open): nothing can have been written.
        m_report.reset();
        m_status->hide();
        m_messages->showMessage(tr("The import could not start: %1. Nothing was written.")
                                    .arg(result.error().toString()),
                                MessageBar::Kind::Error);
        updateControls();
        emit importFinished();
        if (m_run.closesWhenDone())
            QDialog::reject();
        return;
    }
    m_report = std::move(*result);
    showReport();
    updateControls();
    const bool wrote = m_report->written > 0 || m_report->leftWrites();
    if (wrote)
        emit tableChanged(m_table);
    emit importFinished();
    // Records left written by an import that was not one transaction stay on screen to be
    // undone.
    if (m_run.closesWhenDone() && !m_report->leftWrites())
        QDialog::reject();
}

void ImportDialog::showReport()
{
    const ImportReport &r = *m_report;
    m_messages->showMessage(capitalized(r.summary()), outcomeKind(r));

    QStringList parts;
    parts << tr("%1 read").arg(Looks::records(r.records));
    if (r.wroteRecords() || r.leftWrites()) {
        const qint64 written = r.wroteRecords() ? r.written : qint64(r.writtenKeys.size());
        QString w = tr("%1 written").arg(Looks::number(written));
        if (!r.uncertainWrites.empty())
            w += tr(" (%1 more maybe)").arg(Looks::number(qint64(r.uncertainWrites.size())));
        if (r.replaced > 0)
            w += tr(" (%1 replaced)").arg(Looks::number(r.replaced));
        parts << w;
    } else {
        parts << tr("nothing written");
    }
    if (r.skippedExisting > 0)
        parts << tr("%1 skipped as existing").arg(Looks::number(r.skippedExisting));
    if (r.rejected > 0)
        parts << tr("%1 rejected").arg(Looks::number(r.rejected));
    // The summary above names the files; this line has the figures.
    m_status->setText(
        tr("%1: %2.").arg(TransferRun::formatName(r.format), parts.join(QStringLiteral(", "))));

    // Short lines in the list (the file's name; the summary has its path); the saved report
    // has the full lines.
    const QString name = QFileInfo(r.file).fileName();
    m_problems->setUpdatesEnabled(false);
    m_problems->clear();
    for (const ImportProblem &p : r.problems) {
        auto *item = new QListWidgetItem(p.toString(name), m_problems);
        item->setToolTip(p.toString(r.file));
    }
    if (r.problemCount > qint64(r.problems.size()))
        new QListWidgetItem(tr("… and %1 more problems (only the first %2 are kept)")
                                .arg(Looks::number(r.problemCount - qint64(r.problems.size())),
                                     Looks::number(qint64(r.problems.size()))),
                            m_problems);
    m_problems->setUpdatesEnabled(true);
    m_problemBox->setTitle(r.problemCount == 1
                               ? tr("1 problem")
                               : tr("%1 problems").arg(Looks::number(r.problemCount)));
    m_problemBox->setVisible(m_problems->count() > 0);

    m_written->clear();
    if (r.leftWrites()) {
        QSet<QByteArray> replaced;
        for (const Value &k : r.replacedKeys)
            replaced.insert(JsonCodec::toPlain(k));
        for (const Value &k : r.writtenKeys) {
            const bool wasReplaced = replaced.contains(JsonCodec::toPlain(k));
            auto *item = new QListWidgetItem(
                wasReplaced ? tr("%1 (replaced an existing record)").arg(keyText(k)) : keyText(k),
                m_written);
            item->setData(Qt::UserRole, wasReplaced);
        }
        qint64 uncertainNew = 0;
        for (const ImportReport::UncertainWrite &u : r.uncertainWrites) {
            auto *item = new QListWidgetItem(
                u.existed ? tr("%1 (may have replaced an existing record: the connection was lost "
                               "while it was being written)")
                                .arg(keyText(u.key))
                          : tr("%1 (may have been written: the connection was lost while it was "
                               "being written)")
                                .arg(keyText(u.key)),
                m_written);
            item->setData(Qt::UserRole, u.existed);
            item->setData(Qt::UserRole + 1, JsonCodec::toPlain(u.key));
            if (!u.existed)
                ++uncertainNew;
        }
        const qint64 left = qint64(r.writtenKeys.size() + r.uncertainWrites.size());
        const qint64 newOnes = qint64(r.writtenKeys.size()) - qint64(replaced.size());
        QString note = tr("The import was not one transaction, so these %1 stay in %2. “Undo "
                          "These Writes” deletes the %3 that were new.")
                           .arg(Looks::records(left), m_table, Looks::number(newOnes));
        if (uncertainNew > 0)
            note += QLatin1Char(' ') +
                    tr("Of those that may have been written, it deletes the ones the table holds "
                       "exactly as the file has them.");
        if (!replaced.isEmpty())
            note += QLatin1Char(' ') +
                    (replaced.size() == 1
                         ? tr("The record that replaced an existing one keeps the file's version: "
                              "the previous version was not kept.")
                         : tr("The %1 records that replaced existing ones keep the file's "
                              "version: the previous versions were not kept.")
                               .arg(Looks::number(replaced.size())));
        m_writtenNote->setText(note);
        m_undo->setVisible(newOnes + uncertainNew > 0);
        m_writtenBox->setTitle(tr("Records left written (%1)").arg(Looks::number(left)));
    }
    m_writtenBox->setVisible(r.leftWrites());

    // Make room for the lists that appeared.
    m_problems->updateGeometry();
    m_written->updateGeometry();
    layout()->invalidate();
    const QSize hint = sizeHint();
    if (height() < hint.height() || width() < hint.width())
        resize(qMax(width(), hint.width()), qMax(height(), hint.height()));
}

void ImportDialog::undoWrites()
{
    if (isRunning() || m_undoing || !m_report || !m_report->leftWrites())
        return;
    QSet<QByteArray> replaced;
    for (const Value &k : m_report->replacedKeys)
        replaced.insert(JsonCodec::toPlain(k));
    std::vector<Value> keys;
    for (const Value &k : m_report->writtenKeys) {
        if (!replaced.contains(JsonCodec::toPlain(k)))
            keys.push_back(k);
    }
    // Writes that may have happened: deleted only where the table holds the file's record.
    std::vector<std::pair<Value, Value>> maybe;
    for (const ImportReport::UncertainWrite &u : m_report->uncertainWrites) {
        if (u.existed)
            continue;
        if (auto record = JsonCodec::parseStored(u.stored))
            maybe.emplace_back(u.key, std::move(*record));
    }
    if (keys.empty() && maybe.empty())
        return;
    m_undoing = true;
    m_messages->dismiss();
    const QString figures = m_status->text();
    const qint64 total = qint64(keys.size() + maybe.size());
    m_status->setText(tr("Deleting %1…").arg(Looks::records(total)));
    m_undoRun.begin(total);
    // The deletes go one by one (a DynamoDB table takes a while): the bar counts them.
    auto progress = m_undoRun.progressReporter(m_runner);
    updateControls();

    struct Undone
    {
        qint64 deleted = 0;
        QStringList failures;
        QSet<QByteArray> maybeDeleted; ///< keys (plain JSON) of maybe-written records deleted
    };
    m_runner->call(
        [keys = std::move(keys), maybe = std::move(maybe), table = m_table, total, progress,
         interposer = m_interposer](RecordStore &store) -> Result<Undone> {
            RecordStore &s = interposed(interposer, store);
            Undone undone;
            qint64 done = 0;
            auto tick = [&] {
                ++done;
                progress(TransferProgress{done, undone.deleted, 0, total});
            };
            auto failed = [&](const Value &key, const Error &e) {
                undone.failures << QStringLiteral("%1: %2").arg(keyText(key), e.toString());
            };
            for (const Value &key : keys) {
                auto deleted = s.deleteRecord(table, key);
                if (!deleted)
                    failed(key, deleted.error());
                else if (*deleted)
                    ++undone.deleted;
                tick();
            }
            for (const auto &[key, record] : maybe) {
                auto tickAfter = qScopeGuard(tick);
                auto current = s.getRecord(table, key);
                if (!current) {
                    failed(key, current.error());
                    continue;
                }
                if (!current->has_value() || !(**current == record))
                    continue; // never written, or not the file's record: left alone
                auto deleted = s.deleteRecord(table, key);
                if (!deleted) {
                    failed(key, deleted.error());
                } else if (*deleted) {
                    ++undone.deleted;
                    undone.maybeDeleted.insert(JsonCodec::toPlain(key));
                }
            }
            return undone;
        },
        this,
        [this, figures](Result<Undone> undone) {
            m_undoing = false;
            m_undoRun.end();
            if (!undone) {
                m_messages->showMessage(tr("Nothing was undone: %1").arg(undone.error().toString()),
                                        MessageBar::Kind::Error);
            } else if (!undone->failures.isEmpty()) {
                QStringList shown = undone->failures.mid(0, 5);
                if (undone->failures.size() > shown.size())
                    shown << tr("… and %1 more")
                                 .arg(Looks::number(undone->failures.size() - shown.size()));
                m_messages->showMessage(tr("Deleted %1; %2 could not be deleted: %3")
                                            .arg(Looks::records(undone->deleted),
                                                 Looks::number(undone->failures.size()),
                                                 shown.join(QStringLiteral("; "))),
                                        MessageBar::Kind::Error);
            } else {
                showUndone(undone->deleted, undone->maybeDeleted);
            }
            m_status->setText(figures);
            updateControls();
            if (undone && undone->deleted > 0)
                emit tableChanged(m_table);
            emit undoFinished();
        });
}

/// After an undo that deleted everything it tried: the message, and each written record
/// marked deleted again (or kept, or left alone).
void ImportDialog::showUndone(qint64 deleted, const QSet<QByteArray> &maybeDeleted)
{
    m_messages->showMessage(tr("Undone: the %1 the import had written were deleted from %2.")
                                .arg(Looks::records(deleted), m_table),
                            MessageBar::Kind::Information);
    m_undo->setVisible(false);
    int kept = 0;
    for (int i = 0; i < m_written->count(); ++i) {
        QListWidgetItem *item = m_written->item(i);
        if (item->data(Qt::UserRole).toBool()) {
            ++kept;
            continue;
        }
        const QVariant maybeKey = item->data(Qt::UserRole + 1);
        if (maybeKey.isValid()) {
            item->setText(maybeDeleted.contains(maybeKey.toByteArray())
                              ? tr("%1 (it had been written: deleted again)")
                                    .arg(keyText(*JsonCodec::parsePlain(maybeKey.toByteArray())))
                              : tr("%1 (not in the table as the file has it: left "
                                   "alone)")
                                    .arg(keyText(*JsonCodec::parsePlain(maybeKey.toByteArray()))));
            item->setForeground(palette().color(QPalette::Disabled, QPalette::Text));
            continue;
        }
        item->setText(tr("%1 (deleted again)").arg(item->text()));
        item->setForeground(palette().color(QPalette::Disabled, QPalette::Text));
    }
    m_writtenBox->setTitle(
        tr("Records the import wrote (%1)").arg(Looks::number(m_written->count())));
    QString note = tr("The new records were deleted again.");
    if (kept > 0)
        note += QLatin1Char(' ') + (kept == 1
                                        ? tr("The record that replaced an existing one keeps the "
                                             "file's version.")
                                        : tr("The %1 records that replaced existing ones keep the "
                                             "file's version.")
                                              .arg(kept));
    m_writtenNote->setText(note);
}

QString ImportDialog::reportText() const
{
    if (!m_report)
        return {};
    const ImportReport &r = *m_report;
    QStringList lines;
    lines << capitalized(r.summary());
    lines << m_status->text();
    const QStringList problems = r.problemLines();
    if (!problems.isEmpty()) {
        lines << QString() << tr("Problems:");
        lines += problems;
    }
    if (!r.writtenKeys.empty()) {
        lines << QString() << tr("Keys written (the import was not one transaction):");
        for (const Value &k : r.writtenKeys)
            lines << QString::fromUtf8(JsonCodec::toPlain(k));
    }
    if (!r.uncertainWrites.empty()) {
        lines << QString()
              << tr("Keys that may have been written (the connection was lost while they were "
                    "being written):");
        for (const ImportReport::UncertainWrite &u : r.uncertainWrites)
            lines << QString::fromUtf8(JsonCodec::toPlain(u.key));
    }
    return lines.join(u'\n') + u'\n';
}

void ImportDialog::saveReport()
{
    if (!m_report)
        return;
    QString path = m_reportFileName;
    if (path.isEmpty()) {
        const QFileInfo input(m_report->file);
        path = QFileDialog::getSaveFileName(
            this, tr("Save the import report"),
            input.absoluteDir().filePath(input.completeBaseName() + QStringLiteral(".report.txt")),
            tr("Text (*.txt);;All files (*)"));
        if (path.isEmpty())
            return;
    }
    QSaveFile out(path);
    const QByteArray text = reportText().toUtf8();
    if (!out.open(QIODevice::WriteOnly) || out.write(text) != text.size() || !out.commit()) {
        m_messages->showMessage(tr("The report was not saved: %1: %2")
                                    .arg(QDir::toNativeSeparators(path), out.errorString()),
                                MessageBar::Kind::Error);
        return;
    }
    // The outcome stays in view; the note about the saved report follows it.
    m_messages->showMessage(
        capitalized(m_report->summary()) + QLatin1Char(' ') +
            tr("The report was saved to %1.").arg(QDir::toNativeSeparators(path)),
        outcomeKind(*m_report));
    emit reportSaved(path);
}

void ImportDialog::copyProblems()
{
    QList<QListWidgetItem *> items = m_problems->selectedItems();
    if (items.isEmpty()) {
        for (int i = 0; i < m_problems->count(); ++i)
            items << m_problems->item(i);
    } else {
        std::sort(items.begin(), items.end(), [this](QListWidgetItem *a, QListWidgetItem *b) {
            return m_problems->row(a) < m_problems->row(b);
        });
    }
    QStringList lines;
    for (QListWidgetItem *item : items)
        lines << item->text();
    QGuiApplication::clipboard()->setText(lines.join(u'\n'));
}
