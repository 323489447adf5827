// Validation speed: Validator::isValidRecord over demo users records (docs/architecture.md: >=
// 1,000,000 records/s on the 2-core reference machine, Release build).

#include "model/core/value.h"
#include "model/schema/tablemodel.h"
#include "model/schema/validator.h"

#include <QElapsedTimer>
#include <QTest>

#include <algorithm>
#include <vector>

namespace {

constexpr int kRecords = 10000;

Value num(qint64 n)
{
    return Value::integer(n);
}

/// A varied, valid demo users record: the shapes the grid and the import meet most.
Value demoRecord(int i)
{
    const qint64 base = 1700000000 + i * 37;
    Value::Map r;
    r.insert(QStringLiteral("userId"),
             Value::string(QStringLiteral("user-%1").arg(i, 6, 10, QChar(u'0'))));
    r.insert(QStringLiteral("username"), Value::string(QStringLiteral("person%1").arg(i)));
    r.insert(QStringLiteral("email"), Value::string(QStringLiteral("person%1@example.com").arg(i)));
    switch (i % 3) {
    case 0:
        r.insert(QStringLiteral("age"), num(18 + i % 60));
        break;
    case 1:
        r.insert(QStringLiteral("age"),
                 Value::numberUnchecked(QStringLiteral("%1.5").arg(18 + i % 60)));
        break;
    default:
        r.insert(QStringLiteral("age"), Value::string(QStringLiteral("unknown")));
        break;
    }
    r.insert(QStringLiteral("active"), Value::boolean(i % 2 == 0));
    if (i % 4 != 0)
        r.insert(QStringLiteral("score"),
                 Value::numberUnchecked(QStringLiteral("%1.25").arg(i % 1000)));
    if (i % 5 == 0)
        r.insert(QStringLiteral("nextReminderTimestamp"), num(base + 86400));
    if (i % 7 == 0)
        r.insert(QStringLiteral("nextReminderTimestamp"), Value());

    Value::Map metadata;
    metadata.insert(QStringLiteral("accountCreationTimestamp"), num(base));
    if (i % 2)
        metadata.insert(QStringLiteral("lastConnectionTimestamp"), num(base + 3600));
    if (i % 3)
        metadata.insert(QStringLiteral("plan"),
                        Value::string(i % 2 ? QStringLiteral("free") : QStringLiteral("pro")));
    r.insert(QStringLiteral("metadata"), Value::map(metadata));

    Value::Map tokens;
    for (int t = 0; t < 1 + i % 2; ++t) {
        Value::Map token;
        token.insert(QStringLiteral("expirationTimestamp"), num(base + 1000 * (t + 1)));
        token.insert(QStringLiteral("scope"),
                     Value::string(t ? QStringLiteral("read") : QStringLiteral("write")));
        Value::Map device;
        device.insert(QStringLiteral("name"), Value::string(QStringLiteral("laptop")));
        if (t == 0)
            device.insert(QStringLiteral("os"), Value::string(QStringLiteral("linux")));
        token.insert(QStringLiteral("device"), Value::map(device));
        tokens.insert(QStringLiteral("tok%1").arg(i * 2 + t), Value::map(token));
    }
    r.insert(QStringLiteral("tokens"), Value::map(tokens));

    QStringList tags{QStringLiteral("demo"), QStringLiteral("group%1").arg(i % 10)};
    if (i % 3 == 0)
        tags << QStringLiteral("vip");
    r.insert(QStringLiteral("tags"), Value::stringSet(tags));
    if (i % 2)
        r.insert(QStringLiteral("luckyNumbers"),
                 Value::numberSet(
                     {QString::number(i % 7), QString::number(7 + i % 11), QStringLiteral("42")}));

    Value::List logs;
    logs << Value::string(QStringLiteral("signed up"));
    if (i % 2) {
        Value::Map entry;
        entry.insert(QStringLiteral("event"), Value::string(QStringLiteral("login")));
        entry.insert(QStringLiteral("at"), num(base + 60));
        logs << Value::map(entry);
    }
    r.insert(QStringLiteral("logs"), Value::list(logs));

    Value::Map settings;
    settings.insert(QStringLiteral("theme"),
                    Value::string(i % 2 ? QStringLiteral("dark") : QStringLiteral("light")));
    settings.insert(QStringLiteral("notifications"), Value::boolean(i % 3 == 0));
    r.insert(QStringLiteral("settings"), Value::map(settings));
    return Value::map(r);
}

/// Visits every value of a record without checking anything: the floor any walker pays for
/// reaching the values (memory latency, mostly, once the records no longer fit the caches).
int visitAll(const Value &v)
{
    int n = 1;
    if (v.isMap()) {
        const Value::Map &m = v.toMap();
        for (auto it = m.cbegin(); it != m.cend(); ++it)
            n += visitAll(it.value());
    } else if (v.isList()) {
        for (const Value &item : v.toList())
            n += visitAll(item);
    }
    return n;
}

/// Records per second of `passes` passes of `fn` over `records`.
template <typename Fn> double perSecond(const std::vector<Value> &records, int passes, Fn &&fn)
{
    QElapsedTimer timer;
    timer.start();
    for (int pass = 0; pass < passes; ++pass) {
        for (const Value &r : records)
            fn(r);
    }
    const qint64 ns = std::max<qint64>(timer.nsecsElapsed(), 1);
    return double(passes) * double(records.size()) * 1e9 / double(ns);
}

} // namespace

