#include "model/transfer/importer.h"

#include "model/json/fastjson.h"
#include "model/json/jsoncodec.h"
#include "model/schema/validator.h"
#include "model/transfer/recordreader.h"

#include <QFileInfo>
#include <QHash>
#include <QSaveFile>
#include <QSet>
#include <QThread>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#if defined(Q_OS_LINUX)
#include <pthread.h>
#endif

namespace {

/// One record after the worker threads are done with it.
struct Prepared
{
    qint64 line = 0;
    bool ok = false;
    Value key;
    QString keyText; ///< canonical: equal keys have equal text
    QByteArray stored;
    std::vector<RecordReader::Problem> problems;
};

/// A chunk of the file on its way through the pipeline.
struct Work
{
    RecordReader::Chunk chunk;
    std::vector<Prepared> results;
    enum class State { Queued, Taken, Done };
    State state = State::Queued;
};

/// Worker threads that prepare chunks; the calling thread takes the results in file order
/// and, rather than wait idle for the oldest chunk, prepares queued chunks itself.
class Pipeline
{
public:
    Pipeline(int threads, std::function<void(Work &)> process) : m_process(std::move(process))
    {
        for (int i = 0; i < threads; ++i) {
            m_threads.emplace_back([this] {
#if defined(Q_OS_LINUX)
                pthread_setname_np(pthread_self(), "import-worker");
#endif
                loop();
            });
        }
    }
    ~Pipeline()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_all();
        for (std::thread &t : m_threads)
            t.join();
    }
    Pipeline(const Pipeline &) = delete;
    Pipeline &operator=(const Pipeline &) = delete;

    void submit(const std::shared_ptr<Work> &work)
    {
        {
            std::lock_guard lock(m_mutex);
            m_queue.push_back(work);
        }
        m_wake.notify_one();
    }

    void waitFor(Work &work)
    {
        std::unique_lock lock(m_mutex);
        while (work.state != Work::State::Done) {
            if (!m_queue.empty()) {
                std::shared_ptr<Work> next = takeLocked();
                lock.unlock();
                run(*next);
                lock.lock();
                continue;
            }
            m_done.wait(lock);
        }
    }

private:
    std::shared_ptr<Work> takeLocked()
    {
        std::shared_ptr<Work> w = std::move(m_queue.front());
        m_queue.pop_front();
        w->state = Work::State::Taken;
        return w;
    }

    void run(Work &work)
    {
        m_process(work);
        {
            std::lock_guard lock(m_mutex);
            work.state = Work::State::Done;
        }
        m_done.notify_all();
    }

    void loop()
    {
        for (;;) {
            std::shared_ptr<Work> work;
            {
                std::unique_lock lock(m_mutex);
                m_wake.wait(lock, [this] { return m_stop || !m_queue.empty(); });
                if (m_stop)
                    return;
                work = takeLocked();
            }
            run(*work);
        }
    }

    std::function<void(Work &)> m_process;
    std::vector<std::thread> m_threads;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_done;
    std::deque<std::shared_ptr<Work>> m_queue;
    bool m_stop = false;
};

QString keyText(const Value &key)
{
    return key.isNumber() ? canonicalNumber(key.text()) : key.text();
}

/// Shown in messages: strings in quotes, numbers as they are.
QString showKey(const Value &key)
{
    return key.isNumber() ? key.text() : u'"' + key.text() + u'"';
}

/// A failure of the whole pass (store error, cancel), carried out of runTransaction.
struct PassFailure
{
    enum class Kind { None, Cancelled, Refused, Store };
    Kind kind = Kind::None;
    Error error;
};

/// Where rejected records go (skip-invalid): the same format as the input, opened on the
/// first reject, committed only when the import is.
class RejectFile
{
public:
    RejectFile(QString path, TransferFormat format, QByteArray csvHeader)
        : m_file(std::move(path)), m_format(format), m_csvHeader(std::move(csvHeader))
    {
    }

