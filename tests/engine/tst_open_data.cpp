// The engine's open-data writers: .npy arrays numpy can load (engine/io/npy.h), SHA-256 against
// the standard's test vectors (engine/io/sha256.h), metrics.jsonl from a hand-built trajectory,
// and a whole run folder's data files (engine/io/run_folder.h) with their provenance, whose
// config.json still loads as a config. The readers read back what the writers write
// (engine/io/run_folder_reader.h), name the file a damaged folder fails on, and tell which tasks
// of a sweep folder are there (engine/io/sweep_folder.h).

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <string>

#include "engine/config/config_json.h"
#include "engine/core/build_info.h"
#include "engine/io/json.h"
#include "engine/io/npy.h"
#include "engine/io/run_folder.h"
#include "engine/io/run_folder_reader.h"
#include "engine/io/sha256.h"
#include "engine/io/sweep_folder.h"
#include "engine/train/trajectory_jsonl.h"

namespace {

std::string readAll(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return f.readAll().toStdString();
}

il::Image filled(int channels, int size, float start)
{
    il::Image image(channels, size, size);
    for (std::size_t i = 0; i < image.pixels.size(); ++i) image.pixels[i] = start + 0.5f * static_cast<float>(i);
    return image;
}

il::RunMetrics handBuiltMetrics()
{
    il::RunMetrics m;
    m.stepsDone = 3;
    m.finalLoss = 0.25;
    m.device = "CPU, 1 thread";
    for (int i = 0; i < 3; ++i) {
        il::ProbeOutcome p;
        p.name = "probe " + std::to_string(i);
        p.group = i == 0 ? il::ProbeGroup::Train : il::ProbeGroup::Pattern;
        p.input = filled(1, 4, static_cast<float>(i));
        p.output = filled(1, 4, -static_cast<float>(i));
        p.corrIdentity = 0.1 * i;
        p.corrConstant = 1.0 - 0.1 * i;
        m.probes.push_back(p);
    }
    for (int step : {0, 1, 2}) {
        il::TrajectoryPoint t;
        t.step = step;
        t.loss = 1.0 / (step + 1);
        t.lr = 0.01;
        t.groups = {{il::ProbeGroup::Train, 0.9, 0.95, 1}, {il::ProbeGroup::Pattern, 0.2, 0.7, 2}};
        m.trajectory.push_back(t);
    }
    return m;
}

// Everything a run folder holds, with values the JSON files keep exactly (metrics.json rounds to
// 6 decimals; probes.json and the arrays keep full precision).
struct WrittenRun {
    il::ExperimentConfig config;
    il::RunMetrics metrics;
    std::vector<il::LossPoint> loss;
    il::ActivationGrid grid;
};

WrittenRun richRun()
{
    WrittenRun r;
    r.config.architecture = il::Architecture::Fcn;
    r.config.depth = 4;
    r.config.seed = 11;
    r.config.lr = 0.003;
    r.metrics = handBuiltMetrics();
    r.metrics.parameters = 1234;
    r.metrics.weightParameters = 1200;
    r.metrics.biasParameters = 34;
    r.metrics.stopReason = il::StopReason::Diverged;
    r.metrics.stopDetail = "loss became NaN at step 3";
    r.metrics.finalLoss = std::nan("");
    r.metrics.seconds = 1.5;
    r.metrics.stepsPerSecond = 2.0;
    r.metrics.outputCollapsed = true;
    r.metrics.outcome = il::Outcome::Constant;
    r.metrics.outcomeScores = {2, 0.5, 1.0, 0.25, 0.875, 0.5};
    r.metrics.groups = {{il::ProbeGroup::Train, 0.5, 0.75, 1}, {il::ProbeGroup::Pattern, 0.125, 0.625, 2}};
    r.metrics.rhoSweep = {{0.0, 0.25, 0.5, 0.0, 0.125, il::Zone::D}, {1.0, 0.75, 0.5, 0.0625, 0.0, il::Zone::A}};
    r.metrics.layerClassifier.layers = {"input", "layer 1"};
    r.metrics.layerClassifier.error = {0.5, 0.25};
    r.metrics.layerClassifier.images = 40;
    r.metrics.probes[1].mse = 0.1234567890123;
    r.metrics.probes[2].corrIdentity = 0.333333333333333;
    r.loss = {{0, 1.0, 0.01}, {1, 0.123456789, 0.01}, {2, std::nan(""), 0.002}};
    r.grid.layers = {"input", "layer 1", "output"};
    r.grid.probes = {"probe 0", "probe 1"};
    r.grid.maps = {{filled(1, 4, 0), filled(1, 4, 1)}, {filled(1, 2, 2), filled(1, 2, 3)}, {filled(1, 4, 4), filled(1, 4, 5)}};
    r.grid.layerChannels = {1, 8, 1};
    r.grid.reduction = il::ChannelReduction::Max;
    return r;
}

std::string writeRun(const QString& folder, const WrittenRun& r)
{
    il::writeRunData(folder.toStdString(), {r.config, r.metrics, r.loss, &r.grid, nullptr});
    return folder.toStdString();
}

bool sameImage(const il::Image& a, const il::Image& b) { return a.sameShape(b) && a.pixels == b.pixels; }

bool sameNumber(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

// The message of the DataError that reading `folder` throws; empty when it reads.
std::string readError(const std::string& folder)
{
    try {
        il::readRunFolder(folder);
    } catch (const il::DataError& e) {
        return e.what();
    }
    return {};
}

void writeText(const QString& path, const std::string& text) { il::json::writeFileAtomic(path.toStdString(), text); }

}  // namespace

class TstOpenData : public QObject {
    Q_OBJECT

private slots:
    void npy_headerIsVersion1PaddedTo64AndLittleEndianFloat32()
    {
        il::npy::Float32Array a;
        a.shape = {2, 1, 2, 3};
        for (int i = 0; i < 12; ++i) a.values.push_back(static_cast<float>(i) - 2.5f);
        const std::string bytes = il::npy::encode(a);
        QCOMPARE(bytes.substr(0, 6), std::string("\x93NUMPY"));
        QCOMPARE(int(bytes[6]), 1);
        QCOMPARE(int(bytes[7]), 0);
        const std::size_t headerSize = static_cast<unsigned char>(bytes[8]) | static_cast<unsigned char>(bytes[9]) << 8;
        QCOMPARE((10 + headerSize) % 64, std::size_t{0});
        const std::string header = bytes.substr(10, headerSize);
        QVERIFY(header.find("'descr': '<f4'") != std::string::npos);
        QVERIFY(header.find("'shape': (2, 1, 2, 3)") != std::string::npos);
        QCOMPARE(header.back(), '\n');
        QCOMPARE(bytes.size(), 10 + headerSize + 4 * 12);
        // -2.5f is 0xC0200000: its least significant byte comes first.
        QCOMPARE(bytes.substr(10 + headerSize, 4), std::string("\x00\x00\x20\xc0", 4));
    }

