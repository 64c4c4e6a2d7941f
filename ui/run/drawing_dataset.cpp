#include "ui/run/drawing_dataset.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>

#include <algorithm>
#include <cmath>

#include "engine/core/errors.h"
#include "engine/probes/probe_set.h"

namespace il::ui {

namespace {

void putBigEndian(QByteArray& out, quint32 v)
{
    out.append(static_cast<char>((v >> 24) & 0xff));
    out.append(static_cast<char>((v >> 16) & 0xff));
    out.append(static_cast<char>((v >> 8) & 0xff));
    out.append(static_cast<char>(v & 0xff));
}

void writeFile(const QString& path, const QByteArray& bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        throw il::Error("cannot write " + path.toStdString() + ": " + file.errorString().toStdString());
}

void appendPixels(QByteArray& out, const il::Image& image)
{
    const il::Image grey = il::conformImage(image, 1, 28);
    for (float v : grey.pixels) out.append(static_cast<char>(static_cast<quint8>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f))));
}

}  // namespace

il::DataLocations writeDrawingDataset(const il::Image& drawing, const il::DataLocations& base, const QString& folder)
{
    if (drawing.empty()) throw il::Error("the drawing is empty");
    if (!QDir().mkpath(folder)) throw il::Error("cannot create the folder " + folder.toStdString());
    const auto train = il::loadDatasetShared(il::DatasetKind::Mnist, il::Split::Train, base);

    QByteArray images, labels;
    const quint32 count = static_cast<quint32>(train->images.size() + 1);
    putBigEndian(images, 0x00000803);
    putBigEndian(images, count);
    putBigEndian(images, 28);
    putBigEndian(images, 28);
    putBigEndian(labels, 0x00000801);
    putBigEndian(labels, count);
    appendPixels(images, drawing);
    labels.append(static_cast<char>(kDrawingLabel));
    for (std::size_t i = 0; i < train->images.size(); ++i) {
        appendPixels(images, train->images[i]);
        labels.append(static_cast<char>(train->labels[i]));
    }
    const QDir dir(folder);
    writeFile(dir.filePath(QStringLiteral("train-images-idx3-ubyte")), images);
    writeFile(dir.filePath(QStringLiteral("train-labels-idx1-ubyte")), labels);

    // The test split, copied from wherever MNIST comes from now.
    const QString source = base.mnistDir.empty() ? QDir(QString::fromStdString(base.resourcesDir)).filePath(QStringLiteral("mnist"))
                                                 : QString::fromStdString(base.mnistDir);
    const QStringList tests = QDir(source).entryList({QStringLiteral("t10k-*")}, QDir::Files);
    if (tests.size() < 2) throw il::DataError("no MNIST test split (t10k-*) in " + source.toStdString());
    for (const QString& name : tests) {
        QFile::remove(dir.filePath(name));
        if (!QFile::copy(QDir(source).filePath(name), dir.filePath(name)))
            throw il::Error("cannot copy " + name.toStdString() + " into " + folder.toStdString());
    }
    il::DataLocations where = base;
    where.mnistDir = folder.toStdString();
    return where;
}

il::ExperimentConfig drawingConfig(il::ExperimentConfig config)
{
    config.dataset = il::DatasetKind::Mnist;
    config.trainIndices = {0};
    config.trainCount = 1;
    return config;
}

}  // namespace il::ui
