#include "engine/train/training_session.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>

#include "engine/core/compute_threads.h"
#include "engine/core/errors.h"
#include "engine/core/random.h"
#include "engine/core/torch.h"
#include "engine/eval/activations.h"
#include "engine/eval/layer_classifier.h"
#include "engine/eval/model_under_test.h"
#include "engine/eval/probe_evaluation.h"
#include "engine/eval/probe_groups.h"
#include "engine/eval/rho_sweep.h"
#include "engine/metrics/outcome.h"
#include "engine/nn/fast_fcn.h"
#include "engine/nn/initialization.h"
#include "engine/nn/network.h"
#include "engine/nn/optimizers.h"
#include "engine/nn/tensor_images.h"
#include "engine/nn/training_path.h"
#include "engine/probes/probe_set.h"
#include "engine/theory/cnn_fixed_point.h"
#include "engine/theory/theorem1.h"
#include "engine/train/checkpoint.h"
#include "engine/train/schedule.h"
#include "engine/train/trajectory.h"

namespace il {

namespace {

torch::Device chooseDevice(DevicePreference preference)
{
    const bool cuda = torch::cuda::is_available();
    if (preference == DevicePreference::Cuda && !cuda)
        throw ResourceError(
            "CUDA was asked for (device \"cuda\"), but this machine or this LibTorch build has no CUDA "
            "device; use device \"auto\" or \"cpu\"");
    if (preference == DevicePreference::Cpu || !cuda) return torch::Device(torch::kCPU);
    // Full float32 on the GPU: LibTorch lets cuDNN convolutions use TF32 (10-bit mantissa) by
    // default, which would make a CUDA run a different experiment from the same config on a CPU.
    at::globalContext().setAllowTF32CuDNN(false);
    at::globalContext().setAllowTF32CuBLAS(false);
    // And the same run twice: cuDNN's fastest backward kernels add in a varying order, and a
    // 20-layer CNN amplifies that into a different outcome (the same config gave the constant
    // '7' once and the f = 0 blob once on an H100; docs/reproduction.md).
    at::globalContext().setDeterministicCuDNN(true);
    return torch::Device(torch::kCUDA, 0);
}

}  // namespace

struct TrainingSession::Impl {
    ExperimentConfig config;
    DataLocations data;
    ModelSize size;
    torch::Device device{torch::kCPU};
    TrainingSelection training;
    std::vector<Probe> probes;
    std::vector<std::string> warnings;
    mutable nn::Network network{nullptr};  // evaluation runs forward() from const methods
    std::vector<torch::Tensor> parameters;
    std::unique_ptr<nn::Optimizer> optimizer;
    std::unique_ptr<nn::FastFcnTrainer> fused;  // the fused FCN step, when chooseTrainingPath picks it
    torch::Tensor batch;                        // training images on the device, (N, C, H, W)
    torch::Tensor lastOutput;                   // the autograd path's output of the last step, detached
    bool lastBatchWasAll = false;               // the last step's batch was every training image, in order
    torch::Tensor initialWeight, initialBias;   // for the closed forms (1-layer networks), on the CPU
    TrainingControl control;
    std::vector<LossPoint> losses;
    // Set by run() for the evaluate() right after its loop: the last trajectory point's probe
    // outcomes, at the same weights, so the final probe pass is not done twice.
    const std::vector<ProbeOutcome>* finalProbes = nullptr;
    // Atomic so that stepsDone() may be polled from another thread while run() trains (a
    // progress display, tst_training_session); ThreadSanitizer reported the plain int.
    std::atomic<int> stepsDone{0};
    double currentLr = -1.0;

    Impl(ExperimentConfig c, DataLocations d) : config(std::move(c)), data(std::move(d)) {}

    torch::Tensor toDevice(const std::vector<Image>& images) const { return nn::imagesToTensor(images).to(device); }
    const Image& reference() const { return training.images.front(); }
    eval::ModelUnderTest model() const { return eval::ModelUnderTest(config, network, device, reference()); }
    theory::InitialModel initialModel() const { return {initialWeight, initialBias, &reference()}; }

