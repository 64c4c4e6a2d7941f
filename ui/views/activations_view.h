#pragma once
// Every layer for the chosen probes, as in the paper's activation figures (rows = layers,
// columns = probes): a channel selector plus mean/max over channels, a shared or per-layer
// colour scale with a colour bar, a click enlarges a cell and selects its layer for the
// histogram and the layer's statistics.

#include <QComboBox>
#include <QLabel>
#include <QSpinBox>
#include <QToolButton>

#include "ui/figures/activation_figure.h"
#include "ui/views/run_view.h"

class QCustomPlot;

namespace il::ui {

// Which cell of a figure drawn by renderActivationFigure(grid, options) holds `pos` (device
// pixels). Mirrors that function's layout (options.labelWidth must be set); {-1, -1} if none.
struct ActivationCell {
    int row = -1;
    int column = -1;
};
ActivationCell activationCellAt(const il::ActivationGrid& grid, const ActivationFigureOptions& options, QPoint pos);

class ActivationsView : public RunView {
    Q_OBJECT
public:
    explicit ActivationsView(QWidget* parent = nullptr);

    QString viewId() const override { return QStringLiteral("activations"); }
    QString viewTitle() const override { return tr("Activations"); }
    QString helpText() const override;
    QImage renderImage(int scale) override;
    bool hasContent() const override;

    // The probes offered (from the run's frames) and the request for the worker.
    ActivationRequest request() const;
    // The newest grid computed on request for the live step.
    void setLiveGrid(const il::ActivationGrid& grid, const std::vector<il::LayerStatistics>& stats);
    const il::ActivationGrid* shownGrid() const;

    int selectedLayer() const { return selectedLayer_; }
    int selectedProbe() const { return selectedProbe_; }
    void selectCell(int row, int column);
    // Offers the probes of the run's newest frame (and asks for maps of the chosen ones);
    // called for every frame, also while the view is hidden, so the history records maps.
    void updateProbes();
    QComboBox* reductionBox() const { return reduction_; }
    QSpinBox* channelBox() const { return channel_; }
    QComboBox* scaleBox() const { return scale_; }
    QComboBox* colorMapBox() const { return colorMap_; }
    QImage figureImage() const;
    QRectF figureRectOnScreen() const;
    ActivationFigureOptions figureOptions(int scale, int cellSize) const;
    int shownCellSize() const { return shownCell_; }
    // How many side-by-side blocks the layers are wrapped into on screen (1: one column of
    // layers, as exported). A deep network's layers wrap so that the grid fills its pane.
    int shownBlocks() const { return static_cast<int>(blocks_.size()); }
    int shownZoom() const { return shownZoom_; }  // figureZoom (outputs_view.h)

Q_SIGNALS:
    // The probes, reduction or channel changed: the worker should compute a new grid.
    void requestChanged(const il::ui::ActivationRequest& request);

protected:
    void redraw() override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void emitRequest();
    void updateHistogram(const il::ActivationGrid& grid, const std::vector<il::LayerStatistics>& stats);
    void updateEnlarged(const il::ActivationGrid& grid);

    QToolButton* probesButton_;
    QComboBox* reduction_;
    QSpinBox* channel_;
    QComboBox* scale_;
    QComboBox* colorMap_;
    FigureLabel* figure_;
    FigureLabel* enlarged_;
    QCustomPlot* histogram_;
    QLabel* stats_;
    QLabel* header_;

    std::vector<il::Probe> offered_;  // from the newest frame
    std::vector<bool> chosen_;
    il::ActivationGrid liveGrid_;
    std::vector<il::LayerStatistics> liveStats_;
    quint64 liveRunId_ = 0;
    int liveStep_ = -1;  // the newest frame's step when the live grid arrived
    int selectedLayer_ = -1;
    int selectedProbe_ = 0;
    int shownCell_ = 0;
    int shownScale_ = 1;
    int shownZoom_ = 1;
    // The blocks drawn on screen: rows [firstRow, firstRow + rows), their left edge in the
    // shown image and the options they were drawn with (for clicks).
    struct Block {
        int firstRow = 0;
        int rows = 0;
        int left = 0;
        ActivationFigureOptions options;
    };
    std::vector<Block> blocks_;
};

}  // namespace il::ui
