#pragma once
// Each probe group's mean correlations: the figures' summary of a probe pass, in RunMetrics and
// in every point of the trajectory.

#include <vector>

#include "engine/train/results.h"

namespace il::eval {

// One summary per group, in the order the groups first appear among the outcomes.
std::vector<GroupSummary> summarizeGroups(const std::vector<ProbeOutcome>& outcomes);

}  // namespace il::eval
