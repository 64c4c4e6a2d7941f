#include "engine/nn/fast_fcn.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "engine/nn/fused_kernels.h"
#include "engine/nn/training_path.h"

namespace il::nn {

// ---- choosing the path -------------------------------------------------------------------

TrainingPath chooseTrainingPath(const ExperimentConfig& c, bool onCpu, long long batchRows)
{
    if (const char* forced = std::getenv("IDENTITYLAB_TRAINING_PATH"); forced && std::strcmp(forced, "autograd") == 0)
        return TrainingPath::Autograd;
    const bool fcn = c.architecture == Architecture::Fcn || c.architecture == Architecture::ResnetFcn;
    if (fcn && onCpu && c.optimizer == OptimizerKind::Sgd && batchRows >= 1 && batchRows <= kFusedFcnMaxBatch)
        return TrainingPath::FusedFcn;
    return TrainingPath::Autograd;
}

TrainingPath chooseTrainingPath(const ExperimentConfig& c)
{
    const long long examples = c.trainIndices.empty() ? c.trainCount : static_cast<long long>(c.trainIndices.size());
    const long long rows = c.batchSize > 0 && c.batchSize < examples ? c.batchSize : examples;
    const bool onCpu = c.device == DevicePreference::Cpu || !torch::cuda::is_available();
    return chooseTrainingPath(c, onCpu, rows);
}

const char* toString(TrainingPath path)
{
    switch (path) {
        case TrainingPath::Autograd:
            return "autograd";
        case TrainingPath::FusedFcn:
            return "fused-fcn";
    }
    return "?";
}

// ---- the fused step ------------------------------------------------------------------------

namespace {

// Rows of W per thread below which a second thread costs more than it gains (~64K weights).
std::int64_t minRowsPerChunk(std::int64_t in) { return std::max<std::int64_t>(1, (std::int64_t{1} << 16) / std::max<std::int64_t>(1, in)); }

float* floats(const torch::Tensor& t) { return t.defined() ? t.data_ptr<float>() : nullptr; }

void requirePlain(const torch::Tensor& t, const char* what)
{
    if (t.defined() && !(t.device().is_cpu() && t.scalar_type() == torch::kFloat32 && t.is_contiguous()))
        throw std::logic_error(std::string("fused FCN step: ") + what + " is not a contiguous float CPU tensor");
}

}  // namespace

FastFcnTrainer::FastFcnTrainer(Network network, const ExperimentConfig& config, FusedSgd& optimizer)
    : network_(std::move(network)), activation_(config.activation), residualForm_(config.residualForm), optimizer_(optimizer)
{
    for (const auto& l : network_->weightLayers()) {
        Layer layer;
        layer.weight = l.weight;
        layer.bias = l.bias;
        layer.weightMomentum = optimizer_.momentumBuffer(l.weight);
        if (l.bias.defined()) layer.biasMomentum = optimizer_.momentumBuffer(l.bias);
        layers_.push_back(layer);
    }
    // The stages of NetworkImpl, in the same order as its weight layers.
    int weight = 0;
    for (const LayerSpec& s : layerPlan(config)) {
        if (s.kind == LayerSpec::Kind::Plain) {
            stages_.push_back({StageKind::Plain, weight++, s.activateOutput});
        } else {
            stages_.push_back({StageKind::Inner, weight++, true});
            stages_.push_back({StageKind::Outer, weight++, s.activateOutput});
        }
    }
    if (static_cast<std::size_t>(weight) != layers_.size()) throw std::logic_error("fused FCN step: layer plan and network differ");
}

void FastFcnTrainer::allocate(std::int64_t rows)
{
    if (rows == rows_) return;
    rows_ = rows;
    outputs_.clear();
    branch_.clear();
    std::int64_t widest = 0;
    for (const Stage& s : stages_) {
        const std::int64_t features = layers_[static_cast<std::size_t>(s.layer)].weight.size(0);
        widest = std::max({widest, features, layers_[static_cast<std::size_t>(s.layer)].weight.size(1)});
        outputs_.push_back(torch::empty({rows, features}));
        const bool talkBranch = s.kind == StageKind::Outer && residualForm_ == ResidualForm::Talk && s.activate;
        branch_.push_back(talkBranch ? torch::empty({rows, features}) : torch::Tensor());
    }
    grad_ = torch::empty({rows, widest});
    nextGrad_ = torch::empty({rows, widest});
    skipGrad_ = torch::empty({rows, widest});
}

void FastFcnTrainer::linear(const Layer& layer, const torch::Tensor& input, torch::Tensor& output) const
{
    if (rows_ == 1) {
        torch::Tensor out = output.view({-1});
        if (layer.bias.defined())
            at::addmv_out(out, layer.bias, layer.weight, input.view({-1}));
        else
            at::mv_out(out, layer.weight, input.view({-1}));
    } else {
        if (layer.bias.defined())
            at::addmm_out(output, layer.bias, input, layer.weight.t());
        else
            at::mm_out(output, input, layer.weight.t());
    }
}

void FastFcnTrainer::activateInPlace(torch::Tensor& t) const
{
    switch (activation_) {
        case Activation::Relu:
            t.relu_();
            break;
        case Activation::Linear:
            break;
        case Activation::Tanh:
            t.tanh_();
            break;
        case Activation::LeakyRelu:
            torch::leaky_relu_(t, 0.01);
            break;
    }
}

// ATen's backward formulas: threshold_backward (relu, from the output), tanh_backward,
// leaky_relu_backward (its sign test on the input equals the one on the output).
void FastFcnTrainer::multiplyByDerivative(float* g, const float* y, std::int64_t n) const
{
    switch (activation_) {
        case Activation::Relu:
            for (std::int64_t i = 0; i < n; ++i) g[i] = y[i] <= 0.0f ? 0.0f : g[i];
            break;
        case Activation::Linear:
            break;
        case Activation::Tanh:
            for (std::int64_t i = 0; i < n; ++i) g[i] = g[i] * (1.0f - y[i] * y[i]);
            break;
        case Activation::LeakyRelu: {
            const float slope = 0.01f;
            for (std::int64_t i = 0; i < n; ++i) g[i] = y[i] > 0.0f ? g[i] : g[i] * slope;
            break;
        }
    }
}

void FastFcnTrainer::backwardAndUpdate(const Layer& layer, const float* grad, const float* input, float* inputGrad)
{
    const std::int64_t out = layer.weight.size(0), in = layer.weight.size(1), rows = rows_;
    float* w = floats(layer.weight);
    float* b = floats(layer.bias);
    float* mw = floats(layer.weightMomentum);
    float* mb = floats(layer.biasMomentum);
    const kernels::SgdCoefficients k = optimizer_.coefficients();
    const int chunks = kernels::chunkCount(out, minRowsPerChunk(in));
    if (inputGrad) {
        std::fill(inputGrad, inputGrad + rows * in, 0.0f);
        partial_.assign(static_cast<std::size_t>((chunks - 1) * rows * in), 0.0f);
    }
    kernels::parallelChunks(out, minRowsPerChunk(in), [&](int chunk, std::int64_t begin, std::int64_t end) {
        // This chunk's share of dL/d(input): chunk 0 writes the result, the others partial sums.
        float* acc = !inputGrad ? nullptr : chunk == 0 ? inputGrad : partial_.data() + (chunk - 1) * rows * in;
        std::vector<float> gradRow(rows > 1 ? static_cast<std::size_t>(in) : 0);
        for (std::int64_t r = begin; r < end; ++r) {
            float* wr = w + r * in;
            float* mr = mw ? mw + r * in : nullptr;
            float biasGrad = 0.0f;
            if (rows == 1) {
                biasGrad = grad[r];
                kernels::sgdOuterRowUpdate(wr, mr, grad[r], input, acc, in, k);
            } else {
                std::fill(gradRow.begin(), gradRow.end(), 0.0f);
                for (std::int64_t n = 0; n < rows; ++n) {
                    const float g = grad[n * out + r];
                    biasGrad += g;
                    if (acc) kernels::axpy(acc + n * in, wr, g, in);
                    kernels::axpy(gradRow.data(), input + n * in, g, in);
                }
                kernels::sgdUpdate(wr, mr, gradRow.data(), in, k);
            }
            if (b) kernels::sgdUpdate(b + r, mb ? mb + r : nullptr, &biasGrad, 1, k);
        }
    });
    if (inputGrad)
        for (int t = 1; t < chunks; ++t) kernels::axpy(inputGrad, partial_.data() + (t - 1) * rows * in, 1.0f, rows * in);
}

double FastFcnTrainer::step(const torch::Tensor& images)
{
    torch::NoGradGuard noGrad;
    const torch::Tensor x = network_->toInternal(images).contiguous();
    requirePlain(x, "the batch");
    for (const Layer& l : layers_) {
        requirePlain(l.weight, "a weight");
        requirePlain(l.bias, "a bias");
        requirePlain(l.weightMomentum, "a momentum buffer");
        requirePlain(l.biasMomentum, "a momentum buffer");
    }
    allocate(x.size(0));
    const std::size_t count = stages_.size();

    // Forward, keeping each stage's output (and the Talk form's activated branch).
    for (std::size_t s = 0; s < count; ++s) {
        const Stage& st = stages_[s];
        const torch::Tensor& input = s == 0 ? x : outputs_[s - 1];
        torch::Tensor& out = outputs_[s];
        linear(layers_[static_cast<std::size_t>(st.layer)], input, out);
        if (st.kind != StageKind::Outer) {
            if (st.kind == StageKind::Inner || st.activate) activateInPlace(out);
            continue;
        }
        const torch::Tensor& blockInput = s < 2 ? x : outputs_[s - 2];
        if (residualForm_ == ResidualForm::Talk && st.activate) {
            branch_[s].copy_(out);
            activateInPlace(branch_[s]);
            at::add_out(out, blockInput, branch_[s]);
        } else {
            out.add_(blockInput);
            if (st.activate) activateInPlace(out);
        }
    }

    // MSE loss and its gradient (ATen's mse_loss_backward: float(2 / numel) * (y - x)).
    const torch::Tensor& y = outputs_.back();
    const std::int64_t numel = y.numel();
    const float norm = static_cast<float>(2.0 / static_cast<double>(numel));
    const float* yp = y.data_ptr<float>();
    const float* xp = x.data_ptr<float>();
    float* g = grad_.data_ptr<float>();
    double sum = 0.0;
    for (std::int64_t i = 0; i < numel; ++i) {
        const float d = yp[i] - xp[i];
        sum += static_cast<double>(d) * d;
        g[i] = norm * d;
    }
    const double loss = sum / static_cast<double>(numel);

    // Backward, each layer updated as soon as its input gradient is out.
    float* next = nextGrad_.data_ptr<float>();
    float* skip = skipGrad_.data_ptr<float>();
    for (std::size_t s = count; s-- > 0;) {
        const Stage& st = stages_[s];
        const Layer& layer = layers_[static_cast<std::size_t>(st.layer)];
        const std::int64_t n = rows_ * layer.weight.size(0);
        const float* input = s == 0 ? xp : outputs_[s - 1].data_ptr<float>();
        float* inputGrad = s == 0 ? nullptr : next;
        switch (st.kind) {
            case StageKind::Plain:
                if (st.activate) multiplyByDerivative(g, outputs_[s].data_ptr<float>(), n);
                backwardAndUpdate(layer, g, input, inputGrad);
                break;
            case StageKind::Outer:
                if (residualForm_ == ResidualForm::Talk) {
                    std::copy(g, g + n, skip);  // y = x + act(branch): the skip passes g unchanged
                    if (st.activate) multiplyByDerivative(g, branch_[s].data_ptr<float>(), n);
                } else {
                    if (st.activate) multiplyByDerivative(g, outputs_[s].data_ptr<float>(), n);
                    std::copy(g, g + n, skip);  // y = act(x + branch)
                }
                backwardAndUpdate(layer, g, input, next);
                inputGrad = next;
                break;
            case StageKind::Inner:
                multiplyByDerivative(g, outputs_[s].data_ptr<float>(), n);
                backwardAndUpdate(layer, g, input, inputGrad);
                if (inputGrad) kernels::axpy(inputGrad, skip, 1.0f, rows_ * layer.weight.size(1));
                break;
        }
        std::swap(g, next);
    }
    return loss;
}

}  // namespace il::nn
