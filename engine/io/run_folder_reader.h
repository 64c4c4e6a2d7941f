#pragma once
// Reads a run folder (engine/io/run_folder.h; docs/config.md, "Run folders as open data") back
// into the engine's plain types, so that runs trained elsewhere (`identitylab-cli train --out`,
// a sweep's tasks on a cluster) can be shown as if they had been trained here.
//
// config.json and metrics.json must be there; metrics.jsonl, loss.csv, the probes and the
// activations are read when present (a folder written by an older version may lack some), but a
// file that is there and cannot be read is an error, never silently skipped. Standard library
// only: the GUI reads folders with it on a worker thread, and a Qt-free build can use it too.

#include <string>
#include <vector>

#include "engine/config/experiment_config.h"
#include "engine/io/json.h"
#include "engine/io/run_folder.h"
#include "engine/train/results.h"

namespace il {

struct RunFolderContent {
    std::string folder;
    ExperimentConfig config;  // config.json
    // metrics.json; its probes with their input and output images and unrounded correlations
    // from probes.json and its arrays where the folder has them; the trajectory from metrics.jsonl.
    RunMetrics metrics;
    std::vector<LossPoint> loss;       // loss.csv; steps counted from 0, as LossPoint counts them
    ActivationGrid activations;        // activations.json and its arrays; empty when absent
    std::vector<ProbesAtSize> probesAtSizes;  // probes_at_S.json and its arrays, by size
    json::Value provenance;            // config.json's "provenance"; null when it has none
    std::string checkpoint;            // checkpoint.pt's path when the folder has one, else empty
    std::vector<std::string> figures;  // the PNG figures' paths, sorted by name
};

// True when `folder` is a directory holding config.json and metrics.json. Cheap: no file is read.
bool isRunFolder(const std::string& folder);

// Throws il::DataError naming the file and what is wrong with it: missing, not JSON, a key of the
// wrong type, an array whose shape does not match its manifest, a config that does not validate.
RunFolderContent readRunFolder(const std::string& folder);

}  // namespace il
