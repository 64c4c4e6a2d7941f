// The engine's open-data writers: .npy arrays numpy can load (engine/io/npy.h), SHA-256 against
// the standard's test vectors (engine/io/sha256.h), metrics.jsonl from a hand-built trajectory,
// and a whole run folder's data files (engine/io/run_folder.h) with their provenance, whose
// config.json still loads as a config.

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <string>

#include "engine/config/config_json.h"
#include "engine/core/build_info.h"
#include "engine/io/json.h"
#include "engine/io/npy.h"
#include "engine/io/run_folder.h"
#include "engine/io/sha256.h"
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
