#pragma once
// Shared by the libFuzzer targets: what every reader promises (engine/core/errors.h) is that a
// malformed input throws il::Error with a message, and nothing else. Any other exception
// (std::bad_alloc, std::length_error, std::out_of_range ...) escapes the target, and libFuzzer
// reports it as a crash. A broken invariant aborts, for the same reason.

#include <cstdio>
#include <cstdlib>
#include <string>

#include "engine/core/errors.h"

namespace il::fuzz {

// Smaller than the readers' default cap (1 GiB): libFuzzer's own limit is 2 GiB of RSS, and
// ASan's shadow and quarantine come on top. The cap logic itself is what is exercised.
constexpr std::size_t kFuzzMaxBytes = std::size_t(16) << 20;

[[noreturn]] inline void broken(const char* what, const std::string& detail = {})
{
    std::fprintf(stderr, "fuzz invariant broken: %s %s\n", what, detail.c_str());
    std::abort();
}

inline void require(bool ok, const char* what, const std::string& detail = {})
{
    if (!ok) broken(what, detail);
}

// Every message is for the user: it is never empty and names the input.
inline void checkMessage(const il::Error& e, const std::string& name)
{
    const std::string message = e.what();
    require(!message.empty(), "empty error message");
    require(message.find(name) != std::string::npos || dynamic_cast<const il::ConfigError*>(&e) != nullptr,
            "error message does not name the input:", message);
}

}  // namespace il::fuzz
