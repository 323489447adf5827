#pragma once

#include <functional>

/// A cancel request that reaches the store call running on a thread without passing through
/// every store interface: StoreRunner puts a Scope around each job it runs, and the calls that
/// wait on the network (DynamoDbClient) poll requested() beside their own `cancelled`
/// callbacks. So the GUI can stop whatever its store is waiting for (opening, listing,
/// describing, a page, a save) at any moment.
namespace Cancellation {

/// Installs `check` on the current thread for the Scope's lifetime; scopes nest.
class Scope
{
public:
    explicit Scope(std::function<bool()> check);
    ~Scope();
    Scope(const Scope &) = delete;
    Scope &operator=(const Scope &) = delete;

private:
    friend bool requested();
    std::function<bool()> m_check;
    Scope *m_outer;
};

/// True when a check of a Scope active on this thread says stop.
bool requested();

} // namespace Cancellation
