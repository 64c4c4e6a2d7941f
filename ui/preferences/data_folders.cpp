#include "ui/preferences/data_folders.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>

#include <cstdlib>

#include "engine/data/cifar_reader.h"

namespace il::ui {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("DataFolders", text); }

QString settingsKey(DataFolderKind kind)
{
    switch (kind) {
        case DataFolderKind::Mnist:
            return QStringLiteral("data/mnistDir");
        case DataFolderKind::Fashion:
            return QStringLiteral("data/fashionDir");
        case DataFolderKind::Cifar:
            return QStringLiteral("data/cifarDir");
    }
    return {};
}

QByteArray head(const QString& path, int bytes)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    return file.read(bytes);
}

bool isGzip(const QByteArray& start)
{
    return start.size() >= 2 && static_cast<unsigned char>(start[0]) == 0x1f && static_cast<unsigned char>(start[1]) == 0x8b;
}

quint32 bigEndian32(const QByteArray& b)
{
    return (quint32(static_cast<unsigned char>(b[0])) << 24) | (quint32(static_cast<unsigned char>(b[1])) << 16) |
           (quint32(static_cast<unsigned char>(b[2])) << 8) | quint32(static_cast<unsigned char>(b[3]));
}

// An IDX file by any of the names the engine accepts (dataset.cpp findIdxFile): the standard
// name, the dotted variant some mirrors use, each raw or gzipped. Empty when none is there.
QString findIdxFile(const QDir& dir, const QString& baseName)
{
    QString dotted = baseName;
    dotted.replace(baseName.indexOf(QStringLiteral("-idx")), 1, QStringLiteral("."));
    for (const QString& name : {baseName, baseName + QStringLiteral(".gz"), dotted, dotted + QStringLiteral(".gz")}) {
        const QFileInfo info(dir.filePath(name));
        if (info.isFile()) return info.filePath();
    }
    return {};
}

// An empty file, or a raw IDX file whose magic number is not the one its name promises.
QString idxProblem(const QString& path, bool images)
{
    const QFileInfo info(path);
    if (info.size() == 0) return tr("%1 is empty").arg(info.fileName());
    const QByteArray start = head(path, 4);
    if (isGzip(start)) return {};
    const quint32 expected = images ? 0x00000803u : 0x00000801u;
    if (start.size() < 4 || bigEndian32(start) != expected)
        return tr("%1 is not an IDX %2 file").arg(info.fileName(), images ? tr("image") : tr("label"));
    return {};
}

DataFolderCheck checkIdxFolder(DataFolderKind kind, const QString& folder)
{
    DataFolderCheck check;
    check.folder = folder;
    const QDir dir(folder);
    for (const QString& name : expectedDataFiles(kind)) {
        const QString path = findIdxFile(dir, name);
        if (path.isEmpty()) {
            check.missing << name;
            continue;
        }
        const QString problem = idxProblem(path, name.contains(QStringLiteral("images")));
        if (!problem.isEmpty()) check.damaged << problem;
    }
    return check;
}

DataFolderCheck checkCifarFolder(const QString& folder)
{
    DataFolderCheck check;
    const QStringList expected = expectedDataFiles(DataFolderKind::Cifar);
    // As cifar_reader.cpp: the folder itself, or the folder the official archive unpacks to,
    // whichever holds any of the batches.
    check.folder = folder;
    const QString unpacked = QDir(folder).filePath(QStringLiteral("cifar-10-batches-bin"));
    for (const QString& candidate : {folder, unpacked}) {
        bool any = false;
        for (const QString& name : expected) any = any || QFileInfo(QDir(candidate).filePath(name)).isFile();
        if (any) {
            check.folder = candidate;
            break;
        }
    }
    const QDir dir(check.folder);
    for (const QString& name : expected) {
        const QFileInfo info(dir.filePath(name));
        if (!info.isFile()) {
            check.missing << name;
            continue;
        }
        const qint64 record = static_cast<qint64>(il::kCifarRecordBytes);
        if (info.size() == 0)
            check.damaged << tr("%1 is empty").arg(name);
        else if (!isGzip(head(info.filePath(), 2)) && info.size() % record != 0)
            check.damaged << tr("%1 has %2 bytes, not a multiple of a CIFAR-10 record (%3 bytes)").arg(name).arg(info.size()).arg(record);
    }
    return check;
}

}  // namespace

