#pragma once
// Training recipes: named sets of the optimiser settings, the training length and the scale of
// the initial weights, the candidates that docs/reproduction.md ("How often: recipes over seeds")
// measures against the paper's Figure 3. A config names one with the key "recipe"; the recipe
// sets its keys first, and every key the config (or --set) gives explicitly wins over it,
// whatever the order.
// A resolved config (configToJson) lists the keys themselves, not the recipe's name.

#include <string>
#include <vector>

#include "engine/config/experiment_config.h"

namespace il {

struct Recipe {
    const char* name;     // in config files and on the command line: "vanilla"
    const char* summary;  // one sentence for --help, the GUI and docs/config.md
    OptimizerKind optimizer;
    double lr;
    double momentum;
    Schedule schedule;
    int steps;
    double initScale;  // multiplies the init's weights: it sets how long a deep CNN stays near f = 0
};

// Every recipe; the first is the default (what ExperimentConfig's defaults are).
const std::vector<Recipe>& recipes();
const Recipe* findRecipe(const std::string& name);  // nullptr when there is none of that name
std::vector<std::string> recipeNames();

// Sets the recipe's keys (optimizer, lr, momentum, nesterov off, weight decay 0, schedule, steps,
// init_scale).
void applyRecipe(const Recipe&, ExperimentConfig&);
// The recipe whose keys the config has, or nullptr (a config with its own optimiser settings).
const Recipe* recipeOf(const ExperimentConfig&);

}  // namespace il
