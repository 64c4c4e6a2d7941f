// identitylab-cli sweep and collect as a user drives them (docs/cluster.md): one task of a job
// array, every task with --jobs, the headless build giving the same bits as the full one, a
// killed task that leaves no half folder and a rerun that finishes it, a damaged folder that
// collect names while merging the rest, a bad axis refused before anything runs, and the Slurm
// script. The private Slurm cluster test is tests/cli/slurm_sweep_test.sh.

#include <QtTest>

#include <csignal>

#include "support/cli_process.h"

using il::test::CliResult;
using il::test::readJsonObject;
using il::test::runCli;

namespace {

const QString kHeadless = QStringLiteral(IDENTITYLAB_CLI_HEADLESS);

// Four small tasks: two depths x two seeds of a 64-wide FCN, 20 steps.
QString writePlan(const QTemporaryDir& dir, int steps = 20)
{
    const QString path = dir.filePath(QStringLiteral("plan.in.json"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) return {};
    f.write(QStringLiteral(R"({"name": "tiny", "title": "Tiny sweep",
        "base": {"architecture": "fcn", "width": 64, "steps": %1, "rho_samples": 1},
        "axes": [{"key": "depth", "values": [2, 3]}], "seeds": 2})")
                .arg(steps)
                .toUtf8());
    return path;
}

QByteArray fileBytes(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The files of a run folder that must be equal bit for bit between two runs of one task (the
// JSON files also carry times and the host).
const QStringList kExactFiles{QStringLiteral("loss.csv"), QStringLiteral("probes_outputs.npy"), QStringLiteral("metrics.jsonl"),
                              QStringLiteral("activations_01.npy")};

QStringList visibleEntries(const QString& dir) { return QDir(dir).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name); }

}  // namespace

class TstCliSweep : public QObject {
    Q_OBJECT

private slots:
    // The issue's first check: task 0 of Figure 2's plan trains its first run into DIR, and
    // collect writes summary.json (incomplete: four tasks missing, exit code 1).
    void presetTaskZero_thenCollect()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("D"));
        const CliResult r = runCli({QStringLiteral("sweep"), QStringLiteral(IDENTITYLAB_SOURCE_PRESETS "/fcn-depth.json"), QStringLiteral("--out"),
                                    out, QStringLiteral("--task"), QStringLiteral("0"), QStringLiteral("--threads"), QStringLiteral("1"),
                                    QStringLiteral("--set"), QStringLiteral("steps=10"), QStringLiteral("--quiet")},
                                   120000, kHeadless);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(QFileInfo::exists(out + QStringLiteral("/plan.json")));
        QCOMPARE(visibleEntries(out), QStringList{QStringLiteral("000-1-layer-linear")});
        QVERIFY(!QFileInfo::exists(out + QStringLiteral("/summary.json")));  // one task of an array: no collect

