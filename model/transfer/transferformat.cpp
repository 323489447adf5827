#include "model/transfer/transferformat.h"

#include "model/json/fastjson.h"

#include <QFile>
#include <QFileInfo>

QString transferFormatName(TransferFormat format)
{
    switch (format) {
    case TransferFormat::JsonLines:
        return QStringLiteral("jsonl");
    case TransferFormat::JsonArray:
        return QStringLiteral("json");
    case TransferFormat::DynamoDbJson:
        return QStringLiteral("dynamodb-json");
    case TransferFormat::Csv:
        return QStringLiteral("csv");
    }
    return QStringLiteral("jsonl");
}

std::optional<TransferFormat> transferFormatFromName(QStringView name)
{
    if (name == u"jsonl" || name == u"ndjson" || name == u"json-lines")
        return TransferFormat::JsonLines;
    if (name == u"json")
        return TransferFormat::JsonArray;
    if (name == u"dynamodb-json" || name == u"ddb-json" || name == u"dynamodb")
        return TransferFormat::DynamoDbJson;
    if (name == u"csv")
        return TransferFormat::Csv;
    return std::nullopt;
}

QStringList transferFormatNames()
{
    return {QStringLiteral("jsonl"), QStringLiteral("json"), QStringLiteral("dynamodb-json"),
            QStringLiteral("csv")};
}

std::optional<TransferFormat> transferFormatFromExtension(const QString &path)
{
    const QString name = QFileInfo(path).fileName().toLower();
    if (name.endsWith(QStringLiteral(".jsonl")) || name.endsWith(QStringLiteral(".ndjson")))
        return TransferFormat::JsonLines;
    if (name.endsWith(QStringLiteral(".csv")))
        return TransferFormat::Csv;
    if (name.endsWith(QStringLiteral(".json")))
        return TransferFormat::JsonArray;
    return std::nullopt;
}

QString transferFormatExtension(TransferFormat format)
{
    switch (format) {
    case TransferFormat::JsonLines:
        return QStringLiteral(".jsonl");
    case TransferFormat::JsonArray:
    case TransferFormat::DynamoDbJson:
        return QStringLiteral(".json");
    case TransferFormat::Csv:
        return QStringLiteral(".csv");
    }
    return QStringLiteral(".jsonl");
}

Result<TransferFormat> detectTransferFormat(const QString &path)
{
    const auto byName = transferFormatFromExtension(path);
    if (byName && *byName != TransferFormat::JsonArray)
        return *byName;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::NotFound,
                         QStringLiteral("cannot read the file: %1").arg(file.errorString()), path);
    // The first line tells JSON lines from DynamoDB JSON; AWS exports name their files .json.
    QByteArray head = file.read(1 << 20);
    if (head.startsWith("\xEF\xBB\xBF"))
        head.remove(0, 3);
    const qsizetype start = [&] {
        qsizetype i = 0;
        while (i < head.size() &&
               (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
            ++i;
        return i;
    }();
    if (start < head.size() && head[start] == '[')
        return TransferFormat::JsonArray;
    if (start < head.size() && head[start] == '{') {
        const qsizetype end = head.indexOf('\n', start);
        const QByteArrayView line =
            QByteArrayView(head).sliced(start, (end < 0 ? head.size() : end) - start);
        auto first = FastJson::parsePlain(line);
        if (first && first->isMap() && first->size() == 1 && first->find(QStringLiteral("Item")) &&
            first->find(QStringLiteral("Item"))->isMap())
            return TransferFormat::DynamoDbJson;
        return TransferFormat::JsonLines;
    }
    if (byName)
        return *byName;
    if (start >= head.size())
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("the file is empty; give its format with --format (%1)")
                             .arg(transferFormatNames().join(QStringLiteral(", "))),
                         path);
    return makeError(ErrorKind::Invalid,
                     QStringLiteral("cannot tell the format of the file from its name or its first "
                                    "bytes; give it with --format (%1)")
                         .arg(transferFormatNames().join(QStringLiteral(", "))),
                     path);
}
