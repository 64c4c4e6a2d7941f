// Pieces of the app that need no training: the activation figure's click mapping, run files,
// sweep values, the data set browser, the history bar.

#include <QDataStream>
#include <QFile>
#include <QListWidget>
#include <QScrollArea>
#include <QScrollBar>
#include <QSlider>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "support/gui_test_helpers.h"
#include "ui/figures/activation_figure.h"
#include "ui/panels/dataset_browser.h"
#include "ui/panels/history_bar.h"
#include "ui/panels/sweep_dialog.h"
#include "ui/run/run_file.h"
#include "ui/views/activations_view.h"
#include "ui/views/gallery_view.h"
#include "ui/views/outputs_view.h"

namespace {

// Three rows (grey input, one hidden layer, grey output) of two probes; every cell one value.
il::ActivationGrid constantGrid()
{
    il::ActivationGrid g;
    g.layers = {"input", "layer 1", "output 2"};
    g.probes = {"first", "second probe"};
    g.layerChannels = {1, 8, 1};
    g.maps = {{il::Image(1, 28, 28, 0.0f), il::Image(1, 28, 28, 1.0f)},
              {il::Image(1, 28, 28, 0.0f), il::Image(1, 28, 28, 1.0f)},
              {il::Image(1, 28, 28, 1.0f), il::Image(1, 28, 28, 0.0f)}};
    return g;
}

il::ui::RunRecord sampleRun()
{
    il::ui::RunRecord r;
    r.config = il::test::tinyCnn(12);
    r.config.depth = 3;
    r.device = QStringLiteral("CPU, 2 threads");
    r.size.weights = 1234;
    r.size.biases = 5;
    r.trainingImages = {il::Image(1, 28, 28, 0.25f)};
    r.decaySteps = {3, 7, 9};
    r.loss = {{0, 0.5, 0.01}, {1, 0.25, 0.01}, {2, std::nan(""), 0.002}};
    il::ui::TrainingFrame f;
    f.step = 2;
    f.totalSteps = 12;
    f.loss = 0.25;
    il::ProbeOutcome p;
    p.name = "mnist 4";
    p.group = il::ProbeGroup::Mnist;
    p.input = il::Image(1, 28, 28, 0.5f);
    p.output = il::Image(1, 28, 28, 0.75f);
    p.corrIdentity = 0.9;
    p.corrConstant = -0.1;
    f.probes = {p};
    f.rho = {{0.0, 0.1, 0.2, 0.01, 0.02, il::Zone::C}, {1.0, 1.0, 1.0, 0, 0, il::Zone::A}};
    f.activations = constantGrid();
    f.layerStats = {{"layer 1", 0.1, 0.2, 0.0, 1.0, 0.5}};
    r.history = {f};
    r.metrics.stepsDone = 3;
    r.metrics.finalLoss = 0.25;
    r.metrics.stopReason = il::StopReason::Diverged;
    r.metrics.stopDetail = "the loss became NaN at step 3";
    r.metrics.probes = {p};
    r.metrics.rhoSweep = f.rho;
    r.metrics.layerClassifier = {{"input", "conv 1"}, {0.1, 0.2}, 100};
    r.finished = true;
    return r;
}

// A finished run of depth `id` with `probes` grey 28x28 probes, for the gallery's comparison.
il::ui::RunPtr finishedRun(int id, int probes)
{
    auto run = std::make_shared<il::ui::RunRecord>();
    run->id = id;
    run->finished = true;
    run->config.depth = id;
    for (int i = 0; i < probes; ++i) {
        il::ProbeOutcome p;
        p.name = "probe " + std::to_string(i);
        p.input = il::Image(1, 28, 28, 0.5f);
        p.output = il::Image(1, 28, 28, 0.25f);
        run->metrics.probes.push_back(p);
    }
    return run;
}

}  // namespace

class ViewsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void activationClick_findsTheCellThatWasDrawnThere()
    {
        const auto grid = constantGrid();
        il::ui::ActivationFigureOptions o;
        o.cellSize = 56;  // a whole multiple of 28: the image fills the cell
        o.cellGap = 3;
        o.labelWidth = 72;
        o.showColumnTitles = true;
        o.colorMap = il::ui::ColorMap::Grey;
        for (int scale : {1, 2}) {
            o.style.scale = scale;
            const QImage image = il::ui::renderActivationFigure(grid, o);
            for (int r = 0; r < 3; ++r)
                for (int c = 0; c < 2; ++c) {
                    // Every pixel mapped to (r, c) must be drawn in that cell's grey.
                    const int expected = grid.maps[r][c].pixels.front() > 0.5f ? 255 : 0;
                    int hits = 0;
                    for (int y = 0; y < image.height(); y += 4)
                        for (int x = 0; x < image.width(); x += 4) {
                            const auto cell = il::ui::activationCellAt(grid, o, QPoint(x, y));
                            if (cell.row != r || cell.column != c) continue;
                            ++hits;
                            QVERIFY2(qGray(image.pixel(x, y)) == expected, qPrintable(QStringLiteral("scale %1 cell %2,%3 at %4,%5 grey %6")
                                                                                          .arg(scale)
                                                                                          .arg(r)
                                                                                          .arg(c)
                                                                                          .arg(x)
                                                                                          .arg(y)
                                                                                          .arg(qGray(image.pixel(x, y)))));
                        }
                    const int side = o.cellSize * scale / 4;
                    QVERIFY2(hits >= side * side * 9 / 10, qPrintable(QStringLiteral("%1 %2: %3").arg(r).arg(c).arg(hits)));
                }
            QCOMPARE(il::ui::activationCellAt(grid, o, QPoint(1, 1)).row, -1);
        }
    }

    // A run without probes (opened without them, stopped before its first evaluation) among
    // the compared ones: the comparison takes its columns from a run that has them.
    void galleryComparison_withARunWithoutProbes_keepsTheOthers()
    {
        il::ui::GalleryView gallery;
        gallery.resize(900, 600);
        gallery.show();
        auto none = finishedRun(1, 0);
        auto some = finishedRun(2, 3);
        gallery.addRun(none);
        gallery.addRun(some);
        gallery.selectRuns({none});
        gallery.redrawNow();
        QVERIFY(gallery.renderImage(1).isNull());
        gallery.selectRuns({none, some});
        gallery.redrawNow();
        const QImage both = gallery.renderImage(1);
        QVERIFY(!both.isNull());
        QVERIFY(both.width() > 3 * 56);
    }

    void galleryComparison_manyRuns_scrollsInsteadOfShrinking()
    {
        // A 5-seed sweep selects dozens of runs: the comparison keeps whole image pixels and
        // the pane scrolls, where fitting them would leave each row a few pixels high.
        il::ui::GalleryView gallery;
        gallery.resize(900, 600);
        gallery.show();
        std::vector<il::ui::RunPtr> runs;
        for (int i = 0; i < 40; ++i) {
            runs.push_back(finishedRun(i + 1, 3));
            gallery.addRun(runs.back());
        }
        auto* figure = gallery.findChild<il::ui::FigureLabel*>(QStringLiteral("comparisonFigure"));
        auto* scroll = gallery.findChild<QScrollArea*>(QStringLiteral("comparisonScroll"));
        QVERIFY(figure && scroll);
        gallery.selectRuns(runs);
        gallery.redrawNow();
        QTRY_VERIFY(figure->height() > scroll->viewport()->height());
        const double drawnHeight = figure->image().height() / figure->image().devicePixelRatio();
        QVERIFY(drawnHeight >= 41 * 28);
        QCOMPARE(qRound(figure->imageRect().height()), qRound(drawnHeight));  // drawn at its size, not scaled down
        QVERIFY(scroll->verticalScrollBar()->maximum() > 0);

        gallery.selectRuns({runs[0], runs[1]});
        gallery.redrawNow();
        QTRY_VERIFY(figure->height() <= scroll->viewport()->height());
        QCOMPARE(scroll->verticalScrollBar()->maximum(), 0);
    }

    void runFile_roundTrip_keepsEverything()
    {
        QTemporaryDir dir;
        const auto run = sampleRun();
        const QString weights = dir.filePath(QStringLiteral("w.pt"));
        {
            QFile f(weights);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(1000, 'x'));
        }
        const QString path = dir.filePath(QStringLiteral("r.ilrun"));
        QString error;
        QVERIFY2(il::ui::saveRunFile(run, weights, path, &error), qPrintable(error));
        QVERIFY(il::ui::isRunFile(path));
        il::ui::RunRecord back;
        const QString out = dir.filePath(QStringLiteral("back.pt"));
        QVERIFY2(il::ui::loadRunFile(path, out, back, &error), qPrintable(error));
        QCOMPARE(back.config.depth, 3);
        QCOMPARE(back.config.steps, 12);
        QCOMPARE(back.device, run.device);
        QCOMPARE(back.size.parameters(), 1239LL);
        QCOMPARE(back.decaySteps, run.decaySteps);
        QCOMPARE(back.loss.size(), std::size_t(3));
        QVERIFY(std::isnan(back.loss[2].loss));
        QCOMPARE(back.history.size(), std::size_t(1));
        QCOMPARE(back.history[0].probes[0].output.pixels, run.history[0].probes[0].output.pixels);
        QCOMPARE(back.history[0].rho[1].zone, il::Zone::A);
        QCOMPARE(back.history[0].activations.maps.size(), std::size_t(3));
        QCOMPARE(back.metrics.stopReason, il::StopReason::Diverged);
        QCOMPARE(back.metrics.stopDetail, run.metrics.stopDetail);
        QCOMPARE(back.metrics.layerClassifier.error, run.metrics.layerClassifier.error);
        QVERIFY(back.finished);
        QCOMPARE(back.checkpointPath, out);
        QFile w(out);
        QVERIFY(w.open(QIODevice::ReadOnly));
        QCOMPARE(w.readAll(), QByteArray(1000, 'x'));
    }

    void runFile_damagedOrForeign_isRefusedWithAReason()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("r.ilrun"));
        QString error;
        QVERIFY(il::ui::saveRunFile(sampleRun(), QString(), path, &error));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        f.resize(f.size() / 2);
        f.close();
        il::ui::RunRecord back;
        QVERIFY(!il::ui::loadRunFile(path, dir.filePath(QStringLiteral("w.pt")), back, &error));
        QVERIFY2(error.contains(QStringLiteral("damaged")), qPrintable(error));
        const QString json = dir.filePath(QStringLiteral("c.json"));
        QFile j(json);
        QVERIFY(j.open(QIODevice::WriteOnly));
        j.write("{\"depth\": 3}");
        j.close();
        QVERIFY(!il::ui::isRunFile(json));
        QVERIFY(!il::ui::loadRunFile(json, dir.filePath(QStringLiteral("w.pt")), back, &error));
        QVERIFY(error.contains(QStringLiteral("not an IdentityLab run")));
    }

    void sweepValues_parseListsAndRanges()
    {
        using il::ui::parseSweepValues;
        QCOMPARE(parseSweepValues(QStringLiteral("1-5"), true), (std::vector<double>{1, 2, 3, 4, 5}));
        QCOMPARE(parseSweepValues(QStringLiteral("1-20:5"), true), (std::vector<double>{1, 6, 11, 16}));
        QCOMPARE(parseSweepValues(QStringLiteral("1, 3;5 7"), true), (std::vector<double>{1, 3, 5, 7}));
        QCOMPARE(parseSweepValues(QStringLiteral("0.001, 0.01"), false), (std::vector<double>{0.001, 0.01}));
        QString error;
        QVERIFY(parseSweepValues(QStringLiteral("1, x"), true, &error).empty());
        QVERIFY(error.contains(QStringLiteral("'x'")));
        il::ui::SweepPlan plan;
        plan.parameter = il::ui::SweepParameter::Depth;
        plan.values = {1, 20};
        const auto configs = il::ui::sweepConfigs(il::test::tinyCnn(5), plan);
        QCOMPARE(configs.size(), std::size_t(2));
        QCOMPARE(configs[1].depth, 20);
        QCOMPARE(configs[1].channels, 4);
    }

    void datasetBrowser_showsTheTrainingSplit_andReturnsThePick()
    {
        il::ui::DatasetBrowser browser(il::DatasetKind::Mnist, il::DataLocations::fromEnvironment());
        QVERIFY(browser.loaded());
        auto* list = browser.findChild<QListWidget*>();
        QVERIFY(list->count() > 10);  // the 7s of the shipped subset
        list->item(0)->setSelected(true);
        list->item(2)->setSelected(true);
        const auto picked = browser.selectedIndices();
        QCOMPARE(picked.size(), std::size_t(2));
        QCOMPARE(picked[0], list->item(0)->data(Qt::UserRole).toInt());
        browser.setSelectedIndices({picked[1]});
        QCOMPARE(browser.selectedIndices(), (std::vector<int>{picked[1]}));
    }

    void cellSize_isAWholeMultipleOfTheImage()
    {
        QCOMPARE(il::ui::fittingCellSize(QSize(1000, 800), 14, 2, 28, 100, 30) % 28, 0);
        QCOMPARE(il::ui::fittingCellSize(QSize(1000, 800), 7, 2, 28, 100, 30), 112);
        QVERIFY(il::ui::fittingCellSize(QSize(100, 100), 14, 2, 28, 100, 30) >= 16);
    }

    void historyBar_scrubsAndReturnsToLive()
    {
        auto run = std::make_shared<il::ui::RunRecord>(sampleRun());
        il::ui::TrainingFrame f0;
        f0.step = 0;
        run->addFrame(f0);
        il::ui::TrainingFrame f5;
        f5.step = 5;
        run->addFrame(f5);
        QCOMPARE(run->history.size(), std::size_t(3));
        QCOMPARE(run->frameAt(4)->step, 2);
        QCOMPARE(run->frameAt(-1)->step, 5);
        QCOMPARE(run->activationFrameAt(-1)->step, 2);
        il::ui::HistoryBar bar;
        QList<int> steps;
        connect(&bar, &il::ui::HistoryBar::stepChanged, this, [&](int s) { steps << s; });
        bar.setRun(run);
        QCOMPARE(bar.step(), -1);
        bar.slider()->setValue(1);
        QCOMPARE(bar.step(), 2);
        bar.setLive();
        QCOMPARE(steps, (QList<int>{2, -1}));
    }
};

QTEST_MAIN(ViewsTest)
#include "tst_views.moc"
