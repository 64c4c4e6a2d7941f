#pragma once
// The figures of a sweep's statistics, drawn with QPainter (any thread, any scale):
//   ensemble: per cell of the plan, the share of each outcome over its seeds (stacked bars, n on
//             top, a whisker for the 95 % Wilson interval of the identity share) and the
//             held-out probes' mean correlation with the identity and with the constant, with a
//             band of one standard deviation over the seeds;
//   phase:    the paper's Figure 4 over a whole sweep: cells down, rho across, the mean
//             correlation with the identity and with the constant as two heatmaps, each square
//             lettered with its zone and the zones' borders drawn thick.
// The CLI's collect writes them as ensemble.png and phase.png; the app shows the same.

#include <QImage>

#include <vector>

#include "engine/metrics/ensemble.h"
#include "engine/sweep/phase_diagram.h"
#include "ui/figures/figure_style.h"

namespace il::ui {

// A null image for no cells.
QImage renderEnsembleFigure(const std::vector<il::EnsembleCell>& cells, const FigureStyle& style = {});

// A null image for an empty diagram.
QImage renderPhaseDiagram(const il::PhaseDiagram& diagram, const FigureStyle& style = {});

// The colour of each outcome in the ensemble figure (and the app's outcome badges).
QColor outcomeColor(il::Outcome outcome);

}  // namespace il::ui
