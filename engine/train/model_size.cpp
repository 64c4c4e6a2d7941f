#include "engine/train/model_size.h"

#include <sys/resource.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <sstream>

#include "engine/core/errors.h"
#include "engine/nn/training_path.h"
#include "engine/nn/winograd_conv.h"

namespace il {

namespace {

struct Layer {
    long long in, out;
};

// The same layer list as nn::layerPlan, in plain arithmetic, so the GUI can show counts and
// memory for any config without building a network.
std::vector<Layer> weightLayers(const ExperimentConfig& c)
{
    const long long io = c.isConvolutional() ? c.imageChannels() : c.inputFeatures();
    const long long hidden = c.isConvolutional() ? c.channels : c.width;
    std::vector<Layer> layers;
    if (!c.isResidual() || c.residualNeedsPlainEnds()) {
        for (int i = 0; i < c.depth; ++i) layers.push_back({i == 0 ? io : hidden, i == c.depth - 1 ? io : hidden});
    } else {
        for (int i = 0; i < c.depth; ++i) layers.push_back({hidden, hidden});
    }
    return layers;
}

}  // namespace

ModelSize estimateModelSize(const ExperimentConfig& c)
{
    ModelSize s;
    const long long k2 = c.isConvolutional() ? static_cast<long long>(c.kernelSize) * c.kernelSize : 1;
    const long long pixels = static_cast<long long>(c.imageSize) * c.imageSize;
    const long long examples = c.trainIndices.empty() ? c.trainCount : static_cast<long long>(c.trainIndices.size());
    const long long batch = std::max<long long>(1, c.batchSize > 0 ? std::min<long long>(c.batchSize, examples) : examples);
    long long activationFloats = 0;
    long long largestLayerFloats = 0;
    for (const Layer& l : weightLayers(c)) {
        s.weights += l.in * l.out * k2;
        if (c.bias) s.biases += l.out;
        // Forward keeps each layer's pre- and post-activation output for backward.
        const long long outFloats = (c.isConvolutional() ? l.out * pixels : l.out) * batch;
        activationFloats += 2 * outFloats;
        largestLayerFloats = std::max(largestLayerFloats, outFloats);
    }
    // Parameters, gradients and up to two optimiser buffers (Adam's moments).
    const int optimizerBuffers = c.optimizer == OptimizerKind::Sgd                                                ? (c.momentum > 0 ? 1 : 0)
                                 : c.optimizer == OptimizerKind::Adagrad || c.optimizer == OptimizerKind::RmsProp ? 1
                                                                                                                  : 2;
    const long long parameterFloats = s.parameters() * (2 + optimizerBuffers);
    // Convolution workspace (im2col) and gradient buffers of the widest layer, plus evaluation
    // of the probe batch (about 32 images) at the widest layer.
    const long long workspaceFloats = 4 * largestLayerFloats * k2 / std::max<long long>(1, batch) + 32 * largestLayerFloats * 2;
    s.trainingBytes = 4 * (parameterFloats + activationFloats + workspaceFloats);
    return s;
}

namespace {

long long batchRows(const ExperimentConfig& c)
{
    const long long examples = c.trainIndices.empty() ? c.trainCount : static_cast<long long>(c.trainIndices.size());
    return std::max<long long>(1, c.batchSize > 0 ? std::min<long long>(c.batchSize, examples) : examples);
}

int optimizerBuffers(const ExperimentConfig& c)
{
    switch (c.optimizer) {
        case OptimizerKind::Sgd:
            return c.momentum > 0 ? 1 : 0;
        case OptimizerKind::RmsProp:
        case OptimizerKind::Adagrad:
            return 1;
        case OptimizerKind::Adam:
        case OptimizerKind::Adamax:
            return 2;
    }
    return 2;
}

// "VmHWM:   123456 kB" -> bytes.
std::int64_t procStatusBytes(const char* key)
{
    std::FILE* f = std::fopen("/proc/self/status", "r");
    if (!f) return 0;
    char line[256];
    std::int64_t bytes = 0;
    const std::size_t keyLength = std::strlen(key);
    while (std::fgets(line, sizeof line, f)) {
        if (std::strncmp(line, key, keyLength) == 0 && line[keyLength] == ':') {
            bytes = std::atoll(line + keyLength + 1) * 1024;
            break;
        }
    }
    std::fclose(f);
    return bytes;
}

}  // namespace

TrainingMemoryNeed trainingMemoryNeed(const ExperimentConfig& c)
{
    TrainingMemoryNeed need;
    const ModelSize size = estimateModelSize(c);
    need.weights = 4 * size.parameters();
    need.gradients = need.weights;
    need.optimizerState = need.weights * optimizerBuffers(c);
    const long long pixels = c.isConvolutional() ? static_cast<long long>(c.imageSize) * c.imageSize : 1;
    long long floats = c.isConvolutional() ? c.imageChannels() * pixels : c.inputFeatures();  // the input
    for (const Layer& l : weightLayers(c)) floats += l.out * pixels;
    need.activations = 4 * floats * batchRows(c);
    return need;
}

void configureAllocatorForTraining()
{
#if defined(__GLIBC__)
    static std::once_flag once;
    std::call_once(once, [] {
        if (std::getenv("MALLOC_MMAP_THRESHOLD_") || std::getenv("MALLOC_TRIM_THRESHOLD_") || std::getenv("GLIBC_TUNABLES")) return;
        mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);  // glibc's largest
        mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
    });
#endif
}

