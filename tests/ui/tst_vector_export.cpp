// Figures and plots as SVG (ui/figures/vector_export.h): a figure's SVG and a plot's SVG are
// valid SVG documents (Qt SVG's renderer and an XML reader both accept them) of the figure's
// logical size; a plot's SVG is drawn in vector form (paths and text, not one image); a figure's
// PDF starts as a PDF; a missing folder is reported by name.

#include <QFile>
#include <QPainter>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>
#include <qcustomplot.h>

#include "engine/train/results.h"
#include "ui/figures/plots.h"
#include "ui/figures/vector_export.h"

using namespace il::ui;

namespace {

// The <svg> element's width and height attributes, and how many <path> and <image> it holds.
struct SvgSummary {
    bool wellFormed = false;
    QString width, height;
    int paths = 0, images = 0, texts = 0;
};

SvgSummary summarise(const QString& path)
{
    QFile file(path);
    SvgSummary s;
    if (!file.open(QIODevice::ReadOnly)) return s;
    QXmlStreamReader xml(&file);
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement) continue;
        if (xml.name() == QLatin1String("svg")) {
            s.width = xml.attributes().value(QStringLiteral("width")).toString();
            s.height = xml.attributes().value(QStringLiteral("height")).toString();
        }
        s.paths += xml.name() == QLatin1String("path") || xml.name() == QLatin1String("polyline") ? 1 : 0;
        s.images += xml.name() == QLatin1String("image") ? 1 : 0;
        s.texts += xml.name() == QLatin1String("text") ? 1 : 0;
    }
    s.wellFormed = !xml.hasError();
    return s;
}

// QSvgGenerator writes sizes in millimetres at its resolution; the view box is in pixels.
QSize viewBoxOf(const QString& path)
{
    QSvgRenderer renderer(path);
    return renderer.isValid() ? renderer.viewBox().size() : QSize();
}

}  // namespace

class TstVectorExport : public QObject {
    Q_OBJECT

private slots:
    void figureSvg_isValidAtTheLogicalSize()
    {
        QTemporaryDir dir;
        const int scale = 3;
        QImage figure(QSize(200, 120) * scale, QImage::Format_RGB32);
        figure.fill(Qt::white);
        QPainter(&figure).fillRect(QRect(30, 30, 90, 60), Qt::darkBlue);
        const QString path = dir.filePath(QStringLiteral("figure.svg"));
        QString error;
        QVERIFY2(saveFigureSvg(figure, scale, path, &error), qPrintable(error));
        QVERIFY(QSvgRenderer(path).isValid());
        QCOMPARE(viewBoxOf(path), QSize(200, 120));
        const SvgSummary s = summarise(path);
        QVERIFY(s.wellFormed);
        QCOMPARE(s.images, 1);
        // The same through the file-name dispatch, and as PDF.
        QVERIFY2(saveFigureFile(figure, scale, dir.filePath(QStringLiteral("again.svg")), &error), qPrintable(error));
        QVERIFY(QSvgRenderer(dir.filePath(QStringLiteral("again.svg"))).isValid());
        const QString pdf = dir.filePath(QStringLiteral("figure.pdf"));
        QVERIFY2(saveFigureFile(figure, scale, pdf, &error), qPrintable(error));
        QFile f(pdf);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.read(5), QByteArrayLiteral("%PDF-"));
    }

    void plotSvg_isAValidVectorDrawingAtTheLogicalSize()
    {
        QTemporaryDir dir;
        std::vector<il::LossPoint> loss;
        for (int step = 0; step < 100; ++step) loss.push_back({step, 1.0 / (1 + step), 0.01});
        QCustomPlot plot;
        configureLossPlot(&plot, {{QStringLiteral("CNN 3"), loss}}, {30, 60, 80});
        const QSize size(640, 400);
        const QString path = dir.filePath(QStringLiteral("loss.svg"));
        QString error;
        QVERIFY2(savePlotSvg(plot, path, size, &error), qPrintable(error));
        QVERIFY(QSvgRenderer(path).isValid());
        QCOMPARE(viewBoxOf(path), size);
        const SvgSummary s = summarise(path);
        QVERIFY(s.wellFormed);
        QCOMPARE(s.images, 0);  // no raster inside: curves and axes are paths
        QVERIFY2(s.paths > 3, qPrintable(QString::number(s.paths)));
        QVERIFY(s.texts > 0);  // tick labels as text
    }

    void svgIntoAMissingFolder_isRefusedNamingIt()
    {
        QTemporaryDir dir;
        QImage figure(40, 40, QImage::Format_RGB32);
        figure.fill(Qt::white);
        const QString path = dir.filePath(QStringLiteral("no/such/folder/figure.svg"));
        QString error;
        QVERIFY(!saveFigureSvg(figure, 1, path, &error));
        QVERIFY2(error.contains(QStringLiteral("does not exist")), qPrintable(error));
        QVERIFY(!QFile::exists(path));
    }
};

QTEST_MAIN(TstVectorExport)
#include "tst_vector_export.moc"
