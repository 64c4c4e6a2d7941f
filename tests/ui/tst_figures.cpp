// Figure rendering for the GUI and the CLI: layout sizes, pixels where they belong, plots
// that draw offscreen, PNG/PDF export and its errors, and the il::Image <-> QImage bridge.
// Runs with QT_QPA_PLATFORM=offscreen; QCustomPlot needs a QApplication, hence QTEST_MAIN
// with Qt Widgets linked.
//
// Set IDENTITYLAB_FIGURE_SAMPLES=/some/folder to keep the rendered figures for a look.

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>
#include <qcustomplot.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "engine/train/results.h"
#include "ui/figures/activation_figure.h"
#include "ui/figures/axis_ticks.h"
#include "ui/figures/figure_export.h"
#include "ui/figures/image_convert.h"
#include "ui/figures/plots.h"
#include "ui/figures/probe_grid.h"

using namespace il::ui;

namespace {

constexpr int kColumns = 13;  // training image + 12 probes, as in Figures 2 and 3

// A 28x28 image whose 8-bit values differ by column, row and pixel, so a misplaced cell or
// a flipped axis shows up as a wrong pixel.
il::Image syntheticImage(int seed)
{
    il::Image image(1, 28, 28);
    for (int y = 0; y < 28; ++y)
        for (int x = 0; x < 28; ++x) image.at(0, y, x) = static_cast<float>((x * 7 + y * 13 + seed * 29) % 256) / 255.0f;
    return image;
}

il::Image inverted(const il::Image& image)
{
    il::Image out = image;
    for (float& v : out.pixels) v = 1.0f - v;
    return out;
}

ProbeGridData syntheticGrid()
{
    ProbeGridData data;
    for (int r = 0; r < 2; ++r) {
        ProbeGridRow row;
        row.label = QStringLiteral("CNN %1").arg(r == 0 ? 5 : 20);
        for (int c = 0; c < kColumns; ++c) {
            il::ProbeOutcome outcome;
            outcome.name = "probe " + std::to_string(c);
            outcome.input = syntheticImage(c);
            outcome.output = r == 0 ? inverted(outcome.input) : syntheticImage(c + 100);
            outcome.corrIdentity = r == 0 ? -1.0 : 0.25;
            outcome.corrConstant = 0.125 * c / kColumns;
            row.outcomes.push_back(outcome);
        }
        data.rows.push_back(row);
    }
    return data;
}

int greyAt(const QImage& image, int x, int y) { return qGray(image.pixel(x, y)); }

int distinctColours(const QImage& image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2) colours.insert(image.pixel(x, y));
    return static_cast<int>(colours.size());
}

bool containsColour(const QImage& image, QRgb colour)
{
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    for (int y = 0; y < rgb.height(); ++y) {
        const auto* line = reinterpret_cast<const QRgb*>(rgb.constScanLine(y));
        for (int x = 0; x < rgb.width(); ++x)
            if ((line[x] & 0xffffff) == (colour & 0xffffff)) return true;
    }
    return false;
}

std::vector<RhoRun> syntheticRhoRuns()
{
    std::vector<RhoRun> runs;
    for (int r = 0; r < 2; ++r) {
        RhoRun run;
        run.label = QStringLiteral("CNN %1").arg(r == 0 ? 3 : 20);
        for (int k = 0; k <= 10; ++k) {
            il::RhoPoint p;
            p.rho = k / 10.0;
            p.corrIdentity = r == 0 ? 0.95 : 0.9 * p.rho;
            p.corrConstant = r == 0 ? p.rho : 0.9;
            p.corrIdentityStd = 0.05;
            p.corrConstantStd = 0.05;
            const bool idHigh = p.corrIdentity >= il::kZoneHighThreshold;
            const bool cHigh = p.corrConstant >= il::kZoneHighThreshold;
            p.zone = idHigh && cHigh ? il::Zone::A : idHigh ? il::Zone::B : cHigh ? il::Zone::D : il::Zone::C;
            run.points.push_back(p);
        }
        runs.push_back(run);
    }
    return runs;
}

std::vector<LossRun> syntheticLoss()
{
    LossRun run;
    run.label = QStringLiteral("CNN 5");
    for (int step = 0; step <= 1000; step += 10) run.points.push_back({step, 0.1 * std::exp(-step / 200.0) + 1e-5, 0.01});
    run.points.push_back({1010, 0.0, 0.01});                                       // not drawable on a log axis
    run.points.push_back({1020, std::numeric_limits<double>::quiet_NaN(), 0.01});  // a diverged step
    return {run};
}

}  // namespace

