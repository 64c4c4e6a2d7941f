#include "ui/figures/plots.h"

#include <qcustomplot.h>

#include <QPointF>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <vector>

#include "ui/figures/plot_style.h"

namespace il::ui {
namespace {

constexpr double kRhoYMin = -0.2;
constexpr double kRhoYMax = 1.05;
constexpr double kZoneBandHalfHeight = 0.38;  // of one strip row
constexpr int kStripRowHeight = 15;           // logical px per run in the zone strip
constexpr double kMinLetterWidth = 0.05;      // rho span a zone needs to get its letter

FigureStyle unscaled(FigureStyle style)
{
    style.scale = 1;
    return style;
}

QPen runPen(const QColor& colour, Qt::PenStyle penStyle)
{
    QPen pen(colour, 2.0, penStyle);
    pen.setCapStyle(Qt::FlatCap);
    pen.setJoinStyle(Qt::RoundJoin);
    return pen;
}

// A plottable with no data, used only to put an entry into a legend.
QCPGraph* legendOnlyGraph(QCustomPlot* plot, QCPLegend* legend, const QString& name, const QPen& pen)
{
    QCPGraph* graph = plot->addGraph(plot->xAxis, plot->yAxis);
    graph->setName(name);
    graph->setPen(pen);
    graph->addToLegend(legend);
    return graph;
}

void addCurve(QCPGraph* graph, const std::vector<double>& x, const std::vector<double>& y)
{
    QVector<double> keys, values;
    for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) {
        if (!std::isfinite(x[i]) || !std::isfinite(y[i])) continue;
        keys.push_back(x[i]);
        values.push_back(y[i]);
    }
    graph->setData(keys, values, true);
}

// mean +- std as a translucent band, drawn under the curves.
void addSpreadBand(QCustomPlot* plot, const std::vector<double>& x, const std::vector<double>& mean, const std::vector<double>& spread,
                   const QColor& colour)
{
    std::vector<double> lower(mean.size()), upper(mean.size());
    for (std::size_t i = 0; i < mean.size(); ++i) {
        lower[i] = mean[i] - spread[i];
        upper[i] = mean[i] + spread[i];
    }
    QCPGraph* low = plot->addGraph(plot->xAxis, plot->yAxis);
    QCPGraph* high = plot->addGraph(plot->xAxis, plot->yAxis);
    addCurve(low, x, lower);
    addCurve(high, x, upper);
    low->setPen(Qt::NoPen);
    high->setPen(Qt::NoPen);
    QColor fill = colour;
    fill.setAlpha(38);
    high->setBrush(fill);
    high->setChannelFillGraph(low);
    low->setLayer(QStringLiteral("grid"));
    high->setLayer(QStringLiteral("grid"));
}

QCPItemText* addText(QCustomPlot* plot, QCPAxisRect* rect, double x, double y, const QString& text, const QFont& font,
                     Qt::Alignment alignment, const QColor& colour)
{
    auto* item = new QCPItemText(plot);
    item->setClipAxisRect(rect);
    item->position->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    item->position->setCoords(x, y);
    item->setPositionAlignment(alignment);
    item->setText(text);
    item->setFont(font);
    item->setColor(colour);
    return item;
}

// Puts `element` into row `row` of the plot layout at its minimum size, centred: a layout
// cell would otherwise stretch a legend over the full width and spread its items apart.
void addCentredRow(QCustomPlot* plot, int row, QCPLayoutElement* element)
{
    auto* holder = new QCPLayoutGrid;
    plot->plotLayout()->addElement(row, 0, holder);
    holder->expandTo(1, 3);
    holder->addElement(0, 1, element);
    holder->setColumnStretchFactors({1.0, 0.001, 1.0});
    plot->plotLayout()->setRowStretchFactor(row, 0.001);
}

QImage renderWith(QSize size, int scale, const std::function<void(QCustomPlot*)>& configure)
{
    QCustomPlot plot;
    configure(&plot);
    return renderPlot(plot, size, scale);
}

// --- zone strip ---------------------------------------------------------------------------

// Adds, under the main axis rect, one thin band per run coloured by the zone of each rho
// point, and a legend that says what A-D mean.
//
// Why a strip and not shaded backgrounds: the zones are regions of the (corr to identity,
// corr to constant) plane, not intervals of rho or of one correlation, so no background
// region of this plot is "zone B". What a reader wants to know is where along rho each run
// is in which zone; a band per run under the shared x-axis shows exactly that, aligned
// with the curves above it, and works for any number of runs.
void addZoneStrip(QCustomPlot* plot, QCPAxisRect* main, const std::vector<RhoRun>& runs, const FigureStyle& style)
{
    const int n = static_cast<int>(runs.size());
    auto* strip = new QCPAxisRect(plot, true);
    const int stripRow = plot->plotLayout()->rowCount();
    plot->plotLayout()->addElement(stripRow, 0, strip);
    styleAxisRect(strip, style);
    const int height = n * kStripRowHeight + 4;
    strip->setMinimumSize(0, height);
    strip->setMaximumSize(QWIDGETSIZE_MAX, height);
    plot->plotLayout()->setRowSpacing(4);

    // The strip carries the x-axis ticks and label; the main plot's are hidden.
    QCPAxis* x = strip->axis(QCPAxis::atBottom);
    QCPAxis* y = strip->axis(QCPAxis::atLeft);
    x->setRange(0.0, 1.0);
    x->setLabel(main->axis(QCPAxis::atBottom)->label());
    x->grid()->setVisible(false);
    main->axis(QCPAxis::atBottom)->setTickLabels(false);
    main->axis(QCPAxis::atBottom)->setLabel(QString());
    y->setRange(-0.5, n - 0.5);
    y->grid()->setVisible(false);
    y->setTickLength(0, 0);
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int i = 0; i < n; ++i) ticker->addTick(n - 1 - i, runs[static_cast<std::size_t>(i)].label);
    y->setTicker(ticker);
    y->setTickLabelFont(style.font(style.captionPx + 1));
    y->setLabel(QStringLiteral("zone"));

