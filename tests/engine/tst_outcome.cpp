// The outcome classifier (engine/metrics/outcome.h) on hand-made network outputs: each rule on
// a clear case, then every threshold on both sides of its edge.

#include <QtTest>

#include <random>
#include <vector>

#include "engine/core/errors.h"
#include "engine/metrics/correlation.h"
#include "engine/metrics/outcome.h"
#include "engine/train/metrics_json.h"
#include "engine/train/results.h"

using namespace il;

namespace {

constexpr int kSide = 28;

void fillRect(Image& image, int x0, int y0, int x1, int y1)
{
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x) image.at(0, y, x) = 1.0f;
}

// A '7': the top bar and a diagonal stroke down to the lower left.
Image seven()
{
    Image image(1, kSide, kSide);
    fillRect(image, 6, 5, 22, 8);
    for (int y = 8; y < 24; ++y) {
        const int x = 20 - (y - 8) * 10 / 16;
        fillRect(image, x - 1, y, x + 2, y + 1);
    }
    return image;
}

// Held-out inputs with about as much ink as the '7', none of them like it: what the figures'
// digits and shapes are to the training image.
std::vector<Image> heldOutInputs()
{
    std::vector<Image> inputs;
    Image square(1, kSide, kSide);
    fillRect(square, 9, 9, 19, 19);
    inputs.push_back(square);
    Image stripes(1, kSide, kSide);
    for (int x = 4; x < 24; x += 6) fillRect(stripes, x, 14, x + 2, 26);
    inputs.push_back(stripes);
    Image cross(1, kSide, kSide);
    fillRect(cross, 12, 4, 15, 24);
    fillRect(cross, 4, 12, 24, 15);
    inputs.push_back(cross);
    Image corner(1, kSide, kSide);
    fillRect(corner, 2, 16, 5, 26);
    fillRect(corner, 2, 23, 14, 26);
    inputs.push_back(corner);
    Image dots(1, kSide, kSide);
    for (int y = 3; y < 25; y += 7)
        for (int x = 3; x < 25; x += 7) fillRect(dots, x, y, x + 3, y + 3);
    inputs.push_back(dots);
    return inputs;
}

ProbeOutcome probe(ProbeGroup group, const Image& input, const Image& output)
{
    ProbeOutcome p;
    p.name = toString(group);
    p.group = group;
    p.input = input;
    p.output = output;
    p.corrIdentity = pearson(output.pixels.data(), input.pixels.data(), input.size());
    p.corrConstant = pearson(output.pixels.data(), seven().pixels.data(), input.size());
    return p;
}

// The training probe first (the figures' first column), then the held-out ones, each output
// made from its input by `network`.
template <typename Network>
std::vector<ProbeOutcome> probesThrough(Network network)
{
    std::vector<ProbeOutcome> probes{probe(ProbeGroup::Train, seven(), network(seven()))};
    for (const Image& input : heldOutInputs()) probes.push_back(probe(ProbeGroup::Pattern, input, network(input)));
    return probes;
}

// Five held-out probes with the given correlations and output brightness (input all ones).
std::vector<ProbeOutcome> probesWith(const std::vector<double>& corrIdentity, const std::vector<double>& corrConstant,
                                     float outputLevel = 1.0f)
{
    std::vector<ProbeOutcome> probes;
    for (std::size_t i = 0; i < corrIdentity.size(); ++i) {
        ProbeOutcome p;
        p.group = ProbeGroup::Mnist;
        p.input = Image(1, kSide, kSide, 1.0f);
        p.output = Image(1, kSide, kSide, outputLevel);
        p.corrIdentity = corrIdentity[i];
        p.corrConstant = corrConstant[i];
        probes.push_back(p);
    }
    return probes;
}

}  // namespace

class TstOutcome : public QObject {
    Q_OBJECT

private slots:
    void copyOfTheInput_isIdentity()
    {
        const OutcomeReport r = classifyOutcome(probesThrough([](const Image& x) { return x; }));
        QCOMPARE(r.outcome, Outcome::Identity);
        QCOMPARE(r.scores.probes, 5);  // the training probe is not counted
        QCOMPARE(r.scores.identityFraction, 1.0);
        QCOMPARE(r.scores.constantFraction, 0.0);
        QCOMPARE(r.scores.energyRatio, 1.0);
    }

    void theSevenForEveryInput_isConstant()
    {
        const OutcomeReport r = classifyOutcome(probesThrough([](const Image&) { return seven(); }));
        QCOMPARE(r.outcome, Outcome::Constant);
        QCOMPARE(r.scores.constantFraction, 1.0);
        QCOMPARE(r.scores.identityFraction, 0.0);
        QVERIFY(qAbs(r.scores.meanCorrConstant - 1.0) < 1e-9);
    }

    void zeros_areDark()
    {
        const OutcomeReport r = classifyOutcome(probesThrough([](const Image& x) { return Image(1, x.height, x.width); }));
        QCOMPARE(r.outcome, Outcome::Dark);
        QCOMPARE(r.scores.energyRatio, 0.0);
    }

    void aFaintSeven_isDarkNotConstant()
    {
        // The f = 0 plateau leaves a trace of the '7' that correlates perfectly but is not seen.
        const OutcomeReport r = classifyOutcome(probesThrough([](const Image&) {
            Image faint = seven();
            for (float& p : faint.pixels) p *= 0.01f;
            return faint;
        }));
        QCOMPARE(r.outcome, Outcome::Dark);
        QCOMPARE(r.scores.constantFraction, 1.0);
    }