    Status add(QByteArrayView text)
    {
        if (!m_open) {
            if (!m_file.open(QIODevice::WriteOnly))
                return makeError(
                    ErrorKind::Invalid,
                    QStringLiteral("cannot write the reject file: %1").arg(m_file.errorString()),
                    m_file.fileName());
            m_open = true;
            if (m_format == TransferFormat::Csv)
                write(m_csvHeader + "\n");
            else if (m_format == TransferFormat::JsonArray)
                write("[\n");
        } else if (m_format == TransferFormat::JsonArray) {
            write(",\n");
        }
        write(text);
        if (m_format != TransferFormat::JsonArray)
            write("\n");
        return okStatus();
    }

    bool isOpen() const { return m_open; }

    Status commit()
    {
        if (!m_open)
            return okStatus();
        if (m_format == TransferFormat::JsonArray)
            write("\n]\n");
        if (!m_file.commit())
            return makeError(
                ErrorKind::Invalid,
                QStringLiteral("cannot write the reject file: %1").arg(m_file.errorString()),
                m_file.fileName());
        return okStatus();
    }

    void discard()
    {
        if (m_open)
            m_file.cancelWriting();
        m_open = false;
    }

private:
    void write(QByteArrayView bytes) { m_file.write(bytes.data(), bytes.size()); }

    QSaveFile m_file;
    TransferFormat m_format;
    QByteArray m_csvHeader;
    bool m_open = false;
};

/// One run over the file.
///
/// Records go to the store in batches (RecordStore::writeBatch), in file order; the rejected
/// ones wait in the same queue, so problems and the reject file keep the file's order although
/// a batch's writes are known only once it is sent.
class ImportPass
{
public:
    ImportPass(RecordStore &store, const QString &table, const TableModel &model,
               const ImportOptions &options, ImportReport &report)
        : m_store(store), m_table(table), m_model(model), m_validator(model), m_options(options),
          m_report(report), m_atomic(store.capabilities().atomicAtAnySize()),
          m_batchSize(std::max(1, store.bulkBatchSize()))
    {
    }

    /// `write` false: validate only (stores without atomic imports check the whole file
    /// first, existing keys included).
    PassFailure run(RecordReader &reader, bool write, RejectFile *rejects)
    {
        m_write = write;
        m_rejects = rejects;
        m_failed = false;
        m_seen.clear();
        m_queue.clear();
        m_queuedRecords = 0;
        const int threads =
            m_options.threads > 0 ? m_options.threads : std::max(1, QThread::idealThreadCount());
        const bool dynamo = reader.format() == TransferFormat::DynamoDbJson;
        Pipeline pipeline(threads, [&](Work &work) { prepare(reader, dynamo, work); });
        std::deque<std::shared_ptr<Work>> inFlight;
        const std::size_t maxInFlight = std::size_t(threads) * 2 + 2;
        bool end = false;
        TransferProgress &progress = m_progress;
        progress = TransferProgress{};
        progress.bytesTotal = reader.bytesTotal();
        for (;;) {
            while (!end && inFlight.size() < maxInFlight) {
                auto work = std::make_shared<Work>();
                auto more = reader.readChunk(work->chunk);
                if (!more)
                    return PassFailure{PassFailure::Kind::Store, more.error()};
                if (!*more) {
                    end = true;
                    break;
                }
                pipeline.submit(work);
                inFlight.push_back(std::move(work));
            }
            if (inFlight.empty())
                break;
            std::shared_ptr<Work> work = std::move(inFlight.front());
            inFlight.pop_front();
            pipeline.waitFor(*work);
            for (std::size_t i = 0; i < work->results.size(); ++i) {
                if (cancelled())
                    return cancelledFailure();
                if (auto failure = take(work->results[i], work->chunk.text(work->chunk.records[i]));
                    failure.kind != PassFailure::Kind::None)
                    return failure;
            }
            progress.records = m_report.records;
            progress.written = m_report.written;
            progress.bytes = work->chunk.bytesDone;
            if (m_options.progress)
                m_options.progress(progress);
        }
        if (auto failure = flush(); failure.kind != PassFailure::Kind::None)
            return failure;

        if (m_failed && m_options.mode == ImportOptions::Mode::AllOrNothing)
            return PassFailure{PassFailure::Kind::Refused,
                               makeError(ErrorKind::Invalid,
                                         QStringLiteral("records failed; nothing was written"))};
        return {};
    }

private:
    /// A record of the file waiting for its batch: to be written (or checked), or rejected.
    struct Queued
    {
        qint64 line = 0;
        bool rejected = false;
        std::vector<RecordReader::Problem> problems; ///< rejected
        QByteArray text;                             ///< as in the file, for the reject file
        Value key;
        QByteArray stored;
    };

