#pragma once
// Reader for the IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/):
// a big-endian header (magic, then one 32-bit size per dimension) followed by unsigned bytes.
// Files may be raw or gzip-compressed; see file_bytes.h. Every malformed input throws
// il::DataError naming the file and the problem. The parse* functions work on memory so that
// a fuzzer can drive them directly; they never read outside `bytes`.

#include "engine/core/image.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace il {

constexpr std::uint32_t kIdxImagesMagic = 0x00000803;  // unsigned byte, 3 dimensions (count, rows, cols)
constexpr std::uint32_t kIdxLabelsMagic = 0x00000801;  // unsigned byte, 1 dimension (count)
constexpr std::uint32_t kIdxMaxSide = 4096;            // larger rows/cols are taken as a corrupt header

// Images as Image{channels=1, height=rows, width=cols}, pixels byte/255 in [0, 1].
// Reads at most `maxCount` images; the whole file is still validated.
std::vector<Image> parseIdxImages(const std::vector<unsigned char>& bytes, const std::string& nameForMessages,
                                  std::size_t maxCount = SIZE_MAX);
std::vector<Image> readIdxImages(const std::string& path, std::size_t maxCount = SIZE_MAX);

// Labels as stored, 0..255. The format does not restrict them; MNIST and Fashion-MNIST use
// 0..9, which loadDataset() checks against the data set's class names.
std::vector<int> parseIdxLabels(const std::vector<unsigned char>& bytes, const std::string& nameForMessages,
                                std::size_t maxCount = SIZE_MAX);
std::vector<int> readIdxLabels(const std::string& path, std::size_t maxCount = SIZE_MAX);

}  // namespace il
