// The closed forms of docs/paper-summary.md, "Theorems", hold for networks the engine trains: Theorem 1 for a
// 1-layer linear FCN (with and without bias), and the centre-tap delta kernel for a 1-layer CNN.
#include <QtTest>

#include "engine/data/dataset.h"
#include "engine/probes/patterns.h"
#include "engine/train/training_session.h"

using namespace il;

namespace {

double maxAbsDiff(const Image& a, const Image& b)
{
    double m = 0.0;
    for (std::size_t i = 0; i < a.pixels.size(); ++i) m = std::max(m, double(std::abs(a.pixels[i] - b.pixels[i])));
    return m;
}

ExperimentConfig oneLayerFcn(bool bias)
{
    ExperimentConfig c;
    c.architecture = Architecture::Fcn;
    c.depth = 1;
    c.activation = Activation::Linear;
    c.bias = bias;
    c.init = InitScheme::XavierUniform;
    c.optimizer = OptimizerKind::Sgd;
    // MSE is a mean over 784 pixels: stable below lr = 784 / |x|^2 (about 7 for a '7').
    c.lr = 1.0;
    c.momentum = 0.9;
    c.schedule = Schedule::Constant;
    c.steps = 400;
    return c;
}

}  // namespace

class TstTheory : public QObject {
    Q_OBJECT

private slots:
    void oneLayerLinearFcn_matchesTheorem1ClosedForm_data()
    {
        QTest::addColumn<bool>("bias");
        QTest::newRow("no bias") << false;
        QTest::newRow("bias") << true;
    }
    void oneLayerLinearFcn_matchesTheorem1ClosedForm()
    {
        QFETCH(bool, bias);
        TrainingSession session(oneLayerFcn(bias), DataLocations::fromEnvironment());
        QVERIFY(session.hasTheorem1());
        const RunMetrics m = session.run();
        QCOMPARE(m.stopReason, StopReason::Completed);
        QVERIFY2(m.finalLoss < 1e-10, qPrintable(QString::number(m.finalLoss)));
        double worst = 0.0;
        for (const Probe& p : session.probes()) {
            const Image trained = session.predict({p.image}).front();
            const Image theory = session.theorem1Prediction(p.image);
            worst = std::max(worst, maxAbsDiff(trained, theory));
        }
        QVERIFY2(worst < 1e-4, qPrintable(QStringLiteral("max |trained - Theorem 1| = %1").arg(worst)));
        // The training image is reproduced; the prediction is not the identity elsewhere.
        QVERIFY(m.probes.front().corrIdentity > 0.9999);
    }

    void theorem1_isOfferedOnlyWhereItHolds()
    {
        ExperimentConfig c = oneLayerFcn(false);
        c.depth = 2;
        c.steps = 1;
        QVERIFY(!TrainingSession(c, DataLocations::fromEnvironment()).hasTheorem1());
        c = oneLayerFcn(false);
        c.optimizer = OptimizerKind::Adam;
        c.lr = 0.01;
        QVERIFY(!TrainingSession(c, DataLocations::fromEnvironment()).hasTheorem1());
    }

    void oneLayerCnn_learnsTheCentreTapDeltaKernel()
    {
        ExperimentConfig c;
        c.architecture = Architecture::Cnn;
        c.depth = 1;
        c.kernelSize = 5;
        c.bias = false;
        c.lr = 0.5;
        c.momentum = 0.9;
        c.schedule = Schedule::Constant;
        c.steps = 1500;
        TrainingSession session(c, DataLocations::fromEnvironment());
        const RunMetrics m = session.run();
        QCOMPARE(m.stopReason, StopReason::Completed);
        // The response to a single bright pixel is the (flipped) kernel: a delta means the kernel
        // is the centre tap, i.e. the exact identity (docs/paper-summary.md, "Theorems").
        Image impulse(1, 15, 15);
        impulse.at(0, 7, 7) = 1.0f;
        const Image kernel = session.predict({impulse}).front();
        Image delta = impulse;
        QVERIFY2(maxAbsDiff(kernel, delta) < 1e-3, qPrintable(QString::number(maxAbsDiff(kernel, delta))));
        // And so every probe, patterns and Fashion items included, is reproduced.
        for (const ProbeOutcome& p : m.probes) QVERIFY2(p.mse < 1e-5, p.name.c_str());
        // The closed-form fixed point agrees with the trained network.
        QVERIFY(session.hasCnnFixedPoint());
        QCOMPARE(QString::fromStdString(session.theoryName()), QStringLiteral("CNN fixed point"));
        QVERIFY(maxAbsDiff(session.cnnFixedPointPrediction(impulse), kernel) < 1e-3);
    }
};

QTEST_GUILESS_MAIN(TstTheory)
#include "tst_theory.moc"
