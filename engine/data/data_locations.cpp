// DataLocations::fromEnvironment() and findResourcesDir(): deciding where data is read from.
// Loading itself is in dataset.cpp.

#include "engine/data/dataset.h"

#include "engine/core/errors.h"

#include <cstdlib>
#include <filesystem>
#include <vector>

namespace il {
namespace {

namespace fs = std::filesystem;

std::string environment(const char* name)
{
    const char* value = std::getenv(name);
    return value ? std::string(value) : std::string();
}

bool isFolder(const std::string& path)
{
    std::error_code ec;
    return !path.empty() && fs::is_directory(path, ec);
}

std::string executablePath()
{
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string() : exe.string();
}

// <prefix>/bin/identitylab -> <prefix>/share/identitylab: the layout `cmake --install` and the
// Debian package produce, wherever the prefix was moved to (relocatable, no hard-coded path).
std::string besideExecutable(const std::string& exe)
{
    if (exe.empty()) return {};
    return (fs::path(exe).parent_path().parent_path() / "share" / "identitylab").lexically_normal().string();
}

// True when `path` lies inside `folder` (both absolute).
bool isInside(const std::string& path, const std::string& folder)
{
    std::string f = fs::path(folder).lexically_normal().string();
    while (f.size() > 1 && f.back() == '/') f.pop_back();
    const std::string p = fs::path(path).lexically_normal().string();
    return !f.empty() && p.size() > f.size() && p.compare(0, f.size(), f) == 0 && p[f.size()] == '/';
}

}  // namespace

std::string findResourcesDir()
{
    std::vector<std::string> looked;
    const std::string fromEnv = environment("IDENTITYLAB_RESOURCES");
    if (!fromEnv.empty()) {
        if (isFolder(fromEnv)) return fromEnv;
        looked.push_back("IDENTITYLAB_RESOURCES=" + fromEnv + " (not a folder)");
    } else {
        looked.push_back("IDENTITYLAB_RESOURCES (not set)");
    }

    // The installed layout first: ../share/identitylab beside the executable, then the
    // prefix this build was configured for. The source tree is the last resort, for the
    // build folder; an executable inside the build folder prefers it to an older install.
    // IDENTITYLAB_RESOURCES_NO_FALLBACK=1 keeps only the first two places, so a test of an
    // installed tree cannot pass on the source tree's or another install's files.
    const std::string exe = executablePath();
    std::vector<std::string> candidates = {besideExecutable(exe)};
    if (environment("IDENTITYLAB_RESOURCES_NO_FALLBACK") != "1") {
        std::string installed, source, buildDir;
#ifdef IDENTITYLAB_INSTALLED_RESOURCES
        installed = IDENTITYLAB_INSTALLED_RESOURCES;
#endif
#ifdef IDENTITYLAB_SOURCE_RESOURCES
        source = IDENTITYLAB_SOURCE_RESOURCES;
#endif
#ifdef IDENTITYLAB_BUILD_DIR
        buildDir = IDENTITYLAB_BUILD_DIR;
#endif
        if (isInside(exe, buildDir))
            candidates.insert(candidates.end(), {source, installed});
        else
            candidates.insert(candidates.end(), {installed, source});
    } else {
        looked.push_back("IDENTITYLAB_RESOURCES_NO_FALLBACK=1 (no install-prefix or source-tree fallback)");
    }
    for (const std::string& candidate : candidates) {
        if (candidate.empty()) continue;
        if (isFolder(candidate)) return candidate;
        looked.push_back(candidate);
    }

    std::string message = "IdentityLab's resources folder was not found. Looked at: ";
    for (std::size_t i = 0; i < looked.size(); ++i) message += (i ? "; " : "") + looked[i];
    message +=
        ". Set IDENTITYLAB_RESOURCES to the resources/ folder of the source tree or the installed "
        "share/identitylab folder.";
    throw DataError(message);
}

DataLocations DataLocations::fromEnvironment()
{
    DataLocations where;
    try {
        where.resourcesDir = findResourcesDir();
    } catch (const DataError&) {
        // Left empty on purpose: Fashion-MNIST and CIFAR-10 do not need it, and loading the
        // shipped MNIST subset calls findResourcesDir() again to report where it looked.
    }
    where.mnistDir = environment("IDENTITYLAB_MNIST_DIR");
    where.fashionDir = environment("IDENTITYLAB_FASHION_DIR");
    if (where.fashionDir.empty()) where.fashionDir = kDebianFashionMnistDir;
    where.cifarDir = environment("IDENTITYLAB_CIFAR_DIR");
    return where;
}

}  // namespace il
