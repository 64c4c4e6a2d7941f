// identitylab-cli as a user meets it: train writes every file it promises, bad input gives a
// clear message and a non-zero exit code, Ctrl-C stops cleanly and still writes the results.
#include <QImageReader>
#include <QtTest>

#include <csignal>

#include "support/cli_process.h"

namespace {

using Result = il::test::CliResult;
using il::test::runCli;

QJsonObject readJson(const QString& path) { return il::test::readJsonObject(path); }

const QStringList kTiny{QStringLiteral("--set"),      QStringLiteral("depth=2"),       QStringLiteral("--set"),
                        QStringLiteral("channels=4"), QStringLiteral("--set"),         QStringLiteral("steps=20"),
                        QStringLiteral("--set"),      QStringLiteral("rho_samples=2"), QStringLiteral("--quiet")};

}  // namespace

class TstCli : public QObject {
    Q_OBJECT

private slots:
    void train_writesConfigMetricsLossCheckpointAndFigures()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("run"));
        const Result r = runCli(QStringList{QStringLiteral("train"), QStringLiteral("--out"), out} + kTiny);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        for (const char* name :
             {"config.json", "metrics.json", "loss.csv", "checkpoint.pt", "probes.png", "activations.png", "rho.png", "loss.png"})
            QVERIFY2(QFileInfo(out + QLatin1Char('/') + QLatin1String(name)).size() > 0, name);
        const QJsonObject config = readJson(out + QStringLiteral("/config.json"));
        QCOMPARE(config.value(QStringLiteral("depth")).toInt(), 2);
        QCOMPARE(config.value(QStringLiteral("seed")).toInt(), 0);  // fully resolved, the default seed included
        QCOMPARE(config.value(QStringLiteral("init")).toString(), QStringLiteral("xavier_uniform"));
        const QJsonObject metrics = readJson(out + QStringLiteral("/metrics.json"));
        QCOMPARE(metrics.value(QStringLiteral("stop_reason")).toString(), QStringLiteral("completed"));
        QCOMPARE(metrics.value(QStringLiteral("steps_done")).toInt(), 20);
        QVERIFY(metrics.value(QStringLiteral("parameters")).toInt() > 0);
        const QJsonArray probes = metrics.value(QStringLiteral("probes")).toArray();
        QVERIFY(probes.size() >= 12);
        for (const auto& p : probes)
            for (const char* key : {"name", "group", "corr_identity", "corr_constant", "mse"})
                QVERIFY(p.toObject().contains(QLatin1String(key)));
        QVERIFY(metrics.value(QStringLiteral("groups")).toObject().contains(QStringLiteral("pattern")));
        QCOMPARE(metrics.value(QStringLiteral("rho_sweep")).toArray().size(), 11);
        QFile loss(out + QStringLiteral("/loss.csv"));
        QVERIFY(loss.open(QIODevice::ReadOnly));
        QCOMPARE(loss.readAll().count('\n'), 21);  // header + one line per step
        QImageReader probesPng(out + QStringLiteral("/probes.png"));
        QVERIFY(probesPng.size().width() > 500 && probesPng.size().height() > 100);
    }

    void badConfigs_areRefusedWithTheKeyAndExitCode2_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QStringList>("sets");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("depth 0") << QString() << QStringList{QStringLiteral("depth=0")} << QStringLiteral("depth");
        QTest::newRow("negative lr") << QString() << QStringList{QStringLiteral("lr=-1")} << QStringLiteral("lr");
        QTest::newRow("even kernel") << QString() << QStringList{QStringLiteral("kernel_size=4")} << QStringLiteral("kernel_size");
        QTest::newRow("kernel larger than image")
            << QString() << QStringList{QStringLiteral("kernel_size=9"), QStringLiteral("image_size=7")} << QStringLiteral("kernel_size");
        QTest::newRow("image size 1") << QString() << QStringList{QStringLiteral("image_size=1")} << QStringLiteral("image_size");
        QTest::newRow("steps 0") << QString() << QStringList{QStringLiteral("steps=0")} << QStringLiteral("steps");
        QTest::newRow("unknown value") << QString() << QStringList{QStringLiteral("init=magic")} << QStringLiteral("xavier_uniform");
        QTest::newRow("unknown key") << QString() << QStringList{QStringLiteral("dept=3")} << QStringLiteral("dept");
        QTest::newRow("malformed json") << QStringLiteral("{\"depth\": 3,}") << QStringList{} << QStringLiteral("line 1");
        QTest::newRow("not an object") << QStringLiteral("[1, 2]") << QStringList{} << QStringLiteral("object");
    }
    void badConfigs_areRefusedWithTheKeyAndExitCode2()
    {
        QFETCH(QString, file);
        QFETCH(QStringList, sets);
        QFETCH(QString, mentions);
        QTemporaryDir dir;
        QStringList args{QStringLiteral("train"), QStringLiteral("--out"), dir.filePath(QStringLiteral("run"))};
        if (!file.isEmpty()) {
            QFile f(dir.filePath(QStringLiteral("c.json")));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(file.toUtf8());
            f.close();
            args << QStringLiteral("--config") << f.fileName();
        }
        for (const QString& s : sets) args << QStringLiteral("--set") << s;
        const Result r = runCli(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(mentions), qPrintable(r.err));
    }

    void missingConfigFile_isRefused()
    {
        const Result r = runCli({QStringLiteral("train"), QStringLiteral("--config"), QStringLiteral("/nonexistent/c.json"),
                                 QStringLiteral("--out"), QStringLiteral("/tmp/x")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("/nonexistent/c.json")), qPrintable(r.err));
    }

    void divergingRun_endsDivergedWithExitCode1_andKeepsItsFiles()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("run"));
        const Result r = runCli(
            QStringList{QStringLiteral("train"), QStringLiteral("--out"), out} + kTiny +
            QStringList{QStringLiteral("--set"), QStringLiteral("lr=100"), QStringLiteral("--set"), QStringLiteral("schedule=constant")});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(readJson(out + QStringLiteral("/metrics.json")).value(QStringLiteral("stop_reason")).toString(),
                 QStringLiteral("diverged"));
    }

    void interrupt_stopsCleanlyAndStillWritesTheResults()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("run"));
        QProcess p;
        p.start(QStringLiteral(IDENTITYLAB_CLI),
                QStringList{QStringLiteral("train"), QStringLiteral("--out"), out, QStringLiteral("--set"), QStringLiteral("depth=2"),
                            QStringLiteral("--set"), QStringLiteral("channels=4"), QStringLiteral("--set"),
                            QStringLiteral("steps=10000000"), QStringLiteral("--set"), QStringLiteral("rho_samples=2")});
        QVERIFY(p.waitForStarted());
        // Wait until training runs (the progress line appears), then press "Ctrl-C".
        for (int i = 0; i < 300 && !p.readAllStandardError().contains("step"); ++i) p.waitForReadyRead(100);
        ::kill(static_cast<pid_t>(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 130);
        const QJsonObject metrics = readJson(out + QStringLiteral("/metrics.json"));
        QCOMPARE(metrics.value(QStringLiteral("stop_reason")).toString(), QStringLiteral("cancelled"));
        QVERIFY(metrics.value(QStringLiteral("steps_done")).toInt() > 0);
        QVERIFY(QFileInfo::exists(out + QStringLiteral("/probes.png")));
    }

    void reproduceList_namesThePaperFigures()
    {
        const Result r = runCli({QStringLiteral("reproduce"), QStringLiteral("--list")});
        QCOMPARE(r.exitCode, 0);
        for (const char* name : {"cnn-depth", "fcn-depth", "rho-zones", "activations", "layer-classifier"})
            QVERIFY2(r.out.contains(QLatin1String(name)), name);
    }

    // Runs of a preset train side by side, one thread each; each must come out exactly as if it
    // had been trained alone, and the summary and figure must follow the preset's order.
    void reproduceInParallel_matchesEachRunTrainedAlone()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("fig2"));
        const Result r =
            runCli({QStringLiteral("reproduce"), QStringLiteral("fcn-depth"), QStringLiteral("--out"), out, QStringLiteral("--jobs"),
                    QStringLiteral("2"), QStringLiteral("--set"), QStringLiteral("steps=15"), QStringLiteral("--set"),
                    QStringLiteral("width=64"), QStringLiteral("--set"), QStringLiteral("rho_samples=2"), QStringLiteral("--quiet"),
                    QStringLiteral("--scale"), QStringLiteral("1")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(QFileInfo(out + QStringLiteral("/figure.png")).size() > 0);
        const QJsonObject summary = readJson(out + QStringLiteral("/summary.json"));
        QCOMPARE(summary.value(QStringLiteral("jobs")).toInt(), 2);
        QVERIFY(summary.value(QStringLiteral("complete")).toBool());
        const QJsonArray runs = summary.value(QStringLiteral("runs")).toArray();
        QCOMPARE(runs.size(), 5);
        QCOMPARE(runs.first().toObject().value(QStringLiteral("label")).toString(), QStringLiteral("1-layer linear"));
        QCOMPARE(runs.last().toObject().value(QStringLiteral("label")).toString(), QStringLiteral("6-layer ReLU"));
        QCOMPARE(runs.first().toObject().value(QStringLiteral("folder")).toString(), QStringLiteral("000-1-layer-linear"));
        for (const QJsonValue run : runs) {
            const QJsonObject o = run.toObject();
            const QString folder = o.value(QStringLiteral("folder")).toString();
            QVERIFY2(!folder.isEmpty() && !folder.startsWith(QLatin1Char('-')) && !folder.endsWith(QLatin1Char('-')), qPrintable(folder));
            QVERIFY(QFileInfo::exists(out + QLatin1Char('/') + folder + QStringLiteral("/metrics.json")));
            QFile config(dir.filePath(QStringLiteral("config.json")));
            QVERIFY(config.open(QIODevice::WriteOnly | QIODevice::Truncate));
            config.write(QJsonDocument(o.value(QStringLiteral("config")).toObject()).toJson());
            config.close();
            const QString alone = dir.filePath(QStringLiteral("alone"));
            const Result t = runCli({QStringLiteral("train"), QStringLiteral("--config"), config.fileName(), QStringLiteral("--out"), alone,
                                     QStringLiteral("--threads"), QStringLiteral("1"), QStringLiteral("--quiet"), QStringLiteral("--scale"),
                                     QStringLiteral("1")});
            QVERIFY2(t.exitCode == 0, qPrintable(t.err));
            const QJsonObject parallel = o.value(QStringLiteral("metrics")).toObject();
            const QJsonObject single = readJson(alone + QStringLiteral("/metrics.json"));
            QCOMPARE(parallel.value(QStringLiteral("final_loss")).toDouble(), single.value(QStringLiteral("final_loss")).toDouble());
            QCOMPARE(parallel.value(QStringLiteral("groups")).toObject(), single.value(QStringLiteral("groups")).toObject());
        }
    }

    // The activation preset writes its figure twice: one colour scale per network, and one per
    // layer (the look of the paper's figures, where quiet deep layers still show structure).
    void reproduceActivations_writesBothColourScales()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("act"));
        const Result r =
            runCli({QStringLiteral("reproduce"), QStringLiteral("activations"), QStringLiteral("--out"), out, QStringLiteral("--set"),
                    QStringLiteral("steps=3"), QStringLiteral("--set"), QStringLiteral("channels=4"), QStringLiteral("--set"),
                    QStringLiteral("rho_samples=1"), QStringLiteral("--quiet"), QStringLiteral("--scale"), QStringLiteral("1")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QImage shared(out + QStringLiteral("/figure.png"));
        const QImage perLayer(out + QStringLiteral("/figure-per-layer.png"));
        QVERIFY(!shared.isNull());
        QVERIFY(!perLayer.isNull());
        QVERIFY(shared != perLayer);
    }

    void unknownPresetAndCommand_areUsageErrors()
    {
        QCOMPARE(runCli({QStringLiteral("reproduce"), QStringLiteral("nope"), QStringLiteral("--out"), QStringLiteral("/tmp/x")}).exitCode,
                 2);
        QCOMPARE(runCli({QStringLiteral("frobnicate")}).exitCode, 2);
        QCOMPARE(runCli({QStringLiteral("train"), QStringLiteral("--help")}).exitCode, 0);
    }

    void bench_printsOneJsonLinePerConfigAndThreadCount()
    {
        const Result r = runCli({QStringLiteral("bench"), QStringLiteral("--configs"), QStringLiteral("fcn3"), QStringLiteral("--threads"),
                                 QStringLiteral("1"), QStringLiteral("--repeats"), QStringLiteral("1"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject line = QJsonDocument::fromJson(r.out.trimmed().toUtf8()).object();
        QCOMPARE(line.value(QStringLiteral("config")).toString(), QStringLiteral("fcn3"));
        QCOMPARE(line.value(QStringLiteral("threads")).toInt(), 1);
        QVERIFY(line.value(QStringLiteral("steps_per_s")).toDouble() > 0);
    }
};

QTEST_GUILESS_MAIN(TstCli)
#include "tst_cli.moc"
