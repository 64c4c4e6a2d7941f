#pragma once
// ExperimentConfig <-> JSON. Missing keys fall back to the defaults of ExperimentConfig (the
// reproduction recipe); unknown keys and wrong types are errors, so typos do not silently run
// the wrong experiment.

#include <string>
#include <vector>

#include "engine/config/experiment_config.h"
#include "engine/io/json.h"

namespace il {

ExperimentConfig configFromJson(const json::Value&);       // throws ConfigError
json::Value configToJson(const ExperimentConfig&);         // fully resolved, every key
ExperimentConfig loadConfigFile(const std::string& path);  // throws DataError / ConfigError

// Applies "key=value" overrides (the CLI's --set); the value is parsed as JSON when it parses,
// else taken as a string, so --set architecture=cnn and --set lr=0.02 both work.
void applyOverride(json::Value& config, const std::string& assignment);

}  // namespace il
