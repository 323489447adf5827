#pragma once

#include "widgets/commands/recordcommands.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;

/// Asks whether to delete (or remove) the records with these keys from a table, through the
/// Notifier (so tests never block): true to go ahead. Then RecordHistory::deleteRecords does it.
bool confirmDeletion(QWidget *parent, const QString &table, const QList<Value> &keys,
                     DeleteMode mode);

/// What Remove took out of the store: the removed records as JSON lines (plain JSON or
/// DynamoDB JSON) to copy or save to a file, and the records that no longer existed.
/// Object names: "removedSummary", "removedRecordsText", "formatChooser", "copyButton",
/// "saveAsButton", "closeButton".
class RemovedRecordsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit RemovedRecordsDialog(const DeletionReport &report, QWidget *parent = nullptr);

    /// One record per line, in the chosen format.
    QByteArray jsonLines() const;
    /// Writes the JSON lines to a file; false and the reason on failure.
    bool saveTo(const QString &path, QString *error = nullptr);
    /// DynamoDB JSON ({"S": ...}) instead of plain JSON: keeps sets and binary without a model.
    void setDynamoFormat(bool dynamo);

public slots:
    void copyToClipboard();
    /// Asks for a file name (QFileDialog) and saves.
    void saveAs();

private:
    void refresh();

    DeletionReport m_report;
    QLabel *m_summary;
    QComboBox *m_format;
    QPlainTextEdit *m_text;
    QLabel *m_status;
};
