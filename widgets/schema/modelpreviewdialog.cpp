// The model preview dialog: inferring a table model (from a table or a file) in the background,
// and the field tree and JSON text that edit it. Saving and attaching live in modelpreviewsave.cpp.

#include "widgets/schema/modelpreviewdialog.h"

#include "model/analysis/modelinferencejob.h"
#include "model/schema/modelinference.h"
#include "model/store/open/storerunner.h"
#include "widgets/common/looks.h"
#include "widgets/common/messagebar.h"
#include "widgets/common/notifier.h"

#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QTabWidget>
#include <QTextBlock>
#include <QThread>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

#include <atomic>
#include <mutex>
#include <optional>

namespace {

using Json = nlohmann::ordered_json;

enum Column { NameColumn, TypesColumn, RequiredColumn, StructureColumn };
enum Role {
    PointerRole = Qt::UserRole + 1, ///< JSON pointer of the field object (or items value)
    PathRole,                       ///< field path shown in the tooltip, keys expansion
    IsItemRole,                     ///< the items of a dict, list or set
};

constexpr int kMaxTreeDepth = 40;
constexpr int kExpandAllBelow = 400;

std::string toStd(const QString &s)
{
    const QByteArray utf8 = s.toUtf8();
    return std::string(utf8.constData(), size_t(utf8.size()));
}

QString fromStd(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

QString escapePointer(QString token)
{
    return token.replace(u'~', QStringLiteral("~0")).replace(u'/', QStringLiteral("~1"));
}

QString count(qint64 n, const QString &one, const QString &many)
{
    return (n == 1 ? one : many).arg(QLocale().toString(n));
}

/// The type names of a "type" value (a name or a list of names); "?" for anything else.
QStringList typeNames(const Json &type)
{
    QStringList names;
    if (type.is_string()) {
        names << fromStd(type.get<std::string>());
    } else if (type.is_array()) {
        for (const Json &t : type)
            names << (t.is_string() ? fromStd(t.get<std::string>()) : QStringLiteral("?"));
    } else {
        names << QStringLiteral("?");
    }
    return names;
}

Json typeJson(const QStringList &names)
{
    if (names.size() == 1)
        return Json(toStd(names.front()));
    Json list = Json::array();
    for (const QString &n : names)
        list.push_back(toStd(n));
    return list;
}

const Json *at(const Json &document, const QString &pointer)
{
    try {
        const Json::json_pointer p(toStd(pointer));
        if (!document.contains(p))
            return nullptr;
        return &document.at(p);
    } catch (const std::exception &) {
        return nullptr;
    }
}

/// The line (from 1) of the member a JSON pointer names, found by walking the member names
/// in text order: good enough to point at the place of a model error.
int lineOfPointer(const QString &text, const QString &pointer)
{
    qsizetype pos = 0;
    for (QString token : pointer.split(u'/', Qt::SkipEmptyParts)) {
        token.replace(QStringLiteral("~1"), QStringLiteral("/"))
            .replace(QStringLiteral("~0"), QStringLiteral("~"));
        bool isIndex = false;
        token.toInt(&isIndex);
        if (isIndex)
            continue;
        const QRegularExpression member(u'"' + QRegularExpression::escape(token) +
                                        QStringLiteral("\"\\s*:"));
        const auto match = member.match(text, pos);
        if (!match.hasMatch())
            break;
        pos = match.capturedStart();
    }
    return int(QStringView(text).left(pos).count(u'\n')) + 1;
}

} // namespace

/// What the inference workers share with the dialog; they never touch the dialog itself.
struct ModelPreviewDialog::Inference
{
    std::atomic_bool cancel{false};
    std::atomic<qint64> records{0};
    std::atomic<qint64> total{-1};     ///< records of the table, -1 unknown
    std::atomic<qint64> bytesDone{0};  ///< file inference
    std::atomic<qint64> bytesTotal{0}; ///< file inference
    std::mutex mutex;
    std::optional<Result<Outcome>> result; ///< the file thread's result
};

struct ModelPreviewDialog::Document
{
    Json json;
};

ModelPreviewDialog::ModelPreviewDialog(StoreRunner *runner, QString table, QWidget *parent)
    : ModelPreviewDialog(runner, std::move(table), QString(), false, parent)
{
}

ModelPreviewDialog::ModelPreviewDialog(StoreRunner *runner, QString table, QString file,
                                       QWidget *parent)
    : ModelPreviewDialog(runner, std::move(table), std::move(file), true, parent)
{
}

ModelPreviewDialog::ModelPreviewDialog(StoreRunner *runner, QString table, QString file,
                                       bool fromFile, QWidget *parent)
    : QDialog(parent), m_runner(runner), m_table(std::move(table)), m_file(std::move(file)),
      m_fromFile(fromFile),
      m_model(makeError(ErrorKind::Unavailable, tr("the model is still being inferred"))),
      m_source(new QLabel(this)), m_messages(new MessageBar(this)),
      m_progress(new QProgressBar(this)), m_progressText(new QLabel(this)),
      m_cancel(new QPushButton(tr("Cancel"), this)), m_tabs(new QTabWidget(this)),
      m_tree(new QTreeWidget(this)), m_editor(new QPlainTextEdit(this)), m_status(new QLabel(this)),
      m_notesLabel(new QLabel(this)), m_save(new QPushButton(tr("&Save As…"), this)),
      m_attach(new QPushButton(tr("&Attach to Table"), this)),
      m_close(new QPushButton(tr("Close"), this)), m_poll(new QTimer(this)),
      m_render(new QTimer(this))
{
    Q_ASSERT(m_runner || m_fromFile);
    setObjectName(QStringLiteral("modelPreviewDialog"));
    setWindowTitle(m_fromFile ? tr("Infer a table model from %1").arg(QFileInfo(m_file).fileName())
                              : tr("Infer a table model for %1").arg(m_table));
    resize(900, 640);

    m_source->setObjectName(QStringLiteral("inferenceSummary"));
    m_source->setWordWrap(true);
    m_source->setTextFormat(Qt::PlainText);
    m_messages->setObjectName(QStringLiteral("modelMessages"));
    m_progress->setObjectName(QStringLiteral("inferenceProgress"));
    m_progress->setTextVisible(false);
    m_progressText->setObjectName(QStringLiteral("inferenceProgressText"));
    m_cancel->setObjectName(QStringLiteral("cancelInferenceButton"));
    m_cancel->setAutoDefault(false);

    m_tree->setObjectName(QStringLiteral("modelFieldTree"));
    m_tree->setColumnCount(4);
    m_tree->setHeaderLabels({tr("Field"), tr("Types"), tr("Required"), tr("Structure")});
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers); // types only: see editTypes
    m_tree->setAlternatingRowColors(true);
    m_tree->setUniformRowHeights(true);
    m_tree->header()->resizeSection(NameColumn, 280);
    m_tree->header()->resizeSection(TypesColumn, 170);
    m_tree->header()->resizeSection(RequiredColumn, 80);
    m_tree->header()->setStretchLastSection(true);
    m_tree->setToolTip(tr("Double-click or F2 on a row edits its types (e.g. “int, float”); "
                          "the checkbox or Space toggles required."));
    m_tree->installEventFilter(this);

