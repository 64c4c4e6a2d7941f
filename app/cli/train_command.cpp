// identitylab-cli train --config FILE.json --out DIR [--set key=value ...]
// Trains one experiment and writes its run folder into DIR (figures.h): the data files, the
// checkpoint and, where the build has Qt, the figures. Ctrl-C stops after the current step and still
// writes what exists.

#include <chrono>
#include <cstdio>

#include "arguments.h"
#include "commands.h"
#include "engine/config/choices.h"
#include "engine/config/config_json.h"
#include "engine/core/compute_threads.h"
#include "engine/core/errors.h"
#include "engine/metrics/outcome.h"
#include "engine/train/training_session.h"
#include "interrupt.h"
#include "figures.h"
#include "output_folder.h"
#include "sweep_runner.h"
#include "terminal_progress.h"

namespace il::cli {

namespace {

void printSummary(const RunMetrics& m)
{
    std::fprintf(stderr, "%s after %d steps (%.1f s, %.1f steps/s, %s); final loss %.3g\n", toString(m.stopReason), m.stepsDone, m.seconds,
                 m.stepsPerSecond, m.device.c_str(), m.finalLoss);
    if (!m.stopDetail.empty()) std::fprintf(stderr, "  %s\n", m.stopDetail.c_str());
    if (m.outputCollapsed)
        std::fprintf(stderr,
                     "  warning: the output is stuck at zero (the f = 0 saddle of deep networks); train longer or "
                     "change the init or learning rate\n");
    for (const GroupSummary& g : m.groups)
        std::fprintf(stderr, "  %-8s corr identity %6.3f   corr constant %6.3f\n", toString(g.group), g.corrIdentity, g.corrConstant);
    if (m.outcomeScores.probes > 0)
        std::fprintf(stderr, "  outcome: %s (of the held-out probes, %.0f %% copy their input and %.0f %% show the training image)\n",
                     toString(m.outcome), 100.0 * m.outcomeScores.identityFraction, 100.0 * m.outcomeScores.constantFraction);
}

}  // namespace

int trainCommand(const ArgumentList& arguments)
{
    Arguments parser("identitylab-cli train [--config FILE.json] --out DIR [--set key=value ...]",
                     "Trains one network on one image (or a few) and writes config.json, metrics.json, metrics.jsonl, loss.csv,\n"
                     "the probes and activations as .npy, checkpoint.pt and the figures (probes, activations, rho, loss; PNG\n"
                     "unless --format says otherwise) into the output folder.\n"
                     "Config keys left out take the reproduction recipe's defaults (docs/config.md).\n"
                     "Choices (--set key=value):\n" +
                         choicesHelp());
    parser.add("config", "file", "Experiment config (JSON). Optional.");
    parser.add("out", "dir", "Output folder (created).");
    parser.add("set", "key=value", "Override a config key, e.g. --set depth=20 --set architecture=fcn. Repeatable.");
    parser.add("scale", "n", "Figure resolution factor.", "2");
    parser.add("format", "list", "Figure formats, comma-separated: png, svg, pdf (e.g. png,svg).", "png");
    parser.add("threads", "n", "CPU threads (0: one per core).", "0");
    parser.add("layer-classifier", "", "Also measure the layer-wise similarity-weighted classifier (slow for deep CNNs).");
    parser.add("seeds", "n|list",
               "Train once per weight seed: N (0 to N-1) or a list (0,3,7). DIR becomes a sweep folder: one run folder per "
               "seed and summary.json with the outcome counts (docs/cluster.md).");
    parser.add("jobs", "n", "With --seeds: runs trained at the same time (default: one per core on a CPU).");
    parser.add("quiet", "", "No progress output.");
    if (const std::optional<int> answered = parser.parseOrAnswer(arguments)) return *answered;
    if (!parser.isSet("out")) {
        std::fprintf(stderr, "identitylab-cli train: --out DIR is required\n");
        return ExitUsage;
    }

    ExperimentConfig config;
    RunOutputOptions options;
    int threads = 0;
    json::Value raw;
    try {
        options.figures.formats = figureFormats(parser.value("format"));
        options.figures.scale = parser.intValue("scale", 1);
        threads = parser.intValue("threads", 0);
        raw = parser.isSet("config") ? json::parseFile(parser.value("config")) : json::Value::object();
        if (!raw.isObject()) throw ConfigError("a config file must hold a JSON object");
        for (const std::string& assignment : parser.values("set")) applyOverride(raw, assignment);
        config = configFromJson(raw);
    } catch (const Error& e) {
        std::fprintf(stderr, "identitylab-cli train: %s\n", e.what());
        return ExitUsage;
    }

    if (parser.isSet("seeds")) {
        SweepRequest request;
        request.dir = parser.value("out");
        request.quiet = parser.isSet("quiet");
        request.checkpoints = true;
        request.figures = options.figures;
        request.threads = threads;
        try {
            request.plan = seededPlan(raw, parser.value("seeds"), describeModel(config));
            if (parser.isSet("jobs")) request.jobs = parser.intValue("jobs", 1);
        } catch (const Error& e) {
            std::fprintf(stderr, "identitylab-cli train: %s\n", e.what());
            return ExitUsage;
        }
        return runSweep(request);
    }

    // The output folder is checked before training, so a typo or a read-only place costs
    // seconds, not the whole run (the files are still written atomically at the end).
    const std::string out = parser.value("out");
    if (!writableFolder(out)) {
        std::fprintf(stderr,
                     "identitylab-cli train: cannot create or write the output folder %s (check the path and its "
                     "permissions)\n",
                     out.c_str());
        return ExitUsage;
    }

    installInterruptHandler();
    setComputeThreads(threads);
    try {
        TrainingSession session(config, DataLocations::fromEnvironment());
        const bool quiet = parser.isSet("quiet");
        if (!quiet) {
            std::fprintf(stderr, "%s: %s on %s\n", describeModel(config).c_str(), session.size().summary().c_str(),
                         session.deviceDescription().c_str());
            for (const std::string& w : session.warnings()) std::fprintf(stderr, "  note: %s\n", w.c_str());
        }
        TerminalProgress progress(describeModel(config), session.control(), quiet);
        options.started = std::chrono::system_clock::now();
        const RunMetrics metrics = session.run(&progress, parser.isSet("layer-classifier"));
        progress.finish();
        if (!quiet) printSummary(metrics);
        const std::vector<std::string> files = writeRunOutputs(out, session, metrics, options);
        if (!quiet) std::fprintf(stderr, "wrote %zu files to %s\n", files.size(), out.c_str());
        if (metrics.stopReason == StopReason::Cancelled) return ExitInterrupted;
        return metrics.stopReason == StopReason::Completed ? ExitOk : ExitFailed;
    } catch (const ConfigError& e) {
        std::fprintf(stderr, "identitylab-cli train: %s\n", e.what());
        return ExitUsage;
    } catch (const DataError& e) {
        // A missing, truncated or corrupt data file is bad input, like a bad config.
        std::fprintf(stderr, "identitylab-cli train: %s\n", e.what());
        return ExitUsage;
    } catch (const Error& e) {
        std::fprintf(stderr, "identitylab-cli train: %s\n", e.what());
        return ExitFailed;
    } catch (const std::exception& e) {
        // Not ours (LibTorch, the allocator): still a message and an exit code, not an abort.
        std::fprintf(stderr, "identitylab-cli train: internal error: %s\n", e.what());
        return ExitFailed;
    }
}

}  // namespace il::cli