    void npy_roundTripsShapesAndValues_data()
    {
        QTest::addColumn<QList<int>>("shape");
        QTest::newRow("scalar") << QList<int>{};
        QTest::newRow("vector") << QList<int>{5};
        QTest::newRow("images") << QList<int>{3, 1, 28, 28};
        QTest::newRow("empty") << QList<int>{0, 4};
    }
    void npy_roundTripsShapesAndValues()
    {
        QFETCH(QList<int>, shape);
        il::npy::Float32Array a;
        std::size_t count = 1;
        for (int s : shape) {
            a.shape.push_back(static_cast<std::size_t>(s));
            count *= static_cast<std::size_t>(s);
        }
        for (std::size_t i = 0; i < count; ++i) a.values.push_back(static_cast<float>(i) * 0.125f - 7.0f);
        const il::npy::Float32Array back = il::npy::decode(il::npy::encode(a));
        QVERIFY(back.shape == a.shape);
        QVERIFY(back.values == a.values);
    }

    void npy_refusesAShapeTheValuesDoNotFill_andForeignFiles()
    {
        il::npy::Float32Array a;
        a.shape = {2, 2};
        a.values = {1.0f, 2.0f, 3.0f};
        QVERIFY_THROWS_EXCEPTION(il::Error, il::npy::encode(a));
        QVERIFY_THROWS_EXCEPTION(il::DataError, il::npy::decode("PK\x03\x04 not numpy"));
        a.values.push_back(4.0f);
        const std::string cut = il::npy::encode(a).substr(0, 70);
        QVERIFY_THROWS_EXCEPTION(il::DataError, il::npy::decode(cut));
    }

