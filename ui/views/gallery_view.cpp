#include "ui/views/gallery_view.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QListWidget>
#include <QMenu>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "ui/figures/sweep_figures.h"
#include "ui/panels/run_details_dialog.h"
#include "ui/views/outputs_view.h"

namespace il::ui {

namespace {
constexpr std::size_t kThumbProbes = 6;
}

GalleryView::GalleryView(QWidget* parent) : RunView(parent)
{
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(8, 8, 8, 8);
    header_ = makeHeader();
    outer->addWidget(header_);

    // Runs on top (flowing in rows), the comparison below with the full width: Figure 3 has
    // 13 columns, and a projector needs them big.
    auto* split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("gallerySplitter"));
    split->setChildrenCollapsible(false);
    auto* left = new QWidget(split);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    list_ = new QListWidget(left);
    list_->setObjectName(QStringLiteral("galleryList"));
    list_->setAccessibleName(tr("Run gallery"));
    list_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    list_->setIconSize(QSize(120, 22));
    list_->setWordWrap(true);
    list_->setFlow(QListView::LeftToRight);
    list_->setWrapping(true);
    list_->setResizeMode(QListView::Adjust);
    list_->setUniformItemSizes(true);
    list_->setGridSize(QSize(340, 86));  // room for the card's lines: name, state, correlations, outcome, notes
    list_->setToolTip(tr("Finished runs. Select several (Ctrl/Shift+click) to compare them side by side and in the rho plot."));
    auto* buttons = new QHBoxLayout;
    auto* sweep = new QPushButton(tr("Sweep..."), left);
    sweep->setObjectName(QStringLiteral("sweepButton"));
    sweep->setAccessibleName(tr("Sweep a parameter"));
    sweep->setToolTip(
        tr("Queue runs over a parameter's values (e.g. depth 1..20), inits, activations, optimisers and seeds, "
           "each one added here as it finishes; at the end they are compared."));
    open_ = new QPushButton(tr("Open"), left);
    open_->setAccessibleName(tr("Open the run"));
    open_->setToolTip(tr("Make this run the current one: its weights are loaded, so you can draw on it and look at its layers."));
    save_ = new QPushButton(tr("Save..."), left);
    save_->setAccessibleName(tr("Save the run"));
    save_->setToolTip(tr("Save the run (config, weights, history) to a .ilrun file."));
    details_ = new QPushButton(tr("Name && notes..."), left);
    details_->setObjectName(QStringLiteral("galleryDetails"));
    details_->setAccessibleName(tr("Name and notes of the run"));
    details_->setToolTip(
        tr("Give the run a name (shown on its card, in the comparison and in the plot legends) and notes. "
           "Also in the run's context menu."));
    remove_ = new QPushButton(tr("Remove"), left);
    remove_->setAccessibleName(tr("Remove from the gallery"));
    buttons->addWidget(sweep);
    buttons->addWidget(open_);
    buttons->addWidget(save_);
    buttons->addWidget(details_);
    buttons->addWidget(remove_);
    sweepStatus_ = new QLabel(left);
    sweepStatus_->setObjectName(QStringLiteral("sweepStatus"));
    sweepStatus_->setWordWrap(true);
    leftLayout->addWidget(list_, 1);
    leftLayout->addLayout(buttons);

