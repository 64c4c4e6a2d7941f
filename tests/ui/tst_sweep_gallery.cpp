// The gallery and sweeps in the window: when a sweep's last run finishes its runs are selected
// for comparison and the status bar says so; the run list is resizable and starts several rows
// tall; a run's name and notes show on its card and in the comparison, and come back from its
// run file and the session; a stopped run trains on from its checkpoint to its configured steps.

#include <QDir>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QTemporaryDir>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTest>

#include "support/gui_test_helpers.h"
#include "ui/mainwindow/main_window.h"
#include "ui/panels/experiment_panel.h"
#include "ui/panels/run_details_dialog.h"
#include "ui/panels/sweep_dialog.h"
#include "ui/panels/training_actions.h"
#include "ui/run/run_file.h"
#include "ui/session/session_store.h"
#include "ui/views/gallery_view.h"

using il::test::waitFor;
using il::ui::MainWindow;
using il::ui::RunPtr;

namespace {

// A finished tiny run as the window keeps one, without training it.
RunPtr finishedRun()
{
    auto run = std::make_shared<il::ui::RunRecord>();
    run->config = il::test::tinyCnn(5);
    run->finished = true;
    run->label = QStringLiteral("depth=2 seed=4");
    run->metrics.stepsDone = 5;
    run->metrics.finalLoss = 0.25;
    il::LossPoint p;
    for (int step = 0; step < 5; ++step) {
        p.step = step;
        p.loss = 1.0 / (step + 1);
        run->loss.push_back(p);
    }
    return run;
}

}  // namespace

class SweepGalleryTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("IdentityLabTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_sweep_gallery"));
        QSettings().remove(QStringLiteral("gallery/splitter"));  // the split a former run of this test left
    }

    void sweepEnd_selectsItsRunsForComparison()
    {
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        // A run of its own, selected: the sweep's end replaces the selection with its runs.
        auto own = std::make_shared<il::ui::RunRecord>();
        own->config = il::test::tinyCnn(5);
        own->finished = true;
        w.workspace()->addRun(own);
        w.workspace()->setSelectedRuns({own});

        il::ui::SweepPlan plan;
        plan.values = {1, 2};
        plan.seeds = 1;
        const auto runs = il::ui::sweepRuns(il::test::tinyCnn(6), plan);
        QCOMPARE(runs.size(), std::size_t(2));
        QSignalSpy finished(&w, &MainWindow::runFinished);
        w.queueSweep(runs);
        QVERIFY(waitFor([&] { return finished.count() == 2; }, 90000));
        QCOMPARE(w.workspace()->sweepTotal(), 0);  // over

        const std::vector<RunPtr>& selected = w.workspace()->selectedRuns();
        QCOMPARE(selected.size(), std::size_t(2));
        QCOMPARE(selected[0]->label, QStringLiteral("depth=1"));
        QCOMPARE(selected[1]->label, QStringLiteral("depth=2"));
        QCOMPARE(w.galleryView()->selectedRuns(), selected);
        const auto rows = w.galleryView()->comparisonData().rows;
        QCOMPARE(rows.size(), std::size_t(2));
        QCOMPARE(rows[0].label, QStringLiteral("depth=1"));  // the comparison rows are labelled by the sweep
        const QString message = w.statusBar()->currentMessage();
        QVERIFY2(message.contains(QStringLiteral("its 2 run(s)")) && message.contains(QStringLiteral("selected for comparison")),
                 qPrintable(message));
    }

    void sweepStopped_selectsTheRunsItFinished()
    {
        MainWindow w;
        w.show();
        il::ui::SweepPlan plan;
        plan.values = {1, 2, 3};
        il::ExperimentConfig base = il::test::tinyCnn(100000);  // stopped long before its end
        const auto runs = il::ui::sweepRuns(base, plan);
        QSignalSpy finished(&w, &MainWindow::runFinished);
        w.queueSweep(runs);
        QVERIFY(waitFor([&] {
            const RunPtr r = w.workspace()->currentRun();
            return r && r->loss.size() >= 3;
        }));
        emit w.trainingActions()->stopRequested();
        QVERIFY(finished.wait(60000));
        QVERIFY(waitFor([&] { return w.workspace()->sweepTotal() == 0; }));
        QCOMPARE(w.workspace()->selectedRuns().size(), std::size_t(1));
        QCOMPARE(w.workspace()->selectedRuns().front()->label, QStringLiteral("depth=1"));
        const QString message = w.statusBar()->currentMessage();
        QVERIFY2(message.contains(QStringLiteral("1 of 3")), qPrintable(message));
    }

    void gallery_listIsResizable_andStartsSeveralRowsTall()
    {
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        w.showView(w.galleryView()->viewId());
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* split = w.galleryView()->findChild<QSplitter*>(QStringLiteral("gallerySplitter"));
        QVERIFY(split);
        auto* list = w.galleryView()->findChild<QListWidget*>(QStringLiteral("galleryList"));
        QVERIFY(list);
        QVERIFY(split->isAncestorOf(list));
        const int row = list->gridSize().height();
        QVERIFY2(list->height() > 2 * row, qPrintable(QStringLiteral("list %1 px, a row %2 px").arg(list->height()).arg(row)));
        // Moved by the user, the split is kept for the next window.
        const QList<int> sizes = split->sizes();
        split->setSizes({sizes[0] + 100, sizes[1] - 100});
        emit split->splitterMoved(sizes[0] + 100, 1);
        MainWindow again;
        again.resize(1280, 800);
        again.show();
        again.showView(again.galleryView()->viewId());
        auto* split2 = again.galleryView()->findChild<QSplitter*>(QStringLiteral("gallerySplitter"));
        QVERIFY(split2);
        QVERIFY2(qAbs(split2->sizes()[0] - split->sizes()[0]) <= 2,
                 qPrintable(QStringLiteral("%1 then %2").arg(split->sizes()[0]).arg(split2->sizes()[0])));
    }

    void runNameAndNotes_roundTripThroughTheRunFile()
    {
        QTemporaryDir dir;
        const RunPtr run = finishedRun();
        run->name = QStringLiteral("shallow, remembers the 7");
        run->notes = QStringLiteral("first line\nsecond line: \u00e9 \u2192 ok");
        const QString path = dir.filePath(QStringLiteral("named.ilrun"));
        QString error;
        QVERIFY2(il::ui::saveRunFile(*run, QString(), path, &error), qPrintable(error));
        il::ui::RunRecord back;
        QVERIFY2(il::ui::loadRunFile(path, dir.filePath(QStringLiteral("w.pt")), back, &error), qPrintable(error));
        QCOMPARE(back.name, run->name);
        QCOMPARE(back.notes, run->notes);
        QCOMPARE(back.label, run->label);
        QCOMPARE(back.shortTitle(), run->name);
        QCOMPARE(back.loss.size(), run->loss.size());
        // A run file of the first format (no name, notes or label) still opens.
        const QString v1 = QStringLiteral(QT_TESTCASE_SOURCEDIR "/fuzz/corpus/fuzz_run_file/finished.ilrun");
        il::ui::RunRecord old;
        QVERIFY2(il::ui::loadRunFile(v1, dir.filePath(QStringLiteral("w1.pt")), old, &error), qPrintable(error));
        QVERIFY(old.name.isEmpty() && old.notes.isEmpty());
    }

    void runNameAndNotes_comeBackWithTheSession()
    {
        QTemporaryDir dir;
        il::ui::SessionStore store(dir.filePath(QStringLiteral("session")));
        QString error;
        QVERIFY2(store.lock(&error), qPrintable(error));
        const RunPtr run = finishedRun();
        run->name = QStringLiteral("my run");
        run->notes = QStringLiteral("notes kept");
        QVERIFY2(store.writeRun(*run, QString(), QStringLiteral("run-1"), &error), qPrintable(error));
        il::ui::SessionManifest manifest;
        il::ui::SessionRunEntry entry;
        entry.key = QStringLiteral("run-1");
        entry.inGallery = true;
        entry.label = run->label;
        manifest.runs.push_back(entry);
        manifest.nextRun = 2;
        QVERIFY2(store.writeManifest(il::ui::SessionStore::manifestToJson(manifest), &error), qPrintable(error));
        const il::ui::SessionLoad load = store.load(dir.path());
        QVERIFY2(load.problems.isEmpty(), qPrintable(load.problems.join(QLatin1Char('\n'))));
        QCOMPARE(load.runs.size(), std::size_t(1));
        QCOMPARE(load.runs.front().run->name, QStringLiteral("my run"));
        QCOMPARE(load.runs.front().run->notes, QStringLiteral("notes kept"));
    }

    void runName_showsOnTheCard_inTheComparison_andTheLegends()
    {
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        const RunPtr a = finishedRun();
        const RunPtr b = finishedRun();
        b->label = QStringLiteral("depth=3 seed=4");
        w.workspace()->addRun(a);
        w.workspace()->addRun(b);
        w.workspace()->setSelectedRuns({a, b});
        QVERIFY(w.galleryView()->cardText(a).startsWith(QStringLiteral("depth=2 seed=4")));
        QSignalSpy changed(w.workspace(), &il::ui::Workspace::runChanged);
        w.workspace()->setRunNameAndNotes(a, QStringLiteral("  the shallow one "), QStringLiteral("kept the identity\nmore"));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(a->name, QStringLiteral("the shallow one"));  // trimmed
        const QString card = w.galleryView()->cardText(a);
        QVERIFY2(card.startsWith(QStringLiteral("the shallow one  (depth=2 seed=4)")), qPrintable(card));
        QVERIFY2(card.contains(QStringLiteral("kept the identity")) && !card.contains(QStringLiteral("more")), qPrintable(card));
        const auto rows = w.galleryView()->comparisonData().rows;
        QCOMPARE(rows.size(), std::size_t(2));
        QCOMPARE(rows[0].label, QStringLiteral("the shallow one"));
        QCOMPARE(rows[1].label, QStringLiteral("depth=3 seed=4"));
        // The same again changes nothing; an empty name gives the label back.
        w.workspace()->setRunNameAndNotes(a, QStringLiteral("the shallow one"), QStringLiteral("kept the identity\nmore"));
        QCOMPARE(changed.count(), 1);
        w.workspace()->setRunNameAndNotes(a, QString(), QString());
        QCOMPARE(a->shortTitle(), QStringLiteral("depth=2 seed=4"));
        QVERIFY(w.galleryView()->cardText(a).startsWith(QStringLiteral("depth=2 seed=4")));
    }

    void continueTraining_stoppedRunEndsAtItsSteps_withTheWholeLossHistory()
    {
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        constexpr int kSteps = 4000;
        w.experimentPanel()->setConfig(il::test::tinyCnn(kSteps));
        QSignalSpy finished(&w, &MainWindow::runFinished);
        QVERIFY(w.startTraining() != 0);
        const RunPtr run = w.workspace()->currentRun();
        QVERIFY(waitFor([&] { return run->loss.size() >= 10; }));
        w.controller()->stop();
        QVERIFY(finished.wait(60000));
        QVERIFY(run->finished);
        QCOMPARE(run->metrics.stopReason, il::StopReason::Cancelled);
        const int stoppedAt = run->metrics.stepsDone;
        QVERIFY2(stoppedAt > 0 && stoppedAt < kSteps, qPrintable(QString::number(stoppedAt)));
        QVERIFY2(run->continueProblem().isEmpty(), qPrintable(run->continueProblem()));
        QVERIFY(!run->history.empty());
        const int firstFrame = run->history.front().step;
        const std::size_t framesBefore = run->history.size();

        // The Training menu offers it for the run on screen.
        auto* action = w.findChild<QAction*>(QStringLiteral("continueTrainingAction"));
        QVERIFY(action);
        QMenu* menu = w.menuBar()->findChild<QMenu*>(QStringLiteral("trainingMenu"));
        QVERIFY(menu);
        emit menu->aboutToShow();
        QVERIFY2(action->isEnabled(), qPrintable(action->toolTip()));

        const quint64 id = w.continueTraining(run);
        QVERIFY(id != 0);
        QCOMPARE(w.workspace()->currentRun(), run);
        QVERIFY(finished.wait(120000));
        QCOMPARE(run->id, id);
        QCOMPARE(run->metrics.stopReason, il::StopReason::Completed);
        QCOMPARE(run->metrics.stepsDone, kSteps);
        QCOMPARE(run->loss.size(), std::size_t(kSteps));  // one point per step, the stopped part too
        for (int i = 0; i < kSteps; ++i) QCOMPARE(run->loss[static_cast<std::size_t>(i)].step, i);
        QVERIFY(run->history.size() > framesBefore);
        QCOMPARE(run->history.front().step, firstFrame);         // its frames go on
        QCOMPARE(w.workspace()->runs().size(), std::size_t(1));  // the same run, not a new one

        // Complete now: refused, with the reason, in the menu and when asked.
        emit menu->aboutToShow();
        QVERIFY(!action->isEnabled());
        QVERIFY2(action->toolTip().contains(QStringLiteral("complete")), qPrintable(action->toolTip()));
        QCOMPARE(w.continueTraining(run), quint64(0));
        QVERIFY2(w.statusBar()->currentMessage().contains(QStringLiteral("complete")), qPrintable(w.statusBar()->currentMessage()));
    }

    void continueTraining_refusesARunWithoutWeights()
    {
        MainWindow w;
        const RunPtr run = finishedRun();
        run->metrics.stopReason = il::StopReason::Cancelled;
        run->metrics.stepsDone = 3;
        QCOMPARE(w.continueTraining(run), quint64(0));
        QVERIFY2(w.statusBar()->currentMessage().contains(QStringLiteral("weights were not saved")),
                 qPrintable(w.statusBar()->currentMessage()));
        run->checkpointPath = QStringLiteral("/nonexistent/w.pt");
        QVERIFY(run->continueProblem().isEmpty());
        run->metrics.stopReason = il::StopReason::Diverged;
        QVERIFY(run->continueProblem().contains(QStringLiteral("diverged")));
    }

    void runDetailsDialog_refusesATooLongName_withTheReason()
    {
        const RunPtr run = finishedRun();
        run->name = QStringLiteral("old");
        il::ui::RunDetailsDialog d(*run);
        QCOMPARE(d.nameField()->text(), QStringLiteral("old"));
        QCOMPARE(d.nameField()->placeholderText(), QStringLiteral("depth=2 seed=4"));
        d.nameField()->setText(QString(il::ui::RunDetailsDialog::kMaxName + 1, QLatin1Char('x')));
        QVERIFY2(d.problem().contains(QStringLiteral("at most 80")), qPrintable(d.problem()));
        d.nameField()->setText(QStringLiteral(" new name "));
        d.notesField()->setPlainText(QStringLiteral("a note"));
        QVERIFY(d.problem().isEmpty());
        QCOMPARE(d.name(), QStringLiteral("new name"));
        QCOMPARE(d.notes(), QStringLiteral("a note"));
    }
};

QTEST_MAIN(SweepGalleryTest)
#include "tst_sweep_gallery.moc"
