#include "ui/run/run_folder_record.h"

#include <QDir>
#include <QFileInfo>

#include <exception>

#include "engine/train/schedule.h"

namespace il::ui {

RunRecord runRecordFromFolder(const il::RunFolderContent& folder)
{
    RunRecord run;
    run.config = folder.config;
    run.metrics = folder.metrics;
    run.loss = folder.loss;
    run.finished = true;
    run.device = QString::fromStdString(folder.metrics.device);
    run.size.weights = folder.metrics.weightParameters;
    run.size.biases = folder.metrics.biasParameters;
    run.decaySteps = il::decaySteps(folder.config.schedule, folder.config.steps);
    // The outputs view and the canvas compare outputs with the training images; the folder
    // holds them as the probes of the train group.
    for (const il::ProbeOutcome& p : folder.metrics.probes)
        if (p.group == il::ProbeGroup::Train && !p.input.empty()) run.trainingImages.push_back(p.input);

    TrainingFrame frame;
    frame.step = folder.metrics.stepsDone;
    frame.totalSteps = folder.config.steps;
    frame.loss = folder.metrics.finalLoss;
    frame.probes = folder.metrics.probes;
    frame.rho = folder.metrics.rhoSweep;
    frame.activations = folder.activations;
    run.history.push_back(std::move(frame));

    run.checkpointPath = QString::fromStdString(folder.checkpoint);
    run.sourceFile = QFileInfo(QString::fromStdString(folder.folder)).absoluteFilePath();
    return run;
}

RunPtr readRunFolderRecord(const QString& folder, QString* error)
{
    try {
        return std::make_shared<RunRecord>(runRecordFromFolder(il::readRunFolder(QDir::cleanPath(folder).toStdString())));
    } catch (const std::exception& e) {  // il::DataError as a rule; never out of a worker thread
        if (error) *error = QString::fromStdString(e.what());
        return nullptr;
    }
}

}  // namespace il::ui
