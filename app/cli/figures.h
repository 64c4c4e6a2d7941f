#pragma once
// What the CLI draws: each run's figures beside its data, a sweep's figure beside its summary.
// Drawing needs Qt (QPainter, QCustomPlot), which a GPU node may not have. The full build links
// app/cli/qt/ (figures drawn), the headless build app/cli/headless/ (data only; `collect` on a
// machine with Qt draws the figures later, from the same folders).

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "engine/data/dataset.h"
#include "engine/sweep/sweep_collection.h"
#include "engine/train/training_session.h"

namespace il::cli {

struct FigureOptions {
    int scale = 2;                           // resolution factor (2: sharp in papers and slides)
    std::vector<std::string> formats{"png"};  // any of png, svg, pdf
};

struct RunOutputOptions {
    FigureOptions figures;
    bool checkpoint = true;
    std::string label;  // the run's name in its figures; empty: describeModel(config)
    DataLocations data = DataLocations::fromEnvironment();
    std::optional<std::chrono::system_clock::time_point> started;
    std::vector<int> evaluateSizes;  // the probes also at these sizes (the image-size figure)
};

// false in the headless build.
bool drawsFigures();

// The run folder: data files, checkpoint and (where Qt is) figures. Returns the files written;
// throws il::Error naming the file on failure.
std::vector<std::string> writeRunOutputs(const std::string& folder, const TrainingSession& session, const RunMetrics& metrics,
                                         const RunOutputOptions& options);

// The sweep's figures from its run folders: figure.FORMAT in the plan's kind of figure (and
// figure-per-layer for activation figures), ensemble.FORMAT when cells have several seeds,
// phase.FORMAT when several cells have rho sweeps.
// Returns the files written (none in the headless build); throws il::Error.
std::vector<std::string> writeSweepFigures(const SweepCollection& sweep, const FigureOptions& options);

}  // namespace il::cli
