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

// <prefix>/bin/identitylab -> <prefix>/share/identitylab: the layout `cmake --install` and the
// Debian package produce, wherever the prefix was moved to (relocatable, no hard-coded path).
std::string besideExecutable()
{
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec || exe.empty())
        return {};
    return (exe.parent_path().parent_path() / "share" / "identitylab").lexically_normal().string();
}

}  // namespace

std::string findResourcesDir()
{
    std::vector<std::string> looked;
    const std::string fromEnv = environment("IDENTITYLAB_RESOURCES");
    if (!fromEnv.empty()) {
        if (isFolder(fromEnv))
            return fromEnv;
        looked.push_back("IDENTITYLAB_RESOURCES=" + fromEnv + " (not a folder)");
    } else {
        looked.push_back("IDENTITYLAB_RESOURCES (not set)");
    }

    std::vector<std::string> candidates = {besideExecutable()};
#ifdef IDENTITYLAB_SOURCE_RESOURCES
    candidates.push_back(IDENTITYLAB_SOURCE_RESOURCES);
#endif
#ifdef IDENTITYLAB_INSTALLED_RESOURCES
    candidates.push_back(IDENTITYLAB_INSTALLED_RESOURCES);
#endif
    for (const std::string& candidate : candidates) {
        if (candidate.empty())
            continue;
        if (isFolder(candidate))
            return candidate;
        looked.push_back(candidate);
    }

    std::string message = "IdentityLab's resources folder was not found. Looked at: ";
    for (std::size_t i = 0; i < looked.size(); ++i)
        message += (i ? "; " : "") + looked[i];
    message += ". Set IDENTITYLAB_RESOURCES to the resources/ folder of the source tree or the installed "
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
    if (where.fashionDir.empty())
        where.fashionDir = kDebianFashionMnistDir;
    where.cifarDir = environment("IDENTITYLAB_CIFAR_DIR");
    return where;
}

}  // namespace il
