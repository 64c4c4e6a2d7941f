// The training loop's thread handoff, hammered: a TrainingSession trains on a worker
// std::thread while this thread starts, pauses, single-steps, resumes, stops and closes
// (aborts) it, IL_STRESS_CYCLES times (default 1000) on a tiny model. Run it under the
// sanitizer presets (CMakePresets.json: asan-ubsan, tsan): the only threads are ours and
// LibTorch's, so ThreadSanitizer sees every handoff (docs/reliability.md).
// Memory: the resident set after a warm-up and after all cycles may differ by a few MiB at
// most, so a leak of one session, network or observer per cycle shows.

#include <QtTest>

#include <atomic>
#include <chrono>
#include <thread>

#include "engine/core/compute_threads.h"
#include "engine/train/training_session.h"
#include "support/memory_probe.h"

using namespace il;

namespace {

ExperimentConfig tinyFcn()
{
    ExperimentConfig c;
    c.architecture = Architecture::Fcn;
    c.depth = 1;
    c.width = 8;
    c.imageSize = 7;  // the smallest the config allows
    c.activation = Activation::Linear;
    c.steps = 10000000;
    c.rhoPoints = 2;
    c.rhoSamples = 1;
    c.snapshotEvery = 3;  // the observer's snapshot path runs too
    c.device = DevicePreference::Cpu;
    return c;
}

// Counts what the training thread reports; read from this thread through atomics only
// (TrainingSession::stepsDone() belongs to the training thread while it runs).
class AtomicObserver : public TrainingObserver {
public:
    void onStep(int step, int, double, double) override { step_.store(step, std::memory_order_release); }
    void onSnapshot(const Snapshot& s) override { snapshots_.fetch_add(s.probes.empty() ? 0 : 1, std::memory_order_acq_rel); }
    int step() const { return step_.load(std::memory_order_acquire); }
    int snapshots() const { return snapshots_.load(std::memory_order_acquire); }

private:
    std::atomic<int> step_{0};
    std::atomic<int> snapshots_{0};
};

template <typename P>
bool waitFor(P predicate, int ms = 20000)
{
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (!predicate()) {
        if (std::chrono::steady_clock::now() > end) return false;
        std::this_thread::sleep_for(std::chrono::microseconds(50));
    }
    return true;
}

int cycles()
{
    return std::max(2, qEnvironmentVariableIntValue("IL_STRESS_CYCLES") > 0 ? qEnvironmentVariableIntValue("IL_STRESS_CYCLES") : 1000);
}

struct CycleOutcome {
    bool ok = false;
    StopReason reason = StopReason::Completed;
    int stepsDone = 0;
    bool evaluated = false;
};

// One start/pause/step/resume/stop-or-close cycle. `close` aborts like closing the window.
CycleOutcome cycle(const ExperimentConfig& config, bool close)
{
    CycleOutcome out;
    TrainingSession session(config, DataLocations::fromEnvironment());
    AtomicObserver observer;
    RunMetrics metrics;
    std::thread worker([&] { metrics = session.run(&observer); });  // start
    bool ok = waitFor([&] { return observer.step() >= 1; });
    session.control().setPaused(true);  // pause
    // A step already under way still finishes, so the single step shows as "at least one more".
    if (ok) {
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        const int pausedAt = observer.step();
        session.control().requestSingleStep();  // step
        ok = waitFor([&] { return observer.step() >= pausedAt + 1; });
    }
    session.control().setPaused(false);  // resume
    if (close)
        session.control().requestAbort();
    else
        session.control().requestStop();
    worker.join();
    out.ok = ok;
    out.reason = metrics.stopReason;
    out.stepsDone = metrics.stepsDone;
    out.evaluated = !metrics.probes.empty();
    return out;
}  // close: the session goes

}  // namespace

class TstEngineStress : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // One intra-op thread: the handoff under test is ours; with more, ThreadSanitizer mostly
        // watches OpenMP's uninstrumented pool (docs/reliability.md).
        setComputeThreads(1);
    }

    void startPauseStepStopClose_cycles_noGrowth()
    {
        const ExperimentConfig config = tinyFcn();
        const int total = cycles();
        const int warmUp = std::min(il::test::kWarmUpCycles, total / 2);
        QElapsedTimer timer;
        timer.start();
        long long before = 0;
        int stops = 0, closes = 0;
        for (int i = 0; i < total; ++i) {
            if (i == warmUp) before = il::test::residentBytesAfterTrim();
            if (i > warmUp && i % 250 == 0)
                qInfo("after %d cycles: resident %.1f MiB", i, double(il::test::residentBytesAfterTrim()) / (1 << 20));
            const bool close = i % 2 == 1;
            const CycleOutcome o = cycle(config, close);
            QVERIFY2(o.ok, qPrintable(QStringLiteral("cycle %1 did not pause or step in time").arg(i)));
            QCOMPARE(o.reason, StopReason::Cancelled);
            QVERIFY(o.stepsDone >= 2);
            QCOMPARE(o.evaluated, !close);  // a stop evaluates, a close does not
            (close ? closes : stops)++;
        }
        const long long after = il::test::residentBytesAfterTrim();
        const double mib = double(after - before) / (1 << 20);
        qInfo(
            "%d cycles (%d stopped, %d closed) in %.1f s; resident %.1f MiB after %d warm-up cycles, %.1f MiB at the end "
            "(%+.2f MiB)",
            total, stops, closes, timer.elapsed() / 1000.0, double(before) / (1 << 20), warmUp, double(after) / (1 << 20), mib);
        const double allowed = il::test::kAllowedGrowthPerCycle * (total - warmUp) / (1 << 20);
        QVERIFY2(mib < allowed, qPrintable(QStringLiteral("resident memory grew by %1 MiB over %2 cycles (allowed %3 MiB)")
                                               .arg(mib)
                                               .arg(total - warmUp)
                                               .arg(allowed)));
    }

    // Stop and close from another thread while the run is still being paused and stepped:
    // the requests race the loop on purpose, with no waiting in between.
    void racingRequests_alwaysEndTheRun()
    {
        const ExperimentConfig config = tinyFcn();
        for (int i = 0; i < std::min(200, cycles()); ++i) {
            TrainingSession session(config, DataLocations::fromEnvironment());
            RunMetrics metrics;
            std::thread worker([&] { metrics = session.run(); });
            std::thread other([&] {
                session.control().setPaused(true);
                session.control().requestSingleStep();
                session.control().setLearningRate(0.001 * (i % 3));
                session.control().setPaused(false);
            });
            if (i % 2)
                session.control().requestAbort();
            else
                session.control().requestStop();
            other.join();
            worker.join();
            QCOMPARE(metrics.stopReason, StopReason::Cancelled);
        }
    }
};

QTEST_GUILESS_MAIN(TstEngineStress)
#include "tst_engine_stress.moc"
