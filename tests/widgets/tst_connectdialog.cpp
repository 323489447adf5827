// The Connect dialog: the location strings built from its inputs, Test against a real
// DynamoDB-compatible server (dynalite) and against a closed port, recent connections that never
// hold a secret, the keyboard, and a screenshot after a successful Test (kept in the build folder;
// with STRUCTDESK_UPDATE_SCREENSHOTS=1 also in resources/screenshots/).

#include "widgets/window/connectdialog.h"

#include "model/schema/tablemodel.h"
#include "model/store/dynamodb/dynamodbstore.h"
#include "model/store/open/storefactory.h"
#include "tests/common/dynalite.h"
#include "widgets/common/messagebar.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

constexpr int kTimeout = 30000;
const QString kAccessKey = u"AKIDCONNECTTEST1234"_s;
const QString kSecret = u"s3cret-Connect-Dialog-Value/xyz"_s;
const QString kToken = u"session-token-Connect-Dialog-abc"_s;

template <typename W> W *child(QWidget &parent, const QString &name)
{
    auto *widget = parent.findChild<W *>(name);
    if (!widget)
        qFatal("no widget named %s", qPrintable(name));
    return widget;
}

void chooseEndpoint(ConnectDialog &dialog, ConnectDialog::Endpoint kind)
{
    auto *combo = child<QComboBox>(dialog, u"endpointCombo"_s);
    combo->setCurrentIndex(combo->findData(int(kind)));
}

/// Clicks the indicator: a radio button may be wider than its text, and only the indicator and
/// the text take clicks.
void clickRadio(QRadioButton *radio)
{
    QTest::mouseClick(radio, Qt::LeftButton, {}, QPoint(8, radio->height() / 2));
    QVERIFY(radio->isChecked());
}

void typeInto(QLineEdit *edit, const QString &text)
{
    edit->clear();
    QTest::keyClicks(edit, text);
}

} // namespace

