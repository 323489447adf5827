// Undo and redo of record changes against a real SQLite store: create, edit, cell edit, delete
// and remove; each undo/redo is a checked store operation, and one refused because the record
// changed meanwhile (through a second connection) is reported and leaves the stack index
// saying what the store holds. Also the grid's cell-edit helper and the delete/remove helpers.

#include "model/json/jsoncodec.h"
#include "model/store/open/demodata.h"
#include "model/store/open/storerunner.h"
#include "model/store/sqlite/sqlitestore.h"
#include "tests/common/recordingnotifier.h"
#include "widgets/commands/deleterecords.h"
#include "widgets/commands/recordcommands.h"
#include "widgets/common/notifier.h"

#include <QAction>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

namespace {

const QString kUsers = QStringLiteral("users");

Value str(const QString &s)
{
    return Value::string(s);
}

} // namespace

class TstRecordCommands : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void createUndoRedo();
    void editUndoRedo();
    void cellEditUndoRedo();
    void cellEditOfAbsentFieldUndoRemovesIt();
    void cellEditRefusedWhenChangedMeanwhile();
    void deleteUndoRedo();
    void failedUndoIsReported();
    void failedRedoIsReported();
    void undoActionsFollowTheStack();
    void cellEditValues_data();
    void cellEditValues();
    void cellEditValuesOnAnInferredModel();
    void confirmAndRemovedRecordsDialog();

private:
    std::unique_ptr<SqliteStore> second();
    std::optional<Value> stored(const QString &key);
    bool waitIdle(RecordHistory &history);

    QTemporaryDir *m_dir = nullptr;
    QString m_path;
    std::unique_ptr<StoreRunner> m_runner;
    TableModelPtr m_model;
};

void TstRecordCommands::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_model = DemoData::usersModel();
}

void TstRecordCommands::init()
{
    m_dir = new QTemporaryDir;
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(QStringLiteral("demo.structdesk"));
    QVERIFY(DemoData::createDemoStore(m_path, 50).ok());
    m_runner = std::make_unique<StoreRunner>();
    auto opened = m_runner->open(m_path);
    opened.waitForFinished();
    QVERIFY(opened.result().ok());
}

void TstRecordCommands::cleanup()
{
    m_runner.reset();
    delete m_dir;
    m_dir = nullptr;
}

std::unique_ptr<SqliteStore> TstRecordCommands::second()
{
    auto store = SqliteStore::open(m_path);
    Q_ASSERT(store.ok());
    return std::move(*store);
}

std::optional<Value> TstRecordCommands::stored(const QString &key)
{
    auto record = second()->getRecord(kUsers, str(key));
    Q_ASSERT(record.ok());
    return *record;
}

bool TstRecordCommands::waitIdle(RecordHistory &history)
{
    return QTest::qWaitFor([&] { return !history.isBusy(); }, 5000);
}

void TstRecordCommands::createUndoRedo()
{
    RecordHistory history(m_runner.get());
    QSignalSpy succeeded(&history, &RecordHistory::succeeded);
    QSignalSpy changed(&history, &RecordHistory::tableChanged);
    const Value record =
        Value::map({{QStringLiteral("userId"), str(QStringLiteral("new-1"))},
                    {QStringLiteral("username"), str(QStringLiteral("nia"))},
                    {QStringLiteral("age"), Value::numberUnchecked(QStringLiteral("30"))}});
    QVERIFY(second()->putRecord(kUsers, record).ok()); // what a form's save did
    history.recordSaved(kUsers, m_model, Value(), record);
    QCOMPARE(history.stack()->count(), 1);
    QCOMPARE(history.stack()->undoText(), QStringLiteral("Create new-1"));
    QVERIFY(!history.isBusy()); // pushing does not write again

    history.undo();
    QVERIFY(history.isBusy());
    QVERIFY(waitIdle(history));
    QCOMPARE(succeeded.count(), 1);
    QCOMPARE(changed.last().at(0).toString(), kUsers);
    QVERIFY(!stored(QStringLiteral("new-1")));
    QCOMPARE(history.stack()->index(), 0);

    history.redo();
    QVERIFY(waitIdle(history));
    QCOMPARE(stored(QStringLiteral("new-1")), std::optional<Value>(record));
    QCOMPARE(history.stack()->index(), 1);
}

