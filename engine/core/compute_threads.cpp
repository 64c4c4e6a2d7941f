#include "engine/core/compute_threads.h"

#include <atomic>
#include <thread>

#if defined(__linux__)
#include <sched.h>
#endif

#include "engine/core/torch.h"

namespace il {

namespace {
std::atomic<bool> configured{false};
}

int coreCount()
{
#if defined(__linux__)
    // The CPUs this process may run on: taskset, numactl, a container's cpuset and Slurm's task
    // binding all narrow it, and hardware_concurrency() (every online CPU) ignores them, which
    // would start one thread per CPU of the whole node on a few cores.
    cpu_set_t allowed;
    CPU_ZERO(&allowed);
    if (sched_getaffinity(0, sizeof allowed, &allowed) == 0) {
        const int n = CPU_COUNT(&allowed);
        if (n > 0) return n;
    }
#endif
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
