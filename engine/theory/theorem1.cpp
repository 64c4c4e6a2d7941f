#include "engine/theory/theorem1.h"

#include "engine/nn/tensor_images.h"
#include "engine/probes/probe_set.h"

namespace il::theory {

bool theorem1Applies(const ExperimentConfig& c, std::size_t trainingImages)
{
    return c.architecture == Architecture::Fcn && oneLayerSgdOnOneImage(c, trainingImages);
}

Image theorem1Prediction(const ExperimentConfig& config, const InitialModel& initial, const Image& input)
{
    // f(x) = W0 x + b0 - r0 (x_hat . x + [bias]) / (|x_hat|^2 + [bias]), r0 = W0 x_hat + b0 - x_hat
    // (without a bias the [bias] terms are 0, which is Pi_par(x) + W0 Pi_perp(x)).
    torch::NoGradGuard noGrad;
    const Image x = conformImage(input, config.imageChannels(), config.imageSize);
    const auto f64 = torch::TensorOptions().dtype(torch::kFloat64);
    const torch::Tensor W0 = initial.weight.to(torch::kFloat64);
    const bool bias = initial.bias.defined();
    const torch::Tensor b0 = bias ? initial.bias.to(torch::kFloat64) : torch::zeros({W0.size(0)}, f64);
    const torch::Tensor xh = nn::imagesToTensor({*initial.trainingImage}).reshape({-1}).to(torch::kFloat64);
    const torch::Tensor xv = nn::imagesToTensor({x}).reshape({-1}).to(torch::kFloat64);
    const double b = bias ? 1.0 : 0.0;
    const torch::Tensor r0 = torch::mv(W0, xh) + b0 - xh;
    const torch::Tensor f = torch::mv(W0, xv) + b0 - r0 * ((xh.dot(xv).item<double>() + b) / (xh.dot(xh).item<double>() + b));
    return nn::tensorToImages(f.to(torch::kFloat32).reshape({1, x.channels, x.height, x.width})).front();
}

}  // namespace il::theory
