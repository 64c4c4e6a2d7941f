#pragma once
// Runs that are not one sweep folder's tasks (the app's gallery: runs trained one by one or
// queued, opened from run and sweep folders) grouped into ensemble cells as collect groups a
// sweep's tasks: runs whose configs are equal but for the weight seed ("seed") form one cell.
// The statistics are the sweep's own (summarizeCells, phaseDiagram), so the app and
// summary.json give the same numbers for the same runs.

#include <string>
#include <vector>

#include "engine/config/experiment_config.h"
#include "engine/io/json.h"
#include "engine/metrics/ensemble.h"
#include "engine/sweep/phase_diagram.h"
#include "engine/train/results.h"

namespace il {

// One finished run, as held in memory.
struct MemoryRun {
    ExperimentConfig config;
    std::string label;                    // a sweep task's label ("depth=20 seed=3"), or empty
    const RunMetrics* metrics = nullptr;  // its final metrics; not owned, never null
};

struct RunCell {
    std::string label;  // unique among the cells
    // The config keys whose values differ between the cells, with this cell's values (empty
    // for a single cell): what a sweep's cell holds as its swept keys.
    json::Value parameters = json::Value::object();
};

// The cell of each run, in the runs' order. A cell's label is its runs' common label less
// " seed=N" ("depth=20") when they all have one and no other cell has it; else its differing
// keys ("depth=20 activation=relu"); else, for a single cell, its model ("CNN 20x128 k5 relu").
std::vector<RunCell> cellsOfRuns(const std::vector<MemoryRun>& runs);

// "depth=20 seed=3" -> "depth=20"; "seed=3" -> ""; a label without a trailing seed as it is.
std::string labelWithoutSeed(const std::string& label);

// summarizeCells over the runs' cells, cells in the order their first run comes.
std::vector<EnsembleCell> ensembleCellsOfRuns(const std::vector<MemoryRun>& runs);
// phaseDiagram over the runs' cells and their metrics' rho sweeps.
PhaseDiagram phaseDiagramOfRuns(const std::vector<MemoryRun>& runs);

}  // namespace il