    void halfInputHalfSeven_isPartial()
    {
        const OutcomeReport r = classifyOutcome(probesThrough([](const Image& x) {
            Image mix = x;
            const Image s = seven();
            for (std::size_t i = 0; i < mix.size(); ++i) mix.pixels[i] = 0.5f * (x.pixels[i] + s.pixels[i]);
            return mix;
        }));
        QCOMPARE(r.outcome, Outcome::Partial);
        QVERIFY(r.scores.meanCorrConstant >= kOutcomePartialMeanConstant);
        QVERIFY(r.scores.meanCorrIdentity >= 0.5);  // the input is there too
        QVERIFY(r.scores.identityFraction < kOutcomeProbeFraction);
    }

    void noise_isOther()
    {
        std::mt19937 random(7);
        std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
        const OutcomeReport r = classifyOutcome(probesThrough([&](const Image& x) {
            Image noise(1, x.height, x.width);
            for (float& p : noise.pixels) p = uniform(random);
            return noise;
        }));
        QCOMPARE(r.outcome, Outcome::Other);
        QVERIFY(qAbs(r.scores.meanCorrIdentity) < 0.3);
        QVERIFY(qAbs(r.scores.meanCorrConstant) < 0.3);
    }

    void trainingProbeAlone_isOtherWithNoProbes()
    {
        const OutcomeReport r = classifyOutcome({probe(ProbeGroup::Train, seven(), seven())});
        QCOMPARE(r.outcome, Outcome::Other);
        QCOMPARE(r.scores.probes, 0);
    }

    void probeCorrelation_mustExceedPointNine()
    {
        QCOMPARE(classifyOutcome(probesWith({0.9, 0.9, 0.9, 0.9, 0.9}, {0, 0, 0, 0, 0})).outcome, Outcome::Other);
        QCOMPARE(classifyOutcome(probesWith({0.9001, 0.9001, 0.9001, 0.9001, 0.9001}, {0, 0, 0, 0, 0})).outcome, Outcome::Identity);
    }

    void fourOfFiveProbes_areEnough_threeAreNot()
    {
        QCOMPARE(classifyOutcome(probesWith({0, 0, 0, 0, 0}, {0.95, 0.95, 0.95, 0.95, 0.2})).outcome, Outcome::Constant);
        // 3 of 5 with the '7' at 0.95 and two at 0.2: mean 0.65, the '7' is partly there.
        QCOMPARE(classifyOutcome(probesWith({0, 0, 0, 0, 0}, {0.95, 0.95, 0.95, 0.2, 0.2})).outcome, Outcome::Partial);
        QCOMPARE(classifyOutcome(probesWith({0.95, 0.95, 0.95, 0.95, 0.2}, {0, 0, 0, 0, 0})).outcome, Outcome::Identity);
        QCOMPARE(classifyOutcome(probesWith({0.95, 0.95, 0.95, 0.2, 0.2}, {0, 0, 0, 0, 0})).outcome, Outcome::Other);
    }

    void partial_startsAtMeanPointFive()
    {
        QCOMPARE(classifyOutcome(probesWith({0, 0, 0, 0, 0}, {0.5, 0.5, 0.5, 0.5, 0.5})).outcome, Outcome::Partial);
        QCOMPARE(classifyOutcome(probesWith({0, 0, 0, 0, 0}, {0.4999, 0.4999, 0.4999, 0.4999, 0.4999})).outcome, Outcome::Other);
    }

    void dark_isBelowATenthOfTheInputsEnergy()
    {
        const std::vector<double> none{0, 0, 0, 0, 0};
        // 0.1f is a little above 0.1 in binary, 0.0999f below.
        QCOMPARE(classifyOutcome(probesWith(none, none, 0.1f)).outcome, Outcome::Other);
        QCOMPARE(classifyOutcome(probesWith(none, none, 0.0999f)).outcome, Outcome::Dark);
        // Negative outputs are as visible as positive ones.
        QCOMPARE(classifyOutcome(probesWith(none, none, -0.5f)).outcome, Outcome::Other);
    }

    void identityAndConstantTogether_goToTheLargerMean()
    {
        const std::vector<double> high{0.99, 0.99, 0.99, 0.99, 0.99};
        const std::vector<double> lower{0.95, 0.95, 0.95, 0.95, 0.95};
        QCOMPARE(classifyOutcome(probesWith(high, lower)).outcome, Outcome::Identity);
        QCOMPARE(classifyOutcome(probesWith(lower, high)).outcome, Outcome::Constant);
        QCOMPARE(classifyOutcome(probesWith(high, high)).outcome, Outcome::Identity);
    }

    void names_roundTrip()
    {
        for (int i = 0; i < kOutcomeCount; ++i) {
            const Outcome o = static_cast<Outcome>(i);
            QCOMPARE(outcomeFromString(toString(o)), o);
        }
        QVERIFY_THROWS_EXCEPTION(ConfigError, outcomeFromString("memorised"));
    }

    void metricsJson_carriesTheOutcomeAndItsScores()
    {
        RunMetrics m;
        const OutcomeReport r = classifyOutcome(probesThrough([](const Image&) { return seven(); }));
        m.outcome = r.outcome;
        m.outcomeScores = r.scores;
        const json::Value j = metricsToJson(m);
        QCOMPARE(j.at("outcome").asString(), std::string("constant"));
        const json::Value& s = j.at("outcome_scores");
        QCOMPARE(s.at("probes").asInteger(), 5LL);
        QCOMPARE(s.at("constant_fraction").asNumber(), 1.0);
        QCOMPARE(s.at("identity_fraction").asNumber(), 0.0);
        QCOMPARE(s.at("mean_corr_constant").asNumber(), 1.0);
        QVERIFY(s.contains("mean_corr_identity"));
        QVERIFY(s.contains("energy_ratio"));
    }
};

QTEST_GUILESS_MAIN(TstOutcome)
#include "tst_outcome.moc"