    auto* right = new QWidget(split);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    captions_ = new QCheckBox(tr("correlations under each output"), left);
    captions_->setChecked(true);
    captions_->setAccessibleName(tr("Show correlations"));
    // In a scroll area: a sweep with seeds selects dozens of runs, and fitted to the pane their
    // rows would shrink to a few pixels each. They keep whole image pixels and the pane scrolls.
    figureScroll_ = new QScrollArea(right);
    figureScroll_->setObjectName(QStringLiteral("comparisonScroll"));
    figureScroll_->setWidgetResizable(true);
    figureScroll_->setFrameShape(QFrame::NoFrame);
    figure_ = new FigureLabel(figureScroll_);
    figure_->setObjectName(QStringLiteral("comparisonFigure"));
    figure_->setAccessibleName(tr("Comparison figure"));
    figureScroll_->setWidget(figure_);
    figure_->setPlaceholder(
        tr("Finished runs collect on the left. Select two or more to compare them here, like the rows of "
           "the paper's Figure 3. Try Sweep... with depth 1..20."));
    buttons->addWidget(sweepStatus_, 1);
    buttons->addWidget(captions_);
    rightLayout->addWidget(figureScroll_, 1);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    // The runs start with a third of the height (four rows of cards on a 800-pixel window); the
    // user's split is kept for the next start.
    split->setSizes({300, 600});
    left->setMinimumHeight(110);
    right->setMinimumHeight(120);
    split->restoreState(QSettings().value(QStringLiteral("gallery/splitter")).toByteArray());
    connect(split, &QSplitter::splitterMoved, this,
            [split] { QSettings().setValue(QStringLiteral("gallery/splitter"), split->saveState()); });
    outer->addWidget(split, 1);

    connect(list_, &QListWidget::itemSelectionChanged, this, [this] {
        const auto selected = selectedRuns();
        open_->setEnabled(selected.size() == 1);
        save_->setEnabled(selected.size() == 1);
        details_->setEnabled(selected.size() == 1);
        remove_->setEnabled(!selected.empty());
        scheduleRedraw();
        emit selectionChanged(selected);
    });
    connect(captions_, &QCheckBox::toggled, this, &GalleryView::scheduleRedraw);
    connect(sweep, &QPushButton::clicked, this, &GalleryView::sweepRequested);
    connect(open_, &QPushButton::clicked, this, [this] {
        const auto s = selectedRuns();
        if (s.size() == 1) emit openRequested(s.front());
    });
    connect(list_, &QListWidget::itemDoubleClicked, this, [this](QListWidgetItem* item) {
        const int row = list_->row(item);
        if (row >= 0 && row < static_cast<int>(runs_.size())) emit openRequested(runs_[static_cast<std::size_t>(row)]);
    });
    connect(save_, &QPushButton::clicked, this, [this] {
        const auto s = selectedRuns();
        if (s.size() == 1) emit saveRequested(s.front());
    });
    connect(remove_, &QPushButton::clicked, this, [this] { emit removeRequested(selectedRuns()); });
    connect(details_, &QPushButton::clicked, this, [this] {
        const auto s = selectedRuns();
        if (s.size() == 1) editDetails(s.front());
    });
    list_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(list_, &QListWidget::customContextMenuRequested, this, &GalleryView::showContextMenu);
    open_->setEnabled(false);
    save_->setEnabled(false);
    details_->setEnabled(false);
    remove_->setEnabled(false);
}

QString GalleryView::helpText() const
{
    return tr(
        "<b>Gallery</b>: every finished run lands here. Select several to see them side by side on the same "
        "inputs (one row per run, like Figure 3 of the paper) and overlaid in the rho plot. <i>Sweep</i> "
        "queues one run per value of a parameter, e.g. depth 1 to 20, per checked init, activation and optimiser, and per "
        "seed, fills the gallery as they finish and compares them at the end. <i>Name &amp; notes</i> names a run (the name "
        "shows in the comparison and the legends); a card's context menu also continues a stopped run's training.");
}

QImage GalleryView::thumbnail(const RunRecord& run) const
{
    const auto& probes = run.metrics.probes.empty() && run.frameAt() ? run.frameAt()->probes : run.metrics.probes;
    ProbeGridData data;
    ProbeGridRow row;
    for (std::size_t i = 0; i < probes.size() && i < kThumbProbes; ++i) row.outcomes.push_back(probes[i]);
    if (row.outcomes.empty()) return {};
    data.rows.push_back(row);
    ProbeGridOptions o;
    o.cellSize = 28;
    o.cellGap = 2;
    o.style.margin = 2;
    o.showInputRow = false;
    o.labelWidth = 1;
    o.trainingColumns = 1;
    return renderProbeGrid(data, o);
}

