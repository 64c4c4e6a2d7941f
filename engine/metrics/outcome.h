#pragma once
// What a trained network does, in one word: the rows of the paper's Figures 2-3 are the
// identity, the constant training image, or something between. The outcome is read from the
// held-out probes only: on the training image itself the identity and the constant coincide.
// The rules and their thresholds are a public contract (docs/config.md, "Outcomes").

#include <string>
#include <vector>

namespace il {

struct ProbeOutcome;  // engine/train/results.h, which carries an Outcome in its RunMetrics

enum class Outcome {
    Identity,  // copies its input (Figure 3, depths 1-7)
    Constant,  // the training image for every input (Figure 2's 6-layer ReLU FCN, Figure 3 at 20)
    Partial,   // the training image partly there: mixed with the input, or fragments of it
    Dark,      // output near zero for most inputs (the f = 0 plateau; Figure 3 at 15-16)
    Other,     // none of these: outlines, noise, blur (Figure 3 at 9-14)
};
const char* toString(Outcome);
Outcome outcomeFromString(const std::string& name);  // throws ConfigError naming the accepted words
constexpr int kOutcomeCount = 5;

// A probe "shows" a function when its output correlates with that function's answer above this.
constexpr double kOutcomeProbeCorrelation = 0.9;
// Identity or constant when at least this share of the held-out probes shows it (the issue's
// "> 0.9 correlation on at least 80 % of the probes"): one or two odd probes do not veto.
constexpr double kOutcomeProbeFraction = 0.8;
// Partial when the mean correlation with the training image reaches this: the Zones' "high"
// (kZoneHighThreshold), the point from which the '7' is the larger part of what one sees.
constexpr double kOutcomePartialMeanConstant = 0.5;
// Dark when the outputs carry less than this share of the inputs' mean absolute pixel value.
constexpr double kOutcomeDarkEnergyRatio = 0.1;

// The numbers an outcome is decided from; all over the held-out probes (every group but Train).
struct OutcomeScores {
    int probes = 0;                 // how many held-out probes
    double identityFraction = 0.0;  // share with corrIdentity > kOutcomeProbeCorrelation
    double constantFraction = 0.0;  // share with corrConstant > kOutcomeProbeCorrelation
    double meanCorrIdentity = 0.0;
    double meanCorrConstant = 0.0;
    double energyRatio = 0.0;  // sum |output| / sum |input| over all their pixels
};

struct OutcomeReport {
    Outcome outcome = Outcome::Other;
    OutcomeScores scores;
};

// Rules, first match wins:
//  1. no held-out probe                                  -> Other (nothing to judge from)
//  2. energyRatio < kOutcomeDarkEnergyRatio              -> Dark (correlations of a near-zero
//     output measure its faint residue, not what one sees)
//  3. identityFraction and constantFraction both reach kOutcomeProbeFraction (only for inputs
//     that resemble the training image) -> the one with the larger mean correlation, Identity on a tie
//  4. identityFraction >= kOutcomeProbeFraction          -> Identity
//  5. constantFraction >= kOutcomeProbeFraction          -> Constant
//  6. meanCorrConstant >= kOutcomePartialMeanConstant    -> Partial
//  7. otherwise                                          -> Other
OutcomeReport classifyOutcome(const std::vector<ProbeOutcome>& probes);

}  // namespace il
