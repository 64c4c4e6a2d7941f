// identitylab-cli given bad data, a bad machine or a bad place to write: every case ends with a
// message that names the file or the setting and says what is wrong, and with the documented
// exit code (2 bad input, 1 the run failed, 130 interrupted), never a crash or a hang
// (docs/reliability.md lists each case with its message). The same folder with good files
// trains, so each refusal is the corruption's doing.

#include <QtTest>

#include <sys/resource.h>

#include <csignal>
#include <memory>
#include <vector>

#include "support/bad_files.h"

namespace {

struct Result {
    int exitCode = -1;
    bool crashed = false;
    QString out, err;
    qint64 ms = 0;
};

// Every message is printed (qInfo) as well: docs/reliability.md quotes them.
Result runCli(const QStringList& arguments, const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment(),
              std::function<void()> childSetup = {}, int timeoutMs = 120000)
{
    QProcess p;
    p.setProcessEnvironment(env);
    if (childSetup) p.setChildProcessModifier(childSetup);
    QElapsedTimer t;
    t.start();
    p.start(QStringLiteral(IDENTITYLAB_CLI), arguments);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
    }
    Result r{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.exitStatus() != QProcess::NormalExit,
             QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError()), t.elapsed()};
    if (!r.err.isEmpty()) qInfo("exit %d after %lld ms: %s", r.exitCode, static_cast<long long>(r.ms), qPrintable(r.err.trimmed()));
    return r;
}

// Runs the commands side by side (each CLI start costs about a second, mostly loading LibTorch
// and the probe images) and returns their results in order.
std::vector<Result> runAll(const std::vector<std::pair<QStringList, QProcessEnvironment>>& commands, int timeoutMs = 120000)
{
    std::vector<std::unique_ptr<QProcess>> processes;
    QElapsedTimer t;
    t.start();
    for (const auto& [arguments, env] : commands) {
        processes.push_back(std::make_unique<QProcess>());
        processes.back()->setProcessEnvironment(env);
        processes.back()->start(QStringLiteral(IDENTITYLAB_CLI), arguments);
    }
    std::vector<Result> results;
    for (auto& p : processes) {
        if (!p->waitForFinished(timeoutMs)) {
            p->kill();
            p->waitForFinished();
        }
        Result r{p->exitStatus() == QProcess::NormalExit ? p->exitCode() : -1, p->exitStatus() != QProcess::NormalExit,
                 QString::fromUtf8(p->readAllStandardOutput()), QString::fromUtf8(p->readAllStandardError()), t.elapsed()};
        qInfo("exit %d: %s", r.exitCode, qPrintable(r.err.trimmed()));
        results.push_back(r);
    }
    return results;
}

// A tiny FCN on 7x7 images: trains in well under a second.
QStringList tinyTrain(const QString& out, int steps = 5)
{
    return {QStringLiteral("train"),
            QStringLiteral("--out"),
            out,
            QStringLiteral("--quiet"),
            QStringLiteral("--threads"),
            QStringLiteral("1"),
            QStringLiteral("--set"),
            QStringLiteral("architecture=fcn"),
            QStringLiteral("--set"),
            QStringLiteral("depth=1"),
            QStringLiteral("--set"),
            QStringLiteral("image_size=7"),
            QStringLiteral("--set"),
            QStringLiteral("rho_samples=1"),
            QStringLiteral("--set"),
            QStringLiteral("steps=%1").arg(steps)};
}

void writeFile(const QString& path, const QByteArray& bytes) { QVERIFY(il::test::writeFile(path, bytes)); }
void writeMiniMnist(const QString& folder) { QVERIFY(il::test::writeMiniMnist(folder)); }
using il::test::gzipOf;
using il::test::idxImages;
using il::test::idxLabels;

QProcessEnvironment withEnv(const QString& key, const QString& value)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(key, value);
    return env;
}

QStringList filesIn(const QString& folder) { return QDir(folder).entryList(QDir::Files | QDir::Hidden | QDir::System, QDir::Name); }

}  // namespace

class TstCliErrors : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    QHash<QString, Result> results_;  // of the cases run side by side, by data tag
    QString path(const QString& name) const { return dir_.filePath(name); }