    // The paper trains on the whole (one-image) set every step; with many examples
    // (fcn-many-examples) a seeded random minibatch of config.batchSize images is drawn.
    SplitMix64 batchRng{0};
    std::vector<int64_t> order;
    torch::Tensor nextBatch()
    {
        const int64_t n = batch.size(0);
        if (config.batchSize <= 0 || config.batchSize >= n) return batch;
        if (order.empty()) {
            batchRng = SplitMix64(config.seed ^ 0xba7c4ULL);
            for (int64_t i = 0; i < n; ++i) order.push_back(i);
        }
        // Partial Fisher-Yates shuffle: the first batchSize entries become the minibatch.
        for (int64_t i = 0; i < config.batchSize; ++i) std::swap(order[i], order[i + static_cast<int64_t>(batchRng.below(n - i))]);
        const torch::Tensor index = torch::tensor(std::vector<int64_t>(order.begin(), order.begin() + config.batchSize)).to(device);
        return batch.index_select(0, index);
    }
};

TrainingSession::TrainingSession(ExperimentConfig config, DataLocations data)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(data)))
{
    Impl& d = *impl_;
    validate(d.config);
    d.size = estimateModelSize(d.config);
    requireFitsInMemory(d.size);
    d.device = chooseDevice(d.config.device);
    ensureComputeThreadsConfigured();  // every core: 1.7-1.9x on 2 cores
    configureAllocatorForTraining();   // freed gradients stay in the heap: no page faults per step

    d.training = selectTrainingImages(d.config, d.data);
    d.probes = figureProbes(d.config, d.training, d.data, &d.warnings);

    // Weights are drawn on the CPU from the seed, then moved: the same seed gives the same
    // initial network on every device.
    {
        const std::lock_guard<std::mutex> generator(nn::globalGeneratorMutex());
        torch::manual_seed(d.config.seed);
        d.network = nn::Network(d.config);
        nn::initialize(d.network, d.config.init, d.config.initScale);
    }
    if (hasTheorem1() || hasCnnFixedPoint()) {
        const auto layer = d.network->weightLayers().front();
        d.initialWeight = layer.weight.detach().clone();
        if (layer.bias.defined()) d.initialBias = layer.bias.detach().clone();
    }
    d.network->to(d.device);
    d.parameters = d.network->parameters();
    d.optimizer = nn::makeOptimizer(d.config, d.parameters);
    d.batch = d.toDevice(d.training.images);
    const int64_t rows = d.config.batchSize > 0 ? std::min<int64_t>(d.config.batchSize, d.batch.size(0)) : d.batch.size(0);
    if (nn::chooseTrainingPath(d.config, d.device.is_cpu(), rows) == nn::TrainingPath::FusedFcn)
        d.fused = std::make_unique<nn::FastFcnTrainer>(d.network, d.config, dynamic_cast<nn::FusedSgd&>(*d.optimizer));
}

TrainingSession::~TrainingSession()
{
    impl_.reset();
    releaseFreeMemory();  // the heap keeps up to 256 MB free while training (configureAllocatorForTraining)
}

const ExperimentConfig& TrainingSession::config() const { return impl_->config; }
const ModelSize& TrainingSession::size() const { return impl_->size; }
const std::vector<Image>& TrainingSession::trainingImages() const { return impl_->training.images; }
const std::vector<int>& TrainingSession::trainingIndices() const { return impl_->training.indices; }
const std::vector<Probe>& TrainingSession::probes() const { return impl_->probes; }
const std::vector<std::string>& TrainingSession::warnings() const { return impl_->warnings; }
TrainingControl& TrainingSession::control() { return impl_->control; }
int TrainingSession::stepsDone() const { return impl_->stepsDone; }
int TrainingSession::totalSteps() const { return impl_->config.steps; }
const std::vector<LossPoint>& TrainingSession::lossHistory() const { return impl_->losses; }

std::string TrainingSession::deviceDescription() const
{
    if (impl_->device.is_cuda()) return "CUDA device " + std::to_string(impl_->device.index());
    return "CPU, " + std::to_string(torch::get_num_threads()) + " threads";
}

double TrainingSession::learningRateAt(int step) const
{
    const double override = impl_->control.learningRateOverride();
    const double base = override > 0.0 ? override : impl_->config.lr;
    return scheduledLearningRate(impl_->config.schedule, base, step, impl_->config.steps);
}

