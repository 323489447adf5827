#pragma once

// Widget tests on a real store: a temporary folder that holds a fresh demo store per test
// (s1.structdesk, s2.structdesk, ...), opened through a StoreRunner as the GUI reaches it.

#include "model/store/open/demodata.h"
#include "model/store/open/storerunner.h"

#include <QString>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

class DemoStores
{
public:
    bool isValid() const { return m_dir.isValid(); }
    /// A file in the temporary folder.
    QString filePath(const QString &name) const { return m_dir.filePath(name); }
    /// The number of the last store made (1, 2, ...): a test's other files can carry it.
    int serial() const { return m_n; }
    /// The file of the last store made.
    QString path() const { return m_path; }
    StoreRunner *runner() const { return m_runner.get(); }

    /// Makes the next store with `records` demo users and opens it behind a new runner, which
    /// replaces the one before.
    void open(quint64 records)
    {
        m_path = m_dir.filePath(QStringLiteral("s%1.structdesk").arg(++m_n));
        QVERIFY(DemoData::createDemoStore(m_path, records));
        m_runner = std::make_unique<StoreRunner>();
        QVERIFY(m_runner->open(m_path).result());
    }
    /// The record of `key` in the users table, read through the runner (a failing read ends
    /// the test run).
    std::optional<Value> user(const QString &key) const
    {
        auto got = m_runner
                       ->run([key](RecordStore &s) {
                           return s.getRecord(QStringLiteral("users"), Value::string(key));
                       })
                       .result();
        if (!got)
            qFatal("get failed: %s", qPrintable(got.error().toString()));
        return *got;
    }
    /// Closes the store: the runner's thread is joined, no job runs any more.
    void close() { m_runner.reset(); }

private:
    QTemporaryDir m_dir;
    int m_n = 0;
    QString m_path;
    std::unique_ptr<StoreRunner> m_runner;
};
