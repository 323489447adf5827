#pragma once

#include "model/core/cancellation.h"
#include "model/store/open/storefactory.h"
#include "model/store/recordstore.h"

#include <QFuture>
#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <QPromise>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>
#include <type_traits>

/// Runs store operations off the calling (GUI) thread, one at a time, on one worker thread
/// that owns the store (SQLite connections belong to the thread that opened them).
///
/// Every call returns a QFuture at once; the GUI attaches a continuation or a QFutureWatcher
/// and never waits. (Not QtConcurrent: waiting on its futures may run the work on the waiting
/// thread, which would move the store's connection to another thread.)
class StoreRunner
{
public:
    StoreRunner();
    ~StoreRunner();
    StoreRunner(const StoreRunner &) = delete;
    StoreRunner &operator=(const StoreRunner &) = delete;

    /// Opens the store at `location` on the worker thread; replaces any store it had.
    QFuture<Status> open(const QString &location,
                         StoreFactory::Create create = StoreFactory::Create::No);

    using StoreMaker = std::function<Result<std::unique_ptr<RecordStore>>()>;
    /// Opens the store that `make` returns, calling it on the worker thread (tests wrap a real
    /// store this way, e.g. in a fault-injecting one); `location` is what location() answers.
    QFuture<Status> openWith(StoreMaker make, const QString &location);

    /// Runs `work(RecordStore &)` on the worker thread. If no store is open the work gets an
    /// Unavailable error instead (the result type must be constructible from Error).
    template <typename F> auto run(F work) -> QFuture<std::invoke_result_t<F, RecordStore &>>
    {
        using R = std::invoke_result_t<F, RecordStore &>;
        auto promise = std::make_shared<QPromise<R>>();
        auto job = std::make_shared<F>(std::move(work));
        QFuture<R> future = promise->future();
        promise->start();
        QMetaObject::invokeMethod(
            m_context,
            [this, promise, job, check = interruptCheck()]() {
                const Cancellation::Scope scope(check);
                if (m_store)
                    promise->addResult((*job)(*m_store));
                else
                    promise->addResult(
                        R(makeError(ErrorKind::Unavailable, QStringLiteral("no store is open"))));
                promise->finish();
            },
            Qt::QueuedConnection);
        return future;
    }

    /// Runs `work(RecordStore &)` on the worker thread, then `done(result)` on the thread that
    /// made this runner, but only if `context` still exists then. Prefer this to
    /// run().then(context, ...) for objects that may die first (Qt 6.4 asserts there).
    template <typename F, typename Done> void call(F work, QObject *context, Done done)
    {
        using R = std::invoke_result_t<F, RecordStore &>;
        QPointer<QObject> guard(context);
        auto job = std::make_shared<F>(std::move(work));
        auto finished = std::make_shared<Done>(std::move(done));
        QObject *host = m_callbackHost;
        QMetaObject::invokeMethod(
            m_context,
            [this, job, finished, guard, host, check = interruptCheck()]() {
                const Cancellation::Scope scope(check);
                auto result = std::make_shared<R>(
                    m_store
                        ? (*job)(*m_store)
                        : R(makeError(ErrorKind::Unavailable, QStringLiteral("no store is open"))));
                QMetaObject::invokeMethod(
                    host,
                    [finished, guard, result]() {
                        if (guard)
                            (*finished)(std::move(*result));
                    },
                    Qt::QueuedConnection);
            },
            Qt::QueuedConnection);
    }

    /// Queues `fn` to the thread that made this runner (callable from the worker thread, e.g. to
    /// report progress); `fn` should hold a QPointer made on that thread and check it.
    void post(std::function<void()> fn)
    {
        QMetaObject::invokeMethod(m_callbackHost, std::move(fn), Qt::QueuedConnection);
    }

    /// The location of the store last opened successfully.
    QString location() const;

    /// Stops the store call running now and every call queued before this one, as far as the
    /// store can: DynamoDB calls end at once as Unavailable ("… was cancelled"); embedded-store
    /// calls, which never wait on the network, run on. Calls queued afterwards run normally.
    /// Callable from any thread; never waits.
    void interrupt() { m_interrupts->fetch_add(1); }

private:
    /// The check a job queued now runs under: true once interrupt() was called after queuing.
    std::function<bool()> interruptCheck() const
    {
        return [interrupts = m_interrupts, queuedAt = m_interrupts->load()] {
            return interrupts->load() != queuedAt;
        };
    }

    std::shared_ptr<std::atomic<quint64>> m_interrupts = std::make_shared<std::atomic<quint64>>(0);
    QThread m_thread;
    QObject *m_context;      ///< lives on m_thread; jobs are queued to it
    QObject *m_callbackHost; ///< lives on the creating thread; call() results are queued to it
    std::unique_ptr<RecordStore> m_store; ///< touched only on the worker thread
    std::shared_ptr<QString> m_location;
};
