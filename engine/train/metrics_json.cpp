#include "engine/train/metrics_json.h"

#include <cmath>
#include <sstream>

namespace il {

namespace {

// Rounded so that metrics.json stays readable and diffs between runs are meaningful.
double rounded(double v) { return std::isfinite(v) ? std::round(v * 1e6) / 1e6 : v; }

json::Value outcomeScoresToJson(const OutcomeScores& s)
{
    json::Value o = json::Value::object();
    o["probes"] = s.probes;
    o["identity_fraction"] = rounded(s.identityFraction);
    o["constant_fraction"] = rounded(s.constantFraction);
    o["mean_corr_identity"] = rounded(s.meanCorrIdentity);
    o["mean_corr_constant"] = rounded(s.meanCorrConstant);
    o["energy_ratio"] = rounded(s.energyRatio);
    return o;
}

}  // namespace

json::Value metricsToJson(const RunMetrics& m)
{
    json::Value o = json::Value::object();
    o["parameters"] = m.parameters;
    o["weight_parameters"] = m.weightParameters;
    o["bias_parameters"] = m.biasParameters;
    o["final_loss"] = std::isfinite(m.finalLoss) ? json::Value(m.finalLoss) : json::Value(nullptr);
    o["steps_done"] = m.stepsDone;
    o["stop_reason"] = toString(m.stopReason);
    if (!m.stopDetail.empty()) o["stop_detail"] = m.stopDetail;
    o["seconds"] = rounded(m.seconds);
    o["steps_per_s"] = rounded(m.stepsPerSecond);
    o["device"] = m.device;
    o["output_collapsed"] = m.outputCollapsed;
    o["outcome"] = toString(m.outcome);
    o["outcome_scores"] = outcomeScoresToJson(m.outcomeScores);
    json::Value probes = json::Value::array();
    for (const ProbeOutcome& p : m.probes) {
        json::Value e = json::Value::object();
        e["name"] = p.name;
        e["group"] = toString(p.group);
        e["corr_identity"] = rounded(p.corrIdentity);
        e["corr_constant"] = rounded(p.corrConstant);
        e["mse"] = rounded(p.mse);
        probes.push_back(e);
    }
    o["probes"] = probes;
    json::Value groups = json::Value::object();
    for (const GroupSummary& g : m.groups) {
        json::Value e = json::Value::object();
        e["corr_identity"] = rounded(g.corrIdentity);
        e["corr_constant"] = rounded(g.corrConstant);
        e["count"] = g.count;
        groups[toString(g.group)] = e;
    }
    o["groups"] = groups;
    json::Value sweep = json::Value::array();
    for (const RhoPoint& p : m.rhoSweep) {
        json::Value e = json::Value::object();
        e["rho"] = rounded(p.rho);
        e["corr_identity"] = rounded(p.corrIdentity);
        e["corr_constant"] = rounded(p.corrConstant);
        e["corr_identity_std"] = rounded(p.corrIdentityStd);
        e["corr_constant_std"] = rounded(p.corrConstantStd);
        e["zone"] = toString(p.zone);
        sweep.push_back(e);
    }
    o["rho_sweep"] = sweep;
    if (!m.layerClassifier.layers.empty()) {
        json::Value lc = json::Value::object();
        lc["images"] = m.layerClassifier.images;
        json::Value layers = json::Value::array();
        for (std::size_t i = 0; i < m.layerClassifier.layers.size(); ++i) {
            json::Value e = json::Value::object();
            e["layer"] = m.layerClassifier.layers[i];
            e["error"] = rounded(m.layerClassifier.error[i]);
            layers.push_back(e);
        }
        lc["layers"] = layers;
        o["layer_classifier"] = lc;
    }
    return o;
}

std::string lossCsv(const std::vector<LossPoint>& losses)
{
    std::ostringstream s;
    s.precision(9);
    s << "step,loss,lr\n";
    for (const LossPoint& p : losses) s << p.step + 1 << ',' << p.loss << ',' << p.lr << '\n';
    return s.str();
}

}  // namespace il
