#pragma once
// The value every data set loader returns: images with their labels and class names.
// Kept apart from dataset.h so the format readers (IDX, CIFAR) can produce it without
// depending on where data sets are looked up.

#include "engine/core/image.h"

#include <string>
#include <vector>

namespace il {

enum class DatasetKind { Mnist, FashionMnist, Cifar10 };
enum class Split { Train, Test };

struct LabelledSet {
    std::vector<Image> images;
    std::vector<int> labels;              // labels[i] belongs to images[i]; 0 <= label < classNames.size()
    std::vector<std::string> classNames;  // index = label
    std::string source;                   // human-readable provenance: the file paths read
};

}  // namespace il
