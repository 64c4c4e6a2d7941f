#include "engine/sweep/phase_diagram.h"

#include <cmath>
#include <limits>
#include <map>

#include "engine/core/errors.h"

namespace il {

std::vector<RhoPoint> rhoSweepFromMetricsJson(const json::Value& metrics)
{
    std::vector<RhoPoint> points;
    const json::Value* sweep = metrics.find("rho_sweep");
    if (!sweep || sweep->isNull()) return points;
    try {
        for (const json::Value& e : sweep->asArray()) {
            RhoPoint p;
            p.rho = e.at("rho").asNumber();
            // A diverged run writes NaN as null.
            const json::Value& identity = e.at("corr_identity");
            const json::Value& constant = e.at("corr_constant");
            p.corrIdentity = identity.isNull() ? std::numeric_limits<double>::quiet_NaN() : identity.asNumber();
            p.corrConstant = constant.isNull() ? std::numeric_limits<double>::quiet_NaN() : constant.asNumber();
            points.push_back(p);
        }
    } catch (const ConfigError& e) {
        throw DataError(std::string("\"rho_sweep\": ") + e.what());
    }
    return points;
}

PhaseDiagram phaseDiagram(const SweepCollection& sweep)
{
    std::vector<PhaseRun> runs;
    for (const CollectedRun& run : sweep.runs) {
        try {
            runs.push_back({run.task.cell, rhoSweepFromMetricsJson(run.metrics)});
        } catch (const DataError&) {
            // collect names damaged folders; a bad sweep only leaves the run out here
        }
    }
    return phaseDiagram(runs);
}

PhaseDiagram phaseDiagram(const std::vector<PhaseRun>& runs)
{
    PhaseDiagram d;
    // Sums per cell, in the order cells first appear.
    struct Sums {
        std::vector<double> identity, constant;
        std::vector<int> count;
        int runs = 0;
    };
    std::vector<std::string> order;
    std::map<std::string, Sums> sums;
    for (const PhaseRun& run : runs) {
        const std::vector<RhoPoint>& points = run.rhoSweep;
        if (points.empty()) continue;
        if (d.rho.empty())
            for (const RhoPoint& p : points) d.rho.push_back(p.rho);
        if (points.size() != d.rho.size()) continue;
        bool same = true;
        for (std::size_t i = 0; i < points.size(); ++i) same = same && std::abs(points[i].rho - d.rho[i]) < 1e-9;
        if (!same) continue;
        auto [it, added] = sums.try_emplace(run.cell);
        if (added) {
            order.push_back(run.cell);
            it->second.identity.assign(d.rho.size(), 0.0);
            it->second.constant.assign(d.rho.size(), 0.0);
            it->second.count.assign(d.rho.size(), 0);
        }
        Sums& s = it->second;
        ++s.runs;
        for (std::size_t i = 0; i < points.size(); ++i) {
            if (!std::isfinite(points[i].corrIdentity) || !std::isfinite(points[i].corrConstant)) continue;
            s.identity[i] += points[i].corrIdentity;
            s.constant[i] += points[i].corrConstant;
            ++s.count[i];
        }
    }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (const std::string& cell : order) {
        const Sums& s = sums.at(cell);
        d.cells.push_back(cell);
        d.runs.push_back(s.runs);
        std::vector<double> identity(d.rho.size(), nan), constant(d.rho.size(), nan);
        std::vector<Zone> zones(d.rho.size(), Zone::C);
        for (std::size_t i = 0; i < d.rho.size(); ++i) {
            if (s.count[i] == 0) continue;
            identity[i] = s.identity[i] / s.count[i];
            constant[i] = s.constant[i] / s.count[i];
            zones[i] = classifyZone(identity[i], constant[i]);
        }
        d.corrIdentity.push_back(std::move(identity));
        d.corrConstant.push_back(std::move(constant));
        d.zone.push_back(std::move(zones));
    }
    return d;
}

}  // namespace il