    m_editor->setObjectName(QStringLiteral("modelJsonEdit"));
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_editor->setTabChangesFocus(true);
    m_editor->setPlaceholderText(tr("The table model file appears here once it is inferred."));

    m_tabs->setObjectName(QStringLiteral("modelTabs"));
    m_tabs->addTab(m_tree, tr("&Fields"));
    m_tabs->addTab(m_editor, tr("&JSON"));

    m_status->setObjectName(QStringLiteral("modelStatus"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_notesLabel->setObjectName(QStringLiteral("inferenceNotes"));
    m_notesLabel->setWordWrap(true);
    m_notesLabel->setTextFormat(Qt::PlainText);
    m_notesLabel->setVisible(false);

    m_save->setObjectName(QStringLiteral("saveModelButton"));
    m_attach->setObjectName(QStringLiteral("attachModelButton"));
    m_close->setObjectName(QStringLiteral("closeButton"));
    // Return in the tree or the editor must never save or attach by surprise.
    for (QPushButton *b : {m_save, m_attach, m_close})
        b->setAutoDefault(false);
    if (!m_runner)
        m_attach->setToolTip(tr("No store is open to attach the model to."));

    auto *progressRow = new QHBoxLayout;
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_progressText);
    progressRow->addWidget(m_cancel);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_save);
    buttons->addWidget(m_attach);
    buttons->addStretch(1);
    buttons->addWidget(m_close);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_source);
    layout->addWidget(m_messages);
    layout->addLayout(progressRow);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_status);
    layout->addWidget(m_notesLabel);
    layout->addLayout(buttons);

    m_poll->setInterval(100);
    m_render->setSingleShot(true);
    m_render->setInterval(0);
    connect(m_poll, &QTimer::timeout, this, &ModelPreviewDialog::pollProgress);
    connect(m_render, &QTimer::timeout, this, &ModelPreviewDialog::renderTree);
    connect(m_cancel, &QPushButton::clicked, this, &ModelPreviewDialog::cancel);
    connect(m_save, &QPushButton::clicked, this, &ModelPreviewDialog::chooseSaveFile);
    connect(m_attach, &QPushButton::clicked, this, &ModelPreviewDialog::attachToTable);
    connect(m_close, &QPushButton::clicked, this, &QDialog::accept);
    connect(m_editor, &QPlainTextEdit::textChanged, this, &ModelPreviewDialog::onTextChanged);
    connect(m_tree, &QTreeWidget::itemChanged, this, &ModelPreviewDialog::onItemChanged);
    connect(m_tree, &QTreeWidget::itemDoubleClicked, this,
            [this](QTreeWidgetItem *item, int column) {
                if (column != RequiredColumn)
                    editTypes(item);
            });

    // Queued: a test (or the caller) can set the page hook before the work starts.
    QMetaObject::invokeMethod(this, &ModelPreviewDialog::startInference, Qt::QueuedConnection);
    m_inferring = true;
    m_source->setText(
        m_fromFile
            ? tr("Inferring a table model from the file %1…").arg(QDir::toNativeSeparators(m_file))
            : tr("Inferring a table model from the records of table %1…").arg(m_table));
    updateButtons();
}

