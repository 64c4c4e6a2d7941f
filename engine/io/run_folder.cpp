#include "engine/io/run_folder.h"

#include <filesystem>
#include <system_error>

#include "engine/config/config_json.h"
#include "engine/core/errors.h"
#include "engine/io/json.h"
#include "engine/io/npy.h"
#include "engine/train/metrics_json.h"
#include "engine/train/trajectory_jsonl.h"

namespace il {

namespace {

namespace fs = std::filesystem;

// Images of one shape stacked as [N, C, H, W]; an empty array when they differ in shape (no
// file is better than one numpy cannot index).
npy::Float32Array stacked(const std::vector<const Image*>& images)
{
    npy::Float32Array array;
    if (images.empty()) return array;
    const Image& first = *images.front();
    for (const Image* image : images)
        if (!image->sameShape(first)) return array;
    array.shape = {images.size(), static_cast<std::size_t>(first.channels), static_cast<std::size_t>(first.height),
                   static_cast<std::size_t>(first.width)};
    array.values.reserve(images.size() * first.size());
    for (const Image* image : images) array.values.insert(array.values.end(), image->pixels.begin(), image->pixels.end());
    return array;
}

const char* reductionName(ChannelReduction reduction)
{
    switch (reduction) {
        case ChannelReduction::Mean:
            return "mean";
        case ChannelReduction::Max:
            return "max";
        case ChannelReduction::Single:
            return "single";
    }
    return "mean";
}

class FolderWriter {
public:
    explicit FolderWriter(const std::string& folder) : folder_(folder)
    {
        std::error_code error;
        fs::create_directories(folder_, error);
        if (error || !fs::is_directory(folder_)) throw Error("cannot create the folder " + folder + " (check that it is writable)");
    }

    void text(const std::string& name, const std::string& content) { json::writeFileAtomic(path(name), content); }
    void json(const std::string& name, const json::Value& value) { text(name, value.dump(2) + "\n"); }
    void array(const std::string& name, const npy::Float32Array& array) { npy::writeFile(path(name), array); }
    const std::vector<std::string>& written() const { return written_; }

private:
    std::string path(const std::string& name)
    {
        written_.push_back((folder_ / name).string());
        return written_.back();
    }

    fs::path folder_;
    std::vector<std::string> written_;
};

// prefix "probes" gives probes.json, probes_inputs.npy and probes_outputs.npy.
void writeProbes(FolderWriter& out, const std::vector<ProbeOutcome>& probes, const std::string& prefix = "probes")
{
    std::vector<const Image*> inputs, outputs;
    json::Value list = json::Value::array();
    for (const ProbeOutcome& p : probes) {
        inputs.push_back(&p.input);
        outputs.push_back(&p.output);
        json::Value e = json::Value::object();
        e["name"] = p.name;
        e["group"] = toString(p.group);
        e["corr_identity"] = p.corrIdentity;
        e["corr_constant"] = p.corrConstant;
        e["mse"] = p.mse;
        list.push_back(e);
    }
    const npy::Float32Array in = stacked(inputs), outArray = stacked(outputs);
    if (in.values.empty() || outArray.values.empty()) return;
    json::Value manifest = json::Value::object();
    manifest["inputs"] = prefix + "_inputs.npy";
    manifest["outputs"] = prefix + "_outputs.npy";
    manifest["probes"] = list;
    out.array(prefix + "_inputs.npy", in);
    out.array(prefix + "_outputs.npy", outArray);
    out.json(prefix + ".json", manifest);
}

void writeActivations(FolderWriter& out, const ActivationGrid& grid)
{
    json::Value layers = json::Value::array();
    for (std::size_t l = 0; l < grid.layers.size() && l < grid.maps.size(); ++l) {
        std::vector<const Image*> maps;
        for (const Image& map : grid.maps[l]) maps.push_back(&map);
        const npy::Float32Array array = stacked(maps);
        if (array.values.empty()) continue;
        const std::string number = std::to_string(l);
        const std::string name = "activations_" + std::string(number.size() < 2 ? "0" : "") + number + ".npy";
        out.array(name, array);
        json::Value e = json::Value::object();
        e["name"] = grid.layers[l];
        e["file"] = name;
        if (l < grid.layerChannels.size()) e["channels"] = grid.layerChannels[l];
        layers.push_back(e);
    }
    json::Value probes = json::Value::array();
    for (const std::string& p : grid.probes) probes.push_back(p);
    json::Value manifest = json::Value::object();
    manifest["reduction"] = reductionName(grid.reduction);
    if (grid.reduction == ChannelReduction::Single) manifest["channel"] = grid.channel;
    manifest["probes"] = probes;
    manifest["layers"] = layers;
    out.json("activations.json", manifest);
}

}  // namespace

std::vector<std::string> writeRunData(const std::string& folder, const RunData& run)
{
    FolderWriter out(folder);
    json::Value config = configToJson(run.config);
    json::Value metrics = metricsToJson(run.metrics);
    if (run.provenance) {
        config["provenance"] = provenanceToJson(*run.provenance);
        metrics["provenance"] = config["provenance"];
    }
    out.json("config.json", config);
    out.json("metrics.json", metrics);
    out.text("metrics.jsonl", trajectoryJsonl(run.metrics.trajectory));
    out.text("loss.csv", lossCsv(run.loss));
    writeProbes(out, run.metrics.probes);
    for (const ProbesAtSize& extra : run.probesAtSizes) writeProbes(out, extra.probes, "probes_at_" + std::to_string(extra.size));
    if (run.activations && !run.activations->maps.empty()) writeActivations(out, *run.activations);
    return out.written();
}

}  // namespace il
