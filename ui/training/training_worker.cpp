#include "ui/training/training_worker.h"

#include <QDir>
#include <QThread>

#include <cmath>
#include <exception>

#include "engine/core/errors.h"
#include "engine/metrics/correlation.h"
#include "engine/train/model_size.h"
#include "engine/train/schedule.h"
#include "engine/train/training_session.h"

namespace il::ui {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

QString fromStd(const std::string& s) { return QString::fromStdString(s); }

// Extra evaluations (rho sweep, activation maps) during training get a share of the time:
// each is repeated only once the time since its last run is `1 / share` times what it cost.
class Budget {
public:
    explicit Budget(double share) : share_(share) {}
    bool due() const { return !ran_ || secondsSince(last_) * share_ >= cost_; }
    template <typename F>
    void run(F&& f)
    {
        const auto start = Clock::now();
        f();
        cost_ = secondsSince(start);
        last_ = Clock::now();
        ran_ = true;
    }

private:
    double share_;
    double cost_ = 0.0;
    Clock::time_point last_{};
    bool ran_ = false;
};

// Multiply-adds of one forward pass over the figure's ~16 probes, roughly.
bool stepZeroFrameIsCheap(const il::ExperimentConfig& config)
{
    const il::ModelSize size = il::estimateModelSize(config);
    const double pixels = config.isConvolutional() ? double(config.imageSize) * config.imageSize : 1.0;
    return double(size.weights) * pixels * 16.0 < 3e10;
}

}  // namespace

// Runs on the worker thread inside TrainingSession::run.
class WorkerObserver : public il::TrainingObserver {
public:
    explicit WorkerObserver(TrainingWorker& worker) : worker_(worker), lastEmit_(Clock::now()), windowStart_(Clock::now()) {}

    void onStep(int step, int totalSteps, double loss, double lr) override
    {
        pending_.push_back({step - 1, loss, lr});
        last_ = {step, totalSteps, loss, lr};
        if (step >= totalSteps || !std::isfinite(loss) || secondsSince(lastEmit_) >= 0.04) flush();
        if (step < totalSteps && std::isfinite(loss) && secondsSince(lastLive_) >= kLiveInterval) emitLiveFrame(step, loss);

        WorkerShared& shared = *worker_.shared_;
        if (shared.hasWork()) worker_.serveWork(shared.takeWork());
        if (!shared.paused() || shared.stopRequested()) return;

        // Paused: show the exact state, then wait, serving requests, until resumed, stepped
        // or stopped. A stop returns here and TrainingControl ends the run at the next check.
        flush();
        unsigned announced = shared.pauseCount();
        emit worker_.pausedAt(worker_.runId_, step);
        worker_.emitCurrentFrame(false);  // the rho sweep can take seconds; the pause must not
        for (;;) {
            const auto gate = shared.waitAtGate(std::chrono::milliseconds(200));
            if (gate == WorkerShared::Gate::Proceed || gate == WorkerShared::Gate::Stop) break;
            if (shared.hasWork()) worker_.serveWork(shared.takeWork());
            if (shared.pauseCount() != announced) {  // resumed and paused again before we woke
                announced = shared.pauseCount();
                emit worker_.pausedAt(worker_.runId_, step);
            }
        }
        lastEmit_ = windowStart_ = Clock::now();
        windowSteps_ = 0;
    }

    void onSnapshot(const il::Snapshot& snapshot) override
    {
        // The last snapshot is left out: the worker sends the final frame after run() returns,
        // with the metrics' rho sweep, whether the run completed, diverged or was stopped.
        if (snapshot.step >= worker_.session_->totalSteps()) return;
        TrainingFrame frame = worker_.makeFrame(snapshot.step, snapshot.loss, snapshot.probes, false, false);
        shownProbes_ = frame.probes;
        shownProbesStep_ = snapshot.step;
        addWhatIsShown(frame, snapshot.loss);
        emit worker_.frameReady(frame);
        lastLive_ = Clock::now();
    }