ModelPreviewDialog::~ModelPreviewDialog()
{
    // The worker stops at its next page; it holds only the shared state.
    if (m_inference)
        m_inference->cancel = true;
}

Result<TableModelPtr> ModelPreviewDialog::editedModel() const
{
    return m_model;
}

QString ModelPreviewDialog::modelText() const
{
    return m_editor->toPlainText();
}

QString ModelPreviewDialog::attachTarget() const
{
    if (!m_fromFile)
        return m_table;
    if (m_model)
        return (*m_model)->tableName();
    if (m_document && m_document->json.is_object()) {
        const auto it = m_document->json.find("table");
        if (it != m_document->json.end() && it->is_string())
            return fromStd(it->get<std::string>());
    }
    return m_table;
}

// --- inference ----------------------------------------------------------------------------

void ModelPreviewDialog::startInference()
{
    auto state = std::make_shared<Inference>();
    m_inference = state;
    m_inferring = true;
    m_messages->dismiss();
    m_progress->setRange(0, 0);
    m_progress->setVisible(true);
    m_progressText->setVisible(true);
    m_progressText->setText(tr("Reading the records…"));
    m_cancel->setVisible(true);
    m_cancel->setEnabled(true);
    showPlaceholder(tr("The fields appear here once every record is read."));
    updateButtons();
    m_poll->start();

    ModelInferenceJob::Hooks hooks;
    hooks.cancelled = [state] { return state->cancel.load(); };
    hooks.progress = [state, hook = m_pageHook](const ModelInferenceJob::Progress &p) {
        state->records = p.records;
        state->bytesDone = p.bytes;
        state->bytesTotal = p.bytesTotal;
        if (hook)
            hook(p.records);
    };

    if (!m_fromFile) {
        m_runner->call(
            [state, hooks, table = m_table](RecordStore &store) {
                if (store.capabilities().exactCount) {
                    if (auto n = store.count(table))
                        state->total = *n;
                }
                return ModelInferenceJob::inferTable(store, table, hooks);
            },
            this,
            [this, state](Result<Outcome> outcome) {
                if (state == m_inference)
                    finishInference(std::move(outcome));
            });
        return;
    }

    // A file needs no store: its own thread, so the store stays free for the grid.
    auto work = [state, hooks, path = m_file, table = m_table] {
        // Known before the first chunk is read.
        state->bytesTotal = QFileInfo(path).size();
        ModelInference::Options options;
        options.table = table;
        return ModelInferenceJob::inferFile(path, std::nullopt, options, hooks);
    };
    QThread *thread = QThread::create([state, work] {
        Result<Outcome> result = work();
        const std::lock_guard lock(state->mutex);
        state->result.emplace(std::move(result));
    });
    thread->setObjectName(QStringLiteral("modelInferenceThread"));
    // No parent: the thread object outlives the dialog until the (cancelled) work ends.
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    connect(thread, &QThread::finished, this, [this, state] {
        std::optional<Result<Outcome>> result;
        {
            const std::lock_guard lock(state->mutex);
            result.swap(state->result);
        }
        if (state == m_inference && result)
            finishInference(std::move(*result));
    });
    thread->start(QThread::LowPriority);
}

