#include "engine/train/trajectory_jsonl.h"

#include <cmath>

#include "engine/io/json.h"

namespace il {

namespace {

// NaN and infinity (a diverged run) have no JSON spelling: null, as metrics.json writes them.
json::Value finiteOrNull(double v) { return std::isfinite(v) ? json::Value(v) : json::Value(nullptr); }

}  // namespace

std::string trajectoryJsonl(const std::vector<TrajectoryPoint>& trajectory)
{
    std::string out;
    for (const TrajectoryPoint& point : trajectory) {
        json::Value line = json::Value::object();
        line["step"] = point.step;
        line["loss"] = finiteOrNull(point.loss);
        line["lr"] = point.lr;
        json::Value groups = json::Value::object();
        for (const GroupSummary& g : point.groups) {
            json::Value e = json::Value::object();
            e["corr_identity"] = finiteOrNull(g.corrIdentity);
            e["corr_constant"] = finiteOrNull(g.corrConstant);
            groups[toString(g.group)] = e;
        }
        line["groups"] = groups;
        out += line.dump(-1) + "\n";
    }
    return out;
}

}  // namespace il
