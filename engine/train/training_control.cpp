#include "engine/train/training_control.h"

namespace il {

void TrainingControl::requestStop()
{
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_.store(true, std::memory_order_release);
    }
    wake_.notify_all();
}

void TrainingControl::requestAbort()
{
    abort_.store(true, std::memory_order_release);
    requestStop();
}

void TrainingControl::setPaused(bool paused)
{
    {
        std::lock_guard<std::mutex> lock(mutex_);
        paused_.store(paused, std::memory_order_release);
    }
    wake_.notify_all();
}

void TrainingControl::requestSingleStep()
{
    {
        std::lock_guard<std::mutex> lock(mutex_);
        singleSteps_.fetch_add(1, std::memory_order_acq_rel);
    }
    wake_.notify_all();
}

void TrainingControl::setLearningRate(double lr) { lrOverride_.store(lr > 0.0 ? lr : 0.0, std::memory_order_release); }

bool TrainingControl::waitUntilStepAllowed()
{
    if (stopRequested()) return false;
    if (!paused()) return true;
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait(lock, [this] { return stopRequested() || !paused() || singleSteps_.load() > 0; });
    if (stopRequested()) return false;
    if (paused()) singleSteps_.fetch_sub(1, std::memory_order_acq_rel);
    return true;
}

void TrainingControl::reset()
{
    std::lock_guard<std::mutex> lock(mutex_);
    stop_.store(false);
    abort_.store(false);
    paused_.store(false);
    singleSteps_.store(0);
    lrOverride_.store(0.0);
}

}  // namespace il
