#include "ui/figures/figure_style.h"

#include <array>
#include <cmath>

namespace il::ui {

QFont FigureStyle::font(int logicalPx, bool bold, bool italic) const
{
    QFont f(fontFamily);
    f.setStyleHint(QFont::SansSerif);
    f.setPixelSize(px(logicalPx));
    f.setBold(bold);
    f.setItalic(italic);
    return f;
}

QColor runColor(int index)
{
    // Okabe & Ito (2008); yellow is left out, it vanishes on white paper. Then three of Paul
    // Tol's muted colours, so that a figure of up to 10 runs (rho-zones has 8) needs no colour
    // twice.
    static const std::array<QColor, 10> palette = {
        QColor(0, 114, 178),    // blue
        QColor(213, 94, 0),     // vermillion
        QColor(0, 158, 115),    // bluish green
        QColor(204, 121, 167),  // reddish purple
        QColor(230, 159, 0),    // orange
        QColor(86, 180, 233),   // sky blue
        QColor(0, 0, 0),        // black
        QColor(136, 34, 85),    // wine
        QColor(153, 153, 51),   // olive
        QColor(119, 119, 119),  // grey
    };
    const int n = static_cast<int>(palette.size());
    return palette[static_cast<std::size_t>(((index % n) + n) % n)];
}

void setFigureResolution(QImage& image, int scale)
{
    const int dotsPerMeter = static_cast<int>(std::lround(96.0 / 0.0254 * scale));
    image.setDotsPerMeterX(dotsPerMeter);
    image.setDotsPerMeterY(dotsPerMeter);
}

}  // namespace il::ui
