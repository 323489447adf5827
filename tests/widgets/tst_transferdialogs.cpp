// The import and export dialogs offscreen on a real SQLite store: imports that succeed, are
// refused (all-or-nothing), write some and reject others (skip-invalid), meet existing keys,
// are cancelled in the middle of a big file, closed or destroyed while running, and fail on a
// store without transactions (the keys left written are listed and undone); exports of the
// selection, the filter and the whole table in several formats, read back by importing them
// into a new table; a cancelled export leaves no file. Screenshots of each dialog after a run
// go to /tmp/h12-*.png.

#include "model/json/jsoncodec.h"
#include "model/store/open/demodata.h"
#include "model/store/open/storerunner.h"
#include "model/transfer/importer.h"
#include "tests/common/demostores.h"
#include "tests/common/namedchild.h"
#include "tests/common/recordingnotifier.h"
#include "widgets/common/messagebar.h"
#include "widgets/common/notifier.h"
#include "widgets/transfer/exportdialog.h"
#include "widgets/transfer/importdialog.h"

#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QGroupBox>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(ExportDialog::Scope)
Q_DECLARE_METATYPE(TransferFormat)
Q_DECLARE_METATYPE(ImportOptions::Existing)

namespace {

/// A store without transactions around a real one, whose writes can be made to fail and whose
/// scans can be slowed down.
class WrappedStore final : public RecordStore
{
public:
    explicit WrappedStore(RecordStore &inner) : m_inner(inner) {}
    std::atomic<int> failWritesAfter{-1}; ///< -1: never
    std::atomic<int> writes{0};           ///< successful ones
    std::atomic<int> scanDelayMs{0};

    QString location() const override { return m_inner.location(); }
    StoreCapabilities capabilities() const override
    {
        StoreCapabilities c = m_inner.capabilities();
        c.transactions = false;
        return c;
    }
    Result<QStringList> listTables() override { return m_inner.listTables(); }
    Result<TableInfo> describeTable(const QString &t) override { return m_inner.describeTable(t); }
    Status createTable(const QString &t, const TableModel &m) override
    {
        return m_inner.createTable(t, m);
    }
    Status dropTable(const QString &t) override { return m_inner.dropTable(t); }
    Status setModel(const QString &t, const TableModel &m) override
    {
        return m_inner.setModel(t, m);
    }
    Result<ScanPage> scan(const QString &t, const ScanRequest &r) override
    {
        if (scanDelayMs > 0)
            QThread::msleep(ulong(scanDelayMs.load()));
        return m_inner.scan(t, r);
    }
    Result<qint64> count(const QString &t, const ScanRequest &r = {}) override
    {
        return m_inner.count(t, r);
    }
    Status writeRaw(const QString &t, const Value &record, bool mustNotExist) override
    {
        if (failWritesAfter >= 0 && writes >= failWritesAfter)
            return makeError(ErrorKind::Unavailable, u"injected: the store went away"_s);
        Status written = m_inner.writeRaw(t, record, mustNotExist);
        if (written)
            ++writes;
        return written;
    }

protected:
    Result<TableModelPtr> loadModel(const QString &t) override { return m_inner.model(t); }
    Status doPut(const QString &t, const Value &, const Value &record) override
    {
        return m_inner.putRecord(t, record);
    }
    Status doReplace(const QString &t, const Value &, const Value &e, const Value &r) override
    {
        return m_inner.replaceRecord(t, e, r);
    }
    Result<std::optional<Value>> doGet(const QString &t, const Value &key) override
    {
        return m_inner.getRecord(t, key);
    }
    Result<std::optional<Value>> doRemove(const QString &t, const Value &key) override
    {
        return m_inner.removeRecord(t, key);
    }
    Result<std::vector<std::optional<Value>>> doUpdate(const QString &, const Value &,
                                                       const std::vector<ResolvedSetter> &) override
    {
        return makeError(ErrorKind::Backend, u"not used"_s);
    }
    Result<std::optional<Value>> doRemoveField(const QString &, const Value &,
                                               const ResolvedPath &) override
    {
        return makeError(ErrorKind::Backend, u"not used"_s);
    }

private:
    RecordStore &m_inner;
};

QByteArray newLine(const QString &id, const QString &username = u"Imported"_s)
{
    return "{\"userId\":\"" + id.toUtf8() + "\",\"username\":\"" + username.toUtf8() +
           "\",\"age\":30,\"metadata\":{\"accountCreationTimestamp\":1700000000}}\n";
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void screenshot(QWidget *w, const QString &name)
{
    const QString path = u"/tmp/h12-%1.png"_s.arg(name);
    if (w->grab().save(path))
        qInfo("screenshot: %s", qPrintable(path));
}

} // namespace

class TstTransferDialogs : public QObject
{
    Q_OBJECT

private:
    DemoStores m_stores;
    std::unique_ptr<WrappedStore> m_wrapped; ///< made and used on the store thread
    RecordingNotifier m_notifier;

