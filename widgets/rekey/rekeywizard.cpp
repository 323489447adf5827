// The key change wizard: its helpers and the first three pages (the record, the new key and
// its check, the strategy). The other pages live in rekeywizardrun.cpp.

#include "widgets/rekey/rekeywizard.h"

#include "model/grid/recordtablemodel.h"
#include "model/json/jsoncodec.h"
#include "model/rekey/recoveryjournal.h"
#include "model/schema/validator.h"
#include "model/store/open/storerunner.h"
#include "model/store/recordstore.h"
#include "widgets/common/messagebar.h"
#include "widgets/common/prettyjson.h"
#include "widgets/rekey/rekeywizardparts.h"

#include <QAbstractButton>
#include <QButtonGroup>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QFrame>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPainterPath>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>
#include <QStyledItemDelegate>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace rekeywizardparts {

enum class NewKeyState { Empty, Invalid, Same, Checking, Taken, Free, CheckFailed };

QString stepTitle(const QString &name)
{
    static const QHash<QString, QString> titles{
        {QStringLiteral("check"), QObject::tr("Check")},
        {QStringLiteral("get"), QObject::tr("Read")},
        {QStringLiteral("journal"), QObject::tr("Journal")},
        {QStringLiteral("remove"), QObject::tr("Remove")},
        {QStringLiteral("put"), QObject::tr("Put")},
        {QStringLiteral("restore"), QObject::tr("Restore")},
        {QStringLiteral("delete"), QObject::tr("Delete")},
        {QStringLiteral("transaction"), QObject::tr("Transaction")},
    };
    return titles.value(name, name);
}

QString milliseconds(qint64 microseconds)
{
    return QObject::tr("%1 ms").arg(double(microseconds) / 1000.0, 0, 'f', 2);
}

QLabel *wrappingLabel(const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QFont fixedFont()
{
    return QFontDatabase::systemFont(QFontDatabase::FixedFont);
}

// A table of steps as tall as its rows (so a short run leaves no empty box), with the long
// texts (what ran, the store's message) wrapped instead of elided.
class StepTable : public QTableWidget
{
public:
    explicit StepTable(QWidget *parent) : QTableWidget(0, 4, parent)
    {
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Maximum);
        connect(verticalHeader(), &QHeaderView::sectionResized, this, [this] { updateGeometry(); });
    }
    QSize sizeHint() const override
    {
        int height = horizontalHeader()->height() + 2 * frameWidth();
        for (int row = 0; row < rowCount(); ++row)
            height += rowHeight(row);
        // Room for a few more rows while a run is going on.
        height = std::max(height, horizontalHeader()->height() + 2 * frameWidth() +
                                      3 * verticalHeader()->defaultSectionSize());
        return QSize(QTableWidget::sizeHint().width(), height);
    }
    QSize minimumSizeHint() const override
    {
        return QSize(200, std::min(sizeHint().height(), 160));
    }
};

// Rows with some air: wrapped texts would otherwise touch the next row.
class PaddedDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        return QStyledItemDelegate::sizeHint(option, index) + QSize(0, 6);
    }
};

// Appends a step row to a step list: icon and title, what ran, duration, ok or the message.
void addStepRow(QTableWidget *table, const RekeyStep &step)
{
    const int row = table->rowCount();
    table->insertRow(row);
    auto cell = [table, row](int column, const QString &text) {
        auto *item = new QTableWidgetItem(text);
        item->setFlags(Qt::ItemIsEnabled);
        item->setToolTip(text);
        item->setTextAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        table->setItem(row, column, item);
        return item;
    };
    QTableWidgetItem *name = cell(0, stepTitle(step.name));
    name->setIcon(step.ok ? Looks::okIcon() : Looks::failedIcon());
    name->setData(Qt::UserRole, step.name);
    cell(1, step.detail);
    cell(2, milliseconds(step.microseconds))->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    QTableWidgetItem *result = cell(3, step.ok ? QObject::tr("ok") : step.message);
    result->setForeground(step.ok ? Looks::okColor() : Looks::failedColor());
    if (!step.ok) {
        QFont bold = table->font();
        bold.setBold(true);
        name->setFont(bold);
        result->setFont(bold);
    }
    table->updateGeometry();
}

