#pragma once
// Writes one run into a folder, the same way for the CLI's `train`, `reproduce` and the GUI's
// "Export all": config.json (fully resolved), metrics.json, loss.csv, checkpoint.pt, and the
// figures as PNG: probes.png (inputs over outputs), activations.png, rho.png, loss.png and
// layer_classifier.png when measured. Any figure can be regenerated from config.json.

#include <QString>
#include <QStringList>

#include "engine/train/training_session.h"

namespace il::ui {

struct RunFolderOptions {
    int scale = 2;              // figure resolution factor (2: sharp in papers and slides)
    bool checkpoint = true;     // model and optimiser state
    bool figures = true;
    QString label;              // row label in figures; empty = il::describeModel(config)
};

// Returns the files written. Throws il::Error naming the folder or file on failure (missing
// permission, full disk); files written before the failure stay.
QStringList writeRunFolder(const QString& folder, const TrainingSession& session, const RunMetrics& metrics,
                           const RunFolderOptions& options = {});

// The probe grid row of one run, labelled; shared by reproduce's multi-run figures.
QString runLabel(const ExperimentConfig& config);

}  // namespace il::ui
