// The main window's stores and tables: opening a store (in the background, with its journal
// checked), listing its tables and choosing one.

#include "widgets/window/mainwindow.h"

#include "model/grid/recordtablemodel.h"
#include "model/rekey/recoveryjournal.h"
#include "model/store/open/demodata.h"
#include "model/store/open/storefactory.h"
#include "model/store/open/storerunner.h"
#include "widgets/commands/recordcommands.h"
#include "widgets/common/messagebar.h"
#include "widgets/grid/filterbar.h"
#include "widgets/grid/recordgridview.h"
#include "widgets/grid/recordinspector.h"
#include "widgets/grid/tablelistview.h"
#include "widgets/window/mainwindowparts.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QProgressBar>
#include <QSettings>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

using namespace mainwindowparts;

// ---- stores and tables ----

QString MainWindow::storeSettingsGroup(const QString &location)
{
    const QByteArray hash =
        QCryptographicHash::hash(location.toUtf8(), QCryptographicHash::Sha1).toHex().left(16);
    return QStringLiteral("stores/") + QString::fromLatin1(hash);
}

namespace {

/// Why opening `location` failed, without repeating the location the message names first.
QString why(const Status &opened, const QString &location)
{
    const Error &e = opened.error();
    return e.location == location ? e.message : e.toString();
}

} // namespace

void MainWindow::openStore(const QString &location, OpenMode mode, const QString &table)
{
    if (!m_storeWait.isEmpty()) {
        // The opening still waiting is abandoned; the runners turn to this one at once.
        m_pagesRunner->interrupt();
        m_workRunner->interrupt();
        endStoreWait();
    }
    saveColumnState();
    const quint64 generation = ++m_openGeneration;
    m_messageBar->dismiss();
    m_storeWarning.clear();
    m_model->clear();
    m_inspector->clear();
    m_filterBar->reset();
    m_tableInfos.clear();
    m_location = location;
    updateTableDetails();
    m_tables->setStore(location);
    m_grid->setEmptyText(tr("Opening %1…").arg(displayName(location)));
    setWindowTitle(tr("%1 — StructDesk").arg(displayName(location)));

    const bool exists = StoreFactory::isRemote(location) || QFileInfo::exists(location);
    if (mode == OpenMode::CreateDemoIfMissing && !exists) {
        // The demo store is written off the GUI thread; the window shows meanwhile.
        m_countLabel->setText(tr("Creating the demo store…"));
        m_progress->setRange(0, 0);
        m_progress->setFormat(QString());
        m_progress->show();
        QtConcurrent::run([location] {
            QDir().mkpath(QFileInfo(location).absolutePath());
            return DemoData::createDemoStore(location);
        }).then(this, [this, generation, location, table](Status created) {
            if (generation != m_openGeneration)
                return;
            m_progress->hide();
            m_progress->setRange(0, 1000);
            if (!created) {
                showError(tr("Could not create the demo store %1: %2")
                              .arg(location, created.error().toString()));
                m_tables->setError(created.error().toString());
                emit storeFailed(created.error().toString());
                return;
            }
            openOpenedStore(generation, location, table);
        });
        return;
    }
    if (mode == OpenMode::Existing && !exists) {
        const QString message = tr("There is no store at %1.").arg(location);
        showError(message);
        m_tables->setError(message);
        m_grid->setEmptyText(tr("Open a store to browse its tables."));
        emit storeFailed(message);
        return;
    }
    const auto create =
        mode == OpenMode::CreateEmpty ? StoreFactory::Create::IfMissing : StoreFactory::Create::No;
    m_countLabel->setText(tr("Opening…"));
    if (StoreFactory::isRemote(location))
        beginStoreWait(tr("Connecting to %1…").arg(location));
    m_pagesRunner->open(location, create)
        .then(this, [this, generation, location, table](Status opened) {
            if (generation != m_openGeneration)
                return;
            if (!opened) {
                endStoreWait();
                const QString message =
                    tr("Could not open %1: %2").arg(location, why(opened, location));
                showError(message);
                m_tables->setError(opened.error().toString());
                m_grid->setEmptyText(tr("Open a store to browse its tables."));
                updateCounts();
                emit storeFailed(message);
                return;
            }
            openOpenedStore(generation, location, table);
        });
}

