// The training session's contract: same seed and config give identical metrics, a diverging
// learning rate ends with "diverged" instead of a crash, the control stops, pauses and steps,
// checkpoints restore the same model, and a shallow CNN learns the identity.
#include <QtTest>

#include <thread>

#include "engine/core/errors.h"
#include "engine/train/training_session.h"

using namespace il;

namespace {

ExperimentConfig smallCnn(int depth = 3, int steps = 60) {
    ExperimentConfig c;
    c.architecture = Architecture::Cnn;
    c.depth = depth;
    c.channels = 8;
    c.steps = steps;
    c.rhoSamples = 2;
    return c;
}

DataLocations data() { return DataLocations::fromEnvironment(); }

class CountingObserver : public TrainingObserver {
public:
    void onStep(int, int, double, double) override { ++steps; }
    void onSnapshot(const Snapshot& s) override { snapshots.push_back(s.step); }
    int steps = 0;
    std::vector<int> snapshots;
};

}  // namespace

class TstTrainingSession : public QObject {
    Q_OBJECT

private slots:
    void sameSeedSameConfig_giveIdenticalMetrics() {
        TrainingSession a(smallCnn(), data()), b(smallCnn(), data());
        const RunMetrics ma = a.run(), mb = b.run();
        QCOMPARE(ma.finalLoss, mb.finalLoss);
        QCOMPARE(ma.probes.size(), mb.probes.size());
        for (std::size_t i = 0; i < ma.probes.size(); ++i) {
            QCOMPARE(ma.probes[i].corrIdentity, mb.probes[i].corrIdentity);
            QCOMPARE(ma.probes[i].output.pixels, mb.probes[i].output.pixels);
        }
        ExperimentConfig other = smallCnn();
        other.seed = 7;
        QVERIFY(TrainingSession(other, data()).run().finalLoss != ma.finalLoss);
    }

    void divergingLearningRate_stopsWithDiverged() {
        ExperimentConfig c = smallCnn(3, 200);
        c.lr = 50.0;
        c.schedule = Schedule::Constant;
        TrainingSession session(c, data());
        const RunMetrics m = session.run();
        QCOMPARE(m.stopReason, StopReason::Diverged);
        QVERIFY(m.stepsDone < 200);
        QVERIFY(!m.stopDetail.empty());
        QVERIFY(m.rhoSweep.empty());  // nothing to measure on NaN weights
    }