class TstFigures : public QObject {
    Q_OBJECT

private:
    // Keeps a rendered figure when IDENTITYLAB_FIGURE_SAMPLES names a folder.
    void keep(const QImage& image, const QString& name)
    {
        const QString dir = qEnvironmentVariable("IDENTITYLAB_FIGURE_SAMPLES");
        if (dir.isEmpty()) return;
        QDir().mkpath(dir);
        QString error;
        QVERIFY2(savePng(image, QDir(dir).filePath(name), &error), qPrintable(error));
    }

private slots:
    // --- il::Image <-> QImage -------------------------------------------------------------

    void greyRoundTrip_isExactForEvery8BitValue()
    {
        il::Image image(1, 16, 16);
        for (int i = 0; i < 256; ++i) image.pixels[static_cast<std::size_t>(i)] = static_cast<float>(i) / 255.0f;
        const QImage q = toQImage(image);
        QCOMPARE(q.format(), QImage::Format_Grayscale8);
        for (int i = 0; i < 256; ++i) QCOMPARE(greyAt(q, i % 16, i / 16), i);
        const il::Image back = fromQImage(q, ChannelMode::Grey);
        QVERIFY(back.sameShape(image));
        QVERIFY(back.pixels == image.pixels);
    }

    void rgbRoundTrip_isExact()
    {
        QImage q(9, 7, QImage::Format_RGB32);
        for (int y = 0; y < q.height(); ++y)
            for (int x = 0; x < q.width(); ++x) q.setPixel(x, y, qRgb((x * 31) % 256, (y * 37) % 256, (x * y * 11) % 256));
        const il::Image image = fromQImage(q);
        QCOMPARE(image.channels, 3);
        QCOMPARE(image.width, 9);
        QCOMPARE(image.height, 7);
        QCOMPARE(image.at(1, 2, 3), static_cast<float>((2 * 37) % 256) / 255.0f);
        QCOMPARE(toQImage(image), q);
    }

    void fromQImage_autoPicksGreyForGreyPictures()
    {
        QImage q(4, 4, QImage::Format_RGB32);
        q.fill(qRgb(128, 128, 128));
        QCOMPARE(fromQImage(q).channels, 1);
        q.setPixel(0, 0, qRgb(255, 0, 0));
        QCOMPARE(fromQImage(q).channels, 3);
    }

    void toQImage_clipsToUnitRangeAndShowsNanAsBlack()
    {
        il::Image image(1, 1, 4);
        image.pixels = {-0.5f, 1.7f, std::numeric_limits<float>::quiet_NaN(), 0.5f};
        const QImage q = toQImage(image);
        QCOMPARE(greyAt(q, 0, 0), 0);
        QCOMPARE(greyAt(q, 1, 0), 255);
        QCOMPARE(greyAt(q, 2, 0), 0);
        QCOMPARE(greyAt(q, 3, 0), 128);
    }

    void toQImage_upscalesByNearestNeighbour()
    {
        il::Image image(1, 2, 2);
        image.pixels = {0.0f, 1.0f, 1.0f, 0.0f};
        const QImage q = toQImage(image, 3);
        QCOMPARE(q.size(), QSize(6, 6));
        for (int y = 0; y < 6; ++y)
            for (int x = 0; x < 6; ++x) QCOMPARE(greyAt(q, x, y), ((x / 3) ^ (y / 3)) ? 255 : 0);
    }

    void toQImage_rejectsUnshowableChannelCounts()
    {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, toQImage(il::Image(2, 4, 4)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, toQImage(il::Image(1, 4, 4), 0));
    }

    void colorMapped_mapsLoAndHiToTheEndsOfTheTable()
    {
        il::Image image(1, 1, 5);
        image.pixels = {-1.0f, 2.0f, 4.0f, 9.0f, std::numeric_limits<float>::quiet_NaN()};
        const QImage q = toColorMapped(image, 2.0f, 4.0f, ColorMap::Viridis, 2);
        QCOMPARE(q.size(), QSize(10, 2));
        const auto& table = colorMapTable(ColorMap::Viridis);
        QCOMPARE(q.pixel(0, 0), table[0]);
        QCOMPARE(q.pixel(2, 1), table[0]);
        QCOMPARE(q.pixel(4, 0), table[255]);
        QCOMPARE(q.pixel(6, 0), table[255]);
        QCOMPARE(q.pixel(8, 0), table[0]);
    }

