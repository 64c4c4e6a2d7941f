// The headless build's figures.h: the data of every run and sweep, no figures. A machine with
// Qt draws them later from the same folders (identitylab-cli collect DIR).

#include "../figures.h"

#include <cstdio>

#include "../commands.h"
#include "engine/train/session_output.h"

namespace il::cli {

bool drawsFigures() { return false; }

std::vector<std::string> writeRunOutputs(const std::string& folder, const TrainingSession& session, const RunMetrics& metrics,
                                         const RunOutputOptions& options)
{
    SessionOutputOptions data;
    data.checkpoint = options.checkpoint;
    data.data = options.data;
    data.started = options.started;
    data.evaluateSizes = options.evaluateSizes;
    return writeSessionData(folder, session, metrics, data);
}

std::vector<std::string> writeSweepFigures(const SweepCollection&, const FigureOptions&) { return {}; }

int exportCommand(const ArgumentList&)
{
    std::fprintf(stderr,
                 "identitylab-cli export: this is the headless build, which cannot read the app's .ilrun files (a Qt format); "
                 "use identitylab-cli from the full build\n");
    return ExitUsage;
}

}  // namespace il::cli
