#include "ui/session/session_autosave.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QCryptographicHash>
#include <QDataStream>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>
#include <QSaveFile>
#include <QScopeGuard>
#include <QStatusBar>

#include <algorithm>
#include <cstdio>

#include "engine/config/config_json.h"
#include "ui/session/session_host.h"
#include "ui/training/training_controller.h"
#include "ui/workspace/workspace.h"

namespace il::ui {

namespace {

constexpr int kDebounceMs = 600;
constexpr int kMaxDelayMs = 3000;
constexpr int kPollMs = 2000;
constexpr int kCloseWaitMs = 5000;
constexpr qint64 kCheckpointGiveUpMs = 120000;
constexpr int kReportTimeoutMs = 60000;

bool offscreen() { return QGuiApplication::platformName() == QLatin1String("offscreen"); }

QJsonObject runJson(const RunRecord& r)
{
    QJsonObject o;
    o[QStringLiteral("title")] = r.title();
    o[QStringLiteral("status")] = r.statusText();
    o[QStringLiteral("finished")] = r.finished;
    o[QStringLiteral("stepsDone")] = r.metrics.stepsDone;
    o[QStringLiteral("stopReason")] = static_cast<int>(r.metrics.stopReason);
    o[QStringLiteral("stopDetail")] = QString::fromStdString(r.metrics.stopDetail);
    o[QStringLiteral("lossPoints")] = static_cast<int>(r.loss.size());
    o[QStringLiteral("lastLossStep")] = r.loss.empty() ? -1 : r.loss.back().step;
    o[QStringLiteral("frames")] = static_cast<int>(r.history.size());
    o[QStringLiteral("lastFrameStep")] = r.history.empty() ? -1 : r.history.back().step;
    o[QStringLiteral("hasWeights")] = !r.checkpointPath.isEmpty() && QFileInfo::exists(r.checkpointPath);
    o[QStringLiteral("customTraining")] = !r.customTraining.empty();
    o[QStringLiteral("config")] = QJsonDocument::fromJson(QByteArray::fromStdString(il::configToJson(r.config).dump(-1))).object();
    return o;
}

}  // namespace

SessionAutosave::SessionAutosave(Workspace* workspace, SessionHost* host, const QString& dir)
    : QObject(nullptr), workspace_(workspace), host_(host), store_(dir)
{
    debounce_.setSingleShot(true);
    debounce_.setInterval(kDebounceMs);
    connect(&debounce_, &QTimer::timeout, this, &SessionAutosave::saveLight);
    poll_.setInterval(kPollMs);
    connect(&poll_, &QTimer::timeout, this, &SessionAutosave::poll);
    weights_.setSingleShot(true);
    connect(&weights_, &QTimer::timeout, this, &SessionAutosave::autosaveTrainingRun);
    // Only as a guard against the wrong destruction order: never touch a dying window or
    // workspace.
    auto forget = [this] {
        host_ = nullptr;  // first: the window may be half destroyed already
        deactivate();
    };
    connect(window(), &QObject::destroyed, this, forget);
    connect(workspace_, &QObject::destroyed, this, forget);
}

SessionAutosave::~SessionAutosave()
{
    if (active_ && host_) saveLight();
    deactivate();
}

QMainWindow* SessionAutosave::window() const { return host_ ? host_->hostWindow() : nullptr; }

TrainingController* SessionAutosave::controller() const { return host_ ? host_->controller() : nullptr; }

void SessionAutosave::showStatus(const QString& message, int ms) const
{
    if (QMainWindow* w = window()) w->statusBar()->showMessage(message, ms);
}

void SessionAutosave::deactivate()
{
    debounce_.stop();
    poll_.stop();
    weights_.stop();
    if (writer_) writer_->waitIdle();
    writer_.reset();
    if (QMainWindow* w = window()) w->removeEventFilter(this);
    active_ = false;
    store_.unlock();
}

int SessionAutosave::weightsIntervalMs(long long parameters)
{
    // About 8 bytes a parameter (weights and SGD momentum) per write: 8 s per million parameters
    // keeps the average disk traffic near 1 MB/s (a 20-layer CNN's 59 MB checkpoint once a minute,
    // not 28 GB an hour as a 10 s interval would write).
    const double ms = 2000.0 + 8000.0 * static_cast<double>(std::max(0LL, parameters)) / 1e6;
    return static_cast<int>(std::min(ms, 120000.0));
}

QString SessionAutosave::sheetDigest(const QImage& sheet)
{
    if (sheet.isNull()) return {};
    const QImage grey = sheet.convertToFormat(QImage::Format_Grayscale8);
    QCryptographicHash hash(QCryptographicHash::Sha1);
    for (int y = 0; y < grey.height(); ++y)
        hash.addData(QByteArrayView(reinterpret_cast<const char*>(grey.constScanLine(y)), grey.width()));
    return QString::fromLatin1(hash.result().toHex());
}

QString SessionAutosave::imageDigest(const il::Image& image)
{
    QByteArray bytes;
    QDataStream s(&bytes, QIODevice::WriteOnly);
    s.setByteOrder(QDataStream::LittleEndian);
    s.setFloatingPointPrecision(QDataStream::SinglePrecision);
    s << qint32(image.channels) << qint32(image.height) << qint32(image.width);
    for (float v : image.pixels) s << v;
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha1).toHex());
}

