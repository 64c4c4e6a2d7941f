// identitylab-cli bench: trains the configurations of resources/bench/py_peer.py with the same
// definitions (biases, PyTorch's default init, SGD lr 0.01 momentum 0.9, post-activation
// residual blocks) and prints one JSON line per configuration and thread count. With
// --compare PATH it runs that Python script interleaved with ours, in the same invocation, and
// prints the ratio. --memory measures the peak resident memory of two large CNNs, each in a
// child process of its own; --evaluation times probe evaluation, the rho sweep and the
// layer-wise classifier, batched against one input at a time.

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "commands.h"
#include "engine/core/compute_threads.h"
#include "engine/core/errors.h"
#include "engine/metrics/rho_inputs.h"
#include "engine/nn/training_path.h"
#include "engine/train/model_size.h"
#include "engine/train/training_session.h"

namespace il::cli {

namespace {

struct BenchConfig {
    const char* name;
    Architecture architecture;
    int depth;
    int width;
    int warmup;
    int steps;
};

// The table of resources/bench/py_peer.py (name -> kind, depth, width, warm-up steps, timed steps).
const BenchConfig kConfigs[] = {
    {"cnn5", Architecture::Cnn, 5, 128, 3, 30},
    {"cnn20", Architecture::Cnn, 20, 128, 2, 6},
    {"fcn3", Architecture::Fcn, 3, 784, 20, 300},
    {"fcn20", Architecture::Fcn, 20, 784, 5, 60},
    {"resfcn10", Architecture::ResnetFcn, 10, 784, 10, 120},
};

// bench --memory: the two large CNNs (warm-up steps, measured steps).
const BenchConfig kMemoryConfigs[] = {
    {"cnn20", Architecture::Cnn, 20, 128, 1, 2},
    {"cnn5w1024", Architecture::Cnn, 5, 1024, 1, 1},
};

ExperimentConfig toExperiment(const BenchConfig& b)
{
    ExperimentConfig c;
    c.architecture = b.architecture;
    c.depth = b.depth;
    c.width = b.width;
    c.channels = b.width;
    c.init = InitScheme::PytorchDefault;
    c.bias = true;
    c.residualForm = ResidualForm::PostActivation;
    c.optimizer = OptimizerKind::Sgd;
    c.lr = 0.01;
    c.momentum = 0.9;
    c.schedule = Schedule::Constant;
    c.steps = 1000000;
    return c;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

double rounded(double v, double unit = 1000.0) { return std::round(v * unit) / unit; }

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// --steps / --warmup: override the table (for instruction counts under callgrind, say).
int stepsOverride = -1, warmupOverride = -1;

double ourStepsPerSecond(BenchConfig b, int threads)
{
    if (stepsOverride >= 0) b.steps = stepsOverride;
    if (warmupOverride >= 0) b.warmup = warmupOverride;
    setComputeThreads(threads);
    TrainingSession session(toExperiment(b), DataLocations::fromEnvironment());
    for (int i = 0; i < b.warmup; ++i) session.step();
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < b.steps; ++i) session.step();
    return b.steps > 0 ? b.steps / secondsSince(start) : 0.0;
}

// Runs the Python peer for one configuration; < 0 when it could not run.
double pythonStepsPerSecond(const QString& script, const QString& python, const BenchConfig& b, int threads, QString* error)
{
    QProcess process;
    QStringList arguments{script, QStringLiteral("--threads"), QString::number(threads), QStringLiteral("--configs"),
                          QString::fromLatin1(b.name)};
    if (stepsOverride > 0) arguments << QStringLiteral("--steps") << QString::number(stepsOverride);
    if (warmupOverride >= 0) arguments << QStringLiteral("--warmup") << QString::number(warmupOverride);
    process.start(python, arguments);
    if (!process.waitForFinished(600000) || process.exitCode() != 0) {
        *error = QStringLiteral("%1 %2 failed: %3").arg(python, script, QString::fromLocal8Bit(process.readAllStandardError()).trimmed());
        return -1.0;
    }
    const auto lines = process.readAllStandardOutput().split('\n');
    for (const QByteArray& line : lines) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.value(QStringLiteral("config")).toString() == QLatin1String(b.name)) return o.value(QStringLiteral("steps_per_s")).toDouble();
    }
    *error = QStringLiteral("no result line for %1 from %2").arg(QLatin1String(b.name), script);
    return -1.0;
}

