// PageCache alone: pages of records read page by page (by their cursors) from a real embedded
// store in a temporary directory, kept up to a limit, the least recently used evicted first.
#include "model/grid/pagecache.h"
#include "model/json/jsoncodec.h"
#include "model/schema/validator.h"
#include "model/store/sqlite/sqlitestore.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

struct RecordPage
{
    std::vector<Value> records;
    QByteArray next; ///< the cursor of the page after it
};

class TestPageCache : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<SqliteStore> m_store;
    std::vector<RecordPage> m_pages; ///< the table read page by page, 10 records a page

    static QString firstKey(const RecordPage &page)
    {
        return page.records.empty() ? QString() : page.records.front().find(u"id"_s)->text();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto store = SqliteStore::open(m_dir.filePath(u"pages.structdesk"_s),
                                       SqliteStore::OpenMode::CreateIfMissing);
        QVERIFY2(store, qPrintable(store ? QString() : store.error().toString()));
        m_store = std::move(*store);
        auto model = TableModel::fromFile(QStringLiteral(STRUCTDESK_TESTS_DIR) +
                                          u"/data/models/minimal.json"_s);
        QVERIFY2(model, qPrintable(model ? QString() : model.error().toString()));
        QVERIFY(m_store->createTable(u"users"_s, **model));
        for (int i = 0; i < 60; ++i) {
            auto record = JsonCodec::parsePlain(
                u"{\"id\":\"u%1\",\"name\":\"n%1\"}"_s.arg(i, 2, 10, QChar(u'0')).toUtf8());
            QVERIFY(record);
            const Status s = m_store->putRecord(u"users"_s, *record);
            QVERIFY2(s, qPrintable(s ? QString() : s.error().toString()));
        }
        ScanRequest request;
        request.limit = 10;
        do {
            auto page = m_store->scan(u"users"_s, request);
            QVERIFY2(page, qPrintable(page ? QString() : page.error().toString()));
            m_pages.push_back(RecordPage{page->records, page->nextCursor});
            request.cursor = page->nextCursor;
        } while (!request.cursor.isEmpty());
        QVERIFY2(m_pages.size() >= 6, qPrintable(QString::number(m_pages.size())));
    }

    void keepsPagesUpToTheLimitEvictingTheLeastRecentlyUsed()
    {
        PageCache<RecordPage> cache(3);
        QVERIFY(cache.isEmpty());
        for (int p = 0; p < 3; ++p)
            cache.insert(p, m_pages[std::size_t(p)]);
        QCOMPARE(cache.size(), 3);
        cache.touch(0); // page 1 is now the least recently used
        cache.insert(3, m_pages[3]);
        QCOMPARE(cache.size(), 3);
        QVERIFY(cache.contains(0));
        QVERIFY(!cache.contains(1));
        QVERIFY(cache.contains(2));
        QVERIFY(cache.contains(3));
        QCOMPARE(firstKey(*cache.find(3)), firstKey(m_pages[3]));
        QCOMPARE(cache.find(3)->records.size(), m_pages[3].records.size());
        QCOMPARE(cache.find(1), nullptr);
        // Finding is no use: page 2 goes next, though it was just found.
        QVERIFY(cache.find(2));
        cache.insert(4, m_pages[4]);
        QVERIFY(!cache.contains(2));
        QVERIFY(cache.contains(0));
    }

    void aLowerLimitEvictsAtOnceAndNeverGoesBelowTwo()
    {
        PageCache<RecordPage> cache(24);
        for (std::size_t p = 0; p < m_pages.size(); ++p)
            cache.insert(int(p), m_pages[p]);
        QCOMPARE(cache.size(), int(m_pages.size()));
        cache.setMaxPages(1);
        QCOMPARE(cache.maxPages(), 2);
        QCOMPARE(cache.size(), 2);
        const int last = int(m_pages.size()) - 1;
        QVERIFY(cache.contains(last));
        QVERIFY(cache.contains(last - 1));
        QCOMPARE(firstKey(*cache.find(last)), firstKey(m_pages.back()));
    }

    void clearEmptiesItAndAPageCanBeReadAgain()
    {
        PageCache<RecordPage> cache(4);
        cache.insert(0, m_pages[0]);
        cache.insert(1, m_pages[1]);
        cache.clear();
        QVERIFY(cache.isEmpty());
        QVERIFY(!cache.contains(0));
        // A page read again from the store after it left the cache holds the same records.
        ScanRequest request;
        request.limit = 10;
        request.cursor = m_pages[0].next;
        auto again = m_store->scan(u"users"_s, request);
        QVERIFY(again);
        cache.insert(1, RecordPage{again->records, again->nextCursor});
        QCOMPARE(firstKey(*cache.find(1)), firstKey(m_pages[1]));
        QCOMPARE(cache.find(1)->records.size(), m_pages[1].records.size());
    }
};

QTEST_GUILESS_MAIN(TestPageCache)
#include "tst_pagecache.moc"
