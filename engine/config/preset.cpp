#include "engine/config/preset.h"

#include <algorithm>
#include <filesystem>

#include "engine/config/config_json.h"
#include "engine/core/errors.h"

namespace il {

namespace {

PresetFigure figureFrom(const std::string& name, const std::string& where)
{
    if (name == "probe_grid") return PresetFigure::ProbeGrid;
    if (name == "rho") return PresetFigure::Rho;
    if (name == "activations") return PresetFigure::Activations;
    if (name == "layer_classifier") return PresetFigure::LayerClassifier;
    throw ConfigError(where + ": unknown figure \"" + name + "\"; accepted: probe_grid, rho, activations, layer_classifier");
}

std::string stringOr(const json::Value& o, const char* key, const std::string& fallback = {})
{
    const json::Value* v = o.find(key);
    return v && v->isString() ? v->asString() : fallback;
}

}  // namespace

const char* toString(PresetFigure f)
{
    switch (f) {
        case PresetFigure::ProbeGrid:
            return "probe_grid";
        case PresetFigure::Rho:
            return "rho";
        case PresetFigure::Activations:
            return "activations";
        case PresetFigure::LayerClassifier:
            return "layer_classifier";
    }
    return "?";
}

Preset presetFromJson(const json::Value& root, const std::string& where)
{
    if (!root.isObject()) throw ConfigError(where + ": a preset must be a JSON object");
    Preset p;
    p.name = stringOr(root, "name");
    p.title = stringOr(root, "title");
    p.description = stringOr(root, "description");
    p.figure = figureFrom(stringOr(root, "figure", "probe_grid"), where);
    p.requires = stringOr(root, "requires");
    if (const json::Value* n = root.find("layer_classifier_images")) p.layerClassifierImages = static_cast<int>(n->asInteger());
    const json::Value* base = root.find("base");
    const json::Value* runs = root.find("runs");
    if (!runs || !runs->isArray() || runs->size() == 0) throw ConfigError(where + ": a preset needs a non-empty \"runs\" list");
    for (const json::Value& run : runs->asArray()) {
        json::Value merged = base && base->isObject() ? *base : json::Value::object();
        if (const json::Value* set = run.find("set"))
            for (const auto& [key, value] : set->members()) merged[key] = value;
        PresetRun r;
        r.label = stringOr(run, "label");
        try {
            r.config = configFromJson(merged);
        } catch (const ConfigError& e) {
            throw ConfigError(where + ", run \"" + r.label + "\": " + e.what());
        }
        if (const json::Value* t = run.find("train")) r.train = t->asBool();
        if (const json::Value* s = run.find("slow")) r.slow = s->asBool();
        if (const json::Value* sizes = run.find("evaluate_sizes"))
            for (const json::Value& size : sizes->asArray()) r.evaluateSizes.push_back(static_cast<int>(size.asInteger()));
        if (r.label.empty()) r.label = describeModel(r.config);
        p.runs.push_back(std::move(r));
    }
    return p;
}

Preset loadPreset(const std::string& path) { return presetFromJson(json::parseFile(path), path); }

std::string presetPath(const std::string& resourcesDir, const std::string& name)
{
    return (std::filesystem::path(resourcesDir) / "presets" / (name + ".json")).string();
}

std::vector<std::string> presetNames(const std::string& resourcesDir)
{
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(resourcesDir) / "presets", ec))
        if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace il
