#include "widgets/transfer/exportdialog.h"

#include "model/store/open/storerunner.h"
#include "widgets/common/messagebar.h"
#include "widgets/common/notifier.h"
#include "widgets/transfer/importdialog.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace {

/// The file name ending a format gets. DynamoDB JSON files are .json, as AWS writes them; the
/// ".dynamodb" before it tells them from plain JSON arrays at a glance.
QString suffixOf(TransferFormat format)
{
    return format == TransferFormat::DynamoDbJson ? QStringLiteral(".dynamodb.json")
                                                  : transferFormatExtension(format);
}

/// The known ending of a file name (longest first), or an empty string.
QString knownSuffix(const QString &path)
{
    for (const char *suffix :
         {".dynamodb.json", ".dynamodb.jsonl", ".jsonl", ".ndjson", ".json", ".csv"}) {
        if (path.endsWith(QLatin1String(suffix), Qt::CaseInsensitive))
            return QString::fromLatin1(suffix);
    }
    return {};
}

/// The format a file name says, when it says one.
std::optional<TransferFormat> formatOfName(const QString &path, TransferFormat current)
{
    const QString suffix = knownSuffix(path).toLower();
    if (suffix.startsWith(QLatin1String(".dynamodb")))
        return TransferFormat::DynamoDbJson;
    if (suffix == QLatin1String(".jsonl") || suffix == QLatin1String(".ndjson"))
        return TransferFormat::JsonLines;
    if (suffix == QLatin1String(".csv"))
        return TransferFormat::Csv;
    if (suffix == QLatin1String(".json"))
        // Both JSON kinds are .json files: keep the one chosen.
        return current == TransferFormat::DynamoDbJson ? current : TransferFormat::JsonArray;
    return std::nullopt;
}

QString filterWords(const ScanRequest &filter)
{
    QStringList parts;
    if (!filter.conditions.empty())
        parts << (filter.conditions.size() == 1
                      ? QObject::tr("1 condition")
                      : QObject::tr("%1 conditions").arg(filter.conditions.size()));
    if (!filter.text.isEmpty())
        parts << QObject::tr("the text “%1”").arg(filter.text);
    QString words = parts.join(QObject::tr(" and "));
    if (!filter.sortPath.isEmpty())
        words += (words.isEmpty() ? QString() : QStringLiteral(", ")) +
                 QObject::tr("sorted by %1%2")
                     .arg(filter.sortPath.join(u'.'),
                          filter.descending ? QObject::tr(" (descending)") : QString());
    return words;
}

} // namespace

struct ExportDialog::Outcome
{
    ExportReport report;
    qint64 missing = 0; ///< selected records that no longer exist
};

ExportDialog::ExportDialog(StoreRunner *runner, QString table, std::vector<Value> selectedKeys,
                           ScanRequest filter, qint64 filteredCount, bool filterActive,
                           QWidget *parent)
    : QDialog(parent), m_runner(runner), m_table(std::move(table)),
      m_selectedKeys(std::move(selectedKeys)), m_filter(std::move(filter)),
      m_filteredCount(filteredCount), m_filterActive(filterActive),
      m_run(this, [this] { showProgress(); }), m_intro(new QLabel(this)),
      m_selected(new QRadioButton(this)), m_filtered(new QRadioButton(this)),
      m_whole(new QRadioButton(this)), m_format(new QComboBox(this)), m_file(new QLineEdit(this)),
      m_browse(new QPushButton(tr("Browse…"), this)), m_messages(new MessageBar(this)),
      m_progress(new QProgressBar(this)), m_status(new QLabel(this)),
      m_export(new QPushButton(tr("Export"), this)), m_cancel(new QPushButton(tr("Cancel"), this))
{
    Q_ASSERT(m_runner);
    setObjectName(QStringLiteral("exportDialog"));
    setWindowTitle(tr("Export from %1").arg(m_table));
    // The cursor and page size of the grid's view mean nothing here.
    m_filter.cursor.clear();

    m_intro->setObjectName(QStringLiteral("exportIntro"));
    m_intro->setWordWrap(true);
    m_intro->setText(
        tr("Writes records of table <b>%1</b> to a file.").arg(m_table.toHtmlEscaped()));

    QVBoxLayout *scopeBox = createScopeBox();
    QHBoxLayout *fileRow = createFormatAndFile();
    layOut(scopeBox, fileRow);

    connect(m_browse, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(m_file, &QLineEdit::textEdited, this, &ExportDialog::fileEdited);
    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportDialog::formatChosen);
    connect(m_export, &QPushButton::clicked, this, &ExportDialog::start);
    // Cancel stops a run and keeps the dialog to show what happened; idle, it closes.
    connect(m_cancel, &QPushButton::clicked, this, [this] { isRunning() ? cancel() : reject(); });

    // The whole table's size, where the store can count it exactly and cheaply.
    m_runner->call(
        [table = m_table, interposer = m_interposer](RecordStore &store) -> Result<qint64> {
            RecordStore &s = interposed(interposer, store);
            if (!s.capabilities().exactCount)
                return qint64(-1);
            return s.count(table);
        },
        this,
        [this](Result<qint64> count) {
            if (count)
                setTableCount(*count);
        });

    updateControls();
    resize(qMax(sizeHint().width(), 620), sizeHint().height());
}

