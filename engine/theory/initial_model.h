#pragma once
// What the closed forms start from: the first layer's weights before training and the image it
// is trained on. Internal to the engine (torch types).

#include <cstddef>

#include "engine/config/experiment_config.h"
#include "engine/core/image.h"
#include "engine/core/torch.h"

namespace il::theory {

struct InitialModel {
    torch::Tensor weight;  // on the CPU
    torch::Tensor bias;    // undefined when the network has no biases
    const Image* trainingImage = nullptr;
};

// What both closed forms assume besides the architecture: one weight layer, plain SGD without
// weight decay, one training image.
inline bool oneLayerSgdOnOneImage(const ExperimentConfig& c, std::size_t trainingImages)
{
    return c.depth == 1 && c.optimizer == OptimizerKind::Sgd && c.weightDecay == 0.0 && trainingImages == 1;
}

}  // namespace il::theory
