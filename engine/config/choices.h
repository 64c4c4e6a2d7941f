#pragma once
// One table per choice of the experiment config (architecture, activation, init, optimiser,
// schedule, residual form, correlation, device): each entry's value, its name in config files,
// its label and tooltip for the GUI, and the settings it uses. The config parser, toString, the
// CLI's help, the experiment panel and the table in docs/config.md all read these tables, so a
// new architecture, init or optimiser is one entry here plus its maths.

#include <string>
#include <vector>

#include "engine/config/experiment_config.h"

namespace il {

// A config setting that only some choices use; the panel shows it only while one of them is
// chosen. Settings no table mentions (depth, lr's schedule, seeds, ...) apply to every choice.
enum class Setting { Width, Channels, KernelSize, ResidualForm, Momentum, Nesterov, Beta1, Beta2, WeightDecay, Lr };
const char* configKey(Setting);  // the config file's key: "width", "kernel_size", "beta2", ...

template <typename Enum>
struct Choice {
    Enum value;
    const char* name;     // in config files and on the command line: "xavier_uniform"
    const char* label;    // in the GUI: "Xavier uniform"
    const char* tooltip;  // one sentence for the GUI and the docs
    std::vector<Setting> uses;

    bool usesSetting(Setting s) const
    {
        for (Setting u : uses)
            if (u == s) return true;
        return false;
    }
};

// The tables, in the enum's order.
const std::vector<Choice<Architecture>>& architectureChoices();
const std::vector<Choice<Activation>>& activationChoices();
const std::vector<Choice<InitScheme>>& initChoices();
const std::vector<Choice<OptimizerKind>>& optimizerChoices();
const std::vector<Choice<Schedule>>& scheduleChoices();
const std::vector<Choice<ResidualForm>>& residualFormChoices();
const std::vector<Choice<CorrelationKind>>& correlationChoices();
const std::vector<Choice<DevicePreference>>& deviceChoices();

// The table of an enum, for code that is written once for every choice.
template <typename Enum>
const std::vector<Choice<Enum>>& choicesOf();
template <>
const std::vector<Choice<Architecture>>& choicesOf<Architecture>();
template <>
const std::vector<Choice<Activation>>& choicesOf<Activation>();
template <>
const std::vector<Choice<InitScheme>>& choicesOf<InitScheme>();
template <>
const std::vector<Choice<OptimizerKind>>& choicesOf<OptimizerKind>();
template <>
const std::vector<Choice<Schedule>>& choicesOf<Schedule>();
template <>
const std::vector<Choice<ResidualForm>>& choicesOf<ResidualForm>();
template <>
const std::vector<Choice<CorrelationKind>>& choicesOf<CorrelationKind>();
template <>
const std::vector<Choice<DevicePreference>>& choicesOf<DevicePreference>();

// The entry of a value; and of a config name, or nullptr. Instantiated in choices.cpp for
// every enum above.
template <typename Enum>
const Choice<Enum>& choiceOf(Enum value);
template <typename Enum>
const Choice<Enum>* findChoice(const std::string& name);
// Every config name of an enum, in the table's order.
template <typename Enum>
std::vector<std::string> choiceNames();

// Whether a setting takes part in a run of this config: a setting some table's entries use
// applies only when the config chooses one of those entries.
bool settingApplies(const ExperimentConfig& config, Setting setting);

// The config key of each table ("architecture", "optimizer", ...) with its accepted names, one
// line each, for the CLI's help.
std::string choicesHelp();
// The Markdown table of every choice, as docs/config.md holds it between its markers
// <!-- choices:begin --> and <!-- choices:end --> (tst_choices checks that it does).
std::string choicesMarkdown();

}  // namespace il
