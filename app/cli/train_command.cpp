// identitylab-cli train --config FILE.json --out DIR [--set key=value ...]
// Trains one experiment and writes its run folder into DIR (ui/export/run_export.h): the data
// files, the checkpoint and the figures. Ctrl-C stops after the current step and still
// writes what exists.

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>

#include <chrono>
#include <cstdio>

#include "commands.h"
#include "engine/config/choices.h"
#include "engine/config/config_json.h"
#include "engine/core/compute_threads.h"
#include "engine/core/errors.h"
#include "engine/metrics/outcome.h"
#include "engine/train/training_session.h"
#include "interrupt.h"
#include "terminal_progress.h"
#include "ui/export/run_export.h"

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

int trainCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Trains one network on one image (or a few) and writes config.json, metrics.json, metrics.jsonl, loss.csv, "
                       "the probes and activations as .npy, checkpoint.pt and the figures (probes, activations, rho, loss; "
                       "PNG unless --format says otherwise) into the output folder.\n"
                       "Config keys left out take the reproduction recipe's defaults (docs/config.md).\n"
                       "Choices (--set key=value):\n") +
        QString::fromStdString(choicesHelp()));
    parser.addHelpOption();
    const QCommandLineOption configOption(QStringLiteral("config"), QStringLiteral("Experiment config (JSON). Optional."),
                                          QStringLiteral("file"));
    const QCommandLineOption outOption(QStringLiteral("out"), QStringLiteral("Output folder (created)."), QStringLiteral("dir"));
    const QCommandLineOption setOption(QStringLiteral("set"),
                                       QStringLiteral("Override a config key, e.g. --set depth=20 --set architecture=fcn. Repeatable."),
                                       QStringLiteral("key=value"));
    const QCommandLineOption scaleOption(QStringLiteral("scale"), QStringLiteral("Figure resolution factor."), QStringLiteral("n"),
                                         QStringLiteral("2"));
    const QCommandLineOption threadsOption(QStringLiteral("threads"), QStringLiteral("CPU threads (default: one per core)."),
                                           QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption layerClassifierOption(QStringLiteral("layer-classifier"),
                                                   QStringLiteral("Also measure the layer-wise similarity-weighted classifier "
                                                                  "(slow for deep CNNs)."));
    const QCommandLineOption formatOption(QStringLiteral("format"),
                                          QStringLiteral("Figure formats, comma-separated: png, svg, pdf (e.g. png,svg)."),
                                          QStringLiteral("list"), QStringLiteral("png"));
    const QCommandLineOption quietOption(QStringLiteral("quiet"), QStringLiteral("No progress output."));
    parser.addOptions({configOption, outOption, setOption, scaleOption, formatOption, threadsOption, layerClassifierOption, quietOption});
    if (!parser.parse(arguments)) {
        std::fprintf(stderr, "identitylab-cli train: %s\n", qPrintable(parser.errorText()));
        return ExitUsage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::printf("%s", qPrintable(parser.helpText()));
        return ExitOk;
    }
    if (!parser.isSet(outOption)) {
        std::fprintf(stderr, "identitylab-cli train: --out DIR is required\n");
        return ExitUsage;
    }

    ExperimentConfig config;
    ui::RunFolderOptions options;
    try {
        options.formats = ui::figureFormats(parser.value(formatOption));
        json::Value raw = parser.isSet(configOption) ? json::parseFile(parser.value(configOption).toStdString()) : json::Value::object();
        if (!raw.isObject()) throw ConfigError("a config file must hold a JSON object");
        for (const QString& assignment : parser.values(setOption)) applyOverride(raw, assignment.toStdString());
        config = configFromJson(raw);
    } catch (const Error& e) {
        std::fprintf(stderr, "identitylab-cli train: %s\n", e.what());
        return ExitUsage;
    }

    // The output folder is checked before training, so a typo or a read-only place costs
    // seconds, not the whole run (the files are still written atomically at the end).
    const QString out = parser.value(outOption);
    if (!QDir().mkpath(out) || !QFileInfo(out).isDir() || !QFileInfo(out).isWritable()) {
        std::fprintf(stderr,
                     "identitylab-cli train: cannot create or write the output folder %s (check the path and its "
                     "permissions)\n",
                     qPrintable(out));
        return ExitUsage;
    }

    installInterruptHandler();
    setComputeThreads(parser.value(threadsOption).toInt());
    try {
        TrainingSession session(config, DataLocations::fromEnvironment());
        const bool quiet = parser.isSet(quietOption);
        if (!quiet) {
            std::fprintf(stderr, "%s: %s on %s\n", describeModel(config).c_str(), session.size().summary().c_str(),
                         session.deviceDescription().c_str());
            for (const std::string& w : session.warnings()) std::fprintf(stderr, "  note: %s\n", w.c_str());
        }
        TerminalProgress progress(describeModel(config), session.control(), quiet);
        options.started = std::chrono::system_clock::now();
        const RunMetrics metrics = session.run(&progress, parser.isSet(layerClassifierOption));
        progress.finish();
        if (!quiet) printSummary(metrics);
        options.scale = std::max(1, parser.value(scaleOption).toInt());
        const QStringList files = ui::writeRunFolder(out, session, metrics, options);
        if (!quiet) std::fprintf(stderr, "wrote %lld files to %s\n", static_cast<long long>(files.size()), qPrintable(out));
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
