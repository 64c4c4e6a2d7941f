#pragma once
// Shared by the GUI tests: tiny configs that train in well under a second, and image checks.

#include <QElapsedTimer>
#include <QTest>
#include <QImage>
#include <QSet>
#include <QStandardPaths>

#include "engine/config/experiment_config.h"

namespace il::test {

// Waits until `predicate` holds, processing events (queued signals, timers); false on timeout.
template <typename P>
bool waitFor(P predicate, int ms = 60000)
{
    QElapsedTimer t;
    t.start();
    while (!predicate()) {
        if (t.elapsed() > ms) return false;
        QTest::qWait(5);
    }
    return true;
}

// A CNN small enough for a test: 2 layers of 4 channels, a few steps.
inline il::ExperimentConfig tinyCnn(int steps = 20)
{
    il::ExperimentConfig c;
    c.architecture = il::Architecture::Cnn;
    c.depth = 2;
    c.channels = 4;
    c.kernelSize = 3;
    c.steps = steps;
    c.rhoSamples = 2;
    return c;
}

inline il::ExperimentConfig tinyFcn(int steps = 20)
{
    il::ExperimentConfig c;
    c.architecture = il::Architecture::Fcn;
    c.depth = 1;
    c.activation = il::Activation::Linear;
    c.steps = steps;
    c.rhoSamples = 2;
    return c;
}

// Not blank: more than a handful of distinct colours.
inline int distinctColours(const QImage& image, int limit = 64)
{
    QSet<QRgb> colours;
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    for (int y = 0; y < rgb.height() && colours.size() < limit; y += 2) {
        const auto* line = reinterpret_cast<const QRgb*>(rgb.constScanLine(y));
        for (int x = 0; x < rgb.width() && colours.size() < limit; x += 2) colours.insert(line[x]);
    }
    return static_cast<int>(colours.size());
}

}  // namespace il::test