    void control_stopsPausesAndSteps() {
        TrainingSession session(smallCnn(2, 100000), data());
        session.control().setPaused(true);
        session.control().requestSingleStep();
        session.control().requestSingleStep();
        RunMetrics result;
        std::thread worker([&] { result = session.run(); });
        for (int i = 0; i < 500 && session.stepsDone() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        QCOMPARE(session.stepsDone(), 2);  // paused after exactly the two single steps
        session.control().setPaused(false);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        session.control().requestStop();
        worker.join();
        QCOMPARE(result.stopReason, StopReason::Cancelled);
        QVERIFY(result.stepsDone > 2);
        QVERIFY(result.stepsDone < 100000);
    }

    void abort_stopsWithoutTheFinalEvaluation() {
        TrainingSession session(smallCnn(2, 100000), data());
        session.control().requestAbort();
        const RunMetrics m = session.run();
        QCOMPARE(m.stopReason, StopReason::Cancelled);
        QVERIFY(m.probes.empty());
        QVERIFY(m.rhoSweep.empty());
    }

    void learningRate_followsTheStepScheduleAndTheOverride() {
        ExperimentConfig c = smallCnn(2, 100);
        TrainingSession session(c, data());
        QCOMPARE(session.learningRateAt(0), 0.01);
        QVERIFY(std::abs(session.learningRateAt(30) - 0.002) < 1e-12);
        QVERIFY(std::abs(session.learningRateAt(99) - 0.01 * 0.2 * 0.2 * 0.2) < 1e-12);
        session.control().setLearningRate(0.1);
        QCOMPARE(session.learningRateAt(0), 0.1);
    }

    void observer_seesEveryStepAndBoundedSnapshots() {
        ExperimentConfig c = smallCnn(2, 100);
        CountingObserver automatic;
        TrainingSession(c, data()).run(&automatic);
        QCOMPARE(automatic.steps, 100);
        // Every 2 steps (about 50 per run), thinned by the time budget of the next test.
        QVERIFY(!automatic.snapshots.empty() && automatic.snapshots.size() <= 50);
        for (int step : automatic.snapshots) QCOMPARE(step % 2, 0);
        QCOMPARE(automatic.snapshots.back(), 100);

        c.snapshotEvery = 2;  // an explicit interval is never thinned
        CountingObserver explicitInterval;
        TrainingSession(c, data()).run(&explicitInterval);
        QCOMPARE(int(explicitInterval.snapshots.size()), 50);
    }

    // A progress bar shows no probe outputs: no live snapshot is taken for it (their probe passes
    // were up to 5 % of a preset's training time), and the final metrics are the same.
    void observer_withoutSnapshots_getsNoneAndTheSameMetrics() {
        class StepsOnly : public CountingObserver {
        public:
            bool wantsSnapshots() const override { return false; }
        };
        const ExperimentConfig c = smallCnn(2, 40);
        StepsOnly stepsOnly;
        const RunMetrics quiet = TrainingSession(c, data()).run(&stepsOnly);
        QCOMPARE(stepsOnly.steps, 40);
        QVERIFY(stepsOnly.snapshots.empty());
        CountingObserver watching;
        const RunMetrics watched = TrainingSession(c, data()).run(&watching);
        QVERIFY(!watching.snapshots.empty());
        QCOMPARE(quiet.finalLoss, watched.finalLoss);
        QCOMPARE(quiet.groups.size(), watched.groups.size());
        for (std::size_t i = 0; i < quiet.groups.size(); ++i) QCOMPARE(quiet.groups[i].corrIdentity, watched.groups[i].corrIdentity);
    }

    // Evaluation runs a 128-channel CNN in passes of 15 images (the Winograd workspaces stay
    // under the mmap threshold); an image's output must not depend on which pass it is in.
    void predict_inPasses_equalsOneImageAtATime() {
        ExperimentConfig c = smallCnn(3, 1);
        c.channels = 128;
        TrainingSession session(c, data());
        std::vector<Image> inputs;
        for (int i = 0; i < 20; ++i) {  // 20 images: a pass of 15 and one of 5
            Image image(1, 28, 28);
            for (std::size_t k = 0; k < image.size(); ++k) image.pixels[k] = static_cast<float>((k * 7 + i * 13) % 29) / 29.0f;
            inputs.push_back(image);
        }
        const std::vector<Image> together = session.predict(inputs);
        QCOMPARE(together.size(), inputs.size());
        for (std::size_t i = 0; i < inputs.size(); ++i)
            QVERIFY2(session.predict({inputs[i]}).front().pixels == together[i].pixels, qPrintable(QString::number(i)));
    }

    // Live views must not slow training much: automatic snapshots whose observer is slow are
    // thinned to 5 % of the time, the first one kept; an explicit interval is kept.
    void observer_automaticSnapshotsStayWithinTheirTimeBudget() {
        class SlowObserver : public CountingObserver {
        public:
            void onSnapshot(const Snapshot& s) override {
                CountingObserver::onSnapshot(s);
                std::this_thread::sleep_for(std::chrono::milliseconds(30));
            }
        };
        ExperimentConfig c = smallCnn(2, 400);
        SlowObserver slow;
        const RunMetrics m = TrainingSession(c, data()).run(&slow);
        QCOMPARE(slow.steps, 400);
        QCOMPARE(slow.snapshots.back(), 400);  // the last one always comes
        // Each snapshot took at least 30 ms; the first, then at most the budget (each snapshot
        // counts the previous one's cost before it starts, so none goes over), and the last.
        const double budget = 0.05 * m.seconds;
        QVERIFY2(slow.snapshots.size() <= std::size_t(budget / 0.03) + 2,
                 qPrintable(QStringLiteral("%1 snapshots in %2 s").arg(slow.snapshots.size()).arg(m.seconds)));
        QVERIFY(slow.snapshots.size() < 50);

        c.snapshotEvery = 40;
        SlowObserver explicitInterval;
        TrainingSession(c, data()).run(&explicitInterval);
        QCOMPARE(int(explicitInterval.snapshots.size()), 10);
    }

    void checkpoint_restoresTheSameModel() {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("run.pt")).toStdString();
        TrainingSession a(smallCnn(), data());
        const RunMetrics ma = a.run();
        a.saveCheckpoint(path);
        TrainingSession b(smallCnn(), data());
        b.loadCheckpoint(path);
        QCOMPARE(b.stepsDone(), a.stepsDone());
        const RunMetrics mb = b.evaluate();
        for (std::size_t i = 0; i < ma.probes.size(); ++i) QCOMPARE(mb.probes[i].output.pixels, ma.probes[i].output.pixels);
        QCOMPARE(mb.finalLoss, ma.finalLoss);
        QVERIFY_THROWS_EXCEPTION(DataError, b.loadCheckpoint(dir.filePath(QStringLiteral("missing.pt")).toStdString()));
    }

