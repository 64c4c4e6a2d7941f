#include "ui/mainwindow/main_window.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QInputDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>

#include "engine/config/config_json.h"
#include "engine/config/preset.h"
#include "engine/core/build_info.h"
#include "engine/core/errors.h"
#include "ui/export/run_record_export.h"
#include "ui/figures/figure_export.h"
#include "ui/figures/image_convert.h"
#include "ui/mainwindow/figure_seeds.h"
#include "ui/mainwindow/presets.h"
#include "ui/mainwindow/welcome_page.h"
#include "ui/panels/experiment_dock.h"
#include "ui/panels/experiment_panel.h"
#include "ui/panels/history_bar.h"
#include "ui/panels/sweep_dialog.h"
#include "ui/training/speed_calibration.h"
#include "ui/panels/training_actions.h"
#include "ui/panels/training_bar.h"
#include "ui/preferences/data_folders.h"
#include "ui/preferences/preferences_dialog.h"
#include "ui/run/drawing_dataset.h"
#include "ui/run/folder_opener.h"
#include "ui/run/run_folder_record.h"
#include "ui/run/run_file.h"
#include "ui/views/activations_view.h"
#include "ui/views/canvas_view.h"
#include "ui/views/ensemble_views.h"
#include "ui/views/gallery_view.h"
#include "ui/views/outputs_view.h"
#include "ui/views/plot_views.h"

namespace il::ui {

namespace {

// The window's style sheet. In presentation mode (`zoom` > 1) every font in the central area
// grows `zoom` times: a widget styled by a style sheet takes its font from the sheet, not from
// its parent, so the sheet is where the size must change.
QString windowStyle(int zoom)
{
    QString centre;
    if (zoom > 1) {
        const QFont base = QApplication::font();
        const double points = base.pointSizeF() > 0 ? base.pointSizeF() : 9.0;
        centre = QStringLiteral("#centre, #centre QWidget { font-size: %1pt; }\n").arg(points * zoom);
    }
    return centre + QStringLiteral(
               "QLabel#viewHeader { font-size: %1pt; padding: 2px 0 4px 0; }\n"
               "#centre QTabBar::tab { padding: %2px %3px; font-size: %4pt; }\n"
               "QToolButton#train { font-weight: bold; }\n"
               "QPushButton#welcomeButton { font-size: %5pt; padding: %6px %7px; text-align: left; }\n"
               "QLabel#welcomeTitle { font-size: %8pt; font-weight: bold; }\n"
               "QLabel#welcomeText { font-size: %9pt; }\n"
               "QProgressBar { min-height: 22px; }\n")
        .arg(13 * zoom)
        .arg(7 * zoom)
        .arg(16 * zoom)
        .arg(11 * zoom)
        .arg(14 * zoom)
        .arg(14 * zoom)
        .arg(20 * zoom)
        .arg(24 * zoom)
        .arg(12 * zoom);
}

int exportScale() { return std::clamp(QSettings().value(QStringLiteral("export/scale"), 2).toInt(), 1, 8); }

// How the app writes a run folder: at the export scale, its provenance naming the data files of
// the app's folders (a drawing's run: the drawing's own copy of MNIST).
RunFolderOptions runFolderOptions(const RunRecord& run, const il::DataLocations& data, bool figures)
{
    RunFolderOptions options;
    options.scale = exportScale();
    options.figures = figures;
    options.checkpoint = figures;
    options.formats = {QStringLiteral("png"), QStringLiteral("svg")};
    options.data = data;
    if (!run.dataFolder.isEmpty()) options.data.mnistDir = run.dataFolder.toStdString();
    return options;
}

}  // namespace

MainWindow::MainWindow(Workspace* workspace, QWidget* parent)
    : QMainWindow(parent),
      workspace_(workspace ? workspace : new Workspace(this)),
      controller_(new TrainingController(this, dataLocationsWithPreferences())),
      folders_(new FolderOpener(workspace_, this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("IdentityLab"));
    setStyleSheet(windowStyle(1));
    buildUi();
    buildMenus();
    followWorkspace();

    connect(controller_, &TrainingController::stateChanged, this, [this](TrainingController::State s) {
        bar_->setState(s);
        updateTitle();
    });
    connect(controller_, &TrainingController::sessionReady, this, &MainWindow::onSessionReady);
    connect(controller_, &TrainingController::sessionFailed, this, &MainWindow::onSessionFailed);
    connect(controller_, &TrainingController::progress, this, &MainWindow::onProgress);
    connect(controller_, &TrainingController::frameReady, this, &MainWindow::onFrame);
    connect(controller_, &TrainingController::runFinished, this, &MainWindow::onRunFinished);
    connect(controller_, &TrainingController::checkpointSaved, this, &MainWindow::onCheckpointSaved);
    connect(controller_, &TrainingController::activationsReady, this,
            [this](quint64, const il::ActivationGrid& grid, const std::vector<il::LayerStatistics>& stats) {
                activations_->setLiveGrid(grid, stats);
            });
    connect(controller_, &TrainingController::layerClassifierReady, this, [this](quint64 id, const il::LayerClassifierCurve& curve) {
        if (id != layerRequest_) return;
        layers_->setComputing(false);
        if (const RunPtr current = workspace_->currentRun()) {
            current->metrics.layerClassifier = curve;
            workspace_->markRunChanged(current);
        }
        layers_->scheduleRedraw();
    });
    connect(controller_, &TrainingController::sessionEvaluated, this, [this](quint64 id, const il::RunMetrics& m) {
        const RunPtr current = workspace_->currentRun();
        if (!current || current->id != id) return;
        // A loaded run: keep its saved metrics, but refresh what the loaded weights give now.
        if (!current->finished) current->metrics = m;
        redrawRunViews();
    });
    connect(folders_, &FolderOpener::statusChanged, this, [this](const QString& text, const QString& brief) {
        statusBar()->showMessage(text);
        gallery_->setSweepStatus(brief, text);  // the whole of it in the tooltip: the row has little room
    });
    connect(controller_, &TrainingController::requestFailed, this, [this](const QString& message) {
        layers_->setComputing(false);
        statusBar()->showMessage(message, 8000);
    });

    readSettings();
    showCurrentRun(workspace_->currentRun());
}

MainWindow::~MainWindow() { controller_->shutdown(); }

void MainWindow::buildUi()
{
    // Left: your settings, or the run on screen's, in a dock; it follows the workspace.
    dock_ = new ExperimentDock(workspace_);
    panel_ = dock_->settingsPanel();
    panel_->setDataLocations(controller_->dataLocations());
    dock_->runPanel()->setDataLocations(controller_->dataLocations());
    panelDock_ = new QDockWidget(tr("Experiment"), this);
    panelDock_->setObjectName(QStringLiteral("experimentDock"));
    panelDock_->setWidget(dock_);
    panelDock_->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::LeftDockWidgetArea, panelDock_);

    // Top: the training bar, with the window's training actions (also in the Training menu).
    actions_ = new TrainingActions(this);
    bar_ = new TrainingBar(actions_);
    auto* top = new QToolBar(tr("Training"), this);
    top->setObjectName(QStringLiteral("trainingToolBar"));
    top->setMovable(false);
    top->addWidget(bar_);
    addToolBar(Qt::TopToolBarArea, top);

    // Centre: the welcome page or the views.
    center_ = new QStackedWidget(this);
    center_->setObjectName(QStringLiteral("centre"));
    center_->addWidget(buildWelcome());
    tabs_ = new QTabWidget;
    tabs_->setObjectName(QStringLiteral("viewTabs"));
    tabs_->setDocumentMode(true);
    registerViews();
    center_->addWidget(tabs_);
    auto* central = new QWidget;
    auto* centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    centralLayout->addWidget(center_, 1);
    history_ = new HistoryBar;
    centralLayout->addWidget(history_);
    setCentralWidget(central);
    connect(center_, &QStackedWidget::currentChanged, this, &MainWindow::centreChanged);
    centreChanged();

