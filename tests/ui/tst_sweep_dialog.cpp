// The Sweep dialog: a numeric parameter's values, the checked inits, activations and optimisers,
// and N weight seeds expand into labelled runs; a bad input disables OK with the reason; the
// preview lists the runs with a time estimate for the whole sweep.

#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

#include "engine/config/choices.h"
#include "engine/core/errors.h"
#include "support/gui_test_helpers.h"
#include "ui/panels/sweep_dialog.h"
#include "ui/training/speed_calibration.h"

using il::ui::SweepDialog;
using il::ui::SweepParameter;
using il::ui::SweepPlan;

namespace {

QPushButton* okButton(SweepDialog& d) { return d.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok); }

void check(QListWidget* list, const char* name, bool on)
{
    for (int i = 0; i < list->count(); ++i)
        if (list->item(i)->toolTip().contains(QStringLiteral("(%1)").arg(QLatin1String(name)))) {
            list->item(i)->setCheckState(on ? Qt::Checked : Qt::Unchecked);
            return;
        }
    QFAIL(name);
}

}  // namespace

class SweepDialogTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void expansion_isValuesTimesSeeds_onlyTheWeightSeedDiffers()
    {
        il::ExperimentConfig base = il::test::tinyCnn(10);
        base.seed = 3;
        SweepPlan plan;
        plan.parameter = SweepParameter::Depth;
        plan.values = {1, 2, 3};
        plan.seeds = 2;
        const auto runs = il::ui::sweepRuns(base, plan);
        QCOMPARE(runs.size(), std::size_t(6));
        const QStringList expected = {QStringLiteral("depth=1 seed=3"), QStringLiteral("depth=1 seed=4"), QStringLiteral("depth=2 seed=3"),
                                      QStringLiteral("depth=2 seed=4"), QStringLiteral("depth=3 seed=3"), QStringLiteral("depth=3 seed=4")};
        for (std::size_t i = 0; i < runs.size(); ++i) {
            QCOMPARE(runs[i].label, expected[static_cast<int>(i)]);
            QCOMPARE(runs[i].config.depth, static_cast<int>(i / 2) + 1);
            QCOMPARE(runs[i].config.seed, std::uint64_t(3 + i % 2));
            QCOMPARE(runs[i].config.dataSeed, base.dataSeed);  // the same training image
            QCOMPARE(runs[i].config.channels, base.channels);
            QCOMPARE(runs[i].config.steps, base.steps);
        }
        // One seed: the base's own, not in the label.
        plan.seeds = 1;
        const auto single = il::ui::sweepRuns(base, plan);
        QCOMPARE(single.size(), std::size_t(3));
        QCOMPARE(single[2].label, QStringLiteral("depth=3"));
        QCOMPARE(single[2].config.seed, std::uint64_t(3));
    }

    void expansion_crossesTheCategoricalAxes()
    {
        const il::ExperimentConfig base = il::test::tinyCnn(10);
        SweepPlan plan;
        plan.parameter = SweepParameter::None;
        plan.activations = {il::Activation::Relu, il::Activation::Tanh};
        plan.optimizers = {il::OptimizerKind::Sgd, il::OptimizerKind::Adam};
        plan.seeds = 2;
        const auto runs = il::ui::sweepRuns(base, plan);
        QCOMPARE(runs.size(), std::size_t(8));
        QCOMPARE(runs[0].label, QStringLiteral("activation=relu optimizer=sgd seed=0"));
        QCOMPARE(runs[3].label, QStringLiteral("activation=relu optimizer=adam seed=1"));
        QCOMPARE(runs[7].label, QStringLiteral("activation=tanh optimizer=adam seed=1"));
        QCOMPARE(runs[7].config.activation, il::Activation::Tanh);
        QCOMPARE(runs[7].config.optimizer, il::OptimizerKind::Adam);
        QCOMPARE(runs[0].config.init, base.init);  // not swept: the base's
        // With a numeric parameter as well: depth first, the seeds fastest.
        plan.parameter = SweepParameter::Depth;
        plan.values = {2, 4};
        plan.inits = {il::InitScheme::Orthogonal};
        plan.seeds = 1;
        const auto grid = il::ui::sweepRuns(base, plan);
        QCOMPARE(grid.size(), std::size_t(8));
        QCOMPARE(grid[5].label, QStringLiteral("depth=4 init=orthogonal activation=relu optimizer=adam"));
        QCOMPARE(grid[5].config.init, il::InitScheme::Orthogonal);
    }

    void expansion_refusesWhatCannotRun_withTheReason()
    {
        const il::ExperimentConfig base = il::test::tinyCnn(10);
        SweepPlan seedTwice;
        seedTwice.parameter = SweepParameter::Seed;
        seedTwice.values = {1, 2};
        seedTwice.seeds = 3;
        try {
            il::ui::sweepRuns(base, seedTwice);
            QFAIL("the seed swept twice was accepted");
        } catch (const il::ConfigError& e) {
            QVERIFY2(QString::fromStdString(e.what()).contains(QStringLiteral("seed")), e.what());
        }
        SweepPlan evenKernel;
        evenKernel.parameter = SweepParameter::KernelSize;
        evenKernel.values = {3, 4};
        try {
            il::ui::sweepRuns(base, evenKernel);
            QFAIL("an even kernel was accepted");
        } catch (const il::ConfigError& e) {
            QVERIFY2(QString::fromStdString(e.what()).contains(QStringLiteral("kernel_size")), e.what());
        }
    }

    void estimate_isPositive_andGrowsWithTheSteps()
    {
        SweepPlan plan;
        plan.values = {1, 2};
        double previous = 0.0;
        for (int steps : {10, 100, 1000}) {
            const double seconds = il::ui::sweepSeconds(il::ui::sweepRuns(il::test::tinyCnn(steps), plan), 2, il::SpeedFactors{});
            QVERIFY(seconds > previous);
            previous = seconds;
        }
        plan.seeds = 3;  // three times the runs
        const double more = il::ui::sweepSeconds(il::ui::sweepRuns(il::test::tinyCnn(1000), plan), 2, il::SpeedFactors{});
        QVERIFY(more > 2.9 * previous);
    }

    void dialog_opensAtAComfortableSize_andPreviewsTheRuns()
    {
        il::ExperimentConfig base = il::test::tinyCnn(10);
        SweepDialog d(base);
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        QVERIFY2(d.width() >= 700 && d.height() >= 560, qPrintable(QStringLiteral("%1x%2").arg(d.width()).arg(d.height())));
        d.findChild<QLineEdit*>(QStringLiteral("sweepValues"))->setText(QStringLiteral("1-3"));
        d.findChild<QSpinBox*>(QStringLiteral("sweepSeeds"))->setValue(2);
        QVERIFY(okButton(d)->isEnabled());
        QCOMPARE(d.runs().size(), std::size_t(6));
        const QString preview = d.findChild<QPlainTextEdit*>(QStringLiteral("sweepPreview"))->toPlainText();
        QCOMPARE(preview.split(QLatin1Char('\n')).size(), 6);
        QVERIFY2(preview.contains(QStringLiteral("depth=3 seed=1")), qPrintable(preview));
        // No estimate before the machine is measured, then one for all six runs.
        QVERIFY(d.summaryText().contains(QStringLiteral("measuring")));
        d.setSpeed(il::SpeedFactors{}, 2);
        QVERIFY2(d.summaryText().contains(QStringLiteral("6 run(s)")) && d.summaryText().contains(QStringLiteral("about")),
                 qPrintable(d.summaryText()));
        // A second activation checked: twice the runs, labelled by it.
        check(d.findChild<QListWidget*>(QStringLiteral("sweepActivations")), "tanh", true);
        QCOMPARE(d.runs().size(), std::size_t(12));
        QVERIFY(d.runs().back().label == QStringLiteral("depth=3 activation=tanh seed=1"));
    }

    void dialog_badInput_disablesOkWithTheReason()
    {
        SweepDialog d(il::test::tinyCnn(10));
        auto* values = d.findChild<QLineEdit*>(QStringLiteral("sweepValues"));
        auto* problem = d.findChild<QLabel*>(QStringLiteral("sweepProblem"));
        values->setText(QStringLiteral("1, x"));
        QVERIFY(!okButton(d)->isEnabled());
        QVERIFY2(problem->text().contains(QStringLiteral("'x'")), qPrintable(problem->text()));
        QVERIFY(d.runs().empty());
        values->setText(QStringLiteral("2, 4"));
        QVERIFY(okButton(d)->isEnabled());
        QVERIFY(d.problem().isEmpty());

        // The seed both as the parameter and by "x N seeds".
        auto* parameter = d.findChild<QComboBox*>(QStringLiteral("sweepParameter"));
        parameter->setCurrentIndex(parameter->findData(static_cast<int>(SweepParameter::Seed)));
        d.findChild<QSpinBox*>(QStringLiteral("sweepSeeds"))->setValue(2);
        QVERIFY(!okButton(d)->isEnabled());
        QVERIFY2(d.problem().contains(QStringLiteral("x N seeds")), qPrintable(d.problem()));
        d.findChild<QSpinBox*>(QStringLiteral("sweepSeeds"))->setValue(1);
        QVERIFY(okButton(d)->isEnabled());

        // No activation checked at all.
        check(d.findChild<QListWidget*>(QStringLiteral("sweepActivations")), "relu", false);
        QVERIFY(!okButton(d)->isEnabled());
        QVERIFY2(d.problem().contains(QStringLiteral("activation")), qPrintable(d.problem()));
        check(d.findChild<QListWidget*>(QStringLiteral("sweepActivations")), "relu", true);

        // A value the engine refuses: named, with the config's reason.
        parameter->setCurrentIndex(parameter->findData(static_cast<int>(SweepParameter::KernelSize)));
        values->setText(QStringLiteral("3, 4"));
        QVERIFY(!okButton(d)->isEnabled());
        QVERIFY2(d.problem().contains(QStringLiteral("kernel_size")) && d.problem().contains(QStringLiteral("4")), qPrintable(d.problem()));
        QVERIFY(!problem->isHidden());
        values->setText(QStringLiteral("3, 5"));
        QVERIFY(okButton(d)->isEnabled());
        QVERIFY(problem->isHidden());
    }

    void speedCalibration_measuresOffTheGuiThread()
    {
        auto* speed = il::ui::SpeedCalibration::instance();
        QSignalSpy measured(speed, &il::ui::SpeedCalibration::measured);
        const il::DataLocations data = il::DataLocations::fromEnvironment();
        QVERIFY(!speed->factors(data));  // started, not there yet: the GUI thread goes on
        QVERIFY(measured.wait(60000));
        const auto factors = speed->factors(data);
        QVERIFY(factors);
        QVERIFY(factors->cnnEnds > 0.0 && factors->cnnHidden > 0.0 && factors->fusedFcn > 0.0 && factors->batchedFcn > 0.0);
        QVERIFY(speed->threads() >= 1);
    }
};

QTEST_MAIN(SweepDialogTest)
#include "tst_sweep_dialog.moc"