SessionAutosave::Stats SessionAutosave::stats() const
{
    std::lock_guard<std::mutex> lock(statsMutex_);
    return stats_;
}

// --- start and restore -----------------------------------------------------------------------

bool SessionAutosave::start()
{
    if (active_ || !host_) return active_;
    addMenuAction();
    QString error;
    if (!store_.lock(&error)) {
        restoreMessage_ = tr("This window's session is not saved: %1.").arg(error);
        showStatus(restoreMessage_, 20000);
        std::fprintf(stderr, "identitylab: %s\n", qPrintable(restoreMessage_));
        if (newSessionAction_) newSessionAction_->setEnabled(false);
        return false;
    }
    writer_ = std::make_unique<SessionWriter>();
    restore();
    active_ = true;
    connectWorkspace();
    window()->installEventFilter(this);
    lightPrint_ = lightFingerprint();
    poll_.start();
    armWeightsTimer();
    // A session that came back with problems is written again at once, as it is now.
    if (restoreMessage_.contains(QLatin1String(".broken")) || !QFileInfo::exists(store_.manifestPath())) queueManifest();
    return true;
}

void SessionAutosave::addMenuAction()
{
    if (newSessionAction_) return;
    QMenu* file = host_->sessionMenu();
    newSessionAction_ = new QAction(tr("&New session"), window());
    newSessionAction_->setObjectName(QStringLiteral("newSessionAction"));
    newSessionAction_->setToolTip(tr("Start afresh: clears the gallery, the current run and your drawings (the autosaved session)."));
    connect(newSessionAction_, &QAction::triggered, this, [this] { newSession(true); });
    if (file) {
        QAction* first = file->actions().value(0);
        file->insertAction(first, newSessionAction_);
        file->insertSeparator(first);
    }
}

