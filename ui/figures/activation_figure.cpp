#include "ui/figures/activation_figure.h"

#include <QFontMetrics>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <limits>

#include "ui/figures/cell_painter.h"
#include "ui/figures/color_bar.h"
#include "ui/figures/column_titles.h"

namespace il::ui {
namespace {

constexpr int kLabelPad = 8;
constexpr int kGreyRowGap = 4;   // extra gap that sets the grey input/output rows apart
constexpr int kBarGap = 12;
constexpr int kBarWidth = 12;
constexpr int kTitleGap = 4;
constexpr int kSharedTicks = 6;

struct Range {
    double lo = std::numeric_limits<double>::infinity();
    double hi = -std::numeric_limits<double>::infinity();
    void add(const il::Image& image)
    {
        // The first channel is what gets drawn.
        const std::size_t n = std::min(image.pixels.size(), static_cast<std::size_t>(image.height) * image.width);
        for (std::size_t i = 0; i < n; ++i) {
            const double v = image.pixels[i];
            if (!std::isfinite(v)) continue;
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    }
    ActivationRowStyle style() const
    {
        ActivationRowStyle s;
        if (lo <= hi) {
            s.lo = lo;
            s.hi = hi > lo ? hi : lo + 1.0;  // a dead layer shows as the low colour
        }
        return s;
    }
};

int rowCount(const il::ActivationGrid& grid) { return static_cast<int>(grid.maps.size()); }

int columnCount(const il::ActivationGrid& grid)
{
    std::size_t n = grid.probes.size();
    for (const auto& row : grid.maps) n = std::max(n, row.size());
    return static_cast<int>(n);
}

QString layerName(const il::ActivationGrid& grid, int row)
{
    return row < static_cast<int>(grid.layers.size()) ? QString::fromStdString(grid.layers[static_cast<std::size_t>(row)])
                                                      : QString();
}

}  // namespace

std::vector<ActivationRowStyle> activationRowStyles(const il::ActivationGrid& grid, const ActivationFigureOptions& options)
{
    const int rows = rowCount(grid);
    std::vector<ActivationRowStyle> styles(static_cast<std::size_t>(rows));
    auto isGrey = [&](int r) { return options.greyInputAndOutput && rows >= 3 && (r == 0 || r == rows - 1); };

    Range shared;
    for (int r = 0; r < rows; ++r) {
        auto& style = styles[static_cast<std::size_t>(r)];
        style.grey = isGrey(r);
        if (style.grey) continue;
        Range own;
        for (const auto& map : grid.maps[static_cast<std::size_t>(r)]) {
            own.add(map);
            shared.add(map);
        }
        if (options.colorScale == ColorScaleMode::PerLayer) {
            style = own.style();
        }
    }
    if (options.colorScale == ColorScaleMode::Shared) {
        ActivationRowStyle range = shared.style();
        if (options.fixedRange) {
            range.lo = options.lo;
            range.hi = options.hi > options.lo ? options.hi : options.lo + 1.0;
        }
        for (auto& style : styles)
            if (!style.grey) style = range;
    }
    return styles;
}

QImage renderActivationFigure(const il::ActivationGrid& grid, const ActivationFigureOptions& options)
{
    const FigureStyle& s = options.style;
    const int rows = rowCount(grid);
    const int columns = columnCount(grid);
    const std::vector<ActivationRowStyle> styles = activationRowStyles(grid, options);
    const int margin = s.px(s.margin);
    const int cell = s.px(options.cellSize);
    const int gap = s.px(options.cellGap);

    // Horizontal layout: labels | cells | colour bar(s).
    int labelWidth = 0;
    if (options.showRowLabels) {
        if (options.labelWidth > 0) {
            labelWidth = s.px(options.labelWidth);
        } else {
            const QFontMetrics metrics(s.font(s.labelPx));
            for (int r = 0; r < rows; ++r) labelWidth = std::max(labelWidth, metrics.horizontalAdvance(layerName(grid, r)));
        }
    }
    const int x0 = margin + labelWidth + (labelWidth > 0 ? s.px(kLabelPad) : 0);
    const int cellsRight = x0 + std::max(0, columns * (cell + gap) - gap);

    bool anyColoured = false;
    int barLabels = 0;
    for (const auto& style : styles) {
        if (style.grey) continue;
        anyColoured = true;
        const bool perLayer = options.colorScale == ColorScaleMode::PerLayer;
        const ColorBarSpec spec{options.colorMap, style.lo, style.hi, kSharedTicks, perLayer};
        barLabels = std::max(barLabels, colorBarLabelsWidth(spec, s));
    }
    const bool bars = options.showColorBar && anyColoured;
    const int barX = cellsRight + s.px(kBarGap);
    const int right = bars ? barX + s.px(kBarWidth) + barLabels : cellsRight;

    // Vertical layout.
    int y = margin;
    const QFont titleFont = s.font(s.tickPx);
    std::vector<QString> titles;
    if (options.showColumnTitles)
        for (const auto& probe : grid.probes) titles.push_back(QString::fromStdString(probe));
    const int titleLines = columnTitleLines(titles, QFontMetrics(titleFont), cell);
    if (titleLines > 0) y += titleLines * QFontMetrics(titleFont).height() + s.px(kTitleGap);
    std::vector<int> rowY;
    for (int r = 0; r < rows; ++r) {
        const bool grey = styles[static_cast<std::size_t>(r)].grey;
        if (r > 0 && grey != styles[static_cast<std::size_t>(r - 1)].grey) y += s.px(kGreyRowGap);
        rowY.push_back(y);
        y += cell + gap;
    }
    const int bottom = rows > 0 ? y - gap : y;

    QImage canvas(QSize(right + margin, bottom + margin), QImage::Format_RGB32);
    canvas.fill(s.background);
    setFigureResolution(canvas, s.scale);
    QPainter painter(&canvas);
    painter.setRenderHint(QPainter::TextAntialiasing, true);
    painter.setPen(s.text);

    auto cellRect = [&](int r, int c) { return QRect(x0 + c * (cell + gap), rowY[static_cast<std::size_t>(r)], cell, cell); };

    if (titleLines > 0 && rows > 0) {
        painter.setFont(titleFont);
        const QFontMetrics metrics(titleFont);
        for (int c = 0; c < static_cast<int>(titles.size()); ++c) {
            const QStringList lines = wrapColumnTitle(titles[static_cast<std::size_t>(c)], metrics, cell);
            const int height = static_cast<int>(lines.size()) * metrics.height();
            const QRect first = cellRect(0, c);
            painter.drawText(QRect(first.left(), first.top() - s.px(kTitleGap) - height, cell, height),
                             Qt::AlignHCenter | Qt::AlignBottom, lines.join(QLatin1Char('\n')));
        }
    }

    for (int r = 0; r < rows; ++r) {
        const auto& style = styles[static_cast<std::size_t>(r)];
        if (labelWidth > 0) {
            painter.setFont(s.font(s.labelPx));
            painter.drawText(QRect(margin, rowY[static_cast<std::size_t>(r)], labelWidth, cell), Qt::AlignRight | Qt::AlignVCenter,
                             layerName(grid, r));
        }
        const auto& maps = grid.maps[static_cast<std::size_t>(r)];
        for (int c = 0; c < static_cast<int>(maps.size()); ++c) {
            const il::Image& map = maps[static_cast<std::size_t>(c)];
            if (style.grey || map.empty()) {
                drawCellImage(painter, cellRect(r, c), map);
            } else {
                drawCellPicture(painter, cellRect(r, c),
                                toColorMapped(map, static_cast<float>(style.lo), static_cast<float>(style.hi), options.colorMap));
            }
        }
    }

    if (bars) {
        if (options.colorScale == ColorScaleMode::Shared) {
            int top = -1, last = -1;
            for (int r = 0; r < rows; ++r) {
                if (styles[static_cast<std::size_t>(r)].grey) continue;
                if (top < 0) top = r;
                last = r;
            }
            const auto& style = styles[static_cast<std::size_t>(top)];
            const QRect bar(barX, rowY[static_cast<std::size_t>(top)], s.px(kBarWidth),
                            rowY[static_cast<std::size_t>(last)] + cell - rowY[static_cast<std::size_t>(top)]);
            drawColorBar(painter, bar, ColorBarSpec{options.colorMap, style.lo, style.hi, kSharedTicks, false}, s);
        } else {
            for (int r = 0; r < rows; ++r) {
                const auto& style = styles[static_cast<std::size_t>(r)];
                if (style.grey) continue;
                const QRect bar(barX, rowY[static_cast<std::size_t>(r)], s.px(kBarWidth), cell);
                drawColorBar(painter, bar, ColorBarSpec{options.colorMap, style.lo, style.hi, kSharedTicks, true}, s);
            }
        }
    }
    return canvas;
}

}  // namespace il::ui
