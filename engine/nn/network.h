#pragma once
// The paper's networks as LibTorch modules (internal: only engine .cpp files include this).
// Each network is an ordered list of named layers so that forward() can return every layer's
// output: C++ modules have no forward hooks (pytorch/pytorch#25888), and the activation maps
// and the layer-wise classifier need those outputs.

#include <string>
#include <vector>

#include "engine/config/experiment_config.h"
#include "engine/core/torch.h"

namespace il::nn {

// One weight layer (Linear or Conv2d) followed by an optional activation, or a residual block
// of two such layers with an identity skip.
struct LayerSpec {
    enum class Kind { Plain, Residual };
    Kind kind = Kind::Plain;
    int in = 0, out = 0;         // features (FCN) or channels (CNN)
    bool activateOutput = true;  // false for the network's last layer: linear output
};

std::vector<LayerSpec> layerPlan(const ExperimentConfig& config);

class NetworkImpl : public torch::nn::Module {
public:
    explicit NetworkImpl(const ExperimentConfig& config);

    // x: (N, C, H, W). Returns (N, C, H, W). FCNs flatten and need the training size.
    torch::Tensor forward(const torch::Tensor& x);
    // The same, also collecting each layer's output in `layers` (one entry per weight layer:
    // a residual block contributes its inner and its outer output), in the network's layout:
    // (N, C, H, W) for CNNs, (N, features) for FCNs.
    torch::Tensor forwardCollecting(const torch::Tensor& x, std::vector<torch::Tensor>& layers, std::vector<std::string>& names);

    // Stage-wise forward, for work that must not hold every layer's output of a large batch at
    // once (the layer-wise classifier): stage i produces the i-th collected layer output.
    // `blockInput` carries a residual block's input from its inner to its outer stage.
    int stageCount() const { return static_cast<int>(stages_.size()); }
    torch::Tensor runStage(int stage, const torch::Tensor& x, torch::Tensor& blockInput);
    std::string stageName(int stage) const;
    // (N, C, H, W) -> the layout the first stage takes (flattened for FCNs), and back.
    torch::Tensor toInternal(const torch::Tensor& images) const;
    torch::Tensor toImages(const torch::Tensor& internal, const std::vector<int64_t>& imageShape) const;

    // The weight layers in order, each as (weight, bias or undefined).
    struct WeightLayer {
        torch::Tensor weight;
        torch::Tensor bias;
        int fanIn = 0, fanOut = 0;
    };
    std::vector<WeightLayer> weightLayers() const;

    bool convolutional() const { return convolutional_; }

private:
    torch::Tensor layer(std::size_t i, const torch::Tensor& x);
    torch::Tensor activate(const torch::Tensor& x) const;
    torch::Tensor applyPlan(const torch::Tensor& x, std::vector<torch::Tensor>* layers, std::vector<std::string>* names);

    struct Stage {
        std::size_t spec = 0;    // index into plan_
        bool outer = false;      // the second half of a residual block
        std::size_t weight = 0;  // weight layer it applies
    };
    std::vector<Stage> stages_;

    ExperimentConfig config_;
    bool convolutional_ = false;
    std::vector<LayerSpec> plan_;
    std::vector<torch::nn::Linear> linears_;  // FCN weight layers in order
    std::vector<torch::nn::Conv2d> convs_;    // CNN weight layers in order
};
TORCH_MODULE(Network);

}  // namespace il::nn
