#pragma once

// Inside FastJson: the output cursor its writers share. Not part of the API (fastjson.h).

#include <QByteArray>
#include <QByteArrayView>

#include <algorithm>
#include <cstddef>
#include <cstring>

namespace FastJson::detail {

/// Appends to a QByteArray through a raw cursor: QByteArray::append costs a call and a
/// capacity check per piece, which dominates when a record is written piece by piece.
class Writer
{
public:
    explicit Writer(QByteArray &out) : m_out(out)
    {
        m_used = out.size();
        // Work in the capacity the caller reserved: resize() within it does not reallocate.
        m_out.resize(std::max(m_out.capacity(), m_used + 256));
    }
    ~Writer() { m_out.resize(m_used); }
    Writer(const Writer &) = delete;
    Writer &operator=(const Writer &) = delete;

    void reserve(qsizetype extra)
    {
        if (m_out.size() - m_used >= extra)
            return;
        const qsizetype wanted = std::max(m_used + extra, m_out.size() * 2 + 256);
        m_out.resize(wanted);
    }
    char *at() { return m_out.data() + m_used; }
    void advance(qsizetype n) { m_used += n; }
    void put(char c)
    {
        reserve(1);
        m_out.data()[m_used++] = c;
    }
    void put(const char *s, qsizetype n)
    {
        reserve(n);
        std::memcpy(m_out.data() + m_used, s, std::size_t(n));
        m_used += n;
    }
    void put(QByteArrayView v) { put(v.data(), v.size()); }
    template <std::size_t N> void lit(const char (&s)[N]) { put(s, qsizetype(N - 1)); }

private:
    QByteArray &m_out;
    qsizetype m_used = 0;
};

} // namespace FastJson::detail
