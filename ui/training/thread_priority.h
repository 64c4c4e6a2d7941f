#pragma once
// The training thread yields to the GUI thread. On two cores the training thread and its
// OpenMP helpers hold every core; at equal priority the kernel lets them finish their slice
// before the GUI thread runs, and a GUI thread preempted that way sat 5-15 ms runnable but not
// running while the user drew (perf sched trace, docs/performance.md "The GUI"). A lower
// priority for the training threads makes the GUI thread, which needs little CPU, win
// each wake-up, so the window answers at once; the training loses only what the GUI uses.

namespace il::ui {

// Lowers the calling thread's scheduling priority (Linux: nice +kTrainingNice for this thread
// only; the OpenMP threads it creates later inherit it). Call on the training thread before its
// first tensor operation. Best effort: where the system refuses, nothing changes.
void lowerCurrentThreadPriority();

// Asks the kernel for short time slices for the calling thread (the GUI thread): Linux 6.12's
// EEVDF scheduler lets a waking thread with a shorter slice preempt the running one at once,
// instead of at the running thread's slice end or the next tick (up to 4-5 ms measured).
// Older kernels ignore the request; best effort, like the above.
void requestShortTimeSlices();

}  // namespace il::ui
