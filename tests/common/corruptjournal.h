#pragma once

// The kinds of damaged file a recovery journal folder can hold, shared by the journal's model,
// CLI and dialog tests: each makes one file (or folder, pipe, link) named ID.json and says
// what the reason given for it must contain.

#include "model/rekey/recoveryjournal.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <functional>
#include <sys/stat.h>
#include <unistd.h>

namespace CorruptJournal {

using namespace Qt::StringLiterals;

struct Kind
{
    QString name;
    std::function<bool(const QString &path)> make; ///< creates the bad thing at `path`
    QString reason;                                ///< a fragment the reason must contain
};

/// A good entry's file text (what RecoveryJournal::add writes), for cutting.
inline QByteArray goodEntryText(const QString &scratchDir)
{
    RecoveryJournal journal(scratchDir);
    RecoveryJournal::Entry e;
    e.id = u"model-entry"_s;
    e.location = u"/nowhere/store.structdesk"_s;
    e.table = u"users"_s;
    e.oldKey = Value::string(u"u1"_s);
    e.newKey = Value::string(u"u2"_s);
    e.record =
        Value::map({{u"userId"_s, Value::string(u"u1"_s)}, {u"age"_s, *Value::number(u"42"_s)}});
    e.strategy = u"remove-put-restore"_s;
    if (!journal.add(e))
        return {};
    QFile f(journal.fileOf(e.id));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

/// An entry with one field replaced (or removed when `value` is empty).
inline QByteArray withField(const QByteArray &good, const char *field, const QByteArray &value)
{
    QByteArray out;
    for (const QByteArray &line : good.split('\n')) {
        if (line.trimmed().startsWith(QByteArray("\"") + field + "\":")) {
            if (value.isEmpty())
                continue;
            out += QByteArray("  \"") + field + "\": " + value + ",\n";
            continue;
        }
        out += line + '\n';
    }
    out.chop(1);
    // A removed or replaced last field leaves a trailing comma before the closing brace.
    out.replace(",\n}", "\n}");
    return out;
}

inline QList<Kind> kinds(const QByteArray &good)
{
    QList<Kind> k;
    auto bytes = [](QByteArray b) { return [b](const QString &p) { return writeFile(p, b); }; };
    k << Kind{u"empty"_s, bytes({}), u"the file is empty"_s};
    k << Kind{u"white space"_s, bytes("\n  \n"), u"only white space"_s};
    for (const qsizetype cut : {qsizetype(1), good.size() / 4, good.size() / 2, good.size() - 3})
        k << Kind{u"truncated at byte %1"_s.arg(cut), bytes(good.left(cut)),
                  u"truncated JSON: the file ends at byte %1"_s.arg(cut)};
    static constexpr char garbage[] = "\x7f\x45\x4c\x46\x02\x01\x00\xff\xfe junk"; // 14 bytes
    k << Kind{u"garbage bytes"_s, bytes(QByteArray(garbage, sizeof(garbage) - 1)), u"not JSON"_s};
    k << Kind{u"JSON but a list"_s, bytes("[1, 2, 3]"),
              u"not a journal entry: the file holds a list"_s};
    k << Kind{u"JSON without format"_s, bytes(R"({"table": "users"})"), u"has no \"format\""_s};
    k << Kind{u"another format"_s, bytes(R"({"format": "something-else"})"),
              u"not a journal entry: its format is \"something-else\""_s};
    k << Kind{u"newer version"_s, bytes(withField(good, "format", "\"structdesk-journal-9\"")),
              u"another version of StructDesk (format structdesk-journal-9"_s};
    k << Kind{u"missing table"_s, bytes(withField(good, "table", {})),
              u"missing field \"table\""_s};
    k << Kind{u"missing record"_s, bytes(withField(good, "record", {})),
              u"missing field \"record\""_s};
    k << Kind{u"table is a number"_s, bytes(withField(good, "table", "42")),
              u"field \"table\" must be text, not an integer number"_s};
    k << Kind{u"old key is a map"_s, bytes(withField(good, "oldKey", R"({"M": {}})")),
              u"field \"oldKey\" must be a string or number key"_s};
    k << Kind{u"new key not DynamoDB JSON"_s, bytes(withField(good, "newKey", R"("u2")")),
              u"field \"newKey\" is not a DynamoDB JSON value"_s};
    k << Kind{u"record is text"_s, bytes(withField(good, "record", R"("x")")),
              u"field \"record\" must be an object"_s};
    k << Kind{u"created is not a date"_s, bytes(withField(good, "created", R"("yesterday")")),
              u"field \"created\" is not a date and time"_s};
    k << Kind{u"a folder named .json"_s, [](const QString &p) { return QDir().mkpath(p); },
              u"a folder, not a journal entry file"_s};
    k << Kind{
        u"a named pipe"_s,
        [](const QString &p) { return ::mkfifo(QFile::encodeName(p).constData(), 0600) == 0; },
        u"not a regular file"_s};
    k << Kind{u"a broken link"_s, [](const QString &p) { return QFile::link(p + u".gone"_s, p); },
              u"does not exist"_s};
    k << Kind{u"a huge file"_s,
              [](const QString &p) {
                  QFile f(p); // sparse: 65 MiB of nothing, taking no disk
                  return f.open(QIODevice::WriteOnly) &&
                         f.resize(RecoveryJournal::kMaxEntryBytes + 1);
              },
              u"too large for a journal entry"_s};
    return k;
}

/// What identifies a file's state: its kind, size and content hash (for "never modified").
inline QByteArray fingerprint(const QString &path)
{
    const QFileInfo info(path);
    if (info.isSymLink())
        return "link:" + info.symLinkTarget().toUtf8();
    if (info.isDir())
        return "dir";
    if (!info.isFile())
        return info.exists() ? "other" : "missing";
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return "unreadable:" + QByteArray::number(info.size());
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex();
}

/// True when the tests run as root: file permissions do not stop root from reading.
inline bool runningAsRoot()
{
    return ::geteuid() == 0;
}

} // namespace CorruptJournal
