// Data set lookup and loading: the shipped MNIST subset, a user MNIST folder, Debian's
// Fashion-MNIST, CIFAR-10 folders, the process-wide cache, names, and resource lookup.
// IDENTITYLAB_RESOURCES is set by CTest to the source tree's resources/.

#include "engine/core/errors.h"
#include "engine/data/dataset.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <functional>
#include <set>
#include <thread>
#include <vector>

using Bytes = std::vector<unsigned char>;

namespace {

void appendBigEndian32(Bytes& bytes, std::uint32_t value)
{
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<unsigned char>(value >> shift));
}

void writeFile(const QString& path, const Bytes& bytes)
{
    std::ofstream file(path.toStdString(), std::ios::binary);
    file.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// A miniature MNIST folder: `labels.size()` 28x28 images (image i filled with i) and labels.
void writeMiniMnist(const QString& folder, const QString& prefix, const std::vector<unsigned char>& labels, std::size_t imageCount)
{
    QDir().mkpath(folder);
    Bytes images;
    appendBigEndian32(images, 0x803);
    appendBigEndian32(images, static_cast<std::uint32_t>(imageCount));
    appendBigEndian32(images, 28);
    appendBigEndian32(images, 28);
    for (std::size_t i = 0; i < imageCount; ++i) images.insert(images.end(), 28 * 28, static_cast<unsigned char>(i));
    writeFile(folder + QLatin1Char('/') + prefix + QStringLiteral("-images-idx3-ubyte"), images);
    Bytes labelBytes;
    appendBigEndian32(labelBytes, 0x801);
    appendBigEndian32(labelBytes, static_cast<std::uint32_t>(labels.size()));
    labelBytes.insert(labelBytes.end(), labels.begin(), labels.end());
    writeFile(folder + QLatin1Char('/') + prefix + QStringLiteral("-labels-idx1-ubyte"), labelBytes);
}

QString expectError(const std::function<void()>& action, const QStringList& parts, bool wantConfigError = false)
{
    try {
        action();
    } catch (const il::Error& error) {
        const QString message = QString::fromStdString(error.what());
        const bool isConfig = dynamic_cast<const il::ConfigError*>(&error) != nullptr;
        const bool isData = dynamic_cast<const il::DataError*>(&error) != nullptr;
        if (wantConfigError ? !isConfig : !isData) return QStringLiteral("wrong error type: %1").arg(message);
        for (const QString& part : parts)
            if (!message.contains(part, Qt::CaseInsensitive)) return QStringLiteral("message lacks \"%1\": %2").arg(part, message);
        return {};
    }
    return QStringLiteral("did not throw");
}

#define EXPECT_DATA_ERROR(action, ...)                                                  \
    do {                                                                                \
        const QString problem = expectError([&] { action; }, QStringList{__VA_ARGS__}); \
        QVERIFY2(problem.isEmpty(), qPrintable(problem));                               \
    } while (false)

// Restores an environment variable when the test ends, however it ends.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const QByteArray& value) : name_(name), had_(qEnvironmentVariableIsSet(name))
    {
        old_ = qgetenv(name);
        qputenv(name, value);
    }
    ~ScopedEnv()
    {
        if (had_)
            qputenv(name_, old_);
        else
            qunsetenv(name_);
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* name_;
    bool had_;
    QByteArray old_;
};

std::vector<int> countPerClass(const il::LabelledSet& set)
{
    std::vector<int> counts(set.classNames.size(), 0);
    for (int label : set.labels) ++counts.at(static_cast<std::size_t>(label));
    return counts;
}

}  // namespace

