#include "engine/nn/winograd_conv.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <vector>

#include <ATen/ThreadLocalState.h>

#include "engine/nn/fused_kernels.h"

namespace il::nn {

namespace {

using kernels::parallelChunks;

// Below 64 channels the transforms cost more than the products save (a 32-channel 5x5 layer:
// 3.3 ms Winograd against 2.1 ms direct, forward and backward, one thread). Above 512 the
// transformed weight, 2.6x the weight, would break the speed issue's memory bound.
constexpr int64_t kMinChannels = 64;
constexpr int64_t kMaxChannels = 512;

// The transforms of F(m x m, r x r) on n = m + r - 1 points: y = A^T [(G g G^T) . (B^T d B)] A.
// Built by the Toom-Cook construction from the finite points 0, 1, -1, 2, -2, 1/2, -1/2 and the
// point at infinity (Lavin's wincnn): A^T[i][t] = a_t^i; G[t][k] = a_t^k / prod_{l != t}(a_t - a_l);
// row t of B^T holds the coefficients of prod_{l != t}(x - a_l), and the infinity row those of
// prod_l (x - a_l). These small points keep float32 rounding at the level of direct convolution.
struct Transforms {
    int m = 0, r = 0, n = 0;
    torch::Tensor AT, G, BT;        // (m x n), (n x r), (n x n), float32
    torch::Tensor A, B;             // transposes of AT and BT, contiguous, for the backward pass
    torch::Tensor GT;               // transpose of G (r x n), for the weight gradient
};

Transforms buildTransforms(int m, int r) {
    static constexpr std::array<double, 7> kPoints{0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5};
    const int n = m + r - 1;
    const int finite = n - 1;
    TORCH_CHECK(finite <= static_cast<int>(kPoints.size()), "Winograd tile too large");
    auto at = torch::zeros({m, n}, torch::kFloat64);
    auto g = torch::zeros({n, r}, torch::kFloat64);
    auto bt = torch::zeros({n, n}, torch::kFloat64);
    auto AT = at.accessor<double, 2>();
    auto G = g.accessor<double, 2>();
    auto BT = bt.accessor<double, 2>();
    // Coefficients (increasing powers) of prod over l in `points` of (x - a_l).
    auto product = [&](int skip) {
        std::vector<double> poly{1.0};
        for (int l = 0; l < finite; ++l) {
            if (l == skip) continue;
            std::vector<double> next(poly.size() + 1, 0.0);
            for (std::size_t k = 0; k < poly.size(); ++k) {
                next[k] -= kPoints[static_cast<std::size_t>(l)] * poly[k];
                next[k + 1] += poly[k];
            }
            poly = std::move(next);
        }
        return poly;
    };
    for (int t = 0; t < finite; ++t) {
        const double a = kPoints[static_cast<std::size_t>(t)];
        double f = 1.0;
        for (int l = 0; l < finite; ++l)
            if (l != t) f *= a - kPoints[static_cast<std::size_t>(l)];
        double power = 1.0;
        for (int i = 0; i < std::max(m, r); ++i, power *= a) {
            if (i < m) AT[i][t] = power;
            if (i < r) G[t][i] = power / f;
        }
        const auto poly = product(t);
        for (std::size_t k = 0; k < poly.size(); ++k) BT[t][static_cast<long>(k)] = poly[k];
    }
    AT[m - 1][n - 1] = 1.0;
    G[n - 1][r - 1] = 1.0;
    const auto poly = product(-1);
    for (std::size_t k = 0; k < poly.size(); ++k) BT[n - 1][static_cast<long>(k)] = poly[k];

    Transforms tr;
    tr.m = m;
    tr.r = r;
    tr.n = n;
    tr.AT = at.to(torch::kFloat32).contiguous();
    tr.G = g.to(torch::kFloat32).contiguous();
    tr.BT = bt.to(torch::kFloat32).contiguous();
    tr.A = tr.AT.t().contiguous();
    tr.GT = tr.G.t().contiguous();
    tr.B = tr.BT.t().contiguous();
    return tr;
}

const Transforms& transformsFor(int r) {
    // Function-local statics: built once, thread-safe, shared by every layer and session.
    static const Transforms f4x3 = buildTransforms(4, 3);
    static const Transforms f4x5 = buildTransforms(4, 5);
    static const Transforms f2x7 = buildTransforms(2, 7);
    switch (r) {
        case 3: return f4x3;
        case 5: return f4x5;
        default: return f2x7;
    }
}

bool disabledByEnvironment() {
    static const bool disabled = [] {
        const char* value = std::getenv("IDENTITYLAB_CONV");
        return value != nullptr && std::strcmp(value, "direct") == 0;
    }();
    return disabled;
}

// The loops below run over the tiles of one image plane, the innermost index, so that GCC
// vectorises them; target_clones adds an AVX2 copy chosen at load time (as fused_kernels.cpp).
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define IL_WINOGRAD_KERNEL __attribute__((target_clones("avx2", "default"), optimize("O3")))
#else
#define IL_WINOGRAD_KERNEL
#endif

// A set of equally long rows at a fixed distance: a local buffer, or one channel's slice of the
// transformed tensors (row (a, b) of V for channel c starts at V + (a n + b) C P + c P + ...).
struct Rows {
    float* base;
    int64_t stride;
    float* row(int64_t index) const { return base + index * stride; }
};

// Eight floats as one value: GCC's vector extension compiles it to one AVX register in the AVX2
// clones (two SSE registers otherwise). The plain-array form of the loop below was vectorised
// only into scalar and half-width pieces.
typedef float Float8 __attribute__((vector_size(32)));

// dst[t] = sum_x coef[x] src[x][t], eight floats at a time in a register; the tail one by one.
inline __attribute__((always_inline)) void combine(float* __restrict dst, const float* const* src, const float* coef,
                                                   int count, int64_t length) {
    int64_t t = 0;
    for (; t + 8 <= length; t += 8) {
        Float8 acc = {};
        for (int x = 0; x < count; ++x) {
            Float8 v;
            std::memcpy(&v, src[x] + t, sizeof v);  // an unaligned load
            acc += coef[x] * v;
        }
        std::memcpy(dst + t, &acc, sizeof acc);
    }
    for (; t < length; ++t) {
        float acc = 0.0f;
        for (int x = 0; x < count; ++x) acc += coef[x] * src[x][t];
        dst[t] = acc;
    }
}

constexpr int kMaxPoints = 8;

// out row (k, l) = sum_i L[k][i] in row (i, l), for k < rows, i < inner, l < cols: one side of a
// tile transform, for every tile of a plane at once. Zero coefficients (half of B^T) are skipped.
IL_WINOGRAD_KERNEL void transformRows(const float* L, int rows, int inner, int cols, Rows in, Rows out, int64_t length) {
    const float* src[kMaxPoints];
    float coef[kMaxPoints];
    for (int k = 0; k < rows; ++k)
        for (int l = 0; l < cols; ++l) {
            int count = 0;
            for (int i = 0; i < inner; ++i)
                if (L[k * inner + i] != 0.0f) {
                    src[count] = in.row(i * cols + l);
                    coef[count++] = L[k * inner + i];
                }
            combine(out.row(k * cols + l), src, coef, count, length);
        }
}

// out row (k, l) = sum_j R[l][j] in row (k, j), for k < rows, j < inner, l < cols: the other side.
IL_WINOGRAD_KERNEL void transformCols(const float* R, int rows, int inner, int cols, Rows in, Rows out, int64_t length) {
    const float* src[kMaxPoints];
    float coef[kMaxPoints];
    for (int k = 0; k < rows; ++k)
        for (int l = 0; l < cols; ++l) {
            int count = 0;
            for (int j = 0; j < inner; ++j)
                if (R[l * inner + j] != 0.0f) {
                    src[count] = in.row(k * inner + j);
                    coef[count++] = R[l * inner + j];
                }
            combine(out.row(k * cols + l), src, coef, count, length);
        }
}

// An 8 x 8 block of floats transposed in registers: rows[i][j] becomes rows[j][i]. Three rounds of
// shuffles (32-bit, 64-bit and 128-bit interleaves), which the compiler turns into unpack and
// permute instructions in both clones. __builtin_shufflevector: GCC 12 and Clang.
inline __attribute__((always_inline)) void transpose8x8(Float8 (&rows)[8]) {
    Float8 a[8], b[8];
    for (int i = 0; i < 8; i += 2) {
        a[i] = __builtin_shufflevector(rows[i], rows[i + 1], 0, 8, 1, 9, 4, 12, 5, 13);
        a[i + 1] = __builtin_shufflevector(rows[i], rows[i + 1], 2, 10, 3, 11, 6, 14, 7, 15);
    }
    for (int i = 0; i < 8; i += 4)
        for (int j = 0; j < 2; ++j) {
            b[i + j * 2] = __builtin_shufflevector(a[i + j], a[i + j + 2], 0, 1, 8, 9, 4, 5, 12, 13);
            b[i + j * 2 + 1] = __builtin_shufflevector(a[i + j], a[i + j + 2], 2, 3, 10, 11, 6, 7, 14, 15);
        }
    for (int j = 0; j < 4; ++j) {
        rows[j] = __builtin_shufflevector(b[j], b[j + 4], 0, 1, 2, 3, 8, 9, 10, 11);
        rows[j + 4] = __builtin_shufflevector(b[j], b[j + 4], 4, 5, 6, 7, 12, 13, 14, 15);
    }
}

// The weight transform works with the input channel innermost, but LibTorch stores a weight
// (O, C, r, r), the r*r kernel entries innermost. These two move one output channel's kernels
// between the layouts: channelInner[e * stride + c] = src[c * entries + e], and back. Element by
// element, with one side strided, this took about 4 % of a 20-layer CNN's step (`perf`); in 8 x 8
// blocks it is whole-register loads and stores, and a 128-channel layer's forward and backward
// pass got about 2.5 % faster (docs/performance.md). Blocks past the last full one overlap the
// previous block, rewriting the same values. Both walk the channels outermost, so the (O, C, r, r)
// side is read or written in memory order; one strided transposition serving both directions
// walked the gradients' way out in the other order and lost the gain (46 and 56 of 150 pairs).
IL_WINOGRAD_KERNEL void kernelsToChannelInner(const float* src, int64_t channels, int64_t entries, float* channelInner,
                                              int64_t stride) {
    const int64_t c8 = entries >= 8 ? channels / 8 * 8 : 0;
    for (int64_t c = 0; c < c8; c += 8)
        for (int64_t e0 = 0; e0 < entries; e0 += 8) {
            const int64_t e = std::min(e0, entries - 8);
            Float8 block[8];
            for (int i = 0; i < 8; ++i) std::memcpy(&block[i], src + (c + i) * entries + e, sizeof(Float8));
            transpose8x8(block);
            for (int j = 0; j < 8; ++j) std::memcpy(channelInner + (e + j) * stride + c, &block[j], sizeof(Float8));
        }
    for (int64_t c = c8; c < channels; ++c)
        for (int64_t e = 0; e < entries; ++e) channelInner[e * stride + c] = src[c * entries + e];
}

IL_WINOGRAD_KERNEL void kernelsFromChannelInner(const float* channelInner, int64_t stride, int64_t channels,
                                                int64_t entries, float* dst) {
    const int64_t c8 = entries >= 8 ? channels / 8 * 8 : 0;
    for (int64_t c = 0; c < c8; c += 8)
        for (int64_t e0 = 0; e0 < entries; e0 += 8) {
            const int64_t e = std::min(e0, entries - 8);
            Float8 block[8];
            for (int j = 0; j < 8; ++j) std::memcpy(&block[j], channelInner + (e + j) * stride + c, sizeof(Float8));
            transpose8x8(block);
            for (int i = 0; i < 8; ++i) std::memcpy(dst + (c + i) * entries + e, &block[i], sizeof(Float8));
        }
    for (int64_t c = c8; c < channels; ++c)
        for (int64_t e = 0; e < entries; ++e) dst[c * entries + e] = channelInner[e * stride + c];
}

struct Geometry {
    int64_t N = 0, C = 0, O = 0, H = 0, W = 0, th = 0, tw = 0, T = 0, P = 0;
    int m = 0, r = 0, n = 0, pad = 0;
    int64_t hp = 0, wp = 0;  // the zero-padded plane the input tiles are cut from