    void paperColorMap_runsFromBlueToGreen()
    {
        const auto& table = colorMapTable(ColorMap::Paper);
        QVERIFY(qBlue(table[0]) > 200 && qGreen(table[0]) < 50);
        QVERIFY(qGreen(table[255]) > 200 && qBlue(table[255]) < 160);
    }

    void colorMapNames_roundTrip()
    {
        for (ColorMap map : allColorMaps()) QCOMPARE(colorMapFromName(colorMapName(map)), std::optional<ColorMap>(map));
        QCOMPARE(colorMapFromName(QStringLiteral("Winter")), std::optional<ColorMap>(ColorMap::Paper));
        QVERIFY(!colorMapFromName(QStringLiteral("no such map")).has_value());
    }

    // --- probe grid ------------------------------------------------------------------------

    void probeGrid_sizeIsTheDocumentedLayout_atScale1And2()
    {
        const ProbeGridData data = syntheticGrid();
        ProbeGridOptions options;
        options.labelWidth = 60;  // fixed, so the size does not depend on the installed font
        // margin 10 | labels 60 | pad 8 | 13 cells of 56 with 12 gaps of 4 | +12 lane at the red line | margin 10
        const QSize expected1(10 + 60 + 8 + 13 * 56 + 12 * 4 + 12 + 10,
                              // margin | input row | gap 4 + 4 | model row | gap 4 | model row | margin
                              10 + 56 + 8 + 56 + 4 + 56 + 10);
        QCOMPARE(expected1, QSize(876, 200));
        QCOMPARE(probeGridLayout(data, options).size, expected1);
        const QImage one = renderProbeGrid(data, options);
        QCOMPARE(one.size(), expected1);

        options.style.scale = 2;
        QCOMPARE(probeGridLayout(data, options).size, expected1 * 2);
        const QImage two = renderProbeGrid(data, options);
        QCOMPARE(two.size(), expected1 * 2);
        keep(two, QStringLiteral("probe-grid-2x.png"));
    }

    void probeGrid_cellsHoldTheImagePixels_data()
    {
        QTest::addColumn<int>("scale");
        QTest::newRow("1x") << 1;
        QTest::newRow("2x") << 2;
    }

    void probeGrid_cellsHoldTheImagePixels()
    {
        QFETCH(int, scale);
        const ProbeGridData data = syntheticGrid();
        ProbeGridOptions options;
        options.style.scale = scale;
        const ProbeGridLayout layout = probeGridLayout(data, options);
        const QImage image = renderProbeGrid(data, options);
        QCOMPARE(layout.cellRect(0, 0).topLeft(), QPoint(layout.columnX[0], 10 * scale));
        const int factor = 2 * scale;  // 56 px cells show 28 px images at 2x per scale
        for (int row = 0; row < 3; ++row) {
            for (int c = 0; c < kColumns; ++c) {
                const il::ProbeOutcome& o = data.rows[static_cast<std::size_t>(std::max(0, row - 1))].outcomes[static_cast<std::size_t>(c)];
                const il::Image& shown = row == 0 ? o.input : o.output;
                const QRect cell = layout.cellRect(row, c);
                for (int y = 0; y < 28; ++y) {
                    for (int x = 0; x < 28; ++x) {
                        const int expected = static_cast<int>(std::lround(shown.at(0, y, x) * 255.0f));
                        // both corners of the block: nearest-neighbour upscaling, no smoothing
                        const int a = greyAt(image, cell.left() + x * factor, cell.top() + y * factor);
                        const int b = greyAt(image, cell.left() + x * factor + factor - 1, cell.top() + y * factor + factor - 1);
                        if (a != expected || b != expected)
                            QFAIL(qPrintable(QStringLiteral("row %1 column %2 pixel (%3, %4): %5/%6, expected %7")
                                                 .arg(row)
                                                 .arg(c)
                                                 .arg(x)
                                                 .arg(y)
                                                 .arg(a)
                                                 .arg(b)
                                                 .arg(expected)));
                    }
                }
            }
        }
    }

