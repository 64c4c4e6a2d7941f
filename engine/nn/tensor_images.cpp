#include "engine/nn/tensor_images.h"

#include <cmath>
#include <cstring>

namespace il::nn {

torch::Tensor imagesToTensor(const std::vector<Image>& images)
{
    if (images.empty()) return torch::empty({0});
    const Image& first = images.front();
    torch::Tensor batch = torch::empty({static_cast<int64_t>(images.size()), first.channels, first.height, first.width});
    float* out = batch.data_ptr<float>();
    for (const Image& image : images) {
        std::memcpy(out, image.pixels.data(), image.pixels.size() * sizeof(float));
        out += image.pixels.size();
    }
    return batch;
}

std::vector<Image> tensorToImages(const torch::Tensor& batch)
{
    const torch::Tensor cpu = batch.to(torch::kCPU, torch::kFloat32).contiguous();
    std::vector<Image> images;
    const int64_t n = cpu.size(0);
    const float* data = cpu.data_ptr<float>();
    for (int64_t i = 0; i < n; ++i) {
        Image image(static_cast<int>(cpu.size(1)), static_cast<int>(cpu.size(2)), static_cast<int>(cpu.size(3)));
        std::memcpy(image.pixels.data(), data, image.pixels.size() * sizeof(float));
        data += image.pixels.size();
        images.push_back(std::move(image));
    }
    return images;
}

std::vector<Image> layerToMaps(const torch::Tensor& layer, bool convolutional, ChannelReduction reduction, int channel)
{
    torch::Tensor maps;  // (N, 1, H, W)
    if (convolutional) {
        switch (reduction) {
            case ChannelReduction::Mean:
                maps = layer.mean(1, true);
                break;
            case ChannelReduction::Max:
                maps = std::get<0>(layer.max(1, true));
                break;
            case ChannelReduction::Single: {
                const int64_t c = std::max<int64_t>(0, std::min<int64_t>(channel, layer.size(1) - 1));
                maps = layer.slice(1, c, c + 1);
                break;
            }
        }
    } else {
        const int64_t n = layer.size(0), features = layer.numel() / std::max<int64_t>(1, layer.size(0));
        const int64_t side = static_cast<int64_t>(std::ceil(std::sqrt(static_cast<double>(features))));
        torch::Tensor padded = torch::zeros({n, side * side}, layer.options());
        padded.slice(1, 0, features).copy_(layer.reshape({n, features}));
        maps = padded.reshape({n, 1, side, side});
    }
    return tensorToImages(maps);
}

}  // namespace il::nn
