// libFuzzer target: the CIFAR-10 binary batch reader (engine/data/cifar_reader.h), with the
// transparent gunzip in front of it, as readCifar10Batch uses them.
//   fuzz_cifar_reader tests/fuzz/corpus/cifar_reader -max_total_time=600

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/data/cifar_reader.h"
#include "engine/data/file_bytes.h"
#include "fuzz_common.h"

using namespace il;
using il::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string name = "fuzz_batch.bin";
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
        const LabelledSet set = parseCifar10Batch(bytes, name);
        require(!set.images.empty(), "accepted an empty batch");
        require(set.images.size() == set.labels.size(), "images and labels differ in number");
        require(set.images.size() * kCifarRecordBytes == bytes.size(), "accepted a partial record");
        require(set.classNames.size() == 10, "class names");
        for (std::size_t i = 0; i < set.images.size(); ++i) {
            const Image& image = set.images[i];
            require(image.channels == 3 && image.height == 32 && image.width == 32 && image.pixels.size() == kCifarPixelBytes,
                    "image shape");
            require(set.labels[i] >= 0 && set.labels[i] < 10, "label outside 0..9");
            for (float p : image.pixels) require(p >= 0.0f && p <= 1.0f, "pixel outside [0, 1]");
        }
    } catch (const DataError& e) {
        fuzz::checkMessage(e, name);
    }
    return 0;
}
