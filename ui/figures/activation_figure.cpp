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
constexpr int kGreyRowGap = 4;  // extra gap that sets the grey input/output rows apart
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

std::vector<QString> columnTitles(const il::ActivationGrid& grid)
{
    std::vector<QString> titles;
    for (const auto& probe : grid.probes) titles.push_back(QString::fromStdString(probe));
    return titles;
}

QString layerName(const il::ActivationGrid& grid, int row)
{
    return row < static_cast<int>(grid.layers.size()) ? QString::fromStdString(grid.layers[static_cast<std::size_t>(row)]) : QString();
}

}  // namespace

il::ActivationGrid activationRows(const il::ActivationGrid& grid, int first, int count)
{
    il::ActivationGrid part;
    part.probes = grid.probes;
    part.reduction = grid.reduction;
    part.channel = grid.channel;
    const int rows = static_cast<int>(grid.maps.size());
    for (int r = std::max(0, first); r < std::min(rows, first + count); ++r) {
        const auto i = static_cast<std::size_t>(r);
        part.maps.push_back(grid.maps[i]);
        if (i < grid.layers.size()) part.layers.push_back(grid.layers[i]);
        if (i < grid.layerChannels.size()) part.layerChannels.push_back(grid.layerChannels[i]);
    }
    return part;
}

std::vector<ActivationRowStyle> activationRowStyles(const il::ActivationGrid& grid, const ActivationFigureOptions& options)
{
    const int rows = rowCount(grid);
    std::vector<ActivationRowStyle> styles(static_cast<std::size_t>(rows));
    const int total = options.totalRows > 0 ? options.totalRows : rows;
    auto isGrey = [&](int r) {
        const int whole = options.firstRow + r;  // the row's index in the whole grid
        return options.greyInputAndOutput && total >= 3 && (whole == 0 || whole == total - 1);
    };

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

QRect ActivationFigureLayout::cellRect(int row, int column) const
{
    return QRect(cellsLeft + column * (cellSize + cellGap), rowY.at(static_cast<std::size_t>(row)), cellSize, cellSize);
}

QPoint ActivationFigureLayout::cellAt(QPoint pos) const
{
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < columns; ++c)
            if (cellRect(r, c).contains(pos)) return QPoint(c, r);
    return QPoint(-1, -1);
}

ActivationFigureLayout activationFigureLayout(const il::ActivationGrid& grid, const ActivationFigureOptions& options)
{
    const FigureStyle& s = options.style;
    const std::vector<ActivationRowStyle> styles = activationRowStyles(grid, options);
    ActivationFigureLayout layout;
    layout.rows = rowCount(grid);
    layout.columns = columnCount(grid);
    layout.cellSize = s.px(options.cellSize);
    layout.cellGap = s.px(options.cellGap);
    const int margin = s.px(s.margin);
    const int cell = layout.cellSize;
    const int gap = layout.cellGap;

    // Horizontal: labels | cells | colour bar(s).
    if (options.showRowLabels) {
        // Never truncated: the widest name sets the column when it is wider than asked.
        layout.labelWidth = s.px(std::max(0, options.labelWidth));
        const QFontMetrics metrics(s.font(s.labelPx));
        for (int r = 0; r < layout.rows; ++r)
            layout.labelWidth = std::max(layout.labelWidth, metrics.horizontalAdvance(layerName(grid, r)));
    }
    layout.labelLeft = margin;
    const int x0 = margin + layout.labelWidth + (layout.labelWidth > 0 ? s.px(kLabelPad) : 0);
    layout.cellsLeft = x0;
    const int cellsRight = x0 + std::max(0, layout.columns * (cell + gap) - gap);

    bool anyColoured = false;
    int barLabels = 0;
    for (const auto& style : styles) {
        if (style.grey) continue;
        anyColoured = true;
        const bool perLayer = options.colorScale == ColorScaleMode::PerLayer;
        barLabels = std::max(barLabels, colorBarLabelsWidth(ColorBarSpec{options.colorMap, style.lo, style.hi, kSharedTicks, perLayer}, s));
    }
    layout.colorBars = options.showColorBar && anyColoured;
    layout.barX = cellsRight + s.px(kBarGap);
    layout.barWidth = s.px(kBarWidth);
    const int right = layout.colorBars ? layout.barX + layout.barWidth + barLabels : cellsRight;

    // Vertical: titles, then rows, the grey input/output rows set apart.
    int y = margin;
    const QFontMetrics titleMetrics(s.font(s.tickPx));
    if (options.showColumnTitles && layout.rows > 0) {
        const std::vector<QString> titles = columnTitles(grid);
        layout.titleLines = columnTitleLines(titles, titleMetrics, cell);
        layout.titleHeight = layout.titleLines * titleMetrics.height();
        int longest = 0;
        for (const QString& title : titles) {
            for (const QString& word : title.split(QLatin1Char(' '), Qt::SkipEmptyParts))
                layout.titlesRotated = layout.titlesRotated || titleMetrics.horizontalAdvance(word) > cell;
            longest = std::max(longest, titleMetrics.horizontalAdvance(title));
        }
        if (layout.titlesRotated) layout.titleHeight = longest;
        if (layout.titleHeight > 0) y += layout.titleHeight + s.px(kTitleGap);
    }
    for (int r = 0; r < layout.rows; ++r) {
        const bool grey = styles[static_cast<std::size_t>(r)].grey;
        if (r > 0 && grey != styles[static_cast<std::size_t>(r - 1)].grey) y += s.px(kGreyRowGap);
        layout.rowY.push_back(y);
        y += cell + gap;
    }
    const int bottom = layout.rows > 0 ? y - gap : y;
    layout.size = QSize(right + margin, bottom + margin);
    return layout;
}

