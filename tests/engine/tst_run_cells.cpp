// Runs held in memory grouped into ensemble cells (engine/sweep/run_cells.h): the seed is the
// only key a cell's runs may differ in, and the statistics over in-memory metrics are those
// collect writes to summary.json for the same runs read from a sweep folder.

#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "engine/config/config_json.h"
#include "engine/io/json.h"
#include "engine/sweep/phase_diagram.h"
#include "engine/sweep/plan.h"
#include "engine/sweep/plan_tasks.h"
#include "engine/sweep/run_cells.h"
#include "engine/sweep/sweep_collection.h"
#include "engine/sweep/task_folder.h"
#include "engine/train/metrics_json.h"

using namespace il;
namespace fs = std::filesystem;

namespace {

bool near(double a, double b, double tolerance = 5e-7) { return std::fabs(a - b) <= tolerance; }

// Metrics with the parts the statistics read; values exact in binary and at metrics.json's
// rounding, so that both paths see the same numbers.
RunMetrics metrics(Outcome outcome, double mnistIdentity, double mnistConstant, double rhoShift = 0.0)
{
    RunMetrics m;
    m.outcome = outcome;
    m.stepsDone = 5;
    GroupSummary mnist;
    mnist.group = ProbeGroup::Mnist;
    mnist.corrIdentity = mnistIdentity;
    mnist.corrConstant = mnistConstant;
    mnist.count = 4;
    GroupSummary train;
    train.group = ProbeGroup::Train;
    train.corrIdentity = 1.0;
    train.corrConstant = 1.0;
    train.count = 1;
    m.groups = {train, mnist};
    for (int i = 0; i <= 4; ++i) {
        RhoPoint p;
        p.rho = i * 0.25;
        p.corrIdentity = 0.5 + rhoShift;
        p.corrConstant = p.rho;
        p.zone = classifyZone(p.corrIdentity, p.corrConstant);
        m.rhoSweep.push_back(p);
    }
    return m;
}

ExperimentConfig fcn(int depth, std::uint64_t seed)
{
    ExperimentConfig c;
    c.architecture = Architecture::Fcn;
    c.depth = depth;
    c.steps = 5;
    c.lr = 0.005;
    c.seed = seed;
    return c;
}

void writeText(const fs::path& path, const std::string& text)
{
    std::ofstream out(path);
    out << text;
}

}  // namespace

class TstRunCells : public QObject {
    Q_OBJECT

private slots:
    void labelWithoutSeed_dropsOnlyATrailingSeed()
    {
        QCOMPARE(labelWithoutSeed("depth=20 seed=3"), std::string("depth=20"));
        QCOMPARE(labelWithoutSeed("6-layer ReLU seed=12"), std::string("6-layer ReLU"));
        QCOMPARE(labelWithoutSeed("seed=3"), std::string());
        QCOMPARE(labelWithoutSeed("depth=20"), std::string("depth=20"));
        QCOMPARE(labelWithoutSeed("reseed=3"), std::string("reseed=3"));
        QCOMPARE(labelWithoutSeed("depth=20 seed=x"), std::string("depth=20 seed=x"));
        QCOMPARE(labelWithoutSeed(""), std::string());
    }

    // Runs that differ only in the seed share a cell; any other key makes a new one, named by
    // the keys that differ.
    void cells_ignoreTheSeedOnly()
    {
        ExperimentConfig otherLr = fcn(2, 0);
        otherLr.lr = 0.01;
        const RunMetrics m = metrics(Outcome::Identity, 0.5, 0.25);
        const std::vector<MemoryRun> runs = {
            {fcn(2, 0), "", &m}, {fcn(2, 1), "", &m}, {fcn(3, 0), "", &m}, {fcn(2, 7), "", &m}, {otherLr, "", &m}};
        const std::vector<RunCell> cells = cellsOfRuns(runs);
        QCOMPARE(cells.size(), runs.size());
        QCOMPARE(QString::fromStdString(cells[0].label), QStringLiteral("depth=2 lr=0.005"));
        QCOMPARE(QString::fromStdString(cells[1].label), QString::fromStdString(cells[0].label));
        QCOMPARE(QString::fromStdString(cells[3].label), QString::fromStdString(cells[0].label));
        QCOMPARE(QString::fromStdString(cells[2].label), QStringLiteral("depth=3 lr=0.005"));
        QCOMPARE(QString::fromStdString(cells[4].label), QStringLiteral("depth=2 lr=0.01"));
        QCOMPARE(cells[2].parameters, json::parse(R"({"depth": 3, "lr": 0.005})"));

        const std::vector<EnsembleCell> ensemble = ensembleCellsOfRuns(runs);
        QCOMPARE(ensemble.size(), std::size_t{3});
        QCOMPARE(ensemble[0].n, 3);
        QCOMPARE(ensemble[1].n, 1);
        QCOMPARE(ensemble[2].n, 1);
    }