    // Between the history's frames: the training images' outputs of this very step (the step
    // computed them), the other probes as last evaluated, and what the visible view needs, each
    // within its share of the time, so that the view never stands still and training keeps its
    // pace (docs/gui.md, "Live views").
    void emitLiveFrame(int step, double loss)
    {
        lastLive_ = Clock::now();
        const WorkerShared::LiveView view = worker_.shared_->liveView();
        TrainingFrame frame;
        frame.runId = worker_.runId_;
        frame.step = step;
        frame.totalSteps = worker_.session_->totalSteps();
        frame.loss = loss;
        frame.live = true;
        if (view == WorkerShared::LiveView::Outputs && probesBudget_.due()) {
            probesBudget_.run([&] {
                shownProbes_ = worker_.makeFrame(step, loss, worker_.session_->evaluateProbes(worker_.session_->probes()), false, false).probes;
                shownProbesStep_ = step;
            });
        }
        frame.probes = shownProbes_;
        frame.probesStep = shownProbesStep_;
        if (shownProbesStep_ != step) refreshTrainingOutputs(frame);
        if (!frame.probes.empty() && !worker_.session_->theoryName().empty())
            for (const auto& p : frame.probes) frame.theory.push_back(worker_.session_->theoryPrediction(p.input));
        addWhatIsShown(frame, loss);
        emit worker_.frameReady(frame);
        lastLive_ = Clock::now();
    }

private:
    static constexpr double kLiveInterval = 0.5;  // seconds between live frames

    // The training probes' outputs from the last step's forward pass, with their scores.
    void refreshTrainingOutputs(TrainingFrame& frame) const
    {
        const std::vector<il::Image> outputs = worker_.session_->lastStepOutputs();
        const il::ExperimentConfig& config = worker_.session_->config();
        const auto& training = worker_.session_->trainingImages();
        std::size_t next = 0;
        for (il::ProbeOutcome& p : frame.probes) {
            if (p.group != il::ProbeGroup::Train) continue;
            if (next >= outputs.size() || outputs[next].size() != p.input.size()) break;
            p.output = outputs[next++];
            p.corrIdentity = il::correlation(config.correlation, p.output.pixels, p.input.pixels);
            p.corrConstant = training.empty() ? p.corrIdentity : il::correlation(config.correlation, p.output.pixels, training.front().pixels);
            p.mse = il::meanSquaredError(p.output.pixels, p.input.pixels);
        }
    }

    // The rho sweep while the rho view is shown, the activation maps while theirs is.
    void addWhatIsShown(TrainingFrame& frame, double loss)
    {
        const WorkerShared::LiveView view = worker_.shared_->liveView();
        if (view == WorkerShared::LiveView::Rho && rhoBudget_.due() && std::isfinite(loss))
            rhoBudget_.run([&] { frame.rho = worker_.session_->rhoSweep(); });
        if (view == WorkerShared::LiveView::Activations && actBudget_.due()) {
            if (const auto request = worker_.shared_->frameActivations()) {
                actBudget_.run([&] {
                    frame.activations = worker_.session_->activations(request->probes, request->reduction, request->channel);
                    frame.layerStats = worker_.session_->layerStatistics(request->probes);
                });
            }
        }
    }

public:

    void flush()
    {
        if (pending_.empty()) return;
        windowSteps_ += static_cast<int>(pending_.size());
        const double elapsed = secondsSince(windowStart_);
        if (elapsed > 0.25) {
            rate_ = windowSteps_ / elapsed;
            windowStart_ = Clock::now();
            windowSteps_ = 0;
        } else if (rate_ <= 0.0 && elapsed > 0.0) {
            rate_ = windowSteps_ / elapsed;
        }
        ProgressUpdate u;
        u.runId = worker_.runId_;
        u.step = last_.step;
        u.totalSteps = last_.total;
        u.loss = last_.loss;
        u.lr = last_.lr;
        u.stepsPerSecond = rate_;
        u.newPoints = std::move(pending_);
        pending_.clear();
        emit worker_.progress(u);
        lastEmit_ = Clock::now();
    }

private:
    struct Last {
        int step = 0;
        int total = 0;
        double loss = 0.0;
        double lr = 0.0;
    };
    TrainingWorker& worker_;
    std::vector<il::LossPoint> pending_;
    Last last_;
    Clock::time_point lastEmit_;
    Clock::time_point windowStart_;
    int windowSteps_ = 0;
    double rate_ = 0.0;
    // Shares of the time: the history's 50 frames already evaluate every probe, so a live
    // probe pass only fills the gaps between them.
    Budget probesBudget_{0.05};
    Budget rhoBudget_{0.10};
    Budget actBudget_{0.10};
    std::vector<il::ProbeOutcome> shownProbes_;
    int shownProbesStep_ = -1;
    Clock::time_point lastLive_ = Clock::now();
};