    void sha256_matchesTheStandardsVectors()
    {
        QCOMPARE(il::sha256Hex(""), std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        QCOMPARE(il::sha256Hex("abc"), std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        QCOMPARE(il::sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                 std::string("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
        // A million 'a's, fed in uneven pieces: the buffering across blocks.
        il::Sha256 hash;
        const std::string piece(999, 'a');
        std::size_t fed = 0;
        while (fed + piece.size() <= 1000000) {
            hash.update(piece.data(), piece.size());
            fed += piece.size();
        }
        const std::string rest(1000000 - fed, 'a');
        hash.update(rest.data(), rest.size());
        QCOMPARE(hash.hexDigest(), std::string("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
    }

    void sha256OfFile_hashesTheBytes_andNamesAMissingFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("abc"));
        il::json::writeFileAtomic(path.toStdString(), "abc");
        QCOMPARE(il::sha256OfFile(path.toStdString()), il::sha256Hex("abc"));
        try {
            il::sha256OfFile(dir.filePath(QStringLiteral("missing")).toStdString());
            QFAIL("a missing file was hashed");
        } catch (const il::DataError& e) {
            QVERIFY(std::string(e.what()).find("missing") != std::string::npos);
        }
    }

    void trajectoryJsonl_isOneObjectALineWithEachGroupsCorrelations()
    {
        const std::string text = il::trajectoryJsonl(handBuiltMetrics().trajectory);
        const QStringList lines = QString::fromStdString(text).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        const il::json::Value last = il::json::parse(lines.back().toStdString());
        QCOMPARE(last.at("step").asInteger(), 2LL);
        QCOMPARE(last.at("lr").asNumber(), 0.01);
        QCOMPARE(last.at("groups").at("pattern").at("corr_constant").asNumber(), 0.7);
        QCOMPARE(last.at("groups").at("train").at("corr_identity").asNumber(), 0.9);
    }

    void runData_writesEveryFileAndConfigJsonStillLoads()
    {
        QTemporaryDir dir;
        const il::RunMetrics metrics = handBuiltMetrics();
        il::ExperimentConfig config;
        config.depth = 3;
        config.channels = 16;
        const std::vector<il::LossPoint> loss{{0, 1.0, 0.01}, {1, 0.5, 0.01}, {2, 0.25, 0.01}};
        il::ActivationGrid grid;
        grid.layers = {"input", "layer 1"};
        grid.probes = {"a", "b"};
        grid.maps = {{filled(1, 4, 0), filled(1, 4, 1)}, {filled(1, 4, 2), filled(1, 4, 3)}};
        grid.layerChannels = {1, 16};
        il::Provenance provenance;
        provenance.version = il::programVersion();
        provenance.torchVersion = il::torchVersion();
        provenance.dataFiles = {{"/data/x.gz", il::sha256Hex("x")}};
        provenance.started = "2026-01-01T00:00:00Z";
        provenance.ended = "2026-01-01T00:01:00Z";

        const std::string folder = dir.filePath(QStringLiteral("run")).toStdString();
        const auto written = il::writeRunData(folder, {config, metrics, loss, &grid, &provenance});
        const QDir out(QString::fromStdString(folder));
        for (const char* name : {"config.json", "metrics.json", "metrics.jsonl", "loss.csv", "probes.json", "probes_inputs.npy",
                                 "probes_outputs.npy", "activations.json", "activations_00.npy", "activations_01.npy"})
            QVERIFY2(out.exists(QString::fromLatin1(name)), name);
        QCOMPARE(written.size(), std::size_t{10});

        const il::npy::Float32Array inputs = il::npy::decode(readAll(out.filePath(QStringLiteral("probes_inputs.npy"))));
        QVERIFY((inputs.shape == std::vector<std::size_t>{3, 1, 4, 4}));
        QCOMPARE(inputs.values[16], metrics.probes[1].input.pixels[0]);
        const il::npy::Float32Array outputs = il::npy::decode(readAll(out.filePath(QStringLiteral("probes_outputs.npy"))));
        QCOMPARE(outputs.values.back(), metrics.probes[2].output.pixels.back());

        const il::json::Value probes = il::json::parse(readAll(out.filePath(QStringLiteral("probes.json"))));
        QCOMPARE(probes.at("probes").size(), std::size_t{3});
        QCOMPARE(probes.at("probes").asArray()[2].at("corr_constant").asNumber(), 0.8);
        const il::json::Value activations = il::json::parse(readAll(out.filePath(QStringLiteral("activations.json"))));
        QCOMPARE(activations.at("layers").asArray()[1].at("name").asString(), std::string("layer 1"));
        QCOMPARE(activations.at("layers").asArray()[1].at("channels").asInteger(), 16LL);

        const il::json::Value configJson = il::json::parse(readAll(out.filePath(QStringLiteral("config.json"))));
        QCOMPARE(configJson.at("provenance").at("data_files").asArray()[0].at("sha256").asString(), il::sha256Hex("x"));
        QCOMPARE(configJson.at("provenance").at("started").asString(), std::string("2026-01-01T00:00:00Z"));
        const il::json::Value metricsJson = il::json::parse(readAll(out.filePath(QStringLiteral("metrics.json"))));
        QVERIFY(metricsJson.at("provenance") == configJson.at("provenance"));
        // The provenance is a record: the config loads as the config that was written.
        const il::ExperimentConfig back = il::configFromJson(configJson);
        QCOMPARE(back.depth, 3);
        QCOMPARE(back.channels, 16);
        QCOMPARE(QString::fromStdString(readAll(out.filePath(QStringLiteral("metrics.jsonl")))).count(QLatin1Char('\n')), 3);
    }

    void runFolderReader_readsBackWhatWriteRunDataWrites()
    {
        QTemporaryDir dir;
        const WrittenRun written = richRun();
        const std::string folder = writeRun(dir.filePath(QStringLiteral("run")), written);
        writeText(dir.filePath(QStringLiteral("run/probes.png")), "not looked at");
        QVERIFY(il::isRunFolder(folder));
        QVERIFY(!il::isSweepFolder(folder));

        const il::RunFolderContent back = il::readRunFolder(folder);
        QCOMPARE(il::configToJson(back.config).dump(-1), il::configToJson(written.config).dump(-1));
        QVERIFY(back.provenance.isNull());
        QVERIFY(back.checkpoint.empty());
        QCOMPARE(back.figures.size(), std::size_t{1});

        const il::RunMetrics& m = back.metrics;
        const il::RunMetrics& w = written.metrics;
        QCOMPARE(m.parameters, w.parameters);
        QCOMPARE(m.weightParameters, w.weightParameters);
        QCOMPARE(m.biasParameters, w.biasParameters);
        QVERIFY(std::isnan(m.finalLoss));
        QCOMPARE(m.stepsDone, w.stepsDone);
        QCOMPARE(m.stopReason, il::StopReason::Diverged);
        QCOMPARE(m.stopDetail, w.stopDetail);
        QCOMPARE(m.seconds, w.seconds);
        QCOMPARE(m.stepsPerSecond, w.stepsPerSecond);
        QCOMPARE(m.device, w.device);
        QCOMPARE(m.outputCollapsed, true);
        QCOMPARE(m.outcome, il::Outcome::Constant);
        QCOMPARE(m.outcomeScores.probes, 2);
        QCOMPARE(m.outcomeScores.meanCorrConstant, 0.875);
        // The probes come from probes.json and its arrays: every digit, and the images.
        QCOMPARE(m.probes.size(), w.probes.size());
        for (std::size_t i = 0; i < m.probes.size(); ++i) {
            QCOMPARE(m.probes[i].name, w.probes[i].name);
            QCOMPARE(m.probes[i].group, w.probes[i].group);
            QCOMPARE(m.probes[i].corrIdentity, w.probes[i].corrIdentity);
            QCOMPARE(m.probes[i].corrConstant, w.probes[i].corrConstant);
            QCOMPARE(m.probes[i].mse, w.probes[i].mse);
            QVERIFY(sameImage(m.probes[i].input, w.probes[i].input));
            QVERIFY(sameImage(m.probes[i].output, w.probes[i].output));
        }
        QCOMPARE(m.groups.size(), std::size_t{2});
        QCOMPARE(m.groups[1].group, il::ProbeGroup::Pattern);
        QCOMPARE(m.groups[1].corrConstant, 0.625);
        QCOMPARE(m.groups[1].count, 2);
        QCOMPARE(m.rhoSweep.size(), std::size_t{2});
        QCOMPARE(m.rhoSweep[0].zone, il::Zone::D);
        QCOMPARE(m.rhoSweep[1].corrIdentityStd, 0.0625);
        QVERIFY(m.layerClassifier.layers == w.layerClassifier.layers);
        QVERIFY(m.layerClassifier.error == w.layerClassifier.error);
        QCOMPARE(m.layerClassifier.images, 40);
        QCOMPARE(m.trajectory.size(), w.trajectory.size());
        QCOMPARE(m.trajectory[2].step, 2);
        QCOMPARE(m.trajectory[2].groups[1].corrConstant, 0.7);

        QCOMPARE(back.loss.size(), written.loss.size());
        for (std::size_t i = 0; i < back.loss.size(); ++i) {
            QCOMPARE(back.loss[i].step, written.loss[i].step);
            QVERIFY(sameNumber(back.loss[i].loss, written.loss[i].loss));  // 9 digits: these have fewer
            QCOMPARE(back.loss[i].lr, written.loss[i].lr);
        }

        QVERIFY(back.activations.layers == written.grid.layers);
        QVERIFY(back.activations.probes == written.grid.probes);
        QVERIFY(back.activations.layerChannels == written.grid.layerChannels);
        QCOMPARE(back.activations.reduction, il::ChannelReduction::Max);
        QCOMPARE(back.activations.maps.size(), written.grid.maps.size());
        for (std::size_t l = 0; l < back.activations.maps.size(); ++l)
            for (std::size_t p = 0; p < back.activations.maps[l].size(); ++p)
                QVERIFY(sameImage(back.activations.maps[l][p], written.grid.maps[l][p]));
    }

    void runFolderReader_namesTheFileThatIsDamaged_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("content");  // empty: the file is removed
        QTest::addColumn<QString>("named");       // the file the message names
        QTest::addColumn<QString>("says");
        const auto row = [](const char* name, const char* file, const QByteArray& content, const char* named, const char* says) {
            QTest::newRow(name) << QString::fromLatin1(file) << content << QString::fromLatin1(named) << QString::fromLatin1(says);
        };
        row("no metrics.json", "metrics.json", {}, "metrics.json", "cannot be opened");
        row("config.json not JSON", "config.json", "{\"depth\": ", "config.json", "not valid JSON");
        row("config.json out of range", "config.json", "{\"depth\": -3}", "config.json", "depth");
        row("metrics.json wrong type", "metrics.json", "{\"parameters\": \"many\"}", "metrics.json", "\"parameters\"");
        row("probes_outputs.npy cut", "probes_outputs.npy", "\x93NUMPY\x01", "probes_outputs.npy", ".npy");
        row("probes_inputs.npy gone", "probes_inputs.npy", {}, "probes_inputs.npy", "cannot be opened");
        row("probes.json points out", "probes.json", "{\"inputs\": \"../x.npy\", \"outputs\": \"y.npy\", \"probes\": []}", "probes.json",
            "not a file name");
        row("loss.csv bad number", "loss.csv", "step,loss,lr\n1,0.5,0.01\n2,lots,0.01\n", "loss.csv", "line 3");
        row("metrics.jsonl bad line", "metrics.jsonl", "{\"step\": 0, \"loss\": 1, \"lr\": 0.1, \"groups\": {}}\n[\n", "metrics.jsonl",
            "line 2");
        row("activations count", "activations.json",
            "{\"reduction\": \"mean\", \"probes\": [\"a\"], \"layers\": [{\"name\": \"input\", \"file\": \"activations_00.npy\"}]}",
            "activations_00.npy", "holds 2 images where its manifest lists 1");
    }
    void runFolderReader_namesTheFileThatIsDamaged()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, content);
        QFETCH(QString, named);
        QFETCH(QString, says);
        QTemporaryDir dir;
        const std::string folder = writeRun(dir.filePath(QStringLiteral("run")), richRun());
        const QString path = dir.filePath(QStringLiteral("run/") + file);
        QVERIFY(QFile::remove(path));
        if (!content.isEmpty()) writeText(path, content.toStdString());
        const std::string error = readError(folder);
        QVERIFY2(!error.empty(), "the damaged folder was read");
        QVERIFY2(error.find(named.toStdString()) != std::string::npos, error.c_str());
        QVERIFY2(error.find(says.toStdString()) != std::string::npos, error.c_str());
    }

    void runFolderReader_readsAFolderWithoutTheOptionalFiles()
    {
        QTemporaryDir dir;
        const std::string folder = writeRun(dir.filePath(QStringLiteral("run")), richRun());
        for (const char* name : {"metrics.jsonl", "loss.csv", "probes.json", "activations.json"})
            QVERIFY(QFile::remove(dir.filePath(QStringLiteral("run/") + QLatin1String(name))));
        const il::RunFolderContent back = il::readRunFolder(folder);
        QCOMPARE(back.metrics.probes.size(), std::size_t{3});  // metrics.json's, without images
        QVERIFY(back.metrics.probes[0].input.empty());
        QVERIFY(back.loss.empty());
        QVERIFY(back.activations.maps.empty());
        QVERIFY(back.metrics.trajectory.empty());
    }

    void sweepFolder_planTasksAreFinishedWhenTheirFolderIsThere()
    {
        QTemporaryDir dir;
        const QString sweep = dir.filePath(QStringLiteral("sweep"));
        QVERIFY(QDir().mkpath(sweep));
        writeText(sweep + QStringLiteral("/plan.json"), R"({"format": "identitylab-plan-tasks/1", "plan": {"name": "depths"}, "tasks": [
            {"index": 0, "label": "depth=1 seed=0", "cell": "depth=1", "folder": "0-depth-1-seed-0"},
            {"index": 1, "label": "depth=2 seed=0", "cell": "depth=2", "folder": "1-depth-2-seed-0"},
            {"index": 2, "label": "depth=3 seed=0", "cell": "depth=3", "folder": "2-depth-3-seed-0"}]})");
        QVERIFY(il::isSweepFolder(sweep.toStdString()));
        writeRun(sweep + QStringLiteral("/0-depth-1-seed-0"), richRun());
        writeRun(sweep + QStringLiteral("/.1-depth-2-seed-0.tmp"), richRun());  // still being written

