#pragma once

// A store that wraps a real one and fails chosen operations, for fault tests. Everything it does
// not fail goes to the real store.

#include "model/store/recordstore.h"

#include <QSet>

class FaultyStore final : public RecordStore
{
public:
    explicit FaultyStore(RecordStore &inner) : m_inner(inner) {}

    /// Operations: "get", "remove", "writeRaw", "delete" (via remove), "transaction", "put".
    /// `afterCalls` lets that many calls through before failing; `times` failures, -1 = always.
    void failOn(const QString &operation, ErrorKind kind = ErrorKind::Unavailable,
                int afterCalls = 0, int times = -1)
    {
        m_faults[operation] = Fault{kind, afterCalls, times};
    }
    void heal() { m_faults.clear(); }
    int calls(const QString &operation) const { return m_calls.value(operation); }

    QString location() const override { return m_inner.location(); }
    StoreCapabilities capabilities() const override { return m_inner.capabilities(); }
    Result<QStringList> listTables() override { return m_inner.listTables(); }
    Result<TableInfo> describeTable(const QString &t) override { return m_inner.describeTable(t); }
    Status createTable(const QString &t, const TableModel &m) override
    {
        return m_inner.createTable(t, m);
    }
    Status dropTable(const QString &t) override { return m_inner.dropTable(t); }
    Status setModel(const QString &t, const TableModel &m) override
    {
        return m_inner.setModel(t, m);
    }
    Result<ScanPage> scan(const QString &t, const ScanRequest &r) override
    {
        return m_inner.scan(t, r);
    }
    Result<qint64> count(const QString &t, const ScanRequest &r = {}) override
    {
        return m_inner.count(t, r);
    }
    Status writeRaw(const QString &t, const Value &record, bool mustNotExist) override
    {
        if (auto e = fault(QStringLiteral("writeRaw")))
            return *e;
        return m_inner.writeRaw(t, record, mustNotExist);
    }
    Status runTransaction(const std::function<Status()> &work) override
    {
        if (auto e = fault(QStringLiteral("transaction")))
            return *e;
        return m_inner.runTransaction(work);
    }

protected:
    Result<TableModelPtr> loadModel(const QString &t) override { return m_inner.model(t); }
    Status doPut(const QString &t, const Value &, const Value &record) override
    {
        if (auto e = fault(QStringLiteral("put")))
            return *e;
        return m_inner.putRecord(t, record);
    }
    Status doReplace(const QString &t, const Value &, const Value &expected,
                     const Value &record) override
    {
        if (auto e = fault(QStringLiteral("replace")))
            return *e;
        return m_inner.replaceRecord(t, expected, record);
    }
    Result<std::optional<Value>> doGet(const QString &t, const Value &key) override
    {
        if (auto e = fault(QStringLiteral("get")))
            return *e;
        return m_inner.getRecord(t, key);
    }
    Result<std::optional<Value>> doRemove(const QString &t, const Value &key) override
    {
        if (auto e = fault(QStringLiteral("remove")))
            return *e;
        return m_inner.removeRecord(t, key);
    }
    Result<std::vector<std::optional<Value>>>
    doUpdate(const QString &t, const Value &key,
             const std::vector<ResolvedSetter> &setters) override
    {
        if (auto e = fault(QStringLiteral("update")))
            return *e;
        auto m = m_inner.model(t);
        if (!m)
            return m.error();
        auto current = m_inner.getRecord(t, key);
        if (!current)
            return current.error();
        Value record = current->value_or(Value::map({{(*m)->hashKey(), key}}));
        std::vector<std::optional<Value>> old;
        for (const ResolvedSetter &s : setters) {
            auto previous = setAtPath(record, s.path, s.value);
            if (!previous)
                return previous.error();
            old.push_back(*previous);
        }
        if (auto w = m_inner.writeRaw(t, record, false); !w)
            return w.error();
        return old;
    }
    Result<std::optional<Value>> doRemoveField(const QString &t, const Value &key,
                                               const ResolvedPath &path) override
    {
        if (auto e = fault(QStringLiteral("removeField")))
            return *e;
        auto current = m_inner.getRecord(t, key);
        if (!current)
            return current.error();
        if (!current->has_value())
            return std::optional<Value>();
        Value record = **current;
        auto removed = removeAtPath(record, path);
        if (removed) {
            if (auto w = m_inner.writeRaw(t, record, false); !w)
                return w.error();
        }
        return removed;
    }

private:
    struct Fault
    {
        ErrorKind kind;
        int after;
        int times;
    };
    std::optional<Error> fault(const QString &operation)
    {
        const int n = ++m_calls[operation];
        auto it = m_faults.find(operation);
        if (it == m_faults.end() || n <= it->after || it->times == 0)
            return std::nullopt;
        if (it->times > 0)
            --it->times;
        return makeError(
            it->kind,
            QStringLiteral("injected failure of %1 (the store is unreachable)").arg(operation));
    }
    RecordStore &m_inner;
    QHash<QString, Fault> m_faults;
    QHash<QString, int> m_calls;
};