void TstRecordCommands::editUndoRedo()
{
    RecordHistory history(m_runner.get());
    QSignalSpy failed(&history, &RecordHistory::failed);
    const Value before = *stored(QStringLiteral("user-0000005"));
    Value after = before;
    after.mapRef().insert(QStringLiteral("username"), str(QStringLiteral("edited")));
    QVERIFY(second()->replaceRecord(kUsers, before, after).ok());
    history.recordSaved(kUsers, m_model, before, after);
    QCOMPARE(history.stack()->undoText(), QStringLiteral("Edit user-0000005"));

    history.undo();
    QVERIFY(waitIdle(history));
    QCOMPARE(stored(QStringLiteral("user-0000005")), std::optional<Value>(before));
    history.redo();
    QVERIFY(waitIdle(history));
    QCOMPARE(stored(QStringLiteral("user-0000005")), std::optional<Value>(after));
    QCOMPARE(failed.count(), 0);

    // An invalid record (generated invalid on purpose) is put back exactly as it was.
    const Value broken = Value::map({{QStringLiteral("userId"), str(QStringLiteral("broken"))},
                                     {QStringLiteral("age"), Value::boolean(true)}});
    QVERIFY(second()->writeRaw(kUsers, broken, true).ok());
    Value fixed =
        Value::map({{QStringLiteral("userId"), str(QStringLiteral("broken"))},
                    {QStringLiteral("username"), str(QStringLiteral("fixed"))},
                    {QStringLiteral("age"), Value::numberUnchecked(QStringLiteral("3"))}});
    QVERIFY(second()->replaceRecord(kUsers, broken, fixed).ok());
    history.recordSaved(kUsers, m_model, broken, fixed);
    history.undo();
    QVERIFY(waitIdle(history));
    QCOMPARE(failed.count(), 0);
    QCOMPARE(stored(QStringLiteral("broken")), std::optional<Value>(broken));
}

void TstRecordCommands::cellEditUndoRedo()
{
    RecordHistory history(m_runner.get());
    QSignalSpy edited(&history, &RecordHistory::cellEdited);
    QSignalSpy failed(&history, &RecordHistory::failed);
    const Value before = *stored(QStringLiteral("user-0000006"));
    const Value oldName = *before.find(QStringLiteral("username"));
    auto value =
        cellEditValue(*m_model, before, QStringLiteral("username"), QStringLiteral("renamed"));
    QVERIFY(value.ok());
    history.editField(kUsers, m_model, str(QStringLiteral("user-0000006")),
                      QStringLiteral("username"), oldName, *value);
    QTRY_COMPARE(edited.count(), 1);
    QCOMPARE(*stored(QStringLiteral("user-0000006"))->find(QStringLiteral("username")),
             str(QStringLiteral("renamed")));
    QCOMPARE(history.stack()->undoText(), QStringLiteral("Change username of user-0000006"));

    // Another field changes meanwhile: the cell's undo still applies (it checks its own field).
    {
        Value other = *stored(QStringLiteral("user-0000006"));
        other.mapRef().insert(QStringLiteral("email"), str(QStringLiteral("other@example.com")));
        QVERIFY(second()->writeRaw(kUsers, other, false).ok());
    }
    history.undo();
    QVERIFY(waitIdle(history));
    QCOMPARE(failed.count(), 0);
    const auto undone = stored(QStringLiteral("user-0000006"));
    QCOMPARE(*undone->find(QStringLiteral("username")), oldName);
    QCOMPARE(*undone->find(QStringLiteral("email")), str(QStringLiteral("other@example.com")));
    history.redo();
    QVERIFY(waitIdle(history));
    QCOMPARE(*stored(QStringLiteral("user-0000006"))->find(QStringLiteral("username")),
             str(QStringLiteral("renamed")));
}

void TstRecordCommands::cellEditOfAbsentFieldUndoRemovesIt()
{
    RecordHistory history(m_runner.get());
    QSignalSpy edited(&history, &RecordHistory::cellEdited);
    Value record = *stored(QStringLiteral("user-0000007"));
    record.mapRef().remove(QStringLiteral("nextReminderTimestamp"));
    QVERIFY(second()->writeRaw(kUsers, record, false).ok());
    auto value = cellEditValue(*m_model, record, QStringLiteral("nextReminderTimestamp"),
                               QStringLiteral("1700000000"));
    QVERIFY(value.ok());
    history.editField(kUsers, m_model, str(QStringLiteral("user-0000007")),
                      QStringLiteral("nextReminderTimestamp"), std::nullopt, *value);
    QTRY_COMPARE(edited.count(), 1);
    QCOMPARE(stored(QStringLiteral("user-0000007"))
                 ->find(QStringLiteral("nextReminderTimestamp"))
                 ->text(),
             QStringLiteral("1700000000"));
    history.undo();
    QVERIFY(waitIdle(history));
    QCOMPARE(stored(QStringLiteral("user-0000007")), std::optional<Value>(record));
}