    auto* group = new QCPMarginGroup(plot);
    main->setMarginGroup(QCP::msLeft | QCP::msRight, group);
    strip->setMarginGroup(QCP::msLeft | QCP::msRight, group);

    const QFont letterFont = style.font(style.captionPx + 1, true);
    for (int i = 0; i < n; ++i) {
        const auto& points = runs[static_cast<std::size_t>(i)].points;
        const double row = n - 1 - i;
        // Each point owns the rho interval up to half-way to its neighbours (the end points
        // as much on their open side); runs of equal zones merge into one band with one letter.
        const std::size_t count = points.size();
        auto rho = [&](std::size_t k) { return points[k].rho; };
        auto lowerEdge = [&](std::size_t k) {
            if (k > 0) return (rho(k - 1) + rho(k)) / 2;
            return rho(0) - (count > 1 ? (rho(1) - rho(0)) / 2 : 0.02);
        };
        auto upperEdge = [&](std::size_t k) {
            if (k + 1 < count) return (rho(k) + rho(k + 1)) / 2;
            return rho(k) + (count > 1 ? (rho(k) - rho(k - 1)) / 2 : 0.02);
        };
        std::size_t start = 0;
        while (start < count) {
            std::size_t end = start;
            while (end + 1 < count && points[end + 1].zone == points[start].zone) ++end;
            const double left = std::max(0.0, lowerEdge(start));
            const double right = std::min(1.0, upperEdge(end));
            auto* band = new QCPItemRect(plot);
            band->setClipAxisRect(strip);
            band->topLeft->setAxes(x, y);
            band->bottomRight->setAxes(x, y);
            band->topLeft->setCoords(left, row + kZoneBandHalfHeight);
            band->bottomRight->setCoords(right, row - kZoneBandHalfHeight);
            band->setPen(Qt::NoPen);
            band->setBrush(zoneColor(points[start].zone));
            if (right - left >= kMinLetterWidth)
                addText(plot, strip, (left + right) / 2, row, zoneLetter(points[start].zone), letterFont, Qt::AlignCenter,
                        QColor(40, 40, 40));
            start = end + 1;
        }
    }

