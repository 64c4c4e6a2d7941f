#include "engine/data/file_bytes.h"

#include "engine/core/errors.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>

namespace il {
namespace {

namespace fs = std::filesystem;

std::string mebibytes(std::size_t bytes) { return std::to_string(bytes / (std::size_t(1) << 20)) + " MiB"; }

// Ends a zlib stream however the decompression loop is left, including by an exception.
class InflateStream {
public:
    InflateStream()
    {
        // 16 + MAX_WBITS: accept a gzip wrapper only (a bare zlib stream is not a .gz file).
        if (inflateInit2(&stream_, 16 + MAX_WBITS) != Z_OK) throw DataError("zlib could not be initialised (out of memory?)");
    }
    ~InflateStream() { inflateEnd(&stream_); }
    InflateStream(const InflateStream&) = delete;
    InflateStream& operator=(const InflateStream&) = delete;
    z_stream* get() { return &stream_; }

private:
    z_stream stream_{};
};

// A gzip trailer ends with the uncompressed size modulo 2^32. Only a hint, used to reserve
// memory once instead of growing the vector; bounded so a forged trailer cannot make us
// allocate more than deflate's best ratio (~1032:1) or the caller's limit allow.
std::size_t plausibleDecompressedSize(const std::vector<unsigned char>& compressed, std::size_t maxBytes)
{
    if (compressed.size() < 18) return 0;
    const std::size_t n = compressed.size();
    const std::uint32_t isize = std::uint32_t(compressed[n - 4]) | (std::uint32_t(compressed[n - 3]) << 8) |
                                (std::uint32_t(compressed[n - 2]) << 16) | (std::uint32_t(compressed[n - 1]) << 24);
    const std::size_t ratioBound = compressed.size() > std::numeric_limits<std::size_t>::max() / 1032 ? maxBytes : compressed.size() * 1032;
    return std::min({static_cast<std::size_t>(isize), ratioBound, maxBytes});
}

bool allZero(const unsigned char* begin, const unsigned char* end)
{
    return std::all_of(begin, end, [](unsigned char b) { return b == 0; });
}

}  // namespace

bool hasGzipMagic(const std::vector<unsigned char>& bytes) { return bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b; }

std::vector<unsigned char> gunzipBytes(const std::vector<unsigned char>& compressed, const std::string& nameForMessages,
                                       std::size_t maxBytes)
{
    if (!hasGzipMagic(compressed)) throw DataError(nameForMessages + ": not gzip data (the first two bytes are not 0x1f 0x8b)");

    std::vector<unsigned char> out;
    out.reserve(plausibleDecompressedSize(compressed, maxBytes));

    InflateStream inflater;
    z_stream* zs = inflater.get();
    const unsigned char* input = compressed.data();
    std::size_t inputLeft = compressed.size();
    constexpr std::size_t kChunk = std::size_t(1) << 18;
    // avail_in/avail_out are 32-bit; feed at most this much per call so huge buffers stay safe.
    constexpr std::size_t kMaxFeed = std::size_t(1) << 30;
    std::vector<unsigned char> chunk(kChunk);  // on the heap: worker threads may have small stacks
    unsigned char* const buffer = chunk.data();
    const unsigned char* const inputEnd = compressed.data() + compressed.size();

    for (;;) {
        if (zs->avail_in == 0 && inputLeft > 0) {
            const std::size_t feed = std::min(inputLeft, kMaxFeed);
            zs->next_in = const_cast<Bytef*>(input);  // zlib's API is not const-correct; it does not write
            zs->avail_in = static_cast<uInt>(feed);
            input += feed;
            inputLeft -= feed;
        }
        zs->next_out = buffer;
        zs->avail_out = static_cast<uInt>(kChunk);
        const int rc = inflate(zs, Z_NO_FLUSH);
        const std::size_t produced = kChunk - zs->avail_out;
        if (produced > maxBytes - out.size())
            throw DataError(nameForMessages + ": decompresses to more than " + mebibytes(maxBytes) +
                            "; refusing it (a data file this large is more likely a corrupt file or a gzip bomb)");
        out.insert(out.end(), buffer, buffer + produced);

        if (rc == Z_STREAM_END) {
            // gzip(1) allows several members back to back; anything else after the stream
            // (apart from zero padding some tools add) means the file is damaged.
            // The fed region and the unfed rest are contiguous, so the leftover runs to the end.
            const unsigned char* rest = zs->next_in;
            const std::size_t restSize = static_cast<std::size_t>(inputEnd - rest);
            if (restSize == 0) break;
            if (restSize >= 2 && rest[0] == 0x1f && rest[1] == 0x8b) {
                inflateReset(zs);
                continue;
            }
            if (allZero(rest, inputEnd)) break;
            throw DataError(nameForMessages + ": corrupt gzip file: " + std::to_string(restSize) +
                            " bytes of unexpected data follow the end of the gzip stream");
        }
        if (rc == Z_NEED_DICT || rc == Z_DATA_ERROR || rc == Z_STREAM_ERROR) {
            const std::string detail = zs->msg ? zs->msg : "invalid deflate data";
            throw DataError(nameForMessages + ": corrupt gzip stream (" + detail + ")");
        }
        if (rc == Z_MEM_ERROR) throw DataError(nameForMessages + ": out of memory while decompressing");
        // Z_BUF_ERROR or Z_OK with nothing left to feed and no progress: the input ended early.
        if (zs->avail_in == 0 && inputLeft == 0 && produced == 0)
            throw DataError(nameForMessages +
                            ": corrupt gzip stream (truncated: the file ends before the "
                            "end of the compressed data; was the download interrupted?)");
    }
    return out;
}

std::vector<unsigned char> readFileMaybeGzip(const std::string& path, std::size_t maxBytes, bool* wasGzipped)
{
    if (wasGzipped) *wasGzipped = false;
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (!fs::exists(status)) throw DataError(path + ": file not found");
    if (fs::is_directory(status)) throw DataError(path + ": is a folder, expected a data file");
    if (!fs::is_regular_file(status)) throw DataError(path + ": is not a regular file");

    std::ifstream file(path, std::ios::binary);
    if (!file) throw DataError(path + ": cannot be opened for reading (check its permissions)");

    // Read in chunks up to the limit rather than trusting file_size(): the file may change
    // underneath us, and this way the cap holds whatever happens.
    std::vector<unsigned char> bytes;
    const std::uintmax_t announced = fs::file_size(path, ec);
    if (!ec) {
        if (announced > maxBytes) throw DataError(path + ": is larger than " + mebibytes(maxBytes) + "; refusing to load it");
        bytes.reserve(static_cast<std::size_t>(announced));
    }
    constexpr std::size_t kChunk = std::size_t(1) << 20;
    std::vector<char> chunk(kChunk);
    while (file) {
        file.read(chunk.data(), static_cast<std::streamsize>(kChunk));
        const std::size_t got = static_cast<std::size_t>(file.gcount());
        if (got > maxBytes - bytes.size()) throw DataError(path + ": is larger than " + mebibytes(maxBytes) + "; refusing to load it");
        bytes.insert(bytes.end(), chunk.data(), chunk.data() + got);
    }
    if (file.bad()) throw DataError(path + ": read error");

    if (!hasGzipMagic(bytes)) return bytes;
    if (wasGzipped) *wasGzipped = true;
    return gunzipBytes(bytes, path, maxBytes);
}

std::string describeDataFile(const std::string& path, bool wasGzipped)
{
    const bool namedGz = path.size() >= 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
    if (namedGz && !wasGzipped) return path + " (not gzip data although the name ends in .gz; read as an uncompressed file)";
    return path;
}

}  // namespace il
