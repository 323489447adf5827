#include "model/store/open/demodata.h"

#include "model/store/sqlite/sqlitestore.h"

#include <QFile>

#include <array>

namespace DemoData {
namespace {

/// A small, fast, portable generator (splitmix64): the same numbers everywhere.
class Random
{
public:
    explicit Random(quint64 seed) : m_state(seed * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull) {}
    quint64 next()
    {
        quint64 z = (m_state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    int below(int n) { return int(next() % quint64(n)); }
    bool chance(int percent) { return below(100) < percent; }

private:
    quint64 m_state;
};

constexpr std::array kFirstNames = {"olivia",   "liam",   "emma",   "noah",  "amelia",  "oliver",
                                    "ava",      "elijah", "sophia", "lucas", "mia",     "mateo",
                                    "isabella", "levi",   "harper", "ethan", "luna",    "james",
                                    "chloe",    "hiro",   "aiko",   "priya", "arjun",   "fatima",
                                    "omar",     "zoë",    "björn",  "inès",  "nikolai", "mei"};
constexpr std::array kDomains = {"example.com", "mail.test", "inoft.dev", "corp.example",
                                 "post.example.org"};
constexpr std::array kTags = {"beta",   "admin",   "newsletter",    "premium",
                              "mobile", "desktop", "early-adopter", "support",
                              "eu",     "us",      "asia",          "trial"};
constexpr std::array kPlans = {"free", "pro", "team", "enterprise"};
constexpr std::array kScopes = {"read", "write", "admin", "read write"};
constexpr std::array kDevices = {"Pixel 8",     "iPhone 15",  "ThinkPad X1",
                                 "MacBook Air", "Galaxy S24", "Framework 13"};
constexpr std::array kSystems = {"android", "ios", "linux", "macos", "windows"};
constexpr std::array kEvents = {"signed in",        "changed password", "exported data",
                                "invited a friend", "upgraded plan",    "signed out"};

Value str(const char *s)
{
    return Value::string(QString::fromUtf8(s));
}

Value num(qint64 n)
{
    return Value::integer(n);
}

template <std::size_t N> const char *pick(Random &r, const std::array<const char *, N> &items)
{
    return items[std::size_t(r.below(int(N)))];
}

} // namespace

QByteArray usersModelJson()
{
    QFile file(QStringLiteral(":/demo/users.model.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

TableModelPtr usersModel()
{
    static const TableModelPtr model = [] {
        auto parsed = TableModel::fromJson(usersModelJson(), QStringLiteral("users.model.json"));
        Q_ASSERT(parsed);
        return parsed ? *parsed : TableModelPtr();
    }();
    return model;
}

bool isInvalidOnPurpose(quint64 index)
{
    return index % 997 == 500 || index % 1499 == 700;
}

Value userRecord(quint64 index)
{
    Random r(index + 1);
    const QString first = QString::fromUtf8(pick(r, kFirstNames));
    const QString username = first + QString::number(index % 9973);
    const qint64 created = 1'500'000'000 + qint64(r.next() % 200'000'000);
    Value::Map m;
    m.insert(QStringLiteral("userId"),
             Value::string(QStringLiteral("user-%1").arg(index, 7, 10, QLatin1Char('0'))));
    m.insert(QStringLiteral("username"), Value::string(username));
    if (r.chance(85))
        m.insert(QStringLiteral("email"),
                 Value::string(username + u'@' + QString::fromUtf8(pick(r, kDomains))));
    // age accepts int, float or str, as in StructNoSQL's docs.
    const int ageKind = r.below(20);
    if (ageKind < 16)
        m.insert(QStringLiteral("age"), num(16 + r.below(70)));
    else if (ageKind < 19)
        m.insert(QStringLiteral("age"),
                 Value::numberUnchecked(QStringLiteral("%1.5").arg(16 + r.below(70))));
    else
        m.insert(QStringLiteral("age"), str("unknown"));
    m.insert(QStringLiteral("active"), Value::boolean(r.chance(70)));
    if (r.chance(60))
        m.insert(QStringLiteral("score"),
                 Value::numberUnchecked(QStringLiteral("%1.%2")
                                            .arg(r.below(1000))
                                            .arg(r.below(100), 2, 10, QLatin1Char('0'))));
    if (r.chance(10)) {
        QByteArray avatar(12, '\0');
        for (char &c : avatar)
            c = char(r.below(256));
        m.insert(QStringLiteral("avatar"), Value::binary(avatar));
    }
    if (r.chance(40))
        m.insert(QStringLiteral("nextReminderTimestamp"),
                 num(1'700'000'000 + qint64(r.next() % 50'000'000)));

    Value::Map metadata;
    metadata.insert(QStringLiteral("accountCreationTimestamp"), num(created));
    if (r.chance(80))
        metadata.insert(QStringLiteral("lastConnectionTimestamp"),
                        num(created + qint64(r.next() % 90'000'000)));
    metadata.insert(QStringLiteral("plan"), str(pick(r, kPlans)));
    m.insert(QStringLiteral("metadata"), Value::map(metadata));

    const int tokenCount = r.below(4);
    if (tokenCount > 0) {
        Value::Map tokens;
        for (int t = 0; t < tokenCount; ++t) {
            Value::Map token;
            token.insert(QStringLiteral("expirationTimestamp"),
                         num(1'750'000'000 + qint64(r.next() % 90'000'000)));
            token.insert(QStringLiteral("scope"), str(pick(r, kScopes)));
            if (r.chance(50))
                token.insert(QStringLiteral("device"),
                             Value::map({{QStringLiteral("name"), str(pick(r, kDevices))},
                                         {QStringLiteral("os"), str(pick(r, kSystems))}}));
            tokens.insert(
                QStringLiteral("tok-%1").arg(r.next() % 1'000'000, 6, 16, QLatin1Char('0')),
                Value::map(token));
        }
        m.insert(QStringLiteral("tokens"), Value::map(tokens));
    }
    QStringList tags;
    for (int t = r.below(4); t > 0; --t) {
        const QString tag = QString::fromUtf8(pick(r, kTags));
        if (!tags.contains(tag))
            tags << tag;
    }
    if (!tags.isEmpty())
        m.insert(QStringLiteral("tags"), Value::stringSet(tags));
    if (r.chance(30)) {
        QStringList lucky;
        for (int t = 1 + r.below(3); t > 0; --t) {
            const QString n = QString::number(r.below(100));
            if (!lucky.contains(n))
                lucky << n;
        }
        m.insert(QStringLiteral("luckyNumbers"), Value::numberSet(lucky));
    }
    if (r.chance(50)) {
        Value::List logs;
        for (int t = 1 + r.below(3); t > 0; --t) {
            if (r.chance(50))
                logs.append(str(pick(r, kEvents)));
            else
                logs.append(Value::map(
                    {{QStringLiteral("event"), str(pick(r, kEvents))},
                     {QStringLiteral("at"), num(created + qint64(r.next() % 1'000'000))}}));
        }
        m.insert(QStringLiteral("logs"), Value::list(logs));
    }
    if (r.chance(50))
        m.insert(QStringLiteral("settings"),
                 Value::map({{QStringLiteral("theme"), str(r.chance(50) ? "dark" : "light")},
                             {QStringLiteral("notifications"), Value::boolean(r.chance(60))},
                             {QStringLiteral("fontScale"),
                              Value::numberUnchecked(QStringLiteral("1.25"))}}));
    if (r.chance(8)) {
        Value child = Value::map({{QStringLiteral("value"), num(r.below(10))}});
        Value parent = Value::map(
            {{QStringLiteral("value"), str("volume")},
             {QStringLiteral("children"), Value::map({{QStringLiteral("left"), child}})}});
        m.insert(QStringLiteral("parameters"), Value::map({{QStringLiteral("audio"), parent}}));
    }

    // A few records break the model, as records made by update_field on a missing key do.
    if (index % 997 == 500) {
        m.remove(QStringLiteral("username"));
        m.remove(QStringLiteral("age"));
    } else if (index % 1499 == 700) {
        m.insert(QStringLiteral("age"), Value::boolean(true));
        m.insert(QStringLiteral("metadata"), Value::map({{QStringLiteral("plan"), str("pro")}}));
    }
    return Value::map(std::move(m));
}

Status populate(RecordStore &store, quint64 count, const std::function<void(quint64)> &progress)
{
    const TableModelPtr model = usersModel();
    if (!model)
        return makeError(ErrorKind::Backend,
                         QStringLiteral("the demo model is missing from the resources"));
    if (auto s = store.createTable(QStringLiteral("users"), *model); !s)
        return s;
    auto fill = [&]() -> Status {
        for (quint64 i = 0; i < count; ++i) {
            // Raw writes: the invalid-on-purpose records must get in as they are.
            if (auto s = store.writeRaw(QStringLiteral("users"), userRecord(i), true); !s)
                return s;
            if (progress && (i + 1) % 10000 == 0)
                progress(i + 1);
        }
        return okStatus();
    };
    // One transaction where it holds any number of writes (SQLite: fast and all or nothing);
    // DynamoDB's hold 100.
    if (!store.capabilities().atomicAtAnySize())
        return fill();
    return store.runTransaction(fill);
}

Status createDemoStore(const QString &path, quint64 count)
{
    auto store = SqliteStore::open(path, SqliteStore::OpenMode::CreateIfMissing);
    if (!store)
        return store.error();
    return populate(**store, count);
}

} // namespace DemoData
