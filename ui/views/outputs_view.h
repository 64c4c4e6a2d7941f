#pragma once
// The probe set of Figures 2-3 as an input row over the model's output row, each output with
// its correlation to the identity and to the constant; for a 1-layer linear FCN a third row
// with Theorem 1's closed-form prediction (and for a 1-layer CNN the gradient-descent fixed
// point, docs/paper-summary.md, "Theorems").

#include <QLabel>

#include "ui/figures/probe_grid.h"
#include "ui/views/run_view.h"

namespace il::ui {

class OutputsView : public RunView {
    Q_OBJECT
public:
    explicit OutputsView(QWidget* parent = nullptr);

    QString viewId() const override { return QStringLiteral("outputs"); }
    QString viewTitle() const override { return tr("Outputs"); }
    QString helpText() const override;
    QImage renderImage(int scale) override;
    bool hasContent() const override;

    // The figure's data for the shown step (tests look at it).
    ProbeGridData gridData() const;
    const QImage& shownImage() const { return figure_->image(); }
    int shownBlocks() const { return static_cast<int>(blocks_.size()); }
    // The step of the frame last drawn (-1 before any): what a viewer sees advance.
    int shownStep() const { return shownStep_; }
    // How many times larger than 1x the figure is drawn (figureZoom).
    int shownZoom() const { return shownZoom_; }

Q_SIGNALS:
    // A probe cell was clicked: the canvas can take its input.
    void probeActivated(const il::ProbeOutcome& probe);

protected:
    void redraw() override;
    void resizeEvent(QResizeEvent* event) override;

private:
    ProbeGridOptions options(int scale, int cellSize) const;
    int shownStep_ = -1;
    int shownZoom_ = 1;
    FigureLabel* figure_;
    QLabel* header_;
    QLabel* summary_;
    // The live figure wraps the probes into blocks (stacked) when that gives bigger cells.
    struct Block {
        ProbeGridLayout layout;
        int firstColumn = 0;
        int top = 0;  // device pixels in the shown image
    };
    std::vector<Block> blocks_;
    ProbeGridData lastData_;
};

// The cell size for a figure of columns x rows cells in `area` (logical px): a whole
// multiple of the image side when that fills the room well, else whatever fits.
int fittingCellSize(QSize area, int columns, int rows, int imageSide, int labelRoom, int rowExtra);
// The height fittingCellSize needs for `rows` rows of `cellSize` cells: its inverse, for a view
// that scrolls once the rows cannot fit at a given size.
int heightForCells(int rows, int cellSize, int rowExtra);
// How many times larger than its 1x layout a figure is drawn on screen: at least the screen
// zoom (2 in presentation mode), and more in a pane so large that the 1x cells would be twice
// the image side or more. The figure is then laid out for a pane that many times smaller and
// drawn that many times larger, so its text grows with the pane as its cells do, and what is
// shown is the exported figure, larger.
int figureZoom(int cellAtOne, int imageSide, int screenZoom);

// "id .97 / c .12" of the groups, one line: what the paper's rows show at a glance.
QString groupSummaryText(const std::vector<il::ProbeOutcome>& probes);

}  // namespace il::ui
