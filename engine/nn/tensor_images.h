#pragma once
// Conversions between plain images and tensors. The worker turns tensors into plain images (a
// deep copy) before anything crosses to another thread (docs/gui.md, "How it is built").

#include <vector>

#include "engine/core/image.h"
#include "engine/core/torch.h"
#include "engine/train/results.h"

namespace il::nn {

// Images of one shape -> (N, C, H, W) float32 on the CPU.
torch::Tensor imagesToTensor(const std::vector<Image>& images);
// (N, C, H, W) (any device) -> N images.
std::vector<Image> tensorToImages(const torch::Tensor& batch);
// One layer's output for N inputs -> N single-channel maps. CNN layers (N, C, H, W) are reduced
// over channels; FCN layers (N, F) are laid out row by row in the smallest square that holds F.
std::vector<Image> layerToMaps(const torch::Tensor& layer, bool convolutional, ChannelReduction reduction, int channel);

}  // namespace il::nn