    statusLabel_ = new QLabel;
    statusBar()->addPermanentWidget(statusLabel_);

    // Wiring.
    const auto canStart = [this] {
        const int more = static_cast<int>(panel_->problems().size()) - 1;
        bar_->setCanStart(panel_->isValid(), more > 0 ? tr("%1 (and %n more in the Experiment panel)", nullptr, more).arg(panel_->problem())
                                                      : panel_->problem());
    };
    connect(panel_, &ExperimentPanel::configChanged, this, canStart);
    canStart();
    connect(actions_, &TrainingActions::startRequested, this, &MainWindow::startTraining);
    connect(actions_, &TrainingActions::pauseRequested, controller_, &TrainingController::pause);
    connect(actions_, &TrainingActions::resumeRequested, controller_, &TrainingController::resume);
    connect(actions_, &TrainingActions::stepRequested, controller_, &TrainingController::singleStep);
    connect(actions_, &TrainingActions::stopRequested, this, [this] {
        workspace_->cancelSweep();
        gallery_->setSweepStatus(QString());
        controller_->stop();
    });
    connect(actions_, &TrainingActions::resetRequested, this, &MainWindow::resetModel);
    connect(dock_, &ExperimentDock::message, this, [this](const QString& text) { statusBar()->showMessage(text, 8000); });
    connect(bar_, &TrainingBar::learningRateChanged, controller_, &TrainingController::setLearningRate);
    connect(history_, &HistoryBar::stepChanged, this, [this](int step) {
        for (RunView* v : views()) v->setStep(step);
    });
    for (RunView* v : views()) connect(v, &RunView::exportRequested, this, &MainWindow::exportInteractive);
    connect(activations_, &ActivationsView::requestChanged, this, [this](const ActivationRequest& r) {
        controller_->setFrameActivations(r);
        // A run opened from a folder without checkpoint.pt (id 0) has no model in the worker:
        // the one there is another run's.
        const RunPtr current = workspace_->currentRun();
        if (current && current->id == 0) return;
        if (controller_->state() != TrainingController::State::NoModel) controller_->requestActivations(r);
    });
    connect(layers_, &LayerErrorView::computeRequested, this,
            [this](int images) { layerRequest_ = controller_->requestLayerClassifier(images); });
    connect(canvas_, &CanvasView::addToProbesRequested, this, &MainWindow::addUserProbe);
    connect(canvas_->canvas(), &DrawingCanvas::strokeFinished, this, [this] {
        const DrawingCanvas* canvas = canvas_->canvas();
        workspace_->setDrawing(canvas->isBlank() ? QImage() : canvas->sheet());
    });
    connect(canvas_, &CanvasView::useAsTrainingRequested, this, [this](const il::Image& image) { trainOnDrawing(image); });
    connect(outputs_, &OutputsView::probeActivated, this, [this](const il::ProbeOutcome& p) {
        canvas_->canvas()->setModelImage(p.input);
        statusBar()->showMessage(tr("'%1' copied to the canvas (Draw tab)").arg(QString::fromStdString(p.name)), 4000);
    });
    connect(gallery_, &GalleryView::selectionChanged, workspace_, &Workspace::setSelectedRuns);
    connect(gallery_, &GalleryView::removeRequested, this, [this](const std::vector<RunPtr>& runs) {
        for (const RunPtr& r : runs) workspace_->removeRun(r);
    });
    connect(gallery_, &GalleryView::sweepRequested, this, [this] {
        dock_->commitSettings();
        SweepDialog dialog(workspace_->config(), this);
        SpeedCalibration* speed = SpeedCalibration::instance();  // the time estimate: measured off the GUI thread
        const auto showSpeed = [this, &dialog, speed] {
            if (const auto factors = speed->factors(controller_->dataLocations())) dialog.setSpeed(*factors, speed->threads());
        };
        connect(speed, &SpeedCalibration::measured, &dialog, showSpeed);
        showSpeed();
        if (dialog.exec() == QDialog::Accepted) queueSweep(dialog.runs());
    });
    connect(gallery_, &GalleryView::openRequested, this, &MainWindow::openRun);
    connect(gallery_, &GalleryView::saveRequested, this, &MainWindow::saveRunInteractive);
    connect(gallery_, &GalleryView::detailsEdited, workspace_, &Workspace::setRunNameAndNotes);
    connect(gallery_, &GalleryView::continueRequested, this, &MainWindow::continueTrainingInteractive);
    connect(tabs_, &QTabWidget::currentChanged, this, [this] {
        if (tabs_->currentWidget() == canvas_) canvas_->modelChanged();
        updateLiveView();
        updateUndoSettings();
        updateExportActions();
    });
    connect(center_, &QStackedWidget::currentChanged, this, &MainWindow::updateLiveView);
    updateLiveView();
}

// The worker computes for its live frames only what the visible view shows.
void MainWindow::updateLiveView()
{
    using LiveView = WorkerShared::LiveView;
    const QWidget* shown = center_->currentWidget() == tabs_ ? tabs_->currentWidget() : nullptr;
    controller_->setLiveView(shown == outputs_ ? LiveView::Outputs
                             : shown == activations_ ? LiveView::Activations
                             : shown == rho_ ? LiveView::Rho
                                             : LiveView::Other);
}

void MainWindow::registerViews()
{
    outputs_ = new OutputsView;
    activations_ = new ActivationsView;
    rho_ = new RhoView;
    loss_ = new LossView;
    layers_ = new LayerErrorView;
    canvas_ = new CanvasView(controller_);
    gallery_ = new GalleryView;
    ensemble_ = new EnsembleView;
    phase_ = new PhaseDiagramView;
    auto* lossSplit = new QSplitter(Qt::Vertical);
    lossSplit->addWidget(loss_);
    lossSplit->addWidget(layers_);

    views_ = ViewRegistry(tabs_);
    views_.add(outputs_, tr("Outputs"), QKeySequence(Qt::CTRL | Qt::Key_1));
    views_.add(activations_, tr("Activations"), QKeySequence(Qt::CTRL | Qt::Key_2));
    views_.add(rho_, tr("Rho zones"), QKeySequence(Qt::CTRL | Qt::Key_3));
    views_.add({loss_->viewId(), tr("Loss && layers"), lossSplit, {loss_, layers_}, QKeySequence(Qt::CTRL | Qt::Key_4)});
    views_.add(canvas_, tr("Draw"), QKeySequence(Qt::CTRL | Qt::Key_5));
    views_.add(gallery_, tr("Gallery"), QKeySequence(Qt::CTRL | Qt::Key_6));
    views_.add(ensemble_, tr("Ensemble"), QKeySequence(Qt::CTRL | Qt::Key_7));
    views_.add(phase_, tr("Phase diagram"), QKeySequence(Qt::CTRL | Qt::Key_8));
}

