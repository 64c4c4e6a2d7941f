// identitylab-cli bench: trains the configurations of shared/bench/py_ref.py with the same
// definitions (biases, PyTorch's default init, SGD lr 0.01 momentum 0.9, post-activation
// residual blocks) and prints one JSON line per configuration and thread count. With
// --compare PATH it runs that Python script interleaved with ours, in the same invocation, and
// prints the ratio.

#include <QCommandLineParser>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "commands.h"
#include "engine/core/compute_threads.h"
#include "engine/core/errors.h"
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

// The table of py_ref.py (name -> kind, depth, width, warm-up steps, timed steps).
const BenchConfig kConfigs[] = {
    {"cnn5", Architecture::Cnn, 5, 128, 3, 30},           {"cnn20", Architecture::Cnn, 20, 128, 2, 6},
    {"fcn3", Architecture::Fcn, 3, 784, 20, 300},         {"fcn20", Architecture::Fcn, 20, 784, 5, 60},
    {"resfcn10", Architecture::ResnetFcn, 10, 784, 10, 120},
};

ExperimentConfig toExperiment(const BenchConfig& b) {
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

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

double ourStepsPerSecond(const BenchConfig& b, int threads) {
    setComputeThreads(threads);
    TrainingSession session(toExperiment(b), DataLocations::fromEnvironment());
    for (int i = 0; i < b.warmup; ++i) session.step();
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < b.steps; ++i) session.step();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return b.steps / seconds;
}

// Runs the Python peer for one configuration; < 0 when it could not run.
double pythonStepsPerSecond(const QString& script, const QString& python, const BenchConfig& b, int threads, QString* error) {
    QProcess process;
    process.start(python, {script, QStringLiteral("--threads"), QString::number(threads), QStringLiteral("--configs"),
                           QString::fromLatin1(b.name)});
    if (!process.waitForFinished(600000) || process.exitCode() != 0) {
        *error = QStringLiteral("%1 %2 failed: %3").arg(python, script, QString::fromLocal8Bit(process.readAllStandardError()).trimmed());
        return -1.0;
    }
    const auto lines = process.readAllStandardOutput().split('\n');
    for (const QByteArray& line : lines) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.value(QStringLiteral("config")).toString() == QLatin1String(b.name))
            return o.value(QStringLiteral("steps_per_s")).toDouble();
    }
    *error = QStringLiteral("no result line for %1 from %2").arg(QLatin1String(b.name), script);
    return -1.0;
}

}  // namespace

int benchCommand(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Times training steps of the Python peer's configurations (cnn5, cnn20, fcn3, fcn20, resfcn10) "
        "and prints one JSON line per configuration and thread count."));
    parser.addHelpOption();
    const QCommandLineOption configsOption(QStringLiteral("configs"), QStringLiteral("Comma list of configurations."),
                                           QStringLiteral("list"), QStringLiteral("cnn5,cnn20,fcn3,fcn20,resfcn10"));
    const QCommandLineOption threadsOption(QStringLiteral("threads"),
                                           QStringLiteral("Comma list of thread counts (default: 1 and all cores)."),
                                           QStringLiteral("list"));
    const QCommandLineOption repeatsOption(QStringLiteral("repeats"), QStringLiteral("Measurements per point; the median is printed."),
                                           QStringLiteral("n"), QStringLiteral("3"));
    const QCommandLineOption compareOption(QStringLiteral("compare"),
                                           QStringLiteral("Run this Python script (shared/bench/py_ref.py) interleaved and print ratios."),
                                           QStringLiteral("path"));
    const QCommandLineOption pythonOption(QStringLiteral("python"), QStringLiteral("Python interpreter with torch."),
                                          QStringLiteral("path"), QStringLiteral("/usr/bin/python3"));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("Only the JSON lines (no table)."));
    parser.addOptions({configsOption, threadsOption, repeatsOption, compareOption, pythonOption, jsonOption});
    if (!parser.parse(arguments)) {
        std::fprintf(stderr, "identitylab-cli bench: %s\n", qPrintable(parser.errorText()));
        return ExitUsage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::printf("%s", qPrintable(parser.helpText()));
        return ExitOk;
    }
    std::vector<BenchConfig> configs;
    for (const QString& name : parser.value(configsOption).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const auto it = std::find_if(std::begin(kConfigs), std::end(kConfigs),
                                     [&](const BenchConfig& b) { return name == QLatin1String(b.name); });
        if (it == std::end(kConfigs)) {
            std::fprintf(stderr, "identitylab-cli bench: unknown configuration \"%s\"; known: cnn5, cnn20, fcn3, fcn20, resfcn10\n",
                         qPrintable(name));
            return ExitUsage;
        }
        configs.push_back(*it);
    }
    std::vector<int> threadCounts;
    if (parser.isSet(threadsOption)) {
        for (const QString& t : parser.value(threadsOption).split(QLatin1Char(','), Qt::SkipEmptyParts)) threadCounts.push_back(t.toInt());
    } else {
        threadCounts = {1};
        if (coreCount() > 1) threadCounts.push_back(coreCount());
    }
    const int repeats = std::max(1, parser.value(repeatsOption).toInt());
    const QString script = parser.value(compareOption);
    const bool compare = !script.isEmpty();
    const bool jsonOnly = parser.isSet(jsonOption);
    if (!jsonOnly)
        std::fprintf(stderr, "%-9s %7s %12s %12s %7s\n", "config", "threads", "ours/s", compare ? "python/s" : "", compare ? "ratio" : "");
    for (int threads : threadCounts) {
        for (const BenchConfig& b : configs) {
            std::vector<double> ours, theirs;
            try {
                for (int r = 0; r < repeats; ++r) {
                    ours.push_back(ourStepsPerSecond(b, threads));
                    if (compare) {
                        QString error;
                        const double py = pythonStepsPerSecond(script, parser.value(pythonOption), b, threads, &error);
                        if (py < 0) {
                            std::fprintf(stderr, "identitylab-cli bench: %s\n", qPrintable(error));
                            return ExitFailed;
                        }
                        theirs.push_back(py);
                    }
                }
            } catch (const Error& e) {
                std::fprintf(stderr, "identitylab-cli bench: %s\n", e.what());
                return ExitFailed;
            }
            QJsonObject line{{QStringLiteral("config"), QLatin1String(b.name)},
                             {QStringLiteral("threads"), threads},
                             {QStringLiteral("steps_per_s"), std::round(median(ours) * 1000) / 1000}};
            if (compare) {
                line.insert(QStringLiteral("python_steps_per_s"), std::round(median(theirs) * 1000) / 1000);
                line.insert(QStringLiteral("ratio"), std::round(median(ours) / median(theirs) * 1000) / 1000);
            }
            std::printf("%s\n", QJsonDocument(line).toJson(QJsonDocument::Compact).constData());
            std::fflush(stdout);
            if (!jsonOnly)
                std::fprintf(stderr, "%-9s %7d %12.2f %12s %7s\n", b.name, threads, median(ours),
                             compare ? qPrintable(QString::number(median(theirs), 'f', 2)) : "",
                             compare ? qPrintable(QString::number(median(ours) / median(theirs), 'f', 2)) : "");
        }
    }
    return ExitOk;
}

}  // namespace il::cli