void TstRecordCommands::cellEditRefusedWhenChangedMeanwhile()
{
    RecordHistory history(m_runner.get());
    QSignalSpy failed(&history, &RecordHistory::failed);
    const Value shown = *stored(QStringLiteral("user-0000008"))->find(QStringLiteral("username"));
    QVERIFY(
        second()
            ->updateField(kUsers, str(QStringLiteral("user-0000008")),
                          FieldSetter{QStringLiteral("username"), str(QStringLiteral("theirs"))})
            .ok());
    history.editField(kUsers, m_model, str(QStringLiteral("user-0000008")),
                      QStringLiteral("username"), shown, str(QStringLiteral("mine")));
    QTRY_COMPARE(failed.count(), 1);
    QVERIFY2(failed.at(0).at(0).toString().contains(QStringLiteral("changed in the store")),
             qPrintable(failed.at(0).at(0).toString()));
    QCOMPARE(*stored(QStringLiteral("user-0000008"))->find(QStringLiteral("username")),
             str(QStringLiteral("theirs")));
    QCOMPARE(history.stack()->count(), 0);

    // A record deleted meanwhile is not re-created by the cell edit (update_field would).
    QVERIFY(second()->deleteRecord(kUsers, str(QStringLiteral("user-0000009"))).ok());
    history.editField(kUsers, m_model, str(QStringLiteral("user-0000009")),
                      QStringLiteral("username"), std::nullopt, str(QStringLiteral("ghost")));
    QTRY_COMPARE(failed.count(), 2);
    QVERIFY(failed.at(1).at(0).toString().contains(QStringLiteral("no longer exists")));
    QVERIFY(!stored(QStringLiteral("user-0000009")));
}

void TstRecordCommands::deleteUndoRedo()
{
    RecordHistory history(m_runner.get());
    QSignalSpy finished(&history, &RecordHistory::deletionFinished);
    const Value a = *stored(QStringLiteral("user-0000010"));
    const Value b = *stored(QStringLiteral("user-0000011"));
    QVERIFY(second()->deleteRecord(kUsers, str(QStringLiteral("user-0000012"))).ok());
    history.deleteRecords(kUsers, m_model,
                          {str(QStringLiteral("user-0000010")), str(QStringLiteral("user-0000012")),
                           str(QStringLiteral("user-0000011"))},
                          DeleteMode::Delete);
    QTRY_COMPARE(finished.count(), 1);
    const auto report = finished.at(0).at(0).value<DeletionReport>();
    QCOMPARE(report.records.size(), 2);
    QCOMPARE(report.missingKeys, QList<Value>{str(QStringLiteral("user-0000012"))});
    QCOMPARE(report.summary(),
             QStringLiteral("Deleted 2 records. user-0000012 no longer existed."));
    QVERIFY(!stored(QStringLiteral("user-0000010")));
    QVERIFY(!stored(QStringLiteral("user-0000011")));
    QCOMPARE(history.stack()->undoText(), QStringLiteral("Delete 2 records"));

    history.undo();
    QVERIFY(waitIdle(history));
    QCOMPARE(stored(QStringLiteral("user-0000010")), std::optional<Value>(a));
    QCOMPARE(stored(QStringLiteral("user-0000011")), std::optional<Value>(b));
    history.redo();
    QVERIFY(waitIdle(history));
    QVERIFY(!stored(QStringLiteral("user-0000010")));
    QVERIFY(!stored(QStringLiteral("user-0000011")));

    // Undo of a delete refuses to overwrite a record created again with that key meanwhile:
    // nothing is restored (all or nothing) and the failure is reported.
    QSignalSpy failed(&history, &RecordHistory::failed);
    const Value again =
        Value::map({{QStringLiteral("userId"), str(QStringLiteral("user-0000011"))},
                    {QStringLiteral("username"), str(QStringLiteral("again"))},
                    {QStringLiteral("age"), Value::numberUnchecked(QStringLiteral("1"))}});
    QVERIFY(second()->putRecord(kUsers, again).ok());
    history.undo();
    QVERIFY(waitIdle(history));
    QCOMPARE(failed.count(), 1);
    QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("exists in the store again")));
    QVERIFY(!stored(QStringLiteral("user-0000010")));
    QCOMPARE(stored(QStringLiteral("user-0000011")), std::optional<Value>(again));
    QCOMPARE(history.stack()->index(), 1); // still done
}

