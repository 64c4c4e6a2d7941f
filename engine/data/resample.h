#pragma once
// Changing an image's size and channel count, so that any data set can feed a network built
// for another input shape (e.g. MNIST digits into a CIFAR-shaped 3x32x32 input).

#include "engine/core/image.h"

namespace il {

// Resizes every channel to height x width. Along an axis that shrinks, each output pixel is
// the area-weighted mean of the source pixels it covers (like OpenCV's INTER_AREA: no aliasing,
// the mean is preserved exactly); along an axis that grows, bilinear interpolation between
// pixel centres with edge clamping (like INTER_LINEAR). Axes are handled separately, which is
// exact for both methods. Throws ConfigError for a non-positive size.
Image resize(const Image& image, int height, int width);

// 1 -> 3 channels copies the grey plane; 3 -> 1 takes the luminance 0.299 R + 0.587 G + 0.114 B
// (ITU-R BT.601, as OpenCV and PIL do). Same count returns a copy. Throws ConfigError otherwise.
Image toChannels(const Image& image, int channels);

}  // namespace il
