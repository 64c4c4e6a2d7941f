#include "preset_runner.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <numeric>
#include <thread>
#include <vector>

#include "engine/core/compute_threads.h"
#include "engine/core/errors.h"
#include "engine/train/model_size.h"
#include "interrupt.h"
#include "terminal_progress.h"

namespace il::cli {

int defaultPresetJobs(std::size_t trainedRuns, bool cuda)
{
    if (cuda || trainedRuns < 2) return 1;
    return std::max(1, std::min(coreCount(), static_cast<int>(trainedRuns)));
}

namespace {

// Longest first (estimated from the FLOPs), so that the runs still going at the end are short.
std::vector<std::size_t> longestFirst(const Preset& preset, int threadsPerRun)
{
    std::vector<double> cost(preset.runs.size());
    for (std::size_t i = 0; i < preset.runs.size(); ++i) {
        const PresetRun& run = preset.runs[i];
        cost[i] = (run.train ? run.config.steps : 1) * estimatedSecondsPerStep(run.config, threadsPerRun);
    }
    std::vector<std::size_t> order(preset.runs.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return cost[a] > cost[b]; });
    return order;
}

PresetRunResult trainOne(const PresetRun& run, const DataLocations& data, const PresetRunnerOptions& options)
{
    PresetRunResult result;
    try {
        result.session = std::make_unique<TrainingSession>(run.config, data);
        TerminalProgress progress(run.label, result.session->control(), options.quiet, options.jobs > 1);
        result.metrics = run.train ? result.session->run(&progress, false) : result.session->evaluate(false);
        progress.finish();
        if (options.withLayerClassifier && std::isfinite(result.metrics.finalLoss))
            result.metrics.layerClassifier = result.session->layerClassifier(options.layerClassifierImages);
    } catch (const std::exception& e) {  // il::Error, and LibTorch's c10::Error (e.g. out of memory)
        result.error = e.what();
    }
    return result;
}

}  // namespace

void runPreset(const Preset& preset, const DataLocations& data, const PresetRunnerOptions& options,
               const std::function<void(std::size_t, PresetRunResult&)>& finished)
{
    const int jobs = std::max(1, std::min<int>(options.jobs, static_cast<int>(preset.runs.size())));
    if (jobs > 1) setComputeThreads(std::max(1, coreCount() / jobs));  // before any worker's first op
    const std::deque<std::size_t> initial = [&] {
        const std::vector<std::size_t> order = longestFirst(preset, computeThreads());
        return std::deque<std::size_t>(order.begin(), order.end());
    }();

    if (jobs == 1) {  // in the preset's order: the progress reads like the figure
        for (std::size_t i = 0; i < preset.runs.size() && !interruptRequested(); ++i) {
            std::fprintf(stderr, "[%zu/%zu] %s\n", i + 1, preset.runs.size(), preset.runs[i].label.c_str());
            PresetRunResult result = trainOne(preset.runs[i], data, options);
            finished(i, result);
        }
        return;
    }

    std::mutex mutex;
    std::condition_variable changed;
    std::deque<std::size_t> waiting = initial;
    std::deque<std::pair<std::size_t, PresetRunResult>> done;
    int running = 0;
    std::size_t started = 0;

    auto worker = [&] {
        for (;;) {
            std::size_t index = 0;
            {
                std::lock_guard<std::mutex> lock(mutex);
                if (waiting.empty() || interruptRequested()) return;
                index = waiting.front();
                waiting.pop_front();
                ++running;
                ++started;
                std::fprintf(stderr, "[%zu/%zu] %s started\n", started, preset.runs.size(), preset.runs[index].label.c_str());
            }
            PresetRunResult result = trainOne(preset.runs[index], data, options);
            {
                std::lock_guard<std::mutex> lock(mutex);
                done.emplace_back(index, std::move(result));
                --running;
            }
            changed.notify_all();
        }
    };
    std::vector<std::thread> threads;
    threads.reserve(static_cast<std::size_t>(jobs));
    for (int j = 0; j < jobs; ++j) threads.emplace_back(worker);

    // Results are written here, on the calling thread (figures use Qt's painter), while the
    // workers go on training.
    for (;;) {
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait(lock, [&] { return !done.empty() || (running == 0 && (waiting.empty() || interruptRequested())); });
        if (done.empty()) break;
        auto [index, result] = std::move(done.front());
        done.pop_front();
        lock.unlock();
        finished(index, result);
    }
    for (std::thread& t : threads) t.join();
}

}  // namespace il::cli