    // What A-D mean, as a legend of filled boxes under the strip.
    auto* legend = new QCPLegend;
    addCentredRow(plot, stripRow + 1, legend);
    legend->setLayer(QStringLiteral("legend"));
    styleLegend(legend, style);
    legend->setBorderPen(Qt::NoPen);
    legend->setIconSize(16, 11);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setWrap(2);
    legend->setColumnSpacing(24);
    legend->setMargins(QMargins(0, 2, 0, 0));
    for (il::Zone zone : {il::Zone::A, il::Zone::B, il::Zone::C, il::Zone::D}) {
        auto* swatch = new QCPBars(x, y);
        swatch->setName(zoneLetter(zone) + QStringLiteral("  ") + zoneDescription(zone));
        swatch->setPen(QPen(zoneColor(zone).darker(130), 1));
        swatch->setBrush(zoneColor(zone));
        swatch->addToLegend(legend);
    }
    plot->plotLayout()->setRowStretchFactor(stripRow, 0.001);
}

}  // namespace

// --- Zones ---------------------------------------------------------------------------------

QColor zoneColor(il::Zone zone)
{
    // Light tints so the letters on them stay readable; B (the interesting, generalising
    // zone) green, D (memorising) orange, C (hallucinating) grey, A (coinciding) lilac.
    switch (zone) {
        case il::Zone::A:
            return QColor(203, 195, 227);
        case il::Zone::B:
            return QColor(168, 221, 181);
        case il::Zone::C:
            return QColor(217, 217, 217);
        case il::Zone::D:
            return QColor(253, 204, 138);
    }
    return QColor(217, 217, 217);
}

QString zoneLetter(il::Zone zone)
{
    switch (zone) {
        case il::Zone::A:
            return QStringLiteral("A");
        case il::Zone::B:
            return QStringLiteral("B");
        case il::Zone::C:
            return QStringLiteral("C");
        case il::Zone::D:
            return QStringLiteral("D");
    }
    return QString();
}

QString zoneDescription(il::Zone zone)
{
    switch (zone) {
        case il::Zone::A:
            return QStringLiteral("both high: identity and constant coincide");
        case il::Zone::B:
            return QStringLiteral("identity high, constant low: generalises");
        case il::Zone::C:
            return QStringLiteral("both low: hallucinates");
        case il::Zone::D:
            return QStringLiteral("constant high, identity low: memorises");
    }
    return QString();
}

// --- correlation vs rho ----------------------------------------------------------------------

