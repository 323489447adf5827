// The main window against a real embedded store (the demo store in a temporary folder):
// tables panel, grid, inspector, filter, sort, copy, refresh and remembered settings.

#include "model/grid/recordtablemodel.h"
#include "model/json/jsoncodec.h"
#include "model/store/open/demodata.h"
#include "model/store/sqlite/sqlitestore.h"
#include "tests/common/recordingnotifier.h"
#include "widgets/common/messagebar.h"
#include "widgets/common/notifier.h"
#include "widgets/grid/filterbar.h"
#include "widgets/grid/recordgridview.h"
#include "widgets/grid/recordinspector.h"
#include "widgets/grid/tablelistview.h"
#include "widgets/window/mainwindow.h"

#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>

#include <memory>

namespace {

constexpr int kDemoCount = 5000;
constexpr int kLoadTimeout = 20000;

/// Sort keys in the order the store sorts: missing/null, then numbers (booleans are 0/1),
/// then strings.
struct AgeKey
{
    int kind = 0;
    double number = 0;
    QString text;
    bool operator<=(const AgeKey &o) const
    {
        if (kind != o.kind)
            return kind < o.kind;
        if (kind == 1)
            return number <= o.number;
        return kind == 0 || text <= o.text;
    }
};

AgeKey ageKey(const QVariant &cell)
{
    AgeKey k;
    if (!cell.isValid())
        return k;
    const Value v = cell.value<Value>();
    if (v.isNumber()) {
        k.kind = 1;
        k.number = v.text().toDouble();
    } else if (v.type() == Value::Type::Bool) {
        k.kind = 1;
        k.number = v.toBool() ? 1 : 0;
    } else if (v.isString()) {
        k.kind = 2;
        k.text = v.text();
    }
    return k;
}

} // namespace

class TstMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void opensStoreAndListsTables();
    void gridShowsAllRecords();
    void selectingRowShowsRecordInInspector();
    void invalidRecordShowsProblems();
    void filterNarrowsGrid();
    void searchTextNarrowsGrid();
    void headerClickSortsAndReverses();
    void cancelSortReturnsToPreviousView();
    void copyAsJson();
    void ctrlFFocusesSearch();
    void refreshReloadsTablesAndRecords();
    void recentStoresRoundTrip();
    void columnWidthsRoundTrip();
    void geometryLargerThanTheScreenIsFitted();
    void missingStoreShowsErrorInPlace();
    void aboutGoesThroughNotifier();

private:
    std::unique_ptr<MainWindow> openWindow(const QString &location);
    template <typename T> static T *child(QWidget *window, const char *name)
    {
        T *w = window->findChild<T *>(QLatin1String(name));
        if (!w)
            qWarning("no widget named %s", name);
        return w;
    }
    static RecordTableModel *gridModel(MainWindow *w);
    static bool rowLoaded(RecordTableModel *model, int row);
    static bool waitForRow(RecordGridView *grid, int row);
    static void clickRow(RecordGridView *grid, int row);

    QTemporaryDir m_dir;
    QString m_store;
    RecordingNotifier m_notifier{false}; ///< answers no
};

void TstMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("StructDesk"));
    QCoreApplication::setApplicationName(QStringLiteral("StructDesk"));
    QVERIFY(m_dir.isValid());
    m_store = m_dir.filePath(QStringLiteral("demo.structdesk"));
    const Status created = DemoData::createDemoStore(m_store, kDemoCount);
    QVERIFY2(created.ok(), qPrintable(created.ok() ? QString() : created.error().toString()));
    Notifier::setInstance(&m_notifier);
}

void TstMainWindow::init()
{
    QSettings().clear();
    m_notifier.messages.clear();
}

void TstMainWindow::cleanup()
{
    QSettings().clear();
}

void TstMainWindow::cleanupTestCase()
{
    Notifier::setInstance(nullptr);
}

std::unique_ptr<MainWindow> TstMainWindow::openWindow(const QString &location)
{
    auto window = std::make_unique<MainWindow>();
    window->show();
    window->activateWindow();
    if (!QTest::qWaitForWindowExposed(window.get()))
        return nullptr;
    window->openStore(location);
    return window;
}

RecordTableModel *TstMainWindow::gridModel(MainWindow *w)
{
    // The grid's model is the window's record model (the view is not asked to downcast).
    auto *grid = w->findChild<RecordGridView *>(QStringLiteral("recordGrid"));
    return grid && grid->model() == w->recordModel() ? w->recordModel() : nullptr;
}

