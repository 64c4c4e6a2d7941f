#pragma once
// The paper's Figures 2 and 3: one row per model, one column per probe, an optional row of
// inputs on top, the training column set apart by a red dashed line, optional captions with
// the correlations to identity and constant under each cell.

#include <QImage>
#include <QPoint>
#include <QRect>
#include <QSize>
#include <QString>

#include <vector>

#include "engine/train/results.h"
#include "ui/figures/figure_style.h"

namespace il::ui {

struct ProbeGridRow {
    QString label;                           // "CNN 5"; '\n' breaks it ("6-layer\nReLU")
    std::vector<il::ProbeOutcome> outcomes;  // one per column; the output is drawn
    // A row that is not a trained model, e.g. Theorem 1's prediction: set apart by a wider
    // gap and an italic label so nobody reads it as one more depth.
    bool reference = false;
};

struct ProbeGridData {
    // The input row is taken from the first row's outcome.input, so every row must list the
    // same probes in the same order.
    std::vector<ProbeGridRow> rows;
};

struct ProbeGridOptions {
    FigureStyle style;
    int cellSize = 56;  // logical px; a 28x28 image is upscaled by the largest integer that fits
    int cellGap = 4;
    int labelWidth = 0;  // logical px of the label column; 0 fits the widest label
    bool showInputRow = true;
    QString inputLabel = QStringLiteral("Input");
    bool showCaptions = false;      // "id .97 / c .12" under each model cell
    bool showColumnTitles = false;  // the probe names above the columns
    int trainingColumns = 1;        // columns left of the red dashed line; 0 draws none
};

// Where everything goes, in device pixels (scale applied). Rendering and tests share it.
struct ProbeGridLayout {
    QSize size;
    int columns = 0;
    int cellSize = 0;
    int captionHeight = 0;         // below each model cell; 0 without captions
    bool captionTwoLines = false;  // "id .97" and "c .12" stacked when one line does not fit
    int labelLeft = 0;
    int labelWidth = 0;
    int separatorX = -1;       // centre of the red dashed line; -1 for none
    std::vector<int> columnX;  // left edge of each column
    std::vector<int> rowY;     // top of each image row; the input row first when shown
    bool hasInputRow = false;

    // row counts the input row when shown: row 0 is then the inputs, row 1 the first model.
    QRect cellRect(int row, int column) const;
    // (column, row) of the cell containing pos, counted as in cellRect, or (-1, -1).
    QPoint cellAt(QPoint pos) const;
};

ProbeGridLayout probeGridLayout(const ProbeGridData& data, const ProbeGridOptions& options = {});
QImage renderProbeGrid(const ProbeGridData& data, const ProbeGridOptions& options = {});

// "id .97 / c .12": two decimals without the leading zero, as the paper prints correlations.
QString correlationCaption(double corrIdentity, double corrConstant);
QString formatCorrelation(double value);

}  // namespace il::ui