    // The fused FCN step keeps its momentum in the optimiser, so a checkpoint resumes it exactly:
    // a run continued after save and load takes the same steps as one never interrupted.
    void checkpoint_resumesTheFusedFcnStepExactly() {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("fcn.pt")).toStdString();
        ExperimentConfig c;
        c.architecture = Architecture::Fcn;
        c.depth = 3;
        c.width = 64;
        c.steps = 40;
        c.rhoSamples = 2;
        TrainingSession a(c, data());
        for (int i = 0; i < 20; ++i) a.step();
        a.saveCheckpoint(path);
        TrainingSession b(c, data());
        b.loadCheckpoint(path);
        for (int i = 0; i < 20; ++i) {
            const double resumed = b.step(), uninterrupted = a.step();
            QVERIFY2(resumed == uninterrupted, qPrintable(QStringLiteral("step %1: %2 vs %3").arg(20 + i).arg(resumed).arg(uninterrupted)));
        }
        QCOMPARE(b.stepsDone(), 40);
    }

    void badConfigsAndMissingCuda_areRefusedWithAReason() {
        ExperimentConfig c = smallCnn();
        c.depth = 0;
        QVERIFY_THROWS_EXCEPTION(ConfigError, TrainingSession(c, data()));
        c = smallCnn();
        c.kernelSize = 4;
        QVERIFY_THROWS_EXCEPTION(ConfigError, TrainingSession(c, data()));
        c = smallCnn();
        c.device = DevicePreference::Cuda;
        if (!TrainingSession(smallCnn(), data()).deviceDescription().empty() &&
            TrainingSession(smallCnn(), data()).deviceDescription().rfind("CPU", 0) == 0)
            QVERIFY_THROWS_EXCEPTION(ResourceError, TrainingSession(c, data()));
    }

    void probes_coverEveryGroupOfTheFigures() {
        TrainingSession session(smallCnn(), data());
        QStringList groups;
        for (const Probe& p : session.probes()) groups << QString::fromLatin1(toString(p.group));
        QCOMPARE(groups.count(QStringLiteral("train")), 1);
        QCOMPARE(groups.count(QStringLiteral("blend")), 1);
        QCOMPARE(groups.count(QStringLiteral("mnist")), 2);
        QCOMPARE(groups.count(QStringLiteral("pattern")), 7);
        QCOMPARE(groups.count(QStringLiteral("noise")), 1);
        if (session.warnings().empty()) QCOMPARE(groups.count(QStringLiteral("fashion")), 2);
        QCOMPARE(session.trainingImages().size(), std::size_t(1));
    }

    void shallowCnn_learnsTheIdentity() {
        ExperimentConfig c = smallCnn(2, 300);
        c.channels = 16;
        c.lr = 0.05;
        TrainingSession session(c, data());
        const RunMetrics m = session.run();
        for (const GroupSummary& g : m.groups) {
            if (g.group == ProbeGroup::Noise) continue;
            QVERIFY2(g.corrIdentity > 0.9, toString(g.group));
        }
    }
};

QTEST_GUILESS_MAIN(TstTrainingSession)
#include "tst_training_session.moc"
