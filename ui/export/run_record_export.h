#pragma once
// A run the app holds (RunRecord: the current run, a gallery entry, an opened .ilrun) written as
// a run folder (run_export.h), so that everything the app keeps reaches Python and other tools.
// Used by "File > Export run as folder..." and `identitylab-cli export RUN.ilrun --out DIR`.

#include <QString>
#include <QStringList>

#include "ui/export/run_export.h"
#include "ui/run/run_record.h"

namespace il::ui {

// The record's content as a run folder holds it. `metrics` are the record's (the caller's choice
// for an unfinished run); its trajectory, when empty, is made from the history frames.
RunContent runContentOf(const RunRecord& run, const RunMetrics& metrics);

// Throws il::Error naming the file on failure, as writeRunFolder.
QStringList writeRunRecordFolder(const QString& folder, const RunRecord& run, const RunMetrics& metrics, const RunFolderOptions& options);

// Reads the .ilrun at `runFile` and writes it as a run folder. Throws il::DataError when the
// file cannot be read (not a run file, damaged), il::Error when the folder cannot be written.
QStringList exportRunFile(const QString& runFile, const QString& folder, const RunFolderOptions& options);

}  // namespace il::ui
