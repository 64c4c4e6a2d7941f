// identitylab-cli bench: trains the configurations of resources/bench/py_peer.py with the same
// definitions (biases, PyTorch's default init, SGD lr 0.01 momentum 0.9, post-activation
// residual blocks) and prints one JSON line per configuration and thread count. With
// --compare PATH it runs that Python script interleaved with ours, in the same invocation, and
// prints the ratio. --memory measures the peak resident memory of two large CNNs, each in a
// child process of its own; --evaluation times probe evaluation, the rho sweep and the
// layer-wise classifier, batched against one input at a time.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "arguments.h"
#include "child_process.h"
#include "commands.h"
#include "engine/core/compute_threads.h"
#include "engine/core/errors.h"
#include "engine/io/json.h"
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
double pythonStepsPerSecond(const std::string& script, const std::string& python, const BenchConfig& b, int threads, std::string* error)
{
    std::vector<std::string> argv{python, script, "--threads", std::to_string(threads), "--configs", b.name};
    if (stepsOverride > 0) argv.insert(argv.end(), {"--steps", std::to_string(stepsOverride)});
    if (warmupOverride >= 0) argv.insert(argv.end(), {"--warmup", std::to_string(warmupOverride)});
    const ChildResult child = runChild(argv);
    if (!child.started || child.exitCode != 0) {
        *error = python + " " + script + " failed (exit code " + std::to_string(child.exitCode) + "; its messages are above)";
        return -1.0;
    }
    std::size_t start = 0;
    while (start < child.output.size()) {
        const std::size_t end = std::min(child.output.find('\n', start), child.output.size());
        const std::string line = child.output.substr(start, end - start);
        start = end + 1;
        try {
            const json::Value o = json::parse(line);
            const json::Value* config = o.find("config");
            if (config && config->isString() && config->asString() == b.name) return o.at("steps_per_s").asNumber();
        } catch (const Error&) {
            // not a result line
        }
    }
    *error = std::string("no result line for ") + b.name + " from " + script;
    return -1.0;
}

void printJson(const json::Value& line)
{
    std::printf("%s\n", line.dump(-1).c_str());
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
    json::Value line = json::Value::object();
    line["memory"] = b.name;
    line["threads"] = threads;
    line["steps"] = b.warmup + b.steps;
    line["seconds"] = rounded(seconds);
    line["peak_rss_mb"] = megabytes(peak);
    line["baseline_rss_mb"] = megabytes(baseline);
    line["need_mb"] = megabytes(need.total());
    line["weights_mb"] = megabytes(need.weights);
    line["gradients_mb"] = megabytes(need.gradients);
    line["optimizer_mb"] = megabytes(need.optimizerState);
    line["activations_mb"] = megabytes(need.activations);
    line["ratio"] = rounded(static_cast<double>(peak) / static_cast<double>(need.total()));
    line["ratio_above_baseline"] = rounded(static_cast<double>(peak - baseline) / static_cast<double>(need.total()));
    printJson(line);
    return ExitOk;
}

