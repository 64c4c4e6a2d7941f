#pragma once
// The quantitative figures, drawn with QCustomPlot: correlation vs rho with the Zones A-D,
// the loss curve, and the layer-wise classifier error.
// Each comes twice: configureX fills a given QCustomPlot (the GUI shows it live in a widget
// and calls it again with new data), renderX draws the same plot offscreen to a QImage
// (the CLI, PNG export). Sizes in the style are logical; FigureStyle::scale only matters
// when rendering, where it multiplies every size (see renderPlot).

#include <QImage>
#include <QSize>
#include <QString>

#include <vector>

#include "engine/train/results.h"
#include "ui/figures/figure_style.h"
#include "ui/figures/plot_export.h"

class QCustomPlot;

namespace il::ui {

inline QSize defaultPlotSize() { return QSize(720, 460); }

// --- correlation vs rho, with Zones A-D ---------------------------------------------------
struct RhoRun {
    QString label;                     // "CNN 5"
    std::vector<il::RhoPoint> points;  // ascending rho
};

struct RhoPlotOptions {
    FigureStyle style;
    bool showSpread = true;  // mean +- std band around each curve, when the run has spreads
    bool showZones = true;   // the zone strip under the plot and the A-D legend
};

void configureRhoZonePlot(QCustomPlot* plot, const std::vector<RhoRun>& runs, const RhoPlotOptions& options = {});
QImage renderRhoZonePlot(const std::vector<RhoRun>& runs, QSize logicalSize = defaultPlotSize(), const RhoPlotOptions& options = {});

// Zone colours and the wording used in the legend, shared with any GUI widget that shows zones.
QColor zoneColor(il::Zone zone);
QString zoneLetter(il::Zone zone);
QString zoneDescription(il::Zone zone);

// --- loss curve ---------------------------------------------------------------------------
struct LossRun {
    QString label;  // empty for a single unnamed run
    std::vector<il::LossPoint> points;
};

// Log-scale loss against step; a dashed vertical line at each learning-rate decay step.
// Non-positive and non-finite losses are left out (they have no place on a log axis).
void configureLossPlot(QCustomPlot* plot, const std::vector<LossRun>& runs, const std::vector<int>& decaySteps,
                       const FigureStyle& style = {});
QImage renderLossPlot(const std::vector<LossRun>& runs, const std::vector<int>& decaySteps, QSize logicalSize = defaultPlotSize(),
                      const FigureStyle& style = {});

// --- layer-wise classifier error ----------------------------------------------------------
struct LayerErrorRun {
    QString label;  // "CNN 20"
    il::LayerClassifierCurve curve;
};

// Error (in %) against layer index, one curve per run; the x ticks name the layers of the
// deepest run.
void configureLayerErrorPlot(QCustomPlot* plot, const std::vector<LayerErrorRun>& runs, const FigureStyle& style = {});
QImage renderLayerErrorPlot(const std::vector<LayerErrorRun>& runs, QSize logicalSize = defaultPlotSize(), const FigureStyle& style = {});

}  // namespace il::ui
