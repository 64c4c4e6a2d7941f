#include "engine/io/run_folder_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <system_error>

#include "engine/config/config_json.h"
#include "engine/core/errors.h"
#include "engine/io/npy.h"
#include "engine/metrics/outcome.h"

namespace il {

namespace {

namespace fs = std::filesystem;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The file's whole content; DataError when it cannot be read.
std::string readBytes(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw DataError(path.string() + ": cannot be opened (missing, or not readable)");
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw DataError(path.string() + ": cannot be read");
    return bytes;
}

// A JSON file of the folder. Whatever goes wrong while it is parsed or interpreted by `read` is
// a DataError that starts with the file's path.
template <typename Read>
void withJsonFile(const fs::path& path, Read read)
{
    json::Value root;
    try {
        root = json::parse(readBytes(path));
    } catch (const json::ParseError& e) {
        throw DataError(path.string() + ": not valid JSON (" + e.what() + ")");
    }
    try {
        read(root);
    } catch (const DataError&) {
        throw;
    } catch (const Error& e) {
        throw DataError(path.string() + ": " + e.what());
    }
}

// --- typed access that names the key ---------------------------------------------------------

const json::Value& member(const json::Value& object, const std::string& key)
{
    if (!object.isObject()) throw ConfigError("expected an object, got " + std::string(object.typeName()));
    const json::Value* value = object.find(key);
    if (!value) throw ConfigError("missing key \"" + key + "\"");
    return *value;
}

template <typename Get>
decltype(auto) typed(const json::Value& object, const std::string& key, Get get)
{
    const json::Value& value = member(object, key);
    try {
        return get(value);
    } catch (const ConfigError& e) {
        throw ConfigError("\"" + key + "\": " + e.what());
    }
}

// Numbers may be null: NaN and infinity have no JSON spelling, and the writers put null for them.
double number(const json::Value& o, const std::string& key)
{
    return typed(o, key, [](const json::Value& v) { return v.isNull() ? kNaN : v.asNumber(); });
}
long long integer(const json::Value& o, const std::string& key)
{
    return typed(o, key, [](const json::Value& v) { return v.asInteger(); });
}
int smallInteger(const json::Value& o, const std::string& key)
{
    const long long v = integer(o, key);
    if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max())
        throw ConfigError("\"" + key + "\": " + std::to_string(v) + " is out of range");
    return static_cast<int>(v);
}
std::string text(const json::Value& o, const std::string& key)
{
    return typed(o, key, [](const json::Value& v) { return v.asString(); });
}
const json::Value::Array& list(const json::Value& o, const std::string& key)
{
    return typed(o, key, [](const json::Value& v) -> const json::Value::Array& { return v.asArray(); });
}

// The enums' file spellings are their toString(); a name no value has is an error naming them all.
template <typename Enum, std::size_t N>
Enum enumFrom(const std::string& name, const Enum (&values)[N], const char* what)
{
    std::string accepted;
    for (const Enum v : values) {
        if (name == toString(v)) return v;
        accepted += (accepted.empty() ? "" : ", ") + std::string(toString(v));
    }
    throw ConfigError("unknown " + std::string(what) + " \"" + name + "\" (accepted: " + accepted + ")");
}

constexpr ProbeGroup kGroups[] = {ProbeGroup::Train,   ProbeGroup::Blend, ProbeGroup::Mnist, ProbeGroup::Fashion,
                                  ProbeGroup::Pattern, ProbeGroup::Noise, ProbeGroup::User};
constexpr StopReason kStopReasons[] = {StopReason::Completed, StopReason::Diverged, StopReason::Cancelled};
constexpr Zone kZones[] = {Zone::A, Zone::B, Zone::C, Zone::D};

ProbeGroup probeGroup(const std::string& name) { return enumFrom(name, kGroups, "probe group"); }

ChannelReduction reductionFrom(const std::string& name)
{
    if (name == "mean") return ChannelReduction::Mean;
    if (name == "max") return ChannelReduction::Max;
    if (name == "single") return ChannelReduction::Single;
    throw ConfigError("unknown reduction \"" + name + "\" (accepted: mean, max, single)");
}

// --- metrics.json --------------------------------------------------------------------------------

ProbeOutcome probeFromJson(const json::Value& e)
{
    ProbeOutcome p;
    p.name = text(e, "name");
    p.group = probeGroup(text(e, "group"));
    p.corrIdentity = number(e, "corr_identity");
    p.corrConstant = number(e, "corr_constant");
    p.mse = number(e, "mse");
    return p;
}

void readMetrics(const json::Value& o, RunMetrics& m, bool& hasOutcome)
{
    m.parameters = integer(o, "parameters");
    m.weightParameters = integer(o, "weight_parameters");
    m.biasParameters = integer(o, "bias_parameters");
    m.finalLoss = number(o, "final_loss");
    m.stepsDone = smallInteger(o, "steps_done");
    m.stopReason = enumFrom(text(o, "stop_reason"), kStopReasons, "stop reason");
    if (o.contains("stop_detail")) m.stopDetail = text(o, "stop_detail");
    m.seconds = number(o, "seconds");
    m.stepsPerSecond = number(o, "steps_per_s");
    m.device = text(o, "device");
    m.outputCollapsed = typed(o, "output_collapsed", [](const json::Value& v) { return v.asBool(); });
    // Written since outcomes were introduced; an older folder's outcome is decided from its probes.
    hasOutcome = o.contains("outcome");
    if (hasOutcome) {
        m.outcome = outcomeFromString(text(o, "outcome"));
        const json::Value& s = member(o, "outcome_scores");
        m.outcomeScores.probes = smallInteger(s, "probes");
        m.outcomeScores.identityFraction = number(s, "identity_fraction");
        m.outcomeScores.constantFraction = number(s, "constant_fraction");
        m.outcomeScores.meanCorrIdentity = number(s, "mean_corr_identity");
        m.outcomeScores.meanCorrConstant = number(s, "mean_corr_constant");
        m.outcomeScores.energyRatio = number(s, "energy_ratio");
    }
    for (const json::Value& e : list(o, "probes")) m.probes.push_back(probeFromJson(e));
    const json::Value& groups = member(o, "groups");
    if (!groups.isObject()) throw ConfigError("\"groups\": expected an object, got " + std::string(groups.typeName()));
    for (const auto& [name, g] : groups.members()) {
        GroupSummary s;
        s.group = probeGroup(name);
        s.corrIdentity = number(g, "corr_identity");
        s.corrConstant = number(g, "corr_constant");
        s.count = smallInteger(g, "count");
        m.groups.push_back(s);
    }
    for (const json::Value& e : list(o, "rho_sweep")) {
        RhoPoint p;
        p.rho = number(e, "rho");
        p.corrIdentity = number(e, "corr_identity");
        p.corrConstant = number(e, "corr_constant");
        p.corrIdentityStd = number(e, "corr_identity_std");
        p.corrConstantStd = number(e, "corr_constant_std");
        p.zone = enumFrom(text(e, "zone"), kZones, "zone");
        m.rhoSweep.push_back(p);
    }
    if (o.contains("layer_classifier")) {
        const json::Value& lc = member(o, "layer_classifier");
        m.layerClassifier.images = smallInteger(lc, "images");
        for (const json::Value& e : list(lc, "layers")) {
            m.layerClassifier.layers.push_back(text(e, "layer"));
            m.layerClassifier.error.push_back(number(e, "error"));
        }
    }
}

// --- metrics.jsonl and loss.csv --------------------------------------------------------------

std::vector<TrajectoryPoint> readTrajectory(const fs::path& path)
{
    std::vector<TrajectoryPoint> trajectory;
    std::istringstream lines(readBytes(path));
    std::string line;
    for (int lineNumber = 1; std::getline(lines, line); ++lineNumber) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        try {
            const json::Value o = json::parse(line);
            TrajectoryPoint t;
            t.step = smallInteger(o, "step");
            t.loss = number(o, "loss");
            t.lr = number(o, "lr");
            const json::Value& groups = member(o, "groups");
            if (!groups.isObject()) throw ConfigError("\"groups\": expected an object");
            for (const auto& [name, g] : groups.members()) {
                GroupSummary s;
                s.group = probeGroup(name);
                s.corrIdentity = number(g, "corr_identity");
                s.corrConstant = number(g, "corr_constant");
                t.groups.push_back(s);
            }
            trajectory.push_back(std::move(t));
        } catch (const json::ParseError& e) {
            throw DataError(path.string() + ", line " + std::to_string(lineNumber) + ", column " + std::to_string(e.column()) + ": " +
                            e.reason());
        } catch (const Error& e) {
            throw DataError(path.string() + ", line " + std::to_string(lineNumber) + ": " + e.what());
        }
    }
    return trajectory;
}