    // One cell: named by the runs' common label less the seed, or else by the model.
    void cells_singleCellNames()
    {
        const RunMetrics m = metrics(Outcome::Constant, 0.25, 0.75);
        const std::vector<RunCell> bare = cellsOfRuns({{fcn(4, 0), "", &m}, {fcn(4, 1), "", &m}});
        QCOMPARE(QString::fromStdString(bare[0].label), QString::fromStdString(describeModel(fcn(4, 0))));
        QCOMPARE(bare[0].parameters, json::Value::object());
        const std::vector<RunCell> labelled = cellsOfRuns({{fcn(4, 0), "6-layer ReLU seed=0", &m}, {fcn(4, 1), "6-layer ReLU seed=1", &m}});
        QCOMPARE(QString::fromStdString(labelled[0].label), QStringLiteral("6-layer ReLU"));
        QCOMPARE(QString::fromStdString(labelled[1].label), QStringLiteral("6-layer ReLU"));
        // Two cells that bring the same label are told apart by their settings.
        const std::vector<RunCell> clash = cellsOfRuns({{fcn(4, 0), "x seed=0", &m}, {fcn(5, 0), "x seed=0", &m}});
        QCOMPARE(QString::fromStdString(clash[0].label), QStringLiteral("depth=4"));
        QCOMPARE(QString::fromStdString(clash[1].label), QStringLiteral("depth=5"));
    }

    // Hand-worked: depth 2 with seeds 0-2 gives identity, identity, constant and MNIST
    // correlations 0.75, 0.5, 0.25 (mean 0.5, sd 0.25). Wilson for 2 of 3, z = 1.959964:
    // d = 2.2804863, centre = (2/3 + 0.6402431) / d = 0.5731838, half = 0.3653242.
    void statistics_handWorked()
    {
        const RunMetrics a = metrics(Outcome::Identity, 0.75, 0.125), b = metrics(Outcome::Identity, 0.5, 0.25),
                         c = metrics(Outcome::Constant, 0.25, 0.375);
        const std::vector<EnsembleCell> cells = ensembleCellsOfRuns({{fcn(2, 0), "", &a}, {fcn(2, 1), "", &b}, {fcn(2, 2), "", &c}});
        QCOMPARE(cells.size(), std::size_t{1});
        const EnsembleCell& cell = cells[0];
        QCOMPARE(cell.n, 3);
        QCOMPARE(cell.outcomeCounts[static_cast<std::size_t>(Outcome::Identity)], 2);
        QCOMPARE(cell.outcomeCounts[static_cast<std::size_t>(Outcome::Constant)], 1);
        QVERIFY(near(cell.identity.low, 0.207660));
        QVERIFY(near(cell.identity.high, 0.938508));
        QVERIFY(near(cell.constant.low, 0.061492));
        QVERIFY(near(cell.constant.high, 0.792340));
        QCOMPARE(cell.groups.size(), std::size_t{2});
        QCOMPARE(cell.groups[1].group, ProbeGroup::Mnist);
        QVERIFY(near(cell.groups[1].corrIdentity.mean, 0.5));
        QVERIFY(near(cell.groups[1].corrIdentity.stddev, 0.25));
        QVERIFY(near(cell.groups[1].corrConstant.mean, 0.25));
        QVERIFY(near(cell.groups[1].corrConstant.stddev, 0.125));
    }

