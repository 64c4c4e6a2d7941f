#pragma once
// Files for the bad-input tests (tests/cli/tst_cli_errors.cpp, tests/ui/tst_bad_inputs.cpp):
// a small but complete MNIST in the four standard IDX files, gzip members, and PNG files whose
// header announces any size. Qt only (the CLI tests link no engine).

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QString>

#include <cstdlib>

namespace il::test {

inline void appendBigEndian32(QByteArray& bytes, quint32 v)
{
    for (int shift : {24, 16, 8, 0}) bytes.append(static_cast<char>((v >> shift) & 0xff));
}

// `count` 28x28 images: a vertical bar whose place depends on the image.
inline QByteArray idxImages(int count)
{
    QByteArray b;
    appendBigEndian32(b, 0x803);
    appendBigEndian32(b, quint32(count));
    appendBigEndian32(b, 28);
    appendBigEndian32(b, 28);
    for (int i = 0; i < count; ++i)
        for (int p = 0; p < 28 * 28; ++p) {
            const int y = p / 28, x = p % 28;
            b.append(static_cast<char>(std::abs(x - 8 - i % 12) < 2 && y > 4 && y < 24 ? 255 : 0));
        }
    return b;
}

// Labels 0, 1, ..., 9, 0, 1, ...: every digit, the training class 7 included.
inline QByteArray idxLabels(int count)
{
    QByteArray b;
    appendBigEndian32(b, 0x801);
    appendBigEndian32(b, quint32(count));
    for (int i = 0; i < count; ++i) b.append(static_cast<char>(i % 10));
    return b;
}

inline bool writeFile(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

// The four standard files, raw, 40 images per split.
inline bool writeMiniMnist(const QString& folder)
{
    return QDir().mkpath(folder) && writeFile(folder + QStringLiteral("/train-images-idx3-ubyte"), idxImages(40)) &&
           writeFile(folder + QStringLiteral("/train-labels-idx1-ubyte"), idxLabels(40)) &&
           writeFile(folder + QStringLiteral("/t10k-images-idx3-ubyte"), idxImages(40)) &&
           writeFile(folder + QStringLiteral("/t10k-labels-idx1-ubyte"), idxLabels(40));
}

inline quint32 crc32(const QByteArray& data)
{
    quint32 crc = 0xffffffffu;
    for (char c : data) {
        crc ^= static_cast<unsigned char>(c);
        for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

// A gzip member around Qt's deflate stream (qCompress: 4-byte size, zlib header, deflate,
// Adler-32), with a correct CRC and size, so gunzip accepts it whole.
inline QByteArray gzipOf(const QByteArray& data)
{
    const QByteArray zlib = qCompress(data, 9);
    QByteArray gz("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
    gz += zlib.mid(6, zlib.size() - 10);
    const quint32 crc = crc32(data);
    for (int shift : {0, 8, 16, 24}) gz.append(static_cast<char>((crc >> shift) & 0xff));
    for (int shift : {0, 8, 16, 24}) gz.append(static_cast<char>((quint32(data.size()) >> shift) & 0xff));
    return gz;
}

inline void appendPngChunk(QByteArray& png, const char* type, const QByteArray& data)
{
    appendBigEndian32(png, quint32(data.size()));
    const QByteArray typed = QByteArray(type, 4) + data;
    png += typed;
    appendBigEndian32(png, crc32(typed));
}

// A valid PNG header announcing `width` x `height` grey pixels, followed by a few rows of
// data: a decompression bomb in miniature (a reader that trusts the header allocates
// width * height * 4 bytes before it finds out).
inline QByteArray pngClaiming(quint32 width, quint32 height)
{
    QByteArray png("\x89PNG\r\n\x1a\n", 8);
    QByteArray header;
    appendBigEndian32(header, width);
    appendBigEndian32(header, height);
    header += QByteArray("\x08\x00\x00\x00\x00", 5);  // 8-bit grey, deflate, no filter, no interlace
    appendPngChunk(png, "IHDR", header);
    appendPngChunk(png, "IDAT", qCompress(QByteArray(4096, '\0')).mid(4));
    appendPngChunk(png, "IEND", QByteArray());
    return png;
}

}  // namespace il::test
