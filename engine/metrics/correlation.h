#pragma once
// The similarity measures of the paper's figures: Pearson (centred) correlation by default,
// cosine on request (docs/paper-summary.md: the paper does not say which; the curves look alike).
// Accumulated in double so that 112x112x3 images do not lose precision.

#include <cstddef>
#include <vector>

#include "engine/config/experiment_config.h"

namespace il {

// 0 when either side is constant (Pearson) or zero (cosine): no linear relation to measure.
double pearson(const float* a, const float* b, std::size_t n);
double cosine(const float* a, const float* b, std::size_t n);
double correlation(CorrelationKind kind, const std::vector<float>& a, const std::vector<float>& b);
double meanSquaredError(const std::vector<float>& a, const std::vector<float>& b);

}  // namespace il
