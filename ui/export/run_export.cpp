#include "ui/export/run_export.h"

#include <QDir>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "engine/core/errors.h"
#include "engine/io/run_folder.h"
#include "engine/train/provenance.h"
#include "engine/train/schedule.h"
#include "engine/train/session_output.h"
#include "ui/figures/activation_figure.h"
#include "ui/figures/figure_export.h"
#include "ui/figures/plot_export.h"
#include "ui/figures/plots.h"
#include "ui/figures/probe_grid.h"
#include "ui/figures/vector_export.h"

namespace il::ui {

namespace {

// Writes each figure once per requested format, under the figure's name.
class FigureWriter {
public:
    FigureWriter(const QDir& dir, const RunFolderOptions& options, QStringList& written) : dir_(dir), options_(options), written_(written)
    {
    }

    void image(const QString& name, const QImage& figure)
    {
        for (const QString& format : options_.formats) {
            QString error;
            check(saveFigureFile(figure, options_.scale, target(name, format), &error), error);
        }
    }

    void plot(const QString& name, const std::function<void(QCustomPlot*)>& configure)
    {
        const QSize size = defaultPlotSize();
        for (const QString& format : options_.formats) {
            QCustomPlot plot;
            configure(&plot);
            const QString path = target(name, format);
            QString error;
            const bool ok = format == QLatin1String("svg")   ? savePlotSvg(plot, path, size, &error)
                            : format == QLatin1String("pdf") ? savePlotPdf(plot, path, size, &error)
                                                             : savePng(renderPlot(plot, size, options_.scale), path, &error);
            check(ok, error);
        }
    }

private:
    QString target(const QString& name, const QString& format)
    {
        written_ << dir_.filePath(name + QLatin1Char('.') + format);
        return written_.back();
    }
    static void check(bool ok, const QString& error)
    {
        if (!ok) throw Error(error.toStdString());
    }

    const QDir& dir_;
    const RunFolderOptions& options_;
    QStringList& written_;
};

void writeFigures(FigureWriter& out, const RunContent& run, const RunFolderOptions& options)
{
    const QString label = options.label.isEmpty() ? runLabel(run.config) : options.label;
    FigureStyle style;
    style.scale = options.scale;

    ProbeGridData grid;
    grid.rows.push_back({label, run.metrics.probes, false});
    if (!run.theoryName.isEmpty() && run.theoryOutputs.size() == run.metrics.probes.size() && !run.metrics.probes.empty()) {
        ProbeGridRow theory{run.theoryName, run.metrics.probes, true};
        for (std::size_t i = 0; i < theory.outcomes.size(); ++i) theory.outcomes[i].output = run.theoryOutputs[i];
        grid.rows.push_back(theory);
    }
    ProbeGridOptions gridOptions;
    gridOptions.style = style;
    gridOptions.showCaptions = true;
    gridOptions.showColumnTitles = true;
    gridOptions.trainingColumns = run.trainingColumns;
    out.image(QStringLiteral("probes"), renderProbeGrid(grid, gridOptions));

    if (!run.activations.maps.empty()) {
        ActivationFigureOptions activationOptions;
        activationOptions.style = style;
        activationOptions.showColumnTitles = true;
        out.image(QStringLiteral("activations"), renderActivationFigure(run.activations, activationOptions));
    }
    if (!run.metrics.rhoSweep.empty())
        out.plot(QStringLiteral("rho"), [&](QCustomPlot* plot) {
            configureRhoZonePlot(plot, {{label, run.metrics.rhoSweep}}, RhoPlotOptions{style, true, true});
        });
    out.plot(QStringLiteral("loss"), [&](QCustomPlot* plot) { configureLossPlot(plot, {{label, run.loss}}, run.decaySteps, style); });
    if (!run.metrics.layerClassifier.layers.empty())
        out.plot(QStringLiteral("layer_classifier"), [&](QCustomPlot* plot) {
            configureLayerErrorPlot(plot, {{label, run.metrics.layerClassifier}}, style);
        });
}

}  // namespace

QString runLabel(const ExperimentConfig& config) { return QString::fromStdString(describeModel(config)); }

QStringList figureFormats(const QString& commaSeparated)
{
    QStringList formats;
    for (const QString& part : commaSeparated.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString format = part.trimmed().toLower();
        if (format != QLatin1String("png") && format != QLatin1String("svg") && format != QLatin1String("pdf"))
            throw ConfigError("unknown figure format \"" + format.toStdString() + "\"; accepted: png, svg, pdf");
        if (!formats.contains(format)) formats << format;
    }
    if (formats.isEmpty()) throw ConfigError("no figure format given; accepted: png, svg, pdf");
    return formats;
}

QStringList writeRunFolder(const QString& folder, const RunContent& run, const RunFolderOptions& options,
                           const CheckpointWriter& writeCheckpoint)
{
    const Provenance provenance = runProvenance(run.config, run.metrics, options.data, options.started);
    const RunData data{run.config, run.metrics, run.loss, &run.activations, &provenance, {}};
    QStringList written;
    for (const std::string& path : writeRunData(folder.toStdString(), data)) written << QString::fromStdString(path);

    const QDir dir(folder);
    if (options.checkpoint && writeCheckpoint) {
        written << dir.filePath(QStringLiteral("checkpoint.pt"));
        writeCheckpoint(written.back());
    }
    if (options.figures) {
        FigureWriter out(dir, options, written);
        writeFigures(out, run, options);
    }
    return written;
}

QStringList writeRunFolder(const QString& folder, const TrainingSession& session, const RunMetrics& metrics,
                           const RunFolderOptions& options)
{
    const ActivationGrid activations = shownActivations(session, metrics);
    SessionOutputOptions dataOptions;
    dataOptions.activations = &activations;
    dataOptions.checkpoint = options.checkpoint;
    dataOptions.data = options.data;
    dataOptions.started = options.started;
    dataOptions.evaluateSizes = options.evaluateSizes;
    QStringList written;
    for (const std::string& path : writeSessionData(folder.toStdString(), session, metrics, dataOptions))
        written << QString::fromStdString(path);
    if (!options.figures) return written;

    RunContent run;
    run.config = session.config();
    run.metrics = metrics;
    run.loss = session.lossHistory();
    run.decaySteps = decaySteps(session.config().schedule, session.config().steps);
    run.trainingColumns = static_cast<int>(session.trainingImages().size());
    run.activations = activations;
    if (!session.theoryName().empty()) {
        run.theoryName = QString::fromStdString(session.theoryName());
        for (const ProbeOutcome& o : metrics.probes) run.theoryOutputs.push_back(session.theoryPrediction(o.input));
    }
    const QDir dir(folder);
    FigureWriter out(dir, options, written);
    writeFigures(out, run, options);
    return written;
}

}  // namespace il::ui
