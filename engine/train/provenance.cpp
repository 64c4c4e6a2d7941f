#include "engine/train/provenance.h"

#include <ctime>
#include <map>
#include <mutex>

#include "engine/core/build_info.h"
#include "engine/core/compute_threads.h"
#include "engine/core/errors.h"
#include "engine/io/sha256.h"

namespace il {

namespace {

// LabelledSet::source lists the files read, separated by "; ".
void appendSourceFiles(const std::string& source, std::vector<std::string>& files)
{
    std::size_t begin = 0;
    while (begin < source.size()) {
        std::size_t end = source.find("; ", begin);
        if (end == std::string::npos) end = source.size();
        const std::string path = source.substr(begin, end - begin);
        bool known = path.empty();
        for (const std::string& f : files) known = known || f == path;
        if (!known) files.push_back(path);
        begin = end + 2;
    }
}

}  // namespace

std::string isoUtc(std::chrono::system_clock::time_point time)
{
    const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

std::vector<std::string> dataFilesRead(const ExperimentConfig& config, const DataLocations& data)
{
    std::vector<std::string> files;
    const std::pair<DatasetKind, Split> sets[] = {
        {config.dataset, Split::Train}, {config.dataset, Split::Test}, {DatasetKind::FashionMnist, Split::Test}};
    for (const auto& [kind, split] : sets) {
        try {
            appendSourceFiles(loadDatasetShared(kind, split, data)->source, files);
        } catch (const Error&) {
            // Not read by the session either (Fashion-MNIST not installed): nothing to record.
        }
    }
    return files;
}

std::vector<DataFileDigest> digestFiles(const std::vector<std::string>& paths)
{
    static std::mutex mutex;
    static std::map<std::string, std::string> known;
    std::vector<DataFileDigest> digests;
    for (const std::string& path : paths) {
        std::unique_lock<std::mutex> lock(mutex);
        auto found = known.find(path);
        if (found == known.end()) {
            lock.unlock();
            std::string digest;
            try {
                digest = sha256OfFile(path);
            } catch (const Error&) {
                // Gone since the session read it: the path alone is still worth recording.
            }
            lock.lock();
            found = known.emplace(path, digest).first;
        }
        digests.push_back({path, found->second});
    }
    return digests;
}

Provenance describeBuildAndData(const ExperimentConfig& config, const DataLocations& data)
{
    Provenance p;
    p.version = programVersion();
    p.gitRevision = gitRevision();
    p.torchVersion = torchVersion();
    p.threads = computeThreads();
    p.dataFiles = digestFiles(dataFilesRead(config, data));
    return p;
}

json::Value provenanceToJson(const Provenance& p)
{
    json::Value o = json::Value::object();
    o["identitylab_version"] = p.version;
    o["git_revision"] = p.gitRevision;
    o["libtorch_version"] = p.torchVersion;
    o["device"] = p.device;
    o["threads"] = p.threads;
    json::Value files = json::Value::array();
    for (const DataFileDigest& f : p.dataFiles) {
        json::Value e = json::Value::object();
        e["path"] = f.path;
        e["sha256"] = f.sha256;
        files.push_back(e);
    }
    o["data_files"] = files;
    o["started"] = p.started;
    o["ended"] = p.ended;
    return o;
}

}  // namespace il