QTableWidget *createStepList(const QString &objectName, QWidget *parent)
{
    auto *table = new StepTable(parent);
    table->setObjectName(objectName);
    table->setHorizontalHeaderLabels(
        {QObject::tr("Step"), QObject::tr("What ran"), QObject::tr("Time"), QObject::tr("Result")});
    table->setItemDelegate(new PaddedDelegate(table));
    table->verticalHeader()->hide();
    table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->setWordWrap(true);
    table->setSelectionMode(QAbstractItemView::NoSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setFocusPolicy(Qt::NoFocus);
    table->setAlternatingRowColors(true);
    table->setShowGrid(false);
    table->setTextElideMode(Qt::ElideNone);
    table->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    QHeaderView *header = table->horizontalHeader();
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    header->setHighlightSections(false);
    header->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(1, QHeaderView::Stretch);
    header->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(3, QHeaderView::Stretch);
    return table;
}

} // namespace rekeywizardparts

using namespace rekeywizardparts;

RekeyWizard::RekeyWizard(StoreRunner *runner, QString journalDirectory, QString table,
                         TableModelPtr model, Value record, QWidget *parent)
    : QWizard(parent), m_runner(runner), m_journalDirectory(std::move(journalDirectory)),
      m_table(std::move(table)), m_model(std::move(model)), m_record(std::move(record))
{
    Q_ASSERT(m_runner && m_model);
    setObjectName(QStringLiteral("rekeyWizard"));
    setWindowTitle(tr("Change the key of a record"));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnLastPage);
    setOption(QWizard::NoCancelButtonOnLastPage);
    setMinimumSize(680, 480);
    if (const Value *key = m_record.find(m_model->hashKey()))
        m_oldKey = *key;

    setPage(RecordPageId, createRecordPage());
    setPage(NewKeyPageId, createNewKeyPage());
    setPage(StrategyPageId, createStrategyPage());
    setPage(PreviewPageId, createPreviewPage());
    setPage(RunPageId, createRunPage());
    setPage(SummaryPageId, createSummaryPage());
    setStartId(RecordPageId);

    for (auto which : {QWizard::BackButton, QWizard::NextButton, QWizard::CommitButton,
                       QWizard::FinishButton, QWizard::CancelButton}) {
        static const QHash<int, QString> names{
            {QWizard::BackButton, QStringLiteral("backButton")},
            {QWizard::NextButton, QStringLiteral("nextButton")},
            {QWizard::CommitButton, QStringLiteral("commitButton")},
            {QWizard::FinishButton, QStringLiteral("finishButton")},
            {QWizard::CancelButton, QStringLiteral("cancelButton")}};
        button(which)->setObjectName(names.value(which));
    }
    loadCapabilities();
}

RekeyWizard::~RekeyWizard() = default;

RekeyWizard::Page *RekeyWizard::page(PageId id) const
{
    return static_cast<Page *>(QWizard::page(id));
}

Value RekeyWizard::newKey() const
{
    return m_keyState == int(NewKeyState::Free) ? m_newKey : Value();
}

RekeyStrategy RekeyWizard::strategy() const
{
    return RekeyStrategy(m_strategies->checkedId());
}

void RekeyWizard::setKeyCheckDelay(int milliseconds)
{
    m_keyTimer->setInterval(milliseconds);
}

void RekeyWizard::reject()
{
    // The engine cannot be stopped between its steps without leaving the record in the journal.
    if (m_running)
        return;
    QWizard::reject();
}

// --- 1. the record ------------------------------------------------------------------------

