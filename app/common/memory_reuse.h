#pragma once
// glibc's malloc gives each thread that allocates its own arena, made of heaps of at most 64 MiB
// that are unmapped as soon as they are empty. A CNN training step allocates its transformed
// convolution buffers (1-2 MiB each, tens of MiB a step for a 20-layer CNN) and frees them again; on a
// thread whose arena could not hold a step, every step mapped fresh heaps and faulted their pages
// in anew: two 20-layer sweep jobs side by side trained at 7.0 and 3.1-3.5 steps/s, the slow one
// taking 12,000-27,000 page faults a second. With one arena, grown by brk and trimmed only when
// much is free, a step reuses the last step's memory and both jobs train at 7.3-8.1 steps/s.

namespace il::app {

// Call first thing in main(), before any thread starts: a thread that has allocated before keeps
// an arena of its own, which later threads may be handed. A no-op where the C library is not glibc.
void keepFreedMemoryForReuse();

}  // namespace il::app