// from_chars, unlike strtod, does not follow the C locale (the GUI sets the user's), and reads
// the "nan" and "inf" that a diverged run's loss is written as.
double parseDouble(std::string field)
{
    while (!field.empty() && (field.back() == '\r' || field.back() == ' ')) field.pop_back();
    std::size_t start = field.find_first_not_of(' ');
    if (start == std::string::npos) throw DataError("an empty field");
    if (field[start] == '+') ++start;
    double value = 0.0;
    const char* first = field.data() + start;
    const char* last = field.data() + field.size();
    const auto [end, ec] = std::from_chars(first, last, value);
    if (ec != std::errc() || end != last) throw DataError("\"" + field + "\" is not a number");
    return value;
}

std::vector<LossPoint> readLoss(const fs::path& path)
{
    std::vector<LossPoint> loss;
    std::istringstream lines(readBytes(path));
    std::string line;
    int lineNumber = 0;
    while (std::getline(lines, line)) {
        ++lineNumber;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        if (lineNumber == 1) {
            if (line.rfind("step,loss,lr", 0) != 0) throw DataError(path.string() + ": its first line is not \"step,loss,lr\"");
            continue;
        }
        try {
            std::vector<std::string> fields;
            std::istringstream cells(line);
            for (std::string cell; std::getline(cells, cell, ',');) fields.push_back(cell);
            if (fields.size() != 3) throw DataError(std::to_string(fields.size()) + " fields where step,loss,lr are 3");
            const double step = parseDouble(fields[0]);
            if (!(step >= 1 && step <= std::numeric_limits<int>::max()) || step != std::floor(step))
                throw DataError("the step \"" + fields[0] + "\" is not a step number (counted from 1)");
            loss.push_back({static_cast<int>(step) - 1, parseDouble(fields[1]), parseDouble(fields[2])});
        } catch (const DataError& e) {
            throw DataError(path.string() + ", line " + std::to_string(lineNumber) + ": " + e.what());
        }
    }
    return loss;
}

