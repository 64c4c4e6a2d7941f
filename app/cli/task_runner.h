#pragma once
// Trains a sweep's tasks, several at once when that is faster. On a CPU two single-threaded
// trainings side by side do more work per second than one training on two threads (measured on
// the 2-core development machine: CNN 5x128 trains at 8.8 + 9.8 steps/s as two 1-thread processes
// against 14-16 steps/s as one 2-thread process), because a single small convolution or
// matrix-vector product cannot keep both cores busy. The longest tasks start first, so the last
// one to finish is a short one.
//
// The runner owns scheduling only: each finished task is handed back, on the calling thread and
// in the order tasks finish, to a callback that writes its folder.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/data/dataset.h"
#include "engine/sweep/plan_tasks.h"
#include "engine/train/training_session.h"

namespace il::cli {

struct TaskRunResult {
    std::unique_ptr<TrainingSession> session;  // null when the run could not be built
    RunMetrics metrics;
    std::string error;  // non-empty: the run failed; the message says why
};

struct TaskRunnerOptions {
    int jobs = 1;        // tasks trained at the same time
    bool quiet = false;  // no progress output
    bool withLayerClassifier = false;
    int layerClassifierImages = 500;
};

// Tasks side by side for `trainedRuns` runs on this machine: every core busy, one thread per
// run, unless the runs go to a CUDA device (one at a time there).
int defaultJobs(std::size_t trainedRuns, bool cuda);
// The same for these tasks (CUDA where a task may use it and this machine has it).
int defaultJobs(const std::vector<const PlanTask*>& tasks);

// Trains (or, for tasks marked "train": false, evaluates) every task. Stops starting new ones
// after Ctrl-C; tasks already training stop after their current step, and are still handed
// back with stop reason "cancelled".
void runTasks(const std::vector<const PlanTask*>& tasks, const DataLocations& data, const TaskRunnerOptions& options,
              const std::function<void(const PlanTask& task, TaskRunResult& result)>& finished);

}  // namespace il::cli
