#pragma once
// The paper's activation figures: one row per layer (input on top, output at the bottom),
// one column per probe; hidden layers colour-mapped, input and output in grey as the paper
// shows them, and a colour bar with ticks.

#include <QImage>

#include <vector>

#include "engine/train/results.h"
#include "ui/figures/figure_style.h"
#include "ui/figures/image_convert.h"

namespace il::ui {

enum class ColorScaleMode {
    Shared,    // one range for every coloured row, one colour bar: rows are comparable
    PerLayer,  // each row its own min..max and its own small bar: shows structure in quiet layers
};

struct ActivationFigureOptions {
    FigureStyle style;
    int cellSize = 56;
    int cellGap = 4;
    ColorMap colorMap = ColorMap::Paper;
    ColorScaleMode colorScale = ColorScaleMode::Shared;
    bool fixedRange = false;        // Shared only: use [lo, hi] instead of the data's min..max
    double lo = 0.0;
    double hi = 1.0;
    bool greyInputAndOutput = true; // first and last rows in grey, clipped to [0, 1] (paper)
    bool showRowLabels = true;
    bool showColumnTitles = false;
    int labelWidth = 0;             // logical px; 0 fits the widest layer name
    bool showColorBar = true;
};

struct ActivationRowStyle {
    bool grey = false;   // drawn as an image in [0, 1], no colour map
    double lo = 0.0;     // colour range of the row (grey rows: 0 and 1)
    double hi = 1.0;
};

// How each row of `grid` will be drawn; the GUI uses it for tool tips.
std::vector<ActivationRowStyle> activationRowStyles(const il::ActivationGrid& grid, const ActivationFigureOptions& options = {});

QImage renderActivationFigure(const il::ActivationGrid& grid, const ActivationFigureOptions& options = {});

}  // namespace il::ui