void SessionAutosave::restore()
{
    Workspace& w = *workspace_;
    SessionLoad loaded = store_.load(controller()->cacheDir());
    const SessionManifest& m = loaded.manifest;
    nextRun_ = std::max(1, m.nextRun);

    RunPtr current;
    std::vector<RunPtr> selected;
    int inGallery = 0;
    RunPtr interrupted;
    for (RestoredRun& r : loaded.runs) {
        Tracked t;
        t.run = r.run;
        t.key = r.entry.key;
        t.queued = true;
        t.step = r.run->metrics.stepsDone;
        t.interrupted = r.entry.interrupted || r.entry.training;
        if (r.entry.training) {
            // It was training when the app ended: the file holds its last autosave.
            r.run->finished = true;
            interrupted = r.run;
        }
        t.print = runFingerprint(*r.run);
        tracked_[r.run.get()] = t;
        if (r.entry.inGallery || (r.entry.training && r.run->metrics.stepsDone > 0)) {
            w.addRun(r.run);
            ++inGallery;
        }
        if (r.entry.selected) selected.push_back(r.run);
        if (r.entry.current || r.entry.training) current = r.run;
    }
    if (!selected.empty()) w.setSelectedRuns(selected);
    if (current) {
        if (!current->checkpointPath.isEmpty()) load_ = Load::Loading;
        host_->openRun(current);  // loads its weights: the canvas and the activations work on it
        if (load_ == Load::Loading) loadId_ = current->id;
    }
    if (m.config) w.setConfig(*m.config);
    if (!m.canvas.isNull()) w.setDrawing(m.canvas);
    if (!m.probes.empty()) w.setProbes(m.probes);

    QStringList parts;
    if (inGallery > 0) parts << tr("%n run(s) in the gallery", nullptr, inGallery);
    if (interrupted)
        parts << tr("the run that was training (%1) as at its last autosave, step %2, marked interrupted")
                     .arg(interrupted->title())
                     .arg(interrupted->metrics.stepsDone);
    else if (current)
        parts << tr("the current run (%1)").arg(current->title());
    if (m.config) parts << tr("the experiment settings");
    if (!m.canvas.isNull()) parts << tr("your drawing");
    if (!m.probes.empty()) parts << tr("%n drawing(s) in the probe set", nullptr, static_cast<int>(m.probes.size()));
    QString message;
    if (!parts.isEmpty()) message = tr("Session restored: %1.").arg(parts.join(QStringLiteral(", ")));
    if (loaded.manifestBroken) message = tr("Starting a new session.");
    if (!loaded.problems.isEmpty()) message = (message + QLatin1Char(' ') + loaded.problems.join(QLatin1Char(' '))).trimmed();
    restoreMessage_ = message;
    if (!message.isEmpty()) {
        showStatus(message, 20000);
        std::fprintf(stderr, "identitylab: %s\n", qPrintable(message));
    }
    if (loaded.manifestBroken || !loaded.problems.isEmpty()) showProblem(message + tr("\n\nSession folder: %1").arg(store_.dir()));
}

void SessionAutosave::showProblem(const QString& message)
{
    // Not modal: the app is usable at once, and a test or script is not held up.
    auto* box = new QMessageBox(QMessageBox::Warning, tr("The last session"), message, QMessageBox::Ok, window());
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::NonModal);
    box->show();
}

void SessionAutosave::connectWorkspace()
{
    const Workspace* w = workspace_;
    connect(w, &Workspace::configChanged, this, &SessionAutosave::scheduleSave);
    connect(w, &Workspace::drawingChanged, this, &SessionAutosave::scheduleSave);
    connect(w, &Workspace::probesChanged, this, &SessionAutosave::scheduleSave);
    connect(w, &Workspace::currentRunChanged, this, &SessionAutosave::scheduleSave);
    connect(w, &Workspace::runAdded, this, &SessionAutosave::scheduleSave);
    connect(w, &Workspace::runRemoved, this, &SessionAutosave::scheduleSave);
    connect(w, &Workspace::runChanged, this, &SessionAutosave::scheduleSave);
    connect(w, &Workspace::selectionChanged, this, &SessionAutosave::scheduleSave);
    TrainingController* c = controller();
    connect(c, &TrainingController::stateChanged, this, [this] {
        scheduleSave();
        armWeightsTimer();
    });
    connect(c, &TrainingController::checkpointSaved, this, &SessionAutosave::onCheckpointSaved);
    connect(c, &TrainingController::sessionReady, this, &SessionAutosave::onSessionReady);
    connect(c, &TrainingController::sessionEvaluated, this, [this](quint64 id, const il::RunMetrics&) {
        if (load_ == Load::Loaded && id == loadId_) evaluated_ = true;
    });
    connect(c, &TrainingController::sessionFailed, this, [this](quint64 id, const QString&) {
        if (load_ == Load::Loading && id == loadId_) load_ = Load::Failed;
    });
}