double TrainingSession::step()
{
    Impl& d = *impl_;
    const double lr = learningRateAt(d.stepsDone);
    if (lr != d.currentLr) {
        d.optimizer->setLearningRate(lr);
        d.currentLr = lr;
    }
    const torch::Tensor target = d.nextBatch();
    d.lastBatchWasAll = d.config.batchSize <= 0 || d.config.batchSize >= d.batch.size(0);
    double value = 0.0;
    if (d.fused) {
        value = d.fused->step(target);  // forward, backward and SGD update in one sweep per layer
    } else {
        nn::clearGradients(d.parameters);
        const torch::Tensor output = d.network->forward(target);
        d.lastOutput = output.detach();  // a reference to what the step computed: no copy, no graph
        const torch::Tensor loss = torch::mse_loss(output, target);
        loss.backward();
        d.optimizer->step();
        value = loss.item<double>();
    }
    d.losses.push_back({d.stepsDone, value, lr});
    ++d.stepsDone;
    return value;
}

std::vector<Image> TrainingSession::lastStepOutputs() const
{
    const Impl& d = *impl_;
    if (d.stepsDone == 0 || !d.lastBatchWasAll) return {};
    torch::Tensor output = d.fused ? d.fused->lastOutput() : d.lastOutput;
    if (!output.defined()) return {};
    output = output.detach().to(torch::kCPU).reshape(d.batch.sizes());
    return nn::tensorToImages(output);
}

namespace {

// The probe passes of a run: at every trajectory point, and at every snapshot an observer asks
// for. A point before the last evaluates a fixed subset of the probes (trajectoryProbeSubset:
// one per group, 6 of the figure's 14), less than half of a full pass; a watched run's
// snapshot there adds the other probes in a second pass, so that the subset's outcomes, and the
// trajectory, are the same bits in the GUI and the CLI. The last point evaluates every probe: it
// is also the run's final evaluation.
class RunEvaluation {
public:
    RunEvaluation(const TrainingSession& session, const std::vector<Probe>& probes) : session_(session), probes_(probes)
    {
        const std::vector<std::size_t> subset = trajectoryProbeSubset(probes);
        std::vector<bool> inSubset(probes.size(), false);
        for (std::size_t i : subset) inSubset[i] = true;
        for (std::size_t i = 0; i < probes.size(); ++i) {
            (inSubset[i] ? subsetIndices_ : restIndices_).push_back(i);
            (inSubset[i] ? subset_ : rest_).push_back(probes[i]);
        }
    }

    // The point's group means; fills all with every probe's outcome when wanted (a snapshot).
    std::vector<GroupSummary> point(bool last, bool wantAll, std::vector<ProbeOutcome>& all) const
    {
        if (last || rest_.empty()) {
            all = session_.evaluateProbes(probes_);
            return eval::summarizeGroups(all);
        }
        std::vector<ProbeOutcome> subset = session_.evaluateProbes(subset_);
        const std::vector<GroupSummary> groups = eval::summarizeGroups(subset);
        if (wantAll) {
            std::vector<ProbeOutcome> rest = session_.evaluateProbes(rest_);
            all.assign(probes_.size(), ProbeOutcome{});
            for (std::size_t k = 0; k < subset.size(); ++k) all[subsetIndices_[k]] = std::move(subset[k]);
            for (std::size_t k = 0; k < rest.size(); ++k) all[restIndices_[k]] = std::move(rest[k]);
        }
        return groups;
    }

private:
    const TrainingSession& session_;
    const std::vector<Probe>& probes_;
    std::vector<Probe> subset_, rest_;
    std::vector<std::size_t> subsetIndices_, restIndices_;
};

}  // namespace