private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void goodMiniMnist_trains()
    {
        writeMiniMnist(path(QStringLiteral("good")));
        const Result r = runCli(tinyTrain(path(QStringLiteral("good-run"))),
                                withEnv(QStringLiteral("IDENTITYLAB_MNIST_DIR"), path(QStringLiteral("good"))));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }

    // The cases run side by side, started here; each row then checks its own result.
    void badMnistFiles_areRefusedNamingTheFile_data()
    {
        QTest::addColumn<QStringList>("mentions");
        std::vector<std::pair<QStringList, QProcessEnvironment>> commands;
        QStringList tags;
        // `file` of a good mini MNIST gets `bytes` (a null QByteArray: the file is removed).
        auto row = [&](const char* tag, const char* file, const QByteArray& bytes, const QStringList& mentions) {
            QTest::newRow(tag) << mentions;
            const QString folder = path(QStringLiteral("bad-%1").arg(QLatin1String(tag)).replace(QLatin1Char(' '), QLatin1Char('-')));
            const QString target = folder + QLatin1Char('/') + QLatin1String(file);
            writeMiniMnist(folder);
            QFile::remove(target);
            if (!bytes.isNull()) writeFile(target, bytes);
            commands.push_back({tinyTrain(folder + QStringLiteral("-run")), withEnv(QStringLiteral("IDENTITYLAB_MNIST_DIR"), folder)});
            tags << QLatin1String(tag);
        };
        const QByteArray images = idxImages(40);
        QByteArray wrongMagic = images;
        wrongMagic[3] = 0x01;
        const QByteArray gzip = gzipOf(images);
        QByteArray corruptGzip = gzip;
        for (qsizetype i = gzip.size() / 3; i < gzip.size() * 2 / 3; ++i) corruptGzip[i] = char(0x5a);
        const char* trainImages = "train-images-idx3-ubyte";
        row("missing file", trainImages, QByteArray(),
            {QStringLiteral("train-images-idx3-ubyte"), QStringLiteral("IDENTITYLAB_MNIST_DIR")});
        row("empty file", trainImages, QByteArray(""), {QStringLiteral("train-images-idx3-ubyte"), QStringLiteral("empty")});
        row("truncated", trainImages, images.left(images.size() - 1000),
            {QStringLiteral("train-images-idx3-ubyte"), QStringLiteral("truncated"), QStringLiteral("40 images of 28x28")});
        row("wrong magic", trainImages, wrongMagic,
            {QStringLiteral("wrong magic number"), QStringLiteral("0x00000803"), QStringLiteral("IDX label file")});
        row("wrong size", "t10k-images-idx3-ubyte", images + QByteArray(300, '\0'),
            {QStringLiteral("t10k-images-idx3-ubyte"), QStringLiteral("wrong size")});
        row("labels and images disagree", "train-labels-idx1-ubyte", idxLabels(39),
            {QStringLiteral("holds 40 images"), QStringLiteral("39")});
        row("corrupt gzip", trainImages, corruptGzip, {QStringLiteral("train-images-idx3-ubyte"), QStringLiteral("corrupt gzip")});
        row("truncated gzip", trainImages, gzip.left(gzip.size() / 2), {QStringLiteral("truncated"), QStringLiteral("interrupted")});
        const std::vector<Result> results = runAll(commands);
        for (int i = 0; i < tags.size(); ++i) results_[tags[i]] = results[std::size_t(i)];
    }
    void badMnistFiles_areRefusedNamingTheFile()
    {
        QFETCH(QStringList, mentions);
        QVERIFY(results_.contains(QLatin1String(QTest::currentDataTag())));
        const Result r = results_.value(QLatin1String(QTest::currentDataTag()));
        QVERIFY2(!r.crashed, qPrintable(r.err));
        QCOMPARE(r.exitCode, 2);
        for (const QString& m : mentions) QVERIFY2(r.err.contains(m), qPrintable(QStringLiteral("no '%1' in: %2").arg(m, r.err)));
        QCOMPARE(r.err.count(QLatin1Char('\n')), 1);  // one line, no stack trace or Qt noise
    }

    void gzNameButNotGzip_saysSo()
    {
        const QString folder = path(QStringLiteral("not-gzip"));
        writeMiniMnist(folder);
        QFile::remove(folder + QStringLiteral("/train-images-idx3-ubyte"));
        writeFile(folder + QStringLiteral("/train-images-idx3-ubyte.gz"), "<html>404 Not Found</html>\n");
        const Result r = runCli(tinyTrain(folder + QStringLiteral("-run")), withEnv(QStringLiteral("IDENTITYLAB_MNIST_DIR"), folder));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("not gzip data although the name ends in .gz")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("wrong magic number")), qPrintable(r.err));
    }

    void missingDataFolder_saysWhereAndHow()
    {
        const Result r = runCli(tinyTrain(path(QStringLiteral("x"))),
                                withEnv(QStringLiteral("IDENTITYLAB_MNIST_DIR"), QStringLiteral("/nonexistent/mnist")));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("/nonexistent/mnist")) && r.err.contains(QStringLiteral("does not exist")),
                 qPrintable(r.err));
    }

    void badCifarBatches_areRefused_data()
    {
        QTest::addColumn<int>("bytes");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("wrong size") << 3073 + 5 << QStringLiteral("not a multiple of 3073");
        QTest::newRow("empty") << 0 << QStringLiteral("empty");
    }
    void badCifarBatches_areRefused()
    {
        QFETCH(int, bytes);
        QFETCH(QString, mentions);
        const QString folder = path(QStringLiteral("cifar-%1").arg(bytes));
        QVERIFY(QDir().mkpath(folder));
        QByteArray record(3073, '\x10');
        record[0] = 3;
        for (const char* name : {"data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"})
            writeFile(folder + QLatin1Char('/') + QLatin1String(name), record);
        writeFile(folder + QStringLiteral("/data_batch_1.bin"), QByteArray(bytes, '\x01'));
        QStringList args = tinyTrain(folder + QStringLiteral("-run"));
        args << QStringLiteral("--set") << QStringLiteral("dataset=cifar10");
        const Result r = runCli(args, withEnv(QStringLiteral("IDENTITYLAB_CIFAR_DIR"), folder));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("data_batch_1.bin")) && r.err.contains(mentions), qPrintable(r.err));
    }

    void cudaWhereThereIsNone_isAClearError()
    {
        QStringList args = tinyTrain(path(QStringLiteral("cuda-run")));
        args << QStringLiteral("--set") << QStringLiteral("device=cuda");
        const Result r = runCli(args);
        if (r.exitCode == 0) QSKIP("this machine has CUDA");
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("CUDA was asked for")) && r.err.contains(QStringLiteral("\"cpu\"")), qPrintable(r.err));
    }

    void modelLargerThanMemory_isRefusedBeforeAllocating()
    {
        // ~1.9 TB of weights alone: more than any machine this runs on.
        const Result r =
            runCli({QStringLiteral("train"), QStringLiteral("--out"), path(QStringLiteral("huge")), QStringLiteral("--quiet"),
                    QStringLiteral("--set"), QStringLiteral("depth=30"), QStringLiteral("--set"), QStringLiteral("channels=4096"),
                    QStringLiteral("--set"), QStringLiteral("kernel_size=31"), QStringLiteral("--set"), QStringLiteral("image_size=112")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("this model needs about 5.7 TB to train, more than this machine can give")),
                 qPrintable(r.err));
        QVERIFY2(r.ms < 20000, qPrintable(QString::number(r.ms)));  // refused up front, not after trying
    }

    void unwritableOutputFolder_failsBeforeTraining()
    {
        writeFile(path(QStringLiteral("a-file")), "not a folder");
        const QString out = path(QStringLiteral("a-file/run"));
        const Result r = runCli(tinyTrain(out, 10000000));  // would train for hours
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(out) && r.err.contains(QStringLiteral("cannot create or write the output folder")), qPrintable(r.err));
        QVERIFY2(r.ms < 20000, qPrintable(QString::number(r.ms)));
    }

    // A full disk, simulated for the child alone: files may not grow beyond 8 KiB (writes past
    // it fail with EFBIG as they would with ENOSPC on a full disk; SIGXFSZ is ignored so the write
    // returns an error instead of killing the process).
    void fullDiskDuringExport_namesTheFile_andLeavesNoPartialFiles()
    {
        const QString out = path(QStringLiteral("full-disk"));
        const Result r = runCli(tinyTrain(out), QProcessEnvironment::systemEnvironment(), [] {
            ::signal(SIGXFSZ, SIG_IGN);
            struct rlimit limit {
                8192, 8192
            };
            ::setrlimit(RLIMIT_FSIZE, &limit);
        });
        QVERIFY2(!r.crashed, qPrintable(r.err));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("cannot write")) && r.err.contains(out), qPrintable(r.err));
        // Atomic writes: whatever is there is complete, and no temporary file is left behind.
        const QStringList expected{QStringLiteral("config.json"),
                                   QStringLiteral("metrics.json"),
                                   QStringLiteral("metrics.jsonl"),
                                   QStringLiteral("loss.csv"),
                                   QStringLiteral("probes.json"),
                                   QStringLiteral("probes_inputs.npy"),
                                   QStringLiteral("probes_outputs.npy"),
                                   QStringLiteral("activations.json"),
                                   QStringLiteral("checkpoint.pt"),
                                   QStringLiteral("probes.png"),
                                   QStringLiteral("activations.png"),
                                   QStringLiteral("rho.png"),
                                   QStringLiteral("loss.png")};
        const QRegularExpression layerArray(QStringLiteral("^activations_[0-9]{2}\\.npy$"));  // one per layer
        for (const QString& f : filesIn(out))
            QVERIFY2(expected.contains(f) || layerArray.match(f).hasMatch(), qPrintable(QStringLiteral("left behind: ") + f));
        if (QFile::exists(out + QStringLiteral("/config.json"))) {
            QFile config(out + QStringLiteral("/config.json"));
            QVERIFY(config.open(QIODevice::ReadOnly));
            QVERIFY(!QJsonDocument::fromJson(config.readAll()).isNull());
        }
        // With space again, the same command into the same folder succeeds.
        const Result again = runCli(tinyTrain(out));
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
        for (const QString& f : expected) QVERIFY2(filesIn(out).contains(f), qPrintable(f));
    }

    // The first Ctrl-C finishes the step and writes the results (tst_cli); a second one quits at
    // once, and SIGTERM behaves like the first.
    void secondCtrlC_quitsAtOnce_andSigtermStopsCleanly_data()
    {
        QTest::addColumn<int>("signal");
        QTest::addColumn<int>("times");
        QTest::addColumn<bool>("resultsWritten");
        QTest::newRow("Ctrl-C twice") << int(SIGINT) << 2 << false;
        QTest::newRow("SIGTERM") << int(SIGTERM) << 1 << true;
    }
    void secondCtrlC_quitsAtOnce_andSigtermStopsCleanly()
    {
        QFETCH(int, signal);
        QFETCH(int, times);
        QFETCH(bool, resultsWritten);
        const QString out = path(QStringLiteral("signal-%1-%2").arg(signal).arg(times));
        QProcess p;
        QStringList args = tinyTrain(out, 10000000);
        args.removeAll(QStringLiteral("--quiet"));
        p.start(QStringLiteral(IDENTITYLAB_CLI), args);
        QVERIFY(p.waitForStarted());
        for (int i = 0; i < 300 && !p.readAllStandardError().contains("step"); ++i) p.waitForReadyRead(100);
        for (int i = 0; i < times; ++i) ::kill(static_cast<pid_t>(p.processId()), signal);
        QElapsedTimer t;
        t.start();
        QVERIFY(p.waitForFinished(60000));
        qInfo("exit %d after %lld ms: %s", p.exitCode(), static_cast<long long>(t.elapsed()),
              qPrintable(QString::fromUtf8(p.readAllStandardError()).trimmed().replace(QLatin1Char('\n'), QStringLiteral(" | "))));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 130);
        // A second Ctrl-C may come while the results are being written: whatever is there is whole.
        if (resultsWritten) QVERIFY(QFile::exists(out + QStringLiteral("/metrics.json")));
        if (QFile::exists(out + QStringLiteral("/metrics.json"))) {
            QFile metrics(out + QStringLiteral("/metrics.json"));
            QVERIFY(metrics.open(QIODevice::ReadOnly));
            QVERIFY(!QJsonDocument::fromJson(metrics.readAll()).isNull());
        }
    }
};

QTEST_GUILESS_MAIN(TstCliErrors)
#include "tst_cli_errors.moc"