QWizardPage *RekeyWizard::createRecordPage()
{
    auto *p = new Page(this);
    p->setObjectName(QStringLiteral("recordPage"));
    p->setTitle(tr("The record to change"));
    p->setSubTitle(tr("A key cannot be changed in place: the record is moved to the new key, "
                      "exactly as it is stored."));

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    auto *tableLabel = wrappingLabel(QStringLiteral("recordTable"), p);
    tableLabel->setText(m_table);
    form->addRow(tr("Table:"), tableLabel);
    auto *keyLabel = wrappingLabel(QStringLiteral("recordKey"), p);
    keyLabel->setText(Looks::keyWords(m_model->hashKey(), m_oldKey));
    keyLabel->setFont(fixedFont());
    form->addRow(tr("Current key:"), keyLabel);

    // A few attributes: the model's fields first, in declared order, then the others.
    QStringList names;
    for (const auto &field : m_model->root().fields) {
        if (field->name != m_model->hashKey() && m_record.find(field->name))
            names << field->name;
    }
    if (m_record.isMap()) {
        for (auto it = m_record.toMap().cbegin(); it != m_record.toMap().cend(); ++it) {
            if (it.key() != m_model->hashKey() && !names.contains(it.key()))
                names << it.key();
        }
    }
    constexpr int kShown = 6;
    QStringList lines;
    for (const QString &name : names.mid(0, kShown))
        lines << QStringLiteral("%1: %2").arg(
            name, RecordTableModel::summary(*m_record.find(name)).left(80));
    if (names.size() > kShown)
        lines << tr("… and %1")
                     .arg(Looks::count(int(names.size() - kShown), tr("more attribute"),
                                       tr("more attributes")));
    auto *summary = wrappingLabel(QStringLiteral("recordSummary"), p);
    summary->setText(lines.isEmpty() ? tr("(no other attributes)") : lines.join(u'\n'));
    form->addRow(tr("Attributes:"), summary);

    auto *validity = wrappingLabel(QStringLiteral("recordValidation"), p);
    if (!m_model->declaresFields()) {
        validity->setText(tr("Free-form record: the table has no model to check it against."));
    } else {
        const Problems problems = Validator(*m_model).validateRecord(m_record);
        QStringList blocking;
        int notes = 0;
        for (const Problem &problem : problems) {
            if (problem.blocking)
                blocking << problem.toString();
            else
                ++notes;
        }
        QString text;
        if (blocking.isEmpty()) {
            text = tr("Valid against the table model.");
            if (notes > 0)
                text += u' ' + tr("%1 the model does not declare; they move with the record.")
                                   .arg(Looks::count(notes, tr("attribute"), tr("attributes")));
        } else {
            text =
                tr("Fails the table model (%1): %2. The key change moves it as it is; nothing is "
                   "validated away.")
                    .arg(Looks::count(int(blocking.size()), tr("problem"), tr("problems")),
                         blocking.mid(0, 3).join(QStringLiteral("; ")));
            QPalette pal = validity->palette();
            pal.setColor(QPalette::WindowText, Looks::warningColor());
            validity->setPalette(pal);
        }
        validity->setText(text);
    }
    form->addRow(tr("Validation:"), validity);

    auto *layout = new QVBoxLayout(p);
    layout->addLayout(form);
    layout->addStretch(1);
    p->complete = [this] { return !m_oldKey.isNull(); };
    return p;
}

// --- 2. the new key -----------------------------------------------------------------------

