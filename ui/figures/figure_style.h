#pragma once
// One look for every figure the app writes (probe grids, activation maps, plots), so a
// figure made by the GUI and one made by the CLI for a paper cannot drift apart.
// Sizes are in pixels at scale 1; `scale` multiplies every one of them, so a 2x or 4x
// figure is the same drawing with sharper pixels, not a different layout.
//
// Text needs a QGuiApplication (the CLI creates a QApplication and runs offscreen). The
// QImage figures (probe grid, activations) may be drawn on any thread; the QCustomPlot
// ones only on the GUI thread, because QCustomPlot is a widget.

#include <QColor>
#include <QFont>
#include <QImage>
#include <QString>

namespace il::ui {

struct FigureStyle {
    int scale = 1;  // 1 screen, 2 or 4 for print
    QString fontFamily = QStringLiteral("DejaVu Sans");
    int labelPx = 13;   // row labels, axis labels
    int tickPx = 11;    // tick labels, legends, column titles
    int captionPx = 9;  // per-cell correlation captions
    int titlePx = 14;
    int margin = 10;  // white space around the whole figure
    QColor background = QColor(255, 255, 255);
    QColor text = QColor(34, 34, 34);
    QColor separator = QColor(222, 45, 38);  // the paper's red dashed line

    int px(int logical) const { return logical * scale; }
    // Fonts are sized in pixels, not points: the offscreen platform of the CLI and a
    // desktop screen report different DPIs, and a figure must not depend on either.
    QFont font(int logicalPx, bool bold = false, bool italic = false) const;
};

// Distinct colours for runs in plots: 10 of them (Okabe-Ito, safe for colour-blind readers,
// then three of Paul Tol's muted set), repeating after that.
QColor runColor(int index);

// Records the physical resolution so that a 2x figure imports into LaTeX or a word
// processor at the same physical size as the 1x one (96 dpi times scale).
void setFigureResolution(QImage& image, int scale);

}  // namespace il::ui
