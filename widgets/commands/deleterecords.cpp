#include "widgets/commands/deleterecords.h"

#include "model/json/jsoncodec.h"
#include "widgets/common/looks.h"
#include "widgets/common/notifier.h"
#include "widgets/form/fieldeditor.h"

#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QVBoxLayout>

namespace {

QString keyList(const QList<Value> &keys, int named = 5)
{
    QStringList shown;
    for (const Value &k : keys) {
        if (shown.size() == named)
            break;
        shown << k.text();
    }
    QString text = shown.join(QStringLiteral(", "));
    if (keys.size() > named)
        text += QObject::tr(" and %1 more").arg(keys.size() - named);
    return text;
}

} // namespace

bool confirmDeletion(QWidget *parent, const QString &table, const QList<Value> &keys,
                     DeleteMode mode)
{
    if (keys.isEmpty())
        return false;
    const bool remove = mode == DeleteMode::Remove;
    const QString what =
        keys.size() == 1
            ? QObject::tr("the record %1").arg(keys.front().text())
            : QObject::tr("%1 (%2)").arg(
                  Looks::count(keys.size(), QObject::tr("record"), QObject::tr("records")),
                  keyList(keys));
    QString question = remove ? QObject::tr("Remove %1 from %2?").arg(what, table)
                              : QObject::tr("Delete %1 from %2?").arg(what, table);
    question += remove ? QObject::tr(" The removed records are shown afterwards as JSON, to copy "
                                     "or save. Undo (Ctrl+Z) puts them back.")
                       : QObject::tr(" Undo (Ctrl+Z) puts them back.");
    return Notifier::instance().ask(
        parent, remove ? QObject::tr("Remove records") : QObject::tr("Delete records"), question);
}

RemovedRecordsDialog::RemovedRecordsDialog(const DeletionReport &report, QWidget *parent)
    : QDialog(parent), m_report(report), m_summary(new QLabel(this)), m_format(new QComboBox(this)),
      m_text(new QPlainTextEdit(this)), m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("removedRecordsDialog"));
    setWindowTitle(tr("Removed records — %1").arg(report.table));
    resize(720, 480);
    auto *layout = new QVBoxLayout(this);
    m_summary->setObjectName(QStringLiteral("removedSummary"));
    m_summary->setWordWrap(true);
    m_summary->setText(report.summary() +
                       (report.records.isEmpty()
                            ? QString()
                            : tr(" Below, the removed records as JSON lines, one per line.")));
    layout->addWidget(m_summary);

    auto *formatRow = new QHBoxLayout;
    auto *formatLabel = new QLabel(tr("Format:"), this);
    m_format->setObjectName(QStringLiteral("formatChooser"));
    m_format->addItem(tr("JSON lines"));
    m_format->addItem(tr("DynamoDB JSON lines"));
    formatLabel->setBuddy(m_format);
    formatRow->addWidget(formatLabel);
    formatRow->addWidget(m_format);
    formatRow->addStretch(1);
    layout->addLayout(formatRow);

    m_text->setObjectName(QStringLiteral("removedRecordsText"));
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(m_text, 1);

    m_status->setObjectName(QStringLiteral("removedStatus"));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    auto *buttons = new QHBoxLayout;
    auto *copy = new QPushButton(tr("Copy"), this);
    copy->setObjectName(QStringLiteral("copyButton"));
    auto *save = new QPushButton(tr("Save as…"), this);
    save->setObjectName(QStringLiteral("saveAsButton"));
    auto *close = new QPushButton(tr("Close"), this);
    close->setObjectName(QStringLiteral("closeButton"));
    close->setDefault(true);
    copy->setEnabled(!report.records.isEmpty());
    save->setEnabled(!report.records.isEmpty());
    buttons->addWidget(copy);
    buttons->addWidget(save);
    buttons->addStretch(1);
    buttons->addWidget(close);
    layout->addLayout(buttons);
    connect(copy, &QPushButton::clicked, this, &RemovedRecordsDialog::copyToClipboard);
    connect(save, &QPushButton::clicked, this, &RemovedRecordsDialog::saveAs);
    connect(close, &QPushButton::clicked, this, &QDialog::accept);
    connect(m_format, &QComboBox::currentIndexChanged, this, &RemovedRecordsDialog::refresh);
    refresh();
}

QByteArray RemovedRecordsDialog::jsonLines() const
{
    const bool dynamo = m_format->currentIndex() == 1;
    QByteArray out;
    for (const Value &record : m_report.records) {
        out += dynamo ? JsonCodec::toDynamoItem(record) : JsonCodec::toPlain(record);
        out += '\n';
    }
    return out;
}

void RemovedRecordsDialog::setDynamoFormat(bool dynamo)
{
    m_format->setCurrentIndex(dynamo ? 1 : 0);
}

void RemovedRecordsDialog::refresh()
{
    m_text->setPlainText(QString::fromUtf8(jsonLines()));
}

void RemovedRecordsDialog::copyToClipboard()
{
    QGuiApplication::clipboard()->setText(QString::fromUtf8(jsonLines()));
    m_status->setText(tr("Copied %1 to the clipboard.")
                          .arg(Looks::count(m_report.records.size(), tr("record"), tr("records"))));
}

bool RemovedRecordsDialog::saveTo(const QString &path, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(jsonLines()) < 0 || !file.commit()) {
        const QString reason =
            tr("Could not save %1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
        m_status->setText(reason);
        if (error)
            *error = reason;
        return false;
    }
    m_status->setText(tr("Saved %1 to %2.")
                          .arg(Looks::count(m_report.records.size(), tr("record"), tr("records")),
                               QDir::toNativeSeparators(path)));
    return true;
}

void RemovedRecordsDialog::saveAs()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save the removed records"),
        QDir::home().filePath(QStringLiteral("%1-removed.jsonl").arg(m_report.table)),
        tr("JSON lines (*.jsonl *.json);;All files (*)"));
    if (!path.isEmpty())
        saveTo(path);
}
