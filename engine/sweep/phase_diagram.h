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

// One run's part of the diagram: its cell's label and its rho sweep (empty when it has none).
struct PhaseRun {
    std::string cell;
    std::vector<RhoPoint> rhoSweep;
};

// Runs without a rho sweep, or with a sweep at other rho values than the first sweep's, are left
// out (the figure's columns must mean the same inputs in every row); so is a cell left with none.
// Rows are the cells in the order they first appear.
PhaseDiagram phaseDiagram(const std::vector<PhaseRun>& runs);
// The same over a sweep folder's finished runs (their metrics.json's "rho_sweep"); a run whose
// rho sweep cannot be read is left out.
PhaseDiagram phaseDiagram(const SweepCollection& sweep);

// metrics.json's "rho_sweep" (empty when absent); throws DataError on a malformed entry.
std::vector<RhoPoint> rhoSweepFromMetricsJson(const json::Value& metrics);

}  // namespace il