    bool cancelled() const { return m_options.cancelled && m_options.cancelled(); }
    static PassFailure cancelledFailure()
    {
        return PassFailure{
            PassFailure::Kind::Cancelled,
            makeError(ErrorKind::Unavailable, QStringLiteral("the import was cancelled"))};
    }

    void prepare(const RecordReader &reader, bool dynamo, Work &work)
    {
        const RecordReader::Chunk &chunk = work.chunk;
        work.results.resize(chunk.records.size());
        FastJson::TextLayout layout;
        QStringList changed;
        for (std::size_t i = 0; i < chunk.records.size(); ++i) {
            const RecordReader::Record &r = chunk.records[i];
            Prepared &out = work.results[i];
            out.line = r.line;
            if (!r.error.isEmpty()) {
                out.problems.push_back({r.line, {}, r.error});
                continue;
            }
            Value record;
            RecordReader::Problem problem;
            const QByteArrayView text = chunk.text(r);
            if (!reader.parse(text, r.line, record, problem, &layout)) {
                out.problems.push_back(std::move(problem));
                continue;
            }
            changed.clear();
            if (!dynamo)
                RecordReader::typeRecord(m_model, record, &changed);
            if (!m_validator.isValidRecord(record)) {
                for (const Problem &p : m_validator.validateRecord(record)) {
                    if (p.blocking)
                        out.problems.push_back({r.line, p.path, p.message});
                }
                if (!out.problems.empty())
                    continue;
            }
            // The validator checked the key's presence and type.
            const Value *key = record.find(m_model.hashKey());
            if (!key) {
                out.problems.push_back(
                    {r.line, m_model.hashKey(), QStringLiteral("the record has no key attribute")});
                continue;
            }
            // What the store cannot hold (DynamoDB's 400 KB) is refused before anything is
            // written, as the model's problems are.
            if (Status storable = m_store.checkStorable(record); !storable) {
                out.problems.push_back({r.line, {}, storable.error().message});
                continue;
            }
            out.key = *key;
            out.keyText = keyText(out.key);
            storedText(record, text, layout, changed, out.stored);
            out.ok = true;
        }
    }

    /// The record in stored JSON. Compact plain JSON already is, member for member: the text
    /// is kept, and only the members the model typed (sets, binary) are written out again.
    static void storedText(const Value &record, QByteArrayView text,
                           const FastJson::TextLayout &layout, const QStringList &changed,
                           QByteArray &out)
    {
        if (!layout.storedForm) {
            out.reserve(text.size() + 64);
            FastJson::appendStored(out, record);
            return;
        }
        if (changed.isEmpty()) {
            out = text.toByteArray();
            return;
        }
        out.reserve(text.size() + 16 * changed.size());
        qsizetype copied = 0;
        for (const FastJson::TextLayout::Member &m : layout.rootMembers) {
            if (!changed.contains(m.key))
                continue;
            out.append(text.sliced(copied, m.begin - copied));
            FastJson::appendStored(out, *record.find(m.key));
            copied = m.end;
        }
        out.append(text.sliced(copied));
    }

    void problem(RecordReader::Problem p)
    {
        ++m_report.problemCount;
        if (qsizetype(m_report.problems.size()) < m_options.maxProblems)
            m_report.problems.push_back(
                ImportProblem{p.line, std::move(p.path), std::move(p.message)});
    }

    /// A record that failed: its problems reported, its text to the reject file.
    Status reject(std::vector<RecordReader::Problem> problems, QByteArrayView text)
    {
        ++m_report.rejected;
        m_failed = true;
        for (auto &p : problems)
            problem(std::move(p));
        if (m_rejects && m_write)
            return m_rejects->add(text);
        return okStatus();
    }

    void queueRejected(qint64 line, std::vector<RecordReader::Problem> problems,
                       QByteArrayView text)
    {
        m_failed = true;
        Queued q;
        q.line = line;
        q.rejected = true;
        q.problems = std::move(problems);
        q.text = text.toByteArray();
        m_queue.push_back(std::move(q));
    }

