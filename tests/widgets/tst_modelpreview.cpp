// The model preview dialog offscreen on a real SQLite store: a model inferred from a table and
// from a JSON lines file, edited in the tree (types, required) and in the JSON tab (live
// validation that disables Save and Attach), attached to the table (read back on a fresh store
// connection), saved to a file (read back with TableModel), and cancelled or closed while it
// reads.

#include "model/store/open/demodata.h"
#include "model/store/open/storerunner.h"
#include "model/store/sqlite/sqlitestore.h"
#include "tests/common/demostores.h"
#include "tests/common/namedchild.h"
#include "tests/common/recordingnotifier.h"
#include "widgets/common/messagebar.h"
#include "widgets/common/notifier.h"
#include "widgets/schema/modelpreviewdialog.h"

#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QScopeGuard>
#include <QSemaphore>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace Qt::StringLiterals;

namespace {

enum Column { NameColumn, TypesColumn, RequiredColumn, StructureColumn };

QTreeWidgetItem *findItem(QTreeWidget *tree, const QString &path)
{
    QTreeWidgetItem *item = nullptr;
    for (const QString &name : path.split(u'/')) {
        QTreeWidgetItem *next = nullptr;
        const int n = item ? item->childCount() : tree->topLevelItemCount();
        for (int i = 0; i < n && !next; ++i) {
            QTreeWidgetItem *c = item ? item->child(i) : tree->topLevelItem(i);
            if (c->text(NameColumn) == name)
                next = c;
        }
        if (!next)
            return nullptr;
        item = next;
    }
    return item;
}

QStringList kindNames(const FieldSpec &spec)
{
    QStringList names;
    for (const FieldType &t : spec.types)
        names << fieldKindName(t.kind);
    return names;
}

} // namespace

class TstModelPreview : public QObject
{
    Q_OBJECT

private:
    DemoStores m_stores;
    RecordingNotifier m_notifier;

    /// Opens the dialog on the users table and waits for its model.
    std::unique_ptr<ModelPreviewDialog> inferUsers()
    {
        auto d = std::make_unique<ModelPreviewDialog>(m_stores.runner(), u"users"_s);
        QSignalSpy inferred(d.get(), &ModelPreviewDialog::inferred);
        d->show();
        if (!inferred.wait(20000))
            qFatal("no inference");
        return d;
    }

    static void setText(ModelPreviewDialog &d, const QString &text)
    {
        child<QPlainTextEdit>(&d, u"modelJsonEdit"_s)->setPlainText(text);
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
        m_notifier.questions.clear();
        m_notifier.answer = true;
    }

    void cleanup() { m_stores.close(); }