QString GalleryView::itemText(const RunRecord& run) const
{
    const auto& m = run.metrics;
    double id = 0, c = 0;
    int n = 0;
    for (const auto& g : m.groups)
        if (g.group != il::ProbeGroup::Train) {
            id += g.corrIdentity * g.count;
            c += g.corrConstant * g.count;
            n += g.count;
        }
    QString text = run.label.isEmpty() ? run.title() : tr("%1  (%2)").arg(run.label, run.title());
    if (!run.name.isEmpty()) text = tr("%1  (%2)").arg(run.name, run.label.isEmpty() ? run.title() : run.label);
    if (m.stopReason != il::StopReason::Completed) text += QLatin1Char('\n') + stopReasonText(m);
    if (n > 0) text += tr("\nid %1 / c %2, loss %3").arg(formatCorrelation(id / n), formatCorrelation(c / n)).arg(m.finalLoss, 0, 'g', 2);
    // What the network learned, as the outcome classifier reads its held-out probes.
    if (m.outcomeScores.probes > 0) text += tr("\n%1").arg(QString::fromLatin1(il::toString(m.outcome)));
    if (!run.notes.trimmed().isEmpty()) {
        const QString first = run.notes.trimmed().section(QLatin1Char('\n'), 0, 0);
        text += QStringLiteral("\n\u201c%1\u201d").arg(first.size() > 48 ? first.left(47) + QStringLiteral("\u2026") : first);
    }
    return text;
}

QString GalleryView::itemToolTip(const RunRecord& run) const
{
    QString tip;
    if (!run.name.isEmpty()) tip += run.name + QLatin1Char('\n');
    tip += QString::fromStdString(il::describeModel(run.config));
    if (!run.label.isEmpty()) tip += tr(" (%1)").arg(run.label);
    tip += tr("\nlr %1, %2 steps, seed %3, init %4")
               .arg(run.config.lr)
               .arg(run.config.steps)
               .arg(run.config.seed)
               .arg(QString::fromLatin1(il::toString(run.config.init)));
    tip += tr("\n%1 parameters").arg(QString::fromStdString(il::formatCount(run.metrics.parameters)));
    if (!run.sourceFile.isEmpty()) tip += tr("\nfrom %1").arg(run.sourceFile);
    if (!run.notes.trimmed().isEmpty()) tip += tr("\n\nNotes:\n%1").arg(run.notes.trimmed());
    return tip;
}

void GalleryView::fillItem(QListWidgetItem* item, const RunRecord& run) const
{
    item->setText(itemText(run));
    const QImage thumb = thumbnail(run);
    if (!thumb.isNull()) item->setIcon(QIcon(QPixmap::fromImage(thumb)));
    item->setToolTip(itemToolTip(run));
    if (run.metrics.outcomeScores.probes > 0) {
        QColor tint = outcomeColor(run.metrics.outcome);  // the ensemble figure's colours
        tint.setAlpha(45);
        item->setBackground(tint);
    }
    if (run.metrics.stopReason == il::StopReason::Diverged) item->setForeground(QColor(192, 57, 43));
}

void GalleryView::updateRun(const RunPtr& run)
{
    auto it = std::find(runs_.begin(), runs_.end(), run);
    if (it == runs_.end()) return;
    fillItem(list_->item(static_cast<int>(it - runs_.begin())), *run);
    scheduleRedraw();
}

QString GalleryView::cardText(const RunPtr& run) const
{
    auto it = std::find(runs_.begin(), runs_.end(), run);
    return it == runs_.end() ? QString() : list_->item(static_cast<int>(it - runs_.begin()))->text();
}

void GalleryView::editDetails(const RunPtr& run)
{
    if (!run) return;
    RunDetailsDialog dialog(*run, this);
    if (dialog.exec() == QDialog::Accepted) emit detailsEdited(run, dialog.name(), dialog.notes());
}

