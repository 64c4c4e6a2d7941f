#pragma once
// Rendering a configured QCustomPlot without showing it: to a QImage (for PNG files and the
// CLI, which runs offscreen) and to PDF. Both need a QApplication; neither needs a window.
// SVG: ui/figures/vector_export.h.

#include <QImage>
#include <QSize>
#include <QString>

class QCustomPlot;

namespace il::ui {

// Lays the plot out at `logicalSize` and paints it with every size multiplied by `scale`:
// the image is logicalSize * scale pixels and looks the same at 1x, 2x and 4x.
QImage renderPlot(QCustomPlot& plot, QSize logicalSize, int scale = 1);

// Vector PDF with a page of logicalSize points; written atomically (QSaveFile). On failure
// returns false and describes why in `error`.
bool savePlotPdf(QCustomPlot& plot, const QString& path, QSize logicalSize, QString* error = nullptr);

}  // namespace il::ui