void ModelPreviewDialog::pollProgress()
{
    if (!m_inference)
        return;
    const qint64 records = m_inference->records;
    if (m_fromFile) {
        const qint64 total = m_inference->bytesTotal;
        const qint64 done = m_inference->bytesDone;
        if (total > 0) {
            m_progress->setRange(0, 1000);
            m_progress->setValue(int(1000 * done / total));
        }
        m_progressText->setText(tr("Read %1 of %2 (%3)…")
                                    .arg(QLocale().formattedDataSize(done),
                                         QLocale().formattedDataSize(total),
                                         count(records, tr("%1 record"), tr("%1 records"))));
        return;
    }
    const qint64 total = m_inference->total;
    if (total > 0) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(1000 * std::min(records, total) / total));
        m_progressText->setText(tr("Read %1 of %2 records…")
                                    .arg(QLocale().toString(records), QLocale().toString(total)));
    } else {
        m_progressText->setText(count(records, tr("Read %1 record…"), tr("Read %1 records…")));
    }
}

void ModelPreviewDialog::cancel()
{
    if (!m_inferring || !m_inference)
        return;
    m_inference->cancel = true;
    m_cancel->setEnabled(false);
    m_progressText->setText(tr("Cancelling…"));
}

void ModelPreviewDialog::reject()
{
    cancel();
    QDialog::reject();
}

void ModelPreviewDialog::finishInference(Result<Outcome> outcome)
{
    m_inferring = false;
    m_poll->stop();
    m_progress->setVisible(false);
    m_progressText->setVisible(false);
    m_cancel->setVisible(false);
    const QString from = m_fromFile ? tr("the file %1").arg(QDir::toNativeSeparators(m_file))
                                    : tr("table %1").arg(m_table);
    if (!outcome) {
        m_model = outcome.error();
        m_source->setText(tr("No model could be inferred from %1.").arg(from));
        showPlaceholder(tr("No model: see the message above."));
        m_messages->showMessage(outcome.error().toString(), MessageBar::Kind::Error);
    } else if (outcome->cancelled) {
        m_model = makeError(ErrorKind::Unavailable, tr("the inference was cancelled"));
        m_source->setText(
            tr("Cancelled after %1 of %2: no model was inferred.")
                .arg(count(outcome->records, tr("%1 record"), tr("%1 records")), from));
        m_messages->showMessage(tr("The inference was cancelled."), MessageBar::Kind::Information);
        showPlaceholder(tr("No model: the inference was cancelled."));
    } else {
        m_records = outcome->records;
        m_notes = outcome->notes;
        m_source->setText(
            tr("Inferred from %1 of %2. Check the types and required fields, edit them here "
               "or in the JSON tab, then save the model or attach it to a table.")
                .arg(count(m_records, tr("%1 record"), tr("%1 records")), from));
        if (!m_notes.isEmpty()) {
            m_notesLabel->setText(tr("Notes:") + QStringLiteral("\n• ") +
                                  m_notes.join(QStringLiteral("\n• ")));
            m_notesLabel->setVisible(true);
        }
        m_firstRender = true;
        m_editor->setPlainText(QString::fromUtf8(outcome->model->toJson()));
        renderTree();
        m_tree->setFocus();
    }
    updateButtons();
    emit inferred();
}

// --- the text and the tree ----------------------------------------------------------------

