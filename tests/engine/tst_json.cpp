// Behaviour of the engine's JSON DOM (engine/io/json.h): strict parsing with exact error
// positions, stable output, typed access, and crash-safe file writing.

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <limits>
#include <string>

#include "engine/io/json.h"

using il::json::Value;

namespace {

std::string pathIn(const QTemporaryDir& dir, const char* name) { return dir.filePath(QString::fromLatin1(name)).toStdString(); }

}  // namespace

class TstJson : public QObject {
    Q_OBJECT

private slots:
    void roundTrip_nestedValuesSurviveDumpAndParse()
    {
        Value v;
        v["name"] = "run \"alpha\"";
        v["seed"] = 18446744073709551615ull;  // above int64: stored as a double
        v["big"] = 9007199254740993LL;        // 2^53 + 1: kept exact as an integer
        v["rate"] = 0.1;
        v["flags"].push_back(true);
        v["flags"].push_back(nullptr);
        v["flags"].push_back(Value::object());
        v["nested"]["deep"]["list"] = Value::array();
        for (const int indent : {-1, 0, 2, 4}) {
            const Value back = il::json::parse(v.dump(indent));
            QVERIFY(back == v);
            QCOMPARE(back.dump(indent), v.dump(indent));
        }
        QCOMPARE(il::json::parse(v.dump()).at("big").asInteger(), 9007199254740993LL);
    }

    void dump_layoutIsCompactOrIndented()
    {
        Value v;
        v["a"] = 1;
        v["b"].push_back(2);
        v["b"].push_back("x");
        v["c"] = Value::object();
        QCOMPARE(v.dump(-1), std::string(R"({"a":1,"b":[2,"x"],"c":{}})"));
        QCOMPARE(v.dump(), std::string("{\n  \"a\": 1,\n  \"b\": [\n    2,\n    \"x\"\n  ],\n  \"c\": {}\n}"));
    }

    void dump_printsIntegersWithoutFractionAndDoublesShortest()
    {
        QCOMPARE(Value(3).dump(), std::string("3"));
        QCOMPARE(Value(3.0).dump(), std::string("3"));
        QCOMPARE(Value(-1e6).dump(), std::string("-1000000"));
        QCOMPARE(Value(std::numeric_limits<long long>::min()).dump(), std::string("-9223372036854775808"));
        QCOMPARE(Value(0.1).dump(), std::string("0.1"));
        QCOMPARE(Value(2.5).dump(), std::string("2.5"));
        QCOMPARE(Value(1e300).dump(), std::string("1e+300"));
        const double third = 1.0 / 3.0;
        QCOMPARE(il::json::parse(Value(third).dump()).asNumber(), third);  // exact round trip
        QVERIFY(Value(2.0).isInteger());
        QVERIFY(!Value(2.5).isInteger());
        QVERIFY(!Value(1e19).isInteger());  // beyond int64
    }

    void dump_writesNonFiniteAsNull()
    {
        QCOMPARE(Value(std::nan("")).dump(), std::string("null"));
        QCOMPARE(Value(std::numeric_limits<double>::infinity()).dump(), std::string("null"));
    }

    void dump_escapesQuotesBackslashesAndControlCharacters()
    {
        const std::string s = std::string("q\"b\\n\n\t\x01\x1f", 9) + "\xC3\xA9";
        QCOMPARE(Value(s).dump(), std::string("\"q\\\"b\\\\n\\n\\t\\u0001\\u001F\xC3\xA9\""));
        QCOMPARE(il::json::parse(Value(s).dump()).asString(), s);
    }

    void parse_decodesEscapesAndSurrogatePairs()
    {
        // Plain literals here and above: moc (Qt 6.4) mis-lexes backslash-quote in raw strings.
        const Value v = il::json::parse(
            "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\", \"\\u00e9\\u20AC\", "
            "\"\\ud83d\\ude00\", \"\\u0000\"]");
        QCOMPARE(v.asArray()[0].asString(), std::string("\"\\/\b\f\n\r\t"));
        QCOMPARE(v.asArray()[1].asString(), std::string("\xC3\xA9\xE2\x82\xAC"));
        QCOMPARE(v.asArray()[2].asString(), std::string("\xF0\x9F\x98\x80"));
        QCOMPARE(v.asArray()[3].asString(), std::string(1, '\0'));
        QCOMPARE(il::json::parse("\"\xF0\x9F\x98\x80\"").asString(), std::string("\xF0\x9F\x98\x80"));
    }

