#include "engine/io/sweep_folder.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>

#include "engine/core/errors.h"
#include "engine/io/json.h"
#include "engine/io/run_folder_reader.h"

namespace il {

namespace {

namespace fs = std::filesystem;

bool isFile(const fs::path& path)
{
    std::error_code error;
    return fs::is_regular_file(path, error);
}

// The names of the visible sub-folders: hidden ones are tasks still being written.
std::set<std::string> visibleSubfolders(const std::string& folder)
{
    std::set<std::string> names;
    std::error_code error;
    fs::directory_iterator it(folder, error);
    if (error) throw DataError(folder + ": cannot be listed (" + error.message() + ")");
    for (const fs::directory_entry& entry : it) {
        const std::string name = entry.path().filename().string();
        std::error_code typeError;
        if (!name.empty() && name.front() != '.' && entry.is_directory(typeError)) names.insert(name);
    }
    return names;
}

// A run folder's name as a file lists it: one plain name inside the sweep folder.
std::string folderName(const json::Value& entry)
{
    const json::Value& value = entry.at("folder");
    const std::string& name = value.asString();
    const fs::path path(name);
    if (name.empty() || path.filename() != path || name == "." || name == "..")
        throw ConfigError("\"folder\": \"" + name + "\" is not a folder name inside the sweep folder");
    return name;
}

std::string baseName(const std::string& folder)
{
    fs::path path(folder);
    if (!path.has_filename()) path = path.parent_path();
    return path.filename().string();
}

// Reads `file` with `read`; a damaged file is a DataError starting with its path.
template <typename Read>
void readJson(const fs::path& file, Read read)
{
    try {
        read(json::parseFile(file.string()));
    } catch (const json::ParseError& e) {
        throw DataError(std::string(e.what()));  // parseFile puts the path first
    } catch (const DataError&) {
        throw;
    } catch (const Error& e) {
        throw DataError(file.string() + ": " + e.what());
    }
}

bool summaryListsFolders(const fs::path& file)
{
    try {
        const json::Value root = json::parseFile(file.string());
        const json::Value* runs = root.find("runs");
        if (!runs || !runs->isArray() || runs->size() == 0) return false;
        return std::all_of(runs->asArray().begin(), runs->asArray().end(), [](const json::Value& r) { return r.contains("folder"); });
    } catch (const Error&) {
        return false;
    }
}

}  // namespace

int SweepFolder::finishedCount() const
{
    return static_cast<int>(std::count_if(tasks.begin(), tasks.end(), [](const SweepFolderTask& t) { return t.finished; }));
}

bool isSweepFolder(const std::string& folder)
{
    std::error_code error;
    if (!fs::is_directory(folder, error) || isRunFolder(folder)) return false;
    const fs::path dir(folder);
    if (isFile(dir / "plan.json") || summaryListsFolders(dir / "summary.json")) return true;
    try {
        for (const std::string& name : visibleSubfolders(folder))
            if (isRunFolder((dir / name).string())) return true;
    } catch (const DataError&) {
        return false;
    }
    return false;
}

SweepFolder readSweepFolder(const std::string& folder)
{
    const fs::path dir(folder);
    SweepFolder sweep;
    sweep.path = folder;
    sweep.name = baseName(folder);
    if (isFile(dir / "plan.json")) {
        sweep.layout = SweepLayout::Plan;
        readJson(dir / "plan.json", [&](const json::Value& root) {
            if (const json::Value* plan = root.find("plan"))
                if (const json::Value* name = plan->find("name"); name && name->isString() && !name->asString().empty())
                    sweep.name = name->asString();
            for (const json::Value& t : root.at("tasks").asArray()) {
                SweepFolderTask task;
                task.index = static_cast<int>(t.at("index").asInteger());
                task.label = t.at("label").asString();
                task.cell = t.contains("cell") ? t.at("cell").asString() : std::string();
                task.folder = folderName(t);
                sweep.tasks.push_back(std::move(task));
            }
        });
    } else if (summaryListsFolders(dir / "summary.json")) {
        sweep.layout = SweepLayout::Summary;
        readJson(dir / "summary.json", [&](const json::Value& root) {
            if (const json::Value* name = root.find("preset"); name && name->isString() && !name->asString().empty())
                sweep.name = name->asString();
            for (const json::Value& r : root.at("runs").asArray()) {
                SweepFolderTask task;
                task.index = static_cast<int>(sweep.tasks.size());
                task.folder = folderName(r);
                task.label = r.contains("label") ? r.at("label").asString() : task.folder;
                sweep.tasks.push_back(std::move(task));
            }
        });
    } else {
        sweep.layout = SweepLayout::Subfolders;
    }
    refreshSweepFolder(sweep);
    return sweep;
}

void refreshSweepFolder(SweepFolder& sweep)
{
    const fs::path dir(sweep.path);
    const std::set<std::string> present = visibleSubfolders(sweep.path);
    if (sweep.layout == SweepLayout::Subfolders) {
        // Only run folders are runs here: a sub-folder of figures or notes is not a task.
        for (const std::string& name : present) {
            const bool known =
                std::any_of(sweep.tasks.begin(), sweep.tasks.end(), [&](const SweepFolderTask& t) { return t.folder == name; });
            if (known || !isRunFolder((dir / name).string())) continue;
            SweepFolderTask task;
            task.folder = task.label = name;
            task.finished = true;
            sweep.tasks.push_back(std::move(task));
        }
        std::sort(sweep.tasks.begin(), sweep.tasks.end(),
                  [](const SweepFolderTask& a, const SweepFolderTask& b) { return a.folder < b.folder; });
        for (std::size_t i = 0; i < sweep.tasks.size(); ++i) sweep.tasks[i].index = static_cast<int>(i);
        return;
    }
    // A listed task whose folder is there is complete (it appeared by rename), even when it turns
    // out to be damaged: reading it says what is wrong, rather than waiting for it forever.
    for (SweepFolderTask& task : sweep.tasks)
        if (!task.finished && present.count(task.folder)) task.finished = true;
}

}  // namespace il
