#include "engine/eval/activations.h"

#include "engine/nn/tensor_images.h"
#include "engine/probes/probe_set.h"

namespace il::eval {

ActivationGrid activationGrid(const ModelUnderTest& model, const std::vector<Probe>& probes, ChannelReduction reduction, int channel)
{
    const ExperimentConfig& config = model.config();
    ActivationGrid grid;
    grid.reduction = reduction;
    grid.channel = channel;
    std::vector<Image> inputs;
    for (const Probe& p : probes) {
        Image image = model.conform(p.image);
        if (!inputs.empty() && !image.sameShape(inputs.front())) image = conformImage(image, image.channels, inputs.front().height);
        inputs.push_back(image);
        grid.probes.push_back(p.name);
    }
    if (inputs.empty()) return grid;
    c10::InferenceMode inference;
    std::vector<torch::Tensor> layers;
    std::vector<std::string> names;
    const torch::Tensor x = model.toDevice(inputs);
    model.network().forwardCollecting(x, layers, names);
    layers.insert(layers.begin(), model.network().toInternal(x));
    names.insert(names.begin(), "input");
    grid.layers = names;
    for (const torch::Tensor& layer : layers) {
        const torch::Tensor cpu = layer.to(torch::kCPU);
        grid.layerChannels.push_back(config.isConvolutional() ? static_cast<int>(cpu.size(1)) : 1);
        grid.maps.push_back(nn::layerToMaps(cpu, config.isConvolutional(), reduction, channel));
    }
    return grid;
}

std::vector<LayerStatistics> layerStatistics(const ModelUnderTest& model, const std::vector<Probe>& probes)
{
    const ExperimentConfig& config = model.config();
    std::vector<Image> inputs;
    for (const Probe& p : probes) inputs.push_back(conformImage(p.image, config.imageChannels(), config.imageSize));
    std::vector<LayerStatistics> stats;
    if (inputs.empty()) return stats;
    c10::InferenceMode inference;
    std::vector<torch::Tensor> layers;
    std::vector<std::string> names;
    model.network().forwardCollecting(model.toDevice(inputs), layers, names);
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

}  // namespace il::eval