class TstConnectDialog : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"StructDesk"_s);
        QCoreApplication::setApplicationName(u"tst_connectdialog"_s);
        qunsetenv("AWS_ACCESS_KEY_ID");
        qunsetenv("AWS_SECRET_ACCESS_KEY");
        qunsetenv("AWS_SESSION_TOKEN");
        qunsetenv("AWS_PROFILE");
        qunsetenv("AWS_REGION");
        qunsetenv("AWS_DEFAULT_REGION");
        // No shared AWS files of whoever runs the tests.
        qputenv("AWS_SHARED_CREDENTIALS_FILE", m_home.filePath(u"credentials"_s).toUtf8());
        qputenv("AWS_CONFIG_FILE", m_home.filePath(u"config"_s).toUtf8());
    }

    void init()
    {
        QSettings().remove(u"connections"_s);
        QSettings().sync();
    }

    void cleanup()
    {
        qunsetenv("AWS_ACCESS_KEY_ID");
        qunsetenv("AWS_SECRET_ACCESS_KEY");
        qunsetenv("AWS_SESSION_TOKEN");
    }

    void locations_data()
    {
        QTest::addColumn<int>("endpoint");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("region");
        QTest::addColumn<int>("credentials");
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QString>("secret");
        QTest::addColumn<QString>("expected"); // empty: incomplete, OK disabled

        const int aws = int(ConnectDialog::Endpoint::Aws);
        const int local = int(ConnectDialog::Endpoint::Local);
        const int https = int(ConnectDialog::Endpoint::Https);
        const int env = int(ConnectDialog::Credentials::Environment);
        const int profile = int(ConnectDialog::Credentials::Profile);
        const int keys = int(ConnectDialog::Credentials::Keys);

        QTest::newRow("aws, environment")
            << aws << QString() << 0 << u"eu-west-2"_s << env << QString() << QString()
            << u"dynamodb://aws?region=eu-west-2"_s;
        QTest::newRow("aws, profile")
            << aws << QString() << 0 << u"us-east-1"_s << profile << u"dev"_s << QString()
            << u"dynamodb://aws?region=us-east-1&profile=dev"_s;
        QTest::newRow("aws, profile with a space")
            << aws << QString() << 0 << u"eu-west-1"_s << profile << u"my team"_s << QString()
            << u"dynamodb://aws?region=eu-west-1&profile=my%20team"_s;
        QTest::newRow("aws, typed keys stay out of the location")
            << aws << QString() << 0 << u"ap-south-1"_s << keys << QString() << kSecret
            << u"dynamodb://aws?region=ap-south-1"_s;
        QTest::newRow("aws needs a region")
            << aws << QString() << 0 << QString() << env << QString() << QString() << QString();
        QTest::newRow("a region is lowercase words")
            << aws << QString() << 0 << u"EU West"_s << env << QString() << QString() << QString();
        QTest::newRow("local engine")
            << local << u"127.0.0.1"_s << 8000 << u"eu-west-2"_s << env << QString() << QString()
            << u"dynamodb://127.0.0.1:8000?region=eu-west-2"_s;
        QTest::newRow("local engine without a region")
            << local << u"localhost"_s << 4567 << QString() << env << QString() << QString()
            << u"dynamodb://localhost:4567"_s;
        QTest::newRow("local engine with a profile")
            << local << u"db.lan"_s << 8000 << u"us-west-2"_s << profile << u"local"_s << QString()
            << u"dynamodb://db.lan:8000?region=us-west-2&profile=local"_s;
        QTest::newRow("local engine, IPv6")
            << local << u"[::1]"_s << 8000 << u"us-east-1"_s << env << QString() << QString()
            << u"dynamodb://[::1]:8000?region=us-east-1"_s;
        QTest::newRow("a host has no scheme")
            << local << u"http://localhost"_s << 8000 << u"us-east-1"_s << env << QString()
            << QString() << QString();
        QTest::newRow("a local engine needs a host") << local << QString() << 8000 << u"us-east-1"_s
                                                     << env << QString() << QString() << QString();
        QTest::newRow("https, default port")
            << https << u"dynamo.example.com"_s << 0 << u"us-east-1"_s << env << QString()
            << QString() << u"dynamodbs://dynamo.example.com?region=us-east-1"_s;
        QTest::newRow("https, port")
            << https << u"dynamo.example.com"_s << 8443 << u"eu-central-1"_s << env << QString()
            << QString() << u"dynamodbs://dynamo.example.com:8443?region=eu-central-1"_s;
        QTest::newRow("keys need the secret") << aws << QString() << 0 << u"eu-west-2"_s << keys
                                              << QString() << QString() << QString();
        QTest::newRow("a profile needs a name") << aws << QString() << 0 << u"eu-west-2"_s
                                                << profile << QString() << QString() << QString();
    }

    void locations()
    {
        QFETCH(int, endpoint);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QString, region);
        QFETCH(int, credentials);
        QFETCH(QString, profile);
        QFETCH(QString, secret);
        QFETCH(QString, expected);

        ConnectDialog dialog;
        chooseEndpoint(dialog, ConnectDialog::Endpoint(endpoint));
        if (ConnectDialog::Endpoint(endpoint) != ConnectDialog::Endpoint::Aws) {
            typeInto(child<QLineEdit>(dialog, u"hostEdit"_s), host);
            child<QSpinBox>(dialog, u"portSpin"_s)->setValue(port);
        }
        auto *regionCombo = child<QComboBox>(dialog, u"regionCombo"_s);
        typeInto(regionCombo->lineEdit(), region);
        switch (ConnectDialog::Credentials(credentials)) {
        case ConnectDialog::Credentials::Environment:
            clickRadio(child<QRadioButton>(dialog, u"environmentRadio"_s));
            break;
        case ConnectDialog::Credentials::Profile:
            clickRadio(child<QRadioButton>(dialog, u"profileRadio"_s));
            typeInto(child<QComboBox>(dialog, u"profileCombo"_s)->lineEdit(), profile);
            break;
        case ConnectDialog::Credentials::Keys:
            clickRadio(child<QRadioButton>(dialog, u"keysRadio"_s));
            typeInto(child<QLineEdit>(dialog, u"accessKeyEdit"_s), kAccessKey);
            typeInto(child<QLineEdit>(dialog, u"secretKeyEdit"_s), secret);
            break;
        }
        QCOMPARE(dialog.credentialSource(), ConnectDialog::Credentials(credentials));
        QCOMPARE(dialog.location(), expected);
        QCOMPARE(child<QPushButton>(dialog, u"okButton"_s)->isEnabled(), !expected.isEmpty());
        QCOMPARE(child<QPushButton>(dialog, u"testButton"_s)->isEnabled(), !expected.isEmpty());
        QCOMPARE(child<QLabel>(dialog, u"hintLabel"_s)->text().isEmpty(), !expected.isEmpty());
        if (expected.isEmpty())
            return;
        QCOMPARE(child<QLabel>(dialog, u"locationPreview"_s)->text(), expected);
        // Every complete location is understood by the store factory's parser...
        QProcessEnvironment environment;
        environment.insert(u"AWS_ACCESS_KEY_ID"_s, u"AKIDFROMENVIRONMENT"_s);
        environment.insert(u"AWS_SECRET_ACCESS_KEY"_s, u"environment-secret"_s);
        environment.insert(u"AWS_SHARED_CREDENTIALS_FILE"_s, m_home.filePath(u"credentials"_s));
        environment.insert(u"AWS_CONFIG_FILE"_s, m_home.filePath(u"config"_s));
        const auto config =
            DynamoDbStore::configFromLocation(expected, dialog.credentialSettings(), environment);
        if (ConnectDialog::Credentials(credentials) !=
            ConnectDialog::Credentials::Profile) // no such profile
            QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));
        // ...and fills a fresh dialog back to the same location (keys are never restored).
        ConnectDialog again;
        QVERIFY(again.setLocation(expected));
        QCOMPARE(again.location(), expected);
    }

    void secretsAreMasked()
    {
        ConnectDialog dialog;
        QCOMPARE(child<QLineEdit>(dialog, u"secretKeyEdit"_s)->echoMode(), QLineEdit::Password);
        QCOMPARE(child<QLineEdit>(dialog, u"sessionTokenEdit"_s)->echoMode(), QLineEdit::Password);
    }

    void profilesFromSharedFiles()
    {
        writeFile(u"credentials"_s, "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = "
                                    "devsecret\n\n[default]\naws_access_key_id = AKIDDEF\n");
        writeFile(u"config"_s, "[default]\nregion = eu-west-2\n[profile staging]\nregion = "
                               "us-east-1\n[sso-session corp]\nsso_region = us-east-1\n"
                               "[profile dev]\nregion = eu-west-1\n");
        ConnectDialog dialog;
        auto *combo = child<QComboBox>(dialog, u"profileCombo"_s);
        QStringList items;
        for (int i = 0; i < combo->count(); ++i)
            items << combo->itemText(i);
        QCOMPARE(items, (QStringList{u"default"_s, u"dev"_s, u"staging"_s}));
        // With profiles at hand, a profile is what the dialog starts with.
        QCOMPARE(dialog.credentialSource(), ConnectDialog::Credentials::Profile);
        QFile::remove(m_home.filePath(u"credentials"_s));
        QFile::remove(m_home.filePath(u"config"_s));
    }

    void testListsTables()
    {
        const QString why = Dynalite::unavailableReason();
        if (!why.isEmpty())
            QSKIP(qPrintable(why));
        Dynalite server;
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        {
            auto store = StoreFactory::open(server.location());
            QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message));
            QVERIFY((*store)->createTable(
                u"orders"_s, *TableModel::keyOnly(u"orders"_s, u"id"_s, FieldKind::Str)));
            QVERIFY((*store)->createTable(
                u"customers"_s, *TableModel::keyOnly(u"customers"_s, u"id"_s, FieldKind::Str)));
        }

        ConnectDialog dialog;
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        chooseEndpoint(dialog, ConnectDialog::Endpoint::Local);
        typeInto(child<QLineEdit>(dialog, u"hostEdit"_s), u"127.0.0.1"_s);
        child<QSpinBox>(dialog, u"portSpin"_s)->setValue(server.port());
        typeInto(child<QComboBox>(dialog, u"regionCombo"_s)->lineEdit(), u"eu-west-2"_s);
        // Keys typed for this session (dynalite accepts any).
        clickRadio(child<QRadioButton>(dialog, u"keysRadio"_s));
        typeInto(child<QLineEdit>(dialog, u"accessKeyEdit"_s), kAccessKey);
        typeInto(child<QLineEdit>(dialog, u"secretKeyEdit"_s), kSecret);
        typeInto(child<QLineEdit>(dialog, u"sessionTokenEdit"_s), kToken);
        QCOMPARE(dialog.location(), server.location());

        QSignalSpy finished(&dialog, &ConnectDialog::testFinished);
        QTest::mouseClick(child<QPushButton>(dialog, u"testButton"_s), Qt::LeftButton);
        QVERIFY(dialog.isTesting());
        QVERIFY(!child<QPushButton>(dialog, u"testButton"_s)->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kTimeout);
        QCOMPARE(finished.first().first().toBool(), true);
        QCOMPARE(dialog.tables(), (QStringList{u"customers"_s, u"orders"_s}));
        QCOMPARE(child<QListWidget>(dialog, u"tablesList"_s)->count(), 2);
        QVERIFY(child<MessageBar>(dialog, u"testMessage"_s)->isHidden());
        const QString status = child<QLabel>(dialog, u"testStatus"_s)->text();
        QVERIFY2(status.contains(u"2 tables"_s), qPrintable(status));
        // The credential source is named; the secret and the token never are.
        QVERIFY2(status.contains(u"the keys given to the connection"_s), qPrintable(status));
        QVERIFY(!status.contains(kSecret) && !status.contains(kToken));
        QVERIFY(child<QPushButton>(dialog, u"testButton"_s)->isEnabled());

        QApplication::processEvents();
        saveScreenshot(dialog.grab().toImage(), u"connect-dialog.png"_s);

        // Enter is OK: the location is kept, the keys go to this process's environment only.
        QTest::keyClick(child<QLineEdit>(dialog, u"secretKeyEdit"_s), Qt::Key_Return);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(qEnvironmentVariable("AWS_ACCESS_KEY_ID"), kAccessKey);
        QCOMPARE(qEnvironmentVariable("AWS_SECRET_ACCESS_KEY"), kSecret);
        QCOMPARE(qEnvironmentVariable("AWS_SESSION_TOKEN"), kToken);
        QCOMPARE(ConnectDialog::recentLocations(), QStringList{server.location()});
        verifyNoSecretStored();

        // The store factory opens the accepted location with those keys.
        auto config = DynamoDbStore::configFromLocation(dialog.location());
        QVERIFY(config.ok());
        QCOMPARE(config->credentials.accessKeyId, kAccessKey);
    }

    void testAgainstClosedPortShowsError()
    {
        const quint16 port = Dynalite::freePort(); // free, so nothing listens there
        QVERIFY(port != 0);
        ConnectDialog dialog;
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        clickRadio(child<QRadioButton>(dialog, u"environmentRadio"_s));
        QVERIFY(dialog.setLocation(u"dynamodb://127.0.0.1:%1?region=eu-west-2"_s.arg(port)));

        QSignalSpy finished(&dialog, &ConnectDialog::testFinished);
        QTest::mouseClick(child<QPushButton>(dialog, u"testButton"_s), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kTimeout);
        QCOMPARE(finished.first().first().toBool(), false);
        auto *message = child<MessageBar>(dialog, u"testMessage"_s);
        QVERIFY(message->isVisible());
        QVERIFY2(message->text().contains(u"unavailable"_s), qPrintable(message->text()));
        QVERIFY2(message->text().contains(u"Credentials:"_s), qPrintable(message->text()));
        QVERIFY(dialog.tables().isEmpty());
        QApplication::processEvents();
        saveScreenshot(dialog.grab().toImage(), u"connect-dialog-error.png"_s, false);
        QVERIFY(child<QPushButton>(dialog, u"testButton"_s)->isEnabled());

        // Changing the inputs clears the stale answer.
        child<QSpinBox>(dialog, u"portSpin"_s)->setValue(port == 65535 ? 1 : port + 1);
        QVERIFY(message->isHidden());
    }

    void closingDuringTestDoesNotWait()
    {
        // A port that accepts but never answers: the Test stays in flight while the dialog dies.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        QElapsedTimer timer;
        timer.start();
        {
            ConnectDialog dialog;
            QVERIFY(dialog.setLocation(u"dynamodb://127.0.0.1:%1"_s.arg(silent.serverPort())));
            dialog.test();
            QVERIFY(dialog.isTesting());
        }
        QVERIFY2(timer.elapsed() < 2000, "destroying the dialog waited for the Test");
    }

    void recentConnections()
    {
        for (int i = 1; i <= 10; ++i)
            ConnectDialog::rememberLocation(
                u"dynamodb://127.0.0.1:%1?region=eu-west-2"_s.arg(8000 + i));
        QStringList recent = ConnectDialog::recentLocations();
        QCOMPARE(recent.size(), ConnectDialog::kMaxRecent);
        QCOMPARE(recent.first(), u"dynamodb://127.0.0.1:8010?region=eu-west-2"_s);
        QCOMPARE(recent.last(), u"dynamodb://127.0.0.1:8003?region=eu-west-2"_s);
        // Remembering one again moves it to the front without a duplicate.
        ConnectDialog::rememberLocation(u"dynamodb://127.0.0.1:8005?region=eu-west-2"_s);
        recent = ConnectDialog::recentLocations();
        QCOMPARE(recent.size(), ConnectDialog::kMaxRecent);
        QCOMPARE(recent.first(), u"dynamodb://127.0.0.1:8005?region=eu-west-2"_s);
        QCOMPARE(recent.count(u"dynamodb://127.0.0.1:8005?region=eu-west-2"_s), 1);
        // User info never reaches the settings.
        ConnectDialog::rememberLocation(u"dynamodb://AKID:secret@db.lan:8000?region=eu-west-2"_s);
        QCOMPARE(ConnectDialog::recentLocations().first(),
                 u"dynamodb://db.lan:8000?region=eu-west-2"_s);

        // A new dialog starts from the most recent one and offers the others.
        ConnectDialog::rememberLocation(u"dynamodb://aws?region=eu-west-1&profile=prod"_s);
        ConnectDialog dialog;
        QCOMPARE(dialog.location(), u"dynamodb://aws?region=eu-west-1&profile=prod"_s);
        auto *combo = child<QComboBox>(dialog, u"recentCombo"_s);
        QCOMPARE(combo->count(), 1 + ConnectDialog::kMaxRecent);
        const int index = combo->findData(u"dynamodb://127.0.0.1:8005?region=eu-west-2"_s);
        QVERIFY(index > 0);
        combo->setCurrentIndex(index);
        emit combo->activated(index);
        QCOMPARE(dialog.location(), u"dynamodb://127.0.0.1:8005?region=eu-west-2"_s);
        QCOMPARE(dialog.endpoint(), ConnectDialog::Endpoint::Local);
        QCOMPARE(dialog.credentialSource(), ConnectDialog::Credentials::Environment);

        // Accepting with typed keys keeps the location and nothing secret.
        clickRadio(child<QRadioButton>(dialog, u"keysRadio"_s));
        typeInto(child<QLineEdit>(dialog, u"accessKeyEdit"_s), kAccessKey);
        typeInto(child<QLineEdit>(dialog, u"secretKeyEdit"_s), kSecret);
        typeInto(child<QLineEdit>(dialog, u"sessionTokenEdit"_s), kToken);
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(ConnectDialog::recentLocations().first(),
                 u"dynamodb://127.0.0.1:8005?region=eu-west-2"_s);
        QCOMPARE(ConnectDialog::recentLocations().size(), ConnectDialog::kMaxRecent);
        verifyNoSecretStored();
    }

    void keyboard()
    {
        {
            ConnectDialog dialog;
            dialog.show();
            QVERIFY(QTest::qWaitForWindowExposed(&dialog));
            chooseEndpoint(dialog, ConnectDialog::Endpoint::Aws);
            typeInto(child<QComboBox>(dialog, u"regionCombo"_s)->lineEdit(), QString());
            QVERIFY(!dialog.isComplete());
            // Enter does nothing while the inputs are incomplete.
            QTest::keyClick(child<QComboBox>(dialog, u"regionCombo"_s)->lineEdit(), Qt::Key_Return);
            QVERIFY(dialog.isVisible());
            typeInto(child<QComboBox>(dialog, u"regionCombo"_s)->lineEdit(), u"eu-north-1"_s);
            QTest::keyClick(child<QComboBox>(dialog, u"regionCombo"_s)->lineEdit(), Qt::Key_Return);
            QVERIFY(!dialog.isVisible());
            QCOMPARE(dialog.result(), int(QDialog::Accepted));
            QCOMPARE(dialog.location(), u"dynamodb://aws?region=eu-north-1"_s);
        }
        {
            ConnectDialog dialog;
            dialog.show();
            QVERIFY(QTest::qWaitForWindowExposed(&dialog));
            QVERIFY(dialog.setLocation(u"dynamodb://db.lan:8001"_s));
            // Enter with the focus on Test is still OK, not Test.
            auto *test = child<QPushButton>(dialog, u"testButton"_s);
            test->setFocus();
            QTest::keyClick(test, Qt::Key_Return);
            QVERIFY(!dialog.isVisible());
            QVERIFY(!dialog.isTesting());
            QCOMPARE(dialog.result(), int(QDialog::Accepted));
        }
        {
            ConnectDialog dialog;
            dialog.show();
            QVERIFY(QTest::qWaitForWindowExposed(&dialog));
            QVERIFY(dialog.setLocation(u"dynamodb://127.0.0.1:8000"_s));
            QTest::keyClick(&dialog, Qt::Key_Escape);
            QVERIFY(!dialog.isVisible());
            QCOMPARE(dialog.result(), int(QDialog::Rejected));
        }
        QVERIFY(ConnectDialog::recentLocations().contains(u"dynamodb://aws?region=eu-north-1"_s));
        QVERIFY(ConnectDialog::recentLocations().contains(u"dynamodb://db.lan:8001"_s));
        QVERIFY(!ConnectDialog::recentLocations().contains(u"dynamodb://127.0.0.1:8000"_s));
    }

    void everyInteractiveWidgetHasAName()
    {
        ConnectDialog dialog;
        for (QWidget *widget : dialog.findChildren<QWidget *>()) {
            // Parts of composite widgets (a combo box's line edit and popup, a spin box's
            // editor, a line edit's clear button) belong to their owner.
            bool part = widget->window() != &dialog;
            for (QWidget *up = widget->parentWidget(); up && up != &dialog; up = up->parentWidget())
                part = part || qobject_cast<QComboBox *>(up) ||
                       qobject_cast<QAbstractSpinBox *>(up) || qobject_cast<QLineEdit *>(up);
            const bool interactive =
                qobject_cast<QAbstractButton *>(widget) || qobject_cast<QComboBox *>(widget) ||
                qobject_cast<QAbstractSpinBox *>(widget) || qobject_cast<QLineEdit *>(widget) ||
                qobject_cast<QAbstractItemView *>(widget);
            if (interactive && !part)
                QVERIFY2(!widget->objectName().isEmpty(), widget->metaObject()->className());
        }
    }

