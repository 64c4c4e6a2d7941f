#pragma once
// The network as evaluation sees it: batched forward passes without gradients on its device,
// with inputs conformed to what the network takes. Internal to the engine (torch types); the
// evaluations in this folder take one, and TrainingSession hands them its current weights.

#include <cstddef>
#include <utility>
#include <vector>

#include "engine/config/experiment_config.h"
#include "engine/core/image.h"
#include "engine/core/torch.h"
#include "engine/nn/network.h"

namespace il::eval {

class ModelUnderTest {
public:
    // The references must outlive the view; reference is the (first) training image, x_hat.
    ModelUnderTest(const ExperimentConfig& config, nn::Network network, torch::Device device, const Image& reference)
        : config_(config), network_(std::move(network)), device_(device), reference_(reference)
    {
    }

    const ExperimentConfig& config() const { return config_; }
    nn::NetworkImpl& network() const { return *network_; }
    torch::Device device() const { return device_; }
    const Image& reference() const { return reference_; }

    torch::Tensor toDevice(const std::vector<Image>& images) const;
    // Outputs of inputs of one shape, in passes of imagesPerPass() images on the CPU.
    std::vector<Image> forward(const std::vector<Image>& inputs) const;
    // What the network takes: FCNs only the training size; CNNs any size (they are fully
    // convolutional) but the training channel count.
    Image conform(const Image& image) const;

private:
    std::size_t imagesPerPass(const Image& shape) const;

    const ExperimentConfig& config_;
    mutable nn::Network network_;  // evaluation runs forward() from const methods
    torch::Device device_;
    const Image& reference_;
};

}  // namespace il::eval
