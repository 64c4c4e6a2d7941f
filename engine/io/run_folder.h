#pragma once
// The data of one run as files anyone can read (docs/config.md, "Run folders as open data"):
//   config.json          the resolved config, with "provenance"
//   metrics.json         the final metrics, with "provenance"
//   metrics.jsonl        the trajectory of training, one JSON line a point
//   loss.csv             step, loss, lr of every step
//   probes.json          each probe's name, group and correlations, in the arrays' order
//   probes_inputs.npy    float32 [N, C, H, W], the probes as fed to the network
//   probes_outputs.npy   float32 [N, C, H, W], the network's outputs for them
//   activations.json     the shown activation maps' layers and probes; per layer
//   activations_NN.npy   float32 [probes, 1, H, W], each map reduced over channels as shown
//   probes_at_S.json, probes_at_S_inputs.npy, probes_at_S_outputs.npy
//                        the probes resized to S x S pixels, for runs evaluated at other sizes
// Plain data in, no Qt and no torch: the CLI, the GUI and a future Qt-free driver share it.
// The figures and the checkpoint are written beside these by their own writers.

#include <string>
#include <vector>

#include "engine/config/experiment_config.h"
#include "engine/train/provenance.h"
#include "engine/train/results.h"

namespace il {

// The probes evaluated at another image size than the training one (the image-size figure).
struct ProbesAtSize {
    int size = 0;
    std::vector<ProbeOutcome> probes;
};

struct RunData {
    const ExperimentConfig& config;
    const RunMetrics& metrics;
    const std::vector<LossPoint>& loss;
    const ActivationGrid* activations = nullptr;  // null or empty: no activation files
    const Provenance* provenance = nullptr;       // null: the JSON files carry none
    std::vector<ProbesAtSize> probesAtSizes = {};
};

// Writes the files above into `folder` (created) and returns their paths. Throws il::Error
// naming the folder or file on failure; files written before it stay.
std::vector<std::string> writeRunData(const std::string& folder, const RunData& run);

}  // namespace il
