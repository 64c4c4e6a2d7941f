#pragma once
// Choosing the training image(s) and assembling the test probes of Figures 2-3: the training
// image, a blend of two digits, two test digits, two Fashion-MNIST items, the seven patterns
// and noise. Choices are drawn from the config's data seed, so they are the same on every run
// and machine; the probes come from the test split, disjoint from the training image.

#include <string>
#include <vector>

#include "engine/config/experiment_config.h"
#include "engine/data/dataset.h"
#include "engine/probes/probe.h"

namespace il {

struct TrainingSelection {
    std::vector<Image> images;  // resampled to the config's image size and channels
    std::vector<int> indices;   // into the training split
    std::vector<int> labels;
    std::string source;  // provenance for the report
};

TrainingSelection selectTrainingImages(const ExperimentConfig& config, const DataLocations& data);

// Fashion-MNIST missing (its package not installed) is not an error: those probes are left out
// and a warning says why.
std::vector<Probe> figureProbes(const ExperimentConfig& config, const TrainingSelection& training, const DataLocations& data,
                                std::vector<std::string>* warnings = nullptr);

// Converts any image (a drawing, a file) to the model's input format.
Image conformImage(const Image& image, int channels, int size);

const char* fashionClassName(int label);

}  // namespace il