// The widgets show the workspace: each follows the signal of what it shows, whoever changed it
// (this window, the autosave's restore, a test).
void MainWindow::followWorkspace()
{
    connect(workspace_, &Workspace::currentRunChanged, this, &MainWindow::showCurrentRun);
    connect(workspace_, &Workspace::runAdded, gallery_, &GalleryView::addRun);
    connect(workspace_, &Workspace::runRemoved, gallery_, &GalleryView::removeRun);
    connect(workspace_, &Workspace::runChanged, this, [this](const RunPtr& run) {
        gallery_->updateRun(run);  // a new name or notes: the card, the comparison rows, the legends
        redrawRunViews();
    });
    connect(workspace_, &Workspace::selectionChanged, this, &MainWindow::showSelection);
    connect(workspace_, &Workspace::runChanged, this, [this] {
        ensemble_->runsChanged();
        phase_->runsChanged();
    });
    connect(workspace_, &Workspace::probesChanged, controller_, &TrainingController::setUserProbes);
    connect(workspace_, &Workspace::drawingChanged, this, &MainWindow::showDrawing);
    // The settings follow the workspace in the Experiment dock (ExperimentDock).
    connect(workspace_, &Workspace::configReplacementChanged, this, &MainWindow::updateUndoSettings);
    connect(workspace_, &Workspace::cleared, this, &MainWindow::showWelcome);  // a new session
    connect(workspace_, &Workspace::recentFilesChanged, this, [this](const QStringList& files) {
        QSettings().setValue(QStringLiteral("files/recent"), files);  // for the next start
        showRecentFiles(files);
    });

    // What the workspace held before this window showed it.
    for (const RunPtr& r : workspace_->runs()) gallery_->addRun(r);
    showSelection(workspace_->selectedRuns());
    controller_->setUserProbes(workspace_->probes());
    showDrawing(workspace_->drawing());
}

// The runs compared: selected in the gallery, overlaid in the plots.
void MainWindow::showSelection(const std::vector<RunPtr>& runs)
{
    if (gallery_->selectedRuns() != runs) gallery_->selectRuns(runs);  // unless the gallery made it
    rho_->setCompareRuns(runs);
    loss_->setCompareRuns(runs);
    layers_->setCompareRuns(runs);
    ensemble_->setCompareRuns(runs);
    phase_->setCompareRuns(runs);
}

void MainWindow::showDrawing(const QImage& sheet)
{
    DrawingCanvas* canvas = canvas_->canvas();
    if (sheet.isNull()) {
        if (!canvas->isBlank()) canvas->clear();
        return;
    }
    if (!canvas->isBlank() && canvas->sheet() == sheet) return;
    QImage grey = sheet.convertToFormat(QImage::Format_Grayscale8);
    const int side = canvas->sheetSize();
    if (grey.size() != QSize(side, side)) grey = grey.scaled(side, side, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    // A sheet-sized model image is shown as it is (no resampling): the drawing comes back
    // pixel for pixel.
    il::Image image(1, grey.height(), grey.width());
    for (int y = 0; y < grey.height(); ++y) {
        const uchar* line = grey.constScanLine(y);
        for (int x = 0; x < grey.width(); ++x) image.at(0, y, x) = static_cast<float>(line[x]) / 255.0f;
    }
    canvas->setModelImage(image);
}

QWidget* MainWindow::buildWelcome()
{
    welcome_ = new WelcomePage(presets());
    welcome_->setDataLocations(controller_->dataLocations());
    connect(welcome_, &WelcomePage::presetRequested, this, [this](const QString& id) { startPreset(id); });
    connect(welcome_, &WelcomePage::openRequested, this, &MainWindow::openInteractive);
    connect(welcome_, &WelcomePage::preferencesRequested, this, &MainWindow::editPreferences);
    connect(welcome_, &WelcomePage::paperFigureWithSeedsRequested, this, [this](const QString& name, int seeds) {
        QString error;
        if (!queueFigureWithSeeds(name, seeds, &error)) QMessageBox::warning(this, tr("Paper figure with seeds"), error);
    });
    return welcome_;
}

void MainWindow::editPreferences()
{
    PreferencesDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted) return;
    controller_->setDataLocations(dataLocationsWithPreferences());
    panel_->setDataLocations(controller_->dataLocations());
    welcome_->setDataLocations(controller_->dataLocations());
}

