#pragma once
// The talk's layer-wise classifier: how well each layer's activations of training images
// predict their class by a similarity-weighted vote of the others.

#include "engine/data/dataset.h"
#include "engine/eval/model_under_test.h"
#include "engine/train/results.h"

namespace il::eval {

// The first `images` images of the configured data set's training split.
LayerClassifierCurve layerClassifier(const ModelUnderTest& model, const DataLocations& data, int images);

}  // namespace il::eval
