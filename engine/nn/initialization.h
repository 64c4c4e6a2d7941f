#pragma once
// The nine weight initialisations (docs/paper-summary.md, "Initialisation schemes"), each times a
// scale factor. Biases start at zero, except under pytorch_default, which reproduces PyTorch's
// own default (the Python peer's) including its uniform bias.

#include <mutex>

#include "engine/config/experiment_config.h"
#include "engine/nn/network.h"

namespace il::nn {

// Standard deviation the scheme gives a weight with these fans (before the scale factor).
// `outputs` is the weight's first dimension (output features or channels), used by orthogonal.
double initStandardDeviation(InitScheme scheme, int fanIn, int fanOut, int outputs = 0);

// Re-initialises every weight layer from the global torch generator (seed it first).
void initialize(Network& network, InitScheme scheme, double scale);

// LibTorch's generator is one per process, and module constructors draw from it too. Whoever
// seeds it and builds a network must hold this lock from the seed to the last draw: two runs
// built at once on two threads (reproduce trains runs side by side) would otherwise interleave
// their draws and neither would get the network its seed promises.
std::mutex& globalGeneratorMutex();

}  // namespace il::nn
