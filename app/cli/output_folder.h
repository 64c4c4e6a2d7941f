#pragma once
// Output folders of the CLI's commands.

#include <string>

namespace il::cli {

// Creates `folder` (and its parents) and checks that it can be written into, before any
// training: a typo or a read-only place costs seconds, not the run.
bool writableFolder(const std::string& folder);

// An absolute version of `path` (for job scripts, which run in another working directory).
std::string absolutePath(const std::string& path);

}  // namespace il::cli
