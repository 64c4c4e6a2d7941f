// identitylab-cli reproduce NAME --out DIR | --list
// Runs one of the paper's figures as a preset (resources/presets/NAME.json): every run into its
// own run folder (ui/export/run_export.h), the preset's figure in the paper's layout as
// figure.png (.svg, .pdf with --format; the activation presets also figure-per-layer, each layer on its own
// colour scale), and summary.json with every run's metrics, so the figure can be checked by a
// program as well as by eye.

#include <QCommandLineParser>
#include <QDir>
#include <QPainter>
#include <QSaveFile>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>

#include "commands.h"
#include "engine/config/config_json.h"
#include "engine/config/preset.h"
#include "engine/core/compute_device.h"
#include "engine/core/compute_threads.h"
#include "engine/core/errors.h"
#include "engine/nn/training_path.h"
#include "engine/probes/probe_set.h"
#include "engine/train/metrics_json.h"
#include "engine/train/training_session.h"
#include "interrupt.h"
#include "preset_runner.h"
#include "terminal_progress.h"
#include "ui/export/run_export.h"
#include "ui/figures/activation_figure.h"
#include "ui/figures/figure_export.h"
#include "ui/figures/plots.h"
#include "ui/figures/probe_grid.h"
#include "ui/figures/vector_export.h"

