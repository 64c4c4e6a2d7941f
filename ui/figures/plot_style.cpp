#include "ui/figures/plot_style.h"

#include <qcustomplot.h>

#include <algorithm>

namespace il::ui {
namespace {

const QColor kAxisColour(60, 60, 60);
const QColor kGridColour(228, 228, 228);

FigureStyle unscaled(FigureStyle style)
{
    style.scale = 1;
    return style;
}

}  // namespace

void styleAxisRect(QCPAxisRect* rect, const FigureStyle& scaledStyle)
{
    const FigureStyle style = unscaled(scaledStyle);
    const QPen axisPen(kAxisColour, 1);
    for (QCPAxis* axis : rect->axes()) {
        axis->setBasePen(axisPen);
        axis->setTickPen(axisPen);
        axis->setSubTickPen(axisPen);
        axis->setLabelFont(style.font(style.labelPx));
        axis->setTickLabelFont(style.font(style.tickPx));
        axis->setLabelColor(style.text);
        axis->setTickLabelColor(style.text);
        axis->setTickLengthIn(0);
        axis->setTickLengthOut(4);
        axis->setSubTickLengthIn(0);
        axis->setSubTickLengthOut(2);
        axis->setTickLabelPadding(4);
        axis->setLabelPadding(6);
        axis->grid()->setPen(QPen(kGridColour, 1));
        axis->grid()->setZeroLinePen(Qt::NoPen);
        axis->grid()->setSubGridVisible(false);
    }
    // A closed frame as in most journal figures; the top and right axes carry nothing.
    for (QCPAxis* axis : {rect->axis(QCPAxis::atTop), rect->axis(QCPAxis::atRight)}) {
        if (!axis) continue;
        axis->setVisible(true);
        axis->setTicks(false);
        axis->setTickLabels(false);
        axis->grid()->setVisible(false);
    }
}

void styleLegend(QCPLegend* legend, const FigureStyle& scaledStyle)
{
    const FigureStyle style = unscaled(scaledStyle);
    legend->setFont(style.font(style.tickPx));
    legend->setTextColor(style.text);
    legend->setBorderPen(QPen(QColor(200, 200, 200), 1));
    legend->setBrush(QBrush(QColor(255, 255, 255, 230)));
    legend->setIconSize(28, 12);
    legend->setIconTextPadding(6);
    legend->setRowSpacing(1);
    legend->setColumnSpacing(14);
    legend->setMargins(QMargins(7, 4, 7, 4));
}

QCPAxisRect* resetPlot(QCustomPlot* plot, const FigureStyle& style)
{
    plot->setAutoAddPlottableToLegend(false);
    plot->clearItems();
    plot->clearPlottables();
    // Deleting the layout's elements makes QCustomPlot forget its xAxis/yAxis/legend
    // pointers (axisRemoved/legendRemoved), so they are set again below.
    plot->plotLayout()->clear();
    auto* rect = new QCPAxisRect(plot, true);
    plot->plotLayout()->addElement(0, 0, rect);
    plot->xAxis = rect->axis(QCPAxis::atBottom);
    plot->yAxis = rect->axis(QCPAxis::atLeft);
    plot->xAxis2 = rect->axis(QCPAxis::atTop);
    plot->yAxis2 = rect->axis(QCPAxis::atRight);
    plot->legend = new QCPLegend;
    plot->legend->setVisible(false);
    rect->insetLayout()->addElement(plot->legend, Qt::AlignRight | Qt::AlignTop);
    rect->insetLayout()->setMargins(QMargins(10, 10, 10, 10));
    plot->legend->setLayer(QStringLiteral("legend"));
    plot->setBackground(QBrush(style.background));
    plot->plotLayout()->setMargins(QMargins(style.margin, style.margin, style.margin, style.margin));
    styleAxisRect(rect, style);
    styleLegend(plot->legend, style);
    return rect;
}

namespace {

QFont enlarged(QFont font, int zoom)
{
    if (font.pixelSize() > 0)
        font.setPixelSize(font.pixelSize() * zoom);
    else
        font.setPointSizeF(font.pointSizeF() * zoom);
    return font;
}

}  // namespace

void enlargeText(QCustomPlot* plot, int zoom)
{
    if (zoom <= 1) return;
    for (QCPAxisRect* rect : plot->axisRects()) {
        for (QCPAxis* axis : rect->axes()) {
            axis->setLabelFont(enlarged(axis->labelFont(), zoom));
            axis->setTickLabelFont(enlarged(axis->tickLabelFont(), zoom));
        }
    }
    for (QCPLayoutElement* element : plot->plotLayout()->elements(true)) {
        if (auto* text = dynamic_cast<QCPTextElement*>(element)) text->setFont(enlarged(text->font(), zoom));
        if (auto* legend = dynamic_cast<QCPLegend*>(element)) {
            legend->setFont(enlarged(legend->font(), zoom));
            for (int i = 0; i < legend->itemCount(); ++i)
                if (QCPAbstractLegendItem* item = legend->item(i)) item->setFont(enlarged(item->font(), zoom));
        }
    }
    for (int i = 0; i < plot->itemCount(); ++i)
        if (auto* text = dynamic_cast<QCPItemText*>(plot->item(i))) text->setFont(enlarged(text->font(), zoom));
    for (int i = 0; i < plot->graphCount(); ++i) {
        QPen pen = plot->graph(i)->pen();
        pen.setWidthF(std::max(1.0, pen.widthF()) * zoom);
        plot->graph(i)->setPen(pen);
    }
}

}  // namespace il::ui
