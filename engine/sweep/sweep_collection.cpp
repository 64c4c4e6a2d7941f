#include "engine/sweep/sweep_collection.h"

#include <filesystem>

#include "engine/core/errors.h"
#include "engine/sweep/task_folder.h"

namespace il {

namespace {

namespace fs = std::filesystem;

constexpr const char* kSummaryFormat = "identitylab-summary/1";

// A cell's parameters: what its tasks set, less the seed that tells them apart.
json::Value cellParameters(const PlanTask& task)
{
    json::Value parameters = json::Value::object();
    for (const auto& [key, value] : task.overrides.members())
        if (key != "seed") parameters[key] = value;
    return parameters;
}

}  // namespace

ExpandedPlan readSweepPlan(const std::string& dir)
{
    const std::string path = (fs::path(dir) / "plan.json").string();
    std::error_code error;
    if (!fs::exists(path, error))
        throw DataError(dir + " is not a sweep folder: it has no plan.json (identitylab-cli sweep writes one first)");
    return expandedPlanFromJson(json::parseFile(path), path);
}

SweepCollection collectSweep(const std::string& dir)
{
    SweepCollection sweep;
    sweep.dir = dir;
    sweep.plan = readSweepPlan(dir);
    std::vector<EnsembleRun> members;
    for (const PlanTask& task : sweep.plan.tasks) {
        if (!taskFinished(dir, task)) {
            if (std::string reason = taskFailure(dir, task); !reason.empty())
                sweep.failed.push_back({task, std::move(reason)});
            else
                sweep.missing.push_back(task);
            continue;
        }
        const fs::path folder = taskFolderPath(dir, task);
        try {
            CollectedRun run;
            run.task = task;
            run.config = json::parseFile((folder / "config.json").string());
            run.metrics = json::parseFile((folder / "metrics.json").string());
            try {
                run.member = ensembleMemberFromMetricsJson(run.metrics);
            } catch (const Error& e) {
                throw DataError((folder / "metrics.json").string() + ": " + e.what());
            }
            members.push_back({task.cell, cellParameters(task), run.member});
            sweep.runs.push_back(std::move(run));
        } catch (const Error& e) {
            sweep.damaged.push_back({task, e.what()});
        }
    }
    sweep.partial = partialTaskFolders(dir);
    sweep.cells = summarizeCells(members);
    return sweep;
}

json::Value summaryToJson(const SweepCollection& sweep)
{
    json::Value summary = json::Value::object();
    summary["format"] = kSummaryFormat;
    summary["plan"] = sweep.plan.plan.name;
    summary["title"] = sweep.plan.plan.title;
    summary["figure"] = sweep.plan.plan.figure;
    summary["complete"] = sweep.complete();
    summary["tasks"] = sweep.plan.tasks.size();
    summary["finished"] = sweep.runs.size();
    json::Value runs = json::Value::array();
    for (const CollectedRun& run : sweep.runs) {
        json::Value o = taskIdentityToJson(run.task);
        o["config"] = run.config;
        o["metrics"] = run.metrics;
        runs.push_back(o);
    }
    summary["runs"] = runs;
    json::Value missing = json::Value::array();
    for (const PlanTask& task : sweep.missing) missing.push_back(taskIdentityToJson(task));
    summary["missing"] = missing;
    json::Value failed = json::Value::array();
    for (const DamagedRun& f : sweep.failed) {
        json::Value o = taskIdentityToJson(f.task);
        o["error"] = f.error;
        failed.push_back(o);
    }
    summary["failed"] = failed;
    json::Value damaged = json::Value::array();
    for (const DamagedRun& d : sweep.damaged) {
        json::Value o = taskIdentityToJson(d.task);
        o["error"] = d.error;
        damaged.push_back(o);
    }
    summary["damaged"] = damaged;
    json::Value cells = json::Value::array();
    for (const EnsembleCell& cell : sweep.cells) cells.push_back(ensembleCellToJson(cell));
    summary["cells"] = cells;
    return summary;
}

}  // namespace il