void SessionAutosave::onSessionReady(const SessionInfo& info)
{
    if (load_ == Load::Loading && info.runId == loadId_) {
        load_ = Load::Loaded;
        loadedSteps_ = info.stepsDone;
    }
    // An interrupted run's loss may end a few steps before its weights (the progress batches
    // trail the worker); the checkpoint has the exact history, so take it from there.
    RunPtr run = host_ ? workspace_->currentRun() : nullptr;
    if (!run || run->id != info.runId) return;
    auto it = tracked_.find(run.get());
    if (it == tracked_.end() || !it->second.interrupted) return;
    if (info.stepsDone > run->metrics.stepsDone && static_cast<int>(info.loss.size()) == info.stepsDone) {
        run->loss = info.loss;
        run->metrics.stepsDone = info.stepsDone;
        run->metrics.finalLoss = info.loss.back().loss;
        scheduleSave();
    }
}

// --- what changed ----------------------------------------------------------------------------

RunPtr SessionAutosave::trainingRun() const
{
    if (!host_) return nullptr;
    RunPtr run = workspace_->currentRun();
    const TrainingController* c = controller();
    if (!run || run->finished || !c->isTraining() || run->id != c->currentRunId()) return nullptr;
    return run;
}

QString SessionAutosave::runFingerprint(const RunRecord& r)
{
    return QStringLiteral("%1|%2|%3|%4|%5|%6|%7|%8|%9")
        .arg(r.finished)
        .arg(r.loss.size())
        .arg(r.history.size())
        .arg(r.history.empty() ? -1 : r.history.back().step)
        .arg(r.metrics.stepsDone)
        .arg(r.metrics.layerClassifier.error.size())
        .arg(r.checkpointPath)
        .arg(r.name, QString::number(qHash(r.notes)));  // renamed or annotated: written again
}

QString SessionAutosave::lightFingerprint() const
{
    const Workspace& w = *workspace_;
    QString s = QString::fromStdString(il::configToJson(w.config()).dump(-1));
    const QImage& sheet = w.drawing();
    s += QStringLiteral("|canvas %1").arg(sheet.isNull() ? 0 : qHashBits(sheet.constBits(), static_cast<size_t>(sheet.sizeInBytes())));
    for (const auto& p : w.probes()) s += QStringLiteral("|probe ") + QString::fromStdString(p.name);
    const RunPtr training = trainingRun();
    auto add = [&](const RunPtr& r, const char* role) {
        s += QStringLiteral("|%1 %2 %3").arg(QLatin1String(role)).arg(quintptr(r.get())).arg(r->sourceFile);
        if (r != training) s += QLatin1Char(' ') + runFingerprint(*r);
    };
    for (const RunPtr& r : w.runs()) add(r, "run");
    for (const RunPtr& r : w.selectedRuns()) s += QStringLiteral("|sel %1").arg(quintptr(r.get()));
    if (w.currentRun()) add(w.currentRun(), "current");
    return s;
}

void SessionAutosave::scheduleSave()
{
    if (!active_) return;
    if (!debounce_.isActive()) firstChange_.start();
    // A burst of changes (drawing, a sweep) is written at most kMaxDelayMs after it began.
    const qint64 waited = firstChange_.isValid() ? firstChange_.elapsed() : 0;
    debounce_.start(static_cast<int>(std::clamp<qint64>(kMaxDelayMs - waited, 0, kDebounceMs)));
}

void SessionAutosave::poll()
{
    if (!active_) return;
    if (lightFingerprint() != lightPrint_ && !debounce_.isActive()) scheduleSave();
    // A lost checkpoint request (replaced by the user's Save in the worker's mailbox, which
    // answers only the latest) is forgotten after a while.
    if (checkpointRequest_ != 0 && checkpointAge_.elapsed() > kCheckpointGiveUpMs) checkpointRequest_ = 0;
}

