#include "memory_reuse.h"

#include <cstdlib>  // defines __GLIBC__ (through <features.h>) where the C library is glibc

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace il::app {

void keepFreedMemoryForReuse()
{
#if defined(__GLIBC__)
    constexpr int kMiB = 1024 * 1024;
    mallopt(M_ARENA_MAX, 1);                // every thread allocates from the one brk heap
    mallopt(M_MMAP_THRESHOLD, 32 * kMiB);  // blocks up to 32 MiB come from that heap, not from fresh mappings
    mallopt(M_TRIM_THRESHOLD, 256 * kMiB);  // and go back to the system only when 256 MiB lie free at its end
#endif
}

}  // namespace il::app
