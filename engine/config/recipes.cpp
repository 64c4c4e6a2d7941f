#include "engine/config/recipes.h"

#include "engine/config/config_json.h"

namespace il {

const std::vector<Recipe>& recipes()
{
    // docs/reproduction.md ("How often: recipes over seeds") has each recipe's measured outcome
    // fractions per depth; the default is the one that scores best there. Its values are
    // ExperimentConfig's defaults, read from there so that the two cannot drift apart.
    static const ExperimentConfig defaults;
    static const std::vector<Recipe> list = {
        {"gentle",
         "SGD at lr 0.005 with momentum 0.95 from Xavier weights x0.75, x0.2 at 30, 60 and 80 % of 3000 full-batch steps: "
         "the default. Deep CNNs leave the f = 0 plateau late and memorise; the momentum keeps the shallow ones converging.",
         defaults.optimizer, defaults.lr, defaults.momentum, defaults.schedule, defaults.steps, defaults.initScale},
        {"slow",
         "SGD at lr 0.005 with momentum 0.9 from Xavier weights x0.8, x0.2 at 30, 60 and 80 % of 3000 full-batch steps: "
         "20-layer constants in most seeds, but the shallow CNNs converge at half the default's speed and copy fine patterns worse.",
         OptimizerKind::Sgd, 0.005, 0.9, Schedule::Step, 3000, 0.8},
        {"momentum",
         "SGD with momentum 0.9 at lr 0.01, x0.2 at 30, 60 and 80 % of 3000 full-batch steps: most 20-layer CNNs leave the "
         "plateau early and fit the input's edges. The presets other than cnn-depth, activations and cifar10 use it.",
         OptimizerKind::Sgd, 0.01, 0.9, Schedule::Step, 3000, 1.0},
        {"momentum-1200",
         "The momentum recipe for 1200 steps: 2.5x faster, but most 20-layer CNNs are still on the f = 0 plateau when it ends.",
         OptimizerKind::Sgd, 0.01, 0.9, Schedule::Step, 1200, 1.0},
        {"vanilla-1200",
         "Plain SGD (no momentum) at lr 0.1, the momentum recipe's step size, x0.2 at 30, 60 and 80 % of 1200 steps: the talk's \"vanilla SGD\".",
         OptimizerKind::Sgd, 0.1, 0.0, Schedule::Step, 1200, 1.0},
    };
    return list;
}

const Recipe* findRecipe(const std::string& name)
{
    for (const Recipe& r : recipes())
        if (name == r.name) return &r;
    return nullptr;
}

std::vector<std::string> recipeNames()
{
    std::vector<std::string> names;
    for (const Recipe& r : recipes()) names.emplace_back(r.name);
    return names;
}

void applyRecipe(const Recipe& recipe, ExperimentConfig& config)
{
    config.optimizer = recipe.optimizer;
    config.lr = recipe.lr;
    config.momentum = recipe.momentum;
    config.nesterov = false;
    config.weightDecay = 0.0;
    config.schedule = recipe.schedule;
    config.steps = recipe.steps;
    config.initScale = recipe.initScale;
}

const Recipe* recipeOf(const ExperimentConfig& config)
{
    // A config follows a recipe when applying the recipe changes none of its keys.
    const auto asIs = configToJson(config);
    for (const Recipe& r : recipes()) {
        ExperimentConfig withRecipe = config;
        applyRecipe(r, withRecipe);
        if (configToJson(withRecipe) == asIs) return &r;
    }
    return nullptr;
}

}  // namespace il