void TstRecordCommands::failedUndoIsReported()
{
    RecordHistory history(m_runner.get());
    QSignalSpy failed(&history, &RecordHistory::failed);
    const Value before = *stored(QStringLiteral("user-0000013"));
    Value after = before;
    after.mapRef().insert(QStringLiteral("username"), str(QStringLiteral("ours")));
    QVERIFY(second()->replaceRecord(kUsers, before, after).ok());
    history.recordSaved(kUsers, m_model, before, after);

    // Someone changes the record after our edit: undo must not overwrite their change.
    Value theirs = after;
    theirs.mapRef().insert(QStringLiteral("email"), str(QStringLiteral("theirs@example.com")));
    QVERIFY(second()->replaceRecord(kUsers, after, theirs).ok());
    history.undo();
    QVERIFY(waitIdle(history));
    QCOMPARE(failed.count(), 1);
    const QString message = failed.at(0).at(0).toString();
    QVERIFY2(message.contains(QStringLiteral("Could not undo")) &&
                 message.contains(QStringLiteral("changed in the store")),
             qPrintable(message));
    QCOMPARE(stored(QStringLiteral("user-0000013")), std::optional<Value>(theirs));
    // The stack says what the store holds: the edit is still done, and can be undone later.
    QCOMPARE(history.stack()->index(), 1);
    QVERIFY(history.stack()->canUndo());
    QVERIFY(history.undoAction()->isEnabled());

    // Once their change is gone again, the undo goes through.
    QVERIFY(second()->replaceRecord(kUsers, theirs, after).ok());
    history.undo();
    QVERIFY(waitIdle(history));
    QCOMPARE(failed.count(), 1);
    QCOMPARE(stored(QStringLiteral("user-0000013")), std::optional<Value>(before));
    QCOMPARE(history.stack()->index(), 0);
}

void TstRecordCommands::failedRedoIsReported()
{
    RecordHistory history(m_runner.get());
    QSignalSpy failed(&history, &RecordHistory::failed);
    const Value record =
        Value::map({{QStringLiteral("userId"), str(QStringLiteral("new-2"))},
                    {QStringLiteral("username"), str(QStringLiteral("ola"))},
                    {QStringLiteral("age"), Value::numberUnchecked(QStringLiteral("20"))}});
    QVERIFY(second()->putRecord(kUsers, record).ok());
    history.recordSaved(kUsers, m_model, Value(), record);
    history.undo();
    QVERIFY(waitIdle(history));
    QVERIFY(!stored(QStringLiteral("new-2")));
    // The key is taken again by someone else: redoing the create must not overwrite it.
    Value other = record;
    other.mapRef().insert(QStringLiteral("username"), str(QStringLiteral("someone")));
    QVERIFY(second()->putRecord(kUsers, other).ok());
    history.redo();
    QVERIFY(waitIdle(history));
    QCOMPARE(failed.count(), 1);
    QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("Could not redo")));
    QCOMPARE(stored(QStringLiteral("new-2")), std::optional<Value>(other));
    QCOMPARE(history.stack()->index(), 0); // still undone
    QVERIFY(history.stack()->canRedo());
}

void TstRecordCommands::undoActionsFollowTheStack()
{
    RecordHistory history(m_runner.get());
    QVERIFY(!history.undoAction()->isEnabled());
    QCOMPARE(history.undoAction()->shortcut(), QKeySequence(QKeySequence::Undo));
    QVERIFY(
        history.redoAction()->shortcuts().contains(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)));
    const Value before = *stored(QStringLiteral("user-0000014"));
    Value after = before;
    after.mapRef().insert(QStringLiteral("username"), str(QStringLiteral("x")));
    QVERIFY(second()->replaceRecord(kUsers, before, after).ok());
    history.recordSaved(kUsers, m_model, before, after);
    QVERIFY(history.undoAction()->isEnabled());
    QCOMPARE(history.undoAction()->text(), QStringLiteral("Undo Edit user-0000014"));
    QSignalSpy busy(&history, &RecordHistory::busyChanged);
    history.undoAction()->trigger();
    QVERIFY(!history.undoAction()->isEnabled()); // while the store works
    QVERIFY(!history.redoAction()->isEnabled());
    history.redo(); // ignored while busy
    QVERIFY(waitIdle(history));
    QCOMPARE(busy.count(), 2);
    QCOMPARE(history.stack()->index(), 0);
    QVERIFY(history.redoAction()->isEnabled());
    QCOMPARE(stored(QStringLiteral("user-0000014")), std::optional<Value>(before));
}

