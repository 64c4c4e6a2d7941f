// identitylab-cli's open-data side as a user meets it: --version, a run folder's .npy arrays,
// metrics.jsonl, SVG figures and provenance from `train --format png,svg`, its config.json
// accepted again by --config, and `export` of a run the app saved (.ilrun) into a run folder.
#include <QtTest>

#include "support/cli_process.h"

namespace {

using Result = il::test::CliResult;
using il::test::runCli;

QJsonObject readJson(const QString& path) { return il::test::readJsonObject(path); }

bool startsAsNpy(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) && f.read(6) == QByteArray("\x93NUMPY", 6);
}

const QStringList kTiny{QStringLiteral("--set"),     QStringLiteral("depth=2"),  QStringLiteral("--set"),  QStringLiteral("channels=4"),
                        QStringLiteral("--set"),     QStringLiteral("steps=20"), QStringLiteral("--set"),  QStringLiteral("rho_samples=2"),
                        QStringLiteral("--threads"), QStringLiteral("1"),        QStringLiteral("--quiet")};

}  // namespace

class TstCliOpenData : public QObject {
    Q_OBJECT

private slots:
    void version_namesTheProgramAndLibTorch()
    {
        const Result r = runCli({QStringLiteral("--version")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith(QStringLiteral("IdentityLab ")) && r.out.contains(QStringLiteral("LibTorch ")), qPrintable(r.out));
    }

    void desktopApp_answersHelpAndVersionWithoutADisplay()
    {
        QProcessEnvironment headless = QProcessEnvironment::systemEnvironment();
        for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}) headless.remove(QLatin1String(name));
        QString versions[2];
        int i = 0;
        for (const char* option : {"--help", "--version"}) {
            QProcess app;
            app.setProcessEnvironment(headless);
            app.start(QStringLiteral(IDENTITYLAB_GUI), {QLatin1String(option)});
            QVERIFY(app.waitForFinished(60000));
            const QString out = QString::fromUtf8(app.readAllStandardOutput());
            QVERIFY2(app.exitStatus() == QProcess::NormalExit && app.exitCode() == 0,
                     qPrintable(QLatin1String(option) + QStringLiteral(": ") + QString::fromUtf8(app.readAllStandardError())));
            versions[i++] = out;
        }
        QVERIFY2(versions[0].contains(QStringLiteral("--preset")), qPrintable(versions[0]));
        QCOMPARE(versions[1], runCli({QStringLiteral("--version")}).out);
    }

    void train_writesArraysTrajectorySvgAndProvenance_andItsConfigRunsAgain()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("run"));
        const Result r = runCli(
            QStringList{QStringLiteral("train"), QStringLiteral("--out"), out, QStringLiteral("--format"), QStringLiteral("png,svg")} +
            kTiny);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        for (const char* name :
             {"metrics.jsonl", "probes.json", "activations.json", "probes.svg", "activations.svg", "rho.svg", "loss.svg", "probes.png"})
            QVERIFY2(QFileInfo::exists(out + QLatin1Char('/') + QLatin1String(name)), name);
        for (const char* name : {"probes_inputs.npy", "probes_outputs.npy", "activations_00.npy"})
            QVERIFY2(startsAsNpy(out + QLatin1Char('/') + QLatin1String(name)), name);

        const QJsonObject provenance = readJson(out + QStringLiteral("/config.json")).value(QStringLiteral("provenance")).toObject();
        QVERIFY(!provenance.value(QStringLiteral("identitylab_version")).toString().isEmpty());
        QVERIFY(!provenance.value(QStringLiteral("libtorch_version")).toString().isEmpty());
        QCOMPARE(provenance.value(QStringLiteral("threads")).toInt(), 1);
        QVERIFY(provenance.value(QStringLiteral("started")).toString().endsWith(QLatin1Char('Z')));
        const QJsonArray files = provenance.value(QStringLiteral("data_files")).toArray();
        QVERIFY(!files.isEmpty());
        for (const auto& f : files) QCOMPARE(f.toObject().value(QStringLiteral("sha256")).toString().size(), 64);
        QCOMPARE(readJson(out + QStringLiteral("/metrics.json")).value(QStringLiteral("provenance")).toObject(), provenance);

        // config.json alone makes the run again: the same final loss.
        const QString again = dir.filePath(QStringLiteral("again"));
        const Result r2 =
            runCli({QStringLiteral("train"), QStringLiteral("--config"), out + QStringLiteral("/config.json"), QStringLiteral("--out"),
                    again, QStringLiteral("--threads"), QStringLiteral("1"), QStringLiteral("--quiet")});
        QVERIFY2(r2.exitCode == 0, qPrintable(r2.err));
        QCOMPARE(readJson(again + QStringLiteral("/metrics.json")).value(QStringLiteral("final_loss")).toDouble(),
                 readJson(out + QStringLiteral("/metrics.json")).value(QStringLiteral("final_loss")).toDouble());
    }

    void badFormat_isRefusedWithExitCode2()
    {
        QTemporaryDir dir;
        const Result r = runCli(
            QStringList{QStringLiteral("train"), QStringLiteral("--out"), dir.path(), QStringLiteral("--format"), QStringLiteral("gif")} +
            kTiny);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("gif")), qPrintable(r.err));
    }

    void export_writesASavedRunAsARunFolder()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("exported"));
        const Result r = runCli({QStringLiteral("export"), QStringLiteral(IDENTITYLAB_RUN_FILE), QStringLiteral("--out"), out,
                                 QStringLiteral("--format"), QStringLiteral("svg")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        for (const char* name : {"config.json", "metrics.json", "metrics.jsonl", "loss.csv", "probes.svg", "loss.svg"})
            QVERIFY2(QFileInfo::exists(out + QLatin1Char('/') + QLatin1String(name)), name);
        QVERIFY(readJson(out + QStringLiteral("/config.json")).contains(QStringLiteral("provenance")));
    }

    void export_ofSomethingElse_isRefusedWithExitCode2()
    {
        QTemporaryDir dir;
        const QString notARun = dir.filePath(QStringLiteral("not.ilrun"));
        QFile f(notARun);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"depth\": 2}");
        f.close();
        const Result r = runCli({QStringLiteral("export"), notARun, QStringLiteral("--out"), dir.filePath(QStringLiteral("x"))});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("not.ilrun")), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TstCliOpenData)
#include "tst_cli_open_data.moc"
