// Screenshots of the main window on the demo store, kept as test artifacts (in the test's
// build folder; with STRUCTDESK_UPDATE_SCREENSHOTS=1 also in resources/screenshots/):
// - grabbed offscreen at 1280x800 (always runs);
// - the real structdesk binary under the X server in $DISPLAY (skipped without one; CI runs
//   it under xvfb-run -s "-screen 0 1280x800x24").

#include "model/grid/recordtablemodel.h"
#include "model/store/open/demodata.h"
#include "tests/common/realgui.h"
#include "widgets/grid/filterbar.h"
#include "widgets/grid/recordgridview.h"
#include "widgets/window/mainwindow.h"

#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QScopeGuard>
#include <QSet>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

namespace {

constexpr int kTimeout = 20000;

/// A picture that is not blank: many distinct colours in a sample of its pixels.
int distinctColours(const QImage &image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7) {
        for (int x = 0; x < image.width(); x += 7)
            colours.insert(image.pixel(x, y));
    }
    return int(colours.size());
}

} // namespace

class TstGuiScreenshot : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void offscreenMainWindow();
    void offscreenInvalidRecord();
    void offscreenFilterAndSort();
    void offscreenJsonTab();
    void realProgramUnderX();

private:
    bool openDemo(MainWindow &window);
    void save(const QImage &image, const QString &name);

    QTemporaryDir m_dir;
    QString m_store;
};

void TstGuiScreenshot::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("StructDesk"));
    QCoreApplication::setApplicationName(QStringLiteral("StructDesk"));
    QSettings().clear();
    QVERIFY(m_dir.isValid());
    m_store = m_dir.filePath(QStringLiteral("demo.structdesk"));
    QElapsedTimer timer;
    timer.start();
    QVERIFY(DemoData::createDemoStore(m_store).ok());
    qInfo("demo store of 5,000 records created in %lld ms", timer.elapsed());
}

bool TstGuiScreenshot::openDemo(MainWindow &window)
{
    window.resize(1280, 800);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return false;
    window.openStore(m_store);
    RecordTableModel *model = window.recordModel();
    return QTest::qWaitFor([&] { return model->rowCount() == 5000 && !model->isLoading(); },
                           kTimeout);
}

void TstGuiScreenshot::save(const QImage &image, const QString &name)
{
    QVERIFY(!image.isNull());
    QVERIFY2(distinctColours(image) > 20, "the screenshot is blank");
    QVERIFY(image.save(QDir::current().filePath(name)));
    qInfo("screenshot: %s", qPrintable(QDir::current().filePath(name)));
    if (qEnvironmentVariableIntValue("STRUCTDESK_UPDATE_SCREENSHOTS") == 1) {
        const QString kept = QStringLiteral(STRUCTDESK_SOURCE_DIR "/resources/screenshots/") + name;
        QVERIFY(image.save(kept));
        qInfo("kept: %s", qPrintable(kept));
    }
}

void TstGuiScreenshot::offscreenMainWindow()
{
    MainWindow window;
    QVERIFY(openDemo(window));
    auto *grid = window.findChild<RecordGridView *>(QStringLiteral("recordGrid"));
    RecordTableModel *model = window.recordModel();
    grid->setCurrentIndex(model->index(2, 0));
    QTRY_COMPARE(window.findChild<QLabel *>(QStringLiteral("inspectorTitle"))->text(),
                 QStringLiteral("user-0000002"));
    QTest::qWait(200); // let column sizing and the status bar settle
    save(window.grab().toImage(), QStringLiteral("main-window.png"));
}

void TstGuiScreenshot::offscreenInvalidRecord()
{
    MainWindow window;
    QVERIFY(openDemo(window));
    auto *grid = window.findChild<RecordGridView *>(QStringLiteral("recordGrid"));
    RecordTableModel *model = window.recordModel();
    grid->scrollTo(model->index(488, 0), QAbstractItemView::PositionAtTop);
    QTRY_VERIFY_WITH_TIMEOUT(model->index(500, 0).data(RecordTableModel::LoadedRole).toBool(),
                             kTimeout);
    grid->setCurrentIndex(model->index(500, 0));
    QTRY_VERIFY(window.findChild<QLabel *>(QStringLiteral("inspectorProblems"))->isVisible());
    QTest::qWait(200);
    save(window.grab().toImage(), QStringLiteral("invalid-record.png"));
}

void TstGuiScreenshot::offscreenFilterAndSort()
{
    MainWindow window;
    QVERIFY(openDemo(window));
    RecordTableModel *model = window.recordModel();
    auto *filter = window.findChild<FilterBar *>(QStringLiteral("filterBar"));
    filter->addCondition(QStringLiteral("username"), FilterOp::BeginsWith,
                         QStringLiteral("olivia"));
    filter->addCondition(QStringLiteral("metadata.plan"), FilterOp::Equal,
                         QStringLiteral("\"pro\""));
    filter->apply();
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading() && model->rowCount() > 0, kTimeout);
    model->sort(model->columnOf(QStringLiteral("age")), Qt::DescendingOrder);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading() && model->rowCount() > 0, kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(model->index(0, 0).data(RecordTableModel::LoadedRole).toBool(),
                             kTimeout);
    QTRY_VERIFY(!window.findChild<QLabel *>(QStringLiteral("inspectorTitle"))->text().isEmpty());
    QTest::qWait(200);
    save(window.grab().toImage(), QStringLiteral("filter-and-sort.png"));
}

void TstGuiScreenshot::offscreenJsonTab()
{
    MainWindow window;
    QVERIFY(openDemo(window));
    auto *grid = window.findChild<RecordGridView *>(QStringLiteral("recordGrid"));
    RecordTableModel *model = window.recordModel();
    grid->setCurrentIndex(model->index(9, 0));
    QTRY_COMPARE(window.findChild<QLabel *>(QStringLiteral("inspectorTitle"))->text(),
                 QStringLiteral("user-0000009"));
    auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("inspectorTabs"));
    tabs->setCurrentIndex(1);
    QTest::qWait(200);
    save(window.grab().toImage(), QStringLiteral("json-tab.png"));
}

void TstGuiScreenshot::realProgramUnderX()
{
    if (const QString why = RealGui::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    RealGui gui;
    QString error;
    QVERIFY2(gui.start({m_store}, {}, &error), qPrintable(error));
    // The window maps and the first page shows well within this; the test waits no longer.
    QTest::qWait(4000);
    QVERIFY(gui.running());
    const QString shot = QDir::current().filePath(QStringLiteral("gui-xvfb.png"));
    QVERIFY(gui.screenshot(shot));
    save(QImage(shot), QStringLiteral("gui-xvfb.png"));
}

QTEST_MAIN(TstGuiScreenshot)
#include "tst_gui_screenshot.moc"
