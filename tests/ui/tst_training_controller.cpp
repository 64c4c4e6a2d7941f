// The worker-thread adapter on its own: a TrainingController drives real (tiny) training
// sessions; the tests watch its queued signals with QSignalSpy.

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QSysInfo>
#include <QTest>
#include <QVersionNumber>

#include "support/gui_test_helpers.h"
#include "ui/training/training_controller.h"

using il::test::waitFor;
using il::ui::TrainingController;

namespace {

// /proc/self/task/TID/stat: "tid (comm) state ..."; the nice value is the 17th field after the
// closing parenthesis (comm may hold spaces). -100 where it cannot be read.
int threadNice(const QString& taskDir)
{
    QFile stat(taskDir + QStringLiteral("/stat"));
    if (!stat.open(QIODevice::ReadOnly)) return -100;
    const QByteArray text = stat.readAll();
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    return fields.size() > 16 ? fields[16].toInt() : -100;
}

QString threadName(const QString& taskDir)
{
    QFile comm(taskDir + QStringLiteral("/comm"));
    return comm.open(QIODevice::ReadOnly) ? QString::fromUtf8(comm.readAll()).trimmed() : QString();
}

}  // namespace

class TrainingControllerTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        il::ui::registerMetaTypes();
    }

    void tinyRun_sendsSessionProgressFramesAndFinishes()
    {
        TrainingController controller;
        QSignalSpy ready(&controller, &TrainingController::sessionReady);
        QSignalSpy progress(&controller, &TrainingController::progress);
        QSignalSpy frames(&controller, &TrainingController::frameReady);
        QSignalSpy finished(&controller, &TrainingController::runFinished);
        const quint64 id = controller.start(il::test::tinyCnn(20));
        QVERIFY(id > 0);
        QCOMPARE(controller.state(), TrainingController::State::Building);
        QVERIFY(finished.wait(60000));
        QCOMPARE(ready.count(), 1);
        QVERIFY(progress.count() >= 1);
        QVERIFY(frames.count() >= 2);  // step 0 and the final one at least
        const auto result = finished.takeFirst().at(0).value<il::ui::RunResult>();
        QCOMPARE(result.runId, id);
        QCOMPARE(result.metrics.stepsDone, 20);
        QCOMPARE(result.metrics.stopReason, il::StopReason::Completed);
        QCOMPARE(static_cast<int>(result.loss.size()), 20);
        QVERIFY(!result.metrics.probes.empty());
        QVERIFY(!result.metrics.rhoSweep.empty());
        QVERIFY(QFile::exists(result.checkpointPath));
        QCOMPARE(controller.state(), TrainingController::State::Ready);
        // Every loss point arrived through the batched progress updates, in order.
        int points = 0, last = -1;
        for (const auto& args : progress) {
            for (const auto& p : args.at(0).value<il::ui::ProgressUpdate>().newPoints) {
                QCOMPARE(p.step, last + 1);
                last = p.step;
                ++points;
            }
        }
        QCOMPARE(points, 20);
        const auto lastFrame = frames.last().at(0).value<il::ui::TrainingFrame>();
        QCOMPARE(lastFrame.step, 20);
        QVERIFY(!lastFrame.rho.empty());
    }

    void trainingThreads_yieldToTheGuiThread()
    {
#if !defined(Q_OS_LINUX)
        QSKIP("thread nice values are read from Linux's /proc");
#else
        // thread_priority.h: the training thread, and the OpenMP threads it starts, run at nice
        // 5 so that the GUI thread wins its wake-ups; the GUI thread keeps its own priority.
        TrainingController controller;
        QSignalSpy finished(&controller, &TrainingController::runFinished);
        controller.start(il::test::tinyCnn(5));
        QVERIFY(finished.wait(60000));
        const QDir tasks(QStringLiteral("/proc/self/task"));
        int training = 0;
        for (const QString& tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            const QString dir = tasks.filePath(tid);
            if (!threadName(dir).startsWith(QStringLiteral("identitylab-tra"))) continue;
            ++training;
            QVERIFY2(threadNice(dir) >= 5, qPrintable(QStringLiteral("thread %1 at nice %2").arg(tid).arg(threadNice(dir))));
        }
        QVERIFY(training >= 1);
        const int guiNice = threadNice(tasks.filePath(QString::number(QCoreApplication::applicationPid())));
        QVERIFY2(guiNice < 5, qPrintable(QString::number(guiNice)));
        // Linux 6.12 and later honour the GUI thread's requested slice; older kernels ignore it.
        const QVersionNumber kernel = QVersionNumber::fromString(QSysInfo::kernelVersion());
        QFile sched(tasks.filePath(QString::number(QCoreApplication::applicationPid())) + QStringLiteral("/sched"));
        if (kernel >= QVersionNumber(6, 12) && sched.open(QIODevice::ReadOnly)) {
            const QByteArray text = sched.readAll();
            const qsizetype at = text.indexOf("se.slice");
            if (at >= 0) {
                const QByteArray line = text.mid(at, text.indexOf('\n', at) - at);
                QCOMPARE(line.mid(line.indexOf(':') + 1).trimmed().toLongLong(), 500000LL);
            }
        }
#endif
    }

    void pauseStepResumeStop_followTheButtons()
    {
        TrainingController controller;
        QSignalSpy progress(&controller, &TrainingController::progress);
        QSignalSpy finished(&controller, &TrainingController::runFinished);
        int lastStep = 0;
        connect(&controller, &TrainingController::progress, this, [&](const il::ui::ProgressUpdate& u) { lastStep = u.step; });
        controller.start(il::test::tinyCnn(1000000));
        QVERIFY(waitFor([&] { return lastStep >= 3; }));
        controller.pause();
        QVERIFY(waitFor([&] { return controller.state() == TrainingController::State::Paused; }));
        const int pausedAt = lastStep;
        QTest::qWait(200);
        QCOMPARE(lastStep, pausedAt);  // paused means no more steps

        controller.singleStep();
        QVERIFY(waitFor([&] { return lastStep == pausedAt + 1; }));
        QTest::qWait(200);
        QCOMPARE(lastStep, pausedAt + 1);  // exactly one
        QCOMPARE(controller.state(), TrainingController::State::Paused);

        controller.resume();
        QCOMPARE(controller.state(), TrainingController::State::Running);
        QVERIFY(waitFor([&] { return lastStep > pausedAt + 5; }));

        controller.stop();
        QVERIFY(finished.wait(30000));
        const auto result = finished.takeFirst().at(0).value<il::ui::RunResult>();
        QCOMPARE(result.metrics.stopReason, il::StopReason::Cancelled);
        QVERIFY(result.metrics.stepsDone > pausedAt + 5);
        QCOMPARE(controller.state(), TrainingController::State::Ready);
    }

    // Two clicks faster than the worker wakes: the state shown is what the worker does.
    void quickResumePause_and_quickPauseResume_leaveStateAndWorkerAgreeing()
    {
        TrainingController controller;
        QSignalSpy finished(&controller, &TrainingController::runFinished);
        int lastStep = 0;
        connect(&controller, &TrainingController::progress, this, [&](const il::ui::ProgressUpdate& u) { lastStep = u.step; });
        controller.start(il::test::tinyCnn(1000000));
        QVERIFY(waitFor([&] { return lastStep >= 3; }));
        for (int round = 0; round < 5; ++round) {
            controller.pause();
            QVERIFY(waitFor([&] { return controller.state() == TrainingController::State::Paused; }));
            controller.resume();
            controller.pause();  // before the worker has left its pause
            QVERIFY2(waitFor([&] { return controller.state() == TrainingController::State::Paused; }, 5000),
                     qPrintable(QStringLiteral("round %1: the worker stayed paused, the state did not say so").arg(round)));
            QTest::qWait(150);
            const int held = lastStep;
            QTest::qWait(250);
            QCOMPARE(lastStep, held);

            controller.resume();
            QCOMPARE(controller.state(), TrainingController::State::Running);
            controller.pause();
            controller.resume();  // before the worker has announced the pause
            QTest::qWait(400);    // a stale pausedAt would have arrived by now
            QCOMPARE(controller.state(), TrainingController::State::Running);
            const int before = lastStep;
            QVERIFY2(waitFor([&] { return lastStep > before + 2; }, 10000), "resumed but the worker does not step");
        }
        controller.stop();
        QVERIFY(finished.wait(30000));
    }

    void stopWhileBuilding_stopsThatRunBeforeItTrains()
    {
        TrainingController controller;
        QSignalSpy finished(&controller, &TrainingController::runFinished);
        controller.start(il::test::tinyCnn(1000000));
        controller.stop();  // before the worker has even built the session
        QCOMPARE(controller.state(), TrainingController::State::Stopping);
        QVERIFY(finished.wait(30000));
        const auto result = finished.takeFirst().at(0).value<il::ui::RunResult>();
        QCOMPARE(result.metrics.stopReason, il::StopReason::Cancelled);
        QVERIFY(result.metrics.stepsDone <= 1);
        QCOMPARE(controller.state(), TrainingController::State::Ready);
    }

    void startTwice_theSecondReplacesTheFirst()
    {
        TrainingController controller;
        QSignalSpy finished(&controller, &TrainingController::runFinished);
        const quint64 first = controller.start(il::test::tinyCnn(1000000));
        const quint64 second = controller.start(il::test::tinyCnn(10));
        QVERIFY(waitFor([&] { return finished.count() == 2; }));
        const auto a = finished.at(0).at(0).value<il::ui::RunResult>();
        const auto b = finished.at(1).at(0).value<il::ui::RunResult>();
        QCOMPARE(a.runId, first);
        QCOMPARE(a.metrics.stopReason, il::StopReason::Cancelled);
        QCOMPARE(b.runId, second);
        QCOMPARE(b.metrics.stepsDone, 10);
        QCOMPARE(controller.currentRunId(), second);
        QCOMPARE(controller.state(), TrainingController::State::Ready);
    }

    void requests_areServedWhileRunningPausedAndIdle()
    {
        TrainingController controller;
        QSignalSpy predictions(&controller, &TrainingController::predictionReady);
        QSignalSpy activations(&controller, &TrainingController::activationsReady);
        int lastStep = 0;
        connect(&controller, &TrainingController::progress, this, [&](const il::ui::ProgressUpdate& u) { lastStep = u.step; });
        controller.start(il::test::tinyCnn(1000000));
        QVERIFY(waitFor([&] { return lastStep >= 2; }));
        const il::Image input(1, 28, 28, 0.5f);

        // Running: served between two steps.
        quint64 id = controller.requestPrediction({input});
        QVERIFY(waitFor([&] { return !predictions.isEmpty() && predictions.last().at(0).value<quint64>() == id; }));
        QCOMPARE(predictions.last().at(1).value<std::vector<il::Image>>().size(), std::size_t(1));

        // Paused: the worker waits at the gate and still serves.
        controller.pause();
        QVERIFY(waitFor([&] { return controller.state() == TrainingController::State::Paused; }));
        id = controller.requestPrediction({input});
        QVERIFY(waitFor([&] { return predictions.last().at(0).value<quint64>() == id; }));
        il::ui::ActivationRequest request;
        request.probes.push_back({"grey", il::ProbeGroup::User, input});
        controller.requestActivations(request);
        QVERIFY(activations.wait(10000));
        const auto grid = activations.last().at(1).value<il::ActivationGrid>();
        QCOMPARE(grid.maps.size(), grid.layers.size());
        QVERIFY(grid.maps.size() >= 3);  // input, hidden layer(s), output

        // Latest wins: a burst gets an answer for its last request, none newer.
        predictions.clear();
        quint64 latest = 0;
        for (int i = 0; i < 5; ++i) latest = controller.requestPrediction({input});
        QVERIFY(waitFor([&] { return !predictions.isEmpty() && predictions.last().at(0).value<quint64>() == latest; }));
        QVERIFY(predictions.count() <= 5);

        // Idle (stopped): served from the worker's event loop.
        QSignalSpy finished(&controller, &TrainingController::runFinished);
        controller.stop();
        QVERIFY(finished.wait(30000));
        id = controller.requestPrediction({input});
        QVERIFY(waitFor([&] { return predictions.last().at(0).value<quint64>() == id; }));
    }

    void learningRate_canBeChangedWhileRunning()
    {
        TrainingController controller;
        double lastLr = 0.0;
        int lastStep = 0;
        connect(&controller, &TrainingController::progress, this, [&](const il::ui::ProgressUpdate& u) {
            lastLr = u.lr;
            lastStep = u.step;
        });
        il::ExperimentConfig c = il::test::tinyCnn(1000000);
        c.schedule = il::Schedule::Constant;
        c.lr = 0.01;
        controller.start(c);
        QVERIFY(waitFor([&] { return lastStep >= 2; }));
        QCOMPARE(lastLr, 0.01);
        controller.setLearningRate(0.002);
        QVERIFY(waitFor([&] { return qFuzzyCompare(lastLr, 0.002); }));
        controller.setLearningRate(0.0);  // back to the config's rate
        QVERIFY(waitFor([&] { return qFuzzyCompare(lastLr, 0.01); }));
        controller.stop();
    }

    void divergedRun_isReportedAsSuchAndKept()
    {
        TrainingController controller;
        QSignalSpy finished(&controller, &TrainingController::runFinished);
        il::ExperimentConfig c = il::test::tinyCnn(200);
        c.lr = 90.0;
        c.schedule = il::Schedule::Constant;
        controller.start(c);
        QVERIFY(finished.wait(60000));
        const auto result = finished.takeFirst().at(0).value<il::ui::RunResult>();
        QCOMPARE(result.metrics.stopReason, il::StopReason::Diverged);
        QVERIFY2(QString::fromStdString(result.metrics.stopDetail).contains(QStringLiteral("NaN")) ||
                     QString::fromStdString(result.metrics.stopDetail).contains(QStringLiteral("infinite")),
                 result.metrics.stopDetail.c_str());
        QVERIFY(result.metrics.stepsDone < 200);
        QVERIFY(!result.checkpointPath.isEmpty());  // kept, like any other run
    }

    void badConfig_failsWithAMessage_andTheControllerStaysUsable()
    {
        TrainingController controller;
        QSignalSpy failed(&controller, &TrainingController::sessionFailed);
        il::ExperimentConfig bad = il::test::tinyCnn(5);
        bad.kernelSize = 4;  // even: refused by il::validate
        controller.start(bad);
        QVERIFY(failed.wait(30000));
        QVERIFY(failed.first().at(1).toString().contains(QStringLiteral("kernel_size")));
        QCOMPARE(controller.state(), TrainingController::State::NoModel);

        QSignalSpy finished(&controller, &TrainingController::runFinished);
        controller.start(il::test::tinyCnn(5));
        QVERIFY(finished.wait(60000));
    }

    void shutdownWhileTraining_returnsPromptly()
    {
        auto* controller = new TrainingController;
        int lastStep = 0;
        connect(controller, &TrainingController::progress, this, [&](const il::ui::ProgressUpdate& u) { lastStep = u.step; });
        controller->start(il::test::tinyCnn(1000000));
        QVERIFY(waitFor([&] { return lastStep >= 2; }));
        QElapsedTimer t;
        t.start();
        delete controller;  // stop, quit, wait
        QVERIFY2(t.elapsed() < 10000, qPrintable(QString::number(t.elapsed())));
    }

    void shutdownWhilePaused_returnsPromptly()
    {
        auto* controller = new TrainingController;
        int lastStep = 0;
        connect(controller, &TrainingController::progress, this, [&](const il::ui::ProgressUpdate& u) { lastStep = u.step; });
        controller->start(il::test::tinyCnn(1000000));
        QVERIFY(waitFor([&] { return lastStep >= 2; }));
        controller->pause();
        QVERIFY(waitFor([&] { return controller->state() == TrainingController::State::Paused; }));
        QElapsedTimer t;
        t.start();
        delete controller;
        QVERIFY2(t.elapsed() < 10000, qPrintable(QString::number(t.elapsed())));
    }
};

QTEST_MAIN(TrainingControllerTest)
#include "tst_training_controller.moc"