void printJson(const QJsonObject& line)
{
    std::printf("%s\n", QJsonDocument(line).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

double megabytes(std::int64_t bytes) { return rounded(static_cast<double>(bytes) / (1024.0 * 1024.0), 10.0); }

// ---- --memory ------------------------------------------------------------------------------

// In the child: warm LibTorch up on a tiny model (its code and thread pools are the baseline,
// not the model's memory), then train the configuration and report the peak.
int memoryChild(const BenchConfig& b, int threads)
{
    setComputeThreads(threads);
    {
        ExperimentConfig tiny = toExperiment(b);
        tiny.depth = 2;
        tiny.channels = 4;
        TrainingSession warm(tiny, DataLocations::fromEnvironment());
        warm.step();
    }
    const std::int64_t baseline = residentBytes();
    const ExperimentConfig config = toExperiment(b);
    const auto start = std::chrono::steady_clock::now();
    TrainingSession session(config, DataLocations::fromEnvironment());
    for (int i = 0; i < b.warmup + b.steps; ++i) session.step();
    const double seconds = secondsSince(start);
    const std::int64_t peak = peakResidentBytes();
    const TrainingMemoryNeed need = trainingMemoryNeed(config);
    printJson(
        {{QStringLiteral("memory"), QLatin1String(b.name)},
         {QStringLiteral("threads"), threads},
         {QStringLiteral("steps"), b.warmup + b.steps},
         {QStringLiteral("seconds"), rounded(seconds)},
         {QStringLiteral("peak_rss_mb"), megabytes(peak)},
         {QStringLiteral("baseline_rss_mb"), megabytes(baseline)},
         {QStringLiteral("need_mb"), megabytes(need.total())},
         {QStringLiteral("weights_mb"), megabytes(need.weights)},
         {QStringLiteral("gradients_mb"), megabytes(need.gradients)},
         {QStringLiteral("optimizer_mb"), megabytes(need.optimizerState)},
         {QStringLiteral("activations_mb"), megabytes(need.activations)},
         {QStringLiteral("ratio"), rounded(static_cast<double>(peak) / static_cast<double>(need.total()))},
         {QStringLiteral("ratio_above_baseline"), rounded(static_cast<double>(peak - baseline) / static_cast<double>(need.total()))}});
    return ExitOk;
}

int memoryBench(const std::vector<const BenchConfig*>& configs, int threads, bool jsonOnly)
{
    if (!jsonOnly)
        std::fprintf(stderr, "%-10s %7s %10s %10s %10s %10s %7s %9s\n", "config", "threads", "peak MB", "base MB", "need MB", "w+g+m MB",
                     "ratio", "above base");
    for (const BenchConfig* b : configs) {
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start(QCoreApplication::applicationFilePath(),
                    {QStringLiteral("bench"), QStringLiteral("--memory-child"), QLatin1String(b->name), QStringLiteral("--threads"),
                     QString::number(threads)});
        if (!child.waitForFinished(1800000) || child.exitStatus() != QProcess::NormalExit || child.exitCode() != 0) {
            std::fprintf(stderr, "identitylab-cli bench: the memory measurement of %s failed\n", b->name);
            return ExitFailed;
        }
        const QJsonObject o = QJsonDocument::fromJson(child.readAllStandardOutput().trimmed()).object();
        printJson(o);
        if (!jsonOnly) {
            auto v = [&](const char* key) { return o.value(QLatin1String(key)).toDouble(); };
            std::fprintf(stderr, "%-10s %7d %10.1f %10.1f %10.1f %10.1f %7.2f %9.2f\n", b->name, threads, v("peak_rss_mb"),
                         v("baseline_rss_mb"), v("need_mb"), v("weights_mb") + v("gradients_mb") + v("optimizer_mb"), v("ratio"),
                         v("ratio_above_baseline"));
        }
    }
    return ExitOk;
}

// ---- --evaluation --------------------------------------------------------------------------

template <typename F>
double medianMilliseconds(int repeats, F f)
{
    std::vector<double> ms;
    for (int r = 0; r < repeats; ++r) {
        const auto start = std::chrono::steady_clock::now();
        f();
        ms.push_back(1000.0 * secondsSince(start));
    }
    return rounded(median(ms), 100.0);
}

void evaluationBench(const BenchConfig& b, int threads, int repeats, int classifierImages, bool jsonOnly)
{
    setComputeThreads(threads);
    ExperimentConfig config = toExperiment(b);
    TrainingSession session(config, DataLocations::fromEnvironment());
    for (int i = 0; i < 3; ++i) session.step();  // trained a little: outputs are not the initial ones
    const std::vector<Probe>& probes = session.probes();
    const double probesBatched = medianMilliseconds(repeats, [&] { session.evaluateProbes(probes); });
    const double probesSingly = medianMilliseconds(repeats, [&] {
        for (const Probe& p : probes) session.evaluateProbes({p});
    });
    std::vector<Image> rhoInputs;
    const auto grid = rhoGrid(config.rhoPoints);
    for (std::size_t r = 0; r < grid.size(); ++r)
        for (int s = 0; s < config.rhoSamples; ++s)
            rhoInputs.push_back(
                imageAtCorrelation(session.trainingImages().front(), grid[r], config.correlation, 1000ULL * r + static_cast<unsigned>(s)));
    const double rhoSweep = medianMilliseconds(repeats, [&] { session.rhoSweep(); });
    const double rhoBatched = medianMilliseconds(repeats, [&] { session.predict(rhoInputs); });
    const double rhoSingly = medianMilliseconds(repeats, [&] {
        for (const Image& x : rhoInputs) session.predict({x});
    });
    const double classifier = classifierImages > 0 ? medianMilliseconds(1, [&] { session.layerClassifier(classifierImages); }) : 0.0;
    printJson({{QStringLiteral("evaluation"), QLatin1String(b.name)},
               {QStringLiteral("threads"), threads},
               {QStringLiteral("probes"), static_cast<int>(probes.size())},
               {QStringLiteral("probes_batched_ms"), probesBatched},
               {QStringLiteral("probes_one_by_one_ms"), probesSingly},
               {QStringLiteral("rho_inputs"), static_cast<int>(rhoInputs.size())},
               {QStringLiteral("rho_sweep_ms"), rhoSweep},
               {QStringLiteral("rho_forward_batched_ms"), rhoBatched},
               {QStringLiteral("rho_forward_one_by_one_ms"), rhoSingly},
               {QStringLiteral("layer_classifier_images"), classifierImages},
               {QStringLiteral("layer_classifier_ms"), classifier}});
    if (!jsonOnly)
        std::fprintf(stderr,
                     "%-9s %d threads: %d probes %.1f ms batched, %.1f ms one by one; rho sweep %.1f ms (forward of %d inputs "
                     "%.1f ms batched, %.1f ms one by one); layer classifier (%d images) %.0f ms\n",
                     b.name, threads, static_cast<int>(probes.size()), probesBatched, probesSingly, rhoSweep,
                     static_cast<int>(rhoInputs.size()), rhoBatched, rhoSingly, classifierImages, classifier);
}

template <std::size_t N>
const BenchConfig* findConfig(const BenchConfig (&table)[N], const QString& name)
{
    for (const BenchConfig& b : table)
        if (name == QLatin1String(b.name)) return &b;
    return nullptr;
}

}  // namespace

int benchCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Times training steps of the Python peer's configurations (cnn5, cnn20, fcn3, fcn20, resfcn10) "
                       "and prints one JSON line per configuration and thread count."));
    parser.addHelpOption();
    const QCommandLineOption configsOption(QStringLiteral("configs"),
                                           QStringLiteral("Comma list of configurations (with --memory: cnn20, cnn5w1024)."),
                                           QStringLiteral("list"));
    const QCommandLineOption threadsOption(QStringLiteral("threads"),
                                           QStringLiteral("Comma list of thread counts (default: 1 and all cores; "
                                                          "--memory: all cores)."),
                                           QStringLiteral("list"));
    const QCommandLineOption repeatsOption(QStringLiteral("repeats"), QStringLiteral("Measurements per point; the median is printed."),
                                           QStringLiteral("n"), QStringLiteral("3"));
    const QCommandLineOption compareOption(
        QStringLiteral("compare"), QStringLiteral("Run this Python script (resources/bench/py_peer.py) interleaved and print ratios."),
        QStringLiteral("path"));
    const QCommandLineOption pythonOption(QStringLiteral("python"), QStringLiteral("Python interpreter with torch."),
                                          QStringLiteral("path"), QStringLiteral("/usr/bin/python3"));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("Only the JSON lines (no table)."));
    const QCommandLineOption memoryOption(
        QStringLiteral("memory"),
        QStringLiteral("Peak resident memory of training a 20-layer CNN and a 1024-channel 5-layer CNN, each in a child "
                       "process, against the weights, gradients, momentum and activations they need."));
    QCommandLineOption memoryChildOption(QStringLiteral("memory-child"), QStringLiteral("(internal) one --memory measurement"),
                                         QStringLiteral("config"));
    memoryChildOption.setFlags(QCommandLineOption::HiddenFromHelp);
    const QCommandLineOption evaluationOption(
        QStringLiteral("evaluation"),
        QStringLiteral("Time probe evaluation, the rho sweep and the layer classifier (batched and one input at a time)."));
    const QCommandLineOption classifierImagesOption(QStringLiteral("classifier-images"),
                                                    QStringLiteral("Images of the layer classifier in --evaluation (0: skip)."),
                                                    QStringLiteral("n"), QStringLiteral("500"));
    const QCommandLineOption stepsOption(QStringLiteral("steps"), QStringLiteral("Timed steps per measurement (default: the table's)."),
                                         QStringLiteral("n"));
    const QCommandLineOption warmupOption(QStringLiteral("warmup"), QStringLiteral("Warm-up steps (default: the table's)."),
                                          QStringLiteral("n"));
    parser.addOptions({configsOption, threadsOption, repeatsOption, compareOption, pythonOption, jsonOption, memoryOption,
                       memoryChildOption, evaluationOption, classifierImagesOption, stepsOption, warmupOption});
    if (!parser.parse(arguments)) {
        std::fprintf(stderr, "identitylab-cli bench: %s\n", qPrintable(parser.errorText()));
        return ExitUsage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::printf("%s", qPrintable(parser.helpText()));
        return ExitOk;
    }
    const bool memory = parser.isSet(memoryOption) || parser.isSet(memoryChildOption);
    const QString defaultConfigs = memory ? QStringLiteral("cnn20,cnn5w1024") : QStringLiteral("cnn5,cnn20,fcn3,fcn20,resfcn10");
    const QStringList names =
        parser.isSet(memoryChildOption)
            ? QStringList{parser.value(memoryChildOption)}
            : (parser.isSet(configsOption) ? parser.value(configsOption) : defaultConfigs).split(QLatin1Char(','), Qt::SkipEmptyParts);
    std::vector<const BenchConfig*> configs;
    for (const QString& name : names) {
        const BenchConfig* b = memory ? findConfig(kMemoryConfigs, name) : findConfig(kConfigs, name);
        if (!b) {
            std::fprintf(stderr, "identitylab-cli bench: unknown configuration \"%s\"; known: %s\n", qPrintable(name),
                         memory ? "cnn20, cnn5w1024" : "cnn5, cnn20, fcn3, fcn20, resfcn10");
            return ExitUsage;
        }
        configs.push_back(b);
    }
    std::vector<int> threadCounts;
    if (parser.isSet(threadsOption)) {
        for (const QString& t : parser.value(threadsOption).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            bool ok = false;
            const int n = t.toInt(&ok);
            if (!ok || n < 1) {
                std::fprintf(stderr, "identitylab-cli bench: bad thread count \"%s\"\n", qPrintable(t));
                return ExitUsage;
            }
            threadCounts.push_back(n);
        }
    } else if (memory) {
        threadCounts = {coreCount()};
    } else {
        threadCounts = {1};
        if (coreCount() > 1) threadCounts.push_back(coreCount());
    }
    const int repeats = std::max(1, parser.value(repeatsOption).toInt());
    if (parser.isSet(stepsOption)) stepsOverride = std::max(0, parser.value(stepsOption).toInt());
    if (parser.isSet(warmupOption)) warmupOverride = std::max(0, parser.value(warmupOption).toInt());
    const bool jsonOnly = parser.isSet(jsonOption);

    try {
        if (parser.isSet(memoryChildOption)) return memoryChild(*configs.front(), threadCounts.front());
        if (memory) return memoryBench(configs, threadCounts.front(), jsonOnly);
        if (parser.isSet(evaluationOption)) {
            for (int threads : threadCounts)
                for (const BenchConfig* b : configs)
                    evaluationBench(*b, threads, repeats, parser.value(classifierImagesOption).toInt(), jsonOnly);
            return ExitOk;
        }
    } catch (const Error& e) {
        std::fprintf(stderr, "identitylab-cli bench: %s\n", e.what());
        return ExitFailed;
    }

    const QString script = parser.value(compareOption);
    const bool compare = !script.isEmpty();
    if (!jsonOnly)
        std::fprintf(stderr, "%-9s %7s %12s %12s %7s %9s  %s\n", "config", "threads", "ours/s", compare ? "python/s" : "",
                     compare ? "ratio" : "", "GFLOP/s", "path");
    for (int threads : threadCounts) {
        for (const BenchConfig* b : configs) {
            std::vector<double> ours, theirs, ratios;
            try {
                for (int r = 0; r < repeats; ++r) {
                    ours.push_back(ourStepsPerSecond(*b, threads));
                    if (compare) {
                        QString error;
                        const double py = pythonStepsPerSecond(script, parser.value(pythonOption), *b, threads, &error);
                        if (py < 0) {
                            std::fprintf(stderr, "identitylab-cli bench: %s\n", qPrintable(error));
                            return ExitFailed;
                        }
                        theirs.push_back(py);
                        ratios.push_back(ours.back() / py);  // each pair ran back to back: the same load
                    }
                }
            } catch (const Error& e) {
                std::fprintf(stderr, "identitylab-cli bench: %s\n", e.what());
                return ExitFailed;
            }
            const ExperimentConfig config = toExperiment(*b);
            const char* path = nn::toString(nn::chooseTrainingPath(config));
            const double gflops = median(ours) * flopsPerStep(config) / 1e9;
            QJsonObject line{{QStringLiteral("config"), QLatin1String(b->name)},
                             {QStringLiteral("threads"), threads},
                             {QStringLiteral("steps_per_s"), rounded(median(ours))},
                             {QStringLiteral("gflop_s"), rounded(gflops)},
                             {QStringLiteral("path"), QLatin1String(path)}};
            if (compare) {
                line.insert(QStringLiteral("python_steps_per_s"), rounded(median(theirs)));
                line.insert(QStringLiteral("ratio"), rounded(median(ratios)));
            }
            printJson(line);
            if (!jsonOnly)
                std::fprintf(stderr, "%-9s %7d %12.2f %12s %7s %9.1f  %s\n", b->name, threads, median(ours),
                             compare ? qPrintable(QString::number(median(theirs), 'f', 2)) : "",
                             compare ? qPrintable(QString::number(median(ratios), 'f', 2)) : "", gflops, path);
        }
    }
    return ExitOk;
}

}  // namespace il::cli
