// The rho construction gives the asked correlation exactly, and for a 1-layer linear FCN the
// sweep follows the closed form of docs/paper-summary.md, "Theorems".
#include <QtTest>

#include "engine/metrics/correlation.h"
#include "engine/metrics/rho_inputs.h"
#include "engine/probes/patterns.h"
#include "engine/train/training_session.h"

using namespace il;

class TstRhoSweep : public QObject {
    Q_OBJECT

private slots:
    void construction_hitsTheAskedCorrelationExactly_data()
    {
        QTest::addColumn<int>("kind");
        QTest::newRow("pearson") << int(CorrelationKind::Pearson);
        QTest::newRow("cosine") << int(CorrelationKind::Cosine);
    }
    void construction_hitsTheAskedCorrelationExactly()
    {
        QFETCH(int, kind);
        const auto k = static_cast<CorrelationKind>(kind);
        const Image reference = makePattern(Pattern::RingWithC, 28);
        for (double rho : rhoGrid(11)) {
            for (std::uint64_t seed = 0; seed < 5; ++seed) {
                const Image x = imageAtCorrelation(reference, rho, k, seed);
                QVERIFY2(std::abs(correlation(k, x.pixels, reference.pixels) - rho) < 1e-5, qPrintable(QStringLiteral("rho %1").arg(rho)));
            }
        }
        // Different seeds give different inputs at the same rho.
        QVERIFY(imageAtCorrelation(reference, 0.5, k, 1).pixels != imageAtCorrelation(reference, 0.5, k, 2).pixels);
    }

    void zones_followTheThresholds()
    {
        QCOMPARE(classifyZone(0.9, 0.9), Zone::A);
        QCOMPARE(classifyZone(0.9, 0.1), Zone::B);
        QCOMPARE(classifyZone(0.1, 0.1), Zone::C);
        QCOMPARE(classifyZone(0.1, 0.9), Zone::D);
    }

    void oneLayerLinearFcn_followsTheClosedFormCurves()
    {
        ExperimentConfig c;
        c.architecture = Architecture::Fcn;
        c.depth = 1;
        c.activation = Activation::Linear;
        c.bias = false;
        c.init = InitScheme::XavierUniform;  // s = d Var(W0) = 784 * 2/(784+784) = 1
        c.initScale = 1.0;
        c.lr = 1.0;
        c.momentum = 0.9;
        c.schedule = Schedule::Constant;
        c.steps = 300;
        c.correlation = CorrelationKind::Cosine;
        c.rhoSamples = 16;
        TrainingSession session(c, DataLocations::fromEnvironment());
        const RunMetrics m = session.run();
        QCOMPARE(int(m.rhoSweep.size()), c.rhoPoints);
        const double s = 1.0;
        for (const RhoPoint& p : m.rhoSweep) {
            const double denominator = std::sqrt(p.rho * p.rho + s * (1 - p.rho * p.rho));
            QVERIFY2(std::abs(p.corrConstant - p.rho / denominator) < 0.05,
                     qPrintable(QStringLiteral("rho %1: constant %2").arg(p.rho).arg(p.corrConstant)));
            QVERIFY2(std::abs(p.corrIdentity - p.rho * p.rho / denominator) < 0.05,
                     qPrintable(QStringLiteral("rho %1: identity %2").arg(p.rho).arg(p.corrIdentity)));
        }
        // Small rho: both low, the 1-layer FCN hallucinates noise (zone C).
        QCOMPARE(m.rhoSweep.front().zone, Zone::C);
        QCOMPARE(m.rhoSweep.back().zone, Zone::A);
    }
};

QTEST_GUILESS_MAIN(TstRhoSweep)
#include "tst_rho_sweep.moc"
