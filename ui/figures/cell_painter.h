#pragma once
// Draws one image into one cell of a figure grid: the largest integer upscale that fits
// (nearest neighbour, so pixels stay pixels), centred; smooth downscaling only when the
// image is larger than the cell; a light grey box for a missing image.

#include <QImage>
#include <QRect>

#include "engine/core/image.h"

class QPainter;

namespace il::ui {

void drawCellImage(QPainter& painter, const QRect& cell, const il::Image& image);

// The same for a picture already converted at upscale 1 (e.g. colour-mapped).
void drawCellPicture(QPainter& painter, const QRect& cell, const QImage& picture);

}  // namespace il::ui
