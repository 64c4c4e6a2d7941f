#pragma once
// Conversions between the engine's plain il::Image (CHW floats) and QImage.
// Display follows the paper: values are clipped to [0, 1] and 0 is black; an 8-bit value v
// becomes v / 255 and back exactly, so images read from files survive a round trip.

#include <QImage>
#include <QString>

#include <array>
#include <optional>
#include <vector>

#include "engine/core/image.h"

namespace il::ui {

// 1 channel -> Format_Grayscale8, 3 channels -> Format_RGB32, clipped to [0, 1]; NaN shows
// as 0 (a diverged run must still draw). Each pixel becomes an upscale x upscale block
// (nearest neighbour: the paper's figures show the 28x28 pixels as they are).
// Throws std::invalid_argument for other channel counts or upscale < 1.
QImage toQImage(const il::Image& image, int upscale = 1);

enum class ChannelMode { Auto, Grey, Rgb };
// Auto gives 1 channel when every pixel is grey (QImage::allGray), 3 otherwise. Grey uses
// qGray's luminance for colour input. Alpha is ignored.
il::Image fromQImage(const QImage& image, ChannelMode mode = ChannelMode::Auto);

// Colour maps for activations, all drawn through OpenCV's cv::applyColorMap.
// Paper is cv::COLORMAP_WINTER (blue -> green): the paper's activation figures use a
// green/blue map (matplotlib's "winter" is the same ramp).
enum class ColorMap { Paper, Viridis, Inferno, Magma, Plasma, Cividis, Turbo, Jet, Hot, Bone, Grey };

QString colorMapName(ColorMap map);                             // "paper", "viridis", ...
std::optional<ColorMap> colorMapFromName(const QString& name);  // case-insensitive
std::vector<ColorMap> allColorMaps();

// The 256 colours of a map, index 0 for the low end; the cells and the colour bar use the
// same table so they cannot disagree.
const std::array<QRgb, 256>& colorMapTable(ColorMap map);

// Colours the first channel of `image`: lo maps to the first colour, hi to the last,
// values outside are clipped, NaN maps to lo. hi <= lo is treated as hi = lo + 1.
QImage toColorMapped(const il::Image& image, float lo, float hi, ColorMap map = ColorMap::Paper, int upscale = 1);

}  // namespace il::ui
