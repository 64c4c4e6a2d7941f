#pragma once
// A sweep's phase diagram: the paper's Figure 4 (correlation against rho, zones A-D) over a whole
// sweep. One row per cell of the plan (depth 1, 2, ... or any swept parameter), one column per rho
// of the runs' rho sweeps; each square holds the cell's mean, over its seeds, of the correlation
// of the output with the identity and with the constant at that rho, and the zone those two
// means fall in (classifyZone, engine/train/results.h).

#include <string>
#include <vector>

#include "engine/sweep/sweep_collection.h"
#include "engine/train/results.h"

namespace il {

struct PhaseDiagram {
    std::vector<std::string> cells;  // row labels, in the plan's order
    std::vector<int> runs;           // per row: how many runs had a rho sweep
    std::vector<double> rho;         // column values, ascending
    // [row][column]; NaN where no run of the cell measured that rho.
    std::vector<std::vector<double>> corrIdentity, corrConstant;
    std::vector<std::vector<Zone>> zone;
    bool empty() const { return cells.empty() || rho.empty(); }
};

// Cells whose runs have no rho sweep, or a sweep at other rho values than the first run's, are
// left out (the figure's columns must mean the same inputs in every row).
PhaseDiagram phaseDiagram(const SweepCollection& sweep);

// metrics.json's "rho_sweep" (empty when absent); throws DataError on a malformed entry.
std::vector<RhoPoint> rhoSweepFromMetricsJson(const json::Value& metrics);

}  // namespace il
