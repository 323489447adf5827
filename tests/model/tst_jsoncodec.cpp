// Value and its three JSON forms (plain, stored, DynamoDB JSON): lossless round trips, refusals
// with messages that name the place, set equality and the decimal helpers.

#include "model/core/value.h"
#include "model/json/fastjson.h"
#include "model/json/jsoncodec.h"

#include <QTest>

#include <nlohmann/json.hpp>

using namespace Qt::StringLiterals;

namespace {

QString describe(const Result<Value> &r)
{
    return r ? u"ok: "_s + QString::fromUtf8(JsonCodec::toDynamoValue(*r)) : r.error().toString();
}

/// Parses `text` in one of the forms the data tables name.
Result<Value> parseAs(const QString &form, const QByteArray &text)
{
    if (form == u"plain")
        return JsonCodec::parsePlain(text);
    if (form == u"stored")
        return JsonCodec::parseStored(text);
    if (form == u"dynamo")
        return JsonCodec::parseDynamoValue(text);
    if (form == u"item")
        return JsonCodec::parseDynamoItem(text);
    if (form == u"number")
        return Value::number(QString::fromUtf8(text));
    qFatal("unknown form %s", qPrintable(form));
}

/// Marks the current row as a known codec bug: the next check is expected to fail.
#define EXPECT_KNOWN_BUG(bug)                                                                      \
    do {                                                                                           \
        if (!(bug).isEmpty())                                                                      \
            QEXPECT_FAIL(QTest::currentDataTag(), qPrintable(bug), Continue);                      \
    } while (false)

QByteArray allBytes()
{
    QByteArray bytes;
    for (int i = 0; i < 256; ++i)
        bytes.append(char(i));
    return bytes;
}

/// `levels` nested maps; the innermost holds one member of every scalar type (and, when `rich`,
/// binary and sets, which plain JSON cannot say).
Value nestedMaps(int levels, bool rich)
{
    Value::Map leaf{
        {u"s"_s, Value::string(u"leaf ✓ 😀"_s)},
        {u"n"_s, Value::numberUnchecked(u"-1.2345678901234567890123456789012345678E-100"_s)},
        {u"t"_s, Value::boolean(true)},
        {u"z"_s, Value()}};
    if (rich) {
        leaf.insert(u"b"_s, Value::binary(allBytes()));
        leaf.insert(u"ss"_s, Value::stringSet({u"b"_s, u"a"_s}));
        leaf.insert(u"ns"_s, Value::numberSet({u"2"_s, u"1E-130"_s}));
        leaf.insert(u"bs"_s, Value::binarySet({QByteArray("\x01", 1), QByteArray()}));
    }
    Value v = Value::map(leaf);
    for (int i = levels - 1; i >= 1; --i)
        v = Value::map({{u"level%1"_s.arg(i), v}, {u"$level%1"_s.arg(i), Value::list()}});
    return v;
}

QByteArray nestedArrays(int levels)
{
    return QByteArray(levels, '[') + QByteArray(levels, ']');
}

} // namespace

class TstJsonCodec : public QObject
{
    Q_OBJECT

private slots:
    void everyTypeRoundTrip_data();
    void everyTypeRoundTrip();
    void dynamoItemRoundTrip();
    void plainRoundTrip_data();
    void plainRoundTrip();
    void storedRoundTrip_data();
    void storedRoundTrip();
    void nonJsonNumberSpellings_data();
    void nonJsonNumberSpellings();
    void nestedMaps32Levels();
    void parseDepthLimit();
    void numbersRefused_data();
    void numbersRefused();
    void malformedJson_data();
    void malformedJson();
    void invalidBase64_data();
    void invalidBase64();
    void dynamoErrorsNamePath_data();
    void dynamoErrorsNamePath();
    void storedTagErrors_data();
    void storedTagErrors();
    void equality_data();
    void equality();
    void checkNumber_data();
    void checkNumber();
    void canonicalNumber_data();
    void canonicalNumber();
    void compareNumbers_data();
    void compareNumbers();
    void isIntegerText_data();
    void isIntegerText();
    void fromNlohmann();
    void dynamoTypeTagsStrict_data();
    void dynamoTypeTagsStrict();
    void exactNumberTextKept_data();
    void exactNumberTextKept();
    void longInputGivesAShortMessage_data();
    void longInputGivesAShortMessage();
};

// One value of each type, spelt in DynamoDB JSON (which says every type itself), with the exact
// plain and stored text the codec must write for it.
void TstJsonCodec::everyTypeRoundTrip_data()
{
    QTest::addColumn<QByteArray>("dynamo");
    QTest::addColumn<QByteArray>("plain");
    QTest::addColumn<QByteArray>("stored");
    QTest::addColumn<bool>("plainLossless"); // plain JSON says this type without a table model

    auto row = [](const char *tag, const QByteArray &dynamo, const QByteArray &plain,
                  const QByteArray &stored,
                  bool lossless) { QTest::newRow(tag) << dynamo << plain << stored << lossless; };
    auto same = [&](const char *tag, const QByteArray &dynamo, const QByteArray &plain) {
        row(tag, dynamo, plain, plain, true);
    };

    same("S", R"({"S":"hello"})", R"("hello")");
    same("S empty", R"({"S":""})", R"("")");
    same("S unicode", R"({"S":"héllo wörld ключ 鍵 😀🎉 👩‍👩‍👧"})",
         R"("héllo wörld ключ 鍵 😀🎉 👩‍👩‍👧")");
    same("S line separators",
         "{\"S\":\"a\xe2\x80\xa8"
         "b\xe2\x80\xa9"
         "c\"}",
         "\"a\xe2\x80\xa8"
         "b\xe2\x80\xa9"
         "c\"");
    same("S control characters",
         R"({"S":"nul\u0000 bel\u0007 bs\b tab\t nl\n ff\f cr\r esc\u001b us\u001f q\" bsl\\ /"})",
         R"("nul\u0000 bel\u0007 bs\b tab\t nl\n ff\f cr\r esc\u001b us\u001f q\" bsl\\ /")");
    same("S delete character", "{\"S\":\"del\x7f\"}", "\"del\x7f\"");
    same("S JSON-looking text", R"({"S":"{\"S\":\"1\"}"})", R"("{\"S\":\"1\"}")");

    same("N integer", R"({"N":"42"})", "42");
    same("N negative integer", R"({"N":"-17"})", "-17");
    same("N zero", R"({"N":"0"})", "0");
    same("N int64 min", R"({"N":"-9223372036854775808"})", "-9223372036854775808");
    same("N uint64 max", R"({"N":"18446744073709551615"})", "18446744073709551615");
    same("N uint64 max + 1", R"({"N":"18446744073709551616"})", "18446744073709551616");
    same("N 38-digit integer", R"({"N":"12345678901234567890123456789012345678"})",
         "12345678901234567890123456789012345678");
    same("N negative 38-digit integer", R"({"N":"-99999999999999999999999999999999999999"})",
         "-99999999999999999999999999999999999999");
    same("N 38-digit decimal", R"({"N":"0.12345678901234567890123456789012345678"})",
         "0.12345678901234567890123456789012345678");
    same("N negative 38-digit decimal", R"({"N":"-1234567890123456789.0123456789012345678"})",
         "-1234567890123456789.0123456789012345678");
    same("N negative decimal", R"({"N":"-3.14159"})", "-3.14159");
    same("N smallest magnitude", R"({"N":"1E-130"})", "1E-130");
    same("N negative smallest magnitude", R"({"N":"-1E-130"})", "-1E-130");
    same("N largest", R"({"N":"9.9999999999999999999999999999999999999E+125"})",
         "9.9999999999999999999999999999999999999E+125");
    same("N most negative", R"({"N":"-9.9999999999999999999999999999999999999E+125"})",
         "-9.9999999999999999999999999999999999999E+125");
    same("N trailing zeros kept", R"({"N":"1.50"})", "1.50");
    same("N one point zero", R"({"N":"1.0"})", "1.0");
    same("N lowercase exponent", R"({"N":"2.5e-3"})", "2.5e-3");
    same("N negative zero decimal", R"({"N":"-0.0"})", "-0.0");
    same("N 38 digits at 1E-130", R"({"N":"1.2345678901234567890123456789012345678E-130"})",
         "1.2345678901234567890123456789012345678E-130");

    row("B", R"({"B":"AAEC/w=="})", R"("AAEC/w==")", R"({"$B":"AAEC/w=="})", false);
    row("B empty", R"({"B":""})", R"("")", R"({"$B":""})", false);
    const QByteArray every = allBytes().toBase64();
    row("B every byte", R"({"B":")" + every + R"("})", '"' + every + '"',
        R"({"$B":")" + every + R"("})", false);

    same("BOOL true", R"({"BOOL":true})", "true");
    same("BOOL false", R"({"BOOL":false})", "false");
    same("NULL", R"({"NULL":true})", "null");

    same("M", R"({"M":{"a":{"S":"x"},"b":{"N":"1"}}})", R"({"a":"x","b":1})");
    same("M empty", R"({"M":{}})", "{}");
    same("M unicode keys",
         R"({"M":{"clé":{"S":"v"},"ключ":{"S":"значение"},"鍵":{"S":"値"},"😀":{"S":"🎉"}}})",
         R"({"clé":"v","ключ":"значение","鍵":"値","😀":"🎉"})");
    same("M control characters in keys", R"({"M":{"a\tb":{"N":"1"},"c\u0001d\n":{"N":"2"}}})",
         R"({"a\tb":1,"c\u0001d\n":2})");
    // An empty map key is refused: DynamoDB refuses empty attribute names at any depth
    // (dynamoTypeTagsStrict).
    row("M keys starting with $",
        R"({"M":{"$":{"N":"1"},"$$x":{"S":"y"},"$B":{"S":"not binary"},"$SS":{"L":[]},"a$":{"BOOL":true}}})",
        R"({"$":1,"$$x":"y","$B":"not binary","$SS":[],"a$":true})",
        R"({"$$":1,"$$$x":"y","$$B":"not binary","$$SS":[],"a$":true})", true);

    same("L", R"({"L":[{"S":"x"},{"N":"2"},{"NULL":true},{"BOOL":false}]})",
         R"(["x",2,null,false])");
    same("L empty", R"({"L":[]})", "[]");
    same("L nested", R"({"L":[{"L":[{"L":[]},{"M":{}}]}]})", "[[[],{}]]");

    row("SS", R"({"SS":["b","a","ä","😀"]})", R"(["b","a","ä","😀"])", R"({"$SS":["b","a","ä","😀"]})",
        false);
    row("SS with empty string", R"({"SS":[""]})", R"([""])", R"({"$SS":[""]})", false);
    row("NS", R"({"NS":["3","1.5","-2E-130","12345678901234567890123456789012345678"]})",
        R"([3,1.5,-2E-130,12345678901234567890123456789012345678])",
        R"({"$NS":[3,1.5,-2E-130,12345678901234567890123456789012345678]})", false);
    row("BS", R"({"BS":["AA==","AQI=","/w=="]})", R"(["AA==","AQI=","/w=="])",
        R"({"$BS":["AA==","AQI=","/w=="]})", false);
    row("M holding binary and sets",
        R"({"M":{"bin":{"B":"AQ=="},"list":{"L":[{"SS":["x"]},{"M":{}}]},"ns":{"NS":["1"]}}})",
        R"({"bin":"AQ==","list":[["x"],{}],"ns":[1]})",
        R"({"bin":{"$B":"AQ=="},"list":[{"$SS":["x"]},{}],"ns":{"$NS":[1]}})", false);
}

