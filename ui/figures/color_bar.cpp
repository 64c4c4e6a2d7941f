#include "ui/figures/color_bar.h"

#include <QFontMetrics>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <vector>

#include "ui/figures/axis_ticks.h"

namespace il::ui {
namespace {

constexpr int kTickLength = 3;
constexpr int kLabelGap = 3;

void normalise(double& lo, double& hi)
{
    if (!(hi > lo)) hi = lo + 1.0;  // same rule as toColorMapped
}

struct Labelled {
    double value;
    QString text;
};

std::vector<Labelled> tickLabels(const ColorBarSpec& spec, double lo, double hi)
{
    std::vector<Labelled> out;
    if (spec.endsOnly) {
        out.push_back({lo, QString::number(lo, 'g', 3)});
        out.push_back({hi, QString::number(hi, 'g', 3)});
        return out;
    }
    const Ticks ticks = niceTicks(lo, hi, spec.maxTicks);
    for (double v : ticks.values) out.push_back({v, formatTick(v, ticks.step)});
    return out;
}

}  // namespace

int colorBarLabelsWidth(const ColorBarSpec& spec, const FigureStyle& style)
{
    double lo = spec.lo, hi = spec.hi;
    normalise(lo, hi);
    const QFontMetrics metrics(style.font(style.tickPx));
    int widest = 0;
    for (const auto& tick : tickLabels(spec, lo, hi)) widest = std::max(widest, metrics.horizontalAdvance(tick.text));
    return style.px(kTickLength + kLabelGap) + widest;
}

void drawColorBar(QPainter& painter, const QRect& bar, const ColorBarSpec& spec, const FigureStyle& style)
{
    double lo = spec.lo, hi = spec.hi;
    normalise(lo, hi);
    const auto& table = colorMapTable(spec.map);
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, false);
    const int h = bar.height();
    for (int i = 0; i < h; ++i) {
        // Row i from the top shows the value at its centre.
        const double t = h > 1 ? 1.0 - (i + 0.5) / h : 0.5;
        const int index = std::clamp(static_cast<int>(std::lround(t * 255.0)), 0, 255);
        painter.fillRect(QRect(bar.left(), bar.top() + i, bar.width(), 1), QColor(table[static_cast<std::size_t>(index)]));
    }
    QPen pen(style.text);
    pen.setWidth(std::max(1, style.scale));
    pen.setJoinStyle(Qt::MiterJoin);
    painter.setPen(pen);
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(QRectF(bar).adjusted(0.5 * pen.width(), 0.5 * pen.width(), -0.5 * pen.width(), -0.5 * pen.width()));

    painter.setFont(style.font(style.tickPx));
    const QFontMetrics metrics(painter.font());
    for (const auto& tick : tickLabels(spec, lo, hi)) {
        const double t = (tick.value - lo) / (hi - lo);
        const int y = bar.bottom() - static_cast<int>(std::lround(t * (h - 1)));
        painter.fillRect(QRect(bar.right() + 1, y - pen.width() / 2, style.px(kTickLength), pen.width()), style.text);
        const int x = bar.right() + 1 + style.px(kTickLength + kLabelGap);
        int top = y - metrics.height() / 2;
        if (spec.endsOnly) top = std::clamp(top, bar.top(), bar.bottom() + 1 - metrics.height());
        painter.drawText(QRect(x, top, metrics.horizontalAdvance(tick.text) + 2, metrics.height()), Qt::AlignLeft | Qt::AlignVCenter,
                         tick.text);
    }
    painter.restore();
}

}  // namespace il::ui
