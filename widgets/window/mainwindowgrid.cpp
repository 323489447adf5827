// The main window's grid: filter, sort, cancel a load, the counts and table details in the status
// bar and tables pane, waiting for a store, the inspector and copying records as JSON.

#include "widgets/window/mainwindow.h"

#include "model/grid/recordtablemodel.h"
#include "model/json/jsoncodec.h"
#include "model/store/open/storerunner.h"
#include "widgets/commands/recordcommands.h"
#include "widgets/common/looks.h"
#include "widgets/common/messagebar.h"
#include "widgets/grid/filterbar.h"
#include "widgets/grid/recordgridview.h"
#include "widgets/grid/recordinspector.h"
#include "widgets/grid/tablelistview.h"
#include "widgets/window/mainwindowparts.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QStatusBar>
#include <QTimer>
#include <QToolButton>

using namespace mainwindowparts;

// ---- grid, filter, sort ----

bool MainWindow::isNaturalView() const
{
    return m_model->filterConditions().empty() && m_model->filterText().isEmpty() &&
           m_model->sortColumn() < 0;
}

void MainWindow::applyFilter(const std::vector<FilterCondition> &conditions, const QString &text)
{
    if (m_model->table().isEmpty())
        return;
    m_messageBar->dismiss();
    m_model->setFilter(conditions, text);
}

void MainWindow::clearSort()
{
    if (m_model->sortColumn() >= 0)
        m_model->clearSort();
    syncSortIndicator();
}

void MainWindow::syncSortIndicator()
{
    m_grid->showSortIndicator(m_model->sortColumn(), m_model->sortOrder());
    m_clearSortAction->setEnabled(m_model->sortColumn() >= 0);
}

void MainWindow::cancelLoad()
{
    if (!m_storeWait.isEmpty()) {
        // Whatever the runners answer for this opening now is dropped.
        ++m_openGeneration;
        m_pagesRunner->interrupt();
        m_workRunner->interrupt();
        endStoreWait();
        const QString message = tr("Stopped connecting to %1.").arg(m_location);
        m_messageBar->showMessage(message, MessageBar::Kind::Warning);
        m_tables->setError(message);
        m_grid->setEmptyText(tr("Open a store to browse its tables."));
        updateCounts();
        emit storeFailed(message);
        return;
    }
    if (m_model->isCounting()) {
        m_model->cancelCount();
        statusBar()->showMessage(tr("Count cancelled; the estimate stays."), kStatusMessageMs);
        return;
    }
    if (!m_model->isLoading() || isNaturalView())
        return;
    // The model goes back to the view that last finished loading.
    m_model->cancel();
    statusBar()->showMessage(tr("Cancelled; showing the previous view."), kStatusMessageMs);
}

void MainWindow::updateFieldPaths()
{
    QStringList paths;
    if (const TableModelPtr model = m_model->tableModel())
        collectPaths(model->root(), {}, 0, paths);
    for (int c = 0; c < m_model->columnCount(); ++c) {
        const QString name = m_model->headerData(c, Qt::Horizontal).toString();
        if (!paths.contains(name))
            paths << name;
    }
    if (paths != m_filterBar->fieldPaths())
        m_filterBar->setFieldPaths(paths);
}

void MainWindow::updateCounts()
{
    if (!m_storeWait.isEmpty()) {
        showStoreWait();
        return;
    }
    const qint64 shown = m_model->rowCount();
    const qint64 total = m_model->totalCount();
    if (m_model->table().isEmpty()) {
        m_countLabel->setText(m_location.isEmpty() ? tr("No store open") : tr("No table chosen"));
    } else if (total < 0 && shown == 0) {
        m_countLabel->setText(tr("Loading %1…").arg(m_model->table()));
    } else if (total < 0 && m_model->isSequential() && m_model->canFetchMore({})) {
        m_countLabel->setText(tr("%1 records shown, more as you scroll (View ▸ Count Exactly)")
                                  .arg(Looks::number(shown)));
    } else if (total < 0) {
        m_countLabel->setText(tr("%1 records shown").arg(Looks::number(shown)));
    } else if (!m_model->totalIsExact() && total <= shown) {
        // The estimate lags behind (DynamoDB refreshes it about every six hours).
        m_countLabel->setText(tr("%1 records shown, more as you scroll (View ▸ Count Exactly)")
                                  .arg(Looks::number(shown)));
    } else if (!m_model->totalIsExact()) {
        // DynamoDB's item count is an estimate, refreshed by the service about every six hours.
        m_countLabel->setText(tr("%1 records shown of about %2 (estimate; View ▸ Count Exactly)")
                                  .arg(Looks::number(shown), Looks::number(total)));
    } else {
        m_countLabel->setText(
            tr("%1 records shown of %2").arg(Looks::number(shown), Looks::number(total)));
    }
    m_countExactlyAction->setEnabled(!m_model->table().isEmpty() && !m_model->totalIsExact());
    if (total >= 0 && m_model->totalIsExact() && isNaturalView()) {
        // The grid knows the exact count (every page read, or counted): the tables panel and the
        // details say it too, instead of an estimate or "?".
        auto it =
            std::find_if(m_tableInfos.begin(), m_tableInfos.end(),
                         [&](const TableInfo &info) { return info.name == m_model->table(); });
        if (it != m_tableInfos.end() && (it->count != total || !it->countExact)) {
            it->count = total;
            it->countExact = true;
            m_tables->setTables(m_tableInfos);
        }
    }
    if (!m_model->table().isEmpty() && shown == 0 && !m_model->isLoading() && total >= 0) {
        m_grid->setEmptyText(isNaturalView()
                                 ? tr("The table %1 has no records.").arg(m_model->table())
                                 : tr("No records match the filter."));
    }
}

