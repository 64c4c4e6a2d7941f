// resize() and toChannels(): shape, constant images stay constant, the mean survives
// shrinking (area averaging) and enlarging (bilinear), and channel conversion.

#include "engine/core/errors.h"
#include "engine/data/dataset.h"
#include "engine/data/resample.h"

#include <QtTest>

#include <cmath>
#include <numeric>

namespace {

double mean(const il::Image& image)
{
    return std::accumulate(image.pixels.begin(), image.pixels.end(), 0.0) / static_cast<double>(image.size());
}

// A smooth but non-trivial test pattern, in [0, 1].
il::Image pattern(int channels, int height, int width)
{
    il::Image image(channels, height, width);
    for (int c = 0; c < channels; ++c)
        for (int y = 0; y < height; ++y)
            for (int x = 0; x < width; ++x) image.at(c, y, x) = static_cast<float>(0.5 + 0.4 * std::sin(0.7 * x + c) * std::cos(0.45 * y));
    return image;
}

// A real digit from the shipped subset: sparse strokes on black, the hard case for means.
il::Image shippedDigit()
{
    il::DataLocations where;
    where.resourcesDir = il::findResourcesDir();
    return il::loadDatasetShared(il::DatasetKind::Mnist, il::Split::Train, where)->images.at(7);
}

void compareMeans(const il::Image& before, const il::Image& after)
{
    const double a = mean(before);
    const double b = mean(after);
    QVERIFY2(std::abs(a - b) <= 0.01 * a, qPrintable(QStringLiteral("mean %1 became %2").arg(a).arg(b)));
}

}  // namespace

class TestResample : public QObject {
    Q_OBJECT

private slots:
    void constantImageStaysConstant_data()
    {
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("width");
        QTest::newRow("28->7") << 7 << 7;
        QTest::newRow("28->10 (non-integer)") << 10 << 10;
        QTest::newRow("28->1") << 1 << 1;
        QTest::newRow("28->32") << 32 << 32;
        QTest::newRow("28->112") << 112 << 112;
        QTest::newRow("28->45") << 45 << 45;
        QTest::newRow("mixed 28x28->9x60") << 9 << 60;
    }

    void constantImageStaysConstant()
    {
        QFETCH(int, height);
        QFETCH(int, width);
        const il::Image grey(3, 28, 28, 0.375f);
        const il::Image resized = il::resize(grey, height, width);
        QCOMPARE(resized.channels, 3);
        QCOMPARE(resized.height, height);
        QCOMPARE(resized.width, width);
        for (float v : resized.pixels) QVERIFY2(std::abs(v - 0.375f) < 1e-5f, qPrintable(QString::number(v)));
    }

    void shrinkingPreservesMean()
    {
        compareMeans(shippedDigit(), il::resize(shippedDigit(), 7, 7));
        compareMeans(pattern(1, 28, 28), il::resize(pattern(1, 28, 28), 7, 7));
        compareMeans(pattern(3, 28, 28), il::resize(pattern(3, 28, 28), 11, 13));
    }

    void enlargingPreservesMean()
    {
        compareMeans(shippedDigit(), il::resize(shippedDigit(), 112, 112));
        compareMeans(pattern(1, 28, 28), il::resize(pattern(1, 28, 28), 112, 112));
        compareMeans(shippedDigit(), il::resize(shippedDigit(), 32, 32));
    }

    void shrinkingByAnIntegerFactorAveragesBlocks()
    {
        il::Image image(1, 4, 4);
        for (int i = 0; i < 16; ++i) image.pixels[static_cast<std::size_t>(i)] = static_cast<float>(i);
        const il::Image half = il::resize(image, 2, 2);
        QCOMPARE(half.pixels, (std::vector<float>{2.5f, 4.5f, 10.5f, 12.5f}));
    }

    void enlargingInterpolatesBetweenCentres()
    {
        il::Image image(1, 1, 2);
        image.pixels = {0.0f, 1.0f};
        const il::Image wide = il::resize(image, 1, 4);
        // Centres of the 4 output pixels sit at -0.25, 0.25, 0.75, 1.25 in source pixel units.
        QCOMPARE(wide.pixels, (std::vector<float>{0.0f, 0.25f, 0.75f, 1.0f}));
    }

    void sameSizeIsACopy()
    {
        const il::Image image = pattern(1, 5, 6);
        QCOMPARE(il::resize(image, 5, 6).pixels, image.pixels);
    }

    void badSizesAreRejected()
    {
        QVERIFY_THROWS_EXCEPTION(il::ConfigError, il::resize(pattern(1, 4, 4), 0, 4));
        QVERIFY_THROWS_EXCEPTION(il::ConfigError, il::resize(il::Image(), 4, 4));
    }

    void greyToRgbCopiesThePlane()
    {
        const il::Image grey = pattern(1, 3, 4);
        const il::Image rgb = il::toChannels(grey, 3);
        QCOMPARE(rgb.channels, 3);
        for (int c = 0; c < 3; ++c)
            for (int y = 0; y < 3; ++y)
                for (int x = 0; x < 4; ++x) QCOMPARE(rgb.at(c, y, x), grey.at(0, y, x));
    }

    void rgbToGreyUsesLuminance()
    {
        il::Image rgb(3, 1, 2);
        rgb.pixels = {1.0f, 0.0f, /* green */ 0.0f, 1.0f, /* blue */ 0.0f, 0.0f};
        const il::Image grey = il::toChannels(rgb, 1);
        QCOMPARE(grey.channels, 1);
        QVERIFY(std::abs(grey.pixels[0] - 0.299f) < 1e-6f);
        QVERIFY(std::abs(grey.pixels[1] - 0.587f) < 1e-6f);
        const il::Image white = il::toChannels(il::Image(3, 2, 2, 1.0f), 1);
        for (float v : white.pixels) QVERIFY(std::abs(v - 1.0f) < 1e-6f);
    }

    void unsupportedChannelCountsAreRejected()
    {
        QVERIFY_THROWS_EXCEPTION(il::ConfigError, il::toChannels(pattern(1, 2, 2), 4));
        QVERIFY_THROWS_EXCEPTION(il::ConfigError, il::toChannels(pattern(2, 2, 2), 1));
        QCOMPARE(il::toChannels(pattern(3, 2, 2), 3).pixels, pattern(3, 2, 2).pixels);
    }
};

QTEST_GUILESS_MAIN(TestResample)
#include "tst_resample.moc"
