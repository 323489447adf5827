// The rules of a value typed as text (model/schema/celledit.h), without a window: a number's
// text per kind, whether a value fits a field type, and what a grid cell's text means.

#include "model/json/jsoncodec.h"
#include "model/schema/celledit.h"
#include "model/schema/tablemodel.h"

#include <QTest>

namespace {

constexpr char kModel[] = R"({
  "table": "people",
  "primaryIndex": { "hashKey": "id", "hashKeyType": "str" },
  "fields": {
    "id":     { "type": "str", "required": true },
    "age":    { "type": ["int", "str"] },
    "ratio":  { "type": "float" },
    "active": { "type": "bool" },
    "photo":  { "type": "bytes" },
    "tags":   { "type": "set", "items": "str" }
  }
})";

FieldType typeOf(FieldKind kind)
{
    return FieldType{kind, nullptr, nullptr, FieldKind::Str};
}

} // namespace

class TstCellEdit : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void numberTextProblems();
    void valueFitsTypes();
    void cellTextBecomesAValue();
    void cellTextRefused();

private:
    std::shared_ptr<const TableModel> m_model;
};

void TstCellEdit::initTestCase()
{
    auto model = TableModel::fromJson(QByteArrayView(kModel), QStringLiteral("people.json"));
    QVERIFY2(model, model ? "" : qPrintable(model.error().toString()));
    m_model = *model;
}

void TstCellEdit::numberTextProblems()
{
    QCOMPARE(numberTextProblem(QStringLiteral(" 42 "), FieldKind::Int), QString());
    QCOMPARE(numberTextProblem(QStringLiteral("4.5"), FieldKind::Float), QString());
    QCOMPARE(numberTextProblem(QStringLiteral("12"), FieldKind::Decimal), QString());
    QCOMPARE(numberTextProblem(QStringLiteral("  "), FieldKind::Int),
             QStringLiteral("enter a number"));
    QCOMPARE(numberTextProblem(QStringLiteral("12.5"), FieldKind::Int),
             QStringLiteral("must be a whole number (int), without a fraction or exponent"));
    QCOMPARE(numberTextProblem(QStringLiteral("12"), FieldKind::Float),
             QStringLiteral("must be written with a fraction or an exponent (float), e.g. 12.0"));
    QVERIFY(!numberTextProblem(QStringLiteral("abc"), FieldKind::Decimal).isEmpty());
}

void TstCellEdit::valueFitsTypes()
{
    const Value twelve = Value::numberUnchecked(QStringLiteral("12"));
    const Value half = Value::numberUnchecked(QStringLiteral("0.5"));
    QVERIFY(valueFitsType(typeOf(FieldKind::Int), twelve));
    QVERIFY(!valueFitsType(typeOf(FieldKind::Int), half));
    QVERIFY(valueFitsType(typeOf(FieldKind::Float), half));
    QVERIFY(!valueFitsType(typeOf(FieldKind::Float), twelve));
    QVERIFY(valueFitsType(typeOf(FieldKind::Decimal), twelve));
    QVERIFY(valueFitsType(typeOf(FieldKind::Str), Value::string(QStringLiteral("12"))));
    QVERIFY(!valueFitsType(typeOf(FieldKind::Str), twelve));
    QVERIFY(valueFitsType(typeOf(FieldKind::Bool), Value::boolean(false)));
    QVERIFY(valueFitsType(typeOf(FieldKind::Any), twelve));
    QVERIFY(valueFitsType(typeOf(FieldKind::Set), Value::stringSet({QStringLiteral("a")})));
    QVERIFY(!valueFitsType(typeOf(FieldKind::Set), Value::string(QStringLiteral("a"))));
}

void TstCellEdit::cellTextBecomesAValue()
{
    auto record = JsonCodec::parsePlain(R"({"id":"p1","age":"unknown"})");
    QVERIFY(record);
    // A field of int or str that holds a string keeps a string.
    auto age = cellEditValue(*m_model, *record, QStringLiteral("age"), QStringLiteral("12"));
    QVERIFY2(age, age ? "" : qPrintable(age.error().toString()));
    QCOMPARE(*age, Value::string(QStringLiteral("12")));
    // Absent, the first type that fits: int.
    auto bare = JsonCodec::parsePlain(R"({"id":"p1"})");
    QVERIFY(bare);
    age = cellEditValue(*m_model, *bare, QStringLiteral("age"), QStringLiteral(" 12 "));
    QVERIFY2(age, age ? "" : qPrintable(age.error().toString()));
    QCOMPARE(*age, Value::numberUnchecked(QStringLiteral("12")));
    auto active = cellEditValue(*m_model, *bare, QStringLiteral("active"), QStringLiteral("TRUE"));
    QVERIFY(active);
    QCOMPARE(*active, Value::boolean(true));
    auto photo = cellEditValue(*m_model, *bare, QStringLiteral("photo"), QStringLiteral("AAEC"));
    QVERIFY(photo);
    QCOMPARE(*photo, Value::binary(QByteArray("\x00\x01\x02", 3)));
}

void TstCellEdit::cellTextRefused()
{
    auto record = JsonCodec::parsePlain(R"({"id":"p1","tags":["a"]})");
    QVERIFY(record);
    auto key = cellEditValue(*m_model, *record, QStringLiteral("id"), QStringLiteral("p2"));
    QVERIFY(!key);
    QCOMPARE(key.error().message,
             QStringLiteral("the key is changed with the key change wizard, which never loses the "
                            "record"));
    auto ratio = cellEditValue(*m_model, *record, QStringLiteral("ratio"), QStringLiteral("3"));
    QVERIFY(!ratio);
    QCOMPARE(ratio.error().message,
             QStringLiteral("must be written with a fraction or an exponent (float), e.g. 3.0"));
    auto active = cellEditValue(*m_model, *record, QStringLiteral("active"), QStringLiteral("yes"));
    QVERIFY(!active);
    QCOMPARE(active.error().message, QStringLiteral("must be true or false"));
    auto photo = cellEditValue(*m_model, *record, QStringLiteral("photo"), QStringLiteral("#"));
    QVERIFY(!photo);
    QCOMPARE(photo.error().message, QStringLiteral("is not base64"));
    QVERIFY(!cellEditValue(*m_model, *record, QStringLiteral("tags"), QStringLiteral("b")));
    QVERIFY(!cellEditValue(*m_model, *record, QStringLiteral("nope"), QStringLiteral("x")));
}

QTEST_GUILESS_MAIN(TstCellEdit)
#include "tst_celledit.moc"
