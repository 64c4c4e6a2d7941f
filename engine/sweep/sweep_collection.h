#pragma once
// What a sweep folder holds (identitylab-cli collect, and the app's File > Open): its plan
// (DIR/plan.json), the finished tasks' runs, the tasks still missing, the run folders that
// cannot be read, and the ensemble statistics of every cell. summary.json is its JSON form
// (docs/config.md, "Sweep plans").

#include <string>
#include <vector>

#include "engine/io/json.h"
#include "engine/metrics/ensemble.h"
#include "engine/sweep/plan_tasks.h"

namespace il {

struct CollectedRun {
    PlanTask task;
    json::Value config;   // the folder's config.json
    json::Value metrics;  // the folder's metrics.json
    EnsembleMember member;
};

struct DamagedRun {
    PlanTask task;
    std::string error;  // names the file and what is wrong with it
};

struct SweepCollection {
    std::string dir;
    ExpandedPlan plan;
    std::vector<CollectedRun> runs;  // in task order
    std::vector<PlanTask> missing;   // no folder yet: not run, running or killed
    std::vector<DamagedRun> failed;  // no folder, and a recorded failure (task_folder.h): the reason
    std::vector<DamagedRun> damaged;
    std::vector<std::string> partial;  // temporary folders of tasks running or killed
    std::vector<EnsembleCell> cells;   // over the runs, in task order
    bool complete() const { return missing.empty() && failed.empty() && damaged.empty(); }
};

// DIR/plan.json; throws DataError naming the file when it is missing or does not match its plan.
ExpandedPlan readSweepPlan(const std::string& dir);

// Reads every task's folder; a damaged one is listed, never thrown. Throws what readSweepPlan throws.
SweepCollection collectSweep(const std::string& dir);

// summary.json: {"format", "plan", "title", "figure", "complete", "tasks", "finished", "runs":
// [{"index", "label", "cell", "folder", "config", "metrics"}], "missing": [{"index", "label",
// "folder"}], "failed" and "damaged": [{..., "error"}], "cells": [ensembleCellToJson]}.
json::Value summaryToJson(const SweepCollection& sweep);

}  // namespace il
