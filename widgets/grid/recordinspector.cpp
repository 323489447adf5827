#include "widgets/grid/recordinspector.h"

#include "model/grid/recordtablemodel.h"
#include "widgets/common/prettyjson.h"

#include <QClipboard>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QStackedWidget>
#include <QSyntaxHighlighter>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace {

constexpr int kMaxItems = 5000;   ///< a tree beyond this would slow the GUI thread down
constexpr int kExpandItems = 400; ///< expand two levels only while the tree stays this small

/// Keys, strings, numbers and literals of JSON text in quiet colours.
class JsonHighlighter : public QSyntaxHighlighter
{
public:
    explicit JsonHighlighter(QTextDocument *document) : QSyntaxHighlighter(document)
    {
        m_key.setForeground(QColor(0x1f, 0x4e, 0x8c));
        m_string.setForeground(QColor(0x2e, 0x7d, 0x32));
        m_number.setForeground(QColor(0xa3, 0x4a, 0x00));
        m_literal.setForeground(QColor(0x7b, 0x1f, 0xa2));
    }

protected:
    void highlightBlock(const QString &text) override
    {
        static const QRegularExpression token(QStringLiteral(
            R"("(?:[^"\\]|\\.)*"(\s*:)?|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\btrue\b|\bfalse\b|\bnull\b)"));
        for (auto it = token.globalMatch(text); it.hasNext();) {
            const auto m = it.next();
            const QChar first = m.captured(0).front();
            const QTextCharFormat &format =
                first == u'"' ? (m.capturedLength(1) > 0 ? m_key : m_string)
                : (first == u't' || first == u'f' || first == u'n') ? m_literal
                                                                    : m_number;
            setFormat(int(m.capturedStart(0)), int(m.capturedLength(0) - m.capturedLength(1)),
                      format);
        }
    }

private:
    QTextCharFormat m_key, m_string, m_number, m_literal;
};

/// The declared type of `spec` in a few characters ("str", "int|float|str", "dict of AuthToken").
QString compactType(const FieldSpec *spec)
{
    if (!spec)
        return {};
    QStringList names;
    for (const FieldType &t : spec->types) {
        // A named model says more than "map"; "dict of AuthToken" is in the tooltip.
        names << (t.kind == FieldKind::Map && t.model && !t.model->name.isEmpty()
                      ? t.model->name
                      : fieldKindName(t.kind));
    }
    return names.join(u'|');
}

/// The spec of a child of `value` (which `spec` describes): a map's field, a dict's,
/// list's or set's items. nullptr where the model does not say.
const FieldSpec *childSpec(const FieldSpec *spec, const Value &value, const QString &name)
{
    if (!spec || spec->isAny())
        return nullptr;
    if (value.isMap()) {
        if (const FieldType *t = spec->type(FieldKind::Map))
            return t->model ? t->model->field(name) : nullptr;
        if (const FieldType *t = spec->type(FieldKind::Dict))
            return t->items;
        return nullptr;
    }
    if (value.isList()) {
        const FieldType *t = spec->type(FieldKind::List);
        return t ? t->items : nullptr;
    }
    if (value.isSet()) {
        const FieldType *t = spec->type(FieldKind::Set);
        return t ? t->items : nullptr;
    }
    return nullptr;
}

QString scalarText(const Value &value)
{
    switch (value.type()) {
    case Value::Type::String:
        return value.text();
    case Value::Type::Binary: {
        const QByteArray b64 = value.bytes().toBase64();
        return QStringLiteral("%1 (%2 bytes)")
            .arg(QString::fromLatin1(b64.size() > 48 ? b64.left(48) + "…" : b64))
            .arg(value.bytes().size());
    }
    default:
        return RecordTableModel::summary(value);
    }
}

} // namespace

RecordInspector::RecordInspector(QWidget *parent)
    : QWidget(parent), m_stack(new QStackedWidget(this)), m_placeholder(new QLabel(this)),
      m_title(new QLabel(this)), m_subtitle(new QLabel(this)), m_problems(new QLabel(this)),
      m_tabs(new QTabWidget(this)), m_tree(new QTreeWidget(this)), m_json(new QPlainTextEdit(this)),
      m_copy(new QPushButton(tr("Copy JSON"), this))
{
    setObjectName(QStringLiteral("recordInspector"));
    m_stack->setObjectName(QStringLiteral("inspectorStack"));
    m_placeholder->setObjectName(QStringLiteral("inspectorPlaceholder"));
    m_title->setObjectName(QStringLiteral("inspectorTitle"));
    m_subtitle->setObjectName(QStringLiteral("inspectorSubtitle"));
    m_problems->setObjectName(QStringLiteral("inspectorProblems"));
    m_tabs->setObjectName(QStringLiteral("inspectorTabs"));
    m_tree->setObjectName(QStringLiteral("inspectorTree"));
    m_json->setObjectName(QStringLiteral("inspectorJson"));
    m_copy->setObjectName(QStringLiteral("copyJsonButton"));

    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setEnabled(false);

    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_title->setWordWrap(true);
    QPalette subtle = m_subtitle->palette();
    subtle.setColor(QPalette::WindowText, subtle.color(QPalette::Disabled, QPalette::WindowText));
    m_subtitle->setPalette(subtle);

    m_problems->setWordWrap(true);
    m_problems->setTextFormat(Qt::RichText);
    m_problems->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problems->setStyleSheet(
        QStringLiteral("QLabel { background:#fdecea; border:1px solid #e3a6a0; border-radius:4px; "
                       "color:#7a1c12; padding:6px; }"));
    m_problems->hide();

    m_tree->setColumnCount(3);
    m_tree->setHeaderLabels({tr("Field"), tr("Value"), tr("Type")});
    m_tree->setUniformRowHeights(true);
    m_tree->setIndentation(14);
    m_tree->setAlternatingRowColors(true);
    m_tree->setTextElideMode(Qt::ElideRight);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Interactive);
    m_tree->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(2, QHeaderView::Interactive);
    m_tree->header()->setMinimumSectionSize(40);

    m_json->setReadOnly(true);
    m_json->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_json->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    new JsonHighlighter(m_json->document());

    m_tabs->addTab(m_tree, tr("Tree"));
    m_tabs->addTab(m_json, tr("JSON"));
    m_tabs->setDocumentMode(true);
    m_copy->setIcon(QIcon(QStringLiteral(":/icons/copy.svg")));
    m_copy->setFlat(true);
    m_copy->setToolTip(tr("Copy the record as JSON"));
    m_tabs->setCornerWidget(m_copy, Qt::TopRightCorner);

    auto *content = new QWidget(this);
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->setSpacing(6);
    auto *heading = new QVBoxLayout;
    heading->setContentsMargins(6, 4, 6, 0);
    heading->setSpacing(1);
    heading->addWidget(m_title);
    heading->addWidget(m_subtitle);
    contentLayout->addLayout(heading);
    auto *problemsLayout = new QVBoxLayout;
    problemsLayout->setContentsMargins(6, 0, 6, 0);
    problemsLayout->addWidget(m_problems);
    contentLayout->addLayout(problemsLayout);
    contentLayout->addWidget(m_tabs, 1);

    m_stack->addWidget(m_placeholder);
    m_stack->addWidget(content);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    connect(m_copy, &QPushButton::clicked, this, &RecordInspector::copyJson);
    clear();
}

void RecordInspector::clear()
{
    m_hasRecord = false;
    m_tree->clear();
    m_json->clear();
    m_problems->hide();
    m_placeholder->setText(tr("Select a record to see its fields and JSON here."));
    m_stack->setCurrentIndex(0);
}

void RecordInspector::setLoading()
{
    clear();
    m_placeholder->setText(tr("Loading the record…"));
}

void RecordInspector::setUnreadable(const Value &key, const TableModelPtr &model,
                                    const QString &message)
{
    clear();
    m_stack->setCurrentIndex(1);
    m_title->setText(scalarText(key));
    m_title->setToolTip(model ? tr("key attribute: %1").arg(model->hashKey()) : QString());
    m_subtitle->setText(
        model ? tr("%1 · key %2 · cannot be read").arg(model->tableName(), model->hashKey())
              : tr("cannot be read"));
    m_problems->setText(
        tr("<b>This stored record cannot be read:</b><br>%1").arg(message.toHtmlEscaped()));
    m_problems->setStyleSheet(
        QStringLiteral("QLabel { background:#f3e5e5; border:1px solid #5d1a1a; "
                       "border-radius:4px; color:#5d1a1a; padding:6px; }"));
    m_problems->show();
    m_json->setPlainText(tr("(unreadable: there is no record to show)"));
    m_copy->setEnabled(false);
}

void RecordInspector::setRecord(const Value &record, const TableModelPtr &model,
                                const QStringList &problems, bool invalid)
{
    m_hasRecord = true;
    m_copy->setEnabled(true);
    m_stack->setCurrentIndex(1);

    const QString hashKey = model ? model->hashKey() : QString();
    const Value *key = hashKey.isEmpty() ? nullptr : record.find(hashKey);
    m_title->setText(key ? scalarText(*key) : tr("(record without a key)"));
    m_title->setToolTip(hashKey.isEmpty() ? QString() : tr("key attribute: %1").arg(hashKey));
    QString sub = record.size() == 1 ? tr("1 field") : tr("%1 fields").arg(record.size());
    if (model && !hashKey.isEmpty())
        sub = tr("%1 · key %2 · %3").arg(model->tableName(), hashKey, sub);
    if (!problems.isEmpty())
        sub += invalid ? tr(" · fails its table model") : tr(" · has notes");
    m_subtitle->setText(sub);

    if (problems.isEmpty()) {
        m_problems->hide();
    } else {
        QString html =
            invalid ? tr("<b>This record fails its table model:</b>") : tr("<b>Notes:</b>");
        html +=
            QStringLiteral("<ul style=\"margin-left:-24px; margin-top:2px; margin-bottom:0px\">");
        for (const QString &p : problems)
            html += QStringLiteral("<li>%1</li>").arg(p.toHtmlEscaped());
        html += QStringLiteral("</ul>");
        m_problems->setText(html);
        if (!invalid)
            m_problems->setStyleSheet(
                QStringLiteral("QLabel { background:#fff4e0; border:1px solid #e8c27a; "
                               "border-radius:4px; color:#5c3b00; padding:6px; }"));
        else
            m_problems->setStyleSheet(
                QStringLiteral("QLabel { background:#fdecea; border:1px solid #e3a6a0; "
                               "border-radius:4px; color:#7a1c12; padding:6px; }"));
        m_problems->show();
    }

    m_tree->setUpdatesEnabled(false);
    m_tree->clear();
    m_itemCount = 0;
    // The key first, then the model's fields in their declared order, then the others.
    const Value::Map &fields = record.toMap();
    QStringList order;
    if (key)
        order << hashKey;
    if (model) {
        for (const auto &field : model->root().fields) {
            if (field->name != hashKey && fields.contains(field->name))
                order << field->name;
        }
    }
    for (auto it = fields.cbegin(); it != fields.cend(); ++it) {
        if (!order.contains(it.key()))
            order << it.key();
    }
    for (const QString &name : order) {
        const FieldSpec *spec = model ? model->root().field(name) : nullptr;
        addItem(nullptr, name, fields.value(name), spec, 0);
    }
    m_tree->expandToDepth(m_itemCount <= kExpandItems ? 1 : 0);
    m_tree->resizeColumnToContents(0);
    m_tree->resizeColumnToContents(2);
    const int width = m_tree->viewport()->width();
    // The value column keeps at least a third of the width.
    m_tree->setColumnWidth(
        0, std::clamp(m_tree->columnWidth(0) + 8, 90, std::max(90, width * 38 / 100)));
    m_tree->setColumnWidth(
        2, std::clamp(m_tree->columnWidth(2) + 8, 50, std::max(50, width * 28 / 100)));
    m_tree->setUpdatesEnabled(true);

    m_json->setPlainText(QString::fromUtf8(prettyJson(record)));
}

QTreeWidgetItem *RecordInspector::addItem(QTreeWidgetItem *parent, const QString &name,
                                          const Value &value, const FieldSpec *spec, int depth)
{
    if (m_itemCount >= kMaxItems)
        return nullptr;
    ++m_itemCount;
    auto *item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(m_tree);
    item->setText(0, name);
    item->setText(1, scalarText(value));
    const QString declared = compactType(spec);
    item->setText(2, declared.isEmpty() ? value.typeTag()
                                        : QStringLiteral("%1 · %2").arg(value.typeTag(), declared));
    QString tip = tr("%1: %2").arg(name, value.typeDescription());
    if (spec)
        tip += tr("\ndeclared: %1%2")
                   .arg(spec->typeDescription(), spec->required ? tr(", required") : QString());
    item->setToolTip(0, tip);
    item->setToolTip(2, tip);
    if (value.isString() && value.text().size() > 60)
        item->setToolTip(1, value.text().left(2000));
    item->setForeground(2, m_tree->palette().brush(QPalette::Disabled, QPalette::Text));
    if (value.isNull())
        item->setForeground(1, m_tree->palette().brush(QPalette::Disabled, QPalette::Text));
    if (value.isNumber())
        item->setTextAlignment(1, Qt::AlignLeft | Qt::AlignVCenter);
    addChildren(item, value, spec, depth + 1);
    return item;
}

void RecordInspector::addChildren(QTreeWidgetItem *parent, const Value &value,
                                  const FieldSpec *spec, int depth)
{
    if (value.isMap()) {
        const Value::Map &m = value.toMap();
        for (auto it = m.cbegin(); it != m.cend(); ++it)
            addItem(parent, it.key(), it.value(), childSpec(spec, value, it.key()), depth);
    } else if (value.isList()) {
        const Value::List &l = value.toList();
        for (qsizetype i = 0; i < l.size(); ++i)
            addItem(parent, QStringLiteral("[%1]").arg(i), l[i], childSpec(spec, value, {}), depth);
    } else if (value.type() == Value::Type::StringSet) {
        for (const QString &s : value.textItems())
            addItem(parent, QStringLiteral("•"), Value::string(s), childSpec(spec, value, {}),
                    depth);
    } else if (value.type() == Value::Type::NumberSet) {
        for (const QString &s : value.textItems())
            addItem(parent, QStringLiteral("•"), Value::numberUnchecked(s),
                    childSpec(spec, value, {}), depth);
    } else if (value.type() == Value::Type::BinarySet) {
        for (const QByteArray &b : value.binaryItems())
            addItem(parent, QStringLiteral("•"), Value::binary(b), childSpec(spec, value, {}),
                    depth);
    }
}

QString RecordInspector::jsonText() const
{
    return m_json->toPlainText();
}

void RecordInspector::copyJson()
{
    if (!m_hasRecord)
        return;
    QGuiApplication::clipboard()->setText(m_json->toPlainText());
    emit jsonCopied();
}
