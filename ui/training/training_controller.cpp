#include "ui/training/training_controller.h"

#include <QDir>
#include <QStandardPaths>
#include <QThread>

#include "ui/training/thread_priority.h"
#include "ui/training/training_worker.h"
#include "ui/training/worker_shared.h"

namespace il::ui {

TrainingController::TrainingController(QObject* parent, il::DataLocations data)
    : QObject(parent), data_(std::move(data)), shared_(std::make_shared<WorkerShared>())
{
    registerMetaTypes();
    cache_ = std::make_unique<QTemporaryDir>(QDir::temp().filePath(QStringLiteral("identitylab-runs-XXXXXX")));

    thread_ = new QThread(this);
    thread_->setObjectName(QStringLiteral("identitylab-training"));
    worker_ = new TrainingWorker(shared_, cache_->isValid() ? cache_->path() : QString());
    worker_->moveToThread(thread_);
    connect(thread_, &QThread::finished, worker_.data(), &QObject::deleteLater);
    // Runs on the new thread, before the worker's first tensor operation creates its OpenMP team.
    connect(
        thread_, &QThread::started, thread_, [] { lowerCurrentThreadPriority(); }, Qt::DirectConnection);
    requestShortTimeSlices();  // this is the GUI thread

    // Worker -> GUI thread: queued (the worker lives in another thread).
    connect(worker_, &TrainingWorker::sessionReady, this, [this](const SessionInfo& info) {
        if (info.runId == runId_ && state_ == State::Building) setState(trainRun_ ? State::Running : State::Ready);
        // Stopped while it was built: a training run ends through runFinished, anything else now.
        if (info.runId == runId_ && state_ == State::Stopping && !trainRun_) setState(State::Ready);
        emit sessionReady(info);
    });
    connect(worker_, &TrainingWorker::sessionFailed, this, [this](quint64 id, const QString& message) {
        if (id == runId_) setState(State::NoModel);
        emit sessionFailed(id, message);
    });
    connect(worker_, &TrainingWorker::progress, this, &TrainingController::progress);
    connect(worker_, &TrainingWorker::frameReady, this, &TrainingController::frameReady);
    connect(worker_, &TrainingWorker::pausedAt, this, [this](quint64 id, int) {
        // A pausedAt that arrives after a Resume is stale: the worker is running again.
        if (id == runId_ && state_ == State::Running && pauseWanted_) setState(State::Paused);
    });
    connect(worker_, &TrainingWorker::runFinished, this, [this](const RunResult& result) {
        if (result.runId == runId_) setState(State::Ready);
        emit runFinished(result);
    });
    connect(worker_, &TrainingWorker::sessionEvaluated, this, &TrainingController::sessionEvaluated);
    connect(worker_, &TrainingWorker::predictionReady, this, &TrainingController::predictionReady);
    connect(worker_, &TrainingWorker::activationsReady, this, &TrainingController::activationsReady);
    connect(worker_, &TrainingWorker::layerClassifierReady, this, &TrainingController::layerClassifierReady);
    connect(worker_, &TrainingWorker::checkpointSaved, this, &TrainingController::checkpointSaved);
    connect(worker_, &TrainingWorker::requestFailed, this, &TrainingController::requestFailed);
    thread_->start();
}

TrainingController::~TrainingController() { shutdown(); }

QString TrainingController::cacheDir() const { return cache_ && cache_->isValid() ? cache_->path() : QString(); }

void TrainingController::shutdown()
{
    if (shutDown_) return;
    shutDown_ = true;
    shared_->setShuttingDown();
    thread_->requestInterruption();
    thread_->quit();
    thread_->wait();
}

void TrainingController::setState(State state)
{
    if (state_ == state) return;
    state_ = state;
    if (state != State::Running && state != State::Paused) pauseWanted_ = false;
    emit stateChanged(state);
}

void TrainingController::kick()
{
    if (worker_) QMetaObject::invokeMethod(worker_.data(), &TrainingWorker::serve, Qt::QueuedConnection);
}

quint64 TrainingController::launch(const il::ExperimentConfig& config, bool train, const std::optional<il::DataLocations>& data)
{
    if (shutDown_) return 0;
    // The queued start runs once the current loop has ended (or its build, stopped at once).
    if (isTraining() || state_ == State::Building) shared_->requestStop(runId_);
    runId_ = nextId_++;
    trainRun_ = train;
    setState(State::Building);
    const quint64 id = runId_;
    const il::DataLocations where = data.value_or(data_);
    QMetaObject::invokeMethod(
        worker_.data(),
        [worker = worker_, id, config, train, where] {
            if (worker) worker->startRun(id, config, train, where);
        },
        Qt::QueuedConnection);
    return id;
}

quint64 TrainingController::start(const il::ExperimentConfig& config, const std::optional<il::DataLocations>& data)
{
    return launch(config, true, data);
}

quint64 TrainingController::prepare(const il::ExperimentConfig& config, const std::optional<il::DataLocations>& data)
{
    return launch(config, false, data);
}

quint64 TrainingController::load(const il::ExperimentConfig& config, const QString& checkpointPath,
                                 const std::optional<il::DataLocations>& data)
{
    if (shutDown_) return 0;
    if (isTraining() || state_ == State::Building) shared_->requestStop(runId_);
    runId_ = nextId_++;
    setState(State::Building);
    trainRun_ = false;
    const quint64 id = runId_;
    const il::DataLocations where = data.value_or(data_);
    QMetaObject::invokeMethod(
        worker_.data(),
        [worker = worker_, id, config, checkpointPath, where] {
            if (worker) worker->loadRun(id, config, checkpointPath, where);
        },
        Qt::QueuedConnection);
    return id;
}

quint64 TrainingController::continueRun(const il::ExperimentConfig& config, const QString& checkpointPath,
                                        const std::optional<il::DataLocations>& data)
{
    if (shutDown_) return 0;
    if (isTraining() || state_ == State::Building) shared_->requestStop(runId_);
    runId_ = nextId_++;
    trainRun_ = true;
    setState(State::Building);
    const quint64 id = runId_;
    const il::DataLocations where = data.value_or(data_);
    QMetaObject::invokeMethod(
        worker_.data(),
        [worker = worker_, id, config, checkpointPath, where] {
            if (worker) worker->continueRun(id, config, checkpointPath, where);
        },
        Qt::QueuedConnection);
    return id;
}

void TrainingController::pause()
{
    if (state_ != State::Running) return;
    pauseWanted_ = true;
    shared_->setPaused(true);
}

void TrainingController::resume()
{
    if (state_ != State::Paused && state_ != State::Running) return;
    pauseWanted_ = false;
    shared_->setPaused(false);
    if (state_ == State::Paused) setState(State::Running);
}

void TrainingController::singleStep()
{
    if (state_ != State::Paused) return;
    shared_->requestSingleStep();
}

void TrainingController::stop()
{
    if (!isTraining() && state_ != State::Building) return;
    shared_->requestStop(runId_);
    shared_->setPaused(false);
    setState(State::Stopping);
}

void TrainingController::setLearningRate(double lr) { shared_->setLearningRate(lr); }

quint64 TrainingController::requestPrediction(const std::vector<il::Image>& inputs)
{
    const quint64 id = nextId_++;
    shared_->postPrediction({id, inputs});
    kick();
    return id;
}

quint64 TrainingController::requestActivations(const ActivationRequest& request)
{
    const quint64 id = nextId_++;
    shared_->postActivations({id, request});
    kick();
    return id;
}

quint64 TrainingController::requestLayerClassifier(int images)
{
    const quint64 id = nextId_++;
    shared_->postLayerClassifier({id, images});
    kick();
    return id;
}

quint64 TrainingController::requestCheckpoint(const QString& path)
{
    const quint64 id = nextId_++;
    shared_->postCheckpoint({id, path});
    kick();
    return id;
}

void TrainingController::requestFrame()
{
    shared_->postRefresh();
    kick();
}

void TrainingController::setUserProbes(const std::vector<il::Probe>& probes) { shared_->setUserProbes(probes); }

void TrainingController::setFrameActivations(const ActivationRequest& request) { shared_->setFrameActivations(request); }

void TrainingController::setLiveView(WorkerShared::LiveView view) { shared_->setLiveView(view); }

}  // namespace il::ui
