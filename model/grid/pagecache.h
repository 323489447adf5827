#pragma once

// The grid's loaded pages: at most maxPages() of them, the least recently used evicted first, so
// memory stays flat whatever the table's size. A page is any value (the grid's: its rows).

#include <algorithm>
#include <list>
#include <unordered_map>

template <typename Page> class PageCache
{
public:
    explicit PageCache(int maxPages) : m_maxPages(maxPages) {}

    int maxPages() const { return m_maxPages; }
    /// At least 2; evicts what is over the new limit at once.
    void setMaxPages(int pages)
    {
        m_maxPages = std::max(2, pages);
        evict();
    }
    int size() const { return int(m_pages.size()); }
    bool isEmpty() const { return m_pages.empty(); }
    bool contains(int page) const { return m_pages.count(page) > 0; }
    /// The page, or nullptr; finding a page does not count as a use (touch() does).
    const Page *find(int page) const
    {
        auto it = m_pages.find(page);
        return it == m_pages.end() ? nullptr : &it->second;
    }
    /// The page, made empty first when it is not cached (not counted as a use).
    Page &operator[](int page) { return m_pages[page]; }
    /// Keeps a page as the most recently used, then evicts the least recently used beyond
    /// maxPages().
    void insert(int page, Page content)
    {
        m_pages[page] = std::move(content);
        touch(page);
        evict();
    }
    /// Records a use of a page: it is evicted last.
    void touch(int page) const
    {
        if (!m_lru.empty() && m_lru.front() == page)
            return;
        m_lru.remove(page);
        m_lru.push_front(page);
    }
    void clear()
    {
        m_pages.clear();
        m_lru.clear();
    }

private:
    void evict()
    {
        while (int(m_pages.size()) > m_maxPages && !m_lru.empty()) {
            m_pages.erase(m_lru.back());
            m_lru.pop_back();
        }
    }

    int m_maxPages;
    std::unordered_map<int, Page> m_pages;
    mutable std::list<int> m_lru; ///< most recent first
};