void ModelPreviewDialog::onTextChanged()
{
    if (m_inferring)
        return;
    const QString text = m_editor->toPlainText();
    const QByteArray utf8 = text.toUtf8();
    Json json = Json::parse(utf8.constData(), utf8.constData() + utf8.size(), nullptr, false);
    if (json.is_discarded())
        m_document.reset();
    else
        m_document = std::make_unique<Document>(Document{std::move(json)});

    m_model = TableModel::fromJson(utf8, QString());
    QList<QTextEdit::ExtraSelection> marks;
    QPalette pal = m_status->palette();
    if (m_model) {
        const TableModel &model = **m_model;
        m_status->setText(
            tr("A valid table model: hash key %1 (%2), %3.")
                .arg(model.hashKey(), fieldKindName(model.hashKeyType()),
                     count(qint64(model.root().fields.size()), tr("%1 field"), tr("%1 fields"))));
        pal.setColor(QPalette::WindowText, Looks::okColor());
    } else {
        const Error &e = m_model.error();
        int line = 0;
        QString where;
        static const QRegularExpression lineColumn(QStringLiteral("^(\\d+):(\\d+)$"));
        if (const auto m = lineColumn.match(e.location); m.hasMatch()) {
            line = m.captured(1).toInt();
            where = tr("Line %1, column %2").arg(m.captured(1), m.captured(2));
        } else if (e.location.startsWith(u'/')) {
            line = lineOfPointer(text, e.location);
            where = tr("%1 (line %2)").arg(e.location).arg(line);
        } else {
            where = e.location;
        }
        m_status->setText(where.isEmpty()
                              ? tr("Not a valid table model: %1").arg(e.message)
                              : tr("Not a valid table model: %1: %2").arg(where, e.message));
        pal.setColor(QPalette::WindowText, Looks::failedColor());
        if (line > 0) {
            QTextEdit::ExtraSelection mark;
            mark.cursor = QTextCursor(m_editor->document()->findBlockByNumber(line - 1));
            mark.format.setBackground(QColor(0xfb, 0xe3, 0xe0));
            mark.format.setProperty(QTextFormat::FullWidthSelection, true);
            marks << mark;
        }
    }
    m_status->setPalette(pal);
    m_editor->setExtraSelections(marks);
    m_render->start();
    updateButtons();
}

void ModelPreviewDialog::renderTree()
{
    m_render->stop();
    if (!m_document || !m_document->json.is_object()) {
        // Not JSON: the tree keeps its last rendering, greyed out, until the text parses again.
        m_tree->setEnabled(false);
        return;
    }
    m_rendering = true;
    if (!m_firstRender) {
        m_expanded.clear();
        for (QTreeWidgetItemIterator it(m_tree); *it; ++it) {
            if ((*it)->isExpanded())
                m_expanded.insert((*it)->data(NameColumn, PathRole).toString());
        }
        if (QTreeWidgetItem *current = m_tree->currentItem())
            m_currentPath = current->data(NameColumn, PathRole).toString();
    }
    m_tree->setUpdatesEnabled(false);
    m_tree->clear();
    m_tree->setEnabled(true);
    addFieldItems(nullptr, QStringLiteral("/fields"), QString(), {}, 0);
    int rows = 0;
    for (QTreeWidgetItemIterator it(m_tree); *it; ++it)
        ++rows;
    for (QTreeWidgetItemIterator it(m_tree); *it; ++it) {
        const QString path = (*it)->data(NameColumn, PathRole).toString();
        if (m_firstRender ? rows < kExpandAllBelow : m_expanded.contains(path))
            (*it)->setExpanded(true);
        if (!m_firstRender && path == m_currentPath)
            m_tree->setCurrentItem(*it);
    }
    if (m_firstRender && m_tree->topLevelItemCount() > 0)
        m_tree->setCurrentItem(m_tree->topLevelItem(0));
    m_firstRender = false;
    m_tree->setUpdatesEnabled(true);
    m_rendering = false;
}

void ModelPreviewDialog::showPlaceholder(const QString &text)
{
    m_rendering = true;
    m_tree->clear();
    auto *item = new QTreeWidgetItem(m_tree);
    item->setText(NameColumn, text);
    item->setFirstColumnSpanned(true);
    item->setFlags(Qt::NoItemFlags);
    m_rendering = false;
}

