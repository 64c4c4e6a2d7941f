#pragma once
// IdentityLab's main window: the experiment panel (left), the training bar (top), the views
// in tabs (centre), the history slider (bottom); menus for files, export, views and help.
// Wires the views to the TrainingController and keeps the current run and the gallery.

#include <QMainWindow>
#include <QStringList>

#include <deque>
#include <memory>
#include <optional>

#include "ui/mainwindow/view_registry.h"
#include "ui/run/run_record.h"
#include "ui/training/training_controller.h"

class QStackedWidget;
class QTabWidget;
class QMenu;
class QLabel;

namespace il::ui {

class ExperimentPanel;
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
class WelcomePage;

class MainWindow : public QMainWindow {
    Q_OBJECT
    friend class SessionAutosave;  // ui/session/: autosaves and restores what the window holds
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // --- used by main.cpp, the screenshot mode and the tests ---------------------------------
    TrainingController* controller() const { return controller_; }
    ExperimentPanel* experimentPanel() const { return panel_; }
    TrainingBar* trainingBar() const { return bar_; }
    HistoryBar* historyBar() const { return history_; }
    OutputsView* outputsView() const { return outputs_; }
    ActivationsView* activationsView() const { return activations_; }
    RhoView* rhoView() const { return rho_; }
    LossView* lossView() const { return loss_; }
    LayerErrorView* layerErrorView() const { return layers_; }
    CanvasView* canvasView() const { return canvas_; }
    GalleryView* galleryView() const { return gallery_; }
    WelcomePage* welcomePage() const { return welcome_; }
    std::vector<RunView*> views() const;
    RunView* view(const QString& id) const;
    const ViewRegistry& viewRegistry() const { return views_; }
    RunPtr currentRun() const { return current_; }
    bool isWelcomeShown() const;
    const std::vector<il::Probe>& userProbes() const { return userProbes_; }
    int sweepRemaining() const { return static_cast<int>(sweep_.size()); }

    bool openFile(const QString& path, QString* error = nullptr);
    bool saveRun(const RunPtr& run, const QString& path, QString* error = nullptr);
    bool saveCurrentRun(const QString& path, QString* error = nullptr);
    bool exportView(RunView* view, const QString& path, int scale, QString* error = nullptr);
    bool exportAll(const QString& folder, int scale, QString* error = nullptr);
    void queueSweep(const std::vector<il::ExperimentConfig>& configs);
    void showView(const QString& id);
    void showWelcome();
    QStringList recentFiles() const;

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
    void currentRunChanged(const il::ui::RunPtr& run);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildUi();
    void registerViews();
    void centreChanged();
    void buildMenus();
    QWidget* buildWelcome();
    void editPreferences();  // File > Preferences: the data folders
    void setCurrentRun(const RunPtr& run);
    void onSessionReady(const SessionInfo& info);
    void onSessionFailed(quint64 runId, const QString& message);
    void onProgress(const ProgressUpdate& update);
    void onFrame(const TrainingFrame& frame);
    void onRunFinished(const RunResult& result);
    void onCheckpointSaved(quint64 id, const QString& path, const QString& error);
    void startNextSweepRun();
    void redrawRunViews();
    void updateTitle();
    void exportInteractive(RunView* view, const QString& format);
    void exportAllInteractive();
    void saveRunInteractive(const RunPtr& run);
    void openInteractive();
    void openRun(const RunPtr& run);
    void addRecentFile(const QString& path);
    void rebuildRecentMenu();
    void showHelp();
    void readSettings();
    void writeSettings();
    void applyFrameActivations();
    il::RunMetrics metricsOf(const RunRecord& run) const;
    std::optional<il::DataLocations> drawingData(const il::Image& drawing, QString* folder, QString* error);

    TrainingController* controller_;
    ExperimentPanel* panel_ = nullptr;
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
    QMenu* recentMenu_ = nullptr;
    QLabel* statusLabel_ = nullptr;

    RunPtr current_;
    std::vector<RunPtr> compare_;
    std::vector<il::Probe> userProbes_;
    std::deque<il::ExperimentConfig> sweep_;
    int sweepTotal_ = 0;
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
