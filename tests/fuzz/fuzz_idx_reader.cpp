// libFuzzer target: the IDX reader of MNIST and Fashion-MNIST (engine/data/idx_reader.h), with
// the transparent gunzip in front of it (engine/data/file_bytes.h), as readIdxImages and
// readIdxLabels use them. Every input is tried both as an image file and as a label file.
//   fuzz_idx_reader tests/fuzz/corpus/idx_reader -max_total_time=600

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/data/file_bytes.h"
#include "engine/data/idx_reader.h"
#include "fuzz_common.h"

using namespace il;
using il::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string name = "fuzz.idx";
    std::vector<unsigned char> bytes(data, data + size);
    if (hasGzipMagic(bytes)) {
        try {
            bytes = gunzipBytes(bytes, name, fuzz::kFuzzMaxBytes);
            require(bytes.size() <= fuzz::kFuzzMaxBytes, "gunzip exceeded its cap");
        } catch (const DataError& e) {
            fuzz::checkMessage(e, name);
            return 0;
        }
    }

    try {
        const std::vector<Image> images = parseIdxImages(bytes, name, 64);
        require(images.size() <= 64, "more images than asked for");
        for (const Image& image : images) {
            require(image.channels == 1 && image.height >= 1 && image.width >= 1 && image.height <= int(kIdxMaxSide) &&
                        image.width <= int(kIdxMaxSide),
                    "implausible image shape");
            require(image.pixels.size() == std::size_t(image.height) * std::size_t(image.width), "pixel count");
            for (float p : image.pixels) require(p >= 0.0f && p <= 1.0f, "pixel outside [0, 1]");
        }
        // Accepted means the file is exactly header + payload.
        if (!images.empty()) require(bytes.size() >= 16 + images.size() * images.front().pixels.size(), "accepted a short file");
    } catch (const DataError& e) {
        fuzz::checkMessage(e, name);
    }

    try {
        const std::vector<int> labels = parseIdxLabels(bytes, name);
        require(bytes.size() == 8 + labels.size(), "label count does not match the file size");
        for (int label : labels) require(label >= 0 && label <= 255, "label outside a byte");
    } catch (const DataError& e) {
        fuzz::checkMessage(e, name);
    }
    return 0;
}
