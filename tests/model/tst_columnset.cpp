// ColumnSet alone: the grid's columns from a real table model and from records read back from a
// real embedded store in a temporary directory.
#include "model/grid/columnset.h"
#include "model/json/jsoncodec.h"
#include "model/schema/validator.h"
#include "model/store/sqlite/sqlitestore.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestColumnSet : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<SqliteStore> m_store;
    TableModelPtr m_model;

    void put(const char *json)
    {
        auto record = JsonCodec::parsePlain(QByteArray(json));
        QVERIFY2(record, qPrintable(record ? QString() : record.error().toString()));
        const Status s = m_store->putRecord(u"users"_s, applyModelTypes(*m_model, *record));
        QVERIFY2(s, qPrintable(s ? QString() : s.error().toString()));
    }
    std::vector<Value> scanAll()
    {
        auto page = m_store->scan(u"users"_s, ScanRequest{});
        if (!page)
            qWarning("%s", qPrintable(page.error().toString()));
        return page ? page->records : std::vector<Value>{};
    }

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        auto store = SqliteStore::open(m_dir.filePath(u"columns.structdesk"_s),
                                       SqliteStore::OpenMode::CreateIfMissing);
        QVERIFY2(store, qPrintable(store ? QString() : store.error().toString()));
        m_store = std::move(*store);
        auto model = TableModel::fromFile(QStringLiteral(STRUCTDESK_TESTS_DIR) +
                                          u"/data/models/users.json"_s);
        QVERIFY2(model, qPrintable(model ? QString() : model.error().toString()));
        const Status created = m_store->createTable(u"users"_s, **model);
        QVERIFY2(created, qPrintable(created ? QString() : created.error().toString()));
        auto stored = m_store->model(u"users"_s);
        QVERIFY(stored);
        m_model = *stored;
    }
    void cleanup()
    {
        m_store.reset();
        QFile::remove(m_dir.filePath(u"columns.structdesk"_s));
    }

    void keyFirstThenTheModelsRootFields()
    {
        ColumnSet columns;
        QVERIFY(columns.isEmpty());
        columns.reset(*m_model);
        const QStringList expected{
            u"userId"_s,   u"username"_s, u"email"_s,     u"age"_s,
            u"active"_s,   u"score"_s,    u"avatar"_s,    u"nextReminderTimestamp"_s,
            u"metadata"_s, u"tokens"_s,   u"tags"_s,      u"luckyNumbers"_s,
            u"logs"_s,     u"settings"_s, u"parameters"_s};
        QCOMPARE(columns.size(), int(expected.size()));
        for (int i = 0; i < columns.size(); ++i) {
            QCOMPARE(columns[i], QStringList{expected[i]});
            QCOMPARE(columns.columnOf(expected[i]), i);
        }
        QCOMPARE(columns.columnOf(u"nickname"_s), -1);
    }

    void storedRecordsAddTheirUndeclaredAttributesInOrder()
    {
        put(R"({"userId":"u1","username":"ada","age":36,"zeta":1,"extra":"x"})");
        put(R"({"userId":"u2","username":"bob","age":41,"beta":true,"extra":"y"})");
        const std::vector<Value> records = scanAll();
        QCOMPARE(records.size(), std::size_t(2));

        ColumnSet columns;
        columns.reset(*m_model);
        const int declared = columns.size();
        QStringList added;
        for (const Value &record : records)
            columns.collectNew(record, added);
        // Each record's attributes in their order (a map's keys sorted), each name once; the
        // declared ones are already columns.
        QCOMPARE(added, (QStringList{u"extra"_s, u"zeta"_s, u"beta"_s}));
        QCOMPARE(columns.size(), declared); // collecting adds nothing yet
        columns.append(added);
        QCOMPARE(columns.size(), declared + 3);
        QCOMPARE(columns[declared], QStringList{u"extra"_s});
        QCOMPARE(columns.columnOf(u"zeta"_s), declared + 1);
        QCOMPARE(columns.columnOf(u"beta"_s), declared + 2);

        QStringList again;
        for (const Value &record : scanAll())
            columns.collectNew(record, again);
        QVERIFY2(again.isEmpty(), qPrintable(again.join(u", "_s)));
    }

    void clearLeavesNoColumns()
    {
        ColumnSet columns;
        columns.reset(*m_model);
        columns.append({u"extra"_s});
        columns.clear();
        QVERIFY(columns.isEmpty());
        QCOMPARE(columns.columnOf(u"userId"_s), -1);
        QCOMPARE(columns.columnOf(u"extra"_s), -1);
    }
};

QTEST_GUILESS_MAIN(TestColumnSet)
#include "tst_columnset.moc"
