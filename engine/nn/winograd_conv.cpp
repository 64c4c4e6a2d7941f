#include "engine/nn/winograd_conv.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <utility>
#include <vector>

#include "engine/nn/fused_kernels.h"
#include "engine/nn/panel_product.h"

namespace il::nn {

namespace {

using kernels::parallelChunks;

// Below 64 channels the transforms cost more than the products save (a 32-channel 5x5 layer:
// 3.3 ms Winograd against 2.1 ms direct, forward and backward, one thread). There is no upper
// limit: the transformed weight exists one panel per thread (64 x C x 16
// floats, 4 MB at 1024 channels), not whole at 2.6x the weight, and a 1024-channel 5x5 layer at
// 28x28 trains in 760 against 1760 ms direct (one thread, forward and backward).
constexpr int64_t kMinChannels = 64;

// The transforms of F(m x m, r x r) on n = m + r - 1 points: y = A^T [(G g G^T) . (B^T d B)] A.
// Built by the Toom-Cook construction from the finite points 0, 1, -1, 2, -2, 1/2, -1/2 and the
// point at infinity (Lavin's wincnn): A^T[i][t] = a_t^i; G[t][k] = a_t^k / prod_{l != t}(a_t - a_l);
// row t of B^T holds the coefficients of prod_{l != t}(x - a_l), and the infinity row those of
// prod_l (x - a_l). These small points keep float32 rounding at the level of direct convolution.
struct Transforms {
    int m = 0, r = 0, n = 0;
    torch::Tensor AT, G, BT;  // (m x n), (n x r), (n x n), float32
    torch::Tensor A, B;       // transposes of AT and BT, contiguous, for the backward pass
    torch::Tensor GT;         // transpose of G (r x n), for the weight gradient
};

Transforms buildTransforms(int m, int r)
{
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

const Transforms& transformsFor(int r)
{
    // Function-local statics: built once, thread-safe, shared by every layer and session.
    static const Transforms f4x3 = buildTransforms(4, 3);
    static const Transforms f4x5 = buildTransforms(4, 5);
    static const Transforms f2x7 = buildTransforms(2, 7);
    switch (r) {
        case 3:
            return f4x3;
        case 5:
            return f4x5;
        default:
            return f2x7;
    }
}

bool disabledByEnvironment()
{
    static const bool disabled = [] {
        const char* value = std::getenv("IDENTITYLAB_CONV");
        return value != nullptr && std::strcmp(value, "direct") == 0;
    }();
    return disabled;
}

// The loops below run over 16 channels of a row of tiles, the innermost index, so that GCC
// vectorises them; target_clones adds an AVX2 copy chosen at load time (as fused_kernels.cpp).
// Not FMA: contracting the transforms' multiply-adds (arch=x86-64-v3, fp-contract=fast) changed
// the bits and measured no faster (16 of 20 pairs either way, 11.5 ms a layer).
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define IL_WINOGRAD_KERNEL __attribute__((target_clones("avx2", "default"), optimize("O3")))
#else
#define IL_WINOGRAD_KERNEL
#endif

// A set of equally long rows at a fixed distance: a local buffer, or one tile row of one panel
// of a transformed tensor, whose 64 points (a, b) lie P * 16 floats apart (Geometry::tileRow).
struct Rows {
    float* base;
    int64_t stride;
    float* row(int64_t index) const { return base + index * stride; }
};

// Eight floats as one value: GCC's vector extension compiles it to one AVX register in the AVX2
// clones (two SSE registers otherwise). The plain-array form of the loop below was vectorised
// only into scalar and half-width pieces.
typedef float Float8 __attribute__((vector_size(32)));

// Unaligned whole-register moves. memcpy into a Float8 on the stack compiled, in the AVX2 clone,
// to two 16-byte stores read back by one 32-byte load: a failed store-to-load forward on every
// row of the layout changes' 8 x 8 blocks (31 % of their time on one load in `perf`).
typedef float UnalignedFloat8 __attribute__((vector_size(32), aligned(4)));
// By reference: a Float8 passed or returned by value warns of the ABI outside the AVX2 clone.
inline __attribute__((always_inline)) void load8(Float8& v, const float* p) { v = *reinterpret_cast<const UnalignedFloat8*>(p); }
inline __attribute__((always_inline)) void store8(float* p, const Float8& v) { *reinterpret_cast<UnalignedFloat8*>(p) = v; }

// dst[t] = sum_x coef[x] src[x][t], eight floats at a time in a register; the tail one by one.
// Four registers at a time first: a sum is a chain of dependent multiply-adds, and one chain at a
// time would wait on each add's latency; four independent chains keep the units busy.
inline __attribute__((always_inline)) void combine(float* __restrict dst, const float* const* src, const float* coef, int count,
                                                   int64_t length)
{
    int64_t t = 0;
    for (; t + 32 <= length; t += 32) {
        Float8 a0 = {}, a1 = {}, a2 = {}, a3 = {};
        for (int x = 0; x < count; ++x) {
            Float8 v0, v1, v2, v3;  // unaligned loads
            std::memcpy(&v0, src[x] + t, sizeof v0);
            std::memcpy(&v1, src[x] + t + 8, sizeof v1);
            std::memcpy(&v2, src[x] + t + 16, sizeof v2);
            std::memcpy(&v3, src[x] + t + 24, sizeof v3);
            const float c = coef[x];
            a0 += c * v0;
            a1 += c * v1;
            a2 += c * v2;
            a3 += c * v3;
        }
        std::memcpy(dst + t, &a0, sizeof a0);
        std::memcpy(dst + t + 8, &a1, sizeof a1);
        std::memcpy(dst + t + 16, &a2, sizeof a2);
        std::memcpy(dst + t + 24, &a3, sizeof a3);
    }
    for (; t + 8 <= length; t += 8) {
        Float8 acc = {};
        for (int x = 0; x < count; ++x) {
            Float8 v;
            std::memcpy(&v, src[x] + t, sizeof v);
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
IL_WINOGRAD_KERNEL void transformRows(const float* L, int rows, int inner, int cols, Rows in, Rows out, int64_t length)
{
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
IL_WINOGRAD_KERNEL void transformCols(const float* R, int rows, int inner, int cols, Rows in, Rows out, int64_t length)
{
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
inline __attribute__((always_inline)) void transpose8x8(Float8 (&rows)[8])
{
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

// LibTorch stores images (N, C, H, W) and weights (O, C, r, r), one channel's values together;
// the transforms and products below work with 16 channels innermost (a panel, panel_product.h).
// These two move up to 16 channels between the layouts:
//   channelInner[e * innerStride + c] = planes[c * planeStride + e], for c < channels, e < entries,
// and back. Element by element, with one side strided, the kernels' version of this took about
// 4 % of a 20-layer CNN's step (`perf`); in 8 x 8 register blocks it is whole-register loads and
// stores (docs/performance.md). Blocks past the last full one overlap the previous block,
// rewriting the same values. Both walk the channels outermost, so the planes are read or written
// in memory order; one strided transposition serving both directions walked the gradients' way
// out in the other order and was slower (46 and 56 of 150 pairs).
IL_WINOGRAD_KERNEL void toChannelInner(const float* planes, int64_t planeStride, int64_t channels, int64_t entries, float* channelInner,
                                       int64_t innerStride)
{
    const int64_t c8 = entries >= 8 ? channels / 8 * 8 : 0;
    for (int64_t c = 0; c < c8; c += 8)
        for (int64_t e0 = 0; e0 < entries; e0 += 8) {
            const int64_t e = std::min(e0, entries - 8);
            Float8 block[8];
            for (int i = 0; i < 8; ++i) load8(block[i], planes + (c + i) * planeStride + e);
            transpose8x8(block);
            for (int j = 0; j < 8; ++j) store8(channelInner + (e + j) * innerStride + c, block[j]);
        }
    for (int64_t c = c8; c < channels; ++c)
        for (int64_t e = 0; e < entries; ++e) channelInner[e * innerStride + c] = planes[c * planeStride + e];
}

IL_WINOGRAD_KERNEL void fromChannelInner(const float* channelInner, int64_t innerStride, int64_t channels, int64_t entries, float* planes,
                                         int64_t planeStride)
{
    const int64_t c8 = entries >= 8 ? channels / 8 * 8 : 0;
    for (int64_t c = 0; c < c8; c += 8)
        for (int64_t e0 = 0; e0 < entries; e0 += 8) {
            const int64_t e = std::min(e0, entries - 8);
            Float8 block[8];
            for (int j = 0; j < 8; ++j) load8(block[j], channelInner + (e + j) * innerStride + c);
            transpose8x8(block);
            for (int i = 0; i < 8; ++i) store8(planes + (c + i) * planeStride + e, block[i]);
        }
    for (int64_t c = c8; c < channels; ++c)
        for (int64_t e = 0; e < entries; ++e) planes[c * planeStride + e] = channelInner[e * innerStride + c];
}

// 16 floats: one channel-panel entry.
constexpr int64_t kLane = kernels::kPanelWidth;

void copyLane(float* dst, const float* src) { std::memcpy(dst, src, kLane * sizeof(float)); }

IL_WINOGRAD_KERNEL void addLane(float* __restrict dst, const float* __restrict src)
{
    for (int64_t c = 0; c < kLane; ++c) dst[c] += src[c];
}

int64_t panelsOf(int64_t channels) { return (channels + kLane - 1) / kLane; }

struct Geometry {
    int64_t N = 0, C = 0, O = 0, H = 0, W = 0, th = 0, tw = 0, T = 0, P = 0;
    int m = 0, r = 0, n = 0, pad = 0;
    int64_t nn = 0;          // points of a tile: the number of products
    int64_t hp = 0, wp = 0;  // the zero-padded plane the input tiles are cut from
    int64_t row = 0;         // floats in one tile row of one panel: tw tiles of 16 channels

    Geometry(int64_t images, int64_t in, int64_t out, int64_t height, int64_t width, const Transforms& tr)
        : N(images), C(in), O(out), H(height), W(width), m(tr.m), r(tr.r), n(tr.n), pad(tr.r / 2)
    {
        th = (H + m - 1) / m;
        tw = (W + m - 1) / m;
        T = th * tw;
        P = N * T;
        nn = static_cast<int64_t>(n) * n;
        hp = th * m + n - m;
        wp = tw * m + n - m;
        row = tw * kLane;
    }

    // Where tile row ty of image img starts in point 0 of a tile tensor's panel, and the
    // distance between points: a tile tensor is stored (panel, point, tile, 16).
    int64_t tileRow(int64_t panel, int64_t img, int64_t ty) const { return ((panel * nn) * P + img * T + ty * tw) * kLane; }
    int64_t pointStride() const { return P * kLane; }
};

// The transformed tensors, all "panelled" (panel_product.h):
//   V, M, dM, dV  (panel of channels, point, tile, 16): input and output tiles;
//   Ut            (panel of O, point, C, 16): the weight for the forward product;
//   U, dU         (panel of C, point, O, 16): the weight for the input gradient, and the weight
//                 gradient.
// Ut, U and dU exist one panel at a time (tileProducts, weightGradient below).
// One panel of one point is a contiguous (rows, 16) block: the b operand and the result of
// kernels::panelProduct, which therefore reads and writes them without packing. Each transform
// below works on one image's (or the weight's) 16 channels at a time, the 16 channels innermost,
// one tile row (tw tiles x 16 channels) per call of transformRows / transformCols.

// x (N, C, H, W) -> V.
void inputTransform(const float* x, float* V, const Geometry& g, const Transforms& tr)
{
    const float* BT = tr.BT.data_ptr<float>();
    const int64_t n = g.n, L = g.row, panels = panelsOf(g.C);
    parallelChunks(g.N * panels, 1, [&](int, int64_t begin, int64_t end) {
        std::vector<float> plane(static_cast<std::size_t>(g.hp * g.wp * kLane));
        std::vector<float> tiles(static_cast<std::size_t>(n * n * L)), half(tiles.size());
        for (int64_t q = begin; q < end; ++q) {
            const int64_t img = q / panels, panel = q % panels, c0 = panel * kLane;
            const int64_t channels = std::min(kLane, g.C - c0);
            std::fill(plane.begin(), plane.end(), 0.0f);
            const float* src = x + (img * g.C + c0) * g.H * g.W;
            for (int64_t y = 0; y < g.H; ++y)
                toChannelInner(src + y * g.W, g.H * g.W, channels, g.W, plane.data() + ((y + g.pad) * g.wp + g.pad) * kLane, kLane);
            for (int64_t ty = 0; ty < g.th; ++ty) {
                for (int64_t i = 0; i < n; ++i)
                    for (int64_t j = 0; j < n; ++j) {
                        float* d = tiles.data() + (i * n + j) * L;
                        const float* s = plane.data() + ((ty * g.m + i) * g.wp + j) * kLane;
                        for (int64_t tx = 0; tx < g.tw; ++tx) copyLane(d + tx * kLane, s + tx * g.m * kLane);
                    }
                transformRows(BT, g.n, g.n, g.n, {tiles.data(), L}, {half.data(), L}, L);
                transformCols(BT, g.n, g.n, g.n, {half.data(), L}, {V + g.tileRow(panel, img, ty), g.pointStride()}, L);
            }
        }
    });
}

// M -> y (N, O, H, W): the inverse transform of each output tile, cropped to H x W.
void outputTransform(const float* M, float* y, const Geometry& g, const Transforms& tr)
{
    const float* AT = tr.AT.data_ptr<float>();
    const int64_t n = g.n, m = g.m, L = g.row, panels = panelsOf(g.O);
    parallelChunks(g.N * panels, 1, [&](int, int64_t begin, int64_t end) {
        std::vector<float> half(static_cast<std::size_t>(m * n * L)), done(static_cast<std::size_t>(m * m * L));
        std::vector<float> plane(static_cast<std::size_t>(g.H * g.W * kLane));
        for (int64_t q = begin; q < end; ++q) {
            const int64_t img = q / panels, panel = q % panels, o0 = panel * kLane;
            for (int64_t ty = 0; ty < g.th; ++ty) {
                transformRows(AT, g.m, g.n, g.n, {const_cast<float*>(M) + g.tileRow(panel, img, ty), g.pointStride()}, {half.data(), L}, L);
                transformCols(AT, g.m, g.n, g.m, {half.data(), L}, {done.data(), L}, L);
                for (int64_t p = 0; p < m; ++p) {
                    const int64_t row = ty * m + p;
                    if (row >= g.H) break;
                    for (int64_t qq = 0; qq < m; ++qq)
                        for (int64_t tx = 0; tx < g.tw; ++tx) {
                            const int64_t col = tx * m + qq;
                            if (col < g.W) copyLane(plane.data() + (row * g.W + col) * kLane, done.data() + (p * m + qq) * L + tx * kLane);
                        }
                }
            }
            fromChannelInner(plane.data(), kLane, std::min(kLane, g.O - o0), g.H * g.W, y + (img * g.O + o0) * g.H * g.W, g.H * g.W);
        }
    });
}

// dy (N, O, H, W) -> dM: the output transform's adjoint.
void outputTransformAdjoint(const float* dy, float* dM, const Geometry& g, const Transforms& tr)
{
    const float* A = tr.A.data_ptr<float>();
    const int64_t n = g.n, m = g.m, L = g.row, panels = panelsOf(g.O);
    parallelChunks(g.N * panels, 1, [&](int, int64_t begin, int64_t end) {
        std::vector<float> plane(static_cast<std::size_t>(g.H * g.W * kLane));
        std::vector<float> tiles(static_cast<std::size_t>(m * m * L)), half(static_cast<std::size_t>(n * m * L));
        for (int64_t q = begin; q < end; ++q) {
            const int64_t img = q / panels, panel = q % panels, o0 = panel * kLane;
            const int64_t channels = std::min(kLane, g.O - o0);
            if (channels < kLane) std::fill(plane.begin(), plane.end(), 0.0f);
            toChannelInner(dy + (img * g.O + o0) * g.H * g.W, g.H * g.W, channels, g.H * g.W, plane.data(), kLane);
            for (int64_t ty = 0; ty < g.th; ++ty) {
                for (int64_t p = 0; p < m; ++p)
                    for (int64_t qq = 0; qq < m; ++qq) {
                        float* d = tiles.data() + (p * m + qq) * L;
                        const int64_t row = ty * m + p;
                        for (int64_t tx = 0; tx < g.tw; ++tx) {
                            const int64_t col = tx * m + qq;
                            if (row < g.H && col < g.W)
                                copyLane(d + tx * kLane, plane.data() + (row * g.W + col) * kLane);
                            else
                                std::fill(d + tx * kLane, d + (tx + 1) * kLane, 0.0f);
                        }
                    }
                transformRows(A, g.n, g.m, g.m, {tiles.data(), L}, {half.data(), L}, L);
                transformCols(A, g.n, g.m, g.n, {half.data(), L}, {dM + g.tileRow(panel, img, ty), g.pointStride()}, L);
            }
        }
    });
}

// dV -> dx (N, C, H, W): the input transform's adjoint; overlapping tiles add up.
void inputTransformAdjoint(const float* dV, float* dx, const Geometry& g, const Transforms& tr)
{
    const float* B = tr.B.data_ptr<float>();
    const int64_t n = g.n, L = g.row, panels = panelsOf(g.C);
    parallelChunks(g.N * panels, 1, [&](int, int64_t begin, int64_t end) {
        std::vector<float> plane(static_cast<std::size_t>(g.hp * g.wp * kLane));
        std::vector<float> half(static_cast<std::size_t>(n * n * L)), done(half.size());
        for (int64_t q = begin; q < end; ++q) {
            const int64_t img = q / panels, panel = q % panels, c0 = panel * kLane;
            std::fill(plane.begin(), plane.end(), 0.0f);
            for (int64_t ty = 0; ty < g.th; ++ty) {
                transformRows(B, g.n, g.n, g.n, {const_cast<float*>(dV) + g.tileRow(panel, img, ty), g.pointStride()}, {half.data(), L}, L);
                transformCols(B, g.n, g.n, g.n, {half.data(), L}, {done.data(), L}, L);
                for (int64_t i = 0; i < n; ++i)
                    for (int64_t j = 0; j < n; ++j) {
                        const float* d = done.data() + (i * n + j) * L;
                        float* s = plane.data() + ((ty * g.m + i) * g.wp + j) * kLane;
                        for (int64_t tx = 0; tx < g.tw; ++tx) addLane(s + tx * g.m * kLane, d + tx * kLane);
                    }
            }
            float* out = dx + (img * g.C + c0) * g.H * g.W;
            for (int64_t y = 0; y < g.H; ++y)
                fromChannelInner(plane.data() + ((y + g.pad) * g.wp + g.pad) * kLane, kLane, std::min(kLane, g.C - c0), g.W, out + y * g.W,
                                 g.H * g.W);
        }
    });
}

// Kernels are transformed this many rows of a weight panel at a time (16 x 16 kernels), so that
// the local buffers (for 5x5: 25 and 40 rows of 256 floats) stay in the L2 cache. 4 measured no
// different (13 of 30 pairs) and gives the same bits.
constexpr int64_t kKernelBlock = 16;

// The transformed weight is never stored whole. Each (panel, part) work item transforms one
// panel of it into a buffer of its thread, (point, row, 16) floats, 512 KB for 128 channels,
// and the products read it from there while it is still in the L2 cache. Written whole (4 MB a
// layer) and read back by the products, it went out to the L3 cache and back: the transform's
// stores took 8 % of a 20-layer CNN's step (`perf`, docs/performance.md). Likewise the weight
// gradient's products fill one panel of dU that the adjoint transform reads at once.
enum class LaneAxis { Out, In };

// Work items for a panel pipeline: every panel in `parts` parts, as many as it takes to give
// every thread one item (a 128-channel layer has 8 panels; a 16-core CPU splits each in two).
struct PanelWork {
    int64_t panels = 0, parts = 1;
    PanelWork(int64_t panelCount, int64_t maxParts) : panels(panelCount)
    {
        const int64_t threads = kernels::chunkCount(panelCount * maxParts, 1);
        parts = std::clamp<int64_t>((threads + panels - 1) / panels, 1, maxParts);
    }
    int64_t items() const { return panels * parts; }
    // The share [begin, end) of `count` things (transform rows, kernel blocks) that an item's part covers.
    std::pair<int64_t, int64_t> range(int64_t item, int64_t count) const
    {
        const int64_t part = item % parts;
        return {count * part / parts, count * (part + 1) / parts};
    }
};

// Per-thread buffers of a panel pipeline, left uninitialised: every float is written before it
// is read, and zeroing them would be one more pass over 512 KB per item. `panel` holds one panel
// of the transformed weight (or of dU), (point, rows, 16); `kernels` a block of 16 x 16 kernels
// in the channel-inner layout (r x r rows of 256 floats, also the adjoint's result) and `half`
// the same block after one side of a transform (n x r rows).
struct PanelBuffers {
    std::unique_ptr<float[]> panel, kernels, half;
    PanelBuffers(const Geometry& g, int64_t rows)
        : panel(new float[static_cast<std::size_t>(g.nn * rows * kLane)]),
          kernels(new float[static_cast<std::size_t>(int64_t{g.r} * g.r * kKernelBlock * kLane)]),
          half(new float[static_cast<std::size_t>(int64_t{g.n} * g.r * kKernelBlock * kLane)])
    {
    }
};

// Points (k, l) of the transformed weight for transform rows k in [k0, k1) and every l, of one
// panel: W~ = G w G^T, into `out` laid out (point, row, 16). The panel runs over `laneAxis`
// channels and the rows over the other axis: laneAxis = Out gives a panel of Ut (forward),
// laneAxis = In a panel of U (input gradient). Every point is the same sum whichever k-range
// computes it, so the split changes no bits.
void weightTransformPanel(const float* w, int64_t O, int64_t C, LaneAxis laneAxis, const Transforms& tr, int64_t panel, int64_t k0,
                          int64_t k1, float* kernelBuffer, float* half, float* out)
{
    const float* G = tr.G.data_ptr<float>();
    const int64_t rr = static_cast<int64_t>(tr.r) * tr.r, L = kKernelBlock * kLane;
    const int64_t lanes = laneAxis == LaneAxis::Out ? O : C, rows = laneAxis == LaneAxis::Out ? C : O;
    // Element (row, lane) of kernel entry e: w[o][c][e] with (o, c) = (lane, row) or (row, lane).
    const int64_t laneStride = laneAxis == LaneAxis::Out ? C * rr : rr, rowStride = laneAxis == LaneAxis::Out ? rr : C * rr;
    const int64_t l0 = panel * kLane, channels = std::min(kLane, lanes - l0);
    for (int64_t row0 = 0; row0 < rows; row0 += kKernelBlock) {
        const int64_t count = std::min(kKernelBlock, rows - row0);
        if (channels < kLane) std::fill(kernelBuffer, kernelBuffer + rr * L, 0.0f);
        for (int64_t k = 0; k < count; ++k)
            toChannelInner(w + (row0 + k) * rowStride + l0 * laneStride, laneStride, channels, rr, kernelBuffer + k * kLane, L);
        const int64_t length = count * kLane;
        transformRows(G + k0 * tr.r, static_cast<int>(k1 - k0), tr.r, tr.r, {kernelBuffer, L}, {half, L}, length);
        transformCols(G, static_cast<int>(k1 - k0), tr.r, tr.n, {half, L}, {out + (k0 * tr.n * rows + row0) * kLane, rows * kLane}, length);
    }
}

// Rows [o0, o1) of one panel of dU (point, O, 16) -> the same kernels of dw (O, C, r, r):
// the weight transform's adjoint, G^T dU G.
void weightTransformAdjointPanel(const float* dU, int64_t O, int64_t C, const Transforms& tr, int64_t panel, int64_t o0, int64_t o1,
                                 float* half, float* done, float* dw)
{
    const float* GT = tr.GT.data_ptr<float>();
    const int64_t rr = static_cast<int64_t>(tr.r) * tr.r, L = kKernelBlock * kLane;
    const int64_t c0 = panel * kLane, channels = std::min(kLane, C - c0);
    for (int64_t ob = o0; ob < o1; ob += kKernelBlock) {
        const int64_t count = std::min(kKernelBlock, o1 - ob), length = count * kLane;
        transformRows(GT, tr.r, tr.n, tr.n, {const_cast<float*>(dU) + ob * kLane, O * kLane}, {half, L}, length);
        transformCols(GT, tr.r, tr.n, tr.r, {half, L}, {done, L}, length);
        for (int64_t k = 0; k < count; ++k) fromChannelInner(done + k * kLane, L, channels, rr, dw + ((ob + k) * C + c0) * rr, rr);
    }
}

// The three products of a layer, each output block written by one thread: every thread count
// gives the same bits.
//   forward       M[p][o]  = sum_c V[p][c] Ut[c][o]
//   input grad    dV[p][c] = sum_o dM[p][o] U[o][c]
//   weight grad   dU[o][c] = sum_p dM[p][o] V[p][c]
// The first operand of each is read by broadcast; its addressing follows the panelled layouts.
// These two view point 0 of a tile tensor; point k lies k * pointStride() floats further on.
kernels::BroadcastMatrix tilesByChannels(const float* tiles, const Geometry& g)
{
    // Element (tile p, channel c): rows advance 16 floats, columns through the channel panels.
    return {tiles, {kLane * kLane, kLane}, {g.nn * g.pointStride(), 1}};
}

kernels::BroadcastMatrix channelsByTiles(const float* tiles, const Geometry& g)
{
    return {tiles, {g.nn * g.pointStride(), 1}, {kLane * kLane, kLane}};
}

// out (panel, point, tile, 16) = tiles (tile, depth channels) x the transformed weight, whose
// panels run over out's channels (`laneAxis`): the forward product (tiles V, depth C) and the
// input gradient's (tiles dM, depth O). Parts split a panel's points by transform row.
void tileProducts(const Geometry& g, const Transforms& tr, const float* w, LaneAxis laneAxis, const float* tiles, float* out)
{
    const int64_t lanes = laneAxis == LaneAxis::Out ? g.O : g.C, depth = laneAxis == LaneAxis::Out ? g.C : g.O;
    const PanelWork work(panelsOf(lanes), g.n);
    const kernels::BroadcastMatrix a = tilesByChannels(tiles, g);
    parallelChunks(work.items(), 1, [&](int, int64_t begin, int64_t end) {
        PanelBuffers buffers(g, depth);
        kernels::BroadcastMatrix atPoint = a;
        for (int64_t item = begin; item < end; ++item) {
            const int64_t panel = item / work.parts;
            const auto [k0, k1] = work.range(item, g.n);
            weightTransformPanel(w, g.O, g.C, laneAxis, tr, panel, k0, k1, buffers.kernels.get(), buffers.half.get(), buffers.panel.get());
            for (int64_t point = k0 * g.n; point < k1 * g.n; ++point) {
                atPoint.base = a.base + point * g.pointStride();
                kernels::panelProduct(atPoint, g.P, depth, buffers.panel.get() + point * depth * kLane,
                                      out + (panel * g.nn + point) * g.P * kLane);
            }
        }
    });
}

// dw (O, C, r, r) from dM and V: each C panel's dU (point, O, 16) by the products, then its
// adjoint transform. Parts split the output channels, in blocks of 16 kernels.
void weightGradient(const Geometry& g, const Transforms& tr, const float* dM, const float* V, float* dw)
{
    const int64_t blocks = (g.O + kKernelBlock - 1) / kKernelBlock;
    const PanelWork work(panelsOf(g.C), blocks);
    const kernels::BroadcastMatrix a = channelsByTiles(dM, g);
    parallelChunks(work.items(), 1, [&](int, int64_t begin, int64_t end) {
        PanelBuffers buffers(g, g.O);
        kernels::BroadcastMatrix atPoint = a;
        for (int64_t item = begin; item < end; ++item) {
            const int64_t panel = item / work.parts;
            const auto [b0, b1] = work.range(item, blocks);
            const int64_t o0 = b0 * kKernelBlock, o1 = std::min(g.O, b1 * kKernelBlock);
            float* dU = buffers.panel.get();
            for (int64_t point = 0; point < g.nn; ++point) {
                atPoint.base = a.base + point * g.pointStride() + a.rows.offset(o0);
                kernels::panelProduct(atPoint, o1 - o0, g.P, V + (panel * g.nn + point) * g.P * kLane, dU + (point * g.O + o0) * kLane);
            }
            weightTransformAdjointPanel(dU, g.O, g.C, tr, panel, o0, o1, buffers.half.get(), buffers.kernels.get(), dw);
        }
    });
}

class WinogradConvFunction : public torch::autograd::Function<WinogradConvFunction> {
public:
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& xIn, const torch::Tensor& weight)
    {
        const Transforms& tr = transformsFor(static_cast<int>(weight.size(2)));
        const torch::Tensor x = xIn.contiguous();
        const Geometry g(x.size(0), x.size(1), weight.size(0), x.size(2), x.size(3), tr);
        const int64_t inLanes = panelsOf(g.C) * kLane, outLanes = panelsOf(g.O) * kLane;

        const torch::Tensor V = torch::empty({g.nn * inLanes * g.P}, x.options());
        inputTransform(x.data_ptr<float>(), V.data_ptr<float>(), g, tr);
        const torch::Tensor w = weight.contiguous();
        const torch::Tensor M = torch::empty({g.nn * outLanes * g.P}, x.options());
        tileProducts(g, tr, w.data_ptr<float>(), LaneAxis::Out, V.data_ptr<float>(), M.data_ptr<float>());
        torch::Tensor y = torch::empty({g.N, g.O, g.H, g.W}, x.options());
        outputTransform(M.data_ptr<float>(), y.data_ptr<float>(), g, tr);

        // The transformed input is kept for the weight gradient. The transformed weight (2.6x the
        // weight: 72 MB over a 20-layer, 128-channel CNN) is recomputed in the backward pass
        // instead, in the layout the input gradient's product reads: kept, it lifted that
        // network's peak memory to 2.5x what training needs (`bench --memory`), against the speed
        // issue's 2x. The weight itself is a parameter: saving it costs nothing.
        ctx->saved_data["V"] = V;
        ctx->save_for_backward({weight});
        ctx->saved_data["shape"] = std::vector<int64_t>{g.N, g.C, g.H, g.W, g.O, weight.size(2)};
        return y;
    }

    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx, torch::autograd::tensor_list gradOutputs)
    {
        const auto shape = ctx->saved_data["shape"].toIntVector();
        const torch::Tensor V = ctx->saved_data["V"].toTensor();
        const torch::Tensor weight = ctx->get_saved_variables()[0].contiguous();
        const Transforms& tr = transformsFor(static_cast<int>(shape[5]));
        const Geometry g(shape[0], shape[1], shape[4], shape[2], shape[3], tr);
        const int64_t inLanes = panelsOf(g.C) * kLane, outLanes = panelsOf(g.O) * kLane;

        const torch::Tensor dy = gradOutputs[0].contiguous();
        const torch::Tensor dM = torch::empty({g.nn * outLanes * g.P}, dy.options());
        outputTransformAdjoint(dy.data_ptr<float>(), dM.data_ptr<float>(), g, tr);
        const float* dm = dM.data_ptr<float>();

        torch::Tensor dx, dw;
        if (ctx->needs_input_grad(0)) {
            const torch::Tensor dV = torch::empty({g.nn * inLanes * g.P}, dy.options());
            tileProducts(g, tr, weight.data_ptr<float>(), LaneAxis::In, dm, dV.data_ptr<float>());
            dx = torch::empty({g.N, g.C, g.H, g.W}, dy.options());
            inputTransformAdjoint(dV.data_ptr<float>(), dx.data_ptr<float>(), g, tr);
        }
        if (ctx->needs_input_grad(1)) {
            dw = torch::empty({g.O, g.C, g.r, g.r}, dy.options());
            weightGradient(g, tr, dm, V.data_ptr<float>(), dw.data_ptr<float>());
        }
        return {dx, dw};
    }
};

}  // namespace

int winogradTileSize(int kernelSize)
{
    switch (kernelSize) {
        case 3:
        case 5:
            return 4;
        case 7:
            return 2;
        default:
            return 0;
    }
}

bool winogradServesLayer(int kernelSize, int64_t in, int64_t out)
{
    if (disabledByEnvironment() || winogradTileSize(kernelSize) == 0) return false;
    return in >= kMinChannels && out >= kMinChannels;
}

bool winogradServes(const torch::Tensor& input, const torch::Tensor& weight)
{
    if (!input.device().is_cpu() || input.scalar_type() != torch::kFloat32 || input.dim() != 4) return false;
    if (weight.dim() != 4 || weight.size(2) != weight.size(3)) return false;
    return winogradServesLayer(static_cast<int>(weight.size(2)), weight.size(1), weight.size(0));
}

torch::Tensor winogradConv2d(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias)
{
    // The bias stays outside the custom function: LibTorch 1.13's custom functions reject an
    // undefined tensor argument, and autograd's own add handles the bias gradient.
    const torch::Tensor y = WinogradConvFunction::apply(x, weight);
    return bias.defined() ? y + bias.view({1, -1, 1, 1}) : y;
}

}  // namespace il::nn