void configureRhoZonePlot(QCustomPlot* plot, const std::vector<RhoRun>& runs, const RhoPlotOptions& options)
{
    const FigureStyle style = unscaled(options.style);
    QCPAxisRect* main = resetPlot(plot, style);
    plot->xAxis->setRange(0.0, 1.0);
    plot->yAxis->setRange(kRhoYMin, kRhoYMax);
    // No x-hat in the labels: QCustomPlot misplaces combining accents (U+0302).
    plot->xAxis->setLabel(QStringLiteral("\u03C1 = corr(test input x, training image)"));
    plot->yAxis->setLabel(QStringLiteral("correlation of the output f(x)"));

    // The threshold that separates "high" from "low" in the zone definitions.
    auto* threshold = new QCPItemStraightLine(plot);
    threshold->point1->setCoords(0.0, il::kZoneHighThreshold);
    threshold->point2->setCoords(1.0, il::kZoneHighThreshold);
    threshold->setPen(QPen(QColor(150, 150, 150), 1, Qt::DotLine));
    threshold->setLayer(QStringLiteral("grid"));
    addText(plot, main, 0.005, il::kZoneHighThreshold, QStringLiteral("high \u2265 %1").arg(il::kZoneHighThreshold),
            style.font(style.captionPx + 1), Qt::AlignLeft | Qt::AlignBottom, QColor(120, 120, 120));
    auto* zero = new QCPItemStraightLine(plot);
    zero->point1->setCoords(0.0, 0.0);
    zero->point2->setCoords(1.0, 0.0);
    zero->setPen(QPen(QColor(190, 190, 190), 1));
    zero->setLayer(QStringLiteral("grid"));

    // Runs by colour; identity solid with filled dots, constant dashed with open circles.
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const QColor colour = runColor(static_cast<int>(i));
        std::vector<double> rho, id, co, idStd, coStd;
        bool hasSpread = false;
        for (const auto& p : runs[i].points) {
            rho.push_back(p.rho);
            id.push_back(p.corrIdentity);
            co.push_back(p.corrConstant);
            idStd.push_back(p.corrIdentityStd);
            coStd.push_back(p.corrConstantStd);
            hasSpread = hasSpread || p.corrIdentityStd > 0.0 || p.corrConstantStd > 0.0;
        }
        if (options.showSpread && hasSpread) {
            addSpreadBand(plot, rho, id, idStd, colour);
            addSpreadBand(plot, rho, co, coStd, colour);
        }
        QCPGraph* identity = plot->addGraph(plot->xAxis, plot->yAxis);
        addCurve(identity, rho, id);
        identity->setPen(runPen(colour, Qt::SolidLine));
        identity->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, colour, colour, 5));
        identity->setName(runs[i].label);
        identity->addToLegend(plot->legend);
        QCPGraph* constant = plot->addGraph(plot->xAxis, plot->yAxis);
        addCurve(constant, rho, co);
        constant->setPen(runPen(colour, Qt::DashLine));
        constant->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(colour, 1.5), QBrush(Qt::white), 6));
    }
    // Line styles explained once, in black, after the runs.
    const QColor ink(60, 60, 60);
    QCPGraph* idKey = legendOnlyGraph(plot, plot->legend, QStringLiteral("identity: corr(f(x), x)"), runPen(ink, Qt::SolidLine));
    idKey->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, ink, ink, 5));
    QCPGraph* coKey =
        legendOnlyGraph(plot, plot->legend, QStringLiteral("constant: corr(f(x), training image)"), runPen(ink, Qt::DashLine));
    coKey->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(ink, 1.5), QBrush(Qt::white), 6));

    // The legend goes above the plot, in rows: the curves can fill the whole axis rect,
    // and a column beside the plot would steal the width the zone legend needs.
    main->insetLayout()->take(plot->legend);
    plot->plotLayout()->take(main);
    plot->plotLayout()->simplify();
    addCentredRow(plot, 0, plot->legend);
    plot->plotLayout()->addElement(1, 0, main);
    plot->legend->setVisible(true);
    plot->legend->setBorderPen(Qt::NoPen);
    // One row when runs and the two line-style keys fit (5 entries), else rows of 4. The items
    // are in already: setWrap() alone does not move them, setFillOrder(..., true) does (with
    // only setWrap, 8 runs put 10 entries in one row and their names were cut to one letter).
    const int entries = plot->legend->itemCount();
    plot->legend->setWrap(entries <= 5 ? entries : 4);
    plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
    plot->plotLayout()->setRowSpacing(4);

    if (options.showZones && !runs.empty()) addZoneStrip(plot, main, runs, style);
}

QImage renderRhoZonePlot(const std::vector<RhoRun>& runs, QSize logicalSize, const RhoPlotOptions& options)
{
    return renderWith(logicalSize, options.style.scale, [&](QCustomPlot* plot) { configureRhoZonePlot(plot, runs, options); });
}

// --- loss curve ------------------------------------------------------------------------------

