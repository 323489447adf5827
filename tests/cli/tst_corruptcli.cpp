// structdesk-cli (the real binary) on stores damaged with the sqlite3 shell or cut short.
// - One unreadable record: scan, query, export and check print every other record, name it on
//   stderr and exit 4; get, update and remove of it exit 3 naming key, table and file; delete
//   discards it.
// - A damaged file (cut at several offsets, with and without a -wal file; a page overwritten)
//   or StructDesk's own tables dropped or altered: writes exit 3 naming the file and what to
//   do, and never change the file; what can be read is read, naming the file; records left
//   without their table entry are listed and adopted by create-table or set-model.
// - The failures issue 11 found, one test each: a store cut 100 bytes short refuses a put and
//   reading it names the file; a dropped records table is named (not "Parameter count
//   mismatch"); a deleted model row, then create-table or set-model, keeps the records.

#include "model/json/jsoncodec.h"
#include "model/store/sqlite/sqlitestore.h"
#include "tests/common/sqliteshell.h"

#include <QCryptographicHash>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TstCorruptCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_store;
    int m_n = 0;

    struct Run
    {
        int exit = -1;
        QString out;
        QString err;
    };

    Run cli(const QStringList &args)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"STRUCTDESK_JOURNAL"_s, m_dir.filePath(u"journal"_s));
        env.remove(u"STRUCTDESK_STORE"_s);
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(STRUCTDESK_CLI_PATH), QStringList{u"--store"_s, m_store} + args);
        if (!p.waitForFinished(60000))
            p.kill();
        return Run{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
                   QString::fromUtf8(p.readAllStandardOutput()),
                   QString::fromUtf8(p.readAllStandardError())};
    }

    static QByteArray hashOf(const QString &path)
    {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return "missing";
        return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex();
    }

    /// The store of init() with 300 more records of ~330 bytes, so that cuts fall in pages of
    /// records; checkpointed (no -wal file).
    void makeBigStore()
    {
        auto store = SqliteStore::open(m_store);
        QVERIFY(store);
        const QString filler(300, u'x');
        QVERIFY((*store)->runTransaction([&]() -> Status {
            for (int i = 10; i < 310; ++i)
                if (auto s = (*store)->putRecord(
                        u"users"_s, Value::map({{u"id"_s, Value::string(u"u%1"_s.arg(i))},
                                                {u"name"_s, Value::string(filler)}}));
                    !s)
                    return s;
            return okStatus();
        }));
    }

    void cutShort(qint64 bytes)
    {
        QFile f(m_store);
        QVERIFY(f.resize(f.size() - bytes));
    }

    void makeStore(int records)
    {
        auto store = SqliteStore::open(m_store, SqliteStore::OpenMode::CreateIfMissing);
        QVERIFY(store);
        auto model = TableModel::fromJson(
            R"({"table":"users","primaryIndex":{"hashKey":"id","hashKeyType":"str"},
                "secondaryIndexes":[{"hashKey":"team","hashKeyType":"str","projection":"ALL"}],
                "fields":{"id":{"type":"str","required":true},"name":{"type":"str","required":true},
                          "team":{"type":"str"}}})",
            u"model"_s);
        QVERIFY(model);
        QVERIFY((*store)->createTable(u"users"_s, **model));
        for (int i = 1; i <= records; ++i)
            QVERIFY((*store)->putRecord(
                u"users"_s,
                *JsonCodec::parsePlain(
                    u"{\"id\":\"u%1\",\"name\":\"n%1\",\"team\":\"t\"}"_s.arg(i).toUtf8())));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(!SqliteShell::path().isEmpty(),
                 "the sqlite3 shell is not installed (make deps installs it)");
    }

    void init()
    {
        m_store = m_dir.filePath(u"s%1.structdesk"_s.arg(++m_n));
        makeStore(5);
        const auto r =
            SqliteShell::exec(m_store, u"UPDATE rec_users SET item='{bad' WHERE pk='u3'"_s);
        QVERIFY2(r.exit == 0, qPrintable(r.err));
    }

    void readsSkipTheUnreadableRecordAndExitFour_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("done"); // the last words of the summary line
        QTest::newRow("scan") << QStringList{u"scan"_s, u"users"_s} << u"4 records were printed"_s;
        QTest::newRow("scan --where")
            << QStringList{u"scan"_s, u"users"_s, u"--where"_s, u"team=t"_s}
            << u"4 records were printed"_s;
        QTest::newRow("query by index")
            << QStringList{u"query"_s, u"users"_s, u"t"_s, u"--index"_s, u"team"_s}
            << u"4 records were printed"_s;
        QTest::newRow("export jsonl")
            << QStringList{u"export"_s, u"users"_s} << u"the other 4 were exported"_s;
        QTest::newRow("export csv") << QStringList{u"export"_s, u"users"_s, u"--format"_s, u"csv"_s}
                                    << u"the other 4 were exported"_s;
        QTest::newRow("export dynamodb-json")
            << QStringList{u"export"_s, u"users"_s, u"--format"_s, u"dynamodb-json"_s}
            << u"the other 4 were exported"_s;
        QTest::newRow("check")
            << QStringList{u"check"_s, u"users"_s}
            << u"1 of the 5 records fail its model (the unreadable ones included)"_s;
    }

    void readsSkipTheUnreadableRecordAndExitFour()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, done);
        const Run r = cli(args);
        QCOMPARE(r.exit, 4);
        if (args.first() != u"check") {
            for (const char *key : {"u1", "u2", "u4", "u5"})
                QVERIFY2(r.out.contains(QLatin1String(key)), qPrintable(r.out));
            QVERIFY(!r.out.contains(u"u3"_s));
        }
        QVERIFY2(r.err.contains(u"\"u3\""_s) && r.err.contains(u"row 3"_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"its stored JSON is damaged"_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"1 unreadable record of users was skipped"_s), qPrintable(r.err));
        QVERIFY2(r.err.trimmed().endsWith(done), qPrintable(r.err));
    }

    void exportToAFileWritesTheOthers()
    {
        const QString out = m_dir.filePath(u"out%1.jsonl"_s.arg(m_n));
        const Run r = cli({u"export"_s, u"users"_s, u"--out"_s, out});
        QCOMPARE(r.exit, 4);
        QVERIFY2(r.out.contains(u"exported 4 records of users to %1"_s.arg(out)),
                 qPrintable(r.out));
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll().count('\n'), 4);
    }

    void manyPagesWithSeveralUnreadableRecords()
    {
        m_store = m_dir.filePath(u"big%1.structdesk"_s.arg(m_n));
        makeStore(2500);
        QVERIFY(
            SqliteShell::exec(
                m_store,
                u"UPDATE rec_users SET item=substr(item, 1, 9) WHERE pk IN ('u1', 'u1000', 'u2500')"_s)
                .exit == 0);
        const Run r = cli({u"scan"_s, u"users"_s});
        QCOMPARE(r.exit, 4);
        QCOMPARE(r.out.count(u'\n'), 2497);
        for (const char *key : {"\"u1\" (row 1)", "\"u1000\" (row 1000)", "\"u2500\" (row 2500)"})
            QVERIFY2(r.err.contains(QLatin1String(key)), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"3 unreadable records of users were skipped"_s),
                 qPrintable(r.err));
        const Run limited = cli({u"scan"_s, u"users"_s, u"--limit"_s, u"10"_s});
        QCOMPARE(limited.exit, 4);
        QCOMPARE(limited.out.count(u'\n'), 9); // ten rows, one of them unreadable
    }

    void getUpdateAndRemoveNameTheRecord_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exit");
        QTest::newRow("get") << QStringList{u"get"_s, u"users"_s, u"u3"_s} << 3;
        QTest::newRow("update") << QStringList{u"update"_s, u"users"_s, u"u3"_s, u"name"_s,
                                               u"\"x\""_s}
                                << 3;
        QTest::newRow("update-many")
            << QStringList{u"update-many"_s, u"users"_s, u"u3"_s, u"{\"name\":\"x\"}"_s} << 3;
        QTest::newRow("remove") << QStringList{u"remove"_s, u"users"_s, u"u3"_s} << 3;
        QTest::newRow("remove-field")
            << QStringList{u"remove-field"_s, u"users"_s, u"u3"_s, u"team"_s} << 3;
        // rekey's 1: refused, the record is where it was.
        QTest::newRow("rekey") << QStringList{u"rekey"_s, u"users"_s, u"u3"_s, u"u9"_s} << 1;
    }

    void getUpdateAndRemoveNameTheRecord()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exit);
        const QString before = SqliteShell::rawRow(m_store, u"users"_s, u"u3"_s);
        const Run r = cli(args);
        QCOMPARE(r.exit, exit);
        for (const QString &part :
             {u"\"u3\""_s, u"table users"_s, m_store, u"row 3"_s, u"cannot be read"_s})
            QVERIFY2(r.err.contains(part), qPrintable(r.err));
        QCOMPARE(SqliteShell::rawRow(m_store, u"users"_s, u"u3"_s), before);
    }

    void deleteDiscardsIt()
    {
        QCOMPARE(cli({u"delete"_s, u"users"_s, u"u3"_s}).exit, 0);
        const Run r = cli({u"scan"_s, u"users"_s});
        QCOMPARE(r.exit, 0);
        QCOMPARE(r.out.count(u'\n'), 4);
        QCOMPARE(cli({u"check"_s, u"users"_s}).exit, 0);
    }

    void damagedStoresAreNeverWritten_data()
    {
        QTest::addColumn<QString>(
            "damage"); // "cut:N" (bytes off the end), "keep:N", "half", "page", or SQL
        QTest::addColumn<bool>("wal");        // a -wal file with records beside the damaged file
        QTest::addColumn<QString>("putSays"); // what the refused put says
        QTest::addColumn<int>(
            "scanExit"); // -1: 0 or 4 (read, with u3 or a cut record unreadable) or 3
        QTest::addColumn<QString>("scanSays");
        // Cut short: read-only where SQLite can still read it (with a -wal file, the pages may
        // be there), else refused as corrupt; either way it says "truncated".
        for (const bool wal : {false, true}) {
            const char *w = wal ? ", with a -wal file" : "";
            QTest::addRow("100 bytes short%s", w)
                << u"cut:100"_s << wal << u"this store is damaged (it is truncated"_s << -1
                << u"warning: the store %1 is damaged (it is truncated"_s;
            QTest::addRow("the last page cut%s", w)
                << u"cut:4096"_s << wal << u"truncated"_s << -1 << u"truncated"_s;
            QTest::addRow("cut in half%s", w)
                << u"half"_s << wal << u"truncated"_s << -1 << u"truncated"_s;
            QTest::addRow("cut inside the header%s", w)
                << u"keep:60"_s << wal << u"shorter than an SQLite header"_s << 3
                << u"60 bytes, shorter than an SQLite header"_s;
        }
        QTest::newRow("a page overwritten")
            << u"page"_s << false << u"is damaged (database disk image is malformed"_s << 3
            << u"the store %1 is damaged (database disk image is malformed"_s;
        QTest::newRow("records table dropped")
            << u"DROP TABLE rec_users"_s << false
            << u"its records table rec_users is missing; drop the table with"_s << 3
            << u"the store %1 lists table users but its records table rec_users is missing"_s;
        QTest::newRow("records column renamed")
            << u"ALTER TABLE rec_users RENAME COLUMN item TO data"_s << false
            << u"was altered: its columns are (pk, data), not StructDesk's (pk, item)"_s << 3
            << u"was altered"_s;
        QTest::newRow("format table dropped")
            << u"DROP TABLE structdesk_meta"_s << false
            << u"this store is damaged (its format table structdesk_meta is missing)"_s << 4
            << u"warning: the store %1 is damaged (its format table structdesk_meta is missing)"_s;
        QTest::newRow("newer format version")
            << u"UPDATE structdesk_meta SET value = '3' WHERE key = 'version'"_s << false
            << u"was written by a newer StructDesk (store format 3"_s << 3
            << u"was written by a newer StructDesk"_s;
        QTest::newRow("table list dropped")
            << u"DROP TABLE structdesk_tables"_s << false
            << u"list of tables (the table structdesk_tables) is missing"_s << 3
            << u"left untouched"_s;
    }

    void damagedStoresAreNeverWritten()
    {
        QFETCH(QString, damage);
        QFETCH(bool, wal);
        QFETCH(QString, putSays);
        QFETCH(int, scanExit);
        QFETCH(QString, scanSays);
        const QString original = m_store;
        m_store = m_dir.filePath(u"damaged%1.structdesk"_s.arg(m_n));
        {
            std::unique_ptr<SqliteStore> holder; // keeps records in the -wal file while copying
            auto open = SqliteStore::open(original);
            QVERIFY(open);
            holder = std::move(*open);
            const QString filler(300, u'x');
            QVERIFY(holder->runTransaction([&]() -> Status {
                for (int i = 10; i < 310; ++i)
                    if (auto s = holder->putRecord(
                            u"users"_s, Value::map({{u"id"_s, Value::string(u"u%1"_s.arg(i))},
                                                    {u"name"_s, Value::string(filler)}}));
                        !s)
                        return s;
                return okStatus();
            }));
            if (!wal)
                holder.reset(); // checkpointed: no -wal file
            else
                QVERIFY(QFile::copy(original + u"-wal"_s, m_store + u"-wal"_s));
            QVERIFY(QFile::copy(original, m_store));
        }
        if (damage.startsWith(u"cut:"_s) || damage.startsWith(u"keep:"_s) || damage == u"half") {
            QFile f(m_store);
            const qint64 n = damage.section(u':', 1).toLongLong();
            QVERIFY(f.resize(damage == u"half"              ? f.size() / 2
                             : damage.startsWith(u"cut:"_s) ? f.size() - n
                                                            : n));
        } else if (damage == u"page") {
            const auto root = SqliteShell::exec(
                m_store, u"SELECT rootpage FROM sqlite_master WHERE name = 'rec_users'"_s);
            QVERIFY2(root.exit == 0, qPrintable(root.err));
            QFile f(m_store);
            QVERIFY(f.open(QIODevice::ReadWrite) &&
                    f.seek((root.out.trimmed().toLongLong() - 1) * 4096));
            QVERIFY(f.write(QByteArray(64, '\xff')) == 64);
        } else {
            const auto r = SqliteShell::exec(m_store, damage);
            QVERIFY2(r.exit == 0, qPrintable(r.err));
        }
        const QByteArray before = hashOf(m_store);

        Run r = cli({u"put"_s, u"users"_s, u"{\"id\":\"new\",\"name\":\"x\"}"_s});
        QCOMPARE(r.exit, 3);
        QVERIFY2(r.err.contains(m_store), qPrintable(r.err));
        QVERIFY2(r.err.contains(putSays), qPrintable(r.err));
        r = cli({u"update"_s, u"users"_s, u"u1"_s, u"name"_s, u"\"y\""_s});
        QCOMPARE(r.exit, 3);
        r = cli({u"scan"_s, u"users"_s});
        if (scanExit >= 0)
            QCOMPARE(r.exit, scanExit);
        else
            QVERIFY2(r.exit == 0 || r.exit == 3 || r.exit == 4, qPrintable(r.err));
        QVERIFY2(r.err.contains(scanSays.contains(u"%1"_s) ? scanSays.arg(m_store) : scanSays),
                 qPrintable(r.err));
        QVERIFY2(r.err.contains(m_store), qPrintable(r.err)); // reading names the file
        if (r.exit == 0 || r.exit == 4)
            QVERIFY(r.out.count(u'\n') >= 100); // what can be read is read
        QCOMPARE(hashOf(m_store), before);      // never written
    }

    // The failures of issue 11, one test each, as the issue tells them.

    void aStoreCut100BytesShortRefusesAPutNamingTheFile()
    {
        makeBigStore();
        cutShort(100);
        const QByteArray before = hashOf(m_store);
        const Run r = cli({u"put"_s, u"users"_s, u"{\"id\":\"new\",\"name\":\"x\"}"_s});
        QCOMPARE(r.exit, 3); // it was 0: the record went into a file SQLite cannot keep
        QVERIFY2(
            r.err.contains(u"warning: the store %1 is damaged (it is truncated"_s.arg(m_store)),
            qPrintable(r.err));
        QVERIFY2(r.err.contains(u"nothing was written: this store is damaged (it is truncated"_s),
                 qPrintable(r.err));
        QVERIFY2(r.err.contains(u"export TABLE --out FILE"_s), qPrintable(r.err)); // what to do
        QCOMPARE(hashOf(m_store), before);
    }

    void readingAStoreCut100BytesShortNamesTheFile()
    {
        makeBigStore();
        cutShort(100);
        Run r = cli({u"get"_s, u"users"_s, u"u1"_s});
        QCOMPARE(r.exit, 0); // the last page lost only its free tail: u1 is still there
        QVERIFY(r.out.contains(u"\"id\":\"u1\""_s));
        QVERIFY2(r.err.contains(u"warning: the store %1 is damaged"_s.arg(m_store)),
                 qPrintable(r.err));
        // Cut into the records: whatever SQLite can no longer read is told with the file.
        cutShort(8192);
        r = cli({u"scan"_s, u"users"_s});
        QVERIFY2(r.exit == 3 || r.exit == 4, qPrintable(r.err));
        QVERIFY2(r.err.contains(m_store), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"truncated"_s), qPrintable(r.err));
    }

    void aDroppedRecordTableIsNamedNotParameterCountMismatch()
    {
        QVERIFY(SqliteShell::exec(m_store, u"DROP TABLE rec_users"_s).exit == 0);
        const QString named =
            u"the store %1 lists table users but its records table rec_users is missing; drop "
            "the table with structdesk-cli --store %1 drop-table users"_s.arg(m_store);
        for (const QStringList &args :
             {QStringList{u"get"_s, u"users"_s, u"u1"_s}, QStringList{u"scan"_s, u"users"_s},
              QStringList{u"put"_s, u"users"_s, u"{\"id\":\"n\",\"name\":\"x\"}"_s},
              QStringList{u"count"_s, u"users"_s}}) {
            const Run r = cli(args);
            QVERIFY2(r.exit == 3, qPrintable(args.join(u' ') + u": "_s + r.err));
            QVERIFY2(!r.err.contains(u"Parameter count mismatch"_s), qPrintable(r.err));
            QVERIFY2(r.err.contains(named), qPrintable(args.join(u' ') + u": "_s + r.err));
        }
        QCOMPARE(cli({u"tables"_s}).out, u"users\n"_s);
        QCOMPARE(cli({u"drop-table"_s, u"users"_s}).exit, 0); // the way back works
        QCOMPARE(cli({u"tables"_s}).out, QString());
    }

    void aDeletedModelRowThenCreateTableOrSetModelKeepsTheRecords_data()
    {
        QTest::addColumn<QString>("command");
        QTest::newRow("create-table") << u"create-table"_s;
        QTest::newRow("set-model") << u"set-model"_s;
    }

    void aDeletedModelRowThenCreateTableOrSetModelKeepsTheRecords()
    {
        // It was: "there is no table users", then create-table "rec_users already exists".
        QFETCH(QString, command);
        QVERIFY(SqliteShell::exec(m_store, u"DELETE FROM structdesk_tables WHERE name = 'users'"_s)
                    .exit == 0);
        Run r = cli({u"tables"_s});
        QCOMPARE(r.exit, 0);
        QCOMPARE(r.out, u"users\n"_s);
        r = cli({u"scan"_s, u"users"_s});
        QCOMPARE(r.exit, 1);
        QVERIFY2(r.err.contains(
                     u"table users in %1 has its records (rec_users: 5 records) but no model"_s.arg(
                         m_store)),
                 qPrintable(r.err));
        QVERIFY2(r.err.contains(u"set-model users --model FILE"_s), qPrintable(r.err));
        const QString model = m_dir.filePath(u"users%1.model.json"_s.arg(m_n));
        QFile f(model);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"table":"users","primaryIndex":{"hashKey":"id","hashKeyType":"str"},
                    "fields":{"id":{"type":"str","required":true},"name":{"type":"str","required":true},
                              "team":{"type":"str"}}})");
        f.close();
        r = cli({command, u"users"_s, u"--model"_s, model});
        QVERIFY2(r.exit == 0, qPrintable(r.err));
        QVERIFY2(!r.err.contains(u"already exists"_s), qPrintable(r.err));
        r = cli({u"scan"_s, u"users"_s});
        QCOMPARE(r.exit, 4); // u3 is still the damaged record of init()
        QCOMPARE(r.out.count(u'\n'), 4);
        r = cli({u"get"_s, u"users"_s, u"u5"_s});
        QCOMPARE(r.exit, 0);
        QVERIFY(r.out.contains(u"\"name\":\"n5\""_s));
        QCOMPARE(cli({u"put"_s, u"users"_s, u"{\"id\":\"u6\",\"name\":\"n6\"}"_s}).exit, 0);
    }
};

QTEST_GUILESS_MAIN(TstCorruptCli)
#include "tst_corruptcli.moc"
