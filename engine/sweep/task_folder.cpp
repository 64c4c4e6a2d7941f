#include "engine/sweep/task_folder.h"

#include <signal.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

#include "engine/core/errors.h"
#include "engine/io/atomic_file.h"

namespace il {

namespace {

namespace fs = std::filesystem;

constexpr const char* kPartialPrefix = ".partial-";

std::string hostName()
{
    std::array<char, 256> name{};
    if (gethostname(name.data(), name.size() - 1) != 0) return "host";
    std::string host(name.data());
    for (char& c : host)
        if (c == '.' || c == '/') c = '_';  // the name's separators
    return host.empty() ? "host" : host;
}

bool processRunning(long pid)
{
    if (pid <= 0) return false;
    return kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

// Removes ".partial-FOLDER.HOST.PID" folders of dead processes on this host.
void removeStale(const fs::path& dir, const std::string& folder)
{
    const std::string prefix = kPartialPrefix + folder + "." + hostName() + ".";
    std::error_code error;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir, error)) {
        const std::string name = entry.path().filename().string();
        if (name.compare(0, prefix.size(), prefix) != 0) continue;
        char* end = nullptr;
        const long pid = std::strtol(name.c_str() + prefix.size(), &end, 10);
        if (*end != '\0' || processRunning(pid)) continue;
        std::error_code ignored;
        fs::remove_all(entry.path(), ignored);
    }
}

}  // namespace

std::string taskFolderPath(const std::string& sweepDir, const PlanTask& task) { return (fs::path(sweepDir) / task.folder).string(); }

bool taskFinished(const std::string& sweepDir, const PlanTask& task)
{
    std::error_code error;
    return fs::is_directory(taskFolderPath(sweepDir, task), error);
}

TaskFolderTransaction::TaskFolderTransaction(const std::string& sweepDir, const PlanTask& task) : final_(taskFolderPath(sweepDir, task))
{
    removeStale(sweepDir, task.folder);
    temporary_ = (fs::path(sweepDir) / (kPartialPrefix + task.folder + "." + hostName() + "." + std::to_string(getpid()))).string();
    std::error_code error;
    fs::remove_all(temporary_, error);  // this process's own leftover of an earlier attempt
    fs::create_directories(temporary_, error);
    if (error) throw Error("cannot create the task folder " + temporary_ + ": " + error.message());
}

TaskFolderTransaction::~TaskFolderTransaction()
{
    if (done_) return;
    std::error_code ignored;
    fs::remove_all(temporary_, ignored);
}

bool TaskFolderTransaction::commit()
{
    if (::rename(temporary_.c_str(), final_.c_str()) == 0) {
        done_ = true;
        return true;
    }
    const int reason = errno;
    if (reason == ENOTEMPTY || reason == EEXIST) {
        std::error_code ignored;
        fs::remove_all(temporary_, ignored);
        done_ = true;
        return false;
    }
    done_ = true;  // keep it: what was written may explain the failure
    throw Error("cannot rename " + temporary_ + " to " + final_ + ": " + std::strerror(reason));
}

namespace {

fs::path failurePath(const std::string& sweepDir, const PlanTask& task) { return fs::path(sweepDir) / "failed" / (task.folder + ".txt"); }

}  // namespace

void recordTaskFailure(const std::string& sweepDir, const PlanTask& task, const std::string& reason)
{
    const fs::path path = failurePath(sweepDir, task);
    std::error_code error;
    fs::create_directories(path.parent_path(), error);
    if (error) throw Error("cannot create " + path.parent_path().string() + ": " + error.message());
    writeFileAtomic(path.string(), reason + "\n");
}

void clearTaskFailure(const std::string& sweepDir, const PlanTask& task)
{
    std::error_code ignored;
    fs::remove(failurePath(sweepDir, task), ignored);
}

std::string taskFailure(const std::string& sweepDir, const PlanTask& task)
{
    std::ifstream in(failurePath(sweepDir, task));
    if (!in) return {};
    std::string reason((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == '\r')) reason.pop_back();
    return reason.empty() ? std::string("failed (no reason recorded)") : reason;
}

std::vector<std::string> partialTaskFolders(const std::string& sweepDir)
{
    std::vector<std::string> found;
    std::error_code error;
    for (const fs::directory_entry& entry : fs::directory_iterator(sweepDir, error)) {
        const std::string name = entry.path().filename().string();
        if (name.compare(0, std::strlen(kPartialPrefix), kPartialPrefix) == 0) found.push_back(name);
    }
    return found;
}

}  // namespace il
