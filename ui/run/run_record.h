#pragma once
// Everything the GUI keeps about one run: the config, what the worker reported while it
// trained (loss, frames for the history slider) and, once finished, its metrics. The current
// run, the gallery and saved run files all hold this one structure.

#include <QImage>
#include <QString>

#include <memory>
#include <vector>

#include "ui/training/training_types.h"

namespace il::ui {

struct RunRecord {
    quint64 id = 0;
    il::ExperimentConfig config;
    QString device;
    il::ModelSize size;
    std::vector<il::Image> trainingImages;
    std::vector<int> decaySteps;
    QString theoryName;  // the closed form beside the network, if any
    QString label;       // a sweep task's label ("depth=20 seed=3"); empty for a run of its own
    QString name;        // the user's name for the run; empty: none (shortTitle falls back to the label)
    QString notes;       // the user's free-text notes
    QStringList warnings;

    std::vector<il::LossPoint> loss;
    std::vector<TrainingFrame> history;  // ascending steps
    // The newest live frame (training_types.h), shown until a newer history frame arrives; its
    // rho sweep and activation maps, when it carries them, stand until newer ones come.
    TrainingFrame live;
    std::vector<il::RhoPoint> liveRho;
    int liveRhoStep = -1;
    TrainingFrame liveActivations;
    il::RunMetrics metrics;              // final metrics once finished
    bool finished = false;
    QString checkpointPath;    // the run's weights on disk (cache or extracted), if any
    QString sourceFile;        // the .ilrun it was opened from or saved to
    il::Image customTraining;  // non-empty: trained on this drawing, not a data set image
    QString dataFolder;        // the drawing's MNIST copy (drawing_dataset.h), if any

    QString title() const;  // "CNN 5x128 k5 relu"
    // For plot legends and comparison rows: the user's name, else the label, else "CNN 5" (depth).
    QString shortTitle() const;
    QString statusText() const;  // "completed, loss 1.2e-05" / "diverged at step 37"
    // Why training cannot go on from this run's checkpoint ("it is complete: all 1200 steps are
    // done"); empty when it can: a stopped or interrupted run with its weights.
    QString continueProblem() const;

    // The last frame at or before `step`; the newest (a live one included) when step < 0;
    // nullptr when none.
    const TrainingFrame* frameAt(int step = -1) const;
    // The newest rho sweep at or before `step`.
    std::vector<il::RhoPoint> rhoAt(int step = -1) const;
    // The newest activation grid at or before `step` (and its frame's step), nullptr if none.
    const TrainingFrame* activationFrameAt(int step = -1) const;

    // Adds a frame in step order (a frame at an existing step replaces it); a live frame
    // replaces the live one instead, outside the history.
    void addFrame(const TrainingFrame& frame);
    // A drawing's run: the training probes are called "your drawing" (the engine names them
    // after the label it was given).
    void renameCustomTrainingProbes(std::vector<il::ProbeOutcome>& probes) const;

    // Drops the activation maps of all frames but the newest (kept in the gallery to save memory).
    void thinActivations();

    // The final metrics of a finished run; of one still training (saved or exported midway),
    // what it has so far, marked as cancelled at its last step.
    il::RunMetrics metricsSoFar() const;
};

using RunPtr = std::shared_ptr<RunRecord>;

QString stopReasonText(const il::RunMetrics& metrics);

}  // namespace il::ui
