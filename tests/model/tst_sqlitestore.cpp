#include "model/json/jsoncodec.h"
#include "model/store/open/storerunner.h"
#include "model/store/sqlite/sqlitestore.h"
#include "tests/common/querycases.h"
#include "tests/common/storecases.h"
#include "tests/common/unprivileged.h"

#include <QCryptographicHash>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;

class TstSqliteStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_counter = 0;

    QString newPath() { return m_dir.filePath(u"store%1.structdesk"_s.arg(++m_counter)); }

    std::unique_ptr<SqliteStore> create(const QString &path)
    {
        auto store = SqliteStore::open(path, SqliteStore::OpenMode::CreateIfMissing);
        if (!store)
            qFatal("cannot create a store: %s", qPrintable(store.error().toString()));
        return std::move(*store);
    }

    static QByteArray fileHash(const QString &path)
    {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
    }

    static TableModelPtr freeModel()
    {
        return TableModel::keyOnly(u"free"_s, u"id"_s, FieldKind::Str);
    }

private slots:
    void operations_data()
    {
        StoreCases::addColumns();
        StoreCases::addRows();
    }
    void operations()
    {
        auto store = create(newPath());
        StoreCases::seed(*store);
        if (QTest::currentTestFailed())
            return;
        StoreCases::run(*store);
    }

    void negativeZeroKeepsItsText()
    {
        auto store = create(newPath());
        StoreCases::seed(*store);
        if (QTest::currentTestFailed())
            return;
        StoreCases::negativeZeroKeepsItsText(*store, nullptr);
    }

    void persistsAcrossReopen()
    {
        const QString path = newPath();
        {
            auto store = create(path);
            StoreCases::seed(*store);
        }
        auto reopened = SqliteStore::open(path);
        QVERIFY(reopened);
        auto tables = (*reopened)->listTables();
        QVERIFY(tables);
        QCOMPARE(*tables, QStringList{u"users"_s});
        auto info = (*reopened)->describeTable(u"users"_s);
        QVERIFY(info);
        QCOMPARE(info->count, 3);
        QVERIFY(info->countExact);
        QVERIFY(info->hasModel);
        auto model = (*reopened)->model(u"users"_s);
        QVERIFY(model);
        QCOMPARE((*model)->hashKey(), u"userId"_s);
    }

    void losslessRoundTrip_data()
    {
        QTest::addColumn<QByteArray>("dynamoJson");
        QTest::newRow("38-digit integer")
            << R"({"id":{"S":"a"},"n":{"N":"12345678901234567890123456789012345678"}})"_ba;
        QTest::newRow("38-digit decimal")
            << R"({"id":{"S":"a"},"n":{"N":"0.12345678901234567890123456789012345678"}})"_ba;
        QTest::newRow("negative exponent") << R"({"id":{"S":"a"},"n":{"N":"-1.5E-130"}})"_ba;
        QTest::newRow("integral float text") << R"({"id":{"S":"a"},"n":{"N":"5.0"}})"_ba;
        QTest::newRow("sets")
            << R"({"id":{"S":"a"},"ss":{"SS":["x","y"]},"ns":{"NS":["1","2.50","99999999999999999999999999999999999999"]},"bs":{"BS":["AAE=","/w=="]}})"_ba;
        QTest::newRow("binary") << R"({"id":{"S":"a"},"b":{"B":"AAECAwQF/w=="}})"_ba;
        QTest::newRow("bool and null")
            << R"({"id":{"S":"a"},"t":{"BOOL":true},"f":{"BOOL":false},"z":{"NULL":true}})"_ba;
        QTest::newRow("unicode") << QByteArray(
            "{\"id\":{\"S\":\"ключ-🔑\"},\"名前\":{\"S\":\"Zoë \\\"quoted\\\" \\\\ tab\\t nl\\n "
            "😀\"},\"e\":{\"S\":\"\"}}");
        QTest::newRow("dollar keys")
            << R"({"id":{"S":"a"},"m":{"M":{"$SS":{"S":"not a set"},"$$x":{"N":"1"},"$B":{"L":[]}}}})"_ba;
        QTest::newRow("lists of everything")
            << R"({"id":{"S":"a"},"l":{"L":[{"S":"x"},{"N":"1"},{"B":"AA=="},{"SS":["q"]},{"M":{"k":{"NULL":true}}},{"L":[]}]}})"_ba;
        QByteArray deep = R"({"S":"bottom"})"_ba;
        for (int i = 0; i < 31; ++i)
            deep = R"({"M":{"k":)"_ba + deep + "}}";
        QTest::newRow("32 levels") << (R"({"id":{"S":"a"},"d":)"_ba + deep + "}");
    }
    void losslessRoundTrip()
    {
        QFETCH(QByteArray, dynamoJson);
        auto record = JsonCodec::parseDynamoItem(dynamoJson);
        QVERIFY2(record, qPrintable(record ? QString() : record.error().toString()));
        auto store = create(newPath());
        QVERIFY(store->createTable(u"free"_s, *freeModel()));
        const Status put = store->putRecord(u"free"_s, *record);
        QVERIFY2(put, qPrintable(put ? QString() : put.error().toString()));
        auto back = store->getRecord(u"free"_s, *record->find(u"id"_s));
        QVERIFY(back && back->has_value());
        QVERIFY(**back == *record);
        QCOMPARE(JsonCodec::toDynamoItem(**back), JsonCodec::toDynamoItem(*record));
        // Writing back what was read stores the same bytes.
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"peek"_s);
        db.setDatabaseName(store->location());
        QVERIFY(db.open());
        auto storedText = [&] {
            QSqlQuery q(db);
            q.exec(u"SELECT item FROM \"rec_free\""_s);
            q.next();
            return q.value(0).toString();
        };
        const QString before = storedText();
        QVERIFY(store->writeRaw(u"free"_s, **back, false));
        QCOMPARE(storedText(), before);
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"peek"_s);
    }

    void refusesDeeperThan32Levels()
    {
        Value v = Value::string(u"bottom"_s);
        for (int i = 0; i < 32; ++i)
            v = Value::map({{u"k"_s, v}});
        Value record = Value::map({{u"id"_s, Value::string(u"a"_s)}, {u"d"_s, v}});
        auto store = create(newPath());
        QVERIFY(store->createTable(u"free"_s, *freeModel()));
        const Status put = store->putRecord(u"free"_s, record);
        QVERIFY(!put);
        QCOMPARE(put.error().kind, ErrorKind::Invalid);
        QVERIFY(put.error().message.contains(u"32"_s));
        auto n = store->count(u"free"_s);
        QVERIFY(n);
        QCOMPARE(*n, 0);
    }

    void foreignFilesAreRefusedAndUntouched_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("text file") << u"text"_s;
        QTest::newRow("sqlite without StructDesk tables") << u"sqlite"_s;
        QTest::newRow("corrupt sqlite header") << u"corrupt"_s;
        QTest::newRow("empty file") << u"empty"_s;
    }
    void foreignFilesAreRefusedAndUntouched()
    {
        QFETCH(QString, kind);
        const QString path = newPath();
        if (kind == u"text") {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("name,age\nBob,30\n");
        } else if (kind == u"empty") {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
        } else {
            {
                QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"foreign"_s);
                db.setDatabaseName(path);
                QVERIFY(db.open());
                QSqlQuery q(db);
                QVERIFY(q.exec(u"CREATE TABLE people(name TEXT)"_s));
                QVERIFY(q.exec(u"INSERT INTO people VALUES ('Bob')"_s));
                db.close();
            }
            QSqlDatabase::removeDatabase(u"foreign"_s);
            if (kind == u"corrupt") {
                QFile f(path);
                QVERIFY(f.open(QIODevice::ReadWrite));
                f.seek(16);
                f.write(QByteArray(84, '\xff')); // the rest of the header: page size etc.
            }
        }
        const QByteArray before = fileHash(path);
        auto store = SqliteStore::open(path);
        QVERIFY(!store);
        QCOMPARE(store.error().kind, ErrorKind::Unavailable);
        QVERIFY2(store.error().message.contains(path), qPrintable(store.error().message));
        QCOMPARE(fileHash(path), before);
        QVERIFY(!QFile::exists(path + u"-wal"_s));
    }

    void missingStoreIsNotCreated()
    {
        const QString path = newPath();
        auto store = SqliteStore::open(path);
        QVERIFY(!store);
        QCOMPARE(store.error().kind, ErrorKind::Unavailable);
        QVERIFY(!QFile::exists(path));
        auto inMissingFolder = SqliteStore::open(m_dir.filePath(u"no/such/dir/x.structdesk"_s),
                                                 SqliteStore::OpenMode::CreateIfMissing);
        QVERIFY(!inMissingFolder);
        QVERIFY(inMissingFolder.error().message.contains(u"does not exist"_s));
    }

    void readOnlyFileOpensReadOnly()
    {
        const QString path = newPath();
        {
            auto store = create(path);
            StoreCases::seed(*store);
        }
        QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::ReadGroup |
                                        QFileDevice::ReadOther);
        QVERIFY(QFile::setPermissions(m_dir.path(), AsUnprivilegedUser::kOpenFolder));
        const QByteArray before = fileHash(path);
        // Root writes read-only files: the store is opened, used and closed as user 65534.
        if (geteuid() == 0)
            qInfo("running as root, which writes any file: this runs as user 65534 (setresuid)");
        AsUnprivilegedUser user;
        QVERIFY2(user.ok(), "cannot drop root privileges for the permission check");
        auto store = SqliteStore::open(path);
        QVERIFY2(store, qPrintable(store ? QString() : store.error().toString()));
        QVERIFY((*store)->capabilities().readOnly);
        auto got = (*store)->getRecord(u"users"_s, Value::string(u"u1"_s));
        QVERIFY(got && got->has_value());
        const Status put =
            (*store)->putRecord(u"users"_s, StoreCases::typed(**(*store)->model(u"users"_s),
                                                              R"({"userId":"n","username":"N"})"));
        QVERIFY(!put);
        QVERIFY(put.error().message.contains(u"read-only"_s));
        store->reset();
        QCOMPARE(fileHash(path), before);
        QVERIFY(!QFile::exists(path + u"-wal"_s));
    }

    void readOnlyModeRefusesWrites()
    {
        const QString path = newPath();
        {
            auto store = create(path);
            StoreCases::seed(*store);
        }
        const QByteArray before = fileHash(path);
        auto store = SqliteStore::open(path, SqliteStore::OpenMode::ReadOnly);
        QVERIFY(store);
        QVERIFY((*store)->capabilities().readOnly);
        const TableModel &model = **(*store)->model(u"users"_s);
        const Status put = (*store)->putRecord(
            u"users"_s, StoreCases::typed(model, R"({"userId":"n","username":"N"})"));
        QVERIFY(!put);
        QVERIFY(put.error().message.contains(u"read-only"_s));
        QVERIFY(!(*store)->deleteRecord(u"users"_s, Value::string(u"u1"_s)));
        QVERIFY(!(*store)->updateField(u"users"_s, Value::string(u"u1"_s),
                                       FieldSetter{u"age"_s, Value::integer(1)}));
        QVERIFY(!(*store)->createTable(u"other"_s, model));
        auto got = (*store)->getRecord(u"users"_s, Value::string(u"u1"_s));
        QVERIFY(got && got->has_value());
        store->reset();
        QCOMPARE(fileHash(path), before);
    }

    void writeToLockedStoreIsRefused()
    {
        // Works as root too: open the connection read-only through a second store whose file
        // SQLite cannot write because another connection holds an exclusive lock.
        const QString path = newPath();
        auto store = create(path);
        StoreCases::seed(*store);
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"locker"_s);
        db.setDatabaseName(path);
        QVERIFY(db.open());
        {
            QSqlQuery q(db);
            QVERIFY(q.exec(u"BEGIN EXCLUSIVE"_s));
            QVERIFY(q.exec(u"INSERT INTO structdesk_meta VALUES ('lock', 'held')"_s));
        }
        const Status put =
            store->putRecord(u"users"_s, StoreCases::typed(**store->model(u"users"_s),
                                                           R"({"userId":"n","username":"N"})"));
        QVERIFY(!put);
        QCOMPARE(put.error().kind, ErrorKind::Unavailable);
        QVERIFY2(put.error().message.contains(u"locked"_s), qPrintable(put.error().message));
        {
            QSqlQuery q(db);
            QVERIFY(q.exec(u"ROLLBACK"_s));
        }
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"locker"_s);
        auto got = store->getRecord(u"users"_s, Value::string(u"n"_s));
        QVERIFY(got);
        QVERIFY(!got->has_value());
    }

    void tableManagement()
    {
        auto store = create(newPath());
        auto model = TableModel::fromJson(StoreCases::modelJson(), u"cases"_s);
        QVERIFY(model);
        const Status bad = store->createTable(u"bad name!"_s, **model);
        QVERIFY(!bad);
        QCOMPARE(bad.error().kind, ErrorKind::Invalid);
        QVERIFY(store->createTable(u"users"_s, **model));
        const Status again = store->createTable(u"users"_s, **model);
        QVERIFY(!again);
        QCOMPARE(again.error().kind, ErrorKind::Exists);
        auto missing = store->getRecord(u"nope"_s, Value::string(u"x"_s));
        QVERIFY(!missing);
        QCOMPARE(missing.error().kind, ErrorKind::NotFound);
        // A model with another key cannot be attached.
        const Status wrongKey =
            store->setModel(u"users"_s, *TableModel::keyOnly(u"users"_s, u"id"_s, FieldKind::Str));
        QVERIFY(!wrongKey);
        QCOMPARE(wrongKey.error().kind, ErrorKind::Invalid);
        QVERIFY(store->setModel(u"users"_s,
                                *TableModel::keyOnly(u"users"_s, u"userId"_s, FieldKind::Str)));
        auto info = store->describeTable(u"users"_s);
        QVERIFY(info);
        QVERIFY(!info->hasModel);
        QVERIFY(store->dropTable(u"users"_s));
        auto tables = store->listTables();
        QVERIFY(tables);
        QVERIFY(tables->isEmpty());
        const Status dropMissing = store->dropTable(u"users"_s);
        QVERIFY(!dropMissing);
        QCOMPARE(dropMissing.error().kind, ErrorKind::NotFound);
    }

    void numericKeys()
    {
        auto store = create(newPath());
        auto model = TableModel::keyOnly(u"nums"_s, u"n"_s, FieldKind::Int);
        QVERIFY(store->createTable(u"nums"_s, *model));
        auto key = RecordStore::parseKey(*model, u"42"_s);
        QVERIFY(key);
        QVERIFY(store->putRecord(u"nums"_s, Value::map({{u"n"_s, *key}})));
        QVERIFY(!RecordStore::parseKey(*model, u"4.5"_s));
        QVERIFY(!RecordStore::parseKey(*model, u"abc"_s));
        auto got = store->getRecord(u"nums"_s, *key);
        QVERIFY(got && got->has_value());
        const Status dup = store->putRecord(u"nums"_s, Value::map({{u"n"_s, Value::integer(42)}}));
        QCOMPARE(dup.error().kind, ErrorKind::Exists);
    }

    void queryOnKeyAndSecondaryIndexes()
    {
        auto store = create(newPath());
        QueryCases::run(*store, u"queried"_s);
    }

    void scanPagesVisitEveryRecordOnce()
    {
        auto store = create(newPath());
        auto model = TableModel::fromJson(StoreCases::modelJson(), u"cases"_s);
        QVERIFY(store->createTable(u"users"_s, **model));
        QVERIFY(store->runTransaction([&]() -> Status {
            for (int i = 0; i < 1000; ++i) {
                const QByteArray json = u"{\"userId\":\"u%1\",\"username\":\"name%2\",\"age\":%3}"_s
                                            .arg(i, 4, 10, QChar(u'0'))
                                            .arg(i % 7)
                                            .arg((i * 37) % 100)
                                            .toUtf8();
                if (auto s = store->putRecord(u"users"_s, StoreCases::typed(**model, json)); !s)
                    return s;
            }
            return okStatus();
        }));
        for (bool sorted : {false, true}) {
            for (bool descending : {false, true}) {
                ScanRequest r;
                r.limit = 64;
                r.descending = descending;
                if (sorted)
                    r.sortPath = QStringList{u"age"_s};
                QSet<QString> seen;
                QString previousAge;
                int pages = 0;
                do {
                    auto page = store->scan(u"users"_s, r);
                    QVERIFY2(page, qPrintable(page ? QString() : page.error().toString()));
                    for (const Value &rec : page->records) {
                        const QString id = rec.find(u"userId"_s)->text();
                        QVERIFY2(!seen.contains(id), qPrintable(id));
                        seen.insert(id);
                        if (sorted) {
                            const QString age = rec.find(u"age"_s)->text();
                            if (!previousAge.isEmpty()) {
                                const int c = compareNumbers(previousAge, age);
                                QVERIFY(descending ? c >= 0 : c <= 0);
                            }
                            previousAge = age;
                        }
                    }
                    r.cursor = page->nextCursor;
                    ++pages;
                } while (!r.cursor.isEmpty());
                QCOMPARE(seen.size(), 1000);
                QVERIFY(pages >= 16);
            }
        }
    }

    void pageIndexSortsLikeSqlite()
    {
        auto store = create(newPath());
        QVERIFY(store->createTable(u"free"_s, *freeModel()));
        const QList<QByteArray> values = {R"("abcdefghij")",
                                          R"("abcdefgh")",
                                          R"("abcdefghi")",
                                          R"("ab")",
                                          R"("b")",
                                          "5",
                                          "-2.5",
                                          "100000000000",
                                          R"("")",
                                          "null",
                                          R"("Zeta")",
                                          R"("ébène")",
                                          R"("abcdefghij")",
                                          "3"};
        int i = 0;
        for (const QByteArray &v : values) {
            Value::Map m{{u"id"_s, Value::string(u"r%1"_s.arg(i++, 2, 10, QChar(u'0')))}};
            m.insert(u"v"_s, *JsonCodec::parsePlain(v));
            QVERIFY(store->putRecord(u"free"_s, Value::map(m)));
        }
        QVERIFY(store->putRecord(u"free"_s, Value::map({{u"id"_s, Value::string(u"missing"_s)}})));
        for (bool descending : {false, true}) {
            ScanRequest view;
            view.sortPath = QStringList{u"v"_s};
            view.descending = descending;
            auto index = store->buildPageIndex(u"free"_s, view, 4);
            QVERIFY(index);
            QCOMPARE(index->rowCount, qint64(values.size() + 1));
            QStringList ours;
            for (const QByteArray &cursor : index->cursors) {
                ScanRequest page = view;
                page.cursor = cursor;
                auto rows = store->scan(u"free"_s, page);
                QVERIFY(rows);
                for (const Value &r : rows->records)
                    ours << r.find(u"id"_s)->text();
            }
            // SQLite's own order of the same values is the reference.
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"order"_s);
            db.setDatabaseName(store->location());
            QVERIFY(db.open());
            QStringList theirs;
            {
                QSqlQuery q(db);
                QVERIFY(q.exec(u"SELECT json_extract(item, '$.id') FROM \"rec_free\" ORDER BY "
                               "coalesce(json_extract(item, '$.v'), -9e999) %1, rowid %1"_s.arg(
                                   descending ? u"DESC"_s : u"ASC"_s)));
                while (q.next())
                    theirs << q.value(0).toString();
            }
            db.close();
            db = QSqlDatabase();
            QSqlDatabase::removeDatabase(u"order"_s);
            QCOMPARE(ours, theirs);
        }
    }

    void filters_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("op");
        QTest::addColumn<QByteArray>("operand");
        QTest::addColumn<int>("expected");
        QTest::newRow("=") << u"username"_s << int(FilterOp::Equal) << R"("Bob")"_ba << 1;
        QTest::newRow("!= counts missing too")
            << u"username"_s << int(FilterOp::NotEqual) << R"("Bob")"_ba << 2;
        QTest::newRow("< number") << u"age"_s << int(FilterOp::Less) << "40"_ba << 1;
        QTest::newRow("<= number") << u"age"_s << int(FilterOp::LessEqual) << "41.5"_ba << 2;
        QTest::newRow("> number ignores strings")
            << u"age"_s << int(FilterOp::Greater) << "0"_ba << 2;
        QTest::newRow(">= string")
            << u"username"_s << int(FilterOp::GreaterEqual) << R"("B")"_ba << 2;
        QTest::newRow("contains text")
            << u"username"_s << int(FilterOp::Contains) << R"("li")"_ba << 1;
        QTest::newRow("contains set item")
            << u"tags"_s << int(FilterOp::Contains) << R"("a")"_ba << 1;
        QTest::newRow("contains list item")
            << u"logs"_s << int(FilterOp::Contains) << R"("start")"_ba << 1;
        QTest::newRow("begins with")
            << u"username"_s << int(FilterOp::BeginsWith) << R"("Ca")"_ba << 1;
        QTest::newRow("exists nested")
            << u"metadata.accountCreationTimestamp"_s << int(FilterOp::Exists) << "null"_ba << 1;
        QTest::newRow("not exists")
            << u"nextReminderTimestamp"_s << int(FilterOp::NotExists) << "null"_ba << 2;
        QTest::newRow("= string age") << u"age"_s << int(FilterOp::Equal) << R"("unknown")"_ba << 1;
        QTest::newRow("= inside any")
            << u"settings.theme"_s << int(FilterOp::Equal) << R"("dark")"_ba << 1;
    }
    void filters()
    {
        QFETCH(QString, path);
        QFETCH(int, op);
        QFETCH(QByteArray, operand);
        QFETCH(int, expected);
        auto store = create(newPath());
        StoreCases::seed(*store);
        ScanRequest r;
        r.conditions.push_back(
            FilterCondition{path.split(u'.'), FilterOp(op), *JsonCodec::parsePlain(operand)});
        auto n = store->count(u"users"_s, r);
        QVERIFY2(n, qPrintable(n ? QString() : n.error().toString()));
        QCOMPARE(*n, expected);
        auto page = store->scan(u"users"_s, r);
        QVERIFY(page);
        QCOMPARE(int(page->records.size()), expected);
    }

    void freeTextSearch()
    {
        auto store = create(newPath());
        StoreCases::seed(*store);
        ScanRequest r;
        r.text = u"DARK"_s;
        auto n = store->count(u"users"_s, r);
        QVERIFY(n);
        QCOMPARE(*n, 1);
    }

    void transactionRollsBack()
    {
        auto store = create(newPath());
        StoreCases::seed(*store);
        const TableModel &model = **store->model(u"users"_s);
        const Status s = store->runTransaction([&]() -> Status {
            if (auto p = store->putRecord(
                    u"users"_s, StoreCases::typed(model, R"({"userId":"t1","username":"T"})"));
                !p)
                return p;
            return store->putRecord(
                u"users"_s, StoreCases::typed(model, R"({"userId":"u1","username":"dup"})"));
        });
        QVERIFY(!s);
        QCOMPARE(s.error().kind, ErrorKind::Exists);
        auto got = store->getRecord(u"users"_s, Value::string(u"t1"_s));
        QVERIFY(got);
        QVERIFY(!got->has_value());
    }

    void runnerWorksOffTheCallingThread()
    {
        const QString path = newPath();
        {
            auto store = create(path);
            StoreCases::seed(*store);
        }
        StoreRunner runner;
        QFuture<Status> opened = runner.open(path);
        opened.waitForFinished();
        QVERIFY(opened.result());
        QThread *caller = QThread::currentThread();
        auto future = runner.run([caller](RecordStore &store) -> Result<std::optional<Value>> {
            if (QThread::currentThread() == caller)
                return makeError(ErrorKind::Backend, u"ran on the calling thread"_s);
            return store.getRecord(u"users"_s, Value::string(u"u1"_s));
        });
        future.waitForFinished();
        auto result = future.result();
        QVERIFY2(result, qPrintable(result ? QString() : result.error().toString()));
        QVERIFY(result->has_value());
        QCOMPARE(runner.location(), path);

        StoreRunner closed;
        auto none = closed.run([](RecordStore &store) { return store.listTables(); });
        none.waitForFinished();
        QVERIFY(!none.result());
        QCOMPARE(none.result().error().kind, ErrorKind::Unavailable);
    }
};

QTEST_GUILESS_MAIN(TstSqliteStore)
#include "tst_sqlitestore.moc"
