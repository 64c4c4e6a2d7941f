#include "engine/data/resample.h"

#include "engine/core/errors.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace il {
namespace {

// Output pixel `i` along one axis = sum of weight * source pixel `index`.
struct Tap {
    int index;
    float weight;
};
using AxisTaps = std::vector<std::vector<Tap>>;  // one list of taps per output pixel

// Output pixel i covers source interval [i*scale, (i+1)*scale); each source pixel contributes
// in proportion to the overlap, normalised so the weights sum to 1.
AxisTaps areaTaps(int source, int target)
{
    const double scale = static_cast<double>(source) / target;
    AxisTaps taps(static_cast<std::size_t>(target));
    for (int i = 0; i < target; ++i) {
        const double begin = i * scale;
        const double end = std::min<double>(source, (i + 1) * scale);
        const int first = static_cast<int>(std::floor(begin));
        const int last = std::min(source - 1, static_cast<int>(std::ceil(end)) - 1);
        for (int s = first; s <= last; ++s) {
            const double overlap = std::min<double>(end, s + 1) - std::max<double>(begin, s);
            if (overlap > 1e-12) taps[static_cast<std::size_t>(i)].push_back({s, static_cast<float>(overlap / scale)});
        }
    }
    return taps;
}

// Pixel centres aligned (half-pixel convention), positions outside the source clamped to the
// edge pixel. For integer factors every source pixel's weights sum to the factor, so the mean
// is preserved.
AxisTaps bilinearTaps(int source, int target)
{
    const double scale = static_cast<double>(source) / target;
    AxisTaps taps(static_cast<std::size_t>(target));
    for (int i = 0; i < target; ++i) {
        const double position = std::clamp((i + 0.5) * scale - 0.5, 0.0, static_cast<double>(source - 1));
        const int left = static_cast<int>(std::floor(position));
        const int right = std::min(left + 1, source - 1);
        const float fraction = static_cast<float>(position - left);
        auto& list = taps[static_cast<std::size_t>(i)];
        list.push_back({left, 1.0f - fraction});
        if (right != left && fraction > 0.0f) list.push_back({right, fraction});
    }
    return taps;
}

AxisTaps tapsFor(int source, int target)
{
    if (target == source) {
        AxisTaps identity(static_cast<std::size_t>(target));
        for (int i = 0; i < target; ++i) identity[static_cast<std::size_t>(i)].push_back({i, 1.0f});
        return identity;
    }
    return target < source ? areaTaps(source, target) : bilinearTaps(source, target);
}

}  // namespace

Image resize(const Image& image, int height, int width)
{
    if (height <= 0 || width <= 0)
        throw ConfigError("cannot resize an image to " + std::to_string(height) + "x" + std::to_string(width) +
                          ": both sides must be at least 1");
    if (image.empty() || image.height <= 0 || image.width <= 0) throw ConfigError("cannot resize an empty image");
    if (height == image.height && width == image.width) return image;

    const AxisTaps rowTaps = tapsFor(image.height, height);
    const AxisTaps columnTaps = tapsFor(image.width, width);
    Image out(image.channels, height, width);
    std::vector<float> horizontal(static_cast<std::size_t>(image.height) * width);  // one channel, widths done
    for (int c = 0; c < image.channels; ++c) {
        for (int y = 0; y < image.height; ++y)
            for (int x = 0; x < width; ++x) {
                float sum = 0.0f;
                for (const Tap& tap : columnTaps[static_cast<std::size_t>(x)]) sum += tap.weight * image.at(c, y, tap.index);
                horizontal[static_cast<std::size_t>(y) * width + x] = sum;
            }
        for (int y = 0; y < height; ++y)
            for (int x = 0; x < width; ++x) {
                float sum = 0.0f;
                for (const Tap& tap : rowTaps[static_cast<std::size_t>(y)])
                    sum += tap.weight * horizontal[static_cast<std::size_t>(tap.index) * width + x];
                out.at(c, y, x) = sum;
            }
    }
    return out;
}

Image toChannels(const Image& image, int channels)
{
    if (channels == image.channels) return image;
    const std::size_t plane = static_cast<std::size_t>(image.height) * image.width;
    if (image.channels == 1 && channels == 3) {
        Image out(3, image.height, image.width);
        for (int c = 0; c < 3; ++c)
            std::copy(image.pixels.begin(), image.pixels.end(), out.pixels.begin() + static_cast<std::ptrdiff_t>(c * plane));
        return out;
    }
    if (image.channels == 3 && channels == 1) {
        Image out(1, image.height, image.width);
        for (std::size_t p = 0; p < plane; ++p)
            out.pixels[p] = 0.299f * image.pixels[p] + 0.587f * image.pixels[plane + p] + 0.114f * image.pixels[2 * plane + p];
        return out;
    }
    throw ConfigError("cannot convert an image with " + std::to_string(image.channels) + " channels to " + std::to_string(channels) +
                      "; supported: 1 (grey) and 3 (RGB)");
}

}  // namespace il
