#include "engine/sweep/time_estimate.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <utility>

#include "engine/core/errors.h"
#include "engine/nn/training_path.h"
#include "engine/train/model_size.h"
#include "engine/train/training_session.h"

namespace il {

namespace {

// A CNN's first and last layers: the same network cut down to depth 2.
ExperimentConfig endsOnly(ExperimentConfig config)
{
    config.depth = std::min(config.depth, 2);
    return config;
}

double calibratedSecondsPerStep(const ExperimentConfig& config, int threads, const SpeedFactors& speed)
{
    const double estimate = estimatedSecondsPerStep(config, threads);
    if (config.isConvolutional()) {
        const double ends = estimatedSecondsPerStep(endsOnly(config), threads);
        return speed.cnnEnds * ends + speed.cnnHidden * std::max(0.0, estimate - ends);
    }
    return estimate * (nn::chooseTrainingPath(config) == nn::TrainingPath::FusedFcn ? speed.fusedFcn : speed.batchedFcn);
}

// Seconds a training step of `config` takes here; 0 when it cannot run (no data).
double measuredSecondsPerStep(const ExperimentConfig& config, const DataLocations& data)
{
    try {
        TrainingSession session(config, data);
        session.step();  // warm-up: allocations, oneDNN primitive creation
        const auto start = std::chrono::steady_clock::now();
        int steps = 0;
        double elapsed = 0.0;
        while (steps < 3 || elapsed < 0.15) {
            session.step();
            ++steps;
            elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        }
        return elapsed / steps;
    } catch (const Error&) {
        return 0.0;
    }
}

// measured / estimated, or 1 (the uncalibrated estimate) where nothing could be measured.
double ratioOr1(double measured, double estimated) { return measured > 0.0 && estimated > 0.0 ? measured / estimated : 1.0; }

}  // namespace

SpeedFactors calibrateSpeed(const DataLocations& data, int threads)
{
    // The figures' 128 channels, so that the hidden layers run the algorithm they will run.
    ExperimentConfig cnn;
    cnn.architecture = Architecture::Cnn;
    cnn.channels = 128;
    cnn.depth = 2;
    const double endsMeasured = measuredSecondsPerStep(cnn, data);
    const double endsEstimated = estimatedSecondsPerStep(cnn, threads);
    cnn.depth = 4;
    const double hiddenMeasured = measuredSecondsPerStep(cnn, data) - endsMeasured;
    const double hiddenEstimated = estimatedSecondsPerStep(cnn, threads) - endsEstimated;

    ExperimentConfig fcn;
    fcn.architecture = Architecture::Fcn;
    fcn.depth = 3;
    ExperimentConfig batched = fcn;  // 64 images a step: past the fused path's batch limit
    batched.depth = 2;
    batched.trainCount = 256;
    batched.trainClass = -1;
    batched.batchSize = 64;

    SpeedFactors speed;
    speed.cnnEnds = ratioOr1(endsMeasured, endsEstimated);
    speed.cnnHidden = endsMeasured > 0.0 ? ratioOr1(hiddenMeasured, hiddenEstimated) : 1.0;
    speed.fusedFcn = ratioOr1(measuredSecondsPerStep(fcn, data), estimatedSecondsPerStep(fcn, threads));
    speed.batchedFcn = ratioOr1(measuredSecondsPerStep(batched, data), estimatedSecondsPerStep(batched, threads));
    return speed;
}

double estimatedRunSeconds(const ExperimentConfig& config, int threads, const SpeedFactors& speed, bool train)
{
    const double step = calibratedSecondsPerStep(config, threads, speed);
    return (train ? std::max(0, config.steps) : 0) * step + 60.0 * step + 1.0;  // + evaluation and figures
}

double estimatedScheduleSeconds(std::vector<double> runSeconds, int jobs)
{
    std::sort(runSeconds.begin(), runSeconds.end(), std::greater<>());
    std::vector<double> slotEnds(static_cast<std::size_t>(std::max(1, jobs)), 0.0);
    for (const double seconds : runSeconds) *std::min_element(slotEnds.begin(), slotEnds.end()) += seconds;
    return *std::max_element(slotEnds.begin(), slotEnds.end());
}

double estimatedTasksSeconds(const std::vector<const PlanTask*>& tasks, int threads, const SpeedFactors& speed, int jobs)
{
    std::vector<double> runSeconds;
    for (const PlanTask* task : tasks) runSeconds.push_back(estimatedRunSeconds(task->config, threads, speed, task->options.train));
    return estimatedScheduleSeconds(std::move(runSeconds), jobs);
}

std::string formatMinutes(double seconds)
{
    char buffer[32];
    if (seconds < 90)
        std::snprintf(buffer, sizeof buffer, "%.0f s", seconds);
    else
        std::snprintf(buffer, sizeof buffer, "%.0f min", seconds / 60.0);
    return buffer;
}

}  // namespace il
