#pragma once
// The process's resident memory, for the stress tests' "no growth" check. Freed memory is
// handed back first (glibc's malloc_trim; the sanitizers' allocators purge their quarantine),
// so what is measured is what is still in use, not what an allocator keeps for reuse.

#include <malloc.h>
#include <unistd.h>

#include <cstdio>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define IL_TEST_ASAN 1
#endif
#if __has_feature(thread_sanitizer)
#define IL_TEST_TSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define IL_TEST_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__)
#define IL_TEST_TSAN 1
#endif
#if defined(IL_TEST_ASAN) || defined(IL_TEST_TSAN)
#define IL_TEST_SANITIZED_ALLOCATOR 1
#endif
#ifdef IL_TEST_ASAN
#include <sanitizer/allocator_interface.h>  // __sanitizer_purge_allocator (ASan's runtime has it, TSan's not)
#endif

namespace il::test {

// How the stress tests judge "no growth": the resident set is taken after a warm-up and at the
// end, and may grow by at most `kAllowedGrowthPerCycle` bytes per cycle in between. A leak of
// one tiny session per cycle (network, optimiser state, probe images) is ~30-40 KiB, far above.
#ifdef IL_TEST_SANITIZED_ALLOCATOR
// The sanitizers' allocators fill their quarantine over the first few hundred cycles, and keep
// a record of every thread that ever ran (~2 KiB each; the stress tests start one per cycle):
// measured +0.5 MiB per 250 cycles after the warm-up, with LeakSanitizer finding no leak.
constexpr int kWarmUpCycles = 250;
constexpr double kAllowedGrowthPerCycle = 16 * 1024;
#else
constexpr int kWarmUpCycles = 50;
constexpr double kAllowedGrowthPerCycle = 4 * 1024;
#endif

inline long long residentBytesAfterTrim()
{
#ifdef IL_TEST_ASAN
    __sanitizer_purge_allocator();
#endif
    malloc_trim(0);
    long long pages = 0, resident = 0;
    if (std::FILE* f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%lld %lld", &pages, &resident) != 2) resident = 0;
        std::fclose(f);
    }
    return resident * static_cast<long long>(sysconf(_SC_PAGESIZE));
}

}  // namespace il::test
