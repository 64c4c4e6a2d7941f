#include "engine/io/npy.h"

#include <cstdint>
#include <cstring>
#include <functional>
#include <numeric>

#include "engine/core/errors.h"
#include "engine/io/json.h"

namespace il::npy {

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicSize = 6;
constexpr std::size_t kPreambleSize = kMagicSize + 2 + 2;  // magic, version, header length
constexpr std::size_t kAlignment = 64;

std::size_t elementCount(const std::vector<std::size_t>& shape)
{
    return std::accumulate(shape.begin(), shape.end(), std::size_t{1}, std::multiplies<>());
}

// Python's repr of a tuple: "()", "(3,)", "(2, 3)".
std::string shapeTuple(const std::vector<std::size_t>& shape)
{
    std::string out = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
    return out + (shape.size() == 1 ? ",)" : ")");
}

// Bytes are written explicitly in little-endian order so the file is the same on any host.
void appendFloat(std::string& out, float value)
{
    std::uint32_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    for (int b = 0; b < 4; ++b) out.push_back(static_cast<char>((bits >> (8 * b)) & 0xffu));
}

float readFloat(const unsigned char* p)
{
    const std::uint32_t bits = std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[3]} << 24;
    float value = 0.0f;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

std::vector<std::size_t> parseShape(const std::string& header)
{
    const auto key = header.find("'shape':");
    const auto open = header.find('(', key == std::string::npos ? 0 : key);
    const auto close = header.find(')', open == std::string::npos ? 0 : open);
    if (key == std::string::npos || open == std::string::npos || close == std::string::npos)
        throw DataError("not a .npy file: its header has no shape");
    std::vector<std::size_t> shape;
    std::size_t i = open + 1;
    while (i < close) {
        while (i < close && (header[i] == ' ' || header[i] == ',')) ++i;
        if (i >= close) break;
        std::size_t end = i;
        while (end < close && header[end] >= '0' && header[end] <= '9') ++end;
        if (end == i) throw DataError("not a .npy file: its shape is not a tuple of sizes");
        shape.push_back(static_cast<std::size_t>(std::stoull(header.substr(i, end - i))));
        i = end;
    }
    return shape;
}

}  // namespace

std::string encode(const Float32Array& array)
{
    if (elementCount(array.shape) != array.values.size())
        throw Error("npy: " + std::to_string(array.values.size()) + " values do not fill the shape " + shapeTuple(array.shape));
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shapeTuple(array.shape) + ", }";
    // Spaces, then the newline that ends the header, up to the next multiple of 64.
    const std::size_t total = (kPreambleSize + header.size() + 1 + kAlignment - 1) / kAlignment * kAlignment;
    header.append(total - kPreambleSize - header.size() - 1, ' ');
    header.push_back('\n');

    std::string out(kMagic, kMagicSize);
    out.push_back('\x01');  // version 1.0: the header length is two bytes
    out.push_back('\x00');
    out.push_back(static_cast<char>(header.size() & 0xffu));
    out.push_back(static_cast<char>((header.size() >> 8) & 0xffu));
    out += header;
    out.reserve(out.size() + 4 * array.values.size());
    for (float v : array.values) appendFloat(out, v);
    return out;
}

Float32Array decode(const std::string& bytes)
{
    if (bytes.size() < kPreambleSize || bytes.compare(0, kMagicSize, kMagic, kMagicSize) != 0)
        throw DataError("not a .npy file (its magic string is missing)");
    if (bytes[6] != '\x01' || bytes[7] != '\x00') throw DataError("a .npy file of a version other than 1.0");
    const auto* raw = reinterpret_cast<const unsigned char*>(bytes.data());
    const std::size_t headerSize = std::size_t{raw[8]} | std::size_t{raw[9]} << 8;
    if (bytes.size() < kPreambleSize + headerSize) throw DataError("a .npy file whose header is cut off");
    const std::string header = bytes.substr(kPreambleSize, headerSize);
    if (header.find("'descr': '<f4'") == std::string::npos) throw DataError("a .npy file that is not little-endian float32");
    if (header.find("'fortran_order': False") == std::string::npos) throw DataError("a .npy file in Fortran order");

    Float32Array array;
    array.shape = parseShape(header);
    const std::size_t count = elementCount(array.shape);
    const std::size_t offset = kPreambleSize + headerSize;
    if (bytes.size() - offset != 4 * count)
        throw DataError("a .npy file with " + std::to_string(bytes.size() - offset) + " data bytes where its shape needs " +
                        std::to_string(4 * count));
    array.values.resize(count);
    for (std::size_t i = 0; i < count; ++i) array.values[i] = readFloat(raw + offset + 4 * i);
    return array;
}

void writeFile(const std::string& path, const Float32Array& array) { json::writeFileAtomic(path, encode(array)); }

}  // namespace il::npy
