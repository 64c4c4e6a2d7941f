#include "ui/figures/image_convert.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

namespace il::ui {
namespace {

// [0, 1] -> 0..255 with rounding, so v / 255 comes back as v.
int toByte(float v)
{
    if (!(v > 0.0f)) return 0;  // also catches NaN
    if (v >= 1.0f) return 255;
    return static_cast<int>(std::lround(v * 255.0f));
}

int toLutIndex(float v, float lo, float hi)
{
    if (!(v > lo)) return 0;  // also NaN
    if (v >= hi) return 255;
    return static_cast<int>(std::lround((v - lo) / (hi - lo) * 255.0f));
}

void checkUpscale(int upscale)
{
    if (upscale < 1) throw std::invalid_argument("image upscale factor must be >= 1");
}

// Writes one source pixel as an upscale x upscale block.
template <typename Pixel, typename Put>
void fillBlocks(QImage& out, const il::Image& image, int upscale, Pixel pixelAt, Put put)
{
    for (int y = 0; y < image.height; ++y) {
        for (int x = 0; x < image.width; ++x) {
            const auto value = pixelAt(y, x);
            for (int dy = 0; dy < upscale; ++dy) {
                uchar* line = out.scanLine(y * upscale + dy);
                for (int dx = 0; dx < upscale; ++dx) put(line, x * upscale + dx, value);
            }
        }
    }
}

int openCvCode(ColorMap map)
{
    switch (map) {
        case ColorMap::Paper:
            return cv::COLORMAP_WINTER;
        case ColorMap::Viridis:
            return cv::COLORMAP_VIRIDIS;
        case ColorMap::Inferno:
            return cv::COLORMAP_INFERNO;
        case ColorMap::Magma:
            return cv::COLORMAP_MAGMA;
        case ColorMap::Plasma:
            return cv::COLORMAP_PLASMA;
        case ColorMap::Cividis:
            return cv::COLORMAP_CIVIDIS;
        case ColorMap::Turbo:
            return cv::COLORMAP_TURBO;
        case ColorMap::Jet:
            return cv::COLORMAP_JET;
        case ColorMap::Hot:
            return cv::COLORMAP_HOT;
        case ColorMap::Bone:
            return cv::COLORMAP_BONE;
        case ColorMap::Grey:
            return -1;
    }
    return cv::COLORMAP_WINTER;
}

std::array<QRgb, 256> buildTable(ColorMap map)
{
    std::array<QRgb, 256> table{};
    cv::Mat ramp(1, 256, CV_8UC1);
    for (int i = 0; i < 256; ++i) ramp.at<uchar>(0, i) = static_cast<uchar>(i);
    const int code = openCvCode(map);
    if (code < 0) {
        for (int i = 0; i < 256; ++i) table[static_cast<std::size_t>(i)] = qRgb(i, i, i);
        return table;
    }
    cv::Mat coloured;
    cv::applyColorMap(ramp, coloured, code);  // BGR
    for (int i = 0; i < 256; ++i) {
        const cv::Vec3b bgr = coloured.at<cv::Vec3b>(0, i);
        table[static_cast<std::size_t>(i)] = qRgb(bgr[2], bgr[1], bgr[0]);
    }
    return table;
}

}  // namespace

QImage toQImage(const il::Image& image, int upscale)
{
    checkUpscale(upscale);
    if (image.channels != 1 && image.channels != 3) throw std::invalid_argument("toQImage: only 1- or 3-channel images can be shown");
    if (image.size() != static_cast<std::size_t>(image.channels) * image.height * image.width)
        throw std::invalid_argument("toQImage: pixel count does not match the shape");
    if (image.empty()) return {};

    if (image.channels == 1) {
        QImage out(image.width * upscale, image.height * upscale, QImage::Format_Grayscale8);
        fillBlocks(
            out, image, upscale, [&](int y, int x) { return toByte(image.at(0, y, x)); },
            [](uchar* line, int x, int v) { line[x] = static_cast<uchar>(v); });
        return out;
    }
    QImage out(image.width * upscale, image.height * upscale, QImage::Format_RGB32);
    fillBlocks(
        out, image, upscale,
        [&](int y, int x) { return qRgb(toByte(image.at(0, y, x)), toByte(image.at(1, y, x)), toByte(image.at(2, y, x))); },
        [](uchar* line, int x, QRgb v) { reinterpret_cast<QRgb*>(line)[x] = v; });
    return out;
}

il::Image fromQImage(const QImage& source, ChannelMode mode)
{
    if (source.isNull()) return {};
    const QImage rgb = source.convertToFormat(QImage::Format_RGB32);
    if (mode == ChannelMode::Auto) mode = rgb.allGray() ? ChannelMode::Grey : ChannelMode::Rgb;
    const int channels = mode == ChannelMode::Grey ? 1 : 3;
    il::Image out(channels, rgb.height(), rgb.width());
    for (int y = 0; y < rgb.height(); ++y) {
        const auto* line = reinterpret_cast<const QRgb*>(rgb.constScanLine(y));
        for (int x = 0; x < rgb.width(); ++x) {
            const QRgb p = line[x];
            if (channels == 1) {
                out.at(0, y, x) = static_cast<float>(qGray(p)) / 255.0f;
            } else {
                out.at(0, y, x) = static_cast<float>(qRed(p)) / 255.0f;
                out.at(1, y, x) = static_cast<float>(qGreen(p)) / 255.0f;
                out.at(2, y, x) = static_cast<float>(qBlue(p)) / 255.0f;
            }
        }
    }
    return out;
}

QString colorMapName(ColorMap map)
{
    switch (map) {
        case ColorMap::Paper:
            return QStringLiteral("paper");
        case ColorMap::Viridis:
            return QStringLiteral("viridis");
        case ColorMap::Inferno:
            return QStringLiteral("inferno");
        case ColorMap::Magma:
            return QStringLiteral("magma");
        case ColorMap::Plasma:
            return QStringLiteral("plasma");
        case ColorMap::Cividis:
            return QStringLiteral("cividis");
        case ColorMap::Turbo:
            return QStringLiteral("turbo");
        case ColorMap::Jet:
            return QStringLiteral("jet");
        case ColorMap::Hot:
            return QStringLiteral("hot");
        case ColorMap::Bone:
            return QStringLiteral("bone");
        case ColorMap::Grey:
            return QStringLiteral("grey");
    }
    return QStringLiteral("paper");
}

std::vector<ColorMap> allColorMaps()
{
    return {ColorMap::Paper, ColorMap::Viridis, ColorMap::Inferno, ColorMap::Magma, ColorMap::Plasma, ColorMap::Cividis,
            ColorMap::Turbo, ColorMap::Jet,     ColorMap::Hot,     ColorMap::Bone,  ColorMap::Grey};
}

std::optional<ColorMap> colorMapFromName(const QString& name)
{
    const QString wanted = name.trimmed().toLower();
    if (wanted == QLatin1String("winter")) return ColorMap::Paper;
    if (wanted == QLatin1String("gray")) return ColorMap::Grey;
    for (ColorMap map : allColorMaps())
        if (colorMapName(map) == wanted) return map;
    return std::nullopt;
}

const std::array<QRgb, 256>& colorMapTable(ColorMap map)
{
    // All tables are built once, at first use; initialising a function-local static is
    // thread-safe in C++11, so a worker thread may colour images too.
    static const std::map<ColorMap, std::array<QRgb, 256>> tables = [] {
        std::map<ColorMap, std::array<QRgb, 256>> all;
        for (ColorMap m : allColorMaps()) all.emplace(m, buildTable(m));
        return all;
    }();
    return tables.at(map);
}

QImage toColorMapped(const il::Image& image, float lo, float hi, ColorMap map, int upscale)
{
    checkUpscale(upscale);
    if (image.empty()) return {};
    if (image.size() < static_cast<std::size_t>(image.height) * image.width)
        throw std::invalid_argument("toColorMapped: pixel count does not match the shape");
    if (!(hi > lo)) hi = lo + 1.0f;
    const auto& table = colorMapTable(map);
    QImage out(image.width * upscale, image.height * upscale, QImage::Format_RGB32);
    fillBlocks(
        out, image, upscale, [&](int y, int x) { return table[static_cast<std::size_t>(toLutIndex(image.at(0, y, x), lo, hi))]; },
        [](uchar* line, int x, QRgb v) { reinterpret_cast<QRgb*>(line)[x] = v; });
    return out;
}

}  // namespace il::ui
