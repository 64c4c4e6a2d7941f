// identitylab-cli collect DIR
// Merges a sweep folder's runs, wherever they were trained, into DIR/summary.json (the runs,
// the tasks missing or damaged, the ensemble statistics per cell) and, where the build has Qt,
// the sweep's figures.

#include <cstdio>

#include "arguments.h"
#include "commands.h"
#include "engine/core/errors.h"
#include "sweep_runner.h"

namespace il::cli {

int collectCommand(const ArgumentList& arguments)
{
    Arguments parser("identitylab-cli collect DIR [options]",
                     "Reads every task folder of the sweep folder DIR (written by sweep or reproduce, here or on a cluster)\n"
                     "and writes DIR/summary.json: the runs, the tasks still missing, the run folders that cannot be read,\n"
                     "and per cell of the plan (its runs that differ only in the seed) the outcome counts, the mean and\n"
                     "spread of each probe group's correlations and Wilson 95 % intervals. Where the build has Qt, also\n"
                     "the sweep's figure. Exit code 1 while tasks are missing or damaged, naming them.");
    parser.addPositional("DIR", "The sweep folder.");
    parser.add("format", "list", "Figure formats, comma-separated: png, svg, pdf.", "png");
    parser.add("scale", "n", "Figure resolution factor.", "2");
    parser.add("quiet", "", "Only the missing and damaged tasks and the files written.");
    if (const std::optional<int> answered = parser.parseOrAnswer(arguments)) return *answered;
    if (parser.positionals().size() != 1) {
        std::fprintf(stderr, "identitylab-cli collect: give one sweep folder\n");
        return ExitUsage;
    }
    FigureOptions figures;
    try {
        figures.formats = figureFormats(parser.value("format"));
        figures.scale = parser.intValue("scale", 1);
    } catch (const Error& e) {
        std::fprintf(stderr, "identitylab-cli collect: %s\n", e.what());
        return ExitUsage;
    }
    return collectSweepFolder(parser.positionals().front(), figures, parser.isSet("quiet"));
}

}  // namespace il::cli
