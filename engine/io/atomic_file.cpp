#include "engine/io/atomic_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>

#include "engine/core/errors.h"

namespace il {

namespace {

// A random suffix and exclusive create ("x", C11) keep concurrent writers of the same file from
// sharing a temporary file.
std::FILE* createTemporaryBeside(const std::string& path, std::string& temporary)
{
    std::random_device seed;
    std::mt19937 rng(seed());
    for (int attempt = 0; attempt < 16; ++attempt) {
        char suffix[16];
        std::snprintf(suffix, sizeof suffix, ".tmp-%08X", static_cast<unsigned>(rng()));
        temporary = path + suffix;
        errno = 0;
        if (std::FILE* file = std::fopen(temporary.c_str(), "wbx")) return file;
        if (errno != EEXIST) break;
    }
    return nullptr;
}

}  // namespace

void writeFileAtomic(const std::string& path, const std::function<void(const ByteSink&)>& produce, const std::string& what)
{
    const std::string name = what.empty() ? path : what;
    std::string temporary;
    std::FILE* file = createTemporaryBeside(path, temporary);
    if (!file) throw Error("cannot write " + name + ": " + std::strerror(errno));

    int error = 0;
    const ByteSink sink = [&](const void* data, std::size_t size) {
        if (error == 0 && size > 0 && std::fwrite(data, 1, size, file) != size) error = errno ? errno : EIO;
    };
    try {
        produce(sink);
    } catch (...) {
        std::fclose(file);
        std::remove(temporary.c_str());
        throw;
    }
    // Buffered errors (ENOSPC) surface only at fflush and fclose, so both are checked.
    if (error == 0 && std::fflush(file) != 0) error = errno;
    if (std::fclose(file) != 0 && error == 0) error = errno;
    if (error == 0 && std::rename(temporary.c_str(), path.c_str()) != 0) error = errno;
    if (error != 0) {
        std::remove(temporary.c_str());
        throw Error("cannot write " + name + ": " + std::strerror(error));
    }
}

void writeFileAtomic(const std::string& path, const std::string& bytes)
{
    writeFileAtomic(path, [&](const ByteSink& sink) { sink(bytes.data(), bytes.size()); });
}

}  // namespace il
