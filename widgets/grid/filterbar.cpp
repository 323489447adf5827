#include "widgets/grid/filterbar.h"

#include "model/json/jsoncodec.h"
#include "model/schema/fieldpath.h"
#include "widgets/common/messagebar.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace {

constexpr FilterOp kOperators[] = {
    FilterOp::Equal,   FilterOp::NotEqual,     FilterOp::Less,     FilterOp::LessEqual,
    FilterOp::Greater, FilterOp::GreaterEqual, FilterOp::Contains, FilterOp::BeginsWith,
    FilterOp::Exists,  FilterOp::NotExists};

bool needsOperand(FilterOp op)
{
    return op != FilterOp::Exists && op != FilterOp::NotExists;
}

} // namespace

FilterBar::FilterBar(QWidget *parent)
    : QWidget(parent), m_search(new QLineEdit(this)),
      m_addButton(new QPushButton(tr("Add Condition"), this)),
      m_applyButton(new QPushButton(tr("Apply"), this)),
      m_clearButton(new QPushButton(tr("Clear"), this)), m_error(new MessageBar(this)),
      m_rows(new QVBoxLayout)
{
    setObjectName(QStringLiteral("filterBar"));
    m_search->setObjectName(QStringLiteral("searchEdit"));
    m_addButton->setObjectName(QStringLiteral("addConditionButton"));
    m_applyButton->setObjectName(QStringLiteral("applyFilterButton"));
    m_clearButton->setObjectName(QStringLiteral("clearFilterButton"));
    m_error->setObjectName(QStringLiteral("filterError"));
    m_error->hide();

    m_search->setPlaceholderText(tr("Search whole records (Ctrl+F)…"));
    m_search->setClearButtonEnabled(true);
    m_search->addAction(QIcon(QStringLiteral(":/icons/search.svg")), QLineEdit::LeadingPosition);
    m_addButton->setIcon(QIcon(QStringLiteral(":/icons/add.svg")));
    m_addButton->setToolTip(tr("Add a condition on a field"));
    m_applyButton->setIcon(QIcon(QStringLiteral(":/icons/filter.svg")));
    m_applyButton->setToolTip(tr("Apply the filter (Enter)"));
    m_applyButton->setDefault(true);
    m_clearButton->setToolTip(tr("Remove the search and every condition"));

    auto *top = new QHBoxLayout;
    top->setSpacing(6);
    top->addWidget(m_search, 1);
    top->addWidget(m_addButton);
    top->addWidget(m_applyButton);
    top->addWidget(m_clearButton);

    m_rows->setSpacing(4);
    m_rows->setContentsMargins(0, 0, 0, 0);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(top);
    layout->addLayout(m_rows);
    layout->addWidget(m_error);

    connect(m_search, &QLineEdit::returnPressed, this, &FilterBar::apply);
    connect(m_applyButton, &QPushButton::clicked, this, &FilterBar::apply);
    connect(m_clearButton, &QPushButton::clicked, this, &FilterBar::clearFilter);
    connect(m_addButton, &QPushButton::clicked, this, [this] {
        const int row = addCondition();
        if (auto *field =
                m_rowWidgets[row]->findChild<QComboBox *>(QStringLiteral("conditionField")))
            field->setFocus();
    });
}

QString FilterBar::operatorLabel(FilterOp op)
{
    switch (op) {
    case FilterOp::Equal:
        return QStringLiteral("=");
    case FilterOp::NotEqual:
        return QStringLiteral("!=");
    case FilterOp::Less:
        return QStringLiteral("<");
    case FilterOp::LessEqual:
        return QStringLiteral("<=");
    case FilterOp::Greater:
        return QStringLiteral(">");
    case FilterOp::GreaterEqual:
        return QStringLiteral(">=");
    case FilterOp::Contains:
        return tr("contains");
    case FilterOp::BeginsWith:
        return tr("begins with");
    case FilterOp::Exists:
        return tr("exists");
    case FilterOp::NotExists:
        return tr("not exists");
    }
    return {};
}

Value FilterBar::parseOperand(const QString &text)
{
    const QByteArray utf8 = text.trimmed().toUtf8();
    if (!utf8.isEmpty()) {
        auto parsed = JsonCodec::parsePlain(utf8);
        if (parsed)
            return *parsed;
    }
    return Value::string(text);
}

void FilterBar::setFieldPaths(const QStringList &paths)
{
    m_paths = paths;
    for (QWidget *row : std::as_const(m_rowWidgets)) {
        auto *field = row->findChild<QComboBox *>(QStringLiteral("conditionField"));
        const QString text = field->currentText();
        field->clear();
        field->addItems(m_paths);
        field->setCurrentText(text);
    }
}

