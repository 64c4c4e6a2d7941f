#pragma once
// Trains a preset's runs, several at once when that is faster. On a CPU two single-threaded
// trainings side by side do more work per second than one training on two threads (measured on
// the 2-core development machine: CNN 5x128 trains at 8.8 + 9.8 steps/s as two 1-thread processes
// against 14-16 steps/s as one 2-thread process), because a single small convolution or
// matrix-vector product cannot keep both cores busy. The longest runs start first, so the last
// one to finish is a short one.
//
// The runner owns scheduling only: each finished run is handed back, on the calling thread and
// in the order runs finish, to a callback that writes its folder and collects it for the figure.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "engine/config/preset.h"
#include "engine/data/dataset.h"
#include "engine/train/training_session.h"

namespace il::cli {

struct PresetRunResult {
    std::unique_ptr<TrainingSession> session;  // null when the run could not be built
    RunMetrics metrics;
    std::string error;  // non-empty: the run failed; the message says why
};

struct PresetRunnerOptions {
    int jobs = 1;        // runs trained at the same time
    bool quiet = false;  // no progress output
    bool withLayerClassifier = false;
    int layerClassifierImages = 500;
};

// Runs side by side and CPU threads each, for `trainedRuns` runs on this machine: every core busy,
// one thread per run, unless the runs go to a CUDA device (one at a time there).
int defaultPresetJobs(std::size_t trainedRuns, bool cuda);

// Trains (or, for runs marked "train": false, evaluates) every run of `preset`. Stops starting new
// runs after Ctrl-C; runs already training stop after their current step, and are still handed
// back with stop reason "cancelled".
void runPreset(const Preset& preset, const DataLocations& data, const PresetRunnerOptions& options,
               const std::function<void(std::size_t index, PresetRunResult& result)>& finished);

}  // namespace il::cli
