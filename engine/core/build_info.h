#pragma once
// What built this program: IdentityLab's version (CMake's project version), the git revision of
// the source at configure time and the LibTorch it was compiled against. The same line is shown
// by `identitylab --version`, `identitylab-cli --version`, the About box, and recorded in every
// run's provenance, so that a figure can be traced to the program that made it.

#include <string>

namespace il {

const char* programVersion();  // "0.1.0"
// `git describe --always --dirty` when CMake configured a git checkout ("926055f-dirty"); empty
// for a source tarball. Taken at configure time: a rebuild without reconfiguring keeps it.
const char* gitRevision();
const char* torchVersion();  // "1.13.0"

// "IdentityLab 0.1.0 (git 926055f), LibTorch 1.13.0"
std::string versionLine();

}  // namespace il
