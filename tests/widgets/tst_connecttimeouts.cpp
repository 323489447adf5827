// Waiting for DynamoDB in the GUI: the Connect dialog's timeout fields make location parameters
// (kept with the recent connections, nothing else), its Test can be stopped, and the main window
// opening an endpoint that never answers stays responsive, shows that it is connecting, stops
// on Esc or Cancel, and shows the error in its message bar once the deadline has passed.
// The endpoints are loopback listeners that never answer (tests/common/hanginglistener.h).

#include "model/store/open/storerunner.h"
#include "tests/common/hanginglistener.h"
#include "widgets/common/messagebar.h"
#include "widgets/grid/tablelistview.h"
#include "widgets/window/connectdialog.h"
#include "widgets/window/mainwindow.h"

#include <QApplication>
#include <QDir>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace {

template <typename W> W *child(QWidget &parent, const QString &name)
{
    auto *widget = parent.findChild<W *>(name);
    if (!widget)
        qFatal("no widget named %s", qPrintable(name));
    return widget;
}

/// The longest time the event loop went without running a 20 ms timer, while `until` is false
/// (at most `limitMs`): how responsive the window stayed.
qint64 longestStall(const std::function<bool()> &until, int limitMs)
{
    QElapsedTimer clock;
    clock.start();
    qint64 last = 0;
    qint64 longest = 0;
    QTimer ticker;
    ticker.setInterval(20);
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        longest = std::max(longest, clock.elapsed() - last);
        last = clock.elapsed();
    });
    ticker.start();
    while (!until() && clock.elapsed() < limitMs)
        QTest::qWait(10);
    return longest;
}

} // namespace

