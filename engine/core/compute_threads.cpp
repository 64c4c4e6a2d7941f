#include "engine/core/compute_threads.h"

#include <atomic>
#include <thread>

#include "engine/core/torch.h"

namespace il {

namespace {
std::atomic<bool> configured{false};
}

int coreCount()
{
    const unsigned n = std::thread::hardware_concurrency();
    return n > 0 ? static_cast<int>(n) : 1;
}

void setComputeThreads(int threads)
{
    torch::set_num_threads(threads > 0 ? threads : coreCount());
    configured.store(true);
}

void ensureComputeThreadsConfigured()
{
    if (!configured.exchange(true)) torch::set_num_threads(coreCount());
}

int computeThreads() { return torch::get_num_threads(); }

}  // namespace il
