#include "engine/metrics/outcome.h"

#include <cmath>

#include "engine/core/errors.h"
#include "engine/train/results.h"

namespace il {

namespace {

// A share compared with a threshold such as 0.8: 4 of 5 must count although 4.0 / 5 may round
// below 0.8 in binary.
bool reaches(double fraction, double threshold) { return fraction >= threshold - 1e-12; }

double absoluteSum(const Image& image)
{
    double sum = 0.0;
    for (const float p : image.pixels) sum += std::fabs(static_cast<double>(p));
    return sum;
}

OutcomeScores scoresOf(const std::vector<ProbeOutcome>& probes)
{
    OutcomeScores s;
    int identityCount = 0, constantCount = 0;
    double inputEnergy = 0.0, outputEnergy = 0.0;
    for (const ProbeOutcome& p : probes) {
        if (p.group == ProbeGroup::Train) continue;
        ++s.probes;
        if (p.corrIdentity > kOutcomeProbeCorrelation) ++identityCount;
        if (p.corrConstant > kOutcomeProbeCorrelation) ++constantCount;
        s.meanCorrIdentity += p.corrIdentity;
        s.meanCorrConstant += p.corrConstant;
        inputEnergy += absoluteSum(p.input);
        outputEnergy += absoluteSum(p.output);
    }
    if (s.probes == 0) return s;
    s.identityFraction = static_cast<double>(identityCount) / s.probes;
    s.constantFraction = static_cast<double>(constantCount) / s.probes;
    s.meanCorrIdentity /= s.probes;
    s.meanCorrConstant /= s.probes;
    // Black inputs only (never among the figures' probes): any output is as bright as they are.
    s.energyRatio = inputEnergy > 0.0 ? outputEnergy / inputEnergy : 1.0;
    return s;
}

Outcome outcomeOf(const OutcomeScores& s)
{
    if (s.probes == 0) return Outcome::Other;
    if (s.energyRatio < kOutcomeDarkEnergyRatio) return Outcome::Dark;
    const bool identity = reaches(s.identityFraction, kOutcomeProbeFraction);
    const bool constant = reaches(s.constantFraction, kOutcomeProbeFraction);
    if (identity && constant) return s.meanCorrConstant > s.meanCorrIdentity ? Outcome::Constant : Outcome::Identity;
    if (identity) return Outcome::Identity;
    if (constant) return Outcome::Constant;
    if (s.meanCorrConstant >= kOutcomePartialMeanConstant) return Outcome::Partial;
    return Outcome::Other;
}

}  // namespace

const char* toString(Outcome o)
{
    switch (o) {
        case Outcome::Identity:
            return "identity";
        case Outcome::Constant:
            return "constant";
        case Outcome::Partial:
            return "partial";
        case Outcome::Dark:
            return "dark";
        case Outcome::Other:
            return "other";
    }
    return "?";
}

Outcome outcomeFromString(const std::string& name)
{
    for (int i = 0; i < kOutcomeCount; ++i)
        if (name == toString(static_cast<Outcome>(i))) return static_cast<Outcome>(i);
    throw ConfigError("unknown outcome \"" + name + "\"; accepted: identity, constant, partial, dark, other");
}

OutcomeReport classifyOutcome(const std::vector<ProbeOutcome>& probes)
{
    OutcomeReport report;
    report.scores = scoresOf(probes);
    report.outcome = outcomeOf(report.scores);
    return report;
}

}  // namespace il
