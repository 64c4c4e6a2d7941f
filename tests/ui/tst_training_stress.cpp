// The GUI's training handoff, hammered: TrainingController (GUI thread) and TrainingWorker
// (its QThread) go through IL_STRESS_CYCLES (default 1000) start/pause/step/stop/close cycles
// on a tiny model, in every order a user can press the buttons in, including closing the
// window (destroying the controller) while the run builds, trains or is paused. Meant for the
// sanitizer presets too (docs/reliability.md). The resident set after a warm-up and at the
// end may differ by a few MiB at most.

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <memory>

#include "engine/core/compute_threads.h"
#include "support/gui_test_helpers.h"
#include "support/memory_probe.h"
#include "ui/training/training_controller.h"

using il::ui::TrainingController;
using State = il::ui::TrainingController::State;

namespace {

il::ExperimentConfig tinyFcn()
{
    il::ExperimentConfig c = il::test::tinyFcn(10000000);
    c.width = 8;
    c.imageSize = 7;
    c.rhoPoints = 2;
    c.rhoSamples = 1;
    c.device = il::DevicePreference::Cpu;
    return c;
}

int cycles()
{
    const int n = qEnvironmentVariableIntValue("IL_STRESS_CYCLES");
    return n > 0 ? std::max(4, n) : 1000;
}

template <typename P>
bool waitFor(P predicate, int ms = 30000)
{
    QElapsedTimer t;
    t.start();
    while (!predicate()) {
        if (t.elapsed() > ms) return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents);
        if (!predicate()) QThread::usleep(200);
    }
    return true;
}

// What one controller reported, collected from its queued signals.
struct Watch {
    int lastStep = 0;
    int finished = 0;
    int failed = 0;
    QString failure;
    il::StopReason lastReason = il::StopReason::Completed;
    bool lastEvaluated = false;

    void attach(TrainingController& c, QObject* context)
    {
        QObject::connect(&c, &TrainingController::progress, context, [this](const il::ui::ProgressUpdate& u) { lastStep = u.step; });
        QObject::connect(&c, &TrainingController::runFinished, context, [this](const il::ui::RunResult& r) {
            ++finished;
            lastReason = r.metrics.stopReason;
            lastEvaluated = !r.metrics.probes.empty();
        });
        QObject::connect(&c, &TrainingController::sessionFailed, context, [this](quint64, const QString& m) {
            ++failed;
            failure = m;
        });
    }
};

}  // namespace

class TrainingStressTest : public QObject {
    Q_OBJECT

private:
    // Start, wait until it trains, pause, single-step, then end the cycle in one of four ways.
    // Returns an empty string on success, else what went wrong.
    QString cycle(int i)
    {
        auto controller = std::make_unique<TrainingController>();
        QObject context;
        Watch w;
        w.attach(*controller, &context);
        const int variant = i % 4;
        controller->start(tinyFcn());
        if (variant == 3 && i % 8 == 3) {
            controller.reset();  // close while the session is still being built
            return {};
        }
        if (!waitFor([&] { return controller->state() == State::Running || w.failed; })) return QStringLiteral("never ran");
        if (w.failed) return QStringLiteral("failed: ") + w.failure;
        controller->pause();
        if (!waitFor([&] { return controller->state() == State::Paused; })) return QStringLiteral("never paused");
        const int pausedAt = w.lastStep;
        controller->singleStep();
        if (!waitFor([&] { return w.lastStep == pausedAt + 1; }))
            return QStringLiteral("single step from %1 showed step %2").arg(pausedAt).arg(w.lastStep);
        switch (variant) {
            case 0:  // resume, stop, close
                controller->resume();
                controller->stop();
                if (!waitFor([&] { return w.finished == 1 && controller->state() == State::Ready; }))
                    return QStringLiteral("stop never finished");
                if (w.lastReason != il::StopReason::Cancelled || !w.lastEvaluated) return QStringLiteral("stop did not evaluate");
                break;
            case 1:  // close while paused
                break;
            case 2:  // stop while paused, then a second run in the same window, closed while it trains
                controller->stop();
                if (!waitFor([&] { return w.finished == 1; })) return QStringLiteral("stop while paused never finished");
                controller->start(tinyFcn());
                if (!waitFor([&] { return controller->state() == State::Running; })) return QStringLiteral("second run never ran");
                break;
            case 3:  // resume and close while training
                controller->resume();
                break;
        }
        controller.reset();  // close: stops the run, ends the thread, waits for it
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        il::ui::registerMetaTypes();
        il::setComputeThreads(1);  // see tst_engine_stress.cpp
    }

    void startPauseStepStopClose_cycles_noGrowth()
    {
        const int total = cycles();
        const int warmUp = std::min(il::test::kWarmUpCycles, total / 2);
        QElapsedTimer timer;
        timer.start();
        long long before = 0;
        for (int i = 0; i < total; ++i) {
            if (i == warmUp) before = il::test::residentBytesAfterTrim();
            const QString problem = cycle(i);
            QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("cycle %1: %2").arg(i).arg(problem)));
        }
        const long long after = il::test::residentBytesAfterTrim();
        const double mib = double(after - before) / (1 << 20);
        qInfo("%d controller cycles in %.1f s; resident %.1f MiB after %d warm-up cycles, %.1f MiB at the end (%+.2f MiB)", total,
              timer.elapsed() / 1000.0, double(before) / (1 << 20), warmUp, double(after) / (1 << 20), mib);
        const double allowed = il::test::kAllowedGrowthPerCycle * (total - warmUp) / (1 << 20);
        QVERIFY2(mib < allowed, qPrintable(QStringLiteral("resident memory grew by %1 MiB over %2 cycles (allowed %3 MiB)")
                                               .arg(mib)
                                               .arg(total - warmUp)
                                               .arg(allowed)));
    }

    // One controller for many runs, as a long session at the desk: each start replaces the
    // last run (stopping it), with requests arriving in between.
    void oneControllerManyRuns_noGrowth()
    {
        TrainingController controller;
        QObject context;
        Watch w;
        w.attach(controller, &context);
        const int total = std::max(4, cycles() / 2);
        const int warmUp = std::min(il::test::kWarmUpCycles, total / 2);
        long long before = 0;
        for (int i = 0; i < total; ++i) {
            if (i == warmUp) before = il::test::residentBytesAfterTrim();
            controller.start(tinyFcn());
            QVERIFY(waitFor([&] { return controller.state() == State::Running; }));
            controller.requestPrediction({il::Image(1, 7, 7, 0.5f)});
            if (i % 2) {
                controller.pause();
                QVERIFY(waitFor([&] { return controller.state() == State::Paused; }));
                controller.singleStep();
            }
        }
        controller.stop();
        QVERIFY(waitFor([&] { return controller.state() == State::Ready; }));
        QCOMPARE(w.finished, total);  // every replaced run still reported its end
        const double mib = double(il::test::residentBytesAfterTrim() - before) / (1 << 20);
        qInfo("%d runs in one controller: %+.2f MiB after %d warm-up runs", total, mib, warmUp);
        const double allowed = il::test::kAllowedGrowthPerCycle * (total - warmUp) / (1 << 20);
        QVERIFY2(mib < allowed, qPrintable(QString::number(mib)));
    }
};

QTEST_GUILESS_MAIN(TrainingStressTest)
#include "tst_training_stress.moc"
