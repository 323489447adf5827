#include "model/grid/recordtablemodel.h"
#include "model/json/jsoncodec.h"
#include "model/store/open/demodata.h"
#include "model/store/open/storerunner.h"
#include "model/store/sqlite/sqlitestore.h"
#include "tests/common/faultystore.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;

/// A real embedded store that answers like DynamoDB: no exact count, so the grid pages by start
/// keys. It owns the store it wraps.
class EstimatingStore final : public RecordStore
{
public:
    explicit EstimatingStore(std::unique_ptr<RecordStore> inner)
        : m_owned(std::move(inner)), m_faulty(*m_owned)
    {
    }
    QString location() const override { return m_faulty.location(); }
    StoreCapabilities capabilities() const override
    {
        StoreCapabilities caps = m_faulty.capabilities();
        caps.exactCount = false;
        return caps;
    }
    Result<QStringList> listTables() override { return m_faulty.listTables(); }
    Result<TableInfo> describeTable(const QString &t) override
    {
        auto info = m_faulty.describeTable(t);
        if (info) {
            info->count = 1000; // an estimate, as DynamoDB's ItemCount
            info->countExact = false;
        }
        return info;
    }
    Status createTable(const QString &t, const TableModel &m) override
    {
        return m_faulty.createTable(t, m);
    }
    Status dropTable(const QString &t) override { return m_faulty.dropTable(t); }
    Status setModel(const QString &t, const TableModel &m) override
    {
        return m_faulty.setModel(t, m);
    }
    Result<ScanPage> scan(const QString &t, const ScanRequest &r) override
    {
        ++scans;
        return m_faulty.scan(t, r);
    }
    Result<qint64> count(const QString &t, const ScanRequest &r = {}) override
    {
        auto total = m_faulty.count(t, r);
        if (!total)
            return total;
        // Page by page, as DynamoDB counts: progress after every 1,000, cancel between pages.
        for (qint64 n = 0; n < *total; n += 1000) {
            while (holdCount.load() && !(r.cancelled && r.cancelled()))
                QThread::msleep(5);
            if (r.cancelled && r.cancelled())
                return makeError(ErrorKind::Unavailable, u"the count was cancelled"_s);
            if (r.counted)
                r.counted(std::min<qint64>(n + 1000, *total));
        }
        return total;
    }
    /// While true, count() waits before its next page (until it is cancelled).
    static inline std::atomic_bool holdCount = false;
    Status writeRaw(const QString &t, const Value &record, bool mustNotExist) override
    {
        return m_faulty.writeRaw(t, record, mustNotExist);
    }
    std::atomic_int scans = 0;

protected:
    Result<TableModelPtr> loadModel(const QString &t) override { return m_faulty.model(t); }
    Status doPut(const QString &t, const Value &, const Value &r) override
    {
        return m_faulty.putRecord(t, r);
    }
    Status doReplace(const QString &t, const Value &, const Value &e, const Value &r) override
    {
        return m_faulty.replaceRecord(t, e, r);
    }
    Result<std::optional<Value>> doGet(const QString &t, const Value &k) override
    {
        return m_faulty.getRecord(t, k);
    }
    Result<std::optional<Value>> doRemove(const QString &t, const Value &k) override
    {
        return m_faulty.removeRecord(t, k);
    }
    Result<std::vector<std::optional<Value>>> doUpdate(const QString &, const Value &,
                                                       const std::vector<ResolvedSetter> &) override
    {
        return makeError(ErrorKind::Backend, u"not used"_s);
    }
    Result<std::optional<Value>> doRemoveField(const QString &, const Value &,
                                               const ResolvedPath &) override
    {
        return makeError(ErrorKind::Backend, u"not used"_s);
    }

private:
    std::unique_ptr<RecordStore> m_owned;
    FaultyStore m_faulty;
};

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
        QAbstractItemModelTester tester{&model,
                                        QAbstractItemModelTester::FailureReportingMode::Fatal};
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
        QCOMPARE(RecordTableModel::summary(Value::stringSet({u"a"_s, u"b"_s, u"c"_s, u"d"_s})),
                 u"set of 4"_s);
        QCOMPARE(RecordTableModel::summary(
                     Value::numberUnchecked(u"12345678901234567890123456789012345678"_s)),
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
        QCOMPARE(m.data(m.index(500, 0), RecordTableModel::ValidationStateRole)
                     .value<RecordTableModel::ValidationState>(),
                 RecordTableModel::ValidationState::Invalid);
        const QStringList problems =
            m.data(m.index(500, 0), RecordTableModel::ProblemsRole).toStringList();
        QVERIFY(!problems.isEmpty());
        QVERIFY2(problems.join(u' ').contains(u"username"_s), qPrintable(problems.join(u'\n')));
        QVERIFY(m.data(m.index(500, 1), Qt::ToolTipRole).toString().contains(u"username"_s));
        QCOMPARE(m.data(m.index(1, 0), RecordTableModel::ValidationStateRole)
                     .value<RecordTableModel::ValidationState>(),
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
        FilterCondition c{QStringList{u"username"_s}, FilterOp::BeginsWith,
                          Value::string(u"olivia"_s)};
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

    void storesWithoutExactCountsPageByStartKeys()
    {
        Fixture f;
        for (StoreRunner *runner : {&f.pages, &f.work}) {
            auto opened = runner->openWith(
                [path = m_demo]() -> Result<std::unique_ptr<RecordStore>> {
                    auto store = SqliteStore::open(path);
                    if (!store)
                        return store.error();
                    return std::unique_ptr<RecordStore>(new EstimatingStore(std::move(*store)));
                },
                m_demo);
            opened.waitForFinished();
            QVERIFY(opened.result());
        }
        RecordTableModel &m = f.model;
        m.setMaxCachedPages(3);
        m.setTable(u"users"_s, DemoData::usersModel());
        QTRY_VERIFY(m.isSequential());
        QTRY_VERIFY(m.rowCount() >= m.pageSize());
        QVERIFY(m.rowCount() < 5000);
        QVERIFY(!m.totalIsExact());
        QCOMPARE(m.totalCount(), 1000); // the estimate, until the end is reached or counted
        // Scrolling down fetches page after page, each from the start key the last one gave.
        while (m.canFetchMore({}) || m.isLoading()) {
            if (m.canFetchMore({}))
                m.fetchMore({});
            QTest::qWait(1);
        }
        QTRY_COMPARE(m.rowCount(), 5000);
        QVERIFY(m.totalIsExact());
        QCOMPARE(m.totalCount(), 5000);
        QVERIFY(m.cachedPageCount() <= 3);
        // An evicted page reloads from its remembered start key.
        QTRY_COMPARE(cell(m, 0, 0), u"user-0000000"_s);
        QTRY_COMPARE(cell(m, 2600, 0), u"user-0002600"_s);
        QTRY_COMPARE(cell(m, 4999, 0), u"user-0004999"_s);
        // Filters page the same way.
        m.setFilter({FilterCondition{QStringList{u"username"_s}, FilterOp::BeginsWith,
                                     Value::string(u"olivia"_s)}});
        QTRY_VERIFY(!m.isLoading());
        while (m.canFetchMore({}) || m.isLoading()) {
            if (m.canFetchMore({}))
                m.fetchMore({});
            QTest::qWait(1);
        }
        QVERIFY(m.rowCount() > 0 && m.rowCount() < 5000);
        const int username = m.columnOf(u"username"_s);
        QTRY_VERIFY(
            m.data(m.index(m.rowCount() - 1, username), RecordTableModel::LoadedRole).toBool());
        QVERIFY(cell(m, m.rowCount() - 1, username).startsWith(u"olivia"_s));
    }

private:
    /// Opens the demo store behind both runners of `f` as a store without exact counts, and
    /// shows its users table.
    void openEstimating(Fixture &f)
    {
        for (StoreRunner *runner : {&f.pages, &f.work}) {
            auto opened = runner->openWith(
                [path = m_demo]() -> Result<std::unique_ptr<RecordStore>> {
                    auto store = SqliteStore::open(path);
                    if (!store)
                        return store.error();
                    return std::unique_ptr<RecordStore>(new EstimatingStore(std::move(*store)));
                },
                m_demo);
            opened.waitForFinished();
        }
        f.model.setTable(u"users"_s, DemoData::usersModel());
    }

private slots:
    void countExactlyOnRequest()
    {
        Fixture f;
        openEstimating(f);
        RecordTableModel &m = f.model;
        QTRY_VERIFY(m.isSequential());
        QTRY_VERIFY(!m.isLoading());
        QCOMPARE(m.totalCount(), 1000);
        m.countExactly();
        QTRY_VERIFY(m.totalIsExact());
        QCOMPARE(m.totalCount(), 5000);
    }

    void countExactlyShowsProgressAndCanBeCancelled()
    {
        {
            Fixture f;
            openEstimating(f);
            RecordTableModel &m = f.model;
            QTRY_VERIFY(m.isSequential() && !m.isLoading());
            QSignalSpy progress(&m, &RecordTableModel::countProgress);
            m.countExactly();
            QVERIFY(m.isCounting());
            QTRY_VERIFY(m.totalIsExact());
            QVERIFY(!m.isCounting());
            QTRY_COMPARE(progress.count(), 5);
            for (int i = 0; i < progress.count(); ++i)
                QCOMPARE(progress.at(i).at(0).toLongLong(), 1000 * (i + 1));
        }
        {
            Fixture f;
            openEstimating(f);
            RecordTableModel &m = f.model;
            QTRY_VERIFY(m.isSequential() && !m.isLoading());
            QSignalSpy failed(&m, &RecordTableModel::loadFailed);
            EstimatingStore::holdCount = true;
            m.countExactly();
            QTRY_VERIFY(m.isLoading());
            m.cancelCount();
            QTRY_VERIFY(!m.isLoading());
            EstimatingStore::holdCount = false;
            QVERIFY(!m.isCounting());
            // The estimate stays, and a cancel is not a failure.
            QVERIFY(!m.totalIsExact());
            QCOMPARE(m.totalCount(), 1000);
            QCOMPARE(failed.count(), 0);
            // A new count after a cancel runs to the end.
            m.countExactly();
            QTRY_VERIFY(m.totalIsExact());
            QCOMPARE(m.totalCount(), 5000);
        }
    }

    void staleAnswersAreDropped()
    {
        auto f = open(m_demo);
        RecordTableModel &m = f->model;
        // Change the view before any answer arrives: the end state is the last request's.
        m.setFilter({FilterCondition{QStringList{u"username"_s}, FilterOp::BeginsWith,
                                     Value::string(u"liam"_s)}});
        m.setFilter({FilterCondition{QStringList{u"username"_s}, FilterOp::BeginsWith,
                                     Value::string(u"emma"_s)}});
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
