// The filter bar on its own: condition rows, typed values, Enter applies, Clear empties, and a
// field path the CLI's `scan --where` refuses is refused here with its message, nothing run.

#include "model/core/value.h"
#include "model/schema/fieldpath.h"
#include "widgets/common/messagebar.h"
#include "widgets/grid/filterbar.h"

#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

Q_DECLARE_METATYPE(std::vector<FilterCondition>)

class TstFilterBar : public QObject
{
    Q_OBJECT

private slots:
    void parseOperand_data();
    void parseOperand();
    void conditionsFromRows();
    void enterInSearchApplies();
    void existsNeedsNoValue();
    void removeAndClear();
    void malformedPathsAreRefused_data();
    void malformedPathsAreRefused();
};

void TstFilterBar::parseOperand_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<Value>("expected");
    QTest::newRow("plain text") << QStringLiteral("olivia")
                                << Value::string(QStringLiteral("olivia"));
    QTest::newRow("json string") << QStringLiteral("\"pro\"")
                                 << Value::string(QStringLiteral("pro"));
    QTest::newRow("integer") << QStringLiteral("42") << Value::integer(42);
    QTest::newRow("exact decimal")
        << QStringLiteral("68.50") << Value::numberUnchecked(QStringLiteral("68.50"));
    QTest::newRow("bool") << QStringLiteral("true") << Value::boolean(true);
    QTest::newRow("null") << QStringLiteral("null") << Value();
    QTest::newRow("not json") << QStringLiteral("42 apples")
                              << Value::string(QStringLiteral("42 apples"));
    QTest::newRow("empty") << QString() << Value::string(QString());
}

void TstFilterBar::parseOperand()
{
    QFETCH(QString, text);
    QFETCH(Value, expected);
    QCOMPARE(FilterBar::parseOperand(text), expected);
}

void TstFilterBar::conditionsFromRows()
{
    FilterBar bar;
    bar.setFieldPaths(
        {QStringLiteral("userId"), QStringLiteral("age"), QStringLiteral("metadata.plan")});
    bar.show();
    QSignalSpy applied(&bar, &FilterBar::filterApplied);

    QTest::mouseClick(bar.findChild<QPushButton *>(QStringLiteral("addConditionButton")),
                      Qt::LeftButton);
    QTest::mouseClick(bar.findChild<QPushButton *>(QStringLiteral("addConditionButton")),
                      Qt::LeftButton);
    QTest::mouseClick(bar.findChild<QPushButton *>(QStringLiteral("addConditionButton")),
                      Qt::LeftButton);
    QCOMPARE(bar.conditionCount(), 3);
    QWidget *first = bar.findChild<QWidget *>(QStringLiteral("conditionRow0"));
    QWidget *second = bar.findChild<QWidget *>(QStringLiteral("conditionRow1"));
    QVERIFY(first && second);
    auto *field = first->findChild<QComboBox *>(QStringLiteral("conditionField"));
    QCOMPARE(field->count(), 3);
    QTest::keyClicks(field->lineEdit(), QStringLiteral("metadata.plan"));
    QTest::keyClicks(first->findChild<QLineEdit *>(QStringLiteral("conditionValue")),
                     QStringLiteral("pro"));
    auto *field2 = second->findChild<QComboBox *>(QStringLiteral("conditionField"));
    QTest::keyClicks(field2->lineEdit(), QStringLiteral("age"));
    auto *op2 = second->findChild<QComboBox *>(QStringLiteral("conditionOperator"));
    op2->setCurrentIndex(op2->findText(QStringLiteral(">=")));
    auto *value2 = second->findChild<QLineEdit *>(QStringLiteral("conditionValue"));
    QTest::keyClicks(value2, QStringLiteral("30"));
    // The third row has no field: it is left out.
    QTest::keyClick(value2, Qt::Key_Return);

    QCOMPARE(applied.count(), 1);
    const auto conditions = applied.front().at(0).value<std::vector<FilterCondition>>();
    QCOMPARE(conditions.size(), std::size_t(2));
    QCOMPARE(conditions[0].path, (QStringList{QStringLiteral("metadata"), QStringLiteral("plan")}));
    QCOMPARE(conditions[0].op, FilterOp::Equal);
    QCOMPARE(conditions[0].operand, Value::string(QStringLiteral("pro")));
    QCOMPARE(conditions[1].path, QStringList{QStringLiteral("age")});
    QCOMPARE(conditions[1].op, FilterOp::GreaterEqual);
    QCOMPARE(conditions[1].operand, Value::integer(30));
    QVERIFY(bar.isActive());
}

void TstFilterBar::enterInSearchApplies()
{
    FilterBar bar;
    bar.show();
    QSignalSpy applied(&bar, &FilterBar::filterApplied);
    auto *search = bar.findChild<QLineEdit *>(QStringLiteral("searchEdit"));
    QTest::keyClicks(search, QStringLiteral("  olivia "));
    QTest::keyClick(search, Qt::Key_Enter);
    QCOMPARE(applied.count(), 1);
    QCOMPARE(applied.front().at(1).toString(), QStringLiteral("olivia"));
    QVERIFY(applied.front().at(0).value<std::vector<FilterCondition>>().empty());
}

