#include "ui/views/outputs_view.h"

#include "engine/metrics/correlation.h"

#include <QPainter>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <map>

namespace il::ui {

namespace {

int trainingColumns(const std::vector<il::ProbeOutcome>& probes)
{
    int n = 0;
    for (const auto& p : probes)
        if (p.group == il::ProbeGroup::Train) ++n;
    return n;
}

QString groupLabel(il::ProbeGroup g)
{
    switch (g) {
        case il::ProbeGroup::Train:
            return QObject::tr("train");
        case il::ProbeGroup::Blend:
            return QObject::tr("blend");
        case il::ProbeGroup::Mnist:
            return QObject::tr("digits");
        case il::ProbeGroup::Fashion:
            return QObject::tr("fashion");
        case il::ProbeGroup::Pattern:
            return QObject::tr("patterns");
        case il::ProbeGroup::Noise:
            return QObject::tr("noise");
        case il::ProbeGroup::User:
            return QObject::tr("yours");
    }
    return {};
}

}  // namespace

// Room above the rows for the column titles.
constexpr int kTitleRoom = 30;

int fittingCellSize(QSize area, int columns, int rows, int imageSide, int labelRoom, int rowExtra)
{
    // Pixels stay square only at whole multiples of the image side; take the largest multiple
    // that fits, or the next one up (shown slightly scaled down) when the fitting one would
    // leave the figure much smaller than the room it has.
    const int byWidth = (area.width() - labelRoom) / std::max(1, columns) - 5;
    const int byHeight = (area.height() - kTitleRoom) / std::max(1, rows) - rowExtra;
    const int room = std::max(8, std::min(byWidth, byHeight));
    int multiple = std::max(1, room / imageSide);
    if (multiple * imageSide < room * 0.8) ++multiple;  // the label scales the figure down to fit
    return std::clamp(multiple * imageSide, 16, 6 * imageSide);
}

int heightForCells(int rows, int cellSize, int rowExtra) { return rows * (cellSize + rowExtra) + kTitleRoom; }

int figureZoom(int cellAtOne, int imageSide, int screenZoom)
{
    return std::max(std::max(1, screenZoom), std::clamp(cellAtOne / std::max(1, 2 * imageSide), 1, 3));
}

QString groupSummaryText(const std::vector<il::ProbeOutcome>& probes)
{
    struct Acc {
        double id = 0, c = 0;
        int n = 0;
    };
    std::map<int, Acc> groups;
    for (const auto& p : probes) {
        if (p.group == il::ProbeGroup::Train) continue;
        auto& a = groups[static_cast<int>(p.group)];
        a.id += std::isfinite(p.corrIdentity) ? p.corrIdentity : 0.0;
        a.c += std::isfinite(p.corrConstant) ? p.corrConstant : 0.0;
        ++a.n;
    }
    QStringList parts;
    for (const auto& [g, a] : groups)
        parts << QStringLiteral("%1: id %2 / c %3")
                     .arg(groupLabel(static_cast<il::ProbeGroup>(g)), formatCorrelation(a.id / a.n), formatCorrelation(a.c / a.n));
    return parts.join(QStringLiteral("   "));
}

OutputsView::OutputsView(QWidget* parent) : RunView(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    header_ = makeHeader();
    summary_ = new QLabel(this);
    summary_->setObjectName(QStringLiteral("viewSummary"));
    summary_->setWordWrap(true);
    figure_ = new FigureLabel(this);
    figure_->setAccessibleName(tr("Outputs figure"));
    figure_->setPlaceholder(tr("Train a model (or pick one on the welcome page) to see what it makes of each input."));
    figure_->setToolTip(
        tr("Top row: the inputs. Below: the model's output for each input, with its correlation to the\n"
           "input (id: the identity map) and to the training image (c: the constant map).\n"
           "Left of the red dashed line: the training image itself. Click a cell to send it to the canvas."));
    layout->addWidget(header_);
    layout->addWidget(figure_, 1);
    layout->addWidget(summary_);
    connect(figure_, &FigureLabel::clicked, this, [this](QPointF pos, Qt::MouseButton button) {
        if (button != Qt::LeftButton || lastData_.rows.empty()) return;
        const auto& outcomes = lastData_.rows.front().outcomes;
        for (const Block& b : blocks_) {
            const QPoint p = pos.toPoint() - QPoint(0, b.top);
            for (int c = 0; c < b.layout.columns; ++c)
                for (std::size_t r = 0; r < b.layout.rowY.size(); ++r)
                    if (b.layout.cellRect(static_cast<int>(r), c).contains(p)) {
                        const std::size_t i = static_cast<std::size_t>(b.firstColumn + c);
                        if (i < outcomes.size()) emit probeActivated(outcomes[i]);
                        return;
                    }
        }
    });
}

QString OutputsView::helpText() const
{
    return tr(
        "<b>Outputs</b>: the network was trained to reproduce one image (left of the red line). "
        "Here it is fed other images. A network that learned the <i>identity</i> reproduces each input "
        "(high <b>id</b>); one that learned the <i>constant</i> outputs the training image whatever it sees "
        "(high <b>c</b>). Shallow CNNs generalise to the identity, deep CNNs memorise the constant, FCNs "
        "output noise or the constant (Zhang et al., Figures 2-3).");
}

bool OutputsView::hasContent() const { return run_ && run_->frameAt(step_) != nullptr; }

ProbeGridData OutputsView::gridData() const
{
    ProbeGridData data;
    if (!run_) return data;
    const TrainingFrame* frame = run_->frameAt(step_);
    if (!frame || frame->probes.empty()) return data;
    ProbeGridRow output;
    output.label = tr("%1\nstep %2").arg(run_->shortTitle()).arg(frame->step);
    output.outcomes = frame->probes;
    data.rows.push_back(output);
    if (!frame->theory.empty() && frame->theory.size() == frame->probes.size()) {
        ProbeGridRow theory;
        theory.label = run_->theoryName.isEmpty() ? tr("theory") : run_->theoryName;
        theory.reference = true;
        theory.outcomes = frame->probes;
        const il::Image* reference = run_->trainingImages.empty() ? nullptr : &run_->trainingImages.front();
        for (std::size_t i = 0; i < theory.outcomes.size(); ++i) {
            auto& o = theory.outcomes[i];
            o.output = frame->theory[i];
            const bool sameSize = o.output.size() == o.input.size();
            o.corrIdentity = sameSize ? il::correlation(run_->config.correlation, o.output.pixels, o.input.pixels) : std::nan("");
            o.corrConstant = reference && reference->size() == o.output.size()
                                 ? il::correlation(run_->config.correlation, o.output.pixels, reference->pixels)
                                 : std::nan("");
        }
        data.rows.push_back(theory);
    }
    return data;
}

ProbeGridOptions OutputsView::options(int scale, int cellSize) const
{
    ProbeGridOptions o;
    o.style.scale = scale;
    o.cellSize = cellSize;
    o.cellGap = std::max(3, cellSize / 14);
    o.showCaptions = true;
    o.showColumnTitles = true;
    o.labelWidth = 0;
    if (!lastData_.rows.empty()) o.trainingColumns = trainingColumns(lastData_.rows.front().outcomes);
    return o;
}

QImage OutputsView::renderImage(int scale)
{
    lastData_ = gridData();
    if (lastData_.rows.empty()) return {};
    const QSize logical = probeGridLayout(lastData_, options(1, 56)).size;
    return exactlyScaled(renderProbeGrid(lastData_, options(std::max(1, scale), 56)), logical, std::max(1, scale));
}

void OutputsView::resizeEvent(QResizeEvent* event)
{
    RunView::resizeEvent(event);
    scheduleRedraw();
}

void OutputsView::redraw()
{
    lastData_ = gridData();
    const TrainingFrame* frame = run_ ? run_->frameAt(step_) : nullptr;
    if (lastData_.rows.empty() || !frame) {
        figure_->setImage({});
        header_->setText(run_ ? tr("<b>%1</b> - building the model...").arg(run_->title().toHtmlEscaped()) : QString());
        summary_->clear();
        return;
    }
    const int columns = static_cast<int>(lastData_.rows.front().outcomes.size());
    const int rowsPerBlock = static_cast<int>(lastData_.rows.size()) + 1;
    const int side = std::max(1, lastData_.rows.front().outcomes.front().input.width);
    // How many stacked blocks give the biggest cells (a projector wants them big), in a pane
    // `zoom` times smaller than the view's; the figure is drawn `zoom` times larger.
    int blockCount = 1, cell = 0;
    auto fit = [&](int zoom) {
        blockCount = 1;
        cell = 0;
        for (int b = 1; b <= 3; ++b) {
            const int perBlock = (columns + b - 1) / b;
            const QSize room(figure_->width() / zoom, (figure_->height() - (b - 1) * 60) / zoom);
            const int c = fittingCellSize(room, perBlock, b * rowsPerBlock, side, 100, 34);
            if (c > cell * 1.15) {
                cell = c;
                blockCount = b;
            }
        }
    };
    fit(1);
    const int zoom = figureZoom(cell, side, screenZoom());
    if (zoom > 1) fit(zoom);
    shownZoom_ = zoom;
    const int dpr = std::max(1, static_cast<int>(std::ceil(devicePixelRatioF())));
    ProbeGridOptions opts = options(dpr * zoom, cell);
    opts.labelWidth = 90;  // the same in every block, so the columns line up
    const int perBlock = (columns + blockCount - 1) / blockCount;
    const int trainCols = opts.trainingColumns;
    std::vector<QImage> parts;
    blocks_.clear();
    int height = 0, width = 0;
    for (int b = 0; b < blockCount; ++b) {
        const int first = b * perBlock;
        const int last = std::min(columns, first + perBlock);
        if (first >= last) break;
        ProbeGridData part;
        for (const auto& row : lastData_.rows) {
            ProbeGridRow r = row;
            r.outcomes.assign(row.outcomes.begin() + first, row.outcomes.begin() + last);
            part.rows.push_back(std::move(r));
        }
        ProbeGridOptions o = opts;
        o.trainingColumns = b == 0 ? trainCols : 0;
        parts.push_back(renderProbeGrid(part, o));
        blocks_.push_back({probeGridLayout(part, o), first, height});
        height += parts.back().height();
        width = std::max(width, parts.back().width());
    }
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(Qt::white);
    {
        QPainter painter(&image);
        for (std::size_t i = 0; i < parts.size(); ++i) painter.drawImage(QPoint(0, blocks_[i].top), parts[i]);
    }
    image.setDevicePixelRatio(dpr);
    figure_->setImage(image);

    QString where = step_ < 0 ? tr("live") : tr("history");
    QString status;
    if (run_->finished && step_ < 0) {
        status = run_->statusText();
        // The run's outcome as the classifier reads its held-out probes (docs/config.md, "Outcomes").
        if (run_->metrics.outcomeScores.probes > 0) status += tr(" · outcome: %1").arg(QString::fromLatin1(il::toString(run_->metrics.outcome)));
    } else {
        status = tr("step %1 of %2, loss %3").arg(frame->step).arg(frame->totalSteps).arg(frame->loss, 0, 'g', 3);
        // A live frame: the training images' outputs are of this step, the others of their last evaluation.
        if (frame->live && frame->probesStep >= 0 && frame->probesStep < frame->step)
            status += tr(" (training image at this step, other probes at step %1)").arg(frame->probesStep);
    }
    shownStep_ = frame->step;
    const bool diverged = run_->finished && run_->metrics.stopReason == il::StopReason::Diverged;
    header_->setText(tr("<b>%1</b> &nbsp;&middot;&nbsp; %2 &nbsp;&middot;&nbsp; <span style='color:%3'>%4</span>")
                         .arg(run_->title().toHtmlEscaped(), where, diverged ? QStringLiteral("#c0392b") : QStringLiteral("#555"),
                              status.toHtmlEscaped()));
    QString summary = groupSummaryText(frame->probes);
    if (!frame->theory.empty() && frame->theory.size() == frame->probes.size()) {
        // How far the trained network is from the closed form (docs/paper-summary.md, "Theorems").
        double gap = 0.0;
        for (std::size_t i = 0; i < frame->probes.size(); ++i) {
            const auto& a = frame->probes[i].output.pixels;
            const auto& b = frame->theory[i].pixels;
            for (std::size_t k = 0; k < a.size() && k < b.size(); ++k) gap = std::max(gap, static_cast<double>(std::abs(a[k] - b[k])));
        }
        summary += tr("   |   %1: max |network - prediction| = %2").arg(run_->theoryName).arg(gap, 0, 'g', 2);
    }
    summary_->setText(summary);
}

}  // namespace il::ui
