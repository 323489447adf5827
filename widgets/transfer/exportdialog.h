#pragma once

#include "model/core/value.h"
#include "model/store/recordstore.h"
#include "model/store/storeinterposer.h"
#include "model/transfer/exporter.h"
#include "model/transfer/transferformat.h"
#include "widgets/transfer/transferrun.h"

#include <QDialog>

#include <vector>

class MessageBar;
class QComboBox;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QVBoxLayout;
class StoreRunner;

/// Exports records of a table to a file (issue 7): the selected records, the records the grid's
/// filter shows or the whole table, in one of the four transfer formats; a run on the store
/// thread with progress and Cancel (a cancelled or failed export leaves no file, and an
/// existing file is replaced only when the export succeeds); then the result in place.
class ExportDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Scope { Selected, Filtered, Table };

    /// `selectedKeys`: the grid's selected record keys (may be empty: the Selected choice is then
    /// disabled); `filter`: the grid's current filter/sort (conditions, text, sortPath...);
    /// `filteredCount`: rows the filter shows (-1 unknown); `filterActive`: false disables the
    /// Filtered choice. The first choice is the selection when it has several records, else the
    /// filter when it is active, else the whole table.
    ExportDialog(StoreRunner *runner, QString table, std::vector<Value> selectedKeys,
                 ScanRequest filter, qint64 filteredCount, bool filterActive,
                 QWidget *parent = nullptr);
    ~ExportDialog() override;

    void setScope(Scope scope);
    Scope scope() const;
    /// Also gives the file name the format's extension when it has one of the known ones.
    void setFormat(TransferFormat format);
    TransferFormat format() const;
    void setFile(const QString &path);
    QString file() const;

    /// Starts the export (what the Export button does).
    void start();
    bool isRunning() const { return m_run.isRunning(); }

    /// Test hook: every store access goes through the interposer on the store thread.
    void setStoreInterposer(StoreInterposer interposer) { m_interposer = std::move(interposer); }

public slots:
    /// Idle: closes. Running: cancels, and closes once the export has stopped.
    void reject() override;
    /// Stops a running export; no file is left behind.
    void cancel();
    /// Picks the output file with a file dialog.
    void browse();

signals:
    void exported(const QString &path, qint64 records);
    /// An export ended: written, cancelled or failed (the message bar says which).
    void exportFinished();

private:
    struct Outcome;
    QVBoxLayout *createScopeBox();
    QHBoxLayout *createFormatAndFile();
    void layOut(QVBoxLayout *scopeBox, QHBoxLayout *fileRow);
    void fileEdited();
    void formatChosen();
    void showProgress();
    void finish(Result<Outcome> result, const QString &path, bool existed);
    void updateControls();
    void setTableCount(qint64 count);

    StoreRunner *m_runner;
    QString m_table;
    std::vector<Value> m_selectedKeys;
    ScanRequest m_filter;
    qint64 m_filteredCount;
    qint64 m_tableCount = -1;
    bool m_filterActive;
    StoreInterposer m_interposer;
    TransferRun m_run;
    QString m_confirmedPath; ///< chosen in the file dialog, which already asked about replacing
    bool m_hasRun = false;

    QLabel *m_intro;
    QRadioButton *m_selected;
    QRadioButton *m_filtered;
    QRadioButton *m_whole;
    QComboBox *m_format;
    QLineEdit *m_file;
    QPushButton *m_browse;
    MessageBar *m_messages;
    QProgressBar *m_progress;
    QLabel *m_status;
    QPushButton *m_export;
    QPushButton *m_cancel;
};
