#pragma once
// Statistics over a group of runs that differ only in their weight seed (a "cell" of a sweep,
// e.g. every run at depth 20): how often each outcome occurs and how the correlations spread.
// The paper's claims are about what networks stereotypically do; one run cannot show that.
// summary.json holds one cell object per cell (docs/config.md, "Sweep plans").

#include <array>
#include <string>
#include <vector>

#include "engine/io/json.h"
#include "engine/metrics/outcome.h"
#include "engine/train/results.h"

namespace il {

// What a cell needs of one run: its outcome and its probe groups' mean correlations.
struct EnsembleMember {
    Outcome outcome = Outcome::Other;
    std::vector<GroupSummary> groups;
};

// Reads the member's part of a run's metrics.json ("outcome", "groups"); throws ConfigError.
EnsembleMember ensembleMemberFromMetricsJson(const json::Value& metrics);
// The same part of a run's metrics in memory (what metricsToJson writes to metrics.json).
EnsembleMember ensembleMemberFromMetrics(const RunMetrics& metrics);

struct MeanAndSpread {
    double mean = 0.0;
    double stddev = 0.0;  // sample standard deviation (n - 1); NaN below two values
};
MeanAndSpread meanAndSpread(const std::vector<double>& values);  // NaN mean for no values

// A share k/n with its 95 % Wilson score interval: unlike the normal approximation it stays
// inside [0, 1] and is not zero-width at 0/n or n/n, the usual results of 5 seeds.
struct ShareInterval {
    int count = 0;
    int total = 0;
    double fraction = 0.0;  // count / total; NaN when total is 0
    double low = 0.0;
    double high = 1.0;
};
constexpr double kWilsonZ95 = 1.959964;  // the standard normal's 97.5 % quantile
ShareInterval wilsonInterval(int count, int total, double z = kWilsonZ95);

struct GroupStatistics {
    ProbeGroup group = ProbeGroup::Pattern;
    int n = 0;  // members that have this group
    MeanAndSpread corrIdentity;
    MeanAndSpread corrConstant;
};

struct EnsembleCell {
    std::string label;                               // "CNN 20", "depth=20"
    json::Value parameters = json::Value::object();  // what the cell's runs share: the swept keys
    int n = 0;
    std::array<int, kOutcomeCount> outcomeCounts{};  // indexed by Outcome
    ShareInterval identity;                          // members whose outcome is identity
    ShareInterval constant;                          // members whose outcome is constant
    std::vector<GroupStatistics> groups;             // in the order the groups first appear
};

EnsembleCell summarizeCell(const std::string& label, const json::Value& parameters, const std::vector<EnsembleMember>& members);

// One run of a sweep with the cell it belongs to (a plan task's "cell", and its overrides
// without "seed" as the parameters).
struct EnsembleRun {
    std::string cell;
    json::Value parameters = json::Value::object();
    EnsembleMember member;
};
// The runs grouped by cell label, cells in the order they first appear (a plan's task order).
std::vector<EnsembleCell> summarizeCells(const std::vector<EnsembleRun>& runs);

// summary.json's cell object: {"label", "parameters", "n", "outcomes": {name: count},
// "identity": {share}, "constant": {share}, "groups": {group: {"n", "corr_identity":
// {"mean", "std"}, "corr_constant": {...}}}}; a share is {"count", "n", "fraction", "low", "high"}.
json::Value ensembleCellToJson(const EnsembleCell& cell);

}  // namespace il