void MainWindow::onLoadingChanged(bool loading)
{
    if (!m_storeWait.isEmpty())
        return; // the store wait owns the progress and Cancel
    const bool natural = isNaturalView();
    const bool cancellable = loading && (!natural || m_model->isCounting());
    m_cancelAction->setEnabled(cancellable);
    m_cancelButton->setVisible(cancellable);
    if (loading) {
        QString what = tr("Loading");
        if (!m_model->filterConditions().empty() || !m_model->filterText().isEmpty())
            what = tr("Filtering");
        else if (m_model->sortColumn() >= 0)
            what = tr("Sorting");
        if (m_model->isCounting())
            what = tr("Counting");
        m_progress->setValue(0);
        m_progress->setFormat(what + QStringLiteral("… %p%"));
        m_progress->show();
        m_timeLabel->setText(what + QStringLiteral("…"));
    } else {
        m_progress->hide();
    }
    syncSortIndicator();
    updateCounts();
}

void MainWindow::onProgress(double fraction)
{
    m_progress->setValue(int(std::clamp(fraction, 0.0, 1.0) * 1000));
}

void MainWindow::onLoadFinished(qint64 milliseconds)
{
    updateTableDetails();
    m_timeLabel->setText(tr("Loaded in %1 ms").arg(Looks::number(milliseconds)));
    updateCounts();
}

void MainWindow::updateTableDetails()
{
    const QString table = m_model->table();
    auto it = std::find_if(m_tableInfos.cbegin(), m_tableInfos.cend(),
                           [&](const TableInfo &info) { return info.name == table; });
    if (table.isEmpty() || it == m_tableInfos.cend() || !it->model) {
        m_tableDetails->hide();
        return;
    }
    const TableModel &model = *it->model;
    auto row = [](const QString &label, const QString &value) {
        return QStringLiteral("<tr><td style=\"color:palette(mid); "
                              "padding-right:8px\">%1</td><td>%2</td></tr>")
            .arg(label.toHtmlEscaped(), value);
    };
    QString html =
        QStringLiteral("<b>%1</b><table style=\"margin-top:4px\">").arg(table.toHtmlEscaped());
    const qint64 total = m_model->totalCount() >= 0 ? m_model->totalCount() : it->count;
    html += row(tr("Records"), total >= 0 ? Looks::number(total) : tr("unknown"));
    QString key = QStringLiteral("%1 <span style=\"color:palette(mid)\">(%2)</span>")
                      .arg(model.hashKey().toHtmlEscaped(), fieldKindName(model.hashKeyType()));
    if (!model.primaryIndex().sortKey.isEmpty())
        key += QStringLiteral(", %1").arg(model.primaryIndex().sortKey.toHtmlEscaped());
    html += row(tr("Key"), key);
    QStringList indexes;
    for (const IndexSpec &index : model.secondaryIndexes())
        indexes << index.name.toHtmlEscaped();
    if (!indexes.isEmpty())
        html += row(indexes.size() == 1 ? tr("Index") : tr("Indexes"),
                    indexes.join(QStringLiteral(", ")));
    if (it->hasModel) {
        int required = 0;
        for (const auto &field : model.root().fields)
            required += field->required ? 1 : 0;
        html +=
            row(tr("Fields"), tr("%1 (%2 required)").arg(model.root().fields.size()).arg(required));
    } else {
        html += row(tr("Fields"), tr("free-form (no table model)"));
    }
    if (it->inferredFrom > 0) {
        html += row(tr("Model"),
                    tr("inferred from %1 sampled records; only the key is enforced. Attach "
                       "one: Table ▸ Attach Model File…")
                        .arg(Looks::number(it->inferredFrom))
                        .toHtmlEscaped());
    }
    html += QStringLiteral("</table>");
    m_tableDetails->setText(html);
    m_tableDetails->setToolTip(m_location);
    m_tableDetails->show();
}

