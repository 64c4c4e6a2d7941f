// IDX reader and gzip file reading: valid raw and gzip files, and every kind of broken file
// must give a DataError that names the file and the problem, never a crash or a huge allocation.

#include "engine/core/errors.h"
#include "engine/data/file_bytes.h"
#include "engine/data/idx_reader.h"

#include <QTemporaryDir>
#include <QtTest>

#include <zlib.h>

#include <cstdint>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <vector>

using Bytes = std::vector<unsigned char>;

namespace {

void appendBigEndian32(Bytes& bytes, std::uint32_t value)
{
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<unsigned char>(value >> shift));
}

// An IDX image file of `count` images whose pixel p of image i is (i * 7 + p) % 256.
Bytes idxImages(std::uint32_t count, std::uint32_t rows, std::uint32_t cols)
{
    Bytes bytes;
    appendBigEndian32(bytes, il::kIdxImagesMagic);
    appendBigEndian32(bytes, count);
    appendBigEndian32(bytes, rows);
    appendBigEndian32(bytes, cols);
    for (std::uint32_t i = 0; i < count; ++i)
        for (std::uint32_t p = 0; p < rows * cols; ++p) bytes.push_back(static_cast<unsigned char>((i * 7 + p) % 256));
    return bytes;
}

Bytes idxLabels(const std::vector<unsigned char>& labels)
{
    Bytes bytes;
    appendBigEndian32(bytes, il::kIdxLabelsMagic);
    appendBigEndian32(bytes, static_cast<std::uint32_t>(labels.size()));
    bytes.insert(bytes.end(), labels.begin(), labels.end());
    return bytes;
}