void MainWindow::buildMenus()
{
    fileMenu_ = menuBar()->addMenu(tr("&File"));
    QMenu* file = fileMenu_;
    QAction* open = file->addAction(tr("&Open run or config..."), this, &MainWindow::openInteractive);
    open->setShortcut(QKeySequence::Open);
    QAction* openFolder = file->addAction(tr("Open run or sweep &folder..."), this, &MainWindow::openFolderInteractive);
    openFolder->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    openFolder->setStatusTip(
        tr("A run folder (identitylab-cli train --out) or a sweep folder (sweep, reproduce): its runs join the "
           "gallery, and a sweep's runs keep coming as its tasks finish."));
    recentMenu_ = file->addMenu(tr("Open &recent"));
    QAction* save = file->addAction(tr("&Save run..."), this, [this] { saveRunInteractive(workspace_->currentRun()); });
    save->setShortcut(QKeySequence::Save);
    QAction* saveConfig = file->addAction(tr("Save &config..."), this, [this] {
        if (!dock_->commitSettings()) {
            // The workspace holds the last settings that could run, not what the panel shows.
            QMessageBox::warning(this, tr("Save the config"),
                                 tr("These settings cannot be saved as they are:\n%1").arg(panel_->problems().join(QLatin1Char('\n'))));
            return;
        }
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Save the config"), QStringLiteral("config.json"), tr("Configs (*.json)"));
        if (path.isEmpty()) return;
        try {
            il::json::writeFileAtomic(path.toStdString(), il::configToJson(workspace_->config()).dump(2) + "\n");
            workspace_->addRecentFile(path);
        } catch (const il::Error& e) {
            QMessageBox::warning(this, tr("Save the config"), QString::fromStdString(e.what()));
        }
    });
    (void)saveConfig;
    file->addSeparator();
    QAction* exportView = file->addAction(tr("&Export view as PNG..."), this, [this] {
        if (RunView* v = views_.exportTarget()) exportInteractive(v, QStringLiteral("png"));
    });
    exportView->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    QAction* exportPdf = file->addAction(tr("Export view as &PDF..."), this, [this] {
        if (RunView* v = views_.exportTarget()) exportInteractive(v, QStringLiteral("pdf"));
    });
    exportPdf->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_E));
    QAction* exportSvg = file->addAction(tr("Export view as S&VG..."), this, [this] {
        if (RunView* v = views_.exportTarget()) exportInteractive(v, QStringLiteral("svg"));
    });
    QAction* exportRun = file->addAction(tr("Export &run as folder..."), this, [this] {
        const RunPtr current = workspace_->currentRun();
        if (!current) {
            statusBar()->showMessage(tr("There is no run to export yet."), 5000);
            return;
        }
        QSettings settings;
        const QString dir =
            QFileDialog::getExistingDirectory(this, tr("Export the run as a folder (data, .npy arrays, checkpoint, figures)"),
                                              settings.value(QStringLiteral("export/lastDir"), QDir::homePath()).toString());
        if (dir.isEmpty()) return;
        settings.setValue(QStringLiteral("export/lastDir"), dir);
        try {
            const QStringList files = writeRunRecordFolder(dir, *current, current->metricsSoFar(),
                                                           runFolderOptions(*current, controller_->dataLocations(), true));
            statusBar()->showMessage(tr("Exported %n file(s) to %1", nullptr, static_cast<int>(files.size())).arg(dir), 8000);
        } catch (const il::Error& e) {
            QMessageBox::warning(this, tr("Export the run"), QString::fromStdString(e.what()));
        }
    });
    QAction* all = file->addAction(tr("Export &all views..."), this, &MainWindow::exportAllInteractive);
    all->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    exportActions_ = {exportView, exportPdf, exportSvg, exportRun, all};
    file->setToolTipsVisible(true);
    connect(file, &QMenu::aboutToShow, this, &MainWindow::updateExportActions);
    QMenu* scale = file->addMenu(tr("Export &scale"));
    auto* scales = new QActionGroup(scale);
    for (int s : {1, 2, 3, 4}) {
        QAction* a = scale->addAction(tr("%1x").arg(s));
        a->setCheckable(true);
        a->setChecked(s == exportScale());
        scales->addAction(a);
        connect(a, &QAction::triggered, this, [s] { QSettings().setValue(QStringLiteral("export/scale"), s); });
    }
    file->addSeparator();
    QAction* preferences = file->addAction(tr("&Preferences..."), this, &MainWindow::editPreferences);
    preferences->setShortcut(QKeySequence::Preferences);
    preferences->setMenuRole(QAction::PreferencesRole);
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    // Edit: taking back a replacement of the settings (a preset, a config file, "Use these
    // settings"). Ctrl+Z is the canvas's own on the Draw tab, and a text field's in a field.
    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    undoSettings_ = edit->addAction(tr("&Undo settings replacement"), this, [this] {
        const QString by = workspace_->configReplacedBy();
        if (!workspace_->undoConfigReplacement()) return;
        dock_->showOwnSettings();
        statusBar()->showMessage(tr("Your settings are back (they had been replaced by %1).").arg(by), 8000);
    });
    undoSettings_->setObjectName(QStringLiteral("undoSettingsAction"));
    updateUndoSettings();

    // Training: the training bar's commands, with their shortcuts (TrainingActions).
    QMenu* training = menuBar()->addMenu(tr("&Training"));
    training->setObjectName(QStringLiteral("trainingMenu"));
    for (QAction* a : actions_->all()) {
        if (a == actions_->reset()) training->addSeparator();
        training->addAction(a);
    }
    training->addSeparator();
    QAction* continueAction =
        training->addAction(tr("&Continue training..."), this, [this] { continueTrainingInteractive(workspace_->currentRun()); });
    continueAction->setObjectName(QStringLiteral("continueTrainingAction"));
    training->setToolTipsVisible(true);
    connect(training, &QMenu::aboutToShow, this, [this, continueAction] {
        const RunPtr run = workspace_->currentRun();
        const QString why = run ? run->continueProblem() : tr("there is no run on screen");
        continueAction->setEnabled(why.isEmpty());
        continueAction->setToolTip(why.isEmpty() ? tr("Train the run on screen on from where it stopped, to its configured steps or more.")
                                                 : tr("Not possible: %1.").arg(why));
        continueAction->setStatusTip(continueAction->toolTip());
    });

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    for (const auto& preset : presets()) {
        const QString id = preset.id;
        run->addAction(preset.title, this, [this, id] { startPreset(id); });
    }
    run->addSeparator();
    run->addAction(tr("&Sweep a parameter..."), this, [this] { emit gallery_->sweepRequested(); });
    // The paper's figures as data (resources/presets, shared with identitylab-cli reproduce):
    // each queues its runs; they fill the gallery, where selecting them all compares them.
    QMenu* figures = run->addMenu(tr("Paper &figures"));
    const std::string resources = controller_->dataLocations().resourcesDir;
    std::vector<std::string> names;
    try {
        if (!resources.empty()) names = il::presetNames(resources);
    } catch (const il::Error&) {
    }
    for (const std::string& name : names) {
        try {
            const il::Preset preset = il::loadPreset(il::presetPath(resources, name));
            int slow = 0, trained = 0;
            for (const auto& r : preset.runs) {
                slow += r.slow ? 1 : 0;
                trained += r.train ? 1 : 0;
            }
            QString label = QString::fromStdString(preset.title);
            if (slow > 0) label += tr(" (slow on a CPU)");
            QAction* a = figures->addAction(label, this, [this, preset] {
                std::vector<il::ExperimentConfig> configs;
                for (const auto& r : preset.runs)
                    if (r.train) configs.push_back(r.config);
                queueSweep(configs);
                statusBar()->showMessage(
                    tr("Queued %n run(s) of '%1'; they collect in the Gallery.", nullptr, static_cast<int>(configs.size()))
                        .arg(QString::fromStdString(preset.name)),
                    8000);
            });
            a->setToolTip(QString::fromStdString(preset.description));
            a->setData(QString::fromStdString(name));
            a->setEnabled(trained > 0 && (preset.requires.empty() || !controller_->dataLocations().cifarDir.empty()));
        } catch (const il::Error&) {
            // A damaged preset file: leave it out of the menu (the CLI names the problem).
        }
    }
    figures->setToolTipsVisible(true);
    figures->setEnabled(!figures->isEmpty());
    QAction* seeded = run->addAction(tr("Paper figure with &seeds..."), this, [this, figures] {
        std::vector<std::pair<QString, QString>> runnable;
        for (QAction* a : figures->actions())
            if (a->isEnabled()) runnable.emplace_back(a->data().toString(), a->text());
        FigureSeedsDialog dialog(runnable, std::max(2, welcome_->seedsBox()->value()), this);
        if (dialog.exec() != QDialog::Accepted) return;
        QString error;
        if (!queueFigureWithSeeds(dialog.figure(), dialog.seeds(), &error)) QMessageBox::warning(this, dialog.windowTitle(), error);
    });
    seeded->setObjectName(QStringLiteral("figureWithSeedsAction"));
    seeded->setEnabled(figures->isEnabled());
    welcome_->setPaperFigures(figures->actions());  // the same actions, on the welcome page

    QMenu* viewMenu = menuBar()->addMenu(tr("&View"));
    viewMenu->addAction(tr("&Welcome page"), this, &MainWindow::showWelcome);
    QAction* present = viewMenu->addAction(tr("&Presentation mode"), this, &MainWindow::setPresentationMode);
    presentAction_ = present;
    present->setCheckable(true);
    present->setShortcut(QKeySequence(Qt::Key_F11));
    viewMenu->addSeparator();
    views_.addMenuActions(viewMenu, [this](const QString& id) { showView(id); });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* what = help->addAction(tr("What am I looking at?"), this, &MainWindow::showHelp);
    what->setShortcut(QKeySequence::HelpContents);
    help->addAction(tr("About IdentityLab"), this, [this] {
        QMessageBox::about(this, tr("About IdentityLab"),
                           tr("<b>IdentityLab</b><br>%1<br>A laboratory for Zhang, Bengio, Hardt, Mozer and Singer, "
                              "<i>Identity Crisis: Memorization and Generalization under Extreme "
                              "Overparameterization</i>, ICLR 2020.")
                               .arg(QString::fromStdString(il::versionLine()).toHtmlEscaped()));
    });
    showRecentFiles(workspace_->recentFiles());
}

void MainWindow::setPresentationMode(bool on)
{
    // For a projector: full screen without the experiment panel, and everything in the views
    // twice as large (figures, plot text, headers), so it reads from the back of a room.
    panelDock_->setVisible(!on);
    if (presentAction_) presentAction_->setChecked(on);
    RunView::setScreenZoom(on ? kPresentationZoom : 1);
    setStyleSheet(windowStyle(RunView::screenZoom()));
    for (RunView* v : views()) v->scheduleRedraw();
    if (on)
        showFullScreen();
    else
        showNormal();
}

bool MainWindow::isPresentationMode() const { return RunView::screenZoom() > 1; }

void MainWindow::fitToScreen(bool firstStart)
{
    // A first start opens at most of the screen it is on (the panel then needs no scrolling and
    // the welcome page shows whole); a saved size that no longer fits (a laptop after a large
    // monitor, a projector) shrinks to the screen.
    const QScreen* where = screen() ? screen() : QGuiApplication::primaryScreen();
    if (!where) return;
    const QRect available = where->availableGeometry();
    const QSize most(available.width() * 92 / 100, available.height() * 92 / 100);
    if (firstStart) {
        resize(most);
        // On a laptop-sized screen every pixel counts: the panel fits without scrolling only
        // when the window has the screen's whole height (app/gui/main.cpp shows it maximized).
        opensMaximized_ = available.height() < 1200;
    } else if (available.contains(frameGeometry())) {
        return;
    } else {
        resize(size().boundedTo(most));
    }
    move(available.center() - QPoint(width() / 2, height() / 2));
}

