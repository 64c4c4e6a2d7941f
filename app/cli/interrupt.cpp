#include "interrupt.h"

#include <csignal>
#include <unistd.h>

namespace il::cli {

namespace {

volatile std::sig_atomic_t interrupted = 0;

extern "C" void onInterrupt(int)
{
    if (interrupted) _exit(130);
    interrupted = 1;
    const char message[] = "\nstopping after this step (Ctrl-C again to quit at once)\n";
    const ssize_t ignored = write(STDERR_FILENO, message, sizeof message - 1);
    (void)ignored;
}

}  // namespace

void installInterruptHandler()
{
    struct sigaction action {};
    action.sa_handler = onInterrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

bool interruptRequested() { return interrupted != 0; }

}  // namespace il::cli