QWizardPage *RekeyWizard::createNewKeyPage()
{
    auto *p = new Page(this);
    p->setObjectName(QStringLiteral("newKeyPage"));
    p->setTitle(tr("The new key"));
    p->setSubTitle(tr("%1 is %2. A key that another record already has is refused: that record is "
                      "never overwritten.")
                       .arg(m_model->hashKey(), Looks::keyTypeWords(*m_model)));

    auto *current = wrappingLabel(QStringLiteral("newKeyCurrent"), p);
    current->setText(tr("Current key: %1").arg(Looks::keyWords(m_model->hashKey(), m_oldKey)));

    m_newKeyEdit = new QLineEdit(p);
    m_newKeyEdit->setObjectName(QStringLiteral("newKeyEdit"));
    m_newKeyEdit->setFont(fixedFont());
    m_newKeyEdit->setText(m_oldKey.text());
    m_newKeyEdit->setClearButtonEnabled(true);
    m_newKeyEdit->setPlaceholderText(tr("the new value of %1").arg(m_model->hashKey()));

    m_newKeyIcon = new QLabel(p);
    m_newKeyIcon->setObjectName(QStringLiteral("newKeyIcon"));
    m_newKeyIcon->setFixedSize(16, 16);
    m_newKeyStatus = wrappingLabel(QStringLiteral("newKeyStatus"), p);
    m_newKeyStatus->setAlignment(Qt::AlignLeft | Qt::AlignTop);

    m_keyTimer = new QTimer(this);
    m_keyTimer->setObjectName(QStringLiteral("newKeyTimer"));
    m_keyTimer->setSingleShot(true);
    m_keyTimer->setInterval(250);
    connect(m_keyTimer, &QTimer::timeout, this, &RekeyWizard::lookUpNewKey);
    connect(m_newKeyEdit, &QLineEdit::textChanged, this, &RekeyWizard::newKeyEdited);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("New %1:").arg(m_model->hashKey()), m_newKeyEdit);
    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_newKeyIcon, 0, Qt::AlignTop);
    statusRow->addWidget(m_newKeyStatus, 1);
    form->addRow(QString(), statusRow);

    auto *layout = new QVBoxLayout(p);
    layout->addWidget(current);
    layout->addSpacing(8);
    layout->addLayout(form);
    layout->addStretch(1);

    p->complete = [this] { return m_keyState == int(NewKeyState::Free); };
    p->initialize = [this] {
        newKeyEdited();
        m_newKeyEdit->setFocus();
        m_newKeyEdit->selectAll();
    };
    return p;
}

void RekeyWizard::setNewKeyStatus(int state, const QString &text)
{
    m_keyState = state;
    const auto s = NewKeyState(state);
    m_newKeyStatus->setText(text);
    QColor color = palette().color(QPalette::WindowText);
    QIcon icon;
    switch (s) {
    case NewKeyState::Free:
        color = Looks::okColor();
        icon = Looks::okIcon();
        break;
    case NewKeyState::Invalid:
    case NewKeyState::Taken:
    case NewKeyState::CheckFailed:
    case NewKeyState::Same:
        color = Looks::failedColor();
        icon = Looks::failedIcon();
        break;
    case NewKeyState::Empty:
    case NewKeyState::Checking:
        break;
    }
    QPalette pal = m_newKeyStatus->palette();
    pal.setColor(QPalette::WindowText, color);
    m_newKeyStatus->setPalette(pal);
    m_newKeyIcon->setPixmap(icon.isNull() ? QPixmap() : icon.pixmap(16, 16));
    emit page(NewKeyPageId)->completeChanged();
}

void RekeyWizard::newKeyEdited()
{
    ++m_keyGeneration; // an answer for an earlier text is dropped
    m_keyTimer->stop();
    m_newKey = Value();
    const QString text = m_newKeyEdit->text();
    if (text.isEmpty()) {
        setNewKeyStatus(int(NewKeyState::Empty), tr("Type the new key."));
        return;
    }
    auto typed = RecordStore::parseKey(*m_model, text);
    if (!typed) {
        setNewKeyStatus(int(NewKeyState::Invalid), typed.error().message);
        return;
    }
    const bool same = *typed == m_oldKey || (typed->isNumber() && m_oldKey.isNumber() &&
                                             compareNumbers(typed->text(), m_oldKey.text()) == 0);
    if (same) {
        setNewKeyStatus(int(NewKeyState::Same),
                        tr("This is the current key; type a different one."));
        return;
    }
    m_newKey = *typed;
    setNewKeyStatus(int(NewKeyState::Checking),
                    tr("Checking whether a record already has this key…"));
    m_keyTimer->start();
}