    QString path(const QString &name) const
    {
        return m_stores.filePath(u"%1-%2"_s.arg(m_stores.serial()).arg(name));
    }

    StoreInterposer wrapper()
    {
        return [this](RecordStore &store) -> RecordStore & {
            if (!m_wrapped)
                m_wrapped = std::make_unique<WrappedStore>(store);
            return *m_wrapped;
        };
    }

    /// Every record of a table, by key.
    QMap<QString, Value> records(const QString &table, const ScanRequest &filter = {})
    {
        auto result = m_stores.runner()
                          ->run([table, filter](RecordStore &s) -> Result<QMap<QString, Value>> {
                              QMap<QString, Value> out;
                              ScanRequest request = filter;
                              request.limit = 1000;
                              do {
                                  auto page = s.scan(table, request);
                                  if (!page)
                                      return page.error();
                                  for (const Value &r : page->records)
                                      out.insert(r.find(u"userId"_s)->text(), r);
                                  request.cursor = page->nextCursor;
                              } while (!request.cursor.isEmpty());
                              return out;
                          })
                          .result();
        if (!result)
            qFatal("scan failed: %s", qPrintable(result.error().toString()));
        return *result;
    }
    static QString message(QWidget *w) { return child<MessageBar>(w, u"importMessages"_s)->text(); }
    static QStringList problemItems(QWidget *w)
    {
        auto *list = child<QListWidget>(w, u"problemList"_s);
        QStringList out;
        for (int i = 0; i < list->count(); ++i)
            out << list->item(i)->text();
        return out;
    }
    /// Runs the import with the Import button and waits for its end.
    static bool runImport(ImportDialog &d, int timeout = 20000)
    {
        QSignalSpy finished(&d, &ImportDialog::importFinished);
        QTest::mouseClick(child<QPushButton>(&d, u"importButton"_s), Qt::LeftButton);
        return finished.wait(timeout) || finished.count() == 1;
    }
    static bool runExport(ExportDialog &d, int timeout = 20000)
    {
        QSignalSpy finished(&d, &ExportDialog::exportFinished);
        QTest::mouseClick(child<QPushButton>(&d, u"exportButton"_s), Qt::LeftButton);
        return finished.wait(timeout) || finished.count() == 1;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_stores.isValid());
        Notifier::setInstance(&m_notifier);
    }
    void cleanupTestCase() { Notifier::setInstance(nullptr); }

    void init()
    {
        m_stores.open(40);
        m_notifier.answer = true;
        m_notifier.questions.clear();
    }

    void cleanup()
    {
        m_stores.close(); // joins the store thread: m_wrapped is no longer used
        m_wrapped.reset();
    }

