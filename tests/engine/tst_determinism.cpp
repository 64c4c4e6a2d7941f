// Repeatability, bit for bit: the same seed and config on the CPU give the same loss at every
// step, the same outputs on every probe and the same metrics; and the config.json a run writes
// (configToJson of the session's resolved config) is enough to repeat it: loaded back from
// the file, it trains to the identical result. Comparisons are of the bits, not fuzzy
// (QCOMPARE on doubles would use qFuzzyCompare).

#include <QtTest>

#include <cstring>

#include "engine/config/config_json.h"
#include "engine/train/metrics_json.h"
#include "engine/train/training_session.h"

using namespace il;

namespace {

bool sameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

bool sameBits(const std::vector<float>& a, const std::vector<float>& b)
{
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

// metrics.json without the wall-clock fields, which are the only ones allowed to differ.
std::string withoutTiming(const RunMetrics& m)
{
    json::Value v = metricsToJson(m);
    json::Value kept = json::Value::object();
    for (const auto& [key, value] : v.members())
        if (key != "seconds" && key != "steps_per_s") kept[key] = value;
    return kept.dump(-1);
}

struct TrainedRun {
    RunMetrics metrics;
    std::vector<LossPoint> loss;
    std::vector<int> trainingIndices;
};

TrainedRun train(const ExperimentConfig& config)
{
    TrainingSession session(config, DataLocations::fromEnvironment());
    TrainedRun o;
    o.metrics = session.run();
    o.loss = session.lossHistory();
    o.trainingIndices = session.trainingIndices();
    return o;
}

// Empty when a and b are the same bit for bit, else the first difference.
QString difference(const TrainedRun& a, const TrainedRun& b)
{
    if (a.trainingIndices != b.trainingIndices) return QStringLiteral("different training images");
    if (a.loss.size() != b.loss.size()) return QStringLiteral("different number of steps");
    for (std::size_t i = 0; i < a.loss.size(); ++i)
        if (!sameBits(a.loss[i].loss, b.loss[i].loss) || !sameBits(a.loss[i].lr, b.loss[i].lr))
            return QStringLiteral("loss differs at step %1: %2 vs %3")
                .arg(i)
                .arg(a.loss[i].loss, 0, 'g', 17)
                .arg(b.loss[i].loss, 0, 'g', 17);
    if (a.metrics.probes.size() != b.metrics.probes.size()) return QStringLiteral("different probe sets");
    for (std::size_t i = 0; i < a.metrics.probes.size(); ++i) {
        const auto& p = a.metrics.probes[i];
        const auto& q = b.metrics.probes[i];
        if (!sameBits(p.input.pixels, q.input.pixels)) return QStringLiteral("probe %1's input differs").arg(i);
        if (!sameBits(p.output.pixels, q.output.pixels)) return QStringLiteral("probe %1's output differs").arg(i);
        if (!sameBits(p.corrIdentity, q.corrIdentity) || !sameBits(p.corrConstant, q.corrConstant) || !sameBits(p.mse, q.mse))
            return QStringLiteral("probe %1's metrics differ").arg(i);
    }
    if (a.metrics.rhoSweep.size() != b.metrics.rhoSweep.size()) return QStringLiteral("different rho sweeps");
    for (std::size_t i = 0; i < a.metrics.rhoSweep.size(); ++i)
        if (!sameBits(a.metrics.rhoSweep[i].corrIdentity, b.metrics.rhoSweep[i].corrIdentity) ||
            !sameBits(a.metrics.rhoSweep[i].corrConstant, b.metrics.rhoSweep[i].corrConstant))
            return QStringLiteral("rho sweep differs at %1").arg(i);
    for (std::size_t i = 0; i < a.metrics.layerClassifier.error.size(); ++i)
        if (!sameBits(a.metrics.layerClassifier.error[i], b.metrics.layerClassifier.error.at(i)))
            return QStringLiteral("layer classifier differs at %1").arg(i);
    if (withoutTiming(a.metrics) != withoutTiming(b.metrics)) return QStringLiteral("metrics.json differs");
    return {};
}

ExperimentConfig smallCnn()
{
    ExperimentConfig c;
    c.architecture = Architecture::Cnn;
    c.depth = 3;
    c.channels = 6;
    c.kernelSize = 3;
    c.steps = 40;
    c.rhoSamples = 2;
    c.device = DevicePreference::Cpu;
    return c;
}

// Far from the defaults in every key that changes the result.
ExperimentConfig unusualFcn()
{
    ExperimentConfig c;
    c.architecture = Architecture::ResnetFcn;
    c.depth = 4;
    c.width = 24;
    c.activation = Activation::Tanh;
    c.init = InitScheme::KaimingNormal;
    c.initScale = 0.7;
    c.optimizer = OptimizerKind::Adam;
    c.lr = 0.003;
    c.beta1 = 0.8;
    c.weightDecay = 0.001;
    c.schedule = Schedule::Constant;
    c.steps = 30;
    c.trainCount = 3;
    c.trainClass = -1;
    c.batchSize = 2;  // minibatches drawn from the seed too
    c.imageSize = 14;
    c.seed = 12345;
    c.dataSeed = 99;
    c.correlation = CorrelationKind::Cosine;
    c.rhoPoints = 5;
    c.rhoSamples = 3;
    c.device = DevicePreference::Cpu;
    return c;
}

}  // namespace

class TstDeterminism : public QObject {
    Q_OBJECT

private slots:
    void sameSeedAndConfig_giveBitwiseEqualResults_data()
    {
        QTest::addColumn<int>("which");
        QTest::newRow("CNN 3, SGD, step schedule") << 0;
        QTest::newRow("ResNet-FCN, Adam, minibatches of 2 of 3 images") << 1;
    }
    void sameSeedAndConfig_giveBitwiseEqualResults()
    {
        QFETCH(int, which);
        const ExperimentConfig config = which == 0 ? smallCnn() : unusualFcn();
        const TrainedRun a = train(config), b = train(config);
        QVERIFY(a.loss.size() == std::size_t(config.steps));
        const QString diff = difference(a, b);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));

        ExperimentConfig other = config;
        other.seed += 1;  // and the comparison can fail
        QVERIFY(!difference(a, train(other)).isEmpty());
    }

    void savedConfigJson_repeatsTheRunExactly_data() { sameSeedAndConfig_giveBitwiseEqualResults_data(); }
    void savedConfigJson_repeatsTheRunExactly()
    {
        QFETCH(int, which);
        const ExperimentConfig config = which == 0 ? smallCnn() : unusualFcn();
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("config.json")).toStdString();
        TrainedRun first;
        {
            TrainingSession session(config, DataLocations::fromEnvironment());
            first.metrics = session.run();
            first.loss = session.lossHistory();
            first.trainingIndices = session.trainingIndices();
            // What a run folder's config.json holds (ui/export/run_export.cpp, the GUI's export).
            json::writeFileAtomic(path, configToJson(session.config()).dump(2) + "\n");
        }
        const json::Value written = json::parseFile(path);
        // Every key, resolved: nothing is left to a default that a later version might change.
        QCOMPARE(written.size(), configToJson(ExperimentConfig{}).size());
        const ExperimentConfig loaded = loadConfigFile(path);
        QCOMPARE(configToJson(loaded), configToJson(config));
        const QString diff = difference(first, train(loaded));
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }
};

QTEST_GUILESS_MAIN(TstDeterminism)
#include "tst_determinism.moc"
