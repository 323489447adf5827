#include "model/demodata.h"
#include "model/jsoncodec.h"
#include "model/recordtablemodel.h"
#include "model/sqlitestore.h"
#include "model/storerunner.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TstRecordTableModel : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_demo;

    struct Fixture
    {
        StoreRunner pages;
        StoreRunner work;
        RecordTableModel model{&pages, &work};
        QAbstractItemModelTester tester{&model, QAbstractItemModelTester::FailureReportingMode::Fatal};
    };

    std::unique_ptr<Fixture> open(const QString &path)
    {
        auto f = std::make_unique<Fixture>();
        auto a = f->pages.open(path);
        auto b = f->work.open(path);
        a.waitForFinished();
        b.waitForFinished();
        if (!a.result() || !b.result())
            qFatal("cannot open %s", qPrintable(path));
        f->model.setTable(u"users"_s, DemoData::usersModel());
        return f;
    }

    static QString cell(const RecordTableModel &model, int row, int column)
    {
        return model.data(model.index(row, column)).toString();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_demo = m_dir.filePath(u"demo.structdesk"_s);
        const Status s = DemoData::createDemoStore(m_demo);
        QVERIFY2(s, qPrintable(s ? QString() : s.error().toString()));
    }

    void showsTheTable()
    {
        auto f = open(m_demo);
        RecordTableModel &m = f->model;
        QTRY_COMPARE(m.rowCount(), 5000);
        QCOMPARE(m.totalCount(), 5000);
        QCOMPARE(m.headerData(0, Qt::Horizontal).toString(), u"userId"_s);
        QCOMPARE(m.headerData(1, Qt::Horizontal).toString(), u"username"_s);
        QVERIFY(m.columnOf(u"metadata"_s) > 0);
        QTRY_COMPARE(cell(m, 0, 0), u"user-0000000"_s);
        QTRY_VERIFY(!m.isLoading());
        QVERIFY(m.hasPageIndex());
    }

    void placeholdersFillIn()
    {
        auto f = open(m_demo);
        RecordTableModel &m = f->model;
        QTRY_COMPARE(m.rowCount(), 5000);
        QSignalSpy loaded(&m, &RecordTableModel::pageLoaded);
        const QModelIndex middle = m.index(2600, 0);
        if (!m.data(middle, RecordTableModel::LoadedRole).toBool())
            QCOMPARE(m.data(middle).toString(), u"…"_s);
        QTRY_COMPARE(m.data(middle).toString(), u"user-0002600"_s);
        QVERIFY(loaded.count() >= 1);
    }

    void lastRowsBeforeAndAfterTheIndex()
    {
        auto f = open(m_demo);
        RecordTableModel &m = f->model;
        QTRY_COMPARE(m.rowCount(), 5000);
        QTRY_COMPARE(cell(m, 4999, 0), u"user-0004999"_s);
        QTRY_COMPARE(cell(m, 4990, 0), u"user-0004990"_s);
    }

    void scrollingKeepsTheCacheBounded()
    {
        auto f = open(m_demo);
        RecordTableModel &m = f->model;
        m.setMaxCachedPages(4);
        QTRY_COMPARE(m.rowCount(), 5000);
        QTRY_VERIFY(m.hasPageIndex());
        for (int row = 0; row < 5000; row += m.pageSize()) {
            QTRY_COMPARE(cell(m, row, 0), u"user-%1"_s.arg(row, 7, 10, QChar(u'0')));
            QVERIFY(m.cachedPageCount() <= 4);
        }
        // Back to the top: the evicted first page is read again.
        QTRY_COMPARE(cell(m, 0, 0), u"user-0000000"_s);
        QVERIFY(m.cachedPageCount() <= 4);
    }

    void cellsSummariseNestedValues()
    {
        auto f = open(m_demo);
        RecordTableModel &m = f->model;
        QTRY_COMPARE(cell(m, 0, 0), u"user-0000000"_s);
        const Value record = *m.recordAt(0);
        const int metadata = m.columnOf(u"metadata"_s);
        QCOMPARE(cell(m, 0, metadata), u"{%1 fields}"_s.arg(record.find(u"metadata"_s)->size()));
        QCOMPARE(RecordTableModel::summary(Value::list({Value(), Value()})), u"[2 items]"_s);
        QCOMPARE(RecordTableModel::summary(Value::stringSet({u"a"_s, u"b"_s, u"c"_s, u"d"_s})), u"set of 4"_s);
        QCOMPARE(RecordTableModel::summary(Value::numberUnchecked(u"12345678901234567890123456789012345678"_s)),
                 u"12345678901234567890123456789012345678"_s);
        QCOMPARE(RecordTableModel::summary(Value::map({{u"x"_s, Value()}})), u"{1 field}"_s);
        QCOMPARE(RecordTableModel::summary(Value::list({Value()})), u"[1 item]"_s);
        QCOMPARE(RecordTableModel::summary(Value::binary("abc")), u"<3 bytes>"_s);
    }

    void invalidRecordsAreMarked()
    {
        auto f = open(m_demo);
        RecordTableModel &m = f->model;
        QTRY_COMPARE(m.rowCount(), 5000);
        QVERIFY(DemoData::isInvalidOnPurpose(500));
        QTRY_VERIFY(m.data(m.index(500, 0), RecordTableModel::LoadedRole).toBool());
        QCOMPARE(m.data(m.index(500, 0), RecordTableModel::ValidationStateRole).value<RecordTableModel::ValidationState>(),
                 RecordTableModel::ValidationState::Invalid);
        const QStringList problems = m.data(m.index(500, 0), RecordTableModel::ProblemsRole).toStringList();
        QVERIFY(!problems.isEmpty());
        QVERIFY2(problems.join(u' ').contains(u"username"_s), qPrintable(problems.join(u'\n')));
        QVERIFY(m.data(m.index(500, 1), Qt::ToolTipRole).toString().contains(u"username"_s));
        QCOMPARE(m.data(m.index(1, 0), RecordTableModel::ValidationStateRole).value<RecordTableModel::ValidationState>(),
                 RecordTableModel::ValidationState::Valid);
    }

    void sortsInTheStore()
    {
        auto f = open(m_demo);
        RecordTableModel &m = f->model;
        QTRY_COMPARE(m.rowCount(), 5000);
        const int username = m.columnOf(u"username"_s);
        QSignalSpy progress(&m, &RecordTableModel::progressChanged);
        m.sort(username, Qt::AscendingOrder);
        QTRY_VERIFY(!m.isLoading());
        QTRY_VERIFY(m.rowCount() > 4990); // records missing a username sort first, all are kept
        QCOMPARE(m.rowCount(), 5000);
        QTRY_VERIFY(m.data(m.index(4999, username), RecordTableModel::LoadedRole).toBool());
        QTRY_VERIFY(m.data(m.index(100, username), RecordTableModel::LoadedRole).toBool());
        QVERIFY(cell(m, 100, username) <= cell(m, 4999, username));
        QVERIFY(!progress.isEmpty());
        m.sort(username, Qt::DescendingOrder);
        QTRY_VERIFY(!m.isLoading());
        QTRY_VERIFY(m.data(m.index(0, username), RecordTableModel::LoadedRole).toBool());
        QTRY_VERIFY(m.data(m.index(4000, username), RecordTableModel::LoadedRole).toBool());
        QVERIFY(cell(m, 0, username) >= cell(m, 4000, username));
        m.clearSort();
        QTRY_COMPARE(cell(m, 0, 0), u"user-0000000"_s);
    }

    void filtersInTheStore()
    {
        auto f = open(m_demo);
        RecordTableModel &m = f->model;
        QTRY_COMPARE(m.rowCount(), 5000);
        FilterCondition c{QStringList{u"username"_s}, FilterOp::BeginsWith, Value::string(u"olivia"_s)};
        auto direct = SqliteStore::open(m_demo);
        QVERIFY(direct);
        ScanRequest r;
        r.conditions = {c};
        const qint64 expected = *(*direct)->count(u"users"_s, r);
        QVERIFY(expected > 0 && expected < 5000);
        QSignalSpy counts(&m, &RecordTableModel::countsChanged);
        m.setFilter({c});
        QTRY_COMPARE(m.rowCount(), int(expected));
        QTRY_VERIFY(!m.isLoading());
        QCOMPARE(m.totalCount(), 5000);
        const int username = m.columnOf(u"username"_s);
        for (int row = 0; row < m.rowCount(); ++row) {
            QTRY_VERIFY(m.data(m.index(row, username), RecordTableModel::LoadedRole).toBool());
            QVERIFY(cell(m, row, username).startsWith(u"olivia"_s));
        }
        QVERIFY(!counts.isEmpty());
        m.setFilter({}, u"no such text anywhere"_s);
        QTRY_VERIFY(!m.isLoading());
        QCOMPARE(m.rowCount(), 0);
        m.setFilter({});
        QTRY_COMPARE(m.rowCount(), 5000);
    }

    void cancelGoesBackToThePreviousView()
    {
        auto f = open(m_demo);
        RecordTableModel &m = f->model;
        QTRY_COMPARE(m.rowCount(), 5000);
        QTRY_VERIFY(!m.isLoading());
        QSignalSpy cancelled(&m, &RecordTableModel::cancelled);
        QSignalSpy failed(&m, &RecordTableModel::loadFailed);
        m.sort(m.columnOf(u"username"_s), Qt::AscendingOrder);
        QVERIFY(m.isLoading());
        m.cancel();
        QCOMPARE(cancelled.count(), 1);
        QCOMPARE(m.sortColumn(), -1);
        QTRY_VERIFY(!m.isLoading());
        QTRY_COMPARE(m.rowCount(), 5000);
        QTRY_COMPARE(cell(m, 0, 0), u"user-0000000"_s);
        QVERIFY(failed.isEmpty());
        // Nothing running: cancel does nothing.
        m.cancel();
        QCOMPARE(cancelled.count(), 1);
    }

    void firstRowsAreSignalled()
    {
        auto f = open(m_demo);
        RecordTableModel &m = f->model;
        QSignalSpy first(&m, &RecordTableModel::firstRowsLoaded);
        QSignalSpy finished(&m, &RecordTableModel::loadFinished);
        m.setTable(u"users"_s, DemoData::usersModel());
        QTRY_COMPARE(first.count(), 1);
        QTRY_COMPARE(finished.count(), 1);
        QSignalSpy failed(&m, &RecordTableModel::loadFailed);
        finished.clear();
        m.setTable(u"missing"_s, DemoData::usersModel());
        QTRY_VERIFY(!failed.isEmpty());
        QTRY_VERIFY(!m.isLoading());
        QTest::qWait(50);
        QCOMPARE(finished.count(), 0);
    }

    void staleAnswersAreDropped()
    {
        auto f = open(m_demo);
        RecordTableModel &m = f->model;
        // Change the view before any answer arrives: the end state is the last request's.
        m.setFilter({FilterCondition{QStringList{u"username"_s}, FilterOp::BeginsWith, Value::string(u"liam"_s)}});
        m.setFilter({FilterCondition{QStringList{u"username"_s}, FilterOp::BeginsWith, Value::string(u"emma"_s)}});
        QTRY_VERIFY(!m.isLoading());
        QTRY_VERIFY(m.rowCount() > 0);
        const int username = m.columnOf(u"username"_s);
        QTRY_VERIFY(m.data(m.index(0, username), RecordTableModel::LoadedRole).toBool());
        QVERIFY(cell(m, 0, username).startsWith(u"emma"_s));
    }

    void reloadSeesChanges()
    {
        const QString path = m_dir.filePath(u"changes.structdesk"_s);
        QVERIFY(DemoData::createDemoStore(path, 300));
        auto f = open(path);
        RecordTableModel &m = f->model;
        QTRY_COMPARE(m.rowCount(), 300);
        {
            auto other = SqliteStore::open(path);
            QVERIFY(other);
            QVERIFY((*other)->writeRaw(u"users"_s, DemoData::userRecord(1000), true));
            QVERIFY((*other)->deleteRecord(u"users"_s, Value::string(u"user-0000000"_s)));
        }
        m.reload();
        QTRY_COMPARE(m.rowCount(), 300);
        QTRY_COMPARE(cell(m, 0, 0), u"user-0000001"_s);
        QTRY_COMPARE(cell(m, 299, 0), u"user-0001000"_s);
    }

    void failuresAreReported()
    {
        auto f = open(m_demo);
        RecordTableModel &m = f->model;
        QSignalSpy failed(&m, &RecordTableModel::loadFailed);
        m.setTable(u"missing"_s, DemoData::usersModel());
        QTRY_VERIFY(!failed.isEmpty());
        QVERIFY(failed.first().first().toString().contains(u"missing"_s));
        QTRY_VERIFY(!m.isLoading());
        QCOMPARE(m.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TstRecordTableModel)
#include "tst_recordtablemodel.moc"
