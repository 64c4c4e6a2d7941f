// The training session's contract: same seed and config give identical metrics, a diverging
// learning rate ends with "diverged" instead of a crash, the control stops, pauses and steps,
// checkpoints restore the same model, and a shallow CNN learns the identity.
#include <QtTest>

#include <cmath>
#include <thread>

#include "engine/core/errors.h"
#include "engine/train/training_session.h"

using namespace il;

namespace {

ExperimentConfig smallCnn(int depth = 3, int steps = 60)
{
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
    void sameSeedSameConfig_giveIdenticalMetrics()
    {
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

    void divergingLearningRate_stopsWithDiverged()
    {
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

    void control_stopsPausesAndSteps()
    {
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

    void abort_stopsWithoutTheFinalEvaluation()
    {
        TrainingSession session(smallCnn(2, 100000), data());
        session.control().requestAbort();
        const RunMetrics m = session.run();
        QCOMPARE(m.stopReason, StopReason::Cancelled);
        QVERIFY(m.probes.empty());
        QVERIFY(m.rhoSweep.empty());
    }

    void learningRate_followsTheStepScheduleAndTheOverride()
    {
        ExperimentConfig c = smallCnn(2, 100);
        c.lr = 0.01;
        TrainingSession session(c, data());
        QCOMPARE(session.learningRateAt(0), 0.01);
        QVERIFY(std::abs(session.learningRateAt(30) - 0.002) < 1e-12);
        QVERIFY(std::abs(session.learningRateAt(99) - 0.01 * 0.2 * 0.2 * 0.2) < 1e-12);
        session.control().setLearningRate(0.1);
        QCOMPARE(session.learningRateAt(0), 0.1);
    }

    // Automatic snapshots (snapshotEvery 0) are the trajectory's points: 50 evenly spread ones
    // for a 100-step run, the last at the end; an explicit interval gives its own.
    void observer_seesEveryStepAndASnapshotAtEveryTrajectoryPoint()
    {
        ExperimentConfig c = smallCnn(2, 100);
        CountingObserver automatic;
        const RunMetrics m = TrainingSession(c, data()).run(&automatic);
        QCOMPARE(automatic.steps, 100);
        QCOMPARE(int(automatic.snapshots.size()), 50);
        for (int step : automatic.snapshots) QCOMPARE(step % 2, 0);
        QCOMPARE(automatic.snapshots.back(), 100);
        QCOMPARE(automatic.snapshots.size(), m.trajectory.size());
        for (std::size_t i = 0; i < m.trajectory.size(); ++i) QCOMPARE(automatic.snapshots[i], m.trajectory[i].step);

        c.snapshotEvery = 40;  // an explicit interval: steps 40 and 80, and the end
        CountingObserver explicitInterval;
        const RunMetrics e = TrainingSession(c, data()).run(&explicitInterval);
        QCOMPARE(explicitInterval.snapshots, (std::vector<int>{40, 80, 100}));
        QCOMPARE(e.trajectory.size(), m.trajectory.size());
    }

    // Every run records its course: about 50 evenly spread points and the last step, each with
    // every probe group's means; a short run has a point at every step.
    void run_recordsItsTrajectory()
    {
        const RunMetrics m = TrainingSession(smallCnn(2, 120), data()).run();
        QVERIFY2(m.trajectory.size() >= 45 && m.trajectory.size() <= 55, qPrintable(QString::number(m.trajectory.size())));
        QCOMPARE(m.trajectory.back().step, 120);
        QCOMPARE(m.trajectory.front().step, 3);
        for (std::size_t i = 1; i < m.trajectory.size(); ++i) {
            const int gap = m.trajectory[i].step - m.trajectory[i - 1].step;
            QVERIFY2(gap == 2 || gap == 3, qPrintable(QStringLiteral("gap %1 at point %2").arg(gap).arg(i)));
        }
        for (const TrajectoryPoint& p : m.trajectory) {
            QCOMPARE(p.groups.size(), m.groups.size());
            for (std::size_t g = 0; g < p.groups.size(); ++g) QCOMPARE(p.groups[g].group, m.groups[g].group);
            QVERIFY(p.lr > 0.0 && std::isfinite(p.loss));
        }
        // The last point is the final evaluation: every probe, the metrics' own group means.
        for (std::size_t g = 0; g < m.groups.size(); ++g) {
            QCOMPARE(m.trajectory.back().groups[g].corrIdentity, m.groups[g].corrIdentity);
            QCOMPARE(m.trajectory.back().groups[g].count, m.groups[g].count);
        }
        QCOMPARE(m.trajectory.back().loss, m.finalLoss);

        const RunMetrics shortRun = TrainingSession(smallCnn(2, 30), data()).run();
        QCOMPARE(int(shortRun.trajectory.size()), 30);
        for (int i = 0; i < 30; ++i) QCOMPARE(shortRun.trajectory[static_cast<std::size_t>(i)].step, i + 1);
    }

    // A run stopped early ends its trajectory at the step it stopped on.
    void divergedRun_endsItsTrajectoryWhereItStopped()
    {
        ExperimentConfig c = smallCnn(3, 200);
        c.lr = 50.0;
        c.schedule = Schedule::Constant;
        const RunMetrics m = TrainingSession(c, data()).run();
        QCOMPARE(m.stopReason, StopReason::Diverged);
        QVERIFY(!m.trajectory.empty());
        QCOMPARE(m.trajectory.back().step, m.stepsDone);
        for (std::size_t i = 1; i < m.trajectory.size(); ++i) QVERIFY(m.trajectory[i].step > m.trajectory[i - 1].step);
    }

    // A progress bar shows no probe outputs: no live snapshot is taken for it (their probe passes
    // were up to 5 % of a preset's training time), and the final metrics are the same.
    void observer_withoutSnapshots_getsNoneAndTheSameMetrics()
    {
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

    // The trajectory's probe passes only look: a run that records them ends with the same weights,
    // bit for bit, as the same steps taken with no evaluation in between. Checked on both training
    // paths: the fused FCN step (its own BLAS sweep) and LibTorch's autograd (a CNN).
    void trajectoryEvaluations_doNotChangeTraining_data()
    {
        QTest::addColumn<bool>("fcn");
        QTest::newRow("fused FCN") << true;
        QTest::newRow("autograd CNN") << false;
    }
    void trajectoryEvaluations_doNotChangeTraining()
    {
        QFETCH(bool, fcn);
        ExperimentConfig c = smallCnn(3, 120);
        if (fcn) {
            c.architecture = Architecture::Fcn;
            c.depth = 6;
            c.activation = Activation::Linear;
        }
        TrainingSession recorded(c, data());
        const RunMetrics withTrajectory = recorded.run();
        QCOMPARE(withTrajectory.trajectory.size(), std::size_t(50));
        TrainingSession plain(c, data());
        double loss = 0.0;
        for (int i = 0; i < c.steps; ++i) loss = plain.step();
        QCOMPARE(loss, withTrajectory.finalLoss);
        const std::vector<ProbeOutcome> a = recorded.evaluateProbes(recorded.probes()), b = plain.evaluateProbes(plain.probes());
        QCOMPARE(a.size(), b.size());
        for (std::size_t i = 0; i < a.size(); ++i) QCOMPARE(a[i].output.pixels, b[i].output.pixels);
    }

    // Evaluation runs a 128-channel CNN in passes of 15 images (the Winograd workspaces stay
    // under the mmap threshold); an image's output must not depend on which pass it is in.
    void predict_inPasses_equalsOneImageAtATime()
    {
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

    // The GUI's snapshots and the CLI's trajectory come from the same probe passes: a watched
    // run records the same trajectory, to the bit, as one nobody watches.
    void watchedRun_recordsTheSameTrajectory()
    {
        const ExperimentConfig c = smallCnn(2, 60);
        CountingObserver watching;
        const RunMetrics watched = TrainingSession(c, data()).run(&watching);
        const RunMetrics alone = TrainingSession(c, data()).run();
        QCOMPARE(watched.trajectory.size(), alone.trajectory.size());
        for (std::size_t i = 0; i < alone.trajectory.size(); ++i) {
            QCOMPARE(watched.trajectory[i].step, alone.trajectory[i].step);
            QCOMPARE(watched.trajectory[i].loss, alone.trajectory[i].loss);
            for (std::size_t g = 0; g < alone.trajectory[i].groups.size(); ++g) {
                QCOMPARE(watched.trajectory[i].groups[g].corrIdentity, alone.trajectory[i].groups[g].corrIdentity);
                QCOMPARE(watched.trajectory[i].groups[g].corrConstant, alone.trajectory[i].groups[g].corrConstant);
            }
        }
    }

    void checkpoint_restoresTheSameModel()
    {
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
    void checkpoint_resumesTheFusedFcnStepExactly()
    {
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

    void badConfigsAndMissingCuda_areRefusedWithAReason()
    {
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

    void probes_coverEveryGroupOfTheFigures()
    {
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

    void shallowCnn_learnsTheIdentity()
    {
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
