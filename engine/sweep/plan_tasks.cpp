#include "engine/sweep/plan_tasks.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <utility>

#include "engine/config/config_json.h"
#include "engine/core/errors.h"

namespace il {

namespace {

constexpr const char* kPlanJsonFormat = "identitylab-plan-tasks/1";
// A plan that expands further was almost certainly mistyped; a cluster would still choke on it.
constexpr std::size_t kMaxTasks = 100000;

// One point of the grid before seeds: an axis combination or an explicit run.
struct Point {
    std::string label;
    json::Value overrides = json::Value::object();
    std::vector<std::pair<std::string, json::Value>> axisValues;  // what the axes set here
    const PlanRun* run = nullptr;                                 // the explicit run, if it is one
};

std::string valueText(const json::Value& v) { return v.isString() ? v.asString() : v.dump(-1); }

json::Value merged(const json::Value& base, const json::Value& overrides)
{
    json::Value out = base;
    for (const auto& [key, value] : overrides.members()) out[key] = value;
    return out;
}

// The config's complaint about base + overrides, if any.
std::optional<std::string> rejection(const json::Value& base, const json::Value& overrides)
{
    try {
        configFromJson(merged(base, overrides));
    } catch (const ConfigError& e) {
        return std::string(e.what());
    }
    return std::nullopt;
}

// The axes' cartesian product, the last axis fastest (an odometer).
std::vector<Point> gridPoints(const Plan& plan)
{
    std::vector<Point> points;
    if (plan.axes.empty()) return points;
    std::vector<std::size_t> digit(plan.axes.size(), 0);
    while (true) {
        Point p;
        for (std::size_t a = 0; a < plan.axes.size(); ++a) {
            const PlanAxis& axis = plan.axes[a];
            const json::Value& value = axis.values[digit[a]];
            p.overrides[axis.key] = value;
            p.axisValues.emplace_back(axis.key, value);
            p.label += (p.label.empty() ? "" : " ") + axis.key + "=" + valueText(value);
        }
        points.push_back(std::move(p));
        std::size_t a = plan.axes.size();
        while (a > 0 && ++digit[a - 1] == plan.axes[a - 1].values.size()) digit[--a] = 0;
        if (a == 0) return points;
    }
}

std::vector<Point> pointsOf(const Plan& plan)
{
    std::size_t gridSize = plan.axes.empty() ? 0 : 1;
    for (const PlanAxis& axis : plan.axes) {
        gridSize *= axis.values.size();
        if (gridSize > kMaxTasks) break;  // before the product can overflow
    }
    const std::size_t seeds = plan.seeds.empty() ? 1 : plan.seeds.size();
    const std::size_t count = (gridSize + plan.runs.size()) * seeds;
    if (gridSize > kMaxTasks || count > kMaxTasks)
        throw ConfigError("the plan expands to more than " + std::to_string(kMaxTasks) + " tasks");

    std::vector<Point> points = gridPoints(plan);
    for (const PlanRun& run : plan.runs) {
        Point p;
        p.label = run.label;
        p.overrides = run.set;
        p.run = &run;
        points.push_back(std::move(p));
    }
    if (points.empty()) points.emplace_back();  // neither axes nor runs: the base alone
    return points;
}

// Why a task's config fails, naming what the author wrote: the axis value or run that fails on
// the base by itself, else the base when it fails alike on its own, else the task with all it
// sets (a combination, such as an odd depth for a ResNet, is wrong only together). A value
// that fails on the base only as the base itself fails is not to blame.
std::string whyTaskFails(const Plan& plan, const Point& point, const PlanTask& task, const std::string& problem)
{
    const auto baseProblem = rejection(plan.base, json::Value::object());
    const auto blames = [&](const json::Value& overrides) -> std::optional<std::string> {
        const auto why = rejection(plan.base, overrides);
        return why && why != baseProblem ? why : std::nullopt;
    };
    for (const auto& [key, value] : point.axisValues) {
        json::Value alone = json::Value::object();
        alone[key] = value;
        if (const auto why = blames(alone)) return "axis \"" + key + "\", value " + value.dump(-1) + ": " + *why;
    }
    if (point.run)
        if (const auto why = blames(point.run->set))
            return "run " + (point.run->label.empty() ? std::string() : "\"" + point.run->label + "\"") + ": " + *why;
    if (baseProblem == problem) return "\"base\": " + problem;
    return "task " + std::to_string(task.index) + " (" + (task.label.empty() ? "" : task.label + ", ") + task.overrides.dump(-1) +
           "): " + problem;
}

// "CNN 20 (random init) seed=3" -> "cnn-20-random-init-seed-3": portable, shell-safe file names.
std::string slug(const std::string& label)
{
    std::string out;
    for (const char c : label) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || c == '.' || c == '_')
            out += static_cast<char>(std::tolower(u));
        else if (!out.empty() && out.back() != '-')
            out += '-';
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    if (out.size() > 60) out.resize(60);
    return out;
}

std::string folderName(int index, std::size_t taskCount, const std::string& label)
{
    std::string number = std::to_string(index);
    const std::size_t width = std::max<std::size_t>(3, std::to_string(taskCount - 1).size());
    if (number.size() < width) number.insert(0, width - number.size(), '0');
    const std::string name = slug(label);
    return name.empty() ? number : number + "-" + name;
}

json::Value taskToJson(const PlanTask& t)
{
    json::Value o = taskIdentityToJson(t);
    o["overrides"] = t.overrides;
    writeRunOptions(t.options, o);
    o["config"] = configToJson(t.config);
    return o;
}

}  // namespace

