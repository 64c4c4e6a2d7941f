#pragma once
// Whether a CUDA device can be used, asked without exposing LibTorch to callers (app/ and ui/
// decide things such as how many runs to train at once from it).

namespace il {

bool cudaAvailable();

}  // namespace il
