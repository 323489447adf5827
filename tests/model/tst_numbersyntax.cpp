// isNumberSyntax(), the number grammar without digit or range limits that the validator uses
// for numeric dict keys: the cases it accepts and refuses, and that it agrees with the grammar
// checkNumber() applies before its limits (text checkNumber calls "not a number"); and
// isJsonNumberText(), the stricter JSON reading of the same grammar, against a JSON parser.

#include "model/core/value.h"

#include <QRandomGenerator>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace Qt::StringLiterals;

namespace {

/// Whether checkNumber() refuses the text for its syntax (not for its digits or range).
bool checkNumberRefusesSyntax(const QString &text)
{
    return checkNumber(text).endsWith(u" is not a number"_s);
}

/// Whether a JSON parser reads the text as one number (it skips white space around a value,
/// which number text never has).
bool jsonReadsNumber(const QString &text)
{
    if (text.trimmed() != text)
        return false;
    const std::string utf8 = text.toStdString();
    if (!nlohmann::json::accept(utf8))
        return false;
    return nlohmann::json::parse(utf8).is_number();
}

} // namespace

class TstNumberSyntax : public QObject
{
    Q_OBJECT

private slots:
    void accepts_data()
    {
        QTest::addColumn<QString>("text");
        for (const QString &s :
             {u"0"_s, u"-0"_s, u"+1"_s, u"007"_s, u"1."_s, u".5"_s, u"-.5"_s, u"1.5e10"_s,
              u"1E+3"_s, u"-2.e-5"_s, u"1e0"_s, u"1E200"_s, QString(39, u'9')})
            QTest::newRow(qPrintable(s)) << s;
    }
    void accepts()
    {
        QFETCH(QString, text);
        QVERIFY(isNumberSyntax(text));
        QVERIFY(!checkNumberRefusesSyntax(text));
    }

    void refuses_data()
    {
        QTest::addColumn<QString>("text");
        for (const QString &s :
             {QString(), u"+"_s, u"-"_s, u"."_s, u"-."_s, u"e5"_s, u"1e"_s, u"1e+"_s, u"1.2.3"_s,
              u"1 "_s, u" 1"_s, u"0x10"_s, u"1_000"_s, u"\u0661"_s, u"Infinity"_s, u"NaN"_s,
              u"1e5.5"_s, u"--1"_s, u"+-1"_s})
            QTest::newRow(qPrintable(u"["_s + s + u"]"_s)) << s;
    }
    void refuses()
    {
        QFETCH(QString, text);
        QVERIFY(!isNumberSyntax(text));
        QVERIFY(checkNumberRefusesSyntax(text));
    }

    /// Short strings over the characters of the grammar: both readings agree on every one.
    void agreesWithCheckNumber()
    {
        static const QString alphabet = u"0123456789+-.eE x"_s;
        QRandomGenerator random(12);
        int accepted = 0;
        for (int n = 0; n < 20000; ++n) {
            QString text;
            const int length = int(random.bounded(8));
            for (int i = 0; i < length; ++i)
                text += alphabet[qsizetype(random.bounded(quint32(alphabet.size())))];
            const bool syntax = isNumberSyntax(text);
            if (syntax == checkNumberRefusesSyntax(text))
                QFAIL(qPrintable(u"the two readings disagree on ["_s + text + u"]"_s));
            accepted += syntax ? 1 : 0;
        }
        QVERIFY2(accepted > 100, "too few numbers among the samples to compare the readings");
    }

    void jsonNumberText_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("json");
        for (const QString &s : {u"0"_s, u"-0"_s, u"10"_s, u"1.5"_s, u"-0.25e-3"_s, u"1E+3"_s,
                                 u"1e0"_s, QString(39, u'9')})
            QTest::newRow(qPrintable(s)) << s << true;
        for (const QString &s : {QString(), u"+1"_s, u"007"_s, u"-01"_s, u"1."_s, u".5"_s, u"-.5"_s,
                                 u"1e"_s, u"-"_s, u"1 "_s, u"0x1"_s})
            QTest::newRow(qPrintable(u"["_s + s + u"]"_s)) << s << false;
    }
    void jsonNumberText()
    {
        QFETCH(QString, text);
        QFETCH(bool, json);
        QCOMPARE(isJsonNumberText(text), json);
        QCOMPARE(jsonReadsNumber(text), json);
    }

    /// The JSON reading is the shared grammar narrowed: it agrees with a JSON parser, and never
    /// accepts what isNumberSyntax() refuses. No exponents here: the parser refuses one beyond
    /// a double's range (the rows above cover exponents).
    void jsonNumberTextAgreesWithJson()
    {
        static const QString alphabet = u"0123456789+-. x"_s;
        QRandomGenerator random(13);
        int accepted = 0;
        for (int n = 0; n < 20000; ++n) {
            QString text;
            const int length = int(random.bounded(8));
            for (int i = 0; i < length; ++i)
                text += alphabet[qsizetype(random.bounded(quint32(alphabet.size())))];
            const bool json = isJsonNumberText(text);
            if (json != jsonReadsNumber(text) || (json && !isNumberSyntax(text)))
                QFAIL(qPrintable(u"the JSON reading is off on ["_s + text + u"]"_s));
            accepted += json ? 1 : 0;
        }
        QVERIFY2(accepted > 100, "too few JSON numbers among the samples to compare");
    }
};

QTEST_GUILESS_MAIN(TstNumberSyntax)
#include "tst_numbersyntax.moc"