void RekeyWizard::lookUpNewKey()
{
    const quint64 generation = m_keyGeneration;
    callStore(
        [table = m_table, key = m_newKey](RecordStore &store) {
            return store.getRecord(table, key);
        },
        [this, generation](Result<std::optional<Value>> found) {
            if (generation != m_keyGeneration)
                return;
            if (!found)
                setNewKeyStatus(int(NewKeyState::CheckFailed),
                                tr("Could not check the key: %1").arg(found.error().toString()));
            else if (found->has_value())
                setNewKeyStatus(int(NewKeyState::Taken),
                                tr("A record already exists at that key; it is never overwritten. "
                                   "Choose another key."));
            else
                setNewKeyStatus(int(NewKeyState::Free), tr("No record has this key: it is free."));
        });
}

// --- 3. the strategy ----------------------------------------------------------------------

QWizardPage *RekeyWizard::createStrategyPage()
{
    auto *p = new Page(this);
    p->setObjectName(QStringLiteral("strategyPage"));
    p->setTitle(tr("How the key is changed"));
    p->setSubTitle(
        tr("Whichever you choose, the record is kept in the recovery journal on disk until "
           "it is safe at its new or its old key."));
    m_strategies = new QButtonGroup(p);
    auto *layout = new QVBoxLayout(p);
    struct Choice
    {
        RekeyStrategy strategy;
        const char *name;
        QString label;
    };
    const Choice choices[] = {
        {RekeyStrategy::RemovePutRestore, "RemovePutRestore",
         tr("Remove → put → restore (the documented sequence)")},
        {RekeyStrategy::GetPutDelete, "GetPutDelete",
         tr("Get → put → delete (the documented alternative)")},
        {RekeyStrategy::Atomic, "Atomic", tr("Atomic (one transaction)")},
    };
    for (const Choice &c : choices) {
        auto *radio = new QRadioButton(c.label, p);
        radio->setObjectName(QStringLiteral("strategy") + QLatin1String(c.name));
        m_strategies->addButton(radio, int(c.strategy));
        auto *explanation =
            wrappingLabel(QStringLiteral("strategy%1Explanation").arg(QLatin1String(c.name)), p);
        explanation->setText(rekeyStrategyExplanation(c.strategy));
        explanation->setContentsMargins(24, 0, 0, 0);
        layout->addWidget(radio);
        layout->addWidget(explanation);
        if (c.strategy == RekeyStrategy::Atomic) {
            m_atomic = radio;
            m_atomicAvailability = wrappingLabel(QStringLiteral("strategyAtomicAvailability"), p);
            m_atomicAvailability->setContentsMargins(24, 0, 0, 0);
            layout->addWidget(m_atomicAvailability);
        }
        layout->addSpacing(10);
    }
    m_strategies->button(int(RekeyStrategy::RemovePutRestore))->setChecked(true);
    m_atomic->setEnabled(false);
    m_atomicAvailability->setText(tr("Checking whether this store has transactions…"));
    layout->addStretch(1);
    p->complete = [this] { return m_strategies->checkedId() >= 0; };
    return p;
}

void RekeyWizard::loadCapabilities()
{
    callStore(
        [](RecordStore &store) { return Result<StoreCapabilities>(store.capabilities()); },
        [this](Result<StoreCapabilities> caps) {
            m_capabilitiesKnown = true;
            m_transactions = caps && caps->transactions && !caps->readOnly;
            m_atomic->setEnabled(m_transactions);
            QPalette pal = m_atomicAvailability->palette();
            if (m_transactions) {
                m_atomicAvailability->setText(tr("Available: this store runs transactions."));
                pal.setColor(QPalette::WindowText, Looks::okColor());
            } else {
                m_atomicAvailability->setText(
                    caps ? tr("Not available: this store has no transactions.")
                         : tr("Not available: %1").arg(caps.error().toString()));
                pal.setColor(QPalette::WindowText, Looks::warningColor());
                if (m_atomic->isChecked())
                    m_strategies->button(int(RekeyStrategy::RemovePutRestore))->setChecked(true);
            }
            m_atomicAvailability->setPalette(pal);
        });
}
