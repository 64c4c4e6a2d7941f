#pragma once
// The common look of our QCustomPlot figures (fonts, axis box, grid, legend) and a reset
// that lets the same widget be configured again and again with new data.

#include "ui/figures/figure_style.h"

class QCustomPlot;
class QCPAxisRect;
class QCPLegend;

namespace il::ui {

// Empties the plot (graphs, items, extra axis rects and legends from an earlier
// configuration) and leaves one styled axis rect at (0, 0) with the plot's legend inside
// it, top right, hidden. Fonts ignore style.scale: QCustomPlot scales when rendering.
QCPAxisRect* resetPlot(QCustomPlot* plot, const FigureStyle& style);

// Bottom/left axes with labels, top/right axes as a plain frame, light grid.
void styleAxisRect(QCPAxisRect* rect, const FigureStyle& style);
void styleLegend(QCPLegend* legend, const FigureStyle& style);

// Multiplies every font of a configured plot (axis labels, ticks, titles, legend, text items)
// and the width of its curves by `zoom`: the on-screen plot in presentation mode.
void enlargeText(QCustomPlot* plot, int zoom);

}  // namespace il::ui
