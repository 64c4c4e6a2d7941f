// Ensemble statistics (engine/metrics/ensemble.h) against values worked out by hand.

#include <QtTest>

#include <cmath>

#include "engine/core/errors.h"
#include "engine/metrics/ensemble.h"

using namespace il;

namespace {

bool near(double a, double b, double tolerance = 5e-7) { return std::fabs(a - b) <= tolerance; }

EnsembleMember member(Outcome outcome, double mnistIdentity, double mnistConstant)
{
    EnsembleMember m;
    m.outcome = outcome;
    GroupSummary g;
    g.group = ProbeGroup::Mnist;
    g.corrIdentity = mnistIdentity;
    g.corrConstant = mnistConstant;
    g.count = 2;
    m.groups.push_back(g);
    return m;
}

}  // namespace

class TstEnsemble : public QObject {
    Q_OBJECT

private slots:
    // Wilson score interval, z = 1.959964, z^2 = 3.8414588...:
    //   d = 1 + z^2/n, centre = (p + z^2/(2n)) / d, half = (z/d) sqrt(p(1-p)/n + z^2/(4n^2)).
    void wilson_threeOfFive()
    {
        // n = 5, p = 0.6: d = 1.7682918, centre = 0.9841459 / 1.7682918 = 0.5565518,
        // half = 1.1083935 * sqrt(0.048 + 0.0384146) = 1.1083935 * 0.2939636 = 0.3258275.
        const ShareInterval s = wilsonInterval(3, 5);
        QCOMPARE(s.count, 3);
        QCOMPARE(s.total, 5);
        QCOMPARE(s.fraction, 0.6);
        QVERIFY(near(s.low, 0.230724));
        QVERIFY(near(s.high, 0.882379));
    }

    void wilson_noneOfFive()
    {
        // p = 0: centre = 0.3841459 / 1.7682918 = 0.2172412, half = 1.1083935 * sqrt(0.0384146)
        // = 0.2172412: the interval starts at 0 exactly and reaches 2 * 0.2172412.
        const ShareInterval s = wilsonInterval(0, 5);
        QCOMPARE(s.fraction, 0.0);
        QVERIFY(near(s.low, 0.0, 1e-12));
        QVERIFY(near(s.high, 0.434482));
    }

    void wilson_allOfFive()
    {
        // p = 1 mirrors p = 0: [1 - 0.434482, 1].
        const ShareInterval s = wilsonInterval(5, 5);
        QCOMPARE(s.fraction, 1.0);
        QVERIFY(near(s.low, 0.565518));
        QVERIFY(near(s.high, 1.0, 1e-12));
    }

    void wilson_ofNothing_isTheWholeRange()
    {
        const ShareInterval s = wilsonInterval(0, 0);
        QVERIFY(std::isnan(s.fraction));
        QCOMPARE(s.low, 0.0);
        QCOMPARE(s.high, 1.0);
    }

    void meanAndSpread_isTheSampleStandardDeviation()
    {
        // mean (0.2 + 0.4 + 0.9) / 3 = 0.5; squares 0.09 + 0.01 + 0.16 = 0.26; sqrt(0.26 / 2) = 0.3605551.
        const MeanAndSpread s = meanAndSpread({0.2, 0.4, 0.9});
        QVERIFY(near(s.mean, 0.5, 1e-12));
        QVERIFY(near(s.stddev, 0.36055513));
        const MeanAndSpread one = meanAndSpread({0.7});
        QCOMPARE(one.mean, 0.7);
        QVERIFY(std::isnan(one.stddev));
    }

    void cell_countsOutcomesAndSummarisesGroups()
    {
        json::Value parameters = json::Value::object();
        parameters["depth"] = 20;
        const EnsembleCell cell =
            summarizeCell("CNN 20", parameters,
                          {member(Outcome::Constant, 0.2, 0.95), member(Outcome::Constant, 0.4, 0.92), member(Outcome::Partial, 0.9, 0.6),
                           member(Outcome::Constant, 0.1, 0.97), member(Outcome::Dark, 0.0, 0.0)});
        QCOMPARE(cell.n, 5);
        QCOMPARE(cell.outcomeCounts[static_cast<std::size_t>(Outcome::Constant)], 3);
        QCOMPARE(cell.outcomeCounts[static_cast<std::size_t>(Outcome::Partial)], 1);
        QCOMPARE(cell.outcomeCounts[static_cast<std::size_t>(Outcome::Dark)], 1);
        QCOMPARE(cell.outcomeCounts[static_cast<std::size_t>(Outcome::Identity)], 0);
        QVERIFY(near(cell.constant.low, 0.230724));
        QVERIFY(near(cell.identity.high, 0.434482));
        QCOMPARE(cell.groups.size(), std::size_t(1));
        // identity: 0.2, 0.4, 0.9, 0.1, 0.0 -> mean 0.32, squares 0.0144 + 0.0064 + 0.3364 + 0.0484
        // + 0.1024 = 0.508, sd sqrt(0.508 / 4) = 0.3563706.
        QCOMPARE(cell.groups[0].n, 5);
        QVERIFY(near(cell.groups[0].corrIdentity.mean, 0.32, 1e-12));
        QVERIFY(near(cell.groups[0].corrIdentity.stddev, 0.3563706));
    }

