#pragma once
// Where a run comes from: the program and LibTorch that made it, on which device with how many
// threads, the data files it read (with their SHA-256) and when it started and ended. Written
// into config.json and metrics.json as "provenance", so that config.json alone says how to make
// the run again on the same version (docs/config.md, "Run folders as open data").

#include <chrono>
#include <string>
#include <vector>

#include "engine/config/experiment_config.h"
#include "engine/data/dataset.h"
#include "engine/io/json.h"

namespace il {

struct DataFileDigest {
    std::string path;
    std::string sha256;  // 64 hex digits; empty when the file could not be read again
};

struct Provenance {
    std::string version;      // programVersion()
    std::string gitRevision;  // may be empty (not built from a git checkout)
    std::string torchVersion;
    std::string device;  // "CPU, 2 threads" or "CUDA: NVIDIA H100"
    int threads = 0;     // CPU threads of the run
    std::vector<DataFileDigest> dataFiles;
    std::string started;  // ISO 8601 UTC, "2026-12-06T14:05:00Z"
    std::string ended;
};

// "2026-12-06T14:05:00Z"
std::string isoUtc(std::chrono::system_clock::time_point time);

// The files a session with `config` reads: the training and test splits of its data set and
// Fashion-MNIST's test split (the probes), as the data set cache found them. Files of a set
// that cannot be loaded are left out, as the session leaves out those probes.
std::vector<std::string> dataFilesRead(const ExperimentConfig& config, const DataLocations& data);

// Each file's SHA-256, remembered per path for the life of the process: the runs of a preset
// read the same files, and the full CIFAR-10 takes a second to hash.
std::vector<DataFileDigest> digestFiles(const std::vector<std::string>& paths);

// Everything but the times and device filled in from this build and `config`'s data files.
Provenance describeBuildAndData(const ExperimentConfig& config, const DataLocations& data);

json::Value provenanceToJson(const Provenance& provenance);

}  // namespace il
