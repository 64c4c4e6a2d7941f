// Run folders and sweep folders opened in the main window, offscreen: a trained run's folder
// becomes the current run with its outputs, activations and weights; a sweep folder's finished
// tasks fill the gallery under their task labels, a task that finishes later appears by itself,
// and a damaged task is named while the others load.

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

#include "engine/config/config_json.h"
#include "engine/io/json.h"
#include "engine/io/run_folder.h"
#include "engine/train/training_session.h"
#include "support/gui_test_helpers.h"
#include "ui/export/run_export.h"
#include "ui/mainwindow/main_window.h"
#include "ui/panels/experiment_dock.h"
#include "ui/panels/experiment_panel.h"
#include "ui/run/folder_opener.h"
#include "ui/views/activations_view.h"
#include "ui/views/gallery_view.h"
#include "ui/views/outputs_view.h"
#include "ui/views/plot_views.h"

using il::ui::MainWindow;
using il::ui::TrainingController;

namespace {

il::Image gradient(int size, float offset)
{
    il::Image image(1, size, size);
    for (std::size_t i = 0; i < image.pixels.size(); ++i) image.pixels[i] = offset + static_cast<float>(i) / image.pixels.size();
    return image;
}

// A sweep task's run folder as writeRunData writes it, with made-up numbers: four probes, a rho
// sweep and one activation row, depth `depth` so that the runs differ.
void writeTask(const QString& folder, int depth)
{
    il::ExperimentConfig config = il::test::tinyFcn(10);
    config.depth = depth;
    il::RunMetrics m;
    m.stepsDone = 10;
    m.finalLoss = 0.01 * depth;
    m.device = "CPU, 1 thread";
    m.parameters = 784 * 784 * depth;
    m.weightParameters = m.parameters;
    const char* names[] = {"train 7", "mnist 2", "fashion shirt", "square"};
    const il::ProbeGroup groups[] = {il::ProbeGroup::Train, il::ProbeGroup::Mnist, il::ProbeGroup::Fashion, il::ProbeGroup::Pattern};
    for (int i = 0; i < 4; ++i) {
        il::ProbeOutcome p;
        p.name = names[i];
        p.group = groups[i];
        p.input = gradient(28, 0.1f * i);
        p.output = gradient(28, 0.1f * depth);
        p.corrIdentity = 1.0 / depth;
        p.corrConstant = 1.0 - 1.0 / depth;
        m.probes.push_back(p);
    }
    m.groups = {{il::ProbeGroup::Train, 1.0, 1.0, 1}, {il::ProbeGroup::Mnist, 1.0 / depth, 0.5, 1}};
    m.rhoSweep = {{0.0, 0.2, 0.9, 0.0, 0.0, il::Zone::D}, {1.0, 0.9, 0.3, 0.0, 0.0, il::Zone::B}};
    const std::vector<il::LossPoint> loss{{0, 1.0, 0.01}, {9, m.finalLoss, 0.01}};
    il::ActivationGrid grid;
    grid.layers = {"input", "output"};
    grid.probes = {"train 7", "mnist 2"};
    grid.maps = {{gradient(28, 0), gradient(28, 0.1f)}, {gradient(28, 0.2f), gradient(28, 0.3f)}};
    grid.layerChannels = {1, 1};
    il::writeRunData(folder.toStdString(), {config, m, loss, &grid, nullptr});
}

QString taskFolder(int index, int depth) { return QStringLiteral("%1-depth-%2-seed-0").arg(index, 3, 10, QLatin1Char('0')).arg(depth); }

// plan.json as `identitylab-cli sweep` writes it, with only what the app reads of it.
void writePlan(const QString& sweep, const std::vector<int>& depths)
{
    il::json::Value tasks = il::json::Value::array();
    for (std::size_t i = 0; i < depths.size(); ++i) {
        il::json::Value t = il::json::Value::object();
        t["index"] = static_cast<int>(i);
        t["label"] = "depth=" + std::to_string(depths[i]) + " seed=0";
        t["cell"] = "depth=" + std::to_string(depths[i]);
        t["folder"] = taskFolder(static_cast<int>(i), depths[i]).toStdString();
        tasks.push_back(t);
    }
    il::json::Value plan = il::json::Value::object();
    plan["format"] = "identitylab-plan-tasks/1";
    il::json::Value definition = il::json::Value::object();
    definition["name"] = "depths";
    plan["plan"] = definition;
    plan["tasks"] = tasks;
    il::json::writeFileAtomic(QDir(sweep).filePath(QStringLiteral("plan.json")).toStdString(), plan.dump(2));
}

QStringList galleryLabels(const MainWindow& w)
{
    QStringList labels;
    for (const il::ui::RunPtr& r : w.workspace()->runs()) labels << r->label;
    return labels;
}

}  // namespace

class OpenFoldersTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("IdentityLabTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_open_folders"));
    }

    void aTrainedRunsFolder_becomesTheCurrentRun_withItsWeights()
    {
        QTemporaryDir dir;
        const QString folder = dir.filePath(QStringLiteral("run1"));
        il::ExperimentConfig config = il::test::tinyFcn(12);
        config.depth = 2;
        config.activation = il::Activation::Relu;
        il::RunMetrics trained;
        {
            il::TrainingSession session(config, il::DataLocations::fromEnvironment());
            trained = session.run();
            il::ui::RunFolderOptions options;
            options.scale = 1;
            il::ui::writeRunFolder(folder, session, trained, options);
        }
        QVERIFY(QFile::exists(folder + QStringLiteral("/checkpoint.pt")));

        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QSignalSpy evaluated(w.controller(), &TrainingController::sessionEvaluated);
        QString error;
        QVERIFY2(w.openFile(folder, &error), qPrintable(error));
        const il::ui::RunPtr run = w.workspace()->currentRun();
        QVERIFY(run);
        QCOMPARE(w.galleryView()->count(), 1);
        QVERIFY(run->finished);
        QCOMPARE(run->metrics.stepsDone, trained.stepsDone);
        QCOMPARE(run->metrics.probes.size(), trained.probes.size());
        QCOMPARE(run->metrics.probes.front().corrIdentity, trained.probes.front().corrIdentity);
        QCOMPARE(run->loss.size(), std::size_t(12));
        // The Experiment dock shows its settings (read-only), as for a .ilrun; yours stay.
        QVERIFY(w.experimentDock()->isShowingRun());
        QCOMPARE(w.experimentDock()->runPanel()->config().depth, 2);
        QVERIFY(w.workspace()->recentFiles().contains(QFileInfo(folder).absoluteFilePath()));
        // The views show it as a run trained here: outputs, activation maps, rho and loss.
        QVERIFY(w.outputsView()->hasContent());
        QVERIFY(w.activationsView()->hasContent());
        QVERIFY(w.rhoView()->hasContent());
        QVERIFY(w.lossView()->hasContent());
        // checkpoint.pt is its weights: evaluating them gives the folder's correlations.
        QVERIFY(evaluated.wait(30000));
        const auto now = evaluated.first().at(1).value<il::RunMetrics>();
        QCOMPARE(now.probes.size(), trained.probes.size());
        for (std::size_t i = 0; i < now.probes.size(); ++i)
            QVERIFY(std::abs(now.probes[i].corrIdentity - trained.probes[i].corrIdentity) < 1e-6);

        // Opened again, it is the same run, not a second one.
        QVERIFY2(w.openFile(folder, &error), qPrintable(error));
        QCOMPARE(w.galleryView()->count(), 1);
        QCOMPARE(w.workspace()->currentRun(), run);
    }

    void aSweepFolder_fillsTheGallery_andFollowsTheSweep()
    {
        QTemporaryDir dir;
        const QString sweep = dir.filePath(QStringLiteral("cluster-sweep"));
        QVERIFY(QDir().mkpath(sweep));
        writePlan(sweep, {1, 2, 3, 4});
        writeTask(QDir(sweep).filePath(taskFolder(0, 1)), 1);
        writeTask(QDir(sweep).filePath(taskFolder(1, 2)), 2);
        // Task 2 finished but its folder is damaged; task 3 is still being written.
        writeTask(QDir(sweep).filePath(taskFolder(2, 3)), 3);
        QVERIFY(QFile::remove(QDir(sweep).filePath(taskFolder(2, 3) + QStringLiteral("/metrics.json"))));
        const QString hidden = QStringLiteral(".") + taskFolder(3, 4) + QStringLiteral(".partial");
        writeTask(QDir(sweep).filePath(hidden), 4);

        MainWindow w;
        w.resize(1280, 800);
        w.show();
        // The watcher has to see the last task arrive: the poll that backs it up waits a minute.
        w.folderOpener()->setPollInterval(60000);
        QString error;
        QVERIFY2(w.openFile(sweep, &error), qPrintable(error));
        QVERIFY(!w.isWelcomeShown());
        QTRY_COMPARE_WITH_TIMEOUT(w.galleryView()->count(), 2, 10000);
        QCOMPARE(galleryLabels(w), (QStringList{QStringLiteral("depth=1 seed=0"), QStringLiteral("depth=2 seed=0")}));
        QCOMPARE(w.workspace()->runs()[1]->config.depth, 2);
        QCOMPARE(w.workspace()->runs()[1]->shortTitle(), QStringLiteral("depth=2 seed=0"));
        // Selected for comparison: one row each in the comparison, one curve each in the rho plot.
        QTRY_COMPARE_WITH_TIMEOUT(w.workspace()->selectedRuns().size(), std::size_t(2), 5000);
        QCOMPARE(w.galleryView()->comparisonData().rows.size(), std::size_t(2));
        QCOMPARE(w.galleryView()->comparisonData().rows[0].label, QStringLiteral("depth=1 seed=0"));
        // The status names the sweep, its count and the damaged task.
        QTRY_VERIFY_WITH_TIMEOUT(w.statusBar()->currentMessage().contains(QStringLiteral("2 of 4 runs")), 5000);
        const QString status = w.statusBar()->currentMessage();
        QVERIFY2(status.startsWith(QStringLiteral("sweep depths:")), qPrintable(status));
        QVERIFY2(status.contains(taskFolder(2, 3)) && status.contains(QStringLiteral("metrics.json")), qPrintable(status));
        // The gallery's row names it too, and keeps why for its tooltip.
        const auto* galleryStatus = w.galleryView()->findChild<QLabel*>(QStringLiteral("sweepStatus"));
        QVERIFY(galleryStatus);
        QVERIFY(galleryStatus->text().contains(taskFolder(2, 3)) && !galleryStatus->text().contains(QStringLiteral("metrics.json")));
        QCOMPARE(galleryStatus->toolTip(), status);
        QVERIFY(w.folderOpener()->isWatching(sweep));

        // The last task finishes on the cluster: its folder is renamed into place.
        QVERIFY(QDir(sweep).rename(hidden, taskFolder(3, 4)));
        QTRY_COMPARE_WITH_TIMEOUT(w.galleryView()->count(), 3, 10000);
        QCOMPARE(galleryLabels(w).last(), QStringLiteral("depth=4 seed=0"));
        QTRY_COMPARE_WITH_TIMEOUT(w.workspace()->selectedRuns().size(), std::size_t(3), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(w.statusBar()->currentMessage().contains(QStringLiteral("3 of 4 runs")), 5000);
        // Every task is in or damaged: nothing more to wait for.
        QVERIFY(!w.folderOpener()->isWatching(sweep));

        // A sweep run opened from the gallery shows its outputs and maps; it has no weights.
        w.openRun(w.workspace()->runs()[2]);
        QVERIFY(w.outputsView()->hasContent());
        QVERIFY(w.activationsView()->hasContent());

        // Opened again, the runs already there are not read twice.
        QVERIFY2(w.openFile(sweep, &error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(w.statusBar()->currentMessage().contains(QStringLiteral("3 of 4 runs")), 5000);
        QCOMPARE(w.galleryView()->count(), 3);
    }

    void aFolderOfRunFolders_isASweepToo_andAnEmptyFolderIsNeither()
    {
        QTemporaryDir dir;
        const QString runs = dir.filePath(QStringLiteral("runs"));
        writeTask(QDir(runs).filePath(QStringLiteral("b")), 2);
        writeTask(QDir(runs).filePath(QStringLiteral("a")), 1);
        MainWindow w;
        QString error;
        QVERIFY2(w.openFile(runs, &error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(w.galleryView()->count(), 2, 10000);
        QCOMPARE(galleryLabels(w), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        QTRY_VERIFY_WITH_TIMEOUT(w.statusBar()->currentMessage().contains(QStringLiteral("sweep runs: 2 run(s)")), 5000);

        const QString empty = dir.filePath(QStringLiteral("empty"));
        QVERIFY(QDir().mkpath(empty));
        QVERIFY(!w.openFile(empty, &error));
        QVERIFY2(error.contains(QStringLiteral("neither a run folder")), qPrintable(error));
    }
};

QTEST_MAIN(OpenFoldersTest)
#include "tst_open_folders.moc"
