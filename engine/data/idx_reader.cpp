#include "engine/data/idx_reader.h"

#include "engine/core/errors.h"
#include "engine/data/file_bytes.h"

#include <algorithm>
#include <cstdio>
#include <limits>

namespace il {
namespace {

std::uint32_t readBigEndian32(const std::vector<unsigned char>& bytes, std::size_t offset)
{
    return (std::uint32_t(bytes[offset]) << 24) | (std::uint32_t(bytes[offset + 1]) << 16) | (std::uint32_t(bytes[offset + 2]) << 8) |
           std::uint32_t(bytes[offset + 3]);
}

std::string hex32(std::uint32_t value)
{
    char text[16];
    std::snprintf(text, sizeof text, "0x%08X", static_cast<unsigned>(value));
    return text;
}

// A few words on what a found magic number most likely means, to turn "wrong magic" into a fix.
std::string guessWhatItIs(std::uint32_t magic)
{
    if (magic == kIdxImagesMagic) return " (that is an IDX image file)";
    if (magic == kIdxLabelsMagic) return " (that is an IDX label file)";
    if ((magic >> 16) == 0x1f8b) return " (gzip data inside gzip data: the file was compressed twice)";
    if ((magic >> 16) == 0x0000 && ((magic >> 8) & 0xff) >= 0x08) return " (an IDX file of another element type or rank)";
    return " (not an IDX file)";
}

// Checks the parts every IDX file shares: not empty, long enough for its header, right magic.
void checkHeader(const std::vector<unsigned char>& bytes, const std::string& name, std::uint32_t expectedMagic, const char* what,
                 std::size_t headerSize)
{
    if (bytes.empty()) throw DataError(name + ": file is empty (0 bytes), expected an IDX " + what + " file");
    if (bytes.size() < 4)
        throw DataError(name + ": too short for an IDX header (" + std::to_string(bytes.size()) + " bytes, need " +
                        std::to_string(headerSize) + ")");
    const std::uint32_t magic = readBigEndian32(bytes, 0);
    if (magic != expectedMagic)
        throw DataError(name + ": wrong magic number: expected " + hex32(expectedMagic) + " (IDX " + what + "), found " + hex32(magic) +
                        guessWhatItIs(magic));
    if (bytes.size() < headerSize)
        throw DataError(name + ": truncated IDX header (" + std::to_string(bytes.size()) + " bytes, need " + std::to_string(headerSize) +
                        ")");
}

// Header size plus payload must equal the file size exactly: a shorter file is truncated, a
// longer one is not the file the header describes (two files concatenated, a wrong header).
void checkPayloadSize(const std::vector<unsigned char>& bytes, const std::string& name, std::size_t headerSize, std::size_t payload,
                      const std::string& announced)
{
    const std::size_t available = bytes.size() - headerSize;
    if (available < payload)
        throw DataError(name + ": truncated: the header says " + announced + " (" + std::to_string(payload) +
                        " bytes after the header) but only " + std::to_string(available) + " bytes follow");
    if (available > payload)
        throw DataError(name + ": wrong size: the header says " + announced + " (" + std::to_string(payload) +
                        " bytes after the header) but " + std::to_string(available) +
                        " bytes follow; the file is damaged or its header is wrong");
}

}  // namespace

std::vector<Image> parseIdxImages(const std::vector<unsigned char>& bytes, const std::string& name, std::size_t maxCount)
{
    constexpr std::size_t kHeader = 16;
    checkHeader(bytes, name, kIdxImagesMagic, "images", kHeader);
    const std::uint32_t count = readBigEndian32(bytes, 4);
    const std::uint32_t rows = readBigEndian32(bytes, 8);
    const std::uint32_t cols = readBigEndian32(bytes, 12);
    if (rows == 0 || cols == 0 || rows > kIdxMaxSide || cols > kIdxMaxSide)
        throw DataError(name + ": implausible image size " + std::to_string(rows) + "x" + std::to_string(cols) +
                        " in the header (each side must be 1.." + std::to_string(kIdxMaxSide) + "); the header is corrupt");

    const std::size_t pixelsPerImage = std::size_t(rows) * cols;  // <= 2^24, no overflow
    if (count > std::numeric_limits<std::size_t>::max() / pixelsPerImage)
        throw DataError(name + ": the header announces " + std::to_string(count) + " images of " + std::to_string(rows) + "x" +
                        std::to_string(cols) + ", more bytes than this machine can address; the header is corrupt");
    const std::string announced = std::to_string(count) + " images of " + std::to_string(rows) + "x" + std::to_string(cols);
    checkPayloadSize(bytes, name, kHeader, std::size_t(count) * pixelsPerImage, announced);

    const std::size_t kept = std::min<std::size_t>(count, maxCount);
    std::vector<Image> images;
    images.reserve(kept);
    const unsigned char* source = bytes.data() + kHeader;
    for (std::size_t i = 0; i < kept; ++i) {
        Image image(1, static_cast<int>(rows), static_cast<int>(cols));
        for (std::size_t p = 0; p < pixelsPerImage; ++p) image.pixels[p] = static_cast<float>(source[p]) / 255.0f;
        source += pixelsPerImage;
        images.push_back(std::move(image));
    }
    return images;
}

std::vector<int> parseIdxLabels(const std::vector<unsigned char>& bytes, const std::string& name, std::size_t maxCount)
{
    constexpr std::size_t kHeader = 8;
    checkHeader(bytes, name, kIdxLabelsMagic, "labels", kHeader);
    const std::uint32_t count = readBigEndian32(bytes, 4);
    checkPayloadSize(bytes, name, kHeader, count, std::to_string(count) + " labels");

    const std::size_t kept = std::min<std::size_t>(count, maxCount);
    return std::vector<int>(bytes.begin() + kHeader, bytes.begin() + kHeader + static_cast<std::ptrdiff_t>(kept));
}

std::vector<Image> readIdxImages(const std::string& path, std::size_t maxCount)
{
    bool wasGzipped = false;
    const std::vector<unsigned char> bytes = readFileMaybeGzip(path, kMaxDataFileBytes, &wasGzipped);
    return parseIdxImages(bytes, describeDataFile(path, wasGzipped), maxCount);
}

std::vector<int> readIdxLabels(const std::string& path, std::size_t maxCount)
{
    bool wasGzipped = false;
    const std::vector<unsigned char> bytes = readFileMaybeGzip(path, kMaxDataFileBytes, &wasGzipped);
    return parseIdxLabels(bytes, describeDataFile(path, wasGzipped), maxCount);
}

}  // namespace il