bool TstMainWindow::rowLoaded(RecordTableModel *model, int row)
{
    return model->index(row, 0).data(RecordTableModel::LoadedRole).toBool();
}

bool TstMainWindow::waitForRow(RecordGridView *grid, int row)
{
    auto *model = grid->model();
    grid->scrollTo(model->index(row, 0), QAbstractItemView::PositionAtCenter);
    return QTest::qWaitFor(
        [&] { return model->index(row, 0).data(RecordTableModel::LoadedRole).toBool(); },
        kLoadTimeout);
}

void TstMainWindow::clickRow(RecordGridView *grid, int row)
{
    const QModelIndex index = grid->model()->index(row, 0);
    grid->scrollTo(index);
    QApplication::processEvents();
    QTest::mouseClick(grid->viewport(), Qt::LeftButton, {}, grid->visualRect(index).center());
}

void TstMainWindow::opensStoreAndListsTables()
{
    auto w = openWindow(m_store);
    QVERIFY(w);
    auto *tables = child<TableListView>(w.get(), "tableList");
    QVERIFY(tables);
    QTRY_VERIFY_WITH_TIMEOUT(tables->tableItem(QStringLiteral("users")) != nullptr, kLoadTimeout);
    QTreeWidgetItem *users = tables->tableItem(QStringLiteral("users"));
    QCOMPARE(users->data(1, TableListView::RecordCountRole).toLongLong(), qint64(kDemoCount));
    QVERIFY(users->text(1).remove(u',').remove(u'.').remove(u' ') == QStringLiteral("5000"));
    QCOMPARE(tables->storeItem()->text(0), QStringLiteral("demo.structdesk"));
    QCOMPARE(w->storeLocation(), m_store);
    // The first table is chosen at once.
    QTRY_COMPARE_WITH_TIMEOUT(w->currentTable(), QStringLiteral("users"), kLoadTimeout);
    QCOMPARE(tables->currentTable(), QStringLiteral("users"));
    QVERIFY(w->windowTitle().contains(QStringLiteral("demo.structdesk")));
}

void TstMainWindow::gridShowsAllRecords()
{
    auto w = openWindow(m_store);
    QVERIFY(w);
    RecordTableModel *model = gridModel(w.get());
    QVERIFY(model);
    auto *tables = child<TableListView>(w.get(), "tableList");
    QTRY_VERIFY_WITH_TIMEOUT(tables->tableItem(QStringLiteral("users")) != nullptr, kLoadTimeout);
    // Choosing the table in the panel shows it.
    const QTreeWidgetItem *item = tables->tableItem(QStringLiteral("users"));
    QTest::mouseClick(tables->viewport(), Qt::LeftButton, {},
                      tables->visualItemRect(item).center());
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), kDemoCount, kLoadTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading(), kLoadTimeout);
    auto *count = child<QLabel>(w.get(), "countLabel");
    QVERIFY(count->text().contains(QStringLiteral("shown of")));
    QVERIFY(child<QLabel>(w.get(), "loadTimeLabel")->text().contains(QStringLiteral("ms")));
    QCOMPARE(model->headerData(0, Qt::Horizontal).toString(), QStringLiteral("userId"));
    // A far row fills in as its page arrives.
    auto *grid = child<RecordGridView>(w.get(), "recordGrid");
    QVERIFY(waitForRow(grid, 4321));
    QCOMPARE(model->index(4321, 0).data().toString(), QStringLiteral("user-0004321"));
}