void MainWindow::openOpenedStore(quint64 generation, const QString &location, const QString &table)
{
    // Both runners serve the same store: pages on one, long work (indexes, filters) on the other.
    auto finish = [this, generation, location, table](Status opened) {
        if (generation != m_openGeneration)
            return;
        if (!opened) {
            endStoreWait();
            const QString message =
                tr("Could not open %1: %2").arg(location, why(opened, location));
            showError(message);
            m_tables->setError(opened.error().toString());
            emit storeFailed(message);
            return;
        }
        storeReady(location, table);
    };
    if (m_pagesRunner->location() == location) {
        m_workRunner->open(location).then(this, finish);
    } else {
        m_pagesRunner->open(location).then(this,
                                           [this, generation, location, finish](Status opened) {
                                               if (generation != m_openGeneration)
                                                   return;
                                               if (!opened) {
                                                   finish(opened);
                                                   return;
                                               }
                                               m_workRunner->open(location).then(this, finish);
                                           });
    }
}

void MainWindow::storeReady(const QString &location, const QString &table)
{
    addRecentStore(location);
    QSettings().setValue(QStringLiteral("lastStore"), location);
    m_grid->setEmptyText(tr("Choose a table on the left to browse its records."));
    // A damaged store file opens read-only: say so, with what to do, before anything else
    // (and any read-only store says so in the title).
    const quint64 generation = m_openGeneration;
    m_pagesRunner->call(
        [](RecordStore &store) { return Result<StoreCapabilities>(store.capabilities()); }, this,
        [this, generation, location](Result<StoreCapabilities> caps) {
            if (generation != m_openGeneration || !caps)
                return;
            if (caps->readOnly)
                setWindowTitle(tr("%1 (read-only) — StructDesk").arg(displayName(location)));
            if (caps->damaged.isEmpty())
                return;
            m_storeWarning = caps->damaged;
            m_messageBar->showMessage(m_storeWarning, MessageBar::Kind::Warning);
        });
    emit storeOpened(location);
    if (!m_journalOffered) {
        // Once per session: what a crash left in the recovery journal comes first.
        m_journalOffered = true;
        QTimer::singleShot(0, this, &MainWindow::offerJournalRecovery);
    }
    QString select = table;
    if (select.isEmpty())
        select = QSettings()
                     .value(storeSettingsGroup(location) + QStringLiteral("/lastTable"))
                     .toString();
    loadTables(select);
}

void MainWindow::loadTables(const QString &select)
{
    const quint64 generation = m_openGeneration;
    // Table names and counts are quick: the pages runner, so a long filter never delays them.
    m_pagesRunner
        ->run([select](RecordStore &store) -> Result<QList<TableInfo>> {
            // Models may have changed through another connection (set-model, an attach).
            store.forgetModels();
            auto names = store.listTables();
            if (!names)
                return names.error();
            QList<TableInfo> tables;
            for (const QString &name : *names) {
                auto info = store.describeTable(name);
                // Listing reads no samples (inferredFrom -1: a model to be inferred on first
                // use); the table about to be shown gets its inferred model now, as its grid
                // would read the sample anyway.
                if (info && info->inferredFrom < 0 && name == select && store.model(name))
                    info = store.describeTable(name);
                if (info) {
                    tables << *info;
                } else {
                    TableInfo broken;
                    broken.name = name;
                    tables << broken;
                }
            }
            return tables;
        })
        .then(this, [this, generation, select](Result<QList<TableInfo>> tables) {
            if (generation != m_openGeneration)
                return;
            endStoreWait(); // opening ends with the tables listed
            if (!tables) {
                showError(tr("Could not list the tables of %1: %2")
                              .arg(m_location, tables.error().toString()));
                m_tables->setError(tables.error().toString());
                return;
            }
            m_tableInfos = *tables;
            m_tables->setTables(m_tableInfos);
            updateTableDetails();
            if (m_tableInfos.isEmpty()) {
                m_grid->setEmptyText(tr("This store has no tables yet.\nCreate one with "
                                        "structdesk-cli create-table TABLE --model FILE."));
                updateCounts();
            } else if (m_model->table().isEmpty()) {
                if (select.isEmpty() || !m_tables->selectTable(select))
                    m_tables->selectTable(m_tableInfos.front().name);
            }
            emit tablesLoaded();
        });
}

