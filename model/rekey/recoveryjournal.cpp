#include "model/rekey/recoveryjournal.h"

#include "model/json/jsoncodec.h"

#include <nlohmann/json.hpp>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>
#include <QUuid>

#include <algorithm>
#include <variant>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <dirent.h>
#endif

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
    field("format", QByteArray("\"") + RecoveryJournal::kFormat + '"');
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

/// Where nlohmann's parser stops on a syntax error: a file cut short stops at its very end,
/// whatever it was in the middle of (a string, a number, an object).
struct ErrorPosition : nlohmann::json_sax<nlohmann::json>
{
    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t &) override { return true; }
    bool string(string_t &) override { return true; }
    bool binary(binary_t &) override { return true; }
    bool start_object(std::size_t) override { return true; }
    bool key(string_t &) override { return true; }
    bool end_object() override { return true; }
    bool start_array(std::size_t) override { return true; }
    bool end_array() override { return true; }
    bool parse_error(std::size_t at, const std::string &,
                     const nlohmann::detail::exception &) override
    {
        position = at;
        return false;
    }
    std::size_t position = std::string::npos;
};

bool endsEarly(const QByteArray &bytes)
{
    ErrorPosition where;
    try {
        nlohmann::json::sax_parse(bytes.begin(), bytes.end(), &where);
    } catch (const std::exception &) {
        return false;
    }
    return where.position != std::string::npos && where.position >= std::size_t(bytes.size());
}

QString quoted(const QString &name)
{
    return u'"' + name + u'"';
}

/// Why `bytes` is not a journal entry, or the entry. The reason is a sentence without the file.
std::variant<RecoveryJournal::Entry, QString> parseEntry(const QByteArray &bytes)
{
    if (bytes.trimmed().isEmpty())
        return bytes.isEmpty()
                   ? QStringLiteral("the file is empty (0 bytes)")
                   : QStringLiteral("the file holds only white space (%1 bytes)").arg(bytes.size());
    // Binary junk: say what it is rather than what the JSON parser expected.
    if (const qsizetype nul = bytes.indexOf('\0'); nul >= 0)
        return QStringLiteral("not JSON: the file holds binary data (byte %1 is 0x00)").arg(nul);
    if (!bytes.isValidUtf8())
        return QStringLiteral("not JSON: the file is not UTF-8 text");
    auto tree = JsonCodec::parsePlain(bytes);
    if (!tree) {
        QString what = tree.error().message;
        what.remove(QStringLiteral("malformed JSON: "));
        if (endsEarly(bytes))
            return QStringLiteral("truncated JSON: the file ends at byte %1 (%2) before the entry "
                                  "is complete")
                .arg(bytes.size())
                .arg(tree.error().location);
        return QStringLiteral("not JSON: %1 at %2").arg(what, tree.error().location);
    }
    const Value &t = *tree;
    if (!t.isMap())
        return QStringLiteral("not a journal entry: the file holds %1, not an object")
            .arg(t.typeDescription());
    const Value *format = t.find(QStringLiteral("format"));
    if (!format)
        return QStringLiteral("not a journal entry: it has no \"format\": \"%1\"")
            .arg(QLatin1String(RecoveryJournal::kFormat));
    if (!format->isString())
        return QStringLiteral("not a journal entry: its \"format\" is %1, not text")
            .arg(format->typeDescription());
    if (format->text() != QLatin1String(RecoveryJournal::kFormat)) {
        if (format->text().startsWith(QLatin1String("structdesk-journal-")))
            return QStringLiteral("written by another version of StructDesk (format %1; this one "
                                  "reads %2)")
                .arg(format->text(), QLatin1String(RecoveryJournal::kFormat));
        return QStringLiteral("not a journal entry: its format is %1, not %2")
            .arg(quoted(format->text()), QLatin1String(RecoveryJournal::kFormat));
    }
    RecoveryJournal::Entry e;
    QString problem;
    auto text = [&](const char *name, QString &target, bool required) {
        if (!problem.isEmpty())
            return;
        const QString key = QString::fromLatin1(name);
        const Value *v = t.find(key);
        if (!v) {
            if (required)
                problem = QStringLiteral("missing field %1").arg(quoted(key));
            return;
        }
        if (!v->isString()) {
            problem = QStringLiteral("field %1 must be text, not %2")
                          .arg(quoted(key), v->typeDescription());
            return;
        }
        target = v->text();
        if (required && target.isEmpty())
            problem = QStringLiteral("field %1 is empty").arg(quoted(key));
    };
    QString created;
    text("location", e.location, true);
    text("table", e.table, true);
    text("created", created, true);
    text("strategy", e.strategy, false);
    text("lastStep", e.lastStep, false);
    if (!problem.isEmpty())
        return problem;
    e.created = QDateTime::fromString(created, Qt::ISODateWithMs);
    if (!e.created.isValid())
        return QStringLiteral("field \"created\" is not a date and time: %1").arg(quoted(created));
    auto key = [&](const char *name, Value &target) {
        if (!problem.isEmpty())
            return;
        const QString field = QString::fromLatin1(name);
        const Value *v = t.find(field);
        if (!v) {
            problem = QStringLiteral("missing field %1").arg(quoted(field));
            return;
        }
        auto k = JsonCodec::fromDynamoTree(*v, field);
        if (!k) {
            problem = QStringLiteral("field %1 is not a DynamoDB JSON value: %2")
                          .arg(quoted(field), k.error().message);
            return;
        }
        if (!k->isString() && !k->isNumber()) {
            problem = QStringLiteral("field %1 must be a string or number key, not %2")
                          .arg(quoted(field), k->typeDescription());
            return;
        }
        target = *k;
    };
    key("oldKey", e.oldKey);
    key("newKey", e.newKey);
    if (!problem.isEmpty())
        return problem;
    const Value *record = t.find(QStringLiteral("record"));
    if (!record)
        return QStringLiteral("missing field \"record\"");
    if (!record->isMap())
        return QStringLiteral("field \"record\" must be an object (a DynamoDB JSON item), not %1")
            .arg(record->typeDescription());
    auto r = JsonCodec::fromDynamoItemTree(*record);
    if (!r)
        return QStringLiteral("field \"record\" is not a DynamoDB JSON item: %1")
            .arg(r.error().toString());
    e.record = std::move(*r);
    return e;
}