void TstMainWindow::selectingRowShowsRecordInInspector()
{
    auto w = openWindow(m_store);
    QVERIFY(w);
    RecordTableModel *model = gridModel(w.get());
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), kDemoCount, kLoadTimeout);
    auto *grid = child<RecordGridView>(w.get(), "recordGrid");
    QVERIFY(waitForRow(grid, 42));
    clickRow(grid, 42);
    QCOMPARE(grid->currentIndex().row(), 42);

    auto *tree = child<QTreeWidget>(w.get(), "inspectorTree");
    QTRY_VERIFY(tree->topLevelItemCount() > 0);
    const QTreeWidgetItem *first = tree->topLevelItem(0);
    QCOMPARE(first->text(0), QStringLiteral("userId"));
    QCOMPARE(first->text(1), QStringLiteral("user-0000042"));
    QVERIFY(first->text(2).startsWith(QStringLiteral("S")));
    // Nested maps are children with their types.
    const auto metadata = tree->findItems(QStringLiteral("metadata"), Qt::MatchExactly, 0);
    QCOMPARE(metadata.size(), 1);
    QVERIFY(metadata.front()->childCount() > 0);
    QVERIFY(metadata.front()->text(2).startsWith(QStringLiteral("M")));
    QVERIFY(metadata.front()->isExpanded());

    auto *json = child<QPlainTextEdit>(w.get(), "inspectorJson");
    QVERIFY(json->isReadOnly());
    QVERIFY(json->toPlainText().contains(QStringLiteral("\"userId\": \"user-0000042\"")));
    QCOMPARE(child<QLabel>(w.get(), "inspectorTitle")->text(), QStringLiteral("user-0000042"));
    QVERIFY(!child<QLabel>(w.get(), "inspectorProblems")->isVisible());

    // The JSON tab's Copy button copies exactly that text.
    QGuiApplication::clipboard()->clear();
    auto *tabs = child<QTabWidget>(w.get(), "inspectorTabs");
    tabs->setCurrentWidget(json);
    QTest::mouseClick(child<QPushButton>(w.get(), "copyJsonButton"), Qt::LeftButton);
    QTRY_COMPARE(QGuiApplication::clipboard()->text(), json->toPlainText());
    auto parsed = JsonCodec::parsePlain(QGuiApplication::clipboard()->text().toUtf8());
    QVERIFY(parsed.ok());
    QCOMPARE(*parsed->find(QStringLiteral("userId")),
             Value::string(QStringLiteral("user-0000042")));
}

void TstMainWindow::invalidRecordShowsProblems()
{
    QVERIFY(DemoData::isInvalidOnPurpose(500));
    QVERIFY(!DemoData::isInvalidOnPurpose(501));
    auto w = openWindow(m_store);
    QVERIFY(w);
    RecordTableModel *model = gridModel(w.get());
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), kDemoCount, kLoadTimeout);
    auto *grid = child<RecordGridView>(w.get(), "recordGrid");
    QVERIFY(waitForRow(grid, 500));
    const QModelIndex index = model->index(500, 0);
    QCOMPARE(index.data().toString(), QStringLiteral("user-0000500"));
    QCOMPARE(index.data(RecordTableModel::ValidationStateRole)
                 .value<RecordTableModel::ValidationState>(),
             RecordTableModel::ValidationState::Invalid);
    QVERIFY(!index.data(Qt::ToolTipRole).toString().isEmpty());
    QCOMPARE(model->index(501, 0)
                 .data(RecordTableModel::ValidationStateRole)
                 .value<RecordTableModel::ValidationState>(),
             RecordTableModel::ValidationState::Valid);

    clickRow(grid, 500);
    auto *problems = child<QLabel>(w.get(), "inspectorProblems");
    QTRY_VERIFY(problems->isVisible());
    QVERIFY(problems->text().contains(QStringLiteral("username")));
    for (const QString &p : index.data(RecordTableModel::ProblemsRole).toStringList())
        QVERIFY2(problems->text().contains(p.toHtmlEscaped()), qPrintable(p));
    QCOMPARE(child<QLabel>(w.get(), "inspectorTitle")->text(), QStringLiteral("user-0000500"));
    QVERIFY(child<QPlainTextEdit>(w.get(), "inspectorJson")
                ->toPlainText()
                .contains(QStringLiteral("user-0000500")));

    // Back to a valid record: the problems go away.
    clickRow(grid, 501);
    QTRY_VERIFY(!problems->isVisible());
}

