// The time estimate the CLI's sweep/reproduce and the app's Sweep dialog share
// (engine/sweep/time_estimate.h): positive, growing with the steps and the network, and the
// schedule of runs one after the other or several at a time.

#include <QTest>

#include "engine/sweep/time_estimate.h"

class TimeEstimateTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void runSeconds_arePositive_andGrowWithTheSteps()
    {
        il::ExperimentConfig cnn;
        cnn.depth = 5;
        cnn.channels = 32;
        il::ExperimentConfig fcn;
        fcn.architecture = il::Architecture::Fcn;
        fcn.depth = 3;
        const il::SpeedFactors speed;
        for (il::ExperimentConfig c : {cnn, fcn}) {
            double previous = 0.0;
            for (int steps : {0, 1, 100, 1000, 10000}) {
                c.steps = steps;
                const double seconds = il::estimatedRunSeconds(c, 2, speed);
                QVERIFY2(seconds > previous, qPrintable(QStringLiteral("%1 steps: %2 s").arg(steps).arg(seconds)));
                previous = seconds;
            }
            // Evaluated only (the paper's "20rnd"): the steps do not count.
            c.steps = 10000;
            QVERIFY(il::estimatedRunSeconds(c, 2, speed, false) > 0.0);
            QVERIFY(il::estimatedRunSeconds(c, 2, speed, false) < il::estimatedRunSeconds(c, 2, speed));
        }
    }

    void runSeconds_growWithDepth_andFollowTheMeasuredSpeed()
    {
        il::ExperimentConfig c;
        c.channels = 32;
        c.steps = 500;
        c.depth = 5;
        const il::SpeedFactors speed;
        const double five = il::estimatedRunSeconds(c, 2, speed);
        c.depth = 20;
        const double twenty = il::estimatedRunSeconds(c, 2, speed);
        QVERIFY(twenty > five);
        il::SpeedFactors slower;
        slower.cnnEnds = slower.cnnHidden = 3.0;
        QVERIFY(il::estimatedRunSeconds(c, 2, slower) > twenty * 2.0);
    }

    void schedule_sumsOneAtATime_andWaitsForTheLongestInParallel()
    {
        QCOMPARE(il::estimatedScheduleSeconds({10.0, 20.0, 30.0}, 1), 60.0);
        QCOMPARE(il::estimatedScheduleSeconds({10.0, 20.0, 30.0}, 2), 30.0);  // 30 | 20 + 10
        QCOMPARE(il::estimatedScheduleSeconds({100.0, 1.0, 1.0}, 3), 100.0);
        QCOMPARE(il::estimatedScheduleSeconds({}, 1), 0.0);
    }

    void formatMinutes_secondsThenMinutes()
    {
        QCOMPARE(QString::fromStdString(il::formatMinutes(45)), QStringLiteral("45 s"));
        QCOMPARE(QString::fromStdString(il::formatMinutes(720)), QStringLiteral("12 min"));
    }
};

QTEST_GUILESS_MAIN(TimeEstimateTest)
#include "tst_time_estimate.moc"