void MainWindow::beginStoreWait(const QString &what)
{
    m_storeWait = what;
    m_storeWaitClock.start();
    m_progress->setRange(0, 0); // busy: a connection has no fraction done
    m_progress->setFormat(QString());
    m_progress->show();
    m_cancelAction->setEnabled(true);
    m_cancelButton->setVisible(true);
    m_messageBar->showMessage(tr("%1 Esc or Cancel stops waiting.").arg(what),
                              MessageBar::Kind::Information);
    m_grid->setEmptyText(what);
    showStoreWait();
    m_storeWaitTimer->start();
}

void MainWindow::showStoreWait()
{
    if (m_storeWait.isEmpty())
        return;
    m_countLabel->setText(tr("%1 %2 s (Esc cancels)")
                              .arg(m_storeWait)
                              .arg(qRound(double(m_storeWaitClock.elapsed()) / 1000.0)));
}

void MainWindow::endStoreWait()
{
    if (m_storeWait.isEmpty())
        return;
    m_storeWait.clear();
    m_storeWaitTimer->stop();
    m_progress->hide();
    m_progress->setRange(0, 1000);
    if (m_messageBar->kind() == MessageBar::Kind::Information && m_messageBar->isVisible())
        m_messageBar->dismiss();
    onLoadingChanged(m_model->isLoading()); // Cancel and the counts as the grid says
}

void MainWindow::showError(const QString &message)
{
    m_messageBar->showMessage(message, MessageBar::Kind::Error);
}

void MainWindow::showCurrentRecord()
{
    const QModelIndex current = m_grid->currentIndex();
    if (!current.isValid()) {
        m_inspector->clear();
        return;
    }
    const QModelIndex first = current.siblingAtColumn(0);
    const auto state = first.data(RecordTableModel::ValidationStateRole)
                           .value<RecordTableModel::ValidationState>();
    if (state == RecordTableModel::ValidationState::Unreadable) {
        m_inspector->setUnreadable(first.data(RecordTableModel::RecordKeyRole).value<Value>(),
                                   m_model->tableModel(),
                                   first.data(RecordTableModel::UnreadableRole).toString());
        return;
    }
    const QVariant record = first.data(RecordTableModel::RecordRole);
    if (!record.isValid()) {
        m_inspector->setLoading();
        return;
    }
    m_inspector->setRecord(record.value<Value>(), m_model->tableModel(),
                           first.data(RecordTableModel::ProblemsRole).toStringList(),
                           state == RecordTableModel::ValidationState::Invalid);
}

void MainWindow::copySelectionAsJson()
{
    // Text fields copy their own selection.
    QWidget *focus = QApplication::focusWidget();
    if (auto *edit = qobject_cast<QLineEdit *>(focus); edit && edit->hasSelectedText()) {
        edit->copy();
        return;
    }
    if (auto *text = qobject_cast<QPlainTextEdit *>(focus);
        text && text->textCursor().hasSelection()) {
        text->copy();
        return;
    }
    QModelIndexList rows = m_grid->selectionModel()->selectedRows();
    if (rows.isEmpty() && m_grid->currentIndex().isValid())
        rows << m_grid->currentIndex().siblingAtColumn(0);
    std::sort(rows.begin(), rows.end(),
              [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    QByteArray lines;
    int copied = 0;
    int missing = 0;
    for (const QModelIndex &row : std::as_const(rows)) {
        const QVariant record = row.data(RecordTableModel::RecordRole);
        if (!record.isValid()) {
            ++missing;
            continue;
        }
        JsonCodec::appendPlain(lines, record.value<Value>());
        lines += '\n';
        ++copied;
    }
    if (copied == 0) {
        statusBar()->showMessage(rows.isEmpty() ? tr("Select records to copy them as JSON.")
                                                : tr("The selected records are still loading."),
                                 kStatusMessageMs);
        return;
    }
    QGuiApplication::clipboard()->setText(QString::fromUtf8(lines));
    QString message =
        copied == 1 ? tr("Copied 1 record as JSON") : tr("Copied %1 records as JSON").arg(copied);
    if (missing > 0)
        message += tr(" (%1 still loading, not copied)").arg(missing);
    statusBar()->showMessage(message, kStatusMessageMs);
}

void MainWindow::focusFilter()
{
    m_filterBar->focusSearch();
}
