#include "engine/core/compute_device.h"

#include "engine/core/torch.h"

namespace il {

bool cudaAvailable() { return torch::cuda::is_available(); }

}  // namespace il