void releaseFreeMemory()
{
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

std::int64_t residentBytes() { return procStatusBytes("VmRSS"); }

std::int64_t peakResidentBytes()
{
    if (const std::int64_t hwm = procStatusBytes("VmHWM"); hwm > 0) return hwm;
    rusage usage{};
    return getrusage(RUSAGE_SELF, &usage) == 0 ? static_cast<std::int64_t>(usage.ru_maxrss) * 1024 : 0;
}

double flopsPerStep(const ExperimentConfig& c)
{
    const double k2 = c.isConvolutional() ? static_cast<double>(c.kernelSize) * c.kernelSize : 1.0;
    const double pixels = c.isConvolutional() ? static_cast<double>(c.imageSize) * c.imageSize : 1.0;
    const double batch =
        c.batchSize > 0 ? c.batchSize : (c.trainIndices.empty() ? c.trainCount : static_cast<double>(c.trainIndices.size()));
    double macs = 0.0;
    for (const Layer& l : weightLayers(c)) macs += static_cast<double>(l.in) * static_cast<double>(l.out) * k2 * pixels;
    return 3.0 * 2.0 * macs * std::max(1.0, batch);
}

namespace {

// flopsPerStep, with the layers Winograd convolution serves on the CPU counted at what they cost
// in direct-convolution time (engine/nn/winograd_conv.h).
double cpuEquivalentFlopsPerStep(const ExperimentConfig& c)
{
    const double flops = flopsPerStep(c);
    if (!c.isConvolutional()) return flops;
    const double k2 = static_cast<double>(c.kernelSize) * c.kernelSize;
    double all = 0.0, served = 0.0;
    for (const Layer& l : weightLayers(c)) {
        const double macs = static_cast<double>(l.in) * static_cast<double>(l.out) * k2;
        all += macs;
        if (nn::winogradServesLayer(c.kernelSize, l.in, l.out)) served += macs;
    }
    if (all <= 0.0) return flops;
    return flops * (1.0 - served / all + served / all / nn::kWinogradMeasuredSpeedup);
}

}  // namespace

double estimatedSecondsPerStep(const ExperimentConfig& c, int threads)
{
    const double cores = std::max(1, std::min(threads, 2));
    const double parameters = static_cast<double>(estimateModelSize(c).parameters());
    if (nn::chooseTrainingPath(c) == nn::TrainingPath::FusedFcn) {
        // The fused FCN step moves 20 bytes per weight (docs/performance.md); about 20 GB/s
        // from memory on the 2-core machine, more while the weights fit in the L3 cache.
        return flopsPerStep(c) / (1e10 * cores) + 20.0 * parameters / 2e10 + 1.5e-5 * c.depth;
    }
    // Measured on 2 cores: CNN 5x128 ~13 ms a step, FCN 3x784 ~1.5 ms (docs/performance.md).
    const double flopRate = (c.isConvolutional() ? 2.4e11 : 6e10) * cores;
    const double bytes = 4.0 * 4.0 * parameters;  // read w, g, m; write w, m
    const double overhead = 1.2e-4 * c.depth;
    return cpuEquivalentFlopsPerStep(c) / flopRate + bytes / 8e9 + overhead;
}

std::int64_t physicalMemoryBytes()
{
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long pageSize = sysconf(_SC_PAGE_SIZE);
    if (pages <= 0 || pageSize <= 0) return 0;
    return static_cast<std::int64_t>(pages) * pageSize;
}

void requireFitsInMemory(const ModelSize& size, std::int64_t availableBytes)
{
    if (availableBytes <= 0) return;  // unknown: do not refuse
    const std::int64_t limit = availableBytes / 10 * 8;
    if (size.trainingBytes > limit)
        throw ResourceError("this model needs about " + formatBytes(size.trainingBytes) + " to train, more than this machine can give (" +
                            formatBytes(limit) + " of " + formatBytes(availableBytes) + "); use fewer layers, channels or a smaller image");
}

std::string formatBytes(std::int64_t bytes)
{
    const char* units[] = {"B", "KB", "MB", "GB", "TB"};
    double v = static_cast<double>(bytes);
    int u = 0;
    while (v >= 1024.0 && u < 4) {
        v /= 1024.0;
        ++u;
    }
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
    return buffer;
}

std::string formatCount(long long n)
{
    std::string digits = std::to_string(n < 0 ? -n : n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return n < 0 ? "-" + out : out;
}

std::string ModelSize::summary() const
{
    std::ostringstream s;
    s << formatCount(weights) << " weights";
    if (biases > 0) s << " + " << formatCount(biases) << " biases";
    s << "; about " << formatBytes(trainingBytes) << " to train";
    return s.str();
}

}  // namespace il
