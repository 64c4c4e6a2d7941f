#include "engine/nn/optimizers.h"

#include <algorithm>
#include <sstream>
#include <type_traits>

namespace il::nn {

namespace {

// LibTorch's own optimisers; their state (momentum buffers, moments) serialises with them.
template <typename TorchOptimizer, typename Options>
class TorchOptimizerAdapter final : public Optimizer {
public:
    TorchOptimizerAdapter(std::vector<torch::Tensor> parameters, Options options) : optimizer_(std::move(parameters), std::move(options)) {}
    void step() override { optimizer_.step(); }
    void setLearningRate(double lr) override
    {
        for (auto& group : optimizer_.param_groups()) group.options().set_lr(lr);
    }
    void save(torch::serialize::OutputArchive& archive) const override { optimizer_.save(archive); }
    void load(torch::serialize::InputArchive& archive) override { optimizer_.load(archive); }

private:
    mutable TorchOptimizer optimizer_;
};

// PyTorch's Adamax: u = max(beta2 u, |g| + eps); p -= lr / (1 - beta1^t) * m / u.
class Adamax final : public Optimizer {
public:
    Adamax(std::vector<torch::Tensor> parameters, const ExperimentConfig& c)
        : parameters_(std::move(parameters)), lr_(c.lr), beta1_(c.beta1), beta2_(c.beta2), weightDecay_(c.weightDecay)
    {
        for (const auto& p : parameters_) {
            expAvg_.push_back(torch::zeros_like(p));
            expInf_.push_back(torch::zeros_like(p));
        }
    }
    void step() override
    {
        torch::NoGradGuard noGrad;
        ++t_;
        const double biasCorrection = 1.0 - std::pow(beta1_, static_cast<double>(t_));
        for (std::size_t i = 0; i < parameters_.size(); ++i) {
            auto& p = parameters_[i];
            if (!p.grad().defined()) continue;
            torch::Tensor g = p.grad();
            if (weightDecay_ != 0.0) g = g.add(p, weightDecay_);
            expAvg_[i].mul_(beta1_).add_(g, 1.0 - beta1_);
            expInf_[i] = torch::maximum(expInf_[i].mul_(beta2_), g.abs().add_(kEps));
            p.addcdiv_(expAvg_[i], expInf_[i], -lr_ / biasCorrection);
        }
    }
    void setLearningRate(double lr) override { lr_ = lr; }
    void save(torch::serialize::OutputArchive& archive) const override
    {
        archive.write("adamax/t", torch::tensor(static_cast<int64_t>(t_)));
        for (std::size_t i = 0; i < parameters_.size(); ++i) {
            archive.write("adamax/avg" + std::to_string(i), expAvg_[i], /*is_buffer=*/true);
            archive.write("adamax/inf" + std::to_string(i), expInf_[i], /*is_buffer=*/true);
        }
    }
    void load(torch::serialize::InputArchive& archive) override
    {
        torch::Tensor t;
        archive.read("adamax/t", t);
        t_ = t.item<int64_t>();
        for (std::size_t i = 0; i < parameters_.size(); ++i) {
            archive.read("adamax/avg" + std::to_string(i), expAvg_[i], /*is_buffer=*/true);
            archive.read("adamax/inf" + std::to_string(i), expInf_[i], /*is_buffer=*/true);
        }
    }

private:
    static constexpr double kEps = 1e-8;
    std::vector<torch::Tensor> parameters_, expAvg_, expInf_;
    double lr_, beta1_, beta2_, weightDecay_;
    int64_t t_ = 0;
};

bool plainCpuFloat(const torch::Tensor& t)
{
    return t.device().is_cpu() && t.scalar_type() == torch::kFloat32 && t.is_contiguous() && t.layout() == torch::kStrided;
}

// LibTorch's optimisers key their state by parameter: by the TensorImpl's address printed as a
// string up to 1.13 (Debian's), by the address itself from 2.0 on (the CUDA builds we also
// compile against).
template <typename StateMap>
auto findParameterState(StateMap& state, c10::TensorImpl* parameter)
{
    using Key = typename std::decay_t<StateMap>::key_type;
    if constexpr (std::is_same_v<Key, std::string>) {
        std::ostringstream key;
        key << static_cast<const void*>(parameter);
        return state.find(key.str());
    } else {
        return state.find(static_cast<Key>(parameter));
    }
}

}  // namespace

FusedSgd::FusedSgd(std::vector<torch::Tensor> parameters, double lr, double momentum, bool nesterov, double weightDecay)
    : parameters_(std::move(parameters)), momentumValue_(momentum), weightDecayValue_(weightDecay), nesterov_(nesterov)
{
    coefficients_.lr = static_cast<float>(lr);
    coefficients_.momentum = static_cast<float>(momentum);
    coefficients_.weightDecay = static_cast<float>(weightDecay);
    coefficients_.nesterov = nesterov;
    torch::NoGradGuard noGrad;
    for (const auto& p : parameters_) momentum_.push_back(momentum != 0.0 ? torch::zeros_like(p) : torch::Tensor());
}

void FusedSgd::step()
{
    torch::NoGradGuard noGrad;
    const kernels::SgdCoefficients k = coefficients_;
    for (std::size_t i = 0; i < parameters_.size(); ++i) {
        torch::Tensor& p = parameters_[i];
        const torch::Tensor& grad = p.grad();
        if (!grad.defined()) continue;
        torch::Tensor& m = momentum_[i];
        if (plainCpuFloat(p) && plainCpuFloat(grad) && (!m.defined() || plainCpuFloat(m))) {
            float* pp = p.data_ptr<float>();
            float* mp = m.defined() ? m.data_ptr<float>() : nullptr;
            const float* gp = grad.data_ptr<float>();
            // One thread: the update is bound by memory bandwidth, which one core nearly saturates
            // on the 2-core machine, and handing half of every tensor to a second thread cost more
            // than it gained while the cores were shared (docs/performance.md).
            kernels::sgdUpdate(pp, mp, gp, p.numel(), k);
            continue;
        }
        // CUDA or unusual layouts: the same rule in ATen operations (LibTorch's SGD).
        torch::Tensor g = grad;
        if (weightDecayValue_ != 0.0) g = g.add(p, weightDecayValue_);
        if (m.defined()) {
            m.mul_(momentumValue_).add_(g);
            g = nesterov_ ? g.add(m, momentumValue_) : m;
        }
        p.add_(g, -static_cast<double>(k.lr));
    }
}

torch::Tensor FusedSgd::momentumBuffer(const torch::Tensor& parameter) const
{
    for (std::size_t i = 0; i < parameters_.size(); ++i)
        if (parameters_[i].unsafeGetTensorImpl() == parameter.unsafeGetTensorImpl()) return momentum_[i];
    return {};
}

void FusedSgd::save(torch::serialize::OutputArchive& archive) const
{
    archive.write("fused_sgd/version", torch::tensor(static_cast<int64_t>(1)), /*is_buffer=*/true);
    for (std::size_t i = 0; i < momentum_.size(); ++i)
        if (momentum_[i].defined()) archive.write("fused_sgd/momentum" + std::to_string(i), momentum_[i], /*is_buffer=*/true);
}

void FusedSgd::load(torch::serialize::InputArchive& archive)
{
    torch::NoGradGuard noGrad;
    torch::Tensor version;
    if (archive.try_read("fused_sgd/version", version, /*is_buffer=*/true)) {
        for (std::size_t i = 0; i < momentum_.size(); ++i) {
            if (!momentum_[i].defined()) continue;
            torch::Tensor buffer;
            archive.read("fused_sgd/momentum" + std::to_string(i), buffer, /*is_buffer=*/true);
            momentum_[i].copy_(buffer);
        }
        return;
    }
    // A checkpoint of an earlier version: LibTorch's SGD, whose state is keyed by parameter.
    using namespace torch::optim;
    SGD legacy(
        parameters_,
        SGDOptions(static_cast<double>(coefficients_.lr)).momentum(momentumValue_).nesterov(nesterov_).weight_decay(weightDecayValue_));
    legacy.load(archive);
    for (std::size_t i = 0; i < momentum_.size(); ++i) {
        if (!momentum_[i].defined()) continue;
        const auto it = findParameterState(legacy.state(), parameters_[i].unsafeGetTensorImpl());
        torch::Tensor buffer;
        if (it != legacy.state().end()) buffer = static_cast<SGDParamState&>(*it->second).momentum_buffer();
        if (buffer.defined())
            momentum_[i].copy_(buffer);
        else
            momentum_[i].zero_();  // no step taken yet
    }
}

std::unique_ptr<Optimizer> makeOptimizer(const ExperimentConfig& c, std::vector<torch::Tensor> parameters)
{
    using namespace torch::optim;
    switch (c.optimizer) {
        case OptimizerKind::Sgd:
            return std::make_unique<FusedSgd>(std::move(parameters), c.lr, c.momentum, c.nesterov, c.weightDecay);
        case OptimizerKind::Adam:
            return std::make_unique<TorchOptimizerAdapter<Adam, AdamOptions>>(
                std::move(parameters), AdamOptions(c.lr).betas({c.beta1, c.beta2}).weight_decay(c.weightDecay));
        case OptimizerKind::RmsProp:
            // beta2 is RMSprop's alpha, the decay of the squared gradient's running mean, as the
            // optimiser's choice entry says (engine/config/choices.cpp).
            return std::make_unique<TorchOptimizerAdapter<RMSprop, RMSpropOptions>>(
                std::move(parameters), RMSpropOptions(c.lr).alpha(c.beta2).momentum(c.momentum).weight_decay(c.weightDecay));
        case OptimizerKind::Adagrad:
            return std::make_unique<TorchOptimizerAdapter<Adagrad, AdagradOptions>>(std::move(parameters),
                                                                                    AdagradOptions(c.lr).weight_decay(c.weightDecay));
        case OptimizerKind::Adamax:
            return std::make_unique<Adamax>(std::move(parameters), c);
    }
    return nullptr;
}

void clearGradients(const std::vector<torch::Tensor>& parameters)
{
    for (const auto& p : parameters) {
        auto& g = const_cast<torch::Tensor&>(p).mutable_grad();
        if (g.defined()) g = torch::Tensor();
    }
}

}  // namespace il::nn
