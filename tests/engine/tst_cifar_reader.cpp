// CIFAR-10 binary batches: record layout, size and label checks, and finding the batch files
// in a folder (directly or in cifar-10-batches-bin/), with clear errors when they are missing.

#include "engine/core/errors.h"
#include "engine/data/cifar_reader.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <vector>

using Bytes = std::vector<unsigned char>;

namespace {

// One record: the label, then the red, green and blue planes; plane c holds the value 10 * c + label
// except pixel (y=1, x=2), which holds 200 + c, so the test can check the plane and row order.
void appendRecord(Bytes& bytes, unsigned char label)
{
    bytes.push_back(label);
    for (int c = 0; c < 3; ++c)
        for (int y = 0; y < 32; ++y)
            for (int x = 0; x < 32; ++x) bytes.push_back(static_cast<unsigned char>(y == 1 && x == 2 ? 200 + c : 10 * c + label));
}

Bytes batch(const std::vector<unsigned char>& labels)
{
    Bytes bytes;
    for (unsigned char label : labels) appendRecord(bytes, label);
    return bytes;
}

void writeFile(const QString& path, const Bytes& bytes)
{
    std::ofstream file(path.toStdString(), std::ios::binary);
    file.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

void writeText(const QString& path, const char* text)
{
    std::ofstream file(path.toStdString(), std::ios::binary);
    file << text;
}

// Writes a complete CIFAR-10 folder: each train batch holds 2 records, the test batch 3.
void writeCifarFolder(const QString& folder)
{
    QDir().mkpath(folder);
    for (int b = 1; b <= 5; ++b)
        writeFile(folder + QStringLiteral("/data_batch_%1.bin").arg(b),
                  batch({static_cast<unsigned char>(b), static_cast<unsigned char>(b + 1)}));
    writeFile(folder + QStringLiteral("/test_batch.bin"), batch({9, 0, 5}));
}

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

class TestCifarReader : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    QString path(const QString& name) const { return dir_.filePath(name); }

private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void parsesRecordsInPlaneOrder()
    {
        const il::LabelledSet set = il::parseCifar10Batch(batch({3, 7}), "memory");
        QCOMPARE(set.images.size(), std::size_t(2));
        QCOMPARE(set.labels, (std::vector<int>{3, 7}));
        QCOMPARE(set.classNames, il::cifar10DefaultClassNames());
        const il::Image& image = set.images[1];
        QCOMPARE(image.channels, 3);
        QCOMPARE(image.height, 32);
        QCOMPARE(image.width, 32);
        for (int c = 0; c < 3; ++c) {
            QCOMPARE(image.at(c, 0, 0), static_cast<float>(10 * c + 7) / 255.0f);
            QCOMPARE(image.at(c, 1, 2), static_cast<float>(200 + c) / 255.0f);
            QCOMPARE(image.at(c, 2, 1), static_cast<float>(10 * c + 7) / 255.0f);
        }
    }

    void readsBatchFile()
    {
        writeFile(path(QStringLiteral("one.bin")), batch({0, 1, 2, 9}));
        const il::LabelledSet set = il::readCifar10Batch(path(QStringLiteral("one.bin")).toStdString());
        QCOMPARE(set.labels, (std::vector<int>{0, 1, 2, 9}));
        QVERIFY(QString::fromStdString(set.source).endsWith(QStringLiteral("one.bin")));
    }

    void sizeNotMultipleOfRecord()
    {
        Bytes bytes = batch({1, 2});
        bytes.resize(bytes.size() - 5);
        writeFile(path(QStringLiteral("short.bin")), bytes);
        EXPECT_DATA_ERROR(il::readCifar10Batch(path(QStringLiteral("short.bin")).toStdString()), "short.bin", "not a multiple of 3073",
                          "6141 bytes", "1 whole records and 3068 stray bytes");
    }

    void labelAboveNineIsRejected()
    {
        EXPECT_DATA_ERROR(il::parseCifar10Batch(batch({1, 11}), "batch"), "batch", "record 1", "label 11", "0..9");
    }

    void emptyBatch()
    {
        writeFile(path(QStringLiteral("empty.bin")), {});
        EXPECT_DATA_ERROR(il::readCifar10Batch(path(QStringLiteral("empty.bin")).toStdString()), "empty.bin", "empty");
    }

    void missingBatchFile()
    {
        EXPECT_DATA_ERROR(il::readCifar10Batch(path(QStringLiteral("absent.bin")).toStdString()), "absent.bin", "not found");
    }

    void readsTrainAndTestFromFolder()
    {
        const QString folder = path(QStringLiteral("flat"));
        writeCifarFolder(folder);
        const il::LabelledSet train = il::readCifar10Folder(folder.toStdString(), il::Split::Train);
        QCOMPARE(train.labels, (std::vector<int>{1, 2, 2, 3, 3, 4, 4, 5, 5, 6}));
        QCOMPARE(train.images.size(), std::size_t(10));
        QVERIFY(QString::fromStdString(train.source).contains(QStringLiteral("data_batch_5.bin")));
        const il::LabelledSet test = il::readCifar10Folder(folder.toStdString(), il::Split::Test);
        QCOMPARE(test.labels, (std::vector<int>{9, 0, 5}));
        QCOMPARE(test.classNames.at(9), std::string("truck"));
    }

    void findsArchiveSubfolder()
    {
        const QString outer = path(QStringLiteral("unpacked"));
        writeCifarFolder(outer + QStringLiteral("/cifar-10-batches-bin"));
        const il::LabelledSet test = il::readCifar10Folder(outer.toStdString(), il::Split::Test);
        QCOMPARE(test.labels.size(), std::size_t(3));
    }

    void classNamesFromMetaFile()
    {
        const QString folder = path(QStringLiteral("with-meta"));
        writeCifarFolder(folder);
        writeText(folder + QStringLiteral("/batches.meta.txt"), "a0\r\na1\na2\na3\na4\na5\na6\na7\na8\na9\n\n\n");
        const il::LabelledSet test = il::readCifar10Folder(folder.toStdString(), il::Split::Test);
        QCOMPARE(test.classNames.front(), std::string("a0"));
        QCOMPARE(test.classNames.back(), std::string("a9"));

        writeText(folder + QStringLiteral("/batches.meta.txt"), "only\nthree\nnames\n");
        EXPECT_DATA_ERROR(il::readCifar10Folder(folder.toStdString(), il::Split::Test), "batches.meta.txt", "expected 10 class names",
                          "found 3");
    }

    void missingFolderListsExpectedFiles()
    {
        const std::string missing = path(QStringLiteral("no-such-folder")).toStdString();
        EXPECT_DATA_ERROR(il::readCifar10Folder(missing, il::Split::Train), "no-such-folder", "does not exist", "data_batch_1.bin",
                          "data_batch_5.bin");
        const QString emptyFolder = path(QStringLiteral("empty-folder"));
        QDir().mkpath(emptyFolder);
        EXPECT_DATA_ERROR(il::readCifar10Folder(emptyFolder.toStdString(), il::Split::Test), "empty-folder", "test_batch.bin",
                          "cifar-10-batches-bin");
    }

    void incompleteFolderNamesMissingBatches()
    {
        const QString folder = path(QStringLiteral("partial"));
        QDir().mkpath(folder);
        for (int b = 1; b <= 3; ++b) writeFile(folder + QStringLiteral("/data_batch_%1.bin").arg(b), batch({1}));
        EXPECT_DATA_ERROR(il::readCifar10Folder(folder.toStdString(), il::Split::Train), "partial", "incomplete",
                          "missing data_batch_4.bin, data_batch_5.bin");
    }

    void corruptedBatchesNeverCrash()
    {
        std::mt19937 random(777);
        const Bytes valid = batch({1, 2, 3});
        for (int round = 0; round < 2000; ++round) {
            Bytes bytes(valid.begin(), valid.begin() + static_cast<std::ptrdiff_t>(random() % (valid.size() + 1)));
            if (!bytes.empty()) bytes[random() % bytes.size()] = static_cast<unsigned char>(random());
            try {
                il::parseCifar10Batch(bytes, "fuzz");
            } catch (const il::DataError&) {
            }
        }
        QVERIFY(true);
    }
};

QTEST_GUILESS_MAIN(TestCifarReader)
#include "tst_cifar_reader.moc"
