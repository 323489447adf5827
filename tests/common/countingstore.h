#pragma once

// A store that wraps a real one and counts what reaches it, to prove that something (an invalid
// form) never calls the store. Everything goes to the real store.
//
// RecordStore's record operations (putRecord, replaceRecord, getRecord, ...) are not virtual:
// each starts by asking for the table's model, which a fresh wrapper does not have cached, so a
// wrapper made per job (CountingStore::interposer) counts every record operation in `calls`;
// `puts` and `replaces` count the writes that passed the store's own checks.

#include "model/store/recordstore.h"
#include "model/store/storeinterposer.h"

#include <atomic>
#include <memory>

class CountingStore final : public RecordStore
{
public:
    struct Counters
    {
        std::atomic_int calls{0};    ///< record operations started (model lookups)
        std::atomic_int puts{0};     ///< put_record writes
        std::atomic_int replaces{0}; ///< replace_record writes
        std::atomic_int gets{0};
        std::atomic_int removes{0};
        std::atomic_int updates{0};
        std::atomic_int rawWrites{0};
        int total() const { return calls + puts + replaces + gets + removes + updates + rawWrites; }
    };

    CountingStore(RecordStore &inner, std::shared_ptr<Counters> counters)
        : m_inner(inner), m_counters(std::move(counters))
    {
    }

    /// An interposer that wraps the runner's store in a fresh CountingStore for every job.
    static StoreInterposer interposer(std::shared_ptr<Counters> counters)
    {
        auto current = std::make_shared<std::unique_ptr<CountingStore>>();
        return [counters, current](RecordStore &store) -> RecordStore & {
            *current = std::make_unique<CountingStore>(store, counters);
            return **current;
        };
    }

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
        ++m_counters->rawWrites;
        return m_inner.writeRaw(t, record, mustNotExist);
    }
    Status runTransaction(const std::function<Status()> &work) override
    {
        return m_inner.runTransaction(work);
    }

protected:
    Result<TableModelPtr> loadModel(const QString &t) override
    {
        ++m_counters->calls;
        return m_inner.model(t);
    }
    Status doPut(const QString &t, const Value &, const Value &record) override
    {
        ++m_counters->puts;
        return m_inner.putRecord(t, record);
    }
    Status doReplace(const QString &t, const Value &, const Value &expected,
                     const Value &record) override
    {
        ++m_counters->replaces;
        return m_inner.replaceRecord(t, expected, record);
    }
    Result<std::optional<Value>> doGet(const QString &t, const Value &key) override
    {
        ++m_counters->gets;
        return m_inner.getRecord(t, key);
    }
    Result<std::optional<Value>> doRemove(const QString &t, const Value &key) override
    {
        ++m_counters->removes;
        return m_inner.removeRecord(t, key);
    }
    Result<std::vector<std::optional<Value>>>
    doUpdate(const QString &t, const Value &key,
             const std::vector<ResolvedSetter> &setters) override
    {
        // As FaultyStore: applied in memory on the real record, written back raw.
        ++m_counters->updates;
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
        ++m_counters->updates;
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
    RecordStore &m_inner;
    std::shared_ptr<Counters> m_counters;
};
