#pragma once
// Runs another program and collects its standard output, with POSIX calls only (no Qt): the
// Python peer of `bench --compare`, the child processes of `bench --memory`, and `sbatch` for
// `sweep --submit`. Its standard error goes to ours, so the user sees its messages.

#include <string>
#include <vector>

namespace il::cli {

struct ChildResult {
    bool started = false;  // false: the program could not be run (not found, not executable)
    int exitCode = -1;     // -1 when it was killed by a signal
    std::string output;    // everything it wrote to standard output
};

// argv[0] is the program, looked up on PATH when it has no slash.
ChildResult runChild(const std::vector<std::string>& argv);

// This executable's path (/proc/self/exe), to start a child of ourselves.
std::string selfExecutable();

}  // namespace il::cli
