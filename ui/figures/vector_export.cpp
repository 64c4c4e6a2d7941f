#include "ui/figures/vector_export.h"

#include <QDir>
#include <QFileInfo>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <qcustomplot.h>

#include <algorithm>
#include <functional>

#include "ui/figures/figure_export.h"

namespace il::ui {
namespace {

bool fail(QString* error, const QString& message)
{
    if (error) *error = message;
    return false;
}

// Opens `path` for an atomic write, lets `paint` draw into it and commits; the messages name
// the file as the user gave it.
bool writeAtomically(const QString& path, QString* error, const std::function<bool(QIODevice&)>& paint)
{
    const QString shown = QDir::toNativeSeparators(path);
    const QFileInfo folder(QFileInfo(path).absolutePath());
    if (!folder.isDir())
        return fail(error,
                    QStringLiteral("cannot save %1: folder %2 does not exist").arg(shown, QDir::toNativeSeparators(folder.filePath())));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) return fail(error, QStringLiteral("cannot save %1: %2").arg(shown, file.errorString()));
    if (!paint(file)) {
        file.cancelWriting();
        return fail(error, QStringLiteral("cannot save %1: the drawing could not be started").arg(shown));
    }
    if (!file.commit()) return fail(error, QStringLiteral("cannot save %1: %2 (is the disk full?)").arg(shown, file.errorString()));
    return true;
}

void describe(QSvgGenerator& svg, QIODevice& device, QSize size)
{
    svg.setOutputDevice(&device);
    svg.setSize(size);
    svg.setViewBox(QRect(QPoint(0, 0), size));
    svg.setTitle(QStringLiteral("IdentityLab figure"));
    svg.setDescription(QStringLiteral("Made by IdentityLab"));
}

QSize logicalSizeOf(const QImage& image, int scale)
{
    scale = std::max(1, scale);
    return QSize(std::max(1, image.width() / scale), std::max(1, image.height() / scale));
}

}  // namespace

bool savePlotSvg(QCustomPlot& plot, const QString& path, QSize logicalSize, QString* error)
{
    if (logicalSize.isEmpty()) return fail(error, QStringLiteral("cannot save %1: empty size").arg(QDir::toNativeSeparators(path)));
    return writeAtomically(path, error, [&](QIODevice& device) {
        QSvgGenerator svg;
        describe(svg, device, logicalSize);
        QCPPainter painter;
        if (!painter.begin(&svg)) return false;
        painter.setMode(QCPPainter::pmVectorized);
        plot.toPainter(&painter, logicalSize.width(), logicalSize.height());
        return painter.end();
    });
}

bool saveFigureSvg(const QImage& image, int scale, const QString& path, QString* error)
{
    if (image.isNull()) return fail(error, QStringLiteral("cannot save %1: the figure is empty").arg(QDir::toNativeSeparators(path)));
    const QSize size = logicalSizeOf(image, scale);
    return writeAtomically(path, error, [&](QIODevice& device) {
        QSvgGenerator svg;
        describe(svg, device, size);
        QPainter painter;
        if (!painter.begin(&svg)) return false;
        painter.drawImage(QRectF(QPointF(0, 0), QSizeF(size)), image);
        return painter.end();
    });
}

bool saveFigurePdf(const QImage& image, int scale, const QString& path, QString* error)
{
    if (image.isNull()) return fail(error, QStringLiteral("cannot save %1: the figure is empty").arg(QDir::toNativeSeparators(path)));
    const QSize size = logicalSizeOf(image, scale);
    return writeAtomically(path, error, [&](QIODevice& device) {
        QPdfWriter writer(&device);
        writer.setCreator(QStringLiteral("IdentityLab"));
        writer.setResolution(72);  // one logical pixel is one point, as the plot PDFs
        writer.setPageLayout(
            QPageLayout(QPageSize(QSizeF(size), QPageSize::Point, QString(), QPageSize::ExactMatch), QPageLayout::Portrait, QMarginsF()));
        QPainter painter;
        if (!painter.begin(&writer)) return false;
        painter.drawImage(QRectF(QPointF(0, 0), QSizeF(size)), image);
        return painter.end();
    });
}

bool saveFigureFile(const QImage& image, int scale, const QString& path, QString* error)
{
    if (path.endsWith(QLatin1String(".svg"), Qt::CaseInsensitive)) return saveFigureSvg(image, scale, path, error);
    if (path.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive)) return saveFigurePdf(image, scale, path, error);
    return savePng(image, path, error);
}

}  // namespace il::ui
