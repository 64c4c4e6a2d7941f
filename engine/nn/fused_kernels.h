#pragma once
// Plain-loop kernels for the SGD update, fused so that each parameter is read and written once
// per step (internal: engine .cpp files only). LibTorch's SGD does the same update in three
// passes (buf.mul_, buf.add_, p.add_): 32 bytes of memory traffic per parameter against 20
// here, and the small FCNs that the paper trains on one image are bound by exactly that
// traffic (docs/performance.md).
//
// The arithmetic is PyTorch's (torch.optim.SGD without dampening), in float:
//   g = grad + weightDecay * p                      (if weightDecay != 0)
//   m = momentum * m + g; g = nesterov ? g + momentum * m : m   (if momentum != 0;
//       a zero buffer on the first step gives PyTorch's "buf = grad")
//   p = p - lr * g
// Results equal PyTorch's up to rounding: ATen may contract a * b + c into one FMA, the
// loops here do not (ISO C++ mode compiles without FP contraction).

#include <cstdint>
#include <functional>

namespace il::nn::kernels {

struct SgdCoefficients {
    float lr = 0.0f;
    float momentum = 0.0f;
    float weightDecay = 0.0f;
    bool nesterov = false;
};

// p[i] -= lr * step(grad[i]) for i < n; m is ignored (may be null) when momentum == 0.
void sgdUpdate(float* p, float* m, const float* grad, std::int64_t n, const SgdCoefficients& k);

// One row of a linear layer's weight in the batch-1 backward pass, in one sweep:
//   if acc: acc[c] += p[c] * gr      (the input gradient W^T g, with the weights before the update)
//   grad[c] = gr * h[c]              (the outer product g h^T, never stored)
//   then the SGD update of p[c] (and m[c]) with that gradient.
void sgdOuterRowUpdate(float* p, float* m, float gr, const float* h, float* acc, std::int64_t n, const SgdCoefficients& k);

// acc[c] += p[c] * a  (axpy), for the batched (N > 1) backward.
void axpy(float* acc, const float* p, float a, std::int64_t n);

// How many chunks parallelChunks splits n items into: one per intra-op thread
// (torch::get_num_threads()), each at least minPerChunk items.
int chunkCount(std::int64_t n, std::int64_t minPerChunk);

// Calls f(chunk, begin, end) for chunkCount(n, minPerChunk) contiguous chunks of [0, n):
// chunk 0 on the calling thread, the others on LibTorch's inter-op thread pool (at::launch).
// The engine is not compiled with -fopenmp, so ATen's inline at::parallel_for would run
// serially here. Returns when every chunk is done.
void parallelChunks(std::int64_t n, std::int64_t minPerChunk, const std::function<void(int, std::int64_t, std::int64_t)>& f);

}  // namespace il::nn::kernels
