#include "model/recoveryjournal.h"

#include "model/jsoncodec.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QStandardPaths>
#include <QUuid>

#include <algorithm>

namespace {

QByteArray entryJson(const RecoveryJournal::Entry &e)
{
    // DynamoDB JSON for values: it says every type itself, so nothing is lost.
    QByteArray out = "{\n";
    auto field = [&out](const char *name, const QByteArray &value, bool last = false) {
        out += "  \"";
        out += name;
        out += "\": ";
        out += value;
        out += last ? "\n" : ",\n";
    };
    auto text = [](const QString &s) {
        QByteArray b;
        JsonCodec::appendJsonString(b, s);
        return b;
    };
    field("format", "\"structdesk-journal-1\"");
    field("id", text(e.id));
    field("location", text(e.location));
    field("table", text(e.table));
    field("oldKey", JsonCodec::toDynamoValue(e.oldKey));
    field("newKey", JsonCodec::toDynamoValue(e.newKey));
    field("strategy", text(e.strategy));
    field("lastStep", text(e.lastStep));
    field("created", text(e.created.toString(Qt::ISODateWithMs)));
    field("record", JsonCodec::toDynamoItem(e.record), true);
    out += "}\n";
    return out;
}

Result<RecoveryJournal::Entry> parseEntry(const QByteArray &bytes, const QString &file)
{
    auto tree = JsonCodec::parsePlain(bytes);
    if (!tree)
        return makeError(ErrorKind::Backend, tree.error().toString(), file);
    const Value &t = *tree;
    auto text = [&](const char *name) {
        const Value *v = t.find(QString::fromLatin1(name));
        return v ? v->text() : QString();
    };
    if (text("format") != QLatin1String("structdesk-journal-1"))
        return makeError(ErrorKind::Backend, QStringLiteral("not a StructDesk journal entry"), file);
    RecoveryJournal::Entry e;
    e.id = text("id");
    e.location = text("location");
    e.table = text("table");
    e.strategy = text("strategy");
    e.lastStep = text("lastStep");
    e.created = QDateTime::fromString(text("created"), Qt::ISODateWithMs);
    const Value *oldKey = t.find(QStringLiteral("oldKey"));
    const Value *newKey = t.find(QStringLiteral("newKey"));
    const Value *record = t.find(QStringLiteral("record"));
    if (!oldKey || !newKey || !record)
        return makeError(ErrorKind::Backend, QStringLiteral("the journal entry is incomplete"), file);
    auto k1 = JsonCodec::fromDynamoTree(*oldKey, QStringLiteral("oldKey"));
    auto k2 = JsonCodec::fromDynamoTree(*newKey, QStringLiteral("newKey"));
    auto r = JsonCodec::fromDynamoItemTree(*record);
    if (!k1 || !k2 || !r)
        return makeError(ErrorKind::Backend, QStringLiteral("the journal entry cannot be read"), file);
    e.oldKey = *k1;
    e.newKey = *k2;
    e.record = *r;
    return e;
}

} // namespace

RecoveryJournal::RecoveryJournal(QString directory) : m_directory(std::move(directory)) {}

QString RecoveryJournal::defaultDirectory()
{
    const QString fromEnv = qEnvironmentVariable("STRUCTDESK_JOURNAL");
    if (!fromEnv.isEmpty())
        return fromEnv;
    QString dir = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    if (dir.isEmpty())
        dir = QDir::homePath() + QStringLiteral("/.local/share");
    return dir + QStringLiteral("/StructDesk/journal");
}

Status RecoveryJournal::write(const Entry &entry)
{
    if (!QDir().mkpath(m_directory))
        return makeError(ErrorKind::Backend,
                         QStringLiteral("cannot create the recovery journal folder %1").arg(m_directory),
                         m_directory);
    QSaveFile file(QDir(m_directory).filePath(entry.id + QStringLiteral(".json")));
    if (!file.open(QIODevice::WriteOnly))
        return makeError(ErrorKind::Backend,
                         QStringLiteral("cannot write the recovery journal: %1").arg(file.errorString()),
                         file.fileName());
    file.write(entryJson(entry));
    // QSaveFile flushes and syncs to disk before it renames the file into place.
    if (!file.commit())
        return makeError(ErrorKind::Backend,
                         QStringLiteral("cannot write the recovery journal: %1").arg(file.errorString()),
                         file.fileName());
    return okStatus();
}

Result<QString> RecoveryJournal::add(Entry entry)
{
    if (entry.id.isEmpty())
        entry.id = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss-")) +
                   QUuid::createUuid().toString(QUuid::Id128).left(8);
    if (!entry.created.isValid())
        entry.created = QDateTime::currentDateTimeUtc();
    if (auto s = write(entry); !s)
        return s.error();
    return entry.id;
}

Status RecoveryJournal::setLastStep(const QString &id, const QString &step)
{
    auto e = entry(id);
    if (!e)
        return e.error();
    e->lastStep = step;
    return write(*e);
}

Status RecoveryJournal::remove(const QString &id)
{
    const QString path = QDir(m_directory).filePath(id + QStringLiteral(".json"));
    if (!QFile::exists(path))
        return makeError(ErrorKind::NotFound, QStringLiteral("there is no journal entry %1").arg(id), id);
    if (!QFile::remove(path))
        return makeError(ErrorKind::Backend, QStringLiteral("cannot remove the journal entry %1").arg(id), path);
    return okStatus();
}

Result<RecoveryJournal::Entry> RecoveryJournal::entry(const QString &id) const
{
    if (id.isEmpty() || id.contains(u'/') || id.contains(u'\\'))
        return makeError(ErrorKind::NotFound, QStringLiteral("there is no journal entry %1").arg(id), id);
    QFile file(QDir(m_directory).filePath(id + QStringLiteral(".json")));
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::NotFound, QStringLiteral("there is no journal entry %1").arg(id), id);
    return parseEntry(file.readAll(), file.fileName());
}

Result<std::vector<RecoveryJournal::Entry>> RecoveryJournal::entries() const
{
    std::vector<Entry> out;
    const QDir dir(m_directory);
    if (!dir.exists())
        return out;
    for (const QString &name : dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
        QFile file(dir.filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            return makeError(ErrorKind::Backend, QStringLiteral("cannot read %1").arg(file.fileName()),
                             file.fileName());
        auto e = parseEntry(file.readAll(), file.fileName());
        if (!e)
            return e.error();
        out.push_back(std::move(*e));
    }
    std::sort(out.begin(), out.end(), [](const Entry &a, const Entry &b) { return a.created < b.created; });
    return out;
}