void MainWindow::updateExportActions()
{
    if (exportActions_.size() != 5) return;
    RunView* v = isWelcomeShown() ? nullptr : views_.exportTarget();
    QString reason;
    if (isWelcomeShown())
        reason = tr("Nothing is shown yet: train or open a run, or pick a view in the View menu.");
    else if (!v)
        reason = tr("This page has no figure to export.");
    else if (!v->hasContent())
        reason = tr("The %1 view is empty until a run is trained or opened.").arg(v->viewTitle());
    const QString title = v ? v->viewTitle() : tr("view");
    const QStringList texts{tr("&Export %1 as PNG...").arg(title), tr("Export %1 as &PDF...").arg(title),
                            tr("Export %1 as S&VG...").arg(title)};
    for (int i = 0; i < 3; ++i) {
        QAction* a = exportActions_[static_cast<size_t>(i)];
        a->setText(texts[i]);
        a->setEnabled(reason.isEmpty());
        a->setToolTip(reason.isEmpty() ? a->text().remove(QLatin1Char('&')) : reason);
        a->setStatusTip(reason);
    }
    QAction* runFolder = exportActions_[3];
    const bool hasRun = workspace_->currentRun() != nullptr;
    runFolder->setEnabled(hasRun);
    runFolder->setToolTip(hasRun ? tr("The run's data, arrays, checkpoint and figures in one folder") : tr("There is no run to export yet."));
}

void MainWindow::updateUndoSettings()
{
    if (!undoSettings_) return;
    const QString by = workspace_->configReplacedBy();
    undoSettings_->setEnabled(workspace_->canUndoConfigReplacement());
    undoSettings_->setText(by.isEmpty() ? tr("&Undo settings replacement") : tr("&Undo: settings replaced by %1").arg(by));
    // On the Draw tab Ctrl+Z undoes the last stroke (the canvas's Undo button): one key, one meaning.
    const bool drawing = center_->currentWidget() == tabs_ && tabs_->currentWidget() == canvas_;
    undoSettings_->setShortcut(drawing ? QKeySequence() : QKeySequence(QKeySequence::Undo));
}

std::vector<RunView*> MainWindow::views() const { return views_.runViews(); }

RunView* MainWindow::view(const QString& id) const { return views_.runView(id); }

void MainWindow::centreChanged()
{
    history_->setVisible(!isWelcomeShown());
    updateUndoSettings();
    updateExportActions();
}

bool MainWindow::isWelcomeShown() const { return center_->currentWidget() == welcome_; }

void MainWindow::showWelcome() { center_->setCurrentWidget(welcome_); }

void MainWindow::showView(const QString& id)
{
    center_->setCurrentWidget(tabs_);
    views_.show(id);
}

// A run to show brings the views forward; no run at all, the welcome page.
void MainWindow::showCurrentRun(const RunPtr& run)
{
    for (RunView* v : views())
        if (v != gallery_) v->setRun(run);
    history_->setRun(run);
    updateTitle();
    updateExportActions();
    if (run)
        center_->setCurrentWidget(tabs_);
    else
        showWelcome();
}

void MainWindow::redrawRunViews()
{
    for (RunView* v : views())
        if (v != gallery_) v->scheduleRedraw();
}

void MainWindow::updateTitle()
{
    const RunPtr current = workspace_->currentRun();
    QString title = tr("IdentityLab");
    if (current) title = QStringLiteral("%1 - %2").arg(current->title(), title);
    setWindowTitle(title);
    if (statusLabel_) {
        statusLabel_->setText(current ? current->statusText() : tr("ready"));
    }
}

bool MainWindow::refuseInvalidSettings()
{
    // A value still being typed (Ctrl+Return in the field) is part of what Train starts.
    if (dock_->commitSettings()) return false;
    // Said where the user looks after pressing Train, and the marked field brought into view.
    bar_->showError(panel_->problem());
    statusBar()->showMessage(tr("Cannot train: %1").arg(panel_->problems().join(QStringLiteral("; "))), 10000);
    dock_->showOwnSettings();
    return true;
}

quint64 MainWindow::startTraining()
{
    if (refuseInvalidSettings()) return 0;
    const il::ExperimentConfig config = workspace_->config();
    auto run = std::make_shared<RunRecord>();
    run->config = config;
    run->id = controller_->start(config);
    if (run->id == 0) return 0;
    workspace_->setCurrentRun(run);
    return run->id;
}

std::optional<il::DataLocations> MainWindow::drawingData(const il::Image& drawing, QString* folder, QString* error)
{
    const QString where = QDir(controller_->cacheDir()).filePath(QStringLiteral("drawing-%1").arg(++drawingCount_));
    try {
        il::DataLocations data = writeDrawingDataset(drawing, controller_->dataLocations(), where);
        if (folder) *folder = where;
        return data;
    } catch (const il::Error& e) {
        if (error) *error = QString::fromStdString(e.what());
        return std::nullopt;
    }
}

quint64 MainWindow::trainOnDrawing(const il::Image& drawing)
{
    if (refuseInvalidSettings()) return 0;
    QString folder, error;
    const auto data = drawingData(drawing, &folder, &error);
    if (!data) {
        bar_->showError(tr("cannot train on the drawing: %1").arg(error));
        return 0;
    }
    workspace_->cancelSweep();
    auto run = std::make_shared<RunRecord>();
    run->config = drawingConfig(workspace_->config());
    run->customTraining = drawing;
    run->dataFolder = folder;
    run->id = controller_->start(run->config, data);
    if (run->id == 0) return 0;
    workspace_->setCurrentRun(run);
    showView(QStringLiteral("outputs"));
    return run->id;
}

quint64 MainWindow::startPreset(const QString& presetId, int stepsOverride)
{
    const Preset* preset = findPreset(presetId);
    if (!preset) return 0;
    il::ExperimentConfig c = preset->config;
    if (stepsOverride > 0) c.steps = stepsOverride;
    // A preset replaces your settings as a whole: say so, and keep them for Undo. Text in a
    // field that could not run never reached the workspace: it is replaced too, and said so.
    dock_->commitSettings();  // a value still being typed is part of what Undo brings back
    const QString problems = panel_->isValid() ? QString() : panel_->problems().join(QStringLiteral("; "));
    if (workspace_->replaceConfig(c, tr("the preset '%1'").arg(preset->title)))
        statusBar()->showMessage(tr("The preset '%1' replaced your settings; Edit > Undo (%2) brings them back.")
                                     .arg(preset->title, QKeySequence(QKeySequence::Undo).toString(QKeySequence::NativeText)),
                                 10000);
    else if (!problems.isEmpty())
        statusBar()->showMessage(
            tr("The preset '%1' replaced the settings in the panel, which could not run (%2).").arg(preset->title, problems), 10000);
    panel_->setConfig(c);  // also over fields that held text the workspace never had
    return startTraining();
}

void MainWindow::resetModel()
{
    if (refuseInvalidSettings()) return;
    workspace_->cancelSweep();
    auto run = std::make_shared<RunRecord>();
    run->config = workspace_->config();
    run->id = controller_->prepare(run->config);
    workspace_->setCurrentRun(run);
}

void MainWindow::addUserProbe(const il::Image& image)
{
    il::Probe p;
    p.name = tr("drawing %1").arg(workspace_->probes().size() + 1).toStdString();
    p.group = il::ProbeGroup::User;
    p.image = image;
    workspace_->addProbe(p);  // the controller follows the workspace's probes
    controller_->requestFrame();
    statusBar()->showMessage(tr("Added '%1' to the probe set").arg(QString::fromStdString(p.name)), 4000);
}

void MainWindow::onSessionReady(const SessionInfo& info)
{
    const RunPtr current = workspace_->currentRun();
    if (!current || current->id != info.runId) return;
    current->config = info.config;
    current->device = info.device;
    current->size = info.size;
    current->trainingImages = info.trainingImages;
    current->decaySteps = info.decaySteps;
    current->theoryName = info.theoryName;
    current->warnings = info.warnings;
    if (current->loss.empty()) current->loss = info.loss;
    bar_->showSession(info);
    redrawRunViews();
    updateTitle();
}

