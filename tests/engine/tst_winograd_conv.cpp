// Winograd convolution (engine/nn/winograd_conv.h) computes conv2d: forward and all three
// gradients agree with LibTorch's own convolution, evaluated in float64 as the reference, to
// float32 rounding, for every kernel it serves and for image sizes that are not multiples of its
// tile; and it serves exactly the layers it claims to.
#include "engine/nn/winograd_conv.h"

#include <QtTest>

using namespace il;

namespace {

// max |a - b| / max |b|.
double relativeError(const torch::Tensor& a, const torch::Tensor& reference)
{
    const double scale = reference.abs().max().item<double>();
    return (a.to(torch::kFloat64) - reference).abs().max().item<double>() / std::max(scale, 1e-30);
}

}  // namespace

class TestWinogradConv : public QObject {
    Q_OBJECT
private slots:
    void matchesConv2d_data()
    {
        QTest::addColumn<int>("kernel");
        QTest::addColumn<int>("batch");
        QTest::addColumn<int>("channelsIn");
        QTest::addColumn<int>("channelsOut");
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("width");
        QTest::addColumn<bool>("bias");
        QTest::newRow("5x5, 28x28, the paper's layer") << 5 << 1 << 128 << 128 << 28 << 28 << true;
        QTest::newRow("5x5, batch 3, 13x9 (partial tiles)") << 5 << 3 << 64 << 96 << 13 << 9 << true;
        QTest::newRow("5x5, 7x7, no bias") << 5 << 2 << 64 << 64 << 7 << 7 << false;
        QTest::newRow("3x3, 28x28") << 3 << 1 << 64 << 64 << 28 << 28 << true;
        QTest::newRow("3x3, 5x11") << 3 << 2 << 64 << 80 << 5 << 11 << true;
        QTest::newRow("7x7, 28x28") << 7 << 1 << 64 << 64 << 28 << 28 << true;
        QTest::newRow("7x7, 9x15") << 7 << 2 << 72 << 64 << 9 << 15 << false;
        // Channels past the last block of 8 take the layout changes' element-wise path, and the
        // last panel of 16 channels is partly empty.
        QTest::newRow("5x5, 67 to 70 channels") << 5 << 1 << 67 << 70 << 11 << 10 << true;
        QTest::newRow("3x3, 69 to 64 channels") << 3 << 1 << 69 << 64 << 8 << 8 << false;
        // 392 tiles: the weight gradient's sums run over more than one panel of tiles, and the
        // products' rows end in a partial register block.
        QTest::newRow("5x5, batch 8, 28x28") << 5 << 8 << 64 << 64 << 28 << 28 << false;
        // Wider than the former 512-channel limit: 33 and 34 panels, the last ones partial.
        QTest::newRow("5x5, 520 to 536 channels, 6x6") << 5 << 1 << 520 << 536 << 6 << 6 << true;
    }
    void matchesConv2d()
    {
        QFETCH(int, kernel);
        QFETCH(int, batch);
        QFETCH(int, channelsIn);
        QFETCH(int, channelsOut);
        QFETCH(int, height);
        QFETCH(int, width);
        QFETCH(bool, bias);
        torch::manual_seed(7);
        const auto x64 = torch::rand({batch, channelsIn, height, width}, torch::kFloat64);
        const auto w64 = torch::randn({channelsOut, channelsIn, kernel, kernel}, torch::kFloat64) * 0.05;
        const auto b64 = bias ? torch::randn({channelsOut}, torch::kFloat64) : torch::Tensor();
        const auto upstream64 = torch::randn({batch, channelsOut, height, width}, torch::kFloat64);

        // Reference: LibTorch's convolution in float64.
        auto xr = x64.clone().requires_grad_(true), wr = w64.clone().requires_grad_(true);
        auto br = bias ? b64.clone().requires_grad_(true) : torch::Tensor();
        const auto yr = torch::conv2d(xr, wr, br, 1, kernel / 2);
        (yr * upstream64).sum().backward();

        auto x = x64.to(torch::kFloat32).requires_grad_(true), w = w64.to(torch::kFloat32).requires_grad_(true);
        auto b = bias ? b64.to(torch::kFloat32).requires_grad_(true) : torch::Tensor();
        QVERIFY(nn::winogradServes(x, w));
        const auto y = nn::winogradConv2d(x, w, b);
        QCOMPARE(y.sizes().vec(), yr.sizes().vec());
        (y * upstream64.to(torch::kFloat32)).sum().backward();

        // Direct float32 convolution errs by about 1e-7 relative here; Winograd's transforms add
        // a few times that. A wrong tile, transform or padding gives errors of order 1.
        QVERIFY2(relativeError(y, yr) < 2e-5, qPrintable(QString::number(relativeError(y, yr))));
        QVERIFY2(relativeError(x.grad(), xr.grad()) < 2e-5, qPrintable(QString::number(relativeError(x.grad(), xr.grad()))));
        QVERIFY2(relativeError(w.grad(), wr.grad()) < 2e-5, qPrintable(QString::number(relativeError(w.grad(), wr.grad()))));
        if (bias) QVERIFY(relativeError(b.grad(), br.grad()) < 2e-5);
    }

