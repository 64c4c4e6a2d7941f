#include "engine/nn/panel_product.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define IL_PANEL_FMA 1
#endif

namespace il::nn::kernels {

namespace {

// Rows per register block. Six rows of two registers are 12 accumulators; with the two b
// registers and one broadcast that is 15 of the 16 AVX registers. Per k the block does 12 FMAs
// against 8 loads (2 of b, 6 broadcasts), so the FMA units, not the loads, set the pace.
constexpr int kBlockRows = 6;

// The depth is walked in slices of this many k, each for every register block of rows in turn, so
// that the slice of b (16 KB) stays in the L1 cache while the row blocks reuse it. A weight
// gradient over a batch of images sums over thousands of tiles; unsliced, its b panel (the whole
// transformed input of one panel) was streamed from L2 once per block of six rows. Slicing
// keeps each sum one chain in increasing k (the partial sums go through `out` exactly), so the
// bits do not change.
constexpr std::int64_t kDepthSlice = 256;

// The row pointers of one register block and the column addressing they share.
struct Block {
    const float* rows[kBlockRows];
    PanelledAxis cols;
};

// Both kernels sum k in [k0, k1), starting from zero, or from `out` when `accumulate` is set.
// The portable one: the same sums in the same order, multiply then add.
template <int R>
void blockProductPlain(const Block& a, std::int64_t k0, std::int64_t k1, const float* b, float* out, bool accumulate)
{
    float acc[R][kPanelWidth] = {};
    if (accumulate)
        for (int i = 0; i < R; ++i) std::copy(out + i * kPanelWidth, out + (i + 1) * kPanelWidth, acc[i]);
    for (std::int64_t k = k0; k < k1; ++k) {
        const std::int64_t offset = a.cols.offset(k);
        const float* bk = b + k * kPanelWidth;
        for (int i = 0; i < R; ++i) {
            const float x = a.rows[i][offset];
            for (int j = 0; j < kPanelWidth; ++j) acc[i][j] += x * bk[j];
        }
    }
    for (int i = 0; i < R; ++i) std::copy(acc[i], acc[i] + kPanelWidth, out + i * kPanelWidth);
}

#ifdef IL_PANEL_FMA
// The k loop runs panel by panel of the broadcast operand's columns, so that inside a panel the
// address advances by a constant step (one add per k, not a division).
template <int R>
__attribute__((target("avx2,fma"))) void blockProductFma(const Block& a, std::int64_t k0, std::int64_t k1, const float* b, float* out,
                                                         bool accumulate)
{
    __m256 acc[R][2];
#pragma GCC unroll 6
    for (int i = 0; i < R; ++i) {
        acc[i][0] = accumulate ? _mm256_loadu_ps(out + i * kPanelWidth) : _mm256_setzero_ps();
        acc[i][1] = accumulate ? _mm256_loadu_ps(out + i * kPanelWidth + 8) : _mm256_setzero_ps();
    }
    const std::int64_t step = a.cols.step;
    // k0 is a multiple of 16 (kDepthSlice is), so each pass of this loop is one panel.
    for (std::int64_t kp = k0; kp < k1; kp += kPanelWidth) {
        const std::int64_t count = std::min<std::int64_t>(kPanelWidth, k1 - kp);
        const std::int64_t panelOffset = (kp / kPanelWidth) * a.cols.panelStride;
        const float* bk = b + kp * kPanelWidth;
        for (std::int64_t kk = 0; kk < count; ++kk, bk += kPanelWidth) {
            const std::int64_t offset = panelOffset + kk * step;
            const __m256 b0 = _mm256_loadu_ps(bk);
            const __m256 b1 = _mm256_loadu_ps(bk + 8);
#pragma GCC unroll 6
            for (int i = 0; i < R; ++i) {
                const __m256 x = _mm256_broadcast_ss(a.rows[i] + offset);
                acc[i][0] = _mm256_fmadd_ps(x, b0, acc[i][0]);
                acc[i][1] = _mm256_fmadd_ps(x, b1, acc[i][1]);
            }
        }
    }
#pragma GCC unroll 6
    for (int i = 0; i < R; ++i) {
        _mm256_storeu_ps(out + i * kPanelWidth, acc[i][0]);
        _mm256_storeu_ps(out + i * kPanelWidth + 8, acc[i][1]);
    }
}

// The FMA kernel on a CPU that has it, unless IDENTITYLAB_PANEL_KERNEL=portable asks for the
// portable one (what a CPU without FMA runs; tests/CMakeLists.txt runs tst_panel_product both ways).
bool useFmaKernel()
{
    static const bool use = [] {
        const char* requested = std::getenv("IDENTITYLAB_PANEL_KERNEL");
        if (requested != nullptr && std::strcmp(requested, "portable") == 0) return false;
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }();
    return use;
}
#endif

template <int R>
void blockProduct(const Block& a, std::int64_t k0, std::int64_t k1, const float* b, float* out, bool accumulate)
{
#ifdef IL_PANEL_FMA
    if (useFmaKernel()) return blockProductFma<R>(a, k0, k1, b, out, accumulate);
#endif
    blockProductPlain<R>(a, k0, k1, b, out, accumulate);
}

}  // namespace

void panelProduct(const BroadcastMatrix& a, std::int64_t rows, std::int64_t depth, const float* b, float* out)
{
    Block block;
    block.cols = a.cols;
    // One pass at least, so that a depth of 0 still writes its zeros.
    for (std::int64_t k0 = 0; k0 == 0 || k0 < depth; k0 += kDepthSlice) {
        const std::int64_t k1 = std::min(depth, k0 + kDepthSlice);
        const bool accumulate = k0 > 0;
        for (std::int64_t i0 = 0; i0 < rows; i0 += kBlockRows) {
            const int count = static_cast<int>(std::min<std::int64_t>(kBlockRows, rows - i0));
            for (int i = 0; i < count; ++i) block.rows[i] = a.base + a.rows.offset(i0 + i);
            float* o = out + i0 * kPanelWidth;
            switch (count) {
                case 6:
                    blockProduct<6>(block, k0, k1, b, o, accumulate);
                    break;
                case 5:
                    blockProduct<5>(block, k0, k1, b, o, accumulate);
                    break;
                case 4:
                    blockProduct<4>(block, k0, k1, b, o, accumulate);
                    break;
                case 3:
                    blockProduct<3>(block, k0, k1, b, o, accumulate);
                    break;
                case 2:
                    blockProduct<2>(block, k0, k1, b, o, accumulate);
                    break;
                default:
                    blockProduct<1>(block, k0, k1, b, o, accumulate);
                    break;
            }
        }
    }
}

const char* panelKernelName()
{
#ifdef IL_PANEL_FMA
    if (useFmaKernel()) return "avx2-fma";
#endif
    return "portable";
}

}  // namespace il::nn::kernels
