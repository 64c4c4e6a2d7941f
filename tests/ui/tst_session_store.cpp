// The session on disk (ui/session/): the manifest's format and its versions, atomic run files,
// what a damaged or partial session gives (a message, a fresh start, the files kept as
// *.broken), the folder lock, and the autosave of a real MainWindow in this process: a finished
// run, the drawing, the probe drawings and the config come back in a new window; a run closed
// mid-training comes back interrupted with its weights; File > New session clears it all.
// Also measures the save of a 20-layer CNN run (qInfo lines).

#include <QAction>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QMenu>
#include <QMenuBar>
#include <QPainter>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>
#include <random>

#include <sys/resource.h>

#include "engine/config/config_json.h"
#include "engine/data/dataset.h"
#include "engine/train/model_size.h"
#include "engine/train/training_session.h"
#include "support/gui_test_helpers.h"
#include "ui/mainwindow/main_window.h"
#include "ui/panels/experiment_panel.h"
#include "ui/run/run_file.h"
#include "ui/session/session_autosave.h"
#include "ui/session/session_store.h"
#include "ui/views/canvas_view.h"
#include "ui/views/gallery_view.h"

using il::ui::MainWindow;
using il::ui::RunPtr;
using il::ui::RunRecord;
using il::ui::SessionAutosave;
using il::ui::SessionManifest;
using il::ui::SessionRunEntry;
using il::ui::SessionStore;
using il::ui::TrainingController;

namespace {

using il::test::waitFor;

il::Image noiseImage(int c, int h, int w, unsigned seed)
{
    std::mt19937 gen(seed);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    il::Image im(c, h, w);
    for (auto& v : im.pixels) v = u(gen);
    return im;
}

QImage strokeSheet()
{
    QImage sheet(280, 280, QImage::Format_Grayscale8);
    sheet.fill(0);
    QPainter p(&sheet);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(Qt::white, 22, Qt::SolidLine, Qt::RoundCap));
    p.drawLine(140, 40, 120, 240);
    p.drawLine(80, 60, 200, 60);
    return sheet;
}

// A run as the GUI keeps it: loss, frames with probes (and some activation maps), metrics.
RunRecord syntheticRun(const il::ExperimentConfig& config, int steps, int frames, int probes, int activationFrames, unsigned seed)
{
    RunRecord r;
    r.config = config;
    r.device = QStringLiteral("CPU, 2 threads");
    r.size = il::estimateModelSize(config);
    r.trainingImages = {noiseImage(1, 28, 28, seed)};
    for (int s = 0; s < steps; ++s) r.loss.push_back({s, 1.0 / (1 + s), 0.01});
    for (int f = 0; f < frames; ++f) {
        il::ui::TrainingFrame frame;
        frame.step = (f + 1) * std::max(1, steps / std::max(1, frames));
        frame.totalSteps = steps;
        frame.loss = 1.0 / (1 + frame.step);
        for (int p = 0; p < probes; ++p) {
            il::ProbeOutcome o;
            o.name = "probe " + std::to_string(p);
            o.group = il::ProbeGroup::Mnist;
            o.input = noiseImage(1, 28, 28, seed + 7 * p);
            o.output = noiseImage(1, 28, 28, seed + 11 * p + f);
            o.corrIdentity = 0.5;
            o.corrConstant = 0.25;
            frame.probes.push_back(o);
        }
        for (int i = 0; i <= 10; ++i) frame.rho.push_back({i / 10.0, 0.5, 0.5, 0.1, 0.1, il::Zone::C});
        if (f < activationFrames) {
            for (int l = 0; l <= config.depth; ++l) {
                frame.activations.layers.push_back("layer " + std::to_string(l));
                frame.activations.layerChannels.push_back(config.channels);
                std::vector<il::Image> row;
                for (int p = 0; p < 6; ++p) row.push_back(noiseImage(1, 28, 28, seed + 13 * l + p));
                frame.activations.maps.push_back(row);
            }
            for (int p = 0; p < 6; ++p) frame.activations.probes.push_back("probe " + std::to_string(p));
        }
        r.history.push_back(frame);
    }
    r.metrics.stepsDone = steps;
    r.metrics.finalLoss = r.loss.empty() ? 0.0 : r.loss.back().loss;
    r.metrics.probes = r.history.empty() ? std::vector<il::ProbeOutcome>{} : r.history.back().probes;
    r.finished = true;
    return r;
}

QString writeBytes(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) return {};
    f.write(bytes);
    return path;
}