RunMetrics TrainingSession::run(TrainingObserver* observer, bool withLayerClassifier)
{
    Impl& d = *impl_;
    const auto start = std::chrono::steady_clock::now();
    const int startStep = d.stepsDone;
    TrainingObserver* const snapshotObserver = observer && observer->wantsSnapshots() ? observer : nullptr;
    // snapshotEvery 0: a snapshot at every trajectory point; else at that interval and the end.
    const int snapshotInterval = d.config.snapshotEvery;
    const RunEvaluation evaluation(*this, d.probes);
    std::vector<TrajectoryPoint> trajectory;
    // The steps' time, with the probe passes of the points before the last; the last point is
    // the final evaluation, which is left out as before (a run's seconds are its training).
    std::chrono::steady_clock::time_point end{};
    std::vector<ProbeOutcome> lastProbes;
    int lastProbesStep = -1;
    double lastLoss = d.losses.empty() ? 0.0 : d.losses.back().loss;
    // At the configured last step, a point and a snapshot for a watching observer; at a step a
    // run stopped early on, the last point only: the observer gets its last frame from the
    // metrics run() returns.
    const auto record = [&](bool last, bool stoppedEarly) {
        const bool trajectoryPoint = last || isTrajectoryStep(d.stepsDone, d.config.steps);
        const bool snapshot =
            snapshotObserver && !stoppedEarly && (last || (snapshotInterval > 0 ? d.stepsDone % snapshotInterval == 0 : trajectoryPoint));
        if (!trajectoryPoint && !snapshot) return;
        std::vector<ProbeOutcome> all;
        if (trajectoryPoint) {
            // A run stopped early at a point replaces that point's subset by every probe.
            if (!trajectory.empty() && trajectory.back().step == d.stepsDone) trajectory.pop_back();
            trajectory.push_back({d.stepsDone, lastLoss, d.currentLr, evaluation.point(last, snapshot, all)});
        } else {
            all = evaluateProbes(d.probes);
        }
        if (snapshot) {
            Snapshot snap;
            snap.step = d.stepsDone;
            snap.loss = lastLoss;
            snap.probes = std::move(all);
            snapshotObserver->onSnapshot(snap);
            all = std::move(snap.probes);
        }
        if (last) {
            lastProbes = std::move(all);
            lastProbesStep = d.stepsDone;
        }
    };
    StopReason reason = StopReason::Completed;
    std::string detail;
    while (d.stepsDone < d.config.steps) {
        if (!d.control.waitUntilStepAllowed()) {
            reason = StopReason::Cancelled;
            detail = "stopped by the user at step " + std::to_string(d.stepsDone);
            break;
        }
        lastLoss = step();
        if (observer) observer->onStep(d.stepsDone, d.config.steps, lastLoss, d.currentLr);
        if (!std::isfinite(lastLoss)) {
            reason = StopReason::Diverged;
            detail = std::string("the loss became ") + (std::isnan(lastLoss) ? "NaN" : "infinite") + " at step " +
                     std::to_string(d.stepsDone) + "; try a smaller learning rate";
            break;
        }
        const bool last = d.stepsDone == d.config.steps;
        if (last) end = std::chrono::steady_clock::now();
        record(last, false);
    }
    if (end == std::chrono::steady_clock::time_point{}) end = std::chrono::steady_clock::now();  // stopped early
    const double seconds = std::chrono::duration<double>(end - start).count();
    if (reason == StopReason::Cancelled && d.control.abortRequested()) {
        RunMetrics m;  // closing: no final evaluation
        m.parameters = d.size.parameters();
        m.weightParameters = d.size.weights;
        m.biasParameters = d.size.biases;
        m.finalLoss = d.losses.empty() ? 0.0 : d.losses.back().loss;
        m.stepsDone = d.stepsDone;
        m.stopReason = reason;
        m.stopDetail = "aborted at step " + std::to_string(d.stepsDone);
        m.seconds = seconds;
        m.device = deviceDescription();
        m.trajectory = std::move(trajectory);
        return m;
    }
    // Stopped early (diverged or by the user): the step it stopped at is the last point.
    if (lastProbesStep != d.stepsDone && d.stepsDone > startStep) record(true, true);
    struct FinalProbes {  // handed to evaluate() for this one call, also when it throws
        Impl& d;
        ~FinalProbes() { d.finalProbes = nullptr; }
    } finalProbes{d};
    d.finalProbes = lastProbesStep == d.stepsDone ? &lastProbes : nullptr;
    RunMetrics m = evaluate(withLayerClassifier && reason != StopReason::Diverged);
    m.stopReason = reason;
    m.stopDetail = detail;
    m.seconds = seconds;
    m.stepsPerSecond = seconds > 0 ? (d.stepsDone - startStep) / seconds : 0.0;
    m.trajectory = std::move(trajectory);
    return m;
}

