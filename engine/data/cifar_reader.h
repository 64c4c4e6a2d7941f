#pragma once
// Reader for the CIFAR-10 binary version (https://www.cs.toronto.edu/~kriz/cifar.html):
// each record is 1 label byte (0..9) followed by 3072 pixel bytes, the red, green and blue
// 32x32 planes in turn, rows top to bottom. That is exactly our CHW layout.

#include "engine/data/labelled_set.h"

#include <cstddef>
#include <string>
#include <vector>

namespace il {

constexpr std::size_t kCifarSide = 32;
constexpr std::size_t kCifarPixelBytes = 3 * kCifarSide * kCifarSide;  // 3072
constexpr std::size_t kCifarRecordBytes = 1 + kCifarPixelBytes;        // 3073

// The class names CIFAR-10 ships in batches.meta.txt, in label order.
std::vector<std::string> cifar10DefaultClassNames();

// One batch in memory (for fuzzing) or on disk (raw or gzip). Images are 3x32x32 in [0, 1];
// classNames are the defaults. Throws DataError on an empty batch, a size that is not a
// multiple of 3073 bytes, or a label outside 0..9.
LabelledSet parseCifar10Batch(const std::vector<unsigned char>& bytes, const std::string& nameForMessages);
LabelledSet readCifar10Batch(const std::string& path);

// The train split (data_batch_1.bin .. data_batch_5.bin) or the test split (test_batch.bin)
// from `dir`, or from `dir`/cifar-10-batches-bin as the official archive unpacks. Class names
// come from batches.meta.txt when present. Throws DataError listing the expected files when
// they are missing.
LabelledSet readCifar10Folder(const std::string& dir, Split split);

}  // namespace il
