#include "engine/nn/network.h"

#include "engine/nn/winograd_conv.h"

namespace il::nn {

std::vector<LayerSpec> layerPlan(const ExperimentConfig& c)
{
    const int io = c.isConvolutional() ? c.imageChannels() : c.inputFeatures();
    const int hidden = c.isConvolutional() ? c.channels : c.width;
    std::vector<LayerSpec> plan;
    if (!c.isResidual()) {
        for (int i = 0; i < c.depth; ++i) {
            LayerSpec s;
            s.in = i == 0 ? io : hidden;
            s.out = i == c.depth - 1 ? io : hidden;
            s.activateOutput = i != c.depth - 1;
            plan.push_back(s);
        }
        return plan;
    }
    const bool plainEnds = c.residualNeedsPlainEnds();
    const int blocks = (c.depth - (plainEnds ? 2 : 0)) / 2;
    if (plainEnds) plan.push_back({LayerSpec::Kind::Plain, io, hidden, true});
    for (int b = 0; b < blocks; ++b) {
        const bool last = !plainEnds && b == blocks - 1;
        plan.push_back({LayerSpec::Kind::Residual, hidden, hidden, !last});
    }
    if (plainEnds) plan.push_back({LayerSpec::Kind::Plain, hidden, io, false});
    return plan;
}

NetworkImpl::NetworkImpl(const ExperimentConfig& config)
    : config_(config), convolutional_(config.isConvolutional()), plan_(layerPlan(config))
{
    int index = 0;
    auto addWeightLayer = [&](int in, int out) {
        const std::string name = "layer" + std::to_string(++index);
        if (convolutional_) {
            const int k = config_.kernelSize;
            convs_.push_back(
                register_module(name, torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, k).stride(1).padding(k / 2).bias(config_.bias))));
        } else {
            linears_.push_back(register_module(name, torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(config_.bias))));
        }
    };
    std::size_t weight = 0;
    for (std::size_t i = 0; i < plan_.size(); ++i) {
        const LayerSpec& s = plan_[i];
        addWeightLayer(s.in, s.out);
        stages_.push_back({i, false, weight++});
        if (s.kind == LayerSpec::Kind::Residual) {
            addWeightLayer(s.out, s.out);
            stages_.push_back({i, true, weight++});
        }
    }
}

torch::Tensor NetworkImpl::activate(const torch::Tensor& x) const
{
    switch (config_.activation) {
        case Activation::Relu:
            return torch::relu(x);
        case Activation::Linear:
            return x;
        case Activation::Tanh:
            return torch::tanh(x);
        case Activation::LeakyRelu:
            return torch::leaky_relu(x, 0.01);
    }
    return x;
}

torch::Tensor NetworkImpl::layer(std::size_t i, const torch::Tensor& x)
{
    if (convolutional_) {
        // On the CPU the hidden layers convolve by Winograd's algorithm (winograd_conv.h): the
        // same function with about a sixth of the multiplications.
        auto& conv = convs_[i];
        if (winogradServes(x, conv->weight)) return winogradConv2d(x, conv->weight, config_.bias ? conv->bias : torch::Tensor());
        return conv->forward(x);
    }
    const auto& l = linears_[i];
    return torch::linear(x, l->weight, config_.bias ? l->bias : torch::Tensor());
}

torch::Tensor NetworkImpl::runStage(int index, const torch::Tensor& x, torch::Tensor& blockInput)
{
    const Stage& st = stages_[static_cast<std::size_t>(index)];
    const LayerSpec& s = plan_[st.spec];
    if (s.kind == LayerSpec::Kind::Plain) {
        torch::Tensor y = layer(st.weight, x);
        return s.activateOutput ? activate(y) : y;
    }
    if (!st.outer) {
        blockInput = x;
        return activate(layer(st.weight, x));
    }
    const torch::Tensor branch = layer(st.weight, x);  // x is the inner activation here
    if (config_.residualForm == ResidualForm::Talk) return blockInput + (s.activateOutput ? activate(branch) : branch);
    torch::Tensor y = blockInput + branch;
    return s.activateOutput ? activate(y) : y;
}

std::string NetworkImpl::stageName(int index) const
{
    const Stage& st = stages_[static_cast<std::size_t>(index)];
    const LayerSpec& s = plan_[st.spec];
    const std::string number = std::to_string(index + 1);
    if (index + 1 == stageCount()) return "output " + number;
    if (s.kind == LayerSpec::Kind::Plain) return "layer " + number;
    return (st.outer ? "block out " : "block inner ") + number;
}

torch::Tensor NetworkImpl::toInternal(const torch::Tensor& images) const
{
    return convolutional_ ? images : images.reshape({images.size(0), -1});
}

torch::Tensor NetworkImpl::toImages(const torch::Tensor& internal, const std::vector<int64_t>& imageShape) const
{
    return convolutional_ ? internal : internal.reshape(imageShape);
}

torch::Tensor NetworkImpl::applyPlan(const torch::Tensor& input, std::vector<torch::Tensor>* layers, std::vector<std::string>* names)
{
    torch::Tensor x = toInternal(input);
    torch::Tensor blockInput;
    for (int i = 0; i < stageCount(); ++i) {
        x = runStage(i, x, blockInput);
        if (layers) {
            layers->push_back(x);
            names->push_back(stageName(i));
        }
    }
    return toImages(x, input.sizes().vec());
}

torch::Tensor NetworkImpl::forward(const torch::Tensor& x) { return applyPlan(x, nullptr, nullptr); }

torch::Tensor NetworkImpl::forwardCollecting(const torch::Tensor& x, std::vector<torch::Tensor>& layers, std::vector<std::string>& names)
{
    return applyPlan(x, &layers, &names);
}

std::vector<NetworkImpl::WeightLayer> NetworkImpl::weightLayers() const
{
    std::vector<WeightLayer> out;
    const int k2 = convolutional_ ? config_.kernelSize * config_.kernelSize : 1;
    auto add = [&](const torch::Tensor& weight, const torch::Tensor& bias) {
        WeightLayer l;
        l.weight = weight;
        l.bias = bias;
        l.fanOut = static_cast<int>(weight.size(0)) * k2;
        l.fanIn = static_cast<int>(weight.size(1)) * k2;
        out.push_back(l);
    };
    for (const auto& c : convs_) add(c->weight, config_.bias ? c->bias : torch::Tensor());
    for (const auto& l : linears_) add(l->weight, config_.bias ? l->bias : torch::Tensor());
    return out;
}

}  // namespace il::nn
