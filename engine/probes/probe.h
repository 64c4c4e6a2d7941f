#pragma once
// A test input of Figures 2-3: what it is (name, group) and its pixels.

#include <string>
#include <vector>

#include "engine/core/image.h"

namespace il {

// The column groups of the paper's figures; written into metrics.json by these names.
enum class ProbeGroup { Train, Blend, Mnist, Fashion, Pattern, Noise, User };
const char* toString(ProbeGroup);

struct Probe {
    std::string name;  // "train 7", "blend 9+4", "mnist 4", "fashion sneaker", "square", ...
    ProbeGroup group = ProbeGroup::Pattern;
    Image image;
};

}  // namespace il
