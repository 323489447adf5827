#include "model/core/cancellation.h"

namespace Cancellation {

namespace {
thread_local Scope *innermost = nullptr;
}

Scope::Scope(std::function<bool()> check) : m_check(std::move(check)), m_outer(innermost)
{
    innermost = this;
}

Scope::~Scope()
{
    innermost = m_outer;
}

bool requested()
{
    for (const Scope *scope = innermost; scope; scope = scope->m_outer) {
        if (scope->m_check && scope->m_check())
            return true;
    }
    return false;
}

} // namespace Cancellation
