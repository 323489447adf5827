// The import dialog on real DynamoDB servers (dynalite and AWS's DynamoDB Local, each test on
// each): an import of more than 100 records goes through; one whose connection is lost
// part-way (a proxy that stops forwarding writes) lists the records it left written, with
// those whose write was under way, and Undo These Writes deletes exactly the ones in the table.

#include "model/store/dynamodb/dynamodbstore.h"
#include "model/store/open/storerunner.h"
#include "model/transfer/importer.h"
#include "tests/common/dynamodblocal.h"
#include "tests/common/loopbackproxy.h"
#include "tests/common/namedchild.h"
#include "tests/common/recordingnotifier.h"
#include "widgets/common/messagebar.h"
#include "widgets/common/notifier.h"
#include "widgets/transfer/importdialog.h"

#include <QFile>
#include <QGroupBox>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

using namespace Qt::StringLiterals;

class TstDynamoDbImportDialog : public QObject
{
    Q_OBJECT

private:
    EngineSet m_engines;
    DynamoEngine *m_engine = nullptr;
    QTemporaryDir m_dir;
    RecordingNotifier m_notifier;
    int m_serial = 0;

    DynamoDbStore::Config config(quint16 port) const
    {
        DynamoDbStore::Config c;
        c.location = u"dynamodb://127.0.0.1:%1?region=eu-west-2"_s.arg(port);
        c.endpoint = QUrl(u"http://127.0.0.1:%1"_s.arg(port));
        c.region = u"eu-west-2"_s;
        c.credentials = AwsCredentials{u"AKIDDIALOGTEST01"_s, u"dialog-test"_s, {}, u"the test"_s};
        c.clientOptions.maxRetries = 1;
        c.clientOptions.baseDelayMs = 5;
        c.clientOptions.maxDelayMs = 20;
        c.clientOptions.readTimeoutMs = 10000;
        c.modelDirectory = m_dir.filePath(m_engine->name() + u"/models"_s);
        return c;
    }

    std::unique_ptr<DynamoDbStore> open(quint16 port)
    {
        auto store = DynamoDbStore::open(config(port));
        if (!store)
            qFatal("cannot open the DynamoDB store: %s", qPrintable(store.error().toString()));
        return std::move(*store);
    }

    /// A runner with a store on `port`, as the GUI reaches it.
    std::unique_ptr<StoreRunner> runnerOn(quint16 port)
    {
        auto runner = std::make_unique<StoreRunner>();
        const DynamoDbStore::Config c = config(port);
        const Status opened = runner
                                  ->openWith(
                                      [c]() -> Result<std::unique_ptr<RecordStore>> {
                                          auto store = DynamoDbStore::open(c);
                                          if (!store)
                                              return store.error();
                                          return std::unique_ptr<RecordStore>(std::move(*store));
                                      },
                                      c.location)
                                  .result();
        if (!opened)
            qFatal("cannot open the runner: %s", qPrintable(opened.error().toString()));
        return runner;
    }

