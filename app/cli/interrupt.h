#pragma once
// Ctrl-C (SIGINT) and SIGTERM stop training cleanly: the handler only sets a flag (the one
// thing a signal handler may safely do); the training observer polls it between steps and asks
// the session to stop, so what exists is still written. A second Ctrl-C exits at once.

namespace il::cli {

void installInterruptHandler();
bool interruptRequested();

}  // namespace il::cli
