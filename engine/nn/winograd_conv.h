#pragma once
// Winograd convolution for the CPU (internal: only engine .cpp files include this).
//
// Why: on a CPU without AVX-512, oneDNN convolves a 128-channel 5x5 layer directly, at the
// machine's FMA limit, so `cnn-depth` (125 such layers x 2000 steps) cannot get faster by better
// scheduling. Winograd's minimal filtering F(4x4, 5x5) computes each 4x4 output tile from an 8x8
// input tile with 64 multiplications per channel pair instead of 400: the convolution becomes 64
// independent (tiles x C_in) x (C_in x C_out) matrix products in a transformed domain, plus cheap
// linear transforms in and out (Lavin and Gray, "Fast Algorithms for Convolutional Neural
// Networks", 2016). The same holds for 3x3 (F(4x4, 3x3)) and 7x7 (F(2x2, 7x7)) kernels.
//
// Forward and backward are written out (a custom autograd function) so that the backward pass
// reuses the transformed input instead of differentiating through the tile gather. The products
// run on a kernel of our own (engine/nn/panel_product.h), on tensors stored 16 channels
// innermost, so that nothing is packed between the transforms and the products.
// The result equals conv2d up to float32 rounding (tst_winograd_conv bounds the difference).
// IDENTITYLAB_CONV=direct in the environment turns it off, for comparisons with LibTorch's own
// convolution.

#include "engine/core/torch.h"

namespace il::nn {

// Whether winogradConv2d handles a stride-1, "same"-padded convolution of `input` by `weight`:
// float32 on the CPU, a 3x3, 5x5 or 7x7 kernel, and at least 64 channels on both sides
// (narrower layers are cheaper directly).
bool winogradServes(const torch::Tensor& input, const torch::Tensor& weight);

// The same decision from the layer's shape alone (CPU float32 assumed), for time estimates.
bool winogradServesLayer(int kernelSize, int64_t channelsIn, int64_t channelsOut);

// How much faster a layer Winograd serves trains than direct convolution, forward and backward,
// on a 2-core AMD EPYC (AVX2+FMA): a 20-layer 128-channel CNN's whole step at one thread,
// 7.1-7.3 against 2.4 steps/s with IDENTITYLAB_CONV=direct (docs/performance.md, "The
// convolution: IDENTITYLAB_CONV"). Used by the time estimates only: `reproduce --list` times Winograd layers
// and scales the direct ones (9x9 kernels, 1024 channels) by this.
constexpr double kWinogradMeasuredSpeedup = 3.0;

// conv2d(x, weight, bias, stride 1, padding r / 2), differentiable in x, weight and bias.
// `bias` may be undefined. Requires winogradServes(x, weight).
torch::Tensor winogradConv2d(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias);

// Output tile size used for an r x r kernel (0 when none is): 4 for 3 and 5, 2 for 7.
int winogradTileSize(int kernelSize);

}  // namespace il::nn