RunMetrics TrainingSession::evaluate(bool withLayerClassifier) const
{
    const Impl& d = *impl_;
    RunMetrics m;
    m.weightParameters = d.size.weights;
    m.biasParameters = d.size.biases;
    m.parameters = d.size.parameters();
    m.finalLoss = d.losses.empty() ? 0.0 : d.losses.back().loss;
    m.stepsDone = d.stepsDone;
    m.device = deviceDescription();
    m.probes = d.finalProbes ? *d.finalProbes : evaluateProbes(d.probes);
    m.groups = eval::summarizeGroups(m.probes);
    // Output stuck at zero: the f = 0 saddle a deep network can sit on.
    double energy = 0.0;
    for (const ProbeOutcome& p : m.probes)
        for (float v : p.output.pixels) energy = std::max(energy, static_cast<double>(std::abs(v)));
    m.outputCollapsed = energy < 1e-3;
    const OutcomeReport outcome = classifyOutcome(m.probes);
    m.outcome = outcome.outcome;
    m.outcomeScores = outcome.scores;
    const bool finite = std::isfinite(m.finalLoss);
    if (finite) m.rhoSweep = rhoSweep();
    if (withLayerClassifier && finite) m.layerClassifier = layerClassifier();
    return m;
}

std::vector<ProbeOutcome> TrainingSession::evaluateProbes(const std::vector<Probe>& probes) const
{
    return eval::evaluateProbes(impl_->model(), probes);
}

std::vector<Image> TrainingSession::predict(const std::vector<Image>& inputs) const
{
    std::vector<Probe> probes;
    for (const Image& image : inputs) probes.push_back({"input", ProbeGroup::User, image});
    std::vector<Image> out;
    for (auto& o : evaluateProbes(probes)) out.push_back(std::move(o.output));
    return out;
}

ActivationGrid TrainingSession::activations(const std::vector<Probe>& probes, ChannelReduction reduction, int channel) const
{
    return eval::activationGrid(impl_->model(), probes, reduction, channel);
}

std::vector<LayerStatistics> TrainingSession::layerStatistics(const std::vector<Probe>& probes) const
{
    return eval::layerStatistics(impl_->model(), probes);
}

std::vector<RhoPoint> TrainingSession::rhoSweep() const { return eval::rhoSweep(impl_->model()); }

LayerClassifierCurve TrainingSession::layerClassifier(int images) const
{
    return eval::layerClassifier(impl_->model(), impl_->data, images);
}

bool TrainingSession::hasTheorem1() const { return theory::theorem1Applies(impl_->config, impl_->training.images.size()); }

Image TrainingSession::theorem1Prediction(const Image& input) const
{
    if (!hasTheorem1()) throw Error("Theorem 1 applies to a 1-layer FCN trained by SGD on one image");
    return theory::theorem1Prediction(impl_->config, impl_->initialModel(), input);
}

bool TrainingSession::hasCnnFixedPoint() const { return theory::cnnFixedPointApplies(impl_->config, impl_->training.images.size()); }

Image TrainingSession::cnnFixedPointPrediction(const Image& input) const
{
    if (!hasCnnFixedPoint()) throw Error("the CNN fixed point applies to a 1-layer CNN trained by SGD on one image");
    return theory::cnnFixedPointPrediction(impl_->config, impl_->initialModel(), input);
}

std::string TrainingSession::theoryName() const
{
    if (hasTheorem1()) return "Theorem 1";
    if (hasCnnFixedPoint()) return "CNN fixed point";
    return {};
}

Image TrainingSession::theoryPrediction(const Image& input) const
{
    return hasTheorem1() ? theorem1Prediction(input) : cnnFixedPointPrediction(input);
}

void TrainingSession::saveCheckpoint(const std::string& path) const
{
    const Impl& d = *impl_;
    il::saveCheckpoint(path, d.network, *d.optimizer, {d.stepsDone, d.losses, d.initialWeight, d.initialBias});
}

void TrainingSession::loadCheckpoint(const std::string& path)
{
    Impl& d = *impl_;
    TrainingProgress progress = il::loadCheckpoint(path, d.device, d.network, *d.optimizer);
    d.stepsDone = progress.stepsDone;
    d.losses = std::move(progress.losses);
    if (progress.initialWeight.defined()) d.initialWeight = progress.initialWeight;
    if (progress.initialBias.defined()) d.initialBias = progress.initialBias;
    d.currentLr = -1.0;
}

}  // namespace il
