#pragma once
// A sweep folder: the run folders of many runs under one folder, and which of them are there yet.
// Three layouts are read, the first that applies:
//   Plan        DIR/plan.json (engine/sweep/plan_tasks.h, written before any task runs): every
//               task's index, label, cell and run folder name. A task's run folder appears by
//               rename once it is complete (a task in progress lives in a hidden ".name" folder),
//               so a listed folder that is there is finished.
//   Summary     DIR/summary.json of `reproduce` without a plan.json: its "runs", each with the
//               "label" and "folder" of a run folder.
//   Subfolders  any other folder: each visible sub-folder that is a run folder, by name.
// Standard library only, like the run folder reader; the GUI calls it on a worker thread.

#include <string>
#include <vector>

namespace il {

struct SweepFolderTask {
    int index = 0;
    std::string label;      // "depth=20 seed=3"; the folder's name where nothing names it better
    std::string cell;       // the label without the seed; empty where the layout has no cells
    std::string folder;     // the run folder's name inside the sweep folder
    bool finished = false;  // its run folder is there
};

enum class SweepLayout { Plan, Summary, Subfolders };

struct SweepFolder {
    std::string path;
    std::string name;  // the plan's or preset's name, else the folder's own name
    SweepLayout layout = SweepLayout::Subfolders;
    // Plan and Summary: every task the sweep holds when complete. Subfolders: the run folders
    // found so far (a later refresh may find more).
    std::vector<SweepFolderTask> tasks;

    int finishedCount() const;
};

// True when `folder` is not itself a run folder and has a plan.json, a summary.json that lists
// run folders, or a visible sub-folder that is a run folder.
bool isSweepFolder(const std::string& folder);

// Reads the task list and which tasks are finished. Throws il::DataError naming the file when
// plan.json or summary.json is there but damaged, or the folder cannot be listed.
SweepFolder readSweepFolder(const std::string& folder);

// Marks the tasks finished since the last read (and, for Subfolders, adds the new run folders),
// from one listing of the folder, so that it stays cheap for thousands of tasks on a network
// file system. Throws il::DataError when the folder cannot be listed.
void refreshSweepFolder(SweepFolder& sweep);

}  // namespace il