QImage renderActivationFigure(const il::ActivationGrid& grid, const ActivationFigureOptions& options)
{
    const FigureStyle& s = options.style;
    const std::vector<ActivationRowStyle> styles = activationRowStyles(grid, options);
    const ActivationFigureLayout layout = activationFigureLayout(grid, options);
    const int cell = layout.cellSize;

    QImage canvas(layout.size, QImage::Format_RGB32);
    canvas.fill(s.background);
    setFigureResolution(canvas, s.scale);
    QPainter painter(&canvas);
    painter.setRenderHint(QPainter::TextAntialiasing, true);
    painter.setPen(s.text);

    if (layout.titleHeight > 0 && layout.rows > 0) {
        const QFont titleFont = s.font(s.tickPx);
        const QFontMetrics metrics(titleFont);
        painter.setFont(titleFont);
        const std::vector<QString> titles = columnTitles(grid);
        for (int c = 0; c < static_cast<int>(titles.size()) && c < layout.columns; ++c) {
            if (layout.titlesRotated) {
                // Upwards from just above the cell, centred on its column.
                const QRect first = layout.cellRect(0, c);
                painter.save();
                painter.translate(first.center().x(), first.top() - s.px(kTitleGap));
                painter.rotate(-90);
                painter.drawText(QRect(0, -metrics.height() / 2, layout.titleHeight, metrics.height()), Qt::AlignLeft | Qt::AlignVCenter,
                                 titles[static_cast<std::size_t>(c)]);
                painter.restore();
                continue;
            }
            const QStringList lines = wrapColumnTitle(titles[static_cast<std::size_t>(c)], metrics, cell);
            const int height = static_cast<int>(lines.size()) * metrics.height();
            const QRect first = layout.cellRect(0, c);
            painter.drawText(QRect(first.left(), first.top() - s.px(kTitleGap) - height, cell, height), Qt::AlignHCenter | Qt::AlignBottom,
                             lines.join(QLatin1Char('\n')));
        }
    }

    painter.setFont(s.font(s.labelPx));
    for (int r = 0; r < layout.rows; ++r) {
        const auto& style = styles[static_cast<std::size_t>(r)];
        const QRect first = layout.cellRect(r, 0);
        if (layout.labelWidth > 0)
            painter.drawText(QRect(layout.labelLeft, first.top(), layout.labelWidth, cell), Qt::AlignRight | Qt::AlignVCenter,
                             layerName(grid, r));
        const auto& maps = grid.maps[static_cast<std::size_t>(r)];
        for (int c = 0; c < static_cast<int>(maps.size()); ++c) {
            const il::Image& map = maps[static_cast<std::size_t>(c)];
            if (style.grey || map.empty())
                drawCellImage(painter, layout.cellRect(r, c), map);
            else
                drawCellPicture(painter, layout.cellRect(r, c),
                                toColorMapped(map, static_cast<float>(style.lo), static_cast<float>(style.hi), options.colorMap));
        }
    }

    if (!layout.colorBars) return canvas;
    if (options.colorScale == ColorScaleMode::Shared) {
        // One bar beside all coloured rows.
        int top = -1, last = -1;
        for (int r = 0; r < layout.rows; ++r) {
            if (styles[static_cast<std::size_t>(r)].grey) continue;
            if (top < 0) top = r;
            last = r;
        }
        const auto& style = styles[static_cast<std::size_t>(top)];
        const QRect bar(layout.barX, layout.cellRect(top, 0).top(), layout.barWidth,
                        layout.cellRect(last, 0).bottom() + 1 - layout.cellRect(top, 0).top());
        drawColorBar(painter, bar, ColorBarSpec{options.colorMap, style.lo, style.hi, kSharedTicks, false}, s);
    } else {
        for (int r = 0; r < layout.rows; ++r) {
            const auto& style = styles[static_cast<std::size_t>(r)];
            if (style.grey) continue;
            const QRect bar(layout.barX, layout.cellRect(r, 0).top(), layout.barWidth, cell);
            drawColorBar(painter, bar, ColorBarSpec{options.colorMap, style.lo, style.hi, kSharedTicks, true}, s);
        }
    }
    return canvas;
}

}  // namespace il::ui
