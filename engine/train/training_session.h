#pragma once
// One experiment from config to metrics: loads the training image(s), builds the network and
// trains it step by step; evaluations (engine/eval), closed forms (engine/theory) and checkpoints
// go through it. Tensors stay behind the pimpl; everything returned is plain data that can cross
// threads by value. A session is used by one thread at a time (the worker); only its
// TrainingControl is meant to be touched from other threads.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/config/experiment_config.h"
#include "engine/data/dataset.h"
#include "engine/train/model_size.h"
#include "engine/train/results.h"
#include "engine/train/training_control.h"

namespace il {

// Receives progress from TrainingSession::run at a bounded rate, on the training thread.
class TrainingObserver {
public:
    virtual ~TrainingObserver() = default;
    // Every step (cheap: the loss of an already finished step, no GPU sync of its own).
    virtual void onStep(int step, int totalSteps, double loss, double lr)
    {
        (void)step;
        (void)totalSteps;
        (void)loss;
        (void)lr;
    }
    // At every trajectory point (config.snapshotEvery 0) or every snapshotEvery steps, and at the end.
    virtual void onSnapshot(const Snapshot& snapshot) { (void)snapshot; }
    // False for observers that only follow the steps (a terminal progress bar): the session then
    // evaluates only what the trajectory needs, without the other probes a snapshot shows; the
    // trajectory and the final evaluation are the same as for a run without an observer.
    virtual bool wantsSnapshots() const { return true; }
};

class TrainingSession {
public:
    // Loads data and builds the network; throws ConfigError, DataError or ResourceError with a
    // message for the user (bad value, missing data, model too large for memory, no CUDA).
    TrainingSession(ExperimentConfig config, DataLocations data);
    ~TrainingSession();
    TrainingSession(const TrainingSession&) = delete;
    TrainingSession& operator=(const TrainingSession&) = delete;

    const ExperimentConfig& config() const;
    const ModelSize& size() const;
    std::string deviceDescription() const;  // "CPU, 2 threads" or "CUDA: NVIDIA H100"
    const std::vector<Image>& trainingImages() const;
    const std::vector<int>& trainingIndices() const;   // into the training split of the data set
    const std::vector<Probe>& probes() const;          // the figure's probe set at the training size
    const std::vector<std::string>& warnings() const;  // e.g. Fashion-MNIST probes left out

    TrainingControl& control();
    int stepsDone() const;
    int totalSteps() const;
    double learningRateAt(int step) const;  // schedule (and the control's override)
    const std::vector<LossPoint>& lossHistory() const;

    // One optimisation step; returns its loss. Does not check the control.
    double step();
    // The network's output for each training image in the last step's forward pass (before its
    // update), in trainingImages() order: free, a copy of what the step computed. Empty before
    // the first step and when the last step was a minibatch of some of the images.
    std::vector<Image> lastStepOutputs() const;
    // Trains until the configured steps are done, the loss diverges (NaN/Inf: stop reason
    // "diverged") or the control asks to stop ("cancelled"). Returns the final metrics (probes,
    // groups, rho sweep, trajectory; the layer classifier only when asked for).
    RunMetrics run(TrainingObserver* observer = nullptr, bool withLayerClassifier = false);
    // Metrics at the current weights, as run() returns them.
    RunMetrics evaluate(bool withLayerClassifier = false) const;

    // Evaluation at the current weights (batched, no gradients).
    std::vector<ProbeOutcome> evaluateProbes(const std::vector<Probe>& probes) const;
    std::vector<Image> predict(const std::vector<Image>& inputs) const;  // any size: CNNs are fully convolutional
    ActivationGrid activations(const std::vector<Probe>& probes, ChannelReduction reduction, int channel = 0) const;
    std::vector<LayerStatistics> layerStatistics(const std::vector<Probe>& probes) const;
    std::vector<RhoPoint> rhoSweep() const;
    LayerClassifierCurve layerClassifier(int images = 1000) const;

    // Theory beside the trained model (engine/theory). For a 1-layer linear FCN (with or
    // without bias) trained by SGD: Theorem 1's prediction from the initial weights.
    bool hasTheorem1() const;
    Image theorem1Prediction(const Image& input) const;
    // For a 1-layer CNN trained by SGD on one image: the gradient-descent fixed point
    // w = A+ x_hat + (I - A+ A) w0 (A the im2col matrix of the training image),
    // which is the exact identity (the centre-tap delta) when A has full column rank.
    bool hasCnnFixedPoint() const;
    Image cnnFixedPointPrediction(const Image& input) const;
    // Whichever closed form applies: its name ("Theorem 1", "CNN fixed point") or empty.
    std::string theoryName() const;
    Image theoryPrediction(const Image& input) const;

    // Model and optimiser state with the loss history (engine/train/checkpoint.h).
    void saveCheckpoint(const std::string& path) const;
    void loadCheckpoint(const std::string& path);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace il