void ModelPreviewDialog::addFieldItems(QTreeWidgetItem *parent, const QString &fieldsPointer,
                                       const QString &parentPath, QStringList modelsOnPath,
                                       int depth)
{
    const Json *fields = at(m_document->json, fieldsPointer);
    if (!fields || !fields->is_object() || depth > kMaxTreeDepth)
        return;
    for (auto it = fields->begin(); it != fields->end(); ++it) {
        const QString name = fromStd(it.key());
        addFieldItem(parent, name, fieldsPointer + u'/' + escapePointer(name),
                     parentPath.isEmpty() ? name : parentPath + u'.' + name, modelsOnPath, depth,
                     false);
    }
}

QTreeWidgetItem *ModelPreviewDialog::addFieldItem(QTreeWidgetItem *parent, const QString &name,
                                                  const QString &pointer, const QString &path,
                                                  const QStringList &modelsOnPath, int depth,
                                                  bool isItem)
{
    const Json *spec = at(m_document->json, pointer);
    Q_ASSERT(spec);
    const bool object = spec->is_object();
    Json type = object ? spec->value("type", Json()) : *spec;
    const QStringList types = typeNames(type);

    QString hashKey;
    if (const Json *key = at(m_document->json, QStringLiteral("/primaryIndex/hashKey"));
        key && key->is_string())
        hashKey = fromStd(key->get<std::string>());
    const bool isKey = !parent && !isItem && name == hashKey;

    auto *item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(m_tree);
    item->setText(NameColumn, name);
    item->setText(TypesColumn, types.join(QStringLiteral(", ")));
    item->setData(NameColumn, PointerRole, pointer);
    item->setData(NameColumn, PathRole, path);
    item->setData(NameColumn, IsItemRole, isItem);
    item->setToolTip(NameColumn, path);
    item->setToolTip(TypesColumn, tr("Double-click or F2 to edit: one type or several, "
                                     "separated by commas (str, int, float, decimal, bool, "
                                     "bytes, any, map, dict, list, set)."));
    Qt::ItemFlags flags = Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemIsEditable;
    if (!isItem) {
        const auto r = object ? spec->find("required") : spec->end();
        const bool required = object && r != spec->end() && r->is_boolean() && r->get<bool>();
        item->setCheckState(RequiredColumn, required ? Qt::Checked : Qt::Unchecked);
        if (!isKey)
            flags |= Qt::ItemIsUserCheckable;
        else
            item->setToolTip(RequiredColumn, tr("The hash key is always required."));
    }
    item->setFlags(flags);

    QStringList structure;
    if (isKey)
        structure << tr("hash key");
    const auto has = [&](const char *kind) { return types.contains(QLatin1String(kind)); };
    if (object && has("map")) {
        if (const auto f = spec->find("fields"); f != spec->end() && f->is_object()) {
            structure << count(qint64(f->size()), tr("map of %1 field"), tr("map of %1 fields"));
            addFieldItems(item, pointer + QStringLiteral("/fields"), path, modelsOnPath, depth + 1);
        } else if (const auto m = spec->find("model"); m != spec->end() && m->is_string()) {
            const QString model = fromStd(m->get<std::string>());
            if (modelsOnPath.contains(model)) {
                structure << tr("map: model %1 (recursive)").arg(model);
            } else {
                structure << tr("map: model %1").arg(model);
                addFieldItems(item, QStringLiteral("/models/%1/fields").arg(escapePointer(model)),
                              path, modelsOnPath + QStringList{model}, depth + 1);
            }
        } else {
            structure << tr("map without declared fields");
        }
    }
    const bool container = has("dict") || has("list") || has("set");
    if (object && container) {
        QString keyName;
        if (const auto k = spec->find("keyName"); k != spec->end() && k->is_string())
            keyName = fromStd(k->get<std::string>());
        const QString base = isItem ? QStringLiteral("item") : name;
        if (keyName.isEmpty())
            keyName = base + (has("dict") ? QStringLiteral("Key") : QStringLiteral("Index"));
        QString items = tr("any");
        if (const auto i = spec->find("items"); i != spec->end()) {
            const QStringList itemTypes = typeNames(i->is_object() ? i->value("type", Json()) : *i);
            items = itemTypes.join(tr(" or "));
            const QString itemName = QStringLiteral("{{%1}}").arg(keyName);
            addFieldItem(item, itemName, pointer + QStringLiteral("/items"), path + u'.' + itemName,
                         modelsOnPath, depth + 1, true);
        }
        if (has("dict")) {
            const auto k = spec->find("keyType");
            const QString keyType = k != spec->end() && k->is_string()
                                        ? fromStd(k->get<std::string>())
                                        : QStringLiteral("str");
            structure << tr("dict (%1 keys) of %2").arg(keyType, items);
        }
        if (has("list"))
            structure << tr("list of %1").arg(items);
        if (has("set"))
            structure << tr("set of %1").arg(items);
    }
    item->setText(StructureColumn, structure.join(QStringLiteral("; ")));
    item->setToolTip(StructureColumn, item->text(StructureColumn));
    return item;
}