    void runs_groupIntoCellsInFirstSeenOrder()
    {
        json::Value deep = json::Value::object(), shallow = json::Value::object();
        deep["depth"] = 20;
        shallow["depth"] = 1;
        const std::vector<EnsembleCell> cells = summarizeCells({{"depth=20", deep, member(Outcome::Constant, 0.1, 0.95)},
                                                                {"depth=1", shallow, member(Outcome::Identity, 0.99, 0.1)},
                                                                {"depth=20", deep, member(Outcome::Partial, 0.3, 0.6)},
                                                                {"depth=1", shallow, member(Outcome::Identity, 0.98, 0.1)},
                                                                {"depth=20", deep, member(Outcome::Constant, 0.2, 0.93)}});
        QCOMPARE(cells.size(), std::size_t(2));
        QCOMPARE(cells[0].label, std::string("depth=20"));
        QCOMPARE(cells[0].parameters, deep);
        QCOMPARE(cells[0].n, 3);
        QCOMPARE(cells[0].constant.count, 2);
        QCOMPARE(cells[1].label, std::string("depth=1"));
        QCOMPARE(cells[1].identity.count, 2);
        QCOMPARE(cells[1].identity.total, 2);
    }

    void cellJson_hasTheDocumentedShape()
    {
        json::Value parameters = json::Value::object();
        parameters["depth"] = 5;
        const EnsembleCell cell =
            summarizeCell("CNN 5", parameters, {member(Outcome::Identity, 0.98, 0.1), member(Outcome::Identity, 0.97, 0.12)});
        const json::Value j = ensembleCellToJson(cell);
        QCOMPARE(j.at("label").asString(), std::string("CNN 5"));
        QCOMPARE(j.at("parameters"), parameters);
        QCOMPARE(j.at("n").asInteger(), 2LL);
        QCOMPARE(j.at("outcomes").at("identity").asInteger(), 2LL);
        QCOMPARE(j.at("outcomes").at("constant").asInteger(), 0LL);
        QCOMPARE(j.at("outcomes").size(), std::size_t(kOutcomeCount));
        QCOMPARE(j.at("identity").at("count").asInteger(), 2LL);
        QCOMPARE(j.at("identity").at("n").asInteger(), 2LL);
        QCOMPARE(j.at("identity").at("fraction").asNumber(), 1.0);
        QVERIFY(j.at("identity").contains("low"));
        QCOMPARE(j.at("constant").at("high").asNumber() < 1.0, true);
        const json::Value& mnist = j.at("groups").at("mnist");
        QCOMPARE(mnist.at("n").asInteger(), 2LL);
        QCOMPARE(mnist.at("corr_identity").at("mean").asNumber(), 0.975);
        QVERIFY(mnist.at("corr_constant").contains("std"));
    }

    void singleRunCell_writesNullSpread()
    {
        const EnsembleCell cell = summarizeCell("one", json::Value::object(), {member(Outcome::Other, 0.5, 0.2)});
        const json::Value j = ensembleCellToJson(cell);
        QVERIFY(j.at("groups").at("mnist").at("corr_identity").at("std").isNull());
    }

    void member_readsBackFromMetricsJson()
    {
        const json::Value metrics = json::parse(R"({"outcome": "partial",
            "groups": {"train": {"corr_identity": 1, "corr_constant": 1, "count": 1},
                       "pattern": {"corr_identity": 0.4, "corr_constant": 0.7, "count": 6}}})");
        const EnsembleMember m = ensembleMemberFromMetricsJson(metrics);
        QCOMPARE(m.outcome, Outcome::Partial);
        QCOMPARE(m.groups.size(), std::size_t(2));
        QCOMPARE(m.groups[1].group, ProbeGroup::Pattern);
        QCOMPARE(m.groups[1].corrConstant, 0.7);
        QCOMPARE(m.groups[1].count, 6);
        QVERIFY_THROWS_EXCEPTION(ConfigError, ensembleMemberFromMetricsJson(json::parse(R"({"outcome": "great", "groups": {}})")));
    }
};

QTEST_GUILESS_MAIN(TstEnsemble)
#include "tst_ensemble.moc"