void TstMainWindow::filterNarrowsGrid()
{
    auto w = openWindow(m_store);
    QVERIFY(w);
    RecordTableModel *model = gridModel(w.get());
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), kDemoCount, kLoadTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading(), kLoadTimeout);

    QTest::mouseClick(child<QPushButton>(w.get(), "addConditionButton"), Qt::LeftButton);
    QWidget *row = child<QWidget>(w.get(), "conditionRow0");
    QVERIFY(row);
    auto *field = row->findChild<QComboBox *>(QStringLiteral("conditionField"));
    auto *op = row->findChild<QComboBox *>(QStringLiteral("conditionOperator"));
    auto *value = row->findChild<QLineEdit *>(QStringLiteral("conditionValue"));
    QVERIFY(field && op && value);
    QVERIFY(field->findText(QStringLiteral("username")) >= 0);
    QVERIFY(field->findText(QStringLiteral("metadata.plan")) >= 0);
    field->lineEdit()->clear();
    QTest::keyClicks(field->lineEdit(), QStringLiteral("username"));
    op->setCurrentIndex(op->findText(QStringLiteral("begins with")));
    QTest::keyClicks(value, QStringLiteral("olivia"));
    QTest::keyClick(value, Qt::Key_Return);

    QCOMPARE(model->filterConditions().size(), std::size_t(1));
    QCOMPARE(model->filterConditions().front().op, FilterOp::BeginsWith);
    QCOMPARE(model->filterConditions().front().operand, Value::string(QStringLiteral("olivia")));
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading() && model->rowCount() > 0, kLoadTimeout);
    const int shown = model->rowCount();
    QVERIFY2(shown < kDemoCount, qPrintable(QString::number(shown)));
    QVERIFY(child<QLabel>(w.get(), "countLabel")->text().contains(QStringLiteral("of 5")));
    const int username = model->columnOf(QStringLiteral("username"));
    auto *grid = child<RecordGridView>(w.get(), "recordGrid");
    for (int r = 0; r < shown; ++r) {
        if (!rowLoaded(model, r))
            QVERIFY(waitForRow(grid, r));
        const QString name = model->index(r, username).data().toString();
        QVERIFY2(name.startsWith(QStringLiteral("olivia")), qPrintable(name));
    }

    // Clear brings every record back.
    QTest::mouseClick(child<QPushButton>(w.get(), "clearFilterButton"), Qt::LeftButton);
    QVERIFY(model->filterConditions().empty());
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), kDemoCount, kLoadTimeout);
}

void TstMainWindow::searchTextNarrowsGrid()
{
    auto w = openWindow(m_store);
    QVERIFY(w);
    RecordTableModel *model = gridModel(w.get());
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), kDemoCount, kLoadTimeout);
    auto *search = child<QLineEdit>(w.get(), "searchEdit");
    QTest::keyClicks(search, QStringLiteral("user-0001234"));
    QTest::keyClick(search, Qt::Key_Return);
    QCOMPARE(model->filterText(), QStringLiteral("user-0001234"));
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading() && model->rowCount() == 1, kLoadTimeout);
    QTRY_VERIFY(rowLoaded(model, 0));
    QCOMPARE(model->index(0, 0).data().toString(), QStringLiteral("user-0001234"));
    // The first match is selected and inspected.
    QTRY_COMPARE(child<QLabel>(w.get(), "inspectorTitle")->text(), QStringLiteral("user-0001234"));
}

void TstMainWindow::headerClickSortsAndReverses()
{
    auto w = openWindow(m_store);
    QVERIFY(w);
    RecordTableModel *model = gridModel(w.get());
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), kDemoCount, kLoadTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading(), kLoadTimeout);
    auto *grid = child<RecordGridView>(w.get(), "recordGrid");
    const int age = model->columnOf(QStringLiteral("age"));
    QVERIFY(age > 0);
    QHeaderView *header = grid->horizontalHeader();
    auto clickHeader = [&] {
        grid->scrollTo(model->index(grid->rowAt(0) < 0 ? 0 : grid->rowAt(0), age));
        QApplication::processEvents();
        const QPoint at(header->sectionViewportPosition(age) + header->sectionSize(age) / 2,
                        header->height() / 2);
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, at);
    };
    auto firstAndLast = [&](AgeKey &first, AgeKey &last) {
        if (!waitForRow(grid, 0))
            return false;
        first = ageKey(model->index(0, age).data(RecordTableModel::CellValueRole));
        if (!waitForRow(grid, kDemoCount - 1))
            return false;
        last = ageKey(model->index(kDemoCount - 1, age).data(RecordTableModel::CellValueRole));
        return true;
    };

    clickHeader();
    QCOMPARE(model->sortColumn(), age);
    QCOMPARE(model->sortOrder(), Qt::AscendingOrder);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading() && model->rowCount() == kDemoCount, kLoadTimeout);
    QCOMPARE(header->sortIndicatorSection(), age);
    AgeKey first, last;
    QVERIFY(firstAndLast(first, last));
    QVERIFY(first <= last);
    QVERIFY(!(last <= first)); // not all equal: the order means something
    // A page in the middle is sorted too.
    QVERIFY(waitForRow(grid, 2500));
    for (int r = 2500; r < 2520; ++r)
        QVERIFY(ageKey(model->index(r, age).data(RecordTableModel::CellValueRole)) <=
                ageKey(model->index(r + 1, age).data(RecordTableModel::CellValueRole)));

    clickHeader();
    QCOMPARE(model->sortOrder(), Qt::DescendingOrder);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading() && model->rowCount() == kDemoCount, kLoadTimeout);
    AgeKey rfirst, rlast;
    QVERIFY(firstAndLast(rfirst, rlast));
    QVERIFY(rlast <= rfirst);
    QVERIFY(last <= rfirst && rfirst <= last);

    // Clear Sort goes back to the natural order.
    auto *clearSort = w->findChild<QAction *>(QStringLiteral("clearSortAction"));
    QVERIFY(clearSort->isEnabled());
    clearSort->trigger();
    QCOMPARE(model->sortColumn(), -1);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading() && rowLoaded(model, 0), kLoadTimeout);
    QCOMPARE(model->index(0, 0).data().toString(), QStringLiteral("user-0000000"));
}

