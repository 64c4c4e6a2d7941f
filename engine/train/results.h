#pragma once
// Plain results of a training session. These cross threads by value (the worker copies them
// out of tensors), are written to metrics.json and are drawn by ui/. No torch here.

#include <string>
#include <vector>

#include "engine/core/image.h"
#include "engine/metrics/outcome.h"
#include "engine/probes/probe.h"

namespace il {

enum class StopReason { Completed, Diverged, Cancelled };
const char* toString(StopReason);

// The paper's Zones (talk slides; docs/paper-summary.md), from the two correlations at one rho:
// A both high (identity and constant coincide), B identity high and constant low (generalises),
// C both low (hallucinates), D constant high and identity low (memorises). "High" is >= 0.5.
enum class Zone { A, B, C, D };
const char* toString(Zone);
constexpr double kZoneHighThreshold = 0.5;
Zone classifyZone(double corrIdentity, double corrConstant);

struct ProbeOutcome {
    std::string name;
    ProbeGroup group = ProbeGroup::Pattern;
    Image input;
    Image output;
    double corrIdentity = 0.0;  // corr(f(x), x)
    double corrConstant = 0.0;  // corr(f(x), x_hat), x_hat the (first) training image
    double mse = 0.0;           // mean((f(x) - x)^2)
};

struct GroupSummary {
    ProbeGroup group = ProbeGroup::Pattern;
    double corrIdentity = 0.0;
    double corrConstant = 0.0;
    int count = 0;
};

struct RhoPoint {
    double rho = 0.0;
    double corrIdentity = 0.0;  // mean over the samples at this rho
    double corrConstant = 0.0;
    double corrIdentityStd = 0.0;
    double corrConstantStd = 0.0;
    Zone zone = Zone::C;
};

// One layer's output for one input, reduced over channels for display.
struct LayerMap {
    std::string layer;  // "conv 3", "relu 3", "block 2", "output"
    Image map;          // 1 channel; FCN layers are shown as the nearest square
};

enum class ChannelReduction { Mean, Max, Single };

struct ActivationGrid {
    std::vector<std::string> layers;       // rows: "input", layer names..., last is the output
    std::vector<std::string> probes;       // columns
    std::vector<std::vector<Image>> maps;  // [layer][probe], 1 channel each
    std::vector<int> layerChannels;        // channel count of each row (for the selector)
    ChannelReduction reduction = ChannelReduction::Mean;
    int channel = 0;  // for Single
};

struct LayerStatistics {
    std::string layer;
    double mean = 0.0, stddev = 0.0, min = 0.0, max = 0.0;
    double fractionZero = 0.0;  // dead ReLU share
};

// Training-set error of the similarity-weighted classifier (talk slides) at each layer.
struct LayerClassifierCurve {
    std::vector<std::string> layers;  // "input", then each layer
    std::vector<double> error;        // leave-one-out error rate in [0, 1]
    int images = 0;
};

struct LossPoint {
    int step = 0;
    double loss = 0.0;
    double lr = 0.0;
};

// One line of metrics.jsonl: the state of training at one step. Every run records about 50 of
// them, evenly spread over its steps (every step of a run of at most 50 steps), plus the last.
struct TrajectoryPoint {
    int step = 0;
    double loss = 0.0;
    double lr = 0.0;
    std::vector<GroupSummary> groups;  // each probe group's mean correlations at this step
};

// What the observer sees every so often while training.
struct Snapshot {
    int step = 0;
    double loss = 0.0;
    std::vector<ProbeOutcome> probes;
};

struct RunMetrics {
    long long parameters = 0;
    long long weightParameters = 0;
    long long biasParameters = 0;
    double finalLoss = 0.0;
    int stepsDone = 0;
    StopReason stopReason = StopReason::Completed;
    std::string stopDetail;  // e.g. "loss became NaN at step 37"
    double seconds = 0.0;
    double stepsPerSecond = 0.0;
    std::string device;
    bool outputCollapsed = false;  // output stuck at zero (the f = 0 saddle)
    std::vector<ProbeOutcome> probes;
    std::vector<GroupSummary> groups;
    std::vector<RhoPoint> rhoSweep;
    LayerClassifierCurve layerClassifier;
    std::vector<TrajectoryPoint> trajectory;  // the run's course, oldest first (metrics.jsonl)
    Outcome outcome = Outcome::Other;         // classifyOutcome(probes) of the trained network
    OutcomeScores outcomeScores;              // what that outcome was decided from
};

}  // namespace il
