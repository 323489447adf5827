#pragma once

// Permission checks in tests that run as root (CI containers do): root reads and writes any
// file, so a test that needs "permission denied" runs those steps as user 65534 (nobody): the
// real and effective user and group of the test process change (access() looks at the real
// ones, opening at the effective ones), the saved ones stay root's, to switch back.

#include <QFile>

#include <unistd.h>

class AsUnprivilegedUser
{
public:
    AsUnprivilegedUser()
    {
        if (::geteuid() == 0)
            m_switched = ::setresgid(65534, 65534, 0) == 0 && ::setresuid(65534, 65534, 0) == 0;
    }
    ~AsUnprivilegedUser()
    {
        if (m_switched && (::setresuid(0, 0, 0) != 0 || ::setresgid(0, 0, 0) != 0))
            qFatal("cannot go back to root");
    }
    AsUnprivilegedUser(const AsUnprivilegedUser &) = delete;
    AsUnprivilegedUser &operator=(const AsUnprivilegedUser &) = delete;
    /// True when permissions now apply (switched, or not root to begin with).
    bool ok() const { return m_switched || ::geteuid() != 0; }

    /// rwx for the owner, r-x for everyone else: a folder the unprivileged user can enter.
    static constexpr QFile::Permissions kOpenFolder =
        QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup |
        QFile::ExeGroup | QFile::ReadOther | QFile::ExeOther;

private:
    bool m_switched = false;
};
