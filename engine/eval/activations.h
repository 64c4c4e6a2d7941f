#pragma once
// What every layer holds for some probes: the activation maps the Activations view draws, and
// each layer's statistics (mean, spread, dead-ReLU share).

#include <vector>

#include "engine/eval/model_under_test.h"
#include "engine/probes/probe.h"
#include "engine/train/results.h"

namespace il::eval {

// Rows: the input, then each layer; columns: the probes (conformed to the first one's shape).
ActivationGrid activationGrid(const ModelUnderTest& model, const std::vector<Probe>& probes, ChannelReduction reduction, int channel);
std::vector<LayerStatistics> layerStatistics(const ModelUnderTest& model, const std::vector<Probe>& probes);

}  // namespace il::eval
