#include "engine/metrics/rho_inputs.h"

#include <cmath>

#include "engine/core/random.h"

namespace il {

Image imageAtCorrelation(const Image& reference, double rho, CorrelationKind kind, std::uint64_t seed)
{
    const std::size_t n = reference.size();
    std::vector<double> ref(reference.pixels.begin(), reference.pixels.end());
    double mean = 0.0;
    if (kind == CorrelationKind::Pearson) {
        for (double v : ref) mean += v;
        mean /= static_cast<double>(n);
        for (double& v : ref) v -= mean;
    }
    double refNorm2 = 0.0;
    for (double v : ref) refNorm2 += v * v;
    const double refNorm = std::sqrt(refNorm2);

    SplitMix64 rng(seed);
    std::vector<double> u(n);
    for (double& v : u) v = rng.normal();
    auto removeMean = [&](std::vector<double>& v) {
        double m = 0.0;
        for (double e : v) m += e;
        m /= static_cast<double>(n);
        for (double& e : v) e -= m;
    };
    if (kind == CorrelationKind::Pearson) removeMean(u);
    // Gram-Schmidt against the reference (twice, for accuracy in float).
    for (int pass = 0; pass < 2 && refNorm2 > 0.0; ++pass) {
        double dot = 0.0;
        for (std::size_t i = 0; i < n; ++i) dot += u[i] * ref[i];
        for (std::size_t i = 0; i < n; ++i) u[i] -= dot / refNorm2 * ref[i];
    }
    double uNorm = 0.0;
    for (double v : u) uNorm += v * v;
    uNorm = std::sqrt(uNorm);

    Image out = reference;
    const double r = std::max(-1.0, std::min(1.0, rho));
    const double orth = std::sqrt(1.0 - r * r);
    for (std::size_t i = 0; i < n; ++i) {
        const double along = refNorm > 0.0 ? r * ref[i] : 0.0;
        const double across = uNorm > 0.0 ? orth * refNorm * u[i] / uNorm : 0.0;
        out.pixels[i] = static_cast<float>(mean + along + across);
    }
    return out;
}

std::vector<double> rhoGrid(int points)
{
    std::vector<double> grid;
    for (int i = 0; i < points; ++i) grid.push_back(points > 1 ? static_cast<double>(i) / (points - 1) : 1.0);
    return grid;
}

}  // namespace il