    Geometry(int64_t images, int64_t in, int64_t out, int64_t height, int64_t width, const Transforms& tr)
        : N(images), C(in), O(out), H(height), W(width), m(tr.m), r(tr.r), n(tr.n), pad(tr.r / 2) {
        th = (H + m - 1) / m;
        tw = (W + m - 1) / m;
        T = th * tw;
        P = N * T;
        hp = th * m + n - m;
        wp = tw * m + n - m;
    }
};

// Each kernel below works on one image plane (or one output channel's kernels) at a time, in
// local buffers laid out (tile row index, tile column index, tile), the tile index innermost and
// padded to a multiple of 8 floats so that every loop over it vectorises without a remainder.
int64_t paddedLength(int64_t length) { return (length + 7) / 8 * 8; }

// x (N, C, H, W) -> V, stored (C, n*n, P): the transformed input tiles, tile index innermost.
void inputTransform(const float* x, float* V, const Geometry& g, const Transforms& tr) {
    const float* BT = tr.BT.data_ptr<float>();
    const int64_t n = g.n, T = g.T, S = paddedLength(g.T);
    parallelChunks(g.N * g.C, 4, [&](int, int64_t begin, int64_t end) {
        std::vector<float> plane(static_cast<std::size_t>(g.hp * g.wp), 0.0f);
        std::vector<float> tiles(static_cast<std::size_t>(n * n * S)), half(tiles.size());
        for (int64_t q = begin; q < end; ++q) {
            const int64_t img = q / g.C, c = q % g.C;
            const float* src = x + q * g.H * g.W;
            for (int64_t y = 0; y < g.H; ++y)
                std::copy(src + y * g.W, src + (y + 1) * g.W, plane.data() + (y + g.pad) * g.wp + g.pad);
            for (int64_t i = 0; i < n; ++i)
                for (int64_t j = 0; j < n; ++j) {
                    float* d = tiles.data() + (i * n + j) * S;
                    for (int64_t ty = 0; ty < g.th; ++ty) {
                        const float* row = plane.data() + (ty * g.m + i) * g.wp + j;
                        for (int64_t tx = 0; tx < g.tw; ++tx) d[ty * g.tw + tx] = row[tx * g.m];
                    }
                }
            transformRows(BT, g.n, g.n, g.n, {tiles.data(), S}, {half.data(), S}, T);
            transformCols(BT, g.n, g.n, g.n, {half.data(), S}, {V + c * n * n * g.P + img * T, g.P}, T);
        }
    });
}

// M, stored (O, n*n, P) -> y (N, O, H, W): the inverse transform of each output tile, cropped to H x W.
void outputTransform(const float* M, float* y, const Geometry& g, const Transforms& tr) {
    const float* AT = tr.AT.data_ptr<float>();
    const int64_t n = g.n, m = g.m, T = g.T, S = paddedLength(g.T);
    parallelChunks(g.N * g.O, 4, [&](int, int64_t begin, int64_t end) {
        std::vector<float> half(static_cast<std::size_t>(m * n * S)), done(static_cast<std::size_t>(m * m * S));
        for (int64_t q = begin; q < end; ++q) {
            const int64_t img = q / g.O, o = q % g.O;
            transformRows(AT, g.m, g.n, g.n, {const_cast<float*>(M) + o * n * n * g.P + img * T, g.P}, {half.data(), S}, T);
            transformCols(AT, g.m, g.n, g.m, {half.data(), S}, {done.data(), S}, T);
            float* dst = y + q * g.H * g.W;
            for (int64_t p = 0; p < m; ++p)
                for (int64_t ty = 0; ty < g.th; ++ty) {
                    const int64_t row = ty * m + p;
                    if (row >= g.H) continue;
                    for (int64_t qq = 0; qq < m; ++qq) {
                        const float* s = done.data() + (p * m + qq) * S + ty * g.tw;
                        for (int64_t tx = 0; tx < g.tw; ++tx) {
                            const int64_t col = tx * m + qq;
                            if (col < g.W) dst[row * g.W + col] = s[tx];
                        }
                    }
                }
        }
    });
}

// dy (N, O, H, W) -> dM, stored (O, n*n, P): the output transform's adjoint.
void outputTransformAdjoint(const float* dy, float* dM, const Geometry& g, const Transforms& tr) {
    const float* A = tr.A.data_ptr<float>();
    const int64_t n = g.n, m = g.m, T = g.T, S = paddedLength(g.T);
    parallelChunks(g.N * g.O, 4, [&](int, int64_t begin, int64_t end) {
        std::vector<float> tiles(static_cast<std::size_t>(m * m * S)), half(static_cast<std::size_t>(n * m * S));
        for (int64_t q = begin; q < end; ++q) {
            const int64_t img = q / g.O, o = q % g.O;
            const float* src = dy + q * g.H * g.W;
            for (int64_t p = 0; p < m; ++p)
                for (int64_t qq = 0; qq < m; ++qq) {
                    float* d = tiles.data() + (p * m + qq) * S;
                    for (int64_t ty = 0; ty < g.th; ++ty)
                        for (int64_t tx = 0; tx < g.tw; ++tx) {
                            const int64_t row = ty * m + p, col = tx * m + qq;
                            d[ty * g.tw + tx] = row < g.H && col < g.W ? src[row * g.W + col] : 0.0f;
                        }
                }
            transformRows(A, g.n, g.m, g.m, {tiles.data(), S}, {half.data(), S}, T);
            transformCols(A, g.n, g.m, g.n, {half.data(), S}, {dM + o * n * n * g.P + img * T, g.P}, T);
        }
    });
}

// dV, stored (C, n*n, P) -> dx (N, C, H, W): the input transform's adjoint; overlapping tiles add up.
void inputTransformAdjoint(const float* dV, float* dx, const Geometry& g, const Transforms& tr) {
    const float* B = tr.B.data_ptr<float>();
    const int64_t n = g.n, T = g.T, S = paddedLength(g.T);
    parallelChunks(g.N * g.C, 4, [&](int, int64_t begin, int64_t end) {
        std::vector<float> plane(static_cast<std::size_t>(g.hp * g.wp));
        std::vector<float> half(static_cast<std::size_t>(n * n * S)), done(half.size());
        for (int64_t q = begin; q < end; ++q) {
            const int64_t img = q / g.C, c = q % g.C;
            transformRows(B, g.n, g.n, g.n, {const_cast<float*>(dV) + c * n * n * g.P + img * T, g.P}, {half.data(), S}, T);
            transformCols(B, g.n, g.n, g.n, {half.data(), S}, {done.data(), S}, T);
            std::fill(plane.begin(), plane.end(), 0.0f);
            for (int64_t i = 0; i < n; ++i)
                for (int64_t j = 0; j < n; ++j) {
                    const float* d = done.data() + (i * n + j) * S;
                    for (int64_t ty = 0; ty < g.th; ++ty) {
                        float* row = plane.data() + (ty * g.m + i) * g.wp + j;
                        for (int64_t tx = 0; tx < g.tw; ++tx) row[tx * g.m] += d[ty * g.tw + tx];
                    }
                }
            float* out = dx + q * g.H * g.W;
            for (int64_t y = 0; y < g.H; ++y) {
                const float* row = plane.data() + (y + g.pad) * g.wp + g.pad;
                std::copy(row, row + g.W, out + y * g.W);
            }
        }
    });
}

// weight (O, C, r, r) -> U, stored (O, n*n, C): G w G^T for every kernel, the input channel innermost.
void weightTransform(const float* w, float* U, int64_t O, int64_t C, const Transforms& tr) {
    const float* G = tr.G.data_ptr<float>();
    const int64_t n = tr.n, r = tr.r, S = paddedLength(C);
    parallelChunks(O, 4, [&](int, int64_t begin, int64_t end) {
        std::vector<float> kernels(static_cast<std::size_t>(r * r * S)), half(static_cast<std::size_t>(n * r * S));
        for (int64_t o = begin; o < end; ++o) {
            kernelsToChannelInner(w + o * C * r * r, C, r * r, kernels.data(), S);
            transformRows(G, tr.n, tr.r, tr.r, {kernels.data(), S}, {half.data(), S}, C);
            transformCols(G, tr.n, tr.r, tr.n, {half.data(), S}, {U + o * n * n * C, C}, C);
        }
    });
}

// dU, stored (O, n*n, C) -> dw (O, C, r, r): the weight transform's adjoint, G^T dU G.
void weightTransformAdjoint(const float* dU, float* dw, int64_t O, int64_t C, const Transforms& tr) {
    const float* GT = tr.GT.data_ptr<float>();
    const int64_t n = tr.n, r = tr.r, S = paddedLength(C);
    parallelChunks(O, 4, [&](int, int64_t begin, int64_t end) {
        std::vector<float> half(static_cast<std::size_t>(r * n * S)), done(static_cast<std::size_t>(r * r * S));
        for (int64_t o = begin; o < end; ++o) {
            transformRows(GT, tr.r, tr.n, tr.n, {const_cast<float*>(dU) + o * n * n * C, C}, {half.data(), S}, C);
            transformCols(GT, tr.r, tr.n, tr.r, {half.data(), S}, {done.data(), S}, C);
            kernelsFromChannelInner(done.data(), S, C, r * r, dw + o * C * r * r);
        }
    });
}

// out[k] = a[k] b[k] for the 64 positions k of a tile; a, b and out are (possibly strided) views.
// ATen's bmm on the CPU calls BLAS once per matrix, and OpenBLAS threads each of these small
// products by itself: at 2 threads that was slower than at 1 (3.5 against 2.3 ms for 64
// products of 128x128 by 128x49). Inside an OpenMP parallel region OpenBLAS runs
// single-threaded, so here each thread takes whole matrices. Raw OpenMP, not at::parallel_for:
// that inline template is compiled without OpenMP in the rest of the engine, and one definition
// must serve every translation unit. Every thread count gives the same bits.
void batchedProduct(const torch::Tensor& a, const torch::Tensor& b, const torch::Tensor& out) {
    const int64_t batch = a.size(0);
    auto product = [&](int64_t k) {
        torch::Tensor slice = out.select(0, k);
        torch::mm_out(slice, a.select(0, k), b.select(0, k));
    };
#ifdef IDENTITYLAB_WINOGRAD_OPENMP
    const int threads = at::in_parallel_region() ? 1 : at::get_num_threads();
    if (threads > 1) {
        // InferenceMode and grad mode are thread-local: the OpenMP threads take the caller's, or
        // writing into a tensor made under InferenceMode fails there (the welcome page's preview).
        const at::ThreadLocalState callerState;
        std::exception_ptr failure;
#pragma omp parallel num_threads(threads)
        {
            const at::ThreadLocalStateGuard sameState(callerState);
#pragma omp for schedule(static)
            for (int64_t k = 0; k < batch; ++k) {
                try {
                    product(k);
                } catch (...) {
#pragma omp critical(il_winograd_failure)
                    if (!failure) failure = std::current_exception();
                }
            }
        }
        if (failure) std::rethrow_exception(failure);
        return;
    }
#endif
    for (int64_t k = 0; k < batch; ++k) product(k);
}

// The transformed tensors are stored channel-major, (channel, n*n, tiles), so that the 64 rows a
// tile transform reads or writes for one channel lie together in memory (a plane's transform
// otherwise touched 64 rows 25-64 KB apart, and waited on the cache). The products see them
// through (n*n, channel, tiles) views, which BLAS takes with a leading dimension, without copies.
torch::Tensor channelMajor(int64_t positions, int64_t channels, int64_t length, const torch::TensorOptions& options) {
    return torch::empty({channels, positions, length}, options).permute({1, 0, 2});
}

class WinogradConvFunction : public torch::autograd::Function<WinogradConvFunction> {
public:
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& xIn,
                                 const torch::Tensor& weight) {
        const Transforms& tr = transformsFor(static_cast<int>(weight.size(2)));
        const torch::Tensor x = xIn.contiguous();
        const Geometry g(x.size(0), x.size(1), weight.size(0), x.size(2), x.size(3), tr);
        const int64_t nn = static_cast<int64_t>(g.n) * g.n;

        const torch::Tensor V = channelMajor(nn, g.C, g.P, x.options());
        inputTransform(x.data_ptr<float>(), V.data_ptr<float>(), g, tr);
        const torch::Tensor w = weight.contiguous();
        const torch::Tensor U = channelMajor(nn, g.O, g.C, w.options());
        weightTransform(w.data_ptr<float>(), U.data_ptr<float>(), g.O, g.C, tr);
        const torch::Tensor M = channelMajor(nn, g.O, g.P, x.options());
        batchedProduct(U, V, M);  // 64 products of (O x C)(C x P)
        torch::Tensor y = torch::empty({g.N, g.O, g.H, g.W}, x.options());
        outputTransform(M.data_ptr<float>(), y.data_ptr<float>(), g, tr);

        // The transformed input is kept for the weight gradient. The transformed weight (2.6x the
        // weight: 72 MB over a 20-layer, 128-channel CNN) is recomputed in the backward pass
        // instead: kept, it lifted that network's peak memory to 2.5x what training needs
        // (`bench --memory`), against the speed issue's 2x, to save a transform that costs a
        // few per cent of a step. The weight itself is a parameter: saving it costs nothing.
        ctx->saved_data["V"] = V;
        ctx->save_for_backward({weight});
        ctx->saved_data["shape"] = std::vector<int64_t>{g.N, g.C, g.H, g.W, g.O, weight.size(2)};
        return y;
    }

    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::tensor_list gradOutputs) {
        const auto shape = ctx->saved_data["shape"].toIntVector();
        const torch::Tensor V = ctx->saved_data["V"].toTensor();
        const torch::Tensor weight = ctx->get_saved_variables()[0].contiguous();
        const Transforms& tr = transformsFor(static_cast<int>(shape[5]));
        const Geometry g(shape[0], shape[1], shape[4], shape[2], shape[3], tr);
        const int64_t nn = static_cast<int64_t>(g.n) * g.n;

        const torch::Tensor dy = gradOutputs[0].contiguous();
        const torch::Tensor dM = channelMajor(nn, g.O, g.P, dy.options());
        outputTransformAdjoint(dy.data_ptr<float>(), dM.data_ptr<float>(), g, tr);

        torch::Tensor dx, dw;
        if (ctx->needs_input_grad(0)) {
            const torch::Tensor U = channelMajor(nn, g.O, g.C, weight.options());
            weightTransform(weight.data_ptr<float>(), U.data_ptr<float>(), g.O, g.C, tr);
            const torch::Tensor dV = channelMajor(nn, g.C, g.P, dy.options());
            batchedProduct(U.transpose(1, 2), dM, dV);
            dx = torch::empty({g.N, g.C, g.H, g.W}, dy.options());
            inputTransformAdjoint(dV.data_ptr<float>(), dx.data_ptr<float>(), g, tr);
        }
        if (ctx->needs_input_grad(1)) {
            const torch::Tensor dU = channelMajor(nn, g.O, g.C, dy.options());
            batchedProduct(dM, V.transpose(1, 2), dU);
            dw = torch::empty({g.O, g.C, g.r, g.r}, dy.options());
            weightTransformAdjoint(dU.data_ptr<float>(), dw.data_ptr<float>(), g.O, g.C, tr);
        }
        return {dx, dw};
    }
};

}  // namespace

int winogradTileSize(int kernelSize) {
    switch (kernelSize) {
        case 3:
        case 5: return 4;
        case 7: return 2;
        default: return 0;
    }
}

bool winogradServesLayer(int kernelSize, int64_t in, int64_t out) {
    if (disabledByEnvironment() || winogradTileSize(kernelSize) == 0) return false;
    return in >= kMinChannels && out >= kMinChannels && in <= kMaxChannels && out <= kMaxChannels;
}

bool winogradServes(const torch::Tensor& input, const torch::Tensor& weight) {
    if (!input.device().is_cpu() || input.scalar_type() != torch::kFloat32 || input.dim() != 4) return false;
    if (weight.dim() != 4 || weight.size(2) != weight.size(3)) return false;
    return winogradServesLayer(static_cast<int>(weight.size(2)), weight.size(1), weight.size(0));
}

torch::Tensor winogradConv2d(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias) {
    // The bias stays outside the custom function: LibTorch 1.13's custom functions reject an
    // undefined tensor argument, and autograd's own add handles the bias gradient.
    const torch::Tensor y = WinogradConvFunction::apply(x, weight);
    return bias.defined() ? y + bias.view({1, -1, 1, 1}) : y;
}

}  // namespace il::nn
