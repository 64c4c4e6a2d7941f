#include "sweep_runner.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "engine/config/config_json.h"
#include "engine/core/compute_threads.h"
#include "engine/core/errors.h"
#include "engine/sweep/slurm_script.h"
#include "engine/sweep/sweep_collection.h"
#include "engine/sweep/task_folder.h"
#include "interrupt.h"
#include "commands.h"
#include "child_process.h"
#include "output_folder.h"
#include "task_runner.h"
#include "engine/sweep/time_estimate.h"

namespace il::cli {

namespace {

namespace fs = std::filesystem;

bool isExpandedPlan(const json::Value& root) { return root.isObject() && root.contains("tasks") && root.contains("plan"); }

std::string keyOf(const std::string& assignment) { return assignment.substr(0, assignment.find('=')); }

json::Value seedsValue(const std::string& text)
{
    if (text.find(',') == std::string::npos) return json::parse(text);
    return json::parse("[" + text + "]");
}

// plan.json, written once: every process of a job array writes the same bytes, so whichever
// rename lands last changes nothing. A different plan in the folder is refused: its task
// numbers would mean other runs.
void ensurePlanFile(const std::string& dir, const ExpandedPlan& plan)
{
    const std::string path = (fs::path(dir) / "plan.json").string();
    const json::Value wanted = planToJson(plan);
    std::error_code error;
    if (fs::exists(path, error)) {
        if (planToJson(readSweepPlan(dir)) != wanted)
            throw ConfigError(dir + " holds another sweep (its plan.json lists other tasks); give a new --out folder");
        return;
    }
    json::writeFileAtomic(path, wanted.dump(2) + "\n");
}

void printRunLine(const PlanTask& task, const RunMetrics& metrics)
{
    std::fprintf(stderr, "  %s: %s, %.0f s, %s; ", task.label.c_str(), toString(metrics.stopReason), metrics.seconds, toString(metrics.outcome));
    for (const GroupSummary& g : metrics.groups) std::fprintf(stderr, "%s %.2f/%.2f  ", toString(g.group), g.corrIdentity, g.corrConstant);
    std::fprintf(stderr, "(corr identity/constant)\n");
}

void printCells(const SweepCollection& sweep)
{
    std::fprintf(stderr, "%-32s %4s  %-34s %s\n", "cell", "n", "outcomes", "identity / constant (95 % interval)");
    for (const EnsembleCell& cell : sweep.cells) {
        std::string outcomes;
        for (int o = 0; o < kOutcomeCount; ++o)
            if (cell.outcomeCounts[static_cast<std::size_t>(o)] > 0)
                outcomes += std::string(outcomes.empty() ? "" : " ") + toString(static_cast<Outcome>(o)) + " " +
                            std::to_string(cell.outcomeCounts[static_cast<std::size_t>(o)]);
        std::fprintf(stderr, "%-32s %4d  %-34s %.0f %% [%.0f-%.0f] / %.0f %% [%.0f-%.0f]\n", cell.label.c_str(), cell.n, outcomes.c_str(),
                     100 * cell.identity.fraction, 100 * cell.identity.low, 100 * cell.identity.high, 100 * cell.constant.fraction,
                     100 * cell.constant.low, 100 * cell.constant.high);
    }
}

}  // namespace

ExpandedPlan loadSweepPlan(const std::string& path, const std::vector<std::string>& sets, const std::string& seeds)
{
    const json::Value root = json::parseFile(path);
    if (isExpandedPlan(root)) {
        if (!sets.empty() || !seeds.empty())
            throw ConfigError(path + " is a sweep folder's plan.json, already expanded into tasks: --set and --seeds belong on the "
                                     "plan it came from");
        return expandedPlanFromJson(root, path);
    }
    Plan plan = planFromJson(root, path);
    for (const std::string& assignment : sets) {
        const std::string key = keyOf(assignment);
        for (const PlanAxis& axis : plan.axes)
            if (axis.key == key) throw ConfigError("--set " + assignment + ": \"" + key + "\" is an axis of " + path + "; change the axis there");
        applyOverride(plan.base, assignment);
        for (PlanRun& run : plan.runs)
            if (run.set.contains(key)) applyOverride(run.set, assignment);
    }
    if (!seeds.empty()) {
        try {
            plan.seeds = seedsFromJson(seedsValue(seeds));
        } catch (const Error& e) {
            throw ConfigError(std::string("--seeds ") + seeds + ": " + e.what());
        }
    }
    return expandPlan(plan);
}

int listSweepTasks(const ExpandedPlan& plan, const std::string& dir)
{
    try {
        if (!writableFolder(dir)) throw Error("cannot create or write the sweep folder " + dir);
        ensurePlanFile(dir, plan);
    } catch (const Error& e) {
        std::fprintf(stderr, "identitylab-cli sweep: %s\n", e.what());
        return ExitUsage;
    }
    std::size_t done = 0;
    for (const PlanTask& task : plan.tasks) {
        const bool finished = taskFinished(dir, task);
        done += finished ? 1 : 0;
        std::printf("%d\t%s\t%s\t%s\n", task.index, finished ? "done" : "pending", task.label.c_str(), task.folder.c_str());
    }
    std::fprintf(stderr, "%zu tasks, %zu done, in %s\n", plan.tasks.size(), done, dir.c_str());
    return ExitOk;
}

ExpandedPlan seededPlan(const json::Value& config, const std::string& seeds, const std::string& title)
{
    json::Value root = json::Value::object();
    root["name"] = title;
    root["title"] = title;
    root["base"] = config;
    try {
        root["seeds"] = seedsValue(seeds);
    } catch (const Error& e) {
        throw ConfigError(std::string("--seeds ") + seeds + ": " + e.what());
    }
    return expandPlan(planFromJson(root, "--seeds"));
}

std::string writeSlurmScript(const ExpandedPlan& plan, const std::string& dir, const std::vector<std::string>& sbatchOptions,
                             const std::vector<std::string>& taskArguments)
{
    if (!writableFolder(dir)) throw Error("cannot create or write the sweep folder " + dir);
    ensurePlanFile(dir, plan);
    SlurmScript script;
    script.jobName = "identitylab-" + (plan.plan.name.empty() ? std::string("sweep") : plan.plan.name);
    script.executable = selfExecutable();
    script.sweepDir = absolutePath(dir);
    for (const PlanTask& task : plan.tasks)
        if (!taskFinished(dir, task)) script.tasks.push_back(task.index);
    script.sbatchOptions = sbatchOptions;
    script.taskArguments = taskArguments;
    const std::string text = slurmScriptText(script);
    std::error_code error;
    fs::create_directories(fs::path(dir) / "logs", error);
    if (error) throw Error("cannot create " + (fs::path(dir) / "logs").string() + ": " + error.message());
    const std::string path = (fs::path(dir) / "sweep.sbatch").string();
    json::writeFileAtomic(path, text);
    return path;
}

int runSweep(SweepRequest request)
{
    const ExpandedPlan& plan = request.plan;
    const std::string& dir = request.dir;
    if (!writableFolder(dir)) {
        std::fprintf(stderr, "identitylab-cli sweep: cannot create or write the sweep folder %s\n", dir.c_str());
        return ExitUsage;
    }
    try {
        ensurePlanFile(dir, plan);
    } catch (const Error& e) {
        std::fprintf(stderr, "identitylab-cli sweep: %s\n", e.what());
        return ExitUsage;
    }

    std::vector<const PlanTask*> pending;
    if (request.task) {
        if (*request.task < 0 || *request.task >= static_cast<int>(plan.tasks.size())) {
            std::fprintf(stderr, "identitylab-cli sweep: task %d does not exist; the plan has tasks 0 to %zu\n", *request.task,
                         plan.tasks.size() - 1);
            return ExitUsage;
        }
        pending.push_back(&plan.tasks[static_cast<std::size_t>(*request.task)]);
    } else {
        for (const PlanTask& task : plan.tasks) pending.push_back(&task);
    }
    const std::size_t before = pending.size();
    pending.erase(std::remove_if(pending.begin(), pending.end(), [&](const PlanTask* t) { return taskFinished(dir, *t); }), pending.end());
    if (!request.quiet && pending.size() < before)
        std::fprintf(stderr, "%zu of %zu tasks are done already in %s; skipping them\n", before - pending.size(), before, dir.c_str());

    installInterruptHandler();
    ensureComputeThreadsConfigured();
    const int jobs = request.jobs > 0 ? request.jobs : defaultJobs(pending);
    if (request.threads > 0)
        setComputeThreads(request.threads);
    else if (jobs > 1)
        setComputeThreads(std::max(1, coreCount() / jobs));
    const DataLocations data = DataLocations::fromEnvironment();
    if (!request.quiet && !pending.empty()) {
        const std::string title = plan.plan.title.empty() ? plan.plan.name : plan.plan.title;
        std::fprintf(stderr, "%s%s%zu task(s), %d at a time on %d thread(s) each, estimated %s\n", title.c_str(), title.empty() ? "" : ": ",
                     pending.size(), std::min<int>(jobs, static_cast<int>(pending.size())), computeThreads(),
                     formatMinutes(estimatedTasksSeconds(pending, computeThreads(), calibrateSpeed(data, computeThreads()), jobs)).c_str());
    }

    const auto start = std::chrono::steady_clock::now();
    int failures = 0;
    bool interrupted = false;
    TaskRunnerOptions runner;
    runner.jobs = jobs;
    runner.quiet = request.quiet;
    runner.withLayerClassifier = plan.plan.figure == "layer_classifier";
    runner.layerClassifierImages = plan.plan.layerClassifierImages;
    runTasks(pending, data, runner, [&](const PlanTask& task, TaskRunResult& result) {
        auto failed = [&](const std::string& reason) {
            std::fprintf(stderr, "  %s (task %d) failed: %s\n", task.label.c_str(), task.index, reason.c_str());
            ++failures;
            try {
                recordTaskFailure(dir, task, reason);
            } catch (const Error& e) {
                std::fprintf(stderr, "  %s\n", e.what());
            }
        };
        if (!result.error.empty()) {
            failed(result.error);
            return;
        }
        if (result.metrics.stopReason == StopReason::Cancelled) {
            interrupted = true;  // not committed: a rerun trains it again
            return;
        }
        if (result.metrics.stopReason == StopReason::Diverged) ++failures;
        if (!request.quiet) printRunLine(task, result.metrics);
        try {
            TaskFolderTransaction folder(dir, task);
            RunOutputOptions options;
            options.figures = request.figures;
            options.checkpoint = request.checkpoints;
            options.label = task.label;
            options.data = data;
            options.evaluateSizes = task.options.evaluateSizes;
            writeRunOutputs(folder.path(), *result.session, result.metrics, options);
            if (!folder.commit())
                std::fprintf(stderr, "  %s (task %d): another process finished it first; its folder is kept\n", task.label.c_str(),
                             task.index);
            clearTaskFailure(dir, task);
        } catch (const std::exception& e) {
            failed(std::string("writing its folder failed: ") + e.what());
        }
    });
    interrupted = interrupted || interruptRequested();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!request.quiet && !pending.empty())
        std::fprintf(stderr, "%zu task(s) in %s (%.0f s)%s\n", pending.size(), formatMinutes(seconds).c_str(), seconds,
                     interrupted ? ", interrupted: rerun the same command to finish the rest" : "");
    if (interrupted) return ExitInterrupted;