class TstConnectTimeouts : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;

    std::unique_ptr<MainWindow> shownWindow()
    {
        auto window = std::make_unique<MainWindow>();
        window->resize(1100, 700);
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            return nullptr;
        // Esc is a shortcut of the window: it must be the active one.
        window->activateWindow();
        if (!QTest::qWaitForWindowActive(window.get()))
            return nullptr;
        return window;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"StructDesk"_s);
        QCoreApplication::setApplicationName(u"tst_connecttimeouts"_s);
        QSettings().clear();
        for (const char *name :
             {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
              "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_MAX_ATTEMPTS"})
            qunsetenv(name);
        qputenv("AWS_SHARED_CREDENTIALS_FILE", m_home.filePath(u"credentials"_s).toUtf8());
        qputenv("AWS_CONFIG_FILE", m_home.filePath(u"config"_s).toUtf8());
        qputenv("STRUCTDESK_JOURNAL", m_home.filePath(u"journal"_s).toUtf8());
    }

    void init() { QSettings().remove(u"connections"_s); }

    // ----- the Connect dialog ----------------------------------------------------------------

    void timeoutFieldsMakeLocationParameters()
    {
        ConnectDialog dialog;
        QVERIFY(dialog.setLocation(u"dynamodb://127.0.0.1:8000?region=eu-west-1"_s));
        auto *connect = child<QDoubleSpinBox>(dialog, u"connectTimeoutSpin"_s);
        auto *read = child<QDoubleSpinBox>(dialog, u"readTimeoutSpin"_s);
        auto *deadline = child<QDoubleSpinBox>(dialog, u"deadlineSpin"_s);
        // Untouched fields say the default and add nothing.
        for (QDoubleSpinBox *spin : {connect, read, deadline})
            QCOMPARE(spin->text(), u"default"_s);
        QVERIFY2(child<QLabel>(dialog, u"timeoutsNote"_s)->text().contains(u"10 s, 30 s, 60 s"_s),
                 qPrintable(child<QLabel>(dialog, u"timeoutsNote"_s)->text()));
        QCOMPARE(dialog.location(), u"dynamodb://127.0.0.1:8000?region=eu-west-1"_s);

        connect->setValue(5);
        read->setValue(20.5);
        deadline->setValue(90);
        QCOMPARE(connect->text(), u"5 s"_s);
        QCOMPARE(read->text(), u"20.5 s"_s);
        QCOMPARE(dialog.location(), u"dynamodb://127.0.0.1:8000?region=eu-west-1&"
                                    "connect_timeout=5&read_timeout=20.5&deadline=90"_s);
        QVERIFY(child<QLabel>(dialog, u"locationPreview"_s)
                    ->text()
                    .contains(u"connect_timeout=5&read_timeout=20.5&deadline=90"_s));

        // Typed with the keyboard too.
        connect->clear();
        connect->setFocus();
        QTest::keyClicks(connect, u"7"_s);
        QTest::keyClick(connect, Qt::Key_Tab);
        QVERIFY2(dialog.location().contains(u"connect_timeout=7&"_s),
                 qPrintable(dialog.location()));

        // Kept with the recent connections as location parameters, and read back from them.
        dialog.accept();
        const QString kept = ConnectDialog::recentLocations().first();
        QCOMPARE(kept, dialog.location());
        ConnectDialog again;
        QCOMPARE(again.location(), kept);
        QCOMPARE(child<QDoubleSpinBox>(again, u"readTimeoutSpin"_s)->value(), 20.5);
        // The settings hold the location and nothing else of the timeouts.
        QSettings settings;
        for (const QString &key : settings.allKeys())
            QVERIFY2(!key.contains(u"timeout"_s, Qt::CaseInsensitive), qPrintable(key));
    }

    void parametersTheFieldsCannotShowAreKept()
    {
        ConnectDialog dialog;
        const QString location =
            u"dynamodb://127.0.0.1:8000?region=eu-west-1&read_timeout=0&max_attempts=2"_s;
        QVERIFY(dialog.setLocation(location));
        QCOMPARE(child<QDoubleSpinBox>(dialog, u"readTimeoutSpin"_s)->value(), 0.0);
        QCOMPARE(dialog.location(), location);
        child<QDoubleSpinBox>(dialog, u"deadlineSpin"_s)->setValue(30);
        QCOMPARE(dialog.location(), u"dynamodb://127.0.0.1:8000?region=eu-west-1&deadline=30&"
                                    "read_timeout=0&max_attempts=2"_s);
        // Another recent connection replaces them.
        QVERIFY(dialog.setLocation(u"dynamodb://127.0.0.1:8001?region=eu-west-1"_s));
        QCOMPARE(dialog.location(), u"dynamodb://127.0.0.1:8001?region=eu-west-1"_s);
    }

    void aTestUsesTheTimeoutsAndCanBeStopped()
    {
        HangingListener listener(HangingListener::Mode::Silent);
        ConnectDialog dialog;
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(dialog.setLocation(listener.location()));
        child<QDoubleSpinBox>(dialog, u"readTimeoutSpin"_s)->setValue(0.5);
        child<QDoubleSpinBox>(dialog, u"deadlineSpin"_s)->setValue(1.5);
        auto *stop = child<QPushButton>(dialog, u"stopTestButton"_s);
        QVERIFY(stop->isHidden());

        // Within the deadline: the error says what was waited for.
        QSignalSpy finished(&dialog, &ConnectDialog::testFinished);
        QElapsedTimer clock;
        clock.start();
        QTest::mouseClick(child<QPushButton>(dialog, u"testButton"_s), Qt::LeftButton);
        QVERIFY(stop->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000);
        QVERIFY2(clock.elapsed() < 1500 + 1000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(finished.first().first().toBool(), false);
        const QString message = child<MessageBar>(dialog, u"testMessage"_s)->text();
        QVERIFY2(message.contains(u"accepted the connection but did not answer"_s),
                 qPrintable(message));
        QVERIFY2(message.contains(u"read timeout 0.5 s, deadline 1.5 s"_s), qPrintable(message));
        QVERIFY(stop->isHidden());

        // Stopped: at once, and said so.
        child<QDoubleSpinBox>(dialog, u"deadlineSpin"_s)->setValue(0); // the default, 60 s
        QTest::mouseClick(child<QPushButton>(dialog, u"testButton"_s), Qt::LeftButton);
        QVERIFY(dialog.isTesting());
        QTest::qWait(300);
        clock.restart();
        QTest::mouseClick(stop, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 1000);
        QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(child<QLabel>(dialog, u"testStatus"_s)->text(),
                 u"Test stopped; nothing was listed."_s);
        QVERIFY(child<MessageBar>(dialog, u"testMessage"_s)->isHidden());
        QVERIFY(child<QPushButton>(dialog, u"testButton"_s)->isEnabled());
    }

    void screenshotOfTheDialog()
    {
        ConnectDialog dialog;
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(dialog.setLocation(
            u"dynamodb://127.0.0.1:8000?region=eu-west-1&connect_timeout=5&deadline=30"_s));
        dialog.adjustSize();
        QApplication::processEvents();
        const QString path =
            QDir(QCoreApplication::applicationDirPath()).filePath(u"connect-dialog-timeouts.png"_s);
        QVERIFY(dialog.grab().save(path));
        // Every label and field of the timeouts shows whole.
        for (QLabel *label : child<QWidget>(dialog, u"timeoutsBox"_s)->findChildren<QLabel *>())
            QVERIFY2(label->width() >= label->sizeHint().width(), qPrintable(label->text()));
        for (const QString &name :
             {u"connectTimeoutSpin"_s, u"readTimeoutSpin"_s, u"deadlineSpin"_s}) {
            auto *spin = child<QDoubleSpinBox>(dialog, name);
            QVERIFY2(spin->width() >= spin->minimumSizeHint().width(),
                     qPrintable(u"%1: %2 < %3"_s.arg(name)
                                    .arg(spin->width())
                                    .arg(spin->minimumSizeHint().width())));
        }
        qInfo("screenshot: %s (%dx%d)", qPrintable(path), dialog.width(), dialog.height());
    }

    // ----- the main window ---------------------------------------------------------------------

    void theWindowStaysResponsiveWhileConnectingAndEscStopsIt()
    {
        HangingListener listener(HangingListener::Mode::Silent);
        auto window = shownWindow();
        QVERIFY(window);
        QSignalSpy failed(window.get(), &MainWindow::storeFailed);
        window->openStore(listener.location()); // the default timeouts: 10 s, 30 s, 60 s

        auto *count = child<QLabel>(*window, u"countLabel"_s);
        auto *cancel = child<QToolButton>(*window, u"cancelLoadButton"_s);
        auto *bar = child<MessageBar>(*window, u"messageBar"_s);
        auto *progress = child<QProgressBar>(*window, u"loadProgress"_s);
        QVERIFY2(count->text().startsWith(u"Connecting to %1…"_s.arg(listener.location())),
                 qPrintable(count->text()));
        QVERIFY(cancel->isVisible());
        QVERIFY(progress->isVisible());
        QCOMPARE(bar->kind(), MessageBar::Kind::Information);
        QVERIFY2(bar->text().contains(u"Esc or Cancel stops waiting"_s), qPrintable(bar->text()));

        // Responsive throughout, and the status says for how long it has waited.
        const qint64 stall = longestStall([] { return false; }, 1500);
        QVERIFY2(stall < 200, qPrintable(QString::number(stall)));
        QVERIFY2(count->text().contains(u" 1 s (Esc cancels)"_s), qPrintable(count->text()));
        QCOMPARE(failed.size(), 0);
        const QString shot =
            QDir(QCoreApplication::applicationDirPath()).filePath(u"main-window-connecting.png"_s);
        QVERIFY(window->grab().save(shot));
        qInfo("screenshot: %s", qPrintable(shot));

        QElapsedTimer clock;
        clock.start();
        auto *tables = child<TableListView>(*window, u"tableList"_s);
        tables->setFocus();
        QTest::keyClick(tables, Qt::Key_Escape);
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 1000);
        QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(bar->kind(), MessageBar::Kind::Warning);
        QCOMPARE(bar->text(), u"Stopped connecting to %1."_s.arg(listener.location()));
        QVERIFY(cancel->isHidden());
        QVERIFY(progress->isHidden());

        // The runners are free again: another store opens at once.
        QTemporaryDir dir;
        QSignalSpy opened(window.get(), &MainWindow::storeOpened);
        window->openStore(dir.filePath(u"other.structdesk"_s), MainWindow::OpenMode::CreateEmpty);
        QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, 3000);
        QCOMPARE(bar->kind() == MessageBar::Kind::Warning && bar->isVisible(), false);
    }

    void theCancelButtonStopsItToo()
    {
        HangingListener listener(HangingListener::Mode::FullBacklog);
        auto window = shownWindow();
        QVERIFY(window);
        QSignalSpy failed(window.get(), &MainWindow::storeFailed);
        window->openStore(listener.location());
        QTest::qWait(200);
        QTest::mouseClick(child<QToolButton>(*window, u"cancelLoadButton"_s), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 1000);
        QVERIFY(failed.first().first().toString().startsWith(u"Stopped connecting"_s));
    }

    void afterTheDeadlineTheMessageBarSaysWhy()
    {
        HangingListener listener(HangingListener::Mode::Silent);
        auto window = shownWindow();
        QVERIFY(window);
        QSignalSpy failed(window.get(), &MainWindow::storeFailed);
        QElapsedTimer clock;
        clock.start();
        window->openStore(listener.location(u"read_timeout=0.5&deadline=1.5"_s));
        const qint64 stall = longestStall([&] { return failed.size() > 0; }, 4000);
        QCOMPARE(failed.size(), 1);
        QVERIFY2(clock.elapsed() >= 1400 && clock.elapsed() < 1500 + 1000,
                 qPrintable(QString::number(clock.elapsed())));
        QVERIFY2(stall < 200, qPrintable(QString::number(stall)));
        auto *bar = child<MessageBar>(*window, u"messageBar"_s);
        QCOMPARE(bar->kind(), MessageBar::Kind::Error);
        QVERIFY2(bar->text().startsWith(
                     u"Could not open %1: DynamoDB at %2 accepted the "
                     "connection but did not answer"_s.arg(listener.location(u"read_timeout=0.5&"
                                                                             "deadline=1.5"_s),
                                                           listener.url())),
                 qPrintable(bar->text()));
        QVERIFY2(bar->text().contains(u"deadline 1.5 s"_s), qPrintable(bar->text()));
        QVERIFY(child<QToolButton>(*window, u"cancelLoadButton"_s)->isHidden());
        QVERIFY(child<QProgressBar>(*window, u"loadProgress"_s)->isHidden());
    }

    void closingTheWindowWhileConnectingDoesNotWait()
    {
        HangingListener listener(HangingListener::Mode::Silent);
        auto window = shownWindow();
        QVERIFY(window);
        window->openStore(listener.location());
        QTest::qWait(300);
        QElapsedTimer clock;
        clock.start();
        window.reset();
        QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
    }
};

QTEST_MAIN(TstConnectTimeouts)
#include "tst_connecttimeouts.moc"
