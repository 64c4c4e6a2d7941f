#pragma once
// A plan's numbered tasks: what one process of a job array runs, and what DIR/plan.json lists.
//
// Expansion is deterministic, so that task I means the same run on every machine of a job array:
//   points = the cartesian product of the axes in their written order, the last axis fastest,
//            then the explicit runs in their written order (a plan with neither: the base alone);
//   tasks  = every point once per seed, the seeds fastest (a cell's seeds stand together);
//   task I = the base, then the point's overrides (a run's "set", then the axes' values), then
//            "seed" from the seeds axis.

#include <string>
#include <vector>

#include "engine/config/experiment_config.h"
#include "engine/io/json.h"
#include "engine/sweep/plan.h"

namespace il {

struct PlanTask {
    int index = 0;
    std::string label;                              // "depth=20 seed=3", "CNN 20 seed=3"
    std::string cell;                               // the label without the seed: what ensemble cells group by
    std::string folder;                             // "007-depth-20-seed-3": index first, so folders sort as tasks
    json::Value overrides = json::Value::object();  // everything the task sets on top of the base
    ExperimentConfig config;                        // base + overrides, validated
    RunOptions options;                             // the explicit run's; the defaults for a grid point
};

struct ExpandedPlan {
    Plan plan;
    std::vector<PlanTask> tasks;
};

// Every task of the plan, each config validated: a bad axis, run or combination is a ConfigError
// naming it before anything runs.
ExpandedPlan expandPlan(const Plan& plan);

// {"index", "label", "cell", "folder"}: how plan.json and summary.json name a task.
json::Value taskIdentityToJson(const PlanTask& task);

// What DIR/plan.json holds: {"format", "plan": the plan with its ranges and seed count written
// out as lists, "tasks": [{"index", "label", "cell", "folder", "overrides", "config", ...}]}.
json::Value planToJson(const ExpandedPlan& expanded);
// Reads plan.json back; throws DataError when its task list is not what its plan expands to
// (a file edited by hand or written by another version), so that no task runs under a wrong index.
ExpandedPlan expandedPlanFromJson(const json::Value& root, const std::string& where);

}  // namespace il
