#include "engine/sweep/plan.h"

#include <algorithm>
#include <cmath>

#include "engine/config/config_json.h"
#include "engine/core/errors.h"

namespace il {

namespace {

// A plan file may say what it is; presets, which are plans too, do not.
constexpr const char* kPlanFormat = "identitylab-plan/1";
// Far beyond any grid one would run, small enough that a range typo fails at once.
constexpr long long kMaxAxisValues = 10000;
constexpr long long kMaxSeeds = 10000;

const std::vector<std::string>& planKeys()
{
    static const std::vector<std::string> keys{"format", "name", "title", "description", "figure", "requires", "layer_classifier_images",
                                               "base",   "axes", "seeds", "runs"};
    return keys;
}
const std::vector<std::string>& runKeys()
{
    static const std::vector<std::string> keys{"label", "set", "train", "slow", "evaluate_sizes"};
    return keys;
}
const std::vector<std::string>& figureNames()
{
    static const std::vector<std::string> names{"probe_grid", "rho", "activations", "layer_classifier"};
    return names;
}

std::string joined(const std::vector<std::string>& names)
{
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

bool contains(const std::vector<std::string>& names, const std::string& name)
{
    return std::find(names.begin(), names.end(), name) != names.end();
}

// The keys config.json accepts, read off a written config so that the two never disagree.
bool isConfigKey(const std::string& key)
{
    static const json::Value every = configToJson(ExperimentConfig{});
    // "recipe" names several keys at once (engine/config/recipes.h); a resolved config lists them instead.
    return key == "recipe" || (key != "format" && every.contains(key));
}

std::string stringAt(const json::Value& o, const char* key, const std::string& where)
{
    const json::Value* v = o.find(key);
    if (!v) return {};
    if (!v->isString()) throw ConfigError(where + ": \"" + key + "\" must be a string");
    return v->asString();
}

// Config keys in "base" or a run's "set": a typo is named where it was written, not in every
// task. "format" may stay in a config.json pasted in whole; configFromJson checks its value.
void rejectUnknownConfigKeys(const json::Value& o, const std::string& where)
{
    for (const auto& member : o.members())
        if (!isConfigKey(member.first) && member.first != "format")
            throw ConfigError(where + ": unknown config key \"" + member.first + "\" (see docs/config.md for the accepted keys)");
}

void rejectUnknownKeys(const json::Value& o, const std::vector<std::string>& accepted, const std::string& where, const char* what)
{
    for (const auto& member : o.members())
        if (!contains(accepted, member.first))
            throw ConfigError(where + ": unknown " + what + " \"" + member.first + "\"; accepted: " + joined(accepted));
}

// from, from + step, ... while not past `to`; whole numbers stay whole (depth, channels).
std::vector<json::Value> rangeValues(const json::Value& range, const std::string& where)
{
    const json::Value* from = range.find("from");
    const json::Value* to = range.find("to");
    const json::Value* step = range.find("step");
    if (!range.isObject() || !from || !to || !step || !from->isNumber() || !to->isNumber() || !step->isNumber() || range.size() != 3)
        throw ConfigError(where + ": \"range\" needs the numbers \"from\", \"to\" and \"step\", and nothing else");
    if (step->asNumber() == 0.0) throw ConfigError(where + ": the range's step must not be 0");
    const double span = (to->asNumber() - from->asNumber()) / step->asNumber();
    // A hair of slack so that 0.01 to 0.05 by 0.01 includes 0.05 despite binary fractions.
    if (span < -1e-9)
        throw ConfigError(where + ": a range from " + from->dump(-1) + " to " + to->dump(-1) + " by " + step->dump(-1) + " has no values");
    if (span + 1.0 > static_cast<double>(kMaxAxisValues))
        throw ConfigError(where + ": the range gives more than " + std::to_string(kMaxAxisValues) + " values");
    const long long count = static_cast<long long>(std::floor(span + 1e-9)) + 1;
    std::vector<json::Value> values;
    const bool whole = from->isInteger() && step->isInteger();
    for (long long i = 0; i < count; ++i) {
        if (whole) {
            values.emplace_back(from->asInteger() + i * step->asInteger());
        } else {
            // from + i * step, rounded to 12 decimals: 0.1 + 2 * 0.1 is 0.3, not 0.30000000000000004.
            const double v = from->asNumber() + static_cast<double>(i) * step->asNumber();
            values.emplace_back(std::round(v * 1e12) / 1e12);
        }
    }
    return values;
}

PlanAxis axisFromJson(const json::Value& a, std::size_t position, const std::string& where)
{
    const std::string unnamed = where + ": axis " + std::to_string(position + 1);
    if (!a.isObject()) throw ConfigError(unnamed + ": expected an object {\"key\": ..., \"values\": [...]}");
    const json::Value* key = a.find("key");
    if (!key || !key->isString()) throw ConfigError(unnamed + ": needs \"key\", the config key it varies");
    PlanAxis axis;
    axis.key = key->asString();
    const std::string named = where + ": axis \"" + axis.key + "\"";
    rejectUnknownKeys(a, {"key", "values", "range"}, named, "field");
    if (axis.key == "seed")
        throw ConfigError(named + ": vary the weight seed with the plan's \"seeds\", which keeps a cell's seeds together");
    if (!isConfigKey(axis.key)) throw ConfigError(named + ": not a config key (see docs/config.md for the accepted keys)");
    const json::Value* values = a.find("values");
    const json::Value* range = a.find("range");
    if ((values != nullptr) == (range != nullptr))
        throw ConfigError(named + ": needs either \"values\" (a list) or \"range\" ({\"from\", \"to\", \"step\"})");
    if (values) {
        if (!values->isArray()) throw ConfigError(named + ": \"values\" must be a list");
        axis.values = values->asArray();
    } else {
        axis.values = rangeValues(*range, named);
    }
    if (axis.values.empty()) throw ConfigError(named + ": has no values");
    if (static_cast<long long>(axis.values.size()) > kMaxAxisValues)
        throw ConfigError(named + ": has more than " + std::to_string(kMaxAxisValues) + " values");
    return axis;
}

PlanRun runFromJson(const json::Value& r, std::size_t position, const std::string& where)
{
    const std::string here = where + ": run " + std::to_string(position + 1);
    if (!r.isObject()) throw ConfigError(here + ": expected an object {\"label\": ..., \"set\": {...}}");
    rejectUnknownKeys(r, runKeys(), here, "field");
    PlanRun run;
    run.label = stringAt(r, "label", here);
    if (const json::Value* set = r.find("set")) {
        if (!set->isObject()) throw ConfigError(here + ": \"set\" must be an object of config keys");
        rejectUnknownConfigKeys(*set, here + ": \"set\"");
        run.set = *set;
    }
    if (const json::Value* t = r.find("train")) run.options.train = t->asBool();
    if (const json::Value* s = r.find("slow")) run.options.slow = s->asBool();
    if (const json::Value* sizes = r.find("evaluate_sizes"))
        for (const json::Value& size : sizes->asArray()) run.options.evaluateSizes.push_back(static_cast<int>(size.asInteger()));
    return run;
}

}  // namespace

void writeRunOptions(const RunOptions& options, json::Value& object)
{
    if (!options.train) object["train"] = false;
    if (options.slow) object["slow"] = true;
    if (!options.evaluateSizes.empty()) {
        json::Value sizes = json::Value::array();
        for (const int s : options.evaluateSizes) sizes.push_back(s);
        object["evaluate_sizes"] = sizes;
    }
}

std::vector<std::uint64_t> seedsFromJson(const json::Value& seeds)
{
    std::vector<std::uint64_t> out;
    if (seeds.isNumber()) {
        if (!seeds.isInteger() || seeds.asInteger() < 1 || seeds.asInteger() > kMaxSeeds)
            throw ConfigError("\"seeds\": a count of seeds is a whole number from 1 to " + std::to_string(kMaxSeeds) + ", got " +
                              seeds.dump(-1));
        for (long long s = 0; s < seeds.asInteger(); ++s) out.push_back(static_cast<std::uint64_t>(s));
        return out;
    }
    if (!seeds.isArray() || seeds.size() == 0)
        throw ConfigError("\"seeds\": expected a count (5: the seeds 0 to 4) or a non-empty list of seeds");
    for (const json::Value& s : seeds.asArray()) {
        if (!s.isInteger() || s.asInteger() < 0) throw ConfigError("\"seeds\": a seed is a whole number of at least 0, got " + s.dump(-1));
        const auto seed = static_cast<std::uint64_t>(s.asInteger());
        if (std::find(out.begin(), out.end(), seed) != out.end())
            throw ConfigError("\"seeds\": seed " + std::to_string(seed) + " is listed twice");
        out.push_back(seed);
    }
    if (static_cast<long long>(out.size()) > kMaxSeeds) throw ConfigError("\"seeds\": more than " + std::to_string(kMaxSeeds) + " seeds");
    return out;
}

Plan planFromJson(const json::Value& root, const std::string& where)
{
    if (!root.isObject()) throw ConfigError(where + ": a plan must be a JSON object");
    rejectUnknownKeys(root, planKeys(), where, "plan key");
    if (const json::Value* format = root.find("format"))
        if (!format->isString() || format->asString() != kPlanFormat)
            throw ConfigError(where + ": \"format\": this IdentityLab reads \"" + std::string(kPlanFormat) + "\" plans");
    Plan plan;
    plan.source = where;
    plan.name = stringAt(root, "name", where);
    plan.title = stringAt(root, "title", where);
    plan.description = stringAt(root, "description", where);
    if (root.contains("figure")) plan.figure = stringAt(root, "figure", where);
    if (!contains(figureNames(), plan.figure))
        throw ConfigError(where + ": unknown figure \"" + plan.figure + "\"; accepted: " + joined(figureNames()));
    plan.requires = stringAt(root, "requires", where);
    if (const json::Value* n = root.find("layer_classifier_images")) plan.layerClassifierImages = static_cast<int>(n->asInteger());
    if (const json::Value* base = root.find("base")) {
        if (!base->isObject()) throw ConfigError(where + ": \"base\" must be an object of config keys");
        rejectUnknownConfigKeys(*base, where + ": \"base\"");
        plan.base = *base;
    }
    if (const json::Value* axes = root.find("axes")) {
        if (!axes->isArray()) throw ConfigError(where + ": \"axes\" must be a list");
        for (std::size_t i = 0; i < axes->size(); ++i) {
            PlanAxis axis = axisFromJson(axes->asArray()[i], i, where);
            for (const PlanAxis& earlier : plan.axes)
                if (earlier.key == axis.key) throw ConfigError(where + ": axis \"" + axis.key + "\": varied twice");
            plan.axes.push_back(std::move(axis));
        }
    }
    if (const json::Value* runs = root.find("runs")) {
        if (!runs->isArray() || runs->size() == 0) throw ConfigError(where + ": \"runs\" must be a non-empty list");
        for (std::size_t i = 0; i < runs->size(); ++i) plan.runs.push_back(runFromJson(runs->asArray()[i], i, where));
    }
    if (const json::Value* seeds = root.find("seeds")) {
        try {
            plan.seeds = seedsFromJson(*seeds);
        } catch (const ConfigError& e) {
            throw ConfigError(where + ": " + e.what());
        }
    }
    return plan;
}

Plan loadPlan(const std::string& path) { return planFromJson(json::parseFile(path), path); }

json::Value planDefinitionToJson(const Plan& plan)
{
    json::Value o = json::Value::object();
    o["format"] = kPlanFormat;
    if (!plan.name.empty()) o["name"] = plan.name;
    if (!plan.title.empty()) o["title"] = plan.title;
    if (!plan.description.empty()) o["description"] = plan.description;
    o["figure"] = plan.figure;
    if (!plan.requires.empty()) o["requires"] = plan.requires;
    if (plan.layerClassifierImages != Plan{}.layerClassifierImages) o["layer_classifier_images"] = plan.layerClassifierImages;
    o["base"] = plan.base;
    if (!plan.axes.empty()) {
        json::Value axes = json::Value::array();
        for (const PlanAxis& a : plan.axes) {
            json::Value axis = json::Value::object();
            axis["key"] = a.key;
            axis["values"] = json::Value::array();
            for (const json::Value& v : a.values) axis["values"].push_back(v);
            axes.push_back(axis);
        }
        o["axes"] = axes;
    }
    if (!plan.seeds.empty()) {
        json::Value seeds = json::Value::array();
        for (const std::uint64_t s : plan.seeds) seeds.push_back(static_cast<unsigned long long>(s));
        o["seeds"] = seeds;
    }
    if (!plan.runs.empty()) {
        json::Value runs = json::Value::array();
        for (const PlanRun& r : plan.runs) {
            json::Value run = json::Value::object();
            if (!r.label.empty()) run["label"] = r.label;
            run["set"] = r.set;
            writeRunOptions(r.options, run);
            runs.push_back(run);
        }
        o["runs"] = runs;
    }
    return o;
}

}  // namespace il
