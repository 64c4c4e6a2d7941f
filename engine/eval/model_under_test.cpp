#include "engine/eval/model_under_test.h"

#include <algorithm>
#include <cmath>

#include "engine/nn/tensor_images.h"
#include "engine/probes/probe_set.h"

namespace il::eval {

torch::Tensor ModelUnderTest::toDevice(const std::vector<Image>& images) const { return nn::imagesToTensor(images).to(device_); }

// On the CPU in passes of imagesPerPass() images: one pass over a whole probe set or rho sweep
// (81 images) allocated a 20-layer CNN's Winograd workspaces at 130 MB each, above glibc's
// largest mmap threshold (32 MB), so every layer mapped fresh pages and faulted them in: 29 % of
// the evaluation's time in `perf`. Each image's output does not depend on the others in its pass
// (tst_training_session checks the bits), so the split changes nothing else.
std::vector<Image> ModelUnderTest::forward(const std::vector<Image>& inputs) const
{
    if (inputs.empty()) return {};
    c10::InferenceMode inference;
    const std::size_t perPass = device_.is_cuda() ? inputs.size() : imagesPerPass(inputs.front());
    std::vector<Image> outputs;
    outputs.reserve(inputs.size());
    for (std::size_t first = 0; first < inputs.size(); first += perPass) {
        const std::vector<Image> pass(inputs.begin() + static_cast<std::ptrdiff_t>(first),
                                      inputs.begin() + static_cast<std::ptrdiff_t>(std::min(inputs.size(), first + perPass)));
        for (Image& image : nn::tensorToImages(network_->forward(toDevice(pass)).to(torch::kCPU))) outputs.push_back(std::move(image));
    }
    return outputs;
}

// Images per pass so that one layer's Winograd workspace stays under the mmap threshold: it
// holds 16 bytes per activation value (an 8 x 8 tile of float32 for 4 x 4 outputs). 24 MB gives
// 15 images for a 128-channel CNN at 28 x 28, and thousands for an FCN.
std::size_t ModelUnderTest::imagesPerPass(const Image& shape) const
{
    constexpr double kWorkspaceBytesPerPass = 24e6, kWorkspaceBytesPerValue = 16.0;
    const double values = config_.isConvolutional()
                              ? static_cast<double>(std::max(config_.channels, shape.channels)) * shape.height * shape.width
                              : static_cast<double>(std::max<std::size_t>(static_cast<std::size_t>(config_.width), shape.size()));
    return static_cast<std::size_t>(std::max(1.0, std::floor(kWorkspaceBytesPerPass / (kWorkspaceBytesPerValue * values))));
}

Image ModelUnderTest::conform(const Image& image) const
{
    const int c = config_.imageChannels();
    if (config_.isConvolutional()) return image.channels == c ? image : conformImage(image, c, image.height);
    return conformImage(image, c, config_.imageSize);
}

}  // namespace il::eval