int memoryBench(const std::vector<const BenchConfig*>& configs, int threads, bool jsonOnly)
{
    if (!jsonOnly)
        std::fprintf(stderr, "%-10s %7s %10s %10s %10s %10s %7s %9s\n", "config", "threads", "peak MB", "base MB", "need MB", "w+g+m MB",
                     "ratio", "above base");
    for (const BenchConfig* b : configs) {
        const ChildResult child = runChild({selfExecutable(), "bench", "--memory-child", b->name, "--threads", std::to_string(threads)});
        json::Value o;
        try {
            if (!child.started || child.exitCode != 0) throw Error("the child process failed");
            o = json::parse(child.output);
        } catch (const Error&) {
            std::fprintf(stderr, "identitylab-cli bench: the memory measurement of %s failed\n", b->name);
            return ExitFailed;
        }
        printJson(o);
        if (!jsonOnly) {
            auto v = [&](const char* key) { return o.at(key).asNumber(); };
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
    json::Value line = json::Value::object();
    line["evaluation"] = b.name;
    line["threads"] = threads;
    line["probes"] = static_cast<int>(probes.size());
    line["probes_batched_ms"] = probesBatched;
    line["probes_one_by_one_ms"] = probesSingly;
    line["rho_inputs"] = static_cast<int>(rhoInputs.size());
    line["rho_sweep_ms"] = rhoSweep;
    line["rho_forward_batched_ms"] = rhoBatched;
    line["rho_forward_one_by_one_ms"] = rhoSingly;
    line["layer_classifier_images"] = classifierImages;
    line["layer_classifier_ms"] = classifier;
    printJson(line);
    if (!jsonOnly)
        std::fprintf(stderr,
                     "%-9s %d threads: %d probes %.1f ms batched, %.1f ms one by one; rho sweep %.1f ms (forward of %d inputs "
                     "%.1f ms batched, %.1f ms one by one); layer classifier (%d images) %.0f ms\n",
                     b.name, threads, static_cast<int>(probes.size()), probesBatched, probesSingly, rhoSweep,
                     static_cast<int>(rhoInputs.size()), rhoBatched, rhoSingly, classifierImages, classifier);
}

template <std::size_t N>
const BenchConfig* findConfig(const BenchConfig (&table)[N], const std::string& name)
{
    for (const BenchConfig& b : table)
        if (name == b.name) return &b;
    return nullptr;
}

}  // namespace

int benchCommand(const ArgumentList& arguments)
{
    Arguments parser("identitylab-cli bench [options]",
                     "Times training steps of the Python peer's configurations (cnn5, cnn20, fcn3, fcn20, resfcn10) and prints\n"
                     "one JSON line per configuration and thread count.");
    parser.add("configs", "list", "Comma list of configurations (with --memory: cnn20, cnn5w1024).");
    parser.add("threads", "list", "Comma list of thread counts (default: 1 and all cores; --memory: all cores).");
    parser.add("repeats", "n", "Measurements per point; the median is printed.", "3");
    parser.add("compare", "path", "Run this Python script (resources/bench/py_peer.py) interleaved and print ratios.");
    parser.add("python", "path", "Python interpreter with torch.", "/usr/bin/python3");
    parser.add("json", "", "Only the JSON lines (no table).");
    parser.add("memory", "",
                "Peak resident memory of training a 20-layer CNN and a 1024-channel 5-layer CNN, each in a child process, "
                "against the weights, gradients, momentum and activations they need.");
    parser.add("memory-child", "config", "(internal) one --memory measurement", "", true);
    parser.add("evaluation", "", "Time probe evaluation, the rho sweep and the layer classifier (batched and one input at a time).");
    parser.add("classifier-images", "n", "Images of the layer classifier in --evaluation (0: skip).", "500");
    parser.add("steps", "n", "Timed steps per measurement (default: the table's).");
    parser.add("warmup", "n", "Warm-up steps (default: the table's).");
    if (const std::optional<int> answered = parser.parseOrAnswer(arguments)) return *answered;
    const bool memory = parser.isSet("memory") || parser.isSet("memory-child");
    const std::string defaultConfigs = memory ? "cnn20,cnn5w1024" : "cnn5,cnn20,fcn3,fcn20,resfcn10";
    const std::vector<std::string> names =
        parser.isSet("memory-child") ? std::vector<std::string>{parser.value("memory-child")}
                                     : splitList(parser.isSet("configs") ? parser.value("configs") : defaultConfigs);
    std::vector<const BenchConfig*> configs;
    for (const std::string& name : names) {
        const BenchConfig* b = memory ? findConfig(kMemoryConfigs, name) : findConfig(kConfigs, name);
        if (!b) {
            std::fprintf(stderr, "identitylab-cli bench: unknown configuration \"%s\"; known: %s\n", name.c_str(),
                         memory ? "cnn20, cnn5w1024" : "cnn5, cnn20, fcn3, fcn20, resfcn10");
            return ExitUsage;
        }
        configs.push_back(b);
    }
    std::vector<int> threadCounts;
    int repeats = 1, classifierImages = 0;
    try {
        if (parser.isSet("threads")) {
            for (const std::string& t : splitList(parser.value("threads"))) {
                char* end = nullptr;
                const long n = std::strtol(t.c_str(), &end, 10);
                if (*end != '\0' || n < 1 || n > 4096) throw ConfigError("bad thread count \"" + t + "\"");
                threadCounts.push_back(static_cast<int>(n));
            }
        } else if (memory) {
            threadCounts = {coreCount()};
        } else {
            threadCounts = {1};
            if (coreCount() > 1) threadCounts.push_back(coreCount());
        }
        repeats = parser.intValue("repeats", 1);
        classifierImages = parser.intValue("classifier-images", 0);
        if (parser.isSet("steps")) stepsOverride = parser.intValue("steps", 0);
        if (parser.isSet("warmup")) warmupOverride = parser.intValue("warmup", 0);
    } catch (const Error& e) {
        std::fprintf(stderr, "identitylab-cli bench: %s\n", e.what());
        return ExitUsage;
    }
    const bool jsonOnly = parser.isSet("json");

    try {
        if (parser.isSet("memory-child")) return memoryChild(*configs.front(), threadCounts.front());
        if (memory) return memoryBench(configs, threadCounts.front(), jsonOnly);
        if (parser.isSet("evaluation")) {
            for (int threads : threadCounts)
                for (const BenchConfig* b : configs) evaluationBench(*b, threads, repeats, classifierImages, jsonOnly);
            return ExitOk;
        }
    } catch (const Error& e) {
        std::fprintf(stderr, "identitylab-cli bench: %s\n", e.what());
        return ExitFailed;
    }

    const std::string script = parser.value("compare");
    const bool compare = !script.empty();
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
                        std::string error;
                        const double py = pythonStepsPerSecond(script, parser.value("python"), *b, threads, &error);
                        if (py < 0) {
                            std::fprintf(stderr, "identitylab-cli bench: %s\n", error.c_str());
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
            json::Value line = json::Value::object();
            line["config"] = b->name;
            line["threads"] = threads;
            line["steps_per_s"] = rounded(median(ours));
            line["gflop_s"] = rounded(gflops);
            line["path"] = path;
            if (compare) {
                line["python_steps_per_s"] = rounded(median(theirs));
                line["ratio"] = rounded(median(ratios));
            }
            printJson(line);
            if (!jsonOnly) {
                char theirsText[32] = "", ratioText[32] = "";
                if (compare) {
                    std::snprintf(theirsText, sizeof theirsText, "%.2f", median(theirs));
                    std::snprintf(ratioText, sizeof ratioText, "%.2f", median(ratios));
                }
                std::fprintf(stderr, "%-9s %7d %12.2f %12s %7s %9.1f  %s\n", b->name, threads, median(ours), theirsText, ratioText, gflops,
                             path);
            }
        }
    }
    return ExitOk;
}

}  // namespace il::cli
