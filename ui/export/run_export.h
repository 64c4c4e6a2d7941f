#pragma once
// Writes one run into a folder, the same way for the CLI's `train`, `reproduce` and `export` and
// the GUI's "Export all" and "Export run as folder": the data files of engine/io/run_folder.h
// (config.json and metrics.json with provenance, metrics.jsonl, loss.csv, the probes and
// activations as .npy), checkpoint.pt, and the figures: probes (inputs over outputs),
// activations, rho, loss and layer_classifier when measured, in each format asked for (PNG,
// SVG, PDF). Any figure can be regenerated from config.json.

#include <QString>
#include <QStringList>

#include <chrono>
#include <functional>
#include <optional>
#include <vector>

#include "engine/data/dataset.h"
#include "engine/train/training_session.h"

namespace il::ui {

struct RunFolderOptions {
    int scale = 2;           // figure resolution factor (2: sharp in papers and slides)
    bool checkpoint = true;  // model and optimiser state
    bool figures = true;
    QStringList formats{QStringLiteral("png")};  // figure files: any of "png", "svg", "pdf"
    QString label;                               // row label in figures; empty = il::describeModel(config)
    // Provenance: where the data files the run read are found, and when its training began
    // (unset: its end minus the training time in the metrics).
    DataLocations data = DataLocations::fromEnvironment();
    std::optional<std::chrono::system_clock::time_point> started;
    std::vector<int> evaluateSizes;  // a session's probes also at these sizes (the image-size figure)
};

// What a run folder is made of, however the run is held: a live session or a saved run.
struct RunContent {
    ExperimentConfig config;
    RunMetrics metrics;
    std::vector<LossPoint> loss;
    std::vector<int> decaySteps;       // learning-rate decays, marked in the loss plot
    ActivationGrid activations;        // the figure's maps; empty: none
    QString theoryName;                // a closed form drawn beside the network, if any
    std::vector<Image> theoryOutputs;  // its output for each of metrics.probes
    int trainingColumns = 1;           // probe columns that are training images
};

// Writes checkpoint.pt at the path it is given; throws il::Error on failure.
using CheckpointWriter = std::function<void(const QString& path)>;

// Returns the files written: the data, then the checkpoint (when options.checkpoint is set and
// a writer is given), then the figures. Throws il::Error naming the folder or file on failure
// (missing permission, full disk); files written before the failure stay.
QStringList writeRunFolder(const QString& folder, const RunContent& run, const RunFolderOptions& options,
                           const CheckpointWriter& writeCheckpoint = {});
QStringList writeRunFolder(const QString& folder, const TrainingSession& session, const RunMetrics& metrics,
                           const RunFolderOptions& options = {});

// The probe grid row of one run, labelled; shared by reproduce's multi-run figures.
QString runLabel(const ExperimentConfig& config);

// "png,svg" (a command-line option) as formats; throws il::ConfigError on an unknown one.
QStringList figureFormats(const QString& commaSeparated);

}  // namespace il::ui