void MainWindow::onSessionFailed(quint64 runId, const QString& message)
{
    const RunPtr current = workspace_->currentRun();
    if (current && current->id == runId) {
        bar_->showError(message);
        statusBar()->showMessage(message, 15000);
        // Keep the app usable: back to no current run (the welcome page) unless something was
        // shown already.
        if (current->history.empty()) workspace_->setCurrentRun(nullptr);
    }
    if (workspace_->sweepRemaining() > 0) startNextSweepRun();
}

void MainWindow::onProgress(const ProgressUpdate& u)
{
    const RunPtr current = workspace_->currentRun();
    if (!current || current->id != u.runId) return;
    for (const auto& p : u.newPoints) current->loss.push_back(p);
    bar_->showProgress(u);
    loss_->scheduleRedraw();
}

void MainWindow::onFrame(const TrainingFrame& frame)
{
    const RunPtr current = workspace_->currentRun();
    if (!current || current->id != frame.runId) return;
    current->addFrame(frame);
    if (frame.live) {  // not a history frame: the slider and the canvas stay as they are
        redrawRunViews();
        return;
    }
    activations_->updateProbes();
    history_->framesChanged();
    redrawRunViews();
    if (tabs_->currentWidget() == canvas_) canvas_->modelChanged();
    updateTitle();
}

void MainWindow::onRunFinished(const RunResult& result)
{
    const RunPtr current = workspace_->currentRun();
    if (current && current->id == result.runId) {
        current->metrics = result.metrics;
        current->renameCustomTrainingProbes(current->metrics.probes);
        current->loss = result.loss;
        current->finished = true;
        current->checkpointPath = result.checkpointPath;
        bar_->showFinished(result);
        if (result.metrics.stepsDone > 0) workspace_->addRun(current);  // not a run stopped before its first step
        // A labelled sweep's runs (a figure with seeds) are compared as they come, as an opened sweep's are.
        if (!current->label.isEmpty() && workspace_->sweepTotal() > 0 && workspace_->contains(current)) {
            std::vector<RunPtr> selected = workspace_->selectedRuns();
            selected.push_back(current);
            workspace_->setSelectedRuns(selected);
        }
        workspace_->markRunChanged(current);
        redrawRunViews();
        updateTitle();
        emit runFinished(current);
    }
    if (workspace_->sweepRemaining() > 0)
        startNextSweepRun();
    else if (workspace_->sweepTotal() > 0)
        endSweep();
}

// The sweep's runs in the gallery are compared, as an opened sweep folder's are.
void MainWindow::endSweep()
{
    std::vector<RunPtr> done;
    for (const RunPtr& r : workspace_->sweepRuns())
        if (workspace_->contains(r)) done.push_back(r);
    const int total = workspace_->sweepTotal();
    if (!done.empty()) workspace_->setSelectedRuns(done);
    const int n = static_cast<int>(done.size());
    const QString text = n == total ? tr("Sweep done: its %n run(s) are selected for comparison in the Gallery.", nullptr, n)
                         : n > 0 ? tr("Sweep ended after %1 of %2 runs: they are selected for comparison in the Gallery.").arg(n).arg(total)
                                 : tr("Sweep ended before any of its %n run(s) finished.", nullptr, total);
    gallery_->setSweepStatus(text);
    statusBar()->showMessage(text, 15000);
    workspace_->finishSweep();
    // Runs over weight seeds (a paper figure x N seeds, a sweep with seeds): the Ensemble view
    // says how often each network gave which outcome.
    const bool overSeeds = std::any_of(done.begin(), done.end(), [](const RunPtr& r) { return r->label.contains(QStringLiteral("seed=")); });
    if (n > 1 && overSeeds) {
        showView(ensemble_->viewId());
        statusBar()->showMessage(text + tr(" The Ensemble view shows their outcomes over the seeds; the Phase diagram, their rho sweeps."),
                                 15000);
    }
}

void MainWindow::queueSweep(const std::vector<il::ExperimentConfig>& configs)
{
    std::vector<SweepRun> runs;
    for (const il::ExperimentConfig& c : configs) runs.push_back({c, QString()});
    queueSweep(runs);
}

void MainWindow::queueSweep(const std::vector<SweepRun>& runs)
{
    if (runs.empty()) return;
    workspace_->queueSweep(runs);
    if (!controller_->isTraining())
        startNextSweepRun();
    else
        gallery_->setSweepStatus(tr("Sweep queued: %n run(s) after the current one.", nullptr, workspace_->sweepTotal()));
}

void MainWindow::startNextSweepRun()
{
    QString label;
    const std::optional<il::ExperimentConfig> next = workspace_->takeNextSweepRun(&label);
    if (!next) return;
    const int total = workspace_->sweepTotal();
    const int done = total - workspace_->sweepRemaining();
    const QString model = QString::fromStdString(il::describeModel(*next));
    gallery_->setSweepStatus(
        tr("Sweep: run %1 of %2 (%3)").arg(done).arg(total).arg(label.isEmpty() ? model : label + QStringLiteral(", ") + model));
    auto run = std::make_shared<RunRecord>();
    run->config = *next;
    run->label = label;
    run->id = controller_->start(*next);
    workspace_->addSweepRun(run);
    workspace_->setCurrentRun(run);
}

quint64 MainWindow::continueTraining(const RunPtr& run, int totalSteps)
{
    if (!run) return 0;
    const auto refuse = [this, &run](const QString& why) {
        statusBar()->showMessage(tr("Cannot continue %1: %2").arg(run->shortTitle(), why), 10000);
        return quint64(0);
    };
    if (const QString why = run->continueProblem(); !why.isEmpty()) return refuse(why);
    il::ExperimentConfig config = run->config;
    if (totalSteps > 0) {
        if (totalSteps < config.steps)
            return refuse(tr("%1 steps are fewer than the %2 it is configured for").arg(totalSteps).arg(config.steps));
        config.steps = totalSteps;
    }
    try {
        il::validate(config);
    } catch (const il::Error& e) {
        return refuse(QString::fromStdString(e.what()));
    }
    std::optional<il::DataLocations> data;
    if (!run->customTraining.empty()) {
        QString error;
        data = drawingData(run->customTraining, &run->dataFolder, &error);
        if (!data) return refuse(tr("cannot rebuild the drawing's data: %1").arg(error));
    }
    workspace_->cancelSweep();
    const quint64 id = controller_->continueRun(config, run->checkpointPath, data);
    if (id == 0) return 0;
    const int from = run->metrics.stepsDone;
    run->id = id;
    run->config = config;
    run->finished = false;  // its loss and frames go on as the worker reports them
    if (workspace_->currentRun() == run)
        showCurrentRun(run);
    else
        workspace_->setCurrentRun(run);
    statusBar()->showMessage(tr("Continuing %1 from step %2 to step %3.").arg(run->shortTitle()).arg(from).arg(config.steps), 8000);
    return id;
}

void MainWindow::continueTrainingInteractive(const RunPtr& run)
{
    if (!run || !run->continueProblem().isEmpty()) {
        if (!run) statusBar()->showMessage(tr("There is no run to continue."), 8000);
        continueTraining(run);  // says why not
        return;
    }
    bool ok = false;
    const int steps = QInputDialog::getInt(
        this, tr("Continue training"),
        tr("%1 stopped at step %2 of %3.\nTrain on to step:").arg(run->shortTitle()).arg(run->metrics.stepsDone).arg(run->config.steps),
        run->config.steps, run->config.steps, 10000000, 100, &ok);
    if (ok) continueTraining(run, steps);
}

