// The key change wizard offscreen, page by page, on a real SQLite store reached through a real
// StoreRunner: the record, the new key checked live (wrong type, taken, free), the strategies
// and their explanations, the preview, and the run: success, a failed put with its restore shown,
// and a failed put and restore leaving the record in the journal, saved to a file from there.

#include "model/json/jsoncodec.h"
#include "model/rekey/recoveryjournal.h"
#include "model/store/open/demodata.h"
#include "model/store/open/storerunner.h"
#include "tests/common/demostores.h"
#include "tests/common/faultystore.h"
#include "tests/common/namedchild.h"
#include "widgets/common/messagebar.h"
#include "widgets/rekey/rekeywizard.h"

#include <QAbstractButton>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSemaphore>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TstRekeyWizard : public QObject
{
    Q_OBJECT

private:
    DemoStores m_stores;
    QString m_journalDir;

    static QString userKey(int i) { return u"user-%1"_s.arg(i, 7, 10, QLatin1Char('0')); }

    template <typename F> auto onStore(F work)
    {
        return m_stores.runner()->run(std::move(work)).result();
    }
    std::optional<Value> get(const QString &table, const Value &key)
    {
        auto r = onStore([table, key](RecordStore &s) { return s.getRecord(table, key); });
        if (!r)
            qFatal("get failed: %s", qPrintable(r.error().toString()));
        return *r;
    }
    std::optional<Value> getUser(const QString &key) { return get(u"users"_s, Value::string(key)); }

    std::unique_ptr<RekeyWizard> wizardFor(const QString &table, const Value &record)
    {
        auto model = onStore([table](RecordStore &s) { return s.model(table); });
        if (!model)
            qFatal("no model");
        auto w =
            std::make_unique<RekeyWizard>(m_stores.runner(), m_journalDir, table, *model, record);
        w->setKeyCheckDelay(0);
        w->resize(800, 600);
        return w;
    }
    std::unique_ptr<RekeyWizard> wizardForUser(int i)
    {
        return wizardFor(u"users"_s, DemoData::userRecord(quint64(i)));
    }

    static bool nextEnabled(RekeyWizard *w)
    {
        QAbstractButton *b = w->button(w->currentPage()->isCommitPage() ? QWizard::CommitButton
                                                                        : QWizard::NextButton);
        return b->isVisible() && b->isEnabled();
    }
    static void clickNext(RekeyWizard *w)
    {
        QAbstractButton *b = w->button(w->currentPage()->isCommitPage() ? QWizard::CommitButton
                                                                        : QWizard::NextButton);
        QTest::mouseClick(b, Qt::LeftButton);
    }
    static void typeKey(RekeyWizard *w, const QString &text)
    {
        auto *edit = child<QLineEdit>(w, u"newKeyEdit"_s);
        edit->clear();
        QTest::keyClicks(edit, text);
    }
    // Goes to the new key page, types `newKey`, waits for the check and walks to the preview.
    static bool toPreview(RekeyWizard *w, const QString &newKey,
                          RekeyStrategy strategy = RekeyStrategy::RemovePutRestore)
    {
        clickNext(w);
        if (w->currentId() != RekeyWizard::NewKeyPageId)
            return false;
        typeKey(w, newKey);
        if (!QTest::qWaitFor([w] { return nextEnabled(w); }))
            return false;
        clickNext(w);
        const QString names[] = {u"strategyRemovePutRestore"_s, u"strategyGetPutDelete"_s,
                                 u"strategyAtomic"_s};
        auto *radio = child<QRadioButton>(w, names[int(strategy)]);
        if (!QTest::qWaitFor([radio] { return radio->isEnabled(); }))
            return false;
        QTest::mouseClick(radio, Qt::LeftButton, {}, QPoint(8, radio->height() / 2));
        clickNext(w);
        return w->currentId() == RekeyWizard::PreviewPageId &&
               QTest::qWaitFor([w] { return nextEnabled(w); });
    }
    static QStringList stepRows(QTableWidget *table)
    {
        QStringList rows;
        for (int i = 0; i < table->rowCount(); ++i)
            rows << table->item(i, 0)->data(Qt::UserRole).toString() +
                        (table->item(i, 3)->text() == u"ok"_s ? QString() : u"!"_s);
        return rows;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_stores.isValid());
    }

    void init()
    {
        m_stores.open(40);
        m_journalDir = m_stores.filePath(u"journal%1"_s.arg(m_stores.serial()));
    }

    void cleanup() { m_stores.close(); }

    void recordPageShowsTheRecord()
    {
        auto w = wizardForUser(3);
        w->show();
        QCOMPARE(w->currentId(), int(RekeyWizard::RecordPageId));
        QCOMPARE(child<QLabel>(w.get(), u"recordTable"_s)->text(), u"users"_s);
        QCOMPARE(child<QLabel>(w.get(), u"recordKey"_s)->text(), u"userId = \"user-0000003\""_s);
        const QString summary = child<QLabel>(w.get(), u"recordSummary"_s)->text();
        QVERIFY2(summary.startsWith(u"username: "_s),
                 qPrintable(summary)); // declared order, key left out
        QVERIFY(!summary.contains(u"userId"_s));
        QVERIFY(summary.count(u'\n') <= 6);
        QVERIFY(child<QLabel>(w.get(), u"recordValidation"_s)->text().startsWith(u"Valid"_s));
        QVERIFY(nextEnabled(w.get()));

        // An invalid record is said to be so, and still moves as it is.
        const Value bad = *JsonCodec::parsePlain(R"({"userId":"bad","username":5,"age":1})");
        auto wb = wizardFor(u"users"_s, bad);
        wb->show();
        const QString validation = child<QLabel>(wb.get(), u"recordValidation"_s)->text();
        QVERIFY2(validation.contains(u"Fails the table model"_s) &&
                     validation.contains(u"username"_s),
                 qPrintable(validation));
    }

    void newKeyIsCheckedLive()
    {
        auto w = wizardForUser(3);
        w->show();
        clickNext(w.get());
        QCOMPARE(w->currentId(), int(RekeyWizard::NewKeyPageId));
        auto *status = child<QLabel>(w.get(), u"newKeyStatus"_s);
        // Prefilled with the current key: refused as the same key.
        QCOMPARE(child<QLineEdit>(w.get(), u"newKeyEdit"_s)->text(), userKey(3));
        QVERIFY(status->text().contains(u"current key"_s));
        QVERIFY(!nextEnabled(w.get()));

        typeKey(w.get(), QString());
        QVERIFY(!nextEnabled(w.get()));

        typeKey(w.get(), userKey(4));
        QTRY_VERIFY2(status->text().contains(u"already exists at that key"_s),
                     qPrintable(status->text()));
        QVERIFY(!nextEnabled(w.get()));
        QVERIFY(w->newKey().isNull());

        typeKey(w.get(), u"user-0000003-new"_s);
        QTRY_VERIFY(nextEnabled(w.get()));
        QVERIFY2(status->text().contains(u"free"_s), qPrintable(status->text()));
        QCOMPARE(w->newKey(), Value::string(u"user-0000003-new"_s));

        // Typing again invalidates the answer at once: no Next on a key not yet checked.
        typeKey(w.get(), userKey(5));
        QVERIFY(!nextEnabled(w.get()));
        QTRY_VERIFY(status->text().contains(u"already exists"_s));
    }

    void newKeyOfTheWrongTypeIsRefused()
    {
        auto model = TableModel::fromJson(
            R"({"table":"orders","primaryIndex":{"hashKey":"orderId","hashKeyType":"int"},"fields":{"orderId":{"type":"int","required":true},"total":{"type":"decimal"}}})",
            u"orders"_s);
        QVERIFY(model);
        const TableModelPtr m = *model;
        QVERIFY(onStore([m](RecordStore &s) -> Status {
            if (auto c = s.createTable(u"orders"_s, *m); !c)
                return c;
            for (int i : {7, 8})
                if (auto p =
                        s.writeRaw(u"orders"_s,
                                   Value::map({{u"orderId"_s, Value::integer(i)},
                                               {u"total"_s, Value::numberUnchecked(u"12.50"_s)}}),
                                   true);
                    !p)
                    return p;
            return okStatus();
        }));
        auto w = wizardFor(u"orders"_s, *get(u"orders"_s, Value::integer(7)));
        w->show();
        clickNext(w.get());
        QVERIFY(child<QWizardPage>(w.get(), u"newKeyPage"_s)->subTitle().contains(u"an integer"_s));
        auto *status = child<QLabel>(w.get(), u"newKeyStatus"_s);
        typeKey(w.get(), u"abc"_s);
        QVERIFY2(status->text().contains(u"number"_s), qPrintable(status->text()));
        QVERIFY(!nextEnabled(w.get()));
        typeKey(w.get(), u"7.5"_s);
        QVERIFY2(status->text().contains(u"integer"_s), qPrintable(status->text()));
        QVERIFY(!nextEnabled(w.get()));
        typeKey(w.get(), u"8"_s);
        QTRY_VERIFY(status->text().contains(u"already exists"_s));
        QVERIFY(!nextEnabled(w.get()));
        typeKey(w.get(), u"9"_s);
        QTRY_VERIFY(nextEnabled(w.get()));
        QVERIFY(w->newKey().isNumber());
        QCOMPARE(w->newKey().text(), u"9"_s);
    }

    void strategyPageExplainsEachStrategy()
    {
        auto w = wizardForUser(3);
        w->show();
        clickNext(w.get());
        typeKey(w.get(), u"x"_s);
        QTRY_VERIFY(nextEnabled(w.get()));
        clickNext(w.get());
        QCOMPARE(w->currentId(), int(RekeyWizard::StrategyPageId));
        QVERIFY(child<QRadioButton>(w.get(), u"strategyRemovePutRestore"_s)->isChecked());
        QVERIFY(child<QRadioButton>(w.get(), u"strategyRemovePutRestore"_s)
                    ->text()
                    .contains(u"documented sequence"_s));
        QCOMPARE(w->strategy(), RekeyStrategy::RemovePutRestore);
        const std::pair<const char *, RekeyStrategy> names[] = {
            {"RemovePutRestore", RekeyStrategy::RemovePutRestore},
            {"GetPutDelete", RekeyStrategy::GetPutDelete},
            {"Atomic", RekeyStrategy::Atomic}};
        for (const auto &[name, strategy] : names) {
            auto *label =
                child<QLabel>(w.get(), u"strategy%1Explanation"_s.arg(QLatin1String(name)));
            QCOMPARE(label->text(), rekeyStrategyExplanation(strategy));
            QVERIFY(label->isVisible());
        }
        // SQLite runs transactions: atomic is offered, and says so.
        auto *atomic = child<QRadioButton>(w.get(), u"strategyAtomic"_s);
        QTRY_VERIFY(atomic->isEnabled());
        QVERIFY(child<QLabel>(w.get(), u"strategyAtomicAvailability"_s)
                    ->text()
                    .startsWith(u"Available"_s));
        QTest::mouseClick(atomic, Qt::LeftButton, {}, QPoint(8, atomic->height() / 2));
        QCOMPARE(w->strategy(), RekeyStrategy::Atomic);
    }

    void previewShowsTheRecordAsItWillBeWritten()
    {
        auto w = wizardForUser(3);
        w->show();
        QVERIFY(toPreview(w.get(), u"user-0000003-new"_s, RekeyStrategy::GetPutDelete));
        QCOMPARE(child<QLabel>(w.get(), u"previewOldKey"_s)->text(),
                 u"userId = \"user-0000003\""_s);
        QCOMPARE(child<QLabel>(w.get(), u"previewNewKey"_s)->text(),
                 u"userId = \"user-0000003-new\""_s);
        QVERIFY(child<QLabel>(w.get(), u"previewStrategy"_s)->text().contains(u"Get"_s));
        auto *record = child<QPlainTextEdit>(w.get(), u"previewRecord"_s);
        QVERIFY(record->isReadOnly());
        const QString json = record->toPlainText();
        QVERIFY2(json.contains(u"\"userId\": \"user-0000003-new\""_s), qPrintable(json));
        const Value stored = DemoData::userRecord(3);
        QVERIFY(json.contains(u"\"username\": \"%1\""_s.arg(stored.find(u"username"_s)->text())));
        QVERIFY(json.contains(u"\n"_s)); // pretty
        QCOMPARE(w->button(QWizard::CommitButton)->text(), u"Change the key"_s);
        // Nothing written yet.
        QVERIFY(getUser(userKey(3)));
        QVERIFY(!getUser(u"user-0000003-new"_s));
        // Back works before the commit.
        w->back();
        QCOMPARE(w->currentId(), int(RekeyWizard::StrategyPageId));
    }

    void runMovesTheRecord_data()
    {
        QTest::addColumn<int>("strategy");
        QTest::addColumn<QStringList>("steps");
        QTest::newRow("remove-put-restore")
            << int(RekeyStrategy::RemovePutRestore)
            << QStringList{u"check"_s, u"get"_s, u"journal"_s, u"remove"_s, u"put"_s};
        QTest::newRow("get-put-delete")
            << int(RekeyStrategy::GetPutDelete)
            << QStringList{u"check"_s, u"get"_s, u"journal"_s, u"put"_s, u"delete"_s};
        QTest::newRow("atomic") << int(RekeyStrategy::Atomic)
                                << QStringList{u"check"_s, u"get"_s, u"journal"_s,
                                               u"transaction"_s};
    }
    void runMovesTheRecord()
    {
        QFETCH(int, strategy);
        QFETCH(QStringList, steps);
        const Value before = *getUser(userKey(3));
        auto w = wizardForUser(3);
        QSignalSpy keyChanged(w.get(), &RekeyWizard::keyChanged);
        QSignalSpy stepFinished(w.get(), &RekeyWizard::stepFinished);
        w->show();
        QVERIFY(toPreview(w.get(), u"user-0000003-new"_s, RekeyStrategy(strategy)));
        clickNext(w.get());
        QCOMPARE(w->currentId(), int(RekeyWizard::RunPageId));
        QTRY_VERIFY(w->outcome().has_value());
        QCOMPARE(int(w->outcome()->state), int(RekeyOutcome::State::Done));
        auto *tree = child<QTableWidget>(w.get(), u"runSteps"_s);
        QCOMPARE(stepRows(tree), steps);
        QCOMPARE(stepFinished.count(), steps.size());
        QVERIFY(tree->item(0, 2)->text().endsWith(u" ms"_s));
        QCOMPARE(keyChanged.count(), 1);
        QCOMPARE(keyChanged[0][0].toString(), u"users"_s);
        QCOMPARE(keyChanged[0][1].value<Value>(), Value::string(userKey(3)));
        QCOMPARE(keyChanged[0][2].value<Value>(), Value::string(u"user-0000003-new"_s));

        QVERIFY(!getUser(userKey(3)));
        Value expected = before;
        expected.mapRef().insert(u"userId"_s, Value::string(u"user-0000003-new"_s));
        QCOMPARE(JsonCodec::toStored(*getUser(u"user-0000003-new"_s)),
                 JsonCodec::toStored(expected));
        QVERIFY(RecoveryJournal(m_journalDir).entries()->empty());

        QTRY_VERIFY(nextEnabled(w.get()));
        clickNext(w.get());
        QCOMPARE(w->currentId(), int(RekeyWizard::SummaryPageId));
        QCOMPARE(child<QLabel>(w.get(), u"summaryHeadline"_s)->text(), u"The key was changed."_s);
        QVERIFY(child<QLabel>(w.get(), u"summaryText"_s)->text().contains(u"user-0000003-new"_s));
        QVERIFY(!child<QWidget>(w.get(), u"journalBox"_s)->isVisible());
        QCOMPARE(child<QTableWidget>(w.get(), u"summarySteps"_s)->rowCount(), steps.size());
    }

    void putFailsAndTheRestoreIsShown()
    {
        const Value before = *getUser(userKey(3));
        std::unique_ptr<FaultyStore> faulty;
        auto w = wizardForUser(3);
        w->setStoreInterposer([&faulty](RecordStore &real) -> RecordStore & {
            if (!faulty) {
                faulty = std::make_unique<FaultyStore>(real);
                faulty->failOn(u"writeRaw"_s, ErrorKind::Unavailable, 0, 1);
            }
            return *faulty;
        });
        QSignalSpy keyChanged(w.get(), &RekeyWizard::keyChanged);
        QSignalSpy recordsChanged(w.get(), &RekeyWizard::recordsChanged);
        w->show();
        QVERIFY(toPreview(w.get(), u"user-0000003-new"_s));
        clickNext(w.get());
        QTRY_VERIFY(w->outcome().has_value());
        QCOMPARE(int(w->outcome()->state), int(RekeyOutcome::State::RolledBack));
        auto *tree = child<QTableWidget>(w.get(), u"runSteps"_s);
        QCOMPARE(stepRows(tree), (QStringList{u"check"_s, u"get"_s, u"journal"_s, u"remove"_s,
                                              u"put!"_s, u"restore"_s}));
        QCOMPARE(tree->item(4, 0)->text(), u"Put"_s);
        QVERIFY2(tree->item(4, 3)->text().contains(u"injected failure"_s),
                 qPrintable(tree->item(4, 3)->text()));
        QCOMPARE(tree->item(5, 0)->text(), u"Restore"_s);
        QCOMPARE(tree->item(5, 3)->text(), u"ok"_s);
        auto *outcome = child<MessageBar>(w.get(), u"runOutcome"_s);
        QVERIFY(outcome->isVisible());
        QVERIFY2(outcome->text().contains(u"restored"_s), qPrintable(outcome->text()));

        // The record is back, exactly; nothing at the new key; the journal is clear.
        QCOMPARE(JsonCodec::toStored(*getUser(userKey(3))), JsonCodec::toStored(before));
        QVERIFY(!getUser(u"user-0000003-new"_s));
        QVERIFY(RecoveryJournal(m_journalDir).entries()->empty());
        QCOMPARE(keyChanged.count(), 0);
        QCOMPARE(recordsChanged.count(), 1);

        QTRY_VERIFY(nextEnabled(w.get()));
        clickNext(w.get());
        QVERIFY(child<QLabel>(w.get(), u"summaryHeadline"_s)->text().contains(u"old key"_s));
        const QString text = child<QLabel>(w.get(), u"summaryText"_s)->text();
        QVERIFY2(text.contains(u"restore"_s) && text.contains(u"injected failure"_s),
                 qPrintable(text));
    }

    void putAndRestoreFailAndTheRecordIsSavedFromTheJournal()
    {
        const Value before = *getUser(userKey(3));
        std::unique_ptr<FaultyStore> faulty;
        auto w = wizardForUser(3);
        w->setStoreInterposer([&faulty](RecordStore &real) -> RecordStore & {
            if (!faulty) {
                faulty = std::make_unique<FaultyStore>(real);
                faulty->failOn(u"writeRaw"_s, ErrorKind::Unavailable, 0, 2);
            }
            return *faulty;
        });
        w->show();
        QVERIFY(toPreview(w.get(), u"user-0000003-new"_s));
        clickNext(w.get());
        QTRY_VERIFY(w->outcome().has_value());
        QCOMPARE(int(w->outcome()->state), int(RekeyOutcome::State::InJournal));
        auto *tree = child<QTableWidget>(w.get(), u"runSteps"_s);
        QCOMPARE(stepRows(tree), (QStringList{u"check"_s, u"get"_s, u"journal"_s, u"remove"_s,
                                              u"put!"_s, u"restore!"_s}));
        QCOMPARE(child<MessageBar>(w.get(), u"runOutcome"_s)->kind(), MessageBar::Kind::Error);
        QVERIFY(!getUser(userKey(3)));
        QVERIFY(!getUser(u"user-0000003-new"_s));
        auto entries = RecoveryJournal(m_journalDir).entries();
        QVERIFY(entries);
        QCOMPARE(entries->size(), size_t(1));
        QCOMPARE(JsonCodec::toStored(entries->front().record), JsonCodec::toStored(before));

        QTRY_VERIFY(nextEnabled(w.get()));
        clickNext(w.get());
        QCOMPARE(w->currentId(), int(RekeyWizard::SummaryPageId));
        QVERIFY(child<QLabel>(w.get(), u"summaryHeadline"_s)->text().contains(u"neither place"_s));
        QVERIFY(child<QLabel>(w.get(), u"summaryText"_s)->text().contains(u"not been lost"_s));
        QVERIFY(child<QWidget>(w.get(), u"journalBox"_s)->isVisible());
        QVERIFY(child<QLabel>(w.get(), u"journalText"_s)->text().contains(entries->front().id));

        const QString file = m_stores.filePath(u"saved%1.json"_s.arg(m_stores.serial()));
        w->setSaveFileName(file);
        QSignalSpy saved(w.get(), &RekeyWizard::recordSaved);
        auto *save = child<QPushButton>(w.get(), u"saveRecordButton"_s);
        QCOMPARE(save->text(), u"Save the record to a file…"_s);
        QTest::mouseClick(save, Qt::LeftButton);
        QCOMPARE(saved.count(), 1);
        QVERIFY(child<QLabel>(w.get(), u"saveStatus"_s)->text().startsWith(u"Saved"_s));
        QVERIFY(!save->isEnabled());
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        auto item = JsonCodec::parseDynamoItem(f.readAll());
        QVERIFY(item);
        QCOMPARE(JsonCodec::toStored(*item), JsonCodec::toStored(before));
        QVERIFY(RecoveryJournal(m_journalDir).entries()->empty());
    }

    void theWizardCannotBeClosedWhileRunning()
    {
        QSemaphore started, proceed;
        std::atomic_bool hold{false};
        auto w = wizardForUser(3);
        w->setStoreInterposer([&](RecordStore &real) -> RecordStore & {
            if (hold.exchange(false)) {
                started.release();
                proceed.acquire();
            }
            return real;
        });
        w->show();
        QVERIFY(toPreview(w.get(), u"user-0000003-new"_s));
        hold = true;
        clickNext(w.get());
        QVERIFY(started.tryAcquire(1, 5000));
        QVERIFY(w->isRunning());
        QVERIFY(!w->button(QWizard::CancelButton)->isEnabled());
        w->reject();
        QVERIFY(w->isVisible());
        proceed.release();
        QTRY_VERIFY(w->outcome().has_value());
        QVERIFY(w->button(QWizard::CancelButton)->isEnabled());
        QCOMPARE(int(w->outcome()->state), int(RekeyOutcome::State::Done));
    }
};

QTEST_MAIN(TstRekeyWizard)
#include "tst_rekeywizard.moc"
