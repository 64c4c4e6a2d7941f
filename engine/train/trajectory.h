#pragma once
// Where a run records its trajectory (RunMetrics::trajectory): about kTrajectoryPoints evenly
// spread steps, every step of a shorter run, always the last. The live snapshots of a watched
// run come from the same probe passes.

#include <cstddef>
#include <vector>

#include "engine/probes/probe.h"

namespace il {

constexpr int kTrajectoryPoints = 50;

// Steps are counted from 1 (the state after that many steps); the last, totalSteps, is a point.
bool isTrajectoryStep(int step, int totalSteps);

// The probes evaluated at the points before the last (indices into probes, in order): the first
// kTrajectoryProbesPerGroup of each group. The last point evaluates every probe; it is the run's
// final evaluation.
constexpr int kTrajectoryProbesPerGroup = 1;
std::vector<std::size_t> trajectoryProbeSubset(const std::vector<Probe>& probes);

}  // namespace il