    PassFailure take(Prepared &p, QByteArrayView text)
    {
        ++m_report.records;
        PassFailure failure;
        if (!p.ok) {
            queueRejected(p.line, std::move(p.problems), text);
        } else if (const auto first = m_seen.constFind(quint64(qHash(p.keyText, 0x5d1b3a7fu)));
                   first != m_seen.cend()) {
            queueRejected(
                p.line,
                {{p.line, m_model.hashKey(),
                  QStringLiteral("the key %1 appears twice in the file (first on line %2)")
                      .arg(showKey(p.key))
                      .arg(first.value())}},
                text);
        } else {
            m_seen.insert(quint64(qHash(p.keyText, 0x5d1b3a7fu)), p.line);
            const bool writing =
                m_write && !(m_failed && m_options.mode == ImportOptions::Mode::AllOrNothing);
            // Validation only: an existing key is still a failure in refuse mode.
            const bool checking = !m_write && m_options.existing == ImportOptions::Existing::Refuse;
            if (writing || checking) {
                Queued q;
                q.line = p.line;
                q.text = text.toByteArray();
                q.key = std::move(p.key);
                q.stored = std::move(p.stored);
                m_queue.push_back(std::move(q));
                ++m_queuedRecords;
            }
        }
        // Rejections wait with the records around them, within bounds.
        if (m_queuedRecords >= m_batchSize || m_queue.size() >= std::size_t(m_batchSize) * 8)
            failure = flush();
        return failure;
    }

    /// Sends the queued records (writes them, or checks their keys), then reports the queue in
    /// file order.
    PassFailure flush()
    {
        std::vector<Queued> queue = std::move(m_queue);
        m_queue.clear();
        m_queuedRecords = 0;
        std::vector<BulkRecord> records;
        for (const Queued &q : queue) {
            if (!q.rejected)
                records.push_back(BulkRecord{q.key, q.stored});
        }
        std::vector<BulkWriteResult> results;
        std::vector<bool> present;
        Status status = okStatus();
        if (!records.empty()) {
            if (m_write) {
                const BulkWriteMode mode = m_options.existing == ImportOptions::Existing::Replace
                                               ? BulkWriteMode::Replace
                                               : BulkWriteMode::Create;
                status = m_store.writeBatch(m_table, records, mode, results, m_options.cancelled);
                results.resize(records.size());
            } else {
                std::vector<Value> keys;
                keys.reserve(records.size());
                for (const BulkRecord &r : records)
                    keys.push_back(r.key);
                auto checked = m_store.keysPresent(m_table, keys, m_options.cancelled);
                if (!checked)
                    status = checked.error();
                else
                    present = std::move(*checked);
                present.resize(records.size(), false);
            }
        }
        // After a store failure the report still takes what was done before it.
        std::size_t next = 0;
        std::optional<ImportProblem> lateProblem; // a write refused after others were written
        for (Queued &q : queue) {
            Status added = okStatus();
            if (q.rejected) {
                added = reject(std::move(q.problems), q.text);
            } else if (!m_write) {
                if (present[next++])
                    added = reject({{q.line, m_model.hashKey(), existsMessage(q.key)}}, q.text);
            } else {
                const BulkWriteResult &r = results[next++];
                std::vector<RecordReader::Problem> refused;
                switch (r.state) {
                case BulkWriteResult::State::Written:
                case BulkWriteResult::State::Replaced:
                    ++m_report.written;
                    if (r.state == BulkWriteResult::State::Replaced)
                        ++m_report.replaced;
                    if (!m_atomic) {
                        m_report.writtenKeys.push_back(q.key);
                        if (r.state == BulkWriteResult::State::Replaced)
                            m_report.replacedKeys.push_back(q.key);
                    }
                    break;
                case BulkWriteResult::State::Exists:
                    if (m_options.existing == ImportOptions::Existing::Skip)
                        ++m_report.skippedExisting;
                    else
                        refused.push_back({q.line, m_model.hashKey(), existsMessage(q.key)});
                    break;
                case BulkWriteResult::State::Uncertain:
                    m_report.uncertainWrites.push_back(
                        ImportReport::UncertainWrite{q.key, q.stored, r.existed});
                    break;
                case BulkWriteResult::State::NotWritten:
                    if (!r.message.isEmpty())
                        refused.push_back({q.line, m_model.hashKey(),
                                           QStringLiteral("the store refused the record %1: %2")
                                               .arg(showKey(q.key), r.message)});
                    break;
                }
                if (!refused.empty()) {
                    if (!lateProblem && !m_atomic &&
                        m_options.mode == ImportOptions::Mode::AllOrNothing)
                        lateProblem = ImportProblem{refused.front().line, refused.front().path,
                                                    refused.front().message};
                    added = reject(std::move(refused), q.text);
                }
            }
            if (!added)
                return PassFailure{PassFailure::Kind::Store, added.error()};
        }
        // Writes to a remote store take a while: each batch shows (SQLite's are quick).
        if (m_write && !m_atomic && m_options.progress && m_report.written != m_progress.written) {
            m_progress.records = m_report.records;
            m_progress.written = m_report.written;
            m_options.progress(m_progress);
        }
        if (!status) {
            if (cancelled())
                return cancelledFailure();
            return PassFailure{PassFailure::Kind::Store, status.error()};
        }
        if (lateProblem) {
            // All-or-nothing where the import is not one transaction: the file was checked
            // first, yet a record was refused once others were written (a key taken meanwhile,
            // a record the store refuses). The writes so far stay listed.
            Error e = makeError(ErrorKind::Invalid,
                                QStringLiteral("a record was refused after the check, while "
                                               "others were being written: %1")
                                    .arg(lateProblem->toString(m_report.file)),
                                m_report.file + u':' + QString::number(lateProblem->line));
            return PassFailure{PassFailure::Kind::Store, std::move(e)};
        }
        return {};
    }

