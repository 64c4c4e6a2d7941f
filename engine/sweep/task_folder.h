#pragma once
// A sweep folder's task folders (docs/cluster.md). A task writes its run folder under a hidden
// temporary name in the sweep folder, ".partial-FOLDER.HOST.PID", and renames it to FOLDER when
// every file is written. rename(2) is atomic on one file system, so a folder under its final
// name is always complete: a killed task leaves only a hidden folder, which a rerun ignores and
// removes, and of two processes given the same task the first to finish wins and the other
// discards its copy (rename onto a non-empty folder fails).

#include <string>
#include <vector>

#include "engine/sweep/plan_tasks.h"

namespace il {

std::string taskFolderPath(const std::string& sweepDir, const PlanTask& task);
// The task's folder exists under its final name: the task is done.
bool taskFinished(const std::string& sweepDir, const PlanTask& task);

class TaskFolderTransaction {
public:
    // Creates the temporary folder; first removes the task's temporary folders that processes
    // of this host no longer running left behind. Throws il::Error when it cannot be created.
    TaskFolderTransaction(const std::string& sweepDir, const PlanTask& task);
    ~TaskFolderTransaction();  // removes the temporary folder unless committed
    TaskFolderTransaction(const TaskFolderTransaction&) = delete;
    TaskFolderTransaction& operator=(const TaskFolderTransaction&) = delete;

    const std::string& path() const { return temporary_; }
    // Renames the temporary folder to the task's folder. False when another process finished
    // the task first: its folder stays and this one is removed. Throws il::Error on any other
    // failure (the temporary folder then stays for inspection until the next run).
    bool commit();

private:
    std::string temporary_;
    std::string final_;
    bool done_ = false;
};

// A task whose run failed (it could not be built, ran out of memory, or its folder could not be
// written) leaves DIR/failed/FOLDER.txt with the reason, so that collect tells it from a task
// not run yet; the task's next success removes it. Throws il::Error when it cannot be written.
void recordTaskFailure(const std::string& sweepDir, const PlanTask& task, const std::string& reason);
void clearTaskFailure(const std::string& sweepDir, const PlanTask& task);
// The recorded reason; empty when none is recorded.
std::string taskFailure(const std::string& sweepDir, const PlanTask& task);

// Temporary folders of tasks in the sweep folder: running now, or left by killed processes.
std::vector<std::string> partialTaskFolders(const std::string& sweepDir);

}  // namespace il
