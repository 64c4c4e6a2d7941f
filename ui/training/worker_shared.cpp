#include "ui/training/worker_shared.h"

namespace il::ui {

void WorkerShared::wake() { wake_.notify_all(); }

void WorkerShared::postPrediction(PredictionRequest request)
{
    {
        std::lock_guard<std::mutex> lock(mutex_);
        pending_.prediction = std::move(request);
        hasWork_.store(true, std::memory_order_release);
    }
    wake();
}

void WorkerShared::postActivations(ActivationJob job)
{
    {
        std::lock_guard<std::mutex> lock(mutex_);
        pending_.activations = std::move(job);
        hasWork_.store(true, std::memory_order_release);
    }
    wake();
}

void WorkerShared::postLayerClassifier(LayerClassifierJob job)
{
    {
        std::lock_guard<std::mutex> lock(mutex_);
        pending_.layerClassifier = job;
        hasWork_.store(true, std::memory_order_release);
    }
    wake();
}

void WorkerShared::postCheckpoint(CheckpointJob job)
{
    {
        std::lock_guard<std::mutex> lock(mutex_);
        pending_.checkpoint = std::move(job);
        hasWork_.store(true, std::memory_order_release);
    }
    wake();
}

void WorkerShared::postRefresh()
{
    {
        std::lock_guard<std::mutex> lock(mutex_);
        pending_.refreshFrame = true;
        hasWork_.store(true, std::memory_order_release);
    }
    wake();
}

void WorkerShared::setUserProbes(std::vector<il::Probe> probes)
{
    std::lock_guard<std::mutex> lock(mutex_);
    userProbes_ = std::move(probes);
}

void WorkerShared::setFrameActivations(std::optional<ActivationRequest> request)
{
    std::lock_guard<std::mutex> lock(mutex_);
    frameActivations_ = std::move(request);
}

void WorkerShared::setPaused(bool paused)
{
    {
        std::lock_guard<std::mutex> lock(mutex_);
        paused_.store(paused, std::memory_order_release);
        if (paused) pauseCount_.fetch_add(1, std::memory_order_acq_rel);
    }
    wake();
}

void WorkerShared::requestSingleStep()
{
    {
        std::lock_guard<std::mutex> lock(mutex_);
        ++singleSteps_;
    }
    wake();
}

void WorkerShared::requestStop(quint64 runId)
{
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (control_ && (runId == 0 || runId == controlRunId_))
            control_->requestStop();
        else if (runId != 0)
            pendingStopRunId_ = runId;
    }
    wake();
}

void WorkerShared::setLearningRate(double lr)
{
    std::lock_guard<std::mutex> lock(mutex_);
    lrOverride_ = lr > 0.0 ? lr : 0.0;
    if (control_) control_->setLearningRate(lrOverride_);
}

void WorkerShared::setShuttingDown()
{
    shuttingDown_.store(true, std::memory_order_release);
    {
        // Closing: stop the run without its final evaluation (seconds for a deep CNN).
        std::lock_guard<std::mutex> lock(mutex_);
        if (control_) control_->requestAbort();
    }
    requestStop();
}

PendingWork WorkerShared::takeWork()
{
    std::lock_guard<std::mutex> lock(mutex_);
    PendingWork work = std::move(pending_);
    pending_ = PendingWork{};
    hasWork_.store(false, std::memory_order_release);
    return work;
}

std::vector<il::Probe> WorkerShared::userProbes() const
{
    std::lock_guard<std::mutex> lock(mutex_);
    return userProbes_;
}

std::optional<ActivationRequest> WorkerShared::frameActivations() const
{
    std::lock_guard<std::mutex> lock(mutex_);
    return frameActivations_;
}

void WorkerShared::attachControl(il::TrainingControl* control, quint64 runId)
{
    std::lock_guard<std::mutex> lock(mutex_);
    control_ = control;
    controlRunId_ = runId;
    if (!control_) return;
    control_->setLearningRate(lrOverride_);
    if (pendingStopRunId_ == runId) {
        control_->requestStop();  // stopped while it was being built
        pendingStopRunId_ = 0;
    }
}

void WorkerShared::detachControl()
{
    std::lock_guard<std::mutex> lock(mutex_);
    control_ = nullptr;
    controlRunId_ = 0;
}

bool WorkerShared::stopRequested() const
{
    std::lock_guard<std::mutex> lock(mutex_);
    return shuttingDown_.load() || (control_ && control_->stopRequested());
}

void WorkerShared::clearPauseAndStep()
{
    std::lock_guard<std::mutex> lock(mutex_);
    paused_.store(false, std::memory_order_release);
    singleSteps_ = 0;
    lrOverride_ = 0.0;
}

WorkerShared::Gate WorkerShared::waitAtGate(std::chrono::milliseconds timeout)
{
    std::unique_lock<std::mutex> lock(mutex_);
    auto stopping = [this] { return shuttingDown_.load() || (control_ && control_->stopRequested()); };
    auto ready = [&] { return stopping() || !paused_.load() || singleSteps_ > 0 || hasWork_.load(); };
    wake_.wait_for(lock, timeout, ready);
    if (stopping()) return Gate::Stop;
    if (hasWork_.load()) return Gate::ServeWork;
    if (!paused_.load()) return Gate::Proceed;
    if (singleSteps_ > 0) {
        --singleSteps_;
        return Gate::Proceed;
    }
    return Gate::ServeWork;  // timed out: let the caller look again
}

}  // namespace il::ui
