#include "ui/views/run_view.h"

#include <QContextMenuEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>

#include <algorithm>

#include "ui/figures/vector_export.h"

namespace il::ui {

RunView::RunView(QWidget* parent) : QWidget(parent)
{
    redrawTimer_.setSingleShot(true);
    redrawTimer_.setInterval(40);
    connect(&redrawTimer_, &QTimer::timeout, this, &RunView::redrawNow);
}

bool RunView::exportPdf(const QString& path, int scale, QString* error)
{
    scale = std::max(1, scale);
    const QImage image = renderImage(scale);
    if (image.isNull()) {
        if (error) *error = tr("The %1 view has nothing to export yet.").arg(viewTitle());
        return false;
    }
    return saveFigurePdf(image, scale, path, error);
}

bool RunView::exportSvg(const QString& path, int scale, QString* error)
{
    scale = std::max(1, scale);
    const QImage image = renderImage(scale);
    if (image.isNull()) {
        if (error) *error = tr("The %1 view has nothing to export yet.").arg(viewTitle());
        return false;
    }
    return saveFigureSvg(image, scale, path, error);
}

namespace {
int gScreenZoom = 1;  // GUI thread only, like every widget
}  // namespace

void RunView::setScreenZoom(int zoom) { gScreenZoom = std::clamp(zoom, 1, 4); }

int RunView::screenZoom() { return gScreenZoom; }

bool RunView::hasContent() const { return run_ != nullptr; }

QLabel* RunView::makeHeader()
{
    auto* header = new QLabel(this);
    header->setObjectName(QStringLiteral("viewHeader"));
    header->setTextFormat(Qt::RichText);
    header->setWordWrap(true);
    return header;
}

void RunView::setRun(RunPtr run)
{
    run_ = std::move(run);
    scheduleRedraw();
}

void RunView::setStep(int step)
{
    if (step_ == step) return;
    step_ = step;
    scheduleRedraw();
}

void RunView::setCompareRuns(std::vector<RunPtr> runs)
{
    compare_ = std::move(runs);
    scheduleRedraw();
}

void RunView::scheduleRedraw()
{
    if (!isVisible()) {
        dirty_ = true;
        return;
    }
    if (!redrawTimer_.isActive()) redrawTimer_.start();
}

void RunView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (dirty_) scheduleRedraw();
}

void RunView::redrawNow()
{
    dirty_ = false;
    redrawTimer_.stop();
    redraw();
    ++redraws_;
    emit redrawn();
}

void RunView::contextMenuEvent(QContextMenuEvent* event)
{
    QMenu menu(this);
    QAction* png = menu.addAction(tr("Export %1 as PNG...").arg(viewTitle()));
    QAction* svg = menu.addAction(tr("Export %1 as SVG...").arg(viewTitle()));
    QAction* pdf = menu.addAction(tr("Export %1 as PDF...").arg(viewTitle()));
    for (QAction* a : {png, svg, pdf}) a->setEnabled(hasContent());
    QAction* chosen = menu.exec(event->globalPos());
    if (chosen == png)
        emit exportRequested(this, QStringLiteral("png"));
    else if (chosen == svg)
        emit exportRequested(this, QStringLiteral("svg"));
    else if (chosen == pdf)
        emit exportRequested(this, QStringLiteral("pdf"));
}

QImage exactlyScaled(const QImage& rendered, QSize logicalSize, int scale)
{
    const QSize target = logicalSize * scale;
    if (rendered.isNull() || rendered.size() == target) return rendered;
    QImage out(target, QImage::Format_RGB32);
    out.fill(Qt::white);
    out.setDotsPerMeterX(rendered.dotsPerMeterX());
    out.setDotsPerMeterY(rendered.dotsPerMeterY());
    QPainter painter(&out);
    painter.drawImage(QPoint(0, 0), rendered);
    return out;
}

FigureLabel::FigureLabel(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setMinimumSize(120, 80);
}

void FigureLabel::setImage(const QImage& image)
{
    image_ = image;
    update();
}

void FigureLabel::setPlaceholder(const QString& text)
{
    placeholder_ = text;
    update();
}

QSize FigureLabel::sizeHint() const
{
    if (image_.isNull()) return {480, 240};
    return (QSizeF(image_.size()) / image_.devicePixelRatio()).toSize();
}

QRectF FigureLabel::imageRect() const
{
    if (image_.isNull()) return {};
    const QSizeF logical = QSizeF(image_.size()) / image_.devicePixelRatio();
    QSizeF fitted = logical;
    if (fitted.width() > width() || fitted.height() > height()) fitted = logical.scaled(size(), Qt::KeepAspectRatio);
    return {(width() - fitted.width()) / 2.0, (height() - fitted.height()) / 2.0, fitted.width(), fitted.height()};
}

void FigureLabel::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    if (image_.isNull()) {
        painter.setPen(palette().placeholderText().color());
        QFont f = font();
        f.setPointSizeF(f.pointSizeF() * 1.3);
        painter.setFont(f);
        painter.drawText(rect().adjusted(20, 20, -20, -20), Qt::AlignCenter | Qt::TextWordWrap, placeholder_);
        return;
    }
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.drawImage(imageRect(), image_);
}

void FigureLabel::mousePressEvent(QMouseEvent* event)
{
    const QRectF r = imageRect();
    if (r.contains(event->position())) {
        const QPointF p = (event->position() - r.topLeft());
        emit clicked(QPointF(p.x() * image_.width() / r.width(), p.y() * image_.height() / r.height()), event->button());
    }
    QWidget::mousePressEvent(event);
}

void FigureLabel::mouseDoubleClickEvent(QMouseEvent* event)
{
    const QRectF r = imageRect();
    if (r.contains(event->position())) {
        const QPointF p = (event->position() - r.topLeft());
        emit doubleClicked(QPointF(p.x() * image_.width() / r.width(), p.y() * image_.height() / r.height()));
    }
}

}  // namespace il::ui