class BenchValidation : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void isValidRecord();
    void validateRecord();
    void recordsPerSecond();

private:
    TableModelPtr m_model;
    std::vector<Value> m_records;
};

void BenchValidation::initTestCase()
{
    auto model =
        TableModel::fromFile(QStringLiteral(STRUCTDESK_SOURCE_DIR "/tests/data/models/users.json"));
    QVERIFY2(model.ok(), qPrintable(model ? QString() : model.error().toString()));
    m_model = *model;
    m_records.reserve(kRecords);
    for (int i = 0; i < kRecords; ++i)
        m_records.push_back(demoRecord(i));
    // Measure the success path: every record must be valid.
    const Validator validator(*m_model);
    for (const Value &r : m_records) {
        const Problems problems = validator.validateRecord(r);
        for (const Problem &p : problems)
            QVERIFY2(!p.blocking, qPrintable(p.toString()));
        QVERIFY(validator.isValidRecord(r));
    }
}

void BenchValidation::isValidRecord()
{
    const Validator validator(*m_model);
    int valid = 0;
    QBENCHMARK
    {
        valid = 0;
        for (const Value &r : m_records)
            valid += validator.isValidRecord(r) ? 1 : 0;
    }
    QCOMPARE(valid, kRecords);
}

void BenchValidation::validateRecord()
{
    // The collecting walker (forms, import messages): reported for information only.
    const Validator validator(*m_model);
    qsizetype problems = 0;
    QBENCHMARK
    {
        problems = 0;
        for (const Value &r : m_records)
            problems += qsizetype(validator.validateRecord(r).size());
    }
    QVERIFY(problems >= 0);
}

void BenchValidation::recordsPerSecond()
{
    // QBENCHMARK reports time per iteration (10,000 records); whole passes give records/s.
    // QBENCHMARK calls its test function more than once, so the figure is printed here.
    const Validator validator(*m_model);
    int valid = 0;
    auto check = [&](const Value &r) { valid += validator.isValidRecord(r) ? 1 : 0; };
    perSecond(m_records, 3, check); // warm up
    constexpr int kPasses = 30;
    const double figure = perSecond(m_records, kPasses, check);
    QCOMPARE(valid, kRecords * (3 + kPasses));
    qInfo("validation: %.0f records/s (target >= 1000000)", figure);

    // Context for the figure, without targets: the same records visited without any check
    // (the cost of reaching 10,000 records that do not fit the caches), and the validator on
    // 100 records that stay in the caches (a record just parsed, as in an import).
    long long visited = 0;
    const double visitRate =
        perSecond(m_records, kPasses, [&](const Value &r) { visited += visitAll(r); });
    const std::vector<Value> hot(m_records.begin(), m_records.begin() + 100);
    const double cached = perSecond(hot, 3000, check);
    qInfo("visiting every value without checks: %.0f records/s (%lld values per record)", visitRate,
          visited / (qint64(kPasses) * kRecords));
    qInfo("validation of 100 cache-resident records: %.0f records/s", cached);
}

QTEST_APPLESS_MAIN(BenchValidation)
#include "bench_validation.moc"