void TstMainWindow::cancelSortReturnsToPreviousView()
{
    auto w = openWindow(m_store);
    QVERIFY(w);
    RecordTableModel *model = gridModel(w.get());
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), kDemoCount, kLoadTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading(), kLoadTimeout);
    auto *cancel = child<QToolButton>(w.get(), "cancelLoadButton");
    auto *progress = child<QProgressBar>(w.get(), "loadProgress");
    QVERIFY(!cancel->isVisible());

    // The sort runs on the store's worker; its answer can only arrive through the event loop,
    // so the Cancel click below always lands while it is loading.
    model->sort(model->columnOf(QStringLiteral("age")), Qt::DescendingOrder);
    QVERIFY(model->isLoading());
    QVERIFY(cancel->isVisible());
    QVERIFY(progress->isVisible());
    QVERIFY(progress->format().startsWith(QStringLiteral("Sorting")));
    QTest::mouseClick(cancel, Qt::LeftButton);
    QCOMPARE(model->sortColumn(), -1);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading() && model->rowCount() == kDemoCount, kLoadTimeout);
    QTRY_VERIFY(rowLoaded(model, 0));
    QCOMPARE(model->index(0, 0).data().toString(), QStringLiteral("user-0000000"));
    QVERIFY(!cancel->isVisible());
    QVERIFY(!progress->isVisible());
    QCOMPARE(
        child<RecordGridView>(w.get(), "recordGrid")->horizontalHeader()->sortIndicatorSection(),
        -1);
}

void TstMainWindow::copyAsJson()
{
    auto w = openWindow(m_store);
    QVERIFY(w);
    QVERIFY(QTest::qWaitForWindowActive(w.get()));
    RecordTableModel *model = gridModel(w.get());
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), kDemoCount, kLoadTimeout);
    auto *grid = child<RecordGridView>(w.get(), "recordGrid");
    QVERIFY(waitForRow(grid, 7));
    clickRow(grid, 7);
    grid->setFocus();
    QGuiApplication::clipboard()->clear();
    QTest::keyClick(grid, Qt::Key_C, Qt::ControlModifier);
    QTRY_VERIFY(!QGuiApplication::clipboard()->text().isEmpty());
    const QString text = QGuiApplication::clipboard()->text();
    QCOMPARE(text.count(u'\n'), 1); // one JSON line per record
    auto parsed = JsonCodec::parsePlain(text.trimmed().toUtf8());
    QVERIFY(parsed.ok());
    QCOMPARE(*parsed->find(QStringLiteral("userId")),
             Value::string(QStringLiteral("user-0000007")));
    QCOMPARE(text.trimmed().toUtf8(), JsonCodec::toPlain(DemoData::userRecord(7)));

    // Several rows: several lines, in row order.
    QTest::mouseClick(grid->viewport(), Qt::LeftButton, Qt::ShiftModifier,
                      grid->visualRect(model->index(9, 0)).center());
    QGuiApplication::clipboard()->clear();
    QTest::keyClick(grid, Qt::Key_C, Qt::ControlModifier);
    QTRY_VERIFY(!QGuiApplication::clipboard()->text().isEmpty());
    const QStringList lines = QGuiApplication::clipboard()->text().split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines[0].contains(QStringLiteral("user-0000007")));
    QVERIFY(lines[2].contains(QStringLiteral("user-0000009")));
}

