#include "engine/eval/layer_classifier.h"

#include <algorithm>

#include "engine/probes/probe_set.h"

namespace il::eval {

LayerClassifierCurve layerClassifier(const ModelUnderTest& model, const DataLocations& data, int images)
{
    const ExperimentConfig& config = model.config();
    nn::NetworkImpl& network = model.network();
    const auto set = loadDatasetShared(config.dataset, Split::Train, data);
    const int n = std::min<int>(images, static_cast<int>(set->images.size()));
    std::vector<Image> inputs;
    std::vector<int64_t> labels;
    for (int i = 0; i < n; ++i) {
        inputs.push_back(conformImage(set->images[static_cast<std::size_t>(i)], config.imageChannels(), config.imageSize));
        labels.push_back(set->labels[static_cast<std::size_t>(i)]);
    }
    LayerClassifierCurve curve;
    curve.images = n;
    if (n < 2) return curve;
    c10::InferenceMode inference;
    const torch::Tensor oneHot = torch::one_hot(torch::tensor(labels), 10).to(torch::kFloat32).to(model.device());
    const torch::Tensor truth = torch::tensor(labels).to(model.device());
    // Leave-one-out similarity-weighted vote (talk slides): y_i = sum_{j != i} cos(a_i, a_j) y_j.
    auto errorOf = [&](const torch::Tensor& activations) {
        const torch::Tensor a =
            torch::nn::functional::normalize(activations.reshape({n, -1}), torch::nn::functional::NormalizeFuncOptions().dim(1));
        torch::Tensor similarity = torch::mm(a, a.t());
        similarity.fill_diagonal_(0.0);
        const torch::Tensor predicted = torch::mm(similarity, oneHot).argmax(1);
        return (predicted != truth).to(torch::kFloat64).mean().item<double>();
    };
    // Stage by stage over the whole set, in chunks, so that only one layer of activations is
    // held at a time.
    torch::Tensor x = network.toInternal(model.toDevice(inputs));
    curve.layers.push_back("input");
    curve.error.push_back(errorOf(x));
    torch::Tensor blockInput;
    constexpr int64_t chunk = 64;
    for (int s = 0; s < network.stageCount(); ++s) {
        std::vector<torch::Tensor> outs, blockInputs;
        for (int64_t begin = 0; begin < n; begin += chunk) {
            const int64_t end = std::min<int64_t>(n, begin + chunk);
            torch::Tensor carried = blockInput.defined() ? blockInput.slice(0, begin, end) : torch::Tensor();
            outs.push_back(network.runStage(s, x.slice(0, begin, end), carried));
            if (carried.defined()) blockInputs.push_back(carried);
        }
        x = torch::cat(outs);
        blockInput = blockInputs.empty() ? torch::Tensor() : torch::cat(blockInputs);
        curve.layers.push_back(network.stageName(s));
        curve.error.push_back(errorOf(x));
    }
    return curve;
}

}  // namespace il::eval
