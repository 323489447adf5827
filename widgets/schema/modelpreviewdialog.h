#pragma once

#include "model/analysis/modelinferencejob.h"
#include "model/core/result.h"
#include "model/schema/modelinference.h"
#include "model/schema/tablemodel.h"

#include <QDialog>
#include <QSet>
#include <QStringList>

#include <functional>
#include <memory>

class MessageBar;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTimer;
class QTreeWidget;
class QTreeWidgetItem;
class StoreRunner;

/// Infers a table model (from a table's records or from a file), shows it for editing, and saves
/// it to a model file or attaches it to a table.
///
/// The model is shown twice, kept in sync: a tree of field paths (name, types, required, the
/// structure of maps, dicts, lists and sets; types editable with F2 or a double-click, required
/// with the checkbox or Space) and the model file text in the "JSON" tab, validated live with
/// TableModel::fromJson. The text is the one source of truth: a tree edit rewrites the JSON
/// object behind the tree into the text, and every valid text change renders the tree again.
/// Save and Attach stay disabled while the text is not a valid model.
///
/// Inference starts at once (the table on the runner's thread, a file on a thread of its own)
/// with progress and Cancel; closing the dialog cancels it. The workers hold only shared state,
/// never the dialog.
class ModelPreviewDialog : public QDialog
{
    Q_OBJECT

public:
    /// Infers from every record of `table` (on the runner's thread, with progress and Cancel).
    ModelPreviewDialog(StoreRunner *runner, QString table, QWidget *parent = nullptr);
    /// Infers from a file (JSON lines/JSON/DynamoDB JSON/CSV); `runner` (may be null) is the
    /// store a model can be attached to, `table` the suggested table name.
    ModelPreviewDialog(StoreRunner *runner, QString table, QString file, QWidget *parent = nullptr);
    ~ModelPreviewDialog() override;

    /// The model as it is now in the editor (an error while the edited JSON is invalid, or
    /// before inference has produced a model).
    Result<TableModelPtr> editedModel() const;
    /// The model file text in the editor.
    QString modelText() const;
    /// Records the model was inferred from (-1 before the inference finished).
    qint64 recordCount() const { return m_records; }
    /// Notes of the inference (attributes left out of the model).
    const QStringList &notes() const { return m_notes; }
    bool isInferring() const { return m_inferring; }
    /// The table "Attach to Table" attaches to: the dialog's table when inferred from a table,
    /// else the model's "table".
    QString attachTarget() const;

    /// Writes the model file (what "Save As…" does after choosing a path).
    void saveToFile(const QString &path);
    /// Attaches the edited model to the table (RecordStore::setModel on the runner's thread);
    /// asks through the Notifier first when the table already has a model with fields, and
    /// offers to create the table when it does not exist (file inference).
    void attachToTable();

    /// Test hook: called on the worker thread after each page (table) or chunk (file) read.
    void setPageHook(std::function<void(qint64 records)> hook) { m_pageHook = std::move(hook); }

public slots:
    /// Stops the inference at the next page; no model is shown then.
    void cancel();
    /// Cancels a running inference and closes.
    void reject() override;

signals:
    /// Inference finished: the model is shown, or the message bar says why there is none
    /// (then editedModel() is an error).
    void inferred();
    void modelAttached(const QString &table);
    void modelSaved(const QString &path);

private:
    struct Inference;
    using Outcome = ModelInferenceJob::Inferred;
    ModelPreviewDialog(StoreRunner *runner, QString table, QString file, bool fromFile,
                       QWidget *parent);
    void startInference();
    void pollProgress();
    void finishInference(Result<Outcome> outcome);
    void onTextChanged();
    void renderTree();
    void showPlaceholder(const QString &text);
    void addFieldItems(QTreeWidgetItem *parent, const QString &fieldsPointer,
                       const QString &parentPath, QStringList modelsOnPath, int depth);
    QTreeWidgetItem *addFieldItem(QTreeWidgetItem *parent, const QString &name,
                                  const QString &pointer, const QString &path,
                                  const QStringList &modelsOnPath, int depth, bool isItem);
    void onItemChanged(QTreeWidgetItem *item, int column);
    void editTypes(QTreeWidgetItem *item);
    void toggleRequired(QTreeWidgetItem *item);
    void applyDocumentEdit(const std::function<bool(QString &error)> &edit);
    void attach(const QString &target, TableModelPtr model, bool create);
    void chooseSaveFile();
    void updateButtons();
    bool eventFilter(QObject *watched, QEvent *event) override;

    StoreRunner *m_runner;
    QString m_table;
    QString m_file;
    bool m_fromFile;
    std::shared_ptr<Inference> m_inference;
    std::function<void(qint64)> m_pageHook;

    bool m_inferring = false;
    bool m_attaching = false;
    bool m_rendering = false;
    bool m_firstRender = true;
    qint64 m_records = -1;
    QStringList m_notes;
    Result<TableModelPtr> m_model;
    /// The text as parsed JSON (nlohmann::ordered_json), held opaquely to keep it out of the
    /// header; null while the text is not JSON.
    struct Document;
    std::unique_ptr<Document> m_document;
    QSet<QString> m_expanded;
    QString m_currentPath;

    QLabel *m_source;
    MessageBar *m_messages;
    QProgressBar *m_progress;
    QLabel *m_progressText;
    QPushButton *m_cancel;
    QTabWidget *m_tabs;
    QTreeWidget *m_tree;
    QPlainTextEdit *m_editor;
    QLabel *m_status;
    QLabel *m_notesLabel;
    QPushButton *m_save;
    QPushButton *m_attach;
    QPushButton *m_close;
    QTimer *m_poll;
    QTimer *m_render;
};