void TstMainWindow::ctrlFFocusesSearch()
{
    auto w = openWindow(m_store);
    QVERIFY(w);
    QVERIFY(QTest::qWaitForWindowActive(w.get()));
    auto *grid = child<RecordGridView>(w.get(), "recordGrid");
    grid->setFocus();
    QTest::keyClick(grid, Qt::Key_F, Qt::ControlModifier);
    QTRY_COMPARE(QApplication::focusWidget(), child<QLineEdit>(w.get(), "searchEdit"));
}

void TstMainWindow::refreshReloadsTablesAndRecords()
{
    const QString path = m_dir.filePath(QStringLiteral("refresh.structdesk"));
    QVERIFY(DemoData::createDemoStore(path, 50).ok());
    auto w = openWindow(path);
    QVERIFY(w);
    QVERIFY(QTest::qWaitForWindowActive(w.get()));
    RecordTableModel *model = gridModel(w.get());
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 50, kLoadTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading(), kLoadTimeout);
    auto *tables = child<TableListView>(w.get(), "tableList");

    {
        // Another program adds a record.
        auto store = SqliteStore::open(path, SqliteStore::OpenMode::OpenExisting);
        QVERIFY(store.ok());
        QVERIFY((*store)->putRecord(QStringLiteral("users"), DemoData::userRecord(999)).ok());
    }
    QCOMPARE(model->rowCount(), 50);
    QSignalSpy resets(model, &QAbstractItemModel::modelReset);
    QTest::keyClick(w.get(), Qt::Key_F5);
    QCOMPARE(resets.count(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 51, kLoadTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(tables->tableItem(QStringLiteral("users"))
                                  ->data(1, TableListView::RecordCountRole)
                                  .toLongLong(),
                              51, kLoadTimeout);
    QCOMPARE(tables->currentTable(), QStringLiteral("users"));
}

void TstMainWindow::recentStoresRoundTrip()
{
    const QString second = m_dir.filePath(QStringLiteral("second.structdesk"));
    QVERIFY(DemoData::createDemoStore(second, 10).ok());
    {
        auto w = openWindow(m_store);
        QVERIFY(w);
        QTRY_COMPARE_WITH_TIMEOUT(w->currentTable(), QStringLiteral("users"), kLoadTimeout);
        w->openStore(second);
        QTRY_COMPARE_WITH_TIMEOUT(gridModel(w.get())->rowCount(), 10, kLoadTimeout);
        QCOMPARE(w->recentStores(), (QStringList{second, m_store}));
        w->close();
    }
    QCOMPARE(QSettings().value(QStringLiteral("recentStores")).toStringList(),
             (QStringList{second, m_store}));
    QCOMPARE(QSettings().value(QStringLiteral("lastStore")).toString(), second);

    // A new window offers them in File > Open Recent, most recent first; choosing one opens it.
    MainWindow w;
    QCOMPARE(w.recentStores(), (QStringList{second, m_store}));
    auto *recent = w.findChild<QMenu *>(QStringLiteral("recentMenu"));
    QVERIFY(recent);
    auto *firstAction = w.findChild<QAction *>(QStringLiteral("recentStoreAction0"));
    auto *secondAction = w.findChild<QAction *>(QStringLiteral("recentStoreAction1"));
    QVERIFY(firstAction && secondAction);
    QCOMPARE(firstAction->data().toString(), second);
    QCOMPARE(secondAction->data().toString(), m_store);
    secondAction->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(gridModel(&w)->rowCount(), kDemoCount, kLoadTimeout);
    QCOMPARE(w.recentStores(), (QStringList{m_store, second}));

    // At most eight are kept.
    QStringList many;
    for (int i = 0; i < 12; ++i)
        many << m_dir.filePath(QStringLiteral("gone%1.structdesk").arg(i));
    QSettings().setValue(QStringLiteral("recentStores"), many);
    w.openStore(second);
    QTRY_COMPARE_WITH_TIMEOUT(gridModel(&w)->rowCount(), 10, kLoadTimeout);
    QCOMPARE(w.recentStores().size(), MainWindow::kMaxRecentStores);
    QCOMPARE(w.recentStores().front(), second);
    w.findChild<QAction *>(QStringLiteral("clearRecentAction"))->trigger();
    QVERIFY(w.recentStores().isEmpty());
}

void TstMainWindow::columnWidthsRoundTrip()
{
    int emailColumn = -1;
    {
        auto w = openWindow(m_store);
        QVERIFY(w);
        RecordTableModel *model = gridModel(w.get());
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), kDemoCount, kLoadTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(rowLoaded(model, 0), kLoadTimeout);
        auto *grid = child<RecordGridView>(w.get(), "recordGrid");
        emailColumn = model->columnOf(QStringLiteral("email"));
        QVERIFY(emailColumn > 0);
        grid->horizontalHeader()->resizeSection(emailColumn, 321); // as a drag does
        QCOMPARE(grid->columnState()
                     .value(QStringLiteral("widths"))
                     .toMap()
                     .value(QStringLiteral("email"))
                     .toInt(),
                 321);
        QVariantMap state = grid->columnState();
        state.insert(QStringLiteral("hidden"),
                     QStringList{QStringLiteral("score")}); // as the header menu does
        grid->setColumnState(state);
        QVERIFY(grid->isColumnHidden(model->columnOf(QStringLiteral("score"))));
        w->close();
    }
    auto w = openWindow(m_store);
    QVERIFY(w);
    RecordTableModel *model = gridModel(w.get());
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), kDemoCount, kLoadTimeout);
    auto *grid = child<RecordGridView>(w.get(), "recordGrid");
    QTRY_COMPARE(grid->columnWidth(model->columnOf(QStringLiteral("email"))), 321);
    QTRY_VERIFY(grid->isColumnHidden(model->columnOf(QStringLiteral("score"))));
}

