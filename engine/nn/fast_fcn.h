#pragma once
// The fused training step for FCNs and ResNet-FCNs on one image or a few (internal: engine .cpp
// files only). One step of the generic path (nn::Linear through autograd, then the optimiser)
// moves about 44 bytes per weight through memory and pays autograd's bookkeeping for every
// layer; this one moves 20:
//   forward   z = W h + b by BLAS (addmv for one image), activation in place       4 bytes
//   backward  per row r of W, one sweep over W and its momentum buffer M:          16 bytes
//             g_in += W[r,:] g[r]                 (input gradient, old weights)
//             M[r,:] = mu M[r,:] + g[r] h         (the gradient g h^T is never stored)
//             W[r,:] -= lr M[r,:]
// The arithmetic is PyTorch's (MSE loss, the activation derivatives of ATen, SGD without
// dampening), so it gives the generic path's weights up to float rounding
// (tests/engine/tst_fast_paths.cpp). The weights are the network's own tensors, updated in
// place, so evaluation and checkpoints see them; the momentum buffers are the FusedSgd's.

#include <vector>

#include "engine/config/experiment_config.h"
#include "engine/core/torch.h"
#include "engine/nn/network.h"
#include "engine/nn/optimizers.h"

namespace il::nn {

class FastFcnTrainer {
public:
    // config must be one chooseTrainingPath() sends to TrainingPath::FusedFcn; network its
    // network (CPU, float) and optimizer the FusedSgd over network->parameters().
    FastFcnTrainer(Network network, const ExperimentConfig& config, FusedSgd& optimizer);

    // One SGD step towards the identity on `images` (N, C, H, W), N <= kFusedFcnMaxBatch.
    // Returns the MSE loss before the update, as the generic path does.
    double step(const torch::Tensor& images);
    // The network's output for the images of the last step (rows x features, before that
    // step's update); undefined before the first step. Overwritten by the next step.
    torch::Tensor lastOutput() const { return outputs_.empty() ? torch::Tensor() : outputs_.back(); }

private:
    struct Layer {
        torch::Tensor weight, bias;                  // the network's parameters (bias may be undefined)
        torch::Tensor weightMomentum, biasMomentum;  // the optimiser's buffers (undefined without momentum)
    };
    enum class StageKind { Plain, Inner, Outer };
    struct Stage {
        StageKind kind = StageKind::Plain;
        int layer = 0;
        bool activate = true;  // Plain and Outer: whether the activation follows; Inner always activates
    };

    void allocate(std::int64_t rows);
    void linear(const Layer& layer, const torch::Tensor& input, torch::Tensor& output) const;
    void activateInPlace(torch::Tensor& t) const;
    // g *= act'(y) where y = act(z) is the activation's output (N x features, contiguous).
    void multiplyByDerivative(float* g, const float* y, std::int64_t n) const;
    // The fused backward + SGD step of one layer: grad holds dL/dz (rows x out), input the
    // layer's input (rows x in); writes dL/d(input) into inputGrad unless it is null.
    void backwardAndUpdate(const Layer& layer, const float* grad, const float* input, float* inputGrad);

    Network network_;
    Activation activation_;
    ResidualForm residualForm_;
    FusedSgd& optimizer_;
    std::vector<Layer> layers_;
    std::vector<Stage> stages_;

    std::int64_t rows_ = -1;
    std::vector<torch::Tensor> outputs_;  // each stage's output (rows x features)
    std::vector<torch::Tensor> branch_;   // Talk-form outer stages: act(W2 a + b2), for its derivative
    torch::Tensor grad_, nextGrad_, skipGrad_;
    std::vector<float> partial_;  // other threads' input-gradient partial sums
};

}  // namespace il::nn
