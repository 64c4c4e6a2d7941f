#pragma once
// The optimisers the paper and the talk compare (SGD with momentum/Nesterov, Adam, RMSprop,
// Adagrad, Adamax) behind one small interface, so the training loop can change the learning
// rate every step and checkpoint any of them the same way. LibTorch 1.13 has no Adamax; it is
// implemented here with PyTorch's update rule.

#include <memory>
#include <vector>

#include "engine/config/experiment_config.h"
#include "engine/core/torch.h"
#include "engine/nn/fused_kernels.h"

namespace il::nn {

class Optimizer {
public:
    virtual ~Optimizer() = default;
    virtual void step() = 0;
    virtual void setLearningRate(double lr) = 0;
    virtual void save(torch::serialize::OutputArchive& archive) const = 0;
    virtual void load(torch::serialize::InputArchive& archive) = 0;
};

// SGD (momentum, Nesterov, weight decay) with PyTorch's update rule, applied in one pass over
// each parameter (engine/nn/fused_kernels.h) instead of LibTorch's three. Momentum buffers are
// allocated at construction (zero: the first step then stores the gradient, as PyTorch does).
// The fused FCN path (engine/nn/fast_fcn.h) applies the same update inside its backward pass
// and reads the buffers and coefficients from here, so checkpoints and learning-rate changes
// work the same on both paths.
class FusedSgd final : public Optimizer {
public:
    FusedSgd(std::vector<torch::Tensor> parameters, double lr, double momentum, bool nesterov, double weightDecay);
    void step() override;  // from each parameter's .grad(); parameters without one are skipped
    void setLearningRate(double lr) override { coefficients_.lr = static_cast<float>(lr); }
    void save(torch::serialize::OutputArchive& archive) const override;
    // Also reads the archive of LibTorch's torch::optim::SGD that earlier versions wrote.
    void load(torch::serialize::InputArchive& archive) override;

    const kernels::SgdCoefficients& coefficients() const { return coefficients_; }
    // The momentum buffer of one of the parameters (undefined when momentum is 0).
    torch::Tensor momentumBuffer(const torch::Tensor& parameter) const;

private:
    std::vector<torch::Tensor> parameters_, momentum_;
    kernels::SgdCoefficients coefficients_;
    double momentumValue_ = 0.0, weightDecayValue_ = 0.0;
    bool nesterov_ = false;
};

std::unique_ptr<Optimizer> makeOptimizer(const ExperimentConfig& config, std::vector<torch::Tensor> parameters);

// Gradients set to none rather than zeroed: the next backward writes them fresh, which saves a
// pass over every gradient each step.
void clearGradients(const std::vector<torch::Tensor>& parameters);

}  // namespace il::nn