    void infersFromATableAndEditsInTheTree()
    {
        m_stores.open(1200);
        auto d = inferUsers();
        QVERIFY(!d->isInferring());
        QCOMPARE(d->recordCount(), 1200);
        QVERIFY(child<QLabel>(d.get(), u"inferenceSummary"_s)
                    ->text()
                    .contains(u"Inferred from %1 records of table users"_s.arg(
                        QLocale().toString(1200))));
        QVERIFY(!child<QProgressBar>(d.get(), u"inferenceProgress"_s)->isVisible());
        auto model = d->editedModel();
        QVERIFY2(model, qPrintable(model ? QString() : model.error().toString()));
        QCOMPARE((*model)->hashKey(), u"userId"_s);
        QVERIFY(
            child<QLabel>(d.get(), u"modelStatus"_s)->text().startsWith(u"A valid table model"_s));

        // The tree shows the demo fields, nested ones under their parents.
        auto *tree = child<QTreeWidget>(d.get(), u"modelFieldTree"_s);
        for (const QString &name : {u"userId"_s, u"username"_s, u"age"_s, u"metadata"_s,
                                    u"tokens"_s, u"tags"_s, u"logs"_s})
            QVERIFY2(findItem(tree, name), qPrintable(name));
        QVERIFY(findItem(tree, u"metadata/accountCreationTimestamp"_s));
        QCOMPARE(findItem(tree, u"userId"_s)->checkState(RequiredColumn), Qt::Checked);
        QVERIFY(findItem(tree, u"userId"_s)->text(StructureColumn).contains(u"hash key"_s));
        QVERIFY(findItem(tree, u"metadata"_s)->text(StructureColumn).startsWith(u"map of"_s));
        QVERIFY(findItem(tree, u"tags"_s)->text(StructureColumn).startsWith(u"set of str"_s));
        // Records disagree on age: several types in one cell.
        QVERIFY(findItem(tree, u"age"_s)->text(TypesColumn).contains(u", "_s));

        // Required: the checkbox, and Space on the current row.
        QTreeWidgetItem *email = findItem(tree, u"email"_s);
        QVERIFY(email);
        const bool wasRequired = (*model)->root().field(u"email"_s)->required;
        QCOMPARE(email->checkState(RequiredColumn), wasRequired ? Qt::Checked : Qt::Unchecked);
        email->setCheckState(RequiredColumn, wasRequired ? Qt::Unchecked : Qt::Checked);
        QVERIFY(d->editedModel());
        QCOMPARE((*d->editedModel())->root().field(u"email"_s)->required, !wasRequired);
        QVERIFY(d->modelText().contains(u"\"required\": true"_s));
        QTRY_COMPARE(findItem(tree, u"email"_s)->checkState(RequiredColumn),
                     wasRequired ? Qt::Unchecked : Qt::Checked);
        tree->setCurrentItem(findItem(tree, u"email"_s));
        QTest::keyClick(tree, Qt::Key_Space);
        QCOMPARE((*d->editedModel())->root().field(u"email"_s)->required, wasRequired);

        // Types: F2 opens the cell's editor; the typed list becomes the field's types.
        QTRY_VERIFY(findItem(tree, u"nextReminderTimestamp"_s));
        tree->setCurrentItem(findItem(tree, u"nextReminderTimestamp"_s));
        QTest::keyClick(tree, Qt::Key_F2);
        auto *editor = tree->findChild<QLineEdit *>();
        QVERIFY(editor);
        editor->selectAll();
        QTest::keyClicks(editor, u"int, str"_s);
        QTest::keyClick(editor, Qt::Key_Return);
        QTRY_VERIFY(d->editedModel() &&
                    kindNames(*(*d->editedModel())->root().field(u"nextReminderTimestamp"_s)) ==
                        QStringList({u"int"_s, u"str"_s}));
        QTRY_COMPARE(findItem(tree, u"nextReminderTimestamp"_s)->text(TypesColumn), u"int, str"_s);

        // A type that does not exist is refused in place; the model stays as it was.
        tree->editItem(findItem(tree, u"nextReminderTimestamp"_s), TypesColumn);
        editor = tree->findChild<QLineEdit *>();
        QVERIFY(editor);
        editor->selectAll();
        QTest::keyClicks(editor, u"integer"_s);
        QTest::keyClick(editor, Qt::Key_Return);
        auto *messages = child<MessageBar>(d.get(), u"modelMessages"_s);
        QTRY_VERIFY(messages->isVisible());
        QVERIFY(messages->text().contains(u"integer"_s));
        QCOMPARE(kindNames(*(*d->editedModel())->root().field(u"nextReminderTimestamp"_s)),
                 QStringList({u"int"_s, u"str"_s}));
        QTRY_COMPARE(findItem(tree, u"nextReminderTimestamp"_s)->text(TypesColumn), u"int, str"_s);

        // An item type of a set, edited in the tree (the items shorthand).
        QTreeWidgetItem *tagItems = findItem(tree, u"tags"_s)->child(0);
        QVERIFY(tagItems);
        QCOMPARE(tagItems->text(NameColumn), u"{{tagsIndex}}"_s);
        tagItems->setText(TypesColumn, u"str, int"_s);
        QTRY_VERIFY(d->modelText().contains(u"\"items\": [\n"_s));
        QVERIFY(d->editedModel());
    }

