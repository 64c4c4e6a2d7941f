#include "engine/probes/patterns.h"

#include <algorithm>
#include <cmath>

#include "engine/core/random.h"

namespace il {

const std::vector<Pattern>& allPatterns()
{
    static const std::vector<Pattern> all{Pattern::Square,     Pattern::FineStripes, Pattern::CoarseStripes, Pattern::Ramp,
                                          Pattern::DotLattice, Pattern::RingWithC,   Pattern::Ellipse};
    return all;
}

const char* toString(Pattern p)
{
    switch (p) {
        case Pattern::Square:
            return "square";
        case Pattern::FineStripes:
            return "fine stripes";
        case Pattern::CoarseStripes:
            return "coarse stripes";
        case Pattern::Ramp:
            return "ramp";
        case Pattern::DotLattice:
            return "dots";
        case Pattern::RingWithC:
            return "ring";
        case Pattern::Ellipse:
            return "ellipse";
    }
    return "?";
}

Image makePattern(Pattern p, int size)
{
    Image img(1, size, size);
    const double s = size;
    const double centre = (s - 1.0) / 2.0;
    // Periods and radii are fractions of the size so that a pattern looks the same at 7x7,
    // 28x28 and 112x112 (measured on the paper's 28x28 figures).
    for (int y = 0; y < size; ++y) {
        for (int x = 0; x < size; ++x) {
            const double dx = x - centre, dy = y - centre;
            const double r = std::sqrt(dx * dx + dy * dy) / s;
            float v = 0.0f;
            switch (p) {
                case Pattern::Square: {
                    const double half = s * 0.15;
                    v = (std::abs(dx) <= half && std::abs(dy) <= half) ? 1.0f : 0.0f;
                    break;
                }
                case Pattern::FineStripes: {
                    const int period = std::max(2, static_cast<int>(std::lround(s / 9.0)));
                    v = (x % period == period / 2) ? 1.0f : 0.0f;
                    break;
                }
                case Pattern::CoarseStripes: {
                    const double period = s / 3.0;
                    const double phase = std::fmod(x + 0.5, period) / period;
                    v = (phase > 0.3 && phase <= 0.7) ? 1.0f : 0.0f;
                    break;
                }
                case Pattern::Ramp:
                    v = size > 1 ? static_cast<float>(x / (s - 1.0)) : 0.0f;
                    break;
                case Pattern::DotLattice: {
                    const int period = std::max(2, static_cast<int>(std::lround(s / 7.0)));
                    const int dot = std::max(1, period / 2);
                    v = ((x % period) < dot && (y % period) < dot) ? 1.0f : 0.0f;
                    break;
                }
                case Pattern::RingWithC: {
                    if (r >= 0.30 && r <= 0.45) v = 1.0f;
                    // A grey "C": an arc open to the right inside the ring.
                    const double angle = std::atan2(dy, dx);
                    if (r >= 0.12 && r <= 0.21 && std::abs(angle) > 0.8) v = 0.5f;
                    break;
                }
                case Pattern::Ellipse: {
                    const double ex = dx / (s * 0.42), ey = dy / (s * 0.27);
                    v = (ex * ex + ey * ey <= 1.0) ? 1.0f : 0.0f;
                    break;
                }
            }
            img.at(0, y, x) = v;
        }
    }
    return img;
}

Image makeNoise(int channels, int size, std::uint64_t seed)
{
    Image img(channels, size, size);
    SplitMix64 rng(seed);
    for (float& v : img.pixels) v = static_cast<float>(rng.uniform());
    return img;
}

}  // namespace il
