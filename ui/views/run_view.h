#pragma once
// Base of every view of a run (outputs, activations, rho zones, loss, layers, canvas,
// gallery): which run and which step it shows, a coalescing redraw timer (at most ~25 redraws
// a second however fast frames arrive; docs/gui.md, "How it is built"), and export (PNG and SVG at any
// scale, PDF), offered in the view's context menu.

#include <QImage>
#include <QLabel>
#include <QSize>
#include <QString>
#include <QTimer>
#include <QWidget>

#include <vector>

#include "ui/run/run_record.h"

namespace il::ui {

class RunView : public QWidget {
    Q_OBJECT
public:
    explicit RunView(QWidget* parent = nullptr);

    virtual QString viewId() const = 0;     // file name stem: "outputs"
    virtual QString viewTitle() const = 0;  // "Outputs"
    virtual QString helpText() const = 0;   // "What am I looking at?"

    // The figure as it is exported: logical size times `scale` pixels. Null when there is
    // nothing to show yet.
    virtual QImage renderImage(int scale) = 0;
    // SVG and PDF of the figure: by default the image of renderImage(scale) on a page of its
    // logical size (ui/figures/vector_export.h); plots override them with vector drawings.
    virtual bool exportPdf(const QString& path, int scale, QString* error);
    virtual bool exportSvg(const QString& path, int scale, QString* error);
    virtual bool hasContent() const;

    void setRun(RunPtr run);
    RunPtr run() const { return run_; }
    // -1: follow the newest frame; else show the frame at (or before) this step.
    void setStep(int step);
    int step() const { return step_; }
    // Finished runs shown beside the current one (gallery selection).
    void setCompareRuns(std::vector<RunPtr> runs);

    // Something in the run changed (a frame arrived): redraw within ~40 ms. A hidden view
    // (another tab) only remembers it and redraws when shown: the GUI thread renders only
    // what can be seen, and the CPU goes to training.
    void scheduleRedraw();
    // Redraw now (tests, export).
    void redrawNow();
    int redrawCount() const { return redraws_; }

    // How much larger the figures are drawn on screen than at 1x: 2 in presentation mode, so
    // that labels and captions read from the back of a lecture hall; cells, text and gaps all
    // grow together, so the layout stays the exported one. Exports never change with it.
    static void setScreenZoom(int zoom);
    static int screenZoom();

Q_SIGNALS:
    void exportRequested(il::ui::RunView* view, const QString& format);  // "png", "svg" or "pdf"
    void redrawn();

protected:
    virtual void redraw() = 0;
    // The view's header line: rich text that wraps, styled by the window as #viewHeader (its
    // size grows in presentation mode).
    QLabel* makeHeader();
    void contextMenuEvent(QContextMenuEvent* event) override;
    void showEvent(QShowEvent* event) override;

    RunPtr run_;
    int step_ = -1;
    std::vector<RunPtr> compare_;

private:
    QTimer redrawTimer_;
    int redraws_ = 0;
    bool dirty_ = false;
};

// Exports must be exactly `scale` times the 1x figure; text metrics do not scale exactly,
// so a figure rendered at `scale` is padded or trimmed (white, at most a few pixels) to
// logicalSize * scale.
QImage exactlyScaled(const QImage& rendered, QSize logicalSize, int scale);

// Shows a rendered figure scaled to fit (aspect kept, centred) and reports clicks in the
// figure's own pixel coordinates.
class FigureLabel : public QWidget {
    Q_OBJECT
public:
    explicit FigureLabel(QWidget* parent = nullptr);
    void setImage(const QImage& image);
    const QImage& image() const { return image_; }
    void setPlaceholder(const QString& text);
    QRectF imageRect() const;  // where the image is drawn, in widget coordinates
    QSize sizeHint() const override;

Q_SIGNALS:
    void clicked(QPointF imagePos, Qt::MouseButton button);
    void doubleClicked(QPointF imagePos);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;

private:
    QImage image_;
    QString placeholder_;
};

}  // namespace il::ui
