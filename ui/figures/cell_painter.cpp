#include "ui/figures/cell_painter.h"

#include <QPainter>

#include <algorithm>

#include "ui/figures/image_convert.h"

namespace il::ui {
namespace {

const QColor kMissingFill(238, 238, 238);

}  // namespace

void drawCellPicture(QPainter& painter, const QRect& cell, const QImage& picture)
{
    if (picture.isNull()) {
        painter.fillRect(cell, kMissingFill);
        return;
    }
    const int factor = std::min(cell.width() / picture.width(), cell.height() / picture.height());
    QImage shown;
    if (factor >= 1) {
        shown = factor == 1 ? picture : picture.scaled(picture.size() * factor, Qt::IgnoreAspectRatio, Qt::FastTransformation);
    } else {
        shown = picture.scaled(cell.size(), Qt::KeepAspectRatio, Qt::SmoothTransformation);
    }
    const QPoint topLeft(cell.left() + (cell.width() - shown.width()) / 2, cell.top() + (cell.height() - shown.height()) / 2);
    painter.drawImage(topLeft, shown);
}

void drawCellImage(QPainter& painter, const QRect& cell, const il::Image& image)
{
    if (image.empty() || image.width <= 0 || image.height <= 0 || (image.channels != 1 && image.channels != 3)) {
        painter.fillRect(cell, kMissingFill);
        return;
    }
    const int factor = std::min(cell.width() / image.width, cell.height() / image.height);
    drawCellPicture(painter, cell, toQImage(image, std::max(1, factor)));
}

}  // namespace il::ui
