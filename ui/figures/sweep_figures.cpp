#include "ui/figures/sweep_figures.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

#include "ui/figures/color_bar.h"
#include "ui/figures/image_convert.h"

namespace il::ui {

namespace {

// Outcomes bottom to top in the stacked bars: the identity at the base, the constant above the
// mixed results, then the rest.
// The identity at the bottom and the constant at the top, so that each share's interval can be
// read against its own end of the bar; the partial '7' next to the constant.
constexpr Outcome kStackOrder[] = {Outcome::Identity, Outcome::Other, Outcome::Dark, Outcome::Partial, Outcome::Constant};

const QColor kIdentityLine(0, 114, 178);   // Okabe-Ito blue
const QColor kConstantLine(213, 94, 0);    // Okabe-Ito vermillion
const QColor kAxis(120, 120, 120);
const QColor kGrid(230, 230, 230);

// The mean over the held-out groups (all but the training images) of the groups' means and
// standard deviations; NaN when no group has a value.
struct HeldOut {
    double identity = NAN, identityStd = NAN, constant = NAN, constantStd = NAN;
};

HeldOut heldOut(const EnsembleCell& cell)
{
    double si = 0, sis = 0, sc = 0, scs = 0;
    int n = 0, ns = 0;
    for (const GroupStatistics& g : cell.groups) {
        if (g.group == ProbeGroup::Train || !std::isfinite(g.corrIdentity.mean) || !std::isfinite(g.corrConstant.mean)) continue;
        si += g.corrIdentity.mean;
        sc += g.corrConstant.mean;
        ++n;
        if (std::isfinite(g.corrIdentity.stddev) && std::isfinite(g.corrConstant.stddev)) {
            sis += g.corrIdentity.stddev;
            scs += g.corrConstant.stddev;
            ++ns;
        }
    }
    HeldOut h;
    if (n > 0) {
        h.identity = si / n;
        h.constant = sc / n;
    }
    if (ns > 0) {
        h.identityStd = sis / ns;
        h.constantStd = scs / ns;
    }
    return h;
}

QString number(double v, int decimals = 1) { return QString::number(v, 'f', decimals); }

// Cell labels under the columns, turned 40 degrees when they do not fit their column.
int drawColumnLabels(QPainter& p, const std::vector<QString>& labels, int left, int columnWidth, int top, const FigureStyle& style, bool measureOnly)
{
    const QFont font = style.font(style.tickPx);
    const QFontMetrics metrics(font);
    int widest = 0;
    for (const QString& l : labels) widest = std::max(widest, metrics.horizontalAdvance(l));
    const bool turned = widest > columnWidth - style.px(4);
    const int height = turned ? static_cast<int>(widest * 0.65) + metrics.height() : metrics.height() + style.px(4);
    if (measureOnly) return height;
    p.setFont(font);
    p.setPen(style.text);
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const int cx = left + static_cast<int>(i) * columnWidth + columnWidth / 2;
        if (!turned) {
            p.drawText(QRect(cx - columnWidth / 2, top + style.px(2), columnWidth, metrics.height()), Qt::AlignCenter, labels[i]);
            continue;
        }
        p.save();
        p.translate(cx, top + style.px(4));
        p.rotate(40);
        p.drawText(QPoint(0, metrics.ascent() / 2), labels[i]);
        p.restore();
    }
    return height;
}

void drawYAxis(QPainter& p, const QRect& area, double lo, double hi, const std::vector<double>& ticks, const QString& title,
               const FigureStyle& style)
{
    p.setFont(style.font(style.tickPx));
    const QFontMetrics m(p.font());
    for (double t : ticks) {
        const int y = area.bottom() - static_cast<int>(std::lround((t - lo) / (hi - lo) * area.height()));
        p.setPen(QPen(kGrid, style.px(1)));
        p.drawLine(area.left(), y, area.right(), y);
        p.setPen(style.text);
        const QString label = number(t, 1);
        p.drawText(QRect(area.left() - style.px(6) - m.horizontalAdvance(label), y - m.height() / 2, m.horizontalAdvance(label), m.height()),
                   Qt::AlignRight | Qt::AlignVCenter, label);
    }
    p.setPen(QPen(kAxis, style.px(1)));
    p.drawLine(area.bottomLeft(), area.topLeft());
    p.save();
    p.setFont(style.font(style.labelPx));
    p.setPen(style.text);
    p.translate(area.left() - style.px(44), area.center().y());
    p.rotate(-90);
    p.drawText(QRect(-area.height() / 2 - style.px(40), -style.px(10), area.height() + style.px(80), style.px(20)), Qt::AlignCenter, title);
    p.restore();
}

}  // namespace

