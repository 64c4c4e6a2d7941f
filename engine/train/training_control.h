#pragma once
// Thread-safe controls of a running session: the GUI thread sets them, the training loop polls
// them between steps (the loop blocks the worker's event loop, so queued slots would never run;
// docs/gui.md, "How it is built"). Nothing here blocks the caller.

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace il {

class TrainingControl {
public:
    void requestStop();  // finish the current step, then stop with "cancelled"
    // Stop as requestStop, and skip the final evaluation (probes, rho sweep): for closing the
    // app, where nobody will look at the result and a deep CNN's evaluation takes seconds.
    void requestAbort();
    bool abortRequested() const { return abort_.load(std::memory_order_acquire); }
    void setPaused(bool paused);
    void requestSingleStep();         // while paused: run exactly one more step
    void setLearningRate(double lr);  // takes effect at the next step; <= 0 clears the override

    bool stopRequested() const { return stop_.load(std::memory_order_acquire); }
    bool paused() const { return paused_.load(std::memory_order_acquire); }
    double learningRateOverride() const { return lrOverride_.load(std::memory_order_acquire); }

    // Called by the training loop: returns true when a step may run now, false when it must
    // stop. Blocks while paused (waking on resume, single step or stop).
    bool waitUntilStepAllowed();

    void reset();  // back to running, no stop, no override

private:
    std::atomic<bool> stop_{false};
    std::atomic<bool> abort_{false};
    std::atomic<bool> paused_{false};
    std::atomic<int> singleSteps_{0};
    std::atomic<double> lrOverride_{0.0};
    std::mutex mutex_;
    std::condition_variable wake_;
};

}  // namespace il
