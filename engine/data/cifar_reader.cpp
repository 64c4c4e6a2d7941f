#include "engine/data/cifar_reader.h"

#include "engine/core/errors.h"
#include "engine/data/file_bytes.h"

#include <filesystem>

namespace il {
namespace {

namespace fs = std::filesystem;

constexpr int kCifarClasses = 10;
constexpr const char* kCifarArchiveFolder = "cifar-10-batches-bin";
constexpr const char* kCifarMetaFile = "batches.meta.txt";

std::vector<std::string> batchFileNames(Split split)
{
    if (split == Split::Test) return {"test_batch.bin"};
    return {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"};
}

std::string joinNames(const std::vector<std::string>& names)
{
    std::string joined;
    for (const std::string& name : names) joined += (joined.empty() ? "" : ", ") + name;
    return joined;
}

bool isFile(const fs::path& path)
{
    std::error_code ec;
    return fs::is_regular_file(path, ec);
}

// The folder holding the batches: `dir` itself, or the folder the official archive unpacks to.
// Picks the first candidate holding any expected file, so a partial copy is reported as such.
fs::path locateBatchFolder(const std::string& dir, const std::vector<std::string>& expected)
{
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw DataError("CIFAR-10 folder " + dir + " does not exist or is not a folder; expected it to hold " + joinNames(expected) +
                        " (the \"CIFAR-10 binary version\" from "
                        "https://www.cs.toronto.edu/~kriz/cifar.html), directly or in " +
                        kCifarArchiveFolder + "/");
    const fs::path candidates[] = {fs::path(dir), fs::path(dir) / kCifarArchiveFolder};
    for (const fs::path& candidate : candidates)
        for (const std::string& name : expected)
            if (isFile(candidate / name)) return candidate;
    throw DataError("no CIFAR-10 binary batches in " + dir + " or " + (fs::path(dir) / kCifarArchiveFolder).string() + ": expected " +
                    joinNames(expected) + " (the \"CIFAR-10 binary version\" from https://www.cs.toronto.edu/~kriz/cifar.html)");
}

// batches.meta.txt: one class name per line in label order, then blank lines.
std::vector<std::string> readClassNames(const fs::path& folder)
{
    const fs::path metaPath = folder / kCifarMetaFile;
    if (!isFile(metaPath)) return cifar10DefaultClassNames();
    const std::vector<unsigned char> bytes = readFileMaybeGzip(metaPath.string(), std::size_t(1) << 20);
    std::vector<std::string> names;
    std::string line;
    auto finishLine = [&] {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
        if (!line.empty()) names.push_back(line);
        line.clear();
    };
    for (unsigned char byte : bytes) {
        if (byte == '\n')
            finishLine();
        else
            line.push_back(static_cast<char>(byte));
    }
    finishLine();
    if (names.size() != kCifarClasses)
        throw DataError(metaPath.string() + ": expected " + std::to_string(kCifarClasses) + " class names, one per line, found " +
                        std::to_string(names.size()) + "; delete the file to use the standard CIFAR-10 names");
    return names;
}

}  // namespace

std::vector<std::string> cifar10DefaultClassNames()
{
    return {"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"};
}

LabelledSet parseCifar10Batch(const std::vector<unsigned char>& bytes, const std::string& name)
{
    if (bytes.empty()) throw DataError(name + ": file is empty (0 bytes), expected a CIFAR-10 binary batch");
    if (bytes.size() % kCifarRecordBytes != 0)
        throw DataError(name + ": wrong size for a CIFAR-10 binary batch: " + std::to_string(bytes.size()) +
                        " bytes is not a multiple of " + std::to_string(kCifarRecordBytes) +
                        " (1 label byte + 3072 pixel bytes per image); " + std::to_string(bytes.size() / kCifarRecordBytes) +
                        " whole records and " + std::to_string(bytes.size() % kCifarRecordBytes) +
                        " stray bytes. Is this the binary (not the Python or MATLAB) version?");

    const std::size_t count = bytes.size() / kCifarRecordBytes;
    LabelledSet set;
    set.classNames = cifar10DefaultClassNames();
    set.source = name;
    set.images.reserve(count);
    set.labels.reserve(count);
    const int side = static_cast<int>(kCifarSide);
    for (std::size_t i = 0; i < count; ++i) {
        const unsigned char* record = bytes.data() + i * kCifarRecordBytes;
        const int label = record[0];
        if (label >= kCifarClasses)
            throw DataError(name + ": record " + std::to_string(i) + " has label " + std::to_string(label) +
                            "; CIFAR-10 labels are 0..9 (is this a CIFAR-100 file?)");
        Image image(3, side, side);
        for (std::size_t p = 0; p < kCifarPixelBytes; ++p) image.pixels[p] = static_cast<float>(record[1 + p]) / 255.0f;
        set.images.push_back(std::move(image));
        set.labels.push_back(label);
    }
    return set;
}

LabelledSet readCifar10Batch(const std::string& path)
{
    bool wasGzipped = false;
    const std::vector<unsigned char> bytes = readFileMaybeGzip(path, kMaxDataFileBytes, &wasGzipped);
    return parseCifar10Batch(bytes, describeDataFile(path, wasGzipped));
}

LabelledSet readCifar10Folder(const std::string& dir, Split split)
{
    const std::vector<std::string> expected = batchFileNames(split);
    const fs::path folder = locateBatchFolder(dir, expected);

    std::vector<std::string> missing;
    for (const std::string& name : expected)
        if (!isFile(folder / name)) missing.push_back(name);
    if (!missing.empty())
        throw DataError("CIFAR-10 folder " + folder.string() + " is incomplete: missing " + joinNames(missing) + " (expected " +
                        joinNames(expected) + ")");

    LabelledSet combined;
    combined.classNames = readClassNames(folder);
    for (const std::string& name : expected) {
        const std::string path = (folder / name).string();
        LabelledSet batch = readCifar10Batch(path);
        combined.images.insert(combined.images.end(), std::make_move_iterator(batch.images.begin()),
                               std::make_move_iterator(batch.images.end()));
        combined.labels.insert(combined.labels.end(), batch.labels.begin(), batch.labels.end());
        combined.source += (combined.source.empty() ? "" : "; ") + path;
    }
    return combined;
}

}  // namespace il
