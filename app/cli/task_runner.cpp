#include "task_runner.h"

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

#include "engine/core/compute_device.h"
#include "engine/core/compute_threads.h"
#include "engine/core/errors.h"
#include "engine/train/model_size.h"
#include "interrupt.h"
#include "terminal_progress.h"

namespace il::cli {

int defaultJobs(std::size_t trainedRuns, bool cuda)
{
    if (cuda || trainedRuns < 2) return 1;
    return std::max(1, std::min(coreCount(), static_cast<int>(trainedRuns)));
}

int defaultJobs(const std::vector<const PlanTask*>& tasks)
{
    std::size_t trainedRuns = 0;
    for (const PlanTask* t : tasks) trainedRuns += t->options.train ? 1 : 0;
    // A run that may land on the GPU: one at a time there (the cores only feed it).
    const bool cuda = cudaAvailable() &&
                      std::any_of(tasks.begin(), tasks.end(), [](const PlanTask* t) { return t->config.device != DevicePreference::Cpu; });
    return defaultJobs(trainedRuns, cuda);
}

namespace {

// Longest first (estimated from the FLOPs), so that the runs still going at the end are short.
std::vector<std::size_t> longestFirst(const std::vector<const PlanTask*>& tasks, int threadsPerRun)
{
    std::vector<double> cost(tasks.size());
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        const PlanTask& task = *tasks[i];
        cost[i] = (task.options.train ? task.config.steps : 1) * estimatedSecondsPerStep(task.config, threadsPerRun);
    }
    std::vector<std::size_t> order(tasks.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return cost[a] > cost[b]; });
    return order;
}

TaskRunResult trainOne(const PlanTask& task, const DataLocations& data, const TaskRunnerOptions& options)
{
    TaskRunResult result;
    try {
        result.session = std::make_unique<TrainingSession>(task.config, data);
        TerminalProgress progress(task.label, result.session->control(), options.quiet, options.jobs > 1);
        result.metrics = task.options.train ? result.session->run(&progress, false) : result.session->evaluate(false);
        progress.finish();
        if (options.withLayerClassifier && std::isfinite(result.metrics.finalLoss))
            result.metrics.layerClassifier = result.session->layerClassifier(options.layerClassifierImages);
    } catch (const std::exception& e) {  // il::Error, and LibTorch's c10::Error (e.g. out of memory)
        result.error = e.what();
    }
    return result;
}

}  // namespace

void runTasks(const std::vector<const PlanTask*>& tasks, const DataLocations& data, const TaskRunnerOptions& options,
              const std::function<void(const PlanTask&, TaskRunResult&)>& finished)
{
    const int jobs = std::max(1, std::min<int>(options.jobs, static_cast<int>(tasks.size())));
    if (jobs > 1) setComputeThreads(std::max(1, coreCount() / jobs));  // before any worker's first op
    const std::deque<std::size_t> initial = [&] {
        const std::vector<std::size_t> order = longestFirst(tasks, computeThreads());
        return std::deque<std::size_t>(order.begin(), order.end());
    }();

    if (jobs == 1) {  // in the plan's order: the progress reads like the figure
        for (std::size_t i = 0; i < tasks.size() && !interruptRequested(); ++i) {
            if (!options.quiet) std::fprintf(stderr, "[%zu/%zu] %s\n", i + 1, tasks.size(), tasks[i]->label.c_str());
            TaskRunResult result = trainOne(*tasks[i], data, options);
            finished(*tasks[i], result);
        }
        return;
    }

    std::mutex mutex;
    std::condition_variable changed;
    std::deque<std::size_t> waiting = initial;
    std::deque<std::pair<std::size_t, TaskRunResult>> done;
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
                if (!options.quiet) std::fprintf(stderr, "[%zu/%zu] %s started\n", started, tasks.size(), tasks[index]->label.c_str());
            }
            TaskRunResult result = trainOne(*tasks[index], data, options);
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

    // Results are written here, on the calling thread (figures use Qt's painter where the build
    // has it), while the workers go on training.
    for (;;) {
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait(lock, [&] { return !done.empty() || (running == 0 && (waiting.empty() || interruptRequested())); });
        if (done.empty()) break;
        auto [index, result] = std::move(done.front());
        done.pop_front();
        lock.unlock();
        finished(*tasks[index], result);
    }
    for (std::thread& t : threads) t.join();
}

}  // namespace il::cli