    void parse_acceptsEveryNumberForm()
    {
        QCOMPARE(il::json::parse("-0").asInteger(), 0LL);
        QCOMPARE(il::json::parse("9223372036854775807").asInteger(), 9223372036854775807LL);
        QCOMPARE(il::json::parse("1E+2").asNumber(), 100.0);
        QCOMPARE(il::json::parse("-1.5e-3").asNumber(), -0.0015);
        QCOMPARE(il::json::parse("18446744073709551616").asNumber(), 18446744073709551616.0);
        QCOMPARE(il::json::parse(" \t\r\n[ 1 , 2 ]\n").size(), std::size_t(2));
        QVERIFY(il::json::parse("\xEF\xBB\xBFnull").isNull());  // BOM skipped
    }

    void parse_duplicateKeyLastValueWinsAtFirstPosition()
    {
        const Value v = il::json::parse(R"({"a": 1, "b": 2, "a": 3})");
        QCOMPARE(v.size(), std::size_t(2));
        QCOMPARE(v.members()[0].first, std::string("a"));
        QCOMPARE(v.at("a").asInteger(), 3LL);
    }

    void parse_rejectsMalformedInputAtItsPosition_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("message");
        const auto row = [](const char* name, const QByteArray& text, int line, int column, const char* msg) {
            QTest::newRow(name) << text << line << column << QString::fromLatin1(msg);
        };
        row("empty input", "", 1, 1, "end of input");
        row("whitespace only", "  \n ", 2, 2, "end of input");
        row("trailing comma in array", "[1,\n 2,\n]", 3, 1, "trailing comma");
        row("trailing comma in object", "{\"a\": 1,}", 1, 9, "trailing comma");
        row("missing comma", "[1 2]", 1, 4, "expected ',' or ']'");
        row("missing colon", "{\"a\" 1}", 1, 6, "expected ':'");
        row("unquoted key", "{a: 1}", 1, 2, "string key");
        row("single quotes", "['a']", 1, 2, "expected a value");
        row("comment", "[1] // no", 1, 5, "after the JSON value");
        row("trailing garbage", "{}x", 1, 3, "after the JSON value");
        row("unclosed array", "[1, 2", 1, 6, "end of input");
        row("NaN", "NaN", 1, 1, "expected a value");
        row("bad literal", "[tru]", 1, 2, "invalid literal");
        row("leading zero", "012", 1, 2, "leading zeros");
        row("plus sign", "+1", 1, 1, "expected a value");
        row("bare minus", "-", 1, 2, "after '-'");
        row("bare decimal point", "1.", 1, 3, "decimal point");
        row("empty exponent", "1e+", 1, 4, "exponent");
        row("number too large", "[1e400]", 1, 2, "too large");
        row("unterminated string", "[\"abc", 1, 2, "unterminated string");
        row("raw newline in string", "\"a\nb\"", 1, 3, "control character");
        row("bad escape", "\"a\\x\"", 1, 3, "invalid escape");
        row("short unicode escape", "\"\\u12\"", 1, 4, "4 hex digits");
        row("lone high surrogate", "\"\\ud83d x\"", 1, 2, "unpaired high surrogate");
        row("lone low surrogate", "\"\\ude00\"", 1, 2, "unpaired low surrogate");
        row("invalid UTF-8", "\"\xC3\x28\"", 1, 2, "invalid UTF-8");
        row("overlong UTF-8", "\"\xC0\xAF\"", 1, 2, "invalid UTF-8");
        row("column counts characters", "\"\xC3\xA9\xC3\xA9\" x", 1, 6, "after the JSON value");
    }

    void parse_rejectsMalformedInputAtItsPosition()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, message);
        try {
            il::json::parse(text.toStdString());
            QFAIL("no ParseError thrown");
        } catch (const il::json::ParseError& e) {
            QCOMPARE(e.line(), line);
            QCOMPARE(e.column(), column);
            const std::string prefix = "line " + std::to_string(line) + ", column " + std::to_string(column) + ": ";
            QVERIFY2(std::string(e.what()).rfind(prefix, 0) == 0, e.what());
            QVERIFY2(QString::fromStdString(e.reason()).contains(message), e.what());
        }
    }

    void parse_acceptsNestingOf256Levels()
    {
        const Value v = il::json::parse(std::string(256, '[') + std::string(256, ']'));
        QVERIFY(v.isArray());
    }

    void parse_rejectsNestingDeeperThan256LevelsWithoutOverflowingTheStack()
    {
        try {
            il::json::parse(std::string(100000, '[') + std::string(100000, ']'));
            QFAIL("no ParseError thrown");
        } catch (const il::json::ParseError& e) {
            QCOMPARE(e.column(), 257);
        }
        QVERIFY_THROWS_EXCEPTION(il::json::ParseError, il::json::parse(std::string(300, '{')));
    }

    void parse_everyTruncationOfADocumentFailsCleanly()
    {
        // A cheap stand-in for the fuzzer: prefixes stop at every state of the parser.
        const std::string doc = R"({"a": [1, -2.5e3, true, null, "x\u00e9\ud83d\ude00\n"], "b": {"c": false}})";
        for (std::size_t n = 0; n < doc.size(); ++n) QVERIFY_THROWS_EXCEPTION(il::json::ParseError, il::json::parse(doc.substr(0, n)));
        QVERIFY(il::json::parse(doc).isObject());
    }

    void access_wrongTypeThrowsConfigErrorNamingBothTypes()
    {
        const Value v = il::json::parse(R"({"s": "x", "n": 2.5, "a": []})");
        try {
            v.at("s").asNumber();
            QFAIL("no ConfigError thrown");
        } catch (const il::ConfigError& e) {
            QCOMPARE(std::string(e.what()), std::string("expected a number, got a string"));
        }
        QVERIFY_THROWS_EXCEPTION(il::ConfigError, v.at("n").asInteger());
        QVERIFY_THROWS_EXCEPTION(il::ConfigError, v.at("a").asBool());
        QVERIFY_THROWS_EXCEPTION(il::ConfigError, v.at("n").asString());
        QVERIFY_THROWS_EXCEPTION(il::ConfigError, v.asArray());
        QVERIFY_THROWS_EXCEPTION(il::ConfigError, v.at("missing"));
        QVERIFY_THROWS_EXCEPTION(il::ConfigError, v.at("a").members());
        Value number = 1;
        QVERIFY_THROWS_EXCEPTION(il::ConfigError, number["k"]);
        QVERIFY_THROWS_EXCEPTION(il::ConfigError, number.push_back(1));
        QCOMPARE(std::string(Value(true).typeName()), std::string("boolean"));
    }

    void access_findContainsAndSizeOnEveryType()
    {
        Value v;
        QVERIFY(v.isNull());
        QVERIFY(v.find("k") == nullptr);
        v["k"] = 5;  // null becomes an object
        QVERIFY(v.isObject() && v.contains("k") && !v.contains("j"));
        QCOMPARE(v.find("k")->asInteger(), 5LL);
        QCOMPARE(Value("str").size(), std::size_t(0));
        QVERIFY(Value(1) == Value(1.0));
        QVERIFY(il::json::parse(R"({"x":1,"y":2})") == il::json::parse(R"({"y":2,"x":1})"));
        QVERIFY(Value(9007199254740993LL) != Value(9007199254740992.0));
    }

    void writeFileAtomic_writesThenReplacesWithoutLeavingTempFiles()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string path = pathIn(dir, "config.json");
        il::json::writeFileAtomic(path, R"({"v": 1})");
        QCOMPARE(il::json::parseFile(path).at("v").asInteger(), 1LL);
        il::json::writeFileAtomic(path, R"({"v": 2})");
        QCOMPARE(il::json::parseFile(path).at("v").asInteger(), 2LL);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("config.json")});
    }

    void writeFileAtomic_throwsNamingThePathInAMissingFolder()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "no/such/dir/out.json");
        try {
            il::json::writeFileAtomic(path, "{}");
            QFAIL("no il::Error thrown");
        } catch (const il::Error& e) {
            QVERIFY2(std::string(e.what()).find(path) != std::string::npos, e.what());
            QVERIFY2(std::string(e.what()).find("No such file") != std::string::npos, e.what());
        }
    }

    void parseFile_missingFileThrowsDataError()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "absent.json");
        try {
            il::json::parseFile(path);
            QFAIL("no DataError thrown");
        } catch (const il::DataError& e) {
            QVERIFY2(std::string(e.what()).rfind("cannot open " + path + ": ", 0) == 0, e.what());
        }
    }

    void parseFile_prefixesParseErrorWithThePath()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "bad.json");
        il::json::writeFileAtomic(path, "{\n  \"a\": 1,\n}");
        try {
            il::json::parseFile(path);
            QFAIL("no ParseError thrown");
        } catch (const il::json::ParseError& e) {
            QCOMPARE(e.line(), 3);
            QVERIFY2(std::string(e.what()).rfind(path + ": line 3, column 1: ", 0) == 0, e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TstJson)
#include "tst_json.moc"
