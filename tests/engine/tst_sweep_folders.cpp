// A sweep folder's pieces (engine/sweep/task_folder.h, slurm_script.h, sweep_collection.h): task
// folders that appear only complete, of which the first of two writers wins and a dead writer's
// leftover is cleared; the job array's index ranges and script; and collect's reading of finished,
// missing and damaged tasks into the summary and the ensemble cells.

#include <QtTest>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "engine/core/errors.h"
#include "engine/io/json.h"
#include "engine/sweep/plan.h"
#include "engine/sweep/plan_tasks.h"
#include "engine/sweep/slurm_script.h"
#include "engine/sweep/sweep_collection.h"
#include "engine/sweep/task_folder.h"

using namespace il;
namespace fs = std::filesystem;

namespace {

ExpandedPlan twoDepthsTwoSeeds()
{
    return expandPlan(planFromJson(json::parse(R"({"name": "t", "base": {"architecture": "fcn", "steps": 5},
        "axes": [{"key": "depth", "values": [2, 3]}], "seeds": 2})"),
                                   "t.json"));
}

void writeText(const fs::path& path, const std::string& text)
{
    std::ofstream out(path);
    out << text;
}

// A finished task's folder with what collect reads: config.json and metrics.json.
void writeFinishedTask(const std::string& dir, const PlanTask& task, const char* outcome, double corrIdentity)
{
    const fs::path folder = taskFolderPath(dir, task);
    fs::create_directories(folder);
    writeText(folder / "config.json", "{\"depth\": 2}\n");
    json::Value metrics = json::Value::object();
    metrics["outcome"] = outcome;
    json::Value group = json::Value::object();
    group["corr_identity"] = corrIdentity;
    group["corr_constant"] = 0.1;
    group["count"] = 3;
    metrics["groups"] = json::Value::object();
    metrics["groups"]["mnist"] = group;
    writeText(folder / "metrics.json", metrics.dump(2));
}

std::vector<std::string> names(const fs::path& dir)
{
    std::vector<std::string> found;
    for (const auto& e : fs::directory_iterator(dir)) found.push_back(e.path().filename().string());
    std::sort(found.begin(), found.end());
    return found;
}

}  // namespace

class TstSweepFolders : public QObject {
    Q_OBJECT

private slots:
    void transaction_appearsUnderItsNameOnlyWhenCommitted()
    {
        QTemporaryDir dir;
        const ExpandedPlan plan = twoDepthsTwoSeeds();
        const PlanTask& task = plan.tasks[1];
        {
            TaskFolderTransaction t(dir.path().toStdString(), task);
            writeText(fs::path(t.path()) / "metrics.json", "{}");
            QVERIFY(!taskFinished(dir.path().toStdString(), task));
            QCOMPARE(partialTaskFolders(dir.path().toStdString()).size(), std::size_t{1});
            QVERIFY(t.commit());
        }
        QVERIFY(taskFinished(dir.path().toStdString(), task));
        QVERIFY(fs::exists(fs::path(taskFolderPath(dir.path().toStdString(), task)) / "metrics.json"));
        QVERIFY(partialTaskFolders(dir.path().toStdString()).empty());
    }

    void transaction_notCommitted_leavesNothing()
    {
        QTemporaryDir dir;
        const ExpandedPlan plan = twoDepthsTwoSeeds();
        {
            TaskFolderTransaction t(dir.path().toStdString(), plan.tasks[0]);
            writeText(fs::path(t.path()) / "loss.csv", "step,loss,lr\n");
        }  // a failed or cancelled run
        QVERIFY(names(dir.path().toStdString()).empty());
    }

    // Two processes given the same task: the first rename wins, the second keeps it and
    // discards its own copy.
    void secondCommit_losesAndKeepsTheFirst()
    {
        QTemporaryDir dir;
        const std::string d = dir.path().toStdString();
        const ExpandedPlan plan = twoDepthsTwoSeeds();
        TaskFolderTransaction first(d, plan.tasks[2]);
        writeText(fs::path(first.path()) / "who", "first");
        // The second writer as another process would name it (another PID).
        const fs::path second = fs::path(d) / (".partial-" + plan.tasks[2].folder + ".otherhost.1");
        fs::create_directories(second);
        writeText(second / "who", "second");
        QCOMPARE(::rename(second.c_str(), taskFolderPath(d, plan.tasks[2]).c_str()), 0);
        QVERIFY(!first.commit());
        std::ifstream who(fs::path(taskFolderPath(d, plan.tasks[2])) / "who");
        std::string text;
        who >> text;
        QCOMPARE(text, std::string("second"));
        QCOMPARE(names(d), (std::vector<std::string>{plan.tasks[2].folder}));
    }

