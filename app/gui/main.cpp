// identitylab: the desktop app. Command line:
//   identitylab [FILE]                       open a config (.json) or a saved run (.ilrun); the
//                                            desktop entry passes the file double-clicked
//   identitylab --preset cnn5                start one of the welcome page's experiments
//   identitylab [FILE.json] --screenshot out.png [--view outputs,rho-zones,...]
//               [--preset cnn5] [--train-steps N] [--size 1280x800] [--save-run run.ilrun]
//               [--sweep-depths 1,5,20]      train (the config, or a preset), then save a
//                                            picture of the window per view and quit (the
//                                            README's screenshots are made so)
//   identitylab run.ilrun --screenshot out.png --view ...   pictures of a saved run
//   identitylab [FILE.json] --train          train the config (or the panel's) at once
//   identitylab --probe-image PICTURE        put a picture on the Draw tab and add it to the probes
//   identitylab --session-report OUT.json    restore the session, write what came back, quit
//   identitylab --no-session                 neither restore nor autosave the session
//   (the session: docs/gui.md, "Session and autosave"; not used by --screenshot)

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QImageReader>
#include <QIcon>
#include <QMessageBox>
#include <QUrl>
#include <QStyleFactory>
#include <QTimer>

#include <cstdio>
#include <functional>
#include <memory>
#include <string>

#include "engine/core/build_info.h"
#include "ui/mainwindow/main_window.h"
#include "ui/mainwindow/presets.h"
#include "ui/session/session_autosave.h"
#include "ui/panels/experiment_panel.h"
#include "../common/memory_reuse.h"
#include "../common/openmp_wait_policy.h"
#include "ui/canvas/drawing_canvas.h"
#include "ui/views/activations_view.h"
#include "ui/views/canvas_view.h"
#include "ui/views/gallery_view.h"
#include "ui/views/plot_views.h"

#include <QPushButton>

namespace {

// --help and --version must answer without a display (a terminal over ssh, a packaging test):
// they get a QCoreApplication, which needs none, instead of the QApplication.
bool asksForHelpOrVersion(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        const std::string argument = argv[i];
        if (argument == "--help" || argument == "-h" || argument == "-?" || argument == "--help-all" || argument == "--version" ||
            argument == "-v")
            return true;
    }
    return false;
}

}  // namespace

