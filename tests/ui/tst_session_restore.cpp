// Killing the app mid-training and starting it again brings back the session (issue 6,
// "Done when"). The real identitylab executable runs offscreen in its own session folder
// (IDENTITYLAB_SESSION_DIR) and its own settings (XDG_CONFIG_HOME), driven through QProcess
// as a user's script would: a tiny CNN trains, a picture is drawn and added to the probe set,
// the autosave writes, SIGKILL; the next start restores silently and --session-report writes
// what the window shows. Also: a damaged session starts fresh with its files kept aside, and
// a second instance does not write over the first one's session.

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPainter>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "engine/config/config_json.h"
#include "support/gui_test_helpers.h"
#include "ui/run/run_file.h"
#include "ui/session/session_autosave.h"
#include "ui/session/session_store.h"

// IDENTITYLAB_GUI, the identitylab executable, is defined by tests/CMakeLists.txt.

using il::ui::SessionAutosave;
using il::ui::SessionManifest;
using il::ui::SessionRunEntry;
using il::ui::SessionStore;

class SessionRestoreTest : public QObject {
    Q_OBJECT

private:
    QProcessEnvironment environment(const QTemporaryDir& home, const QString& sessionDir) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("OMP_WAIT_POLICY"), QStringLiteral("PASSIVE"));
        env.insert(QString::fromLatin1(il::ui::kSessionDirVariable), sessionDir);
        // The user's own settings and data stay out of it.
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), QDir(home.path()).filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), QDir(home.path()).filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), QDir(home.path()).filePath(QStringLiteral("cache")));
        return env;
    }

    static bool readManifest(const QString& sessionDir, SessionManifest& m)
    {
        QFile f(QDir(sessionDir).filePath(QStringLiteral("session.json")));
        if (!f.open(QIODevice::ReadOnly)) return false;
        QString error;
        return SessionStore::manifestFromJson(f.readAll(), m, &error);
    }

    static const SessionRunEntry* trainingEntry(const SessionManifest& m)
    {
        for (const auto& e : m.runs)
            if (e.training) return &e;
        return nullptr;
    }

    // Starts the app with --session-report and returns the report (empty on failure).
    QJsonObject report(const QTemporaryDir& home, const QString& sessionDir, QString* log = nullptr)
    {
        const QString path = QDir(home.path()).filePath(QStringLiteral("report-%1.json").arg(++reports_));
        QProcess app;
        app.setProcessEnvironment(environment(home, sessionDir));
        app.setProcessChannelMode(QProcess::MergedChannels);
        app.start(QStringLiteral(IDENTITYLAB_GUI), {QStringLiteral("--session-report"), path});
        const bool done = app.waitForFinished(120000);
        const QString output = QString::fromLocal8Bit(app.readAll());
        if (log) *log = output;
        if (!done || app.exitStatus() != QProcess::NormalExit || app.exitCode() != 0) {
            qWarning("identitylab --session-report failed (exit %d): %s", app.exitCode(), qPrintable(output));
            if (!done) app.kill();
            return {};
        }
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) return {};
        return QJsonDocument::fromJson(f.readAll()).object();
    }

    int reports_ = 0;