/// Reads one file of the journal folder on its own, never blocking on something that is not a
/// regular file (a pipe) and never reading a huge file.
std::variant<RecoveryJournal::Entry, QString> readEntryFile(const QFileInfo &info)
{
    if (info.isSymLink() && !info.exists())
        return QStringLiteral("a link to %1, which does not exist").arg(info.symLinkTarget());
    if (info.isDir())
        return QStringLiteral("a folder, not a journal entry file");
    if (!info.isFile())
        return QStringLiteral("not a regular file (a pipe, socket or device)");
    if (info.size() > RecoveryJournal::kMaxEntryBytes)
        return QStringLiteral("too large for a journal entry (%1 bytes; entries are at most %2 "
                              "bytes); it was not read")
            .arg(info.size())
            .arg(RecoveryJournal::kMaxEntryBytes);
    QFile file(info.filePath());
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot be read: %1").arg(file.errorString());
    const QByteArray bytes = file.read(RecoveryJournal::kMaxEntryBytes + 1);
    if (file.error() != QFileDevice::NoError)
        return QStringLiteral("cannot be read: %1").arg(file.errorString());
    if (bytes.size() > RecoveryJournal::kMaxEntryBytes)
        return QStringLiteral("too large for a journal entry (more than %1 bytes); it was not read")
            .arg(RecoveryJournal::kMaxEntryBytes);
    auto parsed = parseEntry(bytes);
    if (auto *e = std::get_if<RecoveryJournal::Entry>(&parsed)) {
        // The file name is the id `journal restore` is given and the one removed once the
        // record is safe: a renamed copy is its own entry.
        e->id = info.completeBaseName();
        e->file = info.filePath();
    }
    return parsed;
}

/// Why the folder cannot be listed by this process (its effective user, as opening files
/// does), or an empty string when it can.
QString folderListingProblem(const QString &path)
{
#ifdef Q_OS_UNIX
    DIR *dir = ::opendir(QFile::encodeName(path).constData());
    if (!dir)
        return qt_error_string(errno);
    ::closedir(dir);
    return {};
#else
    const QFileInfo info(path);
    return info.isReadable() && info.isExecutable() ? QString()
                                                    : QStringLiteral("permission denied");
#endif
}

