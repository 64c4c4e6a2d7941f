#pragma once
// NumPy's .npy format (version 1.0) for float32 arrays, so that probe images, outputs and
// activation maps reach numpy.load() without any library of ours. Little-endian '<f4', C order,
// the header padded with spaces so that the data starts at a multiple of 64 bytes, as
// numpy.lib.format writes it. Standard library only.

#include <cstddef>
#include <string>
#include <vector>

namespace il::npy {

struct Float32Array {
    std::vector<std::size_t> shape;  // outermost first; empty for a scalar
    std::vector<float> values;       // C order; size is the product of shape
};

// The complete file's bytes. Throws il::Error when values.size() does not match the shape.
std::string encode(const Float32Array& array);

// Parses what encode() writes (and any version 1.0 '<f4' C-order file). Throws il::DataError
// naming what is wrong: not .npy, another dtype or version, a truncated payload.
Float32Array decode(const std::string& bytes);

// encode() written atomically to `path`. Throws il::Error naming the file.
void writeFile(const std::string& path, const Float32Array& array);

}  // namespace il::npy
