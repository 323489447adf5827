// A store whose records were damaged behind StructDesk's back with the sqlite3 shell: one
// unreadable record never blocks a table. Scans (natural, filtered, sorted, by page index),
// exports in every format and checks skip it, name its key and row and count it; get, update
// and remove refuse it naming key, table and file and leave it as it is; delete discards it.

#include "model/exporter.h"
#include "model/jsoncodec.h"
#include "model/sqlitestore.h"
#include "model/tablecheck.h"
#include "tests/common/sqliteshell.h"

#include <QBuffer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TstCorruptStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_path;
    int m_n = 0;

    static QByteArray modelJson()
    {
        return R"({"table":"users","primaryIndex":{"hashKey":"id","hashKeyType":"str"},
                   "fields":{"id":{"type":"str","required":true},"name":{"type":"str","required":true},
                             "age":{"type":"int"}}})";
    }

    /// u1..u5, then u3's stored text replaced by `damage` (an SQL value) with the shell.
    void makeStore(const QString &damage)
    {
        auto store = SqliteStore::open(m_path, SqliteStore::OpenMode::CreateIfMissing);
        QVERIFY(store);
        auto model = TableModel::fromJson(modelJson(), u"model"_s);
        QVERIFY(model);
        QVERIFY((*store)->createTable(u"users"_s, **model));
        for (int i = 1; i <= 5; ++i)
            QVERIFY((*store)->putRecord(
                u"users"_s,
                *JsonCodec::parsePlain(
                    u"{\"id\":\"u%1\",\"name\":\"n%1\",\"age\":%1}"_s.arg(i).toUtf8())));
        store->reset();
        const auto r = SqliteShell::exec(
            m_path, u"UPDATE rec_users SET item = %1 WHERE pk = 'u3'"_s.arg(damage));
        QVERIFY2(r.exit == 0, qPrintable(r.err));
    }

    static QStringList keysOf(const std::vector<Value> &records)
    {
        QStringList keys;
        for (const Value &r : records)
            keys << r.find(u"id"_s)->text();
        return keys;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(!SqliteShell::path().isEmpty(),
                 "the sqlite3 shell is not installed (make deps installs it)");
    }

    void init() { m_path = m_dir.filePath(u"s%1.structdesk"_s.arg(++m_n)); }

    void oneUnreadableRecordNeverBlocksTheTable_data()
    {
        QTest::addColumn<QString>("damage"); // the SQL value written over u3's stored text
        QTest::addColumn<QString>("reason"); // a fragment of why it cannot be read
        QTest::newRow("broken JSON")
            << u"'{bad'"_s << u"its stored JSON is damaged (line 1, column 2)"_s;
        QTest::newRow("truncated JSON")
            << uR"('{"id":"u3","name":')"_s << u"its stored JSON is damaged"_s;
        QTest::newRow("empty text") << u"''"_s << u"its stored JSON is damaged"_s;
        QTest::newRow("a number") << u"'42'"_s << u"is an integer number, not a record"_s;
        QTest::newRow("a list") << u"'[1,2]'"_s << u"is a list, not a record"_s;
        QTest::newRow("an SQL integer") << u"42"_s << u"not a record"_s;
        QTest::newRow("binary blob") << u"X'00FF10'"_s << u"its stored JSON is damaged"_s;
        // Well-formed JSON with a bad tag: SQLite filters it like any record (it matches name=n4).
        QTest::newRow("bad set tag")
            << uR"('{"id":"u3","name":"n4","t":{"$SS":5}}')"_s << u"its stored JSON is damaged"_s;
    }

    void oneUnreadableRecordNeverBlocksTheTable()
    {
        QFETCH(QString, damage);
        QFETCH(QString, reason);
        makeStore(damage);
        const QString before = SqliteShell::rawRow(m_path, u"users"_s, u"u3"_s);
        auto opened = SqliteStore::open(m_path);
        QVERIFY(opened);
        SqliteStore &store = **opened;

        // The natural scan: the others, and u3 named in its place.
        ScanRequest all;
        auto page = store.scan(u"users"_s, all);
        QVERIFY2(page, qPrintable(page ? QString() : page.error().toString()));
        QCOMPARE(keysOf(page->records), (QStringList{u"u1"_s, u"u2"_s, u"u4"_s, u"u5"_s}));
        QCOMPARE(page->unreadable.size(), size_t(1));
        const UnreadableRecord &bad = page->unreadable.front();
        QCOMPARE(bad.key, u"u3"_s);
        QCOMPARE(bad.row, qint64(3));
        QCOMPARE(bad.position, size_t(2));
        QVERIFY2(bad.reason.contains(reason), qPrintable(bad.reason));
        QVERIFY(bad.toString().startsWith(u"key \"u3\" (row 3): "_s));

        // Pages of two: the unreadable row takes its place in the page, and paging goes on.
        ScanRequest paged;
        paged.limit = 2;
        QStringList seen;
        int unreadable = 0;
        do {
            auto p = store.scan(u"users"_s, paged);
            QVERIFY(p);
            seen << keysOf(p->records);
            unreadable += int(p->unreadable.size());
            paged.cursor = p->nextCursor;
        } while (!paged.cursor.isEmpty());
        QCOMPARE(seen, (QStringList{u"u1"_s, u"u2"_s, u"u4"_s, u"u5"_s}));
        QCOMPARE(unreadable, 1);

        // Filters and sorts run SQLite's JSON functions over every row: u3 does not fail them,
        // it is named among the results.
        ScanRequest filtered;
        filtered.conditions.push_back(
            FilterCondition{{u"name"_s}, FilterOp::Equal, Value::string(u"n4"_s)});
        page = store.scan(u"users"_s, filtered);
        QVERIFY2(page, qPrintable(page ? QString() : page.error().toString()));
        QCOMPARE(keysOf(page->records), QStringList{u"u4"_s});
        QCOMPARE(page->unreadable.size(), size_t(1));
        QCOMPARE(*store.count(u"users"_s), qint64(5));
        QCOMPARE(*store.count(u"users"_s, filtered), qint64(2));
        ScanRequest sorted;
        sorted.sortPath = {u"age"_s};
        sorted.descending = true;
        page = store.scan(u"users"_s, sorted);
        QVERIFY2(page, qPrintable(page ? QString() : page.error().toString()));
        QCOMPARE(keysOf(page->records), (QStringList{u"u5"_s, u"u4"_s, u"u2"_s, u"u1"_s}));
        QCOMPARE(page->unreadable.size(), size_t(1));
        QCOMPARE(page->unreadable.front().position, size_t(4)); // sorts with the missing ones

        for (const ScanRequest &view : {all, filtered, sorted}) {
            auto index = store.buildPageIndex(u"users"_s, view, 2);
            QVERIFY2(index, qPrintable(index ? QString() : index.error().toString()));
            QStringList keys;
            int bads = 0;
            for (const QByteArray &cursor : index->cursors) {
                ScanRequest r = view;
                r.cursor = cursor;
                r.limit = 2;
                auto p = store.scan(u"users"_s, r);
                QVERIFY(p);
                keys << keysOf(p->records);
                bads += int(p->unreadable.size());
            }
            QCOMPARE(bads, 1);
            QCOMPARE(qint64(keys.size() + bads), index->rowCount);
        }

        // Bulk reads as stored text (the export's) carry the key and row of each record.
        ScanRequest stored;
        stored.storedJson = true;
        page = store.scan(u"users"_s, stored);
        QVERIFY(page);
        QCOMPARE(page->storedKeys.size(), size_t(5));
        QCOMPARE(page->storedKeys[2], "u3");
        QCOMPARE(page->storedRows[2], qint64(3));

        // get, update and remove refuse it, naming key, table and file; nothing changes.
        auto got = store.getRecord(u"users"_s, Value::string(u"u3"_s));
        QVERIFY(!got);
        QCOMPARE(int(got.error().kind), int(ErrorKind::Backend));
        QCOMPARE(got.error().location, u"u3"_s);
        for (const QString &part : {u"\"u3\""_s, u"table users"_s, m_path, u"row 3"_s, reason})
            QVERIFY2(got.error().message.contains(part), qPrintable(got.error().message));
        QVERIFY(!store.updateField(u"users"_s, Value::string(u"u3"_s),
                                   FieldSetter{u"name"_s, Value::string(u"x"_s)}));
        QVERIFY(!store.removeRecord(u"users"_s, Value::string(u"u3"_s)));
        QVERIFY(!store.replaceRecord(u"users"_s,
                                     *JsonCodec::parsePlain(R"({"id":"u3","name":"n3"})"),
                                     *JsonCodec::parsePlain(R"({"id":"u3","name":"n9"})")));
        QVERIFY(!store.putRecord(u"users"_s, *JsonCodec::parsePlain(R"({"id":"u3","name":"n9"})")));
        QCOMPARE(SqliteShell::rawRow(m_path, u"users"_s, u"u3"_s), before);
        // The others are untouched by all this.
        QCOMPARE(
            store.getRecord(u"users"_s, Value::string(u"u4"_s))->value().find(u"name"_s)->text(),
            u"n4"_s);

        // delete needs no reading: it discards the damaged record when asked to.
        auto deleted = store.deleteRecord(u"users"_s, Value::string(u"u3"_s));
        QVERIFY2(deleted, qPrintable(deleted ? QString() : deleted.error().toString()));
        QVERIFY(*deleted);
        QCOMPARE(*store.count(u"users"_s), qint64(4));
        QVERIFY(store.scan(u"users"_s, all)->unreadable.empty());
    }

    void exportsSkipAndNameIt_data()
    {
        QTest::addColumn<int>("format");
        QTest::addColumn<QString>("damage");
        QTest::addColumn<QString>("reason");
        const QList<std::pair<const char *, TransferFormat>> formats = {
            {"jsonl", TransferFormat::JsonLines},
            {"json", TransferFormat::JsonArray},
            {"dynamodb-json", TransferFormat::DynamoDbJson},
            {"csv", TransferFormat::Csv}};
        // The export reads stored text with its fast converters, which take any JSON value.
        const QList<std::tuple<const char *, QString, QString>> damages = {
            {"broken JSON", u"'{bad'"_s, u"its stored JSON is damaged"_s},
            {"a list", u"'[1,2]'"_s, u"its stored JSON is a list, not a record"_s},
            {"a number", u"'42'"_s, u"not a record"_s},
            {"a string", uR"('"u3"')"_s, u"not a record"_s}};
        for (const auto &[fname, format] : formats)
            for (const auto &[dname, damage, reason] : damages)
                QTest::addRow("%s, %s", fname, dname) << int(format) << damage << reason;
    }

    void exportsSkipAndNameIt()
    {
        QFETCH(int, format);
        QFETCH(QString, damage);
        QFETCH(QString, reason);
        makeStore(damage);
        auto store = SqliteStore::open(m_path);
        QVERIFY(store);
        Exporter exporter(**store, u"users"_s);
        ExportOptions options;
        options.format = TransferFormat(format);
        options.pageSize = 2;
        QStringList named;
        options.unreadable = [&](const UnreadableRecord &bad) { named << bad.toString(); };
        const QString out = m_dir.filePath(u"export%1"_s.arg(m_n));
        auto report = exporter.exportScan(ScanRequest{}, out, options);
        QVERIFY2(report, qPrintable(report ? QString() : report.error().toString()));
        QCOMPARE(report->records, qint64(4));
        QCOMPARE(report->unreadable, qint64(1));
        QCOMPARE(report->unreadableRecords.size(), size_t(1));
        QCOMPARE(report->unreadableRecords[0].key, u"u3"_s);
        QCOMPARE(named.size(), 1); // once, though CSV reads the table twice
        QVERIFY2(named[0].startsWith(u"key \"u3\" (row 3): "_s) && named[0].contains(reason),
                 qPrintable(named[0]));
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        for (const char *key : {"u1", "u2", "u4", "u5"})
            QVERIFY2(text.contains(key), text.constData());
        QVERIFY(!text.contains("u3"));
    }

    void checksCountAndNameIt()
    {
        makeStore(u"'{bad'"_s);
        auto store = SqliteStore::open(m_path);
        QVERIFY(store);
        // u5 fails its model too, to tell the two apart.
        QVERIFY(SqliteShell::exec(m_path,
                                  uR"(UPDATE rec_users SET item = '{"id":"u5"}' WHERE pk = 'u5')"_s)
                    .exit == 0);
        TableCheck::Options options;
        options.pageSize = 2;
        std::vector<FailingRecord> failing;
        options.failing = [&](const FailingRecord &r) {
            failing.push_back(r);
            return true;
        };
        auto report = TableCheck::run(**store, u"users"_s, options);
        QVERIFY2(report, qPrintable(report ? QString() : report.error().toString()));
        QCOMPARE(report->checked, qint64(5));
        QCOMPARE(report->failing, qint64(2));
        QCOMPARE(report->unreadable, qint64(1));
        QCOMPARE(failing.size(), size_t(2));
        QVERIFY(failing[0].unreadable);
        QCOMPARE(failing[0].key, Value::string(u"u3"_s));
        QCOMPARE(failing[0].row, qint64(3));
        QVERIFY2(failing[0].toString().startsWith(
                     u"\"u3\": unreadable (row 3): its stored JSON is damaged"_s),
                 qPrintable(failing[0].toString()));
        QVERIFY(!failing[1].unreadable);
        QCOMPARE(failing[1].key, Value::string(u"u5"_s));
    }

    void numberKeysAreNamedTyped()
    {
        auto store = SqliteStore::open(m_path, SqliteStore::OpenMode::CreateIfMissing);
        QVERIFY(store);
        auto model = TableModel::fromJson(
            R"({"table":"nums","primaryIndex":{"hashKey":"k","hashKeyType":"int"},"fields":{"k":{"type":"int","required":true}}})",
            u"model"_s);
        QVERIFY2(model, qPrintable(model ? QString() : model.error().toString()));
        QVERIFY((*store)->createTable(u"nums"_s, **model));
        QVERIFY((*store)->putRecord(u"nums"_s, *JsonCodec::parsePlain(R"({"k":7})")));
        QVERIFY(
            SqliteShell::exec(m_path, u"UPDATE rec_nums SET item = '{' WHERE pk = '7'"_s).exit ==
            0);
        std::vector<FailingRecord> failing;
        TableCheck::Options options;
        options.failing = [&](const FailingRecord &r) {
            failing.push_back(r);
            return true;
        };
        QVERIFY(TableCheck::run(**store, u"nums"_s, options));
        QCOMPARE(failing.size(), size_t(1));
        QCOMPARE(failing[0].key, *Value::number(u"7"_s));
        QVERIFY(*(*store)->deleteRecord(u"nums"_s, *Value::number(u"7"_s)));
    }
};

QTEST_GUILESS_MAIN(TstCorruptStore)
#include "tst_corruptstore.moc"