private:
    void writeFile(const QString &name, const QByteArray &text)
    {
        QFile file(m_home.filePath(name));
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(text);
    }

    /// Neither the settings' values nor the settings file contain a key or a token.
    void verifyNoSecretStored()
    {
        QSettings settings;
        settings.sync();
        for (const QString &key : settings.allKeys()) {
            const QString value =
                settings.value(key).toStringList().join(u'\n') + settings.value(key).toString();
            QVERIFY2(!value.contains(kSecret) && !value.contains(kToken) &&
                         !value.contains(kAccessKey),
                     qPrintable(key));
        }
        QFile file(settings.fileName());
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(settings.fileName()));
        const QByteArray text = file.readAll();
        QVERIFY(text.contains("connections"));
        QVERIFY(!text.contains(kSecret.toUtf8()));
        QVERIFY(!text.contains(kToken.toUtf8()));
        QVERIFY(!text.contains(kAccessKey.toUtf8()));
    }

    /// `keep`: also kept in resources/screenshots/ with STRUCTDESK_UPDATE_SCREENSHOTS=1.
    void saveScreenshot(const QImage &image, const QString &name, bool keep = true)
    {
        QVERIFY(!image.isNull());
        const QString path = QDir(QCoreApplication::applicationDirPath()).filePath(name);
        QVERIFY(image.save(path));
        qInfo("screenshot: %s", qPrintable(path));
        if (keep && qEnvironmentVariableIntValue("STRUCTDESK_UPDATE_SCREENSHOTS") == 1) {
            const QString kept =
                QStringLiteral(STRUCTDESK_SOURCE_DIR "/resources/screenshots/") + name;
            QVERIFY(image.save(kept));
            qInfo("kept: %s", qPrintable(kept));
        }
    }

    QTemporaryDir m_home;
};

QTEST_MAIN(TstConnectDialog)
#include "tst_connectdialog.moc"
