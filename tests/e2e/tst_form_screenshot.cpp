// Screenshots of the record form on the demo store, grabbed offscreen, kept as test artifacts
// (in the test's build folder; with STRUCTDESK_UPDATE_SCREENSHOTS=1 also in
// resources/screenshots/): the form on user-0000001, and the same form with validation errors.

#include "model/store/open/demodata.h"
#include "model/store/open/storerunner.h"
#include "model/store/sqlite/sqlitestore.h"
#include "widgets/form/fieldeditor.h"
#include "widgets/form/recordformdialog.h"

#include <QCheckBox>
#include <QDir>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

namespace {

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

class TstFormScreenshot : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void recordForm();
    void recordFormLower();
    void recordFormWithErrors();
    void recordFormConflict();

private:
    Value loadRecord(const QString &key);
    void save(const QImage &image, const QString &name);

    QTemporaryDir m_dir;
    QString m_store;
    std::unique_ptr<StoreRunner> m_runner;
};

void TstFormScreenshot::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    m_store = m_dir.filePath(QStringLiteral("demo.structdesk"));
    QVERIFY(DemoData::createDemoStore(m_store, 50).ok());
    m_runner = std::make_unique<StoreRunner>();
    auto opened = m_runner->open(m_store);
    opened.waitForFinished();
    QVERIFY(opened.result().ok());
}

Value TstFormScreenshot::loadRecord(const QString &key)
{
    auto store = SqliteStore::open(m_store);
    Q_ASSERT(store.ok());
    auto record = (*store)->getRecord(QStringLiteral("users"), Value::string(key));
    Q_ASSERT(record.ok() && record->has_value());
    return **record;
}

void TstFormScreenshot::save(const QImage &image, const QString &name)
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

void TstFormScreenshot::recordForm()
{
    RecordFormDialog dialog(m_runner.get(), QStringLiteral("users"), DemoData::usersModel(),
                            loadRecord(QStringLiteral("user-0000001")), nullptr);
    dialog.resize(760, 1000);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTest::qWait(200);
    auto *save = dialog.findChild<QPushButton *>(QStringLiteral("saveButton"));
    QVERIFY(save->isEnabled());
    this->save(dialog.grab().toImage(), QStringLiteral("record-form.png"));
}

void TstFormScreenshot::recordFormLower()
{
    // The demo record with the most attributes, scrolled to its sets, list and JSON fields.
    Value richest;
    for (int i = 0; i < 50; ++i) {
        const Value r = loadRecord(QStringLiteral("user-%1").arg(i, 7, 10, QLatin1Char('0')));
        if (!DemoData::isInvalidOnPurpose(quint64(i)) && r.size() > richest.size())
            richest = r;
    }
    RecordFormDialog dialog(m_runner.get(), QStringLiteral("users"), DemoData::usersModel(),
                            richest, nullptr);
    dialog.resize(760, 1000);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *scroll = dialog.findChild<QScrollArea *>(QStringLiteral("formScrollArea"));
    QVERIFY(scroll);
    QTest::qWait(100);
    scroll->verticalScrollBar()->setValue(scroll->verticalScrollBar()->maximum());
    QTest::qWait(200);
    this->save(dialog.grab().toImage(), QStringLiteral("record-form-lower.png"));
}

void TstFormScreenshot::recordFormWithErrors()
{
    RecordFormDialog dialog(m_runner.get(), QStringLiteral("users"), DemoData::usersModel(),
                            loadRecord(QStringLiteral("user-0000001")), nullptr);
    dialog.resize(760, 1000);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *username = dialog.findChild<QLineEdit *>(QStringLiteral("field:username"));
    QVERIFY(username);
    username->setFocus();
    username->selectAll();
    QTest::keyClick(username, Qt::Key_Backspace);
    QTest::keyClick(username, Qt::Key_Backspace); // empty, then not set: required and missing
    auto *age = dialog.findChild<QLineEdit *>(QStringLiteral("field:age"));
    QVERIFY(age);
    age->selectAll();
    QTest::keyClicks(age, QStringLiteral("forty"));
    auto *email = dialog.findChild<QLineEdit *>(QStringLiteral("field:email"));
    QVERIFY(email);
    auto *score = dialog.findChild<QLineEdit *>(QStringLiteral("field:score"));
    QVERIFY(score);
    score->selectAll();
    QTest::keyClicks(score, QStringLiteral("12.5.0"));
    auto *created =
        dialog.findChild<QLineEdit *>(QStringLiteral("field:metadata.accountCreationTimestamp"));
    QVERIFY(created);
    created->selectAll();
    QTest::keyClicks(created, QStringLiteral("1600000000.5"));
    auto *save = dialog.findChild<QPushButton *>(QStringLiteral("saveButton"));
    QTRY_VERIFY(!save->isEnabled());
    QTest::qWait(200);
    this->save(dialog.grab().toImage(), QStringLiteral("record-form-errors.png"));
}

void TstFormScreenshot::recordFormConflict()
{
    const Value loaded = loadRecord(QStringLiteral("user-0000003"));
    RecordFormDialog dialog(m_runner.get(), QStringLiteral("users"), DemoData::usersModel(), loaded,
                            nullptr);
    dialog.resize(760, 1000);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    {
        auto other = SqliteStore::open(m_store);
        QVERIFY(other.ok());
        Value changed = loaded;
        changed.mapRef().insert(QStringLiteral("email"),
                                Value::string(QStringLiteral("new@example.com")));
        changed.mapRef().insert(QStringLiteral("active"), Value::boolean(false));
        QVERIFY((*other)->writeRaw(QStringLiteral("users"), changed, false).ok());
    }
    auto *plan = dialog.findChild<QLineEdit *>(QStringLiteral("field:metadata.plan"));
    QVERIFY(plan);
    plan->selectAll();
    QTest::keyClicks(plan, QStringLiteral("enterprise"));
    QTest::keyClick(&dialog, Qt::Key_Return, Qt::ControlModifier);
    QTRY_VERIFY(dialog.findChild<QWidget *>(QStringLiteral("conflictDiff"))->isVisible());
    QTest::qWait(200);
    this->save(dialog.grab().toImage(), QStringLiteral("record-form-conflict.png"));
}

QTEST_MAIN(TstFormScreenshot)
#include "tst_form_screenshot.moc"