QColor outcomeColor(Outcome outcome)
{
    switch (outcome) {
        case Outcome::Identity:
            return QColor(0, 158, 115);  // Okabe-Ito bluish green
        case Outcome::Constant:
            return QColor(213, 94, 0);
        case Outcome::Partial:
            return QColor(230, 159, 0);
        case Outcome::Dark:
            return QColor(60, 60, 60);
        case Outcome::Other:
            return QColor(190, 190, 190);
    }
    return QColor(190, 190, 190);
}

QImage renderEnsembleFigure(const std::vector<EnsembleCell>& cells, const FigureStyle& style)
{
    if (cells.empty()) return {};
    const int n = static_cast<int>(cells.size());
    const int column = style.px(std::clamp(720 / n, 44, 96));
    const int left = style.px(70), right = style.px(16), top = style.px(50);
    const int barsHeight = style.px(150), gap = style.px(30), curveHeight = style.px(170);
    std::vector<QString> labels;
    for (const EnsembleCell& c : cells) labels.push_back(QString::fromStdString(c.label));
    QImage scratch(1, 1, QImage::Format_RGB32);
    QPainter measure(&scratch);
    const int labelsHeight = drawColumnLabels(measure, labels, 0, column, 0, style, true);
    measure.end();
    // The outcomes' legend runs along the top: a figure of few cells is made wide enough for it.
    const QFontMetrics legendMetrics(style.font(style.tickPx));
    int legendWidth = left;
    for (Outcome o : kStackOrder)
        legendWidth += style.px(16) + legendMetrics.horizontalAdvance(QString::fromLatin1(toString(o))) + style.px(14);
    const int width = std::max(left + n * column + right + style.px(std::max(0, labelsHeight / style.scale / 2)), legendWidth);
    const int height = top + barsHeight + gap + curveHeight + labelsHeight + style.px(40);
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(style.background);
    setFigureResolution(image, style.scale);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);

    // Legend: the outcomes, then the two curves.
    p.setFont(style.font(style.tickPx));
    const QFontMetrics m(p.font());
    int x = left;
    for (Outcome o : kStackOrder) {
        p.fillRect(QRect(x, style.px(8), style.px(12), style.px(12)), outcomeColor(o));
        x += style.px(16);
        p.setPen(style.text);
        const QString name = QString::fromLatin1(toString(o));
        p.drawText(QPoint(x, style.px(8) + m.ascent() - style.px(1)), name);
        x += m.horizontalAdvance(name) + style.px(14);
    }

    // Outcome shares.
    const QRect bars(left, top, n * column, barsHeight);
    drawYAxis(p, bars, 0.0, 1.0, {0.0, 0.5, 1.0}, QStringLiteral("share of seeds"), style);
    for (int i = 0; i < n; ++i) {
        const EnsembleCell& c = cells[static_cast<std::size_t>(i)];
        const int bx = bars.left() + i * column + column / 6, bw = column * 2 / 3;
        double below = 0.0;
        for (Outcome o : kStackOrder) {
            const int count = c.outcomeCounts[static_cast<std::size_t>(o)];
            if (count == 0 || c.n == 0) continue;
            const double share = static_cast<double>(count) / c.n;
            const int y0 = bars.bottom() - static_cast<int>(std::lround(below * barsHeight));
            const int y1 = bars.bottom() - static_cast<int>(std::lround((below + share) * barsHeight));
            p.fillRect(QRect(bx, y1, bw, y0 - y1), outcomeColor(o));
            below += share;
        }
        // The 95 % Wilson intervals of the identity's share (measured up from the bottom, where
        // its segment starts) and of the constant's (measured down from the top), as whiskers.
        if (c.n > 0) {
            const int cap = std::max(style.px(3), bw / 8);
            p.setPen(QPen(style.text, style.px(1)));
            const auto whisker = [&](int cx, int yA, int yB) {
                p.drawLine(cx, yA, cx, yB);
                p.drawLine(cx - cap, yA, cx + cap, yA);
                p.drawLine(cx - cap, yB, cx + cap, yB);
            };
            const auto up = [&](double share) { return bars.bottom() - static_cast<int>(std::lround(share * barsHeight)); };
            const auto down = [&](double share) { return bars.top() + static_cast<int>(std::lround(share * barsHeight)); };
            whisker(bx + bw / 3, up(c.identity.low), up(c.identity.high));
            whisker(bx + bw * 2 / 3, down(c.constant.low), down(c.constant.high));
        }
        p.setPen(style.text);
        p.drawText(QRect(bx - column / 6, bars.top() - m.height() - style.px(2), column, m.height()), Qt::AlignCenter,
                   QStringLiteral("n=%1").arg(c.n));
    }

    // Mean correlations of the held-out probes, with a band of one standard deviation.
    const QRect curves(left, bars.bottom() + gap, n * column, curveHeight);
    const double lo = -0.2, hi = 1.0;
    drawYAxis(p, curves, lo, hi, {0.0, 0.5, 1.0}, QStringLiteral("mean corr, held-out"), style);
    auto yOf = [&](double v) { return curves.bottom() - (std::clamp(v, lo, hi) - lo) / (hi - lo) * curveHeight; };
    auto xOf = [&](int i) { return curves.left() + i * column + column / 2.0; };
    std::vector<HeldOut> values;
    for (const EnsembleCell& c : cells) values.push_back(heldOut(c));
    for (int which = 0; which < 2; ++which) {
        const QColor color = which == 0 ? kIdentityLine : kConstantLine;
        QPainterPath band, line;
        std::vector<QPointF> upper, lower;
        bool started = false;
        for (int i = 0; i < n; ++i) {
            const HeldOut& h = values[static_cast<std::size_t>(i)];
            const double mean = which == 0 ? h.identity : h.constant;
            const double sd = which == 0 ? h.identityStd : h.constantStd;
            if (!std::isfinite(mean)) continue;
            const QPointF point(xOf(i), yOf(mean));
            started ? line.lineTo(point) : line.moveTo(point);
            started = true;
            const double s = std::isfinite(sd) ? sd : 0.0;
            upper.emplace_back(xOf(i), yOf(mean + s));
            lower.emplace_back(xOf(i), yOf(mean - s));
            p.setBrush(color);
            p.setPen(Qt::NoPen);
            p.drawEllipse(point, style.px(3), style.px(3));
        }
        if (upper.size() > 1) {
            band.moveTo(upper.front());
            for (const QPointF& q : upper) band.lineTo(q);
            for (auto it = lower.rbegin(); it != lower.rend(); ++it) band.lineTo(*it);
            band.closeSubpath();
            QColor fill = color;
            fill.setAlpha(50);
            p.fillPath(band, fill);
        }
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(color, style.px(2)));
        p.drawPath(line);
    }
    // The curves' legend, inside the panel's top left.
    p.setFont(style.font(style.tickPx));
    int lx = curves.left() + style.px(8);
    for (int which = 0; which < 2; ++which) {
        const QString name = which == 0 ? QStringLiteral("corr with the input (identity)") : QStringLiteral("corr with the training image (constant)");
        const int ly = curves.top() + style.px(4) + which * (m.height() + style.px(2));
        p.setPen(QPen(which == 0 ? kIdentityLine : kConstantLine, style.px(2)));
        p.drawLine(lx, ly + m.height() / 2, lx + style.px(16), ly + m.height() / 2);
        p.setPen(style.text);
        p.drawText(QPoint(lx + style.px(20), ly + m.ascent()), name);
    }
    drawColumnLabels(p, labels, curves.left(), column, curves.bottom() + style.px(2), style, false);
    return image;
}

