#include "engine/theory/cnn_fixed_point.h"

#include "engine/nn/tensor_images.h"
#include "engine/probes/probe_set.h"

namespace il::theory {

bool cnnFixedPointApplies(const ExperimentConfig& c, std::size_t trainingImages)
{
    return c.architecture == Architecture::Cnn && oneLayerSgdOnOneImage(c, trainingImages);
}

Image cnnFixedPointPrediction(const ExperimentConfig& config, const InitialModel& initial, const Image& input)
{
    torch::NoGradGuard noGrad;
    const int k = config.kernelSize;
    const torch::Tensor xh = nn::imagesToTensor({*initial.trainingImage}).to(torch::kFloat64);  // (1, C, H, W)
    const int64_t channels = xh.size(1);
    // A: one row per output pixel, one column per kernel tap of every input channel (+ bias).
    torch::Tensor A =
        torch::nn::functional::unfold(xh, torch::nn::functional::UnfoldFuncOptions({k, k}).padding(k / 2))[0].t();  // (n, C k^2)
    const bool bias = initial.bias.defined();
    if (bias) A = torch::cat({A, torch::ones({A.size(0), 1}, A.options())}, 1);
    const torch::Tensor pinv = at::linalg_pinv(A);  // torch::linalg is not in <torch/torch.h> from LibTorch 2.x on
    const torch::Tensor projector = torch::eye(A.size(1), A.options()) - torch::mm(pinv, A);
    const torch::Tensor w0 = initial.weight.to(torch::kFloat64).reshape({channels, -1});  // (C_out, C_in k^2)
    torch::Tensor start = bias ? torch::cat({w0, initial.bias.to(torch::kFloat64).reshape({channels, 1})}, 1) : w0;
    const torch::Tensor targets = xh[0].reshape({channels, -1});  // (C_out, n)
    // Row o of the solution: A+ t_o + (I - A+ A) w0_o.
    const torch::Tensor w = torch::mm(targets, pinv.t()) + torch::mm(start, projector.t());
    const torch::Tensor weight = w.slice(1, 0, channels * k * k).reshape({channels, channels, k, k});
    const torch::Tensor b = bias ? w.select(1, w.size(1) - 1) : torch::Tensor();
    const Image x = input.channels == static_cast<int>(channels) ? input : conformImage(input, static_cast<int>(channels), input.height);
    const torch::Tensor out = torch::conv2d(nn::imagesToTensor({x}).to(torch::kFloat64), weight, b, 1, k / 2);
    return nn::tensorToImages(out.to(torch::kFloat32)).front();
}

}  // namespace il::theory
