#pragma once
// The training worker: a QObject on its own QThread that owns the il::TrainingSession.
// TrainingSession::run blocks this thread's event loop, so while a run is in progress the
// worker serves the GUI's requests (drawing predictions, activations, the layer classifier,
// checkpoints) from the observer between steps; when idle, from the queued serve() slot.
// Every signal carries plain copies (training_types.h).

#include <QObject>
#include <QString>

#include <chrono>
#include <memory>

#include "engine/data/dataset.h"
#include "ui/training/training_types.h"
#include "ui/training/worker_shared.h"

namespace il {
class TrainingSession;
}

namespace il::ui {

class TrainingWorker : public QObject {
    Q_OBJECT
public:
    TrainingWorker(std::shared_ptr<WorkerShared> shared, QString cacheDir);
    ~TrainingWorker() override;

    // Called on the worker thread (queued by the controller). `data` is where the data sets
    // are for this run (a drawing's run has its own MNIST folder).
    // Builds a session for `config`; trains it when `train`, else leaves it at step 0.
    void startRun(quint64 runId, const il::ExperimentConfig& config, bool train, const il::DataLocations& data);
    // Builds a session and loads a checkpoint into it (a saved run, a gallery run).
    void loadRun(quint64 runId, const il::ExperimentConfig& config, const QString& checkpointPath, const il::DataLocations& data);
    // Loads a checkpoint (weights, optimiser state, loss history) and trains on from its step
    // to config.steps, reporting as startRun does.
    void continueRun(quint64 runId, const il::ExperimentConfig& config, const QString& checkpointPath, const il::DataLocations& data);

public Q_SLOTS:
    // Serves whatever the GUI has asked for; queued by the controller after each request.
    void serve();

Q_SIGNALS:
    void sessionReady(const il::ui::SessionInfo& info);
    void sessionFailed(quint64 runId, const QString& message);
    void progress(const il::ui::ProgressUpdate& update);
    void frameReady(const il::ui::TrainingFrame& frame);
    void pausedAt(quint64 runId, int step);
    void runFinished(const il::ui::RunResult& result);
    void sessionEvaluated(quint64 runId, const il::RunMetrics& metrics);
    void predictionReady(quint64 requestId, const std::vector<il::Image>& outputs);
    void activationsReady(quint64 requestId, const il::ActivationGrid& grid, const std::vector<il::LayerStatistics>& stats);
    void layerClassifierReady(quint64 requestId, const il::LayerClassifierCurve& curve);
    void checkpointSaved(quint64 requestId, const QString& path, const QString& error);
    void requestFailed(const QString& message);

private:
    friend class WorkerObserver;
    bool buildSession(quint64 runId, const il::ExperimentConfig& config, const il::DataLocations& data);
    // buildSession, then the checkpoint's weights and optimiser state; on failure the session
    // is gone and sessionFailed says `failure` with the reason as its %1.
    bool buildSessionFromCheckpoint(quint64 runId, const il::ExperimentConfig& config, const QString& checkpointPath,
                                    const il::DataLocations& data, const QString& failure);
    SessionInfo sessionInfo(quint64 runId) const;
    void serveWork(PendingWork work);
    TrainingFrame makeFrame(int step, double loss, std::vector<il::ProbeOutcome> figureProbes, bool withRho, bool withActivations);
    void emitCurrentFrame(bool withRho);
    void trainSession(quint64 runId, const il::ExperimentConfig& config);

    std::shared_ptr<WorkerShared> shared_;
    QString cacheDir_;
    std::unique_ptr<il::TrainingSession> session_;
    quint64 runId_ = 0;
    bool training_ = false;
};

}  // namespace il::ui