QStringList expectedDataFiles(DataFolderKind kind)
{
    if (kind == DataFolderKind::Cifar)
        return {QStringLiteral("data_batch_1.bin"), QStringLiteral("data_batch_2.bin"), QStringLiteral("data_batch_3.bin"),
                QStringLiteral("data_batch_4.bin"), QStringLiteral("data_batch_5.bin"), QStringLiteral("test_batch.bin")};
    return {QStringLiteral("train-images-idx3-ubyte"), QStringLiteral("train-labels-idx1-ubyte"), QStringLiteral("t10k-images-idx3-ubyte"),
            QStringLiteral("t10k-labels-idx1-ubyte")};
}

DataFolderCheck checkDataFolder(DataFolderKind kind, const QString& folder)
{
    if (folder.trimmed().isEmpty()) {
        DataFolderCheck check;
        check.summary = tr("No folder: %1.").arg(defaultDataFolderText(kind));
        return check;
    }
    if (!QFileInfo(folder).isDir()) {
        DataFolderCheck check;
        check.folder = folder;
        check.missing = expectedDataFiles(kind);
        check.summary = tr("%1 is not a folder.").arg(folder);
        return check;
    }
    DataFolderCheck check = kind == DataFolderKind::Cifar ? checkCifarFolder(folder) : checkIdxFolder(kind, folder);
    check.ok = check.missing.isEmpty() && check.damaged.isEmpty();
    const QString variants =
        kind == DataFolderKind::Cifar ? tr("(the CIFAR-10 binary version, directly or in cifar-10-batches-bin/)") : tr("(raw or .gz)");
    if (check.ok) {
        check.summary = tr("All %1 files found.").arg(expectedDataFiles(kind).size());
    } else {
        QStringList parts;
        if (!check.missing.isEmpty()) parts << tr("Missing: %1 %2.").arg(check.missing.join(QStringLiteral(", ")), variants);
        if (!check.damaged.isEmpty()) parts << check.damaged.join(QStringLiteral("; ")) + QLatin1Char('.');
        check.summary = parts.join(QLatin1Char(' '));
    }
    return check;
}

const char* dataFolderEnvironmentVariable(DataFolderKind kind)
{
    switch (kind) {
        case DataFolderKind::Mnist:
            return "IDENTITYLAB_MNIST_DIR";
        case DataFolderKind::Fashion:
            return "IDENTITYLAB_FASHION_DIR";
        case DataFolderKind::Cifar:
            return "IDENTITYLAB_CIFAR_DIR";
    }
    return "";
}

QString dataFolderDisplayName(DataFolderKind kind)
{
    switch (kind) {
        case DataFolderKind::Mnist:
            return tr("MNIST (full)");
        case DataFolderKind::Fashion:
            return tr("Fashion-MNIST");
        case DataFolderKind::Cifar:
            return tr("CIFAR-10");
    }
    return {};
}

QString dataFolderFromEnvironment(DataFolderKind kind)
{
    const char* value = std::getenv(dataFolderEnvironmentVariable(kind));
    return value ? QString::fromLocal8Bit(value) : QString();
}

QString preferredDataFolder(DataFolderKind kind) { return QSettings().value(settingsKey(kind)).toString(); }

void setPreferredDataFolder(DataFolderKind kind, const QString& folder)
{
    QSettings settings;
    if (folder.trimmed().isEmpty())
        settings.remove(settingsKey(kind));
    else
        settings.setValue(settingsKey(kind), QDir::cleanPath(folder.trimmed()));
}

QString defaultDataFolderText(DataFolderKind kind)
{
    switch (kind) {
        case DataFolderKind::Mnist:
            return tr("the 2,000 MNIST digits shipped with IdentityLab");
        case DataFolderKind::Fashion:
            return tr("%1, from Debian's dataset-fashion-mnist package").arg(QString::fromLatin1(il::kDebianFashionMnistDir));
        case DataFolderKind::Cifar:
            return tr("CIFAR-10 is not available");
    }
    return {};
}

il::DataLocations dataLocationsWithPreferences()
{
    il::DataLocations where = il::DataLocations::fromEnvironment();
    auto apply = [](DataFolderKind kind, std::string& target) {
        if (!dataFolderFromEnvironment(kind).isEmpty()) return;  // the environment wins
        const QString preferred = preferredDataFolder(kind);
        if (!preferred.isEmpty()) target = preferred.toStdString();
    };
    apply(DataFolderKind::Mnist, where.mnistDir);
    apply(DataFolderKind::Fashion, where.fashionDir);
    apply(DataFolderKind::Cifar, where.cifarDir);
    return where;
}

}  // namespace il::ui
