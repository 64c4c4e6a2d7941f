#pragma once
// Where the data sets live and how they are loaded: the shipped MNIST subset, a user's full
// MNIST, Debian's Fashion-MNIST, a user's CIFAR-10. Loaded sets are cached for the life of the
// process, because the UI and the experiments ask for the same set over and over.

#include "engine/data/labelled_set.h"

#include <memory>
#include <string>

namespace il {

struct DataLocations {
    std::string resourcesDir;  // IdentityLab's resources/ (shipped MNIST subset in mnist/, presets)
    std::string mnistDir;      // optional folder with the full MNIST (standard names, raw or .gz); empty = shipped subset
    std::string fashionDir;    // Fashion-MNIST folder; default that of Debian's dataset-fashion-mnist
    std::string cifarDir;      // folder with the CIFAR-10 binary batches; empty = not available

    // Defaults, overridden by IDENTITYLAB_RESOURCES, IDENTITYLAB_MNIST_DIR,
    // IDENTITYLAB_FASHION_DIR and IDENTITYLAB_CIFAR_DIR. Never throws: when no resources folder
    // is found, resourcesDir stays empty and loading the shipped subset reports where we looked.
    static DataLocations fromEnvironment();
};

// Where Debian's dataset-fashion-mnist package installs the four gzip IDX files.
constexpr const char* kDebianFashionMnistDir = "/usr/share/datasets/fashion-mnist";

// IDENTITYLAB_RESOURCES if set and a folder; else ../share/identitylab next to the executable;
// else the configured install prefix's share/identitylab; else the source tree's resources/
// (tried before the install prefix by executables inside the build folder).
// IDENTITYLAB_RESOURCES_NO_FALLBACK=1 drops the last two (docs/packaging.md).
// Throws DataError listing every place it looked.
std::string findResourcesDir();

// The requested split, loaded once per (kind, split, folder) and then shared. Thread-safe.
// Throws DataError when files are missing or malformed: the message names the folder, the
// expected files and how to provide them.
std::shared_ptr<const LabelledSet> loadDatasetShared(DatasetKind kind, Split split, const DataLocations& where);
// A copy of the cached set, for callers that want to own and modify it.
LabelledSet loadDataset(DatasetKind kind, Split split, const DataLocations& where);
// Forgets every cached set (they are freed once no caller holds them). For tests and for
// releasing memory after a large set (CIFAR-10 train is ~600 MB as floats).
void clearDatasetCache();

// "mnist", "fashion_mnist", "cifar10": the names used in configs and on the command line.
const char* datasetName(DatasetKind kind);
// The inverse of datasetName(); throws ConfigError listing the accepted names.
DatasetKind datasetFromName(const std::string& name);
// "MNIST", "Fashion-MNIST", "CIFAR-10": for people.
const char* datasetDisplayName(DatasetKind kind);
const char* splitName(Split split);  // "train", "test"

}  // namespace il
