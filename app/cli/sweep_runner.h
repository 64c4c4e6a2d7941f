#pragma once
// What `sweep`, `reproduce` and `collect` share: reading a plan with the command line's changes,
// running its tasks into a sweep folder (docs/cluster.md) and merging the folder's runs.

#include <optional>
#include <string>
#include <vector>

#include "engine/io/json.h"
#include "engine/sweep/plan_tasks.h"
#include "figures.h"

namespace il::cli {

// A plan file (or a preset), or a sweep folder's plan.json, expanded into tasks. `sets`
// ("key=value") change the base and every explicit run; `seeds` ("5" or "0,3,7") replaces the
// plan's seeds. A plan.json is already expanded: it takes neither. Throws ConfigError /
// DataError naming the file and what is wrong, before anything runs.
ExpandedPlan loadSweepPlan(const std::string& path, const std::vector<std::string>& sets, const std::string& seeds);

// One config trained once per seed ("5" or "0,3,7"): train --seeds. Throws ConfigError.
ExpandedPlan seededPlan(const json::Value& config, const std::string& seeds, const std::string& title);

struct SweepRequest {
    ExpandedPlan plan;
    std::string dir;
    std::optional<int> task;  // run this task only (a job array's element)
    int jobs = 0;             // tasks at a time; 0: one per core on a CPU, 1 on CUDA
    int threads = 0;          // CPU threads per task; 0: the cores shared by the jobs
    bool checkpoints = false;
    bool quiet = false;
    bool collect = true;  // after running every task here: summary.json and the figures
    FigureOptions figures;
    json::Value summaryExtras = json::Value::object();  // added to summary.json (reproduce's timing)
};

// Writes DIR/plan.json (or checks that the one there is this plan), runs the tasks not finished
// yet, each into its own folder (engine/sweep/task_folder.h), and collects. Returns the exit code.
int runSweep(SweepRequest request);

// collect: summary.json, the figures and a table on stderr. Exit code 0 when every task is
// there and readable, 1 otherwise (the missing and damaged ones are named), 2 without a plan.
int collectSweepFolder(const std::string& dir, const FigureOptions& figures, bool quiet,
                       const json::Value& summaryExtras = json::Value::object());

// Writes DIR/plan.json and prints one line per task: "index<TAB>done|pending<TAB>label<TAB>folder"
// on stdout (for GNU parallel and scripts). Returns the exit code.
int listSweepTasks(const ExpandedPlan& plan, const std::string& dir);

// DIR/plan.json and DIR/sweep.sbatch, a job array over the tasks not finished yet; returns the
// script's path. Throws il::Error (ConfigError when every task is finished).
std::string writeSlurmScript(const ExpandedPlan& plan, const std::string& dir, const std::vector<std::string>& sbatchOptions,
                             const std::vector<std::string>& taskArguments);

}  // namespace il::cli
