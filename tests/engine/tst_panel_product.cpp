// The Winograd convolution's matrix kernels (engine/nn/panel_product.h), the AVX2 + FMA one and
// (in a second CTest run) the portable one: every entry is the product it claims, for row counts
// that end in a partial register block, depths that end in a partial panel or slice and both
// ways the convolution addresses its broadcast operand; and an entry's bits do not depend on
// which rows it is computed with, which is what lets the convolution split rows and panels
// across threads without changing its result.
#include "engine/nn/panel_product.h"

#include <QtTest>

#include <cstdint>
#include <random>
#include <vector>

using namespace il::nn::kernels;

namespace {

struct Case {
    std::int64_t rows, depth;
    bool rowsThroughPanels;  // the weight gradient's addressing: rows step 1 inside a panel
};

// A panelled operand of `rows` x `depth` values in the layout of `a`, filled with random numbers;
// returns the matrix and its values in plain row-major order.
BroadcastMatrix makeOperand(const Case& c, std::vector<float>& storage, std::vector<double>& plain, std::mt19937& rng)
{
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    const std::int64_t rowPanels = (c.rows + kPanelWidth - 1) / kPanelWidth;
    const std::int64_t depthPanels = (c.depth + kPanelWidth - 1) / kPanelWidth;
    BroadcastMatrix a;
    if (c.rowsThroughPanels) {
        // (row panel, depth, 16): rows inside a panel are neighbours, depth steps 16 floats.
        storage.assign(static_cast<std::size_t>(rowPanels * c.depth * kPanelWidth), 0.0f);
        a.rows = {c.depth * kPanelWidth, 1};
        a.cols = {kPanelWidth * kPanelWidth, kPanelWidth};
    } else {
        // (depth panel, rows, 16): the input tiles' layout, depth inside a panel are neighbours.
        storage.assign(static_cast<std::size_t>(depthPanels * c.rows * kPanelWidth), 0.0f);
        a.rows = {kPanelWidth * kPanelWidth, kPanelWidth};
        a.cols = {c.rows * kPanelWidth, 1};
    }
    a.base = storage.data();
    plain.assign(static_cast<std::size_t>(c.rows * c.depth), 0.0);
    for (std::int64_t i = 0; i < c.rows; ++i)
        for (std::int64_t k = 0; k < c.depth; ++k) {
            const float v = uniform(rng);
            storage[static_cast<std::size_t>(a.rows.offset(i) + a.cols.offset(k))] = v;
            plain[static_cast<std::size_t>(i * c.depth + k)] = v;
        }
    return a;
}

}  // namespace

class TestPanelProduct : public QObject {
    Q_OBJECT
private slots:
    // CTest runs this file twice, the second time with IDENTITYLAB_PANEL_KERNEL=portable.
    void runsTheRequestedKernel()
    {
        const bool portable = qgetenv("IDENTITYLAB_PANEL_KERNEL") == "portable";
        qInfo("kernel: %s", panelKernelName());
        if (portable) QCOMPARE(QString(panelKernelName()), QString("portable"));
    }
    void computesTheProduct_data()
    {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("depth");
        QTest::addColumn<bool>("rowsThroughPanels");
        QTest::newRow("49 tiles x 128 channels (forward)") << 49 << 128 << false;
        QTest::newRow("128 channels x 49 tiles (weight gradient)") << 128 << 49 << true;
        QTest::newRow("one row, depth 1") << 1 << 1 << false;
        QTest::newRow("13 rows, depth 67") << 13 << 67 << false;
        QTest::newRow("70 rows through panels, depth 392") << 70 << 392 << true;
        QTest::newRow("5 rows through panels, depth 17") << 5 << 17 << true;
    }
    void computesTheProduct()
    {
        QFETCH(int, rows);
        QFETCH(int, depth);
        QFETCH(bool, rowsThroughPanels);
        const Case c{rows, depth, rowsThroughPanels};
        std::mt19937 rng(static_cast<std::uint32_t>(rows * 1000 + depth));
        std::vector<float> aStorage;
        std::vector<double> aPlain;
        const BroadcastMatrix a = makeOperand(c, aStorage, aPlain, rng);
        std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
        std::vector<float> b(static_cast<std::size_t>(depth * kPanelWidth));
        for (float& v : b) v = uniform(rng);
        std::vector<float> out(static_cast<std::size_t>(rows * kPanelWidth), -7.0f);
        panelProduct(a, rows, depth, b.data(), out.data());

        double worst = 0.0;
        for (int i = 0; i < rows; ++i)
            for (int j = 0; j < kPanelWidth; ++j) {
                double exact = 0.0, magnitude = 0.0;
                for (int k = 0; k < depth; ++k) {
                    const double term = aPlain[static_cast<std::size_t>(i * depth + k)] * b[static_cast<std::size_t>(k * kPanelWidth + j)];
                    exact += term;
                    magnitude += std::abs(term);
                }
                worst = std::max(worst, std::abs(out[static_cast<std::size_t>(i * kPanelWidth + j)] - exact) / magnitude);
            }
        // A float32 sum of `depth` terms errs by at most about depth * 6e-8 of the terms'
        // magnitude; a wrong address or a lost term errs by order 1.
        QVERIFY2(worst < depth * 1.2e-7, qPrintable(QString::number(worst)));

        // Row by row, the same bits as in register blocks of six.
        for (int i = 0; i < rows; ++i) {
            BroadcastMatrix one = a;
            one.base = a.base + a.rows.offset(i);
            one.rows = {0, 0};
            float row[kPanelWidth];
            panelProduct(one, 1, depth, b.data(), row);
            QVERIFY(std::equal(row, row + kPanelWidth, out.begin() + i * kPanelWidth));
        }
    }
};

QTEST_APPLESS_MAIN(TestPanelProduct)
#include "tst_panel_product.moc"