void GalleryView::showContextMenu(const QPoint& pos)
{
    QListWidgetItem* item = list_->itemAt(pos);
    if (!item) return;
    const int row = list_->row(item);
    if (row < 0 || row >= static_cast<int>(runs_.size())) return;
    const RunPtr run = runs_[static_cast<std::size_t>(row)];
    QMenu menu(this);
    menu.addAction(tr("Name and notes..."), this, [this, run] { editDetails(run); });
    menu.addAction(tr("Open"), this, [this, run] { emit openRequested(run); });
    menu.addAction(tr("Save..."), this, [this, run] { emit saveRequested(run); });
    menu.addSeparator();
    QAction* more = menu.addAction(tr("Continue training..."), this, [this, run] { emit continueRequested(run); });
    const QString why = run->continueProblem();
    more->setEnabled(why.isEmpty());
    more->setToolTip(why.isEmpty() ? tr("Train on from where it stopped, to its configured steps or more.")
                                   : tr("Not possible: %1.").arg(why));
    menu.setToolTipsVisible(true);
    menu.exec(list_->viewport()->mapToGlobal(pos));
}

void GalleryView::addRun(const RunPtr& run)
{
    if (!run) return;
    runs_.push_back(run);
    auto* item = new QListWidgetItem(list_);
    fillItem(item, *run);
    header_->setText(tr("<b>Gallery</b> &nbsp;&middot;&nbsp; %n run(s)", nullptr, count()));
}

void GalleryView::removeRun(const RunPtr& run)
{
    auto it = std::find(runs_.begin(), runs_.end(), run);
    if (it == runs_.end()) return;
    delete list_->takeItem(static_cast<int>(it - runs_.begin()));
    runs_.erase(it);
    header_->setText(tr("<b>Gallery</b> &nbsp;&middot;&nbsp; %n run(s)", nullptr, count()));
    scheduleRedraw();
    emit selectionChanged(selectedRuns());
}

std::vector<RunPtr> GalleryView::selectedRuns() const
{
    std::vector<RunPtr> out;
    for (int i = 0; i < list_->count(); ++i)
        if (list_->item(i)->isSelected() && i < static_cast<int>(runs_.size())) out.push_back(runs_[static_cast<std::size_t>(i)]);
    return out;
}

void GalleryView::selectRuns(const std::vector<RunPtr>& runs)
{
    {
        const QSignalBlocker block(list_);
        for (int i = 0; i < list_->count(); ++i)
            list_->item(i)->setSelected(std::find(runs.begin(), runs.end(), runs_[static_cast<std::size_t>(i)]) != runs.end());
    }
    emit list_->itemSelectionChanged();  // once for the whole change
}

void GalleryView::selectAll() { selectRuns(runs_); }

void GalleryView::setSweepStatus(const QString& text, const QString& toolTip)
{
    sweepStatus_->setText(text);
    sweepStatus_->setToolTip(toolTip);
}

bool GalleryView::hasContent() const
{
    const ProbeGridData data = comparisonData();
    return !data.rows.empty() && !data.rows.front().outcomes.empty();
}