void TstRecordCommands::cellEditValues_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("current"); // plain JSON of the current value, "" for absent
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected"); // number text or plain JSON, or "!" + part of the error

    QTest::newRow("int") << "nextReminderTimestamp"
                         << ""
                         << "1700000000"
                         << "1700000000";
    QTest::newRow("int keeps text") << "nextReminderTimestamp"
                                    << ""
                                    << " 0042 "
                                    << "0042";
    QTest::newRow("int refuses fraction") << "nextReminderTimestamp"
                                          << ""
                                          << "12.5"
                                          << "!whole number";
    QTest::newRow("decimal exact") << "score"
                                   << "1.5"
                                   << "12.50"
                                   << "12.50";
    QTest::newRow("decimal refuses text") << "score"
                                          << ""
                                          << "abc"
                                          << "!not a number";
    QTest::newRow("str") << "username"
                         << "\"a\""
                         << "12"
                         << "\"12\"";
    QTest::newRow("bool") << "active"
                          << "true"
                          << "False"
                          << "false";
    QTest::newRow("bool refuses") << "active"
                                  << ""
                                  << "yes"
                                  << "!true or false";
    QTest::newRow("union keeps str") << "age"
                                     << "\"unknown\""
                                     << "12"
                                     << "\"12\"";
    QTest::newRow("union number") << "age"
                                  << "30"
                                  << "31.5"
                                  << "31.5";
    QTest::newRow("union first fit") << "age"
                                     << ""
                                     << "twelve"
                                     << "\"twelve\"";
    QTest::newRow("key refused") << "userId"
                                 << "\"u\""
                                 << "v"
                                 << "!key change wizard";
    QTest::newRow("map refused") << "metadata"
                                 << "{}"
                                 << "x"
                                 << "!edit it in the form";
    QTest::newRow("set refused") << "tags"
                                 << ""
                                 << "x"
                                 << "!edit it in the form";
    QTest::newRow("unknown field") << "nope"
                                   << ""
                                   << "x"
                                   << "!nope";
    // Issue 11: numbers beyond any range are a plain sentence naming the field; -0 keeps its text.
    QTest::newRow("numberBeyondRangeRefusedPlainly int")
        << "nextReminderTimestamp"
        << ""
        << "1e400"
        << "!nextReminderTimestamp: 1e400 is out of range";
    QTest::newRow("numberBeyondRangeRefusedPlainly decimal") << "score"
                                                             << ""
                                                             << "-1E+126"
                                                             << "!score: -1E+126 is out of range";
    QTest::newRow("negativeZeroKeepsItsText decimal") << "score"
                                                      << ""
                                                      << "-0"
                                                      << "-0";
    QTest::newRow("negativeZeroKeepsItsText int") << "nextReminderTimestamp"
                                                  << ""
                                                  << "-0"
                                                  << "-0";
}

void TstRecordCommands::cellEditValues()
{
    QFETCH(QString, field);
    QFETCH(QString, current);
    QFETCH(QString, text);
    QFETCH(QString, expected);
    Value record = Value::map({{QStringLiteral("userId"), str(QStringLiteral("u"))}});
    if (!current.isEmpty())
        record.mapRef().insert(field, *JsonCodec::parsePlain(current.toUtf8()));
    auto value = cellEditValue(*m_model, record, field, text);
    if (expected.startsWith(u'!')) {
        QVERIFY(!value.ok());
        QVERIFY2(value.error().toString().contains(expected.mid(1)),
                 qPrintable(value.error().toString()));
        QVERIFY2(!value.error().toString().contains(QStringLiteral("json.exception")),
                 qPrintable(value.error().toString()));
        return;
    }
    QVERIFY2(value.ok(), qPrintable(value.ok() ? QString() : value.error().toString()));
    // Numbers are compared by their exact text (plain JSON would normalise "0042").
    QCOMPARE(value->isNumber() ? value->text() : QString::fromUtf8(JsonCodec::toPlain(*value)),
             expected);
}

