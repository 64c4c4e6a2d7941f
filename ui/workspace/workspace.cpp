#include "ui/workspace/workspace.h"

#include <QFileInfo>

#include <algorithm>

#include "engine/config/config_json.h"

namespace il::ui {

namespace {

bool sameProbes(const std::vector<il::Probe>& a, const std::vector<il::Probe>& b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const il::Probe& x, const il::Probe& y) {
        return x.name == y.name && x.group == y.group && x.image.sameShape(y.image) && x.image.pixels == y.image.pixels;
    });
}

// The config's JSON is its complete identity (every key, resolved), and it is small.
bool sameConfig(const il::ExperimentConfig& a, const il::ExperimentConfig& b)
{
    return il::configToJson(a).dump(-1) == il::configToJson(b).dump(-1);
}

}  // namespace

Workspace::Workspace(QObject* parent) : QObject(parent) {}

void Workspace::setCurrentRun(const RunPtr& run)
{
    if (run == current_) return;
    // The run that stops being shown keeps only its newest activation maps: they are the
    // largest part of a run, and only the current run's history slider shows older ones.
    if (current_) current_->thinActivations();
    current_ = run;
    emit currentRunChanged(current_);
}

bool Workspace::contains(const RunPtr& run) const { return std::find(runs_.begin(), runs_.end(), run) != runs_.end(); }

void Workspace::addRun(const RunPtr& run)
{
    if (!run || contains(run)) return;
    runs_.push_back(run);
    emit runAdded(run);
}

void Workspace::removeRun(const RunPtr& run)
{
    auto it = std::find(runs_.begin(), runs_.end(), run);
    if (it == runs_.end()) return;
    runs_.erase(it);
    auto selected = std::find(selected_.begin(), selected_.end(), run);
    if (selected != selected_.end()) {
        selected_.erase(selected);
        emit selectionChanged(selected_);
    }
    emit runRemoved(run);
}

void Workspace::markRunChanged(const RunPtr& run)
{
    if (run) emit runChanged(run);
}

void Workspace::setSelectedRuns(const std::vector<RunPtr>& runs)
{
    // Only gallery runs can be compared, and in gallery order whatever order they came in.
    std::vector<RunPtr> selected;
    for (const RunPtr& r : runs_)
        if (std::find(runs.begin(), runs.end(), r) != runs.end()) selected.push_back(r);
    if (selected == selected_) return;
    selected_ = std::move(selected);
    emit selectionChanged(selected_);
}

void Workspace::addProbe(const il::Probe& probe)
{
    probes_.push_back(probe);
    emit probesChanged(probes_);
}

void Workspace::setProbes(const std::vector<il::Probe>& probes)
{
    if (sameProbes(probes, probes_)) return;
    probes_ = probes;
    emit probesChanged(probes_);
}

void Workspace::setDrawing(const QImage& sheet)
{
    if (sheet.isNull() && drawing_.isNull()) return;
    if (!sheet.isNull() && !drawing_.isNull() && sheet == drawing_) return;
    drawing_ = sheet;
    emit drawingChanged(drawing_);
}

void Workspace::setConfig(const il::ExperimentConfig& config)
{
    if (sameConfig(config, config_)) return;
    config_ = config;
    const bool forgot = replaced_.has_value();
    replaced_.reset();
    replacedBy_.clear();
    emit configChanged(config_);
    if (forgot) emit configReplacementChanged();
}

bool Workspace::replaceConfig(const il::ExperimentConfig& config, const QString& by)
{
    if (sameConfig(config, config_)) return false;
    replaced_ = config_;
    replacedBy_ = by;
    config_ = config;
    emit configChanged(config_);
    emit configReplacementChanged();
    return true;
}

bool Workspace::undoConfigReplacement()
{
    if (!replaced_) return false;
    config_ = *replaced_;
    replaced_.reset();
    replacedBy_.clear();
    emit configChanged(config_);
    emit configReplacementChanged();
    return true;
}

void Workspace::queueSweep(const std::vector<il::ExperimentConfig>& configs, const std::vector<QString>& labels)
{
    if (configs.empty()) return;
    sweep_.assign(configs.begin(), configs.end());
    sweepLabels_.assign(configs.size(), QString());
    for (std::size_t i = 0; i < labels.size() && i < configs.size(); ++i) sweepLabels_[i] = labels[i];
    sweepTotal_ = static_cast<int>(configs.size());
    emit sweepChanged();
}

std::optional<il::ExperimentConfig> Workspace::takeNextSweepRun(QString* label)
{
    if (sweep_.empty()) return std::nullopt;
    il::ExperimentConfig next = sweep_.front();
    sweep_.pop_front();
    if (label) *label = sweepLabels_.front();
    sweepLabels_.pop_front();
    emit sweepChanged();
    return next;
}

void Workspace::cancelSweep()
{
    if (sweep_.empty()) return;
    sweep_.clear();
    sweepLabels_.clear();
    emit sweepChanged();
}

void Workspace::finishSweep()
{
    if (sweepTotal_ == 0 && sweep_.empty()) return;
    sweep_.clear();
    sweepLabels_.clear();
    sweepTotal_ = 0;
    emit sweepChanged();
}

void Workspace::setRecentFiles(const QStringList& files)
{
    QStringList kept = files.mid(0, kMaxRecentFiles);
    if (kept == recent_) return;
    recent_ = kept;
    emit recentFilesChanged(recent_);
}

void Workspace::addRecentFile(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList files = recent_;
    files.removeAll(absolute);
    files.prepend(absolute);
    setRecentFiles(files);
}

void Workspace::clear()
{
    finishSweep();
    setCurrentRun(nullptr);
    setSelectedRuns({});
    const std::vector<RunPtr> runs = runs_;
    for (const RunPtr& r : runs) removeRun(r);
    setProbes({});
    setDrawing(QImage());
    emit cleared();
}

}  // namespace il::ui