int FilterBar::addCondition(const QString &path, FilterOp op, const QString &value)
{
    auto *row = new QWidget(this);
    auto *where = new QLabel(m_rowWidgets.isEmpty() ? tr("where") : tr("and"), row);
    auto *field = new QComboBox(row);
    auto *oper = new QComboBox(row);
    auto *operand = new QLineEdit(row);
    auto *remove = new QToolButton(row);
    where->setObjectName(QStringLiteral("conditionLabel"));
    field->setObjectName(QStringLiteral("conditionField"));
    oper->setObjectName(QStringLiteral("conditionOperator"));
    operand->setObjectName(QStringLiteral("conditionValue"));
    remove->setObjectName(QStringLiteral("removeConditionButton"));

    where->setMinimumWidth(where->fontMetrics().horizontalAdvance(tr("where")) + 4);
    where->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    field->setEditable(true);
    field->setInsertPolicy(QComboBox::NoInsert);
    field->addItems(m_paths);
    field->setCurrentText(path);
    field->lineEdit()->setPlaceholderText(tr("field path"));
    field->setMinimumContentsLength(16);
    field->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    field->setToolTip(tr("A field path: a root field or a nested one (metadata.plan)"));
    for (FilterOp o : kOperators)
        oper->addItem(operatorLabel(o), int(o));
    oper->setCurrentIndex(oper->findData(int(op)));
    operand->setText(value);
    operand->setPlaceholderText(tr("value: JSON (42, true, \"text\") or plain text"));
    operand->setClearButtonEnabled(true);
    remove->setIcon(QIcon(QStringLiteral(":/icons/remove.svg")));
    remove->setAutoRaise(true);
    remove->setToolTip(tr("Remove this condition"));

    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    layout->addWidget(where);
    layout->addWidget(field, 2);
    layout->addWidget(oper);
    layout->addWidget(operand, 3);
    layout->addWidget(remove);

    connect(field->lineEdit(), &QLineEdit::returnPressed, this, &FilterBar::apply);
    connect(operand, &QLineEdit::returnPressed, this, &FilterBar::apply);
    connect(oper, &QComboBox::currentIndexChanged, row, [this, row] { updateValueEnabled(row); });
    connect(remove, &QToolButton::clicked, this, [this, row] { removeConditionRow(row); });

    m_rowWidgets << row;
    m_rows->addWidget(row);
    updateValueEnabled(row);
    renumber();
    return int(m_rowWidgets.size()) - 1;
}

void FilterBar::updateValueEnabled(QWidget *row)
{
    auto *oper = row->findChild<QComboBox *>(QStringLiteral("conditionOperator"));
    auto *operand = row->findChild<QLineEdit *>(QStringLiteral("conditionValue"));
    operand->setEnabled(needsOperand(FilterOp(oper->currentData().toInt())));
}

void FilterBar::removeConditionRow(QWidget *row)
{
    m_rowWidgets.removeOne(row);
    row->setObjectName(QString()); // until deleteLater runs, it must not be found as a row
    row->hide();
    row->deleteLater();
    renumber();
}

void FilterBar::renumber()
{
    for (int i = 0; i < m_rowWidgets.size(); ++i) {
        m_rowWidgets[i]->setObjectName(QStringLiteral("conditionRow%1").arg(i));
        if (auto *label = m_rowWidgets[i]->findChild<QLabel *>(QStringLiteral("conditionLabel")))
            label->setText(i == 0 ? tr("where") : tr("and"));
    }
}

int FilterBar::conditionCount() const
{
    return int(m_rowWidgets.size());
}

/// The condition of one row (none when its field is empty), or why its field path is refused.
Result<std::optional<FilterCondition>> FilterBar::rowCondition(const QWidget *row)
{
    const QString path =
        row->findChild<QComboBox *>(QStringLiteral("conditionField"))->currentText().trimmed();
    if (path.isEmpty())
        return std::optional<FilterCondition>();
    auto names = splitLiteralPath(path);
    if (!names)
        return names.error();
    FilterCondition c;
    c.path = std::move(*names);
    c.op = FilterOp(
        row->findChild<QComboBox *>(QStringLiteral("conditionOperator"))->currentData().toInt());
    if (needsOperand(c.op))
        c.operand =
            parseOperand(row->findChild<QLineEdit *>(QStringLiteral("conditionValue"))->text());
    return std::optional<FilterCondition>(std::move(c));
}

Result<std::vector<FilterCondition>> FilterBar::checkedConditions() const
{
    std::vector<FilterCondition> result;
    for (qsizetype i = 0; i < m_rowWidgets.size(); ++i) {
        auto c = rowCondition(m_rowWidgets[i]);
        if (!c)
            return makeError(c.error().kind,
                             tr("Condition %1: %2").arg(i + 1).arg(c.error().message),
                             c.error().location);
        if (*c)
            result.push_back(std::move(**c));
    }
    return result;
}

std::vector<FilterCondition> FilterBar::conditions() const
{
    std::vector<FilterCondition> result;
    for (const QWidget *row : m_rowWidgets) {
        auto c = rowCondition(row);
        if (c && *c)
            result.push_back(std::move(**c));
    }
    return result;
}

QString FilterBar::errorText() const
{
    return m_error->isVisibleTo(this) ? m_error->text() : QString();
}

QString FilterBar::searchText() const
{
    return m_search->text().trimmed();
}

bool FilterBar::isActive() const
{
    return !searchText().isEmpty() || !conditions().empty();
}

void FilterBar::apply()
{
    auto checked = checkedConditions();
    if (!checked) {
        // Nothing runs: the refused path is shown under the bar, as the CLI says it.
        m_error->showMessage(checked.error().message, MessageBar::Kind::Error);
        return;
    }
    m_error->dismiss();
    emit filterApplied(*checked, searchText());
}

void FilterBar::reset()
{
    m_search->clear();
    for (QWidget *row : std::as_const(m_rowWidgets)) {
        row->setObjectName(QString());
        row->hide();
        row->deleteLater();
    }
    m_rowWidgets.clear();
}

void FilterBar::clearFilter()
{
    reset();
    apply();
}

void FilterBar::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}
