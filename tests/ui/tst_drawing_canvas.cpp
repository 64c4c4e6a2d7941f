// The drawing canvas and the MNIST-like preparation of drawings and image files.

#include <QPainter>
#include <QScreen>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

#include "ui/canvas/drawing_canvas.h"
#include "ui/canvas/mnist_preprocess.h"

using il::ui::DrawingCanvas;
using il::ui::mnistLike;

namespace {

struct Moments {
    double mass = 0, cx = 0, cy = 0;
    int left = 1 << 30, right = -1, top = 1 << 30, bottom = -1;
};

Moments moments(const il::Image& im)
{
    Moments m;
    for (int y = 0; y < im.height; ++y)
        for (int x = 0; x < im.width; ++x) {
            const double v = im.at(0, y, x);
            m.mass += v;
            m.cx += v * (x + 0.5);
            m.cy += v * (y + 0.5);
            if (v > 0.2) {
                m.left = std::min(m.left, x);
                m.right = std::max(m.right, x);
                m.top = std::min(m.top, y);
                m.bottom = std::max(m.bottom, y);
            }
        }
    if (m.mass > 0) {
        m.cx /= m.mass;
        m.cy /= m.mass;
    }
    return m;
}

}  // namespace

class DrawingCanvasTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void darkStrokesOnLightPaper_areInvertedCentredAndScaled()
    {
        // A photo-like picture: grey paper, a dark off-centre bar.
        QImage photo(400, 300, QImage::Format_RGB32);
        photo.fill(QColor(225, 225, 220));
        QPainter p(&photo);
        p.fillRect(QRect(40, 30, 30, 200), QColor(30, 30, 40));
        p.end();
        const auto r = mnistLike(photo, 28);
        QVERIFY(r.inverted);
        QVERIFY(!r.empty);
        QCOMPARE(r.image.width, 28);
        const Moments m = moments(r.image);
        QVERIFY2(std::abs(m.cx - 14.0) < 0.75 && std::abs(m.cy - 14.0) < 0.75, qPrintable(QStringLiteral("%1 %2").arg(m.cx).arg(m.cy)));
        // The longer side (the bar's height) becomes 20 px.
        QVERIFY2(std::abs((m.bottom - m.top + 1) - 20) <= 1, qPrintable(QString::number(m.bottom - m.top + 1)));
        // Background black, strokes bright.
        QCOMPARE(r.image.at(0, 0, 0), 0.0f);
        float hi = 0;
        for (float v : r.image.pixels) hi = std::max(hi, v);
        QVERIFY(hi > 0.9f);
    }

    void whiteOnBlack_staysAsIs_andBlankIsEmpty()
    {
        QImage digit(28, 28, QImage::Format_Grayscale8);
        digit.fill(0);
        QPainter p(&digit);
        p.fillRect(QRect(12, 4, 4, 20), Qt::white);
        p.end();
        const auto r = mnistLike(digit, 28);
        QVERIFY(!r.inverted);
        QVERIFY(!r.empty);
        QImage blank(50, 50, QImage::Format_Grayscale8);
        blank.fill(0);
        QVERIFY(mnistLike(blank, 28).empty);
        QImage white(50, 50, QImage::Format_Grayscale8);
        white.fill(255);
        QVERIFY(mnistLike(white, 28).empty);
    }

    void mouseStrokes_undoRedoClear()
    {
        DrawingCanvas canvas;
        canvas.resize(280, 280);
        canvas.show();
        QVERIFY(canvas.isBlank());
        QSignalSpy changed(&canvas, &DrawingCanvas::changed);
        QTest::mousePress(&canvas, Qt::LeftButton, Qt::NoModifier, QPoint(140, 40));
        for (int y = 40; y <= 240; y += 20) QTest::mouseMove(&canvas, QPoint(140, y));
        QTest::mouseRelease(&canvas, Qt::LeftButton, Qt::NoModifier, QPoint(140, 240));
        QVERIFY(!canvas.isBlank());
        QVERIFY(changed.count() >= 5);
        const il::Image drawn = canvas.toModelInput(28);
        const Moments m = moments(drawn);
        QVERIFY(std::abs(m.cx - 14.0) < 1.0);
        QVERIFY(canvas.canUndo());
        canvas.undo();
        QVERIFY(canvas.isBlank());
        QVERIFY(canvas.canRedo());
        canvas.redo();
        QVERIFY(!canvas.isBlank());
        QCOMPARE(canvas.toModelInput(28).pixels, drawn.pixels);
        canvas.setTool(DrawingCanvas::Tool::Eraser);
        canvas.setBrushSize(8.0);
        QTest::mousePress(&canvas, Qt::LeftButton, Qt::NoModifier, QPoint(140, 40));
        for (int y = 40; y <= 240; y += 5) QTest::mouseMove(&canvas, QPoint(140, y));
        QTest::mouseRelease(&canvas, Qt::LeftButton, Qt::NoModifier, QPoint(140, 240));
        QVERIFY(canvas.isBlank());  // the eraser took the whole bar
        canvas.undo();
        QVERIFY(!canvas.isBlank());
        canvas.clear();
        QVERIFY(canvas.isBlank());
        canvas.undo();
        QVERIFY(!canvas.isBlank());
    }

    // A mouse move repaints only the segment's rectangle (the GUI stays responsive while a deep
    // CNN trains); what is on screen afterwards must still be exactly a full repaint, for pen and
    // eraser, thin and thick, on a canvas larger than the sheet (smooth scaling blends pixels).
    void partialRepaints_leaveTheScreenAsAFullRepaint()
    {
        DrawingCanvas canvas;
        canvas.resize(700, 560);
        canvas.show();
        QVERIFY(QTest::qWaitForWindowExposed(&canvas));
        auto stroke = [&](QPoint from, QPoint to, int steps) {
            QTest::mousePress(&canvas, Qt::LeftButton, Qt::NoModifier, from);
            for (int i = 1; i <= steps; ++i) QTest::mouseMove(&canvas, from + (to - from) * i / steps);
            QTest::mouseRelease(&canvas, Qt::LeftButton, Qt::NoModifier, to);
        };
        stroke(QPoint(200, 100), QPoint(480, 460), 12);
        canvas.setBrushSize(6.0);
        stroke(QPoint(470, 90), QPoint(210, 470), 9);
        canvas.setTool(DrawingCanvas::Tool::Eraser);
        stroke(QPoint(150, 280), QPoint(560, 280), 7);
        QCoreApplication::processEvents();  // deliver the pending partial repaints
        const QImage onScreen = canvas.screen()->grabWindow(canvas.winId()).toImage().convertToFormat(QImage::Format_RGB32);
        const QImage full = canvas.grab().toImage().convertToFormat(QImage::Format_RGB32);
        QCOMPARE(onScreen.size(), full.size());
        QVERIFY(onScreen == full);
    }

    void loadedPicture_becomesTheDrawing()
    {
        DrawingCanvas canvas;
        QImage photo(200, 200, QImage::Format_RGB32);
        photo.fill(Qt::white);
        QPainter p(&photo);
        p.setPen(QPen(Qt::black, 12));
        p.drawEllipse(QRect(50, 40, 100, 120));
        p.end();
        canvas.setPicture(photo);
        QVERIFY(!canvas.isBlank());
        const Moments m = moments(canvas.toModelInput(28));
        QVERIFY(std::abs(m.cx - 14.0) < 1.0 && std::abs(m.cy - 14.0) < 1.0);
        QVERIFY(canvas.canUndo());
    }
};

QTEST_MAIN(DrawingCanvasTest)
#include "tst_drawing_canvas.moc"
