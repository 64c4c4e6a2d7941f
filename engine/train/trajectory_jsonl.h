#pragma once
// RunMetrics::trajectory as metrics.jsonl (a public file format: docs/config.md): one compact
// JSON object a line, oldest first, so that the course of training streams into pandas or
// jq line by line:
//   {"step":20,"loss":0.0123,"lr":0.01,"groups":{"train":{"corr_identity":0.99,"corr_constant":0.99},...}}

#include <string>
#include <vector>

#include "engine/train/results.h"

namespace il {

std::string trajectoryJsonl(const std::vector<TrajectoryPoint>& trajectory);

}  // namespace il