bool validId(const QString &id)
{
    return !id.isEmpty() && !id.contains(u'/') && !id.contains(u'\\') && id != u"." && id != u"..";
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

QString RecoveryJournal::fileOf(const QString &id) const
{
    return QDir(m_directory).filePath(id + QStringLiteral(".json"));
}

Status RecoveryJournal::write(const Entry &entry)
{
    if (!QDir().mkpath(m_directory))
        return makeError(
            ErrorKind::Backend,
            QStringLiteral("cannot create the recovery journal folder %1").arg(m_directory),
            m_directory);
    QSaveFile file(fileOf(entry.id));
    if (!file.open(QIODevice::WriteOnly))
        return makeError(
            ErrorKind::Backend,
            QStringLiteral("cannot write the recovery journal: %1").arg(file.errorString()),
            file.fileName());
    file.write(entryJson(entry));
    // QSaveFile flushes and syncs to disk before it renames the file into place.
    if (!file.commit())
        return makeError(
            ErrorKind::Backend,
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
    if (!validId(id))
        return makeError(ErrorKind::NotFound,
                         QStringLiteral("there is no journal entry %1").arg(id), id);
    const QString path = fileOf(id);
    const QFileInfo info(path);
    if (!info.exists() && !info.isSymLink())
        return makeError(ErrorKind::NotFound,
                         QStringLiteral("there is no journal entry %1").arg(id), id);
    if (!info.isFile())
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral("%1 is not a journal entry file; it was left in place").arg(path), path);
    if (!QFile::remove(path))
        return makeError(ErrorKind::Backend,
                         QStringLiteral("cannot remove the journal entry %1").arg(id), path);
    return okStatus();
}

Result<RecoveryJournal::Entry> RecoveryJournal::entry(const QString &id) const
{
    if (!validId(id))
        return makeError(ErrorKind::NotFound,
                         QStringLiteral("there is no journal entry %1").arg(id), id);
    const QFileInfo info(fileOf(id));
    if (!info.exists() && !info.isSymLink())
        return makeError(ErrorKind::NotFound,
                         QStringLiteral("there is no journal entry %1 in %2").arg(id, m_directory),
                         id);
    auto read = readEntryFile(info);
    if (auto *reason = std::get_if<QString>(&read))
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral("the journal entry %1 cannot be read: %2; the file was left "
                           "untouched")
                .arg(id, *reason),
            info.filePath());
    return std::get<Entry>(std::move(read));
}

Result<RecoveryJournal::Listing> RecoveryJournal::list() const
{
    Listing out;
    const QFileInfo folder(m_directory);
    if (!folder.exists())
        return out;
    if (!folder.isDir())
        return makeError(ErrorKind::Unavailable,
                         QStringLiteral("the recovery journal %1 is not a folder").arg(m_directory),
                         m_directory);
    // QDir lists an unreadable folder as empty: say so instead of showing an empty journal.
    if (const QString problem = folderListingProblem(m_directory); !problem.isEmpty())
        return makeError(ErrorKind::Unavailable,
                         QStringLiteral("the recovery journal folder %1 cannot be read: %2")
                             .arg(m_directory, problem),
                         m_directory);
    const QDir dir(m_directory);
    const QFileInfoList files = dir.entryInfoList(
        {QStringLiteral("*.json")}, QDir::Files | QDir::Dirs | QDir::System | QDir::NoDotAndDotDot,
        QDir::Name);
    for (const QFileInfo &info : files) {
        auto read = readEntryFile(info);
        if (auto *reason = std::get_if<QString>(&read))
            out.bad.push_back(BadEntry{info.completeBaseName(), info.filePath(), *reason});
        else
            out.entries.push_back(std::get<Entry>(std::move(read)));
    }
    std::stable_sort(out.entries.begin(), out.entries.end(),
                     [](const Entry &a, const Entry &b) { return a.created < b.created; });
    return out;
}

Result<std::vector<RecoveryJournal::Entry>> RecoveryJournal::entries() const
{
    auto listing = list();
    if (!listing)
        return listing.error();
    return std::move(listing->entries);
}
