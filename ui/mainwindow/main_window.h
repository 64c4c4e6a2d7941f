#pragma once
// IdentityLab's main window: the experiment panel (left), the training bar (top), the views
// in tabs (centre), the history slider (bottom); menus for files, editing, training, runs,
// views and help.
// Shows a Workspace (what the user has: runs, drawings, settings), which its widgets follow
// through the workspace's signals, and drives the TrainingController that fills it.

#include <QMainWindow>
#include <QStringList>

#include <memory>
#include <optional>

#include "ui/mainwindow/view_registry.h"
#include "ui/run/run_record.h"
#include "ui/session/session_host.h"
#include "ui/training/training_controller.h"
#include "ui/workspace/workspace.h"

class QDockWidget;
class QStackedWidget;
class QTabWidget;
class QAction;
class QMenu;
class QLabel;

namespace il::ui {

class ExperimentDock;
class ExperimentPanel;
class TrainingActions;
class TrainingBar;
class HistoryBar;
class RunView;
class OutputsView;
class ActivationsView;
class RhoView;
class LossView;
class LayerErrorView;
class CanvasView;
class GalleryView;
class FolderOpener;
class WelcomePage;
class EnsembleView;
class PhaseDiagramView;

class MainWindow : public QMainWindow, public SessionHost {
    Q_OBJECT
public:
    // Shows `workspace`, or a workspace of its own when none is given.
    explicit MainWindow(Workspace* workspace = nullptr, QWidget* parent = nullptr);
    ~MainWindow() override;

    // --- used by main.cpp, the screenshot mode and the tests ---------------------------------
    Workspace* workspace() const { return workspace_; }
    TrainingController* controller() const override { return controller_; }
    ExperimentPanel* experimentPanel() const { return panel_; }  // your settings, editable
    ExperimentDock* experimentDock() const { return dock_; }
    TrainingBar* trainingBar() const { return bar_; }
    TrainingActions* trainingActions() const { return actions_; }
    QAction* undoSettingsAction() const { return undoSettings_; }
    HistoryBar* historyBar() const { return history_; }
    OutputsView* outputsView() const { return outputs_; }
    ActivationsView* activationsView() const { return activations_; }
    RhoView* rhoView() const { return rho_; }
    LossView* lossView() const { return loss_; }
    LayerErrorView* layerErrorView() const { return layers_; }
    CanvasView* canvasView() const { return canvas_; }
    GalleryView* galleryView() const { return gallery_; }
    WelcomePage* welcomePage() const { return welcome_; }
    FolderOpener* folderOpener() const { return folders_; }
    std::vector<RunView*> views() const;
    RunView* view(const QString& id) const;
    const ViewRegistry& viewRegistry() const { return views_; }
    QMenu* fileMenu() const { return fileMenu_; }
    bool isWelcomeShown() const;
    // View > Presentation mode (F11): full screen, no panel, the views twice as large.
    void setPresentationMode(bool on);
    bool isPresentationMode() const;
    static constexpr int kPresentationZoom = 2;
    // A first start on a screen under 1200 px tall: the app shows the window maximized.
    bool opensMaximized() const { return opensMaximized_; }

    // A run file, a config, or a folder: a run folder joins the gallery as the current run, a
    // sweep folder adds its finished runs as they are read and is watched for more.
    bool openFile(const QString& path, QString* error = nullptr);
    bool saveRun(const RunPtr& run, const QString& path, QString* error = nullptr);
    bool saveCurrentRun(const QString& path, QString* error = nullptr);
    bool exportView(RunView* view, const QString& path, int scale, QString* error = nullptr);
    bool exportAll(const QString& folder, int scale, QString* error = nullptr);
    void queueSweep(const std::vector<il::ExperimentConfig>& configs);  // unlabelled runs
    void queueSweep(const std::vector<SweepRun>& runs);
    // Queues the paper figure `presetName` with `seeds` weight seeds (figure_seeds.h): its runs
    // are selected in the gallery as they finish, and the Ensemble view comes forward at the end.
    bool queueFigureWithSeeds(const QString& presetName, int seeds, QString* error = nullptr);
    void showView(const QString& id);
    void showWelcome();
    // Trains a stopped or interrupted run on from its checkpoint (weights, optimiser state, loss
    // history) to `totalSteps` (0: its configured steps; more to train longer); its loss and
    // frames go on. 0, with the reason in the status bar, when it cannot (RunRecord::continueProblem).
    quint64 continueTraining(const RunPtr& run, int totalSteps = 0);

