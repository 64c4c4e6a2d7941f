// The Ensemble and Phase diagram views (ui/views/ensemble_views.h) on runs built by hand: what
// they say with fewer than two runs, the figure and the statistics with a handful, that they
// follow the gallery's selection and a changed run, and that they export through the registry.
// A paper figure with N seeds (ui/mainwindow/figure_seeds.h) expands into N runs per network
// that differ only in "seed", and run from the welcome page they end selected in the Ensemble view.

#include <QAbstractButton>
#include <QDir>
#include <QFile>
#include <QImageReader>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>

#include "engine/config/config_json.h"
#include "engine/config/preset.h"
#include "engine/core/errors.h"
#include "engine/data/dataset.h"
#include "engine/sweep/run_cells.h"
#include "support/gui_test_helpers.h"
#include "ui/mainwindow/figure_seeds.h"
#include "ui/mainwindow/main_window.h"
#include "ui/mainwindow/welcome_page.h"
#include "ui/views/ensemble_views.h"

using il::ui::EnsembleView;
using il::ui::MainWindow;
using il::ui::PhaseDiagramView;
using il::ui::RunPtr;
using il::ui::RunRecord;

namespace {

// A finished run as a sweep would leave it, without training: its config, outcome, MNIST
// correlations and (unless `rho` is false) a rho sweep.
RunPtr fakeRun(int depth, std::uint64_t seed, il::Outcome outcome, double corrIdentity, bool rho = true)
{
    auto run = std::make_shared<RunRecord>();
    run->config = il::test::tinyFcn(5);
    run->config.depth = depth;
    run->config.seed = seed;
    run->label = QStringLiteral("depth=%1 seed=%2").arg(depth).arg(seed);
    run->finished = true;
    run->metrics.stepsDone = 5;
    run->metrics.outcome = outcome;
    il::GroupSummary mnist;
    mnist.group = il::ProbeGroup::Mnist;
    mnist.corrIdentity = corrIdentity;
    mnist.corrConstant = 1.0 - corrIdentity;
    mnist.count = 4;
    run->metrics.groups = {mnist};
    if (rho)
        for (int i = 0; i <= 4; ++i) {
            il::RhoPoint p;
            p.rho = i * 0.25;
            p.corrIdentity = corrIdentity;
            p.corrConstant = p.rho;
            run->metrics.rhoSweep.push_back(p);
        }
    return run;
}

// Two cells: depth 2 (seeds 0-2: identity, identity, constant) and depth 3 (seeds 0-1).
std::vector<RunPtr> handful(bool rho = true)
{
    return {fakeRun(2, 0, il::Outcome::Identity, 0.875, rho), fakeRun(2, 1, il::Outcome::Identity, 0.75, rho),
            fakeRun(2, 2, il::Outcome::Constant, 0.25, rho), fakeRun(3, 0, il::Outcome::Constant, 0.125, rho),
            fakeRun(3, 1, il::Outcome::Constant, 0.0, rho)};
}

il::json::Value withoutSeed(const il::ExperimentConfig& c)
{
    const il::json::Value full = il::configToJson(c);
    il::json::Value out = il::json::Value::object();
    for (const auto& [key, value] : full.members())
        if (key != "seed") out[key] = value;
    return out;
}

}  // namespace

class EnsembleViewsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("IdentityLabTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_ensemble_views"));
    }

    // fcn-depth's five networks, three seeds each: fifteen runs, each network's three together,
    // differing in "seed" (0, 1, 2) only and labelled with it.
    void seedExpansion_givesNRunsPerNetworkDifferingOnlyInSeed()
    {
        const std::string resources = il::findResourcesDir();
        const il::Preset preset = il::loadPreset(il::presetPath(resources, "fcn-depth"));
        const auto runs = il::ui::figureRunsWithSeeds(il::presetPath(resources, "fcn-depth"), 3);
        QCOMPARE(runs.size(), preset.runs.size() * 3);
        for (std::size_t r = 0; r < preset.runs.size(); ++r) {
            const il::json::Value network = withoutSeed(preset.runs[r].config);
            for (std::size_t s = 0; s < 3; ++s) {
                const auto& run = runs[r * 3 + s];
                QCOMPARE(withoutSeed(run.config), network);
                QCOMPARE(run.config.seed, static_cast<std::uint64_t>(s));
                QCOMPARE(run.label, QStringLiteral("%1 seed=%2").arg(QString::fromStdString(preset.runs[r].label)).arg(s));
            }
        }
        // Every shipped figure: N runs per trained network; a network evaluated at random init
        // only is left out, as Run > Paper figures leaves it out.
        for (const std::string& name : il::presetNames(resources)) {
            const il::Preset p = il::loadPreset(il::presetPath(resources, name));
            std::size_t trained = 0;
            for (const auto& r : p.runs) trained += r.train ? 1 : 0;
            QCOMPARE(il::ui::figureRunsWithSeeds(il::presetPath(resources, name), 2).size(), trained * 2);
        }
        QVERIFY_THROWS_EXCEPTION(il::Error, il::ui::figureRunsWithSeeds(il::presetPath(resources, "fcn-depth"), 0));
    }

    void fewerThanTwoRuns_sayWhatToDo()
    {
        EnsembleView ensemble;
        PhaseDiagramView phase;
        ensemble.resize(900, 600);
        phase.resize(900, 600);
        ensemble.show();
        phase.show();
        for (const std::vector<RunPtr>& runs : {std::vector<RunPtr>{}, std::vector<RunPtr>{fakeRun(2, 0, il::Outcome::Identity, 0.9)}}) {
            ensemble.setCompareRuns(runs);
            ensemble.redrawNow();
            QVERIFY2(ensemble.message().contains(QStringLiteral("Select two or more finished runs")), qPrintable(ensemble.message()));
            QVERIFY(ensemble.shownImage().isNull());
            QVERIFY(!ensemble.hasContent());
            QVERIFY(ensemble.renderImage(1).isNull());
        }
        // A run still training does not count, and is said to be left out.
        auto training = fakeRun(2, 1, il::Outcome::Identity, 0.9);
        training->finished = false;
        ensemble.setCompareRuns({fakeRun(2, 0, il::Outcome::Identity, 0.9), training});
        ensemble.redrawNow();
        QVERIFY(ensemble.message().contains(QStringLiteral("Select two or more")));
        QVERIFY2(ensemble.message().contains(QStringLiteral("1 compared run(s) still training or stopped early")),
                 qPrintable(ensemble.message()));

        phase.setCompareRuns({});
        phase.redrawNow();
        QVERIFY2(phase.message().contains(QStringLiteral("Select finished runs")), qPrintable(phase.message()));
        QVERIFY(phase.shownImage().isNull());
        QVERIFY(!phase.hasContent());
    }

    void handfulOfRuns_drawTheStatisticsOfTheirCells()
    {
        EnsembleView ensemble;
        ensemble.resize(900, 600);
        ensemble.show();
        const std::vector<RunPtr> runs = handful();
        ensemble.setCompareRuns(runs);
        ensemble.redrawNow();
        QVERIFY2(ensemble.message().contains(QStringLiteral("5 finished run(s) in 2 cell(s)")), qPrintable(ensemble.message()));
        QVERIFY(!ensemble.shownImage().isNull());
        QVERIFY(il::test::distinctColours(ensemble.shownImage()) > 5);
        QVERIFY(ensemble.hasContent());
        const QImage one = ensemble.renderImage(1), two = ensemble.renderImage(2);
        QCOMPARE(two.size(), one.size() * 2);

        // The statistics are the engine's, over the same runs; the seed does not split cells.
        const auto& cells = ensemble.statistics().cells;
        QCOMPARE(cells.size(), std::size_t{2});
        QCOMPARE(cells[0].label, std::string("depth=2"));
        QCOMPARE(cells[0].n, 3);
        QCOMPARE(cells[0].identity.count, 2);
        QCOMPARE(cells[1].label, std::string("depth=3"));
        QCOMPARE(cells[1].constant.count, 2);
        std::vector<il::MemoryRun> memory;
        for (const RunPtr& r : runs) memory.push_back({r->config, r->label.toStdString(), &r->metrics});
        const auto expected = il::ensembleCellsOfRuns(memory);
        for (std::size_t c = 0; c < cells.size(); ++c)
            QCOMPARE(il::ensembleCellToJson(cells[c]).dump(-1), il::ensembleCellToJson(expected[c]).dump(-1));
        // Each cell's shares with their Wilson intervals under the figure: 2 of 3 is 21-94 %.
        const auto* details = ensemble.findChild<QLabel*>(QStringLiteral("statisticsDetails"));
        QVERIFY(details);
        QVERIFY2(details->text().contains(QStringLiteral("identity 2/3 (21-94 %)")), qPrintable(details->text()));

        // Labels or none, the cells are the configs less the seed.
        for (const RunPtr& r : runs) r->label.clear();
        ensemble.runsChanged();
        QCOMPARE(ensemble.statistics().cells.size(), std::size_t{2});
        QCOMPARE(ensemble.statistics().cells[0].n, 3);
        QCOMPARE(ensemble.statistics().cells[0].label, std::string("depth=2"));
    }

    void phaseDiagram_drawsRhoSweeps_andExplainsWhatItLacks()
    {
        PhaseDiagramView phase;
        phase.resize(900, 600);
        phase.show();
        phase.setCompareRuns(handful(false));
        phase.redrawNow();
        QVERIFY2(phase.message().contains(QStringLiteral("has a rho sweep, so there is nothing to draw")), qPrintable(phase.message()));
        QVERIFY(!phase.hasContent());

        const std::vector<RunPtr> runs = handful();
        phase.setCompareRuns(runs);
        phase.redrawNow();
        QVERIFY(phase.hasContent());
        QVERIFY(!phase.shownImage().isNull());
        QCOMPARE(phase.statistics().phase.cells, (std::vector<std::string>{"depth=2", "depth=3"}));
        QCOMPARE(phase.statistics().phase.runs, (std::vector<int>{3, 2}));
        QVERIFY(!phase.message().contains(QStringLiteral("Only one cell")));

        phase.setCompareRuns({runs[0], runs[1]});
        phase.redrawNow();
        QVERIFY(phase.hasContent());
        QVERIFY2(phase.message().contains(QStringLiteral("Only one cell")), qPrintable(phase.message()));
    }

    // In the window: registered views that follow the gallery's selection, coalesce their
    // redraws, see a changed run, and export through the registry.
    void mainWindow_followsTheSelection_andExports()
    {
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        auto* ensemble = qobject_cast<EnsembleView*>(w.view(QStringLiteral("ensemble")));
        auto* phase = qobject_cast<PhaseDiagramView*>(w.view(QStringLiteral("phase")));
        QVERIFY(ensemble && phase);
        const std::vector<RunPtr> runs = handful();
        for (const RunPtr& r : runs) w.workspace()->addRun(r);
        w.showView(QStringLiteral("ensemble"));
        QVERIFY(ensemble->isVisible());
        QTest::qWait(100);
        const int before = ensemble->redrawCount();
        w.workspace()->setSelectedRuns({runs[0]});
        w.workspace()->setSelectedRuns({runs[0], runs[1]});
        w.workspace()->setSelectedRuns(runs);
        QVERIFY(il::test::waitFor([&] { return ensemble->redrawCount() > before; }, 5000));
        QTest::qWait(100);
        QCOMPARE(ensemble->redrawCount(), before + 1);  // three changes, one redraw
        QCOMPARE(ensemble->statistics().counted, 5);
        QVERIFY(!ensemble->shownImage().isNull());

        // A run changes its outcome (metrics read again): the view recomputes.
        runs[2]->metrics.outcome = il::Outcome::Identity;
        w.workspace()->markRunChanged(runs[2]);
        QVERIFY(il::test::waitFor([&] { return ensemble->statistics().cells[0].identity.count == 3; }, 5000));

        QTemporaryDir dir;
        QString error;
        QVERIFY2(w.exportView(w.viewRegistry().exportTarget(), dir.filePath(QStringLiteral("ensemble.png")), 2, &error), qPrintable(error));
        QImageReader reader(dir.filePath(QStringLiteral("ensemble.png")));
        QCOMPARE(reader.size(), ensemble->renderImage(1).size() * 2);
        w.showView(QStringLiteral("phase"));
        QVERIFY2(w.exportView(w.viewRegistry().exportTarget(), dir.filePath(QStringLiteral("phase.svg")), 1, &error), qPrintable(error));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("phase.svg"))));
        w.showView(QStringLiteral("ensemble"));

        w.workspace()->setSelectedRuns({runs[0]});
        QVERIFY(il::test::waitFor([&] { return ensemble->message().contains(QStringLiteral("Select two or more")); }, 5000));
        QVERIFY(!w.exportView(ensemble, dir.filePath(QStringLiteral("none.png")), 1, &error));
    }

    // The welcome page's seed count: a tiny figure's two networks with two seeds each train, end
    // selected in the gallery, and the Ensemble view comes forward with two cells of two.
    void welcomePageSeeds_runTheFigureIntoTheEnsembleView()
    {
        namespace fs = std::filesystem;
        QTemporaryDir dir;
        const fs::path real = il::findResourcesDir();
        const fs::path resources = fs::path(dir.path().toStdString()) / "resources";
        fs::create_directories(resources / "presets");
        for (const auto& e : fs::directory_iterator(real))
            if (e.path().filename() != "presets") fs::create_directory_symlink(e.path(), resources / e.path().filename());
        QFile preset(QString::fromStdString((resources / "presets" / "tiny-depth.json").string()));
        QVERIFY(preset.open(QIODevice::WriteOnly));
        preset.write(R"({"name": "tiny-depth", "title": "Tiny FCNs", "description": "Two small FCNs.", "figure": "probe_grid",
            "base": {"architecture": "fcn", "activation": "linear", "steps": 5, "rho_samples": 2, "rho_points": 3, "seed": 0},
            "runs": [{"label": "1-layer", "set": {"depth": 1}}, {"label": "2-layer", "set": {"depth": 2}}]})");
        preset.close();
        qputenv("IDENTITYLAB_RESOURCES", QByteArray::fromStdString(resources.string()));

        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QAbstractButton* tiny = nullptr;
        for (QAbstractButton* b : w.welcomePage()->paperFigureButtons())
            if (b->property("preset").toString() == QStringLiteral("tiny-depth")) tiny = b;
        QVERIFY(tiny);
        w.welcomePage()->seedsBox()->setValue(2);
        QSignalSpy finished(&w, &MainWindow::runFinished);
        QTest::mouseClick(tiny, Qt::LeftButton);
        QCOMPARE(w.workspace()->sweepTotal(), 4);
        QCOMPARE(w.workspace()->currentRun()->label, QStringLiteral("1-layer seed=0"));
        QVERIFY(il::test::waitFor([&] { return finished.count() == 4; }, 120000));
        qunsetenv("IDENTITYLAB_RESOURCES");
        QCOMPARE(w.workspace()->selectedRuns().size(), std::size_t{4});
        QCOMPARE(w.workspace()->selectedRuns()[3]->label, QStringLiteral("2-layer seed=1"));
        QCOMPARE(w.viewRegistry().current()->id, QStringLiteral("ensemble"));
        auto* ensemble = qobject_cast<EnsembleView*>(w.view(QStringLiteral("ensemble")));
        const auto& cells = ensemble->statistics().cells;
        QCOMPARE(cells.size(), std::size_t{2});
        QCOMPARE(cells[0].label, std::string("1-layer"));
        QCOMPARE(cells[0].n, 2);
        QCOMPARE(cells[1].n, 2);
        QVERIFY(il::test::waitFor([&] { return !ensemble->shownImage().isNull(); }, 5000));
    }
};

QTEST_MAIN(EnsembleViewsTest)
#include "tst_ensemble_views.moc"
