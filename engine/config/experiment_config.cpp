#include "engine/config/experiment_config.h"

#include <cmath>
#include <sstream>

#include "engine/config/choices.h"
#include "engine/core/errors.h"

namespace il {

namespace {

// The config names live in the choice tables (engine/config/choices.h); "?" for a value outside
// the enum, as a cast from a bad integer gives.
template <typename Enum>
const char* nameOf(Enum value)
{
    for (const Choice<Enum>& c : choicesOf<Enum>())
        if (c.value == value) return c.name;
    return "?";
}

[[noreturn]] void fail(const std::string& key, const std::string& problem) { throw ConfigError("config key \"" + key + "\": " + problem); }

// Whole numbers as whole numbers ("10000000", not "1e+07"), anything else in the shortest form.
std::string number(double v)
{
    std::ostringstream s;
    if (std::isfinite(v) && v == std::trunc(v) && std::abs(v) < 1e15)
        s << static_cast<long long>(v);
    else
        s << v;
    return s.str();
}

void requireRange(const std::string& key, double value, double lo, double hi, const char* unit = "")
{
    if (!(value >= lo && value <= hi))  // also rejects NaN
        fail(key, number(value) + " is out of range; accepted " + number(lo) + " to " + number(hi) + unit);
}

}  // namespace

const char* toString(Architecture v) { return nameOf(v); }
const char* toString(Activation v) { return nameOf(v); }
const char* toString(InitScheme v) { return nameOf(v); }
const char* toString(OptimizerKind v) { return nameOf(v); }
const char* toString(Schedule v) { return nameOf(v); }
const char* toString(CorrelationKind v) { return nameOf(v); }
const char* toString(DevicePreference v) { return nameOf(v); }
const char* toString(ResidualForm v) { return nameOf(v); }

const std::vector<std::string>& architectureNames()
{
    static const auto v = choiceNames<Architecture>();
    return v;
}
const std::vector<std::string>& activationNames()
{
    static const auto v = choiceNames<Activation>();
    return v;
}
const std::vector<std::string>& initNames()
{
    static const auto v = choiceNames<InitScheme>();
    return v;
}
const std::vector<std::string>& optimizerNames()
{
    static const auto v = choiceNames<OptimizerKind>();
    return v;
}

void validate(const ExperimentConfig& c)
{
    requireRange("depth", c.depth, 1, 30);
    if (c.isResidual()) {
        // Whole two-layer residual blocks, plus plain input and output layers where the
        // channel or feature count changes.
        const int minimum = c.residualNeedsPlainEnds() ? 4 : 2;
        if (c.depth < minimum || c.depth % 2 != 0)
            fail("depth",
                 std::to_string(c.depth) + " does not fit this ResNet: it needs an even depth of at least " + std::to_string(minimum) +
                     (c.residualNeedsPlainEnds() ? " (input layer, blocks of two layers, output layer)" : " (blocks of two layers)"));
    }
    requireRange("width", c.width, 1, 16384);
    requireRange("channels", c.channels, 1, 4096);
    requireRange("image_size", c.imageSize, 7, 112, " pixels");
    if (c.isConvolutional()) {
        requireRange("kernel_size", c.kernelSize, 1, 31);
        if (c.kernelSize % 2 == 0)
            fail("kernel_size", std::to_string(c.kernelSize) + " is even; \"same\" padding needs an odd kernel (1, 3, 5, ...)");
        if (c.kernelSize > c.imageSize)
            fail("kernel_size", std::to_string(c.kernelSize) + " is larger than the image (" + std::to_string(c.imageSize) + " pixels)");
    }
    requireRange("init_scale", c.initScale, 0.0, 100.0);
    if (!(c.lr > 0.0) || !std::isfinite(c.lr)) fail("lr", "must be a positive number, got " + number(c.lr));
    requireRange("lr", c.lr, 1e-12, 100.0);
    requireRange("momentum", c.momentum, 0.0, 0.999999);
    requireRange("beta1", c.beta1, 0.0, 0.999999);
    requireRange("beta2", c.beta2, 0.0, 0.999999999);
    requireRange("weight_decay", c.weightDecay, 0.0, 10.0);
    if (c.nesterov && c.momentum <= 0.0) fail("nesterov", "needs momentum > 0");
    requireRange("steps", c.steps, 1, 10000000);
    requireRange("train_examples", c.trainCount, 1, 1000000);
    requireRange("train_class", c.trainClass, -1, 9);
    requireRange("batch_size", c.batchSize, 0, 100000);
    for (int i : c.trainIndices)
        if (i < 0) fail("train_examples", "index " + std::to_string(i) + " is negative");
    requireRange("rho_points", c.rhoPoints, 2, 101);
    requireRange("rho_samples", c.rhoSamples, 1, 256);
    requireRange("snapshot_every", c.snapshotEvery, 0, 10000000);
}

std::string describeModel(const ExperimentConfig& c)
{
    std::ostringstream s;
    switch (c.architecture) {
        case Architecture::Fcn:
            s << "FCN " << c.depth;
            break;
        case Architecture::Cnn:
            s << "CNN " << c.depth;
            break;
        case Architecture::ResnetFcn:
            s << "ResNet-FCN " << c.depth;
            break;
        case Architecture::ResnetCnn:
            s << "ResNet-CNN " << c.depth;
            break;
    }
    if (c.depth > 1) s << "x" << (c.isConvolutional() ? c.channels : c.width);
    if (c.isConvolutional()) s << " k" << c.kernelSize;
    s << " " << toString(c.activation);
    return s.str();
}

}  // namespace il