    void importValidJsonLines()
    {
        const QString file = path(u"new.jsonl"_s);
        QByteArray text;
        for (int i = 0; i < 5; ++i)
            text += newLine(u"imp-%1"_s.arg(i));
        QVERIFY(writeFile(file, text));

        ImportDialog d(m_stores.runner(), u"users"_s, file, true);
        QSignalSpy changed(&d, &ImportDialog::tableChanged);
        d.show();
        QCOMPARE(child<QLineEdit>(&d, u"importFileEdit"_s)->text(), file);
        QCOMPARE(child<QComboBox>(&d, u"importFormatCombo"_s)->currentText(),
                 u"Detect from file: JSON lines"_s);
        QVERIFY(child<QRadioButton>(&d, u"allOrNothingMode"_s)->isChecked());
        QVERIFY(!child<QLineEdit>(&d, u"rejectsFileEdit"_s)->isEnabled());
        QVERIFY(!child<QLabel>(&d, u"transactionNote"_s)->isVisible());
        QVERIFY(runImport(d));

        QVERIFY(d.report());
        QCOMPARE(int(d.report()->outcome), int(ImportReport::Outcome::Imported));
        QCOMPARE(d.report()->written, 5);
        const auto all = records(u"users"_s);
        QCOMPARE(all.size(), 45);
        for (int i = 0; i < 5; ++i)
            QVERIFY(all.contains(u"imp-%1"_s.arg(i)));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).toString(), u"users"_s);
        QVERIFY2(message(&d).startsWith(u"Imported 5 records into users from "_s),
                 qPrintable(message(&d)));
        QCOMPARE(child<MessageBar>(&d, u"importMessages"_s)->kind(), MessageBar::Kind::Information);
        QVERIFY(!child<QGroupBox>(&d, u"problemBox"_s)->isVisible());
        QVERIFY(!child<QProgressBar>(&d, u"importProgress"_s)->isVisible());
        QCOMPARE(child<QLabel>(&d, u"importStatus"_s)->text(),
                 u"JSON lines: 5 records read, 5 written."_s);
        QCOMPARE(child<QPushButton>(&d, u"cancelButton"_s)->text(), u"Close"_s);
        screenshot(&d, u"import-ok"_s);

        // Close (the former Cancel) closes the idle dialog.
        QTest::mouseClick(child<QPushButton>(&d, u"cancelButton"_s), Qt::LeftButton);
        QVERIFY(!d.isVisible());
    }

    void allOrNothingRefusesABadFile()
    {
        const QString file = path(u"bad.jsonl"_s);
        QVERIFY(writeFile(
            file,
            newLine(u"ok-1"_s) +
                R"({"userId":"bad-2","username":"x","age":[1]})"
                "\n" +
                newLine(u"ok-3"_s) + "{\"userId\": \"broken\n" +
                R"({"userId":"bad-5","username":"x","age":1,"metadata":{"accountCreationTimestamp":"soon"}})"
                "\n"));
        const auto before = records(u"users"_s);

        ImportDialog d(m_stores.runner(), u"users"_s, QString(), true);
        QSignalSpy changed(&d, &ImportDialog::tableChanged);
        d.show();
        // Import without a file: said in place, nothing runs.
        QTest::mouseClick(child<QPushButton>(&d, u"importButton"_s), Qt::LeftButton);
        QVERIFY(!d.isRunning());
        QCOMPARE(message(&d), u"Choose the file to import."_s);

        d.setFile(file);
        QVERIFY(runImport(d));
        QCOMPARE(int(d.report()->outcome), int(ImportReport::Outcome::Refused));
        QCOMPARE(records(u"users"_s), before);
        QCOMPARE(changed.count(), 0);
        QVERIFY2(message(&d).contains(u"nothing was written to users"_s), qPrintable(message(&d)));
        QCOMPARE(child<MessageBar>(&d, u"importMessages"_s)->kind(), MessageBar::Kind::Error);

        const QStringList problems = problemItems(&d);
        QCOMPARE(problems.size(), 3);
        QVERIFY2(problems[0].startsWith(u"%1-bad.jsonl:2: age: "_s.arg(m_stores.serial())),
                 qPrintable(problems[0]));
        QVERIFY2(problems[1].startsWith(u"%1-bad.jsonl:4: "_s.arg(m_stores.serial())),
                 qPrintable(problems[1]));
        QVERIFY2(
            problems[2].startsWith(
                u"%1-bad.jsonl:5: metadata.accountCreationTimestamp: "_s.arg(m_stores.serial())),
            qPrintable(problems[2]));
        QVERIFY(child<QGroupBox>(&d, u"problemBox"_s)->isVisible());
        QCOMPARE(child<QGroupBox>(&d, u"problemBox"_s)->title(), u"3 problems"_s);
        screenshot(&d, u"import-refused"_s);

        // Copy: the selected lines, else all of them.
        auto *list = child<QListWidget>(&d, u"problemList"_s);
        list->setFocus();
        QTest::keySequence(list, QKeySequence::Copy);
        QCOMPARE(QGuiApplication::clipboard()->text(), problems.join(u'\n'));
        list->item(1)->setSelected(true);
        QTest::keySequence(list, QKeySequence::Copy);
        QCOMPARE(QGuiApplication::clipboard()->text(), problems[1]);

        // The saved report has the summary and every problem with the file's full path.
        const QString reportFile = path(u"report.txt"_s);
        d.setReportFileName(reportFile);
        auto *save = child<QPushButton>(&d, u"saveReportButton"_s);
        QVERIFY(save->isEnabled());
        QTest::mouseClick(save, Qt::LeftButton);
        const QString saved = QString::fromUtf8(readFile(reportFile));
        QVERIFY2(saved.contains(file + u":2: age: "_s), qPrintable(saved));
        QVERIFY(saved.contains(file + u":5: metadata.accountCreationTimestamp: "_s));
        QVERIFY(saved.startsWith(u"3 of the 5 records in "_s));
        QVERIFY(message(&d).contains(u"The report was saved to"_s));
    }

    void skipInvalidWritesTheRestAndSavesRejects()
    {
        const QString file = path(u"mixed.jsonl"_s);
        const QByteArray bad = R"({"userId":"bad-2","username":"x","age":[1]})";
        QVERIFY(writeFile(file, newLine(u"ok-1"_s) + bad + "\n" + newLine(u"ok-3"_s)));
        const QString rejects = path(u"rejected.jsonl"_s);

        ImportDialog d(m_stores.runner(), u"users"_s, file, true);
        QSignalSpy changed(&d, &ImportDialog::tableChanged);
        d.show();
        QTest::mouseClick(child<QRadioButton>(&d, u"skipInvalidMode"_s), Qt::LeftButton);
        auto *rejectsEdit = child<QLineEdit>(&d, u"rejectsFileEdit"_s);
        QVERIFY(rejectsEdit->isEnabled());
        QCOMPARE(rejectsEdit->placeholderText(),
                 u"next to the file: %1-mixed.rejects.jsonl"_s.arg(m_stores.serial()));
        QTest::keyClicks(rejectsEdit, rejects);
        QVERIFY(runImport(d));

        QCOMPARE(int(d.report()->outcome), int(ImportReport::Outcome::PartlyImported));
        QCOMPARE(d.report()->written, 2);
        QCOMPARE(d.report()->rejected, 1);
        QVERIFY(m_stores.user(u"ok-1"_s));
        QVERIFY(m_stores.user(u"ok-3"_s));
        QVERIFY(!m_stores.user(u"bad-2"_s));
        QCOMPARE(readFile(rejects).trimmed(), bad);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(child<MessageBar>(&d, u"importMessages"_s)->kind(), MessageBar::Kind::Warning);
        QVERIFY2(message(&d).contains(u"1 rejected, saved to "_s + rejects),
                 qPrintable(message(&d)));
        QCOMPARE(child<QLabel>(&d, u"importStatus"_s)->text(),
                 u"JSON lines: 3 records read, 2 written, 1 rejected."_s);
        QCOMPARE(problemItems(&d).size(), 1);
        screenshot(&d, u"import-skip-invalid"_s);
    }

    void existingKeys_data()
    {
        QTest::addColumn<ImportOptions::Existing>("existing");
        QTest::addColumn<int>("outcome");
        QTest::addColumn<QString>("username"); // user-0000001's afterwards
        QTest::addColumn<bool>("newWritten");
        QTest::newRow("refuse") << ImportOptions::Existing::Refuse
                                << int(ImportReport::Outcome::Refused) << QString() << false;
        QTest::newRow("skip") << ImportOptions::Existing::Skip
                              << int(ImportReport::Outcome::Imported) << QString() << true;
        QTest::newRow("replace") << ImportOptions::Existing::Replace
                                 << int(ImportReport::Outcome::Imported) << u"Replaced"_s << true;
    }

    void existingKeys()
    {
        QFETCH(ImportOptions::Existing, existing);
        QFETCH(int, outcome);
        QFETCH(QString, username);
        QFETCH(bool, newWritten);
        const QString original = m_stores.user(u"user-0000001"_s)->find(u"username"_s)->text();
        if (username.isEmpty())
            username = original;
        const QString file = path(u"existing.jsonl"_s);
        QVERIFY(writeFile(file, newLine(u"user-0000001"_s, u"Replaced"_s) + newLine(u"fresh"_s)));

        ImportDialog d(m_stores.runner(), u"users"_s, file, true);
        QSignalSpy changed(&d, &ImportDialog::tableChanged);
        d.show();
        auto *combo = child<QComboBox>(&d, u"existingCombo"_s);
        QCOMPARE(combo->currentData().toInt(), int(ImportOptions::Existing::Refuse));
        combo->setCurrentIndex(combo->findData(int(existing)));
        QVERIFY(runImport(d));
        QCOMPARE(int(d.report()->outcome), outcome);
        QCOMPARE(m_stores.user(u"user-0000001"_s)->find(u"username"_s)->text(), username);
        QCOMPARE(m_stores.user(u"fresh"_s).has_value(), newWritten);
        QCOMPARE(changed.count(), newWritten ? 1 : 0);
        if (existing == ImportOptions::Existing::Refuse) {
            QVERIFY(problemItems(&d).value(0).startsWith(
                u"%1-existing.jsonl:1: "_s.arg(m_stores.serial())));
        } else if (existing == ImportOptions::Existing::Skip) {
            QVERIFY2(message(&d).contains(u"1 skipped as existing"_s), qPrintable(message(&d)));
        } else {
            QVERIFY2(message(&d).contains(u"1 replaced"_s), qPrintable(message(&d)));
        }
    }

    void cancelABigImport()
    {
        const QString file = path(u"big.jsonl"_s);
        {
            QByteArray text;
            text.reserve(200000 * 100);
            for (int i = 0; i < 200000; ++i)
                text += newLine(u"big-%1"_s.arg(i, 7, 10, QLatin1Char('0')));
            QVERIFY(writeFile(file, text));
        }
        ImportDialog d(m_stores.runner(), u"users"_s, file, true);
        QSignalSpy changed(&d, &ImportDialog::tableChanged);
        QSignalSpy finished(&d, &ImportDialog::importFinished);
        d.show();
        auto *progress = child<QProgressBar>(&d, u"importProgress"_s);
        auto *cancel = child<QPushButton>(&d, u"cancelButton"_s);
        QTest::mouseClick(child<QPushButton>(&d, u"importButton"_s), Qt::LeftButton);
        QVERIFY(d.isRunning());
        QVERIFY(progress->isVisible());
        QVERIFY(!child<QLineEdit>(&d, u"importFileEdit"_s)->isEnabled());
        QVERIFY(!child<QPushButton>(&d, u"importButton"_s)->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(progress->value() > 0 || !d.isRunning(), 30000);
        QVERIFY2(d.isRunning(), "the import ended before its progress showed");
        QVERIFY(child<QLabel>(&d, u"importStatus"_s)->text().contains(u" read · "_s));
        screenshot(&d, u"import-running"_s);
        QTest::mouseClick(cancel, Qt::LeftButton);
        QCOMPARE(cancel->text(), u"Cancelling…"_s);
        QVERIFY(!cancel->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QCOMPARE(int(d.report()->outcome), int(ImportReport::Outcome::Cancelled));
        QCOMPARE(records(u"users"_s).size(), 40);
        QCOMPARE(changed.count(), 0);
        QVERIFY2(message(&d).contains(u"nothing was written to users"_s), qPrintable(message(&d)));
        QVERIFY(d.isVisible()); // Cancel of a run keeps the dialog, to show what happened

        // Esc while running cancels, then closes once the import has stopped.
        QTest::mouseClick(child<QPushButton>(&d, u"importButton"_s), Qt::LeftButton);
        QVERIFY(d.isRunning());
        QTest::keyClick(&d, Qt::Key_Escape);
        QVERIFY(d.isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 60000);
        QTRY_VERIFY(!d.isVisible());
        QCOMPARE(int(d.report()->outcome), int(ImportReport::Outcome::Cancelled));
        QCOMPARE(records(u"users"_s).size(), 40);

        // Destroyed while running: the import stops and nothing touches the dead dialog.
        auto *gone = new ImportDialog(m_stores.runner(), u"users"_s, file, true);
        gone->start();
        QVERIFY(gone->isRunning());
        QTest::qWait(100);
        delete gone;
        QCOMPARE(records(u"users"_s).size(), 40); // queued after the import: it has ended
        QTest::qWait(100); // late progress and result deliveries find no dialog
    }

    void keyboard()
    {
        const QString file = path(u"keys.jsonl"_s);
        QVERIFY(writeFile(file, newLine(u"kb-1"_s)));
        ImportDialog d(m_stores.runner(), u"users"_s, file, true);
        QSignalSpy finished(&d, &ImportDialog::importFinished);
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        child<QLineEdit>(&d, u"importFileEdit"_s)->setFocus();
        QTest::keyClick(child<QLineEdit>(&d, u"importFileEdit"_s), Qt::Key_Return);
        QTRY_COMPARE(finished.count(), 1);
        QVERIFY(m_stores.user(u"kb-1"_s));
        QTest::keyClick(&d, Qt::Key_Escape);
        QVERIFY(!d.isVisible());
    }

    void storeWithoutTransactionsListsAndUndoesWrites()
    {
        const QString original = m_stores.user(u"user-0000002"_s)->find(u"username"_s)->text();
        const QString file = path(u"partial.jsonl"_s);
        QVERIFY(writeFile(file, newLine(u"user-0000002"_s, u"Replaced"_s) + newLine(u"nt-1"_s) +
                                    newLine(u"nt-2"_s) + newLine(u"nt-3"_s) + newLine(u"nt-4"_s)));
        ImportDialog d(m_stores.runner(), u"users"_s, file, false);
        d.setStoreInterposer(wrapper());
        QSignalSpy changed(&d, &ImportDialog::tableChanged);
        d.show();
        QVERIFY(child<QLabel>(&d, u"transactionNote"_s)->isVisible());
        d.setExisting(ImportOptions::Existing::Replace);
        // Wrap the store now, then make its fourth write fail.
        QVERIFY(m_stores.runner()
                    ->run([w = wrapper()](RecordStore &s) {
                        return Result<int>(w(s).capabilities().transactions ? 1 : 0);
                    })
                    .result()
                    .ok());
        m_wrapped->failWritesAfter = 3;
        QVERIFY(runImport(d));

        QCOMPARE(int(d.report()->outcome), int(ImportReport::Outcome::Failed));
        QCOMPARE(d.report()->writtenKeys.size(), size_t(3));
        QCOMPARE(changed.count(), 1);
        QVERIFY2(message(&d).contains(u"injected: the store went away"_s), qPrintable(message(&d)));
        QVERIFY(message(&d).contains(u"their keys are listed to undo them"_s));
        auto *box = child<QGroupBox>(&d, u"writtenBox"_s);
        QVERIFY(box->isVisible());
        QCOMPARE(box->title(), u"Records left written (3)"_s);
        auto *list = child<QListWidget>(&d, u"writtenKeyList"_s);
        QCOMPARE(list->count(), 3);
        QCOMPARE(list->item(0)->text(), u"user-0000002 (replaced an existing record)"_s);
        QCOMPARE(list->item(1)->text(), u"nt-1"_s);
        QCOMPARE(list->item(2)->text(), u"nt-2"_s);
        QVERIFY(
            child<QLabel>(&d, u"writtenNote"_s)->text().contains(u"deletes the 2 that were new"_s));
        QVERIFY(m_stores.user(u"nt-1"_s));
        screenshot(&d, u"import-no-transactions"_s);

        m_wrapped->failWritesAfter = -1;
        auto *undo = child<QPushButton>(&d, u"undoWritesButton"_s);
        QVERIFY(undo->isVisible() && undo->isEnabled());
        QSignalSpy undone(&d, &ImportDialog::undoFinished);
        QTest::mouseClick(undo, Qt::LeftButton);
        QTRY_COMPARE(undone.count(), 1);
        QVERIFY(!m_stores.user(u"nt-1"_s));
        QVERIFY(!m_stores.user(u"nt-2"_s));
        QVERIFY(!m_stores.user(u"nt-3"_s));
        // The replaced record keeps the file's version: its old one was not kept.
        QCOMPARE(m_stores.user(u"user-0000002"_s)->find(u"username"_s)->text(), u"Replaced"_s);
        QVERIFY(original != u"Replaced"_s);
        QCOMPARE(records(u"users"_s).size(), 40);
        QCOMPARE(changed.count(), 2);
        QVERIFY2(
            message(&d).startsWith(u"Undone: the 2 records the import had written were deleted"_s),
            qPrintable(message(&d)));
        QVERIFY(!undo->isVisible());
        QCOMPARE(box->title(), u"Records the import wrote (3)"_s);
        QCOMPARE(list->item(0)->text(), u"user-0000002 (replaced an existing record)"_s);
        QCOMPARE(list->item(1)->text(), u"nt-1 (deleted again)"_s);
        screenshot(&d, u"import-undone"_s);
    }

    void exportScopes_data()
    {
        QTest::addColumn<ExportDialog::Scope>("scope");
        QTest::addColumn<TransferFormat>("format");
        using S = ExportDialog::Scope;
        using F = TransferFormat;
        QTest::newRow("selected jsonl") << S::Selected << F::JsonLines;
        QTest::newRow("selected csv") << S::Selected << F::Csv;
        QTest::newRow("filtered json") << S::Filtered << F::JsonArray;
        QTest::newRow("filtered dynamodb") << S::Filtered << F::DynamoDbJson;
        QTest::newRow("table jsonl") << S::Table << F::JsonLines;
        QTest::newRow("table dynamodb") << S::Table << F::DynamoDbJson;
        QTest::newRow("table csv") << S::Table << F::Csv;
    }

    void exportScopes()
    {
        QFETCH(ExportDialog::Scope, scope);
        QFETCH(TransferFormat, format);
        const std::vector<Value> selected{
            Value::string(u"user-0000003"_s), Value::string(u"user-0000007"_s),
            Value::string(u"user-0000011"_s), Value::string(u"no-such-user"_s)};
        ScanRequest filter;
        filter.conditions.push_back(
            FilterCondition{{u"active"_s}, FilterOp::Equal, Value::boolean(true)});
        filter.sortPath = {u"username"_s};
        const auto all = records(u"users"_s);
        const auto filtered = records(u"users"_s, filter);
        QVERIFY(filtered.size() > 5 && filtered.size() < all.size());
        QMap<QString, Value> expected;
        if (scope == ExportDialog::Scope::Selected) {
            for (const Value &k : selected)
                if (all.contains(k.text()))
                    expected.insert(k.text(), all.value(k.text()));
        } else {
            expected = scope == ExportDialog::Scope::Filtered ? filtered : all;
        }

        ExportDialog d(m_stores.runner(), u"users"_s, selected, filter, filtered.size(), true);
        QSignalSpy exported(&d, &ExportDialog::exported);
        d.show();
        d.setScope(scope);
        d.setFormat(format);
        const QString out = path(u"out"_s) + (format == TransferFormat::DynamoDbJson
                                                  ? u".dynamodb.json"_s
                                                  : transferFormatExtension(format));
        d.setFile(out);
        QCOMPARE(int(d.format()), int(format));
        QVERIFY(runExport(d));
        QCOMPARE(exported.count(), 1);
        QCOMPARE(exported.at(0).at(0).toString(), out);
        QCOMPARE(exported.at(0).at(1).toLongLong(), qint64(expected.size()));
        const QString text = child<MessageBar>(&d, u"exportMessages"_s)->text();
        QVERIFY2(text.startsWith(u"Exported %1 records to %2."_s.arg(expected.size()).arg(out)),
                 qPrintable(text));
        if (scope == ExportDialog::Scope::Selected)
            QVERIFY(text.endsWith(u"1 selected record no longer exists and was left out."_s));
        QCOMPARE(child<QPushButton>(&d, u"cancelButton"_s)->text(), u"Close"_s);
        if (format == TransferFormat::JsonLines || format == TransferFormat::DynamoDbJson)
            QCOMPARE(readFile(out).count('\n'), expected.size());
        if (format == TransferFormat::Csv)
            QCOMPARE(readFile(out).trimmed().count('\n'), expected.size()); // + the header row
        screenshot(&d, u"export-%1"_s.arg(
                           QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-')));

        // Read back: imported into a new table, the records are the same.
        auto imported = m_stores.runner()
                            ->run([out](RecordStore &s) -> Result<ImportReport> {
                                if (auto c = s.createTable(u"copy"_s, *DemoData::usersModel()); !c)
                                    return c.error();
                                return Importer(s, u"copy"_s).run(out);
                            })
                            .result();
        QVERIFY(imported);
        QVERIFY2(imported->outcome == ImportReport::Outcome::Imported,
                 qPrintable(imported->summary() + u'\n' + imported->problemLines().join(u'\n')));
        QCOMPARE(records(u"copy"_s), expected);
    }

    void exportChoicesAndFileNames()
    {
        ExportDialog none(m_stores.runner(), u"users"_s, {}, ScanRequest{}, -1, false);
        none.show();
        auto *selected = child<QRadioButton>(&none, u"selectedScope"_s);
        auto *filtered = child<QRadioButton>(&none, u"filteredScope"_s);
        auto *whole = child<QRadioButton>(&none, u"tableScope"_s);
        QVERIFY(!selected->isEnabled());
        QVERIFY(!filtered->isEnabled());
        QCOMPARE(filtered->text(), u"Filtered records"_s);
        QVERIFY(whole->isChecked());
        QCOMPARE(none.scope(), ExportDialog::Scope::Table);
        QTRY_COMPARE(whole->text(), u"Whole table (40 records)"_s);
        QVERIFY(child<QLineEdit>(&none, u"exportFileEdit"_s)->text().endsWith(u"/users.jsonl"_s));

        std::vector<Value> three{Value::string(u"a"_s), Value::string(u"b"_s),
                                 Value::string(u"c"_s)};
        ExportDialog d(m_stores.runner(), u"users"_s, three, ScanRequest{}, 1204, true);
        d.show();
        QCOMPARE(child<QRadioButton>(&d, u"selectedScope"_s)->text(), u"Selected records (3)"_s);
        QCOMPARE(child<QRadioButton>(&d, u"filteredScope"_s)->text(),
                 u"Filtered records (1,204)"_s);
        QCOMPARE(d.scope(), ExportDialog::Scope::Selected);
        ExportDialog one(m_stores.runner(), u"users"_s, {Value::string(u"a"_s)}, ScanRequest{}, 7,
                         true);
        QCOMPARE(one.scope(), ExportDialog::Scope::Filtered); // one selected row is just the cursor

        // The file name follows the format; a typed ending chooses the format.
        auto *edit = child<QLineEdit>(&d, u"exportFileEdit"_s);
        auto *combo = child<QComboBox>(&d, u"exportFormatCombo"_s);
        d.setFile(u"/data/users.jsonl"_s);
        combo->setCurrentIndex(combo->findData(int(TransferFormat::Csv)));
        QCOMPARE(edit->text(), u"/data/users.csv"_s);
        combo->setCurrentIndex(combo->findData(int(TransferFormat::DynamoDbJson)));
        QCOMPARE(edit->text(), u"/data/users.dynamodb.json"_s);
        combo->setCurrentIndex(combo->findData(int(TransferFormat::JsonArray)));
        QCOMPARE(edit->text(), u"/data/users.json"_s);
        edit->setFocus();
        edit->selectAll();
        QTest::keyClicks(edit, u"/data/out.csv"_s);
        QTest::keyClick(edit, Qt::Key_Tab);
        QCOMPARE(d.format(), TransferFormat::Csv);
        QCOMPARE(edit->text(), u"/data/out.csv"_s);
        d.setFile(u"/data/plain"_s);
        combo->setCurrentIndex(combo->findData(int(TransferFormat::JsonLines)));
        QCOMPARE(edit->text(), u"/data/plain"_s); // a name of its own is left alone

        // An existing file is replaced only when the user says so.
        const QString existing = path(u"existing.jsonl"_s);
        QVERIFY(writeFile(existing, "keep me\n"));
        d.setScope(ExportDialog::Scope::Table);
        d.setFormat(TransferFormat::JsonLines);
        d.setFile(existing);
        m_notifier.answer = false;
        QSignalSpy finished(&d, &ExportDialog::exportFinished);
        QTest::mouseClick(child<QPushButton>(&d, u"exportButton"_s), Qt::LeftButton);
        QCOMPARE(m_notifier.questions.size(), 1);
        QVERIFY(m_notifier.questions[0].contains(existing + u" already exists"_s));
        QVERIFY(!d.isRunning());
        QCOMPARE(readFile(existing), "keep me\n");
        m_notifier.answer = true;
        QVERIFY(runExport(d));
        QCOMPARE(readFile(existing).count('\n'), 40);
    }

    void cancelAnExport()
    {
        const QString existing = path(u"kept.jsonl"_s);
        const QString fresh = path(u"fresh.csv"_s);
        QVERIFY(writeFile(existing, "keep me\n"));
        ExportDialog d(m_stores.runner(), u"users"_s, {}, ScanRequest{}, -1, false);
        d.setStoreInterposer(wrapper());
        QVERIFY(m_stores.runner()
                    ->run([w = wrapper()](RecordStore &s) {
                        return Result<int>(w(s).capabilities().readOnly ? 1 : 0);
                    })
                    .result()
                    .ok());
        m_wrapped->scanDelayMs = 150;
        QSignalSpy exported(&d, &ExportDialog::exported);
        QSignalSpy finished(&d, &ExportDialog::exportFinished);
        d.show();
        QTRY_COMPARE(child<QRadioButton>(&d, u"tableScope"_s)->text(),
                     u"Whole table (40 records)"_s);
        for (const QString &file : {fresh, existing}) {
            d.setFile(file);
            QTest::mouseClick(child<QPushButton>(&d, u"exportButton"_s), Qt::LeftButton);
            QVERIFY(d.isRunning());
            QVERIFY(child<QProgressBar>(&d, u"exportProgress"_s)->isVisible());
            QCOMPARE(child<QProgressBar>(&d, u"exportProgress"_s)->maximum(), 1000); // 40 known
            QTest::qWait(60);
            if (file == fresh)
                screenshot(&d, u"export-running"_s);
            QTest::mouseClick(child<QPushButton>(&d, u"cancelButton"_s), Qt::LeftButton);
            QTRY_VERIFY(!d.isRunning());
        }
        QCOMPARE(finished.count(), 2);
        QCOMPARE(exported.count(), 0);
        QVERIFY(!QFile::exists(fresh));
        QCOMPARE(readFile(existing), "keep me\n");
        const QString text = child<MessageBar>(&d, u"exportMessages"_s)->text();
        QCOMPARE(text, u"The export was cancelled. %1 was left as it was."_s.arg(existing));
        screenshot(&d, u"export-cancelled"_s);

        // Esc while running cancels, then closes.
        d.setFile(fresh);
        QTest::mouseClick(child<QPushButton>(&d, u"exportButton"_s), Qt::LeftButton);
        QVERIFY(d.isRunning());
        QTest::keyClick(&d, Qt::Key_Escape);
        QVERIFY(d.isVisible());
        QTRY_VERIFY(!d.isVisible());
        QVERIFY(!d.isRunning());
        QCOMPARE(exported.count(), 0);
        QVERIFY(!QFile::exists(fresh));
        QCOMPARE(child<MessageBar>(&d, u"exportMessages"_s)->text(),
                 u"The export was cancelled. No file was written."_s);
    }
};

QTEST_MAIN(TstTransferDialogs)
#include "tst_transferdialogs.moc"
