#pragma once
// The seven generated test patterns of Figures 2-3 (docs/paper-summary.md, "The task"), plus uniform noise,
// drawn at any size so the image-size experiments can use them at 7x7 or 112x112.

#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/image.h"

namespace il {

enum class Pattern { Square, FineStripes, CoarseStripes, Ramp, DotLattice, RingWithC, Ellipse };

const std::vector<Pattern>& allPatterns();
const char* toString(Pattern);                                // "square", "fine stripes", ...
Image makePattern(Pattern, int size);                         // 1 channel, size x size, values in [0, 1]
Image makeNoise(int channels, int size, std::uint64_t seed);  // uniform [0, 1)

}  // namespace il
