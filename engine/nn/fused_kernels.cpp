#include "engine/nn/fused_kernels.h"

#include <algorithm>
#include <exception>
#include <future>
#include <memory>
#include <vector>

#include "engine/core/torch.h"

namespace il::nn::kernels {

// The loops below are written so that GCC vectorises them. -O2 (RelWithDebInfo) vectorises only
// loops whose trip count is a multiple of the vector width, hence optimize("O3"); target_clones
// adds an AVX2 copy chosen at load time, as ATen does with its CPU_CAPABILITY kernels.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define IL_VECTOR_KERNEL __attribute__((target_clones("avx2", "default"), optimize("O3")))
#else
#define IL_VECTOR_KERNEL
#endif
#define IL_INLINE inline __attribute__((always_inline))

namespace {

// One element of PyTorch's SGD step on a gradient g.
template <bool kDecay, bool kMomentum, bool kNesterov>
IL_INLINE float updated(float p, float& m, float g, const SgdCoefficients& k)
{
    if constexpr (kDecay) g = g + k.weightDecay * p;
    if constexpr (kMomentum) {
        const float buf = k.momentum * m + g;
        m = buf;
        g = kNesterov ? g + k.momentum * buf : buf;
    }
    return p - k.lr * g;
}

template <bool kDecay, bool kMomentum, bool kNesterov>
IL_INLINE void updateLoop(float* __restrict p, float* __restrict m, const float* __restrict grad, std::int64_t n, const SgdCoefficients& k)
{
    if constexpr (kMomentum) {
        for (std::int64_t i = 0; i < n; ++i) p[i] = updated<kDecay, true, kNesterov>(p[i], m[i], grad[i], k);
    } else {
        float unused = 0.0f;
        for (std::int64_t i = 0; i < n; ++i) p[i] = updated<kDecay, false, false>(p[i], unused, grad[i], k);
    }
}

template <bool kDecay, bool kMomentum, bool kNesterov, bool kAcc>
IL_INLINE void outerRowLoop(float* __restrict p, float* __restrict m, float gr, const float* __restrict h, float* __restrict acc,
                            std::int64_t n, const SgdCoefficients& k)
{
    if constexpr (kMomentum) {
        for (std::int64_t c = 0; c < n; ++c) {
            const float w = p[c];
            if constexpr (kAcc) acc[c] += w * gr;
            p[c] = updated<kDecay, true, kNesterov>(w, m[c], gr * h[c], k);
        }
    } else {
        for (std::int64_t c = 0; c < n; ++c) {
            const float w = p[c];
            if constexpr (kAcc) acc[c] += w * gr;
            float unused = 0.0f;
            p[c] = updated<kDecay, false, false>(w, unused, gr * h[c], k);
        }
    }
}

// Branch once on the coefficients, outside the loops.
template <template <bool, bool, bool> class Loop, typename... Args>
IL_INLINE void dispatch(const SgdCoefficients& k, Args&&... args)
{
    const bool decay = k.weightDecay != 0.0f, momentum = k.momentum != 0.0f, nesterov = momentum && k.nesterov;
    if (!momentum) {
        if (decay)
            Loop<true, false, false>::run(args...);
        else
            Loop<false, false, false>::run(args...);
    } else if (nesterov) {
        if (decay)
            Loop<true, true, true>::run(args...);
        else
            Loop<false, true, true>::run(args...);
    } else {
        if (decay)
            Loop<true, true, false>::run(args...);
        else
            Loop<false, true, false>::run(args...);
    }
}

template <bool D, bool M, bool N>
struct UpdateLoop {
    static IL_INLINE void run(float* p, float* m, const float* g, std::int64_t n, const SgdCoefficients& k)
    {
        updateLoop<D, M, N>(p, m, g, n, k);
    }
};

template <bool D, bool M, bool N>
struct OuterRowLoop {
    static IL_INLINE void run(float* p, float* m, float gr, const float* h, float* acc, std::int64_t n, const SgdCoefficients& k)
    {
        if (acc)
            outerRowLoop<D, M, N, true>(p, m, gr, h, acc, n, k);
        else
            outerRowLoop<D, M, N, false>(p, m, gr, h, acc, n, k);
    }
};

}  // namespace

IL_VECTOR_KERNEL void sgdUpdate(float* p, float* m, const float* grad, std::int64_t n, const SgdCoefficients& k)
{
    dispatch<UpdateLoop>(k, p, m, grad, n, k);
}

IL_VECTOR_KERNEL void sgdOuterRowUpdate(float* p, float* m, float gr, const float* h, float* acc, std::int64_t n, const SgdCoefficients& k)
{
    dispatch<OuterRowLoop>(k, p, m, gr, h, acc, n, k);
}

IL_VECTOR_KERNEL void axpy(float* __restrict acc, const float* __restrict p, float a, std::int64_t n)
{
    for (std::int64_t i = 0; i < n; ++i) acc[i] += p[i] * a;
}

int chunkCount(std::int64_t n, std::int64_t minPerChunk)
{
    const std::int64_t threads = at::in_parallel_region() ? 1 : std::max(1, at::get_num_threads());
    return static_cast<int>(std::max<std::int64_t>(1, std::min(threads, n / std::max<std::int64_t>(1, minPerChunk))));
}

void parallelChunks(std::int64_t n, std::int64_t minPerChunk, const std::function<void(int, std::int64_t, std::int64_t)>& f)
{
    const int chunks = chunkCount(n, minPerChunk);
    auto bound = [&](int t) { return n * t / chunks; };
    if (chunks == 1) {
        f(0, 0, n);
        return;
    }
    std::vector<std::future<void>> pending;
    for (int t = 1; t < chunks; ++t) {
        auto task = std::make_shared<std::packaged_task<void()>>([&f, t, begin = bound(t), end = bound(t + 1)] { f(t, begin, end); });
        pending.push_back(task->get_future());
        at::launch([task] { (*task)(); });
    }
    std::exception_ptr failure;
    try {
        f(0, 0, bound(1));
    } catch (...) {
        failure = std::current_exception();
    }
    // The other chunks reference f: wait for all of them even when this one failed.
    for (auto& p : pending) {
        try {
            p.get();
        } catch (...) {
            if (!failure) failure = std::current_exception();
        }
    }
    if (failure) std::rethrow_exception(failure);
}

}  // namespace il::nn::kernels
