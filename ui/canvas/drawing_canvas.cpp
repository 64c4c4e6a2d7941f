#include "ui/canvas/drawing_canvas.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>

#include "ui/canvas/mnist_preprocess.h"

namespace il::ui {

namespace {
constexpr int kSheet = 280;  // 10x the 28x28 model input
constexpr std::size_t kUndoDepth = 50;
}  // namespace

DrawingCanvas::DrawingCanvas(QWidget* parent) : QWidget(parent), sheet_(kSheet, kSheet, QImage::Format_Grayscale8)
{
    sheet_.fill(0);
    setCursor(Qt::CrossCursor);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setAccessibleName(tr("Drawing canvas"));
    setToolTip(
        tr("Draw a digit with the left mouse button (white on black, like MNIST).\n"
           "The model's output appears beside it and follows your strokes."));
}

bool DrawingCanvas::isBlank() const
{
    for (int y = 0; y < sheet_.height(); ++y) {
        const uchar* line = sheet_.constScanLine(y);
        for (int x = 0; x < sheet_.width(); ++x)
            if (line[x] != 0) return false;
    }
    return true;
}

il::Image DrawingCanvas::toModelInput(int size) const { return mnistLike(sheet_, size).image; }

void DrawingCanvas::setBrushSize(double modelPixels) { brush_ = std::clamp(modelPixels, 0.5, 8.0); }

void DrawingCanvas::setTool(Tool tool) { tool_ = tool; }

void DrawingCanvas::pushUndo()
{
    undo_.push_back(sheet_);
    if (undo_.size() > kUndoDepth) undo_.erase(undo_.begin());
    redo_.clear();
    emit historyChanged();
}

void DrawingCanvas::clear()
{
    if (isBlank()) return;
    pushUndo();
    sheet_.fill(0);
    update();
    emit changed();
    emit strokeFinished();
}

void DrawingCanvas::undo()
{
    if (undo_.empty()) return;
    redo_.push_back(sheet_);
    sheet_ = undo_.back();
    undo_.pop_back();
    update();
    emit historyChanged();
    emit changed();
    emit strokeFinished();
}

void DrawingCanvas::redo()
{
    if (redo_.empty()) return;
    undo_.push_back(sheet_);
    sheet_ = redo_.back();
    redo_.pop_back();
    update();
    emit historyChanged();
    emit changed();
    emit strokeFinished();
}

void DrawingCanvas::setModelImage(const il::Image& image)
{
    if (image.empty()) return;
    pushUndo();
    QImage small(image.width, image.height, QImage::Format_Grayscale8);
    for (int y = 0; y < image.height; ++y) {
        uchar* line = small.scanLine(y);
        for (int x = 0; x < image.width; ++x) {
            float v = 0.0f;
            for (int c = 0; c < image.channels; ++c) v += image.at(c, y, x);
            v /= static_cast<float>(image.channels);
            line[x] = static_cast<uchar>(std::clamp(v, 0.0f, 1.0f) * 255.0f + 0.5f);
        }
    }
    sheet_ = small.scaled(kSheet, kSheet, Qt::IgnoreAspectRatio, Qt::SmoothTransformation).convertToFormat(QImage::Format_Grayscale8);
    update();
    emit changed();
    emit strokeFinished();
}

void DrawingCanvas::drawStroke(const std::vector<QPointF>& modelPoints)
{
    if (modelPoints.empty()) return;
    pushUndo();
    const double k = kSheet / 28.0;
    QPointF last = modelPoints.front() * k;
    drawSegment(last, last);
    for (const QPointF& p : modelPoints) {
        drawSegment(last, p * k);
        last = p * k;
    }
    update();
    emit changed();
    emit strokeFinished();
}

void DrawingCanvas::setPicture(const QImage& picture)
{
    const auto prepared = mnistLike(picture, 28);
    setModelImage(prepared.image);
}

QRectF DrawingCanvas::sheetRect() const
{
    const double side = std::min(width(), height());
    return {(width() - side) / 2.0, (height() - side) / 2.0, side, side};
}

QPointF DrawingCanvas::toSheet(const QPointF& p) const
{
    const QRectF r = sheetRect();
    return {(p.x() - r.left()) * kSheet / r.width(), (p.y() - r.top()) * kSheet / r.height()};
}

double DrawingCanvas::penWidthOnSheet() const
{
    return brush_ * kSheet / 28.0 * (tool_ == Tool::Eraser ? 2.0 : 1.0);  // the eraser is twice as wide
}

QRect DrawingCanvas::widgetRectOfSegment(const QPointF& from, const QPointF& to) const
{
    // The segment's bounding box in widget pixels, grown by half the pen and by one sheet pixel
    // (the smooth scaling blends neighbours) plus 2 px, so a mouse move repaints only what
    // changed: a full repaint (the sheet scaled to the widget, the grid) took most of the GUI
    // thread's time while drawing during training (tst_main_window's stall measurement).
    const QRectF r = sheetRect();
    const double scale = r.width() / kSheet;
    const double pen = penWidthOnSheet() * scale;
    const QPointF a = r.topLeft() + from * scale, b = r.topLeft() + to * scale;
    const double margin = pen / 2.0 + scale + 2.0;
    return QRectF(QPointF(std::min(a.x(), b.x()), std::min(a.y(), b.y())), QPointF(std::max(a.x(), b.x()), std::max(a.y(), b.y())))
        .adjusted(-margin, -margin, margin, margin)
        .toAlignedRect();
}

void DrawingCanvas::drawSegment(const QPointF& from, const QPointF& to)
{
    QPainter painter(&sheet_);
    painter.setRenderHint(QPainter::Antialiasing);
    const QColor ink = tool_ == Tool::Pen ? QColor(255, 255, 255) : QColor(0, 0, 0);
    const double width = penWidthOnSheet();
    painter.setPen(QPen(ink, width, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    if (from == to) {
        painter.setBrush(ink);
        painter.setPen(Qt::NoPen);
        painter.drawEllipse(from, width / 2.0, width / 2.0);
    } else {
        painter.drawLine(from, to);
    }
}

void DrawingCanvas::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton) {
        QWidget::mousePressEvent(event);
        return;
    }
    pushUndo();
    drawing_ = true;
    last_ = toSheet(event->position());
    drawSegment(last_, last_);
    update(widgetRectOfSegment(last_, last_));
    emit changed();
}

void DrawingCanvas::mouseMoveEvent(QMouseEvent* event)
{
    if (!drawing_) return;
    const QPointF p = toSheet(event->position());
    drawSegment(last_, p);
    update(widgetRectOfSegment(last_, p));
    last_ = p;
    emit changed();
}

void DrawingCanvas::mouseReleaseEvent(QMouseEvent* event)
{
    if (!drawing_ || event->button() != Qt::LeftButton) return;
    drawing_ = false;
    emit strokeFinished();
}

void DrawingCanvas::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    update();
}

void DrawingCanvas::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().window());
    const QRectF r = sheetRect();
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.drawImage(r, sheet_);
    // A faint 28x28 grid hints at the model's resolution; the central 20x20 box at MNIST's.
    painter.setPen(QPen(QColor(255, 255, 255, 22), 1));
    for (int i = 1; i < 28; ++i) {
        const double t = r.width() * i / 28.0;
        painter.drawLine(QPointF(r.left() + t, r.top()), QPointF(r.left() + t, r.bottom()));
        painter.drawLine(QPointF(r.left(), r.top() + t), QPointF(r.right(), r.top() + t));
    }
    painter.setPen(QPen(QColor(120, 170, 255, 90), 1, Qt::DashLine));
    const double inset = r.width() * 4.0 / 28.0;
    painter.drawRect(r.adjusted(inset, inset, -inset, -inset));
    painter.setPen(QPen(palette().mid().color(), 1));
    painter.drawRect(r.adjusted(0, 0, -1, -1));
}

}  // namespace il::ui