class TestDatasets : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    il::DataLocations shipped_;  // the shipped subset only: no user folders
    QString path(const QString& name) const { return dir_.filePath(name); }

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        shipped_.resourcesDir = il::findResourcesDir();
        QVERIFY2(QFileInfo::exists(QString::fromStdString(shipped_.resourcesDir) + QStringLiteral("/mnist")),
                 "set IDENTITYLAB_RESOURCES to the source tree's resources/ folder");
    }

    void cleanup() { il::clearDatasetCache(); }

    void namesRoundTrip()
    {
        for (il::DatasetKind kind : {il::DatasetKind::Mnist, il::DatasetKind::FashionMnist, il::DatasetKind::Cifar10})
            QCOMPARE(il::datasetFromName(il::datasetName(kind)), kind);
        QCOMPARE(QString::fromUtf8(il::datasetName(il::DatasetKind::FashionMnist)), QStringLiteral("fashion_mnist"));
        const QString problem =
            expectError([] { il::datasetFromName("imagenet"); }, {"imagenet", "mnist", "fashion_mnist", "cifar10"}, true);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void shippedSubsetHas100OfEachClass()
    {
        for (il::Split split : {il::Split::Train, il::Split::Test}) {
            const auto set = il::loadDatasetShared(il::DatasetKind::Mnist, split, shipped_);
            QCOMPARE(set->images.size(), std::size_t(1000));
            QCOMPARE(set->labels.size(), std::size_t(1000));
            QCOMPARE(set->classNames.size(), std::size_t(10));
            QCOMPARE(countPerClass(*set), std::vector<int>(10, 100));
            QCOMPARE(set->images.front().height, 28);
            QCOMPARE(set->images.front().width, 28);
            QCOMPARE(set->images.front().channels, 1);
            QVERIFY(QString::fromStdString(set->source).contains(QStringLiteral("mnist")));
            // Interleaved order, so any prefix is balanced.
            for (int i = 0; i < 20; ++i) QCOMPARE(set->labels[static_cast<std::size_t>(i)], i % 10);
        }
    }

    void shippedTrainAndTestAreDisjoint()
    {
        const auto train = il::loadDatasetShared(il::DatasetKind::Mnist, il::Split::Train, shipped_);
        const auto test = il::loadDatasetShared(il::DatasetKind::Mnist, il::Split::Test, shipped_);
        std::set<std::vector<float>> trainPixels;
        for (const il::Image& image : train->images) trainPixels.insert(image.pixels);
        QCOMPARE(trainPixels.size(), std::size_t(1000));  // no duplicates within train either
        for (const il::Image& image : test->images) QVERIFY(trainPixels.count(image.pixels) == 0);
    }

    void shippedDigitsLookLikeDigits()
    {
        const auto train = il::loadDatasetShared(il::DatasetKind::Mnist, il::Split::Train, shipped_);
        for (const il::Image& image : train->images) {
            double sum = 0.0;
            float maxValue = 0.0f;
            for (float v : image.pixels) {
                sum += v;
                maxValue = std::max(maxValue, v);
            }
            const double mean = sum / static_cast<double>(image.size());
            QVERIFY(maxValue > 0.9f);            // a stroke at full ink
            QVERIFY(mean > 0.02 && mean < 0.5);  // mostly background
            QCOMPARE(image.at(0, 0, 0), 0.0f);   // MNIST's corners are empty
        }
    }

    void cacheSharesOneCopy()
    {
        const auto first = il::loadDatasetShared(il::DatasetKind::Mnist, il::Split::Train, shipped_);
        const auto again = il::loadDatasetShared(il::DatasetKind::Mnist, il::Split::Train, shipped_);
        QCOMPARE(first.get(), again.get());
        il::clearDatasetCache();
        const auto reloaded = il::loadDatasetShared(il::DatasetKind::Mnist, il::Split::Train, shipped_);
        QVERIFY(reloaded.get() != first.get());
        QCOMPARE(reloaded->labels, first->labels);
        il::LabelledSet copy = il::loadDataset(il::DatasetKind::Mnist, il::Split::Train, shipped_);
        copy.labels[0] = 5;  // a copy: the cached set is untouched
        QCOMPARE(reloaded->labels[0], 0);
    }

    void concurrentLoadsShareOneCopy()
    {
        std::vector<std::shared_ptr<const il::LabelledSet>> results(8);
        std::vector<std::thread> threads;
        for (std::size_t t = 0; t < results.size(); ++t)
            threads.emplace_back([&, t] {
                results[t] = il::loadDatasetShared(il::DatasetKind::Mnist, t % 2 ? il::Split::Train : il::Split::Test, shipped_);
            });
        for (std::thread& thread : threads) thread.join();
        for (std::size_t t = 2; t < results.size(); ++t) QCOMPARE(results[t].get(), results[t % 2].get());
        QVERIFY(results[0].get() != results[1].get());
    }

    void userMnistFolderIsPreferred()
    {
        const QString folder = path(QStringLiteral("user-mnist"));
        writeMiniMnist(folder, QStringLiteral("train"), {1, 2, 3}, 3);
        writeMiniMnist(folder, QStringLiteral("t10k"), {4}, 1);
        il::DataLocations where = shipped_;
        where.mnistDir = folder.toStdString();
        const il::LabelledSet train = il::loadDataset(il::DatasetKind::Mnist, il::Split::Train, where);
        QCOMPARE(train.labels, (std::vector<int>{1, 2, 3}));
        QCOMPARE(train.images[2].pixels.front(), 2.0f / 255.0f);
        QVERIFY(QString::fromStdString(train.source).contains(QStringLiteral("user-mnist")));
        QCOMPARE(il::loadDataset(il::DatasetKind::Mnist, il::Split::Test, where).labels, std::vector<int>{4});
    }

    void imageAndLabelCountsMustAgree()
    {
        const QString folder = path(QStringLiteral("mismatched"));
        writeMiniMnist(folder, QStringLiteral("train"), {1, 2, 3}, 2);
        il::DataLocations where = shipped_;
        where.mnistDir = folder.toStdString();
        EXPECT_DATA_ERROR(il::loadDataset(il::DatasetKind::Mnist, il::Split::Train, where), "2 images", "3 labels",
                          "do not belong together");
    }

    void labelsMustFitTheClasses()
    {
        const QString folder = path(QStringLiteral("label-12"));
        writeMiniMnist(folder, QStringLiteral("train"), {1, 12}, 2);
        il::DataLocations where = shipped_;
        where.mnistDir = folder.toStdString();
        EXPECT_DATA_ERROR(il::loadDataset(il::DatasetKind::Mnist, il::Split::Train, where), "label 12", "index 1", "0..9");
    }

    void missingMnistFolderSaysHowToFix()
    {
        il::DataLocations where = shipped_;
        where.mnistDir = path(QStringLiteral("no-mnist-here")).toStdString();
        EXPECT_DATA_ERROR(il::loadDataset(il::DatasetKind::Mnist, il::Split::Train, where), "no-mnist-here", "does not exist",
                          "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "IDENTITYLAB_MNIST_DIR");
        QDir().mkpath(path(QStringLiteral("half-mnist")));
        writeMiniMnist(path(QStringLiteral("half-mnist")), QStringLiteral("train"), {1}, 1);
        where.mnistDir = path(QStringLiteral("half-mnist")).toStdString();
        EXPECT_DATA_ERROR(il::loadDataset(il::DatasetKind::Mnist, il::Split::Test, where), "half-mnist", "t10k-images-idx3-ubyte.gz");
    }

    void missingShippedSubsetSaysHowToFix()
    {
        il::DataLocations where;
        where.resourcesDir = path(QStringLiteral("empty-resources")).toStdString();
        QDir().mkpath(QString::fromStdString(where.resourcesDir));
        EXPECT_DATA_ERROR(il::loadDataset(il::DatasetKind::Mnist, il::Split::Train, where), "empty-resources", "IDENTITYLAB_RESOURCES",
                          "IDENTITYLAB_MNIST_DIR");
    }

    void fashionMnistFromDebianPackage()
    {
        const il::DataLocations defaults = il::DataLocations::fromEnvironment();
        if (!QFileInfo(QString::fromStdString(defaults.fashionDir)).isDir())
            QSKIP(qPrintable(QStringLiteral("Fashion-MNIST not installed at %1 (apt install dataset-fashion-mnist)")
                                 .arg(QString::fromStdString(defaults.fashionDir))));
        const auto test = il::loadDatasetShared(il::DatasetKind::FashionMnist, il::Split::Test, defaults);
        QCOMPARE(test->images.size(), std::size_t(10000));
        QCOMPARE(countPerClass(*test), std::vector<int>(10, 1000));
        QCOMPARE(test->classNames.at(9), std::string("Ankle boot"));
        QCOMPARE(test->images.front().height, 28);
        const auto train = il::loadDatasetShared(il::DatasetKind::FashionMnist, il::Split::Train, defaults);
        QCOMPARE(train->images.size(), std::size_t(60000));
        QCOMPARE(countPerClass(*train), std::vector<int>(10, 6000));
    }

    void missingFashionFolderSaysHowToFix()
    {
        il::DataLocations where = shipped_;
        where.fashionDir = path(QStringLiteral("no-fashion")).toStdString();
        EXPECT_DATA_ERROR(il::loadDataset(il::DatasetKind::FashionMnist, il::Split::Train, where), "no-fashion", "train-images-idx3-ubyte",
                          "dataset-fashion-mnist", "IDENTITYLAB_FASHION_DIR");
    }

    void cifarNeedsAFolder()
    {
        il::DataLocations where = shipped_;
        EXPECT_DATA_ERROR(il::loadDataset(il::DatasetKind::Cifar10, il::Split::Train, where), "IDENTITYLAB_CIFAR_DIR");
        where.cifarDir = path(QStringLiteral("no-cifar")).toStdString();
        EXPECT_DATA_ERROR(il::loadDataset(il::DatasetKind::Cifar10, il::Split::Test, where), "no-cifar", "test_batch.bin",
                          "IDENTITYLAB_CIFAR_DIR");
    }

    void cifarFromFolder()
    {
        const QString folder = path(QStringLiteral("cifar/cifar-10-batches-bin"));
        QDir().mkpath(folder);
        Bytes record(3073, 128);
        record[0] = 6;
        writeFile(folder + QStringLiteral("/test_batch.bin"), record);
        il::DataLocations where = shipped_;
        where.cifarDir = path(QStringLiteral("cifar")).toStdString();
        const auto test = il::loadDatasetShared(il::DatasetKind::Cifar10, il::Split::Test, where);
        QCOMPARE(test->labels, std::vector<int>{6});
        QCOMPARE(test->classNames.at(6), std::string("frog"));
        QCOMPARE(test->images.front().channels, 3);
    }

    void resourcesDirFromEnvironment()
    {
        const QString folder = path(QStringLiteral("my-resources"));
        QDir().mkpath(folder);
        {
            ScopedEnv env("IDENTITYLAB_RESOURCES", folder.toUtf8());
            QCOMPARE(QString::fromStdString(il::findResourcesDir()), folder);
            QCOMPARE(QString::fromStdString(il::DataLocations::fromEnvironment().resourcesDir), folder);
        }
        {
            // A wrong value is skipped, not fatal: the other places are still tried, and if
            // none exists the error lists them all, including the wrong value.
            ScopedEnv env("IDENTITYLAB_RESOURCES", "/nonexistent/identitylab-resources");
            try {
                QVERIFY(QFileInfo(QString::fromStdString(il::findResourcesDir())).isDir());
            } catch (const il::DataError& error) {
                QVERIFY(QString::fromUtf8(error.what()).contains(QStringLiteral("/nonexistent/identitylab-resources")));
            }
        }
    }

    void locationsFromEnvironment()
    {
        ScopedEnv mnist("IDENTITYLAB_MNIST_DIR", "/data/mnist");
        ScopedEnv fashion("IDENTITYLAB_FASHION_DIR", "/data/fashion");
        ScopedEnv cifar("IDENTITYLAB_CIFAR_DIR", "/data/cifar");
        il::DataLocations where = il::DataLocations::fromEnvironment();
        QCOMPARE(where.mnistDir, std::string("/data/mnist"));
        QCOMPARE(where.fashionDir, std::string("/data/fashion"));
        QCOMPARE(where.cifarDir, std::string("/data/cifar"));
        qunsetenv("IDENTITYLAB_FASHION_DIR");
        where = il::DataLocations::fromEnvironment();
        QCOMPARE(where.fashionDir, std::string(il::kDebianFashionMnistDir));
    }
};

QTEST_GUILESS_MAIN(TestDatasets)
#include "tst_datasets.moc"