    void probeGrid_isNotBlank()
    {
        const QImage image = renderProbeGrid(syntheticGrid());
        QVERIFY(distinctColours(image) > 100);
        QCOMPARE(image.pixel(0, 0), qRgb(255, 255, 255));  // white margin
    }

    void probeGrid_drawsTheRedDashedLineAfterTheTrainingColumn()
    {
        const ProbeGridData data = syntheticGrid();
        const ProbeGridLayout layout = probeGridLayout(data);
        QVERIFY(layout.separatorX > layout.cellRect(0, 0).right());
        QVERIFY(layout.separatorX < layout.cellRect(0, 1).left());
        const QImage image = renderProbeGrid(data);
        const QColor red = FigureStyle().separator;
        const int top = layout.rowY.front();
        QCOMPARE(image.pixel(layout.separatorX, top + 1), red.rgb());             // inside the first dash
        QCOMPARE(image.pixel(layout.separatorX, top + 14), qRgb(255, 255, 255));  // in the gap after it
        // and no red line between two probe columns
        const int between = (layout.cellRect(0, 1).right() + layout.cellRect(0, 2).left()) / 2;
        QCOMPARE(image.pixel(between, top + 1), qRgb(255, 255, 255));

        ProbeGridOptions none;
        none.trainingColumns = 0;
        QCOMPARE(probeGridLayout(data, none).separatorX, -1);
    }

    void probeGrid_captionsAndReferenceRowsAddRoom()
    {
        ProbeGridData data = syntheticGrid();
        ProbeGridOptions options;
        const int plain = probeGridLayout(data, options).size.height();
        options.showCaptions = true;
        options.showColumnTitles = true;
        const ProbeGridLayout captioned = probeGridLayout(data, options);
        QVERIFY(captioned.captionHeight > 0);
        QVERIFY(captioned.size.height() > plain + 2 * captioned.captionHeight);
        ProbeGridRow reference = data.rows.back();
        reference.label = QStringLiteral("Theorem 1");
        reference.reference = true;
        data.rows.push_back(reference);
        const ProbeGridLayout withReference = probeGridLayout(data, options);
        // one more row plus the gap that sets a reference row apart
        QVERIFY(withReference.rowY[3] - withReference.rowY[2] > captioned.rowY[2] - captioned.rowY[1]);
        const QImage image = renderProbeGrid(data, options);
        QCOMPARE(image.size(), withReference.size);
        keep(image, QStringLiteral("probe-grid-captions.png"));
    }

    void probeGrid_cellAtFindsTheCellUnderAPoint()
    {
        const ProbeGridLayout layout = probeGridLayout(syntheticGrid());
        QCOMPARE(layout.cellAt(layout.cellRect(2, 7).center()), QPoint(7, 2));
        QCOMPARE(layout.cellAt(QPoint(layout.separatorX, layout.rowY[1] + 5)), QPoint(-1, -1));
        QCOMPARE(layout.cellAt(QPoint(0, 0)), QPoint(-1, -1));
    }

    void correlationCaption_printsLikeThePaper()
    {
        QCOMPARE(correlationCaption(0.971, 0.12), QStringLiteral("id .97 / c .12"));
        QCOMPARE(formatCorrelation(-0.123), QStringLiteral("-.12"));
        QCOMPARE(formatCorrelation(1.0), QStringLiteral("1.00"));
        QCOMPARE(formatCorrelation(-0.001), QStringLiteral(".00"));
        QCOMPARE(formatCorrelation(std::nan("")), QStringLiteral("n/a"));
    }

    void probeGrid_withoutRowsIsAnEmptyWhiteFigure()
    {
        const QImage image = renderProbeGrid(ProbeGridData{});
        QVERIFY(!image.isNull());
        QCOMPARE(distinctColours(image), 1);
    }

    // --- activation figure -------------------------------------------------------------------

