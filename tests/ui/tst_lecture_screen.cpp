// A screen for a lecture hall: presentation mode draws the views twice as large, the window
// opens at a size that fits its screen, a deep network's activation grid fills its pane (its
// layers wrapped into side-by-side blocks, labels never cut), and the rho view says how its
// inputs are made.

#include <QDockWidget>
#include <QFontMetrics>
#include <QLabel>
#include <QScreen>
#include <QStandardPaths>
#include <QTest>
#include <qcustomplot.h>

#include <memory>

#include "support/gui_test_helpers.h"
#include "ui/figures/activation_figure.h"
#include "ui/figures/plot_style.h"
#include "ui/mainwindow/main_window.h"
#include "ui/views/activations_view.h"
#include "ui/views/outputs_view.h"
#include "ui/views/plot_views.h"
#include "ui/views/run_view.h"

using il::ui::ActivationsView;
using il::ui::MainWindow;
using il::ui::RunView;

namespace {

// A 20-layer network's grid: input, 20 layers, output; row r is filled with r / rows.
il::ActivationGrid deepGrid(int rows = 22, int probes = 3)
{
    il::ActivationGrid grid;
    for (int p = 0; p < probes; ++p) grid.probes.push_back("probe " + std::to_string(p));
    for (int r = 0; r < rows; ++r) {
        grid.layers.push_back(r == 0 ? "input" : r == rows - 1 ? "output" : "conv " + std::to_string(r) + " (128 ch)");
        grid.layerChannels.push_back(r == 0 || r == rows - 1 ? 1 : 128);
        std::vector<il::Image> maps;
        for (int p = 0; p < probes; ++p) maps.push_back(il::Image(1, 28, 28, static_cast<float>(r) / static_cast<float>(rows)));
        grid.maps.push_back(std::move(maps));
    }
    return grid;
}

struct ZoomGuard {
    ~ZoomGuard() { RunView::setScreenZoom(1); }
};

}  // namespace

class LectureScreenTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("IdentityLabTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_lecture_screen"));
    }

    void deepActivationGrid_wrapsIntoBlocks_thatFillThePane_andClicksFindTheirLayer()
    {
        ActivationsView view;
        view.resize(1500, 700);
        view.show();
        auto run = std::make_shared<il::ui::RunRecord>();
        run->id = 7;
        view.setRun(run);
        const il::ActivationGrid grid = deepGrid();
        view.setLiveGrid(grid, {});
        view.redrawNow();
        QVERIFY(view.hasContent());
        QVERIFY2(view.shownBlocks() >= 2, qPrintable(QString::number(view.shownBlocks())));

        // Bigger cells than one column of 22 rows could have, and most of the pane's width used.
        const QRectF shown = view.figureRectOnScreen();
        auto* target = view.findChild<il::ui::FigureLabel*>(QStringLiteral("activationFigure"));
        QVERIFY(target);
        // It fills the pane in the dimension that limits it.
        QVERIFY2(shown.width() > target->width() * 0.85 || shown.height() > target->height() * 0.85,
                 qPrintable(QStringLiteral("%1x%2 in %3x%4").arg(shown.width()).arg(shown.height()).arg(target->width()).arg(target->height())));
        const int oneColumn = il::ui::fittingCellSize(target->size(), 3, 22, 28, 170, 4);
        QVERIFY2(view.shownCellSize() > oneColumn, qPrintable(QStringLiteral("%1 <= %2").arg(view.shownCellSize()).arg(oneColumn)));

        // A click on the middle of each layer's first cell selects that layer, in every block.
        const QImage image = view.figureImage();
        const int perBlock = (22 + view.shownBlocks() - 1) / view.shownBlocks();
        int left = 0;
        for (int first = 0; first < 22; first += perBlock) {
            const int rows = std::min(perBlock, 22 - first);
            il::ui::ActivationFigureOptions o = view.figureOptions(1, view.shownCellSize());
            o.firstRow = first;
            o.totalRows = 22;
            o.showColorBar = first + perBlock >= 22;
            const il::ActivationGrid part = il::ui::activationRows(grid, first, rows);
            const auto layout = il::ui::activationFigureLayout(part, o);
            for (int r = 0; r < rows; ++r) {
                const QPointF inImage = QPointF(left, 0) + QRectF(layout.cellRect(r, 1)).center();
                const QPointF onScreen = shown.topLeft() + QPointF(inImage.x() * shown.width() / image.width(), inImage.y() * shown.height() / image.height());
                QTest::mouseClick(target, Qt::LeftButton, {}, onScreen.toPoint());
                QCOMPARE(view.selectedLayer(), first + r);
                QCOMPARE(view.selectedProbe(), 1);
            }
            left += il::ui::renderActivationFigure(part, o).width();
        }
    }

    // Text grows with the pane as the cells do; presentation mode doubles it in any pane.
    void figures_growWithTheirPane_andWithPresentationMode()
    {
        ZoomGuard guard;
        ActivationsView view;
        auto run = std::make_shared<il::ui::RunRecord>();
        run->id = 3;
        view.setRun(run);
        view.setLiveGrid(deepGrid(4, 2), {});
        view.show();
        view.resize(520, 330);
        view.redrawNow();
        QCOMPARE(view.shownZoom(), 1);
        view.resize(1600, 1000);
        view.redrawNow();
        QVERIFY2(view.shownZoom() >= 2, qPrintable(QString::number(view.shownZoom())));
        view.resize(1000, 640);
        RunView::setScreenZoom(2);
        view.redrawNow();
        QCOMPARE(view.shownZoom(), 2);
        // Drawn at twice the pixels per logical pixel, shown at the screen's ratio: larger.
        QCOMPARE(view.figureImage().devicePixelRatio(), 1.0);
        // A 20-layer grid in a low pane: larger text never costs more than a fifth of the cells.
        view.setLiveGrid(deepGrid(22, 9), {});
        view.resize(1000, 500);
        auto cellOnScreen = [&] {
            view.redrawNow();
            return view.shownCellSize() * view.shownZoom() * view.figureRectOnScreen().width() / view.figureImage().width();
        };
        RunView::setScreenZoom(1);
        const double normal = cellOnScreen();
        RunView::setScreenZoom(2);
        const double presented = cellOnScreen();
        QVERIFY2(presented >= 0.8 * normal - 0.5, qPrintable(QStringLiteral("%1 -> %2 px").arg(normal).arg(presented)));
        QCOMPARE(il::ui::figureZoom(56, 28, 1), 1);
        QCOMPARE(il::ui::figureZoom(112, 28, 1), 2);
        QCOMPARE(il::ui::figureZoom(168 * 3, 28, 1), 3);
        QCOMPARE(il::ui::figureZoom(28, 28, 2), 2);
    }

    void wrappedBlocks_keepTheWholeGridsGreyRows_andLabelsAreNeverCut()
    {
        const il::ActivationGrid grid = deepGrid();
        il::ui::ActivationFigureOptions o;
        o.labelWidth = 20;  // narrower than any name: the names must widen it
        o.totalRows = 22;
        for (int first : {0, 8, 16}) {
            o.firstRow = first;
            const il::ActivationGrid part = il::ui::activationRows(grid, first, 8);
            const auto styles = il::ui::activationRowStyles(part, o);
            for (std::size_t r = 0; r < styles.size(); ++r) {
                const int whole = first + static_cast<int>(r);
                QCOMPARE(styles[r].grey, whole == 0 || whole == 21);
            }
            const auto layout = il::ui::activationFigureLayout(part, o);
            const QFontMetrics metrics(o.style.font(o.style.labelPx));
            for (const auto& name : part.layers) QVERIFY(layout.labelWidth >= metrics.horizontalAdvance(QString::fromStdString(name)));
        }
    }

    // Cells narrower than a title's words: the titles go upwards, whole, never "m...".
    void narrowCells_writeColumnTitlesUpwards_whole()
    {
        il::ActivationGrid grid = deepGrid(5, 3);
        grid.probes = {"mnist 6", "fashion pullover", "coarse stripes"};
        il::ui::ActivationFigureOptions o;
        o.showColumnTitles = true;
        o.cellSize = 56;
        QVERIFY(!il::ui::activationFigureLayout(grid, o).titlesRotated);
        o.cellSize = 20;
        const auto layout = il::ui::activationFigureLayout(grid, o);
        QVERIFY(layout.titlesRotated);
        const QFontMetrics metrics(o.style.font(o.style.tickPx));
        QCOMPARE(layout.titleHeight, metrics.horizontalAdvance(QStringLiteral("fashion pullover")));
        QVERIFY(layout.rowY.front() >= layout.titleHeight);
        // Ink above the second column reaches (nearly) the top of the band: the whole title.
        const QImage image = il::ui::renderActivationFigure(grid, o);
        const QRect cell = layout.cellRect(0, 1);
        int highest = cell.top();
        for (int y = 0; y < cell.top(); ++y)
            for (int x = cell.left(); x < cell.right(); ++x)
                if (qGray(image.pixel(x, y)) < 128) highest = std::min(highest, y);
        QVERIFY2(cell.top() - highest >= layout.titleHeight * 8 / 10, qPrintable(QStringLiteral("%1 of %2").arg(cell.top() - highest).arg(layout.titleHeight)));
    }

    void presentationMode_drawsTheViewsTwiceAsLarge_andBack()
    {
        ZoomGuard guard;
        MainWindow w;
        w.show();
        const QFont normal = w.outputsView()->font();
        auto* header = w.outputsView()->findChild<QLabel*>(QStringLiteral("viewHeader"));
        QVERIFY(header);
        header->ensurePolished();
        const double headerBefore = header->font().pointSizeF();
        w.setPresentationMode(true);
        header->ensurePolished();
        QVERIFY2(header->font().pointSizeF() >= 2 * headerBefore - 0.01,
                 qPrintable(QStringLiteral("header %1 -> %2 pt").arg(headerBefore).arg(header->font().pointSizeF())));
        QVERIFY(w.isPresentationMode());
        QCOMPARE(RunView::screenZoom(), MainWindow::kPresentationZoom);
        QVERIFY(w.findChild<QDockWidget*>(QStringLiteral("experimentDock"))->isHidden());
        w.outputsView()->ensurePolished();
        const QFont large = w.outputsView()->font();
        const double before = normal.pixelSize() > 0 ? normal.pixelSize() : normal.pointSizeF();
        const double after = large.pixelSize() > 0 ? large.pixelSize() : large.pointSizeF();
        QVERIFY2(after >= 2 * before - 0.01, qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(after)));
        w.setPresentationMode(false);
        QVERIFY(!w.isPresentationMode());
        QCOMPARE(RunView::screenZoom(), 1);
        w.outputsView()->ensurePolished();
        QCOMPARE(w.outputsView()->font().pointSizeF(), normal.pointSizeF());
    }

    void enlargeText_doublesEveryFontAndCurve()
    {
        QCustomPlot plot;
        il::ui::FigureStyle style;
        QCPAxisRect* rect = il::ui::resetPlot(&plot, style);
        rect->axis(QCPAxis::atBottom)->setLabel(QStringLiteral("rho"));
        plot.addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        plot.graph(0)->setPen(QPen(Qt::black, 1.5));
        plot.legend->setVisible(true);
        const int label = rect->axis(QCPAxis::atBottom)->labelFont().pixelSize();
        const int tick = rect->axis(QCPAxis::atLeft)->tickLabelFont().pixelSize();
        const int legend = plot.legend->font().pixelSize();
        QVERIFY(label > 0 && tick > 0 && legend > 0);
        il::ui::enlargeText(&plot, 2);
        QCOMPARE(rect->axis(QCPAxis::atBottom)->labelFont().pixelSize(), 2 * label);
        QCOMPARE(rect->axis(QCPAxis::atLeft)->tickLabelFont().pixelSize(), 2 * tick);
        QCOMPARE(plot.legend->font().pixelSize(), 2 * legend);
        QCOMPARE(plot.graph(0)->pen().widthF(), 3.0);
    }

    void firstStart_opensAtMostOfTheScreen_withinIt()
    {
        MainWindow w;  // test-mode settings: no saved geometry
        const QRect available = w.screen()->availableGeometry();
        QVERIFY2(available.contains(w.geometry()), qPrintable(QStringLiteral("%1x%2 on %3x%4")
                                                                   .arg(w.width())
                                                                   .arg(w.height())
                                                                   .arg(available.width())
                                                                   .arg(available.height())));
        QVERIFY(w.width() >= available.width() * 8 / 10);
        QVERIFY(w.height() >= available.height() * 8 / 10);
    }

    void rhoView_saysHowItsInputsAreMade()
    {
        il::ui::RhoView view;
        view.redrawNow();
        auto* header = view.findChild<QLabel*>(QStringLiteral("viewHeader"));
        QVERIFY(header);
        QVERIFY2(header->text().contains(QStringLiteral("orthogonal")) && header->text().contains(QStringLiteral("noise")),
                 qPrintable(header->text()));
    }
};

QTEST_MAIN(LectureScreenTest)
#include "tst_lecture_screen.moc"