void TstJsonCodec::everyTypeRoundTrip()
{
    QFETCH(QByteArray, dynamo);
    QFETCH(QByteArray, plain);
    QFETCH(QByteArray, stored);
    QFETCH(bool, plainLossless);

    const auto value = JsonCodec::parseDynamoValue(dynamo);
    QVERIFY2(value.ok(), qPrintable(describe(value)));
    const auto tree = JsonCodec::parsePlain(dynamo);
    QVERIFY(tree.ok());
    QCOMPARE(value->typeTag(), tree->toMap().firstKey());

    QCOMPARE(JsonCodec::toDynamoValue(*value), dynamo);

    QCOMPARE(JsonCodec::toStored(*value), stored);
    const auto fromStored = JsonCodec::parseStored(stored);
    QVERIFY2(fromStored.ok(), qPrintable(describe(fromStored)));
    QVERIFY2(*fromStored == *value, qPrintable(describe(fromStored)));
    QCOMPARE(JsonCodec::toDynamoValue(*fromStored), dynamo);

    QCOMPARE(JsonCodec::toPlain(*value), plain);
    const auto fromPlain = JsonCodec::parsePlain(plain);
    QVERIFY2(fromPlain.ok(), qPrintable(describe(fromPlain)));
    QCOMPARE(JsonCodec::toPlain(*fromPlain), plain);
    if (plainLossless)
        QVERIFY2(*fromPlain == *value, qPrintable(describe(fromPlain)));

    QByteArray appended = "prefix ";
    JsonCodec::appendStored(appended, *value);
    QCOMPARE(appended, "prefix " + stored);
    appended = "prefix ";
    JsonCodec::appendPlain(appended, *value);
    QCOMPARE(appended, "prefix " + plain);
}

void TstJsonCodec::dynamoItemRoundTrip()
{
    const QByteArray item =
        R"({"active":{"BOOL":true},"age":{"N":"38.5"},"avatar":{"B":"iVBORw0KGgo="},)"
        R"("big":{"N":"-12345678901234567890123456789012345678"},"gone":{"NULL":true},)"
        R"("logs":{"L":[{"S":"login"},{"M":{"at":{"N":"1700000000"}}}]},)"
        R"("metadata":{"M":{"created":{"N":"1E-130"},"nested":{"M":{}}}},)"
        R"("primes":{"NS":["2","3","5"]},"tags":{"SS":["vip","beta"]},)"
        R"("thumbs":{"BS":["AA==","AQ=="]},"userId":{"S":"u-1 ✓"}})";
    const auto value = JsonCodec::parseDynamoItem(item);
    QVERIFY2(value.ok(), qPrintable(describe(value)));
    QVERIFY(value->isMap());
    QCOMPARE(value->size(), qsizetype(11));
    QCOMPARE(value->find(u"big"_s)->text(), u"-12345678901234567890123456789012345678"_s);
    QCOMPARE(value->find(u"avatar"_s)->bytes(), QByteArray("\x89PNG\r\n\x1a\n", 8));
    QCOMPARE(JsonCodec::toDynamoItem(*value), item);

    const auto viaStored = JsonCodec::parseStored(JsonCodec::toStored(*value));
    QVERIFY2(viaStored.ok(), qPrintable(describe(viaStored)));
    QVERIFY(*viaStored == *value);
    QCOMPARE(JsonCodec::toDynamoItem(*viaStored), item);

    // An item is a map of attributes: a bare value is not one.
    QVERIFY(!JsonCodec::parseDynamoItem(R"({"S":"x"})").ok());
    QVERIFY(!JsonCodec::parseDynamoItem(R"([{"S":"x"}])").ok());
    const auto empty = JsonCodec::parseDynamoItem("{}");
    QVERIFY(empty.ok());
    QCOMPARE(JsonCodec::toDynamoItem(*empty), QByteArray("{}"));
}

