#pragma once
// A 1-layer CNN trained by SGD on one image converges to the gradient-descent fixed point
// w = A+ x_hat + (I - A+ A) w0 (A the im2col matrix of the training image), which
// is the exact identity (the centre-tap delta) when A has full column rank.

#include <cstddef>

#include "engine/config/experiment_config.h"
#include "engine/theory/initial_model.h"

namespace il::theory {

bool cnnFixedPointApplies(const ExperimentConfig& config, std::size_t trainingImages);
// The fixed point's output for input (any size: the convolution is "same" padded).
Image cnnFixedPointPrediction(const ExperimentConfig& config, const InitialModel& initial, const Image& input);

}  // namespace il::theory
