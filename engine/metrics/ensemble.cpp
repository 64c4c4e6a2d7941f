#include "engine/metrics/ensemble.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/core/errors.h"

namespace il {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

ProbeGroup probeGroupFrom(const std::string& name)
{
    for (const ProbeGroup g : {ProbeGroup::Train, ProbeGroup::Blend, ProbeGroup::Mnist, ProbeGroup::Fashion, ProbeGroup::Pattern,
                               ProbeGroup::Noise, ProbeGroup::User})
        if (name == toString(g)) return g;
    throw ConfigError("metrics.json: unknown probe group \"" + name + "\"");
}

// Rounded as metrics.json rounds, so that summaries diff as cleanly as the runs they summarise.
json::Value rounded(double v)
{
    if (!std::isfinite(v)) return json::Value(nullptr);
    return std::round(v * 1e6) / 1e6;
}

json::Value spreadToJson(const MeanAndSpread& s)
{
    json::Value o = json::Value::object();
    o["mean"] = rounded(s.mean);
    o["std"] = rounded(s.stddev);
    return o;
}

json::Value shareToJson(const ShareInterval& s)
{
    json::Value o = json::Value::object();
    o["count"] = s.count;
    o["n"] = s.total;
    o["fraction"] = rounded(s.fraction);
    o["low"] = rounded(s.low);
    o["high"] = rounded(s.high);
    return o;
}

}  // namespace

EnsembleMember ensembleMemberFromMetricsJson(const json::Value& metrics)
{
    EnsembleMember m;
    m.outcome = outcomeFromString(metrics.at("outcome").asString());
    for (const auto& [name, g] : metrics.at("groups").members()) {
        GroupSummary s;
        s.group = probeGroupFrom(name);
        s.corrIdentity = g.at("corr_identity").asNumber();
        s.corrConstant = g.at("corr_constant").asNumber();
        s.count = static_cast<int>(g.at("count").asInteger());
        m.groups.push_back(s);
    }
    return m;
}

EnsembleMember ensembleMemberFromMetrics(const RunMetrics& metrics)
{
    EnsembleMember m;
    m.outcome = metrics.outcome;
    m.groups = metrics.groups;
    return m;
}

MeanAndSpread meanAndSpread(const std::vector<double>& values)
{
    MeanAndSpread s;
    if (values.empty()) return {kNaN, kNaN};
    for (const double v : values) s.mean += v;
    s.mean /= static_cast<double>(values.size());
    if (values.size() < 2) {
        s.stddev = kNaN;
        return s;
    }
    double squares = 0.0;
    for (const double v : values) squares += (v - s.mean) * (v - s.mean);
    s.stddev = std::sqrt(squares / static_cast<double>(values.size() - 1));
    return s;
}

ShareInterval wilsonInterval(int count, int total, double z)
{
    ShareInterval s;
    s.count = count;
    s.total = total;
    if (total <= 0) {
        s.fraction = kNaN;
        return s;  // [0, 1]: nothing is known
    }
    const double n = total;
    const double p = count / n;
    const double z2 = z * z;
    const double denominator = 1.0 + z2 / n;
    const double centre = (p + z2 / (2.0 * n)) / denominator;
    const double halfWidth = z / denominator * std::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n));
    s.fraction = p;
    s.low = std::max(0.0, centre - halfWidth);
    s.high = std::min(1.0, centre + halfWidth);
    return s;
}

EnsembleCell summarizeCell(const std::string& label, const json::Value& parameters, const std::vector<EnsembleMember>& members)
{
    EnsembleCell cell;
    cell.label = label;
    cell.parameters = parameters;
    cell.n = static_cast<int>(members.size());
    for (const EnsembleMember& m : members) ++cell.outcomeCounts[static_cast<std::size_t>(m.outcome)];
    cell.identity = wilsonInterval(cell.outcomeCounts[static_cast<std::size_t>(Outcome::Identity)], cell.n);
    cell.constant = wilsonInterval(cell.outcomeCounts[static_cast<std::size_t>(Outcome::Constant)], cell.n);

    // Groups in first-seen order; a member without a group (another probe set) is left out of it.
    std::vector<ProbeGroup> order;
    for (const EnsembleMember& m : members)
        for (const GroupSummary& g : m.groups)
            if (std::find(order.begin(), order.end(), g.group) == order.end()) order.push_back(g.group);
    for (const ProbeGroup group : order) {
        std::vector<double> identity, constant;
        for (const EnsembleMember& m : members)
            for (const GroupSummary& g : m.groups)
                if (g.group == group) {
                    identity.push_back(g.corrIdentity);
                    constant.push_back(g.corrConstant);
                }
        GroupStatistics s;
        s.group = group;
        s.n = static_cast<int>(identity.size());
        s.corrIdentity = meanAndSpread(identity);
        s.corrConstant = meanAndSpread(constant);
        cell.groups.push_back(s);
    }
    return cell;
}

std::vector<EnsembleCell> summarizeCells(const std::vector<EnsembleRun>& runs)
{
    std::vector<std::string> order;
    for (const EnsembleRun& r : runs)
        if (std::find(order.begin(), order.end(), r.cell) == order.end()) order.push_back(r.cell);
    std::vector<EnsembleCell> cells;
    for (const std::string& label : order) {
        std::vector<EnsembleMember> members;
        const json::Value* parameters = nullptr;
        for (const EnsembleRun& r : runs)
            if (r.cell == label) {
                members.push_back(r.member);
                if (!parameters) parameters = &r.parameters;
            }
        cells.push_back(summarizeCell(label, *parameters, members));
    }
    return cells;
}

json::Value ensembleCellToJson(const EnsembleCell& cell)
{
    json::Value o = json::Value::object();
    o["label"] = cell.label;
    o["parameters"] = cell.parameters;
    o["n"] = cell.n;
    json::Value outcomes = json::Value::object();
    for (int i = 0; i < kOutcomeCount; ++i) outcomes[toString(static_cast<Outcome>(i))] = cell.outcomeCounts[static_cast<std::size_t>(i)];
    o["outcomes"] = outcomes;
    o["identity"] = shareToJson(cell.identity);
    o["constant"] = shareToJson(cell.constant);
    json::Value groups = json::Value::object();
    for (const GroupStatistics& g : cell.groups) {
        json::Value e = json::Value::object();
        e["n"] = g.n;
        e["corr_identity"] = spreadToJson(g.corrIdentity);
        e["corr_constant"] = spreadToJson(g.corrConstant);
        groups[toString(g.group)] = e;
    }
    o["groups"] = groups;
    return o;
}

}  // namespace il