SessionAutosave::Tracked& SessionAutosave::track(const RunPtr& run)
{
    auto it = tracked_.find(run.get());
    if (it != tracked_.end() && it->second.run.lock() == run) return it->second;
    Tracked t;
    t.run = run;
    t.key = QStringLiteral("run-%1").arg(nextRun_++);
    tracked_[run.get()] = t;
    return tracked_[run.get()];
}

void SessionAutosave::pruneTracked()
{
    for (auto it = tracked_.begin(); it != tracked_.end();) {
        if (it->second.run.expired())
            it = tracked_.erase(it);
        else
            ++it;
    }
}

// --- writing ---------------------------------------------------------------------------------

void SessionAutosave::saveLight()
{
    if (!active_ || !host_) return;
    debounce_.stop();
    pruneTracked();
    const Workspace& w = *workspace_;
    std::vector<RunPtr> runs = w.runs();
    if (w.currentRun() && std::find(runs.begin(), runs.end(), w.currentRun()) == runs.end()) runs.push_back(w.currentRun());
    const RunPtr training = trainingRun();
    for (const RunPtr& run : runs) {
        if (run == training) continue;                // written with fresh weights by autosaveTrainingRun
        if (run->checkpointPath.isEmpty()) continue;  // nothing trained to keep (a reset network)
        Tracked& t = track(run);
        if (t.queued && !t.training && t.print == runFingerprint(*run)) continue;
        queueRunWrite(run, t, run->checkpointPath, false);
    }
    queueManifest();
}

void SessionAutosave::queueRunWrite(const RunPtr& run, Tracked& t, const QString& checkpoint, bool asInterrupted)
{
    QElapsedTimer clock;
    clock.start();
    auto copy = std::make_shared<RunRecord>(*run);
    if (asInterrupted) {
        copy->metrics = run->metricsSoFar();
        copy->metrics.stopDetail = tr("interrupted at step %1: IdentityLab ended while the run was training; this is its "
                                      "last autosave")
                                       .arg(copy->metrics.stepsDone)
                                       .toStdString();
        copy->finished = true;
    }
    const double copyMs = clock.nsecsElapsed() / 1e6;
    t.queued = true;
    t.writing = true;
    t.training = asInterrupted;
    t.print = runFingerprint(*run);
    t.step = copy->metrics.stepsDone > 0 ? copy->metrics.stepsDone : (run->loss.empty() ? 0 : run->loss.back().step + 1);
    {
        std::lock_guard<std::mutex> lock(statsMutex_);
        stats_.lastCopyMs = copyMs;
    }
    const QString key = t.key;
    SessionStore* store = &store_;
    writer_->post([this, store, copy, checkpoint, key, asInterrupted] {
        QElapsedTimer c;
        c.start();
        QString error;
        const bool ok = store->writeRun(*copy, checkpoint, key, &error);
        const double ms = c.nsecsElapsed() / 1e6;
        if (asInterrupted) QFile::remove(checkpoint);  // the autosave's own checkpoint
        {
            std::lock_guard<std::mutex> lock(statsMutex_);
            if (ok) {
                ++stats_.runWrites;
                stats_.lastRunWriteMs = ms;
                stats_.lastRunBytes = QFileInfo(store->runPath(key)).size();
            }
        }
        QMetaObject::invokeMethod(
            this, [this, key, ok, error] { writeDone(key, ok, error); }, Qt::QueuedConnection);
    });
}

