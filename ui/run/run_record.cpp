#include "ui/run/run_record.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

namespace il::ui {

namespace {

QString architectureShort(il::Architecture a)
{
    switch (a) {
        case il::Architecture::Fcn:
            return QStringLiteral("FCN");
        case il::Architecture::Cnn:
            return QStringLiteral("CNN");
        case il::Architecture::ResnetFcn:
            return QStringLiteral("ResNet-FCN");
        case il::Architecture::ResnetCnn:
            return QStringLiteral("ResNet-CNN");
    }
    return QStringLiteral("?");
}

}  // namespace

QString RunRecord::title() const { return QString::fromStdString(il::describeModel(config)); }

QString RunRecord::shortTitle() const
{
    if (!name.isEmpty()) return name;
    if (!label.isEmpty()) return label;
    QString t = QStringLiteral("%1 %2").arg(architectureShort(config.architecture)).arg(config.depth);
    if (config.activation == il::Activation::Linear) t += QStringLiteral(" lin");
    return t;
}

QString stopReasonText(const il::RunMetrics& m)
{
    switch (m.stopReason) {
        case il::StopReason::Completed:
            return QCoreApplication::translate("RunRecord", "completed, loss %1").arg(m.finalLoss, 0, 'g', 3);
        case il::StopReason::Diverged:
            return QCoreApplication::translate("RunRecord", "DIVERGED: %1").arg(QString::fromStdString(m.stopDetail));
        case il::StopReason::Cancelled:
            return QCoreApplication::translate("RunRecord", "stopped at step %1, loss %2").arg(m.stepsDone).arg(m.finalLoss, 0, 'g', 3);
    }
    return {};
}

QString RunRecord::statusText() const
{
    if (finished) return stopReasonText(metrics);
    if (!loss.empty())
        return QCoreApplication::translate("RunRecord", "step %1 of %2, loss %3")
            .arg(loss.back().step + 1)
            .arg(config.steps)
            .arg(loss.back().loss, 0, 'g', 3);
    return QCoreApplication::translate("RunRecord", "not trained");
}

QString RunRecord::continueProblem() const
{
    const auto tr = [](const char* text) { return QCoreApplication::translate("RunRecord", text); };
    if (!finished) return tr("it has not stopped (it is training, or was never trained)");
    if (metrics.stopReason == il::StopReason::Diverged) return tr("it diverged: its weights are not numbers any more");
    if (metrics.stopReason == il::StopReason::Completed || metrics.stepsDone >= config.steps)
        return tr("it is complete: all %1 steps are done").arg(config.steps);
    if (checkpointPath.isEmpty()) return tr("its weights were not saved with it (a run folder without checkpoint.pt)");
    return {};
}

const TrainingFrame* RunRecord::frameAt(int step) const
{
    const bool liveIsNewest = !live.probes.empty() && (history.empty() || live.step > history.back().step);
    if (step < 0 && liveIsNewest) return &live;
    if (history.empty()) return nullptr;
    if (step < 0) return &history.back();
    const TrainingFrame* best = nullptr;
    for (const auto& f : history) {
        if (f.step <= step)
            best = &f;
        else
            break;
    }
    return best ? best : &history.front();
}

std::vector<il::RhoPoint> RunRecord::rhoAt(int step) const
{
    const TrainingFrame* best = nullptr;
    for (const auto& f : history) {
        if (step >= 0 && f.step > step) break;
        if (!f.rho.empty()) best = &f;
    }
    if (step < 0 && !liveRho.empty() && (!best || liveRhoStep > best->step)) return liveRho;
    if (best) return best->rho;
    if (finished && step < 0) return metrics.rhoSweep;
    return {};
}

const TrainingFrame* RunRecord::activationFrameAt(int step) const
{
    const TrainingFrame* best = nullptr;
    for (const auto& f : history) {
        if (step >= 0 && f.step > step) break;
        if (!f.activations.maps.empty()) best = &f;
    }
    if (step < 0 && !liveActivations.activations.maps.empty() && (!best || liveActivations.step > best->step)) return &liveActivations;
    return best;
}

void RunRecord::addFrame(const TrainingFrame& frame)
{
    if (frame.live) {
        live = frame;
        renameCustomTrainingProbes(live.probes);
        if (!frame.rho.empty()) {
            liveRho = frame.rho;
            liveRhoStep = frame.step;
        }
        if (!frame.activations.maps.empty()) liveActivations = frame;
        return;
    }
    auto it = std::lower_bound(history.begin(), history.end(), frame.step, [](const TrainingFrame& f, int step) { return f.step < step; });
    if (it != history.end() && it->step == frame.step) {
        // Keep what the new frame lacks (a frame re-sent at the same step may carry less).
        TrainingFrame merged = frame;
        renameCustomTrainingProbes(merged.probes);
        if (merged.rho.empty()) merged.rho = it->rho;
        if (merged.activations.maps.empty()) {
            merged.activations = it->activations;
            merged.layerStats = it->layerStats;
        }
        *it = std::move(merged);
    } else {
        renameCustomTrainingProbes(history.insert(it, frame)->probes);
    }
}

void RunRecord::renameCustomTrainingProbes(std::vector<il::ProbeOutcome>& probes) const
{
    if (customTraining.empty()) return;
    for (auto& p : probes)
        if (p.group == il::ProbeGroup::Train) p.name = QCoreApplication::translate("RunRecord", "your drawing").toStdString();
}

void RunRecord::thinActivations()
{
    liveActivations = TrainingFrame{};
    const TrainingFrame* keep = activationFrameAt(-1);
    for (auto& f : history) {
        if (&f == keep) continue;
        f.activations = il::ActivationGrid{};
        f.layerStats.clear();
    }
}

il::RunMetrics RunRecord::metricsSoFar() const
{
    if (finished) return metrics;
    il::RunMetrics m = metrics;
    m.parameters = size.parameters();
    m.weightParameters = size.weights;
    m.biasParameters = size.biases;
    m.device = device.toStdString();
    if (!loss.empty()) {
        m.finalLoss = loss.back().loss;
        m.stepsDone = loss.back().step + 1;
    }
    if (const TrainingFrame* f = frameAt(-1)) m.probes = f->probes;
    m.rhoSweep = rhoAt(-1);
    m.stopReason = il::StopReason::Cancelled;
    m.stopDetail = "exported while training, at step " + std::to_string(m.stepsDone);
    return m;
}

}  // namespace il::ui