        const CliResult c = runCli({QStringLiteral("collect"), out, QStringLiteral("--scale"), QStringLiteral("1")});
        QCOMPARE(c.exitCode, 1);
        QVERIFY2(c.err.contains(QStringLiteral("missing: task 4")), qPrintable(c.err));
        const QJsonObject summary = readJsonObject(out + QStringLiteral("/summary.json"));
        QCOMPARE(summary.value(QStringLiteral("tasks")).toInt(), 5);
        QCOMPARE(summary.value(QStringLiteral("finished")).toInt(), 1);
        QCOMPARE(summary.value(QStringLiteral("missing")).toArray().size(), 4);
        QVERIFY(QFileInfo(out + QStringLiteral("/figure.png")).size() > 0);  // drawn from the one run there
    }

    // Every task with --jobs 2 on the full build, and each task alone on the headless build: the
    // same bits. A rerun skips the finished tasks.
    void jobsAndHeadlessTasks_giveTheSameBits()
    {
        QTemporaryDir dir;
        const QString plan = writePlan(dir);
        const QString all = dir.filePath(QStringLiteral("all")), single = dir.filePath(QStringLiteral("single"));
        const CliResult r = runCli({QStringLiteral("sweep"), plan, QStringLiteral("--out"), all, QStringLiteral("--jobs"), QStringLiteral("2"),
                                    QStringLiteral("--threads"), QStringLiteral("1"), QStringLiteral("--quiet"), QStringLiteral("--scale"),
                                    QStringLiteral("1")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject summary = readJsonObject(all + QStringLiteral("/summary.json"));
        QVERIFY(summary.value(QStringLiteral("complete")).toBool());
        QCOMPARE(summary.value(QStringLiteral("cells")).toArray().size(), 2);
        QCOMPARE(summary.value(QStringLiteral("cells")).toArray().first().toObject().value(QStringLiteral("n")).toInt(), 2);

        const QStringList tasks = visibleEntries(all);
        QCOMPARE(tasks.size(), 4);
        for (int i = 0; i < 4; ++i) {
            const CliResult t = runCli({QStringLiteral("sweep"), all + QStringLiteral("/plan.json"), QStringLiteral("--out"), single,
                                        QStringLiteral("--task"), QString::number(i), QStringLiteral("--threads"), QStringLiteral("1"),
                                        QStringLiteral("--quiet")},
                                       120000, kHeadless);
            QVERIFY2(t.exitCode == 0, qPrintable(t.err));
        }
        QCOMPARE(visibleEntries(single), tasks);
        for (const QString& task : tasks)
            for (const QString& file : kExactFiles) {
                const QByteArray a = fileBytes(all + QLatin1Char('/') + task + QLatin1Char('/') + file);
                QVERIFY2(!a.isEmpty(), qPrintable(task + QLatin1Char('/') + file));
                QVERIFY2(a == fileBytes(single + QLatin1Char('/') + task + QLatin1Char('/') + file), qPrintable(task + QLatin1Char('/') + file));
            }
        QVERIFY(!QFileInfo::exists(single + QStringLiteral("/000-depth-2-seed-0/probes.png")));  // headless: data only
        QVERIFY(QFileInfo::exists(all + QStringLiteral("/000-depth-2-seed-0/probes.png")));

        const CliResult again = runCli({QStringLiteral("sweep"), plan, QStringLiteral("--out"), all, QStringLiteral("--scale"), QStringLiteral("1")});
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
        QVERIFY2(again.err.contains(QStringLiteral("4 of 4 tasks are done already")), qPrintable(again.err));
    }

    // SIGKILL in the middle of a task: nothing under the task's name (its folder is written
    // under a hidden name and renamed when complete); the rerun of the same command finishes it.
    void killedTask_leavesNoHalfFolder_andTheRerunFinishesIt()
    {
        QTemporaryDir dir;
        const QString plan = writePlan(dir, 20000);
        const QString out = dir.filePath(QStringLiteral("k"));
        const QStringList command{QStringLiteral("sweep"),   plan, QStringLiteral("--out"), out, QStringLiteral("--task"), QStringLiteral("1"),
                                  QStringLiteral("--threads"), QStringLiteral("1")};
        QProcess p;
        p.start(kHeadless, command);
        QVERIFY(p.waitForStarted());
        // Killed at its first progress line (10 % of the steps): in the middle of training.
        QByteArray progress;
        QTRY_VERIFY_WITH_TIMEOUT((progress += p.readAllStandardError()).contains("step "), 60000);
        QVERIFY2(p.state() == QProcess::Running, progress.constData());
        ::kill(static_cast<pid_t>(p.processId()), SIGKILL);
        QVERIFY(p.waitForFinished(10000));
        QVERIFY(visibleEntries(out).isEmpty());
        QCOMPARE(runCli({QStringLiteral("collect"), out, QStringLiteral("--quiet")}, 120000, kHeadless).exitCode, 1);

        const CliResult rerun = runCli(command, 300000, kHeadless);
        QVERIFY2(rerun.exitCode == 0, qPrintable(rerun.err));
        QCOMPARE(QDir(out).entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden), QStringList{QStringLiteral("001-depth-2-seed-1")});
        QVERIFY(QFileInfo::exists(out + QStringLiteral("/001-depth-2-seed-1/metrics.json")));
    }

    void damagedFolder_isNamed_andTheRestMerged()
    {
        QTemporaryDir dir;
        const QString plan = writePlan(dir, 5);
        const QString out = dir.filePath(QStringLiteral("d"));
        QCOMPARE(runCli({QStringLiteral("sweep"), plan, QStringLiteral("--out"), out, QStringLiteral("--quiet"), QStringLiteral("--no-collect")}, 120000,
                        kHeadless)
                     .exitCode,
                 0);
        QFile metrics(out + QStringLiteral("/002-depth-3-seed-0/metrics.json"));
        QVERIFY(metrics.open(QIODevice::WriteOnly | QIODevice::Truncate));
        metrics.write("{\"outcome\": ");
        metrics.close();
        const CliResult c = runCli({QStringLiteral("collect"), out, QStringLiteral("--quiet")}, 120000, kHeadless);
        QCOMPARE(c.exitCode, 1);
        QVERIFY2(c.err.contains(QStringLiteral("damaged: task 2")) && c.err.contains(QStringLiteral("metrics.json")), qPrintable(c.err));
        const QJsonObject summary = readJsonObject(out + QStringLiteral("/summary.json"));
        QCOMPARE(summary.value(QStringLiteral("finished")).toInt(), 3);
        QCOMPARE(summary.value(QStringLiteral("damaged")).toArray().size(), 1);
    }

    void badAxis_isRefusedBeforeAnythingRuns()
    {
        QTemporaryDir dir;
        const QString plan = dir.filePath(QStringLiteral("bad.json"));
        QFile f(plan);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"base": {"architecture": "fcn"}, "axes": [{"key": "depth", "values": [2, -1]}]})");
        f.close();
        const QString out = dir.filePath(QStringLiteral("never"));
        const CliResult r = runCli({QStringLiteral("sweep"), plan, QStringLiteral("--out"), out}, 120000, kHeadless);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("depth")), qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(out));
    }

    void slurm_writesAJobArrayOverTheUnfinishedTasks()
    {
        QTemporaryDir dir;
        const QString plan = writePlan(dir, 5);
        const QString out = dir.filePath(QStringLiteral("s"));
        QCOMPARE(runCli({QStringLiteral("sweep"), plan, QStringLiteral("--out"), out, QStringLiteral("--task"), QStringLiteral("2"),
                         QStringLiteral("--quiet")},
                        120000, kHeadless)
                     .exitCode,
                 0);
        const CliResult r = runCli({QStringLiteral("sweep"), plan, QStringLiteral("--out"), out, QStringLiteral("--slurm"), QStringLiteral("--sbatch"),
                                    QStringLiteral("--partition=gpu")},
                                   120000, kHeadless);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString script = QString::fromUtf8(fileBytes(out + QStringLiteral("/sweep.sbatch")));
        QVERIFY2(script.contains(QStringLiteral("#SBATCH --array=0-1,3\n")), qPrintable(script));
        QVERIFY(script.contains(QStringLiteral("#SBATCH --partition=gpu\n")));
        QVERIFY(script.contains(QStringLiteral("--task \"$SLURM_ARRAY_TASK_ID\"")));
        QVERIFY(QFileInfo(out + QStringLiteral("/logs")).isDir());
        // A job array's element reads its task from the environment.
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("SLURM_ARRAY_TASK_ID"), QStringLiteral("3"));
        p.setProcessEnvironment(env);
        p.start(kHeadless, {QStringLiteral("sweep"), out + QStringLiteral("/plan.json"), QStringLiteral("--out"), out, QStringLiteral("--quiet")});
        QVERIFY(p.waitForFinished(120000));
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(QFileInfo::exists(out + QStringLiteral("/003-depth-3-seed-1/metrics.json")));
        QVERIFY(!QFileInfo::exists(out + QStringLiteral("/000-depth-2-seed-0")));
    }

    void headlessBuild_linksNoQt_andSaysSo()
    {
        QProcess readelf;
        readelf.start(QStringLiteral("readelf"), {QStringLiteral("-d"), kHeadless});
        if (!readelf.waitForFinished(30000) || readelf.exitCode() != 0) QSKIP("readelf (binutils) is not installed");
        const QString dynamic = QString::fromUtf8(readelf.readAllStandardOutput());
        QVERIFY(dynamic.contains(QStringLiteral("libtorch")));
        QVERIFY2(!dynamic.contains(QStringLiteral("libQt")), qPrintable(dynamic));
        const CliResult v = runCli({QStringLiteral("--version")}, 30000, kHeadless);
        QCOMPARE(v.exitCode, 0);
        QVERIFY(v.out.contains(QStringLiteral("headless")));
        QCOMPARE(runCli({QStringLiteral("export"), QStringLiteral("x.ilrun"), QStringLiteral("--out"), QStringLiteral("/tmp/x")}, 30000, kHeadless).exitCode,
                 2);
    }
};

QTEST_GUILESS_MAIN(TstCliSweep)
#include "tst_cli_sweep.moc"
