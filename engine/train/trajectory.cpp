#include "engine/train/trajectory.h"

#include <map>

namespace il {

bool isTrajectoryStep(int step, int totalSteps)
{
    if (step <= 0 || totalSteps <= 0) return false;
    if (step >= totalSteps) return true;
    // Point k (1..kTrajectoryPoints) falls on the first step s with s * points / total >= k, so
    // the points are evenly spread and a run of at most kTrajectoryPoints steps has all of them.
    const long long points = kTrajectoryPoints;
    return static_cast<long long>(step) * points / totalSteps != static_cast<long long>(step - 1) * points / totalSteps;
}

std::vector<std::size_t> trajectoryProbeSubset(const std::vector<Probe>& probes)
{
    std::map<ProbeGroup, int> taken;
    std::vector<std::size_t> subset;
    for (std::size_t i = 0; i < probes.size(); ++i)
        if (taken[probes[i].group]++ < kTrajectoryProbesPerGroup) subset.push_back(i);
    return subset;
}

}  // namespace il
