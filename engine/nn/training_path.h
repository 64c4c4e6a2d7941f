#pragma once
// Which implementation of the training step a configuration gets. No LibTorch here: the CLI's
// bench prints the path beside its timings.
//
// FusedFcn (engine/nn/fast_fcn.h): FCNs and ResNet-FCNs trained by SGD on the CPU with at most
// kFusedFcnMaxBatch images a step. Forward by BLAS matrix-vector products, backward by hand,
// and the SGD update inside the backward sweep: each weight is read and written once per step.
// Autograd: everything else (CNNs, other optimisers, CUDA, large batches): LibTorch's autograd
// and the optimiser's own step.
//
// IDENTITYLAB_TRAINING_PATH=autograd in the environment forces the generic path, to measure
// one against the other or to rule the fused path out when something looks wrong.

#include "engine/config/experiment_config.h"

namespace il::nn {

enum class TrainingPath { Autograd, FusedFcn };

constexpr int kFusedFcnMaxBatch = 8;

// For a session on the CPU (onCpu) that trains on batchRows images per step.
TrainingPath chooseTrainingPath(const ExperimentConfig& config, bool onCpu, long long batchRows);
// The same, with the device and batch size a session would pick for this config.
TrainingPath chooseTrainingPath(const ExperimentConfig& config);

const char* toString(TrainingPath path);  // "autograd", "fused-fcn"

}  // namespace il::nn