        il::SweepFolder folder = il::readSweepFolder(sweep.toStdString());
        QCOMPARE(folder.layout, il::SweepLayout::Plan);
        QCOMPARE(folder.name, std::string("depths"));
        QCOMPARE(folder.tasks.size(), std::size_t{3});
        QCOMPARE(folder.tasks[1].label, std::string("depth=2 seed=0"));
        QCOMPARE(folder.tasks[1].cell, std::string("depth=2"));
        QCOMPARE(folder.finishedCount(), 1);
        QVERIFY(folder.tasks[0].finished);

        QVERIFY(QDir(sweep).rename(QStringLiteral(".1-depth-2-seed-0.tmp"), QStringLiteral("1-depth-2-seed-0")));
        il::refreshSweepFolder(folder);
        QCOMPARE(folder.finishedCount(), 2);
        QVERIFY(folder.tasks[1].finished);

        writeText(sweep + QStringLiteral("/plan.json"), R"({"tasks": [{"index": 0, "label": "x", "folder": "../elsewhere"}]})");
        try {
            il::readSweepFolder(sweep.toStdString());
            QFAIL("a plan.json that points out of the folder was read");
        } catch (const il::DataError& e) {
            QVERIFY2(std::string(e.what()).find("plan.json") != std::string::npos, e.what());
        }
    }