void configureLossPlot(QCustomPlot* plot, const std::vector<LossRun>& runs, const std::vector<int>& decaySteps,
                       const FigureStyle& scaledStyle)
{
    const FigureStyle style = unscaled(scaledStyle);
    resetPlot(plot, style);
    plot->xAxis->setLabel(QStringLiteral("step"));
    plot->yAxis->setLabel(QStringLiteral("training loss (MSE)"));
    plot->yAxis->setScaleType(QCPAxis::stLogarithmic);
    auto logTicker = QSharedPointer<QCPAxisTickerLog>::create();
    logTicker->setSubTickCount(8);
    plot->yAxis->setTicker(logTicker);
    plot->yAxis->setNumberFormat(QStringLiteral("eb"));  // 10 with a superscript exponent
    plot->yAxis->setNumberPrecision(0);
    plot->yAxis->grid()->setSubGridVisible(true);
    plot->yAxis->grid()->setSubGridPen(QPen(QColor(242, 242, 242), 1));

    double lo = std::numeric_limits<double>::infinity(), hi = 0.0;
    int firstStep = std::numeric_limits<int>::max(), lastStep = std::numeric_limits<int>::min();
    bool named = false;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        QVector<double> steps, losses;
        for (const auto& p : runs[i].points) {
            if (!std::isfinite(p.loss) || p.loss <= 0.0) continue;
            steps.push_back(p.step);
            losses.push_back(p.loss);
            lo = std::min(lo, p.loss);
            hi = std::max(hi, p.loss);
            firstStep = std::min(firstStep, p.step);
            lastStep = std::max(lastStep, p.step);
        }
        QCPGraph* graph = plot->addGraph(plot->xAxis, plot->yAxis);
        graph->setData(steps, losses, true);
        QPen pen = runPen(runColor(static_cast<int>(i)), Qt::SolidLine);
        pen.setWidthF(1.5);
        graph->setPen(pen);
        graph->setName(runs[i].label);
        if (!runs[i].label.isEmpty()) {
            graph->addToLegend(plot->legend);
            named = true;
        }
    }
    if (!(hi > 0.0)) {  // nothing to show: a sensible empty frame
        lo = 1e-4;
        hi = 1.0;
        firstStep = 0;
        lastStep = 1;
    }
    // Whole decades, so the log axis always has labelled ticks at both ends.
    plot->yAxis->setRange(std::pow(10.0, std::floor(std::log10(lo))), std::pow(10.0, std::ceil(std::log10(hi))));
    if (!(plot->yAxis->range().upper > plot->yAxis->range().lower * 1.0001))
        plot->yAxis->setRange(plot->yAxis->range().lower, plot->yAxis->range().lower * 10.0);
    plot->xAxis->setRange(firstStep, std::max(lastStep, firstStep + 1));

    if (!decaySteps.empty()) {
        const QPen decayPen(QColor(110, 110, 110), 1.2, Qt::DashLine);
        for (int step : decaySteps) {
            auto* line = new QCPItemStraightLine(plot);
            line->point1->setCoords(step, 1.0);
            line->point2->setCoords(step, 10.0);
            line->setPen(decayPen);
        }
        legendOnlyGraph(plot, plot->legend, QStringLiteral("learning-rate decay"), decayPen);
        named = true;
    }
    plot->legend->setVisible(named);
}

QImage renderLossPlot(const std::vector<LossRun>& runs, const std::vector<int>& decaySteps, QSize logicalSize, const FigureStyle& style)
{
    return renderWith(logicalSize, style.scale, [&](QCustomPlot* plot) { configureLossPlot(plot, runs, decaySteps, style); });
}

// --- layer-wise classifier error ----------------------------------------------------------------

