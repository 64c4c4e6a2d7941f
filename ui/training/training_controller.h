#pragma once
// Owns the worker thread and is the GUI's only handle on training (docs/gui.md, "How it is built").
// Every call returns at once: starts and loads are queued to the worker, pause/step/stop/lr
// go through flags the training loop polls, and requests (predictions of the drawing,
// activations, the layer classifier, checkpoints) go into a mailbox the worker serves between
// steps or when idle; for each kind only the latest request is served.

#include <QObject>
#include <QPointer>
#include <QString>
#include <QTemporaryDir>

#include <memory>
#include <optional>

#include "engine/data/dataset.h"
#include "ui/training/training_types.h"
#include "ui/training/worker_shared.h"

class QThread;

namespace il::ui {

class TrainingWorker;
class WorkerShared;

class TrainingController : public QObject {
    Q_OBJECT
public:
    enum class State {
        NoModel,   // nothing built yet (or the last build failed)
        Building,  // loading data, building the network
        Running,
        Paused,
        Stopping,
        Ready,  // a model exists and is not training: finished, stopped, loaded or reset
    };
    Q_ENUM(State)

    explicit TrainingController(QObject* parent = nullptr, il::DataLocations data = il::DataLocations::fromEnvironment());
    ~TrainingController() override;

    State state() const { return state_; }
    bool isTraining() const { return state_ == State::Running || state_ == State::Paused || state_ == State::Stopping; }
    quint64 currentRunId() const { return runId_; }
    const il::DataLocations& dataLocations() const { return data_; }
    // Where later runs read their data (File > Preferences); a run in progress keeps its own.
    void setDataLocations(const il::DataLocations& data) { data_ = data; }

    // Builds a fresh session and trains it; a run in progress is stopped first. `data`
    // overrides where the data sets are for this run (a drawing's own MNIST folder).
    quint64 start(const il::ExperimentConfig& config, const std::optional<il::DataLocations>& data = {});
    // Builds the session at step 0 without training (the Reset button, the welcome state).
    quint64 prepare(const il::ExperimentConfig& config, const std::optional<il::DataLocations>& data = {});
    // Builds a session from a config and a checkpoint file.
    quint64 load(const il::ExperimentConfig& config, const QString& checkpointPath, const std::optional<il::DataLocations>& data = {});
    // Builds a session from a checkpoint (weights, optimiser state, loss history) and trains on
    // from its step to config.steps: a stopped or interrupted run continued.
    quint64 continueRun(const il::ExperimentConfig& config, const QString& checkpointPath,
                        const std::optional<il::DataLocations>& data = {});

    void pause();
    void resume();
    void singleStep();
    void stop();
    void setLearningRate(double lr);  // <= 0 returns to the schedule

    quint64 requestPrediction(const std::vector<il::Image>& inputs);
    quint64 requestActivations(const ActivationRequest& request);
    quint64 requestLayerClassifier(int images = 1000);
    quint64 requestCheckpoint(const QString& path);
    void requestFrame();

    // User drawings evaluated with every frame after the figure's probes.
    void setUserProbes(const std::vector<il::Probe>& probes);
    // Activation maps recorded with every frame (for the live view and the history).
    void setFrameActivations(const ActivationRequest& request);
    void setLiveView(WorkerShared::LiveView view);

    // Stops the run, ends the thread and waits for it. Called by the destructor; safe twice.
    void shutdown();

    // Folder where finished runs keep their weights for the gallery (removed at exit).
    QString cacheDir() const;

Q_SIGNALS:
    void stateChanged(il::ui::TrainingController::State state);
    void sessionReady(const il::ui::SessionInfo& info);
    void sessionFailed(quint64 runId, const QString& message);
    void progress(const il::ui::ProgressUpdate& update);
    void frameReady(const il::ui::TrainingFrame& frame);
    void runFinished(const il::ui::RunResult& result);
    void sessionEvaluated(quint64 runId, const il::RunMetrics& metrics);
    void predictionReady(quint64 requestId, const std::vector<il::Image>& outputs);
    void activationsReady(quint64 requestId, const il::ActivationGrid& grid, const std::vector<il::LayerStatistics>& stats);
    void layerClassifierReady(quint64 requestId, const il::LayerClassifierCurve& curve);
    void checkpointSaved(quint64 requestId, const QString& path, const QString& error);
    void requestFailed(const QString& message);

private:
    void setState(State state);
    void kick();  // queues serve() on the worker (a no-op while it trains)
    quint64 launch(const il::ExperimentConfig& config, bool train, const std::optional<il::DataLocations>& data);

    il::DataLocations data_;
    std::shared_ptr<WorkerShared> shared_;
    QThread* thread_ = nullptr;
    QPointer<TrainingWorker> worker_;
    std::unique_ptr<QTemporaryDir> cache_;
    State state_ = State::NoModel;
    bool pauseWanted_ = false;  // the user's last word: Pause (true) or Resume
    quint64 runId_ = 0;
    quint64 nextId_ = 1;
    bool shutDown_ = false;
    bool trainRun_ = false;
};

}  // namespace il::ui