    void activationFigure_colourMapsHiddenRowsAndAddsAColourBar()
    {
        il::ActivationGrid grid;
        grid.layers = {"input", "relu 1", "relu 2", "output"};
        grid.probes = {"train 7", "mnist 4", "square"};
        for (std::size_t l = 0; l < grid.layers.size(); ++l) {
            std::vector<il::Image> row;
            for (int c = 0; c < 3; ++c) {
                il::Image map = syntheticImage(c);
                if (l == 1 || l == 2)
                    for (float& v : map.pixels) v = v * 3.0f * static_cast<float>(l) - 0.5f;  // outside [0, 1]
                row.push_back(map);
            }
            grid.maps.push_back(row);
        }
        ActivationFigureOptions options;
        const auto styles = activationRowStyles(grid, options);
        QVERIFY(styles.front().grey && styles.back().grey);
        QVERIFY(!styles[1].grey && !styles[2].grey);
        QCOMPARE(styles[1].lo, styles[2].lo);  // shared range
        QVERIFY(std::abs(styles[1].lo - (-0.5)) < 1e-6);
        QVERIFY(std::abs(styles[1].hi - 5.5) < 1e-6);

        const QImage shared = renderActivationFigure(grid, options);
        const ActivationFigureLayout layout = activationFigureLayout(grid, options);
        QCOMPARE(shared.size(), layout.size);
        QVERIFY(layout.colorBars && layout.barX > layout.cellRect(0, 2).right());
        QCOMPARE(layout.cellAt(layout.cellRect(3, 1).center()), QPoint(1, 3));
        QCOMPARE(layout.cellAt(QPoint(layout.barX + 1, layout.cellRect(1, 0).center().y())), QPoint(-1, -1));
        // the grey output row shows the map as it is, 2x per pixel
        const QRect out = layout.cellRect(3, 2);
        QCOMPARE(greyAt(shared, out.left() + 2 * 5, out.top() + 2 * 9),
                 static_cast<int>(std::lround(grid.maps[3][2].at(0, 9, 5) * 255.0f)));
        // a hidden row is coloured: its pixel is the table entry for the value
        const QRect hidden = layout.cellRect(1, 0);
        const double v = grid.maps[1][0].at(0, 4, 6);
        const int index = static_cast<int>(std::lround((v - styles[1].lo) / (styles[1].hi - styles[1].lo) * 255.0));
        const QRgb seen = shared.pixel(hidden.left() + 2 * 6 + 1, hidden.top() + 2 * 4 + 1);
        const auto& paper = colorMapTable(ColorMap::Paper);
        bool nearby = false;  // float rounding in the renderer may land one entry off
        for (int i = std::max(0, index - 1); i <= std::min(255, index + 1); ++i)
            nearby = nearby || seen == paper[static_cast<std::size_t>(i)];
        QVERIFY(nearby);
        QVERIFY(distinctColours(shared) > 50);
        // the extremes of the shared range appear as the ends of the colour table
        QVERIFY(containsColour(shared, colorMapTable(ColorMap::Paper)[0]));
        QVERIFY(containsColour(shared, colorMapTable(ColorMap::Paper)[255]));
        keep(shared, QStringLiteral("activations-shared.png"));

        options.colorScale = ColorScaleMode::PerLayer;
        options.colorMap = ColorMap::Viridis;
        options.style.scale = 2;
        const auto perLayer = activationRowStyles(grid, options);
        QVERIFY(perLayer[1].hi < perLayer[2].hi);
        const QImage own = renderActivationFigure(grid, options);
        QVERIFY(own.width() > shared.width() * 2 - 40);
        QVERIFY(containsColour(own, colorMapTable(ColorMap::Viridis)[255]));
        keep(own, QStringLiteral("activations-per-layer-2x.png"));
    }

    void colourBarTicks_areRound()
    {
        const Ticks ticks = niceTicks(0.0, 3.4, 5);
        QCOMPARE(ticks.values, (std::vector<double>{0.0, 1.0, 2.0, 3.0}));
        QCOMPARE(formatTick(0.25, 0.25), QStringLiteral("0.25"));
        QCOMPARE(formatTick(-1e-17, 0.5), QStringLiteral("0.0"));
        QCOMPARE(formatTick(2.0, 1.0), QStringLiteral("2"));
    }

    // --- plots --------------------------------------------------------------------------------

    void rhoZonePlot_rendersAtTheAskedSize_data()
    {
        QTest::addColumn<int>("scale");
        QTest::newRow("1x") << 1;
        QTest::newRow("2x") << 2;
    }

