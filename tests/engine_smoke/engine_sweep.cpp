// engine_sweep: the engine-only experiment driver, for machines without Qt (a GPU machine with
// a CUDA LibTorch, where identitylab-cli cannot be built). It trains a grid of configs, or the
// runs of a preset, and writes for each run one JSON line (config overrides, device, speed,
// group correlations, and the mean correlations over held-out MNIST digits) plus a PGM strip of
// the 13 probes (inputs above, outputs below) that identitylab-cli or any viewer can show.
//
//   engine_sweep --out DIR [--preset NAME] [--set key=value]... [--grid key=v1;v2;...]...
//                [--heldout N] [--budget SECONDS]
//
// --grid values are separated by ';' (JSON arrays contain commas); several grids multiply.
// --budget skips the runs that would start after that many seconds (the device time is short).

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/config/config_json.h"
#include "engine/config/preset.h"
#include "engine/core/compute_threads.h"
#include "engine/data/dataset.h"
#include "engine/metrics/correlation.h"
#include "engine/train/metrics_json.h"
#include "engine/train/training_session.h"

using namespace il;

namespace {

struct SweepRun {
    std::string label;
    std::vector<std::string> overrides;
    ExperimentConfig config;
    bool train = true;
};

std::vector<std::string> split(const std::string& text, char separator)
{
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = text.find(separator, start);
        parts.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos) return parts;
        start = end + 1;
    }
}

// The grid as lists of assignments: {"seed=0", "seed=1"} x {"depth=5", "depth=20"} -> 4 lists.
std::vector<std::vector<std::string>> expandGrid(const std::vector<std::string>& grids)
{
    std::vector<std::vector<std::string>> combos{{}};
    for (const std::string& grid : grids) {
        const std::size_t eq = grid.find('=');
        if (eq == std::string::npos) throw ConfigError("--grid needs key=v1;v2;...: " + grid);
        const std::string key = grid.substr(0, eq);
        std::vector<std::vector<std::string>> next;
        for (const auto& combo : combos)
            for (const std::string& value : split(grid.substr(eq + 1), ';')) {
                auto extended = combo;
                extended.push_back(key + "=" + value);
                next.push_back(extended);
            }
        combos = next;
    }
    return combos;
}

// Mean corr(f(x), x) and corr(f(x), x_hat) over the first n held-out MNIST digits: the same
// score as the plain-PyTorch cross-check of docs/reproduction.md, and steadier than the
// figure's five digits.
std::pair<double, double> heldOutCorrelations(const TrainingSession& session, const DataLocations& data, int n)
{
    const auto test = loadDatasetShared(DatasetKind::Mnist, Split::Test, data);
    std::vector<Image> inputs(test->images.begin(), test->images.begin() + std::min<std::size_t>(n, test->images.size()));
    const std::vector<Image> outputs = session.predict(inputs);
    const Image& trained = session.trainingImages().front();
    const CorrelationKind kind = session.config().correlation;
    double identity = 0.0, constant = 0.0;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        identity += correlation(kind, outputs[i].pixels, inputs[i].pixels);
        constant += correlation(kind, outputs[i].pixels, trained.pixels);
    }
    return {identity / double(inputs.size()), constant / double(inputs.size())};
}

// Inputs in the top row, outputs in the bottom row, one pixel of gap; grey, clipped to [0, 1].
void writeProbeStrip(const std::string& path, const RunMetrics& metrics)
{
    if (metrics.probes.empty()) return;
    const int h = metrics.probes.front().input.height, w = metrics.probes.front().input.width;
    const int n = int(metrics.probes.size());
    const int width = n * (w + 1), height = 2 * h + 1;
    std::vector<unsigned char> pixels(std::size_t(width) * height, 255);
    auto paint = [&](const Image& image, int column, int row) {
        for (int y = 0; y < h && y < image.height; ++y)
            for (int x = 0; x < w && x < image.width; ++x) {
                float v = 0.0f;
                for (int c = 0; c < image.channels; ++c) v += image.at(c, y, x);
                v = std::clamp(v / float(image.channels), 0.0f, 1.0f);
                pixels[std::size_t(row * (h + 1) + y) * width + column * (w + 1) + x] = static_cast<unsigned char>(v * 255.0f + 0.5f);
            }
    };
    for (int i = 0; i < n; ++i) {
        paint(metrics.probes[i].input, i, 0);
        paint(metrics.probes[i].output, i, 1);
    }
    std::ofstream out(path, std::ios::binary);
    out << "P5\n" << width << " " << height << "\n255\n";
    out.write(reinterpret_cast<const char*>(pixels.data()), std::streamsize(pixels.size()));
}