// Plain JSON input as people write it: the codec keeps every number's text and writes one
// canonical spelling of everything else.
void TstJsonCodec::plainRoundTrip_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("output"); // empty: the same as the input
    QTest::addColumn<QString>("typeTag");
    QTest::addColumn<QString>("bug");

    QTest::newRow("string") << R"("x")"_ba
                            << ""_ba << u"S"_s << QString();
    QTest::newRow("true") << "true"_ba
                          << ""_ba << u"BOOL"_s << QString();
    QTest::newRow("null") << "null"_ba
                          << ""_ba << u"NULL"_s << QString();
    QTest::newRow("empty map") << "{}"_ba
                               << ""_ba << u"M"_s << QString();
    QTest::newRow("empty list") << "[]"_ba
                                << ""_ba << u"L"_s << QString();
    QTest::newRow("whitespace and key order") << "{ \"b\" : [ 1 , 2 ] ,\n\t\"a\" : {} }\n"_ba
                                              << R"({"a":{},"b":[1,2]})"_ba << u"M"_s << QString();
    QTest::newRow("escaped unicode") << R"(["\u00e9\u00E9", "\ud83d\ude00", "\/"])"_ba
                                     << R"(["éé","😀","/"])"_ba << u"L"_s << QString();
    QTest::newRow("escaped control characters")
        << R"("\u0000\u0001\u001F\u0008\u000c\u000A\u000d\u0009")"_ba
        << R"("\u0000\u0001\u001f\b\f\n\r\t")"_ba << u"S"_s << QString();
    QTest::newRow("number spellings kept")
        << "[1.50,1e3,1E+3,1E-3,-0.0,0.000001,1.0E-130,100,-5]"_ba
        << ""_ba << u"L"_s << QString();
    QTest::newRow("38-digit numbers kept")
        << "[12345678901234567890123456789012345678,-0.12345678901234567890123456789012345678,"
           "9.9999999999999999999999999999999999999E+125,1E-130]"_ba
        << ""_ba << u"L"_s << QString();
    QTest::newRow("tag-like keys are plain members") << R"({"$B":"AAE=","$SS":["a"],"S":"x"})"_ba
                                                     << ""_ba << u"M"_s << QString();
    // Numbers keep their text, a signed zero included (as a key it is the same as 0).
    QTest::newRow("negative zero") << "-0"_ba
                                   << "-0"_ba << u"N"_s << QString();
}

void TstJsonCodec::plainRoundTrip()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, output);
    QFETCH(QString, typeTag);
    QFETCH(QString, bug);
    if (output.isEmpty())
        output = input;

    const auto value = JsonCodec::parsePlain(input);
    QVERIFY2(value.ok(), qPrintable(describe(value)));
    QCOMPARE(value->typeTag(), typeTag);
    EXPECT_KNOWN_BUG(bug);
    QCOMPARE(JsonCodec::toPlain(*value), output);
    const auto again = JsonCodec::parsePlain(JsonCodec::toPlain(*value));
    QVERIFY(again.ok());
    QVERIFY(*again == *value);
}

void TstJsonCodec::storedRoundTrip_data()
{
    QTest::addColumn<QByteArray>("stored");
    QTest::addColumn<QByteArray>("dynamo"); // what the stored text means

    QTest::newRow("escaped keys at every level")
        << R"({"$$":{"$$$$":1,"x":[{"$$B":"AA=="}]}})"_ba
        << R"({"M":{"$":{"M":{"$$$":{"N":"1"},"x":{"L":[{"M":{"$B":{"S":"AA=="}}}]}}}}})"_ba;
    QTest::newRow("tags inside lists and maps")
        << R"([{"$B":"AA=="},{"$SS":[""]},{"k":{"$NS":[1E-130,-0.5]}},{"$BS":[""]}])"_ba
        << R"({"L":[{"B":"AA=="},{"SS":[""]},{"M":{"k":{"NS":["1E-130","-0.5"]}}},{"BS":[""]}]})"_ba;
    QTest::newRow("unicode keys with $") << R"({"$$😀":"$é"})"_ba
                                         << R"({"M":{"$😀":{"S":"$é"}}})"_ba;
    QTest::newRow("string values starting with $ are not escaped")
        << R"({"a":"$B","b":["$$"]})"_ba
        << R"({"M":{"a":{"S":"$B"},"b":{"L":[{"S":"$$"}]}}})"_ba;
}

void TstJsonCodec::storedRoundTrip()
{
    QFETCH(QByteArray, stored);
    QFETCH(QByteArray, dynamo);

    const auto value = JsonCodec::parseStored(stored);
    QVERIFY2(value.ok(), qPrintable(describe(value)));
    QCOMPARE(JsonCodec::toDynamoValue(*value), dynamo);
    QCOMPARE(JsonCodec::toStored(*value), stored);
}

// DynamoDB accepts number spellings that JSON does not ("+5", "007", ".5"); Value::number keeps
// them as typed, DynamoDB JSON carries them as they are, and the JSON forms write the same number
// in canonical spelling, so the output is always valid JSON.
void TstJsonCodec::nonJsonNumberSpellings_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("json");

    QTest::newRow("plus sign") << u"+5"_s << "5"_ba;
    QTest::newRow("leading zeros") << u"007"_s << "7"_ba;
    QTest::newRow("no integer part") << u".5"_s << "5E-1"_ba;
    QTest::newRow("no fraction digits") << u"5."_s << "5"_ba;
    QTest::newRow("plus and exponent") << u"+0.010e+2"_s << "1"_ba;
}

void TstJsonCodec::nonJsonNumberSpellings()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, json);

    const auto value = Value::number(text);
    QVERIFY2(value.ok(), qPrintable(describe(value)));
    QCOMPARE(value->text(), text);
    QCOMPARE(JsonCodec::toPlain(*value), json);
    QCOMPARE(JsonCodec::toStored(Value::list({*value})), "[" + json + "]");
    QCOMPARE(JsonCodec::toStored(Value::numberSet({text})), R"({"$NS":[)" + json + "]}");
    const auto back = JsonCodec::parseStored(JsonCodec::toStored(*value));
    QVERIFY2(back.ok(), qPrintable(describe(back)));
    QCOMPARE(::compareNumbers(back->text(), text), 0);

    const QByteArray dynamo = JsonCodec::toDynamoValue(*value);
    QCOMPARE(dynamo, R"({"N":")" + text.toUtf8() + R"("})");
    const auto fromDynamo = JsonCodec::parseDynamoValue(dynamo);
    QVERIFY2(fromDynamo.ok(), qPrintable(describe(fromDynamo)));
    QVERIFY(*fromDynamo == *value);
}

void TstJsonCodec::nestedMaps32Levels()
{
    const Value rich = nestedMaps(32, true);
    QCOMPARE(rich.depth(), 32);

    const QByteArray stored = JsonCodec::toStored(rich);
    const auto fromStored = JsonCodec::parseStored(stored);
    QVERIFY2(fromStored.ok(), qPrintable(describe(fromStored)));
    QVERIFY(*fromStored == rich);
    QCOMPARE(fromStored->depth(), 32);
    QCOMPARE(JsonCodec::toStored(*fromStored), stored);

    const QByteArray item = JsonCodec::toDynamoItem(rich);
    const auto fromItem = JsonCodec::parseDynamoItem(item);
    QVERIFY2(fromItem.ok(), qPrintable(describe(fromItem)));
    QVERIFY(*fromItem == rich);
    QCOMPARE(JsonCodec::toDynamoItem(*fromItem), item);

    const auto fromValue = JsonCodec::parseDynamoValue(JsonCodec::toDynamoValue(rich));
    QVERIFY2(fromValue.ok(), qPrintable(describe(fromValue)));
    QVERIFY(*fromValue == rich);

    const Value simple = nestedMaps(32, false);
    const QByteArray plain = JsonCodec::toPlain(simple);
    const auto fromPlain = JsonCodec::parsePlain(plain);
    QVERIFY2(fromPlain.ok(), qPrintable(describe(fromPlain)));
    QVERIFY(*fromPlain == simple);
    QCOMPARE(JsonCodec::toPlain(*fromPlain), plain);

    // The innermost member is reachable through all 32 levels.
    const Value *at = &*fromStored;
    for (int i = 1; i < 32; ++i) {
        at = at->find(u"level%1"_s.arg(i));
        QVERIFY(at);
    }
    QCOMPARE(at->find(u"s"_s)->text(), u"leaf ✓ 😀"_s);
    QCOMPARE(at->find(u"b"_s)->bytes(), allBytes());
}

