#pragma once
// A vertical colour bar with ticks, labels to its right, drawn with the same colour table
// as the colour-mapped cells.

#include <QRect>

#include "ui/figures/figure_style.h"
#include "ui/figures/image_convert.h"

class QPainter;

namespace il::ui {

struct ColorBarSpec {
    ColorMap map = ColorMap::Paper;
    double lo = 0.0;
    double hi = 1.0;
    int maxTicks = 5;
    // Label only lo and hi, kept within the bar's height: for the small per-layer bars,
    // where round ticks may not fit and labels of stacked bars must not collide.
    bool endsOnly = false;
};

// Width (device pixels) that the tick marks and labels need to the right of the bar.
int colorBarLabelsWidth(const ColorBarSpec& spec, const FigureStyle& style);

// Draws the bar into `bar` (device pixels; low values at the bottom) and its ticks and
// labels to the right of it.
void drawColorBar(QPainter& painter, const QRect& bar, const ColorBarSpec& spec, const FigureStyle& style);

}  // namespace il::ui