// --- the arrays ---------------------------------------------------------------------------------

// A file name from a manifest: a plain name inside the folder, never a path out of it.
fs::path arrayPath(const fs::path& folder, const std::string& name)
{
    const fs::path file(name);
    if (name.empty() || file.filename() != file || name == "." || name == "..")
        throw ConfigError("\"" + name + "\" is not a file name inside the run folder");
    return folder / file;
}

// [N, C, H, W] as N images; DataError naming the file when it is not such an array of `count`.
std::vector<Image> readImages(const fs::path& path, std::size_t count)
{
    npy::Float32Array array;
    try {
        array = npy::decode(readBytes(path));
    } catch (const DataError& e) {
        const std::string what = e.what();
        throw DataError(what.rfind(path.string(), 0) == 0 ? what : path.string() + ": " + what);
    }
    const auto& s = array.shape;
    constexpr std::size_t kMaxSide = 1 << 14;
    if (s.size() != 4 || s[1] < 1 || s[1] > 4 || s[2] < 1 || s[2] > kMaxSide || s[3] < 1 || s[3] > kMaxSide)
        throw DataError(path.string() + ": not an array of images [N, C, H, W]");
    if (s[0] != count)
        throw DataError(path.string() + ": holds " + std::to_string(s[0]) + " images where its manifest lists " + std::to_string(count));
    std::vector<Image> images;
    images.reserve(count);
    const std::size_t each = s[1] * s[2] * s[3];
    for (std::size_t i = 0; i < count; ++i) {
        Image image(static_cast<int>(s[1]), static_cast<int>(s[2]), static_cast<int>(s[3]));
        std::copy_n(array.values.begin() + static_cast<std::ptrdiff_t>(i * each), each, image.pixels.begin());
        images.push_back(std::move(image));
    }
    return images;
}

