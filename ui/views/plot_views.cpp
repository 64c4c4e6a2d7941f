#include "ui/views/plot_views.h"

#include <QHBoxLayout>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>

#include "ui/figures/plot_export.h"
#include "ui/figures/plot_style.h"
#include "ui/figures/vector_export.h"

namespace il::ui {

// --- PlotView --------------------------------------------------------------------------------

PlotView::PlotView(QWidget* parent) : RunView(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    header_ = makeHeader();
    plot_ = new QCustomPlot(this);
    plot_->setMinimumSize(320, 220);
    plot_->setContextMenuPolicy(Qt::NoContextMenu);  // the view's own menu (export) shows instead
    layout->addWidget(header_);
    layout->addWidget(plot_, 1);
}

void PlotView::redraw()
{
    configure(plot_);
    if (screenZoom() > 1) enlargeText(plot_, screenZoom());
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

QImage PlotView::renderImage(int scale)
{
    if (!hasContent()) return {};
    QCustomPlot offscreen;
    configure(&offscreen);
    return renderPlot(offscreen, exportSize(), std::max(1, scale));
}

bool PlotView::exportPdf(const QString& path, int, QString* error)
{
    QCustomPlot offscreen;
    configure(&offscreen);
    return savePlotPdf(offscreen, path, exportSize(), error);
}

bool PlotView::exportSvg(const QString& path, int, QString* error)
{
    QCustomPlot offscreen;
    configure(&offscreen);
    return savePlotSvg(offscreen, path, exportSize(), error);
}

// --- RhoView ---------------------------------------------------------------------------------

RhoView::RhoView(QWidget* parent) : PlotView(parent)
{
    plot_->setAccessibleName(tr("Correlation against rho plot"));
    plot_->setToolTip(
        tr("Inputs are built with a chosen correlation rho to the training image (rho = 0: unrelated,\n"
           "rho = 1: the training image). Solid: corr(output, input), the identity. Dashed: corr(output,\n"
           "training image), the constant. The strip below names the zone at each rho."));
}

QString RhoView::helpText() const
{
    return tr(
        "<b>Rho zones</b>: test inputs x are made with correlation rho to the training image. "
        "<b>corr with identity</b> = corr(f(x), x), <b>corr with constant</b> = corr(f(x), training image). "
        "Zone A: both high (rho near 1, identity and constant coincide); B: identity high, constant low "
        "(the network generalises); C: both low (it hallucinates); D: constant high, identity low "
        "(it memorised). Select runs in the gallery to overlay them.");
}

std::vector<RhoRun> RhoView::rhoRuns() const
{
    // The compared runs in the order of Figure 3 (architecture, then depth); the current run
    // (at the history step) among them, or first when it is not one of them.
    std::vector<RunPtr> runs = compare_;
    std::stable_sort(runs.begin(), runs.end(), [](const RunPtr& a, const RunPtr& b) {
        if (!a || !b) return false;
        if (a->config.architecture != b->config.architecture) return a->config.architecture < b->config.architecture;
        return a->config.depth < b->config.depth;
    });
    if (run_ && std::find(runs.begin(), runs.end(), run_) == runs.end()) runs.insert(runs.begin(), run_);
    std::vector<RhoRun> out;
    for (const auto& r : runs) {
        if (!r) continue;
        const bool current = r == run_;
        auto points = r->rhoAt(current ? step_ : -1);
        if (points.empty()) continue;
        QString label = r->shortTitle();
        if (current) {
            const TrainingFrame* f = r->frameAt(step_);
            if (f && !(r->finished && step_ < 0)) label += tr(" (step %1)").arg(f->step);
        }
        out.push_back({label, std::move(points)});
    }
    return out;
}

bool RhoView::hasContent() const { return !rhoRuns().empty(); }

bool RhoView::configure(QCustomPlot* plot)
{
    const auto runs = rhoRuns();
    RhoPlotOptions options;
    options.showSpread = runs.size() <= 2;
    configureRhoZonePlot(plot, runs, options);
    if (plot == plot_) {
        // How the inputs are made, in one line: at low rho they are noise, not digits, so a
        // network that copies digits well can still start low on this curve.
        const QString inputs =
            tr("Inputs: the training image blended with random noise orthogonal to it, "
               "x = rho&middot;t + &radic;(1&minus;rho&sup2;)&middot;u at the image's norm, unclipped; "
               "at low rho they are noise, not digits.");
        header_->setText(runs.empty() ? tr("The rho sweep appears after the first evaluation.<br><small>%1</small>").arg(inputs)
                                      : tr("<b>Correlation against rho</b> &nbsp;&middot;&nbsp; %n run(s)<br><small>%1</small>", nullptr,
                                           static_cast<int>(runs.size()))
                                            .arg(inputs));
    }
    return !runs.empty();
}

// --- LossView --------------------------------------------------------------------------------

LossView::LossView(QWidget* parent) : PlotView(parent)
{
    plot_->setAccessibleName(tr("Training loss plot"));
    plot_->setToolTip(
        tr("Mean squared error between the output and the training image, on a log scale.\n"
           "Dashed vertical lines: the learning rate drops (x0.2 at 30, 60 and 80 % of the steps)."));
}

QString LossView::helpText() const
{
    return tr(
        "<b>Loss</b>: mean squared error between the network's output and the training image, per step, "
        "on a log scale. Every network here can drive it to (almost) zero: with one example, "
        "reproducing it is easy; what differs is what the network does with <i>other</i> inputs. "
        "Dashed lines mark the learning-rate decay steps.");
}

bool LossView::hasContent() const { return run_ && !run_->loss.empty(); }

bool LossView::configure(QCustomPlot* plot)
{
    std::vector<LossRun> runs;
    std::vector<int> decay;
    if (run_ && !run_->loss.empty()) {
        LossRun r;
        r.label = compare_.empty() ? QString() : run_->shortTitle();
        r.points = run_->loss;
        runs.push_back(std::move(r));
        decay = run_->decaySteps;
    }
    for (const auto& other : compare_) {
        if (!other || other == run_ || other->loss.empty()) continue;
        runs.push_back({other->shortTitle(), other->loss});
        if (decay.empty()) decay = other->decaySteps;
    }
    configureLossPlot(plot, runs, decay);
    // The step the history slider shows.
    if (run_ && step_ >= 0) {
        auto* marker = new QCPItemStraightLine(plot);
        marker->point1->setCoords(step_, 1.0);
        marker->point2->setCoords(step_, 2.0);
        marker->setPen(QPen(QColor(231, 76, 60), 2));
    }
    if (plot == plot_) {
        if (run_ && !run_->loss.empty()) {
            const auto& last = run_->loss.back();
            header_->setText(tr("<b>Loss</b> &nbsp;&middot;&nbsp; step %1 &nbsp;&middot;&nbsp; loss %2 &nbsp;&middot;&nbsp; lr %3")
                                 .arg(last.step + 1)
                                 .arg(last.loss, 0, 'g', 3)
                                 .arg(last.lr, 0, 'g', 3));
        } else {
            header_->setText(tr("The loss curve appears when training starts."));
        }
    }
    return !runs.empty();
}

// --- LayerErrorView --------------------------------------------------------------------------

LayerErrorView::LayerErrorView(QWidget* parent) : PlotView(parent)
{
    auto* row = new QHBoxLayout;
    compute_ = new QPushButton(tr("Compute layer-wise classifier"), this);
    compute_->setAccessibleName(tr("Compute layer-wise classifier"));
    compute_->setToolTip(
        tr("For each layer, classify training digits by a similarity-weighted vote of the others'\n"
           "activations at that layer (leave one out) and plot the error. Computed on the worker at\n"
           "the current weights; slow for deep CNNs."));
    images_ = new QSpinBox(this);
    images_->setRange(20, 60000);
    images_->setValue(1000);
    images_->setSingleStep(100);
    images_->setPrefix(tr("images: "));
    images_->setAccessibleName(tr("Images for the layer classifier"));
    images_->setToolTip(tr("How many training-split images vote (more: slower, smoother)."));
    status_ = new QLabel(this);
    row->addWidget(compute_);
    row->addWidget(images_);
    row->addWidget(status_, 1);
    static_cast<QVBoxLayout*>(layout())->insertLayout(1, row);
    plot_->setAccessibleName(tr("Layer-wise classifier error plot"));
    connect(compute_, &QPushButton::clicked, this, [this] {
        setComputing(true);
        emit computeRequested(images_->value());
    });
}

void LayerErrorView::setComputing(bool computing)
{
    compute_->setEnabled(!computing);
    status_->setText(computing ? tr("computing on the worker (slow for deep CNNs)...") : QString());
}

QString LayerErrorView::helpText() const
{
    return tr(
        "<b>Layer-wise classifier</b>: at each layer, every training digit is classified by a vote of the "
        "other digits weighted by the cosine similarity of their activations (leave-one-out). Low error: "
        "the layer still carries what tells digits apart. Deep networks that learned the constant lose it "
        "in the later layers: everything maps towards the one training image.");
}

bool LayerErrorView::hasContent() const
{
    if (run_ && !run_->metrics.layerClassifier.layers.empty()) return true;
    for (const auto& r : compare_)
        if (r && !r->metrics.layerClassifier.layers.empty()) return true;
    return false;
}

bool LayerErrorView::configure(QCustomPlot* plot)
{
    std::vector<LayerErrorRun> runs;
    if (run_ && !run_->metrics.layerClassifier.layers.empty()) runs.push_back({run_->shortTitle(), run_->metrics.layerClassifier});
    for (const auto& other : compare_)
        if (other && other != run_ && !other->metrics.layerClassifier.layers.empty())
            runs.push_back({other->shortTitle(), other->metrics.layerClassifier});
    configureLayerErrorPlot(plot, runs);
    if (plot == plot_)
        header_->setText(runs.empty()
                             ? tr("Press <i>Compute</i> to measure the classifier error at every layer.")
                             : tr("<b>Similarity-weighted classifier error</b> per layer (%1 images)").arg(runs.front().curve.images));
    return !runs.empty();
}

}  // namespace il::ui