void TstMainWindow::geometryLargerThanTheScreenIsFitted()
{
    const QRect available = QGuiApplication::primaryScreen()->availableGeometry();
    {
        // As saved on a monitor twice this size, placed right of this screen.
        QWidget big;
        big.setGeometry(available.right() + 100, available.top() + 50, available.width() * 2,
                        available.height() * 2);
        QSettings().setValue(QStringLiteral("window/geometry"), big.saveGeometry());
    }
    MainWindow w;
    QVERIFY2(w.width() <= available.width() && w.height() <= available.height(),
             qPrintable(QStringLiteral("%1x%2 on a %3x%4 screen")
                            .arg(w.width())
                            .arg(w.height())
                            .arg(available.width())
                            .arg(available.height())));
    QVERIFY2(available.contains(w.geometry()),
             qPrintable(QStringLiteral("at %1,%2").arg(w.x()).arg(w.y())));
    // With nothing saved, the default size is fitted too.
    QSettings().remove(QStringLiteral("window/geometry"));
    MainWindow fresh;
    QVERIFY(available.contains(fresh.geometry()));
}

void TstMainWindow::missingStoreShowsErrorInPlace()
{
    auto w = openWindow(m_dir.filePath(QStringLiteral("nowhere/missing.structdesk")));
    QVERIFY(w);
    auto *bar = child<MessageBar>(w.get(), "messageBar");
    QTRY_VERIFY(bar->isVisible());
    QVERIFY(bar->text().contains(QStringLiteral("missing.structdesk")));
    QVERIFY(m_notifier.messages.isEmpty()); // no modal box
    QVERIFY(w->recentStores().isEmpty());
    // Opening a good store afterwards clears the message.
    w->openStore(m_store);
    QTRY_COMPARE_WITH_TIMEOUT(gridModel(w.get())->rowCount(), kDemoCount, kLoadTimeout);
    QVERIFY(!bar->isVisible());
}

void TstMainWindow::aboutGoesThroughNotifier()
{
    MainWindow w;
    w.findChild<QAction *>(QStringLiteral("aboutAction"))->trigger();
    QCOMPARE(m_notifier.messages.size(), 1);
    QVERIFY(m_notifier.messages.front().kind == RecordingNotifier::Kind::About);
    QVERIFY(m_notifier.messages.front().text.contains(QStringLiteral("StructDesk")));
}

QTEST_MAIN(TstMainWindow)
#include "tst_mainwindow.moc"