void TstJsonCodec::parseDepthLimit()
{
    const int limit = JsonCodec::kMaxParseDepth;
    const auto deepest = JsonCodec::parsePlain(nestedArrays(limit));
    QVERIFY2(deepest.ok(), qPrintable(describe(deepest)));
    QCOMPARE(deepest->depth(), limit);

    for (const QByteArray &text :
         {nestedArrays(limit + 1), nestedArrays(100000), QByteArray(100000, '[')}) {
        const auto tooDeep = JsonCodec::parsePlain(text);
        QVERIFY(!tooDeep.ok());
        QVERIFY2(tooDeep.error().message.contains(u"nested deeper than %1 levels"_s.arg(limit)),
                 qPrintable(tooDeep.error().toString()));
        QCOMPARE(tooDeep.error().kind, ErrorKind::Invalid);
    }
    QVERIFY(!JsonCodec::parseStored(nestedArrays(limit + 1)).ok());
    QVERIFY(!JsonCodec::parseDynamoItem("{\"a\":" + nestedArrays(limit) + "}").ok());
}

// Numbers DynamoDB cannot hold are refused in every form, with a message that says why.
void TstJsonCodec::numbersRefused_data()
{
    QTest::addColumn<QString>("form");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("message");  // a part of the message
    QTest::addColumn<QString>("location"); // the exact location; "*" = not checked

    const QString digits = u"39 significant digits"_s;
    const QString range = u"out of range"_s;
    QTest::newRow("plain 39-digit integer")
        << u"plain"_s << "123456789012345678901234567890123456789"_ba << digits << QString();
    QTest::newRow("plain 39-digit decimal in a list")
        << u"plain"_s << "[1,0.123456789012345678901234567890123456789]"_ba << digits << u"[1]"_s;
    QTest::newRow("plain 70 digits")
        << u"plain"_s
        << "{\"a\":1234567890123456789012345678901234567890123456789012345678901234567890}"_ba
        << u"69 significant digits"_s << u"a"_s; // the trailing zero is not significant
    QTest::newRow("plain below 1E-130")
        << u"plain"_s << R"({"a":{"b":1E-131}})"_ba << range << u"a.b"_s;
    QTest::newRow("plain 0.99E-130") << u"plain"_s << R"([0.99E-130])"_ba << range << u"[0]"_s;
    QTest::newRow("plain negative below 1E-130")
        << u"plain"_s << R"({"x":[2,-1E-131]})"_ba << range << u"x[1]"_s;
    QTest::newRow("plain 1E+126") << u"plain"_s << R"({"a":[1E+126]})"_ba << range << u"a[0]"_s;
    QTest::newRow("plain 10E+125") << u"plain"_s << "10E+125"_ba << range << QString();
    QTest::newRow("plain beyond double range")
        << u"plain"_s << "[1E400]"_ba << u"1E400 is out of range"_s << u"[0]"_s;
    QTest::newRow("plain 1e400 in a record") << u"plain"_s << R"({"userId":"u1","age":1e400})"_ba
                                             << u"1e400 is out of range"_s << u"age"_s;
    QTest::newRow("plain 1e400 alone")
        << u"plain"_s << "1e400"_ba << u"1e400 is out of range"_s << u"line 1, column 5"_s;
    QTest::newRow("plain -1e400 nested") << u"plain"_s << R"({"a":{"b":[0,-1e400]}})"_ba
                                         << u"-1e400 is out of range"_s << u"a.b[1]"_s;
    QTest::newRow("stored beyond double range")
        << u"stored"_s << R"({"n":1e999})"_ba << u"1e999 is out of range"_s << u"n"_s;
    QTest::newRow("dynamo N beyond double range")
        << u"item"_s << R"({"n":{"N":"1e400"}})"_ba << u"1e400 is out of range"_s << u"n"_s;
    QTest::newRow("stored number set")
        << u"stored"_s << R"({"n":{"$NS":[1,1E+126]}})"_ba << range << u"*"_s;
    QTest::newRow("dynamo N below range")
        << u"dynamo"_s << R"({"N":"1E-131"})"_ba << range << QString();
    QTest::newRow("dynamo N 39 digits")
        << u"dynamo"_s << R"({"N":"-0.000123456789012345678901234567890123456789"})"_ba << digits
        << QString();
    QTest::newRow("dynamo N not a number")
        << u"dynamo"_s << R"({"N":"12abc"})"_ba << u"not a number"_s << QString();
    QTest::newRow("dynamo N empty")
        << u"dynamo"_s << R"({"N":""})"_ba << u"not a number"_s << QString();
    QTest::newRow("dynamo N NaN") << u"dynamo"_s << R"({"N":"NaN"})"_ba << u"not a number"_s
                                  << QString();
    QTest::newRow("dynamo N Infinity")
        << u"dynamo"_s << R"({"N":"-Infinity"})"_ba << u"not a number"_s << QString();
    QTest::newRow("dynamo N hexadecimal")
        << u"dynamo"_s << R"({"N":"0x1F"})"_ba << u"not a number"_s << QString();
    QTest::newRow("dynamo NS item")
        << u"item"_s << R"({"a":{"NS":["1","1E+126"]}})"_ba << range << u"a"_s;
    QTest::newRow("dynamo nested N")
        << u"item"_s << R"({"m":{"M":{"k":{"N":"1E+999"}}}})"_ba << range << u"m.k"_s;
    QTest::newRow("Value::number 1E+126") << u"number"_s << "1E+126"_ba << range << QString();
    QTest::newRow("Value::number 39 digits")
        << u"number"_s << "1.23456789012345678901234567890123456789"_ba << digits << QString();
    QTest::newRow("Value::number spaces")
        << u"number"_s << " 1"_ba << u"not a number"_s << QString();
}

void TstJsonCodec::numbersRefused()
{
    QFETCH(QString, form);
    QFETCH(QByteArray, input);
    QFETCH(QString, message);
    QFETCH(QString, location);

    const auto result = parseAs(form, input);
    QVERIFY2(!result.ok(), qPrintable(describe(result)));
    QCOMPARE(result.error().kind, ErrorKind::Invalid);
    QVERIFY2(result.error().message.contains(message), qPrintable(result.error().toString()));
    QVERIFY2(!result.error().toString().contains(u"json.exception"_s),
             qPrintable(result.error().toString()));
    if (location != u"*")
        QCOMPARE(result.error().location, location);
    if (form == u"plain") {
        // The import's fast parser names the same field (a refused value in well-formed JSON).
        Value out;
        QString reason;
        qsizetype offset = -1;
        QString refusedPath = u"unset"_s;
        QVERIFY(!FastJson::parsePlain(input, out, reason, offset, nullptr, &refusedPath));
        QVERIFY2(reason.contains(message), qPrintable(reason));
        QCOMPARE(refusedPath, location.startsWith(u"line ") ? QString() : location);
        QVERIFY2(input.at(offset) == '-' ||
                     std::isdigit(static_cast<unsigned char>(input.at(offset))),
                 "the offset is where the refused number starts");
    }
}

void TstJsonCodec::malformedJson_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("location");

    QTest::newRow("missing value") << R"({"a":})"_ba << u"line 1, column 6"_s;
    QTest::newRow("trailing comma") << R"({"a":1,})"_ba << u"line 1, column 8"_s;
    QTest::newRow("bad literal on line 2")
        << "{\n  \"a\": tru,\n  \"b\": 1\n}"_ba << u"line 2, column 11"_s;
    QTest::newRow("error on line 3") << "{\n  \"a\": 1,\n  \"b\" 2\n}"_ba << u"line 3, column 7"_s;
    QTest::newRow("CRLF lines") << "[\r\n1,\r\n?]"_ba << u"line 3, column 1"_s;
    // At the end of the input the place is its last character.
    QTest::newRow("unclosed array") << "[1,2"_ba << u"line 1, column 4"_s;
    QTest::newRow("unterminated string") << R"({"a":"x)"_ba << u"line 1, column 7"_s;
    QTest::newRow("empty input") << ""_ba << u"line 1, column 1"_s;
    QTest::newRow("single quotes") << "['a']"_ba << u"line 1, column 2"_s;
    QTest::newRow("second value") << "{} {}"_ba << u"line 1, column 4"_s;
    QTest::newRow("raw control character") << "\"a\tb\""_ba << u"line 1, column 3"_s;
    QTest::newRow("invalid UTF-8") << "[\"\xff\"]"_ba << u"line 1, column 3"_s;
    QTest::newRow("lone surrogate") << R"(["\ud800"])"_ba << u"line 1, column 9"_s;
    QTest::newRow("leading zero") << "[01]"_ba << u"line 1, column 3"_s;
    QTest::newRow("NaN") << "[NaN]"_ba << u"line 1, column 2"_s;
    // Found by fuzzing (fuzz/corpus/plainjson/nul-after-value.json): a NUL byte ended the input.
    QTest::newRow("NUL after the value") << QByteArray("12\0garbage", 10) << u"line 1, column 3"_s;
    QTest::newRow("NUL between values")
        << QByteArray("{\"a\":1}\n\0{", 10) << u"line 2, column 1"_s;
}

