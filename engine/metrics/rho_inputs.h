#pragma once
// Test inputs at an exact correlation rho with the training image (docs/paper-summary.md, "The figures IdentityLab reproduces"):
// x = |x_hat| (rho x_hat/|x_hat| + sqrt(1 - rho^2) u) with u a random unit vector orthogonal to
// x_hat. For Pearson the construction runs on centred vectors and adds the mean back, so the
// Pearson correlation is rho exactly; for cosine it runs on the raw vectors. Such inputs have
// negative pixels; they are not clipped (clipping would change rho).

#include <cstdint>
#include <vector>

#include "engine/config/experiment_config.h"
#include "engine/core/image.h"

namespace il {

Image imageAtCorrelation(const Image& reference, double rho, CorrelationKind kind, std::uint64_t seed);

// The rho grid of a sweep: `points` values from 0 to 1 inclusive.
std::vector<double> rhoGrid(int points);

}  // namespace il
