#pragma once
// The subcommands of identitylab-cli. Each takes its own arguments (after the command name)
// and returns the process exit code: 0 success, 1 failure of the run, 2 bad usage or input,
// 130 interrupted.

#include <QStringList>

namespace il::cli {

int trainCommand(const QStringList& arguments);
int benchCommand(const QStringList& arguments);
int reproduceCommand(const QStringList& arguments);
int exportCommand(const QStringList& arguments);

enum ExitCode { ExitOk = 0, ExitFailed = 1, ExitUsage = 2, ExitInterrupted = 130 };

}  // namespace il::cli