json::Value taskIdentityToJson(const PlanTask& task)
{
    json::Value o = json::Value::object();
    o["index"] = task.index;
    o["label"] = task.label;
    o["cell"] = task.cell;
    o["folder"] = task.folder;
    return o;
}

ExpandedPlan expandPlan(const Plan& plan)
{
    const std::string where = plan.source.empty() ? "plan" : plan.source;
    ExpandedPlan expanded;
    expanded.plan = plan;
    std::vector<Point> points;
    try {
        points = pointsOf(plan);
    } catch (const ConfigError& e) {
        throw ConfigError(where + ": " + e.what());
    }
    const std::vector<std::optional<std::uint64_t>> seeds =
        plan.seeds.empty() ? std::vector<std::optional<std::uint64_t>>{std::nullopt}
                           : std::vector<std::optional<std::uint64_t>>(plan.seeds.begin(), plan.seeds.end());
    const std::size_t taskCount = points.size() * seeds.size();
    for (const Point& point : points) {
        for (const auto& seed : seeds) {
            PlanTask task;
            task.index = static_cast<int>(expanded.tasks.size());
            task.overrides = point.overrides;
            if (seed) task.overrides["seed"] = static_cast<unsigned long long>(*seed);
            if (point.run) task.options = point.run->options;
            task.cell = point.label;
            task.label = task.cell;
            if (seed) task.label += (task.label.empty() ? "" : " ") + std::string("seed=") + std::to_string(*seed);
            try {
                task.config = configFromJson(merged(plan.base, task.overrides));
            } catch (const ConfigError& e) {
                throw ConfigError(where + ": " + whyTaskFails(plan, point, task, e.what()));
            }
            // Unnamed runs and the bare base are named after their model, as presets name theirs.
            if (task.cell.empty()) {
                task.cell = point.run || plan.name.empty() ? describeModel(task.config) : plan.name;
                task.label = seed ? task.cell + " seed=" + std::to_string(*seed) : task.cell;
            }
            task.folder = folderName(task.index, taskCount, task.label);
            expanded.tasks.push_back(std::move(task));
        }
    }
    return expanded;
}

json::Value planToJson(const ExpandedPlan& expanded)
{
    json::Value o = json::Value::object();
    o["format"] = kPlanJsonFormat;
    o["plan"] = planDefinitionToJson(expanded.plan);
    json::Value tasks = json::Value::array();
    for (const PlanTask& t : expanded.tasks) tasks.push_back(taskToJson(t));
    o["tasks"] = tasks;
    return o;
}

ExpandedPlan expandedPlanFromJson(const json::Value& root, const std::string& where)
{
    const json::Value* format = root.find("format");
    if (!format || !format->isString() || format->asString() != kPlanJsonFormat)
        throw DataError(where + ": not a sweep's plan.json (\"format\" is not \"" + std::string(kPlanJsonFormat) + "\")");
    const json::Value* plan = root.find("plan");
    const json::Value* tasks = root.find("tasks");
    if (!plan || !tasks || !tasks->isArray()) throw DataError(where + ": needs \"plan\" and a \"tasks\" list");
    ExpandedPlan expanded = expandPlan(planFromJson(*plan, where));
    if (tasks->size() != expanded.tasks.size())
        throw DataError(where + ": lists " + std::to_string(tasks->size()) + " tasks where its plan expands to " +
                        std::to_string(expanded.tasks.size()));
    for (const PlanTask& t : expanded.tasks)
        if (taskToJson(t) != tasks->asArray()[static_cast<std::size_t>(t.index)])
            throw DataError(where + ": task " + std::to_string(t.index) + " is not what its plan expands to");
    return expanded;
}

}  // namespace il
