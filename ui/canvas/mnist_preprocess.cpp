#include "ui/canvas/mnist_preprocess.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace il::ui {

MnistPreprocessResult mnistLike(const QImage& picture, int size)
{
    MnistPreprocessResult result;
    result.image = il::Image(1, size, size, 0.0f);
    if (picture.isNull() || size < 4) {
        result.empty = true;
        return result;
    }
    // Transparent pixels: composite onto the colour that contrasts with the opaque strokes
    // (dark ink on a transparent sheet goes onto white, light ink onto black).
    QImage argb = picture.convertToFormat(QImage::Format_ARGB32);
    double inkSum = 0.0, inkWeight = 0.0;
    for (int y = 0; y < argb.height(); ++y) {
        const auto* in = reinterpret_cast<const QRgb*>(argb.constScanLine(y));
        for (int x = 0; x < argb.width(); ++x) {
            inkSum += qGray(in[x]) * qAlpha(in[x]);
            inkWeight += qAlpha(in[x]);
        }
    }
    const int paper = inkWeight > 0 && inkSum / inkWeight < 128.0 ? 255 : 0;
    QImage grey(argb.size(), QImage::Format_Grayscale8);
    for (int y = 0; y < argb.height(); ++y) {
        const auto* in = reinterpret_cast<const QRgb*>(argb.constScanLine(y));
        uchar* out = grey.scanLine(y);
        for (int x = 0; x < argb.width(); ++x) {
            const int a = qAlpha(in[x]);
            out[x] = static_cast<uchar>((qGray(in[x]) * a + paper * (255 - a)) / 255);
        }
    }
    cv::Mat view(grey.height(), grey.width(), CV_8UC1, const_cast<uchar*>(grey.constBits()), static_cast<std::size_t>(grey.bytesPerLine()));
    cv::Mat img = view.clone();

    // Light background (judged on the border, where a scan or a photo has paper): invert.
    std::vector<uchar> border;
    for (int x = 0; x < img.cols; ++x) {
        border.push_back(img.at<uchar>(0, x));
        border.push_back(img.at<uchar>(img.rows - 1, x));
    }
    for (int y = 0; y < img.rows; ++y) {
        border.push_back(img.at<uchar>(y, 0));
        border.push_back(img.at<uchar>(y, img.cols - 1));
    }
    std::nth_element(border.begin(), border.begin() + static_cast<std::ptrdiff_t>(border.size() / 2), border.end());
    double background = border[border.size() / 2];
    if (background > 127.0) {
        cv::bitwise_not(img, img);
        result.inverted = true;
        background = 255.0 - background;
    }
    // Remove the background level (grey paper stays grey after inversion), then stretch the
    // strokes to full scale.
    cv::Mat strokes;
    img.convertTo(strokes, CV_32F);
    strokes -= background;
    cv::threshold(strokes, strokes, 0.0, 0.0, cv::THRESH_TOZERO);
    double hi = 0.0;
    cv::minMaxLoc(strokes, nullptr, &hi);
    if (hi < 8.0) {  // less than ~3 % of full scale: nothing there
        result.empty = true;
        return result;
    }
    strokes /= hi;

    // Bounding box of the strokes.
    cv::Mat mask = strokes > 0.1;
    std::vector<cv::Point> points;
    cv::findNonZero(mask, points);
    if (points.empty()) {
        result.empty = true;
        return result;
    }
    const cv::Rect box = cv::boundingRect(points);
    cv::Mat crop = strokes(box);

    // Longer side to 20 px (of 28), keeping the aspect ratio.
    const double inner = size * 20.0 / 28.0;
    const double factor = inner / std::max(box.width, box.height);
    const int w = std::max(1, static_cast<int>(std::lround(box.width * factor)));
    const int h = std::max(1, static_cast<int>(std::lround(box.height * factor)));
    cv::Mat scaled;
    cv::resize(crop, scaled, cv::Size(w, h), 0, 0, factor < 1.0 ? cv::INTER_AREA : cv::INTER_LINEAR);

    // Centre of mass to the centre of the frame.
    const cv::Moments m = cv::moments(scaled, false);
    const double cx = m.m00 > 0 ? m.m10 / m.m00 : w / 2.0;
    const double cy = m.m00 > 0 ? m.m01 / m.m00 : h / 2.0;
    cv::Mat frame = cv::Mat::zeros(size, size, CV_32F);
    const cv::Mat shift = (cv::Mat_<double>(2, 3) << 1, 0, size / 2.0 - cx, 0, 1, size / 2.0 - cy);
    cv::warpAffine(scaled, frame, shift, frame.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(0));

    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x) result.image.at(0, y, x) = std::clamp(frame.at<float>(y, x), 0.0f, 1.0f);
    return result;
}

}  // namespace il::ui
