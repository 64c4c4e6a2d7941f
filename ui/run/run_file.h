#pragma once
// A saved run (.ilrun): one file with the config (as JSON, the same text as config.json), the
// metrics, the loss history, the frames of the history slider and the weights with the
// optimiser state (TrainingSession::saveCheckpoint). Binary (QDataStream, versioned) because
// the frames hold images; the config inside stays readable JSON.

#include <QByteArray>
#include <QIODevice>
#include <QString>

#include "ui/run/run_record.h"

namespace il::ui {

inline constexpr const char* kRunFileSuffix = "ilrun";

// Writes `run` and the checkpoint file's bytes to `path` atomically. False with `error` set on
// failure.
bool saveRunFile(const RunRecord& run, const QString& checkpointPath, const QString& path, QString* error);

// Reads a run file; the weights are written to `checkpointOut` (a file the caller owns) and
// run.checkpointPath points there. False with `error` set on failure: not a run file, a newer
// or older format, a damaged or truncated file (every count and enum is checked against what
// the file can hold before anything is allocated), an invalid config inside.
bool loadRunFile(const QString& path, const QString& checkpointOut, RunRecord& run, QString* error);
// The same from an open device (`path` names it in messages). The fuzzer drives this one
// (tests/fuzz/fuzz_run_file.cpp); the whole device must be the run.
bool loadRunFromDevice(QIODevice& device, const QString& path, const QString& checkpointOut, RunRecord& run, QString* error);

// True when the file starts like a run file (as opposed to a config .json).
bool isRunFile(const QString& path);

}  // namespace il::ui
