#pragma once
// The Slurm job array of a sweep (identitylab-cli sweep --slurm): one array task per plan task
// not yet finished, each running `identitylab-cli sweep DIR/plan.json --out DIR --task
// $SLURM_ARRAY_TASK_ID` on the CPUs Slurm gives it. docs/cluster.md shows it in use.

#include <string>
#include <vector>

namespace il {

// "0-3,5,7-9": the indices (sorted, distinct) as sbatch's --array wants them.
std::string slurmArraySpec(std::vector<int> indices);

struct SlurmScript {
    std::string jobName;                     // "identitylab-fcn-depth"
    std::string executable;                  // identitylab-cli, an absolute path
    std::string sweepDir;                    // absolute
    std::vector<int> tasks;                  // the array's indices
    std::vector<std::string> sbatchOptions;  // each one "#SBATCH" line, e.g. "--partition=gpu"
    std::vector<std::string> taskArguments;  // passed on to every task, e.g. "--checkpoints"
};

// The script's text. Throws ConfigError for an sbatch option that does not start with "-" or
// spans lines, and for no tasks.
std::string slurmScriptText(const SlurmScript& script);

// Quotes a word for a POSIX shell: 'it'\''s'.
std::string shellQuoted(const std::string& word);

}  // namespace il