void ModelPreviewDialog::onItemChanged(QTreeWidgetItem *item, int column)
{
    if (m_rendering || !m_document)
        return;
    const QString pointer = item->data(NameColumn, PointerRole).toString();
    const bool isItem = item->data(NameColumn, IsItemRole).toBool();
    if (column == RequiredColumn && !isItem) {
        const bool required = item->checkState(RequiredColumn) == Qt::Checked;
        applyDocumentEdit([&](QString &) {
            Json &spec = m_document->json.at(Json::json_pointer(toStd(pointer)));
            if (!spec.is_object())
                return false;
            if (required)
                spec["required"] = true;
            else
                spec.erase("required");
            return true;
        });
        return;
    }
    if (column != TypesColumn)
        return;
    QStringList names =
        item->text(TypesColumn)
            .split(QRegularExpression(QStringLiteral("[,|\\s]+")), Qt::SkipEmptyParts);
    for (QString &n : names)
        n = n.toLower();
    names.removeDuplicates();
    QString error;
    if (names.isEmpty())
        error = tr("A field needs at least one type.");
    for (const QString &n : std::as_const(names)) {
        if (error.isEmpty() && !fieldKindFromName(n))
            error = tr("“%1” is not a type; the types are str, int, float, decimal, bool, bytes, "
                       "any, map, dict, list and set.")
                        .arg(n);
    }
    if (!error.isEmpty()) {
        m_messages->showMessage(error, MessageBar::Kind::Error);
        m_render->start(); // puts the old types back
        return;
    }
    applyDocumentEdit([&](QString &) {
        Json &spec = m_document->json.at(Json::json_pointer(toStd(pointer)));
        if (spec.is_object())
            spec["type"] = typeJson(names);
        else
            spec = typeJson(names); // an items shorthand: "str" or ["str", "int"]
        return true;
    });
}

void ModelPreviewDialog::applyDocumentEdit(const std::function<bool(QString &error)> &edit)
{
    if (!m_document)
        return;
    const Json before = m_document->json;
    QString error;
    bool changed = false;
    try {
        changed = edit(error);
    } catch (const std::exception &e) {
        error = QString::fromUtf8(e.what());
    }
    if (!changed) {
        m_document->json = before;
        if (!error.isEmpty())
            m_messages->showMessage(error, MessageBar::Kind::Error);
        m_render->start();
        return;
    }
    m_messages->dismiss();
    const std::string text =
        m_document->json.dump(2, ' ', false, Json::error_handler_t::replace) + '\n';
    // Through a cursor, not setPlainText: the edit can be undone in the JSON tab.
    QTextCursor cursor(m_editor->document());
    cursor.beginEditBlock();
    cursor.select(QTextCursor::Document);
    cursor.insertText(fromStd(text));
    cursor.endEditBlock();
}

void ModelPreviewDialog::editTypes(QTreeWidgetItem *item)
{
    if (item && (item->flags() & Qt::ItemIsEditable) && m_tree->isEnabled())
        m_tree->editItem(item, TypesColumn);
}

void ModelPreviewDialog::toggleRequired(QTreeWidgetItem *item)
{
    if (!item || !(item->flags() & Qt::ItemIsUserCheckable) || !m_tree->isEnabled())
        return;
    item->setCheckState(RequiredColumn, item->checkState(RequiredColumn) == Qt::Checked
                                            ? Qt::Unchecked
                                            : Qt::Checked);
}

bool ModelPreviewDialog::eventFilter(QObject *watched, QEvent *event)
{
    // Only the tree's own keys: while a types cell is edited, keys go to its editor.
    if (watched == m_tree && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_F2 && key->modifiers() == Qt::NoModifier) {
            editTypes(m_tree->currentItem());
            return true;
        }
        if (key->key() == Qt::Key_Space && key->modifiers() == Qt::NoModifier) {
            toggleRequired(m_tree->currentItem());
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}
