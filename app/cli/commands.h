#pragma once
// The subcommands of identitylab-cli. Each takes its own arguments (after the command name)
// and returns the process exit code: 0 success, 1 failure of a run (or an incomplete sweep in
// collect), 2 bad usage or input, 130 interrupted.

#include <string>
#include <vector>

namespace il::cli {

using ArgumentList = std::vector<std::string>;

int trainCommand(const ArgumentList& arguments);
int benchCommand(const ArgumentList& arguments);
int sweepCommand(const ArgumentList& arguments);
int collectCommand(const ArgumentList& arguments);
int reproduceCommand(const ArgumentList& arguments);
int exportCommand(const ArgumentList& arguments);  // app/cli/qt: the .ilrun format is Qt's

enum ExitCode { ExitOk = 0, ExitFailed = 1, ExitUsage = 2, ExitInterrupted = 130 };

}  // namespace il::cli