QByteArray readBytes(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace

class SessionStoreTest : public QObject {
    Q_OBJECT

private:
    // Writes a session of `n` runs with the store's own functions, as the autosave does.
    static void writeSession(SessionStore& store, const QString& weightsDir, int n)
    {
        SessionManifest m;
        m.config = il::test::tinyCnn(7);
        for (int i = 1; i <= n; ++i) {
            const RunRecord r = syntheticRun(il::test::tinyCnn(20 + i), 20 + i, 3, 4, 1, 100u + unsigned(i));
            const QString weights =
                writeBytes(QDir(weightsDir).filePath(QStringLiteral("w%1.pt").arg(i)), QByteArray(1000 + i, char('a' + i)));
            QString error;
            const QString key = QStringLiteral("run-%1").arg(i);
            QVERIFY2(store.writeRun(r, weights, key, &error), qPrintable(error));
            SessionRunEntry e;
            e.key = key;
            e.title = r.title();
            e.inGallery = true;
            e.step = r.metrics.stepsDone;
            m.runs.push_back(e);
        }
        m.nextRun = n + 1;
        QString error;
        QVERIFY2(store.writeManifest(SessionStore::manifestToJson(m), &error), qPrintable(error));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("IdentityLabTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_session_store"));
    }

    void defaultDir_followsTheEnvironment()
    {
        QTemporaryDir tmp;
        qputenv(il::ui::kSessionDirVariable, tmp.path().toUtf8());
        QCOMPARE(SessionStore::defaultDir(), QDir(tmp.path()).absolutePath());
        qunsetenv(il::ui::kSessionDirVariable);
        QVERIFY(SessionStore::defaultDir().endsWith(QStringLiteral("/session")));
        QVERIFY(SessionStore::defaultDir().startsWith(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));
    }

    void manifest_roundTrip()
    {
        SessionManifest m;
        m.appVersion = QStringLiteral("9.9");
        m.config = il::test::tinyCnn(33);
        m.config->lr = 0.0125;
        m.canvas = strokeSheet();
        il::Probe p;
        p.name = "drawing 1";
        p.group = il::ProbeGroup::User;
        p.image = noiseImage(1, 28, 28, 5);
        m.probes = {p};
        SessionRunEntry a;
        a.key = QStringLiteral("run-3");
        a.title = QStringLiteral("CNN 2x4 k3 relu");
        a.inGallery = true;
        a.selected = true;
        a.step = 33;
        a.sourceFile = QStringLiteral("/home/x/run.ilrun");
        a.label = QStringLiteral("depth=2 seed=1");
        SessionRunEntry b;
        b.key = QStringLiteral("run-5");
        b.current = true;
        b.training = true;
        b.step = 120;
        m.runs = {a, b};
        m.nextRun = 6;

        const QByteArray json = SessionStore::manifestToJson(m);
        SessionManifest back;
        QString error;
        QVERIFY2(SessionStore::manifestFromJson(json, back, &error), qPrintable(error));
        QCOMPARE(back.appVersion, m.appVersion);
        QVERIFY(back.config);
        QCOMPARE(il::configToJson(*back.config).dump(-1), il::configToJson(*m.config).dump(-1));
        QCOMPARE(SessionAutosave::sheetDigest(back.canvas), SessionAutosave::sheetDigest(m.canvas));
        QCOMPARE(back.probes.size(), std::size_t(1));
        QCOMPARE(back.probes[0].name, p.name);
        QCOMPARE(back.probes[0].group, il::ProbeGroup::User);
        QCOMPARE(back.probes[0].image.pixels, p.image.pixels);  // bit for bit
        QCOMPARE(back.runs.size(), std::size_t(2));
        QCOMPARE(back.runs[0].key, a.key);
        QCOMPARE(back.runs[0].title, a.title);
        QVERIFY(back.runs[0].inGallery && back.runs[0].selected && !back.runs[0].current);
        QCOMPARE(back.runs[0].sourceFile, a.sourceFile);
        QCOMPARE(back.runs[0].label, a.label);
        QVERIFY(back.runs[1].current && back.runs[1].training);
        QCOMPARE(back.runs[1].step, 120);
        QCOMPARE(back.nextRun, 6);
        // Readable: the config inside is the same JSON as config.json.
        const QJsonObject root = QJsonDocument::fromJson(json).object();
        QCOMPARE(root.value(QStringLiteral("format")).toString(), QStringLiteral("identitylab-session"));
        QCOMPARE(root.value(QStringLiteral("version")).toInt(), il::ui::kSessionFormatVersion);
        QCOMPARE(root.value(QStringLiteral("config")).toObject().value(QStringLiteral("lr")).toDouble(), 0.0125);
    }

    void manifest_refusesWhatItCannotRead_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        QTest::newRow("garbage") << QByteArray("\x89PNG not json") << QStringLiteral("not valid JSON");
        QTest::newRow("truncated") << QByteArray("{\"format\": \"identitylab-session\", \"version\": 1, \"runs\": [")
                                   << QStringLiteral("not valid JSON");
        QTest::newRow("other format") << QByteArray(R"({"format": "something", "version": 1, "runs": []})")
                                      << QStringLiteral("not a session");
        QTest::newRow("newer") << QByteArray(R"({"format": "identitylab-session", "version": 2, "runs": []})")
                               << QStringLiteral("newer IdentityLab");
        QTest::newRow("no version") << QByteArray(R"({"format": "identitylab-session", "runs": []})") << QStringLiteral("version");
        QTest::newRow("path in key") << QByteArray(R"({"format": "identitylab-session", "version": 1, "runs": [{"key": "../../etc/x"}]})")
                                     << QStringLiteral("bad key");
        QTest::newRow("twice") << QByteArray(
                                      R"({"format": "identitylab-session", "version": 1, "runs": [{"key": "run-1"}, {"key": "run-1"}]})")
                               << QStringLiteral("twice");
        QTest::newRow("bad probe") << QByteArray(R"({"format": "identitylab-session", "version": 1, "runs": [],
                                        "probes": [{"name": "p", "channels": 1, "height": 28, "width": 28, "pixels": "AAAA"}]})")
                                   << QStringLiteral("damaged");
    }

    void manifest_refusesWhatItCannotRead()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        SessionManifest m;
        QString error;
        QVERIFY(!SessionStore::manifestFromJson(bytes, m, &error));
        QVERIFY2(error.contains(expected), qPrintable(error));
    }

    void manifest_badConfig_keepsTheRuns()
    {
        const QByteArray bytes = R"({"format": "identitylab-session", "version": 1, "config": {"depth": 0},
                                     "runs": [{"key": "run-1", "gallery": true}]})";
        SessionManifest m;
        QString error;
        QVERIFY2(SessionStore::manifestFromJson(bytes, m, &error), qPrintable(error));
        QVERIFY(!m.config);
        QVERIFY(m.configProblem.contains(QStringLiteral("depth")));
        QCOMPARE(m.runs.size(), std::size_t(1));
    }

    void store_writesAndLoadsRuns_weightsIncluded()
    {
        QTemporaryDir tmp, weights, out;
        SessionStore store(tmp.path());
        QString error;
        QVERIFY2(store.lock(&error), qPrintable(error));
        writeSession(store, weights.path(), 2);
        const il::ui::SessionLoad loaded = store.load(out.path());
        QVERIFY(loaded.found);
        QVERIFY(!loaded.manifestBroken);
        QVERIFY2(loaded.problems.isEmpty(), qPrintable(loaded.problems.join(QLatin1Char('\n'))));
        QCOMPARE(loaded.runs.size(), std::size_t(2));
        for (int i = 0; i < 2; ++i) {
            const RunRecord expected = syntheticRun(il::test::tinyCnn(21 + i), 21 + i, 3, 4, 1, 101u + unsigned(i));
            const RunRecord& r = *loaded.runs[std::size_t(i)].run;
            QCOMPARE(loaded.runs[std::size_t(i)].entry.key, QStringLiteral("run-%1").arg(i + 1));
            QCOMPARE(r.loss.size(), expected.loss.size());
            QCOMPARE(r.history.size(), expected.history.size());
            QCOMPARE(r.history.back().probes.back().output.pixels, expected.history.back().probes.back().output.pixels);
            QCOMPARE(r.history.front().activations.maps.size(), expected.history.front().activations.maps.size());
            QCOMPARE(il::configToJson(r.config).dump(-1), il::configToJson(expected.config).dump(-1));
            QVERIFY(r.finished);
            QVERIFY(r.checkpointPath.startsWith(out.path()));
            QCOMPARE(readBytes(r.checkpointPath), QByteArray(1000 + i + 1, char('a' + i + 1)));
        }
        QCOMPARE(loaded.manifest.nextRun, 3);
    }

    void store_brokenManifest_isKeptAside_andTheSessionStartsFresh()
    {
        QTemporaryDir tmp, weights, out;
        SessionStore store(tmp.path());
        QString error;
        QVERIFY(store.lock(&error));
        writeSession(store, weights.path(), 1);
        // A manifest cut short (a disk that filled up, a copy that stopped half way).
        const QByteArray full = readBytes(store.manifestPath());
        writeBytes(store.manifestPath(), full.left(full.size() / 2));
        const il::ui::SessionLoad loaded = store.load(out.path());
        QVERIFY(loaded.found);
        QVERIFY(loaded.manifestBroken);
        QVERIFY(loaded.runs.empty());
        QVERIFY(loaded.problems.join(QLatin1Char(' ')).contains(QStringLiteral("could not be read")));
        QVERIFY(loaded.problems.join(QLatin1Char(' ')).contains(QStringLiteral("session.json.broken")));
        QVERIFY(!QFileInfo::exists(store.manifestPath()));
        QCOMPARE(readBytes(store.manifestPath() + QStringLiteral(".broken")), full.left(full.size() / 2));  // kept, not deleted
        QVERIFY(QFileInfo::exists(store.runPath(QStringLiteral("run-1")) + QStringLiteral(".broken")));
        // Set aside again: an older .broken is not overwritten.
        writeBytes(store.manifestPath(), "{");
        const il::ui::SessionLoad again = store.load(out.path());
        QVERIFY(again.manifestBroken);
        QCOMPARE(QDir(tmp.path()).entryList({QStringLiteral("session.json*.broken")}).size(), 2);
    }

    void store_damagedRun_isKeptAside_theOthersComeBack()
    {
        QTemporaryDir tmp, weights, out;
        SessionStore store(tmp.path());
        QString error;
        QVERIFY(store.lock(&error));
        writeSession(store, weights.path(), 3);
        const QString damaged = store.runPath(QStringLiteral("run-2"));
        const QByteArray bytes = readBytes(damaged);
        writeBytes(damaged, bytes.left(bytes.size() - 700));    // truncated inside the weights
        QFile::remove(store.runPath(QStringLiteral("run-3")));  // and one missing
        const il::ui::SessionLoad loaded = store.load(out.path());
        QVERIFY(!loaded.manifestBroken);
        QCOMPARE(loaded.runs.size(), std::size_t(1));
        QCOMPARE(loaded.runs[0].entry.key, QStringLiteral("run-1"));
        QCOMPARE(loaded.problems.size(), 2);
        QVERIFY2(loaded.problems[0].contains(QStringLiteral("run-2.ilrun.broken")), qPrintable(loaded.problems[0]));
        QVERIFY2(loaded.problems[1].contains(QStringLiteral("missing")), qPrintable(loaded.problems[1]));
        QCOMPARE(readBytes(damaged + QStringLiteral(".broken")), bytes.left(bytes.size() - 700));
    }

    void store_filesTheManifestDoesNotName()
    {
        QTemporaryDir tmp, weights, out;
        SessionStore store(tmp.path());
        QString error;
        QVERIFY(store.lock(&error));
        writeSession(store, weights.path(), 1);
        const QString w = writeBytes(QDir(weights.path()).filePath(QStringLiteral("x.pt")), QByteArray(64, 'x'));
        // Older than the manifest: removed from the session, its deletion interrupted.
        QVERIFY(store.writeRun(syntheticRun(il::test::tinyCnn(5), 5, 1, 2, 0, 9), w, QStringLiteral("run-7"), &error));
        QFile old(store.runPath(QStringLiteral("run-7")));
        QVERIFY(old.open(QIODevice::ReadWrite));
        QVERIFY(old.setFileTime(QDateTime::currentDateTime().addSecs(-3600), QFileDevice::FileModificationTime));
        old.close();
        // Newer than the manifest: written just before a kill, before the manifest naming it.
        QFile manifest(store.manifestPath());
        QVERIFY(manifest.open(QIODevice::ReadWrite));
        QVERIFY(manifest.setFileTime(QDateTime::currentDateTime().addSecs(-60), QFileDevice::FileModificationTime));
        manifest.close();
        QVERIFY(store.writeRun(syntheticRun(il::test::tinyCnn(6), 6, 1, 2, 0, 10), w, QStringLiteral("run-8"), &error));
        // What an interrupted QSaveFile leaves, and an older set-aside file.
        writeBytes(QDir(tmp.path()).filePath(QStringLiteral("run-9.ilrun.aB3xYz")), "partial");
        writeBytes(QDir(tmp.path()).filePath(QStringLiteral("session.json.Qw12Er")), "partial");
        writeBytes(QDir(tmp.path()).filePath(QStringLiteral("run-4.ilrun.broken")), "kept");

        const il::ui::SessionLoad loaded = store.load(out.path());
        QVERIFY2(loaded.problems.isEmpty(), qPrintable(loaded.problems.join(QLatin1Char('\n'))));
        QCOMPARE(loaded.runs.size(), std::size_t(2));
        QCOMPARE(loaded.runs[1].entry.key, QStringLiteral("run-8"));
        QVERIFY(loaded.runs[1].entry.inGallery);
        QCOMPARE(loaded.runs[1].run->loss.size(), std::size_t(6));
        QVERIFY(!QFileInfo::exists(store.runPath(QStringLiteral("run-7"))));
        QVERIFY(!QFileInfo::exists(QDir(tmp.path()).filePath(QStringLiteral("run-9.ilrun.aB3xYz"))));
        QVERIFY(!QFileInfo::exists(QDir(tmp.path()).filePath(QStringLiteral("session.json.Qw12Er"))));
        QVERIFY(QFileInfo::exists(QDir(tmp.path()).filePath(QStringLiteral("run-4.ilrun.broken"))));
        QCOMPARE(loaded.manifest.nextRun, 9);
    }

    void store_cleanup_andClear()
    {
        QTemporaryDir tmp, weights;
        SessionStore store(tmp.path());
        QString error;
        QVERIFY(store.lock(&error));
        writeSession(store, weights.path(), 3);
        writeBytes(QDir(tmp.path()).filePath(QStringLiteral("run-4.ilrun.broken")), "kept");
        store.removeRunsExcept({QStringLiteral("run-2")});
        QVERIFY(!QFileInfo::exists(store.runPath(QStringLiteral("run-1"))));
        QVERIFY(QFileInfo::exists(store.runPath(QStringLiteral("run-2"))));
        QVERIFY(!QFileInfo::exists(store.runPath(QStringLiteral("run-3"))));
        QVERIFY(store.clear(&error));
        QVERIFY(!QFileInfo::exists(store.manifestPath()));
        QVERIFY(!QFileInfo::exists(store.runPath(QStringLiteral("run-2"))));
        QVERIFY(QFileInfo::exists(QDir(tmp.path()).filePath(QStringLiteral("run-4.ilrun.broken"))));
    }

    void store_writeFailure_leavesTheOldFile()
    {
        // A disk that fills up half way through a write: RLIMIT_FSIZE makes the write fail with
        // EFBIG (also as root), as ENOSPC would.
        QTemporaryDir tmp, weights;
        SessionStore store(tmp.path());
        QString error;
        QVERIFY(store.lock(&error));
        QVERIFY(store.writeManifest("first", &error));
        const RunRecord small = syntheticRun(il::test::tinyCnn(5), 5, 1, 2, 0, 1);
        const QString w = writeBytes(QDir(weights.path()).filePath(QStringLiteral("w.pt")), QByteArray(4096, 'w'));
        QVERIFY(store.writeRun(small, w, QStringLiteral("run-1"), &error));
        const QByteArray runBefore = readBytes(store.runPath(QStringLiteral("run-1")));
        const RunRecord big = syntheticRun(il::test::tinyCnn(500), 500, 40, 16, 0, 2);

        rlimit old{};
        QCOMPARE(getrlimit(RLIMIT_FSIZE, &old), 0);
        const auto previous = std::signal(SIGXFSZ, SIG_IGN);
        rlimit limit = old;
        limit.rlim_cur = 64 * 1024;
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &limit), 0);
        QString manifestError, runError;
        const bool manifestWritten = store.writeManifest(QByteArray(200 * 1024, ' '), &manifestError);
        const bool runWritten = store.writeRun(big, w, QStringLiteral("run-1"), &runError);
        setrlimit(RLIMIT_FSIZE, &old);
        std::signal(SIGXFSZ, previous);

        QVERIFY(!manifestWritten);
        QVERIFY2(manifestError.contains(store.manifestPath()), qPrintable(manifestError));
        QCOMPARE(readBytes(store.manifestPath()), QByteArray("first"));
        QVERIFY(!runWritten);
        QVERIFY(!runError.isEmpty());
        QCOMPARE(readBytes(store.runPath(QStringLiteral("run-1"))), runBefore);
        // No temporary file left beside them.
        QCOMPARE(QDir(tmp.path()).entryList(QDir::Files).size(), 3);  // session.json, session.lock, run-1.ilrun
    }

    void store_lock_oneProcessPerFolder()
    {
        QTemporaryDir tmp;
        SessionStore first(tmp.path());
        SessionStore second(tmp.path());
        QString error;
        QVERIFY2(first.lock(&error), qPrintable(error));
        QVERIFY(!second.lock(&error));
        QVERIFY2(error.contains(QStringLiteral("another IdentityLab")), qPrintable(error));
        QVERIFY(error.contains(QString::number(QCoreApplication::applicationPid())));
        first.unlock();
        QVERIFY2(second.lock(&error), qPrintable(error));
        // A folder that cannot be created.
        SessionStore nowhere(QStringLiteral("/proc/identitylab-no-such-dir/session"));
        QVERIFY(!nowhere.lock(&error));
        QVERIFY(error.contains(QStringLiteral("cannot create")));
    }

    void weightsInterval_aTwentyLayerCnnIsNotRewrittenMoreThanOnceAMinute()
    {
        il::ExperimentConfig cnn20;
        cnn20.depth = 20;
        const long long params = il::estimateModelSize(cnn20).parameters();
        QVERIFY(params > 7'000'000);
        QVERIFY(SessionAutosave::weightsIntervalMs(params) >= 60000);  // its checkpoint is 59 MB
        QVERIFY(SessionAutosave::weightsIntervalMs(il::estimateModelSize(il::test::tinyCnn()).parameters()) <= 2100);
        QCOMPARE(SessionAutosave::weightsIntervalMs(1'000'000'000), 120000);
    }

    // --- the autosave of a real window -------------------------------------------------------

    void window_finishedRunDrawingProbesAndConfig_comeBack()
    {
        QTemporaryDir dir;
        QString sheet, probe;
        std::size_t lossPoints = 0;
        double finalLoss = 0.0;
        std::string config;
        {
            MainWindow w;
            SessionAutosave session(w.workspace(), &w, dir.path());
            QVERIFY(session.start());
            QVERIFY(session.restoreMessage().isEmpty());  // nothing to restore: no message
            QVERIFY(session.newSessionAction());
            il::ExperimentConfig c = il::test::tinyCnn(25);
            c.lr = 0.02;
            w.experimentPanel()->setConfig(c);
            QSignalSpy finished(&w, &MainWindow::runFinished);
            QVERIFY(w.startTraining() != 0);
            QVERIFY(finished.wait(60000));
            auto* canvas = w.canvasView()->canvas();
            canvas->drawStroke({{14.0, 5.0}, {12.0, 23.0}});
            w.addUserProbe(canvas->toModelInput(28));
            canvas->drawStroke({{8.0, 6.0}, {20.0, 6.0}});  // the canvas differs from the probe
            il::ExperimentConfig edited = c;
            edited.depth = 3;  // edited after the run
            w.experimentPanel()->setConfig(edited);
            QVERIFY(waitFor([&] { return session.stats().manifestWrites > 0 && session.stats().runWrites > 0; }, 10000));
            session.saveNow();
            sheet = SessionAutosave::sheetDigest(canvas->sheet());
            probe = SessionAutosave::imageDigest(w.workspace()->probes().front().image);
            lossPoints = w.workspace()->currentRun()->loss.size();
            finalLoss = w.workspace()->currentRun()->metrics.finalLoss;
            config = il::configToJson(w.experimentPanel()->config()).dump(-1);
            QVERIFY(session.stats().runWrites >= 1);  // the finished run (and autosaves while it trained)
        }
        MainWindow w;
        SessionAutosave session(w.workspace(), &w, dir.path());
        QVERIFY(session.start());
        QVERIFY2(session.restoreMessage().contains(QStringLiteral("Session restored")), qPrintable(session.restoreMessage()));
        QVERIFY(session.restoreMessage().contains(QStringLiteral("your drawing")));
        QCOMPARE(w.galleryView()->count(), 1);
        RunPtr run = w.galleryView()->runs().front();
        QCOMPARE(w.workspace()->currentRun(), run);
        QCOMPARE(run->loss.size(), lossPoints);
        QCOMPARE(run->metrics.finalLoss, finalLoss);
        QVERIFY(run->finished);
        QCOMPARE(il::configToJson(w.experimentPanel()->config()).dump(-1), config);
        QCOMPARE(SessionAutosave::sheetDigest(w.canvasView()->canvas()->sheet()), sheet);
        QCOMPARE(w.workspace()->probes().size(), std::size_t(1));
        QCOMPARE(SessionAutosave::imageDigest(w.workspace()->probes().front().image), probe);
        QCOMPARE(w.workspace()->probes().front().name, std::string("drawing 1"));
        // The weights are loaded: the run is live again (the canvas works on it).
        QVERIFY(waitFor([&] { return w.controller()->state() == TrainingController::State::Ready; }));
        QCOMPARE(w.controller()->currentRunId(), run->id);
        QVERIFY(!w.isWelcomeShown());
        // Nothing is rewritten for having been restored.
        session.saveNow();
        QCOMPARE(session.stats().runWrites, 0);
    }

    void window_closedWhileTraining_comesBackInterruptedWithItsWeights()
    {
        QTemporaryDir dir;
        int stepsAtClose = 0;
        {
            auto* w = new MainWindow;
            w->show();
            SessionAutosave session(w->workspace(), w, dir.path());
            QVERIFY(session.start());
            il::ExperimentConfig c = il::test::tinyCnn(1000000);
            c.snapshotEvery = 10;
            w->experimentPanel()->setConfig(c);
            QVERIFY(w->startTraining() != 0);
            // The autosave of the training run (2 s for a tiny model) writes its weights.
            QVERIFY(waitFor([&] { return session.stats().runWrites >= 1; }, 30000));
            const int autosaved = session.stats().runWrites;
            QVERIFY(waitFor([&] { return w->workspace()->currentRun()->loss.size() > 100; }));
            stepsAtClose = static_cast<int>(w->workspace()->currentRun()->loss.size());
            QVERIFY(w->close());  // takes a last checkpoint, then the window's own close
            QVERIFY(session.stats().runWrites > autosaved);
            const SessionAutosave::Stats s = session.stats();
            qInfo("tiny CNN autosave: %d checkpoints asked, %d run writes, last %.1f ms for %lld bytes, copy %.2f ms, manifest %.2f ms",
                  s.checkpointsRequested, s.runWrites, s.lastRunWriteMs, static_cast<long long>(s.lastRunBytes), s.lastCopyMs,
                  s.lastManifestMs);
            delete w;
        }
        MainWindow w;
        SessionAutosave session(w.workspace(), &w, dir.path());
        QVERIFY(session.start());
        QVERIFY2(session.restoreMessage().contains(QStringLiteral("interrupted")), qPrintable(session.restoreMessage()));
        RunPtr run = w.workspace()->currentRun();
        QVERIFY(run);
        QVERIFY(run->finished);
        QCOMPARE(run->metrics.stopReason, il::StopReason::Cancelled);
        QVERIFY(QString::fromStdString(run->metrics.stopDetail).contains(QStringLiteral("interrupted")));
        QCOMPARE(w.galleryView()->count(), 1);
        QVERIFY(!run->history.empty());
        // The weights of the last checkpoint come back, and the run's loss is exactly theirs.
        QVERIFY(waitFor([&] { return w.controller()->state() == TrainingController::State::Ready; }));
        QVERIFY(waitFor(
            [&] { return session.report().value(QStringLiteral("current")).toObject().value(QStringLiteral("evaluated")).toBool(); }));
        const QJsonObject current = session.report().value(QStringLiteral("current")).toObject();
        QVERIFY(current.value(QStringLiteral("weightsLoaded")).toBool());
        const int loaded = current.value(QStringLiteral("loadedStepsDone")).toInt();
        // The last checkpoint was taken at the close, after the steps seen before it.
        QVERIFY2(loaded >= stepsAtClose, qPrintable(QStringLiteral("%1 vs %2").arg(loaded).arg(stepsAtClose)));
        QCOMPARE(run->metrics.stepsDone, loaded);
        QCOMPARE(static_cast<int>(run->loss.size()), loaded);
    }

    void window_newSession_clearsTheWindowAndTheFiles()
    {
        QTemporaryDir dir;
        {
            MainWindow w;
            SessionAutosave session(w.workspace(), &w, dir.path());
            QVERIFY(session.start());
            w.experimentPanel()->setConfig(il::test::tinyCnn(10));
            QSignalSpy finished(&w, &MainWindow::runFinished);
            w.startTraining();
            QVERIFY(finished.wait(60000));
            w.addUserProbe(il::Image(1, 28, 28, 0.5f));
            session.saveNow();
        }
        QCOMPARE(QDir(dir.path()).entryList({QStringLiteral("run-*.ilrun")}).size(), 1);
        MainWindow w;
        SessionAutosave session(w.workspace(), &w, dir.path());
        QVERIFY(session.start());
        QCOMPARE(w.galleryView()->count(), 1);
        QMenu* file = w.fileMenu();  // File > New session, first entry
        QVERIFY(file);
        QCOMPARE(file->actions().first(), session.newSessionAction());
        session.newSessionAction()->trigger();  // offscreen: no question asked
        QCOMPARE(w.galleryView()->count(), 0);
        QVERIFY(!w.workspace()->currentRun());
        QVERIFY(w.workspace()->probes().empty());
        QVERIFY(w.isWelcomeShown());
        session.saveNow();
        QCOMPARE(QDir(dir.path()).entryList({QStringLiteral("run-*.ilrun")}).size(), 0);
        SessionManifest m;
        QString error;
        QVERIFY(SessionStore::manifestFromJson(readBytes(QDir(dir.path()).filePath(QStringLiteral("session.json"))), m, &error));
        QVERIFY(m.runs.empty());
        QVERIFY(m.probes.empty());
    }

    void window_secondWindowOnTheSameFolder_doesNotSave()
    {
        QTemporaryDir dir;
        MainWindow a, b;
        SessionAutosave first(a.workspace(), &a, dir.path());
        SessionAutosave second(b.workspace(), &b, dir.path());
        QVERIFY(first.start());
        QVERIFY(!second.start());
        QVERIFY(!second.isActive());
        QVERIFY2(second.restoreMessage().contains(QStringLiteral("not saved")), qPrintable(second.restoreMessage()));
        QVERIFY(!second.newSessionAction()->isEnabled());
    }

    // --- measured: the save of a 20-layer CNN run --------------------------------------------

    void measure_saveOfA20LayerCnnRun()
    {
        // The paper's 20-layer CNN (128 channels, 5x5): the weights and the optimiser state of
        // a real session after one step (on 8x8 images to keep the step short; the weights do not
        // depend on the image size), the history of a 2000-step run as the GUI keeps it.
        il::ExperimentConfig config;
        config.depth = 20;
        il::ExperimentConfig small = config;
        small.imageSize = 8;
        small.rhoSamples = 1;
        QTemporaryDir tmp;
        const QString checkpoint = QDir(tmp.path()).filePath(QStringLiteral("cnn20.pt"));
        {
            il::TrainingSession session(small, il::DataLocations::fromEnvironment());
            session.step();
            session.saveCheckpoint(checkpoint.toStdString());
        }
        const qint64 weightBytes = QFileInfo(checkpoint).size();
        auto run = std::make_shared<RunRecord>(syntheticRun(config, 2000, 50, 16, 10, 1));

        QElapsedTimer clock;
        clock.start();
        RunRecord copy = *run;  // what the GUI thread does before handing it to the writer
        const double copyMs = clock.nsecsElapsed() / 1e6;
        SessionStore store(QDir(tmp.path()).filePath(QStringLiteral("session")));
        QString error;
        QVERIFY(store.lock(&error));
        clock.restart();
        QVERIFY2(store.writeRun(copy, checkpoint, QStringLiteral("run-1"), &error), qPrintable(error));
        const double writeMs = clock.nsecsElapsed() / 1e6;
        const qint64 fileBytes = QFileInfo(store.runPath(QStringLiteral("run-1"))).size();
        clock.restart();
        RunRecord back;
        QVERIFY(il::ui::loadRunFile(store.runPath(QStringLiteral("run-1")), QDir(tmp.path()).filePath(QStringLiteral("back.pt")), back,
                                    &error));
        const double readMs = clock.nsecsElapsed() / 1e6;
        qInfo(
            "CNN 20x128 k5 run: %lld parameters, checkpoint (weights + SGD momentum) %lld bytes, run file %lld bytes "
            "(2000 loss points, 50 frames of 16 probes, 10 with activation maps); GUI-thread copy %.1f ms, "
            "write %.0f ms, read back %.0f ms; autosave interval %d ms",
            static_cast<long long>(il::estimateModelSize(config).parameters()), static_cast<long long>(weightBytes),
            static_cast<long long>(fileBytes), copyMs, writeMs, readMs,
            SessionAutosave::weightsIntervalMs(il::estimateModelSize(config).parameters()));
        QVERIFY(weightBytes > 50'000'000);  // ~7.4 M parameters, twice (momentum)
        QCOMPARE(readBytes(back.checkpointPath).size(), weightBytes);
        QVERIFY2(copyMs < 250, qPrintable(QString::number(copyMs)));
        QVERIFY2(writeMs < 10000, qPrintable(QString::number(writeMs)));
    }
};

QTEST_MAIN(SessionStoreTest)
#include "tst_session_store.moc"