    // A killed task's leftover on this host (its PID no longer runs) is removed by the next try.
    void deadWritersLeftover_isRemovedByTheNextTry()
    {
        QTemporaryDir dir;
        const std::string d = dir.path().toStdString();
        const ExpandedPlan plan = twoDepthsTwoSeeds();
        char host[256] = {};
        QCOMPARE(gethostname(host, sizeof host - 1), 0);
        std::string hostName(host);
        for (char& c : hostName)
            if (c == '.' || c == '/') c = '_';
        // PID 2^22 + 1 is above Linux's largest PID: no process has it.
        const fs::path stale = fs::path(d) / (".partial-" + plan.tasks[0].folder + "." + hostName + ".4194305");
        fs::create_directories(stale);
        const fs::path otherHost = fs::path(d) / (".partial-" + plan.tasks[0].folder + ".elsewhere.4194305");
        fs::create_directories(otherHost);
        {
            TaskFolderTransaction t(d, plan.tasks[0]);
            QVERIFY(!fs::exists(stale));
            QVERIFY(fs::exists(otherHost));  // another machine's task may still be running
        }
    }

    void arraySpec_compressesRuns()
    {
        QCOMPARE(slurmArraySpec({0, 1, 2, 3}), std::string("0-3"));
        QCOMPARE(slurmArraySpec({9, 0, 1, 5, 7, 8, 3, 3}), std::string("0-1,3,5,7-9"));
        QCOMPARE(slurmArraySpec({4}), std::string("4"));
        QCOMPARE(slurmArraySpec({}), std::string(""));
    }

    void slurmScript_runsEachArrayTaskOnItsCpus()
    {
        SlurmScript s;
        s.jobName = "identitylab-t";
        s.executable = "/opt/il/bin/identitylab-cli";
        s.sweepDir = "/scratch/my sweep";
        s.tasks = {0, 1, 2, 5};
        s.sbatchOptions = {"--partition=gpu", "--time=01:00:00"};
        s.taskArguments = {"--checkpoints"};
        const std::string text = slurmScriptText(s);
        QVERIFY(text.rfind("#!/bin/bash\n", 0) == 0);
        QVERIFY(text.find("#SBATCH --array=0-2,5\n") != std::string::npos);
        QVERIFY(text.find("#SBATCH --partition=gpu\n") != std::string::npos);
        QVERIFY(text.find("#SBATCH --output='/scratch/my sweep/logs/task-%a.out'\n") != std::string::npos ||
                text.find("#SBATCH --output=/scratch/my sweep/logs/task-%a.out\n") != std::string::npos);
        QVERIFY(text.find("exec /opt/il/bin/identitylab-cli sweep '/scratch/my sweep/plan.json' --out '/scratch/my sweep' --task "
                          "\"$SLURM_ARRAY_TASK_ID\" --threads \"${SLURM_CPUS_PER_TASK:-1}\" --checkpoints\n") != std::string::npos);
        s.sbatchOptions = {"partition=gpu"};
        QVERIFY_THROWS_EXCEPTION(ConfigError, slurmScriptText(s));
        s.sbatchOptions = {};
        s.tasks = {};
        QVERIFY_THROWS_EXCEPTION(ConfigError, slurmScriptText(s));
    }

    void shellQuoting()
    {
        QCOMPARE(shellQuoted("plain/path-1.json"), std::string("plain/path-1.json"));
        QCOMPARE(shellQuoted("it's"), std::string("'it'\\''s'"));
        QCOMPARE(shellQuoted(""), std::string("''"));
    }