void TstJsonCodec::malformedJson()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, location);

    for (const QString &form : {u"plain"_s, u"stored"_s, u"dynamo"_s, u"item"_s}) {
        const auto result = parseAs(form, input);
        QVERIFY2(!result.ok(), qPrintable(form + u": "_s + describe(result)));
        QCOMPARE(result.error().kind, ErrorKind::Invalid);
        QVERIFY2(result.error().message.startsWith(u"malformed JSON"_s),
                 qPrintable(result.error().toString()));
        QCOMPARE(result.error().location, location);
        QVERIFY(result.error().toString().startsWith(location + u": "_s));
    }
    // Malformed text names no field: nothing in it was refused as a value.
    Value out;
    QString reason;
    qsizetype offset = 0;
    QString refusedPath = u"unset"_s;
    QVERIFY(!FastJson::parsePlain(input, out, reason, offset, nullptr, &refusedPath));
    QCOMPARE(refusedPath, QString());
}

void TstJsonCodec::invalidBase64_data()
{
    QTest::addColumn<QString>("form");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("location"); // "*" = not checked

    QTest::newRow("stored $B punctuation") << u"stored"_s << R"({"$B":"!!!!"})"_ba << u"*"_s;
    QTest::newRow("stored $B space") << u"stored"_s << R"({"a":{"$B":"AA E="}})"_ba << u"*"_s;
    QTest::newRow("stored $B base64url") << u"stored"_s << R"({"$B":"-_-_"})"_ba << u"*"_s;
    QTest::newRow("stored $B padding inside") << u"stored"_s << R"({"$B":"AA==AA=="})"_ba << u"*"_s;
    QTest::newRow("stored $B non-ASCII") << u"stored"_s << R"({"$B":"AAé="})"_ba << u"*"_s;
    QTest::newRow("stored $BS item") << u"stored"_s << R"({"$BS":["AA==","@@"]})"_ba << u"*"_s;
    QTest::newRow("dynamo B") << u"dynamo"_s << R"({"B":"***"})"_ba << QString();
    QTest::newRow("dynamo B newline") << u"dynamo"_s << R"({"B":"AA==\n"})"_ba << QString();
    QTest::newRow("dynamo BS item") << u"dynamo"_s << R"({"BS":["AA==","no pe"]})"_ba << QString();
    QTest::newRow("item nested B")
        << u"item"_s << R"({"pic":{"M":{"raw":{"B":"%%"}}}})"_ba << u"pic.raw"_s;
    QTest::newRow("item BS in list")
        << u"item"_s << R"({"l":{"L":[{"S":"x"},{"BS":["AA==","A=A="]}]}})"_ba << u"l[1]"_s;
}

void TstJsonCodec::invalidBase64()
{
    QFETCH(QString, form);
    QFETCH(QByteArray, input);
    QFETCH(QString, location);

    const auto result = parseAs(form, input);
    QVERIFY2(!result.ok(), qPrintable(describe(result)));
    QCOMPARE(result.error().kind, ErrorKind::Invalid);
    QVERIFY2(result.error().message.contains(u"base64"_s), qPrintable(result.error().toString()));
    if (location != u"*")
        QCOMPARE(result.error().location, location);
}

// A bad attribute in DynamoDB JSON is named by its path, so a person can find it in a big item.
void TstJsonCodec::dynamoErrorsNamePath_data()
{
    QTest::addColumn<QString>("form");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("location");
    QTest::addColumn<QString>("message"); // a part of the message

    QTest::newRow("S holding a number")
        << u"item"_s << R"({"id":{"S":1}})"_ba << u"id"_s << u"S must hold a string"_s;
    QTest::newRow("N holding true")
        << u"item"_s << R"({"n":{"N":true}})"_ba << u"n"_s << u"N must hold"_s;
    QTest::newRow("BOOL holding text")
        << u"item"_s << R"({"a":{"L":[{"S":"x"},{"BOOL":"yes"}]}})"_ba << u"a[1]"_s
        << u"BOOL must hold true or false"_s;
    QTest::newRow("deep path")
        << u"item"_s << R"({"a":{"M":{"b":{"L":[{"M":{"c":{"L":[{"N":"1"},{"X":"1"}]}}}]}}}})"_ba
        << u"a.b[0].c[1]"_s << u"unknown DynamoDB type tag \"X\""_s;
    QTest::newRow("two type tags")
        << u"item"_s << R"({"a":{"S":"x","N":"1"}})"_ba << u"a"_s << u"one type tag"_s;
    QTest::newRow("no type tag") << u"item"_s << R"({"a":{}})"_ba << u"a"_s << u"one type tag"_s;
    QTest::newRow("bare plain value")
        << u"item"_s << R"({"ok":{"S":"x"},"name":"plain"})"_ba << u"name"_s << u"one type tag"_s;
    QTest::newRow("lowercase tag")
        << u"item"_s << R"({"a":{"s":"x"}})"_ba << u"a"_s << u"unknown DynamoDB type tag"_s;
    QTest::newRow("M holding a list")
        << u"item"_s << R"({"m":{"M":[]}})"_ba << u"m"_s << u"M must hold an object"_s;
    QTest::newRow("L holding an object")
        << u"item"_s << R"({"m":{"M":{"l":{"L":{}}}}})"_ba << u"m.l"_s << u"L must hold an array"_s;
    QTest::newRow("SS holding numbers")
        << u"item"_s << R"({"t":{"SS":["a",1]}})"_ba << u"t"_s << u"SS items must be strings"_s;
    QTest::newRow("NS item not a number")
        << u"item"_s << R"({"t":{"NS":["1","x"]}})"_ba << u"t"_s << u"not a number"_s;
    QTest::newRow("BS holding a string")
        << u"item"_s << R"({"t":{"BS":"AA=="}})"_ba << u"t"_s << u"BS must hold an array"_s;
    QTest::newRow("unicode attribute names")
        << u"item"_s << R"({"ключ":{"M":{"😀":{"N":"x"}}}})"_ba << u"ключ.😀"_s << u"not a number"_s;
    QTest::newRow("item not an object")
        << u"item"_s << R"([{"S":"x"}])"_ba << QString() << u"object of attributes"_s;
    QTest::newRow("value nested path") << u"dynamo"_s << R"({"M":{"k":{"L":[{"B":1}]}}})"_ba
                                       << u"k[0]"_s << u"B must hold base64 text"_s;
    QTest::newRow("value not an object")
        << u"dynamo"_s << R"("x")"_ba << QString() << u"one type tag"_s;
}

void TstJsonCodec::dynamoErrorsNamePath()
{
    QFETCH(QString, form);
    QFETCH(QByteArray, input);
    QFETCH(QString, location);
    QFETCH(QString, message);

    const auto result = parseAs(form, input);
    QVERIFY2(!result.ok(), qPrintable(describe(result)));
    QCOMPARE(result.error().kind, ErrorKind::Invalid);
    QCOMPARE(result.error().location, location);
    QVERIFY2(result.error().message.contains(message), qPrintable(result.error().toString()));
}

