// The GUI on a real DynamoDB-compatible server (dynalite on loopback): connect, browse (pages by
// start key, estimated count), edit a record through the store the window uses, and change a key;
// a screenshot of the window on the dynalite table is kept as a test artifact.

#include "model/demodata.h"
#include "model/recordtablemodel.h"
#include "model/rekeyengine.h"
#include "model/storefactory.h"
#include "tests/common/dynalite.h"
#include "tests/common/realgui.h"
#include "widgets/mainwindow.h"
#include "widgets/recordgridview.h"

#include <QDir>
#include <QLabel>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TstDynamoDbGui : public QObject
{
    Q_OBJECT

private:
    Dynalite m_server;
    QString m_location;
    QTemporaryDir m_dir;

    std::unique_ptr<RecordStore> store()
    {
        auto s = StoreFactory::open(m_location);
        if (!s)
            qFatal("%s", qPrintable(s.error().toString()));
        return std::move(*s);
    }

private slots:
    void initTestCase()
    {
        if (const QString why = Dynalite::unavailableReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"StructDesk"_s);
        QCoreApplication::setApplicationName(u"StructDesk"_s);
        QSettings().clear();
        qputenv("STRUCTDESK_JOURNAL", m_dir.filePath(u"journal"_s).toUtf8());
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        m_location = m_server.location();
        auto s = store();
        // 600 demo records: a few DynamoDB pages of the grid's 256.
        QVERIFY(DemoData::populate(*s, 600));
    }

    void browseEditAndChangeAKey()
    {
        MainWindow window;
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.openStore(m_location);
        RecordTableModel *model = window.recordModel();
        QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() > 0, 30000);
        QVERIFY(model->isSequential());
        // Scrolling to the end fetches the following pages by their start keys.
        auto *grid = window.findChild<RecordGridView *>(u"recordGrid"_s);
        QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                     if (model->canFetchMore({}))
                                         model->fetchMore({});
                                     return model->rowCount() == 600 && !model->isLoading();
                                 }()),
                                 30000);
        QVERIFY(model->totalIsExact());

        // Edit through the store (the forms' own tests drive the dialogs), then see it after F5.
        {
            auto s = store();
            QVERIFY(s->updateField(u"users"_s, Value::string(u"user-0000003"_s),
                                   FieldSetter{u"email"_s, Value::string(u"edited@dynalite.test"_s)}));
            RecoveryJournal journal(m_dir.filePath(u"journal"_s));
            RekeyEngine engine(*s, journal);
            const RekeyOutcome moved = engine.run(u"users"_s, Value::string(u"user-0000004"_s),
                                                  Value::string(u"user-renamed"_s), RekeyStrategy::RemovePutRestore);
            QCOMPARE(int(moved.state), int(RekeyOutcome::State::Done));
        }
        window.refresh();
        QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() > 0 && !model->isLoading(), 30000);
        bool sawEdit = false;
        bool sawRenamed = false;
        QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                     if (model->canFetchMore({}))
                                         model->fetchMore({});
                                     for (int row = 0; row < model->rowCount(); ++row) {
                                         const auto record = model->recordAt(row);
                                         if (!record)
                                             continue;
                                         const Value *id = record->find(u"userId"_s);
                                         const Value *email = record->find(u"email"_s);
                                         sawRenamed = sawRenamed || (id && id->text() == u"user-renamed"_s);
                                         sawEdit = sawEdit || (email && email->text() == u"edited@dynalite.test"_s);
                                     }
                                     return sawEdit && sawRenamed;
                                 }()),
                                 30000);
        grid->setCurrentIndex(model->index(1, 0));
        QTest::qWait(300);
        const QImage shot = window.grab().toImage();
        QVERIFY(shot.save(QDir::current().filePath(u"dynamodb-window.png"_s)));
        if (qEnvironmentVariableIntValue("STRUCTDESK_UPDATE_SCREENSHOTS") == 1)
            QVERIFY(shot.save(QStringLiteral(STRUCTDESK_SOURCE_DIR "/resources/screenshots/dynamodb-window.png")));
    }

    void realProgramUnderXOnDynalite()
    {
        if (const QString why = RealGui::unavailableReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        RealGui gui;
        QString error;
        QProcessEnvironment env;
        env.insert(u"STRUCTDESK_JOURNAL"_s, m_dir.filePath(u"journal-x"_s));
        QVERIFY2(gui.start({m_location}, env, &error), qPrintable(error));
        QTest::qWait(5000);
        QVERIFY(gui.running());
        const QString shot = QDir::current().filePath(u"dynamodb-xvfb.png"_s);
        QVERIFY(gui.screenshot(shot));
        const QImage image(shot);
        QVERIFY(!image.isNull());
        if (qEnvironmentVariableIntValue("STRUCTDESK_UPDATE_SCREENSHOTS") == 1)
            QVERIFY(image.save(QStringLiteral(STRUCTDESK_SOURCE_DIR "/resources/screenshots/dynamodb-xvfb.png")));
    }
};

QTEST_MAIN(TstDynamoDbGui)
#include "tst_dynamodb_gui.moc"