    void jsonEditsAreValidatedLive()
    {
        m_stores.open(50);
        auto d = inferUsers();
        auto *save = child<QPushButton>(d.get(), u"saveModelButton"_s);
        auto *attach = child<QPushButton>(d.get(), u"attachModelButton"_s);
        auto *status = child<QLabel>(d.get(), u"modelStatus"_s);
        auto *tree = child<QTreeWidget>(d.get(), u"modelFieldTree"_s);
        QVERIFY(save->isEnabled() && attach->isEnabled());
        const QString good = d->modelText();

        // Broken JSON: the line and column, Save and Attach off, the tree greyed out.
        QString broken = good;
        broken.replace(u"\"userId\": {"_s, u"\"userId\" {"_s);
        setText(*d, broken);
        QVERIFY(!d->editedModel());
        QVERIFY(!save->isEnabled());
        QVERIFY(!attach->isEnabled());
        QVERIFY2(status->text().contains(u"Line "_s), qPrintable(status->text()));
        QVERIFY(status->text().contains(u"malformed JSON"_s));
        QTRY_VERIFY(!tree->isEnabled());

        // Valid JSON, wrong model: the JSON pointer and its line.
        QString unknownType = good;
        unknownType.replace(u"\"username\": {\n      \"type\": \"str\""_s,
                            u"\"username\": {\n      \"type\": \"string\""_s);
        QVERIFY(unknownType != good);
        setText(*d, unknownType);
        QVERIFY(!d->editedModel());
        QVERIFY(!save->isEnabled());
        QVERIFY2(status->text().contains(u"/fields/username/type"_s), qPrintable(status->text()));
        const int line =
            int(unknownType.left(unknownType.indexOf(u"\"string\""_s)).count(u'\n')) + 1;
        QVERIFY2(status->text().contains(u"(line %1)"_s.arg(line)), qPrintable(status->text()));
        // The tree still shows what the JSON says.
        QTRY_VERIFY(tree->isEnabled());
        QTRY_COMPARE(findItem(tree, u"username"_s)->text(TypesColumn), u"string"_s);

        // Fixed in the JSON: everything on again, and the tree follows the text.
        QString required = good;
        required.replace(
            u"\"email\": {\n      \"type\": \"str\"\n    }"_s,
            u"\"email\": {\n      \"type\": \"str\",\n      \"required\": true\n    }"_s);
        setText(*d, required);
        QVERIFY(d->editedModel());
        QVERIFY(save->isEnabled() && attach->isEnabled());
        QTRY_COMPARE(findItem(tree, u"email"_s)->checkState(RequiredColumn),
                     (*d->editedModel())->root().field(u"email"_s)->required ? Qt::Checked
                                                                             : Qt::Unchecked);
        QVERIFY((*d->editedModel())->root().field(u"email"_s)->required);

        // Typing in the editor, not just setting its text.
        auto *editor = child<QPlainTextEdit>(d.get(), u"modelJsonEdit"_s);
        child<QTabWidget>(d.get(), u"modelTabs"_s)->setCurrentWidget(editor);
        editor->moveCursor(QTextCursor::End);
        QTest::keyClicks(editor, u"x"_s);
        QVERIFY(!save->isEnabled());
        QTest::keyClick(editor, Qt::Key_Backspace);
        QVERIFY(save->isEnabled());
    }

    void attachesTheEditedModel()
    {
        m_stores.open(300);
        auto d = inferUsers();
        auto *tree = child<QTreeWidget>(d.get(), u"modelFieldTree"_s);
        QTreeWidgetItem *score = findItem(tree, u"score"_s);
        QVERIFY(score);
        score->setText(TypesColumn, u"decimal"_s);
        QTRY_VERIFY(findItem(tree, u"email"_s));
        findItem(tree, u"email"_s)->setCheckState(RequiredColumn, Qt::Checked);
        const auto edited = d->editedModel();
        QVERIFY(edited);
        QVERIFY((*edited)->root().field(u"email"_s)->required);

        // "No" leaves the table's model alone.
        m_notifier.answer = false;
        QSignalSpy attached(d.get(), &ModelPreviewDialog::modelAttached);
        auto *attach = child<QPushButton>(d.get(), u"attachModelButton"_s);
        QCOMPARE(attach->text(), u"&Attach to Table users"_s);
        QTest::mouseClick(attach, Qt::LeftButton);
        QTRY_COMPARE(m_notifier.questions.size(), 1);
        QTRY_VERIFY(attach->isEnabled());
        QCOMPARE(attached.count(), 0);
        QVERIFY(m_notifier.questions.front().contains(u"already has a model"_s));

        m_notifier.answer = true;
        QTest::mouseClick(attach, Qt::LeftButton);
        QTRY_COMPARE(attached.count(), 1);
        QCOMPARE(attached.front().front().toString(), u"users"_s);
        QCOMPARE(m_notifier.questions.size(), 2);
        QVERIFY(child<MessageBar>(d.get(), u"modelMessages"_s)->text().contains(u"attached"_s));

        // A fresh connection to the file reads the edited model back.
        auto fresh = SqliteStore::open(m_stores.path());
        QVERIFY(fresh);
        auto loaded = (*fresh)->model(u"users"_s);
        QVERIFY(loaded);
        QCOMPARE(QString::fromUtf8((*loaded)->toJson()), QString::fromUtf8((*edited)->toJson()));
        QVERIFY((*loaded)->root().field(u"email"_s)->required);
    }

