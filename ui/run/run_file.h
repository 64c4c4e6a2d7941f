#pragma once
// A saved run (.ilrun): one file with the config (as JSON, the same text as config.json), the
// metrics, the loss history, the frames of the history slider and the weights with the
// optimiser state (TrainingSession::saveCheckpoint). Binary (QDataStream, versioned) because
// the frames hold images; the config inside stays readable JSON.

#include <QByteArray>
#include <QString>

#include "ui/run/run_record.h"

namespace il::ui {

inline constexpr const char* kRunFileSuffix = "ilrun";

// Writes `run` and the checkpoint file's bytes to `path` atomically. False with `error` set on
// failure.
bool saveRunFile(const RunRecord& run, const QString& checkpointPath, const QString& path, QString* error);

// Reads a run file; the weights are written to `checkpointOut` (a file the caller owns) and
// run.checkpointPath points there. False with `error` set on failure.
bool loadRunFile(const QString& path, const QString& checkpointOut, RunRecord& run, QString* error);

// True when the file starts like a run file (as opposed to a config .json).
bool isRunFile(const QString& path);

}  // namespace il::ui
