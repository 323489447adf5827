#pragma once

#include <QString>

#include <utility>
#include <variant>

/// Why an operation failed; the same kinds on every store.
enum class ErrorKind { Invalid, Exists, NotFound, Conflict, Unavailable, Throttled, Backend };

/// A short lowercase name of an error kind ("invalid", "not found", ...).
QString errorKindName(ErrorKind kind);

/// A failure: a kind, a sentence a person understands, and where it happened.
struct Error
{
    ErrorKind kind = ErrorKind::Backend;
    QString message;
    QString location = {}; ///< field path, "file:line", JSON pointer or key; empty if none
    /// "location: message" or just the message.
    QString toString() const
    {
        return location.isEmpty() ? message : location + QStringLiteral(": ") + message;
    }
};

/// A value or an Error.
template <typename T> class [[nodiscard]] Result
{
public:
    Result(T value) : m_data(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_data(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<0>(m_data); }
    const T &value() const & { return std::get<0>(m_data); }
    T &&value() && { return std::get<0>(std::move(m_data)); }
    T *operator->() { return &std::get<0>(m_data); }
    const T *operator->() const { return &std::get<0>(m_data); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    const Error &error() const { return std::get<1>(m_data); }

private:
    std::variant<T, Error> m_data;
};

using Status = Result<std::monostate>;

/// The successful Status.
inline Status okStatus()
{
    return Status(std::monostate{});
}

inline Error makeError(ErrorKind kind, QString message, QString location = {})
{
    return Error{kind, std::move(message), std::move(location)};
}
