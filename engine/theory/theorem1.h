#pragma once
// Theorem 1 of the paper: a 1-layer FCN trained by SGD on one image, without weight decay,
// converges to a map known in closed form from its initial weights.

#include <cstddef>

#include "engine/config/experiment_config.h"
#include "engine/theory/initial_model.h"

namespace il::theory {

bool theorem1Applies(const ExperimentConfig& config, std::size_t trainingImages);
// The converged network's output for input (resampled to the training size).
Image theorem1Prediction(const ExperimentConfig& config, const InitialModel& initial, const Image& input);

}  // namespace il::theory
