#pragma once
// Learning-rate schedules. "step" is the talk slides' "stepwise decay (factor 0.2) at 30, 60
// and 80 % of training"; "constant" keeps the base rate.

#include <vector>

#include "engine/config/experiment_config.h"

namespace il {

double scheduledLearningRate(Schedule schedule, double baseLr, int step, int totalSteps);
// Steps at which the rate drops (for the loss plot's markers); empty for "constant".
std::vector<int> decaySteps(Schedule schedule, int totalSteps);

}  // namespace il
