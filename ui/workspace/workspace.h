#pragma once
// What the user has in the window, apart from how it is shown: the current run, the gallery
// of runs and which of them are compared, the drawings added to the probe set, the drawing on
// the Draw tab, the experiment settings, the queued sweep and the recent files. Every change
// is signalled, so the window's widgets follow the workspace and the session autosave saves
// and restores it without knowing the widgets (the document of a document/view design).
//
// The workspace holds data only: training, loading weights and files are the window's and
// the controller's. Its setters emit only when the value really changes, so a widget that
// both edits the workspace and follows it does not loop.

#include <QImage>
#include <QObject>
#include <QStringList>

#include <deque>
#include <optional>
#include <vector>

#include "engine/config/experiment_config.h"
#include "engine/probes/probe.h"
#include "ui/run/run_record.h"

namespace il::ui {

class Workspace : public QObject {
    Q_OBJECT
public:
    explicit Workspace(QObject* parent = nullptr);

    // --- the run the views show --------------------------------------------------------------
    RunPtr currentRun() const { return current_; }
    void setCurrentRun(const RunPtr& run);

    // --- the gallery: finished runs, in the order they came --------------------------------------
    const std::vector<RunPtr>& runs() const { return runs_; }
    bool contains(const RunPtr& run) const;
    void addRun(const RunPtr& run);     // no-op for null or a run already there
    void removeRun(const RunPtr& run);  // also drops it from the selection
    // A run's record changed in a way worth keeping: it finished, was saved to a file, its
    // layer classifier or metrics arrived. The loss points and frames of a training run arrive
    // many times a second and are not signalled (the views are told by the window directly).
    void markRunChanged(const RunPtr& run);

    // --- the gallery runs selected for comparison (a subset of runs(), in gallery order) -------
    const std::vector<RunPtr>& selectedRuns() const { return selected_; }
    void setSelectedRuns(const std::vector<RunPtr>& runs);

    // --- the user's drawings in the probe set --------------------------------------------------
    const std::vector<il::Probe>& probes() const { return probes_; }
    void addProbe(const il::Probe& probe);
    void setProbes(const std::vector<il::Probe>& probes);

    // --- the Draw tab's drawing: its sheet, null while the canvas is blank ----------------------
    const QImage& drawing() const { return drawing_; }
    void setDrawing(const QImage& sheet);

    // --- the experiment settings (what Train starts) ------------------------------------------
    const il::ExperimentConfig& config() const { return config_; }
    // An edit of the settings; it also forgets a replacement that could be undone.
    void setConfig(const il::ExperimentConfig& config);
    // The settings replaced as a whole, not edited (a preset, a config file, a run's "Use these
    // settings"): the settings they replace are kept until the next edit, so that Undo can
    // bring them back. `by` names what replaced them ("the preset 'CNN 5'"). False when the
    // settings were those already.
    bool replaceConfig(const il::ExperimentConfig& config, const QString& by);
    bool canUndoConfigReplacement() const { return replaced_.has_value(); }
    QString configReplacedBy() const { return replacedBy_; }  // empty when there is nothing to undo
    bool undoConfigReplacement();

    // --- the queued sweep: the runs still to start, out of how many ------------------------------
    const std::deque<il::ExperimentConfig>& sweepQueue() const { return sweep_; }
    int sweepRemaining() const { return static_cast<int>(sweep_.size()); }
    int sweepTotal() const { return sweepTotal_; }
    // `labels`, when given, name the runs one for one ("depth=20 seed=3": RunRecord::label).
    void queueSweep(const std::vector<il::ExperimentConfig>& configs, const std::vector<QString>& labels = {});
    // The next run to start, and its label (empty when it was queued without one).
    std::optional<il::ExperimentConfig> takeNextSweepRun(QString* label = nullptr);
    void cancelSweep();  // drops the runs not started yet; the total stays for the last message
    void finishSweep();  // the sweep is over: forgets its total

    // --- the recent files, newest first ----------------------------------------------------------
    static constexpr int kMaxRecentFiles = 8;
    const QStringList& recentFiles() const { return recent_; }
    void setRecentFiles(const QStringList& files);
    void addRecentFile(const QString& path);  // made absolute; moved to the front if already there

    // A new, empty workspace: no runs, drawings or sweep. The settings and the recent files
    // stay: they are the user's preferences more than the session's content.
    void clear();

Q_SIGNALS:
    void currentRunChanged(const il::ui::RunPtr& run);
    void runAdded(const il::ui::RunPtr& run);
    void runRemoved(const il::ui::RunPtr& run);
    void runChanged(const il::ui::RunPtr& run);
    void selectionChanged(const std::vector<il::ui::RunPtr>& runs);
    void probesChanged(const std::vector<il::Probe>& probes);
    void drawingChanged(const QImage& sheet);
    void configChanged(const il::ExperimentConfig& config);
    void configReplacementChanged();  // a replacement can be undone, or no longer
    void sweepChanged();
    void recentFilesChanged(const QStringList& files);
    void cleared();  // after clear(), which signals each change as well

private:
    RunPtr current_;
    std::vector<RunPtr> runs_;
    std::vector<RunPtr> selected_;
    std::vector<il::Probe> probes_;
    QImage drawing_;
    il::ExperimentConfig config_;
    std::optional<il::ExperimentConfig> replaced_;  // the settings before the last replacement
    QString replacedBy_;
    std::deque<il::ExperimentConfig> sweep_;
    std::deque<QString> sweepLabels_;  // one per queued run
    int sweepTotal_ = 0;
    QStringList recent_;
};

}  // namespace il::ui