SessionManifest SessionAutosave::buildManifest() const
{
    const Workspace& w = *workspace_;
    SessionManifest m;
    m.appVersion = QCoreApplication::applicationVersion();
    m.saved = QDateTime::currentDateTime();
    m.config = w.config();
    m.canvas = w.drawing();
    m.probes = w.probes();
    m.nextRun = nextRun_;
    const RunPtr current = w.currentRun();
    const std::vector<RunPtr>& selected = w.selectedRuns();
    auto entryFor = [&](const RunPtr& run, bool inGallery) {
        auto it = tracked_.find(run.get());
        if (it == tracked_.end() || !it->second.queued || it->second.run.lock() != run) return;
        const Tracked& t = it->second;
        SessionRunEntry e;
        e.key = t.key;
        e.title = run->title();
        e.inGallery = inGallery;
        e.current = run == current;
        e.selected = std::find(selected.begin(), selected.end(), run) != selected.end();
        e.training = t.training;
        e.interrupted = t.interrupted;
        e.step = t.step;
        e.sourceFile = run->sourceFile;
        e.label = run->label;
        m.runs.push_back(e);
    };
    const auto& gallery = w.runs();
    for (const RunPtr& r : gallery) entryFor(r, true);
    if (current && std::find(gallery.begin(), gallery.end(), current) == gallery.end()) entryFor(current, false);
    return m;
}

void SessionAutosave::queueManifest()
{
    if (!active_ || !host_) return;
    QElapsedTimer clock;
    clock.start();
    const SessionManifest m = buildManifest();
    const QByteArray json = SessionStore::manifestToJson(m);
    QStringList keep;
    for (const auto& e : m.runs) keep << e.key;
    lightPrint_ = lightFingerprint();
    {
        std::lock_guard<std::mutex> lock(statsMutex_);
        stats_.lastManifestMs = clock.nsecsElapsed() / 1e6;
    }
    SessionStore* store = &store_;
    writer_->post([this, store, json, keep] {
        QString error;
        const bool ok = store->writeManifest(json, &error);
        if (ok) store->removeRunsExcept(keep);  // runs no longer in the session
        {
            std::lock_guard<std::mutex> lock(statsMutex_);
            if (ok) ++stats_.manifestWrites;
        }
        QMetaObject::invokeMethod(
            this, [this, ok, error] { manifestDone(ok, error); }, Qt::QueuedConnection);
    });
}

void SessionAutosave::writeDone(const QString& key, bool ok, const QString& error)
{
    for (auto& [ptr, t] : tracked_) {
        if (t.key != key) continue;
        t.writing = false;
        if (!ok) t.queued = false;  // written again at the next change
    }
    if (!ok) {
        lastError_ = error;
        showStatus(tr("Autosave failed: %1").arg(error), 15000);
        emit saveFailed(error);
    }
}

void SessionAutosave::manifestDone(bool ok, const QString& error)
{
    if (ok) {
        emit manifestWritten();
        return;
    }
    lastError_ = error;
    lightPrint_.clear();  // try again at the next poll
    showStatus(tr("Autosave failed: %1").arg(error), 15000);
    emit saveFailed(error);
}

void SessionAutosave::saveNow()
{
    saveLight();
    waitForWrites();
}

void SessionAutosave::waitForWrites()
{
    if (writer_) writer_->waitIdle();
    // Deliver the writer's results (writeDone, manifestDone) before returning.
    QCoreApplication::sendPostedEvents(this, QEvent::MetaCall);
}

// --- the training run's weights ----------------------------------------------------------------

void SessionAutosave::armWeightsTimer()
{
    const RunPtr run = trainingRun();
    if (!active_ || !run || closed_) {
        weights_.stop();
        return;
    }
    if (weights_.isActive()) return;
    double lastWrite = 0.0;
    {
        std::lock_guard<std::mutex> lock(statsMutex_);
        lastWrite = stats_.lastRunWriteMs;
    }
    const int interval = std::max(weightsIntervalMs(run->size.parameters()), static_cast<int>(20.0 * lastWrite));
    weights_.start(interval);
}

