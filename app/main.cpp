#include "model/store/open/storefactory.h"
#include "widgets/window/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QIcon>
#include <QSettings>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("StructDesk"));
    QApplication::setApplicationName(QStringLiteral("StructDesk"));
    QApplication::setApplicationVersion(QStringLiteral(STRUCTDESK_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("structdesk"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/structdesk.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate(
        "main", "Browse structured NoSQL tables: an embedded store file or a DynamoDB endpoint."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("LOCATION"),
        QApplication::translate("main",
                                "The store to open: a file path or dynamodb://HOST:PORT?region=R. "
                                "Default: the last store, else the demo store."),
        QStringLiteral("[LOCATION]"));
    parser.process(app);

    MainWindow window;
    window.show();

    const QStringList args = parser.positionalArguments();
    if (!args.isEmpty()) {
        const QString location = args.front();
        const bool remote = StoreFactory::isRemote(location);
        window.openStore(remote ? location : QFileInfo(location).absoluteFilePath());
    } else {
        const QString last = QSettings().value(QStringLiteral("lastStore")).toString();
        if (!last.isEmpty() && (StoreFactory::isRemote(last) || QFileInfo::exists(last)))
            window.openStore(last);
        else
            window.openStore(StoreFactory::defaultLocation(),
                             MainWindow::OpenMode::CreateDemoIfMissing);
    }
    return app.exec();
}
