// The desktop app given bad input, offscreen: each case shows a message that names the problem
// (in the training bar, the status bar, or as the error of the call a dialog would show), and
// the app stays usable: a good run afterwards trains to the end in the same window
// (docs/reliability.md has the table). Dialogs are not opened: the tests call the functions
// the dialogs call and read the message they would show.

#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <sys/resource.h>

#include <csignal>

#include "engine/config/config_json.h"
#include "support/bad_files.h"
#include "support/gui_test_helpers.h"
#include "support/memory_probe.h"
#include "ui/mainwindow/main_window.h"
#include "ui/panels/experiment_panel.h"
#include "ui/panels/training_bar.h"
#include "ui/run/run_file.h"
#include "ui/views/canvas_view.h"
#include "ui/views/gallery_view.h"

using il::ui::MainWindow;
using il::ui::TrainingController;

namespace {

using il::test::waitFor;

il::ExperimentConfig tiny(int steps = 5)
{
    il::ExperimentConfig c = il::test::tinyFcn(steps);
    c.imageSize = 7;
    c.rhoSamples = 1;
    return c;
}

// Sets `config` in the panel and presses Train; returns the run's finish (or failure) message.
struct Attempt {
    bool started = false;
    bool finished = false;
    bool failed = false;
    QString failure;
    il::StopReason reason = il::StopReason::Completed;
};

Attempt trainThroughTheWindow(MainWindow& w, const il::ExperimentConfig& config)
{
    Attempt a;
    QSignalSpy finished(&w, &MainWindow::runFinished);
    QSignalSpy failed(w.controller(), &TrainingController::sessionFailed);
    w.experimentPanel()->setConfig(config);
    a.started = w.startTraining() != 0;
    if (!a.started) return a;
    waitFor([&] { return finished.count() > 0 || failed.count() > 0; });
    a.finished = finished.count() > 0;
    a.failed = failed.count() > 0;
    if (a.failed) a.failure = failed.first().at(1).toString();
    if (a.finished) a.reason = w.workspace()->currentRun()->metrics.stopReason;
    return a;
}

// The app is usable: a good tiny run trains to its end in this window.
bool goodRunCompletes(MainWindow& w)
{
    const Attempt a = trainThroughTheWindow(w, tiny());
    return a.finished && a.reason == il::StopReason::Completed;
}

// A full disk for this process, for the lifetime of the object: files cannot grow beyond
// `bytes` (writes past it fail with EFBIG, as they would with ENOSPC).
class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes)
    {
        previousHandler_ = ::signal(SIGXFSZ, SIG_IGN);
        ::getrlimit(RLIMIT_FSIZE, &previous_);
        struct rlimit limit {
            bytes, previous_.rlim_max
        };
        ok_ = ::setrlimit(RLIMIT_FSIZE, &limit) == 0;
    }
    ~FileSizeLimit()
    {
        ::setrlimit(RLIMIT_FSIZE, &previous_);
        ::signal(SIGXFSZ, previousHandler_);
    }
    bool ok() const { return ok_; }

private:
    struct rlimit previous_ {};
    void (*previousHandler_)(int) = nullptr;
    bool ok_ = false;
};

QStringList strayFiles(const QString& folder, const QStringList& allowedSuffixes)
{
    QStringList stray;
    for (const QString& f : QDir(folder).entryList(QDir::Files | QDir::Hidden)) {
        bool ok = false;
        for (const QString& s : allowedSuffixes) ok = ok || f.endsWith(s);
        if (!ok) stray << f;
    }
    return stray;
}

}  // namespace

class BadInputsTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    QString path(const QString& name) const { return dir_.filePath(name); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("IdentityLabTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_bad_inputs"));
    }

    void cleanup() { qunsetenv("IDENTITYLAB_MNIST_DIR"); }

    // Missing folder, then a truncated file: each refused with the reason; repaired in place,
    // the same window trains (failed loads are not cached).
    void badDataFolder_isReported_andTheWindowTrainsOnceRepaired()
    {
        const QString folder = path(QStringLiteral("mnist"));
        qputenv("IDENTITYLAB_MNIST_DIR", folder.toLocal8Bit());
        MainWindow w;
        Attempt a = trainThroughTheWindow(w, tiny());
        QVERIFY(a.failed);
        QVERIFY2(a.failure.contains(folder) && a.failure.contains(QStringLiteral("does not exist")), qPrintable(a.failure));
        QVERIFY2(w.trainingBar()->statusText().contains(QStringLiteral("Cannot train")), qPrintable(w.trainingBar()->statusText()));
        QVERIFY(w.statusBar()->currentMessage().contains(folder));
        QVERIFY(!w.workspace()->currentRun());  // nothing half-built is kept

        QVERIFY(il::test::writeMiniMnist(folder));
        const QByteArray images = il::test::idxImages(40);
        QVERIFY(il::test::writeFile(folder + QStringLiteral("/train-images-idx3-ubyte"), images.left(images.size() - 500)));
        a = trainThroughTheWindow(w, tiny());
        QVERIFY(a.failed);
        QVERIFY2(a.failure.contains(QStringLiteral("train-images-idx3-ubyte: truncated")), qPrintable(a.failure));
        QVERIFY(w.trainingBar()->startButton()->isEnabled());

        QVERIFY(il::test::writeFile(folder + QStringLiteral("/train-images-idx3-ubyte"), images));
        QVERIFY(goodRunCompletes(w));
    }

    void badConfigFiles_areRefusedNamingTheProblem_andThePanelKeepsItsConfig_data()
    {
        QTest::addColumn<QByteArray>("contents");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("malformed JSON") << QByteArray("{\"depth\": 3,}") << QStringLiteral("line 1, column 13: trailing comma");
        QTest::newRow("depth 0") << QByteArray("{\"depth\": 0}") << QStringLiteral("\"depth\": 0 is out of range; accepted 1 to 30");
        QTest::newRow("negative lr") << QByteArray("{\"lr\": -0.1}") << QStringLiteral("\"lr\": must be a positive number");
        QTest::newRow("even kernel") << QByteArray("{\"kernel_size\": 4}") << QStringLiteral("4 is even");
        QTest::newRow("kernel larger than image")
            << QByteArray("{\"kernel_size\": 9, \"image_size\": 7}") << QStringLiteral("larger than the image (7 pixels)");
        QTest::newRow("image size 1") << QByteArray("{\"image_size\": 1}") << QStringLiteral("accepted 7 to 112 pixels");
        QTest::newRow("steps 0") << QByteArray("{\"steps\": 0}") << QStringLiteral("\"steps\": 0 is out of range");
        QTest::newRow("unknown key") << QByteArray("{\"dept\": 3}") << QStringLiteral("unknown config key \"dept\"");
        QTest::newRow("not JSON at all") << QByteArray("\x89PNG\r\n", 6) << QStringLiteral("line 1, column 1");
    }
    void badConfigFiles_areRefusedNamingTheProblem_andThePanelKeepsItsConfig()
    {
        QFETCH(QByteArray, contents);
        QFETCH(QString, mentions);
        const QString file = path(QStringLiteral("config-%1.json").arg(QString::number(qHash(contents))));
        QVERIFY(il::test::writeFile(file, contents));
        MainWindow w;
        w.experimentPanel()->setConfig(tiny());
        const il::json::Value before = il::configToJson(w.experimentPanel()->config());
        QString error;
        QVERIFY(!w.openFile(file, &error));
        qInfo("%s", qPrintable(error));
        QVERIFY2(error.contains(file) && error.contains(mentions), qPrintable(error));
        QVERIFY(w.statusBar()->currentMessage().contains(mentions));
        QCOMPARE(il::configToJson(w.experimentPanel()->config()), before);
    }

    void badConfigFile_thenAGoodRun()
    {
        QVERIFY(il::test::writeFile(path(QStringLiteral("bad.json")), "{\"depth\": 0}"));
        MainWindow w;
        QVERIFY(!w.openFile(path(QStringLiteral("bad.json"))));
        QVERIFY(goodRunCompletes(w));
    }

    void notAnImage_andAHugeImage_areRefusedWithAReason()
    {
        MainWindow w;
        il::ui::CanvasView* canvas = w.canvasView();
        QString error;

        QVERIFY(il::test::writeFile(path(QStringLiteral("notes.png")), "these are my notes, not a picture\n"));
        QVERIFY(!canvas->loadImage(path(QStringLiteral("notes.png")), &error));
        qInfo("not an image: %s", qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("notes.png")) && error.contains(QStringLiteral("not an image")), qPrintable(error));
        QVERIFY(canvas->canvas()->isBlank());

        // A 100000 x 100000 picture in a few kilobytes: refused from its header, nothing decoded.
        QVERIFY(il::test::writeFile(path(QStringLiteral("bomb.png")), il::test::pngClaiming(100000, 100000)));
        const long long before = il::test::residentBytesAfterTrim();
        QElapsedTimer t;
        t.start();
        QVERIFY(!canvas->loadImage(path(QStringLiteral("bomb.png")), &error));
        qInfo("huge image (%lld ms): %s", static_cast<long long>(t.elapsed()), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("100000 x 100000 pixels (10000 megapixels)")) &&
                     error.contains(QStringLiteral("above 60 megapixels are refused")),
                 qPrintable(error));
        QVERIFY(t.elapsed() < 2000);
        QVERIFY((il::test::residentBytesAfterTrim() - before) < (64 << 20));
        QVERIFY(canvas->canvas()->isBlank());

        // A photo-sized picture is decoded at most 2048 pixels on a side, and lands on the canvas.
        QImage photo(6000, 4000, QImage::Format_Grayscale8);
        photo.fill(0);
        for (int y = 1000; y < 3000; ++y)
            for (int x = 2800; x < 3200; ++x) photo.setPixel(x, y, qRgb(255, 255, 255));
        QVERIFY(photo.save(path(QStringLiteral("photo.png"))));
        QVERIFY2(canvas->loadImage(path(QStringLiteral("photo.png")), &error), qPrintable(error));
        QVERIFY(!canvas->canvas()->isBlank());
        QVERIFY(goodRunCompletes(w));
    }

    void divergingLearningRate_isShownAsDiverged_andTheNextRunTrains()
    {
        MainWindow w;
        il::ExperimentConfig c = il::test::tinyCnn(200);
        c.lr = 90.0;
        c.schedule = il::Schedule::Constant;
        const Attempt a = trainThroughTheWindow(w, c);
        QVERIFY(a.finished);
        QCOMPARE(a.reason, il::StopReason::Diverged);
        qInfo("diverged: %s", qPrintable(w.trainingBar()->statusText()));
        QVERIFY2(w.trainingBar()->statusText().contains(QStringLiteral("Diverged")), qPrintable(w.trainingBar()->statusText()));
        QVERIFY(w.workspace()->currentRun()->statusText().startsWith(QStringLiteral("DIVERGED: the loss became")));
        QCOMPARE(w.galleryView()->count(), 1);  // kept, marked
        QVERIFY(goodRunCompletes(w));
    }

    void modelLargerThanMemory_cannotBeStarted()
    {
        MainWindow w;
        il::ExperimentConfig c;
        c.depth = 30;
        c.channels = 4096;
        c.kernelSize = 31;
        c.imageSize = 112;
        w.experimentPanel()->setConfig(c);
        QVERIFY(!w.experimentPanel()->isValid());
        QVERIFY(!w.trainingBar()->startButton()->isEnabled());
        QCOMPARE(w.startTraining(), quint64(0));
        QVERIFY2(w.trainingBar()->statusText().contains(QStringLiteral("more than this machine can give")),
                 qPrintable(w.trainingBar()->statusText()));
        QVERIFY(goodRunCompletes(w));
    }

    void cudaWhereThereIsNone_isAClearError()
    {
        MainWindow w;
        il::ExperimentConfig c = tiny();
        c.device = il::DevicePreference::Cuda;
        const Attempt a = trainThroughTheWindow(w, c);
        if (a.finished) QSKIP("this machine has CUDA");
        QVERIFY(a.failed);
        QVERIFY2(a.failure.contains(QStringLiteral("CUDA was asked for")), qPrintable(a.failure));
        QVERIFY(w.trainingBar()->statusText().contains(QStringLiteral("CUDA was asked for")));
        QVERIFY(goodRunCompletes(w));
    }

    void unwritableExportFolder_isReported()
    {
        MainWindow w;
        QVERIFY(goodRunCompletes(w));
        QVERIFY(il::test::writeFile(path(QStringLiteral("a-file")), "x"));
        const QString folder = path(QStringLiteral("a-file/figures"));
        QString error;
        QVERIFY(!w.exportAll(folder, 1, &error));
        qInfo("export all: %s", qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("Cannot create the folder")) && error.contains(folder), qPrintable(error));
        QVERIFY(!w.exportView(w.view(QStringLiteral("outputs")), folder + QStringLiteral("/outputs.png"), 1, &error));
        qInfo("export view: %s", qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("does not exist")) || error.contains(QStringLiteral("not a folder")), qPrintable(error));
        QVERIFY(!w.saveRun(w.workspace()->currentRun(), folder + QStringLiteral("/run.ilrun"), &error));
        qInfo("save run: %s", qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("run.ilrun")), qPrintable(error));
        QVERIFY(w.exportAll(path(QStringLiteral("figures-ok")), 1, &error));
    }

    void fullDiskDuringExportAndSave_isReported_andLeavesNoPartialFiles()
    {
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QVERIFY(goodRunCompletes(w));
        const QString folder = path(QStringLiteral("full-disk"));
        QVERIFY(QDir().mkpath(folder));
        QString exportError, saveError;
        bool exported = true, saved = true;
        {
            const FileSizeLimit full(4096);
            QVERIFY(full.ok());
            exported = w.exportAll(folder, 2, &exportError);
            saved = w.saveRun(w.workspace()->currentRun(), folder + QStringLiteral("/run.ilrun"), &saveError);
        }
        qInfo("export: %s", qPrintable(exportError));
        qInfo("save: %s", qPrintable(saveError));
        QVERIFY(!exported);
        QVERIFY2(exportError.contains(QStringLiteral("outputs.png: the write failed (is the disk full?)")), qPrintable(exportError));
        QVERIFY2(!exportError.contains(QStringLiteral("Unknown error")), qPrintable(exportError));
        QVERIFY(!saved);
        QVERIFY2(saveError.contains(QStringLiteral("run.ilrun: the write failed (is the disk full?)")), qPrintable(saveError));
        const QStringList allowed{QStringLiteral(".png"),   QStringLiteral(".svg"), QStringLiteral(".pdf"), QStringLiteral(".json"),
                                  QStringLiteral(".jsonl"), QStringLiteral(".csv"), QStringLiteral(".npy")};
        QVERIFY2(strayFiles(folder, allowed).isEmpty(), qPrintable(strayFiles(folder, allowed).join(QLatin1Char(' '))));
        QVERIFY(!QFile::exists(folder + QStringLiteral("/run.ilrun")));
        // Space again: the same export and save succeed.
        QVERIFY2(w.exportAll(folder, 2, &exportError), qPrintable(exportError));
        QVERIFY2(w.saveRun(w.workspace()->currentRun(), folder + QStringLiteral("/run.ilrun"), &saveError), qPrintable(saveError));
        il::ui::RunRecord back;
        QVERIFY(il::ui::loadRunFile(folder + QStringLiteral("/run.ilrun"), path(QStringLiteral("back.pt")), back, &saveError));
    }

    void runFilesFromOtherVersionsOrDamaged_areRefused_andTheGoodOneOpens()
    {
        MainWindow w;
        QVERIFY(goodRunCompletes(w));
        const QString good = path(QStringLiteral("good.ilrun"));
        QString error;
        QVERIFY2(w.saveRun(w.workspace()->currentRun(), good, &error), qPrintable(error));
        QFile f(good);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();

        auto variant = [&](const QString& name, QByteArray b) { QVERIFY(il::test::writeFile(path(name), b)); };
        QByteArray newer = bytes;
        newer[7] = 3;  // run file format 3 (big-endian quint32 after the magic)
        variant(QStringLiteral("newer.ilrun"), newer);
        QByteArray older = bytes;
        older[7] = 0;
        variant(QStringLiteral("older.ilrun"), older);
        variant(QStringLiteral("truncated.ilrun"), bytes.left(bytes.size() / 2));
        QByteArray damaged = bytes;
        for (qsizetype i = 200; i < 260 && i < damaged.size(); ++i) damaged[i] = char(0xff);
        variant(QStringLiteral("damaged.ilrun"), damaged);

        QVERIFY(!w.openFile(path(QStringLiteral("newer.ilrun")), &error));
        qInfo("newer: %s", qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("was written by a newer version of IdentityLab (run file format 3; this version "
                                               "reads format 2)")),
                 qPrintable(error));
        QVERIFY(!w.openFile(path(QStringLiteral("older.ilrun")), &error));
        qInfo("older: %s", qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("uses run file format 0")), qPrintable(error));
        QVERIFY(!w.openFile(path(QStringLiteral("truncated.ilrun")), &error));
        qInfo("truncated: %s", qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("is damaged or truncated")), qPrintable(error));
        QVERIFY(!w.openFile(path(QStringLiteral("damaged.ilrun")), &error));
        qInfo("damaged: %s", qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("damaged.ilrun")) &&
                     (error.contains(QStringLiteral("is damaged or truncated")) || error.contains(QStringLiteral("is not valid"))),
                 qPrintable(error));
        const int galleryBefore = w.galleryView()->count();
        QVERIFY2(w.openFile(good, &error), qPrintable(error));
        QCOMPARE(w.galleryView()->count(), galleryBefore + 1);
    }

    void closingTheWindowDuringASweep_isPrompt()
    {
        auto* w = new MainWindow;
        w->show();
        il::ExperimentConfig c = il::test::tinyCnn(1000000);
        w->queueSweep({c, c, c});
        QVERIFY(waitFor([&] { return w->controller()->state() == TrainingController::State::Running; }));
        QCOMPARE(w->workspace()->sweepRemaining(), 2);
        QElapsedTimer t;
        t.start();
        QVERIFY(w->close());
        delete w;
        QVERIFY2(t.elapsed() < 10000, qPrintable(QString::number(t.elapsed())));
    }

    // "Save run" while training is asynchronous (the worker writes the weights between two
    // steps); closing the window right after must neither crash nor lose the file.
    void closingTheWindowWhileARunIsBeingSaved_writesTheFile_data()
    {
        QTest::addColumn<bool>("training");
        QTest::newRow("while training") << true;
        QTest::newRow("untrained model (Reset)") << false;
    }
    void closingTheWindowWhileARunIsBeingSaved_writesTheFile()
    {
        QFETCH(bool, training);
        auto* w = new MainWindow;
        w->show();
        // Steps of a tenth of a second or more: the save is served after the window began closing.
        il::ExperimentConfig c = il::test::tinyCnn(1000000);
        c.depth = 8;
        c.channels = 48;
        c.kernelSize = 5;
        w->experimentPanel()->setConfig(c);
        if (training) {
            QVERIFY(w->startTraining());
            QVERIFY(waitFor([&] { return w->workspace()->currentRun() && w->workspace()->currentRun()->loss.size() >= 1; }));
        } else {
            w->resetModel();
            QVERIFY(waitFor([&] { return w->controller()->state() == TrainingController::State::Ready; }));
        }
        const QString target = path(QStringLiteral("saved-while-closing-%1.ilrun").arg(training));
        QString error;
        QVERIFY2(w->saveCurrentRun(target, &error), qPrintable(error));
        QElapsedTimer t;
        t.start();
        QVERIFY(w->close());
        delete w;
        QVERIFY2(t.elapsed() < 10000, qPrintable(QString::number(t.elapsed())));
        il::ui::RunRecord back;
        QVERIFY2(il::ui::loadRunFile(target, path(QStringLiteral("closing.pt")), back, &error), qPrintable(error));
        QCOMPARE(back.loss.empty(), !training);
    }
};

QTEST_MAIN(BadInputsTest)
#include "tst_bad_inputs.moc"