void TstJsonCodec::storedTagErrors_data()
{
    QTest::addColumn<QByteArray>("stored");
    QTest::addColumn<QString>("message"); // a part of the message
    QTest::addColumn<QString>("bug");

    QTest::newRow("member after a tag")
        << R"({"$B":"AAE=","x":1})"_ba << u"must be the only member"_s << QString();
    QTest::newRow("tag after a member")
        << R"({"x":1,"$B":"AAE="})"_ba << u"must be the only member"_s << QString();
    QTest::newRow("two tags") << R"({"$SS":[],"$NS":[]})"_ba << u"must be the only member"_s
                              << QString();
    QTest::newRow("escaped key after a tag")
        << R"({"$B":"AAE=","$$a":1})"_ba << u"must be the only member"_s << QString();
    QTest::newRow("unknown tag") << R"({"$X":1})"_ba << u"unknown type tag $X"_s << QString();
    QTest::newRow("lone dollar") << R"({"a":{"$":1}})"_ba << u"unknown type tag $"_s << QString();
    QTest::newRow("$B holding a number")
        << R"({"$B":1})"_ba << u"$B must hold base64 text"_s << QString();
    QTest::newRow("$SS holding a string")
        << R"({"$SS":"a"})"_ba << u"$SS must hold an array"_s << QString();
    QTest::newRow("$SS holding numbers")
        << R"({"$SS":[1]})"_ba << u"$SS items must be strings"_s << QString();
    QTest::newRow("$NS holding strings")
        << R"({"$NS":["1"]})"_ba << u"$NS items must be numbers"_s << QString();
    QTest::newRow("$BS holding numbers")
        << R"({"$BS":[1]})"_ba << u"$BS items must be base64"_s << QString();
}

void TstJsonCodec::storedTagErrors()
{
    QFETCH(QByteArray, stored);
    QFETCH(QString, message);
    QFETCH(QString, bug);

    const auto result = JsonCodec::parseStored(stored);
    EXPECT_KNOWN_BUG(bug);
    QVERIFY2(!result.ok(), qPrintable(describe(result)));
    if (result.ok())
        return;
    QCOMPARE(result.error().kind, ErrorKind::Invalid);
    QVERIFY2(result.error().message.contains(message), qPrintable(result.error().toString()));
}

// Values written in stored JSON, which can spell every type.
void TstJsonCodec::equality_data()
{
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<bool>("equal");
    QTest::addColumn<QString>("bug");

    auto row = [](const char *tag, const char *a, const char *b, bool equal,
                  const QString &bug = {}) {
        QTest::newRow(tag) << QByteArray(a) << QByteArray(b) << equal << bug;
    };
    row("SS same order", R"({"$SS":["a","b"]})", R"({"$SS":["a","b"]})", true);
    row("SS other order", R"({"$SS":["a","b","c"]})", R"({"$SS":["c","a","b"]})", true);
    row("SS other item", R"({"$SS":["a","b"]})", R"({"$SS":["a","c"]})", false);
    row("SS subset", R"({"$SS":["a","b"]})", R"({"$SS":["a"]})", false);
    row("SS empty", R"({"$SS":[]})", R"({"$SS":[]})", true);
    row("SS vs NS empty", R"({"$SS":[]})", R"({"$NS":[]})", false);
    row("SS vs list", R"({"$SS":["a","b"]})", R"(["a","b"])", false);
    row("SS unicode other order", R"({"$SS":["😀","é"]})", R"({"$SS":["é","😀"]})", true);
    row("SS duplicates vs distinct", R"({"$SS":["a","a"]})", R"({"$SS":["a","b"]})", false);
    row("NS other order", R"({"$NS":[1,2.5,-3]})", R"({"$NS":[-3,1,2.5]})", true);
    row("NS exact text", R"({"$NS":[1.0]})", R"({"$NS":[1]})", false);
    row("BS other order", R"({"$BS":["AA==","AQ==",""]})", R"({"$BS":["","AQ==","AA=="]})", true);
    row("BS other item", R"({"$BS":["AA=="]})", R"({"$BS":["AQ=="]})", false);
    row("sets nested in maps", R"({"m":{"t":{"$SS":["x","y"]}},"n":[{"$NS":[1,2]}]})",
        R"({"n":[{"$NS":[2,1]}],"m":{"t":{"$SS":["y","x"]}}})", true);
    row("list order matters", "[1,2]", "[2,1]", false);
    row("map members", R"({"a":1,"b":2})", R"({"b":2,"a":1})", true);
    row("map extra member", R"({"a":1})", R"({"a":1,"b":null})", false);
    row("number vs string", "1", R"("1")", false);
    row("number exact text", "1.5", "1.50", false);
    row("binary vs string", R"({"$B":"AA=="})", R"("AA==")", false);
    row("binary equal", R"({"$B":"AAE="})", R"({"$B":"AAE="})", true);
    row("empty binary", R"({"$B":""})", R"({"$B":""})", true);
    row("null", "null", "null", true);
    row("null vs false", "null", "false", false);
    row("bool", "true", "false", false);
    row("empty map vs empty list", "{}", "[]", false);
    row("unicode strings", R"("é")", R"("e\u0301")", false);
}

void TstJsonCodec::equality()
{
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(bool, equal);
    QFETCH(QString, bug);

    const auto x = JsonCodec::parseStored(a);
    const auto y = JsonCodec::parseStored(b);
    QVERIFY2(x.ok(), qPrintable(describe(x)));
    QVERIFY2(y.ok(), qPrintable(describe(y)));
    QVERIFY(*x == *x);
    QVERIFY(*y == *y);
    QCOMPARE(*x != *y, !(*x == *y));
    const bool xy = *x == *y;
    const bool yx = *y == *x;
    EXPECT_KNOWN_BUG(bug);
    QVERIFY2(xy == equal && yx == equal,
             qPrintable(u"a == b is %1, b == a is %2"_s.arg(xy).arg(yx)));
}

void TstJsonCodec::checkNumber_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("problem"); // empty: valid; else a part of the message

    const QString notNumber = u"is not a number"_s;
    const QString range = u"out of range"_s;
    QTest::newRow("integer") << u"42"_s << QString();
    QTest::newRow("negative") << u"-42"_s << QString();
    QTest::newRow("plus sign") << u"+42"_s << QString();
    QTest::newRow("leading zeros") << u"007"_s << QString();
    QTest::newRow("zero") << u"0"_s << QString();
    QTest::newRow("negative zero") << u"-0"_s << QString();
    QTest::newRow("decimal") << u"3.25"_s << QString();
    QTest::newRow("exponent") << u"1.5E+10"_s << QString();
    QTest::newRow("lowercase exponent") << u"1.5e-10"_s << QString();
    QTest::newRow("38 digits") << u"12345678901234567890123456789012345678"_s << QString();
    QTest::newRow("38 digits decimal")
        << u"0.12345678901234567890123456789012345678"_s << QString();
    QTest::newRow("38 digits, zeros around")
        << u"000.1234567890123456789012345678901234567800000"_s << QString();
    QTest::newRow("trailing zeros are not significant")
        << u"1.0000000000000000000000000000000000000000000000"_s << QString();
    QTest::newRow("39 digits") << u"123456789012345678901234567890123456789"_s
                               << u"39 significant digits"_s;
    QTest::newRow("39 digits decimal")
        << u"-1.23456789012345678901234567890123456789"_s << u"39 significant digits"_s;
    QTest::newRow("smallest") << u"1E-130"_s << QString();
    QTest::newRow("smallest spelt out") << u"0."_s + QString(129, u'0') + u'1' << QString();
    QTest::newRow("below smallest spelt out") << u"0."_s + QString(130, u'0') + u'1' << range;
    QTest::newRow("negative smallest") << u"-1E-130"_s << QString();
    QTest::newRow("below smallest") << u"9.9E-131"_s << range;
    QTest::newRow("1E-131") << u"1E-131"_s << range;
    QTest::newRow("largest") << u"9.9999999999999999999999999999999999999E+125"_s << QString();
    QTest::newRow("largest, other spelling")
        << u"99999999999999999999999999999999999999E+88"_s << QString();
    QTest::newRow("1E+126") << u"1E+126"_s << range;
    QTest::newRow("10E+125") << u"10E+125"_s << range;
    QTest::newRow("negative 1E+126") << u"-1E126"_s << range;
    QTest::newRow("huge exponent") << u"1E99999999999999999999"_s << range;
    QTest::newRow("tiny exponent") << u"1E-99999999999999999999"_s << range;
    QTest::newRow("zero with huge exponent") << u"0E+99999"_s << QString();
    QTest::newRow("empty") << QString() << notNumber;
    QTest::newRow("sign only") << u"-"_s << notNumber;
    QTest::newRow("letters") << u"abc"_s << notNumber;
    QTest::newRow("two points") << u"1.2.3"_s << notNumber;
    QTest::newRow("exponent without digits") << u"1e"_s << notNumber;
    QTest::newRow("exponent sign without digits") << u"1e+"_s << notNumber;
    QTest::newRow("exponent only") << u"e5"_s << notNumber;
    QTest::newRow("two signs") << u"--1"_s << notNumber;
    QTest::newRow("inner space") << u"1 000"_s << notNumber;
    QTest::newRow("leading space") << u" 1"_s << notNumber;
    QTest::newRow("trailing space") << u"1 "_s << notNumber;
    QTest::newRow("comma decimal") << u"1,5"_s << notNumber;
    QTest::newRow("NaN") << u"NaN"_s << notNumber;
    QTest::newRow("Infinity") << u"Infinity"_s << notNumber;
    QTest::newRow("hexadecimal") << u"0x10"_s << notNumber;
    QTest::newRow("Arabic-Indic digits") << u"١٢"_s << notNumber;
}

