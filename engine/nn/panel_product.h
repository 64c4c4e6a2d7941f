#pragma once
// The matrix products of the CPU Winograd convolution (internal: winograd_conv.cpp only).
//
// Why not BLAS: each Winograd layer is 64 small products (128x128 by 128x49 for the paper's
// CNN). OpenBLAS packs both operands into its own layout and zeroes the result before every one
// of them; on a 2-core AMD EPYC (AVX2+FMA) that packing and zeroing took more time than its
// multiply kernel (23 % against 20 % of a layer, `perf`, docs/performance.md). The transforms
// can write their results directly in the layout a register-blocked kernel reads, so nothing is
// packed: this file is that kernel.
//
// The layout, "panelled": a matrix whose columns are channels is stored as panels of 16
// channels, each panel (rows, 16) with the 16 channels innermost. A 16-channel row of a panel
// is two AVX registers. The other operand is read one element at a time (broadcast), so any
// strides serve for it.

#include <cstdint>

namespace il::nn::kernels {

// Channels per panel: two 8-float AVX registers.
constexpr std::int64_t kPanelWidth = 16;

// An index along one axis of a panelled tensor: index i lies at
// (i / 16) * panelStride + (i % 16) * step floats from the start.
struct PanelledAxis {
    std::int64_t panelStride = 0;
    std::int64_t step = 0;
    std::int64_t offset(std::int64_t i) const { return (i / kPanelWidth) * panelStride + (i % kPanelWidth) * step; }
};

// A matrix read one element at a time: element (i, k) lies at base + rows.offset(i) + cols.offset(k).
struct BroadcastMatrix {
    const float* base = nullptr;
    PanelledAxis rows, cols;
};

// out[i][j] = sum over k < depth of a(i, k) * b[k][j], for i < rows and j < 16: one panel of a
// product. b is a (depth, 16) panel and out a (rows, 16) panel, both contiguous. Each entry is
// one sum in increasing k with fused multiply-adds (on a CPU with AVX2 and FMA; plain multiply
// and add otherwise), so the result does not depend on how callers split work across threads.
void panelProduct(const BroadcastMatrix& a, std::int64_t rows, std::int64_t depth, const float* b, float* out);

// Which kernel panelProduct runs here: "avx2-fma", or "portable" (a CPU without AVX2 and FMA, or
// IDENTITYLAB_PANEL_KERNEL=portable in the environment).
const char* panelKernelName();

}  // namespace il::nn::kernels
