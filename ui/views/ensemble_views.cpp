#include "ui/views/ensemble_views.h"

#include <QStringList>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "engine/sweep/run_cells.h"
#include "ui/figures/sweep_figures.h"

namespace il::ui {

namespace {

// A run that ran to its end: what a sweep's finished task is.
bool counts(const RunRecord& run) { return run.finished && run.metrics.stopReason != il::StopReason::Cancelled; }

QString percent(double v) { return QString::number(std::lround(v * 100.0)); }

QString shareText(const il::ShareInterval& s)
{
    return QStringLiteral("%1/%2 (%3-%4 %)").arg(s.count).arg(s.total).arg(percent(s.low), percent(s.high));
}

}  // namespace

RunStatistics runStatistics(const std::vector<RunPtr>& runs)
{
    RunStatistics s;
    std::vector<il::MemoryRun> memory;
    for (const RunPtr& run : runs) {
        if (!run) continue;
        if (!counts(*run)) {
            ++s.leftOut;
            continue;
        }
        memory.push_back({run->config, run->label.toStdString(), &run->metrics});
        if (!run->metrics.rhoSweep.empty()) ++s.withRho;
    }
    s.counted = static_cast<int>(memory.size());
    s.cells = il::ensembleCellsOfRuns(memory);
    s.phase = il::phaseDiagramOfRuns(memory);
    return s;
}

// --- StatisticsView ----------------------------------------------------------------------------

StatisticsView::StatisticsView(QWidget* parent) : RunView(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    header_ = makeHeader();
    figure_ = new FigureLabel(this);
    details_ = new QLabel(this);
    details_->setObjectName(QStringLiteral("statisticsDetails"));
    details_->setTextFormat(Qt::RichText);
    details_->setWordWrap(true);
    details_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(header_);
    layout->addWidget(figure_, 1);
    layout->addWidget(details_);
}

void StatisticsView::runsChanged()
{
    stale_ = true;
    scheduleRedraw();
}

void StatisticsView::refresh() const
{
    std::vector<std::pair<const RunRecord*, bool>> inputs;
    for (const RunPtr& run : compare_)
        if (run) inputs.emplace_back(run.get(), counts(*run));
    if (!stale_ && inputs == inputs_) return;
    statistics_ = runStatistics(compare_);
    inputs_ = std::move(inputs);
    stale_ = false;
    ++generation_;
}

const RunStatistics& StatisticsView::statistics() const
{
    refresh();
    return statistics_;
}

QString StatisticsView::message() const { return header_->text(); }

const QImage& StatisticsView::shownImage() const { return figure_->image(); }

bool StatisticsView::hasContent() const
{
    bool figure = false;
    describe(statistics(), &figure);
    return figure;
}

QImage StatisticsView::renderImage(int scale)
{
    const RunStatistics& s = statistics();
    bool figure = false;
    describe(s, &figure);
    if (!figure) return {};
    scale = std::max(1, scale);
    const QImage one = render(s, 1);
    return scale == 1 ? one : exactlyScaled(render(s, scale), one.size(), scale);
}

void StatisticsView::redraw()
{
    // The current run's frames ask every view to redraw; these only do when their runs changed.
    const RunStatistics& s = statistics();
    if (generation_ == drawnGeneration_) return;
    drawnGeneration_ = generation_;
    bool figure = false;
    const QString text = describe(s, &figure);
    header_->setText(text);
    figure_->setImage(figure ? render(s, 1) : QImage());
    figure_->setVisible(figure);
    const QString more = figure ? details(s) : QString();
    details_->setText(more);
    details_->setVisible(!more.isEmpty());
}

// --- EnsembleView ------------------------------------------------------------------------------

EnsembleView::EnsembleView(QWidget* parent) : StatisticsView(parent) { setObjectName(QStringLiteral("ensembleView")); }

QString EnsembleView::helpText() const
{
    return tr(
        "<b>Ensemble</b>: what the runs compared in the Gallery do as a group. Runs whose settings differ only in "
        "the weight seed form a <i>cell</i> (one column). The bars show how often each outcome occurs among a "
        "cell's seeds (n on top; the identity at the bottom, the constant on top), the whiskers the 95 % Wilson "
        "intervals of the identity's share (left, up from the bottom) and the constant's (right, down from the top); "
        "the curves, the held-out probes' mean "
        "correlation with the input (identity) "
        "and with the training image (constant), with a band of one standard deviation over the seeds. Under "
        "the figure: each cell's identity and constant shares with their 95 % Wilson intervals. The numbers "
        "are those of <tt>identitylab-cli collect</tt>'s summary.json. Run &gt; Paper figure with seeds... "
        "runs a figure's networks with several seeds and selects them here.");
}

QImage EnsembleView::render(const RunStatistics& s, int scale) const
{
    FigureStyle style;
    style.scale = scale;
    return renderEnsembleFigure(s.cells, style);
}

QString EnsembleView::describe(const RunStatistics& s, bool* figure) const
{
    *figure = s.counted >= 2;
    QString left;
    if (s.leftOut > 0) left = tr(" %n compared run(s) still training or stopped early are left out.", nullptr, s.leftOut);
    if (!*figure)
        return tr("Select two or more finished runs in the Gallery (Ctrl/Shift+click) to see their statistics here: "
                  "runs that differ only in their weight seed form one cell. Open a sweep folder, or run a paper "
                  "figure with several seeds (Run &gt; Paper figure with seeds...), and its runs are selected "
                  "for you.") +
               left;
    int largest = 0;
    for (const il::EnsembleCell& c : s.cells) largest = std::max(largest, c.n);
    QString text = tr("%n finished run(s)", nullptr, s.counted) +
                   tr(" in %n cell(s) (same settings but the weight seed).", nullptr, static_cast<int>(s.cells.size()));
    if (largest < 2) text += tr(" Every cell has one run: run them with several seeds to see how the outcome varies.");
    return text + left;
}

QString EnsembleView::details(const RunStatistics& s) const
{
    QStringList lines;
    for (const il::EnsembleCell& c : s.cells)
        lines << tr("<b>%1</b>: identity %2, constant %3")
                     .arg(QString::fromStdString(c.label).toHtmlEscaped(), shareText(c.identity), shareText(c.constant));
    return tr("Shares with their 95 % Wilson intervals (the whiskers on each bar): ") + lines.join(QStringLiteral("; "));
}

// --- PhaseDiagramView --------------------------------------------------------------------------

PhaseDiagramView::PhaseDiagramView(QWidget* parent) : StatisticsView(parent) { setObjectName(QStringLiteral("phaseDiagramView")); }

QString PhaseDiagramView::helpText() const
{
    return tr(
        "<b>Phase diagram</b>: the paper's Figure 4 over the runs compared in the Gallery. One row per cell "
        "(runs that differ only in the weight seed), one column per rho, the correlation of the input with "
        "the training image. Left, the cell's mean correlation of the output with the input; right, with the "
        "training image; each square is lettered with its zone: A both high, B identity high (generalises), "
        "C both low, D constant high (memorises). The rho sweeps are the runs' own (the rho_points setting).");
}

QImage PhaseDiagramView::render(const RunStatistics& s, int scale) const
{
    FigureStyle style;
    style.scale = scale;
    return renderPhaseDiagram(s.phase, style);
}

QString PhaseDiagramView::describe(const RunStatistics& s, bool* figure) const
{
    *figure = false;
    if (s.counted == 0)
        return tr(
            "Select finished runs in the Gallery (Ctrl/Shift+click), ideally of several depths or widths: "
            "each cell of runs that differ only in their weight seed becomes a row of correlation against "
            "rho. Open a sweep folder, or run a paper figure with seeds (Run &gt; Paper figure with "
            "seeds...), and its runs are selected for you.");
    if (s.withRho == 0 || s.phase.empty())
        return tr(
            "None of the %n selected finished run(s) has a rho sweep, so there is nothing to draw. Runs "
            "measure one when their rho_points setting is above 0 (the default is 11).",
            nullptr, s.counted);
    *figure = true;
    int drawn = 0;
    for (const int n : s.phase.runs) drawn += n;
    QString text =
        tr("%n cell(s) of", nullptr, static_cast<int>(s.phase.cells.size())) + tr(" %n finished run(s) with a rho sweep.", nullptr, drawn);
    if (s.phase.cells.size() == 1)
        text +=
            tr(" Only one cell: the diagram is one row. Select runs of several settings (a depth sweep, a "
               "paper figure) to see the zones move from row to row.");
    if (s.withRho < s.counted) text += tr(" %n run(s) without a rho sweep are left out.", nullptr, s.counted - s.withRho);
    if (drawn < s.withRho) text += tr(" %n run(s) measured at other rho values than the first are left out.", nullptr, s.withRho - drawn);
    return text;
}

}  // namespace il::ui