void TstJsonCodec::checkNumber()
{
    QFETCH(QString, text);
    QFETCH(QString, problem);

    const QString message = ::checkNumber(text);
    if (problem.isEmpty()) {
        QVERIFY2(message.isEmpty(), qPrintable(message));
        const auto value = Value::number(text);
        QVERIFY(value.ok());
        QCOMPARE(value->text(), text);
        QCOMPARE(value->type(), Value::Type::Number);
    } else {
        QVERIFY2(message.contains(problem), qPrintable(message));
        const auto value = Value::number(text);
        QVERIFY(!value.ok());
        QCOMPARE(value.error().message, message);
    }
}

void TstJsonCodec::canonicalNumber_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("canonical");

    QTest::newRow("integer") << u"42"_s << u"42"_s;
    QTest::newRow("trailing zero in fraction") << u"1.50"_s << u"15E-1"_s;
    QTest::newRow("same number, exponent") << u"15E-1"_s << u"15E-1"_s;
    QTest::newRow("same number, small exponent") << u"0.15e1"_s << u"15E-1"_s;
    QTest::newRow("integer trailing zeros") << u"1200"_s << u"12E2"_s;
    QTest::newRow("integer trailing zeros, decimal") << u"1200.000"_s << u"12E2"_s;
    QTest::newRow("leading zeros and plus") << u"+007"_s << u"7"_s;
    QTest::newRow("negative") << u"-0.25"_s << u"-25E-2"_s;
    QTest::newRow("zero") << u"0"_s << u"0"_s;
    QTest::newRow("negative zero") << u"-0"_s << u"0"_s;
    QTest::newRow("zero decimal") << u"-0.000E+5"_s << u"0"_s;
    QTest::newRow("exponent") << u"1e3"_s << u"1E3"_s;
    QTest::newRow("smallest") << u"1E-130"_s << u"1E-130"_s;
    QTest::newRow("38 digits") << u"12345678901234567890123456789012345678"_s
                               << u"12345678901234567890123456789012345678"_s;
    QTest::newRow("38-digit decimal") << u"0.12345678901234567890123456789012345678"_s
                                      << u"12345678901234567890123456789012345678E-38"_s;
    QTest::newRow("largest") << u"9.9999999999999999999999999999999999999E+125"_s
                             << u"99999999999999999999999999999999999999E88"_s;
}

void TstJsonCodec::canonicalNumber()
{
    QFETCH(QString, text);
    QFETCH(QString, canonical);

    QCOMPARE(::canonicalNumber(text), canonical);
    QCOMPARE(::canonicalNumber(canonical), canonical);
    QVERIFY(::checkNumber(canonical).isEmpty());
    QCOMPARE(::compareNumbers(text, canonical), 0);
}

void TstJsonCodec::compareNumbers_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<int>("expected");

    QTest::newRow("equal integers") << u"7"_s << u"7"_s << 0;
    QTest::newRow("equal spellings") << u"1.50"_s << u"15E-1"_s << 0;
    QTest::newRow("equal with plus and zeros") << u"+0010"_s << u"1e1"_s << 0;
    QTest::newRow("zero and negative zero") << u"0"_s << u"-0.0"_s << 0;
    QTest::newRow("smaller integer") << u"9"_s << u"10"_s << -1;
    QTest::newRow("not string order") << u"100"_s << u"99"_s << 1;
    QTest::newRow("negatives") << u"-2"_s << u"-10"_s << 1;
    QTest::newRow("negative vs positive") << u"-1"_s << u"1"_s << -1;
    QTest::newRow("negative vs zero") << u"-0.5"_s << u"0"_s << -1;
    QTest::newRow("zero vs tiny") << u"0"_s << u"1E-130"_s << -1;
    QTest::newRow("zero vs negative tiny") << u"0"_s << u"-1E-130"_s << 1;
    QTest::newRow("decimals") << u"0.1"_s << u"0.09999999999999999999999999999999999999"_s << 1;
    QTest::newRow("same exponent, more digits") << u"1.2"_s << u"1.25"_s << -1;
    QTest::newRow("38 digits, last differs") << u"12345678901234567890123456789012345678"_s
                                             << u"12345678901234567890123456789012345679"_s << -1;
    QTest::newRow("negative 38 digits, last differs")
        << u"-12345678901234567890123456789012345678"_s
        << u"-12345678901234567890123456789012345679"_s << 1;
    QTest::newRow("extremes") << u"9.9999999999999999999999999999999999999E+125"_s
                              << u"-9.9999999999999999999999999999999999999E+125"_s << 1;
    QTest::newRow("tiny magnitudes") << u"1E-130"_s << u"2E-130"_s << -1;
    QTest::newRow("exponent vs digits") << u"1E3"_s << u"999.999"_s << 1;
    QTest::newRow("beyond double precision") << u"9007199254740993"_s << u"9007199254740992"_s << 1;
}

void TstJsonCodec::compareNumbers()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(int, expected);

    QCOMPARE(::compareNumbers(a, b), expected);
    QCOMPARE(::compareNumbers(b, a), -expected);
    QCOMPARE(::compareNumbers(a, a), 0);
    QCOMPARE(::canonicalNumber(a) == ::canonicalNumber(b), expected == 0);
}

void TstJsonCodec::isIntegerText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("integer");

    QTest::newRow("integer") << u"12"_s << true;
    QTest::newRow("negative") << u"-3"_s << true;
    QTest::newRow("zero") << u"0"_s << true;
    QTest::newRow("38 digits") << u"12345678901234567890123456789012345678"_s << true;
    QTest::newRow("fraction") << u"1.5"_s << false;
    QTest::newRow("point zero") << u"1.0"_s << false;
    QTest::newRow("exponent") << u"1e3"_s << false;
    QTest::newRow("exponent uppercase") << u"1E3"_s << false;
    QTest::newRow("empty") << QString() << false;
}

void TstJsonCodec::isIntegerText()
{
    QFETCH(QString, text);
    QFETCH(bool, integer);

    QCOMPARE(::isIntegerText(text), integer);
}

void TstJsonCodec::fromNlohmann()
{
    using json = nlohmann::json;
    QCOMPARE(JsonCodec::fromNlohmann(json(-12)).text(), u"-12"_s);
    QCOMPARE(JsonCodec::fromNlohmann(json(18446744073709551615ull)).text(),
             u"18446744073709551615"_s);
    const Value decimal = JsonCodec::fromNlohmann(json(0.1));
    QCOMPARE(decimal.type(), Value::Type::Number);
    QCOMPARE(decimal.text(), u"0.1"_s);
    const Value tree = JsonCodec::fromNlohmann(
        json::parse(R"({"a":[true,null,"é"],"b":{"c":12345678901234567}})"));
    QCOMPARE(JsonCodec::toPlain(tree), R"({"a":[true,null,"é"],"b":{"c":12345678901234567}})"_ba);
}

