#pragma once
// A square sheet to draw a digit on with the mouse: white strokes on black, as MNIST. The
// sheet is kept at 10x the model's resolution (280x280 for 28x28) and reduced the way MNIST
// was made (mnist_preprocess.h). Brush size, eraser, clear, undo and redo.

#include <QImage>
#include <QPointF>
#include <QRect>
#include <QWidget>

#include <vector>

#include "engine/core/image.h"

namespace il::ui {

class DrawingCanvas : public QWidget {
    Q_OBJECT
public:
    enum class Tool { Pen, Eraser };

    explicit DrawingCanvas(QWidget* parent = nullptr);

    int sheetSize() const { return sheet_.width(); }
    QImage sheet() const { return sheet_; }
    bool isBlank() const;

    // The drawing as the model sees it: 1 x size x size in [0, 1], centred like MNIST.
    il::Image toModelInput(int size = 28) const;

    double brushSize() const { return brush_; }  // in model pixels (of 28)
    Tool tool() const { return tool_; }
    bool canUndo() const { return !undo_.empty(); }
    bool canRedo() const { return !redo_.empty(); }

    QSize sizeHint() const override { return {360, 360}; }
    QSize minimumSizeHint() const override { return {160, 160}; }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int w) const override { return w; }

public Q_SLOTS:
    void setBrushSize(double modelPixels);
    void setTool(il::ui::DrawingCanvas::Tool tool);
    void clear();
    void undo();
    void redo();

public:
    // Replaces the drawing by a picture (a loaded file, the clipboard); undoable. The picture
    // is made MNIST-like first, then shown at the sheet's resolution.
    void setPicture(const QImage& picture);
    // Shows a model-size image (e.g. a probe) as the drawing; undoable.
    void setModelImage(const il::Image& image);
    // Draws one stroke through `points` given in model pixels (0..28), with the current tool
    // and brush; undoable. For scripted demos and screenshots.
    void drawStroke(const std::vector<QPointF>& modelPoints);

Q_SIGNALS:
    void changed();  // during a stroke, at every mouse move
    void strokeFinished();
    void historyChanged();  // canUndo / canRedo may differ

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    QRectF sheetRect() const;  // where the sheet is drawn in the widget
    QPointF toSheet(const QPointF& widgetPos) const;
    double penWidthOnSheet() const;
    QRect widgetRectOfSegment(const QPointF& from, const QPointF& to) const;  // sheet coordinates in
    void pushUndo();
    void drawSegment(const QPointF& from, const QPointF& to);

    QImage sheet_;
    std::vector<QImage> undo_;
    std::vector<QImage> redo_;
    double brush_ = 2.2;
    Tool tool_ = Tool::Pen;
    bool drawing_ = false;
    QPointF last_;
};

}  // namespace il::ui
