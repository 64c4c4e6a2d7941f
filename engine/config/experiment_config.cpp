#include "engine/config/experiment_config.h"

#include <cmath>
#include <sstream>
#include <utility>

#include "engine/config/choices.h"
#include "engine/config/config_limits.h"
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

// Collects the problems of one config; each check adds at most one per key.
class Problems {
public:
    void add(const std::string& key, const std::string& message) { list_.push_back({key, message}); }
    bool has(const std::string& key) const
    {
        for (const ConfigProblem& p : list_)
            if (p.key == key) return true;
        return false;
    }
    // Adds the range problem of `key` (engine/config/config_limits.h); true when within.
    bool inRange(const std::string& key, double value)
    {
        const NumericLimit& limit = limitOf(key);
        if (withinLimit(limit, value)) return true;  // NaN is not
        add(key, numberText(value) + " is out of range; accepted " + rangeText(limit));
        return false;
    }
    std::vector<ConfigProblem> take() { return std::move(list_); }

private:
    std::vector<ConfigProblem> list_;
};

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

std::vector<ConfigProblem> configProblems(const ExperimentConfig& c)
{
    Problems p;
    if (p.inRange("depth", c.depth) && c.isResidual()) {
        // Whole two-layer residual blocks, plus plain input and output layers where the
        // channel or feature count changes.
        const int minimum = c.residualNeedsPlainEnds() ? 4 : 2;
        if (c.depth < minimum || c.depth % 2 != 0)
            p.add("depth",
                  std::to_string(c.depth) + " does not fit this ResNet: it needs an even depth of at least " + std::to_string(minimum) +
                      (c.residualNeedsPlainEnds() ? " (input layer, blocks of two layers, output layer)" : " (blocks of two layers)"));
    }
    p.inRange("width", c.width);
    p.inRange("channels", c.channels);
    const bool imageSizeOk = p.inRange("image_size", c.imageSize);
    if (c.isConvolutional() && p.inRange("kernel_size", c.kernelSize)) {
        if (c.kernelSize % 2 == 0)
            p.add("kernel_size", std::to_string(c.kernelSize) + " is even; \"same\" padding needs an odd kernel (1, 3, 5, ...)");
        else if (imageSizeOk && c.kernelSize > c.imageSize)
            p.add("kernel_size", std::to_string(c.kernelSize) + " is larger than the image (" + std::to_string(c.imageSize) + " pixels)");
    }
    p.inRange("init_scale", c.initScale);
    if (!(c.lr > 0.0) || !std::isfinite(c.lr))
        p.add("lr", "must be a positive number, got " + numberText(c.lr));
    else
        p.inRange("lr", c.lr);
    const bool momentumOk = p.inRange("momentum", c.momentum);
    p.inRange("beta1", c.beta1);
    p.inRange("beta2", c.beta2);
    p.inRange("weight_decay", c.weightDecay);
    if (momentumOk && c.nesterov && c.momentum <= 0.0) p.add("nesterov", "needs momentum > 0");
    p.inRange("steps", c.steps);
    p.inRange("train_examples", c.trainCount);
    p.inRange("train_class", c.trainClass);
    p.inRange("batch_size", c.batchSize);
    for (int i : c.trainIndices)
        if (i < 0 && !p.has("train_examples")) p.add("train_examples", "index " + std::to_string(i) + " is negative");
    p.inRange("rho_points", c.rhoPoints);
    p.inRange("rho_samples", c.rhoSamples);
    p.inRange("snapshot_every", c.snapshotEvery);
    return p.take();
}

void validate(const ExperimentConfig& c)
{
    const std::vector<ConfigProblem> problems = configProblems(c);
    if (!problems.empty()) throw ConfigError("config key \"" + problems.front().key + "\": " + problems.front().message);
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