/// Which records: the selected ones, the filtered ones or the whole table (the likely one checked).
QVBoxLayout *ExportDialog::createScopeBox()
{
    const qint64 selected = qint64(m_selectedKeys.size());
    m_selected->setObjectName(QStringLiteral("selectedScope"));
    m_selected->setText(tr("Selected records (%1)").arg(Looks::number(selected)));
    m_selected->setEnabled(selected > 0);
    if (selected == 0)
        m_selected->setToolTip(tr("Select records in the grid to export only them."));
    m_filtered->setObjectName(QStringLiteral("filteredScope"));
    m_filtered->setText(m_filteredCount >= 0
                            ? tr("Filtered records (%1)").arg(Looks::number(m_filteredCount))
                            : tr("Filtered records"));
    m_filtered->setEnabled(m_filterActive);
    m_filtered->setToolTip(m_filterActive
                               ? tr("The records the grid shows: %1.").arg(filterWords(m_filter))
                               : tr("No filter is active in the grid."));
    m_whole->setObjectName(QStringLiteral("tableScope"));
    m_whole->setText(tr("Whole table"));
    auto *scopes = new QButtonGroup(this);
    scopes->addButton(m_selected);
    scopes->addButton(m_filtered);
    scopes->addButton(m_whole);
    auto *scopeBox = new QVBoxLayout;
    scopeBox->setContentsMargins(0, 0, 0, 0);
    scopeBox->addWidget(m_selected);
    scopeBox->addWidget(m_filtered);
    scopeBox->addWidget(m_whole);
    // One selected row is usually just the cursor: it is the first choice only for several.
    if (selected > 1)
        m_selected->setChecked(true);
    else if (m_filterActive)
        m_filtered->setChecked(true);
    else
        m_whole->setChecked(true);
    return scopeBox;
}

/// The format, and the file (named after the table, in the documents folder).
QHBoxLayout *ExportDialog::createFormatAndFile()
{
    m_format->setObjectName(QStringLiteral("exportFormatCombo"));
    for (TransferFormat f : {TransferFormat::JsonLines, TransferFormat::JsonArray,
                             TransferFormat::DynamoDbJson, TransferFormat::Csv})
        m_format->addItem(TransferRun::formatLabel(f), int(f));
    m_format->setItemData(0, tr("One JSON object per line; sets are arrays, binary is base64"),
                          Qt::ToolTipRole);
    m_format->setItemData(1, tr("One JSON array of objects; sets are arrays, binary is base64"),
                          Qt::ToolTipRole);
    m_format->setItemData(2, tr("One {\"Item\": …} per line, every value with its DynamoDB type"),
                          Qt::ToolTipRole);
    m_format->setItemData(3, tr("A header row, then one record per row; nested values as JSON"),
                          Qt::ToolTipRole);

    m_file->setObjectName(QStringLiteral("exportFileEdit"));
    m_file->setPlaceholderText(tr("the file to write"));
    m_file->setClearButtonEnabled(true);
    m_browse->setObjectName(QStringLiteral("exportBrowseButton"));
    m_browse->setAutoDefault(false);
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(m_browse);
    QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (dir.isEmpty())
        dir = QDir::homePath();
    m_file->setText(QDir::toNativeSeparators(
        QDir(dir).filePath(m_table + suffixOf(TransferFormat::JsonLines))));
    return fileRow;
}

