#pragma once
// Facts about a freshly built network, computed from the real LibTorch modules (not formulas):
// the parameter count and the statistics of the initial weights. The GUI's init inspector and
// the tests that hold the formulas of model_size.h and the init schemes honest use them.

#include <vector>

#include "engine/config/experiment_config.h"
#include "engine/train/model_size.h"

namespace il {

struct WeightLayerStatistics {
    int fanIn = 0, fanOut = 0;
    long long count = 0;
    double mean = 0.0;
    double variance = 0.0;          // measured
    double expectedVariance = 0.0;  // of the scheme's formula, times the scale squared
    double biasMaxAbs = 0.0;        // 0 when biases start at zero
};

// Builds the network of `config` (seeded by config.seed) on the CPU and counts its parameters.
ModelSize countNetworkParameters(const ExperimentConfig& config);
std::vector<WeightLayerStatistics> initialWeightStatistics(const ExperimentConfig& config);

}  // namespace il
