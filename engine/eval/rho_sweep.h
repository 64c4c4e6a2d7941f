#pragma once
// The rho sweep: inputs at correlation rho with the training image, from 0 to 1, and how much
// the outputs look like their inputs (identity) or like the training image (constant).

#include <vector>

#include "engine/eval/model_under_test.h"
#include "engine/train/results.h"

namespace il::eval {

// config.rhoPoints points of config.rhoSamples seeded inputs each (engine/metrics/rho_inputs.h).
std::vector<RhoPoint> rhoSweep(const ModelUnderTest& model);

}  // namespace il::eval
