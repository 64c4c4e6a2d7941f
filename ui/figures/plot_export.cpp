#include "ui/figures/plot_export.h"

#include <QDir>
#include <QFileInfo>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QSaveFile>
#include <qcustomplot.h>

#include <algorithm>

#include "ui/figures/figure_style.h"

namespace il::ui {
namespace {

bool fail(QString* error, const QString& message)
{
    if (error) *error = message;
    return false;
}

}  // namespace

QImage renderPlot(QCustomPlot& plot, QSize logicalSize, int scale)
{
    scale = std::max(1, scale);
    // toPixmap lays the plot out at the given size without touching the widget's own
    // geometry, so the GUI can export the plot it shows at any size.
    QImage image = plot.toPixmap(logicalSize.width(), logicalSize.height(), scale).toImage().convertToFormat(QImage::Format_RGB32);
    setFigureResolution(image, scale);
    return image;
}

bool savePlotPdf(QCustomPlot& plot, const QString& path, QSize logicalSize, QString* error)
{
    const QString shown = QDir::toNativeSeparators(path);
    if (logicalSize.isEmpty()) return fail(error, QStringLiteral("cannot save %1: empty page size").arg(shown));
    const QFileInfo folder(QFileInfo(path).absolutePath());
    if (!folder.isDir())
        return fail(error,
                    QStringLiteral("cannot save %1: folder %2 does not exist").arg(shown, QDir::toNativeSeparators(folder.filePath())));

    // QCustomPlot::savePdf writes straight to the final name; going through QPdfWriter on a
    // QSaveFile instead keeps the write atomic like every other export.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) return fail(error, QStringLiteral("cannot save %1: %2").arg(shown, file.errorString()));
    {
        QPdfWriter writer(&file);
        writer.setCreator(QStringLiteral("IdentityLab"));
        writer.setResolution(72);  // one logical pixel is one point
        writer.setPageLayout(QPageLayout(QPageSize(QSizeF(logicalSize), QPageSize::Point, QString(), QPageSize::ExactMatch),
                                         QPageLayout::Portrait, QMarginsF()));
        QCPPainter painter;
        if (!painter.begin(&writer)) {
            file.cancelWriting();
            return fail(error, QStringLiteral("cannot save %1: PDF output could not be started").arg(shown));
        }
        painter.setMode(QCPPainter::pmVectorized);
        painter.setMode(QCPPainter::pmNonCosmetic);  // line widths scale with the page, as in the PNG
        painter.setWindow(QRect(QPoint(0, 0), logicalSize));
        plot.toPainter(&painter, logicalSize.width(), logicalSize.height());
        painter.end();
    }
    if (!file.commit()) return fail(error, QStringLiteral("cannot save %1: %2 (is the disk full?)").arg(shown, file.errorString()));
    return true;
}

}  // namespace il::ui
