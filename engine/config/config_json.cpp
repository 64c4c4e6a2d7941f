#include "engine/config/config_json.h"

#include <cmath>
#include <set>

#include "engine/config/choices.h"
#include "engine/config/recipes.h"
#include "engine/core/errors.h"

namespace il {

namespace {

[[noreturn]] void fail(const std::string& key, const std::string& problem) { throw ConfigError("config key \"" + key + "\": " + problem); }

// "a string", "an array", "null": for "expected a number, got a string".
std::string withArticle(const char* typeName)
{
    const std::string name = typeName;
    if (name == "null") return name;
    return (name[0] == 'a' || name[0] == 'o' ? "an " : "a ") + name;
}

std::string joined(const std::vector<std::string>& names)
{
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

// A value of a choice: its name in the choice's table (engine/config/choices.h).
template <typename Enum>
Enum choiceFrom(const std::string& key, const json::Value& v)
{
    if (!v.isString()) fail(key, "expected a string, got " + withArticle(v.typeName()));
    if (const Choice<Enum>* choice = findChoice<Enum>(v.asString())) return choice->value;
    fail(key, "unknown value \"" + v.asString() + "\"; accepted: " + joined(choiceNames<Enum>()));
}

DatasetKind datasetFrom(const std::string& key, const json::Value& v)
{
    static const std::vector<std::string> names{"mnist", "fashion_mnist", "cifar10"};
    if (!v.isString()) fail(key, "expected a string, got " + withArticle(v.typeName()));
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == v.asString()) return static_cast<DatasetKind>(i);
    fail(key, "unknown value \"" + v.asString() + "\"; accepted: " + joined(names));
}

double numberFrom(const std::string& key, const json::Value& v)
{
    if (!v.isNumber()) fail(key, "expected a number, got " + withArticle(v.typeName()));
    return v.asNumber();
}

long long integerFrom(const std::string& key, const json::Value& v)
{
    if (!v.isNumber() || !v.isInteger())
        fail(key, "expected a whole number, got " + (v.isNumber() ? std::string("a fraction") : withArticle(v.typeName())));
    return v.asInteger();
}

int intFrom(const std::string& key, const json::Value& v)
{
    const long long i = integerFrom(key, v);
    if (i < -2147483647LL || i > 2147483647LL) fail(key, "value " + std::to_string(i) + " is too large");
    return static_cast<int>(i);
}

bool boolFrom(const std::string& key, const json::Value& v)
{
    if (!v.isBool()) fail(key, "expected true or false, got " + withArticle(v.typeName()));
    return v.asBool();
}

std::uint64_t seedFrom(const std::string& key, const json::Value& v)
{
    const long long i = integerFrom(key, v);
    if (i < 0) fail(key, "must not be negative");
    return static_cast<std::uint64_t>(i);
}

ExperimentConfig withRecipe(ExperimentConfig c, const json::Value& v)
{
    const std::string key = "recipe";
    if (!v.isString()) fail(key, "expected a string, got " + withArticle(v.typeName()));
    const Recipe* recipe = findRecipe(v.asString());
    if (!recipe) fail(key, "unknown value \"" + v.asString() + "\"; accepted: " + joined(recipeNames()));
    applyRecipe(*recipe, c);
    return c;
}

constexpr const char* kFormat = "identitylab-config/1";

}  // namespace

ExperimentConfig configFromJson(const json::Value& root)
{
    if (!root.isObject()) throw ConfigError("a config must be a JSON object, got " + withArticle(root.typeName()));
    ExperimentConfig c;
    // The recipe first, so that the keys given beside it win wherever they stand.
    if (const json::Value* recipe = root.find("recipe")) c = withRecipe(c, *recipe);
    for (const auto& [key, v] : root.members()) {
        if (key == "recipe") {
            continue;
        } else if (key == "format") {
            if (!v.isString() || v.asString() != kFormat) fail(key, std::string("this IdentityLab reads \"") + kFormat + "\" files");
        } else if (key == "provenance") {
            // How a run folder's config was made (engine/train/provenance.h): a record, not a setting.
        } else if (key == "architecture")
            c.architecture = choiceFrom<Architecture>(key, v);
        else if (key == "depth")
            c.depth = intFrom(key, v);
        else if (key == "width")
            c.width = intFrom(key, v);
        else if (key == "channels")
            c.channels = intFrom(key, v);
        else if (key == "kernel_size")
            c.kernelSize = intFrom(key, v);
        else if (key == "activation")
            c.activation = choiceFrom<Activation>(key, v);
        else if (key == "bias")
            c.bias = boolFrom(key, v);
        else if (key == "residual_form")
            c.residualForm = choiceFrom<ResidualForm>(key, v);
        else if (key == "init")
            c.init = choiceFrom<InitScheme>(key, v);
        else if (key == "init_scale")
            c.initScale = numberFrom(key, v);
        else if (key == "optimizer")
            c.optimizer = choiceFrom<OptimizerKind>(key, v);
        else if (key == "lr")
            c.lr = numberFrom(key, v);
        else if (key == "momentum")
            c.momentum = numberFrom(key, v);
        else if (key == "nesterov")
            c.nesterov = boolFrom(key, v);
        else if (key == "beta1")
            c.beta1 = numberFrom(key, v);
        else if (key == "beta2")
            c.beta2 = numberFrom(key, v);
        else if (key == "weight_decay")
            c.weightDecay = numberFrom(key, v);
        else if (key == "schedule")
            c.schedule = choiceFrom<Schedule>(key, v);
        else if (key == "steps")
            c.steps = intFrom(key, v);
        else if (key == "dataset")
            c.dataset = datasetFrom(key, v);
        else if (key == "train_examples") {
            // Either how many (picked by the data seed) or which (explicit indices).
            if (v.isArray()) {
                c.trainIndices.clear();
                for (const auto& e : v.asArray()) c.trainIndices.push_back(intFrom(key, e));
                if (c.trainIndices.empty()) fail(key, "the list of training indices is empty");
                c.trainCount = static_cast<int>(c.trainIndices.size());
            } else {
                c.trainCount = intFrom(key, v);
                c.trainIndices.clear();
            }
        } else if (key == "train_class")
            c.trainClass = intFrom(key, v);
        else if (key == "batch_size")
            c.batchSize = intFrom(key, v);
        else if (key == "image_size")
            c.imageSize = intFrom(key, v);
        else if (key == "seed")
            c.seed = seedFrom(key, v);
        else if (key == "data_seed")
            c.dataSeed = seedFrom(key, v);
        else if (key == "correlation")
            c.correlation = choiceFrom<CorrelationKind>(key, v);
        else if (key == "rho_points")
            c.rhoPoints = intFrom(key, v);
        else if (key == "rho_samples")
            c.rhoSamples = intFrom(key, v);
        else if (key == "snapshot_every")
            c.snapshotEvery = intFrom(key, v);
        else if (key == "device")
            c.device = choiceFrom<DevicePreference>(key, v);
        else
            throw ConfigError("unknown config key \"" + key + "\" (see docs/config.md for the accepted keys)");
    }
    validate(c);
    return c;
}

json::Value configToJson(const ExperimentConfig& c)
{
    json::Value o = json::Value::object();
    o["format"] = kFormat;
    o["architecture"] = toString(c.architecture);
    o["depth"] = c.depth;
    o["width"] = c.width;
    o["channels"] = c.channels;
    o["kernel_size"] = c.kernelSize;
    o["activation"] = toString(c.activation);
    o["bias"] = c.bias;
    o["residual_form"] = toString(c.residualForm);
    o["init"] = toString(c.init);
    o["init_scale"] = c.initScale;
    o["optimizer"] = toString(c.optimizer);
    o["lr"] = c.lr;
    o["momentum"] = c.momentum;
    o["nesterov"] = c.nesterov;
    o["beta1"] = c.beta1;
    o["beta2"] = c.beta2;
    o["weight_decay"] = c.weightDecay;
    o["schedule"] = toString(c.schedule);
    o["steps"] = c.steps;
    o["dataset"] = datasetName(c.dataset);
    if (c.trainIndices.empty()) {
        o["train_examples"] = c.trainCount;
    } else {
        json::Value list = json::Value::array();
        for (int i : c.trainIndices) list.push_back(i);
        o["train_examples"] = list;
    }
    o["train_class"] = c.trainClass;
    o["batch_size"] = c.batchSize;
    o["image_size"] = c.imageSize;
    o["seed"] = static_cast<unsigned long long>(c.seed);
    o["data_seed"] = static_cast<unsigned long long>(c.dataSeed);
    o["correlation"] = toString(c.correlation);
    o["rho_points"] = c.rhoPoints;
    o["rho_samples"] = c.rhoSamples;
    o["snapshot_every"] = c.snapshotEvery;
    o["device"] = toString(c.device);
    return o;
}

ExperimentConfig loadConfigFile(const std::string& path)
{
    const json::Value root = json::parseFile(path);
    try {
        return configFromJson(root);
    } catch (const ConfigError& e) {
        throw ConfigError(path + ": " + e.what());
    }
}

void applyOverride(json::Value& config, const std::string& assignment)
{
    const auto eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0) throw ConfigError("--set expects key=value, got \"" + assignment + "\"");
    const std::string key = assignment.substr(0, eq);
    const std::string text = assignment.substr(eq + 1);
    json::Value value;
    try {
        value = json::parse(text);
    } catch (const json::ParseError&) {
        value = text;  // a bare word such as cnn or xavier_uniform
    }
    config[key] = value;
}

}  // namespace il
