// The record inspector on its own: the tree's fields, values and types (declared ones from
// the table model), the lossless JSON text, and the problems of an invalid record.

#include "model/json/jsoncodec.h"
#include "model/store/open/demodata.h"
#include "widgets/grid/recordinspector.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTest>
#include <QTreeWidget>

class TstRecordInspector : public QObject
{
    Q_OBJECT

private slots:
    void showsNestedValuesWithTypes();
    void jsonIsLosslessAndCopied();
    void showsProblems();
    void clearShowsPlaceholder();

private:
    static QTreeWidgetItem *find(QTreeWidget *tree, const QStringList &path);
    static Value sample();
};

Value TstRecordInspector::sample()
{
    auto parsed = JsonCodec::parsePlain(R"({
        "userId": "u1", "username": "ada", "age": 36.50,
        "score": 12345678901234567890123456789012345678,
        "metadata": {"accountCreationTimestamp": 1600000000, "plan": "pro"},
        "tokens": {"t1": {"expirationTimestamp": 1800000000, "device": {"name": "Pixel"}}},
        "logs": ["signed in", {"event": "signed out"}],
        "settings": {"deep": {"deeper": [1, 2, 3]}}
    })");
    Q_ASSERT(parsed.ok());
    Value record = *parsed;
    record.mapRef().insert(QStringLiteral("tags"),
                           Value::stringSet({QStringLiteral("beta"), QStringLiteral("eu")}));
    record.mapRef().insert(QStringLiteral("avatar"), Value::binary(QByteArray("\x01\x02\x03", 3)));
    return record;
}

QTreeWidgetItem *TstRecordInspector::find(QTreeWidget *tree, const QStringList &path)
{
    QTreeWidgetItem *item = nullptr;
    for (const QString &name : path) {
        QTreeWidgetItem *next = nullptr;
        const int n = item ? item->childCount() : tree->topLevelItemCount();
        for (int i = 0; i < n && !next; ++i) {
            QTreeWidgetItem *c = item ? item->child(i) : tree->topLevelItem(i);
            if (c->text(0) == name)
                next = c;
        }
        if (!next)
            return nullptr;
        item = next;
    }
    return item;
}

void TstRecordInspector::showsNestedValuesWithTypes()
{
    RecordInspector inspector;
    inspector.resize(420, 600);
    inspector.show();
    inspector.setRecord(sample(), DemoData::usersModel(), {}, false);
    auto *tree = inspector.findChild<QTreeWidget *>(QStringLiteral("inspectorTree"));
    QVERIFY(tree);
    // The key first, then the model's fields in declared order.
    QCOMPARE(tree->topLevelItem(0)->text(0), QStringLiteral("userId"));
    QCOMPARE(tree->topLevelItem(1)->text(0), QStringLiteral("username"));

    QTreeWidgetItem *age = find(tree, {QStringLiteral("age")});
    QCOMPARE(age->text(1), QStringLiteral("36.50")); // exact number text
    QCOMPARE(age->text(2), QStringLiteral("N · int|float|str"));
    QCOMPARE(find(tree, {QStringLiteral("score")})->text(1),
             QStringLiteral("12345678901234567890123456789012345678"));

    QTreeWidgetItem *token = find(tree, {QStringLiteral("tokens"), QStringLiteral("t1")});
    QVERIFY(token);
    QCOMPARE(token->text(2), QStringLiteral("M · AuthToken"));
    QVERIFY(token->isExpanded() || token->parent()->isExpanded());
    QCOMPARE(find(tree, {QStringLiteral("tokens"), QStringLiteral("t1"), QStringLiteral("device"),
                         QStringLiteral("name")})
                 ->text(2),
             QStringLiteral("S · str"));
    QCOMPARE(find(tree, {QStringLiteral("tokens")})->text(2), QStringLiteral("M · dict"));

    QTreeWidgetItem *logs = find(tree, {QStringLiteral("logs")});
    QCOMPARE(logs->text(1), QStringLiteral("[2 items]"));
    QCOMPARE(logs->child(0)->text(0), QStringLiteral("[0]"));
    QCOMPARE(logs->child(1)->text(2).left(1), QStringLiteral("M"));

    QTreeWidgetItem *tags = find(tree, {QStringLiteral("tags")});
    QCOMPARE(tags->text(2), QStringLiteral("SS · set"));
    QCOMPARE(tags->childCount(), 2);
    QCOMPARE(tags->child(1)->text(1), QStringLiteral("eu"));

    // `any` fields have no declared type below them, only the stored one.
    QCOMPARE(
        find(tree, {QStringLiteral("settings"), QStringLiteral("deep"), QStringLiteral("deeper")})
            ->text(2),
        QStringLiteral("L"));
    QVERIFY(find(tree, {QStringLiteral("avatar")})->text(2).startsWith(QStringLiteral("B")));
    QCOMPARE(inspector.findChild<QLabel *>(QStringLiteral("inspectorTitle"))->text(),
             QStringLiteral("u1"));
}