    QString makeTable(RecordStore &store)
    {
        const QString table = u"dlg%1"_s.arg(++m_serial);
        auto model = TableModel::fromJson(
            uR"({"table":"%1","primaryIndex":{"hashKey":"id","hashKeyType":"str"},
                 "fields":{"id":{"type":"str","required":true},"name":{"type":"str","required":true}}})"_s
                .arg(table)
                .toUtf8(),
            u"dialog test"_s);
        if (!model || !store.createTable(table, **model))
            qFatal("cannot create %s", qPrintable(table));
        return table;
    }

    QString writeLines(const QString &name, int count)
    {
        QByteArray content;
        for (int i = 0; i < count; ++i)
            content += "{\"id\":\"d" + QByteArray::number(i) + "\",\"name\":\"N\"}\n";
        const QString path =
            m_dir.filePath(u"%1-%2-%3"_s.arg(m_engine->port()).arg(m_serial).arg(name));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    static bool runImport(ImportDialog &d, int timeout = 60000)
    {
        QSignalSpy finished(&d, &ImportDialog::importFinished);
        QTest::mouseClick(child<QPushButton>(&d, u"importButton"_s), Qt::LeftButton);
        return finished.wait(timeout) || finished.count() == 1;
    }

    static QString message(QWidget *w) { return child<MessageBar>(w, u"importMessages"_s)->text(); }

private slots:
    void initTestCase_data() { EngineSet::addRows(); }
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        Notifier::setInstance(&m_notifier);
        QString error;
        QVERIFY2(m_engines.startAll(&error), qPrintable(error));
    }
    void init()
    {
        DYNAMO_ENGINE_OF(m_engines, engine);
        m_engine = &engine;
    }
    void cleanupTestCase()
    {
        Notifier::setInstance(nullptr);
        m_engines.stopAll();
    }

    void importsOverAHundredRecords()
    {
        auto direct = open(m_engine->port());
        const QString table = makeTable(*direct);
        const QString file = writeLines(u"many.jsonl"_s, 400);
        auto runner = runnerOn(m_engine->port());
        // DynamoDB's transactions hold 100 writes: an import is batches, and the dialog says so.
        ImportDialog d(runner.get(), table, file, false);
        d.show();
        QVERIFY(child<QLabel>(&d, u"transactionNote"_s)->isVisible());
        QVERIFY(runImport(d));
        QVERIFY2(d.report()->outcome == ImportReport::Outcome::Imported, qPrintable(message(&d)));
        QCOMPARE(d.report()->written, qint64(400));
        QVERIFY(!child<QGroupBox>(&d, u"writtenBox"_s)->isVisible());
        QCOMPARE(*direct->count(table), qint64(400));
        QVERIFY(direct->dropTable(table));
    }

    void connectionLostListsAndUndoesTheWrites()
    {
        auto direct = open(m_engine->port());
        const QString table = makeTable(*direct);
        auto cut = std::make_shared<std::atomic<bool>>(false);
        auto writes = std::make_shared<std::atomic<int>>(0);
        LoopbackProxy proxy(
            m_engine->port(), [cut, writes](const QByteArray &operation, const QByteArray &, int) {
                const bool write = operation == "PutItem" || operation == "BatchWriteItem" ||
                                   operation == "BatchExecuteStatement";
                if (operation == "DeleteItem") // slow enough for the undo's progress to show
                    std::this_thread::sleep_for(std::chrono::milliseconds(2));
                if (write && (*writes)++ >= 12)
                    *cut = true;
                if (!cut->load() || !write)
                    return LoopbackProxy::Reply{};
                LoopbackProxy::Reply dropped;
                dropped.drop = true; // never forwarded
                return dropped;
            });
        const QString file = writeLines(u"cut.jsonl"_s, 2500);
        auto runner = runnerOn(proxy.port());
        ImportDialog d(runner.get(), table, file, false);
        QSignalSpy changed(&d, &ImportDialog::tableChanged);
        d.show();
        QVERIFY(runImport(d));
        const ImportReport &r = *d.report();
        QVERIFY2(r.outcome == ImportReport::Outcome::Failed, qPrintable(message(&d)));
        QVERIFY(!r.writtenKeys.empty());
        QVERIFY2(message(&d).contains(u"their keys are listed to undo them"_s),
                 qPrintable(message(&d)));
        QCOMPARE(changed.count(), 1);
        const qint64 held = *direct->count(table);
        QCOMPARE(held, qint64(r.writtenKeys.size())); // the requests cut never arrived
        auto *box = child<QGroupBox>(&d, u"writtenBox"_s);
        QVERIFY(box->isVisible());
        auto *list = child<QListWidget>(&d, u"writtenKeyList"_s);
        QCOMPARE(list->count(), int(r.writtenKeys.size() + r.uncertainWrites.size()));
        QCOMPARE(box->title(), u"Records left written (%1)"_s.arg(list->count()));
        if (!r.uncertainWrites.empty())
            QVERIFY(list->item(list->count() - 1)->text().contains(u"may have been written"_s));

        // The server is reachable again: Undo deletes what the import wrote.
        *cut = false;
        *writes = -1000000;
        auto *undo = child<QPushButton>(&d, u"undoWritesButton"_s);
        QVERIFY(undo->isVisible() && undo->isEnabled());
        QSignalSpy undone(&d, &ImportDialog::undoFinished);
        auto *bar = child<QProgressBar>(&d, u"importProgress"_s);
        auto *status = child<QLabel>(&d, u"importStatus"_s);
        QSignalSpy barMoved(bar, &QProgressBar::valueChanged);
        QStringList texts;
        connect(bar, &QProgressBar::valueChanged, status, [&] { texts << status->text(); });
        QTest::mouseClick(undo, Qt::LeftButton);
        QVERIFY(bar->isVisible());
        QVERIFY(undone.wait(60000) || undone.count() == 1);
        QVERIFY2(message(&d).startsWith(u"Undone"_s), qPrintable(message(&d)));
        // The deletes showed their progress, counting up, and the bar went away after them.
        QVERIFY(!bar->isVisible());
        QVERIFY2(barMoved.count() >= 2, qPrintable(QString::number(barMoved.count())));
        int last = 0;
        for (const QList<QVariant> &moved : barMoved) {
            QVERIFY(moved.at(0).toInt() >= last);
            last = moved.at(0).toInt();
        }
        QVERIFY(last > 0 && last <= bar->maximum());
        QVERIFY2(std::any_of(texts.cbegin(), texts.cend(),
                             [&](const QString &t) {
                                 return t.startsWith(
                                            u"Deleting the records the import wrote: "_s) &&
                                        t.endsWith(u" of %1…"_s.arg(list->count()));
                             }),
                 qPrintable(texts.join(u" | "_s)));
        QCOMPARE(*direct->count(table), qint64(0));
        QVERIFY(list->item(0)->text().endsWith(u"(deleted again)"_s));
        if (!r.uncertainWrites.empty())
            QVERIFY(list->item(list->count() - 1)->text().contains(u"left alone"_s));
        QVERIFY(direct->dropTable(table));
    }
};

QTEST_MAIN(TstDynamoDbImportDialog)
#include "tst_dynamodbimportdialog.moc"
