#include "engine/metrics/correlation.h"

#include <cmath>

namespace il {

double pearson(const float* a, const float* b, std::size_t n)
{
    if (n == 0) return 0.0;
    double ma = 0, mb = 0;
    for (std::size_t i = 0; i < n; ++i) {
        ma += a[i];
        mb += b[i];
    }
    ma /= static_cast<double>(n);
    mb /= static_cast<double>(n);
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double da = a[i] - ma, db = b[i] - mb;
        sab += da * db;
        saa += da * da;
        sbb += db * db;
    }
    if (saa <= 1e-30 || sbb <= 1e-30) return 0.0;
    return sab / std::sqrt(saa * sbb);
}

double cosine(const float* a, const float* b, std::size_t n)
{
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < n; ++i) {
        sab += static_cast<double>(a[i]) * b[i];
        saa += static_cast<double>(a[i]) * a[i];
        sbb += static_cast<double>(b[i]) * b[i];
    }
    if (saa <= 1e-30 || sbb <= 1e-30) return 0.0;
    return sab / std::sqrt(saa * sbb);
}

double correlation(CorrelationKind kind, const std::vector<float>& a, const std::vector<float>& b)
{
    const std::size_t n = a.size() < b.size() ? a.size() : b.size();
    return kind == CorrelationKind::Pearson ? pearson(a.data(), b.data(), n) : cosine(a.data(), b.data(), n);
}

double meanSquaredError(const std::vector<float>& a, const std::vector<float>& b)
{
    const std::size_t n = a.size() < b.size() ? a.size() : b.size();
    if (n == 0) return 0.0;
    double s = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double d = static_cast<double>(a[i]) - b[i];
        s += d * d;
    }
    return s / static_cast<double>(n);
}

}  // namespace il
