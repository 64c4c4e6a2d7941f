#include "ui/views/activations_view.h"

#include <QFontMetrics>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QMenu>
#include <QPainter>
#include <QSplitter>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

#include "ui/figures/column_titles.h"
#include "ui/figures/plot_style.h"
#include "ui/views/outputs_view.h"

namespace il::ui {

namespace {

constexpr int kLabelWidth = 72;
constexpr int kMaxBlocks = 4;
constexpr std::size_t kDefaultProbes = 9;  // the paper's activation figures show nine inputs

}  // namespace

ActivationCell activationCellAt(const il::ActivationGrid& grid, const ActivationFigureOptions& options, QPoint pos)
{
    // The renderer's own layout, so a click finds exactly the cell that was drawn there.
    const ActivationFigureLayout layout = activationFigureLayout(grid, options);
    for (int r = 0; r < layout.rows; ++r) {
        const int y = layout.rowY[static_cast<std::size_t>(r)];
        if (pos.y() < y || pos.y() >= y + layout.cellSize) continue;
        const int dx = pos.x() - layout.cellsLeft;
        if (dx < 0) return {r, -1};  // the row's label: that layer, the probe already chosen
        const int c = dx / (layout.cellSize + layout.cellGap);
        if (c < layout.columns && dx - c * (layout.cellSize + layout.cellGap) < layout.cellSize) return {r, c};
        return {r, -1};
    }
    return {};
}

ActivationsView::ActivationsView(QWidget* parent) : RunView(parent)
{
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(8, 8, 8, 8);
    header_ = makeHeader();
    outer->addWidget(header_);

    auto* controls = new QHBoxLayout;
    probesButton_ = new QToolButton(this);
    probesButton_->setText(tr("Probes"));
    probesButton_->setPopupMode(QToolButton::InstantPopup);
    probesButton_->setMenu(new QMenu(probesButton_));
    probesButton_->setAccessibleName(tr("Probes shown in the activation maps"));
    probesButton_->setToolTip(tr("Which inputs are shown as columns (the paper shows nine)."));
    reduction_ = new QComboBox(this);
    reduction_->addItem(tr("Mean over channels"), static_cast<int>(il::ChannelReduction::Mean));
    reduction_->addItem(tr("Max over channels"), static_cast<int>(il::ChannelReduction::Max));
    reduction_->addItem(tr("One channel"), static_cast<int>(il::ChannelReduction::Single));
    reduction_->setAccessibleName(tr("Channel reduction"));
    reduction_->setToolTip(
        tr("A conv layer has many channels (feature maps); show their mean, their maximum,\n"
           "or one channel chosen with the spin box."));
    channel_ = new QSpinBox(this);
    channel_->setRange(0, 1023);
    channel_->setPrefix(tr("channel "));
    channel_->setEnabled(false);
    channel_->setAccessibleName(tr("Channel"));
    channel_->setToolTip(tr("The channel shown when 'One channel' is chosen (layers with fewer channels show their last)."));
    scale_ = new QComboBox(this);
    scale_->addItem(tr("Shared colour scale"), static_cast<int>(ColorScaleMode::Shared));
    scale_->addItem(tr("Per-layer colour scale"), static_cast<int>(ColorScaleMode::PerLayer));
    scale_->setAccessibleName(tr("Colour scale"));
    scale_->setToolTip(
        tr("Shared: one range for all layers, so layers can be compared.\n"
           "Per layer: each row its own range, to see structure in quiet layers."));
    colorMap_ = new QComboBox(this);
    for (ColorMap m : allColorMaps()) colorMap_->addItem(colorMapName(m), static_cast<int>(m));
    colorMap_->setAccessibleName(tr("Colour map"));
    colorMap_->setToolTip(tr("Colour map of the hidden layers (OpenCV). 'paper' is the blue-green map of the paper's figures."));
    controls->addWidget(probesButton_);
    controls->addWidget(reduction_);
    controls->addWidget(channel_);
    controls->addWidget(scale_);
    controls->addWidget(colorMap_);
    controls->addStretch(1);
    outer->addLayout(controls);

    auto* split = new QSplitter(Qt::Horizontal, this);
    figure_ = new FigureLabel(split);
    figure_->setObjectName(QStringLiteral("activationFigure"));
    figure_->setAccessibleName(tr("Activation maps"));
    figure_->setPlaceholder(tr("Activation maps appear once a model exists."));
    figure_->setToolTip(
        tr("Rows: the input, each layer's output, the network's output. Columns: the probes.\n"
           "Click a cell to enlarge it and to see the histogram of its layer."));
    auto* side = new QWidget(split);
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    enlarged_ = new FigureLabel(side);
    enlarged_->setAccessibleName(tr("Enlarged activation map"));
    enlarged_->setPlaceholder(tr("Click a cell to enlarge it."));
    enlarged_->setMinimumSize(200, 200);
    histogram_ = new QCustomPlot(side);
    histogram_->setMinimumSize(200, 160);
    histogram_->setAccessibleName(tr("Histogram of the selected layer"));
    histogram_->setContextMenuPolicy(Qt::NoContextMenu);
    stats_ = new QLabel(side);
    stats_->setWordWrap(true);
    stats_->setTextFormat(Qt::RichText);
    sideLayout->addWidget(enlarged_, 3);
    sideLayout->addWidget(histogram_, 2);
    sideLayout->addWidget(stats_);
    split->addWidget(figure_);
    split->addWidget(side);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    outer->addWidget(split, 1);

    connect(reduction_, &QComboBox::currentIndexChanged, this, [this] {
        channel_->setEnabled(reduction_->currentData().toInt() == static_cast<int>(il::ChannelReduction::Single));
        emitRequest();
    });
    connect(channel_, &QSpinBox::valueChanged, this, [this] {
        if (channel_->isEnabled()) emitRequest();
    });
    connect(scale_, &QComboBox::currentIndexChanged, this, &ActivationsView::scheduleRedraw);
    connect(colorMap_, &QComboBox::currentIndexChanged, this, &ActivationsView::scheduleRedraw);
    connect(figure_, &FigureLabel::clicked, this, [this](QPointF pos, Qt::MouseButton) {
        const il::ActivationGrid* grid = shownGrid();
        if (!grid) return;
        // The block under the mouse: the last one whose left edge is at or left of it.
        const Block* under = nullptr;
        for (const Block& block : blocks_)
            if (pos.x() >= block.left) under = &block;
        if (under) {
            const Block& block = *under;
            const QPoint at = pos.toPoint() - QPoint(block.left, 0);
            const auto cell = activationCellAt(activationRows(*grid, block.firstRow, block.rows), block.options, at);
            if (cell.row >= 0) selectCell(block.firstRow + cell.row, cell.column >= 0 ? cell.column : selectedProbe_);
        }
    });
}

QString ActivationsView::helpText() const
{
    return tr(
        "<b>Activations</b>: what each layer passes on, for a few inputs (rows = layers, top the input, bottom "
        "the output; columns = inputs), as in the paper's activation figures. In a shallow CNN every layer "
        "still shows the input; in a deep CNN trained on one 7 the maps fade into the same pattern for every "
        "input, and the last layers draw the 7. Colours: the hidden layers' values (colour bar); input and "
        "output in grey.");
}

bool ActivationsView::hasContent() const { return shownGrid() != nullptr; }

const il::ActivationGrid* ActivationsView::shownGrid() const
{
    if (!run_) return nullptr;
    const TrainingFrame* f = run_->activationFrameAt(step_);
    // Live: the grid computed on request, unless a newer frame brought its own maps.
    if (step_ < 0 && liveRunId_ == run_->id && !liveGrid_.maps.empty() && (!f || f->step <= liveStep_)) return &liveGrid_;
    if (f) return &f->activations;
    return nullptr;
}

void ActivationsView::setLiveGrid(const il::ActivationGrid& grid, const std::vector<il::LayerStatistics>& stats)
{
    liveGrid_ = grid;
    liveStats_ = stats;
    liveRunId_ = run_ ? run_->id : 0;
    const TrainingFrame* newest = run_ ? run_->frameAt(-1) : nullptr;
    liveStep_ = newest ? newest->step : 0;
    scheduleRedraw();
}

ActivationRequest ActivationsView::request() const
{
    ActivationRequest r;
    for (std::size_t i = 0; i < offered_.size(); ++i)
        if (i < chosen_.size() && chosen_[i]) r.probes.push_back(offered_[i]);
    r.reduction = static_cast<il::ChannelReduction>(reduction_->currentData().toInt());
    r.channel = channel_->value();
    return r;
}

void ActivationsView::emitRequest()
{
    if (offered_.empty()) return;
    emit requestChanged(request());
}

void ActivationsView::updateProbes()
{
    if (!run_) return;
    const TrainingFrame* f = run_->frameAt(-1);
    if (!f) return;
    std::vector<il::Probe> probes;
    for (const auto& o : f->probes) probes.push_back({o.name, o.group, o.input});
    bool same = probes.size() == offered_.size();
    for (std::size_t i = 0; same && i < probes.size(); ++i) same = probes[i].name == offered_[i].name;
    if (same) {
        offered_ = std::move(probes);  // images may have changed size; keep the choice
        return;
    }
    std::vector<bool> chosen(probes.size(), false);
    for (std::size_t i = 0; i < probes.size(); ++i) {
        auto old = std::find_if(offered_.begin(), offered_.end(), [&](const il::Probe& p) { return p.name == probes[i].name; });
        chosen[i] =
            old != offered_.end() ? chosen_[static_cast<std::size_t>(old - offered_.begin())] : (offered_.empty() && i < kDefaultProbes);
    }
    offered_ = std::move(probes);
    chosen_ = std::move(chosen);
    QMenu* menu = probesButton_->menu();
    menu->clear();
    for (std::size_t i = 0; i < offered_.size(); ++i) {
        QAction* a = menu->addAction(QString::fromStdString(offered_[i].name));
        a->setCheckable(true);
        a->setChecked(chosen_[i]);
        connect(a, &QAction::toggled, this, [this, i](bool on) {
            if (i < chosen_.size()) chosen_[i] = on;
            emitRequest();
        });
    }
    emitRequest();
}

ActivationFigureOptions ActivationsView::figureOptions(int scale, int cellSize) const
{
    ActivationFigureOptions o;
    o.style.scale = scale;
    o.cellSize = cellSize;
    o.cellGap = std::max(2, cellSize / 16);
    o.colorMap = static_cast<ColorMap>(colorMap_->currentData().toInt());
    o.colorScale = static_cast<ColorScaleMode>(scale_->currentData().toInt());
    o.labelWidth = kLabelWidth;
    o.showColumnTitles = true;
    return o;
}

QImage ActivationsView::renderImage(int scale)
{
    const il::ActivationGrid* grid = shownGrid();
    if (!grid) return {};
    const QSize logical = renderActivationFigure(*grid, figureOptions(1, 56)).size();
    return exactlyScaled(renderActivationFigure(*grid, figureOptions(std::max(1, scale), 56)), logical, std::max(1, scale));
}

QImage ActivationsView::figureImage() const { return figure_->image(); }

QRectF ActivationsView::figureRectOnScreen() const { return figure_->imageRect(); }

void ActivationsView::resizeEvent(QResizeEvent* event)
{
    RunView::resizeEvent(event);
    scheduleRedraw();
}

void ActivationsView::selectCell(int row, int column)
{
    selectedLayer_ = row;
    selectedProbe_ = std::max(0, column);
    const il::ActivationGrid* grid = shownGrid();
    if (!grid) return;
    const auto* stats = &liveStats_;
    std::vector<il::LayerStatistics> none;
    if (grid != &liveGrid_) {
        const TrainingFrame* f = run_->activationFrameAt(step_);
        stats = f ? &f->layerStats : &none;
    }
    updateHistogram(*grid, *stats);
    updateEnlarged(*grid);
}

void ActivationsView::redraw()
{
    updateProbes();
    int maxChannels = 1;
    const il::ActivationGrid* grid = shownGrid();
    if (!grid) {
        figure_->setImage({});
        header_->setText(run_ ? tr("Computing the activation maps...") : QString());
        return;
    }
    for (int c : grid->layerChannels) maxChannels = std::max(maxChannels, c);
    channel_->setMaximum(std::max(0, maxChannels - 1));
    const int rows = static_cast<int>(grid->maps.size());
    int columns = static_cast<int>(grid->probes.size());
    int side = 28;
    if (!grid->maps.empty() && !grid->maps.front().empty()) side = std::max(1, grid->maps.front().front().width);
    // A deep network's 20-odd layers in one column leave most of a wide pane empty: wrap them
    // into the number of side-by-side blocks that gives the biggest cells, in a pane `zoom`
    // times smaller than the view's (figureZoom); the figure is drawn `zoom` times larger.
    int blockCount = 1;
    auto fit = [&](int zoom) {
        const QSize room = figure_->size() / zoom;
        blockCount = 1;
        shownCell_ = fittingCellSize(room, columns, rows, side, 170, 4);
        for (int b = 2; b <= kMaxBlocks && (rows + b - 1) / b >= 3; ++b) {
            const int perBlock = (rows + b - 1) / b;
            const int cell = fittingCellSize(room, b * columns, perBlock, side, b * 170, 4);
            if (cell > shownCell_ * 1.15) {
                shownCell_ = cell;
                blockCount = b;
            }
        }
    };
    // The cell as it will appear on screen at a zoom: a layout too large for the pane is shown
    // scaled down, so a zoom that cannot fit its text would shrink the cells instead.
    auto shownCellAt = [&](int zoom) {
        fit(zoom);
        ActivationFigureOptions o = figureOptions(zoom, shownCell_);
        const int perBlock = (rows + blockCount - 1) / blockCount;
        int w = 0, h = 0;
        for (int first = 0; first < rows; first += perBlock) {
            o.firstRow = first;
            o.totalRows = rows;
            const QSize size = activationFigureLayout(activationRows(*grid, first, std::min(perBlock, rows - first)), o).size;
            w += size.width();
            h = std::max(h, size.height());
        }
        const double fits = std::min({1.0, figure_->width() / std::max(1.0, double(w)), figure_->height() / std::max(1.0, double(h))});
        return shownCell_ * zoom * fits;
    };
    const double atOne = shownCellAt(1);
    int zoom = figureZoom(shownCell_, side, screenZoom());
    // Larger text, but not at the price of cells much smaller than at 1x (a deep network's
    // grid in presentation mode): then the zoom steps down.
    while (zoom > 1 && shownCellAt(zoom) < 0.8 * atOne) --zoom;
    fit(zoom);
    shownZoom_ = zoom;
    shownScale_ = std::max(1, static_cast<int>(std::ceil(devicePixelRatioF()))) * zoom;
    const ActivationFigureOptions whole = figureOptions(shownScale_, shownCell_);
    const auto wholeStyles = activationRowStyles(*grid, whole);
    const int perBlock = (rows + blockCount - 1) / blockCount;
    std::vector<QImage> parts;
    blocks_.clear();
    int width = 0, height = 0;
    for (int first = 0; first < rows; first += perBlock) {
        Block block{first, std::min(perBlock, rows - first), width, whole};
        block.options.firstRow = first;
        block.options.totalRows = rows;
        block.options.showColorBar = first + perBlock >= rows;  // one bar, after the last block
        if (whole.colorScale == ColorScaleMode::Shared) {
            // Every block in the whole grid's range, so equal colours mean equal values.
            for (const auto& style : wholeStyles)
                if (!style.grey) {
                    block.options.fixedRange = true;
                    block.options.lo = style.lo;
                    block.options.hi = style.hi;
                    break;
                }
        }
        parts.push_back(renderActivationFigure(activationRows(*grid, block.firstRow, block.rows), block.options));
        width += parts.back().width();
        height = std::max(height, parts.back().height());
        blocks_.push_back(block);
    }
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(Qt::white);
    {
        QPainter painter(&image);
        for (std::size_t i = 0; i < parts.size(); ++i) painter.drawImage(QPoint(blocks_[i].left, 0), parts[i]);
    }
    image.setDevicePixelRatio(shownScale_ / zoom);  // the screen's ratio: the zoom makes it larger
    figure_->setImage(image);

    QString what;
    switch (grid->reduction) {
        case il::ChannelReduction::Mean:
            what = tr("mean over channels");
            break;
        case il::ChannelReduction::Max:
            what = tr("max over channels");
            break;
        case il::ChannelReduction::Single:
            what = tr("channel %1").arg(grid->channel);
            break;
    }
    const TrainingFrame* f = step_ < 0 ? run_->frameAt(-1) : run_->activationFrameAt(step_);
    header_->setText(tr("<b>Activations</b> of %1 &nbsp;&middot;&nbsp; %2 layers &nbsp;&middot;&nbsp; %3%4")
                         .arg(run_->shortTitle().toHtmlEscaped())
                         .arg(rows - 1)
                         .arg(what)
                         .arg(f ? tr(" &nbsp;&middot;&nbsp; step %1").arg(f->step) : QString()));
    if (selectedLayer_ < 0 || selectedLayer_ >= rows) selectedLayer_ = std::max(0, rows - 2);
    selectCell(selectedLayer_, std::min(selectedProbe_, std::max(0, columns - 1)));
}

void ActivationsView::updateEnlarged(const il::ActivationGrid& grid)
{
    const std::size_t r = static_cast<std::size_t>(selectedLayer_);
    const std::size_t c = static_cast<std::size_t>(selectedProbe_);
    if (r >= grid.maps.size() || c >= grid.maps[r].size()) {
        enlarged_->setImage({});
        return;
    }
    // One cell as its own figure, drawn with the row's colour range.
    const auto options = figureOptions(1, 56);
    const auto styles = activationRowStyles(grid, options);
    il::ActivationGrid one;
    one.layers = {grid.layers[r]};
    one.probes = {c < grid.probes.size() ? grid.probes[c] : std::string()};
    one.maps = {{grid.maps[r][c]}};
    one.layerChannels = {r < grid.layerChannels.size() ? grid.layerChannels[r] : 1};
    ActivationFigureOptions big = figureOptions(std::max(1, static_cast<int>(std::ceil(devicePixelRatioF()))),
                                                std::clamp(std::min(enlarged_->width(), enlarged_->height()) - 110, 84, 336));
    big.greyInputAndOutput = false;
    big.colorScale = ColorScaleMode::Shared;
    big.fixedRange = true;
    big.lo = styles[r].lo;
    big.hi = styles[r].hi;
    if (styles[r].grey) {
        big.colorMap = ColorMap::Grey;
        big.lo = 0.0;
        big.hi = 1.0;
    }
    big.labelWidth = 0;
    big.showRowLabels = false;
    QImage image = renderActivationFigure(one, big);
    image.setDevicePixelRatio(big.style.scale);
    enlarged_->setImage(image);
}

void ActivationsView::updateHistogram(const il::ActivationGrid& grid, const std::vector<il::LayerStatistics>& stats)
{
    const std::size_t r = static_cast<std::size_t>(selectedLayer_);
    FigureStyle style;
    QCPAxisRect* rect = resetPlot(histogram_, style);
    if (r >= grid.maps.size()) {
        histogram_->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const auto& map : grid.maps[r])
        for (float v : map.pixels)
            if (std::isfinite(v)) {
                lo = std::min(lo, static_cast<double>(v));
                hi = std::max(hi, static_cast<double>(v));
            }
    const QString layerName = QString::fromStdString(grid.layers[r]);
    if (lo <= hi) {
        if (hi <= lo) hi = lo + 1e-6;
        constexpr int kBins = 40;
        QVector<double> keys(kBins), counts(kBins, 0.0);
        const double width = (hi - lo) / kBins;
        for (int i = 0; i < kBins; ++i) keys[i] = lo + (i + 0.5) * width;
        double total = 0;
        for (const auto& map : grid.maps[r])
            for (float v : map.pixels)
                if (std::isfinite(v)) {
                    counts[std::clamp(static_cast<int>((v - lo) / width), 0, kBins - 1)] += 1.0;
                    total += 1.0;
                }
        for (double& c : counts) c = total > 0 ? 100.0 * c / total : 0.0;
        auto* bars = new QCPBars(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        bars->setData(keys, counts, true);
        bars->setWidth(width * 0.9);
        bars->setPen(Qt::NoPen);
        bars->setBrush(QColor(52, 120, 200));
        rect->axis(QCPAxis::atBottom)->setRange(lo - width, hi + width);
        rect->axis(QCPAxis::atLeft)->setRange(0, *std::max_element(counts.begin(), counts.end()) * 1.1 + 1e-9);
    }
    rect->axis(QCPAxis::atBottom)->setLabel(tr("%1 value").arg(layerName));
    rect->axis(QCPAxis::atLeft)->setLabel(tr("% of pixels"));
    histogram_->replot(QCustomPlot::rpQueuedReplot);

    QString text = tr("<b>%1</b>").arg(layerName.toHtmlEscaped());
    if (r < grid.layerChannels.size()) text += tr(", %n channel(s)", nullptr, grid.layerChannels[r]);
    for (const auto& s : stats)
        if (s.layer == grid.layers[r])
            text += tr("<br>mean %1, std %2, min %3, max %4<br>zeros (dead ReLUs): %5 %")
                        .arg(s.mean, 0, 'g', 3)
                        .arg(s.stddev, 0, 'g', 3)
                        .arg(s.min, 0, 'g', 3)
                        .arg(s.max, 0, 'g', 3)
                        .arg(100.0 * s.fractionZero, 0, 'f', 1);
    stats_->setText(text);
}

}  // namespace il::ui