namespace il::cli {

namespace {

QString slug(const std::string& label)
{
    QString s = QString::fromStdString(label).toLower();
    for (QChar& c : s)
        if (!c.isLetterOrNumber()) c = QLatin1Char('-');
    while (s.contains(QStringLiteral("--"))) s.replace(QStringLiteral("--"), QStringLiteral("-"));
    // "CNN 20 (random init)" gives "cnn-20-random-init", not a folder name ending in a dash.
    while (s.startsWith(QLatin1Char('-'))) s.remove(0, 1);
    while (s.endsWith(QLatin1Char('-'))) s.chop(1);
    return s.isEmpty() ? QStringLiteral("run") : s;
}

// estimatedSecondsPerStep() assumes a machine like the development one. Short trainings here
// (under a second together) scale the estimate to this machine: AVX-512 or AVX2, a quiet or a
// busy CPU make a factor of 4 or more.
// One factor per kind of step, because they are bound by different things: convolutions by
// arithmetic, the fused one-example FCN step by memory traffic, a minibatch FCN step
// (fcn-many-examples) by BLAS matrix products. Calibrating the last with the fused step made
// fcn-many-examples' estimate 66 s for a preset that takes several minutes.
// A CNN's first and last layers (one channel in or out) and its hidden layers (Winograd's
// algorithm from 64 channels) run at very different shares of the FLOP estimate: measured on a
// 2-core AMD EPYC (AVX2+FMA), 11.8x the estimate for a 2-layer CNN, 3.5-4.3x for the hidden
// layers. One factor for both would misestimate cnn-depth by about a factor of two.
struct SpeedFactors {
    double cnnEnds = 1.0;    // a CNN's first and last layers
    double cnnHidden = 1.0;  // its hidden layers
    double fusedFcn = 1.0;
    double batchedFcn = 1.0;
};

// A CNN's first and last layers: the same network cut down to depth 2.
ExperimentConfig endsOnly(ExperimentConfig config)
{
    config.depth = std::min(config.depth, 2);
    return config;
}

double calibratedSecondsPerStep(const ExperimentConfig& config, int threads, const SpeedFactors& speed)
{
    const double estimate = estimatedSecondsPerStep(config, threads);
    if (config.isConvolutional()) {
        const double ends = estimatedSecondsPerStep(endsOnly(config), threads);
        return speed.cnnEnds * ends + speed.cnnHidden * std::max(0.0, estimate - ends);
    }
    return estimate * (nn::chooseTrainingPath(config) == nn::TrainingPath::FusedFcn ? speed.fusedFcn : speed.batchedFcn);
}

// Seconds a training step of `config` takes here; 0 when it cannot run (no data).
double measuredSecondsPerStep(const ExperimentConfig& config, const DataLocations& data)
{
    try {
        TrainingSession session(config, data);
        session.step();  // warm-up: allocations, oneDNN primitive creation
        const auto start = std::chrono::steady_clock::now();
        int steps = 0;
        double elapsed = 0.0;
        while (steps < 3 || elapsed < 0.15) {
            session.step();
            ++steps;
            elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        }
        return elapsed / steps;
    } catch (const Error&) {
        return 0.0;
    }
}

// measured / estimated, or 1 (the uncalibrated estimate) where nothing could be measured.
double ratioOr1(double measured, double estimated) { return measured > 0.0 && estimated > 0.0 ? measured / estimated : 1.0; }

SpeedFactors calibrateSpeed(const DataLocations& data, int threads)
{
    // The figures' 128 channels, so that the hidden layers run the algorithm they will run.
    ExperimentConfig cnn;
    cnn.architecture = Architecture::Cnn;
    cnn.channels = 128;
    cnn.depth = 2;
    const double endsMeasured = measuredSecondsPerStep(cnn, data);
    const double endsEstimated = estimatedSecondsPerStep(cnn, threads);
    cnn.depth = 4;
    const double hiddenMeasured = measuredSecondsPerStep(cnn, data) - endsMeasured;
    const double hiddenEstimated = estimatedSecondsPerStep(cnn, threads) - endsEstimated;

    ExperimentConfig fcn;
    fcn.architecture = Architecture::Fcn;
    fcn.depth = 3;
    ExperimentConfig batched = fcn;  // 64 images a step: past the fused path's batch limit
    batched.depth = 2;
    batched.trainCount = 256;
    batched.trainClass = -1;
    batched.batchSize = 64;

    SpeedFactors speed;
    speed.cnnEnds = ratioOr1(endsMeasured, endsEstimated);
    speed.cnnHidden = endsMeasured > 0.0 ? ratioOr1(hiddenMeasured, hiddenEstimated) : 1.0;
    speed.fusedFcn = ratioOr1(measuredSecondsPerStep(fcn, data), estimatedSecondsPerStep(fcn, threads));
    speed.batchedFcn = ratioOr1(measuredSecondsPerStep(batched, data), estimatedSecondsPerStep(batched, threads));
    return speed;
}

// With jobs > 1 the runs are dealt out longest first to whichever slot frees first, as the
// preset runner does (it orders by the uncalibrated estimate; the order rarely differs), and
// the estimate is when the last one ends: a preset whose 20-layer run
// alone takes 20 minutes cannot take less, however the rest divides (activations: the total
// over 2 said 17 min for 25).
double estimatedPresetSeconds(const Preset& preset, int threads, const SpeedFactors& speed, int jobs = 1)
{
    std::vector<double> runSeconds;
    for (const PresetRun& run : preset.runs) {
        const double step = calibratedSecondsPerStep(run.config, threads, speed);
        runSeconds.push_back((run.train ? run.config.steps : 0) * step + 60.0 * step + 1.0);  // + evaluation and figures
    }
    std::sort(runSeconds.begin(), runSeconds.end(), std::greater<>());
    std::vector<double> slotEnds(static_cast<std::size_t>(std::max(1, jobs)), 0.0);
    for (const double seconds : runSeconds) *std::min_element(slotEnds.begin(), slotEnds.end()) += seconds;
    return *std::max_element(slotEnds.begin(), slotEnds.end());
}

std::string formatMinutes(double seconds)
{
    char buffer[32];
    if (seconds < 90)
        std::snprintf(buffer, sizeof buffer, "%.0f s", seconds);
    else
        std::snprintf(buffer, sizeof buffer, "%.0f min", seconds / 60.0);
    return buffer;
}

// How many runs `reproduce NAME` trains at a time unless --jobs says otherwise.
int defaultJobs(const Preset& preset)
{
    std::size_t trainedRuns = 0;
    for (const PresetRun& r : preset.runs) trainedRuns += r.train ? 1 : 0;
    // A run that may land on the GPU: one at a time there (the cores only feed it).
    const bool cuda = cudaAvailable() && std::any_of(preset.runs.begin(), preset.runs.end(),
                                                     [](const PresetRun& r) { return r.config.device != DevicePreference::Cpu; });
    return defaultPresetJobs(trainedRuns, cuda);
}

// Each run's share of the cores when `jobs` runs train at once.
int threadsPerRun(int jobs) { return jobs > 1 ? std::max(1, coreCount() / jobs) : computeThreads(); }

int listPresets(const DataLocations& data)
{
    const std::string& resources = data.resourcesDir;
    ensureComputeThreadsConfigured();
    const int allThreads = computeThreads();
    // Each preset is estimated as `reproduce` would run it, so the speed is measured once for
    // each thread count a run gets (1 when two runs share 2 cores, 2 for a lone run).
    std::map<int, SpeedFactors> speedAt;
    auto speedFor = [&](int threads) -> const SpeedFactors& {
        auto found = speedAt.find(threads);
        if (found == speedAt.end()) {
            setComputeThreads(threads);
            found = speedAt.emplace(threads, calibrateSpeed(data, threads)).first;
            setComputeThreads(allThreads);
        }
        return found->second;
    };
    for (const std::string& name : presetNames(resources)) {
        try {
            const Preset p = loadPreset(presetPath(resources, name));
            bool slow = false;
            for (const PresetRun& r : p.runs) slow = slow || r.slow;
            const int jobs = defaultJobs(p), threads = threadsPerRun(jobs);
            const double seconds = estimatedPresetSeconds(p, threads, speedFor(threads), jobs);
            std::printf("%-20s ~%-8s %s%s%s\n", name.c_str(), formatMinutes(seconds).c_str(), p.title.c_str(),
                        slow ? " [slow on a CPU]" : "", p.requires.empty() ? "" : (" [needs " + p.requires + "]").c_str());
        } catch (const Error& e) {
            std::printf("%-20s (unreadable: %s)\n", name.c_str(), e.what());
        }
    }
    std::printf(
        "\n(estimated as `reproduce NAME` runs each preset here, several runs at a time where it has\n"
        " several, sharing %d CPU thread(s), and scaled by short test runs on this machine)\n",
        allThreads);
    return ExitOk;
}

// Side by side, each under its title: the activation figures of several networks.
QImage besideEachOther(const std::vector<std::pair<QString, QImage>>& parts, const ui::FigureStyle& style)
{
    const int gap = style.px(24), titleHeight = style.px(28);
    int width = gap, height = 0;
    for (const auto& [title, image] : parts) {
        width += image.width() + gap;
        height = std::max(height, image.height());
    }
    QImage out(width, height + titleHeight + gap, QImage::Format_RGB32);
    out.fill(style.background);
    QPainter painter(&out);
    painter.setFont(style.font(style.titlePx, true));
    painter.setPen(style.text);
    int x = gap;
    for (const auto& [title, image] : parts) {
        painter.drawText(QRect(x, gap / 2, image.width(), titleHeight), Qt::AlignCenter, title);
        painter.drawImage(x, titleHeight + gap / 2, image);
        x += image.width() + gap;
    }
    return out;
}

// A null figure (none of this kind for the preset) writes nothing. Throws il::Error.
void saveFigure(const QImage& figure, int scale, const QString& path)
{
    QString error;
    if (!figure.isNull() && !ui::saveFigureFile(figure, scale, path, &error)) throw Error(error.toStdString());
}

}  // namespace

int reproduceCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Reproduces one of the paper's figures from a preset: trains every run, writes each run's folder, "
                       "the figure (figure.png, in the paper's layout) and summary.json into DIR."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("name"), QStringLiteral("Preset name (see --list)."));
    const QCommandLineOption listOption(QStringLiteral("list"), QStringLiteral("List the presets with an estimated time."));
    const QCommandLineOption outOption(QStringLiteral("out"), QStringLiteral("Output folder."), QStringLiteral("dir"));
    const QCommandLineOption setOption(QStringLiteral("set"), QStringLiteral("Override a config key in every run, e.g. --set steps=500."),
                                       QStringLiteral("key=value"));
    const QCommandLineOption scaleOption(QStringLiteral("scale"), QStringLiteral("Figure resolution factor."), QStringLiteral("n"),
                                         QStringLiteral("2"));
    const QCommandLineOption checkpointsOption(QStringLiteral("checkpoints"), QStringLiteral("Also save every run's weights."));
    const QCommandLineOption quietOption(QStringLiteral("quiet"), QStringLiteral("No progress bars."));
    const QCommandLineOption jobsOption(QStringLiteral("jobs"),
                                        QStringLiteral("Runs trained at the same time, each on its share of the cores "
                                                       "(default: one per core on a CPU, 1 on CUDA)."),
                                        QStringLiteral("n"));
    const QCommandLineOption formatOption(QStringLiteral("format"),
                                          QStringLiteral("Figure formats, comma-separated: png, svg, pdf (e.g. png,svg)."),
                                          QStringLiteral("list"), QStringLiteral("png"));
    parser.addOptions({listOption, outOption, setOption, scaleOption, formatOption, checkpointsOption, quietOption, jobsOption});
    if (!parser.parse(arguments)) {
        std::fprintf(stderr, "identitylab-cli reproduce: %s\n", qPrintable(parser.errorText()));
        return ExitUsage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::printf("%s", qPrintable(parser.helpText()));
        return ExitOk;
    }
    const DataLocations data = DataLocations::fromEnvironment();
    if (data.resourcesDir.empty()) {
        std::fprintf(stderr, "identitylab-cli reproduce: IdentityLab's resources folder was not found; set IDENTITYLAB_RESOURCES\n");
        return ExitFailed;
    }
    if (parser.isSet(listOption)) return listPresets(data);
    if (parser.positionalArguments().size() != 1 || !parser.isSet(outOption)) {
        std::fprintf(stderr, "identitylab-cli reproduce: give one preset name and --out DIR (see --list)\n");
        return ExitUsage;
    }

    const std::string name = parser.positionalArguments().front().toStdString();
    Preset preset;
    QStringList formats;
    try {
        formats = ui::figureFormats(parser.value(formatOption));
        const std::string path = presetPath(data.resourcesDir, name);
        if (!QFileInfo::exists(QString::fromStdString(path)))
            throw ConfigError("no preset named \"" + name + "\" (see identitylab-cli reproduce --list)");
        // --set overrides apply on top of every run's config.
        json::Value raw = json::parseFile(path);
        for (json::Value& run : raw["runs"].asArray())
            for (const QString& assignment : parser.values(setOption)) {
                json::Value& set = run["set"];
                applyOverride(set, assignment.toStdString());
            }
        preset = presetFromJson(raw, path);
    } catch (const Error& e) {
        std::fprintf(stderr, "identitylab-cli reproduce: %s\n", e.what());
        return ExitUsage;
    }
    if (preset.requires == "cifar10" && data.cifarDir.empty()) {
        std::fprintf(stderr,
                     "identitylab-cli reproduce: preset \"%s\" needs CIFAR-10: download the binary version "
                     "(cifar-10-binary.tar.gz), unpack it and set IDENTITYLAB_CIFAR_DIR to its folder\n",
                     name.c_str());
        return ExitUsage;
    }

    const QDir out(parser.value(outOption));
    if (!out.mkpath(QStringLiteral("."))) {
        std::fprintf(stderr, "identitylab-cli reproduce: cannot create %s\n", qPrintable(out.path()));
        return ExitFailed;
    }
    installInterruptHandler();
    ensureComputeThreadsConfigured();
    const int jobs = parser.isSet(jobsOption) ? std::max(1, parser.value(jobsOption).toInt()) : defaultJobs(preset);
    if (jobs > 1) setComputeThreads(threadsPerRun(jobs));
    std::fprintf(stderr, "%s\n%s\n%zu runs, %d at a time, estimated %s\n", preset.title.c_str(), preset.description.c_str(),
                 preset.runs.size(), jobs,
                 formatMinutes(estimatedPresetSeconds(preset, computeThreads(), calibrateSpeed(data, computeThreads()), jobs)).c_str());

    ui::FigureStyle style;
    style.scale = std::max(1, parser.value(scaleOption).toInt());
    const auto start = std::chrono::steady_clock::now();

    // What each run adds to the figure, kept by preset index so the figure's rows follow the
    // preset whatever order the runs finish in.
    struct RunPart {
        bool present = false;
        std::vector<ui::ProbeGridRow> gridRows;
        ui::RhoRun rho;
        ui::LayerErrorRun layers;
        QImage activations;          // one colour scale for the whole network
        QImage activationsPerLayer;  // each layer its own scale, as the paper's figures look
        json::Value summary;
    };
    std::vector<RunPart> parts(preset.runs.size());
    bool interrupted = false;
    int failures = 0;

    PresetRunnerOptions runnerOptions;
    runnerOptions.jobs = jobs;
    runnerOptions.quiet = parser.isSet(quietOption);
    runnerOptions.withLayerClassifier = preset.figure == PresetFigure::LayerClassifier;
    runnerOptions.layerClassifierImages = preset.layerClassifierImages;
    runPreset(preset, data, runnerOptions, [&](std::size_t i, PresetRunResult& result) {
        const PresetRun& run = preset.runs[i];
        const QString label = QString::fromStdString(run.label);
        if (!result.error.empty()) {
            std::fprintf(stderr, "  %s failed: %s\n", run.label.c_str(), result.error.c_str());
            ++failures;
            return;
        }
        TrainingSession& session = *result.session;
        const RunMetrics& metrics = result.metrics;
        interrupted = interrupted || metrics.stopReason == StopReason::Cancelled;
        if (metrics.stopReason == StopReason::Diverged) ++failures;
        std::fprintf(stderr, "  %s: %s, %.0f s; ", run.label.c_str(), toString(metrics.stopReason), metrics.seconds);
        for (const GroupSummary& g : metrics.groups)
            std::fprintf(stderr, "%s %.2f/%.2f  ", toString(g.group), g.corrIdentity, g.corrConstant);
        std::fprintf(stderr, "(corr identity/constant)\n");
        try {
            ui::RunFolderOptions options;
            options.scale = style.scale;
            options.checkpoint = parser.isSet(checkpointsOption);
            options.formats = formats;
            options.label = label;
            options.data = data;
            ui::writeRunFolder(out.filePath(slug(run.label)), session, metrics, options);

            RunPart& part = parts[i];
            part.gridRows.push_back({label, metrics.probes, false});
            for (int size : run.evaluateSizes) {
                if (size == run.config.imageSize) continue;
                std::vector<Probe> resized = session.probes();
                for (Probe& p : resized) p.image = conformImage(p.image, p.image.channels, size);
                part.gridRows.push_back({label + QStringLiteral(" @%1").arg(size), session.evaluateProbes(resized), false});
            }
            part.rho = {label, metrics.rhoSweep};
            part.layers = {label, metrics.layerClassifier};
            if (preset.figure == PresetFigure::Activations) {
                const auto& probes = session.probes();
                const std::vector<Probe> nine(probes.begin(),
                                              probes.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(9, probes.size())));
                const ActivationGrid grid = session.activations(nine, ChannelReduction::Mean);
                ui::ActivationFigureOptions a;
                a.style = style;
                a.showColumnTitles = true;
                part.activations = ui::renderActivationFigure(grid, a);
                a.colorScale = ui::ColorScaleMode::PerLayer;
                part.activationsPerLayer = ui::renderActivationFigure(grid, a);
            }
            part.summary = json::Value::object();
            part.summary["label"] = run.label;
            part.summary["folder"] = slug(run.label).toStdString();
            part.summary["config"] = configToJson(run.config);
            part.summary["metrics"] = metricsToJson(metrics);
            part.present = true;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "  %s: writing its results failed: %s\n", run.label.c_str(), e.what());
            ++failures;
        }
    });
    interrupted = interrupted || interruptRequested();

    ui::ProbeGridData grid;
    std::vector<ui::RhoRun> rhoRuns;
    std::vector<ui::LayerErrorRun> layerRuns;
    std::vector<std::pair<QString, QImage>> activationParts, activationPartsPerLayer;
    json::Value summaryRuns = json::Value::array();
    for (std::size_t i = 0; i < parts.size(); ++i) {
        RunPart& part = parts[i];
        if (!part.present) continue;
        for (auto& row : part.gridRows) grid.rows.push_back(std::move(row));
        rhoRuns.push_back(part.rho);
        if (preset.figure == PresetFigure::LayerClassifier) layerRuns.push_back(part.layers);
        if (!part.activations.isNull()) {
            activationParts.push_back({QString::fromStdString(preset.runs[i].label), part.activations});
            activationPartsPerLayer.push_back({QString::fromStdString(preset.runs[i].label), part.activationsPerLayer});
        }
        summaryRuns.push_back(part.summary);
    }

    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    QImage figure;
    QImage perLayerFigure;  // the activation figures also with a colour scale per layer
    // Rows of one resolution only: the image-size preset mixes sizes, which the grid scales per cell.
    switch (preset.figure) {
        case PresetFigure::ProbeGrid: {
            ui::ProbeGridOptions o;
            o.style = style;
            o.showCaptions = true;
            o.showColumnTitles = true;
            o.trainingColumns = preset.runs.empty() ? 1 : std::min(3, preset.runs.front().config.trainCount);
            if (!grid.rows.empty()) figure = ui::renderProbeGrid(grid, o);
            break;
        }
        case PresetFigure::Rho:
            figure = ui::renderRhoZonePlot(rhoRuns, ui::defaultPlotSize(), ui::RhoPlotOptions{style, true, true});
            break;
        case PresetFigure::Activations:
            figure = besideEachOther(activationParts, style);
            perLayerFigure = besideEachOther(activationPartsPerLayer, style);
            break;
        case PresetFigure::LayerClassifier:
            figure = ui::renderLayerErrorPlot(layerRuns, ui::defaultPlotSize(), style);
            break;
    }
    json::Value summary = json::Value::object();
    summary["preset"] = preset.name;
    summary["title"] = preset.title;
    summary["figure"] = toString(preset.figure);
    summary["seconds"] = std::round(seconds * 10) / 10;
    summary["threads"] = computeThreads();
    summary["jobs"] = jobs;
    summary["complete"] = !interrupted && failures == 0;
    summary["runs"] = summaryRuns;
    try {
        json::writeFileAtomic(out.filePath(QStringLiteral("summary.json")).toStdString(), summary.dump(2) + "\n");
        for (const QString& format : formats) {
            saveFigure(figure, style.scale, out.filePath(QStringLiteral("figure.") + format));
            saveFigure(perLayerFigure, style.scale, out.filePath(QStringLiteral("figure-per-layer.") + format));
        }
    } catch (const Error& e) {
        std::fprintf(stderr, "identitylab-cli reproduce: %s\n", e.what());
        return ExitFailed;
    }
    std::fprintf(stderr, "%s: %zu runs in %s (%.0f s), %d at a time on %d thread(s) each; %s and summary.json in %s\n", preset.name.c_str(),
                 static_cast<std::size_t>(summaryRuns.size()), formatMinutes(seconds).c_str(), seconds, jobs, computeThreads(),
                 perLayerFigure.isNull() ? "figure.png" : "figure.png, figure-per-layer.png", qPrintable(out.path()));
    if (interrupted) return ExitInterrupted;
    return failures == 0 ? ExitOk : ExitFailed;
}

}  // namespace il::cli