    // At more than one thread the transforms and the 64 matrix products are split across
    // threads: the same numbers as at one thread, and still conv2d's. At 7 threads the 4 channel
    // panels of this layer are split in parts (by transform row, and by output-channel block for
    // the weight gradient), which is the path of a many-core CPU.
    void anyThreadCountGivesTheSameResult()
    {
        const int before = torch::get_num_threads();
        torch::manual_seed(3);
        const auto x = torch::rand({2, 64, 28, 28});
        const auto w = torch::randn({64, 64, 5, 5}) * 0.05;
        const auto b = torch::randn({64});
        const auto upstream = torch::randn({2, 64, 28, 28});
        auto run = [&](int threads) {
            torch::set_num_threads(threads);
            auto xv = x.clone().requires_grad_(true), wv = w.clone().requires_grad_(true);
            (nn::winogradConv2d(xv, wv, b) * upstream).sum().backward();
            return std::vector<torch::Tensor>{nn::winogradConv2d(x, w, b), xv.grad(), wv.grad()};
        };
        const auto one = run(1), two = run(2), seven = run(7);
        // Under InferenceMode (the app's previews) the threads must see it too.
        torch::set_num_threads(2);
        torch::Tensor inference;
        {
            c10::InferenceMode guard;
            inference = nn::winogradConv2d(x, w, b);
        }
        torch::set_num_threads(before);
        QVERIFY(torch::equal(inference, one[0]));
        for (std::size_t i = 0; i < one.size(); ++i) {
            QVERIFY(torch::equal(one[i], two[i]));
            QVERIFY(torch::equal(one[i], seven[i]));
        }
        const auto reference = torch::conv2d(x.to(torch::kFloat64), w.to(torch::kFloat64), b.to(torch::kFloat64), 1, 2);
        QVERIFY(relativeError(two[0], reference) < 2e-5);
    }

    void servesOnlyWhatItComputes()
    {
        const auto x = torch::zeros({1, 128, 28, 28});
        QVERIFY(nn::winogradServes(x, torch::zeros({128, 128, 5, 5})));
        QVERIFY(!nn::winogradServes(torch::zeros({1, 1, 28, 28}), torch::zeros({128, 1, 5, 5})));  // first layer
        QVERIFY(!nn::winogradServes(x, torch::zeros({1, 128, 5, 5})));                             // last layer
        QVERIFY(!nn::winogradServes(x, torch::zeros({128, 128, 9, 9})));                           // no tile for 9x9
        QVERIFY(!nn::winogradServes(x, torch::zeros({128, 128, 1, 1})));
        QVERIFY(!nn::winogradServes(torch::zeros({1, 32, 28, 28}), torch::zeros({32, 32, 5, 5})));       // cheaper directly
        QVERIFY(nn::winogradServes(torch::zeros({1, 1024, 28, 28}), torch::zeros({1024, 1024, 5, 5})));  // no upper limit
        QVERIFY(!nn::winogradServes(x.to(torch::kFloat64), torch::zeros({128, 128, 5, 5}, torch::kFloat64)));
        QCOMPARE(nn::winogradTileSize(5), 4);
        QCOMPARE(nn::winogradTileSize(9), 0);
    }
};

QTEST_APPLESS_MAIN(TestWinogradConv)
#include "tst_winograd_conv.moc"
