#pragma once
// SHA-256 (FIPS 180-4), so that a run's provenance can name the exact data files it read.
// Self-contained: the engine links no crypto library.

#include <cstddef>
#include <cstdint>
#include <string>

namespace il {

class Sha256 {
public:
    Sha256();
    void update(const void* data, std::size_t size);
    // The digest as 64 lower-case hex digits. Call once; the object is spent afterwards.
    std::string hexDigest();

private:
    void compress(const unsigned char* block);

    std::uint32_t state_[8];
    unsigned char buffer_[64];
    std::size_t buffered_ = 0;
    std::uint64_t length_ = 0;  // bytes hashed so far
};

std::string sha256Hex(const std::string& bytes);
// Streams the file. Throws il::DataError naming the file when it cannot be read.
std::string sha256OfFile(const std::string& path);

}  // namespace il
