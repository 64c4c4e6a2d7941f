#pragma once
// RunMetrics as metrics.json (a public file format: docs/config.md) and the loss history as
// loss.csv, so that every figure can be checked by a program as well as by eye.

#include <string>
#include <vector>

#include "engine/io/json.h"
#include "engine/train/results.h"

namespace il {

json::Value metricsToJson(const RunMetrics& metrics);
std::string lossCsv(const std::vector<LossPoint>& losses);

}  // namespace il
