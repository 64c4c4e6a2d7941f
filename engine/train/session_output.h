#pragma once
// A trained session's run folder without its figures: the data files of engine/io/run_folder.h,
// the probes at the run's extra sizes and checkpoint.pt. The CLI's train and sweep write it in
// every build, the headless one included; where Qt is, ui/export adds the figures beside it.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "engine/data/dataset.h"
#include "engine/train/provenance.h"
#include "engine/train/training_session.h"

namespace il {

struct SessionOutputOptions {
    bool checkpoint = true;
    DataLocations data;                                         // where the data files were read from
    std::optional<std::chrono::system_clock::time_point> started;  // unset: the end minus the training time
    std::vector<int> evaluateSizes;                             // extra probe sizes; the training size is skipped
    const ActivationGrid* activations = nullptr;                // already computed shownActivations(); null: computed here
};

// The activation maps a run folder keeps and its figure shows: the paper's nine probes (training
// image, blend, digits, Fashion items, the first patterns), each layer reduced by its channel
// mean. Empty for a diverged network, whose maps are NaN.
ActivationGrid shownActivations(const TrainingSession& session, const RunMetrics& metrics);

// Build, data files, device and times of a run that ends now.
Provenance runProvenance(const ExperimentConfig& config, const RunMetrics& metrics, const DataLocations& data,
                         std::optional<std::chrono::system_clock::time_point> started);

// Writes the folder (created) and returns the files written. Throws il::Error naming the file.
std::vector<std::string> writeSessionData(const std::string& folder, const TrainingSession& session, const RunMetrics& metrics,
                                          const SessionOutputOptions& options);

}  // namespace il