/// The options form, the messages and progress, the buttons: the dialog from top to bottom.
void ExportDialog::layOut(QVBoxLayout *scopeBox, QHBoxLayout *fileRow)
{
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Records:"), scopeBox);
    form->addRow(tr("Format:"), m_format);
    form->addRow(tr("File:"), fileRow);

    m_messages->setObjectName(QStringLiteral("exportMessages"));
    m_progress->setObjectName(QStringLiteral("exportProgress"));
    m_progress->setVisible(false);
    m_run.setProgressBar(m_progress);
    m_status->setObjectName(QStringLiteral("exportStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->hide(); // shown while an export runs

    m_export->setObjectName(QStringLiteral("exportButton"));
    m_export->setDefault(true);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_cancel->setAutoDefault(false);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_export);
    buttons->addWidget(m_cancel);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addLayout(form);
    layout->addWidget(m_messages);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addStretch(1);
    layout->addLayout(buttons);
}

// A running export stops at its next record and leaves no file (the run cancels).
ExportDialog::~ExportDialog() = default;

void ExportDialog::setTableCount(qint64 count)
{
    m_tableCount = count;
    m_whole->setText(count >= 0 ? tr("Whole table (%1)").arg(Looks::records(count))
                                : tr("Whole table"));
}

void ExportDialog::setScope(Scope scope)
{
    switch (scope) {
    case Scope::Selected:
        m_selected->setChecked(true);
        break;
    case Scope::Filtered:
        m_filtered->setChecked(true);
        break;
    case Scope::Table:
        m_whole->setChecked(true);
        break;
    }
}

ExportDialog::Scope ExportDialog::scope() const
{
    if (m_selected->isChecked())
        return Scope::Selected;
    if (m_filtered->isChecked())
        return Scope::Filtered;
    return Scope::Table;
}

void ExportDialog::setFormat(TransferFormat format)
{
    m_format->setCurrentIndex(m_format->findData(int(format)));
}

TransferFormat ExportDialog::format() const
{
    return TransferFormat(m_format->currentData().toInt());
}

void ExportDialog::setFile(const QString &path)
{
    m_file->setText(QDir::toNativeSeparators(path));
    fileEdited();
}

QString ExportDialog::file() const
{
    return QDir::fromNativeSeparators(m_file->text().trimmed());
}

void ExportDialog::formatChosen()
{
    // The file name follows the format, unless it has an ending of its own.
    const QString path = file();
    const QString suffix = knownSuffix(path);
    if (suffix.isEmpty())
        return;
    const QString renamed = path.chopped(suffix.size()) + suffixOf(format());
    if (renamed != path)
        m_file->setText(QDir::toNativeSeparators(renamed));
}

void ExportDialog::fileEdited()
{
    // A typed ending chooses the format ("x.csv" → CSV).
    if (const auto f = formatOfName(file(), format()); f && *f != format()) {
        const QSignalBlocker blocker(m_format);
        setFormat(*f);
    }
}

void ExportDialog::browse()
{
    const TransferFormat f = format();
    const QString filter =
        tr("%1 (*%2);;All files (*)").arg(TransferRun::formatLabel(f), suffixOf(f));
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export from %1").arg(m_table), file(), filter);
    if (path.isEmpty())
        return;
    m_confirmedPath = path;
    setFile(path);
}

void ExportDialog::updateControls()
{
    const bool idle = !isRunning();
    m_selected->setEnabled(idle && !m_selectedKeys.empty());
    m_filtered->setEnabled(idle && m_filterActive);
    m_whole->setEnabled(idle);
    m_format->setEnabled(idle);
    m_file->setEnabled(idle);
    m_browse->setEnabled(idle);
    m_export->setEnabled(idle);
    m_run.updateCancelButton(m_cancel, m_hasRun, tr("Stops the export; no file is left behind."));
}

void ExportDialog::start()
{
    if (isRunning())
        return;
    const QString path = file();
    if (path.isEmpty()) {
        m_messages->showMessage(tr("Choose the file to write."), MessageBar::Kind::Error);
        m_file->setFocus();
        return;
    }
    const QFileInfo info(path);
    if (info.isDir()) {
        m_messages->showMessage(
            tr("%1 is a folder: add a file name.").arg(QDir::toNativeSeparators(path)),
            MessageBar::Kind::Error);
        m_file->setFocus();
        return;
    }
    const bool existed = info.exists();
    if (existed && path != m_confirmedPath &&
        !Notifier::instance().ask(this, tr("Replace the file?"),
                                  tr("%1 already exists. Replace it? It is replaced only when the "
                                     "export succeeds.")
                                      .arg(QDir::toNativeSeparators(path))))
        return;

    const Scope chosen = scope();
    // What the exporter cannot know up front (a filter's matches) the grid told us.
    m_run.begin(chosen == Scope::Selected   ? qint64(m_selectedKeys.size())
                : chosen == Scope::Filtered ? m_filteredCount
                                            : m_tableCount);
    ExportOptions options;
    options.format = format();
    options.cancelled = m_run.cancelCheck();
    options.progress = m_run.progressReporter(m_runner);
    m_hasRun = true;
    m_messages->dismiss();
    m_status->setText(tr("Exporting to %1…").arg(QDir::toNativeSeparators(path)));
    m_status->show();
    updateControls();

    std::optional<std::vector<Value>> keys;
    if (chosen == Scope::Selected)
        keys = m_selectedKeys;
    const ScanRequest request = chosen == Scope::Filtered ? m_filter : ScanRequest{};
    m_runner->call(
        [path, options, keys = std::move(keys), request, table = m_table,
         interposer = m_interposer](RecordStore &store) -> Result<Outcome> {
            RecordStore &s = interposed(interposer, store);
            Exporter exporter(s, table);
            Outcome outcome;
            if (!keys) {
                auto report = exporter.exportScan(request, path, options);
                if (!report)
                    return report.error();
                outcome.report = std::move(*report);
                return outcome;
            }
            // The selection: the records as stored now (getRecord does not validate, so
            // invalid records are exported as they are).
            std::vector<Value> records;
            records.reserve(keys->size());
            for (const Value &key : *keys) {
                if (options.cancelled()) {
                    outcome.report.cancelled = true;
                    return outcome;
                }
                auto record = s.getRecord(table, key);
                if (!record)
                    return record.error();
                if (record->has_value())
                    records.push_back(std::move(**record));
                else
                    ++outcome.missing;
            }
            auto report = exporter.exportRecords(records, path, options);
            if (!report)
                return report.error();
            outcome.report = std::move(*report);
            return outcome;
        },
        this,
        [this, path, existed](Result<Outcome> result) {
            finish(std::move(result), path, existed);
        });
}

void ExportDialog::showProgress()
{
    if (!isRunning())
        return;
    const qint64 done = m_run.records();
    const qint64 total = m_run.total();
    m_run.showFraction(done, total);
    m_status->setText(m_run.withCancelNote(
        total > 0 ? tr("%1 of %2 written…").arg(Looks::number(done), Looks::records(total))
                  : tr("%1 written…").arg(Looks::records(done))));
}

void ExportDialog::cancel()
{
    if (!m_run.cancel())
        return;
    m_status->setText(tr("Cancelling: the file being written is thrown away…"));
    updateControls();
}

void ExportDialog::reject()
{
    if (isRunning()) {
        cancel();
        m_run.closeWhenDone();
        return;
    }
    QDialog::reject();
}

void ExportDialog::finish(Result<Outcome> result, const QString &path, bool existed)
{
    m_run.end();
    const QString shown = QDir::toNativeSeparators(path);
    const QString leftAsItWas =
        existed ? tr("%1 was left as it was.").arg(shown) : tr("No file was written.");
    if (!result) {
        m_status->hide();
        m_messages->showMessage(
            tr("The export failed: %1. %2").arg(result.error().toString(), leftAsItWas),
            MessageBar::Kind::Error);
    } else if (result->report.cancelled) {
        m_status->hide();
        m_messages->showMessage(tr("The export was cancelled. %1").arg(leftAsItWas),
                                MessageBar::Kind::Warning);
    } else {
        const qint64 records = result->report.records;
        QString text = tr("Exported %1 to %2.").arg(Looks::records(records), shown);
        if (result->missing > 0)
            text +=
                QLatin1Char(' ') +
                (result->missing == 1 ? tr("1 selected record no longer exists and was left out.")
                                      : tr("%1 selected records no longer exist and were left out.")
                                            .arg(Looks::number(result->missing)));
        // Stored records that cannot be read were skipped: say which, and that it is not done.
        const ExportReport &report = result->report;
        if (report.unreadable > 0) {
            QStringList keys;
            for (const UnreadableRecord &bad : report.unreadableRecords)
                keys << u'"' + bad.key + u'"';
            if (report.unreadable > qint64(keys.size()))
                keys << tr("…");
            text += QLatin1Char(' ') +
                    (report.unreadable == 1
                         ? tr("1 stored record cannot be read and was skipped: %1.")
                         : tr("%1 stored records cannot be read and were skipped: %2.")
                               .arg(Looks::number(report.unreadable)))
                        .arg(keys.join(QStringLiteral(", ")));
        }
        m_messages->showMessage(text, report.unreadable > 0 ? MessageBar::Kind::Warning
                                                            : MessageBar::Kind::Information);
        m_status->hide();
        m_confirmedPath.clear();
        emit exported(path, records);
    }
    updateControls();
    emit exportFinished();
    if (m_run.closesWhenDone())
        QDialog::reject();
}
