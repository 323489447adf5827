#include "app/clitool.h"

#include <QCoreApplication>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("StructDesk"));
    QCoreApplication::setOrganizationName(QStringLiteral("StructDesk"));
    QStringList arguments = QCoreApplication::arguments();
    arguments.removeFirst();
    CliTool tool(stdout, stderr, stdin);
    return tool.run(arguments);
}
