#include "engine/nn/optimizers.h"

namespace il::nn {

namespace {

// LibTorch's own optimisers; their state (momentum buffers, moments) serialises with them.
template <typename TorchOptimizer, typename Options>
class TorchOptimizerAdapter final : public Optimizer {
public:
    TorchOptimizerAdapter(std::vector<torch::Tensor> parameters, Options options)
        : optimizer_(std::move(parameters), std::move(options)) {}
    void step() override { optimizer_.step(); }
    void setLearningRate(double lr) override {
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
        : parameters_(std::move(parameters)), lr_(c.lr), beta1_(c.beta1), beta2_(c.beta2), weightDecay_(c.weightDecay) {
        for (const auto& p : parameters_) {
            expAvg_.push_back(torch::zeros_like(p));
            expInf_.push_back(torch::zeros_like(p));
        }
    }
    void step() override {
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
    void save(torch::serialize::OutputArchive& archive) const override {
        archive.write("adamax/t", torch::tensor(static_cast<int64_t>(t_)));
        for (std::size_t i = 0; i < parameters_.size(); ++i) {
            archive.write("adamax/avg" + std::to_string(i), expAvg_[i], /*is_buffer=*/true);
            archive.write("adamax/inf" + std::to_string(i), expInf_[i], /*is_buffer=*/true);
        }
    }
    void load(torch::serialize::InputArchive& archive) override {
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

}  // namespace

std::unique_ptr<Optimizer> makeOptimizer(const ExperimentConfig& c, std::vector<torch::Tensor> parameters) {
    using namespace torch::optim;
    switch (c.optimizer) {
        case OptimizerKind::Sgd:
            return std::make_unique<TorchOptimizerAdapter<SGD, SGDOptions>>(
                std::move(parameters),
                SGDOptions(c.lr).momentum(c.momentum).nesterov(c.nesterov).weight_decay(c.weightDecay));
        case OptimizerKind::Adam:
            return std::make_unique<TorchOptimizerAdapter<Adam, AdamOptions>>(
                std::move(parameters), AdamOptions(c.lr).betas({c.beta1, c.beta2}).weight_decay(c.weightDecay));
        case OptimizerKind::RmsProp:
            return std::make_unique<TorchOptimizerAdapter<RMSprop, RMSpropOptions>>(
                std::move(parameters),
                RMSpropOptions(c.lr).alpha(0.99).momentum(0.0).weight_decay(c.weightDecay));
        case OptimizerKind::Adagrad:
            return std::make_unique<TorchOptimizerAdapter<Adagrad, AdagradOptions>>(
                std::move(parameters), AdagradOptions(c.lr).weight_decay(c.weightDecay));
        case OptimizerKind::Adamax: return std::make_unique<Adamax>(std::move(parameters), c);
    }
    return nullptr;
}

void clearGradients(const std::vector<torch::Tensor>& parameters) {
    for (const auto& p : parameters) {
        auto& g = const_cast<torch::Tensor&>(p).mutable_grad();
        if (g.defined()) g = torch::Tensor();
    }
}

}  // namespace il::nn
