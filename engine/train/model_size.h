#pragma once
// Parameter counts by formula and a memory estimate for training, checked before any run
// starts so that an impossible model is refused with a reason instead of crashing.

#include <cstdint>
#include <string>

#include "engine/config/experiment_config.h"

namespace il {

struct ModelSize {
    long long weights = 0;
    long long biases = 0;
    long long parameters() const { return weights + biases; }
    std::int64_t trainingBytes = 0;  // parameters, gradients, optimiser state, activations, workspace
    std::string summary() const;     // "1,235,200 weights + 513 biases; ~24 MB to train"
};

ModelSize estimateModelSize(const ExperimentConfig&);

// Nominal FLOPs of one training step (forward 2 x MACs, backward twice that), as the Python
// bench counts them.
double flopsPerStep(const ExperimentConfig&);
// A rough wall-clock estimate of one step on this kind of CPU, from measured rates on a
// 2-core machine (docs/performance.md): convolutions near the oneDNN peak, FCNs bound by
// memory traffic and per-step overhead. For --list's time estimates, not for decisions.
double estimatedSecondsPerStep(const ExperimentConfig&, int threads);

// The memory training needs at the least, by the generic algorithm: weights, their gradients,
// the optimiser's buffers, and the one output per layer that backpropagation keeps (for the
// batch of one step). bench --memory compares the measured peak with it.
struct TrainingMemoryNeed {
    std::int64_t weights = 0, gradients = 0, optimizerState = 0, activations = 0;
    std::int64_t total() const { return weights + gradients + optimizerState + activations; }
};
TrainingMemoryNeed trainingMemoryNeed(const ExperimentConfig&);

// glibc hands blocks above its (adaptive) mmap threshold back to the system when they are freed,
// so a step that frees its gradients and allocates them again takes page faults for every
// byte of them: on the generic FCN path that was 9,500 faults and a third of the time per step.
// This keeps blocks up to 32 MB in the heap and 256 MB of free heap before trimming; the
// variables MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_ and GLIBC_TUNABLES, when set, win.
// Once per process; a no-op without glibc.
void configureAllocatorForTraining();
// Gives the free heap back to the system (malloc_trim), e.g. when a session ends.
void releaseFreeMemory();

// This process's resident memory now and at its peak (VmRSS, VmHWM), in bytes; 0 if unknown.
std::int64_t residentBytes();
std::int64_t peakResidentBytes();

// Physical memory of this machine (bytes), 0 if unknown.
std::int64_t physicalMemoryBytes();

// Throws ResourceError when the estimate exceeds what the machine can give (80 % of RAM).
void requireFitsInMemory(const ModelSize&, std::int64_t availableBytes = physicalMemoryBytes());

std::string formatBytes(std::int64_t bytes);
std::string formatCount(long long n);  // 1,235,200

}  // namespace il
