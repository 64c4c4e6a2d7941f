#include "ui/figures/probe_grid.h"

#include <QFontMetrics>
#include <QPainter>

#include <algorithm>
#include <cmath>

#include "ui/figures/cell_painter.h"
#include "ui/figures/column_titles.h"

namespace il::ui {
namespace {

// Logical pixels (times scale) of the spacing the paper's figures show.
constexpr int kLabelPad = 8;        // between the labels and the first column
constexpr int kSeparatorLane = 12;  // extra room around the red dashed line
constexpr int kSeparatorWidth = 3;
constexpr int kSeparatorDash = 12;
constexpr int kSeparatorSpace = 6;
constexpr int kInputRowGap = 4;   // extra gap below the inputs (Figure 2)
constexpr int kReferenceGap = 8;  // extra gap above a block of reference rows
constexpr int kTitleGap = 4;
constexpr int kCaptionPad = 2;

int columnCount(const ProbeGridData& data)
{
    std::size_t n = 0;
    for (const auto& row : data.rows) n = std::max(n, row.outcomes.size());
    return static_cast<int>(n);
}

std::vector<QString> columnTitles(const ProbeGridData& data)
{
    std::vector<QString> titles;
    if (!data.rows.empty())
        for (const auto& o : data.rows.front().outcomes) titles.push_back(QString::fromStdString(o.name));
    return titles;
}

int textWidth(const QFontMetrics& metrics, const QString& text)
{
    int widest = 0;
    for (const QString& line : text.split(QLatin1Char('\n'))) widest = std::max(widest, metrics.horizontalAdvance(line));
    return widest;
}

QString captionLine(const QString& prefix, double value) { return prefix + QLatin1Char(' ') + formatCorrelation(value); }

}  // namespace

QString formatCorrelation(double value)
{
    if (!std::isfinite(value)) return QStringLiteral("n/a");
    QString text = QString::number(value, 'f', 2);
    if (text == QLatin1String("-0.00")) text = QStringLiteral("0.00");
    if (text.startsWith(QLatin1String("0.")))
        text.remove(0, 1);
    else if (text.startsWith(QLatin1String("-0.")))
        text.remove(1, 1);
    return text;
}

QString correlationCaption(double corrIdentity, double corrConstant)
{
    return captionLine(QStringLiteral("id"), corrIdentity) + QStringLiteral(" / ") + captionLine(QStringLiteral("c"), corrConstant);
}

QRect ProbeGridLayout::cellRect(int row, int column) const
{
    return QRect(columnX.at(static_cast<std::size_t>(column)), rowY.at(static_cast<std::size_t>(row)), cellSize, cellSize);
}

QPoint ProbeGridLayout::cellAt(QPoint pos) const
{
    for (int r = 0; r < static_cast<int>(rowY.size()); ++r)
        for (int c = 0; c < columns; ++c)
            if (cellRect(r, c).contains(pos)) return QPoint(c, r);
    return QPoint(-1, -1);
}

ProbeGridLayout probeGridLayout(const ProbeGridData& data, const ProbeGridOptions& options)
{
    const FigureStyle& s = options.style;
    ProbeGridLayout layout;
    layout.columns = columnCount(data);
    layout.cellSize = s.px(options.cellSize);
    layout.hasInputRow = options.showInputRow && !data.rows.empty();
    const int margin = s.px(s.margin);
    const int gap = s.px(options.cellGap);

    // Label column.
    if (options.labelWidth > 0) {
        layout.labelWidth = s.px(options.labelWidth);
    } else {
        const QFontMetrics plain(s.font(s.labelPx));
        const QFontMetrics italic(s.font(s.labelPx, false, true));
        if (layout.hasInputRow) layout.labelWidth = textWidth(plain, options.inputLabel);
        for (const auto& row : data.rows)
            layout.labelWidth = std::max(layout.labelWidth, textWidth(row.reference ? italic : plain, row.label));
    }
    layout.labelLeft = margin;
    const int labelPad = layout.labelWidth > 0 ? s.px(kLabelPad) : 0;

    // Columns, with a wider lane around the red line after the training columns.
    const bool separated = options.trainingColumns > 0 && options.trainingColumns < layout.columns;
    const int lane = separated ? s.px(kSeparatorLane) : 0;
    const int x0 = margin + layout.labelWidth + labelPad;
    for (int c = 0; c < layout.columns; ++c)
        layout.columnX.push_back(x0 + c * (layout.cellSize + gap) + (separated && c >= options.trainingColumns ? lane : 0));
    if (separated) layout.separatorX = layout.columnX[static_cast<std::size_t>(options.trainingColumns)] - (gap + lane) / 2;

    // Captions: one line when the widest fits the cell, else identity over constant.
    if (options.showCaptions) {
        const QFontMetrics metrics(s.font(s.captionPx));
        int widest = 0;
        for (const auto& row : data.rows)
            for (const auto& o : row.outcomes)
                widest = std::max(widest, metrics.horizontalAdvance(correlationCaption(o.corrIdentity, o.corrConstant)));
        layout.captionTwoLines = widest > layout.cellSize;
        layout.captionHeight = (layout.captionTwoLines ? 2 : 1) * metrics.height() + s.px(kCaptionPad);
    }

    // Rows.
    int y = margin;
    if (options.showColumnTitles) {
        const QFontMetrics metrics(s.font(s.tickPx));
        const int lines = columnTitleLines(columnTitles(data), metrics, layout.cellSize);
        if (lines > 0) y += lines * metrics.height() + s.px(kTitleGap);
    }
    if (layout.hasInputRow) {
        layout.rowY.push_back(y);
        y += layout.cellSize + gap + s.px(kInputRowGap);
    }
    for (std::size_t r = 0; r < data.rows.size(); ++r) {
        if (data.rows[r].reference && (r == 0 || !data.rows[r - 1].reference)) y += s.px(kReferenceGap);
        layout.rowY.push_back(y);
        y += layout.cellSize + layout.captionHeight + gap;
    }
    const int bottom = layout.rowY.empty() ? y : y - gap;
    const int right = layout.columns > 0 ? layout.columnX.back() + layout.cellSize : x0;
    layout.size = QSize(right + margin, bottom + margin);
    return layout;
}

QImage renderProbeGrid(const ProbeGridData& data, const ProbeGridOptions& options)
{
    const FigureStyle& s = options.style;
    const ProbeGridLayout layout = probeGridLayout(data, options);
    QImage canvas(layout.size, QImage::Format_RGB32);
    canvas.fill(s.background);
    setFigureResolution(canvas, s.scale);
    if (data.rows.empty()) return canvas;

    QPainter painter(&canvas);
    painter.setRenderHint(QPainter::TextAntialiasing, true);
    painter.setPen(s.text);

    // Column titles, bottom-aligned just above the first row.
    if (options.showColumnTitles) {
        painter.setFont(s.font(s.tickPx));
        const QFontMetrics metrics(painter.font());
        const std::vector<QString> titles = columnTitles(data);
        const int bottom = layout.rowY.front() - s.px(kTitleGap);
        for (int c = 0; c < static_cast<int>(titles.size()); ++c) {
            const QStringList lines = wrapColumnTitle(titles[static_cast<std::size_t>(c)], metrics, layout.cellSize);
            const int height = static_cast<int>(lines.size()) * metrics.height();
            const QRect cell = layout.cellRect(0, c);
            painter.drawText(QRect(cell.left(), bottom - height, cell.width(), height), Qt::AlignHCenter | Qt::AlignBottom,
                             lines.join(QLatin1Char('\n')));
        }
    }

    auto drawLabel = [&](int row, const QString& text, bool italic) {
        painter.setFont(s.font(s.labelPx, false, italic));
        const QRect cell = layout.cellRect(row, 0);
        painter.drawText(QRect(layout.labelLeft, cell.top(), layout.labelWidth, cell.height()), Qt::AlignRight | Qt::AlignVCenter, text);
    };

    int row = 0;
    if (layout.hasInputRow) {
        drawLabel(row, options.inputLabel, false);
        const auto& first = data.rows.front().outcomes;
        for (int c = 0; c < static_cast<int>(first.size()); ++c)
            drawCellImage(painter, layout.cellRect(row, c), first[static_cast<std::size_t>(c)].input);
        ++row;
    }
    const QFont captionFont = s.font(s.captionPx);
    const QColor captionColour(85, 85, 85);
    for (const auto& modelRow : data.rows) {
        drawLabel(row, modelRow.label, modelRow.reference);
        for (int c = 0; c < static_cast<int>(modelRow.outcomes.size()); ++c) {
            const auto& outcome = modelRow.outcomes[static_cast<std::size_t>(c)];
            const QRect cell = layout.cellRect(row, c);
            drawCellImage(painter, cell, outcome.output);
            if (layout.captionHeight > 0) {
                painter.setFont(captionFont);
                painter.setPen(captionColour);
                const QString text = layout.captionTwoLines ? captionLine(QStringLiteral("id"), outcome.corrIdentity) + QLatin1Char('\n') +
                                                                  captionLine(QStringLiteral("c"), outcome.corrConstant)
                                                            : correlationCaption(outcome.corrIdentity, outcome.corrConstant);
                painter.drawText(QRect(cell.left() - s.px(options.cellGap) / 2, cell.bottom() + 1 + s.px(kCaptionPad),
                                       cell.width() + s.px(options.cellGap), layout.captionHeight - s.px(kCaptionPad)),
                                 Qt::AlignHCenter | Qt::AlignTop, text);
                painter.setPen(s.text);
            }
        }
        ++row;
    }

    // The red dashed line, drawn as crisp rectangles so it looks the same at every scale.
    if (layout.separatorX >= 0) {
        const int width = s.px(kSeparatorWidth);
        const int top = layout.rowY.front();
        const int bottom = layout.rowY.back() + layout.cellSize + layout.captionHeight;  // last row is a model row
        for (int y = top; y < bottom; y += s.px(kSeparatorDash + kSeparatorSpace))
            painter.fillRect(QRect(layout.separatorX - width / 2, y, width, std::min(s.px(kSeparatorDash), bottom - y)), s.separator);
    }
    return canvas;
}

}  // namespace il::ui
