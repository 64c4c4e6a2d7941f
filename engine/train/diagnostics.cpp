#include "engine/train/diagnostics.h"

#include "engine/nn/initialization.h"
#include "engine/nn/network.h"

namespace il {

namespace {

nn::Network buildInitialised(const ExperimentConfig& config)
{
    validate(config);
    const std::lock_guard<std::mutex> generator(nn::globalGeneratorMutex());
    torch::manual_seed(config.seed);
    nn::Network network(config);
    nn::initialize(network, config.init, config.initScale);
    return network;
}

}  // namespace

ModelSize countNetworkParameters(const ExperimentConfig& config)
{
    const nn::Network network = buildInitialised(config);
    ModelSize size;
    for (const auto& layer : network->weightLayers()) {
        size.weights += layer.weight.numel();
        if (layer.bias.defined()) size.biases += layer.bias.numel();
    }
    return size;
}

std::vector<WeightLayerStatistics> initialWeightStatistics(const ExperimentConfig& config)
{
    const nn::Network network = buildInitialised(config);
    std::vector<WeightLayerStatistics> stats;
    for (const auto& layer : network->weightLayers()) {
        const torch::Tensor w = layer.weight.detach().to(torch::kFloat64);
        WeightLayerStatistics s;
        s.fanIn = layer.fanIn;
        s.fanOut = layer.fanOut;
        s.count = w.numel();
        s.mean = w.mean().item<double>();
        s.variance = w.var(/*unbiased=*/false).item<double>();
        const double sd = nn::initStandardDeviation(config.init, layer.fanIn, layer.fanOut, static_cast<int>(w.size(0)));
        s.expectedVariance = sd * sd * config.initScale * config.initScale;
        if (layer.bias.defined()) s.biasMaxAbs = layer.bias.detach().abs().max().item<double>();
        stats.push_back(s);
    }
    return stats;
}

}  // namespace il
