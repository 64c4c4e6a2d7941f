#pragma once
// Training on your own drawing. The engine picks training images from a data set's training
// split, so the drawing is put at index 0 of a copy of MNIST's training split (IDX files in a
// folder of ours; the test split is copied as it is, so the probes stay those of MNIST) and
// the run uses that folder as its MNIST with train_examples [0].

#include <QString>

#include "engine/config/experiment_config.h"
#include "engine/data/dataset.h"

namespace il::ui {

// Label given to the drawing (the probes then show digits of other classes, as in the paper).
inline constexpr int kDrawingLabel = 7;

// Writes the folder; returns `base` with mnistDir set to it. Throws il::Error on failure.
il::DataLocations writeDrawingDataset(const il::Image& drawing, const il::DataLocations& base, const QString& folder);

// The config for training on the drawing: MNIST, the first training image only.
il::ExperimentConfig drawingConfig(il::ExperimentConfig config);

}  // namespace il::ui
