#include "ui/figures/figure_export.h"

#include <QDir>
#include <QFileInfo>
#include <QImageWriter>
#include <QSaveFile>

namespace il::ui {
namespace {

bool fail(QString* error, const QString& message)
{
    if (error) *error = message;
    return false;
}

}  // namespace

bool savePng(const QImage& image, const QString& path, QString* error)
{
    const QString shown = QDir::toNativeSeparators(path);
    if (image.isNull()) return fail(error, QStringLiteral("cannot save %1: the figure is empty").arg(shown));
    if (path.isEmpty()) return fail(error, QStringLiteral("cannot save the figure: no file name given"));

    // Checked first because QSaveFile's own message for these cases is a bare "No such
    // file or directory" about a temporary file the user never named.
    const QFileInfo target(path);
    const QFileInfo folder(target.absolutePath());
    if (!folder.exists())
        return fail(error,
                    QStringLiteral("cannot save %1: folder %2 does not exist").arg(shown, QDir::toNativeSeparators(folder.filePath())));
    if (!folder.isDir())
        return fail(error, QStringLiteral("cannot save %1: %2 is not a folder").arg(shown, QDir::toNativeSeparators(folder.filePath())));
    if (target.isDir()) return fail(error, QStringLiteral("cannot save %1: it is a folder").arg(shown));

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        const QString why = folder.isWritable() ? file.errorString() : QStringLiteral("the folder is not writable");
        return fail(error, QStringLiteral("cannot save %1: %2").arg(shown, why));
    }
    QImageWriter writer(&file, QByteArrayLiteral("png"));
    writer.setText(QStringLiteral("Software"), QStringLiteral("IdentityLab"));
    if (!writer.write(image)) {
        // A write error on the device (e.g. a full disk) is more telling than the writer's. Qt
        // words a short write (a full disk, a file-size limit) as "Unknown error": say what it is.
        const QString why = file.error() == QFileDevice::NoError ? writer.errorString()
                            : file.errorString() == QLatin1String("Unknown error")
                                ? QStringLiteral("the write failed (is the disk full?)")
                                : file.errorString() + QStringLiteral(" (is the disk full?)");
        file.cancelWriting();
        return fail(error, QStringLiteral("cannot save %1: %2").arg(shown, why));
    }
    if (!file.commit()) return fail(error, QStringLiteral("cannot save %1: %2 (is the disk full?)").arg(shown, file.errorString()));
    return true;
}

}  // namespace il::ui
