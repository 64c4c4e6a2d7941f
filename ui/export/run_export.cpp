#include "ui/export/run_export.h"

#include <QDir>
#include <QSaveFile>

#include <cmath>

#include "engine/config/config_json.h"
#include "engine/core/errors.h"
#include "engine/train/metrics_json.h"
#include "engine/train/schedule.h"
#include "ui/figures/activation_figure.h"
#include "ui/figures/figure_export.h"
#include "ui/figures/plots.h"
#include "ui/figures/probe_grid.h"

namespace il::ui {

namespace {

void writeText(const QString& path, const std::string& text) {
    QSaveFile file(path);  // atomic: a temporary file renamed over the target on commit
    if (!file.open(QIODevice::WriteOnly) || file.write(text.data(), static_cast<qint64>(text.size())) != qint64(text.size()) ||
        !file.commit())
        throw Error("cannot write " + path.toStdString() + ": " + file.errorString().toStdString());
}

void writeImage(const QString& path, const QImage& image) {
    QString error;
    if (!savePng(image, path, &error)) throw Error("cannot write " + path.toStdString() + ": " + error.toStdString());
}

}  // namespace

QString runLabel(const ExperimentConfig& config) { return QString::fromStdString(describeModel(config)); }

QStringList writeRunFolder(const QString& folder, const TrainingSession& session, const RunMetrics& metrics,
                           const RunFolderOptions& options) {
    QDir dir(folder);
    if (!dir.mkpath(QStringLiteral(".")))
        throw Error("cannot create the folder " + folder.toStdString() + " (check that it is writable)");
    QStringList written;
    auto path = [&](const char* name) {
        written << dir.filePath(QString::fromLatin1(name));
        return written.back();
    };
    writeText(path("config.json"), configToJson(session.config()).dump(2) + "\n");
    writeText(path("metrics.json"), metricsToJson(metrics).dump(2) + "\n");
    writeText(path("loss.csv"), lossCsv(session.lossHistory()));
    if (options.checkpoint) {
        const QString checkpoint = path("checkpoint.pt");
        session.saveCheckpoint(checkpoint.toStdString());
    }
    if (!options.figures) return written;

    const QString label = options.label.isEmpty() ? runLabel(session.config()) : options.label;
    FigureStyle style;
    style.scale = options.scale;

    ProbeGridData grid;
    grid.rows.push_back({label, metrics.probes, false});
    if (!session.theoryName().empty() && !metrics.probes.empty()) {
        ProbeGridRow theory{QString::fromStdString(session.theoryName()), metrics.probes, true};
        for (ProbeOutcome& o : theory.outcomes) o.output = session.theoryPrediction(o.input);
        grid.rows.push_back(theory);
    }
    ProbeGridOptions gridOptions;
    gridOptions.style = style;
    gridOptions.showCaptions = true;
    gridOptions.showColumnTitles = true;
    gridOptions.trainingColumns = static_cast<int>(session.trainingImages().size());
    writeImage(path("probes.png"), renderProbeGrid(grid, gridOptions));

    // The paper's activation figures use nine probes: training image, blend, digits, Fashion
    // items and the first patterns.
    const auto& probes = session.probes();
    const std::vector<Probe> activationProbes(probes.begin(), probes.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(9, probes.size())));
    ActivationFigureOptions activationOptions;
    activationOptions.style = style;
    activationOptions.showColumnTitles = true;
    if (std::isfinite(metrics.finalLoss))
        writeImage(path("activations.png"),
                   renderActivationFigure(session.activations(activationProbes, ChannelReduction::Mean), activationOptions));

    if (!metrics.rhoSweep.empty())
        writeImage(path("rho.png"), renderRhoZonePlot({{label, metrics.rhoSweep}}, defaultPlotSize(), RhoPlotOptions{style, true, true}));
    writeImage(path("loss.png"), renderLossPlot({{label, session.lossHistory()}},
                                                decaySteps(session.config().schedule, session.config().steps),
                                                defaultPlotSize(), style));
    if (!metrics.layerClassifier.layers.empty())
        writeImage(path("layer_classifier.png"), renderLayerErrorPlot({{label, metrics.layerClassifier}}, defaultPlotSize(), style));
    return written;
}

}  // namespace il::ui