// probes.json (or probes_at_S.json): the probes in the arrays' order, with full-precision
// correlations.
std::vector<ProbeOutcome> readProbes(const fs::path& folder, const std::string& manifest = "probes.json")
{
    std::vector<ProbeOutcome> probes;
    fs::path inputs, outputs;
    withJsonFile(folder / manifest, [&](const json::Value& o) {
        for (const json::Value& e : list(o, "probes")) probes.push_back(probeFromJson(e));
        inputs = arrayPath(folder, text(o, "inputs"));
        outputs = arrayPath(folder, text(o, "outputs"));
    });
    const std::vector<Image> in = readImages(inputs, probes.size());
    const std::vector<Image> out = readImages(outputs, probes.size());
    for (std::size_t i = 0; i < probes.size(); ++i) {
        probes[i].input = in[i];
        probes[i].output = out[i];
    }
    return probes;
}

ActivationGrid readActivations(const fs::path& folder)
{
    ActivationGrid grid;
    std::vector<fs::path> files;
    withJsonFile(folder / "activations.json", [&](const json::Value& o) {
        grid.reduction = reductionFrom(text(o, "reduction"));
        if (grid.reduction == ChannelReduction::Single) grid.channel = smallInteger(o, "channel");
        for (const json::Value& p : list(o, "probes")) grid.probes.push_back(p.asString());
        for (const json::Value& layer : list(o, "layers")) {
            grid.layers.push_back(text(layer, "name"));
            files.push_back(arrayPath(folder, text(layer, "file")));
            grid.layerChannels.push_back(layer.contains("channels") ? smallInteger(layer, "channels") : 0);
        }
    });
    for (const fs::path& file : files) grid.maps.push_back(readImages(file, grid.probes.size()));
    return grid;
}

bool isFile(const fs::path& path)
{
    std::error_code error;
    return fs::is_regular_file(path, error);
}

}  // namespace

bool isRunFolder(const std::string& folder)
{
    const fs::path dir(folder);
    return isFile(dir / "config.json") && isFile(dir / "metrics.json");
}

RunFolderContent readRunFolder(const std::string& folder)
{
    const fs::path dir(folder);
    std::error_code error;
    if (!fs::is_directory(dir, error)) throw DataError(folder + ": not a folder");
    RunFolderContent run;
    run.folder = folder;
    withJsonFile(dir / "config.json", [&](const json::Value& o) {
        if (const json::Value* p = o.find("provenance")) run.provenance = *p;
        run.config = configFromJson(o);
    });
    bool hasOutcome = false;
    withJsonFile(dir / "metrics.json", [&](const json::Value& o) { readMetrics(o, run.metrics, hasOutcome); });
    // probes.json has what metrics.json rounds, and the images; the two list the same probes.
    if (isFile(dir / "probes.json")) run.metrics.probes = readProbes(dir);
    if (!hasOutcome) {
        const OutcomeReport report = classifyOutcome(run.metrics.probes);
        run.metrics.outcome = report.outcome;
        run.metrics.outcomeScores = report.scores;
    }
    for (const auto& entry : fs::directory_iterator(dir, error)) {
        const std::string name = entry.path().filename().string();
        const std::string prefix = "probes_at_";
        if (name.rfind(prefix, 0) != 0 || entry.path().extension() != ".json") continue;
        const std::string digits = name.substr(prefix.size(), name.size() - prefix.size() - 5);
        if (digits.empty() || digits.size() > 5 || digits.find_first_not_of("0123456789") != std::string::npos) continue;
        run.probesAtSizes.push_back({std::stoi(digits), readProbes(dir, name)});
    }
    std::sort(run.probesAtSizes.begin(), run.probesAtSizes.end(), [](const ProbesAtSize& a, const ProbesAtSize& b) { return a.size < b.size; });
    if (isFile(dir / "metrics.jsonl")) run.metrics.trajectory = readTrajectory(dir / "metrics.jsonl");
    if (isFile(dir / "loss.csv")) run.loss = readLoss(dir / "loss.csv");
    if (isFile(dir / "activations.json")) run.activations = readActivations(dir);
    if (isFile(dir / "checkpoint.pt")) run.checkpoint = (dir / "checkpoint.pt").string();
    for (const auto& entry : fs::directory_iterator(dir, error))
        if (entry.path().extension() == ".png" && isFile(entry.path())) run.figures.push_back(entry.path().string());
    std::sort(run.figures.begin(), run.figures.end());
    return run;
}

}  // namespace il
