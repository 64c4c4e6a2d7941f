#include "openmp_wait_policy.h"

#include <unistd.h>

#include <cstdlib>

namespace il::app {

void ensurePassiveOpenMpWaiting(char** argv)
{
    if (std::getenv("OMP_WAIT_POLICY") != nullptr) return;  // the user's choice, or already re-executed
    if (setenv("OMP_WAIT_POLICY", "PASSIVE", 1) != 0) return;
    execv("/proc/self/exe", argv);
    // exec failed (no /proc): run on with the default policy.
}

}  // namespace il::app
