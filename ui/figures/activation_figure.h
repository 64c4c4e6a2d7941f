#pragma once
// The paper's activation figures: one row per layer (input on top, output at the bottom),
// one column per probe; hidden layers colour-mapped, input and output in grey as the paper
// shows them, and a colour bar with ticks.

#include <QImage>
#include <QPoint>
#include <QRect>
#include <QSize>

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
    bool fixedRange = false;  // Shared only: use [lo, hi] instead of the data's min..max
    double lo = 0.0;
    double hi = 1.0;
    bool greyInputAndOutput = true;  // first and last rows in grey, clipped to [0, 1] (paper)
    bool showRowLabels = true;
    bool showColumnTitles = false;
    int labelWidth = 0;  // logical px, at least: a wider layer name widens the label column
    bool showColorBar = true;
    // The grid drawn is rows [firstRow, firstRow + its rows) of a grid of `totalRows` rows (0:
    // it is the whole grid), so that a deep network's layers can be wrapped into side-by-side
    // blocks: the grey rows stay the whole grid's input and output.
    int firstRow = 0;
    int totalRows = 0;
};

// Rows [first, first + count) of `grid`, for one block of a wrapped figure.
il::ActivationGrid activationRows(const il::ActivationGrid& grid, int first, int count);

struct ActivationRowStyle {
    bool grey = false;  // drawn as an image in [0, 1], no colour map
    double lo = 0.0;    // colour range of the row (grey rows: 0 and 1)
    double hi = 1.0;
};

// How each row of `grid` will be drawn; the GUI uses it for tool tips.
std::vector<ActivationRowStyle> activationRowStyles(const il::ActivationGrid& grid, const ActivationFigureOptions& options = {});

// Where everything goes, in device pixels (scale applied). The renderer draws from it; a
// view uses it to find the cell under the mouse instead of repeating the arithmetic.
struct ActivationFigureLayout {
    QSize size;
    int rows = 0;
    int columns = 0;
    int cellSize = 0;
    int cellGap = 0;
    int labelLeft = 0;
    int labelWidth = 0;     // 0 when row labels are off
    int titleLines = 0;     // lines of column titles above the first row
    // Cells too narrow for a title's words (a deep network's grid in a small pane): the titles
    // are written upwards, whole, in a band this tall, instead of cut to "m...".
    bool titlesRotated = false;
    int titleHeight = 0;  // of the titles' band, rotated or not (0 without titles)
    std::vector<int> rowY;  // top of each row (grey rows are set apart by a gap)
    int cellsLeft = 0;      // left edge of column 0; columns are evenly spaced
    bool colorBars = false;
    int barX = 0;  // left edge of the colour bar(s)
    int barWidth = 0;

    QRect cellRect(int row, int column) const;
    // (column, row) of the cell containing pos, or (-1, -1) when pos is in no cell.
    QPoint cellAt(QPoint pos) const;
};

ActivationFigureLayout activationFigureLayout(const il::ActivationGrid& grid, const ActivationFigureOptions& options = {});

QImage renderActivationFigure(const il::ActivationGrid& grid, const ActivationFigureOptions& options = {});

}  // namespace il::ui
