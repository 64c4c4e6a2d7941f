// loadDataset(): finds the files of a data set, reads them and caches the result.
// Where the folders come from is decided in data_locations.cpp.

#include "engine/data/dataset.h"

#include "engine/core/errors.h"
#include "engine/data/cifar_reader.h"
#include "engine/data/idx_reader.h"

#include <filesystem>
#include <map>
#include <mutex>
#include <tuple>
#include <vector>

namespace il {
namespace {

namespace fs = std::filesystem;

constexpr const char* kShippedMnistFolder = "mnist";

bool isFile(const fs::path& path)
{
    std::error_code ec;
    return fs::is_regular_file(path, ec);
}

bool isFolder(const std::string& path)
{
    std::error_code ec;
    return !path.empty() && fs::is_directory(path, ec);
}

std::vector<std::string> mnistClassNames() { return {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}; }

// In label order, as listed by Zalando (https://github.com/zalandoresearch/fashion-mnist).
std::vector<std::string> fashionClassNames()
{
    return {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};
}

// Everything needed to load one IDX-format split and to explain a failure to the user.
struct IdxSource {
    std::string folder;
    std::string displayName;  // "MNIST", "Fashion-MNIST", "The shipped MNIST subset"
    std::string howToFix;     // appended to every "missing" message
    std::vector<std::string> classNames;
};

// The standard names, plus the dotted variant some mirrors use (train-images.idx3-ubyte).
fs::path findIdxFile(const IdxSource& source, const std::string& baseName)
{
    std::string dotted = baseName;
    dotted.replace(dotted.find("-idx"), 1, ".");
    for (const std::string& name : {baseName, baseName + ".gz", dotted, dotted + ".gz"}) {
        const fs::path path = fs::path(source.folder) / name;
        if (isFile(path)) return path;
    }
    throw DataError(source.displayName + ": neither " + baseName + " nor " + baseName + ".gz is in " + source.folder + ". " +
                    source.howToFix);
}

LabelledSet loadIdxSplit(const IdxSource& source, Split split)
{
    const std::string prefix = split == Split::Train ? "train" : "t10k";
    const std::string imagesName = prefix + "-images-idx3-ubyte";
    const std::string labelsName = prefix + "-labels-idx1-ubyte";
    if (!isFolder(source.folder))
        throw DataError(source.displayName + ": folder " + (source.folder.empty() ? "(none)" : source.folder) +
                        " does not exist; expected " + imagesName + "[.gz] and " + labelsName + "[.gz] there. " + source.howToFix);

    const std::string imagesPath = findIdxFile(source, imagesName).string();
    const std::string labelsPath = findIdxFile(source, labelsName).string();
    LabelledSet set;
    set.images = readIdxImages(imagesPath);
    set.labels = readIdxLabels(labelsPath);
    set.classNames = source.classNames;
    set.source = imagesPath + "; " + labelsPath;

    if (set.images.size() != set.labels.size())
        throw DataError(source.displayName + ": " + imagesPath + " holds " + std::to_string(set.images.size()) + " images but " +
                        labelsPath + " holds " + std::to_string(set.labels.size()) + " labels; the two files do not belong together");
    for (std::size_t i = 0; i < set.labels.size(); ++i)
        if (set.labels[i] < 0 || static_cast<std::size_t>(set.labels[i]) >= set.classNames.size())
            throw DataError(labelsPath + ": label " + std::to_string(set.labels[i]) + " at index " + std::to_string(i) + " is outside 0.." +
                            std::to_string(set.classNames.size() - 1) + " (" + source.displayName + " has " +
                            std::to_string(set.classNames.size()) + " classes)");
    return set;
}

IdxSource mnistSource(const DataLocations& where)
{
    IdxSource source;
    source.classNames = mnistClassNames();
    if (!where.mnistDir.empty()) {
        source.folder = where.mnistDir;
        source.displayName = "MNIST";
        source.howToFix =
            "Put the MNIST files (http://yann.lecun.com/exdb/mnist/) there, or unset "
            "IDENTITYLAB_MNIST_DIR to use the 1000+1000 digit subset shipped with IdentityLab.";
        return source;
    }
    // findResourcesDir() throws with the list of places it tried: the most useful message here.
    const std::string resources = where.resourcesDir.empty() ? findResourcesDir() : where.resourcesDir;
    source.folder = (fs::path(resources) / kShippedMnistFolder).string();
    source.displayName = "The MNIST subset shipped with IdentityLab";
    source.howToFix =
        "Reinstall IdentityLab, set IDENTITYLAB_RESOURCES to its resources folder, or set "
        "IDENTITYLAB_MNIST_DIR to a folder holding the full MNIST.";
    return source;
}

IdxSource fashionSource(const DataLocations& where)
{
    IdxSource source;
    source.folder = where.fashionDir.empty() ? std::string(kDebianFashionMnistDir) : where.fashionDir;
    source.displayName = "Fashion-MNIST";
    source.howToFix =
        "Install Debian's dataset-fashion-mnist package (sudo apt install dataset-fashion-mnist) "
        "or set IDENTITYLAB_FASHION_DIR to a folder holding the Fashion-MNIST files "
        "(https://github.com/zalandoresearch/fashion-mnist).";
    source.classNames = fashionClassNames();
    return source;
}

LabelledSet loadCifar(const DataLocations& where, Split split)
{
    const std::string howToFix =
        "Download the CIFAR-10 binary version (cifar-10-binary.tar.gz from "
        "https://www.cs.toronto.edu/~kriz/cifar.html), unpack it and set "
        "IDENTITYLAB_CIFAR_DIR to that folder.";
    if (where.cifarDir.empty()) throw DataError("CIFAR-10 is not available: no CIFAR-10 folder is configured. " + howToFix);
    try {
        return readCifar10Folder(where.cifarDir, split);
    } catch (const DataError& error) {
        throw DataError(std::string(error.what()) + ". " + howToFix);
    }
}

// One cache slot per (kind, split, folder). Each slot has its own mutex so that loading a big
// set does not block hits on other sets; a failed load leaves the slot empty so the next call
// retries (the user may have fixed the folder meanwhile).
struct CacheSlot {
    std::mutex mutex;
    std::shared_ptr<const LabelledSet> set;
};
using CacheKey = std::tuple<DatasetKind, Split, std::string>;

std::mutex cacheMutex;
std::map<CacheKey, std::shared_ptr<CacheSlot>>& cache()
{
    static std::map<CacheKey, std::shared_ptr<CacheSlot>> slots;
    return slots;
}

std::shared_ptr<CacheSlot> slotFor(const CacheKey& key)
{
    std::lock_guard<std::mutex> lock(cacheMutex);
    std::shared_ptr<CacheSlot>& slot = cache()[key];
    if (!slot) slot = std::make_shared<CacheSlot>();
    return slot;
}

}  // namespace

std::shared_ptr<const LabelledSet> loadDatasetShared(DatasetKind kind, Split split, const DataLocations& where)
{
    IdxSource idx;
    std::string folder;
    switch (kind) {
        case DatasetKind::Mnist:
            idx = mnistSource(where);
            folder = idx.folder;
            break;
        case DatasetKind::FashionMnist:
            idx = fashionSource(where);
            folder = idx.folder;
            break;
        case DatasetKind::Cifar10:
            folder = where.cifarDir;
            break;
    }

    const std::shared_ptr<CacheSlot> slot = slotFor(CacheKey{kind, split, folder});
    std::lock_guard<std::mutex> lock(slot->mutex);
    if (!slot->set) {
        LabelledSet set = kind == DatasetKind::Cifar10 ? loadCifar(where, split) : loadIdxSplit(idx, split);
        if (set.images.empty())
            throw DataError(std::string(datasetDisplayName(kind)) + " " + splitName(split) + " split (" + set.source + ") holds no images");
        slot->set = std::make_shared<const LabelledSet>(std::move(set));
    }
    return slot->set;
}

LabelledSet loadDataset(DatasetKind kind, Split split, const DataLocations& where) { return *loadDatasetShared(kind, split, where); }

void clearDatasetCache()
{
    std::lock_guard<std::mutex> lock(cacheMutex);
    cache().clear();
}

const char* datasetName(DatasetKind kind)
{
    switch (kind) {
        case DatasetKind::Mnist:
            return "mnist";
        case DatasetKind::FashionMnist:
            return "fashion_mnist";
        case DatasetKind::Cifar10:
            return "cifar10";
    }
    return "unknown";
}

DatasetKind datasetFromName(const std::string& name)
{
    for (DatasetKind kind : {DatasetKind::Mnist, DatasetKind::FashionMnist, DatasetKind::Cifar10})
        if (name == datasetName(kind)) return kind;
    throw ConfigError("unknown data set \"" + name + "\"; accepted names: mnist, fashion_mnist, cifar10");
}

const char* datasetDisplayName(DatasetKind kind)
{
    switch (kind) {
        case DatasetKind::Mnist:
            return "MNIST";
        case DatasetKind::FashionMnist:
            return "Fashion-MNIST";
        case DatasetKind::Cifar10:
            return "CIFAR-10";
    }
    return "unknown";
}

const char* splitName(Split split) { return split == Split::Train ? "train" : "test"; }

}  // namespace il
