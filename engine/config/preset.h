#pragma once
// A preset: one of the paper's figures as data (resources/presets/NAME.json): a set of runs
// (a base config plus per-run overrides) and the kind of figure that shows them. The CLI's
// `reproduce` and the GUI's Presets menu read the same files.

#include <string>
#include <vector>

#include "engine/config/experiment_config.h"
#include "engine/io/json.h"

namespace il {

enum class PresetFigure { ProbeGrid, Rho, Activations, LayerClassifier };

struct PresetRun {
    std::string label;
    ExperimentConfig config;         // base + overrides, validated
    bool train = true;               // false: evaluate at random init (the paper's "20rnd")
    bool slow = false;               // marked as slow on a CPU in listings
    std::vector<int> evaluateSizes;  // extra probe sizes (image-size preset); empty = training size
};

struct Preset {
    std::string name;
    std::string title;
    std::string description;
    PresetFigure figure = PresetFigure::ProbeGrid;
    std::string requires;  // "cifar10": needs the user's CIFAR-10 folder
    int layerClassifierImages = 500;
    std::vector<PresetRun> runs;
};

Preset presetFromJson(const json::Value& root, const std::string& nameForMessages);  // throws ConfigError
Preset loadPreset(const std::string& path);                                          // throws DataError / ConfigError
std::string presetPath(const std::string& resourcesDir, const std::string& name);
std::vector<std::string> presetNames(const std::string& resourcesDir);  // sorted
const char* toString(PresetFigure);

}  // namespace il
