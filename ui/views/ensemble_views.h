#pragma once
// The statistics of the runs compared (the gallery's selection; an opened sweep folder and a
// paper figure run with several seeds select their runs): runs whose configs differ only in the
// weight seed form a cell, as collect groups a sweep's tasks (engine/sweep/run_cells.h), and the
// numbers are summary.json's own.
//   Ensemble:      per cell, the share of each outcome over its seeds and the held-out probes'
//                  mean correlations with a one-sd band (renderEnsembleFigure, as collect's
//                  ensemble.png), and under it each cell's identity and constant shares with
//                  their 95 % Wilson intervals.
//   Phase diagram: cells down, rho across, the mean correlations of the runs' rho sweeps and
//                  their zones (renderPhaseDiagram, as collect's phase.png).
// The statistics are recomputed on the views' coalescing redraw (RunView), only when the runs
// compared or one of them changed; drawing shows the image made then.

#include <QLabel>

#include <vector>

#include "engine/metrics/ensemble.h"
#include "engine/sweep/phase_diagram.h"
#include "ui/views/run_view.h"

namespace il::ui {

// The compared runs' statistics. Only finished runs that ran to the end count: one still
// training or stopped early has no final outcome to share.
struct RunStatistics {
    std::vector<il::EnsembleCell> cells;
    il::PhaseDiagram phase;
    int counted = 0;  // runs in the statistics
    int leftOut = 0;  // compared runs not finished or stopped early
    int withRho = 0;  // counted runs that have a rho sweep
};
RunStatistics runStatistics(const std::vector<RunPtr>& runs);

// Shared by the two views: the statistics, recomputed when the runs change, and a header.
class StatisticsView : public RunView {
    Q_OBJECT
public:
    explicit StatisticsView(QWidget* parent = nullptr);

    bool hasContent() const override;
    QImage renderImage(int scale) override;
    // A compared run changed (finished, metrics read again): recompute on the next redraw.
    void runsChanged();

    const RunStatistics& statistics() const;  // brought up to date first
    QString message() const;                  // what the view says above or instead of its figure
    const QImage& shownImage() const;         // the figure on screen, null while it shows only a message

protected:
    void redraw() override;
    // The figure at `style.scale`; null when there is none to draw.
    virtual QImage render(const RunStatistics& statistics, int scale) const = 0;
    // What to say: instead of the figure when `figure` is false, above it otherwise.
    virtual QString describe(const RunStatistics& statistics, bool* figure) const = 0;
    // Rich text under the figure; empty for none.
    virtual QString details(const RunStatistics&) const { return {}; }

private:
    void refresh() const;

    mutable RunStatistics statistics_;
    // The runs the statistics were computed from, with whether each had finished then.
    mutable std::vector<std::pair<const RunRecord*, bool>> inputs_;
    mutable bool stale_ = true;
    mutable int generation_ = 0;  // counts the computations
    int drawnGeneration_ = -1;    // the computation on screen
    QLabel* header_;
    FigureLabel* figure_;
    QLabel* details_;
};

class EnsembleView : public StatisticsView {
    Q_OBJECT
public:
    explicit EnsembleView(QWidget* parent = nullptr);
    QString viewId() const override { return QStringLiteral("ensemble"); }
    QString viewTitle() const override { return tr("Ensemble"); }
    QString helpText() const override;

protected:
    QImage render(const RunStatistics& statistics, int scale) const override;
    QString describe(const RunStatistics& statistics, bool* figure) const override;
    QString details(const RunStatistics& statistics) const override;
};

class PhaseDiagramView : public StatisticsView {
    Q_OBJECT
public:
    explicit PhaseDiagramView(QWidget* parent = nullptr);
    QString viewId() const override { return QStringLiteral("phase"); }
    QString viewTitle() const override { return tr("Phase diagram"); }
    QString helpText() const override;

protected:
    QImage render(const RunStatistics& statistics, int scale) const override;
    QString describe(const RunStatistics& statistics, bool* figure) const override;
};

}  // namespace il::ui
