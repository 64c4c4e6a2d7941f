#pragma once
// A run folder (engine/io/run_folder_reader.h) as the GUI holds a run: finished, with one
// history frame at its last step that carries the folder's probes, rho sweep and activation
// maps, so that the views show it as they show a run trained here. Its checkpoint, when the
// folder has one, is the run's weights (opening it in the gallery loads them); its sourceFile is
// the folder, which is how a folder opened twice is recognised.

#include <QString>

#include "engine/io/run_folder_reader.h"
#include "ui/run/run_record.h"

namespace il::ui {

RunRecord runRecordFromFolder(const il::RunFolderContent& folder);

// Reads `folder` and converts it; null with `error` set (the file and what is wrong with it)
// when it cannot be read. Plain file work: callable from any thread.
RunPtr readRunFolderRecord(const QString& folder, QString* error);

}  // namespace il::ui