ProbeGridData GalleryView::comparisonData() const
{
    ProbeGridData data;
    auto selected = selectedRuns();
    if (selected.empty()) return data;
    // Sort like Figure 3: by architecture, then depth.
    std::stable_sort(selected.begin(), selected.end(), [](const RunPtr& a, const RunPtr& b) {
        if (a->config.architecture != b->config.architecture) return a->config.architecture < b->config.architecture;
        return a->config.depth < b->config.depth;
    });
    // The columns of the first run that has probes (a run opened without them, or stopped
    // before its first evaluation, has none); other runs contribute the probes of the same name.
    // With none, the rows are there (their labels) but there is no column to draw.
    const auto withProbes = std::find_if(selected.begin(), selected.end(), [](const RunPtr& r) { return !r->metrics.probes.empty(); });
    static const std::vector<il::ProbeOutcome> kNone;
    const auto& first = withProbes == selected.end() ? kNone : (*withProbes)->metrics.probes;
    for (const auto& run : selected) {
        ProbeGridRow row;
        row.label = run->shortTitle();
        if (run->metrics.stopReason == il::StopReason::Diverged) row.label += tr("\n(diverged)");
        for (const auto& p : first) {
            auto it = std::find_if(run->metrics.probes.begin(), run->metrics.probes.end(),
                                   [&](const il::ProbeOutcome& o) { return o.name == p.name; });
            if (it != run->metrics.probes.end()) {
                il::ProbeOutcome o = *it;
                o.input = p.input;  // one input row for all
                row.outcomes.push_back(o);
            } else {
                il::ProbeOutcome o = p;
                o.output = il::Image();
                o.corrIdentity = o.corrConstant = std::nan("");
                row.outcomes.push_back(o);
            }
        }
        data.rows.push_back(row);
    }
    return data;
}

QImage GalleryView::renderImage(int scale)
{
    const ProbeGridData data = comparisonData();
    if (data.rows.empty() || data.rows.front().outcomes.empty()) return {};
    ProbeGridOptions o;
    o.cellSize = 56;
    o.showCaptions = captions_->isChecked();
    o.showColumnTitles = true;
    const QSize logical = probeGridLayout(data, o).size;
    o.style.scale = std::max(1, scale);
    return exactlyScaled(renderProbeGrid(data, o), logical, o.style.scale);
}

void GalleryView::resizeEvent(QResizeEvent* event)
{
    RunView::resizeEvent(event);
    scheduleRedraw();
}

void GalleryView::redraw()
{
    const ProbeGridData data = comparisonData();
    if (data.rows.empty() || data.rows.front().outcomes.empty()) {
        figure_->setMinimumSize(0, 0);
        figure_->setImage({});
        return;
    }
    const int columns = static_cast<int>(data.rows.front().outcomes.size());
    const int rows = static_cast<int>(data.rows.size()) + 1;
    const int captionRoom = captions_->isChecked() ? 18 : 0;
    const int side = std::max(1, data.rows.front().outcomes.front().input.width);
    const int dpr = std::max(1, static_cast<int>(std::ceil(devicePixelRatioF())));
    // The pane is the scroll area's viewport, less a vertical scroll bar when the rows at their
    // smallest readable size (one image pixel a pixel, with captions) do not fit its height.
    QSize pane = figureScroll_->viewport()->size();
    if (heightForCells(rows, side, 5 + captionRoom) > pane.height()) pane.rwidth() -= figureScroll_->verticalScrollBar()->sizeHint().width();
    // Laid out for a pane `zoom` times smaller, drawn `zoom` times larger (figureZoom).
    const int zoom = figureZoom(fittingCellSize(pane, columns, rows, side, 100, 5 + captionRoom), side, screenZoom());
    const QSize room = pane / zoom;
    ProbeGridOptions o;
    o.style.scale = dpr * zoom;
    o.cellSize = fittingCellSize(room, columns, rows, side, 100, 5 + captionRoom);
    if (o.cellSize < 40 && captionRoom > 0) o.cellSize = fittingCellSize(room, columns, rows, side, 100, 5);
    o.cellGap = std::max(2, o.cellSize / 14);
    o.showCaptions = captions_->isChecked() && o.cellSize >= 40;
    o.showColumnTitles = true;
    QImage image = renderProbeGrid(data, o);
    image.setDevicePixelRatio(dpr);
    // Taller than the pane: the label takes the figure's height, so the figure is drawn at its
    // size and scrolls, instead of being scaled down to fit.
    const int figureHeight = static_cast<int>(std::ceil(image.height() / static_cast<double>(dpr)));
    figure_->setMinimumSize(0, figureHeight > figureScroll_->viewport()->height() ? figureHeight : 0);
    figure_->setImage(image);
}

}  // namespace il::ui