    QString existsMessage(const Value &key) const
    {
        return QStringLiteral(
                   "a record with the key %1 already exists in %2 (import with --existing "
                   "skip or replace to keep or overwrite it)")
            .arg(showKey(key), m_table);
    }

    RecordStore &m_store;
    const QString &m_table;
    const TableModel &m_model;
    const Validator m_validator;
    const ImportOptions &m_options;
    ImportReport &m_report;
    const bool m_atomic;
    const int m_batchSize;
    bool m_write = true;
    bool m_failed = false;
    RejectFile *m_rejects = nullptr;
    QHash<quint64, qint64> m_seen; ///< hash of each key met -> its first line
    std::vector<Queued> m_queue;
    int m_queuedRecords = 0;     ///< records in m_queue to write or check
    TransferProgress m_progress; ///< as last reported
};

/// The end of an import: its outcome from how the writing pass ended; the rejects file kept
/// or discarded; counts and keys kept only where they tell what was left written.
ImportReport finishImport(ImportReport &report, const PassFailure &failure, RejectFile *rejects,
                          bool atomic)
{
    switch (failure.kind) {
    case PassFailure::Kind::None:
        break;
    case PassFailure::Kind::Cancelled:
        report.outcome = ImportReport::Outcome::Cancelled;
        break;
    case PassFailure::Kind::Refused:
        report.outcome = ImportReport::Outcome::Refused;
        break;
    case PassFailure::Kind::Store:
        report.outcome = ImportReport::Outcome::Failed;
        report.error = failure.error;
        break;
    }
    if (failure.kind != PassFailure::Kind::None) {
        if (rejects)
            rejects->discard();
        report.rejectsFile.clear();
        if (atomic) {
            report.written = report.replaced = report.skippedExisting = 0;
        }
        return report;
    }
    if (rejects) {
        if (auto s = rejects->commit(); !s) {
            report.outcome = ImportReport::Outcome::PartlyImported;
            report.error = s.error();
        }
        if (!rejects->isOpen())
            report.rejectsFile.clear();
    }
    report.outcome = report.rejected > 0 ? ImportReport::Outcome::PartlyImported
                                         : ImportReport::Outcome::Imported;
    // The keys are kept for undoing what a failed or cancelled import left behind.
    report.writtenKeys = {};
    report.replacedKeys = {};
    return report;
}

/// A report as the import began: its file, table, format and rejects file alone (after the
/// check of the whole file, before it is written).
ImportReport freshReport(const ImportReport &report)
{
    ImportReport fresh;
    fresh.file = report.file;
    fresh.table = report.table;
    fresh.format = report.format;
    fresh.rejectsFile = report.rejectsFile;
    return fresh;
}

} // namespace