TrainingWorker::TrainingWorker(std::shared_ptr<WorkerShared> shared, QString cacheDir)
    : shared_(std::move(shared)), cacheDir_(std::move(cacheDir))
{
}

TrainingWorker::~TrainingWorker() { shared_->detachControl(); }

bool TrainingWorker::buildSession(quint64 runId, const il::ExperimentConfig& config, const il::DataLocations& data)
{
    shared_->detachControl();
    session_.reset();
    runId_ = runId;
    shared_->clearPauseAndStep();
    try {
        session_ = std::make_unique<il::TrainingSession>(config, data);
    } catch (const il::Error& e) {
        emit sessionFailed(runId, fromStd(e.what()));
        return false;
    } catch (const std::exception& e) {
        emit sessionFailed(runId, tr("Could not build the model: %1").arg(fromStd(e.what())));
        return false;
    }
    shared_->attachControl(&session_->control(), runId);
    return true;
}

SessionInfo TrainingWorker::sessionInfo(quint64 runId) const
{
    SessionInfo info;
    info.runId = runId;
    info.config = session_->config();
    info.device = fromStd(session_->deviceDescription());
    info.size = session_->size();
    info.trainingImages = session_->trainingImages();
    info.trainingIndices = session_->trainingIndices();
    for (const auto& w : session_->warnings()) info.warnings << fromStd(w);
    info.decaySteps = il::decaySteps(info.config.schedule, info.config.steps);
    info.theoryName = fromStd(session_->theoryName());
    info.stepsDone = session_->stepsDone();
    info.loss = session_->lossHistory();
    return info;
}

TrainingFrame TrainingWorker::makeFrame(int step, double loss, std::vector<il::ProbeOutcome> figureProbes, bool withRho,
                                        bool withActivations)
{
    TrainingFrame frame;
    frame.runId = runId_;
    frame.step = step;
    frame.totalSteps = session_->totalSteps();
    frame.loss = loss;
    frame.probes = std::move(figureProbes);
    const auto user = shared_->userProbes();
    if (!user.empty()) {
        auto outcomes = session_->evaluateProbes(user);
        for (auto& o : outcomes) frame.probes.push_back(std::move(o));
    }
    if (!session_->theoryName().empty()) {
        // Theorem 1 (1-layer FCN) or the 1-layer CNN's fixed point, from the initial weights.
        for (const auto& p : frame.probes) frame.theory.push_back(session_->theoryPrediction(p.input));
    }
    if (withRho && std::isfinite(loss)) frame.rho = session_->rhoSweep();
    if (withActivations) {
        if (const auto request = shared_->frameActivations()) {
            frame.activations = session_->activations(request->probes, request->reduction, request->channel);
            frame.layerStats = session_->layerStatistics(request->probes);
        }
    }
    return frame;
}

void TrainingWorker::emitCurrentFrame(bool withRho)
{
    if (!session_) return;
    const auto& losses = session_->lossHistory();
    const double loss = losses.empty() ? 0.0 : losses.back().loss;
    emit frameReady(makeFrame(session_->stepsDone(), loss, session_->evaluateProbes(session_->probes()), withRho, true));
}

void TrainingWorker::startRun(quint64 runId, const il::ExperimentConfig& config, bool train, const il::DataLocations& data)
{
    if (shared_->shuttingDown()) return;
    training_ = false;
    if (!buildSession(runId, config, data)) return;
    emit sessionReady(sessionInfo(runId));
    if (!train) {
        emitCurrentFrame(true);
        serve();
        return;
    }
    // A frame at step 0 first (the untrained network's outputs) when that is cheap; the rho
    // sweep waits for the first snapshot. For a 20-layer CNN on a CPU evaluating the probes
    // costs as much as a few steps, so training starts at once and the first snapshot shows.
    if (stepZeroFrameIsCheap(config)) emit frameReady(makeFrame(0, 0.0, session_->evaluateProbes(session_->probes()), false, true));
    if (shared_->shuttingDown()) return;
    trainSession(runId, config);
}

void TrainingWorker::continueRun(quint64 runId, const il::ExperimentConfig& config, const QString& checkpointPath,
                                 const il::DataLocations& data)
{
    if (shared_->shuttingDown()) return;
    training_ = false;
    if (!buildSessionFromCheckpoint(runId, config, checkpointPath, data, tr("Cannot continue the run: %1"))) return;
    emit sessionReady(sessionInfo(runId));
    if (shared_->shuttingDown()) return;
    trainSession(runId, config);  // from the checkpoint's step on (TrainingSession::run)
}

