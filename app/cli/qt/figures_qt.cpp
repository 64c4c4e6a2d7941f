// The full build's figures.h: each run's figures through ui/export (the same files the app's
// "Export run as folder" writes) and a sweep's figures, drawn from its run folders, so that runs
// trained on a node without Qt are drawn here the same way: the paper's layout (figure), the
// statistics over seeds (ensemble) and the phase diagram (phase).

#include "../figures.h"

#include <QPainter>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "engine/core/errors.h"
#include "engine/io/run_folder_reader.h"
#include "engine/sweep/phase_diagram.h"
#include "engine/sweep/task_folder.h"
#include "qt_runtime.h"
#include "ui/export/run_export.h"
#include "ui/figures/activation_figure.h"
#include "ui/figures/plots.h"
#include "ui/figures/probe_grid.h"
#include "ui/figures/sweep_figures.h"
#include "ui/figures/vector_export.h"

namespace il::cli {

namespace {

QStringList qtFormats(const std::vector<std::string>& formats)
{
    QStringList list;
    for (const std::string& f : formats) list << QString::fromStdString(f);
    return list;
}

// Side by side, each under its title: the activation figures of several networks.
QImage besideEachOther(const std::vector<std::pair<QString, QImage>>& parts, const ui::FigureStyle& style)
{
    if (parts.empty()) return {};
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

// The runs the figure shows: the first seed of every cell, in task order, so that a sweep
// over seeds draws the paper's figure once (its statistics are in summary.json).
std::vector<const CollectedRun*> figureRuns(const SweepCollection& sweep)
{
    std::vector<const CollectedRun*> runs;
    std::set<std::string> cells;
    for (const CollectedRun& run : sweep.runs)
        if (cells.insert(run.task.cell).second) runs.push_back(&run);
    return runs;
}

}  // namespace

bool drawsFigures() { return true; }

std::vector<std::string> writeRunOutputs(const std::string& folder, const TrainingSession& session, const RunMetrics& metrics,
                                         const RunOutputOptions& options)
{
    ensureQtApplication();
    ui::RunFolderOptions o;
    o.scale = options.figures.scale;
    o.formats = qtFormats(options.figures.formats);
    o.checkpoint = options.checkpoint;
    o.label = QString::fromStdString(options.label);
    o.data = options.data;
    o.started = options.started;
    o.evaluateSizes = options.evaluateSizes;
    std::vector<std::string> written;
    for (const QString& path : ui::writeRunFolder(QString::fromStdString(folder), session, metrics, o)) written.push_back(path.toStdString());
    return written;
}

std::vector<std::string> writeSweepFigures(const SweepCollection& sweep, const FigureOptions& options)
{
    const std::vector<const CollectedRun*> runs = figureRuns(sweep);
    if (runs.empty()) return {};
    ensureQtApplication();
    ui::FigureStyle style;
    style.scale = options.scale;
    const std::string& kind = sweep.plan.plan.figure;
    const bool seeded = runs.size() < sweep.runs.size();

    ui::ProbeGridData grid;
    std::vector<ui::RhoRun> rhoRuns;
    std::vector<ui::LayerErrorRun> layerRuns;
    std::vector<std::pair<QString, QImage>> activations, activationsPerLayer;
    int trainingColumns = 1;
    for (const CollectedRun* run : runs) {
        // A folder collectSweep read but whose arrays are damaged: named, and left out.
        RunFolderContent content;
        try {
            content = readRunFolder(taskFolderPath(sweep.dir, run->task));
        } catch (const Error& e) {
            std::fprintf(stderr, "  %s left out of the figure: %s\n", run->task.label.c_str(), e.what());
            continue;
        }
        const QString label = QString::fromStdString(seeded ? run->task.cell : run->task.label);
        if (grid.rows.empty()) trainingColumns = std::min(3, content.config.trainCount);
        if (!content.metrics.probes.empty()) grid.rows.push_back({label, content.metrics.probes, false});
        for (const ProbesAtSize& extra : content.probesAtSizes)
            grid.rows.push_back({label + QStringLiteral(" @%1").arg(extra.size), extra.probes, false});
        rhoRuns.push_back({label, content.metrics.rhoSweep});
        layerRuns.push_back({label, content.metrics.layerClassifier});
        if (kind == "activations" && !content.activations.maps.empty()) {
            ui::ActivationFigureOptions a;
            a.style = style;
            a.showColumnTitles = true;
            activations.push_back({label, ui::renderActivationFigure(content.activations, a)});
            a.colorScale = ui::ColorScaleMode::PerLayer;
            activationsPerLayer.push_back({label, ui::renderActivationFigure(content.activations, a)});
        }
    }

    QImage figure, perLayer;
    if (kind == "rho") {
        figure = ui::renderRhoZonePlot(rhoRuns, ui::defaultPlotSize(), ui::RhoPlotOptions{style, true, true});
    } else if (kind == "activations") {
        figure = besideEachOther(activations, style);
        perLayer = besideEachOther(activationsPerLayer, style);
    } else if (kind == "layer_classifier") {
        figure = ui::renderLayerErrorPlot(layerRuns, ui::defaultPlotSize(), style);
    } else if (!grid.rows.empty()) {
        ui::ProbeGridOptions o;
        o.style = style;
        o.showCaptions = true;
        o.showColumnTitles = true;
        o.trainingColumns = trainingColumns;
        figure = ui::renderProbeGrid(grid, o);
    }

    std::vector<std::string> written;
    const std::filesystem::path dir(sweep.dir);
    auto save = [&](const QImage& image, const std::string& name) {
        if (image.isNull()) return;
        for (const std::string& format : options.formats) {
            const std::string path = (dir / (name + "." + format)).string();
            QString error;
            if (!ui::saveFigureFile(image, options.scale, QString::fromStdString(path), &error)) throw Error(error.toStdString());
            written.push_back(path);
        }
    };
    save(figure, "figure");
    save(perLayer, "figure-per-layer");
    // The statistics over seeds, where cells have several; the phase diagram, where the sweep
    // has several cells with rho sweeps.
    if (std::any_of(sweep.cells.begin(), sweep.cells.end(), [](const EnsembleCell& c) { return c.n > 1; }))
        save(ui::renderEnsembleFigure(sweep.cells, style), "ensemble");
    const PhaseDiagram phase = phaseDiagram(sweep);
    if (phase.cells.size() > 1) save(ui::renderPhaseDiagram(phase, style), "phase");
    return written;
}

}  // namespace il::cli
