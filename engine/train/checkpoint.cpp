#include "engine/train/checkpoint.h"

#include "engine/core/errors.h"
#include "engine/io/atomic_file.h"

namespace il {

void saveCheckpoint(const std::string& path, const nn::Network& network, const nn::Optimizer& optimizer, const TrainingProgress& progress)
{
    torch::serialize::OutputArchive archive;
    torch::serialize::OutputArchive model, optimizerState;
    network->save(model);
    optimizer.save(optimizerState);
    archive.write("model", model);
    archive.write("optimizer", optimizerState);
    archive.write("steps_done", torch::tensor(static_cast<int64_t>(progress.stepsDone)));
    std::vector<double> loss, lr;
    for (const LossPoint& p : progress.losses) {
        loss.push_back(p.loss);
        lr.push_back(p.lr);
    }
    archive.write("loss", torch::tensor(loss, torch::kFloat64));
    archive.write("lr", torch::tensor(lr, torch::kFloat64));
    if (progress.initialWeight.defined()) archive.write("initial_weight", progress.initialWeight);
    if (progress.initialBias.defined()) archive.write("initial_bias", progress.initialBias);
    // Written through the engine's atomic writer, not LibTorch's file writer: that one throws
    // again from its destructor when a write fails (a full disk), which ends the process
    // (std::terminate). The sink remembers a failed write and LibTorch is told it succeeded;
    // the error is reported after.
    const std::string what = "the checkpoint " + path;
    writeFileAtomic(
        path,
        [&](const ByteSink& sink) {
            try {
                archive.save_to([&](const void* data, std::size_t size) -> std::size_t {
                    sink(data, size);
                    return size;
                });
            } catch (const c10::Error& e) {
                throw Error("cannot write " + what + ": " + e.what_without_backtrace());
            }
        },
        what);
}

TrainingProgress loadCheckpoint(const std::string& path, torch::Device device, nn::Network& network, nn::Optimizer& optimizer)
{
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(path, device);
        torch::serialize::InputArchive model, optimizerState;
        archive.read("model", model);
        archive.read("optimizer", optimizerState);
        network->load(model);
        optimizer.load(optimizerState);
        torch::Tensor steps, loss, lr;
        archive.read("steps_done", steps);
        archive.read("loss", loss);
        archive.read("lr", lr);
        TrainingProgress progress;
        progress.stepsDone = static_cast<int>(steps.item<int64_t>());
        const auto lossCpu = loss.to(torch::kCPU), lrCpu = lr.to(torch::kCPU);
        for (int64_t i = 0; i < lossCpu.numel(); ++i)
            progress.losses.push_back({static_cast<int>(i), lossCpu[i].item<double>(), lrCpu[i].item<double>()});
        torch::Tensor w0, b0;
        if (archive.try_read("initial_weight", w0)) progress.initialWeight = w0.to(torch::kCPU);
        if (archive.try_read("initial_bias", b0)) progress.initialBias = b0.to(torch::kCPU);
        return progress;
    } catch (const c10::Error& e) {
        throw DataError("cannot read the checkpoint " + path +
                        " (it does not match this config or is damaged): " + e.what_without_backtrace());
    }
}

}  // namespace il