private Q_SLOTS:
    void initTestCase() { QVERIFY2(QFileInfo::exists(QStringLiteral(IDENTITYLAB_GUI)), IDENTITYLAB_GUI); }

    void killedMidTraining_theRunTheConfigAndTheDrawingComeBack()
    {
        QTemporaryDir home;
        const QString sessionDir = QDir(home.path()).filePath(QStringLiteral("session"));
        il::ExperimentConfig config = il::test::tinyCnn(1000000);  // still training when killed
        config.snapshotEvery = 10;
        config.lr = 0.02;
        const QString configPath = QDir(home.path()).filePath(QStringLiteral("tiny.json"));
        {
            QFile f(configPath);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray::fromStdString(il::configToJson(config).dump(2)));
        }
        // A picture of a digit-like shape, as Draw > Load picture takes it.
        const QString picture = QDir(home.path()).filePath(QStringLiteral("drawing.png"));
        {
            QImage image(200, 200, QImage::Format_RGB32);
            image.fill(Qt::black);
            QPainter p(&image);
            p.setRenderHint(QPainter::Antialiasing);
            p.setPen(QPen(Qt::white, 18, Qt::SolidLine, Qt::RoundCap));
            p.drawLine(60, 40, 150, 40);
            p.drawLine(150, 40, 90, 170);
            p.end();
            QVERIFY(image.save(picture));
        }

        QProcess app;
        app.setProcessEnvironment(environment(home, sessionDir));
        app.setProcessChannelMode(QProcess::MergedChannels);
        app.start(QStringLiteral(IDENTITYLAB_GUI), {configPath, QStringLiteral("--train"), QStringLiteral("--probe-image"), picture});
        QVERIFY(app.waitForStarted(30000));

        // Wait for an autosave of the training run with a few dozen steps in it.
        SessionManifest before;
        const SessionRunEntry* entry = nullptr;
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < 120000) {
            if (readManifest(sessionDir, before) && (entry = trainingEntry(before)) && entry->step >= 30 && !before.canvas.isNull() &&
                before.probes.size() == 1)
                break;
            entry = nullptr;
            QVERIFY2(app.state() == QProcess::Running, qPrintable(QString::fromLocal8Bit(app.readAll())));
            QTest::qWait(100);
        }
        QVERIFY2(entry, qPrintable(QString::fromLocal8Bit(app.readAll())));
        const SessionRunEntry saved = *entry;
        const double autosaveSeconds = clock.elapsed() / 1000.0;

        app.kill();  // SIGKILL: no close event, no destructor, nothing flushed
        QVERIFY(app.waitForFinished(30000));
        QCOMPARE(app.exitStatus(), QProcess::CrashExit);
        QVERIFY(QFileInfo::exists(QDir(sessionDir).filePath(QStringLiteral("session.lock"))));  // left behind

        // The session as it is on disk at the moment of the kill (it may be a later autosave
        // than the one seen above).
        SessionManifest atKill;
        QVERIFY(readManifest(sessionDir, atKill));
        const SessionRunEntry* killedEntry = trainingEntry(atKill);
        QVERIFY(killedEntry);
        QVERIFY(killedEntry->step >= saved.step);

        QString log;
        const QJsonObject r = report(home, sessionDir, &log);
        QVERIFY2(!r.isEmpty(), qPrintable(log));
        QVERIFY2(r.value(QStringLiteral("active")).toBool(), qPrintable(log));  // the stale lock was taken over
        QVERIFY(r.value(QStringLiteral("settled")).toBool());
        const QString message = r.value(QStringLiteral("message")).toString();
        QVERIFY2(message.contains(QStringLiteral("Session restored")) && message.contains(QStringLiteral("interrupted")) &&
                     message.contains(QStringLiteral("your drawing")),
                 qPrintable(message));

        // The run: interrupted, with the weights of its last autosave loaded.
        const QJsonObject current = r.value(QStringLiteral("current")).toObject();
        QVERIFY2(!current.isEmpty(), QJsonDocument(r).toJson().constData());
        QVERIFY(current.value(QStringLiteral("interrupted")).toBool());
        QVERIFY(current.value(QStringLiteral("finished")).toBool());
        QVERIFY(current.value(QStringLiteral("stopDetail")).toString().contains(QStringLiteral("interrupted")));
        QVERIFY(current.value(QStringLiteral("inGallery")).toBool());
        QVERIFY(current.value(QStringLiteral("weightsLoaded")).toBool());
        QVERIFY(current.value(QStringLiteral("hasWeights")).toBool());
        const int loadedSteps = current.value(QStringLiteral("loadedStepsDone")).toInt();
        QVERIFY2(loadedSteps >= killedEntry->step, qPrintable(QStringLiteral("%1 < %2").arg(loadedSteps).arg(killedEntry->step)));
        QCOMPARE(current.value(QStringLiteral("stepsDone")).toInt(), loadedSteps);
        QCOMPARE(current.value(QStringLiteral("lossPoints")).toInt(), loadedSteps);  // the loss of exactly those weights
        QVERIFY(current.value(QStringLiteral("frames")).toInt() >= 2);
        QVERIFY(current.value(QStringLiteral("lastFrameStep")).toInt() <= loadedSteps);
        const QJsonObject runConfig = current.value(QStringLiteral("config")).toObject();
        QCOMPARE(runConfig.value(QStringLiteral("channels")).toInt(), 4);
        QCOMPARE(runConfig.value(QStringLiteral("depth")).toInt(), 2);
        QCOMPARE(r.value(QStringLiteral("gallery")).toArray().size(), 1);

        // The experiment panel's config.
        const QJsonObject panel = r.value(QStringLiteral("config")).toObject();
        QCOMPARE(panel.value(QStringLiteral("kernel_size")).toInt(), 3);
        QCOMPARE(panel.value(QStringLiteral("lr")).toDouble(), 0.02);
        QVERIFY(atKill.config);
        const il::ExperimentConfig restoredPanel =
            il::configFromJson(il::json::parse(QJsonDocument(panel).toJson(QJsonDocument::Compact).toStdString()));
        QCOMPARE(il::configToJson(restoredPanel).dump(-1), il::configToJson(*atKill.config).dump(-1));
        QCOMPARE(panel.value(QStringLiteral("steps")).toInt(), 1000000);

        // The drawing on the canvas, pixel for pixel, and the probe drawing, bit for bit.
        const QJsonObject canvas = r.value(QStringLiteral("canvas")).toObject();
        QVERIFY(!canvas.value(QStringLiteral("blank")).toBool());
        QCOMPARE(canvas.value(QStringLiteral("sha1")).toString(), SessionAutosave::sheetDigest(atKill.canvas));
        const QJsonArray probes = r.value(QStringLiteral("probes")).toArray();
        QCOMPARE(probes.size(), 1);
        QCOMPARE(probes[0].toObject().value(QStringLiteral("name")).toString(), QStringLiteral("drawing 1"));
        QCOMPARE(probes[0].toObject().value(QStringLiteral("sha1")).toString(), SessionAutosave::imageDigest(atKill.probes[0].image));

        // And it stays: the restored session was written back as it is now, interrupted.
        SessionManifest after;
        QVERIFY(readManifest(sessionDir, after));
        QCOMPARE(after.runs.size(), std::size_t(1));
        QVERIFY(!after.runs[0].training);
        QVERIFY(after.runs[0].interrupted);
        QVERIFY(after.runs[0].current && after.runs[0].inGallery);
        QCOMPARE(after.runs[0].step, loadedSteps);
        il::ui::RunRecord onDisk;
        QString error;
        QTemporaryDir out;
        QVERIFY2(il::ui::loadRunFile(QDir(sessionDir).filePath(after.runs[0].key + QStringLiteral(".ilrun")),
                                     QDir(out.path()).filePath(QStringLiteral("w.pt")), onDisk, &error),
                 qPrintable(error));
        QCOMPARE(onDisk.metrics.stepsDone, loadedSteps);
        QVERIFY(!onDisk.checkpointPath.isEmpty());
        qInfo("first autosave with >= 30 steps after %.1f s; killed at step %d (autosaved), restored %d steps in %.1f s", autosaveSeconds,
              killedEntry->step, loadedSteps, r.value(QStringLiteral("secondsToSettle")).toDouble());
    }

    void damagedSession_startsFresh_andKeepsTheFilesAside()
    {
        QTemporaryDir home;
        const QString sessionDir = QDir(home.path()).filePath(QStringLiteral("session"));
        QVERIFY(QDir().mkpath(sessionDir));
        const QByteArray manifest = "{\"format\": \"identitylab-session\", \"version\": 1, \"runs\": [{\"key\": \"run-1\", \"gall";
        {
            QFile f(QDir(sessionDir).filePath(QStringLiteral("session.json")));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(manifest);
            QFile r(QDir(sessionDir).filePath(QStringLiteral("run-1.ilrun")));
            QVERIFY(r.open(QIODevice::WriteOnly));
            r.write("ILRU and then nothing useful");
        }
        QString log;
        const QJsonObject r = report(home, sessionDir, &log);
        QVERIFY2(!r.isEmpty(), qPrintable(log));  // the app started and answered: usable
        QVERIFY(r.value(QStringLiteral("active")).toBool());
        const QString message = r.value(QStringLiteral("message")).toString();
        QVERIFY2(message.contains(QStringLiteral("could not be read")) && message.contains(QStringLiteral("session.json.broken")),
                 qPrintable(message));
        QVERIFY2(log.contains(QStringLiteral("could not be read")), qPrintable(log));  // also on stderr
        QCOMPARE(r.value(QStringLiteral("gallery")).toArray().size(), 0);
        QFile kept(QDir(sessionDir).filePath(QStringLiteral("session.json.broken")));
        QVERIFY(kept.open(QIODevice::ReadOnly));
        QCOMPARE(kept.readAll(), manifest);
        QVERIFY(QFileInfo::exists(QDir(sessionDir).filePath(QStringLiteral("run-1.ilrun.broken"))));
        SessionManifest fresh;
        QVERIFY(readManifest(sessionDir, fresh));  // a new, valid session in its place
        QVERIFY(fresh.runs.empty());
    }

    void secondInstance_doesNotWriteOverTheFirstOnesSession()
    {
        QTemporaryDir home;
        const QString sessionDir = QDir(home.path()).filePath(QStringLiteral("session"));
        QProcess first;
        first.setProcessEnvironment(environment(home, sessionDir));
        first.setProcessChannelMode(QProcess::MergedChannels);
        first.start(QStringLiteral(IDENTITYLAB_GUI), QStringList{});
        QVERIFY(first.waitForStarted(30000));
        SessionManifest m;
        QElapsedTimer clock;
        clock.start();
        while (!readManifest(sessionDir, m) && clock.elapsed() < 60000) QTest::qWait(100);
        QVERIFY2(readManifest(sessionDir, m), qPrintable(QString::fromLocal8Bit(first.readAll())));
        const QDateTime written = QFileInfo(QDir(sessionDir).filePath(QStringLiteral("session.json"))).lastModified();

        QString log;
        const QJsonObject second = report(home, sessionDir, &log);
        QVERIFY2(!second.isEmpty(), qPrintable(log));
        QVERIFY(!second.value(QStringLiteral("active")).toBool());
        QVERIFY2(second.value(QStringLiteral("message")).toString().contains(QStringLiteral("another IdentityLab")),
                 qPrintable(second.value(QStringLiteral("message")).toString()));
        QCOMPARE(QFileInfo(QDir(sessionDir).filePath(QStringLiteral("session.json"))).lastModified(), written);
        QCOMPARE(first.state(), QProcess::Running);

        first.kill();
        QVERIFY(first.waitForFinished(30000));
        const QJsonObject third = report(home, sessionDir, &log);
        QVERIFY2(third.value(QStringLiteral("active")).toBool(), qPrintable(log));  // a dead owner's lock is taken over
    }
};

QTEST_MAIN(SessionRestoreTest)
#include "tst_session_restore.moc"
