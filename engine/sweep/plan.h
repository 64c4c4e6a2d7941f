#pragma once
// A sweep plan: a grid of experiments as data (docs/config.md, "Sweep plans"). A base config,
// axes that vary config keys, a seeds axis that varies only the weight seed, and explicit runs.
// A preset (resources/presets/NAME.json) is a plan with explicit runs and no axes, so the
// shipped figures and a user's own grid expand, run and collect the same way. Its expansion
// into numbered tasks is engine/sweep/plan_tasks.h.

#include <cstdint>
#include <string>
#include <vector>

#include "engine/io/json.h"

namespace il {

// One varied config key: {"key": K, "values": [...]} or {"key": K, "range": {"from", "to", "step"}}.
// A range is kept as the list it stands for (from, from + step, ... up to and including to).
struct PlanAxis {
    std::string key;
    std::vector<json::Value> values;
};

// How a run is run, beyond its config; an explicit run's, passed on to its tasks.
struct RunOptions {
    bool train = true;               // false: evaluated at random init (the paper's "20rnd")
    bool slow = false;               // marked as slow on a CPU in listings
    std::vector<int> evaluateSizes;  // extra probe sizes; empty = the training size
};
// Adds "train", "slow" and "evaluate_sizes" to `object` where they differ from the defaults.
void writeRunOptions(const RunOptions& options, json::Value& object);

// One run written out by hand, as in a preset: {"label", "set": {...}, "train", "slow", "evaluate_sizes"}.
struct PlanRun {
    std::string label;  // empty: named after its model (describeModel)
    json::Value set = json::Value::object();
    RunOptions options;
};

struct Plan {
    std::string source;  // the file (or name) error messages start with
    std::string name;
    std::string title;
    std::string description;
    std::string figure = "probe_grid";  // as a preset's: probe_grid, rho, activations, layer_classifier
    std::string requires;               // "cifar10": needs the user's CIFAR-10 folder
    int layerClassifierImages = 500;
    json::Value base = json::Value::object();
    std::vector<PlanAxis> axes;
    std::vector<PlanRun> runs;
    std::vector<std::uint64_t> seeds;  // the weight seeds of every point; empty = the config's own
};

// Throws ConfigError with `where` (a file name) in front of what is wrong and where.
Plan planFromJson(const json::Value& root, const std::string& where);
Plan loadPlan(const std::string& path);  // also reads every preset; throws DataError / ConfigError
// The plan as a plan file that reads back to the same tasks: ranges and a seed count written
// out as lists, defaults left out.
json::Value planDefinitionToJson(const Plan& plan);

// "seeds": N (the seeds 0 to N-1) or a list of distinct seeds: the plan key and the CLI's --seeds.
std::vector<std::uint64_t> seedsFromJson(const json::Value& seeds);  // throws ConfigError

}  // namespace il