bool MainWindow::queueFigureWithSeeds(const QString& presetName, int seeds, QString* error)
{
    std::vector<LabelledRun> runs;
    try {
        runs = figureRunsWithSeeds(il::presetPath(controller_->dataLocations().resourcesDir, presetName.toStdString()), seeds);
    } catch (const il::Error& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
    if (runs.empty()) {
        if (error) *error = tr("The figure '%1' has no runs to train.").arg(presetName);
        return false;
    }
    std::vector<SweepRun> queued;
    for (const LabelledRun& r : runs) queued.push_back({r.config, r.label});
    workspace_->setSelectedRuns({});  // the figure's runs are selected as they finish
    queueSweep(queued);
    statusBar()->showMessage(tr("Queued %n run(s) of '%1' (%2 seeds each); they collect in the Gallery, selected, for the "
                                "Ensemble view.",
                                nullptr, static_cast<int>(queued.size()))
                                 .arg(presetName)
                                 .arg(seeds),
                             10000);
    return true;
}

// --- files -----------------------------------------------------------------------------------

bool MainWindow::openFile(const QString& path, QString* error)
{
    auto fail = [&](const QString& message) {
        if (error) *error = message;
        statusBar()->showMessage(message, 10000);
        return false;
    };
    if (!QFileInfo::exists(path)) return fail(tr("%1 does not exist").arg(path));
    if (QFileInfo(path).isDir()) return openFolder(path, error);
    if (isRunFile(path)) {
        auto run = std::make_shared<RunRecord>();
        const QString weights = QDir(controller_->cacheDir()).filePath(QStringLiteral("opened-%1.pt").arg(++openedCount_));
        QString message;
        if (!loadRunFile(path, weights, *run, &message)) return fail(message);
        workspace_->addRecentFile(path);
        // Its settings show in the Experiment dock beside it; yours stay as they are.
        if (run->finished) workspace_->addRun(run);
        openRun(run);
        return true;
    }
    try {
        const il::ExperimentConfig config = il::loadConfigFile(path.toStdString());
        const QString name = QFileInfo(path).fileName();
        const bool replaced = workspace_->replaceConfig(config, tr("the config %1").arg(name));
        panel_->setConfig(config);  // also when it was the workspace's already: a field may show other text
        dock_->showOwnSettings();
        workspace_->addRecentFile(path);
        statusBar()->showMessage(replaced
                                     ? tr("Loaded the config %1; press Train to run it (Edit > Undo brings back your settings).").arg(name)
                                     : tr("Loaded the config %1; press Train to run it.").arg(name),
                                 8000);
        return true;
    } catch (const il::Error& e) {
        return fail(QString::fromStdString(e.what()));
    }
}

void MainWindow::openRun(const RunPtr& run)
{
    if (!run) return;
    if (controller_->isTraining()) {
        workspace_->cancelSweep();
        controller_->stop();
    }
    auto opened = run;
    if (!run->checkpointPath.isEmpty()) {
        std::optional<il::DataLocations> data;
        if (!run->customTraining.empty()) {
            // A drawing's run needs its MNIST copy again (the cache folder may be gone).
            QString error;
            data = drawingData(run->customTraining, &run->dataFolder, &error);
            if (!data) {
                bar_->showError(tr("cannot rebuild the drawing's data: %1").arg(error));
                return;
            }
        }
        opened->id = controller_->load(run->config, run->checkpointPath, data);
    }
    workspace_->setCurrentRun(opened);
    center_->setCurrentWidget(tabs_);  // also when it was the current run already
    bar_->showMessage(tr("Opened %1 (%2)").arg(run->title(), run->statusText()));
}

bool MainWindow::openFolder(const QString& path, QString* error)
{
    auto fail = [&](const QString& message) {
        if (error) *error = message;
        statusBar()->showMessage(message, 10000);
        return false;
    };
    if (FolderOpener::isRunFolder(path)) {
        // Read here: a run folder's arrays are a few hundred kB. Opened twice, it is one run.
        RunPtr run = folders_->openRun(path);
        if (!run) {
            QString message;
            run = readRunFolderRecord(path, &message);
            if (!run) return fail(message);
        }
        workspace_->addRecentFile(path);
        workspace_->addRun(run);
        openRun(run);
        return true;
    }
    if (FolderOpener::isSweepFolder(path)) {
        workspace_->addRecentFile(path);
        folders_->openSweep(path);
        showView(gallery_->viewId());
        return true;
    }
    return fail(tr("%1 is neither a run folder (config.json and metrics.json) nor a sweep folder (plan.json, or run folders "
                   "inside)")
                    .arg(path));
}

void MainWindow::openFolderInteractive()
{
    QSettings settings;
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a run folder or a sweep folder"),
                                                          settings.value(QStringLiteral("files/lastDir")).toString());
    if (dir.isEmpty()) return;
    settings.setValue(QStringLiteral("files/lastDir"), QFileInfo(dir).absolutePath());
    QString error;
    if (!openFile(dir, &error)) QMessageBox::warning(this, tr("Open"), error);
}

void MainWindow::openInteractive()
{
    QSettings settings;
    const QString dir = settings.value(QStringLiteral("files/lastDir")).toString();
    const QString path = QFileDialog::getOpenFileName(this, tr("Open a run or a config"), dir,
                                                      tr("IdentityLab files (*.ilrun *.json);;Runs (*.ilrun);;Configs (*.json)"));
    if (path.isEmpty()) return;
    settings.setValue(QStringLiteral("files/lastDir"), QFileInfo(path).absolutePath());
    QString error;
    if (!openFile(path, &error)) QMessageBox::warning(this, tr("Open"), error);
}

bool MainWindow::saveRun(const RunPtr& run, const QString& path, QString* error)
{
    if (!run) {
        if (error) *error = tr("There is no run to save.");
        return false;
    }
    if (!run->checkpointPath.isEmpty() && run->finished) {
        const bool ok = saveRunFile(*run, run->checkpointPath, path, error);
        if (ok) {
            run->sourceFile = path;
            workspace_->addRecentFile(path);
            workspace_->markRunChanged(run);
        }
        emit runSaved(path, ok ? QString() : (error ? *error : QString()));
        return ok;
    }
    if (run != workspace_->currentRun()) {
        if (error) *error = tr("The weights of this run are not available any more.");
        return false;
    }
    // The current run (training, paused, reset or loaded): the worker writes its weights
    // between two steps, then the file is completed in onCheckpointSaved.
    pendingSave_.run = run;
    pendingSave_.target = path;
    pendingSave_.checkpoint = QDir(controller_->cacheDir()).filePath(QStringLiteral("save-%1.pt").arg(run->id));
    pendingSave_.requestId = controller_->requestCheckpoint(pendingSave_.checkpoint);
    statusBar()->showMessage(tr("Saving %1...").arg(path));
    return true;
}

bool MainWindow::saveCurrentRun(const QString& path, QString* error) { return saveRun(workspace_->currentRun(), path, error); }

void MainWindow::onCheckpointSaved(quint64 id, const QString& checkpoint, const QString& error)
{
    if (id != pendingSave_.requestId || !pendingSave_.run) return;
    PendingSave job = pendingSave_;
    pendingSave_ = PendingSave{};
    QString message = error;
    bool ok = error.isEmpty();
    if (ok) {
        RunRecord copy = *job.run;
        copy.metrics = job.run->metricsSoFar();
        ok = saveRunFile(copy, checkpoint, job.target, &message);
    }
    if (ok) {
        job.run->sourceFile = job.target;
        workspace_->addRecentFile(job.target);
        workspace_->markRunChanged(job.run);
        statusBar()->showMessage(tr("Saved %1").arg(job.target), 6000);
    } else {
        statusBar()->showMessage(tr("Could not save: %1").arg(message), 10000);
    }
    emit runSaved(job.target, ok ? QString() : message);
}

