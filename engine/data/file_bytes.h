#pragma once
// Reading a data file into memory, transparently gunzipping it. Whether a file is compressed is
// decided by its first two bytes (0x1f 0x8b), never by its name: people rename files, and
// browsers sometimes decompress downloads while keeping the .gz suffix.

#include <cstddef>
#include <string>
#include <vector>

namespace il {

// Upper bound on what one data file may occupy in memory, compressed or decompressed. The
// largest file we read (CIFAR-10 train batch, Fashion-MNIST train images) is ~47 MB; 1 GiB
// leaves room for larger IDX sets while refusing gzip bombs before they exhaust memory.
constexpr std::size_t kMaxDataFileBytes = std::size_t(1) << 30;

// True when the bytes start with the gzip magic 0x1f 0x8b.
bool hasGzipMagic(const std::vector<unsigned char>& bytes);

// Decompresses a gzip stream held in memory (one or more concatenated members, as gzip(1)
// allows). Throws DataError naming `nameForMessages` when the stream is corrupt, truncated, is
// followed by non-gzip data, or would decompress to more than `maxBytes`.
std::vector<unsigned char> gunzipBytes(const std::vector<unsigned char>& compressed, const std::string& nameForMessages,
                                       std::size_t maxBytes = kMaxDataFileBytes);

// Reads the whole file; when it is gzip-compressed, returns the decompressed bytes instead.
// Throws DataError when the file is missing, is not a regular file, cannot be read, or is
// larger than `maxBytes` (before or after decompression). An empty file yields an empty vector;
// the format parsers report that as "empty" with their own context.
// `wasGzipped`, when given, tells the caller which case applied (used to word error messages).
std::vector<unsigned char> readFileMaybeGzip(const std::string& path, std::size_t maxBytes = kMaxDataFileBytes, bool* wasGzipped = nullptr);

// The name to use in messages about data read from `path`: the path itself, plus a hint when
// the name promises gzip but the content is not (the usual cause of a "wrong magic" error).
std::string describeDataFile(const std::string& path, bool wasGzipped);

}  // namespace il
