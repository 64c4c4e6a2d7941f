#pragma once
// The mailbox between the GUI thread and the training worker. The training loop blocks the
// worker's event loop (docs/gui.md, "How it is built"), so nothing here is a queued slot: the GUI thread
// sets flags and drops requests in slots (the latest request of each kind wins), and the worker
// looks at them between steps, or from a queued serve() call when it is idle.
//
// Why the pause is here and not in il::TrainingControl::setPaused: the control's wait blocks
// the worker in a condition variable that only resume, step or stop can wake, and while a run
// is paused the user still draws on the canvas and changes activation settings. The pause is
// taken inside the observer's onStep instead, where the worker can wait and serve requests.
// Stop and the learning-rate override still go through the session's TrainingControl.

#include <QString>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <vector>

#include "engine/train/training_control.h"
#include "ui/training/training_types.h"

namespace il::ui {

struct PredictionRequest {
    quint64 id = 0;
    std::vector<il::Image> inputs;
};

struct ActivationJob {
    quint64 id = 0;
    ActivationRequest request;
};

struct LayerClassifierJob {
    quint64 id = 0;
    int images = 1000;
};

struct CheckpointJob {
    quint64 id = 0;
    QString path;
};

// Everything pending at one moment, taken by the worker in one go.
struct PendingWork {
    std::optional<PredictionRequest> prediction;
    std::optional<ActivationJob> activations;
    std::optional<LayerClassifierJob> layerClassifier;
    std::optional<CheckpointJob> checkpoint;
    bool refreshFrame = false;
    bool empty() const { return !prediction && !activations && !layerClassifier && !checkpoint && !refreshFrame; }
};

class WorkerShared {
public:
    // --- GUI thread -------------------------------------------------------------------------
    void postPrediction(PredictionRequest request);
    void postActivations(ActivationJob job);
    void postLayerClassifier(LayerClassifierJob job);
    void postCheckpoint(CheckpointJob job);
    void postRefresh();

    void setUserProbes(std::vector<il::Probe> probes);
    // Used for the activation maps recorded with each frame (and the history).
    void setFrameActivations(std::optional<ActivationRequest> request);

    // Which kind of view the window shows, so that a live frame computes only what is seen: the
    // probes for the outputs view, the maps for the activations view, the sweep for the rho view.
    enum class LiveView { Outputs, Activations, Rho, Other };
    void setLiveView(LiveView view) { liveView_.store(static_cast<int>(view), std::memory_order_release); }
    LiveView liveView() const { return static_cast<LiveView>(liveView_.load(std::memory_order_acquire)); }

    void setPaused(bool paused);
    void requestSingleStep();
    // Stops run `runId` (the current one when 0): its session's control, or, while that
    // session is still being built, as soon as it is attached. Wakes a pause.
    void requestStop(quint64 runId = 0);
    void setLearningRate(double lr);  // <= 0: back to the configured schedule
    void setShuttingDown();

    // --- worker thread ----------------------------------------------------------------------
    bool hasWork() const { return hasWork_.load(std::memory_order_acquire); }
    PendingWork takeWork();
    std::vector<il::Probe> userProbes() const;
    std::optional<ActivationRequest> frameActivations() const;

    // The session's control, attached while a session exists (under the mutex, so a stop from
    // the GUI thread never reaches a destroyed session).
    void attachControl(il::TrainingControl* control, quint64 runId);
    void detachControl();

    bool paused() const { return paused_.load(std::memory_order_acquire); }
    // Counts pause requests. A Resume and a Pause can both arrive while the worker waits at its
    // gate, so it never sees the resume; a new count tells it to announce the pause again.
    unsigned pauseCount() const { return pauseCount_.load(std::memory_order_acquire); }
    bool stopRequested() const;
    bool shuttingDown() const { return shuttingDown_.load(std::memory_order_acquire); }
    void clearPauseAndStep();

    // Blocks while paused (and no single step is due) until resumed, stepped, stopped, or
    // woken by new work; returns true when the caller should serve work and call again.
    enum class Gate { Proceed, ServeWork, Stop };
    Gate waitAtGate(std::chrono::milliseconds timeout);

private:
    void wake();

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    PendingWork pending_;
    std::vector<il::Probe> userProbes_;
    std::optional<ActivationRequest> frameActivations_;
    std::atomic<int> liveView_{static_cast<int>(LiveView::Outputs)};
    il::TrainingControl* control_ = nullptr;
    quint64 controlRunId_ = 0;
    quint64 pendingStopRunId_ = 0;
    double lrOverride_ = 0.0;
    int singleSteps_ = 0;
    std::atomic<bool> hasWork_{false};
    std::atomic<bool> paused_{false};
    std::atomic<unsigned> pauseCount_{0};
    std::atomic<bool> shuttingDown_{false};
};

}  // namespace il::ui
