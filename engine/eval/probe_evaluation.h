#pragma once
// Probes through the network at its current weights: each output with its correlations to the
// input (identity) and to the training image (constant).

#include <vector>

#include "engine/eval/model_under_test.h"
#include "engine/probes/probe.h"
#include "engine/train/results.h"

namespace il::eval {

// Probes of one shape go through in one batched pass (user images may come at other sizes).
std::vector<ProbeOutcome> evaluateProbes(const ModelUnderTest& model, const std::vector<Probe>& probes);

}  // namespace il::eval