    void savesTheModelFile()
    {
        m_stores.open(100);
        auto d = inferUsers();
        findItem(child<QTreeWidget>(d.get(), u"modelFieldTree"_s), u"username"_s)
            ->setText(TypesColumn, u"str, int"_s);
        const auto edited = d->editedModel();
        QVERIFY(edited);
        QSignalSpy saved(d.get(), &ModelPreviewDialog::modelSaved);
        const QString path = m_stores.filePath(u"users%1.model.json"_s.arg(m_stores.serial()));
        d->saveToFile(path);
        QCOMPARE(saved.count(), 1);
        auto read = TableModel::fromFile(path);
        QVERIFY2(read, qPrintable(read ? QString() : read.error().toString()));
        QCOMPARE((*read)->toJson(), (*edited)->toJson());
        QCOMPARE(kindNames(*(*read)->root().field(u"username"_s)),
                 QStringList({u"str"_s, u"int"_s}));

        // A place that cannot be written is said in place.
        d->saveToFile(m_stores.filePath(u"no/such/dir/x.json"_s));
        QCOMPARE(saved.count(), 1);
        QVERIFY(child<MessageBar>(d.get(), u"modelMessages"_s)->text().contains(u"not saved"_s));
    }

    void infersFromAJsonLinesFile()
    {
        const QString file = m_stores.filePath(u"orders.jsonl"_s);
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(
            R"({"orderId":"o1","total":12.5,"items":["a","b"],"customer":{"name":"Ann","vip":true}})"
            "\n"
            R"({"orderId":"o2","total":3,"items":[],"customer":{"name":"Bo"},"bad.name":1})"
            "\n"
            R"({"orderId":"o3","total":7,"customer":{"name":"Cy","vip":false}})"
            "\n");
        f.close();

        ModelPreviewDialog d(nullptr, u"orders"_s, file);
        QSignalSpy inferred(&d, &ModelPreviewDialog::inferred);
        d.show();
        QVERIFY(inferred.wait(10000));
        QCOMPARE(d.recordCount(), 3);
        auto model = d.editedModel();
        QVERIFY2(model, qPrintable(model ? QString() : model.error().toString()));
        QCOMPARE((*model)->tableName(), u"orders"_s);
        QCOMPARE((*model)->hashKey(), u"orderId"_s);
        QCOMPARE(kindNames(*(*model)->root().field(u"total"_s)),
                 QStringList({u"int"_s, u"float"_s}));
        QVERIFY(!(*model)->root().field(u"items"_s)->required);
        QVERIFY((*model)->root().field(u"customer"_s)->required);
        auto *tree = child<QTreeWidget>(&d, u"modelFieldTree"_s);
        QVERIFY(findItem(tree, u"customer/name"_s));
        QCOMPARE(findItem(tree, u"customer/name"_s)->checkState(RequiredColumn), Qt::Checked);
        QCOMPARE(findItem(tree, u"customer/vip"_s)->checkState(RequiredColumn), Qt::Unchecked);
        QVERIFY(child<QLabel>(&d, u"inferenceSummary"_s)->text().contains(u"3 records"_s));
        // The attribute that cannot be a field name is a note, not a silent drop.
        QVERIFY2(d.notes().size() == 1 && d.notes().front().contains(u"bad.name"_s),
                 qPrintable(d.notes().join(u" | "_s)));
        auto *notes = child<QLabel>(&d, u"inferenceNotes"_s);
        QVERIFY(notes->isVisible());
        QVERIFY(notes->text().contains(u"bad.name"_s));
        // No store: nothing to attach to, but saving works.
        QVERIFY(!child<QPushButton>(&d, u"attachModelButton"_s)->isEnabled());
        QVERIFY(child<QPushButton>(&d, u"saveModelButton"_s)->isEnabled());

        // The screenshot of a finished run (looked at by hand).
        d.resize(900, 640);
        QTest::qWait(100); // the layout settles, as it does on screen
        d.grab().save(u"/tmp/h13-modelpreview-file.png"_s);
    }

