// Writes the seed corpus of fuzz_run_file: small but complete .ilrun files made by the real
// writer (saveRunFile), one per shape of run the app saves: finished with frames, activation
// maps and metrics; a drawing's run; a run stopped before its first frame; a diverged run.
//   make_run_file_seeds tests/fuzz/corpus/run_file
// The weights are a few bytes standing in for a checkpoint (the loader does not look inside).

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>

#include "ui/run/run_file.h"

using namespace il;
using il::ui::RunRecord;
using il::ui::TrainingFrame;

namespace {

Image ramp(int c, int h, int w)
{
    Image im(c, h, w);
    for (std::size_t i = 0; i < im.pixels.size(); ++i) im.pixels[i] = float(i % 7) / 7.0f;
    return im;
}

ProbeOutcome probe(const char* name, ProbeGroup group, int side)
{
    ProbeOutcome p;
    p.name = name;
    p.group = group;
    p.input = ramp(1, side, side);
    p.output = ramp(1, side, side);
    p.corrIdentity = 0.9;
    p.corrConstant = 0.1;
    p.mse = 0.01;
    return p;
}

RunRecord tinyRun(int side)
{
    RunRecord r;
    r.config.architecture = Architecture::Fcn;
    r.config.depth = 1;
    r.config.width = 8;
    r.config.imageSize = side;
    r.config.steps = 4;
    r.device = QStringLiteral("CPU, 1 thread");
    r.size.weights = side * side * side * side;
    r.size.biases = side * side;
    r.trainingImages = {ramp(1, side, side)};
    r.decaySteps = {1, 2, 3};
    r.theoryName = QStringLiteral("Theorem 1");
    r.warnings = QStringList{QStringLiteral("Fashion-MNIST probes left out")};
    for (int s = 0; s < 4; ++s) r.loss.push_back({s, 1.0 / (s + 1), 0.01});
    return r;
}

TrainingFrame frame(int step, int side, bool withActivations)
{
    TrainingFrame f;
    f.step = step;
    f.totalSteps = 4;
    f.loss = 0.5;
    f.probes = {probe("train 7", ProbeGroup::Train, side), probe("noise", ProbeGroup::Noise, side)};
    f.theory = {ramp(1, side, side), ramp(1, side, side)};
    f.rho = {{0.0, 0.9, 0.1, 0.01, 0.01, Zone::A}, {1.0, 0.2, 0.8, 0.02, 0.02, Zone::B}};
    if (withActivations) {
        f.activations.layers = {"input", "output"};
        f.activations.probes = {"train 7", "noise"};
        f.activations.maps = {{ramp(1, side, side), ramp(1, side, side)}, {ramp(1, side, side), ramp(1, side, side)}};
        f.activations.layerChannels = {1, 1};
        f.layerStats = {{"output", 0.1, 0.2, -1.0, 1.0, 0.5}};
    }
    return f;
}

// Writes the run, then reads it back: a seed the loader refuses would only teach the fuzzer
// the first few checks.
bool write(const RunRecord& run, const QString& weights, const QString& path)
{
    QString error;
    RunRecord back;
    if (!il::ui::saveRunFile(run, weights, path, &error) || !il::ui::loadRunFile(path, QStringLiteral("/dev/null"), back, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return false;
    }
    return true;
}

}  // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_run_file_seeds OUTDIR\n");
        return 2;
    }
    const QDir out(QString::fromLocal8Bit(argv[1]));
    if (!QDir().mkpath(out.path())) return 1;
    QTemporaryDir temp;
    const QString weights = temp.filePath(QStringLiteral("w.pt"));
    QFile w(weights);
    if (!w.open(QIODevice::WriteOnly) || w.write("PK\x03\x04weights") < 0) return 1;
    w.close();

    RunRecord finished = tinyRun(7);
    finished.finished = true;
    finished.history = {frame(0, 7, false), frame(2, 7, true), frame(4, 7, true)};
    finished.metrics.parameters = 2450;
    finished.metrics.finalLoss = 0.25;
    finished.metrics.stepsDone = 4;
    finished.metrics.device = "CPU";
    finished.metrics.probes = frame(4, 7, false).probes;
    finished.metrics.groups = {{ProbeGroup::Train, 0.9, 0.1, 1}};
    finished.metrics.rhoSweep = frame(4, 7, false).rho;
    finished.metrics.layerClassifier = {{"input", "output"}, {0.5, 0.25}, 20};

    RunRecord drawing = tinyRun(7);
    drawing.finished = true;
    drawing.customTraining = ramp(1, 28, 28);
    drawing.history = {frame(4, 7, false)};

    RunRecord stopped = tinyRun(7);
    stopped.loss.clear();
    stopped.metrics.stopReason = StopReason::Cancelled;

    RunRecord diverged = tinyRun(7);
    diverged.finished = true;
    diverged.metrics.stopReason = StopReason::Diverged;
    diverged.metrics.stopDetail = "loss became NaN at step 3";
    diverged.history = {frame(3, 7, false)};

    const bool ok = write(finished, weights, out.filePath(QStringLiteral("finished.ilrun"))) &&
                    write(drawing, weights, out.filePath(QStringLiteral("drawing.ilrun"))) &&
                    write(stopped, QString(), out.filePath(QStringLiteral("stopped-no-weights.ilrun"))) &&
                    write(diverged, weights, out.filePath(QStringLiteral("diverged.ilrun")));
    return ok ? 0 : 1;
}
