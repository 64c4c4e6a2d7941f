#pragma once
// The engine's one way to replace a file: the bytes go to a temporary file beside it, which is
// then renamed over the target. On POSIX the rename is atomic, so a reader sees the old file or
// the new one, and a crash or a full disk never leaves a half-written file behind.

#include <cstddef>
#include <functional>
#include <string>

namespace il {

// Takes the producer's bytes. A failed write is remembered instead of thrown, so that a producer
// that must not be interrupted (LibTorch's archive writer ends the process when its callback
// throws) runs to its end; writeFileAtomic reports the error after.
using ByteSink = std::function<void(const void* data, std::size_t size)>;

// Calls produce with a sink into PATH.tmp-XXXXXXXX, then renames that file over PATH. Throws
// il::Error "cannot write WHAT: reason" (WHAT is PATH unless given, e.g. "the checkpoint PATH").
// An exception from produce removes the temporary file and passes through.
void writeFileAtomic(const std::string& path, const std::function<void(const ByteSink&)>& produce, const std::string& what = {});
void writeFileAtomic(const std::string& path, const std::string& bytes);

}  // namespace il
