#include "engine/sweep/run_cells.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "engine/config/config_json.h"

namespace il {

namespace {

// The config as JSON without the weight seed (and the file format tag): what a cell's runs share.
json::Value configWithoutSeed(const ExperimentConfig& config)
{
    const json::Value full = configToJson(config);
    json::Value out = json::Value::object();
    for (const auto& [key, value] : full.members())
        if (key != "seed" && key != "format") out[key] = value;
    return out;
}

std::string valueText(const json::Value& v) { return v.isString() ? v.asString() : v.dump(-1); }

}  // namespace

std::string labelWithoutSeed(const std::string& label)
{
    const std::string::size_type at = label.rfind("seed=");
    if (at == std::string::npos || (at > 0 && label[at - 1] != ' ')) return label;
    const std::string digits = label.substr(at + 5);
    if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c) != 0; })) return label;
    return at == 0 ? std::string() : label.substr(0, at - 1);
}

std::vector<RunCell> cellsOfRuns(const std::vector<MemoryRun>& runs)
{
    // The distinct configs less the seed, in first-seen order, and each run's index among them.
    std::vector<json::Value> configs;
    std::vector<std::string> keys;
    std::vector<std::size_t> cellOf;
    for (const MemoryRun& run : runs) {
        json::Value c = configWithoutSeed(run.config);
        const std::string key = c.dump(-1);
        auto it = std::find(keys.begin(), keys.end(), key);
        if (it == keys.end()) {
            keys.push_back(key);
            configs.push_back(std::move(c));
            it = keys.end() - 1;
        }
        cellOf.push_back(static_cast<std::size_t>(it - keys.begin()));
    }

    // The keys that tell the cells apart, in the configs' order. A config leaves out the keys its
    // choices do not use (beta2 without Adam): a key one cell lacks tells it apart too.
    std::vector<std::string> differing;
    for (const json::Value& config : configs)
        for (const auto& [key, value] : config.members()) {
            if (std::find(differing.begin(), differing.end(), key) != differing.end()) continue;
            for (const json::Value& c : configs) {
                const json::Value* other = c.find(key);
                if (!other || *other != value) {
                    differing.push_back(key);
                    break;
                }
            }
        }

    // The labels the runs bring, less their seed: a candidate when a cell's runs agree on one.
    std::vector<std::string> common(configs.size());
    std::vector<bool> agreed(configs.size(), true);
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const std::string bare = labelWithoutSeed(runs[i].label);
        const std::size_t c = cellOf[i];
        if (bare.empty() || (!common[c].empty() && common[c] != bare)) agreed[c] = false;
        if (common[c].empty()) common[c] = bare;
    }
    std::map<std::string, int> candidateUses;
    for (std::size_t c = 0; c < configs.size(); ++c)
        if (agreed[c]) ++candidateUses[common[c]];

    std::vector<RunCell> cells(configs.size());
    std::map<std::string, int> used;
    for (std::size_t c = 0; c < configs.size(); ++c) {
        RunCell& cell = cells[c];
        std::string described;
        for (const std::string& key : differing) {
            const json::Value* value = configs[c].find(key);
            if (!value) continue;
            cell.parameters[key] = *value;
            described += (described.empty() ? "" : " ") + key + "=" + valueText(*value);
        }
        if (agreed[c] && candidateUses[common[c]] == 1)
            cell.label = common[c];
        else if (!described.empty())
            cell.label = described;
        else
            cell.label = describeModel(runs[static_cast<std::size_t>(std::find(cellOf.begin(), cellOf.end(), c) - cellOf.begin())].config);
        // Two cells never share a label: summarizeCells groups by it.
        if (const int n = used[cell.label]++; n > 0) cell.label += " (" + std::to_string(n + 1) + ")";
    }

    std::vector<RunCell> out;
    out.reserve(runs.size());
    for (const std::size_t c : cellOf) out.push_back(cells[c]);
    return out;
}

std::vector<EnsembleCell> ensembleCellsOfRuns(const std::vector<MemoryRun>& runs)
{
    const std::vector<RunCell> cells = cellsOfRuns(runs);
    std::vector<EnsembleRun> members;
    members.reserve(runs.size());
    for (std::size_t i = 0; i < runs.size(); ++i)
        members.push_back({cells[i].label, cells[i].parameters, ensembleMemberFromMetrics(*runs[i].metrics)});
    return summarizeCells(members);
}

PhaseDiagram phaseDiagramOfRuns(const std::vector<MemoryRun>& runs)
{
    const std::vector<RunCell> cells = cellsOfRuns(runs);
    std::vector<PhaseRun> phaseRuns;
    phaseRuns.reserve(runs.size());
    for (std::size_t i = 0; i < runs.size(); ++i) phaseRuns.push_back({cells[i].label, runs[i].metrics->rhoSweep});
    return phaseDiagram(phaseRuns);
}

}  // namespace il
