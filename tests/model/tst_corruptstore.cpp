// Stores damaged behind StructDesk's back (with the sqlite3 shell, or cut short):
// - one unreadable record never blocks a table: scans (natural, filtered, sorted, by page
//   index), exports in every format and checks skip it, name its key and row and count it; get,
//   update and remove refuse it naming key, table and file and leave it as it is; delete
//   discards it;
// - a truncated file (cut at several offsets, with and without a write-ahead log) or one that
//   SQLite finds corrupt on a read is read-only, named, and never written to;
// - StructDesk's own tables dropped or altered are named with what to do, and records left
//   without their table entry are listed and adopted by a model keyed like them.

#include "model/analysis/tablecheck.h"
#include "model/json/jsoncodec.h"
#include "model/store/sqlite/sqlitestore.h"
#include "model/transfer/exporter.h"
#include "tests/common/sqliteshell.h"

#include <QBuffer>
#include <QCryptographicHash>
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

    static QByteArray hashOf(const QString &path)
    {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return "missing";
        return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex() + ':' +
               QByteArray::number(f.size());
    }

    /// A bigger store (so that cuts fall in pages of records): 300 records of ~330 bytes.
    void makeBigStore(const QString &path)
    {
        auto store = SqliteStore::open(path, SqliteStore::OpenMode::CreateIfMissing);
        QVERIFY(store);
        auto model = TableModel::fromJson(modelJson(), u"model"_s);
        QVERIFY((*store)->createTable(u"users"_s, **model));
        const QString filler(300, u'x');
        QVERIFY((*store)->runTransaction([&]() -> Status {
            for (int i = 1; i <= 300; ++i)
                if (auto s = (*store)->putRecord(
                        u"users"_s, Value::map({{u"id"_s, Value::string(u"u%1"_s.arg(i))},
                                                {u"name"_s, Value::string(filler)}}));
                    !s)
                    return s;
            return okStatus();
        }));
    }

    static Value record(const QString &key)
    {
        return Value::map({{u"id"_s, Value::string(key)}, {u"name"_s, Value::string(u"n"_s)}});
    }

    /// Every write a user can ask for, each refused; the file stays as it was.
    void everyWriteIsRefused(SqliteStore &store, const QString &path, const QString &fragment)
    {
        const QByteArray before = hashOf(path);
        std::vector<Status> writes;
        writes.push_back(store.putRecord(u"users"_s, record(u"new"_s)));
        writes.push_back(store.updateField(u"users"_s, Value::string(u"u1"_s),
                                           FieldSetter{u"name"_s, Value::string(u"x"_s)}));
        writes.push_back(store.writeRaw(u"users"_s, record(u"raw"_s), false));
        auto deleted = store.deleteRecord(u"users"_s, Value::string(u"u2"_s));
        writes.push_back(deleted ? okStatus() : Status(deleted.error()));
        auto model = TableModel::fromJson(modelJson(), u"model"_s);
        writes.push_back(store.createTable(u"others"_s, **model));
        writes.push_back(store.dropTable(u"users"_s));
        for (const Status &w : writes) {
            QVERIFY(!w);
            QVERIFY2(w.error().toString().contains(path), qPrintable(w.error().toString()));
            QVERIFY2(w.error().toString().contains(fragment), qPrintable(w.error().toString()));
        }
        QCOMPARE(hashOf(path), before);
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

    // ---- damaged files

    void aTruncatedStoreIsNeverWritten_data()
    {
        QTest::addColumn<qint64>("cut"); // bytes cut off the end; < 0: keep this many bytes
        QTest::addColumn<bool>("wal");   // with records still in a write-ahead log beside it
        QTest::addColumn<bool>("opens"); // opens read-only (else refused, unreadable)
        for (const bool wal : {false, true}) {
            const char *w = wal ? ", with a -wal file" : "";
            QTest::addRow("100 bytes short%s", w) << qint64(100) << wal << true;
            QTest::addRow("1 byte short%s", w) << qint64(1) << wal << true;
            QTest::addRow("the last page%s", w) << qint64(4096) << wal << false;
            QTest::addRow("half of it%s", w) << qint64(-65536) << wal << false;
            QTest::addRow("its first page%s", w) << qint64(-4096) << wal << false;
            QTest::addRow("inside the header%s", w) << qint64(-60) << wal << false;
        }
    }

    void aTruncatedStoreIsNeverWritten()
    {
        QFETCH(qint64, cut);
        QFETCH(bool, wal);
        QFETCH(bool, opens);
        const QString original = m_dir.filePath(u"original%1.structdesk"_s.arg(m_n));
        makeBigStore(original);
        std::unique_ptr<SqliteStore> holder; // keeps the log from being checkpointed away
        if (wal) {
            auto open = SqliteStore::open(original);
            QVERIFY(open);
            holder = std::move(*open);
            for (int i = 0; i < 20; ++i)
                QVERIFY(holder->putRecord(u"users"_s, record(u"late%1"_s.arg(i))));
            QVERIFY(QFileInfo(original + u"-wal"_s).size() > 0);
            QVERIFY(QFile::copy(original + u"-wal"_s, m_path + u"-wal"_s));
        }
        QVERIFY(QFile::copy(original, m_path));
        holder.reset();
        QFile file(m_path);
        const qint64 size = file.size();
        QVERIFY(file.resize(cut >= 0 ? size - cut : -cut));
        file.close();
        const QByteArray before = hashOf(m_path);

        auto opened = SqliteStore::open(m_path);
        if (!opens) {
            // Too little is left for SQLite to read: refused, saying so; nothing touched.
            if (opened) {
                QVERIFY(!(*opened)->capabilities().damaged.isEmpty());
                everyWriteIsRefused(**opened, m_path, u"truncated"_s);
            } else {
                QCOMPARE(int(opened.error().kind), int(ErrorKind::Unavailable));
                QVERIFY2(opened.error().message.contains(m_path),
                         qPrintable(opened.error().message));
                QVERIFY2(opened.error().message.contains(u"truncated"_s) ||
                             opened.error().message.contains(u"not an SQLite database"_s),
                         qPrintable(opened.error().message));
                QVERIFY(opened.error().message.contains(u"left untouched"_s));
            }
            QCOMPARE(hashOf(m_path), before);
            return;
        }
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().toString()));
        SqliteStore &store = **opened;
        const StoreCapabilities caps = store.capabilities();
        QVERIFY(caps.readOnly);
        for (const QString &part :
             {m_path, u"is damaged (it is truncated: "_s, u"opened read-only"_s,
              u"Restore it from a backup, or export what can be read"_s})
            QVERIFY2(caps.damaged.contains(part), qPrintable(caps.damaged));
        // What can be read is read.
        auto page = store.scan(u"users"_s, ScanRequest{});
        QVERIFY2(page, qPrintable(page ? QString() : page.error().toString()));
        QVERIFY(page->records.size() >= 250);
        everyWriteIsRefused(store, m_path, u"this store is damaged (it is truncated"_s);
        opened->reset();
        QCOMPARE(hashOf(m_path), before);
    }

    void aCorruptPageFoundOnReadMakesTheStoreReadOnly()
    {
        makeBigStore(m_path);
        // A page of the records table overwritten in the middle of the file.
        const auto root = SqliteShell::exec(
            m_path, u"SELECT rootpage FROM sqlite_master WHERE name = 'rec_users'"_s);
        QVERIFY2(root.exit == 0, qPrintable(root.err));
        const qint64 page = root.out.trimmed().toLongLong();
        QVERIFY(page > 1);
        {
            QFile f(m_path);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.seek((page - 1) * 4096));
            QVERIFY(f.write(QByteArray(64, '\xff')) == 64);
        }
        const QByteArray before = hashOf(m_path);
        auto opened = SqliteStore::open(m_path);
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().toString()));
        SqliteStore &store = **opened;
        QVERIFY(store.capabilities().damaged.isEmpty()); // not visible from the header
        auto scanned = store.scan(u"users"_s, ScanRequest{});
        QVERIFY(!scanned);
        QVERIFY2(scanned.error().message.contains(
                     u"the store %1 is damaged (database disk image is malformed"_s.arg(m_path)),
                 qPrintable(scanned.error().message));
        // From the first corrupt answer on: read-only, with SQLite's own check in the reason.
        QVERIFY(store.capabilities().readOnly);
        QVERIFY2(store.capabilities().damaged.contains(u"quick_check: "_s),
                 qPrintable(store.capabilities().damaged));
        everyWriteIsRefused(store, m_path, u"this store is damaged"_s);
        opened->reset();
        QCOMPARE(hashOf(m_path), before);
    }

    // ---- StructDesk's own tables altered

    void aDroppedRecordsTableIsNamedAndCanBeDropped()
    {
        makeStore(u"item"_s); // a no-op damage: u3 keeps its text
        QVERIFY(SqliteShell::exec(m_path, u"DROP TABLE rec_users"_s).exit == 0);
        auto store = SqliteStore::open(m_path);
        QVERIFY(store);
        QCOMPARE(*(*store)->listTables(), QStringList{u"users"_s});
        const QString expected =
            u"the store %1 lists table users but its records table rec_users is missing; "
            "drop the table with structdesk-cli --store %1 drop-table users, or restore "
            "the file from a backup"_s.arg(m_path);
        auto page = (*store)->scan(u"users"_s, ScanRequest{});
        QVERIFY(!page);
        QCOMPARE(page.error().message, expected);
        QVERIFY(!(*store)->putRecord(u"users"_s, record(u"x"_s)));
        QVERIFY(!(*store)->getRecord(u"users"_s, Value::string(u"u1"_s)));
        QVERIFY((*store)->dropTable(u"users"_s));
        QVERIFY((*store)->listTables()->isEmpty());
    }

    void aRecordsTableDroppedWhileOpenIsNamed()
    {
        makeStore(u"item"_s);
        auto store = SqliteStore::open(m_path);
        QVERIFY(store);
        QVERIFY((*store)->scan(u"users"_s, ScanRequest{})); // the model is cached now
        QVERIFY(SqliteShell::exec(m_path, u"DROP TABLE rec_users"_s).exit == 0);
        auto got = (*store)->getRecord(u"users"_s, Value::string(u"u1"_s));
        QVERIFY(!got);
        QVERIFY2(!got.error().message.contains(u"Parameter count mismatch"_s),
                 qPrintable(got.error().message));
        QVERIFY2(got.error().message.contains(u"its records table rec_users is missing"_s),
                 qPrintable(got.error().message));
        QVERIFY(!(*store)->putRecord(u"users"_s, record(u"x"_s)));
        got = (*store)->getRecord(u"users"_s, Value::string(u"u1"_s));
        QVERIFY(!got);
        QVERIFY2(got.error().message.contains(u"its records table rec_users is missing"_s),
                 qPrintable(got.error().message));
    }

    void anAlteredRecordsTableIsNamedAndLeftAlone()
    {
        makeStore(u"item"_s);
        QVERIFY(
            SqliteShell::exec(m_path, u"ALTER TABLE rec_users RENAME COLUMN item TO data"_s).exit ==
            0);
        const QByteArray before = hashOf(m_path);
        auto store = SqliteStore::open(m_path);
        QVERIFY(store);
        auto page = (*store)->scan(u"users"_s, ScanRequest{});
        QVERIFY(!page);
        QVERIFY2(page.error().message.contains(
                     u"the records table rec_users of table users in %1 was altered: its columns "
                     u"are (pk, data), "
                     "not StructDesk's (pk, item); it was left untouched"_s.arg(m_path)),
                 qPrintable(page.error().message));
        QVERIFY(!(*store)->putRecord(u"users"_s, record(u"x"_s)));
        store->reset();
        QCOMPARE(hashOf(m_path), before);
    }

    void recordsWithoutTheirTableEntryAreListedAndAdopted_data()
    {
        QTest::addColumn<bool>("bySetModel"); // else create-table
        QTest::newRow("create-table") << false;
        QTest::newRow("set-model") << true;
    }

    void recordsWithoutTheirTableEntryAreListedAndAdopted()
    {
        QFETCH(bool, bySetModel);
        makeStore(u"item"_s);
        QVERIFY(SqliteShell::exec(m_path, u"DELETE FROM structdesk_tables WHERE name = 'users'"_s)
                    .exit == 0);
        auto store = SqliteStore::open(m_path);
        QVERIFY(store);
        QCOMPARE(*(*store)->listTables(), QStringList{u"users"_s}); // listed, without a model
        auto m = (*store)->model(u"users"_s);
        QVERIFY(!m);
        QCOMPARE(int(m.error().kind), int(ErrorKind::NotFound));
        QVERIFY2(
            m.error().message.contains(u"has its records (rec_users: 5 records) but no model"_s),
            qPrintable(m.error().message));
        QVERIFY2(m.error().message.contains(u"set-model users --model FILE"_s),
                 qPrintable(m.error().message));

        // A model keyed otherwise is refused, changing nothing.
        auto other = TableModel::fromJson(
            R"({"table":"users","primaryIndex":{"hashKey":"name","hashKeyType":"str"},
                                               "fields":{"name":{"type":"str","required":true}}})",
            u"model"_s);
        QVERIFY(other);
        const Status wrong = bySetModel ? (*store)->setModel(u"users"_s, **other)
                                        : (*store)->createTable(u"users"_s, **other);
        QVERIFY(!wrong);
        QVERIFY2(wrong.error().message.contains(
                     u"the records already in rec_users are not keyed by name"_s),
                 qPrintable(wrong.error().message));
        QVERIFY(!(*store)->model(u"users"_s));

        auto model = TableModel::fromJson(modelJson(), u"model"_s);
        const Status adopted = bySetModel ? (*store)->setModel(u"users"_s, **model)
                                          : (*store)->createTable(u"users"_s, **model);
        QVERIFY2(adopted, qPrintable(adopted ? QString() : adopted.error().toString()));
        QCOMPARE(*(*store)->count(u"users"_s), qint64(5)); // every record kept
        QCOMPARE((*store)
                     ->getRecord(u"users"_s, Value::string(u"u4"_s))
                     ->value()
                     .find(u"name"_s)
                     ->text(),
                 u"n4"_s);
        QVERIFY((*store)->putRecord(u"users"_s, record(u"u6"_s)));
        QCOMPARE(*(*store)->listTables(), QStringList{u"users"_s});
    }

    void aForeignTableNamedLikeRecordsIsNotTaken()
    {
        auto store = SqliteStore::open(m_path, SqliteStore::OpenMode::CreateIfMissing);
        QVERIFY(store);
        QVERIFY(SqliteShell::exec(
                    m_path, u"CREATE TABLE rec_users(a, b); INSERT INTO rec_users VALUES (1, 2)"_s)
                    .exit == 0);
        QVERIFY((*store)->listTables()->isEmpty()); // not StructDesk's: not listed
        auto model = TableModel::fromJson(modelJson(), u"model"_s);
        const Status created = (*store)->createTable(u"users"_s, **model);
        QVERIFY(!created);
        QCOMPARE(int(created.error().kind), int(ErrorKind::Exists));
        QVERIFY2(
            created.error().message.contains(
                u"already holds a table rec_users that is not StructDesk's (its columns are (a, b))"_s),
            qPrintable(created.error().message));
        QCOMPARE(SqliteShell::exec(m_path, u"SELECT count(*) FROM rec_users"_s).out.trimmed(),
                 u"1"_s);
    }

    void aDamagedFormatTableOpensReadOnly_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("reason"); // empty: refused
        QTest::newRow("meta dropped")
            << u"DROP TABLE structdesk_meta"_s << u"its format table structdesk_meta is missing"_s;
        QTest::newRow("format row deleted") << u"DELETE FROM structdesk_meta WHERE key = 'format'"_s
                                            << u"structdesk_meta has no format entry"_s;
        QTest::newRow("version row deleted")
            << u"DELETE FROM structdesk_meta WHERE key = 'version'"_s
            << u"structdesk_meta has no version entry"_s;
        QTest::newRow("version not a number")
            << u"UPDATE structdesk_meta SET value = 'one' WHERE key = 'version'"_s
            << u"its store format version is \"one\""_s;
        QTest::newRow("version zero")
            << u"UPDATE structdesk_meta SET value = '0' WHERE key = 'version'"_s
            << u"its store format version is \"0\""_s;
    }

    void aDamagedFormatTableOpensReadOnly()
    {
        QFETCH(QString, sql);
        QFETCH(QString, reason);
        makeStore(u"item"_s);
        QVERIFY(SqliteShell::exec(m_path, sql).exit == 0);
        auto store = SqliteStore::open(m_path);
        QVERIFY2(store, qPrintable(store ? QString() : store.error().toString()));
        QVERIFY((*store)->capabilities().readOnly);
        QVERIFY2((*store)->capabilities().damaged.contains(reason),
                 qPrintable((*store)->capabilities().damaged));
        QCOMPARE((*store)->scan(u"users"_s, ScanRequest{})->records.size(), size_t(5));
        everyWriteIsRefused(**store, m_path, reason);
    }

    void aStoreWithoutItsTableListOrOfANewerVersionIsRefused_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("message");
        QTest::newRow("table list dropped")
            << u"DROP TABLE structdesk_tables"_s
            << u"is a StructDesk store whose list of tables (the table structdesk_tables) is missing"_s;
        QTest::newRow("newer version")
            << u"UPDATE structdesk_meta SET value = '9' WHERE key = 'version'"_s
            << u"was written by a newer StructDesk (store format 9; this one reads 1)"_s;
        QTest::newRow("other format")
            << u"UPDATE structdesk_meta SET value = 'x' WHERE key = 'format'"_s
            << u"is not a StructDesk store (its format is \"x\")"_s;
        QTest::newRow("no StructDesk tables")
            << u"DROP TABLE structdesk_meta; DROP TABLE structdesk_tables"_s
            << u"is not a StructDesk store (an SQLite database without StructDesk's tables)"_s;
    }

    void aStoreWithoutItsTableListOrOfANewerVersionIsRefused()
    {
        QFETCH(QString, sql);
        QFETCH(QString, message);
        makeStore(u"item"_s);
        QVERIFY(SqliteShell::exec(m_path, sql).exit == 0);
        const QByteArray before = hashOf(m_path);
        auto store = SqliteStore::open(m_path);
        QVERIFY(!store);
        QCOMPARE(int(store.error().kind), int(ErrorKind::Unavailable));
        QVERIFY2(store.error().message.contains(m_path + u' ' + message),
                 qPrintable(store.error().message));
        QCOMPARE(hashOf(m_path), before);
    }
};

QTEST_GUILESS_MAIN(TstCorruptStore)
#include "tst_corruptstore.moc"