QImage renderPhaseDiagram(const PhaseDiagram& d, const FigureStyle& style)
{
    if (d.empty()) return {};
    const int rows = static_cast<int>(d.cells.size()), columns = static_cast<int>(d.rho.size());
    const int cell = style.px(std::clamp(360 / std::max(columns, 1), 14, 36));
    const QFont labelFont = style.font(style.tickPx);
    const QFontMetrics lm(labelFont);
    int labelWidth = 0;
    for (const std::string& c : d.cells) labelWidth = std::max(labelWidth, lm.horizontalAdvance(QString::fromStdString(c)));
    const int left = style.px(10) + labelWidth + style.px(8), top = style.px(36), panelGap = style.px(30);
    const ColorBarSpec bar{ColorMap::Viridis, 0.0, 1.0, 5, false};
    const int barWidth = style.px(14) + colorBarLabelsWidth(bar, style);
    const int panelWidth = columns * cell, panelHeight = rows * cell;
    const int width = left + 2 * panelWidth + panelGap + style.px(16) + barWidth + style.px(10);
    const int height = top + panelHeight + style.px(48);
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(style.background);
    setFigureResolution(image, style.scale);
    QPainter p(&image);
    const auto& table = colorMapTable(ColorMap::Viridis);
    const QFont letterFont = style.font(std::max(7, std::min(style.captionPx, cell / style.scale - 4)), true);

    for (int panel = 0; panel < 2; ++panel) {
        const auto& values = panel == 0 ? d.corrIdentity : d.corrConstant;
        const int x0 = left + panel * (panelWidth + panelGap);
        p.setFont(style.font(style.labelPx, true));
        p.setPen(style.text);
        p.drawText(QRect(x0, style.px(6), panelWidth + panelGap, style.px(22)), Qt::AlignLeft | Qt::AlignVCenter,
                   panel == 0 ? QStringLiteral("corr with the input") : QStringLiteral("corr with the training image"));
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < columns; ++c) {
                const double v = values[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)];
                const QRect square(x0 + c * cell, top + r * cell, cell, cell);
                if (!std::isfinite(v)) {
                    p.fillRect(square, QColor(245, 245, 245));
                    continue;
                }
                const QColor color = QColor::fromRgb(table[static_cast<std::size_t>(std::lround(std::clamp(v, 0.0, 1.0) * 255))]);
                p.fillRect(square, color);
                if (cell >= style.px(14)) {
                    p.setFont(letterFont);
                    p.setPen(color.lightness() > 140 ? QColor(30, 30, 30) : QColor(245, 245, 245));
                    p.drawText(square, Qt::AlignCenter,
                               QString::fromLatin1(toString(d.zone[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)])));
                }
            }
        // Zone borders: thick lines between neighbours in different zones, and the frame.
        p.setPen(QPen(QColor(255, 255, 255), style.px(3)));
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < columns; ++c) {
                const Zone z = d.zone[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)];
                const int x = x0 + c * cell, y = top + r * cell;
                if (c + 1 < columns && d.zone[static_cast<std::size_t>(r)][static_cast<std::size_t>(c + 1)] != z)
                    p.drawLine(x + cell, y, x + cell, y + cell);
                if (r + 1 < rows && d.zone[static_cast<std::size_t>(r + 1)][static_cast<std::size_t>(c)] != z)
                    p.drawLine(x, y + cell, x + cell, y + cell);
            }
        p.setPen(QPen(kAxis, style.px(1)));
        p.drawRect(QRect(x0, top, panelWidth, panelHeight));
        // rho ticks: the first, the middle and the last column.
        p.setFont(labelFont);
        p.setPen(style.text);
        for (int c : {0, columns / 2, columns - 1}) {
            const QString label = number(d.rho[static_cast<std::size_t>(c)], 2);
            p.drawText(QRect(x0 + c * cell + cell / 2 - style.px(30), top + panelHeight + style.px(2), style.px(60), lm.height()), Qt::AlignCenter, label);
        }
        p.drawText(QRect(x0, top + panelHeight + lm.height() + style.px(4), panelWidth, lm.height()), Qt::AlignCenter,
                   QStringLiteral("rho = corr(input, training image)"));
    }
    // Row labels.
    p.setFont(labelFont);
    p.setPen(style.text);
    for (int r = 0; r < rows; ++r)
        p.drawText(QRect(style.px(10), top + r * cell, labelWidth, cell), Qt::AlignRight | Qt::AlignVCenter,
                   QString::fromStdString(d.cells[static_cast<std::size_t>(r)]));
    drawColorBar(p, QRect(left + 2 * panelWidth + panelGap + style.px(16), top, style.px(14), panelHeight), bar, style);
    return image;
}

}  // namespace il::ui