QString MainWindow::currentTable() const
{
    return m_model->table();
}

void MainWindow::chooseTable(const QString &name)
{
    if (name == m_model->table())
        return;
    auto it = std::find_if(m_tableInfos.cbegin(), m_tableInfos.cend(),
                           [&](const TableInfo &info) { return info.name == name; });
    if (it == m_tableInfos.cend())
        return;
    if (!it->model) {
        showError(
            tr("The model of table %1 could not be read; refresh (F5) to try again.").arg(name));
        return;
    }
    if (it->inferredFrom < 0) {
        // No model is attached, and listing the tables read no samples: the store infers the
        // model on the table's first use. Do that first, off the GUI thread, so the grid opens
        // with the inferred model's columns and notes, and the details say where it came from.
        saveColumnState();
        m_model->clear();
        m_inspector->clear();
        m_grid->setEmptyText(tr("Reading a sample of %1 to infer its model…").arg(name));
        const quint64 generation = m_openGeneration;
        m_pagesRunner->call(
            [name](RecordStore &store) -> Result<TableInfo> {
                if (auto model = store.model(name); !model)
                    return model.error();
                return store.describeTable(name); // the model just inferred, at no cost
            },
            this,
            [this, generation, name](Result<TableInfo> info) {
                if (generation != m_openGeneration)
                    return;
                auto slot = std::find_if(m_tableInfos.begin(), m_tableInfos.end(),
                                         [&](const TableInfo &t) { return t.name == name; });
                if (slot == m_tableInfos.end())
                    return;
                if (!info) {
                    showError(tr("The model of table %1 could not be read: %2")
                                  .arg(name, info.error().toString()));
                    m_grid->setEmptyText(
                        tr("The model of table %1 could not be read; refresh (F5) to try again.")
                            .arg(name));
                    return;
                }
                *slot = *info;
                slot->inferredFrom = std::max<qint64>(slot->inferredFrom, 0); // asked once
                m_tables->setTables(m_tableInfos);
                if (m_tables->currentTable() == name && m_model->table() != name)
                    chooseTable(name);
            });
        return;
    }
    saveColumnState();
    m_messageBar->dismiss();
    if (!m_storeWarning.isEmpty())
        m_messageBar->showMessage(m_storeWarning, MessageBar::Kind::Warning);
    m_filterBar->reset();
    m_inspector->clear();
    m_timeLabel->clear();
    const QString group = storeSettingsGroup(m_location);
    QSettings settings;
    settings.setValue(group + QStringLiteral("/lastTable"), name);
    m_grid->setColumnState(settings.value(group + QStringLiteral("/columns/") + name).toMap());
    m_model->setTable(name, it->model);
    m_tables->selectTable(name); // re-enters here and returns: the table is set
    updateTableDetails();
    if (m_model->rowCount() == 0)
        m_grid->setEmptyText(tr("Loading %1…").arg(name));
}

void MainWindow::refresh()
{
    if (m_location.isEmpty())
        return;
    m_messageBar->dismiss();
    if (!m_model->table().isEmpty()) {
        m_restoreRow = m_grid->currentIndex().row();
        m_model->reload();
    }
    loadTables(m_model->table());
}