    void sweepFolder_readsReproducesSummary_andPlainSubfolders()
    {
        QTemporaryDir dir;
        const QString reproduced = dir.filePath(QStringLiteral("cnn-depth"));
        writeRun(reproduced + QStringLiteral("/cnn-1"), richRun());
        writeRun(reproduced + QStringLiteral("/cnn-20"), richRun());
        writeText(reproduced + QStringLiteral("/summary.json"), R"({"preset": "cnn-depth", "runs": [
            {"label": "CNN 20", "folder": "cnn-20"}, {"label": "CNN 1", "folder": "cnn-1"}]})");
        const il::SweepFolder summary = il::readSweepFolder(reproduced.toStdString());
        QCOMPARE(summary.layout, il::SweepLayout::Summary);
        QCOMPARE(summary.name, std::string("cnn-depth"));
        QCOMPARE(summary.tasks.size(), std::size_t{2});
        QCOMPARE(summary.tasks[0].label, std::string("CNN 20"));  // the summary's order
        QCOMPARE(summary.finishedCount(), 2);

        const QString plain = dir.filePath(QStringLiteral("runs"));
        writeRun(plain + QStringLiteral("/b"), richRun());
        QVERIFY(QDir().mkpath(plain + QStringLiteral("/figures")));
        QVERIFY(il::isSweepFolder(plain.toStdString()));
        QVERIFY(!il::isSweepFolder(dir.filePath(QStringLiteral("runs/figures")).toStdString()));
        il::SweepFolder sub = il::readSweepFolder(plain.toStdString());
        QCOMPARE(sub.layout, il::SweepLayout::Subfolders);
        QCOMPARE(sub.name, std::string("runs"));
        QCOMPARE(sub.tasks.size(), std::size_t{1});
        writeRun(plain + QStringLiteral("/a"), richRun());
        il::refreshSweepFolder(sub);
        QCOMPARE(sub.tasks.size(), std::size_t{2});
        QCOMPARE(sub.tasks[0].folder, std::string("a"));
        QCOMPARE(sub.finishedCount(), 2);
    }

    void isoUtc_isIso8601InUtc()
    {
        QCOMPARE(il::isoUtc(std::chrono::system_clock::time_point{}), std::string("1970-01-01T00:00:00Z"));
        QCOMPARE(il::isoUtc(std::chrono::system_clock::time_point{std::chrono::seconds(1700000000)}), std::string("2023-11-14T22:13:20Z"));
    }

    void versionLine_namesTheProgramAndLibTorch()
    {
        const std::string line = il::versionLine();
        QVERIFY(line.rfind(std::string("IdentityLab ") + il::programVersion(), 0) == 0);
        QVERIFY(line.find(std::string("LibTorch ") + il::torchVersion()) != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TstOpenData)
#include "tst_open_data.moc"