int main(int argc, char** argv)
{
    il::app::ensurePassiveOpenMpWaiting(argv);  // see openmp_wait_policy.h: 16 vs 750 ms per step here
    il::app::keepFreedMemoryForReuse();         // see memory_reuse.h: the training thread reuses its buffers
    const bool windowless = asksForHelpOrVersion(argc, argv);
    std::unique_ptr<QCoreApplication> app;
    if (windowless)
        app = std::make_unique<QCoreApplication>(argc, argv);
    else
        app = std::make_unique<QApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("IdentityLab"));
    QCoreApplication::setOrganizationName(QStringLiteral("IdentityLab"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("identitylab.github.io"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(il::programVersion()));
    if (!windowless) {
        // The id of the desktop entry, the icon, the metainfo and the MIME file (cmake/Packaging.cmake).
        QApplication::setDesktopFileName(QStringLiteral("io.github.identitylab.IdentityLab"));
        QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral("io.github.identitylab.IdentityLab")));
        if (QStyleFactory::keys().contains(QStringLiteral("Fusion"))) QApplication::setStyle(QStringLiteral("Fusion"));
    }

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("IdentityLab: train networks on one image and watch them learn the identity or the constant "
                       "(Zhang et al., Identity Crisis, ICLR 2020)."));
    parser.addHelpOption();
    // Not Qt's version option: the line names the git revision and LibTorch too, the same
    // line as identitylab-cli --version.
    const QCommandLineOption versionOption({QStringLiteral("v"), QStringLiteral("version")},
                                           QStringLiteral("Displays version information."));
    parser.addOption(versionOption);
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("A config (.json) or a saved run (.ilrun) to open."),
                                 QStringLiteral("[file]"));
    const QCommandLineOption preset(QStringLiteral("preset"),
                                    QStringLiteral("Start an experiment of the welcome page: cnn5, cnn20, fcn1, fcn6."),
                                    QStringLiteral("id"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Train (or open FILE), save a picture of the window to PATH, quit."),
                                        QStringLiteral("path"));
    const QCommandLineOption view(QStringLiteral("view"),
                                  QStringLiteral("Views for --screenshot, comma-separated (one file each): welcome, outputs, activations, "
                                                 "rho-zones, loss, canvas, comparison."),
                                  QStringLiteral("id"), QStringLiteral("outputs"));
    const QCommandLineOption steps(QStringLiteral("train-steps"), QStringLiteral("Override the number of training steps."),
                                   QStringLiteral("n"));
    const QCommandLineOption size(QStringLiteral("size"), QStringLiteral("Window size for --screenshot, e.g. 1280x800."),
                                  QStringLiteral("WxH"), QStringLiteral("1280x800"));
    const QCommandLineOption saveRunOption(QStringLiteral("save-run"),
                                           QStringLiteral("With --screenshot: also save the finished run to PATH (.ilrun)."),
                                           QStringLiteral("path"));
    const QCommandLineOption sweep(QStringLiteral("sweep-depths"),
                                   QStringLiteral("With --screenshot: train these depths (e.g. 1,5,20) and compare them."),
                                   QStringLiteral("list"));
    parser.addOptions({preset, screenshot, view, steps, size, sweep, saveRunOption});
    // The session and the options that drive the app from a script (tests/ui/tst_session_restore).
    const QCommandLineOption noSession(QStringLiteral("no-session"),
                                       QStringLiteral("Neither restore nor autosave the session (docs/gui.md)."));
    const QCommandLineOption trainOption(QStringLiteral("train"),
                                         QStringLiteral("Train at once: the config FILE, or the experiment panel's config."));
    const QCommandLineOption probeImage(QStringLiteral("probe-image"),
                                        QStringLiteral("Put a picture on the Draw tab and add it to the probe set (repeatable)."),
                                        QStringLiteral("picture"));
    const QCommandLineOption sessionReport(QStringLiteral("session-report"),
                                           QStringLiteral("Restore the session, write what came back to PATH as JSON, quit."),
                                           QStringLiteral("path"));
    parser.addOptions({noSession, trainOption, probeImage, sessionReport});
    parser.process(*app);
    if (parser.isSet(versionOption)) {
        std::printf("%s\n", il::versionLine().c_str());
        return 0;
    }

    il::ui::MainWindow window;
    // A path, or a file:// URL from a launcher that passes URLs.
    QStringList files;
    for (const QString& argument : parser.positionalArguments()) {
        const QUrl url(argument);
        files << (url.isLocalFile() ? url.toLocalFile() : argument);
    }
    const int stepsOverride = parser.value(steps).toInt();
    if (!parser.isSet(screenshot)) {
        // Restored before anything else opens, so a FILE or --preset comes on top of it.
        std::unique_ptr<il::ui::SessionAutosave> session;
        if (!parser.isSet(noSession)) {
            session = std::make_unique<il::ui::SessionAutosave>(window.workspace(), &window);
            session->start();
        }
        if (window.opensMaximized())
            window.showMaximized();
        else
            window.show();
        if (!files.isEmpty()) {
            QString error;
            if (!window.openFile(QFileInfo(files.front()).absoluteFilePath(), &error)) {
                // Opened from a file manager there is no terminal: say it in the window too.
                std::fprintf(stderr, "identitylab: %s\n", qPrintable(error));
                QMessageBox::warning(&window, QObject::tr("Open"), error);
            }
        }
        if (parser.isSet(preset)) window.startPreset(parser.value(preset), stepsOverride);
        for (const QString& path : parser.values(probeImage)) {
            QImageReader reader(path);
            reader.setAutoTransform(true);
            const QImage picture = reader.read();
            if (picture.isNull()) {
                std::fprintf(stderr, "identitylab: cannot read %s: %s\n", qPrintable(path), qPrintable(reader.errorString()));
                continue;
            }
            window.canvasView()->canvas()->setPicture(picture);
            window.addUserProbe(window.canvasView()->canvas()->toModelInput(window.experimentPanel()->config().imageSize));
        }
        if (parser.isSet(trainOption) && !parser.isSet(preset) && !window.startTraining()) return 1;
        if (parser.isSet(sessionReport)) {
            if (!session) {
                std::fprintf(stderr, "identitylab: --session-report needs the session (not --no-session)\n");
                return 2;
            }
            session->reportWhenSettled(parser.value(sessionReport));
        }
        return QApplication::exec();
    }

    // --- screenshot mode -------------------------------------------------------------------
    const QStringList wh = parser.value(size).split(QLatin1Char('x'));
    const QSize windowSize = wh.size() == 2 ? QSize(wh[0].toInt(), wh[1].toInt()) : QSize(1280, 800);
    window.resize(windowSize.isValid() ? windowSize : QSize(1280, 800));
    window.show();
    const QString out = parser.value(screenshot);
    const QString viewId = parser.value(view);
    const QString saveRun = parser.value(saveRunOption);
    // One picture per view named in --view (comma-separated): out.png, or out-VIEW.png each.
    const QStringList viewIds = viewId.split(QLatin1Char(','), Qt::SkipEmptyParts);
    auto fileFor = [&](const QString& id) {
        if (viewIds.size() <= 1) return out;
        const QFileInfo info(out);
        return info.dir().filePath(QStringLiteral("%1-%2.%3").arg(info.completeBaseName(), id, info.suffix()));
    };
    std::function<void(int)> shootFrom = [&](int index) {
        if (index >= viewIds.size()) {
            QApplication::exit(0);
            return;
        }
        const QString id = viewIds[index];
        if (id == QStringLiteral("canvas") && window.canvasView()->canvas()->isBlank()) {
            // A hand-drawn "4" (two strokes), so the picture shows the model at work.
            auto* canvas = window.canvasView()->canvas();
            canvas->drawStroke({{16.5, 5.0}, {9.0, 16.5}, {20.5, 16.0}});
            canvas->drawStroke({{16.0, 10.0}, {15.5, 17.0}, {15.8, 23.5}});
        }
        if (id == QStringLiteral("welcome"))
            window.showWelcome();
        else
            window.showView(id);
        QTimer::singleShot(300, &window, [&, index, id] {
            for (auto* v : window.views()) v->redrawNow();
            QTimer::singleShot(300, &window, [&, index, id] {
                for (auto* v : window.views()) v->redrawNow();
                QApplication::processEvents();
                const QString path = fileFor(id);
                const bool ok = window.grab().save(path);
                std::fprintf(stderr, "identitylab: %s %s\n", ok ? "wrote" : "could not write", qPrintable(path));
                if (!ok)
                    QApplication::exit(1);
                else
                    shootFrom(index + 1);
            });
        });
    };
    auto shoot = [&] {
        // The loss view's lower plot needs the layer-wise classifier, computed on request.
        if (!viewIds.contains(QStringLiteral("loss")) || !window.workspace()->currentRun()) {
            shootFrom(0);
            return;
        }
        QObject::connect(
            window.controller(), &il::ui::TrainingController::layerClassifierReady, &window,
            [&] { QTimer::singleShot(200, &window, [&] { shootFrom(0); }); }, Qt::SingleShotConnection);
        window.layerErrorView()->computeButton()->click();
    };
    if (!saveRun.isEmpty()) {
        QObject::connect(&window, &il::ui::MainWindow::runFinished, &window, [&](const il::ui::RunPtr& run) {
            QString error;
            if (!window.saveRun(run, saveRun, &error)) std::fprintf(stderr, "identitylab: %s\n", qPrintable(error));
        });
    }
    if (viewIds.size() == 1 && viewIds.front() == QStringLiteral("welcome")) {
        QTimer::singleShot(200, &window, shoot);
        return QApplication::exec();
    }
    bool trainPanel = false;
    if (!files.isEmpty()) {
        QString error;
        if (!window.openFile(QFileInfo(files.front()).absoluteFilePath(), &error)) {
            std::fprintf(stderr, "identitylab: %s\n", qPrintable(error));
            return 1;
        }
        if (window.workspace()->currentRun()) {  // a saved run: show it
            QTimer::singleShot(1500, &window, shoot);
            return QApplication::exec();
        }
        trainPanel = true;  // a config: train it, then shoot
    }
    const QString presetId = parser.isSet(preset) ? parser.value(preset) : QStringLiteral("cnn5");
    if (parser.isSet(sweep)) {
        const il::ui::Preset* p = il::ui::findPreset(presetId);
        if (!p && !trainPanel) return 1;
        const il::ExperimentConfig base = trainPanel ? window.experimentPanel()->config() : p->config;
        std::vector<il::ExperimentConfig> configs;
        for (const QString& d : parser.value(sweep).split(QLatin1Char(','))) {
            il::ExperimentConfig c = base;
            c.depth = d.toInt();
            if (stepsOverride > 0) c.steps = stepsOverride;
            configs.push_back(c);
        }
        const int total = static_cast<int>(configs.size());
        int finished = 0;
        QObject::connect(&window, &il::ui::MainWindow::runFinished, &window, [&](const il::ui::RunPtr&) {
            if (++finished < total) return;
            window.galleryView()->selectAll();
            shoot();
        });
        window.queueSweep(configs);
        return QApplication::exec();
    }
    QObject::connect(&window, &il::ui::MainWindow::runFinished, &window, [&](const il::ui::RunPtr&) {
        if (viewIds.contains(QStringLiteral("activations"))) {
            // Select a hidden layer's cell so the enlargement and histogram show something.
            QTimer::singleShot(600, &window, [&] {
                window.activationsView()->selectCell(2, 1);
                shoot();
            });
            return;
        }
        shoot();
    });
    if (trainPanel) {
        if (stepsOverride > 0) {
            il::ExperimentConfig c = window.experimentPanel()->config();
            c.steps = stepsOverride;
            window.experimentPanel()->setConfig(c);
        }
        if (!window.startTraining()) return 1;
    } else if (!window.startPreset(presetId, stepsOverride)) {
        std::fprintf(stderr, "identitylab: unknown preset %s\n", qPrintable(presetId));
        return 1;
    }
    return QApplication::exec();
}