    void aBrokenFileNamesItsLine()
    {
        const QString file = m_stores.filePath(u"broken.jsonl"_s);
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"id\":\"a\"}\n{\"id\":\"b\"}\n{\"id\": \n");
        f.close();
        ModelPreviewDialog d(nullptr, QString(), file);
        QSignalSpy inferred(&d, &ModelPreviewDialog::inferred);
        d.show();
        QVERIFY(inferred.wait(10000));
        QVERIFY(!d.editedModel());
        auto *messages = child<MessageBar>(&d, u"modelMessages"_s);
        QVERIFY(messages->isVisible());
        QVERIFY2(messages->text().contains(u"broken.jsonl:3"_s), qPrintable(messages->text()));
        QVERIFY(!child<QPushButton>(&d, u"saveModelButton"_s)->isEnabled());
    }

    void createsAMissingTableOnAttach()
    {
        m_stores.open(10);
        const QString file = m_stores.filePath(u"items.jsonl"_s);
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"itemId\":\"i1\",\"n\":1}\n{\"itemId\":\"i2\",\"n\":2}\n");
        f.close();
        ModelPreviewDialog d(m_stores.runner(), u"items"_s, file);
        QSignalSpy inferred(&d, &ModelPreviewDialog::inferred);
        QSignalSpy attached(&d, &ModelPreviewDialog::modelAttached);
        d.show();
        QVERIFY(inferred.wait(10000));
        QCOMPARE(d.attachTarget(), u"items"_s);
        d.attachToTable();
        QTRY_COMPARE(attached.count(), 1);
        QVERIFY(m_notifier.questions.front().contains(u"no table items"_s));
        auto info = m_stores.runner()
                        ->run([](RecordStore &s) { return s.describeTable(u"items"_s); })
                        .result();
        QVERIFY(info);
        QVERIFY(info->model->root().field(u"n"_s));
    }

    void cancelStopsTheInference()
    {
        m_stores.open(3000);
        QSemaphore reached, proceed;
        // A failing check must not leave the store thread waiting (cleanup would hang).
        auto release = qScopeGuard([&] { proceed.release(100); });
        ModelPreviewDialog d(m_stores.runner(), u"users"_s);
        std::atomic_bool first{true};
        d.setPageHook([&](qint64) {
            if (first.exchange(false)) {
                reached.release();
                proceed.acquire();
            }
        });
        QSignalSpy inferred(&d, &ModelPreviewDialog::inferred);
        d.show();
        // Events must run (the start is queued), so no blocking tryAcquire here.
        QTRY_COMPARE_WITH_TIMEOUT(reached.available(), 1, 10000);
        QVERIFY(d.isInferring());
        auto *cancel = child<QPushButton>(&d, u"cancelInferenceButton"_s);
        QVERIFY(cancel->isVisible() && cancel->isEnabled());
        QVERIFY(!child<QPushButton>(&d, u"saveModelButton"_s)->isEnabled());
        QTRY_VERIFY(child<QLabel>(&d, u"inferenceProgressText"_s)
                        ->text()
                        .contains(u"of %1 records"_s.arg(QLocale().toString(3000))));
        QTest::qWait(100); // the layout settles, as it does on screen
        d.grab().save(u"/tmp/h13-modelpreview-running.png"_s);
        QTest::mouseClick(cancel, Qt::LeftButton);
        proceed.release();
        QVERIFY(inferred.wait(10000));
        QVERIFY(!d.isInferring());
        QVERIFY(!d.editedModel());
        QVERIFY(child<QLabel>(&d, u"inferenceSummary"_s)->text().startsWith(u"Cancelled after"_s));
        QVERIFY(!cancel->isVisible());
        QVERIFY(!child<QPushButton>(&d, u"attachModelButton"_s)->isEnabled());
    }

    void closingWhileInferringIsSafe()
    {
        m_stores.open(3000);
        QSemaphore reached, proceed;
        std::atomic<qint64> pages{0};
        auto release = qScopeGuard([&] { proceed.release(100); });
        auto *d = new ModelPreviewDialog(m_stores.runner(), u"users"_s);
        d->setPageHook([&](qint64) {
            if (++pages == 1) {
                reached.release();
                proceed.acquire();
            }
        });
        d->show();
        QTRY_COMPARE_WITH_TIMEOUT(reached.available(), 1, 10000);
        QPointer<ModelPreviewDialog> guard(d);
        d->reject(); // cancels
        delete d;
        proceed.release();
        // The worker stops at its next page; the runner still serves calls afterwards.
        auto count =
            m_stores.runner()->run([](RecordStore &s) { return s.count(u"users"_s); }).result();
        QVERIFY(count);
        QCOMPARE(*count, 3000);
        QCOMPARE(pages.load(), 1);
        QTest::qWait(50); // any queued result finds no dialog
    }

    void screenshot()
    {
        m_stores.open(1200);
        auto d = inferUsers();
        d->resize(900, 640);
        QTest::qWait(100); // the layout settles, as it does on screen
        d->grab().save(u"/tmp/h13-modelpreview-tree.png"_s);
        child<QTabWidget>(d.get(), u"modelTabs"_s)->setCurrentIndex(1);
        QString text = d->modelText();
        text.replace(u"\"type\": \"str\""_s, u"\"type\": \"string\""_s);
        setText(*d, text);
        QTest::qWait(100); // the layout settles, as it does on screen
        d->grab().save(u"/tmp/h13-modelpreview-json.png"_s);
    }
};

QTEST_MAIN(TstModelPreview)
#include "tst_modelpreview.moc"
