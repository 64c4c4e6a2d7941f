#pragma once
// LibTorch's and OpenBLAS's OpenMP threads busy-wait between parallel regions by default. When
// the cores are shared (the GUI thread drawing, a compiler, another app), a spinning thread
// waits for one the scheduler has parked, and every small operation stalls: an FCN step measured
// 7x slower with 2 threads than with 1 on a loaded 2-core machine, and as fast as 1 thread with
// OMP_WAIT_POLICY=PASSIVE. libgomp reads the variable when it is loaded, before main(), so the
// program re-executes itself once with the variable set. A value the user set is respected.

namespace il::app {

// Call first thing in main(). Returns only if no re-execution was needed or it failed.
void ensurePassiveOpenMpWaiting(char** argv);

}  // namespace il::app
