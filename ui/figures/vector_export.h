#pragma once
// Figures and plots as SVG (Qt SVG) and figures as PDF, beside the PNG of figure_export.h and
// the plot PDF of plot_export.h. Written atomically (QSaveFile), like every other export.
//
// Plots (QCustomPlot) become true vector drawings: axes, curves and text are SVG paths and text.
// The probe grids and activation figures are pixel images by nature (each cell is a network's
// output, pixel for pixel); their SVG and PDF hold the rendered figure as one embedded image
// at the chosen resolution, on a page of the figure's logical size, so that they place in a
// vector document (LaTeX, Inkscape) at the right size and stay sharp at the exported scale.

#include <QImage>
#include <QSize>
#include <QString>

class QCustomPlot;

namespace il::ui {

// The plot laid out at `logicalSize` as an SVG of that size (in px, the SVG's user units).
bool savePlotSvg(QCustomPlot& plot, const QString& path, QSize logicalSize, QString* error = nullptr);

// `image` rendered at `scale` (FigureStyle::scale) as an SVG or PDF of image.size() / scale.
bool saveFigureSvg(const QImage& image, int scale, const QString& path, QString* error = nullptr);
bool saveFigurePdf(const QImage& image, int scale, const QString& path, QString* error = nullptr);
// In the format `path` ends with: .svg, .pdf, else PNG.
bool saveFigureFile(const QImage& image, int scale, const QString& path, QString* error = nullptr);

}  // namespace il::ui