    int code = failures == 0 ? ExitOk : ExitFailed;
    if (request.collect && !request.task) {
        json::Value extras = request.summaryExtras;
        extras["seconds"] = std::round(seconds * 10) / 10;
        extras["jobs"] = jobs;
        extras["threads"] = computeThreads();
        const int collected = collectSweepFolder(dir, request.figures, request.quiet, extras);
        if (code == ExitOk) code = collected;
    }
    return code;
}

int collectSweepFolder(const std::string& dir, const FigureOptions& figures, bool quiet, const json::Value& summaryExtras)
{
    SweepCollection sweep;
    try {
        sweep = collectSweep(dir);
    } catch (const Error& e) {
        std::fprintf(stderr, "identitylab-cli collect: %s\n", e.what());
        return ExitUsage;
    }
    json::Value summary = summaryToJson(sweep);
    for (const auto& [key, value] : summaryExtras.members()) summary[key] = value;
    std::vector<std::string> written;
    try {
        const std::string path = (fs::path(dir) / "summary.json").string();
        json::writeFileAtomic(path, summary.dump(2) + "\n");
        written.push_back(path);
        for (const std::string& figure : writeSweepFigures(sweep, figures)) written.push_back(figure);
    } catch (const Error& e) {
        std::fprintf(stderr, "identitylab-cli collect: %s\n", e.what());
        return ExitFailed;
    }
    if (!quiet) printCells(sweep);
    for (const PlanTask& task : sweep.missing) std::fprintf(stderr, "missing: task %d, %s (%s)\n", task.index, task.label.c_str(), task.folder.c_str());
    for (const DamagedRun& f : sweep.failed)
        std::fprintf(stderr, "failed: task %d, %s: %s (a rerun of the sweep tries it again)\n", f.task.index, f.task.label.c_str(),
                     f.error.c_str());
    for (const DamagedRun& d : sweep.damaged)
        std::fprintf(stderr, "damaged: task %d, %s: %s\n", d.task.index, d.task.label.c_str(), d.error.c_str());
    for (const CollectedRun& run : sweep.runs) {
        const json::Value* stop = run.metrics.find("stop_reason");
        if (stop && stop->isString() && stop->asString() == "diverged")
            std::fprintf(stderr, "diverged: task %d, %s (kept: its NaN loss is a result)\n", run.task.index, run.task.label.c_str());
    }
    if (!sweep.partial.empty() && !quiet)
        std::fprintf(stderr, "%zu task(s) still running or killed (hidden .partial-* folders)\n", sweep.partial.size());
    std::fprintf(stderr, "%zu of %zu runs collected; wrote", sweep.runs.size(), sweep.plan.tasks.size());
    for (const std::string& w : written) std::fprintf(stderr, " %s", fs::path(w).filename().string().c_str());
    std::fprintf(stderr, " in %s\n", dir.c_str());
    return sweep.complete() ? ExitOk : ExitFailed;
}

}  // namespace il::cli