// The corner of the axis rect that the fewest data points fall in, for the legend: a fixed
// top-right legend covered the 20-layer CNN's falling tail in the layer-classifier figure.
// Corners are tried in the order top right, bottom right, top left, bottom left.
namespace {
Qt::Alignment emptiestCorner(const std::vector<QPointF>& points, const QCPRange& x, const QCPRange& y)
{
    const std::array<Qt::Alignment, 4> corners = {Qt::AlignTop | Qt::AlignRight, Qt::AlignBottom | Qt::AlignRight,
                                                  Qt::AlignTop | Qt::AlignLeft, Qt::AlignBottom | Qt::AlignLeft};
    std::size_t best = 0;
    int fewest = std::numeric_limits<int>::max();
    for (std::size_t c = 0; c < corners.size(); ++c) {
        const bool right = corners[c] & Qt::AlignRight;
        const bool top = corners[c] & Qt::AlignTop;
        int inside = 0;
        for (const QPointF& p : points) {
            const double fx = (p.x() - x.lower) / x.size();
            const double fy = (p.y() - y.lower) / y.size();
            inside += ((right ? fx >= 0.55 : fx <= 0.45) && (top ? fy >= 0.6 : fy <= 0.4)) ? 1 : 0;
        }
        if (inside < fewest) {
            fewest = inside;
            best = c;
        }
    }
    return corners[best];
}
}  // namespace

void configureLayerErrorPlot(QCustomPlot* plot, const std::vector<LayerErrorRun>& runs, const FigureStyle& scaledStyle)
{
    const FigureStyle style = unscaled(scaledStyle);
    resetPlot(plot, style);
    plot->xAxis->setLabel(QStringLiteral("layer"));
    plot->yAxis->setLabel(QStringLiteral("training error, leave-one-out (%)"));

    const LayerErrorRun* deepest = nullptr;
    std::vector<QPointF> points;  // (layer index, error %) of every run, for the range and the legend
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const auto& curve = runs[i].curve;
        if (!deepest || curve.error.size() > deepest->curve.error.size()) deepest = &runs[i];
        QVector<double> index, percent;
        for (std::size_t k = 0; k < curve.error.size(); ++k) {
            if (!std::isfinite(curve.error[k])) continue;
            index.push_back(static_cast<double>(k));
            percent.push_back(100.0 * curve.error[k]);
            points.emplace_back(index.back(), percent.back());
        }
        const QColor colour = runColor(static_cast<int>(i));
        QCPGraph* graph = plot->addGraph(plot->xAxis, plot->yAxis);
        graph->setData(index, percent, true);
        graph->setPen(runPen(colour, Qt::SolidLine));
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, colour, colour, 6));
        graph->setName(runs[i].label);
        if (!runs[i].label.isEmpty()) graph->addToLegend(plot->legend);
    }

    // Layer names as tick labels, horizontal (rotated labels at the right end fall off the
    // plot); every k-th layer with k in 1, 2, 5, 10, ... so that at most 11 are shown.
    const int layers = deepest ? static_cast<int>(std::max(deepest->curve.error.size(), deepest->curve.layers.size())) : 1;
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    int every = 1;
    for (int step : {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000}) {
        every = step;
        if ((layers + step - 1) / step <= 11) break;
    }
    for (int k = 0; k < layers; k += every) {
        const bool hasName = deepest && k < static_cast<int>(deepest->curve.layers.size());
        ticker->addTick(k, hasName ? QString::fromStdString(deepest->curve.layers[static_cast<std::size_t>(k)]) : QString::number(k));
    }
    plot->xAxis->setTicker(ticker);
    plot->xAxis->setRange(-0.5, std::max(0.5, layers - 0.5));
    double worst = 0.0;
    for (const QPointF& p : points) worst = std::max(worst, p.y());
    plot->yAxis->setRange(0.0, std::clamp(worst * 1.15, 5.0, 100.0));
    plot->legend->setVisible(plot->legend->itemCount() > 0);
    plot->axisRect()->insetLayout()->setInsetAlignment(0, emptiestCorner(points, plot->xAxis->range(), plot->yAxis->range()));
}

QImage renderLayerErrorPlot(const std::vector<LayerErrorRun>& runs, QSize logicalSize, const FigureStyle& style)
{
    return renderWith(logicalSize, style.scale, [&](QCustomPlot* plot) { configureLayerErrorPlot(plot, runs, style); });
}

}  // namespace il::ui