    void collect_readsFinishedMissingAndDamaged()
    {
        QTemporaryDir dir;
        const std::string d = dir.path().toStdString();
        const ExpandedPlan plan = twoDepthsTwoSeeds();
        json::writeFileAtomic(d + "/plan.json", planToJson(plan).dump(2));
        writeFinishedTask(d, plan.tasks[0], "identity", 0.9);
        writeFinishedTask(d, plan.tasks[1], "constant", 0.5);
        writeFinishedTask(d, plan.tasks[2], "identity", 0.8);
        fs::create_directories(taskFolderPath(d, plan.tasks[3]));
        writeText(fs::path(taskFolderPath(d, plan.tasks[3])) / "config.json", "{}");
        writeText(fs::path(taskFolderPath(d, plan.tasks[3])) / "metrics.json", "{\"outcome\": ");  // cut short

        const SweepCollection sweep = collectSweep(d);
        QCOMPARE(sweep.runs.size(), std::size_t{3});
        QVERIFY(sweep.missing.empty());
        QCOMPARE(sweep.damaged.size(), std::size_t{1});
        QCOMPARE(sweep.damaged[0].task.index, 3);
        QVERIFY2(sweep.damaged[0].error.find("metrics.json") != std::string::npos, sweep.damaged[0].error.c_str());
        QVERIFY(!sweep.complete());
        QCOMPARE(sweep.cells.size(), std::size_t{2});
        QCOMPARE(sweep.cells[0].label, std::string("depth=2"));
        QCOMPARE(sweep.cells[0].n, 2);
        QCOMPARE(sweep.cells[0].identity.count, 1);
        QCOMPARE(sweep.cells[0].constant.count, 1);
        QCOMPARE(sweep.cells[0].parameters, json::parse(R"({"depth": 2})"));
        QCOMPARE(sweep.cells[1].n, 1);

        const json::Value summary = summaryToJson(sweep);
        QCOMPARE(summary.at("tasks").asInteger(), 4LL);
        QCOMPARE(summary.at("finished").asInteger(), 3LL);
        QCOMPARE(summary.at("complete").asBool(), false);
        QCOMPARE(summary.at("damaged").size(), std::size_t{1});
        QCOMPARE(summary.at("runs").asArray()[1].at("folder").asString(), plan.tasks[1].folder);
        QCOMPARE(summary.at("cells").size(), std::size_t{2});

        fs::remove_all(taskFolderPath(d, plan.tasks[3]));
        const SweepCollection again = collectSweep(d);
        QCOMPARE(again.missing.size(), std::size_t{1});
        QCOMPARE(again.missing[0].index, 3);
    }

    // A task whose run failed is listed with its reason, apart from the tasks not run yet; its
    // next success clears the record.
    void failedTask_isToldFromMissing()
    {
        QTemporaryDir dir;
        const std::string d = dir.path().toStdString();
        const ExpandedPlan plan = twoDepthsTwoSeeds();
        json::writeFileAtomic(d + "/plan.json", planToJson(plan).dump(2));
        recordTaskFailure(d, plan.tasks[2], "out of memory: the model needs 90 GB");
        QCOMPARE(taskFailure(d, plan.tasks[2]), std::string("out of memory: the model needs 90 GB"));
        const SweepCollection sweep = collectSweep(d);
        QCOMPARE(sweep.failed.size(), std::size_t{1});
        QCOMPARE(sweep.failed[0].task.index, 2);
        QCOMPARE(sweep.missing.size(), std::size_t{3});
        QCOMPARE(summaryToJson(sweep).at("failed").asArray()[0].at("error").asString(), std::string("out of memory: the model needs 90 GB"));
        clearTaskFailure(d, plan.tasks[2]);
        QVERIFY(taskFailure(d, plan.tasks[2]).empty());
        QCOMPARE(collectSweep(d).missing.size(), std::size_t{4});
    }

    void collect_withoutPlan_saysWhatIsMissing()
    {
        QTemporaryDir dir;
        try {
            collectSweep(dir.path().toStdString());
            QFAIL("no plan.json accepted");
        } catch (const DataError& e) {
            QVERIFY(std::string(e.what()).find("plan.json") != std::string::npos);
        }
    }
};

QTEST_GUILESS_MAIN(TstSweepFolders)
#include "tst_sweep_folders.moc"
