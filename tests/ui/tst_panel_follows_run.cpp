// The Experiment dock follows the run on screen: a run opened from a file or the gallery, or
// trained on a drawing, shows its own settings (read-only) without touching yours; "Use these
// settings" copies them into yours. A preset or a config file that replaces your settings says
// so and can be undone (the Undo button, Edit > Undo, Ctrl+Z).

#include <QAction>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

#include "engine/config/config_json.h"
#include "support/gui_test_helpers.h"
#include "ui/mainwindow/main_window.h"
#include "ui/mainwindow/presets.h"
#include "ui/panels/experiment_dock.h"
#include "ui/panels/experiment_panel.h"
#include "ui/panels/number_field.h"
#include "ui/views/canvas_view.h"
#include "ui/views/gallery_view.h"
#include "ui/views/outputs_view.h"

using il::ui::ExperimentDock;
using il::ui::MainWindow;
using il::ui::RunRecord;

namespace {

QString json(const il::ExperimentConfig& c) { return QString::fromStdString(il::configToJson(c).dump(-1)); }

QPushButton* button(QWidget* in, const char* name)
{
    auto* b = in->findChild<QPushButton*>(QString::fromLatin1(name));
    if (!b) qFatal("no button %s", name);
    return b;
}

// Types a value into a field and enters it, as a user would.
void enter(il::ui::NumberField* field, const QString& text)
{
    field->selectAll();
    QTest::keyClick(field, Qt::Key_Backspace);
    QTest::keyClicks(field, text);
    QTest::keyClick(field, Qt::Key_Return);
}

void showActive(MainWindow& w)
{
    w.resize(1400, 900);
    w.show();
    w.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&w));
}

// Your settings for these tests: a one-layer linear FCN, unlike every run trained here.
il::ExperimentConfig mine()
{
    il::ExperimentConfig c = il::test::tinyFcn(7);
    c.seed = 11;
    return c;
}

il::ExperimentConfig cnn(int steps) { return il::test::tinyCnn(steps); }

}  // namespace

class PanelFollowsRunTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("IdentityLabTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_panel_follows_run"));
    }

    void openedRun_showsItsSettings_andYoursStay()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("cnn.ilrun"));
        {
            MainWindow w;
            w.experimentPanel()->setConfig(cnn(4));
            QSignalSpy finished(&w, &MainWindow::runFinished);
            QVERIFY(w.startTraining() != 0);
            QVERIFY(finished.wait(60000));
            QString error;
            QVERIFY2(w.saveCurrentRun(path, &error), qPrintable(error));
        }
        MainWindow w;
        w.show();
        ExperimentDock* dock = w.experimentDock();
        w.experimentPanel()->setConfig(mine());
        QVERIFY(!dock->isShowingRun());
        QString error;
        QVERIFY2(w.openFile(path, &error), qPrintable(error));
        // The dock shows the run's settings, read-only; yours are untouched.
        QVERIFY(dock->isShowingRun());
        QCOMPARE(json(dock->runPanel()->config()), json(w.workspace()->currentRun()->config));
        QCOMPARE(dock->runPanel()->config().depth, 2);
        QCOMPARE(dock->runPanel()->config().architecture, il::Architecture::Cnn);
        QVERIFY(dock->runPanel()->isVisible());
        QVERIFY(!w.experimentPanel()->isVisible());
        QVERIFY(dock->runPanel()->findChild<il::ui::NumberField*>(QStringLiteral("depth"))->isReadOnly());
        QCOMPARE(json(w.experimentPanel()->config()), json(mine()));
        QCOMPARE(json(w.workspace()->config()), json(mine()));
        const QString bar = dock->findChild<QLabel*>(QStringLiteral("runSettingsText"))->text();
        QVERIFY(bar.contains(QStringLiteral("Settings of the run on screen")));
        QVERIFY2(bar.contains(QStringLiteral("architecture cnn (yours fcn)")) && bar.contains(QStringLiteral("steps 4 (yours 7)")),
                 qPrintable(bar));

        // Yours, a click away; and back.
        button(dock, "showOwnSettings")->click();
        QVERIFY(!dock->isShowingRun());
        QVERIFY(w.experimentPanel()->isVisible());
        QVERIFY(button(dock, "showRunSettings")->isVisible());
        button(dock, "showRunSettings")->click();
        QVERIFY(dock->isShowingRun());

        // "Use these settings": yours become the run's, undoably.
        button(dock, "useRunSettings")->click();
        QVERIFY(!dock->isShowingRun());
        QCOMPARE(json(w.workspace()->config()), json(w.workspace()->currentRun()->config));
        QCOMPARE(json(w.experimentPanel()->config()), json(w.workspace()->currentRun()->config));
        QVERIFY(w.workspace()->canUndoConfigReplacement());
        QVERIFY(button(dock, "undoSettings")->isVisible());
        QVERIFY2(w.statusBar()->currentMessage().contains(QStringLiteral("Your settings are now those of")),
                 qPrintable(w.statusBar()->currentMessage()));
        button(dock, "undoSettings")->click();
        QCOMPARE(json(w.experimentPanel()->config()), json(mine()));
        QVERIFY(!button(dock, "undoSettings")->isVisible());
    }

    void galleryEntry_opened_showsItsSettings()
    {
        MainWindow w;
        w.show();
        w.experimentPanel()->setConfig(mine());
        auto run = std::make_shared<RunRecord>();
        run->config = cnn(20);
        run->config.depth = 3;
        run->finished = true;
        w.workspace()->addRun(run);
        w.showView(QStringLiteral("gallery"));
        w.galleryView()->selectRuns({run});
        QPushButton* open = nullptr;
        for (auto* b : w.galleryView()->findChildren<QPushButton*>())
            if (b->text() == QStringLiteral("Open")) open = b;
        QVERIFY(open && open->isEnabled());
        open->click();
        QCOMPARE(w.workspace()->currentRun(), run);
        QVERIFY(w.experimentDock()->isShowingRun());
        QCOMPARE(w.experimentDock()->runPanel()->config().depth, 3);
        QCOMPARE(json(w.experimentPanel()->config()), json(mine()));
    }

    void runFromYourSettings_showsYours()
    {
        MainWindow w;
        w.show();
        w.experimentPanel()->setConfig(cnn(3));
        QSignalSpy finished(&w, &MainWindow::runFinished);
        QVERIFY(w.startTraining() != 0);
        QVERIFY(!w.experimentDock()->isShowingRun());
        QVERIFY(!button(w.experimentDock(), "useRunSettings")->isVisible());
        QVERIFY(finished.wait(60000));
        QVERIFY(!w.experimentDock()->isShowingRun());
        QVERIFY(w.experimentPanel()->isVisible());
    }

    void drawingRun_showsThatItWasTrainedOnTheDrawing()
    {
        MainWindow w;
        w.show();
        w.experimentPanel()->setConfig(cnn(3));
        auto* canvas = w.canvasView()->canvas();
        canvas->drawStroke({{8, 6}, {20, 6}, {12, 24}});
        QSignalSpy finished(&w, &MainWindow::runFinished);
        QVERIFY(w.trainOnDrawing(canvas->toModelInput(28)) > 0);
        ExperimentDock* dock = w.experimentDock();
        QVERIFY(dock->isShowingRun());
        auto* note = dock->runPanel()->findChild<QLabel*>(QStringLiteral("trainingNote"));
        QVERIFY(note && note->isVisible());
        QVERIFY(note->text().contains(QStringLiteral("your drawing")));
        QVERIFY(!dock->runPanel()->findChild<QWidget*>(QStringLiteral("dataset"))->isVisible());  // not "MNIST, class 7"
        QVERIFY(dock->findChild<QLabel*>(QStringLiteral("runSettingsText"))->text().contains(QStringLiteral("trained on your drawing")));
        QVERIFY(finished.wait(60000));
        QVERIFY(dock->isShowingRun());
        // Its settings for a variant: the network's, with your own training image. (Yours
        // changed since: the drawing's run was trained with them.)
        button(dock, "showOwnSettings")->click();
        enter(w.experimentPanel()->findChild<il::ui::NumberField*>(QStringLiteral("steps")), QStringLiteral("77"));
        button(dock, "showRunSettings")->click();
        il::ExperimentConfig expected = w.workspace()->currentRun()->config;
        expected.trainIndices = cnn(3).trainIndices;
        expected.trainCount = cnn(3).trainCount;
        expected.trainClass = cnn(3).trainClass;
        expected.dataset = cnn(3).dataset;
        button(dock, "useRunSettings")->click();
        QCOMPARE(json(w.workspace()->config()), json(expected));
        QVERIFY(w.statusBar()->currentMessage().contains(QStringLiteral("your own training image")));
    }

    void preset_replacingYourSettings_saysSo_andCtrlZ_undoesIt()
    {
        MainWindow w;
        showActive(w);
        w.experimentPanel()->setConfig(mine());
        QAction* undo = w.undoSettingsAction();
        QVERIFY(!undo->isEnabled());
        QSignalSpy finished(&w, &MainWindow::runFinished);
        QVERIFY(w.startPreset(QStringLiteral("fcn1"), 2) != 0);
        const QString message = w.statusBar()->currentMessage();
        QVERIFY2(message.contains(QStringLiteral("replaced your settings")) && message.contains(QStringLiteral("Undo")),
                 qPrintable(message));
        QVERIFY(undo->isEnabled());
        QVERIFY2(undo->text().contains(QStringLiteral("preset")), qPrintable(undo->text()));
        QVERIFY(button(w.experimentDock(), "undoSettings")->isVisible());
        QVERIFY(finished.wait(60000));
        QVERIFY(!w.experimentDock()->isShowingRun());  // the preset's run is of your (new) settings

        // Ctrl+Z from a view; on the Draw tab Ctrl+Z stays the canvas's.
        w.showView(QStringLiteral("canvas"));
        QVERIFY(undo->shortcut().isEmpty());
        w.showView(QStringLiteral("outputs"));
        QCOMPARE(undo->shortcut(), QKeySequence(QKeySequence::Undo));
        w.outputsView()->setFocusPolicy(Qt::StrongFocus);
        w.outputsView()->setFocus();
        QTRY_VERIFY(w.outputsView()->hasFocus());
        QTest::keyClick(w.outputsView(), Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(json(w.workspace()->config()), json(mine()));
        QCOMPARE(json(w.experimentPanel()->config()), json(mine()));
        QVERIFY(!undo->isEnabled());
        // The run on screen is the preset's, with other settings than yours now.
        QVERIFY(button(w.experimentDock(), "showRunSettings")->isVisible());

        // A preset equal to your settings replaces nothing: nothing to undo.
        const il::ui::Preset* fcn1 = il::ui::findPreset(QStringLiteral("fcn1"));
        il::ExperimentConfig same = fcn1->config;
        same.steps = 2;
        w.experimentPanel()->setConfig(same);
        QVERIFY(w.startPreset(QStringLiteral("fcn1"), 2) != 0);
        QVERIFY(!undo->isEnabled());
        QVERIFY(finished.wait(60000));
    }

    void configFile_replacingYourSettings_canBeUndone()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("c.json"));
        il::ExperimentConfig c = cnn(9);
        il::json::writeFileAtomic(path.toStdString(), il::configToJson(c).dump(2));
        MainWindow w;
        w.experimentPanel()->setConfig(mine());
        QString error;
        QVERIFY2(w.openFile(path, &error), qPrintable(error));
        QCOMPARE(w.experimentPanel()->config().steps, 9);
        QVERIFY(w.workspace()->canUndoConfigReplacement());
        QVERIFY(w.statusBar()->currentMessage().contains(QStringLiteral("Undo")));
        w.undoSettingsAction()->trigger();
        QCOMPARE(json(w.experimentPanel()->config()), json(mine()));
        // An edit after a replacement is yours: Undo no longer takes it away.
        QVERIFY2(w.openFile(path, &error), qPrintable(error));
        auto* steps = w.experimentPanel()->findChild<il::ui::NumberField*>(QStringLiteral("steps"));
        steps->selectAll();
        QTest::keyClicks(steps, QStringLiteral("3"));
        QVERIFY(w.workspace()->canUndoConfigReplacement());  // still typing: not an edit yet
        QTest::keyClicks(steps, QStringLiteral("3"));
        QTest::keyClick(steps, Qt::Key_Return);
        QCOMPARE(w.workspace()->config().steps, 33);
        QVERIFY(!w.workspace()->canUndoConfigReplacement());
        QVERIFY(!w.undoSettingsAction()->isEnabled());
    }
};

QTEST_MAIN(PanelFollowsRunTest)
#include "tst_panel_follows_run.moc"
