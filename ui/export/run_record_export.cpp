#include "ui/export/run_record_export.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <algorithm>

#include "engine/core/errors.h"
#include "engine/eval/probe_groups.h"
#include "ui/run/run_file.h"

namespace il::ui {

namespace {

// The history slider's frames are the app's record of the course of training: one
// trajectory point each, with the learning rate of that step from the loss history.
std::vector<TrajectoryPoint> trajectoryFromFrames(const RunRecord& run)
{
    std::vector<TrajectoryPoint> trajectory;
    for (const TrainingFrame& frame : run.history) {
        TrajectoryPoint point;
        point.step = frame.step;
        point.loss = frame.loss;
        const auto lr = std::find_if(run.loss.begin(), run.loss.end(), [&](const LossPoint& p) { return p.step == frame.step; });
        point.lr = lr == run.loss.end() ? 0.0 : lr->lr;
        point.groups = il::eval::summarizeGroups(frame.probes);
        trajectory.push_back(std::move(point));
    }
    return trajectory;
}

}  // namespace

RunContent runContentOf(const RunRecord& run, const RunMetrics& metrics)
{
    RunContent content;
    content.config = run.config;
    content.metrics = metrics;
    if (content.metrics.trajectory.empty()) content.metrics.trajectory = trajectoryFromFrames(run);
    content.loss = run.loss;
    content.decaySteps = run.decaySteps;
    if (const TrainingFrame* frame = run.activationFrameAt(-1)) content.activations = frame->activations;
    if (const TrainingFrame* frame = run.frameAt(-1); frame && !run.theoryName.isEmpty()) {
        content.theoryName = run.theoryName;
        content.theoryOutputs = frame->theory;
    }
    content.trainingColumns = std::max<int>(1, static_cast<int>(std::min<std::size_t>(3, run.trainingImages.size())));
    return content;
}

QStringList writeRunRecordFolder(const QString& folder, const RunRecord& run, const RunMetrics& metrics, const RunFolderOptions& options)
{
    CheckpointWriter copyWeights;
    if (!run.checkpointPath.isEmpty())
        copyWeights = [&](const QString& path) {
            if (QFileInfo(run.checkpointPath).absoluteFilePath() == QFileInfo(path).absoluteFilePath()) return;
            QFile::remove(path);
            if (!QFile::copy(run.checkpointPath, path))
                throw Error("cannot write " + path.toStdString() + " (check that the folder is writable)");
        };
    return writeRunFolder(folder, runContentOf(run, metrics), options, copyWeights);
}

QStringList exportRunFile(const QString& runFile, const QString& folder, const RunFolderOptions& options)
{
    // The weights inside the run file go to a temporary file, then are copied as checkpoint.pt.
    QTemporaryDir scratch;
    if (!scratch.isValid()) throw Error("cannot create a temporary folder: " + scratch.errorString().toStdString());
    RunRecord run;
    QString error;
    if (!loadRunFile(runFile, scratch.filePath(QStringLiteral("checkpoint.pt")), run, &error)) throw DataError(error.toStdString());
    return writeRunRecordFolder(folder, run, run.metrics, options);
}

}  // namespace il::ui
