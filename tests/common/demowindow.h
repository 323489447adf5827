#pragma once

// Main-window tests on one demo store file in a temporary folder: the application's settings
// are cleared and the recovery journal lives in that folder, so nothing of the user's is read or
// written; windows open on the store, and records are read back from the file itself.

#include "model/grid/recordtablemodel.h"
#include "model/store/open/demodata.h"
#include "model/store/sqlite/sqlitestore.h"
#include "widgets/window/mainwindow.h"

#include <QCoreApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

class DemoWindowFixture
{
public:
    /// From initTestCase(): the settings, a store of `records` demo users, the journal.
    void init(quint64 records)
    {
        using namespace Qt::StringLiterals;
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"StructDesk"_s);
        QCoreApplication::setApplicationName(u"StructDesk"_s);
        QSettings().clear();
        QVERIFY(m_dir.isValid());
        m_store = m_dir.filePath(u"demo.structdesk"_s);
        QVERIFY(DemoData::createDemoStore(m_store, records));
        m_journal = m_dir.filePath(u"journal"_s);
        qputenv("STRUCTDESK_JOURNAL", m_journal.toUtf8());
    }

    QString filePath(const QString &name) const { return m_dir.filePath(name); }
    QString store() const { return m_store; }
    QString journal() const { return m_journal; }

    /// A window shown on the store (null when it is never exposed).
    std::unique_ptr<MainWindow> openWindow() const
    {
        auto window = std::make_unique<MainWindow>();
        window->resize(1280, 800);
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            return nullptr;
        window->openStore(m_store);
        return window;
    }

    /// The record of `key` in the users table, as the file holds it now.
    std::optional<Value> stored(const Value &key) const
    {
        auto store = SqliteStore::open(m_store);
        if (!store)
            return std::nullopt;
        auto got = (*store)->getRecord(QStringLiteral("users"), key);
        return got ? *got : std::nullopt;
    }

private:
    QTemporaryDir m_dir;
    QString m_store;
    QString m_journal;
};

/// Waits until row `row` of the window's grid is loaded.
inline bool waitForRow(MainWindow *w, int row)
{
    RecordTableModel *model = w->recordModel();
    return QTest::qWaitFor(
        [&] {
            return model->rowCount() > row &&
                   model->index(row, 0).data(RecordTableModel::LoadedRole).toBool();
        },
        20000);
}

/// The first visible child of type T (a dialog the window opened).
template <typename T> T *visibleChild(QWidget *w)
{
    for (T *child : w->findChildren<T *>()) {
        if (child->isVisible())
            return child;
    }
    return nullptr;
}