void TstFilterBar::existsNeedsNoValue()
{
    FilterBar bar;
    bar.show();
    bar.addCondition(QStringLiteral("tokens"), FilterOp::Exists);
    QWidget *row = bar.findChild<QWidget *>(QStringLiteral("conditionRow0"));
    auto *value = row->findChild<QLineEdit *>(QStringLiteral("conditionValue"));
    QVERIFY(!value->isEnabled());
    auto *op = row->findChild<QComboBox *>(QStringLiteral("conditionOperator"));
    QCOMPARE(op->currentText(), QStringLiteral("exists"));
    op->setCurrentIndex(op->findText(QStringLiteral("contains")));
    QVERIFY(value->isEnabled());
    op->setCurrentIndex(op->findText(QStringLiteral("not exists")));
    QVERIFY(!value->isEnabled());
    const auto conditions = bar.conditions();
    QCOMPARE(conditions.size(), std::size_t(1));
    QCOMPARE(conditions[0].op, FilterOp::NotExists);
}

void TstFilterBar::removeAndClear()
{
    FilterBar bar;
    bar.show();
    bar.addCondition(QStringLiteral("a"), FilterOp::Equal, QStringLiteral("1"));
    bar.addCondition(QStringLiteral("b"), FilterOp::Equal, QStringLiteral("2"));
    QWidget *row0 = bar.findChild<QWidget *>(QStringLiteral("conditionRow0"));
    QTest::mouseClick(row0->findChild<QToolButton *>(QStringLiteral("removeConditionButton")),
                      Qt::LeftButton);
    QCOMPARE(bar.conditionCount(), 1);
    QCOMPARE(bar.conditions().front().path, QStringList{QStringLiteral("b")});
    QVERIFY(bar.findChild<QWidget *>(QStringLiteral("conditionRow0")) != row0); // renumbered

    QSignalSpy applied(&bar, &FilterBar::filterApplied);
    QTest::keyClicks(bar.findChild<QLineEdit *>(QStringLiteral("searchEdit")), QStringLiteral("x"));
    QTest::mouseClick(bar.findChild<QPushButton *>(QStringLiteral("clearFilterButton")),
                      Qt::LeftButton);
    QCOMPARE(applied.count(), 1);
    QVERIFY(applied.front().at(0).value<std::vector<FilterCondition>>().empty());
    QVERIFY(applied.front().at(1).toString().isEmpty());
    QCOMPARE(bar.conditionCount(), 0);
    QVERIFY(!bar.isActive());
}

void TstFilterBar::malformedPathsAreRefused_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("empty name between dots") << QStringLiteral("a..b");
    QTest::newRow("trailing dot") << QStringLiteral("metadata.");
    QTest::newRow("leading dot") << QStringLiteral(".plan");
    QTest::newRow("only a dot") << QStringLiteral(".");
    QTest::newRow("brackets") << QStringLiteral("settings.a[999999999]");
    QTest::newRow("braces") << QStringLiteral("tokens.{id}");
    QTest::newRow("bar") << QStringLiteral("a|b");
}

void TstFilterBar::malformedPathsAreRefused()
{
    QFETCH(QString, path);
    // The rule and the sentence are those of `scan --where` (model/schema/fieldpath.h).
    const auto cli = splitLiteralPath(path);
    QVERIFY2(!cli, qPrintable(path));

    FilterBar bar;
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    QSignalSpy applied(&bar, &FilterBar::filterApplied);
    bar.addCondition(QStringLiteral("age"), FilterOp::Equal, QStringLiteral("3"));
    bar.addCondition(path, FilterOp::Equal, QStringLiteral("1"));
    auto *error = bar.findChild<MessageBar *>(QStringLiteral("filterError"));
    QVERIFY(error);
    QVERIFY(!error->isVisible());

    QTest::mouseClick(bar.findChild<QPushButton *>(QStringLiteral("applyFilterButton")),
                      Qt::LeftButton);
    QCOMPARE(applied.count(), 0); // nothing is run
    QVERIFY(error->isVisible());
    QCOMPARE(error->kind(), MessageBar::Kind::Error);
    QCOMPARE(error->text(), QStringLiteral("Condition 2: %1").arg(cli.error().message));
    QCOMPARE(bar.errorText(), error->text());
    QVERIFY2(error->text().contains(path), qPrintable(error->text()));
    // Enter in the value refuses it the same way.
    QWidget *row = bar.findChild<QWidget *>(QStringLiteral("conditionRow1"));
    QTest::keyClick(row->findChild<QLineEdit *>(QStringLiteral("conditionValue")), Qt::Key_Return);
    QCOMPARE(applied.count(), 0);
    // conditions() leaves the refused row out; only the good one is left.
    QCOMPARE(bar.conditions().size(), std::size_t(1));

    // Corrected, it applies and the message goes.
    auto *field = row->findChild<QComboBox *>(QStringLiteral("conditionField"));
    field->setCurrentText(QStringLiteral("metadata.plan"));
    QTest::mouseClick(bar.findChild<QPushButton *>(QStringLiteral("applyFilterButton")),
                      Qt::LeftButton);
    QCOMPARE(applied.count(), 1);
    QVERIFY(!error->isVisible());
    QVERIFY(bar.errorText().isEmpty());
    const auto conditions = applied.front().at(0).value<std::vector<FilterCondition>>();
    QCOMPARE(conditions.size(), std::size_t(2));
    QCOMPARE(conditions[1].path, (QStringList{QStringLiteral("metadata"), QStringLiteral("plan")}));
}

QTEST_MAIN(TstFilterBar)
#include "tst_filterbar.moc"
