// identitylab-cli reproduce NAME --out DIR | --list
// Runs one of the paper's figures: a sweep (sweep_runner.h) over the plan shipped as
// resources/presets/NAME.json. DIR gets plan.json, one run folder per task, summary.json with
// every run's metrics and the ensemble statistics, and the figure in the paper's layout
// (figure.png; the activation presets also figure-per-layer.png, each layer on its own colour
// scale), so the figure can be checked by a program as well as by eye.

#include <cstdio>
#include <filesystem>
#include <map>

#include "arguments.h"
#include "commands.h"
#include "engine/config/preset.h"
#include "engine/core/compute_threads.h"
#include "engine/core/errors.h"
#include "sweep_runner.h"
#include "task_runner.h"
#include "engine/sweep/time_estimate.h"

namespace il::cli {

namespace {

// Each run's share of the cores when `jobs` runs train at once.
int threadsPerRun(int jobs) { return jobs > 1 ? std::max(1, coreCount() / jobs) : computeThreads(); }

int listPresets(const DataLocations& data)
{
    const std::string& resources = data.resourcesDir;
    ensureComputeThreadsConfigured();
    const int allThreads = computeThreads();
    // Each preset is estimated as `reproduce` would run it, so the speed is measured once for
    // each thread count a run gets (1 when two runs share 2 cores, 2 for a lone run).
    std::map<int, SpeedFactors> speedAt;
    auto speedFor = [&](int threads) -> const SpeedFactors& {
        auto found = speedAt.find(threads);
        if (found == speedAt.end()) {
            setComputeThreads(threads);
            found = speedAt.emplace(threads, calibrateSpeed(data, threads)).first;
            setComputeThreads(allThreads);
        }
        return found->second;
    };
    for (const std::string& name : presetNames(resources)) {
        try {
            const ExpandedPlan plan = loadSweepPlan(presetPath(resources, name), {}, "");
            std::vector<const PlanTask*> tasks;
            bool slow = false;
            for (const PlanTask& t : plan.tasks) {
                tasks.push_back(&t);
                slow = slow || t.options.slow;
            }
            const int jobs = defaultJobs(tasks), threads = threadsPerRun(jobs);
            const double seconds = estimatedTasksSeconds(tasks, threads, speedFor(threads), jobs);
            std::printf("%-20s ~%-8s %s%s%s\n", name.c_str(), formatMinutes(seconds).c_str(), plan.plan.title.c_str(),
                        slow ? " [slow on a CPU]" : "", plan.plan.requires.empty() ? "" : (" [needs " + plan.plan.requires + "]").c_str());
        } catch (const Error& e) {
            std::printf("%-20s (unreadable: %s)\n", name.c_str(), e.what());
        }
    }
    std::printf(
        "\n(estimated as `reproduce NAME` runs each preset here, several runs at a time where it has\n"
        " several, sharing %d CPU thread(s), and scaled by short test runs on this machine)\n",
        allThreads);
    return ExitOk;
}

}  // namespace

int reproduceCommand(const ArgumentList& arguments)
{
    Arguments parser("identitylab-cli reproduce NAME --out DIR [options] | --list",
                     "Reproduces one of the paper's figures: runs the sweep plan shipped as resources/presets/NAME.json into\n"
                     "DIR (plan.json, one run folder per task, summary.json) and draws the figure in the paper's layout\n"
                     "(figure.png). A rerun into the same DIR skips the runs already done.");
    parser.addPositional("NAME", "Preset name (see --list).");
    parser.add("list", "", "List the presets with an estimated time.");
    parser.add("out", "dir", "Output folder.");
    parser.add("set", "key=value", "Override a config key in every run, e.g. --set steps=500. Repeatable.");
    parser.add("seeds", "n|list", "Train every run with these weight seeds: N (0 to N-1) or a list (0,3,7).");
    parser.add("scale", "n", "Figure resolution factor.", "2");
    parser.add("format", "list", "Figure formats, comma-separated: png, svg, pdf (e.g. png,svg).", "png");
    parser.add("checkpoints", "", "Also save every run's weights.");
    parser.add("jobs", "n", "Runs trained at the same time, each on its share of the cores (default: one per core on a CPU, 1 on CUDA).");
    parser.add("quiet", "", "No progress bars.");
    if (const std::optional<int> answered = parser.parseOrAnswer(arguments)) return *answered;
    const DataLocations data = DataLocations::fromEnvironment();
    if (data.resourcesDir.empty()) {
        std::fprintf(stderr, "identitylab-cli reproduce: IdentityLab's resources folder was not found; set IDENTITYLAB_RESOURCES\n");
        return ExitFailed;
    }
    if (parser.isSet("list")) return listPresets(data);
    if (parser.positionals().size() != 1 || !parser.isSet("out")) {
        std::fprintf(stderr, "identitylab-cli reproduce: give one preset name and --out DIR (see --list)\n");
        return ExitUsage;
    }

    const std::string name = parser.positionals().front();
    SweepRequest request;
    request.dir = parser.value("out");
    request.quiet = parser.isSet("quiet");
    request.checkpoints = parser.isSet("checkpoints");
    try {
        request.figures.formats = figureFormats(parser.value("format"));
        request.figures.scale = parser.intValue("scale", 1);
        if (parser.isSet("jobs")) request.jobs = parser.intValue("jobs", 1);
        const std::string path = presetPath(data.resourcesDir, name);
        std::error_code missing;
        if (!std::filesystem::exists(path, missing))
            throw ConfigError("no preset named \"" + name + "\" (see identitylab-cli reproduce --list)");
        request.plan = loadSweepPlan(path, parser.values("set"), parser.value("seeds"));
    } catch (const Error& e) {
        std::fprintf(stderr, "identitylab-cli reproduce: %s\n", e.what());
        return ExitUsage;
    }
    if (request.plan.plan.requires == "cifar10" && data.cifarDir.empty()) {
        std::fprintf(stderr,
                     "identitylab-cli reproduce: preset \"%s\" needs CIFAR-10: download the binary version "
                     "(cifar-10-binary.tar.gz), unpack it and set IDENTITYLAB_CIFAR_DIR to its folder\n",
                     name.c_str());
        return ExitUsage;
    }
    if (!request.quiet) std::fprintf(stderr, "%s\n", request.plan.plan.description.c_str());
    request.summaryExtras["preset"] = name;
    return runSweep(request);
}

}  // namespace il::cli
