// identitylab-cli sweep PLAN --out DIR [--task I | --jobs N | --slurm [--submit]]
// Runs a sweep plan (docs/config.md, "Sweep plans"; docs/cluster.md): every task on this
// machine, one task of a job array, or writes (and submits) the Slurm job array.

#include <cstdio>
#include <cstdlib>

#include "arguments.h"
#include "child_process.h"
#include "commands.h"
#include "engine/core/errors.h"
#include "sweep_runner.h"

namespace il::cli {

int sweepCommand(const ArgumentList& arguments)
{
    Arguments parser("identitylab-cli sweep PLAN.json --out DIR [options]",
                     "Runs a sweep plan (a base config, axes, seeds and runs; docs/config.md) into DIR: DIR/plan.json first,\n"
                     "then one run folder per task, each renamed into place when complete, so that a killed task leaves\n"
                     "nothing half-written and a rerun skips the finished ones. Without --task every task runs here and\n"
                     "DIR/summary.json is collected at the end. A preset (resources/presets/NAME.json) is a plan too.");
    parser.addPositional("PLAN.json", "The plan file, or a sweep folder's plan.json.");
    parser.add("out", "dir", "The sweep folder (created).");
    parser.add("task", "i", "Run task I only (a job array's element). Default: $SLURM_ARRAY_TASK_ID if set, else every task.");
    parser.add("jobs", "n", "Tasks trained at the same time here (default: one per core on a CPU, 1 on CUDA).");
    parser.add("threads", "n", "CPU threads per task (default: the cores shared by the jobs).");
    parser.add("seeds", "n|list", "Weight seeds of every point: N (the seeds 0 to N-1) or a list (0,3,7). Replaces the plan's.");
    parser.add("set", "key=value", "Change a config key in the base and every run (not an axis). Repeatable.");
    parser.add("checkpoints", "", "Also save every run's weights (checkpoint.pt).");
    parser.add("format", "list", "Figure formats, comma-separated: png, svg, pdf.", "png");
    parser.add("scale", "n", "Figure resolution factor.", "2");
    parser.add("slurm", "", "Write DIR/sweep.sbatch, a Slurm job array over the tasks not finished, instead of running.");
    parser.add("sbatch", "option", "An #SBATCH line for --slurm, e.g. --sbatch=--partition=gpu --sbatch=--cpus-per-task=4. Repeatable.");
    parser.add("submit", "", "With --slurm: hand the script to sbatch.");
    parser.add("list", "", "Write DIR/plan.json and list the tasks (index, done or not, label) instead of running.");
    parser.add("no-collect", "", "Do not write summary.json and the figures after running every task.");
    parser.add("quiet", "", "No progress output.");
    if (const std::optional<int> answered = parser.parseOrAnswer(arguments)) return *answered;
    if (parser.positionals().size() != 1 || !parser.isSet("out")) {
        std::fprintf(stderr, "identitylab-cli sweep: give one plan file and --out DIR (see --help)\n");
        return ExitUsage;
    }
    if (parser.isSet("submit") && !parser.isSet("slurm")) {
        std::fprintf(stderr, "identitylab-cli sweep: --submit goes with --slurm\n");
        return ExitUsage;
    }

    SweepRequest request;
    request.dir = parser.value("out");
    request.quiet = parser.isSet("quiet");
    request.checkpoints = parser.isSet("checkpoints");
    request.collect = !parser.isSet("no-collect");
    try {
        request.figures.formats = figureFormats(parser.value("format"));
        request.figures.scale = parser.intValue("scale", 1);
        if (parser.isSet("jobs")) request.jobs = parser.intValue("jobs", 1);
        if (parser.isSet("threads")) request.threads = parser.intValue("threads", 1);
        if (parser.isSet("task")) {
            request.task = parser.intValue("task", 0);
        } else if (const char* arrayTask = std::getenv("SLURM_ARRAY_TASK_ID"); arrayTask && !parser.isSet("slurm")) {
            char* end = nullptr;
            const long index = std::strtol(arrayTask, &end, 10);
            if (*arrayTask == '\0' || *end != '\0' || index < 0)
                throw ConfigError(std::string("SLURM_ARRAY_TASK_ID is \"") + arrayTask + "\", not a task number");
            request.task = static_cast<int>(index);
        }
        request.plan = loadSweepPlan(parser.positionals().front(), parser.values("set"), parser.value("seeds"));
    } catch (const Error& e) {
        std::fprintf(stderr, "identitylab-cli sweep: %s\n", e.what());
        return ExitUsage;
    }

    if (parser.isSet("list")) return listSweepTasks(request.plan, request.dir);
    if (!parser.isSet("slurm")) return runSweep(request);

    // The job array: DIR/plan.json and DIR/sweep.sbatch; the array's tasks read the plan.json.
    request.collect = false;
    std::vector<std::string> taskArguments;
    if (request.checkpoints) taskArguments.push_back("--checkpoints");
    taskArguments.push_back("--format=" + parser.value("format"));
    taskArguments.push_back("--scale=" + parser.value("scale"));
    taskArguments.push_back("--quiet");
    std::string script;
    try {
        script = writeSlurmScript(request.plan, request.dir, parser.values("sbatch"), taskArguments);
    } catch (const Error& e) {
        std::fprintf(stderr, "identitylab-cli sweep: %s\n", e.what());
        return ExitUsage;
    }
    std::fprintf(stderr, "wrote %s (%zu tasks in the plan)\n", script.c_str(), request.plan.tasks.size());
    if (!parser.isSet("submit")) {
        std::fprintf(stderr, "submit it with: sbatch %s\nthen, when it is done: identitylab-cli collect %s\n", script.c_str(),
                     request.dir.c_str());
        return ExitOk;
    }
    const ChildResult sbatch = runChild({"sbatch", "--parsable", script});
    if (!sbatch.started) {
        std::fprintf(stderr, "identitylab-cli sweep: sbatch was not found; is this a Slurm login node?\n");
        return ExitFailed;
    }
    if (sbatch.exitCode != 0) {
        std::fprintf(stderr, "identitylab-cli sweep: sbatch refused the job (exit code %d)\n", sbatch.exitCode);
        return ExitFailed;
    }
    std::string job = sbatch.output;
    while (!job.empty() && (job.back() == '\n' || job.back() == '\r')) job.pop_back();
    std::printf("%s\n", job.c_str());
    std::fprintf(stderr, "submitted job %s; when it is done: identitylab-cli collect %s\n", job.c_str(), request.dir.c_str());
    return ExitOk;
}

}  // namespace il::cli
