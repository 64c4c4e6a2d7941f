#pragma once
// The Qt application object the figures need (fonts, QPainter, QCustomPlot's widgets), created
// on first use on the calling thread, on Qt's offscreen platform unless the user chose one: the
// CLI draws without a display.

namespace il::cli {

void ensureQtApplication();

}  // namespace il::cli