void SessionAutosave::autosaveTrainingRun()
{
    const RunPtr run = trainingRun();
    if (!active_ || !run || closed_) return;
    TrainingController& c = *controller();
    const auto retry = qScopeGuard([this] { armWeightsTimer(); });
    if (checkpointRequest_ != 0) return;  // one at a time
    if (host_->isSavingRun()) return;     // the user's Save has the worker's checkpoint slot
    Tracked& t = track(run);
    if (t.writing) return;                                                  // the last one is still being written
    if (t.queued && t.training && t.print == runFingerprint(*run)) return;  // paused: nothing new
    const QString dir = c.cacheDir().isEmpty() ? QDir::tempPath() : c.cacheDir();
    const QString path = QDir(dir).filePath(QStringLiteral("autosave-%1-%2.pt").arg(t.key).arg(++checkpointSeq_));
    checkpointRun_ = run;
    checkpointAge_.start();
    checkpointRequest_ = c.requestCheckpoint(path);
    std::lock_guard<std::mutex> lock(statsMutex_);
    ++stats_.checkpointsRequested;
}

void SessionAutosave::onCheckpointSaved(quint64 id, const QString& path, const QString& error)
{
    if (checkpointRequest_ == 0) return;
    if (id != checkpointRequest_) {
        // The mailbox keeps only the latest checkpoint request: a later one (the user's Save)
        // replaced ours, which will not be answered.
        if (id > checkpointRequest_) {
            checkpointRequest_ = 0;
            emit checkpointHandled();
        }
        return;
    }
    checkpointRequest_ = 0;
    const RunPtr run = checkpointRun_.lock();
    if (!error.isEmpty() || !run || !host_ || run != workspace_->currentRun() || run->finished) {
        QFile::remove(path);
        if (!error.isEmpty()) lastError_ = error;
        emit checkpointHandled();
        return;
    }
    queueRunWrite(run, track(run), path, true);
    queueManifest();
    emit checkpointHandled();
}

// --- closing ---------------------------------------------------------------------------------

bool SessionAutosave::eventFilter(QObject* watched, QEvent* event)
{
    if (active_ && watched == window()) {
        if (event->type() == QEvent::Close && !inClose_) closing();
        if (event->type() == QEvent::Show) closed_ = false;
    }
    return QObject::eventFilter(watched, event);
}

void SessionAutosave::closing()
{
    inClose_ = true;
    const RunPtr run = trainingRun();
    if (run && !host_->isSavingRun()) {
        // A last checkpoint of the run in progress, so nothing of it is lost; out of sight
        // (the window hides itself too as it closes, then stops the worker).
        window()->hide();
        weights_.stop();
        auto waitForCheckpoint = [this] {
            QEventLoop loop;
            QTimer::singleShot(kCloseWaitMs, &loop, &QEventLoop::quit);
            connect(this, &SessionAutosave::checkpointHandled, &loop, &QEventLoop::quit);
            loop.exec(QEventLoop::ExcludeUserInputEvents);
        };
        if (checkpointRequest_ != 0) waitForCheckpoint();  // the one in flight, asked for earlier
        waitForWrites();
        const Tracked& t = track(run);
        if (!(t.queued && t.training && t.print == runFingerprint(*run))) {
            autosaveTrainingRun();
            if (checkpointRequest_ != 0) waitForCheckpoint();
        }
    }
    saveLight();
    waitForWrites();
    weights_.stop();
    closed_ = true;  // the worker is stopped next: no more checkpoints to ask for
    inClose_ = false;
}

// --- new session -----------------------------------------------------------------------------

