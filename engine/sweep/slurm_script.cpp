#include "engine/sweep/slurm_script.h"

#include <algorithm>
#include <cctype>

#include "engine/core/errors.h"

namespace il {

std::string slurmArraySpec(std::vector<int> indices)
{
    std::sort(indices.begin(), indices.end());
    indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
    std::string spec;
    for (std::size_t i = 0; i < indices.size();) {
        std::size_t j = i;
        while (j + 1 < indices.size() && indices[j + 1] == indices[j] + 1) ++j;
        if (!spec.empty()) spec += ",";
        spec += std::to_string(indices[i]);
        if (j > i) spec += "-" + std::to_string(indices[j]);
        i = j + 1;
    }
    return spec;
}

std::string shellQuoted(const std::string& word)
{
    const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || std::string("/._-=:,+@%").find(c) != std::string::npos;
    });
    if (plain) return word;
    std::string quoted = "'";
    for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

std::string slurmScriptText(const SlurmScript& script)
{
    if (script.tasks.empty()) throw ConfigError("the job array has no tasks: every task of the sweep is finished");
    std::string text = "#!/bin/bash\n";
    text += "# The sweep " + script.sweepDir + " as a Slurm job array: one array task per plan task.\n";
    text += "# Written by identitylab-cli sweep --slurm; submit it with sbatch (or sweep --submit).\n";
    text += "#SBATCH --job-name=" + script.jobName + "\n";
    text += "#SBATCH --array=" + slurmArraySpec(script.tasks) + "\n";
    text += "#SBATCH --output=" + script.sweepDir + "/logs/task-%a.out\n";
    for (const std::string& option : script.sbatchOptions) {
        if (option.empty() || option[0] != '-' || option.find('\n') != std::string::npos)
            throw ConfigError("an sbatch option must start with - and fit on one line, not \"" + option + "\"");
        text += "#SBATCH " + option + "\n";
    }
    text += "set -eu\n";
    text += "# As many compute threads as CPUs Slurm gave the task (--cpus-per-task), one without it.\n";
    text += "exec " + shellQuoted(script.executable) + " sweep " + shellQuoted(script.sweepDir + "/plan.json") + " --out " +
            shellQuoted(script.sweepDir) + " --task \"$SLURM_ARRAY_TASK_ID\" --threads \"${SLURM_CPUS_PER_TASK:-1}\"";
    for (const std::string& argument : script.taskArguments) text += " " + shellQuoted(argument);
    return text + "\n";
}

}  // namespace il
