// Every bad config a user can write, with the exact message they get. The CLI prints these
// after "identitylab-cli train: " (tests/cli/tst_cli.cpp checks exit code 2), the GUI shows them
// when opening a config file (tests/ui/tst_bad_inputs.cpp); docs/reliability.md quotes them,
// so a change of wording shows here first.

#include <QtTest>

#include "engine/config/config_json.h"
#include "engine/core/errors.h"
#include "engine/train/model_size.h"
#include "engine/train/training_session.h"

using namespace il;

namespace {

// The message configFromJson gives for `text`, or "" when it is accepted.
QString messageFor(const std::string& text)
{
    try {
        configFromJson(json::parse(text));
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

}  // namespace

class TstConfigErrors : public QObject {
    Q_OBJECT

private slots:
    void badValues_haveExactMessages_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("message");
        auto row = [](const char* name, const char* json, const char* message) {
            QTest::newRow(name) << QString::fromUtf8(json) << QString::fromUtf8(message);
        };
        row("depth 0", R"({"depth": 0})", R"(config key "depth": 0 is out of range; accepted 1 to 30)");
        row("depth 31", R"({"depth": 31})", R"(config key "depth": 31 is out of range; accepted 1 to 30)");
        row("negative lr", R"({"lr": -1})", R"(config key "lr": must be a positive number, got -1)");
        row("lr 0", R"({"lr": 0})", R"(config key "lr": must be a positive number, got 0)");
        row("even kernel", R"({"kernel_size": 4})",
            R"(config key "kernel_size": 4 is even; "same" padding needs an odd kernel (1, 3, 5, ...))");
        row("kernel larger than the image", R"({"kernel_size": 9, "image_size": 7})",
            R"(config key "kernel_size": 9 is larger than the image (7 pixels))");
        row("image size 1", R"({"image_size": 1})", R"(config key "image_size": 1 is out of range; accepted 7 to 112 pixels)");
        row("steps 0", R"({"steps": 0})", R"(config key "steps": 0 is out of range; accepted 1 to 10000000)");
        row("width 0", R"({"architecture": "fcn", "width": 0})", R"(config key "width": 0 is out of range; accepted 1 to 16384)");
        row("odd ResNet depth", R"({"architecture": "resnet_cnn", "depth": 5})",
            R"(config key "depth": 5 does not fit this ResNet: it needs an even depth of at least 4 (input layer, blocks of two layers, output layer))");
        row("unknown key", R"({"dept": 3})", R"(unknown config key "dept" (see docs/config.md for the accepted keys))");
        row("unknown value", R"({"optimizer": "sgdd"})",
            R"(config key "optimizer": unknown value "sgdd"; accepted: sgd, adam, rmsprop, adagrad, adamax)");
        row("wrong type", R"({"depth": "5"})", R"(config key "depth": expected a whole number, got a string)");
        row("fraction for a count", R"({"steps": 2.5})", R"(config key "steps": expected a whole number, got a fraction)");
        row("huge integer", R"({"steps": 99999999999})", R"(config key "steps": value 99999999999 is too large)");
        row("negative seed", R"({"seed": -1})", R"(config key "seed": must not be negative)");
        row("nesterov without momentum", R"({"nesterov": true, "momentum": 0})", R"(config key "nesterov": needs momentum > 0)");
        row("newer format", R"({"format": "identitylab-config/2"})",
            R"(config key "format": this IdentityLab reads "identitylab-config/1" files)");
        row("not an object", R"([1, 2])", R"(a config must be a JSON object, got an array)");
        row("malformed: trailing comma", "{\"depth\": 3,}", "line 1, column 13: trailing comma before '}' is not allowed");
        row("malformed: NaN", "{\"lr\": NaN}",
            "line 1, column 8: expected a value (object, array, string, number, true, false or null), found 'N'");
        row("malformed: unterminated", "{\"depth\": 3",
            "line 1, column 12: expected ',' or '}' after an object member, found end of input");
        row("malformed: single quotes", "{'depth': 3}", "line 1, column 2: expected a string key in double quotes, found '''");
        row("empty file", "", "line 1, column 1: unexpected end of input, expected a value");
    }
    void badValues_haveExactMessages()
    {
        QFETCH(QString, json);
        QFETCH(QString, message);
        const QString got = messageFor(json.toStdString());
        qInfo("%s -> %s", qPrintable(json), qPrintable(got));
        QCOMPARE(got, message);
    }

    void everyDefaultAndPresetValueIsAccepted()
    {
        QCOMPARE(messageFor("{}"), QString());
        QCOMPARE(messageFor(configToJson(ExperimentConfig{}).dump()), QString());
    }

    void modelLargerThanMemory_isAResourceErrorWithTheNumbers()
    {
        ExperimentConfig c;
        c.depth = 30;
        c.channels = 4096;
        c.kernelSize = 31;
        c.imageSize = 112;
        const ModelSize size = estimateModelSize(c);
        try {
            requireFitsInMemory(size, std::int64_t(16) << 30);  // a 16 GiB machine
            QFAIL("a 1.9 TB model fitted into 16 GiB");
        } catch (const ResourceError& e) {
            const QString m = QString::fromUtf8(e.what());
            qInfo("%s", e.what());
            QVERIFY2(m.startsWith(QStringLiteral("this model needs about 5.7 TB to train, more than this machine can give "
                                                 "(12.8 GB of 16.0 GB)")),
                     e.what());
        }
        // The session refuses it before building anything (no allocation of the weights).
        QElapsedTimer t;
        t.start();
        QVERIFY_THROWS_EXCEPTION(ResourceError, TrainingSession(c, DataLocations::fromEnvironment()));
        QVERIFY(t.elapsed() < 5000);
    }

    void cudaWhereThereIsNone_isAResourceError()
    {
        ExperimentConfig c;
        c.architecture = Architecture::Fcn;
        c.depth = 1;
        c.imageSize = 7;
        c.device = DevicePreference::Cuda;
        try {
            TrainingSession session(c, DataLocations::fromEnvironment());
            QSKIP("this machine has CUDA");
        } catch (const ResourceError& e) {
            QCOMPARE(QString::fromUtf8(e.what()),
                     QStringLiteral("CUDA was asked for (device \"cuda\"), but this machine or this LibTorch build has no CUDA "
                                    "device; use device \"auto\" or \"cpu\""));
        }
    }
};

QTEST_GUILESS_MAIN(TstConfigErrors)
#include "tst_config_errors.moc"