    void rhoZonePlot_rendersAtTheAskedSize()
    {
        QFETCH(int, scale);
        RhoPlotOptions options;
        options.style.scale = scale;
        const QImage image = renderRhoZonePlot(syntheticRhoRuns(), QSize(640, 420), options);
        QCOMPARE(image.size(), QSize(640, 420) * scale);
        QVERIFY(distinctColours(image) > 30);
        // the zone strip was drawn: solid bands in the colours of the zones the runs visit
        QVERIFY(containsColour(image, zoneColor(il::Zone::A).rgb()));
        QVERIFY(containsColour(image, zoneColor(il::Zone::D).rgb()));
        // and the runs' colours are in the curves
        QVERIFY(containsColour(image, runColor(0).rgb()));
        keep(image, QStringLiteral("rho-zones-%1x.png").arg(scale));
    }

    void lossPlot_rendersAtTheAskedSize()
    {
        FigureStyle style;
        style.scale = 2;
        const QImage image = renderLossPlot(syntheticLoss(), {400, 800}, QSize(500, 300), style);
        QCOMPARE(image.size(), QSize(1000, 600));
        QVERIFY(distinctColours(image) > 20);
        QVERIFY(containsColour(image, runColor(0).rgb()));
        keep(image, QStringLiteral("loss-2x.png"));
        // nothing drawable at all still gives a frame, not a crash
        QCOMPARE(renderLossPlot({}, {}, QSize(300, 200)).size(), QSize(300, 200));
    }

    void layerErrorPlot_rendersOneCurvePerRun()
    {
        std::vector<LayerErrorRun> runs;
        for (int depth : {5, 20}) {
            LayerErrorRun run;
            run.label = QStringLiteral("CNN %1").arg(depth);
            for (int k = 0; k <= depth; ++k) {
                run.curve.layers.push_back(k == 0 ? std::string("input") : "conv " + std::to_string(k));
                run.curve.error.push_back(0.1 + 0.2 * std::sin(3.14159 * k / depth));
            }
            runs.push_back(run);
        }
        const QImage image = renderLayerErrorPlot(runs, QSize(600, 380));
        QCOMPARE(image.size(), QSize(600, 380));
        QVERIFY(containsColour(image, runColor(0).rgb()));
        QVERIFY(containsColour(image, runColor(1).rgb()));
        keep(image, QStringLiteral("layer-error.png"));
    }

    void rhoZonePlot_wrapsAManyRunLegendIntoRowsOfFour()
    {
        // rho-zones has 8 runs: with the two line-style keys 10 entries, which in one row were
        // squeezed until each run's name was cut to its first letter.
        std::vector<RhoRun> runs;
        for (int i = 0; i < 4; ++i)
            for (const RhoRun& r : syntheticRhoRuns()) {
                runs.push_back(r);
                runs.back().label += QStringLiteral(" #%1").arg(i);
            }
        QCustomPlot plot;
        configureRhoZonePlot(&plot, runs);
        int entries = 0;
        for (int i = 0; i < plot.legend->itemCount(); ++i) entries += plot.legend->item(i) ? 1 : 0;
        QCOMPARE(entries, 10);
        QCOMPARE(plot.legend->columnCount(), 4);
        QCOMPARE(plot.legend->rowCount(), 3);
        auto* first = qobject_cast<QCPPlottableLegendItem*>(plot.legend->item(0));
        QVERIFY(first);
        QCOMPARE(first->plottable()->name(), runs[0].label);  // the runs first, in order
        // and each of the 8 runs in a colour of its own
        QSet<QRgb> colours;
        for (int i = 0; i < int(runs.size()); ++i) colours.insert(runColor(i).rgb());
        QCOMPARE(colours.size(), int(runs.size()));
    }

    void layerErrorPlot_putsItsLegendWhereNoCurveIs()
    {
        // The layer-classifier preset's shape: a deep net whose error climbs to 100 % and stays
        // high to the last layer fills the top right, where the legend used to sit.
        LayerErrorRun run;
        run.label = QStringLiteral("CNN 20");
        for (int k = 0; k <= 20; ++k) {
            run.curve.layers.push_back(k == 0 ? std::string("input") : "layer " + std::to_string(k));
            run.curve.error.push_back(std::min(1.0, 0.25 + 0.06 * k));
        }
        QCustomPlot plot;
        configureLayerErrorPlot(&plot, {run});
        const Qt::Alignment corner = plot.axisRect()->insetLayout()->insetAlignment(0);
        QCOMPARE(corner, Qt::Alignment(Qt::AlignBottom | Qt::AlignRight));
        // A curve that falls away to the right leaves the top right free: the legend stays there.
        for (double& e : run.curve.error) e = 1.0 - e;
        configureLayerErrorPlot(&plot, {run});
        QCOMPARE(plot.axisRect()->insetLayout()->insetAlignment(0), Qt::Alignment(Qt::AlignTop | Qt::AlignRight));
    }