Bytes gzipped(const Bytes& raw)
{
    z_stream zs{};
    if (deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) qFatal("deflateInit2 failed");
    Bytes out(deflateBound(&zs, static_cast<uLong>(raw.size())) + 32);
    zs.next_in = const_cast<Bytef*>(raw.data());
    zs.avail_in = static_cast<uInt>(raw.size());
    zs.next_out = out.data();
    zs.avail_out = static_cast<uInt>(out.size());
    if (deflate(&zs, Z_FINISH) != Z_STREAM_END) qFatal("deflate failed");
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

void writeFile(const std::string& path, const Bytes& bytes)
{
    std::ofstream file(path, std::ios::binary);
    file.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// Runs `action`, which must throw il::DataError whose message contains every one of `parts`.
QString expectDataError(const std::function<void()>& action, const QStringList& parts)
{
    try {
        action();
    } catch (const il::DataError& error) {
        const QString message = QString::fromStdString(error.what());
        for (const QString& part : parts)
            if (!message.contains(part, Qt::CaseInsensitive)) return QStringLiteral("message lacks \"%1\": %2").arg(part, message);
        return {};
    } catch (const std::exception& other) {
        return QStringLiteral("threw something other than DataError: %1").arg(QString::fromUtf8(other.what()));
    }
    return QStringLiteral("did not throw");
}

#define EXPECT_DATA_ERROR(action, ...)                                                      \
    do {                                                                                    \
        const QString problem = expectDataError([&] { action; }, QStringList{__VA_ARGS__}); \
        QVERIFY2(problem.isEmpty(), qPrintable(problem));                                   \
    } while (false)

}  // namespace

class TestIdxReader : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    std::string path(const char* name) const { return dir_.filePath(QString::fromUtf8(name)).toStdString(); }

private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void readsRawImages()
    {
        writeFile(path("images"), idxImages(3, 2, 5));
        const std::vector<il::Image> images = il::readIdxImages(path("images"));
        QCOMPARE(images.size(), std::size_t(3));
        for (const il::Image& image : images) {
            QCOMPARE(image.channels, 1);
            QCOMPARE(image.height, 2);
            QCOMPARE(image.width, 5);
        }
        QCOMPARE(images[2].at(0, 1, 3), static_cast<float>((2 * 7 + 8) % 256) / 255.0f);
    }

    void pixelsAreScaledToUnitRange()
    {
        Bytes bytes = idxImages(1, 1, 2);
        bytes[16] = 0;
        bytes[17] = 255;
        const std::vector<il::Image> images = il::parseIdxImages(bytes, "memory");
        QCOMPARE(images[0].pixels[0], 0.0f);
        QCOMPARE(images[0].pixels[1], 1.0f);
    }

    void readsRawLabels()
    {
        writeFile(path("labels"), idxLabels({3, 1, 4, 1, 5, 9}));
        QCOMPARE(il::readIdxLabels(path("labels")), (std::vector<int>{3, 1, 4, 1, 5, 9}));
    }

    // The format allows any byte; range checks belong to the data set (loadDataset).
    void labelsAboveNineAreReturnedAsStored()
    {
        QCOMPARE(il::parseIdxLabels(idxLabels({200, 255, 0}), "memory"), (std::vector<int>{200, 255, 0}));
    }

    void readsGzipFilesByContentNotByName()
    {
        writeFile(path("images.gz"), gzipped(idxImages(4, 3, 3)));
        writeFile(path("images-gz-without-suffix"), gzipped(idxImages(4, 3, 3)));
        writeFile(path("labels.gz"), gzipped(idxLabels({0, 1, 2, 3})));
        const std::vector<il::Image> fromGz = il::readIdxImages(path("images.gz"));
        const std::vector<il::Image> fromUnsuffixed = il::readIdxImages(path("images-gz-without-suffix"));
        const std::vector<il::Image> fromRaw = il::parseIdxImages(idxImages(4, 3, 3), "memory");
        QCOMPARE(fromGz.size(), std::size_t(4));
        for (std::size_t i = 0; i < fromRaw.size(); ++i) {
            QCOMPARE(fromGz[i].pixels, fromRaw[i].pixels);
            QCOMPARE(fromUnsuffixed[i].pixels, fromRaw[i].pixels);
        }
        QCOMPARE(il::readIdxLabels(path("labels.gz")), (std::vector<int>{0, 1, 2, 3}));
    }

    void rawFileNamedGzIsReadAsRaw()
    {
        writeFile(path("really-raw.gz"), idxLabels({7, 7}));
        QCOMPARE(il::readIdxLabels(path("really-raw.gz")), (std::vector<int>{7, 7}));
    }

    void concatenatedGzipMembersAreOneStream()
    {
        const Bytes raw = idxLabels({1, 2, 3, 4, 5, 6});
        const Bytes first(raw.begin(), raw.begin() + 10);
        const Bytes second(raw.begin() + 10, raw.end());
        Bytes both = gzipped(first);
        const Bytes tail = gzipped(second);
        both.insert(both.end(), tail.begin(), tail.end());
        writeFile(path("two-members.gz"), both);
        QCOMPARE(il::readIdxLabels(path("two-members.gz")), (std::vector<int>{1, 2, 3, 4, 5, 6}));
    }

    void maxCountLimitsWhatIsReturned()
    {
        writeFile(path("ten"), idxImages(10, 2, 2));
        QCOMPARE(il::readIdxImages(path("ten"), 3).size(), std::size_t(3));
        QCOMPARE(il::readIdxImages(path("ten"), 100).size(), std::size_t(10));
        QCOMPARE(il::parseIdxLabels(idxLabels({1, 2, 3}), "memory", 2), (std::vector<int>{1, 2}));
    }

    void missingFile() { EXPECT_DATA_ERROR(il::readIdxImages(path("no-such-file")), "no-such-file", "not found"); }

    void folderInsteadOfFile() { EXPECT_DATA_ERROR(il::readIdxImages(dir_.path().toStdString()), "folder"); }

    void emptyFile()
    {
        writeFile(path("empty"), {});
        EXPECT_DATA_ERROR(il::readIdxImages(path("empty")), "empty", "empty");
        EXPECT_DATA_ERROR(il::readIdxLabels(path("empty")), "empty");
    }

    void wrongMagicSaysExpectedAndFound()
    {
        writeFile(path("labels-not-images"), idxLabels({1, 2}));
        EXPECT_DATA_ERROR(il::readIdxImages(path("labels-not-images")), "labels-not-images", "0x00000803", "0x00000801", "label file");
        EXPECT_DATA_ERROR(il::parseIdxLabels(idxImages(1, 2, 2), "imgs"), "0x00000801", "0x00000803");
        EXPECT_DATA_ERROR(il::parseIdxImages(Bytes{'P', 'K', 3, 4, 0, 0, 0, 0}, "zip"), "0x504B0304", "not an IDX");
    }

    void notGzipDespiteGzName()
    {
        writeFile(path("garbage.gz"), Bytes{'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', '!', 0, 0, 0, 0});
        EXPECT_DATA_ERROR(il::readIdxImages(path("garbage.gz")), "garbage.gz", "not gzip", "wrong magic");
        EXPECT_DATA_ERROR(il::gunzipBytes(Bytes{1, 2, 3}, "bytes"), "not gzip");
    }

    void corruptGzipStream()
    {
        Bytes corrupt = gzipped(idxImages(5, 8, 8));
        for (std::size_t i = 10; i < corrupt.size() - 8; ++i) corrupt[i] = static_cast<unsigned char>(0xff - corrupt[i]);
        writeFile(path("corrupt.gz"), corrupt);
        EXPECT_DATA_ERROR(il::readIdxImages(path("corrupt.gz")), "corrupt.gz", "corrupt gzip");
    }

    void truncatedGzipStream()
    {
        Bytes cut = gzipped(idxImages(20, 16, 16));
        cut.resize(cut.size() / 2);
        writeFile(path("cut.gz"), cut);
        EXPECT_DATA_ERROR(il::readIdxImages(path("cut.gz")), "cut.gz", "truncated");
    }

    void trailingGarbageAfterGzip()
    {
        Bytes withTail = gzipped(idxLabels({1}));
        withTail.push_back('x');
        withTail.push_back('y');
        EXPECT_DATA_ERROR(il::gunzipBytes(withTail, "tail.gz"), "tail.gz", "2 bytes");
        Bytes zeroPadded = gzipped(idxLabels({1}));
        zeroPadded.resize(zeroPadded.size() + 512, 0);  // tape/tar padding is tolerated
        QCOMPARE(il::parseIdxLabels(il::gunzipBytes(zeroPadded, "padded.gz"), "padded"), (std::vector<int>{1}));
    }

    void decompressedSizeIsCapped()
    {
        const Bytes bomb = gzipped(Bytes(1 << 20, 0));  // 1 MiB of zeros compresses to ~1 KiB
        QVERIFY(bomb.size() < 4096);
        EXPECT_DATA_ERROR(il::gunzipBytes(bomb, "bomb.gz", 100000), "bomb.gz", "more than");
        writeFile(path("bomb.gz"), bomb);
        EXPECT_DATA_ERROR(il::readFileMaybeGzip(path("bomb.gz"), 100000), "bomb.gz");
        QCOMPARE(il::readFileMaybeGzip(path("bomb.gz")).size(), std::size_t(1) << 20);
    }

    void rawFileSizeIsCapped()
    {
        writeFile(path("big-raw"), Bytes(5000, 1));
        EXPECT_DATA_ERROR(il::readFileMaybeGzip(path("big-raw"), 4096), "big-raw", "larger than");
    }

    void truncatedImagesSayHowMuchIsMissing()
    {
        Bytes bytes = idxImages(3, 28, 28);
        bytes.resize(bytes.size() - 100);
        writeFile(path("short"), bytes);
        EXPECT_DATA_ERROR(il::readIdxImages(path("short")), "short", "truncated", "3 images of 28x28", "2352", "2252");
        EXPECT_DATA_ERROR(il::parseIdxImages(Bytes{0, 0, 8, 3, 0, 0}, "header"), "truncated IDX header");
        EXPECT_DATA_ERROR(il::parseIdxLabels(Bytes{0, 0, 8, 1, 0, 0, 0, 9, 1, 2}, "labels"), "truncated", "9 labels");
    }

    void extraBytesAreAWrongSize()
    {
        Bytes bytes = idxImages(2, 4, 4);
        bytes.push_back(0);
        EXPECT_DATA_ERROR(il::parseIdxImages(bytes, "long"), "wrong size", "33");
        Bytes labels = idxLabels({1, 2});
        labels.push_back(3);
        EXPECT_DATA_ERROR(il::parseIdxLabels(labels, "long-labels"), "wrong size");
    }

    void absurdDimensionsAreRejected_data()
    {
        QTest::addColumn<quint32>("count");
        QTest::addColumn<quint32>("rows");
        QTest::addColumn<quint32>("cols");
        QTest::addColumn<QString>("expected");
        QTest::newRow("zero rows") << 1u << 0u << 28u << QStringLiteral("implausible image size 0x28");
        QTest::newRow("zero cols") << 1u << 28u << 0u << QStringLiteral("implausible");
        QTest::newRow("rows too big") << 1u << 100000u << 28u << QStringLiteral("1..4096");
        QTest::newRow("cols 2^32-1") << 1u << 28u << 0xffffffffu << QStringLiteral("implausible");
        // 2^32-1 images of 4096x4096: 2^56 bytes; must be refused without allocating.
        QTest::newRow("huge count") << 0xffffffffu << 4096u << 4096u << QStringLiteral("truncated");
    }

    void absurdDimensionsAreRejected()
    {
        QFETCH(quint32, count);
        QFETCH(quint32, rows);
        QFETCH(quint32, cols);
        QFETCH(QString, expected);
        Bytes bytes;
        appendBigEndian32(bytes, il::kIdxImagesMagic);
        appendBigEndian32(bytes, count);
        appendBigEndian32(bytes, rows);
        appendBigEndian32(bytes, cols);
        bytes.resize(bytes.size() + 64, 0);
        writeFile(path("huge"), gzipped(bytes));
        EXPECT_DATA_ERROR(il::readIdxImages(path("huge")), "huge", expected);
    }

    void hugeLabelCountIsTruncatedNotAllocated()
    {
        Bytes bytes;
        appendBigEndian32(bytes, il::kIdxLabelsMagic);
        appendBigEndian32(bytes, 0xffffffffu);
        EXPECT_DATA_ERROR(il::parseIdxLabels(bytes, "labels"), "truncated", "4294967295 labels");
    }

    // A cheap deterministic fuzz: every prefix and many random corruptions of valid raw and
    // gzip files must either parse or throw DataError. Run under ASan for out-of-bounds reads.
    void corruptedInputsNeverCrash()
    {
        const Bytes images = idxImages(3, 5, 4);
        const Bytes labels = idxLabels({1, 2, 3, 4});
        const Bytes gzImages = gzipped(images);
        auto tryAll = [](const Bytes& bytes) {
            try {
                il::parseIdxImages(bytes, "fuzz");
            } catch (const il::DataError&) {
            }
            try {
                il::parseIdxLabels(bytes, "fuzz");
            } catch (const il::DataError&) {
            }
            try {
                il::parseIdxImages(il::gunzipBytes(bytes, "fuzz", 1 << 20), "fuzz");
            } catch (const il::DataError&) {
            }
        };
        for (const Bytes* valid : {&images, &labels, &gzImages})
            for (std::size_t length = 0; length <= valid->size(); ++length)
                tryAll(Bytes(valid->begin(), valid->begin() + static_cast<std::ptrdiff_t>(length)));

        std::mt19937 random(12345);
        for (int round = 0; round < 3000; ++round) {
            Bytes bytes = round % 3 == 0 ? images : round % 3 == 1 ? labels : gzImages;
            const int flips = 1 + static_cast<int>(random() % 4);
            for (int f = 0; f < flips; ++f) bytes[random() % bytes.size()] = static_cast<unsigned char>(random());
            tryAll(bytes);
        }
        QVERIFY(true);  // reaching here without a crash or a foreign exception is the test
    }
};

QTEST_GUILESS_MAIN(TestIdxReader)
#include "tst_idx_reader.moc"