    // --- SessionHost ----------------------------------------------------------------------------
    QMainWindow* hostWindow() override { return this; }
    QMenu* sessionMenu() override { return fileMenu_; }
    void openRun(const RunPtr& run) override;  // current, with its weights loaded
    bool isSavingRun() const override { return pendingSave_.requestId != 0; }

public Q_SLOTS:
    quint64 startTraining();
    quint64 startPreset(const QString& presetId, int stepsOverride = 0);
    void resetModel();
    void addUserProbe(const il::Image& image);
    // Trains the panel's network on a drawing instead of a data set image.
    quint64 trainOnDrawing(const il::Image& drawing);

Q_SIGNALS:
    void runFinished(const il::ui::RunPtr& run);
    void runSaved(const QString& path, const QString& error);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildUi();
    void registerViews();
    void followWorkspace();
    void centreChanged();
    void buildMenus();
    void updateUndoSettings();
    // The File menu's export commands name the view they export and are disabled, with the
    // reason as their tooltip, when there is nothing to export.
    void updateExportActions();
    void fitToScreen(bool firstStart);
    bool refuseInvalidSettings();  // true, with the reason shown, when your settings cannot run
    QWidget* buildWelcome();
    void editPreferences();  // File > Preferences: the data folders
    void showCurrentRun(const RunPtr& run);
    void showSelection(const std::vector<RunPtr>& runs);
    void showDrawing(const QImage& sheet);
    void showRecentFiles(const QStringList& files);
    void onSessionReady(const SessionInfo& info);
    void onSessionFailed(quint64 runId, const QString& message);
    void onProgress(const ProgressUpdate& update);
    void onFrame(const TrainingFrame& frame);
    void onRunFinished(const RunResult& result);
    void onCheckpointSaved(quint64 id, const QString& path, const QString& error);
    void startNextSweepRun();
    void endSweep();
    void redrawRunViews();
    void updateLiveView();
    void updateTitle();
    void exportInteractive(RunView* view, const QString& format);
    void exportAllInteractive();
    void saveRunInteractive(const RunPtr& run);
    void continueTrainingInteractive(const RunPtr& run);
    void openInteractive();
    void openFolderInteractive();
    bool openFolder(const QString& path, QString* error);
    void showHelp();
    void readSettings();
    void writeSettings();
    std::optional<il::DataLocations> drawingData(const il::Image& drawing, QString* folder, QString* error);

    Workspace* workspace_;
    TrainingController* controller_;
    FolderOpener* folders_;
    ExperimentDock* dock_ = nullptr;
    ExperimentPanel* panel_ = nullptr;
    TrainingActions* actions_ = nullptr;
    TrainingBar* bar_ = nullptr;
    HistoryBar* history_ = nullptr;
    QStackedWidget* center_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    ViewRegistry views_{nullptr};
    OutputsView* outputs_ = nullptr;
    ActivationsView* activations_ = nullptr;
    RhoView* rho_ = nullptr;
    LossView* loss_ = nullptr;
    LayerErrorView* layers_ = nullptr;
    CanvasView* canvas_ = nullptr;
    GalleryView* gallery_ = nullptr;
    WelcomePage* welcome_ = nullptr;
    EnsembleView* ensemble_ = nullptr;
    PhaseDiagramView* phase_ = nullptr;
    QDockWidget* panelDock_ = nullptr;
    QMenu* fileMenu_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QAction* undoSettings_ = nullptr;
    QAction* presentAction_ = nullptr;
    bool opensMaximized_ = false;
    std::vector<QAction*> exportActions_;  // view as PNG, PDF, SVG; run as folder; all views
    QLabel* statusLabel_ = nullptr;

    quint64 layerRequest_ = 0;
    struct PendingSave {
        quint64 requestId = 0;
        RunPtr run;
        QString target;
        QString checkpoint;
    };
    PendingSave pendingSave_;
    int openedCount_ = 0;
    int drawingCount_ = 0;
};

}  // namespace il::ui
