#pragma once
// Plain data that crosses from the training worker to the GUI thread (docs/gui.md, "How it is built"):
// copies, never references into the session. Registered as metatypes so queued signals can
// carry them by value.

#include <QMetaType>
#include <QString>
#include <QStringList>

#include <vector>

#include "engine/config/experiment_config.h"
#include "engine/probes/probe.h"
#include "engine/train/model_size.h"
#include "engine/train/results.h"

namespace il::ui {

// What a freshly built session is: sent once, before its first frame.
struct SessionInfo {
    quint64 runId = 0;
    il::ExperimentConfig config;
    QString device;
    il::ModelSize size;
    std::vector<il::Image> trainingImages;
    std::vector<int> trainingIndices;
    QStringList warnings;
    std::vector<int> decaySteps;
    QString theoryName;               // "Theorem 1", "CNN fixed point" or empty
    int stepsDone = 0;                // > 0 when the session was loaded from a checkpoint
    std::vector<il::LossPoint> loss;  // the loaded history, if any
};

// Step, loss and rate of every step since the last update (batched, ~25 per second).
struct ProgressUpdate {
    quint64 runId = 0;
    int step = 0;
    int totalSteps = 0;
    double loss = 0.0;
    double lr = 0.0;
    double stepsPerSecond = 0.0;
    std::vector<il::LossPoint> newPoints;
};

// The model's outputs at one step: probes, the closed-form row, rho curves, activation maps.
struct TrainingFrame {
    quint64 runId = 0;
    int step = 0;
    int totalSteps = 0;
    double loss = 0.0;
    std::vector<il::ProbeOutcome> probes;  // the figure's probes, then the user's
    std::vector<il::Image> theory;         // one per probe when a closed form applies (theoryName)
    std::vector<il::RhoPoint> rho;         // empty when not recomputed for this frame
    il::ActivationGrid activations;        // empty when not recomputed for this frame
    std::vector<il::LayerStatistics> layerStats;
    // A live frame (sent about twice a second between the history's frames, not kept in it):
    // the training images' outputs are those of its step, free with each training step; the
    // other probes' outputs are of step probesStep, their last batched evaluation.
    bool live = false;
    int probesStep = -1;
};

struct RunResult {
    quint64 runId = 0;
    il::ExperimentConfig config;
    il::RunMetrics metrics;
    std::vector<il::LossPoint> loss;
    QString checkpointPath;  // weights of the finished run in the cache folder; empty if not kept
};

// What the activations view asks the worker for.
struct ActivationRequest {
    std::vector<il::Probe> probes;
    il::ChannelReduction reduction = il::ChannelReduction::Mean;
    int channel = 0;
};

void registerMetaTypes();

}  // namespace il::ui

Q_DECLARE_METATYPE(il::ui::SessionInfo)
Q_DECLARE_METATYPE(il::ui::ProgressUpdate)
Q_DECLARE_METATYPE(il::ui::TrainingFrame)
Q_DECLARE_METATYPE(il::ui::RunResult)
Q_DECLARE_METATYPE(il::ui::ActivationRequest)
Q_DECLARE_METATYPE(il::ExperimentConfig)
Q_DECLARE_METATYPE(il::RunMetrics)
Q_DECLARE_METATYPE(il::ActivationGrid)
Q_DECLARE_METATYPE(il::LayerClassifierCurve)
Q_DECLARE_METATYPE(il::Image)
Q_DECLARE_METATYPE(std::vector<il::Image>)
Q_DECLARE_METATYPE(std::vector<il::Probe>)
Q_DECLARE_METATYPE(std::vector<il::LayerStatistics>)
