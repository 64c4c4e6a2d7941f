#pragma once
// How many CPU threads LibTorch uses. Debian's LibTorch starts with one intra-op thread; the
// engine uses every core unless the user (or the benchmark) chose a number.

namespace il {

void setComputeThreads(int threads);    // <= 0: one per core
void ensureComputeThreadsConfigured();  // one per core, unless setComputeThreads was called
int computeThreads();
int coreCount();  // the CPUs this process may run on (its affinity mask), at least 1

}  // namespace il
