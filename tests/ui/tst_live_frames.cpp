// What a viewer of a training run sees (issue: "the live laboratory"): the Outputs view of the
// shown window must never stand still while a CNN trains. Between the history's frames the
// worker sends live frames about twice a second, with the training image's output of that very
// step (free with the step) and the other probes as last evaluated. The test watches the step
// the Outputs view has drawn, as a viewer would, and measures the longest time it stood still
// from the first drawn step to the last, for a 5-layer and a 20-layer CNN; and the history
// slider's frames: min(steps, 50), evenly spread.
//
// The bounds asserted by default are the issue's (1 s for 5 layers, 2 s for 20) times 2.5,
// because the test machines are shared; IL_TIMING_CHECKS=1 asserts the issue's own bounds.

#include <QStandardPaths>
#include <QTest>
#include <QToolButton>

#include <algorithm>

#include "ui/mainwindow/main_window.h"
#include "ui/panels/experiment_panel.h"
#include "ui/panels/training_bar.h"
#include "ui/run/run_record.h"
#include "ui/views/outputs_view.h"

using il::ui::MainWindow;

namespace {

struct Watched {
    double longestStillSeconds = 0.0;
    int stepsDrawn = 0;  // distinct steps the view drew
    il::ui::RunPtr run;
};

Watched watchRun(const il::ExperimentConfig& config)
{
    Watched watched;
    MainWindow w;
    w.resize(1280, 800);
    w.show();
    if (!QTest::qWaitForWindowExposed(&w)) return watched;
    w.showView(QStringLiteral("outputs"));
    w.experimentPanel()->setConfig(config);
    auto* outputs = w.findChild<il::ui::OutputsView*>();
    QObject::connect(&w, &MainWindow::runFinished, &w, [&](const il::ui::RunPtr& r) { watched.run = r; });
    QTest::mouseClick(w.trainingBar()->startButton(), Qt::LeftButton);

    QElapsedTimer clock;
    clock.start();
    int lastStep = -1;
    qint64 lastChange = -1;
    while (!watched.run && clock.elapsed() < 600000) {
        QTest::qWait(20);
        const int step = outputs ? outputs->shownStep() : -1;
        if (step == lastStep) continue;
        const qint64 now = clock.elapsed();
        // From the first drawn step to the last training step: the model's build before and the
        // final evaluation after are not training.
        if (lastChange >= 0 && step <= config.steps - 1) watched.longestStillSeconds = std::max(watched.longestStillSeconds, (now - lastChange) / 1000.0);
        lastStep = step;
        lastChange = now;
        ++watched.stepsDrawn;
    }
    return watched;
}

il::ExperimentConfig cnn(int depth, int channels, int steps)
{
    il::ExperimentConfig c;  // the paper's recipe otherwise
    c.architecture = il::Architecture::Cnn;
    c.depth = depth;
    c.channels = channels;
    c.steps = steps;
    c.rhoSamples = 1;
    c.device = il::DevicePreference::Cpu;
    return c;
}

void checkHistory(const il::ui::RunRecord& run, int steps)
{
    const int expected = std::min(steps, 50);
    // The trajectory's points, and the untrained network at step 0 when that frame is cheap.
    const auto trained = std::count_if(run.history.begin(), run.history.end(), [](const auto& f) { return f.step > 0; });
    QCOMPARE(static_cast<int>(trained), expected);
    // Evenly spread: no gap between history frames more than twice the even spacing.
    int previous = 0;
    for (const auto& f : run.history) {
        QVERIFY2(f.step - previous <= 2 * ((steps + expected - 1) / expected), qPrintable(QStringLiteral("gap before step %1").arg(f.step)));
        previous = f.step;
    }
}

}  // namespace

class LiveFramesTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("IdentityLabTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_live_frames"));
    }

    void cnn5_outputsNeverStandStill() { watchAndCheck(cnn(5, 128, 120), 1.0); }
    void cnn20_outputsNeverStandStill() { watchAndCheck(cnn(20, 64, 30), 2.0); }

private:
    // `issueBound`: the issue's longest stand-still; asserted times 2.5 unless IL_TIMING_CHECKS=1.
    static void watchAndCheck(const il::ExperimentConfig& c, double issueBound)
    {
        const Watched w = watchRun(c);
        QVERIFY(w.run);
        qInfo("CNN %dx%d, %d steps at %.1f steps/s: the Outputs view drew %d steps, stood still at most %.2f s", c.depth, c.channels,
              c.steps, w.run->metrics.stepsPerSecond, w.stepsDrawn, w.longestStillSeconds);
        checkHistory(*w.run, c.steps);
        const double bound = qEnvironmentVariableIntValue("IL_TIMING_CHECKS") == 1 ? issueBound : 2.5 * issueBound;
        QVERIFY2(w.longestStillSeconds <= bound, qPrintable(QStringLiteral("still for %1 s").arg(w.longestStillSeconds)));
        QVERIFY(w.stepsDrawn >= 4);
    }
};

QTEST_MAIN(LiveFramesTest)
#include "tst_live_frames.moc"
