// The Experiment panel never changes a value behind the user's back: a value typed out of the
// engine's range, or not a number at all, stays as typed, is marked beside its field with the
// accepted range (or the engine's reason), and Train is refused with that reason until it is
// fixed. One test per kind of field: whole number, real number, choice, list.

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStatusBar>
#include <QStandardPaths>
#include <QTest>
#include <QToolButton>

#include "engine/config/config_json.h"
#include "engine/config/config_limits.h"
#include "engine/config/recipes.h"
#include "support/gui_test_helpers.h"
#include "ui/mainwindow/main_window.h"
#include "ui/mainwindow/presets.h"
#include "ui/panels/experiment_panel.h"
#include "ui/panels/number_field.h"
#include "ui/panels/training_bar.h"

using il::ui::ExperimentPanel;
using il::ui::MainWindow;
using il::ui::NumberField;

namespace {

NumberField* field(ExperimentPanel& panel, const char* name)
{
    auto* f = panel.findChild<NumberField*>(QString::fromLatin1(name));
    if (!f) qFatal("no field %s", name);
    return f;
}

// Replaces the field's text as a user would: select all, type.
void type(QWidget* w, const QString& text)
{
    w->setFocus();
    if (auto* f = qobject_cast<NumberField*>(w)) {
        f->selectAll();
        QTest::keyClick(f, Qt::Key_Backspace);
    } else if (auto* e = qobject_cast<QLineEdit*>(w)) {
        e->selectAll();
        QTest::keyClick(e, Qt::Key_Backspace);
    }
    QTest::keyClicks(w, text);
}

QString json(const il::ExperimentConfig& c) { return QString::fromStdString(il::configToJson(c).dump(-1)); }

QLabel* problemLabel(ExperimentPanel& panel, const char* name)
{
    return panel.findChild<QLabel*>(QString::fromLatin1(name) + QStringLiteral("Problem"));
}

// The problem is laid out under its field, with room for its text, above the next field.
bool laidOutBetween(QWidget* field, QLabel* problem, QWidget* next)
{
    QApplication::processEvents();
    const int fieldBottom = field->mapToGlobal(QPoint(0, field->height())).y();
    const int top = problem->mapToGlobal(QPoint(0, 0)).y();
    const int bottom = problem->mapToGlobal(QPoint(0, problem->height())).y();
    const int nextTop = next->mapToGlobal(QPoint(0, 0)).y();
    return problem->isVisible() && problem->height() >= problem->fontMetrics().height() && top >= fieldBottom && bottom <= nextTop;
}

}  // namespace

class ExperimentPanelTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("IdentityLabTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_experiment_panel"));
    }

    // A whole number: depth 500 stays 500, marked "Depth must be 1 to 30", not clamped to 30.
    void wholeNumber_outOfRange_staysAsTyped_andIsMarked()
    {
        ExperimentPanel panel;
        panel.show();
        NumberField* depth = field(panel, "depth");
        type(depth, QStringLiteral("500"));
        depth->clearFocus();  // leaving the field does not revert it either
        QCOMPARE(depth->text(), QStringLiteral("500"));
        QVERIFY(!panel.isValid());
        QCOMPARE(panel.fieldProblem(QStringLiteral("depth")), QStringLiteral("Depth must be 1 to 30"));
        QCOMPARE(depth->problem(), QStringLiteral("Depth must be 1 to 30"));
        QVERIFY(problemLabel(panel, "depth")->isVisible());
        QVERIFY(laidOutBetween(depth, problemLabel(panel, "depth"), field(panel, "channels")));
        QCOMPARE(problemLabel(panel, "depth")->text().replace(QLatin1Char('\n'), QLatin1Char(' ')),
                 QStringLiteral("Depth must be 1 to 30"));
        QCOMPARE(panel.problem(), QStringLiteral("Depth must be 1 to 30"));
        QCOMPARE(panel.config().depth, 500);

        type(depth, QStringLiteral("five"));
        QCOMPARE(depth->text(), QStringLiteral("five"));
        QCOMPARE(panel.fieldProblem(QStringLiteral("depth")), QStringLiteral("Depth must be a whole number, 1 to 30"));
        type(depth, QStringLiteral("2.5"));
        QCOMPARE(panel.fieldProblem(QStringLiteral("depth")), QStringLiteral("Depth must be a whole number, 1 to 30"));

        type(depth, QStringLiteral("12"));
        QVERIFY(panel.isValid());
        QVERIFY(panel.fieldProblem(QStringLiteral("depth")).isEmpty());
        QVERIFY(!problemLabel(panel, "depth")->isVisible());
        QCOMPARE(panel.config().depth, 12);

        // The FCN's width: 100000 is not 10000.
        auto* arch = panel.findChild<QComboBox*>(QStringLiteral("architecture"));
        arch->setCurrentIndex(arch->findData(static_cast<int>(il::Architecture::Fcn)));
        type(field(panel, "width"), QStringLiteral("100000"));
        QCOMPARE(field(panel, "width")->text(), QStringLiteral("100000"));
        QCOMPARE(panel.fieldProblem(QStringLiteral("width")), QStringLiteral("Width must be 1 to 16384"));
        // A row the network does not use stays visible while it holds a problem.
        arch->setCurrentIndex(arch->findData(static_cast<int>(il::Architecture::Cnn)));
        QVERIFY(field(panel, "width")->isVisible());
        type(field(panel, "width"), QStringLiteral("784"));
        QVERIFY(!field(panel, "width")->isVisible());  // back to hidden: CNNs have no width
        QVERIFY(panel.isValid());

        // The arrows step within the range and bring an outside value back into it.
        type(depth, QStringLiteral("500"));
        depth->stepBy(-1);
        QCOMPARE(depth->text(), QStringLiteral("30"));
        depth->stepBy(1);
        QCOMPARE(depth->text(), QStringLiteral("30"));
        QVERIFY(panel.isValid());
    }

    // A real number: a learning rate of -1 stays -1 (not 1.0), and the engine's whole range is
    // reachable (1e-7, which six decimals could not hold).
    void realNumber_outOfRange_staysAsTyped_andIsMarked()
    {
        ExperimentPanel panel;
        panel.show();
        NumberField* lr = field(panel, "lr");
        type(lr, QStringLiteral("-1"));
        lr->clearFocus();
        QCOMPARE(lr->text(), QStringLiteral("-1"));
        QVERIFY(!panel.isValid());
        QCOMPARE(panel.fieldProblem(QStringLiteral("lr")), QStringLiteral("Learning rate must be 1e-12 to 100"));
        QVERIFY(problemLabel(panel, "lr")->isVisible());
        type(lr, QStringLiteral("0.o1"));
        QCOMPARE(panel.fieldProblem(QStringLiteral("lr")), QStringLiteral("Learning rate must be a number, 1e-12 to 100"));
        type(lr, QStringLiteral("1e-7"));
        QVERIFY2(panel.isValid(), qPrintable(panel.problem()));
        QCOMPARE(panel.config().lr, 1e-7);

        NumberField* momentum = field(panel, "momentum");
        type(momentum, QStringLiteral("1"));
        QCOMPARE(panel.fieldProblem(QStringLiteral("momentum")), QStringLiteral("Momentum must be 0 to 0.999999"));
        type(momentum, QStringLiteral("0.95"));
        QVERIFY(panel.isValid());

        // Rates are written without an exponent down to a millionth, and read back exactly.
        lr->setNumber(0.0004);
        QCOMPARE(lr->text(), QStringLiteral("0.0004"));
        lr->setNumber(8e-05);
        QCOMPARE(lr->text(), QStringLiteral("0.00008"));
        QCOMPARE(lr->number().value_or(0), 8e-05);
        lr->setNumber(1.5e-9);
        QCOMPARE(lr->number().value_or(0), 1.5e-9);

        // A value the panel is given comes back exactly (no rounding to a number of decimals).
        il::ExperimentConfig c;
        c.initScale = 0.12345678901;
        c.lr = 0.0123456789;
        c.beta2 = 0.999999999;
        panel.setConfig(c);
        QCOMPARE(panel.config().initScale, c.initScale);
        QCOMPARE(panel.config().lr, c.lr);
        QCOMPARE(panel.config().beta2, c.beta2);
    }

    // A choice: it cannot be out of range itself, but it can make another field's value one
    // the engine refuses. The field says so; switching back makes it good again, unchanged.
    void choice_thatMakesAValueInvalid_marksThatField()
    {
        ExperimentPanel panel;
        panel.show();
        auto* arch = panel.findChild<QComboBox*>(QStringLiteral("architecture"));
        arch->setCurrentIndex(arch->findData(static_cast<int>(il::Architecture::Cnn)));
        type(field(panel, "depth"), QStringLiteral("5"));
        QVERIFY(panel.isValid());
        arch->setCurrentIndex(arch->findData(static_cast<int>(il::Architecture::ResnetCnn)));
        QVERIFY(!panel.isValid());
        QVERIFY2(panel.fieldProblem(QStringLiteral("depth")).startsWith(QStringLiteral("Depth: 5 does not fit this ResNet")),
                 qPrintable(panel.fieldProblem(QStringLiteral("depth"))));
        QCOMPARE(field(panel, "depth")->text(), QStringLiteral("5"));
        arch->setCurrentIndex(arch->findData(static_cast<int>(il::Architecture::Cnn)));
        QVERIFY(panel.isValid());
        QCOMPARE(panel.config().depth, 5);

        // Nesterov without momentum: the check box is marked with the engine's reason.
        auto* optimizer = panel.findChild<QComboBox*>(QStringLiteral("optimizer"));
        optimizer->setCurrentIndex(optimizer->findData(static_cast<int>(il::OptimizerKind::Sgd)));
        type(field(panel, "momentum"), QStringLiteral("0"));
        panel.findChild<QCheckBox*>(QStringLiteral("nesterov"))->setChecked(true);
        QCOMPARE(panel.fieldProblem(QStringLiteral("nesterov")), QStringLiteral("Nesterov momentum: needs momentum > 0"));
        QVERIFY(problemLabel(panel, "nesterov")->isVisible());
    }

    // A list: the training images' indices, each checked.
    void list_ofIndices_marksEveryBadEntry()
    {
        ExperimentPanel panel;
        panel.show();
        auto* indices = panel.findChild<QLineEdit*>(QStringLiteral("trainIndices"));
        type(indices, QStringLiteral("0, x, 15, y"));
        QCOMPARE(indices->text(), QStringLiteral("0, x, 15, y"));
        QVERIFY(!panel.isValid());
        QCOMPARE(panel.fieldProblem(QStringLiteral("trainIndices")),
                 QStringLiteral("Training images: 'x', 'y' are not indices (whole numbers, 0 or more)"));
        QVERIFY(problemLabel(panel, "trainIndices")->isVisible());
        type(indices, QStringLiteral("0, -3"));
        QCOMPARE(panel.fieldProblem(QStringLiteral("trainIndices")), QStringLiteral("Training images: index -3 is negative"));
        type(indices, QStringLiteral("0 15"));
        QVERIFY(panel.isValid());
        QCOMPARE(panel.config().trainIndices, (std::vector<int>{0, 15}));
        QCOMPARE(panel.config().trainCount, 2);
    }

    // The limits are the engine's (engine/config/config_limits.h), the ones validate() enforces.
    void ranges_areTheEngines()
    {
        ExperimentPanel panel;
        for (NumberField* f : panel.findChildren<NumberField*>()) {
            if (f->objectName() == QStringLiteral("seed")) continue;
            bool found = false;
            for (const il::NumericLimit& limit : il::numericLimits()) {
                if (f->toolTip().contains(QStringLiteral("Accepted: %1.").arg(QString::fromStdString(il::rangeText(limit))))) found = true;
            }
            QVERIFY2(found, qPrintable(f->objectName()));
        }
        for (const il::NumericLimit& limit : il::numericLimits()) {
            // Just above the top of the range: validate() names that key.
            il::ExperimentConfig c;
            const std::string key = limit.key;
            const double above = limit.whole ? limit.hi + 1 : limit.hi * 1.5 + 1;
            if (key == "depth") c.depth = static_cast<int>(above);
            if (key == "steps") c.steps = static_cast<int>(above);
            if (key == "lr") c.lr = above;
            if (key == "beta2") c.beta2 = above;
            if (key == "image_size") c.imageSize = static_cast<int>(above);
            if (key == "depth" || key == "steps" || key == "lr" || key == "beta2" || key == "image_size") {
                const auto problems = il::configProblems(c);
                QVERIFY(!problems.empty());
                QCOMPARE(QString::fromStdString(problems.front().key), QString::fromLatin1(limit.key));
            }
        }
    }

    // What the panel is given, it gives back exactly: the presets and the defaults.
    void setConfig_givesBackTheSameConfig()
    {
        ExperimentPanel panel;
        panel.setConfig(il::ExperimentConfig{});
        QCOMPARE(json(panel.config()), json(il::ExperimentConfig{}));
        for (const il::ui::Preset& p : il::ui::presets()) {
            panel.setConfig(p.config);
            QCOMPARE(json(panel.config()), json(p.config));
        }
        il::ExperimentConfig big;
        big.seed = 9007199254740993ULL;  // above 2^53: not a double
        panel.setConfig(big);
        QCOMPARE(panel.config().seed, big.seed);
    }

    // The Recipe box sets its training settings in one commit and follows the fields: a
    // setting changed by hand makes it "custom", the recipe's value brings the name back.
    void recipe_setsTheTrainingFields_andFollowsThem()
    {
        ExperimentPanel panel;
        panel.setConfig(il::ExperimentConfig{});
        auto* recipe = panel.findChild<QComboBox*>(QStringLiteral("recipe"));
        QVERIFY(recipe);
        QCOMPARE(recipe->currentText(), QStringLiteral("gentle"));
        QSignalSpy commits(&panel, &ExperimentPanel::committed);
        const int vanilla = recipe->findText(QStringLiteral("vanilla-1200"));
        QVERIFY(vanilla >= 0);
        recipe->setCurrentIndex(vanilla);
        emit recipe->activated(vanilla);  // what a user's pick sends
        QCOMPARE(commits.count(), 1);
        QCOMPARE(panel.config().momentum, 0.0);
        QCOMPARE(panel.config().lr, il::findRecipe("vanilla-1200")->lr);
        QCOMPARE(panel.config().initScale, il::findRecipe("vanilla-1200")->initScale);  // a Network field, set too
        QCOMPARE(panel.config().depth, il::ExperimentConfig{}.depth);  // the rest stays
        type(field(panel, "steps"), QStringLiteral("500"));
        QCOMPARE(recipe->currentText(), QStringLiteral("custom"));
        type(field(panel, "steps"), QStringLiteral("1200"));
        QCOMPARE(recipe->currentText(), QStringLiteral("vanilla-1200"));
        panel.setReadOnly(true);
        QVERIFY(!recipe->isEnabled());
    }

    // In the window: Train is refused with the reason, the workspace keeps the last settings
    // that can run, and fixing the field lets Train go.
    void window_refusesTrain_withTheReason_untilFixed()
    {
        MainWindow w;
        w.show();
        w.experimentPanel()->setConfig(il::test::tinyCnn(3));
        NumberField* depth = field(*w.experimentPanel(), "depth");
        type(depth, QStringLiteral("500"));
        QVERIFY(!w.trainingBar()->startButton()->isEnabled());
        QVERIFY2(w.trainingBar()->startButton()->toolTip().contains(QStringLiteral("Depth must be 1 to 30")),
                 qPrintable(w.trainingBar()->startButton()->toolTip()));
        QVERIFY2(w.trainingBar()->statusText().contains(QStringLiteral("Depth must be 1 to 30")),
                 qPrintable(w.trainingBar()->statusText()));
        // The workspace holds what Train starts: only settings that can run, and no value met on
        // the way to the one typed ("5" and "50" on the way to "500").
        QCOMPARE(w.workspace()->config().depth, 2);
        QCOMPARE(w.startTraining(), quint64(0));
        QVERIFY2(w.statusBar()->currentMessage().contains(QStringLiteral("Depth must be 1 to 30")),
                 qPrintable(w.statusBar()->currentMessage()));
        QCOMPARE(depth->text(), QStringLiteral("500"));  // still as typed
        // Laid out, also in the window's dock with a run's bar above it.
        QVERIFY(laidOutBetween(depth, w.experimentPanel()->findChild<QLabel*>(QStringLiteral("depthProblem")),
                               field(*w.experimentPanel(), "channels")));

        type(depth, QStringLiteral("2"));
        QVERIFY(w.trainingBar()->startButton()->isEnabled());
        QVERIFY(!w.trainingBar()->statusText().contains(QStringLiteral("Cannot train")));
        QSignalSpy finished(&w, &MainWindow::runFinished);
        QTest::mouseClick(w.trainingBar()->startButton(), Qt::LeftButton);
        QVERIFY(finished.wait(60000));
        QCOMPARE(w.workspace()->currentRun()->config.depth, 2);
    }
};

QTEST_MAIN(ExperimentPanelTest)
#include "tst_experiment_panel.moc"
