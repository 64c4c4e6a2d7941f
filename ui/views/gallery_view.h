#pragma once
// Every finished run, with a thumbnail (its outputs on a few probes), its config and final
// metrics. Selecting several shows them side by side on the same probes, like the rows of
// Figure 3, and overlays them in the rho plot. Sweeps fill it as their runs finish. It shows
// the runs it is given (addRun, removeRun) and leaves removing them to their owner.

#include <QLabel>

#include "ui/figures/probe_grid.h"
#include "ui/views/run_view.h"

class QListWidget;
class QListWidgetItem;
class QPushButton;
class QCheckBox;
class QScrollArea;

namespace il::ui {

class GalleryView : public RunView {
    Q_OBJECT
public:
    explicit GalleryView(QWidget* parent = nullptr);

    QString viewId() const override { return QStringLiteral("comparison"); }
    QString viewTitle() const override { return tr("Comparison"); }
    QString helpText() const override;
    QImage renderImage(int scale) override;
    bool hasContent() const override;

    void addRun(const RunPtr& run);
    void removeRun(const RunPtr& run);
    void updateRun(const RunPtr& run);  // its card again (a new name or notes), and the comparison
    // "Name and notes..." of the run: the dialog, then detailsEdited when accepted.
    void editDetails(const RunPtr& run);
    QString cardText(const RunPtr& run) const;  // the text of its card; empty when not here
    const std::vector<RunPtr>& runs() const { return runs_; }
    std::vector<RunPtr> selectedRuns() const;
    void selectRuns(const std::vector<RunPtr>& runs);
    void selectAll();
    int count() const { return static_cast<int>(runs_.size()); }
    ProbeGridData comparisonData() const;
    void setSweepStatus(const QString& text, const QString& toolTip = {});

Q_SIGNALS:
    void selectionChanged(const std::vector<il::ui::RunPtr>& runs);
    void sweepRequested();
    void openRequested(const il::ui::RunPtr& run);  // make it the current run (weights loaded)
    void saveRequested(const il::ui::RunPtr& run);
    // Remove pressed: the owner of the runs removes them (removeRun), the gallery only shows them.
    void removeRequested(const std::vector<il::ui::RunPtr>& runs);
    // The user gave the run a name and notes: its owner stores them (Workspace::setRunNameAndNotes).
    void detailsEdited(const il::ui::RunPtr& run, const QString& name, const QString& notes);
    // "Continue training..." of a stopped run (offered with the reason when it cannot).
    void continueRequested(const il::ui::RunPtr& run);

protected:
    void redraw() override;
    void resizeEvent(QResizeEvent* event) override;

private:
    QImage thumbnail(const RunRecord& run) const;
    QString itemText(const RunRecord& run) const;
    QString itemToolTip(const RunRecord& run) const;
    void fillItem(QListWidgetItem* item, const RunRecord& run) const;  // text, thumbnail, tooltip, tint
    void showContextMenu(const QPoint& pos);

    std::vector<RunPtr> runs_;
    QListWidget* list_;
    FigureLabel* figure_;
    QScrollArea* figureScroll_;  // scrolls the comparison when its rows cannot fit at a readable size
    QLabel* header_;
    QLabel* sweepStatus_;
    QPushButton* open_;
    QPushButton* save_;
    QPushButton* details_;
    QPushButton* remove_;
    QCheckBox* captions_;
};

}  // namespace il::ui