std::string fileSafe(std::string label)
{
    for (char& c : label)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') c = '_';
    return label;
}

int usage()
{
    std::fprintf(stderr,
                 "usage: engine_sweep --out DIR [--preset NAME] [--set key=value]... [--grid key=v1;v2]... "
                 "[--heldout N] [--budget SECONDS]\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv)
{
    std::string outDir, presetName;
    std::vector<std::string> sets, grids;
    int heldOut = 50;
    double budgetSeconds = 1e12;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (i + 1 >= argc) return usage();
        const std::string value = argv[++i];
        if (arg == "--out")
            outDir = value;
        else if (arg == "--preset")
            presetName = value;
        else if (arg == "--set")
            sets.push_back(value);
        else if (arg == "--grid")
            grids.push_back(value);
        else if (arg == "--heldout")
            heldOut = std::atoi(value.c_str());
        else if (arg == "--budget")
            budgetSeconds = std::atof(value.c_str());
        else
            return usage();
    }
    if (outDir.empty()) return usage();

    try {
        setComputeThreads(0);
        const DataLocations data = DataLocations::fromEnvironment();
        std::filesystem::create_directories(outDir);

        std::vector<SweepRun> runs;
        if (!presetName.empty()) {
            const Preset preset = loadPreset(presetPath(data.resourcesDir, presetName));
            for (const PresetRun& p : preset.runs) {
                json::Value config = configToJson(p.config);
                for (const std::string& s : sets) applyOverride(config, s);
                runs.push_back({p.label, sets, configFromJson(config), p.train});
            }
        } else {
            for (const auto& combo : expandGrid(grids)) {
                json::Value config = json::Value::object();
                std::vector<std::string> overrides = sets;
                overrides.insert(overrides.end(), combo.begin(), combo.end());
                std::string label;
                for (const std::string& s : overrides) {
                    applyOverride(config, s);
                    label += (label.empty() ? "" : " ") + s;
                }
                runs.push_back({label.empty() ? "defaults" : label, overrides, configFromJson(config), true});
            }
        }

        std::ofstream lines(outDir + "/results.jsonl", std::ios::app);
        const auto start = std::chrono::steady_clock::now();
        for (std::size_t i = 0; i < runs.size(); ++i) {
            const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            if (elapsed > budgetSeconds) {
                std::printf("budget of %.0f s spent: %zu of %zu runs skipped\n", budgetSeconds, runs.size() - i, runs.size());
                break;
            }
            const SweepRun& run = runs[i];
            TrainingSession session(run.config, data);
            const RunMetrics metrics = run.train ? session.run() : session.evaluate();
            const auto [identity, constant] = heldOutCorrelations(session, data, heldOut);

            json::Value line = json::Value::object();
            line["label"] = run.label;
            json::Value& indices = line["train_indices"] = json::Value::array();
            for (int index : session.trainingIndices()) indices.push_back(index);
            line["heldout_corr_identity"] = identity;
            line["heldout_corr_constant"] = constant;
            line["metrics"] = metricsToJson(metrics);
            const std::string text = line.dump(-1);
            lines << text << "\n";
            lines.flush();
            std::printf("%-48s %s loss %.3g  %.1f steps/s  held-out identity %.3f constant %.3f\n", run.label.c_str(),
                        metrics.device.c_str(), metrics.finalLoss, metrics.stepsPerSecond, identity, constant);
            std::fflush(stdout);
            writeProbeStrip(outDir + "/" + std::to_string(i) + "_" + fileSafe(run.label) + ".pgm", metrics);
        }
        std::printf("total %.1f s\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "engine_sweep: %s\n", e.what());
        return 1;
    }
}