void TstRecordInspector::jsonIsLosslessAndCopied()
{
    RecordInspector inspector;
    inspector.show();
    const Value record = sample();
    inspector.setRecord(record, DemoData::usersModel(), {}, false);
    const QString json =
        inspector.findChild<QPlainTextEdit *>(QStringLiteral("inspectorJson"))->toPlainText();
    QVERIFY(json.contains(QStringLiteral("\"score\": 12345678901234567890123456789012345678")));
    QVERIFY(json.contains(QStringLiteral("\"age\": 36.50")));
    QVERIFY(json.contains(QStringLiteral("\n  \"metadata\": {\n    \"accountCreationTimestamp\"")));
    // The pretty text is the same JSON as the compact one.
    auto reparsed = JsonCodec::parsePlain(json.toUtf8());
    QVERIFY(reparsed.ok());
    QCOMPARE(JsonCodec::toPlain(*reparsed), JsonCodec::toPlain(record));

    QSignalSpy copied(&inspector, &RecordInspector::jsonCopied);
    QTest::mouseClick(inspector.findChild<QWidget *>(QStringLiteral("copyJsonButton")),
                      Qt::LeftButton);
    QCOMPARE(copied.count(), 1);
    QCOMPARE(QGuiApplication::clipboard()->text(), json);
}

void TstRecordInspector::showsProblems()
{
    RecordInspector inspector;
    inspector.show();
    const QStringList problems{QStringLiteral("username: is required but missing"),
                               QStringLiteral("age: <b>not</b> a number")};
    inspector.setRecord(sample(), DemoData::usersModel(), problems, true);
    auto *label = inspector.findChild<QLabel *>(QStringLiteral("inspectorProblems"));
    QVERIFY(label->isVisible());
    QVERIFY(label->text().contains(QStringLiteral("username: is required but missing")));
    QVERIFY(label->text().contains(QStringLiteral("&lt;b&gt;not&lt;/b&gt;"))); // shown as text
    QVERIFY(inspector.findChild<QLabel *>(QStringLiteral("inspectorSubtitle"))
                ->text()
                .contains(QStringLiteral("fails")));
    inspector.setRecord(sample(), DemoData::usersModel(), {}, false);
    QVERIFY(!label->isVisible());
}

void TstRecordInspector::clearShowsPlaceholder()
{
    RecordInspector inspector;
    inspector.show();
    inspector.setRecord(sample(), DemoData::usersModel(), {}, false);
    QVERIFY(inspector.hasRecord());
    inspector.clear();
    QVERIFY(!inspector.hasRecord());
    auto *stack = inspector.findChild<QStackedWidget *>(QStringLiteral("inspectorStack"));
    QCOMPARE(stack->currentWidget()->objectName(), QStringLiteral("inspectorPlaceholder"));
    QVERIFY(inspector.findChild<QPlainTextEdit *>(QStringLiteral("inspectorJson"))
                ->toPlainText()
                .isEmpty());
}

QTEST_MAIN(TstRecordInspector)
#include "tst_recordinspector.moc"