    // The same runs written as a sweep folder and collected: summary.json's cells and the phase
    // diagram equal the in-memory path's, with the task labels and without any label.
    void statistics_equalTheSweepFolders()
    {
        const ExpandedPlan plan = expandPlan(planFromJson(json::parse(R"({"name": "t", "base": {"architecture": "fcn", "steps": 5},
            "axes": [{"key": "depth", "values": [2, 3]}], "seeds": 3})"),
                                                          "t.json"));
        QCOMPARE(plan.tasks.size(), std::size_t{6});
        const std::vector<RunMetrics> results = {metrics(Outcome::Identity, 0.75, 0.125), metrics(Outcome::Identity, 0.5, 0.25, 0.125),
                                                 metrics(Outcome::Constant, 0.25, 0.375), metrics(Outcome::Constant, 0.125, 0.875, 0.25),
                                                 metrics(Outcome::Partial, 0.375, 0.5),   metrics(Outcome::Constant, 0.0, 1.0, -0.25)};
        QTemporaryDir dir;
        const std::string d = dir.path().toStdString();
        json::writeFileAtomic(d + "/plan.json", planToJson(plan).dump(2));
        for (std::size_t i = 0; i < plan.tasks.size(); ++i) {
            const fs::path folder = taskFolderPath(d, plan.tasks[i]);
            fs::create_directories(folder);
            writeText(folder / "config.json", configToJson(plan.tasks[i].config).dump(2));
            writeText(folder / "metrics.json", metricsToJson(results[i]).dump(2));
        }
        const SweepCollection sweep = collectSweep(d);
        QVERIFY(sweep.complete());
        QCOMPARE(sweep.cells.size(), std::size_t{2});
        const PhaseDiagram fromFolders = phaseDiagram(sweep);
        QCOMPARE(fromFolders.cells.size(), std::size_t{2});

        for (const bool labelled : {true, false}) {
            std::vector<MemoryRun> runs;
            for (std::size_t i = 0; i < plan.tasks.size(); ++i)
                runs.push_back({plan.tasks[i].config, labelled ? plan.tasks[i].label : std::string(), &results[i]});
            const std::vector<EnsembleCell> cells = ensembleCellsOfRuns(runs);
            QCOMPARE(cells.size(), sweep.cells.size());
            for (std::size_t c = 0; c < cells.size(); ++c)
                QCOMPARE(ensembleCellToJson(cells[c]).dump(-1), ensembleCellToJson(sweep.cells[c]).dump(-1));
            const PhaseDiagram inMemory = phaseDiagramOfRuns(runs);
            QCOMPARE(inMemory.cells, fromFolders.cells);
            QCOMPARE(inMemory.runs, fromFolders.runs);
            QCOMPARE(inMemory.rho, fromFolders.rho);
            QCOMPARE(inMemory.corrIdentity, fromFolders.corrIdentity);
            QCOMPARE(inMemory.corrConstant, fromFolders.corrConstant);
            QCOMPARE(inMemory.zone, fromFolders.zone);
        }
        // depth=2's mean correlation with the input at every rho: (0.5 + 0.625 + 0.5) / 3.
        QVERIFY(near(fromFolders.corrIdentity[0][0], 1.625 / 3.0));
    }

    // Runs without a rho sweep, or measured at other rho values, are left out of the diagram.
    void phase_leavesOutRunsWithoutOrWithOtherRho()
    {
        RunMetrics none = metrics(Outcome::Identity, 0.5, 0.5);
        none.rhoSweep.clear();
        RunMetrics coarse = metrics(Outcome::Identity, 0.5, 0.5);
        coarse.rhoSweep.resize(2);
        const RunMetrics full = metrics(Outcome::Identity, 0.5, 0.5);
        QVERIFY(phaseDiagramOfRuns({{fcn(2, 0), "", &none}, {fcn(3, 0), "", &none}}).empty());
        const PhaseDiagram d =
            phaseDiagramOfRuns({{fcn(2, 0), "", &none}, {fcn(3, 0), "", &full}, {fcn(4, 0), "", &coarse}, {fcn(3, 1), "", &full}});
        QCOMPARE(d.cells, std::vector<std::string>{"depth=3"});
        QCOMPARE(d.runs, std::vector<int>{2});
        QCOMPARE(d.rho.size(), std::size_t{5});
    }
};

QTEST_GUILESS_MAIN(TstRunCells)
#include "tst_run_cells.moc"