// DynamoDB JSON says each type with a tag; what DynamoDB itself would refuse is refused here,
// naming the attribute's path, before anything reaches a store.
void TstJsonCodec::dynamoTypeTagsStrict_data()
{
    QTest::addColumn<QByteArray>("item");
    QTest::addColumn<QString>("location");
    QTest::addColumn<QString>("message"); // a part of the message

    QTest::newRow("N holding a JSON number")
        << R"({"n":{"N":5}})"_ba << u"n"_s << u"N must hold the number as a string"_s;
    QTest::newRow("NULL false") << R"({"z":{"NULL":false}})"_ba << u"z"_s
                                << u"NULL must hold true (\"NULL\": true), not false"_s;
    QTest::newRow("NULL a string")
        << R"({"z":{"M":{"y":{"NULL":"yes"}}}})"_ba << u"z.y"_s << u"NULL must hold true"_s;
    QTest::newRow("BOOL a string")
        << R"({"b":{"BOOL":"x"}})"_ba << u"b"_s << u"BOOL must hold true or false, not a string"_s;
    QTest::newRow("S a number") << R"({"s":{"S":1}})"_ba << u"s"_s
                                << u"S must hold a string, not an integer number"_s;
    QTest::newRow("several tags") << R"({"a":{"S":"x","N":"1"}})"_ba << u"a"_s
                                  << u"exactly one type tag, not 2 (N, S)"_s;
    QTest::newRow("unknown tag") << R"({"a":{"STR":"x"}})"_ba << u"a"_s
                                 << u"unknown DynamoDB type tag \"STR\""_s;
    QTest::newRow("empty SS") << R"({"t":{"SS":[]}})"_ba << u"t"_s << u"empty set"_s;
    QTest::newRow("empty NS") << R"({"t":{"M":{"u":{"NS":[]}}}})"_ba << u"t.u"_s << u"empty set"_s;
    QTest::newRow("empty BS") << R"({"t":{"L":[{"BS":[]}]}})"_ba << u"t[0]"_s << u"empty set"_s;
    QTest::newRow("duplicate SS items")
        << R"({"t":{"SS":["a","b","a"]}})"_ba << u"t"_s << u"holds \"a\" twice"_s;
    QTest::newRow("duplicate NS items written apart")
        << R"({"t":{"NS":["1","2","1.0"]}})"_ba << u"t"_s << u"holds 1.0 twice"_s;
    QTest::newRow("duplicate BS items") << R"({"t":{"BS":["AAE=","AAE="]}})"_ba << u"t"_s
                                        << u"holds the binary value \"AAE=\" twice"_s;
    QTest::newRow("base64 without padding") << R"({"b":{"B":"abc"}})"_ba << u"b"_s << u"base64"_s;
    QTest::newRow("base64 with too much padding")
        << R"({"b":{"B":"a==="}})"_ba << u"b"_s << u"base64"_s;
    QTest::newRow("base64 padding in the middle")
        << R"({"b":{"B":"AA=A"}})"_ba << u"b"_s << u"base64"_s;
    QTest::newRow("BS item without padding")
        << R"({"b":{"BS":["AA==","AAE"]}})"_ba << u"b"_s << u"base64"_s;
    QTest::newRow("empty map key")
        << R"({"m":{"M":{"":{"S":"x"}}}})"_ba << u"m."_s << u"a map key cannot be empty"_s;
    QTest::newRow("empty attribute name")
        << R"({"":{"S":"x"}})"_ba << QString() << u"an attribute name cannot be empty"_s;
}

void TstJsonCodec::dynamoTypeTagsStrict()
{
    QFETCH(QByteArray, item);
    QFETCH(QString, location);
    QFETCH(QString, message);

    // The item parser, and the path of the import (FastJson, then the tree conversion).
    const auto parsed = JsonCodec::parseDynamoItem(item);
    QVERIFY2(!parsed, qPrintable(describe(parsed)));
    QCOMPARE(parsed.error().kind, ErrorKind::Invalid);
    QCOMPARE(parsed.error().location, location);
    QVERIFY2(parsed.error().message.contains(message), qPrintable(parsed.error().toString()));

    auto tree = FastJson::parsePlain(item);
    QVERIFY(tree);
    const auto converted = JsonCodec::fromDynamoItemTree(*tree);
    QVERIFY(!converted);
    QCOMPARE(converted.error().toString(), parsed.error().toString());
}

// Numbers keep the text they were written with in every form, a signed zero included: plain
// JSON in and out, stored JSON, DynamoDB JSON, and the fast import parser.
void TstJsonCodec::exactNumberTextKept_data()
{
    QTest::addColumn<QString>("number");
    for (const char *n :
         {"-0", "0", "-0.0", "1.50", "1E+2", "1e2", "-1.0e-5", "0e5", "100",
          "-12345678901234567890123456789012345678", "12345678901234567890123456789"})
        QTest::newRow(n) << QString::fromLatin1(n);
}

void TstJsonCodec::exactNumberTextKept()
{
    QFETCH(QString, number);
    const QByteArray text = number.toLatin1();
    const QByteArray plain = R"({"a":[)" + text + R"(],"n":)" + text + "}";

    auto viaCodec = JsonCodec::parsePlain(plain);
    QVERIFY2(viaCodec, qPrintable(describe(viaCodec)));
    QCOMPARE(viaCodec->find(u"n"_s)->text(), number);
    QCOMPARE(JsonCodec::toPlain(*viaCodec), plain);

    auto viaFast = FastJson::parsePlain(plain);
    QVERIFY2(viaFast, qPrintable(describe(viaFast)));
    QVERIFY(*viaFast == *viaCodec);

    const QByteArray stored = JsonCodec::toStored(*viaCodec);
    QCOMPARE(stored, plain);
    auto back = JsonCodec::parseStored(stored);
    QVERIFY(back);
    QCOMPARE(back->find(u"n"_s)->text(), number);

    const QByteArray dynamo = JsonCodec::toDynamoItem(*viaCodec);
    QVERIFY2(dynamo.contains(R"("n":{"N":")" + text + R"("})"), dynamo.constData());
    auto fromDynamo = JsonCodec::parseDynamoItem(dynamo);
    QVERIFY(fromDynamo);
    QVERIFY(*fromDynamo == *viaCodec);

    // A number set keeps each item's text too.
    const Value set = Value::numberSet({number});
    auto setBack = JsonCodec::parseStored(JsonCodec::toStored(set));
    QVERIFY(setBack);
    QCOMPARE(setBack->textItems(), QStringList{number});
}

void TstJsonCodec::longInputGivesAShortMessage_data()
{
    QTest::addColumn<QString>("form");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("message");

    const QByteArray big(4 * 1024 * 1024, 'x');
    QTest::newRow("plain unterminated string")
        << u"plain"_s << R"({"a":")"_ba + big << u"malformed JSON"_s;
    QTest::newRow("plain long bad literal")
        << u"plain"_s << R"({"a":)"_ba + big + "}" << u"malformed JSON"_s;
    QTest::newRow("plain long duplicate key")
        << u"plain"_s << "{\"" + big + "\":1,\"" + big + "\":2}" << u"appears twice"_s;
    QTest::newRow("plain 1 MB number")
        << u"plain"_s << "[1." + QByteArray(1024 * 1024, '5') + "]" << u"significant digits"_s;
    QTest::newRow("dynamo long unknown tag")
        << u"item"_s << "{\"a\":{\"" + big + "\":1}}" << u"unknown DynamoDB type tag"_s;
    QTest::newRow("dynamo long bad base64")
        << u"item"_s << "{\"a\":{\"B\":\"" + big + "!\"}}" << u"base64"_s;
    QTest::newRow("dynamo long N")
        << u"item"_s << "{\"a\":{\"N\":\"1" + big + "\"}}" << u"is not a number"_s;
    QTest::newRow("stored long tag")
        << u"stored"_s << "{\"$" + big + "\":1}" << u"unknown type tag"_s;
}

void TstJsonCodec::longInputGivesAShortMessage()
{
    QFETCH(QString, form);
    QFETCH(QByteArray, input);
    QFETCH(QString, message);
    const auto result = parseAs(form, input);
    QVERIFY(!result);
    const QString text = result.error().toString();
    QVERIFY2(text.size() < 600, qPrintable(text.left(1200)));
    QVERIFY2(result.error().message.contains(message), qPrintable(text));
}

QTEST_APPLESS_MAIN(TstJsonCodec)
#include "tst_jsoncodec.moc"
