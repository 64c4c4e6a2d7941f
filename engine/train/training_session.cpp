#include "engine/train/training_session.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "engine/core/compute_threads.h"
#include "engine/core/errors.h"
#include "engine/core/random.h"
#include "engine/core/torch.h"
#include "engine/metrics/correlation.h"
#include "engine/metrics/rho_inputs.h"
#include "engine/nn/fast_fcn.h"
#include "engine/nn/initialization.h"
#include "engine/nn/network.h"
#include "engine/nn/optimizers.h"
#include "engine/nn/training_path.h"
#include "engine/probes/probe_set.h"
#include "engine/train/schedule.h"
#include "engine/nn/tensor_images.h"

namespace il {

namespace {

torch::Device chooseDevice(DevicePreference preference) {
    const bool cuda = torch::cuda::is_available();
    if (preference == DevicePreference::Cuda && !cuda)
        throw ResourceError("CUDA was asked for (device \"cuda\"), but this machine or this LibTorch build has no CUDA "
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

int automaticSnapshotInterval(int steps) { return std::max(1, steps / 50); }

// Automatic snapshots (snapshotEvery 0) come about 50 times a run, but the live views must not
// slow training down much (the speed issue allows 10 %). The first one always comes, so that
// every run shows its first frames at once; after that a due snapshot is taken only when the
// time spent on snapshots so far (probe evaluation plus the observer's own work, such as the
// GUI's rho sweep and activation maps), plus what the previous one cost, stays within 5 % of
// the time spent on steps. Counting the next snapshot's likely cost before taking it keeps a
// short run from overshooting: a fixed 0.5 s allowance, then 0.05 s, let a 2-second run of a
// 5x32 CNN spend 25 %, then 13 %, of its time on snapshots (tst_gui_cost, docs/performance.md).
// A 20-layer CNN's probe pass costs several steps. The last snapshot always comes.
constexpr double kSnapshotTimeShare = 0.05;

bool automaticSnapshotFits(int taken, double snapshotSeconds, double lastSnapshotSeconds, double stepSeconds) {
    return taken == 0 || snapshotSeconds + lastSnapshotSeconds <= kSnapshotTimeShare * stepSeconds;
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
    torch::Tensor batch;                 // training images on the device, (N, C, H, W)
    torch::Tensor initialWeight, initialBias;  // for Theorem 1 (1-layer FCN), on the CPU
    TrainingControl control;
    std::vector<LossPoint> losses;
    // Set by run() for the evaluate() right after its loop: the last snapshot's probe outcomes,
    // at the same weights, so the final probe pass is not done twice.
    const std::vector<ProbeOutcome>* finalProbes = nullptr;
    // Atomic so that stepsDone() may be polled from another thread while run() trains (a
    // progress display, tst_training_session); ThreadSanitizer reported the plain int.
    std::atomic<int> stepsDone{0};
    double currentLr = -1.0;

    Impl(ExperimentConfig c, DataLocations d) : config(std::move(c)), data(std::move(d)) {}

    torch::Tensor toDevice(const std::vector<Image>& images) const { return nn::imagesToTensor(images).to(device); }

    // Batched forward without gradients; inputs of one shape.
    // On the CPU in passes of imagesPerPass() images: one pass over a whole probe set or rho
    // sweep (81 images) allocated a 20-layer CNN's Winograd workspaces at 130 MB each, above
    // glibc's largest mmap threshold (32 MB), so every layer mapped fresh pages and faulted them
    // in: 29 % of the evaluation's time in `perf`. Each image's output does not depend on the
    // others in its pass (tst_training_session checks the bits), so the split changes nothing else.
    std::vector<Image> forward(const std::vector<Image>& inputs) const {
        if (inputs.empty()) return {};
        c10::InferenceMode inference;
        const std::size_t perPass = device.is_cuda() ? inputs.size() : imagesPerPass(inputs.front());
        std::vector<Image> outputs;
        outputs.reserve(inputs.size());
        for (std::size_t first = 0; first < inputs.size(); first += perPass) {
            const std::vector<Image> pass(inputs.begin() + static_cast<std::ptrdiff_t>(first),
                                          inputs.begin() + static_cast<std::ptrdiff_t>(std::min(inputs.size(), first + perPass)));
            for (Image& image : nn::tensorToImages(network->forward(toDevice(pass)).to(torch::kCPU)))
                outputs.push_back(std::move(image));
        }
        return outputs;
    }

    // Images per pass so that one layer's Winograd workspace stays under the mmap threshold: it
    // holds 16 bytes per activation value (an 8 x 8 tile of float32 for 4 x 4 outputs). 24 MB
    // gives 15 images for a 128-channel CNN at 28 x 28, and thousands for an FCN.
    std::size_t imagesPerPass(const Image& shape) const {
        constexpr double kWorkspaceBytesPerPass = 24e6, kWorkspaceBytesPerValue = 16.0;
        const double values = config.isConvolutional()
                                  ? static_cast<double>(std::max(config.channels, shape.channels)) * shape.height * shape.width
                                  : static_cast<double>(std::max<std::size_t>(static_cast<std::size_t>(config.width), shape.size()));
        return static_cast<std::size_t>(std::max(1.0, std::floor(kWorkspaceBytesPerPass / (kWorkspaceBytesPerValue * values))));
    }

    // Model inputs must match the network: FCNs only take the training size; CNNs take any
    // size (they are fully convolutional) but the training channel count.
    Image conform(const Image& image) const {
        const int c = config.imageChannels();
        if (config.isConvolutional()) return image.channels == c ? image : conformImage(image, c, image.height);
        return conformImage(image, c, config.imageSize);
    }

    const Image& reference() const { return training.images.front(); }

    // The paper trains on the whole (one-image) set every step; with many examples
    // (fcn-many-examples) a seeded random minibatch of config.batchSize images is drawn.
    SplitMix64 batchRng{0};
    std::vector<int64_t> order;
    torch::Tensor nextBatch() {
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
    : impl_(std::make_unique<Impl>(std::move(config), std::move(data))) {
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

TrainingSession::~TrainingSession() {
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

std::string TrainingSession::deviceDescription() const {
    if (impl_->device.is_cuda()) return "CUDA device " + std::to_string(impl_->device.index());
    return "CPU, " + std::to_string(torch::get_num_threads()) + " threads";
}

double TrainingSession::learningRateAt(int step) const {
    const double override = impl_->control.learningRateOverride();
    const double base = override > 0.0 ? override : impl_->config.lr;
    return scheduledLearningRate(impl_->config.schedule, base, step, impl_->config.steps);
}

double TrainingSession::step() {
    Impl& d = *impl_;
    const double lr = learningRateAt(d.stepsDone);
    if (lr != d.currentLr) {
        d.optimizer->setLearningRate(lr);
        d.currentLr = lr;
    }
    const torch::Tensor target = d.nextBatch();
    double value = 0.0;
    if (d.fused) {
        value = d.fused->step(target);  // forward, backward and SGD update in one sweep per layer
    } else {
        nn::clearGradients(d.parameters);
        const torch::Tensor output = d.network->forward(target);
        const torch::Tensor loss = torch::mse_loss(output, target);
        loss.backward();
        d.optimizer->step();
        value = loss.item<double>();
    }
    d.losses.push_back({d.stepsDone, value, lr});
    ++d.stepsDone;
    return value;
}

RunMetrics TrainingSession::run(TrainingObserver* observer, bool withLayerClassifier) {
    Impl& d = *impl_;
    const auto start = std::chrono::steady_clock::now();
    const int startStep = d.stepsDone;
    const bool automaticSnapshots = d.config.snapshotEvery <= 0;
    const int interval = automaticSnapshots ? automaticSnapshotInterval(d.config.steps) : d.config.snapshotEvery;
    double stepSeconds = 0.0, snapshotSeconds = 0.0, lastSnapshotSeconds = 0.0;
    int snapshotsTaken = 0;
    TrainingObserver* const snapshotObserver = observer && observer->wantsSnapshots() ? observer : nullptr;
    // The steps' and the live snapshots' time; the last snapshot is the final evaluation, which
    // a run without an observer does after this too (evaluate()), so it is left out of it.
    std::chrono::steady_clock::time_point end{};
    std::vector<ProbeOutcome> lastSnapshotProbes;
    int lastSnapshotStep = -1;
    StopReason reason = StopReason::Completed;
    std::string detail;
    while (d.stepsDone < d.config.steps) {
        if (!d.control.waitUntilStepAllowed()) {
            reason = StopReason::Cancelled;
            detail = "stopped by the user at step " + std::to_string(d.stepsDone);
            break;
        }
        const auto stepStart = std::chrono::steady_clock::now();
        const double loss = step();
        stepSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - stepStart).count();
        if (observer) observer->onStep(d.stepsDone, d.config.steps, loss, d.currentLr);
        if (!std::isfinite(loss)) {
            reason = StopReason::Diverged;
            detail = std::string("the loss became ") + (std::isnan(loss) ? "NaN" : "infinite") + " at step " +
                     std::to_string(d.stepsDone) + "; try a smaller learning rate";
            break;
        }
        const bool last = d.stepsDone == d.config.steps;
        const auto snapshotStart = std::chrono::steady_clock::now();
        if (last) end = snapshotStart;
        const bool withinBudget = automaticSnapshotFits(snapshotsTaken, snapshotSeconds, lastSnapshotSeconds, stepSeconds);
        if (snapshotObserver && (last || (d.stepsDone % interval == 0 && (!automaticSnapshots || withinBudget)))) {
            Snapshot snap;
            snap.step = d.stepsDone;
            snap.loss = loss;
            snap.probes = evaluateProbes(d.probes);
            observer->onSnapshot(snap);
            if (last) {
                lastSnapshotProbes = std::move(snap.probes);
                lastSnapshotStep = d.stepsDone;
            }
            lastSnapshotSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - snapshotStart).count();
            snapshotSeconds += lastSnapshotSeconds;
            ++snapshotsTaken;
        }
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
        return m;
    }
    struct FinalProbes {  // handed to evaluate() for this one call, also when it throws
        Impl& d;
        ~FinalProbes() { d.finalProbes = nullptr; }
    } finalProbes{d};
    d.finalProbes = lastSnapshotStep == d.stepsDone ? &lastSnapshotProbes : nullptr;
    RunMetrics m = evaluate(withLayerClassifier && reason != StopReason::Diverged);
    m.stopReason = reason;
    m.stopDetail = detail;
    m.seconds = seconds;
    m.stepsPerSecond = seconds > 0 ? (d.stepsDone - startStep) / seconds : 0.0;
    return m;
}

RunMetrics TrainingSession::evaluate(bool withLayerClassifier) const {
    const Impl& d = *impl_;
    RunMetrics m;
    m.weightParameters = d.size.weights;
    m.biasParameters = d.size.biases;
    m.parameters = d.size.parameters();
    m.finalLoss = d.losses.empty() ? 0.0 : d.losses.back().loss;
    m.stepsDone = d.stepsDone;
    m.device = deviceDescription();
    m.probes = d.finalProbes ? *d.finalProbes : evaluateProbes(d.probes);
    for (const ProbeOutcome& p : m.probes) {
        auto it = std::find_if(m.groups.begin(), m.groups.end(), [&](const GroupSummary& g) { return g.group == p.group; });
        if (it == m.groups.end()) {
            m.groups.push_back({p.group, 0.0, 0.0, 0});
            it = m.groups.end() - 1;
        }
        it->corrIdentity += p.corrIdentity;
        it->corrConstant += p.corrConstant;
        ++it->count;
    }
    for (GroupSummary& g : m.groups) {
        g.corrIdentity /= g.count;
        g.corrConstant /= g.count;
    }
    // Output stuck at zero: the f = 0 saddle a deep network can sit on (paper.md 0b).
    double energy = 0.0;
    for (const ProbeOutcome& p : m.probes)
        for (float v : p.output.pixels) energy = std::max(energy, static_cast<double>(std::abs(v)));
    m.outputCollapsed = energy < 1e-3;
    const bool finite = std::isfinite(m.finalLoss);
    if (finite) m.rhoSweep = rhoSweep();
    if (withLayerClassifier && finite) m.layerClassifier = layerClassifier();
    return m;
}

std::vector<ProbeOutcome> TrainingSession::evaluateProbes(const std::vector<Probe>& probes) const {
    const Impl& d = *impl_;
    std::vector<Image> inputs;
    for (const Probe& p : probes) inputs.push_back(d.conform(p.image));
    // Batch probes of one shape together (user images may come at other sizes).
    std::vector<Image> outputs(inputs.size());
    std::vector<bool> done(inputs.size(), false);
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        if (done[i]) continue;
        std::vector<std::size_t> same;
        std::vector<Image> group;
        for (std::size_t j = i; j < inputs.size(); ++j)
            if (!done[j] && inputs[j].sameShape(inputs[i])) {
                same.push_back(j);
                group.push_back(inputs[j]);
                done[j] = true;
            }
        const auto out = d.forward(group);
        for (std::size_t k = 0; k < same.size(); ++k) outputs[same[k]] = out[k];
    }
    std::vector<ProbeOutcome> result;
    for (std::size_t i = 0; i < probes.size(); ++i) {
        ProbeOutcome o;
        o.name = probes[i].name;
        o.group = probes[i].group;
        o.input = inputs[i];
        o.output = outputs[i];
        const Image ref = conformImage(d.reference(), o.input.channels, o.input.height);
        o.corrIdentity = correlation(d.config.correlation, o.output.pixels, o.input.pixels);
        o.corrConstant = correlation(d.config.correlation, o.output.pixels, ref.pixels);
        o.mse = meanSquaredError(o.output.pixels, o.input.pixels);
        result.push_back(std::move(o));
    }
    return result;
}

std::vector<Image> TrainingSession::predict(const std::vector<Image>& inputs) const {
    std::vector<Probe> probes;
    for (const Image& image : inputs) probes.push_back({"input", ProbeGroup::User, image});
    std::vector<Image> out;
    for (auto& o : evaluateProbes(probes)) out.push_back(std::move(o.output));
    return out;
}

ActivationGrid TrainingSession::activations(const std::vector<Probe>& probes, ChannelReduction reduction, int channel) const {
    const Impl& d = *impl_;
    ActivationGrid grid;
    grid.reduction = reduction;
    grid.channel = channel;
    std::vector<Image> inputs;
    for (const Probe& p : probes) {
        Image image = d.conform(p.image);
        if (!inputs.empty() && !image.sameShape(inputs.front())) image = conformImage(image, image.channels, inputs.front().height);
        inputs.push_back(image);
        grid.probes.push_back(p.name);
    }
    if (inputs.empty()) return grid;
    c10::InferenceMode inference;
    std::vector<torch::Tensor> layers;
    std::vector<std::string> names;
    const torch::Tensor x = d.toDevice(inputs);
    d.network->forwardCollecting(x, layers, names);
    layers.insert(layers.begin(), d.network->toInternal(x));
    names.insert(names.begin(), "input");
    grid.layers = names;
    for (const torch::Tensor& layer : layers) {
        const torch::Tensor cpu = layer.to(torch::kCPU);
        grid.layerChannels.push_back(d.config.isConvolutional() ? static_cast<int>(cpu.size(1)) : 1);
        grid.maps.push_back(nn::layerToMaps(cpu, d.config.isConvolutional(), reduction, channel));
    }
    return grid;
}

std::vector<LayerStatistics> TrainingSession::layerStatistics(const std::vector<Probe>& probes) const {
    const Impl& d = *impl_;
    std::vector<Image> inputs;
    for (const Probe& p : probes) {
        Image image = conformImage(p.image, d.config.imageChannels(), d.config.imageSize);
        inputs.push_back(image);
    }
    std::vector<LayerStatistics> stats;
    if (inputs.empty()) return stats;
    c10::InferenceMode inference;
    std::vector<torch::Tensor> layers;
    std::vector<std::string> names;
    d.network->forwardCollecting(d.toDevice(inputs), layers, names);
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const torch::Tensor t = layers[i].to(torch::kFloat64);
        LayerStatistics s;
        s.layer = names[i];
        s.mean = t.mean().item<double>();
        s.stddev = t.numel() > 1 ? t.std().item<double>() : 0.0;
        s.min = t.min().item<double>();
        s.max = t.max().item<double>();
        s.fractionZero = (t == 0).to(torch::kFloat64).mean().item<double>();
        stats.push_back(s);
    }
    return stats;
}

std::vector<RhoPoint> TrainingSession::rhoSweep() const {
    const Impl& d = *impl_;
    const auto grid = rhoGrid(d.config.rhoPoints);
    const int samples = d.config.rhoSamples;
    std::vector<Image> inputs;
    for (std::size_t r = 0; r < grid.size(); ++r)
        for (int s = 0; s < samples; ++s)
            inputs.push_back(imageAtCorrelation(d.reference(), grid[r], d.config.correlation,
                                                d.config.dataSeed * 7919ULL + r * 1000ULL + static_cast<unsigned>(s)));
    // One batched pass over the distinct inputs of the sweep: at rho = 1 every sample is the
    // training image itself (8 of the 88 inputs by default), so it goes through once.
    std::vector<Image> distinct;
    std::vector<std::size_t> slot(inputs.size());
    for (std::size_t k = 0; k < inputs.size(); ++k) {
        const std::size_t first = k - k % static_cast<std::size_t>(samples);  // same rho: the only place repeats occur
        std::size_t j = first;
        while (j < k && inputs[j].pixels != inputs[k].pixels) ++j;
        if (j < k) {
            slot[k] = slot[j];
        } else {
            slot[k] = distinct.size();
            distinct.push_back(inputs[k]);
        }
    }
    const auto unique = d.forward(distinct);
    std::vector<Image> outputs;
    for (std::size_t k = 0; k < inputs.size(); ++k) outputs.push_back(unique[slot[k]]);
    std::vector<RhoPoint> points;
    for (std::size_t r = 0; r < grid.size(); ++r) {
        RhoPoint p;
        p.rho = grid[r];
        double si = 0, si2 = 0, sc = 0, sc2 = 0;
        for (int s = 0; s < samples; ++s) {
            const std::size_t k = r * static_cast<std::size_t>(samples) + static_cast<std::size_t>(s);
            const double ci = correlation(d.config.correlation, outputs[k].pixels, inputs[k].pixels);
            const double cc = correlation(d.config.correlation, outputs[k].pixels, d.reference().pixels);
            si += ci;
            si2 += ci * ci;
            sc += cc;
            sc2 += cc * cc;
        }
        p.corrIdentity = si / samples;
        p.corrConstant = sc / samples;
        p.corrIdentityStd = std::sqrt(std::max(0.0, si2 / samples - p.corrIdentity * p.corrIdentity));
        p.corrConstantStd = std::sqrt(std::max(0.0, sc2 / samples - p.corrConstant * p.corrConstant));
        p.zone = classifyZone(p.corrIdentity, p.corrConstant);
        points.push_back(p);
    }
    return points;
}

LayerClassifierCurve TrainingSession::layerClassifier(int images) const {
    const Impl& d = *impl_;
    const auto set = loadDatasetShared(d.config.dataset, Split::Train, d.data);
    const int n = std::min<int>(images, static_cast<int>(set->images.size()));
    std::vector<Image> inputs;
    std::vector<int64_t> labels;
    for (int i = 0; i < n; ++i) {
        inputs.push_back(conformImage(set->images[static_cast<std::size_t>(i)], d.config.imageChannels(), d.config.imageSize));
        labels.push_back(set->labels[static_cast<std::size_t>(i)]);
    }
    LayerClassifierCurve curve;
    curve.images = n;
    if (n < 2) return curve;
    c10::InferenceMode inference;
    const torch::Tensor oneHot =
        torch::one_hot(torch::tensor(labels), 10).to(torch::kFloat32).to(d.device);
    const torch::Tensor truth = torch::tensor(labels).to(d.device);
    // Leave-one-out similarity-weighted vote (talk slides): y_i = sum_{j != i} cos(a_i, a_j) y_j.
    auto errorOf = [&](const torch::Tensor& activations) {
        const torch::Tensor a = torch::nn::functional::normalize(
            activations.reshape({n, -1}), torch::nn::functional::NormalizeFuncOptions().dim(1));
        torch::Tensor similarity = torch::mm(a, a.t());
        similarity.fill_diagonal_(0.0);
        const torch::Tensor predicted = torch::mm(similarity, oneHot).argmax(1);
        return (predicted != truth).to(torch::kFloat64).mean().item<double>();
    };
    // Stage by stage over the whole set, in chunks, so that only one layer of activations is
    // held at a time.
    torch::Tensor x = d.network->toInternal(d.toDevice(inputs));
    curve.layers.push_back("input");
    curve.error.push_back(errorOf(x));
    torch::Tensor blockInput;
    constexpr int64_t chunk = 64;
    for (int s = 0; s < d.network->stageCount(); ++s) {
        std::vector<torch::Tensor> outs, blockInputs;
        for (int64_t begin = 0; begin < n; begin += chunk) {
            const int64_t end = std::min<int64_t>(n, begin + chunk);
            torch::Tensor carried = blockInput.defined() ? blockInput.slice(0, begin, end) : torch::Tensor();
            outs.push_back(d.network->runStage(s, x.slice(0, begin, end), carried));
            if (carried.defined()) blockInputs.push_back(carried);
        }
        x = torch::cat(outs);
        blockInput = blockInputs.empty() ? torch::Tensor() : torch::cat(blockInputs);
        curve.layers.push_back(d.network->stageName(s));
        curve.error.push_back(errorOf(x));
    }
    return curve;
}

bool TrainingSession::hasTheorem1() const {
    const ExperimentConfig& c = impl_->config;
    return c.architecture == Architecture::Fcn && c.depth == 1 && c.optimizer == OptimizerKind::Sgd &&
           c.weightDecay == 0.0 && impl_->training.images.size() == 1;
}

Image TrainingSession::theorem1Prediction(const Image& input) const {
    const Impl& d = *impl_;
    if (!hasTheorem1()) throw Error("Theorem 1 applies to a 1-layer FCN trained by SGD on one image");
    // f(x) = W0 x + b0 - r0 (x_hat . x + [bias]) / (|x_hat|^2 + [bias]), r0 = W0 x_hat + b0 - x_hat
    // (paper.md 5.1; without a bias the [bias] terms are 0, which is Pi_par(x) + W0 Pi_perp(x)).
    torch::NoGradGuard noGrad;
    const Image x = conformImage(input, d.config.imageChannels(), d.config.imageSize);
    const auto f64 = torch::TensorOptions().dtype(torch::kFloat64);
    const torch::Tensor W0 = d.initialWeight.to(torch::kFloat64);
    const bool bias = d.initialBias.defined();
    const torch::Tensor b0 = bias ? d.initialBias.to(torch::kFloat64) : torch::zeros({W0.size(0)}, f64);
    const torch::Tensor xh = nn::imagesToTensor({d.reference()}).reshape({-1}).to(torch::kFloat64);
    const torch::Tensor xv = nn::imagesToTensor({x}).reshape({-1}).to(torch::kFloat64);
    const double b = bias ? 1.0 : 0.0;
    const torch::Tensor r0 = torch::mv(W0, xh) + b0 - xh;
    const torch::Tensor f = torch::mv(W0, xv) + b0 - r0 * ((xh.dot(xv).item<double>() + b) / (xh.dot(xh).item<double>() + b));
    return nn::tensorToImages(f.to(torch::kFloat32).reshape({1, x.channels, x.height, x.width})).front();
}

bool TrainingSession::hasCnnFixedPoint() const {
    const ExperimentConfig& c = impl_->config;
    return c.architecture == Architecture::Cnn && c.depth == 1 && c.optimizer == OptimizerKind::Sgd && c.weightDecay == 0.0 &&
           impl_->training.images.size() == 1;
}

Image TrainingSession::cnnFixedPointPrediction(const Image& input) const {
    const Impl& d = *impl_;
    if (!hasCnnFixedPoint()) throw Error("the CNN fixed point applies to a 1-layer CNN trained by SGD on one image");
    torch::NoGradGuard noGrad;
    const int k = d.config.kernelSize;
    const torch::Tensor xh = nn::imagesToTensor({d.reference()}).to(torch::kFloat64);      // (1, C, H, W)
    const int64_t channels = xh.size(1);
    // A: one row per output pixel, one column per kernel tap of every input channel (+ bias).
    torch::Tensor A = torch::nn::functional::unfold(
                          xh, torch::nn::functional::UnfoldFuncOptions({k, k}).padding(k / 2))[0].t();  // (n, C k^2)
    const bool bias = d.initialBias.defined();
    if (bias) A = torch::cat({A, torch::ones({A.size(0), 1}, A.options())}, 1);
    const torch::Tensor pinv = at::linalg_pinv(A);  // torch::linalg is not in <torch/torch.h> from LibTorch 2.x on
    const torch::Tensor projector = torch::eye(A.size(1), A.options()) - torch::mm(pinv, A);
    const torch::Tensor w0 = d.initialWeight.to(torch::kFloat64).reshape({channels, -1});  // (C_out, C_in k^2)
    torch::Tensor start = bias ? torch::cat({w0, d.initialBias.to(torch::kFloat64).reshape({channels, 1})}, 1) : w0;
    const torch::Tensor targets = xh[0].reshape({channels, -1});                             // (C_out, n)
    // Row o of the solution: A+ t_o + (I - A+ A) w0_o.
    const torch::Tensor w = torch::mm(targets, pinv.t()) + torch::mm(start, projector.t());
    const torch::Tensor weight = w.slice(1, 0, channels * k * k).reshape({channels, channels, k, k});
    const torch::Tensor b = bias ? w.select(1, w.size(1) - 1) : torch::Tensor();
    const Image x = input.channels == static_cast<int>(channels) ? input : conformImage(input, static_cast<int>(channels), input.height);
    const torch::Tensor out = torch::conv2d(nn::imagesToTensor({x}).to(torch::kFloat64), weight, b, 1, k / 2);
    return nn::tensorToImages(out.to(torch::kFloat32)).front();
}

std::string TrainingSession::theoryName() const {
    if (hasTheorem1()) return "Theorem 1";
    if (hasCnnFixedPoint()) return "CNN fixed point";
    return {};
}

Image TrainingSession::theoryPrediction(const Image& input) const {
    return hasTheorem1() ? theorem1Prediction(input) : cnnFixedPointPrediction(input);
}

void TrainingSession::saveCheckpoint(const std::string& path) const {
    const Impl& d = *impl_;
    torch::serialize::OutputArchive archive;
    torch::serialize::OutputArchive model, optimizer;
    d.network->save(model);
    d.optimizer->save(optimizer);
    archive.write("model", model);
    archive.write("optimizer", optimizer);
    archive.write("steps_done", torch::tensor(static_cast<int64_t>(d.stepsDone)));
    std::vector<double> loss, lr;
    for (const LossPoint& p : d.losses) {
        loss.push_back(p.loss);
        lr.push_back(p.lr);
    }
    archive.write("loss", torch::tensor(loss, torch::kFloat64));
    archive.write("lr", torch::tensor(lr, torch::kFloat64));
    if (d.initialWeight.defined()) archive.write("initial_weight", d.initialWeight);
    if (d.initialBias.defined()) archive.write("initial_bias", d.initialBias);
    // Written through our own file: LibTorch's file writer throws again from its destructor
    // when a write fails (a full disk), which ends the process (std::terminate). Here a failed
    // write is remembered, LibTorch is told it succeeded, and the error is reported after.
    const std::string temporary = path + ".partial";
    std::FILE* file = std::fopen(temporary.c_str(), "wb");
    if (!file) throw Error("cannot write the checkpoint " + path + ": " + std::strerror(errno));
    int writeError = 0;
    try {
        archive.save_to([&](const void* data, std::size_t size) -> std::size_t {
            if (writeError == 0 && size > 0 && std::fwrite(data, 1, size, file) != size) writeError = errno ? errno : EIO;
            return size;
        });
    } catch (const c10::Error& e) {
        std::fclose(file);
        std::remove(temporary.c_str());
        throw Error("cannot write the checkpoint " + path + ": " + e.what_without_backtrace());
    }
    if (writeError == 0 && std::fflush(file) != 0) writeError = errno;
    if (std::fclose(file) != 0 && writeError == 0) writeError = errno;
    if (writeError == 0 && std::rename(temporary.c_str(), path.c_str()) != 0) writeError = errno;
    if (writeError != 0) {
        std::remove(temporary.c_str());
        throw Error("cannot write the checkpoint " + path + ": " + std::strerror(writeError));
    }
}

void TrainingSession::loadCheckpoint(const std::string& path) {
    Impl& d = *impl_;
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(path, d.device);
        torch::serialize::InputArchive model, optimizer;
        archive.read("model", model);
        archive.read("optimizer", optimizer);
        d.network->load(model);
        d.optimizer->load(optimizer);
        torch::Tensor steps, loss, lr;
        archive.read("steps_done", steps);
        archive.read("loss", loss);
        archive.read("lr", lr);
        d.stepsDone = static_cast<int>(steps.item<int64_t>());
        d.losses.clear();
        const auto lossCpu = loss.to(torch::kCPU), lrCpu = lr.to(torch::kCPU);
        for (int64_t i = 0; i < lossCpu.numel(); ++i)
            d.losses.push_back({static_cast<int>(i), lossCpu[i].item<double>(), lrCpu[i].item<double>()});
        torch::Tensor w0, b0;
        if (archive.try_read("initial_weight", w0)) d.initialWeight = w0.to(torch::kCPU);
        if (archive.try_read("initial_bias", b0)) d.initialBias = b0.to(torch::kCPU);
        d.currentLr = -1.0;
    } catch (const c10::Error& e) {
        throw DataError("cannot read the checkpoint " + path + " (it does not match this config or is damaged): " +
                        e.what_without_backtrace());
    }
}

}  // namespace il