void MainWindow::saveRunInteractive(const RunPtr& run)
{
    if (!run) {
        statusBar()->showMessage(tr("There is no run to save yet."), 5000);
        return;
    }
    QSettings settings;
    QString name = run->title();
    name.replace(QLatin1Char(' '), QLatin1Char('-'));
    const QString dir = settings.value(QStringLiteral("files/lastDir"), QDir::homePath()).toString();
    const QString path = QFileDialog::getSaveFileName(this, tr("Save the run"), QDir(dir).filePath(name + QStringLiteral(".ilrun")),
                                                      tr("IdentityLab runs (*.ilrun)"));
    if (path.isEmpty()) return;
    settings.setValue(QStringLiteral("files/lastDir"), QFileInfo(path).absolutePath());
    QString error;
    if (!saveRun(run, path, &error)) QMessageBox::warning(this, tr("Save the run"), error);
}

void MainWindow::showRecentFiles(const QStringList& files)
{
    if (!recentMenu_) return;
    recentMenu_->clear();
    for (const QString& f : files) {
        recentMenu_
            ->addAction(QFileInfo(f).fileName(), this,
                        [this, f] {
                            QString error;
                            if (!openFile(f, &error)) QMessageBox::warning(this, tr("Open"), error);
                        })
            ->setToolTip(f);
    }
    recentMenu_->setEnabled(!files.isEmpty());
}

// --- export ----------------------------------------------------------------------------------

bool MainWindow::exportView(RunView* v, const QString& path, int scale, QString* error)
{
    if (!v) return false;
    if (path.endsWith(QStringLiteral(".pdf"), Qt::CaseInsensitive)) return v->exportPdf(path, scale, error);
    if (path.endsWith(QStringLiteral(".svg"), Qt::CaseInsensitive)) return v->exportSvg(path, scale, error);
    const QImage image = v->renderImage(scale);
    if (image.isNull()) {
        if (error) *error = tr("The %1 view has nothing to export yet.").arg(v->viewTitle());
        return false;
    }
    return savePng(image, path, error);
}

bool MainWindow::exportAll(const QString& folder, int scale, QString* error)
{
    QDir dir(folder);
    if (!dir.exists() && !QDir().mkpath(folder)) {
        if (error) *error = tr("Cannot create the folder %1").arg(folder);
        return false;
    }
    QStringList problems;
    int written = 0;
    for (RunView* v : views()) {
        if (!v->hasContent()) continue;
        QString e;
        if (exportView(v, dir.filePath(v->viewId() + QStringLiteral(".png")), scale, &e))
            ++written;
        else
            problems << e;
        if (!exportView(v, dir.filePath(v->viewId() + QStringLiteral(".svg")), scale, &e)) problems << e;
        if (!exportView(v, dir.filePath(v->viewId() + QStringLiteral(".pdf")), scale, &e)) problems << e;
    }
    const RunPtr current = workspace_->currentRun();
    try {
        // A run's data as a run folder holds it (engine/io/run_folder.h); the figures are the views' above.
        if (current)
            writeRunRecordFolder(folder, *current, current->metricsSoFar(),
                                 runFolderOptions(*current, controller_->dataLocations(), false));
        else
            il::json::writeFileAtomic(dir.filePath(QStringLiteral("config.json")).toStdString(),
                                      il::configToJson(workspace_->config()).dump(2) + "\n");
        if (current && !current->customTraining.empty()) {
            // config.json says MNIST index 0; the image really trained on is this drawing.
            QString e;
            if (!savePng(toQImage(current->customTraining, 8), dir.filePath(QStringLiteral("training-drawing.png")), &e)) problems << e;
        }
    } catch (const il::Error& e) {
        problems << QString::fromStdString(e.what());
    }
    if (!problems.isEmpty() && error) *error = problems.join(QLatin1Char('\n'));
    statusBar()->showMessage(tr("Exported %n figure(s) to %1", nullptr, written).arg(folder), 8000);
    return problems.isEmpty();
}

void MainWindow::exportInteractive(RunView* v, const QString& format)
{
    if (!v) return;
    if (!v->hasContent()) {
        statusBar()->showMessage(tr("The %1 view has nothing to export yet.").arg(v->viewTitle()), 5000);
        return;
    }
    QSettings settings;
    const QString dir = settings.value(QStringLiteral("export/lastDir"), QDir::homePath()).toString();
    const bool pdf = format == QStringLiteral("pdf"), svg = format == QStringLiteral("svg");
    const QString suggested = QDir(dir).filePath(v->viewId() + QLatin1Char('.') + format);
    const QString path = QFileDialog::getSaveFileName(this,
                                                      pdf   ? tr("Export %1 as PDF").arg(v->viewTitle())
                                                      : svg ? tr("Export %1 as SVG (%2x)").arg(v->viewTitle()).arg(exportScale())
                                                            : tr("Export %1 as PNG (%2x)").arg(v->viewTitle()).arg(exportScale()),
                                                      suggested,
                                                      pdf   ? tr("PDF (*.pdf)")
                                                      : svg ? tr("SVG images (*.svg)")
                                                            : tr("PNG images (*.png)"));
    if (path.isEmpty()) return;
    settings.setValue(QStringLiteral("export/lastDir"), QFileInfo(path).absolutePath());
    QString error;
    if (exportView(v, path, exportScale(), &error))
        statusBar()->showMessage(tr("Exported %1").arg(path), 6000);
    else
        QMessageBox::warning(this, tr("Export"), error);
}

void MainWindow::exportAllInteractive()
{
    QSettings settings;
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Export every view into a folder"),
                                                          settings.value(QStringLiteral("export/lastDir"), QDir::homePath()).toString());
    if (dir.isEmpty()) return;
    settings.setValue(QStringLiteral("export/lastDir"), dir);
    QString error;
    if (!exportAll(dir, exportScale(), &error)) QMessageBox::warning(this, tr("Export all"), error);
}

// --- misc ------------------------------------------------------------------------------------

void MainWindow::showHelp()
{
    QString text;
    if (isWelcomeShown()) {
        text = tr("Pick one of the experiments, or set up a network on the left and press Train.");
    } else if (const ViewRegistry::Entry* shown = views_.current()) {
        text = views_.helpText(*shown);
    }
    QMessageBox box(QMessageBox::Information, tr("What am I looking at?"), text, QMessageBox::Ok, this);
    box.setTextFormat(Qt::RichText);
    box.exec();
}

void MainWindow::readSettings()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    const QString config = settings.value(QStringLiteral("experiment/config")).toString();
    if (!config.isEmpty()) {
        try {
            workspace_->setConfig(il::configFromJson(il::json::parse(config.toStdString())));
        } catch (const il::Error&) {
            // An old or damaged saved config: keep the defaults.
        }
    }
    workspace_->setRecentFiles(settings.value(QStringLiteral("files/recent")).toStringList());
    fitToScreen(!settings.contains(QStringLiteral("window/geometry")));
}

void MainWindow::writeSettings()
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("experiment/config"), QString::fromStdString(il::configToJson(workspace_->config()).dump(-1)));
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    writeSettings();
    // Safe while training: stop the loop and wait for the worker to leave it, so no session
    // outlives the window. Shutdown aborts the run (TrainingControl::requestAbort), so only the
    // current step is finished, without the final evaluation; the window still goes away first
    // so that the wait for that step happens out of sight.
    workspace_->cancelSweep();
    hide();
    QApplication::processEvents(QEventLoop::ExcludeUserInputEvents);
    controller_->shutdown();
    // A "Save run" asked for just before closing: the worker wrote the weights on its way out
    // (it serves requests after every step), and its answer is queued for this thread. Deliver
    // it now, so the .ilrun is written instead of dropped with the window
    // (tests/ui/tst_bad_inputs.cpp).
    if (pendingSave_.run) QCoreApplication::sendPostedEvents(controller_, QEvent::MetaCall);
    event->accept();
}

}  // namespace il::ui
