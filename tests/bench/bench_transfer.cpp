// Import and export speed on the embedded store (docs/architecture.md: import of JSON lines with
// validation >= 200,000 records/s, export >= 300,000 records/s, memory flat during both), with
// 200,000 demo users records (DemoData::userRecord, about 460 bytes of JSON each). Measure a
// Release build.

#include "model/json/fastjson.h"
#include "model/store/open/demodata.h"
#include "model/store/sqlite/sqlitestore.h"
#include "model/transfer/exporter.h"
#include "model/transfer/importer.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>

namespace {

constexpr qint64 kRecords = 200000;

/// Peak resident memory of the process (VmHWM) in MiB.
double peakRssMiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return -1;
}

/// Resets the peak (Linux: "5" to clear_refs), so a figure covers one operation.
void resetPeakRss()
{
    QFile refs(QStringLiteral("/proc/self/clear_refs"));
    if (refs.open(QIODevice::WriteOnly))
        refs.write("5");
}

/// CPU time of the process (user + system, every thread) in seconds.
double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/// Writes `count` valid demo records as JSON lines.
void writeDemoFile(const QString &path, qint64 count)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QByteArray buffer;
    qint64 written = 0;
    for (quint64 i = 0; written < count; ++i) {
        if (DemoData::isInvalidOnPurpose(i))
            continue;
        FastJson::appendPlain(buffer, DemoData::userRecord(i));
        buffer += '\n';
        ++written;
        if (buffer.size() > (1 << 20)) {
            file.write(buffer);
            buffer.clear();
        }
    }
    file.write(buffer);
}

} // namespace

class BenchTransfer : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void importJsonLines();
    void exportFormats();

private:
    /// Imports `file` into a new store; returns records/s.
    double importInto(const QString &storePath, const QString &file, qint64 expected);

    QTemporaryDir m_dir;
    QString m_small;
    QString m_large;
    QString m_storePath;
    double m_lastCpuPerRecord = 0;
};

void BenchTransfer::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_small = m_dir.filePath(QStringLiteral("users-50k.jsonl"));
    m_large = m_dir.filePath(QStringLiteral("users-200k.jsonl"));
    writeDemoFile(m_small, kRecords / 4);
    writeDemoFile(m_large, kRecords);
}

double BenchTransfer::importInto(const QString &storePath, const QString &file, qint64 expected)
{
    QFile::remove(storePath);
    QFile::remove(storePath + QStringLiteral("-wal"));
    QFile::remove(storePath + QStringLiteral("-shm"));
    auto store = SqliteStore::open(storePath, SqliteStore::OpenMode::CreateIfMissing);
    if (!store)
        qFatal("cannot open the store: %s", qPrintable(store.error().toString()));
    if (auto s = (*store)->createTable(QStringLiteral("users"), *DemoData::usersModel()); !s)
        qFatal("cannot create the table: %s", qPrintable(s.error().toString()));
    Importer importer(**store, QStringLiteral("users"));
    QElapsedTimer timer;
    timer.start();
    const double cpu = cpuSeconds();
    const ImportReport report = importer.run(file);
    const qint64 ns = std::max<qint64>(timer.nsecsElapsed(), 1);
    m_lastCpuPerRecord = (cpuSeconds() - cpu) * 1e6 / double(expected);
    if (report.outcome != ImportReport::Outcome::Imported || report.written != expected)
        qFatal("the import failed: %s %s", qPrintable(report.summary()),
               qPrintable(report.problemLines().join(QStringLiteral("\n"))));
    return double(expected) * 1e9 / double(ns);
}

void BenchTransfer::importJsonLines()
{
    const QString storePath = m_dir.filePath(QStringLiteral("bench.sqlite"));
    resetPeakRss();
    importInto(storePath, m_small, kRecords / 4);
    const double smallPeak = peakRssMiB();
    double perSecond = 0;
    resetPeakRss();
    QBENCHMARK
    {
        perSecond = importInto(storePath, m_large, kRecords);
    }
    const double largePeak = peakRssMiB();
    qInfo().noquote()
        << QStringLiteral("import: %1 records/s (target >= 200000)").arg(qint64(perSecond));
    qInfo().noquote()
        << QStringLiteral(
               "import CPU: %1 us per record (target: none; all threads, for information)")
               .arg(m_lastCpuPerRecord, 0, 'f', 2);
    qInfo().noquote()
        << QStringLiteral("import memory: %1 MiB (target: flat)").arg(largePeak, 0, 'f', 1);
    qInfo().noquote() << QStringLiteral("import memory, 50000 records: %1 MiB (target: flat)")
                             .arg(smallPeak, 0, 'f', 1);
    m_storePath = storePath;
}

void BenchTransfer::exportFormats()
{
    QVERIFY(!m_storePath.isEmpty());
    auto store = SqliteStore::open(m_storePath);
    QVERIFY(store.ok());
    Exporter exporter(**store, QStringLiteral("users"));
    const struct
    {
        TransferFormat format;
        const char *name;
    } formats[] = {{TransferFormat::JsonLines, "jsonl"},
                   {TransferFormat::DynamoDbJson, "dynamodb-json"},
                   {TransferFormat::Csv, "csv"}};
    for (const auto &f : formats) {
        ExportOptions options;
        options.format = f.format;
        const QString out = m_dir.filePath(QStringLiteral("export.%1").arg(QLatin1String(f.name)));
        resetPeakRss();
        double perSecond = 0;
        QElapsedTimer timer;
        timer.start();
        auto report = exporter.exportScan(ScanRequest{}, out, options);
        const qint64 ns = std::max<qint64>(timer.nsecsElapsed(), 1);
        QVERIFY2(report.ok(), qPrintable(report ? QString() : report.error().toString()));
        QCOMPARE(report->records, kRecords);
        perSecond = double(kRecords) * 1e9 / double(ns);
        if (f.format == TransferFormat::JsonLines) {
            qInfo().noquote()
                << QStringLiteral("export: %1 records/s (target >= 300000)").arg(qint64(perSecond));
            qInfo().noquote() << QStringLiteral("export memory: %1 MiB (target: flat)")
                                     .arg(peakRssMiB(), 0, 'f', 1);
        } else {
            qInfo().noquote() << QStringLiteral(
                                     "export %1: %2 records/s (target: none, for information)")
                                     .arg(QLatin1String(f.name))
                                     .arg(qint64(perSecond));
        }
    }
    QBENCHMARK
    {
        ExportOptions options;
        auto report = exporter.exportScan(ScanRequest{},
                                          m_dir.filePath(QStringLiteral("again.jsonl")), options);
        QVERIFY(report.ok());
    }
}

QTEST_GUILESS_MAIN(BenchTransfer)
#include "bench_transfer.moc"
