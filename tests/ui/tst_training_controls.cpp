// The training commands: a Training menu with Train, Pause/Resume, Step, Stop and Reset, whose
// shortcuts work wherever the focus is in the window (a text field of the Experiment panel, the
// learning-rate field, a view); Space pauses and resumes as often as it is pressed; the lr
// override shows the rate the worker reports and starts unchecked for every new run.

#include <QAction>
#include <QCheckBox>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QProgressBar>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

#include "support/gui_test_helpers.h"
#include "ui/mainwindow/main_window.h"
#include "ui/panels/experiment_panel.h"
#include "ui/panels/number_field.h"
#include "ui/panels/training_actions.h"
#include "ui/panels/training_bar.h"
#include "ui/views/gallery_view.h"
#include "ui/views/outputs_view.h"

using il::test::waitFor;
using il::ui::MainWindow;
using il::ui::NumberField;
using il::ui::TrainingController;
using State = il::ui::TrainingController::State;

namespace {

void showActive(MainWindow& w)
{
    w.resize(1400, 900);
    w.show();
    w.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&w));
}

// A key pressed where the focus is, as the keyboard would: the window's focus widget gets it.
void press(QWidget* focus, int key, Qt::KeyboardModifiers modifiers = Qt::NoModifier)
{
    focus->setFocus(Qt::OtherFocusReason);
    QTRY_VERIFY(focus->hasFocus());
    QTest::keyClick(focus, static_cast<Qt::Key>(key), modifiers);
}

il::ExperimentConfig endless() { return il::test::tinyCnn(1000000); }

}  // namespace

class TrainingControlsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("IdentityLabTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_training_controls"));
    }

    void trainingMenu_holdsTheCommands_withTheirShortcuts()
    {
        MainWindow w;
        QMenu* training = nullptr;
        for (QAction* a : w.menuBar()->actions())
            if (a->text() == QStringLiteral("&Training")) training = a->menu();
        QVERIFY(training);
        QStringList texts;
        for (QAction* a : training->actions())
            if (!a->isSeparator()) texts << a->text() + QLatin1Char('=') + a->shortcut().toString();
        QCOMPARE(texts, (QStringList{QStringLiteral("&Train=Ctrl+Return"), QStringLiteral("&Pause=Space"),
                                     QStringLiteral("&Step=Ctrl+Right"), QStringLiteral("St&op=Esc"), QStringLiteral("&Reset="),
                                     QStringLiteral("&Continue training...=")}));
        // The bar's buttons are these actions.
        QCOMPARE(w.trainingBar()->pauseButton()->defaultAction(), w.trainingActions()->pauseResume());
        QCOMPARE(w.trainingBar()->startButton()->defaultAction(), w.trainingActions()->train());
    }

    // Space, from a text field, a view and the lr field in turn: pause, resume, pause, ...
    void space_pausesAndResumes_everyTime_wherever_theFocusIs()
    {
        MainWindow w;
        showActive(w);
        w.experimentPanel()->setConfig(endless());
        NumberField* depth = w.experimentPanel()->findChild<NumberField*>(QStringLiteral("depth"));
        auto* indices = w.experimentPanel()->findChild<QLineEdit*>(QStringLiteral("trainIndices"));
        QVERIFY(depth && indices);
        press(depth, Qt::Key_Return, Qt::ControlModifier);  // Train, from a text field
        QVERIFY(waitFor([&] { return w.controller()->state() == State::Running && w.trainingBar()->progressBar()->value() >= 2; }));
        QWidget* gallery = w.galleryView()->findChild<QListWidget*>(QStringLiteral("galleryList"));
        QVERIFY(gallery);
        const QList<QWidget*> places{depth, w.outputsView(), indices, w.trainingBar()->lrField(), gallery, depth};
        for (int i = 0; i < places.size(); ++i) {
            QWidget* place = places[i];
            if (place == gallery) w.showView(QStringLiteral("gallery"));
            if (place == w.outputsView()) {
                w.showView(QStringLiteral("outputs"));
                place->setFocusPolicy(Qt::StrongFocus);
            }
            const bool pausing = i % 2 == 0;
            press(place, Qt::Key_Space);
            QVERIFY2(waitFor([&] { return w.controller()->state() == (pausing ? State::Paused : State::Running); }, 20000),
                     qPrintable(QStringLiteral("press %1 (%2)").arg(i).arg(QString::fromLatin1(place->metaObject()->className()))));
            QCOMPARE(w.trainingBar()->pauseButton()->text(), pausing ? QStringLiteral("Resume") : QStringLiteral("Pause"));
        }
        // The fields were not typed into.
        QCOMPARE(depth->text(), QStringLiteral("2"));
        QCOMPARE(indices->text(), QString());

        // Paused now (six presses): Ctrl+Right steps once, from a text field.
        QVERIFY(waitFor([&] { return w.controller()->state() == State::Running; }));
        press(indices, Qt::Key_Space);
        QVERIFY(waitFor([&] { return w.controller()->state() == State::Paused; }));
        QTest::qWait(100);
        const int at = w.trainingBar()->progressBar()->value();
        press(indices, Qt::Key_Right, Qt::ControlModifier);
        QVERIFY(waitFor([&] { return w.trainingBar()->progressBar()->value() == at + 1; }, 10000));
        // Esc stops, from the lr field.
        QSignalSpy finished(&w, &MainWindow::runFinished);
        press(w.trainingBar()->lrField(), Qt::Key_Escape);
        QVERIFY(finished.wait(30000));
        QCOMPARE(w.workspace()->currentRun()->metrics.stopReason, il::StopReason::Cancelled);
    }

    // While nothing trains, Space is an ordinary key in a text field.
    void space_typesInATextField_whileNothingTrains()
    {
        MainWindow w;
        showActive(w);
        auto* indices = w.experimentPanel()->findChild<QLineEdit*>(QStringLiteral("trainIndices"));
        indices->setFocus();
        QTRY_VERIFY(indices->hasFocus());
        QTest::keyClicks(indices, QStringLiteral("0 15"));
        QCOMPARE(indices->text(), QStringLiteral("0 15"));
        QCOMPARE(w.controller()->state(), State::NoModel);
    }

    // The field shows the rate in use as reported, also after the schedule's decay and with an
    // override; a new run starts with the override off and its config's rate.
    void lrOverride_showsTheRateInUse_andResetsForANewRun()
    {
        MainWindow w;
        showActive(w);
        il::ExperimentConfig c = il::test::tinyFcn(400);
        c.schedule = il::Schedule::Step;  // x0.2 at steps 120, 240, 320
        c.lr = 0.01;
        w.experimentPanel()->setConfig(c);
        il::ui::TrainingBar* bar = w.trainingBar();
        double reported = 0.0;
        int reportedStep = 0;
        connect(w.controller(), &TrainingController::progress, this, [&](const il::ui::ProgressUpdate& u) {
            reported = u.lr;
            reportedStep = u.step;
        });
        QVERIFY(!bar->lrOverrideBox()->isEnabled());  // nothing to override yet
        QVERIFY(w.startTraining() != 0);
        // Pause early, override the rate with 0.05, go on through all three decays.
        QVERIFY(waitFor([&] { return reportedStep >= 1; }));
        w.trainingActions()->pauseResume()->trigger();
        QVERIFY(waitFor([&] { return w.controller()->state() == State::Paused; }));
        QTest::qWait(100);
        QVERIFY(bar->lrOverrideBox()->isEnabled());
        QVERIFY(reportedStep < 120);
        QCOMPARE(bar->lrField()->number().value_or(0), 0.01);
        bar->lrOverrideBox()->setChecked(true);
        QVERIFY(!bar->lrField()->isReadOnly());
        bar->lrField()->setFocus();
        bar->lrField()->selectAll();
        QTest::keyClicks(bar->lrField(), QStringLiteral("0.05"));
        QTest::keyClick(bar->lrField(), Qt::Key_Return);
        w.trainingActions()->step()->trigger();
        QVERIFY(waitFor([&] { return std::abs(reported - 0.05) < 1e-12; }, 10000));
        QSignalSpy finished(&w, &MainWindow::runFinished);
        w.trainingActions()->pauseResume()->trigger();
        QVERIFY(finished.wait(60000));
        QVERIFY2(reportedStep > 320, qPrintable(QString::number(reportedStep)));
        QVERIFY2(std::abs(reported - 0.05 * 0.008) < 1e-12, qPrintable(QString::number(reported)));  // three decays
        QCOMPARE(bar->lrField()->number().value_or(0), 0.0004);                                      // what was used, not the 0.05 typed
        QVERIFY(bar->lrOverrideBox()->isChecked());

        // A new run: the override is off, the field and the worker are at the config's rate.
        c.steps = 1000000;
        w.experimentPanel()->setConfig(c);
        reportedStep = 0;
        QVERIFY(w.startTraining() != 0);
        QVERIFY(waitFor([&] { return reportedStep >= 2; }));
        QVERIFY(!bar->lrOverrideBox()->isChecked());
        QVERIFY(bar->lrField()->isReadOnly());
        QCOMPARE(reported, 0.01);
        QCOMPARE(bar->lrField()->number().value_or(0), 0.01);
        // A rate out of range is marked and not sent.
        bar->lrOverrideBox()->setChecked(true);
        bar->lrField()->setFocus();
        bar->lrField()->selectAll();
        QTest::keyClicks(bar->lrField(), QStringLiteral("-1"));
        QTest::keyClick(bar->lrField(), Qt::Key_Return);
        QVERIFY(!bar->lrField()->problem().isEmpty());
        QTest::qWait(200);
        QCOMPARE(reported, 0.01);
        QSignalSpy stopped(&w, &MainWindow::runFinished);
        w.trainingActions()->stop()->trigger();
        QVERIFY(stopped.wait(30000));
    }
};

QTEST_MAIN(TrainingControlsTest)
#include "tst_training_controls.moc"