bool SessionAutosave::newSession(bool askFirst)
{
    if (!host_) return false;
    Workspace& w = *workspace_;
    const bool hasRuns = !w.runs().empty() || w.currentRun();
    if (askFirst && hasRuns && !offscreen()) {
        const auto answer =
            QMessageBox::question(window(), tr("New session"),
                                  tr("Start a new session? The gallery (%n run(s)), the current run and your drawings are cleared. "
                                     "Runs you saved to files stay where they are.",
                                     nullptr, static_cast<int>(w.runs().size())),
                                  QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
        if (answer != QMessageBox::Yes) return false;
    }
    TrainingController& c = *controller();
    if (c.isTraining() || c.state() == TrainingController::State::Building) {
        w.cancelSweep();
        c.stop();
    }
    w.clear();
    tracked_.clear();
    checkpointRequest_ = 0;
    weights_.stop();
    if (active_) {
        SessionStore* store = &store_;
        writer_->post([store] { store->clear(nullptr); });
        queueManifest();  // the new, empty session (the panel keeps its settings)
        waitForWrites();
    }
    showStatus(tr("New session."), 6000);
    return true;
}

// --- report ----------------------------------------------------------------------------------

QJsonObject SessionAutosave::report() const
{
    QJsonObject o;
    o[QStringLiteral("active")] = active_;
    o[QStringLiteral("dir")] = store_.dir();
    o[QStringLiteral("message")] = restoreMessage_;
    if (!host_) return o;
    const Workspace& w = *workspace_;
    o[QStringLiteral("config")] = QJsonDocument::fromJson(QByteArray::fromStdString(il::configToJson(w.config()).dump(-1))).object();
    QJsonObject c;
    c[QStringLiteral("blank")] = w.drawing().isNull();
    c[QStringLiteral("sha1")] = sheetDigest(w.drawing());
    o[QStringLiteral("canvas")] = c;
    QJsonArray probes;
    for (const auto& p : w.probes()) {
        QJsonObject po;
        po[QStringLiteral("name")] = QString::fromStdString(p.name);
        po[QStringLiteral("sha1")] = imageDigest(p.image);
        probes.append(po);
    }
    o[QStringLiteral("probes")] = probes;
    QJsonArray gallery;
    const auto& runs = w.runs();
    const auto& selected = w.selectedRuns();
    for (const RunPtr& r : runs) {
        QJsonObject ro = runJson(*r);
        ro[QStringLiteral("selected")] = std::find(selected.begin(), selected.end(), r) != selected.end();
        auto it = tracked_.find(r.get());
        ro[QStringLiteral("interrupted")] = it != tracked_.end() && it->second.interrupted;
        gallery.append(ro);
    }
    o[QStringLiteral("gallery")] = gallery;
    if (const RunPtr cur = w.currentRun()) {
        QJsonObject co = runJson(*cur);
        co[QStringLiteral("inGallery")] = std::find(runs.begin(), runs.end(), cur) != runs.end();
        auto it = tracked_.find(cur.get());
        co[QStringLiteral("interrupted")] = it != tracked_.end() && it->second.interrupted;
        const TrainingController* controller = host_->controller();
        co[QStringLiteral("weightsLoaded")] = load_ == Load::Loaded && cur->id == loadId_ && controller->currentRunId() == loadId_ &&
                                              controller->state() == TrainingController::State::Ready;
        co[QStringLiteral("loadedStepsDone")] = loadedSteps_;
        co[QStringLiteral("evaluated")] = evaluated_;
        o[QStringLiteral("current")] = co;
    }
    return o;
}

void SessionAutosave::reportWhenSettled(const QString& path)
{
    auto* timer = new QTimer(this);
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    connect(timer, &QTimer::timeout, this, [this, timer, clock, path] {
        const bool settled = load_ == Load::None || load_ == Load::Failed || (load_ == Load::Loaded && evaluated_);
        if (!settled && clock->elapsed() < kReportTimeoutMs) return;
        timer->stop();
        QJsonObject o = report();
        o[QStringLiteral("settled")] = settled;
        o[QStringLiteral("secondsToSettle")] = clock->elapsed() / 1000.0;
        QSaveFile file(path);
        const bool ok = file.open(QIODevice::WriteOnly) && file.write(QJsonDocument(o).toJson()) >= 0 && file.commit();
        if (!ok) std::fprintf(stderr, "identitylab: cannot write %s\n", qPrintable(path));
        QCoreApplication::exit(ok ? 0 : 1);
    });
    timer->start(100);
}

}  // namespace il::ui
