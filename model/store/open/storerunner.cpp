#include "model/store/open/storerunner.h"

#include <QMutex>

namespace {
QMutex locationMutex;
}

StoreRunner::StoreRunner()
    : m_context(new QObject), m_callbackHost(new QObject), m_location(std::make_shared<QString>())
{
    m_thread.setObjectName(QStringLiteral("StructDesk store"));
    m_context->moveToThread(&m_thread);
    m_thread.start();
}

StoreRunner::~StoreRunner()
{
    // The store (and its SQLite connection) must die on the thread that made it.
    QMetaObject::invokeMethod(
        m_context,
        [this] {
            m_store.reset();
            delete m_context;
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    // Results still queued to the host are dropped with it.
    delete m_callbackHost;
}

QFuture<Status> StoreRunner::open(const QString &location, StoreFactory::Create create)
{
    return openWith([location, create] { return StoreFactory::open(location, create); }, location);
}

QFuture<Status> StoreRunner::openWith(StoreMaker make, const QString &location)
{
    auto promise = std::make_shared<QPromise<Status>>();
    QFuture<Status> future = promise->future();
    promise->start();
    QMetaObject::invokeMethod(
        m_context,
        [this, promise, make = std::move(make), location, check = interruptCheck()] {
            const Cancellation::Scope scope(check);
            auto store = make();
            if (!store) {
                promise->addResult(Status(store.error()));
            } else {
                m_store = std::move(*store);
                QMutexLocker lock(&locationMutex);
                *m_location = location;
                promise->addResult(okStatus());
            }
            promise->finish();
        },
        Qt::QueuedConnection);
    return future;
}

QString StoreRunner::location() const
{
    QMutexLocker lock(&locationMutex);
    return *m_location;
}