void TstRecordCommands::cellEditValuesOnAnInferredModel()
{
    // A model inferred from sampled records is a guess: its types come first, any scalar is
    // accepted after them, and fields it never saw can be edited; the key still cannot.
    const TableModelPtr inferred = TableModel::advisoryCopy(*m_model);
    const Value record = Value::map({{QStringLiteral("userId"), str(QStringLiteral("u"))}});
    auto text = [&](const QString &field, const QString &typed) -> QString {
        auto value = cellEditValue(*inferred, record, field, typed);
        if (!value)
            return u'!' + value.error().toString();
        return value->isNumber() ? value->text() : QString::fromUtf8(JsonCodec::toPlain(*value));
    };
    QCOMPARE(text(QStringLiteral("nextReminderTimestamp"), QStringLiteral("42")),
             QStringLiteral("42"));
    QCOMPARE(text(QStringLiteral("nextReminderTimestamp"), QStringLiteral("soon")),
             QStringLiteral("\"soon\""));
    QCOMPARE(text(QStringLiteral("username"), QStringLiteral("12")), QStringLiteral("\"12\""));
    QCOMPARE(text(QStringLiteral("nope"), QStringLiteral("x")), QStringLiteral("\"x\""));
    QVERIFY(text(QStringLiteral("userId"), QStringLiteral("v"))
                .contains(QStringLiteral("key change wizard")));
    // The same edits on the attached (enforced) model are refused.
    QVERIFY(!cellEditValue(*m_model, record, QStringLiteral("nextReminderTimestamp"),
                           QStringLiteral("soon")));
    QVERIFY(!cellEditValue(*m_model, record, QStringLiteral("nope"), QStringLiteral("x")));
}

void TstRecordCommands::confirmAndRemovedRecordsDialog()
{
    RecordingNotifier notifier;
    Notifier::setInstance(&notifier);
    const QList<Value> keys = {str(QStringLiteral("user-0000015")),
                               str(QStringLiteral("user-0000016")), str(QStringLiteral("nobody"))};
    notifier.answer = false;
    QVERIFY(!confirmDeletion(nullptr, kUsers, keys, DeleteMode::Remove));
    QVERIFY(notifier.questions.last().contains(QStringLiteral("Remove 3 records")));
    notifier.answer = true;
    QVERIFY(confirmDeletion(nullptr, kUsers, {keys.front()}, DeleteMode::Delete));
    QVERIFY(notifier.questions.last().contains(
        QStringLiteral("Delete the record user-0000015 from users?")));
    Notifier::setInstance(nullptr);

    const Value a = *stored(QStringLiteral("user-0000015"));
    const Value b = *stored(QStringLiteral("user-0000016"));
    RecordHistory history(m_runner.get());
    QSignalSpy finished(&history, &RecordHistory::deletionFinished);
    history.deleteRecords(kUsers, m_model, keys, DeleteMode::Remove);
    QTRY_COMPARE(finished.count(), 1);
    const auto report = finished.at(0).at(0).value<DeletionReport>();
    QCOMPARE(report.summary(), QStringLiteral("Removed 2 records. nobody no longer existed."));
    QCOMPARE(history.stack()->undoText(), QStringLiteral("Remove 2 records"));

    RemovedRecordsDialog dialog(report);
    QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("removedSummary"))
                ->text()
                .contains(QStringLiteral("nobody no longer existed")));
    const QByteArray lines = dialog.jsonLines();
    QCOMPARE(lines, JsonCodec::toPlain(a) + '\n' + JsonCodec::toPlain(b) + '\n');
    QCOMPARE(dialog.findChild<QPlainTextEdit *>(QStringLiteral("removedRecordsText"))
                 ->toPlainText()
                 .toUtf8(),
             lines);
    const QString file = m_dir->filePath(QStringLiteral("removed.jsonl"));
    QVERIFY(dialog.saveTo(file));
    QFile saved(file);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    QCOMPARE(saved.readAll(), lines);
    dialog.setDynamoFormat(true);
    QVERIFY(dialog.jsonLines().startsWith(JsonCodec::toDynamoItem(a)));
    QVERIFY(!dialog.saveTo(m_dir->filePath(QStringLiteral("no/such/folder/x.jsonl"))));

    // Undo of the remove puts both back exactly.
    history.undo();
    QVERIFY(waitIdle(history));
    QCOMPARE(stored(QStringLiteral("user-0000015")), std::optional<Value>(a));
    QCOMPARE(stored(QStringLiteral("user-0000016")), std::optional<Value>(b));
}

QTEST_MAIN(TstRecordCommands)
#include "tst_recordcommands.moc"
