#include "engine/nn/initialization.h"

#include <algorithm>
#include <cmath>

namespace il::nn {

double initStandardDeviation(InitScheme scheme, int fanIn, int fanOut, int outputs)
{
    const double fi = fanIn, fo = fanOut;
    switch (scheme) {
        case InitScheme::PytorchDefault:
            return 1.0 / std::sqrt(3.0 * fi);  // U(+-1/sqrt(fi))
        case InitScheme::LecunNormal:
        case InitScheme::LecunUniform:
            return std::sqrt(1.0 / fi);
        case InitScheme::XavierNormal:
        case InitScheme::XavierUniform:
            return std::sqrt(2.0 / (fi + fo));
        case InitScheme::KaimingNormal:
        case InitScheme::KaimingUniform:
            return std::sqrt(2.0 / fi);
        // Orthonormal rows (outputs <= fanIn) or columns: every entry has variance
        // 1 / max(rows, columns) of the (outputs x fanIn) matrix.
        case InitScheme::Orthogonal:
            return std::sqrt(1.0 / std::max(fi, static_cast<double>(outputs > 0 ? outputs : fanOut)));
        case InitScheme::FanProductNormal:
            return std::sqrt(1.0 / (fi * fo));
    }
    return 0.0;
}

namespace {

void uniformWithStd(torch::Tensor& w, double stddev)
{
    const double bound = std::sqrt(3.0) * stddev;  // U(-b, b) has variance b^2 / 3
    w.uniform_(-bound, bound);
}

}  // namespace

void initialize(Network& network, InitScheme scheme, double scale)
{
    torch::NoGradGuard noGrad;
    for (auto& layer : network->weightLayers()) {
        torch::Tensor w = layer.weight;
        const double sd = initStandardDeviation(scheme, layer.fanIn, layer.fanOut, static_cast<int>(w.size(0)));
        switch (scheme) {
            case InitScheme::PytorchDefault:
            case InitScheme::LecunUniform:
            case InitScheme::XavierUniform:
            case InitScheme::KaimingUniform:
                uniformWithStd(w, sd);
                break;
            case InitScheme::LecunNormal:
            case InitScheme::XavierNormal:
            case InitScheme::KaimingNormal:
            case InitScheme::FanProductNormal:
                w.normal_(0.0, sd);
                break;
            case InitScheme::Orthogonal:
                torch::nn::init::orthogonal_(w, 1.0);
                break;
        }
        if (scale != 1.0) w.mul_(scale);
        if (layer.bias.defined()) {
            if (scheme == InitScheme::PytorchDefault) {
                const double bound = 1.0 / std::sqrt(static_cast<double>(layer.fanIn));
                layer.bias.uniform_(-bound, bound);
            } else {
                layer.bias.zero_();
            }
        }
    }
}

std::mutex& globalGeneratorMutex()
{
    static std::mutex mutex;
    return mutex;
}

}  // namespace il::nn