// Trains the built session to its configured steps, then reports the run.
void TrainingWorker::trainSession(quint64 runId, const il::ExperimentConfig& config)
{
    training_ = true;
    WorkerObserver observer(*this);
    RunResult result;
    result.runId = runId;
    result.config = config;
    try {
        result.metrics = session_->run(&observer, false);
    } catch (const std::exception& e) {
        training_ = false;
        emit sessionFailed(runId, tr("Training stopped with an error: %1").arg(fromStd(e.what())));
        return;
    }
    observer.flush();
    training_ = false;
    if (shared_->shuttingDown()) {
        // Closing. A "Save run" asked for just before still gets its weights written (the
        // window completes the file from the answer, MainWindow::closeEvent); the other
        // requests are moot. The loop can end without another onStep, which would have served it.
        PendingWork work = shared_->takeWork();
        if (work.checkpoint) {
            PendingWork save;
            save.checkpoint = std::move(work.checkpoint);
            serveWork(std::move(save));
        }
        return;
    }
    result.loss = session_->lossHistory();

    // The final frame carries the metrics' rho sweep, so the views end on the run's numbers.
    TrainingFrame last = makeFrame(result.metrics.stepsDone, result.metrics.finalLoss, result.metrics.probes, false, true);
    last.rho = result.metrics.rhoSweep;
    emit frameReady(last);

    if (!cacheDir_.isEmpty()) {
        const QString path = QDir(cacheDir_).filePath(QStringLiteral("run-%1.pt").arg(runId));
        try {
            session_->saveCheckpoint(path.toStdString());
            result.checkpointPath = path;
        } catch (const std::exception& e) {
            emit requestFailed(tr("Could not keep the weights of the run: %1").arg(fromStd(e.what())));
        }
    }
    emit runFinished(result);
    serve();
}

bool TrainingWorker::buildSessionFromCheckpoint(quint64 runId, const il::ExperimentConfig& config, const QString& checkpointPath,
                                                const il::DataLocations& data, const QString& failure)
{
    if (!buildSession(runId, config, data)) return false;
    try {
        session_->loadCheckpoint(checkpointPath.toStdString());
    } catch (const std::exception& e) {
        emit sessionFailed(runId, failure.arg(fromStd(e.what())));
        shared_->detachControl();
        session_.reset();
        return false;
    }
    return true;
}

void TrainingWorker::loadRun(quint64 runId, const il::ExperimentConfig& config, const QString& checkpointPath,
                             const il::DataLocations& data)
{
    if (shared_->shuttingDown()) return;
    training_ = false;
    if (!buildSessionFromCheckpoint(runId, config, checkpointPath, data, QStringLiteral("%1"))) return;
    emit sessionReady(sessionInfo(runId));
    emitCurrentFrame(false);  // the rho sweep comes with the metrics below
    emit sessionEvaluated(runId, session_->evaluate(false));
    serve();
}

void TrainingWorker::serve()
{
    if (shared_->hasWork()) serveWork(shared_->takeWork());
}

void TrainingWorker::serveWork(PendingWork work)
{
    if (!session_) {
        if (work.prediction) emit predictionReady(work.prediction->id, {});
        if (work.checkpoint) emit checkpointSaved(work.checkpoint->id, work.checkpoint->path, tr("There is no model to save yet."));
        if (work.layerClassifier) emit requestFailed(tr("Train or load a model first."));
        return;
    }
    try {
        if (work.prediction) emit predictionReady(work.prediction->id, session_->predict(work.prediction->inputs));
        if (work.activations) {
            const auto& r = work.activations->request;
            emit activationsReady(work.activations->id, session_->activations(r.probes, r.reduction, r.channel),
                                  session_->layerStatistics(r.probes));
        }
        if (work.refreshFrame) emitCurrentFrame(!training_);
        if (work.checkpoint) {
            QString error;
            try {
                session_->saveCheckpoint(work.checkpoint->path.toStdString());
            } catch (const std::exception& e) {
                error = fromStd(e.what());
            }
            emit checkpointSaved(work.checkpoint->id, work.checkpoint->path, error);
        }
        if (work.layerClassifier)
            emit layerClassifierReady(work.layerClassifier->id, session_->layerClassifier(work.layerClassifier->images));
    } catch (const std::exception& e) {
        emit requestFailed(fromStd(e.what()));
    }
}

}  // namespace il::ui
