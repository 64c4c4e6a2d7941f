// identitylab-cli: the headless side of IdentityLab. Standard library and LibTorch only, so that
// it builds and runs on a GPU node without Qt (-DIDENTITYLAB_HEADLESS=ON); where the build has
// Qt, the figures are drawn too (app/cli/figures.h).

#include <cstdio>
#include <string>

#include "../common/memory_reuse.h"
#include "../common/openmp_wait_policy.h"
#include "commands.h"
#include "engine/core/build_info.h"
#include "figures.h"

namespace {

const char* const kUsage =
    "usage: identitylab-cli COMMAND [options]\n"
    "\n"
    "A laboratory for \"Identity Crisis\" (Zhang et al., ICLR 2020): train a network on one image to\n"
    "reproduce it, then see whether it learned the identity, a constant, or something else.\n"
    "\n"
    "commands:\n"
    "  train      train one experiment from a JSON config; write its run folder\n"
    "  sweep      run a sweep plan (a grid of experiments): all tasks, one task of a job array,\n"
    "             or a Slurm job array (--slurm)\n"
    "  collect    merge a sweep folder's runs into summary.json (and its figures)\n"
    "  reproduce  run one of the paper's figures as a sweep over its shipped plan (--list shows them)\n"
    "  bench      time training steps against the plain PyTorch script\n"
    "  export     write a run saved by the app (.ilrun) as a run folder\n"
    "\n"
    "Run 'identitylab-cli COMMAND --help' for a command's options, 'identitylab-cli --version' for the version.\n";

}  // namespace

int main(int argc, char** argv)
{
    il::app::ensurePassiveOpenMpWaiting(argv);
    il::app::keepFreedMemoryForReuse();  // see memory_reuse.h: up to 2x on a sweep job's thread
    il::cli::ArgumentList arguments(argv + 1, argv + argc);
    if (arguments.empty() || arguments.front() == "--help" || arguments.front() == "-h") {
        std::printf("%s", kUsage);
        return arguments.empty() ? il::cli::ExitUsage : il::cli::ExitOk;
    }
    if (arguments.front() == "--version") {
        std::printf("%s%s\n", il::versionLine().c_str(), il::cli::drawsFigures() ? "" : " (headless: no figures)");
        return il::cli::ExitOk;
    }
    const std::string command = arguments.front();
    arguments.erase(arguments.begin());
    if (command == "train") return il::cli::trainCommand(arguments);
    if (command == "sweep") return il::cli::sweepCommand(arguments);
    if (command == "collect") return il::cli::collectCommand(arguments);
    if (command == "reproduce") return il::cli::reproduceCommand(arguments);
    if (command == "bench") return il::cli::benchCommand(arguments);
    if (command == "export") return il::cli::exportCommand(arguments);
    std::fprintf(stderr, "identitylab-cli: unknown command \"%s\"\n\n%s", command.c_str(), kUsage);
    return il::cli::ExitUsage;
}
