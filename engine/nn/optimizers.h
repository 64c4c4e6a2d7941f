#pragma once
// The optimisers the paper and the talk compare (SGD with momentum/Nesterov, Adam, RMSprop,
// Adagrad, Adamax) behind one small interface, so the training loop can change the learning
// rate every step and checkpoint any of them the same way. LibTorch 1.13 has no Adamax; it is
// implemented here with PyTorch's update rule.

#include <memory>
#include <vector>

#include "engine/config/experiment_config.h"
#include "engine/core/torch.h"

namespace il::nn {

class Optimizer {
public:
    virtual ~Optimizer() = default;
    virtual void step() = 0;
    virtual void setLearningRate(double lr) = 0;
    virtual void save(torch::serialize::OutputArchive& archive) const = 0;
    virtual void load(torch::serialize::InputArchive& archive) = 0;
};

std::unique_ptr<Optimizer> makeOptimizer(const ExperimentConfig& config, std::vector<torch::Tensor> parameters);

// Gradients set to none rather than zeroed: the next backward writes them fresh, which saves a
// pass over every gradient each step.
void clearGradients(const std::vector<torch::Tensor>& parameters);

}  // namespace il::nn
