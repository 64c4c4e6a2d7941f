#pragma once
// Checkpoint files: the model and its optimiser state, with the steps done, the loss history and
// the initial weights the closed forms start from, in one LibTorch archive. Internal to the
// engine (torch types); TrainingSession saves and loads through it.

#include <string>
#include <vector>

#include "engine/core/torch.h"
#include "engine/nn/network.h"
#include "engine/nn/optimizers.h"
#include "engine/train/results.h"

namespace il {

// What a checkpoint holds besides the model and the optimiser.
struct TrainingProgress {
    int stepsDone = 0;
    std::vector<LossPoint> losses;
    torch::Tensor initialWeight, initialBias;  // on the CPU; undefined when not kept
};

// Replaces PATH atomically; throws il::Error "cannot write the checkpoint PATH: reason".
void saveCheckpoint(const std::string& path, const nn::Network& network, const nn::Optimizer& optimizer, const TrainingProgress& progress);
// Loads the model and optimiser state in place (tensors onto device); throws DataError when the
// file does not match the network or is damaged.
TrainingProgress loadCheckpoint(const std::string& path, torch::Device device, nn::Network& network, nn::Optimizer& optimizer);

}  // namespace il