    void configure_canBeCalledAgainOnTheSameWidget()
    {
        // The GUI reconfigures one live widget whenever new data arrives.
        QCustomPlot plot;
        configureRhoZonePlot(&plot, syntheticRhoRuns());
        configureLossPlot(&plot, syntheticLoss(), {500});
        configureRhoZonePlot(&plot, syntheticRhoRuns());
        QCOMPARE(plot.axisRectCount(), 2);  // main plot and zone strip, nothing left over
        const QImage image = renderPlot(plot, QSize(500, 400), 1);
        QCOMPARE(image.size(), QSize(500, 400));
        QVERIFY(containsColour(image, zoneColor(il::Zone::A).rgb()));
    }

    // --- export -------------------------------------------------------------------------------

    void savePng_writesAFileThatReadsBack()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QImage image = renderProbeGrid(syntheticGrid());
        const QString path = dir.filePath(QStringLiteral("grid.png"));
        QString error;
        QVERIFY2(savePng(image, path, &error), qPrintable(error));
        QVERIFY(error.isEmpty());
        const QImage back(path);
        QCOMPARE(back.convertToFormat(QImage::Format_RGB32), image.convertToFormat(QImage::Format_RGB32));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("grid.png")});  // no temporary left
    }

    void savePng_toAMissingFolder_failsWithAMessage()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("no/such/folder/grid.png"));
        QString error;
        QVERIFY(!savePng(renderProbeGrid(syntheticGrid()), path, &error));
        QVERIFY2(error.contains(QStringLiteral("does not exist")), qPrintable(error));
        QVERIFY(!QFileInfo::exists(path));
    }

    void savePng_underAFile_failsWithAMessage()
    {
        QTemporaryDir dir;
        QFile blocker(dir.filePath(QStringLiteral("file")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        QString error;
        QVERIFY(!savePng(renderProbeGrid(syntheticGrid()), dir.filePath(QStringLiteral("file/grid.png")), &error));
        QVERIFY2(error.contains(QStringLiteral("not a folder")), qPrintable(error));
    }

    void savePng_toAReadOnlyFolder_failsWithAMessage()
    {
        QTemporaryDir dir;
        const QString locked = dir.filePath(QStringLiteral("locked"));
        QVERIFY(QDir().mkdir(locked));
        QVERIFY(QFile::setPermissions(locked, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
        if (QFileInfo(locked).isWritable()) {
            QFile::setPermissions(locked, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
            // QSKIP itself is a variadic macro that -Wpedantic rejects in C++17.
            QTest::qSkip("running as root: permissions do not stop writes", __FILE__, __LINE__);
            return;
        }
        QString error;
        const bool saved = savePng(renderProbeGrid(syntheticGrid()), QDir(locked).filePath(QStringLiteral("grid.png")), &error);
        QFile::setPermissions(locked, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        QVERIFY(!saved);
        QVERIFY2(error.contains(QStringLiteral("not writable")), qPrintable(error));
    }

    void savePng_ofANullImage_fails()
    {
        QTemporaryDir dir;
        QString error;
        QVERIFY(!savePng(QImage(), dir.filePath(QStringLiteral("x.png")), &error));
        QVERIFY(!error.isEmpty());
    }

    void savePlotPdf_writesAPdfAndReportsAMissingFolder()
    {
        QTemporaryDir dir;
        QCustomPlot plot;
        configureRhoZonePlot(&plot, syntheticRhoRuns());
        const QString path = dir.filePath(QStringLiteral("rho.pdf"));
        QString error;
        QVERIFY2(savePlotPdf(plot, path, QSize(500, 360), &error), qPrintable(error));
        QFile pdf(path);
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QVERIFY(pdf.read(5).startsWith("%PDF-"));
        QVERIFY(pdf.size() > 2000);
        QVERIFY(!savePlotPdf(plot, dir.filePath(QStringLiteral("missing/rho.pdf")), QSize(500, 360), &error));
        QVERIFY2(error.contains(QStringLiteral("does not exist")), qPrintable(error));
    }
};

QTEST_MAIN(TstFigures)
#include "tst_figures.moc"