QString ImportProblem::toString(const QString &file) const
{
    QString out = file;
    if (line > 0)
        out += u':' + QString::number(line);
    out += QStringLiteral(": ");
    if (!path.isEmpty())
        out += path + QStringLiteral(": ");
    return out + message;
}

QStringList ImportReport::problemLines() const
{
    QStringList lines;
    for (const ImportProblem &p : problems)
        lines << p.toString(file);
    if (problemCount > qint64(problems.size()))
        lines << QStringLiteral("%1: ... and %2 more problems")
                     .arg(file)
                     .arg(problemCount - qint64(problems.size()));
    return lines;
}

QString ImportReport::summary() const
{
    auto count = [](qint64 n) {
        return n == 1 ? QStringLiteral("1 record") : QStringLiteral("%1 records").arg(n);
    };
    QStringList extra;
    if (replaced > 0)
        extra << QStringLiteral("%1 replaced").arg(replaced);
    if (skippedExisting > 0)
        extra << QStringLiteral("%1 skipped as existing").arg(skippedExisting);
    switch (outcome) {
    case Outcome::Imported:
    case Outcome::PartlyImported: {
        QString s = QStringLiteral("imported %1 into %2 from %3").arg(count(written), table, file);
        if (rejected > 0)
            extra << QStringLiteral("%1 rejected%2")
                         .arg(rejected)
                         .arg(rejectsFile.isEmpty() ? QString()
                                                    : QStringLiteral(", saved to ") + rejectsFile);
        if (!extra.isEmpty())
            s += QStringLiteral(" (") + extra.join(QStringLiteral(", ")) + u')';
        return s;
    }
    case Outcome::Refused:
        if (records == 0)
            return QStringLiteral("%1 cannot be imported; nothing was written to %2")
                .arg(file, table);
        return QStringLiteral(
                   "%1 of the %2 in %3 failed; nothing was written to %4 (all-or-nothing)")
            .arg(QString::number(rejected), count(records), file, table);
    case Outcome::Cancelled: {
        if (!leftWrites())
            return QStringLiteral("the import was cancelled; nothing was written to %1").arg(table);
        QString s = QStringLiteral("the import was cancelled after writing %1 to %2")
                        .arg(count(qint64(writtenKeys.size())), table);
        if (!uncertainWrites.empty())
            s += QStringLiteral(" (and %1 that may have been written)")
                     .arg(count(qint64(uncertainWrites.size())));
        return s + QStringLiteral(": their keys are listed to undo them");
    }
    case Outcome::Failed: {
        QString s = QStringLiteral("the import of %1 failed: %2")
                        .arg(file, error ? error->toString() : QString());
        if (!leftWrites())
            return s + QStringLiteral("; nothing was written to %1").arg(table);
        s += writtenKeys.size() == 1 ? QStringLiteral("; 1 record was written before the failure")
                                     : QStringLiteral("; %1 were written before the failure")
                                           .arg(count(qint64(writtenKeys.size())));
        if (!uncertainWrites.empty())
            s += QStringLiteral(" and %1 may have been (the connection was lost while they "
                                "were being written)")
                     .arg(QString::number(uncertainWrites.size()));
        return s + QStringLiteral(": their keys are listed to undo them");
    }
    }
    return {};
}

Importer::Importer(RecordStore &store, QString table) : m_store(store), m_table(std::move(table)) {}

QString Importer::defaultRejectsPath(const QString &input, TransferFormat format)
{
    const QFileInfo info(input);
    const QString suffix = info.suffix();
    const QString base = suffix.isEmpty() ? info.fileName() : info.completeBaseName();
    const QString extension = suffix.isEmpty() ? transferFormatExtension(format) : u'.' + suffix;
    const QString name = base + QStringLiteral(".rejects") + extension;
    // "users.jsonl" -> "users.rejects.jsonl", "data/users.jsonl" -> "data/users.rejects.jsonl"
    const qsizetype slash = input.lastIndexOf(u'/');
    return slash < 0 ? name : input.left(slash + 1) + name;
}

QString Importer::defaultWrittenKeysPath(const QString &input)
{
    const QFileInfo info(input);
    const QString base = info.suffix().isEmpty() ? info.fileName() : info.completeBaseName();
    const QString name = base + QStringLiteral(".written-keys.jsonl");
    const qsizetype slash = input.lastIndexOf(u'/');
    return slash < 0 ? name : input.left(slash + 1) + name;
}

