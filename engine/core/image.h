#pragma once
// A plain image: the currency between the engine, the UI and the files we write.
// Channels-first (CHW) float pixels, nominally in [0, 1]. No torch here on purpose:
// this header is seen by Qt code (CONTRIBUTING.md, "The layers").

#include <cstddef>
#include <vector>

namespace il {

struct Image {
    int channels = 1;
    int height = 0;
    int width = 0;
    std::vector<float> pixels;  // size channels * height * width, index (c * height + y) * width + x

    Image() = default;
    Image(int c, int h, int w, float fill = 0.0f) : channels(c), height(h), width(w), pixels(static_cast<std::size_t>(c) * h * w, fill) {}

    std::size_t size() const { return pixels.size(); }
    bool empty() const { return pixels.empty(); }
    float& at(int c, int y, int x) { return pixels[(static_cast<std::size_t>(c) * height + y) * width + x]; }
    float at(int c, int y, int x) const { return pixels[(static_cast<std::size_t>(c) * height + y) * width + x]; }
    bool sameShape(const Image& o) const { return channels == o.channels && height == o.height && width == o.width; }
};

}  // namespace il