Status Importer::saveWrittenKeys(const ImportReport &report, const QString &path)
{
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly))
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("cannot write the written-keys file %1: %2")
                             .arg(path, out.errorString()),
                         path);
    QSet<QString> replaced;
    for (const Value &k : report.replacedKeys)
        replaced.insert(keyText(k));
    QByteArray line;
    auto write = [&](const Value &key, const char *how) {
        line = "{\"key\":" + JsonCodec::toPlain(key) + ",\"written\":\"" + how + "\"}\n";
        out.write(line);
    };
    for (const Value &k : report.writtenKeys)
        write(k, replaced.contains(keyText(k)) ? "replaced" : "new");
    for (const ImportReport::UncertainWrite &u : report.uncertainWrites)
        write(u.key, "uncertain");
    if (!out.commit())
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("cannot write the written-keys file %1: %2")
                             .arg(path, out.errorString()),
                         path);
    return okStatus();
}

ImportReport Importer::run(const QString &path, const ImportOptions &options)
{
    ImportReport report;
    report.file = path;
    report.table = m_table;
    auto fail = [&](Error e) {
        report.outcome = ImportReport::Outcome::Failed;
        report.error = std::move(e);
        return report;
    };

    auto model = m_store.model(m_table);
    if (!model)
        return fail(model.error());
    if (m_store.capabilities().readOnly)
        return fail(makeError(ErrorKind::Backend,
                              QStringLiteral("the store %1 is read-only; nothing was written")
                                  .arg(m_store.location())));

    TransferFormat format = TransferFormat::JsonLines;
    if (options.format) {
        format = *options.format;
    } else {
        auto detected = detectTransferFormat(path);
        if (!detected)
            return fail(detected.error());
        format = *detected;
    }
    report.format = format;

    auto open = [&]() -> Result<std::unique_ptr<RecordReader>> {
        return RecordReader::open(path, format, *model);
    };
    auto reader = open();
    if (!reader) {
        const Error &e = reader.error();
        if (e.kind == ErrorKind::NotFound || !e.location.startsWith(path + u':'))
            return fail(e);
        // A CSV header that cannot be used: a problem of the file, on line 1.
        report.outcome = ImportReport::Outcome::Refused;
        report.problems.push_back(ImportProblem{1, {}, e.message});
        report.problemCount = 1;
        return report;
    }

    // SQLite: one transaction of any size, so the import is all or nothing by itself. DynamoDB
    // (whose transactions hold 100 writes) and stores without transactions: batches, after
    // checking the whole file when nothing may be written unless everything can be.
    const bool atomic = m_store.capabilities().atomicAtAnySize();
    const bool skipInvalid = options.mode == ImportOptions::Mode::SkipInvalid;
    std::unique_ptr<RejectFile> rejects;
    if (skipInvalid) {
        report.rejectsFile =
            options.rejectsPath.isEmpty() ? defaultRejectsPath(path, format) : options.rejectsPath;
        rejects = std::make_unique<RejectFile>(report.rejectsFile, format, (*reader)->csvHeader());
    }
    ImportPass pass(m_store, m_table, **model, options, report);

    auto finish = [&](const PassFailure &failure) {
        return finishImport(report, failure, rejects.get(), atomic);
    };

    if (!atomic && !skipInvalid) {
        // Nothing may be written before the whole file is known to be good.
        const PassFailure check = pass.run(**reader, false, nullptr);
        if (check.kind != PassFailure::Kind::None)
            return finish(check);
        report = freshReport(report);
        auto again = open();
        if (!again)
            return fail(again.error());
        reader = std::move(again);
    }

    PassFailure failure;
    if (!atomic)
        return finish(pass.run(**reader, true, rejects.get()));
    const Status status = m_store.runTransaction([&]() -> Status {
        failure = pass.run(**reader, true, rejects.get());
        if (failure.kind != PassFailure::Kind::None)
            return failure.error;
        return okStatus();
    });
    if (!status && failure.kind == PassFailure::Kind::None)
        failure = PassFailure{PassFailure::Kind::Store, status.error()}; // the commit failed
    return finish(failure);
}
